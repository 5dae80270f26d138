//! The measures read from projects' stage dates (assessment.md): `new_signed_major`,
//! `new_started_major`, `new_producing_major`, `foreign_signed` and `start_rate`, all from
//! the `Directory` of the live projects of the assessed units' subtrees (ONE query).

use std::collections::HashMap;

use chrono::{DateTime, Months, NaiveDate, Utc};
use domain::assessment::MeasureKind;
use domain::{Money, ReviewState, Stage};
use sea_orm::FromQueryResult;
use serde::{Deserialize, Serialize};

use super::packed::id_list;
use super::{AsOf, Assessed, Counted, Over, UnitMeasure, give};
use crate::sql::Sql;
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

/// One live project of the assessed subtrees as the packed query gives it (`COLS`, in order).
#[derive(Debug, Deserialize)]
pub(crate) struct Row {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit_id: i64,
    categories: String,
    total_investment: i64,
    accepted_stage: String,
    review_state: String,
    signed_on: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
    producing_on: Option<NaiveDate>,
}

/// Every live project of the assessed units' subtrees, read ONCE per computation (one
/// sequential read of `projects`, packed): the stage measures read its rows, and the funds,
/// clause and problem measures look their records' projects up in it (unit, code, name)
/// instead of joining `projects` per record — at 1,000,000 funds entries, ~450,000 row
/// lookups into the wide projects table took longer than the whole run may.
pub(crate) struct Directory {
    /// By id.
    rows: Vec<Row>,
    index: HashMap<i64, usize>,
}

impl Directory {
    pub(crate) async fn load(store: &Store, assessed: &Assessed) -> Result<Directory> {
        let mut rows: Vec<Row> = if assessed.ids.is_empty() {
            vec![]
        } else {
            let units = id_list(&assessed.ids);
            let sql = format!(
                "SELECT id, code, name, unit_id, categories, total_investment, accepted_stage, review_state, \
                 signed_on, started_on, producing_on FROM projects WHERE deleted_at IS NULL AND unit_id IN ({units})"
            );
            Sql::of(store).packed(store, COLS, sql).await?
        };
        if !rows.is_sorted_by_key(|r| r.id) {
            rows.sort_unstable_by_key(|r| r.id);
        }
        let index = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        Ok(Directory { rows, index })
    }

    /// A live project of the subtrees.
    pub(crate) fn get(&self, id: i64) -> Option<&Row> {
        self.index.get(&id).map(|&i| &self.rows[i])
    }
}

const COLS: &[&str] = &[
    "id",
    "code",
    "name",
    "unit_id",
    "categories",
    "total_investment",
    "accepted_stage",
    "review_state",
    "signed_on",
    "started_on",
    "producing_on",
];

/// What an as-of run knows of a project at the end of its day (`Reach::of`).
#[derive(Debug, Clone, Copy, Default)]
struct Reach {
    /// The project existed.
    created: bool,
    /// It has accepted transitions (else its dates came with the project itself).
    transitions: bool,
    /// The furthest active stage (its order) an accepted transition reached by then.
    furthest: Option<usize>,
    /// Its termination was recorded by then.
    terminated: bool,
}

#[derive(Debug, FromQueryResult)]
struct Made {
    id: i64,
    created_at: DateTime<Utc>,
}

#[derive(Debug, FromQueryResult)]
struct Accepted {
    project_id: i64,
    to_stage: String,
    created_at: DateTime<Utc>,
    accepted_on: Option<NaiveDate>,
}

impl Row {
    /// The date of `stage`, when the city accepted it (with `reach`: by the end of the
    /// as-of day too).
    fn accepted(&self, stage: Stage, reach: Option<&Reach>) -> Option<NaiveDate> {
        let d = match stage {
            Stage::Signed => self.signed_on,
            Stage::Started => self.started_on,
            Stage::Producing => self.producing_on,
            _ => None,
        }?;
        if let Some(r) = reach {
            let by_then = r.created && (!r.transitions || r.furthest.zip(stage.order()).is_some_and(|(f, s)| f >= s));
            if !by_then {
                return None;
            }
        }
        stage_date_accepted(stage, &self.accepted_stage, &self.review_state).then_some(d)
    }

    /// Terminated (with `reach`: by the end of the as-of day).
    fn terminated(&self, reach: Option<&Reach>) -> bool {
        self.accepted_stage == Stage::Terminated.code() && reach.is_none_or(|r| r.terminated)
    }

