//! m20261203_000014: the contacts of the company library (issue 12; domain.md §3): a person
//! at a company with a position and a phone, registered by a unit (or the city), whose phone
//! only that unit's staff and city_admin read unmasked.

use sea_orm_migration::prelude::*;

use super::{big, big_null, create, drop_tables, id, index, stamped, text, text_null};

migration! {
    pub(super) CompanyContacts = "m20261203_000014_company_contacts"; up: up; down: down
}

async fn up(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    create(
        m,
        "company_contacts",
        stamped(vec![
            id("id"),
            big("company_id"),
            big_null("unit_id"),
            text("name"),
            text_null("position"),
            text_null("phone"),
        ]),
        &[("company_id", "companies"), ("unit_id", "units")],
    )
    .await?;
    m.create_index(index("ix_company_contacts_company", "company_contacts", &["company_id"], false)).await
}

async fn down(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    drop_tables(m, &["company_contacts"]).await
}
