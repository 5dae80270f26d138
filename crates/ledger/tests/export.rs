//! The exported workbook, read back with the importer's own reader: the layout of the
//! template, exact amounts and dates as typed cells, and text that can never be a formula.

use chrono::NaiveDate;
use domain::Money;
use ledger::Field as F;
use ledger::export::{ExportRow, Heading, columns, list, write_xlsx};
use ledger::{Cell, Limits, read};

/// The ledger template's header (ledger.md), as Excel shows it: the export writes exactly
/// these, whatever the field table says.
const TEMPLATE: [&str; 24] = [
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

fn row(code: &str, name: &str, total: &str) -> ExportRow {
    let mut r = ExportRow::default();
    r.set(F::Code, code);
    r.set(F::Name, name);
    r.set(F::Unit, "金水区");
    r.set(F::Investors, list(&["比亚迪股份有限公司", "郑州宇通集团有限公司"]));
    r.set(F::InvestorType, "世界500强");
    r.set(F::Region, "长三角(沪苏浙皖)");
    r.set(F::Industry, "新能源汽车");
    r.set(F::Categories, list(&["梁柱型", "靶向"]));
    r.set(F::Channel, "陆上");
    r.set(F::TotalInvestment, Money::parse(total).unwrap());
    r.set(F::ForeignInvestment, Money::parse("1234.56").ok());
    r.set(F::Stage, "已签约");
    r.set(F::SignedOn, NaiveDate::from_ymd_opt(2025, 3, 1));
    r
}

#[test]
fn layout_amounts_dates_and_no_formulas() {
    let mut rows = vec![
        row("XM2025000001", "年产50万台新能源汽车电机项目", "350000.5"),
        row("XM2025000002", "智能终端产业园", "0.01"),
    ];
    for (i, evil) in
        ["=HYPERLINK(\"http://x\",\"点我\")", "+8613800000000", "-1+2", "@SUM(A1)", "\t=1", "\r=1"].iter().enumerate()
    {
        let mut r = row(&format!("XM20250001{i:02}"), evil, "1");
        r.set(F::Notes, *evil);
        rows.push(r);
    }
    let heading = Heading {
        title: "郑州市招商引资项目台账".into(),
        subtitle: "筛选：金水区；导出时间：2026-11-27 20:00".into(),
    };
    let bytes = write_xlsx(&rows, &heading).unwrap();
    let sheet = read(&bytes, "export.xlsx", &Limits::default()).unwrap();
    assert_eq!(sheet.name, "项目台账");
    assert_eq!(sheet.rows[0].0, 1);
    assert_eq!(sheet.rows[0].1[0], Cell::Text(heading.title.clone()));
    assert_eq!(sheet.rows[1].1[0], Cell::Text(heading.subtitle.clone()));
    let header: Vec<String> = sheet.rows[2].1.iter().map(Cell::text).collect();
    assert_eq!(header, TEMPLATE.to_vec());
    let first = &sheet.rows[3].1;
    assert_eq!(first[1], Cell::Text("XM2025000001".into()));
    assert_eq!(first[4], Cell::Text("比亚迪股份有限公司、郑州宇通集团有限公司".into()));
    assert_eq!(first[8], Cell::Text("梁柱型、靶向".into()));
    assert_eq!(first[10], Cell::Number(350000.5));
    assert_eq!(first[11], Cell::Number(1234.56));
    assert!(first[12].is_blank());
    // 2025-03-01 is Excel serial 45717 (days since 1899-12-30)
    assert_eq!(first[14], Cell::Date(45717.0));
    // hostile text comes back as the very same text, never evaluated
    for (i, evil) in
        ["=HYPERLINK(\"http://x\",\"点我\")", "+8613800000000", "-1+2", "@SUM(A1)", "\t=1", "\r=1"].iter().enumerate()
    {
        let cells = &sheet.rows[5 + i].1;
        assert_eq!(cells[2], Cell::Text(evil.to_string()), "name {i}");
        assert_eq!(cells[23], Cell::Text(evil.to_string()), "notes {i}");
    }
    let raw = String::from_utf8_lossy(&bytes).to_string();
    assert!(!raw.contains("<f>"), "no formula element in a plain zip entry");
    // the totals row
    let last = &sheet.rows.last().unwrap().1;
    assert_eq!(last[0], Cell::Text("合计".into()));
    assert_eq!(last[2], Cell::Text("8 个项目".into()));
    assert_eq!(last[10], Cell::Number(350006.51));
}

#[test]
fn no_formula_in_the_sheet_xml() {
    // The sheet XML is compressed in the zip: inflate it and look for <f> elements.
    let rows = vec![row("XM1", "=1+1", "1")];
    let bytes = write_xlsx(&rows, &Heading { title: "t".into(), subtitle: "s".into() }).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut xml).unwrap();
    assert!(!xml.contains("<f>"), "{xml}");
}

#[test]
fn export_columns_are_the_importers_labels_in_template_order() {
    let labels: Vec<&str> = ledger::Field::ALL.iter().map(|f| f.label()).collect();
    assert_eq!(labels, TEMPLATE.to_vec());
    assert_eq!(columns(), TEMPLATE.to_vec());
}

#[test]
fn a_text_over_excels_limit_is_cut_and_marked_never_an_error() {
    use ledger::export::{CUT_MARK, MAX_CELL_CHARS};
    let mut r = row("XM2025000001", "长备注项目", "1");
    r.set(F::Notes, "备".repeat(100_000));
    r.set(F::Progress, "𠀀".repeat(20_000)); // outside the BMP: two UTF-16 units each
    r.set(F::LeadLeader, "张".repeat(MAX_CELL_CHARS)); // exactly at the limit: whole
    let heading = Heading { title: "长".repeat(40_000), subtitle: "筛选条件：全部".into() };
    let bytes = write_xlsx(&[r], &heading).expect("a long cell never fails the export");
    let sheet = read(&bytes, "long.xlsx", &Limits::default()).unwrap();
    let (_, cells) = sheet.rows.iter().find(|(n, _)| *n == 4).expect("the data row");
    let text = |c: usize| cells[c].text();
    for c in [21, 23] {
        let t = text(c);
        assert!(t.ends_with(CUT_MARK), "column {c} marked");
        assert!(t.encode_utf16().count() <= MAX_CELL_CHARS, "column {c} fits");
        assert!(t.encode_utf16().count() > MAX_CELL_CHARS - 10, "column {c} keeps what fits");
    }
    assert!(text(23).starts_with("备备备"));
    assert!(text(20) == "张".repeat(MAX_CELL_CHARS), "a text that fits is kept whole");
    assert!(sheet.rows[0].1[0].text().ends_with(CUT_MARK), "the title too");
}
