//! The one migration set gives the same schema on SQLite and PostgreSQL: the same
//! tables, columns (type class and nullability), primary keys and named indexes.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};
use store::Store;
use store::testing::{Backend, fresh};

/// table → (columns: name → (type class, not null), primary key, indexes: name → (columns, unique))
type Schema = BTreeMap<String, (BTreeMap<String, (String, bool)>, Vec<String>, BTreeMap<String, (Vec<String>, bool)>)>;

fn class(t: &str) -> String {
    let t = t.to_lowercase();
    let c = if t.contains("timestamp") {
        "timestamp"
    } else if t.contains("date") {
        "date"
    } else if t.contains("bool") {
        "bool"
    } else if t.contains("int") {
        "int"
    } else if t.contains("char") || t.contains("text") || t.contains("string") {
        "text"
    } else {
        t.as_str()
    };
    c.to_string()
}

#[derive(FromQueryResult)]
struct Name {
    name: String,
}

#[derive(FromQueryResult)]
struct SqliteCol {
    name: String,
    r#type: String,
    notnull: i32,
    pk: i32,
}

#[derive(FromQueryResult)]
struct SqliteIndex {
    name: String,
    unique: i32,
}

#[derive(FromQueryResult)]
struct PgCol {
    column_name: String,
    data_type: String,
    is_nullable: String,
}

#[derive(FromQueryResult)]
struct PgIndex {
    index_name: String,
    column_name: String,
    is_unique: bool,
    is_primary: bool,
}

