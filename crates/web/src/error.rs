//! One error type for the API, rendered exactly as `api.md` says:
//! `{"error": {"code": …, "message": …, "fields": {…}}}`. 5xx are logged once, with the
//! request id; the client never sees SQL, paths or stack traces.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::fields::Entity;
use serde_json::json;
use store::StoreError;

#[derive(Debug)]
pub enum ApiError {
    Unauthorized(&'static str),
    Forbidden,
    /// A forced password change (first login, reset or expiry) comes first.
    PasswordChangeRequired,
    /// The policy requires a TOTP second factor that this account has not set up yet.
    TotpEnrollmentRequired,
    /// The password was right; the login also needs the TOTP code (`totp`).
    TotpRequired,
    NotFound,
    Conflict(String),
    /// 400 when the body is not JSON at all; 422 for a well-formed body with bad fields.
    BadRequest(String),
    Validation(BTreeMap<String, String>),
    RateLimited,
    TooLarge,
    Internal(String),
}

impl ApiError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(BTreeMap::from([(field.to_string(), message.into())]))
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Forbidden => ApiError::Forbidden,
            StoreError::Conflict(m) => ApiError::Conflict(m),
            StoreError::Validation(fields) => fields.into(),
            StoreError::Db(e) => ApiError::Internal(e.to_string()),
        }
    }
}

impl From<Vec<domain::FieldError>> for ApiError {
    /// Each field's messages, several for one field (every problem of a scheme) joined by "；".
    fn from(v: Vec<domain::FieldError>) -> Self {
        let mut fields: BTreeMap<String, String> = BTreeMap::new();
        for f in v {
            match fields.get_mut(&f.field) {
                Some(m) if *m != f.message => {
                    m.push('；');
                    m.push_str(&f.message);
                }
                Some(_) => {}
                None => {
                    fields.insert(f.field, f.message);
                }
            }
        }
        ApiError::Validation(fields)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.respond(domain::labels::field_label)
    }
}

impl ApiError {
    /// The response, with a 422's message naming each field by `label`.
    fn respond(self, label: fn(&str) -> &str) -> Response {
        let mut detail = None;
        let (status, code, message, fields) = match self {
            ApiError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, "unauthorized", m.to_string(), None),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "无权访问该资源".to_string(), None),
            ApiError::PasswordChangeRequired => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "请先修改密码（首次登录、重置或已到期），再继续操作".to_string(),
                None,
            ),
            ApiError::TotpEnrollmentRequired => {
                (StatusCode::FORBIDDEN, "forbidden", "请先绑定动态口令（TOTP），再继续操作".to_string(), None)
            }
            ApiError::TotpRequired => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "请输入动态口令（TOTP）".to_string(),
                Some(std::collections::BTreeMap::from([("totp".to_string(), "需要6位动态口令".to_string())])),
            ),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found", "资源不存在".to_string(), None),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, "conflict", m, None),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, "validation", m, None),
            ApiError::Validation(f) => {
                let msg = f.iter().map(|(k, v)| format!("{}：{v}", label(k))).collect::<Vec<_>>().join("；");
                (StatusCode::UNPROCESSABLE_ENTITY, "validation", msg, Some(f))
            }
            ApiError::RateLimited => {
                (StatusCode::TOO_MANY_REQUESTS, "rate_limited", "请求过于频繁，请稍后再试".to_string(), None)
            }
            ApiError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large", "请求体或文件过大".to_string(), None),
            ApiError::Internal(d) => {
                // Logged once, with the request id, by the trace layer (`web::harden`).
                detail = Some(crate::ErrorDetail(d));
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", "服务器内部错误，请联系管理员".to_string(), None)
            }
        };
        let mut body = json!({"error": {"code": code, "message": message}});
        if let Some(f) = fields {
            body["error"]["fields"] = json!(f);
        }
        let mut res = (status, Json(body)).into_response();
        if let Some(d) = detail {
            res.extensions_mut().insert(d);
        }
        res
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// An entity's field table as a type, so that a handler's error type says whose fields its
/// 422 names (`domain::fields`).
pub trait Table {
    const TABLE: &'static Entity;
}

/// The field tables the API's handlers answer with.
pub mod table {
    use super::{Entity, Table};
    use domain::fields;

    macro_rules! tables {
        ($($name:ident => $table:ident),* $(,)?) => {$(
            pub enum $name {}
            impl Table for $name {
                const TABLE: &'static Entity = &fields::$table;
            }
        )*};
    }

    tables!(Project => PROJECT, Company => COMPANY, Transition => TRANSITION, Funds => FUNDS, User => USER);
    tables!(Progress => PROGRESS, Outcome => OUTCOME);
    tables!(Agreement => AGREEMENT, Clause => CLAUSE, Milestone => MILESTONE, TeamMember => TEAM_MEMBER);
    tables!(Attachment => ATTACHMENT);
    tables!(Review => REVIEW);
    tables!(Task => TASK, Problem => PROBLEM);
    tables!(Target => TARGET, FollowUp => FOLLOW_UP, Contact => CONTACT, Inquiry => INQUIRY, Ranking => RANKING);
    tables!(Supervision => SUPERVISION, MonthlyReport => MONTHLY_REPORT);
    tables!(Leader => LEADER, Activity => ACTIVITY, Ambassador => AMBASSADOR, Payout => PAYOUT);
    tables!(Scheme => SCHEME, ManualValue => MANUAL_VALUE, Adjustment => ADJUSTMENT);
    tables!(Top10 => TOP10);
    tables!(Bulletin => BULLETIN);
}

/// An [`ApiError`] whose 422 message names the fields with the labels of `T`'s table: a
/// company error says 企业名称, not 项目名称 (the global label table is the project's).
#[derive(Debug)]
pub struct Named<T: Table>(pub ApiError, PhantomData<T>);

/// The result of a handler whose errors name `T`'s fields.
pub type NamedResult<R, T> = Result<R, Named<T>>;

impl<T: Table> From<ApiError> for Named<T> {
    fn from(e: ApiError) -> Self {
        Named(e, PhantomData)
    }
}

impl<T: Table> From<StoreError> for Named<T> {
    fn from(e: StoreError) -> Self {
        Named(e.into(), PhantomData)
    }
}

fn label_of<T: Table>(field: &str) -> &str {
    T::TABLE.label(field)
}

impl<T: Table> IntoResponse for Named<T> {
    fn into_response(self) -> Response {
        self.0.respond(label_of::<T>)
    }
}
