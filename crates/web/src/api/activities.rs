//! 招商活动 (domain.md §6; api.md `GET/POST /api/v1/activities`): a unit's trips, leader
//! visits, receptions, promotions, expos and talks, with the leaders of the register who led
//! them (`leader_ids[]`; the `leader_level` is then theirs), the companies met, the targets
//! contacted, the projects created or signed, the cost; evidence through `/api/v1/attachments`
//! (`entity: activity`). Reads need activity:read, writes activity:write, within the
//! organising unit's scope. `GET /api/v1/activities/counts`: by unit and by leader.

use axum::Json;
use axum::http::StatusCode;
use chrono::NaiveDate;
use domain::Money;
use domain::activity::ActivityKind;
use domain::leader::LeaderLevel;
use domain::monthly::Month;
use store::activities::{Activity, ActivityCounts, ActivityFilter, ActivityInput, ActivityPage, ActivityPatch};

use super::body::{Check, Input, RecordId, body};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody, QueryCheck, QueryMap};

/// What the store keeps: refused in a body.
const SYSTEM: &[&str] =
    &["id", "unit_name", "leaders", "companies", "projects", "attachments", "created_at", "updated_at", "created_by"];

const KINDS: &str = "活动类型应为 team_trip、leader_visit、exchange、promotion、expo 或 talks（小分队外出招商、领导带队拜访、高层互访/来访接待、专题推介会、展会、洽谈）";
const LEVELS: &str =
    "最高领导层级应为 city_leader、unit_chief、unit_deputy 或 staff（市级领导、党政正职、党政副职、工作人员）";

body! {
    /// An activity (api.md): `kind, start_on, end_on, region, city, country, unit,
    /// leader_level, company_ids[], project_ids[], summary`, with `title`, `leader_ids[]`,
    /// `participants`, `target_ids[]`, `intentions`, `intention_notes`,
    /// `signed_project_ids[]` and `cost`; `version` (the one read) in a PATCH.
    pub struct ActivityBody {
        #[schema(value_type = String, required = true)]
        title: Input<String>,
        /// `team_trip` | `leader_visit` | `exchange` | `promotion` | `expo` | `talks`.
        #[schema(value_type = String, required = true)]
        kind: Input<String>,
        #[schema(value_type = NaiveDate, required = true)]
        start_on: Input<NaiveDate>,
        /// Blank: the start day.
        #[schema(value_type = Option<NaiveDate>)]
        end_on: Input<NaiveDate>,
        /// A region code (regions.csv).
        #[schema(value_type = String, required = true)]
        region: Input<String>,
        #[schema(value_type = String, required = true)]
        city: Input<String>,
        /// Blank: 中国.
        #[schema(value_type = Option<String>)]
        country: Input<String>,
        /// The organising unit's code.
        #[schema(value_type = String, required = true)]
        unit: Input<String>,
        /// Leaders of the register (`/api/v1/leaders`): city leaders or the unit's.
        #[schema(value_type = Option<Vec<i64>>)]
        leader_ids: Input<Vec<RecordId>>,
        /// Given when no leader of the register led it; with `leader_ids` it may not exceed
        /// their highest. `city_leader` | `unit_chief` | `unit_deputy` | `staff`.
        #[schema(value_type = Option<String>)]
        leader_level: Input<String>,
        #[schema(value_type = Option<String>)]
        participants: Input<String>,
        #[schema(value_type = Option<Vec<i64>>)]
        company_ids: Input<Vec<RecordId>>,
        /// Targets (靶向企业) of the unit contacted.
        #[schema(value_type = Option<Vec<i64>>)]
        target_ids: Input<Vec<RecordId>>,
        /// Investment intentions reached (a count).
        #[schema(value_type = Option<i32>, minimum = 0)]
        intentions: Input<i32>,
        #[schema(value_type = Option<String>)]
        intention_notes: Input<String>,
        /// The unit's projects it created.
        #[schema(value_type = Option<Vec<i64>>)]
        project_ids: Input<Vec<RecordId>>,
        /// The unit's projects it signed.
        #[schema(value_type = Option<Vec<i64>>)]
        signed_project_ids: Input<Vec<RecordId>>,
        #[schema(value_type = Option<String>)]
        summary: Input<String>,
        /// 万元, a decimal string.
        #[schema(value_type = Option<String>)]
        cost: Input<Money>,
        /// PATCH only: the version read (stale → 409).
        #[schema(value_type = Option<i32>)]
        version: Input<i32>,
    }
}

fn ids(v: Vec<RecordId>) -> Vec<i64> {
    v.into_iter().map(|RecordId(i)| i).collect()
}

