//! A project's timeline: creation, transitions, funds entries and progress notes.

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
        }
    }
}

impl Scoped<'_> {
    /// Transitions, funds entries, progress notes and creation, oldest first.
    pub async fn timeline(&self, id: i64) -> Result<Vec<TimelineEvent>> {
        let row = self.project_row(id, Permission::ProjectRead).await?;
        let db = self.store.db();
        let created = TimelineEvent::new("created", domain::shanghai_date(row.created_at), row.created_at);
        let mut events = vec![TimelineEvent { to: Some(Stage::Reserve), ..created }];
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
        // Creation first; then by calendar date (history is often entered afterwards, with
        // earlier dates), then by when it was recorded.
        events[1..].sort_by_key(|a| (a.date, a.at));
        Ok(events)
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
