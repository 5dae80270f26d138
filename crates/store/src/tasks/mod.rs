//! 部门任务 (domain.md §4, seed 三(一)三): tasks a project's unit or city_admin assigns to a
//! department (用地预审 → 自然资源和规划局 …), which the department answers and closes. A
//! department user reaches only its own department's tasks, each with the few project facts
//! it needs ([`ProjectFacts`]).

mod facts;
pub(crate) mod work;

use chrono::{DateTime, NaiveDate, Utc};
use domain::fields::TASK;
use domain::tasks::{TaskStatus, days_overdue};
use domain::{FieldError, Permission};
pub use facts::ProjectFacts;
pub(crate) use facts::{check_edit, work_order};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Serialize;

use self::work::{WorkEdit, work_item};
use crate::audit::Event;
use crate::entity::dept_task;
use crate::handle::one_shot;
use crate::{Result, Scope, Scoped, StoreError, Tx};

/// At most this many tasks in one list (a department's inbox, a city-wide list).
pub const LIST_MAX: u64 = 500;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Task {
    pub id: i64,
    pub project: ProjectFacts,
    /// The department's unit code.
    pub department: String,
    pub department_name: String,
    pub title: String,
    pub due_on: Option<NaiveDate>,
    /// `open`, `in_progress` or `done`.
    #[schema(value_type = String)]
    pub status: TaskStatus,
    pub reply: Option<String>,
    pub replied_at: Option<DateTime<Utc>>,
    pub done_on: Option<NaiveDate>,
    /// Days past the due date while not done (as of today, Asia/Shanghai).
    pub days_overdue: Option<i64>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A task to assign.
#[derive(Debug, Clone, Default)]
pub struct NewTask {
    /// The department: a unit code (or name) of kind `department`.
    pub department: String,
    pub title: String,
    pub due_on: Option<NaiveDate>,
}

/// A department's edit of its task: a new status, a reply, or both.
#[derive(Debug, Clone, Default)]
pub struct TaskEdit {
    pub status: Option<TaskStatus>,
    /// `Some` replaces the reply.
    pub reply: Option<String>,
    pub version: i32,
}

/// What is wrong with a new task, field by field (the department is checked on the tree).
pub fn validate(new: &NewTask) -> Vec<FieldError> {
    let mut errors = vec![];
    TASK.check_required("title", &new.title, &mut errors);
    TASK.check_required("department", &new.department, &mut errors);
    errors
}

impl Task {
    fn of(s: &crate::Store, m: dept_task::Model, project: ProjectFacts, today: NaiveDate) -> Task {
        let status = TaskStatus::parse(&m.status).unwrap_or(TaskStatus::Open);
        let (department, department_name) = s.unit_tree().code_name(m.dept_unit_id);
        Task {
            id: m.id,
            project,
            department,
            department_name,
            title: m.title,
            due_on: m.due_on,
            days_overdue: days_overdue(m.due_on, status == TaskStatus::Done, today),
            status,
            reply: m.reply,
            replied_at: m.replied_at,
            done_on: m.done_on,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

work_item! {
    Task: dept_task, TaskStatus, "dept_task", TASK, only_assignee: true,
    assignee: DeptUnitId dept_unit_id, text: Reply reply at RepliedAt, closed_on: DoneOn
}

impl Scoped<'_> {
    /// A project's tasks; a department user sees only its own department's.
    pub async fn list_project_tasks(&self, project_id: i64, today: NaiveDate) -> Result<Vec<Task>> {
        self.project_work(project_id, Permission::TaskRead, today).await
    }

    /// Every task in scope (a department: its own; a unit: its projects'), open ones first;
    /// `open_only` leaves the done ones out.
    pub async fn list_tasks(&self, open_only: bool, today: NaiveDate) -> Result<Vec<Task>> {
        self.require(Permission::TaskRead)?;
        let mut q = dept_task::Entity::find();
        match &self.actor.scope {
            Scope::Department(d) => q = q.filter(dept_task::Column::DeptUnitId.eq(*d)),
            Scope::All => {}
            Scope::Units(_) => {
                let in_scope = self.project_ids_in_scope().await?;
                q = q.filter(dept_task::Column::ProjectId.in_subquery(in_scope));
            }
            Scope::Nothing => return Err(StoreError::Forbidden),
        }
        if open_only {
            q = q.filter(dept_task::Column::Status.ne(TaskStatus::Done.code()));
        }
        self.work_list(q, today).await
    }

    /// One task in scope: 404 unknown, 403 another department's or out of the unit's scope.
    pub async fn get_task(&self, id: i64, today: NaiveDate) -> Result<Task> {
        self.require(Permission::TaskRead)?;
        let row = self.work_row_on::<Task, _>(self.store.db(), id).await?;
        let p = self.project_row(row.project_id, Permission::TaskRead).await?;
        Ok(Task::of(self.store, row, ProjectFacts::of(self.store, &p), today))
    }
}

one_shot! {
    write fn add_task(project_id: i64, new: NewTask, today: NaiveDate) -> Task;
    write fn edit_task(id: i64, edit: TaskEdit, today: NaiveDate) -> Task;
}

impl Tx<'_> {
    /// Assign a task on a live project in scope to a department.
    pub async fn add_task(&self, project_id: i64, new: NewTask, today: NaiveDate) -> Result<Task> {
        let mut errors = validate(&new);
        let tree = self.store().unit_tree();
        let dept = tree.find(new.department.trim()).filter(|u| u.kind == "department").map(|u| u.id);
        if dept.is_none() && !new.department.trim().is_empty() {
            errors.push(FieldError::new(
                "department",
                format!("部门「{}」不存在（应为部门单位）", new.department.trim()),
            ));
        }
        if let Some(due) = new.due_on
            && due < today
        {
            errors.push(FieldError::new("due_on", "办理时限不能早于今天"));
        }
        let (Some(dept), true) = (dept, errors.is_empty()) else {
            return Err(StoreError::Validation(errors));
        };
        let p = self.live_project_row(project_id, Permission::TaskAssign, "项目已删除").await?;
        let am = dept_task::ActiveModel {
            project_id: Set(project_id),
            dept_unit_id: Set(dept),
            title: Set(new.title.trim().to_string()),
            due_on: Set(new.due_on),
            status: Set(TaskStatus::Open.code().into()),
            reply: Set(None),
            replied_at: Set(None),
            done_on: Set(None),
            ..Default::default()
        };
        let t = Task::of(self.store(), self.insert_new(am).await?, ProjectFacts::of(self.store(), &p), today);
        self.audited(Event::ok(domain::AuditAction::TaskCreate, "dept_task", t.id), t).await
    }

    /// A department's reply and status change on its own task (`work_transition`: forward
    /// only, closing needs a reply, done is final); stale `version` → 409.
    pub async fn edit_task(&self, id: i64, edit: TaskEdit, today: NaiveDate) -> Result<Task> {
        self.s.require(Permission::TaskReply)?;
        let edit = WorkEdit { status: edit.status, text: edit.reply.as_deref(), version: edit.version };
        self.edit_work(id, Permission::TaskRead, edit, today, domain::AuditAction::TaskUpdate).await
    }
}
