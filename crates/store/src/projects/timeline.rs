//! A project's timeline: creation, transitions, funds entries and progress notes, and the
//! landing work recorded only in the audit log (the city's review decisions, department
//! tasks, problems, agreements and clauses: who did what when).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::{Money, Permission, Stage};
use sea_orm::{ColumnTrait, EntityTrait, Order, QueryFilter};
use serde::Serialize;

use crate::entity::{funds_entry, progress_note, transition};
use crate::handle::project_children;
use crate::{Result, Scoped, Store};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TimelineEvent {
    pub kind: &'static str,
    pub date: NaiveDate,
    pub at: DateTime<Utc>,
    #[schema(value_type = Option<String>)]
    pub from: Option<Stage>,
    #[schema(value_type = Option<String>)]
    pub to: Option<Stage>,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub correction: bool,
    pub review_state: Option<String>,
    #[schema(value_type = Option<String>)]
    pub amount: Option<Money>,
    pub funds_kind: Option<String>,
    pub by: Option<String>,
    /// For the events of `review`, `task`, `problem`, `agreement` and `clause`: the audit
    /// action (`review.return`, `task.update`, …).
    pub action: Option<String>,
    /// A task's, problem's or clause's status after the event.
    pub status: Option<String>,
}

impl TimelineEvent {
    /// An event of `kind` on `date`, recorded `at`, nothing else set.
    fn new(kind: &'static str, date: NaiveDate, at: DateTime<Utc>) -> TimelineEvent {
        TimelineEvent {
            kind,
            date,
            at,
            from: None,
            to: None,
            note: None,
            reason: None,
            correction: false,
            review_state: None,
            amount: None,
            funds_kind: None,
            by: None,
            action: None,
            status: None,
        }
    }
}

impl Scoped<'_> {
    /// Transitions, funds entries, progress notes and creation, oldest first.
    pub async fn timeline(&self, id: i64) -> Result<Vec<TimelineEvent>> {
        let row = self.project_row(id, Permission::ProjectRead).await?;
        let db = self.store.db();
        let created = TimelineEvent::new("created", domain::shanghai_date(row.created_at), row.created_at);
        let mut events = vec![TimelineEvent { to: Some(Stage::Reserve), by: self.creator(id).await?, ..created }];
        let by_id = [(transition::Column::Id, Order::Asc)];
        let ts = project_children::<transition::Entity>(db, transition::Column::ProjectId, id, None, &by_id).await?;
        let by_id = [(progress_note::Column::Id, Order::Asc)];
        let notes =
            project_children::<progress_note::Entity>(db, progress_note::Column::ProjectId, id, None, &by_id).await?;
        let by: Vec<i64> =
            ts.iter().filter_map(|t| t.created_by).chain(notes.iter().filter_map(|n| n.created_by)).collect();
        let names = self.store.user_names(by).await?;
        let name = |u: Option<i64>| u.and_then(|u| names.get(&u).cloned());
        for t in ts {
            events.push(TimelineEvent {
                from: Stage::parse(&t.from_stage),
                to: Stage::parse(&t.to_stage),
                note: t.note,
                reason: t.reason,
                correction: t.correction,
                review_state: Some(t.review_state),
                by: name(t.created_by),
                ..TimelineEvent::new("transition", t.date, t.created_at)
            });
        }
        use funds_entry::Column::{DeletedAt, ProjectId};
        let funds = project_children::<funds_entry::Entity>(db, ProjectId, id, Some(DeletedAt), &[]).await?;
        for f in funds {
            events.push(TimelineEvent {
                note: f.note,
                review_state: Some(f.review_state),
                amount: Some(Money::from_hundredths(f.amount)),
                funds_kind: Some(f.kind),
                ..TimelineEvent::new("funds", f.date, f.created_at)
            });
        }
        for n in notes {
            events.push(TimelineEvent {
                note: Some(n.note),
                by: name(n.created_by),
                ..TimelineEvent::new("progress", n.date, n.created_at)
            });
        }
        events.extend(self.landing_events(id).await?);
        // Creation first; then by calendar date (history is often entered afterwards, with
        // earlier dates), then by when it was recorded.
        events[1..].sort_by_key(|a| (a.date, a.at));
        Ok(events)
    }
}

