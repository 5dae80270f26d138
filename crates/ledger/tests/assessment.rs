//! The assessment workbook read back with calamine: the ranking sheet's grouped headers and
//! one row a unit (rank, unit, each indicator's value and points, 加分, 扣分, 总分), and the
//! scoring basis sheet listing the scheme.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use domain::assessment::{Adjustment, AdjustmentKind, Measure, MeasureKind, Scheme, UnitRef, assess};
use ledger::assessment::{BASIS_SHEET, RANKING_SHEET, assessment_xlsx};
use rust_decimal::Decimal;

/// assessment.md's worked example over 中原 (U1), 二七 (U2) and 金水 (U3).
fn scheme_text() -> String {
    domain::assessment::defaults::worked_example(["zhongyuan", "erqi", "jinshui"], true)
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn text(r: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match r.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("({row}, {col}): not a text: {other:?}"),
    }
}

fn number(r: &calamine::Range<Data>, row: u32, col: u32) -> f64 {
    match r.get_value((row, col)) {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("({row}, {col}): not a number: {other:?}"),
    }
}

#[test]
fn the_worked_example_as_a_workbook() {
    let scheme = Scheme::parse(&scheme_text()).unwrap();
    let units = [("zhongyuan", "中原区"), ("erqi", "二七区"), ("jinshui", "金水区")].map(|(c, n)| UnitRef::new(c, n));
    let k = |m: MeasureKind| Measure::Computed(m);
    let mut values = BTreeMap::new();
    for (unit, funds, signed, start, visits) in
        [("zhongyuan", "90000", "4", "0.6", "3"), ("erqi", "70000", "2", "1", "5"), ("jinshui", "80000", "1", "0", "0")]
    {
        let m: BTreeMap<Measure, Decimal> = [
            (k(MeasureKind::FundsDomestic), dec(funds)),
            (k(MeasureKind::NewSignedMajor), dec(signed)),
            (k(MeasureKind::StartRate), dec(start)),
            (k(MeasureKind::LeaderVisits500), dec(visits)),
        ]
        .into();
        values.insert(unit.to_string(), m);
    }
    let bonus =
        Adjustment {
            unit: "jinshui".into(), kind: AdjustmentKind::Bonus, points: dec("2"), reason: "十大项目".into()
        };
    let a = assess(&scheme, &units, &values, &[bonus]).unwrap();
    let bytes = assessment_xlsx(&a, &scheme).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), [RANKING_SHEET, BASIS_SHEET]);

    let r = wb.worksheet_range(RANKING_SHEET).unwrap();
    assert!(text(&r, 0, 0).starts_with("2025年度县(市、区)、开发区招商引资工作考核"));
    // the grouped headers: group (merged over its indicators), indicator, 指标值 / 得分
    assert_eq!((text(&r, 1, 0), text(&r, 1, 1)), ("名次".into(), "单位".into()));
    assert_eq!(text(&r, 1, 2), "招商引资指标完成情况");
    assert_eq!(text(&r, 1, 4), "重大项目进展");
    assert_eq!(text(&r, 1, 8), "主要领导推动");
    assert_eq!(text(&r, 2, 2), "实际到位省外资金（40分）");
    assert_eq!(text(&r, 2, 6), "签约项目开工率（20分）");
    assert_eq!((text(&r, 3, 2), text(&r, 3, 3)), ("指标值".into(), "得分".into()));
    assert_eq!([text(&r, 1, 10), text(&r, 1, 11), text(&r, 1, 12)], ["加分", "扣分", "总分"]);
    let merged = wb.merge_cells_by_sheet_name(RANKING_SHEET).unwrap();
    assert!(merged.iter().any(|m| m.start == (1, 4) && m.end == (1, 7)), "{merged:?}");

    // one row a unit, by rank: 二七区 98, 中原区 83, 金水区 45 + 2
    let rows: Vec<(f64, String, f64)> =
        (4..7).map(|row| (number(&r, row, 0), text(&r, row, 1), number(&r, row, 12))).collect();
    assert_eq!(
        rows,
        [(1.0, "二七区".to_string(), 98.0), (2.0, "中原区".to_string(), 83.0), (3.0, "金水区".to_string(), 47.0)]
    );
    // 中原区: funds 90000 → 36.00, start rate 0.6 → 12.00, visits 3 → 15.00
    assert_eq!((number(&r, 5, 2), number(&r, 5, 3)), (90000.0, 36.0));
    assert_eq!((number(&r, 5, 6), number(&r, 5, 7)), (0.6, 12.0));
    assert_eq!((number(&r, 5, 8), number(&r, 5, 9)), (3.0, 15.0));
    assert_eq!((number(&r, 6, 10), number(&r, 6, 11)), (2.0, 0.0), "金水区's bonus");
    assert_eq!(r.get_value((7, 0)), None, "no row after the last unit");

    // the scoring basis: a row an indicator, then the targets by unit
    let b = wb.worksheet_range(BASIS_SHEET).unwrap();
    assert_eq!(text(&b, 2, 1), "指标代码");
    let codes: Vec<String> = (3..7).map(|row| text(&b, row, 1)).collect();
    assert_eq!(codes, ["funds", "signed", "start", "visits"]);
    assert_eq!(text(&b, 3, 3), MeasureKind::FundsDomestic.label());
    assert_eq!((number(&b, 3, 5), number(&b, 3, 6)), (40.0, 1.2));
    assert_eq!((number(&b, 6, 5), number(&b, 6, 7)), (20.0, 5.0));
    assert_eq!(text(&b, 8, 2), "实际到位省外资金 目标");
    let targets: Vec<(String, f64)> = (9..12).map(|row| (text(&b, row, 1), number(&b, row, 2))).collect();
    assert_eq!(
        targets,
        [("erqi".to_string(), 50000.0), ("zhongyuan".to_string(), 100000.0), ("jinshui".to_string(), 80000.0)]
    );
}
