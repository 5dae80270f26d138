//! A company's page: its facts, its 500强 marks and the projects in the caller's scope that
//! name it.

use askama::Template;
use axum::response::Response;
use store::Scope;
use store::companies::Company;

use crate::auth::perm;
use crate::input::Id;
use crate::ui::project::{Fact, industry_name, marks, region_name, stage_class};
use crate::ui::{Chrome, Page, UiResult, fmt, render};

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
#[template(path = "company/detail.html")]
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

pub async fn detail(page: Page<perm::CompanyRead>, Id(id): Id) -> UiResult<Response> {
    let c = page.store().get_company(id).await?;
    let (items, total) = page.store().company_projects(id).await?;
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
        chrome: page.chrome("/companies"),
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
