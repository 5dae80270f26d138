//! 跟进记录 over HTTP (`POST /api/v1/projects/{id}/progress`): a unit records what happened on
//! its project; it shows on the timeline and as the project's latest 项目进展情况, is audited,
//! and clears 长期无进展 (domain.md §7). Bad input is named; other units are refused.
//! SQLite and PostgreSQL.

mod common;

use reqwest::StatusCode;
use serde_json::json;

api_test!(a_unit_records_a_follow_up_on_its_own_project, |app| {
    let [city, js, eq, lead] = app.logins(["city", "js", "eq", "lead"]).await;
    let p = app.project(&city, "跟进项目", "jinshui", "3000").await;
    let id = p["id"].as_i64().unwrap();
    let url = format!("/api/v1/projects/{id}/progress");

    let (st, b) = app.post(&url, &js, json!({"progress": "  企业来郑考察，双方就用地规模达成一致。 "})).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    assert_eq!(b["progress"], "企业来郑考察，双方就用地规模达成一致。");
    assert_eq!(b["date"], domain::today_shanghai().to_string());
    let (_, project) = app.get(&format!("/api/v1/projects/{id}"), &js).await;
    assert_eq!(project["progress"], "企业来郑考察，双方就用地规模达成一致。");
    assert_eq!(project["version"], b["version"]);

    // a dated one, earlier; it is on the timeline, in date order
    let (st, b) = app.post(&url, &city, json!({"progress": "首次对接", "date": "2026-01-05"})).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let (_, tl) = app.get(&format!("/api/v1/projects/{id}/timeline"), &js).await;
    let notes: Vec<&str> = tl["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "progress")
        .filter_map(|e| e["note"].as_str())
        .collect();
    assert_eq!(notes, ["首次对接", "企业来郑考察，双方就用地规模达成一致。"], "{tl}");

    // bad input: named in Chinese, nothing written
    let (st, b) = app.post(&url, &js, json!({"progress": "   "})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("项目进展情况"), "{b}");
    let (st, b) = app.post(&url, &js, json!({"progress": "x", "date": "2999-01-01"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("日期"), "{b}");
    let (st, b) = app.post(&url, &js, json!({"progress": "x".repeat(2001)})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (st, b) = app.post(&url, &js, json!({"progress": "首次对接", "version": 3})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    // the same text as the latest records nothing
    let (st, b) = app.post(&url, &js, json!({"progress": "首次对接"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("与最近一次进展相同"), "{b}");

    // another unit, and a leader who only reads: refused
    let (st, _) = app.post(&url, &eq, json!({"progress": "越权"})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.post(&url, &lead, json!({"progress": "越权"})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.post("/api/v1/projects/987654/progress", &city, json!({"progress": "无此项目"})).await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // two records, both audited as project.progress; the refused ones wrote nothing
    let aud = app.login("aud").await;
    let (_, log) = app.get("/api/v1/audit?per_page=500", &aud).await;
    let n = log["items"].as_array().unwrap().iter().filter(|r| r["action"] == "project.progress").count();
    assert_eq!(n, 2, "{log}");
});
