//! 招商大使/顾问/中介机构 pages (issue 12): the list of the caller's appointments with the 登记
//! form; a record's page with its leads (and the form adding more), its payouts (and, for a
//! paid intermediary, the form paying on a lead whose agreed stage the city accepted) and
//! the edit form. Every form posts through the API's own body, so the page refuses what the
//! API refuses.

use std::collections::BTreeMap;

use askama::Template;
use axum::response::Response;
use domain::Permission;
use domain::ambassador::{AmbassadorKind, is_result_stage};
use domain::fields::{AMBASSADOR, Field, PAYOUT};
use serde_json::{Map, Value};
use store::ambassadors::{Ambassador, AmbassadorFilter};

use super::agreements::forms_support::{form_errors, parse, respond, submit, text};
use super::project::{opts, own_unit_first, unit_opts};
use super::widgets::{Opt, Pager, field, form_helpers, pager, query_of};
use super::{Chrome, FormData, Page, PageForm, UiResult, render, render_status, see_other};
use crate::api::ambassadors::{AmbassadorBody, ambassador_input, leads_input, payout_input};
use crate::auth::perm;
use crate::error::ApiError;
use crate::input::{Id, QueryMap};

const PER_PAGE: u64 = 50;

/// The fields of the appointment form, in the order the form shows them.
const FORM_FIELDS: [&str; 13] = [
    "name",
    "kind",
    "organisation",
    "contact",
    "phone",
    "unit",
    "appointed_from",
    "appointed_to",
    "paid",
    "fee_terms",
    "fee_stage",
    "fee_amount",
    "notes",
];

/// An appointment as a list row shows it.
pub struct AmbassadorRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub organisation: String,
    pub unit: String,
    pub period: String,
    pub in_office: bool,
    pub leads: usize,
    pub paid: String,
}

fn period(a: &Ambassador) -> String {
    match a.appointed_to {
        Some(to) => format!("{} 至 {}", a.appointed_from, to),
        None => format!("{} 起", a.appointed_from),
    }
}

impl From<&Ambassador> for AmbassadorRow {
    fn from(a: &Ambassador) -> Self {
        AmbassadorRow {
            id: a.id,
            name: a.name.clone(),
            kind: a.kind_label.clone(),
            organisation: a.organisation.clone().unwrap_or_default(),
            unit: a.unit_name.clone(),
            period: period(a),
            in_office: a.in_office,
            leads: a.leads.len(),
            paid: if a.paid {
                format!("按实绩付费 · 已付 {} 万元", a.paid_total)
            } else {
                "不付费".into()
            },
        }
    }
}

fn kind_opts(current: &str) -> Vec<Opt> {
    opts(AmbassadorKind::ALL.iter().map(|k| (k.code().to_string(), k.label().to_string())), current)
}

fn fee_stage_opts(current: &str) -> Vec<Opt> {
    let stages = domain::stage::ACTIVE.iter().filter(|s| is_result_stage(**s));
    opts(stages.map(|s| (s.code().to_string(), s.label().to_string())), current)
}

/// The appointment form's values and choices (the list's 登记 form, the record's edit form).
pub struct AppointmentForm {
    pub kinds: Vec<Opt>,
    pub units: Vec<Opt>,
    pub fee_stages: Vec<Opt>,
    pub v: BTreeMap<String, String>,
    pub errors: BTreeMap<String, String>,
}

impl AppointmentForm {
    fn new<P: crate::auth::Perm>(
        page: &Page<P>,
        v: BTreeMap<String, String>,
        errors: BTreeMap<String, String>,
    ) -> Self {
        let get = |k: &str| v.get(k).map_or("", String::as_str).to_string();
        AppointmentForm {
            kinds: kind_opts(&get("kind")),
            units: unit_opts(&page.state, &page.actor, &get("unit")),
            fee_stages: fee_stage_opts(&get("fee_stage")),
            v,
            errors,
        }
    }
}

form_helpers!(AppointmentForm { f: AMBASSADOR, fv: self.v });

#[derive(Template)]
#[template(path = "ambassadors/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<AmbassadorRow>,
    pager: Pager,
    kind_filter: Vec<Opt>,
    unit_filter: Vec<Opt>,
    in_office: bool,
    can_write: bool,
    form: AppointmentForm,
    notice: &'static str,
}

