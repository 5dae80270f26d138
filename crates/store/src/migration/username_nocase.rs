//! m20261201_000007: usernames are unique regardless of case (`City_Admin` beside
//! `city_admin` was allowed). The store compares names case-folded before it inserts; this
//! index is the database's own guard. On a database that already holds names differing
//! only in case it refuses with a message naming them: rename one first (`zhaoshang admin`
//! cannot rename, SQL can).

use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::prelude::*;

migration! {
    pub UsernameNocase = "m20261201_000007_username_nocase"; up: up; down: down
}

async fn up(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    // What the index would refuse, as the database folds case (SQLite: ASCII only).
    let sql = "SELECT username FROM users WHERE lower(username) IN \
               (SELECT lower(username) FROM users GROUP BY lower(username) HAVING COUNT(*) > 1) \
               ORDER BY lower(username), username";
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await?;
    let names: Vec<String> = rows.iter().map(|r| r.try_get::<String>("", "username")).collect::<Result<_, _>>()?;
    if !names.is_empty() {
        return Err(DbErr::Migration(format!(
            "用户名仅大小写不同，无法建立不区分大小写的唯一索引：{}。请先将其中之一改名后再升级",
            names.join("、")
        )));
    }
    // The same statement on both backends (an expression index, which SeaQuery's
    // builder does not express).
    db.execute_unprepared("CREATE UNIQUE INDEX ux_users_username_nocase ON users (lower(username))").await?;
    Ok(())
}

async fn down(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.get_connection().execute_unprepared("DROP INDEX ux_users_username_nocase").await?;
    Ok(())
}
