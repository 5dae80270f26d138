//! Cells and rows: the input is a CSV text (so the fixtures' CSVs seed the corpus) whose
//! cells become typed cells — `#n12.5` a number cell, `#d45731` an Excel date cell, `#t`/`#f`
//! a boolean, anything else text — and go through header detection and row parsing as an
//! upload's would, with and without a unit restriction. Besides not panicking: an amount
//! that parses reads back the same from its own text, a date from its ISO form, and every
//! error names a row of the sheet.
#![no_main]

use ledger::value::{self, AmountUnit};
use ledger::{Cell, Sheet};
use libfuzzer_sys::fuzz_target;

fn cell(text: &str) -> Cell {
    if text.is_empty() {
        return Cell::Empty;
    }
    let number = |s: &str| s.trim().parse::<f64>().ok();
    match text.get(..2) {
        Some("#n") => number(&text[2..]).map_or_else(|| Cell::Text(text.into()), Cell::Number),
        Some("#d") => number(&text[2..]).map_or_else(|| Cell::Text(text.into()), Cell::Date),
        Some("#t") => Cell::Bool(true),
        Some("#f") => Cell::Bool(false),
        _ => Cell::Text(text.into()),
    }
}

fn check(cell: &Cell) {
    for unit in [AmountUnit::WanYuan, AmountUnit::WanUsd, AmountUnit::Mu] {
        if let Ok(Some(m)) = value::amount(cell, unit) {
            let again = value::parse_amount_text(&m.to_string(), unit);
            assert_eq!(again, Ok(m), "an amount reads back from its own text: {cell:?}");
        }
    }
    if let Ok(Some(d)) = value::date(cell) {
        let text = d.format("%Y-%m-%d").to_string();
        assert_eq!(value::parse_date_text(&text), Ok(d), "a date reads back from its ISO text: {cell:?}");
    }
    let text = value::cell_text(cell);
    let _ = value::stage(&text);
    let _ = value::categories(&text);
    let _ = value::channel(&text);
    let _ = value::investor_type(&text);
    let _ = value::investors(&text);
    let _ = value::clean_note(&text);
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let rows: Vec<(u32, Vec<Cell>)> = ledger::csv::parse(&text)
        .into_iter()
        .take(300)
        .enumerate()
        .map(|(i, r)| (i as u32 + 1, r.iter().take(40).map(|c| cell(c)).collect()))
        .collect();
    rows.iter().flat_map(|(_, r)| r).for_each(check);
    let last = rows.len() as u32;
    let sheet = Sheet { name: "台账".into(), rows };
    let units = ["jinshui".to_string()];
    for allowed in [None, Some(&units[..])] {
        if let Ok(parsed) = ledger::parse(&sheet, allowed) {
            for e in &parsed.errors {
                assert!((1..=last).contains(&e.row), "an error names a row of the sheet: {e:?}");
            }
            for r in &parsed.rows {
                assert!((1..=last).contains(&r.row), "a parsed row is a row of the sheet");
            }
        }
    }
});
