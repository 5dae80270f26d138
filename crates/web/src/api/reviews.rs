//! 审核 (domain.md §4): the city's queue of units' claims, its decisions, and the unit's
//! resubmission of a returned claim.

use std::collections::BTreeMap;

use axum::Json;
use chrono::NaiveDate;
use domain::Money;
use domain::review::{ReviewKind, ReviewState};
use store::reviews::{Resubmission, ReviewFilter, ReviewItem, ReviewList};

use super::Items;
use super::body::{Check, Input, RecordId, body};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody, QueryCheck, QueryMap};

/// The queue's filter from query parameters (shared with the page).
pub fn filter_from_query(q: &BTreeMap<String, String>) -> Result<ReviewFilter, ApiError> {
    let mut c = QueryCheck::new(q);
    let state = c.parsed(
        "state",
        |s| ReviewState::parse(s).filter(|v| *v != ReviewState::None),
        |_| "审核状态应为 submitted、accepted 或 returned".to_string(),
    );
    let kind = c.parsed("kind", ReviewKind::parse, |_| {
        "申报类型应为 stage（阶段）、funds（到位资金）或 reportable（纳入全市库）".to_string()
    });
    let older_than_days = c.parsed(
        "older_than_days",
        |s| s.parse::<u32>().ok().filter(|d| *d <= 3650),
        |_| "等待天数应为 0 到 3650 的整数".to_string(),
    );
    let unit = c.text("unit");
    if unit.as_ref().is_some_and(|u| u.chars().count() > 100) {
        c.err("unit", "单位不能超过100个字符");
    }
    c.finish(ReviewFilter { state, kind, unit, older_than_days, project_id: None })
}

#[utoipa::path(get, path = "/api/v1/reviews", operation_id = "list_reviews", tag = "reviews", security(("bearer" = ["review:read"])),
    params(("state" = Option<String>, Query, description = "submitted | accepted | returned"),
        ("kind" = Option<String>, Query, description = "stage | funds | reportable (纳入全市库: the project became city-reportable)"),
        ("unit" = Option<String>, Query, description = "a unit's code or name: its subtree"),
        ("older_than_days" = Option<u32>, Query, description = "submitted at least this many days ago")),
    responses((status = 200, description = "claims in scope, oldest first (at most 500)", body = ReviewList)))]
pub async fn list(db: Db<perm::ReviewRead>, QueryMap(q): QueryMap) -> ApiResult<Json<ReviewList>> {
    let f = filter_from_query(&q)?;
    Ok(Json(db.store().list_reviews(&f).await?))
}

/// Accept one submitted claim (no body).
#[utoipa::path(post, path = "/api/v1/reviews/{id}/accept", tag = "reviews", security(("bearer" = ["review:decide"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "accepted", body = ReviewItem), (status = 409, description = "not waiting for review")))]
pub async fn accept(db: Db<perm::ReviewDecide>, Id(id): Id) -> ApiResult<Json<ReviewItem>> {
    Ok(Json(db.store().accept_review(id).await?))
}

body! {
    /// `{"ids": [...]}`: the claims to accept together.
    #[derive(Debug)]
    pub struct BatchBody {
        #[schema(value_type = Vec<i64>, required = true)]
        ids: Input<Vec<RecordId>>,
    }
}

/// The most claims one batch accepts.
pub const BATCH_MAX: usize = 200;

#[utoipa::path(post, path = "/api/v1/reviews/accept", tag = "reviews", security(("bearer" = ["review:decide"])),
    request_body = BatchBody,
    responses((status = 200, description = "all accepted (or none, on any error)", body = Items<ReviewItem>),
        (status = 409, description = "one of them is not waiting for review"), (status = 422, description = "invalid ids")))]
pub async fn accept_many(
    db: Db<perm::ReviewDecide>,
    JsonBody(b): JsonBody<BatchBody>,
) -> NamedResult<Json<Items<ReviewItem>>, table::Review> {
    let mut check = Check::body(&domain::fields::REVIEW, &b.extra, &[]);
    let ids: Vec<i64> = check.required("ids", b.ids).unwrap_or_default().into_iter().map(|r| r.0).collect();
    if ids.len() > BATCH_MAX {
        check.err("ids", format!("一次最多审核 {BATCH_MAX} 条"));
    }
    let ids = check.finish(ids)?;
    Ok(Json(Items::of(db.store().accept_reviews(ids).await?)))
}

body! {
    /// `{"comment": "…"}`: why the claim is returned (required, at most 500 characters).
    #[derive(Debug)]
    pub struct ReturnBody {
        #[schema(value_type = String, required = true)]
        comment: Input<String>,
    }
}

#[utoipa::path(post, path = "/api/v1/reviews/{id}/return", tag = "reviews", security(("bearer" = ["review:decide"])),
    params(("id" = i64, Path)), request_body = ReturnBody,
    responses((status = 200, description = "returned to the unit", body = ReviewItem),
        (status = 409, description = "not waiting for review"), (status = 422, description = "comment missing or too long")))]
pub async fn return_claim(
    db: Db<perm::ReviewDecide>,
    Id(id): Id,
    JsonBody(b): JsonBody<ReturnBody>,
) -> NamedResult<Json<ReviewItem>, table::Review> {
    let mut check = Check::body(&domain::fields::REVIEW, &b.extra, &[]);
    let comment = check.required("comment", b.comment).unwrap_or_default();
    let comment = check.finish(comment)?;
    Ok(Json(db.store().return_review(id, comment).await?))
}

body! {
    /// The corrections of a resubmission: each optional (left out: unchanged).
    #[derive(Debug)]
    pub struct ResubmitBody {
        /// The corrected date of the stage or of the funds in place.
        #[schema(value_type = Option<NaiveDate>)]
        date: Input<NaiveDate>,
        /// The corrected amount (funds entries), 万元 as a decimal string.
        #[schema(value_type = Option<String>, example = "1200.50")]
        amount: Input<Money>,
        #[schema(value_type = Option<String>)]
        note: Input<String>,
    }
}

#[utoipa::path(post, path = "/api/v1/reviews/{id}/resubmit", tag = "reviews", security(("bearer" = ["review:submit"])),
    params(("id" = i64, Path)), request_body = ResubmitBody,
    responses((status = 200, description = "waiting for review again", body = ReviewItem),
        (status = 409, description = "not returned"), (status = 422, description = "invalid corrections")))]
pub async fn resubmit(
    db: Db<perm::ReviewSubmit>,
    Id(id): Id,
    JsonBody(b): JsonBody<ResubmitBody>,
) -> NamedResult<Json<ReviewItem>, table::Review> {
    let mut check = Check::body(&domain::fields::REVIEW, &b.extra, &["state", "kind", "project_id", "stage", "reason"]);
    let fix = Resubmission {
        date: check.optional("date", b.date),
        amount: check.optional("amount", b.amount),
        note: check.optional("note", b.note),
    };
    let fix = check.finish(fix)?;
    Ok(Json(db.store().resubmit_review(id, fix).await?))
}
