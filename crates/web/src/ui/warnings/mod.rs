//! 预警督办 (`/warnings`): the warnings of the caller's scope grouped by unit and level, the
//! supervisor's 督办 form on each, and the 督办 items with the unit's reply and the
//! supervisor's close forms. Also what the 工作台 shows of them (`summary`).

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use domain::Permission;
use domain::warnings::{SupervisionStatus, WarningLevel, WarningRule};
use store::supervisions::{NewSupervision, Supervision};
use store::warnings::{WarningFilter, WarningItem};

use super::widgets::{Opt, Pager, pager, query_of};
use super::{Chrome, Page, PageForm, UiError, UiResult, render_status, see_other};
use crate::AppState;
use crate::auth::perm;
use crate::input::{Id, QueryMap};

/// Warnings on one page of the list (the tallies above it count them all).
const PER_PAGE: u64 = 50;

/// One row of a tally: a unit's (or a rule's) red and yellow warnings, and the list's link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub label: String,
    pub href: String,
    pub red: usize,
    pub yellow: usize,
}

impl Tally {
    pub fn total(&self) -> usize {
        self.red + self.yellow
    }
}

#[derive(Template)]
#[template(path = "warnings/page.html")]
struct WarningsPage {
    chrome: Chrome,
    by_unit: Vec<Tally>,
    by_kind: Vec<Tally>,
    items: Vec<WarningItem>,
    pager: Pager,
    total: usize,
    red: usize,
    levels: Vec<Opt>,
    kinds: Vec<Opt>,
    unit: String,
    supervise: bool,
    reply: bool,
    supervisions: Vec<Supervision>,
    message: String,
    done: String,
    today: String,
    instruction_max: usize,
    reply_max: usize,
}

fn opts(all: impl IntoIterator<Item = (&'static str, &'static str)>, current: &str) -> Vec<Opt> {
    all.into_iter().map(|(v, l)| Opt { value: v.to_string(), label: l.to_string(), selected: v == current }).collect()
}

/// The warnings counted by `key` (a label and a code, borrowed: nothing is copied per
/// warning), most red first, then most in all, then by label; `href` makes each row's link
/// from its code once. The rows of the 按单位 and 按类型 tables.
pub fn tally<'a>(
    items: &'a [WarningItem],
    key: impl Fn(&'a WarningItem) -> (&'a str, &'a str),
    href: impl Fn(&str) -> String,
) -> Vec<Tally> {
    let mut by: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    for w in items {
        let n = by.entry(key(w)).or_default();
        if w.level == WarningLevel::Red.code() { n.0 += 1 } else { n.1 += 1 }
    }
    let mut out: Vec<Tally> = by
        .into_iter()
        .map(|((label, code), (red, yellow))| Tally { label: label.to_string(), href: href(code), red, yellow })
        .collect();
    out.sort_by(|a, b| b.red.cmp(&a.red).then(b.total().cmp(&a.total())).then(a.label.cmp(&b.label)));
    out
}

/// `/warnings?…` with `q`'s filters and `key=value` set.
fn link(q: &BTreeMap<String, String>, key: &str, value: &str) -> String {
    let mut q = q.clone();
    q.insert(key.to_string(), value.to_string());
    format!("/warnings?{}", query_of(&q, &["level", "kind", "unit"]))
}

fn max_of(code: &str) -> usize {
    domain::fields::SUPERVISION.field(code).map(|f| f.max).unwrap_or(0)
}

