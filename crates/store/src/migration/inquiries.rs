//! m20261204_000018: investor inquiries (投资咨询, issue 12): what an investor asked, the unit
//! it was assigned to, the day it must be answered by (working days, fixed when taken down),
//! and the answer with its time and author.

use sea_orm_migration::prelude::*;

use super::{big, big_null, create, date, drop_tables, id, index, stamped, text, text_null, ts_null};

migration! {
    pub(super) Inquiries = "m20261204_000018_inquiries"; up: up; down: down
}

async fn up(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    create(
        m,
        "inquiries",
        stamped(vec![
            id("id"),
            big("unit_id"),
            big_null("company_id"),
            text("company_name"),
            text("contact"),
            text_null("phone"),
            text("interest"),
            text_null("industry"),
            text_null("region"),
            date("received_at"),
            date("respond_by"),
            text_null("answer"),
            ts_null("answered_at"),
            big_null("answered_by"),
        ]),
        &[("unit_id", "units"), ("company_id", "companies")],
    )
    .await?;
    // the warning's query: unanswered by unit and deadline
    m.create_index(index("ix_inquiries_unit_due", "inquiries", &["unit_id", "respond_by"], false)).await
}

async fn down(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    drop_tables(m, &["inquiries"]).await
}
