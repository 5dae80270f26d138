//! m20261202_000009: the road from signing to landing (issue 11; domain.md §4, §5, §7):
//! review claims, evidence files, agreements and clauses, the 四个一 (milestones, work
//! team; the case file is the project's attachments), department tasks' replies, problems,
//! 督办 items, monthly reports, outcomes and settings.
//!
//! Every child table carries `project_id`, so each is scoped through its project in one
//! place (`scope.rs`). Money and areas are hundredths (as `projects.total_investment`).

use sea_orm_migration::prelude::*;

use super::{
    big, big_null, create, create_keyed, date, date_null, drop_tables, flag, id, index, int, int_null, stamped, text,
    text_null, ts, ts_null,
};

migration! {
    pub Landing = "m20261202_000009_landing"; up: up; down: down
}

async fn up(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    // A claim the city reviews: a stage claim (a transition) or a funds entry. The
    // transition or entry keeps its own `review_state` in step (one store function).
    create(
        m,
        "reviews",
        vec![
            id("id"),
            text("kind"),
            big("project_id"),
            big_null("transition_id"),
            big_null("funds_entry_id"),
            text_null("stage"),
            date("date"),
            big_null("amount"),
            text("state"),
            big_null("submitted_by"),
            ts("submitted_at"),
            big_null("reviewed_by"),
            ts_null("reviewed_at"),
            text_null("comment"),
            // the Asia/Shanghai date the city accepted it: a period's measures and a
            // frozen month are recomputed as of this date
            date_null("accepted_on"),
            int("resubmissions"),
            int("version"),
        ],
        &[("project_id", "projects"), ("transition_id", "transitions"), ("funds_entry_id", "funds_entries")],
    )
    .await?;
    m.create_index(index("ix_reviews_state", "reviews", &["state", "submitted_at"], false)).await?;
    m.create_index(index("ix_reviews_project", "reviews", &["project_id"], false)).await?;

    // Evidence files: stored under `stored_name` below the data dir, never served as is.
    create(
        m,
        "attachments",
        vec![
            id("id"),
            text("entity"),
            big("entity_id"),
            big_null("project_id"),
            text("name"),
            text("stored_name"),
            text("content_type"),
            big("size"),
            text("sha256"),
            big_null("uploaded_by"),
            ts("uploaded_at"),
            ts_null("deleted_at"),
        ],
        &[("project_id", "projects")],
    )
    .await?;
    m.create_index(index("ux_attachments_stored_name", "attachments", &["stored_name"], true)).await?;
    m.create_index(index("ix_attachments_entity", "attachments", &["entity", "entity_id"], false)).await?;
    m.create_index(index("ix_attachments_project", "attachments", &["project_id"], false)).await?;

    create(
        m,
        "agreements",
        stamped(vec![
            id("id"),
            big("project_id"),
            text("kind"),
            text("title"),
            date_null("signed_on"),
            // JSON array of the parties' names
            text("parties"),
            big_null("amount"),
            ts_null("deleted_at"),
        ]),
        &[("project_id", "projects")],
    )
    .await?;
    m.create_index(index("ix_agreements_project", "agreements", &["project_id"], false)).await?;

    // A package agreement's sub-projects: each a project of its own.
    create_keyed(
        m,
        "agreement_sub_projects",
        vec![big("agreement_id"), big("project_id")],
        &["agreement_id", "project_id"],
        &[("agreement_id", "agreements"), ("project_id", "projects")],
    )
    .await?;
    m.create_index(index("ux_agreement_sub_projects_project", "agreement_sub_projects", &["project_id"], true)).await?;

    create(
        m,
        "clauses",
        stamped(vec![
            id("id"),
            big("agreement_id"),
            big("project_id"),
            text("number"),
            text("text"),
            text("obligor"),
            big_null("due_amount"),
            big_null("due_area"),
            date_null("due_on"),
            text("status"),
            date_null("status_on"),
            text_null("note"),
        ]),
        &[("agreement_id", "agreements"), ("project_id", "projects")],
    )
    .await?;
    m.create_index(index("ix_clauses_agreement", "clauses", &["agreement_id"], false)).await?;
    m.create_index(index("ix_clauses_due", "clauses", &["due_on"], false)).await?;

    create(
        m,
        "milestones",
        stamped(vec![
            id("id"),
            big("project_id"),
            text("title"),
            text_null("owner"),
            date_null("due_on"),
            date_null("done_on"),
        ]),
        &[("project_id", "projects")],
    )
    .await?;
    m.create_index(index("ix_milestones_project", "milestones", &["project_id"], false)).await?;

    create(
        m,
        "team_members",
        vec![
            id("id"),
            big("project_id"),
            text("name"),
            text_null("position"),
            text_null("role"),
            flag("is_leader"),
            int("sort"),
        ],
        &[("project_id", "projects")],
    )
    .await?;
    m.create_index(index("ix_team_members_project", "team_members", &["project_id"], false)).await?;

    // dept_tasks exists since the first migration: who assigned it, when it was answered.
    for c in [big_null("created_by"), ts_null("replied_at"), date_null("done_on")] {
        m.alter_table(Table::alter().table(Alias::new("dept_tasks")).add_column(c).to_owned()).await?;
    }

    create(
        m,
        "problems",
        stamped(vec![
            id("id"),
            big("project_id"),
            text("title"),
            text_null("detail"),
            big("assignee_unit_id"),
            date_null("due_on"),
            text("status"),
            text_null("resolution"),
            date_null("resolved_on"),
            // `ledger` when the 存在问题 column opened it, `manual` otherwise
            text("source"),
        ]),
        &[("project_id", "projects"), ("assignee_unit_id", "units")],
    )
    .await?;
    m.create_index(index("ix_problems_project", "problems", &["project_id"], false)).await?;
    m.create_index(index("ix_problems_assignee", "problems", &["assignee_unit_id", "status"], false)).await?;

    create(
        m,
        "supervisions",
        stamped(vec![
            id("id"),
            text_null("warning_key"),
            big("project_id"),
            big("unit_id"),
            date("deadline"),
            text("instruction"),
            text("status"),
            text_null("reply"),
            big_null("replied_by"),
            ts_null("replied_at"),
            big_null("closed_by"),
            ts_null("closed_at"),
        ]),
        &[("project_id", "projects"), ("unit_id", "units")],
    )
    .await?;
    m.create_index(index("ix_supervisions_unit", "supervisions", &["unit_id", "status"], false)).await?;

    // A unit's confirmed month: the frozen rows and accepted figures as of that day.
    create(
        m,
        "monthly_reports",
        vec![
            id("id"),
            big("unit_id"),
            text("month"),
            big_null("confirmed_by"),
            ts("confirmed_at"),
            text("snapshot"),
            text("snapshot_sha256"),
        ],
        &[("unit_id", "units")],
    )
    .await?;
    m.create_index(index("ux_monthly_reports_unit_month", "monthly_reports", &["unit_id", "month"], true)).await?;

    create(
        m,
        "outcomes",
        stamped(vec![
            id("id"),
            big("project_id"),
            int("year"),
            big_null("output"),
            big_null("tax"),
            int_null("jobs"),
            text_null("note"),
        ]),
        &[("project_id", "projects")],
    )
    .await?;
    m.create_index(index("ux_outcomes_project_year", "outcomes", &["project_id", "year"], true)).await?;

    create_keyed(
        m,
        "settings",
        vec![text("key"), text("value"), big_null("updated_by"), ts("updated_at")],
        &["key"],
        &[],
    )
    .await?;
    Ok(())
}

async fn down(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    drop_tables(
        m,
        &[
            "settings",
            "outcomes",
            "monthly_reports",
            "supervisions",
            "problems",
            "team_members",
            "milestones",
            "clauses",
            "agreement_sub_projects",
            "agreements",
            "attachments",
            "reviews",
        ],
    )
    .await?;
    for c in ["created_by", "replied_at", "done_on"] {
        m.alter_table(Table::alter().table(Alias::new("dept_tasks")).drop_column(Alias::new(c)).to_owned()).await?;
    }
    Ok(())
}
