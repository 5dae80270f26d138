//! Pure types and rules of zhaoshang: no IO, no web or storage types.
//!
//! Everything a rule needs arrives as a value; the storage layer only fetches facts.

// `vocabulary_rows!`, the vocabularies' values from data/vocabularies.csv (build.rs); before
// the modules, which declare the enums with `vocabulary!`.
include!(concat!(env!("OUT_DIR"), "/vocabularies.rs"));

pub mod access;
pub mod activity;
pub mod agreement;
pub mod ambassador;
pub mod assessment;
pub mod audit;
pub mod company;
pub mod credit_code;
pub mod evidence;
pub mod fields;
pub mod four_ones;
pub mod funds;
pub mod inquiry;
pub mod labels;
pub mod leader;
pub mod ledger;
pub mod lockout;
pub mod money;
pub mod monthly;
pub mod outcome;
pub mod password;
pub mod project;
pub mod ranking;
pub mod reference;
pub mod review;
pub mod stage;
pub mod target;
pub mod tasks;
#[cfg(test)]
mod test_dates;
pub mod vocab;
pub mod warnings;
pub mod workdays;

pub use access::{Permission, Role};
pub use agreement::{AgreementKind, ClauseStatus, Obligor, Ratio, fulfilment_rate};
pub use audit::AuditAction;
pub use credit_code::CreditCode;
pub use evidence::FileType;

pub use four_ones::{FourOnes, FourOnesPart, four_ones_missing};
pub use funds::FundsKind;
pub use money::Money;
pub use monthly::Month;
pub use project::{Category, InvestorStanding, city_reportable, investor_type, key_project};
pub use reference::UnitKind;
pub use review::{ReviewPolicy, ReviewState};
pub use stage::{Stage, StageDates, StageState, TransitionError, TransitionRequest};
pub use tasks::{ProblemStatus, TaskStatus};
pub use warnings::{Thresholds, Warning, WarningLevel, WarningRule};
pub use workdays::add_working_days;

/// A validation failure on one named input field; the message is Chinese, for users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// Today's calendar date in Asia/Shanghai (UTC+8 all year, no DST since 1991).
pub fn today_shanghai() -> chrono::NaiveDate {
    shanghai_date(chrono::Utc::now())
}

/// The Asia/Shanghai calendar date of a UTC instant.
pub fn shanghai_date(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    at.with_timezone(&SHANGHAI).date_naive()
}

/// Asia/Shanghai as a fixed offset: China has kept UTC+8 without DST since 1991.
pub const SHANGHAI: chrono::FixedOffset = match chrono::FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};
