//! 招商大使、招商顾问和中介机构 (domain.md §6; seed 三(一)四): the people and firms a unit
//! appointed, for which period, the leads they brought (targets, projects of the unit's
//! subtree) and, for a paid intermediary, its fee terms and payouts — each on a lead project
//! that reached the agreed stage as the city accepted it (`domain::ambassador`). A record
//! belongs to its unit: a unit user reads and writes its subtree's only; city_admin, the
//! leaders and the supervisor read every unit's. Phones are masked in lists; the record's
//! own page shows the phone to the unit's staff and city_admin, an audited read.

mod write;

pub use write::{AmbassadorInput, LeadsInput, PayoutInput, validate};

use chrono::{DateTime, NaiveDate, Utc};
use domain::ambassador::{AmbassadorKind, FeeTerms, appointed_on, payable};
use domain::{AuditAction, Money, Permission, Stage};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::entity::{ambassador, ambassador_lead, ambassador_payout, company, project, target};
use crate::rows::by_id;
use crate::{Result, Scoped, StoreError};

/// A lead an ambassador brought: a target or a project.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Lead {
    /// `target` | `project`
    pub entity: String,
    pub id: i64,
    /// The target's company or the project's name.
    pub name: String,
    /// The target's status label, or the project's stage as the city accepted it.
    pub state: String,
    /// A project's accepted stage code.
    pub accepted_stage: Option<String>,
    /// A paid intermediary may be paid on it now: the agreed stage reached, not yet paid.
    pub payable: bool,
    /// A fee was paid on it.
    pub paid: bool,
}

/// One fee paid to an intermediary.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Payout {
    pub id: i64,
    pub project_id: i64,
    pub project_name: String,
    /// The agreed stage it was paid on.
    pub stage: String,
    pub stage_label: String,
    #[schema(value_type = String)]
    pub amount: Money,
    pub paid_on: NaiveDate,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// An ambassador, advisor or intermediary as the API and the pages show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Ambassador {
    pub id: i64,
    /// The appointing unit's code.
    pub unit: String,
    pub unit_name: String,
    pub name: String,
    /// `ambassador` | `advisor` | `intermediary`
    pub kind: String,
    pub kind_label: String,
    pub organisation: Option<String>,
    pub contact: Option<String>,
    /// Masked (`138****1234`) unless the caller may read it (`phone_masked`).
    pub phone: Option<String>,
    pub phone_masked: bool,
    pub appointed_from: NaiveDate,
    pub appointed_to: Option<NaiveDate>,
    /// The appointment is in force today.
    pub in_office: bool,
    pub paid: bool,
    pub fee_terms: Option<String>,
    /// The stage a fee is paid on.
    pub fee_stage: Option<String>,
    #[schema(value_type = Option<String>)]
    pub fee_amount: Option<Money>,
    pub notes: Option<String>,
    pub leads: Vec<Lead>,
    pub payouts: Vec<Payout>,
    /// The sum of the payouts (万元).
    #[schema(value_type = String)]
    pub paid_total: Money,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip)]
    pub unit_id: i64,
}

crate::list_filter! {
    /// What an ambassador list shows: each filter optional.
    pub struct AmbassadorFilter {
        pub kind: Option<AmbassadorKind>,
        /// Only those in office today.
        pub in_office: bool,
    }
}

crate::page_type! {
    /// One page of ambassadors.
    pub struct AmbassadorPage of Ambassador;
}

fn stage_label(code: &str) -> String {
    Stage::parse(code).map_or_else(|| code.to_string(), |s| s.label().to_string())
}

