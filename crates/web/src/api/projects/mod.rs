//! Projects: the ledger, one project, its stage transitions, timeline and funds.

mod body;

use std::collections::BTreeMap;

use axum::Json;
use axum::http::StatusCode;
pub use body::{FundsBody, ProgressBody, ProjectBody, ProjectPatchBody, TransitionBody, project_input, project_patch};
use domain::{Category, Stage};
use store::funds::FundsEntry;
use store::projects::{ProgressNote, Project, ProjectFilter, SortField, TimelineEvent};

use super::{Items, Page, paging};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody, QueryCheck, QueryMap};

/// The ledger filter from query parameters (shared with the export and the UI).
pub fn filter_from_query(q: &BTreeMap<String, String>) -> Result<ProjectFilter, ApiError> {
    let (page, per_page) = paging(q)?;
    let mut c = QueryCheck::new(q);
    let stage = c.parsed("stage", Stage::parse, |s| format!("阶段「{s}」无效"));
    let category = c.parsed("category", Category::parse, |s| format!("项目类别「{s}」无效"));
    let (sort, descending) = match c.text("sort") {
        None => (SortField::Id, true),
        Some(s) => {
            let (desc, name) = match s.strip_prefix('-') {
                Some(n) => (true, n.to_string()),
                None => (false, s.clone()),
            };
            match SortField::parse(&name) {
                Some(f) => (f, desc),
                None => {
                    c.err("sort", "排序字段应为 id、name、total_investment、signed_on、updated_at（前加 - 为降序）");
                    (SortField::Id, true)
                }
            }
        }
    };
    let city_reportable = c.flag("city_reportable");
    let key_project = c.flag("key_project");
    let include_deleted = c.flag("deleted").unwrap_or(false);
    if c.text("q").is_some_and(|v| v.chars().count() > 100) {
        c.err("q", "搜索词不能超过100个字符");
    }
    let filter = ProjectFilter {
        stage,
        unit: c.text("unit"),
        industry: c.text("industry"),
        region: c.text("region"),
        category,
        city_reportable,
        key_project,
        q: c.text("q"),
        include_deleted,
        sort,
        descending,
        page,
        per_page,
    };
    c.finish(filter)
}

#[utoipa::path(get, path = "/api/v1/projects", operation_id = "list_projects", tag = "projects", security(("bearer" = ["project:read"])),
    params(
        ("stage" = Option<String>, Query), ("unit" = Option<String>, Query, description = "unit code; includes its subtree"),
        ("industry" = Option<String>, Query, description = "industry code; includes sub-industries"), ("region" = Option<String>, Query),
        ("category" = Option<String>, Query), ("city_reportable" = Option<bool>, Query), ("key_project" = Option<bool>, Query),
        ("q" = Option<String>, Query, description = "substring of name, code or investor"),
        ("sort" = Option<String>, Query, description = "id, name, total_investment, signed_on, updated_at; prefix - for descending"),
        ("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query, description = "at most 500"),
    ),
    responses((status = 200, description = "a page of the ledger", body = Page<Project>)))]
pub async fn list(db: Db<perm::ProjectRead>, QueryMap(q): QueryMap) -> ApiResult<axum::response::Response> {
    let f = filter_from_query(&q)?;
    // The ledger is read far more than it is written: serve a repeat from the cache while
    // no write has happened since. The key holds the caller's scope and role.
    let key = format!("projects|{:?}|{}|{:?}", db.caller.actor.scope, db.caller.actor.is_city(), f);
    let generation = if db.state.cache.enabled() { Some(db.state.store.generation().await?) } else { None };
    if let Some(body) = generation.and_then(|g| db.state.cache.get(&key, g)) {
        return Ok(json_response(body));
    }
    let page = db.store().list_projects(&f).await?;
    let body = axum::body::Bytes::from(serde_json::to_vec(&page).map_err(|e| ApiError::Internal(e.to_string()))?);
    if let Some(g) = generation {
        db.state.cache.put(key, g, body.clone());
    }
    Ok(json_response(body))
}

