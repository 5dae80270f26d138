//! An assessment's ranking as a workbook (assessment.md; the CLI's `assess --format xlsx`,
//! and for the web layer and the bulletin's export): sheet 排名 — one row per unit with
//! 名次, 单位, each indicator's measure value and points under grouped headers (indicator
//! group, then indicator), 加分, 扣分, 总分 — and sheet 计分依据 — the scheme: its period,
//! indicators (group, code, name, measure, method, weight, cap, points each, lower is
//! better), the top-10 bonus and every target by unit. Texts are string cells (never a
//! formula); the numbers are the result's exact decimals, written as Excel's doubles.

use domain::assessment::{Assessment, Scheme};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// Why the workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum AssessmentXlsxError {
    #[error("无法生成考核结果工作簿 / cannot write the assessment workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// Sheet names.
pub const RANKING_SHEET: &str = "排名";
pub const BASIS_SHEET: &str = "计分依据";

/// A decimal's value as Excel stores numbers (display: the decimal prints exactly).
fn num(d: &impl ToString) -> f64 {
    d.to_string().parse::<f64>().unwrap_or(0.0)
}

/// Display width of a text: a CJK character takes two columns.
fn width(s: &str) -> f64 {
    s.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum()
}

struct Formats {
    title: Format,
    head: Format,
    text: Format,
    int: Format,
    points: Format,
    value: Format,
}

impl Formats {
    fn new() -> Formats {
        let font = "宋体";
        let cell = Format::new().set_font_name(font).set_border(FormatBorder::Thin);
        Formats {
            title: Format::new().set_bold().set_font_size(16).set_font_name(font).set_align(FormatAlign::Center),
            head: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap()
                .set_background_color(0xD9E1F2),
            text: cell.clone(),
            int: cell.clone().set_num_format("0").set_align(FormatAlign::Center),
            points: cell.clone().set_num_format("0.00"),
            value: cell,
        }
    }
}

/// A header cell spanning `rows` × `cols` from (`row`, `col`): merged when more than one.
fn header(
    ws: &mut Worksheet,
    (row, col): (u32, u16),
    (rows, cols): (u32, u16),
    text: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    if rows > 1 || cols > 1 {
        ws.merge_range(row, col, row + rows - 1, col + cols - 1, text, f)?;
    } else {
        ws.write_string_with_format(row, col, text, f)?;
    }
    Ok(())
}

/// The workbook of `a` (computed from `scheme`), as bytes.
pub fn assessment_xlsx(a: &Assessment, scheme: &Scheme) -> Result<Vec<u8>, AssessmentXlsxError> {
    let mut wb = Workbook::new();
    let f = Formats::new();
    ranking(wb.add_worksheet(), a, &f)?;
    basis(wb.add_worksheet(), a, scheme, &f)?;
    Ok(wb.save_to_buffer()?)
}

/// Sheet 排名: the title, three header rows (group; indicator; 指标值 / 得分), a row a unit.
fn ranking(ws: &mut Worksheet, a: &Assessment, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(RANKING_SHEET)?;
    let n = a.columns.len() as u16;
    let last = 2 + 2 * n + 2;
    ws.merge_range(0, 0, 0, last, &format!("{}（{} 至 {}）", a.scheme, a.from, a.to), &f.title)?;
    ws.set_row_height(0, 28)?;
    header(ws, (1, 0), (3, 1), "名次", &f.head)?;
    header(ws, (1, 1), (3, 1), "单位", &f.head)?;
    // consecutive indicators of one group under one merged group header
    let mut k = 0usize;
    while k < a.columns.len() {
        let group = &a.columns[k].group;
        let span = a.columns[k..].iter().take_while(|c| &c.group == group).count();
        header(ws, (1, 2 + 2 * k as u16), (1, 2 * span as u16), group, &f.head)?;
        k += span;
    }
    for (i, c) in a.columns.iter().enumerate() {
        let col = 2 + 2 * i as u16;
        header(ws, (2, col), (1, 2), &format!("{}（{}分）", c.name, c.weight.normalize()), &f.head)?;
        ws.write_string_with_format(3, col, "指标值", &f.head)?;
        ws.write_string_with_format(3, col + 1, "得分", &f.head)?;
    }
    for (j, label) in ["加分", "扣分", "总分"].iter().enumerate() {
        header(ws, (1, 2 + 2 * n + j as u16), (3, 1), label, &f.head)?;
    }
    ws.set_row_height(2, 42)?;
    let mut unit_width = width("单位");
    for (r, u) in a.results.iter().enumerate() {
        let row = 4 + r as u32;
        ws.write_number_with_format(row, 0, f64::from(u.rank), &f.int)?;
        ws.write_string_with_format(row, 1, &u.unit.name, &f.text)?;
        unit_width = unit_width.max(width(&u.unit.name));
        for (i, p) in u.indicators.iter().enumerate().take(a.columns.len()) {
            let col = 2 + 2 * i as u16;
            ws.write_number_with_format(row, col, num(&p.value.normalize()), &f.value)?;
            ws.write_number_with_format(row, col + 1, num(&p.points), &f.points)?;
        }
        for (j, v) in [u.bonus, u.penalty, u.total].iter().enumerate() {
            ws.write_number_with_format(row, 2 + 2 * n + j as u16, num(v), &f.points)?;
        }
    }
    ws.set_column_width(0, 6)?;
    ws.set_column_width(1, unit_width.min(40.0) + 2.0)?;
    for c in 2..=last {
        ws.set_column_width(c, 11)?;
    }
    ws.set_freeze_panes(4, 2)?;
    Ok(())
}

