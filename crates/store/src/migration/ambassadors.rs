//! m20261205_000019: 招商大使、招商顾问和中介机构 (issue 12; domain.md §6; seed 三(一)四): an
//! appointment of a unit (`ambassadors`: kind, period, contact, whether paid on results and
//! its terms — the stage and the fee per project in hundredths of 万元), the leads it brought
//! (`ambassador_leads`: a target or a project each) and a paid intermediary's payouts
//! (`ambassador_payouts`: once per lead project, on the agreed stage as the city accepted it).

use sea_orm_migration::prelude::*;

use super::check_constraints::{Checks, add, remove};
use super::{big, big_null, create, date, date_null, drop_tables, flag, id, index, stamped, text, text_null, ts};

migration! {
    pub(super) Ambassadors = "m20261205_000019_ambassadors"; up: up; down: down
}

fn checks() -> Checks {
    let stages: Vec<&'static str> =
        domain::stage::ALL.iter().filter(|s| domain::ambassador::is_result_stage(**s)).map(|s| s.code()).collect();
    vec![
        ("ck_ambassadors_kind".into(), "ambassadors", "kind", domain::ambassador::AmbassadorKind::CODES.to_vec()),
        ("ck_ambassadors_fee_stage".into(), "ambassadors", "fee_stage", stages.clone()),
        ("ck_ambassador_payouts_stage".into(), "ambassador_payouts", "stage", stages),
    ]
}

async fn up(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    create(
        m,
        "ambassadors",
        stamped(vec![
            id("id"),
            big("unit_id"),
            text("name"),
            text("kind"),
            text_null("organisation"),
            text_null("contact"),
            text_null("phone"),
            date("appointed_from"),
            date_null("appointed_to"),
            flag("paid"),
            text_null("fee_terms"),
            text_null("fee_stage"),
            big_null("fee_amount"),
            text_null("notes"),
        ]),
        &[("unit_id", "units")],
    )
    .await?;
    m.create_index(index("ix_ambassadors_unit", "ambassadors", &["unit_id"], false)).await?;
    create(
        m,
        "ambassador_leads",
        vec![
            id("id"),
            big("ambassador_id"),
            big_null("target_id"),
            big_null("project_id"),
            big_null("created_by"),
            ts("created_at"),
        ],
        &[("ambassador_id", "ambassadors"), ("target_id", "targets"), ("project_id", "projects")],
    )
    .await?;
    // one line per lead (NULLs do not collide on either database)
    m.create_index(index("ux_ambassador_leads_target", "ambassador_leads", &["ambassador_id", "target_id"], true))
        .await?;
    m.create_index(index("ux_ambassador_leads_project", "ambassador_leads", &["ambassador_id", "project_id"], true))
        .await?;
    create(
        m,
        "ambassador_payouts",
        stamped(vec![
            id("id"),
            big("ambassador_id"),
            big("project_id"),
            text("stage"),
            big("amount"),
            date("paid_on"),
            text_null("note"),
        ]),
        &[("ambassador_id", "ambassadors"), ("project_id", "projects")],
    )
    .await?;
    // a fee is paid once per lead project
    m.create_index(index(
        "ux_ambassador_payouts_project",
        "ambassador_payouts",
        &["ambassador_id", "project_id"],
        true,
    ))
    .await?;
    add(m, checks()).await
}

async fn down(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    remove(m, checks()).await?;
    drop_tables(m, &["ambassador_payouts", "ambassador_leads", "ambassadors"]).await
}
