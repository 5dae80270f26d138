//! 纳入全市库 (domain.md §4, seed 三(一)一): a project that becomes city-reportable by a
//! unit's write (create, update, the importer, the bulk loader) waits in the city's queue
//! as a `reportable` claim with the reason it qualified, opened in the write's own
//! transaction and audited there (`review.open`).
//!
//! The rules, decided here once for every write path:
//! - one open claim per project: while one is submitted or returned, a later write only
//!   refreshes its reason (`review.reason`), it never opens another;
//! - the city's own writes open no claim (its stage and funds entries are not claims either,
//!   `Actor::is_city`): what the city records is accepted as it is made;
//! - a project that stops being city-reportable while its claim is open (submitted or
//!   returned) has the claim withdrawn: it moves to `none` (无需审核) with a comment saying
//!   why, leaves the queue and can no longer be accepted or resubmitted (`review.withdraw`);
//!   an accepted claim stays as the record of the city's decision. Becoming reportable
//!   again later opens a new claim.
//! - accepting records the city's acceptance only: `set_claim_state` changes no stage,
//!   funds entry or accepted stage for this kind.

use domain::review::{ReviewKind, ReviewState};
use domain::{AuditAction, Money};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::audit::Event;
use crate::entity::{company, review as row};
use crate::{Result, StoreError, Tx};

/// The comment a withdrawn claim carries.
pub const WITHDRAWN: &str = "项目已不再符合纳入全市招商引资信息数据库的条件，申报自动撤回";

/// The reason `investors` and `total` make a project city-reportable ("" when they do not).
pub(crate) fn reason_of(total: Money, investors: &[company::Model]) -> String {
    let ranked: Vec<_> = investors.iter().map(company::Model::ranked).collect();
    domain::project::reportable_reason(total, &ranked)
}

/// A new `reportable` claim of `project_id`, submitted today (Asia/Shanghai) by `by`.
pub(crate) fn claim_row(project_id: i64, reason: String, by: Option<i64>) -> row::ActiveModel {
    row::ActiveModel {
        kind: Set(ReviewKind::Reportable.code().into()),
        project_id: Set(project_id),
        transition_id: Set(None),
        funds_entry_id: Set(None),
        stage: Set(None),
        date: Set(domain::today_shanghai()),
        amount: Set(None),
        state: Set(ReviewState::Submitted.code().into()),
        submitted_by: Set(by),
        submitted_at: Set(crate::now()),
        resubmissions: Set(0),
        reason: Set(Some(reason)),
        version: Set(1),
        ..Default::default()
    }
}

/// Whether a write by a non-city actor of a project that was `was` and is now `reason`
/// (empty: not reportable) opens a claim when none is open.
pub(crate) fn opens(was: bool, reason: &str, by_city: bool) -> bool {
    !was && !reason.is_empty() && !by_city
}

impl Tx<'_> {
    /// Keep the project's `reportable` claim in step after a write that left it `reason`
    /// (empty: not city-reportable); `was` is whether it was city-reportable before.
    pub(crate) async fn sync_reportable_claim(&self, project_id: i64, was: bool, reason: String) -> Result<()> {
        let open = row::Entity::find()
            .filter(row::Column::ProjectId.eq(project_id))
            .filter(row::Column::Kind.eq(ReviewKind::Reportable.code()))
            .filter(row::Column::State.is_in([ReviewState::Submitted.code(), ReviewState::Returned.code()]))
            .one(&self.txn)
            .await?;
        match open {
            Some(claim) if reason.is_empty() => self.withdraw(claim).await,
            Some(claim) if claim.reason.as_deref() != Some(reason.as_str()) => self.refresh(claim, reason).await,
            Some(_) => Ok(()),
            None if opens(was, &reason, self.actor().is_city()) => {
                let claim = claim_row(project_id, reason, self.actor().user_id).insert(&self.txn).await?;
                let item = self.item(claim).await?;
                self.audit(Event::ok(AuditAction::ReviewOpen, "review", item.id).after(&item)).await?;
                Ok(())
            }
            None => Ok(()),
        }
    }

    async fn item(&self, claim: row::Model) -> Result<super::ReviewItem> {
        self.s.review_items(&self.txn, vec![claim]).await?.pop().ok_or(StoreError::NotFound)
    }

    /// An open claim's reason, brought up to date (it stays submitted or returned).
    async fn refresh(&self, claim: row::Model, reason: String) -> Result<()> {
        let before = self.item(claim.clone()).await?;
        let am = row::ActiveModel { reason: Set(Some(reason)), version: Set(claim.version + 1), ..Default::default() };
        let after = self.save_claim(&claim, am).await?;
        let ev = Event::ok(AuditAction::ReviewReason, "review", claim.id).before(&before).after(&after);
        self.audit(ev).await?;
        Ok(())
    }

    /// An open claim of a project no longer city-reportable: closed as needing no review.
    async fn withdraw(&self, claim: row::Model) -> Result<()> {
        let before = self.item(claim.clone()).await?;
        let am = row::ActiveModel {
            state: Set(ReviewState::None.code().into()),
            comment: Set(Some(WITHDRAWN.into())),
            reviewed_at: Set(Some(crate::now())),
            version: Set(claim.version + 1),
            ..Default::default()
        };
        let after = self.save_claim(&claim, am).await?;
        let ev = Event::ok(AuditAction::ReviewWithdraw, "review", claim.id).before(&before).after(&after);
        self.audit(ev).await?;
        Ok(())
    }

    /// The versioned update of one claim, as the item it becomes.
    async fn save_claim(&self, claim: &row::Model, am: row::ActiveModel) -> Result<super::ReviewItem> {
        self.update_claim(claim, am).await?;
        let fresh = row::Entity::find_by_id(claim.id).one(&self.txn).await?.ok_or(StoreError::NotFound)?;
        self.item(fresh).await
    }
}
