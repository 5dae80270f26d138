//! The demo's 招商活动, loaded through the store's write path by each organising unit's
//! staff (a transaction per unit), after the leaders, companies, projects and targets they
//! name: the register's leaders, the companies met, the unit's targets contacted (found by
//! the company) and the projects signed.

use demo::DemoActivity;
use store::Store;
use store::activities::ActivityInput;
use store::targets::TargetFilter;

use crate::demo_landing::{People, step};

/// The ids the store gave the demo's leaders, companies and projects (in the dataset's order).
pub struct Ids<'a> {
    pub leaders: &'a [i64],
    pub companies: &'a [i64],
    pub projects: &'a [i64],
}

fn pick(ids: &[i64], at: &[usize], what: &str) -> Result<Vec<i64>, String> {
    at.iter().map(|&i| ids.get(i).copied().ok_or_else(|| format!("演示活动指向不存在的{what} {i}"))).collect()
}

pub async fn load(
    store: &Store,
    activities: &[DemoActivity],
    targets: &[demo::DemoTarget],
    ids: Ids<'_>,
) -> Result<(), String> {
    let mut people = People::of(store).await?;
    for (unit, actor, rows) in people.by_unit(store, activities, |a| a.unit) {
        let tx = store.scoped(&actor).begin().await.map_err(step(unit))?;
        for a in rows {
            // a target contacted: the unit's target on that company
            let mut target_ids = vec![];
            for &t in &a.targets {
                let company = pick(ids.companies, &[targets[t].company], "企业")?[0];
                let f = TargetFilter { unit: Some(unit.into()), company_id: Some(company), ..Default::default() };
                let found = store.scoped(&actor).list_targets(&f).await.map_err(step(&a.title))?;
                target_ids.extend(found.items.iter().map(|t| t.id));
            }
            let input = ActivityInput {
                title: a.title.clone(),
                kind: a.kind,
                start_on: a.start_on,
                end_on: Some(a.end_on),
                region: a.region.into(),
                city: a.city.into(),
                country: Some(a.country.into()),
                unit: a.unit.into(),
                leader_ids: pick(ids.leaders, &a.leaders, "领导")?,
                leader_level: a.leader_level,
                participants: Some(a.participants.clone()),
                company_ids: pick(ids.companies, &a.companies, "企业")?,
                target_ids,
                intentions: Some(a.intentions),
                intention_notes: a.intention_notes.clone(),
                project_ids: vec![],
                signed_project_ids: pick(ids.projects, &a.signed_projects, "项目")?,
                summary: Some(a.summary.clone()),
                cost: Some(a.cost),
            };
            tx.create_activity(input).await.map_err(step(&a.title))?;
        }
        tx.commit().await.map_err(step(unit))?;
    }
    Ok(())
}
