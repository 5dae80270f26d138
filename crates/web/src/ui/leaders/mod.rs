//! 领导名录 pages (domain.md §6): the leaders the caller sees with the 新增 form, the
//! 包联领导 texts of projects in scope that are not linked to the register yet (and a button
//! that links those whose name matches), and a leader's page with its edit form. Every
//! form posts through the API's own body, so the page refuses what the API refuses.

use std::collections::BTreeMap;

use askama::Template;
use axum::response::Response;
use domain::Permission;
use domain::fields::LEADER;
use domain::leader::LeaderLevel;
use serde_json::{Map, Value};
use store::leaders::{Leader, LeaderFilter, LinkReport};

use super::agreements::forms_support::{respond, submit};
use super::project::{opts, scope_unit_opts};
use super::widgets::{Opt, form_helpers};
use super::{Chrome, FormData, Page, PageForm, UiResult, render, see_other};
use crate::api::leaders::LeaderBody;
use crate::auth::perm;
use crate::input::{Id, QueryMap};

/// A leader as a row of the list.
pub struct LeaderRow {
    pub id: i64,
    pub name: String,
    pub position: String,
    pub unit: String,
    pub level: &'static str,
    pub active: bool,
}

impl From<&Leader> for LeaderRow {
    fn from(l: &Leader) -> Self {
        LeaderRow {
            id: l.id,
            name: l.name.clone(),
            position: l.position.clone(),
            unit: l.unit_name.clone(),
            level: l.level().label(),
            active: l.active,
        }
    }
}

/// The levels this actor may register: the city's all three, a unit's below the city level.
fn level_opts(city: bool, current: &str) -> Vec<Opt> {
    let levels = LeaderLevel::REGISTER.iter().filter(|l| city || **l != LeaderLevel::CityLeader);
    opts(levels.map(|l| (l.code().to_string(), l.label().to_string())), current)
}

#[derive(Template)]
#[template(path = "leaders/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<LeaderRow>,
    total: u64,
    unit_filter: Vec<Opt>,
    level_filter: Vec<Opt>,
    can_write: bool,
    units: Vec<Opt>,
    levels: Vec<Opt>,
    links: Option<LinkReport>,
    can_link: bool,
    errors: BTreeMap<String, String>,
    form: BTreeMap<String, String>,
    notice: String,
}

form_helpers!(ListPage { f: LEADER, fv: self.form });

async fn list_page(
    page: &Page<perm::LeaderRead>,
    q: &BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    form: BTreeMap<String, String>,
) -> UiResult<ListPage> {
    let get = |k: &str| q.get(k).map_or("", |v| v.trim());
    let level = LeaderLevel::parse(get("level")).filter(|l| l.in_register());
    let unit =
        Some(get("unit").to_string()).filter(|u| !u.is_empty() && page.state.store.unit_tree().find(u).is_some());
    let f = LeaderFilter { unit, level, per_page: 500, ..Default::default() };
    let list = page.store().list_leaders(&f).await?;
    let city = page.actor.scope == store::Scope::All;
    let links = if page.can(Permission::ProjectRead) { Some(page.store().lead_leader_matches().await?) } else { None };
    let fv = |k: &str| form.get(k).map_or("", String::as_str);
    let notice = match (get("done"), get("n")) {
        ("created", _) => "领导已登记。".to_string(),
        ("linked", n) => format!("已将 {n} 个项目的包联领导关联到领导名录。"),
        _ => String::new(),
    };
    Ok(ListPage {
        chrome: page.chrome("/leaders"),
        rows: list.items.iter().map(LeaderRow::from).collect(),
        total: list.total,
        unit_filter: scope_unit_opts(page, get("unit")),
        level_filter: level_opts(true, get("level")),
        can_write: page.can(Permission::LeaderWrite),
        units: scope_unit_opts(page, fv("unit")),
        levels: level_opts(city, fv("level")),
        can_link: page.can(Permission::ProjectWrite),
        links,
        errors,
        form,
        notice,
    })
}

/// 领导名录: the leaders the caller sees.
pub async fn list(page: Page<perm::LeaderRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    render(&list_page(&page, &q, BTreeMap::new(), BTreeMap::new()).await?)
}

