//! 通报 over HTTP: drafting (401/403/422), publishing (409 the second time), drafts hidden
//! from units (404), the hash after a data change with the recomputation's differences, the
//! workbook, and the pages (list, detail, the standalone print page). SQLite and PostgreSQL.

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::Browser;
use domain::Role;
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::json;
use store::Store;
use store::assessment::SchemeSource;
use store::testing::fixtures::{accepted_funds, actor, funded, test_scheme};

/// A jinshui project with an accepted entry, and a stored run of the test scheme.
async fn stored_run(store: &Store) -> (i64, i64) {
    let js = actor(store, Role::UnitStaff, "jinshui");
    let city = actor(store, Role::CityAdmin, "shangwu");
    let (project_id, _) = funded(store, &js, &city, "金水项目", "2025-06-01", "800").await;
    let scheme = SchemeSource::Text(test_scheme(["jinshui", "erqi"], false));
    (store.scoped(&city).store_run(scheme, None).await.unwrap().id, project_id)
}

api_test!(a_bulletin_is_drafted_published_once_and_verified_after_the_data_changes, |app| {
    let (run_id, project_id) = stored_run(&app.store).await;
    let [city, js, lead, dept] = app.logins(["city", "js", "lead", "dept"]).await;
    let body = json!({"run_id": run_id, "number": "郑商通[2026]1号", "title": "关于2025年度招商引资工作考核结果的通报", "date": "2026-01-10"});

    let (st, _) = app.call(reqwest::Method::POST, "/api/v1/bulletins", None, Some(body.clone())).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    for who in [&js, &lead, &dept] {
        assert_eq!(app.post("/api/v1/bulletins", who, body.clone()).await.0, StatusCode::FORBIDDEN);
    }
    let (st, b) = app
        .post(
            "/api/v1/bulletins",
            &city,
            json!({"run_id": run_id + 100, "number": "十二号", "title": "", "date": "2026-13-01", "sha256": "x"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    for f in ["title", "date", "sha256"] {
        assert!(b["error"]["fields"][f].is_string(), "{f}: {b}");
    }
    let (st, b) = app
        .post(
            "/api/v1/bulletins",
            &city,
            json!({"run_id": run_id + 100, "number": "十二号", "title": "t", "date": "2026-01-10"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["fields"]["run_id"].is_string() && b["error"]["fields"]["number"].is_string(), "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("文号"), "{b}");

    let (st, draft) = app.post("/api/v1/bulletins", &city, body.clone()).await;
    assert_eq!(st, StatusCode::CREATED, "{draft}");
    assert_eq!((draft["number"].as_str(), draft["state"].as_str()), (Some("郑商通〔2026〕1号"), Some("draft")));
    let id = draft["id"].as_i64().unwrap();
    let (st, b) = app.post("/api/v1/bulletins", &city, body.clone()).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b["error"]["fields"]["number"].as_str().unwrap().contains("文号已被使用"), "{b}");

    // a draft: the city sees it, nobody else
    assert_eq!(app.get(&format!("/api/v1/bulletins/{id}"), &js).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/bulletins", &js).await.1["total"], 0);
    assert_eq!(app.get("/api/v1/bulletins", &city).await.1["total"], 1);
    assert_eq!(app.get(&format!("/api/v1/bulletins/{id}/verify"), &city).await.0, StatusCode::CONFLICT);
    assert_eq!(app.get(&format!("/api/v1/bulletins/{id}/export.xlsx"), &city).await.0, StatusCode::CONFLICT);

    // publish: the city only, once
    assert_eq!(app.post(&format!("/api/v1/bulletins/{id}/publish"), &js, json!({})).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.post("/api/v1/bulletins/999999/publish", &city, json!({})).await.0, StatusCode::NOT_FOUND);
    let (st, p) = app.post(&format!("/api/v1/bulletins/{id}/publish"), &city, json!({})).await;
    assert_eq!(st, StatusCode::OK, "{p}");
    let sha = p["sha256"].as_str().unwrap().to_string();
    assert_eq!(sha.len(), 64);
    assert!(p["published_at"].is_string() && p["number"] == "郑商通〔2026〕1号", "{p}");
    assert_eq!(app.post(&format!("/api/v1/bulletins/{id}/publish"), &city, json!({})).await.0, StatusCode::CONFLICT);

    // the unit reads the frozen content
    let (st, b) = app.get(&format!("/api/v1/bulletins/{id}"), &js).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(b["sha256"], sha.as_str());
    assert_eq!(b["content"]["red_list"][0]["unit"]["code"], "jinshui");
    let html = b["content_html"].as_str().unwrap().to_string();
    assert!(html.contains("郑州市商务局") && html.contains("郑商通〔2026〕1号"), "{html}");

    // the data changes: the hash still verifies, the recomputation shows the change
    let (st, v) = app.get(&format!("/api/v1/bulletins/{id}/verify"), &js).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!((v["ok"].as_bool(), v["differences"].as_array().map(Vec::len)), (Some(true), Some(0)), "{v}");
    let unit = actor(&app.store, Role::UnitStaff, "jinshui");
    let city_admin = actor(&app.store, Role::CityAdmin, "shangwu");
    accepted_funds(&app.store, &unit, &city_admin, project_id, "2025-06-01", "300").await;
    let (st, v) = app.get(&format!("/api/v1/bulletins/{id}/verify"), &city).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!((v["ok"].as_bool(), v["sha256"].as_str()), (Some(true), Some(sha.as_str())), "{v}");
    let diffs = v["differences"].as_array().unwrap();
    assert!(diffs.iter().any(|x| x["unit"] == "jinshui" && x["field"] == "funds.value"), "{v}");
    let (_, again) = app.get(&format!("/api/v1/bulletins/{id}"), &city).await;
    assert_eq!((again["content_html"].as_str(), again["sha256"].as_str()), (Some(html.as_str()), Some(sha.as_str())));

    // the workbook
    let res = app
        .client
        .get(format!("{}/api/v1/bulletins/{id}/export.xlsx", app.base))
        .bearer_auth(&js)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[CONTENT_TYPE].to_str().unwrap().contains("spreadsheetml"));
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
    assert_eq!(app.get("/api/v1/bulletins/999999", &city).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/bulletins?per_page=0", &city).await.0, StatusCode::UNPROCESSABLE_ENTITY);
});

api_test!(the_pages_draft_publish_and_print_a_bulletin, |app| {
    let (run_id, _) = stored_run(&app.store).await;
    let b = Browser::login(&app, "city").await;
    let (st, html) = b.page("/bulletins").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("起草通报") && html.contains(&format!("value=\"{run_id}\"")), "{html}");
    let csrf = browser::csrf_in(&html);
    // a bad number: the form again, 422, the message beside the field
    let bad = [
        ("_csrf", csrf.as_str()),
        ("run_id", &run_id.to_string()),
        ("number", "12号"),
        ("title", "通报"),
        ("date", "2026-01-10"),
    ];
    let (st, html, _) = b.submit("/bulletins", &bad).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("郑商通〔2025〕12号"), "{html}");
    let form = [
        ("_csrf", csrf.as_str()),
        ("run_id", &run_id.to_string()),
        ("number", "郑商通〔2026〕2号"),
        ("title", "关于考核结果的通报"),
        ("date", "2026-01-10"),
    ];
    let (st, _, at) = b.submit("/bulletins", &form).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let id: i64 = at.trim_start_matches("/bulletins/").parse().unwrap();

    // the draft's page: a preview, 发布 behind a confirmation step
    let (_, html) = b.page(&format!("{at}?confirm=1")).await;
    assert!(html.contains("草稿预览") && html.contains("确认发布") && html.contains("gw-issuer"), "{html}");
    let publish = format!("/bulletins/{id}/publish");
    assert_eq!(b.submit_as_given(&publish, &[("x", "1")]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(b.submit(&publish, &[("_csrf", csrf.as_str())]).await.0, StatusCode::SEE_OTHER);
    assert_eq!(b.submit(&publish, &[("_csrf", csrf.as_str())]).await.0, StatusCode::CONFLICT);

    let (_, html) = b.page(&format!("/bulletins/{id}?verify=1")).await;
    assert!(html.contains("内容未被改动") && html.contains("导出Excel"), "{html}");
    let (st, html) = b.page(&format!("/bulletins/{id}/print")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        html.contains("/assets/print.css?v=") && html.contains("gw-redline") && !html.contains("sidenav"),
        "{html}"
    );
    assert!(html.contains("抄送") && html.contains("印发"));
    let res = b.fetch(&format!("/bulletins/{id}/export.docx")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[CONTENT_TYPE].to_str().unwrap().contains("wordprocessingml"));
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
    let (_, css) = b.page("/assets/print.css").await;
    assert!(css.contains("margin: 37mm 26mm 35mm 28mm"));

    // a unit sees the published one only; the 工作台 shows its 红黑榜
    let unit = Browser::login(&app, "eq").await;
    let (_, html) = unit.page("/bulletins").await;
    assert!(html.contains("郑商通〔2026〕2号") && !html.contains("起草通报"));
    let (_, home) = unit.page("/").await;
    assert!(home.contains("红黑榜") && home.contains("郑商通〔2026〕2号"), "{home}");
});

api_test!(no_red_black_card_without_a_published_bulletin, |app| {
    let (_, home) = Browser::login(&app, "city").await.page("/").await;
    assert!(!home.contains("红黑榜"));
});
