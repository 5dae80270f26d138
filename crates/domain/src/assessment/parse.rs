//! The scheme document → [`Scheme`]: read from TOML's raw values (numbers from their text,
//! never through f64), every problem collected with its line.

use std::collections::BTreeMap;
use std::ops::Range;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::scheme::{Indicator, Scheme};
use super::{Measure, MeasureKind, Method, Problem, Problems, indicator_name};

type Value<'i> = Spanned<DeValue<'i>>;

/// The most a weight, a count's points each or the top-10 bonus may be (keeps every product
/// far inside the decimal's range).
pub(super) const MAX_POINTS: Decimal = Decimal::ONE_THOUSAND;
/// The highest `cap`: a unit counted up to ten times its target.
const MAX_CAP: Decimal = Decimal::TEN;

const TOP_KEYS: [&str; 7] = ["name", "from", "to", "units", "indicator", "targets", "top10_bonus"];
const INDICATOR_KEYS: [&str; 9] =
    ["code", "name", "group", "measure", "method", "weight", "cap", "points_each", "lower_is_better"];

pub(super) fn parse(text: &str) -> Result<Scheme, Problems> {
    let doc = DeTable::parse(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        Problems(vec![Problem {
            line,
            indicator: None,
            unit: None,
            message: match e.span() {
                Some(s) => format!("TOML 语法错误（第 {} 列）：{}", column_of(text, s.start), e.message().trim()),
                None => format!("TOML 语法错误：{}", e.message().trim()),
            },
        }])
    })?;
    let mut r = Reader { text, problems: Vec::new() };
    let doc = doc.get_ref();
    for (stray, _) in doc.iter().filter(|(k, _)| !TOP_KEYS.contains(&key(k))) {
        r.push(Some(stray.span()), None, None, format!("未知的设置项“{}”", stray.get_ref()));
    }
    let whole = 0..0;
    let name = r.required(doc, "name", &whole, "方案名称（name）").and_then(|v| r.text(v, "方案名称（name）", ""));
    let from = r.required(doc, "from", &whole, "开始日期（from）").and_then(|v| r.date(v, "开始日期（from）"));
    let to = r.required(doc, "to", &whole, "结束日期（to）").and_then(|v| r.date(v, "结束日期（to）"));
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        let span = doc.get("from").map(Spanned::span);
        r.push(span, None, None, format!("考核期间：开始日期 {f} 晚于结束日期 {t}"));
    }
    let units = doc.get("units").and_then(|v| r.units(v));
    let indicators = r.indicators(doc.get("indicator"));
    let targets = doc.get("targets").map(|v| r.targets(v, &indicators)).unwrap_or_default();
    let top10_bonus = doc.get("top10_bonus").and_then(|v| r.positive(v, "十大项目加分（top10_bonus）", "", MAX_POINTS));
    // in the document's order (stable: a line's problems as found)
    r.problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
    match (name, from, to) {
        (Some(name), Some(from), Some(to)) if r.problems.is_empty() => {
            Ok(Scheme { name, from, to, units, indicators, targets, top10_bonus })
        }
        _ => Err(Problems(r.problems)),
    }
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|b| **b == b'\n').count() + 1
}

/// The 1-based column (in characters) of a byte offset.
fn column_of(text: &str, offset: usize) -> usize {
    let before = text.get(..offset.min(text.len())).unwrap_or_default();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    before[start..].chars().count() + 1
}

/// A table key's text.
fn key<'a>(k: &'a Spanned<std::borrow::Cow<'_, str>>) -> &'a str {
    k.get_ref()
}

