//! 靶向项目库 (domain.md §3; seed 二(二)): the companies a unit courts, their 研判 notes, status
//! and follow-up log, and the conversion into a `reserve` project. A target belongs to its
//! unit: a unit user reads and writes its subtree's only, city_admin and the supervisor see
//! every unit's (the city-wide view). The rules are `domain::target`.

mod write;

pub use write::{ConvertInput, FollowUpInput, TargetInput, validate};

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::Permission;
use domain::target::{TargetStatus, follow_up_days_overdue};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::entity::{company, target, target_follow_up};
use crate::{Result, Scope, Scoped, StoreError};

/// A target as the API and the pages show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Target {
    pub id: i64,
    /// The owning unit's code.
    pub unit: String,
    pub unit_name: String,
    pub company_id: i64,
    pub company_name: String,
    /// The industry chain it fits (an industry code).
    pub industry: String,
    pub strategy: Option<String>,
    pub layout: Option<String>,
    pub signals: Option<String>,
    /// `watching` | `contacted` | `interested` | `converted` | `dropped`.
    pub status: String,
    pub drop_reason: Option<String>,
    pub next_follow_up_on: Option<NaiveDate>,
    /// Days past the next follow-up date while open (a warning).
    pub follow_up_overdue_days: Option<i64>,
    /// The project it became.
    pub project_id: Option<i64>,
    pub converted_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip)]
    pub unit_id: i64,
}

/// One entry of a target's follow-up log.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FollowUp {
    pub id: i64,
    pub target_id: i64,
    pub date: NaiveDate,
    pub channel: String,
    pub summary: String,
    pub next_follow_up_on: Option<NaiveDate>,
    /// Who recorded it (their display name), when known.
    pub by: Option<String>,
    pub created_at: DateTime<Utc>,
}

crate::list_filter! {
    /// What a target list shows: each filter optional.
    pub struct TargetFilter {
        pub status: Option<TargetStatus>,
        pub company_id: Option<i64>,
        /// An industry code: it and the codes below it.
        pub industry: Option<String>,
    }
}

crate::page_type! {
    /// One page of targets.
    pub struct TargetPage of Target;
}

/// A company courted by more than one unit (the city-wide view): who courts it, and how far.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SharedCompany {
    pub company_id: i64,
    pub company_name: String,
    pub targets: Vec<Target>,
}

impl Scoped<'_> {
    /// The targets' view rows, with unit and company names.
    async fn views<C: sea_orm::ConnectionTrait>(&self, db: &C, rows: Vec<target::Model>) -> Result<Vec<Target>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.company_id).collect();
        let names: BTreeMap<i64, String> = if ids.is_empty() {
            BTreeMap::new()
        } else {
            company::Entity::find()
                .filter(company::Column::Id.is_in(ids))
                .all(db)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect()
        };
        let tree = self.store.unit_tree();
        let today = domain::today_shanghai();
        Ok(rows
            .into_iter()
            .map(|r| {
                let (unit, unit_name) = tree.code_name(r.unit_id);
                let status = TargetStatus::parse(&r.status);
                Target {
                    id: r.id,
                    unit,
                    unit_name,
                    company_id: r.company_id,
                    company_name: names.get(&r.company_id).cloned().unwrap_or_default(),
                    industry: r.industry,
                    strategy: r.strategy,
                    layout: r.layout,
                    signals: r.signals,
                    follow_up_overdue_days: status.and_then(|s| follow_up_days_overdue(r.next_follow_up_on, s, today)),
                    status: r.status,
                    drop_reason: r.drop_reason,
                    next_follow_up_on: r.next_follow_up_on,
                    project_id: r.project_id,
                    converted_at: r.converted_at,
                    version: r.version,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                    unit_id: r.unit_id,
                }
            })
            .collect())
    }

    pub async fn get_target(&self, id: i64) -> Result<Target> {
        let row = self.unit_owned::<target::Entity, _>(self.store.db(), id, Permission::TargetRead).await?;
        let mut v = self.views(self.store.db(), vec![row]).await?;
        v.pop().ok_or(StoreError::NotFound)
    }

    /// The targets in scope, newest first; a department (no targets of its own) is refused.
    pub async fn list_targets(&self, f: &TargetFilter) -> Result<TargetPage> {
        let mut cond = self.unit_owned_list(Permission::TargetRead, f.unit.as_deref(), target::Column::UnitId)?;
        if let Some(s) = f.status {
            cond = cond.add(target::Column::Status.eq(s.code()));
        }
        if let Some(c) = f.company_id {
            cond = cond.add(target::Column::CompanyId.eq(c));
        }
        if let Some(i) = f.industry.as_deref().map(str::trim).filter(|i| !i.is_empty()) {
            cond = cond.add(
                Condition::any()
                    .add(target::Column::Industry.eq(i))
                    .add(target::Column::Industry.like(format!("{i}.%"))),
            );
        }
        let q = target::Entity::find()
            .filter(cond)
            .order_by_desc(target::Column::UpdatedAt)
            .order_by_desc(target::Column::Id);
        let (rows, p) = crate::list_page(self.store.db(), q, f.page, f.per_page).await?;
        Ok(TargetPage::new(self.views(self.store.db(), rows).await?, p))
    }

    /// The city-wide view: every company two or more units court (open targets), with each
    /// unit's target, so that two districts do not compete blindly for one investor.
    pub async fn shared_targets(&self) -> Result<Vec<SharedCompany>> {
        self.require(Permission::TargetRead)?;
        if self.actor.scope != Scope::All {
            return Err(StoreError::Forbidden);
        }
        let open: Vec<&str> = TargetStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.code()).collect();
        let rows = target::Entity::find()
            .filter(target::Column::Status.is_in(open))
            .order_by_asc(target::Column::CompanyId)
            .order_by_asc(target::Column::UnitId)
            .all(self.store.db())
            .await?;
        let mut by_company: BTreeMap<i64, Vec<Target>> = BTreeMap::new();
        for t in self.views(self.store.db(), rows).await? {
            by_company.entry(t.company_id).or_default().push(t);
        }
        Ok(by_company
            .into_iter()
            .filter(|(_, ts)| ts.len() > 1)
            .map(|(company_id, targets)| SharedCompany {
                company_id,
                company_name: targets[0].company_name.clone(),
                targets,
            })
            .collect())
    }

    /// A target's follow-up log, the latest first.
    pub async fn list_follow_ups(&self, target_id: i64) -> Result<Vec<FollowUp>> {
        self.unit_owned::<target::Entity, _>(self.store.db(), target_id, Permission::TargetRead).await?;
        let rows = target_follow_up::Entity::find()
            .filter(target_follow_up::Column::TargetId.eq(target_id))
            .order_by_desc(target_follow_up::Column::Date)
            .order_by_desc(target_follow_up::Column::Id)
            .all(self.store.db())
            .await?;
        let names = self.store.user_names(rows.iter().filter_map(|r| r.created_by).collect()).await?;
        Ok(rows
            .into_iter()
            .map(|r| FollowUp {
                id: r.id,
                target_id: r.target_id,
                date: r.date,
                channel: r.channel,
                summary: r.summary,
                next_follow_up_on: r.next_follow_up_on,
                by: r.created_by.and_then(|u| names.get(&u).cloned()),
                created_at: r.created_at,
            })
            .collect())
    }
}
