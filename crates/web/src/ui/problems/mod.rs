//! 困难和问题 pages: the list (`/problems`, with the overdue filter the supervisor reads),
//! the raise form of the project page, the assignee's update form, and the 工作台's 待办.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use domain::Permission;
use domain::fields::PROBLEM;
use domain::tasks::{ProblemStatus, WorkStatus};
use store::problems::{NewProblem, Problem, ProblemEdit, ProblemFilter};

use super::tasks::{invalid, next_opts, overdue_text, status_class};
use super::widgets::{DataTable, Opt};
use super::{Chrome, Page, PageForm, UiError, UiResult, fmt, render, see_other};
use crate::AppState;
use crate::auth::perm;
use crate::input::{Id, QueryMap};

/// The label of the update form's text.
pub const RESOLUTION: &str = "解决情况";

/// A problem as the pages show it.
#[derive(Debug, Clone)]
pub struct ProblemRow {
    pub id: i64,
    pub title: String,
    pub detail: String,
    pub assignee: String,
    pub due: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub overdue: String,
    pub resolution: String,
    pub resolved_on: String,
    pub from_ledger: bool,
    pub project_id: i64,
    pub project: String,
    pub project_unit: String,
    pub version: i32,
    pub closed: bool,
    pub next: Vec<Opt>,
    /// The status select's first choice: leave it as it is.
    pub keep: String,
}

impl ProblemRow {
    /// The statuses it may move to (for the template).
    pub fn next(&self) -> &[Opt] {
        &self.next
    }
}

impl From<Problem> for ProblemRow {
    fn from(p: Problem) -> Self {
        ProblemRow {
            id: p.id,
            title: p.title,
            detail: p.detail.unwrap_or_default(),
            assignee: p.assignee_name,
            due: fmt::date_opt(p.due_on),
            status: p.status.label(),
            status_class: status_class(p.status, p.days_overdue.is_some()),
            overdue: overdue_text(p.days_overdue),
            resolution: p.resolution.unwrap_or_default(),
            resolved_on: fmt::date_opt(p.resolved_on),
            from_ledger: p.source == "ledger",
            project_id: p.project.id,
            project: p.project.name,
            project_unit: p.project.unit_name,
            version: p.version,
            closed: p.status.is_closed(),
            next: next_opts(ProblemStatus::ALL, p.status, ProblemStatus::code),
            keep: format!("不变（{}）", p.status.label()),
        }
    }
}

#[derive(Template)]
#[template(path = "problems/list.html")]
struct ProblemsPage {
    chrome: Chrome,
    rows: Vec<ProblemRow>,
    statuses: Vec<Opt>,
    overdue: Vec<Opt>,
    can_update: bool,
    notice: &'static str,
    /// Where an update form returns: this list with its filter.
    back: String,
}

fn choice(items: &[(&str, &str)], current: &str) -> Vec<Opt> {
    items.iter().map(|(v, l)| Opt { value: (*v).into(), label: (*l).into(), selected: *v == current }).collect()
}

/// 困难和问题: the problems in scope, filtered by status and overdue.
pub async fn list(page: Page<perm::ProblemRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let filter = crate::api::problems::filter_from_query(&q).map_err(invalid_query)?;
    let rows = page.store().list_problems(&filter, domain::today_shanghai()).await?;
    let get = |k: &str| q.get(k).map_or("", |v| v.trim());
    let statuses: Vec<(&str, &str)> = ProblemStatus::ALL.iter().map(|s| (s.code(), s.label())).collect();
    let query: Vec<String> =
        ["status", "overdue"].iter().filter(|k| !get(k).is_empty()).map(|k| format!("{k}={}", get(k))).collect();
    let p = ProblemsPage {
        chrome: page.chrome("/problems"),
        rows: rows.into_iter().map(ProblemRow::from).collect(),
        statuses: choice(&statuses, get("status")),
        overdue: choice(&[("true", "已逾期"), ("false", "未逾期")], get("overdue")),
        can_update: page.can(Permission::ProblemUpdate),
        notice: if q.contains_key("done") { "已保存解决情况。" } else { "" },
        back: if query.is_empty() { "/problems".into() } else { format!("/problems?{}", query.join("&")) },
    };
    render(&p)
}

/// A refused filter, named as the page's filter labels name it.
fn invalid_query(e: crate::error::ApiError) -> UiError {
    match e {
        crate::error::ApiError::Validation(f) => {
            let label =
                |k: &str| if k == "overdue" { "是否逾期".to_string() } else { PROBLEM.label(k).to_string() };
            let parts: Vec<String> = f.iter().map(|(k, v)| format!("{}：{v}", label(k))).collect();
            UiError::Message(StatusCode::UNPROCESSABLE_ENTITY, parts.join("；"))
        }
        other => other.into(),
    }
}

