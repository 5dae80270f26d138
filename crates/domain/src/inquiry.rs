//! 投资咨询 (issue 12; seed 三(三)三 优化办事环节，提高服务效能): an investor's inquiry, taken
//! down by a staff member and assigned to a unit, answered within a number of working days
//! (a setting, default 2; weekends skipped, see `workdays`).

use chrono::NaiveDate;

use crate::workdays::{add_working_days, is_working_day};

/// The working days a unit has to answer an inquiry, unless the setting says otherwise.
pub const DEFAULT_RESPONSE_DAYS: u32 = 2;

// seed 三(三)三: 提高服务效能 — the unit answers within `days` working days of receipt
/// The day by which an inquiry received on `received` must be answered.
pub fn respond_by(received: NaiveDate, days: u32) -> NaiveDate {
    add_working_days(received, days).unwrap_or(received)
}

/// Whether an inquiry is still waiting, answered in time, or answered late.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InquiryState {
    Waiting,
    Answered,
    AnsweredLate,
}

impl InquiryState {
    pub fn of(respond_by: NaiveDate, answered_on: Option<NaiveDate>) -> InquiryState {
        match answered_on {
            None => InquiryState::Waiting,
            Some(d) if d > respond_by => InquiryState::AnsweredLate,
            Some(_) => InquiryState::Answered,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            InquiryState::Waiting => "待答复",
            InquiryState::Answered => "已答复",
            InquiryState::AnsweredLate => "逾期答复",
        }
    }
}

/// Working days past the deadline of an unanswered inquiry as of `today` (the deadline day
/// itself is not late); `None` when answered or not late.
pub fn working_days_overdue(respond_by: NaiveDate, answered: bool, today: NaiveDate) -> Option<i64> {
    if answered || today <= respond_by {
        return None;
    }
    let n = respond_by.iter_days().skip(1).take_while(|d| *d <= today).filter(|d| is_working_day(*d)).count();
    // a deadline passed over a weekend only: late from the next working day
    (n > 0).then_some(n as i64)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::test_dates::in_2026 as d;

    #[test]
    fn two_working_days_skip_the_weekend() {
        // 2026-03-05 is a Thursday
        assert_eq!(respond_by(d(3, 5), DEFAULT_RESPONSE_DAYS), d(3, 9), "Thursday → Monday");
        assert_eq!(respond_by(d(3, 2), DEFAULT_RESPONSE_DAYS), d(3, 4), "Monday → Wednesday");
        assert_eq!(respond_by(d(3, 7), DEFAULT_RESPONSE_DAYS), d(3, 10), "received on a Saturday");
    }

    #[test]
    fn late_counts_working_days_after_the_deadline() {
        let by = d(3, 9); // a Monday
        assert_eq!(working_days_overdue(by, false, d(3, 9)), None, "the deadline day is in time");
        assert_eq!(working_days_overdue(by, false, d(3, 10)), Some(1));
        assert_eq!(working_days_overdue(by, false, d(3, 16)), Some(5));
        assert_eq!(working_days_overdue(by, true, d(3, 16)), None, "answered");
        // a Friday deadline is not late over the weekend
        assert_eq!(working_days_overdue(d(3, 6), false, d(3, 8)), None);
        assert_eq!(working_days_overdue(d(3, 6), false, d(3, 9)), Some(1));
    }

    #[test]
    fn state_by_answer_day() {
        assert_eq!(InquiryState::of(d(3, 9), None), InquiryState::Waiting);
        assert_eq!(InquiryState::of(d(3, 9), Some(d(3, 9))), InquiryState::Answered);
        assert_eq!(InquiryState::of(d(3, 9), Some(d(3, 10))), InquiryState::AnsweredLate);
        assert_eq!(InquiryState::AnsweredLate.label(), "逾期答复");
    }

    proptest! {
        // An inquiry answered by its deadline is never late; unanswered, it is late exactly
        // from the first working day after the deadline.
        #[test]
        fn late_only_after_the_deadline(offset in 0..2000i64, days in 1..10u32, after in 0..40i64) {
            let received = d(1, 1) + chrono::Duration::days(offset);
            let by = respond_by(received, days);
            prop_assert!(by > received && is_working_day(by));
            let today = by + chrono::Duration::days(after);
            let late = working_days_overdue(by, false, today);
            let first_late = (1..).map(|k| by + chrono::Duration::days(k)).find(|x| is_working_day(*x)).unwrap();
            prop_assert_eq!(late.is_some(), today >= first_late);
            prop_assert_eq!(working_days_overdue(by, true, today), None);
        }
    }
}
