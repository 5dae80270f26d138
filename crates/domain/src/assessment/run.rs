//! A run (assessment.md): per unit and indicator the measure and its points, the bonus and
//! penalty sums, the total and the rank.
//!
//! Rounding: each indicator's points are rounded half-up to 2 decimals, and the total is
//! the sum of those rounded points plus the bonus and penalty entries (2 decimals each) — the
//! sum of what the printed table shows, so every row adds up as printed (the worked example
//! of assessment.md reproduces either way). The exact points stay beside the rounded ones.
//!
//! Ranking: total descending; ties by the `funds_domestic` measure descending, then by unit
//! code ascending; ranks 1, 2, 3… (no shared numbers). The output holds no hash map and no
//! float: the same inputs serialize byte for byte the same, whatever the order of the units.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::methods::{indicator_points, round};
use super::parse::MAX_POINTS;
use super::scheme::{Indicator, Scheme};
use super::{Adjustment, AdjustmentKind, Measure, Method, Problem, Problems, UnitRef};

/// The measures of each unit: unit code → measure → value (≥ 0; a rate in [0, 1]). Every
/// assessed unit needs every measure its scheme's indicators read, and `funds_domestic`
/// (the tie-break) even when no indicator reads it.
pub type Measures = BTreeMap<String, BTreeMap<Measure, Decimal>>;

/// The result of one run, in rank order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub scheme: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The indicators, in the scheme's order (the table's columns).
    pub columns: Vec<Column>,
    /// One row per assessed unit, by rank.
    pub results: Vec<UnitResult>,
}

/// An indicator as a column of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub code: String,
    pub name: String,
    pub group: String,
    pub measure: Measure,
    pub method: Method,
    pub weight: Decimal,
}

/// One unit's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitResult {
    /// 1, 2, 3…: no two units share one.
    pub rank: u32,
    pub unit: UnitRef,
    /// In the order of [`Assessment::columns`].
    pub indicators: Vec<IndicatorPoints>,
    /// The sum of the rounded indicator points.
    pub base: Decimal,
    /// The sum of the bonus entries (≥ 0).
    pub bonus: Decimal,
    /// The sum of the penalty entries (≤ 0).
    pub penalty: Decimal,
    /// `base + bonus + penalty`, 2 decimals: what the unit is ranked by.
    pub total: Decimal,
    /// The tie-break measure.
    pub funds_domestic: Decimal,
    /// The unit's bonus and penalty entries (bonuses first, then by reason).
    pub adjustments: Vec<Adjustment>,
}

/// One cell: the measure, the target where there is one, the exact and the rounded points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorPoints {
    pub code: String,
    pub value: Decimal,
    pub target: Option<Decimal>,
    /// Unrounded.
    pub exact: Decimal,
    /// Rounded half-up to 2 decimals: what is shown and summed.
    pub points: Decimal,
}

// 三(三): 针对招商引资指标完成情况、重大项目进展情况、主要领导推动工作等情况进行综合评比排名
/// Runs `scheme` over `units` (the caller's assessable units: by default every unit of kind
/// district, county_city, county and zone; the scheme's `units` list restricts them) with
/// each unit's `measures` and the `adjustments` (加分/扣分) recorded for the run. Refuses,
/// with every problem at once, a scheme that does not fit the units
/// ([`Scheme::assessed_units`]), a missing, negative or (under `rate`) above-1 measure, and an
/// adjustment for a unit not assessed, without a reason, with a sign against its kind or
/// more than 2 decimals.
pub fn assess(
    scheme: &Scheme,
    units: &[UnitRef],
    measures: &Measures,
    adjustments: &[Adjustment],
) -> Result<Assessment, Problems> {
    let mut problems = Vec::new();
    let mut assessed = match scheme.assessed_units(units) {
        Ok(a) => a,
        Err(Problems(p)) => {
            problems.extend(p);
            let list = scheme.units.as_ref();
            units.iter().filter(|u| list.is_none_or(|l| l.contains(&u.code))).cloned().collect()
        }
    };
    assessed.sort();
    assessed.dedup_by(|a, b| a.code == b.code);
    let values = measure_values(scheme, &assessed, measures, &mut problems);
    check_adjustments(&assessed, adjustments, &mut problems);
    if !problems.is_empty() {
        return Err(Problems(problems));
    }

    // per indicator, the points of every unit (in `assessed` order)
    let cells: Vec<Vec<IndicatorPoints>> = scheme
        .indicators
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let vals: Vec<Decimal> = values.iter().map(|v| v.indicators[n]).collect();
            let targets: Vec<Option<Decimal>> = assessed.iter().map(|u| scheme.target(&i.code, &u.code)).collect();
            let exact = indicator_points(i, &vals, &targets);
            (0..assessed.len())
                .map(|k| IndicatorPoints {
                    code: i.code.clone(),
                    value: vals[k],
                    target: targets[k].filter(|_| i.method == Method::RatioToTarget),
                    exact: exact[k],
                    points: round(exact[k]),
                })
                .collect()
        })
        .collect();

    let mut results: Vec<UnitResult> = assessed
        .iter()
        .enumerate()
        .map(|(k, unit)| {
            let indicators: Vec<IndicatorPoints> = cells.iter().map(|c| c[k].clone()).collect();
            let mut own: Vec<Adjustment> = adjustments.iter().filter(|a| a.unit == unit.code).cloned().collect();
            own.sort_by(|a, b| (a.kind, &a.reason, a.points).cmp(&(b.kind, &b.reason, b.points)));
            let sum = |kind| round(own.iter().filter(|a| a.kind == kind).map(|a| a.points).sum());
            let base = round(indicators.iter().map(|c| c.points).sum());
            let (bonus, penalty) = (sum(AdjustmentKind::Bonus), sum(AdjustmentKind::Penalty));
            UnitResult {
                rank: 0,
                unit: unit.clone(),
                indicators,
                base,
                bonus,
                penalty,
                total: round(base + bonus + penalty),
                funds_domestic: values[k].funds_domestic,
                adjustments: own,
            }
        })
        .collect();
    rank(&mut results);
    Ok(Assessment {
        scheme: scheme.name.clone(),
        from: scheme.from,
        to: scheme.to,
        columns: scheme.indicators.iter().map(column).collect(),
        results,
    })
}

