//! `problem_resolution_rate` (问题按期解决率, assessment.md): of the problems of the unit's
//! live projects (and its sub-units') due in `[from, to]`, the share resolved by their due
//! date (`resolved` with `resolved_on ≤ due_on`); 1 when none is due. A problem belongs to
//! the unit of its project (the unit that raised it), not to the department assigned to it.
//! ONE query.

use chrono::NaiveDate;
use domain::ProblemStatus;
use domain::assessment::MeasureKind;
use sea_orm::FromQueryResult;
use serde::Serialize;

use super::{Assessed, Counted, UnitMeasure, unit_of};
use crate::warnings::facts::Sql;
use crate::{Result, Store};

/// One problem of the denominator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountedProblem {
    /// The `problems` id.
    pub id: i64,
    pub title: String,
    pub due_on: NaiveDate,
    pub status: String,
    pub resolved_on: Option<NaiveDate>,
    pub project_id: i64,
    pub project_code: String,
    pub project_name: String,
    pub unit: String,
    pub unit_name: String,
    /// Resolved by its due date (the numerator).
    pub met: bool,
}

#[derive(Debug, FromQueryResult)]
struct Row {
    id: i64,
    title: String,
    due_on: NaiveDate,
    status: String,
    resolved_on: Option<NaiveDate>,
    project_id: i64,
    code: String,
    name: String,
    unit_id: i64,
}

/// Resolved on or before its due date.
pub fn resolved_in_time(status: &str, resolved_on: Option<NaiveDate>, due_on: NaiveDate) -> bool {
    status == ProblemStatus::Resolved.code() && resolved_on.is_some_and(|r| r <= due_on)
}

/// `problem_resolution_rate` per assessed unit.
pub(crate) async fn problem_resolution_rate(
    store: &Store,
    assessed: &Assessed,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<UnitMeasure>> {
    let rows: Vec<Row> = if assessed.ids.is_empty() {
        vec![]
    } else {
        let mut q = Sql::new(store.db().get_database_backend());
        let units = assessed.ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let (a, b) = (q.bind(from), q.bind(to));
        let sql = format!(
            "SELECT r.id, r.title, r.due_on, r.status, r.resolved_on, r.project_id, p.code, p.name, p.unit_id \
             FROM problems r JOIN projects p ON p.id = r.project_id \
             WHERE r.due_on >= {a} AND r.due_on <= {b} AND p.deleted_at IS NULL AND p.unit_id IN ({units}) \
             ORDER BY r.due_on, r.id"
        );
        q.all(store, sql).await?
    };
    let tree = store.unit_tree();
    let mut lists: Vec<Vec<CountedProblem>> = assessed.per_unit();
    for r in &rows {
        let (unit, unit_name) = unit_of(&tree, r.unit_id);
        let c = CountedProblem {
            id: r.id,
            title: r.title.clone(),
            due_on: r.due_on,
            status: r.status.clone(),
            resolved_on: r.resolved_on,
            project_id: r.project_id,
            project_code: r.code.clone(),
            project_name: r.name.clone(),
            unit,
            unit_name,
            met: resolved_in_time(&r.status, r.resolved_on, r.due_on),
        };
        for &k in assessed.owners(r.unit_id) {
            lists[k].push(c.clone());
        }
    }
    Ok(lists
        .into_iter()
        .map(|list| {
            let met = list.iter().filter(|c| c.met).count() as u64;
            let due = list.len() as u64;
            UnitMeasure::rate(MeasureKind::ProblemResolutionRate, met, due, Counted::Problems(list))
        })
        .collect())
}
