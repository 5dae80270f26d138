//! 招商专案 (the case file, 四个一) on the project page: the list of a project's evidence
//! files with their download links, and the upload form (multipart; the CSRF token is a
//! field of the form, checked before anything is stored). Downloads go through the same
//! scoped, audited store call as the API's.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::Response;
use domain::Permission;

use super::{FormData, Page, PageUpload, UiResult, fmt, see_other};
use crate::api::attachments::UploadForm;
use crate::auth::perm;
use crate::error::ApiError;
use crate::input::Id;

/// One file of the case file, as the page shows it.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub size: String,
    pub by: String,
    pub at: String,
}

/// The 招商专案 section of a project page.
#[derive(Debug, Clone, Default)]
pub struct CaseFile {
    /// The section is shown (the user holds `attachment:read`).
    pub shown: bool,
    pub rows: Vec<Row>,
    /// The upload form is shown (`attachment:write`, a live project).
    pub can_upload: bool,
    /// What the file chooser offers (the types are told by their bytes on the server).
    pub accept: String,
}

/// `1.5 MiB`, `12.0 KiB`, `512 字节` (tenths rounded down, in integers).
/// An evidence upload's `accept`: every extension of every file type taken.
pub fn accept() -> String {
    let extensions = domain::evidence::FileType::ALL.iter().flat_map(|t| t.extensions().iter());
    extensions.map(|e| format!(".{e}")).collect::<Vec<_>>().join(",")
}

fn size(bytes: i64) -> String {
    let b = u64::try_from(bytes).unwrap_or(0);
    let (div, unit) = match b {
        0..1024 => return format!("{b} 字节"),
        1024..1_048_576 => (1024, "KiB"),
        _ => (1_048_576, "MiB"),
    };
    let tenths = b.saturating_mul(10) / div;
    format!("{}.{} {unit}", tenths / 10, tenths % 10)
}

/// The case file of project `id` for the page's user (empty and hidden without
/// `attachment:read`).
pub async fn case_file<P: crate::auth::Perm>(page: &Page<P>, id: i64, live: bool) -> UiResult<CaseFile> {
    if !page.can(Permission::AttachmentRead) {
        return Ok(CaseFile::default());
    }
    let rows = page
        .store()
        .list_attachments(id)
        .await?
        .into_iter()
        .map(|a| Row {
            id: a.id,
            kind: a.type_label(),
            size: size(a.size),
            by: a.uploaded_by.clone().unwrap_or_default(),
            at: fmt::at(a.uploaded_at),
            name: a.name,
        })
        .collect();
    let accept = accept();
    Ok(CaseFile { shown: true, rows, can_upload: live && page.can(Permission::AttachmentWrite), accept })
}

/// An evidence file a page posts onto `entity` `id`: CSRF first (a multipart field), then the
/// checks of the API. The page, and Ok when stored, else the refusal to show beside the form
/// (413/422); any other error is the request's.
pub async fn receive(
    mut up: PageUpload<perm::AttachmentWrite>,
    entity: &str,
    id: i64,
) -> UiResult<(Page<perm::AttachmentWrite>, Result<(), (StatusCode, String)>)> {
    let read = UploadForm::read(&mut up.form).await;
    // a file over the limit stops the reading before the token may have been seen
    if !matches!(read, Err(ApiError::TooLarge)) {
        up.check_csrf(read.as_ref().map_or("", |f| f.csrf.as_str()))?;
    }
    let page = up.page;
    let result = match read {
        Ok(form) => {
            UploadForm { entity: entity.into(), entity_id: id.to_string(), ..form }
                .store(&page.state, &page.actor)
                .await
        }
        Err(e) => Err(e),
    };
    let refused = match result {
        Ok(_) => return Ok((page, Ok(()))),
        Err(ApiError::TooLarge) => {
            let max = page.state.config.attachment_limits.max_bytes / (1024 * 1024);
            (StatusCode::PAYLOAD_TOO_LARGE, format!("文件过大，附件上限为 {max} MiB"))
        }
        Err(ApiError::Validation(f)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, f.into_values().collect::<Vec<_>>().join("；"))
        }
        Err(e) => return Err(e.into()),
    };
    Ok((page, Err(refused)))
}

/// The upload onto the project itself; a refused file is shown beside the form, a stored one
/// in the list.
pub async fn upload(Id(id): Id, up: PageUpload<perm::AttachmentWrite>) -> UiResult<Response> {
    let (page, r) = receive(up, "project", id).await?;
    let Err((status, message)) = r else { return Ok(see_other(&format!("/projects/{id}#case-file"))) };
    let errors = BTreeMap::from([("file".to_string(), message)]);
    super::project::again(page, id, "info", errors, &FormData(BTreeMap::new()), status).await
}

/// A download from the page (the session cookie), scoped and audited like the API's.
pub async fn download(page: Page<perm::AttachmentRead>, Id(id): Id) -> UiResult<Response> {
    let (a, bytes) = page.store().download_attachment(&page.state.attachments, id).await?;
    Ok(crate::api::attachments::download(&a, bytes))
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_as_people_read_them() {
        assert_eq!(super::size(512), "512 字节");
        assert_eq!(super::size(1536), "1.5 KiB");
        assert_eq!(super::size(3 * 1_048_576 + 104_858), "3.1 MiB");
        assert_eq!(super::size(-1), "0 字节");
    }
}
