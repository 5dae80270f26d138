//! city_admin's pick of the year's ten (十大重大招商引资项目): checked by
//! `domain::assessment::top10::check_pick` against the year's candidates, replacing the
//! year's pick in one transaction, audited with before and after; refused (409) once a
//! bulletin of the year is published.

use std::collections::BTreeMap;

use domain::assessment::top10::{Pick, check_pick};
use domain::{AuditAction, Permission};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::{Top10Pick, candidate_units, candidates_on, frozen_on, picks_on, year_range};
use crate::audit::Event;
use crate::entity::top10_pick;
use crate::handle::one_shot;
use crate::{Result, Scope, StoreError, Tx};

one_shot! {
    write fn pick_top10(year: i32, picks: Vec<(i64, String)>) -> Vec<Top10Pick>;
}

impl Tx<'_> {
    /// Replace the year's pick with `picks` (project id, citation), in order: exactly ten
    /// distinct candidates of the year, each with a citation (422: `picks`,
    /// `picks[i].project_id`, `picks[i].citation`). `assessment:manage` with the city's
    /// scope (403 otherwise); 409 once a bulletin of that year is published.
    pub async fn pick_top10(&self, year: i32, picks: Vec<(i64, String)>) -> Result<Vec<Top10Pick>> {
        self.s.require(Permission::AssessmentManage)?;
        if self.actor().scope != Scope::All {
            return Err(StoreError::Forbidden);
        }
        year_range(year)?;
        let store = self.store();
        if frozen_on(&self.txn, year).await? {
            return Err(StoreError::Conflict(format!("{year} 年度的十大项目已随通报发布冻结，不能再修改")));
        }
        let before = picks_on(&self.txn, store, year).await?;
        let units = candidate_units(store, &Scope::All);
        let candidates = candidates_on(&self.txn, store, &units, year, &before).await?;
        let named: BTreeMap<i64, String> =
            candidates.iter().map(|c| (c.project_id, format!("{} {}", c.code, c.name))).collect();
        let picks: Vec<Pick> = picks.into_iter().map(|(project_id, citation)| Pick { project_id, citation }).collect();
        let errors = check_pick(&picks, &named);
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        top10_pick::Entity::delete_many().filter(top10_pick::Column::Year.eq(year)).exec(&self.txn).await?;
        let now = crate::now();
        for (i, p) in picks.iter().enumerate() {
            top10_pick::ActiveModel {
                year: Set(year),
                project_id: Set(p.project_id),
                position: Set(i32::try_from(i + 1).unwrap_or(i32::MAX)),
                citation: Set(p.citation.trim().to_string()),
                created_by: Set(self.actor().user_id),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&self.txn)
            .await?;
        }
        let after = picks_on(&self.txn, store, year).await?;
        self.audited(Event::ok(AuditAction::Top10Pick, "top10", year).before(&before), after).await
    }
}
