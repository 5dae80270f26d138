//! The audit log, for the auditor only (三员分立).

use axum::Json;
use store::audit::Verification;
use store::entity::{audit_record, login_record};

use super::{Page, paging};
use crate::auth::{Db, perm};
use crate::error::ApiResult;
use crate::input::QueryMap;

#[utoipa::path(get, path = "/api/v1/audit", operation_id = "list_audit", tag = "audit", security(("bearer" = ["audit:read"])),
    params(("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query, description = "at most 500")),
    responses((status = 200, description = "audit records, newest first", body = Page<audit_record::Model>)))]
pub async fn list(db: Db<perm::AuditRead>, QueryMap(q): QueryMap) -> ApiResult<Json<Page<audit_record::Model>>> {
    let scoped = db.store();
    paged(&q, |page, per_page| async move { scoped.audit_page(page, per_page).await }).await
}

#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit", security(("bearer" = ["audit:read"])),
    responses((status = 200, description = "{ok, records} or where the chain breaks", body = Verification)))]
pub async fn verify(db: Db<perm::AuditRead>) -> ApiResult<Json<Verification>> {
    Ok(Json(db.state.store.verify_audit().await?))
}

#[utoipa::path(get, path = "/api/v1/audit/logins", tag = "audit", security(("bearer" = ["audit:read"])),
    params(("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query, description = "at most 500")),
    responses((status = 200, description = "login successes and failures, newest first", body = Page<login_record::Model>)))]
pub async fn logins(db: Db<perm::AuditRead>, QueryMap(q): QueryMap) -> ApiResult<Json<Page<login_record::Model>>> {
    let scoped = db.store();
    paged(&q, |page, per_page| async move { scoped.login_page(page, per_page).await }).await
}

/// One page of a log: reads `page`/`per_page` from the query, asks the store for that
/// page and answers it with its total (the shape both audit lists share).
async fn paged<T, Fut>(
    q: &std::collections::BTreeMap<String, String>,
    fetch: impl FnOnce(u64, u64) -> Fut,
) -> ApiResult<Json<Page<T>>>
where
    Fut: std::future::Future<Output = store::Result<(Vec<T>, u64)>>,
{
    let (page, per_page) = paging(q)?;
    let (items, total) = fetch(page, per_page).await?;
    Ok(Json(Page { items, total, page, per_page }))
}
