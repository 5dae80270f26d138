//! 四个一 (domain.md §4): a project's action plan (milestones), its work team, and which of
//! the three parts it has. Reads need `project:read`, writes `project:write`, on the project.

use axum::Json;
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use store::four_ones::{FourOnesStatus, Milestone, MilestoneInput, NewMember, TeamMember};
use utoipa::ToSchema;

use super::Items;
use super::agreements::nested;
use super::body::{Check, Input, body};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody};

const PROTECTED: &[&str] = &["id", "project_id", "created_at"];

body! {
    /// A milestone of the action plan; a PATCH may send any field (null clears an optional one)
    /// and must send `version`.
    pub struct MilestoneBody {
        #[schema(value_type = String, required = true)]
        title: Input<String>,
        /// 责任人.
        #[schema(value_type = Option<String>)]
        owner: Input<String>,
        #[schema(value_type = Option<NaiveDate>)]
        due_on: Input<NaiveDate>,
        #[schema(value_type = Option<NaiveDate>)]
        done_on: Input<NaiveDate>,
    }
}

/// A PATCH of a milestone: the version read and any field.
#[derive(Deserialize, ToSchema)]
pub struct MilestonePatchBody {
    #[serde(default)]
    #[schema(value_type = i32, required = true)]
    version: Input<i32>,
    #[serde(flatten)]
    fields: MilestoneBody,
}

impl MilestoneBody {
    fn read(self, c: &mut Check, create: bool) -> MilestoneInput {
        c.refuse_unknown(&self.extra, PROTECTED);
        MilestoneInput {
            title: c.needed("title", self.title, !create),
            owner: c.given("owner", self.owner),
            due_on: c.given("due_on", self.due_on),
            done_on: c.given("done_on", self.done_on),
            version: -1,
        }
    }

    pub fn input(self, today: NaiveDate) -> Result<MilestoneInput, ApiError> {
        let mut c = Check::new(&domain::fields::MILESTONE);
        let m = self.read(&mut c, true);
        checked(c, m, true, today)
    }
}

impl MilestonePatchBody {
    pub fn patch(self, today: NaiveDate) -> Result<MilestoneInput, ApiError> {
        let mut c = Check::new(&domain::fields::MILESTONE);
        let version = c.required("version", self.version);
        let m = self.fields.read(&mut c, false);
        checked(c, MilestoneInput { version: version.unwrap_or(-1), ..m }, false, today)
    }
}

/// The store's own rules too, so one answer names every bad field.
fn checked(mut c: Check, m: MilestoneInput, create: bool, today: NaiveDate) -> Result<MilestoneInput, ApiError> {
    for e in store::four_ones::validate(&m, create, today) {
        c.err(&e.field, e.message);
    }
    c.finish(m)
}

#[utoipa::path(get, path = "/api/v1/projects/{id}/milestones", tag = "four_ones", security(("bearer" = ["project:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "the action plan, by due date", body = Items<Milestone>)))]
pub async fn list_milestones(db: Db<perm::ProjectRead>, Id(id): Id) -> ApiResult<Json<Items<Milestone>>> {
    Ok(Json(Items::of(db.store().list_milestones(id).await?)))
}

#[utoipa::path(post, path = "/api/v1/projects/{id}/milestones", tag = "four_ones", security(("bearer" = ["project:write"])),
    params(("id" = i64, Path)), request_body = MilestoneBody,
    responses((status = 201, description = "the new milestone", body = Milestone), (status = 422, description = "invalid")))]
pub async fn create_milestone(
    db: Db<perm::ProjectWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<MilestoneBody>,
) -> NamedResult<(StatusCode, Json<Milestone>), table::Milestone> {
    let today = domain::today_shanghai();
    let input = b.input(today)?;
    Ok((StatusCode::CREATED, Json(db.store().create_milestone(id, input, today).await?)))
}

