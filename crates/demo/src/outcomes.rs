//! 运行监测 of the demo projects (domain.md §4): each year's output, tax and jobs of the
//! producing and at-capacity projects, from their producing year to this one (up to last
//! month), ramping up from a partial first year; a few are behind what was expected, a few ahead.

use chrono::{Datelike, NaiveDate};
use domain::{Money, Stage};
use store::bulk::BulkProject as Project;

use crate::rng::Rng;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOutcome {
    /// Index in `Dataset::projects`.
    pub project: usize,
    pub year: i32,
    pub output: Option<Money>,
    pub tax: Option<Money>,
    pub jobs: Option<i32>,
    pub note: Option<String>,
}

/// The day the project started producing, from its transitions (a move that skipped 投产
/// dated it too).
pub fn producing_on(p: &Project) -> Option<NaiveDate> {
    p.transitions.iter().find_map(|t| {
        if t.to == Stage::Producing { Some(t.date) } else { t.skipped_dates.get(&Stage::Producing).copied() }
    })
}

/// The expected yearly output, tax and jobs a signed project's contract states, where the
/// generated project has none: output 1.0–2.0 × the investment, tax 5–8 % of it, a job per
/// 150 万元 invested. Derived from the index, not drawn: every other stream stays as it was.
pub(crate) fn expect_figures(projects: &mut [Project]) {
    for (i, p) in projects.iter_mut().enumerate() {
        let signed = p.transitions.iter().any(|t| t.to.order() >= Stage::Signed.order() && t.to.is_active());
        if !signed || p.input.expected_output.is_some() {
            continue;
        }
        let i = i as i64;
        let output = share(p.input.total_investment, 1000 + (i * 37) % 1000);
        p.input.expected_output = Some(output);
        p.input.expected_tax = Some(share(output, 50 + (i * 7) % 30));
        let jobs = (p.input.total_investment.hundredths() / 100 / 150).clamp(20, 3000);
        p.input.expected_jobs = i32::try_from(jobs).ok();
    }
}

/// `m × permille / 1000`, in whole 万元.
fn share(m: Money, permille: i64) -> Money {
    Money::from_units(m.hundredths() / 100 * permille / 1000)
}

/// The outcomes of every project that produces as of `today`, for each year it produced in.
pub(crate) fn build_outcomes(rng: &mut Rng, projects: &[Project], today: NaiveDate) -> Vec<DemoOutcome> {
    let mut out = vec![];
    for (i, p) in projects.iter().enumerate() {
        let stage = p.transitions.last().map(|t| t.to);
        if !matches!(stage, Some(Stage::Producing | Stage::AtCapacity)) {
            continue;
        }
        let Some(from) = producing_on(p) else { continue };
        // one in ten has not reported yet
        if rng.permille(100) {
            continue;
        }
        // a steady performer, a laggard or one ahead of plan
        let level = *rng.pick(&[1000i64, 1000, 1000, 650, 1150]);
        let expected_output = p.input.expected_output.unwrap_or_else(|| share(p.input.total_investment, 800));
        let expected_jobs = i64::from(p.input.expected_jobs.unwrap_or(0));
        for year in from.year()..=today.year() {
            // a partial year counts its months: from producing, up to last month this year
            let first = if year == from.year() { from.month() } else { 1 };
            let last = if year == today.year() { today.month() - 1 } else { 12 };
            if last < first {
                continue;
            }
            let months = i64::from(last - first + 1);
            let ramp = if year == from.year() { 700 } else { 1000 };
            let permille = level * ramp / 1000 * months / 12 + rng.range(-60, 60);
            let output = share(expected_output, permille.max(50));
            let tax = share(output, rng.range(40, 90));
            let jobs = (expected_jobs > 0).then(|| expected_jobs * (permille.max(100) + rng.range(0, 150)) / 1000);
            // a partial year says so; a full year says why it is behind or ahead
            let note = match level {
                _ if year == from.year() => Some(format!("{first}月投产，按实际生产月份统计")),
                _ if year == today.year() => Some(format!("截至{last}月累计")),
                650 => Some("受市场需求影响，产能释放不及预期".to_string()),
                1150 => Some("订单饱满，产值超过签约预期".to_string()),
                _ => None,
            };
            out.push(DemoOutcome {
                project: i,
                year,
                output: Some(output),
                tax: Some(tax),
                jobs: jobs.and_then(|j| i32::try_from(j).ok()),
                note,
            });
        }
    }
    out
}
