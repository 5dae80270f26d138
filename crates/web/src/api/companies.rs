//! The company library.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::CreditCode;
use serde_json::{Value, json};
use store::companies::{CompanyFilter, NewCompany};

use super::{Page, paging};
use crate::AppState;
use crate::auth::{Caller, perm};
use crate::error::{ApiError, ApiResult};
use crate::input::{Fields, Id, JsonObject, QueryMap};

#[utoipa::path(get, path = "/api/v1/companies", tag = "companies", security(("bearer" = ["company:read"])),
    params(("q" = Option<String>, Query, description = "substring of name or credit code"), ("ranked" = Option<bool>, Query, description = "only 500强/领军")),
    responses((status = 200, description = "a page of companies")))]
pub async fn list(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::CompanyRead>,
    QueryMap(q): QueryMap,
) -> ApiResult<Json<Value>> {
    let (page, per_page) = paging(&q)?;
    let ranked = match q.get("ranked").map(String::as_str) {
        None | Some("") => None,
        Some("true") | Some("1") => Some(true),
        Some("false") | Some("0") => Some(false),
        Some(_) => return Err(ApiError::field("ranked", "应为 true 或 false")),
    };
    let f = CompanyFilter { q: q.get("q").cloned(), ranked, page, per_page };
    let (items, total) = s.store.scoped(&c.actor).list_companies(&f).await?;
    Ok(Json(serde_json::to_value(Page { items, total, page, per_page }).unwrap_or_default()))
}

#[utoipa::path(get, path = "/api/v1/companies/{id}", tag = "companies", security(("bearer" = ["company:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "one company"), (status = 404, description = "unknown")))]
pub async fn get(State(s): State<Arc<AppState>>, c: Caller<perm::CompanyRead>, Id(id): Id) -> ApiResult<Json<Value>> {
    let co = s.store.scoped(&c.actor).get_company(id).await?;
    Ok(Json(json!(co)))
}

#[utoipa::path(post, path = "/api/v1/companies", tag = "companies", security(("bearer" = ["company:write"])),
    responses((status = 201, description = "created"), (status = 422, description = "invalid")))]
pub async fn create(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::CompanyWrite>,
    JsonObject(body): JsonObject,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut f = Fields::new(&body);
    f.only(
        &[
            "name",
            "credit_code",
            "country",
            "region",
            "hq_city",
            "industry",
            "fortune_global_500_rank",
            "china_500_rank",
            "china_private_500_rank",
            "rank_year",
            "industry_leader",
            "leader_reason",
            "website",
            "notes",
        ],
        &["id", "version", "created_at", "updated_at"],
    );
    let name = f.text("name");
    let credit_code = match f.opt_text("credit_code").flatten() {
        Some(cc) => match CreditCode::parse(&cc) {
            Ok(v) => Some(v),
            Err(e) => {
                f.err("credit_code", e.to_string());
                None
            }
        },
        None => None,
    };
    let rank = |f: &mut Fields, k: &str| f.opt_int(k).flatten().map(|v| i32::try_from(v).unwrap_or(-1));
    let new = NewCompany {
        name: name.clone().unwrap_or_default(),
        credit_code,
        country: f.opt_text("country").flatten().unwrap_or_default(),
        region: f.opt_text("region").flatten(),
        hq_city: f.opt_text("hq_city").flatten(),
        industry: f.opt_text("industry").flatten(),
        fortune_global_500_rank: rank(&mut f, "fortune_global_500_rank"),
        china_500_rank: rank(&mut f, "china_500_rank"),
        china_private_500_rank: rank(&mut f, "china_private_500_rank"),
        rank_year: rank(&mut f, "rank_year"),
        industry_leader: f.opt_bool("industry_leader").unwrap_or(false),
        leader_reason: f.opt_text("leader_reason").flatten(),
        website: f.opt_text("website").flatten(),
        notes: f.opt_text("notes").flatten(),
        declared_type: None,
    };
    f.finish()?;
    let co = s.store.scoped(&c.actor).create_company(new).await?;
    Ok((StatusCode::CREATED, Json(json!(co))))
}