impl Scoped<'_> {
    /// Who created the project, from its `project.create` audit record (none for a
    /// project of a ledger import, audited as one record of the whole import).
    async fn creator(&self, id: i64) -> Result<Option<String>> {
        use crate::entity::audit_record;
        let rec = audit_record::Entity::find()
            .filter(audit_record::Column::Entity.eq("project"))
            .filter(audit_record::Column::EntityId.eq(id.to_string()))
            .filter(audit_record::Column::Action.eq(domain::AuditAction::ProjectCreate.code()))
            .one(self.store.db())
            .await?;
        let Some(rec) = rec else { return Ok(None) };
        let names = self.store.user_names(rec.user_id.into_iter().collect()).await?;
        Ok(rec.user_id.and_then(|u| names.get(&u).cloned()).or(rec.username))
    }

    /// The audit records of the project's claims, tasks, problems, agreements and clauses
    /// that the actor may see (a department: its own tasks and problems; no review events
    /// without review:read), as events: each with its author and a note from what it wrote.
    async fn landing_events(&self, id: i64) -> Result<Vec<TimelineEvent>> {
        use crate::entity::audit_record;
        use crate::reviews::ReviewFilter;
        let today = domain::today_shanghai();
        let mut of: Vec<(&'static str, &'static str, Vec<i64>)> = vec![];
        if self.may(Permission::ReviewRead) {
            let f = ReviewFilter { project_id: Some(id), ..ReviewFilter::default() };
            of.push(("review", "review", self.list_reviews(&f).await?.items.iter().map(|r| r.id).collect()));
        }
        if self.may(Permission::TaskRead) {
            of.push(("task", "dept_task", self.list_project_tasks(id, today).await?.iter().map(|t| t.id).collect()));
        }
        if self.may(Permission::ProblemRead) {
            let problems = self.list_project_problems(id, today).await?;
            of.push(("problem", "problem", problems.iter().map(|p| p.id).collect()));
        }
        let agreements = self.list_agreements(id, today).await?.agreements;
        of.push(("agreement", "agreement", agreements.iter().map(|a| a.id).collect()));
        of.push(("clause", "clause", agreements.iter().flat_map(|a| a.clauses.iter().map(|c| c.id)).collect()));
        let mut rows: Vec<(&'static str, audit_record::Model)> = vec![];
        for (kind, entity, ids) in of {
            for chunk in ids.chunks(500) {
                let found = audit_record::Entity::find()
                    .filter(audit_record::Column::Entity.eq(entity))
                    .filter(audit_record::Column::EntityId.is_in(chunk.iter().map(i64::to_string)))
                    .filter(audit_record::Column::Result.eq("ok"))
                    .all(self.store.db())
                    .await?;
                rows.extend(found.into_iter().map(|r| (kind, r)));
            }
        }
        rows.sort_by_key(|(_, r)| r.id);
        let names = self.store.user_names(rows.iter().filter_map(|(_, r)| r.user_id).collect()).await?;
        Ok(rows
            .into_iter()
            .map(|(kind, r)| {
                let after: serde_json::Value =
                    r.after.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default();
                // a resubmission records {"review": …, "corrections": …}
                let after = if after.get("review").is_some() { after["review"].clone() } else { after };
                let text = |k: &str| after.get(k).and_then(|v| v.as_str()).map(str::to_string);
                let note = match r.action.as_str() {
                    "review.return" => text("comment"),
                    "task.create" | "problem.create" | "agreement.create" => text("title"),
                    "task.update" => text("reply"),
                    "problem.update" => text("resolution"),
                    "clause.status" => text("number").map(|n| format!("第{n}条")),
                    _ => None,
                };
                TimelineEvent {
                    note,
                    review_state: if kind == "review" { text("state") } else { None },
                    status: if kind == "review" || kind == "agreement" { None } else { text("status") },
                    by: r.user_id.and_then(|u| names.get(&u).cloned()).or(r.username.clone()),
                    action: Some(r.action),
                    ..TimelineEvent::new(kind, domain::shanghai_date(r.at), r.at)
                }
            })
            .collect())
    }
}

impl Store {
    pub(crate) async fn user_names(&self, ids: Vec<i64>) -> Result<HashMap<i64, String>> {
        use crate::entity::user;
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = user::Entity::find().filter(user::Column::Id.is_in(ids)).all(self.db()).await?;
        Ok(rows.into_iter().map(|u| (u.id, u.display_name)).collect())
    }

    /// The names of these projects (`live_only`: not the deleted ones), by id.
    pub(crate) async fn project_names(&self, ids: Vec<i64>, live_only: bool) -> Result<HashMap<i64, String>> {
        use sea_orm::QuerySelect;

        use crate::entity::project;
        let mut q = project::Entity::find().select_only().column(project::Column::Id).column(project::Column::Name);
        q = q.filter(project::Column::Id.is_in(ids));
        if live_only {
            q = q.filter(project::Column::DeletedAt.is_null());
        }
        Ok(q.into_tuple::<(i64, String)>().all(self.db()).await?.into_iter().collect())
    }
}
