//! Storage: SeaORM entities, one migration set, and repositories that always take the
//! caller's scope. The only crate that knows SQL; every test runs on SQLite and PostgreSQL.

pub mod activities;
pub mod agreements;
pub mod ambassadors;
pub mod assessment;
pub mod attachments;
pub mod audit;
pub mod bulk;
pub mod bulletins;
pub mod companies;
pub mod contacts;
pub mod dashboard;
pub mod entity;
pub mod four_ones;
pub mod funds;
mod handle;
pub mod import;
pub mod inquiries;
pub mod leaders;
pub mod migration;
mod model_view;
pub mod monthly;
pub mod outcomes;
mod phone;
pub mod problems;
pub mod projects;
pub mod reviews;
mod rows;
mod scope;
pub mod search;
pub mod settings;
mod sql;
mod stamp;
pub mod supervisions;
pub mod targets;
pub mod tasks;
#[cfg(feature = "testing")]
pub mod testing;
mod text;
pub mod top10;
pub mod units;
pub mod users;
pub mod warnings;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use domain::{FieldError, Role};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

pub use handle::{Scoped, Tx};
pub use units::UnitTree;

/// Errors of the storage layer; the web crate maps each to one `api.md` error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// A stale version or an illegal state change; the message is Chinese, for users.
    #[error("{0}")]
    Conflict(String),
    #[error("{}", .0.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("; "))]
    Validation(Vec<FieldError>),
    #[error("database: {0}")]
    Db(#[from] DbErr),
}

impl StoreError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        StoreError::Validation(vec![FieldError::new(field, message)])
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What the caller may see of business data (domain.md §1, 数据权限).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// city_admin, supervisor (and a leader attached to the city root).
    All,
    /// A unit subtree: unit_staff, leader. Sorted ids.
    Units(Vec<i64>),
    /// dept_staff: the projects that carry a task of this department.
    Department(i64),
    /// The three administrators see no business data.
    Nothing,
}

impl Scope {
    pub fn allows_unit(&self, unit_id: i64) -> bool {
        match self {
            Scope::All => true,
            Scope::Units(ids) => ids.binary_search(&unit_id).is_ok(),
            Scope::Department(_) | Scope::Nothing => false,
        }
    }
}

/// Who is acting, from where, and with which scope. Business data is reached through
/// `store.scoped(&actor)` ([`Scoped`]).
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
    pub roles: Vec<Role>,
    pub unit_id: Option<i64>,
    pub scope: Scope,
    pub address: Option<String>,
    pub request_id: Option<String>,
}

impl Actor {
    /// The command line and the demo loader: all scope and every right (the server's own
    /// operator), audited as `system:…`.
    pub fn system(what: &str) -> Actor {
        Actor {
            user_id: None,
            username: format!("system:{what}"),
            roles: Role::ALL.to_vec(),
            unit_id: None,
            scope: Scope::All,
            address: None,
            request_id: None,
        }
    }

    pub fn has_role(&self, r: Role) -> bool {
        self.roles.contains(&r)
    }

    /// Whether this actor's claims are accepted without review (the city's own entries).
    pub fn is_city(&self) -> bool {
        self.has_role(Role::CityAdmin)
    }
}

/// The storage handle: a connection pool plus the cached unit tree.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    backend: DbBackend,
    units: Arc<RwLock<Arc<UnitTree>>>,
}

#[derive(Debug, Clone)]
pub struct StoreConfig {
    pub url: String,
    pub max_connections: u32,
}