/// Orders the rows by total descending, `funds_domestic` descending, unit code ascending,
/// and numbers them 1, 2, 3….
pub fn rank(results: &mut [UnitResult]) {
    results.sort_by(|a, b| {
        (Reverse(a.total), Reverse(a.funds_domestic), &a.unit.code).cmp(&(
            Reverse(b.total),
            Reverse(b.funds_domestic),
            &b.unit.code,
        ))
    });
    for (n, r) in results.iter_mut().enumerate() {
        r.rank = u32::try_from(n + 1).unwrap_or(u32::MAX);
    }
}

fn column(i: &Indicator) -> Column {
    Column {
        code: i.code.clone(),
        name: i.name.clone(),
        group: i.group.clone(),
        measure: i.measure.clone(),
        method: i.method,
        weight: i.weight,
    }
}

/// One unit's values: per indicator (scheme order), and the tie-break.
struct UnitValues {
    indicators: Vec<Decimal>,
    funds_domestic: Decimal,
}

fn measure_values(
    scheme: &Scheme,
    assessed: &[UnitRef],
    measures: &Measures,
    problems: &mut Vec<Problem>,
) -> Vec<UnitValues> {
    assessed
        .iter()
        .map(|u| {
            let of = measures.get(&u.code);
            let mut get = |m: &Measure, i: Option<&Indicator>| -> Decimal {
                let Some(v) = of.and_then(|m_| m_.get(m)).copied() else {
                    let why =
                        i.map_or_else(|| "（排名并列时比较）".to_string(), |i| format!("（指标 {}）", i.display()));
                    problems.push(value_problem(i, u, format!("缺少单位 {}的度量 {} 的值{why}", u.display(), m)));
                    return Decimal::ZERO;
                };
                let on = i.map_or_else(String::new, |i| format!("指标 {}：", i.display()));
                if v < Decimal::ZERO {
                    problems.push(value_problem(
                        i,
                        u,
                        format!("{on}单位 {}的度量 {m} 的值 {v} 不能为负数", u.display()),
                    ));
                    return Decimal::ZERO;
                }
                if let Some(i) = i
                    && i.method == Method::Rate
                    && v > Decimal::ONE
                {
                    let message = format!("{on}采用比率法，单位 {}的度量 {m} 的值 {v} 应在 0 到 1 之间", u.display());
                    problems.push(value_problem(Some(i), u, message));
                }
                v.normalize()
            };
            let indicators = scheme.indicators.iter().map(|i| get(&i.measure, Some(i))).collect();
            let funds_domestic = get(&Measure::FUNDS_DOMESTIC, None);
            UnitValues { indicators, funds_domestic }
        })
        .collect()
}

fn value_problem(i: Option<&Indicator>, u: &UnitRef, message: String) -> Problem {
    Problem { line: None, indicator: i.map(|i| i.code.clone()), unit: Some(u.code.clone()), message }
}

fn check_adjustments(assessed: &[UnitRef], adjustments: &[Adjustment], problems: &mut Vec<Problem>) {
    for a in adjustments {
        let unit = assessed.iter().find(|u| u.code == a.unit);
        let who = unit.map_or_else(|| a.unit.clone(), UnitRef::display);
        let what = format!("单位 {who}的{}（{}）", a.kind.label(), a.points);
        let mut push = |message: String| {
            problems.push(Problem { line: None, indicator: None, unit: Some(a.unit.clone()), message });
        };
        if unit.is_none() {
            push(format!("{what}：该单位不在本次考核的单位中"));
        }
        match a.kind {
            AdjustmentKind::Bonus if a.points <= Decimal::ZERO => push(format!("{what}：加分应大于 0")),
            AdjustmentKind::Penalty if a.points >= Decimal::ZERO => {
                push(format!("{what}：扣分应小于 0（如 -5）"));
            }
            _ => {}
        }
        if a.points.abs() > MAX_POINTS {
            push(format!("{what}：单条加分或扣分不能超过 {MAX_POINTS} 分"));
        }
        if a.points.normalize().scale() > 2 {
            push(format!("{what}：最多保留两位小数"));
        }
        if a.reason.trim().is_empty() {
            push(format!("{what}：须填写理由"));
        }
    }
}
