//! Opening the fixture files (crates/ledger/tests/fixtures, made by gen.py): every real
//! ledger opens with the rows the spreadsheet shows; every hostile file is refused, with the
//! reason expected.json names, before anything is inflated.

mod common;

use common::{expected, fixtures, open};
use ledger::{Cell, Limits, ReadError, read};

#[test]
fn every_fixture_opens_or_is_refused_as_expected() {
    let all = expected();
    assert!(all.len() >= 12, "fixtures listed: {}", all.len());
    for f in all {
        let file = f["file"].as_str().unwrap();
        match f["refused"].as_str() {
            Some(reason) => {
                let e = open(file).expect_err(file);
                assert!(e.to_string().contains(reason), "{file}: {e} should mention {reason}");
            }
            None => {
                let sheet = open(file).unwrap_or_else(|e| panic!("{file}: {e}"));
                let rows = f["values"].as_array().map(|v| v.len()).unwrap_or(0);
                let nonblank = sheet.rows.iter().filter(|(_, cells)| cells.iter().any(|c| !c.is_blank())).count();
                assert!(nonblank > rows, "{file}: {nonblank} non-blank rows for {rows} projects plus a header");
            }
        }
    }
}

#[test]
fn row_numbers_are_the_spreadsheets() {
    // 02: banner in row 1, 填报单位 in row 2, blank row 3, header in row 4
    let sheet = open("02_banner.xlsx").unwrap();
    let banner = sheet.rows.iter().find(|(_, c)| c.iter().any(|x| x.text().contains("招商引资项目台账"))).unwrap();
    assert_eq!(banner.0, 1);
    let header = sheet.rows.iter().find(|(_, c)| c.iter().any(|x| x.text() == "承办单位")).unwrap();
    assert_eq!(header.0, 4);
}

#[test]
fn gbk_and_utf8_csv_read_the_same_cells() {
    let a = open("06_gbk.csv").unwrap();
    let b = open("07_utf8.csv").unwrap();
    assert_eq!(a.rows, b.rows);
    assert!(a.rows[0].1.contains(&Cell::Text("项目名称".into())), "{:?}", a.rows[0]);
}

#[test]
fn limits_are_checked_before_reading() {
    let bytes = std::fs::read(fixtures().join("01_template.xlsx")).unwrap();
    let small = Limits { max_file_bytes: 100, ..Limits::default() };
    assert!(matches!(read(&bytes, "x.xlsx", &small), Err(ReadError::TooLarge { .. })));
    let few = Limits { max_zip_entries: 3, ..Limits::default() };
    assert!(matches!(read(&bytes, "x.xlsx", &few), Err(ReadError::ZipBomb(_))));
    assert_eq!(read(b"", "x.csv", &Limits::default()).unwrap_err(), ReadError::Empty);
    assert_eq!(read(b"hello", "x.docx", &Limits::default()).unwrap_err(), ReadError::NotSpreadsheet);
    // a truncated workbook is an error, not a crash
    assert!(read(&bytes[..bytes.len() / 2], "x.xlsx", &Limits::default()).is_err());
}

#[test]
fn memory_follows_the_cells_a_file_has_not_the_grid_they_span() {
    // 14: two ledger rows and a stray cell in XFD1048576; read as a grid this aborted the
    // process (a 550 GB allocation). Read cell by cell: the header, the two rows, nothing else.
    let sheet = open("14_far_corner.xlsx").unwrap();
    assert_eq!(sheet.rows.iter().map(|(n, _)| *n).collect::<Vec<_>>(), vec![1, 2, 3]);
    assert!(sheet.rows.iter().all(|(_, cells)| cells.len() <= 24), "no column past the template's");
}

#[test]
fn the_row_limit_holds_for_xlsx_and_csv() {
    let two = Limits { max_rows: 2, ..Limits::default() };
    for file in ["01_template.xlsx", "07_utf8.csv"] {
        let bytes = std::fs::read(fixtures().join(file)).unwrap();
        assert_eq!(read(&bytes, file, &two).unwrap_err(), ReadError::TooManyRows(2), "{file}");
    }
}

#[test]
fn xlsb_and_ods_are_refused_with_the_formats_that_are_taken() {
    // a zip with the part names of an .xlsb and of an .ods (their readers build a dense grid)
    for part in ["xl/workbook.bin", "content.xml"] {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        z.start_file(part, zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut z, b"<x/>").unwrap();
        z.finish().unwrap();
        let e = read(buf.get_ref(), "台账.xlsx", &Limits::default()).unwrap_err();
        assert_eq!(e, ReadError::NotSpreadsheet, "{part}");
        assert!(e.to_string().contains(".xlsx"), "{e}");
    }
}

#[test]
fn a_legacy_xls_is_refused_with_the_way_out() {
    // 13: a real .xls (LibreOffice); calamine's .xls reader is not memory-bounded
    let e = open("13_excel97.xls").unwrap_err();
    assert_eq!(e, ReadError::LegacyXls);
    assert!(e.to_string().contains("另存为 .xlsx"), "{e}");
}
