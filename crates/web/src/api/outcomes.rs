//! 运行监测 (domain.md §4): a producing project's yearly output, tax and jobs beside the
//! expected values. `GET /api/v1/projects/{id}/outcomes` (project:read) and
//! `PUT /api/v1/projects/{id}/outcomes/{year}` (project:write), which records or corrects one
//! year. Not in api.md's table: an addition on its conventions.

use axum::Json;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use domain::Money;
use store::outcomes::{OutcomeInput, OutcomeYear, ProjectOutcomes};

use super::body::{Check, Input, body};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody};

body! {
    /// One year's figures; `version` (the version read) when the year is recorded already.
    pub struct OutcomeBody {
        /// 实际产值, 万元 (a decimal string).
        #[schema(value_type = Option<String>)]
        output: Input<Money>,
        /// 实际税收, 万元.
        #[schema(value_type = Option<String>)]
        tax: Input<Money>,
        /// 实际就业, 人.
        #[schema(value_type = Option<i32>)]
        jobs: Input<i32>,
        #[schema(value_type = Option<String>)]
        note: Input<String>,
        #[schema(value_type = Option<i32>)]
        version: Input<i32>,
    }
}

impl OutcomeBody {
    /// The store's input, every bad field named (the store's own rules too).
    pub fn input(self) -> Result<OutcomeInput, ApiError> {
        let mut c = Check::body(&domain::fields::OUTCOME, &self.extra, &["id", "project_id", "year", "updated_at"]);
        let input = OutcomeInput {
            output: c.optional("output", self.output),
            tax: c.optional("tax", self.tax),
            jobs: c.optional("jobs", self.jobs),
            note: c.optional("note", self.note),
            version: c.optional("version", self.version),
        };
        for e in store::outcomes::validate(&input) {
            c.err(&e.field, e.message);
        }
        c.finish(input)
    }
}

/// `/projects/{id}/outcomes/{year}`: a project id and a year; anything else is not found.
pub struct ProjectYear(pub i64, pub i32);

impl<S: Send + Sync> FromRequestParts<S> for ProjectYear {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path((id, year)) =
            Path::<(String, String)>::from_request_parts(parts, state).await.map_err(|_| ApiError::NotFound)?;
        let id = crate::input::record_id(&id).ok_or(ApiError::NotFound)?;
        let year = year.parse::<i32>().ok().filter(|y| (1949..=9999).contains(y)).ok_or(ApiError::NotFound)?;
        Ok(ProjectYear(id, year))
    }
}

#[utoipa::path(get, path = "/api/v1/projects/{id}/outcomes", operation_id = "list_outcomes", tag = "outcomes", security(("bearer" = ["project:read"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the expected values and each year recorded, the latest first", body = ProjectOutcomes),
              (status = 404, description = "no such project in the caller's scope")))]
pub async fn list(db: Db<perm::ProjectRead>, Id(id): Id) -> ApiResult<Json<ProjectOutcomes>> {
    Ok(Json(db.store().outcomes(id).await?))
}

#[utoipa::path(put, path = "/api/v1/projects/{id}/outcomes/{year}", operation_id = "record_outcome", tag = "outcomes", security(("bearer" = ["project:write"])),
    params(("id" = i64, Path), ("year" = i32, Path, description = "the year, from the producing year to this year")),
    request_body = OutcomeBody,
    responses((status = 200, description = "the year as saved, with its 达成率", body = OutcomeYear),
              (status = 409, description = "the city has not accepted 投产, the project is deleted, or a stale or missing version"),
              (status = 422, description = "invalid figures or year")))]
pub async fn record(
    db: Db<perm::ProjectWrite>,
    ProjectYear(id, year): ProjectYear,
    JsonBody(b): JsonBody<OutcomeBody>,
) -> NamedResult<Json<OutcomeYear>, table::Outcome> {
    let input = b.input()?;
    Ok(Json(db.store().record_outcome(id, year, input, domain::today_shanghai()).await?))
}
