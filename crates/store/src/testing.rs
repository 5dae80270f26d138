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
pub mod fixtures {
    use std::collections::BTreeMap;

    use chrono::NaiveDate;
    use domain::{Money, Role, Stage};

    use crate::import::ImportRow;
    use crate::projects::{ProjectInput, TransitionInput};
    use crate::{Actor, Store};

    /// The audit records of `action` on the entity `id`, oldest first.
    pub async fn audits(store: &Store, action: &str, id: i64) -> Vec<crate::entity::audit_record::Model> {
        use crate::entity::audit_record::{Column, Entity};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        Entity::find()
            .filter(Column::Action.eq(action))
            .filter(Column::EntityId.eq(id.to_string()))
            .order_by_asc(Column::Id)
            .all(store.db())
            .await
            .expect("the audit log reads")
    }

    /// A date written `YYYY-MM-DD` (test literals only).
    pub fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date")
    }

    /// An amount written as 万元 (test literals only).
    pub fn m(s: &str) -> Money {
        Money::parse(s).expect("a test amount")
    }

    /// A user of `role` at unit `code`, with that role's scope (named `{code}_{role}`).
    pub fn actor(store: &Store, role: Role, code: &str) -> Actor {
        let tree = store.unit_tree();
        let u = tree.find(code).map(|u| u.id);
        Actor {
            user_id: None,
            username: format!("{code}_{}", role.code()),
            roles: vec![role],
            unit_id: u,
            scope: tree.scope_for(&[role], u),
            address: None,
            request_id: None,
        }
    }

    /// A new project of `unit` with a total investment: the smallest valid input.
    pub fn project(name: &str, unit: &str, total: &str) -> ProjectInput {
        ProjectInput {
            name: name.into(),
            unit: unit.into(),
            industry: "electronics.terminal".into(),
            region: "yangtze".into(),
            total_investment: m(total),
            ..Default::default()
        }
    }

    /// `input` created by `who` (the test's project; a refusal fails the test).
    pub async fn created(store: &Store, who: &Actor, input: ProjectInput) -> crate::projects::Project {
        store.scoped(who).create_project(input).await.expect("a test project")
    }

    /// A transition to `stage` on `date`, nothing else.
    pub fn to(stage: Stage, date: &str) -> TransitionInput {
        TransitionInput {
            to: stage,
            date: d(date),
            skipped_dates: BTreeMap::new(),
            note: None,
            reason: None,
            version: None,
        }
    }

    /// A new row at version 1, created now, written directly (setup without a write path
    /// or its audit record; a refusal fails the test).
    pub async fn insert_new<A>(store: &Store, am: A) -> crate::stamp::Model<A>
    where
        A: crate::stamp::Versioned,
        crate::stamp::Model<A>: sea_orm::IntoActiveModel<A>,
    {
        crate::stamp::insert_new_on(store.db(), am, None).await.expect("a new test row")
    }

    /// A department's open task on a project (tasks have no write path yet: written directly).
    pub async fn dept_task(store: &Store, project_id: i64, dept: &Actor, title: &str, due_on: Option<NaiveDate>) {
        use sea_orm::Set;
        let task = crate::entity::dept_task::ActiveModel {
            project_id: Set(project_id),
            dept_unit_id: Set(dept.unit_id.expect("a department user's unit")),
            title: Set(title.into()),
            due_on: Set(due_on),
            status: Set("open".into()),
            ..Default::default()
        };
        insert_new(store, task).await;
    }

    /// A ledger row of a 储备 project of 金水区 with one investor and nothing optional.
    pub fn ledger_row(n: u32, name: &str, investor: &str) -> ImportRow {
        ImportRow {
            row: n,
            code: None,
            name: name.into(),
            unit: "jinshui".into(),
            investors: vec![investor.into()],
            investor_type: None,
            industry: Some("electronics".into()),
            region: Some("yangtze".into()),
            channel: None,
            categories: vec![],
            total_investment: m("100"),
            foreign_investment: None,
            land_mu: None,
            stage: Stage::Reserve,
            dates: domain::StageDates::default(),
            expected_producing_on: None,
            lead_leader: None,
            progress: None,
            problem: None,
            notes: None,
        }
    }
}
