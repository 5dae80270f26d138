//! 考核 measures (assessment.md, Measures; seed 三(三)): each computed measure of a unit
//! **and its child units** over a period `[from, to]`, from what the city accepted, with the
//! records it counted (the drill-down), and a run of a scheme through
//! `domain::assessment::assess`.
//!
//! One concern a file: [`projects`] (the stage-date measures and `start_rate`, one query),
//! [`funds`] (`funds_domestic`, `funds_foreign`, one query), [`clauses`] (`fulfilment_rate`,
//! one query), [`problems`] (`problem_resolution_rate`, one query), and the two activity
//! measures read from `crate::activities` (one fetch of the period's activities for all units).
//! Every query covers all the assessed units at once (their subtrees' unit ids in one `IN`
//! list) and the rows are grouped by assessed unit in memory; none runs per project.
//!
//! **What counts** (domain.md, Review: "what counts is what the city accepted"):
//! - a stage date counts once the city accepted that stage: the project has no claim waiting
//!   or returned, or the stage it has accepted reached that stage
//!   ([`projects::stage_date_accepted`]); a submitted or returned claim's date never counts;
//! - a funds entry once its `review_state` is `accepted`;
//! - soft-deleted projects (and their entries, agreements, clauses, problems) never count,
//!   nor soft-deleted entries and agreements.
//!
//! **As of a day** ([`AssessmentInput::as_of`], [`Scoped::run_assessment_as_of`]; the CLI's
//! `assess --as-of DATE`): the measures as the records stood at the end of that day
//! (Asia/Shanghai, i.e. before 00:00 of the next day there). Without it: as they stand now.
//! What the schema records, and so what counts as of day D:
//! - a **funds entry** counts if it is accepted and was accepted by D: its accepted review's
//!   `accepted_on` ≤ D, or — accepted as it was made (the city's own, an unreviewed project)
//!   — its `created_at` before the end of D;
//! - a **stage date** counts if it counts now and an accepted transition of the project that
//!   reached that stage or a later one was accepted by D (the transition's review's
//!   `accepted_on`, else its `created_at`); a project with no accepted transition at all (its
//!   dates came with it) by its own `created_at`. Nothing of a project made after D counts.
//!   `start_rate` leaves a project out as terminated only if its termination was recorded by D;
//! - a **clause** is in the denominator if made by D (`created_at`) and counts as fulfilled
//!   (or waived) only if its `status_on` ≤ D and it was last changed (`updated_at`) by D;
//! - a **problem** is in the denominator if made by D and resolved only if `resolved_on` ≤ D
//!   and it was last changed by D;
//! - an **activity** counts only if recorded (`created_at`) by D.
//!
//! What the schema cannot reconstruct, and how it is read: only the current state of a
//! record is kept, with the time of its last change. So a clause or problem whose status
//! changed after D (fulfilled in June, marked breached in August: as of July it is read as
//! still open — its later change hides the earlier one), a date or amount corrected after D
//! (read as corrected), a claim returned and resubmitted (only its last submission and
//! decision are kept) and a record soft-deleted after D (deletions correct wrong records: it
//! never counts) are read from what stands now. The audit log holds the full history; the
//! measures do not replay it. A published bulletin freezes its results; recomputing later
//! shows the difference.
//!
//! **How it is read** (BENCHMARKS.md, "Assessment run"): the live projects of the subtrees
//! once (`projects::Directory`); the funds entries index-only, the clauses and problems
//! without a per-record join, each record's project looked up in the directory; every
//! query's rows packed into one JSON array by the database (`packed.rs`). The store caches
//! nothing of a run.
//!
//! **Manual measures** (`manual:<code>`, 营商环境 items): [`Scoped::run_assessment`] takes
//! them as an input map (unit code → measure → value); [`stored`]'s `store_run` reads them,
//! and the 加减分 entries, from what city_admin recorded for the scheme's period ([`inputs`]).
//!
//! **Scope**: `assessment:read` reads the measures of units inside the caller's scope (a
//! unit user: its own unit and sub-units; the city: any); `assessment:run` with the
//! city-wide scope (city_admin, supervisor) runs a scheme over every assessed unit.

