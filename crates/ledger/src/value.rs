//! Cell values as people type them into a 台账 (ledger.md, "What real files look like"):
//! text with stray spaces and line breaks, dates in half a dozen forms, amounts with units,
//! thousands separators and full-width digits. Each parser returns the value or a Chinese
//! reason; the row parser adds the row, the column and the cell text.
//!
//! Amounts never pass through `f64` unless the cell itself is a number: text is read as a
//! decimal string and scaled by moving the decimal point, so `0.123456亿` is exactly
//! `1234.56` 万元.

use std::borrow::Cow;

use chrono::{Datelike, Days, NaiveDate, Timelike};
use domain::{Category, Money, Stage, money::MoneyError};

use crate::read::Cell;

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

// ---------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------

/// Dates outside these years are typing mistakes in a project ledger (a year `2025` typed
/// into a date cell is the serial of 1905-07-17, for instance).
pub const MIN_YEAR: i32 = 1950;
pub const MAX_YEAR: i32 = 2100;

const DATE_FORMS: &str = "可写作 2025-03-01、2025/3/1、2025.3.1、2025年3月1日 或 2025年3月";

fn not_a_date() -> String {
    format!("不是有效的日期（{DATE_FORMS}）")
}

fn out_of_range(d: NaiveDate) -> String {
    format!("不是有效的日期（{d} 不在 {MIN_YEAR}—{MAX_YEAR} 年之间）")
}

fn plausible(d: NaiveDate) -> Result<NaiveDate, String> {
    if (MIN_YEAR..=MAX_YEAR).contains(&d.year()) { Ok(d) } else { Err(out_of_range(d)) }
}

