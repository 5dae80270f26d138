//! 项目详情: the tabs (信息, 进展时间线, 到位资金, 投资方, 变更记录, 协议与条款, 四个一, 运行监测), 推进阶段
//! and 到位资金 entry.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use domain::fields::{FUNDS, Field, PROJECT, TRANSITION};
use domain::{Permission, Stage};
use store::projects::{Project, TransitionInput};

use super::{Fact, Opt, industry_name, marks, opts, region_name, stage_class};
use crate::auth::perm;
use crate::error::ApiError;
use crate::input::Id;
use crate::ui::{Chrome, FormData, Page, PageForm, UiError, UiResult, fmt, render, render_status, see_other, widgets};

#[derive(Debug, Clone)]
pub struct Event {
    pub date: String,
    pub at: String,
    pub title: String,
    pub detail: String,
    pub by: String,
    pub tag: String,
}

#[derive(Debug, Clone)]
pub struct FundsRow {
    pub date: String,
    pub kind: String,
    pub amount: String,
    pub note: String,
    pub review: String,
}

#[derive(Debug, Clone)]
pub struct InvestorRow {
    pub id: i64,
    pub name: String,
    pub country: String,
    pub marks: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ChangeRow {
    pub at: String,
    pub who: String,
    pub action: String,
    pub fields: String,
}

#[derive(Debug, Clone)]
pub struct Tab {
    pub label: &'static str,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "project/detail.html")]
struct ProjectPage {
    chrome: Chrome,
    id: i64,
    code: String,
    name: String,
    stage: String,
    stage_class: &'static str,
    review_pending: bool,
    /// The unit's claimed stage beside the accepted one, where they differ (审核).
    claimed: crate::ui::reviews::ClaimNote,
    city_reportable: bool,
    key_project: bool,
    deleted: bool,
    facts: Vec<Fact>,
    tabs: Vec<Tab>,
    tab: &'static str,
    events: Vec<Event>,
    funds: Vec<FundsRow>,
    funds_total: String,
    investors: Vec<InvestorRow>,
    changes: Vec<ChangeRow>,
    notes: String,
    progress: String,
    can_edit: bool,
    can_transition: bool,
    can_funds: bool,
    /// May record a 跟进记录 (the timeline tab's form).
    can_progress: bool,
    targets: Vec<Opt>,
    skippable: Vec<Opt>,
    can_pause: bool,
    resume_to: Option<Opt>,
    can_terminate: bool,
    version: i32,
    today: String,
    /// ` max="<today>"`: no date input takes a day after today.
    date_max: String,
    funds_kinds: Vec<Opt>,
    errors: BTreeMap<String, String>,
    form: BTreeMap<String, String>,
    notice: String,
    /// 协议与条款 and 四个一 (ui::agreements), on their tabs.
    l3: crate::ui::agreements::Sections,
    /// 招商专案 (templates/project/_attachments.html).
    case_file: crate::ui::attachments::CaseFile,
    /// 部门任务 and 困难和问题 (ui::tasks::section).
    work: crate::ui::tasks::ProjectWork,
    /// 运行监测 (ui::outcomes), on its tab.
    outcomes: Option<crate::ui::outcomes::OutcomeSection>,
}

impl ProjectPage {
    /// A submitted form value, shown again with the form's errors.
    fn fv(&self, k: &str) -> &str {
        self.fv_or(k, "")
    }

    fn fv_or<'a>(&'a self, k: &str, default: &'a str) -> &'a str {
        self.form.get(k).map_or(default, String::as_str)
    }

    /// A field of the transition forms' table.
    fn tf(&self, code: &str) -> &'static Field {
        widgets::field(&TRANSITION, code)
    }

    /// A field of the funds form's table.
    fn ff(&self, code: &str) -> &'static Field {
        widgets::field(&FUNDS, code)
    }

    /// A field of the 跟进记录 form's table.
    fn pf(&self, code: &str) -> &'static Field {
        widgets::field(&domain::fields::PROGRESS, code)
    }
}

const TABS: &[(&str, &str)] = &[
    ("info", "基本信息"),
    ("timeline", "进展时间线"),
    ("funds", "到位资金"),
    ("investors", "投资方"),
    ("changes", "变更记录"),
    ("agreements", "协议与条款"),
    ("four_ones", "四个一"),
    ("outcomes", "运行监测"),
];

