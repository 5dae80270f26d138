//! Loads the demo's 纳入全市库 claims (`demo::DemoRaise`) through the store's own writes: the
//! unit raises a project's total investment past 5亿元 (its update opens the claim, with the
//! amount as the reason), then the city accepts or returns some of them.

use demo::{ClaimOutcome, DemoRaise};
use domain::ReviewState;
use domain::review::ReviewKind;
use store::Store;
use store::projects::ProjectPatch;
use store::reviews::ReviewFilter;

use crate::demo_landing::{People, step};

/// `project_ids[i]` and `units[i]` are the id and the unit of the dataset's `projects[i]`.
pub async fn load(store: &Store, raises: &[DemoRaise], units: &[String], project_ids: &[i64]) -> Result<(), String> {
    let mut people = People::of(store).await?;
    let city = people.city().clone();
    for r in raises {
        let id =
            project_ids.get(r.project).copied().ok_or_else(|| format!("演示数据指向不存在的项目 {}", r.project))?;
        let unit = units.get(r.project).map_or("", String::as_str);
        let s = store.scoped(people.unit(store, unit));
        let p = s.get_project(id).await.map_err(step("纳入全市库项目"))?;
        let patch =
            ProjectPatch { version: p.version, total_investment: Some(r.total_investment), ..Default::default() };
        s.update_project(id, patch).await.map_err(step(format!("增资 {}", p.name)))?;
        let f = ReviewFilter {
            project_id: Some(id),
            kind: Some(ReviewKind::Reportable),
            state: Some(ReviewState::Submitted),
            ..Default::default()
        };
        let city_s = store.scoped(&city);
        let Some(claim) = city_s.list_reviews(&f).await.map_err(step("纳入全市库申报"))?.items.pop() else {
            continue;
        };
        match r.outcome {
            ClaimOutcome::Accepted => {
                city_s.accept_review(claim.id).await.map_err(step("审核纳入全市库"))?;
            }
            ClaimOutcome::Returned(comment) => {
                city_s.return_review(claim.id, comment.into()).await.map_err(step("退回纳入全市库"))?;
            }
            ClaimOutcome::Waiting | ClaimOutcome::Resubmitted { .. } => {}
        }
    }
    Ok(())
}
