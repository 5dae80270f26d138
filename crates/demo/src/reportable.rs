//! 纳入全市库 (issue 12; domain.md §4, seed 三(一)一): a few units raise the total
//! investment of a project still in talks past 5亿元 after it went in, so it becomes
//! city-reportable and waits in the city's queue with the amount as its reason; the city
//! accepted some, returned one. (Pillar projects are 10亿 and more: reportable from the
//! start.) The raised projects become key projects without their 四个一 yet.
//!
//! Pure and deterministic, with no random draws: every other part stays as it was.

use domain::{Money, Stage};
use store::bulk::BulkProject as Project;
use store::companies::NewCompany;

use crate::landing::ClaimOutcome;

/// A unit's update of a project's total investment that makes it city-reportable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoRaise {
    /// Index in `Dataset::projects`.
    pub project: usize,
    pub total_investment: Money,
    /// What the city did with the claim (`Resubmitted` is not used).
    pub outcome: ClaimOutcome,
}

/// How many projects the demo raises (fewer when the dataset has fewer candidates).
const RAISES: usize = 7;

/// Whether `p` is city-reportable over the demo's companies (the store's own rule).
pub(crate) fn is_reportable(p: &Project, companies: &[NewCompany]) -> bool {
    let standings: Vec<domain::InvestorStanding> = p
        .input
        .investor_ids
        .iter()
        .filter_map(|&k| companies.get(k as usize))
        .map(|c| domain::InvestorStanding {
            fortune_global_500: c.fortune_global_500_rank.is_some(),
            china_500: c.china_500_rank.is_some(),
            china_private_500: c.china_private_500_rank.is_some(),
            industry_leader: c.industry_leader,
        })
        .collect();
    domain::city_reportable(p.input.total_investment, &standings)
}

/// The first projects in reserve or in talks that are not city-reportable, one per unit.
pub(crate) fn build_raises(projects: &[Project], companies: &[NewCompany]) -> Vec<DemoRaise> {
    let mut units: Vec<&str> = vec![];
    let mut out = vec![];
    for (i, p) in projects.iter().enumerate() {
        if out.len() == RAISES {
            break;
        }
        let stage = p.transitions.last().map_or(Stage::Reserve, |t| t.to);
        if !matches!(stage, Stage::Reserve | Stage::Negotiating)
            || units.contains(&p.input.unit.as_str())
            || is_reportable(p, companies)
        {
            continue;
        }
        units.push(&p.input.unit);
        let n = out.len();
        let outcome = match n {
            4 => ClaimOutcome::Returned("请补充增资后的投资协议及总投资构成说明。"),
            5 | 6 => ClaimOutcome::Accepted,
            _ => ClaimOutcome::Waiting,
        };
        out.push(DemoRaise { project: i, total_investment: Money::from_units(52_000 + 4_000 * n as i64), outcome });
    }
    out
}
