//! Projects: the ledger, one project, its stage transitions, timeline and funds.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::{Category, Stage};
use serde_json::{Map, Value, json};
use store::funds::NewFunds;
use store::projects::{ProjectFilter, ProjectInput, ProjectPatch, SortField, TransitionInput};

use super::paging;
use crate::AppState;
use crate::auth::{Caller, perm};
use crate::error::{ApiError, ApiResult};
use crate::input::{Fields, Id, JsonObject, QueryMap};

/// Fields the system maintains; writing them is refused (security.md §7, mass assignment).
const PROTECTED: &[&str] = &[
    "id",
    "code",
    "stage",
    "accepted_stage",
    "review_state",
    "paused_from",
    "signed_on",
    "approved_on",
    "started_on",
    "producing_on",
    "at_capacity_on",
    "city_reportable",
    "key_project",
    "created_at",
    "updated_at",
    "deleted_at",
    "investors",
    "unit_name",
];

const WRITABLE: &[&str] = &[
    "name",
    "unit",
    "investor_ids",
    "industry",
    "region",
    "channel",
    "categories",
    "total_investment",
    "foreign_investment",
    "land_mu",
    "expected_output",
    "expected_tax",
    "expected_jobs",
    "expected_producing_on",
    "lead_leader",
    "notes",
];

fn categories(f: &mut Fields) -> Option<Vec<Category>> {
    let v = f.strings("categories")?;
    let parsed: Vec<Option<Category>> = v.iter().map(|c| Category::parse(c)).collect();
    if parsed.iter().any(Option::is_none) {
        f.err("categories", "项目类别应为 pillar、targeted、foreign、headquarters（梁柱型、靶向、外资、总部）");
        return None;
    }
    Some(parsed.into_iter().flatten().collect())
}

fn jobs(f: &mut Fields) -> Option<Option<i32>> {
    match f.opt_int("expected_jobs") {
        Some(Some(v)) if (0..=10_000_000).contains(&v) => Some(Some(v as i32)),
        Some(Some(_)) => {
            f.err("expected_jobs", "应为0到10000000之间的整数");
            None
        }
        other => other.map(|_| None),
    }
}

pub fn project_input(body: &Map<String, Value>) -> Result<ProjectInput, ApiError> {
    let mut f = Fields::new(body);
    let mut protected = PROTECTED.to_vec();
    protected.push("version");
    f.only(WRITABLE, &protected);
    let input = ProjectInput {
        name: f.text("name").unwrap_or_default(),
        unit: f.text("unit").unwrap_or_default(),
        investor_ids: f.ids("investor_ids").unwrap_or_default(),
        industry: f.text("industry").unwrap_or_default(),
        region: f.text("region").unwrap_or_default(),
        channel: f.opt_text("channel").flatten(),
        categories: categories(&mut f).unwrap_or_default(),
        total_investment: f.money("total_investment").unwrap_or_default(),
        foreign_investment: f.opt_money("foreign_investment").flatten(),
        land_mu: f.opt_money("land_mu").flatten(),
        expected_output: f.opt_money("expected_output").flatten(),
        expected_tax: f.opt_money("expected_tax").flatten(),
        expected_jobs: jobs(&mut f).flatten(),
        expected_producing_on: f.opt_date("expected_producing_on").flatten(),
        lead_leader: f.opt_text("lead_leader").flatten(),
        notes: f.opt_text("notes").flatten(),
        created_on: None,
    };
    f.finish()?;
    Ok(input)
}

pub fn project_patch(body: &Map<String, Value>) -> Result<ProjectPatch, ApiError> {
    let mut f = Fields::new(body);
    let mut allowed = WRITABLE.to_vec();
    allowed.push("version");
    f.only(&allowed, PROTECTED);
    let required_text = |f: &mut Fields, k: &str| if f.has(k) { f.text(k) } else { None };
    let patch = ProjectPatch {
        version: f.int("version").and_then(|v| i32::try_from(v).ok()).unwrap_or(-1),
        name: required_text(&mut f, "name"),
        unit: required_text(&mut f, "unit"),
        investor_ids: f.ids("investor_ids"),
        industry: required_text(&mut f, "industry"),
        region: required_text(&mut f, "region"),
        channel: f.opt_text("channel"),
        categories: categories(&mut f),
        total_investment: if f.has("total_investment") { f.money("total_investment") } else { None },
        foreign_investment: f.opt_money("foreign_investment"),
        land_mu: f.opt_money("land_mu"),
        expected_output: f.opt_money("expected_output"),
        expected_tax: f.opt_money("expected_tax"),
        expected_jobs: jobs(&mut f),
        expected_producing_on: f.opt_date("expected_producing_on"),
        lead_leader: f.opt_text("lead_leader"),
        notes: f.opt_text("notes"),
    };
    f.finish()?;
    Ok(patch)
}