fn action_label(a: &str) -> &str {
    domain::AuditAction::label_of(a)
}

/// The fields an update changed, by their Chinese labels.
fn changed_fields(before: Option<&str>, after: Option<&str>) -> String {
    let parse = |s: Option<&str>| s.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok());
    match (parse(before), parse(after)) {
        (Some(serde_json::Value::Object(b)), Some(serde_json::Value::Object(a))) => {
            let skip = ["updated_at", "version", "created_at"];
            let changed: Vec<String> = a
                .iter()
                .filter(|(k, v)| !skip.contains(&k.as_str()) && b.get(*k) != Some(*v))
                .map(|(k, v)| {
                    let show = |v: Option<&serde_json::Value>| match v {
                        Some(serde_json::Value::String(s)) => s.clone(),
                        Some(serde_json::Value::Null) | None => "（空）".into(),
                        Some(other) => other.to_string(),
                    };
                    format!("{}：{} → {}", PROJECT.label(k), show(b.get(k)), show(Some(v)))
                })
                .collect();
            changed.join("；")
        }
        (None, Some(serde_json::Value::Object(a))) => {
            let to = a.get("to").and_then(|v| v.as_str());
            to.map(|t| format!("{}：{}", TRANSITION.label("to"), stage_label(t))).unwrap_or_default()
        }
        _ => String::new(),
    }
}

fn stage_label(code: &str) -> &'static str {
    Stage::parse(code).map(|s| s.label()).unwrap_or("")
}

/// Stages this user may move the project to from where it is (`domain::stage::targets`;
/// the rules decide in the end).
fn targets(p: &Project, may_correct: bool) -> (Vec<Opt>, Option<Opt>) {
    let opt = |s: Stage| Opt { value: s.code().into(), label: s.label().into(), selected: false };
    let t = domain::stage::targets(p.stage, p.paused_from, may_correct);
    let moves = t
        .moves
        .iter()
        .map(|m| {
            let mut o = opt(m.stage);
            if m.correction {
                o.label = format!("{}（更正回退）", m.stage.label());
            }
            o
        })
        .collect();
    (moves, t.resume_to.map(opt))
}

