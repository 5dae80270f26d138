//! 领导名录 (domain.md §6; api.md `GET/POST /api/v1/leaders`): the leaders who lead projects
//! (a project's `lead_leader_id`) and activities (an activity's `leader_ids[]`). Reads need
//! leader:read (the city leaders and the leaders of the units in scope), writes leader:write
//! (city_admin every unit's and the city leaders; a unit's staff its subtree's).

use axum::Json;
use axum::http::StatusCode;
use domain::leader::LeaderLevel;
use store::leaders::{Leader, LeaderFilter, LeaderInput, LeaderPage, LeaderPatch};

use super::body::{Check, Input, body};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody, QueryCheck, QueryMap};

/// What the store keeps: refused in a body.
const SYSTEM: &[&str] = &["id", "unit_name", "display", "created_at", "updated_at", "created_by"];

const LEVELS: &str = "领导层级应为 city_leader、unit_chief 或 unit_deputy（市级领导、党政正职、党政副职）";

body! {
    /// A leader: name, position, unit and level (api.md); `active` (in office) and
    /// `version` (the one read) in a PATCH.
    pub struct LeaderBody {
        #[schema(value_type = String, required = true)]
        name: Input<String>,
        #[schema(value_type = String, required = true)]
        position: Input<String>,
        /// The unit's code.
        #[schema(value_type = String, required = true)]
        unit: Input<String>,
        /// `city_leader` | `unit_chief` | `unit_deputy`.
        #[schema(value_type = String, required = true)]
        level: Input<String>,
        /// PATCH only: still in office.
        #[schema(value_type = Option<bool>)]
        active: Input<bool>,
        /// PATCH only: the version read (stale → 409).
        #[schema(value_type = Option<i32>)]
        version: Input<i32>,
    }
}

fn level(c: &mut Check, v: Option<String>) -> Option<LeaderLevel> {
    c.code("level", v, |s| LeaderLevel::parse(s).filter(|l| l.in_register()), |_| LEVELS.into())
}

impl LeaderBody {
    pub fn input(self) -> Result<LeaderInput, ApiError> {
        let mut c = Check::body(&domain::fields::LEADER, &self.extra, &[SYSTEM, &["active", "version"]].concat());
        for (k, given) in [("active", self.active != Input::Absent), ("version", self.version != Input::Absent)] {
            if given {
                c.err(k, "新登记的领导不能指定该字段");
            }
        }
        let name = c.required("name", self.name);
        let position = c.required("position", self.position);
        let unit = c.required("unit", self.unit);
        let lv = c.required("level", self.level);
        let lv = level(&mut c, lv);
        let (name, position, unit, level) = c.finish_required((name, position, unit, lv))?;
        Ok(LeaderInput { name, position, unit, level })
    }

    pub fn patch(self) -> Result<LeaderPatch, ApiError> {
        let mut c = Check::body(&domain::fields::LEADER, &self.extra, SYSTEM);
        let version = c.required("version", self.version);
        let name = c.unclearable("name", self.name);
        let position = c.unclearable("position", self.position);
        let unit = c.unclearable("unit", self.unit);
        let lv = c.unclearable("level", self.level);
        let lv = level(&mut c, lv);
        let active = c.unclearable("active", self.active);
        let patch = LeaderPatch { version: version.unwrap_or(-1), name, position, unit, level: lv, active };
        c.finish(patch)
    }
}

#[utoipa::path(get, path = "/api/v1/leaders", operation_id = "list_leaders", tag = "leaders", security(("bearer" = ["leader:read"])),
    params(("unit" = Option<String>, Query, description = "a unit code or name (its subtree)"),
           ("level" = Option<String>, Query, description = "city_leader | unit_chief | unit_deputy"),
           ("q" = Option<String>, Query, description = "part of a name"),
           ("active" = Option<bool>, Query, description = "true: only those in office"),
           ("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query)),
    responses((status = 200, description = "the city leaders and the leaders of the units in scope, city leaders first", body = LeaderPage),
              (status = 422, description = "a bad filter")))]
pub async fn list(db: Db<perm::LeaderRead>, QueryMap(q): QueryMap) -> ApiResult<Json<LeaderPage>> {
    let mut c = QueryCheck::new(&q);
    let level = c.parsed("level", |s| LeaderLevel::parse(s).filter(|l| l.in_register()), |_| LEVELS.into());
    let active = c.flag("active");
    let (unit, name) = (c.text("unit"), c.text("q"));
    let (page, per_page) = super::paging(&q)?;
    let f = c.finish(LeaderFilter { unit, level, q: name, active, page, per_page })?;
    Ok(Json(db.store().list_leaders(&f).await?))
}

#[utoipa::path(post, path = "/api/v1/leaders", operation_id = "create_leader", tag = "leaders", security(("bearer" = ["leader:write"])),
    request_body = LeaderBody,
    responses((status = 201, description = "the new leader, in office", body = Leader),
              (status = 403, description = "a unit outside the caller's scope"),
              (status = 409, description = "the unit has a leader of that name"), (status = 422, description = "invalid")))]
pub async fn create(
    db: Db<perm::LeaderWrite>,
    JsonBody(b): JsonBody<LeaderBody>,
) -> NamedResult<(StatusCode, Json<Leader>), table::Leader> {
    let input = b.input()?;
    Ok((StatusCode::CREATED, Json(db.store().create_leader(input).await?)))
}

#[utoipa::path(get, path = "/api/v1/leaders/{id}", operation_id = "get_leader", tag = "leaders", security(("bearer" = ["leader:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "the leader", body = Leader)))]
pub async fn get(db: Db<perm::LeaderRead>, Id(id): Id) -> ApiResult<Json<Leader>> {
    Ok(Json(db.store().get_leader(id).await?))
}

#[utoipa::path(patch, path = "/api/v1/leaders/{id}", operation_id = "update_leader", tag = "leaders", security(("bearer" = ["leader:write"])),
    params(("id" = i64, Path)), request_body = LeaderBody,
    responses((status = 200, description = "the leader", body = Leader),
              (status = 403, description = "another unit's leader, or a city leader for a unit's staff"),
              (status = 409, description = "a stale version, or a name the unit has"), (status = 422, description = "invalid")))]
pub async fn update(
    db: Db<perm::LeaderWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<LeaderBody>,
) -> NamedResult<Json<Leader>, table::Leader> {
    let patch = b.patch()?;
    Ok(Json(db.store().update_leader(id, patch).await?))
}