#[utoipa::path(patch, path = "/api/v1/milestones/{id}", tag = "four_ones", security(("bearer" = ["project:write"])),
    params(("id" = i64, Path)), request_body = MilestonePatchBody,
    responses((status = 200, description = "the milestone", body = Milestone), (status = 409, description = "stale version"), (status = 422, description = "invalid")))]
pub async fn update_milestone(
    db: Db<perm::ProjectWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<MilestonePatchBody>,
) -> NamedResult<Json<Milestone>, table::Milestone> {
    let today = domain::today_shanghai();
    let input = b.patch(today)?;
    Ok(Json(db.store().update_milestone(id, input, today).await?))
}

body! {
    /// A member of the work team.
    pub struct MemberBody {
        #[schema(value_type = String, required = true)]
        name: Input<String>,
        /// 职务.
        #[schema(value_type = Option<String>)]
        position: Input<String>,
        /// 团队分工.
        #[schema(value_type = Option<String>)]
        role: Input<String>,
        /// 组长: exactly one member is.
        #[schema(value_type = Option<bool>)]
        is_leader: Input<bool>,
    }
}

body! {
    /// The whole work team (PUT replaces it; an empty list clears it).
    pub struct TeamBody {
        #[schema(value_type = Vec<MemberBody>, required = true)]
        members: Input<Vec<Map<String, Value>>>,
    }
}

impl TeamBody {
    pub fn input(self) -> Result<Vec<NewMember>, ApiError> {
        let table = &domain::fields::TEAM_MEMBER;
        let mut c = Check::body(table, &self.extra, PROTECTED);
        let mut members = vec![];
        for (i, map) in c.required("members", self.members).unwrap_or_default().into_iter().enumerate() {
            let Ok(b) = serde_json::from_value::<MemberBody>(Value::Object(map)) else {
                c.err(&format!("members[{i}]"), "应为成员对象");
                continue;
            };
            let mut mc = Check::body(table, &b.extra, PROTECTED);
            let m = NewMember {
                name: mc.required("name", b.name).unwrap_or_default(),
                position: mc.optional("position", b.position),
                role: mc.optional("role", b.role),
                is_leader: mc.optional("is_leader", b.is_leader).unwrap_or(false),
            };
            match mc.finish(m) {
                Ok(m) => members.push(m),
                Err(ApiError::Validation(errors)) => {
                    for (k, why) in errors {
                        c.err(&format!("members[{i}].{k}"), nested(i, table.label(&k), &why));
                    }
                }
                Err(e) => return Err(e),
            }
        }
        for e in store::four_ones::validate_team(&members) {
            c.err(&e.field, e.message);
        }
        c.finish(members)
    }
}

/// A project's work team.
#[derive(Serialize, ToSchema)]
pub struct Team {
    pub members: Vec<TeamMember>,
}

#[utoipa::path(get, path = "/api/v1/projects/{id}/team", tag = "four_ones", security(("bearer" = ["project:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "the work team", body = Team)))]
pub async fn team(db: Db<perm::ProjectRead>, Id(id): Id) -> ApiResult<Json<Team>> {
    Ok(Json(Team { members: db.store().team(id).await? }))
}

#[utoipa::path(put, path = "/api/v1/projects/{id}/team", tag = "four_ones", security(("bearer" = ["project:write"])),
    params(("id" = i64, Path)), request_body = TeamBody,
    responses((status = 200, description = "the work team as saved", body = Team), (status = 422, description = "invalid, or not exactly one 组长")))]
pub async fn set_team(
    db: Db<perm::ProjectWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<TeamBody>,
) -> NamedResult<Json<Team>, table::TeamMember> {
    let members = b.input()?;
    Ok(Json(Team { members: db.store().set_team(id, members).await? }))
}

#[utoipa::path(get, path = "/api/v1/projects/{id}/four_ones", tag = "four_ones", security(("bearer" = ["project:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "which of 行动计划, 工作团队, 招商专案 the project has", body = FourOnesStatus)))]
pub async fn four_ones(db: Db<perm::ProjectRead>, Id(id): Id) -> ApiResult<Json<FourOnesStatus>> {
    Ok(Json(db.store().four_ones(id).await?))
}
