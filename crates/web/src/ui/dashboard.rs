//! 工作台: the dashboard of the caller's scope. Every figure comes from `Store::dashboard`,
//! which starts from the same scoped filter as the ledger each chart element links to.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::Datelike;
use domain::Stage;
use serde_json::json;

use super::projects::{industry_name, region_name};
use super::{Chrome, Page, UiResult, assets, fmt, render};
use crate::AppState;
use crate::auth::perm;

#[derive(Debug, Clone)]
pub struct Card {
    pub label: &'static str,
    pub value: String,
    pub unit: &'static str,
    pub note: String,
    pub href: String,
}

/// One chart: the data for app.js (ECharts) and the same data as a table for readers
/// without JavaScript or a screen.
#[derive(Debug, Clone)]
pub struct Chart {
    pub id: &'static str,
    pub title: &'static str,
    pub data: String,
    pub rows: Vec<ChartRow>,
    pub value_label: &'static str,
}

#[derive(Debug, Clone)]
pub struct ChartRow {
    pub label: String,
    pub count: String,
    pub value: String,
    pub href: String,
}

#[derive(Debug, Clone)]
pub struct Recent {
    pub id: i64,
    pub name: String,
    pub change: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    echarts: String,
    scope_label: String,
    year: i32,
    /// The figures, rendered (and cached) apart from the frame, which holds the user's CSRF token.
    body: String,
}

#[derive(Template)]
#[template(path = "dashboard_body.html")]
struct DashboardBody {
    cards: Vec<Card>,
    charts: Vec<Chart>,
    recent: Vec<Recent>,
}

fn chart(
    id: &'static str,
    title: &'static str,
    kind: &str,
    value_label: &'static str,
    rows: Vec<ChartRow>,
    values: Vec<String>,
) -> Chart {
    let data = json!({
        "type": kind,
        "labels": rows.iter().map(|r| r.label.clone()).collect::<Vec<_>>(),
        // decimal strings: exact in the page, turned into numbers only for drawing
        "values": values,
        "links": rows.iter().map(|r| r.href.clone()).collect::<Vec<_>>(),
        "unit": value_label,
    });
    Chart { id, title, data: data.to_string(), rows, value_label }
}

/// One chart row per group, each linking to the ledger filtered by `param` = the group's code;
/// the values are the groups' investment as exact decimal strings.
fn tallies(
    groups: &[(String, store::dashboard::Tally)],
    param: &str,
    name: impl Fn(&str) -> String,
) -> (Vec<ChartRow>, Vec<String>) {
    groups
        .iter()
        .map(|(code, t)| {
            let row = ChartRow {
                label: name(code),
                count: fmt::count(t.count),
                value: fmt::money(t.investment),
                href: format!("/projects?{param}={}", crate::input::encode(code)),
            };
            (row, t.investment.to_string())
        })
        .unzip()
}

pub async fn page(State(s): State<Arc<AppState>>, page: Page<perm::ProjectRead>) -> UiResult<Response> {
    let today = domain::today_shanghai();
    let tree = s.store.unit_tree();
    let scope_label = match &page.actor.scope {
        store::Scope::All => "全市".to_string(),
        store::Scope::Department(_) => "本部门承办任务涉及的项目".to_string(),
        _ => page.actor.unit_id.and_then(|u| tree.get(u)).map(|u| format!("{}及下属单位", u.name)).unwrap_or_default(),
    };
    // The figures are aggregates over every project in scope: serve a repeat from the cache
    // while no write has happened since (the key holds the scope and the day).
    let key = format!("ui-dashboard|{:?}|{}|{today}", page.actor.scope, page.actor.is_city());
    let generation = if s.cache.enabled() { Some(s.store.generation().await?) } else { None };
    let body = match generation.and_then(|g| s.cache.get(&key, g)) {
        Some(b) => String::from_utf8_lossy(&b).into_owned(),
        None => {
            let body = body(&s, &page, today).await?;
            if let Some(g) = generation {
                s.cache.put(key, g, axum::body::Bytes::from(body.clone()));
            }
            body
        }
    };
    let p = DashboardPage {
        chrome: page.chrome("/", &s),
        echarts: assets::url("vendor/echarts.min.js"),
        scope_label,
        year: today.year(),
        body,
    };
    render(&p)
}

