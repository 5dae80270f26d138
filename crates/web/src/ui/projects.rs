//! 项目台账, 项目详情 (tabs), 新建/编辑, 推进阶段 and 到位资金 entry.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::{Category, Permission, Stage};
use store::projects::{Project, ProjectFilter, SortField, TransitionInput};

use super::{Chrome, FormData, Page, PageForm, UiError, UiResult, fmt, render, render_status, see_other};
use crate::AppState;
use crate::auth::perm;
use crate::error::ApiError;
use crate::input::Id;

/// A choice in a `<select>`.
#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn opts(items: impl IntoIterator<Item = (String, String)>, current: &str) -> Vec<Opt> {
    items.into_iter().map(|(value, label)| Opt { selected: value == current, value, label }).collect()
}

/// The units a filter or form may name: the caller's own subtree for a unit user (not the
/// parents the unit tree shows them for context), every unit otherwise.
pub fn unit_opts(s: &AppState, page_actor: &store::Actor, current: &str) -> Vec<Opt> {
    let tree = s.store.unit_tree();
    let mine = |id: i64| match &page_actor.scope {
        store::Scope::Units(ids) => ids.binary_search(&id).is_ok(),
        _ => true,
    };
    // a department's tasks may lie in any unit: it filters by all of them
    let units: Vec<&store::units::Unit> = match page_actor.scope {
        store::Scope::Department(_) => tree.all().iter().collect(),
        _ => tree.visible(page_actor),
    };
    opts(
        units
            .into_iter()
            .filter(|u| u.kind != "department" && mine(u.id))
            .map(|u| (u.code.clone(), if u.parent.is_some() { u.name.clone() } else { format!("{}（全市）", u.name) })),
        current,
    )
}

pub fn industry_opts(current: &str) -> Vec<Opt> {
    opts(
        domain::reference::industries().iter().map(|e| {
            let depth = e.code.matches('.').count() + usize::from(e.parent.is_some());
            (e.code.clone(), format!("{}{}", "　".repeat(depth), e.name))
        }),
        current,
    )
}

pub fn region_opts(current: &str) -> Vec<Opt> {
    opts(domain::reference::regions().iter().map(|e| (e.code.clone(), e.name.clone())), current)
}

fn stage_opts(current: &str) -> Vec<Opt> {
    opts(domain::stage::ALL.iter().map(|s| (s.code().to_string(), s.label().to_string())), current)
}

fn category_opts(current: &str) -> Vec<Opt> {
    opts(Category::ALL.iter().map(|c| (c.code().to_string(), c.label().to_string())), current)
}

fn yes_no(current: &str) -> Vec<Opt> {
    opts([("true".to_string(), "是".to_string()), ("false".to_string(), "否".to_string())], current)
}

pub fn industry_name(code: &str) -> String {
    domain::reference::industry(code).map(|e| e.name.clone()).unwrap_or_else(|| code.to_string())
}

pub fn region_name(code: &str) -> String {
    domain::reference::region(code).map(|e| e.name.clone()).unwrap_or_else(|| code.to_string())
}

/// The CSS class of a stage badge; the badge always carries the stage's name as text too.
pub fn stage_class(s: Stage) -> &'static str {
    match s {
        Stage::Reserve | Stage::Negotiating => "st-early",
        Stage::Signed | Stage::Approved => "st-signed",
        Stage::Started => "st-started",
        Stage::Producing | Stage::AtCapacity => "st-done",
        Stage::OnHold => "st-hold",
        Stage::Terminated => "st-stop",
    }
}

/// The ledger's columns; `code`s are what `col=` in the query names.
const COLUMNS: &[(&str, &str, bool)] = &[
    ("code", "项目编号", true),
    ("unit", "责任单位", true),
    ("industry", "产业类别", true),
    ("region", "来源地", false),
    ("investors", "投资方", false),
    ("total_investment", "总投资(万元)", true),
    ("stage", "阶段", true),
    ("signed_on", "签约日期", true),
    ("started_on", "开工日期", false),
    ("marks", "标记", true),
    ("updated_at", "更新时间", false),
];

#[derive(Debug, Clone)]
pub struct Col {
    pub code: &'static str,
    pub label: &'static str,
    pub on: bool,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub industry: String,
    pub region: String,
    pub investors: String,
    pub total_investment: String,
    pub stage: String,
    pub stage_class: &'static str,
    pub review_pending: bool,
    pub signed_on: String,
    pub started_on: String,
    pub city_reportable: bool,
    pub key_project: bool,
    pub updated_at: String,
}

fn row(p: &Project) -> Row {
    Row {
        id: p.id,
        code: p.code.clone(),
        name: p.name.clone(),
        unit: p.unit_name.clone(),
        industry: industry_name(&p.industry),
        region: region_name(&p.region),
        investors: p.investors.iter().map(|i| i.name.as_str()).collect::<Vec<_>>().join("、"),
        total_investment: fmt::money(p.total_investment),
        stage: p.stage.label().to_string(),
        stage_class: stage_class(p.stage),
        review_pending: p.review_state == "submitted",
        signed_on: fmt::date_opt(p.signed_on),
        started_on: fmt::date_opt(p.started_on),
        city_reportable: p.city_reportable,
        key_project: p.key_project,
        updated_at: fmt::at(p.updated_at),
    }
}

