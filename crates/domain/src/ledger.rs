//! One row of the Excel ledger (台账, ledger.md), as the `ledger` crate parses it and the
//! store applies it: codes for the reference values, exact amounts, the stage's dates.
//! Defined once here, where both crates can see it.

use chrono::NaiveDate;
use serde::Serialize;

use crate::stage::StageDates;
use crate::{Category, Money, Stage};

/// One ledger row that parsed without error: codes for the reference values, exact amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerRow {
    /// The row as the spreadsheet numbers it.
    pub row: u32,
    /// 项目编号: present → update that project.
    pub code: Option<String>,
    pub name: String,
    /// The unit's code (`jinshui`).
    pub unit: String,
    /// Investor company names, in the file's order, each once.
    pub investors: Vec<String>,
    /// One of `ledger::value::INVESTOR_TYPES` (several joined by `、`).
    pub investor_type: Option<String>,
    /// Region code. `None` only when the file has no 投资方来源地 column (an empty cell in
    /// the column is an error: every project has a region).
    pub region: Option<String>,
    /// Industry code. `None` only when the file has no 产业类别 column (as `region`).
    pub industry: Option<String>,
    /// In the order pillar, targeted, foreign, headquarters.
    pub categories: Vec<Category>,
    /// `air` / `land` / `online`; `None` when empty or `无`.
    pub channel: Option<String>,
    /// 万元.
    pub total_investment: Money,
    /// 万美元.
    pub foreign_investment: Option<Money>,
    /// 亩.
    pub land_mu: Option<Money>,
    pub stage: Stage,
    /// The dated stages' dates, consistent with `stage` (domain.md §4, replayed from reserve).
    pub dates: StageDates,
    pub expected_producing_on: Option<NaiveDate>,
    pub lead_leader: Option<String>,
    pub progress: Option<String>,
    pub problem: Option<String>,
    pub notes: Option<String>,
}
