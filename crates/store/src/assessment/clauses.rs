//! `fulfilment_rate` (履约率, assessment.md): of the clauses of the unit's agreements (live
//! agreements of its live projects and its sub-units') due on or before `to`, the share
//! fulfilled or waived by `to`; 1 when none is due. The rule is `domain::agreement`'s
//! ([`fulfilment_rate`] over [`ClauseFact`]s: a clause settled after `to` was still open
//! then); the facts come from ONE query.

use chrono::NaiveDate;
use domain::ClauseStatus;
use domain::agreement::{ClauseFact, fulfilment_rate as rate_of};
use domain::assessment::MeasureKind;
use sea_orm::FromQueryResult;
use serde::Serialize;

use super::{Assessed, Counted, UnitMeasure, unit_of};
use crate::warnings::facts::Sql;
use crate::{Result, Store};

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

#[derive(Debug, FromQueryResult)]
struct Row {
    id: i64,
    agreement_id: i64,
    title: String,
    number: String,
    due_on: NaiveDate,
    status: String,
    status_on: Option<NaiveDate>,
    project_id: i64,
    code: String,
    name: String,
    unit_id: i64,
}

/// `fulfilment_rate` per assessed unit as of `to`.
pub(crate) async fn fulfilment_rate(store: &Store, assessed: &Assessed, to: NaiveDate) -> Result<Vec<UnitMeasure>> {
    let rows: Vec<Row> = if assessed.ids.is_empty() {
        vec![]
    } else {
        let mut q = Sql::new(store.db().get_database_backend());
        let units = assessed.ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let due = q.bind(to);
        let sql = format!(
            "SELECT c.id, c.agreement_id, a.title, c.number, c.due_on, c.status, c.status_on, \
             a.project_id, p.code, p.name, p.unit_id \
             FROM clauses c JOIN agreements a ON a.id = c.agreement_id JOIN projects p ON p.id = a.project_id \
             WHERE c.due_on IS NOT NULL AND c.due_on <= {due} AND a.deleted_at IS NULL \
             AND p.deleted_at IS NULL AND p.unit_id IN ({units}) \
             ORDER BY c.due_on, c.id"
        );
        q.all(store, sql).await?
    };
    let tree = store.unit_tree();
    let mut lists: Vec<Vec<CountedClause>> = assessed.per_unit();
    let mut facts: Vec<Vec<ClauseFact>> = assessed.per_unit();
    for r in &rows {
        let Some(status) = ClauseStatus::parse(&r.status) else { continue };
        let fact =
            ClauseFact { due_on: Some(r.due_on), status, settled_on: r.status_on.filter(|_| status.is_settled()) };
        let (unit, unit_name) = unit_of(&tree, r.unit_id);
        let now = fact.status_on(to);
        let c = CountedClause {
            id: r.id,
            agreement_id: r.agreement_id,
            agreement_title: r.title.clone(),
            number: r.number.clone(),
            due_on: r.due_on,
            status: now.code().into(),
            project_id: r.project_id,
            project_code: r.code.clone(),
            project_name: r.name.clone(),
            unit,
            unit_name,
            met: now.is_met(),
        };
        for &k in assessed.owners(r.unit_id) {
            facts[k].push(fact);
            lists[k].push(c.clone());
        }
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
