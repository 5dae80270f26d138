//! The company library.

use axum::Json;
use axum::http::StatusCode;
use domain::CreditCode;
use store::companies::{Company, CompanyFilter, NewCompany};

use super::body::{Check, Input, body};
use super::{Page, paging};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody, QueryMap};

#[utoipa::path(get, path = "/api/v1/companies", operation_id = "list_companies", tag = "companies", security(("bearer" = ["company:read"])),
    params(("q" = Option<String>, Query, description = "substring of name or credit code"), ("ranked" = Option<bool>, Query, description = "only 500强/领军"),
        ("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query, description = "at most 500")),
    responses((status = 200, description = "a page of companies", body = Page<Company>)))]
pub async fn list(db: Db<perm::CompanyRead>, QueryMap(q): QueryMap) -> ApiResult<Json<Page<Company>>> {
    let (page, per_page) = paging(&q)?;
    let ranked = super::flag(&q, "ranked")?;
    let f = CompanyFilter { q: q.get("q").cloned(), ranked, page, per_page };
    let (items, total) = db.store().list_companies(&f).await?;
    Ok(Json(Page { items, total, page, per_page }))
}

#[utoipa::path(get, path = "/api/v1/companies/{id}", operation_id = "get_company", tag = "companies", security(("bearer" = ["company:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "one company", body = Company), (status = 404, description = "unknown")))]
pub async fn get(db: Db<perm::CompanyRead>, Id(id): Id) -> ApiResult<Json<Company>> {
    Ok(Json(db.store().get_company(id).await?))
}

body! {
    /// A new company (企业库, domain.md §3).
    pub struct CompanyBody {
        #[schema(value_type = String, required = true)]
        name: Input<String>,
        /// 统一社会信用代码 (GB 32100-2015, with its check character).
        #[schema(value_type = Option<String>)]
        credit_code: Input<String>,
        #[schema(value_type = Option<String>)]
        country: Input<String>,
        /// A region code.
        #[schema(value_type = Option<String>)]
        region: Input<String>,
        #[schema(value_type = Option<String>)]
        hq_city: Input<String>,
        /// An industry code.
        #[schema(value_type = Option<String>)]
        industry: Input<String>,
        #[schema(value_type = Option<i32>)]
        fortune_global_500_rank: Input<i32>,
        #[schema(value_type = Option<i32>)]
        china_500_rank: Input<i32>,
        #[schema(value_type = Option<i32>)]
        china_private_500_rank: Input<i32>,
        #[schema(value_type = Option<i32>)]
        rank_year: Input<i32>,
        #[schema(value_type = Option<bool>)]
        industry_leader: Input<bool>,
        #[schema(value_type = Option<String>)]
        leader_reason: Input<String>,
        #[schema(value_type = Option<String>)]
        website: Input<String>,
        #[schema(value_type = Option<String>)]
        notes: Input<String>,
        /// Create it though a company of a near-duplicate name exists (a 409 names it).
        #[schema(value_type = Option<bool>)]
        allow_similar: Input<bool>,
    }
}

impl CompanyBody {
    /// The new company and whether a near-duplicate name is allowed.
    fn validate(self) -> Result<(NewCompany, bool), ApiError> {
        let mut c = Check::new(&domain::fields::COMPANY);
        c.refuse_unknown(&self.extra, &["id", "version", "created_at", "updated_at"]);
        let name = c.required("name", self.name).unwrap_or_default();
        let credit_code = c.optional("credit_code", self.credit_code).and_then(|cc| match CreditCode::parse(&cc) {
            Ok(v) => Some(v),
            Err(e) => {
                c.err("credit_code", e.to_string());
                None
            }
        });
        let new = NewCompany {
            name,
            credit_code,
            country: c.optional("country", self.country).unwrap_or_default(),
            region: c.optional("region", self.region),
            hq_city: c.optional("hq_city", self.hq_city),
            industry: c.optional("industry", self.industry),
            fortune_global_500_rank: c.optional("fortune_global_500_rank", self.fortune_global_500_rank),
            china_500_rank: c.optional("china_500_rank", self.china_500_rank),
            china_private_500_rank: c.optional("china_private_500_rank", self.china_private_500_rank),
            rank_year: c.optional("rank_year", self.rank_year),
            industry_leader: c.optional("industry_leader", self.industry_leader).unwrap_or(false),
            leader_reason: c.optional("leader_reason", self.leader_reason),
            website: c.optional("website", self.website),
            notes: c.optional("notes", self.notes),
            declared_type: None,
        };
        let allow_similar = c.optional("allow_similar", self.allow_similar).unwrap_or(false);
        c.finish((new, allow_similar))
    }
}

#[utoipa::path(post, path = "/api/v1/companies", operation_id = "create_company", tag = "companies", security(("bearer" = ["company:write"])), request_body = CompanyBody,
    responses((status = 201, description = "created", body = Company), (status = 422, description = "invalid")))]
pub async fn create(
    db: Db<perm::CompanyWrite>,
    JsonBody(b): JsonBody<CompanyBody>,
) -> NamedResult<(StatusCode, Json<Company>), table::Company> {
    let (new, allow_similar) = b.validate()?;
    // a near-duplicate name is flagged with the company it resembles (an exact one is a 422)
    if !allow_similar
        && let Some(c) = db.store().similar_companies(&new.name).await?.into_iter().find(|c| c.name != new.name.trim())
    {
        return Err(ApiError::Conflict(format!(
            "企业名称与企业库中的「{}」（/companies/{}）疑似重复；确认不是同一家企业时请带 allow_similar: true 重新提交",
            c.name, c.id
        ))
        .into());
    }
    Ok((StatusCode::CREATED, Json(db.store().create_company(new).await?)))
}
