//! Whole files: whatever bytes arrive as an upload, `ledger::read` then `ledger::parse`
//! must answer with a sheet or a refusal, never a panic, a hang or unbounded memory
//! (libFuzzer's -rss_limit_mb and -timeout enforce the last two).
//!
//! `ledger::read` turns a panic inside calamine (a malformed OLE/zip structure) into a
//! refusal with `catch_unwind`, as the server needs. libfuzzer-sys's panic hook would abort
//! on that caught panic too, so `init` puts the default hook back: a panic that escapes
//! `read`/`parse` still reaches libfuzzer-sys's own `catch_unwind` and aborts as a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(init: { let _ = std::panic::take_hook(); }, |data: &[u8]| {
    // the name only matters when the bytes have no magic number (CSV vs the rest)
    let name = if data.first().is_some_and(|b| b % 2 == 0) { "台账.xlsx" } else { "台账.csv" };
    let limits = ledger::Limits { max_rows: 5_000, ..ledger::Limits::default() };
    let Ok(sheet) = ledger::read(data, name, &limits) else { return };
    assert!(sheet.rows.len() <= limits.max_rows, "the row limit holds");
    let mut last = 0;
    for (n, _) in &sheet.rows {
        assert!(*n > last, "row numbers ascend as the spreadsheet numbers them");
        last = *n;
    }
    if let Ok(parsed) = ledger::parse(&sheet, None) {
        for r in &parsed.rows {
            assert!(sheet.rows.iter().any(|(n, _)| *n == r.row), "a parsed row is a row of the file");
        }
    }
});