fn bool_param(q: &BTreeMap<String, String>, k: &str, errors: &mut BTreeMap<String, String>) -> Option<bool> {
    match q.get(k).map(|s| s.trim()) {
        None | Some("") => None,
        Some("true") | Some("1") => Some(true),
        Some("false") | Some("0") => Some(false),
        Some(_) => {
            errors.insert(k.into(), "应为 true 或 false".into());
            None
        }
    }
}

/// The ledger filter from query parameters (shared with the export and the UI).
pub fn filter_from_query(q: &BTreeMap<String, String>) -> Result<ProjectFilter, ApiError> {
    let (page, per_page) = paging(q)?;
    let mut errors = BTreeMap::new();
    let nonempty = |k: &str| q.get(k).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let stage = nonempty("stage").and_then(|s| {
        let st = Stage::parse(&s);
        if st.is_none() {
            errors.insert("stage".to_string(), format!("阶段「{s}」无效"));
        }
        st
    });
    let category = nonempty("category").and_then(|s| {
        let c = Category::parse(&s);
        if c.is_none() {
            errors.insert("category".to_string(), format!("项目类别「{s}」无效"));
        }
        c
    });
    let (sort, descending) = match nonempty("sort") {
        None => (SortField::Id, true),
        Some(s) => {
            let (desc, name) = match s.strip_prefix('-') {
                Some(n) => (true, n.to_string()),
                None => (false, s.clone()),
            };
            match SortField::parse(&name) {
                Some(f) => (f, desc),
                None => {
                    errors.insert(
                        "sort".into(),
                        "排序字段应为 id、name、total_investment、signed_on、updated_at（前加 - 为降序）".into(),
                    );
                    (SortField::Id, true)
                }
            }
        }
    };
    let city_reportable = bool_param(q, "city_reportable", &mut errors);
    let key_project = bool_param(q, "key_project", &mut errors);
    let include_deleted = bool_param(q, "deleted", &mut errors).unwrap_or(false);
    if let Some(v) = nonempty("q").filter(|v| v.chars().count() > 100) {
        let _ = v;
        errors.insert("q".into(), "搜索词不能超过100个字符".into());
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(ProjectFilter {
        stage,
        unit: nonempty("unit"),
        industry: nonempty("industry"),
        region: nonempty("region"),
        category,
        city_reportable,
        key_project,
        q: nonempty("q"),
        include_deleted,
        sort,
        descending,
        page,
        per_page,
    })
}

#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", security(("bearer" = ["project:read"])),
    params(
        ("stage" = Option<String>, Query), ("unit" = Option<String>, Query, description = "unit code; includes its subtree"),
        ("industry" = Option<String>, Query, description = "industry code; includes sub-industries"), ("region" = Option<String>, Query),
        ("category" = Option<String>, Query), ("city_reportable" = Option<bool>, Query), ("key_project" = Option<bool>, Query),
        ("q" = Option<String>, Query, description = "substring of name, code or investor"),
        ("sort" = Option<String>, Query, description = "id, name, total_investment, signed_on, updated_at; prefix - for descending"),
        ("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query, description = "at most 500"),
    ),
    responses((status = 200, description = "{items, total, page, per_page}")))]
pub async fn list(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::ProjectRead>,
    QueryMap(q): QueryMap,
) -> ApiResult<axum::response::Response> {
    let f = filter_from_query(&q)?;
    // The ledger is read far more than it is written: serve a repeat from the cache while
    // no write has happened since. The key holds the caller's scope and role.
    let key = format!("projects|{:?}|{}|{:?}", c.actor.scope, c.actor.is_city(), f);
    let generation = if s.cache.enabled() { Some(s.store.generation().await?) } else { None };
    if let Some(body) = generation.and_then(|g| s.cache.get(&key, g)) {
        return Ok(json_response(body));
    }
    let page = s.store.scoped(&c.actor).list_projects(&f).await?;
    let body = axum::body::Bytes::from(serde_json::to_vec(&page).map_err(|e| ApiError::Internal(e.to_string()))?);
    if let Some(g) = generation {
        s.cache.put(key, g, body.clone());
    }
    Ok(json_response(body))
}

fn json_response(body: axum::body::Bytes) -> axum::response::Response {
    use axum::response::IntoResponse;
    ([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", security(("bearer" = ["project:write"])),
    responses((status = 201, description = "the new project, stage reserve"), (status = 403, description = "unit out of scope"), (status = 422, description = "invalid fields")))]
pub async fn create(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::ProjectWrite>,
    JsonObject(body): JsonObject,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let input = project_input(&body)?;
    let p = s.store.scoped(&c.actor).create_project(input).await?;
    Ok((StatusCode::CREATED, Json(json!(p))))
}

#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", security(("bearer" = ["project:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "the project"), (status = 403, description = "out of scope"), (status = 404, description = "unknown")))]
pub async fn get(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::ProjectRead>,
    Id(id): Id,
) -> ApiResult<Json<store::projects::Project>> {
    Ok(Json(s.store.scoped(&c.actor).get_project(id).await?))
}

#[utoipa::path(patch, path = "/api/v1/projects/{id}", tag = "projects", security(("bearer" = ["project:write"])),
    params(("id" = i64, Path)), responses((status = 200, description = "updated"), (status = 409, description = "stale version"), (status = 422, description = "invalid fields")))]
