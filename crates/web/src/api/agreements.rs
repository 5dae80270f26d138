//! Agreements (协议) and clauses (条款), domain.md §5: a project's agreements (created with
//! their clauses in one transaction), one agreement with its 履约率, a package's
//! sub-projects, a clause's status. Reads need `project:read`, writes `project:write`,
//! both on the agreement's project.

use axum::Json;
use axum::http::StatusCode;
use chrono::NaiveDate;
use domain::{AgreementKind, ClauseStatus, Money, Obligor};
use serde::Serialize;
use serde_json::{Map, Value};
use store::agreements::{Agreement, Clause, ClausePatch, NewAgreement, NewClause, rate_string};
use utoipa::ToSchema;

use super::body::{Check, Input, RecordId, body};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody};

/// Fields the system maintains on an agreement or a clause.
const PROTECTED: &[&str] =
    &["id", "project_id", "agreement_id", "sub_project_ids", "fulfilment_rate", "created_at", "version", "evidence"];

body! {
    /// A clause of a new agreement.
    pub struct ClauseBody {
        /// 条款编号, unique within the agreement.
        #[schema(value_type = String, required = true)]
        number: Input<String>,
        #[schema(value_type = String, required = true)]
        text: Input<String>,
        /// `investor` or `government`.
        #[schema(value_type = String, required = true)]
        obligor: Input<String>,
        /// 万元.
        #[schema(value_type = Option<String>)]
        due_amount: Input<Money>,
        /// 亩.
        #[schema(value_type = Option<String>)]
        due_area: Input<Money>,
        #[schema(value_type = Option<NaiveDate>)]
        due_on: Input<NaiveDate>,
        /// The starting status, `pending` when left out.
        #[schema(value_type = Option<String>)]
        status: Input<String>,
        #[schema(value_type = Option<String>)]
        note: Input<String>,
    }
}

fn status(c: &mut Check, field: &str, code: Option<String>) -> Option<ClauseStatus> {
    c.code(field, code, ClauseStatus::parse, |_| {
        "条款状态应为 pending、in_progress、fulfilled、breached 或 waived".into()
    })
}

impl ClauseBody {
    fn input(self, c: &mut Check) -> NewClause {
        c.refuse_unknown(&self.extra, PROTECTED);
        let obligor = c.required("obligor", self.obligor);
        let obligor = c.code("obligor", obligor, Obligor::parse, |_| {
            "履约方应为 investor（投资方）或 government（政府方）".into()
        });
        let st = c.optional("status", self.status);
        NewClause {
            number: c.required("number", self.number).unwrap_or_default(),
            text: c.required("text", self.text).unwrap_or_default(),
            obligor: obligor.unwrap_or(Obligor::Investor),
            due_amount: c.optional("due_amount", self.due_amount),
            due_area: c.optional("due_area", self.due_area),
            due_on: c.optional("due_on", self.due_on),
            status: status(c, "status", st).unwrap_or(ClauseStatus::Pending),
            note: c.optional("note", self.note),
        }
    }
}

/// The message of a field of the `i`th record of a list, naming the record and the field:
/// `第2项：条款编号不能为空`.
pub(crate) fn nested(i: usize, label: &str, why: &str) -> String {
    if why.starts_with(label) { format!("第{}项：{why}", i + 1) } else { format!("第{}项：{label}{why}", i + 1) }
}

body! {
    /// A new agreement (api.md): kind, title, signing date, parties, amount and its clauses.
    pub struct AgreementBody {
        /// `framework`, `contract` or `package`.
        #[schema(value_type = String, required = true)]
        kind: Input<String>,
        #[schema(value_type = String, required = true)]
        title: Input<String>,
        #[schema(value_type = Option<NaiveDate>)]
        signed_on: Input<NaiveDate>,
        #[schema(value_type = Option<Vec<String>>)]
        parties: Input<Vec<String>>,
        /// 万元.
        #[schema(value_type = Option<String>)]
        amount: Input<Money>,
        #[schema(value_type = Option<Vec<ClauseBody>>)]
        clauses: Input<Vec<Map<String, Value>>>,
    }
}

impl AgreementBody {
    pub fn input(self, today: NaiveDate) -> Result<NewAgreement, ApiError> {
        let mut c = Check::body(&domain::fields::AGREEMENT, &self.extra, PROTECTED);
        let kind = c.required("kind", self.kind);
        let why =
            |_: &str| "协议类型应为 framework（框架协议）、contract（正式合同）或 package（一揽子协议）".to_string();
        let kind = c.code("kind", kind, AgreementKind::parse, why);
        let mut clauses = vec![];
        for (i, map) in c.optional("clauses", self.clauses).unwrap_or_default().into_iter().enumerate() {
            let mut cc = Check::new(&domain::fields::CLAUSE);
            let body: ClauseBody = match serde_json::from_value(Value::Object(map)) {
                Ok(b) => b,
                Err(_) => {
                    c.err(&format!("clauses[{i}]"), "应为条款对象");
                    continue;
                }
            };
            let clause = body.input(&mut cc);
            match cc.finish(clause) {
                Ok(clause) => clauses.push(clause),
                Err(ApiError::Validation(errors)) => {
                    for (k, why) in errors {
                        c.err(&format!("clauses[{i}].{k}"), nested(i, domain::fields::CLAUSE.label(&k), &why));
                    }
                }
                Err(e) => return Err(e),
            }
        }
        let new = NewAgreement {
            kind: kind.unwrap_or(AgreementKind::Contract),
            title: c.required("title", self.title).unwrap_or_default(),
            signed_on: c.optional("signed_on", self.signed_on),
            parties: c.optional("parties", self.parties).unwrap_or_default(),
            amount: c.optional("amount", self.amount),
            clauses,
        };
        for e in store::agreements::validate(&new, today) {
            c.err(&e.field, e.message);
        }
        c.finish(new)
    }
}