async fn list_page(
    page: &Page<perm::AmbassadorRead>,
    q: &BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    mut v: BTreeMap<String, String>,
) -> UiResult<ListPage> {
    let get = |k: &str| q.get(k).map_or("", |v| v.trim());
    let n = get("page").parse::<u64>().unwrap_or(1).max(1);
    let unit = Some(get("unit").to_string()).filter(|u| !u.is_empty());
    let in_office = get("in_office") == "true";
    let f = AmbassadorFilter { unit, kind: AmbassadorKind::parse(get("kind")), in_office, page: n, per_page: PER_PAGE };
    let list = page.store().list_ambassadors(&f).await?;
    v.entry("appointed_from".into()).or_insert_with(|| domain::today_shanghai().to_string());
    own_unit_first(&page.state, &page.actor, &mut v);
    Ok(ListPage {
        chrome: page.chrome("/ambassadors"),
        pager: pager(
            "/ambassadors",
            &query_of(q, &["kind", "unit", "in_office"]),
            n,
            PER_PAGE,
            list.total,
            list.items.len(),
        ),
        rows: list.items.iter().map(AmbassadorRow::from).collect(),
        kind_filter: kind_opts(get("kind")),
        unit_filter: unit_opts(&page.state, &page.actor, get("unit")),
        in_office,
        can_write: page.can(Permission::AmbassadorWrite),
        form: AppointmentForm::new(page, v, errors),
        notice: "",
    })
}

/// 招商大使/顾问/中介机构: the caller's (a unit its own, the city every unit's).
pub async fn list(page: Page<perm::AmbassadorRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    render(&list_page(&page, &q, BTreeMap::new(), BTreeMap::new()).await?)
}

/// The appointment form as the API's body: the checkbox a JSON boolean, blanks null.
fn appointment_body(form: &FormData) -> Map<String, Value> {
    let mut body = Map::new();
    for k in FORM_FIELDS {
        let v = match (k, form.get(k).trim()) {
            ("paid", v) => Value::Bool(v == "true"),
            (_, "") => Value::Null,
            (_, v) => Value::String(v.into()),
        };
        body.insert(k.into(), v);
    }
    body
}

/// `POST /ambassadors`: a new appointment, then its page.
pub async fn create(f: PageForm<perm::AmbassadorWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let r = submit(Value::Object(appointment_body(&form)), ambassador_input, async |(input, leads, _)| {
        page.store().create_ambassador(input, leads).await
    })
    .await;
    respond(
        r,
        "",
        |a| format!("/ambassadors/{}?done=created", a.id),
        async |errors| {
            list_page(&page.reading::<perm::AmbassadorRead>()?, &BTreeMap::new(), errors, form.values()).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "ambassadors/detail.html")]
struct DetailPage {
    chrome: Chrome,
    a: Ambassador,
    row: AmbassadorRow,
    fee_stage: String,
    can_write: bool,
    /// The unit's targets and projects not yet its leads.
    target_opts: Vec<Opt>,
    project_opts: Vec<Opt>,
    /// The leads it may be paid on now.
    payable: Vec<Opt>,
    payout: BTreeMap<String, String>,
    edit: AppointmentForm,
    errors: BTreeMap<String, String>,
    notice: &'static str,
}

form_helpers!(DetailPage { f: AMBASSADOR, pv: self.payout });

impl DetailPage {
    fn pf(&self, code: &str) -> &'static Field {
        field(&PAYOUT, code)
    }
}

/// What a detail page re-renders after a refused form: its errors and what was typed.
#[derive(Default)]
struct Typed {
    errors: BTreeMap<String, String>,
    payout: BTreeMap<String, String>,
    edit: Option<BTreeMap<String, String>>,
}

fn record_values(a: &Ambassador) -> BTreeMap<String, String> {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    BTreeMap::from([
        ("name".into(), a.name.clone()),
        ("kind".into(), a.kind.clone()),
        ("organisation".into(), o(&a.organisation)),
        ("contact".into(), o(&a.contact)),
        ("phone".into(), if a.phone_masked { String::new() } else { o(&a.phone) }),
        ("unit".into(), a.unit.clone()),
        ("appointed_from".into(), a.appointed_from.to_string()),
        ("appointed_to".into(), a.appointed_to.map(|d| d.to_string()).unwrap_or_default()),
        ("paid".into(), a.paid.to_string()),
        ("fee_terms".into(), o(&a.fee_terms)),
        ("fee_stage".into(), o(&a.fee_stage)),
        ("fee_amount".into(), a.fee_amount.map(|m| m.to_string()).unwrap_or_default()),
        ("notes".into(), o(&a.notes)),
        ("version".into(), a.version.to_string()),
    ])
}