/// A header cell that sorts: the link flips the direction when already sorted by it.
#[derive(Debug, Clone)]
pub struct SortLink {
    pub href: String,
    /// "ascending", "descending" or "none" (aria-sort).
    pub state: &'static str,
}

#[derive(Debug, Clone)]
pub struct PageLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "ledger_table.html")]
struct LedgerTable {
    cols: Vec<Col>,
    rows: Vec<Row>,
    total: String,
    total_investment: String,
    /// Of the rows, those whose stage is a unit's claim the city has not reviewed ("" when none).
    pending: String,
    sort_name: SortLink,
    sort_investment: SortLink,
    sort_signed: SortLink,
    sort_updated: SortLink,
    pages: Vec<PageLink>,
    page: u64,
    last_page: u64,
    first_href: String,
    prev_href: String,
    next_href: String,
    last_href: String,
    first: u64,
    last: u64,
}

impl LedgerTable {
    fn show(&self, code: &str) -> bool {
        self.cols.iter().any(|c| c.code == code && c.on)
    }
}

#[derive(Template)]
#[template(path = "projects.html")]
struct LedgerPage {
    chrome: Chrome,
    q: String,
    units: Vec<Opt>,
    stages: Vec<Opt>,
    industries: Vec<Opt>,
    regions: Vec<Opt>,
    categories: Vec<Opt>,
    city_reportable: Vec<Opt>,
    key_project: Vec<Opt>,
    per_page: Vec<Opt>,
    sort: String,
    cols: Vec<Col>,
    error: String,
    can_create: bool,
    table: String,
    /// The export link: this page's filters, as an .xlsx.
    export_href: String,
}

/// The query without `key` (and `page`), for links that change one thing.
fn query_without(q: &FormData, drop: &[&str]) -> String {
    let mut parts = vec![];
    for (k, vs) in &q.0 {
        if drop.contains(&k.as_str()) {
            continue;
        }
        for v in vs.iter().filter(|v| !v.is_empty()) {
            parts.push(format!("{}={}", crate::input::encode(k), crate::input::encode(v)));
        }
    }
    parts.join("&")
}

fn link(base: &str, extra: &str) -> String {
    match (base.is_empty(), extra.is_empty()) {
        (true, true) => "/projects".into(),
        (true, false) => format!("/projects?{extra}"),
        (false, true) => format!("/projects?{base}"),
        (false, false) => format!("/projects?{base}&{extra}"),
    }
}

fn sort_link(q: &FormData, f: &ProjectFilter, field: SortField, code: &str) -> SortLink {
    let base = query_without(q, &["sort", "page"]);
    let active = f.sort == field;
    let next = if active && !f.descending { format!("-{code}") } else { code.to_string() };
    let state = match (active, f.descending) {
        (false, _) => "none",
        (true, true) => "descending",
        (true, false) => "ascending",
    };
    SortLink { href: link(&base, &format!("sort={}", crate::input::encode(&next))), state }
}

pub async fn list(
    State(s): State<Arc<AppState>>,
    page: Page<perm::ProjectRead>,
    uri: axum::http::Uri,
) -> UiResult<Response> {
    let q = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let single: BTreeMap<String, String> =
        q.0.iter().filter_map(|(k, v)| Some((k.clone(), v.last()?.clone()))).collect();
    let chosen = q.all("col");
    let cols: Vec<Col> = COLUMNS
        .iter()
        .map(|(code, label, default)| Col {
            code,
            label,
            on: if chosen.is_empty() { *default } else { chosen.iter().any(|c| c == code) },
        })
        .collect();
    let mut error = String::new();
    let filter = match paging_error(&single).map_or_else(|| crate::api::projects::filter_from_query(&single), Err) {
        Ok(f) => Some(f),
        Err(ApiError::Validation(f)) => {
            error = f.values().cloned().collect::<Vec<_>>().join("；");
            None
        }
        Err(e) => return Err(e.into()),
    };
    let table = match filter {
        Some(f) => match ledger_table(&s, &page, &q, &f, &cols).await {
            Ok(t) => t,
            Err(UiError::Message(_, m)) => {
                error = m;
                String::new()
            }
            Err(e) => return Err(e),
        },
        None => String::new(),
    };
    let v = |k: &str| single.get(k).cloned().unwrap_or_default();
    let p = LedgerPage {
        chrome: page.chrome("/projects", &s),
        q: v("q"),
        units: unit_opts(&s, &page.actor, &v("unit")),
        stages: stage_opts(&v("stage")),
        industries: industry_opts(&v("industry")),
        regions: region_opts(&v("region")),
        categories: category_opts(&v("category")),
        city_reportable: yes_no(&v("city_reportable")),
        key_project: yes_no(&v("key_project")),
        per_page: opts(
            ["20", "50", "100", "200"].map(|n| (n.to_string(), format!("每页 {n} 条"))),
            &single.get("per_page").cloned().unwrap_or_else(|| "50".into()),
        ),
        sort: v("sort"),
        cols,
        can_create: page.can(Permission::ProjectWrite),
        error: error.clone(),
        table,
        export_href: {
            let filters = query_without(&q, &["page", "per_page", "col"]);
            if filters.is_empty() { "/projects/export.xlsx".into() } else { format!("/projects/export.xlsx?{filters}") }
        },
    };
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_status(status, &p)
}

