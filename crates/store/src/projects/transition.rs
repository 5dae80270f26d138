//! Stage transitions (domain.md §4) and the review that follows a claim.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::stage::{self, StageDates, StageState, TransitionRequest};
use domain::{Permission, Stage};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, Set};
use serde::Serialize;

use super::{Project, review_after, review_of, stage_of, stale};
use crate::audit::{self, Event};
use crate::entity::{project, transition};
use crate::{Actor, Result, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct TransitionInput {
    pub to: Stage,
    pub date: NaiveDate,
    pub skipped_dates: BTreeMap<Stage, NaiveDate>,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub version: Option<i32>,
}

impl Store {
    /// Move a project to another stage under the rules of domain.md §4.
    pub async fn transition_project(&self, actor: &Actor, id: i64, input: TransitionInput) -> Result<Project> {
        let txn = self.write().await?;
        let p = self.apply_transition(&txn, actor, id, input).await?;
        txn.commit().await?;
        Ok(p)
    }

    /// The transition inside a caller's transaction (the API, the importer, the demo).
    pub async fn apply_transition(
        &self,
        txn: &DatabaseTransaction,
        actor: &Actor,
        id: i64,
        input: TransitionInput,
    ) -> Result<Project> {
        let row = self.scoped_project_row(txn, actor, id).await?;
        if row.deleted_at.is_some() {
            return Err(StoreError::Conflict("项目已删除，不能变更阶段".into()));
        }
        if input.version.is_some_and(|v| v != row.version) {
            return Err(stale());
        }
        let state = StageState {
            stage: stage_of(&row.stage),
            paused_from: row.paused_from.as_deref().map(stage_of),
            dates: StageDates {
                signed_on: row.signed_on,
                approved_on: row.approved_on,
                started_on: row.started_on,
                producing_on: row.producing_on,
                at_capacity_on: row.at_capacity_on,
            },
            last_date: row.last_transition_on,
        };
        let req = TransitionRequest {
            to: input.to,
            date: input.date,
            skipped_dates: input.skipped_dates.clone(),
            reason: input.reason.clone(),
            may_correct: domain::access::has_permission(&actor.roles, Permission::ProjectCorrect),
            today: domain::today_shanghai(),
        };
        let applied = stage::apply(&state, &req).map_err(|e| StoreError::Conflict(e.to_string()))?;
        let next = applied.state;
        let (review_state, accepted) = review_after(
            actor.is_city(),
            input.to,
            review_of(&row.review_state),
            stage_of(&row.accepted_stage),
            next.stage,
        );
        let accepted = accepted.code().to_string();
        let before = self.hydrate(txn, vec![row.clone()]).await?.pop().ok_or(StoreError::NotFound)?;
        let am = project::ActiveModel {
            stage: Set(next.stage.code().into()),
            paused_from: Set(next.paused_from.map(|s| s.code().to_string())),
            accepted_stage: Set(accepted),
            review_state: Set(review_state.code().into()),
            signed_on: Set(next.dates.signed_on),
            approved_on: Set(next.dates.approved_on),
            started_on: Set(next.dates.started_on),
            producing_on: Set(next.dates.producing_on),
            at_capacity_on: Set(next.dates.at_capacity_on),
            last_transition_on: Set(next.last_date),
            ..Default::default()
        };
        let row = self.save_versioned(txn, am, id, row.version).await?;
        let skipped = if input.skipped_dates.is_empty() {
            None
        } else {
            serde_json::to_string(
                &input.skipped_dates.iter().map(|(s, d)| (s.code(), d.to_string())).collect::<BTreeMap<_, _>>(),
            )
            .ok()
        };
        transition::ActiveModel {
            project_id: Set(id),
            from_stage: Set(state.stage.code().into()),
            to_stage: Set(input.to.code().into()),
            date: Set(input.date),
            note: Set(input.note.clone().filter(|s| !s.trim().is_empty())),
            reason: Set(input.reason.clone().filter(|s| !s.trim().is_empty())),
            skipped_dates: Set(skipped),
            correction: Set(applied.correction),
            review_state: Set(domain::review::transition_claim_state(actor.is_city(), input.to).code().into()),
            created_by: Set(actor.user_id),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let after = self.hydrate(txn, vec![row]).await?.pop().ok_or(StoreError::NotFound)?;
        let action = if applied.correction {
            domain::AuditAction::ProjectCorrectStage
        } else {
            domain::AuditAction::ProjectTransition
        };
        audit::record(
            txn,
            actor,
            Event::ok(action, "project", id)
                .before(serde_json::json!({"stage": before.stage, "dates": state.dates}))
                .after(serde_json::json!({"stage": after.stage, "dates": next.dates, "input": input})),
        )
        .await?;
        Ok(after)
    }
}
