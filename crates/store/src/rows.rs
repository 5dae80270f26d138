//! Rows by a list of ids, the reads every view that joins in memory shares: a table's rows by
//! their id (projects of the leads, companies of the investors), and child rows grouped by
//! their parent (an activity's leaders, an agreement's clauses); and the writes of many rows
//! at once (multi-row inserts, a parent's child list replaced). Written once here.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};

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

/// The rows of `E` whose `id` column is one of `ids` (`key` reads a row's id), and those of
/// `ids` that name no row, or a row `ok` refuses, in the order of `ids`: what a write that
/// names records by id (leaders, companies, targets, projects) reports as wrong.
pub(crate) async fn found_and_bad<E: EntityTrait>(
    db: &impl ConnectionTrait,
    id: E::Column,
    key: fn(&E::Model) -> i64,
    ids: &[i64],
    ok: impl Fn(&E::Model) -> bool,
) -> Result<(Vec<E::Model>, Vec<i64>)>
where
    E::Model: Send + Sync,
{
    let found = E::find().filter(id.is_in(ids.to_vec())).all(db).await?;
    let bad = ids.iter().filter(|i| !found.iter().any(|m| key(m) == **i && ok(m))).copied().collect();
    Ok((found, bad))
}

/// The live (not deleted) projects among `ids`.
pub(crate) async fn live_projects(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<crate::entity::project::Model>> {
    use crate::entity::project;
    let q = project::Entity::find().filter(project::Column::Id.is_in(ids.to_vec()));
    Ok(q.filter(project::Column::DeletedAt.is_null()).all(db).await?)
}

/// Of `ids`, those that are no target of a unit `inside` accepts (unknown or another's).
pub(crate) async fn targets_outside(
    db: &impl ConnectionTrait,
    ids: &[i64],
    inside: impl Fn(i64) -> bool,
) -> Result<Vec<i64>> {
    use crate::entity::target;
    Ok(found_and_bad::<target::Entity>(db, target::Column::Id, |t| t.id, ids, |t| inside(t.unit_id)).await?.1)
}

/// Of `ids`, those that are no live project of a unit `inside` accepts.
pub(crate) async fn projects_outside(
    db: &impl ConnectionTrait,
    ids: &[i64],
    inside: impl Fn(i64) -> bool,
) -> Result<Vec<i64>> {
    use crate::entity::project;
    Ok(found_and_bad::<project::Entity>(
        db,
        project::Column::Id,
        |p| p.id,
        ids,
        |p| p.deleted_at.is_none() && inside(p.unit_id),
    )
    .await?
    .1)
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

/// Rows per multi-row INSERT: well under SQLite's 32,766 bound parameters.
pub(crate) const CHUNK: usize = 400;

/// Insert `rows` in multi-row INSERTs of at most [`CHUNK`] rows (none: nothing).
pub(crate) async fn insert_chunks<E, A>(txn: &DatabaseTransaction, rows: Vec<A>) -> Result<()>
where
    E: EntityTrait<ActiveModel = A>,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send + Clone,
{
    for chunk in rows.chunks(CHUNK) {
        E::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// A parent's list written whole: the rows of `E` under `parent = id` replaced by `rows`.
pub(crate) async fn replace_children<E, A>(
    txn: &DatabaseTransaction,
    parent: E::Column,
    id: i64,
    rows: impl IntoIterator<Item = A>,
) -> Result<()>
where
    E: EntityTrait<ActiveModel = A>,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send + Clone,
{
    E::delete_many().filter(parent.eq(id)).exec(txn).await?;
    insert_chunks::<E, A>(txn, rows.into_iter().collect()).await
}
