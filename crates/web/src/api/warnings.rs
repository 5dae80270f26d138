//! `GET /api/v1/warnings`: the warnings of the caller's scope as of today (domain.md §7).

use axum::Json;
use domain::warnings::{WarningLevel, WarningRule};
use serde::Serialize;
use store::warnings::{WarningFilter, WarningItem};
use utoipa::ToSchema;

use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult};
use crate::input::{QueryCheck, QueryMap};

/// One page of the warnings, red first, with the counts per level over all of them.
#[derive(Debug, Serialize, ToSchema)]
pub struct WarningList {
    pub items: Vec<WarningItem>,
    /// All that match, over every page.
    pub total: usize,
    pub red: usize,
    pub yellow: usize,
    pub page: u64,
    pub per_page: u64,
}

impl WarningList {
    pub fn of(items: Vec<WarningItem>, page: u64, per_page: u64) -> WarningList {
        let red = items.iter().filter(|w| w.level == WarningLevel::Red.code()).count();
        let total = items.len();
        let items: Vec<WarningItem> = crate::input::page_of(items, page, per_page).collect();
        WarningList { total, yellow: total - red, red, items, page, per_page }
    }
}

/// The filter from `level`, `kind` and `unit` (each optional), every bad one named.
pub fn filter_from_query(q: &std::collections::BTreeMap<String, String>) -> Result<WarningFilter, ApiError> {
    let mut c = QueryCheck::new(q);
    let level = c.parsed("level", WarningLevel::parse, |s| format!("预警等级「{s}」无效，应为 red 或 yellow"));
    let kind = c.parsed("kind", WarningRule::parse, |s| format!("预警类型「{s}」无效"));
    let unit = c.text("unit");
    c.finish(WarningFilter { level, kind, unit })
}

#[utoipa::path(get, path = "/api/v1/warnings", operation_id = "list_warnings", tag = "warnings", security(("bearer" = ["warning:read"])),
    params(("level" = Option<String>, Query, description = "red | yellow"),
           ("kind" = Option<String>, Query, description = "a rule code, e.g. signed_not_started"),
           ("unit" = Option<String>, Query, description = "a unit code or name (its subtree)"),
           ("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query)),
    responses((status = 200, description = "the warnings of the caller's scope", body = WarningList),
              (status = 422, description = "a bad filter")))]
pub async fn list(db: Db<perm::WarningRead>, QueryMap(q): QueryMap) -> ApiResult<Json<WarningList>> {
    let f = filter_from_query(&q)?;
    let (page, per_page) = super::paging(&q)?;
    let items = db.store().warnings(&f, domain::today_shanghai()).await?;
    Ok(Json(WarningList::of(items, page, per_page)))
}
