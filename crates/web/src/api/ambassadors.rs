//! 招商大使、招商顾问和中介机构 (api.md `GET/POST /api/v1/ambassadors`): appointments of a unit
//! with their period, contact and leads (`target_ids[]`, `project_ids[]`); a paid
//! intermediary's payouts (`POST …/{id}/payouts`), each on a lead project that reached the
//! agreed stage as the city accepted it. Reads need ambassador:read, writes ambassador:write,
//! within the record's unit.

use axum::Json;
use axum::http::StatusCode;
use chrono::NaiveDate;
use domain::Money;
use store::ambassadors::{
    Ambassador, AmbassadorFilter, AmbassadorInput, AmbassadorPage, LeadsInput, Payout, PayoutInput,
};

use super::body::{Check, Input, RecordId, body};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody, QueryCheck, QueryMap};

/// What the store keeps: refused in a body.
const SYSTEM: &[&str] = &[
    "id",
    "unit_name",
    "kind_label",
    "phone_masked",
    "in_office",
    "leads",
    "payouts",
    "paid_total",
    "created_at",
    "updated_at",
];

body! {
    /// An appointment (api.md: `name, kind, organisation, appointed_from, appointed_to, paid,
    /// fee_terms`; leads `target_ids[], project_ids[]`). On `PUT` the whole record with its
    /// `version`; the unit and the leads stay (leads are added by `POST …/leads`).
    pub struct AmbassadorBody {
        #[schema(value_type = String, required = true)]
        name: Input<String>,
        /// `ambassador` 招商大使 | `advisor` 招商顾问 | `intermediary` 中介机构
        #[schema(value_type = String, required = true)]
        kind: Input<String>,
        #[schema(value_type = Option<String>)]
        organisation: Input<String>,
        #[schema(value_type = Option<String>)]
        contact: Input<String>,
        #[schema(value_type = Option<String>)]
        phone: Input<String>,
        /// The appointing unit's code (in the caller's scope); ignored on `PUT`.
        #[schema(value_type = String, required = true)]
        unit: Input<String>,
        #[schema(value_type = NaiveDate, required = true)]
        appointed_from: Input<NaiveDate>,
        #[schema(value_type = Option<NaiveDate>)]
        appointed_to: Input<NaiveDate>,
        /// Paid on results (an intermediary only; then `fee_terms` and `fee_stage` are needed).
        #[schema(value_type = Option<bool>)]
        paid: Input<bool>,
        #[schema(value_type = Option<String>)]
        fee_terms: Input<String>,
        /// The stage a fee is paid on: `signed` | `approved` | `started` | `producing` | `at_capacity`.
        #[schema(value_type = Option<String>)]
        fee_stage: Input<String>,
        /// 万元 per project, a decimal string.
        #[schema(value_type = Option<String>)]
        fee_amount: Input<Money>,
        #[schema(value_type = Option<String>)]
        notes: Input<String>,
        /// Targets of the unit's subtree it brought (on `POST` only).
        #[schema(value_type = Option<Vec<i64>>)]
        target_ids: Input<Vec<RecordId>>,
        /// Projects of the unit's subtree it brought (on `POST` only).
        #[schema(value_type = Option<Vec<i64>>)]
        project_ids: Input<Vec<RecordId>>,
        /// On `PUT`: the record's version as read.
        #[schema(value_type = Option<i32>)]
        version: Input<i32>,
    }
}

body! {
    /// Leads to add: targets and projects of the appointing unit's subtree.
    pub struct LeadsBody {
        #[schema(value_type = Option<Vec<i64>>)]
        target_ids: Input<Vec<RecordId>>,
        #[schema(value_type = Option<Vec<i64>>)]
        project_ids: Input<Vec<RecordId>>,
    }
}

body! {
    /// A fee paid to a paid intermediary on one of its lead projects.
    pub struct PayoutBody {
        #[schema(value_type = i64, required = true)]
        project_id: Input<RecordId>,
        /// 万元, a decimal string.
        #[schema(value_type = String, required = true)]
        amount: Input<Money>,
        #[schema(value_type = NaiveDate, required = true)]
        paid_on: Input<NaiveDate>,
        /// What it was paid on (the acceptance, the invoice).
        #[schema(value_type = Option<String>)]
        note: Input<String>,
    }
}

