//! 审核 (domain.md §4): a unit's stage claims and funds entries wait for the city, and so
//! does a project that became city-reportable. Each claim is a `reviews` row; `write.rs`
//! keeps it, its transition or funds entry and its project in step, `reportable.rs` opens,
//! refreshes and withdraws the city-reportable claims, `policy.rs` holds the setting of
//! which projects are reviewed.

mod policy;
mod reportable;
mod write;

pub use reportable::WITHDRAWN;
pub(crate) use reportable::{claim_row as reportable_claim_row, opens as opens_reportable, reason_of};
pub(crate) use write::NewClaim;

use chrono::{DateTime, NaiveDate, Utc};
use domain::evidence::AttachedTo;
use domain::review::{ReviewKind, ReviewState};
use domain::{Money, Permission};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

pub use write::Resubmission;

use crate::entity::{attachment, project, review};
use crate::scope::ProjectScope;
use crate::{Result, Scoped, StoreError};

/// An evidence file attached to a claim (attachments are listed by their own module).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvidenceRef {
    pub id: i64,
    pub name: String,
}

/// One claim as the API and the queue show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewItem {
    pub id: i64,
    /// `stage` | `funds` | `reportable` (纳入全市库)
    pub kind: String,
    /// `submitted` | `accepted` | `returned`; `none` for a city-reportable claim withdrawn
    /// because its project no longer qualifies
    pub state: String,
    pub project_id: i64,
    pub project_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    /// The claimed stage (stage claims).
    pub stage: Option<String>,
    /// The claimed date (of the stage, of the funds in place).
    pub date: NaiveDate,
    pub funds_entry_id: Option<i64>,
    pub transition_id: Option<i64>,
    /// The claimed amount (funds entries).
    #[schema(value_type = Option<String>)]
    pub amount: Option<Money>,
    pub submitted_by: Option<i64>,
    pub submitted_at: DateTime<Utc>,
    pub reviewed_by: Option<i64>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub comment: Option<String>,
    /// The Asia/Shanghai date the city accepted it.
    pub accepted_on: Option<NaiveDate>,
    pub resubmissions: i32,
    pub version: i32,
    pub evidence: Vec<EvidenceRef>,
    /// Why the project is city-reportable (`reportable` claims): each investor's rank, the
    /// amount (domain::reportable_reason).
    pub reason: Option<String>,
}

/// The queue's filters (all optional).
#[derive(Debug, Clone, Default)]
pub struct ReviewFilter {
    pub state: Option<ReviewState>,
    pub kind: Option<ReviewKind>,
    /// A unit's code or name: its subtree.
    pub unit: Option<String>,
    /// Only claims submitted at least this many days ago.
    pub older_than_days: Option<u32>,
    pub project_id: Option<i64>,
}

/// The most claims one list answers (the oldest first).
pub const LIST_MAX: u64 = 500;

/// One page of the queue: the claims (oldest first, at most [`LIST_MAX`]) and how many match.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewList {
    pub items: Vec<ReviewItem>,
    pub total: u64,
}

