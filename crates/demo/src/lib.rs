//! A deterministic generator of a believable demo dataset for zhaoshang:
//! companies (real 500强 names with their ranks plus invented ones with valid
//! 统一社会信用代码) and investment projects spread over Zhengzhou's 16
//! assessed units, every industry of the policy, every stage, with dated
//! stage transitions and monthly funds in place.
//!
//! Pure: no IO, no clock, no global state. The same `(seed, n_projects,
//! today)` always yields the same dataset, on every platform (integer
//! arithmetic only, our own PRNG).
//!
//! The types are the store's own inputs (`NewCompany`, `BulkProject`), so the
//! loader hands them to the store as they are. Codes are those of
//! `crates/domain/reference/*.csv`.

mod activities;
mod catalog;
mod companies;
mod inquiries;
mod landing;
mod leaders;
mod outcomes;
mod projects;
mod reportable;
mod rng;
mod targets;
mod timeline;
mod work;

use catalog::{
    CITIES, CITY_LEADER_TITLES, COMPANY_SUFFIXES, City, DOMESTIC_REGION_WEIGHTS, FOREIGN_ORIGINS, INDUSTRIES, Industry,
    Land, RANK_YEAR, REAL_COMPANIES, UNITS, Unit,
};
use chrono::{Datelike, Days, NaiveDate};
use std::collections::{HashMap, HashSet};

use domain::{Category, CreditCode, Money, Stage};
use store::bulk::BulkProject;
use store::companies::NewCompany;
use store::funds::NewFunds;
use store::projects::{ProjectInput as NewProject, TransitionInput};

pub use activities::{DEMO_ACTIVITIES, DemoActivity};
use companies::*;
pub use inquiries::{DemoInquiry, build_inquiries};
pub use landing::{Claim, ClaimOutcome, Confirmation, DemoAgreement, DemoMilestone, FourOnes, Landing};
pub use leaders::DemoLeader;
pub use outcomes::{DemoOutcome, producing_on};
use projects::*;
pub use reportable::DemoRaise;
use rng::*;
pub use targets::{DemoFollowUp, DemoTarget, TargetEnd};
use timeline::*;
pub use work::{DeptTask, Problem};

/// The dataset size the demo ships with.
pub const STANDARD_PROJECTS: usize = 360;

#[derive(Debug, Clone)]
pub struct Dataset {
    pub companies: Vec<NewCompany>,
    /// Each project with its dated transitions (in order, from reserve) and funds.
    /// `input.investor_ids` are indexes into `companies`, a foreign investor first: the
    /// loader replaces them with the ids the store gives those companies.
    pub projects: Vec<BulkProject>,
    /// 部门任务 on the projects (`DeptTask::project` indexes `projects`).
    pub tasks: Vec<DeptTask>,
    /// 困难和问题 on the projects.
    pub problems: Vec<Problem>,
    /// Claims, agreements, 四个一 and 月报 confirmations (issue #11).
    pub landing: Landing,
    /// 运行监测: the yearly output, tax and jobs of the producing projects.
    pub outcomes: Vec<DemoOutcome>,
    /// 靶向项目库: the companies the units court (issue #12).
    pub targets: Vec<DemoTarget>,
    /// 领导名录: every leader the projects name as 包联领导 (issue #12).
    pub leaders: Vec<DemoLeader>,
    /// 招商活动: a year of the units' trips, visits, receptions, promotions, expos and talks.
    pub activities: Vec<DemoActivity>,
    /// 纳入全市库: the projects a unit makes city-reportable by raising their investment.
    pub raises: Vec<DemoRaise>,
}

/// Builds the dataset. `n_projects` may be anything from 0 up; 100,000
/// projects take about a second in release (≈1 s measured on a busy 2-core
/// machine, ~5 s in a debug build) and about 200 MB, most of it the
/// ~575,000 monthly funds entries.
pub fn generate(seed: u64, n_projects: usize, today: NaiveDate) -> Dataset {
    let mut rng = Rng::new(seed);
    // Separate streams so that companies do not depend on project draws.
    let mut company_rng = rng.fork();
    let mut project_rng = rng.fork();
    let (companies, meta) = build_companies(&mut company_rng, company_count(n_projects));
    let (mut projects, rosters) = build_projects(&mut project_rng, &companies, &meta, n_projects, today);
    let leaders = leaders::register(&rosters);
    // a stream of its own, forked last: the companies and projects stay as they were
    let (tasks, problems) = work::build_work(&mut rng.fork(), &projects, today);
    // and another, forked after it: the tasks and problems stay as they were
    let landing = landing::build_landing(&mut rng.fork(), &projects, &companies, today);
    // and another after that: everything before stays as it was
    outcomes::expect_figures(&mut projects);
    let outcomes = outcomes::build_outcomes(&mut rng.fork(), &projects, today);
    // and one more, last of all
    let targets = targets::build_targets(&mut rng.fork(), &companies, &meta, today);
    // and one after the targets: the activities meet their companies
    let activities = activities::build_activities(&mut rng.fork(), &companies, &leaders, &targets, &projects, today);
    // no draws: the projects in talks a unit raises past 5亿元 (纳入全市库)
    let raises = reportable::build_raises(&projects, &companies);
    Dataset { companies, projects, tasks, problems, landing, outcomes, targets, leaders, activities, raises }
}

/// The stage a project is at (its last transition's).
fn final_stage(p: &BulkProject) -> &'static str {
    p.transitions.last().map_or(Stage::Reserve.code(), |t| t.to.code())
}

/// The day it reached that stage.
fn reached_on(p: &BulkProject) -> Option<NaiveDate> {
    p.transitions.last().map(|t| t.date)
}

/// 150 for the standard size, growing slowly so that huge datasets do not
/// reuse a handful of investors for everything.
fn company_count(n_projects: usize) -> usize {
    (150 + n_projects / 50).min(5_000)
}

#[cfg(test)]
mod tests;
