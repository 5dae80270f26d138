//! The demo's 领导名录, loaded through the store's write path before the projects, so that
//! the bulk loader links every project's 包联领导 text to its leader: the city leaders by
//! city_admin, each unit's leaders by that unit's staff (a transaction each).

use demo::DemoLeader;
use domain::leader::LeaderLevel;
use store::Store;
use store::leaders::LeaderInput;

use crate::demo_landing::{People, step};

/// The ids the store gave the leaders, in the order of `leaders`.
pub async fn load(store: &Store, leaders: &[DemoLeader]) -> Result<Vec<i64>, String> {
    let mut people = People::of(store).await?;
    let mut ids = vec![0; leaders.len()];
    for (unit, staff, rows) in people.by_unit(store, leaders.iter().enumerate(), |(_, l)| l.unit) {
        let city = rows.iter().any(|(_, l)| l.level == LeaderLevel::CityLeader);
        let actor = if city { people.city().clone() } else { staff };
        let tx = store.scoped(&actor).begin().await.map_err(step(unit))?;
        for (i, l) in rows {
            let input = LeaderInput {
                name: l.name.clone(),
                position: l.position.clone(),
                unit: l.unit.to_string(),
                level: l.level,
            };
            ids[i] = tx.create_leader(input).await.map_err(step(format!("领导 {}", l.name)))?.id;
        }
        tx.commit().await.map_err(step(unit))?;
    }
    Ok(ids)
}
