//! Dates in every form a ledger writes them: Excel date cells and serial numbers, ISO,
//! slashes, dots, 年月日 and 年月 (first of the month).

use chrono::{Datelike, Days, NaiveDate};

use super::*;
use crate::read::Cell;

/// Dates outside these years are typing mistakes in a project ledger (a year `2025` typed
/// into a date cell is the serial of 1905-07-17, for instance).
pub const MIN_YEAR: i32 = 1950;
pub const MAX_YEAR: i32 = 2100;

pub(super) const DATE_FORMS: &str = "可写作 2025-03-01、2025/3/1、2025.3.1、2025年3月1日 或 2025年3月";

pub(super) fn not_a_date() -> String {
    format!("不是有效的日期（{DATE_FORMS}）")
}

pub(super) fn out_of_range(d: NaiveDate) -> String {
    format!("不是有效的日期（{d} 不在 {MIN_YEAR}—{MAX_YEAR} 年之间）")
}

pub(super) fn plausible(d: NaiveDate) -> Result<NaiveDate, String> {
    if (MIN_YEAR..=MAX_YEAR).contains(&d.year()) { Ok(d) } else { Err(out_of_range(d)) }
}

/// The date and time of an Excel serial (1900 system: day 0 is 1899-12-30, which is right
/// for every serial from 61 = 1900-03-01 on, past Excel's phantom 1900-02-29).
pub(super) fn serial_datetime(serial: f64) -> Option<chrono::NaiveDateTime> {
    if !serial.is_finite() || !(1.0..3_000_000.0).contains(&serial) {
        return None;
    }
    let days = serial.floor();
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let date = epoch.checked_add_days(Days::new(days as u64))?;
    let secs = ((serial - days) * 86_400.0).round() as u32;
    date.and_hms_opt(0, 0, 0)?.checked_add_signed(chrono::TimeDelta::seconds(i64::from(secs.min(86_399))))
}

/// An Excel serial (a date cell, or a number in a date column); the time of day is dropped.
pub fn date_from_serial(serial: f64) -> Result<NaiveDate, String> {
    match serial_datetime(serial) {
        Some(dt) => plausible(dt.date()),
        None => Err(not_a_date()),
    }
}

/// A number in a date column: an Excel serial, or `20250301` typed as a number.
pub fn date_from_number(n: f64) -> Result<NaiveDate, String> {
    if n.fract() == 0.0 && (10_000_101.0..=99_991_231.0).contains(&n) {
        let v = n as u32;
        return NaiveDate::from_ymd_opt((v / 10_000) as i32, v / 100 % 100, v % 100)
            .ok_or_else(not_a_date)
            .and_then(plausible);
    }
    date_from_serial(n)
}

/// Digits from `chars[*i]` on: their value (saturating) and how many there were.
pub(super) fn digits(chars: &[char], i: &mut usize) -> (u32, usize) {
    let start = *i;
    let mut v: u32 = 0;
    while let Some(d) = chars.get(*i).and_then(|c| c.to_digit(10)) {
        v = v.saturating_mul(10).saturating_add(d);
        *i += 1;
    }
    (v, *i - start)
}

pub(super) fn skip_spaces(chars: &[char], i: &mut usize) {
    while chars.get(*i).is_some_and(|c| is_space(*c)) {
        *i += 1;
    }
}

/// What may follow a date: a time of day (`09:30`, `9:30:00`, `T09:30:00Z`, `上午9时30分`).
pub(super) fn is_time(rest: &[char]) -> bool {
    let s: String = rest.iter().filter(|c| !is_space(**c)).collect();
    let s = s.strip_prefix('T').unwrap_or(&s);
    let s = s.strip_prefix("上午").or_else(|| s.strip_prefix("下午")).unwrap_or(s);
    let s = s.trim_end_matches(['A', 'P', 'M', 'a', 'p', 'm']);
    s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '+' | '-' | 'Z' | '时' | '分' | '秒' | '点'))
}

/// A date typed as text: `2025-03-01`, `2025/3/1`, `2025.3.1`, `2025年3月1日`, `2025年3月`
/// (the 1st), `2025-03` (the 1st), `20250301`, an Excel serial as text, each with an
/// optional time that is ignored; full-width digits and separators too.
pub fn parse_date_text(text: &str) -> Result<NaiveDate, String> {
    let t = to_halfwidth(text);
    let chars: Vec<char> = t.trim_matches(is_space).chars().collect();
    let mut i = 0;
    let (y, ylen) = digits(&chars, &mut i);
    if ylen == 0 {
        return Err(not_a_date());
    }
    if ylen != 4 {
        // 20250301, or a serial number written out (45731, 45731.5)
        let whole: String = chars.iter().collect();
        if ylen == 8 && i == chars.len() {
            return date_from_number(f64::from(y));
        }
        return match whole.parse::<f64>() {
            Ok(n) if whole.chars().all(|c| c.is_ascii_digit() || c == '.') => date_from_serial(n),
            _ => Err(not_a_date()),
        };
    }
    skip_spaces(&chars, &mut i);
    let Some(&sep) = chars.get(i).filter(|c| matches!(c, '-' | '/' | '.' | '年')) else {
        return Err(not_a_date());
    };
    i += 1;
    skip_spaces(&chars, &mut i);
    let (m, mlen) = digits(&chars, &mut i);
    if !(1..=2).contains(&mlen) {
        return Err(not_a_date());
    }
    skip_spaces(&chars, &mut i);
    let mut day = 1;
    if sep == '年' {
        if chars.get(i) != Some(&'月') {
            return Err(not_a_date());
        }
        i += 1;
        skip_spaces(&chars, &mut i);
        if chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
            let (d, dlen) = digits(&chars, &mut i);
            if dlen > 2 {
                return Err(not_a_date());
            }
            day = d;
            skip_spaces(&chars, &mut i);
            if chars.get(i).is_some_and(|c| matches!(c, '日' | '号')) {
                i += 1;
            }
        }
    } else if chars.get(i) == Some(&sep) {
        i += 1;
        skip_spaces(&chars, &mut i);
        let (d, dlen) = digits(&chars, &mut i);
        if !(1..=2).contains(&dlen) {
            return Err(not_a_date());
        }
        day = d;
    }
    let rest = &chars[i.min(chars.len())..];
    if !rest.is_empty() {
        // a time must be set apart: `2025-03-01 09:30`, `2025-03-01T09:30`, `…日9时`
        let apart = rest.first().is_some_and(|c| is_space(*c) || *c == 'T')
            || i.checked_sub(1).and_then(|j| chars.get(j)).is_some_and(|c| matches!(c, '日' | '号'));
        if !apart || !is_time(rest) {
            return Err(not_a_date());
        }
    }
    NaiveDate::from_ymd_opt(y as i32, m, day).ok_or_else(not_a_date).and_then(plausible)
}

/// A date column's cell: `Ok(None)` when empty (or `/`, `无` …).
pub fn date(cell: &Cell) -> Result<Option<NaiveDate>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(serial) => date_from_serial(*serial).map(Some),
        Cell::Number(n) => date_from_number(*n).map(Some),
        Cell::Bool(_) => Err(not_a_date()),
        Cell::Text(s) => {
            let t = clean_text(s);
            if t.is_empty() || is_placeholder(&t) { Ok(None) } else { parse_date_text(&t).map(Some) }
        }
    }
}
