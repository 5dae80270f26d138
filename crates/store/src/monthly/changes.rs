//! 月度变化 (本月新增/推进/终止) per assessed unit, from `projects.created_at` and the
//! `transitions` of the month.

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeZone, Utc};
use domain::{Month, Permission, Stage};
use sea_orm::FromQueryResult;
use serde::Serialize;

use crate::scope::ProjectScope;
use crate::sql::Sql;
use crate::warnings::facts::codes;
use crate::{Result, Scoped, StoreError};

/// One assessed unit's month (its sub-units' projects included).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UnitChanges {
    pub unit: String,
    pub unit_name: String,
    /// Projects entered that month.
    pub added: u64,
    /// Projects that moved forward (signed … at capacity) that month.
    pub advanced: u64,
    /// Projects terminated that month.
    pub terminated: u64,
}

#[derive(FromQueryResult)]
struct Count {
    unit_id: i64,
    n: i64,
}

/// Midnight in Shanghai at the start of `day`, as an instant.
fn start_of(day: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&(day.and_hms_opt(0, 0, 0).unwrap_or_default() - chrono::Duration::hours(8)))
}

impl Scoped<'_> {
    /// 本月新增/推进/终止 of each assessed unit of the caller's scope (a unit's sub-units count
    /// under it; units with nothing that month are listed with zeros).
    pub async fn monthly_changes(&self, month: Month) -> Result<Vec<UnitChanges>> {
        self.require(Permission::MonthlyRead)?;
        let scope = ProjectScope::of(self.store, self.actor, None)?;
        let unit_sql = scope.unit_sql().ok_or(StoreError::Forbidden)?;
        let p = format!("(SELECT id, unit_id, created_at FROM projects WHERE deleted_at IS NULL{unit_sql}) p");
        let backend = self.store.backend();

        let mut q = Sql::new(backend);
        let (a, b) = (q.bind(start_of(month.first_day())), q.bind(start_of(month.next().first_day())));
        let sql = format!(
            "SELECT p.unit_id, COUNT(*) AS n FROM {p} WHERE p.created_at >= {a} AND p.created_at < {b} GROUP BY p.unit_id"
        );
        let added = q.all::<Count>(self.store, sql).await?;

        let moved = |to: String| {
            let mut q = Sql::new(backend);
            let (a, b) = (q.bind(month.first_day()), q.bind(month.last_day()));
            let no = q.bind(false);
            let sql = format!(
                "SELECT p.unit_id, COUNT(DISTINCT t.project_id) AS n FROM transitions t JOIN {p} ON p.id = t.project_id \
                 WHERE t.date >= {a} AND t.date <= {b} AND t.correction = {no} AND t.to_stage IN ({to}) GROUP BY p.unit_id"
            );
            (q, sql)
        };
        let forward: Vec<&str> =
            domain::stage::ALL.iter().filter(|s| s.order().is_some_and(|o| o > 0)).map(|s| s.code()).collect();
        let (q, sql) = moved(codes(&forward));
        let advanced = q.all::<Count>(self.store, sql).await?;
        let (q, sql) = moved(codes(&[Stage::Terminated.code()]));
        let terminated = q.all::<Count>(self.store, sql).await?;

        let tree = self.store.unit_tree();
        // each unit's nearest assessed unit (itself or an ancestor)
        let assessed_of = |mut id: i64| {
            for _ in 0..64 {
                let u = tree.get(id)?;
                if u.assessed {
                    return Some(u.id);
                }
                id = u.parent_id?;
            }
            None
        };
        let mut out: BTreeMap<i64, UnitChanges> = tree
            .all()
            .iter()
            .filter(|u| u.assessed && self.actor.scope.allows_unit(u.id))
            .map(|u| (u.id, UnitChanges { unit: u.code.clone(), unit_name: u.name.clone(), ..Default::default() }))
            .collect();
        for (rows, pick) in [(added, 0), (advanced, 1), (terminated, 2)] {
            for r in rows {
                let Some(row) = assessed_of(r.unit_id).and_then(|id| out.get_mut(&id)) else { continue };
                let n = r.n.max(0) as u64;
                match pick {
                    0 => row.added += n,
                    1 => row.advanced += n,
                    _ => row.terminated += n,
                }
            }
        }
        let order: Vec<i64> = tree.all().iter().map(|u| u.id).collect();
        Ok(order.into_iter().filter_map(|id| out.remove(&id)).collect())
    }
}
