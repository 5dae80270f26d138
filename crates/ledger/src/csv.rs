//! CSV ledgers: UTF-8 (with or without a BOM) or GBK, as Excel and WPS save them in China;
//! RFC 4180 quoting (a quoted field may hold commas, quotes and line breaks).

use crate::read::{Cell, Limits, ReadError, Sheet};

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Sheet, ReadError> {
    let text = decode(bytes)?;
    let mut rows = Vec::new();
    // row by row into cells: the whole file is never held as strings a second time
    for (i, fields) in Rows::new(&text).enumerate() {
        if rows.len() >= limits.max_rows {
            return Err(ReadError::TooManyRows(limits.max_rows));
        }
        let mut cells: Vec<Cell> =
            fields.into_iter().map(|f| if f.is_empty() { Cell::Empty } else { Cell::Text(f) }).collect();
        while cells.last().is_some_and(Cell::is_blank) {
            cells.pop();
        }
        rows.push((i as u32 + 1, cells));
    }
    Ok(Sheet { name: String::new(), rows })
}

/// UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), else GBK; a file that is
/// neither (or holds NUL bytes: binary) is not a ledger.
fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    if bytes.contains(&0) {
        return Err(ReadError::NotSpreadsheet);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, _, had_errors) = encoding_rs::GBK.decode(bytes);
    if had_errors {
        return Err(ReadError::NotSpreadsheet);
    }
    Ok(text.into_owned())
}

/// Rows of fields. A line break inside quotes stays in the field; `""` is a quote.
pub fn parse(text: &str) -> Vec<Vec<String>> {
    Rows::new(text).collect()
}

/// The rows of a CSV text, one at a time.
pub struct Rows<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
}

impl<'a> Rows<'a> {
    pub fn new(text: &'a str) -> Self {
        Rows { chars: text.chars().peekable() }
    }
}

impl Iterator for Rows<'_> {
    type Item = Vec<String>;

    fn next(&mut self) -> Option<Vec<String>> {
        let chars = &mut self.chars;
        chars.peek()?;
        let mut row = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') if field.is_empty() => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut field)),
                (false, '\r') if chars.peek() == Some(&'\n') => {}
                (false, '\n') | (false, '\r') => {
                    row.push(field);
                    return Some(row);
                }
                (false, c) => field.push(c),
            }
        }
        row.push(field);
        Some(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_commas_and_line_breaks() {
        let rows = parse("a,\"b,1\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",x\n");
        assert_eq!(rows, vec![vec!["a", "b,1", "say \"hi\""], vec!["two\nlines", "x"]]);
    }

    #[test]
    fn gbk_and_utf8_decode_to_the_same_text() {
        let (gbk, _, _) = encoding_rs::GBK.encode("项目名称,金水区");
        assert_eq!(decode(&gbk).unwrap(), "项目名称,金水区");
        assert_eq!(decode("\u{FEFF}项目名称".as_bytes()).unwrap(), "项目名称");
        assert_eq!(decode(b"\x00\x01binary"), Err(ReadError::NotSpreadsheet));
    }
}
