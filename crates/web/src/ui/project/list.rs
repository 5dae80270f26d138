//! 项目台账: the filters, the cached table part, the pager and the Excel export.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use domain::Permission;
use store::projects::{Project, ProjectFilter, SortField};

use super::{
    Opt, PageLink, category_opts, industry_name, industry_opts, opts, region_name, region_opts, stage_class,
    stage_opts, unit_opts, yes_no,
};
use crate::auth::perm;
use crate::error::ApiError;
use crate::ui::{Chrome, FormData, Page, UiError, UiResult, fmt, render_status};

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

#[derive(Template)]
#[template(path = "project/ledger_table.html")]
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
#[template(path = "project/list.html")]
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
    /// How many filters are set (the folded filter box says so).
    active_filters: usize,
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

pub async fn list(page: Page<perm::ProjectRead>, uri: axum::http::Uri) -> UiResult<Response> {
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
        Some(f) => match ledger_table(&page, &q, &f, &cols).await {
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
        chrome: page.chrome("/projects"),
        q: v("q"),
        units: unit_opts(&page.state, &page.actor, &v("unit")),
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
        active_filters: ["q", "unit", "stage", "industry", "region", "category", "city_reportable", "key_project"]
            .iter()
            .filter(|k| !v(k).trim().is_empty())
            .count(),
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
    page: &Page<perm::ProjectRead>,
    q: &FormData,
    f: &ProjectFilter,
    cols: &[Col],
) -> UiResult<String> {
    let s = &page.state;
    let on: Vec<&str> = cols.iter().filter(|c| c.on).map(|c| c.code).collect();
    let key = format!("ui-ledger|{:?}|{}|{:?}|{:?}", page.actor.scope, page.actor.is_city(), f, on);
    let generation = if s.cache.enabled() { Some(s.store.generation().await?) } else { None };
    if let Some(body) = generation.and_then(|g| s.cache.get(&key, g)) {
        return Ok(String::from_utf8_lossy(&body).into_owned());
    }
    let result = page.store().list_projects(f).await;
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
    let (count, sum) = page.store().project_totals(f).await?;
    let claims = page.store().pending_claims(f).await?;
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
                "其中 {} 个项目（总投资 {} 万元）的阶段为单位填报、待市级审核或已被退回，工作台按审核通过的阶段统计",
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
    page: Page<perm::ProjectRead>,
    crate::input::QueryMap(q): crate::input::QueryMap,
) -> UiResult<Response> {
    let (name, bytes) = crate::ledger::export(&page.state, &page.actor, &q).await?;
    Ok(crate::ledger::download(&name, bytes))
}
