//! What city_admin enters for a run (assessment.md): `manual:<code>` values per unit and
//! period, each with its source (`GET /api/v1/assessments/manual_values?from=&to=`,
//! `PUT /api/v1/assessments/manual_values`), and 加分/扣分 entries with their reason
//! (`GET/POST /api/v1/assessments/adjustments`, `DELETE …/{id}`). A run reads those of
//! exactly its scheme's period. Reading needs assessment:read (a unit user: its own units'),
//! writing assessment:manage. Not in api.md's table: an addition on its conventions.

use axum::Json;
use axum::http::StatusCode;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use store::assessment::{AdjustmentEntry, AdjustmentInput, ManualValue, ManualValueInput};

use super::Items;
use super::body::{Check, Input, body};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody, QueryCheck, QueryMap, parse_date};

body! {
    /// A manual measure's value for a unit and period (replaces one recorded before).
    pub struct ManualValueBody {
        #[schema(value_type = String, required = true)]
        unit: Input<String>,
        /// The code after `manual:` (`satisfaction`), or with it.
        #[schema(value_type = String, required = true)]
        measure: Input<String>,
        #[schema(value_type = NaiveDate, required = true)]
        from: Input<NaiveDate>,
        #[schema(value_type = NaiveDate, required = true)]
        to: Input<NaiveDate>,
        /// An exact decimal as a string (a share `"0.86"`, a count of days `"12.5"`).
        #[schema(value_type = String, required = true)]
        value: Input<Decimal>,
        /// Where the value comes from (a survey, a report).
        #[schema(value_type = String, required = true)]
        source: Input<String>,
    }
}

body! {
    /// A 加分 or 扣分 entry.
    pub struct AdjustmentBody {
        #[schema(value_type = String, required = true)]
        unit: Input<String>,
        #[schema(value_type = NaiveDate, required = true)]
        from: Input<NaiveDate>,
        #[schema(value_type = NaiveDate, required = true)]
        to: Input<NaiveDate>,
        /// `bonus` | `penalty`
        #[schema(value_type = String, required = true)]
        kind: Input<String>,
        /// > 0, at most 2 decimals; the kind gives the sign.
        #[schema(value_type = String, required = true)]
        points: Input<Decimal>,
        #[schema(value_type = String, required = true)]
        reason: Input<String>,
    }
}

/// The period of a list: `from` and `to`, both required.
fn period(q: &std::collections::BTreeMap<String, String>) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let mut c = QueryCheck::new(q);
    let date = |c: &mut QueryCheck, k: &str| {
        let v = c.parsed(k, parse_date, |_| "日期格式应为 YYYY-MM-DD".into());
        if c.text(k).is_none() {
            c.err(k, "请给出考核期间的起止日期");
        }
        v
    };
    let from = date(&mut c, "from");
    let to = date(&mut c, "to");
    match c.finish((from, to))? {
        (Some(f), Some(t)) => Ok((f, t)),
        _ => Err(ApiError::BadRequest("请给出考核期间".into())),
    }
}

pub fn manual_input(b: ManualValueBody) -> Result<ManualValueInput, ApiError> {
    let mut c = Check::body(&domain::fields::MANUAL_VALUE, &b.extra, &["id", "unit_name", "updated_at"]);
    let unit = c.required("unit", b.unit);
    let measure = c.required("measure", b.measure);
    let from = c.required("from", b.from);
    let to = c.required("to", b.to);
    let value = c.required("value", b.value);
    let source = c.required("source", b.source);
    let (unit, measure, from, to, value, source) = c.finish_required((unit, measure, from, to, value, source))?;
    Ok(ManualValueInput { unit, measure, from, to, value, source })
}

