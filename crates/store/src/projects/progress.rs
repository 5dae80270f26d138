//! 项目进展情况: the latest progress on a project, each change on its timeline.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, DatabaseTransaction, Set};

use crate::audit::{self, Event};
use crate::entity::{progress_note, project};
use crate::{Actor, Result, Store, StoreError};

/// The longest 项目进展情况 a project keeps.
pub const PROGRESS_MAX: usize = 2000;

impl Store {
    /// Record a new 项目进展情况 inside the caller's transaction: a dated timeline entry and
    /// the project's latest progress (a versioned change of the project row), audited.
    /// Blank text, or the same text as the latest, records nothing; else the project's new
    /// version is returned.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn add_progress_in(
        &self,
        txn: &DatabaseTransaction,
        actor: &Actor,
        id: i64,
        version: i32,
        latest: Option<&str>,
        date: NaiveDate,
        note: &str,
    ) -> Result<Option<i32>> {
        let note = note.trim();
        if note.is_empty() || latest == Some(note) {
            return Ok(None);
        }
        if note.chars().count() > PROGRESS_MAX {
            return Err(StoreError::field("progress", format!("项目进展情况不能超过{PROGRESS_MAX}个字符")));
        }
        let am = project::ActiveModel { progress: Set(Some(note.to_string())), ..Default::default() };
        let row = self.save_versioned(txn, am, id, version).await?;
        let n = progress_note::ActiveModel {
            project_id: Set(id),
            date: Set(date),
            note: Set(note.to_string()),
            created_by: Set(actor.user_id),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let after = serde_json::json!({ "date": n.date, "note": n.note, "before": latest });
        audit::record(txn, actor, Event::ok(domain::AuditAction::ProjectProgress, "project", id).after(&after)).await?;
        Ok(Some(row.version))
    }
}
