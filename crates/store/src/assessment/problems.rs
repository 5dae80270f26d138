//! `problem_resolution_rate` (问题按期解决率, assessment.md): of the problems of the unit's
//! live projects (and its sub-units') due in `[from, to]`, the share resolved by their due
//! date (`resolved` with `resolved_on ≤ due_on`); 1 when none is due. A problem belongs to
//! the unit of its project (the unit that raised it), not to the department assigned to it.
//! ONE query (packed: `packed.rs`).

use std::collections::HashSet;

use chrono::NaiveDate;
use domain::ProblemStatus;
use domain::assessment::MeasureKind;
use serde::{Deserialize, Serialize};

use super::packed::id_list;
use super::{Assessed, Counted, Made, Over, UnitMeasure, give};
use crate::Result;
use crate::sql::Sql;

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

/// One problem as the packed query gives it (`COLS`, in order).
#[derive(Debug, Deserialize)]
struct Row {
    id: i64,
    title: String,
    due_on: NaiveDate,
    status: String,
    resolved_on: Option<NaiveDate>,
    project_id: i64,
}

/// Resolved on or before its due date.
pub fn resolved_in_time(status: &str, resolved_on: Option<NaiveDate>, due_on: NaiveDate) -> bool {
    status == ProblemStatus::Resolved.code() && resolved_on.is_some_and(|r| r <= due_on)
}

const COLS: &[&str] = &["id", "title", "due_on", "status", "resolved_on", "project_id"];

/// The problems' condition, for the as-of lookup.
fn condition(q: &mut Sql, assessed: &Assessed, from: NaiveDate, to: NaiveDate) -> String {
    let units = id_list(&assessed.ids);
    let (a, b) = (q.bind(from), q.bind(to));
    format!(
        "FROM problems r JOIN projects p ON p.id = r.project_id \
         WHERE r.due_on >= {a} AND r.due_on <= {b} AND p.deleted_at IS NULL AND p.unit_id IN ({units})"
    )
}

/// `problem_resolution_rate` per assessed unit; with `as_of`, only the problems made by the
/// end of that day, and resolved only if resolved (`resolved_on`) and last changed by then.
pub(crate) async fn problem_resolution_rate(over: Over<'_>) -> Result<Vec<UnitMeasure>> {
    let Over { store, assessed, dir, from, to, as_of } = over;
    let mut rows: Vec<Row> = if assessed.ids.is_empty() {
        vec![]
    } else {
        // the projects (live, of the subtrees) from `dir`, not joined per problem
        let mut q = Sql::of(store);
        let (a, b) = (q.bind(from), q.bind(to));
        let sql = format!(
            "SELECT r.id, r.title, r.due_on, r.status, r.resolved_on, r.project_id FROM problems r \
             WHERE r.due_on >= {a} AND r.due_on <= {b}"
        );
        q.packed(store, COLS, sql).await?
    };
    if !rows.is_sorted_by_key(|r| (r.due_on, r.id)) {
        rows.sort_unstable_by_key(|r| (r.due_on, r.id));
    }
    let mut unresolved: HashSet<i64> = HashSet::new();
    if let Some(as_of) = as_of.filter(|_| !rows.is_empty()) {
        let mut q = Sql::of(store);
        let cond = condition(&mut q, assessed, from, to);
        let made: Vec<Made> = q.all(store, format!("SELECT r.id, r.created_at, r.updated_at {cond}")).await?;
        let (late, changed) = as_of.late_and_changed(&made);
        unresolved = changed;
        rows.retain(|r| !late.contains(&r.id));
        unresolved.extend(rows.iter().filter(|r| r.resolved_on.is_some_and(|d| d > as_of.day)).map(|r| r.id));
    }
    let tree = store.unit_tree();
    let mut lists: Vec<Vec<CountedProblem>> = assessed.per_unit();
    for r in &rows {
        let Some(p) = dir.get(r.project_id) else { continue };
        let owners = assessed.owners(p.unit_id);
        if owners.is_empty() {
            continue;
        }
        let (unit, unit_name) = tree.code_name(p.unit_id);
        let open = unresolved.contains(&r.id);
        let c = CountedProblem {
            id: r.id,
            title: r.title.clone(),
            due_on: r.due_on,
            status: if open && r.status == ProblemStatus::Resolved.code() {
                ProblemStatus::InProgress.code().to_string()
            } else {
                r.status.clone()
            },
            resolved_on: r.resolved_on.filter(|_| !open),
            project_id: r.project_id,
            project_code: p.code.clone(),
            project_name: p.name.clone(),
            unit,
            unit_name,
            met: !open && resolved_in_time(&r.status, r.resolved_on, r.due_on),
        };
        give(&mut lists, owners, c);
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
