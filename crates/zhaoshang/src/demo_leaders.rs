//! The demo's 领导名录, loaded through the store's write path before the projects, so that
//! the bulk loader links every project's 包联领导 text to its leader: the city leaders by
//! city_admin, each unit's leaders by that unit's staff (a transaction each).

use std::collections::BTreeMap;

use demo::DemoLeader;
use domain::leader::LeaderLevel;
use store::Store;
use store::leaders::LeaderInput;

use crate::demo_landing::{People, step};

pub async fn load(store: &Store, leaders: &[DemoLeader]) -> Result<(), String> {
    let mut people = People::of(store).await?;
    let mut by_unit: BTreeMap<&str, Vec<&DemoLeader>> = BTreeMap::new();
    for l in leaders {
        by_unit.entry(l.unit).or_default().push(l);
    }
    for (unit, rows) in by_unit {
        let city = rows.iter().any(|l| l.level == LeaderLevel::CityLeader);
        let actor = if city { people.city().clone() } else { people.unit(store, unit).clone() };
        let tx = store.scoped(&actor).begin().await.map_err(step(unit))?;
        for l in rows {
            let input = LeaderInput {
                name: l.name.clone(),
                position: l.position.clone(),
                unit: l.unit.to_string(),
                level: l.level,
            };
            tx.create_leader(input).await.map_err(step(format!("领导 {}", l.name)))?;
        }
        tx.commit().await.map_err(step(unit))?;
    }
    Ok(())
}
