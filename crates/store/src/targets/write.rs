//! The writes of the 靶向项目库: a new target, a status change, a follow-up, and the
//! conversion into a project. Each is audited in its transaction.

use chrono::NaiveDate;
use domain::fields::{FOLLOW_UP, TARGET};
use domain::target::{FollowUpChannel, TargetStatus, check_convertible, target_move};
use domain::{AuditAction, Category, FieldError, Money, Permission};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::Target;
use crate::audit::Event;
use crate::entity::{company, target, target_follow_up};
use crate::handle::one_shot;
use crate::handle::update_versioned;
use crate::projects::{Project, ProjectInput};
use crate::text::trimmed;
use crate::{Result, StoreError, Tx};

/// A new target.
#[derive(Debug, Clone, Default)]
pub struct TargetInput {
    pub company_id: i64,
    /// The owning unit's code (in the caller's scope).
    pub unit: String,
    pub industry: String,
    pub strategy: Option<String>,
    pub layout: Option<String>,
    pub signals: Option<String>,
    pub next_follow_up_on: Option<NaiveDate>,
}

/// One follow-up: when, how, what happened, and when to follow up next.
#[derive(Debug, Clone)]
pub struct FollowUpInput {
    pub date: NaiveDate,
    pub channel: FollowUpChannel,
    pub summary: String,
    pub next_follow_up_on: Option<NaiveDate>,
}

/// What the converted project needs beyond the target: its name, the investor's source
/// region and the total investment (the other fields are the target's).
#[derive(Debug, Clone)]
pub struct ConvertInput {
    pub name: String,
    pub region: String,
    pub total_investment: Money,
    pub version: i32,
}

/// What is wrong with a new target's texts and codes.
pub fn validate(t: &TargetInput) -> Vec<FieldError> {
    let mut errors = vec![];
    TARGET.check_required("unit", &t.unit, &mut errors);
    TARGET.check_required("industry", &t.industry, &mut errors);
    if !t.industry.trim().is_empty() && domain::reference::industry(&t.industry).is_none() {
        errors.push(FieldError::new("industry", format!("「{}」不在产业分类中", t.industry.trim())));
    }
    for (code, v) in [("strategy", &t.strategy), ("layout", &t.layout), ("signals", &t.signals)] {
        TARGET.check_opt(code, v.as_deref(), &mut errors);
    }
    errors
}

one_shot! {
    write fn create_target(input: TargetInput) -> Target;
    write fn set_target_status(id: i64, to: TargetStatus, reason: Option<String>, version: i32) -> Target;
    write fn add_follow_up(id: i64, input: FollowUpInput, today: NaiveDate) -> super::FollowUp;
    write fn convert_target(id: i64, input: ConvertInput) -> (Target, Project);
}

