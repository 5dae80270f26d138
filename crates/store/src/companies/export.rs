//! The company library as Excel (企业库导出): the rows of a company list's filter, every page,
//! with the projects in the caller's scope counted per company; audited (company.export).

use domain::{AuditAction, Permission};
use sea_orm::{EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{Company, CompanyFilter, company_condition};
use crate::audit::Event;
use crate::entity::company;
use crate::{Result, Scoped, StoreError};

/// More companies than any city's library has; a bigger export is refused rather than risk memory.
pub const COMPANY_EXPORT_MAX_ROWS: u64 = 100_000;

impl Scoped<'_> {
    /// Every company the filter finds (its paging ignored), by id.
    pub async fn export_companies(&self, f: &CompanyFilter) -> Result<Vec<Company>> {
        self.require(Permission::CompanyRead)?;
        let q = company::Entity::find().filter(company_condition(f));
        let n = q.clone().count(self.store.db()).await?;
        if n > COMPANY_EXPORT_MAX_ROWS {
            return Err(StoreError::field(
                "q",
                format!("符合条件的企业有 {n} 家，超过一次导出的上限 {COMPANY_EXPORT_MAX_ROWS} 家，请缩小查询范围"),
            ));
        }
        Ok(q.order_by_asc(company::Column::Id).limit(COMPANY_EXPORT_MAX_ROWS).all(self.store.db()).await?)
    }

    /// The record of an export (who, which filter, how many rows), in its own transaction:
    /// it changes no data, so cached reads stay valid.
    pub async fn audit_company_export(&self, filter: &str, rows: usize) -> Result<()> {
        self.audit_alone(Event {
            action: AuditAction::CompanyExport,
            entity: "company",
            entity_id: None,
            before: None,
            after: Some(serde_json::json!({"filter": filter, "rows": rows})),
            result: "ok",
        })
        .await
    }
}
