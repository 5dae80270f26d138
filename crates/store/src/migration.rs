//! ONE migration set for SQLite and PostgreSQL, written with SeaQuery's schema builder so
//! both backends get the same tables, columns, keys and indexes (a test compares them).

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::prelude::*;

/// One migration: its struct, its name, and the two async functions (`up`, and `down` or the
/// words naming what cannot be reversed) it runs, so each migration states only those.
macro_rules! migration {
    ($(#[$doc:meta])* $vis:vis $ty:ident = $name:literal; up: $up:path; down: $down:path) => {
        migration!(@impl $(#[$doc])* $vis $ty = $name; up: $up; down(m) { $down(m).await });
    };
    ($(#[$doc:meta])* $vis:vis $ty:ident = $name:literal; up: $up:path; irreversible: $what:literal) => {
        migration!(@impl $(#[$doc])* $vis $ty = $name; up: $up; down(_m) {
            Err(sea_orm_migration::prelude::DbErr::Migration(concat!($what, " is not reversible").into()))
        });
    };
    (@impl $(#[$doc:meta])* $vis:vis $ty:ident = $name:literal; up: $up:path; down($m:ident) $down:block) => {
        $(#[$doc])*
        $vis struct $ty;

        impl sea_orm_migration::prelude::MigrationName for $ty {
            fn name(&self) -> &str {
                $name
            }
        }

        #[sea_orm_migration::async_trait::async_trait]
        impl sea_orm_migration::prelude::MigrationTrait for $ty {
            /// Each migration in one transaction on SQLite too (PostgreSQL's default): a
            /// migration that fails or is killed half-way leaves the schema as it was.
            fn use_transaction(&self) -> Option<bool> {
                Some(true)
            }

            async fn up(
                &self,
                m: &sea_orm_migration::prelude::SchemaManager,
            ) -> Result<(), sea_orm_migration::prelude::DbErr> {
                $up(m).await
            }

            async fn down(
                &self,
                $m: &sea_orm_migration::prelude::SchemaManager,
            ) -> Result<(), sea_orm_migration::prelude::DbErr> {
                $down
            }
        }
    };
}

mod activities;
mod agreement_checks;
mod ambassadors;
mod assessment;
mod check_constraints;
mod company_contacts;
mod company_rankings;
mod initial;
mod inquiries;
mod landing;
mod leaders;
mod reportable_reviews;
mod review_checks;
mod targets;
mod transitions_date;
mod username_nocase;
mod warning_indexes;

pub use check_constraints::CHECK_MESSAGE;

pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(initial::Initial),
            Box::new(ReferenceUnits),
            Box::new(AppendOnlyAudit),
            Box::new(ProgressNotes),
            Box::new(CompanyDeclaredType),
            Box::new(check_constraints::CheckConstraints),
            Box::new(username_nocase::UsernameNocase),
            Box::new(transitions_date::TransitionsDate),
            Box::new(landing::Landing),
            Box::new(agreement_checks::AgreementChecks),
            Box::new(review_checks::ReviewChecks),
            Box::new(warning_indexes::WarningIndexes),
            Box::new(targets::Targets),
            Box::new(company_contacts::CompanyContacts),
            Box::new(company_rankings::CompanyRankings),
            Box::new(leaders::Leaders),
            Box::new(activities::Activities),
            Box::new(inquiries::Inquiries),
            Box::new(ambassadors::Ambassadors),
            Box::new(reportable_reviews::ReportableReviews),
            Box::new(assessment::Assessment),
        ]
    }
}

fn id(name: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).big_integer().not_null().auto_increment().primary_key().to_owned()
}
fn col(name: &'static str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
}
/// The column constructors, each type once: `$not_null(name)` and `$null(name)`.
macro_rules! columns {
    ($($not_null:ident, $null:ident => $ty:ident;)*) => {
        $(
            fn $not_null(name: &'static str) -> ColumnDef {
                col(name).$ty().not_null().to_owned()
            }
            fn $null(name: &'static str) -> ColumnDef {
                col(name).$ty().null().to_owned()
            }
        )*
    };
}

columns! {
    text, text_null => string;
    big, big_null => big_integer;
    int, int_null => integer;
    ts, ts_null => timestamp_with_time_zone;
    date, date_null => date;
}

fn flag(name: &'static str) -> ColumnDef {
    col(name).boolean().not_null().to_owned()
}

/// `cols` and the optimistic-lock version with the row's creation and update times.
fn versioned(mut cols: Vec<ColumnDef>) -> Vec<ColumnDef> {
    cols.extend([int("version"), ts("created_at"), ts("updated_at")]);
    cols
}

/// Who created a row, its optimistic-lock version and its timestamps.
fn stamped(mut cols: Vec<ColumnDef>) -> Vec<ColumnDef> {
    cols.push(big_null("created_by"));
    versioned(cols)
}

fn table(name: &'static str, cols: Vec<ColumnDef>) -> TableCreateStatement {
    let mut t = Table::create();
    t.table(Alias::new(name));
    for mut c in cols {
        t.col(&mut c);
    }
    t.to_owned()
}

fn fk(t: &mut TableCreateStatement, table: &'static str, from: &'static str, to_table: &'static str) {
    t.foreign_key(
        ForeignKey::create()
            .from(Alias::new(table), Alias::new(from))
            .to(Alias::new(to_table), Alias::new("id"))
            .on_delete(ForeignKeyAction::Restrict),
    );
}

/// Table `name` with `cols` and its foreign keys (`column → table`, ON DELETE RESTRICT),
/// created; its key is its `id` column.
async fn create(
    m: &SchemaManager<'_>,
    name: &'static str,
    cols: Vec<ColumnDef>,
    fks: &[(&'static str, &'static str)],
) -> Result<(), DbErr> {
    create_keyed(m, name, cols, &[], fks).await
}

/// [`create`], with the primary key of the columns `key` (none: the `id` column's).
async fn create_keyed(
    m: &SchemaManager<'_>,
    name: &'static str,
    cols: Vec<ColumnDef>,
    key: &[&'static str],
    fks: &[(&'static str, &'static str)],
) -> Result<(), DbErr> {
    let mut t = table(name, cols);
    if !key.is_empty() {
        let mut pk = Index::create();
        for c in key {
            pk.col(Alias::new(*c));
        }
        t.primary_key(&mut pk);
    }
    for (from, to) in fks {
        fk(&mut t, name, from, to);
    }
    m.create_table(t).await
}

/// Drop the tables `names`, in that order (children before their parents).
async fn drop_tables(m: &SchemaManager<'_>, names: &[&'static str]) -> Result<(), DbErr> {
    for t in names {
        m.drop_table(Table::drop().table(Alias::new(*t)).to_owned()).await?;
    }
    Ok(())
}

fn index(name: &'static str, table: &'static str, cols: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(Alias::new(table));
    for c in cols {
        i.col(Alias::new(*c));
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}

migration! {
    /// Loads the unit tree of `reference/units.csv` (embedded) into an empty `units` table.
    ReferenceUnits = "m20261127_000002_reference_units"; up: reference_units; irreversible: "reference data"
}

async fn reference_units(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let backend = db.get_database_backend();
    let rows = domain::reference::units();
    // Parents first: the CSV lists the root first, so insert in order and look parents up.
    for (i, u) in rows.iter().enumerate() {
        let parent_sql = match backend {
            DbBackend::Postgres => "(SELECT id FROM units WHERE code = $6)",
            _ => "(SELECT id FROM units WHERE code = ?)",
        };
        let sql = match backend {
            DbBackend::Postgres => format!(
                "INSERT INTO units (code, name, kind, assessed, sort, parent_id) VALUES ($1, $2, $3, $4, $5, {parent_sql})"
            ),
            _ => format!(
                "INSERT INTO units (code, name, kind, assessed, sort, parent_id) VALUES (?, ?, ?, ?, ?, {parent_sql})"
            ),
        };
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                u.code.clone().into(),
                u.name.clone().into(),
                u.kind.clone().into(),
                u.assessed.into(),
                (i as i32).into(),
                u.parent.clone().unwrap_or_default().into(),
            ],
        ))
        .await?;
    }
    Ok(())
}

