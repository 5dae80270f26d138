//! 投资咨询 (api.md `GET/POST /api/v1/inquiries`, `POST …/{id}/answer`): investors'
//! inquiries taken down by staff for a unit, due in working days, answered once. Reads need
//! inquiry:read, writes inquiry:write, within the inquiry's unit.

use axum::Json;
use axum::http::StatusCode;
use chrono::NaiveDate;
use store::inquiries::{Inquiry, InquiryFilter, InquiryInput, InquiryPage, InquiryShow};

use super::body::{Check, Input, RecordId, body};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody, QueryCheck, QueryMap};

/// What the store keeps: refused in a body.
const SYSTEM: &[&str] = &[
    "id",
    "respond_by",
    "answer",
    "answered_at",
    "answered_by",
    "state",
    "overdue_working_days",
    "unit_name",
    "phone_masked",
    "created_at",
    "updated_at",
];

body! {
    /// A new inquiry, as a staff member takes it down (api.md: `company_name, contact, phone,
    /// interest, industry, region, unit, received_at`).
    pub struct InquiryBody {
        #[schema(value_type = String, required = true)]
        company_name: Input<String>,
        /// The company of the library it is, when known.
        #[schema(value_type = Option<i64>)]
        company_id: Input<RecordId>,
        #[schema(value_type = String, required = true)]
        contact: Input<String>,
        #[schema(value_type = Option<String>)]
        phone: Input<String>,
        /// What the investor asks about.
        #[schema(value_type = String, required = true)]
        interest: Input<String>,
        /// An industry code of industries.csv.
        #[schema(value_type = Option<String>)]
        industry: Input<String>,
        /// The area the investor wants.
        #[schema(value_type = Option<String>)]
        region: Input<String>,
        /// The answering unit's code (in the caller's scope).
        #[schema(value_type = String, required = true)]
        unit: Input<String>,
        /// The day it was received (not after today).
        #[schema(value_type = NaiveDate, required = true)]
        received_at: Input<NaiveDate>,
    }
}

body! {
    /// The unit's answer; `version`, the inquiry's as read.
    pub struct AnswerBody {
        #[schema(value_type = String, required = true)]
        answer: Input<String>,
        #[schema(value_type = i32, required = true)]
        version: Input<i32>,
    }
}

/// A new inquiry's fields, every bad one named.
pub fn inquiry_input(b: InquiryBody, today: NaiveDate) -> Result<InquiryInput, ApiError> {
    let mut c = Check::body(&domain::fields::INQUIRY, &b.extra, SYSTEM);
    let i = InquiryInput {
        company_name: c.required("company_name", b.company_name).unwrap_or_default(),
        company_id: c.optional("company_id", b.company_id).map(|r| r.0),
        contact: c.required("contact", b.contact).unwrap_or_default(),
        phone: c.optional("phone", b.phone),
        interest: c.required("interest", b.interest).unwrap_or_default(),
        industry: c.optional("industry", b.industry),
        region: c.optional("region", b.region),
        unit: c.required("unit", b.unit).unwrap_or_default(),
        received_at: c.required("received_at", b.received_at).unwrap_or(today),
    };
    for e in store::inquiries::validate(&i, today) {
        c.err(&e.field, e.message);
    }
    c.finish(i)
}

/// An answer's fields, every bad one named.
pub fn answer_input(b: AnswerBody) -> Result<(String, i32), ApiError> {
    let mut c = Check::body(&domain::fields::INQUIRY, &b.extra, SYSTEM);
    let answer = c.required("answer", b.answer);
    let version = c.required("version", b.version);
    c.finish_required((answer, version))
}

#[utoipa::path(get, path = "/api/v1/inquiries", operation_id = "list_inquiries", tag = "inquiries", security(("bearer" = ["inquiry:read"])),
    params(("unit" = Option<String>, Query, description = "a unit code or name (its subtree)"),
           ("state" = Option<String>, Query, description = "`waiting` | `overdue` | `answered`"),
           ("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query)),
    responses((status = 200, description = "the inquiries in the caller's scope, phones masked; the unanswered first, by deadline", body = InquiryPage),
              (status = 422, description = "a bad filter")))]
pub async fn list(db: Db<perm::InquiryRead>, QueryMap(q): QueryMap) -> ApiResult<Json<InquiryPage>> {
    let mut c = QueryCheck::new(&q);
    let show = c.parsed("state", InquiryShow::parse, |s| format!("状态「{s}」无效，应为 waiting、overdue 或 answered"));
    let unit = c.text("unit");
    let (page, per_page) = super::paging(&q)?;
    let f = c.finish(InquiryFilter { unit, show, page, per_page })?;
    Ok(Json(db.store().list_inquiries(&f).await?))
}

#[utoipa::path(post, path = "/api/v1/inquiries", operation_id = "create_inquiry", tag = "inquiries", security(("bearer" = ["inquiry:write"])),
    request_body = InquiryBody,
    responses((status = 201, description = "the new inquiry, with its `respond_by`", body = Inquiry),
              (status = 403, description = "a unit outside the caller's scope"), (status = 422, description = "invalid")))]
pub async fn create(
    db: Db<perm::InquiryWrite>,
    JsonBody(b): JsonBody<InquiryBody>,
) -> NamedResult<(StatusCode, Json<Inquiry>), table::Inquiry> {
    let today = domain::today_shanghai();
    let input = inquiry_input(b, today)?;
    Ok((StatusCode::CREATED, Json(db.store().create_inquiry(input, today).await?)))
}

#[utoipa::path(get, path = "/api/v1/inquiries/{id}", operation_id = "get_inquiry", tag = "inquiries", security(("bearer" = ["inquiry:read"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the inquiry; its phone unmasked for the unit's staff and city_admin (an audited read)", body = Inquiry)))]
pub async fn get(db: Db<perm::InquiryRead>, Id(id): Id) -> ApiResult<Json<Inquiry>> {
    Ok(Json(db.store().get_inquiry(id).await?))
}

#[utoipa::path(post, path = "/api/v1/inquiries/{id}/answer", operation_id = "answer_inquiry", tag = "inquiries", security(("bearer" = ["inquiry:write"])),
    params(("id" = i64, Path)), request_body = AnswerBody,
    responses((status = 200, description = "the answered inquiry, with `answered_at`", body = Inquiry),
              (status = 409, description = "answered already, or a stale version"), (status = 422, description = "invalid")))]
pub async fn answer(
    db: Db<perm::InquiryWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<AnswerBody>,
) -> NamedResult<Json<Inquiry>, table::Inquiry> {
    let (answer, version) = answer_input(b)?;
    Ok(Json(db.store().answer_inquiry(id, answer, version).await?))
}