pub mod clauses;
pub mod funds;
pub mod inputs;
pub mod leaders;
mod packed;
pub mod problems;
pub mod projects;
pub mod stored;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use domain::Permission;
use domain::activity::ActivityMeasure;
use domain::agreement::Ratio;
use domain::assessment::{Adjustment, Assessment, Measure, MeasureKind, Measures, Scheme, UnitRef, assess};
use rust_decimal::Decimal;
use serde::Serialize;

pub use crate::activities::CountedActivity;
pub use clauses::CountedClause;
pub use funds::CountedFunds;
pub use inputs::{AdjustmentEntry, AdjustmentInput, ManualValue, ManualValueInput};
pub use problems::CountedProblem;
pub use projects::CountedProject;
pub use stored::{Record, RunInputs, RunSummary, SchemeSource, StoredRun, StoredScheme};

use crate::scope::ProjectScope;
use crate::{Result, Scope, Scoped, StoreError};

/// What to compute: the period, the units (codes or names) and the measures.
#[derive(Debug, Clone)]
pub struct AssessmentInput {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub units: Vec<String>,
    /// The computed measures wanted (each at most once is enough; repeats are ignored).
    pub measures: Vec<MeasureKind>,
    /// The records as they stood at the end of this day (Asia/Shanghai); `None`: as they
    /// stand now. See the module doc, "As of a day".
    pub as_of: Option<NaiveDate>,
}

/// What every computed measure reads over: the assessed units with the directory of their
/// live projects, the period `[from, to]`, and the as-of day (none: the records as they
/// stand now).
#[derive(Clone, Copy)]
pub(crate) struct Over<'a> {
    pub store: &'a crate::Store,
    pub assessed: &'a Assessed,
    pub dir: &'a projects::Directory,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: Option<AsOf>,
}

/// The end of an as-of day (Asia/Shanghai): what was made, accepted or settled by then.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AsOf {
    pub day: NaiveDate,
    /// The first instant after the day.
    end: DateTime<Utc>,
}

impl AsOf {
    pub(crate) fn new(day: NaiveDate) -> AsOf {
        let end = day
            .succ_opt()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|t| t.and_local_timezone(domain::SHANGHAI).single())
            .map_or(DateTime::<Utc>::MAX_UTC, |t| t.with_timezone(&Utc));
        AsOf { day, end }
    }

    /// Made (created, last changed) by the end of the day.
    pub(crate) fn made_by(&self, at: DateTime<Utc>) -> bool {
        at < self.end
    }

    /// Accepted by the end of the day: a claim the city reviewed on the day it accepted it
    /// (`reviews.accepted_on`); one accepted as it was made (the city's own, an unreviewed
    /// stage) when it was made.
    pub(crate) fn accepted_by(&self, accepted_on: Option<NaiveDate>, created_at: DateTime<Utc>) -> bool {
        match accepted_on {
            Some(d) => d <= self.day,
            None => self.made_by(created_at),
        }
    }
}