impl Tx<'_> {
    /// A target as this transaction sees it (target:read on it).
    pub async fn get_target_in(&self, id: i64) -> Result<Target> {
        self.s.unit_owned::<target::Entity, _>(&self.txn, id, Permission::TargetRead).await?;
        self.target_view(id).await
    }

    async fn target_view(&self, id: i64) -> Result<Target> {
        let row = target::Entity::find_by_id(id).one(&self.txn).await?.ok_or(StoreError::NotFound)?;
        let mut v = self.s.views(&self.txn, vec![row]).await?;
        v.pop().ok_or(StoreError::NotFound)
    }

    pub async fn create_target(&self, input: TargetInput) -> Result<Target> {
        self.s.require(Permission::TargetWrite)?;
        let mut errors = validate(&input);
        let unit_id =
            if input.unit.trim().is_empty() { None } else { self.s.unit_in_scope(&input.unit, &mut errors)? };
        if company::Entity::find_by_id(input.company_id).one(&self.txn).await?.is_none() {
            errors.push(FieldError::new("company_id", "目标企业不存在，请先在企业库中登记"));
        }
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let unit_id = unit_id.ok_or_else(|| StoreError::field("unit", "责任单位不能为空"))?;
        let dup = target::Entity::find()
            .filter(target::Column::UnitId.eq(unit_id))
            .filter(target::Column::CompanyId.eq(input.company_id))
            .one(&self.txn)
            .await?;
        if let Some(d) = dup {
            return Err(StoreError::Conflict(format!("本单位已在跟踪该企业（靶向编号 {}）", d.id)));
        }
        let am = target::ActiveModel {
            unit_id: Set(unit_id),
            company_id: Set(input.company_id),
            industry: Set(
                domain::reference::industry(&input.industry).map_or(input.industry.clone(), |e| e.code.clone())
            ),
            strategy: Set(trimmed(input.strategy)),
            layout: Set(trimmed(input.layout)),
            signals: Set(trimmed(input.signals)),
            status: Set(TargetStatus::Watching.code().into()),
            next_follow_up_on: Set(input.next_follow_up_on),
            ..Default::default()
        };
        let row = self.insert_new(am).await?;
        let t = self.target_view(row.id).await?;
        self.audited(Event::ok(AuditAction::TargetCreate, "target", t.id), t).await
    }

    /// Move a target (not to 已转化: that is [`Tx::convert_target`]); 已放弃 needs a reason.
    pub async fn set_target_status(
        &self,
        id: i64,
        to: TargetStatus,
        reason: Option<String>,
        version: i32,
    ) -> Result<Target> {
        let row = self.s.unit_owned::<target::Entity, _>(&self.txn, id, Permission::TargetWrite).await?;
        let from = TargetStatus::parse(&row.status).ok_or_else(|| StoreError::Conflict("跟踪状态无效".into()))?;
        let reason = trimmed(reason);
        let mut errors = vec![];
        TARGET.check_opt("drop_reason", reason.as_deref(), &mut errors);
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let field = |e: domain::target::TargetError| {
            let code = if matches!(e, domain::target::TargetError::ReasonRequired) { "drop_reason" } else { "status" };
            StoreError::Validation(vec![FieldError::new(code, e.to_string())])
        };
        target_move(from, to, reason.as_deref()).map_err(field)?;
        let before = self.target_view(id).await?;
        let am = target::ActiveModel {
            status: Set(to.code().into()),
            drop_reason: Set(if to == TargetStatus::Dropped { reason } else { None }),
            version: Set(version + 1),
            updated_at: Set(crate::now()),
            ..Default::default()
        };
        update_versioned(&self.txn, am, (target::Column::Id, id), (target::Column::Version, version)).await?;
        let after = self.target_view(id).await?;
        self.audited(Event::ok(AuditAction::TargetStatus, "target", id).before(&before), after).await
    }

    /// Log a follow-up; it sets the target's next follow-up date, and a first contact moves
    /// a 关注中 target to 已接触.
    pub async fn add_follow_up(&self, id: i64, input: FollowUpInput, today: NaiveDate) -> Result<super::FollowUp> {
        let row = self.s.unit_owned::<target::Entity, _>(&self.txn, id, Permission::TargetWrite).await?;
        let mut errors = vec![];
        FOLLOW_UP.check_required("summary", &input.summary, &mut errors);
        if input.date > today {
            errors.push(FieldError::new("date", "跟进日期不能晚于今天"));
        }
        if input.next_follow_up_on.is_some_and(|n| n < input.date) {
            errors.push(FieldError::new("next_follow_up_on", "下次跟进日期不能早于本次跟进日期"));
        }
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let status = TargetStatus::parse(&row.status);
        if !status.is_some_and(TargetStatus::is_open) {
            return Err(StoreError::Conflict("已转化或已放弃的靶向企业不再记录跟进".into()));
        }
        let entry = target_follow_up::ActiveModel {
            target_id: Set(id),
            date: Set(input.date),
            channel: Set(input.channel.code().into()),
            summary: Set(input.summary.trim().into()),
            next_follow_up_on: Set(input.next_follow_up_on),
            created_by: Set(self.actor().user_id),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(&self.txn)
        .await?;
        let mut am = target::ActiveModel {
            next_follow_up_on: Set(input.next_follow_up_on),
            version: Set(row.version + 1),
            updated_at: Set(crate::now()),
            ..Default::default()
        };
        if status == Some(TargetStatus::Watching) {
            am.status = Set(TargetStatus::Contacted.code().into());
        }
        update_versioned(&self.txn, am, (target::Column::Id, id), (target::Column::Version, row.version)).await?;
        // who recorded it, by name as the log shows it
        let by =
            crate::users::user_names(&self.txn, self.actor().user_id.into_iter().collect()).await?.into_values().next();
        let out = super::FollowUp {
            id: entry.id,
            target_id: id,
            date: entry.date,
            channel: entry.channel,
            summary: entry.summary,
            next_follow_up_on: entry.next_follow_up_on,
            by,
            created_at: entry.created_at,
        };
        self.audited(Event::ok(AuditAction::TargetFollowUp, "target", id), out).await
    }

    /// Convert a target into a `reserve` project of its unit, with its company as the
    /// investor, its industry and the category 靶向; the target keeps the project's id.
    /// Converting twice is refused (409), as is a dropped target.
    pub async fn convert_target(&self, id: i64, input: ConvertInput) -> Result<(Target, Project)> {
        let row = self.s.unit_owned::<target::Entity, _>(&self.txn, id, Permission::TargetWrite).await?;
        let status = TargetStatus::parse(&row.status).ok_or_else(|| StoreError::Conflict("跟踪状态无效".into()))?;
        check_convertible(status).map_err(|e| StoreError::Conflict(e.to_string()))?;
        if row.version != input.version {
            return Err(crate::projects::stale());
        }
        let tree = self.store().unit_tree();
        let unit = tree.get(row.unit_id).map(|u| u.code.clone()).unwrap_or_default();
        let project = self
            .create_project(ProjectInput {
                name: input.name,
                unit,
                investor_ids: vec![row.company_id],
                industry: row.industry.clone(),
                region: input.region,
                categories: vec![Category::Targeted],
                total_investment: input.total_investment,
                ..Default::default()
            })
            .await?;
        let before = self.target_view(id).await?;
        let am = target::ActiveModel {
            status: Set(TargetStatus::Converted.code().into()),
            project_id: Set(Some(project.id)),
            converted_at: Set(Some(crate::now())),
            version: Set(row.version + 1),
            updated_at: Set(crate::now()),
            ..Default::default()
        };
        update_versioned(&self.txn, am, (target::Column::Id, id), (target::Column::Version, row.version)).await?;
        let after = self.target_view(id).await?;
        let ev = Event::ok(AuditAction::TargetConvert, "target", id).before(&before).after(&after);
        self.audit(ev).await?;
        Ok((after, project))
    }
}
