//! The setting "review only city-reportable projects" (domain.md §4, 审核), stored in
//! `settings` under `review_policy`; absent means every project is reviewed.

use domain::Permission;
use domain::review::ReviewPolicy;
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::audit::Event;
use crate::entity::setting;
use crate::handle::one_shot;
use crate::{Result, Scoped, Store, Tx};

/// The settings key.
pub const KEY: &str = "review_policy";

impl Store {
    pub(crate) async fn review_policy_on<C: ConnectionTrait>(&self, db: &C) -> Result<ReviewPolicy> {
        let row = setting::Entity::find_by_id(KEY.to_string()).one(db).await?;
        Ok(row.and_then(|r| ReviewPolicy::parse(&r.value)).unwrap_or_default())
    }
}

impl Scoped<'_> {
    /// Which projects a unit's claims are reviewed on.
    pub async fn review_policy(&self) -> Result<ReviewPolicy> {
        self.store.review_policy_on(self.store.db()).await
    }
}

one_shot! {
    write
    /// Change the review setting (city_admin).
    fn set_review_policy(policy: ReviewPolicy) -> ReviewPolicy;
}

impl Tx<'_> {
    /// Change the review setting (city_admin), audited. Claims already made keep their state.
    pub async fn set_review_policy(&self, policy: ReviewPolicy) -> Result<ReviewPolicy> {
        self.s.require(Permission::ReviewDecide)?;
        let before = self.store().review_policy_on(&self.txn).await?;
        self.put_setting(KEY, policy.code()).await?;
        self.audit(
            Event::ok(domain::AuditAction::SettingUpdate, "setting", KEY).before(before.code()).after(policy.code()),
        )
        .await?;
        Ok(policy)
    }
}
