//! 工作台: the dashboard of the caller's scope. Every figure comes from `Store::dashboard`,
//! which starts from the same scoped filter as the ledger each chart element links to, and
//! counts what the city accepted (a unit's unreviewed claim is shown apart, labelled so).
//!
//! Each role gets the 工作台 that fits it (`Kind`): the city and the supervisors see the whole
//! city's charts; a leader sees the same figures with the largest projects listed; a unit
//! user sees their sub-units, or their largest projects when they have none; a department
//! user sees the tasks their department carries and the projects that carry them.

mod charts;

use askama::Template;
use axum::response::Response;
use chrono::Datelike;
use domain::Role;
use store::dashboard::Dashboard;

use super::widgets::DataTable;
use super::{Chrome, Page, UiResult, assets, fmt, render};
use crate::auth::perm;
use charts::Chart;

#[derive(Debug, Clone)]
pub struct Card {
    pub label: &'static str,
    pub value: String,
    pub unit: &'static str,
    pub note: String,
    pub href: String,
}

#[derive(Debug, Clone)]
pub struct Recent {
    pub id: i64,
    pub name: String,
    pub change: String,
    pub date: String,
    pub pending: bool,
}

/// Which 工作台 a user gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    City,
    Leader,
    Unit,
    Department,
}

fn kind(page: &Page<perm::ProjectRead>) -> Kind {
    match &page.actor.scope {
        store::Scope::Department(_) => Kind::Department,
        _ if page.actor.has_role(Role::Leader) && !page.actor.has_role(Role::CityAdmin) => Kind::Leader,
        store::Scope::Units(_) => Kind::Unit,
        _ => Kind::City,
    }
}

#[derive(Template)]
#[template(path = "dashboard/page.html")]
struct DashboardPage {
    chrome: Chrome,
    /// ECharts only where charts are drawn.
    echarts: Option<String>,
    scope_label: String,
    year: i32,
    /// The figures, rendered (and cached) apart from the frame, which holds the user's CSRF token.
    body: String,
    /// 待办: the city's claims waiting for review, a unit's returned claims; linked to the queue.
    review_todo: Option<crate::ui::reviews::ReviewTodo>,
    /// 红黑榜 of the latest published bulletin (none published, or no `bulletin:read`: no card).
    red_black: Option<crate::ui::bulletins::RedBlack>,
}

#[derive(Template)]
#[template(path = "dashboard/body.html")]
struct DashboardBody {
    cards: Vec<Card>,
    /// How the stages are counted, and how many claims wait (empty when none).
    claims_note: String,
    charts: Vec<Chart>,
    /// Listed tables (the leader's and a unit's largest projects, a department's tasks).
    tables: Vec<DataTable>,
    recent: Vec<Recent>,
    empty: &'static str,
}

pub async fn page(page: Page<perm::ProjectRead>) -> UiResult<Response> {
    let today = domain::today_shanghai();
    let tree = page.state.store.unit_tree();
    let kind = kind(&page);
    let scope_label = match &page.actor.scope {
        store::Scope::All => "全市".to_string(),
        store::Scope::Department(_) => "本部门承办任务涉及的项目".to_string(),
        _ => page
            .actor
            .unit_id
            .and_then(|u| tree.get(u))
            .map(|u| if tree.subtree(u.id).len() > 1 { format!("{}及下属单位", u.name) } else { u.name.clone() })
            .unwrap_or_default(),
    };
    // The figures are aggregates over every project in scope: serve a repeat from the cache
    // while no write has happened since (the key holds the scope, the kind and the day).
    // (a leader's 待办 lists the projects they lead, by name)
    let key = format!("ui-dashboard|{:?}|{kind:?}|{today}|{}", page.actor.scope, page.user_name);
    let generation = if page.state.cache.enabled() { Some(page.state.store.generation().await?) } else { None };
    let body = match generation.and_then(|g| page.state.cache.get(&key, g)) {
        Some(b) => String::from_utf8_lossy(&b).into_owned(),
        None => {
            let body = body(&page, kind, today).await?;
            if let Some(g) = generation {
                page.state.cache.put(key, g, axum::body::Bytes::from(body.clone()));
            }
            body
        }
    };
    let p = DashboardPage {
        chrome: page.chrome("/"),
        echarts: body.contains("data-chart=").then(|| assets::url("vendor/echarts.min.js")),
        scope_label,
        year: today.year(),
        body,
        review_todo: crate::ui::reviews::todo(&page.state, &page.actor).await?,
        red_black: crate::ui::bulletins::red_black(&page).await?,
    };
    render(&p)
}

