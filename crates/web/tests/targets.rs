//! 靶向项目库 over HTTP: a unit adds a target, logs follow-ups, converts it into a project
//! once; bad input is named in Chinese; the city sees which units court the same company.
//! SQLite and PostgreSQL. (Every role in and out of scope: the access matrix.)

mod common;

use reqwest::StatusCode;
use serde_json::json;

api_test!(a_target_is_followed_up_and_converted_once, |app| {
    let [city, js, eq] = app.logins(["city", "js", "eq"]).await;
    let (st, c) = app.post("/api/v1/companies", &city, json!({"name": "宁德时代新能源科技股份有限公司"})).await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    let company = c["id"].clone();

    // bad input: every field named in Chinese
    let bad = json!({"company_id": "甲", "unit": "jinshui", "industry": "no.such", "signals": "x".repeat(2001), "status": "converted"});
    let (st, b) = app.post("/api/v1/targets", &js, bad).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let msg = b["error"]["message"].as_str().unwrap();
    for label in ["目标企业", "产业链", "扩张信号", "跟踪状态"] {
        assert!(msg.contains(label), "{label}: {b}");
    }
    let body =
        json!({"company_id": company, "unit": "jinshui", "industry": "新能源", "signals": "宣布在华中新建电池基地"});
    let (st, b) = app.post("/api/v1/targets", &js, body.clone()).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "an industry is a code or a name of the table: {b}");
    let body = json!({"company_id": company, "unit": "jinshui", "industry": "electronics", "signals": "宣布在华中新建电池基地"});
    let (st, t) = app.post("/api/v1/targets", &js, body.clone()).await;
    assert_eq!(st, StatusCode::CREATED, "{t}");
    let id = t["id"].as_i64().unwrap();
    let (st, _) = app.post("/api/v1/targets", &js, body).await;
    assert_eq!(st, StatusCode::CONFLICT, "the unit courts this company already");
    let body = json!({"company_id": company, "unit": "erqi", "industry": "electronics"});
    let (st, _) = app.post("/api/v1/targets", &eq, body).await;
    assert_eq!(st, StatusCode::CREATED);
    let (_, shared) = app.get("/api/v1/targets/shared", &city).await;
    assert_eq!(shared["items"][0]["targets"].as_array().map(Vec::len), Some(2), "{shared}");

    // follow-ups: a bad channel and a future date named; a good one logged
    let url = format!("/api/v1/targets/{id}/follow_ups");
    let (st, b) = app.post(&url, &js, json!({"date": "2999-01-01", "channel": "fax", "summary": "x"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("跟进方式"), "{b}");
    let today = domain::today_shanghai().to_string();
    let (st, b) =
        app.post(&url, &js, json!({"date": today, "channel": "visit", "summary": "拜访企业总部，对接用地需求"})).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let (_, log) = app.get(&url, &js).await;
    assert_eq!(log["total"], 1);
    let (_, t) = app.get(&format!("/api/v1/targets/{id}"), &js).await;
    assert_eq!(t["status"], "contacted", "a first contact: {t}");

    // 已放弃 without its reason is named
    let (st, b) = app
        .post(&format!("/api/v1/targets/{id}/status"), &js, json!({"status": "dropped", "version": t["version"]}))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("放弃原因"), "{b}");

    // convert: one reserve project, then 409
    let conv = json!({"name": "宁德时代郑州电池基地项目", "region": "yangtze", "total_investment": "1200000", "version": t["version"]});
    let (st, b) = app.post(&format!("/api/v1/targets/{id}/convert"), &js, conv.clone()).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    assert_eq!((b["project"]["stage"].as_str(), b["project"]["unit"].as_str()), (Some("reserve"), Some("jinshui")));
    assert_eq!(b["target"]["project_id"], b["project"]["id"]);
    assert_eq!(b["project"]["investors"][0]["id"], company);
    let (st, again) = app.post(&format!("/api/v1/targets/{id}/convert"), &js, conv).await;
    assert_eq!(st, StatusCode::CONFLICT, "{again}");
    let (_, list) = app.get("/api/v1/projects", &city).await;
    assert_eq!(list["total"], 1, "exactly one project: {list}");
});
