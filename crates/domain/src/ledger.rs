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

/// Errors kept in a report: the first ones by row; `Parsed::error_count` (`ImportReport::
/// error_count` in the store) counts them all. A file full of bad cells would otherwise give
/// a report many times its own size.
pub const MAX_ERRORS: usize = 1_000;

/// A cell's text quoted in an error is cut to this many characters (and `…`).
pub const MAX_QUOTED_CHARS: usize = 100;

/// A cell's text as an error (or an import's preview) quotes it: at most
/// [`MAX_QUOTED_CHARS`] characters, then `…`.
pub fn quote(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// One cell that cannot be taken: the parser's error, and the store's when it applies a
/// row (`store::import::ImportError`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The row as the spreadsheet numbers it (1-based, banner rows counted).
    pub row: u32,
    /// The column's label as written in the file (the template's label when the file lacks
    /// the column).
    pub column: String,
    /// The cell's text as the spreadsheet shows it.
    pub value: String,
    /// Why, in Chinese.
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.value.is_empty() {
            write!(f, "第{}行「{}」：{}", self.row, self.column, self.reason)
        } else {
            write!(f, "第{}行「{}」「{}」：{}", self.row, self.column, self.value, self.reason)
        }
    }
}
