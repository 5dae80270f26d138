//! Request bodies as types. Every field of a body is an [`Input`], whose deserialization
//! never fails: one pass over a body keeps each field's value or the reason it is wrong, and
//! the keys no field takes land in the body's `extra` map. A [`Check`] then turns the body
//! into the store's input type, collecting every error, so a 422 names every bad field (in
//! Chinese) and refuses every unknown or system-maintained one, not only the first.
//!
//! The schema each body shows is its real one: fields carry `#[schema(value_type = …)]`
//! (money a decimal string, dates `format: date`) and `extra` is hidden.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::Money;
use domain::fields::Entity;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::error::ApiError;

/// One field of a request body, as sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Input<T> {
    /// Not in the body.
    #[default]
    Absent,
    /// `null`, or a blank text.
    Null,
    Value(T),
    /// Present but not a `T`: why, in Chinese.
    Invalid(String),
}

impl<'de, T: FromJson> Deserialize<'de> for Input<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Null => Input::Null,
            v => match T::from_json(v) {
                Ok(Some(t)) => Input::Value(t),
                Ok(None) => Input::Null,
                Err(why) => Input::Invalid(why),
            },
        })
    }
}

/// A value read from JSON with a Chinese reason when it is not one.
pub trait FromJson: Sized {
    /// What the value is, for "应为…的数组".
    const WHAT: &'static str;
    /// `Ok(None)` for a blank value, read like `null`.
    fn from_json(v: Value) -> Result<Option<Self>, String>;
    /// The texts the value holds, each checked against the field's maximum length.
    fn texts(&self) -> Vec<&str> {
        vec![]
    }
}

/// Text, trimmed; blank is `null`.
impl FromJson for String {
    const WHAT: &'static str = "文本";
    fn from_json(v: Value) -> Result<Option<Self>, String> {
        match v {
            Value::String(s) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
            _ => Err("应为文本".into()),
        }
    }
    fn texts(&self) -> Vec<&str> {
        vec![self]
    }
}

/// Text exactly as sent, spaces and all (a password, a login name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exact(pub String);

impl FromJson for Exact {
    const WHAT: &'static str = "文本";
    fn from_json(v: Value) -> Result<Option<Self>, String> {
        match v {
            Value::String(s) => Ok(Some(Exact(s))),
            _ => Err("应为文本".into()),
        }
    }
    fn texts(&self) -> Vec<&str> {
        vec![&self.0]
    }
}

/// 万元 as a decimal string, or an integer (api.md); never a float.
impl FromJson for Money {
    const WHAT: &'static str = "金额";
    fn from_json(v: Value) -> Result<Option<Self>, String> {
        let parsed = match v {
            Value::String(s) if s.trim().is_empty() => return Ok(None),
            Value::String(s) => Money::parse(&s),
            Value::Number(n) if n.is_i64() || n.is_u64() => Money::parse(&n.to_string()),
            Value::Number(_) => return Err("金额请用字符串表示（如 \"12345.67\"），以免精度丢失".into()),
            _ => return Err("应为金额（万元），如 \"12345.67\"".into()),
        };
        parsed.map(Some).map_err(|e| format!("{e}，应为金额如 \"12345.67\""))
    }
}

impl FromJson for NaiveDate {
    const WHAT: &'static str = "日期";
    fn from_json(v: Value) -> Result<Option<Self>, String> {
        match v {
            Value::String(s) if s.trim().is_empty() => Ok(None),
            Value::String(s) => crate::input::parse_date(&s).map(Some).ok_or_else(|| "日期格式应为 YYYY-MM-DD".into()),
            _ => Err("日期格式应为 YYYY-MM-DD".into()),
        }
    }
}

