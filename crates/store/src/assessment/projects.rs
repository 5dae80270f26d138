//! The measures read from projects' stage dates (assessment.md): `new_signed_major`,
//! `new_started_major`, `new_producing_major`, `foreign_signed` and `start_rate`, all from
//! ONE query over the live projects of the assessed units' subtrees with a signing date in
//! `[from − 1 year, to]` or a start or production date in `[from, to]`.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use domain::assessment::MeasureKind;
use domain::{Money, Stage};
use sea_orm::FromQueryResult;
use serde::Serialize;

use super::{Assessed, Counted, UnitMeasure, unit_of};
use crate::warnings::facts::Sql;
use crate::{Result, Store};

/// 1亿元 in hundredths of 万元: the threshold of the `new_*_major` measures.
pub const MAJOR: i64 = 10_000 * 100;

/// One project a measure counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountedProject {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// The project's own unit (the assessed unit or one of its sub-units).
    pub unit: String,
    pub unit_name: String,
    pub total_investment: Money,
    /// The stage whose date counted (`signed`, `started`, `producing`).
    pub stage: String,
    /// That date.
    pub date: NaiveDate,
    /// `start_rate` only: its accepted start date (≤ `to`), when it met; `None` otherwise.
    pub started_on: Option<NaiveDate>,
    /// `start_rate` only: whether it counts as started (the numerator); `None` otherwise.
    pub met: Option<bool>,
}

/// Whether a project's date of `stage` is the city's: nothing of the project waits for
/// review or was returned, or the stage the city accepted has reached `stage` (so a claim
/// still waiting is a later one). A paused or terminated accepted stage was accepted with
/// nothing pending, so every date before it is accepted (as `dashboard::signing_accepted`).
pub fn stage_date_accepted(stage: Stage, accepted_stage: &str, review_state: &str) -> bool {
    if !matches!(review_state, "submitted" | "returned") {
        return true;
    }
    match Stage::parse(accepted_stage).map(Stage::order) {
        Some(Some(at)) => stage.order().is_some_and(|s| at >= s),
        Some(None) => true,
        None => false,
    }
}

#[derive(Debug, FromQueryResult)]
struct Row {
    id: i64,
    code: String,
    name: String,
    unit_id: i64,
    categories: String,
    total_investment: i64,
    accepted_stage: String,
    review_state: String,
    signed_on: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
    producing_on: Option<NaiveDate>,
}

impl Row {
    /// The date of `stage`, when the city accepted it.
    fn accepted(&self, stage: Stage) -> Option<NaiveDate> {
        let d = match stage {
            Stage::Signed => self.signed_on,
            Stage::Started => self.started_on,
            Stage::Producing => self.producing_on,
            _ => None,
        }?;
        stage_date_accepted(stage, &self.accepted_stage, &self.review_state).then_some(d)
    }

    fn counted(&self, tree: &crate::UnitTree, stage: Stage, date: NaiveDate) -> CountedProject {
        let (unit, unit_name) = unit_of(tree, self.unit_id);
        CountedProject {
            id: self.id,
            code: self.code.clone(),
            name: self.name.clone(),
            unit,
            unit_name,
            total_investment: Money::from_hundredths(self.total_investment),
            stage: stage.code().into(),
            date,
            started_on: None,
            met: None,
        }
    }
}

const PROJECT_MEASURES: [MeasureKind; 5] = [
    MeasureKind::NewSignedMajor,
    MeasureKind::NewStartedMajor,
    MeasureKind::NewProducingMajor,
    MeasureKind::ForeignSigned,
    MeasureKind::StartRate,
];

/// `from − 1 year` (29 February → 28 February).
fn year_before(from: NaiveDate) -> NaiveDate {
    from.checked_sub_months(Months::new(12)).unwrap_or(from)
}

/// Those of `wanted` read from projects, per assessed unit (in `assessed` order).
pub(crate) async fn project_measures(
    store: &Store,
    assessed: &Assessed,
    wanted: &[MeasureKind],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<MeasureKind, Vec<UnitMeasure>>> {
    let kinds: Vec<MeasureKind> = PROJECT_MEASURES.iter().copied().filter(|k| wanted.contains(k)).collect();
    if kinds.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = fetch(store, assessed, from, to).await?;
    let tree = store.unit_tree();
    let in_period = |d: NaiveDate| d >= from && d <= to;
    let mut out = HashMap::new();
    for kind in kinds {
        let mut lists: Vec<Vec<CountedProject>> = assessed.per_unit();
        let mut met: Vec<u64> = vec![0; assessed.units.len()];
        for r in &rows {
            let major = r.total_investment >= MAJOR;
            let hit = match kind {
                MeasureKind::NewSignedMajor if major => r.accepted(Stage::Signed).filter(|d| in_period(*d)),
                MeasureKind::NewStartedMajor if major => r.accepted(Stage::Started).filter(|d| in_period(*d)),
                MeasureKind::NewProducingMajor if major => r.accepted(Stage::Producing).filter(|d| in_period(*d)),
                MeasureKind::ForeignSigned if r.categories.contains(",foreign,") => {
                    r.accepted(Stage::Signed).filter(|d| in_period(*d))
                }
                MeasureKind::StartRate if r.accepted_stage != Stage::Terminated.code() => {
                    r.accepted(Stage::Signed).filter(|d| *d >= year_before(from) && *d <= to)
                }
                _ => None,
            };
            let Some(date) = hit else { continue };
            let stage = match kind {
                MeasureKind::NewStartedMajor => Stage::Started,
                MeasureKind::NewProducingMajor => Stage::Producing,
                _ => Stage::Signed,
            };
            let mut c = r.counted(&tree, stage, date);
            let started = (kind == MeasureKind::StartRate).then(|| r.accepted(Stage::Started).filter(|d| *d <= to));
            if let Some(started) = started {
                c.started_on = started;
                c.met = Some(started.is_some());
            }
            for &k in assessed.owners(r.unit_id) {
                met[k] += u64::from(c.met == Some(true));
                lists[k].push(c.clone());
            }
        }
        let measures = lists
            .into_iter()
            .zip(met)
            .map(|(list, met)| {
                if kind == MeasureKind::StartRate {
                    let due = list.len() as u64;
                    UnitMeasure::rate(kind, met, due, Counted::Projects(list))
                } else {
                    UnitMeasure::count(kind, Counted::Projects(list))
                }
            })
            .collect();
        out.insert(kind, measures);
    }
    Ok(out)
}

/// The live projects of the subtrees with a date the measures may read, by date then id.
async fn fetch(store: &Store, assessed: &Assessed, from: NaiveDate, to: NaiveDate) -> Result<Vec<Row>> {
    if assessed.ids.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Sql::new(store.db().get_database_backend());
    let units = assessed.ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    // bound in the order they appear (SQLite's placeholders are positional)
    let mut range =
        |col: &str, a: NaiveDate, b: NaiveDate| format!("({col} >= {} AND {col} <= {})", q.bind(a), q.bind(b));
    let (signed, started, producing) =
        (range("signed_on", year_before(from), to), range("started_on", from, to), range("producing_on", from, to));
    let sql = format!(
        "SELECT id, code, name, unit_id, categories, total_investment, accepted_stage, review_state, \
         signed_on, started_on, producing_on FROM projects \
         WHERE deleted_at IS NULL AND unit_id IN ({units}) AND ({signed} OR {started} OR {producing}) ORDER BY id"
    );
    q.all(store, sql).await
}
