//! 部门任务: a project's tasks for departments, assigned by its unit or city_admin and
//! answered by the department (`PATCH /tasks/{id}`); a department user lists only its own.

use axum::Json;
use axum::http::StatusCode;
use chrono::NaiveDate;
use domain::tasks::TaskStatus;
use store::tasks::{NewTask, Task, TaskEdit};

use super::Items;
use super::body::{Check, Input, body};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody, QueryMap};

body! {
    /// A task to assign to a department.
    pub struct TaskBody {
        /// The department's unit code (a unit of kind `department`).
        #[schema(value_type = String, required = true)]
        department: Input<String>,
        #[schema(value_type = String, required = true)]
        title: Input<String>,
        #[schema(value_type = Option<NaiveDate>)]
        due_on: Input<NaiveDate>,
    }
}

/// The protected fields of a task and a problem: the store keeps them.
pub(crate) const SYSTEM: &[&str] = &["id", "project", "project_id", "created_at", "updated_at", "days_overdue"];

impl TaskBody {
    pub fn input(self) -> Result<NewTask, ApiError> {
        let mut c = Check::body(
            &domain::fields::TASK,
            &self.extra,
            &[SYSTEM, &["status", "reply", "replied_at", "done_on", "version"]].concat(),
        );
        let new = NewTask {
            department: c.required("department", self.department).unwrap_or_default(),
            title: c.required("title", self.title).unwrap_or_default(),
            due_on: c.optional("due_on", self.due_on),
        };
        c.finish(new)
    }
}

body! {
    /// A department's answer: a new status (`in_progress`, `done`), a reply, or both; `done`
    /// needs a reply.
    pub struct TaskPatchBody {
        /// `open`, `in_progress` or `done`.
        #[schema(value_type = Option<String>)]
        status: Input<String>,
        #[schema(value_type = Option<String>)]
        reply: Input<String>,
        /// The version read; a stale one is refused (409).
        #[schema(value_type = i32, required = true)]
        version: Input<i32>,
    }
}

/// A work item's update, a task's or a problem's: a status of its vocabulary (`parse`,
/// `codes`), the answer (`text`, under its field's name) and the version read.
pub(crate) fn work_update<S>(
    c: &mut Check,
    status: Input<String>,
    parse: fn(&str) -> Option<S>,
    codes: &[&str],
    (field, text): (&str, Input<String>),
    version: Input<i32>,
) -> (Option<S>, Option<String>, i32) {
    let status = c.optional("status", status);
    let status = c.code("status", status, parse, |_| format!("状态应为 {}", codes.join("、")));
    let text = c.given(field, text).map(Option::unwrap_or_default);
    (status, text, c.required("version", version).unwrap_or_default())
}

impl TaskPatchBody {
    pub fn edit(self) -> Result<TaskEdit, ApiError> {
        let mut c = Check::body(
            &domain::fields::TASK,
            &self.extra,
            &[SYSTEM, &["department", "title", "due_on", "replied_at", "done_on"]].concat(),
        );
        let reply = ("reply", self.reply);
        let (status, reply, version) =
            work_update(&mut c, self.status, TaskStatus::parse, &TaskStatus::CODES, reply, self.version);
        c.finish(TaskEdit { status, reply, version })
    }
}

#[utoipa::path(get, path = "/api/v1/projects/{id}/tasks", operation_id = "list_project_tasks", tag = "tasks", security(("bearer" = ["task:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "the project's tasks (a department: its own)", body = Items<Task>), (status = 403, description = "out of scope"), (status = 404, description = "unknown project")))]
pub async fn list_for_project(db: Db<perm::TaskRead>, Id(id): Id) -> ApiResult<Json<Items<Task>>> {
    Ok(Json(Items::of(db.store().list_project_tasks(id, domain::today_shanghai()).await?)))
}

#[utoipa::path(post, path = "/api/v1/projects/{id}/tasks", operation_id = "create_task", tag = "tasks", security(("bearer" = ["task:assign"])),
    params(("id" = i64, Path)), request_body = TaskBody,
    responses((status = 201, description = "assigned", body = Task), (status = 403, description = "out of scope"), (status = 422, description = "invalid fields")))]
pub async fn create(
    db: Db<perm::TaskAssign>,
    Id(id): Id,
    JsonBody(b): JsonBody<TaskBody>,
) -> NamedResult<(StatusCode, Json<Task>), table::Task> {
    let new = b.input()?;
    Ok((StatusCode::CREATED, Json(db.store().add_task(id, new, domain::today_shanghai()).await?)))
}

#[utoipa::path(patch, path = "/api/v1/tasks/{id}", operation_id = "update_task", tag = "tasks", security(("bearer" = ["task:reply"])),
    params(("id" = i64, Path)), request_body = TaskPatchBody,
    responses((status = 200, description = "updated", body = Task), (status = 403, description = "another department's task"), (status = 404, description = "unknown"),
        (status = 409, description = "illegal status change or stale version"), (status = 422, description = "invalid fields, or done without a reply")))]
pub async fn update(
    db: Db<perm::TaskReply>,
    Id(id): Id,
    JsonBody(b): JsonBody<TaskPatchBody>,
) -> NamedResult<Json<Task>, table::Task> {
    let edit = b.edit()?;
    Ok(Json(db.store().edit_task(id, edit, domain::today_shanghai()).await?))
}

#[utoipa::path(get, path = "/api/v1/tasks", operation_id = "list_tasks", tag = "tasks", security(("bearer" = ["task:read"])),
    params(("open" = Option<bool>, Query, description = "true: only tasks not done")),
    responses((status = 200, description = "the tasks in scope (a department: its own), open first", body = Items<Task>)))]
pub async fn list(db: Db<perm::TaskRead>, QueryMap(q): QueryMap) -> ApiResult<Json<Items<Task>>> {
    let open = super::flag(&q, "open")?.unwrap_or(false);
    Ok(Json(Items::of(db.store().list_tasks(open, domain::today_shanghai()).await?)))
}
