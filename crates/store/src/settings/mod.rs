//! Settings (`settings`, one row per key): the warning thresholds and the monthly report
//! deadline. A key that is missing or not a whole number keeps the spec's default.

use domain::warnings::Thresholds;
use sea_orm::{FromQueryResult, Statement};

use crate::{Result, Store};

#[derive(FromQueryResult)]
struct Setting {
    key: String,
    value: String,
}

impl Store {
    /// The thresholds of the warning rules: `Thresholds::default()` (domain.md §7) with each
    /// key of `settings` that names one of its fields and holds a whole number.
    pub async fn thresholds(&self) -> Result<Thresholds> {
        let rows =
            Setting::find_by_statement(Statement::from_string(self.backend(), "SELECT key, value FROM settings"))
                .all(self.db())
                .await?;
        Ok(thresholds_of(rows.into_iter().map(|s| (s.key, s.value))))
    }
}

/// The thresholds from `(key, value)` pairs; unknown keys and bad numbers are ignored.
fn thresholds_of(pairs: impl IntoIterator<Item = (String, String)>) -> Thresholds {
    let map: serde_json::Map<String, serde_json::Value> =
        pairs.into_iter().filter_map(|(k, v)| Some((k, v.trim().parse::<u32>().ok()?.into()))).collect();
    serde_json::from_value(serde_json::Value::Object(map)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setting_overrides_its_default_and_bad_ones_are_ignored() {
        let t = thresholds_of([
            ("overdue_red_days".to_string(), "15".to_string()),
            ("no_progress_days".to_string(), "ninety".to_string()),
            ("site_name".to_string(), "x".to_string()),
        ]);
        assert_eq!(t, Thresholds { overdue_red_days: 15, ..Thresholds::default() });
    }
}
