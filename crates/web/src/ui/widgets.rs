//! The shapes the shared template macros (`templates/macros.html`) draw: a data table and
//! a form field. Pages build these; the macros render them the same way everywhere.

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
