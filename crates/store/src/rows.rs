//! Rows by a list of ids, the reads every view that joins in memory shares: a table's rows by
//! their id (projects of the leads, companies of the investors), and child rows grouped by
//! their parent (an activity's leaders, an agreement's clauses). Written once here.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::Result;

/// The rows of `E` whose `id` column is one of `ids`, by id (`key` reads a row's id).
pub(crate) async fn by_id<E: EntityTrait>(
    db: &impl ConnectionTrait,
    id: E::Column,
    ids: Vec<i64>,
    key: fn(&E::Model) -> i64,
) -> Result<HashMap<i64, E::Model>>
where
    E::Model: Send + Sync,
{
    Ok(E::find().filter(id.is_in(ids)).all(db).await?.into_iter().map(|m| (key(&m), m)).collect())
}

/// The child rows of `E` whose `parent` column is one of `ids`, in `order` (ascending), as
/// `pair` makes each a (parent id, value), pushed onto `into` by parent.
pub(crate) async fn grouped<E: EntityTrait, V, M: GroupInto<V>>(
    db: &impl ConnectionTrait,
    (parent, order): (E::Column, E::Column),
    ids: &[i64],
    pair: impl Fn(E::Model) -> (i64, V),
    into: &mut M,
) -> Result<()>
where
    E::Model: Send + Sync,
{
    for m in E::find().filter(parent.is_in(ids.to_vec())).order_by_asc(order).all(db).await? {
        let (k, v) = pair(m);
        into.push_to(k, v);
    }
    Ok(())
}

/// A map of lists by parent id: a `HashMap` or a `BTreeMap`.
pub(crate) trait GroupInto<V> {
    fn push_to(&mut self, k: i64, v: V);
}

impl<V> GroupInto<V> for HashMap<i64, Vec<V>> {
    fn push_to(&mut self, k: i64, v: V) {
        self.entry(k).or_default().push(v);
    }
}

impl<V> GroupInto<V> for std::collections::BTreeMap<i64, Vec<V>> {
    fn push_to(&mut self, k: i64, v: V) {
        self.entry(k).or_default().push(v);
    }
}
