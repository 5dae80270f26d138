//! A bulletin's workbook (通报, issue 13 item 7): the frozen content as four sheets —
//! 排名 (every indicator's points, 加分, 扣分, 总分), 十大项目 (annual scheme), 预警统计 (red
//! and yellow warnings per unit on the day it was published) and 红黑榜. Built from the
//! published content only, so the file says what the bulletin says.

use domain::assessment::BulletinContent;
use domain::assessment::bulletin::chinese_date;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::export::{ExportError, fit};

/// The sheets' names, in order.
pub const SHEETS: [&str; 4] = ["排名", "十大项目", "预警统计", "红黑榜"];

/// A decimal figure as Excel stores it (display only: at most two decimals, exact in a double
/// to the digits shown).
fn num(d: impl ToString) -> f64 {
    d.to_string().parse().unwrap_or(0.0)
}

struct Styles {
    title: Format,
    head: Format,
    cell: Format,
    points: Format,
}

fn styles() -> Styles {
    let b = Format::new().set_border(FormatBorder::Thin).set_font_name("宋体");
    Styles {
        title: Format::new().set_bold().set_font_size(14).set_font_name("宋体"),
        head: b.clone().set_bold().set_align(FormatAlign::Center).set_background_color("#F2F2F2"),
        cell: b.clone(),
        points: b.set_num_format("0.00"),
    }
}

/// A sheet's title row (the bulletin's number and title, then what the sheet is) and its
/// header row.
fn heading(ws: &mut Worksheet, s: &Styles, c: &BulletinContent, what: &str, heads: &[String]) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, fit(&format!("{} {}——{what}", c.number, c.title)), &s.title)?;
    ws.write_string(1, 0, format!("{}（{} 至 {}），成文日期 {}", c.scheme, c.from, c.to, chinese_date(c.date)))?;
    for (i, h) in heads.iter().enumerate() {
        ws.write_string_with_format(2, i as u16, h, &s.head)?;
        ws.set_column_width(i as u16, if i == 1 { 22 } else { 12 })?;
    }
    ws.set_freeze_panes(3, 0)?;
    Ok(())
}

