//! 项目进展情况: the latest progress on a project, each change on its timeline.

use chrono::NaiveDate;
use domain::Permission;
use domain::fields::PROGRESS;
use sea_orm::{ActiveModelTrait, Set};
use serde::Serialize;

use crate::audit::Event;
use crate::entity::{progress_note, project};
use crate::handle::one_shot;
use crate::{Result, StoreError, Tx};

/// A 进展 recorded on a project: the note, its day, and the project's new version.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProgressNote {
    pub project_id: i64,
    pub date: NaiveDate,
    pub progress: String,
    pub version: i32,
}

one_shot! {
    write
    /// A unit's 跟进记录 on a live project in scope (domain.md §7: a follow-up resets 长期无进展).
    fn add_progress_note(project_id: i64, date: Option<NaiveDate>, progress: String, today: NaiveDate) -> ProgressNote;
}

impl Tx<'_> {
    /// A follow-up on `date` (default today; not in the future), by the project's unit or the
    /// city: 422 for blank or over-long text or the same text as the latest, audited as
    /// `project.progress`.
    pub async fn add_progress_note(
        &self,
        project_id: i64,
        date: Option<NaiveDate>,
        progress: String,
        today: NaiveDate,
    ) -> Result<ProgressNote> {
        let mut errors = vec![];
        PROGRESS.check_required("progress", &progress, &mut errors);
        let date = date.unwrap_or(today);
        if date > today {
            errors.push(domain::FieldError::new("date", "日期不能晚于今天"));
        }
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let p = self.live_project_row(project_id, Permission::ProjectWrite, "项目已删除").await?;
        match self.add_progress(p.id, p.version, p.progress.as_deref(), date, &progress).await? {
            Some(version) => Ok(ProgressNote { project_id, date, progress: progress.trim().to_string(), version }),
            None => Err(StoreError::field("progress", "与最近一次进展相同，无需重复记录")),
        }
    }

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
