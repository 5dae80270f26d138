//! 运行监测 (domain.md §4): for a producing or at-capacity project, the yearly output, tax and
//! jobs actually achieved, beside the project's expected values.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::{FieldError, Stage};

// seed (统筹招商要素整合): 对重大投资项目实行全程跟踪 — only a producing project records outcomes, for a year
// from its producing year up to the current year.
/// Whether a project at `stage` may record outcomes at all (投产 or 达产).
pub fn records_outcomes(stage: Stage) -> bool {
    matches!(stage, Stage::Producing | Stage::AtCapacity)
}

/// Refuse a year before the project started producing (`producing_on`, when known) or after
/// `today`'s year; the error names the 年度 field.
pub fn check_year(year: i32, producing_on: Option<NaiveDate>, today: NaiveDate) -> Result<(), FieldError> {
    if year > today.year() {
        return Err(FieldError::new("year", format!("年度不能晚于{}年", today.year())));
    }
    if let Some(from) = producing_on
        && year < from.year()
    {
        return Err(FieldError::new("year", format!("年度不能早于投产年度{}年", from.year())));
    }
    Ok(())
}

/// 达成率: `actual / expected` as an exact decimal (may exceed 1); `None` when nothing was
/// expected (shown as —) or either value is missing or negative.
pub fn achievement(actual: Option<i64>, expected: Option<i64>) -> Option<Decimal> {
    match (actual, expected) {
        (Some(a), Some(e)) if a >= 0 && e > 0 => Some(Decimal::from(a) / Decimal::from(e)),
        _ => None,
    }
}

/// 达成率 as the API gives it: a decimal string rounded half-up to 4 places (`"0.7501"`).
pub fn achievement_string(rate: Option<Decimal>) -> Option<String> {
    rate.map(|r| format!("{:.4}", r.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero)))
}

/// 达成率 as pages show it: "85.0%", or "—".
pub fn achievement_text(rate: Option<Decimal>) -> String {
    rate.map_or_else(
        || "—".to_owned(),
        |r| {
            let p = (r * Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            format!("{p:.1}%")
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::test_dates::ymd as d;

    #[test]
    fn only_producing_and_at_capacity_record() {
        assert!(records_outcomes(Stage::Producing));
        assert!(records_outcomes(Stage::AtCapacity));
        assert!(!records_outcomes(Stage::Started));
        assert!(!records_outcomes(Stage::OnHold));
        assert!(!records_outcomes(Stage::Terminated));
    }

    #[test]
    fn year_between_producing_and_today() {
        let today = d(2026, 12, 2);
        assert!(check_year(2026, Some(d(2025, 6, 1)), today).is_ok());
        assert!(check_year(2025, Some(d(2025, 6, 1)), today).is_ok());
        let early = check_year(2024, Some(d(2025, 6, 1)), today).unwrap_err();
        assert_eq!(early.field, "year");
        assert!(early.message.contains("2025"));
        let late = check_year(2027, None, today).unwrap_err();
        assert_eq!(late.field, "year");
        assert!(check_year(2000, None, today).is_ok());
    }

    #[test]
    fn achievement_is_exact_and_may_exceed_one() {
        assert_eq!(achievement(Some(85), Some(100)), Some(Decimal::new(85, 2)));
        assert_eq!(achievement_text(achievement(Some(120), Some(100))), "120.0%");
        assert_eq!(achievement_text(achievement(Some(2), Some(3))), "66.7%");
        assert_eq!(achievement(Some(1), Some(0)), None);
        assert_eq!(achievement(None, Some(10)), None);
        assert_eq!(achievement_text(None), "—");
        // half-up, not to even: 15001 / 20000 = 0.75005
        assert_eq!(achievement_string(achievement(Some(15001), Some(20000))).as_deref(), Some("0.7501"));
        assert_eq!(achievement_string(achievement(Some(5), Some(4))).as_deref(), Some("1.2500"));
        assert_eq!(achievement_string(None), None);
    }

    proptest! {
        #[test]
        fn achievement_times_expected_is_actual(a in 0i64..1_000_000_000, e in 1i64..1_000_000_000) {
            let r = achievement(Some(a), Some(e)).unwrap();
            let back = (r * Decimal::from(e)).round_dp(6);
            prop_assert_eq!(back, Decimal::from(a));
        }

        #[test]
        fn year_rule_is_a_window(year in 1990i32..2040, p in 1990i32..2030) {
            let today = d(2026, 12, 2);
            let ok = check_year(year, Some(d(p, 1, 1)), today).is_ok();
            prop_assert_eq!(ok, year >= p && year <= 2026);
        }
    }
}
