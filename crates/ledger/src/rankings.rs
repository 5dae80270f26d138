//! A published ranking list (世界500强, 中国500强, 中国民营企业500强) as a sheet: the header row
//! found among the first 20 by its labels (排名 / 公司名称 / 国家/地区 / 营业收入, or rank / name
//! / country / revenue, in any order, with spaces, a BOM, full-width brackets or a unit in
//! brackets), then one [`RankingRow`] per data row, or a [`RowError`] per bad cell. The file
//! itself is opened by [`crate::read`] (size, magic bytes, zip declarations).

use domain::fields::COMPANY;
use domain::ledger::{MAX_ERRORS, RowError, quote};
pub use domain::ranking::RankingRow;
use domain::ranking::{parse_rank, parse_revenue};

use crate::header::{HEADER_SEARCH_ROWS, normalize_label};
use crate::read::{Cell, Limits, Sheet};
use crate::value::{cell_text, clean_text, is_placeholder};

/// The limits of a list upload: a list has 500 rows; 5 MiB and 10,000 rows are generous.
pub fn limits() -> Limits {
    Limits { max_file_bytes: 5 * 1024 * 1024, max_rows: 10_000, ..Limits::default() }
}

/// The columns a list has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankingColumn {
    Rank,
    Name,
    Country,
    Revenue,
}

impl RankingColumn {
    const ALL: [RankingColumn; 4] =
        [RankingColumn::Rank, RankingColumn::Name, RankingColumn::Country, RankingColumn::Revenue];

    /// The field's code in the ranking field table (`domain::fields::RANKING`).
    pub fn code(self) -> &'static str {
        match self {
            RankingColumn::Rank => "rank",
            RankingColumn::Name => "name",
            RankingColumn::Country => "country",
            RankingColumn::Revenue => "revenue",
        }
    }

    /// The label an error names when the file lacks the column.
    pub fn label(self) -> &'static str {
        match self {
            RankingColumn::Rank => "排名",
            RankingColumn::Name => "公司名称",
            RankingColumn::Country => "国家/地区",
            RankingColumn::Revenue => "营业收入",
        }
    }

    /// The column a header label names: compared without spaces, `*` marks, a unit or note
    /// in brackets (`营业收入（百万美元）`), ASCII case, `_` and `-`.
    pub fn from_label(text: &str) -> Option<RankingColumn> {
        let n = normalize_label(text).to_lowercase();
        let n = match n.find('(') {
            Some(i) if i > 0 => &n[..i],
            _ => n.as_str(),
        };
        let n: String = n.chars().filter(|c| !matches!(c, '_' | '-' | '.')).collect();
        Some(match n.as_str() {
            "排名" | "名次" | "排位" | "位次" | "本年排名" | "今年排名" | "rank" | "ranking" => {
                RankingColumn::Rank
            }
            "公司名称" | "企业名称" | "公司名" | "企业名" | "名称" | "公司" | "企业" | "name" | "company"
            | "companyname" => RankingColumn::Name,
            "国家/地区" | "国家或地区" | "国家地区" | "国家" | "地区" | "国别" | "country" | "country/region"
            | "countryorregion" | "countryregion" => RankingColumn::Country,
            "营业收入" | "营收" | "收入" | "营业总收入" | "营业收入总额" | "revenue" | "revenues" => {
                RankingColumn::Revenue
            }
            _ => return None,
        })
    }
}

/// A bad cell: its column, and the error as the ledger reports one (row, label, value, why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    pub column: RankingColumn,
    pub error: RowError,
}

/// A list as read: its rows, or the first errors of its bad cells (any error: nothing is
/// written).
#[derive(Debug, Clone, Default)]
pub struct RankingSheet {
    pub header_row: u32,
    pub rows: Vec<RankingRow>,
    /// The first [`MAX_ERRORS`] errors, by row.
    pub errors: Vec<CellError>,
    pub error_count: usize,
    /// Header labels that name no column (`上年排名`, `利润`), as written.
    pub unknown_columns: Vec<String>,
}

/// Rows that are notes under a list (`注：…`, `数据来源：…`): one text cell, skipped.
fn is_note(cells: &[Cell]) -> bool {
    let mut texts = cells.iter().filter(|c| !c.is_blank());
    match (texts.next(), texts.next()) {
        (Some(Cell::Text(t)), None) => {
            let t = t.trim();
            ["注", "说明", "备注", "数据来源", "来源", "资料来源", "note", "source"]
                .iter()
                .any(|p| t.to_lowercase().starts_with(p))
        }
        _ => false,
    }
}

