//! Stored assessment schemes (api.md `GET/POST /api/v1/schemes`): the TOML of
//! assessment.md, checked in full on saving (422 under `scheme` with every problem naming its
//! line, indicator and unit), kept by revision (`version` 1, 2, … per name). Reading needs
//! assessment:read city-wide, saving assessment:manage (city_admin).

use axum::Json;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use store::assessment::StoredScheme;
use utoipa::ToSchema;

use super::Page;
use super::body::{Check, Exact, Input, body};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody, QueryMap};

body! {
    /// A scheme document (assessment.md, Scheme).
    pub struct SchemeBody {
        #[schema(value_type = String, required = true)]
        toml: Input<Exact>,
    }
}

/// A stored scheme (`toml` only when one is asked for by id).
#[derive(Debug, Serialize, ToSchema)]
pub struct SchemeOut {
    pub id: i64,
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub version: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toml: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl SchemeOut {
    pub fn of(s: StoredScheme, with_text: bool) -> Self {
        SchemeOut {
            id: s.id,
            name: s.name,
            from: s.from,
            to: s.to,
            version: s.version,
            toml: with_text.then_some(s.toml),
            created_at: s.created_at,
        }
    }
}

/// The scheme text of a body, or 422 naming `toml`.
pub fn scheme_text(b: SchemeBody) -> Result<String, ApiError> {
    let mut c = Check::body(&domain::fields::SCHEME, &b.extra, &["id", "name", "from", "to", "version", "created_at"]);
    let text = c.required("toml", b.toml);
    c.finish(text)?.map(|t| t.0).ok_or_else(|| ApiError::field("toml", "不能为空"))
}

#[utoipa::path(get, path = "/api/v1/schemes", operation_id = "list_schemes", tag = "assessment", security(("bearer" = ["assessment:read"])),
    params(("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query)),
    responses((status = 200, description = "every stored scheme, newest first (each version its own row)", body = Page<SchemeOut>),
              (status = 403, description = "not city-wide")))]
pub async fn list(db: Db<perm::AssessmentRead>, QueryMap(q): QueryMap) -> ApiResult<Json<Page<SchemeOut>>> {
    let (page, per_page) = super::paging(&q)?;
    let all = db.store().list_schemes().await?;
    let total = all.len() as u64;
    let items = crate::input::page_of(all, page, per_page).map(|s| SchemeOut::of(s, false)).collect();
    Ok(Json(Page { items, total, page, per_page }))
}

#[utoipa::path(post, path = "/api/v1/schemes", operation_id = "create_scheme", tag = "assessment", security(("bearer" = ["assessment:manage"])),
    request_body = SchemeBody,
    responses((status = 201, description = "the scheme saved as the next version of its name", body = SchemeOut),
              (status = 422, description = "an invalid scheme: each problem under `scheme`, naming the indicator and the unit")))]
pub async fn create(
    db: Db<perm::AssessmentManage>,
    JsonBody(b): JsonBody<SchemeBody>,
) -> NamedResult<(StatusCode, Json<SchemeOut>), table::Scheme> {
    let text = scheme_text(b)?;
    Ok((StatusCode::CREATED, Json(SchemeOut::of(db.store().save_scheme(&text).await?, false))))
}

#[utoipa::path(get, path = "/api/v1/schemes/{id}", operation_id = "get_scheme", tag = "assessment", security(("bearer" = ["assessment:read"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the scheme with its text", body = SchemeOut), (status = 404, description = "unknown")))]
pub async fn get(db: Db<perm::AssessmentRead>, Id(id): Id) -> ApiResult<Json<SchemeOut>> {
    Ok(Json(SchemeOut::of(db.store().scheme(id).await?, true)))
}