async fn project_page(
    page: &Page<perm::ProjectRead>,
    id: i64,
    tab: &str,
    errors: BTreeMap<String, String>,
    form: BTreeMap<String, String>,
    notice: String,
) -> UiResult<ProjectPage> {
    let s = &page.state;
    let p = page.store().get_project(id).await?;
    let tab = TABS.iter().map(|(c, _)| *c).find(|c| *c == tab).unwrap_or("info");
    let mut events = vec![];
    let mut funds = vec![];
    let mut funds_total = String::new();
    let mut investors = vec![];
    let mut changes = vec![];
    match tab {
        "timeline" => events = super::timeline::events(page.store().timeline(id).await?),
        "funds" if page.can(Permission::FundsRead) => {
            let items = page.store().list_funds(id).await?;
            let mut dom = domain::Money::ZERO;
            let mut fx = domain::Money::ZERO;
            for f in &items {
                if f.review_state == "accepted" {
                    if f.kind == "foreign" {
                        fx = fx.checked_add(f.amount).unwrap_or(fx);
                    } else {
                        dom = dom.checked_add(f.amount).unwrap_or(dom);
                    }
                }
                funds.push(FundsRow {
                    date: f.date.to_string(),
                    kind: domain::labels::lookup(&domain::labels::FUNDS_KINDS, &f.kind).unwrap_or("").to_string(),
                    amount: format!("{} {}", fmt::money(f.amount), if f.kind == "foreign" { "万美元" } else { "万元" }),
                    note: f.note.clone().unwrap_or_default(),
                    review: domain::labels::lookup(&domain::labels::REVIEW_STATES, &f.review_state)
                        .unwrap_or("")
                        .to_string(),
                });
            }
            funds_total = format!("已审核：省外资金 {} 万元；外资 {} 万美元", fmt::money(dom), fmt::money(fx));
        }
        "investors" => {
            let ids: Vec<i64> = p.investors.iter().map(|i| i.id).collect();
            for c in page.store().companies_by_ids(&ids).await? {
                investors.push(InvestorRow {
                    id: c.id,
                    name: c.name.clone(),
                    country: c.country.clone(),
                    marks: marks(&c),
                });
            }
        }
        "changes" => {
            let tree = s.store.unit_tree();
            for r in page.store().project_changes(id, 100).await? {
                let mut fields = changed_fields(r.before.as_deref(), r.after.as_deref());
                if r.action == "project.update" {
                    // unit ids in the audit record are shown by name
                    fields = fields.replace("unit_id", "责任单位");
                }
                let _ = &tree;
                changes.push(ChangeRow {
                    at: fmt::at(r.at),
                    who: r.username.unwrap_or_default(),
                    action: action_label(&r.action).to_string(),
                    fields,
                });
            }
        }
        _ => {}
    }
    let (mut targets, resume_to) = targets(&p, page.actor.has_role(domain::Role::CityAdmin));
    for o in &mut targets {
        o.selected = form.get("to") == Some(&o.value);
    }
    let skippable = domain::stage::ACTIVE
        .iter()
        .filter(|st| st.is_dated() && st.order() > p.stage.order() && p.stage.is_active())
        .map(|st| Opt { value: st.code().into(), label: st.label().into(), selected: false })
        .collect();
    let with_unit =
        |m: Option<domain::Money>, unit: &str| m.map_or_else(|| "—".into(), |m| format!("{} {unit}", fmt::money(m)));
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    let mut facts: Vec<Fact> = [
        ("unit", p.unit_name.clone()),
        ("industry", industry_name(&p.industry)),
        ("region", region_name(&p.region)),
        ("channel", or_dash(p.channel.as_deref().and_then(domain::reference::channel).map(|c| c.name.clone()))),
        (
            "categories",
            or_dash(
                Some(p.categories.iter().map(|c| c.label()).collect::<Vec<_>>().join("、")).filter(|c| !c.is_empty()),
            ),
        ),
        ("total_investment", with_unit(Some(p.total_investment), "万元")),
        ("foreign_investment", with_unit(p.foreign_investment, "万美元")),
        ("land_mu", with_unit(p.land_mu, "亩")),
        ("expected_output", with_unit(p.expected_output, "万元")),
        ("expected_tax", with_unit(p.expected_tax, "万元")),
        ("expected_jobs", or_dash(p.expected_jobs.map(|j| format!("{j} 人")))),
        ("signed_on", fmt::date_opt(p.signed_on)),
        ("approved_on", fmt::date_opt(p.approved_on)),
        ("started_on", fmt::date_opt(p.started_on)),
        ("producing_on", fmt::date_opt(p.producing_on)),
        ("at_capacity_on", fmt::date_opt(p.at_capacity_on)),
        ("expected_producing_on", fmt::date_opt(p.expected_producing_on)),
        (
            "lead_leader",
            or_dash(p.lead_leader.clone().map(|t| match p.lead_leader_id {
                Some(_) => t,
                None => format!("{t}（未关联领导名录）"),
            })),
        ),
        ("investors", p.investors.iter().map(|i| i.name.as_str()).collect::<Vec<_>>().join("、")),
    ]
    .into_iter()
    .map(|(code, value)| Fact { label: widgets::short(widgets::field(&PROJECT, code)), value })
    .collect();
    facts.push(Fact { label: "最后更新", value: fmt::at(p.updated_at) });
    let live = p.deleted_at.is_none();
    let l3 = crate::ui::agreements::sections(s, &page.actor, id, tab, live).await?;
    let outcomes = if tab == "outcomes" {
        let o = page.store().outcomes(id).await?;
        Some(crate::ui::outcomes::section(o, live && page.can(Permission::ProjectWrite), &form))
    } else {
        None
    };
    // 运行监测 is a tab of projects the city accepted as 投产 or 达产 (and of one asked for)
    let shows = |c: &str| match c {
        "funds" => page.can(Permission::FundsRead),
        "outcomes" => tab == "outcomes" || domain::outcome::records_outcomes(p.accepted_stage),
        _ => true,
    };
    let case_file = crate::ui::attachments::case_file(page, id, live).await?;
    let work = crate::ui::tasks::ProjectWork::load(s, &page.actor, id, live).await?;
    Ok(ProjectPage {
        chrome: page.chrome("/projects"),
        id: p.id,
        code: p.code.clone(),
        name: p.name.clone(),
        stage: p.accepted_stage.label().to_string(),
        stage_class: stage_class(p.accepted_stage),
        review_pending: p.review_state == "submitted",
        claimed: crate::ui::reviews::claimed_beside(&p, page.can(Permission::ReviewRead)),
        city_reportable: p.city_reportable,
        key_project: p.key_project,
        deleted: !live,
        facts,
        tabs: TABS
            .iter()
            .filter(|(c, _)| shows(c))
            .map(|(c, l)| Tab { label: l, href: format!("/projects/{id}?tab={c}"), current: *c == tab })
            .collect(),
        tab,
        events,
        funds,
        funds_total,
        investors,
        changes,
        notes: p.notes.clone().unwrap_or_default(),
        progress: p.progress.clone().unwrap_or_default(),
        can_edit: live && page.can(Permission::ProjectWrite),
        can_transition: live && page.can(Permission::ProjectTransition) && p.stage != Stage::Terminated,
        can_funds: live && page.can(Permission::FundsWrite),
        can_progress: live && page.can(Permission::ProjectWrite),
        targets,
        skippable,
        can_pause: p.stage.is_active(),
        resume_to,
        can_terminate: p.stage != Stage::Terminated,
        version: p.version,
        today: domain::today_shanghai().to_string(),
        date_max: format!(" max=\"{}\"", domain::today_shanghai()),
        funds_kinds: opts(
            domain::FundsKind::ALL.iter().map(|k| (k.code().to_string(), k.label().to_string())),
            form.get("kind").map_or("domestic_out_of_province", String::as_str),
        ),
        errors,
        form,
        notice,
        l3,
        case_file,
        work,
        outcomes,
    })
}

