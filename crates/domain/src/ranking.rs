//! 企业排名 (domain.md §3; seed 二(二)): the published lists a company may be on (世界500强,
//! 中国500强, 中国民营企业500强), one rank per list and year, and what a list's row may hold;
//! and a company's standing in a given year (`rank_in`: the list of that year, else the
//! latest recorded before it, else its current rank), which `leader_visits_500` reads.

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

/// What the library knows of one company on one list: which years of the list are recorded
/// at all (any company's row), the company's own rows, and its current rank column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListHistory<'a> {
    /// The years of the list with at least one row in the library.
    pub recorded: &'a [i32],
    /// The company's (year, rank) rows on the list.
    pub company: &'a [(i32, i32)],
    /// The company's own rank column (the latest year it has, or an undated rank).
    pub current: Option<i32>,
}

/// A company's rank on a list and the year of the list it comes from (None: the library's
/// current rank, no list of that year or before being recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankIn {
    pub rank: i32,
    pub year: Option<i32>,
}

// 三(三)二: 党政正职领导带队外出拜访国内外500强和行业领军企业 — 500强 as the list of the visit's year says.
/// The year whose list says whether a company stood on a list in `year`: that year's list
/// when it is recorded, else the latest recorded before it (a list is published during its
/// year, so a visit in January reads last year's); None: no list of that year or before.
pub fn list_year(year: i32, recorded: &[i32]) -> Option<i32> {
    recorded.iter().copied().filter(|y| *y <= year).max()
}

// 三(三)二: 党政正职领导带队外出拜访国内外500强和行业领军企业 — 500强 as the list of the visit's year says.
/// A company's rank on a list in `year`: its row on the list of [`list_year`] — none there,
/// it was not on that list (ranked in 2025 but absent from the recorded 2026 list: not 500强
/// for a 2026 visit); when no list of that year or before is recorded, its current rank.
pub fn rank_in(year: i32, h: &ListHistory<'_>) -> Option<RankIn> {
    match list_year(year, h.recorded) {
        Some(y) => h.company.iter().find(|(cy, _)| *cy == y).map(|(_, rank)| RankIn { rank: *rank, year: Some(y) }),
        None => h.current.map(|rank| RankIn { rank, year: None }),
    }
}

// 三(三)二: 党政正职领导带队外出拜访国内外500强和行业领军企业 — 500强 as the list of the visit's year says.
/// A company's standing in `year`: each list by [`rank_in`] (Fortune Global 500, China 500,
/// China private 500, in that order); 行业领军 is a mark without a history, so as it is now.
pub fn standing_in(year: i32, lists: [&ListHistory<'_>; 3], industry_leader: bool) -> crate::InvestorStanding {
    let [fortune, china, private] = lists.map(|h| rank_in(year, h).is_some());
    crate::InvestorStanding {
        fortune_global_500: fortune,
        china_500: china,
        china_private_500: private,
        industry_leader,
    }
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

    #[test]
    fn the_visits_year_reads_its_own_list_else_the_latest_before() {
        let recorded = [2024, 2025, 2026];
        let on = [(2024, 30), (2025, 12)];
        let h = ListHistory { recorded: &recorded, company: &on, current: Some(12) };
        assert_eq!(rank_in(2025, &h), Some(RankIn { rank: 12, year: Some(2025) }));
        assert_eq!(rank_in(2024, &h), Some(RankIn { rank: 30, year: Some(2024) }));
        assert_eq!(rank_in(2026, &h), None, "ranked in 2025, not on the recorded 2026 list");
        let no_2026 = [2024, 2025];
        let h = ListHistory { recorded: &no_2026, ..h };
        assert_eq!(rank_in(2026, &h), Some(RankIn { rank: 12, year: Some(2025) }), "no 2026 list: 2025's");
        assert_eq!(rank_in(2030, &h), Some(RankIn { rank: 12, year: Some(2025) }));
        assert_eq!(rank_in(2023, &h), Some(RankIn { rank: 12, year: None }), "none before: the current rank");
        let undated = ListHistory { recorded: &[], company: &[], current: Some(88) };
        assert_eq!(rank_in(2026, &undated), Some(RankIn { rank: 88, year: None }), "no history at all");
        let absent = ListHistory { recorded: &no_2026, company: &[], current: Some(88) };
        assert_eq!(rank_in(2025, &absent), None, "not on the recorded list of the year");
        assert_eq!(list_year(2026, &[2027, 2021, 2024]), Some(2024));
        assert_eq!(list_year(2020, &[2021]), None);
        let s = standing_in(2026, [&h, &absent, &ListHistory::default()], true);
        assert!(s.fortune_global_500 && !s.china_500 && !s.china_private_500 && s.industry_leader);
    }

    fn history() -> impl Strategy<Value = (Vec<i32>, Vec<(i32, i32)>, Option<i32>)> {
        (
            proptest::collection::btree_set(2015i32..2030, 0..6),
            proptest::collection::btree_map(2015i32..2030, 1i32..=500, 0..6),
            proptest::option::of(1i32..=500),
        )
            .prop_map(|(others, own, current)| {
                // the company's own rows are rows of the recorded lists
                let mut recorded: Vec<i32> = others.into_iter().chain(own.keys().copied()).collect();
                recorded.sort_unstable();
                recorded.dedup();
                (recorded, own.into_iter().collect(), current)
            })
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

        // the rank of a year is from a list of that year or before, and it is the company's
        // own row on it; a list of that very year is the one read; no list up to the year:
        // the current rank
        #[test]
        fn a_years_rank_comes_from_its_list_or_an_earlier_one((recorded, own, current) in history(), year in 2010i32..2035) {
            let h = ListHistory { recorded: &recorded, company: &own, current };
            let got = rank_in(year, &h);
            match list_year(year, &recorded) {
                Some(y) => {
                    prop_assert!(y <= year && recorded.contains(&y));
                    prop_assert!(!recorded.iter().any(|r| y < *r && *r <= year), "the latest up to the year");
                    let row = own.iter().find(|(oy, _)| *oy == y).map(|(_, r)| RankIn { rank: *r, year: Some(y) });
                    prop_assert_eq!(got, row);
                }
                None => {
                    prop_assert!(recorded.iter().all(|r| *r > year));
                    prop_assert_eq!(got, current.map(|rank| RankIn { rank, year: None }));
                }
            }
            if let Some((_, r)) = own.iter().find(|(oy, _)| *oy == year) {
                prop_assert_eq!(got, Some(RankIn { rank: *r, year: Some(year) }), "ranked that year: that rank");
            }
            if recorded.contains(&year) && !own.iter().any(|(oy, _)| *oy == year) {
                prop_assert_eq!(got, None, "a list of that year without the company");
            }
        }
    }
}