async fn show<P: crate::auth::Perm>(
    page: &Page<P>,
    q: &BTreeMap<String, String>,
    message: String,
    status: StatusCode,
) -> UiResult<Response> {
    let filter = crate::api::warnings::filter_from_query(q)?;
    let mut items = page.store().warnings(&filter, domain::today_shanghai()).await?;
    // red first, the oldest condition first within a level (a stable sort keeps the rest)
    items.sort_by_key(|w| (w.level != WarningLevel::Red.code(), w.since.is_none(), w.since));
    let red = items.iter().filter(|w| w.level == WarningLevel::Red.code()).count();
    let by_unit = tally(&items, |w| (&w.unit_name, &w.unit), |code| link(q, "unit", code));
    let by_kind = tally(&items, |w| (&w.kind_label, &w.kind), |code| link(q, "kind", code));
    let total = items.len() as u64;
    let last_page = total.div_ceil(PER_PAGE).max(1);
    let number = q.get("page").and_then(|p| p.trim().parse::<u64>().ok()).unwrap_or(1).clamp(1, last_page);
    let shown: Vec<WarningItem> = crate::input::page_of(&items, number, PER_PAGE).cloned().collect();
    let pager = pager("/warnings", &query_of(q, &["level", "kind", "unit"]), number, PER_PAGE, total, shown.len());
    let p = WarningsPage {
        chrome: page.chrome("/warnings"),
        by_unit,
        by_kind,
        items: shown,
        pager,
        total: items.len(),
        red,
        levels: opts(WarningLevel::ALL.iter().map(|l| (l.code(), l.label())), q.get("level").map_or("", |s| s)),
        kinds: opts(WarningRule::ALL.iter().map(|r| (r.code(), r.label())), q.get("kind").map_or("", |s| s)),
        unit: q.get("unit").cloned().unwrap_or_default(),
        supervise: page.can(Permission::SupervisionWrite),
        reply: page.can(Permission::SupervisionReply),
        supervisions: page.store().list_supervisions(None).await?,
        message,
        done: q.get("done").cloned().unwrap_or_default(),
        today: domain::today_shanghai().to_string(),
        instruction_max: max_of("instruction"),
        reply_max: max_of("reply"),
    };
    render_status(status, &p)
}

pub async fn page(page: Page<perm::WarningRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    show(&page, &q, String::new(), StatusCode::OK).await
}

/// A refused form: the page again with the reason (422 / 409), or the error page.
async fn again<P: crate::auth::Perm>(page: &Page<P>, e: store::StoreError) -> UiResult<Response> {
    let (status, message) = match e {
        store::StoreError::Validation(f) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            f.iter()
                .map(|f| format!("{}：{}", domain::fields::SUPERVISION.label(&f.field), f.message))
                .collect::<Vec<_>>()
                .join("；"),
        ),
        store::StoreError::Conflict(m) => (StatusCode::CONFLICT, m),
        other => return Err(UiError::from(other)),
    };
    show(page, &BTreeMap::new(), message, status).await
}

pub async fn supervise(f: PageForm<perm::SupervisionWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let Some(deadline) = crate::input::parse_date(form.get("deadline").trim()) else {
        let e = store::StoreError::field("deadline", "请填写办理期限，格式 YYYY-MM-DD");
        return again(&page, e).await;
    };
    let new = NewSupervision {
        warning_key: Some(form.get("warning_key").trim().to_string()).filter(|k| !k.is_empty()),
        project_id: form.get("project_id").trim().parse().ok(),
        deadline,
        instruction: form.get("instruction").to_string(),
    };
    match page.store().create_supervision(new, domain::today_shanghai()).await {
        Ok(_) => Ok(see_other("/warnings?done=supervise")),
        Err(e) => again(&page, e).await,
    }
}

fn version(form: &super::FormData) -> Option<i32> {
    form.get("version").trim().parse().ok()
}

pub async fn reply(Id(id): Id, f: PageForm<perm::SupervisionReply>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let text = form.get("reply").to_string();
    match page.store().reply_supervision(id, text, version(&form)).await {
        Ok(_) => Ok(see_other("/warnings?done=reply")),
        Err(e) => again(&page, e).await,
    }
}

pub async fn close(Id(id): Id, f: PageForm<perm::SupervisionWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    match page.store().close_supervision(id, version(&form)).await {
        Ok(_) => Ok(see_other("/warnings?done=close")),
        Err(e) => again(&page, e).await,
    }
}

/// What the 工作台 shows: the counts, and the caller's 待办 — a leader's warnings on the
/// projects they lead, a unit's open 督办 items.
pub struct Summary {
    pub red: usize,
    pub yellow: usize,
    pub led: Vec<WarningItem>,
    pub to_answer: Vec<Supervision>,
    /// The supervisor's 督办 items not yet closed: answered ones to close first, then those
    /// the units still owe (by deadline).
    pub supervising: Vec<Supervision>,
    /// A unit's last month not yet confirmed, with its deadline.
    pub month_to_confirm: Option<(domain::Month, chrono::NaiveDate)>,
}

