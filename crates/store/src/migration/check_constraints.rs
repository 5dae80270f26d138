//! m20261201_000006: the vocabularies' codes as CHECK constraints, built from the enums'
//! own tables (domain::{ReviewState, FundsKind, UnitKind}, domain::stage::ALL), so the
//! database refuses a code the domain does not know.
//!
//! PostgreSQL: `ALTER TABLE … ADD CONSTRAINT … CHECK (…)`. SQLite cannot add a CHECK to an
//! existing table (only by rebuilding it, which with the foreign keys, indexes and the
//! 100,000-row tables is not worth the risk inside a migration): there, BEFORE INSERT and
//! BEFORE UPDATE OF triggers RAISE(ABORT) with the same condition and the same name. Neither
//! changes a column, key or index, so both schemas stay the same.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

migration! {
    pub(super) CheckConstraints = "m20261201_000006_check_constraints"; up: up; down: down
}

/// The message a refused row carries (both databases).
pub const CHECK_MESSAGE: &str = "CHECK constraint failed";

/// (constraint name, table, column, allowed codes); a NULL passes (as in SQL's CHECK).
pub fn checks() -> Checks {
    let stages: Vec<&'static str> = domain::stage::ALL.iter().map(|s| s.code()).collect();
    let review = domain::ReviewState::CODES.to_vec();
    let spec: [(&'static str, &'static str, Vec<&'static str>); 9] = [
        ("projects", "review_state", review.clone()),
        ("projects", "stage", stages.clone()),
        ("projects", "accepted_stage", stages.clone()),
        ("projects", "paused_from", stages.clone()),
        ("transitions", "from_stage", stages.clone()),
        ("transitions", "to_stage", stages),
        ("transitions", "review_state", review.clone()),
        ("funds_entries", "review_state", review),
        ("funds_entries", "kind", domain::FundsKind::CODES.to_vec()),
    ];
    let mut out: Vec<_> = spec.into_iter().map(|(t, c, v)| (format!("ck_{t}_{c}"), t, c, v)).collect();
    out.push(("ck_units_kind".into(), "units", "kind", domain::UnitKind::CODES.to_vec()));
    out
}

/// `column IN ('a', 'b', …)`. The codes are our own literals; one with a quote is refused.
fn condition(column: &str, codes: &[&str]) -> Result<String, DbErr> {
    if let Some(bad) = codes.iter().find(|c| !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')) {
        return Err(DbErr::Migration(format!("code {bad:?} cannot go into a CHECK")));
    }
    let list = codes.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ");
    Ok(format!("{column} IN ({list})"))
}

/// A (constraint name, table, column, allowed codes) list of [`checks`]' form.
pub(super) type Checks = Vec<(String, &'static str, &'static str, Vec<&'static str>)>;

async fn up(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    add(m, checks()).await
}

async fn down(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    remove(m, checks()).await
}

/// Add each check (PostgreSQL: a CHECK constraint; SQLite: the two triggers).
pub(super) async fn add(m: &SchemaManager<'_>, checks: Checks) -> Result<(), DbErr> {
    let db = m.get_connection();
    let backend = db.get_database_backend();
    for (name, table, column, codes) in checks {
        let cond = condition(column, &codes)?;
        let statements = match backend {
            DbBackend::Postgres => vec![format!("ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({cond})")],
            _ => {
                let raise = format!("BEGIN SELECT RAISE(ABORT, '{CHECK_MESSAGE}: {name}'); END");
                vec![
                    format!(
                        "CREATE TRIGGER {name}_insert BEFORE INSERT ON {table} FOR EACH ROW WHEN NOT ({}) {raise}",
                        cond.replacen(column, &format!("NEW.{column}"), 1)
                    ),
                    format!(
                        "CREATE TRIGGER {name}_update BEFORE UPDATE OF {column} ON {table} FOR EACH ROW WHEN NOT ({}) {raise}",
                        cond.replacen(column, &format!("NEW.{column}"), 1)
                    ),
                ]
            }
        };
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
    }
    Ok(())
}

/// Remove each check [`add`] added.
pub(super) async fn remove(m: &SchemaManager<'_>, checks: Checks) -> Result<(), DbErr> {
    let db = m.get_connection();
    for (name, table, _, _) in checks {
        let statements = match db.get_database_backend() {
            DbBackend::Postgres => vec![format!("ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")],
            _ => vec![format!("DROP TRIGGER IF EXISTS {name}_insert"), format!("DROP TRIGGER IF EXISTS {name}_update")],
        };
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
    }
    Ok(())
}
