//! 靶向项目库 (domain.md §3; api.md `GET /api/v1/targets`, `…/{id}/follow_ups`): a unit's
//! targets, their follow-up log, status and conversion into a project; city_admin's
//! city-wide view of the companies two or more units court. Reads need target:read, writes
//! target:write, within the target's unit.

use axum::Json;
use axum::http::StatusCode;
use chrono::NaiveDate;
use domain::Money;
use domain::target::{FollowUpChannel, TargetStatus};
use serde::Serialize;
use store::projects::Project;
use store::targets::{
    ConvertInput, FollowUp, FollowUpInput, SharedCompany, Target, TargetFilter, TargetInput, TargetPage,
};
use utoipa::ToSchema;

use super::Items;
use super::body::{Check, Input, RecordId, body};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody, QueryCheck, QueryMap};

/// What the store keeps: refused in a body.
const SYSTEM: &[&str] =
    &["id", "status", "project_id", "converted_at", "created_at", "updated_at", "unit_name", "company_name"];

body! {
    /// A new target: the company courted, the unit, the industry chain and the 研判 notes.
    pub struct TargetBody {
        #[schema(value_type = i64, required = true)]
        company_id: Input<RecordId>,
        /// The owning unit's code (in the caller's scope).
        #[schema(value_type = String, required = true)]
        unit: Input<String>,
        /// An industry code of industries.csv.
        #[schema(value_type = String, required = true)]
        industry: Input<String>,
        #[schema(value_type = Option<String>)]
        strategy: Input<String>,
        #[schema(value_type = Option<String>)]
        layout: Input<String>,
        #[schema(value_type = Option<String>)]
        signals: Input<String>,
        #[schema(value_type = Option<NaiveDate>)]
        next_follow_up_on: Input<NaiveDate>,
    }
}

impl TargetBody {
    pub fn input(self) -> Result<TargetInput, ApiError> {
        let mut c = Check::body(&domain::fields::TARGET, &self.extra, SYSTEM);
        let t = TargetInput {
            company_id: c.required("company_id", self.company_id).map_or(0, |r| r.0),
            unit: c.required("unit", self.unit).unwrap_or_default(),
            industry: c.required("industry", self.industry).unwrap_or_default(),
            strategy: c.optional("strategy", self.strategy),
            layout: c.optional("layout", self.layout),
            signals: c.optional("signals", self.signals),
            next_follow_up_on: c.optional("next_follow_up_on", self.next_follow_up_on),
        };
        for e in store::targets::validate(&t) {
            c.err(&e.field, e.message);
        }
        c.finish(t)
    }
}

body! {
    /// A status change: `contacted`, `interested`, `dropped` (with `drop_reason`) or back to
    /// `watching` from `dropped`; `converted` only through `/convert`.
    pub struct TargetStatusBody {
        #[schema(value_type = String, required = true)]
        status: Input<String>,
        #[schema(value_type = Option<String>)]
        drop_reason: Input<String>,
        #[schema(value_type = i32, required = true)]
        version: Input<i32>,
    }
}

body! {
    /// One follow-up (api.md: `date, channel, summary, next_follow_up_on`).
    pub struct FollowUpBody {
        #[schema(value_type = NaiveDate, required = true)]
        date: Input<NaiveDate>,
        /// `visit` | `meeting` | `phone` | `online` | `event` | `letter`.
        #[schema(value_type = String, required = true)]
        channel: Input<String>,
        #[schema(value_type = String, required = true)]
        summary: Input<String>,
        #[schema(value_type = Option<NaiveDate>)]
        next_follow_up_on: Input<NaiveDate>,
    }
}

body! {
    /// What the new project needs beyond the target: its name, the investor's source region
    /// and the total investment (万元, a decimal string); `version`, the target's as read.
    pub struct ConvertBody {
        #[schema(value_type = String, required = true)]
        name: Input<String>,
        #[schema(value_type = String, required = true)]
        region: Input<String>,
        #[schema(value_type = String, required = true)]
        total_investment: Input<Money>,
        #[schema(value_type = i32, required = true)]
        version: Input<i32>,
    }
}

