//! CSV ledgers: UTF-8 (with or without a BOM) or GBK, as Excel and WPS save them in China;
//! RFC 4180 quoting by the `csv` crate (a quoted field may hold commas, quotes and line
//! breaks), with the rows numbered as a spreadsheet shows them.

use crate::read::{Cell, Limits, ReadError, Sheet};

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Sheet, ReadError> {
    let text = decode(bytes)?;
    let mut rows = Vec::new();
    // row by row into cells: the whole file is never held as strings a second time
    let mut reader = Rows::new(&text);
    for (i, fields) in reader.by_ref().enumerate() {
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
    if let Some(e) = reader.error() {
        return Err(ReadError::Corrupt(e.to_string()));
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

/// The rows of a CSV text, one at a time, as a spreadsheet numbers them: a blank line is a
/// row (of one empty field), and a quoted field's line breaks stay inside its row.
///
/// The quoting rules are the `csv` crate's (RFC 4180; any of CRLF, CR, LF ends a row). It
/// skips blank lines, so they are counted back here from the bytes it consumed: the line
/// ends between one record and the next are blank rows.
pub struct Rows<'a> {
    text: &'a [u8],
    reader: csv::Reader<&'a [u8]>,
    record: csv::StringRecord,
    /// Bytes the reader has consumed (up to the end of the last record read).
    consumed: usize,
    /// Blank rows still to give before `pending`.
    blanks: usize,
    pending: Option<Vec<String>>,
    done: bool,
    error: Option<String>,
}

impl<'a> Rows<'a> {
    pub fn new(text: &'a str) -> Self {
        let reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        Rows {
            text: text.as_bytes(),
            reader,
            record: csv::StringRecord::new(),
            consumed: 0,
            blanks: 0,
            pending: None,
            done: false,
            error: None,
        }
    }

    /// Why reading stopped early, if it did. A UTF-8 text read from memory gives the reader
    /// no reason to (no I/O, fields split at ASCII bytes stay UTF-8, rows may vary in length).
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The blank rows in the line ends from byte `from` on: the record read before `from`
    /// may have stopped after the CR of its CRLF, whose LF is then not a row of its own; at
    /// the start, the reader drops a UTF-8 BOM.
    fn blank_rows(&self, from: usize) -> usize {
        let mut at = from;
        if at == 0 && self.text.starts_with(b"\xEF\xBB\xBF") {
            at = 3;
        }
        if at > 0 && self.text.get(at - 1) == Some(&b'\r') && self.text.get(at) == Some(&b'\n') {
            at += 1;
        }
        let mut rows = 0;
        while let Some(&b) = self.text.get(at) {
            match b {
                b'\r' if self.text.get(at + 1) == Some(&b'\n') => at += 2,
                b'\r' | b'\n' => at += 1,
                _ => break,
            }
            rows += 1;
        }
        rows
    }
}

impl Iterator for Rows<'_> {
    type Item = Vec<String>;

    fn next(&mut self) -> Option<Vec<String>> {
        loop {
            if self.blanks > 0 {
                self.blanks -= 1;
                return Some(vec![String::new()]);
            }
            if let Some(row) = self.pending.take() {
                return Some(row);
            }
            if self.done {
                return None;
            }
            let from = self.consumed;
            self.blanks = self.blank_rows(from);
            match self.reader.read_record(&mut self.record) {
                Ok(true) => {
                    self.consumed = usize::try_from(self.reader.position().byte()).unwrap_or(self.text.len());
                    self.pending = Some(self.record.iter().map(str::to_string).collect());
                }
                Ok(false) => self.done = true,
                Err(e) => {
                    self.error = Some(e.to_string());
                    self.done = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    // The hand-written reader the csv crate replaced, kept as the oracle of the row numbers
    // and fields a user sees.
    struct HandRows<'a> {
        chars: std::iter::Peekable<std::str::Chars<'a>>,
    }

    impl<'a> HandRows<'a> {
        fn new(text: &'a str) -> Self {
            HandRows { chars: text.chars().peekable() }
        }
    }

    impl Iterator for HandRows<'_> {
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

    #[test]
    fn row_numbers_count_blank_lines_and_not_line_breaks_in_quotes() {
        // row 2 holds a quoted line break, row 3 is blank, rows 5–6 are blank (CRLF, CR)
        let text = "项目名称,总投资\r\n\"年产5000吨碳纤维\n复合材料项目\",50000\r\n\r\n金水项目,\"1,200\"\r\n\r\n\r郑东项目,800\n";
        let sheet = read(text.as_bytes(), &Limits::default()).unwrap();
        let numbered: Vec<(u32, Vec<String>)> =
            sheet.rows.iter().map(|(n, cells)| (*n, cells.iter().map(Cell::text).collect())).collect();
        let row = |n, cells: &[&str]| (n, cells.iter().map(|c| c.to_string()).collect::<Vec<_>>());
        assert_eq!(
            numbered,
            vec![
                row(1, &["项目名称", "总投资"]),
                row(2, &["年产5000吨碳纤维\n复合材料项目", "50000"]),
                row(3, &[]),
                row(4, &["金水项目", "1,200"]),
                row(5, &[]),
                row(6, &[]),
                row(7, &["郑东项目", "800"]),
            ]
        );
        // blank lines count against the row limit as before
        let two = Limits { max_rows: 2, ..Limits::default() };
        assert_eq!(read("a\n\n\nb".as_bytes(), &two).unwrap_err(), ReadError::TooManyRows(2));
    }

    #[test]
    fn leading_and_trailing_blank_lines_are_rows() {
        assert_eq!(parse("\n\na\n\n"), vec![vec![""], vec![""], vec!["a"], vec![""]]);
        assert_eq!(parse("a\r\n"), vec![vec!["a"]]);
        assert_eq!(parse("\r\n\r\n"), vec![vec![""], vec![""]]);
        assert_eq!(parse(""), Vec::<Vec<String>>::new());
        assert_eq!(parse("a,\"open"), vec![vec!["a", "open"]], "an unclosed quote runs to the end");
        assert_eq!(parse("\u{FEFF}\n\n项目名称"), vec![vec![""], vec![""], vec!["项目名称"]]);
        assert_eq!(parse("\u{FEFF}"), Vec::<Vec<String>>::new());
    }

    proptest! {
        // The csv crate gives every row and field the hand-written reader gave, so the row
        // numbers users see are unchanged: quotes, commas, every kind of line end, blank
        // lines, Chinese text, a BOM inside. One change: a BOM that starts the text is
        // dropped (`decode` already dropped the file's own; this is a second one, which the
        // hand-written reader left in the first header cell, where no label matched it).
        #[test]
        fn the_csv_crate_reads_as_the_hand_written_reader_did(text in "[a\",\r\n 中\u{FEFF}]{0,40}") {
            let after_bom = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
            let want: Vec<Vec<String>> = HandRows::new(after_bom).collect();
            prop_assert_eq!(parse(&text), want);
        }
    }
}
