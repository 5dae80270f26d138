//! Two results of one scheme side by side (assessment.md, Bulletins: "recomputing later with
//! changed data shows the difference but never changes the published bulletin"): every unit
//! whose rank, total, bonus, penalty or an indicator's measure or points differ.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Assessment, UnitRef, UnitResult};

/// One figure of one unit that differs between two results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    pub unit: UnitRef,
    /// `rank`, `total`, `bonus`, `penalty`, or an indicator's code (its points), or
    /// `<code>.value` (its measure).
    pub field: String,
    /// What the figure is, in Chinese (名次, 总分, the indicator's name…).
    pub label: String,
    /// The figure before and after (`None`: the unit is absent from that result).
    pub before: Option<String>,
    pub after: Option<String>,
}

/// What changed from `before` to `after`, unit by unit in `before`'s rank order (units only
/// in `after` last): the rank, the total, the bonus and penalty, and for each indicator of
/// `before`'s columns its measure and its points. Empty when the two agree.
pub fn compare(before: &Assessment, after: &Assessment) -> Vec<Difference> {
    let mut out = Vec::new();
    for b in &before.results {
        let a = after.results.iter().find(|r| r.unit.code == b.unit.code);
        unit_differences(before, Some(b), a, &mut out);
    }
    for a in &after.results {
        if !before.results.iter().any(|r| r.unit.code == a.unit.code) {
            unit_differences(before, None, Some(a), &mut out);
        }
    }
    out
}

fn unit_differences(scheme: &Assessment, b: Option<&UnitResult>, a: Option<&UnitResult>, out: &mut Vec<Difference>) {
    let Some(unit) = b.or(a).map(|r| r.unit.clone()) else { return };
    let mut push = |field: String, label: String, before: Option<String>, after: Option<String>| {
        if before != after {
            out.push(Difference { unit: unit.clone(), field, label, before, after });
        }
    };
    let dec = |r: Option<&UnitResult>, f: fn(&UnitResult) -> Decimal| r.map(|r| f(r).to_string());
    push("rank".into(), "名次".into(), b.map(|r| r.rank.to_string()), a.map(|r| r.rank.to_string()));
    push("total".into(), "总分".into(), dec(b, |r| r.total), dec(a, |r| r.total));
    push("bonus".into(), "加分".into(), dec(b, |r| r.bonus), dec(a, |r| r.bonus));
    push("penalty".into(), "扣分".into(), dec(b, |r| r.penalty), dec(a, |r| r.penalty));
    for c in &scheme.columns {
        let (cb, ca) = (cell(b, &c.code), cell(a, &c.code));
        push(
            format!("{}.value", c.code),
            format!("{}（度量）", c.name),
            cb.map(|i| i.value.normalize().to_string()),
            ca.map(|i| i.value.normalize().to_string()),
        );
        push(
            c.code.clone(),
            format!("{}（得分）", c.name),
            cb.map(|i| i.points.to_string()),
            ca.map(|i| i.points.to_string()),
        );
    }
}

fn cell<'a>(r: Option<&'a UnitResult>, code: &str) -> Option<&'a super::IndicatorPoints> {
    r.and_then(|r| r.indicators.iter().find(|i| i.code == code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::{IndicatorPoints, Measure, MeasureKind, Method, run::Column};

    fn result(code: &str, rank: u32, total: i64, value: i64) -> UnitResult {
        UnitResult {
            rank,
            unit: UnitRef::new(code, code),
            indicators: vec![IndicatorPoints {
                code: "funds".into(),
                value: Decimal::from(value),
                target: None,
                exact: Decimal::from(total),
                points: Decimal::from(total),
            }],
            base: Decimal::from(total),
            bonus: Decimal::ZERO,
            penalty: Decimal::ZERO,
            total: Decimal::from(total),
            funds_domestic: Decimal::from(value),
            adjustments: vec![],
        }
    }

    fn assessment(results: Vec<UnitResult>) -> Assessment {
        let d = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
        Assessment {
            scheme: "s".into(),
            from: d,
            to: d,
            columns: vec![Column {
                code: "funds".into(),
                name: "资金".into(),
                group: "g".into(),
                measure: Measure::Computed(MeasureKind::FundsDomestic),
                method: Method::Rate,
                weight: Decimal::TEN,
            }],
            results,
        }
    }

    #[test]
    fn the_same_result_has_no_differences() {
        let a = assessment(vec![result("u1", 1, 9, 90), result("u2", 2, 5, 50)]);
        assert!(compare(&a, &a.clone()).is_empty());
    }

    #[test]
    fn a_changed_measure_shows_its_points_total_and_ranks() {
        let before = assessment(vec![result("u1", 1, 9, 90), result("u2", 2, 5, 50)]);
        let after = assessment(vec![result("u2", 1, 10, 100), result("u1", 2, 9, 90)]);
        let d = compare(&before, &after);
        let fields: Vec<(&str, &str)> = d.iter().map(|d| (d.unit.code.as_str(), d.field.as_str())).collect();
        assert_eq!(fields, [("u1", "rank"), ("u2", "rank"), ("u2", "total"), ("u2", "funds.value"), ("u2", "funds")]);
        assert_eq!(d[2].before.as_deref(), Some("5"));
        assert_eq!(d[2].after.as_deref(), Some("10"));
    }

    #[test]
    fn a_unit_missing_on_one_side_is_listed_with_none() {
        let before = assessment(vec![result("u1", 1, 9, 90)]);
        let after = assessment(vec![result("u1", 1, 9, 90), result("u3", 2, 1, 10)]);
        let d = compare(&before, &after);
        assert!(d.iter().all(|d| d.unit.code == "u3" && d.before.is_none() && d.after.is_some()));
        let fields: Vec<&str> = d.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, ["rank", "total", "bonus", "penalty", "funds.value", "funds"]);
    }
}
