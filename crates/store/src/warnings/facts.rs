//! The facts the warning rules need, fetched in one set-based query per rule over the
//! caller's projects (never one query per project): each query already leaves out what
//! cannot warn (not yet due, closed, recent), and the rule itself decides the rest.
//!
//! A rule's rows come back packed by the database into one JSON array ([`Sql::facts`]; why:
//! `crate::sql`).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sea_orm::FromQueryResult;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

pub(crate) use crate::sql::Sql;
use crate::{Result, Store};

/// The columns of [`On`], the project every fact row names first.
const ON: &[&str] = &["project_id", "unit_id", "project_name", "lead_leader"];

impl Sql {
    /// The rows of `sql` — the columns of [`PROJECT`] first, then `cols` (names of its
    /// result columns) — as (project, rest) pairs, packed by the database ([`Sql::packed_pairs`]).
    pub(super) async fn facts<T: DeserializeOwned>(
        self,
        store: &Store,
        cols: &[&str],
        sql: String,
    ) -> Result<Vec<(On, T)>> {
        self.packed_pairs(store, (ON, cols), sql).await
    }
}

/// The live projects in scope, as a derived table `p` (`unit_sql` from `ProjectScope`).
/// Its columns are those of the index `ix_projects_warnings` (migration `warning_indexes`),
/// which answers the project rules without a table read: a column added here belongs there.
pub(super) fn projects(unit_sql: &str) -> String {
    format!(
        "(SELECT id, unit_id, name, lead_leader, stage, signed_on, expected_producing_on, key_project, \
         last_transition_on, created_at FROM projects WHERE deleted_at IS NULL{unit_sql}) p"
    )
}

/// The project columns every row carries.
pub(super) const PROJECT: &str = "p.id AS project_id, p.unit_id, p.name AS project_name, p.lead_leader, p.stage";

/// The project a warning is about: the columns of [`PROJECT`] that every row carries.
#[derive(Deserialize)]
pub(super) struct On {
    pub project_id: i64,
    pub unit_id: i64,
    pub project_name: String,
    pub lead_leader: Option<String>,
}

/// A project's stage and up to two of its dates (which ones: the query's) and its creation.
#[derive(Deserialize)]
pub(super) struct ProjectRow {
    pub stage: String,
    pub d1: Option<NaiveDate>,
    pub d2: Option<NaiveDate>,
    #[serde(deserialize_with = "opt_stamp")]
    pub at: Option<DateTime<Utc>>,
}

/// The columns of a [`ProjectRow`], in order.
pub(super) const PROJECT_ROW: &[&str] = &["stage", "d1", "d2", "at"];

/// A child item with a due date (milestone, task, problem, clause).
#[derive(Deserialize)]
pub(super) struct ItemRow {
    pub id: i64,
    pub title: String,
    pub due_on: NaiveDate,
    pub status: Option<String>,
    pub settled_on: Option<NaiveDate>,
}

/// The columns of an [`ItemRow`], in order.
pub(super) const ITEM_ROW: &[&str] = &["id", "title", "due_on", "status", "settled_on"];

/// A key project's 四个一 counts.
#[derive(Deserialize)]
pub(super) struct FourRow {
    pub milestones: i64,
    pub team_members: i64,
    pub team_leaders: i64,
    pub attachments: i64,
}

/// The columns of a [`FourRow`], in order.
pub(super) const FOUR_ROW: &[&str] = &["milestones", "team_members", "team_leaders", "attachments"];

/// A claim waiting for the city.
#[derive(Deserialize)]
pub(super) struct ReviewRow {
    pub id: i64,
    #[serde(deserialize_with = "stamp")]
    pub submitted_at: DateTime<Utc>,
}

/// The columns of a [`ReviewRow`], in order.
pub(super) const REVIEW_ROW: &[&str] = &["id", "submitted_at"];

/// A timestamp as JSON gives it: PostgreSQL's ISO 8601 with offset, or SQLite's stored text
/// (RFC 3339 as the driver writes it; also a space for the `T`, or no offset: UTC).
fn parse_stamp(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%#z") {
        return Some(t.with_timezone(&Utc));
    }
    ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .map(|t| t.and_utc())
}

fn stamp<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<DateTime<Utc>, D::Error> {
    let s = String::deserialize(d)?;
    parse_stamp(&s).ok_or_else(|| serde::de::Error::custom(format!("not a timestamp: {s}")))
}

fn opt_stamp<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) => parse_stamp(&s).map(Some).ok_or_else(|| serde::de::Error::custom(format!("not a timestamp: {s}"))),
    }
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

#[cfg(test)]
mod tests {
    use super::parse_stamp;

    #[test]
    fn stamps_as_either_database_writes_them() {
        let t = |s: &str| parse_stamp(s).map(|t| t.to_rfc3339());
        let utc = Some("2026-06-15T00:00:00+00:00".to_string());
        assert_eq!(t("2026-06-15T00:00:00+00:00"), utc);
        assert_eq!(t("2026-06-15T08:00:00+08:00"), utc);
        assert_eq!(t("2026-06-15 00:00:00+00"), utc);
        assert_eq!(t("2026-06-15 00:00:00"), utc);
        assert_eq!(t("2026-06-15T00:00:00.000"), utc);
        assert_eq!(t("2026-06-15"), None);
        assert_eq!(t("soon"), None);
    }
}
