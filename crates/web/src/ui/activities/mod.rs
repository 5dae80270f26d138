//! 招商活动 pages (domain.md §6): the list (filters: unit, kind, month), the month calendar
//! (a plain table, no script), an activity's page with its evidence files, the 新增 form,
//! and the counts by unit and by leader with the drill-down of the assessment's measures.
//! Every form posts through the API's own body, so the page refuses what the API refuses.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, Days};
use domain::Permission;
use domain::activity::{ActivityKind, ActivityMeasure};
use domain::fields::ACTIVITY;
use domain::leader::LeaderLevel;
use domain::monthly::Month;
use serde_json::Value;
use store::activities::{Activity, ActivityCounts, ActivityFilter, MeasureResult};

use super::project::{opts, region_name, region_opts, scope_unit_opts};
use super::widgets::{self, Opt, Pager};
use super::{Chrome, FormData, Page, PageForm, PageUpload, UiResult, fmt, render, render_status, see_other};
use crate::api::activities::ActivityBody;
use crate::auth::perm;
use crate::error::ApiError;
use crate::input::{Id, QueryMap};

/// The lists of an activity's form (multi-selects).
const LISTS: [&str; 5] = ["leader_ids", "company_ids", "target_ids", "project_ids", "signed_project_ids"];

fn kind_label(code: &str) -> &'static str {
    ActivityKind::parse(code).map_or("", ActivityKind::label)
}

fn level_label(code: &str) -> &'static str {
    LeaderLevel::parse(code).map_or("", LeaderLevel::label)
}

/// A badge class per kind, so the calendar tells them apart.
fn kind_class(code: &str) -> &'static str {
    match ActivityKind::parse(code) {
        Some(ActivityKind::LeaderVisit) => "st-signed",
        Some(ActivityKind::TeamTrip) => "st-started",
        Some(ActivityKind::Exchange) => "st-go",
        Some(ActivityKind::Talks) => "st-done",
        _ => "st-pending",
    }
}

/// An activity as a row of the list or an entry of the calendar.
pub struct Row {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub kind_class: &'static str,
    pub dates: String,
    pub place: String,
    pub unit: String,
    pub level: &'static str,
    pub leaders: String,
    pub companies: String,
    pub ranked: bool,
}

impl From<&Activity> for Row {
    fn from(a: &Activity) -> Self {
        let dates =
            if a.end_on == a.start_on { a.start_on.to_string() } else { format!("{} 至 {}", a.start_on, a.end_on) };
        let place = if a.country == "中国" { a.city.clone() } else { format!("{}·{}", a.country, a.city) };
        Row {
            id: a.id,
            title: a.title.clone(),
            kind: kind_label(&a.kind),
            kind_class: kind_class(&a.kind),
            dates,
            place,
            unit: a.unit_name.clone(),
            level: level_label(&a.leader_level),
            leaders: a.leaders.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join("、"),
            companies: a.companies.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join("、"),
            ranked: a.companies.iter().any(|c| c.ranked),
        }
    }
}

fn kind_opts(current: &str) -> Vec<Opt> {
    opts(ActivityKind::ALL.iter().map(|k| (k.code().to_string(), k.label().to_string())), current)
}

/// The list's filters from the query: unit, kind, month (the query string, kept for links).
struct Filters {
    unit: String,
    kind: String,
    month: Option<Month>,
}

impl Filters {
    fn of(page: &Page<impl crate::auth::Perm>, q: &BTreeMap<String, String>) -> Filters {
        let get = |k: &str| q.get(k).map_or("", |v| v.trim());
        let unit = Some(get("unit")).filter(|u| page.state.store.unit_tree().find(u).is_some()).unwrap_or_default();
        let kind = Some(get("kind")).filter(|k| ActivityKind::parse(k).is_some()).unwrap_or_default();
        Filters { unit: unit.to_string(), kind: kind.to_string(), month: Month::parse(get("month")) }
    }

    fn filter(&self) -> ActivityFilter {
        ActivityFilter {
            unit: Some(self.unit.clone()).filter(|u| !u.is_empty()),
            kind: ActivityKind::parse(&self.kind),
            from: self.month.map(Month::first_day),
            to: self.month.map(Month::last_day),
            ..Default::default()
        }
    }

    /// The query of these filters (for the pager, the calendar's months, the other view).
    fn query(&self, month: Option<Month>) -> String {
        let mut parts = vec![];
        for (k, v) in [("unit", self.unit.clone()), ("kind", self.kind.clone())] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", crate::input::encode(&v)));
            }
        }
        if let Some(m) = month {
            parts.push(format!("month={m}"));
        }
        parts.join("&")
    }
}

