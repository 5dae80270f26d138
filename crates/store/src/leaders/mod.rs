//! 领导名录 (domain.md §6; api.md `/api/v1/leaders`): the leaders who lead projects (包联领导)
//! and visits. Who sees a leader: everyone with `leader:read` sees the city leaders, and the
//! leaders of the units in their scope (a department user its own department's); city_admin
//! writes every unit's, a unit's staff its subtree's, never a city leader. The rules are
//! `domain::leader`; `link.rs` matches a project's 包联领导 text to the register.

pub(crate) mod link;
mod write;

pub use link::{LeaderBook, LinkReport, Linked, Unlinked};
pub use write::{LeaderInput, LeaderPatch};

use chrono::{DateTime, Utc};
use domain::Permission;
use domain::leader::LeaderLevel;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::entity::leader;
use crate::{Result, Scope, Scoped, StoreError};

/// A leader as the API and the pages show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Leader {
    pub id: i64,
    pub name: String,
    pub position: String,
    /// The unit's code.
    pub unit: String,
    pub unit_name: String,
    /// `city_leader` | `unit_chief` | `unit_deputy`.
    pub level: String,
    /// Still in office (offered in the forms).
    pub active: bool,
    /// `姓名（职务）`, as a 包联领导 text reads.
    pub display: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip)]
    pub unit_id: i64,
}

impl Leader {
    pub fn level(&self) -> LeaderLevel {
        LeaderLevel::parse(&self.level).unwrap_or(LeaderLevel::UnitDeputy)
    }
}

crate::list_filter! {
    /// What a leader list shows: each filter optional.
    pub struct LeaderFilter {
        pub level: Option<LeaderLevel>,
        /// Part of a name.
        pub q: Option<String>,
        /// `Some(true)`: only those in office.
        pub active: Option<bool>,
    }
}

crate::page_type! {
    /// One page of leaders.
    pub struct LeaderPage of Leader;
}

/// A project a leader leads (包联), as the leader's page lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LedProject {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[schema(value_type = String)]
    pub stage: domain::Stage,
    pub unit_name: String,
}

pub(crate) fn view(tree: &crate::UnitTree, r: leader::Model) -> Leader {
    let (unit, unit_name) = tree.code_name(r.unit_id);
    Leader {
        id: r.id,
        display: domain::leader::display(&r.name, &r.position),
        name: r.name,
        position: r.position,
        unit,
        unit_name,
        level: r.level,
        active: r.active,
        version: r.version,
        created_at: r.created_at,
        updated_at: r.updated_at,
        unit_id: r.unit_id,
    }
}

