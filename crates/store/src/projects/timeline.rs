//! A project's timeline: creation, transitions, funds entries and progress notes, and the
//! landing work recorded only in the audit log (the city's review decisions, department
//! tasks, problems, agreements and clauses, the action plan's milestones, the work team,
//! attachments and 督办 items: who did what when).
//!
//! The audit records are read through `ix_audit_entity (entity, entity_id)`, with the ids of
//! the project's records, so a project's timeline costs the same at 100,000 projects.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::{Money, Permission, Stage};
use sea_orm::{ColumnTrait, EntityTrait, Order, QueryFilter, QuerySelect};
use serde::Serialize;

use crate::entity::{funds_entry, progress_note, transition};
use crate::handle::child_rows;
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
    /// For the events of `review`, `task`, `problem`, `agreement`, `clause`, `milestone`,
    /// `team`, `attachment` and `supervision`: the audit action (`review.return`,
    /// `task.update`, `attachment.delete`, …).
    pub action: Option<String>,
    /// A task's, problem's, clause's or 督办 item's status after the event.
    pub status: Option<String>,
    /// A milestone's due date, a 督办 item's deadline (办理期限).
    pub due_on: Option<NaiveDate>,
    /// A milestone's done date (实际完成日期) after the event.
    pub done_on: Option<NaiveDate>,
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
            due_on: None,
            done_on: None,
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
        let ts = child_rows::<transition::Entity>(db, transition::Column::ProjectId, id, None, &by_id).await?;
        let by_id = [(progress_note::Column::Id, Order::Asc)];
        let notes = child_rows::<progress_note::Entity>(db, progress_note::Column::ProjectId, id, None, &by_id).await?;
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
        let funds = child_rows::<funds_entry::Entity>(db, ProjectId, id, Some(DeletedAt), &[]).await?;
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

    /// The audit records of the project's claims, tasks, problems, agreements, clauses,
    /// milestones, work team, 运行监测, attachments and 督办 items that the actor may see, as events:
    /// each with its author and a note from what it wrote. A department sees its own tasks
    /// and problems (and the files on those problems), no review decisions, no milestones,
    /// team or 督办; 督办 items need warning:read.
    async fn landing_events(&self, id: i64) -> Result<Vec<TimelineEvent>> {
        use crate::entity::audit_record;
        use crate::reviews::ReviewFilter;
        let today = domain::today_shanghai();
        let department = matches!(self.actor.scope, crate::Scope::Department(_));
        // (kind, audited entity, its ids, the actions shown: all when empty)
        let mut of: Vec<(&'static str, &'static str, Vec<i64>, &'static [&'static str])> = vec![];
        if self.may(Permission::ReviewRead) {
            let f = ReviewFilter { project_id: Some(id), ..ReviewFilter::default() };
            of.push(("review", "review", self.list_reviews(&f).await?.items.iter().map(|r| r.id).collect(), &[]));
        }
        if self.may(Permission::TaskRead) {
            let tasks = self.list_project_tasks(id, today).await?;
            of.push(("task", "dept_task", tasks.iter().map(|t| t.id).collect(), &[]));
        }
        let mut problems = vec![];
        if self.may(Permission::ProblemRead) {
            problems = self.list_project_problems(id, today).await?.iter().map(|p| p.id).collect();
            of.push(("problem", "problem", problems.clone(), &[]));
        }
        let agreements = self.list_agreements(id, today).await?.agreements;
        of.push(("agreement", "agreement", agreements.iter().map(|a| a.id).collect(), &[]));
        let clauses = agreements.iter().flat_map(|a| a.clauses.iter().map(|c| c.id)).collect();
        of.push(("clause", "clause", clauses, &[]));
        if !department {
            of.push(("milestone", "milestone", self.milestone_ids(id).await?, &[]));
            of.push(("team", "project", vec![id], &["team.update"]));
            of.push(("outcome", "project", vec![id], &["outcome.record"]));
        }
        if self.may(Permission::AttachmentRead) {
            let files = self.attachment_ids(id, department.then_some(problems.as_slice())).await?;
            of.push(("attachment", "attachment", files, &["attachment.upload", "attachment.delete"]));
        }
        if self.may(Permission::WarningRead) && !department {
            of.push(("supervision", "supervision", self.supervision_ids(id).await?, &[]));
        }
        let mut rows: Vec<(&'static str, audit_record::Model)> = vec![];
        for (kind, entity, ids, actions) in of {
            for chunk in ids.chunks(500) {
                let mut q = audit_record::Entity::find()
                    .filter(audit_record::Column::Entity.eq(entity))
                    .filter(audit_record::Column::EntityId.is_in(chunk.iter().map(i64::to_string)))
                    .filter(audit_record::Column::Result.eq("ok"));
                if !actions.is_empty() {
                    q = q.filter(audit_record::Column::Action.is_in(actions.iter().copied()));
                }
                rows.extend(q.all(self.store.db()).await?.into_iter().map(|r| (kind, r)));
            }
        }
        rows.sort_by_key(|(_, r)| r.id);
        let names = self.store.user_names(rows.iter().filter_map(|(_, r)| r.user_id).collect()).await?;
        Ok(rows
            .into_iter()
            .map(|(kind, r)| {
                let by = r.user_id.and_then(|u| names.get(&u).cloned()).or(r.username.clone());
                TimelineEvent { by, ..audit_event(kind, r) }
            })
            .collect())
    }

    /// The ids of the project's milestones.
    async fn milestone_ids(&self, id: i64) -> Result<Vec<i64>> {
        use crate::entity::milestone::{Column, Entity};
        let q = Entity::find().select_only().column(Column::Id).filter(Column::ProjectId.eq(id));
        Ok(q.into_tuple::<i64>().all(self.store.db()).await?)
    }

    /// The ids of the project's attachments, the deleted ones too (their upload and their
    /// deletion are events); `on_problems`: only those on these problems.
    async fn attachment_ids(&self, id: i64, on_problems: Option<&[i64]>) -> Result<Vec<i64>> {
        use crate::entity::attachment::{Column, Entity};
        let mut q = Entity::find().select_only().column(Column::Id).filter(Column::ProjectId.eq(id));
        if let Some(problems) = on_problems {
            if problems.is_empty() {
                return Ok(vec![]);
            }
            let kind = domain::evidence::AttachedTo::Problem.code();
            q = q.filter(Column::Entity.eq(kind)).filter(Column::EntityId.is_in(problems.iter().copied()));
        }
        Ok(q.into_tuple::<i64>().all(self.store.db()).await?)
    }

    /// The ids of the project's 督办 items.
    async fn supervision_ids(&self, id: i64) -> Result<Vec<i64>> {
        use crate::supervisions::entity::{Column, Entity};
        let q = Entity::find().select_only().column(Column::Id).filter(Column::ProjectId.eq(id));
        Ok(q.into_tuple::<i64>().all(self.store.db()).await?)
    }
}

