//! 督办: `GET/POST /api/v1/supervisions`, `POST …/{id}/reply`, `POST …/{id}/close`.

use axum::Json;
use axum::http::StatusCode;
use chrono::NaiveDate;
use domain::warnings::SupervisionStatus;
use store::supervisions::{NewSupervision, Supervision};

use super::Items;
use super::body::{Check, Input, body};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody, QueryCheck, QueryMap};

body! {
    /// A new item: `warning_key` (a warning's key) or `project_id`, a deadline and an instruction.
    pub struct SupervisionBody {
        #[schema(value_type = Option<String>)]
        warning_key: Input<String>,
        #[schema(value_type = Option<i64>)]
        project_id: Input<i64>,
        #[schema(value_type = NaiveDate, required = true)]
        deadline: Input<NaiveDate>,
        #[schema(value_type = String, required = true)]
        instruction: Input<String>,
    }
}

body! {
    /// The unit's answer; `version` (optional) guards against a stale page.
    pub struct ReplyBody {
        #[schema(value_type = String, required = true)]
        reply: Input<String>,
        #[schema(value_type = Option<i32>)]
        version: Input<i32>,
    }
}

body! {
    /// Closing takes only the optional `version`.
    pub struct CloseBody {
        #[schema(value_type = Option<i32>)]
        version: Input<i32>,
    }
}

const PROTECTED: &[&str] = &["id", "status", "unit_id", "created_at", "replied_at", "closed_at"];

impl SupervisionBody {
    pub fn input(self) -> Result<NewSupervision, ApiError> {
        let mut c = Check::body(&domain::fields::SUPERVISION, &self.extra, PROTECTED);
        let new = NewSupervision {
            warning_key: c.optional("warning_key", self.warning_key),
            project_id: c.optional("project_id", self.project_id),
            deadline: c.required("deadline", self.deadline).unwrap_or_default(),
            instruction: c.required("instruction", self.instruction).unwrap_or_default(),
        };
        c.finish(new)
    }
}

impl ReplyBody {
    pub fn input(self) -> Result<(String, Option<i32>), ApiError> {
        let mut c = Check::body(&domain::fields::SUPERVISION, &self.extra, PROTECTED);
        let reply = c.required("reply", self.reply).unwrap_or_default();
        let version = c.optional("version", self.version);
        c.finish((reply, version))
    }
}

impl CloseBody {
    pub fn input(self) -> Result<Option<i32>, ApiError> {
        let mut c = Check::body(&domain::fields::SUPERVISION, &self.extra, PROTECTED);
        let version = c.optional("version", self.version);
        c.finish(version)
    }
}

#[utoipa::path(get, path = "/api/v1/supervisions", operation_id = "list_supervisions", tag = "supervisions", security(("bearer" = ["warning:read"])),
    params(("status" = Option<String>, Query, description = "open | replied | closed")),
    responses((status = 200, description = "the 督办 items of the caller's scope", body = Items<Supervision>),
              (status = 422, description = "a bad status")))]
pub async fn list(db: Db<perm::WarningRead>, QueryMap(q): QueryMap) -> ApiResult<Json<Items<Supervision>>> {
    let mut check = QueryCheck::new(&q);
    let status = check
        .parsed("status", SupervisionStatus::parse, |s| format!("督办状态「{s}」无效，应为 open、replied 或 closed"));
    let status = check.finish(status)?;
    Ok(Json(Items::of(db.store().list_supervisions(status).await?)))
}

#[utoipa::path(post, path = "/api/v1/supervisions", operation_id = "create_supervision", tag = "supervisions", security(("bearer" = ["supervision:write"])),
    request_body = SupervisionBody,
    responses((status = 201, description = "opened", body = Supervision), (status = 422, description = "invalid")))]
pub async fn create(
    db: Db<perm::SupervisionWrite>,
    JsonBody(b): JsonBody<SupervisionBody>,
) -> NamedResult<(StatusCode, Json<Supervision>), table::Supervision> {
    let new = b.input()?;
    let out = db.store().create_supervision(new, domain::today_shanghai()).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

#[utoipa::path(post, path = "/api/v1/supervisions/{id}/reply", operation_id = "reply_supervision", tag = "supervisions", security(("bearer" = ["supervision:reply"])),
    params(("id" = i64, Path)), request_body = ReplyBody,
    responses((status = 200, description = "answered", body = Supervision), (status = 409, description = "closed or stale")))]
pub async fn reply(
    db: Db<perm::SupervisionReply>,
    Id(id): Id,
    JsonBody(b): JsonBody<ReplyBody>,
) -> NamedResult<Json<Supervision>, table::Supervision> {
    let (reply, version) = b.input()?;
    Ok(Json(db.store().reply_supervision(id, reply, version).await?))
}

#[utoipa::path(post, path = "/api/v1/supervisions/{id}/close", operation_id = "close_supervision", tag = "supervisions", security(("bearer" = ["supervision:write"])),
    params(("id" = i64, Path)), request_body = CloseBody,
    responses((status = 200, description = "closed", body = Supervision), (status = 409, description = "not answered yet, closed or stale")))]
pub async fn close(
    db: Db<perm::SupervisionWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<CloseBody>,
) -> NamedResult<Json<Supervision>, table::Supervision> {
    let version = b.input()?;
    Ok(Json(db.store().close_supervision(id, version).await?))
}
