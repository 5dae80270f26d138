//! m20261202_000008: an index on `transitions(date)`: the 工作台's latest stage changes are
//! ordered by the event's date, and later reports filter transitions by date.

use sea_orm_migration::prelude::*;

migration! {
    pub TransitionsDate = "m20261202_000008_transitions_date"; up: up; down: down
}

async fn up(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_index(super::index("ix_transitions_date", "transitions", &["date"], false)).await
}

async fn down(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.drop_index(Index::drop().name("ix_transitions_date").table(Alias::new("transitions")).to_owned()).await
}
