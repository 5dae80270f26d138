//! 新建/编辑项目: the form, its investors (pick from 企业库 or name a new one), save.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use domain::Category;
use domain::fields::PROJECT;

use super::{Opt, industry_opts, opts, region_opts, unit_opts};
use crate::AppState;
use crate::auth::perm;
use crate::error::ApiError;
use crate::input::Id;
use crate::ui::{Chrome, Page, PageForm, UiError, UiResult, fmt, render, render_status, see_other, widgets};

#[derive(Template)]
#[template(path = "project/form.html")]
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
    /// 包联领导: the leaders of the register who may lead a project of its unit.
    leaders: Vec<Opt>,
    companies: Vec<String>,
    errors: BTreeMap<String, String>,
}

widgets::form_helpers!(FormPage { f: PROJECT, val: self.v });

async fn form_page(
    page: &Page<perm::ProjectWrite>,
    id: Option<i64>,
    v: BTreeMap<String, String>,
    cats: Vec<String>,
    investors: Vec<String>,
    errors: BTreeMap<String, String>,
) -> UiResult<FormPage> {
    let s = &page.state;
    let (companies, _) = page
        .store()
        .list_companies(&store::companies::CompanyFilter { per_page: 2000, page: 1, ..Default::default() })
        .await?;
    let get = |k: &str| v.get(k).cloned().unwrap_or_default();
    let mut investors = investors;
    investors.resize(investors.len().max(3), String::new());
    // city leaders and those of the project's unit (a new project: of every unit in scope)
    let unit = Some(get("unit")).filter(|u| !u.is_empty());
    let leaders = match page.store().lead_leader_choices(unit.as_deref()).await {
        Ok(ls) => opts(
            ls.into_iter().map(|l| (l.id.to_string(), format!("{}　{}", l.display, l.unit_name))),
            &get("lead_leader_id"),
        ),
        Err(store::StoreError::Forbidden) => vec![],
        Err(e) => return Err(e.into()),
    };
    Ok(FormPage {
        chrome: page.chrome("/projects"),
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
        leaders,
        companies: companies.into_iter().map(|c| c.name).collect(),
        errors,
        v,
    })
}

pub async fn new_form(page: Page<perm::ProjectWrite>) -> UiResult<Response> {
    let tree = page.state.store.unit_tree();
    let mut v = BTreeMap::new();
    if let Some(u) = page.actor.unit_id.and_then(|u| tree.get(u)) {
        v.insert("unit".to_string(), u.code.clone());
    }
    let p = form_page(&page, None, v, vec![], vec![], BTreeMap::new()).await?;
    render(&p)
}

pub async fn edit_form(page: Page<perm::ProjectWrite>, Id(id): Id) -> UiResult<Response> {
    let p = page.store().get_project(id).await?;
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
        ("lead_leader_id", p.lead_leader_id.map(|i| i.to_string()).unwrap_or_default()),
        ("notes", p.notes.clone().unwrap_or_default()),
        ("version", p.version.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let cats = p.categories.iter().map(|c| c.code().to_string()).collect();
    let inv = p.investors.iter().map(|i| i.name.clone()).collect();
    let page_ = form_page(&page, Some(id), v, cats, inv, BTreeMap::new()).await?;
    render(&page_)
}

/// The investors named on the form (pick-or-create): the ids of the companies that exist,
/// by exact name, and the new companies to create. The store creates those in the same
/// transaction as the project (`*_project_with_companies`), so a refused save leaves no
/// orphan company behind (issue #10, hole 11).
async fn investors(
    s: &AppState,
    actor: &store::Actor,
    names: &[String],
    errors: &mut BTreeMap<String, String>,
) -> UiResult<(Vec<i64>, Vec<store::companies::NewCompany>)> {
    let (mut ids, mut new) = (vec![], vec![]);
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if let Some(e) = PROJECT.len_error("investors", name) {
            errors.insert("investors".into(), format!("「{name}」：{e}"));
            continue;
        }
        let found = s
            .store
            .scoped(actor)
            .list_companies(&store::companies::CompanyFilter {
                q: Some(name.to_string()),
                page: 1,
                per_page: 50,
                ..Default::default()
            })
            .await?
            .0
            .into_iter()
            .find(|c| c.name == name);
        match found {
            Some(c) if !ids.contains(&c.id) => ids.push(c.id),
            Some(_) => {}
            None if !new.iter().any(|n: &store::companies::NewCompany| n.name == name) => {
                new.push(store::companies::NewCompany {
                    name: name.to_string(),
                    country: "中国".into(),
                    notes: Some("录入项目时新建，待补充企业信息".into()),
                    ..Default::default()
                })
            }
            None => {}
        }
    }
    Ok((ids, new))
}

async fn save(id: Option<i64>, f: PageForm<perm::ProjectWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let s = &*page.state;
    let names = form.all("investor");
    let cats = form.all("categories");
    let mut body = form.to_json(&["categories"]);
    body.remove("investor");
    // 包联领导: a leader chosen from the register names the project's leader (its text is
    // the leader's); none chosen, the text is kept and matched to the register by name
    match body.remove("lead_leader_id").as_ref().and_then(serde_json::Value::as_str).map(str::parse::<i64>) {
        Some(Ok(id)) => {
            body.insert("lead_leader_id".into(), id.into());
            body.insert("lead_leader".into(), serde_json::Value::Null);
        }
        Some(Err(_)) => {
            body.insert("lead_leader_id".into(), "?".into());
        }
        None => {}
    }
    let parsed = match id {
        None => crate::api::projects::project_input(&body).map(Err),
        Some(_) => crate::api::projects::project_patch(&body).map(Ok),
    };
    let mut errors = match &parsed {
        Err(ApiError::Validation(f)) => f.clone(),
        Err(e) => return Err(UiError::Message(StatusCode::BAD_REQUEST, format!("{e:?}"))),
        Ok(_) => BTreeMap::new(),
    };
    let (ids, new) =
        if errors.is_empty() { investors(s, &page.actor, &names, &mut errors).await? } else { (vec![], vec![]) };
    let result = match (parsed, errors.is_empty()) {
        (Ok(Err(mut input)), true) => {
            input.investor_ids = ids;
            page.store().create_project_with_companies(input, new).await.map(|p| (p.id, "created"))
        }
        (Ok(Ok(mut patch)), true) => {
            patch.investor_ids = Some(ids);
            let id = id.unwrap_or_default();
            page.store().update_project_with_companies(id, patch, new).await.map(|p| (p.id, "saved"))
        }
        _ => Err(store::StoreError::Validation(vec![])),
    };
    match result {
        Ok((pid, done)) => return Ok(see_other(&format!("/projects/{pid}?done={done}"))),
        Err(store::StoreError::Validation(v)) if v.is_empty() => {}
        Err(e) => match ApiError::from(e) {
            // a new investor's own errors belong beside the investors field
            ApiError::Validation(f) => errors.extend(
                f.into_iter().map(|(k, v)| (if k == "new_investors" { "investors".to_string() } else { k }, v)),
            ),
            ApiError::Conflict(m) => {
                errors.insert("version".into(), m);
            }
            other => return Err(other.into()),
        },
    }
    let v = form.0.iter().filter_map(|(k, v)| Some((k.clone(), v.first()?.clone()))).collect();
    let p = form_page(&page, id, v, cats, names, errors).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

pub async fn create(f: PageForm<perm::ProjectWrite>) -> UiResult<Response> {
    save(None, f).await
}

pub async fn update(Id(id): Id, f: PageForm<perm::ProjectWrite>) -> UiResult<Response> {
    save(Some(id), f).await
}