/// A project's agreements and their combined 履约率.
#[derive(Serialize, ToSchema)]
pub struct AgreementList {
    pub items: Vec<Agreement>,
    pub total: usize,
    /// Over every clause of every agreement of the project; null when none is due.
    pub fulfilment_rate: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/projects/{id}/agreements", tag = "agreements", security(("bearer" = ["project:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "the project's agreements with clauses and 履约率", body = AgreementList),
        (status = 403, description = "out of scope"), (status = 404, description = "unknown project")))]
pub async fn list(db: Db<perm::ProjectRead>, Id(id): Id) -> ApiResult<Json<AgreementList>> {
    let list = db.store().list_agreements(id, domain::today_shanghai()).await?;
    let fulfilment_rate = rate_string(list.rate);
    Ok(Json(AgreementList { total: list.agreements.len(), items: list.agreements, fulfilment_rate }))
}

#[utoipa::path(post, path = "/api/v1/projects/{id}/agreements", tag = "agreements", security(("bearer" = ["project:write"])),
    params(("id" = i64, Path)), request_body = AgreementBody,
    responses((status = 201, description = "the new agreement with its clauses", body = Agreement), (status = 422, description = "invalid fields")))]
pub async fn create(
    db: Db<perm::ProjectWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<AgreementBody>,
) -> NamedResult<(StatusCode, Json<Agreement>), table::Agreement> {
    let today = domain::today_shanghai();
    let new = b.input(today)?;
    Ok((StatusCode::CREATED, Json(db.store().create_agreement(id, new, today).await?)))
}

#[utoipa::path(get, path = "/api/v1/agreements/{id}", tag = "agreements", security(("bearer" = ["project:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "the agreement with clauses, sub_project_ids and fulfilment_rate", body = Agreement),
        (status = 403, description = "its project is out of scope"), (status = 404, description = "unknown")))]
pub async fn get(db: Db<perm::ProjectRead>, Id(id): Id) -> ApiResult<Json<Agreement>> {
    Ok(Json(db.store().get_agreement(id, domain::today_shanghai()).await?))
}

body! {
    /// A project to link as a sub-project of a package agreement.
    pub struct SubProjectBody {
        #[schema(value_type = i64, required = true)]
        project_id: Input<RecordId>,
    }
}

#[utoipa::path(post, path = "/api/v1/agreements/{id}/sub_projects", tag = "agreements", security(("bearer" = ["project:write"])),
    params(("id" = i64, Path)), request_body = SubProjectBody,
    responses((status = 200, description = "the agreement with the sub-project linked", body = Agreement),
        (status = 409, description = "not a package agreement, or the project is already a sub-project"), (status = 422, description = "invalid")))]
pub async fn add_sub_project(
    db: Db<perm::ProjectWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<SubProjectBody>,
) -> NamedResult<Json<Agreement>, table::Agreement> {
    let mut check = Check::body(&domain::fields::AGREEMENT, &b.extra, &[]);
    let project = check.required("project_id", b.project_id);
    let RecordId(project) = check.finish(project)?.unwrap_or(RecordId(0));
    Ok(Json(db.store().add_sub_project(id, project, domain::today_shanghai()).await?))
}

body! {
    /// A clause's new status, with the version read.
    pub struct ClausePatchBody {
        /// `in_progress`, `fulfilled`, `breached` or `waived` (forward only).
        #[schema(value_type = String, required = true)]
        status: Input<String>,
        /// When the status was reached; today when left out.
        #[schema(value_type = Option<NaiveDate>)]
        status_on: Input<NaiveDate>,
        #[schema(value_type = Option<String>)]
        note: Input<String>,
        #[schema(value_type = i32, required = true)]
        version: Input<i32>,
    }
}

impl ClausePatchBody {
    pub fn patch(self) -> Result<ClausePatch, ApiError> {
        let mut c = Check::body(&domain::fields::CLAUSE, &self.extra, PROTECTED);
        let code = c.required("status", self.status);
        let st = status(&mut c, "status", code);
        let patch = ClausePatch {
            status: st.unwrap_or(ClauseStatus::Pending),
            status_on: c.optional("status_on", self.status_on),
            note: c.optional("note", self.note),
            version: c.required("version", self.version).unwrap_or(-1),
        };
        c.finish(patch)
    }
}

#[utoipa::path(patch, path = "/api/v1/clauses/{id}", tag = "agreements", security(("bearer" = ["project:write"])),
    params(("id" = i64, Path)), request_body = ClausePatchBody,
    responses((status = 200, description = "the clause", body = Clause), (status = 409, description = "illegal transition (the reason in Chinese) or stale version"),
        (status = 422, description = "invalid")))]
pub async fn update_clause(
    db: Db<perm::ProjectWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<ClausePatchBody>,
) -> NamedResult<Json<Clause>, table::Clause> {
    let patch = b.patch()?;
    Ok(Json(db.store().update_clause(id, patch, domain::today_shanghai()).await?))
}
