//! 企业库: the list of companies with their 500强 marks and its Excel export (this module),
//! each company's page with its ranking history, projects, targets and contacts
//! ([`detail`]), and city_admin's import of a published ranking list ([`rankings`]).
//!
//! A company is shared by all units (domain.md §3); the projects and targets that name it are
//! unit data, so a company's page lists only those in the caller's scope.

mod detail;
pub mod rankings;

pub use detail::{add_contact, detail};

use askama::Template;
use axum::http::Uri;
use axum::response::Response;
use store::companies::CompanyFilter;

use crate::auth::perm;
use crate::ui::project::{industry_name, marks};
pub use crate::ui::widgets::{Pager, page_number, pager};
use crate::ui::{Chrome, FormData, Page, UiResult, fmt, render};

const PER_PAGE: u64 = 50;

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
#[template(path = "company/list.html")]
struct ListPage {
    chrome: Chrome,
    q: String,
    ranked: bool,
    rows: Vec<CompanyRow>,
    pager: Pager,
    export_href: String,
    can_import: bool,
}

pub async fn list(page: Page<perm::CompanyRead>, uri: Uri) -> UiResult<Response> {
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
    let (items, total) = page.store().list_companies(&filter).await?;
    let ids: Vec<i64> = items.iter().map(|c| c.id).collect();
    let counts = page.store().company_project_counts(&ids).await?;
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
    let keep = keep.join("&");
    let pager = pager("/companies", &keep, n, PER_PAGE, total, rows.len());
    let export_href =
        if keep.is_empty() { "/companies/export.xlsx".into() } else { format!("/companies/export.xlsx?{keep}") };
    let can_import = page.can(domain::Permission::RankingImport);
    render(&ListPage { chrome: page.chrome("/companies"), q, ranked, rows, pager, export_href, can_import })
}

/// `GET /companies/export.xlsx`: the list's filter as Excel (every page).
pub async fn export(
    page: Page<perm::CompanyRead>,
    crate::input::QueryMap(q): crate::input::QueryMap,
) -> UiResult<Response> {
    let (name, bytes) = crate::api::companies::export_file(&page.state, &page.actor, &q).await?;
    Ok(crate::ledger::download(&name, bytes))
}