    fn counted(&self, tree: &crate::UnitTree, stage: Stage, date: NaiveDate) -> CountedProject {
        let (unit, unit_name) = tree.code_name(self.unit_id);
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

/// Those of `wanted` read from projects, per assessed unit (in `assessed` order); with
/// `as_of`, a stage date counts only if the city had accepted it by the end of that day.
pub(crate) async fn project_measures(
    over: Over<'_>,
    wanted: &[MeasureKind],
) -> Result<HashMap<MeasureKind, Vec<UnitMeasure>>> {
    let Over { store, assessed, dir, from, to, as_of } = over;
    let kinds: Vec<MeasureKind> = PROJECT_MEASURES.iter().copied().filter(|k| wanted.contains(k)).collect();
    if kinds.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = &dir.rows;
    let reach = match as_of {
        Some(as_of) => Some(Reach::of(store, assessed, from, to, as_of).await?),
        None => None,
    };
    let reach_of = |id: i64| reach.as_ref().map(|m| m.get(&id).copied().unwrap_or_default());
    let tree = store.unit_tree();
    let in_period = |d: NaiveDate| d >= from && d <= to;
    let mut out = HashMap::new();
    for kind in kinds {
        let mut lists: Vec<Vec<CountedProject>> = assessed.per_unit();
        let mut met: Vec<u64> = vec![0; assessed.units.len()];
        for r in rows {
            let reach = reach_of(r.id);
            let reach = reach.as_ref();
            let major = r.total_investment >= MAJOR;
            let hit = match kind {
                MeasureKind::NewSignedMajor if major => r.accepted(Stage::Signed, reach).filter(|d| in_period(*d)),
                MeasureKind::NewStartedMajor if major => r.accepted(Stage::Started, reach).filter(|d| in_period(*d)),
                MeasureKind::NewProducingMajor if major => {
                    r.accepted(Stage::Producing, reach).filter(|d| in_period(*d))
                }
                MeasureKind::ForeignSigned if r.categories.contains(",foreign,") => {
                    r.accepted(Stage::Signed, reach).filter(|d| in_period(*d))
                }
                MeasureKind::StartRate if !r.terminated(reach) => {
                    r.accepted(Stage::Signed, reach).filter(|d| *d >= year_before(from) && *d <= to)
                }
                _ => None,
            };
            let Some(date) = hit else { continue };
            let stage = match kind {
                MeasureKind::NewStartedMajor => Stage::Started,
                MeasureKind::NewProducingMajor => Stage::Producing,
                _ => Stage::Signed,
            };
            let owners = assessed.owners(r.unit_id);
            if owners.is_empty() {
                continue;
            }
            let mut c = r.counted(&tree, stage, date);
            let started =
                (kind == MeasureKind::StartRate).then(|| r.accepted(Stage::Started, reach).filter(|d| *d <= to));
            if let Some(started) = started {
                c.started_on = started;
                c.met = Some(started.is_some());
            }
            for &k in owners {
                met[k] += u64::from(c.met == Some(true));
            }
            give(&mut lists, owners, c);
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

/// The condition on the live projects of the subtrees with a date the measures may read
/// (the as-of lookups).
fn condition(q: &mut Sql, assessed: &Assessed, from: NaiveDate, to: NaiveDate) -> String {
    let units = id_list(&assessed.ids);
    // bound in the order they appear (SQLite's placeholders are positional)
    let mut range =
        |col: &str, a: NaiveDate, b: NaiveDate| format!("({col} >= {} AND {col} <= {})", q.bind(a), q.bind(b));
    let (signed, started, producing) =
        (range("signed_on", year_before(from), to), range("started_on", from, to), range("producing_on", from, to));
    format!("deleted_at IS NULL AND unit_id IN ({units}) AND ({signed} OR {started} OR {producing})")
}

impl Reach {
    /// Each project's reach at the end of the as-of day: when it was made, and its accepted
    /// transitions with the day each was accepted (its review's `accepted_on`, or, accepted
    /// as it was made — the city's own, an unreviewed stage — the day it was made).
    async fn of(
        store: &Store,
        assessed: &Assessed,
        from: NaiveDate,
        to: NaiveDate,
        as_of: AsOf,
    ) -> Result<HashMap<i64, Reach>> {
        let mut out: HashMap<i64, Reach> = HashMap::new();
        if assessed.ids.is_empty() {
            return Ok(out);
        }
        let mut q = Sql::of(store);
        let cond = condition(&mut q, assessed, from, to);
        let made: Vec<Made> = q.all(store, format!("SELECT id, created_at FROM projects WHERE {cond}")).await?;
        for m in made {
            out.insert(m.id, Reach { created: as_of.made_by(m.created_at), ..Reach::default() });
        }
        let mut q = Sql::of(store);
        let cond = condition(&mut q, assessed, from, to);
        let accepted = ReviewState::Accepted.code();
        let sql = format!(
            "SELECT t.project_id, t.to_stage, t.created_at, r.accepted_on FROM transitions t \
             LEFT JOIN reviews r ON r.transition_id = t.id AND r.state = '{accepted}' \
             WHERE t.review_state = '{accepted}' AND t.project_id IN (SELECT id FROM projects WHERE {cond})"
        );
        for t in q.all::<Accepted>(store, sql).await? {
            let Some(reach) = out.get_mut(&t.project_id) else { continue };
            reach.transitions = true;
            if !as_of.accepted_by(t.accepted_on, t.created_at) {
                continue;
            }
            match Stage::parse(&t.to_stage) {
                Some(Stage::Terminated) => reach.terminated = true,
                Some(s) => reach.furthest = reach.furthest.max(s.order()),
                None => {}
            }
        }
        Ok(out)
    }
}
