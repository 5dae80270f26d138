//! The audit log (domain.md §9, security.md §9–10): one record per business write, in the
//! same transaction, hash-chained: `hash_i = SHA-256(hash_{i-1} ‖ canonical(record_i))`.

use domain::AuditAction;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::entity::audit_record;
use crate::{Actor, Result, Scoped, Store};

/// The hash before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audited event, before it is chained.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub action: AuditAction,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub result: &'a str,
}

impl<'a> Event<'a> {
    pub fn ok(action: AuditAction, entity: &'a str, entity_id: impl ToString) -> Self {
        Event { action, entity, entity_id: Some(entity_id.to_string()), before: None, after: None, result: "ok" }
    }

    pub fn before(mut self, v: impl Serialize) -> Self {
        self.before = serde_json::to_value(v).ok();
        self
    }

    pub fn after(mut self, v: impl Serialize) -> Self {
        self.after = serde_json::to_value(v).ok();
        self
    }

    pub fn result(mut self, r: &'a str) -> Self {
        self.result = r;
        self
    }
}

/// The canonical bytes of a record: a JSON array in fixed order (no map-order ambiguity).
fn canonical(m: &audit_record::Model) -> String {
    serde_json::json!([
        m.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        m.user_id,
        m.username,
        m.address,
        m.request_id,
        m.action,
        m.entity,
        m.entity_id,
        m.before,
        m.after,
        m.result,
    ])
    .to_string()
}

fn chain_hash(prev: &str, m: &audit_record::Model) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(canonical(m).as_bytes());
    hex::encode(h.finalize())
}

/// Write an audit record inside `txn`. On PostgreSQL an advisory lock serialises writers
/// of the chain; SQLite write transactions are already exclusive (BEGIN IMMEDIATE).
pub async fn record(txn: &DatabaseTransaction, actor: &Actor, ev: Event<'_>) -> Result<i64> {
    // Read the chain head; FOR UPDATE makes concurrent PostgreSQL writers of the chain wait
    // their turn (SQLite write transactions are exclusive already).
    let backend = txn.get_database_backend();
    let lock = if backend == DbBackend::Postgres { " FOR UPDATE" } else { "" };
    let head = txn
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT records, hash FROM audit_head WHERE id = 1{lock}"),
        ))
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("audit_head".into()))?;
    let records: i64 = head.try_get("", "records")?;
    let prev: String = head.try_get("", "hash")?;
    let mut m = audit_record::Model {
        id: 0,
        at: crate::now(),
        user_id: actor.user_id,
        username: Some(actor.username.clone()),
        address: actor.address.clone(),
        request_id: actor.request_id.clone(),
        action: ev.action.code().to_string(),
        entity: ev.entity.to_string(),
        entity_id: ev.entity_id,
        before: ev.before.map(|v| v.to_string()),
        after: ev.after.map(|v| v.to_string()),
        result: ev.result.to_string(),
        prev_hash: prev.clone(),
        hash: String::new(),
    };
    m.hash = chain_hash(&prev, &m);
    let am = audit_record::ActiveModel {
        at: Set(m.at),
        user_id: Set(m.user_id),
        username: Set(m.username),
        address: Set(m.address),
        request_id: Set(m.request_id),
        action: Set(m.action),
        entity: Set(m.entity),
        entity_id: Set(m.entity_id),
        before: Set(m.before),
        after: Set(m.after),
        result: Set(m.result),
        prev_hash: Set(m.prev_hash),
        hash: Set(m.hash.clone()),
        ..Default::default()
    };
    let id = am.insert(txn).await?.id;
    let sql = format!(
        "UPDATE audit_head SET records = {}, hash = {} WHERE id = 1",
        crate::placeholder(backend, 1),
        crate::placeholder(backend, 2)
    );
    txn.execute_raw(Statement::from_sql_and_values(backend, sql, [(records + 1).into(), m.hash.into()])).await?;
    Ok(id)
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Verification {
    pub ok: bool,
    pub records: u64,
    /// The id of the first record whose hash or link does not match.
    pub broken_at: Option<i64>,
    pub reason: Option<String>,
    /// Where an intact chain ended: the next check can start there.
    #[serde(skip)]
    pub checkpoint: Option<Checkpoint>,
    /// How many records this check re-hashed (all of them, or those after a checkpoint).
    #[serde(skip)]
    pub hashed: u64,
}

