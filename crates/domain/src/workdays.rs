//! Working days (工作日): Monday to Friday. Public holidays and their 调休 working weekends
//! are not known here; a deadline counted in working days skips Saturdays and Sundays only.

use chrono::{Datelike, NaiveDate, Weekday};

/// Monday to Friday.
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

// seed 三(三)三: 优化办事环节，提高服务效能 — an inquiry is answered within 2 working days
/// The date `n` working days after `start` (the day the `n`-th working day after `start` is
/// reached); `start` itself when `n` is 0. `None` only past the end of the calendar.
pub fn add_working_days(start: NaiveDate, n: u32) -> Option<NaiveDate> {
    if n == 0 {
        return Some(start);
    }
    // From a weekend, count as from the Friday before: Saturday and Sunday add nothing.
    let back = match start.weekday() {
        Weekday::Sat => 1,
        Weekday::Sun => 2,
        _ => 0,
    };
    let mut day = start.checked_sub_days(chrono::Days::new(back))?;
    // whole weeks keep the weekday, then at most four single working days
    day = day.checked_add_days(chrono::Days::new(u64::from(n / 5) * 7))?;
    for _ in 0..n % 5 {
        day = day.succ_opt()?;
        while !is_working_day(day) {
            day = day.succ_opt()?;
        }
    }
    Some(day)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    use crate::test_dates::in_2026 as d;

    #[test]
    fn two_working_days() {
        // 2026-03-02 is a Monday
        assert_eq!(add_working_days(d(3, 2), 2), Some(d(3, 4)));
        assert_eq!(add_working_days(d(3, 5), 2), Some(d(3, 9)), "Thursday + 2 → Monday");
        assert_eq!(add_working_days(d(3, 6), 2), Some(d(3, 10)), "Friday + 2 → Tuesday");
        assert_eq!(add_working_days(d(3, 7), 2), Some(d(3, 10)), "Saturday + 2 → Tuesday");
        assert_eq!(add_working_days(d(3, 8), 1), Some(d(3, 9)), "Sunday + 1 → Monday");
        assert_eq!(add_working_days(d(3, 6), 5), Some(d(3, 13)));
        assert_eq!(add_working_days(d(3, 7), 5), Some(d(3, 13)));
        assert_eq!(add_working_days(d(3, 7), 0), Some(d(3, 7)));
        assert_eq!(add_working_days(NaiveDate::MAX, 3), None);
    }

    proptest! {
        // The result is a working day, at least n calendar days later, and exactly n working
        // days lie after start up to it.
        #[test]
        fn counts_exactly_n_working_days(offset in 0..3000i64, n in 1..60u32) {
            let start = d(1, 1) + chrono::Duration::days(offset);
            let end = add_working_days(start, n).unwrap();
            prop_assert!(is_working_day(end));
            prop_assert!((end - start).num_days() >= i64::from(n));
            let counted = start.iter_days().skip(1).take_while(|x| *x <= end).filter(|x| is_working_day(*x)).count();
            prop_assert_eq!(counted, n as usize);
        }
    }
}
