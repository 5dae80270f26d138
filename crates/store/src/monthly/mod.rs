//! 月报 (domain.md §4): an assessed unit confirms its month's ledger by the deadline; the
//! confirmation freezes a snapshot (the unit's ledger rows and accepted figures as of that
//! day, JSON, with its SHA-256).

use chrono::{DateTime, NaiveDate, Utc};
use domain::monthly::{Month, is_late, report_deadline};
use domain::{AuditAction, Permission};
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder};
use serde::Serialize;
use sha2::{Digest, Sha256};

mod changes;

pub use changes::UnitChanges;

use crate::audit::Event;
use crate::entity::{funds_entry, project};
use crate::handle::one_shot;
use crate::sql::Sql;
use crate::{Result, Scoped, StoreError, Tx};

/// One assessed unit's state for a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MonthlyStatus {
    pub unit: String,
    pub unit_name: String,
    pub unit_id: i64,
    pub month: String,
    pub deadline: NaiveDate,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub confirmed_by: Option<String>,
    /// Confirmed after the deadline, or not confirmed and the deadline has passed.
    pub late: bool,
    pub snapshot_sha256: Option<String>,
}

/// A confirmation: when, by whom (the username), the snapshot's hash.
#[derive(FromQueryResult)]
struct ReportRow {
    unit_id: i64,
    confirmed_at: DateTime<Utc>,
    username: Option<String>,
    snapshot_sha256: String,
}

impl MonthlyStatus {
    /// Unit `u`'s state for `month` (reports due on `day` of the next month) as of `today`:
    /// confirmed as `r` says, or not yet.
    fn of(u: &crate::units::Unit, month: Month, day: u32, r: Option<&ReportRow>, today: NaiveDate) -> MonthlyStatus {
        let on = r.map(|r| domain::shanghai_date(r.confirmed_at));
        MonthlyStatus {
            unit: u.code.clone(),
            unit_name: u.name.clone(),
            unit_id: u.id,
            month: month.to_string(),
            deadline: report_deadline(month, day),
            confirmed_at: r.map(|r| r.confirmed_at),
            confirmed_by: r.and_then(|r| r.username.clone()),
            late: is_late(month, on, today, day),
            snapshot_sha256: r.map(|r| r.snapshot_sha256.clone()),
        }
    }
}

/// What a snapshot keeps of one project.
#[derive(Serialize)]
struct SnapshotRow {
    id: i64,
    code: String,
    name: String,
    unit_id: i64,
    stage: String,
    accepted_stage: String,
    total_investment: String,
    signed_on: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
    producing_on: Option<NaiveDate>,
}

impl Scoped<'_> {
    /// Every assessed unit of the caller's scope for `month`, as of `today`.
    pub async fn monthly_reports(&self, month: Month, today: NaiveDate) -> Result<Vec<MonthlyStatus>> {
        self.require_by_unit(Permission::MonthlyRead)?;
        let day = self.store.thresholds().await?.monthly_deadline_day;
        let mut q = Sql::new(self.store.backend());
        let m = q.bind(month.to_string());
        let sql = format!(
            "SELECT r.unit_id, r.confirmed_at, u.username, r.snapshot_sha256 FROM monthly_reports r \
             LEFT JOIN users u ON u.id = r.confirmed_by WHERE r.month = {m}"
        );
        let rows: std::collections::HashMap<i64, ReportRow> =
            q.all::<ReportRow>(self.store, sql).await?.into_iter().map(|r| (r.unit_id, r)).collect();
        let tree = self.store.unit_tree();
        Ok(tree
            .all()
            .iter()
            .filter(|u| u.assessed && self.actor.scope.allows_unit(u.id))
            .map(|u| MonthlyStatus::of(u, month, day, rows.get(&u.id), today))
            .collect())
    }
}

one_shot! {
    write fn confirm_month(unit: String, month: Month, today: NaiveDate) -> MonthlyStatus;
}

