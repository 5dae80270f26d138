//! Projects (domain.md §4): the ledger. Every call is a method of the caller's `Scoped`
//! handle (reads) or `Tx` (writes) and applies its scope; there is no unscoped path to a project.

mod filter;
mod progress;
mod search;
mod timeline;
mod transition;
mod write;

pub use filter::{ProjectFilter, ProjectPage, SortField};
pub use progress::ProgressNote;
pub(crate) use search::search_index;
pub use timeline::TimelineEvent;
pub use transition::TransitionInput;

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::{Category, FieldError, Money, Permission, Stage};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, Statement,
};
use serde::Serialize;

use crate::entity::{company, project, project_investor};
use crate::{Result, Scoped, Store, StoreError};

use domain::ReviewState;
pub use domain::review::REVIEWED_STAGES;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InvestorRef {
    pub id: i64,
    pub name: String,
}

/// A project as the API returns it (api.md "Project object").
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Project {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub unit_name: String,
    pub investors: Vec<InvestorRef>,
    pub industry: String,
    pub region: String,
    pub channel: Option<String>,
    #[schema(value_type = Vec<String>)]
    pub categories: Vec<Category>,
    #[schema(value_type = String)]
    pub total_investment: Money,
    #[schema(value_type = Option<String>)]
    pub foreign_investment: Option<Money>,
    #[schema(value_type = Option<String>)]
    pub land_mu: Option<Money>,
    #[schema(value_type = Option<String>)]
    pub expected_output: Option<Money>,
    #[schema(value_type = Option<String>)]
    pub expected_tax: Option<Money>,
    pub expected_jobs: Option<i32>,
    #[schema(value_type = String)]
    pub stage: Stage,
    #[schema(value_type = String)]
    pub accepted_stage: Stage,
    pub review_state: String,
    #[schema(value_type = Option<String>)]
    pub paused_from: Option<Stage>,
    pub signed_on: Option<NaiveDate>,
    pub approved_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub producing_on: Option<NaiveDate>,
    pub at_capacity_on: Option<NaiveDate>,
    pub expected_producing_on: Option<NaiveDate>,
    /// The 包联领导 as written (the ledger's text).
    pub lead_leader: Option<String>,
    /// The 包联领导 in the register (`/api/v1/leaders`), when the text is linked to one.
    pub lead_leader_id: Option<i64>,
    pub city_reportable: bool,
    pub key_project: bool,
    pub notes: Option<String>,
    /// The latest 项目进展情况 (the timeline has every one).
    pub progress: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub unit_id: i64,
}

/// The writable fields, listed once: [`ProjectInput`] holds each as it is, [`ProjectPatch`]
/// each as an `Option` (`None` leaves it alone; `Some(None)` clears a nullable one).
macro_rules! writable {
    ($($field:ident: $ty:ty,)*) => {
        /// The writable fields of a new project (already parsed; references checked here).
        #[derive(Debug, Clone, Default)]
        pub struct ProjectInput {
            $(pub $field: $ty,)*
            /// When the project was first recorded, for history loaded from elsewhere (the demo,
            /// the ledger importer); `None` means now. Not settable through the API.
            pub created_on: Option<NaiveDate>,
        }

        /// A partial update: `None` leaves a field alone, `Some(None)` clears a nullable one.
        #[derive(Debug, Clone, Default)]
        pub struct ProjectPatch {
            pub version: i32,
            $(pub $field: Option<$ty>,)*
        }
    };
}

writable! {
    name: String,
    unit: String,
    investor_ids: Vec<i64>,
    industry: String,
    region: String,
    channel: Option<String>,
    categories: Vec<Category>,
    total_investment: Money,
    foreign_investment: Option<Money>,
    land_mu: Option<Money>,
    expected_output: Option<Money>,
    expected_tax: Option<Money>,
    expected_jobs: Option<i32>,
    expected_producing_on: Option<NaiveDate>,
    lead_leader: Option<String>,
    lead_leader_id: Option<i64>,
    notes: Option<String>,
}

/// The two aggregate columns every figure of projects reads: `n` (how many) and `s` (their
/// total investment, hundredths of 万元).
pub(crate) trait CountAndSum {
    fn count_and_sum(self) -> Self;
}

impl CountAndSum for sea_orm::Select<project::Entity> {
    fn count_and_sum(self) -> Self {
        use sea_orm::QuerySelect;
        use sea_orm::sea_query::{Expr, Func};
        self.column_as(Expr::expr(Func::count(Expr::col(project::Column::Id))), "n")
            .column_as(Expr::expr(Func::cast_as(Func::sum(Expr::col(project::Column::TotalInvestment)), "bigint")), "s")
    }
}

pub(crate) fn stage_of(s: &str) -> Stage {
    Stage::parse(s).unwrap_or(Stage::Reserve)
}

pub(crate) fn categories_of(s: &str) -> Vec<Category> {
    s.split(',').filter_map(Category::parse).collect()
}

/// Hundredths of 万元 (or of 亩) as stored, as an amount.
pub(crate) fn money(h: Option<i64>) -> Option<Money> {
    h.map(Money::from_hundredths)
}

