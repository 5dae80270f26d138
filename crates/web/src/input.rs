//! Turning request bodies and query strings into typed values, collecting every field
//! error (with the field named, in Chinese) instead of failing on the first.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use chrono::NaiveDate;
use domain::Money;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// A JSON body; syntax errors → 400, type errors → 422 naming the field, too large → 413.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge
            } else {
                ApiError::BadRequest("无法读取请求体".into())
            }
        })?;
        let value: Value =
            serde_json::from_slice(&bytes).map_err(|_| ApiError::BadRequest("请求体不是有效的JSON".into()))?;
        serde_json::from_value(value).map(JsonBody).map_err(|e| {
            let msg = e.to_string();
            // serde names the field in "missing field `x`" / "unknown field `x`".
            let field = msg.split('`').nth(1).unwrap_or("body").to_string();
            let why = if msg.starts_with("missing field") {
                "不能为空".to_string()
            } else if msg.starts_with("unknown field") {
                "不是可写字段".to_string()
            } else {
                format!("格式不正确（{msg}）")
            };
            ApiError::field(&field, why)
        })
    }
}

/// A JSON object body, for inputs validated field by field.
pub struct JsonObject(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let JsonBody(v) = JsonBody::<Value>::from_request(req, state).await?;
        match v {
            Value::Object(m) => Ok(JsonObject(m)),
            _ => Err(ApiError::BadRequest("请求体应为JSON对象".into())),
        }
    }
}

/// A numeric id in the path; anything else is simply not found.
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state).await.map_err(|_| ApiError::NotFound)?;
        raw.parse::<i64>().ok().filter(|i| *i > 0).map(Id).ok_or(ApiError::NotFound)
    }
}

/// Query string as a map (last value wins).
pub struct QueryMap(pub BTreeMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for QueryMap {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Ok(QueryMap(pairs(parts.uri.query().unwrap_or("").as_bytes()).into_iter().collect()))
    }
}

/// `application/x-www-form-urlencoded` pairs (a query string or a form body), decoded by
/// the `form_urlencoded` crate (`+` is a space; a malformed escape stays as typed and bytes
/// that are not UTF-8 become U+FFFD, so the field's own check names it).
pub fn pairs(input: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(input).into_owned().collect()
}

/// Percent-encoding of a query component (everything but RFC 3986 unreserved characters).
/// Kept by hand, not `form_urlencoded::byte_serialize`: that writes a space as `+`, which
/// is wrong in the RFC 5987 `filename*` of a download (ledger.rs uses this too).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Field-by-field reader of a JSON object that collects errors.
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    pub errors: BTreeMap<String, String>,
}

impl<'a> Fields<'a> {
    pub fn new(map: &'a Map<String, Value>) -> Self {
        Fields { map, errors: BTreeMap::new() }
    }

    pub fn has(&self, k: &str) -> bool {
        self.map.contains_key(k)
    }

    pub fn err(&mut self, k: &str, m: impl Into<String>) {
        self.errors.entry(k.to_string()).or_insert_with(|| m.into());
    }

    /// Refuse any key not in `allowed`; protected ones get a clearer message.
    pub fn only(&mut self, allowed: &[&str], protected: &[&str]) {
        let keys: Vec<String> = self.map.keys().cloned().collect();
        for k in keys {
            if protected.contains(&k.as_str()) {
                self.err(&k, "该字段由系统维护，不能直接写入");
            } else if !allowed.contains(&k.as_str()) {
                self.err(&k, "未知字段");
            }
        }
    }

