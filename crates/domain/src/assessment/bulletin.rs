//! 通报 (assessment.md, Bulletins; seed 三(三)“定期进行通报”): a stored run frozen into a
//! numbered, dated bulletin. This module holds the pure parts: the 文号 check, the red and
//! black lists (红黑榜), and the content that is frozen on publishing (canonical JSON: struct
//! fields in a fixed order, no map with an unordered key, no float).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Assessment, UnitResult};

/// The issuing body printed in red on a 通报 (GB/T 9704: 发文机关标志).
pub const ISSUER: &str = "郑州市商务局";
/// The default 抄送 line of the 版记.
pub const COPY_TO: &str = "市委办公厅，市人大常委会办公厅，市政府办公厅，市政协办公厅。";
/// The default 印发 line of the 版记 (the office that prints it).
pub const PRINTED_BY: &str = "郑州市商务局办公室";

/// A 文号 as written on a 公文: the issuer's short form, the year in 〔〕, the number and 号
/// (`郑商通〔2025〕12号`). ASCII `[2025]`, full-width `［2025］` and `【2025】` brackets are
/// accepted and normalised to 〔〕; spaces around the parts are dropped. The normalised text,
/// or the Chinese reason it is not one.
pub fn normalise_number(text: &str) -> Result<String, String> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let t: String = t
        .chars()
        .map(|c| match c {
            '[' | '［' | '【' | '(' | '（' => '〔',
            ']' | '］' | '】' | ')' | '）' => '〕',
            c => c,
        })
        .collect();
    let bad = || format!("文号“{}”的格式应为“郑商通〔2025〕12号”：机关代字、〔四位年份〕、序号、号", text.trim());
    let (prefix, rest) = t.split_once('〔').ok_or_else(bad)?;
    let (year, rest) = rest.split_once('〕').ok_or_else(bad)?;
    let number = rest.strip_suffix('号').ok_or_else(bad)?;
    let prefix_ok = !prefix.is_empty() && prefix.chars().all(|c| !c.is_ascii_digit() && c != '〔' && c != '〕');
    let year_ok = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) && year.as_bytes()[0] != b'0';
    let number_ok = !number.is_empty()
        && number.len() <= 6
        && number.bytes().all(|b| b.is_ascii_digit())
        && !number.starts_with('0');
    if prefix_ok && year_ok && number_ok { Ok(t) } else { Err(bad()) }
}

/// Whether `text` is a 文号 ([`normalise_number`]).
pub fn check_number(text: &str) -> Result<(), String> {
    normalise_number(text).map(|_| ())
}

/// The year a 文号 carries (`郑商通〔2025〕12号` → 2025).
pub fn number_year(text: &str) -> Option<i32> {
    let n = normalise_number(text).ok()?;
    n.split_once('〔')?.1.split_once('〕')?.0.parse().ok()
}

/// 红黑榜: the first `n` units by rank (红榜, best first) and the last `n` (黑榜, worst first).
/// With fewer than `2n` units the two lists are cut so that they never share a unit: the
/// red list takes the upper half (rounded up), the black list the rest.
pub fn red_black(assessment: &Assessment, n: usize) -> (Vec<UnitResult>, Vec<UnitResult>) {
    let mut ranked: Vec<&UnitResult> = assessment.results.iter().collect();
    ranked.sort_by_key(|r| r.rank);
    let len = ranked.len();
    let red_n = n.min(len.div_ceil(2));
    let black_n = n.min(len - red_n);
    let red = ranked[..red_n].iter().map(|r| (*r).clone()).collect();
    let black = ranked[len - black_n..].iter().rev().map(|r| (*r).clone()).collect();
    (red, black)
}

/// One of the year's 十大重大招商引资项目 as the bulletin lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Top10Entry {
    pub position: i32,
    pub project_code: String,
    pub project_name: String,
    pub unit: String,
    pub unit_name: String,
    /// 万元, exact.
    pub total_investment: Decimal,
    pub citation: String,
}

/// A unit's warnings on the day the bulletin was published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningCount {
    pub unit: String,
    pub unit_name: String,
    pub red: u32,
    pub yellow: u32,
}

/// Everything a bulletin says, frozen as canonical JSON on publishing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulletinContent {
    /// 文号, normalised (`郑商通〔2025〕12号`).
    pub number: String,
    pub title: String,
    /// 成文日期.
    pub date: NaiveDate,
    /// 发文机关 ([`ISSUER`]).
    pub issuer: String,
    /// The scheme's name and period.
    pub scheme: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The stored run it freezes and that run's hashes.
    pub run_id: i64,
    pub inputs_sha256: String,
    pub output_sha256: String,
    /// The ranking with every indicator's points.
    pub ranking: Assessment,
    /// The year's top-10 (annual scheme only; empty otherwise).
    pub top10: Vec<Top10Entry>,
    /// The 五职 table: the leaders with anything to show over the period, by unit.
    pub leaders: Vec<LeaderLine>,
    /// Red and yellow warnings per assessed unit, in rank order.
    pub warnings: Vec<WarningCount>,
    /// The warnings were counted on this day.
    pub warnings_on: NaiveDate,
    /// 红榜 (top three, best first) and 黑榜 (bottom three, worst first).
    pub red_list: Vec<UnitResult>,
    pub black_list: Vec<UnitResult>,
    /// 版记: 抄送 and 印发.
    pub copy_to: String,
    pub printed_by: String,
}

