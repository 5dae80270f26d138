//! 五职领导 (`/assessment/leaders?from=&to=`): the leader table over a period; each number
//! links to `?…&leader=ID&figure=signed`, which lists that figure's records below the table.

use askama::Template;
use axum::response::Response;
use chrono::NaiveDate;
use domain::assessment::leaders::Figure;
use store::assessment::leaders::{LeaderClause, LeaderProject, LeaderRow, LeaderVisit};

use super::super::{Chrome, Page, UiResult, render};
use crate::auth::perm;
use crate::input::QueryMap;

/// One cell: the text and its drill-down link.
pub struct Cell {
    pub text: String,
    pub href: String,
}

pub struct Line {
    pub leader_id: i64,
    pub name: String,
    pub position: String,
    pub unit_name: String,
    pub level: &'static str,
    pub cells: Vec<Cell>,
}

/// The records of one figure of one leader.
pub struct Drill {
    pub title: String,
    pub figure: Figure,
    pub projects: Vec<LeaderProject>,
    pub clauses: Vec<LeaderClause>,
    pub visits: Vec<LeaderVisit>,
}

#[derive(Template)]
#[template(path = "top10/leaders.html")]
struct LeadersPage {
    chrome: Chrome,
    from: String,
    to: String,
    heads: Vec<&'static str>,
    lines: Vec<Line>,
    drill: Option<Drill>,
    error: String,
}

impl LeadersPage {
    fn status_of(&self, code: &str) -> &'static str {
        domain::ClauseStatus::parse(code).map_or("", |s| s.label())
    }
}

fn level_label(code: &str) -> &'static str {
    domain::leader::LeaderLevel::parse(code).map_or("", |l| l.label())
}

fn line(r: &LeaderRow, from: NaiveDate, to: NaiveDate) -> Line {
    let cells = Figure::ALL
        .iter()
        .map(|f| Cell {
            text: if *f == Figure::Fulfilment {
                if r.figures.clauses_due == 0 {
                    "—".into()
                } else {
                    format!("{}（{}/{}）", r.fulfilment_rate, r.figures.clauses_met, r.figures.clauses_due)
                }
            } else {
                r.figures.count(*f).to_string()
            },
            href: format!("/assessment/leaders?from={from}&to={to}&leader={}&figure={}#drill", r.leader_id, f.code()),
        })
        .collect();
    Line {
        leader_id: r.leader_id,
        name: r.name.clone(),
        position: r.position.clone(),
        unit_name: r.unit_name.clone(),
        level: level_label(&r.level),
        cells,
    }
}

/// `GET /assessment/leaders?from=&to=[&leader=&figure=]` (default: this year).
pub async fn page(page: Page<perm::AssessmentRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let get = |k: &str| q.get(k).map_or("", |v| v.trim());
    let (mut from, mut to) = crate::ui::widgets::period_of(&q);
    let mut error = String::new();
    if to < from {
        error = "截止日期不能早于起始日期，已显示本年度。".into();
        (from, to) = crate::input::this_year();
    }
    let table = page.store().leader_table(from, to).await?;
    let leader: Option<i64> = get("leader").parse().ok();
    let drill = match (leader, Figure::parse(get("figure"))) {
        (Some(id), Some(figure)) => table.items.iter().find(|r| r.leader_id == id).map(|r| Drill {
            title: format!("{}（{}）· {}", r.name, r.position, figure.label()),
            figure,
            projects: r.records.projects(figure).to_vec(),
            clauses: if figure == Figure::Fulfilment { r.records.fulfilment.clone() } else { vec![] },
            visits: if figure == Figure::Visits { r.records.visits.clone() } else { vec![] },
        }),
        _ => None,
    };
    let p = LeadersPage {
        chrome: page.chrome("/assessment/leaders"),
        from: from.to_string(),
        to: to.to_string(),
        heads: Figure::ALL.iter().map(|f| f.label()).collect(),
        lines: table.items.iter().map(|r| line(r, from, to)).collect(),
        drill,
        error,
    };
    render(&p)
}