fn ids(c: &mut Check, field: &str, v: Input<Vec<RecordId>>) -> Vec<i64> {
    c.optional(field, v).unwrap_or_default().into_iter().map(|r| r.0).collect()
}

/// An appointment's fields, its leads and version, every bad one named.
pub fn ambassador_input(b: AmbassadorBody) -> Result<(AmbassadorInput, LeadsInput, Option<i32>), ApiError> {
    let mut c = Check::body(&domain::fields::AMBASSADOR, &b.extra, SYSTEM);
    let from = c.required("appointed_from", b.appointed_from);
    let input = AmbassadorInput {
        name: c.required("name", b.name).unwrap_or_default(),
        kind: c.required("kind", b.kind).unwrap_or_default(),
        organisation: c.optional("organisation", b.organisation),
        contact: c.optional("contact", b.contact),
        phone: c.optional("phone", b.phone),
        unit: c.optional("unit", b.unit).unwrap_or_default(),
        appointed_from: from.unwrap_or_default(),
        appointed_to: c.optional("appointed_to", b.appointed_to),
        paid: c.optional("paid", b.paid).unwrap_or(false),
        fee_terms: c.optional("fee_terms", b.fee_terms),
        fee_stage: c.optional("fee_stage", b.fee_stage),
        fee_amount: c.optional("fee_amount", b.fee_amount),
        notes: c.optional("notes", b.notes),
    };
    let leads = LeadsInput {
        target_ids: ids(&mut c, "target_ids", b.target_ids),
        project_ids: ids(&mut c, "project_ids", b.project_ids),
    };
    let version = c.optional("version", b.version);
    if from.is_some() {
        for e in store::ambassadors::validate(&input) {
            c.err(&e.field, e.message);
        }
    }
    c.finish((input, leads, version))
}

/// Leads to add, every bad id named.
pub fn leads_input(b: LeadsBody) -> Result<LeadsInput, ApiError> {
    let mut c = Check::body(&domain::fields::AMBASSADOR, &b.extra, &[]);
    let leads = LeadsInput {
        target_ids: ids(&mut c, "target_ids", b.target_ids),
        project_ids: ids(&mut c, "project_ids", b.project_ids),
    };
    c.finish(leads)
}

/// A payout's fields, every bad one named.
pub fn payout_input(b: PayoutBody) -> Result<PayoutInput, ApiError> {
    let mut c = Check::body(&domain::fields::PAYOUT, &b.extra, &[]);
    let project_id = c.required("project_id", b.project_id);
    let amount = c.required("amount", b.amount);
    let paid_on = c.required("paid_on", b.paid_on);
    let note = c.optional("note", b.note);
    let (p, amount, paid_on) = c.finish_required((project_id, amount, paid_on))?;
    Ok(PayoutInput { project_id: p.0, amount, paid_on, note })
}

#[utoipa::path(get, path = "/api/v1/ambassadors", operation_id = "list_ambassadors", tag = "ambassadors", security(("bearer" = ["ambassador:read"])),
    params(("unit" = Option<String>, Query, description = "a unit code or name (its subtree)"),
           ("kind" = Option<String>, Query, description = "`ambassador` | `advisor` | `intermediary`"),
           ("in_office" = Option<bool>, Query, description = "only those whose appointment is in force today"),
           ("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query)),
    responses((status = 200, description = "the records in the caller's scope with their leads and payouts, phones masked", body = AmbassadorPage),
              (status = 422, description = "a bad filter")))]
pub async fn list(db: Db<perm::AmbassadorRead>, QueryMap(q): QueryMap) -> ApiResult<Json<AmbassadorPage>> {
    let mut c = QueryCheck::new(&q);
    let kind = c.parsed("kind", domain::ambassador::AmbassadorKind::parse, |s| {
        format!("类别「{s}」无效，应为 ambassador、advisor 或 intermediary")
    });
    let in_office = c.flag("in_office").unwrap_or(false);
    let unit = c.text("unit");
    let (page, per_page) = super::paging(&q)?;
    let f = c.finish(AmbassadorFilter { unit, kind, in_office, page, per_page })?;
    Ok(Json(db.store().list_ambassadors(&f).await?))
}