/// The date and time of an Excel serial (1900 system: day 0 is 1899-12-30, which is right
/// for every serial from 61 = 1900-03-01 on, past Excel's phantom 1900-02-29).
fn serial_datetime(serial: f64) -> Option<chrono::NaiveDateTime> {
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
fn digits(chars: &[char], i: &mut usize) -> (u32, usize) {
    let start = *i;
    let mut v: u32 = 0;
    while let Some(d) = chars.get(*i).and_then(|c| c.to_digit(10)) {
        v = v.saturating_mul(10).saturating_add(d);
        *i += 1;
    }
    (v, *i - start)
}

fn skip_spaces(chars: &[char], i: &mut usize) {
    while chars.get(*i).is_some_and(|c| is_space(*c)) {
        *i += 1;
    }
}

/// What may follow a date: a time of day (`09:30`, `9:30:00`, `T09:30:00Z`, `上午9时30分`).
fn is_time(rest: &[char]) -> bool {
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

// ---------------------------------------------------------------------------------------
// Amounts
// ---------------------------------------------------------------------------------------

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
fn round_to_hundredths(s: &str) -> String {
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
fn drop_thousands(s: &str) -> Option<String> {
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
fn shift_decimal(s: &str, places: usize) -> String {
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

// ---------------------------------------------------------------------------------------
// Lists and codes
// ---------------------------------------------------------------------------------------

fn is_list_separator(c: char) -> bool {
    matches!(c, '、' | ';' | '；' | ',' | '，')
}

/// Items separated by `、` `;` `；` `,` `，`, each cleaned; empty items dropped.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(is_list_separator).map(clean_text).filter(|s| !s.is_empty() && !is_placeholder(s)).collect()
}

/// Whether a line reads as a whole organisation's name (so a line break after it separates
/// two investors rather than wrapping one long name).
fn ends_like_an_organisation(line: &str) -> bool {
    const ENDINGS: [&str; 20] = [
        "公司",
        "集团",
        "企业",
        "银行",
        "院",
        "所",
        "大学",
        "学校",
        "中心",
        "基金",
        "合伙)",
        "合伙）",
        "商会",
        "协会",
        "Ltd",
        "Ltd.",
        "Inc",
        "Inc.",
        "GmbH",
        "LLC",
    ];
    let t = line.trim_matches(is_space).trim_end_matches(is_list_separator);
    ENDINGS.iter().any(|e| t.ends_with(e)) || t.ends_with(" AG") || t.ends_with("Co.") || t.ends_with("Group")
}

/// Investor companies: a list (`、`, `;`, `；`, `,`, `，`). A line break inside the cell
/// separates two companies when every line ends like an organisation's name
/// (`…有限公司⏎…集团`); otherwise it only wraps one long name and is removed.
pub fn investors(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.split(is_line_break).filter(|l| !l.trim_matches(is_space).is_empty()).collect();
    let joined = if lines.len() > 1 && lines.iter().all(|l| ends_like_an_organisation(l)) {
        lines.join("、")
    } else {
        clean_text(text)
    };
    let mut out: Vec<String> = Vec::new();
    for name in split_list(&joined) {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// 项目类别: any of `梁柱型`、`靶向`、`外资`、`总部` (or their codes), separated by the list
/// separators, spaces or `/`; returned in the order pillar, targeted, foreign, headquarters.
pub fn categories(text: &str) -> Result<Vec<Category>, String> {
    let mut out = Vec::new();
    let t = to_halfwidth(text);
    for item in t.split(|c: char| is_list_separator(c) || is_space(c) || c == '/').filter(|s| !s.is_empty()) {
        if is_placeholder(item) {
            continue;
        }
        let bare = item.strip_suffix("项目").or_else(|| item.strip_suffix("类")).unwrap_or(item);
        let bare = if bare == "总部经济" { "总部" } else { bare };
        match Category::parse(item).or_else(|| Category::parse(bare)) {
            Some(c) => out.push(c),
            None => return Err(format!("项目类别「{item}」无效，应为 梁柱型、靶向、外资、总部（可多选，用“、”分隔）")),
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// 丝路通道: `空中` / `陆上` / `网上` (or the full names, or the codes `air` `land` `online`);
/// empty or `无` is none.
pub fn channel(text: &str) -> Result<Option<String>, String> {
    let t = clean_text(text);
    if t.is_empty() || is_placeholder(&t) || t == "none" {
        return Ok(None);
    }
    let short = t.strip_suffix("丝绸之路").or_else(|| t.strip_suffix("丝路")).unwrap_or(&t);
    match domain::reference::channel(&t).or_else(|| domain::reference::channel(short)) {
        Some(e) if e.code == "none" => Ok(None),
        Some(e) => Ok(Some(e.code.clone())),
        None => Err(format!("丝路通道「{t}」无效，应为 空中、陆上、网上 或留空")),
    }
}

/// The investor types of ledger.md.
pub const INVESTOR_TYPES: [&str; 5] = ["世界500强", "中国500强", "中国民营500强", "行业领军", "其他"];

fn investor_type_one(item: &str) -> Option<&'static str> {
    let t: String = to_halfwidth(item).chars().filter(|c| !is_space(*c)).collect();
    let t = t.replace("五百强", "500强").replace(['《', '》'], "");
    let t = t.strip_suffix("企业").unwrap_or(&t);
    Some(match t {
        "世界500强" | "财富世界500强" | "财富500强" => "世界500强",
        "中国500强" | "中国企业500强" => "中国500强",
        "中国民营500强" | "民营500强" | "中国民营企业500强" | "民营企业500强" => "中国民营500强",
        "行业领军" | "行业龙头" | "领军" | "龙头" => "行业领军",
        "其他" | "其它" | "一般" => "其他",
        _ => return None,
    })
}

/// 投资方类型: one of [`INVESTOR_TYPES`] (a few common spellings accepted); several, when
/// the investors differ, are kept joined by `、`.
pub fn investor_type(text: &str) -> Result<Option<String>, String> {
    let mut out: Vec<&'static str> = Vec::new();
    for item in split_list(text) {
        match investor_type_one(&item) {
            Some(t) if !out.contains(&t) => out.push(t),
            Some(_) => {}
            None => return Err(format!("投资方类型「{item}」无效，应为 {}", INVESTOR_TYPES.join("、"))),
        }
    }
    Ok(if out.is_empty() { None } else { Some(out.join("、")) })
}

/// 项目阶段: a stage's Chinese label or code (`Stage::parse`), and the spellings ledgers use
/// (`洽谈中`, `在建`, `已暂缓` …).
pub fn stage(text: &str) -> Result<Stage, String> {
    let t = clean_text(&to_halfwidth(text));
    let compact: String = t.chars().filter(|c| !is_space(*c)).collect();
    let lower = compact.to_ascii_lowercase();
    Stage::parse(&compact)
        .or_else(|| Stage::parse(&lower))
        .or(match compact.as_str() {
            "谋划储备" | "储备/谋划" | "储备项目" | "谋划项目" | "谋划中" => Some(Stage::Reserve),
            "洽谈" | "洽谈中" | "在谈中" | "正在洽谈" | "在洽谈" | "洽谈项目" | "在谈项目" => {
                Some(Stage::Negotiating)
            }
            "签约项目" | "已签约项目" => Some(Stage::Signed),
            "手续已办结" | "已办结" | "办结" => Some(Stage::Approved),
            "已开工建设" | "建设中" | "开工建设" | "在建项目" => Some(Stage::Started),
            "已投产运营" | "投产运营" | "已运营" => Some(Stage::Producing),
            "已达产达效" | "达产达效" => Some(Stage::AtCapacity),
            "已暂缓" | "暂停" | "已暂停" => Some(Stage::OnHold),
            "已终止" | "终止合作" => Some(Stage::Terminated),
            _ => None,
        })
        .ok_or_else(|| {
            let labels: Vec<&str> = domain::stage::ALL.iter().map(|s| s.label()).collect();
            format!("阶段「{t}」无效，应为 {}", labels.join("、"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
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
