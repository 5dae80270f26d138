//! The writes of the 领导名录: registering a leader and changing one, each audited in its
//! transaction. city_admin (the city-wide scope) writes every unit's leaders and the city
//! leaders; a unit's staff the leaders of its subtree, below the city level.

use domain::fields::LEADER;
use domain::leader::LeaderLevel;
use domain::{AuditAction, FieldError, Permission};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

use super::{Leader, view};
use crate::audit::Event;
use crate::entity::leader;
use crate::handle::update_versioned;
use crate::handle::{UnitRule, one_shot};
use crate::{Result, Scope, StoreError, Tx};

/// A new leader.
#[derive(Debug, Clone)]
pub struct LeaderInput {
    pub name: String,
    pub position: String,
    /// The unit's code (in the caller's scope).
    pub unit: String,
    pub level: LeaderLevel,
}

/// A change: `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct LeaderPatch {
    pub version: i32,
    pub name: Option<String>,
    pub position: Option<String>,
    pub unit: Option<String>,
    pub level: Option<LeaderLevel>,
    pub active: Option<bool>,
}

one_shot! {
    write fn create_leader(input: LeaderInput) -> Leader;
    write fn update_leader(id: i64, patch: LeaderPatch) -> Leader;
}

const CITY_ONLY: &str = "市级领导由市级管理员登记";

impl Tx<'_> {
    /// A unit the actor may register leaders of: 422 naming `unit` when unknown, 403 when
    /// out of scope.
    fn leader_unit(&self, code: &str, errors: &mut Vec<FieldError>) -> Result<Option<i64>> {
        self.s.unit_field(code, UnitRule { blank: None, department: None }, errors)
    }

    fn check_level(&self, level: LeaderLevel, errors: &mut Vec<FieldError>) {
        if !level.in_register() {
            errors.push(FieldError::new("level", "领导层级应为市级领导、党政正职或党政副职"));
        } else if level == LeaderLevel::CityLeader && self.actor().scope != Scope::All {
            errors.push(FieldError::new("level", CITY_ONLY));
        }
    }

    /// 409 when the unit has a leader of that name already (other than `except`).
    async fn same_name(&self, unit_id: i64, name: &str, except: Option<i64>) -> Result<()> {
        let dup = leader::Entity::find()
            .filter(leader::Column::UnitId.eq(unit_id))
            .filter(leader::Column::Name.eq(name))
            .one(&self.txn)
            .await?;
        match dup {
            Some(d) if Some(d.id) != except => {
                Err(StoreError::Conflict(format!("该单位已登记同名领导「{}」（编号 {}）", d.name, d.id)))
            }
            _ => Ok(()),
        }
    }

    pub async fn create_leader(&self, input: LeaderInput) -> Result<Leader> {
        self.s.require(Permission::LeaderWrite)?;
        let mut errors = vec![];
        LEADER.check_required("name", &input.name, &mut errors);
        LEADER.check_required("position", &input.position, &mut errors);
        self.check_level(input.level, &mut errors);
        let unit_id = if input.unit.trim().is_empty() {
            errors.push(FieldError::new("unit", "所在单位不能为空"));
            None
        } else {
            self.leader_unit(&input.unit, &mut errors)?
        };
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let unit_id = unit_id.ok_or_else(|| StoreError::field("unit", "所在单位不能为空"))?;
        let name = input.name.trim().to_string();
        self.same_name(unit_id, &name, None).await?;
        let am = leader::ActiveModel {
            name: Set(name),
            position: Set(input.position.trim().to_string()),
            unit_id: Set(unit_id),
            level: Set(input.level.code().into()),
            active: Set(true),
            ..Default::default()
        };
        let row = self.insert_new(am).await?;
        let out = view(&self.store().unit_tree(), row);
        self.audited(Event::ok(AuditAction::LeaderCreate, "leader", out.id), out).await
    }

    /// Change a leader the actor may write (its unit in scope; a city leader: the city's),
    /// at the version read (stale → 409).
    pub async fn update_leader(&self, id: i64, patch: LeaderPatch) -> Result<Leader> {
        let row = self.s.leader_row(&self.txn, id, Permission::LeaderWrite).await?;
        let city = self.actor().scope == Scope::All;
        if !self.actor().scope.allows_unit(row.unit_id) || (row.level == LeaderLevel::CityLeader.code() && !city) {
            return Err(StoreError::Forbidden);
        }
        let tree = self.store().unit_tree();
        let before = view(&tree, row.clone());
        let mut errors = vec![];
        let mut am = leader::ActiveModel { ..Default::default() };
        if let Some(n) = &patch.name {
            LEADER.check_required("name", n, &mut errors);
            am.name = Set(n.trim().to_string());
        }
        if let Some(p) = &patch.position {
            LEADER.check_required("position", p, &mut errors);
            am.position = Set(p.trim().to_string());
        }
        if let Some(l) = patch.level {
            self.check_level(l, &mut errors);
            am.level = Set(l.code().into());
        }
        let mut unit_id = row.unit_id;
        if let Some(u) = &patch.unit
            && let Some(uid) = self.leader_unit(u, &mut errors)?
        {
            unit_id = uid;
            am.unit_id = Set(uid);
        }
        if let Some(a) = patch.active {
            am.active = Set(a);
        }
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        if row.version != patch.version {
            return Err(crate::projects::stale());
        }
        let name = patch.name.as_deref().map_or(row.name.clone(), |n| n.trim().to_string());
        self.same_name(unit_id, &name, Some(id)).await?;
        am.version = Set(patch.version + 1);
        am.updated_at = Set(crate::now());
        update_versioned(&self.txn, am, (leader::Column::Id, id), (leader::Column::Version, patch.version)).await?;
        let after = leader::Entity::find_by_id(id).one(&self.txn).await?.ok_or(StoreError::NotFound)?;
        let after = view(&tree, after);
        self.audited(Event::ok(AuditAction::LeaderUpdate, "leader", id).before(&before), after).await
    }
}
