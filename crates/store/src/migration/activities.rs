//! m20261204_000017: 招商活动 (issue 12; domain.md §6): an activity of a unit (`activities`:
//! kind, dates, place, the highest leader level, participants, intentions, cost in hundredths
//! of 万元), the register's leaders who led it (`activity_leaders`), the companies met
//! (`activity_companies`), the targets contacted (`activity_targets`) and the projects it
//! created or signed (`activity_projects`), with the vocabularies of `domain::activity` and
//! `domain::leader` as CHECK constraints.

use sea_orm_migration::prelude::*;

use super::check_constraints::{Checks, add, remove};
use super::{big, big_null, create, create_keyed, date, drop_tables, id, index, int, stamped, text, text_null};

migration! {
    pub(super) Activities = "m20261204_000017_activities"; up: up; down: down
}

fn checks() -> Checks {
    vec![
        ("ck_activities_kind".into(), "activities", "kind", domain::activity::ActivityKind::CODES.to_vec()),
        (
            "ck_activities_leader_level".into(),
            "activities",
            "leader_level",
            domain::leader::LeaderLevel::CODES.to_vec(),
        ),
        (
            "ck_activity_projects_outcome".into(),
            "activity_projects",
            "outcome",
            domain::activity::ActivityOutcome::CODES.to_vec(),
        ),
    ]
}

const LINKS: [(&str, &str, &str); 4] = [
    ("activity_leaders", "leader_id", "leaders"),
    ("activity_companies", "company_id", "companies"),
    ("activity_targets", "target_id", "targets"),
    ("activity_projects", "project_id", "projects"),
];

async fn up(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    create(
        m,
        "activities",
        stamped(vec![
            id("id"),
            text("title"),
            text("kind"),
            date("start_on"),
            date("end_on"),
            text("region"),
            text("city"),
            text("country"),
            big("unit_id"),
            text("leader_level"),
            text_null("participants"),
            int("intentions"),
            text_null("intention_notes"),
            text_null("summary"),
            big_null("cost"),
        ]),
        &[("unit_id", "units")],
    )
    .await?;
    // a unit's activities by date (lists, the calendar, the measures), and the city's by date
    m.create_index(index("ix_activities_unit_start", "activities", &["unit_id", "start_on"], false)).await?;
    m.create_index(index("ix_activities_start", "activities", &["start_on"], false)).await?;
    for (table, column, to) in LINKS {
        let mut cols = vec![big("activity_id"), big(column)];
        if table == "activity_projects" {
            cols.push(text("outcome"));
        }
        create_keyed(m, table, cols, &["activity_id", column], &[("activity_id", "activities"), (column, to)]).await?;
    }
    m.create_index(index("ix_activity_leaders_leader", "activity_leaders", &["leader_id"], false)).await?;
    m.create_index(index("ix_activity_companies_company", "activity_companies", &["company_id"], false)).await?;
    add(m, checks()).await
}

async fn down(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    remove(m, checks()).await?;
    drop_tables(m, &LINKS.map(|(t, _, _)| t)).await?;
    drop_tables(m, &["activities"]).await
}