/// The target after its conversion, and the project it became.
#[derive(Serialize, ToSchema)]
pub struct Converted {
    pub target: Target,
    pub project: Project,
}

#[utoipa::path(get, path = "/api/v1/targets", operation_id = "list_targets", tag = "targets", security(("bearer" = ["target:read"])),
    params(("unit" = Option<String>, Query, description = "a unit code or name (its subtree)"),
           ("status" = Option<String>, Query), ("company_id" = Option<i64>, Query),
           ("industry" = Option<String>, Query, description = "an industry code: it and the codes below it"),
           ("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query)),
    responses((status = 200, description = "the targets in the caller's scope, the latest changed first", body = TargetPage),
              (status = 422, description = "a bad filter")))]
pub async fn list(db: Db<perm::TargetRead>, QueryMap(q): QueryMap) -> ApiResult<Json<TargetPage>> {
    let mut c = QueryCheck::new(&q);
    let status = c.parsed("status", TargetStatus::parse, |s| format!("跟踪状态「{s}」无效"));
    let company_id = c.parsed("company_id", crate::input::record_id, |_| "应为企业编号".into());
    let (unit, industry) = (c.text("unit"), c.text("industry"));
    let (page, per_page) = super::paging(&q)?;
    let f = c.finish(TargetFilter { unit, status, company_id, industry, page, per_page })?;
    Ok(Json(db.store().list_targets(&f).await?))
}

#[utoipa::path(post, path = "/api/v1/targets", operation_id = "create_target", tag = "targets", security(("bearer" = ["target:write"])),
    request_body = TargetBody,
    responses((status = 201, description = "the new target, 关注中", body = Target),
              (status = 409, description = "the unit courts this company already"), (status = 422, description = "invalid")))]
pub async fn create(
    db: Db<perm::TargetWrite>,
    JsonBody(b): JsonBody<TargetBody>,
) -> NamedResult<(StatusCode, Json<Target>), table::Target> {
    let input = b.input()?;
    Ok((StatusCode::CREATED, Json(db.store().create_target(input).await?)))
}

#[utoipa::path(get, path = "/api/v1/targets/{id}", operation_id = "get_target", tag = "targets", security(("bearer" = ["target:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "the target", body = Target)))]
pub async fn get(db: Db<perm::TargetRead>, Id(id): Id) -> ApiResult<Json<Target>> {
    Ok(Json(db.store().get_target(id).await?))
}

#[utoipa::path(get, path = "/api/v1/targets/shared", operation_id = "shared_targets", tag = "targets", security(("bearer" = ["target:read"])),
    responses((status = 200, description = "city_admin: the companies two or more units court, with each unit's target", body = Items<SharedCompany>),
              (status = 403, description = "not the city-wide scope")))]
pub async fn shared(db: Db<perm::TargetRead>) -> ApiResult<Json<Items<SharedCompany>>> {
    Ok(Json(Items::of(db.store().shared_targets().await?)))
}

#[utoipa::path(post, path = "/api/v1/targets/{id}/status", operation_id = "set_target_status", tag = "targets", security(("bearer" = ["target:write"])),
    params(("id" = i64, Path)), request_body = TargetStatusBody,
    responses((status = 200, description = "the target", body = Target), (status = 409, description = "a stale version"),
              (status = 422, description = "a move the rules refuse, or 已放弃 without its reason")))]
pub async fn set_status(
    db: Db<perm::TargetWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<TargetStatusBody>,
) -> NamedResult<Json<Target>, table::Target> {
    let (to, reason, version) = status_input(b)?;
    Ok(Json(db.store().set_target_status(id, to, reason, version).await?))
}