/// The largest page number a list link may carry (a larger one is a hand-made URL).
pub const MAX_PAGE: u64 = 1_000_000;

/// `page` and `per_page` out of bounds, named in Chinese (before any arithmetic on them).
fn paging_error(q: &BTreeMap<String, String>) -> Option<ApiError> {
    let mut errors = BTreeMap::new();
    if let Some(p) = q.get("page").map(|s| s.trim()).filter(|s| !s.is_empty())
        && !p.parse::<u64>().is_ok_and(|n| (1..=MAX_PAGE).contains(&n))
    {
        errors.insert("page".to_string(), "页码应为 1 到 1,000,000 之间的整数".to_string());
    }
    if let Some(p) = q.get("per_page").map(|s| s.trim()).filter(|s| !s.is_empty())
        && !p.parse::<u64>().is_ok_and(|n| (1..=500).contains(&n))
    {
        errors.insert("per_page".to_string(), "每页条数应为 1 到 500 之间的整数".to_string());
    }
    (!errors.is_empty()).then_some(ApiError::Validation(errors))
}

/// The table part of the ledger, cached like the API's list: the key holds the caller's
/// scope, and any write makes the entry stale.
async fn ledger_table(
    s: &AppState,
    page: &Page<perm::ProjectRead>,
    q: &FormData,
    f: &ProjectFilter,
    cols: &[Col],
) -> UiResult<String> {
    let on: Vec<&str> = cols.iter().filter(|c| c.on).map(|c| c.code).collect();
    let key = format!("ui-ledger|{:?}|{}|{:?}|{:?}", page.actor.scope, page.actor.is_city(), f, on);
    let generation = if s.cache.enabled() { Some(s.store.generation().await?) } else { None };
    if let Some(body) = generation.and_then(|g| s.cache.get(&key, g)) {
        return Ok(String::from_utf8_lossy(&body).into_owned());
    }
    let result = s.store.list_projects(&page.actor, f).await;
    let list = match result {
        Ok(l) => l,
        Err(store::StoreError::Validation(v)) => {
            return Err(UiError::Message(
                StatusCode::UNPROCESSABLE_ENTITY,
                v.into_iter().map(|e| e.message).collect::<Vec<_>>().join("；"),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let (count, sum) = s.store.project_totals(&page.actor, f).await?;
    let claims = s.store.pending_claims(&page.actor, f).await?;
    let last_page = count.div_ceil(f.per_page).max(1);
    let base = query_without(q, &["page"]);
    let mut pages = vec![];
    let window = (f.page.saturating_sub(3).max(1))..=(f.page + 3).min(last_page);
    for n in window {
        pages.push(PageLink { label: n.to_string(), href: link(&base, &format!("page={n}")), current: n == f.page });
    }
    let first = if count == 0 { 0 } else { (f.page - 1) * f.per_page + 1 };
    let t = LedgerTable {
        cols: cols.to_vec(),
        rows: list.items.iter().map(row).collect(),
        total: fmt::count(count),
        total_investment: fmt::money(sum),
        pending: if claims.count > 0 {
            format!(
                "其中 {} 个项目（总投资 {} 万元）的阶段为单位填报、待市级审核，工作台按审核通过的阶段统计",
                fmt::count(claims.count),
                fmt::money(claims.investment)
            )
        } else {
            String::new()
        },
        sort_name: sort_link(q, f, SortField::Name, "name"),
        sort_investment: sort_link(q, f, SortField::TotalInvestment, "total_investment"),
        sort_signed: sort_link(q, f, SortField::SignedOn, "signed_on"),
        sort_updated: sort_link(q, f, SortField::UpdatedAt, "updated_at"),
        pages,
        page: f.page,
        last_page,
        first_href: link(&base, "page=1"),
        prev_href: link(&base, &format!("page={}", f.page.saturating_sub(1).max(1))),
        next_href: link(&base, &format!("page={}", (f.page + 1).min(last_page))),
        last_href: link(&base, &format!("page={last_page}")),
        first,
        last: (first + list.items.len() as u64).saturating_sub(1),
    };
    let html = t.render()?;
    if let Some(g) = generation {
        s.cache.put(key, g, axum::body::Bytes::from(html.clone()));
    }
    Ok(html)
}

/// The ledger as Excel, with the page's filters (the same file as the API's export).
pub async fn export(
    State(s): State<Arc<AppState>>,
    page: Page<perm::ProjectRead>,
    crate::input::QueryMap(q): crate::input::QueryMap,
) -> UiResult<Response> {
    let (name, bytes) = crate::ledger::export(&s, &page.actor, &q).await?;
    Ok(crate::ledger::download(&name, bytes))
}

// ---------------------------------------------------------------- the project page

#[derive(Debug, Clone)]
pub struct Fact {
    pub label: &'static str,
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub date: String,
    pub at: String,
    pub title: String,
    pub detail: String,
    pub by: String,
    pub tag: String,
}

#[derive(Debug, Clone)]
pub struct FundsRow {
    pub date: String,
    pub kind: String,
    pub amount: String,
    pub note: String,
    pub review: String,
}

#[derive(Debug, Clone)]
pub struct InvestorRow {
    pub id: i64,
    pub name: String,
    pub country: String,
    pub marks: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ChangeRow {
    pub at: String,
    pub who: String,
    pub action: String,
    pub fields: String,
}

#[derive(Debug, Clone)]
pub struct Tab {
    pub code: &'static str,
    pub label: &'static str,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "project.html")]
struct ProjectPage {
    chrome: Chrome,
    id: i64,
    code: String,
    name: String,
    stage: String,
    stage_class: &'static str,
    review_pending: bool,
    city_reportable: bool,
    key_project: bool,
    deleted: bool,
    facts: Vec<Fact>,
    tabs: Vec<Tab>,
    tab: &'static str,
    events: Vec<Event>,
    funds: Vec<FundsRow>,
    funds_total: String,
    investors: Vec<InvestorRow>,
    changes: Vec<ChangeRow>,
    notes: String,
    progress: String,
    can_edit: bool,
    can_transition: bool,
    can_funds: bool,
    targets: Vec<Opt>,
    skippable: Vec<Opt>,
    can_pause: bool,
    resume_to: Option<Opt>,
    can_terminate: bool,
    version: i32,
    today: String,
    errors: BTreeMap<String, String>,
    form: BTreeMap<String, String>,
    notice: String,
}

impl ProjectPage {
    /// A submitted form value, shown again with the form's errors.
    fn fv(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("")
    }
}

const TABS: &[(&str, &str)] = &[
    ("info", "基本信息"),
    ("timeline", "进展时间线"),
    ("funds", "到位资金"),
    ("investors", "投资方"),
    ("changes", "变更记录"),
];

fn action_label(a: &str) -> &str {
    domain::AuditAction::label_of(a)
}

/// The fields an update changed, by their Chinese labels.
fn changed_fields(before: Option<&str>, after: Option<&str>) -> String {
    let parse = |s: Option<&str>| s.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok());
    match (parse(before), parse(after)) {
        (Some(serde_json::Value::Object(b)), Some(serde_json::Value::Object(a))) => {
            let skip = ["updated_at", "version", "created_at"];
            let changed: Vec<String> = a
                .iter()
                .filter(|(k, v)| !skip.contains(&k.as_str()) && b.get(*k) != Some(*v))
                .map(|(k, v)| {
                    let show = |v: Option<&serde_json::Value>| match v {
                        Some(serde_json::Value::String(s)) => s.clone(),
                        Some(serde_json::Value::Null) | None => "（空）".into(),
                        Some(other) => other.to_string(),
                    };
                    format!("{}：{} → {}", domain::labels::field_label(k), show(b.get(k)), show(Some(v)))
                })
                .collect();
            changed.join("；")
        }
        (None, Some(serde_json::Value::Object(a))) => {
            a.get("to").and_then(|v| v.as_str()).map(|t| format!("目标阶段：{}", stage_label(t))).unwrap_or_default()
        }
        _ => String::new(),
    }
}

fn stage_label(code: &str) -> &'static str {
    Stage::parse(code).map(|s| s.label()).unwrap_or("")
}

/// Stages this user may move the project to from where it is (`domain::stage::targets`;
/// the rules decide in the end).
fn targets(p: &Project, may_correct: bool) -> (Vec<Opt>, Option<Opt>) {
    let opt = |s: Stage| Opt { value: s.code().into(), label: s.label().into(), selected: false };
    let t = domain::stage::targets(p.stage, p.paused_from, may_correct);
    let moves = t
        .moves
        .iter()
        .map(|m| {
            let mut o = opt(m.stage);
            if m.correction {
                o.label = format!("{}（更正回退）", m.stage.label());
            }
            o
        })
        .collect();
    (moves, t.resume_to.map(opt))
}

async fn project_page(
    s: &AppState,
    page: &Page<perm::ProjectRead>,
    id: i64,
    tab: &str,
    errors: BTreeMap<String, String>,
    form: BTreeMap<String, String>,
    notice: String,
) -> UiResult<ProjectPage> {
    let p = s.store.get_project(&page.actor, id).await?;
    let tab = TABS.iter().map(|(c, _)| *c).find(|c| *c == tab).unwrap_or("info");
    let mut events = vec![];
    let mut funds = vec![];
    let mut funds_total = String::new();
    let mut investors = vec![];
    let mut changes = vec![];
    match tab {
        "timeline" => {
            for e in s.store.timeline(&page.actor, id).await?.into_iter().rev() {
                let (title, tag) = match e.kind {
                    "created" => ("录入项目".to_string(), "创建".to_string()),
                    "progress" => ("更新项目进展情况".to_string(), "进展".to_string()),
                    "funds" => (
                        format!(
                            "资金到位 {} {}",
                            fmt::money_opt(e.amount),
                            if e.funds_kind.as_deref() == Some("foreign") { "万美元" } else { "万元" }
                        ),
                        "到位资金".to_string(),
                    ),
                    _ => (
                        format!(
                            "{} → {}",
                            e.from.map(|s| s.label()).unwrap_or(""),
                            e.to.map(|s| s.label()).unwrap_or("")
                        ),
                        if e.correction { "更正".to_string() } else { "阶段变更".to_string() },
                    ),
                };
                let mut detail = vec![];
                if let Some(n) = &e.note {
                    detail.push(n.clone());
                }
                if let Some(r) = &e.reason {
                    detail.push(format!("原因：{r}"));
                }
                if let Some(rs) =
                    e.review_state.as_deref().and_then(|r| domain::labels::lookup(&domain::labels::REVIEW_STATES, r))
                {
                    detail.push(format!("审核：{rs}"));
                }
                events.push(Event {
                    date: e.date.to_string(),
                    at: fmt::at(e.at),
                    title,
                    detail: detail.join("；"),
                    by: e.by.unwrap_or_default(),
                    tag,
                });
            }
        }
        "funds" if page.can(Permission::FundsRead) => {
            let items = s.store.list_funds(&page.actor, id).await?;
            let mut dom = domain::Money::ZERO;
            let mut fx = domain::Money::ZERO;
            for f in &items {
                if f.review_state == "accepted" {
                    if f.kind == "foreign" {
                        fx = fx.checked_add(f.amount).unwrap_or(fx);
                    } else {
                        dom = dom.checked_add(f.amount).unwrap_or(dom);
                    }
                }
                funds.push(FundsRow {
                    date: f.date.to_string(),
                    kind: domain::labels::lookup(&domain::labels::FUNDS_KINDS, &f.kind).unwrap_or("").to_string(),
                    amount: format!("{} {}", fmt::money(f.amount), if f.kind == "foreign" { "万美元" } else { "万元" }),
                    note: f.note.clone().unwrap_or_default(),
                    review: domain::labels::lookup(&domain::labels::REVIEW_STATES, &f.review_state)
                        .unwrap_or("")
                        .to_string(),
                });
            }
            funds_total = format!("已审核：省外资金 {} 万元；外资 {} 万美元", fmt::money(dom), fmt::money(fx));
        }
        "investors" => {
            let ids: Vec<i64> = p.investors.iter().map(|i| i.id).collect();
            for c in s.store.companies_by_ids(&page.actor, &ids).await? {
                investors.push(InvestorRow {
                    id: c.id,
                    name: c.name.clone(),
                    country: c.country.clone(),
                    marks: marks(&c),
                });
            }
        }
        "changes" => {
            let tree = s.store.unit_tree();
            for r in s.store.project_changes(&page.actor, id, 100).await? {
                let mut fields = changed_fields(r.before.as_deref(), r.after.as_deref());
                if r.action == "project.update" {
                    // unit ids in the audit record are shown by name
                    fields = fields.replace("unit_id", "责任单位");
                }
                let _ = &tree;
                changes.push(ChangeRow {
                    at: fmt::at(r.at),
                    who: r.username.unwrap_or_default(),
                    action: action_label(&r.action).to_string(),
                    fields,
                });
            }
        }
        _ => {}
    }
    let (targets, resume_to) = targets(&p, page.actor.has_role(domain::Role::CityAdmin));
    let skippable = domain::stage::ACTIVE
        .iter()
        .filter(|st| st.is_dated() && st.order() > p.stage.order() && p.stage.is_active())
        .map(|st| Opt { value: st.code().into(), label: st.label().into(), selected: false })
        .collect();
    let facts = vec![
        Fact { label: "责任单位", value: p.unit_name.clone() },
        Fact { label: "产业类别", value: industry_name(&p.industry) },
        Fact { label: "投资方来源地", value: region_name(&p.region) },
        Fact {
            label: "丝路通道",
            value: p
                .channel
                .as_deref()
                .and_then(domain::reference::channel)
                .map(|c| c.name.clone())
                .unwrap_or_else(|| "—".into()),
        },
        Fact {
            label: "项目类别",
            value: if p.categories.is_empty() {
                "—".into()
            } else {
                p.categories.iter().map(|c| c.label()).collect::<Vec<_>>().join("、")
            },
        },
        Fact { label: "总投资", value: format!("{} 万元", fmt::money(p.total_investment)) },
        Fact {
            label: "利用外资",
            value: p.foreign_investment.map(|m| format!("{} 万美元", fmt::money(m))).unwrap_or_else(|| "—".into()),
        },
        Fact {
            label: "用地", value: p.land_mu.map(|m| format!("{} 亩", fmt::money(m))).unwrap_or_else(|| "—".into())
        },
        Fact {
            label: "预计年产值",
            value: p.expected_output.map(|m| format!("{} 万元", fmt::money(m))).unwrap_or_else(|| "—".into()),
        },
        Fact {
            label: "预计年税收",
            value: p.expected_tax.map(|m| format!("{} 万元", fmt::money(m))).unwrap_or_else(|| "—".into()),
        },
        Fact {
            label: "预计就业", value: p.expected_jobs.map(|j| format!("{j} 人")).unwrap_or_else(|| "—".into())
        },
        Fact { label: "签约日期", value: fmt::date_opt(p.signed_on) },
        Fact { label: "手续办结日期", value: fmt::date_opt(p.approved_on) },
        Fact { label: "开工日期", value: fmt::date_opt(p.started_on) },
        Fact { label: "投产日期", value: fmt::date_opt(p.producing_on) },
        Fact { label: "达产日期", value: fmt::date_opt(p.at_capacity_on) },
        Fact { label: "预计投产日期", value: fmt::date_opt(p.expected_producing_on) },
        Fact { label: "包联领导", value: p.lead_leader.clone().unwrap_or_else(|| "—".into()) },
        Fact { label: "投资方", value: p.investors.iter().map(|i| i.name.as_str()).collect::<Vec<_>>().join("、") },
        Fact { label: "最后更新", value: fmt::at(p.updated_at) },
    ];
    let live = p.deleted_at.is_none();
    Ok(ProjectPage {
        chrome: page.chrome("/projects", s),
        id: p.id,
        code: p.code.clone(),
        name: p.name.clone(),
        stage: p.stage.label().to_string(),
        stage_class: stage_class(p.stage),
        review_pending: p.review_state == "submitted",
        city_reportable: p.city_reportable,
        key_project: p.key_project,
        deleted: !live,
        facts,
        tabs: TABS
            .iter()
            .filter(|(c, _)| *c != "funds" || page.can(Permission::FundsRead))
            .map(|(c, l)| Tab { code: c, label: l, href: format!("/projects/{id}?tab={c}"), current: *c == tab })
            .collect(),
        tab,
        events,
        funds,
        funds_total,
        investors,
        changes,
        notes: p.notes.clone().unwrap_or_default(),
        progress: p.progress.clone().unwrap_or_default(),
        can_edit: live && page.can(Permission::ProjectWrite),
        can_transition: live && page.can(Permission::ProjectTransition) && p.stage != Stage::Terminated,
        can_funds: live && page.can(Permission::FundsWrite),
        targets,
        skippable,
        can_pause: p.stage.is_active(),
        resume_to,
        can_terminate: p.stage != Stage::Terminated,
        version: p.version,
        today: domain::today_shanghai().to_string(),
        errors,
        form,
        notice,
    })
}

pub fn marks(c: &store::companies::Company) -> Vec<String> {
    let mut m = vec![];
    if let Some(r) = c.fortune_global_500_rank {
        m.push(format!("世界500强 第{r}位"));
    }
    if let Some(r) = c.china_500_rank {
        m.push(format!("中国500强 第{r}位"));
    }
    if let Some(r) = c.china_private_500_rank {
        m.push(format!("民营500强 第{r}位"));
    }
    if c.industry_leader {
        m.push("行业龙头".into());
    }
    m
}

pub async fn detail(
    State(s): State<Arc<AppState>>,
    page: Page<perm::ProjectRead>,
    Id(id): Id,
    crate::input::QueryMap(q): crate::input::QueryMap,
) -> UiResult<Response> {
    let tab = q.get("tab").map(String::as_str).unwrap_or("info");
    let notice = match q.get("done").map(String::as_str) {
        Some("transition") => "阶段已变更。".to_string(),
        Some("funds") => "到位资金已登记。".to_string(),
        Some("saved") => "已保存。".to_string(),
        Some("created") => "项目已创建。".to_string(),
        _ => String::new(),
    };
    let p = project_page(&s, &page, id, tab, BTreeMap::new(), BTreeMap::new(), notice).await?;
    render(&p)
}

/// Show the project page again with a form's errors next to its fields.
async fn again(
    s: &AppState,
    page: Page<impl crate::auth::Perm>,
    id: i64,
    tab: &str,
    errors: BTreeMap<String, String>,
    form: &FormData,
    status: StatusCode,
) -> UiResult<Response> {
    let read = Page::<perm::ProjectRead> {
        actor: page.actor,
        session_id: page.session_id,
        csrf: page.csrf,
        user_name: page.user_name,
        _p: std::marker::PhantomData,
    };
    let values = form.0.iter().filter_map(|(k, v)| Some((k.clone(), v.first()?.clone()))).collect();
    let p = project_page(s, &read, id, tab, errors, values, String::new()).await?;
    render_status(status, &p)
}

fn store_errors(e: store::StoreError) -> Result<(StatusCode, BTreeMap<String, String>), UiError> {
    match ApiError::from(e) {
        ApiError::Validation(f) => Ok((StatusCode::UNPROCESSABLE_ENTITY, f)),
        ApiError::Conflict(m) => Ok((StatusCode::CONFLICT, BTreeMap::from([("to".to_string(), m)]))),
        other => Err(other.into()),
    }
}

pub async fn transition(
    State(s): State<Arc<AppState>>,
    Id(id): Id,
    f: PageForm<perm::ProjectTransition>,
) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let mut errors = BTreeMap::new();
    let to = Stage::parse(form.get("to"));
    if to.is_none() {
        errors.insert("to".to_string(), "请选择目标阶段".to_string());
    }
    // 暂缓 and 终止 stop the project's progress: the form asks for an explicit 确认
    if let Some(st @ (Stage::OnHold | Stage::Terminated)) = to
        && form.get("confirm") != "yes"
    {
        errors.insert("to".to_string(), format!("{}项目须勾选「确认{}」后提交", st.label(), st.label()));
    }
    let date = crate::input::parse_date(form.get("date").trim());
    if date.is_none() {
        errors.insert("date".to_string(), "请填写日期，格式 YYYY-MM-DD".to_string());
    }
    let mut skipped_dates = BTreeMap::new();
    for st in domain::stage::ACTIVE {
        let v = form.get(&format!("skip_{}", st.code())).trim().to_string();
        if v.is_empty() {
            continue;
        }
        match crate::input::parse_date(&v) {
            Some(d) => {
                skipped_dates.insert(st, d);
            }
            None => {
                errors.insert(format!("skip_{}", st.code()), "日期格式应为 YYYY-MM-DD".into());
            }
        }
    }
    let text = |k: &str| Some(form.get(k).trim().to_string()).filter(|s| !s.is_empty());
    let note = match (text("note"), text("evidence")) {
        (Some(n), Some(e)) => Some(format!("{n}（证明材料：{e}）")),
        (None, Some(e)) => Some(format!("证明材料：{e}")),
        (n, None) => n,
    };
    let tab = "timeline";
    if !errors.is_empty() {
        return again(&s, page, id, tab, errors, &form, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let (Some(to), Some(date)) = (to, date) else { return Err(UiError::NotFound) };
    // Only the dates of stages actually skipped between here and the target are sent.
    let current = s.store.get_project(&page.actor, id).await?;
    let skipped_dates = skipped_dates
        .into_iter()
        .filter(|(st, _)| st.order() > current.stage.order() && st.order() < to.order())
        .collect();
    let input = TransitionInput {
        to,
        date,
        skipped_dates,
        note,
        reason: text("reason"),
        version: form.get("version").trim().parse().ok(),
    };
    match s.store.transition_project(&page.actor, id, input).await {
        Ok(_) => Ok(see_other(&format!("/projects/{id}?tab=timeline&done=transition"))),
        Err(e) => {
            let (status, errors) = store_errors(e)?;
            again(&s, page, id, tab, errors, &form, status).await
        }
    }
}

pub async fn add_funds(
    State(s): State<Arc<AppState>>,
    Id(id): Id,
    f: PageForm<perm::FundsWrite>,
) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let mut errors = BTreeMap::new();
    let date = crate::input::parse_date(form.get("date").trim());
    match date {
        None => {
            errors.insert("date".to_string(), "请填写到位日期，格式 YYYY-MM-DD".to_string());
        }
        Some(d) if d > domain::today_shanghai() => {
            errors.insert("date".to_string(), "到位日期不能晚于今天".to_string());
        }
        _ => {}
    }
    let kind = form.get("kind").to_string();
    if !store::funds::KINDS.contains(&kind.as_str()) {
        errors.insert("kind".to_string(), "请选择资金类型".to_string());
    }
    let amount = match domain::Money::parse(form.get("amount")) {
        Ok(m) if m > domain::Money::ZERO => Some(m),
        Ok(_) => {
            errors.insert("amount".to_string(), "金额应大于0".to_string());
            None
        }
        Err(e) => {
            errors.insert("amount".to_string(), format!("{e}，应为金额如 12345.67"));
            None
        }
    };
    if !errors.is_empty() {
        return again(&s, page, id, "funds", errors, &form, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let new = store::funds::NewFunds {
        date: date.unwrap_or_default(),
        kind,
        amount: amount.unwrap_or_default(),
        note: Some(form.get("note").trim().to_string()).filter(|s| !s.is_empty()),
    };
    match s.store.add_funds(&page.actor, id, new).await {
        Ok(_) => Ok(see_other(&format!("/projects/{id}?tab=funds&done=funds"))),
        Err(e) => {
            let (status, errors) = store_errors(e)?;
            again(&s, page, id, "funds", errors, &form, status).await
        }
    }
}

// ---------------------------------------------------------------- new / edit

#[derive(Template)]
#[template(path = "project_form.html")]
struct FormPage {
    chrome: Chrome,
    /// None: a new project.
    id: Option<i64>,
    title: String,
    v: BTreeMap<String, String>,
    categories: Vec<Opt>,
    investors: Vec<String>,
    units: Vec<Opt>,
    industries: Vec<Opt>,
    regions: Vec<Opt>,
    channels: Vec<Opt>,
    companies: Vec<String>,
    errors: BTreeMap<String, String>,
}

impl FormPage {
    fn val(&self, k: &str) -> &str {
        self.v.get(k).map(String::as_str).unwrap_or("")
    }
}

async fn form_page(
    s: &AppState,
    page: &Page<perm::ProjectWrite>,
    id: Option<i64>,
    v: BTreeMap<String, String>,
    cats: Vec<String>,
    investors: Vec<String>,
    errors: BTreeMap<String, String>,
) -> UiResult<FormPage> {
    let (companies, _) = s
        .store
        .list_companies(&page.actor, &store::companies::CompanyFilter { per_page: 2000, page: 1, ..Default::default() })
        .await?;
    let get = |k: &str| v.get(k).cloned().unwrap_or_default();
    let mut investors = investors;
    investors.resize(investors.len().max(3), String::new());
    Ok(FormPage {
        chrome: page.chrome("/projects", s),
        id,
        title: if id.is_some() { "编辑项目".into() } else { "新建项目".into() },
        categories: Category::ALL
            .iter()
            .map(|c| Opt {
                value: c.code().into(),
                label: c.label().into(),
                selected: cats.iter().any(|x| x == c.code()),
            })
            .collect(),
        investors,
        units: unit_opts(s, &page.actor, &get("unit")),
        industries: industry_opts(&get("industry")),
        regions: region_opts(&get("region")),
        channels: opts(domain::reference::channels().iter().map(|e| (e.code.clone(), e.name.clone())), &get("channel")),
        companies: companies.into_iter().map(|c| c.name).collect(),
        errors,
        v,
    })
}

pub async fn new_form(State(s): State<Arc<AppState>>, page: Page<perm::ProjectWrite>) -> UiResult<Response> {
    let tree = s.store.unit_tree();
    let mut v = BTreeMap::new();
    if let Some(u) = page.actor.unit_id.and_then(|u| tree.get(u)) {
        v.insert("unit".to_string(), u.code.clone());
    }
    let p = form_page(&s, &page, None, v, vec![], vec![], BTreeMap::new()).await?;
    render(&p)
}

pub async fn edit_form(
    State(s): State<Arc<AppState>>,
    page: Page<perm::ProjectWrite>,
    Id(id): Id,
) -> UiResult<Response> {
    let p = s.store.get_project(&page.actor, id).await?;
    let m = |x: Option<domain::Money>| x.map(|m| m.to_string()).unwrap_or_default();
    let v: BTreeMap<String, String> = [
        ("name", p.name.clone()),
        ("unit", p.unit.clone()),
        ("industry", p.industry.clone()),
        ("region", p.region.clone()),
        ("channel", p.channel.clone().unwrap_or_default()),
        ("total_investment", p.total_investment.to_string()),
        ("foreign_investment", m(p.foreign_investment)),
        ("land_mu", m(p.land_mu)),
        ("expected_output", m(p.expected_output)),
        ("expected_tax", m(p.expected_tax)),
        ("expected_jobs", p.expected_jobs.map(|j| j.to_string()).unwrap_or_default()),
        ("expected_producing_on", fmt::date_opt(p.expected_producing_on)),
        ("lead_leader", p.lead_leader.clone().unwrap_or_default()),
        ("notes", p.notes.clone().unwrap_or_default()),
        ("version", p.version.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let cats = p.categories.iter().map(|c| c.code().to_string()).collect();
    let inv = p.investors.iter().map(|i| i.name.clone()).collect();
    let page_ = form_page(&s, &page, Some(id), v, cats, inv, BTreeMap::new()).await?;
    render(&page_)
}

/// Investors by name: an existing company is picked, an unknown name becomes a new company
/// (pick-or-create), each recorded in the audit log by `create_company`.
async fn investor_ids(
    s: &AppState,
    actor: &store::Actor,
    names: &[String],
    errors: &mut BTreeMap<String, String>,
) -> UiResult<Vec<i64>> {
    let mut ids = vec![];
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if name.chars().count() > 100 {
            errors.insert("investors".into(), format!("投资方名称「{name}」超过100个字符"));
            continue;
        }
        let found = s
            .store
            .list_companies(
                actor,
                &store::companies::CompanyFilter {
                    q: Some(name.to_string()),
                    page: 1,
                    per_page: 50,
                    ..Default::default()
                },
            )
            .await?
            .0
            .into_iter()
            .find(|c| c.name == name);
        let id = match found {
            Some(c) => c.id,
            None if errors.is_empty() => {
                let new = store::companies::NewCompany {
                    name: name.to_string(),
                    country: "中国".into(),
                    notes: Some("录入项目时新建，待补充企业信息".into()),
                    ..Default::default()
                };
                s.store.create_company(actor, new).await?.id
            }
            None => continue,
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

async fn save(s: &AppState, id: Option<i64>, f: PageForm<perm::ProjectWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let names = form.all("investor");
    let cats = form.all("categories");
    let mut body = form.to_json(&["categories"]);
    body.remove("investor");
    let parsed = match id {
        None => crate::api::projects::project_input(&body).map(Err),
        Some(_) => crate::api::projects::project_patch(&body).map(Ok),
    };
    let mut errors = match &parsed {
        Err(ApiError::Validation(f)) => f.clone(),
        Err(e) => return Err(UiError::Message(StatusCode::BAD_REQUEST, format!("{e:?}"))),
        Ok(_) => BTreeMap::new(),
    };
    let ids = if errors.is_empty() { investor_ids(s, &page.actor, &names, &mut errors).await? } else { vec![] };
    let result = match (parsed, errors.is_empty()) {
        (Ok(Err(mut input)), true) => {
            input.investor_ids = ids;
            s.store.create_project(&page.actor, input).await.map(|p| (p.id, "created"))
        }
        (Ok(Ok(mut patch)), true) => {
            patch.investor_ids = Some(ids);
            s.store.update_project(&page.actor, id.unwrap_or_default(), patch).await.map(|p| (p.id, "saved"))
        }
        _ => Err(store::StoreError::Validation(vec![])),
    };
    match result {
        Ok((pid, done)) => return Ok(see_other(&format!("/projects/{pid}?done={done}"))),
        Err(store::StoreError::Validation(v)) if v.is_empty() => {}
        Err(e) => match ApiError::from(e) {
            ApiError::Validation(f) => errors.extend(f),
            ApiError::Conflict(m) => {
                errors.insert("version".into(), m);
            }
            other => return Err(other.into()),
        },
    }
    let v = form.0.iter().filter_map(|(k, v)| Some((k.clone(), v.first()?.clone()))).collect();
    let p = form_page(s, &page, id, v, cats, names, errors).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

pub async fn create(State(s): State<Arc<AppState>>, f: PageForm<perm::ProjectWrite>) -> UiResult<Response> {
    save(&s, None, f).await
}

pub async fn update(State(s): State<Arc<AppState>>, Id(id): Id, f: PageForm<perm::ProjectWrite>) -> UiResult<Response> {
    save(&s, Some(id), f).await
}
