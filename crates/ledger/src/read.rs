//! Opening an uploaded ledger safely: the size limit, then what the bytes are (zip, OLE,
//! text), then the zip's own declarations (entry count, inflated size) — all before
//! anything is inflated — and only then calamine or the CSV reader.

use std::io::Cursor;

use calamine::Reader;

/// Limits on what an upload may be (ledger.md: 20 MiB by default).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file_bytes: usize,
    /// Sum of the uncompressed sizes the zip declares.
    pub max_inflated_bytes: u64,
    pub max_zip_entries: usize,
    /// Rows read from the sheet (a ledger has thousands, not millions).
    pub max_rows: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 20 * 1024 * 1024,
            max_inflated_bytes: 400 * 1024 * 1024,
            max_zip_entries: 2_000,
            max_rows: 200_000,
        }
    }
}

/// One cell as read, before any interpretation.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// An Excel date cell: days since 1899-12-30 (the 1900 date system).
    Date(f64),
    Bool(bool),
}

impl Cell {
    /// The cell as the spreadsheet would show it (for error messages and text fields).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) | Cell::Date(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    format!("{}", *n as i64)
                } else {
                    format!("{n}")
                }
            }
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        }
    }

    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.chars().all(|c| c.is_whitespace()),
            _ => false,
        }
    }
}

/// The first sheet: its rows, each with the row number the spreadsheet shows (1-based).
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<(u32, Vec<Cell>)>,
}

#[cfg(test)]
impl Sheet {
    /// A sheet of text cells (`""` an empty cell), numbered from row 1: the unit tests' input.
    pub(crate) fn of_texts(rows: &[&[&str]]) -> Sheet {
        let cell = |t: &&str| if t.is_empty() { Cell::Empty } else { Cell::Text(t.to_string()) };
        let rows = rows.iter().enumerate().map(|(i, r)| (i as u32 + 1, r.iter().map(cell).collect())).collect();
        Sheet { name: String::new(), rows }
    }
}

/// Why a file is refused as a whole (each message in Chinese, naming what to do).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("文件过大（{size} 字节），上限为 {limit} 字节，请拆分后再导入")]
    TooLarge { size: usize, limit: usize },
    #[error("文件为空")]
    Empty,
    #[error("该文件不是电子表格（支持 .xlsx、.csv），请用 Excel 或 WPS 另存为 .xlsx 后再导入")]
    NotSpreadsheet,
    #[error("该文件已加密（设置了打开密码），请在 Excel 或 WPS 中取消密码后再导入")]
    Encrypted,
    #[error("不支持旧版 Excel 97-2003 格式（.xls），请在 Excel 或 WPS 中另存为 .xlsx 后再导入")]
    LegacyXls,
    #[error("文件解压后过大或条目过多，疑似压缩炸弹，已拒绝：{0}")]
    ZipBomb(String),
    #[error("无法读取表格内容：{0}")]
    Corrupt(String),
    #[error("表格超过 {0} 行，请拆分后再导入")]
    TooManyRows(usize),
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Read the first sheet of an upload. `file_name` only decides between CSV and a workbook
/// when the bytes themselves do not (text has no magic number).
pub fn read(bytes: &[u8], file_name: &str, limits: &Limits) -> Result<Sheet, ReadError> {
    if bytes.len() > limits.max_file_bytes {
        return Err(ReadError::TooLarge { size: bytes.len(), limit: limits.max_file_bytes });
    }
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.starts_with(ZIP_MAGIC) {
        check_zip(bytes, limits)?;
        return workbook(bytes, limits);
    }
    if bytes.starts_with(OLE_MAGIC) {
        // An encrypted .xlsx is an OLE container holding an "EncryptedPackage" stream; an
        // .xls is an OLE container holding a "Workbook" stream (names in UTF-16).
        if contains_utf16(bytes, "EncryptedPackage") {
            return Err(ReadError::Encrypted);
        }
        // An .xls. calamine reads it into memory the file does not bound: fuzzing found a
        // 19 KB .xls that took 3 GB. Until it can be read safely it is refused, with the way
        // out (.xlsx); ledger.md lists .xls as "a plus".
        return Err(ReadError::LegacyXls);
    }
    let lower = file_name.to_lowercase();
    if lower.ends_with(".csv") || lower.ends_with(".txt") {
        return crate::csv::read(bytes, limits);
    }
    Err(ReadError::NotSpreadsheet)
}

