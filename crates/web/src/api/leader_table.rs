//! The 五职 leader table (assessment.md, 五职 leader assessment): `GET
//! /api/v1/assessments/leaders?from=&to=` — each leader's led projects by phase and the
//! 500强 visits they led over the period, with the records behind each number;
//! `assessment:read`, in the caller's scope.

use axum::Json;
use chrono::NaiveDate;
use store::assessment::leaders::LeaderTable;

use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult};
use crate::input::{QueryCheck, QueryMap};

/// `from` and `to` (YYYY-MM-DD), each defaulting to this year's first and last day.
pub fn period(q: &std::collections::BTreeMap<String, String>) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let mut c = QueryCheck::new(q);
    let bad = |_: &str| "日期格式应为 YYYY-MM-DD".to_string();
    let from = c.parsed("from", crate::input::parse_date, bad);
    let to = c.parsed("to", crate::input::parse_date, bad);
    c.finish(())?;
    let (jan1, dec31) = crate::input::this_year();
    let (from, to) = (from.unwrap_or(jan1), to.unwrap_or(dec31));
    Ok((from, to))
}

/// Not paged: one row per leader (the register is small), every row with its records.
#[utoipa::path(get, path = "/api/v1/assessments/leaders", operation_id = "leader_table", tag = "assessment",
    security(("bearer" = ["assessment:read"])),
    params(("from" = Option<NaiveDate>, Query, description = "default: 1 January of this year"),
           ("to" = Option<NaiveDate>, Query, description = "default: 31 December of this year")),
    responses((status = 200, description = "the 五职 table, not paged: `{from, to, items}`, sorted by unit then leader", body = LeaderTable),
              (status = 422, description = "a bad date, or to before from")))]
pub async fn leader_table(db: Db<perm::AssessmentRead>, QueryMap(q): QueryMap) -> ApiResult<Json<LeaderTable>> {
    let (from, to) = period(&q)?;
    Ok(Json(db.store().leader_table(from, to).await?))
}
