//! A work item of a project: a department task or a problem. Both are assigned to a unit,
//! have a due date, a status that moves forward (`work_transition`) to a final closed one,
//! a closing text (the reply, the resolution) and a version; their lists, their scoped row
//! and their edit are written once here, over [`WorkItem`].

use chrono::NaiveDate;
use domain::tasks::WorkStatus;
use domain::{AuditAction, Permission};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
    Select, Value,
};
use serde::Serialize;

use super::{LIST_MAX, ProjectFacts, check_edit, work_order};
use crate::audit::Event;
use crate::stamp::Versioned;
use crate::{Result, Scope, Scoped, Store, StoreError, Tx};

pub(crate) type Col<W> = <<W as WorkItem>::Entity as EntityTrait>::Column;
pub(crate) type Row<W> = <<W as WorkItem>::Entity as EntityTrait>::Model;

/// The columns a work item's table shares.
pub(crate) struct WorkCols<C> {
    pub id: C,
    pub project: C,
    /// The unit (a department for a task) the item is assigned to.
    pub assignee: C,
    pub status: C,
    /// The closing text: the reply, the resolution.
    pub text: C,
    /// When the text was last written, where the table records it.
    pub text_at: Option<C>,
    /// The date the item closed.
    pub closed_on: C,
}

/// A work item's table and its answer type (`Self`).
pub(crate) trait WorkItem: Serialize + Sized + Send {
    type Entity: EntityTrait<ActiveModel = Self::Am>;
    type Am: Versioned<Entity = Self::Entity>;
    type Status: WorkStatus + Send;
    /// The audit entity name.
    const TABLE: &'static str;
    /// The field table, and the closing text's field in it.
    const FIELDS: &'static domain::fields::Entity;
    const TEXT_FIELD: &'static str;
    /// Only the assignee (or the city, the system) edits it: a unit user may not.
    const ASSIGNEE_ONLY: bool;
    fn cols() -> WorkCols<Col<Self>>;
    fn project_id(m: &Row<Self>) -> i64;
    fn assignee_id(m: &Row<Self>) -> i64;
    /// (status, closing text, version) as stored.
    fn current(m: &Row<Self>) -> (Self::Status, Option<&str>, i32);
    fn code(s: Self::Status) -> &'static str;
    fn build(store: &Store, m: Row<Self>, facts: ProjectFacts, today: NaiveDate) -> Self;
    fn status(&self) -> Self::Status;
    fn due_on(&self) -> Option<NaiveDate>;
    fn id(&self) -> i64;
}

/// A status change and/or a new closing text, against the version read.
pub(crate) struct WorkEdit<'a, S> {
    pub status: Option<S>,
    pub text: Option<&'a str>,
    pub version: i32,
}

impl Scoped<'_> {
    /// Rows with their project facts, open ones and the soonest due first.
    pub(crate) async fn work_of<W: WorkItem>(&self, rows: Vec<Row<W>>, today: NaiveDate) -> Result<Vec<W>> {
        let build = |m, f| W::build(self.store, m, f, today);
        let key = |w: &W| work_order(w.status().is_closed(), w.due_on(), w.id());
        self.with_facts(rows, W::project_id, build, key).await
    }

    /// The newest [`LIST_MAX`] rows `q` selects, built.
    pub(crate) async fn work_list<W: WorkItem>(&self, q: Select<W::Entity>, today: NaiveDate) -> Result<Vec<W>> {
        let rows = q.order_by_desc(W::cols().id).limit(LIST_MAX).all(self.store.db()).await?;
        self.work_of(rows, today).await
    }

    /// A project's items; a department user sees only those assigned to it.
    pub(crate) async fn project_work<W: WorkItem>(
        &self,
        project_id: i64,
        perm: Permission,
        today: NaiveDate,
    ) -> Result<Vec<W>> {
        self.project_row(project_id, perm).await?;
        let cols = W::cols();
        let mut q = W::Entity::find().filter(cols.project.eq(project_id));
        if let Scope::Department(d) = self.actor.scope {
            q = q.filter(cols.assignee.eq(d));
        }
        let rows = q.order_by_asc(cols.id).limit(LIST_MAX).all(self.store.db()).await?;
        self.work_of(rows, today).await
    }

    /// One row: 404 unknown, 403 when a department asks for another's.
    pub(crate) async fn work_row_on<W: WorkItem, C: ConnectionTrait>(&self, db: &C, id: i64) -> Result<Row<W>> {
        let row = W::Entity::find().filter(W::cols().id.eq(id)).one(db).await?.ok_or(StoreError::NotFound)?;
        if let Scope::Department(d) = self.actor.scope
            && d != W::assignee_id(&row)
        {
            return Err(StoreError::Forbidden);
        }
        Ok(row)
    }
}

