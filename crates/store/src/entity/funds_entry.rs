//! The `funds_entries` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "funds_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub date: Date,
    pub kind: String,
    /// Hundredths of 万元 (domestic) or 万美元 (foreign).
    pub amount: i64,
    pub note: Option<String>,
    pub review_state: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
