//! Settings (`settings`, one row per key): the warning thresholds and the monthly report
//! deadline. A key that is missing or not a whole number keeps the spec's default.

use domain::Permission;
use domain::warnings::Thresholds;
use sea_orm::sea_query::OnConflict;
use sea_orm::{EntityTrait, FromQueryResult, Set, Statement};

use crate::audit::Event;
use crate::entity::setting;
use crate::handle::one_shot;
use crate::{Result, StoreError, Tx};
use crate::{Scoped, Store};

#[derive(FromQueryResult)]
struct Setting {
    key: String,
    value: String,
}

impl Store {
    /// The thresholds of the warning rules: `Thresholds::default()` (domain.md §7) with each
    /// key of `settings` that names one of its fields and holds a whole number.
    pub async fn thresholds(&self) -> Result<Thresholds> {
        self.thresholds_on(self.db()).await
    }

    pub(crate) async fn thresholds_on<C: sea_orm::ConnectionTrait>(&self, db: &C) -> Result<Thresholds> {
        let rows =
            Setting::find_by_statement(Statement::from_string(self.backend(), "SELECT key, value FROM settings"))
                .all(db)
                .await?;
        Ok(thresholds_of(rows.into_iter().map(|s| (s.key, s.value))))
    }
}

impl Scoped<'_> {
    /// The thresholds in force (anyone who reads warnings may know why they show).
    pub async fn warning_thresholds(&self) -> Result<Thresholds> {
        self.store.thresholds().await
    }
}

one_shot! {
    write
    /// Set one warning threshold (sysadmin: settings are theirs, domain.md §2).
    fn set_threshold(key: String, value: String) -> Thresholds;
}

impl Tx<'_> {
    /// Set one threshold: 422 naming `value` (or `key`) when `domain` refuses it, audited
    /// with the value before and after.
    pub async fn set_threshold(&self, key: String, value: String) -> Result<Thresholds> {
        self.s.require(Permission::PolicyWrite)?;
        let before = self.store().thresholds_on(&self.txn).await?;
        let after = before.with(&key, &value).map_err(|e| match e {
            domain::warnings::ThresholdError::Unknown(_) => StoreError::field("key", e.to_string()),
            _ => StoreError::field("value", e.to_string()),
        })?;
        let key = key.trim();
        let Some(s) = domain::warnings::THRESHOLD_SETTINGS.iter().find(|s| s.key == key) else {
            return Err(StoreError::field("key", format!("没有名为 {key} 的预警阈值")));
        };
        self.put_setting(key, &s.value(&after).to_string()).await?;
        let ev = Event::ok(domain::AuditAction::SettingUpdate, "setting", key)
            .before(s.value(&before))
            .after(s.value(&after));
        self.audited(ev, after).await
    }

    /// Write one `settings` row (insert or replace), stamped by this actor.
    pub(crate) async fn put_setting(&self, key: &str, value: &str) -> Result<()> {
        let am = setting::ActiveModel {
            key: Set(key.into()),
            value: Set(value.into()),
            updated_by: Set(self.actor().user_id),
            updated_at: Set(crate::now()),
        };
        setting::Entity::insert(am)
            .on_conflict(
                OnConflict::column(setting::Column::Key)
                    .update_columns([setting::Column::Value, setting::Column::UpdatedBy, setting::Column::UpdatedAt])
                    .to_owned(),
            )
            .exec_without_returning(&self.txn)
            .await
            .map_err(StoreError::from)?;
        Ok(())
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
