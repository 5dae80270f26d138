//! The project page's 部门任务 and 困难和问题 sections (templates/project/_tasks.html and
//! _problems.html): the lists in the caller's scope and the forms they may use.

use std::collections::BTreeMap;

use domain::Permission;
use domain::fields::{Field, PROBLEM, TASK};

use super::{TaskCard, department_opts};
use crate::AppState;
use crate::ui::problems::ProblemRow;
use crate::ui::widgets::{self, Opt};
use crate::ui::{UiResult, project::unit_opts};

/// What the two sections show.
#[derive(Debug, Clone, Default)]
pub struct ProjectWork {
    pub tasks: Vec<TaskCard>,
    pub problems: Vec<ProblemRow>,
    pub can_assign: bool,
    pub can_raise: bool,
    pub can_update: bool,
    pub departments: Vec<Opt>,
    pub assignees: Vec<Opt>,
    /// The forms' (empty) error map.
    pub errors: BTreeMap<String, String>,
    /// `min="<today>"`: no due date before today.
    pub date_min: String,
    pub back: String,
}

impl ProjectWork {
    /// The sections of project `id` for `actor` (`live`: the project is not deleted).
    pub async fn load(s: &AppState, actor: &store::Actor, id: i64, live: bool) -> UiResult<ProjectWork> {
        let scoped = s.store.scoped(actor);
        let today = domain::today_shanghai();
        let mut w = ProjectWork {
            date_min: format!(" min=\"{today}\""),
            back: format!("/projects/{id}"),
            ..Default::default()
        };
        if scoped.may(Permission::TaskRead) {
            w.tasks = scoped.list_project_tasks(id, today).await?.into_iter().map(TaskCard::from).collect();
        }
        if scoped.may(Permission::ProblemRead) {
            w.problems = scoped.list_project_problems(id, today).await?.into_iter().map(ProblemRow::from).collect();
        }
        w.can_assign = live && scoped.may(Permission::TaskAssign);
        w.can_raise = live && scoped.may(Permission::ProblemRaise);
        w.can_update = live && scoped.may(Permission::ProblemUpdate);
        if w.can_assign {
            w.departments = department_opts(s);
        }
        if w.can_raise {
            // any unit or department; the store refuses one that cannot see the project
            w.assignees = unit_opts(s, actor, "");
            w.assignees.extend(department_opts(s));
        }
        Ok(w)
    }

    pub fn tf(&self, code: &str) -> &'static Field {
        widgets::field(&TASK, code)
    }

    pub fn pf(&self, code: &str) -> &'static Field {
        widgets::field(&PROBLEM, code)
    }
}
