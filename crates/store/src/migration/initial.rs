//! m20261127_000001: the initial schema (units, users, companies, projects and their
//! children, the audit chain, sessions and the login log), as one migration.

use sea_orm_migration::prelude::*;

use super::*;

migration! {
    pub(super) Initial = "m20261127_000001_initial"; up: initial; irreversible: "the initial schema"
}

async fn initial(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    create(
        m,
        "units",
        vec![id("id"), text("code"), text("name"), text("kind"), big_null("parent_id"), flag("assessed"), int("sort")],
        &[("parent_id", "units")],
    )
    .await?;
    m.create_index(index("ux_units_code", "units", &["code"], true)).await?;

    m.create_table(table(
        "users",
        versioned(vec![
            id("id"),
            text("username"),
            text("display_name"),
            text("password_hash"),
            big_null("unit_id"),
            flag("disabled"),
            flag("must_change_password"),
            ts("password_changed_at"),
            text_null("totp_secret"),
            flag("totp_enabled"),
            big_null("totp_last_step"),
        ]),
    ))
    .await?;
    m.create_index(index("ux_users_username", "users", &["username"], true)).await?;

    create_keyed(m, "user_roles", vec![big("user_id"), text("role")], &["user_id", "role"], &[("user_id", "users")])
        .await?;

    create(
        m,
        "sessions",
        vec![
            id("id"),
            text("token_hash"),
            big("user_id"),
            text_null("address"),
            ts("created_at"),
            ts("last_seen_at"),
            ts("expires_at"),
            ts_null("ended_at"),
        ],
        &[("user_id", "users")],
    )
    .await?;
    m.create_index(index("ux_sessions_token_hash", "sessions", &["token_hash"], true)).await?;
    m.create_index(index("ix_sessions_user", "sessions", &["user_id"], false)).await?;

    m.create_table(table(
        "companies",
        versioned(vec![
            id("id"),
            text("name"),
            text_null("credit_code"),
            text("country"),
            text_null("region"),
            text_null("hq_city"),
            text_null("industry"),
            int_null("fortune_global_500_rank"),
            int_null("china_500_rank"),
            int_null("china_private_500_rank"),
            int_null("rank_year"),
            flag("industry_leader"),
            text_null("leader_reason"),
            text_null("website"),
            text_null("notes"),
        ]),
    ))
    .await?;
    m.create_index(index("ux_companies_name", "companies", &["name"], true)).await?;
    m.create_index(index("ux_companies_credit_code", "companies", &["credit_code"], true)).await?;

    create(
        m,
        "projects",
        vec![
            id("id"),
            text("code"),
            text("name"),
            big("unit_id"),
            text("industry"),
            text("region"),
            text_null("channel"),
            text("categories"),
            big("total_investment"),
            big_null("foreign_investment"),
            big_null("land_mu"),
            big_null("expected_output"),
            big_null("expected_tax"),
            int_null("expected_jobs"),
            text_null("lead_leader"),
            text("stage"),
            text_null("paused_from"),
            text("accepted_stage"),
            text("review_state"),
            date_null("signed_on"),
            date_null("approved_on"),
            date_null("started_on"),
            date_null("producing_on"),
            date_null("at_capacity_on"),
            date_null("expected_producing_on"),
            date_null("last_transition_on"),
            flag("city_reportable"),
            flag("key_project"),
            text_null("notes"),
            text("search_text"),
            int("version"),
            big_null("created_by"),
            ts("created_at"),
            ts("updated_at"),
            ts_null("deleted_at"),
        ],
        &[("unit_id", "units")],
    )
    .await?;
    m.create_index(index("ux_projects_code", "projects", &["code"], true)).await?;
    // The ledger's filters, as partial indexes over live (not soft-deleted) rows, each
    // ending in id: a count is then index-only and ORDER BY id DESC LIMIT n walks the
    // index. The same statement text is valid on SQLite and PostgreSQL.
    // total_investment comes last so that the totals row (count and sum of the filter) is
    // read from the index too.
    for (name, cols) in [
        ("ix_projects_live", "id"),
        ("ix_projects_unit", "unit_id, id"),
        ("ix_projects_unit_stage", "unit_id, stage, id"),
        ("ix_projects_stage", "stage, id"),
        ("ix_projects_industry", "industry, id"),
        ("ix_projects_region", "region, id"),
        ("ix_projects_reportable", "city_reportable, id"),
        ("ix_projects_key", "key_project, id"),
    ] {
        m.get_connection()
            .execute_unprepared(&format!(
                "CREATE INDEX {name} ON projects ({cols}, total_investment) WHERE deleted_at IS NULL"
            ))
            .await?;
    }
    m.create_index(index("ix_projects_unit_name", "projects", &["unit_id", "name"], false)).await?;

    create_keyed(
        m,
        "project_investors",
        vec![big("project_id"), big("company_id"), int("position")],
        &["project_id", "company_id"],
        &[("project_id", "projects"), ("company_id", "companies")],
    )
    .await?;
    m.create_index(index("ix_project_investors_company", "project_investors", &["company_id"], false)).await?;

    // Character-bigram index for substring search in Chinese (two-character queries are
    // the common case and neither FTS5's trigram nor pg_trgm serves them).
    // Only live projects have grams (a soft delete removes them), and each carries its
    // unit, so a search's count and page come from this index alone, scope included.
    create_keyed(
        m,
        "project_grams",
        vec![text("gram"), big("project_id"), big("unit_id")],
        &["gram", "project_id"],
        &[("project_id", "projects")],
    )
    .await?;
    m.create_index(index("ix_project_grams_project", "project_grams", &["project_id"], false)).await?;
    m.create_index(index("ix_project_grams_unit", "project_grams", &["gram", "unit_id", "project_id"], false)).await?;

    create(
        m,
        "transitions",
        vec![
            id("id"),
            big("project_id"),
            text("from_stage"),
            text("to_stage"),
            date("date"),
            text_null("note"),
            text_null("reason"),
            text_null("skipped_dates"),
            flag("correction"),
            text("review_state"),
            big_null("created_by"),
            ts("created_at"),
        ],
        &[("project_id", "projects")],
    )
    .await?;
    m.create_index(index("ix_transitions_project", "transitions", &["project_id", "id"], false)).await?;
    // the newest stage changes (dashboard): walked backwards, stopping after a few
    m.create_index(index("ix_transitions_created", "transitions", &["created_at", "id"], false)).await?;

    create(
        m,
        "funds_entries",
        vec![
            id("id"),
            big("project_id"),
            date("date"),
            text("kind"),
            big("amount"),
            text_null("note"),
            text("review_state"),
            big_null("created_by"),
            ts("created_at"),
            ts_null("deleted_at"),
        ],
        &[("project_id", "projects")],
    )
    .await?;
    m.create_index(index("ix_funds_project", "funds_entries", &["project_id", "date"], false)).await?;
    m.create_index(index("ix_funds_date", "funds_entries", &["date"], false)).await?;
    // The dashboard's funds figures read accepted, live entries by date: this index covers
    // them, so the sums are read from the index alone.
    m.get_connection()
        .execute_unprepared(
            "CREATE INDEX ix_funds_accepted ON funds_entries (date, kind, amount, project_id) \
             WHERE deleted_at IS NULL AND review_state = 'accepted'",
        )
        .await?;

    create(
        m,
        "dept_tasks",
        versioned(vec![
            id("id"),
            big("project_id"),
            big("dept_unit_id"),
            text("title"),
            date_null("due_on"),
            text("status"),
            text_null("reply"),
        ]),
        &[("project_id", "projects"), ("dept_unit_id", "units")],
    )
    .await?;
    m.create_index(index("ix_dept_tasks_dept", "dept_tasks", &["dept_unit_id", "project_id"], false)).await?;

    // A counter that every write transaction increments (Store::write), so a cached
    // read is valid exactly while the counter is unchanged — across processes too.
    m.create_table(table("data_generation", vec![col("id").integer().not_null().primary_key().to_owned(), big("n")]))
        .await?;
    m.get_connection().execute_unprepared("INSERT INTO data_generation (id, n) VALUES (1, 0)").await?;

    // The chain head: how many audit records there are and the last hash, updated with
    // every record, so that removing the newest records is detected too.
    m.create_table(table(
        "audit_head",
        vec![col("id").integer().not_null().primary_key().to_owned(), big("records"), text("hash")],
    ))
    .await?;
    m.get_connection()
        .execute_unprepared(&format!(
            "INSERT INTO audit_head (id, records, hash) VALUES (1, 0, '{}')",
            crate::audit::GENESIS
        ))
        .await?;

    m.create_table(table(
        "audit_log",
        vec![
            id("id"),
            ts("at"),
            big_null("user_id"),
            text_null("username"),
            text_null("address"),
            text_null("request_id"),
            text("action"),
            text("entity"),
            text_null("entity_id"),
            col("before").text().null().to_owned(),
            col("after").text().null().to_owned(),
            text("result"),
            text("prev_hash"),
            text("hash"),
        ],
    ))
    .await?;
    m.create_index(index("ix_audit_entity", "audit_log", &["entity", "entity_id"], false)).await?;

    m.create_table(table(
        "login_log",
        vec![
            id("id"),
            ts("at"),
            text("username"),
            big_null("user_id"),
            text_null("address"),
            flag("success"),
            text_null("reason"),
        ],
    ))
    .await?;
    m.create_index(index("ix_login_log_user_at", "login_log", &["username", "at"], false)).await?;
    m.create_index(index("ix_login_log_addr_at", "login_log", &["address", "at"], false)).await?;
    Ok(())
}
