//! The `problems` table (困难和问题).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "problems")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub title: String,
    pub detail: Option<String>,
    pub assignee_unit_id: i64,
    pub due_on: Option<Date>,
    pub status: String,
    pub resolution: Option<String>,
    pub resolved_on: Option<Date>,
    /// `ledger` (opened by the 存在问题 column) or `manual`.
    pub source: String,
    pub created_by: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
