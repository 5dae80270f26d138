//! 月报: `GET /api/v1/monthly_reports?month=`, `POST /api/v1/monthly_reports`.

use axum::Json;
use axum::http::StatusCode;
use domain::Month;
use store::monthly::MonthlyStatus;

use super::Items;
use super::body::{Check, Input, body};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{JsonBody, QueryMap};

body! {
    /// A unit's confirmation of a month (`2025-10`).
    pub struct ConfirmBody {
        #[schema(value_type = String, required = true)]
        unit: Input<String>,
        #[schema(value_type = String, required = true, example = "2025-10")]
        month: Input<String>,
    }
}

fn month_of(field: &str, text: &str) -> Result<Month, ApiError> {
    Month::parse(text.trim()).ok_or_else(|| ApiError::field(field, domain::monthly::MonthError.to_string()))
}

#[utoipa::path(get, path = "/api/v1/monthly_reports", operation_id = "list_monthly_reports", tag = "monthly", security(("bearer" = ["monthly:read"])),
    params(("month" = String, Query, description = "YYYY-MM; the last month due when omitted")),
    responses((status = 200, description = "each assessed unit of the caller's scope", body = Items<MonthlyStatus>),
              (status = 422, description = "a bad month")))]
pub async fn list(db: Db<perm::MonthlyRead>, QueryMap(q): QueryMap) -> ApiResult<Json<Items<MonthlyStatus>>> {
    let today = domain::today_shanghai();
    let month = match q.get("month").map(|m| m.trim()).filter(|m| !m.is_empty()) {
        Some(m) => month_of("month", m)?,
        None => store::warnings::month_due(today, db.state.store.thresholds().await?.monthly_deadline_day),
    };
    Ok(Json(Items::of(db.store().monthly_reports(month, today).await?)))
}

#[utoipa::path(post, path = "/api/v1/monthly_reports", operation_id = "confirm_month", tag = "monthly", security(("bearer" = ["monthly:confirm"])),
    request_body = ConfirmBody,
    responses((status = 201, description = "confirmed and frozen", body = MonthlyStatus),
              (status = 409, description = "already confirmed"), (status = 422, description = "invalid")))]
pub async fn confirm(
    db: Db<perm::MonthlyConfirm>,
    JsonBody(b): JsonBody<ConfirmBody>,
) -> NamedResult<(StatusCode, Json<MonthlyStatus>), table::MonthlyReport> {
    let mut check =
        Check::body(&domain::fields::MONTHLY_REPORT, &b.extra, &["confirmed_at", "confirmed_by", "snapshot"]);
    let unit = check.required("unit", b.unit).unwrap_or_default();
    let month = check.required("month", b.month);
    let month = check.code("month", month, Month::parse, |_| domain::monthly::MonthError.to_string());
    let month =
        check.finish(month)?.ok_or_else(|| ApiError::field("month", domain::monthly::MonthError.to_string()))?;
    let out = db.store().confirm_month(unit, month, domain::today_shanghai()).await?;
    Ok((StatusCode::CREATED, Json(out)))
}
