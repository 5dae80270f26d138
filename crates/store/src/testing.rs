//! Test support: every storage test runs twice, on a fresh SQLite file and on a fresh
//! PostgreSQL database of the throwaway cluster that `scripts/test` starts.
//!
//! `ZHAOSHANG_TEST_PG_URL` names that cluster. Without it the PostgreSQL half fails, so a
//! run cannot silently test one backend; `ZHAOSHANG_SKIP_PG=1` skips it explicitly for a
//! quick local loop.

use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

use crate::{Store, StoreConfig};

/// Keeps the SQLite temp folder alive for the test's duration.
pub struct Guard {
    _dir: Option<tempfile::TempDir>,
    pub url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A database URL for a fresh, empty database; None when PostgreSQL is explicitly skipped.
pub async fn fresh_url(backend: Backend) -> Option<Guard> {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir for a test database");
            let url = format!("sqlite://{}/test.db", dir.path().display());
            Some(Guard { _dir: Some(dir), url })
        }
        Backend::Postgres => {
            let Ok(admin) = std::env::var("ZHAOSHANG_TEST_PG_URL") else {
                if std::env::var("ZHAOSHANG_SKIP_PG").is_ok_and(|v| v == "1") {
                    eprintln!("PostgreSQL half skipped (ZHAOSHANG_SKIP_PG=1)");
                    return None;
                }
                panic!(
                    "ZHAOSHANG_TEST_PG_URL is not set: run the tests with scripts/test (or set ZHAOSHANG_SKIP_PG=1 to skip PostgreSQL knowingly)"
                );
            };
            let name = format!(
                "zs_t{}_{}_{}",
                std::process::id(),
                chrono::Utc::now().timestamp_micros(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            );
            let conn = Database::connect(&admin).await.expect("connect to the test PostgreSQL cluster");
            conn.execute_raw(Statement::from_string(DbBackend::Postgres, format!("CREATE DATABASE {name}")))
                .await
                .expect("create a test database");
            let _ = conn.close().await;
            let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin);
            Some(Guard { _dir: None, url: format!("{base}/{name}") })
        }
    }
}

/// A migrated store on a fresh database.
pub async fn fresh(backend: Backend) -> Option<(Store, Guard)> {
    let g = fresh_url(backend).await?;
    let store =
        Store::open(&StoreConfig { url: g.url.clone(), max_connections: 4 }).await.expect("open the test store");
    Some((store, g))
}

/// Turn one async test body into a SQLite test and a PostgreSQL test:
/// `db_test!(name, |store| { ... });`
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$store:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            $crate::db_test!(@on sqlite Sqlite, |$store| $body);
            $crate::db_test!(@on postgres Postgres, |$store| $body);
        }
    };
    (@on $test:ident $backend:ident, |$store:ident| $body:block) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $test() {
            let Some(($store, _guard)) = $crate::testing::fresh($crate::testing::Backend::$backend).await else {
                return;
            };
            $body
        }
    };
}

/// What an attacker with the database owner's rights can do first: drop the triggers that
/// keep `audit_log` append-only, so a test can then tamper and check the chain notices.
pub async fn drop_audit_guards(store: &Store) {
    let sql: &[&str] = match store.backend() {
        DbBackend::Postgres => {
            &["DROP TRIGGER audit_log_no_change ON audit_log", "DROP TRIGGER audit_log_no_truncate ON audit_log"]
        }
        _ => &["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"],
    };
    for s in sql {
        store.db().execute_unprepared(s).await.expect("drop the audit guard");
    }
}

/// The shared setup of the storage tests (and of other crates' tests).
pub mod fixtures;
