//! The ledger as Excel (api.md): the same filters as the project list, the caller's scope,
//! the template's layout. Audited; at most 10 exports or imports a minute per user.

use super::{XLSX, Xlsx};
use crate::auth::{Db, perm};
use crate::error::ApiResult;
use crate::input::QueryMap;

#[utoipa::path(get, path = "/api/v1/exports/ledger.xlsx", operation_id = "export_ledger", tag = "ledger", security(("bearer" = ["project:read"])),
    params(
        ("stage" = Option<String>, Query), ("unit" = Option<String>, Query), ("industry" = Option<String>, Query),
        ("region" = Option<String>, Query), ("category" = Option<String>, Query), ("city_reportable" = Option<bool>, Query),
        ("key_project" = Option<bool>, Query), ("q" = Option<String>, Query), ("sort" = Option<String>, Query),
    ),
    responses((status = 200, description = "the ledger (.xlsx) in the template's layout", content_type = XLSX, body = Xlsx), (status = 429, description = "too many exports")))]
pub async fn ledger(db: Db<perm::ProjectRead>, QueryMap(q): QueryMap) -> ApiResult<Xlsx> {
    let (file_name, bytes) = crate::ledger::export(&db.state, &db.caller.actor, &q).await?;
    Ok(Xlsx { file_name, bytes })
}
