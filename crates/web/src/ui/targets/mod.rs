//! 靶向库 pages (domain.md §3): the list of the caller's targets with the 新增 form, and
//! for city_admin the companies two or more units court; a target's page with its 研判 notes,
//! follow-up log and the forms to follow up, change status and convert it into a project.
//! Every form posts through the API's own body, so the page refuses what the API refuses.

use std::collections::BTreeMap;

use askama::Template;
use axum::response::Response;
use domain::Permission;
use domain::target::{FollowUpChannel, TargetStatus};
use serde_json::{Value, json};
use store::companies::CompanyFilter;
use store::targets::{FollowUp, SharedCompany, Target, TargetFilter};

use super::agreements::forms_support::{respond, submit, text};
use super::project::{industry_name, industry_opts, opts, region_opts, unit_opts};
use super::widgets::{Opt, form_helpers};
use super::{Chrome, FormData, Page, PageForm, UiResult, fmt, render};
use crate::api::targets::TargetBody;
use crate::auth::perm;
use crate::error::ApiError;
use crate::input::{Id, QueryMap};

/// A target as the pages show it.
pub struct TargetRow {
    pub id: i64,
    pub company_id: i64,
    pub company: String,
    pub unit: String,
    pub industry: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub next: String,
    pub overdue: String,
    pub project_id: Option<i64>,
}

fn status_class(s: Option<TargetStatus>) -> &'static str {
    match s {
        Some(TargetStatus::Converted) => "st-done",
        Some(TargetStatus::Dropped) => "st-stop",
        Some(TargetStatus::Interested) => "st-go",
        _ => "st-pending",
    }
}

impl From<&Target> for TargetRow {
    fn from(t: &Target) -> Self {
        let status = TargetStatus::parse(&t.status);
        TargetRow {
            id: t.id,
            company_id: t.company_id,
            company: t.company_name.clone(),
            unit: t.unit_name.clone(),
            industry: industry_name(&t.industry),
            status: status.map_or("", TargetStatus::label),
            status_class: status_class(status),
            next: fmt::date_opt(t.next_follow_up_on),
            overdue: t.follow_up_overdue_days.map(|d| format!("跟进逾期 {d} 天")).unwrap_or_default(),
            project_id: t.project_id,
        }
    }
}

/// A company courted by several units.
pub struct SharedRow {
    pub company_id: i64,
    pub company: String,
    pub units: Vec<TargetRow>,
}

#[derive(Template)]
#[template(path = "targets/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<TargetRow>,
    total: u64,
    shared: Vec<SharedRow>,
    city_wide: bool,
    statuses: Vec<Opt>,
    can_write: bool,
    companies: Vec<Opt>,
    units: Vec<Opt>,
    industries: Vec<Opt>,
    errors: BTreeMap<String, String>,
    form: BTreeMap<String, String>,
    notice: &'static str,
}

form_helpers!(ListPage { fv: self.form });

async fn list_page(
    page: &Page<perm::TargetRead>,
    q: &BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    form: BTreeMap<String, String>,
) -> UiResult<ListPage> {
    let get = |k: &str| q.get(k).map_or("", |v| v.trim());
    let status = TargetStatus::parse(get("status"));
    let f = TargetFilter { status, per_page: 200, ..Default::default() };
    let list = page.store().list_targets(&f).await?;
    let city_wide = page.actor.scope == store::Scope::All;
    let shared: Vec<SharedCompany> = if city_wide { page.store().shared_targets().await? } else { vec![] };
    let can_write = page.can(Permission::TargetWrite);
    let companies = if can_write {
        let cf = CompanyFilter { per_page: 500, page: 1, ..Default::default() };
        let (cs, _) = page.store().list_companies(&cf).await?;
        let current = form.get("nt_company_id").map_or("", String::as_str);
        opts(cs.into_iter().map(|c| (c.id.to_string(), c.name)), current)
    } else {
        vec![]
    };
    let fv = |k: &str| form.get(k).map_or("", String::as_str);
    Ok(ListPage {
        chrome: page.chrome("/targets"),
        rows: list.items.iter().map(TargetRow::from).collect(),
        total: list.total,
        shared: shared
            .into_iter()
            .map(|s| SharedRow {
                company_id: s.company_id,
                company: s.company_name,
                units: s.targets.iter().map(TargetRow::from).collect(),
            })
            .collect(),
        city_wide,
        statuses: opts(TargetStatus::ALL.iter().map(|s| (s.code().to_string(), s.label().to_string())), get("status")),
        can_write,
        companies,
        units: unit_opts(&page.state, &page.actor, fv("nt_unit")),
        industries: industry_opts(fv("nt_industry")),
        errors,
        form,
        notice: if q.contains_key("done") { "靶向企业已保存。" } else { "" },
    })
}

/// 靶向库: the caller's targets (a unit its own, the city every unit's).
pub async fn list(page: Page<perm::TargetRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let p = list_page(&page, &q, BTreeMap::new(), BTreeMap::new()).await?;
    render(&p)
}

/// `POST /targets`: a new target.
pub async fn create(f: PageForm<perm::TargetWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let company = form.get("nt_company_id").trim().parse::<i64>().map_or(Value::Null, Value::from);
    let body = json!({
        "company_id": company,
        "unit": text(&form, "nt_unit"),
        "industry": text(&form, "nt_industry"),
        "strategy": text(&form, "nt_strategy"),
        "layout": text(&form, "nt_layout"),
        "signals": text(&form, "nt_signals"),
        "next_follow_up_on": text(&form, "nt_next_follow_up_on"),
    });
    let r = submit(body, TargetBody::input, async |input| page.store().create_target(input).await).await;
    respond(
        r,
        "nt_",
        |t| format!("/targets/{}?done=created", t.id),
        async |errors| list_page(&page.reading::<perm::TargetRead>()?, &BTreeMap::new(), errors, form.values()).await,
    )
    .await
}

