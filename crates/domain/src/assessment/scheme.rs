//! The scheme (assessment.md, Scheme): a versioned TOML document of weighted indicators over
//! a period, with the targets of its `ratio_to_target` indicators. [`Scheme::parse`] reads
//! and checks the document alone; [`Scheme::assessed_units`] checks it against the units
//! passed (the `units` list, every target present).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{Measure, Method, Problem, Problems, UnitRef, indicator_name};

/// A parsed, checked scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scheme {
    pub name: String,
    /// The period `[from, to]` the measures are computed over.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The units assessed, when the scheme restricts them; `None`: every unit passed (the
    /// caller passes the units of kind district, county_city, county and zone).
    pub units: Option<Vec<String>>,
    /// In the document's order (the order of the printed table's columns).
    pub indicators: Vec<Indicator>,
    /// `[targets.<indicator code>]`: indicator code → unit code → target (> 0).
    pub targets: BTreeMap<String, BTreeMap<String, Decimal>>,
    /// Points per project of the unit among the year's top-10 (`top10_bonus`), when the
    /// scheme gives that bonus ([`super::top_ten_bonus`] makes the entry).
    pub top10_bonus: Option<Decimal>,
}

/// One `[[indicator]]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    /// Unique in the scheme.
    pub code: String,
    pub name: String,
    /// The heading it is printed under (招商引资指标完成情况, 重大项目进展, 主要领导推动…).
    pub group: String,
    pub measure: Measure,
    pub method: Method,
    /// `w`, > 0.
    pub weight: Decimal,
    /// `ratio_to_target` only: the highest ratio counted (default 1); `None` otherwise.
    pub cap: Option<Decimal>,
    /// `count_points` only: the points per counted item (> 0); `None` otherwise.
    pub points_each: Option<Decimal>,
    /// `relative_to_best` only: fewer is better (e.g. approval days).
    pub lower_is_better: bool,
    /// The line of the document its `[[indicator]]` table starts on.
    #[serde(skip)]
    pub line: Option<usize>,
}

impl Indicator {
    /// As messages name it: `funds（实际到位省外资金）`.
    pub fn display(&self) -> String {
        indicator_name(&self.code, &self.name)
    }
}

impl Scheme {
    /// Reads a scheme document: a TOML syntax error is refused with its line; otherwise
    /// every problem of the document is collected (unknown measure or method, weight ≤ 0,
    /// a duplicate code, from > to, points_each missing or ≤ 0, cap ≤ 0, a target ≤ 0…),
    /// each message naming the indicator.
    pub fn parse(text: &str) -> Result<Scheme, Problems> {
        super::parse::parse(text)
    }

    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }

    /// The target of an indicator for a unit, when the scheme gives one.
    pub fn target(&self, indicator: &str, unit: &str) -> Option<Decimal> {
        self.targets.get(indicator)?.get(unit).copied()
    }

    /// The weights' sum (the base points: 100 for the annual scheme).
    pub fn total_weight(&self) -> Decimal {
        self.indicators.iter().map(|i| i.weight).sum()
    }

    /// Each group's weight, in the order the groups first appear.
    pub fn group_weights(&self) -> Vec<(String, Decimal)> {
        let mut groups: Vec<(String, Decimal)> = Vec::new();
        for i in &self.indicators {
            match groups.iter_mut().find(|(g, _)| *g == i.group) {
                Some((_, w)) => *w += i.weight,
                None => groups.push((i.group.clone(), i.weight)),
            }
        }
        groups
    }

    /// The units this scheme assesses among `units` (the caller's: by default every unit of
    /// kind district, county_city, county and zone), in the order passed — or every problem:
    /// a unit passed twice, a `units` entry not among those passed, a target for a unit not
    /// passed, and a `ratio_to_target` indicator without a target > 0 for an assessed unit.
    pub fn assessed_units(&self, units: &[UnitRef]) -> Result<Vec<UnitRef>, Problems> {
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        for u in units {
            if !seen.insert(u.code.as_str()) {
                problems.push(unit_problem(None, &u.code, format!("单位 {}重复传入", u.display())));
            }
        }
        let known = |code: &str| units.iter().any(|u| u.code == code);
        let assessed: Vec<UnitRef> = match &self.units {
            None => units.to_vec(),
            Some(list) => {
                for code in list.iter().filter(|c| !known(c)) {
                    problems.push(unit_problem(
                        None,
                        code,
                        format!("方案的考核单位（units）列出的“{code}”不在可考核的单位中"),
                    ));
                }
                units.iter().filter(|u| list.contains(&u.code)).cloned().collect()
            }
        };
        for (indicator, targets) in &self.targets {
            let i = self.indicator(indicator);
            for unit in targets.keys().filter(|c| !known(c)) {
                let name = i.map_or_else(|| indicator.clone(), Indicator::display);
                problems.push(Problem {
                    line: i.and_then(|i| i.line),
                    indicator: Some(indicator.clone()),
                    unit: Some(unit.clone()),
                    message: format!("指标 {name}：目标表 [targets.{indicator}] 中的“{unit}”不在可考核的单位中"),
                });
            }
        }
        for i in self.indicators.iter().filter(|i| i.method == Method::RatioToTarget) {
            for u in &assessed {
                if self.target(&i.code, &u.code).is_none_or(|t| t <= Decimal::ZERO) {
                    problems.push(Problem {
                        line: i.line,
                        indicator: Some(i.code.clone()),
                        unit: Some(u.code.clone()),
                        message: format!(
                            "指标 {}：采用目标完成比例法，缺少单位 {}大于 0 的目标值（在 [targets.{}] 中填写 {} = 目标）",
                            i.display(),
                            u.display(),
                            i.code,
                            u.code
                        ),
                    });
                }
            }
        }
        if problems.is_empty() { Ok(assessed) } else { Err(Problems(problems)) }
    }
}

fn unit_problem(line: Option<usize>, unit: &str, message: String) -> Problem {
    Problem { line, indicator: None, unit: Some(unit.to_string()), message }
}