#[utoipa::path(get, path = "/api/v1/targets/{id}/follow_ups", operation_id = "list_follow_ups", tag = "targets", security(("bearer" = ["target:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "the follow-up log, the latest first", body = Items<FollowUp>)))]
pub async fn follow_ups(db: Db<perm::TargetRead>, Id(id): Id) -> ApiResult<Json<Items<FollowUp>>> {
    Ok(Json(Items::of(db.store().list_follow_ups(id).await?)))
}

#[utoipa::path(post, path = "/api/v1/targets/{id}/follow_ups", operation_id = "add_follow_up", tag = "targets", security(("bearer" = ["target:write"])),
    params(("id" = i64, Path)), request_body = FollowUpBody,
    responses((status = 201, description = "the follow-up; the target's next follow-up date is its", body = FollowUp),
              (status = 409, description = "the target is converted or dropped"), (status = 422, description = "invalid")))]
pub async fn add_follow_up(
    db: Db<perm::TargetWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<FollowUpBody>,
) -> NamedResult<(StatusCode, Json<FollowUp>), table::FollowUp> {
    let input = follow_up_input(b)?;
    Ok((StatusCode::CREATED, Json(db.store().add_follow_up(id, input, domain::today_shanghai()).await?)))
}

#[utoipa::path(post, path = "/api/v1/targets/{id}/convert", operation_id = "convert_target", tag = "targets", security(("bearer" = ["target:write"])),
    params(("id" = i64, Path)), request_body = ConvertBody,
    responses((status = 201, description = "the converted target and its new reserve project", body = Converted),
              (status = 409, description = "converted already, dropped, or a stale version"), (status = 422, description = "invalid")))]
pub async fn convert(
    db: Db<perm::TargetWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<ConvertBody>,
) -> NamedResult<(StatusCode, Json<Converted>), table::Project> {
    let (target, project) = db.store().convert_target(id, convert_input(b)?).await?;
    Ok((StatusCode::CREATED, Json(Converted { target, project })))
}

/// A status change's fields, every bad one named.
pub fn status_input(b: TargetStatusBody) -> Result<(TargetStatus, Option<String>, i32), ApiError> {
    let mut c = Check::body(&domain::fields::TARGET, &b.extra, SYSTEM);
    let status = c.required("status", b.status);
    let to = status.as_deref().and_then(TargetStatus::parse);
    if status.is_some() && to.is_none() {
        c.err("status", "跟踪状态无效，应为 watching、contacted、interested 或 dropped");
    }
    let reason = c.optional("drop_reason", b.drop_reason);
    let version = c.required("version", b.version);
    let (to, version) = c.finish_required((to, version))?;
    Ok((to, reason, version))
}

/// A follow-up's fields, every bad one named.
pub fn follow_up_input(b: FollowUpBody) -> Result<FollowUpInput, ApiError> {
    let mut c = Check::body(&domain::fields::FOLLOW_UP, &b.extra, &["id", "target_id", "by", "created_at"]);
    let date = c.required("date", b.date);
    let channel = c.required("channel", b.channel);
    let parsed = channel.as_deref().and_then(FollowUpChannel::parse);
    if channel.is_some() && parsed.is_none() {
        c.err("channel", "跟进方式无效，应为 visit、meeting、phone、online、event 或 letter");
    }
    let summary = c.required("summary", b.summary);
    let next_follow_up_on = c.optional("next_follow_up_on", b.next_follow_up_on);
    let (date, channel, summary) = c.finish_required((date, parsed, summary))?;
    Ok(FollowUpInput { date, channel, summary, next_follow_up_on })
}

/// A conversion's fields (named by the project's field table), every bad one named.
pub fn convert_input(b: ConvertBody) -> Result<ConvertInput, ApiError> {
    let mut c = Check::body(&domain::fields::PROJECT, &b.extra, &["id", "unit", "industry", "investor_ids", "stage"]);
    let name = c.required("name", b.name);
    let region = c.required("region", b.region);
    let total = c.required("total_investment", b.total_investment);
    let version = c.required("version", b.version);
    let (name, region, total_investment, version) = c.finish_required((name, region, total, version))?;
    Ok(ConvertInput { name, region, total_investment, version })
}