impl Store {
    /// Connect, creating the SQLite file (and its folder) when missing, and run migrations.
    pub async fn open(cfg: &StoreConfig) -> Result<Store> {
        let url = cfg.url.trim();
        let mut opts = ConnectOptions::new(url.to_string());
        opts.max_connections(cfg.max_connections.max(1))
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .sqlx_logging(false);
        if url.starts_with("sqlite:") {
            if let Some(path) = sqlite_path(url)
                && let Some(dir) = std::path::Path::new(&path).parent().filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir)
                    .map_err(|e| DbErr::Custom(format!("无法创建数据目录 {}: {e}", dir.display())))?;
            }
            // Per connection: WAL, synchronous=FULL (an acknowledged write survives kill -9),
            // a busy timeout instead of "database is locked", and enforced foreign keys.
            opts.map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(Duration::from_secs(15))
                    .foreign_keys(true)
                    .pragma("cache_size", "-32768")
            });
        } else if !url.starts_with("postgres:") && !url.starts_with("postgresql:") {
            return Err(StoreError::field("database_url", "数据库地址应以 sqlite:// 或 postgres:// 开头"));
        }
        let db = Database::connect(opts).await?;
        let backend = db.get_database_backend();
        migration::Migrator::up(&db, None).await?;
        let tree = UnitTree::load(&db).await?;
        Ok(Store { db, backend, units: Arc::new(RwLock::new(Arc::new(tree))) })
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            DbBackend::Postgres => "postgres",
            _ => "sqlite",
        }
    }

    pub fn backend(&self) -> DbBackend {
        self.backend
    }

    /// The raw pool: inside this crate only, so business data is reached through functions
    /// that take an `Actor`. Tests (the `testing` feature) may inspect the database directly.
    #[cfg(not(feature = "testing"))]
    pub(crate) fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    #[cfg(feature = "testing")]
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The unit tree, cached; refreshed by unit writes.
    pub fn unit_tree(&self) -> Arc<UnitTree> {
        match self.units.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub async fn reload_units(&self) -> Result<()> {
        let tree = Arc::new(UnitTree::load(&self.db).await?);
        match self.units.write() {
            Ok(mut g) => *g = tree,
            Err(poisoned) => *poisoned.into_inner() = tree,
        }
        Ok(())
    }

    /// A business write transaction (projects, companies, funds, imports, units, users):
    /// `BEGIN IMMEDIATE` on SQLite so that the write lock is taken up front (no upgrade
    /// deadlock, busy_timeout applies); a plain transaction on PostgreSQL. It bumps the data
    /// generation, so every cached business read is invalidated when it commits.
    pub(crate) async fn write(&self) -> Result<DatabaseTransaction> {
        let txn = self.begin_write().await?;
        txn.execute_unprepared("UPDATE data_generation SET n = n + 1 WHERE id = 1").await?;
        Ok(txn)
    }

    /// A write transaction that changes no business data — logins, failed logins, sessions,
    /// passwords, the audit of a denial — so it leaves the data generation (and every
    /// cached read) alone.
    pub(crate) async fn write_quiet(&self) -> Result<DatabaseTransaction> {
        self.begin_write().await
    }

    async fn begin_write(&self) -> Result<DatabaseTransaction> {
        let opts = TransactionOptions {
            isolation_level: None,
            access_mode: None,
            sqlite_transaction_mode: (self.backend == DbBackend::Sqlite).then_some(SqliteTransactionMode::Immediate),
        };
        Ok(self.db.begin_with_options(opts).await?)
    }

    /// The data generation: changes whenever a business write transaction commits. Cached reads
    /// compare it (one indexed single-row read) instead of re-running their query.
    pub async fn generation(&self) -> Result<i64> {
        self.scalar("SELECT n FROM data_generation WHERE id = 1".into(), vec![]).await
    }

    /// One integer from a query whose single row has a column `n` (0 when there is no row).
    pub(crate) async fn scalar(&self, sql: String, values: Vec<sea_orm::Value>) -> Result<i64> {
        let row = self.db.query_one_raw(Statement::from_sql_and_values(self.backend, sql, values)).await?;
        Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
    }

    /// Is the database answering? For the health check.
    pub async fn ping(&self) -> bool {
        self.db.ping().await.is_ok()
    }

    /// Placeholder `?` or `$n` for raw SQL on this backend.
    pub fn ph(&self, n: usize) -> String {
        placeholder(self.backend, n)
    }
}

pub(crate) fn placeholder(backend: DbBackend, n: usize) -> String {
    match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => "?".to_string(),
    }
}

/// The row offset of a 1-based page: saturating, and at most `i64::MAX` (what both databases
/// accept), so no page number can overflow or panic; a page past the end is simply empty.
pub fn page_offset(page: u64, per_page: u64) -> u64 {
    page.max(1).saturating_sub(1).saturating_mul(per_page).min(i64::MAX as u64)
}