async fn body(s: &AppState, page: &Page<perm::ProjectRead>, today: chrono::NaiveDate) -> UiResult<String> {
    let d = s.store.dashboard(&page.actor, today).await?;
    let tree = s.store.unit_tree();
    let cards = vec![
        Card {
            label: "在库项目",
            value: fmt::count(d.total.count),
            unit: "个",
            note: format!("总投资 {} 亿元", fmt::yi(d.total.investment)),
            href: "/projects".into(),
        },
        Card {
            label: "今年签约",
            value: fmt::count(d.signed_this_year.count),
            unit: "个",
            note: format!("签约投资 {} 亿元", fmt::yi(d.signed_this_year.investment)),
            href: "/projects?sort=-signed_on".into(),
        },
        Card {
            label: "今年省外资金到位",
            value: fmt::money(d.funds_this_year.domestic),
            unit: "万元",
            note: format!(
                "去年同期 {} 万元，{}",
                fmt::money(d.funds_last_year.domestic),
                match fmt::change(d.funds_this_year.domestic, d.funds_last_year.domestic).as_str() {
                    "—" => "无可比数据".to_string(),
                    c => format!("同比 {c}"),
                }
            ),
            href: "/projects?stage=started".into(),
        },
        Card {
            label: "今年实际利用外资",
            value: fmt::money(d.funds_this_year.foreign),
            unit: "万美元",
            note: format!("去年同期 {} 万美元", fmt::money(d.funds_last_year.foreign)),
            href: "/projects?category=foreign".into(),
        },
    ];

    let funnel_rows: Vec<ChartRow> = d
        .by_stage
        .iter()
        .filter(|(st, _)| st.is_active())
        .map(|(st, t)| ChartRow {
            label: st.label().to_string(),
            count: fmt::count(t.count),
            value: fmt::money(t.investment),
            href: format!("/projects?stage={}", st.code()),
        })
        .collect();
    // The funnel: how many live projects have reached each stage (are at it or beyond),
    // so the shape narrows as projects progress; the table lists where each one is now.
    let active: Vec<u64> = d.by_stage.iter().filter(|(st, _)| st.is_active()).map(|(_, t)| t.count).collect();
    let funnel_values = (0..active.len()).map(|i| active[i..].iter().sum::<u64>().to_string()).collect::<Vec<_>>();
    let paused: Vec<ChartRow> = d
        .by_stage
        .iter()
        .filter(|(st, _)| matches!(st, Stage::OnHold | Stage::Terminated))
        .map(|(st, t)| ChartRow {
            label: st.label().to_string(),
            count: fmt::count(t.count),
            value: fmt::money(t.investment),
            href: format!("/projects?stage={}", st.code()),
        })
        .collect();
    let mut funnel =
        chart("funnel", "项目阶段漏斗（累计到达该阶段的项目，个）", "funnel", "个", funnel_rows, funnel_values);
    funnel.rows.extend(paused);

    let unit_rows: Vec<(ChartRow, String)> = d
        .by_unit
        .iter()
        .take(20)
        .filter_map(|(id, t)| {
            let u = tree.get(*id)?;
            Some((
                ChartRow {
                    label: u.name.clone(),
                    count: fmt::count(t.count),
                    value: fmt::money(t.investment),
                    href: format!("/projects?unit={}", u.code),
                },
                t.investment.to_string(),
            ))
        })
        .collect();
    let (rows, values): (Vec<_>, Vec<_>) = unit_rows.into_iter().unzip();
    let by_unit = chart("units", "各单位项目总投资（万元）", "bar", "万元", rows, values);

    let (rows, values) = tallies(&d.by_industry, "industry", industry_name);
    let by_industry = chart("industries", "产业链分布（总投资，万元）", "pie", "万元", rows, values);
    let (rows, values) = tallies(&d.by_region, "region", region_name);
    let by_region = chart("regions", "投资来源地（总投资，万元）", "hbar", "万元", rows, values);

    let (rows, values): (Vec<_>, Vec<_>) = d
        .funds_by_month
        .iter()
        .map(|(month, f)| {
            (
                ChartRow {
                    label: month.clone(),
                    count: String::new(),
                    value: fmt::money(f.domestic),
                    // the started projects are where funds arrive; the ledger has no month filter
                    href: "/projects?stage=started".into(),
                },
                f.domestic.to_string(),
            )
        })
        .unzip();
    let trend = chart("trend", "近24个月省外资金到位（已审核，万元）", "line", "万元", rows, values);

    let recent = d
        .recent
        .iter()
        .map(|r| Recent {
            id: r.project_id,
            name: r.project_name.clone(),
            change: format!("{} → {}", r.from.map(|s| s.label()).unwrap_or(""), r.to.map(|s| s.label()).unwrap_or("")),
            date: r.date.to_string(),
        })
        .collect();

    Ok(DashboardBody { cards, charts: vec![funnel, by_unit, by_industry, by_region, trend], recent }.render()?)
}
