//! The facts the warning rules need, fetched in one set-based query per rule over the
//! caller's projects (never one query per project): each query already leaves out what
//! cannot warn (not yet due, closed, recent), and the rule itself decides the rest.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, Value};

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

    pub(crate) fn bind(&mut self, v: impl Into<Value>) -> String {
        self.values.push(v.into());
        placeholder(self.backend, self.values.len())
    }

    pub(crate) async fn all<T: FromQueryResult>(self, store: &Store, sql: String) -> Result<Vec<T>> {
        self.all_on(store.db(), sql).await
    }

    pub(crate) async fn all_on<T: FromQueryResult, C: ConnectionTrait>(self, db: &C, sql: String) -> Result<Vec<T>> {
        Ok(T::find_by_statement(Statement::from_sql_and_values(self.backend, sql, self.values)).all(db).await?)
    }

    pub(crate) async fn execute_on<C: ConnectionTrait>(self, db: &C, sql: String) -> Result<()> {
        db.execute_raw(Statement::from_sql_and_values(self.backend, sql, self.values)).await?;
        Ok(())
    }
}

/// The live projects in scope, as a derived table `p` (`unit_sql` from `ProjectScope`).
pub(super) fn projects(unit_sql: &str) -> String {
    format!(
        "(SELECT id, unit_id, name, lead_leader, stage, signed_on, expected_producing_on, key_project, \
         last_transition_on, created_at FROM projects WHERE deleted_at IS NULL{unit_sql}) p"
    )
}

/// The project columns every row carries.
pub(super) const PROJECT: &str = "p.id AS project_id, p.unit_id, p.name AS project_name, p.lead_leader, p.stage";

/// The project a warning is about: the columns of [`PROJECT`] that every row carries.
#[derive(FromQueryResult)]
pub(super) struct On {
    pub project_id: i64,
    pub unit_id: i64,
    pub project_name: String,
    pub lead_leader: Option<String>,
}

/// A project and up to two of its dates (which ones: the query's).
#[derive(FromQueryResult)]
pub(super) struct ProjectRow {
    #[sea_orm(nested)]
    pub on: On,
    pub stage: String,
    pub d1: Option<NaiveDate>,
    pub d2: Option<NaiveDate>,
    pub at: Option<DateTime<Utc>>,
}

/// A child item with a due date (milestone, task, problem, clause).
#[derive(FromQueryResult)]
pub(super) struct ItemRow {
    #[sea_orm(nested)]
    pub on: On,
    pub id: i64,
    pub title: String,
    pub due_on: NaiveDate,
    pub status: Option<String>,
    pub settled_on: Option<NaiveDate>,
}

/// A key project's 四个一 counts.
#[derive(FromQueryResult)]
pub(super) struct FourRow {
    #[sea_orm(nested)]
    pub on: On,
    pub milestones: i64,
    pub team_members: i64,
    pub team_leaders: i64,
    pub attachments: i64,
}

/// A claim waiting for the city.
#[derive(FromQueryResult)]
pub(super) struct ReviewRow {
    #[sea_orm(nested)]
    pub on: On,
    pub id: i64,
    pub submitted_at: DateTime<Utc>,
}

/// A unit's confirmation of a month.
#[derive(FromQueryResult)]
pub(crate) struct Confirmed {
    pub unit_id: i64,
    pub confirmed_at: DateTime<Utc>,
}

/// `'a', 'b'`: our own vocabulary codes, safe to inline.
pub(crate) fn codes(codes: &[&str]) -> String {
    codes.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
}

/// The overdue query of one child table: its id, title, due date and (for clauses) status.
pub(super) fn overdue_sql(item: domain::warnings::OverdueItem, p: &str, q: &mut Sql, today: NaiveDate) -> String {
    use domain::warnings::OverdueItem::*;
    let t = q.bind(today);
    match item {
        Milestone => {
            let t2 = q.bind(today);
            format!(
                "SELECT {PROJECT}, m.id, m.title, m.due_on, CAST(NULL AS TEXT) AS status, m.done_on AS settled_on \
                 FROM milestones m JOIN {p} ON p.id = m.project_id WHERE m.due_on < {t} \
                 AND (m.done_on IS NULL OR m.done_on > {t2})"
            )
        }
        Task => format!(
            "SELECT {PROJECT}, x.id, x.title, x.due_on, x.status, CAST(NULL AS DATE) AS settled_on \
             FROM dept_tasks x JOIN {p} ON p.id = x.project_id WHERE x.due_on < {t} AND x.status <> 'done'"
        ),
        Problem => format!(
            "SELECT {PROJECT}, x.id, x.title, x.due_on, x.status, CAST(NULL AS DATE) AS settled_on \
             FROM problems x JOIN {p} ON p.id = x.project_id WHERE x.due_on < {t} AND x.status <> 'resolved'"
        ),
        Clause => {
            let t2 = q.bind(today);
            let settled = codes(&["fulfilled", "breached", "waived"]);
            format!(
                "SELECT {PROJECT}, c.id, c.number || ' ' || c.text AS title, c.due_on, c.status, \
                 c.status_on AS settled_on FROM clauses c JOIN agreements a ON a.id = c.agreement_id \
                 AND a.deleted_at IS NULL JOIN {p} ON p.id = c.project_id WHERE c.due_on < {t} \
                 AND (c.status NOT IN ({settled}) OR c.status_on > {t2})"
            )
        }
    }
}
