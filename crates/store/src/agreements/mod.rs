//! Agreements (协议) and their clauses (条款), domain.md §5: reads, and 履约率 from the
//! clause facts (the rule is `domain::agreement::fulfilment_rate`; the store only fetches).

mod due;
mod write;

pub use due::DueClause;
pub use write::{ClausePatch, NewAgreement, NewClause, validate};

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::agreement::{ClauseFact, Ratio, combined_fulfilment_rate, fulfilment_rate};
use domain::{AgreementKind, ClauseStatus, Money, Permission};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, Order, QueryFilter};
use serde::Serialize;

use crate::entity::{agreement, agreement_sub_project, clause};
use crate::handle::child_rows;
use crate::model_view::model_view;
use crate::projects::money;
use crate::rows::grouped;
use crate::{Result, Scoped, StoreError};

model_view! {
    /// One clause as the API returns it.
    #[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
    pub struct Clause from clause {
        pub id: i64,
        pub agreement_id: i64,
        pub project_id: i64,
        pub number: String,
        pub text: String,
        /// `investor` or `government`.
        pub obligor: String,
        #[schema(value_type = Option<String>)]
        pub due_amount: Option<Money> => money,
        /// 亩.
        #[schema(value_type = Option<String>)]
        pub due_area: Option<Money> => money,
        pub due_on: Option<NaiveDate>,
        /// `pending`, `in_progress`, `fulfilled`, `breached`, `waived`.
        pub status: String,
        /// When the status was last set.
        pub status_on: Option<NaiveDate>,
        pub note: Option<String>,
        /// Evidence files (attached through `/api/v1/attachments`).
        pub evidence: Vec<i64> = vec![],
        pub version: i32,
    }
}

impl Clause {
    fn status(&self) -> ClauseStatus {
        ClauseStatus::parse(&self.status).unwrap_or(ClauseStatus::Pending)
    }

    /// What the 履约率 rule needs of this clause.
    pub fn fact(&self) -> ClauseFact {
        let status = self.status();
        ClauseFact { due_on: self.due_on, status, settled_on: self.status_on.filter(|_| status.is_settled()) }
    }

    pub fn status_label(&self) -> &'static str {
        self.status().label()
    }

    pub fn obligor_label(&self) -> &'static str {
        domain::Obligor::parse(&self.obligor).map(domain::Obligor::label).unwrap_or("")
    }

    /// The statuses this clause may move to (the form's choices).
    pub fn next(&self) -> &'static [ClauseStatus] {
        self.status().next()
    }
}

/// An agreement with its clauses, sub-projects and 履约率 (api.md).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Agreement {
    pub id: i64,
    pub project_id: i64,
    /// `framework`, `contract` or `package`.
    pub kind: String,
    pub title: String,
    pub signed_on: Option<NaiveDate>,
    pub parties: Vec<String>,
    /// 万元.
    #[schema(value_type = Option<String>)]
    pub amount: Option<Money>,
    pub clauses: Vec<Clause>,
    pub sub_project_ids: Vec<i64>,
    /// Clauses due by today that are fulfilled or waived / clauses due by today, a decimal
    /// string; null when none is due yet.
    pub fulfilment_rate: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

impl Agreement {
    pub fn kind_label(&self) -> &'static str {
        AgreementKind::parse(&self.kind).map(AgreementKind::label).unwrap_or("")
    }

    pub fn rate(&self, today: NaiveDate) -> Option<Ratio> {
        fulfilment_rate(self.clauses.iter().map(Clause::fact).collect::<Vec<_>>().iter(), today)
    }
}

/// The API's form of a rate: the exact ratio to four places, or null.
pub fn rate_string(rate: Option<Ratio>) -> Option<String> {
    rate.map(|r| format!("{:.4}", r.rounded(4)))
}

/// Agreements of the rows, each with its clauses and sub-projects, in one query per table.
pub(crate) async fn hydrate<C: ConnectionTrait>(
    db: &C,
    rows: Vec<agreement::Model>,
    today: NaiveDate,
) -> Result<Vec<Agreement>> {
    let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    let mut clauses: BTreeMap<i64, Vec<Clause>> = BTreeMap::new();
    let cols = (clause::Column::AgreementId, clause::Column::Id);
    grouped::<clause::Entity, _, _>(db, cols, &ids, |c| (c.agreement_id, Clause::from(c)), &mut clauses).await?;
    let mut subs: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let cols = (agreement_sub_project::Column::AgreementId, agreement_sub_project::Column::ProjectId);
    grouped::<agreement_sub_project::Entity, _, _>(db, cols, &ids, |s| (s.agreement_id, s.project_id), &mut subs)
        .await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            let mut a = Agreement {
                id: m.id,
                project_id: m.project_id,
                kind: m.kind,
                title: m.title,
                signed_on: m.signed_on,
                parties: serde_json::from_str(&m.parties).unwrap_or_default(),
                amount: money(m.amount),
                clauses: clauses.remove(&m.id).unwrap_or_default(),
                sub_project_ids: subs.remove(&m.id).unwrap_or_default(),
                fulfilment_rate: None,
                version: m.version,
                created_at: m.created_at,
            };
            a.fulfilment_rate = rate_string(a.rate(today));
            a
        })
        .collect())
}

/// A project's agreements with their 履约率 combined (domain.md §5: the same formula over
/// all of a project's agreements).
#[derive(Debug, Clone, Serialize)]
pub struct ProjectAgreements {
    pub agreements: Vec<Agreement>,
    #[serde(skip)]
    pub rate: Option<Ratio>,
}

impl Scoped<'_> {
    /// A project's live agreements, oldest first.
    pub async fn list_agreements(&self, project_id: i64, today: NaiveDate) -> Result<ProjectAgreements> {
        self.project_row(project_id, Permission::ProjectRead).await?;
        let db = self.store.db();
        use agreement::Column::{DeletedAt, Id, ProjectId};
        let order = [(Id, Order::Asc)];
        let rows = child_rows::<agreement::Entity>(db, ProjectId, project_id, Some(DeletedAt), &order).await?;
        let agreements = hydrate(db, rows, today).await?;
        let facts: Vec<Vec<ClauseFact>> =
            agreements.iter().map(|a| a.clauses.iter().map(Clause::fact).collect()).collect();
        let rate = combined_fulfilment_rate(facts.iter(), today);
        Ok(ProjectAgreements { agreements, rate })
    }

    /// One agreement, through its project's scope (403 out of scope, 404 unknown).
    pub async fn get_agreement(&self, id: i64, today: NaiveDate) -> Result<Agreement> {
        let db = self.store.db();
        let row = agreement_row(db, id).await?;
        self.project_row(row.project_id, Permission::ProjectRead).await?;
        hydrate(db, vec![row], today).await?.pop().ok_or(StoreError::NotFound)
    }
}

/// A live agreement's row (no scope: the caller checks its project).
pub(crate) async fn agreement_row<C: ConnectionTrait>(db: &C, id: i64) -> Result<agreement::Model> {
    agreement::Entity::find_by_id(id)
        .filter(agreement::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The errors of the `i`th record of a list field, named `list[i].field`.
pub(crate) fn nest(list: &str, i: usize, errors: Vec<domain::FieldError>) -> impl Iterator<Item = domain::FieldError> {
    errors.into_iter().map(move |e| domain::FieldError::new(format!("{list}[{i}].{}", e.field), e.message))
}
