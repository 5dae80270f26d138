//! 十大重大招商引资项目 (api.md `/api/v1/top10/{year}`; assessment.md, Top-10): the year's
//! candidates with what the choice weighs, the pick and whether a published bulletin froze
//! it (GET, `assessment:read`, in the caller's scope); city_admin's pick of exactly ten, each
//! with a citation (PUT, `assessment:manage`; 409 once frozen).

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde_json::{Map, Value};
use store::top10::{Top10Pick, Top10Year};

use super::agreements::nested;
use super::body::{Check, Input, RecordId, body};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::JsonBody;

/// The `{year}` of the path: a year 2000..=2100, else 422 naming `year`.
pub struct Year(pub i32);

impl<S: Send + Sync> FromRequestParts<S> for Year {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state).await.map_err(|_| ApiError::NotFound)?;
        match raw.trim().parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => Ok(Year(y)),
            _ => {
                Err(ApiError::Validation([("year".to_string(), "年度须为 2000 至 2100 之间的整数".to_string())].into()))
            }
        }
    }
}

body! {
    /// One project of the pick.
    pub struct PickBody {
        #[schema(value_type = i64, required = true)]
        project_id: Input<RecordId>,
        /// 入选理由 (at most 500 characters).
        #[schema(value_type = String, required = true)]
        citation: Input<String>,
    }
}

body! {
    /// The year's pick: exactly ten candidates, in order, each with a citation.
    pub struct Top10Body {
        #[schema(value_type = Vec<PickBody>, required = true)]
        picks: Input<Vec<Map<String, Value>>>,
    }
}

impl Top10Body {
    pub fn input(self) -> Result<Vec<(i64, String)>, ApiError> {
        let table = &domain::fields::TOP10;
        let mut c = Check::body(table, &self.extra, &["year"]);
        let mut picks = vec![];
        for (i, map) in c.required("picks", self.picks).unwrap_or_default().into_iter().enumerate() {
            let Ok(b) = serde_json::from_value::<PickBody>(Value::Object(map)) else {
                c.err(&format!("picks[{i}]"), format!("第{}项应为 {{\"project_id\", \"citation\"}} 对象", i + 1));
                continue;
            };
            let mut pc = Check::body(table, &b.extra, &[]);
            let pick = (
                pc.required("project_id", b.project_id).map(|r| r.0).unwrap_or(0),
                pc.required("citation", b.citation).unwrap_or_default(),
            );
            match pc.finish(pick) {
                Ok(p) => picks.push(p),
                Err(ApiError::Validation(errors)) => {
                    for (k, why) in errors {
                        c.err(&format!("picks[{i}].{k}"), nested(i, table.label(&k), &why));
                    }
                }
                Err(e) => return Err(e),
            }
        }
        c.finish(picks)
    }
}

/// The year's pick as saved.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Top10Picks {
    pub year: i32,
    pub picks: Vec<Top10Pick>,
}

#[utoipa::path(get, path = "/api/v1/top10/{year}", operation_id = "top10_get", tag = "assessment", security(("bearer" = ["assessment:read"])),
    params(("year" = i32, Path, description = "2000..=2100")),
    responses((status = 200, description = "the year's candidates (stage reached, later first; then total investment; then code), the pick, frozen", body = Top10Year),
              (status = 422, description = "a bad year")))]
pub async fn get(db: Db<perm::AssessmentRead>, Year(year): Year) -> ApiResult<Json<Top10Year>> {
    Ok(Json(db.store().top10_year(year).await?))
}

#[utoipa::path(put, path = "/api/v1/top10/{year}", operation_id = "top10_put", tag = "assessment", security(("bearer" = ["assessment:manage"])),
    params(("year" = i32, Path)), request_body = Top10Body,
    responses((status = 200, description = "the pick as saved, by position", body = Top10Picks),
              (status = 409, description = "frozen: a bulletin of the year is published"),
              (status = 422, description = "not exactly ten distinct candidates, or a citation missing")))]
pub async fn put(
    db: Db<perm::AssessmentManage>,
    Year(year): Year,
    JsonBody(b): JsonBody<Top10Body>,
) -> NamedResult<Json<Top10Picks>, table::Top10> {
    let picks = b.input()?;
    Ok(Json(Top10Picks { year, picks: db.store().pick_top10(year, picks).await? }))
}
