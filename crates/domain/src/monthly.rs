//! 月报 (domain.md §4; seed 三(二)三: 动态跟踪): each assessed unit confirms its month's
//! ledger by a deadline in the next month.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// A calendar month, written `2026-11`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

/// The default deadline: the 5th of the next month.
pub const DEFAULT_DEADLINE_DAY: u32 = 5;

impl Month {
    /// `None` unless 1 ≤ month ≤ 12 and the year is a 4-digit year.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1000..=9999).contains(&year) && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> Month {
        Month { year: date.year(), month: date.month() }
    }

    pub const fn year(self) -> i32 {
        self.year
    }

    pub const fn month(self) -> u32 {
        self.month
    }

    /// The month after (December → January of the next year).
    pub fn next(self) -> Month {
        if self.month == 12 { Month { year: self.year + 1, month: 1 } } else { Month { month: self.month + 1, ..self } }
    }

    /// The month before (January → December of the year before).
    pub fn prev(self) -> Month {
        if self.month == 1 { Month { year: self.year - 1, month: 12 } } else { Month { month: self.month - 1, ..self } }
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        // within chrono's range for every year Month::new admits
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The last day of the month.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    /// The exact text `YYYY-MM` (month with two digits), e.g. `2026-11`.
    pub fn parse(text: &str) -> Option<Month> {
        let b = text.as_bytes();
        if b.len() != 7 || b[4] != b'-' || !b.iter().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit()) {
            return None;
        }
        Month::new(text[..4].parse().ok()?, text[5..].parse().ok()?)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Why a text is not a month; the caller adds the field name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("月份格式应为 YYYY-MM，例如 2026-11")]
pub struct MonthError;

impl FromStr for Month {
    type Err = MonthError;
    fn from_str(s: &str) -> Result<Month, MonthError> {
        Month::parse(s).ok_or(MonthError)
    }
}

impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let s = String::deserialize(d)?;
        Month::parse(&s).ok_or_else(|| serde::de::Error::custom(MonthError))
    }
}

// seed 三(二)三: 进行动态跟踪 — the month's ledger is confirmed by the deadline
/// The last day on which `month`'s report is on time: `deadline_day` of the next month
/// (December → January of the next year); a day past the month's end is its last day, and
/// 0 is the 1st.
pub fn report_deadline(month: Month, deadline_day: u32) -> NaiveDate {
    let next = month.next();
    let last = next.last_day().day();
    NaiveDate::from_ymd_opt(next.year, next.month, deadline_day.clamp(1, last)).unwrap_or(next.last_day())
}

/// A unit's report for `month` is late (domain.md §4, 月报): confirmed after the deadline,
/// or not confirmed and the deadline has passed by `today`. The deadline day itself is on time.
pub fn is_late(month: Month, confirmed_on: Option<NaiveDate>, today: NaiveDate, deadline_day: u32) -> bool {
    confirmed_on.unwrap_or(today) > report_deadline(month, deadline_day)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    use crate::test_dates::ymd as d;

    fn m(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    #[test]
    fn months_parse_and_print_exactly() {
        assert_eq!(m("2026-11").to_string(), "2026-11");
        assert_eq!(Month::new(2026, 1).unwrap().to_string(), "2026-01");
        for bad in
            ["2026-13", "2026-00", "2026-1", "26-11", "2026/11", "2026-11-01", "", "２０２６-11", "+026-11", "2026-+1"]
        {
            assert_eq!(Month::parse(bad), None, "{bad:?}");
        }
        assert_eq!("2026-11".parse::<Month>(), Ok(m("2026-11")));
        assert_eq!("x".parse::<Month>().unwrap_err().to_string(), "月份格式应为 YYYY-MM，例如 2026-11");
        assert_eq!(serde_json::to_string(&m("2026-11")).unwrap(), "\"2026-11\"");
        assert_eq!(serde_json::from_str::<Month>("\"2025-10\"").unwrap(), m("2025-10"));
        assert!(serde_json::from_str::<Month>("\"2025-1\"").is_err());
        assert_eq!(m("2026-12").next(), m("2027-01"));
        assert_eq!(m("2027-01").prev(), m("2026-12"));
        assert_eq!(m("2024-02").last_day(), d(2024, 2, 29));
        assert_eq!(Month::of(d(2026, 11, 30)), m("2026-11"));
    }

    #[test]
    fn the_deadline_is_the_fifth_of_the_next_month() {
        assert_eq!(report_deadline(m("2026-10"), DEFAULT_DEADLINE_DAY), d(2026, 11, 5));
        assert_eq!(report_deadline(m("2026-12"), DEFAULT_DEADLINE_DAY), d(2027, 1, 5));
        assert_eq!(report_deadline(m("2026-01"), 31), d(2026, 2, 28), "past the month's end: its last day");
        assert_eq!(report_deadline(m("2026-01"), 0), d(2026, 2, 1));
    }

    #[test]
    fn late_is_after_the_deadline_day() {
        let oct = m("2026-10");
        assert!(!is_late(oct, None, d(2026, 11, 5), 5), "the deadline day itself is on time");
        assert!(is_late(oct, None, d(2026, 11, 6), 5));
        assert!(!is_late(oct, Some(d(2026, 11, 3)), d(2027, 3, 1), 5), "confirmed in time stays on time");
        assert!(is_late(oct, Some(d(2026, 11, 9)), d(2026, 11, 9), 5));
        assert!(!is_late(m("2026-12"), None, d(2027, 1, 5), 5));
        assert!(is_late(m("2026-12"), None, d(2027, 1, 6), 5));
    }

    proptest! {
        // Display and parse are inverse, and the deadline is always in the next month.
        #[test]
        fn months_round_trip(y in 1000..=9998i32, mo in 1..=12u32, day in 0..40u32) {
            let month = Month::new(y, mo).unwrap();
            prop_assert_eq!(Month::parse(&month.to_string()), Some(month));
            let deadline = report_deadline(month, day);
            prop_assert_eq!(Month::of(deadline), month.next());
            prop_assert_eq!(month.next().prev(), month);
        }

        // Once late, a month with no confirmation stays late as today moves on.
        #[test]
        fn lateness_never_ends_without_a_confirmation(mo in 1..=12u32, a in 0..120i64, b in 0..120i64) {
            let month = Month::new(2026, mo).unwrap();
            let start = month.first_day();
            let (early, late) = (start + chrono::Duration::days(a.min(b)), start + chrono::Duration::days(a.max(b)));
            prop_assert!(!is_late(month, None, early, 5) || is_late(month, None, late, 5));
        }
    }
}
