//! `funds_domestic` (省外资金, 万元) and `funds_foreign` (外资, 万美元) (assessment.md): the
//! accepted, live funds entries of the live projects of the assessed units' subtrees dated
//! in `[from, to]`, from ONE query (both kinds at once).

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::assessment::MeasureKind;
use domain::{FundsKind, Money, ReviewState};
use rust_decimal::Decimal;
use sea_orm::FromQueryResult;
use serde::Serialize;

use super::{Assessed, Counted, UnitMeasure, unit_of};
use crate::warnings::facts::Sql;
use crate::{Result, Store};

/// One funds entry a measure summed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountedFunds {
    /// The `funds_entries` id.
    pub id: i64,
    pub date: NaiveDate,
    /// 万元 (domestic) or 万美元 (foreign).
    pub amount: Money,
    pub project_id: i64,
    pub project_code: String,
    pub project_name: String,
    pub unit: String,
    pub unit_name: String,
}

#[derive(Debug, FromQueryResult)]
struct Row {
    id: i64,
    date: NaiveDate,
    kind: String,
    amount: i64,
    project_id: i64,
    code: String,
    name: String,
    unit_id: i64,
}

/// Those of `wanted` read from funds entries, per assessed unit.
pub(crate) async fn funds_measures(
    store: &Store,
    assessed: &Assessed,
    wanted: &[MeasureKind],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<MeasureKind, Vec<UnitMeasure>>> {
    let kinds: Vec<(MeasureKind, FundsKind)> = [
        (MeasureKind::FundsDomestic, FundsKind::DomesticOutOfProvince),
        (MeasureKind::FundsForeign, FundsKind::Foreign),
    ]
    .into_iter()
    .filter(|(m, _)| wanted.contains(m))
    .collect();
    if kinds.is_empty() || assessed.ids.is_empty() {
        return Ok(kinds.into_iter().map(|(m, _)| (m, empty(assessed, m))).collect());
    }
    let mut q = Sql::new(store.db().get_database_backend());
    let units = assessed.ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let codes = kinds.iter().map(|(_, k)| format!("'{}'", k.code())).collect::<Vec<_>>().join(",");
    // `review_state` and `kind` as literals (codes of our vocabularies): the partial covering
    // index `ix_funds_accepted` (date, kind, amount, project_id WHERE live and accepted)
    // answers the entries only when the query states its condition literally
    let accepted = ReviewState::Accepted.code();
    let (a, b) = (q.bind(from), q.bind(to));
    let sql = format!(
        "SELECT f.id, f.date, f.kind, f.amount, f.project_id, p.code, p.name, p.unit_id \
         FROM funds_entries f JOIN projects p ON p.id = f.project_id \
         WHERE f.deleted_at IS NULL AND f.review_state = '{accepted}' AND f.kind IN ({codes}) \
         AND f.date >= {a} AND f.date <= {b} \
         AND p.deleted_at IS NULL AND p.unit_id IN ({units}) \
         ORDER BY f.date, f.id"
    );
    let rows: Vec<Row> = q.all(store, sql).await?;
    let tree = store.unit_tree();
    let mut out = HashMap::new();
    for (measure, kind) in kinds {
        let mut lists: Vec<Vec<CountedFunds>> = assessed.per_unit();
        let mut sums: Vec<i64> = vec![0; assessed.units.len()];
        for r in rows.iter().filter(|r| r.kind == kind.code()) {
            let (unit, unit_name) = unit_of(&tree, r.unit_id);
            let c = CountedFunds {
                id: r.id,
                date: r.date,
                amount: Money::from_hundredths(r.amount),
                project_id: r.project_id,
                project_code: r.code.clone(),
                project_name: r.name.clone(),
                unit,
                unit_name,
            };
            for &k in assessed.owners(r.unit_id) {
                sums[k] = sums[k].saturating_add(r.amount);
                lists[k].push(c.clone());
            }
        }
        let measures = lists
            .into_iter()
            .zip(sums)
            .map(|(list, sum)| UnitMeasure {
                measure,
                value: Decimal::new(sum, 2).normalize(),
                met: None,
                due: None,
                counted: Counted::Funds(list),
            })
            .collect();
        out.insert(measure, measures);
    }
    Ok(out)
}

fn empty(assessed: &Assessed, measure: MeasureKind) -> Vec<UnitMeasure> {
    assessed
        .units
        .iter()
        .map(|_| UnitMeasure { measure, value: Decimal::ZERO, met: None, due: None, counted: Counted::Funds(vec![]) })
        .collect()
}
