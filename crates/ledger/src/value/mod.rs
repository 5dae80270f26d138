//! Cell values as people type them into a 台账 (ledger.md, "What real files look like"):
//! text with stray spaces and line breaks, dates in half a dozen forms, amounts with units,
//! thousands separators and full-width digits. Each parser returns the value or a Chinese
//! reason; the row parser adds the row, the column and the cell text.
//!
//! Amounts never pass through `f64` unless the cell itself is a number: text is read as a
//! decimal string and scaled by moving the decimal point, so `0.123456亿` is exactly
//! `1234.56` 万元.

use std::borrow::Cow;

use chrono::Timelike;

use crate::read::Cell;

mod amounts;
mod codes;
mod dates;

pub use amounts::*;
pub use codes::*;
pub use dates::*;

/// Whitespace as a cell may hold it: ASCII, U+3000 (full-width), NBSP, and the invisible
/// zero-width characters that copy-and-paste from web pages leaves behind.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}')
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_fullwidth(c: char) -> bool {
    matches!(c, '\u{3000}' | '\u{FF01}'..='\u{FF5E}')
}

/// Full-width ASCII forms (`３５０００`, `，`, `．`, `（`) and U+3000 as their ASCII twins.
pub fn to_halfwidth(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_fullwidth) {
        return Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect::<String>()
        .into()
}

/// A single-line field (a name, a unit, a company): surrounding whitespace trimmed, line
/// breaks inside removed with nothing put in their place, as Chinese is written
/// (`碳纤维⏎复合材料` → `碳纤维复合材料`) — except between two Latin letters or digits,
/// which keep one space (`Siemens⏎AG` → `Siemens AG`). Other control characters go too.
pub fn clean_text(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() || is_line_break(c)) {
        return s.trim_matches(is_space).to_string();
    }
    let mut out = String::with_capacity(s.len());
    for line in s.split(is_line_break) {
        let line = line.trim_matches(is_space);
        if line.is_empty() {
            continue;
        }
        if let (Some(a), Some(b)) = (out.chars().last(), line.chars().next())
            && a.is_ascii_alphanumeric()
            && b.is_ascii_alphanumeric()
        {
            out.push(' ');
        }
        out.extend(line.chars().map(|c| if c == '\t' { ' ' } else { c }).filter(|c| !c.is_control()));
    }
    out
}

/// A multi-line note (项目进展情况, 存在问题, 备注): line breaks kept (as `\n`), the whole
/// trimmed, control characters other than line breaks and tabs removed.
pub fn clean_note(s: &str) -> String {
    let t = s.trim_matches(is_space);
    if !t.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return t.to_string();
    }
    let mut out = String::with_capacity(t.len());
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.trim_matches(is_space).to_string()
}

/// Texts that mean "nothing here" in a ledger cell: `/`, `—`, `无`, `暂无`, `待定` ….
pub fn is_placeholder(text: &str) -> bool {
    // the longest is three characters: no allocation for the texts that are not
    if text.trim_matches(is_space).chars().nth(3).is_some() {
        return false;
    }
    let t: String = to_halfwidth(text).chars().filter(|c| !is_space(*c)).collect();
    matches!(
        t.as_str(),
        "-" | "--"
            | "---"
            | "—"
            | "——"
            | "–"
            | "/"
            | "//"
            | "\\"
            | "无"
            | "暂无"
            | "待定"
            | "未定"
            | "N/A"
            | "n/a"
            | "NA"
    )
}

/// The cell as the spreadsheet shows it, for error reports and for text fields: date cells
/// as `YYYY-MM-DD` (with the time when there is one), numbers as Excel's General format
/// would, text as typed.
pub fn cell_text(cell: &Cell) -> String {
    cell_str(cell).into_owned()
}