fn contains_utf16(bytes: &[u8], name: &str) -> bool {
    let needle: Vec<u8> = name.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// The zip's central directory declares every entry and its uncompressed size: check the
/// count and the sum before a single byte is inflated.
fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ReadError::NotSpreadsheet)?;
    if archive.len() > limits.max_zip_entries {
        return Err(ReadError::ZipBomb(format!("{} 个条目，上限 {}", archive.len(), limits.max_zip_entries)));
    }
    let mut archive = archive;
    let mut total: u64 = 0;
    let mut has_workbook = false;
    for i in 0..archive.len() {
        let f = archive.by_index_raw(i).map_err(|e| ReadError::Corrupt(e.to_string()))?;
        let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
        total = total.saturating_add(f.size());
        // A compression ratio no spreadsheet has is a bomb even below the total limit.
        if f.compressed_size() > 0 && f.size() / f.compressed_size().max(1) > 200 && f.size() > 10 * 1024 * 1024 {
            return Err(ReadError::ZipBomb(format!("条目 {name} 压缩比异常")));
        }
        // .xlsx only: .xlsb and .ods would be read into a dense grid whose size the file
        // declares (see `xlsx`); the formats taken are .xlsx and .csv
        if name == "xl/workbook.xml" {
            has_workbook = true;
        }
        if name == "EncryptedPackage" {
            return Err(ReadError::Encrypted);
        }
    }
    if total > limits.max_inflated_bytes {
        return Err(ReadError::ZipBomb(format!(
            "解压后共 {} MiB，上限 {} MiB",
            total / (1024 * 1024),
            limits.max_inflated_bytes / (1024 * 1024)
        )));
    }
    if !has_workbook {
        return Err(ReadError::NotSpreadsheet);
    }
    Ok(())
}

/// The columns read from a row (the template has 24; more are unknown columns anyway).
pub const MAX_COLUMNS: u32 = 256;

/// A third-party reader that panics on a malformed file is a refusal, not a crash.
fn guarded<T>(f: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(ReadError::Corrupt("文件结构已损坏".into())))
}

fn open_error(e: impl std::fmt::Display) -> ReadError {
    match e.to_string().to_lowercase() {
        m if m.contains("password") || m.contains("encrypt") => ReadError::Encrypted,
        _ => ReadError::NotSpreadsheet,
    }
}

fn workbook(bytes: &[u8], limits: &Limits) -> Result<Sheet, ReadError> {
    guarded(|| xlsx(bytes, limits))
}

/// An .xlsx, cell by cell as the sheet lists them: memory follows the cells the file has,
/// not the grid they span (a 5 KB file with cells in A1 and XFD1048576 would otherwise ask
/// for a 17-billion-cell grid), and reading stops at the row limit.
fn xlsx(bytes: &[u8], limits: &Limits) -> Result<Sheet, ReadError> {
    let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(bytes)).map_err(open_error)?;
    let name = wb.sheet_names().first().cloned().ok_or_else(|| ReadError::Corrupt("工作簿中没有工作表".into()))?;
    let mut reader = wb.worksheet_cells_reader(&name).map_err(|e| ReadError::Corrupt(e.to_string()))?;
    let mut rows: std::collections::BTreeMap<u32, Vec<Cell>> = std::collections::BTreeMap::new();
    while let Some(c) = reader.next_cell().map_err(|e| ReadError::Corrupt(e.to_string()))? {
        let (r, col) = c.get_position();
        put(&mut rows, r, col, cell_ref(c.get_value()), limits)?;
    }
    Ok(Sheet { name, rows: rows.into_iter().map(|(r, cells)| (r + 1, trimmed(cells))).collect() })
}

/// One non-empty cell into sparse rows (0-based position); columns past `MAX_COLUMNS` are
/// dropped, and a new row past the row limit refuses the file.
fn put(
    rows: &mut std::collections::BTreeMap<u32, Vec<Cell>>,
    r: u32,
    c: u32,
    value: Cell,
    limits: &Limits,
) -> Result<(), ReadError> {
    if c >= MAX_COLUMNS || value == Cell::Empty {
        return Ok(());
    }
    if !rows.contains_key(&r) && rows.len() >= limits.max_rows {
        return Err(ReadError::TooManyRows(limits.max_rows));
    }
    let cells = rows.entry(r).or_default();
    let c = c as usize;
    if cells.len() <= c {
        cells.resize(c + 1, Cell::Empty);
    }
    cells[c] = value;
    Ok(())
}

fn trimmed(mut cells: Vec<Cell>) -> Vec<Cell> {
    while cells.last().is_some_and(Cell::is_blank) {
        cells.pop();
    }
    cells
}

fn cell_ref(d: &calamine::DataRef<'_>) -> Cell {
    use calamine::DataRef as D;
    match d {
        D::Empty | D::Error(_) => Cell::Empty,
        D::String(s) | D::DateTimeIso(s) | D::DurationIso(s) => Cell::Text(s.clone()),
        D::SharedString(s) => Cell::Text((*s).to_string()),
        D::Int(i) => Cell::Number(*i as f64),
        D::Float(f) => Cell::Number(*f),
        D::Bool(b) => Cell::Bool(*b),
        D::DateTime(dt) => date_time(dt),
    }
}

/// An Excel date/time cell: a date when its format says so, else the number it holds.
fn date_time(dt: &calamine::ExcelDateTime) -> Cell {
    if dt.is_datetime() { Cell::Date(dt.as_f64()) } else { Cell::Number(dt.as_f64()) }
}
