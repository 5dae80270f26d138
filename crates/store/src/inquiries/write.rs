//! The writes of 投资咨询: a new inquiry (its deadline fixed from the working days in force)
//! and its answer. Each is audited in its transaction.

use chrono::NaiveDate;
use domain::fields::INQUIRY;
use domain::{AuditAction, FieldError, Permission};
use sea_orm::{EntityTrait, Set};

use super::Inquiry;
use crate::audit::Event;
use crate::entity::{company, inquiry};
use crate::handle::update_versioned;
use crate::handle::{UnitRule, one_shot};
use crate::text::trimmed;
use crate::{Result, StoreError, Tx};

/// A new inquiry, as a staff member takes it down.
#[derive(Debug, Clone, Default)]
pub struct InquiryInput {
    pub company_name: String,
    /// The company of the library it is, when known.
    pub company_id: Option<i64>,
    pub contact: String,
    pub phone: Option<String>,
    pub interest: String,
    /// An industry code.
    pub industry: Option<String>,
    pub region: Option<String>,
    /// The answering unit's code (in the caller's scope).
    pub unit: String,
    pub received_at: NaiveDate,
}

/// What is wrong with a new inquiry's texts and codes (`today`: no inquiry from the future).
pub fn validate(i: &InquiryInput, today: NaiveDate) -> Vec<FieldError> {
    let mut errors = vec![];
    INQUIRY.check_required("company_name", &i.company_name, &mut errors);
    INQUIRY.check_required("contact", &i.contact, &mut errors);
    INQUIRY.check_required("interest", &i.interest, &mut errors);
    INQUIRY.check_required("unit", &i.unit, &mut errors);
    INQUIRY.check_opt("region", i.region.as_deref(), &mut errors);
    if let Some(p) = i.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        if !domain::company::phone_ok(p) {
            errors.push(FieldError::new("phone", "联系电话格式不正确（5–20位数字，可含 +、空格和 -）"));
        }
        INQUIRY.check_len("phone", p, &mut errors);
    }
    if let Some(code) = i.industry.as_deref().map(str::trim).filter(|c| !c.is_empty())
        && domain::reference::industry(code).is_none()
    {
        errors.push(FieldError::new("industry", format!("「{code}」不在产业分类中")));
    }
    if i.received_at > today {
        errors.push(FieldError::new("received_at", "受理日期不能晚于今天"));
    }
    errors
}

one_shot! {
    write fn create_inquiry(input: InquiryInput, today: NaiveDate) -> Inquiry;
    write fn answer_inquiry(id: i64, answer: String, version: i32) -> Inquiry;
}

impl Tx<'_> {
    async fn inquiry_view(&self, id: i64) -> Result<Inquiry> {
        let row = inquiry::Entity::find_by_id(id).one(&self.txn).await?.ok_or(StoreError::NotFound)?;
        let mut v = self.s.inquiry_views(&self.txn, vec![row], true).await?;
        v.pop().ok_or(StoreError::NotFound)
    }

    /// The answering unit: a county, district, zone or the city (not a department), in scope.
    fn inquiry_unit(&self, code: &str, errors: &mut Vec<FieldError>) -> Result<Option<i64>> {
        if code.trim().is_empty() {
            return Ok(None);
        }
        let rule = UnitRule {
            blank: None, department: Some("承办单位应为县（市、区）或开发区，不能是市直部门")
        };
        self.s.unit_field(code, rule, errors)
    }

    /// Take an inquiry down for a unit; it must be answered by `received_at` plus the
    /// working days in force (`inquiry_response_days`), fixed now.
    pub async fn create_inquiry(&self, input: InquiryInput, today: NaiveDate) -> Result<Inquiry> {
        self.s.require(Permission::InquiryWrite)?;
        let mut errors = validate(&input, today);
        let unit_id = self.inquiry_unit(&input.unit, &mut errors)?;
        if let Some(c) = input.company_id
            && company::Entity::find_by_id(c).one(&self.txn).await?.is_none()
        {
            errors.push(FieldError::new("company_id", "企业库中没有这家企业"));
        }
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let unit_id = unit_id.ok_or_else(|| StoreError::field("unit", "承办单位不能为空"))?;
        let days = self.store().thresholds_on(&self.txn).await?.inquiry_response_days;
        let industry =
            trimmed(input.industry).map(|c| domain::reference::industry(&c).map_or(c.clone(), |e| e.code.clone()));
        let am = inquiry::ActiveModel {
            unit_id: Set(unit_id),
            company_id: Set(input.company_id),
            company_name: Set(input.company_name.trim().into()),
            contact: Set(input.contact.trim().into()),
            phone: Set(trimmed(input.phone)),
            interest: Set(input.interest.trim().into()),
            industry: Set(industry),
            region: Set(trimmed(input.region)),
            received_at: Set(input.received_at),
            respond_by: Set(domain::inquiry::respond_by(input.received_at, days)),
            ..Default::default()
        };
        let row = self.insert_new(am).await?;
        let i = self.inquiry_view(row.id).await?;
        self.audited(Event::ok(AuditAction::InquiryCreate, "inquiry", i.id), i).await
    }

    /// Record the unit's answer and its time; an inquiry is answered once (409 after).
    pub async fn answer_inquiry(&self, id: i64, answer: String, version: i32) -> Result<Inquiry> {
        let row = self.s.unit_owned::<inquiry::Entity, _>(&self.txn, id, Permission::InquiryWrite).await?;
        let mut errors = vec![];
        INQUIRY.check_required("answer", &answer, &mut errors);
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        if row.answered_at.is_some() {
            return Err(StoreError::Conflict("该咨询已答复，不能重复答复".into()));
        }
        let am = inquiry::ActiveModel {
            answer: Set(Some(answer.trim().into())),
            answered_at: Set(Some(crate::now())),
            answered_by: Set(self.actor().user_id),
            version: Set(version + 1),
            updated_at: Set(crate::now()),
            ..Default::default()
        };
        update_versioned(&self.txn, am, (inquiry::Column::Id, id), (inquiry::Column::Version, version)).await?;
        let after = self.inquiry_view(id).await?;
        self.audited(Event::ok(AuditAction::InquiryAnswer, "inquiry", id), after).await
    }
}
