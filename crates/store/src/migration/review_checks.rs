//! m20261202_000010: the review claims' vocabularies (`reviews.kind`, `reviews.state`) as
//! CHECK constraints, built from `domain::review`'s enums like the earlier ones.

use sea_orm_migration::prelude::*;

use super::check_constraints::{Checks, add, remove};

pub(super) struct ReviewChecks;

impl MigrationName for ReviewChecks {
    fn name(&self) -> &str {
        "m20261202_000011_review_checks"
    }
}

fn checks() -> Checks {
    vec![
        ("ck_reviews_kind".into(), "reviews", "kind", domain::review::ReviewKind::CODES.to_vec()),
        ("ck_reviews_state".into(), "reviews", "state", domain::ReviewState::CODES.to_vec()),
    ]
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for ReviewChecks {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add(m, checks()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        remove(m, checks()).await
    }
}
