//! 评分录入 (`/assessment/inputs?from=&to=`): city_admin enters, for a period, the manual
//! measures (`manual:<code>`, with their source) and the 加分/扣分 entries (with their
//! reason) that a run of a scheme over exactly that period reads; an entry withdrawn stays on
//! record (audited) and stops counting.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use domain::fields::{ADJUSTMENT, MANUAL_VALUE};
use store::assessment::{AdjustmentEntry, AdjustmentInput, ManualValue, ManualValueInput};

use super::super::widgets::{Opt, field};
use super::super::{Chrome, FormData, Page, PageForm, UiResult, render_status, see_other};
use crate::auth::{Perm, perm};
use crate::input::{Id, QueryMap, parse_date};

#[derive(Template)]
#[template(path = "assessment/inputs.html")]
struct InputsPage {
    chrome: Chrome,
    from: NaiveDate,
    to: NaiveDate,
    units: Vec<Opt>,
    kinds: Vec<Opt>,
    manual: Vec<ManualValue>,
    adjustments: Vec<AdjustmentEntry>,
    /// The form shown again, and its errors: `manual` or `adjustment`.
    form: FormData,
    which: &'static str,
    errors: BTreeMap<String, String>,
    message: String,
}

impl InputsPage {
    fn value(&self, which: &str, k: &str) -> String {
        if self.which == which { self.form.get(k).to_string() } else { String::new() }
    }
    fn errors_of(&self, which: &str) -> BTreeMap<String, String> {
        if self.which == which { self.errors.clone() } else { BTreeMap::new() }
    }
    fn mf(&self, code: &str) -> &'static domain::fields::Field {
        field(&MANUAL_VALUE, code)
    }
    fn af(&self, code: &str) -> &'static domain::fields::Field {
        field(&ADJUSTMENT, code)
    }
    fn at(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        super::super::fmt::at(*t)
    }
}

/// `?from=&to=`, this year by default.
fn period_of(q: &BTreeMap<String, String>) -> (NaiveDate, NaiveDate) {
    let year = domain::today_shanghai().year();
    let d = |k: &str, m, day| {
        q.get(k).and_then(|s| parse_date(s)).or_else(|| NaiveDate::from_ymd_opt(year, m, day)).unwrap_or_default()
    };
    (d("from", 1, 1), d("to", 12, 31))
}

async fn show<P: Perm>(
    page: &Page<P>,
    status: StatusCode,
    (from, to): (NaiveDate, NaiveDate),
    (which, form, errors): (&'static str, FormData, BTreeMap<String, String>),
    message: String,
) -> UiResult<Response> {
    let tree = page.state.store.unit_tree();
    let chosen = if which == "manual" || which == "adjustment" { form.get("unit").to_string() } else { String::new() };
    let units = store::assessment::assessable_units(&tree)
        .into_iter()
        .map(|u| Opt { selected: u.code == chosen, value: u.code, label: u.name })
        .collect();
    let kinds = domain::assessment::AdjustmentKind::TABLE
        .iter()
        .map(|(code, label)| Opt { selected: form.get("kind") == *code, value: (*code).into(), label: (*label).into() })
        .collect();
    let p = InputsPage {
        chrome: page.chrome("/assessment/inputs"),
        from,
        to,
        units,
        kinds,
        manual: page.store().manual_values(from, to).await?,
        adjustments: page.store().adjustments(from, to).await?,
        form,
        which,
        errors,
        message,
    };
    render_status(status, &p)
}

pub async fn page(page: Page<perm::AssessmentManage>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let message = if q.contains_key("done") { "已保存。".to_string() } else { String::new() };
    show(&page, StatusCode::OK, period_of(&q), ("", FormData::default(), BTreeMap::new()), message).await
}

/// The form's period and a field's date, or the error under it.
fn date(form: &FormData, k: &str, errors: &mut BTreeMap<String, String>) -> NaiveDate {
    match parse_date(form.get(k)) {
        Some(d) => d,
        None => {
            errors.insert(k.into(), "日期格式应为 YYYY-MM-DD".into());
            NaiveDate::default()
        }
    }
}

fn decimal(form: &FormData, k: &str, errors: &mut BTreeMap<String, String>) -> rust_decimal::Decimal {
    match form.get(k).trim().parse() {
        Ok(v) => v,
        Err(_) => {
            errors.insert(k.into(), "应为数值，如 0.85".into());
            rust_decimal::Decimal::ZERO
        }
    }
}

async fn refused<P: Perm>(
    page: &Page<P>,
    which: &'static str,
    form: FormData,
    e: store::StoreError,
    mut errors: BTreeMap<String, String>,
) -> UiResult<Response> {
    match e {
        store::StoreError::Validation(f) => {
            for f in f {
                errors.entry(f.field).or_insert(f.message);
            }
        }
        other => return Err(other.into()),
    }
    let period = (parse_date(form.get("from")).unwrap_or_default(), parse_date(form.get("to")).unwrap_or_default());
    show(page, StatusCode::UNPROCESSABLE_ENTITY, period, (which, form, errors), String::new()).await
}

/// `which` form's record written when none of its fields was bad, then back to the period's
/// inputs; refused, the page again with the errors beside that form's fields.
async fn save<P: Perm, T>(
    page: &Page<P>,
    which: &'static str,
    form: FormData,
    errors: BTreeMap<String, String>,
    period: &str,
    write: impl AsyncFnOnce() -> store::Result<T>,
) -> UiResult<Response> {
    if !errors.is_empty() {
        return refused(page, which, form, store::StoreError::Validation(vec![]), errors).await;
    }
    match write().await {
        Ok(_) => Ok(see_other(&format!("/assessment/inputs?{period}&done=1"))),
        Err(e) => refused(page, which, form, e, errors).await,
    }
}

pub async fn set_manual(f: PageForm<perm::AssessmentManage>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let mut errors = BTreeMap::new();
    let input = ManualValueInput {
        unit: form.get("unit").into(),
        measure: form.get("measure").into(),
        from: date(&form, "from", &mut errors),
        to: date(&form, "to", &mut errors),
        value: decimal(&form, "value", &mut errors),
        source: form.get("source").into(),
    };
    let period = format!("from={}&to={}", input.from, input.to);
    save(&page, "manual", form, errors, &period, async || page.store().set_manual_value(input).await).await
}

pub async fn add_adjustment(f: PageForm<perm::AssessmentManage>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let mut errors = BTreeMap::new();
    let input = AdjustmentInput {
        unit: form.get("unit").into(),
        from: date(&form, "from", &mut errors),
        to: date(&form, "to", &mut errors),
        kind: form.get("kind").into(),
        points: decimal(&form, "points", &mut errors),
        reason: form.get("reason").into(),
    };
    let period = format!("from={}&to={}", input.from, input.to);
    save(&page, "adjustment", form, errors, &period, async || page.store().add_adjustment(input).await).await
}

pub async fn remove_adjustment(Id(id): Id, f: PageForm<perm::AssessmentManage>) -> UiResult<Response> {
    let PageForm { page, .. } = f;
    let entry = page.store().remove_adjustment(id).await?;
    Ok(see_other(&format!("/assessment/inputs?from={}&to={}&done=1", entry.from, entry.to)))
}