/// One row of the 五职 table as a bulletin freezes it (seed 三(三): 五职 leaders assessed over
/// the whole life of their projects).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderLine {
    pub name: String,
    pub position: String,
    pub unit_name: String,
    pub figures: super::leaders::LeaderFigures,
}

impl BulletinContent {
    /// The canonical JSON of the content (what `bulletins.content` stores).
    pub fn canonical_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}

/// A date as a 公文 writes it: `2025年1月5日`.
pub fn chinese_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::UnitRef;
    use proptest::prelude::*;

    fn result(rank: u32) -> UnitResult {
        UnitResult {
            rank,
            unit: UnitRef::new(format!("u{rank}"), format!("单位{rank}")),
            indicators: vec![],
            base: Decimal::from(100 - rank),
            bonus: Decimal::ZERO,
            penalty: Decimal::ZERO,
            total: Decimal::from(100 - rank),
            funds_domestic: Decimal::ZERO,
            adjustments: vec![],
        }
    }

    fn assessment(ranks: &[u32]) -> Assessment {
        let d = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
        Assessment {
            scheme: "s".into(),
            from: d,
            to: d,
            columns: vec![],
            results: ranks.iter().map(|r| result(*r)).collect(),
        }
    }

    #[test]
    fn numbers_are_checked_and_brackets_normalised() {
        assert_eq!(normalise_number("郑商通〔2025〕12号").as_deref(), Ok("郑商通〔2025〕12号"));
        assert_eq!(normalise_number("郑商通[2025]12号").as_deref(), Ok("郑商通〔2025〕12号"));
        assert_eq!(normalise_number(" 郑商通［2025］ 3号 ").as_deref(), Ok("郑商通〔2025〕3号"));
        assert_eq!(normalise_number("郑商通【2026】1号").as_deref(), Ok("郑商通〔2026〕1号"));
        for bad in [
            "",
            "郑商通2025 12号",
            "〔2025〕12号",
            "郑商通〔25〕12号",
            "郑商通〔2025〕号",
            "郑商通〔2025〕012号",
            "郑商通〔2025〕12",
            "郑商通〔2025〕十二号",
        ] {
            assert!(check_number(bad).is_err(), "{bad}");
        }
        assert!(check_number("郑商通〔2025〕12").unwrap_err().contains("郑商通〔2025〕12号"));
        assert_eq!(number_year("郑商通[2024]7号"), Some(2024));
    }

    #[test]
    fn red_and_black_lists_are_the_top_and_bottom_three() {
        let a = assessment(&[3, 1, 2, 5, 4, 7, 6, 8]);
        let (red, black) = red_black(&a, 3);
        assert_eq!(red.iter().map(|r| r.rank).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(black.iter().map(|r| r.rank).collect::<Vec<_>>(), [8, 7, 6]);
        let (red, black) = red_black(&assessment(&[1, 2, 3, 4]), 3);
        assert_eq!((red.len(), black.len()), (2, 2));
        let (red, black) = red_black(&assessment(&[1]), 3);
        assert_eq!((red.len(), black.len()), (1, 0));
        assert_eq!(red_black(&assessment(&[]), 3), (vec![], vec![]));
    }

    #[test]
    fn content_round_trips_as_canonical_json() {
        let a = assessment(&[1, 2, 3, 4, 5, 6]);
        let (red_list, black_list) = red_black(&a, 3);
        let d = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap_or_default();
        let c = BulletinContent {
            number: "郑商通〔2026〕1号".into(),
            title: "关于2025年度招商引资工作考核结果的通报".into(),
            date: d,
            issuer: ISSUER.into(),
            scheme: "s".into(),
            from: d,
            to: d,
            run_id: 1,
            inputs_sha256: "a".into(),
            output_sha256: "b".into(),
            ranking: a,
            top10: vec![],
            leaders: vec![],
            warnings: vec![WarningCount { unit: "u1".into(), unit_name: "单位1".into(), red: 1, yellow: 2 }],
            warnings_on: d,
            red_list,
            black_list,
            copy_to: COPY_TO.into(),
            printed_by: PRINTED_BY.into(),
        };
        let json = c.canonical_json().unwrap_or_default();
        let back: BulletinContent = serde_json::from_str(&json).unwrap_or_else(|_| c.clone());
        assert_eq!(back, c);
        assert_eq!(back.canonical_json().unwrap_or_default(), json);
        assert_eq!(chinese_date(d), "2026年1月10日");
    }

    proptest! {
        #[test]
        fn lists_are_disjoint_and_ordered(n in 6usize..40, seed in any::<u64>()) {
            let mut ranks: Vec<u32> = (1..=n as u32).collect();
            // a deterministic shuffle: results need not come in rank order
            let mut s = seed;
            for i in (1..ranks.len()).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ranks.swap(i, (s >> 33) as usize % (i + 1));
            }
            let (red, black) = red_black(&assessment(&ranks), 3);
            prop_assert_eq!(red.len(), 3);
            prop_assert_eq!(black.len(), 3);
            prop_assert!(red.iter().all(|r| black.iter().all(|b| b.unit != r.unit)));
            prop_assert!(red.windows(2).all(|w| w[0].rank < w[1].rank));
            prop_assert!(black.windows(2).all(|w| w[0].rank > w[1].rank));
            prop_assert_eq!(red[0].rank, 1);
            prop_assert_eq!(black[0].rank, n as u32);
        }
    }
}