async fn detail_page(
    page: &Page<perm::AmbassadorRead>,
    id: i64,
    typed: Typed,
    notice: &'static str,
) -> UiResult<DetailPage> {
    let s = page.store();
    let a = s.get_ambassador(id).await?;
    let can_write = page.can(Permission::AmbassadorWrite);
    let has = |entity: &str, id: i64| a.leads.iter().any(|l| l.entity == entity && l.id == id);
    let (mut target_opts, mut project_opts) = (vec![], vec![]);
    if can_write {
        if page.can(Permission::TargetRead) {
            let tf = store::targets::TargetFilter { unit: Some(a.unit.clone()), per_page: 500, ..Default::default() };
            for t in s.list_targets(&tf).await?.items.into_iter().filter(|t| !has("target", t.id)) {
                target_opts.push(Opt { value: t.id.to_string(), label: t.company_name, selected: false });
            }
        }
        let pf = store::projects::ProjectFilter { unit: Some(a.unit.clone()), per_page: 500, ..Default::default() };
        for p in s.list_projects(&pf).await?.items.into_iter().filter(|p| !has("project", p.id)) {
            project_opts.push(Opt { value: p.id.to_string(), label: p.name, selected: false });
        }
    }
    let mut payout = typed.payout;
    payout.entry("paid_on".into()).or_insert_with(|| domain::today_shanghai().to_string());
    if let Some(m) = a.fee_amount {
        payout.entry("amount".into()).or_insert_with(|| m.to_string());
    }
    let chosen = payout.get("project_id").cloned().unwrap_or_default();
    let payable = a
        .leads
        .iter()
        .filter(|l| l.payable)
        .map(|l| Opt { selected: l.id.to_string() == chosen, value: l.id.to_string(), label: l.name.clone() })
        .collect();
    let edit = AppointmentForm::new(page, typed.edit.unwrap_or_else(|| record_values(&a)), typed.errors.clone());
    Ok(DetailPage {
        chrome: page.chrome("/ambassadors"),
        row: AmbassadorRow::from(&a),
        fee_stage: a.fee_stage.as_deref().and_then(domain::Stage::parse).map_or("", |s| s.label()).to_string(),
        can_write,
        target_opts,
        project_opts,
        payable,
        payout,
        edit,
        errors: typed.errors,
        notice,
        a,
    })
}

/// A record's page.
pub async fn detail(page: Page<perm::AmbassadorRead>, Id(id): Id, QueryMap(q): QueryMap) -> UiResult<Response> {
    let notice = match q.get("done").map(String::as_str) {
        Some("created") => "已登记。可在下方添加引荐线索。",
        Some("updated") => "已保存。",
        Some("leads") => "引荐线索已添加。",
        Some("paid") => "付费已登记。",
        _ => "",
    };
    render(&detail_page(&page, id, Typed::default(), notice).await?)
}

/// After a refused form: the page again with the errors beside that form's fields.
async fn again(page: PageForm<perm::AmbassadorWrite>, id: i64, e: ApiError, typed: Typed) -> UiResult<Response> {
    let (status, errors) = form_errors("", e)?;
    let read = page.page.reading::<perm::AmbassadorRead>()?;
    render_status(status, &detail_page(&read, id, Typed { errors, ..typed }, "").await?)
}

/// `POST /ambassadors/{id}`: the edited appointment.
pub async fn update(Id(id): Id, f: PageForm<perm::AmbassadorWrite>) -> UiResult<Response> {
    let mut body = appointment_body(&f.form);
    body.insert("version".into(), f.form.get("version").trim().parse::<i32>().map_or(Value::Null, Value::from));
    let r = match parse::<AmbassadorBody>(Value::Object(body)).and_then(ambassador_input) {
        Ok((input, _, Some(v))) => f.page.store().update_ambassador(id, input, v).await.map_err(ApiError::from),
        Ok(_) => Err(ApiError::field("version", "请刷新页面后重试")),
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => Ok(see_other(&format!("/ambassadors/{id}?done=updated"))),
        Err(e) => {
            let edit = Some(f.form.values());
            again(f, id, e, Typed { edit, ..Default::default() }).await
        }
    }
}

/// `POST /ambassadors/{id}/leads`.
pub async fn add_leads(Id(id): Id, f: PageForm<perm::AmbassadorWrite>) -> UiResult<Response> {
    let body = Map::from_iter([
        ("target_ids".into(), f.form.ids("target_ids")),
        ("project_ids".into(), f.form.ids("project_ids")),
    ]);
    let r =
        submit(Value::Object(body), leads_input, async |leads| f.page.store().add_ambassador_leads(id, leads).await)
            .await;
    match r {
        Ok(_) => Ok(see_other(&format!("/ambassadors/{id}?done=leads"))),
        Err(e) => again(f, id, e, Typed::default()).await,
    }
}

/// `POST /ambassadors/{id}/payouts`.
pub async fn payout(Id(id): Id, f: PageForm<perm::AmbassadorWrite>) -> UiResult<Response> {
    let mut body = Map::new();
    for k in ["amount", "paid_on", "note"] {
        body.insert(k.into(), text(&f.form, k));
    }
    body.insert("project_id".into(), f.form.get("project_id").trim().parse::<i64>().map_or(Value::Null, Value::from));
    let r = submit(Value::Object(body), payout_input, async |input| {
        f.page.store().record_payout(id, input, domain::today_shanghai()).await
    })
    .await;
    match r {
        Ok(_) => Ok(see_other(&format!("/ambassadors/{id}?done=paid"))),
        Err(e) => {
            let payout = f.form.values();
            again(f, id, e, Typed { payout, ..Default::default() }).await
        }
    }
}
