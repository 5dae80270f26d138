//! Raw statements with bound values, for the set-based queries the entity API cannot say
//! (the warning rules, the assessment measures, 十大 candidates, 月报 changes): read row by
//! row, or packed by the database into ONE JSON array. The SQLite driver hands each row from
//! its worker thread to the caller one at a time (a thread wake-up per row); at 100,000
//! projects a warning rule has tens of thousands of rows and an assessment run reads ~450,000
//! funds entries, so those are read packed (BENCHMARKS.md, "Assessment run").

use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult, Statement, Value};
use serde::de::DeserializeOwned;

use crate::{Result, Store, placeholder};

/// A statement being written: `bind` adds a value and gives its placeholder.
pub(crate) struct Sql {
    backend: DbBackend,
    values: Vec<Value>,
}

impl Sql {
    pub(crate) fn new(backend: DbBackend) -> Sql {
        Sql { backend, values: vec![] }
    }

    /// A statement for `store`'s database.
    pub(crate) fn of(store: &Store) -> Sql {
        Sql::new(store.backend())
    }

    pub(crate) fn bind(&mut self, v: impl Into<Value>) -> String {
        self.values.push(v.into());
        placeholder(self.backend, self.values.len())
    }

    /// The rows of `sql`, one by one, on the pool.
    pub(crate) async fn all<T: FromQueryResult>(self, store: &Store, sql: String) -> Result<Vec<T>> {
        self.all_on(store.db(), sql).await
    }

    /// The rows of `sql`, one by one, on `db` (the pool or a transaction).
    pub(crate) async fn all_on<T: FromQueryResult, C: ConnectionTrait>(self, db: &C, sql: String) -> Result<Vec<T>> {
        Ok(T::find_by_statement(Statement::from_sql_and_values(self.backend, sql, self.values)).all(db).await?)
    }

    pub(crate) async fn execute_on<C: ConnectionTrait>(self, db: &C, sql: String) -> Result<()> {
        db.execute_raw(Statement::from_sql_and_values(self.backend, sql, self.values)).await?;
        Ok(())
    }

    /// The rows of `sql` (its result columns `cols`, in order), packed into one JSON array of
    /// arrays and read back with serde (`T` from the array of `cols`). The order of `sql` is
    /// kept on both databases for a plain derived table; callers that need an order check it.
    pub(crate) async fn packed<T: DeserializeOwned>(self, store: &Store, cols: &[&str], sql: String) -> Result<Vec<T>> {
        let element = self.json_array(&columns(cols));
        self.pack(store, element, sql).await
    }

    /// As [`Sql::packed`], each row as a pair: (`A` from the array of `first`, `B` from the
    /// array of `second`).
    pub(crate) async fn packed_pairs<A: DeserializeOwned, B: DeserializeOwned>(
        self,
        store: &Store,
        (first, second): (&[&str], &[&str]),
        sql: String,
    ) -> Result<Vec<(A, B)>> {
        let pair = format!("{}, {}", self.json_array(&columns(first)), self.json_array(&columns(second)));
        let element = self.json_array(&pair);
        self.pack(store, element, sql).await
    }

    fn json_array(&self, items: &str) -> String {
        match self.backend {
            DbBackend::Postgres => format!("json_build_array({items})"),
            _ => format!("json_array({items})"),
        }
    }

    /// The JSON array of `element` over the rows of `sql`, parsed.
    async fn pack<T: DeserializeOwned>(self, store: &Store, element: String, sql: String) -> Result<Vec<T>> {
        let agg = match self.backend {
            DbBackend::Postgres => format!("COALESCE(json_agg({element})::text, '[]')"),
            _ => format!("json_group_array({element})"),
        };
        let sql = format!("SELECT {agg} AS j FROM ({sql}) w");
        let st = Statement::from_sql_and_values(self.backend, sql, self.values);
        let json: String = match store.db().query_one_raw(st).await? {
            Some(row) => row.try_get("", "j")?,
            None => return Ok(vec![]),
        };
        serde_json::from_str(&json).map_err(|e| DbErr::Custom(format!("packed rows: {e}")).into())
    }
}

/// A derived table's columns as a select list: `w.a, w.b`.
fn columns(cols: &[&str]) -> String {
    cols.iter().map(|c| format!("w.{c}")).collect::<Vec<_>>().join(", ")
}
