//! 投资咨询 pages (issue 12): the list of the caller's inquiries with the 登记 form, the
//! unanswered first by deadline; an inquiry's page with the answer form. Every form posts
//! through the API's own body, so the page refuses what the API refuses.

use std::collections::BTreeMap;

use askama::Template;
use axum::response::Response;
use domain::Permission;
use domain::fields::INQUIRY;
use serde_json::{Value, json};
use store::inquiries::{Inquiry, InquiryFilter, InquiryShow};

use super::agreements::forms_support::{respond, submit, text};
use super::project::{industry_name, industry_opts, opts, own_unit_first, unit_opts};
use super::widgets::{Opt, Pager, form_helpers, pager, query_of};
use super::{Chrome, Page, PageForm, UiResult, fmt, render};
use crate::api::inquiries::{InquiryBody, answer_input, inquiry_input};
use crate::auth::perm;
use crate::input::{Id, QueryMap};

const PER_PAGE: u64 = 50;

/// An inquiry as a list row shows it.
pub struct InquiryRow {
    pub id: i64,
    pub received: String,
    pub company: String,
    pub interest: String,
    pub unit: String,
    pub respond_by: String,
    pub state: String,
    pub state_class: &'static str,
}

fn state_of(i: &Inquiry) -> (String, &'static str) {
    match (i.state.as_str(), i.overdue_working_days) {
        ("waiting", Some(n)) => (format!("逾期 {n} 个工作日"), "st-stop"),
        ("waiting", None) => ("待答复".into(), "st-pending"),
        ("answered_late", _) => ("逾期答复".into(), "st-pending"),
        _ => ("已答复".into(), "st-done"),
    }
}

/// The first `n` characters, with an ellipsis when cut.
fn excerpt(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

impl From<&Inquiry> for InquiryRow {
    fn from(i: &Inquiry) -> Self {
        let (state, state_class) = state_of(i);
        InquiryRow {
            id: i.id,
            received: i.received_at.to_string(),
            company: i.company_name.clone(),
            interest: excerpt(&i.interest, 40),
            unit: i.unit_name.clone(),
            respond_by: i.respond_by.to_string(),
            state,
            state_class,
        }
    }
}

#[derive(Template)]
#[template(path = "inquiries/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<InquiryRow>,
    pager: Pager,
    states: Vec<Opt>,
    unit_filter: Vec<Opt>,
    can_write: bool,
    units: Vec<Opt>,
    industries: Vec<Opt>,
    errors: BTreeMap<String, String>,
    form: BTreeMap<String, String>,
    notice: &'static str,
}

form_helpers!(ListPage { f: INQUIRY, fv: self.form });

async fn list_page(
    page: &Page<perm::InquiryRead>,
    q: &BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    mut form: BTreeMap<String, String>,
) -> UiResult<ListPage> {
    let get = |k: &str| q.get(k).map_or("", |v| v.trim());
    let n = get("page").parse::<u64>().unwrap_or(1).max(1);
    let unit = Some(get("unit").to_string()).filter(|u| !u.is_empty());
    let f = InquiryFilter { unit: unit.clone(), show: InquiryShow::parse(get("state")), page: n, per_page: PER_PAGE };
    let list = page.store().list_inquiries(&f).await?;
    let states = [("waiting", "待答复"), ("overdue", "已逾期未答复"), ("answered", "已答复")];
    form.entry("received_at".into()).or_insert_with(|| domain::today_shanghai().to_string());
    own_unit_first(&page.state, &page.actor, &mut form);
    let fv = |k: &str| form.get(k).map_or("", String::as_str).to_string();
    Ok(ListPage {
        chrome: page.chrome("/inquiries"),
        pager: pager("/inquiries", &query_of(q, &["state", "unit"]), n, PER_PAGE, list.total, list.items.len()),
        rows: list.items.iter().map(InquiryRow::from).collect(),
        states: opts(states.iter().map(|(c, l)| (c.to_string(), l.to_string())), get("state")),
        unit_filter: unit_opts(&page.state, &page.actor, get("unit")),
        can_write: page.can(Permission::InquiryWrite),
        units: unit_opts(&page.state, &page.actor, &fv("unit")),
        industries: industry_opts(&fv("industry")),
        errors,
        form,
        notice: if q.contains_key("done") { "投资咨询已登记。" } else { "" },
    })
}

/// 投资咨询: the caller's inquiries (a unit its own, the city every unit's).
pub async fn list(page: Page<perm::InquiryRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    render(&list_page(&page, &q, BTreeMap::new(), BTreeMap::new()).await?)
}

/// `POST /inquiries`: a new inquiry, then its page.
pub async fn create(f: PageForm<perm::InquiryWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let mut body = serde_json::Map::new();
    for k in ["company_name", "contact", "phone", "interest", "industry", "region", "unit", "received_at"] {
        body.insert(k.into(), text(&form, k));
    }
    let today = domain::today_shanghai();
    let r = submit(
        Value::Object(body),
        |b: InquiryBody| inquiry_input(b, today),
        async |input| page.store().create_inquiry(input, today).await,
    )
    .await;
    respond(
        r,
        "",
        |i| format!("/inquiries/{}?done=created", i.id),
        async |errors| list_page(&page.reading::<perm::InquiryRead>()?, &BTreeMap::new(), errors, form.values()).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "inquiries/detail.html")]
struct DetailPage {
    chrome: Chrome,
    i: Inquiry,
    row: InquiryRow,
    industry: String,
    answered_at: String,
    can_answer: bool,
    errors: BTreeMap<String, String>,
    answer: String,
    notice: &'static str,
}

form_helpers!(DetailPage { f: INQUIRY });

async fn detail_page(
    page: &Page<perm::InquiryRead>,
    id: i64,
    errors: BTreeMap<String, String>,
    answer: String,
    notice: &'static str,
) -> UiResult<DetailPage> {
    let i = page.store().get_inquiry(id).await?;
    Ok(DetailPage {
        chrome: page.chrome("/inquiries"),
        row: InquiryRow::from(&i),
        industry: i.industry.as_deref().map(industry_name).unwrap_or_default(),
        answered_at: i.answered_at.map(fmt::at).unwrap_or_default(),
        can_answer: page.can(Permission::InquiryWrite) && i.answered_at.is_none(),
        errors,
        answer,
        notice,
        i,
    })
}

/// An inquiry's page.
pub async fn detail(page: Page<perm::InquiryRead>, Id(id): Id, QueryMap(q): QueryMap) -> UiResult<Response> {
    let notice = match q.get("done").map(String::as_str) {
        Some("created") => "投资咨询已登记，请在答复时限内答复。",
        Some("answered") => "答复已记录。",
        _ => "",
    };
    render(&detail_page(&page, id, BTreeMap::new(), String::new(), notice).await?)
}

/// `POST /inquiries/{id}/answer`.
pub async fn answer(Id(id): Id, f: PageForm<perm::InquiryWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let version = form.get("version").trim().parse::<i32>().map_or(Value::Null, Value::from);
    let body = json!({"answer": text(&form, "answer"), "version": version});
    let r = submit(body, answer_input, async |(a, v)| page.store().answer_inquiry(id, a, v).await).await;
    respond(
        r,
        "",
        |_| format!("/inquiries/{id}?done=answered"),
        async |errors| {
            detail_page(&page.reading::<perm::InquiryRead>()?, id, errors, form.get("answer").to_string(), "").await
        },
    )
    .await
}
