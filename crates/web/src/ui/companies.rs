//! 企业库: companies with their 500强 marks, and each company's projects.
//!
//! A company is shared by all units (domain.md §3); the projects that name it are unit data,
//! so a company's page lists only the projects in the caller's scope.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use store::Scope;
use store::companies::{Company, CompanyFilter};

use super::projects::{Fact, PageLink, industry_name, marks, region_name, stage_class};
use super::{Chrome, FormData, Page, UiResult, fmt, render};
use crate::AppState;
use crate::auth::perm;
use crate::input::Id;

const PER_PAGE: u64 = 50;

/// The page links of a list, and which rows it shows.
#[derive(Debug, Clone)]
pub struct Pager {
    pub pages: Vec<PageLink>,
    pub page: u64,
    pub last_page: u64,
    /// 1-based positions of the first and last row shown (0 when none).
    pub first: u64,
    pub last: u64,
    pub total: String,
}

/// Links to the pages around `page` (and to the first and the last), keeping `query`.
pub fn pager(path: &str, query: &str, page: u64, per_page: u64, total: u64, shown: usize) -> Pager {
    let last_page = total.div_ceil(per_page.max(1)).max(1);
    let href = |n: u64| {
        if query.is_empty() { format!("{path}?page={n}") } else { format!("{path}?{query}&page={n}") }
    };
    let lo = page.saturating_sub(3).max(1);
    let hi = (page + 3).min(last_page);
    let mut pages = vec![];
    if lo > 1 {
        pages.push(PageLink { label: "首页".into(), href: href(1), current: false });
    }
    for n in lo..=hi {
        pages.push(PageLink { label: n.to_string(), href: href(n), current: n == page });
    }
    if hi < last_page {
        pages.push(PageLink { label: "末页".into(), href: href(last_page), current: false });
    }
    let first = if shown == 0 { 0 } else { (page - 1) * per_page + 1 };
    Pager { pages, page, last_page, first, last: (first + shown as u64).saturating_sub(1), total: fmt::count(total) }
}

/// `page=` of a query: a positive number, else the first page.
pub fn page_number(q: &FormData) -> u64 {
    q.get("page").trim().parse::<u64>().ok().filter(|p| (1..=1_000_000).contains(p)).unwrap_or(1)
}

#[derive(Debug, Clone)]
struct CompanyRow {
    id: i64,
    name: String,
    credit_code: String,
    country: String,
    hq_city: String,
    industry: String,
    marks: Vec<String>,
    projects: String,
}

#[derive(Template)]
#[template(path = "companies.html")]
struct ListPage {
    chrome: Chrome,
    q: String,
    ranked: bool,
    rows: Vec<CompanyRow>,
    pager: Pager,
}

pub async fn list(State(s): State<Arc<AppState>>, page: Page<perm::CompanyRead>, uri: Uri) -> UiResult<Response> {
    let query = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let q: String = query.get("q").trim().chars().take(100).collect();
    let ranked = matches!(query.get("ranked"), "true" | "1" | "on");
    let n = page_number(&query);
    let filter = CompanyFilter {
        q: Some(q.clone()).filter(|q| !q.is_empty()),
        ranked: ranked.then_some(true),
        page: n,
        per_page: PER_PAGE,
    };
    let (items, total) = s.store.list_companies(&page.actor, &filter).await?;
    let ids: Vec<i64> = items.iter().map(|c| c.id).collect();
    let counts = s.store.company_project_counts(&page.actor, &ids).await?;
    let rows = items
        .iter()
        .map(|c| CompanyRow {
            id: c.id,
            name: c.name.clone(),
            credit_code: c.credit_code.clone().unwrap_or_default(),
            country: c.country.clone(),
            hq_city: c.hq_city.clone().unwrap_or_default(),
            industry: c.industry.as_deref().map(industry_name).unwrap_or_default(),
            marks: marks(c),
            projects: fmt::count(counts.get(&c.id).copied().unwrap_or(0)),
        })
        .collect::<Vec<_>>();
    let mut keep = vec![];
    if !q.is_empty() {
        keep.push(format!("q={}", crate::input::encode(&q)));
    }
    if ranked {
        keep.push("ranked=true".to_string());
    }
    let pager = pager("/companies", &keep.join("&"), n, PER_PAGE, total, rows.len());
    render(&ListPage { chrome: page.chrome("/companies", &s), q, ranked, rows, pager })
}

