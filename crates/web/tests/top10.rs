//! 十大重大招商引资项目 and the 五职 leader table over HTTP: the candidates, a good pick, 401,
//! 403, 422 naming the fields in Chinese, 409 once a bulletin of the year is published; the
//! leader table's period and scope. SQLite and PostgreSQL (every role: the access matrix).

mod common;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Twelve projects of 金水区 signed (by the city, so accepted) on `date`.
async fn twelve(app: &common::TestApp, city: &str, date: &str) -> Vec<i64> {
    let mut ids = vec![];
    for i in 0..12 {
        let p = app.project(city, &format!("签约项目{i:02}"), "jinshui", &format!("{}", 1000 + i)).await;
        let id = p["id"].as_i64().unwrap();
        let (st, b) =
            app.post(&format!("/api/v1/projects/{id}/transitions"), city, json!({"to": "signed", "date": date})).await;
        assert_eq!(st, StatusCode::OK, "{b}");
        ids.push(id);
    }
    ids
}

fn picks(ids: &[i64]) -> Value {
    json!({"picks": ids.iter().map(|id| json!({"project_id": id, "citation": format!("理由{id}")})).collect::<Vec<_>>()})
}

api_test!(the_year_s_top_ten_is_picked_by_the_city_and_frozen_by_a_bulletin, |app| {
    let [city, js, eq, dept] = app.logins(["city", "js", "eq", "dept"]).await;
    let ids = twelve(&app, &city, "2026-03-01").await;

    assert_eq!(app.call(Method::GET, "/api/v1/top10/2026", None, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/top10/2026", &dept).await.0, StatusCode::FORBIDDEN);
    let (st, b) = app.get("/api/v1/top10/1900", &city).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["fields"]["year"].is_string(), "{b}");

    let (st, y) = app.get("/api/v1/top10/2026", &city).await;
    assert_eq!(st, StatusCode::OK, "{y}");
    assert_eq!(y["frozen"], false);
    assert_eq!(y["candidates"].as_array().unwrap().len(), 12);
    assert_eq!(y["candidates"][0]["project_id"], ids[11], "largest first: {y}");
    assert_eq!(y["candidates"][0]["stage"], "signed");
    assert_eq!(y["candidates"][0]["total_investment"], "1011.00");
    assert_eq!(y["candidates"][0]["four_ones"]["complete"], false);
    assert_eq!(app.get("/api/v1/top10/2026", &eq).await.1["candidates"].as_array().map(Vec::len), Some(0));

    // 422: the count, a row's citation, a non-object row, unknown keys, named in Chinese
    let url = "/api/v1/top10/2026";
    let (st, b) = app.call(Method::PUT, url, Some(&city), Some(picks(&ids[..9]))).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["fields"]["picks"].as_str().unwrap().contains("恰好选定 10 个"), "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("入选项目"), "{b}");
    let mut bad = picks(&ids[..10]);
    bad["picks"][2]["citation"] = json!("");
    bad["picks"][3] = json!({"project_id": "abc", "citation": "x"});
    bad["picks"][4]["citation"] = json!("字".repeat(501));
    let (st, b) = app.call(Method::PUT, url, Some(&city), Some(bad)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let f = &b["error"]["fields"];
    assert!(f["picks[3].project_id"].as_str().unwrap_or_else(|| panic!("{b}")).contains("第4项"), "{b}");
    assert!(f["picks[4].citation"].as_str().unwrap_or_else(|| panic!("{b}")).contains("500"), "{b}");
    let (st, b) = app.call(Method::PUT, url, Some(&city), Some(json!({"picks": [], "extra": 1}))).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["fields"]["extra"].is_string(), "{b}");
    let (st, b) = app.call(Method::PUT, url, Some(&city), Some(json!({}))).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    // 403: a unit, the leader
    assert_eq!(app.call(Method::PUT, url, Some(&js), Some(picks(&ids[..10]))).await.0, StatusCode::FORBIDDEN);

    // a good pick
    let (st, saved) = app.call(Method::PUT, url, Some(&city), Some(picks(&ids[2..]))).await;
    assert_eq!(st, StatusCode::OK, "{saved}");
    assert_eq!(saved["picks"].as_array().unwrap().len(), 10);
    assert_eq!(saved["picks"][0]["position"], 1);
    assert_eq!(saved["picks"][0]["project_id"], ids[2]);
    let (_, y) = app.get(url, &city).await;
    assert_eq!(y["picks"], saved["picks"]);
    assert_eq!(y["candidates"][0]["picked"]["position"], 10, "{y}");
    let (_, mine) = app.get(url, &js).await;
    assert_eq!(mine["picks"].as_array().map(Vec::len), Some(10), "all ten are 金水区's");

    // a published bulletin of the year freezes it: 409
    use store::testing::fixtures::{empty_run, year_bulletin};
    let run = empty_run(&app.store, "2026年度考核", 2026).await;
    year_bulletin(&app.store, run.id, "郑商通〔2026〕1号", 2026, "published").await;
    let (st, b) = app.call(Method::PUT, url, Some(&city), Some(picks(&ids[..10]))).await;
    assert_eq!(st, StatusCode::CONFLICT, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("冻结"), "{b}");
    assert_eq!(app.get(url, &city).await.1["frozen"], true);
});

api_test!(the_leader_table_over_a_period, |app| {
    let [city, js, dept] = app.logins(["city", "js", "dept"]).await;
    let lid = app.leader(&js, "张伟", "金水区委书记", "jinshui", "unit_chief").await["id"].as_i64().unwrap();
    let p = app.project_with(&city, "金水包联项目", "jinshui", "20000", json!({"lead_leader_id": lid})).await;
    let pid = p["id"].as_i64().unwrap();
    let (st, b) = app
        .post(&format!("/api/v1/projects/{pid}/transitions"), &city, json!({"to": "signed", "date": "2026-03-01"}))
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");

    let url = "/api/v1/assessments/leaders?from=2026-01-01&to=2026-12-31";
    assert_eq!(app.call(Method::GET, url, None, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get(url, &dept).await.0, StatusCode::FORBIDDEN);
    let (st, t) = app.get(url, &city).await;
    assert_eq!(st, StatusCode::OK, "{t}");
    assert_eq!(t["from"], "2026-01-01");
    let row = &t["items"][0];
    assert_eq!(row["leader_id"], lid, "{t}");
    assert_eq!(row["figures"]["signed"], 1, "{t}");
    assert_eq!(row["records"]["signed"][0]["id"], pid, "{t}");
    assert_eq!(row["fulfilment_rate"], "—");
    assert_eq!(app.get(url, &js).await.1["items"].as_array().map(Vec::len), Some(1));
    let (st, b) = app.get("/api/v1/assessments/leaders?from=2026-13-01", &city).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (st, b) = app.get("/api/v1/assessments/leaders?from=2026-12-01&to=2026-01-01", &city).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
});
