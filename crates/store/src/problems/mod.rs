//! 困难和问题 (domain.md §4, seed 三(二)二): problems raised on a project by its unit or
//! city_admin, assigned to a unit or a department, resolved with a written resolution.
//! Overdue ones are the supervisor's list. The ledger's 存在问题 column opens them too
//! (`ledger.rs`).

mod ledger;

use chrono::{DateTime, NaiveDate, Utc};
use domain::fields::PROBLEM;
use domain::tasks::{ProblemStatus, days_overdue};
use domain::{FieldError, Permission};
pub use ledger::{LEDGER_SEPARATOR, ledger_text};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Set};
use serde::Serialize;

use crate::audit::Event;
use crate::entity::{problem, project};
use crate::handle::one_shot;
use crate::tasks::ProjectFacts;
use crate::tasks::work::{WorkEdit, work_item};
use crate::{Result, Scope, Scoped, StoreError, Tx};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    pub id: i64,
    pub project: ProjectFacts,
    pub title: String,
    pub detail: Option<String>,
    /// The assigned unit's (or department's) code.
    pub assignee: String,
    pub assignee_name: String,
    pub due_on: Option<NaiveDate>,
    /// `open`, `in_progress` or `resolved`.
    #[schema(value_type = String)]
    pub status: ProblemStatus,
    pub resolution: Option<String>,
    pub resolved_on: Option<NaiveDate>,
    /// `ledger` (opened by the 存在问题 column) or `manual`.
    pub source: String,
    /// Days past the due date while not resolved (as of today, Asia/Shanghai).
    pub days_overdue: Option<i64>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A problem to raise.
#[derive(Debug, Clone, Default)]
pub struct NewProblem {
    pub title: String,
    pub detail: Option<String>,
    /// A unit code or name; `None`: the project's own unit.
    pub assignee: Option<String>,
    pub due_on: Option<NaiveDate>,
}

/// The assignee's edit: a new status, a resolution, or both.
#[derive(Debug, Clone, Default)]
pub struct ProblemEdit {
    pub status: Option<ProblemStatus>,
    /// `Some` replaces the resolution.
    pub resolution: Option<String>,
    pub version: i32,
}

/// `GET /problems`: every filter optional.
#[derive(Debug, Clone, Default)]
pub struct ProblemFilter {
    pub status: Option<ProblemStatus>,
    /// A unit code or name.
    pub assignee: Option<String>,
    /// `Some(true)`: only overdue ones; `Some(false)`: only the others.
    pub overdue: Option<bool>,
}

/// What is wrong with a new problem's texts, field by field.
pub fn validate(new: &NewProblem) -> Vec<FieldError> {
    let mut errors = vec![];
    PROBLEM.check_required("title", &new.title, &mut errors);
    PROBLEM.check_opt("detail", new.detail.as_deref(), &mut errors);
    errors
}