fn kind(c: &mut Check, v: Option<String>) -> Option<ActivityKind> {
    c.code("kind", v, ActivityKind::parse, |_| KINDS.into())
}

fn level(c: &mut Check, v: Option<Option<String>>) -> Option<Option<LeaderLevel>> {
    match v {
        Some(Some(s)) => c.code("leader_level", Some(s), LeaderLevel::parse, |_| LEVELS.into()).map(Some),
        Some(None) => Some(None),
        None => None,
    }
}

impl ActivityBody {
    pub fn input(self) -> Result<ActivityInput, ApiError> {
        let mut c = Check::body(&domain::fields::ACTIVITY, &self.extra, &[SYSTEM, &["version"]].concat());
        if self.version != Input::Absent {
            c.err("version", "新登记的活动不能指定版本号");
        }
        let title = c.required("title", self.title);
        let k = c.required("kind", self.kind);
        let k = kind(&mut c, k);
        let start_on = c.required("start_on", self.start_on);
        let region = c.required("region", self.region);
        let city = c.required("city", self.city);
        let unit = c.required("unit", self.unit);
        let lv = c.given("leader_level", self.leader_level);
        let lv = level(&mut c, lv).flatten();
        let end_on = c.optional("end_on", self.end_on);
        let country = c.optional("country", self.country);
        let leader_ids = c.optional("leader_ids", self.leader_ids).map(ids).unwrap_or_default();
        let participants = c.optional("participants", self.participants);
        let company_ids = c.optional("company_ids", self.company_ids).map(ids).unwrap_or_default();
        let target_ids = c.optional("target_ids", self.target_ids).map(ids).unwrap_or_default();
        let intentions = c.optional("intentions", self.intentions);
        let intention_notes = c.optional("intention_notes", self.intention_notes);
        let project_ids = c.optional("project_ids", self.project_ids).map(ids).unwrap_or_default();
        let signed_project_ids = c.optional("signed_project_ids", self.signed_project_ids).map(ids).unwrap_or_default();
        let summary = c.optional("summary", self.summary);
        let cost = c.optional("cost", self.cost);
        let (title, kind, start_on, region, city, unit) =
            c.finish_required((title, k, start_on, region, city, unit))?;
        Ok(ActivityInput {
            title,
            kind,
            start_on,
            end_on,
            region,
            city,
            country,
            unit,
            leader_ids,
            leader_level: lv,
            participants,
            company_ids,
            target_ids,
            intentions,
            intention_notes,
            project_ids,
            signed_project_ids,
            summary,
            cost,
        })
    }

    pub fn patch(self) -> Result<ActivityPatch, ApiError> {
        let mut c = Check::body(&domain::fields::ACTIVITY, &self.extra, SYSTEM);
        let version = c.required("version", self.version);
        let k = c.unclearable("kind", self.kind);
        let lv = c.given("leader_level", self.leader_level);
        let list = |c: &mut Check, field: &str, v: Input<Vec<RecordId>>| {
            c.given(field, v).map(|v| v.map(ids).unwrap_or_default())
        };
        let patch = ActivityPatch {
            version: version.unwrap_or(-1),
            title: c.unclearable("title", self.title),
            kind: kind(&mut c, k),
            start_on: c.unclearable("start_on", self.start_on),
            end_on: c.given("end_on", self.end_on),
            region: c.unclearable("region", self.region),
            city: c.unclearable("city", self.city),
            country: c.given("country", self.country),
            unit: c.unclearable("unit", self.unit),
            leader_ids: list(&mut c, "leader_ids", self.leader_ids),
            leader_level: level(&mut c, lv),
            participants: c.given("participants", self.participants),
            company_ids: list(&mut c, "company_ids", self.company_ids),
            target_ids: list(&mut c, "target_ids", self.target_ids),
            intentions: c.given("intentions", self.intentions),
            intention_notes: c.given("intention_notes", self.intention_notes),
            project_ids: list(&mut c, "project_ids", self.project_ids),
            signed_project_ids: list(&mut c, "signed_project_ids", self.signed_project_ids),
            summary: c.given("summary", self.summary),
            cost: c.given("cost", self.cost),
        };
        c.finish(patch)
    }
}

/// The period of a query: `month` (YYYY-MM), else `from` and `to` (either may be open).
pub fn period(c: &mut QueryCheck) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let date = |s: &str| crate::input::parse_date(s);
    let bad = |_: &str| "日期格式应为 YYYY-MM-DD".to_string();
    let month = c.parsed("month", Month::parse, |_| "月份格式应为 YYYY-MM".into());
    let from = c.parsed("from", date, bad);
    let to = c.parsed("to", date, bad);
    match month {
        Some(m) => (Some(m.first_day()), Some(m.last_day())),
        None => (from, to),
    }
}