/// Sheet 计分依据: the scheme's indicators, then its targets by unit.
fn basis(ws: &mut Worksheet, a: &Assessment, scheme: &Scheme, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(BASIS_SHEET)?;
    let heads = ["指标组", "指标代码", "指标名称", "计量", "计分方法", "权重", "封顶倍数", "每项得分", "越低越好"];
    let last = heads.len() as u16 - 1;
    ws.merge_range(0, 0, 0, last, &format!("{} 计分依据", scheme.name), &f.title)?;
    ws.write_string(1, 0, format!("考核期：{} 至 {}", scheme.from, scheme.to))?;
    if let Some(b) = scheme.top10_bonus {
        ws.write_string(1, 3, format!("十大项目加分：每个项目 +{}", b.normalize()))?;
    }
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &f.head)?;
    }
    for (r, i) in scheme.indicators.iter().enumerate() {
        let row = 3 + r as u32;
        for (c, t) in [&i.group, &i.code, &i.name, &i.measure.label(), &i.method.label().to_string()].iter().enumerate()
        {
            ws.write_string_with_format(row, c as u16, t.as_str(), &f.text)?;
        }
        ws.write_number_with_format(row, 5, num(&i.weight), &f.value)?;
        for (c, v) in [(6u16, i.cap), (7, i.points_each)] {
            match v {
                Some(v) => ws.write_number_with_format(row, c, num(&v), &f.value)?,
                None => ws.write_blank(row, c, &f.text)?,
            };
        }
        ws.write_string_with_format(row, 8, if i.lower_is_better { "是" } else { "否" }, &f.text)?;
    }
    // targets: a row a unit, a column an indicator with targets
    let with_targets: Vec<_> = scheme.indicators.iter().filter(|i| scheme.targets.contains_key(&i.code)).collect();
    if !with_targets.is_empty() {
        let top = 4 + scheme.indicators.len() as u32;
        ws.write_string_with_format(top, 0, "单位", &f.head)?;
        ws.write_string_with_format(top, 1, "单位代码", &f.head)?;
        for (c, i) in with_targets.iter().enumerate() {
            ws.write_string_with_format(top, 2 + c as u16, format!("{} 目标", i.name), &f.head)?;
        }
        // in the ranking's order
        for (r, (code, name)) in a.results.iter().map(|r| (&r.unit.code, &r.unit.name)).enumerate() {
            let row = top + 1 + r as u32;
            ws.write_string_with_format(row, 0, name, &f.text)?;
            ws.write_string_with_format(row, 1, code, &f.text)?;
            for (c, i) in with_targets.iter().enumerate() {
                match scheme.targets.get(&i.code).and_then(|t| t.get(code)) {
                    Some(v) => ws.write_number_with_format(row, 2 + c as u16, num(v), &f.value)?,
                    None => ws.write_blank(row, 2 + c as u16, &f.text)?,
                };
            }
        }
    }
    for (c, w) in [14.0, 16.0, 36.0, 24.0, 14.0, 8.0, 10.0, 10.0, 10.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}