pub async fn detail(
    page: Page<perm::ProjectRead>,
    Id(id): Id,
    crate::input::QueryMap(q): crate::input::QueryMap,
) -> UiResult<Response> {
    let tab = q.get("tab").map(String::as_str).unwrap_or("info");
    let notice = match q.get("done").map(String::as_str) {
        Some("transition") => "阶段已变更。".to_string(),
        Some("funds") => "到位资金已登记。".to_string(),
        Some("progress") => "进展已记录。".to_string(),
        Some("saved") => "已保存。".to_string(),
        Some("created") => "项目已创建。".to_string(),
        Some("task") => "部门任务已交办。".to_string(),
        Some("problem") => "困难和问题已保存。".to_string(),
        Some("outcome") => "运行监测已保存。".to_string(),
        _ => String::new(),
    };
    // 运行监测's 修改 link names the year to correct
    let form: BTreeMap<String, String> =
        q.get("year").map(|y| ("oc_year".to_string(), y.clone())).into_iter().collect();
    let p = project_page(&page, id, tab, BTreeMap::new(), form, notice).await?;
    render(&p)
}

/// Show the project page again with a form's errors next to its fields.
pub(crate) async fn again(
    page: Page<impl crate::auth::Perm>,
    id: i64,
    tab: &str,
    errors: BTreeMap<String, String>,
    form: &FormData,
    status: StatusCode,
) -> UiResult<Response> {
    let read = page.reading::<perm::ProjectRead>()?;
    let p = project_page(&read, id, tab, errors, form.values(), String::new()).await?;
    render_status(status, &p)
}

fn store_errors(e: store::StoreError) -> Result<(StatusCode, BTreeMap<String, String>), UiError> {
    match ApiError::from(e) {
        ApiError::Validation(f) => Ok((StatusCode::UNPROCESSABLE_ENTITY, f)),
        ApiError::Conflict(m) => Ok((StatusCode::CONFLICT, BTreeMap::from([("to".to_string(), m)]))),
        other => Err(other.into()),
    }
}

