//! The measures' queries: a statement with its bound values, read either row by row
//! ([`Query::rows`], for the small as-of lookups) or packed by the database into ONE JSON
//! array ([`Query::packed`]). The SQLite driver hands each row from its worker thread to the
//! caller one at a time (a thread wake-up per row); at 1,000,000 funds entries the run reads
//! ~450,000 of them, and row by row that alone took longer than the whole run may
//! (BENCHMARKS.md, "Assessment run"). The warning rules pack their facts the same way
//! (`warnings::facts`).

use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult, Statement, Value};
use serde::de::DeserializeOwned;

use crate::{Result, Store, placeholder};

/// A statement being written: `bind` adds a value and gives its placeholder.
pub(crate) struct Query {
    backend: DbBackend,
    values: Vec<Value>,
}

impl Query {
    pub(crate) fn new(store: &Store) -> Query {
        Query { backend: store.db().get_database_backend(), values: vec![] }
    }

    pub(crate) fn bind(&mut self, v: impl Into<Value>) -> String {
        self.values.push(v.into());
        placeholder(self.backend, self.values.len())
    }

    /// The rows of `sql`, one by one.
    pub(crate) async fn rows<T: FromQueryResult>(self, store: &Store, sql: String) -> Result<Vec<T>> {
        Ok(T::find_by_statement(Statement::from_sql_and_values(self.backend, sql, self.values)).all(store.db()).await?)
    }

    /// The rows of `sql` (its result columns `cols`, in order), packed by the database into
    /// one JSON array of arrays and read back with serde (`T` from the array of `cols`). The
    /// order of `sql` is kept on both databases for a plain derived table; callers that need
    /// an order check it anyway.
    pub(crate) async fn packed<T: DeserializeOwned>(self, store: &Store, cols: &[&str], sql: String) -> Result<Vec<T>> {
        let list = cols.iter().map(|c| format!("w.{c}")).collect::<Vec<_>>().join(", ");
        let agg = match self.backend {
            DbBackend::Postgres => format!("COALESCE(json_agg(json_build_array({list}))::text, '[]')"),
            _ => format!("json_group_array(json_array({list}))"),
        };
        let sql = format!("SELECT {agg} AS j FROM ({sql}) w");
        let st = Statement::from_sql_and_values(self.backend, sql, self.values);
        let json: String = match store.db().query_one_raw(st).await? {
            Some(row) => row.try_get("", "j")?,
            None => return Ok(vec![]),
        };
        serde_json::from_str(&json).map_err(|e| DbErr::Custom(format!("assessment rows: {e}")).into())
    }
}

/// The unit ids as an `IN` list (integers of our own: safe to inline).
pub(crate) fn id_list(ids: &[i64]) -> String {
    let mut s = String::with_capacity(ids.len() * 4);
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&id.to_string());
    }
    s
}
