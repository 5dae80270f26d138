//! Evidence files (附件, api.md; security.md §14): a multipart upload naming the record it
//! belongs to, the download (`Content-Disposition: attachment`, audited), the soft delete,
//! and a project's case file (招商专案). The pages (`ui::project::attachments`) use the same
//! form reader and answer.

use axum::Json;
use axum::extract::Multipart;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use store::Actor;
use store::attachments::{Attachment, Upload, attached_to};
use utoipa::ToSchema;

use super::Items;
use crate::AppState;
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::Id;

/// Largest request on the upload routes: the largest file (50 MiB) plus room for the
/// multipart framing and the other fields.
pub const MAX_UPLOAD: usize = 50 * 1024 * 1024 + 64 * 1024;

/// The multipart form of an upload.
#[derive(ToSchema)]
pub struct AttachmentUpload {
    /// The file: PDF, JPG, PNG, OFD, .docx, .xlsx, .pptx or ODF, at most 50 MiB; its type
    /// is told by its bytes and must agree with its extension.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// project | transition | funds | clause | problem | milestone | activity.
    pub entity: String,
    pub entity_id: i64,
}

/// What a form sent, before any check (the pages' form also carries `_csrf`).
#[derive(Default)]
pub struct UploadForm {
    pub file: Option<(String, Vec<u8>)>,
    pub entity: String,
    pub entity_id: String,
    pub csrf: String,
}

impl UploadForm {
    /// Read every field; a file over the body limit is 413.
    pub async fn read(mp: &mut Multipart) -> Result<UploadForm, ApiError> {
        let mut form = UploadForm::default();
        loop {
            let field = match mp.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(ApiError::TooLarge),
                Err(e) => return Err(ApiError::BadRequest(format!("上传内容格式不正确：{e}"))),
            };
            match field.name() {
                Some("file") => {
                    let name = field.file_name().unwrap_or("").to_string();
                    let bytes = field.bytes().await.map_err(|_| ApiError::TooLarge)?;
                    form.file = Some((name, bytes.to_vec()));
                }
                Some("entity") => form.entity = crate::input::multipart_text(field).await?,
                Some("entity_id") => form.entity_id = crate::input::multipart_text(field).await?,
                Some("_csrf") => form.csrf = crate::input::multipart_text(field).await?,
                _ => {}
            }
        }
        Ok(form)
    }

    /// Check every field (all errors at once), then the file (security.md §14: 413 too
    /// large, 422 naming `file` for its type), then store it in scope.
    pub async fn store(self, s: &AppState, actor: &Actor) -> Result<Attachment, ApiError> {
        let mut errors = std::collections::BTreeMap::new();
        let entity = match attached_to(&self.entity) {
            Ok(e) => Some(e),
            Err(store::StoreError::Validation(f)) => {
                errors.extend(f.into_iter().map(|f| (f.field, f.message)));
                None
            }
            Err(e) => return Err(e.into()),
        };
        let entity_id = crate::input::record_id(self.entity_id.trim());
        if entity_id.is_none() {
            errors.insert("entity_id".into(), "所属对象编号应为正整数".into());
        }
        let file = self.file.filter(|(_, b)| !b.is_empty());
        if file.is_none() {
            errors.insert("file".into(), "请选择要上传的文件".into());
        }
        let (Some(entity), Some(entity_id), Some((name, bytes)), true) = (entity, entity_id, file, errors.is_empty())
        else {
            return Err(ApiError::Validation(errors));
        };
        // reading the bytes (type, zip directory, SHA-256 of up to 50 MiB) off the async threads
        let limits = s.config.attachment_limits;
        let checked = tokio::task::spawn_blocking(move || (Upload::check(bytes, &name, &limits), name)).await;
        let (checked, name) = checked.map_err(|e| ApiError::Internal(format!("upload check: {e}")))?;
        let upload = checked.map_err(|e| {
            if e.is_too_large() { ApiError::TooLarge } else { ApiError::field("file", refusal(&name, &e)) }
        })?;
        Ok(s.store.scoped(actor).upload_attachment(&s.attachments, upload, entity, entity_id).await?)
    }
}

/// `文件“合同.exe”：不支持该文件类型…` — the file named as the user chose it.
fn refusal(name: &str, e: &domain::evidence::UploadError) -> String {
    let shown: String =
        name.rsplit(['/', '\\']).next().unwrap_or("").chars().filter(|c| !c.is_control()).take(60).collect();
    if shown.is_empty() { e.to_string() } else { format!("文件“{shown}”：{e}") }
}

/// The bytes of an attachment as a download: never shown inline, never sniffed.
pub fn download(a: &Attachment, bytes: Vec<u8>) -> Response {
    // an ASCII name for old clients; the real one in RFC 5987 form
    let ext = a.name.rsplit_once('.').map_or("", |(_, e)| e);
    let ascii = if ext.is_ascii() && !ext.is_empty() { format!("attachment.{ext}") } else { "attachment".into() };
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", crate::input::encode(&a.name));
    (
        [
            (header::CONTENT_TYPE, a.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

#[utoipa::path(post, path = "/api/v1/attachments", operation_id = "upload_attachment", tag = "attachments", security(("bearer" = ["attachment:write"])),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    responses((status = 201, description = "stored", body = Attachment),
        (status = 413, description = "over 50 MiB"), (status = 422, description = "type not allowed, extension disagrees, zip limits, bad entity")))]
pub async fn upload(
    db: Db<perm::AttachmentWrite>,
    mut mp: Multipart,
) -> NamedResult<(StatusCode, Json<Attachment>), table::Attachment> {
    let form = UploadForm::read(&mut mp).await?;
    Ok((StatusCode::CREATED, Json(form.store(&db.state, &db.caller.actor).await?)))
}

/// A file download (binary) in the document.
pub struct AttachmentFile;

impl utoipa::PartialSchema for AttachmentFile {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <super::Xlsx as utoipa::PartialSchema>::schema()
    }
}

impl ToSchema for AttachmentFile {}

#[utoipa::path(get, path = "/api/v1/attachments/{id}", operation_id = "download_attachment", tag = "attachments", security(("bearer" = ["attachment:read"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the file, Content-Disposition: attachment", content_type = "application/octet-stream", body = AttachmentFile)))]
pub async fn get(db: Db<perm::AttachmentRead>, Id(id): Id) -> ApiResult<Response> {
    let (a, bytes) = db.store().download_attachment(&db.state.attachments, id).await?;
    Ok(download(&a, bytes))
}

#[utoipa::path(delete, path = "/api/v1/attachments/{id}", operation_id = "delete_attachment", tag = "attachments", security(("bearer" = ["attachment:write"])),
    params(("id" = i64, Path)), responses((status = 204, description = "soft-deleted (the file is kept)")))]
pub async fn delete(db: Db<perm::AttachmentWrite>, Id(id): Id) -> ApiResult<StatusCode> {
    db.store().delete_attachment(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/projects/{id}/attachments", operation_id = "list_attachments", tag = "attachments", security(("bearer" = ["attachment:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "the case file (招商专案), newest first", body = Items<Attachment>)))]
pub async fn list(db: Db<perm::AttachmentRead>, Id(id): Id) -> ApiResult<Json<Items<Attachment>>> {
    Ok(Json(Items::of(db.store().list_attachments(id).await?)))
}
