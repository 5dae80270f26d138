//! 投资咨询 over HTTP: an inquiry is taken down for a unit, due in 2 working days, answered
//! once; bad input is named in Chinese; its unit and the city see it, another unit gets 403,
//! the phone is masked for a leader. SQLite and PostgreSQL (the pages: ui_pages.rs). (Every role in and out of scope: the access matrix.)

mod common;

use reqwest::StatusCode;
use serde_json::json;

api_test!(an_inquiry_is_taken_down_answered_once_and_scoped, |app| {
    let [city, js, eq, lead] = app.logins(["city", "js", "eq", "lead"]).await;
    let today = domain::today_shanghai();
    let tomorrow = (today + chrono::Duration::days(1)).to_string();

    // no token: 401; bad input: every field named in Chinese, and nothing written
    let (st, _) = app.post("/api/v1/inquiries", "", json!({})).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let bad = json!({"company_name": "", "contact": "x".repeat(65), "phone": "电话", "interest": "用地",
                     "industry": "no.such", "unit": "jinshui", "received_at": tomorrow, "respond_by": "2030-01-01"});
    let (st, b) = app.post("/api/v1/inquiries", &js, bad).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let msg = b["error"]["message"].as_str().unwrap();
    for label in ["咨询企业", "联系人", "联系电话", "意向产业", "受理日期", "respond_by"] {
        assert!(msg.contains(label), "{label}: {b}");
    }
    let body = |unit: &str| {
        json!({"company_name": "郑州宇通集团有限公司", "contact": "李主任", "phone": "0371-66668888",
               "interest": "咨询新能源客车零部件项目的用地指标和设备补贴政策", "industry": "automotive.parts",
               "region": "郑东新区", "unit": unit, "received_at": today.to_string()})
    };
    let (st, _) = app.post("/api/v1/inquiries", &js, body("erqi")).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "another unit's");
    let (st, _) = app.post("/api/v1/inquiries", &lead, body("jinshui")).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "a leader reads, does not take down");
    let (_, none) = app.get("/api/v1/inquiries", &city).await;
    assert_eq!(none["total"], 0, "{none}");

    let (st, i) = app.post("/api/v1/inquiries", &city, body("jinshui")).await;
    assert_eq!(st, StatusCode::CREATED, "{i}");
    let id = i["id"].as_i64().unwrap();
    assert_eq!(i["respond_by"], domain::add_working_days(today, 2).unwrap().to_string());
    assert_eq!(i["state"], "waiting");

    // who sees it: its unit and the city; another unit 403, unknown 404; a leader masked
    let (_, mine) = app.get("/api/v1/inquiries?state=waiting", &js).await;
    assert_eq!(mine["total"], 1, "{mine}");
    assert_eq!(mine["items"][0]["phone"], "037****8888", "masked in a list: {mine}");
    let (_, others) = app.get("/api/v1/inquiries", &eq).await;
    assert_eq!(others["total"], 0, "{others}");
    assert_eq!(app.get(&format!("/api/v1/inquiries/{id}"), &eq).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/inquiries/987654", &js).await.0, StatusCode::NOT_FOUND);
    let (_, own) = app.get(&format!("/api/v1/inquiries/{id}"), &js).await;
    assert_eq!((own["phone"].as_str(), own["phone_masked"].as_bool()), (Some("0371-66668888"), Some(false)), "{own}");
    let (_, masked) = app.get(&format!("/api/v1/inquiries/{id}"), &lead).await;
    assert_eq!(masked["phone_masked"], true, "{masked}");
    let (st, b) = app.get("/api/v1/inquiries?state=later", &js).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");

    // the answer: blank named, another unit 403; once, then 409
    let url = format!("/api/v1/inquiries/{id}/answer");
    let (st, b) = app.post(&url, &js, json!({"answer": " ", "version": own["version"]})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("答复内容"), "{b}");
    assert_eq!(app.post(&url, &eq, json!({"answer": "x", "version": 1})).await.0, StatusCode::FORBIDDEN);
    let (st, a) =
        app.post(&url, &js, json!({"answer": "已电话答复，邀请下周来区考察", "version": own["version"]})).await;
    assert_eq!(st, StatusCode::OK, "{a}");
    assert_eq!((a["state"].as_str(), a["answered_by"].as_str()), (Some("answered"), Some("js")), "{a}");
    let (st, _) = app.post(&url, &js, json!({"answer": "再答", "version": a["version"]})).await;
    assert_eq!(st, StatusCode::CONFLICT);
});
