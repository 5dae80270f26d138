//! 部门任务 pages: a department's inbox (`/tasks`, where a department user lands) with the
//! reply and close forms, the assign form of the project page's 部门任务 section, and what
//! the section and the 工作台's 待办 show of a task.

mod section;

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use domain::fields::TASK;
use domain::tasks::{TaskStatus, WorkStatus};
pub use section::ProjectWork;
use store::tasks::{NewTask, Task, TaskEdit};

use super::widgets::{self, Opt};
use super::{Chrome, Page, PageForm, UiError, UiResult, fmt, render_status, see_other};
use crate::AppState;
use crate::auth::perm;
use crate::error::ApiError;
use crate::input::{Id, QueryMap};

/// A task as the pages show it.
#[derive(Debug, Clone)]
pub struct TaskCard {
    pub id: i64,
    pub title: String,
    pub department: String,
    pub due: String,
    pub status: &'static str,
    pub status_class: &'static str,
    /// `逾期 N 天`, or empty.
    pub overdue: String,
    pub reply: String,
    pub replied: String,
    pub project_id: i64,
    pub project: String,
    pub project_code: String,
    pub project_unit: String,
    pub project_stage: &'static str,
    pub version: i32,
    pub closed: bool,
    /// The statuses it may move to.
    pub next: Vec<Opt>,
    /// The status select's first choice: leave it as it is.
    pub keep: String,
}

impl TaskCard {
    /// The statuses it may move to (for the template).
    pub fn next(&self) -> &[Opt] {
        &self.next
    }
}

/// The badge of a work status.
pub(crate) fn status_class<S: WorkStatus>(s: S, overdue: bool) -> &'static str {
    if s.is_closed() {
        "st-done"
    } else if overdue {
        "st-stop"
    } else {
        "st-signed"
    }
}

/// `逾期 N 天`, or empty.
pub(crate) fn overdue_text(days: Option<i64>) -> String {
    days.map(|d| format!("逾期 {d} 天")).unwrap_or_default()
}

/// The statuses after `from` (`work_transition` decides in the end).
pub(crate) fn next_opts<S: WorkStatus + 'static>(all: &[S], from: S, code: fn(S) -> &'static str) -> Vec<Opt> {
    all.iter()
        .filter(|s| **s > from && !from.is_closed())
        .map(|s| Opt { value: code(*s).into(), label: s.label().into(), selected: false })
        .collect()
}

impl From<Task> for TaskCard {
    fn from(t: Task) -> Self {
        TaskCard {
            id: t.id,
            title: t.title,
            department: t.department_name,
            due: fmt::date_opt(t.due_on),
            status: t.status.label(),
            status_class: status_class(t.status, t.days_overdue.is_some()),
            overdue: overdue_text(t.days_overdue),
            reply: t.reply.unwrap_or_default(),
            replied: t.replied_at.map(fmt::at).unwrap_or_default(),
            project_id: t.project.id,
            project: t.project.name,
            project_code: t.project.code,
            project_unit: t.project.unit_name,
            project_stage: t.project.stage.label(),
            version: t.version,
            closed: t.status.is_closed(),
            next: next_opts(TaskStatus::ALL, t.status, TaskStatus::code),
            keep: format!("不变（{}）", t.status.label()),
        }
    }
}

#[derive(Template)]
#[template(path = "tasks/inbox.html")]
struct Inbox {
    chrome: Chrome,
    open: Vec<TaskCard>,
    done: Vec<TaskCard>,
    notice: &'static str,
    /// A refused reply: the task and why.
    error_task: i64,
    error: String,
    form: BTreeMap<String, String>,
    /// The open tasks, 50 a page by due date; the latest closed ones are on the first page.
    pager: widgets::Pager,
}

/// Open tasks on one page of the inbox.
pub const INBOX_PER_PAGE: u64 = 50;

/// The closed tasks the inbox's first page lists (已办结), the latest first.
pub const DONE_SHOWN: usize = 20;

widgets::form_helpers!(Inbox { f: TASK });

impl Inbox {
    /// The reply typed into a refused form, else the task's own.
    fn reply_of<'a>(&'a self, t: &'a TaskCard) -> &'a str {
        if t.id == self.error_task { self.form.get("reply").map_or(t.reply.as_str(), String::as_str) } else { &t.reply }
    }
}

