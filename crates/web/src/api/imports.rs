//! Importing a ledger (api.md): a multipart upload of the file, `dry_run=true` to preview.
//! With any error nothing is written; the answer lists every error by row and column.

use axum::Json;
use axum::extract::Multipart;
use utoipa::ToSchema;

use super::{XLSX, Xlsx};
use crate::AppState;
use crate::auth::{Caller, Db, perm};
use crate::error::{ApiError, ApiResult};
use crate::input::QueryMap;
use crate::ledger::ImportResult;

/// Largest upload (ledger.md: 20 MiB) plus room for the multipart framing.
pub const MAX_UPLOAD: usize = 20 * 1024 * 1024 + 64 * 1024;

/// The multipart form of an upload.
#[derive(ToSchema)]
pub struct LedgerUpload {
    /// The ledger, .xlsx or .csv (UTF-8 or GBK), at most 20 MiB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    #[schema(ignore)]
    file_name: String,
}

impl LedgerUpload {
    /// The `file` field of the form; an upload over the limit is audited, then 413.
    async fn read(s: &AppState, c: &store::Actor, mp: &mut Multipart, dry_run: bool) -> ApiResult<Option<Self>> {
        let mut upload = None;
        while let Some(field) =
            mp.next_field().await.map_err(|e| ApiError::BadRequest(format!("上传内容格式不正确：{e}")))?
        {
            if field.name() == Some("file") {
                let file_name = field.file_name().unwrap_or("ledger.xlsx").to_string();
                match field.bytes().await {
                    Ok(bytes) => upload = Some(LedgerUpload { file: bytes.to_vec(), file_name }),
                    Err(_) => {
                        crate::ledger::audit_too_large(&s.store, c, &file_name, dry_run).await?;
                        return Err(ApiError::TooLarge);
                    }
                }
            }
        }
        Ok(upload)
    }
}

#[utoipa::path(post, path = "/api/v1/imports/ledger", operation_id = "import_ledger", tag = "ledger", security(("bearer" = ["project:write"])),
    params(("dry_run" = Option<bool>, Query, description = "report what would happen, write nothing")),
    request_body(content = LedgerUpload, content_type = "multipart/form-data"),
    responses((status = 200, description = "with errors nothing is written", body = ImportResult),
        (status = 422, description = "not a spreadsheet, encrypted, a zip bomb, no header"), (status = 413, description = "over 20 MiB"), (status = 429, description = "too many imports")))]
pub async fn ledger(
    db: Db<perm::ProjectWrite>,
    QueryMap(q): QueryMap,
    mut mp: Multipart,
) -> ApiResult<Json<ImportResult>> {
    let dry_run = matches!(q.get("dry_run").map(String::as_str), Some("true") | Some("1"));
    let Some(upload) = LedgerUpload::read(&db.state, &db.caller.actor, &mut mp, dry_run).await? else {
        return Err(ApiError::field("file", "请上传台账文件（表单字段 file）"));
    };
    Ok(Json(crate::ledger::import(&db.state, &db.caller.actor, &upload.file_name, upload.file, dry_run).await?))
}

#[utoipa::path(get, path = "/api/v1/imports/ledger/template.xlsx", tag = "ledger", security(("bearer" = ["project:read"])),
    responses((status = 200, description = "the blank ledger template", content_type = XLSX, body = Xlsx)))]
pub async fn template(_c: Caller<perm::ProjectRead>) -> ApiResult<Xlsx> {
    Ok(Xlsx { file_name: "招商引资项目台账模板.xlsx".into(), bytes: crate::ledger::template()? })
}
