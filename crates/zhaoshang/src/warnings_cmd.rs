//! `zhaoshang warnings [--as-of DATE] [--unit U]`: the day's warnings counted by rule and
//! level (the daily job; the server's daily run logs the same counts).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::warnings::WarningRule;
use store::warnings::{WarningFilter, WarningItem};
use store::{Actor, Store};

/// Counts per rule: (label, red, yellow), in the rules' order.
pub fn counts(items: &[WarningItem]) -> Vec<(&'static str, usize, usize)> {
    let mut by: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for w in items {
        let e = by.entry(w.kind.as_str()).or_default();
        if w.level == "red" { e.0 += 1 } else { e.1 += 1 }
    }
    WarningRule::ALL.iter().filter_map(|r| by.get(r.code()).map(|(red, yellow)| (r.label(), *red, *yellow))).collect()
}

/// The warnings as of `as_of` (today when `None`), printed as a table of counts.
pub async fn run(store: &Store, as_of: Option<NaiveDate>, unit: Option<String>) -> Result<(), String> {
    let day = as_of.unwrap_or_else(domain::today_shanghai);
    let started = std::time::Instant::now();
    let actor = Actor::system("cli:warnings");
    let items = store
        .scoped(&actor)
        .warnings(&WarningFilter { unit, ..Default::default() }, day)
        .await
        .map_err(|e| format!("预警计算失败 / warnings failed: {e}"))?;
    println!("预警 / warnings as of {day}: {} ({} ms)", items.len(), started.elapsed().as_millis());
    println!("{:<16} {:>6} {:>6}", "类型 kind", "红 red", "黄 yellow");
    for (label, red, yellow) in counts(&items) {
        println!("{label:<16} {red:>6} {yellow:>6}");
    }
    Ok(())
}

/// The server's daily run: the counts in the log, once a day.
pub fn spawn_daily(store: Store) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
        loop {
            tick.tick().await;
            let actor = Actor::system("daily:warnings");
            match store.scoped(&actor).warnings(&WarningFilter::default(), domain::today_shanghai()).await {
                Ok(items) => {
                    let red = items.iter().filter(|w| w.level == "red").count();
                    tracing::info!(total = items.len(), red, yellow = items.len() - red, "daily warnings");
                }
                Err(e) => tracing::error!(error = %e, "daily warnings failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: &str, level: &str) -> WarningItem {
        WarningItem {
            key: String::new(),
            level: level.into(),
            kind: kind.into(),
            kind_label: String::new(),
            entity: "project".into(),
            entity_id: 1,
            project_id: Some(1),
            project_name: None,
            lead_leader: None,
            unit: String::new(),
            unit_name: String::new(),
            unit_id: 1,
            reason: String::new(),
            since: None,
        }
    }

    #[test]
    fn counts_by_rule_in_the_rules_order() {
        let items = [
            item("no_progress", "yellow"),
            item("signed_not_started", "red"),
            item("signed_not_started", "yellow"),
            item("signed_not_started", "red"),
        ];
        assert_eq!(counts(&items), [("签约未开工", 2, 1), ("长期无进展", 0, 1)]);
    }
}
