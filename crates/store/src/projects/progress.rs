//! 项目进展情况: the latest progress on a project, each change on its timeline.

use chrono::NaiveDate;
use domain::fields::PROGRESS;
use sea_orm::{ActiveModelTrait, Set};

use crate::audit::Event;
use crate::entity::{progress_note, project};
use crate::{Result, StoreError, Tx};

impl Tx<'_> {
    /// Record a new 项目进展情况: a dated timeline entry and the project's latest progress
    /// (a versioned change of the project row), audited. Blank text, or the same text as
    /// the latest, records nothing; else the project's new version is returned. The caller
    /// (the importer) has read the project in scope.
    pub(crate) async fn add_progress(
        &self,
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
        if let Some(message) = PROGRESS.len_error("progress", note) {
            return Err(StoreError::field("progress", message));
        }
        let am = project::ActiveModel { progress: Set(Some(note.to_string())), ..Default::default() };
        let row = self.store().save_versioned(&self.txn, am, id, version).await?;
        let n = progress_note::ActiveModel {
            project_id: Set(id),
            date: Set(date),
            note: Set(note.to_string()),
            created_by: Set(self.actor().user_id),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(&self.txn)
        .await?;
        let after = serde_json::json!({ "date": n.date, "note": n.note, "before": latest });
        self.audit(Event::ok(domain::AuditAction::ProjectProgress, "project", id).after(&after)).await?;
        Ok(Some(row.version))
    }
}
