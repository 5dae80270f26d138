//! The engine end to end: the worked example of assessment.md, the scheme's messages, the
//! tie-breaks, and the properties (monotone totals, ranks a permutation, determinism).

use std::collections::BTreeMap;
use std::str::FromStr;

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;
use crate::agreement::Ratio;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// assessment.md's worked example over U1, U2, U3.
fn example() -> String {
    super::defaults::worked_example(["U1", "U2", "U3"], false)
}

fn units3() -> Vec<UnitRef> {
    vec![UnitRef::new("U1", "甲区"), UnitRef::new("U2", "乙区"), UnitRef::new("U3", "丙区")]
}

fn m(k: MeasureKind) -> Measure {
    Measure::Computed(k)
}

/// The worked example's measures: funds, new signed major, start rate (met of signed), visits.
fn example_measures() -> Measures {
    let rows =
        [("U1", 90000, 4, Ratio::new(3, 5), 3), ("U2", 70000, 2, Ratio::new(2, 2), 5), ("U3", 80000, 1, None, 0)];
    rows.into_iter()
        .map(|(u, funds, signed, start, visits)| {
            let mut v = BTreeMap::new();
            v.insert(m(MeasureKind::FundsDomestic), Decimal::from(funds));
            v.insert(m(MeasureKind::NewSignedMajor), Decimal::from(signed));
            v.insert(m(MeasureKind::StartRate), rate_value(MeasureKind::StartRate, start).unwrap());
            v.insert(m(MeasureKind::LeaderVisits500), Decimal::from(visits));
            (u.to_string(), v)
        })
        .collect()
}

#[test]
fn the_worked_example_of_assessment_md() {
    let scheme = Scheme::parse(&example()).unwrap();
    let a = assess(&scheme, &units3(), &example_measures(), &[]).unwrap();
    let table: Vec<(String, Vec<String>, String, u32)> = a
        .results
        .iter()
        .map(|r| {
            let cells = r.indicators.iter().map(|c| c.points.to_string()).collect();
            (r.unit.code.clone(), cells, r.total.to_string(), r.rank)
        })
        .collect();
    let row = |u: &str, cells: [&str; 4], total: &str, rank| {
        (u.to_string(), cells.map(str::to_string).to_vec(), total.to_string(), rank)
    };
    assert_eq!(
        table,
        vec![
            row("U2", ["48.00", "10.00", "20.00", "20.00"], "98.00", 1),
            row("U1", ["36.00", "20.00", "12.00", "15.00"], "83.00", 2),
            row("U3", ["40.00", "5.00", "0.00", "0.00"], "45.00", 3),
        ]
    );
    let cols: Vec<&str> = a.columns.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(cols, ["funds", "signed", "start", "visits"]);
    let u1 = &a.results[1];
    assert_eq!(u1.indicators[0].target, Some(d("100000")));
    assert_eq!(u1.indicators[2].value, d("0.6"));
    assert_eq!(u1.indicators[1].target, None, "only ratio_to_target has a target");
    assert_eq!((u1.base, u1.bonus, u1.penalty), (d("83.00"), d("0.00"), d("0.00")));
}

