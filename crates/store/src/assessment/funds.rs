//! `funds_domestic` (省外资金, 万元) and `funds_foreign` (外资, 万美元) (assessment.md): the
//! accepted, live funds entries of the live projects of the assessed units' subtrees dated
//! in `[from, to]`, from ONE query (both kinds at once, packed: `packed.rs`).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use domain::assessment::MeasureKind;
use domain::{FundsKind, Money, ReviewState};
use rust_decimal::Decimal;
use sea_orm::FromQueryResult;
use serde::{Deserialize, Serialize};

use super::packed::id_list;
use super::{Assessed, Counted, Over, UnitMeasure, give};
use crate::Result;
use crate::sql::Sql;

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

/// One entry as the packed query gives it (`COLS`, in order).
#[derive(Debug, Deserialize)]
struct Row {
    id: i64,
    date: NaiveDate,
    /// 1: foreign, 0: domestic.
    foreign: i64,
    amount: i64,
    project_id: i64,
}

const COLS: &[&str] = &["id", "date", "foreign_kind", "amount", "project_id"];

/// An entry's acceptance facts, read only for an as-of run.
#[derive(Debug, FromQueryResult)]
struct AsOfRow {
    id: i64,
    created_at: DateTime<Utc>,
    accepted_on: Option<NaiveDate>,
}

/// The condition on the entries and their projects, for the as-of lookup.
fn condition(
    q: &mut Sql,
    assessed: &Assessed,
    kinds: &[(MeasureKind, FundsKind)],
    from: NaiveDate,
    to: NaiveDate,
) -> String {
    let units = id_list(&assessed.ids);
    let codes = kinds.iter().map(|(_, k)| format!("'{}'", k.code())).collect::<Vec<_>>().join(",");
    let accepted = ReviewState::Accepted.code();
    let (a, b) = (q.bind(from), q.bind(to));
    format!(
        "FROM funds_entries f JOIN projects p ON p.id = f.project_id \
         WHERE f.deleted_at IS NULL AND f.review_state = '{accepted}' AND f.kind IN ({codes}) \
         AND f.date >= {a} AND f.date <= {b} \
         AND p.deleted_at IS NULL AND p.unit_id IN ({units})"
    )
}

/// Those of `wanted` read from funds entries, per assessed unit; with `as_of`, only the
/// entries the city had accepted by the end of that day.
pub(crate) async fn funds_measures(
    over: Over<'_>,
    wanted: &[MeasureKind],
) -> Result<HashMap<MeasureKind, Vec<UnitMeasure>>> {
    let Over { store, assessed, dir, from, to, as_of } = over;
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
    // the entries alone (index-only: `ix_funds_accepted` holds the date, kind, amount,
    // project and, as every SQLite index, the row id); their projects come from `dir`, which
    // leaves out deleted projects and those of other units
    // `review_state` and `kind` as literals (codes of our vocabularies): the partial covering
    // index `ix_funds_accepted` (date, kind, amount, project_id WHERE live and accepted)
    // answers the entries only when the query states its condition literally
    let mut q = Sql::of(store);
    let codes = kinds.iter().map(|(_, k)| format!("'{}'", k.code())).collect::<Vec<_>>().join(",");
    let (accepted, foreign) = (ReviewState::Accepted.code(), FundsKind::Foreign.code());
    let (a, b) = (q.bind(from), q.bind(to));
    let sql = format!(
        "SELECT f.id, f.date, CASE WHEN f.kind = '{foreign}' THEN 1 ELSE 0 END AS foreign_kind, f.amount, \
         f.project_id FROM funds_entries f \
         WHERE f.deleted_at IS NULL AND f.review_state = '{accepted}' AND f.kind IN ({codes}) \
         AND f.date >= {a} AND f.date <= {b}"
    );
    // sorted here, not by the database (a sort of every entry there)
    let mut rows: Vec<Row> = q.packed(store, COLS, sql).await?;
    if !rows.is_sorted_by_key(|r| (r.date, r.id)) {
        rows.sort_unstable_by_key(|r| (r.date, r.id));
    }
    if let Some(as_of) = as_of {
        let mut q = Sql::of(store);
        let cond = condition(&mut q, assessed, &kinds, from, to);
        let accepted = ReviewState::Accepted.code();
        let sql = format!(
            "SELECT f.id, f.created_at, (SELECT MAX(r.accepted_on) FROM reviews r \
             WHERE r.funds_entry_id = f.id AND r.state = '{accepted}') AS accepted_on {cond}"
        );
        let facts: Vec<AsOfRow> = q.all(store, sql).await?;
        let late: HashSet<i64> =
            facts.into_iter().filter(|f| !as_of.accepted_by(f.accepted_on, f.created_at)).map(|f| f.id).collect();
        rows.retain(|r| !late.contains(&r.id));
    }
    let tree = store.unit_tree();
    let mut out = HashMap::new();
    for (measure, kind) in kinds {
        let want = i64::from(kind == FundsKind::Foreign);
        let mut lists: Vec<Vec<CountedFunds>> = assessed.per_unit();
        let mut sums: Vec<i64> = vec![0; assessed.units.len()];
        for r in rows.iter().filter(|r| r.foreign == want) {
            let Some(p) = dir.get(r.project_id) else { continue };
            let owners = assessed.owners(p.unit_id);
            if owners.is_empty() {
                continue;
            }
            let (unit, unit_name) = tree.code_name(p.unit_id);
            let c = CountedFunds {
                id: r.id,
                date: r.date,
                amount: Money::from_hundredths(r.amount),
                project_id: r.project_id,
                project_code: p.code.clone(),
                project_name: p.name.clone(),
                unit,
                unit_name,
            };
            for &k in owners {
                sums[k] = sums[k].saturating_add(r.amount);
            }
            give(&mut lists, owners, c);
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