/// One page of what `q` selects (already ordered), as [`page_offset`] places it.
pub(crate) async fn page_rows<E: sea_orm::EntityTrait>(
    db: &impl sea_orm::ConnectionTrait,
    q: sea_orm::Select<E>,
    page: u64,
    per_page: u64,
) -> Result<Vec<E::Model>>
where
    E::Model: Send + Sync,
{
    use sea_orm::QuerySelect;
    Ok(q.offset(page_offset(page, per_page)).limit(per_page).all(db).await?)
}

/// Where one page stands in its list: the count of all, the page's number and size.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging {
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// One page of a list's rows (already ordered) and where it stands, as the lists of
/// unit-owned records take `page` and `per_page`: 50 a page by default (0), at most 500.
pub(crate) async fn list_page<E: sea_orm::EntityTrait>(
    db: &impl sea_orm::ConnectionTrait,
    q: sea_orm::Select<E>,
    page: u64,
    per_page: u64,
) -> Result<(Vec<E::Model>, Paging)>
where
    E::Model: Send + Sync,
{
    use sea_orm::PaginatorTrait;
    let per_page = if per_page == 0 { 50 } else { per_page.clamp(1, 500) };
    let page = page.max(1);
    let total = q.clone().count(db).await?;
    Ok((page_rows(db, q, page, per_page).await?, Paging { total, page, per_page }))
}

/// `page_type! { /// doc  pub struct XPage of X; }`: the served page of a list (its items and
/// where it stands), with `XPage::new(items, paging)`; every list's page is this one shape.
macro_rules! page_type {
    ($(#[$a:meta])* pub struct $name:ident of $item:ty;) => {
        $(#[$a])*
        #[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            pub total: u64,
            pub page: u64,
            pub per_page: u64,
        }

        impl $name {
            pub(crate) fn new(items: Vec<$item>, p: $crate::Paging) -> $name {
                $name { items, total: p.total, page: p.page, per_page: p.per_page }
            }
        }
    };
}
pub(crate) use page_type;

/// `list_filter! { /// doc  pub struct XFilter { pub field: Type, … } }`: the filter of a list
/// of records a unit owns, each part optional (`Default`: all of them): `unit`, its own
/// fields, then the page [`list_page`] takes — the shared parts written once.
macro_rules! list_filter {
    ($(#[$a:meta])* pub struct $name:ident { $($(#[$fa:meta])* pub $f:ident: $t:ty,)* }) => {
        $(#[$a])*
        #[derive(Debug, Clone, Default)]
        pub struct $name {
            /// A unit code or name: its subtree (within the caller's scope).
            pub unit: Option<String>,
            $($(#[$fa])* pub $f: $t,)*
            pub page: u64,
            /// 0: 50.
            pub per_page: u64,
        }
    };
}
pub(crate) use list_filter;

/// A page of what `q` selects in `order` (one column), with the count of all of it.
pub(crate) async fn paged<E: sea_orm::EntityTrait>(
    db: &impl sea_orm::ConnectionTrait,
    q: sea_orm::Select<E>,
    order: (E::Column, sea_orm::Order),
    page: u64,
    per_page: u64,
) -> Result<(Vec<E::Model>, u64)>
where
    E::Model: Send + Sync,
{
    use sea_orm::{PaginatorTrait, QueryOrder};
    let total = q.clone().count(db).await?;
    Ok((page_rows(db, q.order_by(order.0, order.1), page, per_page).await?, total))
}

/// The file path in a `sqlite://path?opts` URL; None for in-memory databases.
pub fn sqlite_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" { None } else { Some(path.to_string()) }
}

/// Now, truncated to microseconds so that it round-trips through both backends exactly.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}

/// When a write made "on `day`" happened: now; or, for history loaded from elsewhere (a day
/// before today: the demo), 17:00 Shanghai time on that day.
pub(crate) fn now_on(day: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    match day.and_hms_opt(17, 0, 0).and_then(|t| t.and_local_timezone(domain::SHANGHAI).single()) {
        Some(at) if day < domain::today_shanghai() => at.to_utc(),
        _ => now(),
    }
}
