//! The forms of the 协议与条款 tab: a new agreement with its clauses (read by the API's own
//! body, so the page refuses what the API refuses) and a clause's status.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::section::CLAUSE_ROWS;
use crate::api::agreements::{AgreementBody, ClausePatchBody};
use crate::auth::perm;
use crate::error::ApiError;
use crate::input::Id;
use crate::ui::project::detail::again;
use crate::ui::{FormData, PageForm, UiError, UiResult, see_other};

/// Field errors of one form, keyed `<prefix><field>` so that they sit beside that form's
/// fields and no other form's; a conflict under `<prefix>conflict`.
pub(crate) fn form_errors(prefix: &str, e: ApiError) -> Result<(StatusCode, BTreeMap<String, String>), UiError> {
    match e {
        ApiError::Validation(f) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, f.into_iter().map(|(k, v)| (format!("{prefix}{k}"), v)).collect()))
        }
        ApiError::Conflict(m) => Ok((StatusCode::CONFLICT, BTreeMap::from([(format!("{prefix}conflict"), m)]))),
        other => Err(other.into()),
    }
}

/// An API body from the JSON a form makes (a body's fields never fail to deserialize).
pub(crate) fn parse<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, ApiError> {
    serde_json::from_value(v).map_err(|_| ApiError::BadRequest("表单无效".into()))
}

/// A form's write by the API's own rules: `body` read as the API's body `B`, checked into
/// the store's input by `check` (as the API checks it), then written by `write`; a refusal
/// of either is the one `ApiError` the form shows beside its fields.
pub(crate) async fn submit<B: serde::de::DeserializeOwned, I, T>(
    body: Value,
    check: impl FnOnce(B) -> Result<I, ApiError>,
    write: impl AsyncFnOnce(I) -> store::Result<T>,
) -> Result<T, ApiError> {
    let input = parse::<B>(body).and_then(check)?;
    Ok(write(input).await?)
}

/// A form's answer: saved, to the page `to` names; refused, the form again — `show` with each
/// error beside its field (keys `<prefix>…`) — answered 422 (409 for a conflict).
pub(crate) async fn respond<T, P: askama::Template>(
    r: Result<T, ApiError>,
    prefix: &str,
    to: impl FnOnce(T) -> String,
    show: impl AsyncFnOnce(BTreeMap<String, String>) -> UiResult<P>,
) -> UiResult<Response> {
    match r {
        Ok(v) => Ok(see_other(&to(v))),
        Err(e) => {
            let (status, errors) = form_errors(prefix, e)?;
            crate::ui::render_status(status, &show(errors).await?)
        }
    }
}

/// A text of the form, `null` when blank.
pub(crate) fn text(form: &FormData, k: &str) -> Value {
    match form.get(k).trim() {
        "" => Value::Null,
        v => Value::String(v.into()),
    }
}

fn agreement_json(form: &FormData) -> Value {
    let parties: Vec<Value> = form
        .get("ag_parties")
        .split(['、', ',', '，', ';', '；', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Value::String(p.into()))
        .collect();
    let mut clauses = vec![];
    for i in 0..CLAUSE_ROWS {
        let f = |k: &str| text(form, &format!("c{i}_{k}"));
        if f("number").is_null() && f("text").is_null() {
            continue;
        }
        let mut c = Map::new();
        for k in ["number", "text", "obligor", "due_amount", "due_area", "due_on"] {
            c.insert(k.into(), f(k));
        }
        clauses.push(Value::Object(c));
    }
    json!({
        "kind": text(form, "ag_kind"), "title": text(form, "ag_title"), "signed_on": text(form, "ag_signed_on"),
        "amount": text(form, "ag_amount"), "parties": parties, "clauses": clauses,
    })
}

pub async fn create_agreement(Id(id): Id, f: PageForm<perm::ProjectWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let today = domain::today_shanghai();
    let check = |b: AgreementBody| b.input(today);
    let result =
        submit(agreement_json(&form), check, async |new| page.store().create_agreement(id, new, today).await).await;
    match result {
        Ok(_) => Ok(see_other(&format!("/projects/{id}?tab=agreements&done=saved"))),
        Err(e) => {
            let (status, errors) = form_errors("ag_", e)?;
            again(page, id, "agreements", errors, &form, status).await
        }
    }
}

/// A clause's new status; the form names its project for the page to return to (the store
/// checks the clause's own project).
pub async fn update_clause(Id(clause): Id, f: PageForm<perm::ProjectWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let project: i64 = form.get("project_id").trim().parse().map_err(|_| UiError::NotFound)?;
    let body = json!({"status": text(&form, "cl_status"), "note": text(&form, "cl_note"), "version": text(&form, "cl_version")});
    let write = async |p| page.store().update_clause(clause, p, domain::today_shanghai()).await;
    let result = submit(body, ClausePatchBody::patch, write).await;
    match result {
        Ok(_) => Ok(see_other(&format!("/projects/{project}?tab=agreements&done=saved"))),
        Err(e) => {
            let (status, errors) = form_errors(&format!("cl{clause}_"), e)?;
            again(page, project, "agreements", errors, &form, status).await
        }
    }
}
