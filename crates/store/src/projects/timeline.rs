//! A project's timeline: creation, transitions, funds entries and progress notes.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::{Money, Stage};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::entity::{funds_entry, progress_note, transition};
use crate::{Actor, Result, Store};

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

impl Store {
    /// Transitions, funds entries and creation, oldest first.
    pub async fn timeline(&self, actor: &Actor, id: i64) -> Result<Vec<TimelineEvent>> {
        let row = self.scoped_project_row(self.db(), actor, id).await?;
        let mut events = vec![TimelineEvent {
            kind: "created",
            date: domain::shanghai_date(row.created_at),
            at: row.created_at,
            from: None,
            to: Some(Stage::Reserve),
            note: None,
            reason: None,
            correction: false,
            review_state: None,
            amount: None,
            funds_kind: None,
            by: None,
        }];
        let ts = transition::Entity::find()
            .filter(transition::Column::ProjectId.eq(id))
            .order_by_asc(transition::Column::Id)
            .all(self.db())
            .await?;
        let names = self.user_names(ts.iter().filter_map(|t| t.created_by).collect()).await?;
        for t in ts {
            events.push(TimelineEvent {
                kind: "transition",
                date: t.date,
                at: t.created_at,
                from: Stage::parse(&t.from_stage),
                to: Stage::parse(&t.to_stage),
                note: t.note,
                reason: t.reason,
                correction: t.correction,
                review_state: Some(t.review_state),
                amount: None,
                funds_kind: None,
                by: t.created_by.and_then(|u| names.get(&u).cloned()),
            });
        }
        let funds = funds_entry::Entity::find()
            .filter(funds_entry::Column::ProjectId.eq(id))
            .filter(funds_entry::Column::DeletedAt.is_null())
            .all(self.db())
            .await?;
        for f in funds {
            events.push(TimelineEvent {
                kind: "funds",
                date: f.date,
                at: f.created_at,
                from: None,
                to: None,
                note: f.note,
                reason: None,
                correction: false,
                review_state: Some(f.review_state),
                amount: Some(Money::from_hundredths(f.amount)),
                funds_kind: Some(f.kind),
                by: None,
            });
        }
        let notes = progress_note::Entity::find()
            .filter(progress_note::Column::ProjectId.eq(id))
            .order_by_asc(progress_note::Column::Id)
            .all(self.db())
            .await?;
        let names = self.user_names(notes.iter().filter_map(|n| n.created_by).collect()).await?;
        for n in notes {
            events.push(TimelineEvent {
                kind: "progress",
                date: n.date,
                at: n.created_at,
                from: None,
                to: None,
                note: Some(n.note),
                reason: None,
                correction: false,
                review_state: None,
                amount: None,
                funds_kind: None,
                by: n.created_by.and_then(|u| names.get(&u).cloned()),
            });
        }
        // Creation first; then by calendar date (history is often entered afterwards, with
        // earlier dates), then by when it was recorded.
        events[1..].sort_by_key(|a| (a.date, a.at));
        Ok(events)
    }

    async fn user_names(&self, ids: Vec<i64>) -> Result<HashMap<i64, String>> {
        use crate::entity::user;
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = user::Entity::find().filter(user::Column::Id.is_in(ids)).all(self.db()).await?;
        Ok(rows.into_iter().map(|u| (u.id, u.display_name)).collect())
    }
}
