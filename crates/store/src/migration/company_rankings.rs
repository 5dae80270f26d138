//! m20261204_000015: the ranking history of the company library (issue 12; domain.md §3): one
//! row per company, list (`domain::ranking::RankingList`) and year, with the rank, the
//! revenue as published (exact decimal text) and the country the list gives. The ranks a
//! company already carries with a `rank_year` become its first history rows.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

use super::check_constraints::{Checks, add, remove};
use super::{big, create, drop_tables, id, index, int, stamped, text, text_null};

migration! {
    pub(super) CompanyRankings = "m20261204_000015_company_rankings"; up: up; down: down
}

fn checks() -> Checks {
    vec![("ck_company_rankings_list".into(), "company_rankings", "list", domain::ranking::RankingList::CODES.to_vec())]
}

async fn up(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    create(
        m,
        "company_rankings",
        stamped(vec![
            id("id"),
            big("company_id"),
            text("list"),
            int("year"),
            int("rank"),
            text_null("revenue"),
            text_null("country"),
        ]),
        &[("company_id", "companies")],
    )
    .await?;
    // one rank per company, list and year: a re-imported list updates, never duplicates
    m.create_index(index(
        "ux_company_rankings_company_list_year",
        "company_rankings",
        &["company_id", "list", "year"],
        true,
    ))
    .await?;
    m.create_index(index("ix_company_rankings_list_year", "company_rankings", &["list", "year"], false)).await?;
    add(m, checks()).await?;
    let db = m.get_connection();
    for (list, column) in [
        ("fortune_global_500", "fortune_global_500_rank"),
        ("china_500", "china_500_rank"),
        ("china_private_500", "china_private_500_rank"),
    ] {
        db.execute_unprepared(&format!(
            "INSERT INTO company_rankings (company_id, list, year, rank, revenue, country, created_by, version, created_at, updated_at) \
             SELECT id, '{list}', rank_year, {column}, NULL, country, NULL, 1, updated_at, updated_at FROM companies \
             WHERE {column} IS NOT NULL AND rank_year IS NOT NULL ORDER BY id"
        ))
        .await?;
    }
    Ok(())
}

async fn down(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    remove(m, checks()).await?;
    drop_tables(m, &["company_rankings"]).await
}
