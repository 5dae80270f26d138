//! The writes of 招商大使/中介机构: an appointment (with its first leads), its update, more
//! leads, and a paid intermediary's payout. Each is audited in its transaction.

use chrono::NaiveDate;
use domain::ambassador::{AmbassadorKind, FeeTerms, PayoutFacts, check_appointment, payout_allowed};
use domain::fields::{AMBASSADOR, PAYOUT};
use domain::{AuditAction, FieldError, Money, Permission, Stage};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

use super::{Ambassador, Payout};
use crate::audit::Event;
use crate::entity::{ambassador, ambassador_lead, ambassador_payout, project};
use crate::handle::update_versioned;
use crate::handle::{UnitRule, one_shot};
use crate::rows::{projects_outside, targets_outside};
use crate::text::{dedup, list, trimmed};
use crate::{Result, StoreError, Tx};

/// An appointment as a unit records it.
#[derive(Debug, Clone, Default)]
pub struct AmbassadorInput {
    pub name: String,
    /// An `AmbassadorKind` code.
    pub kind: String,
    pub organisation: Option<String>,
    pub contact: Option<String>,
    pub phone: Option<String>,
    /// The appointing unit's code (in the caller's scope); kept as it was on an update.
    pub unit: String,
    pub appointed_from: NaiveDate,
    pub appointed_to: Option<NaiveDate>,
    pub paid: bool,
    pub fee_terms: Option<String>,
    /// The stage code a fee is paid on.
    pub fee_stage: Option<String>,
    pub fee_amount: Option<Money>,
    pub notes: Option<String>,
}

/// Leads to add: targets and projects of the appointing unit's subtree.
#[derive(Debug, Clone, Default)]
pub struct LeadsInput {
    pub target_ids: Vec<i64>,
    pub project_ids: Vec<i64>,
}

/// A fee paid on a lead project.
#[derive(Debug, Clone)]
pub struct PayoutInput {
    pub project_id: i64,
    pub amount: Money,
    pub paid_on: NaiveDate,
    pub note: Option<String>,
}

/// The checked values of an appointment.
struct Checked {
    kind: AmbassadorKind,
    fee_stage: Option<Stage>,
}

impl Checked {
    /// The row's values an appointment sets (creation adds the unit, an update the version).
    fn row(&self, input: AmbassadorInput) -> ambassador::ActiveModel {
        ambassador::ActiveModel {
            name: Set(input.name.trim().into()),
            kind: Set(self.kind.code().into()),
            organisation: Set(trimmed(input.organisation)),
            contact: Set(trimmed(input.contact)),
            phone: Set(trimmed(input.phone)),
            appointed_from: Set(input.appointed_from),
            appointed_to: Set(input.appointed_to),
            paid: Set(input.paid),
            fee_terms: Set(trimmed(input.fee_terms)),
            fee_stage: Set(self.fee_stage.map(|s| s.code().to_string())),
            fee_amount: Set(input.fee_amount.map(Money::hundredths)),
            notes: Set(trimmed(input.notes)),
            ..Default::default()
        }
    }
}

/// What is wrong with an appointment's texts, codes and terms (the unit aside), all at once.
pub fn validate(i: &AmbassadorInput) -> Vec<FieldError> {
    let mut errors = vec![];
    checked(i, &mut errors);
    errors
}

/// The checked values of an appointment, or `None` with `errors` added to.
fn checked(i: &AmbassadorInput, errors: &mut Vec<FieldError>) -> Option<Checked> {
    AMBASSADOR.check_required("name", &i.name, errors);
    for (code, v) in
        [("organisation", &i.organisation), ("contact", &i.contact), ("fee_terms", &i.fee_terms), ("notes", &i.notes)]
    {
        AMBASSADOR.check_opt(code, v.as_deref(), errors);
    }
    if let Some(p) = i.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        if !domain::company::phone_ok(p) {
            errors.push(FieldError::new("phone", "联系电话格式不正确（5–20位数字，可含 +、空格和 -）"));
        }
        AMBASSADOR.check_len("phone", p, errors);
    }
    let kind = AmbassadorKind::parse(&i.kind);
    if kind.is_none() {
        let why = if i.kind.trim().is_empty() {
            "类别不能为空".to_string()
        } else {
            format!("类别「{}」应为招商大使、招商顾问或中介机构", i.kind.trim())
        };
        errors.push(FieldError::new("kind", why));
    }
    let fee_stage = match i.fee_stage.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(code) => match Stage::parse(code) {
            Some(s) => Some(s),
            None => {
                errors.push(FieldError::new("fee_stage", format!("付费节点「{code}」不是项目阶段")));
                None
            }
        },
    };
    if i.fee_amount.is_some_and(|m| m <= Money::ZERO) {
        errors.push(FieldError::new("fee_amount", "每个项目付费应大于 0"));
    }
    let kind = kind?;
    for e in check_appointment(kind, i.appointed_from, i.appointed_to, i.paid, i.fee_terms.as_deref(), fee_stage) {
        errors.push(FieldError::new(e.field(), e.to_string()));
    }
    Some(Checked { kind, fee_stage })
}