async fn inbox_page(
    page: &Page<perm::TaskReply>,
    notice: &'static str,
    error: Option<(i64, String, BTreeMap<String, String>)>,
    page_no: u64,
) -> UiResult<Inbox> {
    let tasks = page.store().list_tasks(false, domain::today_shanghai()).await?;
    let (mut done, mut open): (Vec<_>, Vec<_>) = tasks.into_iter().partition(|t| t.status.is_closed());
    // open ones paged: the earliest due first (those without a due date last), the oldest first
    open.sort_by_key(|t| (t.due_on.is_none(), t.due_on, t.id));
    // closed ones: the latest first, on the first page, where a task just closed is looked for
    done.sort_by_key(|t| std::cmp::Reverse((t.replied_at, t.updated_at, t.id)));
    let total = open.len() as u64;
    let last_page = total.div_ceil(INBOX_PER_PAGE).max(1);
    // a refused reply shows on the page of its task
    let of_error = error.as_ref().and_then(|(id, _, _)| open.iter().position(|t| t.id == *id));
    let n = of_error.map_or(page_no, |i| i as u64 / INBOX_PER_PAGE + 1).clamp(1, last_page);
    let open: Vec<TaskCard> = crate::input::page_of(open, n, INBOX_PER_PAGE).map(TaskCard::from).collect();
    let pager = widgets::pager("/tasks", "", n, INBOX_PER_PAGE, total, open.len());
    let done: Vec<TaskCard> =
        if n == 1 { done.into_iter().take(DONE_SHOWN).map(TaskCard::from).collect() } else { vec![] };
    let (error_task, error, form) = error.unwrap_or_default();
    Ok(Inbox { chrome: page.chrome("/tasks"), open, done, notice, error_task, error, form, pager })
}

/// 任务待办: the department's tasks, open ones first with their forms.
pub async fn inbox(page: Page<perm::TaskReply>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let notice = if q.contains_key("done") { "已保存办理情况。" } else { "" };
    let n = q.get("page").and_then(|p| p.trim().parse::<u64>().ok()).filter(|p| (1..=1_000_000).contains(p));
    render_status(StatusCode::OK, &inbox_page(&page, notice, None, n.unwrap_or(1)).await?)
}

/// A department's reply (and status change) on its task.
pub async fn reply(Id(id): Id, f: PageForm<perm::TaskReply>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let status = match form.get("status").trim() {
        "" => None,
        code => Some(
            TaskStatus::parse(code).ok_or(UiError::Message(StatusCode::UNPROCESSABLE_ENTITY, "办理状态无效".into()))?,
        ),
    };
    let edit = TaskEdit {
        status,
        reply: Some(form.get("reply").to_string()),
        version: form.get("version").trim().parse().unwrap_or_default(),
    };
    match page.store().edit_task(id, edit, domain::today_shanghai()).await {
        Ok(_) => Ok(see_other("/tasks?done=1")),
        Err(e) => {
            let (status, message) = match ApiError::from(e) {
                ApiError::Validation(f) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    f.iter().map(|(k, v)| format!("{}：{v}", TASK.label(k))).collect::<Vec<_>>().join("；"),
                ),
                ApiError::Conflict(m) => (StatusCode::CONFLICT, m),
                other => return Err(other.into()),
            };
            let values = form.0.iter().filter_map(|(k, v)| Some((k.clone(), v.first()?.clone()))).collect();
            render_status(status, &inbox_page(&page, "", Some((id, message, values)), 1).await?)
        }
    }
}

/// The project page's 交办部门任务 form.
pub async fn assign(Id(id): Id, f: PageForm<perm::TaskAssign>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let due_on = match form.get("due_on").trim() {
        "" => None,
        d => Some(crate::input::parse_date(d).ok_or_else(|| {
            UiError::invalid(&TASK, &BTreeMap::from([("due_on".to_string(), "日期格式应为 YYYY-MM-DD".to_string())]))
        })?),
    };
    let new = NewTask { department: form.get("department").to_string(), title: form.get("title").to_string(), due_on };
    match page.store().add_task(id, new, domain::today_shanghai()).await {
        Ok(_) => Ok(see_other(&format!("/projects/{id}?done=task#work"))),
        Err(e) => Err(invalid(&TASK, e)),
    }
}

/// A refused write of a project-page form: its fields named by `entity`'s table.
pub(crate) fn invalid(entity: &domain::fields::Entity, e: store::StoreError) -> UiError {
    match ApiError::from(e) {
        ApiError::Validation(f) => UiError::invalid(entity, &f),
        other => other.into(),
    }
}

/// The departments a task may be assigned to.
pub(crate) fn department_opts(s: &AppState) -> Vec<Opt> {
    let tree = s.store.unit_tree();
    tree.all()
        .iter()
        .filter(|u| u.kind == "department")
        .map(|u| Opt { value: u.code.clone(), label: u.name.clone(), selected: false })
        .collect()
}
