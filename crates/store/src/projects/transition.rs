//! Stage transitions (domain.md §4) and the review that follows a claim.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::fields::TRANSITION;
use domain::stage::{self, StageDates, StageState, TransitionRequest};
use domain::{Permission, Stage};
use sea_orm::{ActiveModelTrait, Set};
use serde::Serialize;

use super::{Project, review_of, stage_of, stale};
use crate::audit::Event;
use crate::entity::{project, transition};
use crate::handle::one_shot;
use crate::reviews::NewClaim;
use crate::{Result, StoreError, Tx};

#[derive(Debug, Clone, Serialize)]
pub struct TransitionInput {
    pub to: Stage,
    pub date: NaiveDate,
    pub skipped_dates: BTreeMap<Stage, NaiveDate>,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub version: Option<i32>,
}

impl TransitionInput {
    /// The lengths of the texts (the field table's maxima).
    pub(crate) fn check(&self) -> Result<()> {
        let mut errors = vec![];
        TRANSITION.check_opt("note", self.note.as_deref(), &mut errors);
        TRANSITION.check_opt("reason", self.reason.as_deref(), &mut errors);
        if errors.is_empty() { Ok(()) } else { Err(StoreError::Validation(errors)) }
    }
}

one_shot! {
    write
    /// Move a project to another stage under the rules of domain.md §4.
    fn transition_project(id: i64, input: TransitionInput) -> Project;
}

impl Tx<'_> {
    /// Move a project to another stage under the rules of domain.md §4 (the API, the
    /// importer): the rules decide, the row is updated versioned, the transition row and
    /// the audit record are written in this transaction.
    pub async fn transition_project(&self, id: i64, input: TransitionInput) -> Result<Project> {
        let (store, txn, actor) = (self.store(), &self.txn, self.actor());
        input.check()?;
        let row = self.live_project_row(id, Permission::ProjectTransition, "项目已删除，不能变更阶段").await?;
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
        // 审核: a unit's claim to a reviewed stage waits, where the setting reviews the project
        let policy = store.review_policy_on(txn).await?;
        let is_claim = !actor.is_city() && domain::review::needs_review(input.to, row.city_reportable, policy);
        let (review_state, accepted) = domain::review::review_after_claim(
            actor.is_city(),
            is_claim,
            review_of(&row.review_state),
            stage_of(&row.accepted_stage),
            next.stage,
        );
        let accepted = accepted.code().to_string();
        let before = store.hydrate(txn, vec![row.clone()]).await?.pop().ok_or(StoreError::NotFound)?;
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
        let row = store.save_versioned(txn, am, id, row.version).await?;
        let skipped = if input.skipped_dates.is_empty() {
            None
        } else {
            serde_json::to_string(
                &input.skipped_dates.iter().map(|(s, d)| (s.code(), d.to_string())).collect::<BTreeMap<_, _>>(),
            )
            .ok()
        };
        let t = transition::ActiveModel {
            project_id: Set(id),
            from_stage: Set(state.stage.code().into()),
            to_stage: Set(input.to.code().into()),
            date: Set(input.date),
            note: Set(input.note.clone().filter(|s| !s.trim().is_empty())),
            reason: Set(input.reason.clone().filter(|s| !s.trim().is_empty())),
            skipped_dates: Set(skipped),
            correction: Set(applied.correction),
            review_state: Set(domain::review::claim_state(!is_claim).code().into()),
            created_by: Set(actor.user_id),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        if is_claim {
            self.open_claim(NewClaim::stage(id, t.id, Some(input.to), input.date)).await?;
        }
        let after = store.hydrate(txn, vec![row]).await?.pop().ok_or(StoreError::NotFound)?;
        let action = if applied.correction {
            domain::AuditAction::ProjectCorrectStage
        } else {
            domain::AuditAction::ProjectTransition
        };
        self.audit(
            Event::ok(action, "project", id)
                .before(serde_json::json!({"stage": before.stage, "dates": state.dates}))
                .after(serde_json::json!({"stage": after.stage, "dates": next.dates, "input": input})),
        )
        .await?;
        Ok(after)
    }
}