/// A list's filters, every bad one named.
pub fn filter(q: &std::collections::BTreeMap<String, String>) -> Result<ActivityFilter, ApiError> {
    let mut c = QueryCheck::new(q);
    let kind = c.parsed("kind", ActivityKind::parse, |_| KINDS.into());
    let (from, to) = period(&mut c);
    let id = crate::input::record_id;
    let leader_id = c.parsed("leader_id", id, |_| "应为领导编号".into());
    let company_id = c.parsed("company_id", id, |_| "应为企业编号".into());
    let unit = c.text("unit");
    let (page, per_page) = super::paging(q)?;
    c.finish(ActivityFilter { unit, kind, from, to, leader_id, company_id, ascending: false, page, per_page })
}

#[utoipa::path(get, path = "/api/v1/activities", operation_id = "list_activities", tag = "activities", security(("bearer" = ["activity:read"])),
    params(("unit" = Option<String>, Query, description = "a unit code or name (its subtree)"),
           ("kind" = Option<String>, Query), ("month" = Option<String>, Query, description = "YYYY-MM: the activities on any day of it"),
           ("from" = Option<NaiveDate>, Query), ("to" = Option<NaiveDate>, Query),
           ("leader_id" = Option<i64>, Query), ("company_id" = Option<i64>, Query),
           ("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query)),
    responses((status = 200, description = "the activities in the caller's scope, the latest first", body = ActivityPage),
              (status = 422, description = "a bad filter")))]
pub async fn list(db: Db<perm::ActivityRead>, QueryMap(q): QueryMap) -> ApiResult<Json<ActivityPage>> {
    let f = filter(&q)?;
    Ok(Json(db.store().list_activities(&f).await?))
}

#[utoipa::path(post, path = "/api/v1/activities", operation_id = "create_activity", tag = "activities", security(("bearer" = ["activity:write"])),
    request_body = ActivityBody,
    responses((status = 201, description = "the new activity", body = Activity),
              (status = 403, description = "a unit outside the caller's scope"), (status = 422, description = "invalid")))]
pub async fn create(
    db: Db<perm::ActivityWrite>,
    JsonBody(b): JsonBody<ActivityBody>,
) -> NamedResult<(StatusCode, Json<Activity>), table::Activity> {
    let input = b.input()?;
    Ok((StatusCode::CREATED, Json(db.store().create_activity(input).await?)))
}

#[utoipa::path(get, path = "/api/v1/activities/{id}", operation_id = "get_activity", tag = "activities", security(("bearer" = ["activity:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "the activity, with its evidence files", body = Activity)))]
pub async fn get(db: Db<perm::ActivityRead>, Id(id): Id) -> ApiResult<Json<Activity>> {
    Ok(Json(db.store().get_activity(id).await?))
}

#[utoipa::path(patch, path = "/api/v1/activities/{id}", operation_id = "update_activity", tag = "activities", security(("bearer" = ["activity:write"])),
    params(("id" = i64, Path)), request_body = ActivityBody,
    responses((status = 200, description = "the activity", body = Activity),
              (status = 409, description = "a stale version"), (status = 422, description = "invalid")))]
pub async fn update(
    db: Db<perm::ActivityWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<ActivityBody>,
) -> NamedResult<Json<Activity>, table::Activity> {
    let patch = b.patch()?;
    Ok(Json(db.store().update_activity(id, patch).await?))
}

#[utoipa::path(get, path = "/api/v1/activities/counts", operation_id = "activity_counts", tag = "activities", security(("bearer" = ["activity:read"])),
    params(("unit" = Option<String>, Query, description = "a unit code or name (its subtree)"),
           ("month" = Option<String>, Query), ("from" = Option<NaiveDate>, Query, description = "default: 1 January of this year"),
           ("to" = Option<NaiveDate>, Query, description = "default: 31 December of this year")),
    responses((status = 200, description = "the activities dated in the period, by organising unit (with leader_visits_500 and leader_talks) and by leader", body = ActivityCounts),
              (status = 422, description = "a bad filter")))]
pub async fn counts(db: Db<perm::ActivityRead>, QueryMap(q): QueryMap) -> ApiResult<Json<ActivityCounts>> {
    let mut c = QueryCheck::new(&q);
    let (from, to) = period(&mut c);
    let unit = c.text("unit");
    c.finish(())?;
    let (jan1, dec31) = crate::input::this_year();
    let (from, to) = (from.unwrap_or(jan1), to.unwrap_or(dec31));
    Ok(Json(db.store().activity_counts(unit.as_deref(), from, to).await?))
}
