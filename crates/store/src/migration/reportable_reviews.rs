//! m20261205_000020: the city-reportable review queue (issue 12; domain.md §4, 三(一)一): a
//! project that becomes city-reportable by a unit's write waits for the city as a `reviews`
//! row of kind `reportable`, with the `reason` it qualified (at most the field table's
//! `review.reason` characters); the kind CHECK now allows it.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

use super::check_constraints::{Checks, add, remove};
use super::text_null;

migration! {
    pub(super) ReportableReviews = "m20261205_000020_reportable_reviews"; up: up; down: down
}

/// The kind CHECK with `codes` (the same name migration 000011 gave it).
fn kind_check(codes: Vec<&'static str>) -> Checks {
    vec![("ck_reviews_kind".into(), "reviews", "kind", codes)]
}

async fn up(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.alter_table(Table::alter().table(Alias::new("reviews")).add_column(text_null("reason")).to_owned()).await?;
    // 000011 built the CHECK from the codes of its day: rebuilt from today's, `reportable` in
    let codes = domain::review::ReviewKind::CODES.to_vec();
    remove(m, kind_check(codes.clone())).await?;
    add(m, kind_check(codes)).await
}

async fn down(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let reportable = domain::review::ReviewKind::Reportable.code();
    let codes: Vec<&'static str> =
        domain::review::ReviewKind::CODES.iter().copied().filter(|c| *c != reportable).collect();
    remove(m, kind_check(codes.clone())).await?;
    m.get_connection().execute_unprepared(&format!("DELETE FROM reviews WHERE kind = '{reportable}'")).await?;
    m.alter_table(Table::alter().table(Alias::new("reviews")).drop_column(Alias::new("reason")).to_owned()).await?;
    add(m, kind_check(codes)).await
}
