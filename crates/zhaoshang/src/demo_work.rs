//! Loads the demo's 部门任务 and 困难和问题 through the store's own writes, each on the day
//! the demo says it happened (assigned, answered, raised, resolved), in one transaction.

use domain::tasks::{ProblemStatus, TaskStatus};
use store::problems::{NewProblem, ProblemEdit};
use store::tasks::{NewTask, TaskEdit};
use store::{Actor, Store};

/// `project_ids[i]` is the id of the dataset's `projects[i]`.
pub async fn load(
    store: &Store,
    tasks: &[demo::DeptTask],
    problems: &[demo::Problem],
    project_ids: &[i64],
) -> Result<(), String> {
    let system = Actor::system("demo");
    let tx = store.scoped(&system).begin().await.map_err(|e| e.to_string())?;
    let id_of = |i: usize| project_ids.get(i).copied().ok_or_else(|| format!("演示任务指向不存在的项目 {i}"));
    for t in tasks {
        let new = NewTask { department: t.department.clone(), title: t.title.clone(), due_on: Some(t.due_on) };
        let task = tx.add_task(id_of(t.project)?, new, t.assigned_on).await.map_err(|e| format!("{}: {e}", t.title))?;
        let status = TaskStatus::parse(&t.status).ok_or_else(|| format!("未知任务状态 {}", t.status))?;
        if status != TaskStatus::Open {
            let edit = TaskEdit { status: Some(status), reply: t.reply.clone(), version: task.version };
            tx.edit_task(task.id, edit, t.changed_on).await.map_err(|e| format!("{}: {e}", t.title))?;
        }
    }
    for p in problems {
        let new = NewProblem {
            title: p.title.clone(),
            detail: Some(p.detail.clone()),
            assignee: p.assignee.clone(),
            due_on: Some(p.due_on),
        };
        let raised =
            tx.add_problem(id_of(p.project)?, new, p.raised_on).await.map_err(|e| format!("{}: {e}", p.title))?;
        let status = ProblemStatus::parse(&p.status).ok_or_else(|| format!("未知问题状态 {}", p.status))?;
        if status != ProblemStatus::Open {
            let edit = ProblemEdit { status: Some(status), resolution: p.resolution.clone(), version: raised.version };
            tx.edit_problem(raised.id, edit, p.changed_on).await.map_err(|e| format!("{}: {e}", p.title))?;
        }
    }
    tx.commit().await.map_err(|e| e.to_string())
}
