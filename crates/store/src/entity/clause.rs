//! The `clauses` table: an agreement's clauses.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clauses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agreement_id: i64,
    pub project_id: i64,
    pub number: String,
    pub text: String,
    pub obligor: String,
    /// Hundredths of 万元.
    pub due_amount: Option<i64>,
    /// Hundredths of 亩.
    pub due_area: Option<i64>,
    pub due_on: Option<Date>,
    pub status: String,
    pub status_on: Option<Date>,
    pub note: Option<String>,
    pub created_by: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
