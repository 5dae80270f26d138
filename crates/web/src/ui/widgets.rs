//! The shapes the shared template macros (`templates/macros.html`) draw: a data table and
//! a form field, a pager. Pages build these; the macros render them the same way everywhere.
//! A form field is a row of its entity's field table (`domain::fields`): its label, its
//! required mark and its `maxlength` come from there.

use domain::fields::{Entity, Field, Kind};

/// Stands in for a code missing from a table (debug builds panic: a template names a field
/// its entity lacks).
static MISSING: Field = Field { code: "", label: "", kind: Kind::Text, max: 1, required: false };

/// A field of an entity's table, for a template (`{% call m::input(self.f("name"), …) %}`).
pub fn field(entity: &'static Entity, code: &str) -> &'static Field {
    debug_assert!(entity.field(code).is_some(), "{}.{code} is not in the field table", entity.code);
    entity.field(code).unwrap_or(&MISSING)
}

/// The value typed under `k` in a form's values ("" when none).
pub fn value<'a>(values: &'a std::collections::BTreeMap<String, String>, k: &str) -> &'a str {
    values.get(k).map_or("", String::as_str)
}

/// The helpers a form's template calls, written once: `f: ENTITY` gives `f(code)`, a field of
/// that entity's table ([`field`]: its label, required mark and limits); `name: self.map`
/// gives `name(k)`, the value typed under `k` in that map ([`value`]).
/// `form_helpers!(ListPage { f: INQUIRY, fv: self.form });`
macro_rules! form_helpers {
    ($page:ty { $($item:tt)* }) => {
        impl $page {
            $crate::ui::widgets::form_helpers!(@items $($item)*);
        }
    };
    (@items) => {};
    (@items f: $entity:path $(, $($rest:tt)*)?) => {
        pub fn f(&self, code: &str) -> &'static domain::fields::Field {
            $crate::ui::widgets::field(&$entity, code)
        }
        $crate::ui::widgets::form_helpers!(@items $($($rest)*)?);
    };
    (@items $name:ident: self.$map:ident $(, $($rest:tt)*)?) => {
        pub fn $name(&self, k: &str) -> &str {
            $crate::ui::widgets::value(&self.$map, k)
        }
        $crate::ui::widgets::form_helpers!(@items $($($rest)*)?);
    };
}
pub(crate) use form_helpers;

/// The query of a list without its page: the filters in `keep` that are given, for the pager
/// and the links that keep them.
pub fn query_of(q: &std::collections::BTreeMap<String, String>, keep: &[&str]) -> String {
    keep.iter()
        .filter_map(|k| {
            q.get(*k).filter(|v| !v.trim().is_empty()).map(|v| format!("{k}={}", crate::input::encode(v.trim())))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// `from` and `to` of a page's query: each, absent or unreadable, this year's first or last day.
pub fn period_of(q: &std::collections::BTreeMap<String, String>) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let (jan1, dec31) = crate::input::this_year();
    let day = |k: &str| q.get(k).and_then(|v| crate::input::parse_date(v));
    (day("from").unwrap_or(jan1), day("to").unwrap_or(dec31))
}

/// A field's label without its bracketed unit, as an error beside it names it
/// (`总投资(万元)` → `总投资`).
pub fn short(f: &Field) -> &'static str {
    f.label.split_once('(').map_or(f.label, |(s, _)| s)
}

/// The attributes of a field's `<input>` (or `<textarea>`) by its kind: a date picker, a
/// number pad for amounts and counts, the table's maximum length, `required`.
pub fn control_attrs(f: &Field) -> String {
    let mut a = match f.kind {
        Kind::Date => " type=\"date\"".to_string(),
        Kind::Money => " inputmode=\"decimal\"".to_string(),
        Kind::Int => " inputmode=\"numeric\"".to_string(),
        _ => String::new(),
    };
    if f.max > 0 {
        a += &format!(" maxlength=\"{}\"", f.max);
    }
    if f.required {
        a += " required";
    }
    a
}

/// A form that shows no error beside its fields (the login form says why at the top).
pub static NO_ERRORS: &std::collections::BTreeMap<String, String> = &std::collections::BTreeMap::new();

/// The error a form shows beside a field.
pub fn error_of<'a>(errors: &'a std::collections::BTreeMap<String, String>, f: &Field) -> Option<&'a str> {
    errors.get(f.code).map(String::as_str)
}

/// An error as shown beside its field: `总投资：不能为空`; a message that names the field
/// already (`项目名称不能超过100个字符`) as it is.
pub fn error_text(f: &Field, message: &str) -> String {
    if message.starts_with(short(f)) { message.to_string() } else { format!("{}：{message}", short(f)) }
}