impl Tx<'_> {
    /// The edit of an item on a live project (`check_edit`: forward only, closing needs the
    /// text, closed is final; stale `version` → 409), audited with before and after.
    pub(crate) async fn edit_work<W: WorkItem>(
        &self,
        id: i64,
        perm: Permission,
        edit: WorkEdit<'_, W::Status>,
        today: NaiveDate,
        action: AuditAction,
    ) -> Result<W>
    where
        Row<W>: IntoActiveModel<W::Am>,
    {
        let row: Row<W> = self.s.work_row_on::<W, _>(&self.txn, id).await?;
        if W::ASSIGNEE_ONLY && matches!(self.actor().scope, Scope::Units(_) | Scope::Nothing) {
            return Err(StoreError::Forbidden);
        }
        let p = self.live_project_row(W::project_id(&row), perm, "项目已删除").await?;
        let current = W::current(&row);
        let (text_now, read) = (current.1.map(str::to_string), current.2);
        let (to, text) = check_edit(W::FIELDS, W::TEXT_FIELD, current, edit.status, edit.text, edit.version)?;
        let facts = ProjectFacts::of(self.store(), &p);
        let before = W::build(self.store(), row.clone(), facts.clone(), today);
        let (cols, now) = (W::cols(), crate::now());
        let mut am = row.into_active_model();
        am.try_set(cols.status, Value::from(W::code(to)))?;
        if text != text_now {
            am.try_set(cols.text, Value::from(text))?;
            if let Some(at) = cols.text_at {
                am.try_set(at, Value::from(Some(now)))?;
            }
        }
        if to.is_closed() {
            am.try_set(cols.closed_on, Value::from(Some(today)))?;
        }
        am.bump(read, now)?;
        let out = W::build(self.store(), am.update(&self.txn).await?, facts, today);
        self.audited(Event::ok(action, W::TABLE, out.id()).before(&before), out).await
    }
}

/// [`WorkItem`] for an answer type over its table: `$t` the answer, `$m` the entity module,
/// `$s` the status type; the columns and model fields of the assignee, the closing text
/// (with the time it was written, where there is one) and the closing date.
macro_rules! work_item {
    ($t:ident: $m:ident, $s:ident, $table:literal, $fields:path, only_assignee: $only:literal,
     assignee: $ac:ident $af:ident, text: $tc:ident $tf:ident $(at $atc:ident)?, closed_on: $cc:ident) => {
        impl $crate::tasks::work::WorkItem for $t {
            type Entity = $m::Entity;
            type Am = $m::ActiveModel;
            type Status = $s;
            const TABLE: &'static str = $table;
            const FIELDS: &'static domain::fields::Entity = &$fields;
            const TEXT_FIELD: &'static str = stringify!($tf);
            const ASSIGNEE_ONLY: bool = $only;
            fn cols() -> $crate::tasks::work::WorkCols<$m::Column> {
                $crate::tasks::work::WorkCols {
                    id: $m::Column::Id,
                    project: $m::Column::ProjectId,
                    assignee: $m::Column::$ac,
                    status: $m::Column::Status,
                    text: $m::Column::$tc,
                    text_at: None $(.or(Some($m::Column::$atc)))?,
                    closed_on: $m::Column::$cc,
                }
            }
            fn project_id(m: &$m::Model) -> i64 {
                m.project_id
            }
            fn assignee_id(m: &$m::Model) -> i64 {
                m.$af
            }
            fn current(m: &$m::Model) -> ($s, Option<&str>, i32) {
                ($s::parse(&m.status).unwrap_or($s::Open), m.$tf.as_deref(), m.version)
            }
            fn code(s: $s) -> &'static str {
                s.code()
            }
            fn build(store: &$crate::Store, m: $m::Model, facts: ProjectFacts, today: NaiveDate) -> Self {
                Self::of(store, m, facts, today)
            }
            fn status(&self) -> $s {
                self.status
            }
            fn due_on(&self) -> Option<NaiveDate> {
                self.due_on
            }
            fn id(&self) -> i64 {
                self.id
            }
        }
    };
}
pub(crate) use work_item;