impl Tx<'_> {
    /// The unit confirms `month` (an ended month or the current one) on `today` (a past day
    /// only for history loaded from elsewhere): 422 for an unknown or not assessed unit or a
    /// future month, 403 outside scope, 409 when already confirmed.
    pub async fn confirm_month(&self, unit: String, month: Month, today: NaiveDate) -> Result<MonthlyStatus> {
        self.s.require(Permission::MonthlyConfirm)?;
        let tree = self.store().unit_tree();
        let u = tree.find(unit.trim()).ok_or_else(|| StoreError::field("unit", format!("单位「{unit}」不存在")))?;
        if !self.actor().scope.allows_unit(u.id) {
            return Err(StoreError::Forbidden);
        }
        if !u.assessed {
            return Err(StoreError::field("unit", format!("「{}」不是考核单位，无需确认月报", u.name)));
        }
        if month > Month::of(today) {
            return Err(StoreError::field("month", "不能确认未来的月份"));
        }
        let mut q = Sql::new(self.store().backend());
        let (uid, m) = (q.bind(u.id), q.bind(month.to_string()));
        let sql = format!("SELECT unit_id, confirmed_at FROM monthly_reports WHERE unit_id = {uid} AND month = {m}");
        if !q.all_on::<crate::warnings::facts::Confirmed, _>(&self.txn, sql).await?.is_empty() {
            return Err(StoreError::Conflict(format!("{}{month}月报已确认", u.name)));
        }
        let snapshot = self.snapshot(u.id, month, today).await?;
        let sha = hex::encode(Sha256::digest(snapshot.as_bytes()));
        let now = crate::now_on(today);
        let mut q = Sql::new(self.store().backend());
        let vals = [
            q.bind(u.id),
            q.bind(month.to_string()),
            q.bind(self.actor().user_id),
            q.bind(now),
            q.bind(snapshot),
            q.bind(sha.clone()),
        ];
        let sql = format!(
            "INSERT INTO monthly_reports (unit_id, month, confirmed_by, confirmed_at, snapshot, snapshot_sha256) \
             VALUES ({})",
            vals.join(", ")
        );
        q.execute_on(&self.txn, sql).await?;
        let day = self.store().thresholds_on(&self.txn).await?.monthly_deadline_day;
        let confirmed = ReportRow {
            unit_id: u.id,
            confirmed_at: now,
            username: Some(self.actor().username.clone()),
            snapshot_sha256: sha,
        };
        let out = MonthlyStatus::of(u, month, day, Some(&confirmed), today);
        let id = format!("{}:{month}", u.code);
        self.audit(Event::ok(AuditAction::MonthlyConfirm, "monthly_report", id).after(&out)).await?;
        Ok(out)
    }

    /// The unit's live projects and the month's accepted funds, as JSON.
    async fn snapshot(&self, unit_id: i64, month: Month, today: NaiveDate) -> Result<String> {
        let units = self.store().unit_tree().subtree(unit_id);
        let projects = project::Entity::find()
            .filter(project::Column::UnitId.is_in(units))
            .filter(project::Column::DeletedAt.is_null())
            .order_by_asc(project::Column::Id)
            .all(&self.txn)
            .await?;
        let ids: Vec<i64> = projects.iter().map(|p| p.id).collect();
        let funds = funds_entry::Entity::find()
            .filter(funds_entry::Column::ProjectId.is_in(ids))
            .filter(funds_entry::Column::DeletedAt.is_null())
            .filter(funds_entry::Column::ReviewState.is_in(["none", "accepted"]))
            .filter(funds_entry::Column::Date.between(month.first_day(), month.last_day()))
            .all(&self.txn)
            .await?;
        let totals = crate::funds::accepted_totals(&funds.into_iter().map(Into::into).collect::<Vec<_>>());
        let rows: Vec<SnapshotRow> = projects
            .into_iter()
            .map(|p| SnapshotRow {
                id: p.id,
                code: p.code,
                name: p.name,
                unit_id: p.unit_id,
                stage: p.stage,
                accepted_stage: p.accepted_stage,
                total_investment: domain::Money::from_hundredths(p.total_investment).to_string(),
                signed_on: p.signed_on,
                started_on: p.started_on,
                producing_on: p.producing_on,
            })
            .collect();
        let doc = serde_json::json!({
            "unit_id": unit_id,
            "month": month.to_string(),
            "as_of": today,
            "projects": rows,
            "funds": totals,
        });
        Ok(doc.to_string())
    }
}
