//! m20261203_000012: indexes for the warning rules (预警) at 100,000 projects.
//!
//! - `clauses(due_on, status, status_on, project_id, agreement_id)` replaces `ix_clauses_due`
//!   (its prefix): 条款逾期 keeps the clauses due before today that are not settled, and with
//!   only `due_on` in the index every clause ever due was read from the table to test its
//!   status; now the test runs on the index and only the overdue ones are read.
//! - `progress_notes(project_id, date)`: 长期无进展 asks each active project for its latest
//!   follow-up (and whether one is recent): one index seek instead of reading every note.
//! - `ix_projects_warnings`: the live projects' columns the rules read (see
//!   `warnings::facts::projects`), by stage and unit, so the project rules (签约未开工,
//!   开工未投产, 长期无进展) are answered from the index without a table read per project.
//!   `deleted_at` is in it too: SQLite counts a partial index as covering only when the
//!   columns of its WHERE are in it.

use sea_orm_migration::prelude::*;

migration! {
    pub(super) WarningIndexes = "m20261203_000012_warning_indexes"; up: up; down: down
}

const CLAUSES: &[&str] = &["due_on", "status", "status_on", "project_id", "agreement_id"];

/// The same statement text on SQLite and PostgreSQL, like the ledger's partial indexes.
const PROJECTS: &str = "CREATE INDEX ix_projects_warnings ON projects (stage, unit_id, id, key_project, signed_on, \
     expected_producing_on, last_transition_on, created_at, lead_leader, name, deleted_at) WHERE deleted_at IS NULL";

async fn up(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_index(super::index("ix_clauses_due_status", "clauses", CLAUSES, false)).await?;
    m.drop_index(Index::drop().name("ix_clauses_due").table(Alias::new("clauses")).to_owned()).await?;
    m.create_index(super::index("ix_progress_notes_date", "progress_notes", &["project_id", "date"], false)).await?;
    m.get_connection().execute_unprepared(PROJECTS).await.map(|_| ())
}

async fn down(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.drop_index(Index::drop().name("ix_projects_warnings").table(Alias::new("projects")).to_owned()).await?;
    m.drop_index(Index::drop().name("ix_progress_notes_date").table(Alias::new("progress_notes")).to_owned()).await?;
    m.create_index(super::index("ix_clauses_due", "clauses", &["due_on"], false)).await?;
    m.drop_index(Index::drop().name("ix_clauses_due_status").table(Alias::new("clauses")).to_owned()).await
}
