//! Assessment runs (api.md `POST /api/v1/assessments/run`, `GET /api/v1/assessments/{run_id}`,
//! `…/records`): a scheme (TOML in `scheme`, or a stored `scheme_id`) run over the assessed
//! units from what the city accepted, stored with the SHA-256 of its inputs and output; each
//! number's records (the drill-down) as counted when it ran; two runs compared. Running
//! needs assessment:run city-wide (city_admin, supervisor); reading assessment:read
//! city-wide, or a unit's own records once a published bulletin holds the run.

use axum::Json;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use domain::assessment::{Assessment, Difference};
use rust_decimal::Decimal;
use serde::Serialize;
use store::assessment::{Record, RunSummary, SchemeSource, StoredRun};
use utoipa::ToSchema;

use super::body::{Check, Exact, Input, RecordId, body};
use super::{Items, Page};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody, QueryCheck, QueryMap};

body! {
    /// What to run: a scheme's TOML in `scheme`, or a stored scheme's `scheme_id` (one of the two).
    pub struct RunBody {
        #[schema(value_type = Option<String>)]
        scheme: Input<Exact>,
        #[schema(value_type = Option<i64>)]
        scheme_id: Input<RecordId>,
        /// Count the records as they stood at the end of this day (Asia/Shanghai): what the
        /// city had accepted by then; absent, as they stand now.
        #[schema(value_type = Option<NaiveDate>)]
        as_of: Input<NaiveDate>,
    }
}

/// One indicator of one unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndicatorOut {
    pub code: String,
    /// The measure's value (an amount, a count, or a share in [0, 1]), exact.
    #[schema(value_type = String)]
    pub measure_value: Decimal,
    #[schema(value_type = Option<String>)]
    pub target: Option<Decimal>,
    /// Rounded half-up to 2 decimals.
    #[schema(value_type = String)]
    pub points: Decimal,
}

/// A bonus or penalty entry counted.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdjustmentOut {
    /// `bonus` | `penalty`
    pub kind: String,
    #[schema(value_type = String)]
    pub points: Decimal,
    pub reason: String,
}

/// One unit's row, by rank.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitResultOut {
    pub unit: String,
    pub unit_name: String,
    #[schema(value_type = String)]
    pub total: Decimal,
    pub rank: u32,
    #[schema(value_type = String)]
    pub base: Decimal,
    #[schema(value_type = String)]
    pub bonus: Decimal,
    #[schema(value_type = String)]
    pub penalty: Decimal,
    pub indicators: Vec<IndicatorOut>,
    pub adjustments: Vec<AdjustmentOut>,
}

/// An indicator as a column.
#[derive(Debug, Serialize, ToSchema)]
pub struct ColumnOut {
    pub code: String,
    pub name: String,
    pub group: String,
    pub measure: String,
    pub method: String,
    #[schema(value_type = String)]
    pub weight: Decimal,
}

/// A stored run.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunOut {
    pub id: i64,
    pub scheme_id: Option<i64>,
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day whose records the run read (null: as they stood when it ran).
    pub as_of: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub inputs_sha256: String,
    pub output_sha256: String,
    pub columns: Vec<ColumnOut>,
    pub results: Vec<UnitResultOut>,
}

