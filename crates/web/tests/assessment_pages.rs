//! The 考核评价 pages as a browser uses them (cookie login, CSRF): the editor's 校验 lists
//! every problem (422) or the indicators, 运行考核 stores a run and leads to its ranking,
//! a number's records below it; a unit user reads a run only once a published bulletin
//! holds it, and only its own numbers link to records; 评分录入 refuses a bad entry naming
//! the field. SQLite and PostgreSQL.

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::{Browser, csrf_in};
use reqwest::StatusCode;
use serde_json::json;

api_test!(the_city_checks_runs_and_drills_down_on_the_pages, |app| {
    let b = Browser::login(&app, "city").await;
    let (st, _, html) = b.get("/assessment").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("[[indicator]]") && html.contains("运行考核"), "the editor holds the annual scheme");
    let token = csrf_in(&html);
    let bad = domain::assessment::defaults::ANNUAL.replace("weight = 20\ncap = 1.2", "weight = 0\ncap = 1.2");
    let (st, _, html) = b.post("/assessment/check", &[("_csrf", &token), ("toml", &bad)]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("funds_domestic") && html.contains("权重"), "the problem names the indicator");
    let (st, _, html) =
        b.post("/assessment/check", &[("_csrf", &token), ("toml", domain::assessment::defaults::ANNUAL)]).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("校验通过") && html.contains("考核单位 <strong>16</strong>"), "{html}");
    // a unit user may not run (403), the city runs and lands on the ranking
    let (st, h, _) =
        b.post("/assessment/run", &[("_csrf", &token), ("toml", domain::assessment::defaults::ANNUAL)]).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let to = h["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/assessment/runs/"), "{to}");
    let (st, _, html) = b.get(&format!("{to}?unit=jinshui&indicator=funds_domestic")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        html.contains("金水区 · 实际到位省外资金：计入记录 0 条") && html.contains("该项没有计入任何记录"),
        "{html}"
    );
    assert!(html.matches("<tr").count() >= 16, "a row a unit");

    let js = Browser::login(&app, "js").await;
    let (st, _, html) = js.get("/assessment").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("以市里发布的<strong>通报</strong>为准") && !html.contains("运行考核"), "{html}");
    let (st, _, _) = js.get(&to).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "unpublished");
    let (st, _, _) = js.post("/assessment/run", &[("_csrf", &csrf_in(&html)), ("toml", "x")]).await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // published in a bulletin: the unit reads the run, and opens only its own numbers
    let city = app.login("city").await;
    let run_id: i64 = to.trim_start_matches("/assessment/runs/").parse().unwrap();
    let body = json!({"run_id": run_id, "number": "郑商通〔2026〕3号", "title": "页面测试通报", "date": "2026-01-05"});
    let (st, d) = app.post("/api/v1/bulletins", &city, body).await;
    assert_eq!(st, StatusCode::CREATED, "{d}");
    let (st, p) = app.post(&format!("/api/v1/bulletins/{}/publish", d["id"]), &city, json!({})).await;
    assert_eq!(st, StatusCode::OK, "{p}");
    let (st, _, html) = js.get(&to).await;
    assert_eq!(st, StatusCode::OK);
    let links: Vec<&str> = html.split("href=\"").skip(1).filter(|h| h.contains("indicator=")).collect();
    assert!(!links.is_empty() && links.iter().all(|h| h.contains("unit=jinshui")), "own links only: {links:?}");
    let (st, _, _) = js.get(&format!("{to}?unit=erqi&indicator=funds_domestic")).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, html) = b.get(&format!("/bulletins/{}", d["id"])).await;
    assert!(st == StatusCode::OK && html.contains(&format!("href=\"{to}\"")), "the bulletin links its run");
});

api_test!(the_inputs_page_refuses_a_bad_entry_naming_the_field, |app| {
    let b = Browser::login(&app, "city").await;
    let (st, _, html) = b.get("/assessment/inputs?from=2026-01-01&to=2026-12-31").await;
    assert_eq!(st, StatusCode::OK);
    let token = csrf_in(&html);
    let form = [
        ("_csrf", token.as_str()),
        ("from", "2026-01-01"),
        ("to", "2026-12-31"),
        ("unit", "jinshui"),
        ("measure", "satisfaction"),
        ("value", "很好"),
        ("source", ""),
    ];
    let (st, _, html) = b.post("/assessment/inputs/manual", &form).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("应为数值"), "{html}");
    let mut good = form;
    good[5] = ("value", "0.88");
    good[6] = ("source", "2026年度问卷");
    let (st, h, _) = b.post("/assessment/inputs/manual", &good).await;
    assert_eq!(
        (st, h["location"].to_str().unwrap()),
        (StatusCode::SEE_OTHER, "/assessment/inputs?from=2026-01-01&to=2026-12-31&done=1")
    );
    let (_, _, html) = b.get("/assessment/inputs?from=2026-01-01&to=2026-12-31").await;
    assert!(html.contains("0.88") && html.contains("2026年度问卷"), "{html}");
    // a unit user has no 评分录入
    let js = Browser::login(&app, "js").await;
    let (st, _, _) = js.get("/assessment/inputs").await;
    assert_eq!(st, StatusCode::FORBIDDEN);
});
