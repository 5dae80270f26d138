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
//! The types are plain on purpose: the caller maps them to its domain types.
//! Codes are those of `crates/domain/reference/*.csv`.

mod catalog;
mod companies;
mod projects;
mod rng;
mod timeline;
mod work;

use catalog::{
    CITIES, CITY_LEADER_TITLES, COMPANY_SUFFIXES, City, DOMESTIC_REGION_WEIGHTS, FOREIGN_ORIGINS, INDUSTRIES, Industry,
    Land, RANK_YEAR, REAL_COMPANIES, UNITS, Unit,
};
use chrono::{Datelike, Days, NaiveDate};
use std::collections::{HashMap, HashSet};

use companies::*;
use projects::*;
use rng::*;
use timeline::*;
pub use work::{DeptTask, Problem};

/// The dataset size the demo ships with.
pub const STANDARD_PROJECTS: usize = 360;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    pub companies: Vec<Company>,
    pub projects: Vec<Project>,
    /// 部门任务 on the projects (`DeptTask::project` indexes `projects`).
    pub tasks: Vec<DeptTask>,
    /// 困难和问题 on the projects.
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    /// Index in `Dataset::companies`.
    pub key: usize,
    pub name: String,
    pub credit_code: Option<String>,
    /// Chinese name of the country or area, e.g. "中国", "德国", "中国香港".
    pub country: String,
    /// regions.csv code.
    pub region: String,
    pub hq_city: String,
    /// industries.csv code.
    pub industry: String,
    pub fortune_global_500_rank: Option<i32>,
    pub china_500_rank: Option<i32>,
    pub china_private_500_rank: Option<i32>,
    pub industry_leader: bool,
    pub rank_year: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub name: String,
    /// units.csv code, only assessed units.
    pub unit: String,
    /// Keys of the investors; a foreign investor, if any, comes first.
    pub investor_keys: Vec<usize>,
    /// industries.csv leaf code.
    pub industry: String,
    /// regions.csv code: the region of the first investor.
    pub region: String,
    /// "air" | "land" | "online".
    pub channel: Option<String>,
    /// Subset of "pillar", "targeted", "foreign", "headquarters", in that order.
    pub categories: Vec<String>,
    /// Hundredths of 万元.
    pub total_investment_cents: i64,
    /// Hundredths of 万美元; only when an investor is foreign.
    pub foreign_investment_cents: Option<i64>,
    /// Hundredths of 亩.
    pub land_mu_cents: Option<i64>,
    pub lead_leader: Option<String>,
    pub created_on: NaiveDate,
    /// In order; the project starts in `reserve`, so a reserve project has
    /// none and the first one is never "reserve".
    pub transitions: Vec<Transition>,
    pub expected_producing_on: Option<NaiveDate>,
    pub funds: Vec<Funds>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// Stage code.
    pub to: String,
    pub date: NaiveDate,
    pub note: String,
    /// Set for "terminated" only.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Funds {
    pub date: NaiveDate,
    /// "domestic_out_of_province" (万元) | "foreign" (万美元).
    pub kind: String,
    /// Hundredths of the kind's unit.
    pub amount_cents: i64,
    pub note: String,
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
    let projects = build_projects(&mut project_rng, &companies, &meta, n_projects, today);
    // a stream of its own, forked last: the companies and projects stay as they were
    let (tasks, problems) = work::build_work(&mut rng.fork(), &projects, today);
    Dataset { companies, projects, tasks, problems }
}

/// The stage a project is at (its last transition's).
fn final_stage(p: &Project) -> &str {
    p.transitions.last().map_or("reserve", |t| t.to.as_str())
}

/// The day it reached that stage.
fn reached_on(p: &Project) -> Option<NaiveDate> {
    p.transitions.last().map(|t| t.date)
}

/// 150 for the standard size, growing slowly so that huge datasets do not
/// reuse a handful of investors for everything.
fn company_count(n_projects: usize) -> usize {
    (150 + n_projects / 50).min(5_000)
}

#[cfg(test)]
mod tests;