/// An exact decimal (a score, a share, a count of days) as a string or an integer; never a
/// float, whose value is not exact.
impl FromJson for rust_decimal::Decimal {
    const WHAT: &'static str = "数值";
    fn from_json(v: Value) -> Result<Option<Self>, String> {
        match v {
            Value::String(s) if s.trim().is_empty() => Ok(None),
            Value::String(s) => s.trim().parse().map(Some).map_err(|_| "应为数值，如 \"0.85\"".into()),
            Value::Number(n) if n.is_i64() || n.is_u64() => {
                n.to_string().parse().map(Some).map_err(|_| "应为数值".into())
            }
            Value::Number(_) => Err("小数请用字符串表示（如 \"0.85\"），以免精度丢失".into()),
            _ => Err("应为数值，如 \"0.85\"".into()),
        }
    }
}

/// A whole number, as a JSON number or a numeric string (a form posts strings).
impl FromJson for i64 {
    const WHAT: &'static str = "整数";
    fn from_json(v: Value) -> Result<Option<Self>, String> {
        match v {
            Value::Number(n) if n.is_i64() => Ok(n.as_i64()),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            Value::String(s) => s.trim().parse().map(Some).map_err(|_| "应为整数".into()),
            _ => Err("应为整数".into()),
        }
    }
}

impl FromJson for i32 {
    const WHAT: &'static str = "整数";
    fn from_json(v: Value) -> Result<Option<Self>, String> {
        match i64::from_json(v)? {
            None => Ok(None),
            Some(n) => i32::try_from(n).map(Some).map_err(|_| "超出整数范围".into()),
        }
    }
}

impl FromJson for bool {
    const WHAT: &'static str = "true 或 false";
    fn from_json(v: Value) -> Result<Option<Self>, String> {
        match v {
            Value::Bool(b) => Ok(Some(b)),
            _ => Err("应为 true 或 false".into()),
        }
    }
}

/// The id of a record (a JSON number above zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordId(pub i64);

impl FromJson for RecordId {
    const WHAT: &'static str = "编号（正整数）";
    fn from_json(v: Value) -> Result<Option<Self>, String> {
        v.as_i64().filter(|i| *i > 0).map(|i| Some(RecordId(i))).ok_or_else(|| "应为编号（正整数）".into())
    }
}

/// An array; one bad or blank item refuses the field.
impl<T: FromJson> FromJson for Vec<T> {
    const WHAT: &'static str = "数组";
    fn from_json(v: Value) -> Result<Option<Self>, String> {
        let Value::Array(items) = v else { return Err("应为数组".into()) };
        let bad = || format!("应为{}的数组", T::WHAT);
        items.into_iter().map(|i| T::from_json(i).ok().flatten().ok_or_else(bad)).collect::<Result<_, _>>().map(Some)
    }
    fn texts(&self) -> Vec<&str> {
        self.iter().flat_map(FromJson::texts).collect()
    }
}

/// A JSON object, read entry by entry by the caller.
impl FromJson for Map<String, Value> {
    const WHAT: &'static str = "对象";
    fn from_json(v: Value) -> Result<Option<Self>, String> {
        match v {
            Value::Object(m) => Ok(Some(m)),
            _ => Err("应为对象".into()),
        }
    }
}

/// The keys of a body that no field takes (`#[serde(flatten)]`, hidden from the schema).
pub type Extra = BTreeMap<String, Value>;