/// [`cell_text`] without copying a text cell.
pub fn cell_str(cell: &Cell) -> Cow<'_, str> {
    match cell {
        Cell::Text(s) => Cow::Borrowed(s),
        Cell::Empty => Cow::Borrowed(""),
        Cell::Date(serial) => Cow::Owned(match serial_datetime(*serial) {
            Some(dt) if dt.time().num_seconds_from_midnight() == 0 => dt.date().to_string(),
            Some(dt) => dt.format("%Y-%m-%d %H:%M").to_string(),
            None => cell.text(),
        }),
        _ => Cow::Owned(cell.text()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Days, NaiveDate};
    use domain::{Category, Money, Stage};
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn wan(text: &str) -> Result<String, String> {
        parse_amount_text(text, AmountUnit::WanYuan).map(|m| m.to_string())
    }

    #[test]
    fn text_is_trimmed_and_line_breaks_removed() {
        assert_eq!(clean_text("  宁德时代储能电池研究院郑州分院项目  "), "宁德时代储能电池研究院郑州分院项目");
        assert_eq!(clean_text("\u{3000}金水区 "), "金水区");
        assert_eq!(clean_text("年产5000吨高性能碳纤维\n复合材料项目"), "年产5000吨高性能碳纤维复合材料项目");
        assert_eq!(clean_text("年产5000吨 \r\n 复合材料"), "年产5000吨复合材料");
        assert_eq!(clean_text("Siemens\nAG"), "Siemens AG");
        assert_eq!(clean_text("\u{FEFF}a\u{0}b\tc"), "ab c");
        assert_eq!(clean_note(" 第一行\r\n第二行\r第三行 \n"), "第一行\n第二行\n第三行");
        assert!(is_placeholder(" / ") && is_placeholder("——") && is_placeholder("无") && !is_placeholder("无锡"));
    }

    #[test]
    fn every_date_form() {
        for (text, want) in [
            ("2025-03-01", "2025-03-01"),
            ("2025/3/1", "2025-03-01"),
            ("2025.3.1", "2025-03-01"),
            ("2025年3月1日", "2025-03-01"),
            ("2025年3月1号", "2025-03-01"),
            ("2025 年 3 月 1 日", "2025-03-01"),
            ("2025年3月", "2025-03-01"),
            ("2025年12月", "2025-12-01"),
            ("2025-03", "2025-03-01"),
            ("2025.3", "2025-03-01"),
            ("２０２５年３月１日", "2025-03-01"),
            ("２０２５－０３－０１", "2025-03-01"),
            ("2025-08-12 09:30", "2025-08-12"),
            ("2025/8/12 9:30:15", "2025-08-12"),
            ("2025-08-12T09:30:00Z", "2025-08-12"),
            ("2025-08-12T09:30:00+08:00", "2025-08-12"),
            ("2025年8月12日 上午9时30分", "2025-08-12"),
            ("2025年8月12日9时", "2025-08-12"),
            ("20250301", "2025-03-01"),
            ("45731", "2025-03-15"),
            ("45731.75", "2025-03-15"),
        ] {
            assert_eq!(parse_date_text(text).map(|d| d.to_string()), Ok(want.to_string()), "{text}");
        }
        for bad in [
            "2025-13-45",
            "2025-02-30",
            "2025",
            "25/3/1",
            "2025-3-1-1",
            "2025-03-011",
            "2025/03-01",
            "三月一日",
            "",
            "abc",
            "2025年3月1日x",
            "2025-03-01abc",
            "1900-01-01",
            "2200-01-01",
            "2025年",
            "2025年13月",
            "45731.5.5",
        ] {
            let e = parse_date_text(bad).unwrap_err();
            assert!(e.contains("不是有效的日期"), "{bad}: {e}");
        }
    }

    #[test]
    fn date_cells_and_serials() {
        assert_eq!(date(&Cell::Date(45731.0)), Ok(Some(d("2025-03-15"))));
        assert_eq!(date(&Cell::Date(45881.395833)), Ok(Some(d("2025-08-12"))), "a time is dropped");
        assert_eq!(date(&Cell::Number(45296.0)), Ok(Some(d("2024-01-05"))));
        assert_eq!(date(&Cell::Number(20250301.0)), Ok(Some(d("2025-03-01"))));
        assert_eq!(date(&Cell::Empty), Ok(None));
        assert_eq!(date(&Cell::Text(" / ".into())), Ok(None));
        assert_eq!(date(&Cell::Text("　2025.5.6\n".into())), Ok(Some(d("2025-05-06"))));
        for bad in
            [Cell::Number(2025.0), Cell::Number(-1.0), Cell::Number(f64::NAN), Cell::Number(1e300), Cell::Bool(true)]
        {
            assert!(date(&bad).unwrap_err().contains("不是有效的日期"), "{bad:?}");
        }
        assert_eq!(cell_text(&Cell::Date(45731.0)), "2025-03-15");
        assert_eq!(cell_text(&Cell::Date(45881.395833)), "2025-08-12 09:30");
        assert_eq!(cell_text(&Cell::Number(45731.0)), "45731");
    }

    #[test]
    fn every_amount_form() {
        for (text, want) in [
            ("28000", "28000.00"),
            ("1,234.5", "1234.50"),
            ("12,000", "12000.00"),
            ("1,234,567.89", "1234567.89"),
            ("3.5亿", "35000.00"),
            ("3.5亿元", "35000.00"),
            ("0.85亿", "8500.00"),
            ("12亿元\n", "120000.00"),
            ("0.123456亿", "1234.56"),
            ("35000万元", "35000.00"),
            ("35000万", "35000.00"),
            ("３５０００", "35000.00"),
            ("３５，０００．５", "35000.50"),
            ("  12000  ", "12000.00"),
            ("\u{3000}15000\u{3000}", "15000.00"),
            ("4,500\n", "4500.00"),
            ("3.5 亿", "35000.00"),
            (".5", "0.50"),
            ("0", "0.00"),
            ("1.2300", "1.23"),
        ] {
            assert_eq!(wan(text), Ok(want.to_string()), "{text}");
        }
        for bad in [
            "abc",
            "",
            "1,5",
            "1,23,456",
            "12.3.4",
            "3.5千万",
            "35000元",
            "约3.5亿",
            "1e5",
            "1.234",
            "-5",
            "亿",
            "1,234,5.5",
        ] {
            assert!(wan(bad).is_err(), "{bad}");
        }
        assert!(wan("abc").unwrap_err().contains("不是有效的数字"));
        assert!(wan("-5").unwrap_err().contains("不能为负数"));
        assert!(wan("1.234").unwrap_err().contains("两位小数"));
        assert!(wan("99999999999999999999").unwrap_err().contains("过大"));
        let usd = |t: &str| parse_amount_text(t, AmountUnit::WanUsd).map(|m| m.to_string());
        assert_eq!(usd("1,200"), Ok("1200.00".into()));
        assert_eq!(usd("1200万美元"), Ok("1200.00".into()));
        assert_eq!(usd("0.12亿美元"), Ok("1200.00".into()));
        assert!(usd("1200万元").is_err(), "万元 in a 万美元 column is a currency mistake");
        let mu = |t: &str| parse_amount_text(t, AmountUnit::Mu).map(|m| m.to_string());
        assert_eq!(mu(" 85.5 "), Ok("85.50".into()));
        assert_eq!(mu("46亩"), Ok("46.00".into()));
        assert!(mu("3.5亿").is_err());
    }

    #[test]
    fn number_cells_round_to_hundredths() {
        let n = |x: f64| number_amount(x, AmountUnit::WanYuan).map(|m| m.to_string());
        assert_eq!(n(50000.0), Ok("50000.00".into()));
        assert_eq!(n(86500.5), Ok("86500.50".into()));
        assert_eq!(n(0.1 + 0.2), Ok("0.30".into()));
        assert_eq!(n(0.125), Ok("0.13".into()));
        assert_eq!(n(99.995), Ok("100.00".into()));
        assert_eq!(n(9.999), Ok("10.00".into()));
        assert_eq!(n(-0.0), Ok("0.00".into()));
        assert_eq!(n(1e-9), Ok("0.00".into()));
        assert!(n(-1.0).unwrap_err().contains("不能为负数"));
        assert!(n(f64::INFINITY).unwrap_err().contains("不是有效的数字"));
        assert!(n(1e20).unwrap_err().contains("过大"));
        assert_eq!(amount(&Cell::Empty, AmountUnit::Mu), Ok(None));
        assert_eq!(amount(&Cell::Text("—".into()), AmountUnit::Mu), Ok(None));
        assert!(amount(&Cell::Date(45000.0), AmountUnit::Mu).is_err());
    }

    #[test]
    fn lists() {
        assert_eq!(investors("华强方特文化科技集团股份有限公司、河南文旅产业投资集团有限公司").len(), 2);
        assert_eq!(
            investors("阿里巴巴（中国）有限公司;阿里云计算有限公司"),
            ["阿里巴巴（中国）有限公司", "阿里云计算有限公司"]
        );
        assert_eq!(investors("甲公司；乙集团，丙公司,丁公司、甲公司"), ["甲公司", "乙集团", "丙公司", "丁公司"]);
        assert_eq!(investors("宁德时代新能源科技\n股份有限公司"), ["宁德时代新能源科技股份有限公司"], "a wrapped name");
        assert_eq!(
            investors("比亚迪股份有限公司\n中国一汽集团"),
            ["比亚迪股份有限公司", "中国一汽集团"],
            "one per line"
        );
        assert_eq!(investors(""), Vec::<String>::new());
        assert_eq!(categories("梁柱型、靶向"), Ok(vec![Category::Pillar, Category::Targeted]));
        assert_eq!(categories("总部，外资 靶向项目/pillar"), Ok(Category::ALL.to_vec()));
        assert_eq!(categories(""), Ok(vec![]));
        assert!(categories("梁柱型、其他").unwrap_err().contains("「其他」无效"));
        assert_eq!(channel("空中"), Ok(Some("air".into())));
        assert_eq!(channel("陆上丝路"), Ok(Some("land".into())));
        assert_eq!(channel("网上丝绸之路"), Ok(Some("online".into())));
        assert_eq!(channel("online"), Ok(Some("online".into())));
        assert_eq!(channel("无"), Ok(None));
        assert_eq!(channel(""), Ok(None));
        assert!(channel("海上").unwrap_err().contains("无效"));
        assert_eq!(investor_type("世界500强"), Ok(Some("世界500强".into())));
        assert_eq!(investor_type("世界五百强企业"), Ok(Some("世界500强".into())));
        assert_eq!(investor_type("民营500强"), Ok(Some("中国民营500强".into())));
        assert_eq!(investor_type("世界500强、其他"), Ok(Some("世界500强、其他".into())));
        assert_eq!(investor_type(""), Ok(None));
        assert!(investor_type("央企").unwrap_err().contains("无效"));
    }

    #[test]
    fn stages_by_label_code_and_common_spellings() {
        assert_eq!(stage("已开工"), Ok(Stage::Started));
        assert_eq!(stage("signed"), Ok(Stage::Signed));
        assert_eq!(stage(" Signed "), Ok(Stage::Signed));
        assert_eq!(stage("谋划/储备"), Ok(Stage::Reserve));
        assert_eq!(stage("谋划／储备"), Ok(Stage::Reserve));
        assert_eq!(stage("洽谈中"), Ok(Stage::Negotiating));
        assert_eq!(stage("在建"), Ok(Stage::Started));
        assert_eq!(stage("at_capacity"), Ok(Stage::AtCapacity));
        assert!(stage("已完成").unwrap_err().contains("阶段「已完成」无效"));
    }

    fn forms(day: NaiveDate) -> Vec<String> {
        let (y, m, dd) = (day.year(), day.month(), day.day());
        vec![
            day.format("%Y-%m-%d").to_string(),
            format!("{y}-{m}-{dd}"),
            format!("{y}/{m}/{dd}"),
            format!("{y}.{m}.{dd}"),
            format!("{y}年{m}月{dd}日"),
            format!("{y}年{m:02}月{dd:02}日"),
            day.format("%Y%m%d").to_string(),
            format!("{y}/{m}/{dd} 09:30"),
            format!("{y}-{m:02}-{dd:02}T23:59:59"),
            to_fullwidth(&format!("{y}-{m}-{dd}")),
        ]
    }

    fn to_fullwidth(s: &str) -> String {
        s.chars().map(|c| if c.is_ascii_graphic() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c }).collect()
    }

    fn with_thousands(int: &str) -> String {
        let bytes: Vec<char> = int.chars().collect();
        let mut out = String::new();
        for (i, c) in bytes.iter().enumerate() {
            if i > 0 && (bytes.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(*c);
        }
        out
    }

    proptest! {
        #[test]
        fn any_date_in_any_form_parses_to_that_date(days in 0u64..54_000) {
            let day = NaiveDate::from_ymd_opt(MIN_YEAR, 1, 1).unwrap() + Days::new(days);
            prop_assume!(day.year() <= MAX_YEAR);
            for text in forms(day) {
                prop_assert_eq!(parse_date_text(&text), Ok(day), "{}", text);
                prop_assert_eq!(date(&Cell::Text(format!(" {text}\n"))), Ok(Some(day)), "{}", text);
            }
            let first = day.with_day(1).unwrap();
            prop_assert_eq!(parse_date_text(&format!("{}年{}月", day.year(), day.month())), Ok(first));
            let serial = (day - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64;
            prop_assert_eq!(date(&Cell::Date(serial)), Ok(Some(day)));
            prop_assert_eq!(date(&Cell::Date(serial + 0.99)), Ok(Some(day)));
            prop_assert_eq!(date(&Cell::Number(serial)), Ok(Some(day)));
            prop_assert_eq!(cell_text(&Cell::Date(serial)), day.to_string());
        }

        #[test]
        fn any_amount_round_trips_through_its_text_forms(h in 0i64..1_000_000_000_000_000) {
            let m = Money::from_hundredths(h);
            let plain = m.to_string();
            let (int, frac) = plain.split_once('.').unwrap();
            let yi = format!("{}.{:06}", h / 1_000_000, h % 1_000_000);
            for text in [
                plain.clone(),
                format!("{}.{frac}", with_thousands(int)),
                format!("{plain}万元"),
                format!("  {plain}\u{3000}\n"),
                to_fullwidth(&format!("{}.{frac}", with_thousands(int))),
                format!("{yi}亿"),
                format!("{yi}亿元"),
            ] {
                prop_assert_eq!(parse_amount_text(&text, AmountUnit::WanYuan), Ok(m), "{}", text);
            }
            prop_assert_eq!(amount(&Cell::Text(plain.clone()), AmountUnit::Mu), Ok(Some(m)));
            // a number cell holding the amount reads back the same: at most 15 significant
            // digits survive f64 and its shortest text exactly
            let f: f64 = plain.parse().unwrap();
            prop_assert_eq!(number_amount(f, AmountUnit::WanYuan), Ok(m), "{}", f);
        }

        #[test]
        fn parsers_never_panic(s in "\\PC*", t in "[0-9０-９.,，．亿万元年月日号/\\-: T\n　]{0,24}", f in any::<f64>()) {
            for text in [&s, &t] {
                let _ = clean_text(text);
                let _ = clean_note(text);
                let _ = parse_date_text(text);
                let _ = date(&Cell::Text(text.clone()));
                for unit in [AmountUnit::WanYuan, AmountUnit::WanUsd, AmountUnit::Mu] {
                    let _ = parse_amount_text(text, unit);
                }
                let _ = investors(text);
                let _ = categories(text);
                let _ = channel(text);
                let _ = investor_type(text);
                let _ = stage(text);
            }
            let _ = date(&Cell::Number(f));
            let _ = date(&Cell::Date(f));
            let _ = cell_text(&Cell::Date(f));
            let _ = number_amount(f, AmountUnit::WanYuan);
        }
    }
}
