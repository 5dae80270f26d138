//! The 工作台's charts: each one's data for app.js (ECharts) and the same figures as a table
//! with its own headings, for readers without JavaScript or a screen.
//!
//! Money is drawn in 亿元 (the chart's title and axis say so); the tables keep exact 万元.

use domain::{Money, Stage};
use serde_json::json;
use store::dashboard::{Dashboard, Tally};
use store::units::UnitTree;

use crate::ui::fmt;
use crate::ui::project::{industry_name, region_name};
use crate::ui::widgets::DataTable;

/// One chart and its table.
#[derive(Debug, Clone)]
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    /// What the reader should know about how it is counted (shown under the title).
    pub note: &'static str,
    pub data: String,
    pub table: DataTable,
}

/// What a chart draws: labels, values (decimal strings, exact until drawn), links, unit.
struct Series {
    labels: Vec<String>,
    values: Vec<String>,
    links: Vec<String>,
}

fn chart(
    id: &'static str,
    title: String,
    note: &'static str,
    kind: &str,
    unit: &str,
    s: Series,
    table: DataTable,
) -> Chart {
    let data = json!({ "type": kind, "labels": s.labels, "values": s.values, "links": s.links, "unit": unit });
    Chart { id, title, note, data: data.to_string(), table }
}

/// 万元 → 亿元 as the plain decimal a chart draws (`123456.78` → `12.35`).
fn yi_value(m: Money) -> String {
    fmt::yi(m).replace(',', "")
}

/// A split of projects by group: the chart draws each group's investment in 亿元, the table
/// lists its project count and exact investment; each links to the filtered ledger.
fn split(id: &'static str, title: &str, kind: &str, group: &str, groups: &[(String, String, Tally)]) -> Chart {
    let mut table = DataTable::new(&[(group, false), ("项目数（个）", true), ("总投资（万元）", true)], "暂无数据");
    let mut s = Series { labels: vec![], values: vec![], links: vec![] };
    for (label, href, t) in groups {
        table.row(href.clone(), vec![label.clone(), fmt::count(t.count), fmt::money(t.investment)]);
        s.labels.push(label.clone());
        s.values.push(yi_value(t.investment));
        s.links.push(href.clone());
    }
    chart(id, format!("{title}（总投资，亿元）"), "不含终止项目", kind, "亿元", s, table)
}

fn funnel(d: &Dashboard) -> Chart {
    // how many live projects have reached each stage (are at it or beyond), so the shape narrows
    // as projects progress; the table gives both that and where each project is now
    let active: Vec<(Stage, &Tally)> =
        d.by_stage.iter().filter(|(st, _)| st.is_active()).map(|(s, t)| (*s, t)).collect();
    let mut table = DataTable::new(
        &[("阶段", false), ("累计到达（个）", true), ("当前处于（个）", true), ("当前总投资（万元）", true)],
        "暂无数据",
    );
    let mut s = Series { labels: vec![], values: vec![], links: vec![] };
    for (i, (st, t)) in active.iter().enumerate() {
        let reached: u64 = active[i..].iter().map(|(_, t)| t.count).sum();
        let href = format!("/projects?stage={}", st.code());
        table.row(
            href.clone(),
            vec![st.label().into(), fmt::count(reached), fmt::count(t.count), fmt::money(t.investment)],
        );
        s.labels.push(st.label().into());
        s.values.push(reached.to_string());
        s.links.push(href);
    }
    for (st, t) in d.by_stage.iter().filter(|(st, _)| !st.is_active()) {
        table.row(
            format!("/projects?stage={}", st.code()),
            vec![st.label().into(), "—".into(), fmt::count(t.count), fmt::money(t.investment)],
        );
    }
    chart(
        "funnel",
        "项目阶段漏斗（累计到达该阶段的项目数，个）".into(),
        "漏斗按累计到达计：已开工的项目也计入已签约；表中另列当前所处阶段。阶段以市级审核通过的为准。",
        "funnel",
        "个",
        s,
        table,
    )
}

fn trend(d: &Dashboard) -> Chart {
    let mut table = DataTable::new(
        &[("月份", false), ("省外资金到位（万元）", true), ("实际利用外资（万美元）", true)],
        "暂无数据",
    );
    let mut s = Series { labels: vec![], values: vec![], links: vec![] };
    for (month, f) in &d.funds_by_month {
        // the started projects are where funds arrive; the ledger has no month filter
        let href = "/projects?stage=started".to_string();
        table.row(href.clone(), vec![month.clone(), fmt::money(f.domestic), fmt::money(f.foreign)]);
        s.labels.push(month.clone());
        s.values.push(yi_value(f.domestic));
        s.links.push(href);
    }
    chart("trend", "近24个月省外资金到位（亿元）".into(), "只计已审核的到位资金", "line", "亿元", s, table)
}

/// The ten largest projects in scope as a table (the leader's list; a department's projects).
pub fn top_projects_table(d: &Dashboard, tree: &UnitTree) -> DataTable {
    let mut t = DataTable::new(
        &[("项目", false), ("责任单位", false), ("阶段", false), ("总投资（万元）", true)],
        "范围内暂无项目",
    );
    t.caption = "投资额前十的项目".into();
    for p in &d.top_projects {
        let unit = tree.get(p.unit_id).map(|u| u.name.clone()).unwrap_or_default();
        t.row(
            format!("/projects/{}", p.id),
            vec![p.name.clone(), unit, p.stage.label().into(), fmt::money(p.investment)],
        );
    }
    t
}

/// The ten largest projects as a bar chart (a unit without sub-units).
fn top_projects(d: &Dashboard, tree: &UnitTree) -> Chart {
    let table = top_projects_table(d, tree);
    let s = Series {
        labels: d.top_projects.iter().map(|p| p.name.clone()).collect(),
        values: d.top_projects.iter().map(|p| yi_value(p.investment)).collect(),
        links: d.top_projects.iter().map(|p| format!("/projects/{}", p.id)).collect(),
    };
    chart("units", "投资额前十的项目（总投资，亿元）".into(), "不含终止项目", "hbar", "亿元", s, table)
}

/// Every chart of a 工作台; `projects_not_units` puts the largest projects where the unit chart
/// would have one bar.
pub fn all(d: &Dashboard, tree: &UnitTree, projects_not_units: bool) -> Vec<Chart> {
    let by_unit = if projects_not_units {
        top_projects(d, tree)
    } else {
        let groups: Vec<(String, String, Tally)> = d
            .by_unit
            .iter()
            .take(20)
            .filter_map(|(id, t)| {
                let u = tree.get(*id)?;
                Some((u.name.clone(), format!("/projects?unit={}", u.code), t.clone()))
            })
            .collect();
        split("units", "各单位项目", "bar", "单位", &groups)
    };
    let named = |groups: &[(String, Tally)], param: &str, name: fn(&str) -> String| -> Vec<(String, String, Tally)> {
        groups
            .iter()
            .map(|(code, t)| (name(code), format!("/projects?{param}={}", crate::input::encode(code)), t.clone()))
            .collect()
    };
    vec![
        funnel(d),
        by_unit,
        split("industries", "产业链分布", "pie", "产业链", &named(&d.by_industry, "industry", industry_name)),
        split("regions", "投资来源地", "hbar", "来源地", &named(&d.by_region, "region", region_name)),
        trend(d),
    ]
}