/// Where the header is: its index in the sheet's rows, each column's position (by
/// [`RankingColumn`]), and the labels that name none.
type HeaderAt = (usize, [Option<usize>; 4], Vec<String>);

/// The header among the first 20 rows: the one naming most columns, with 排名 and 公司名称.
fn header(sheet: &Sheet) -> Result<HeaderAt, String> {
    let mut best: Option<(usize, usize)> = None;
    for (i, (number, cells)) in sheet.rows.iter().enumerate() {
        if *number > HEADER_SEARCH_ROWS {
            break;
        }
        let mut seen = [false; 4];
        for c in cells {
            if let Some(col) = RankingColumn::from_label(&cell_text(c)) {
                seen[col as usize] = true;
            }
        }
        let n = seen.iter().filter(|s| **s).count();
        if seen[RankingColumn::Rank as usize] && seen[RankingColumn::Name as usize] && best.is_none_or(|(_, m)| n > m) {
            best = Some((i, n));
        }
    }
    let Some((at, _)) = best else {
        return Err(
            "在前20行中找不到表头：表头行应包含“排名”和“公司名称”两列（或 rank、name），可另有“国家/地区”“营业收入”"
                .into(),
        );
    };
    let mut slots = [None; 4];
    let mut unknown = vec![];
    for (i, c) in sheet.rows[at].1.iter().enumerate() {
        let label = clean_text(&cell_text(c));
        if label.is_empty() {
            continue;
        }
        match RankingColumn::from_label(&label) {
            // a second column of the same meaning (公司名称(英文) after 公司名称(中文)) is not read
            Some(col) if slots[col as usize].is_none() => slots[col as usize] = Some(i),
            _ => unknown.push(label),
        }
    }
    Ok((at, slots, unknown))
}

