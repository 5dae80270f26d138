//! What the project page's 协议与条款 and 四个一 tabs show (loaded only on those tabs).

use chrono::NaiveDate;
use domain::agreement::fulfilment_text;
use domain::{AgreementKind, ClauseStatus, Obligor, Permission};
use store::Actor;
use store::agreements::{Agreement, Clause};

use crate::AppState;
use crate::ui::four_ones::FourOnesSection;
use crate::ui::widgets::Opt;
use crate::ui::{UiResult, fmt};

/// The rows of the clause table of the new-agreement form.
pub const CLAUSE_ROWS: usize = 5;

pub struct ClauseView {
    pub id: i64,
    pub number: String,
    pub text: String,
    pub obligor: &'static str,
    pub due: String,
    pub due_on: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub status_on: String,
    pub note: String,
    pub overdue: String,
    pub version: i32,
    pub next: Vec<Opt>,
}

pub struct AgreementView {
    pub id: i64,
    pub kind: &'static str,
    pub title: String,
    pub signed_on: String,
    pub parties: String,
    pub amount: String,
    pub rate: String,
    pub is_package: bool,
    pub sub_projects: Vec<i64>,
    pub clauses: Vec<ClauseView>,
}

pub struct AgreementSection {
    pub can_write: bool,
    pub rate: String,
    pub agreements: Vec<AgreementView>,
    pub kinds: Vec<Opt>,
    pub obligors: Vec<Opt>,
    pub rows: Vec<usize>,
}

/// The project page's own part for this slice: one field of the page.
#[derive(Default)]
pub struct Sections {
    pub agreements: Option<AgreementSection>,
    pub four_ones: Option<FourOnesSection>,
}

impl Sections {
    /// The messages of one form's errors (keys `<prefix>…`), for the form to list.
    pub fn errors_of<'a>(&self, errors: &'a std::collections::BTreeMap<String, String>, prefix: &str) -> Vec<&'a str> {
        errors.iter().filter(|(k, _)| k.starts_with(prefix)).map(|(_, v)| v.as_str()).collect()
    }
}

fn status_class(s: &str) -> &'static str {
    match ClauseStatus::parse(s) {
        Some(ClauseStatus::Fulfilled) => "st-done",
        Some(ClauseStatus::Waived) => "st-hold",
        Some(ClauseStatus::Breached) => "st-stop",
        Some(ClauseStatus::InProgress) => "st-started",
        _ => "st-pending",
    }
}

fn clause_view(c: &Clause, today: NaiveDate) -> ClauseView {
    let mut due = vec![];
    if let Some(a) = c.due_amount {
        due.push(format!("{} 万元", fmt::money(a)));
    }
    if let Some(a) = c.due_area {
        due.push(format!("{} 亩", fmt::money(a)));
    }
    ClauseView {
        id: c.id,
        number: c.number.clone(),
        text: c.text.clone(),
        obligor: c.obligor_label(),
        due: due.join("，"),
        due_on: fmt::date_opt(c.due_on),
        status: c.status_label(),
        status_class: status_class(&c.status),
        status_on: fmt::date_opt(c.status_on),
        note: c.note.clone().unwrap_or_default(),
        overdue: c.fact().days_overdue(today).map(|n| format!("逾期 {n} 天")).unwrap_or_default(),
        version: c.version,
        next: c
            .next()
            .iter()
            .map(|s| Opt { value: s.code().into(), label: s.label().into(), selected: false })
            .collect(),
    }
}

fn view(a: &Agreement, today: NaiveDate) -> AgreementView {
    AgreementView {
        id: a.id,
        kind: a.kind_label(),
        title: a.title.clone(),
        signed_on: fmt::date_opt(a.signed_on),
        parties: a.parties.join("、"),
        amount: a.amount.map(|m| format!("{} 万元", fmt::money(m))).unwrap_or_else(|| "—".into()),
        rate: fulfilment_text(a.rate(today)),
        is_package: AgreementKind::parse(&a.kind).is_some_and(AgreementKind::takes_sub_projects),
        sub_projects: a.sub_project_ids.clone(),
        clauses: a.clauses.iter().map(|c| clause_view(c, today)).collect(),
    }
}

fn vocab<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<Opt> {
    all.iter().map(|k| Opt { value: code(*k).into(), label: label(*k).into(), selected: false }).collect()
}

/// The sections of the tab shown (`agreements` or `four_ones`); nothing on other tabs.
pub async fn sections(s: &AppState, actor: &Actor, id: i64, tab: &str, live: bool) -> UiResult<Sections> {
    let today = domain::today_shanghai();
    let scoped = s.store.scoped(actor);
    let can_write = live && domain::access::has_permission(&actor.roles, Permission::ProjectWrite);
    let mut out = Sections::default();
    match tab {
        "agreements" => {
            let list = scoped.list_agreements(id, today).await?;
            out.agreements = Some(AgreementSection {
                can_write,
                rate: fulfilment_text(list.rate),
                agreements: list.agreements.iter().map(|a| view(a, today)).collect(),
                kinds: vocab(AgreementKind::ALL, AgreementKind::code, AgreementKind::label),
                obligors: vocab(Obligor::ALL, Obligor::code, Obligor::label),
                rows: (0..CLAUSE_ROWS).collect(),
            });
        }
        "four_ones" => out.four_ones = Some(crate::ui::four_ones::section(s, actor, id, can_write, today).await?),
        _ => {}
    }
    Ok(out)
}
