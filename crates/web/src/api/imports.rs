//! Importing a ledger (api.md): a multipart upload of the file, `dry_run=true` to preview.
//! With any error nothing is written; the answer lists every error by row and column.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Multipart, State};
use axum::response::Response;

use crate::AppState;
use crate::auth::{Caller, perm};
use crate::error::{ApiError, ApiResult};
use crate::input::QueryMap;
use crate::ledger::ImportResult;

/// Largest upload (ledger.md: 20 MiB) plus room for the multipart framing.
pub const MAX_UPLOAD: usize = 20 * 1024 * 1024 + 64 * 1024;

#[utoipa::path(post, path = "/api/v1/imports/ledger", tag = "ledger", security(("bearer" = ["project:write"])),
    params(("dry_run" = Option<bool>, Query, description = "report what would happen, write nothing")),
    responses((status = 200, description = "{rows, created, updated, errors[{row, column, value, message}], …}; with errors nothing is written"),
        (status = 422, description = "not a spreadsheet, encrypted, a zip bomb, no header"), (status = 413, description = "over 20 MiB"), (status = 429, description = "too many imports")))]
pub async fn ledger(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::ProjectWrite>,
    QueryMap(q): QueryMap,
    mut mp: Multipart,
) -> ApiResult<Json<ImportResult>> {
    let dry_run = matches!(q.get("dry_run").map(String::as_str), Some("true") | Some("1"));
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) =
        mp.next_field().await.map_err(|e| ApiError::BadRequest(format!("上传内容格式不正确：{e}")))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("ledger.xlsx").to_string();
            match field.bytes().await {
                Ok(bytes) => file = Some((name, bytes.to_vec())),
                Err(_) => {
                    crate::ledger::audit_too_large(&s.store, &c.actor, &name, dry_run).await?;
                    return Err(ApiError::TooLarge);
                }
            }
        }
    }
    let Some((name, bytes)) = file else {
        return Err(ApiError::field("file", "请上传台账文件（表单字段 file）"));
    };
    Ok(Json(crate::ledger::import(&s, &c.actor, &name, bytes, dry_run).await?))
}

#[utoipa::path(get, path = "/api/v1/imports/ledger/template.xlsx", tag = "ledger", security(("bearer" = ["project:read"])),
    responses((status = 200, description = "the blank ledger template")))]
pub async fn template(_c: Caller<perm::ProjectRead>) -> ApiResult<Response> {
    Ok(crate::ledger::download("招商引资项目台账模板.xlsx", crate::ledger::template()?))
}