/// The last record of a verified chain: its id and hash, and how many records led to it.
/// [`Store::verify_audit_since`] re-checks that record and then only the newer ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub id: i64,
    pub hash: String,
    pub records: u64,
}

fn broken(records: u64, at: i64, reason: impl Into<String>) -> Verification {
    Verification { ok: false, records, broken_at: Some(at), reason: Some(reason.into()), checkpoint: None, hashed: 0 }
}

impl Store {
    /// Walk the whole chain in id order, in pages; name the first broken record.
    pub async fn verify_audit(&self) -> Result<Verification> {
        self.verify_audit_since(None).await
    }

    /// Verify only the records after `from` (a checkpoint an earlier check returned),
    /// after checking that the checkpoint's own record is still there, unchanged.
    ///
    /// Records before the checkpoint were verified already and cannot change while the
    /// append-only triggers are in place (the application's role cannot drop them), so they
    /// are not hashed again; when a trigger is missing or disabled the whole chain is walked.
    /// Someone who drops a trigger, edits an old record and restores the trigger is seen
    /// by the full walk ([`Store::verify_audit`]): `zhaoshang audit verify` and
    /// `GET /api/v1/audit/verify` always do it, and the audit page on demand.
    pub async fn verify_audit_since(&self, from: Option<&Checkpoint>) -> Result<Verification> {
        let (mut prev, mut count, mut after_id) = (GENESIS.to_string(), 0u64, 0i64);
        let from = match from {
            Some(cp) if self.audit_guards_in_place().await? => Some(cp),
            _ => None,
        };
        let mut hashed = 0u64;
        if let Some(cp) = from {
            let m = audit_record::Entity::find_by_id(cp.id).one(self.db()).await?;
            let intact = m.is_some_and(|m| m.hash == cp.hash && chain_hash(&m.prev_hash, &m) == m.hash);
            if !intact {
                return Ok(broken(cp.records.saturating_sub(1), cp.id, "已校验的记录被删除或篡改"));
            }
            (prev, count, after_id, hashed) = (cp.hash.clone(), cp.records, cp.id, 1);
        }
        loop {
            let page = audit_record::Entity::find()
                .filter(audit_record::Column::Id.gt(after_id))
                .order_by_asc(audit_record::Column::Id)
                .limit(2000)
                .all(self.db())
                .await?;
            if page.is_empty() {
                break;
            }
            for m in &page {
                if m.prev_hash != prev {
                    return Ok(broken(count, m.id, "链接断开：上一条记录被删除或篡改"));
                }
                if chain_hash(&prev, m) != m.hash {
                    return Ok(broken(count, m.id, "记录内容与哈希不符：记录被篡改"));
                }
                prev = m.hash.clone();
                count += 1;
                hashed += 1;
                after_id = m.id;
            }
        }
        // The walk can only see what is there: the head says how many records there should
        // be and how the chain should end, so removing the newest records shows as well.
        let head = self
            .db()
            .query_one_raw(Statement::from_string(self.backend(), "SELECT records, hash FROM audit_head WHERE id = 1"))
            .await?;
        let (records, hash) = match head {
            Some(r) => (r.try_get::<i64>("", "records")?, r.try_get::<String>("", "hash")?),
            None => (-1, String::new()),
        };
        if records != count as i64 || hash != prev {
            return Ok(broken(
                count,
                after_id + 1,
                format!("链头记载 {records} 条记录，实有 {count} 条：末尾记录被删除或链头被篡改"),
            ));
        }
        let checkpoint = (after_id > 0).then_some(Checkpoint { id: after_id, hash: prev, records: count });
        Ok(Verification { ok: true, records: count, broken_at: None, reason: None, checkpoint, hashed })
    }

    /// The triggers that keep `audit_log` append-only (see the migration) exist and are on.
    pub async fn audit_guards_in_place(&self) -> Result<bool> {
        let sql = match self.backend() {
            DbBackend::Postgres => {
                "SELECT count(*) AS n FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass \
                 AND tgname IN ('audit_log_no_change', 'audit_log_no_truncate') AND tgenabled <> 'D'"
            }
            _ => {
                "SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' \
                 AND tbl_name = 'audit_log' AND name IN ('audit_log_no_update', 'audit_log_no_delete')"
            }
        };
        let row = self.db().query_one_raw(Statement::from_string(self.backend(), sql)).await?;
        Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) == 2)
    }

    pub async fn audit_count(&self) -> Result<u64> {
        Ok(audit_record::Entity::find().count(self.db()).await?)
    }
}

