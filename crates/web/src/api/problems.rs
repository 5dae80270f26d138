//! 困难和问题: problems raised on a project, assigned to a unit or department, resolved by
//! the assignee; `GET /problems?overdue=true` is the supervisor's list.

use axum::Json;
use axum::http::StatusCode;
use chrono::NaiveDate;
use domain::tasks::ProblemStatus;
use store::problems::{NewProblem, Problem, ProblemEdit, ProblemFilter};

use super::Items;
use super::body::{Check, Input, body};
use super::tasks::{SYSTEM, work_update};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody, QueryCheck, QueryMap};

body! {
    /// A problem to raise.
    pub struct ProblemBody {
        #[schema(value_type = String, required = true)]
        title: Input<String>,
        #[schema(value_type = Option<String>)]
        detail: Input<String>,
        /// A unit code (a unit or a department); the project's own unit when left out.
        #[schema(value_type = Option<String>)]
        assignee: Input<String>,
        #[schema(value_type = Option<NaiveDate>)]
        due_on: Input<NaiveDate>,
    }
}

impl ProblemBody {
    pub fn input(self) -> Result<NewProblem, ApiError> {
        let own = ["status", "resolution", "resolved_on", "source", "version"];
        let mut c = Check::body(&domain::fields::PROBLEM, &self.extra, &[SYSTEM, &own].concat());
        let new = NewProblem {
            title: c.required("title", self.title).unwrap_or_default(),
            detail: c.optional("detail", self.detail),
            assignee: c.optional("assignee", self.assignee),
            due_on: c.optional("due_on", self.due_on),
        };
        c.finish(new)
    }
}

body! {
    /// The assignee's update: a new status (`in_progress`, `resolved`), a resolution, or both;
    /// `resolved` needs a resolution.
    pub struct ProblemPatchBody {
        /// `open`, `in_progress` or `resolved`.
        #[schema(value_type = Option<String>)]
        status: Input<String>,
        #[schema(value_type = Option<String>)]
        resolution: Input<String>,
        /// The version read; a stale one is refused (409).
        #[schema(value_type = i32, required = true)]
        version: Input<i32>,
    }
}

impl ProblemPatchBody {
    pub fn edit(self) -> Result<ProblemEdit, ApiError> {
        let own = ["title", "detail", "assignee", "due_on", "resolved_on", "source"];
        let mut c = Check::body(&domain::fields::PROBLEM, &self.extra, &[SYSTEM, &own].concat());
        let resolution = ("resolution", self.resolution);
        let (status, resolution, version) =
            work_update(&mut c, self.status, ProblemStatus::parse, &ProblemStatus::CODES, resolution, self.version);
        c.finish(ProblemEdit { status, resolution, version })
    }
}

/// The list filter from query parameters (the API and the 问题 page).
pub fn filter_from_query(q: &std::collections::BTreeMap<String, String>) -> Result<ProblemFilter, ApiError> {
    let mut c = QueryCheck::new(q);
    let status = c.parsed("status", ProblemStatus::parse, |_| format!("状态应为 {}", ProblemStatus::CODES.join("、")));
    let overdue = c.flag("overdue");
    let assignee = c.text("assignee");
    c.finish(ProblemFilter { status, assignee, overdue })
}

#[utoipa::path(get, path = "/api/v1/projects/{id}/problems", operation_id = "list_project_problems", tag = "problems", security(("bearer" = ["problem:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "the project's problems (a department: those assigned to it)", body = Items<Problem>), (status = 403, description = "out of scope"), (status = 404, description = "unknown project")))]
pub async fn list_for_project(db: Db<perm::ProblemRead>, Id(id): Id) -> ApiResult<Json<Items<Problem>>> {
    Ok(Json(Items::of(db.store().list_project_problems(id, domain::today_shanghai()).await?)))
}

#[utoipa::path(post, path = "/api/v1/projects/{id}/problems", operation_id = "create_problem", tag = "problems", security(("bearer" = ["problem:raise"])),
    params(("id" = i64, Path)), request_body = ProblemBody,
    responses((status = 201, description = "raised", body = Problem), (status = 403, description = "out of scope"), (status = 422, description = "invalid fields")))]
pub async fn create(
    db: Db<perm::ProblemRaise>,
    Id(id): Id,
    JsonBody(b): JsonBody<ProblemBody>,
) -> NamedResult<(StatusCode, Json<Problem>), table::Problem> {
    let new = b.input()?;
    Ok((StatusCode::CREATED, Json(db.store().add_problem(id, new, domain::today_shanghai()).await?)))
}

#[utoipa::path(patch, path = "/api/v1/problems/{id}", operation_id = "update_problem", tag = "problems", security(("bearer" = ["problem:update"])),
    params(("id" = i64, Path)), request_body = ProblemPatchBody,
    responses((status = 200, description = "updated", body = Problem), (status = 403, description = "not the assignee"), (status = 404, description = "unknown"),
        (status = 409, description = "illegal status change or stale version"), (status = 422, description = "invalid fields, or resolved without a resolution")))]
pub async fn update(
    db: Db<perm::ProblemUpdate>,
    Id(id): Id,
    JsonBody(b): JsonBody<ProblemPatchBody>,
) -> NamedResult<Json<Problem>, table::Problem> {
    let edit = b.edit()?;
    Ok(Json(db.store().edit_problem(id, edit, domain::today_shanghai()).await?))
}

#[utoipa::path(get, path = "/api/v1/problems", operation_id = "list_problems", tag = "problems", security(("bearer" = ["problem:read"])),
    params(("status" = Option<String>, Query), ("assignee" = Option<String>, Query, description = "unit code"),
        ("overdue" = Option<bool>, Query, description = "true: past the due date and not resolved")),
    responses((status = 200, description = "the problems in scope, open first", body = Items<Problem>)))]
pub async fn list(db: Db<perm::ProblemRead>, QueryMap(q): QueryMap) -> ApiResult<Json<Items<Problem>>> {
    let f = filter_from_query(&q)?;
    Ok(Json(Items::of(db.store().list_problems(&f, domain::today_shanghai()).await?)))
}