/// `None` without the right to see warnings. `leader_name`: the display name a project's
/// 牵头领导 must match.
pub async fn summary(s: &AppState, actor: &store::Actor, leader_name: Option<&str>) -> UiResult<Option<Summary>> {
    let scoped = s.store.scoped(actor);
    if !scoped.may(Permission::WarningRead) || matches!(actor.scope, store::Scope::Department(_)) {
        return Ok(None);
    }
    let items = scoped.warnings(&WarningFilter::default(), domain::today_shanghai()).await?;
    let red = items.iter().filter(|w| w.level == "red").count();
    let led = match leader_name {
        Some(n) => items.iter().filter(|w| w.lead_leader.as_deref().map(str::trim) == Some(n)).cloned().collect(),
        None => vec![],
    };
    let to_answer = if scoped.may(Permission::SupervisionReply) {
        scoped.list_supervisions(Some(SupervisionStatus::Open)).await?
    } else {
        vec![]
    };
    let supervising = if scoped.may(Permission::SupervisionWrite) {
        let mut open: Vec<Supervision> = scoped.list_supervisions(None).await?;
        open.retain(|x| x.status != SupervisionStatus::Closed.code());
        open.sort_by_key(|x| (x.status != SupervisionStatus::Replied.code(), x.deadline));
        open
    } else {
        vec![]
    };
    let mut month_to_confirm = None;
    if scoped.may(Permission::MonthlyConfirm) {
        let month = domain::Month::of(domain::today_shanghai()).prev();
        let rows = scoped.monthly_reports(month, domain::today_shanghai()).await?;
        let own = rows.into_iter().find(|r| Some(r.unit_id) == actor.unit_id && r.confirmed_at.is_none());
        month_to_confirm = own.map(|r| (month, r.deadline));
    }
    Ok(Some(Summary { red, yellow: items.len() - red, led, to_answer, supervising, month_to_confirm }))
}

/// The 待办 tables of the 工作台 from a summary (none when there is nothing to do).
pub fn todo_tables(sum: &Summary) -> Vec<super::widgets::DataTable> {
    use super::widgets::DataTable;
    let mut out = vec![];
    if !sum.led.is_empty() {
        let mut t = DataTable::new(&[("项目", false), ("预警", false), ("等级", false), ("原因", false)], "");
        t.caption = "待办：我牵头项目的预警".into();
        for w in &sum.led {
            let href = match (w.project_id, w.entity.as_str()) {
                (Some(p), _) => format!("/projects/{p}"),
                (None, "target") => format!("/targets/{}", w.entity_id),
                (None, "inquiry") => format!("/inquiries/{}", w.entity_id),
                _ => "/warnings".into(),
            };
            let level = if w.level == "red" { "红" } else { "黄" };
            let name = w.project_name.clone().unwrap_or_default();
            t.row(href, vec![name, w.kind_label.clone(), level.into(), w.reason.clone()]);
        }
        out.push(t);
    }
    if !sum.supervising.is_empty() {
        let mut t = DataTable::new(&[("待办事项", false), ("项目", false), ("单位", false), ("期限", false)], "");
        t.caption = "待办：督办事项".into();
        for x in sum.supervising.iter().take(20) {
            let what = if x.status == SupervisionStatus::Replied.code() { "待办结" } else { "待单位答复" };
            t.row(
                "/warnings",
                vec![
                    format!("{what}：{}", x.instruction),
                    x.project_name.clone(),
                    x.unit_name.clone(),
                    x.deadline.to_string(),
                ],
            );
        }
        out.push(t);
    }
    if !sum.to_answer.is_empty() || sum.month_to_confirm.is_some() {
        let mut t = DataTable::new(&[("待办事项", false), ("项目", false), ("期限", false)], "");
        t.caption = "待办：督办答复与月报确认".into();
        if let Some((month, deadline)) = &sum.month_to_confirm {
            t.row("/monthly", vec![format!("确认{month}月报"), String::new(), deadline.to_string()]);
        }
        for x in &sum.to_answer {
            t.row(
                "/warnings",
                vec![format!("答复督办：{}", x.instruction), x.project_name.clone(), x.deadline.to_string()],
            );
        }
        out.push(t);
    }
    out
}
