//! The demo's 靶向项目库, loaded through the store's write paths (their rules and audit
//! records) by each unit's staff, a transaction per unit: each target, its follow-ups in
//! date order, then where it ends (有意向, 已放弃, or converted into a project).

use demo::{DemoTarget, TargetEnd};
use domain::target::TargetStatus;
use store::Store;
use store::targets::{ConvertInput, FollowUpInput, TargetInput};

use crate::demo_landing::{People, step};

pub async fn load(store: &Store, targets: &[DemoTarget], company_ids: &[i64]) -> Result<(), String> {
    let today = domain::today_shanghai();
    let mut people = People::of(store).await?;
    for (unit, actor, rows) in people.by_unit(store, targets, |t| t.unit) {
        let tx = store.scoped(&actor).begin().await.map_err(step(unit))?;
        for t in rows {
            let company_id =
                company_ids.get(t.company).copied().ok_or_else(|| format!("演示数据指向不存在的企业 {}", t.company))?;
            let input = TargetInput {
                company_id,
                unit: t.unit.to_string(),
                industry: t.industry.clone(),
                strategy: Some(t.strategy.clone()),
                layout: Some(t.layout.clone()),
                signals: Some(t.signals.clone()),
                next_follow_up_on: t.next_follow_up_on,
            };
            let what = format!("靶向 {unit} {company_id}");
            let created = tx.create_target(input).await.map_err(step(&what))?;
            for f in &t.follow_ups {
                let fu = FollowUpInput {
                    date: f.date,
                    channel: f.channel,
                    summary: f.summary.clone(),
                    next_follow_up_on: f.next_follow_up_on,
                };
                tx.add_follow_up(created.id, fu, today).await.map_err(step(&what))?;
            }
            let v = tx.get_target_in(created.id).await.map_err(step(&what))?.version;
            match &t.end {
                TargetEnd::Open { interested: false } => {}
                TargetEnd::Open { interested: true } => {
                    tx.set_target_status(created.id, TargetStatus::Interested, None, v).await.map_err(step(&what))?;
                }
                TargetEnd::Dropped(reason) => {
                    tx.set_target_status(created.id, TargetStatus::Dropped, Some(reason.clone()), v)
                        .await
                        .map_err(step(&what))?;
                }
                TargetEnd::Converted { name, region, total } => {
                    let input = ConvertInput {
                        name: name.clone(),
                        region: region.clone(),
                        total_investment: *total,
                        version: v,
                    };
                    tx.convert_target(created.id, input).await.map_err(step(&what))?;
                }
            }
        }
        tx.commit().await.map_err(step(unit))?;
    }
    Ok(())
}