impl Scoped<'_> {
    /// The view rows with their leads and payouts; `open_phone`: show the phone where the
    /// caller may read it.
    pub(crate) async fn ambassador_views<C: ConnectionTrait>(
        &self,
        db: &C,
        rows: Vec<ambassador::Model>,
        open_phone: bool,
    ) -> Result<Vec<Ambassador>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let leads = ambassador_lead::Entity::find()
            .filter(ambassador_lead::Column::AmbassadorId.is_in(ids.clone()))
            .order_by_asc(ambassador_lead::Column::Id)
            .all(db)
            .await?;
        let payouts = ambassador_payout::Entity::find()
            .filter(ambassador_payout::Column::AmbassadorId.is_in(ids))
            .order_by_asc(ambassador_payout::Column::PaidOn)
            .order_by_asc(ambassador_payout::Column::Id)
            .all(db)
            .await?;
        let project_ids: Vec<i64> =
            leads.iter().filter_map(|l| l.project_id).chain(payouts.iter().map(|p| p.project_id)).collect();
        let projects = by_id::<project::Entity>(db, project::Column::Id, project_ids, |p| p.id).await?;
        let target_ids: Vec<i64> = leads.iter().filter_map(|l| l.target_id).collect();
        let targets = by_id::<target::Entity>(db, target::Column::Id, target_ids, |t| t.id).await?;
        let company_ids: Vec<i64> = targets.values().map(|t| t.company_id).collect();
        let companies = by_id::<company::Entity>(db, company::Column::Id, company_ids, |c| c.id).await?;
        let tree = self.store.unit_tree();
        let today = domain::today_shanghai();
        Ok(rows
            .into_iter()
            .map(|r| {
                let (unit, unit_name) = tree.code_name(r.unit_id);
                let (phone, phone_masked) =
                    crate::phone::shown(r.phone, open_phone && self.reads_phone(Some(r.unit_id)));
                let kind = AmbassadorKind::parse(&r.kind);
                let terms = FeeTerms {
                    kind: kind.unwrap_or(AmbassadorKind::Ambassador),
                    paid: r.paid,
                    fee_stage: r.fee_stage.as_deref().and_then(Stage::parse),
                };
                let mine: Vec<Payout> = payouts
                    .iter()
                    .filter(|p| p.ambassador_id == r.id)
                    .map(|p| Payout {
                        id: p.id,
                        project_id: p.project_id,
                        project_name: projects.get(&p.project_id).map(|p| p.name.clone()).unwrap_or_default(),
                        stage: p.stage.clone(),
                        stage_label: stage_label(&p.stage),
                        amount: Money::from_hundredths(p.amount),
                        paid_on: p.paid_on,
                        note: p.note.clone(),
                        created_at: p.created_at,
                    })
                    .collect();
                let lead_views: Vec<Lead> = leads
                    .iter()
                    .filter(|l| l.ambassador_id == r.id)
                    .filter_map(|l| match (l.target_id, l.project_id) {
                        (Some(t), _) => targets.get(&t).map(|t| Lead {
                            entity: "target".into(),
                            id: t.id,
                            name: companies.get(&t.company_id).map(|c| c.name.clone()).unwrap_or_default(),
                            state: domain::target::TargetStatus::parse(&t.status)
                                .map_or_else(|| t.status.clone(), |s| s.label().to_string()),
                            accepted_stage: None,
                            payable: false,
                            paid: false,
                        }),
                        (None, Some(p)) => projects.get(&p).map(|p| {
                            let accepted = Stage::parse(&p.accepted_stage).unwrap_or(Stage::Reserve);
                            let done = mine.iter().any(|x| x.project_id == p.id);
                            Lead {
                                entity: "project".into(),
                                id: p.id,
                                name: p.name.clone(),
                                state: accepted.label().to_string(),
                                accepted_stage: Some(p.accepted_stage.clone()),
                                payable: p.deleted_at.is_none() && payable(terms, accepted, done),
                                paid: done,
                            }
                        }),
                        (None, None) => None,
                    })
                    .collect();
                let paid_total = Money::from_hundredths(mine.iter().map(|p| p.amount.hundredths()).sum());
                Ambassador {
                    id: r.id,
                    unit,
                    unit_name,
                    name: r.name,
                    kind_label: kind.map_or_else(|| r.kind.clone(), |k| k.label().to_string()),
                    kind: r.kind,
                    organisation: r.organisation,
                    contact: r.contact,
                    phone,
                    phone_masked,
                    in_office: appointed_on(r.appointed_from, r.appointed_to, today),
                    appointed_from: r.appointed_from,
                    appointed_to: r.appointed_to,
                    paid: r.paid,
                    fee_terms: r.fee_terms,
                    fee_stage: r.fee_stage,
                    fee_amount: r.fee_amount.map(Money::from_hundredths),
                    notes: r.notes,
                    leads: lead_views,
                    payouts: mine,
                    paid_total,
                    version: r.version,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                    unit_id: r.unit_id,
                }
            })
            .collect())
    }

    /// One record with its leads and payouts, its phone unmasked for those who may read it —
    /// an audited read.
    pub async fn get_ambassador(&self, id: i64) -> Result<Ambassador> {
        let row = self.unit_owned::<ambassador::Entity, _>(self.store.db(), id, Permission::AmbassadorRead).await?;
        let a = self.ambassador_views(self.store.db(), vec![row], true).await?.pop().ok_or(StoreError::NotFound)?;
        self.audit_phone_read((&a.phone, a.phone_masked), AuditAction::AmbassadorPhoneRead, "ambassador", id).await?;
        Ok(a)
    }

    /// The records in scope (phones masked), by kind, then by name. A
    /// department (no records of its own) is refused.
    pub async fn list_ambassadors(&self, f: &AmbassadorFilter) -> Result<AmbassadorPage> {
        let mut cond =
            self.unit_owned_list(Permission::AmbassadorRead, f.unit.as_deref(), ambassador::Column::UnitId)?;
        if let Some(k) = f.kind {
            cond = cond.add(ambassador::Column::Kind.eq(k.code()));
        }
        if f.in_office {
            let today = domain::today_shanghai();
            cond = cond.add(ambassador::Column::AppointedFrom.lte(today)).add(
                Condition::any()
                    .add(ambassador::Column::AppointedTo.is_null())
                    .add(ambassador::Column::AppointedTo.gte(today)),
            );
        }
        let q = ambassador::Entity::find()
            .filter(cond)
            .order_by_asc(ambassador::Column::Kind)
            .order_by_asc(ambassador::Column::Name)
            .order_by_asc(ambassador::Column::Id);
        let (rows, p) = crate::list_page(self.store.db(), q, f.page, f.per_page).await?;
        Ok(AmbassadorPage::new(self.ambassador_views(self.store.db(), rows, false).await?, p))
    }
}
