//! m20261201_000007: usernames are unique regardless of case (`City_Admin` beside
//! `city_admin` was allowed). The store compares names case-folded before it inserts; this
//! index is the database's own guard. It fails on a database that already holds two names
//! differing only in case: rename one first (`zhaoshang admin` cannot rename, SQL can).

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

pub struct UsernameNocase;

impl MigrationName for UsernameNocase {
    fn name(&self) -> &str {
        "m20261201_000007_username_nocase"
    }
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for UsernameNocase {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The same statement on both backends (an expression index, which SeaQuery's
        // builder does not express).
        m.get_connection()
            .execute_unprepared("CREATE UNIQUE INDEX ux_users_username_nocase ON users (lower(username))")
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP INDEX ux_users_username_nocase").await?;
        Ok(())
    }
}