/// What the audit page and its export filter by; `None` is no filter.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// From this instant (inclusive) …
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    /// … to this one (exclusive).
    pub to: Option<chrono::DateTime<chrono::Utc>>,
    pub username: Option<String>,
    pub action: Option<String>,
}

impl AuditFilter {
    fn select(&self) -> sea_orm::Select<audit_record::Entity> {
        let mut q = audit_record::Entity::find();
        if let Some(t) = self.from {
            q = q.filter(audit_record::Column::At.gte(t));
        }
        if let Some(t) = self.to {
            q = q.filter(audit_record::Column::At.lt(t));
        }
        if let Some(u) = &self.username {
            q = q.filter(audit_record::Column::Username.eq(u.as_str()));
        }
        if let Some(a) = &self.action {
            q = q.filter(audit_record::Column::Action.eq(a.as_str()));
        }
        q
    }
}

/// More records than one export carries; a narrower filter gets the rest.
pub const AUDIT_EXPORT_MAX: u64 = 100_000;

impl Scoped<'_> {
    /// The audit log and the login log are the auditor's (`audit:read`).
    fn require_audit(&self) -> Result<&Store> {
        self.require(domain::Permission::AuditRead)?;
        Ok(self.store)
    }

    /// A page of the log, newest first.
    pub async fn audit_page(&self, page: u64, per_page: u64) -> Result<(Vec<audit_record::Model>, u64)> {
        self.audit_search(&AuditFilter::default(), page, per_page).await
    }

    /// A page of the records `filter` selects, newest first, with their total.
    pub async fn audit_search(
        &self,
        filter: &AuditFilter,
        page: u64,
        per_page: u64,
    ) -> Result<(Vec<audit_record::Model>, u64)> {
        let store = self.require_audit()?;
        newest_first(store, filter.select(), audit_record::Column::Id, page, per_page).await
    }

    /// The records `filter` selects for an export (at most [`AUDIT_EXPORT_MAX`], newest
    /// first), and the export's own audit record (security.md §9: exports are audited).
    pub async fn export_audit_log(&self, filter: &AuditFilter, described: &str) -> Result<Vec<audit_record::Model>> {
        let store = self.require_audit()?;
        let items =
            filter.select().order_by_desc(audit_record::Column::Id).limit(AUDIT_EXPORT_MAX).all(store.db()).await?;
        let ev = Event {
            action: domain::AuditAction::AuditExport,
            entity: "audit_log",
            entity_id: None,
            before: None,
            after: Some(serde_json::json!({"filter": described, "rows": items.len()})),
            result: "ok",
        };
        self.audit_alone(ev).await?;
        Ok(items)
    }

    /// The code and name of the projects audit records point at, deleted ones included:
    /// the auditor reads the log without a business scope, and sees only these two fields.
    pub async fn audit_project_labels(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, (String, String)>> {
        use crate::entity::project;
        let store = self.require_audit()?;
        let mut out = std::collections::HashMap::new();
        for chunk in ids.chunks(500) {
            let rows: Vec<(i64, String, String)> = project::Entity::find()
                .select_only()
                .column(project::Column::Id)
                .column(project::Column::Code)
                .column(project::Column::Name)
                .filter(project::Column::Id.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(store.db())
                .await?;
            out.extend(rows.into_iter().map(|(id, code, name)| (id, (code, name))));
        }
        Ok(out)
    }
}

/// A page of what `q` selects from an append-only log (audit, login), newest first, with the
/// total.
pub(crate) async fn newest_first<E: sea_orm::EntityTrait>(
    store: &Store,
    q: sea_orm::Select<E>,
    id: E::Column,
    page: u64,
    per_page: u64,
) -> Result<(Vec<E::Model>, u64)>
where
    E::Model: Send + Sync,
{
    crate::paged(store.db(), q, (id, sea_orm::Order::Desc), page, per_page).await
}

impl Scoped<'_> {
    /// The change history (变更记录) of one project, newest first: its audit records. The
    /// scope check comes first, so a caller sees the history only of projects they may see.
    pub async fn project_changes(&self, id: i64, limit: u64) -> Result<Vec<audit_record::Model>> {
        self.check_project(id).await?;
        use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
        Ok(audit_record::Entity::find()
            .filter(audit_record::Column::Entity.eq("project"))
            .filter(audit_record::Column::EntityId.eq(id.to_string()))
            .order_by_desc(audit_record::Column::Id)
            .limit(limit)
            .all(self.store.db())
            .await?)
    }
}
