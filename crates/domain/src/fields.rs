//! One field table per entity: each input field's code, Chinese label, kind and maximum
//! length. API errors, form labels, Excel headers and length checks all read these tables,
//! so a company error names the company's field (企业名称), not the project's (项目名称).
//!
//! Lengths are counted in characters (`chars()`), after trimming. Every text field has one:
//! a field without a maximum cannot be declared (`max` is not optional for text kinds).
//!
//! The tables themselves are data (`data/fields.csv`), compiled into the statics below.

use crate::FieldError;

/// What a field holds; decides how forms, the API and Excel read and write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line of text.
    Text,
    /// Several lines of text (a textarea).
    LongText,
    /// A code from a vocabulary or reference table (stage, unit, industry …).
    Code,
    /// 万元 (or the unit the label names), exact decimal.
    Money,
    /// A calendar date, YYYY-MM-DD.
    Date,
    /// A whole number.
    Int,
    Bool,
    /// A list of codes or names.
    List,
    /// A list of record ids.
    Ids,
    /// A list of child records, each read with its own field table (an agreement's clauses).
    Records,
}

impl Kind {
    pub fn is_text(self) -> bool {
        matches!(self, Kind::Text | Kind::LongText | Kind::Code | Kind::List)
    }
}

/// One field of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub code: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    /// Maximum characters of a text value (of each item, for a list); 0 for non-text kinds.
    pub max: usize,
    pub required: bool,
}

/// An entity's field table.
#[derive(Debug, PartialEq, Eq)]
pub struct Entity {
    pub code: &'static str,
    pub label: &'static str,
    pub fields: &'static [Field],
}

impl Entity {
    pub fn field(&self, code: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.code == code)
    }

    /// The Chinese label of a field; the code itself for a key not in the table (an unknown
    /// field a client sent is named as it was sent).
    pub fn label<'a>(&self, code: &'a str) -> &'a str {
        self.field(code).map(|f| f.label).unwrap_or(code)
    }

    /// The maximum length of a text field (0 when the field is not text or not in the table).
    pub fn max(&self, code: &str) -> usize {
        self.field(code).map(|f| f.max).unwrap_or(0)
    }

    /// Refuse a text value over the field's maximum: `备注不能超过2000个字符`.
    pub fn check_len(&self, code: &str, value: &str, errors: &mut Vec<FieldError>) {
        if let Some(msg) = self.len_error(code, value) {
            errors.push(FieldError::new(code, msg));
        }
    }

    /// The message for a value over the field's maximum, if it is.
    pub fn len_error(&self, code: &str, value: &str) -> Option<String> {
        let field = self.field(code)?;
        (field.kind.is_text() && value.trim().chars().count() > field.max)
            .then(|| format!("{}不能超过{}个字符", field.label, field.max))
    }

    /// A required text: blank → `项目名称不能为空`; too long → the length message.
    pub fn check_required(&self, code: &str, value: &str, errors: &mut Vec<FieldError>) {
        if value.trim().is_empty() {
            errors.push(FieldError::new(code, format!("{}不能为空", self.label(code))));
        } else {
            self.check_len(code, value, errors);
        }
    }

    /// Check an optional text (None passes).
    pub fn check_opt(&self, code: &str, value: Option<&str>, errors: &mut Vec<FieldError>) {
        if let Some(v) = value {
            self.check_len(code, v, errors);
        }
    }
}

// PROJECT, COMPANY, TRANSITION, FUNDS, PROGRESS, USER and ALL: the tables are data, in
// data/entities.csv and data/fields.csv (one row per field: entity, code, label, kind, max,
// required), turned into these statics by build.rs.
include!(concat!(env!("OUT_DIR"), "/fields.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_field_has_a_maximum_and_codes_are_unique() {
        for e in ALL {
            let mut codes: Vec<&str> = e.fields.iter().map(|f| f.code).collect();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), e.fields.len(), "{}: duplicate field code", e.code);
            for f in e.fields {
                assert!(!f.label.is_empty(), "{}.{}", e.code, f.code);
                if f.kind.is_text() {
                    assert!(f.max > 0, "{}.{} is text without a maximum", e.code, f.code);
                } else {
                    assert_eq!(f.max, 0, "{}.{}: only text has a length", e.code, f.code);
                }
            }
        }
    }

    #[test]
    fn every_row_of_the_data_file_is_in_a_table() {
        let rows = include_str!("../data/fields.csv").lines().skip(1).filter(|l| !l.trim().is_empty()).count();
        assert_eq!(ALL.iter().map(|e| e.fields.len()).sum::<usize>(), rows);
        assert_eq!(PROJECT.field("notes").map(|f| (f.label, f.kind, f.max)), Some(("备注", Kind::LongText, 2000)));
        assert_eq!(USER.field("username").map(|f| f.required), Some(true));
    }

    #[test]
    fn a_company_error_names_the_company_field() {
        assert_eq!(COMPANY.label("name"), "企业名称");
        assert_eq!(PROJECT.label("name"), "项目名称");
        assert_eq!(PROJECT.label("no_such_field"), "no_such_field");
    }

    #[test]
    fn length_is_counted_in_characters_after_trimming() {
        let mut errors = vec![];
        PROJECT.check_len("notes", &"字".repeat(2000), &mut errors);
        PROJECT.check_len("notes", &format!("  {}  ", "字".repeat(2000)), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        PROJECT.check_len("notes", &"字".repeat(2001), &mut errors);
        assert_eq!(errors, vec![FieldError::new("notes", "备注不能超过2000个字符")]);
    }

    #[test]
    fn required_text_is_refused_blank_or_too_long() {
        let mut errors = vec![];
        COMPANY.check_required("name", "  ", &mut errors);
        COMPANY.check_required("name", &"a".repeat(201), &mut errors);
        COMPANY.check_required("name", "中原科技有限公司", &mut errors);
        let msgs: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(msgs, ["企业名称不能为空", "企业名称不能超过200个字符"]);
    }

    #[test]
    fn numbers_have_no_length() {
        assert_eq!(PROJECT.len_error("total_investment", &"9".repeat(5000)), None);
    }
}