/// The workbook of a published bulletin's content.
pub fn bulletin_xlsx(c: &BulletinContent) -> Result<Vec<u8>, ExportError> {
    let s = styles();
    let mut book = Workbook::new();

    let ws = book.add_worksheet().set_name(SHEETS[0])?;
    let mut heads: Vec<String> = vec!["名次".into(), "单位".into()];
    heads.extend(c.ranking.columns.iter().map(|col| format!("{}（{}分）", col.name, col.weight.normalize())));
    heads.extend(["基本得分", "加分", "扣分", "总分"].map(String::from));
    heading(ws, &s, c, "考核排名", &heads)?;
    for (r, u) in c.ranking.results.iter().enumerate() {
        let row = 3 + r as u32;
        ws.write_number_with_format(row, 0, u.rank, &s.cell)?;
        ws.write_string_with_format(row, 1, &u.unit.name, &s.cell)?;
        let mut col = 2u16;
        for column in &c.ranking.columns {
            let p = u.indicators.iter().find(|i| i.code == column.code).map_or(0.0, |i| num(i.points));
            ws.write_number_with_format(row, col, p, &s.points)?;
            col += 1;
        }
        for v in [u.base, u.bonus, u.penalty, u.total] {
            ws.write_number_with_format(row, col, num(v), &s.points)?;
            col += 1;
        }
    }

    let ws = book.add_worksheet().set_name(SHEETS[1])?;
    let heads = ["序号", "项目名称", "项目编号", "所属单位", "总投资（万元）", "入选理由"].map(String::from);
    heading(ws, &s, c, "年度十大重大招商引资项目", &heads)?;
    if c.top10.is_empty() {
        ws.write_string(3, 0, "本通报不含年度十大项目（非年度考核）")?;
    }
    for (r, t) in c.top10.iter().enumerate() {
        let row = 3 + r as u32;
        ws.write_number_with_format(row, 0, t.position, &s.cell)?;
        ws.write_string_with_format(row, 1, fit(&t.project_name), &s.cell)?;
        ws.write_string_with_format(row, 2, &t.project_code, &s.cell)?;
        ws.write_string_with_format(row, 3, &t.unit_name, &s.cell)?;
        ws.write_number_with_format(row, 4, num(t.total_investment), &s.points)?;
        ws.write_string_with_format(row, 5, fit(&t.citation), &s.cell)?;
    }

    let ws = book.add_worksheet().set_name(SHEETS[2])?;
    let heads = ["名次", "单位", "红色预警", "黄色预警"].map(String::from);
    heading(ws, &s, c, &format!("预警统计（截至 {}）", c.warnings_on), &heads)?;
    for (r, w) in c.warnings.iter().enumerate() {
        let row = 3 + r as u32;
        let rank = c.ranking.results.iter().find(|u| u.unit.code == w.unit).map_or(0, |u| u.rank);
        ws.write_number_with_format(row, 0, rank, &s.cell)?;
        ws.write_string_with_format(row, 1, &w.unit_name, &s.cell)?;
        ws.write_number_with_format(row, 2, w.red, &s.cell)?;
        ws.write_number_with_format(row, 3, w.yellow, &s.cell)?;
    }

    let ws = book.add_worksheet().set_name(SHEETS[3])?;
    let heads = ["榜单", "名次", "单位", "总分"].map(String::from);
    heading(ws, &s, c, "红黑榜", &heads)?;
    let lists = c.red_list.iter().map(|u| ("红榜", u)).chain(c.black_list.iter().map(|u| ("黑榜", u)));
    for (r, (list, u)) in lists.enumerate() {
        let row = 3 + r as u32;
        ws.write_string_with_format(row, 0, list, &s.cell)?;
        ws.write_number_with_format(row, 1, u.rank, &s.cell)?;
        ws.write_string_with_format(row, 2, &u.unit.name, &s.cell)?;
        ws.write_number_with_format(row, 3, num(u.total), &s.points)?;
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;
    use chrono::NaiveDate;
    use domain::assessment::bulletin::{Top10Entry, WarningCount, red_black};
    use domain::assessment::{Assessment, Column, IndicatorPoints, Measure, MeasureKind, Method, UnitRef, UnitResult};
    use rust_decimal::Decimal;

    fn unit(rank: u32, code: &str, total: &str) -> UnitResult {
        let t: Decimal = total.parse().unwrap();
        UnitResult {
            rank,
            unit: UnitRef::new(code, format!("{code}区")),
            indicators: vec![IndicatorPoints { code: "funds".into(), value: t, target: None, exact: t, points: t }],
            base: t,
            bonus: Decimal::ZERO,
            penalty: Decimal::ZERO,
            total: t,
            funds_domestic: t,
            adjustments: vec![],
        }
    }

    pub(crate) fn content() -> BulletinContent {
        let d = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
        let ranking = Assessment {
            scheme: "2025年度招商引资工作考核".into(),
            from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            columns: vec![Column {
                code: "funds".into(),
                name: "实际到位省外资金".into(),
                group: "招商引资".into(),
                measure: Measure::Computed(MeasureKind::FundsDomestic),
                method: Method::RatioToTarget,
                weight: Decimal::from(60),
            }],
            results: (1..=7).map(|r| unit(r, &format!("u{r}"), &format!("{}.25", 70 - r))).collect(),
        };
        let (red_list, black_list) = red_black(&ranking, 3);
        BulletinContent {
            number: "郑商通〔2026〕1号".into(),
            title: "关于2025年度招商引资工作考核结果的通报".into(),
            date: d,
            issuer: "郑州市商务局".into(),
            scheme: ranking.scheme.clone(),
            from: ranking.from,
            to: ranking.to,
            run_id: 1,
            inputs_sha256: "i".into(),
            output_sha256: "o".into(),
            ranking,
            top10: vec![Top10Entry {
                position: 1,
                project_code: "ZZ-2025-0001".into(),
                project_name: "某新能源汽车项目".into(),
                unit: "u1".into(),
                unit_name: "u1区".into(),
                total_investment: "150000.50".parse().unwrap(),
                citation: "投资规模大".into(),
            }],
            leaders: vec![],
            warnings: vec![WarningCount { unit: "u1".into(), unit_name: "u1区".into(), red: 2, yellow: 5 }],
            warnings_on: d,
            red_list,
            black_list,
            copy_to: "市政府办公厅。".into(),
            printed_by: "郑州市商务局办公室".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use tests_support::content;

    #[test]
    fn the_workbook_reads_back_sheet_by_sheet() {
        let bytes = bulletin_xlsx(&content()).unwrap();
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), SHEETS.map(String::from).to_vec());
        let rank = book.worksheet_range("排名").unwrap();
        assert!(matches!(rank.get_value((0, 0)), Some(Data::String(s)) if s.starts_with("郑商通〔2026〕1号")));
        assert_eq!(rank.get_value((2, 2)), Some(&Data::String("实际到位省外资金（60分）".into())));
        assert_eq!(rank.get_value((2, 6)), Some(&Data::String("总分".into())));
        assert_eq!(rank.get_value((3, 1)), Some(&Data::String("u1区".into())));
        assert_eq!(rank.get_value((3, 2)), Some(&Data::Float(69.25)));
        assert_eq!(rank.get_value((9, 0)), Some(&Data::Float(7.0)));
        let top = book.worksheet_range("十大项目").unwrap();
        assert_eq!(top.get_value((3, 1)), Some(&Data::String("某新能源汽车项目".into())));
        assert_eq!(top.get_value((3, 4)), Some(&Data::Float(150000.5)));
        let warn = book.worksheet_range("预警统计").unwrap();
        assert_eq!(
            (warn.get_value((3, 2)), warn.get_value((3, 3))),
            (Some(&Data::Float(2.0)), Some(&Data::Float(5.0)))
        );
        let rb = book.worksheet_range("红黑榜").unwrap();
        let lists: Vec<(String, String)> = (3..9)
            .map(|r| (rb.get_value((r, 0)).unwrap().to_string(), rb.get_value((r, 2)).unwrap().to_string()))
            .collect();
        assert_eq!(lists[0], ("红榜".into(), "u1区".into()));
        assert_eq!(lists[3], ("黑榜".into(), "u7区".into()));
        assert_eq!(lists[5], ("黑榜".into(), "u5区".into()));
    }
}