    fn present(&self, k: &str) -> Option<&'a Value> {
        self.map.get(k).filter(|v| !v.is_null())
    }

    /// Required text; `None` (and an error) when missing or blank.
    pub fn text(&mut self, k: &str) -> Option<String> {
        match self.present(k) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(Value::String(_)) | None => {
                self.err(k, "不能为空");
                None
            }
            Some(_) => {
                self.err(k, "应为文本");
                None
            }
        }
    }

    /// Optional text: absent → None; null/"" → Some(None).
    pub fn opt_text(&mut self, k: &str) -> Option<Option<String>> {
        match self.map.get(k) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) => Some(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
            Some(_) => {
                self.err(k, "应为文本");
                None
            }
        }
    }

    pub fn money(&mut self, k: &str) -> Option<Money> {
        match self.present(k) {
            None => {
                self.err(k, "不能为空");
                None
            }
            Some(v) => self.money_value(k, v),
        }
    }

    pub fn opt_money(&mut self, k: &str) -> Option<Option<Money>> {
        match self.map.get(k) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) if s.trim().is_empty() => Some(None),
            Some(v) => self.money_value(k, v).map(Some),
        }
    }

    fn money_value(&mut self, k: &str, v: &Value) -> Option<Money> {
        let r = match v {
            Value::String(s) => Money::parse(s),
            Value::Number(n) if n.is_i64() || n.is_u64() => Money::parse(&n.to_string()),
            Value::Number(_) => {
                self.err(k, "金额请用字符串表示（如 \"12345.67\"），以免精度丢失");
                return None;
            }
            _ => {
                self.err(k, "应为金额（万元），如 \"12345.67\"");
                return None;
            }
        };
        match r {
            Ok(m) => Some(m),
            Err(e) => {
                self.err(k, format!("{e}，应为金额如 \"12345.67\""));
                None
            }
        }
    }

    pub fn date(&mut self, k: &str) -> Option<NaiveDate> {
        match self.present(k) {
            None => {
                self.err(k, "不能为空");
                None
            }
            Some(v) => self.date_value(k, v),
        }
    }

    pub fn opt_date(&mut self, k: &str) -> Option<Option<NaiveDate>> {
        match self.map.get(k) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) if s.trim().is_empty() => Some(None),
            Some(v) => self.date_value(k, v).map(Some),
        }
    }

    fn date_value(&mut self, k: &str, v: &Value) -> Option<NaiveDate> {
        match v.as_str().and_then(parse_date) {
            Some(d) => Some(d),
            None => {
                self.err(k, "日期格式应为 YYYY-MM-DD");
                None
            }
        }
    }

    pub fn opt_int(&mut self, k: &str) -> Option<Option<i64>> {
        match self.map.get(k) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::Number(n)) if n.is_i64() => Some(n.as_i64()),
            Some(Value::String(s)) if s.trim().parse::<i64>().is_ok() => Some(s.trim().parse().ok()),
            Some(_) => {
                self.err(k, "应为整数");
                None
            }
        }
    }

    pub fn int(&mut self, k: &str) -> Option<i64> {
        match self.opt_int(k) {
            Some(Some(v)) => Some(v),
            Some(None) | None => {
                self.err(k, "不能为空");
                None
            }
        }
    }

    pub fn opt_bool(&mut self, k: &str) -> Option<bool> {
        match self.present(k) {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                self.err(k, "应为 true 或 false");
                None
            }
        }
    }

    pub fn ids(&mut self, k: &str) -> Option<Vec<i64>> {
        match self.map.get(k) {
            None => None,
            Some(Value::Null) => Some(vec![]),
            Some(Value::Array(a)) => {
                let ids: Option<Vec<i64>> = a.iter().map(|v| v.as_i64().filter(|i| *i > 0)).collect();
                if ids.is_none() {
                    self.err(k, "应为企业编号（整数）的数组");
                }
                ids
            }
            Some(_) => {
                self.err(k, "应为数组");
                None
            }
        }
    }

    pub fn strings(&mut self, k: &str) -> Option<Vec<String>> {
        match self.map.get(k) {
            None => None,
            Some(Value::Null) => Some(vec![]),
            Some(Value::Array(a)) => {
                let v: Option<Vec<String>> = a.iter().map(|v| v.as_str().map(|s| s.trim().to_string())).collect();
                if v.is_none() {
                    self.err(k, "应为文本数组");
                }
                v
            }
            Some(_) => {
                self.err(k, "应为数组");
                None
            }
        }
    }

    pub fn object(&mut self, k: &str) -> Option<&'a Map<String, Value>> {
        match self.present(k) {
            None => None,
            Some(Value::Object(m)) => Some(m),
            Some(_) => {
                self.err(k, "应为对象");
                None
            }
        }
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(self.errors)) }
    }
}

/// The largest `page` a list accepts: far past any real list, and small enough that
/// `(page - 1) * per_page` never overflows (a huge page used to panic and drop the connection).
pub const MAX_PAGE: u64 = 1_000_000;
/// The largest `per_page` (api.md).
pub const MAX_PER_PAGE: u64 = 500;

/// `page` (1 ..= 1,000,000, default 1) and `per_page` (1 ..= 500, default 50) from a query;
/// a 422 names each bad one. The API lists and the pages share it.
pub fn paging(q: &BTreeMap<String, String>) -> Result<(u64, u64), ApiError> {
    let mut errors = BTreeMap::new();
    let mut read = |k: &str, default: u64, max: u64| match q.get(k).map(|s| s.trim().parse::<u64>()) {
        None => default,
        Some(Ok(n)) if (1..=max).contains(&n) => n,
        Some(_) => {
            errors.insert(k.to_string(), format!("应为1到{max}之间的整数"));
            default
        }
    };
    let page = read("page", 1, MAX_PAGE);
    let per_page = read("per_page", 50, MAX_PER_PAGE);
    if errors.is_empty() { Ok((page, per_page)) } else { Err(ApiError::Validation(errors)) }
}

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_decode_percent_and_plus() {
        let p = pairs("industry=%E7%A7%91%E6%8A%80&q=a+b&x=%zz&y=%E7&flag".as_bytes());
        let got: Vec<(&str, &str)> = p.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(got, [("industry", "科技"), ("q", "a b"), ("x", "%zz"), ("y", "\u{FFFD}"), ("flag", "")]);
        assert_eq!(pairs(format!("q={}", encode("科技 a+b&c")).as_bytes())[0].1, "科技 a+b&c", "round trip");
    }

    #[test]
    fn fields_collect_every_error() {
        let v = serde_json::json!({"a": "很多", "b": 1.5, "c": "2025-13-01", "d": [1, "x"]});
        let m = v.as_object().unwrap();
        let mut f = Fields::new(m);
        assert!(f.money("a").is_none());
        assert!(f.money("b").is_none());
        assert!(f.date("c").is_none());
        assert!(f.ids("d").is_none());
        assert!(f.text("missing").is_none());
        assert_eq!(f.errors.len(), 5);
    }
}
