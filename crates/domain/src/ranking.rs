//! 企业排名 (domain.md §3; seed 二(二)): the published lists a company may be on (世界500强,
//! 中国500强, 中国民营企业500强), one rank per list and year, and what a list's row may hold.

use std::str::FromStr;

use rust_decimal::Decimal;

crate::vocabulary! {
    /// A published ranking list (`parse` takes its code or its Chinese label).
    pub enum RankingList; labels
}

impl RankingList {
    /// The unit its publisher gives 营业收入 in: Fortune's lists in millions of US dollars,
    /// the China Enterprise Confederation's and ACFIC's in 万元.
    pub fn revenue_unit(self) -> &'static str {
        match self {
            RankingList::FortuneGlobal500 => "百万美元",
            RankingList::China500 | RankingList::ChinaPrivate500 => "万元",
        }
    }
}

/// One row of a published list, as read from its file and as the store applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankingRow {
    /// The row as the spreadsheet numbers it.
    pub row: u32,
    pub rank: i32,
    pub name: String,
    pub country: Option<String>,
    /// 营业收入, exact decimal text in the list's unit ([`parse_revenue`]'s form).
    pub revenue: Option<String>,
}

/// The highest rank a list has (each is a list of 500).
pub const MAX_RANK: i32 = 500;

/// The first year a list year may be: the Fortune Global 500 in its present form is from 1995.
pub const FIRST_YEAR: i32 = 1995;

// seed 二(二): 世界500强、中国500强、中国民营500强 — a rank is a place on a list of 500.
/// A rank as a list writes it (`1`, ` 12 `, `０１２`, a number cell's `12`): 1 to 500.
pub fn parse_rank(text: &str) -> Result<i32, String> {
    let t = halfwidth(text);
    let t = t.trim();
    let t = t.strip_suffix(".0").unwrap_or(t);
    match t.parse::<i64>() {
        Ok(n) if (1..=i64::from(MAX_RANK)).contains(&n) => Ok(n as i32),
        _ => Err(format!("排名应为1到{MAX_RANK}之间的整数")),
    }
}

/// A list's year: from [`FIRST_YEAR`] to this year (`this_year`, Asia/Shanghai).
pub fn check_year(year: i32, this_year: i32) -> Result<i32, String> {
    if (FIRST_YEAR..=this_year).contains(&year) {
        Ok(year)
    } else {
        Err(format!("榜单年份应在{FIRST_YEAR}年到{this_year}年之间"))
    }
}

/// 营业收入 exactly, as decimal text without separators (`1,234,567.80` → `1234567.8`);
/// blank or a placeholder (`-`, `—`, `/`) → none. Never through a float.
pub fn parse_revenue(text: &str) -> Result<Option<String>, String> {
    let t = halfwidth(text);
    let t: String = t.chars().filter(|c| !c.is_whitespace() && *c != ',' && *c != '\u{FEFF}').collect();
    if t.is_empty() || matches!(t.as_str(), "-" | "--" | "—" | "——" | "/" | "无" | "N/A" | "n/a") {
        return Ok(None);
    }
    let digits_ok = t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && t.chars().filter(|c| *c == '.').count() <= 1
        && t.chars().any(|c| c.is_ascii_digit());
    let d = digits_ok
        .then(|| Decimal::from_str(&t).ok())
        .flatten()
        .ok_or_else(|| "营业收入应为数字，如 648125.3 或 1,234,567".to_string())?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err("营业收入不能为负数".into());
    }
    Ok(Some(d.normalize().to_string()))
}

fn halfwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_list_parses_from_its_code_or_its_label() {
        assert_eq!(RankingList::parse("china_500"), Some(RankingList::China500));
        assert_eq!(RankingList::parse(" 世界500强 "), Some(RankingList::FortuneGlobal500));
        assert_eq!(RankingList::parse("500强"), None);
        assert_eq!(RankingList::FortuneGlobal500.revenue_unit(), "百万美元");
    }

    #[test]
    fn ranks_are_places_on_a_list_of_500() {
        assert_eq!(parse_rank("1"), Ok(1));
        assert_eq!(parse_rank(" ５００ "), Ok(500));
        assert_eq!(parse_rank("12.0"), Ok(12));
        for bad in ["0", "501", "-3", "1.5", "第一", "", "12a"] {
            assert!(parse_rank(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn years_run_from_1995_to_this_year() {
        assert_eq!(check_year(2024, 2025), Ok(2024));
        assert!(check_year(2026, 2025).is_err());
        assert!(check_year(1994, 2025).is_err());
    }

    #[test]
    fn revenue_is_exact_decimal_text() {
        assert_eq!(parse_revenue("1,234,567.80"), Ok(Some("1234567.8".into())));
        assert_eq!(parse_revenue("648125"), Ok(Some("648125".into())));
        assert_eq!(parse_revenue("０.１"), Ok(Some("0.1".into())));
        assert_eq!(parse_revenue(" — "), Ok(None));
        assert_eq!(parse_revenue(""), Ok(None));
        for bad in ["12万", "1.2.3", "abc", "-5", "1e5", "."] {
            assert!(parse_revenue(bad).is_err(), "{bad:?}");
        }
    }

    proptest! {
        // a revenue with thousands separators reads as the digits it has, exactly
        #[test]
        fn separators_do_not_change_the_amount(int in 0u64..10_000_000_000, frac in 0u32..100) {
            let plain = format!("{int}.{frac:02}");
            let mut grouped = String::new();
            for (i, c) in int.to_string().chars().enumerate() {
                if i > 0 && (int.to_string().len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            let with = parse_revenue(&format!("{grouped}.{frac:02}")).unwrap();
            prop_assert_eq!(with.clone(), parse_revenue(&plain).unwrap());
            let d = Decimal::from_str(&with.unwrap()).unwrap();
            prop_assert_eq!(d, Decimal::from_str(&plain).unwrap());
        }
    }
}