/// The project page's 提出问题 form.
pub async fn raise(Id(id): Id, f: PageForm<perm::ProblemRaise>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let text = |k: &str| Some(form.get(k).trim().to_string()).filter(|v| !v.is_empty());
    let due_on = match text("due_on") {
        None => None,
        Some(d) => Some(crate::input::parse_date(&d).ok_or_else(|| {
            UiError::invalid(&PROBLEM, &BTreeMap::from([("due_on".to_string(), "日期格式应为 YYYY-MM-DD".to_string())]))
        })?),
    };
    let new =
        NewProblem { title: form.get("title").to_string(), detail: text("detail"), assignee: text("assignee"), due_on };
    match page.store().add_problem(id, new, domain::today_shanghai()).await {
        Ok(_) => Ok(see_other(&format!("/projects/{id}?done=problem#work"))),
        Err(e) => Err(invalid(&PROBLEM, e)),
    }
}

/// Where an update goes back to: the problem list (with its filter) or a project page.
fn back_to(v: &str) -> String {
    let project =
        v.strip_prefix("/projects/").is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()));
    let list = v == "/problems"
        || v.strip_prefix("/problems?")
            .is_some_and(|q| q.bytes().all(|b| b.is_ascii_alphanumeric() || b"=&_".contains(&b)));
    if project || list { v.to_string() } else { "/problems".into() }
}

/// The assignee's update: status and resolution.
pub async fn update(Id(id): Id, f: PageForm<perm::ProblemUpdate>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let status = match form.get("status").trim() {
        "" => None,
        code => Some(
            ProblemStatus::parse(code)
                .ok_or(UiError::Message(StatusCode::UNPROCESSABLE_ENTITY, "解决状态无效".into()))?,
        ),
    };
    let edit = ProblemEdit {
        status,
        resolution: Some(form.get("resolution").to_string()),
        version: form.get("version").trim().parse().unwrap_or_default(),
    };
    page.state
        .store
        .scoped(&page.actor)
        .edit_problem(id, edit, domain::today_shanghai())
        .await
        .map_err(|e| invalid(&PROBLEM, e))?;
    let back = back_to(form.get("back"));
    let sep = if back.contains('?') { '&' } else { '?' };
    Ok(see_other(&format!("{back}{sep}done=problem")))
}

/// The 工作台's 待办: overdue problems city-wide (the supervisor, the city); a unit's open
/// tasks and problems with a due date, the soonest first. A department has its own inbox.
pub async fn todo(s: &AppState, actor: &store::Actor, today: chrono::NaiveDate) -> UiResult<Vec<DataTable>> {
    let scoped = s.store.scoped(actor);
    let mut tables = vec![];
    match &actor.scope {
        store::Scope::All if scoped.may(Permission::ProblemRead) => {
            let overdue = ProblemFilter { overdue: Some(true), ..Default::default() };
            let mut t = DataTable::new(
                &[("问题", false), ("项目", false), ("责任单位", false), ("解决时限", false), ("逾期", false)],
                "暂无逾期未解决的问题。",
            );
            t.caption = "待办：逾期未解决的困难和问题".into();
            for p in scoped.list_problems(&overdue, today).await?.into_iter().take(20) {
                let row = ProblemRow::from(p);
                t.row("/problems?overdue=true", vec![row.title, row.project, row.assignee, row.due, row.overdue]);
            }
            tables.push(t);
        }
        store::Scope::Units(_) if scoped.may(Permission::ProblemRead) && scoped.may(Permission::TaskRead) => {
            let mut t = DataTable::new(
                &[("待办事项", false), ("类别", false), ("项目", false), ("期限", false), ("状态", false)],
                "暂无到期的部门任务或问题。",
            );
            t.caption = "待办：部门任务与困难和问题".into();
            let mut due: Vec<(chrono::NaiveDate, String, Vec<String>)> = vec![];
            for task in scoped.list_tasks(true, today).await? {
                let Some(d) = task.due_on else { continue };
                let c = super::tasks::TaskCard::from(task);
                let state = if c.overdue.is_empty() { c.status.to_string() } else { c.overdue };
                due.push((
                    d,
                    format!("/projects/{}#work", c.project_id),
                    vec![c.title, "部门任务".into(), c.project, c.due, state],
                ));
            }
            for p in scoped.list_problems(&ProblemFilter::default(), today).await? {
                let (Some(d), false) = (p.due_on, p.status.is_closed()) else { continue };
                let r = ProblemRow::from(p);
                let state = if r.overdue.is_empty() { r.status.to_string() } else { r.overdue };
                due.push((
                    d,
                    format!("/projects/{}#work", r.project_id),
                    vec![r.title, "困难和问题".into(), r.project, r.due, state],
                ));
            }
            due.sort_by_key(|a| a.0);
            for (_, href, cells) in due.into_iter().take(20) {
                t.row(href, cells);
            }
            tables.push(t);
        }
        _ => {}
    }
    Ok(tables)
}
