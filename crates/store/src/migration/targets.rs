//! m20261203_000013: the 靶向项目库 (issue 12; domain.md §3): the companies a unit courts
//! (`targets`, one per unit and company) and their follow-up log (`target_follow_ups`),
//! with the statuses and channels of `domain::target` as CHECK constraints.

use sea_orm_migration::prelude::*;

use super::check_constraints::{Checks, add, remove};
use super::{big, big_null, create, date, date_null, drop_tables, id, index, stamped, text, text_null, ts, ts_null};

migration! {
    pub(super) Targets = "m20261203_000013_targets"; up: up; down: down
}

fn checks() -> Checks {
    vec![
        ("ck_targets_status".into(), "targets", "status", domain::target::TargetStatus::CODES.to_vec()),
        (
            "ck_target_follow_ups_channel".into(),
            "target_follow_ups",
            "channel",
            domain::target::FollowUpChannel::CODES.to_vec(),
        ),
    ]
}

async fn up(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    create(
        m,
        "targets",
        stamped(vec![
            id("id"),
            big("unit_id"),
            big("company_id"),
            text("industry"),
            text_null("strategy"),
            text_null("layout"),
            text_null("signals"),
            text("status"),
            text_null("drop_reason"),
            date_null("next_follow_up_on"),
            big_null("project_id"),
            ts_null("converted_at"),
        ]),
        &[("unit_id", "units"), ("company_id", "companies"), ("project_id", "projects")],
    )
    .await?;
    // a unit courts a company once; the city view lists the units courting the same one
    m.create_index(index("ux_targets_unit_company", "targets", &["unit_id", "company_id"], true)).await?;
    m.create_index(index("ix_targets_company", "targets", &["company_id"], false)).await?;
    m.create_index(index("ux_targets_project", "targets", &["project_id"], true)).await?;

    create(
        m,
        "target_follow_ups",
        vec![
            id("id"),
            big("target_id"),
            date("date"),
            text("channel"),
            text("summary"),
            date_null("next_follow_up_on"),
            big_null("created_by"),
            ts("created_at"),
        ],
        &[("target_id", "targets")],
    )
    .await?;
    m.create_index(index("ix_target_follow_ups_target", "target_follow_ups", &["target_id", "date"], false)).await?;
    add(m, checks()).await
}

async fn down(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    remove(m, checks()).await?;
    drop_tables(m, &["target_follow_ups", "targets"]).await
}
