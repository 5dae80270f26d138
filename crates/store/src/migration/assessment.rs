//! m20261205_000021: 考核与通报 (issue 13; assessment.md; seed 三(三)): stored schemes
//! (`assessment_schemes`: the TOML as written, a revision per name), stored runs
//! (`assessment_runs`: the scheme, the measures with the records counted and the results as
//! canonical JSON, each with its SHA-256), the manual measures city_admin enters per unit and
//! period (`assessment_manual_values`, with a source note), bonus and penalty entries
//! (`assessment_adjustments`, with a reason), the year's top-10 pick (`top10_picks`, with a
//! citation) and the bulletins (`bulletins`: a draft of one run, frozen on publishing with the
//! rendered content and its SHA-256).

use sea_orm_migration::prelude::*;

use super::check_constraints::{Checks, add, remove};
use super::{
    big, big_null, create, date, date_null, drop_tables, id, index, int, stamped, text, text_null, ts, ts_null,
};

migration! {
    pub(super) Assessment = "m20261205_000021_assessment"; up: up; down: down
}

fn checks() -> Checks {
    vec![
        (
            "ck_assessment_adjustments_kind".into(),
            "assessment_adjustments",
            "kind",
            domain::assessment::AdjustmentKind::CODES.to_vec(),
        ),
        ("ck_bulletins_state".into(), "bulletins", "state", domain::assessment::BulletinState::CODES.to_vec()),
    ]
}

const TABLES: [&str; 6] = [
    "bulletins",
    "top10_picks",
    "assessment_adjustments",
    "assessment_manual_values",
    "assessment_runs",
    "assessment_schemes",
];

async fn up(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    create(
        m,
        "assessment_schemes",
        vec![
            id("id"),
            text("name"),
            date("period_from"),
            date("period_to"),
            text("toml"),
            int("revision"),
            big_null("created_by"),
            ts("created_at"),
        ],
        &[],
    )
    .await?;
    m.create_index(index("ux_assessment_schemes_revision", "assessment_schemes", &["name", "revision"], true)).await?;
    create(
        m,
        "assessment_runs",
        vec![
            id("id"),
            big_null("scheme_id"),
            text("name"),
            date("period_from"),
            date("period_to"),
            date_null("as_of"),
            text("scheme_toml"),
            text("inputs"),
            text("inputs_sha256"),
            text("output"),
            text("output_sha256"),
            big_null("created_by"),
            ts("created_at"),
        ],
        &[("scheme_id", "assessment_schemes")],
    )
    .await?;
    create(
        m,
        "assessment_manual_values",
        stamped(vec![
            id("id"),
            big("unit_id"),
            text("measure"),
            date("period_from"),
            date("period_to"),
            text("value"),
            text("source"),
        ]),
        &[("unit_id", "units")],
    )
    .await?;
    m.create_index(index(
        "ux_assessment_manual_values",
        "assessment_manual_values",
        &["unit_id", "measure", "period_from", "period_to"],
        true,
    ))
    .await?;
    create(
        m,
        "assessment_adjustments",
        stamped(vec![
            id("id"),
            big("unit_id"),
            date("period_from"),
            date("period_to"),
            text("kind"),
            text("points"),
            text("reason"),
            ts_null("deleted_at"),
        ]),
        &[("unit_id", "units")],
    )
    .await?;
    m.create_index(index("ix_assessment_adjustments_period", "assessment_adjustments", &["period_from"], false))
        .await?;
    create(
        m,
        "top10_picks",
        vec![
            id("id"),
            int("year"),
            big("project_id"),
            int("position"),
            text("citation"),
            big_null("created_by"),
            ts("created_at"),
        ],
        &[("project_id", "projects")],
    )
    .await?;
    m.create_index(index("ux_top10_picks_project", "top10_picks", &["year", "project_id"], true)).await?;
    create(
        m,
        "bulletins",
        stamped(vec![
            id("id"),
            big("run_id"),
            text("number"),
            text("title"),
            date("issued_on"),
            int("year"),
            text("state"),
            text_null("content"),
            text_null("content_html"),
            text_null("sha256"),
            text_null("inputs_sha256"),
            ts_null("published_at"),
            big_null("published_by"),
        ]),
        &[("run_id", "assessment_runs")],
    )
    .await?;
    m.create_index(index("ux_bulletins_number", "bulletins", &["number"], true)).await?;
    add(m, checks()).await
}

async fn down(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    remove(m, checks()).await?;
    drop_tables(m, &TABLES).await
}
