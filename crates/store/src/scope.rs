//! The single place where an actor's `Scope` becomes SQL (domain.md §1, 数据权限): projects by
//! unit subtree, a department's through `dept_tasks`. Every project query goes through here,
//! and every child record (funds, timeline, progress notes, …) through the one scoped read
//! of its project, `Scoped::project_row` (handle.rs); a read outside scope is refused (403),
//! never answered with a silently empty list.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, DbBackend};

use crate::entity::project;
use crate::{Actor, Result, Scope, Store, StoreError, placeholder};

/// The projects a query may cover: the actor's scope, narrowed by a unit filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProjectScope {
    /// `None`: every unit. Otherwise sorted unit ids.
    units: Option<Vec<i64>>,
    /// dept_staff: only the projects carrying a task of this department.
    department: Option<i64>,
}

impl ProjectScope {
    /// The actor's scope, narrowed to the subtree of the unit filter `unit` (a code or a name;
    /// blank means none). Refused (403) for the three administrators, for a unit outside a
    /// unit user's subtree, and for any unit filter from a department user (their projects
    /// are chosen by task, not by unit).
    pub(crate) fn of(store: &Store, actor: &Actor, unit: Option<&str>) -> Result<ProjectScope> {
        let unit = unit.map(str::trim).filter(|s| !s.is_empty());
        let tree = store.unit_tree();
        let filter = match unit {
            None => None,
            Some(code) => {
                let u = tree.find(code).ok_or_else(|| StoreError::field("unit", format!("单位「{code}」不存在")))?;
                Some((u.id, tree.subtree(u.id)))
            }
        };
        match (&actor.scope, filter) {
            (Scope::Nothing, _) => Err(StoreError::Forbidden),
            (Scope::Department(_), Some(_)) => Err(StoreError::Forbidden),
            (Scope::Department(d), None) => Ok(ProjectScope { units: None, department: Some(*d) }),
            (Scope::All, f) => Ok(ProjectScope { units: f.map(|(_, sub)| sub), department: None }),
            (Scope::Units(mine), None) => Ok(ProjectScope { units: Some(mine.clone()), department: None }),
            // A unit's subtree lies inside the scope exactly when the unit does.
            (Scope::Units(mine), Some((id, sub))) => {
                if mine.binary_search(&id).is_err() {
                    return Err(StoreError::Forbidden);
                }
                Ok(ProjectScope { units: Some(sub), department: None })
            }
        }
    }

    /// The unit ids covered (sorted), `None` for every unit; a department's scope has none.
    pub(crate) fn units(&self) -> Option<&[i64]> {
        self.units.as_deref()
    }

    /// The condition on `projects`.
    pub(crate) fn condition(&self, backend: DbBackend) -> Condition {
        let mut cond = Condition::all();
        match self.units.as_deref() {
            None => {}
            Some([one]) => cond = cond.add(project::Column::UnitId.eq(*one)),
            Some(ids) => cond = cond.add(project::Column::UnitId.is_in(ids.to_vec())),
        }
        if let Some(d) = self.department {
            cond = cond.add(Expr::cust_with_values(
                format!(
                    "projects.id IN (SELECT project_id FROM dept_tasks WHERE dept_unit_id = {})",
                    placeholder(backend, 1)
                ),
                [d],
            ));
        }
        cond
    }

    /// The same unit restriction as raw SQL on a table with a `unit_id` column (the gram
    /// index), ` AND unit_id IN (…)` or empty. `None` for a department's scope, which a
    /// table without project ids cannot express. Unit ids are integers from our own tree,
    /// so inlining them is safe.
    pub(crate) fn unit_sql(&self) -> Option<String> {
        if self.department.is_some() {
            return None;
        }
        Some(
            self.units
                .as_ref()
                .map(|u| format!(" AND unit_id IN ({})", u.iter().map(i64::to_string).collect::<Vec<_>>().join(",")))
                .unwrap_or_default(),
        )
    }
}