#[utoipa::path(post, path = "/api/v1/ambassadors", operation_id = "create_ambassador", tag = "ambassadors", security(("bearer" = ["ambassador:write"])),
    request_body = AmbassadorBody,
    responses((status = 201, description = "the new record with its leads", body = Ambassador),
              (status = 403, description = "a unit outside the caller's scope"), (status = 422, description = "invalid")))]
pub async fn create(
    db: Db<perm::AmbassadorWrite>,
    JsonBody(b): JsonBody<AmbassadorBody>,
) -> NamedResult<(StatusCode, Json<Ambassador>), table::Ambassador> {
    let (input, leads, _) = ambassador_input(b)?;
    Ok((StatusCode::CREATED, Json(db.store().create_ambassador(input, leads).await?)))
}

#[utoipa::path(get, path = "/api/v1/ambassadors/{id}", operation_id = "get_ambassador", tag = "ambassadors", security(("bearer" = ["ambassador:read"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the record, its leads and payouts; its phone unmasked for the unit's staff and city_admin (an audited read)", body = Ambassador)))]
pub async fn get(db: Db<perm::AmbassadorRead>, Id(id): Id) -> ApiResult<Json<Ambassador>> {
    Ok(Json(db.store().get_ambassador(id).await?))
}

#[utoipa::path(put, path = "/api/v1/ambassadors/{id}", operation_id = "update_ambassador", tag = "ambassadors", security(("bearer" = ["ambassador:write"])),
    params(("id" = i64, Path)), request_body = AmbassadorBody,
    responses((status = 200, description = "the changed record", body = Ambassador),
              (status = 409, description = "a stale version, or paid terms withdrawn after a payout"), (status = 422, description = "invalid")))]
pub async fn update(
    db: Db<perm::AmbassadorWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<AmbassadorBody>,
) -> NamedResult<Json<Ambassador>, table::Ambassador> {
    let (input, leads, version) = ambassador_input(b)?;
    if !leads.target_ids.is_empty() || !leads.project_ids.is_empty() {
        let field = if leads.project_ids.is_empty() { "target_ids" } else { "project_ids" };
        return Err(ApiError::field(field, "修改记录时不能改引荐线索，请通过 POST …/leads 添加").into());
    }
    let version = version.ok_or_else(|| ApiError::field("version", "请提供记录的版本号（version）"))?;
    Ok(Json(db.store().update_ambassador(id, input, version).await?))
}

#[utoipa::path(post, path = "/api/v1/ambassadors/{id}/leads", operation_id = "add_ambassador_leads", tag = "ambassadors", security(("bearer" = ["ambassador:write"])),
    params(("id" = i64, Path)), request_body = LeadsBody,
    responses((status = 200, description = "the record with its leads (one already recorded is kept once)", body = Ambassador),
              (status = 422, description = "a target or project not of the appointing unit")))]
pub async fn add_leads(
    db: Db<perm::AmbassadorWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<LeadsBody>,
) -> NamedResult<Json<Ambassador>, table::Ambassador> {
    let leads = leads_input(b)?;
    Ok(Json(db.store().add_ambassador_leads(id, leads).await?))
}

#[utoipa::path(post, path = "/api/v1/ambassadors/{id}/payouts", operation_id = "record_payout", tag = "ambassadors", security(("bearer" = ["ambassador:write"])),
    params(("id" = i64, Path)), request_body = PayoutBody,
    responses((status = 201, description = "the payout, at the agreed stage", body = Payout),
              (status = 409, description = "not a paid intermediary, the agreed stage not accepted yet, or paid already"),
              (status = 422, description = "invalid, or a project that is not its lead")))]
pub async fn payout(
    db: Db<perm::AmbassadorWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<PayoutBody>,
) -> NamedResult<(StatusCode, Json<Payout>), table::Payout> {
    let today = domain::today_shanghai();
    let input = payout_input(b)?;
    Ok((StatusCode::CREATED, Json(db.store().record_payout(id, input, today).await?)))
}
