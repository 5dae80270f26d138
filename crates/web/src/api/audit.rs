//! The audit log, for the auditor only (三员分立).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::paging;
use crate::AppState;
use crate::auth::{Caller, perm};
use crate::error::ApiResult;
use crate::input::QueryMap;

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = ["audit:read"])),
    responses((status = 200, description = "audit records, newest first")))]
pub async fn list(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::AuditRead>,
    QueryMap(q): QueryMap,
) -> ApiResult<Json<Value>> {
    let (page, per_page) = paging(&q)?;
    let (items, total) = s.store.scoped(&c.actor).audit_page(page, per_page).await?;
    Ok(Json(json!({"items": items, "total": total, "page": page, "per_page": per_page})))
}

#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit", security(("bearer" = ["audit:read"])),
    responses((status = 200, description = "{ok, records} or where the chain breaks")))]
pub async fn verify(State(s): State<Arc<AppState>>, _c: Caller<perm::AuditRead>) -> ApiResult<Json<Value>> {
    let v = s.store.verify_audit().await?;
    Ok(Json(json!(v)))
}

#[utoipa::path(get, path = "/api/v1/audit/logins", tag = "audit", security(("bearer" = ["audit:read"])),
    responses((status = 200, description = "login successes and failures, newest first")))]
pub async fn logins(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::AuditRead>,
    QueryMap(q): QueryMap,
) -> ApiResult<Json<Value>> {
    let (page, per_page) = paging(&q)?;
    let (items, total) = s.store.scoped(&c.actor).login_page(page, per_page).await?;
    Ok(Json(json!({"items": items, "total": total, "page": page, "per_page": per_page})))
}