/// One audit record of the project's landing work as an event of `kind` (without its
/// author): the note, status and dates read from what the record wrote.
fn audit_event(kind: &'static str, r: crate::entity::audit_record::Model) -> TimelineEvent {
    let parse =
        |s: Option<&str>| -> serde_json::Value { s.and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default() };
    // a deletion records only what was there before
    let after = if r.action == "attachment.delete" { parse(r.before.as_deref()) } else { parse(r.after.as_deref()) };
    // a resubmission records {"review": …, "corrections": …}
    let after = if after.get("review").is_some() { after["review"].clone() } else { after };
    let text = |k: &str| after.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let date = |k: &str| after.get(k).and_then(|v| v.as_str()).and_then(|d| d.parse::<NaiveDate>().ok());
    let note = match r.action.as_str() {
        "review.return" => text("comment"),
        "task.create" | "problem.create" | "agreement.create" | "milestone.create" | "milestone.update" => {
            text("title")
        }
        "task.update" => text("reply"),
        "problem.update" => text("resolution"),
        "clause.status" => text("number").map(|n| format!("第{n}条")),
        "attachment.upload" | "attachment.delete" => text("name"),
        "supervision.create" => text("instruction"),
        "supervision.reply" => text("reply"),
        "team.update" => team_note(&after),
        "outcome.record" => after.get("year").and_then(|v| v.as_i64()).map(|y| format!("{y}年度")),
        _ => None,
    };
    let (due_on, done_on) = match kind {
        "milestone" => (date("due_on"), date("done_on")),
        "supervision" => (date("deadline"), None),
        _ => (None, None),
    };
    TimelineEvent {
        note,
        review_state: if kind == "review" { text("state") } else { None },
        status: if kind == "review" || kind == "agreement" { None } else { text("status") },
        due_on,
        done_on,
        action: Some(r.action),
        ..TimelineEvent::new(kind, domain::shanghai_date(r.at), r.at)
    }
}

/// The members of a work team as its audit record lists them: "王某（组长）、李某".
fn team_note(members: &serde_json::Value) -> Option<String> {
    let names: Vec<String> = members
        .as_array()?
        .iter()
        .filter_map(|m| {
            let name = m.get("name")?.as_str()?;
            let leader = m.get("is_leader").and_then(|v| v.as_bool()).unwrap_or(false);
            Some(if leader { format!("{name}（组长）") } else { name.to_string() })
        })
        .collect();
    (!names.is_empty()).then(|| names.join("、"))
}

impl Store {
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