/// A request body type: a `#[derive(Deserialize, ToSchema)]` struct whose every field is
/// `#[serde(default)]` (left out, it is [`Input::Absent`]), with a last field `extra`, the
/// [`Extra`] keys no field takes. Write the struct inside `body! { … }` without those.
macro_rules! body {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* $f:ident: $t:ty,)* }) => {
        $(#[$m])*
        #[derive(serde::Deserialize, utoipa::ToSchema)]
        pub struct $name {
            $($(#[$fm])* #[serde(default)] $f: $t,)*
            #[serde(flatten)]
            #[schema(ignore)]
            extra: $crate::api::body::Extra,
        }
    };
}
pub(crate) use body;

/// Turns a body into an input type: each error kept under its field (the first per field),
/// every text checked against the entity's field table.
pub struct Check {
    entity: &'static Entity,
    errors: BTreeMap<String, String>,
}

impl Check {
    pub fn new(entity: &'static Entity) -> Self {
        Check { entity, errors: BTreeMap::new() }
    }

    /// The check of a body: first every key no field took refused
    /// ([`refuse_unknown`](Self::refuse_unknown), `protected` the system-maintained ones).
    pub fn body(entity: &'static Entity, extra: &Extra, protected: &[&str]) -> Self {
        let mut c = Check::new(entity);
        c.refuse_unknown(extra, protected);
        c
    }

    pub fn err(&mut self, field: &str, why: impl Into<String>) {
        self.errors.entry(field.to_string()).or_insert_with(|| why.into());
    }

    /// Refuse every key no field took; the system-maintained ones say so (security.md §7).
    pub fn refuse_unknown(&mut self, extra: &Extra, protected: &[&str]) {
        for k in extra.keys() {
            if protected.contains(&k.as_str()) {
                self.err(k, "该字段由系统维护，不能直接写入");
            } else {
                self.err(k, "未知字段");
            }
        }
    }

    fn value<T: FromJson>(&mut self, field: &str, v: T) -> Option<T> {
        let too_long = v.texts().into_iter().find_map(|t| self.entity.len_error(field, t));
        match too_long {
            Some(why) => {
                self.err(field, why);
                None
            }
            None => Some(v),
        }
    }

    /// A field that must be there: absent, null or blank → 不能为空.
    pub fn required<T: FromJson>(&mut self, field: &str, v: Input<T>) -> Option<T> {
        match v {
            Input::Absent | Input::Null => {
                self.err(field, "不能为空");
                None
            }
            other => self.given(field, other).flatten(),
        }
    }

    /// A field that may be left out: absent or null → `None`.
    /// A code of a vocabulary, read by `parse`; for any other text, `why` of it is the
    /// field's error.
    pub fn code<T>(
        &mut self,
        field: &str,
        v: Option<String>,
        parse: impl FnOnce(&str) -> Option<T>,
        why: impl FnOnce(&str) -> String,
    ) -> Option<T> {
        let v = v?;
        let parsed = parse(&v);
        if parsed.is_none() {
            self.err(field, why(&v));
        }
        parsed
    }

    pub fn optional<T: FromJson>(&mut self, field: &str, v: Input<T>) -> Option<T> {
        self.given(field, v).flatten()
    }

    /// A field of a partial update: absent → `None` (left alone), null → `Some(None)`
    /// (cleared), a value → `Some(Some(v))`.
    pub fn given<T: FromJson>(&mut self, field: &str, v: Input<T>) -> Option<Option<T>> {
        match v {
            Input::Absent => None,
            Input::Null => Some(None),
            Input::Value(t) => self.value(field, t).map(Some),
            Input::Invalid(why) => {
                self.err(field, why);
                None
            }
        }
    }

    /// A field a partial update may leave out but not clear: null → 不能为空.
    pub fn unclearable<T: FromJson>(&mut self, field: &str, v: Input<T>) -> Option<T> {
        match v {
            Input::Absent => None,
            other => self.required(field, other),
        }
    }

    /// [`required`](Self::required) in a whole record, [`unclearable`](Self::unclearable)
    /// in a partial update.
    pub fn needed<T: FromJson>(&mut self, field: &str, v: Input<T>, partial: bool) -> Option<T> {
        if partial { self.unclearable(field, v) } else { self.required(field, v) }
    }

    /// The input, or a 422 naming every bad field.
    pub fn finish<T>(self, input: T) -> Result<T, ApiError> {
        if self.errors.is_empty() { Ok(input) } else { Err(ApiError::Validation(self.errors)) }
    }

    /// [`finish`](Self::finish) over the required values read (`c.required(..)` each), then
    /// the values themselves: with no error each was given (were one missing all the same, a
    /// 400 rather than a panic).
    pub fn finish_required<T: Required>(self, values: T) -> Result<T::Given, ApiError> {
        self.finish(values)?.given().ok_or_else(|| ApiError::BadRequest("请求体无效".into()))
    }
}

/// A tuple of required values as read: every one of them, or `None`.
pub trait Required {
    type Given;
    fn given(self) -> Option<Self::Given>;
}

macro_rules! required_tuple {
    ($($t:ident),+) => {
        impl<$($t),+> Required for ($(Option<$t>,)+) {
            type Given = ($($t,)+);
            #[allow(non_snake_case)]
            fn given(self) -> Option<Self::Given> {
                let ($($t,)+) = self;
                Some(($($t?,)+))
            }
        }
    };
}
required_tuple!(A, B);
required_tuple!(A, B, C);
required_tuple!(A, B, C, D);
required_tuple!(A, B, C, D, E, F);

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Deserialize, Default)]
    #[serde(default)]
    struct Body {
        name: Input<String>,
        notes: Input<String>,
        total_investment: Input<Money>,
        signed_on: Input<NaiveDate>,
        investor_ids: Input<Vec<RecordId>>,
        expected_jobs: Input<i32>,
        #[serde(flatten)]
        extra: Extra,
    }

    fn check(v: Value) -> BTreeMap<String, String> {
        let b: Body = serde_json::from_value(v).unwrap();
        let mut c = Check::body(&domain::fields::PROJECT, &b.extra, &["stage"]);
        let _ = (c.required("name", b.name), c.optional("notes", b.notes));
        let _ = (c.required("total_investment", b.total_investment), c.given("signed_on", b.signed_on));
        let _ = (c.given("investor_ids", b.investor_ids), c.given("expected_jobs", b.expected_jobs));
        match c.finish(()) {
            Err(ApiError::Validation(f)) => f,
            _ => BTreeMap::new(),
        }
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let e = check(json!({
            "name": "  ", "notes": "注".repeat(2001), "total_investment": 1.5, "signed_on": "2025-13-01",
            "investor_ids": [1, "x"], "expected_jobs": 1e20, "stage": "started", "colour": "red"
        }));
        let keys: Vec<&str> = e.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["colour", "expected_jobs", "investor_ids", "name", "notes", "signed_on", "stage", "total_investment"]
        );
        assert_eq!(e["name"], "不能为空");
        assert_eq!(e["notes"], "备注不能超过2000个字符");
        assert_eq!(e["stage"], "该字段由系统维护，不能直接写入");
        assert_eq!(e["colour"], "未知字段");
        assert_eq!(e["investor_ids"], "应为编号（正整数）的数组");
        assert!(e["total_investment"].contains("字符串"), "{e:?}");
    }

    #[test]
    fn good_values_pass_and_forms_send_strings() {
        let e = check(json!({"name": "项目", "total_investment": 100, "expected_jobs": "12", "signed_on": null}));
        assert!(e.is_empty(), "{e:?}");
        let b: Body =
            serde_json::from_value(json!({"expected_jobs": "12", "signed_on": "", "notes": " 备注 "})).unwrap();
        assert_eq!((b.expected_jobs, b.signed_on), (Input::Value(12), Input::Null));
        assert_eq!((b.notes, b.name), (Input::Value("备注".to_string()), Input::Absent));
    }

    #[test]
    fn a_partial_update_tells_absent_from_cleared() {
        let mut c = Check::new(&domain::fields::PROJECT);
        assert_eq!(c.given::<String>("notes", Input::Absent), None);
        assert_eq!(c.given::<String>("notes", Input::Null), Some(None));
        assert_eq!(c.unclearable::<String>("name", Input::Absent), None);
        assert_eq!(c.unclearable::<String>("name", Input::Null), None);
        assert!(c.finish(()).is_err(), "a null name is refused");
    }
}