impl Scoped<'_> {
    /// The leaders this actor sees, as a condition on `leaders`: the city leaders, and those
    /// of the units in scope (a department user: its department's). `None`: every leader.
    pub(crate) fn leader_condition(&self) -> Option<Condition> {
        let city = leader::Column::Level.eq(LeaderLevel::CityLeader.code());
        match &self.actor.scope {
            Scope::All => None,
            Scope::Units(ids) => Some(Condition::any().add(city).add(leader::Column::UnitId.is_in(ids.clone()))),
            Scope::Department(d) => Some(Condition::any().add(city).add(leader::Column::UnitId.eq(*d))),
            Scope::Nothing => Some(Condition::all().add(leader::Column::Id.eq(-1))),
        }
    }

    /// Whether this actor sees `row` (see [`Scoped::leader_condition`]).
    pub(crate) fn sees_leader(&self, row: &leader::Model) -> bool {
        row.level == LeaderLevel::CityLeader.code()
            || match &self.actor.scope {
                Scope::All => true,
                Scope::Units(_) => self.actor.scope.allows_unit(row.unit_id),
                Scope::Department(d) => row.unit_id == *d,
                Scope::Nothing => false,
            }
    }

    /// A leader this actor sees (`perm` on it): unknown → 404, not seen → 403.
    pub(crate) async fn leader_row<C: ConnectionTrait>(
        &self,
        db: &C,
        id: i64,
        perm: Permission,
    ) -> Result<leader::Model> {
        self.scoped_row::<leader::Entity, _>(db, id, perm, |row| self.sees_leader(row)).await
    }

    pub async fn get_leader(&self, id: i64) -> Result<Leader> {
        let row = self.leader_row(self.store.db(), id, Permission::LeaderRead).await?;
        Ok(view(&self.store.unit_tree(), row))
    }

    /// The leaders the actor sees: city leaders first, then by unit and name.
    pub async fn list_leaders(&self, f: &LeaderFilter) -> Result<LeaderPage> {
        self.require(Permission::LeaderRead)?;
        let tree = self.store.unit_tree();
        let mut cond = Condition::all();
        if let Some(c) = self.leader_condition() {
            cond = cond.add(c);
        }
        if let Some(code) = f.unit.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let u = tree.find(code).ok_or_else(|| StoreError::field("unit", format!("单位「{code}」不存在")))?;
            cond = cond.add(leader::Column::UnitId.is_in(tree.subtree(u.id)));
        }
        if let Some(l) = f.level {
            cond = cond.add(leader::Column::Level.eq(l.code()));
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            cond = cond.add(leader::Column::Name.contains(q));
        }
        if let Some(a) = f.active {
            cond = cond.add(leader::Column::Active.eq(a));
        }
        // the level codes sort as the levels rank: city_leader < unit_chief < unit_deputy
        let q = leader::Entity::find()
            .filter(cond)
            .order_by_asc(leader::Column::Level)
            .order_by_asc(leader::Column::UnitId)
            .order_by_asc(leader::Column::Name)
            .order_by_asc(leader::Column::Id);
        let (rows, p) = crate::list_page(self.store.db(), q, f.page, f.per_page).await?;
        Ok(LeaderPage::new(rows.into_iter().map(|r| view(&tree, r)).collect(), p))
    }

    /// The live projects in the actor's scope that this leader leads (包联), largest first
    /// (at most 200).
    pub async fn projects_led_by(&self, leader_id: i64) -> Result<Vec<LedProject>> {
        use sea_orm::QuerySelect;
        self.leader_row(self.store.db(), leader_id, Permission::LeaderRead).await?;
        self.require(Permission::ProjectRead)?;
        let scope = crate::scope::ProjectScope::of(self.store, self.actor, None)?;
        let rows = crate::entity::project::Entity::find()
            .filter(scope.condition(self.store.backend()))
            .filter(crate::entity::project::Column::LeadLeaderId.eq(leader_id))
            .filter(crate::entity::project::Column::DeletedAt.is_null())
            .order_by_desc(crate::entity::project::Column::TotalInvestment)
            .limit(200)
            .all(self.store.db())
            .await?;
        let tree = self.store.unit_tree();
        Ok(rows
            .into_iter()
            .map(|r| LedProject {
                id: r.id,
                code: r.code,
                name: r.name,
                stage: crate::projects::stage_of(&r.stage),
                unit_name: tree.get(r.unit_id).map(|u| u.name.clone()).unwrap_or_default(),
            })
            .collect())
    }

    /// The leaders in office who may lead a project of `unit` (a code; none: every unit the
    /// actor sees): city leaders and the leaders of the unit's subtree, as the project form
    /// offers them.
    pub async fn lead_leader_choices(&self, unit: Option<&str>) -> Result<Vec<Leader>> {
        let f = LeaderFilter { active: Some(true), per_page: 500, ..Default::default() };
        let all = self.list_leaders(&f).await?.items;
        let tree = self.store.unit_tree();
        let sub = unit.and_then(|u| tree.find(u)).map(|u| tree.subtree(u.id));
        Ok(all
            .into_iter()
            .filter(|l| {
                let in_sub = sub.as_ref().is_none_or(|s| s.binary_search(&l.unit_id).is_ok());
                domain::leader::may_lead_project(l.level(), in_sub)
            })
            .collect())
    }
}