impl Scoped<'_> {
    /// The conditions of a filter, the actor's scope included (403 out of scope).
    fn review_condition(&self, f: &ReviewFilter) -> Result<Condition> {
        self.require(Permission::ReviewRead)?;
        let scope = ProjectScope::of(self.store, self.actor, f.unit.as_deref())?;
        let projects = Query::select()
            .column(project::Column::Id)
            .from(project::Entity)
            .cond_where(scope.condition(self.store.backend()))
            .to_owned();
        let mut cond = Condition::all().add(review::Column::ProjectId.in_subquery(projects));
        if let Some(s) = f.state {
            cond = cond.add(review::Column::State.eq(s.code()));
        }
        if let Some(k) = f.kind {
            cond = cond.add(review::Column::Kind.eq(k.code()));
        }
        if let Some(d) = f.older_than_days {
            cond = cond.add(review::Column::SubmittedAt.lte(crate::now() - chrono::Duration::days(i64::from(d))));
        }
        if let Some(p) = f.project_id {
            cond = cond.add(review::Column::ProjectId.eq(p));
        }
        Ok(cond)
    }

    /// The claims in scope under the filter: city_admin all, a unit its subtree's.
    pub async fn list_reviews(&self, f: &ReviewFilter) -> Result<ReviewList> {
        let cond = self.review_condition(f)?;
        let q = review::Entity::find().filter(cond);
        let total = q.clone().count(self.store.db()).await?;
        let rows = q
            .order_by_asc(review::Column::SubmittedAt)
            .order_by_asc(review::Column::Id)
            .limit(LIST_MAX)
            .all(self.store.db())
            .await?;
        Ok(ReviewList { items: self.review_items(self.store.db(), rows).await?, total })
    }

    /// How many claims in scope wait for the city (the 工作台's 待办).
    pub async fn count_waiting_reviews(&self) -> Result<u64> {
        let f = ReviewFilter { state: Some(ReviewState::Submitted), ..Default::default() };
        Ok(review::Entity::find().filter(self.review_condition(&f)?).count(self.store.db()).await?)
    }

    /// One claim, through its project's scope.
    pub async fn get_review(&self, id: i64) -> Result<ReviewItem> {
        let row = review::Entity::find_by_id(id).one(self.store.db()).await?.ok_or(StoreError::NotFound)?;
        self.project_row(row.project_id, Permission::ReviewRead).await?;
        self.review_items(self.store.db(), vec![row]).await?.pop().ok_or(StoreError::NotFound)
    }

    /// Rows as items, with their projects' names and units.
    pub(crate) async fn review_items<C: sea_orm::ConnectionTrait>(
        &self,
        db: &C,
        rows: Vec<review::Model>,
    ) -> Result<Vec<ReviewItem>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.project_id).collect();
        let projects = crate::rows::by_id::<project::Entity>(db, project::Column::Id, ids, |p| p.id).await?;
        let mut evidence = evidence_of(db, &rows).await?;
        let tree = self.store.unit_tree();
        Ok(rows
            .into_iter()
            .map(|r| {
                let of = match (r.transition_id, r.funds_entry_id) {
                    (Some(t), _) => (AttachedTo::Transition.code(), t),
                    (None, Some(f)) => (AttachedTo::Funds.code(), f),
                    (None, None) => ("", 0),
                };
                let evidence = evidence.remove(&of).unwrap_or_default();
                let p = projects.get(&r.project_id);
                let unit_id = p.map(|p| p.unit_id).unwrap_or_default();
                ReviewItem {
                    id: r.id,
                    kind: r.kind,
                    state: r.state,
                    project_id: r.project_id,
                    project_name: p.map(|p| p.name.clone()).unwrap_or_default(),
                    unit_id,
                    unit_name: tree.get(unit_id).map(|u| u.name.clone()).unwrap_or_default(),
                    stage: r.stage,
                    date: r.date,
                    funds_entry_id: r.funds_entry_id,
                    transition_id: r.transition_id,
                    amount: r.amount.map(Money::from_hundredths),
                    submitted_by: r.submitted_by,
                    submitted_at: r.submitted_at,
                    reviewed_by: r.reviewed_by,
                    reviewed_at: r.reviewed_at,
                    comment: r.comment,
                    accepted_on: r.accepted_on,
                    resubmissions: r.resubmissions,
                    version: r.version,
                    evidence,
                    reason: r.reason,
                }
            })
            .collect())
    }
}

/// The live evidence files of the claims' transitions and funds entries, by (entity, id).
async fn evidence_of<C: sea_orm::ConnectionTrait>(
    db: &C,
    rows: &[review::Model],
) -> Result<std::collections::HashMap<(&'static str, i64), Vec<EvidenceRef>>> {
    let (transition, funds) = (AttachedTo::Transition.code(), AttachedTo::Funds.code());
    let mut out: std::collections::HashMap<(&'static str, i64), Vec<EvidenceRef>> = Default::default();
    for (code, ids) in [
        (transition, rows.iter().filter_map(|r| r.transition_id).collect::<Vec<_>>()),
        (funds, rows.iter().filter_map(|r| r.funds_entry_id).collect()),
    ] {
        for chunk in ids.chunks(400).filter(|c| !c.is_empty()) {
            let files = attachment::Entity::find()
                .filter(attachment::Column::Entity.eq(code))
                .filter(attachment::Column::EntityId.is_in(chunk.to_vec()))
                .filter(attachment::Column::DeletedAt.is_null())
                .order_by_asc(attachment::Column::Id)
                .all(db)
                .await?;
            for f in files {
                out.entry((code, f.entity_id)).or_default().push(EvidenceRef { id: f.id, name: f.name });
            }
        }
    }
    Ok(out)
}
