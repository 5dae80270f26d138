//! Every fixture that is not refused, parsed as a 金水区 unit user would import it
//! (allowed units: jinshui — 金水区 has no units below it in the reference tree): exactly the
//! rows, values, errors and unknown columns expected.json states (crates/ledger/tests/fixtures,
//! written by gen.py; README.md there explains each file).

mod common;

use common::expected;
use ledger::{Cell, LedgerRow, Limits, Parsed, Sheet, parse, read};
use serde_json::{Value, json};

fn open(file: &str) -> Sheet {
    common::open(file).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn parse_as_jinshui(file: &str) -> Parsed {
    let allowed = vec!["jinshui".to_string()];
    parse(&open(file), Some(&allowed)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// A parsed row in expected.json's terms: codes, amounts with two decimals, ISO dates.
fn as_json(r: &LedgerRow) -> Value {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
    json!({
        "row": r.row,
        "code": r.code,
        "name": r.name,
        "unit": r.unit,
        "investors": r.investors,
        "investor_type": r.investor_type,
        "industry": r.industry,
        "region": r.region,
        "channel": r.channel,
        "categories": r.categories.iter().map(|c| c.code()).collect::<Vec<_>>(),
        "total_investment": r.total_investment.to_string(),
        "foreign_investment": r.foreign_investment.map(|m| m.to_string()),
        "land_mu": r.land_mu.map(|m| m.to_string()),
        "stage": r.stage.code(),
        "signed_on": date(r.dates.signed_on),
        "approved_on": date(r.dates.approved_on),
        "started_on": date(r.dates.started_on),
        "producing_on": date(r.dates.producing_on),
        "at_capacity_on": date(r.dates.at_capacity_on),
        "expected_producing_on": date(r.expected_producing_on),
        "lead_leader": r.lead_leader,
    })
}

#[test]
fn every_fixture_parses_to_exactly_what_expected_json_states() {
    let mut checked = 0;
    for f in expected() {
        let file = f["file"].as_str().unwrap();
        if f.get("refused").is_some() {
            continue;
        }
        let p = parse_as_jinshui(file);

        // rows read, and rows that are (or, with errors elsewhere, would be) created
        assert_eq!(p.data_rows as u64, f["rows"].as_u64().unwrap(), "{file}: rows read");
        let creates = f.get("would_create").unwrap_or(&f["created"]).as_u64().unwrap();
        assert_eq!(p.rows.len() as u64, creates, "{file}: rows without errors");
        assert_eq!(f["updated"].as_u64(), Some(0), "{file}: the fixtures import into an empty database");

        // every value listed, key by key; the rows listed are exactly the good rows
        let values = f["values"].as_array().unwrap();
        assert_eq!(values.len(), p.rows.len(), "{file}: values listed");
        for (want, got) in values.iter().zip(&p.rows) {
            let row = want["row"].as_u64().unwrap();
            assert_eq!(u64::from(got.row), row, "{file}: row order");
            let got = as_json(got);
            for (key, want_value) in want.as_object().unwrap() {
                if key == "form" {
                    continue; // a description of the cells, not a parsed value
                }
                let got_value = got.get(key).unwrap_or_else(|| panic!("{file} row {row}: unknown key {key}"));
                assert_eq!(got_value, want_value, "{file} row {row}: {key}");
            }
        }

        // exactly these errors, in this order
        let errors = f["errors"].as_array().unwrap();
        let got: Vec<String> = p.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(p.errors.len(), errors.len(), "{file}: errors {got:#?}");
        for (want, got) in errors.iter().zip(&p.errors) {
            assert_eq!(u64::from(got.row), want["row"].as_u64().unwrap(), "{file}: {got}");
            assert_eq!(got.column, want["column"].as_str().unwrap(), "{file}: {got}");
            assert_eq!(got.value, want["value"].as_str().unwrap(), "{file}: {got}");
            let fragment = want["reason_contains"].as_str().unwrap();
            assert!(got.reason.contains(fragment), "{file}: {got} should say {fragment}");
        }

        let unknown: Vec<&str> = f["unknown_columns"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(p.unknown_columns, unknown, "{file}: unknown columns");
        checked += 1;
    }
    assert_eq!(checked, 9, "fixtures 01–08 and 14 are parsed");
}

#[test]
fn headers_banners_totals_and_blank_rows_where_the_readme_puts_them() {
    for (file, header_row, skipped) in [
        ("01_template.xlsx", 1, vec![]),
        ("02_banner.xlsx", 4, vec![14]),
        ("03_dates.xlsx", 2, vec![]),
        ("04_amounts.xlsx", 1, vec![]),
        ("05_wps.xlsx", 3, vec![9]),
        ("06_gbk.csv", 1, vec![]),
        ("07_utf8.csv", 1, vec![]),
        ("08_errors.xlsx", 2, vec![]),
    ] {
        let p = parse_as_jinshui(file);
        assert_eq!(p.header_row, header_row, "{file}: header row");
        assert_eq!(p.skipped, skipped, "{file}: skipped rows");
    }
    // 02 names the columns its own way: the labels as written are what errors would name
    let p = parse_as_jinshui("02_banner.xlsx");
    let labels: Vec<&str> = p.columns.iter().map(|c| c.label.as_str()).collect();
    for l in ["名称", "承办单位", "总投资（万元）", "利用外资（万美元）", "用地（亩）"] {
        assert!(labels.contains(&l), "{l} in {labels:?}");
    }
    assert!(!p.has(ledger::Field::Code));
}

#[test]
fn the_same_ledger_as_gbk_and_utf8_csv_parses_the_same() {
    assert_eq!(parse_as_jinshui("06_gbk.csv"), parse_as_jinshui("07_utf8.csv"));
}

#[test]
fn a_city_wide_user_gets_the_other_district_row_but_no_other_error_goes_away() {
    let p = parse(&open("08_errors.xlsx"), None).unwrap();
    assert_eq!(p.rows.len(), 4, "row 12 (二七区) is fine for a city-wide user");
    let erqi = p.rows.iter().find(|r| r.row == 12).unwrap();
    assert_eq!(erqi.unit, "erqi");
    assert_eq!(erqi.industry.as_deref(), Some("commerce.street"));
    assert_eq!(p.errors.len(), 7);
}

#[test]
fn notes_keep_their_line_breaks_and_text_fields_their_words() {
    let p = parse_as_jinshui("01_template.xlsx");
    let r = &p.rows[0];
    assert_eq!(r.investor_type.as_deref(), Some("世界500强"));
    assert!(r.progress.as_deref().is_some_and(|t| t.starts_with("1#、2#主体厂房")), "{:?}", r.progress);
    assert!(r.problem.as_deref().is_some_and(|t| t.contains("110千伏")), "{:?}", r.problem);
    assert_eq!(r.code, None);
}

#[test]
fn a_sheet_that_is_not_a_ledger_is_a_file_error() {
    let sheet = Sheet { name: String::new(), rows: vec![(1, vec![Cell::Text("填报说明：".into())])] };
    let e = parse(&sheet, None).unwrap_err();
    assert!(e.to_string().contains("找不到表头"), "{e}");
}

mod arbitrary_sheets {
    use ledger::{Cell, Field, Sheet, parse_on};
    use proptest::prelude::*;

    fn any_cell() -> impl Strategy<Value = Cell> {
        prop_oneof![
            Just(Cell::Empty),
            any::<f64>().prop_map(Cell::Number),
            (-10.0f64..3_000_000.0).prop_map(Cell::Date),
            any::<bool>().prop_map(Cell::Bool),
            "\\PC{0,12}".prop_map(Cell::Text),
            prop::sample::select(vec![
                "金水区",
                "jinshui",
                "二七区",
                "合计",
                "小计",
                "已签约",
                "已开工",
                "暂缓",
                "终止",
                "2025-03-01",
                "2025年3月",
                "3.5亿",
                "1,234.5",
                "３５０００",
                "空中",
                "梁柱型、靶向",
                "电子信息",
                "长三角",
                "/",
                "一、在建项目",
                "填报人：王丽",
                "项目名称",
                "责任单位",
            ])
            .prop_map(|s| Cell::Text(s.to_string())),
        ]
    }

    proptest! {
        /// Whatever the cells, parsing returns a result (never panics), every error names a
        /// row below the header, and a row is either taken or reported, never both.
        #[test]
        fn parse_never_panics_and_accounts_for_every_row(
            order in Just(Field::ALL.to_vec()).prop_shuffle(),
            take in 4usize..=24,
            rows in prop::collection::vec(prop::collection::vec(any_cell(), 0..26), 0..30),
        ) {
            let mut fields: Vec<Field> = order.into_iter().take(take).collect();
            for f in Field::REQUIRED {
                if !fields.contains(&f) { fields.push(f); }
            }
            let head = fields.iter().map(|f| Cell::Text(f.label().to_string())).collect();
            let mut sheet = Sheet { name: String::new(), rows: vec![(1, head)] };
            sheet.rows.extend(rows.into_iter().enumerate().map(|(i, r)| (i as u32 + 2, r)));
            let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
            let p = parse_on(&sheet, Some(&["jinshui".to_string()]), today).unwrap();
            prop_assert!(p.errors.iter().all(|e| e.row > 1 && !e.reason.is_empty()));
            for r in &p.rows {
                prop_assert!(!p.errors.iter().any(|e| e.row == r.row));
                prop_assert_eq!(r.unit.as_str(), "jinshui");
            }
            let with_errors = {
                let mut v: Vec<u32> = p.errors.iter().map(|e| e.row).collect();
                v.dedup();
                v.len()
            };
            prop_assert_eq!(p.rows.len() + with_errors, p.data_rows);
        }
    }
}

/// A CSV ledger of `n` rows, each with one bad cell (总投资 `很多…`, the first one `long`
/// characters long).
pub fn bad_csv(n: usize, long: usize) -> Vec<u8> {
    let mut s = String::from("项目名称,责任单位,总投资(万元),项目阶段\n");
    for i in 0..n {
        let bad = if i == 0 { "很".repeat(long) } else { "很多".to_string() };
        s.push_str(&format!("坏项目{i},金水区,{bad},在谈\n"));
    }
    s.into_bytes()
}

#[test]
fn a_report_keeps_the_first_thousand_errors_and_counts_them_all() {
    let sheet = read(&bad_csv(5_000, 100_000), "bad.csv", &Limits::default()).unwrap();
    let p = parse(&sheet, None).unwrap();
    assert_eq!((p.errors.len(), p.error_count, p.data_rows), (ledger::row::MAX_ERRORS, 5_000, 5_000));
    assert_eq!(p.errors.first().map(|e| e.row), Some(2));
    assert_eq!(p.errors.last().map(|e| e.row), Some(1_001), "the first errors by row");
    // a huge cell is quoted, not copied
    let quoted = &p.errors[0].value;
    assert_eq!(quoted.chars().count(), ledger::row::MAX_QUOTED_CHARS + 1, "{}", &quoted[..30]);
    assert!(quoted.ends_with('…'));
}
