//! 四个一 on the project page (行动计划 milestones, 工作团队 members, the completeness, and
//! their forms) and the 重点项目四个一 page (key projects in scope and what each lacks).

use askama::Template;
use axum::response::Response;
use chrono::NaiveDate;
use serde_json::{Value, json};
use store::Actor;
use store::four_ones::TeamMember;

use crate::AppState;
use crate::api::four_ones::{MilestoneBody, MilestonePatchBody, TeamBody};
use crate::auth::perm;
use crate::error::ApiError;
use crate::input::Id;
use crate::ui::agreements::forms_support::{form_errors, submit, text};
use crate::ui::project::detail::again;
use crate::ui::{Chrome, FormData, Page, PageForm, UiError, UiResult, fmt, render, see_other};

/// Empty rows the team form offers after the members.
const BLANK_MEMBERS: usize = 2;

pub struct MilestoneView {
    pub id: i64,
    pub title: String,
    pub owner: String,
    pub due_on: String,
    pub done_on: String,
    pub overdue: String,
    pub version: i32,
}

pub struct FourOnesSection {
    pub can_write: bool,
    pub action_plan: bool,
    pub work_team: bool,
    pub case_file: bool,
    pub complete: bool,
    pub missing: String,
    pub key_project: bool,
    pub milestones: Vec<MilestoneView>,
    pub members: Vec<TeamMember>,
    /// The team form: the members, then blank rows.
    pub rows: Vec<TeamMember>,
}

pub async fn section(
    s: &AppState,
    actor: &Actor,
    id: i64,
    can_write: bool,
    today: NaiveDate,
) -> UiResult<FourOnesSection> {
    let scoped = s.store.scoped(actor);
    let p = scoped.get_project(id).await?;
    let status = scoped.four_ones(id).await?;
    let milestones = scoped
        .list_milestones(id)
        .await?
        .into_iter()
        .map(|m| MilestoneView {
            overdue: m.days_overdue(today).map(|n| format!("逾期 {n} 天")).unwrap_or_default(),
            id: m.id,
            title: m.title,
            owner: m.owner.unwrap_or_default(),
            due_on: fmt::date_opt(m.due_on),
            done_on: m.done_on.map(|d| d.to_string()).unwrap_or_default(),
            version: m.version,
        })
        .collect();
    let members = scoped.team(id).await?;
    let blank = TeamMember { name: String::new(), position: None, role: None, is_leader: false };
    let rows = members.iter().cloned().chain(std::iter::repeat_n(blank, BLANK_MEMBERS)).collect();
    let parts =
        domain::FourOnes { action_plan: status.action_plan, work_team: status.work_team, case_file: status.case_file };
    let missing =
        domain::FourOnesPart::ALL.iter().filter(|part| !parts.has(**part)).map(|part| part.label()).collect::<Vec<_>>();
    Ok(FourOnesSection {
        can_write,
        action_plan: status.action_plan,
        work_team: status.work_team,
        case_file: status.case_file,
        complete: status.complete,
        missing: missing.join("、"),
        key_project: p.key_project,
        milestones,
        members,
        rows,
    })
}

async fn done(
    page: Page<perm::ProjectWrite>,
    project: i64,
    form: &FormData,
    prefix: &str,
    r: Result<(), ApiError>,
) -> UiResult<Response> {
    match r {
        Ok(()) => Ok(see_other(&format!("/projects/{project}?tab=four_ones&done=saved"))),
        Err(e) => {
            let (status, errors) = form_errors(prefix, e)?;
            again(page, project, "four_ones", errors, form, status).await
        }
    }
}

pub async fn add_milestone(Id(id): Id, f: PageForm<perm::ProjectWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let today = domain::today_shanghai();
    let body =
        json!({"title": text(&form, "ms_title"), "owner": text(&form, "ms_owner"), "due_on": text(&form, "ms_due_on")});
    let r = submit(
        body,
        |b: MilestoneBody| b.input(today),
        async |input| page.store().create_milestone(id, input, today).await,
    )
    .await
    .map(|_| ());
    done(page, id, &form, "ms_", r).await
}

/// 标记完成: the milestone done today.
pub async fn milestone_done(Id(id): Id, f: PageForm<perm::ProjectWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let project: i64 = form.get("project_id").trim().parse().map_err(|_| UiError::NotFound)?;
    let today = domain::today_shanghai();
    let body = json!({"done_on": today.to_string(), "version": text(&form, "ms_version")});
    let r = submit(
        body,
        |b: MilestonePatchBody| b.patch(today),
        async |input| page.store().update_milestone(id, input, today).await,
    )
    .await
    .map(|_| ());
    done(page, project, &form, &format!("ms{id}_"), r).await
}

/// The whole team from the form's rows (blank rows skipped; `tm_leader` the 组长's row).
fn team_json(form: &FormData) -> Value {
    let leader = form.get("tm_leader");
    let members: Vec<Value> = (0..64)
        .filter(|i| form.0.contains_key(&format!("t{i}_name")))
        .filter(|i| !text(form, &format!("t{i}_name")).is_null())
        .map(|i| {
            json!({
                "name": text(form, &format!("t{i}_name")), "position": text(form, &format!("t{i}_position")),
                "role": text(form, &format!("t{i}_role")), "is_leader": leader == i.to_string(),
            })
        })
        .collect();
    json!({"members": members})
}

pub async fn set_team(Id(id): Id, f: PageForm<perm::ProjectWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let r = submit(team_json(&form), TeamBody::input, async |members| page.store().set_team(id, members).await)
        .await
        .map(|_| ());
    done(page, id, &form, "tm_", r).await
}

pub struct KeyRow {
    pub project_id: i64,
    pub name: String,
    pub unit_name: String,
    pub action_plan: bool,
    pub work_team: bool,
    pub case_file: bool,
    pub complete: bool,
    pub missing: String,
}

#[derive(Template)]
#[template(path = "four_ones/list.html")]
struct KeyPage {
    chrome: Chrome,
    rows: Vec<KeyRow>,
    complete: usize,
}

/// 重点项目四个一: every key project in scope, incomplete first, with what it lacks.
pub async fn page(page: Page<perm::ProjectRead>) -> UiResult<Response> {
    let rows: Vec<KeyRow> = page
        .store()
        .key_projects_four_ones()
        .await?
        .into_iter()
        .map(|k| KeyRow {
            project_id: k.project_id,
            name: k.name,
            unit_name: k.unit_name,
            action_plan: k.status.action_plan,
            work_team: k.status.work_team,
            case_file: k.status.case_file,
            complete: k.status.complete,
            missing: k.missing.labels(),
        })
        .collect();
    let complete = rows.iter().filter(|r| r.complete).count();
    render(&KeyPage { chrome: page.chrome("/four_ones"), rows, complete })
}
