//! How numbers and dates look on a page: 万元 with thousands separators and two decimals,
//! dates as 2025-03-01, times in Asia/Shanghai.

use chrono::{DateTime, NaiveDate, Utc};
use domain::Money;

/// `1234567.8` → `1,234,567.80`.
pub fn money(m: Money) -> String {
    let s = m.to_string();
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    format!("{sign}{}.{frac}", group(int))
}

pub fn money_opt(m: Option<Money>) -> String {
    m.map(money).unwrap_or_default()
}

/// `12345` → `12,345`.
pub fn count(n: u64) -> String {
    group(&n.to_string())
}

fn group(int: &str) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 万元 → 亿元 with two decimals, for the headline cards (`123456.78` → `12.35`).
pub fn yi(m: Money) -> String {
    let h = m.hundredths();
    // hundredths of 万元 → hundredths of 亿元, rounded half up
    let y = (h.abs() + 5000) / 10000 * h.signum();
    money(Money::from_hundredths(y))
}

pub fn date_opt(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// A moment as Beijing time, to the minute.
pub fn at(t: DateTime<Utc>) -> String {
    t.with_timezone(&domain::SHANGHAI).format("%Y-%m-%d %H:%M").to_string()
}

/// A change in percent against a base: `+12.5%`, `-3.0%`, or `—` without a base.
pub fn change(now: Money, before: Money) -> String {
    if before.hundredths() == 0 {
        return "—".into();
    }
    let pct = (now.hundredths() - before.hundredths()) as f64 * 100.0 / before.hundredths() as f64;
    // display only: the figures themselves stay exact
    format!("{pct:+.1}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_has_separators_and_two_decimals() {
        assert_eq!(money(Money::from_hundredths(123456780)), "1,234,567.80");
        assert_eq!(money(Money::from_hundredths(-100)), "-1.00");
        assert_eq!(money(Money::from_hundredths(99999)), "999.99");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(999), "999");
        assert_eq!(yi(Money::from_hundredths(12345678)), "12.35");
    }

    #[test]
    fn change_needs_a_base() {
        assert_eq!(change(Money::from_hundredths(150), Money::from_hundredths(100)), "+50.0%");
        assert_eq!(change(Money::from_hundredths(150), Money::ZERO), "—");
    }
}
