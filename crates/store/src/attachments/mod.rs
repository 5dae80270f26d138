//! Evidence files (附件; domain.md §4 审核 and 四个一's 招商专案; security.md §14): the
//! checked upload, the folder the bytes live in, the scoped reads. Writes are in `write.rs`.
//!
//! The bytes are kept under generated names (`domain::evidence::StoredName`) in a folder of
//! the data directory that no route serves; the row carries the display name, type, size,
//! SHA-256, uploader and time. Every attachment is reached through its project
//! (`project_row`), so 403/404 are those of the project.

mod folder;
mod write;

use chrono::{DateTime, Utc};
use domain::Permission;
use domain::evidence::{AttachedTo, Detected, UploadError, UploadLimits};
use sea_orm::{EntityTrait, Order};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use folder::Folder;

use crate::entity::attachment;
use crate::{Result, Scoped, StoreError};

/// One attachment as the API answers it and the case file lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Attachment {
    pub id: i64,
    /// What it belongs to: project | transition | funds | clause | problem | milestone | activity.
    pub entity: String,
    pub entity_id: i64,
    /// The owning project (none: an activity's file).
    pub project_id: Option<i64>,
    /// The display name (never a path).
    pub name: String,
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    /// The uploader's name (姓名).
    pub uploaded_by: Option<String>,
    pub uploaded_at: DateTime<Utc>,
}

impl Attachment {
    pub(crate) fn of(m: attachment::Model, uploader: Option<String>) -> Attachment {
        Attachment {
            id: m.id,
            entity: m.entity,
            entity_id: m.entity_id,
            project_id: m.project_id,
            name: m.name,
            content_type: m.content_type,
            size: m.size,
            sha256: m.sha256,
            uploaded_by: uploader,
            uploaded_at: m.uploaded_at,
        }
    }

    /// The Chinese label of its type (PDF 文档, Excel 表格 …), by its media type.
    pub fn type_label(&self) -> &'static str {
        domain::evidence::FileType::ALL
            .iter()
            .find(|t| t.content_type() == self.content_type)
            .map_or("文件", |t| t.label())
    }
}

/// An upload that passed `domain::evidence::check_upload`: only this can be stored.
pub struct Upload {
    bytes: Vec<u8>,
    detected: Detected,
    name: String,
    sha256: String,
}

impl Upload {
    /// Size, type by magic bytes, zip limits and the extension, then the display name and
    /// the SHA-256 (security.md §14).
    pub fn check(bytes: Vec<u8>, declared_name: &str, limits: &UploadLimits) -> Result<Upload, UploadError> {
        let detected = domain::evidence::check_upload(&bytes, declared_name, limits)?;
        let name = domain::evidence::display_name(declared_name, detected.file_type);
        let sha256 = hex::encode(Sha256::digest(&bytes));
        Ok(Upload { bytes, detected, name, sha256 })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn sha256(&self) -> &str {
        &self.sha256
    }
}

/// The `entity` of an upload: 422 naming `entity` when unknown.
pub fn attached_to(entity: &str) -> Result<AttachedTo> {
    AttachedTo::parse(entity.trim())
        .ok_or_else(|| StoreError::field("entity", format!("所属对象应为以下之一：{}", AttachedTo::CODES.join("、"))))
}

impl Scoped<'_> {
    /// The case file (招商专案): every live attachment of a project and of its records,
    /// newest first.
    pub async fn list_attachments(&self, project_id: i64) -> Result<Vec<Attachment>> {
        use attachment::Column::{DeletedAt, Id, ProjectId, UploadedAt};
        let (cols, order) = ((ProjectId, Some(DeletedAt)), [(UploadedAt, Order::Desc), (Id, Order::Desc)]);
        let rows = self.children::<attachment::Entity>(project_id, Permission::AttachmentRead, cols, &order).await?;
        self.attachment_views(rows).await
    }

    /// The views of attachment rows, each with its uploader's name.
    pub(crate) async fn attachment_views(&self, rows: Vec<attachment::Model>) -> Result<Vec<Attachment>> {
        let names = self.store.user_names(rows.iter().filter_map(|r| r.uploaded_by).collect()).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let by = r.uploaded_by.and_then(|u| names.get(&u).cloned());
                Attachment::of(r, by)
            })
            .collect())
    }

    /// A live attachment in scope (`perm` on its project, or on its activity with
    /// activity:read): 404 unknown or deleted.
    pub(crate) async fn attachment_row(&self, id: i64, perm: Permission) -> Result<attachment::Model> {
        let row = attachment::Entity::find_by_id(id).one(self.store.db()).await?;
        let Some(row) = row.filter(|r| r.deleted_at.is_none()) else {
            return Err(StoreError::NotFound);
        };
        self.attachment_owner(self.store.db(), &row, perm, Permission::ActivityRead).await?;
        Ok(row)
    }

    /// The scope check of an attachment's owner: its project with `perm`, or its activity
    /// with `perm` and `activity` (read or write).
    pub(crate) async fn attachment_owner<C: sea_orm::ConnectionTrait>(
        &self,
        db: &C,
        row: &attachment::Model,
        perm: Permission,
        activity: Permission,
    ) -> Result<()> {
        match (row.project_id, AttachedTo::parse(&row.entity)) {
            (None, Some(AttachedTo::Activity)) => {
                self.require(perm)?;
                self.unit_owned::<crate::entity::activity::Entity, _>(db, row.entity_id, activity).await.map(|_| ())
            }
            (Some(p), _) => self.project_row_on(db, p, perm).await.map(|_| ()),
            (None, _) => Err(StoreError::NotFound),
        }
    }
}
