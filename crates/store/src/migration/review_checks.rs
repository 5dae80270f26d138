//! m20261202_000010: the review claims' vocabularies (`reviews.kind`, `reviews.state`) as
//! CHECK constraints, built from `domain::review`'s enums like the earlier ones.

use sea_orm_migration::prelude::*;

use super::check_constraints::{Checks, add, remove};

migration! {
    pub(super) ReviewChecks = "m20261202_000011_review_checks"; up: up; down: down
}

fn checks() -> Checks {
    vec![
        ("ck_reviews_kind".into(), "reviews", "kind", domain::review::ReviewKind::CODES.to_vec()),
        ("ck_reviews_state".into(), "reviews", "state", domain::ReviewState::CODES.to_vec()),
    ]
}

async fn up(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    add(m, checks()).await
}

async fn down(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    remove(m, checks()).await
}
