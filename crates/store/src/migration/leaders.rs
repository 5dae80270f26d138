//! m20261204_000016: the 领导名录 (issue 12; domain.md §6; api.md `/api/v1/leaders`): the
//! leaders who lead projects and visits (`leaders`, one name per unit, the level of
//! `domain::leader::LeaderLevel::REGISTER` as a CHECK), and a project's link to its 包联领导
//! (`projects.lead_leader_id`, beside the free text `lead_leader`, which stays as written).
//!
//! The register starts empty, so no existing text can match it here: the texts are linked
//! once leaders are registered, by `zhaoshang leaders match --apply` (name + unit, the rules
//! of `domain::leader::pick`), which lists every text that does not match. No text is
//! changed or dropped by linking.

use sea_orm_migration::prelude::*;

use super::check_constraints::{Checks, add};
use super::{big, create, flag, id, index, stamped, text};

migration! {
    pub(super) Leaders = "m20261204_000016_leaders"; up: up; irreversible: "the 包联领导 link"
}

fn checks() -> Checks {
    let levels = domain::leader::LeaderLevel::REGISTER.iter().map(|l| l.code()).collect();
    vec![("ck_leaders_level".into(), "leaders", "level", levels)]
}

async fn up(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    create(
        m,
        "leaders",
        stamped(vec![id("id"), text("name"), text("position"), big("unit_id"), text("level"), flag("active")]),
        &[("unit_id", "units")],
    )
    .await?;
    // a name once per unit, so that a name and a unit name one leader
    m.create_index(index("ux_leaders_unit_name", "leaders", &["unit_id", "name"], true)).await?;
    m.create_index(index("ix_leaders_name", "leaders", &["name"], false)).await?;
    // the same statement on both databases (SQLite adds a referencing column with a NULL default)
    m.get_connection()
        .execute_unprepared("ALTER TABLE projects ADD COLUMN lead_leader_id BIGINT NULL REFERENCES leaders (id)")
        .await?;
    m.create_index(index("ix_projects_lead_leader", "projects", &["lead_leader_id"], false)).await?;
    add(m, checks()).await
}