pub fn adjustment_input(b: AdjustmentBody) -> Result<AdjustmentInput, ApiError> {
    let mut c = Check::body(&domain::fields::ADJUSTMENT, &b.extra, &["id", "unit_name", "created_at"]);
    let unit = c.required("unit", b.unit);
    let from = c.required("from", b.from);
    let to = c.required("to", b.to);
    let kind = c.required("kind", b.kind);
    let points = c.required("points", b.points);
    let reason = c.required("reason", b.reason);
    let (unit, from, to, kind, points, reason) = c.finish_required((unit, from, to, kind, points, reason))?;
    Ok(AdjustmentInput { unit, from, to, kind, points, reason })
}

#[utoipa::path(get, path = "/api/v1/assessments/manual_values", operation_id = "list_manual_values", tag = "assessment", security(("bearer" = ["assessment:read"])),
    params(("from" = NaiveDate, Query), ("to" = NaiveDate, Query)),
    responses((status = 200, description = "the values recorded for exactly that period, in the caller's scope", body = Items<ManualValue>),
              (status = 422, description = "a period missing or malformed")))]
pub async fn list_manual(db: Db<perm::AssessmentRead>, QueryMap(q): QueryMap) -> ApiResult<Json<Items<ManualValue>>> {
    let (from, to) = period(&q)?;
    Ok(Json(Items::of(db.store().manual_values(from, to).await?)))
}

#[utoipa::path(put, path = "/api/v1/assessments/manual_values", operation_id = "set_manual_value", tag = "assessment", security(("bearer" = ["assessment:manage"])),
    request_body = ManualValueBody,
    responses((status = 200, description = "the value as recorded (one of the same unit, measure and period replaced)", body = ManualValue),
              (status = 422, description = "invalid")))]
pub async fn set_manual(
    db: Db<perm::AssessmentManage>,
    JsonBody(b): JsonBody<ManualValueBody>,
) -> NamedResult<Json<ManualValue>, table::ManualValue> {
    Ok(Json(db.store().set_manual_value(manual_input(b)?).await?))
}

#[utoipa::path(get, path = "/api/v1/assessments/adjustments", operation_id = "list_adjustments", tag = "assessment", security(("bearer" = ["assessment:read"])),
    params(("from" = NaiveDate, Query), ("to" = NaiveDate, Query)),
    responses((status = 200, description = "the live entries for exactly that period, in the caller's scope; a penalty's points negative", body = Items<AdjustmentEntry>),
              (status = 422, description = "a period missing or malformed")))]
pub async fn list_adjustments(
    db: Db<perm::AssessmentRead>,
    QueryMap(q): QueryMap,
) -> ApiResult<Json<Items<AdjustmentEntry>>> {
    let (from, to) = period(&q)?;
    Ok(Json(Items::of(db.store().adjustments(from, to).await?)))
}

#[utoipa::path(post, path = "/api/v1/assessments/adjustments", operation_id = "add_adjustment", tag = "assessment", security(("bearer" = ["assessment:manage"])),
    request_body = AdjustmentBody,
    responses((status = 201, description = "the entry", body = AdjustmentEntry), (status = 422, description = "invalid")))]
pub async fn add_adjustment(
    db: Db<perm::AssessmentManage>,
    JsonBody(b): JsonBody<AdjustmentBody>,
) -> NamedResult<(StatusCode, Json<AdjustmentEntry>), table::Adjustment> {
    Ok((StatusCode::CREATED, Json(db.store().add_adjustment(adjustment_input(b)?).await?)))
}

#[utoipa::path(delete, path = "/api/v1/assessments/adjustments/{id}", operation_id = "remove_adjustment", tag = "assessment", security(("bearer" = ["assessment:manage"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the entry withdrawn (kept, no longer counted)", body = AdjustmentEntry),
              (status = 404, description = "unknown or withdrawn already")))]
pub async fn remove_adjustment(db: Db<perm::AssessmentManage>, Id(id): Id) -> ApiResult<Json<AdjustmentEntry>> {
    Ok(Json(db.store().remove_adjustment(id).await?))
}
