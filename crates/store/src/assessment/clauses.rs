//! `fulfilment_rate` (履约率, assessment.md): of the clauses of the unit's agreements (live
//! agreements of its live projects and its sub-units') due on or before `to`, the share
//! fulfilled or waived by `to`; 1 when none is due. The rule is `domain::agreement`'s
//! ([`fulfilment_rate`] over [`ClauseFact`]s: a clause settled after `to` was still open
//! then); the facts come from ONE query (packed: `packed.rs`).

use std::collections::HashSet;

use chrono::NaiveDate;
use domain::ClauseStatus;
use domain::agreement::{ClauseFact, fulfilment_rate as rate_of};
use domain::assessment::MeasureKind;
use serde::{Deserialize, Serialize};

use super::packed::id_list;
use super::{Assessed, Counted, Made, Over, UnitMeasure, give};
use crate::Result;
use crate::sql::Sql;

/// One clause of the denominator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountedClause {
    /// The `clauses` id.
    pub id: i64,
    pub agreement_id: i64,
    pub agreement_title: String,
    pub number: String,
    pub due_on: NaiveDate,
    /// Its status as of `to`.
    pub status: String,
    pub project_id: i64,
    pub project_code: String,
    pub project_name: String,
    pub unit: String,
    pub unit_name: String,
    /// Fulfilled or waived by `to` (the numerator).
    pub met: bool,
}

/// One clause as the packed query gives it (`COLS`, in order).
#[derive(Debug, Deserialize)]
struct Row {
    id: i64,
    agreement_id: i64,
    title: String,
    number: String,
    due_on: NaiveDate,
    status: String,
    status_on: Option<NaiveDate>,
    project_id: i64,
}

const COLS: &[&str] = &["id", "agreement_id", "title", "number", "due_on", "status", "status_on", "project_id"];

/// The clauses' condition, for the as-of lookup.
fn condition(q: &mut Sql, assessed: &Assessed, to: NaiveDate) -> String {
    let units = id_list(&assessed.ids);
    let due = q.bind(to);
    format!(
        "FROM clauses c JOIN agreements a ON a.id = c.agreement_id JOIN projects p ON p.id = a.project_id \
         WHERE c.due_on IS NOT NULL AND c.due_on <= {due} AND a.deleted_at IS NULL \
         AND p.deleted_at IS NULL AND p.unit_id IN ({units})"
    )
}

/// `fulfilment_rate` per assessed unit as of `to`; with `as_of`, only the clauses made by
/// the end of that day, and a clause settled only if it was settled (its `status_on`) and
/// last changed by then.
pub(crate) async fn fulfilment_rate(over: Over<'_>) -> Result<Vec<UnitMeasure>> {
    let Over { store, assessed, dir, to, as_of, .. } = over;
    let mut rows: Vec<Row> = if assessed.ids.is_empty() {
        vec![]
    } else {
        // the projects (live, of the subtrees) from `dir`, not joined per clause
        let mut q = Sql::of(store);
        let due = q.bind(to);
        let sql = format!(
            "SELECT c.id, c.agreement_id, a.title, c.number, c.due_on, c.status, c.status_on, a.project_id \
             FROM clauses c JOIN agreements a ON a.id = c.agreement_id \
             WHERE c.due_on IS NOT NULL AND c.due_on <= {due} AND a.deleted_at IS NULL"
        );
        q.packed(store, COLS, sql).await?
    };
    if !rows.is_sorted_by_key(|r| (r.due_on, r.id)) {
        rows.sort_unstable_by_key(|r| (r.due_on, r.id));
    }
    // as of the end of the day: made by then, and settled by then (else still open)
    let mut unsettled: HashSet<i64> = HashSet::new();
    if let Some(as_of) = as_of.filter(|_| !rows.is_empty()) {
        let mut q = Sql::of(store);
        let cond = condition(&mut q, assessed, to);
        let made: Vec<Made> = q.all(store, format!("SELECT c.id, c.created_at, c.updated_at {cond}")).await?;
        let (late, changed) = as_of.late_and_changed(&made);
        unsettled = changed;
        rows.retain(|r| !late.contains(&r.id));
        unsettled.extend(rows.iter().filter(|r| r.status_on.is_some_and(|d| d > as_of.day)).map(|r| r.id));
    }
    let tree = store.unit_tree();
    let mut lists: Vec<Vec<CountedClause>> = assessed.per_unit();
    let mut facts: Vec<Vec<ClauseFact>> = assessed.per_unit();
    for r in &rows {
        let Some(mut status) = ClauseStatus::parse(&r.status) else { continue };
        let mut settled_on = r.status_on.filter(|_| status.is_settled());
        if status.is_settled() && unsettled.contains(&r.id) {
            (status, settled_on) = (ClauseStatus::InProgress, None);
        }
        let fact = ClauseFact { due_on: Some(r.due_on), status, settled_on };
        let Some(p) = dir.get(r.project_id) else { continue };
        let owners = assessed.owners(p.unit_id);
        if owners.is_empty() {
            continue;
        }
        let (unit, unit_name) = tree.code_name(p.unit_id);
        let now = fact.status_on(to);
        let c = CountedClause {
            id: r.id,
            agreement_id: r.agreement_id,
            agreement_title: r.title.clone(),
            number: r.number.clone(),
            due_on: r.due_on,
            status: now.code().into(),
            project_id: r.project_id,
            project_code: p.code.clone(),
            project_name: p.name.clone(),
            unit,
            unit_name,
            met: now.is_met(),
        };
        for &k in owners {
            facts[k].push(fact);
        }
        give(&mut lists, owners, c);
    }
    Ok(lists
        .into_iter()
        .zip(facts)
        .map(|(list, facts)| {
            let (met, due) = rate_of(&facts, to).map_or((0, 0), |r| (r.met(), r.due()));
            UnitMeasure::rate(MeasureKind::FulfilmentRate, met, due, Counted::Clauses(list))
        })
        .collect())
}