#[derive(Template)]
#[template(path = "activities/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    pager: Pager,
    units: Vec<Opt>,
    kinds: Vec<Opt>,
    month: String,
    calendar_href: String,
    can_write: bool,
    notice: &'static str,
}

/// 招商活动: the activities in scope, the latest first.
pub async fn list(page: Page<perm::ActivityRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let f = Filters::of(&page, &q);
    let n = q.get("page").and_then(|p| p.parse::<u64>().ok()).unwrap_or(1).clamp(1, 1_000_000);
    let list = page.store().list_activities(&ActivityFilter { page: n, per_page: 50, ..f.filter() }).await?;
    let month = f.month.unwrap_or_else(|| Month::of(domain::today_shanghai()));
    let p = ListPage {
        chrome: page.chrome("/activities"),
        rows: list.items.iter().map(Row::from).collect(),
        pager: widgets::pager("/activities", &f.query(f.month), n, 50, list.total, list.items.len()),
        units: scope_unit_opts(&page, &f.unit),
        kinds: kind_opts(&f.kind),
        month: f.month.map(|m| m.to_string()).unwrap_or_default(),
        calendar_href: format!("/activities/calendar?{}", f.query(Some(month))),
        can_write: page.can(Permission::ActivityWrite),
        notice: if q.get("done").is_some_and(|d| d == "created") { "活动已登记。" } else { "" },
    };
    render(&p)
}

/// One day of the calendar.
pub struct Day {
    pub day: u32,
    /// Outside the month shown (the grid's leading and trailing days).
    pub other: bool,
    pub today: bool,
    pub items: Vec<Row>,
}

#[derive(Template)]
#[template(path = "activities/calendar.html")]
struct CalendarPage {
    chrome: Chrome,
    title: String,
    weeks: Vec<Vec<Day>>,
    units: Vec<Opt>,
    kinds: Vec<Opt>,
    month: String,
    prev_href: String,
    next_href: String,
    list_href: String,
    total: u64,
}

/// The month calendar: a week per row, Monday first; an activity on every day it covers.
pub async fn calendar(page: Page<perm::ActivityRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let f = Filters::of(&page, &q);
    let today = domain::today_shanghai();
    let month = f.month.unwrap_or_else(|| Month::of(today));
    let (first, last) = (month.first_day(), month.last_day());
    let filter = ActivityFilter { from: Some(first), to: Some(last), ascending: true, per_page: 500, ..f.filter() };
    let list = page.store().list_activities(&filter).await?;
    let grid_from = first - Days::new(u64::from(first.weekday().num_days_from_monday()));
    let grid_to = last + Days::new(u64::from(6 - last.weekday().num_days_from_monday()));
    let days = store::activities::by_day(&list.items, grid_from, grid_to);
    let mut weeks = vec![];
    let mut d = grid_from;
    while d <= grid_to {
        let mut week = vec![];
        for _ in 0..7 {
            let items = days.get(&d).map(|v| v.iter().map(|a| Row::from(*a)).collect()).unwrap_or_default();
            week.push(Day { day: d.day(), other: d.month() != first.month(), today: d == today, items });
            d = d + Days::new(1);
        }
        weeks.push(week);
    }
    let p = CalendarPage {
        chrome: page.chrome("/activities"),
        title: format!("{}年{}月", first.year(), first.month()),
        weeks,
        units: scope_unit_opts(&page, &f.unit),
        kinds: kind_opts(&f.kind),
        month: month.to_string(),
        prev_href: format!("/activities/calendar?{}", f.query(Some(month.prev()))),
        next_href: format!("/activities/calendar?{}", f.query(Some(month.next()))),
        list_href: format!("/activities?{}", f.query(Some(month))),
        total: list.total,
    };
    render(&p)
}

#[derive(Template)]
#[template(path = "activities/form.html")]
struct FormPage {
    chrome: Chrome,
    v: BTreeMap<String, String>,
    kinds: Vec<Opt>,
    regions: Vec<Opt>,
    units: Vec<Opt>,
    levels: Vec<Opt>,
    leaders: Vec<Opt>,
    companies: Vec<Opt>,
    targets: Vec<Opt>,
    projects: Vec<Opt>,
    signed: Vec<Opt>,
    errors: BTreeMap<String, String>,
}

widgets::form_helpers!(FormPage { f: ACTIVITY, val: self.v });

/// Options with every value of `chosen` selected (a multi-select).
fn multi(items: impl IntoIterator<Item = (String, String)>, chosen: &[String]) -> Vec<Opt> {
    items.into_iter().map(|(value, label)| Opt { selected: chosen.contains(&value), value, label }).collect()
}

