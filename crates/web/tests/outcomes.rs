//! 运行监测 over HTTP (`GET /api/v1/projects/{id}/outcomes`, `PUT …/outcomes/{year}`): a
//! project the city accepted as 投产 records each year's output, tax and jobs beside the
//! expected values; the page shows them with their 达成率 and records a year through its form.
//! Bad input is named in Chinese; other units are refused; every write is audited.
//! SQLite and PostgreSQL.

mod common;

use chrono::Datelike;
use reqwest::{Method, StatusCode};
use serde_json::json;

api_test!(a_producing_project_records_its_years, |app| {
    let [city, js, eq, lead] = app.logins(["city", "js", "eq", "lead"]).await;
    let p = app.project(&city, "运行监测项目", "jinshui", "30000").await;
    let id = p["id"].as_i64().unwrap();
    let (st, b) = app
        .patch(
            &format!("/api/v1/projects/{id}"),
            &city,
            json!({"expected_output": "20000", "expected_jobs": 200, "version": p["version"]}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let this_year = domain::today_shanghai().year();
    let last_year = this_year - 1;
    let put = |year: i32| format!("/api/v1/projects/{id}/outcomes/{year}");
    let body = json!({"output": "15001", "jobs": 250, "note": "一期投产"});

    // before 投产: 409, and the list says it does not record yet
    let (st, b) = app.call(Method::PUT, &put(this_year), Some(&js), Some(body.clone())).await;
    assert_eq!(st, StatusCode::CONFLICT, "{b}");
    let (_, list) = app.get(&format!("/api/v1/projects/{id}/outcomes"), &js).await;
    assert_eq!(list["records_outcomes"], false, "{list}");

    // the city moves it to 投产 (its own move is final)
    let d = format!("{last_year}-03-01");
    app.to_producing(&city, id, &d).await;

    let (st, y) = app.call(Method::PUT, &put(last_year), Some(&js), Some(body.clone())).await;
    assert_eq!(st, StatusCode::OK, "{y}");
    assert_eq!(
        (y["year"].as_i64(), y["output"].as_str(), y["jobs"].as_i64()),
        (Some(i64::from(last_year)), Some("15001.00"), Some(250))
    );
    assert_eq!(y["output_rate"], "0.7501", "half-up: {y}");
    assert_eq!(y["jobs_rate"], "1.2500");
    assert!(y["tax_rate"].is_null());

    // bad input: each field named in Chinese, nothing written
    let (st, b) = app.call(Method::PUT, &put(this_year), Some(&js), Some(json!({"output": -1, "jobs": "很多"}))).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let msg = b["error"]["message"].as_str().unwrap();
    assert!(msg.contains("实际产值") && msg.contains("实际就业"), "{b}");
    let (st, b) = app.call(Method::PUT, &put(this_year), Some(&js), Some(json!({"output": 1.5}))).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (st, b) = app.call(Method::PUT, &put(this_year), Some(&js), Some(json!({"note": "只有备注"}))).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (st, b) = app.call(Method::PUT, &put(last_year - 1), Some(&js), Some(body.clone())).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("年度"), "{b}");
    let (st, b) = app.call(Method::PUT, &put(this_year), Some(&js), Some(json!({"output": "1", "year": 2020}))).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "a protected field is refused: {b}");
    let (st, _) =
        app.call(Method::PUT, &format!("/api/v1/projects/{id}/outcomes/next"), Some(&js), Some(body.clone())).await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // a second write of the year needs its version: missing or stale → 409
    let (st, _) = app.call(Method::PUT, &put(last_year), Some(&js), Some(body.clone())).await;
    assert_eq!(st, StatusCode::CONFLICT);
    let fix = json!({"output": "16000", "jobs": 260, "version": y["version"]});
    let (st, y2) = app.call(Method::PUT, &put(last_year), Some(&js), Some(fix.clone())).await;
    assert_eq!(st, StatusCode::OK, "{y2}");
    assert_eq!(y2["output_rate"], "0.8000");
    let (st, _) = app.call(Method::PUT, &put(last_year), Some(&js), Some(fix)).await;
    assert_eq!(st, StatusCode::CONFLICT);

    // another unit and a leader: refused; nobody outside sees it
    let (st, _) = app.call(Method::PUT, &put(this_year), Some(&eq), Some(body.clone())).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.get(&format!("/api/v1/projects/{id}/outcomes"), &eq).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.call(Method::PUT, &put(this_year), Some(&lead), Some(body.clone())).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, list) = app.get(&format!("/api/v1/projects/{id}/outcomes"), &city).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(list["records_outcomes"], true);
    assert_eq!(list["expected_output"], "20000.00");
    assert_eq!(list["years"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list["years"][0]["output"], "16000.00");

    // two writes, two audit records
    let aud = app.login("aud").await;
    let (_, log) = app.get("/api/v1/audit?per_page=500", &aud).await;
    let n = log["items"].as_array().unwrap().iter().filter(|r| r["action"] == "outcome.record").count();
    assert_eq!(n, 2, "{log}");
});
