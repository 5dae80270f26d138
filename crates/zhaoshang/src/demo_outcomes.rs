//! 运行监测 of the demo's producing projects, recorded through the store's write path (its
//! rules and its audit record) by each project's unit, a transaction per unit.

use demo::DemoOutcome;
use store::Store;
use store::outcomes::OutcomeInput;

use crate::demo_landing::{People, step};

pub async fn load(
    store: &Store,
    outcomes: &[DemoOutcome],
    units: &[String],
    project_ids: &[i64],
) -> Result<(), String> {
    let today = domain::today_shanghai();
    let mut people = People::of(store).await?;
    for (unit, actor, rows) in people.by_unit(store, outcomes, |o| units.get(o.project).map_or("", String::as_str)) {
        let tx = store.scoped(&actor).begin().await.map_err(step(unit))?;
        for o in rows {
            let id =
                project_ids.get(o.project).copied().ok_or_else(|| format!("演示数据指向不存在的项目 {}", o.project))?;
            let input =
                OutcomeInput { output: o.output, tax: o.tax, jobs: o.jobs, note: o.note.clone(), version: None };
            tx.record_outcome(id, o.year, input, today).await.map_err(step(format!("运行监测 {id} {}", o.year)))?;
        }
        tx.commit().await.map_err(step(unit))?;
    }
    Ok(())
}