/// The form's fields as the API's body (the keys it takes).
fn body_of(form: &FormData, keys: &[&str]) -> Map<String, Value> {
    let mut b = form.to_json(&[]);
    b.retain(|k, _| keys.contains(&k.as_str()));
    b
}

/// `POST /leaders`: a new leader.
pub async fn create(f: PageForm<perm::LeaderWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let body = body_of(&form, &["name", "position", "unit", "level"]);
    let r = submit(Value::Object(body), LeaderBody::input, async |input| page.store().create_leader(input).await).await;
    respond(
        r,
        "",
        |_| "/leaders?done=created".into(),
        async |errors| list_page(&page.reading::<perm::LeaderRead>()?, &BTreeMap::new(), errors, form.values()).await,
    )
    .await
}

/// `POST /leaders/link`: link every project in scope whose 包联领导 text names a leader.
pub async fn link(f: PageForm<perm::ProjectWrite>) -> UiResult<Response> {
    let r = f.page.store().link_lead_leaders(true).await?;
    Ok(see_other(&format!("/leaders?done=linked&n={}", r.linked.len())))
}

/// A project a leader leads.
pub struct LedRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub stage: &'static str,
}

#[derive(Template)]
#[template(path = "leaders/detail.html")]
struct DetailPage {
    chrome: Chrome,
    l: Leader,
    level: &'static str,
    led: Vec<LedRow>,
    can_write: bool,
    units: Vec<Opt>,
    levels: Vec<Opt>,
    errors: BTreeMap<String, String>,
    form: BTreeMap<String, String>,
    notice: &'static str,
}

form_helpers!(DetailPage { f: LEADER, fv: self.form });

async fn detail_page(
    page: &Page<perm::LeaderRead>,
    id: i64,
    errors: BTreeMap<String, String>,
    form: Option<BTreeMap<String, String>>,
    notice: &'static str,
) -> UiResult<DetailPage> {
    let l = page.store().get_leader(id).await?;
    let city = page.actor.scope == store::Scope::All;
    let level = l.level();
    let can_write = page.can(Permission::LeaderWrite)
        && page.actor.scope.allows_unit(l.unit_id)
        && (city || level != LeaderLevel::CityLeader);
    let led = if page.can(Permission::ProjectRead) {
        page.store()
            .projects_led_by(id)
            .await?
            .into_iter()
            .map(|p| LedRow { id: p.id, code: p.code, name: p.name, stage: p.stage.label() })
            .collect()
    } else {
        vec![]
    };
    let form = form.unwrap_or_else(|| {
        [
            ("name", l.name.clone()),
            ("position", l.position.clone()),
            ("unit", l.unit.clone()),
            ("level", l.level.clone()),
            ("active", if l.active { "true" } else { "false" }.to_string()),
            ("version", l.version.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    });
    let fv = |k: &str| form.get(k).map_or("", String::as_str);
    Ok(DetailPage {
        chrome: page.chrome("/leaders"),
        level: level.label(),
        led,
        can_write,
        units: scope_unit_opts(page, fv("unit")),
        levels: level_opts(city, fv("level")),
        errors,
        notice,
        form,
        l,
    })
}

/// A leader's page.
pub async fn detail(page: Page<perm::LeaderRead>, Id(id): Id, QueryMap(q): QueryMap) -> UiResult<Response> {
    let notice = if q.get("done").is_some_and(|d| d == "saved") { "已保存。" } else { "" };
    render(&detail_page(&page, id, BTreeMap::new(), None, notice).await?)
}

/// `POST /leaders/{id}`: change a leader.
pub async fn update(Id(id): Id, f: PageForm<perm::LeaderWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let mut body = body_of(&form, &["name", "position", "unit", "level", "version"]);
    // a check box: absent when unticked
    body.insert("active".into(), Value::Bool(form.get("active") == "true"));
    if let Some(v) = body.get("version").and_then(Value::as_str).and_then(|v| v.parse::<i64>().ok()) {
        body.insert("version".into(), Value::from(v));
    }
    let r =
        submit(Value::Object(body), LeaderBody::patch, async |patch| page.store().update_leader(id, patch).await).await;
    respond(
        r,
        "",
        |_| format!("/leaders/{id}?done=saved"),
        async |errors| detail_page(&page.reading::<perm::LeaderRead>()?, id, errors, Some(form.values()), "").await,
    )
    .await
}
