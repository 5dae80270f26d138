//! Writing the ledger back out in the template of ledger.md, the way a commerce bureau would
//! print it: a title row, a subtitle with the filter and the time, the header frozen below
//! them, widths that fit Chinese text, amounts as numbers with two decimals, dates as dates,
//! a totals row. Every text is written as a string cell, so `=…` can never become a formula.

use chrono::{Datelike, NaiveDate};
use domain::Money;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// The template's columns, in order (ledger.md).
pub const COLUMNS: [&str; 24] = [
    "序号",
    "项目编号",
    "项目名称",
    "责任单位",
    "投资方",
    "投资方类型",
    "投资方来源地",
    "产业类别",
    "项目类别",
    "丝路通道",
    "总投资(万元)",
    "利用外资(万美元)",
    "用地(亩)",
    "项目阶段",
    "签约日期",
    "手续办结日期",
    "开工日期",
    "投产日期",
    "达产日期",
    "预计投产日期",
    "包联领导",
    "项目进展情况",
    "存在问题",
    "备注",
];

/// One project as the ledger shows it: names, not codes (the importer takes both).
#[derive(Debug, Clone, Default)]
pub struct ExportRow {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub investors: Vec<String>,
    pub investor_type: String,
    pub region: String,
    pub industry: String,
    pub categories: Vec<String>,
    pub channel: String,
    pub total_investment: Money,
    pub foreign_investment: Option<Money>,
    pub land_mu: Option<Money>,
    pub stage: String,
    pub signed_on: Option<NaiveDate>,
    pub approved_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub producing_on: Option<NaiveDate>,
    pub at_capacity_on: Option<NaiveDate>,
    pub expected_producing_on: Option<NaiveDate>,
    pub lead_leader: String,
    pub progress: String,
    pub problem: String,
    pub notes: String,
}

/// The sheet's name and the two lines above the header.
#[derive(Debug, Clone)]
pub struct Heading {
    pub title: String,
    pub subtitle: String,
}

#[derive(Debug, thiserror::Error)]
#[error("导出失败：{0}")]
pub struct ExportError(String);

impl From<XlsxError> for ExportError {
    fn from(e: XlsxError) -> Self {
        ExportError(e.to_string())
    }
}

/// Display width of a text in Excel's character units (a CJK character counts two).
fn width(s: &str) -> f64 {
    s.chars().map(|c| if (c as u32) < 0x2E80 { 1.1 } else { 2.1 }).sum()
}

/// Excel's limit on a cell's text (UTF-16 units; rust_xlsxwriter refuses a longer string).
pub const MAX_CELL_CHARS: usize = 32_767;

/// What ends a text cut to fit a cell.
pub const CUT_MARK: &str = "…（已截断）";

/// A text as a cell can hold it: whole when it fits, else cut to Excel's limit and marked,
/// so that one long note never makes the whole export fail.
pub fn fit(s: &str) -> std::borrow::Cow<'_, str> {
    // UTF-16 never takes more units than UTF-8 takes bytes: most texts stop at the first test
    if s.len() <= MAX_CELL_CHARS || s.encode_utf16().count() <= MAX_CELL_CHARS {
        return s.into();
    }
    let room = MAX_CELL_CHARS - CUT_MARK.encode_utf16().count();
    let mut units = 0;
    let end = s
        .char_indices()
        .find(|(_, c)| {
            units += c.len_utf16();
            units > room
        })
        .map_or(s.len(), |(i, _)| i);
    format!("{}{CUT_MARK}", &s[..end]).into()
}

fn money_f64(m: Money) -> f64 {
    // display only: Excel stores doubles; hundredths round-trip exactly through {:.2}
    m.hundredths() as f64 / 100.0
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year().clamp(1900, 9999) as u16, d.month() as u8, d.day() as u8)
}

