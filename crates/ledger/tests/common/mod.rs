//! What the ledger's test files share: the fixtures (crates/ledger/tests/fixtures, made by
//! gen.py) and what expected.json says of each.

use std::path::PathBuf;

use ledger::{Limits, ReadError, Sheet, read};
use serde_json::Value;

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// expected.json's `fixtures`: one entry per file.
pub fn expected() -> Vec<Value> {
    let text = std::fs::read_to_string(fixtures().join("expected.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["fixtures"].as_array().unwrap().clone()
}

/// A fixture read with the default limits.
pub fn open(file: &str) -> Result<Sheet, ReadError> {
    let bytes = std::fs::read(fixtures().join(file)).unwrap();
    read(&bytes, file, &Limits::default())
}
