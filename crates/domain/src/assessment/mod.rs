//! 考核 (assessment.md; seed 三(三)): the assessment engine — a scheme of weighted
//! indicators, each turning one measure of a unit into points by one of five methods, plus
//! bonus and penalty entries, summed, rounded and ranked. Pure: the store computes the
//! measures from accepted records; this module only turns values into a ranking.
//!
//! - [`scheme`]: the scheme document (TOML) → [`Scheme`], every error collected, in Chinese;
//! - [`methods`]: the five methods, one pure function each;
//! - [`run`]: [`assess`] — the points table, totals and ranks, byte-for-byte deterministic;
//! - [`defaults`]: the two schemes shipped (招商引资工作考核, 营商环境评价).

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::agreement::Ratio;

pub mod bulletin;
pub mod compare;
pub mod defaults;
pub mod leaders;
pub mod methods;
pub mod run;
pub mod scheme;
pub mod top10;

mod parse;
#[cfg(test)]
mod tests;

pub use bulletin::{BulletinContent, red_black};
pub use compare::{Difference, compare};
pub use run::{Assessment, Column, IndicatorPoints, Measures, UnitResult, assess};
pub use scheme::{Indicator, Scheme};

crate::vocabulary! {
    /// How a measure becomes points (assessment.md, Methods).
    pub enum Method;
}

crate::vocabulary! {
    /// The measures computed from records (assessment.md, Measures); `manual:<code>` ones are
    /// [`Measure::Manual`].
    pub enum MeasureKind;
}

crate::vocabulary! {
    /// 加分 or 扣分.
    pub enum AdjustmentKind;
}

crate::vocabulary! {
    /// A bulletin (通报) is a draft until published, then frozen.
    pub enum BulletinState;
}

impl MeasureKind {
    /// A share in [0, 1] (开工率, 履约率, 问题按期解决率) rather than an amount or a count.
    pub const fn is_rate(self) -> bool {
        matches!(self, MeasureKind::StartRate | MeasureKind::FulfilmentRate | MeasureKind::ProblemResolutionRate)
    }

    /// A rate's value when nothing was there to count (assessment.md): `start_rate` 0 when
    /// no project was signed; `fulfilment_rate` and `problem_resolution_rate` 1 when nothing
    /// was due. `None` for a measure that is not a rate.
    pub const fn when_none(self) -> Option<Decimal> {
        match self {
            MeasureKind::StartRate => Some(Decimal::ZERO),
            MeasureKind::FulfilmentRate | MeasureKind::ProblemResolutionRate => Some(Decimal::ONE),
            _ => None,
        }
    }
}

/// The value of a rate measure from its exact count (`met` of `due`), or its documented
/// default when there was nothing to count ([`MeasureKind::when_none`]); `None` for a
/// measure that is not a rate.
pub fn rate_value(kind: MeasureKind, ratio: Option<Ratio>) -> Option<Decimal> {
    let default = kind.when_none()?;
    Some(ratio.map_or(default, Ratio::value))
}

/// What an indicator measures: one of the computed measures, or a value entered per unit
/// and period by `city_admin` (`manual:<code>`, e.g. `manual:satisfaction`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Measure {
    Computed(MeasureKind),
    Manual(String),
}

/// The prefix of a manual measure's code.
pub const MANUAL: &str = "manual:";

impl Measure {
    /// `funds_domestic`, the measure ties are broken by.
    pub const FUNDS_DOMESTIC: Measure = Measure::Computed(MeasureKind::FundsDomestic);

    /// A measure's code: a [`MeasureKind`] code, or `manual:` and a code of lowercase ASCII
    /// letters, digits and `_`.
    pub fn parse(code: &str) -> Option<Measure> {
        if let Some(rest) = code.strip_prefix(MANUAL) {
            let ok = !rest.is_empty()
                && rest.len() <= 64
                && rest.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            return ok.then(|| Measure::Manual(rest.to_string()));
        }
        MeasureKind::parse(code).map(Measure::Computed)
    }

    pub fn code(&self) -> String {
        match self {
            Measure::Computed(k) => k.code().to_string(),
            Measure::Manual(c) => format!("{MANUAL}{c}"),
        }
    }

    /// The Chinese label (a manual one: 人工录入：<code>).
    pub fn label(&self) -> String {
        match self {
            Measure::Computed(k) => k.label().to_string(),
            Measure::Manual(c) => format!("人工录入：{c}"),
        }
    }

    /// A computed rate ([`MeasureKind::is_rate`]); a manual value's range is its method's.
    pub fn is_rate(&self) -> bool {
        matches!(self, Measure::Computed(k) if k.is_rate())
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

impl Serialize for Measure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for Measure {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Measure::parse(&code).ok_or_else(|| serde::de::Error::custom(format!("未知的度量“{code}”")))
    }
}

/// A unit that may be assessed: its code and Chinese name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct UnitRef {
    pub code: String,
    pub name: String,
}

impl UnitRef {
    pub fn new(code: impl Into<String>, name: impl Into<String>) -> Self {
        Self { code: code.into(), name: name.into() }
    }

    /// As messages name it: `zhongyuan（中原区）`.
    pub fn display(&self) -> String {
        format!("{}（{}）", self.code, self.name)
    }
}

// 三(三): 每年评选出十大重大招商引资项目 — bonus and penalty entries, recorded by city_admin.
/// A 加分 or 扣分 entry for one unit, recorded by `city_admin` with a reason: a bonus adds
/// positive points, a penalty negative ones (e.g. −5 for data found untrue).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Adjustment {
    pub unit: String,
    pub kind: AdjustmentKind,
    /// Signed, at most two decimals: > 0 for a bonus, < 0 for a penalty.
    pub points: Decimal,
    pub reason: String,
}

/// The annual scheme's bonus for each of a unit's projects among the year's top-10.
pub const TOP_TEN_BONUS_EACH: Decimal = Decimal::TWO;

/// The top-10 bonus of a unit with `projects` of the year's 十大重大招商引资项目, at `each`
/// points per project (the scheme's `top10_bonus`, [`TOP_TEN_BONUS_EACH`] in the annual
/// scheme); `None` when it has none.
pub fn top_ten_bonus(unit: &str, projects: u32, each: Decimal) -> Option<Adjustment> {
    (projects > 0 && each > Decimal::ZERO).then(|| Adjustment {
        unit: unit.to_string(),
        kind: AdjustmentKind::Bonus,
        points: each * Decimal::from(projects),
        reason: format!("{projects} 个项目入选年度十大重大招商引资项目，每个加 {each} 分"),
    })
}

/// One thing wrong with a scheme or an assessment's inputs; the message is Chinese and
/// names the indicator (code and name) and the unit where there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The scheme line it is on, when it comes from the scheme's text.
    pub line: Option<usize>,
    /// The indicator's code, when it concerns one.
    pub indicator: Option<String>,
    /// The unit's code, when it concerns one.
    pub unit: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "第 {line} 行：{}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Everything wrong at once (never empty), in the order found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl Problems {
    /// The messages as users read them, one a line.
    pub fn messages(&self) -> Vec<String> {
        self.0.iter().map(Problem::to_string).collect()
    }
}

/// How an indicator is named in messages: `funds（实际到位省外资金）`.
pub(crate) fn indicator_name(code: &str, name: &str) -> String {
    if name.is_empty() { code.to_string() } else { format!("{code}（{name}）") }
}