async fn form_page(
    page: &Page<perm::ActivityWrite>,
    v: BTreeMap<String, String>,
    lists: BTreeMap<String, Vec<String>>,
    errors: BTreeMap<String, String>,
) -> UiResult<FormPage> {
    let s = page.store();
    let chosen = |k: &str| lists.get(k).cloned().unwrap_or_default();
    let get = |k: &str| v.get(k).cloned().unwrap_or_default();
    let leaders = s.lead_leader_choices(None).await?;
    let cf = store::companies::CompanyFilter { per_page: 500, page: 1, ..Default::default() };
    let (companies, _) = s.list_companies(&cf).await?;
    let targets = if page.can(Permission::TargetRead) {
        s.list_targets(&store::targets::TargetFilter { per_page: 500, ..Default::default() }).await?.items
    } else {
        vec![]
    };
    let pf = store::projects::ProjectFilter { per_page: 500, ..Default::default() };
    let projects = s.list_projects(&pf).await?.items;
    let project_opts = |k: &str| {
        multi(projects.iter().map(|p| (p.id.to_string(), format!("{}（{}）", p.name, p.unit_name))), &chosen(k))
    };
    Ok(FormPage {
        chrome: page.chrome("/activities"),
        kinds: kind_opts(&get("kind")),
        regions: region_opts(&get("region")),
        units: scope_unit_opts(page, &get("unit")),
        levels: opts(
            LeaderLevel::ALL.iter().map(|l| (l.code().to_string(), l.label().to_string())),
            &get("leader_level"),
        ),
        leaders: multi(
            leaders.iter().map(|l| (l.id.to_string(), format!("{}　{}", l.display, l.unit_name))),
            &chosen("leader_ids"),
        ),
        companies: multi(companies.iter().map(|c| (c.id.to_string(), c.name.clone())), &chosen("company_ids")),
        targets: multi(
            targets.iter().map(|t| (t.id.to_string(), format!("{}（{}）", t.company_name, t.unit_name))),
            &chosen("target_ids"),
        ),
        projects: project_opts("project_ids"),
        signed: project_opts("signed_project_ids"),
        errors,
        v,
    })
}

/// 新增招商活动.
pub async fn new_form(page: Page<perm::ActivityWrite>) -> UiResult<Response> {
    let tree = page.state.store.unit_tree();
    let mut v = BTreeMap::new();
    if let Some(u) = page.actor.unit_id.and_then(|u| tree.get(u)).filter(|u| page.actor.scope.allows_unit(u.id)) {
        v.insert("unit".to_string(), u.code.clone());
    }
    v.insert("country".into(), "中国".into());
    render(&form_page(&page, v, BTreeMap::new(), BTreeMap::new()).await?)
}

/// The form as the API's body: the multi-selects as arrays of ids.
fn body_of(form: &FormData) -> serde_json::Map<String, Value> {
    let mut body = form.to_json(&LISTS);
    for k in LISTS {
        body.insert(k.into(), form.ids(k));
    }
    body
}

/// `POST /activities/new`.
pub async fn create(f: PageForm<perm::ActivityWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let parsed = serde_json::from_value::<ActivityBody>(Value::Object(body_of(&form)))
        .map_err(|_| ApiError::BadRequest("表单无效".into()))
        .and_then(ActivityBody::input);
    let r = match parsed {
        Ok(input) => page.store().create_activity(input).await.map_err(ApiError::from),
        Err(e) => Err(e),
    };
    let errors = match r {
        Ok(a) => return Ok(see_other(&format!("/activities/{}?done=created", a.id))),
        Err(ApiError::Validation(f)) => f,
        Err(e) => return Err(e.into()),
    };
    let v = form.0.iter().filter_map(|(k, v)| Some((k.clone(), v.first()?.clone()))).collect();
    let lists = LISTS.iter().map(|k| (k.to_string(), form.all(k))).collect();
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &form_page(&page, v, lists, errors).await?)
}

/// One evidence file of an activity.
pub struct FileRow {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub by: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "activities/detail.html")]
struct DetailPage {
    chrome: Chrome,
    a: Activity,
    row: Row,
    region: String,
    cost: String,
    files: Option<Vec<FileRow>>,
    /// The assessment's measures this activity counts for (assessment.md), by label.
    counts_for: Vec<&'static str>,
    can_upload: bool,
    accept: String,
    errors: BTreeMap<String, String>,
    notice: &'static str,
}

impl DetailPage {
    fn level_of(&self, code: &str) -> &'static str {
        level_label(code)
    }
}