pub async fn transition(Id(id): Id, f: PageForm<perm::ProjectTransition>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let mut errors = BTreeMap::new();
    let to = Stage::parse(form.get("to"));
    if to.is_none() {
        errors.insert("to".to_string(), "请选择目标阶段".to_string());
    }
    // 暂缓 and 终止 stop the project's progress: the form asks for an explicit 确认
    if let Some(st @ (Stage::OnHold | Stage::Terminated)) = to
        && form.get("confirm") != "yes"
    {
        errors.insert("to".to_string(), format!("{}项目须勾选「确认{}」后提交", st.label(), st.label()));
    }
    let date = crate::input::parse_date(form.get("date").trim());
    if date.is_none() {
        errors.insert("date".to_string(), "请填写日期，格式 YYYY-MM-DD".to_string());
    }
    let mut skipped_dates = BTreeMap::new();
    for st in domain::stage::ACTIVE {
        let v = form.get(&format!("skip_{}", st.code())).trim().to_string();
        if v.is_empty() {
            continue;
        }
        match crate::input::parse_date(&v) {
            Some(d) => {
                skipped_dates.insert(st, d);
            }
            None => {
                errors.insert(format!("skip_{}", st.code()), "日期格式应为 YYYY-MM-DD".into());
            }
        }
    }
    let text = |k: &str| Some(form.get(k).trim().to_string()).filter(|s| !s.is_empty());
    let note = match (text("note"), text("evidence")) {
        (Some(n), Some(e)) => Some(format!("{n}（证明材料：{e}）")),
        (None, Some(e)) => Some(format!("证明材料：{e}")),
        (n, None) => n,
    };
    let tab = "timeline";
    if !errors.is_empty() {
        return again(page, id, tab, errors, &form, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let (Some(to), Some(date)) = (to, date) else { return Err(UiError::NotFound) };
    // Only the dates of stages actually skipped between here and the target are sent.
    let current = page.store().get_project(id).await?;
    let skipped_dates = skipped_dates
        .into_iter()
        .filter(|(st, _)| st.order() > current.stage.order() && st.order() < to.order())
        .collect();
    let input = TransitionInput {
        to,
        date,
        skipped_dates,
        note,
        reason: text("reason"),
        version: form.get("version").trim().parse().ok(),
    };
    match page.store().transition_project(id, input).await {
        Ok(_) => Ok(see_other(&format!("/projects/{id}?tab=timeline&done=transition"))),
        Err(e) => {
            let (status, errors) = store_errors(e)?;
            again(page, id, tab, errors, &form, status).await
        }
    }
}

pub async fn add_funds(Id(id): Id, f: PageForm<perm::FundsWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let mut errors = BTreeMap::new();
    let date = crate::input::parse_date(form.get("date").trim());
    match date {
        None => {
            errors.insert("date".to_string(), "请填写到位日期，格式 YYYY-MM-DD".to_string());
        }
        Some(d) if d > domain::today_shanghai() => {
            errors.insert("date".to_string(), "到位日期不能晚于今天".to_string());
        }
        _ => {}
    }
    let kind = form.get("kind").to_string();
    if !store::funds::KINDS.contains(&kind.as_str()) {
        errors.insert("kind".to_string(), "请选择资金类型".to_string());
    }
    let amount = match domain::Money::parse(form.get("amount")) {
        Ok(m) if m > domain::Money::ZERO => Some(m),
        Ok(_) => {
            errors.insert("amount".to_string(), "金额应大于0".to_string());
            None
        }
        Err(e) => {
            errors.insert("amount".to_string(), format!("{e}，应为金额如 12345.67"));
            None
        }
    };
    if !errors.is_empty() {
        return again(page, id, "funds", errors, &form, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let new = store::funds::NewFunds {
        date: date.unwrap_or_default(),
        kind,
        amount: amount.unwrap_or_default(),
        note: Some(form.get("note").trim().to_string()).filter(|s| !s.is_empty()),
    };
    match page.store().add_funds(id, new).await {
        Ok(_) => Ok(see_other(&format!("/projects/{id}?tab=funds&done=funds"))),
        Err(e) => {
            let (status, errors) = store_errors(e)?;
            again(page, id, "funds", errors, &form, status).await
        }
    }
}

/// The timeline tab's 记录进展 form: a dated 跟进记录 (domain.md §7: it resets 长期无进展).
pub async fn add_progress(Id(id): Id, f: PageForm<perm::ProjectWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let date = match form.get("date").trim() {
        "" => None,
        d => match crate::input::parse_date(d) {
            Some(d) => Some(d),
            None => {
                let errors = BTreeMap::from([("date".to_string(), "日期格式应为 YYYY-MM-DD".to_string())]);
                return again(page, id, "timeline", errors, &form, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        },
    };
    let text = form.get("progress").to_string();
    match page.store().add_progress_note(id, date, text, domain::today_shanghai()).await {
        Ok(_) => Ok(see_other(&format!("/projects/{id}?tab=timeline&done=progress"))),
        Err(e) => {
            let (status, errors) = store_errors(e)?;
            again(page, id, "timeline", errors, &form, status).await
        }
    }
}
