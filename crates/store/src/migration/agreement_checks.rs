//! m20261202_000010: the agreement and clause vocabularies (domain::{AgreementKind,
//! Obligor, ClauseStatus}) as CHECKs, the way migration 000006 adds them.

use sea_orm_migration::prelude::*;

use super::check_constraints::{Checks, add, remove};

migration! {
    pub(super) AgreementChecks = "m20261202_000010_agreement_checks"; up: up; down: down
}

/// The constraints this migration adds.
pub fn checks() -> Checks {
    [
        ("agreements", "kind", domain::AgreementKind::CODES.to_vec()),
        ("clauses", "obligor", domain::Obligor::CODES.to_vec()),
        ("clauses", "status", domain::ClauseStatus::CODES.to_vec()),
    ]
    .into_iter()
    .map(|(t, c, v)| (format!("ck_{t}_{c}"), t, c, v))
    .collect()
}

async fn up(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    add(m, checks()).await
}

async fn down(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    remove(m, checks()).await
}
