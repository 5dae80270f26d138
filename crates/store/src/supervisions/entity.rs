//! The `supervisions` table (督办).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "supervisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub warning_key: Option<String>,
    pub project_id: i64,
    pub unit_id: i64,
    pub deadline: Date,
    pub instruction: String,
    pub status: String,
    pub reply: Option<String>,
    pub replied_by: Option<i64>,
    pub replied_at: Option<DateTimeUtc>,
    pub closed_by: Option<i64>,
    pub closed_at: Option<DateTimeUtc>,
    pub created_by: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
