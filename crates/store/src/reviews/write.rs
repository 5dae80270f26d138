//! The review's writes. [`Tx::set_claim_state`] is THE one function that moves a claim:
//! the `reviews` row, its transition's or funds entry's `review_state`, and the project's
//! `review_state` / `accepted_stage` change together, in the caller's transaction.

use chrono::NaiveDate;
use domain::review::{self, ClaimAction, ClaimError, ReviewKind, ReviewState};
use domain::{AuditAction, Money, Permission, Stage};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Serialize;

use super::ReviewItem;
use crate::audit::Event;
use crate::entity::{funds_entry, project, review as row, transition};
use crate::handle::{one_shot, update_versioned_or};
use crate::projects::{review_of, stage_of};
use crate::{Result, StoreError, Tx};

/// A new claim: a transition to a reviewed stage, or a funds entry, made by a unit.
pub(crate) struct NewClaim {
    pub project_id: i64,
    pub kind: ReviewKind,
    pub transition_id: Option<i64>,
    pub funds_entry_id: Option<i64>,
    pub stage: Option<Stage>,
    pub date: NaiveDate,
    pub amount: Option<Money>,
}

impl NewClaim {
    /// A claim to `stage`, made by the transition `transition_id`.
    pub fn stage(project_id: i64, transition_id: i64, stage: Option<Stage>, date: NaiveDate) -> NewClaim {
        NewClaim {
            project_id,
            kind: ReviewKind::Stage,
            transition_id: Some(transition_id),
            funds_entry_id: None,
            stage,
            date,
            amount: None,
        }
    }

    /// A funds entry's claim.
    pub fn funds(project_id: i64, funds_entry_id: i64, date: NaiveDate, amount: Money) -> NewClaim {
        NewClaim {
            project_id,
            kind: ReviewKind::Funds,
            transition_id: None,
            funds_entry_id: Some(funds_entry_id),
            stage: None,
            date,
            amount: Some(amount),
        }
    }
}

/// What a unit corrects when it resubmits a returned claim (blank: unchanged).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Resubmission {
    pub date: Option<NaiveDate>,
    pub amount: Option<Money>,
    pub note: Option<String>,
}

one_shot! {
    write
    /// The city accepts a submitted claim.
    fn accept_review(id: i64) -> ReviewItem;
    write
    /// The city accepts several submitted claims at once (all or none).
    fn accept_reviews(ids: Vec<i64>) -> Vec<ReviewItem>;
    write
    /// The city returns a submitted claim with a comment.
    fn return_review(id: i64, comment: String) -> ReviewItem;
    write
    /// The unit resubmits a returned claim, corrected.
    fn resubmit_review(id: i64, fix: Resubmission) -> ReviewItem;
}

fn claim_error(e: ClaimError) -> StoreError {
    match e {
        ClaimError::NotReviewer | ClaimError::NotClaimant => StoreError::Forbidden,
        ClaimError::NotWaiting(..) | ClaimError::NotReturned(_) => StoreError::Conflict(e.to_string()),
        ClaimError::CommentRequired | ClaimError::CommentTooLong => {
            StoreError::field("comment", e.to_string().trim_start_matches("审核意见：").to_string())
        }
    }
}

