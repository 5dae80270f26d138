//! The ledger's way out: every project a filter matches, and the audit records of the
//! ledger actions that write no data (an export, a dry run, a refused import).

use domain::AuditAction;
use sea_orm::{EntityTrait, QueryFilter};

use crate::audit::Event;
use crate::entity::project;
use crate::projects::{Project, SortField};
use crate::{Result, Scoped, StoreError};

impl Scoped<'_> {
    /// Every project a filter matches (no paging), in the filter's order, for the export;
    /// the caller's scope applies as to the ledger. The export itself is audited.
    pub async fn export_projects(&self, f: &crate::projects::ProjectFilter) -> Result<Vec<Project>> {
        use sea_orm::{QueryOrder, QuerySelect};
        let store = self.store;
        let cond = self.filter_condition(f).await?;
        let order = if f.descending { sea_orm::Order::Desc } else { sea_orm::Order::Asc };
        let col = match f.sort {
            SortField::Id => project::Column::Id,
            SortField::Name => project::Column::Name,
            SortField::TotalInvestment => project::Column::TotalInvestment,
            SortField::SignedOn => project::Column::SignedOn,
            SortField::UpdatedAt => project::Column::UpdatedAt,
        };
        let rows = project::Entity::find()
            .filter(cond)
            .order_by(col, order.clone())
            .order_by(project::Column::Id, order)
            .limit(EXPORT_MAX_ROWS + 1)
            .all(store.db())
            .await?;
        if rows.len() as u64 > EXPORT_MAX_ROWS {
            return Err(StoreError::field(
                "export",
                format!("导出结果超过 {EXPORT_MAX_ROWS} 行，请先筛选（例如按责任单位或阶段）后再导出"),
            ));
        }
        let mut out = Vec::with_capacity(rows.len());
        let mut rows = rows;
        while !rows.is_empty() {
            let rest = rows.split_off(rows.len().min(5000));
            out.extend(store.hydrate(store.db(), rows).await?);
            rows = rest;
        }
        Ok(out)
    }

    /// One audit record per export: who took which filter and how many rows.
    pub async fn audit_export(&self, filter: &str, rows: usize) -> Result<()> {
        self.ledger_audit(AuditAction::LedgerExport, serde_json::json!({"filter": filter, "rows": rows}), "ok").await
    }

    /// The name the caller is known by (显示名), for the export's subtitle; the login name
    /// when the account has none, or for the command line.
    pub async fn display_name(&self) -> Result<String> {
        let actor = self.actor;
        let Some(id) = actor.user_id else { return Ok(actor.username.clone()) };
        let user = crate::entity::user::Entity::find_by_id(id).one(self.store.db()).await?;
        Ok(user.map(|u| u.display_name).filter(|n| !n.trim().is_empty()).unwrap_or_else(|| actor.username.clone()))
    }

    /// The record of an import that wrote nothing (a dry run, or a file refused for errors
    /// in its rows or as a whole): written on its own, as the import's transaction is rolled
    /// back. A committed import is audited inside its own transaction instead.
    pub async fn audit_import(&self, summary: serde_json::Value, ok: bool) -> Result<()> {
        self.ledger_audit(AuditAction::LedgerImport, summary, if ok { "ok" } else { "rejected" }).await
    }

    /// A ledger action that writes no data, audited on its own (cached reads stay valid).
    async fn ledger_audit(&self, action: AuditAction, after: serde_json::Value, result: &str) -> Result<()> {
        self.audit_alone(Event { action, entity: "project", entity_id: None, before: None, after: Some(after), result })
            .await
    }
}

/// More rows than any city's ledger has; a bigger export is refused rather than risk memory.
pub const EXPORT_MAX_ROWS: u64 = 200_000;