async fn detail_page<P: crate::auth::Perm>(
    page: &Page<P>,
    id: i64,
    errors: BTreeMap<String, String>,
    notice: &'static str,
) -> UiResult<DetailPage> {
    let a = page.store().get_activity(id).await?;
    let files = a.attachments.as_ref().map(|v| {
        v.iter()
            .map(|f| FileRow {
                id: f.id,
                name: f.name.clone(),
                kind: f.type_label(),
                by: f.uploaded_by.clone().unwrap_or_default(),
                at: fmt::at(f.uploaded_at),
            })
            .collect()
    });
    let accept = crate::ui::attachments::accept();
    // the same predicate as the measures; a company met is ranked or not
    let counts_for = match (a.kind(), LeaderLevel::parse(&a.leader_level)) {
        (Some(kind), Some(leader_level)) => {
            let standing = |ranked: bool| domain::InvestorStanding { industry_leader: ranked, ..Default::default() };
            let facts = domain::activity::ActivityFacts {
                kind,
                start_on: a.start_on,
                leader_level,
                companies: a.companies.iter().map(|c| standing(c.ranked)).collect(),
            };
            ActivityMeasure::ALL
                .iter()
                .filter(|m| domain::activity::counts(**m, &facts, a.start_on, a.start_on))
                .map(|m| m.label())
                .collect()
        }
        _ => vec![],
    };
    Ok(DetailPage {
        chrome: page.chrome("/activities"),
        counts_for,
        row: Row::from(&a),
        region: region_name(&a.region),
        cost: a.cost.map(|c| format!("{} 万元", fmt::money(c))).unwrap_or_default(),
        files,
        can_upload: page.can(Permission::AttachmentWrite) && page.can(Permission::ActivityWrite),
        accept,
        errors,
        notice,
        a,
    })
}

/// An activity's page.
pub async fn detail(page: Page<perm::ActivityRead>, Id(id): Id, QueryMap(q): QueryMap) -> UiResult<Response> {
    let notice = match q.get("done").map(String::as_str) {
        Some("created") => "活动已登记。可在下方上传照片、会议纪要等证明材料。",
        Some("uploaded") => "文件已上传。",
        _ => "",
    };
    render(&detail_page(&page, id, BTreeMap::new(), notice).await?)
}

/// `POST /activities/{id}/attachments`: an evidence file (CSRF first, then the API's checks).
pub async fn upload(Id(id): Id, up: PageUpload<perm::AttachmentWrite>) -> UiResult<Response> {
    let (page, r) = super::attachments::receive(up, "activity", id).await?;
    let Err((status, message)) = r else { return Ok(see_other(&format!("/activities/{id}?done=uploaded#files"))) };
    let errors = BTreeMap::from([("file".to_string(), message)]);
    render_status(status, &detail_page(&page, id, errors, "").await?)
}

#[derive(Template)]
#[template(path = "activities/stats.html")]
struct StatsPage {
    chrome: Chrome,
    c: ActivityCounts,
    from: String,
    to: String,
    unit_q: String,
    units: Vec<Opt>,
    drill: Option<(String, String, MeasureResult)>,
}

impl StatsPage {
    fn kind_n(&self, u: &store::activities::UnitCount, k: &str) -> u64 {
        u.by_kind.get(k).copied().unwrap_or(0)
    }

    fn level_of(&self, code: &str) -> &'static str {
        level_label(code)
    }

    fn kind_of(&self, code: &str) -> &'static str {
        kind_label(code)
    }
}

/// 活动统计: by unit (with the assessment's two measures) and by leader over a period
/// (default: this year), and a measure's records for one unit (`?measure=…&unit=…`).
pub async fn stats(page: Page<perm::ActivityRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let get = |k: &str| q.get(k).map_or("", |v| v.trim());
    let (from, to) = widgets::period_of(&q);
    let unit = Some(get("unit")).filter(|u| page.state.store.unit_tree().find(u).is_some());
    let c = page.store().activity_counts(unit, from, to).await?;
    let drill = match (ActivityMeasure::parse(get("measure")), Some(get("drill")).filter(|u| !u.is_empty())) {
        (Some(m), Some(u)) => {
            let r = page.store().activity_measure(m, u, from, to).await?;
            let name = page.state.store.unit_tree().find(u).map(|x| x.name.clone()).unwrap_or_default();
            Some((m.label().to_string(), name, r))
        }
        _ => None,
    };
    let p = StatsPage {
        chrome: page.chrome("/activities"),
        from: from.to_string(),
        to: to.to_string(),
        unit_q: unit.map(|u| format!("&unit={}", crate::input::encode(u))).unwrap_or_default(),
        units: scope_unit_opts(&page, unit.unwrap_or_default()),
        drill,
        c,
    };
    render(&p)
}