async fn describe(store: &Store) -> Schema {
    let db = store.db();
    let b = store.backend();
    let mut out = Schema::new();
    let tables_sql = match b {
        DbBackend::Postgres => {
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'seaql_migrations' ORDER BY 1"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations' ORDER BY 1"
        }
    };
    let tables = Name::find_by_statement(Statement::from_string(b, tables_sql)).all(db).await.unwrap();
    for t in tables.into_iter().map(|t| t.name) {
        let mut cols = BTreeMap::new();
        let mut pk = vec![];
        let mut idx: BTreeMap<String, (Vec<String>, bool)> = BTreeMap::new();
        if b == DbBackend::Postgres {
            let sql = format!(
                "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{t}'"
            );
            for c in PgCol::find_by_statement(Statement::from_string(b, sql)).all(db).await.unwrap() {
                cols.insert(c.column_name, (class(&c.data_type), c.is_nullable == "NO"));
            }
            let sql = format!(
                "SELECT i.relname AS index_name, COALESCE(a.attname, '(expression)') AS column_name, ix.indisunique AS is_unique, ix.indisprimary AS is_primary \
                 FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid \
                 JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord) ON true \
                 LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                 WHERE t.relname = '{t}' ORDER BY i.relname, k.ord"
            );
            for r in PgIndex::find_by_statement(Statement::from_string(b, sql)).all(db).await.unwrap() {
                if r.is_primary {
                    pk.push(r.column_name);
                } else {
                    let e = idx.entry(r.index_name).or_insert((vec![], r.is_unique));
                    e.0.push(r.column_name);
                }
            }
        } else {
            let sql = format!("SELECT name, type, \"notnull\", pk FROM pragma_table_info('{t}')");
            let mut pks: Vec<(i32, String)> = vec![];
            for c in SqliteCol::find_by_statement(Statement::from_string(b, sql)).all(db).await.unwrap() {
                if c.pk > 0 {
                    pks.push((c.pk, c.name.clone()));
                }
                // A primary key column is NOT NULL in effect on both (PostgreSQL makes it so).
                cols.insert(c.name, (class(&c.r#type), c.notnull == 1 || c.pk > 0));
            }
            pks.sort();
            pk = pks.into_iter().map(|(_, n)| n).collect();
            let sql = format!("SELECT name, \"unique\" FROM pragma_index_list('{t}') WHERE origin = 'c'");
            for i in SqliteIndex::find_by_statement(Statement::from_string(b, sql)).all(db).await.unwrap() {
                let cols_sql = format!(
                    "SELECT COALESCE(name, '(expression)') AS name FROM pragma_index_info('{}') ORDER BY seqno",
                    i.name
                );
                let names = Name::find_by_statement(Statement::from_string(b, cols_sql)).all(db).await.unwrap();
                idx.insert(i.name, (names.into_iter().map(|n| n.name).collect(), i.unique == 1));
            }
        }
        out.insert(t, (cols, pk, idx));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_schemas_are_the_same() {
    let (lite, _g1) = fresh(Backend::Sqlite).await.unwrap();
    let Some((pg, _g2)) = fresh(Backend::Postgres).await else { return };
    let a = describe(&lite).await;
    let b = describe(&pg).await;
    assert!(a.len() >= 13, "{:?}", a.keys());
    for (t, sa) in &a {
        let sb = b.get(t).unwrap_or_else(|| panic!("table {t} missing on PostgreSQL"));
        assert_eq!(sa.0, sb.0, "columns of {t}");
        assert_eq!(sa.1, sb.1, "primary key of {t}");
        assert_eq!(sa.2, sb.2, "indexes of {t}");
    }
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    // reference data too
    let count = |s: Store| async move {
        s.db()
            .query_one_raw(Statement::from_string(s.backend(), "SELECT COUNT(*) AS n FROM units"))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap()
    };
    assert_eq!(count(lite).await, count(pg).await);
}

// Every generated entity (`data/entities.tsv`) matches the migrated schema: each of its columns
// exists, nullable exactly when the field is an `Option`, so entity and migration cannot drift.
store::db_test!(entities_match_the_migrated_schema, |store| {
    let schema = describe(&store).await;
    let entities = store::entity::all_columns();
    assert!(entities.len() >= 24, "{}", entities.len());
    for (table, columns) in entities {
        let (db_columns, _, _) = schema.get(table).unwrap_or_else(|| panic!("entity table {table} not migrated"));
        for (column, nullable) in columns {
            let (_, not_null) = db_columns.get(column).unwrap_or_else(|| panic!("{table}.{column} not migrated"));
            assert_eq!(*not_null, !nullable, "nullability of {table}.{column}");
        }
    }
});

/// A fresh database of `backend` with no migration applied yet (and its guard).
async fn unmigrated(backend: Backend) -> Option<(store::testing::Guard, sea_orm::DatabaseConnection)> {
    let g = store::testing::fresh_url(backend).await?;
    let url = if backend == Backend::Sqlite { format!("{}?mode=rwc", g.url) } else { g.url.clone() };
    let db = sea_orm::Database::connect(&url).await.unwrap();
    Some((g, db))
}

/// Migration 000007 refuses a database holding usernames that differ only in case, naming
/// them, instead of failing on the unique index.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usernames_colliding_by_case_are_named_by_the_migration() {
    use sea_orm_migration::MigratorTrait;
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some((_g, db)) = unmigrated(backend).await else { continue };
        // every migration before 000007
        store::migration::Migrator::up(&db, Some(6)).await.unwrap();
        for name in ["City_Admin", "city_admin", "other"] {
            let sql = format!(
                "INSERT INTO users (username, display_name, password_hash, disabled, must_change_password, \
                 password_changed_at, totp_enabled, version, created_at, updated_at) \
                 VALUES ('{name}', '{name}', 'x', false, false, CURRENT_TIMESTAMP, false, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            );
            db.execute_unprepared(&sql).await.unwrap();
        }
        let e = store::migration::Migrator::up(&db, None).await.unwrap_err().to_string();
        assert!(e.contains("City_Admin、city_admin") && !e.contains("other"), "{backend:?}: {e}");
        // renamed, the migration goes through
        db.execute_unprepared("UPDATE users SET username = 'city_admin2' WHERE username = 'City_Admin'").await.unwrap();
        store::migration::Migrator::up(&db, None).await.unwrap();
    }
}

/// A migration that fails half-way leaves nothing behind, on SQLite as on PostgreSQL: each
/// runs in one transaction. Here the landing migration (000009) meets a table of its own
/// name that is already there: the tables it made before that one are gone with it, it is
/// not recorded as applied, and once the obstacle is removed it goes through whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_migration_leaves_no_half_schema() {
    use sea_orm_migration::MigratorTrait;
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some((_g, db)) = unmigrated(backend).await else { continue };
        store::migration::Migrator::up(&db, Some(8)).await.unwrap();
        db.execute_unprepared("CREATE TABLE outcomes (id INTEGER PRIMARY KEY)").await.unwrap();
        let e = store::migration::Migrator::up(&db, None).await.unwrap_err();
        assert!(e.to_string().contains("outcomes"), "{backend:?}: {e}");
        let tables = |db: sea_orm::DatabaseConnection| async move {
            let sql = match backend {
                Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
                Backend::Postgres => {
                    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
                }
            };
            let rows =
                Name::find_by_statement(Statement::from_string(db.get_database_backend(), sql)).all(&db).await.unwrap();
            rows.into_iter().map(|r| r.name).collect::<Vec<_>>()
        };
        let now = tables(db.clone()).await;
        assert!(
            !now.iter().any(|t| t == "reviews" || t == "attachments"),
            "{backend:?}: half a migration stayed: {now:?}"
        );
        let applied = store::migration::Migrator::get_applied_migrations(&db).await.unwrap().len();
        assert_eq!(applied, 8, "{backend:?}: 000009 is not recorded");
        db.execute_unprepared("DROP TABLE outcomes").await.unwrap();
        store::migration::Migrator::up(&db, None).await.unwrap();
        let now = tables(db.clone()).await;
        assert!(now.iter().any(|t| t == "reviews") && now.iter().any(|t| t == "outcomes"), "{backend:?}: {now:?}");
    }
}

// Every migration after the last irreversible one (000016, the 包联领导 link) undoes cleanly
// and applies again to the same schema, on both databases: the `down`s drop what their `up`s
// made, children before parents, and the CHECKs come back.
store::db_test!(the_reversible_migrations_go_down_and_up_to_the_same_schema, |store| {
    use sea_orm_migration::MigratorTrait;
    let before = describe(&store).await;
    let applied = store::migration::Migrator::get_applied_migrations(store.db()).await.unwrap();
    let last_irreversible = applied.iter().position(|m| m.name() == "m20261204_000016_leaders").unwrap();
    let reversible = (applied.len() - last_irreversible - 1) as u32;
    assert!(reversible >= 5, "{reversible}");
    store::migration::Migrator::down(store.db(), Some(reversible)).await.unwrap();
    let down = describe(&store).await;
    for gone in ["inquiries", "ambassadors", "ambassador_leads", "ambassador_payouts", "assessment_runs"] {
        assert!(before.contains_key(gone) && !down.contains_key(gone), "{gone}");
    }
    store::migration::Migrator::up(store.db(), None).await.unwrap();
    assert_eq!(describe(&store).await, before);
});