fn cards(d: &Dashboard) -> Vec<Card> {
    let claimed = &d.signed_claimed_this_year;
    vec![
        Card {
            label: "在库项目",
            value: fmt::count(d.total.count),
            unit: "个",
            note: format!("总投资 {} 亿元，不含终止项目", fmt::yi(d.total.investment)),
            href: "/projects".into(),
        },
        Card {
            label: "今年签约",
            value: fmt::count(d.signed_this_year.count),
            unit: "个",
            note: if claimed.count > 0 {
                format!(
                    "签约投资 {} 亿元；另有单位填报待审核或已被退回 {} 个（{} 亿元），未计入",
                    fmt::yi(d.signed_this_year.investment),
                    fmt::count(claimed.count),
                    fmt::yi(claimed.investment)
                )
            } else {
                format!("签约投资 {} 亿元", fmt::yi(d.signed_this_year.investment))
            },
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
    ]
}

fn recent(d: &Dashboard) -> Vec<Recent> {
    d.recent
        .iter()
        .map(|r| Recent {
            id: r.project_id,
            name: r.project_name.clone(),
            change: format!("{} → {}", r.from.map(|s| s.label()).unwrap_or(""), r.to.map(|s| s.label()).unwrap_or("")),
            date: r.date.to_string(),
            pending: r.pending,
        })
        .collect()
}

fn task_status(code: &str) -> &'static str {
    domain::tasks::TaskStatus::parse(code).map_or("其他", |s| s.label())
}

async fn body(page: &Page<perm::ProjectRead>, kind: Kind, today: chrono::NaiveDate) -> UiResult<String> {
    let s = &page.state;
    let d = page.store().dashboard(today).await?;
    let tree = s.store.unit_tree();
    let claims_note = if d.claims_pending > 0 {
        format!(
            "阶段按市级审核通过的统计；另有 {} 个项目的阶段为单位填报、待审核，未计入各项数字。",
            fmt::count(d.claims_pending)
        )
    } else {
        String::new()
    };
    let top = charts::top_projects_table(&d, &tree);
    let mut tables = vec![];
    let mut list = vec![];
    match kind {
        Kind::Department => {
            let mut t = DataTable::new(
                &[("承办任务", false), ("项目", false), ("办理期限", false), ("状态", false)],
                "本部门暂无承办任务。市商务局分派任务后，任务及其项目显示在这里。",
            );
            t.caption = "本部门承办任务".into();
            for task in page.store().dept_tasks().await? {
                t.row(
                    format!("/projects/{}", task.project_id),
                    vec![
                        task.title,
                        task.project_name,
                        fmt::date_opt(task.due_on),
                        task_status(&task.status).to_string(),
                    ],
                );
            }
            tables.push(t);
            if d.total.count > 0 {
                tables.push(top);
            }
        }
        // no sub-units with projects: a one-bar unit chart says nothing; the largest projects do
        Kind::Leader | Kind::Unit if d.by_unit.len() <= 1 => list = charts::all(&d, &tree, true),
        Kind::Leader => {
            // a leader reads the largest projects first, then the figures
            list = charts::all(&d, &tree, false);
            tables.push(top);
        }
        Kind::Unit | Kind::City => list = charts::all(&d, &tree, false),
    }
    if d.total.count == 0 {
        list.clear(); // no empty charts
    }
    tables.splice(0..0, super::problems::todo(s, &page.actor, today).await?);
    let mut cards = if kind == Kind::Department && d.total.count == 0 { vec![] } else { cards(&d) };
    let leader = (kind == Kind::Leader).then_some(page.user_name.as_str());
    if let Some(sum) = super::warnings::summary(s, &page.actor, leader).await? {
        cards.push(Card {
            label: "预警",
            value: fmt::count((sum.red + sum.yellow) as u64),
            unit: "条",
            note: format!("红色 {} 条，黄色 {} 条", fmt::count(sum.red as u64), fmt::count(sum.yellow as u64)),
            href: "/warnings".into(),
        });
        let mut todo = super::warnings::todo_tables(&sum);
        todo.append(&mut tables);
        tables = todo;
    }
    Ok(DashboardBody {
        cards,
        claims_note,
        charts: list,
        tables,
        recent: recent(&d),
        empty: if kind == Kind::Department { "" } else { "范围内暂无项目。" },
    }
    .render()?)
}