migration! {
    /// security.md §10: the application cannot UPDATE or DELETE audit rows. A trigger refuses
    /// both (and TRUNCATE on PostgreSQL); the hash chain still detects what someone with the
    /// power to drop the trigger does. The trigger syntax differs, so this one step branches.
    AppendOnlyAudit = "m20261127_000003_append_only_audit"; up: append_only_audit; irreversible: "the audit guard"
}

pub const AUDIT_GUARD_MESSAGE: &str = "audit_log is append-only";

async fn append_only_audit(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let statements: Vec<String> = match db.get_database_backend() {
        DbBackend::Postgres => vec![
            format!(
                "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ \
                 BEGIN RAISE EXCEPTION '{AUDIT_GUARD_MESSAGE}'; END; $$ LANGUAGE plpgsql"
            ),
            "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log \
             FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
                .into(),
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log \
             FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
                .into(),
        ],
        _ => vec![
            format!(
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log \
                 BEGIN SELECT RAISE(ABORT, '{AUDIT_GUARD_MESSAGE}'); END"
            ),
            format!(
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
                 BEGIN SELECT RAISE(ABORT, '{AUDIT_GUARD_MESSAGE}'); END"
            ),
        ],
    };
    for sql in statements {
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}

migration! {
    /// ledger.md: 项目进展情况 is the project's latest progress note, appended to its timeline
    /// whenever it changes. `projects.progress` holds the latest (the export reads it with the
    /// row); `progress_notes` keeps every one, dated, with who recorded it.
    ProgressNotes = "m20261128_000004_progress_notes"; up: progress_notes; irreversible: "progress notes"
}

async fn progress_notes(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.alter_table(Table::alter().table(Alias::new("projects")).add_column(text_null("progress")).to_owned()).await?;
    create(
        m,
        "progress_notes",
        vec![id("id"), big("project_id"), date("date"), text("note"), big_null("created_by"), ts("created_at")],
        &[("project_id", "projects")],
    )
    .await?;
    m.create_index(index("ix_progress_notes_project", "progress_notes", &["project_id", "id"], false)).await?;
    Ok(())
}

migration! {
    /// ledger.md 投资方类型 as a unit declared it when its ledger created the company: shown
    /// (and exported) until the company's ranks are filled in; it never counts as a rank.
    CompanyDeclaredType = "m20261128_000005_company_declared_type";
    up: company_declared_type;
    irreversible: "the declared investor type"
}

async fn company_declared_type(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.alter_table(Table::alter().table(Alias::new("companies")).add_column(text_null("declared_type")).to_owned()).await
}
