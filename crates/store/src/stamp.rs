//! The bookkeeping columns every versioned row carries (`version`, `created_at`,
//! `updated_at`, and `created_by` where the table has it), set in one place: a new row
//! starts at version 1, stamped now by the actor; an update bumps the version it read.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Value};

use crate::entity::{
    activity, agreement, ambassador, ambassador_payout, assessment_adjustment, assessment_manual_value, bulletin,
    clause, company, company_contact, company_ranking, dept_task, inquiry, leader, milestone, outcome, problem, target,
    user,
};
use crate::supervisions::entity as supervision;
use crate::{Result, Tx};

type Col<A> = <<A as ActiveModelTrait>::Entity as EntityTrait>::Column;
pub(crate) type Model<A> = <<A as ActiveModelTrait>::Entity as EntityTrait>::Model;

/// A row with the bookkeeping columns.
pub trait Versioned: ActiveModelTrait + ActiveModelBehavior + Send {
    const VERSION: Col<Self>;
    const CREATED_AT: Col<Self>;
    const UPDATED_AT: Col<Self>;
    /// `None`: the table does not record its creator.
    const CREATED_BY: Option<Col<Self>>;

    /// The next version after `read`, updated `now`.
    fn bump(&mut self, read: i32, now: DateTime<Utc>) -> Result<()> {
        self.try_set(Self::VERSION, Value::from(read + 1))?;
        self.try_set(Self::UPDATED_AT, Value::from(now))?;
        Ok(())
    }
}

/// `Versioned` for the tables named: module, then whether it has `created_by`.
macro_rules! versioned {
    ($($m:ident $by:tt),* $(,)?) => {$(
        impl Versioned for $m::ActiveModel {
            const VERSION: $m::Column = $m::Column::Version;
            const CREATED_AT: $m::Column = $m::Column::CreatedAt;
            const UPDATED_AT: $m::Column = $m::Column::UpdatedAt;
            const CREATED_BY: Option<$m::Column> = versioned!(@by $m $by);
        }
    )*};
    (@by $m:ident by) => { Some($m::Column::CreatedBy) };
    (@by $m:ident -) => { None };
}

versioned! {
    agreement by, clause by, company_contact by, company_ranking by, dept_task by, inquiry by, milestone by, outcome by, problem by, target by, supervision by, leader by, activity by, ambassador by, ambassador_payout by, assessment_manual_value by, assessment_adjustment by, bulletin by, company -, user -,
}

/// Insert a new row at version 1, created now (`by`, where the table says who).
pub(crate) async fn insert_new_on<A, C>(db: &C, mut am: A, by: Option<i64>) -> Result<Model<A>>
where
    A: Versioned,
    Model<A>: IntoActiveModel<A>,
    C: ConnectionTrait,
{
    let now = crate::now();
    am.try_set(A::VERSION, Value::from(1))?;
    am.try_set(A::CREATED_AT, Value::from(now))?;
    am.try_set(A::UPDATED_AT, Value::from(now))?;
    if let Some(col) = A::CREATED_BY {
        am.try_set(col, Value::from(by))?;
    }
    Ok(am.insert(db).await?)
}

impl Tx<'_> {
    /// Insert a new row at version 1, created now (by this actor where the table says who).
    pub(crate) async fn insert_new<A>(&self, am: A) -> Result<Model<A>>
    where
        A: Versioned,
        Model<A>: IntoActiveModel<A>,
    {
        insert_new_on(&self.txn, am, self.actor().user_id).await
    }
}
