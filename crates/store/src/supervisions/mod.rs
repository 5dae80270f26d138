//! 督办 (domain.md §7): the supervisor turns a warning or a project into an item with a
//! deadline and an instruction; the project's unit replies; the supervisor closes it.

pub mod entity;

use chrono::{DateTime, NaiveDate, Utc};
use domain::fields::SUPERVISION;
use domain::warnings::{SupervisionStatus, supervision_step};
use domain::{AuditAction, FieldError, Permission};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;

use self::entity as sup;
use crate::audit::Event;
use crate::entity::project;
use crate::handle::one_shot;
use crate::stamp::Versioned;
use crate::warnings::WarningFilter;
use crate::{Result, Scope, Scoped, StoreError, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Supervision {
    pub id: i64,
    pub warning_key: Option<String>,
    pub project_id: i64,
    pub project_name: String,
    pub unit_id: i64,
    pub unit: String,
    pub unit_name: String,
    pub deadline: NaiveDate,
    pub instruction: String,
    /// `open`, `replied` or `closed`.
    pub status: String,
    pub status_label: String,
    pub reply: Option<String>,
    pub replied_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

/// A new item: on a warning (its key) or a project (its id), or both when they agree.
#[derive(Debug, Clone, Default)]
pub struct NewSupervision {
    pub warning_key: Option<String>,
    pub project_id: Option<i64>,
    pub deadline: NaiveDate,
    pub instruction: String,
}

fn status_of(m: &sup::Model) -> SupervisionStatus {
    SupervisionStatus::parse(&m.status).unwrap_or(SupervisionStatus::Open)
}

impl Scoped<'_> {
    fn supervision_of(&self, m: sup::Model, project_name: String) -> Supervision {
        let tree = self.store.unit_tree();
        let (unit, unit_name) = tree.code_name(m.unit_id);
        let status = status_of(&m);
        Supervision {
            id: m.id,
            warning_key: m.warning_key,
            project_id: m.project_id,
            project_name,
            unit_id: m.unit_id,
            unit,
            unit_name,
            deadline: m.deadline,
            instruction: m.instruction,
            status: status.code().into(),
            status_label: status.label().into(),
            reply: m.reply,
            replied_at: m.replied_at,
            closed_at: m.closed_at,
            version: m.version,
            created_at: m.created_at,
        }
    }

    /// The items of the caller's scope (all for the city, a unit's subtree for a unit),
    /// newest first; `status` narrows them.
    pub async fn list_supervisions(&self, status: Option<SupervisionStatus>) -> Result<Vec<Supervision>> {
        self.require(Permission::WarningRead)?;
        let mut q = sup::Entity::find();
        match &self.actor.scope {
            Scope::All => {}
            Scope::Units(ids) => q = q.filter(sup::Column::UnitId.is_in(ids.clone())),
            Scope::Department(_) | Scope::Nothing => return Err(StoreError::Forbidden),
        }
        if let Some(s) = status {
            q = q.filter(sup::Column::Status.eq(s.code()));
        }
        let rows = q.order_by_desc(sup::Column::Id).all(self.store.db()).await?;
        let names = self.store.project_names(rows.iter().map(|r| r.project_id).collect(), false).await?;
        Ok(rows
            .into_iter()
            .map(|m| {
                let name = names.get(&m.project_id).cloned().unwrap_or_default();
                self.supervision_of(m, name)
            })
            .collect())
    }
}

one_shot! {
    write fn create_supervision(new: NewSupervision, today: NaiveDate) -> Supervision;
    write fn reply_supervision(id: i64, reply: String, version: Option<i32>) -> Supervision;
    write fn close_supervision(id: i64, version: Option<i32>) -> Supervision;
}

impl Tx<'_> {
    /// Open an item (the supervisor): the warning must be one the caller sees as of `today`.
    pub async fn create_supervision(&self, new: NewSupervision, today: NaiveDate) -> Result<Supervision> {
        self.s.require(Permission::SupervisionWrite)?;
        let mut errors: Vec<FieldError> = vec![];
        SUPERVISION.check_required("instruction", &new.instruction, &mut errors);
        SUPERVISION.check_opt("warning_key", new.warning_key.as_deref(), &mut errors);
        if new.deadline < today {
            errors.push(FieldError::new("deadline", "办理期限不能早于今天"));
        }
        let key = new.warning_key.as_deref().map(str::trim).filter(|k| !k.is_empty());
        let mut project_id = new.project_id;
        if let Some(key) = key {
            let found = self.s.warnings(&WarningFilter::default(), today).await?.into_iter().find(|w| w.key == key);
            match found.and_then(|w| w.project_id) {
                None => errors.push(FieldError::new("warning_key", "预警不存在、已消除或不对应项目")),
                Some(p) if project_id.is_some_and(|q| q != p) => {
                    errors.push(FieldError::new("project_id", "项目与预警所属项目不一致"))
                }
                Some(p) => project_id = Some(p),
            }
        } else if project_id.is_none() {
            errors.push(FieldError::new("project_id", "请指定预警或项目"));
        }
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let Some(project_id) = project_id else {
            return Err(StoreError::field("project_id", "请指定预警或项目"));
        };
        let p = self.live_project_row(project_id, Permission::ProjectRead, "项目已删除").await?;
        let am = sup::ActiveModel {
            warning_key: Set(key.map(str::to_string)),
            project_id: Set(p.id),
            unit_id: Set(p.unit_id),
            deadline: Set(new.deadline),
            instruction: Set(new.instruction.trim().to_string()),
            status: Set(SupervisionStatus::Open.code().into()),
            ..Default::default()
        };
        let out = self.s.supervision_of(self.insert_new(am).await?, p.name);
        self.audited(Event::ok(AuditAction::SupervisionCreate, "supervision", out.id), out).await
    }

    /// An item of the caller's scope for a step: 404 unknown, 403 outside scope, 409 stale.
    async fn supervision_for_step(&self, id: i64, version: Option<i32>) -> Result<(sup::Model, project::Model)> {
        let Some(m) = sup::Entity::find_by_id(id).one(&self.txn).await? else { return Err(StoreError::NotFound) };
        if !self.actor().scope.allows_unit(m.unit_id) {
            return Err(StoreError::Forbidden);
        }
        if version.is_some_and(|v| v != m.version) {
            return Err(StoreError::Conflict("督办事项已被他人修改，请刷新后重试".into()));
        }
        let p = project::Entity::find_by_id(m.project_id).one(&self.txn).await?.ok_or(StoreError::NotFound)?;
        Ok((m, p))
    }

    /// The unit's answer (may be rewritten until the item is closed).
    pub async fn reply_supervision(&self, id: i64, reply: String, version: Option<i32>) -> Result<Supervision> {
        self.s.require(Permission::SupervisionReply)?;
        let mut errors = vec![];
        SUPERVISION.check_required("reply", &reply, &mut errors);
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let user = self.actor().user_id;
        self.step(id, version, false, |am, now| {
            am.reply = Set(Some(reply.trim().to_string()));
            am.replied_by = Set(user);
            am.replied_at = Set(Some(now));
        })
        .await
    }

    /// The supervisor closes an answered item; 409 before any reply.
    pub async fn close_supervision(&self, id: i64, version: Option<i32>) -> Result<Supervision> {
        self.s.require(Permission::SupervisionWrite)?;
        let user = self.actor().user_id;
        self.step(id, version, true, |am, now| {
            am.closed_by = Set(user);
            am.closed_at = Set(Some(now));
        })
        .await
    }

    /// One step (a reply, or a close when `close`): the status rule, the fields `fill` sets,
    /// the version bumped, audited with before and after.
    async fn step(
        &self,
        id: i64,
        version: Option<i32>,
        close: bool,
        fill: impl FnOnce(&mut sup::ActiveModel, DateTime<Utc>),
    ) -> Result<Supervision> {
        let (m, p) = self.supervision_for_step(id, version).await?;
        let next = supervision_step(status_of(&m), close).map_err(|e| StoreError::Conflict(e.to_string()))?;
        let before = self.s.supervision_of(m.clone(), p.name.clone());
        let now = crate::now();
        let mut am: sup::ActiveModel = m.clone().into();
        fill(&mut am, now);
        am.status = Set(next.code().into());
        am.bump(m.version, now)?;
        let out = self.s.supervision_of(am.update(&self.txn).await?, p.name);
        let action = if close { AuditAction::SupervisionClose } else { AuditAction::SupervisionReply };
        self.audited(Event::ok(action, "supervision", id).before(&before), out).await
    }
}