pub async fn update(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::ProjectWrite>,
    Id(id): Id,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<Value>> {
    let patch = project_patch(&body)?;
    Ok(Json(json!(s.store.scoped(&c.actor).update_project(id, patch).await?)))
}

#[utoipa::path(delete, path = "/api/v1/projects/{id}", tag = "projects", security(("bearer" = ["project:delete"])),
    params(("id" = i64, Path)), responses((status = 204, description = "soft-deleted")))]
pub async fn delete(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::ProjectDelete>,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    s.store.scoped(&c.actor).delete_project(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/projects/{id}/restore", tag = "projects", security(("bearer" = ["project:correct"])),
    params(("id" = i64, Path)), responses((status = 200, description = "restored")))]
pub async fn restore(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::ProjectCorrect>,
    Id(id): Id,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!(s.store.scoped(&c.actor).restore_project(id).await?)))
}

#[utoipa::path(post, path = "/api/v1/projects/{id}/transitions", tag = "projects", security(("bearer" = ["project:transition"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the updated project"), (status = 409, description = "illegal transition, with the reason in Chinese")))]
pub async fn transition(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::ProjectTransition>,
    Id(id): Id,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<Value>> {
    let mut f = Fields::new(&body);
    f.only(&["to", "date", "note", "reason", "skipped_dates", "version"], &[]);
    let to = f.text("to").and_then(|t| {
        let s = Stage::parse(&t);
        if s.is_none() {
            f.err("to", format!("阶段「{t}」无效"));
        }
        s
    });
    let date = f.date("date");
    let mut skipped_dates = BTreeMap::new();
    if let Some(m) = f.object("skipped_dates") {
        for (k, v) in m {
            match (Stage::parse(k), v.as_str().and_then(crate::input::parse_date)) {
                (Some(st), Some(d)) => {
                    skipped_dates.insert(st, d);
                }
                _ => f.err("skipped_dates", format!("「{k}」应为阶段代码，值为 YYYY-MM-DD 日期")),
            }
        }
    }
    let input = TransitionInput {
        to: to.unwrap_or(Stage::Reserve),
        date: date.unwrap_or_default(),
        skipped_dates,
        note: f.opt_text("note").flatten(),
        reason: f.opt_text("reason").flatten(),
        version: f.opt_int("version").flatten().and_then(|v| i32::try_from(v).ok()),
    };
    f.finish()?;
    Ok(Json(json!(s.store.scoped(&c.actor).transition_project(id, input).await?)))
}

#[utoipa::path(get, path = "/api/v1/projects/{id}/timeline", tag = "projects", security(("bearer" = ["project:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "events, oldest first")))]
pub async fn timeline(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::ProjectRead>,
    Id(id): Id,
) -> ApiResult<Json<Value>> {
    let items = s.store.scoped(&c.actor).timeline(id).await?;
    Ok(Json(json!({"items": items, "total": items.len()})))
}

#[utoipa::path(get, path = "/api/v1/projects/{id}/funds", tag = "funds", security(("bearer" = ["funds:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "funds-in-place entries")))]
pub async fn list_funds(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::FundsRead>,
    Id(id): Id,
) -> ApiResult<Json<Value>> {
    let items = s.store.scoped(&c.actor).list_funds(id).await?;
    Ok(Json(json!({"items": items, "total": items.len()})))
}

#[utoipa::path(post, path = "/api/v1/projects/{id}/funds", tag = "funds", security(("bearer" = ["funds:write"])),
    params(("id" = i64, Path)), responses((status = 201, description = "created"), (status = 422, description = "invalid")))]
pub async fn add_funds(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::FundsWrite>,
    Id(id): Id,
    JsonObject(body): JsonObject,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut f = Fields::new(&body);
    f.only(&["date", "kind", "amount", "note"], &["id", "review_state", "project_id", "created_at"]);
    let new = NewFunds {
        date: f.date("date").unwrap_or_default(),
        kind: f.text("kind").unwrap_or_default(),
        amount: f.money("amount").unwrap_or_default(),
        note: f.opt_text("note").flatten(),
    };
    // Checked here as well as in the store so that one answer names every bad field.
    if f.has("kind") && !store::funds::KINDS.contains(&new.kind.as_str()) {
        f.err("kind", "类型应为 domestic_out_of_province（省外资金）或 foreign（外资）");
    }
    if new.date > domain::today_shanghai() {
        f.err("date", "到位日期不能晚于今天");
    }
    f.finish()?;
    let e = s.store.scoped(&c.actor).add_funds(id, new).await?;
    Ok((StatusCode::CREATED, Json(json!(e))))
}
