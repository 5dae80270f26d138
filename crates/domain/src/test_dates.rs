//! Dates for the unit tests (test literals only).

use chrono::NaiveDate;

/// `y`-`m`-`day`.
pub(crate) fn ymd(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a test date")
}

/// `m`-`day` of 2026, the year of the tests' "today".
pub(crate) fn in_2026(m: u32, day: u32) -> NaiveDate {
    ymd(2026, m, day)
}