/// Whether a field is written in a `<textarea>`.
pub fn is_long(f: &Field) -> bool {
    f.kind == Kind::LongText
}

/// A column heading; `num` right-aligns the column (figures).
#[derive(Debug, Clone)]
pub struct Head {
    pub label: String,
    pub num: bool,
}

/// One row: its cells as shown, the first linked to `href` (when not empty).
#[derive(Debug, Clone)]
pub struct TableRow {
    pub href: String,
    pub cells: Vec<String>,
}

/// A table with its own headings (`macros.html`'s `data_table`).
#[derive(Debug, Clone, Default)]
pub struct DataTable {
    pub caption: String,
    pub head: Vec<Head>,
    pub rows: Vec<TableRow>,
    /// What an empty table says.
    pub empty: String,
}

impl DataTable {
    /// Headings as (label, is a figure); an empty table says `empty`.
    pub fn new(head: &[(&str, bool)], empty: &str) -> DataTable {
        DataTable {
            caption: String::new(),
            head: head.iter().map(|(l, n)| Head { label: (*l).to_string(), num: *n }).collect(),
            rows: vec![],
            empty: empty.to_string(),
        }
    }

    pub fn row(&mut self, href: impl Into<String>, cells: Vec<String>) {
        self.rows.push(TableRow { href: href.into(), cells });
    }

    /// Whether column `i` holds figures.
    pub fn num(&self, i: &usize) -> bool {
        self.head.get(*i).is_some_and(|h| h.num)
    }
}

/// A choice in a `<select>`.
#[derive(Debug, Clone)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A page link of a pager.
#[derive(Debug, Clone)]
pub struct PageLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// The page links of a list, and which rows it shows.
#[derive(Debug, Clone)]
pub struct Pager {
    pub pages: Vec<PageLink>,
    pub page: u64,
    pub last_page: u64,
    /// 1-based positions of the first and last row shown (0 when none).
    pub first: u64,
    pub last: u64,
    pub total: String,
}

/// Links to the pages around `page` (and to the first and the last), keeping `query`.
pub fn pager(path: &str, query: &str, page: u64, per_page: u64, total: u64, shown: usize) -> Pager {
    let last_page = total.div_ceil(per_page.max(1)).max(1);
    let href = |n: u64| {
        if query.is_empty() { format!("{path}?page={n}") } else { format!("{path}?{query}&page={n}") }
    };
    let lo = page.saturating_sub(3).max(1);
    let hi = (page + 3).min(last_page);
    let mut pages = vec![];
    if lo > 1 {
        pages.push(PageLink { label: "首页".into(), href: href(1), current: false });
    }
    for n in lo..=hi {
        pages.push(PageLink { label: n.to_string(), href: href(n), current: n == page });
    }
    if hi < last_page {
        pages.push(PageLink { label: "末页".into(), href: href(last_page), current: false });
    }
    let first = if shown == 0 { 0 } else { (page - 1) * per_page + 1 };
    Pager {
        pages,
        page,
        last_page,
        first,
        last: (first + shown as u64).saturating_sub(1),
        total: crate::ui::fmt::count(total),
    }
}

/// `page=` of a query: a positive number, else the first page.
pub fn page_number(q: &crate::ui::FormData) -> u64 {
    q.get("page").trim().parse::<u64>().ok().filter(|p| (1..=1_000_000).contains(p)).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use domain::fields::{PROJECT, USER};

    use super::*;

    #[test]
    fn controls_follow_the_table() {
        assert_eq!(control_attrs(field(&PROJECT, "name")), " maxlength=\"100\" required");
        assert_eq!(control_attrs(field(&PROJECT, "total_investment")), " inputmode=\"decimal\" required");
        assert_eq!(control_attrs(field(&PROJECT, "signed_on")), " type=\"date\"");
        assert_eq!(control_attrs(field(&USER, "password")), " maxlength=\"128\" required");
        assert!(is_long(field(&PROJECT, "notes")) && !is_long(field(&PROJECT, "name")));
        assert_eq!(short(field(&PROJECT, "total_investment")), "总投资");
        assert_eq!(short(field(&PROJECT, "name")), "项目名称");
        let name = field(&PROJECT, "name");
        assert_eq!(error_text(name, "不能为空"), "项目名称：不能为空");
        assert_eq!(error_text(name, "项目名称不能超过100个字符"), "项目名称不能超过100个字符");
    }
}
