//! The shapes the shared template macros (`templates/macros.html`) draw: a data table and
//! a form field, a pager. Pages build these; the macros render them the same way everywhere.

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