one_shot! {
    write fn create_ambassador(input: AmbassadorInput, leads: LeadsInput) -> Ambassador;
    write fn update_ambassador(id: i64, input: AmbassadorInput, version: i32) -> Ambassador;
    write fn add_ambassador_leads(id: i64, leads: LeadsInput) -> Ambassador;
    write fn record_payout(id: i64, input: PayoutInput, today: NaiveDate) -> Payout;
}

impl Tx<'_> {
    async fn ambassador_view(&self, id: i64) -> Result<Ambassador> {
        let row = ambassador::Entity::find_by_id(id).one(&self.txn).await?.ok_or(StoreError::NotFound)?;
        self.s.ambassador_views(&self.txn, vec![row], true).await?.pop().ok_or(StoreError::NotFound)
    }

    /// The appointing unit: a county, district, zone or the city (not a department), in scope.
    fn appointing_unit(&self, code: &str, errors: &mut Vec<FieldError>) -> Result<Option<i64>> {
        let rule = UnitRule {
            blank: Some("聘任单位不能为空"),
            department: Some("聘任单位应为市、县（市、区）或开发区，不能是市直部门"),
        };
        self.s.unit_field(code, rule, errors)
    }

    /// Add `leads` of ambassador `id` (of unit `unit_id`): targets and live projects of the
    /// unit's subtree; one already recorded is left as it is.
    async fn insert_leads(&self, id: i64, unit_id: i64, leads: LeadsInput) -> Result<()> {
        let subtree = self.store().unit_tree().subtree(unit_id);
        let inside = |u: i64| subtree.binary_search(&u).is_ok();
        let mut errors = vec![];
        let target_ids = dedup(leads.target_ids);
        let bad = targets_outside(&self.txn, &target_ids, inside).await?;
        if !bad.is_empty() {
            errors.push(FieldError::new("target_ids", format!("靶向企业 {} 不存在或不属于聘任单位", list(&bad))));
        }
        let project_ids = dedup(leads.project_ids);
        let bad = projects_outside(&self.txn, &project_ids, inside).await?;
        if !bad.is_empty() {
            errors.push(FieldError::new("project_ids", format!("项目 {} 不存在或不属于聘任单位", list(&bad))));
        }
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let have =
            ambassador_lead::Entity::find().filter(ambassador_lead::Column::AmbassadorId.eq(id)).all(&self.txn).await?;
        let rows = target_ids
            .into_iter()
            .filter(|t| !have.iter().any(|l| l.target_id == Some(*t)))
            .map(|t| (Some(t), None))
            .chain(
                project_ids
                    .into_iter()
                    .filter(|p| !have.iter().any(|l| l.project_id == Some(*p)))
                    .map(|p| (None, Some(p))),
            );
        for (target_id, project_id) in rows {
            let am = ambassador_lead::ActiveModel {
                ambassador_id: Set(id),
                target_id: Set(target_id),
                project_id: Set(project_id),
                created_by: Set(self.actor().user_id),
                created_at: Set(crate::now()),
                ..Default::default()
            };
            ambassador_lead::Entity::insert(am).exec(&self.txn).await?;
        }
        Ok(())
    }

    /// Record an appointment of a unit in scope, with the leads it brought so far.
    pub async fn create_ambassador(&self, input: AmbassadorInput, leads: LeadsInput) -> Result<Ambassador> {
        self.s.require(Permission::AmbassadorWrite)?;
        let mut errors = vec![];
        let checked = checked(&input, &mut errors);
        let unit_id = self.appointing_unit(&input.unit, &mut errors)?;
        let (Some(c), Some(unit_id), true) = (checked, unit_id, errors.is_empty()) else {
            return Err(StoreError::Validation(errors));
        };
        let am = ambassador::ActiveModel { unit_id: Set(unit_id), ..c.row(input) };
        let row = self.insert_new(am).await?;
        self.insert_leads(row.id, unit_id, leads).await?;
        let a = self.ambassador_view(row.id).await?;
        self.audited(Event::ok(AuditAction::AmbassadorCreate, "ambassador", a.id), a).await
    }

    /// Change an appointment (its unit stays). Paid terms cannot be withdrawn once a fee
    /// was paid on them (409).
    pub async fn update_ambassador(&self, id: i64, input: AmbassadorInput, version: i32) -> Result<Ambassador> {
        let row = self.s.unit_owned::<ambassador::Entity, _>(&self.txn, id, Permission::AmbassadorWrite).await?;
        let before = self.ambassador_view(id).await?;
        let mut errors = vec![];
        let checked = checked(&input, &mut errors);
        let (Some(c), true) = (checked, errors.is_empty()) else {
            return Err(StoreError::Validation(errors));
        };
        let fee_stage = c.fee_stage.map(|s| s.code().to_string());
        if !before.payouts.is_empty() && (!input.paid || fee_stage != row.fee_stage) {
            return Err(StoreError::Conflict("已按约定付费，不能取消付费或改变付费节点".into()));
        }
        let am = ambassador::ActiveModel { version: Set(version + 1), updated_at: Set(crate::now()), ..c.row(input) };
        update_versioned(&self.txn, am, (ambassador::Column::Id, id), (ambassador::Column::Version, version)).await?;
        let after = self.ambassador_view(id).await?;
        self.audited(Event::ok(AuditAction::AmbassadorUpdate, "ambassador", id).before(&before), after).await
    }

    /// Add leads (targets, projects of the appointing unit's subtree).
    pub async fn add_ambassador_leads(&self, id: i64, leads: LeadsInput) -> Result<Ambassador> {
        let row = self.s.unit_owned::<ambassador::Entity, _>(&self.txn, id, Permission::AmbassadorWrite).await?;
        let before = self.ambassador_view(id).await?;
        self.insert_leads(id, row.unit_id, leads).await?;
        let after = self.ambassador_view(id).await?;
        self.audited(Event::ok(AuditAction::AmbassadorLead, "ambassador", id).before(&before.leads), after).await
    }

    /// Record a fee paid to a paid intermediary on one of its lead projects, at the agreed
    /// stage as the city accepted it (`domain::ambassador::payout_allowed`).
    pub async fn record_payout(&self, id: i64, input: PayoutInput, today: NaiveDate) -> Result<Payout> {
        let row = self.s.unit_owned::<ambassador::Entity, _>(&self.txn, id, Permission::AmbassadorWrite).await?;
        let mut errors = vec![];
        PAYOUT.check_opt("note", input.note.as_deref(), &mut errors);
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let project = project::Entity::find_by_id(input.project_id)
            .one(&self.txn)
            .await?
            .filter(|p| p.deleted_at.is_none())
            .ok_or_else(|| StoreError::field("project_id", format!("项目 {} 不存在", input.project_id)))?;
        let is_lead = ambassador_lead::Entity::find()
            .filter(ambassador_lead::Column::AmbassadorId.eq(id))
            .filter(ambassador_lead::Column::ProjectId.eq(project.id))
            .one(&self.txn)
            .await?
            .is_some();
        let already_paid = ambassador_payout::Entity::find()
            .filter(ambassador_payout::Column::AmbassadorId.eq(id))
            .filter(ambassador_payout::Column::ProjectId.eq(project.id))
            .one(&self.txn)
            .await?
            .is_some();
        let fee_stage = row.fee_stage.as_deref().and_then(Stage::parse);
        let terms = FeeTerms {
            kind: AmbassadorKind::parse(&row.kind).unwrap_or(AmbassadorKind::Ambassador),
            paid: row.paid,
            fee_stage,
        };
        let facts = PayoutFacts {
            is_lead,
            accepted_stage: Stage::parse(&project.accepted_stage).unwrap_or(Stage::Reserve),
            amount: input.amount,
            paid_on: input.paid_on,
            today,
            already_paid,
        };
        if let Err(refusal) = payout_allowed(terms, facts) {
            return Err(match refusal.field() {
                Some(f) => StoreError::field(f, refusal.to_string()),
                None => StoreError::Conflict(refusal.to_string()),
            });
        }
        let stage = fee_stage.map(|s| s.code().to_string()).unwrap_or_default();
        let am = ambassador_payout::ActiveModel {
            ambassador_id: Set(id),
            project_id: Set(project.id),
            stage: Set(stage),
            amount: Set(input.amount.hundredths()),
            paid_on: Set(input.paid_on),
            note: Set(trimmed(input.note)),
            ..Default::default()
        };
        let saved = self.insert_new(am).await?;
        let a = self.ambassador_view(id).await?;
        let payout = a.payouts.into_iter().find(|p| p.id == saved.id).ok_or(StoreError::NotFound)?;
        self.audited(Event::ok(AuditAction::AmbassadorPayout, "ambassador", id), payout).await
    }
}