pub struct FollowUpRow {
    pub date: String,
    pub channel: &'static str,
    pub summary: String,
    pub next: String,
    pub by: String,
}

impl From<FollowUp> for FollowUpRow {
    fn from(f: FollowUp) -> Self {
        FollowUpRow {
            date: f.date.to_string(),
            channel: FollowUpChannel::parse(&f.channel).map_or("", FollowUpChannel::label),
            summary: f.summary,
            next: fmt::date_opt(f.next_follow_up_on),
            by: f.by.unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "targets/detail.html")]
struct DetailPage {
    chrome: Chrome,
    t: Target,
    row: TargetRow,
    log: Vec<FollowUpRow>,
    can_write: bool,
    open: bool,
    channels: Vec<Opt>,
    moves: Vec<Opt>,
    regions: Vec<Opt>,
    today: String,
    errors: BTreeMap<String, String>,
    form: BTreeMap<String, String>,
    notice: &'static str,
}

form_helpers!(DetailPage { fv: self.form });

async fn detail_page(
    page: &Page<perm::TargetRead>,
    id: i64,
    errors: BTreeMap<String, String>,
    form: BTreeMap<String, String>,
    notice: &'static str,
) -> UiResult<DetailPage> {
    let t = page.store().get_target(id).await?;
    let log = page.store().list_follow_ups(id).await?;
    let status = TargetStatus::parse(&t.status);
    let open = status.is_some_and(TargetStatus::is_open);
    // the moves the rules allow from here (已转化 is the convert form's)
    let moves = TargetStatus::ALL
        .iter()
        .filter(|to| status.is_some_and(|s| domain::target::target_move(s, **to, Some("x")).is_ok()))
        .map(|s| (s.code().to_string(), s.label().to_string()));
    let fv = |k: &str| form.get(k).map_or("", String::as_str);
    Ok(DetailPage {
        chrome: page.chrome("/targets"),
        row: TargetRow::from(&t),
        log: log.into_iter().map(FollowUpRow::from).collect(),
        can_write: page.can(Permission::TargetWrite) && status != Some(TargetStatus::Converted),
        open,
        channels: opts(
            FollowUpChannel::ALL.iter().map(|c| (c.code().to_string(), c.label().to_string())),
            fv("fu_channel"),
        ),
        moves: opts(moves, fv("st_status")),
        regions: region_opts(fv("cv_region")),
        today: domain::today_shanghai().to_string(),
        errors,
        form,
        notice,
        t,
    })
}

/// A target's page.
pub async fn detail(page: Page<perm::TargetRead>, Id(id): Id, QueryMap(q): QueryMap) -> UiResult<Response> {
    let notice = match q.get("done").map(String::as_str) {
        Some("created") => "靶向企业已登记。",
        Some("follow_up") => "跟进已记录。",
        Some("status") => "跟踪状态已变更。",
        _ => "",
    };
    render(&detail_page(&page, id, BTreeMap::new(), BTreeMap::new(), notice).await?)
}

/// After a form of the target's page: back to it, or the page again with the errors.
async fn done(
    page: Page<perm::TargetWrite>,
    id: i64,
    form: &FormData,
    prefix: &str,
    r: Result<String, ApiError>,
) -> UiResult<Response> {
    respond(
        r,
        prefix,
        |to| to,
        async |errors| detail_page(&page.reading::<perm::TargetRead>()?, id, errors, form.values(), "").await,
    )
    .await
}

/// `POST /targets/{id}/follow_ups`.
pub async fn follow_up(Id(id): Id, f: PageForm<perm::TargetWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let body = json!({
        "date": text(&form, "fu_date"),
        "channel": text(&form, "fu_channel"),
        "summary": text(&form, "fu_summary"),
        "next_follow_up_on": text(&form, "fu_next_follow_up_on"),
    });
    let write = async |input| page.store().add_follow_up(id, input, domain::today_shanghai()).await;
    let r = submit(body, crate::api::targets::follow_up_input, write)
        .await
        .map(|_| format!("/targets/{id}?done=follow_up"));
    done(page, id, &form, "fu_", r).await
}

/// `POST /targets/{id}/status`.
pub async fn set_status(Id(id): Id, f: PageForm<perm::TargetWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let version = form.get("version").trim().parse::<i32>().map_or(Value::Null, Value::from);
    let body =
        json!({"status": text(&form, "st_status"), "drop_reason": text(&form, "st_drop_reason"), "version": version});
    let write = async |(to, reason, version)| page.store().set_target_status(id, to, reason, version).await;
    let r = submit(body, crate::api::targets::status_input, write).await.map(|_| format!("/targets/{id}?done=status"));
    done(page, id, &form, "st_", r).await
}

/// `POST /targets/{id}/convert`: to the new project's page.
pub async fn convert(Id(id): Id, f: PageForm<perm::TargetWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let version = form.get("version").trim().parse::<i32>().map_or(Value::Null, Value::from);
    let body = json!({
        "name": text(&form, "cv_name"),
        "region": text(&form, "cv_region"),
        "total_investment": text(&form, "cv_total_investment"),
        "version": version,
    });
    let write = async |input| page.store().convert_target(id, input).await;
    let r = submit(body, crate::api::targets::convert_input, write)
        .await
        .map(|(_, p)| format!("/projects/{}?done=created", p.id));
    done(page, id, &form, "cv_", r).await
}
