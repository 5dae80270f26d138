//! Funds in place (到位资金, domain.md §4): entries per project, reviewed like stage claims.

use chrono::{DateTime, NaiveDate, Utc};
use domain::fields::FUNDS;
use domain::{FieldError, Money, Permission};
use sea_orm::{ActiveModelTrait, Order, Set};
use serde::Serialize;

use crate::audit::Event;
use crate::entity::funds_entry;
use crate::handle::one_shot;
use crate::model_view::model_view;
use crate::reviews::NewClaim;
use crate::{Result, Scoped, StoreError, Tx};

/// The stored codes of the funds kinds (the one table is `domain::FundsKind`'s).
pub const KINDS: [&str; 2] = domain::FundsKind::CODES;

model_view! {
    #[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
    pub struct FundsEntry from funds_entry {
        pub id: i64,
        pub project_id: i64,
        pub date: NaiveDate,
        pub kind: String,
        #[schema(value_type = String)]
        pub amount: Money => Money::from_hundredths,
        pub note: Option<String>,
        pub review_state: String,
        pub created_at: DateTime<Utc>,
    }
}

#[derive(Debug, Clone)]
pub struct NewFunds {
    pub date: NaiveDate,
    pub kind: String,
    pub amount: Money,
    pub note: Option<String>,
}

/// What is wrong with an entry, field by field (empty when fine).
pub fn validate(new: &NewFunds) -> Vec<FieldError> {
    let mut errors = vec![];
    if domain::FundsKind::parse(&new.kind).is_none() {
        errors.push(FieldError::new("kind", "类型应为 domestic_out_of_province（省外资金）或 foreign（外资）"));
    }
    if new.amount == Money::ZERO {
        errors.push(FieldError::new("amount", "金额必须大于0"));
    }
    if new.date > domain::today_shanghai() {
        errors.push(FieldError::new("date", "到位日期不能晚于今天"));
    }
    FUNDS.check_opt("note", new.note.as_deref(), &mut errors);
    errors
}

impl Scoped<'_> {
    pub async fn list_funds(&self, project_id: i64) -> Result<Vec<FundsEntry>> {
        use funds_entry::Column::{Date, DeletedAt, Id, ProjectId};
        let (cols, order) = ((ProjectId, Some(DeletedAt)), [(Date, Order::Asc), (Id, Order::Asc)]);
        let rows = self.children::<funds_entry::Entity>(project_id, Permission::FundsRead, cols, &order).await?;
        Ok(rows.into_iter().map(FundsEntry::from).collect())
    }
}

one_shot! {
    write fn add_funds(project_id: i64, new: NewFunds) -> FundsEntry;
}

impl Tx<'_> {
    /// Add an entry to a live project in scope (the API, the importer, the demo).
    pub async fn add_funds(&self, project_id: i64, new: NewFunds) -> Result<FundsEntry> {
        let errors = validate(&new);
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let project = self.live_project_row(project_id, Permission::FundsWrite, "项目已删除").await?;
        let actor = self.actor();
        let policy = self.store().review_policy_on(&self.txn).await?;
        let is_claim = !actor.is_city() && domain::review::funds_need_review(project.city_reportable, policy);
        let m = funds_entry::ActiveModel {
            project_id: Set(project_id),
            date: Set(new.date),
            kind: Set(new.kind),
            amount: Set(new.amount.hundredths()),
            note: Set(new.note.filter(|s| !s.trim().is_empty())),
            // 审核: the city's own entries count at once; a unit's wait for review.
            review_state: Set(domain::review::claim_state(!is_claim).code().into()),
            created_by: Set(actor.user_id),
            created_at: Set(crate::now()),
            deleted_at: Set(None),
            ..Default::default()
        }
        .insert(&self.txn)
        .await?;
        let e = FundsEntry::from(m);
        if is_claim {
            self.open_claim(NewClaim::funds(project_id, e.id, e.date, e.amount)).await?;
        }
        self.audit(Event::ok(domain::AuditAction::FundsCreate, "funds_entry", e.id).after(&e)).await?;
        Ok(e)
    }
}

/// 已审核 totals of a project's entries per kind (the rule is `domain::funds::FundsTotals`).
pub fn accepted_totals(entries: &[FundsEntry]) -> domain::funds::FundsTotals {
    domain::funds::FundsTotals::of(entries.iter().filter_map(|e| {
        Some((domain::FundsKind::parse(&e.kind)?, domain::ReviewState::parse(&e.review_state)?, e.amount))
    }))
}