/// When a record (a clause, a problem) was made and last changed, read only for an as-of run.
#[derive(Debug, sea_orm::FromQueryResult)]
pub(crate) struct Made {
    id: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl AsOf {
    /// Of the records `made`: those made after the day (they do not count), and those last
    /// changed after it (as they stood then, not settled).
    pub(crate) fn late_and_changed(&self, made: &[Made]) -> (HashSet<i64>, HashSet<i64>) {
        let after = |at: DateTime<Utc>| !self.made_by(at);
        let late = made.iter().filter(|m| after(m.created_at)).map(|m| m.id).collect();
        (late, made.iter().filter(|m| after(m.updated_at)).map(|m| m.id).collect())
    }
}

/// Give the counted record `c` to the lists of each of `owners` (the assessed units it
/// counts for: its unit and every assessed ancestor).
pub(crate) fn give<T: Clone>(lists: &mut [Vec<T>], owners: &[usize], c: T) {
    if let Some((last, others)) = owners.split_last() {
        for &k in others {
            lists[k].push(c.clone());
        }
        lists[*last].push(c);
    }
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct MadeActivity {
    id: i64,
    created_at: DateTime<Utc>,
}

/// The records a measure counted.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", content = "items", rename_all = "snake_case")]
pub enum Counted {
    Projects(Vec<CountedProject>),
    Funds(Vec<CountedFunds>),
    Clauses(Vec<CountedClause>),
    Problems(Vec<CountedProblem>),
    Activities(Vec<CountedActivity>),
}

impl Counted {
    /// How many records are listed (for a rate: the denominator's).
    pub fn len(&self) -> usize {
        match self {
            Counted::Projects(v) => v.len(),
            Counted::Funds(v) => v.len(),
            Counted::Clauses(v) => v.len(),
            Counted::Problems(v) => v.len(),
            Counted::Activities(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One measure of one unit (and its sub-units): the value and what it counted.
#[derive(Debug, Clone, Serialize)]
pub struct UnitMeasure {
    pub measure: MeasureKind,
    /// An amount (万元, 万美元), a count, or a rate in [0, 1] (exact).
    pub value: Decimal,
    /// A rate's count: `met` of `due` (`None` when there was nothing to count, or for a
    /// measure that is not a rate).
    pub met: Option<u64>,
    pub due: Option<u64>,
    /// For an amount or a count, exactly the records summed or counted; for a rate, every
    /// record of the denominator, each saying whether it met.
    pub counted: Counted,
}

impl UnitMeasure {
    fn count(measure: MeasureKind, counted: Counted) -> UnitMeasure {
        UnitMeasure { measure, value: Decimal::from(counted.len() as u64), met: None, due: None, counted }
    }

    fn rate(measure: MeasureKind, met: u64, due: u64, counted: Counted) -> UnitMeasure {
        let ratio = Ratio::new(met, due);
        let value = domain::assessment::rate_value(measure, ratio).unwrap_or(Decimal::ZERO);
        UnitMeasure { measure, value, met: ratio.map(Ratio::met), due: ratio.map(Ratio::due), counted }
    }
}

/// One assessed unit's measures, in the order asked.
#[derive(Debug, Clone, Serialize)]
pub struct UnitMeasures {
    pub unit: UnitRef,
    pub measures: Vec<UnitMeasure>,
}

/// The measures of every unit asked, in the order asked.
#[derive(Debug, Clone, Serialize)]
pub struct MeasureTable {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub units: Vec<UnitMeasures>,
}

impl MeasureTable {
    /// One unit's measure.
    pub fn get(&self, unit: &str, measure: MeasureKind) -> Option<&UnitMeasure> {
        self.units.iter().find(|u| u.unit.code == unit)?.measures.iter().find(|m| m.measure == measure)
    }

    /// The values as `domain::assessment::assess` reads them.
    pub fn values(&self) -> Measures {
        self.units
            .iter()
            .map(|u| {
                let m = u.measures.iter().map(|m| (Measure::Computed(m.measure), m.value)).collect();
                (u.unit.code.clone(), m)
            })
            .collect()
    }
}

/// The assessed units resolved: each unit's subtree, and for every unit id of them the
/// assessed units it counts for (a unit counts for itself and every assessed ancestor).
pub(crate) struct Assessed {
    pub units: Vec<UnitRef>,
    /// Every unit id of the subtrees, sorted.
    pub ids: Vec<i64>,
    owners: HashMap<i64, Vec<usize>>,
}

impl Assessed {
    fn new(store: &crate::Store, units: &[String]) -> Result<Assessed> {
        let tree = store.unit_tree();
        let mut refs = Vec::new();
        let mut owners: HashMap<i64, Vec<usize>> = HashMap::new();
        for text in units {
            let u = tree.find(text).ok_or_else(|| StoreError::field("units", format!("单位「{text}」不存在")))?;
            if refs.iter().any(|r: &UnitRef| r.code == u.code) {
                continue;
            }
            let k = refs.len();
            refs.push(UnitRef::new(u.code.clone(), u.name.clone()));
            for id in tree.subtree(u.id) {
                owners.entry(id).or_default().push(k);
            }
        }
        let mut ids: Vec<i64> = owners.keys().copied().collect();
        ids.sort_unstable();
        Ok(Assessed { units: refs, ids, owners })
    }

    /// The assessed units (indexes into `units`) a record of unit `unit_id` counts for.
    pub fn owners(&self, unit_id: i64) -> &[usize] {
        self.owners.get(&unit_id).map_or(&[], Vec::as_slice)
    }

    /// An empty list per assessed unit.
    pub fn per_unit<T>(&self) -> Vec<Vec<T>> {
        self.units.iter().map(|_| Vec::new()).collect()
    }
}

/// The units a run assesses by default: those marked `assessed` in the unit tree (the
/// districts, county-level cities, counties and zones), in the tree's order.
pub fn assessable_units(tree: &crate::UnitTree) -> Vec<UnitRef> {
    tree.all().iter().filter(|u| u.assessed).map(|u| UnitRef::new(u.code.clone(), u.name.clone())).collect()
}

/// The computed measures a scheme reads, plus `funds_domestic` (the tie-break).
pub fn measures_of(scheme: &Scheme) -> Vec<MeasureKind> {
    let mut out = vec![MeasureKind::FundsDomestic];
    for i in &scheme.indicators {
        if let Measure::Computed(k) = i.measure
            && !out.contains(&k)
        {
            out.push(k);
        }
    }
    out
}

/// Manual measure values (`manual:<code>`): unit code → measure → value, entered by
/// `city_admin` ([`inputs`]).
pub type ManualMeasures = BTreeMap<String, BTreeMap<Measure, Decimal>>;

/// A run: the domain's ranking and the measure table it was computed from (the drill-down).
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentRun {
    pub assessment: Assessment,
    pub measures: MeasureTable,
}

impl Scoped<'_> {
    /// Each of `input.measures` for each of `input.units` (and its sub-units) over
    /// `[from, to]`, with the records counted. Needs `assessment:read`; every unit must lie in
    /// the caller's scope (403; a department user: 403); an unknown unit or `to < from`: 422.
    pub async fn assessment_measures(&self, input: &AssessmentInput) -> Result<MeasureTable> {
        self.require_by_unit(Permission::AssessmentRead)?;
        if input.to < input.from {
            return Err(StoreError::field("to", "截止日期不能早于起始日期"));
        }
        let assessed = Assessed::new(self.store, &input.units)?;
        for u in &assessed.units {
            // the same refusal as every other scoped read: outside the subtree, 403
            ProjectScope::of(self.store, self.actor, Some(&u.code))?;
        }
        let (from, to) = (input.from, input.to);
        let as_of = input.as_of.map(AsOf::new);
        let mut wanted: Vec<MeasureKind> = Vec::new();
        for m in &input.measures {
            if !wanted.contains(m) {
                wanted.push(*m);
            }
        }
        let mut per_unit: Vec<Vec<UnitMeasure>> = assessed.per_unit();
        let mut put = |rows: Vec<UnitMeasure>| {
            for (k, m) in rows.into_iter().enumerate() {
                per_unit[k].push(m);
            }
        };
        let dir = projects::Directory::load(self.store, &assessed).await?;
        let over = Over { store: self.store, assessed: &assessed, dir: &dir, from, to, as_of };
        let project_measures = projects::project_measures(over, &wanted).await?;
        let mut funds = funds::funds_measures(over, &wanted).await?;
        let mut by_kind: HashMap<MeasureKind, Vec<UnitMeasure>> = project_measures;
        by_kind.extend(funds.drain());
        if wanted.contains(&MeasureKind::FulfilmentRate) {
            by_kind.insert(MeasureKind::FulfilmentRate, clauses::fulfilment_rate(over).await?);
        }
        if wanted.contains(&MeasureKind::ProblemResolutionRate) {
            let rows = problems::problem_resolution_rate(over).await?;
            by_kind.insert(MeasureKind::ProblemResolutionRate, rows);
        }
        let late = self.activities_made_after(&wanted, from, to, as_of).await?;
        let activity_kinds: Vec<(MeasureKind, ActivityMeasure)> = [
            (MeasureKind::LeaderVisits500, ActivityMeasure::LeaderVisits500),
            (MeasureKind::LeaderTalks, ActivityMeasure::LeaderTalks),
        ]
        .into_iter()
        .filter(|(k, _)| wanted.contains(k))
        .collect();
        if !activity_kinds.is_empty() {
            // one fetch of the period's activities for every unit, grouped by assessed unit
            let which: Vec<ActivityMeasure> = activity_kinds.iter().map(|(_, a)| *a).collect();
            let counted = self.activities_counted(&which, from, to).await?;
            for (kind, activity) in activity_kinds {
                let mut lists: Vec<Vec<CountedActivity>> = assessed.per_unit();
                for (m, unit_id, c) in &counted {
                    if *m != activity || late.contains(&c.id) {
                        continue;
                    }
                    for &k in assessed.owners(*unit_id) {
                        lists[k].push(c.clone());
                    }
                }
                let rows = lists.into_iter().map(|l| UnitMeasure::count(kind, Counted::Activities(l))).collect();
                by_kind.insert(kind, rows);
            }
        }
        for kind in &wanted {
            if let Some(rows) = by_kind.remove(kind) {
                put(rows);
            }
        }
        let units =
            assessed.units.into_iter().zip(per_unit).map(|(unit, measures)| UnitMeasures { unit, measures }).collect();
        Ok(MeasureTable { from, to, units })
    }

    /// Runs `scheme` over every assessed unit (the tree's `assessed` units, narrowed by the
    /// scheme's `units` list): the computed measures it reads over its period, the `manual`
    /// values passed for its `manual:*` measures, the `adjustments` (加分/扣分). Needs
    /// `assessment:run` and the city-wide scope (403 otherwise, e.g. for a unit user); a
    /// scheme that does not fit the units, or missing manual values, is refused (422, one
    /// message per problem, under `scheme`).
    pub async fn run_assessment(
        &self,
        scheme: &Scheme,
        manual: &ManualMeasures,
        adjustments: &[Adjustment],
    ) -> Result<AssessmentRun> {
        self.run_assessment_as_of(scheme, manual, adjustments, None).await
    }

    /// [`Scoped::run_assessment`] over the records as they stood at the end of `as_of`
    /// (Asia/Shanghai; `None`: as they stand now). See the module doc, "As of a day".
    pub async fn run_assessment_as_of(
        &self,
        scheme: &Scheme,
        manual: &ManualMeasures,
        adjustments: &[Adjustment],
        as_of: Option<NaiveDate>,
    ) -> Result<AssessmentRun> {
        self.require(Permission::AssessmentRun)?;
        if self.actor.scope != Scope::All {
            return Err(StoreError::Forbidden);
        }
        let all = assessable_units(&self.store.unit_tree());
        let units = scheme.assessed_units(&all).map_err(problems_error)?;
        let input = AssessmentInput {
            from: scheme.from,
            to: scheme.to,
            units: units.iter().map(|u| u.code.clone()).collect(),
            measures: measures_of(scheme),
            as_of,
        };
        let table = self.assessment_measures(&input).await?;
        let mut values = table.values();
        for (unit, m) in manual {
            let row = values.entry(unit.clone()).or_default();
            for (measure, v) in m {
                if matches!(measure, Measure::Manual(_)) {
                    row.insert(measure.clone(), *v);
                }
            }
        }
        let assessment = assess(scheme, &units, &values, adjustments).map_err(problems_error)?;
        Ok(AssessmentRun { assessment, measures: table })
    }
}

impl Scoped<'_> {
    /// With `as_of`, the ids of the activities dated in `[from, to]` recorded after its end
    /// (they do not count); empty otherwise, or when no activity measure is wanted.
    async fn activities_made_after(
        &self,
        wanted: &[MeasureKind],
        from: NaiveDate,
        to: NaiveDate,
        as_of: Option<AsOf>,
    ) -> Result<std::collections::HashSet<i64>> {
        let Some(as_of) = as_of else { return Ok(Default::default()) };
        if !wanted.iter().any(|m| matches!(m, MeasureKind::LeaderVisits500 | MeasureKind::LeaderTalks)) {
            return Ok(Default::default());
        }
        let mut q = crate::sql::Sql::of(self.store);
        let (a, b) = (q.bind(from), q.bind(to));
        let sql = format!("SELECT id, created_at FROM activities WHERE start_on >= {a} AND start_on <= {b}");
        let made: Vec<MadeActivity> = q.all(self.store, sql).await?;
        Ok(made.into_iter().filter(|m| !as_of.made_by(m.created_at)).map(|m| m.id).collect())
    }
}

pub(crate) fn problems_error(p: domain::assessment::Problems) -> StoreError {
    StoreError::Validation(p.messages().into_iter().map(|m| domain::FieldError::new("scheme", m)).collect())
}
