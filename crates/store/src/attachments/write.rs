//! Upload, download (audited) and soft delete of attachments.

use domain::evidence::{AttachedTo, StoredName};
use domain::{AuditAction, Permission, Role};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, Statement};

use super::{Attachment, Folder, Upload};
use crate::audit::Event;
use crate::entity::{attachment, user};
use crate::handle::one_shot;
use crate::{Result, Scoped, StoreError, Tx};

/// The table whose `project_id` column owns a record of `kind` (None: the project itself).
fn owner_table(kind: AttachedTo) -> Option<&'static str> {
    match kind {
        AttachedTo::Project | AttachedTo::Activity => None,
        AttachedTo::Transition => Some("transitions"),
        AttachedTo::Funds => Some("funds_entries"),
        AttachedTo::Clause => Some("clauses"),
        AttachedTo::Problem => Some("problems"),
        AttachedTo::Milestone => Some("milestones"),
    }
}

impl Scoped<'_> {
    /// Store an upload on a record of a live project in scope: the file first (temporary
    /// file, fsync, rename), then the row and its audit record in one transaction; when
    /// that transaction fails, the file is removed again.
    pub async fn upload_attachment(
        &self,
        folder: &Folder,
        upload: Upload,
        entity: AttachedTo,
        entity_id: i64,
    ) -> Result<Attachment> {
        let by = self.store.user_names(self.actor.user_id.into_iter().collect()).await?.into_values().next();
        let tx = self.begin().await?;
        let project_id = tx.attachment_project(entity, entity_id).await?;
        let Upload { bytes, detected, name, sha256 } = upload;
        let size = i64::try_from(bytes.len()).map_err(|_| StoreError::field("file", "文件过大"))?;
        let stored = folder.save(bytes).await?;
        let row = attachment::ActiveModel {
            entity: Set(entity.code().into()),
            entity_id: Set(entity_id),
            project_id: Set(project_id),
            name: Set(name),
            stored_name: Set(stored.as_str().into()),
            content_type: Set(detected.file_type.content_type().into()),
            size: Set(size),
            sha256: Set(sha256),
            uploaded_by: Set(self.actor.user_id),
            uploaded_at: Set(crate::now()),
            deleted_at: Set(None),
            ..Default::default()
        };
        let done: Result<Attachment> = async {
            let m = row.insert(&tx.txn).await?;
            let a = Attachment::of(m, by);
            tx.audit(Event::ok(AuditAction::AttachmentUpload, "attachment", a.id).after(&a)).await?;
            tx.commit().await?;
            Ok(a)
        }
        .await;
        if done.is_err() {
            folder.remove(&stored).await;
        }
        done
    }

    /// The bytes of an attachment in scope, checked against their SHA-256; the download is
    /// audited (`attachment.download`) before the bytes leave.
    pub async fn download_attachment(&self, folder: &Folder, id: i64) -> Result<(Attachment, Vec<u8>)> {
        let row = self.attachment_row(id, Permission::AttachmentRead).await?;
        let stored = StoredName::parse(&row.stored_name).ok_or_else(|| corrupt(id, "stored name"))?;
        let bytes = folder.read(&stored).await?;
        if hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)) != row.sha256 {
            return Err(corrupt(id, "SHA-256 differs"));
        }
        let a = Attachment::of(row, None);
        self.audit_alone(Event::ok(AuditAction::AttachmentDownload, "attachment", id).after(&a)).await?;
        Ok((a, bytes))
    }
}

fn corrupt(id: i64, what: &str) -> StoreError {
    StoreError::Db(sea_orm::DbErr::Custom(format!("attachment {id}: {what}")))
}

one_shot! {
    write fn delete_attachment(id: i64) -> ();
}

impl Tx<'_> {
    /// The project owning `entity_id` of `kind`, checked live and in scope for
    /// `attachment:write` (403/404 as the project's; a deleted project 409); `None` for an
    /// activity, checked in scope for `activity:write` (403/404 as the activity's).
    pub(crate) async fn attachment_project(&self, kind: AttachedTo, entity_id: i64) -> Result<Option<i64>> {
        let project_id = match owner_table(kind) {
            None if kind == AttachedTo::Activity => {
                self.s.require(Permission::AttachmentWrite)?;
                self.s
                    .unit_owned::<crate::entity::activity::Entity, _>(&self.txn, entity_id, Permission::ActivityWrite)
                    .await?;
                return Ok(None);
            }
            None => entity_id,
            Some(table) => {
                let sql = format!("SELECT project_id AS n FROM {table} WHERE id = {}", self.store().ph(1));
                let st = Statement::from_sql_and_values(self.store().backend(), sql, [entity_id.into()]);
                let row = self.txn.query_one_raw(st).await?.ok_or(StoreError::NotFound)?;
                row.try_get::<i64>("", "n")?
            }
        };
        self.live_project_row(project_id, Permission::AttachmentWrite, "项目已删除，不能再上传附件").await?;
        Ok(Some(project_id))
    }

    /// Soft delete (the file is kept): the uploader's unit or city_admin.
    pub async fn delete_attachment(&self, id: i64) -> Result<()> {
        let row = attachment::Entity::find_by_id(id).one(&self.txn).await?;
        let Some(row) = row.filter(|r| r.deleted_at.is_none()) else {
            return Err(StoreError::NotFound);
        };
        self.s.attachment_owner(&self.txn, &row, Permission::AttachmentWrite, Permission::ActivityWrite).await?;
        let actor = self.actor();
        if !actor.has_role(Role::CityAdmin) {
            let uploader = match row.uploaded_by {
                Some(u) => user::Entity::find_by_id(u).one(&self.txn).await?,
                None => None,
            };
            let same_unit = matches!((uploader.and_then(|u| u.unit_id), actor.unit_id), (Some(a), Some(b)) if a == b);
            if !same_unit {
                return Err(StoreError::Forbidden);
            }
        }
        let before = Attachment::of(row.clone(), None);
        let mut m: attachment::ActiveModel = row.into();
        m.deleted_at = Set(Some(crate::now()));
        m.update(&self.txn).await?;
        self.audit(Event::ok(AuditAction::AttachmentDelete, "attachment", id).before(&before)).await?;
        Ok(())
    }
}
