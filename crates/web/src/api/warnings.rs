//! `GET /api/v1/warnings`: the warnings of the caller's scope as of today (domain.md §7).

use axum::Json;
use domain::warnings::{WarningLevel, WarningRule};
use serde::Serialize;
use store::warnings::{WarningFilter, WarningItem};
use utoipa::ToSchema;

use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult};
use crate::input::QueryMap;

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
        let (total, skip) = (items.len(), usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX));
        let items: Vec<WarningItem> = items.into_iter().skip(skip).take(per_page as usize).collect();
        WarningList { total, yellow: total - red, red, items, page, per_page }
    }
}

/// The filter from `level`, `kind` and `unit` (each optional), every bad one named.
pub fn filter_from_query(q: &std::collections::BTreeMap<String, String>) -> Result<WarningFilter, ApiError> {
    let mut errors = std::collections::BTreeMap::new();
    let get = |k: &str| q.get(k).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let level = get("level").and_then(|s| {
        let l = WarningLevel::parse(&s);
        if l.is_none() {
            errors.insert("level".to_string(), format!("预警等级「{s}」无效，应为 red 或 yellow"));
        }
        l
    });
    let kind = get("kind").and_then(|s| {
        let k = WarningRule::parse(&s);
        if k.is_none() {
            errors.insert("kind".to_string(), format!("预警类型「{s}」无效"));
        }
        k
    });
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(WarningFilter { level, kind, unit: get("unit") })
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