fn json_response(body: axum::body::Bytes) -> axum::response::Response {
    use axum::response::IntoResponse;
    ([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[utoipa::path(post, path = "/api/v1/projects", operation_id = "create_project", tag = "projects", security(("bearer" = ["project:write"])),
    request_body(content = ProjectBody, description = "name, unit, industry, region and total_investment are required"),
    responses((status = 201, description = "the new project, stage reserve", body = Project), (status = 403, description = "unit out of scope"), (status = 422, description = "invalid fields")))]
pub async fn create(
    db: Db<perm::ProjectWrite>,
    JsonBody(b): JsonBody<ProjectBody>,
) -> NamedResult<(StatusCode, Json<Project>), table::Project> {
    let input = b.input()?;
    Ok((StatusCode::CREATED, Json(db.store().create_project(input).await?)))
}

#[utoipa::path(get, path = "/api/v1/projects/{id}", operation_id = "get_project", tag = "projects", security(("bearer" = ["project:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "the project", body = Project), (status = 403, description = "out of scope"), (status = 404, description = "unknown")))]
pub async fn get(db: Db<perm::ProjectRead>, Id(id): Id) -> ApiResult<Json<Project>> {
    Ok(Json(db.store().get_project(id).await?))
}

#[utoipa::path(patch, path = "/api/v1/projects/{id}", tag = "projects", security(("bearer" = ["project:write"])),
    params(("id" = i64, Path)), request_body = ProjectPatchBody,
    responses((status = 200, description = "updated", body = Project), (status = 409, description = "stale version"), (status = 422, description = "invalid fields")))]
pub async fn update(
    db: Db<perm::ProjectWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<ProjectPatchBody>,
) -> NamedResult<Json<Project>, table::Project> {
    let patch = b.patch()?;
    Ok(Json(db.store().update_project(id, patch).await?))
}

#[utoipa::path(delete, path = "/api/v1/projects/{id}", tag = "projects", security(("bearer" = ["project:delete"])),
    params(("id" = i64, Path)), responses((status = 204, description = "soft-deleted")))]
pub async fn delete(db: Db<perm::ProjectDelete>, Id(id): Id) -> ApiResult<StatusCode> {
    db.store().delete_project(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Undo a soft delete (no body).
#[utoipa::path(post, path = "/api/v1/projects/{id}/restore", tag = "projects", security(("bearer" = ["project:correct"])),
    params(("id" = i64, Path)), responses((status = 200, description = "restored", body = Project)))]
pub async fn restore(db: Db<perm::ProjectCorrect>, Id(id): Id) -> ApiResult<Json<Project>> {
    Ok(Json(db.store().restore_project(id).await?))
}

#[utoipa::path(post, path = "/api/v1/projects/{id}/transitions", tag = "projects", security(("bearer" = ["project:transition"])),
    params(("id" = i64, Path)), request_body = TransitionBody,
    responses((status = 200, description = "the updated project", body = Project), (status = 409, description = "illegal transition, with the reason in Chinese")))]
pub async fn transition(
    db: Db<perm::ProjectTransition>,
    Id(id): Id,
    JsonBody(b): JsonBody<TransitionBody>,
) -> NamedResult<Json<Project>, table::Transition> {
    let input = b.input()?;
    Ok(Json(db.store().transition_project(id, input).await?))
}

#[utoipa::path(get, path = "/api/v1/projects/{id}/timeline", tag = "projects", security(("bearer" = ["project:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "events, oldest first", body = Items<TimelineEvent>)))]
pub async fn timeline(db: Db<perm::ProjectRead>, Id(id): Id) -> ApiResult<Json<Items<TimelineEvent>>> {
    Ok(Json(Items::of(db.store().timeline(id).await?)))
}

#[utoipa::path(post, path = "/api/v1/projects/{id}/progress", tag = "projects", security(("bearer" = ["project:write"])),
    params(("id" = i64, Path)), request_body = ProgressBody,
    responses((status = 201, description = "recorded on the timeline", body = ProgressNote), (status = 422, description = "invalid")))]
pub async fn add_progress(
    db: Db<perm::ProjectWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<ProgressBody>,
) -> NamedResult<(StatusCode, Json<ProgressNote>), table::Progress> {
    let (date, progress) = b.input()?;
    let today = domain::today_shanghai();
    Ok((StatusCode::CREATED, Json(db.store().add_progress_note(id, date, progress, today).await?)))
}

#[utoipa::path(get, path = "/api/v1/projects/{id}/funds", tag = "funds", security(("bearer" = ["funds:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "funds-in-place entries", body = Items<FundsEntry>)))]
pub async fn list_funds(db: Db<perm::FundsRead>, Id(id): Id) -> ApiResult<Json<Items<FundsEntry>>> {
    Ok(Json(Items::of(db.store().list_funds(id).await?)))
}

#[utoipa::path(post, path = "/api/v1/projects/{id}/funds", tag = "funds", security(("bearer" = ["funds:write"])),
    params(("id" = i64, Path)), request_body = FundsBody,
    responses((status = 201, description = "created, waiting for review", body = FundsEntry), (status = 422, description = "invalid")))]
pub async fn add_funds(
    db: Db<perm::FundsWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<FundsBody>,
) -> NamedResult<(StatusCode, Json<FundsEntry>), table::Funds> {
    let new = b.input()?;
    Ok((StatusCode::CREATED, Json(db.store().add_funds(id, new).await?)))
}
