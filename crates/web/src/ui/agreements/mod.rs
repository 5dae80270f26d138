//! 协议与条款 on the project page (the agreements with their clauses, 履约率, the forms to
//! add an agreement and to move a clause) and the 协议履约 page (clauses due within 30 days
//! and overdue, by unit, in scope).

mod forms;
mod section;

/// The form helpers the 四个一 forms share.
pub(crate) mod forms_support {
    pub(crate) use super::forms::{form_errors, parse, respond, submit, text};
}

pub use forms::{create_agreement, update_clause};
pub use section::{AgreementSection, ClauseView, Sections, sections};

use askama::Template;
use axum::response::Response;

use crate::auth::perm;
use crate::ui::{Chrome, Page, UiResult, fmt, render};

/// How far ahead the 协议履约 page looks.
pub const DUE_WITHIN_DAYS: u32 = 30;

pub struct DueRow {
    pub project_id: i64,
    pub project_name: String,
    pub agreement: String,
    pub number: String,
    pub text: String,
    pub obligor: &'static str,
    pub due_on: String,
    pub status: &'static str,
    pub days: String,
}

pub struct UnitBlock {
    /// The anchor of its section (`u-<unit id>`), linked from the summary table.
    pub anchor: String,
    pub unit_name: String,
    pub rate: String,
    /// 已逾期, then 即将到期.
    pub groups: Vec<(&'static str, Vec<DueRow>)>,
}

#[derive(Template)]
#[template(path = "agreements/list.html")]
struct DuePage {
    chrome: Chrome,
    units: Vec<UnitBlock>,
    days: u32,
    today: String,
}

fn row(d: store::agreements::DueClause, today: chrono::NaiveDate) -> DueRow {
    let days = match d.days_overdue {
        Some(n) => format!("逾期 {n} 天"),
        None => d.clause.due_on.map(|due| format!("{} 天后到期", (due - today).num_days())).unwrap_or_default(),
    };
    DueRow {
        project_id: d.clause.project_id,
        project_name: d.project_name,
        agreement: d.agreement_title,
        number: d.clause.number.clone(),
        text: d.clause.text.clone(),
        obligor: d.clause.obligor_label(),
        due_on: fmt::date_opt(d.clause.due_on),
        status: d.clause.status_label(),
        days,
    }
}

/// 协议履约: every unit in scope with clauses, its 履约率, what is overdue and what falls due.
pub async fn page(page: Page<perm::ProjectRead>) -> UiResult<Response> {
    let today = domain::today_shanghai();
    let units = page
        .store()
        .clauses_by_unit(today, DUE_WITHIN_DAYS)
        .await?
        .into_iter()
        .map(|u| UnitBlock {
            anchor: format!("u-{}", u.unit_id),
            unit_name: u.unit_name,
            rate: domain::agreement::fulfilment_text(u.rate),
            groups: vec![
                ("已逾期", u.overdue.into_iter().map(|d| row(d, today)).collect()),
                ("即将到期", u.due_soon.into_iter().map(|d| row(d, today)).collect()),
            ],
        })
        .collect();
    render(&DuePage { chrome: page.chrome("/agreements"), units, days: DUE_WITHIN_DAYS, today: today.to_string() })
}
