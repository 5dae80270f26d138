//! 运行监测 on the project page (domain.md §4): the expected output, tax and jobs beside what
//! each year achieved, with its 达成率, and the form that records or corrects a year (read by
//! the API's own body, so the page refuses what the API refuses).

use std::collections::BTreeMap;

use axum::response::Response;
use chrono::Datelike;
use domain::fields::OUTCOME;
use domain::outcome::achievement_text;
use serde_json::json;
use store::outcomes::ProjectOutcomes;

use crate::api::outcomes::OutcomeBody;
use crate::auth::perm;
use crate::error::ApiError;
use crate::input::Id;
use crate::ui::agreements::forms_support::{form_errors, parse, text};
use crate::ui::project::detail::again;
use crate::ui::{PageForm, UiResult, fmt, see_other, widgets};

/// One recorded year as the table shows it.
pub struct YearRow {
    pub year: i32,
    pub output: String,
    pub output_rate: String,
    pub tax: String,
    pub tax_rate: String,
    pub jobs: String,
    pub jobs_rate: String,
    pub note: String,
    pub updated_at: String,
}

pub struct OutcomeSection {
    /// The city accepted 投产 or 达产: a year may be recorded.
    pub records: bool,
    pub can_write: bool,
    pub expected_output: String,
    pub expected_tax: String,
    pub expected_jobs: String,
    pub years: Vec<YearRow>,
    /// The years the form offers (the producing year to this one, the latest first).
    pub year_options: Vec<i32>,
    /// The form's values: the year being corrected, or what was posted.
    pub values: BTreeMap<String, String>,
    /// The version of the year in the form, when it is recorded already.
    pub version: String,
}

widgets::form_helpers!(OutcomeSection { f: OUTCOME, v: self.values });

impl OutcomeSection {
    pub fn is_year(&self, y: &i32) -> bool {
        self.v("year") == y.to_string()
    }
}

fn rate(r: Option<&str>) -> String {
    achievement_text(r.and_then(|r| r.parse().ok()))
}

/// The section; `form` holds what was posted (`oc_*`), or only `oc_year` to correct that year.
pub fn section(o: ProjectOutcomes, can_write: bool, form: &BTreeMap<String, String>) -> OutcomeSection {
    let this_year = domain::today_shanghai().year();
    let from = o.producing_on.map_or(this_year, |d| d.year()).min(this_year);
    let year_options: Vec<i32> = (from..=this_year).rev().collect();
    let posted = form.contains_key("oc_output");
    let chosen: Option<i32> = form.get("oc_year").and_then(|y| y.parse().ok());
    let mut values = BTreeMap::new();
    let mut version = String::new();
    if posted {
        for k in ["year", "output", "tax", "jobs", "note"] {
            values.insert(k.to_string(), form.get(&format!("oc_{k}")).cloned().unwrap_or_default());
        }
        version = form.get("oc_version").cloned().unwrap_or_default();
    } else {
        // the year asked for, else the latest year not recorded yet, else the latest (to correct)
        let recorded: Vec<i32> = o.years.iter().map(|y| y.outcome.year).collect();
        let year = chosen
            .or_else(|| year_options.iter().copied().find(|y| !recorded.contains(y)))
            .or_else(|| recorded.first().copied());
        if let Some(y) = year {
            values.insert("year".into(), y.to_string());
        }
        if let Some(r) = o.years.iter().find(|r| Some(r.outcome.year) == year) {
            values.insert("output".into(), r.outcome.output.map(|m| m.to_string()).unwrap_or_default());
            values.insert("tax".into(), r.outcome.tax.map(|m| m.to_string()).unwrap_or_default());
            values.insert("jobs".into(), r.outcome.jobs.map(|j| j.to_string()).unwrap_or_default());
            values.insert("note".into(), r.outcome.note.clone().unwrap_or_default());
            version = r.outcome.version.to_string();
        }
    }
    let wan = |m: Option<domain::Money>| m.map_or_else(|| "—".into(), |m| format!("{} 万元", fmt::money(m)));
    let people = |j: Option<i32>| j.map_or_else(|| "—".into(), |j| format!("{j} 人"));
    let years = o
        .years
        .iter()
        .map(|y| YearRow {
            year: y.outcome.year,
            output: wan(y.outcome.output),
            output_rate: rate(y.output_rate.as_deref()),
            tax: wan(y.outcome.tax),
            tax_rate: rate(y.tax_rate.as_deref()),
            jobs: people(y.outcome.jobs),
            jobs_rate: rate(y.jobs_rate.as_deref()),
            note: y.outcome.note.clone().unwrap_or_default(),
            updated_at: fmt::at(y.outcome.updated_at),
        })
        .collect();
    OutcomeSection {
        records: o.records_outcomes,
        can_write: can_write && o.records_outcomes,
        expected_output: wan(o.expected_output),
        expected_tax: wan(o.expected_tax),
        expected_jobs: people(o.expected_jobs),
        years,
        year_options,
        values,
        version,
    }
}

/// `POST /projects/{id}/outcomes`: record or correct the year of the form.
pub async fn record(Id(id): Id, f: PageForm<perm::ProjectWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let year = form.get("oc_year").trim().parse::<i32>().ok();
    let version = form.get("oc_version").trim().parse::<i32>().ok();
    let body = json!({
        "output": text(&form, "oc_output"),
        "tax": text(&form, "oc_tax"),
        "jobs": text(&form, "oc_jobs"),
        "note": text(&form, "oc_note"),
        "version": version,
    });
    let r = match (year, parse::<OutcomeBody>(body).and_then(OutcomeBody::input)) {
        (None, _) => Err(ApiError::Validation(BTreeMap::from([("year".to_string(), "请选择年度".to_string())]))),
        (Some(y), Ok(input)) => {
            page.store().record_outcome(id, y, input, domain::today_shanghai()).await.map_err(ApiError::from)
        }
        (Some(_), Err(e)) => Err(e),
    };
    match r {
        Ok(_) => Ok(see_other(&format!("/projects/{id}?tab=outcomes&done=outcome"))),
        Err(e) => {
            let (status, errors) = form_errors("oc_", e)?;
            again(page, id, "outcomes", errors, &form, status).await
        }
    }
}
