//! What an import reports: errors by row (the first [`MAX_ERRORS`], all counted) and, per
//! row, what it creates or changes.

use domain::fields::PROJECT;
use domain::ledger::quote;
use domain::{Category, Money};
use serde::Serialize;

use crate::StoreError;

use super::ImportRow;

/// One cell (or row) an import cannot take: the ledger parser's error type.
pub use domain::ledger::RowError as ImportError;

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub dry_run: bool,
    /// Rows that create a project (row numbers).
    pub created: Vec<u32>,
    /// Rows that change an existing project.
    pub updated: Vec<u32>,
    /// Rows that match a project and change nothing.
    pub unchanged: Vec<u32>,
    /// The first [`MAX_ERRORS`] errors; `error_count` counts them all.
    pub errors: Vec<ImportError>,
    pub error_count: usize,
    /// The first [`MAX_ERRORS`] rows that create or update a project, in file order, with
    /// what they change (`created` and `updated` list them all).
    pub plans: Vec<RowPlan>,
    /// Whether the changes were written (false for a dry run or when there were errors).
    pub committed: bool,
    /// What is imported but worth a look, by row (the first [`MAX_ERRORS`]; `warning_count`
    /// counts them all): a 包联领导 that matches no leader of the register is kept as text.
    /// A warning does not stop the import.
    pub warnings: Vec<ImportError>,
    pub warning_count: usize,
}

/// One field a row changes, as the preview shows it: the column's label, before → after.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// What one row will do: create a project, or update one (with the fields it changes).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct RowPlan {
    pub row: u32,
    /// `create` or `update`.
    pub action: &'static str,
    /// The project's code (an update only).
    pub code: Option<String>,
    pub name: String,
    pub changes: Vec<FieldChange>,
}

/// A value as the preview shows it.
pub(super) trait Shown {
    fn shown(&self) -> String;
}

impl Shown for String {
    fn shown(&self) -> String {
        self.clone()
    }
}

impl Shown for Money {
    fn shown(&self) -> String {
        self.to_string()
    }
}

impl Shown for chrono::NaiveDate {
    fn shown(&self) -> String {
        self.to_string()
    }
}

impl<T: Shown> Shown for Option<T> {
    fn shown(&self) -> String {
        self.as_ref().map(Shown::shown).unwrap_or_default()
    }
}

impl Shown for Vec<Category> {
    fn shown(&self) -> String {
        self.iter().map(|c| c.label()).collect::<Vec<_>>().join("、")
    }
}

/// The change of a project field, labelled as the ledger's column, codes shown as names.
pub(super) fn named(field: &str, before: String, after: String) -> FieldChange {
    use domain::reference;
    let name = |e: Option<&reference::Entry>, v: String| e.map_or(v, |e| e.name.clone());
    let (before, after) = match field {
        "industry" => (name(reference::industry(&before), before), name(reference::industry(&after), after)),
        "region" => (name(reference::region(&before), before), name(reference::region(&after), after)),
        "channel" => (name(reference::channel(&before), before), name(reference::channel(&after), after)),
        _ => (before, after),
    };
    change(PROJECT.label(field), before, after)
}

pub(super) fn change(field: &str, before: impl Into<String>, after: impl Into<String>) -> FieldChange {
    FieldChange { field: field.into(), before: quote(&before.into()), after: quote(&after.into()) }
}

/// Errors kept in a report (the ledger parser keeps as many): a report stays small however
/// bad the file is.
pub use domain::ledger::MAX_ERRORS;

impl ImportReport {
    /// Count an error; keep it while the list has room.
    pub(super) fn fail(&mut self, e: ImportError) {
        self.error_count += 1;
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(e);
        }
    }

    /// Count a warning; keep it while the list has room.
    pub(super) fn warn(&mut self, w: ImportError) {
        self.warning_count += 1;
        if self.warnings.len() < MAX_ERRORS {
            self.warnings.push(w);
        }
    }

    pub(super) fn plan(&mut self, p: RowPlan) {
        if self.plans.len() < MAX_ERRORS {
            self.plans.push(p);
        }
    }

    pub fn ok(&self) -> bool {
        self.error_count == 0
    }
}

/// An error of one row; the cell's text is quoted up to 100 characters.
pub(super) fn err(row: u32, column: &str, value: impl Into<String>, reason: impl Into<String>) -> ImportError {
    ImportError { row, column: column.into(), value: quote(&value.into()), reason: reason.into() }
}

pub(super) fn field_error(r: &ImportRow, e: StoreError) -> ImportError {
    match e {
        StoreError::Validation(fields) => {
            let f = fields.into_iter().next();
            let column = f.as_ref().map(|f| PROJECT.label(&f.field).to_string()).unwrap_or_default();
            err(r.row, &column, "", f.map(|f| f.message).unwrap_or_default())
        }
        other => err(r.row, "项目编号", r.code.clone().unwrap_or_default(), other.to_string()),
    }
}

/// A bulk error names its item as 第n项; map it back to the spreadsheet row.
pub(super) fn row_error(rows: &[u32], message: &str, field: &str) -> ImportError {
    let n = message
        .strip_prefix('第')
        .and_then(|m| m.split('项').next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let row = n.checked_sub(1).and_then(|i| rows.get(i)).copied().unwrap_or(0);
    let reason = message.split_once('：').map(|(_, m)| m).unwrap_or(message);
    err(row, PROJECT.label(field), "", reason)
}