impl Problem {
    fn of(s: &crate::Store, m: problem::Model, project: ProjectFacts, today: NaiveDate) -> Problem {
        let status = ProblemStatus::parse(&m.status).unwrap_or(ProblemStatus::Open);
        let (assignee, assignee_name) = s.unit_tree().code_name(m.assignee_unit_id);
        Problem {
            id: m.id,
            project,
            title: m.title,
            detail: m.detail,
            assignee,
            assignee_name,
            due_on: m.due_on,
            days_overdue: days_overdue(m.due_on, status == ProblemStatus::Resolved, today),
            status,
            resolution: m.resolution,
            resolved_on: m.resolved_on,
            source: m.source,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

work_item! {
    Problem: problem, ProblemStatus, "problem", PROBLEM, only_assignee: false,
    assignee: AssigneeUnitId assignee_unit_id, text: Resolution resolution, closed_on: ResolvedOn
}

impl Scoped<'_> {
    /// A project's problems; a department user sees only those assigned to it.
    pub async fn list_project_problems(&self, project_id: i64, today: NaiveDate) -> Result<Vec<Problem>> {
        self.project_work(project_id, Permission::ProblemRead, today).await
    }

    /// The problems in scope: those of the projects the caller sees; a department's only
    /// those assigned to it (its projects are those carrying its tasks).
    pub async fn list_problems(&self, f: &ProblemFilter, today: NaiveDate) -> Result<Vec<Problem>> {
        self.require(Permission::ProblemRead)?;
        let mut q = problem::Entity::find();
        match &self.actor.scope {
            Scope::All => {}
            Scope::Nothing => return Err(StoreError::Forbidden),
            scope => {
                if let Scope::Department(d) = scope {
                    q = q.filter(problem::Column::AssigneeUnitId.eq(*d));
                }
                q = q.filter(problem::Column::ProjectId.in_subquery(self.project_ids_in_scope().await?));
            }
        }
        if let Some(s) = f.status {
            q = q.filter(problem::Column::Status.eq(s.code()));
        }
        if let Some(a) = f.assignee.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            let u = self.store.unit_tree().find(a).map(|u| u.id);
            let u = u.ok_or_else(|| StoreError::field("assignee", format!("单位「{a}」不存在")))?;
            q = q.filter(problem::Column::AssigneeUnitId.eq(u));
        }
        // domain::is_overdue in SQL: a due date before today and not resolved
        let overdue = Condition::all()
            .add(problem::Column::DueOn.lt(today))
            .add(problem::Column::Status.ne(ProblemStatus::Resolved.code()));
        match f.overdue {
            Some(true) => q = q.filter(overdue),
            Some(false) => q = q.filter(overdue.not()),
            None => {}
        }
        self.work_list(q, today).await
    }
}

/// Whether `assignee` can see the project `p` and so work on its problem: a unit over the
/// project's unit, or a department with a task on it (domain.md §1, 数据权限).
async fn check_assignee<C: sea_orm::ConnectionTrait>(
    db: &C,
    tree: &crate::UnitTree,
    assignee: &crate::units::Unit,
    p: &project::Model,
) -> Result<()> {
    let sees = if assignee.kind == "department" {
        crate::handle::dept_has_task(db, assignee.id, p.id).await?
    } else {
        tree.subtree(assignee.id).contains(&p.unit_id)
    };
    if sees {
        Ok(())
    } else {
        Err(StoreError::field(
            "assignee",
            format!("「{}」看不到该项目：应为项目所属单位或其上级单位，或在本项目上有部门任务的部门", assignee.name),
        ))
    }
}

one_shot! {
    write fn add_problem(project_id: i64, new: NewProblem, today: NaiveDate) -> Problem;
    write fn edit_problem(id: i64, edit: ProblemEdit, today: NaiveDate) -> Problem;
}

impl Tx<'_> {
    /// Raise a problem on a live project in scope.
    pub async fn add_problem(&self, project_id: i64, new: NewProblem, today: NaiveDate) -> Result<Problem> {
        let mut errors = validate(&new);
        if let Some(due) = new.due_on
            && due < today
        {
            errors.push(FieldError::new("due_on", "解决时限不能早于今天"));
        }
        let tree = self.store().unit_tree();
        let named = new.assignee.as_deref().map(str::trim).filter(|a| !a.is_empty());
        let assignee = named.and_then(|a| tree.find(a));
        if let (Some(a), None) = (named, assignee) {
            errors.push(FieldError::new("assignee", format!("单位「{a}」不存在")));
        }
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let p = self.live_project_row(project_id, Permission::ProblemRaise, "项目已删除").await?;
        let assignee = match assignee {
            Some(u) => {
                check_assignee(&self.txn, &tree, u, &p).await?;
                u.id
            }
            None => p.unit_id,
        };
        self.insert_problem(&p, new, assignee, "manual", today).await
    }

    /// Insert and audit a problem on a project already checked.
    pub(crate) async fn insert_problem(
        &self,
        p: &project::Model,
        new: NewProblem,
        assignee: i64,
        source: &str,
        today: NaiveDate,
    ) -> Result<Problem> {
        let am = problem::ActiveModel {
            project_id: Set(p.id),
            title: Set(new.title.trim().to_string()),
            detail: Set(new.detail.map(|d| d.trim().to_string()).filter(|d| !d.is_empty())),
            assignee_unit_id: Set(assignee),
            due_on: Set(new.due_on),
            status: Set(ProblemStatus::Open.code().into()),
            resolution: Set(None),
            resolved_on: Set(None),
            source: Set(source.into()),
            ..Default::default()
        };
        let out = Problem::of(self.store(), self.insert_new(am).await?, ProjectFacts::of(self.store(), p), today);
        self.audited(Event::ok(domain::AuditAction::ProblemCreate, "problem", out.id), out).await
    }

    /// The assignee's (or the project unit's, or the city's) status change and resolution:
    /// forward only, resolving needs a resolution, resolved is final; stale `version` → 409.
    pub async fn edit_problem(&self, id: i64, edit: ProblemEdit, today: NaiveDate) -> Result<Problem> {
        self.s.require(Permission::ProblemUpdate)?;
        let edit = WorkEdit { status: edit.status, text: edit.resolution.as_deref(), version: edit.version };
        self.edit_work(id, Permission::ProblemUpdate, edit, today, domain::AuditAction::ProblemUpdate).await
    }
}
