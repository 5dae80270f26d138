//! 十大项目 (`/assessment/top10?year=`): the year's candidates (the store's order: stage
//! reached, investment, code) with what the choice weighs, the pick, and for city_admin a
//! form — a checkbox and a 入选理由 per candidate, 确定十大项目 — whose refusals come back
//! in Chinese beside the table (422) or as the frozen notice (409). No JavaScript.

pub mod leaders;

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use axum::response::Response;
use chrono::Datelike;
use domain::Permission;
use serde_json::{Value, json};
use store::top10::{Top10Candidate, Top10Pick, Top10Year};

use super::agreements::forms_support::{form_errors, submit};
use super::{Chrome, Page, PageForm, UiResult, render, render_status, see_other};
use crate::api::top10::Top10Body;
use crate::auth::perm;
use crate::error::ApiError;
use crate::input::QueryMap;

/// One candidate as the table shows it.
pub struct Row {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit_name: String,
    pub total: String,
    pub stage: &'static str,
    pub stage_on: String,
    pub investors: String,
    pub four_ones: String,
    pub picked: String,
    /// The form: checked, the citation typed (or saved), the row's error.
    pub checked: bool,
    pub citation: String,
    pub error: String,
}

#[derive(Template)]
#[template(path = "top10/page.html")]
struct Top10Page {
    chrome: Chrome,
    year: i32,
    years: Vec<i32>,
    frozen: bool,
    can_pick: bool,
    rows: Vec<Row>,
    picks: Vec<Top10Pick>,
    /// Errors of the whole pick (the count, duplicates) and a conflict.
    errors: Vec<String>,
    notice: &'static str,
    max: usize,
}

fn four_ones_text(c: &Top10Candidate) -> String {
    let f = &c.four_ones;
    if f.complete {
        return "齐全".into();
    }
    let mut missing = vec![];
    for (has, what) in [(f.action_plan, "行动计划"), (f.work_team, "工作团队"), (f.case_file, "招商专案")] {
        if !has {
            missing.push(what);
        }
    }
    format!("缺{}", missing.join("、"))
}

/// What the form sent back: the checked ids in table order and every citation typed.
#[derive(Default)]
struct Typed {
    checked: BTreeSet<i64>,
    citations: BTreeMap<i64, String>,
    /// Error per project id (a row's), and the errors of the whole pick.
    row_errors: BTreeMap<i64, String>,
    errors: Vec<String>,
}

fn year_of(q: &BTreeMap<String, String>) -> i32 {
    let this = domain::today_shanghai().year();
    q.get("year").and_then(|y| y.trim().parse::<i32>().ok()).filter(|y| (2000..=2100).contains(y)).unwrap_or(this)
}

async fn page_of<P: crate::auth::Perm>(
    page: &Page<P>,
    year: i32,
    typed: Option<Typed>,
    notice: &'static str,
) -> UiResult<Top10Page> {
    let y: Top10Year = page.store().top10_year(year).await?;
    let can_pick = page.can(Permission::AssessmentManage) && page.actor.scope == store::Scope::All;
    let fresh = typed.is_none();
    let mut typed = typed.unwrap_or_default();
    if !typed.row_errors.is_empty() {
        // a row's message may be far down a long table: say so at the top
        typed.errors.push(format!("有 {} 个项目的填写有误，已在表中标出", typed.row_errors.len()));
    }
    let rows = y
        .candidates
        .iter()
        .map(|c| {
            let saved = c.picked.as_ref();
            Row {
                id: c.project_id,
                code: c.code.clone(),
                name: c.name.clone(),
                unit_name: c.unit_name.clone(),
                total: super::fmt::money(c.total_investment),
                stage: c.stage.label(),
                stage_on: c.stage_on.to_string(),
                investors: c.investors.text(),
                four_ones: four_ones_text(c),
                picked: saved.map(|p| format!("第{}位", p.position)).unwrap_or_default(),
                checked: if fresh { saved.is_some() } else { typed.checked.contains(&c.project_id) },
                citation: if fresh {
                    saved.map(|p| p.citation.clone()).unwrap_or_default()
                } else {
                    typed.citations.get(&c.project_id).cloned().unwrap_or_default()
                },
                error: typed.row_errors.get(&c.project_id).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let this = domain::today_shanghai().year();
    let mut years: Vec<i32> = (this - 5..=this + 1).rev().collect();
    if !years.contains(&year) {
        years.push(year);
    }
    Ok(Top10Page {
        chrome: page.chrome("/assessment/top10"),
        year,
        years,
        frozen: y.frozen,
        can_pick,
        rows,
        picks: y.picks,
        errors: typed.errors,
        notice,
        max: domain::fields::TOP10.max("citation"),
    })
}

/// `GET /assessment/top10?year=`.
pub async fn page(page: Page<perm::AssessmentRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let notice = if q.get("done").is_some_and(|d| d == "saved") { "十大项目已确定。" } else { "" };
    render(&page_of(&page, year_of(&q), None, notice).await?)
}

/// `POST /assessment/top10`: the checked candidates in table order, each with its citation.
pub async fn pick(f: PageForm<perm::AssessmentManage>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let year = form.get("year").trim().parse::<i32>().ok().filter(|y| (2000..=2100).contains(y));
    let Some(year) = year else {
        return Err(ApiError::Validation([("year".to_string(), "年度无效".to_string())].into()).into());
    };
    // the table's order: the candidates as the store lists them
    let order: Vec<i64> = page.store().top10_candidates(year).await?.iter().map(|c| c.project_id).collect();
    let checked: BTreeSet<i64> = form.all("pick").iter().filter_map(|v| v.trim().parse().ok()).collect();
    let citations: BTreeMap<i64, String> =
        order.iter().map(|id| (*id, form.get(&format!("citation_{id}")).to_string())).collect();
    // a checked id that is no longer a candidate still goes to the store, which names it
    let mut ids: Vec<i64> = order.iter().copied().filter(|id| checked.contains(id)).collect();
    ids.extend(checked.iter().copied().filter(|id| !order.contains(id)));
    let body = json!({"picks": ids.iter().map(|id| json!({
        "project_id": id,
        "citation": citations.get(id).cloned().unwrap_or_default(),
    })).collect::<Vec<Value>>()});
    let r = submit(body, Top10Body::input, async |picks| page.store().pick_top10(year, picks).await).await;
    match r {
        Ok(_) => Ok(see_other(&format!("/assessment/top10?year={year}&done=saved"))),
        Err(e) => {
            let (status, errors) = form_errors("", e)?;
            let mut typed = Typed { checked, citations, ..Default::default() };
            for (k, why) in errors {
                let row = k
                    .strip_prefix("picks[")
                    .and_then(|r| r.split(']').next())
                    .and_then(|i| i.parse::<usize>().ok())
                    .and_then(|i| ids.get(i));
                match row {
                    Some(id) if order.contains(id) => {
                        // beside its row, the 第N项 of the API's message says nothing more
                        let own = match why.split_once("项：") {
                            Some((n, rest)) if n.starts_with('第') => rest.to_string(),
                            _ => why,
                        };
                        typed.row_errors.insert(*id, own);
                    }
                    _ => typed.errors.push(why),
                }
            }
            let read = page.reading::<perm::AssessmentRead>()?;
            render_status(status, &page_of(&read, year, Some(typed), "").await?)
        }
    }
}