#[test]
fn the_output_serializes_decimals_as_text() {
    let scheme = Scheme::parse(&example()).unwrap();
    let a = assess(&scheme, &units3(), &example_measures(), &[]).unwrap();
    let json = serde_json::to_string(&a).unwrap();
    let first = &json[json.find("\"results\"").unwrap()..];
    assert!(first.starts_with(r#""results":[{"rank":1,"unit":{"code":"U2","name":"乙区"},"indicators":[{"code":"funds","value":"70000","target":"50000","exact":"48","points":"48.00"}"#), "{first}");
    assert!(
        json.contains(r#""base":"98.00","bonus":"0.00","penalty":"0.00","total":"98.00","funds_domestic":"70000""#),
        "{json}"
    );
    assert!(json.contains(r#""measure":"start_rate","method":"rate","weight":"20""#), "{json}");
}

#[test]
fn bonus_and_penalty_entries_are_added() {
    let scheme = Scheme::parse(&example()).unwrap();
    let adjustments = [
        top_ten_bonus("U3", 2, TOP_TEN_BONUS_EACH).unwrap(),
        Adjustment { unit: "U2".into(), kind: AdjustmentKind::Penalty, points: d("-5"), reason: "数据不实".into() },
        Adjustment { unit: "U3".into(), kind: AdjustmentKind::Bonus, points: d("0.5"), reason: "经验推广".into() },
    ];
    let a = assess(&scheme, &units3(), &example_measures(), &adjustments).unwrap();
    let by: BTreeMap<&str, &UnitResult> = a.results.iter().map(|r| (r.unit.code.as_str(), r)).collect();
    assert_eq!((by["U3"].bonus.to_string(), by["U3"].total.to_string()), ("4.50".into(), "49.50".into()));
    assert_eq!((by["U2"].penalty.to_string(), by["U2"].total.to_string()), ("-5.00".into(), "93.00".into()));
    assert_eq!(by["U3"].adjustments.len(), 2);
    assert_eq!(top_ten_bonus("U1", 0, TOP_TEN_BONUS_EACH), None);
}

#[test]
fn adjustments_are_checked() {
    let scheme = Scheme::parse(&example()).unwrap();
    let bad = [
        Adjustment { unit: "U9".into(), kind: AdjustmentKind::Bonus, points: d("2"), reason: "十大项目".into() },
        Adjustment { unit: "U1".into(), kind: AdjustmentKind::Penalty, points: d("5"), reason: "数据不实".into() },
        Adjustment { unit: "U1".into(), kind: AdjustmentKind::Bonus, points: d("0.125"), reason: " ".into() },
    ];
    let e = assess(&scheme, &units3(), &example_measures(), &bad).unwrap_err();
    assert_eq!(
        e.messages(),
        [
            "单位 U9的加分（2）：该单位不在本次考核的单位中",
            "单位 U1（甲区）的扣分（5）：扣分应小于 0（如 -5）",
            "单位 U1（甲区）的加分（0.125）：最多保留两位小数",
            "单位 U1（甲区）的加分（0.125）：须填写理由",
        ]
    );
}

#[test]
fn measures_are_checked() {
    let scheme = Scheme::parse(&example()).unwrap();
    let mut ms = example_measures();
    ms.get_mut("U1").unwrap().remove(&m(MeasureKind::NewSignedMajor));
    ms.get_mut("U2").unwrap().insert(m(MeasureKind::StartRate), d("1.5"));
    ms.get_mut("U3").unwrap().insert(m(MeasureKind::LeaderVisits500), d("-1"));
    ms.get_mut("U3").unwrap().remove(&Measure::FUNDS_DOMESTIC);
    let e = assess(&scheme, &units3(), &ms, &[]).unwrap_err();
    assert_eq!(
        e.messages(),
        [
            "缺少单位 U1（甲区）的度量 new_signed_major 的值（指标 signed（新签约亿元以上项目））",
            "指标 start（签约项目开工率）：采用比率法，单位 U2（乙区）的度量 start_rate 的值 1.5 应在 0 到 1 之间",
            "缺少单位 U3（丙区）的度量 funds_domestic 的值（指标 funds（实际到位省外资金））",
            "指标 visits（党政正职带队拜访500强及行业领军企业）：单位 U3（丙区）的度量 leader_visits_500 的值 -1 不能为负数",
            "缺少单位 U3（丙区）的度量 funds_domestic 的值（排名并列时比较）",
        ]
    );
}

#[test]
fn rates_have_their_documented_defaults() {
    assert_eq!(rate_value(MeasureKind::StartRate, None), Some(Decimal::ZERO));
    assert_eq!(rate_value(MeasureKind::FulfilmentRate, None), Some(Decimal::ONE));
    assert_eq!(rate_value(MeasureKind::ProblemResolutionRate, None), Some(Decimal::ONE));
    assert_eq!(rate_value(MeasureKind::FulfilmentRate, Ratio::new(1, 4)), Some(d("0.25")));
    assert_eq!(rate_value(MeasureKind::FundsDomestic, None), None);
    assert!(Measure::parse("start_rate").unwrap().is_rate());
    assert_eq!(Measure::parse("manual:satisfaction"), Some(Measure::Manual("satisfaction".into())));
    assert_eq!(Measure::parse("manual:satisfaction").unwrap().to_string(), "manual:satisfaction");
    for bad in ["manual:", "manual:Bad", "fund", "manual:a b"] {
        assert_eq!(Measure::parse(bad), None, "{bad}");
    }
}

// ---- the scheme's messages ----

fn messages(text: &str) -> Vec<String> {
    Scheme::parse(text).unwrap_err().messages()
}

#[test]
fn a_syntax_error_names_its_line() {
    let text = "name = \"考核\"\nfrom = 2025-01-01\nto = 2025-12-31\n[[indicator]]\ncode = \"funds\nweight = 40\n";
    let e = Scheme::parse(text).unwrap_err();
    assert_eq!(e.0.len(), 1);
    assert_eq!(e.0[0].line, Some(5));
    assert!(e.to_string().starts_with("第 5 行：TOML 语法错误（第 14 列）："), "{e}");
    assert!(!e.to_string().contains('\n'), "one line: {e}");
}

#[test]
fn weights_caps_and_adjustments_are_bounded() {
    let text = example().replace("weight = 40", "weight = 100000").replace("cap = 1.2", "cap = 11");
    assert_eq!(
        messages(&text),
        [
            "第 12 行：指标 funds（实际到位省外资金）：权重（weight）不能超过 1000，而不是 100000",
            "第 13 行：指标 funds（实际到位省外资金）：封顶系数（cap）不能超过 10，而不是 11",
        ]
    );
    let scheme = Scheme::parse(&example()).unwrap();
    let huge =
        Adjustment { unit: "U1".into(), kind: AdjustmentKind::Bonus, points: Decimal::MAX, reason: "溢出".into() };
    let e = assess(&scheme, &units3(), &example_measures(), &[huge.clone(), huge]).unwrap_err();
    assert!(e.messages()[0].ends_with("：单条加分或扣分不能超过 1000 分"), "{e}");
}

#[test]
fn every_problem_of_a_scheme_is_reported_at_once() {
    let text = r#"name = "考核"
from = 2025-12-31
to = 2025-01-01

[[indicator]]
code = "funds"
name = "实际到位省外资金"
group = "指标"
measure = "fund_domestic"
method = "ratio_to_target"
weight = 0
cap = 0

[[indicator]]
code = "visits"
name = "拜访"
group = "推动"
measure = "leader_visits_500"
method = "count_points"
weight = 20

[[indicator]]
code = "visits"
name = "洽谈"
group = "推动"
measure = "leader_talks"
method = "ranking"
weight = 10

[[indicator]]
code = "rate"
name = "开工率"
group = "进展"
measure = "start_rate"
method = "rate"
weight = 10
cap = 1.2
"#;
    assert_eq!(
        messages(text),
        [
            "第 2 行：考核期间：开始日期 2025-12-31 晚于结束日期 2025-01-01",
            "第 9 行：指标 funds（实际到位省外资金）：未知的度量“fund_domestic”，可用：funds_domestic、funds_foreign、new_signed_major、new_started_major、new_producing_major、foreign_signed、start_rate、fulfilment_rate、leader_visits_500、leader_talks、problem_resolution_rate、manual:<代码>",
            "第 11 行：指标 funds（实际到位省外资金）：权重（weight）应大于 0，而不是 0",
            "第 12 行：指标 funds（实际到位省外资金）：封顶系数（cap）应大于 0，而不是 0",
            "第 14 行：指标 visits（拜访）：计次计分法须填写每次分值（points_each），且大于 0",
            "第 27 行：指标 visits（洽谈）：未知的计分方法“ranking”，可用：ratio_to_target、relative_to_best、rate、count_points、efficacy",
            "第 37 行：指标 rate（开工率）：cap 只用于 ratio_to_target 方法，本指标采用 rate",
        ]
    );
    let e = Scheme::parse(text).unwrap_err();
    let codes: Vec<Option<&str>> = e.0.iter().map(|p| p.indicator.as_deref()).collect();
    assert_eq!(
        codes,
        [None, Some("funds"), Some("funds"), Some("funds"), Some("visits"), Some("visits"), Some("rate")]
    );
}

#[test]
fn missing_and_mistyped_settings_are_named() {
    let text = "from = \"2025年1月1日\"\nunits = []\nindicator = 3\ntop10_bonus = \"两分\"\n";
    assert_eq!(
        messages(text),
        [
            "第 1 行：开始日期（from）应为日期，如 2025-01-01",
            "第 2 行：考核单位（units）不能为空列表（不写则考核全部单位）",
            "第 3 行：指标应写成 [[indicator]] 表",
            "第 4 行：十大项目加分（top10_bonus）应为数字，而不是文字",
            "缺少方案名称（name）",
            "缺少结束日期（to）",
        ]
    );
}

#[test]
fn a_duplicate_code_and_stray_keys_are_refused() {
    let text = r#"name = "考核"
from = 2025-01-01
to = 2025-12-31
periode = "2025"

[[indicator]]
code = "a"
name = "甲"
group = "组"
measure = "leader_talks"
method = "count_points"
points_each = -1
weight = 10

[[indicator]]
code = "a"
name = "乙"
group = "组"
measure = "manual:score"
method = "efficacy"
wieght = 10
"#;
    assert_eq!(
        messages(text),
        [
            "第 4 行：未知的设置项“periode”",
            "第 12 行：指标 a（甲）：每次分值（points_each）应大于 0，而不是 -1",
            "第 15 行：指标 a（乙）：缺少权重（weight）",
            "第 21 行：指标 a（乙）：未知的设置项“wieght”",
        ]
    );
    let dup = text.replace("points_each = -1", "points_each = 1").replace("wieght", "weight");
    assert_eq!(
        messages(&dup),
        ["第 4 行：未知的设置项“periode”", "第 15 行：指标 a（乙）：指标代码“a”与第 1 个指标重复"]
    );
}

#[test]
fn targets_belong_to_ratio_indicators_and_each_assessed_unit_needs_one() {
    let text = example().replace("U2 = 50000\n", "U2 = 0\n");
    assert_eq!(messages(&text), ["第 42 行：指标 funds（实际到位省外资金）：单位 U2 的目标值应大于 0，而不是 0"]);

    let text = example().replace("U2 = 50000\n", "U9 = 50000\n");
    let scheme = Scheme::parse(&text).unwrap();
    let e = scheme.assessed_units(&units3()).unwrap_err();
    assert_eq!(
        e.messages(),
        [
            "第 6 行：指标 funds（实际到位省外资金）：目标表 [targets.funds] 中的“U9”不在可考核的单位中",
            "第 6 行：指标 funds（实际到位省外资金）：采用目标完成比例法，缺少单位 U2（乙区）大于 0 的目标值（在 [targets.funds] 中填写 U2 = 目标）",
        ]
    );
    assert_eq!(e.0[1].indicator.as_deref(), Some("funds"));
    assert_eq!(e.0[1].unit.as_deref(), Some("U2"));

    let text = format!("{}\n[targets.visits]\nU1 = 3\n[targets.nothing]\nU1 = 1\n", example());
    assert_eq!(
        messages(&text),
        [
            "第 45 行：指标 visits（党政正职带队拜访500强及行业领军企业）：采用 count_points 方法，不需要目标表 [targets.visits]（只有 ratio_to_target 需要）",
            "第 47 行：目标表 [targets.nothing] 没有对应的指标（指标代码“nothing”不存在）",
        ]
    );
}

#[test]
fn a_units_list_restricts_the_run_and_must_name_units_passed() {
    let text = example().replace("to = 2025-12-31\n", "to = 2025-12-31\nunits = [\"U1\", \"U3\"]\n");
    let scheme = Scheme::parse(&text).unwrap();
    let a = assess(&scheme, &units3(), &example_measures(), &[]).unwrap();
    let ranked: Vec<(&str, u32)> = a.results.iter().map(|r| (r.unit.code.as_str(), r.rank)).collect();
    assert_eq!(ranked, [("U1", 1), ("U3", 2)]);
    assert_eq!(a.results[0].indicators[1].points.to_string(), "20.00", "the best of the two assessed");

    let text = example().replace("to = 2025-12-31\n", "to = 2025-12-31\nunits = [\"U1\", \"U7\"]\n");
    let e = Scheme::parse(&text).unwrap().assessed_units(&units3()).unwrap_err();
    assert_eq!(e.messages(), ["方案的考核单位（units）列出的“U7”不在可考核的单位中"]);
}

#[test]
fn numbers_are_read_exactly_from_their_text() {
    let text = example().replace("cap = 1.2", "cap = 1.000000000000000000001").replace("U1 = 100000", "U1 = 1e5");
    let s = Scheme::parse(&text).unwrap();
    assert_eq!(s.indicators[0].cap, Some(d("1.000000000000000000001")));
    assert_eq!(s.target("funds", "U1"), Some(d("100000")));
    let text = example().replace("cap = 1.2", "cap = 1.2\npoints_each = 2");
    assert_eq!(
        messages(&text),
        ["第 14 行：指标 funds（实际到位省外资金）：points_each 只用于 count_points 方法，本指标采用 ratio_to_target"]
    );
}

// ---- ties ----

fn one_indicator_scheme() -> Scheme {
    Scheme::parse(
        r#"name = "并列"
from = 2025-01-01
to = 2025-12-31
[[indicator]]
code = "talks"
name = "洽谈"
group = "推动"
measure = "leader_talks"
method = "count_points"
points_each = 1
weight = 10
"#,
    )
    .unwrap()
}

fn talks_and_funds(rows: &[(&str, i64, &str)]) -> Measures {
    rows.iter()
        .map(|(u, talks, funds)| {
            let v = BTreeMap::from([
                (m(MeasureKind::LeaderTalks), Decimal::from(*talks)),
                (Measure::FUNDS_DOMESTIC, d(funds)),
            ]);
            (u.to_string(), v)
        })
        .collect()
}

#[test]
fn ties_go_to_more_funds_then_to_the_code() {
    let units =
        vec![UnitRef::new("b", "乙"), UnitRef::new("a", "甲"), UnitRef::new("c", "丙"), UnitRef::new("d", "丁")];
    let ms = talks_and_funds(&[("a", 5, "100"), ("b", 5, "100"), ("c", 5, "100.01"), ("d", 6, "0")]);
    let a = assess(&one_indicator_scheme(), &units, &ms, &[]).unwrap();
    let order: Vec<(&str, u32)> = a.results.iter().map(|r| (r.unit.code.as_str(), r.rank)).collect();
    assert_eq!(order, [("d", 1), ("c", 2), ("a", 3), ("b", 4)]);
}

#[test]
fn ties_compare_the_rounded_totals() {
    // 10 × 1/3 and 10 × 0.3334 both show 3.33: tied, so funds decide
    let scheme = Scheme::parse(&one_indicator_scheme_text("rate")).unwrap();
    let units = vec![UnitRef::new("a", "甲"), UnitRef::new("b", "乙")];
    let mut ms = Measures::new();
    for (u, v, funds) in [("a", d("0.3334"), 1), ("b", Decimal::ONE / Decimal::from(3), 2)] {
        ms.insert(
            u.into(),
            BTreeMap::from([(m(MeasureKind::StartRate), v), (Measure::FUNDS_DOMESTIC, Decimal::from(funds))]),
        );
    }
    let a = assess(&scheme, &units, &ms, &[]).unwrap();
    assert_eq!(a.results[0].unit.code, "b");
    assert_eq!(a.results[0].total, a.results[1].total);
    assert_ne!(a.results[0].indicators[0].exact, a.results[1].indicators[0].exact);
}

fn one_indicator_scheme_text(method: &str) -> String {
    format!(
        "name = \"并列\"\nfrom = 2025-01-01\nto = 2025-12-31\n[[indicator]]\ncode = \"x\"\nname = \"指标\"\ngroup = \"组\"\nmeasure = \"start_rate\"\nmethod = \"{method}\"\nweight = 10\n"
    )
}

#[test]
fn efficacy_and_relative_to_best_over_the_units() {
    let units = vec![UnitRef::new("a", "甲"), UnitRef::new("b", "乙"), UnitRef::new("c", "丙")];
    let run = |method: &str, vals: [&str; 3]| -> Vec<String> {
        let scheme = Scheme::parse(&one_indicator_scheme_text(method)).unwrap();
        let ms: Measures = ["a", "b", "c"]
            .iter()
            .zip(vals)
            .map(|(u, v)| {
                (
                    u.to_string(),
                    BTreeMap::from([(m(MeasureKind::StartRate), d(v)), (Measure::FUNDS_DOMESTIC, Decimal::ZERO)]),
                )
            })
            .collect();
        let a = assess(&scheme, &units, &ms, &[]).unwrap();
        let mut by: Vec<(String, String)> =
            a.results.iter().map(|r| (r.unit.code.clone(), r.total.to_string())).collect();
        by.sort();
        by.into_iter().map(|(_, t)| t).collect()
    };
    assert_eq!(run("efficacy", ["0.2", "0.5", "0.8"]), ["6.00", "8.00", "10.00"]);
    assert_eq!(run("efficacy", ["0.5", "0.5", "0.5"]), ["10.00", "10.00", "10.00"], "max = min");
    assert_eq!(run("relative_to_best", ["0", "0", "0"]), ["0.00", "0.00", "0.00"], "max 0");
    assert_eq!(run("relative_to_best", ["0.1", "0.3", "0.2"]), ["3.33", "10.00", "6.67"]);
}

#[test]
fn lower_is_better_gives_full_points_to_the_fewest() {
    let scheme = super::defaults::business_environment();
    let units = vec![UnitRef::new("a", "甲"), UnitRef::new("b", "乙"), UnitRef::new("c", "丙")];
    let days = |u: &str, days: &str| {
        let v = BTreeMap::from([
            (m(MeasureKind::ProblemResolutionRate), Decimal::ONE),
            (Measure::Manual("satisfaction".into()), d("0.9")),
            (Measure::Manual("approval_days".into()), d(days)),
            (Measure::FUNDS_DOMESTIC, Decimal::ZERO),
        ]);
        (u.to_string(), v)
    };
    let approval = |a: &Assessment| -> Vec<(String, String)> {
        let mut v: Vec<_> =
            a.results.iter().map(|r| (r.unit.code.clone(), r.indicators[2].points.to_string())).collect();
        v.sort();
        v
    };
    let ms: Measures = [days("a", "10"), days("b", "20"), days("c", "15")].into_iter().collect();
    let a = assess(&scheme, &units, &ms, &[]).unwrap();
    let pairs = |p: [(&str, &str); 3]| p.map(|(u, x)| (u.to_string(), x.to_string())).to_vec();
    assert_eq!(approval(&a), pairs([("a", "30.00"), ("b", "15.00"), ("c", "20.00")]));
    let ms: Measures = [days("a", "0"), days("b", "20"), days("c", "0")].into_iter().collect();
    let a = assess(&scheme, &units, &ms, &[]).unwrap();
    assert_eq!(approval(&a), pairs([("a", "30.00"), ("b", "0.00"), ("c", "30.00")]), "a = 0: w");
    assert_eq!(a.results[0].total.to_string(), "97.00");
}

// ---- properties ----

const MONOTONE: [(MeasureKind, Method); 5] = [
    (MeasureKind::FundsForeign, Method::RatioToTarget),
    (MeasureKind::StartRate, Method::Rate),
    (MeasureKind::LeaderVisits500, Method::CountPoints),
    (MeasureKind::NewSignedMajor, Method::RelativeToBest),
    (MeasureKind::NewStartedMajor, Method::Efficacy),
];

fn generated_scheme(weights: &[u32], targets: &[u32], n: usize) -> Scheme {
    let indicators = MONOTONE
        .iter()
        .zip(weights)
        .map(|((k, method), w)| Indicator {
            code: k.code().to_string(),
            name: k.label().to_string(),
            group: "组".into(),
            measure: m(*k),
            method: *method,
            weight: Decimal::from(*w),
            cap: (*method == Method::RatioToTarget).then(|| Decimal::new(12, 1)),
            points_each: (*method == Method::CountPoints).then(|| Decimal::new(25, 1)),
            lower_is_better: false,
            line: None,
        })
        .collect();
    let targets = BTreeMap::from([(
        MeasureKind::FundsForeign.code().to_string(),
        (0..n).map(|u| (format!("u{u}"), Decimal::from(targets[u]))).collect(),
    )]);
    Scheme {
        name: "生成".into(),
        from: crate::test_dates::ymd(2026, 1, 1),
        to: crate::test_dates::ymd(2026, 12, 31),
        units: None,
        indicators,
        targets,
        top10_bonus: None,
    }
}

/// unit k's values: one per MONOTONE measure (hundredths; the rate in [0, 1]) + funds_domestic
fn generated_measures(values: &[[u32; 6]]) -> Measures {
    values
        .iter()
        .enumerate()
        .map(|(u, vals)| {
            let mut row: BTreeMap<Measure, Decimal> =
                MONOTONE.iter().zip(vals).map(|((k, _), v)| (m(*k), value_of(*k, *v))).collect();
            row.insert(Measure::FUNDS_DOMESTIC, Decimal::new(i64::from(vals[5]), 2));
            (format!("u{u}"), row)
        })
        .collect()
}

fn value_of(k: MeasureKind, v: u32) -> Decimal {
    if k.is_rate() { Decimal::new(i64::from(v % 101), 2) } else { Decimal::new(i64::from(v), 2) }
}

fn generated_units(n: usize) -> Vec<UnitRef> {
    (0..n).map(|u| UnitRef::new(format!("u{u}"), format!("单位{u}"))).collect()
}

prop_compose! {
    fn run_inputs()(n in 1usize..7)(
        weights in proptest::collection::vec(1u32..50, 5),
        targets in proptest::collection::vec(1u32..100_000, n),
        values in proptest::collection::vec(proptest::array::uniform6(0u32..20_000), n),
        n in Just(n),
    ) -> (Scheme, Vec<UnitRef>, Measures) {
        (generated_scheme(&weights, &targets, n), generated_units(n), generated_measures(&values))
    }
}

fn total_of(a: &Assessment, unit: &str) -> Decimal {
    a.results.iter().find(|r| r.unit.code == unit).unwrap().total
}

proptest! {
    // (a) 三(三): 以项目落地实绩为考核标准 — more of any measure never costs the unit points
    // (the others' points may change under relative_to_best and efficacy; its own total not down)
    #[test]
    fn a_units_total_never_falls_when_one_of_its_measures_rises(
        (scheme, units, measures) in run_inputs(),
        pick in 0usize..64,
        which in 0usize..6,
        more in 1u32..20_000,
    ) {
        let unit = format!("u{}", pick % units.len());
        let before = assess(&scheme, &units, &measures, &[]).unwrap();
        let mut raised = measures.clone();
        let (measure, kind) = match MONOTONE.get(which) {
            Some((k, _)) => (m(*k), Some(*k)),
            None => (Measure::FUNDS_DOMESTIC, None),
        };
        let v = raised.get_mut(&unit).unwrap().get_mut(&measure).unwrap();
        *v += Decimal::new(i64::from(more), 2);
        if kind.is_some_and(MeasureKind::is_rate) {
            *v = (*v).min(Decimal::ONE);
        }
        let after = assess(&scheme, &units, &raised, &[]).unwrap();
        prop_assert!(total_of(&after, &unit) >= total_of(&before, &unit),
            "{unit} {measure}: {} → {}", total_of(&before, &unit), total_of(&after, &unit));
    }

    // (b) ranks are 1..=n, each once
    #[test]
    fn the_ranks_are_a_permutation((scheme, units, measures) in run_inputs()) {
        let a = assess(&scheme, &units, &measures, &[]).unwrap();
        let mut ranks: Vec<u32> = a.results.iter().map(|r| r.rank).collect();
        prop_assert_eq!(ranks.clone(), (1..=units.len() as u32).collect::<Vec<_>>(), "rows come in rank order");
        ranks.sort_unstable();
        ranks.dedup();
        prop_assert_eq!(ranks.len(), units.len());
        for w in a.results.windows(2) {
            prop_assert!(w[0].total >= w[1].total);
        }
        // the total is the sum of the rounded cells as printed
        for r in &a.results {
            let sum: Decimal = r.indicators.iter().map(|c| c.points).sum();
            prop_assert_eq!(r.base, sum);
            prop_assert_eq!(r.total, r.base + r.bonus + r.penalty);
            prop_assert_eq!(r.total.scale(), 2);
        }
    }

    // lower_is_better: more (days) never earns the unit more
    #[test]
    fn under_lower_is_better_more_never_earns_more(
        days in proptest::collection::vec(0u32..400, 1..6),
        pick in 0usize..6,
        more in 1u32..100,
    ) {
        let scheme = super::defaults::business_environment();
        let units = generated_units(days.len());
        let measures = |days: &[u32]| -> Measures {
            days.iter().enumerate().map(|(u, n)| {
                let row = BTreeMap::from([
                    (m(MeasureKind::ProblemResolutionRate), Decimal::ONE),
                    (Measure::Manual("satisfaction".into()), Decimal::ONE),
                    (Measure::Manual("approval_days".into()), Decimal::from(*n)),
                    (Measure::FUNDS_DOMESTIC, Decimal::ZERO),
                ]);
                (format!("u{u}"), row)
            }).collect()
        };
        let unit = pick % days.len();
        let before = assess(&scheme, &units, &measures(&days), &[]).unwrap();
        let mut worse = days.clone();
        worse[unit] += more;
        let after = assess(&scheme, &units, &measures(&worse), &[]).unwrap();
        let u = format!("u{unit}");
        prop_assert!(total_of(&after, &u) <= total_of(&before, &u));
    }

    // (c) deterministic: two runs serialize byte for byte alike, whatever the units' order
    #[test]
    fn a_run_is_deterministic(
        (scheme, units, measures) in run_inputs(),
        seed in proptest::collection::vec(0usize..1000, 7),
        bonus in proptest::collection::vec((0usize..7, 1i64..500), 0..4),
    ) {
        let adjustments: Vec<Adjustment> = bonus
            .iter()
            .map(|(u, p)| Adjustment {
                unit: format!("u{}", u % units.len()),
                kind: if p % 2 == 0 { AdjustmentKind::Bonus } else { AdjustmentKind::Penalty },
                points: Decimal::new(if p % 2 == 0 { *p } else { -p }, 2),
                reason: format!("理由{p}"),
            })
            .collect();
        let one = serde_json::to_string(&assess(&scheme, &units, &measures, &adjustments).unwrap()).unwrap();
        let two = serde_json::to_string(&assess(&scheme, &units, &measures, &adjustments).unwrap()).unwrap();
        prop_assert_eq!(&one, &two);
        let mut shuffled = units.clone();
        let mut adj = adjustments.clone();
        for (i, s) in seed.iter().enumerate() {
            let len = shuffled.len();
            shuffled.swap(i % len, s % len);
            if !adj.is_empty() {
                let len = adj.len();
                adj.swap(i % len, s % len);
            }
        }
        let three = serde_json::to_string(&assess(&scheme, &shuffled, &measures, &adj).unwrap()).unwrap();
        prop_assert_eq!(&one, &three);
    }
}
