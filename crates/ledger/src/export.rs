//! Writing the ledger back out in the template of ledger.md, the way a commerce bureau would
//! print it: a title row, a subtitle with the filter and the time, the header frozen below
//! them, widths that fit Chinese text, amounts as numbers with two decimals, dates as dates,
//! a totals row. Every text is written as a string cell, so `=…` can never become a formula.

use chrono::{Datelike, NaiveDate};
use domain::Money;
use domain::fields::Kind;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use crate::header::Field;

/// The template's columns, in order (ledger.md): the labels of [`Field::ALL`].
pub fn columns() -> Vec<&'static str> {
    Field::ALL.iter().map(|f| f.label()).collect()
}

/// One cell of an exported row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A text (a list is joined with 、 first).
    Text(String),
    Money(Option<Money>),
    Date(Option<NaiveDate>),
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

impl From<Option<Money>> for Value {
    fn from(m: Option<Money>) -> Self {
        Value::Money(m)
    }
}

impl From<Money> for Value {
    fn from(m: Money) -> Self {
        Value::Money(Some(m))
    }
}

impl From<Option<NaiveDate>> for Value {
    fn from(d: Option<NaiveDate>) -> Self {
        Value::Date(d)
    }
}

/// One project as the ledger shows it (names, not codes: the importer takes both): a value
/// per column of [`Field::ALL`] (序号 is numbered on writing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    cells: Vec<Value>,
}

impl ExportRow {
    /// A row from each field's value; a value of the wrong shape for its column (a text
    /// under 总投资) is written blank.
    pub fn from_fn(mut value: impl FnMut(Field) -> Value) -> ExportRow {
        ExportRow { cells: Field::ALL.iter().map(|f| value(*f)).collect() }
    }

    pub fn get(&self, field: Field) -> &Value {
        &self.cells[field.index()]
    }

    pub fn set(&mut self, field: Field, value: impl Into<Value>) {
        self.cells[field.index()] = value.into();
    }

    /// The value of a blank cell of this field's column.
    fn blank(field: Field) -> Value {
        match field.spec().kind {
            Kind::Money => Value::Money(None),
            Kind::Date => Value::Date(None),
            _ => Value::Text(String::new()),
        }
    }

    fn money(&self, field: Field) -> Option<Money> {
        match self.get(field) {
            Value::Money(m) => *m,
            _ => None,
        }
    }
}

impl Default for ExportRow {
    /// A row of blank cells.
    fn default() -> Self {
        ExportRow::from_fn(ExportRow::blank)
    }
}

/// Joined as the ledger writes a list: `甲公司、乙公司`.
pub fn list(items: &[impl AsRef<str>]) -> Value {
    Value::Text(items.iter().map(AsRef::as_ref).collect::<Vec<_>>().join("、"))
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

    let last_col = (Field::ALL.len() - 1) as u16;
    ws.merge_range(0, 0, 0, last_col, &fit(&heading.title), &title)?;
    ws.merge_range(1, 0, 1, last_col, &fit(&heading.subtitle), &sub)?;
    ws.set_row_height(0, 28)?;
    let header_row = 2u32;
    let mut widths: Vec<f64> = Field::ALL.iter().map(|f| width(f.label()).max(6.0)).collect();
    for f in Field::ALL {
        ws.write_string_with_format(header_row, f.index() as u16, f.label(), &head)?;
    }
    ws.set_freeze_panes(header_row + 1, 3)?;

    let mut total = Money::ZERO;
    let mut foreign = Money::ZERO;
    for (i, r) in rows.iter().enumerate() {
        let row = header_row + 1 + i as u32;
        for f in Field::ALL {
            let c = f.index() as u16;
            match r.get(f) {
                _ if f == Field::Seq => ws.write_number_with_format(row, c, (i + 1) as f64, &int)?,
                Value::Text(v) => {
                    // the widths follow the first rows' short texts (notes wrap)
                    if i < 2000 && f.spec().kind != Kind::LongText {
                        widths[f.index()] = widths[f.index()].max(width(v));
                    }
                    ws.write_string_with_format(row, c, fit(v), &text)?
                }
                Value::Money(Some(m)) => ws.write_number_with_format(row, c, money_f64(*m), &money)?,
                Value::Date(Some(d)) => ws.write_datetime_with_format(row, c, excel_date(*d)?, &date)?,
                Value::Money(None) | Value::Date(None) => ws.write_blank(row, c, &text)?,
            };
        }
        let add = |sum: Money, m: Option<Money>| m.and_then(|m| sum.checked_add(m)).unwrap_or(sum);
        total = add(total, r.money(Field::TotalInvestment));
        foreign = add(foreign, r.money(Field::ForeignInvestment));
    }
    // 合计: skipped by the importer, so an exported file imports back unchanged
    let total_row = header_row + 1 + rows.len() as u32;
    ws.write_string_with_format(total_row, 0, "合计", &total_label)?;
    ws.write_string_with_format(total_row, Field::Name.index() as u16, format!("{} 个项目", rows.len()), &total_label)?;
    for (f, sum) in [(Field::TotalInvestment, total), (Field::ForeignInvestment, foreign)] {
        ws.write_number_with_format(total_row, f.index() as u16, money_f64(sum), &total_money)?;
    }

    for (f, w) in Field::ALL.iter().zip(&widths) {
        let (min, cap) = match f.spec().kind {
            Kind::LongText => (0.0, 40.0),
            Kind::Money => (14.0, 30.0),
            Kind::Date => (11.0, 30.0),
            _ => (0.0, 30.0),
        };
        ws.set_column_width(f.index() as u16, w.max(min).min(cap) + 1.0)?;
    }
    Ok(wb.save_to_buffer()?)
}