struct Reader<'t> {
    text: &'t str,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn push(&mut self, span: Option<Range<usize>>, indicator: Option<&str>, unit: Option<&str>, message: String) {
        let line = span.filter(|s| !(s.start == 0 && s.end == 0)).map(|s| line_of(self.text, s.start));
        self.problems.push(Problem {
            line,
            indicator: indicator.map(str::to_string),
            unit: unit.map(str::to_string),
            message,
        });
    }

    /// Marks the problems from `from` on as the indicator's.
    fn tag(&mut self, from: usize, indicator: Option<&str>) {
        if let Some(code) = indicator {
            for p in &mut self.problems[from..] {
                p.indicator.get_or_insert_with(|| code.to_string());
            }
        }
    }

    fn required<'a, 'i>(
        &mut self,
        table: &'a DeTable<'i>,
        key: &str,
        at: &Range<usize>,
        what: &str,
    ) -> Option<&'a Value<'i>> {
        let v = table.get(key);
        if v.is_none() {
            self.push(Some(at.clone()), None, None, format!("缺少{what}"));
        }
        v
    }

    /// A non-empty string; `prefix` names the indicator.
    fn text(&mut self, v: &Value<'_>, what: &str, prefix: &str) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            DeValue::String(_) => {
                self.push(Some(v.span()), None, None, format!("{prefix}{what}不能为空"));
                None
            }
            other => {
                self.push(Some(v.span()), None, None, format!("{prefix}{what}应为文字，而不是{}", kind(other)));
                None
            }
        }
    }

    fn date(&mut self, v: &Value<'_>, what: &str) -> Option<NaiveDate> {
        let date = match v.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                dt.date.and_then(|d| NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day)))
            }
            DeValue::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
            _ => None,
        };
        if date.is_none() {
            self.push(Some(v.span()), None, None, format!("{what}应为日期，如 2025-01-01"));
        }
        date
    }

    /// An exact decimal from a TOML integer, float or string (read from its text).
    fn number(&mut self, v: &Value<'_>, what: &str, prefix: &str, unit: Option<&str>) -> Option<Decimal> {
        let d = decimal(v.get_ref());
        if d.is_none() {
            self.push(Some(v.span()), None, unit, format!("{prefix}{what}应为数字，而不是{}", kind(v.get_ref())));
        }
        d
    }

    /// A number in (0, max].
    /// A code `what` (its Chinese name and key) that `parse` knows; an unknown one is named
    /// with the `known` codes.
    fn code<T>(
        &mut self,
        v: &Value<'_>,
        (what, key): (&str, &str),
        prefix: &str,
        indicator: Option<&str>,
        parse: impl Fn(&str) -> Option<T>,
        known: &str,
    ) -> Option<T> {
        let code = self.text(v, &format!("{what}（{key}）"), prefix)?;
        let parsed = parse(&code);
        if parsed.is_none() {
            self.push(Some(v.span()), indicator, None, format!("{prefix}未知的{what}“{code}”，可用：{known}"));
        }
        parsed
    }

    fn positive(&mut self, v: &Value<'_>, what: &str, prefix: &str, max: Decimal) -> Option<Decimal> {
        let d = self.number(v, what, prefix, None)?;
        if d <= Decimal::ZERO {
            self.push(Some(v.span()), None, None, format!("{prefix}{what}应大于 0，而不是 {d}"));
            return None;
        }
        if d > max {
            self.push(Some(v.span()), None, None, format!("{prefix}{what}不能超过 {max}，而不是 {d}"));
            return None;
        }
        Some(d.normalize())
    }

    fn units(&mut self, v: &Value<'_>) -> Option<Vec<String>> {
        let what = "考核单位（units）";
        let DeValue::Array(items) = v.get_ref() else {
            self.push(Some(v.span()), None, None, format!("{what}应为单位代码的列表，如 [\"zhongyuan\", \"erqi\"]"));
            return None;
        };
        let mut codes: Vec<String> = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) if codes.iter().any(|c| c == s.trim()) => {
                    self.push(Some(item.span()), None, Some(s.trim()), format!("{what}中“{}”重复", s.trim()));
                }
                DeValue::String(s) if !s.trim().is_empty() => codes.push(s.trim().to_string()),
                _ => self.push(Some(item.span()), None, None, format!("{what}中的每一项应为单位代码")),
            }
        }
        if codes.is_empty() {
            self.push(Some(v.span()), None, None, format!("{what}不能为空列表（不写则考核全部单位）"));
            return None;
        }
        Some(codes)
    }

    fn indicators(&mut self, v: Option<&Value<'_>>) -> Vec<Indicator> {
        let Some(v) = v else {
            self.push(None, None, None, "方案没有任何指标（[[indicator]]）".into());
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.push(Some(v.span()), None, None, "指标应写成 [[indicator]] 表".into());
            return Vec::new();
        };
        if items.is_empty() {
            self.push(Some(v.span()), None, None, "方案没有任何指标（[[indicator]]）".into());
        }
        let mut out: Vec<Indicator> = Vec::new();
        for (n, item) in items.iter().enumerate() {
            let Some(i) = self.indicator(n + 1, item) else { continue };
            if let Some(first) = out.iter().position(|o| o.code == i.code) {
                self.push(
                    Some(item.span()),
                    Some(&i.code),
                    None,
                    format!("指标 {}：指标代码“{}”与第 {} 个指标重复", i.display(), i.code, first + 1),
                );
            }
            out.push(i);
        }
        out
    }

    /// The `n`th `[[indicator]]`; `None` when it has a problem (recorded).
    fn indicator(&mut self, n: usize, item: &Value<'_>) -> Option<Indicator> {
        let at = item.span();
        let DeValue::Table(t) = item.get_ref() else {
            self.push(Some(at), None, None, format!("第 {n} 个指标应为表（[[indicator]]）"));
            return None;
        };
        let before = self.problems.len();
        let code = t.get("code").and_then(|v| self.text(v, "指标代码（code）", &format!("第 {n} 个指标：")));
        let name = t.get("name").and_then(|v| self.text(v, "指标名称（name）", &format!("第 {n} 个指标：")));
        let label = match (&code, &name) {
            (Some(c), Some(nm)) => indicator_name(c, nm),
            (Some(c), None) => c.clone(),
            _ => format!("第 {n} 个指标"),
        };
        let prefix = format!("指标 {label}：");
        let code_ref = code.as_deref();
        let problem = |r: &mut Self, span: Range<usize>, message: String| {
            r.push(Some(span), code_ref, None, message);
        };
        if let Some(c) = &code
            && !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
        {
            problem(self, at.clone(), format!("{prefix}指标代码只能由英文字母、数字、_ 和 - 组成"));
        }
        for (stray, _) in t.iter().filter(|(k, _)| !INDICATOR_KEYS.contains(&key(k))) {
            problem(self, stray.span(), format!("{prefix}未知的设置项“{}”", stray.get_ref()));
        }
        let required = [
            ("code", "指标代码（code）"),
            ("name", "指标名称（name）"),
            ("group", "指标分组（group）"),
            ("measure", "度量（measure）"),
            ("method", "计分方法（method）"),
            ("weight", "权重（weight）"),
        ];
        for (key, what) in required {
            if t.get(key).is_none() {
                problem(self, at.clone(), format!("{prefix}缺少{what}"));
            }
        }
        let group = t.get("group").and_then(|v| self.text(v, "指标分组（group）", &prefix));
        let known_measures = format!("{}、manual:<代码>", MeasureKind::CODES.join("、"));
        let measure = t
            .get("measure")
            .and_then(|v| self.code(v, ("度量", "measure"), &prefix, code_ref, Measure::parse, &known_measures));
        let method = t.get("method").and_then(|v| {
            self.code(v, ("计分方法", "method"), &prefix, code_ref, Method::parse, &Method::CODES.join("、"))
        });
        let weight = t.get("weight").and_then(|v| self.positive(v, "权重（weight）", &prefix, MAX_POINTS));
        let cap = t.get("cap");
        let points_each = t.get("points_each");
        let lower = t.get("lower_is_better");
        let only = |r: &mut Self, v: Option<&Value<'_>>, key: &str, m: Method| {
            if let (Some(v), Some(method)) = (v, method)
                && method != m
            {
                r.push(
                    Some(v.span()),
                    code_ref,
                    None,
                    format!("{prefix}{key} 只用于 {} 方法，本指标采用 {}", m.code(), method.code()),
                );
            }
        };
        only(self, cap, "cap", Method::RatioToTarget);
        only(self, points_each, "points_each", Method::CountPoints);
        only(self, lower, "lower_is_better", Method::RelativeToBest);
        let cap = match (method, cap) {
            (Some(Method::RatioToTarget), None) => Some(Decimal::ONE),
            (Some(Method::RatioToTarget), Some(v)) => self.positive(v, "封顶系数（cap）", &prefix, MAX_CAP),
            _ => None,
        };
        let points_each = match (method, points_each) {
            (Some(Method::CountPoints), None) => {
                problem(self, at.clone(), format!("{prefix}计次计分法须填写每次分值（points_each），且大于 0"));
                None
            }
            (Some(Method::CountPoints), Some(v)) => self.positive(v, "每次分值（points_each）", &prefix, MAX_POINTS),
            _ => None,
        };
        let lower_is_better = match lower.map(Spanned::get_ref) {
            None => false,
            Some(DeValue::Boolean(b)) => *b,
            Some(other) => {
                let span = lower.map(Spanned::span).unwrap_or_default();
                problem(self, span, format!("{prefix}lower_is_better 应为 true 或 false，而不是{}", kind(other)));
                false
            }
        };
        if self.problems.len() > before {
            self.tag(before, code_ref);
            return None;
        }
        Some(Indicator {
            code: code?,
            name: name?,
            group: group?,
            measure: measure?,
            method: method?,
            weight: weight?,
            cap,
            points_each,
            lower_is_better,
            line: Some(line_of(self.text, at.start)),
        })
    }

    fn targets(&mut self, v: &Value<'_>, indicators: &[Indicator]) -> BTreeMap<String, BTreeMap<String, Decimal>> {
        let mut out = BTreeMap::new();
        let DeValue::Table(t) = v.get_ref() else {
            self.push(Some(v.span()), None, None, "目标（targets）应写成 [targets.<指标代码>] 表".into());
            return out;
        };
        for (name, table) in t.iter() {
            let code = key(name);
            let prefix = match indicators.iter().find(|i| i.code == code) {
                Some(i) if i.method != Method::RatioToTarget => {
                    let message = format!(
                        "指标 {}：采用 {} 方法，不需要目标表 [targets.{code}]（只有 ratio_to_target 需要）",
                        i.display(),
                        i.method.code()
                    );
                    self.push(Some(name.span()), Some(code), None, message);
                    continue;
                }
                Some(i) => format!("指标 {}：", i.display()),
                None if self.problems.iter().any(|p| p.indicator.as_deref() == Some(code)) => continue,
                None => {
                    let message = format!("目标表 [targets.{code}] 没有对应的指标（指标代码“{code}”不存在）");
                    self.push(Some(name.span()), None, None, message);
                    continue;
                }
            };
            let DeValue::Table(units) = table.get_ref() else {
                let message = format!("{prefix}目标表 [targets.{code}] 应为“单位代码 = 目标”的表");
                self.push(Some(table.span()), Some(code), None, message);
                continue;
            };
            let mut row = BTreeMap::new();
            let before = self.problems.len();
            for (unit, value) in units.iter() {
                let unit = key(unit);
                let what = format!("单位 {unit} 的目标值");
                let Some(d) = self.number(value, &what, &prefix, Some(unit)) else { continue };
                if d <= Decimal::ZERO {
                    let message = format!("{prefix}{what}应大于 0，而不是 {d}");
                    self.push(Some(value.span()), Some(code), Some(unit), message);
                    continue;
                }
                row.insert(unit.to_string(), d.normalize());
            }
            self.tag(before, Some(code));
            out.insert(code.to_string(), row);
        }
        out
    }
}

/// A TOML number (or a string holding one) as an exact decimal, from its text.
fn decimal(v: &DeValue<'_>) -> Option<Decimal> {
    match v {
        DeValue::Integer(i) if i.radix() == 10 => Decimal::from_str(i.as_str()).ok(),
        DeValue::Float(f) => {
            let s = f.as_str();
            if s.contains(['e', 'E']) { Decimal::from_scientific(s).ok() } else { Decimal::from_str(s).ok() }
        }
        DeValue::String(s) => {
            let s = s.trim();
            (!s.is_empty() && !s.contains(['e', 'E'])).then(|| Decimal::from_str(s).ok()).flatten()
        }
        _ => None,
    }
}

fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "文字",
        DeValue::Integer(_) | DeValue::Float(_) => "数字",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "日期",
        DeValue::Array(_) => "列表",
        DeValue::Table(_) => "表",
    }
}
