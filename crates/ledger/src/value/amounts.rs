//! Amounts, exactly: numbers, numeric text with thousands separators, units (亿, 万元),
//! full-width digits; rounded to hundredths of the column's unit.

use domain::{Money, money::MoneyError};

use super::*;
use crate::read::Cell;

/// The unit a ledger column is kept in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountUnit {
    /// 总投资(万元): `35000`, `35000万元`, `3.5亿`, `3.5亿元`.
    WanYuan,
    /// 利用外资(万美元): `1200`, `1200万美元`, `0.12亿美元`.
    WanUsd,
    /// 用地(亩): `85.5`, `85.5亩`.
    Mu,
}

impl AmountUnit {
    /// Unit suffixes and how many places each moves the decimal point (亿 = 10,000 万).
    fn suffixes(self) -> &'static [(&'static str, usize)] {
        match self {
            AmountUnit::WanYuan => &[("亿元", 4), ("亿", 4), ("万元", 0), ("万", 0)],
            AmountUnit::WanUsd => &[("亿美元", 4), ("亿美金", 4), ("万美元", 0), ("万美金", 0), ("亿", 4), ("万", 0)],
            AmountUnit::Mu => &[("亩", 0)],
        }
    }

    fn hint(self) -> &'static str {
        match self {
            AmountUnit::WanYuan => "请填写以万元为单位的金额，如 35000、3.5亿、1,234.5",
            AmountUnit::WanUsd => "请填写以万美元为单位的金额，如 1200、1,200.5",
            AmountUnit::Mu => "请填写亩数，如 85.5",
        }
    }

    fn reason(self, e: MoneyError) -> String {
        match e {
            MoneyError::NotANumber => self.not_a_number(),
            MoneyError::TooPrecise => match self {
                AmountUnit::Mu => "最多保留两位小数".to_string(),
                _ => "换算为万元（万美元）后最多保留两位小数".to_string(),
            },
            MoneyError::Negative => "不能为负数".to_string(),
            MoneyError::TooLarge => "数值过大".to_string(),
        }
    }

    fn not_a_number(self) -> String {
        format!("不是有效的数字（{}）", self.hint())
    }
}

/// Round a plain decimal string (`123.456`) to hundredths, half away from zero, exactly.
pub(super) fn round_to_hundredths(s: &str) -> String {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if frac.len() <= 2 || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return s.to_string();
    }
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes().take(2)).map(|b| b - b'0').collect();
    if frac.as_bytes().get(2).is_some_and(|b| *b >= b'5') {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    let (i, f) = text.split_at(text.len() - 2);
    format!("{}.{f}", if i.is_empty() { "0" } else { i })
}

/// A number cell's amount: the number as the cell holds it, rounded to hundredths (a
/// formula's `0.1+0.2` is 0.30; `0.125` is 0.13, as Excel shows it with two decimals).
pub fn number_amount(n: f64, unit: AmountUnit) -> Result<Money, String> {
    if !n.is_finite() {
        return Err(unit.not_a_number());
    }
    if n < 0.0 {
        return Err(unit.reason(MoneyError::Negative));
    }
    if n >= 1e14 {
        return Err(unit.reason(MoneyError::TooLarge));
    }
    // `{}` is the shortest text that reads back as the same f64, and never uses exponents.
    Money::parse(&round_to_hundredths(&format!("{n}"))).map_err(|e| unit.reason(e))
}

/// Drop `,` thousands separators, checking they group by three (`1,234.5`, `12,000`);
/// `1,5` is refused rather than read as 15.
pub(super) fn drop_thousands(s: &str) -> Option<String> {
    if !s.contains(',') {
        return Some(s.to_string());
    }
    let (int, frac) = s.split_once('.').map_or((s, None), |(a, b)| (a, Some(b)));
    if frac.is_some_and(|f| f.contains(',')) {
        return None;
    }
    let int = int.strip_prefix('-').unwrap_or(int);
    let groups: Vec<&str> = int.split(',').collect();
    let ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| s.replace(',', ""))
}

/// Move the decimal point `places` to the right: `("3.5", 4)` → `35000`, `("0.123456", 4)`
/// → `1234.56`. The input is digits with at most one point.
pub(super) fn shift_decimal(s: &str, places: usize) -> String {
    if places == 0 {
        return s.to_string();
    }
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut frac = frac.to_string();
    while frac.len() < places {
        frac.push('0');
    }
    let (moved, rest) = frac.split_at(places);
    let int = format!("{int}{moved}");
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    if rest.is_empty() { int.to_string() } else { format!("{int}.{rest}") }
}

/// An amount typed as text, in `unit`: `28000`, `1,234.5`, `3.5亿`, `3.5亿元`, `35000万元`,
/// `３５０００`, `　15000　`, `4,500⏎`. Exact: the text is never read through f64.
pub fn parse_amount_text(text: &str, unit: AmountUnit) -> Result<Money, String> {
    let t: String = to_halfwidth(text).chars().filter(|c| !is_space(*c)).collect();
    let (core, places) = unit
        .suffixes()
        .iter()
        .find_map(|(suffix, places)| t.strip_suffix(suffix).map(|core| (core, *places)))
        .unwrap_or((t.as_str(), 0));
    let core = drop_thousands(core).ok_or_else(|| unit.not_a_number())?;
    let (negative, digits) = match core.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, core.as_str()),
    };
    let well_formed = digits.bytes().any(|b| b.is_ascii_digit())
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|b| *b == b'.').count() <= 1;
    if !well_formed {
        return Err(unit.not_a_number());
    }
    if negative && digits.bytes().any(|b| matches!(b, b'1'..=b'9')) {
        return Err(unit.reason(MoneyError::Negative));
    }
    if digits.len() > 40 {
        return Err(unit.reason(MoneyError::TooLarge));
    }
    Money::parse(&shift_decimal(digits, places)).map_err(|e| unit.reason(e))
}

/// An amount column's cell: `Ok(None)` when empty (or `/`, `无` …).
pub fn amount(cell: &Cell, unit: AmountUnit) -> Result<Option<Money>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Number(n) => number_amount(*n, unit).map(Some),
        Cell::Date(_) | Cell::Bool(_) => Err(unit.not_a_number()),
        Cell::Text(s) => {
            if s.chars().all(is_space) || is_placeholder(s) {
                Ok(None)
            } else {
                parse_amount_text(s, unit).map(Some)
            }
        }
    }
}