impl Tx<'_> {
    /// Record a new claim as submitted (the transition or the entry is already written).
    pub(crate) async fn open_claim(&self, c: NewClaim) -> Result<i64> {
        Ok(self.claim_row(c).insert(&self.txn).await?.id)
    }

    /// The claims of projects just loaded in bulk: one per submitted transition and entry.
    pub(crate) async fn open_claims_of(&self, project_ids: &[i64]) -> Result<()> {
        let submitted = ReviewState::Submitted.code();
        for chunk in project_ids.chunks(400) {
            let mut rows: Vec<row::ActiveModel> = vec![];
            let ts = transition::Entity::find()
                .filter(transition::Column::ProjectId.is_in(chunk.to_vec()))
                .filter(transition::Column::ReviewState.eq(submitted))
                .all(&self.txn)
                .await?;
            rows.extend(
                ts.into_iter()
                    .map(|t| self.claim_row(NewClaim::stage(t.project_id, t.id, Stage::parse(&t.to_stage), t.date))),
            );
            let fs = funds_entry::Entity::find()
                .filter(funds_entry::Column::ProjectId.is_in(chunk.to_vec()))
                .filter(funds_entry::Column::ReviewState.eq(submitted))
                .all(&self.txn)
                .await?;
            rows.extend(fs.into_iter().map(|f| {
                self.claim_row(NewClaim::funds(f.project_id, f.id, f.date, Money::from_hundredths(f.amount)))
            }));
            for part in rows.chunks(200) {
                row::Entity::insert_many(part.to_vec()).exec_without_returning(&self.txn).await?;
            }
        }
        Ok(())
    }

    fn claim_row(&self, c: NewClaim) -> row::ActiveModel {
        row::ActiveModel {
            kind: Set(c.kind.code().into()),
            project_id: Set(c.project_id),
            transition_id: Set(c.transition_id),
            funds_entry_id: Set(c.funds_entry_id),
            stage: Set(c.stage.map(|s| s.code().to_string())),
            date: Set(c.date),
            amount: Set(c.amount.map(Money::hundredths)),
            state: Set(ReviewState::Submitted.code().into()),
            submitted_by: Set(self.actor().user_id),
            submitted_at: Set(crate::now()),
            resubmissions: Set(0),
            version: Set(1),
            ..Default::default()
        }
    }

    pub async fn accept_review(&self, id: i64) -> Result<ReviewItem> {
        self.decide(id, ClaimAction::Accept, "", Resubmission::default()).await
    }

    pub async fn accept_reviews(&self, ids: Vec<i64>) -> Result<Vec<ReviewItem>> {
        if ids.is_empty() {
            return Err(StoreError::field("ids", "请至少选择一条申报"));
        }
        let ids = crate::text::dedup(ids);
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            // the batch fails whole; the message says which claim stopped it
            let item = self.accept_review(id).await.map_err(|e| match e {
                StoreError::Conflict(m) => StoreError::Conflict(format!("申报 {id}：{m}")),
                other => other,
            })?;
            out.push(item);
        }
        Ok(out)
    }

    pub async fn return_review(&self, id: i64, comment: String) -> Result<ReviewItem> {
        self.decide(id, ClaimAction::Return, &comment, Resubmission::default()).await
    }

    pub async fn resubmit_review(&self, id: i64, fix: Resubmission) -> Result<ReviewItem> {
        self.decide(id, ClaimAction::Resubmit, "", fix).await
    }

    /// One action on one claim: scope, the life cycle's rule, the change, the audit record.
    async fn decide(&self, id: i64, action: ClaimAction, comment: &str, fix: Resubmission) -> Result<ReviewItem> {
        let claim = row::Entity::find_by_id(id).one(&self.txn).await?.ok_or(StoreError::NotFound)?;
        let perm = if action == ClaimAction::Resubmit { Permission::ReviewSubmit } else { Permission::ReviewDecide };
        self.project_row(claim.project_id, perm).await?;
        let state =
            review::review_claim(review_of(&claim.state), action, &self.actor().roles, comment).map_err(claim_error)?;
        let before = self.s.review_items(&self.txn, vec![claim.clone()]).await?.pop();
        let claim = if action == ClaimAction::Resubmit { self.correct_claim(claim, &fix).await? } else { claim };
        let comment = (action == ClaimAction::Return).then(|| comment.trim().to_string());
        let after = self.set_claim_state(claim, state, comment).await?;
        let audit = match action {
            ClaimAction::Accept => AuditAction::ReviewAccept,
            ClaimAction::Return => AuditAction::ReviewReturn,
            ClaimAction::Resubmit => AuditAction::ReviewResubmit,
        };
        let item = self.s.review_items(&self.txn, vec![after]).await?.pop().ok_or(StoreError::NotFound)?;
        let ev = Event::ok(audit, "review", id).before(&before);
        let ev = if action == ClaimAction::Resubmit {
            ev.after(serde_json::json!({"review": &item, "corrections": fix}))
        } else {
            ev.after(&item)
        };
        self.audit(ev).await?;
        Ok(item)
    }

    /// A resubmission's corrections, written to the claim and to what it claims.
    async fn correct_claim(&self, mut claim: row::Model, fix: &Resubmission) -> Result<row::Model> {
        let mut errors = vec![];
        domain::fields::REVIEW.check_opt("note", fix.note.as_deref(), &mut errors);
        if fix.date.is_some_and(|d| d > domain::today_shanghai()) {
            errors.push(domain::FieldError::new("date", "日期不能晚于今天"));
        }
        // a city-reportable claim claims no date: the unit may only explain (the note is kept
        // in the audit record of the resubmission)
        if fix.date.is_some_and(|d| d != claim.date) && claim.kind == ReviewKind::Reportable.code() {
            errors.push(domain::FieldError::new("date", "纳入全市库的申报没有可修改的日期"));
        }
        if fix.amount.is_some() && claim.kind != ReviewKind::Funds.code() {
            errors.push(domain::FieldError::new("amount", "只有到位资金的申报有金额"));
        }
        if fix.amount == Some(Money::ZERO) {
            errors.push(domain::FieldError::new("amount", "金额必须大于0"));
        }
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let note = fix.note.as_ref().map(|n| Some(n.trim().to_string()).filter(|n| !n.is_empty()));
        if let Some(d) = fix.date {
            claim.date = d;
        }
        if let Some(a) = fix.amount {
            claim.amount = Some(a.hundredths());
        }
        if let Some(t) = claim.transition_id {
            let mut am = transition::ActiveModel { id: Set(t), date: Set(claim.date), ..Default::default() };
            if let Some(n) = note.clone() {
                am.note = Set(n);
            }
            am.update(&self.txn).await?;
            if let (Some(d), Some(stage)) = (fix.date, claim.stage.as_deref().map(stage_of)) {
                self.correct_stage_date(claim.project_id, stage, d).await?;
            }
        }
        if let Some(f) = claim.funds_entry_id {
            let mut am = funds_entry::ActiveModel { id: Set(f), date: Set(claim.date), ..Default::default() };
            if let Some(a) = claim.amount {
                am.amount = Set(a);
            }
            if let Some(n) = note {
                am.note = Set(n);
            }
            am.update(&self.txn).await?;
        }
        Ok(claim)
    }

    /// The claimed stage's date on the project, corrected by a resubmission.
    async fn correct_stage_date(&self, project_id: i64, stage: Stage, d: NaiveDate) -> Result<()> {
        let mut am = project::ActiveModel { id: Set(project_id), ..Default::default() };
        match stage {
            Stage::Signed => am.signed_on = Set(Some(d)),
            Stage::Started => am.started_on = Set(Some(d)),
            Stage::Producing => am.producing_on = Set(Some(d)),
            Stage::AtCapacity => am.at_capacity_on = Set(Some(d)),
            _ => return Ok(()),
        }
        am.update(&self.txn).await?;
        Ok(())
    }

    /// THE one place a claim changes state: the `reviews` row (reviewer, time, comment, the
    /// Asia/Shanghai date of acceptance, resubmissions), the transition's or funds entry's
    /// `review_state`, and for a stage claim the project's review state and accepted stage.
    /// A `reportable` claim has neither transition nor funds entry and is no stage claim: its
    /// acceptance is recorded on the row alone.
    pub(crate) async fn set_claim_state(
        &self,
        claim: row::Model,
        state: ReviewState,
        comment: Option<String>,
    ) -> Result<row::Model> {
        let now = crate::now();
        let resubmitted = state == ReviewState::Submitted;
        let mut am = row::ActiveModel {
            state: Set(state.code().into()),
            date: Set(claim.date),
            amount: Set(claim.amount),
            version: Set(claim.version + 1),
            ..Default::default()
        };
        if resubmitted {
            am.submitted_at = Set(now);
            am.submitted_by = Set(self.actor().user_id);
            am.resubmissions = Set(claim.resubmissions + 1);
        } else {
            am.reviewed_by = Set(self.actor().user_id);
            am.reviewed_at = Set(Some(now));
            am.comment = Set(comment);
            am.accepted_on = Set((state == ReviewState::Accepted).then(|| domain::shanghai_date(now)));
        }
        self.update_claim(&claim, am).await?;
        let code = state.code().to_string();
        if let Some(t) = claim.transition_id {
            transition::Entity::update_many()
                .col_expr(transition::Column::ReviewState, sea_orm::sea_query::Expr::value(code.clone()))
                .filter(transition::Column::Id.eq(t))
                .exec(&self.txn)
                .await?;
        }
        if let Some(f) = claim.funds_entry_id {
            funds_entry::Entity::update_many()
                .col_expr(funds_entry::Column::ReviewState, sea_orm::sea_query::Expr::value(code))
                .filter(funds_entry::Column::Id.eq(f))
                .exec(&self.txn)
                .await?;
        }
        if claim.kind == ReviewKind::Stage.code() {
            self.sync_project(&claim, state).await?;
        }
        row::Entity::find_by_id(claim.id).one(&self.txn).await?.ok_or(StoreError::NotFound)
    }

    /// The versioned update of one claim: a claim another reviewer (or the unit) moved first
    /// loses with 409.
    pub(super) async fn update_claim(&self, claim: &row::Model, am: row::ActiveModel) -> Result<()> {
        let lost = || StoreError::Conflict("该申报已被他人处理，请刷新后重试".into());
        let (id, version) = ((row::Column::Id, claim.id), (row::Column::Version, claim.version));
        update_versioned_or(&self.txn, am, id, version, sea_orm::Condition::all(), lost).await
    }

    /// The project's review state and accepted stage after one of its stage claims moved.
    async fn sync_project(&self, claim: &row::Model, state: ReviewState) -> Result<()> {
        let p = project::Entity::find_by_id(claim.project_id).one(&self.txn).await?.ok_or(StoreError::NotFound)?;
        let others: Vec<ReviewState> = row::Entity::find()
            .filter(row::Column::ProjectId.eq(claim.project_id))
            .filter(row::Column::Kind.eq(ReviewKind::Stage.code()))
            .filter(row::Column::Id.ne(claim.id))
            .filter(row::Column::State.is_in([ReviewState::Submitted.code(), ReviewState::Returned.code()]))
            .all(&self.txn)
            .await?
            .iter()
            .map(|r| review_of(&r.state))
            .collect();
        let claimed = claim.stage.as_deref().map(stage_of).unwrap_or(Stage::Reserve);
        let (after, accepted) =
            review::review_after_decision(state, claimed, &others, stage_of(&p.accepted_stage), stage_of(&p.stage));
        let am = project::ActiveModel {
            review_state: Set(after.code().into()),
            accepted_stage: Set(accepted.code().into()),
            ..Default::default()
        };
        self.store().save_versioned(&self.txn, am, p.id, p.version).await?;
        Ok(())
    }
}
