//! 招商大使/顾问/中介机构 over HTTP: an appointment with its leads; bad input named in
//! Chinese; a paid intermediary paid on a lead project only after the city accepted the
//! agreed stage, once; its unit and the city see it, another unit 403, the phone masked for
//! a leader. SQLite and PostgreSQL (the pages: ui_pages.rs; every role: the access matrix).

mod common;

use reqwest::{Method, StatusCode};
use serde_json::json;

api_test!(an_intermediary_is_paid_on_the_accepted_result_once, |app| {
    let [city, js, eq, lead] = app.logins(["city", "js", "eq", "lead"]).await;
    let today = domain::today_shanghai().to_string();

    // no token: 401; bad input: every field named in Chinese
    assert_eq!(app.post("/api/v1/ambassadors", "", json!({})).await.0, StatusCode::UNAUTHORIZED);
    let bad = json!({"name": "", "kind": "broker", "unit": "jinshui", "appointed_from": "2026-03-01",
                     "appointed_to": "2026-01-01", "phone": "电话", "fee_stage": "reserve", "paid_total": "9"});
    let (st, b) = app.post("/api/v1/ambassadors", &js, bad).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let msg = b["error"]["message"].as_str().unwrap();
    for label in ["姓名/机构名称", "类别", "联系电话", "paid_total"] {
        assert!(msg.contains(label), "{label}: {b}");
    }
    let p = app.project(&js, "金水智能终端产业园", "jinshui", "30000").await;
    let pid = p["id"].as_i64().unwrap();
    let body = |unit: &str| {
        json!({"name": "深圳前海招商服务有限公司", "kind": "intermediary", "contact": "李总", "phone": "13912345678",
               "unit": unit, "appointed_from": "2026-01-01", "appointed_to": "2027-12-31", "paid": true,
               "fee_terms": "引荐项目经市级审核确认开工后，每个项目付费 20 万元", "fee_stage": "started",
               "fee_amount": "20"})
    };
    let with_lead = |unit: &str| {
        let mut b = body(unit);
        b["project_ids"] = json!([pid]);
        b
    };
    assert_eq!(app.post("/api/v1/ambassadors", &eq, with_lead("jinshui")).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.post("/api/v1/ambassadors", &lead, with_lead("jinshui")).await.0, StatusCode::FORBIDDEN);
    let (st, b) = app.post("/api/v1/ambassadors", &city, with_lead("erqi")).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "jinshui's project is no lead of erqi's: {b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("引荐项目"), "{b}");

    let (st, a) = app.post("/api/v1/ambassadors", &js, with_lead("jinshui")).await;
    assert_eq!(st, StatusCode::CREATED, "{a}");
    let id = a["id"].as_i64().unwrap();
    assert_eq!((a["kind_label"].as_str(), a["leads"][0]["payable"].as_bool()), (Some("中介机构"), Some(false)), "{a}");

    // who sees it: its unit and the city; another unit 403; a leader masked
    let (_, mine) = app.get("/api/v1/ambassadors?kind=intermediary&in_office=true", &js).await;
    assert_eq!((mine["total"].as_i64(), mine["items"][0]["phone"].as_str()), (Some(1), Some("139****5678")), "{mine}");
    assert_eq!(app.get("/api/v1/ambassadors", &eq).await.1["total"], 0);
    assert_eq!(app.get(&format!("/api/v1/ambassadors/{id}"), &eq).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/ambassadors/987654", &js).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/v1/ambassadors/{id}"), &lead).await.1["phone_masked"], true);
    let (st, b) = app.get("/api/v1/ambassadors?kind=broker", &js).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");

    // a payout before the city accepted the agreed stage: 409; after: 201, once
    let url = format!("/api/v1/ambassadors/{id}/payouts");
    let pay = json!({"project_id": pid, "amount": "20", "paid_on": today, "note": "开工审核通过"});
    let (st, b) = app.post(&url, &js, pay.clone()).await;
    assert_eq!(st, StatusCode::CONFLICT, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("未达到约定的付费节点"), "{b}");
    let skipped = json!({"signed": "2026-03-01", "approved": "2026-04-01"});
    let (st, b) = app
        .post(
            &format!("/api/v1/projects/{pid}/transitions"),
            &city,
            json!({"to": "started", "date": "2026-05-01", "skipped_dates": skipped}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "the city's own move is accepted: {b}");
    let (st, b) = app.post(&url, &js, json!({"project_id": pid, "amount": "-1", "paid_on": today})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("付费金额"), "{b}");
    assert_eq!(app.post(&url, &eq, pay.clone()).await.0, StatusCode::FORBIDDEN);
    let (st, paid) = app.post(&url, &js, pay.clone()).await;
    assert_eq!(st, StatusCode::CREATED, "{paid}");
    assert_eq!((paid["stage"].as_str(), paid["amount"].as_str()), (Some("started"), Some("20.00")), "{paid}");
    assert_eq!(app.post(&url, &js, pay).await.0, StatusCode::CONFLICT, "once per project");
    let (_, a) = app.get(&format!("/api/v1/ambassadors/{id}"), &city).await;
    assert_eq!(a["paid_total"], "20.00", "{a}");

    // an update needs the version; withdrawing paid terms after a payout: 409
    let one = format!("/api/v1/ambassadors/{id}");
    let put = |v: serde_json::Value| app.call(Method::PUT, &one, Some(&js), Some(v));
    let (st, b) = put(body("jinshui")).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "no version: {b}");
    let mut leads = with_lead("jinshui");
    leads["version"] = a["version"].clone();
    let (st, b) = put(leads).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "leads are added by …/leads: {b}");
    let mut unpaid = body("jinshui");
    unpaid["paid"] = json!(false);
    unpaid["version"] = a["version"].clone();
    assert_eq!(put(unpaid).await.0, StatusCode::CONFLICT);
    let mut renewed = body("jinshui");
    renewed["appointed_to"] = json!("2028-12-31");
    renewed["version"] = a["version"].clone();
    let (st, b) = put(renewed).await;
    assert_eq!((st, b["appointed_to"].as_str()), (StatusCode::OK, Some("2028-12-31")), "{b}");
});
