//! 投资咨询 (issue 12; seed 三(三)三): investors' inquiries taken down by staff, each assigned
//! to a unit that answers it within working days (`domain::inquiry`). An inquiry belongs to
//! its unit: a unit user reads and answers its subtree's only; city_admin, the leaders and the
//! supervisor read every unit's. Lists show phones masked; the inquiry's own page shows the
//! phone to the unit's staff and city_admin, and that read is audited (inquiry.phone_read).

mod write;

pub use write::{InquiryInput, validate};

use chrono::{DateTime, NaiveDate, Utc};
use domain::inquiry::{InquiryState, working_days_overdue};
use domain::{AuditAction, Permission};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::entity::inquiry;
use crate::{Result, Scoped, StoreError};

/// An inquiry as the API and the pages show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Inquiry {
    pub id: i64,
    /// The answering unit's code.
    pub unit: String,
    pub unit_name: String,
    pub company_id: Option<i64>,
    pub company_name: String,
    pub contact: String,
    /// Masked (`138****1234`) unless the caller may read it (`phone_masked`).
    pub phone: Option<String>,
    pub phone_masked: bool,
    pub interest: String,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub received_at: NaiveDate,
    /// The day it must be answered by (working days after receipt).
    pub respond_by: NaiveDate,
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// Who answered (display name).
    pub answered_by: Option<String>,
    /// `waiting` | `answered` | `answered_late`.
    pub state: String,
    /// Working days past `respond_by` while unanswered.
    pub overdue_working_days: Option<i64>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip)]
    pub unit_id: i64,
}

fn state_code(s: InquiryState) -> &'static str {
    match s {
        InquiryState::Waiting => "waiting",
        InquiryState::Answered => "answered",
        InquiryState::AnsweredLate => "answered_late",
    }
}

/// Which inquiries a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InquiryShow {
    /// Not yet answered.
    Waiting,
    /// Not answered, past the deadline.
    Overdue,
    Answered,
}

impl InquiryShow {
    pub fn parse(s: &str) -> Option<InquiryShow> {
        match s.trim() {
            "waiting" => Some(InquiryShow::Waiting),
            "overdue" => Some(InquiryShow::Overdue),
            "answered" => Some(InquiryShow::Answered),
            _ => None,
        }
    }
}

crate::list_filter! {
    /// What an inquiry list shows: each filter optional.
    pub struct InquiryFilter {
        pub show: Option<InquiryShow>,
    }
}

crate::page_type! {
    /// One page of inquiries.
    pub struct InquiryPage of Inquiry;
}

impl Scoped<'_> {
    /// The view rows; `open_phone`: show the phone where the caller may read it.
    async fn inquiry_views<C: sea_orm::ConnectionTrait>(
        &self,
        db: &C,
        rows: Vec<inquiry::Model>,
        open_phone: bool,
    ) -> Result<Vec<Inquiry>> {
        let ids: Vec<i64> = rows.iter().filter_map(|r| r.answered_by).collect();
        let names = crate::users::user_names(db, ids).await?;
        let tree = self.store.unit_tree();
        let today = domain::today_shanghai();
        Ok(rows
            .into_iter()
            .map(|r| {
                let (unit, unit_name) = tree.code_name(r.unit_id);
                let (phone, phone_masked) =
                    crate::phone::shown(r.phone, open_phone && self.reads_phone(Some(r.unit_id)));
                let answered_on = r.answered_at.map(domain::shanghai_date);
                Inquiry {
                    id: r.id,
                    unit,
                    unit_name,
                    company_id: r.company_id,
                    company_name: r.company_name,
                    contact: r.contact,
                    phone,
                    phone_masked,
                    interest: r.interest,
                    industry: r.industry,
                    region: r.region,
                    received_at: r.received_at,
                    respond_by: r.respond_by,
                    answer: r.answer,
                    answered_by: r.answered_by.and_then(|u| names.get(&u).cloned()),
                    state: state_code(InquiryState::of(r.respond_by, answered_on)).into(),
                    overdue_working_days: working_days_overdue(r.respond_by, r.answered_at.is_some(), today),
                    answered_at: r.answered_at,
                    version: r.version,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                    unit_id: r.unit_id,
                }
            })
            .collect())
    }

    /// One inquiry, its phone unmasked for those who may read it — an audited read.
    pub async fn get_inquiry(&self, id: i64) -> Result<Inquiry> {
        let row = self.unit_owned::<inquiry::Entity, _>(self.store.db(), id, Permission::InquiryRead).await?;
        let mut v = self.inquiry_views(self.store.db(), vec![row], true).await?;
        let i = v.pop().ok_or(StoreError::NotFound)?;
        self.audit_phone_read((&i.phone, i.phone_masked), AuditAction::InquiryPhoneRead, "inquiry", id).await?;
        Ok(i)
    }

    /// The inquiries in scope (phones masked): the unanswered first, by deadline, then the
    /// answered, latest first. A department (no inquiries of its own) is refused.
    pub async fn list_inquiries(&self, f: &InquiryFilter) -> Result<InquiryPage> {
        let mut cond = self.unit_owned_list(Permission::InquiryRead, f.unit.as_deref(), inquiry::Column::UnitId)?;
        match f.show {
            Some(InquiryShow::Waiting) => cond = cond.add(inquiry::Column::AnsweredAt.is_null()),
            Some(InquiryShow::Overdue) => {
                cond = cond
                    .add(inquiry::Column::AnsweredAt.is_null())
                    .add(inquiry::Column::RespondBy.lt(domain::today_shanghai()))
            }
            Some(InquiryShow::Answered) => cond = cond.add(inquiry::Column::AnsweredAt.is_not_null()),
            None => {}
        }
        let q = inquiry::Entity::find()
            .filter(cond)
            .order_by_desc(inquiry::Column::AnsweredAt.is_null())
            .order_by_asc(inquiry::Column::RespondBy)
            .order_by_desc(inquiry::Column::Id);
        let (rows, p) = crate::list_page(self.store.db(), q, f.page, f.per_page).await?;
        Ok(InquiryPage::new(self.inquiry_views(self.store.db(), rows, false).await?, p))
    }
}