impl RunOut {
    pub fn of(r: StoredRun) -> Self {
        let Assessment { columns, results, .. } = r.assessment;
        RunOut {
            id: r.id,
            scheme_id: r.scheme_id,
            name: r.name,
            from: r.from,
            to: r.to,
            as_of: r.as_of,
            created_at: r.created_at,
            inputs_sha256: r.inputs_sha256,
            output_sha256: r.output_sha256,
            columns: columns
                .into_iter()
                .map(|c| ColumnOut {
                    code: c.code,
                    name: c.name,
                    group: c.group,
                    measure: c.measure.code(),
                    method: c.method.code().to_string(),
                    weight: c.weight,
                })
                .collect(),
            results: results
                .into_iter()
                .map(|u| UnitResultOut {
                    unit: u.unit.code,
                    unit_name: u.unit.name,
                    total: u.total,
                    rank: u.rank,
                    base: u.base,
                    bonus: u.bonus,
                    penalty: u.penalty,
                    indicators: u
                        .indicators
                        .into_iter()
                        .map(|i| IndicatorOut {
                            code: i.code,
                            measure_value: i.value,
                            target: i.target,
                            points: i.points,
                        })
                        .collect(),
                    adjustments: u
                        .adjustments
                        .into_iter()
                        .map(|a| AdjustmentOut { kind: a.kind.code().to_string(), points: a.points, reason: a.reason })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// One figure that differs between two runs.
#[derive(Debug, Serialize, ToSchema)]
pub struct DifferenceOut {
    pub unit: String,
    pub unit_name: String,
    /// `rank`, `total`, `bonus`, `penalty`, an indicator's code (its points) or `<code>.value`.
    pub field: String,
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl From<Difference> for DifferenceOut {
    fn from(d: Difference) -> Self {
        DifferenceOut {
            unit: d.unit.code,
            unit_name: d.unit.name,
            field: d.field,
            label: d.label,
            before: d.before,
            after: d.after,
        }
    }
}

/// Two runs compared.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComparisonOut {
    pub before: i64,
    pub after: i64,
    pub differences: Vec<DifferenceOut>,
}

/// The scheme a run body names and its `as_of` day, or 422.
pub fn run_source(b: RunBody) -> Result<(SchemeSource, Option<NaiveDate>), ApiError> {
    let mut c = Check::body(&domain::fields::SCHEME, &b.extra, &[]);
    let text = c.optional("scheme", b.scheme);
    let id = c.optional("scheme_id", b.scheme_id);
    let as_of = c.optional("as_of", b.as_of);
    if as_of.is_some_and(|d| d > domain::today_shanghai()) {
        c.err("as_of", "截至日期不能晚于今天");
    }
    let source = match (text, id) {
        (Some(t), None) => Some(SchemeSource::Text(t.0)),
        (None, Some(id)) => Some(SchemeSource::Stored(id.0)),
        (Some(_), Some(_)) => {
            c.err("scheme_id", "考核方案文本（scheme）和已存方案（scheme_id）只能给一个");
            None
        }
        (None, None) => {
            c.err("scheme", "请给出考核方案文本（scheme）或已存方案的编号（scheme_id）");
            None
        }
    };
    let source = c.finish(source)?.ok_or_else(|| ApiError::field("scheme", "不能为空"))?;
    Ok((source, as_of))
}

#[utoipa::path(post, path = "/api/v1/assessments/run", operation_id = "run_assessment", tag = "assessment", security(("bearer" = ["assessment:run"])),
    request_body = RunBody,
    responses((status = 201, description = "the run, stored: per unit `unit, total, rank, indicators[{code, measure_value, points}]`", body = RunOut),
              (status = 403, description = "not city-wide"),
              (status = 422, description = "an invalid scheme, an unknown scheme_id, or a manual value missing: each problem under `scheme`")))]
pub async fn run(
    db: Db<perm::AssessmentRun>,
    JsonBody(b): JsonBody<RunBody>,
) -> NamedResult<(StatusCode, Json<RunOut>), table::Scheme> {
    let (source, as_of) = run_source(b)?;
    Ok((StatusCode::CREATED, Json(RunOut::of(db.store().store_run(source, as_of).await?))))
}

#[utoipa::path(get, path = "/api/v1/assessments", operation_id = "list_assessment_runs", tag = "assessment", security(("bearer" = ["assessment:read"])),
    params(("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query)),
    responses((status = 200, description = "the stored runs, newest first", body = Page<RunSummary>),
              (status = 403, description = "not city-wide")))]
pub async fn list(db: Db<perm::AssessmentRead>, QueryMap(q): QueryMap) -> ApiResult<Json<Page<RunSummary>>> {
    let (page, per_page) = super::paging(&q)?;
    let (items, total) = db.store().list_runs(page, per_page).await?;
    Ok(Json(Page::of(items, total, (page, per_page))))
}

#[utoipa::path(get, path = "/api/v1/assessments/{id}", operation_id = "get_assessment_run", tag = "assessment", security(("bearer" = ["assessment:read"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the stored run with `inputs_sha256` and `output_sha256`", body = RunOut),
              (status = 403, description = "a unit user, before a published bulletin holds the run"),
              (status = 404, description = "unknown")))]
pub async fn get(db: Db<perm::AssessmentRead>, Id(id): Id) -> ApiResult<Json<RunOut>> {
    Ok(Json(RunOut::of(db.store().stored_run(id).await?)))
}

#[utoipa::path(get, path = "/api/v1/assessments/{id}/records", operation_id = "assessment_records", tag = "assessment", security(("bearer" = ["assessment:read"])),
    params(("id" = i64, Path),
           ("unit" = String, Query, description = "an assessed unit's code"),
           ("indicator" = String, Query, description = "an indicator's code (or `funds_domestic`, the tie-break)")),
    responses((status = 200, description = "the records counted for that number, as when the run was made", body = Items<Record>),
              (status = 403, description = "another unit's records, or an unpublished run for a unit user"),
              (status = 404, description = "unknown run"),
              (status = 422, description = "no such unit or indicator in the run")))]
pub async fn records(
    db: Db<perm::AssessmentRead>,
    Id(id): Id,
    QueryMap(q): QueryMap,
) -> ApiResult<Json<Items<Record>>> {
    let mut c = QueryCheck::new(&q);
    let unit = c.text("unit");
    let indicator = c.text("indicator");
    if unit.is_none() {
        c.err("unit", "请给出单位（unit）");
    }
    if indicator.is_none() {
        c.err("indicator", "请给出指标（indicator）");
    }
    let (unit, indicator) = c.finish((unit.unwrap_or_default(), indicator.unwrap_or_default()))?;
    Ok(Json(Items::of(db.store().run_records(id, &unit, &indicator).await?)))
}

#[utoipa::path(get, path = "/api/v1/assessments/{id}/compare", operation_id = "compare_assessment_runs", tag = "assessment", security(("bearer" = ["assessment:read"])),
    params(("id" = i64, Path, description = "the earlier run"), ("with" = i64, Query, description = "the run to compare it with")),
    responses((status = 200, description = "every rank, total and indicator that differs", body = ComparisonOut),
              (status = 404, description = "an unknown run"), (status = 422, description = "`with` missing")))]
pub async fn compare(
    db: Db<perm::AssessmentRead>,
    Id(id): Id,
    QueryMap(q): QueryMap,
) -> ApiResult<Json<ComparisonOut>> {
    let mut c = QueryCheck::new(&q);
    let with = c.parsed("with", crate::input::record_id, |s| format!("「{s}」不是考核结果编号"));
    if c.text("with").is_none() {
        c.err("with", "请给出要比较的考核结果（with）");
    }
    let with = c.finish(with)?.unwrap_or_default();
    let before = db.store().stored_run(id).await?;
    let after = db.store().stored_run(with).await?;
    let differences = domain::assessment::compare(&before.assessment, &after.assessment);
    Ok(Json(ComparisonOut { before: id, after: with, differences: differences.into_iter().map(Into::into).collect() }))
}