/// Read a list's rows. `Err` when the sheet has no header; row errors are in the result.
pub fn parse_rankings(sheet: &Sheet) -> Result<RankingSheet, String> {
    let (at, slots, unknown) = header(sheet)?;
    let header_cells = &sheet.rows[at].1;
    let label = |col: RankingColumn| {
        slots[col as usize]
            .and_then(|i| header_cells.get(i))
            .map(|c| clean_text(&cell_text(c)))
            .unwrap_or_else(|| col.label().to_string())
    };
    let labels: Vec<String> = RankingColumn::ALL.iter().map(|c| label(*c)).collect();
    let mut out = RankingSheet { header_row: sheet.rows[at].0, unknown_columns: unknown, ..Default::default() };
    // the first row of each company in the file, by its name key
    let mut first: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let empty = Cell::Empty;
    for (number, cells) in &sheet.rows[at + 1..] {
        if cells.iter().all(Cell::is_blank) || is_note(cells) {
            continue;
        }
        let cell = |col: RankingColumn| slots[col as usize].and_then(|i| cells.get(i)).unwrap_or(&empty);
        let mut errors: Vec<CellError> = vec![];
        let mut err = |col: RankingColumn, value: &str, reason: String| {
            errors.push(CellError {
                column: col,
                error: RowError { row: *number, column: labels[col as usize].clone(), value: quote(value), reason },
            })
        };
        let rank_text = cell_text(cell(RankingColumn::Rank));
        let rank = match parse_rank(&rank_text) {
            Ok(r) => Some(r),
            Err(e) => {
                err(
                    RankingColumn::Rank,
                    &rank_text,
                    if rank_text.trim().is_empty() { "排名不能为空".into() } else { e },
                );
                None
            }
        };
        let name = clean_text(&cell_text(cell(RankingColumn::Name)));
        if name.is_empty() {
            err(RankingColumn::Name, "", "公司名称不能为空".into());
        } else if let Some(m) = COMPANY.len_error("name", &name) {
            err(RankingColumn::Name, &name, m);
        } else if domain::company::name_key(&name).is_empty() {
            err(RankingColumn::Name, &name, "公司名称只有“有限公司”“集团”等字样，不是企业名称".into());
        } else if let Some(row) = first.get(&domain::company::name_key(&name)) {
            err(RankingColumn::Name, &name, format!("与第{row}行为同一企业，榜单中每家企业只能出现一次"));
        }
        let country_text = clean_text(&cell_text(cell(RankingColumn::Country)));
        let country = Some(country_text.clone()).filter(|c| !c.is_empty() && !is_placeholder(c));
        if let Some(c) = &country
            && let Some(m) = COMPANY.len_error("country", c)
        {
            err(RankingColumn::Country, c, m.replace("国家或地区", "国家/地区"));
        }
        let revenue_text = cell_text(cell(RankingColumn::Revenue));
        let revenue = parse_revenue(&revenue_text).unwrap_or_else(|e| {
            err(RankingColumn::Revenue, &revenue_text, e);
            None
        });
        if errors.is_empty() {
            first.insert(domain::company::name_key(&name), *number);
            if let Some(rank) = rank {
                out.rows.push(RankingRow { row: *number, rank, name, country, revenue });
            }
        } else {
            out.error_count += errors.len();
            let room = MAX_ERRORS.saturating_sub(out.errors.len());
            out.errors.extend(errors.into_iter().take(room));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet::of_texts(rows)
    }

    #[test]
    fn messy_headers_are_found_below_a_title() {
        let s = sheet(&[
            &["2024年《财富》世界500强排行榜"],
            &[],
            &["\u{FEFF}排 名", "上年排名", "公司名称（中文）", "营业收入（百万美元）", "利润（百万美元）", "国家/地区"],
            &["1", "1", "沃尔玛", "648,125", "15,511", "美国"],
            &["注：营业收入为上一财年数据"],
        ]);
        let r = parse_rankings(&s).unwrap();
        assert_eq!(r.header_row, 3);
        assert_eq!(r.error_count, 0, "{:?}", r.errors);
        assert_eq!(
            r.rows,
            vec![RankingRow {
                row: 4,
                rank: 1,
                name: "沃尔玛".into(),
                country: Some("美国".into()),
                revenue: Some("648125".into())
            }]
        );
        assert_eq!(r.unknown_columns, vec!["上年排名".to_string(), "利润（百万美元）".to_string()]);
    }

    #[test]
    fn english_labels_and_number_cells() {
        let s = Sheet {
            name: String::new(),
            rows: vec![
                (1, ["Rank", "Company_Name", "Country", "Revenue"].iter().map(|t| Cell::Text(t.to_string())).collect()),
                (2, vec![Cell::Number(12.0), Cell::Text("Siemens AG".into()), Cell::Empty, Cell::Number(84481.5)]),
            ],
        };
        let r = parse_rankings(&s).unwrap();
        assert_eq!(r.rows[0].rank, 12);
        assert_eq!(r.rows[0].country, None);
        assert_eq!(r.rows[0].revenue.as_deref(), Some("84481.5"));
    }

    #[test]
    fn each_bad_cell_names_its_row_and_column() {
        let s = sheet(&[
            &["排名", "公司名称", "国家或地区", "营业收入"],
            &["一", "甲公司", "中国", "100"],
            &["2", "", "中国", "100"],
            &["3", "乙公司", "中国", "很多"],
            &["4", "甲公司有限公司", "中国", "1"],
        ]);
        let r = parse_rankings(&s).unwrap();
        let got: Vec<(u32, &str, RankingColumn)> =
            r.errors.iter().map(|e| (e.error.row, e.error.column.as_str(), e.column)).collect();
        assert_eq!(
            got,
            vec![
                (2, "排名", RankingColumn::Rank),
                (3, "公司名称", RankingColumn::Name),
                (4, "营业收入", RankingColumn::Revenue)
            ]
        );
        assert!(r.rows.iter().all(|row| row.row == 5), "only the good row is read");
        // the first row's error kept its name out of the duplicates check; a repeat after a good row is refused
        let s = sheet(&[&["排名", "公司名称"], &["1", "甲公司"], &["2", "甲 公司"]]);
        let r = parse_rankings(&s).unwrap();
        assert_eq!(r.error_count, 1);
        assert!(r.errors[0].error.reason.contains("与第2行为同一企业"), "{:?}", r.errors);
    }

    #[test]
    fn a_sheet_without_rank_and_name_has_no_header() {
        assert!(parse_rankings(&sheet(&[&["公司名称", "营业收入"], &["甲", "1"]])).is_err());
        assert!(parse_rankings(&sheet(&[])).is_err());
    }
}