impl Store {
    async fn investors<C: ConnectionTrait>(
        &self,
        db: &C,
        ids: &[i64],
        errors: &mut Vec<FieldError>,
    ) -> Result<Vec<company::Model>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let rows = company::Entity::find().filter(company::Column::Id.is_in(ids.to_vec())).all(db).await?;
        let missing: Vec<String> =
            ids.iter().filter(|i| !rows.iter().any(|r| r.id == **i)).map(|i| i.to_string()).collect();
        if !missing.is_empty() {
            errors.push(FieldError::new("investor_ids", format!("投资方企业不存在：{}", missing.join("、"))));
        }
        // keep the caller's order
        let mut out = vec![];
        for id in ids {
            if let Some(r) = rows.iter().find(|r| r.id == *id)
                && !out.iter().any(|o: &company::Model| o.id == *id)
            {
                out.push(r.clone());
            }
        }
        Ok(out)
    }

    pub(crate) async fn hydrate<C: ConnectionTrait>(&self, db: &C, rows: Vec<project::Model>) -> Result<Vec<Project>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut inv: HashMap<i64, Vec<(i32, InvestorRef)>> = HashMap::new();
        if !ids.is_empty() {
            #[derive(FromQueryResult)]
            struct Row {
                project_id: i64,
                position: i32,
                id: i64,
                name: String,
            }
            let list = ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
            // ids are integers from our own rows, so inlining them is safe and lets one
            // statement serve any page size on both backends.
            let sql = format!(
                "SELECT pi.project_id, pi.position, c.id, c.name FROM project_investors pi \
                 JOIN companies c ON c.id = pi.company_id WHERE pi.project_id IN ({list})"
            );
            let found = Row::find_by_statement(Statement::from_string(self.backend(), sql)).all(db).await?;
            for r in found {
                inv.entry(r.project_id).or_default().push((r.position, InvestorRef { id: r.id, name: r.name }));
            }
        }
        let tree = self.unit_tree();
        Ok(rows
            .into_iter()
            .map(|r| {
                let mut investors = inv.remove(&r.id).unwrap_or_default();
                investors.sort_by_key(|(p, _)| *p);
                let (unit, unit_name) = tree.code_name(r.unit_id);
                Project {
                    id: r.id,
                    code: r.code,
                    name: r.name,
                    unit,
                    unit_name,
                    investors: investors.into_iter().map(|(_, i)| i).collect(),
                    industry: r.industry,
                    region: r.region,
                    channel: r.channel,
                    categories: categories_of(&r.categories),
                    total_investment: Money::from_hundredths(r.total_investment),
                    foreign_investment: money(r.foreign_investment),
                    land_mu: money(r.land_mu),
                    expected_output: money(r.expected_output),
                    expected_tax: money(r.expected_tax),
                    expected_jobs: r.expected_jobs,
                    stage: stage_of(&r.stage),
                    accepted_stage: stage_of(&r.accepted_stage),
                    review_state: r.review_state,
                    paused_from: r.paused_from.as_deref().map(stage_of),
                    signed_on: r.signed_on,
                    approved_on: r.approved_on,
                    started_on: r.started_on,
                    producing_on: r.producing_on,
                    at_capacity_on: r.at_capacity_on,
                    expected_producing_on: r.expected_producing_on,
                    lead_leader: r.lead_leader,
                    lead_leader_id: r.lead_leader_id,
                    city_reportable: r.city_reportable,
                    key_project: r.key_project,
                    notes: r.notes,
                    progress: r.progress,
                    version: r.version,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                    deleted_at: r.deleted_at,
                    unit_id: r.unit_id,
                }
            })
            .collect())
    }

    async fn project_investors(&self, txn: &DatabaseTransaction, id: i64) -> Result<Vec<company::Model>> {
        let links = project_investor::Entity::find()
            .filter(project_investor::Column::ProjectId.eq(id))
            .order_by_asc(project_investor::Column::Position)
            .all(txn)
            .await?;
        let ids: Vec<i64> = links.iter().map(|l| l.company_id).collect();
        let mut errors = vec![];
        self.investors(txn, &ids, &mut errors).await
    }
}

impl Scoped<'_> {
    pub async fn get_project(&self, id: i64) -> Result<Project> {
        let row = self.project_row(id, Permission::ProjectRead).await?;
        self.store.hydrate(self.store.db(), vec![row]).await?.pop().ok_or(StoreError::NotFound)
    }
}

/// A stored review state (the database's CHECK admits only the enum's codes).
pub(crate) fn review_of(s: &str) -> ReviewState {
    ReviewState::parse(s).unwrap_or(ReviewState::None)
}

/// A project's code: `XM` + the year it was recorded + its id.
pub(crate) fn project_code(created_at: DateTime<Utc>, id: i64) -> String {
    format!("XM{}{:06}", domain::shanghai_date(created_at).year(), id)
}

pub(crate) fn stale() -> StoreError {
    StoreError::Conflict("数据已被他人修改（版本号已过期），请刷新后重试".into())
}
