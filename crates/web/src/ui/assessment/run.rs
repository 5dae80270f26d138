//! One stored run (`/assessment/runs/{id}`): the ranking with each indicator's points under
//! its group, every number a link to the records behind it (`?unit=U&indicator=I`, shown
//! below the table, no script needed), the hashes that identify the run; and two runs
//! compared (`/assessment/compare?a=&b=`).

use askama::Template;
use axum::response::Response;
use domain::assessment::{Assessment, Difference, IndicatorPoints, Measure, MeasureKind, UnitResult};
use rust_decimal::Decimal;
use store::assessment::{Record, StoredRun};

use super::super::{Chrome, Page, UiError, UiResult, render};
use crate::auth::perm;
use crate::input::{Id, QueryMap};

/// A heading over the indicator columns: a group and how many columns it spans.
pub struct GroupHead {
    pub name: String,
    pub span: usize,
}

/// The records behind one number.
pub struct DrillDown {
    pub unit: String,
    pub unit_name: String,
    pub indicator: String,
    pub title: String,
    pub records: Vec<Record>,
    /// The sum of the records' values (an amount or a count; for a rate the numerator).
    pub sum: Decimal,
}

#[derive(Template)]
#[template(path = "assessment/run.html")]
struct RunPage {
    chrome: Chrome,
    run: StoredRun,
    groups: Vec<GroupHead>,
    drill: Option<DrillDown>,
    /// Whether the caller reads every unit's records (a unit user only its own).
    city_wide: bool,
    own_unit: String,
}

/// A measure value as a cell shows it: a rate as a percentage, an amount with separators.
pub fn measure_text(measure: &Measure, v: Decimal) -> String {
    let rate = match measure {
        Measure::Computed(k) => k.is_rate(),
        Measure::Manual(_) => v <= Decimal::ONE && v.scale() > 0,
    };
    if rate {
        let pct = (v * Decimal::ONE_HUNDRED).round_dp(2).normalize();
        return format!("{pct}%");
    }
    let n = v.round_dp(2).normalize();
    match n.to_string().split_once('.') {
        Some((int, frac)) => format!("{}.{frac}", group(int)),
        None => group(&n.to_string()),
    }
}

fn group(int: &str) -> String {
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

impl RunPage {
    fn cell<'a>(&self, r: &'a UnitResult, k: &usize) -> Option<&'a IndicatorPoints> {
        r.indicators.get(*k)
    }
    fn measure_of(&self, k: &usize, v: &Decimal) -> String {
        self.run.assessment.columns.get(*k).map(|c| measure_text(&c.measure, *v)).unwrap_or_default()
    }
    /// May the caller open this unit's records?
    fn opens(&self, r: &UnitResult) -> bool {
        self.city_wide || r.unit.code == self.own_unit
    }
    fn href(&self, unit: &str, indicator: &str) -> String {
        format!("/assessment/runs/{}?unit={unit}&indicator={indicator}#records", self.run.id)
    }
    fn record_href(&self, r: &Record) -> String {
        match (r.entity.as_str(), r.project_id) {
            ("activity", _) => format!("/activities/{}", r.id),
            (_, Some(p)) => format!("/projects/{p}"),
            _ => String::new(),
        }
    }
    fn entity_label(&self, r: &Record) -> &'static str {
        match r.entity.as_str() {
            "project" => "项目",
            "funds_entry" => "资金到位",
            "clause" => "协议条款",
            "problem" => "困难问题",
            "activity" => "招商活动",
            "manual_value" => "人工录入",
            _ => "记录",
        }
    }
    fn when(&self) -> String {
        super::super::fmt::at(self.run.created_at)
    }
    fn value_text(&self, r: &Record) -> String {
        measure_text(&Measure::Computed(MeasureKind::FundsDomestic), r.value)
    }
}

/// The column groups, in order, with their spans.
pub fn groups(a: &Assessment) -> Vec<GroupHead> {
    let mut out: Vec<GroupHead> = Vec::new();
    for c in &a.columns {
        match out.last_mut() {
            Some(g) if g.name == c.group => g.span += 1,
            _ => out.push(GroupHead { name: c.group.clone(), span: 1 }),
        }
    }
    out
}

pub async fn show(page: Page<perm::AssessmentRead>, Id(id): Id, QueryMap(q): QueryMap) -> UiResult<Response> {
    let run = page.store().stored_run(id).await?;
    let drill = match (q.get("unit"), q.get("indicator")) {
        (Some(unit), Some(indicator)) => {
            let records = page.store().run_records(id, unit, indicator).await?;
            let row = run.assessment.results.iter().find(|r| &r.unit.code == unit).ok_or(UiError::NotFound)?;
            let column = run.assessment.columns.iter().find(|c| &c.code == indicator);
            let title = column.map_or_else(|| "实际到位省外资金（并列时比较）".to_string(), |c| c.name.clone());
            let sum = records.iter().map(|r| r.value).sum();
            Some(DrillDown {
                unit: row.unit.code.clone(),
                unit_name: row.unit.name.clone(),
                indicator: indicator.clone(),
                title,
                records,
                sum,
            })
        }
        _ => None,
    };
    let own_unit = page
        .actor
        .unit_id
        .and_then(|u| page.state.store.unit_tree().get(u).map(|u| u.code.clone()))
        .unwrap_or_default();
    let p = RunPage {
        chrome: page.chrome("/assessment"),
        groups: groups(&run.assessment),
        city_wide: page.actor.scope == store::Scope::All,
        run,
        drill,
        own_unit,
    };
    render(&p)
}

#[derive(Template)]
#[template(path = "assessment/compare.html")]
struct ComparePage {
    chrome: Chrome,
    before: StoredRun,
    after: StoredRun,
    differences: Vec<Difference>,
}

impl ComparePage {
    fn text(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_else(|| "—".into())
    }
}

pub async fn compare(page: Page<perm::AssessmentRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let id = |k: &str| q.get(k).and_then(|s| s.trim().parse::<i64>().ok()).ok_or(UiError::NotFound);
    let (a, b) = (id("a")?, id("b")?);
    let before = page.store().stored_run(a).await?;
    let after = page.store().stored_run(b).await?;
    let differences = domain::assessment::compare(&before.assessment, &after.assessment);
    render(&ComparePage { chrome: page.chrome("/assessment"), before, after, differences })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_read_as_users_write_them() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let funds = Measure::Computed(MeasureKind::FundsDomestic);
        assert_eq!(measure_text(&funds, d("1234567.50")), "1,234,567.5");
        assert_eq!(measure_text(&funds, d("90000")), "90,000");
        assert_eq!(measure_text(&Measure::Computed(MeasureKind::StartRate), d("0.6")), "60%");
        assert_eq!(measure_text(&Measure::Computed(MeasureKind::StartRate), d("0.666667")), "66.67%");
        assert_eq!(measure_text(&Measure::Manual("satisfaction".into()), d("0.85")), "85%");
        assert_eq!(measure_text(&Measure::Manual("approval_days".into()), d("12")), "12");
    }
}
