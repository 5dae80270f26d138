//! The unit tree (domain.md §2), cached in memory: scope checks need it on every request.

use std::collections::HashMap;

use domain::Role;
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};
use serde::Serialize;

use crate::entity::unit;
use crate::{Actor, Scope};

#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub parent: Option<String>,
    pub assessed: bool,
}

#[derive(Debug, Default)]
pub struct UnitTree {
    units: Vec<Unit>,
    by_id: HashMap<i64, usize>,
    children: HashMap<i64, Vec<i64>>,
}

impl UnitTree {
    pub async fn load(db: &DatabaseConnection) -> Result<UnitTree, sea_orm::DbErr> {
        let rows = unit::Entity::find().order_by_asc(unit::Column::Sort).order_by_asc(unit::Column::Id).all(db).await?;
        Ok(Self::from_rows(rows))
    }

    fn from_rows(rows: Vec<unit::Model>) -> UnitTree {
        let code_of: HashMap<i64, String> = rows.iter().map(|r| (r.id, r.code.clone())).collect();
        let mut t = UnitTree::default();
        for r in rows {
            if let Some(p) = r.parent_id {
                t.children.entry(p).or_default().push(r.id);
            }
            t.by_id.insert(r.id, t.units.len());
            t.units.push(Unit {
                id: r.id,
                parent: r.parent_id.and_then(|p| code_of.get(&p).cloned()),
                code: r.code,
                name: r.name,
                kind: r.kind,
                parent_id: r.parent_id,
                assessed: r.assessed,
            });
        }
        t
    }

    pub fn all(&self) -> &[Unit] {
        &self.units
    }

    pub fn get(&self, id: i64) -> Option<&Unit> {
        self.by_id.get(&id).map(|&i| &self.units[i])
    }

    /// A unit's code and name as a view shows them (both empty for an unknown id).
    pub fn code_name(&self, id: i64) -> (String, String) {
        self.get(id).map(|u| (u.code.clone(), u.name.clone())).unwrap_or_default()
    }

    /// By code (`jinshui`) or Chinese name (`金水区`).
    pub fn find(&self, text: &str) -> Option<&Unit> {
        let t = text.trim();
        self.units.iter().find(|u| u.code == t || u.name == t)
    }

    /// The unit and everything below it, sorted.
    pub fn subtree(&self, id: i64) -> Vec<i64> {
        let mut out = vec![];
        let mut stack = vec![id];
        while let Some(u) = stack.pop() {
            if self.by_id.contains_key(&u) && !out.contains(&u) {
                out.push(u);
                if let Some(c) = self.children.get(&u) {
                    stack.extend(c);
                }
            }
        }
        out.sort_unstable();
        out
    }

    pub fn is_root(&self, id: i64) -> bool {
        self.get(id).is_some_and(|u| u.parent_id.is_none())
    }

    /// The data scope of a user with these roles and unit (domain.md §1).
    pub fn scope_for(&self, roles: &[Role], unit_id: Option<i64>) -> Scope {
        if roles.iter().any(|r| matches!(r, Role::CityAdmin | Role::Supervisor)) {
            return Scope::All;
        }
        if roles.iter().any(|r| matches!(r, Role::UnitStaff | Role::Leader)) {
            return match unit_id {
                Some(u) if self.is_root(u) => Scope::All,
                Some(u) => Scope::Units(self.subtree(u)),
                None => Scope::Nothing,
            };
        }
        if roles.contains(&Role::DeptStaff) {
            return unit_id.map(Scope::Department).unwrap_or(Scope::Nothing);
        }
        Scope::Nothing
    }

    /// The units an actor may see in the tree: their scope, plus their own unit and its
    /// ancestors (so the tree has its root). Department users see their department.
    pub fn visible(&self, actor: &Actor) -> Vec<&Unit> {
        match &actor.scope {
            Scope::All => self.units.iter().collect(),
            Scope::Units(ids) => {
                let mut keep: Vec<i64> = ids.clone();
                let mut up = actor.unit_id.and_then(|u| self.get(u)).and_then(|u| u.parent_id);
                while let Some(p) = up {
                    keep.push(p);
                    up = self.get(p).and_then(|u| u.parent_id);
                }
                self.units.iter().filter(|u| keep.contains(&u.id)).collect()
            }
            Scope::Department(d) => self.units.iter().filter(|u| u.id == *d).collect(),
            Scope::Nothing => actor.unit_id.and_then(|u| self.get(u)).into_iter().collect(),
        }
    }
}