/// The workbook, as bytes.
pub fn write_xlsx(rows: &[ExportRow], heading: &Heading) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("项目台账")?;
    let font = "宋体";
    let title = Format::new().set_bold().set_font_size(16).set_font_name(font).set_align(FormatAlign::Center);
    let sub = Format::new().set_font_size(10).set_font_name(font).set_align(FormatAlign::Left);
    let head = Format::new()
        .set_bold()
        .set_font_name(font)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_background_color(0xD9E1F2)
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_font_name(font).set_border(FormatBorder::Thin).set_text_wrap();
    let money = Format::new().set_font_name(font).set_border(FormatBorder::Thin).set_num_format("#,##0.00");
    let date = Format::new().set_font_name(font).set_border(FormatBorder::Thin).set_num_format("yyyy-mm-dd");
    let int = Format::new().set_font_name(font).set_border(FormatBorder::Thin).set_num_format("0");
    let total_label = head.clone();
    let total_money = money.clone().set_bold().set_background_color(0xF2F2F2);

    let last_col = (COLUMNS.len() - 1) as u16;
    ws.merge_range(0, 0, 0, last_col, &fit(&heading.title), &title)?;
    ws.merge_range(1, 0, 1, last_col, &fit(&heading.subtitle), &sub)?;
    ws.set_row_height(0, 28)?;
    let header_row = 2u32;
    let mut widths: Vec<f64> = COLUMNS.iter().map(|c| width(c).max(6.0)).collect();
    for (c, label) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, *label, &head)?;
    }
    ws.set_freeze_panes(header_row + 1, 3)?;

    let mut total = Money::ZERO;
    let mut foreign = Money::ZERO;
    for (i, r) in rows.iter().enumerate() {
        let row = header_row + 1 + i as u32;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &int)?;
        let texts: [(u16, &str); 9] = [
            (1, &r.code),
            (2, &r.name),
            (3, &r.unit),
            (5, &r.investor_type),
            (6, &r.region),
            (7, &r.industry),
            (9, &r.channel),
            (13, &r.stage),
            (20, &r.lead_leader),
        ];
        for (c, v) in texts {
            ws.write_string_with_format(row, c, fit(v), &text)?;
            if i < 2000 {
                widths[c as usize] = widths[c as usize].max(width(v));
            }
        }
        let joined = [(4u16, r.investors.join("、")), (8, r.categories.join("、"))];
        for (c, v) in joined {
            if i < 2000 {
                widths[c as usize] = widths[c as usize].max(width(&v));
            }
            ws.write_string_with_format(row, c, fit(&v), &text)?;
        }
        ws.write_number_with_format(row, 10, money_f64(r.total_investment), &money)?;
        total = total.checked_add(r.total_investment).unwrap_or(total);
        for (c, v) in [(11u16, r.foreign_investment), (12, r.land_mu)] {
            match v {
                Some(m) => ws.write_number_with_format(row, c, money_f64(m), &money)?,
                None => ws.write_blank(row, c, &text)?,
            };
        }
        if let Some(m) = r.foreign_investment {
            foreign = foreign.checked_add(m).unwrap_or(foreign);
        }
        let dates = [
            (14u16, r.signed_on),
            (15, r.approved_on),
            (16, r.started_on),
            (17, r.producing_on),
            (18, r.at_capacity_on),
            (19, r.expected_producing_on),
        ];
        for (c, d) in dates {
            match d {
                Some(d) => ws.write_datetime_with_format(row, c, excel_date(d)?, &date)?,
                None => ws.write_blank(row, c, &text)?,
            };
        }
        for (c, v) in [(21u16, &r.progress), (22, &r.problem), (23, &r.notes)] {
            ws.write_string_with_format(row, c, fit(v), &text)?;
        }
    }
    // 合计: skipped by the importer, so an exported file imports back unchanged
    let total_row = header_row + 1 + rows.len() as u32;
    ws.write_string_with_format(total_row, 0, "合计", &total_label)?;
    ws.write_string_with_format(total_row, 2, format!("{} 个项目", rows.len()), &total_label)?;
    ws.write_number_with_format(total_row, 10, money_f64(total), &total_money)?;
    ws.write_number_with_format(total_row, 11, money_f64(foreign), &total_money)?;

    for (c, w) in widths.iter().enumerate() {
        let cap = if matches!(c, 21..=23) { 40.0 } else { 30.0 };
        let w = match c {
            10..=12 => w.max(14.0),
            14..=19 => w.max(11.0),
            _ => *w,
        };
        ws.set_column_width(c as u16, w.min(cap) + 1.0)?;
    }
    Ok(wb.save_to_buffer()?)
}
