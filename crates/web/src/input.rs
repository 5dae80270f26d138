//! Request extractors (a JSON object body, a path id, a query map) and query-string
//! parsing that names every bad field (422) in Chinese; the bodies' own types are in
//! `api::body`.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ApiError;

/// A JSON object body: not JSON, or not an object → 400; too large → 413. The API's body
/// types read every field leniently (`api::body`), so a well-formed object always reaches
/// their checks, which name each bad field (422).
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
        if !value.is_object() {
            return Err(ApiError::BadRequest("请求体应为JSON对象".into()));
        }
        serde_json::from_value(value)
            .map(JsonBody)
            .map_err(|e| ApiError::BadRequest(format!("请求体格式不正确（{e}）")))
    }
}

/// A record's id as typed (a path segment, a query parameter): a positive integer.
pub fn record_id(s: &str) -> Option<i64> {
    s.parse::<i64>().ok().filter(|i| *i > 0)
}

/// A numeric id in the path; anything else is simply not found.
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state).await.map_err(|_| ApiError::NotFound)?;
        record_id(&raw).map(Id).ok_or(ApiError::NotFound)
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

/// The longest value taken of a text field of a multipart form (longer is cut, then refused
/// by the field's own check).
const MULTIPART_TEXT_MAX: usize = 256;

/// A text field of a multipart form (an upload's other fields), read up to one character
/// past [`MULTIPART_TEXT_MAX`] however much is sent; bytes that are not UTF-8 become U+FFFD.
pub async fn multipart_text(mut field: axum::extract::multipart::Field<'_>) -> Result<String, ApiError> {
    let mut out = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| ApiError::TooLarge)? {
        let room = (MULTIPART_TEXT_MAX + 1).saturating_sub(out.len());
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
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

/// Page `page` (1-based) of `per_page` rows of a whole list held in memory; past its end, none.
pub fn page_of<T>(rows: impl IntoIterator<Item = T>, page: u64, per_page: u64) -> impl Iterator<Item = T> {
    let skip = usize::try_from(page.saturating_sub(1).saturating_mul(per_page)).unwrap_or(usize::MAX);
    rows.into_iter().skip(skip).take(usize::try_from(per_page).unwrap_or(usize::MAX))
}

/// Reads a query's parameters into a filter, keeping each bad one's reason (in Chinese)
/// under its name, so that one 422 names them all. The API lists and the pages share it.
pub struct QueryCheck<'a> {
    q: &'a BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
}

impl<'a> QueryCheck<'a> {
    pub fn new(q: &'a BTreeMap<String, String>) -> Self {
        QueryCheck { q, errors: BTreeMap::new() }
    }

    /// The parameter, trimmed; `None` when it is absent or blank.
    pub fn text(&self, k: &str) -> Option<String> {
        self.q.get(k).map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
    }

    /// The parameter read by `parse`; when that fails, `why` of the text is its error.
    pub fn parsed<T>(
        &mut self,
        k: &str,
        parse: impl FnOnce(&str) -> Option<T>,
        why: impl FnOnce(&str) -> String,
    ) -> Option<T> {
        let s = self.text(k)?;
        let v = parse(&s);
        if v.is_none() {
            self.err(k, why(&s));
        }
        v
    }

    /// A `true`/`false` (or `1`/`0`) parameter.
    pub fn flag(&mut self, k: &str) -> Option<bool> {
        let parse = |s: &str| match s {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        };
        self.parsed(k, parse, |_| "应为 true 或 false".to_string())
    }

    pub fn err(&mut self, k: &str, why: impl Into<String>) {
        self.errors.insert(k.to_string(), why.into());
    }

    /// `v`, or the 422 naming every bad parameter.
    pub fn finish<T>(self, v: T) -> Result<T, ApiError> {
        if self.errors.is_empty() { Ok(v) } else { Err(ApiError::Validation(self.errors)) }
    }
}

/// This year's first and last day (Asia/Shanghai): the period a count covers by default.
pub fn this_year() -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let year = domain::today_shanghai().year();
    let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    (jan1, NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX))
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
    fn a_query_check_names_every_bad_parameter() {
        let q: BTreeMap<String, String> =
            [("stage", " started "), ("kind", "x"), ("open", "yes"), ("deleted", "1"), ("unit", "  ")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let mut c = QueryCheck::new(&q);
        assert_eq!(c.text("stage").as_deref(), Some("started"));
        assert_eq!(c.text("unit"), None, "blank is absent");
        assert_eq!(c.parsed("kind", |s| s.parse::<u8>().ok(), |s| format!("「{s}」无效")), None);
        assert_eq!((c.flag("open"), c.flag("deleted"), c.flag("missing")), (None, Some(true), None));
        let Err(ApiError::Validation(e)) = c.finish(()) else { panic!("bad parameters pass") };
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!((e["kind"].as_str(), e["open"].as_str()), ("「x」无效", "应为 true 或 false"));
    }
}