#[derive(Debug, Clone)]
struct ProjectRow {
    id: i64,
    code: String,
    name: String,
    unit: String,
    stage: String,
    stage_class: &'static str,
    total_investment: String,
    signed_on: String,
}

#[derive(Template)]
#[template(path = "company.html")]
struct DetailPage {
    chrome: Chrome,
    name: String,
    marks: Vec<String>,
    facts: Vec<Fact>,
    /// Shown as a link only when it is an http(s) address.
    website: String,
    website_link: bool,
    notes: String,
    projects: Vec<ProjectRow>,
    project_total: String,
    more: bool,
    scope_note: &'static str,
}

fn rank(r: Option<i32>, year: Option<i32>) -> String {
    match (r, year) {
        (Some(r), Some(y)) => format!("第 {r} 位（{y} 年榜单）"),
        (Some(r), None) => format!("第 {r} 位"),
        _ => "—".into(),
    }
}

fn facts(c: &Company) -> Vec<Fact> {
    let or_dash = |v: Option<String>| v.filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "—".into());
    vec![
        Fact { label: "统一社会信用代码", value: or_dash(c.credit_code.clone()) },
        Fact { label: "国别", value: or_dash(Some(c.country.clone())) },
        Fact { label: "来源地", value: or_dash(c.region.as_deref().map(region_name)) },
        Fact { label: "总部所在地", value: or_dash(c.hq_city.clone()) },
        Fact { label: "产业类别", value: or_dash(c.industry.as_deref().map(industry_name)) },
        Fact { label: "世界500强", value: rank(c.fortune_global_500_rank, c.rank_year) },
        Fact { label: "中国500强", value: rank(c.china_500_rank, c.rank_year) },
        Fact { label: "中国民营企业500强", value: rank(c.china_private_500_rank, c.rank_year) },
        Fact {
            label: "台账填报类型",
            value: c.declared_type.as_deref().map(|t| format!("{t}（单位填报，待核实）")).unwrap_or_else(|| "—".into()),
        },
        Fact {
            label: "行业龙头",
            value: if c.industry_leader {
                match c.leader_reason.as_deref().filter(|r| !r.trim().is_empty()) {
                    Some(r) => format!("是（{r}）"),
                    None => "是".into(),
                }
            } else {
                "否".into()
            },
        },
        Fact { label: "登记时间", value: fmt::at(c.created_at) },
        Fact { label: "最后更新", value: fmt::at(c.updated_at) },
    ]
}

pub async fn detail(State(s): State<Arc<AppState>>, page: Page<perm::CompanyRead>, Id(id): Id) -> UiResult<Response> {
    let c = s.store.get_company(&page.actor, id).await?;
    let (items, total) = s.store.company_projects(&page.actor, id).await?;
    let website = c.website.clone().unwrap_or_default().trim().to_string();
    let website_link = website.starts_with("https://") || website.starts_with("http://");
    let scope_note = match page.actor.scope {
        Scope::All => "",
        Scope::Department(_) => "仅列出分派了本部门任务的项目。",
        Scope::Units(_) | Scope::Nothing => "仅列出本单位及下级单位的项目；其他单位的项目不在您的数据权限范围内。",
    };
    let projects: Vec<ProjectRow> = items
        .into_iter()
        .map(|p| ProjectRow {
            id: p.id,
            code: p.code,
            name: p.name,
            unit: p.unit_name,
            stage: p.stage.label().to_string(),
            stage_class: stage_class(p.stage),
            total_investment: fmt::money(p.total_investment),
            signed_on: fmt::date_opt(p.signed_on),
        })
        .collect();
    let p = DetailPage {
        chrome: page.chrome("/companies", &s),
        name: c.name.clone(),
        marks: marks(&c),
        facts: facts(&c),
        website,
        website_link,
        notes: c.notes.clone().unwrap_or_default(),
        more: (projects.len() as u64) < total,
        projects,
        project_total: fmt::count(total),
        scope_note,
    };
    render(&p)
}
