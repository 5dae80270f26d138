//! The 十大项目 and 五职领导 pages as a browser uses them: cookie login, CSRF, the pick form
//! refused in Chinese beside the table (422), a good pick (303), the frozen notice without
//! a form; the leader table with a drill-down. SQLite and PostgreSQL.

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::{Browser, csrf_in};
use reqwest::StatusCode;
use serde_json::json;

api_test!(the_city_picks_the_top_ten_on_the_page, |app| {
    let city = app.login("city").await;
    let mut ids = vec![];
    for i in 0..11 {
        let p = app.project(&city, &format!("页面项目{i:02}"), "jinshui", &format!("{}", 2000 + i)).await;
        let id = p["id"].as_i64().unwrap();
        let (st, b) = app
            .post(&format!("/api/v1/projects/{id}/transitions"), &city, json!({"to": "signed", "date": "2026-03-01"}))
            .await;
        assert_eq!(st, StatusCode::OK, "{b}");
        ids.push(id.to_string());
    }
    let b = Browser::login(&app, "city").await;
    let (st, _, html) = b.get("/assessment/top10?year=2026").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(
        html.contains("候选项目（11 个）") && html.contains("确定十大项目") && html.contains("页面项目10"),
        "{html}"
    );
    let token = csrf_in(&html);

    // no CSRF: 403; nine checked: 422 with the reason above the table
    let (st, _, _) = b.post("/assessment/top10", &[("year", "2026"), ("pick", &ids[0])]).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let cits: Vec<String> = ids.iter().map(|id| format!("citation_{id}")).collect();
    let mut form: Vec<(&str, &str)> = vec![("_csrf", &token), ("year", "2026")];
    for id in &ids[..9] {
        form.push(("pick", id));
    }
    for c in &cits {
        form.push((c, "重大产业项目"));
    }
    let (st, _, html) = b.post("/assessment/top10", &form).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("须恰好选定 10 个项目，现选了 9 个"), "{html}");
    assert!(html.contains("checked"), "what was checked is kept");

    // ten, one without a citation: its row says so
    let mut form: Vec<(&str, &str)> = vec![("_csrf", &token), ("year", "2026")];
    for id in &ids[..10] {
        form.push(("pick", id));
    }
    for (k, c) in cits.iter().enumerate() {
        form.push((c, if k == 3 { "" } else { "重大产业项目" }));
    }
    let (st, _, html) = b.post("/assessment/top10", &form).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    let err = format!("id=\"t10-cit-{}-err\">入选理由不能为空</p>", ids[3]);
    assert!(html.contains(&err), "{html}");

    // a good pick
    let mut form: Vec<(&str, &str)> = vec![("_csrf", &token), ("year", "2026")];
    for id in &ids[1..] {
        form.push(("pick", id));
    }
    for c in &cits {
        form.push((c, "重大产业项目"));
    }
    let (st, h, html) = b.post("/assessment/top10", &form).await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{html}");
    let to = h.get("location").unwrap().to_str().unwrap().to_string();
    let (_, _, html) = b.get(&to).await;
    assert!(html.contains("十大项目已确定") && html.contains("2026年度十大项目"), "{html}");

    // a unit sees its candidates, no form
    let js = Browser::login(&app, "js").await;
    let (st, _, html) = js.get("/assessment/top10?year=2026").await;
    assert_eq!(st, StatusCode::OK);
    assert!(!html.contains("确定十大项目") && html.contains("第1位"), "{html}");

    // a published bulletin freezes the page
    use store::testing::fixtures::{empty_run, year_bulletin};
    let run = empty_run(&app.store, "考核", 2026).await;
    year_bulletin(&app.store, run.id, "郑商通〔2026〕9号", 2026, "published").await;
    let (_, _, html) = b.get("/assessment/top10?year=2026").await;
    assert!(html.contains("已随通报冻结") && !html.contains("确定十大项目"), "{html}");
    let (st, _, html) = b.post("/assessment/top10", &form).await;
    assert_eq!(st, StatusCode::CONFLICT, "{html}");
    assert!(html.contains("冻结"), "{html}");
});

api_test!(the_leader_table_page_drills_down, |app| {
    let [city, js] = app.logins(["city", "js"]).await;
    let lid = app.leader(&js, "张伟", "区委书记", "jinshui", "unit_chief").await["id"].as_i64().unwrap();
    let p = app.project_with(&city, "包联页面项目", "jinshui", "20000", json!({"lead_leader_id": lid})).await;
    let pid = p["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/projects/{pid}/transitions"), &city, json!({"to": "signed", "date": "2026-03-01"}))
        .await;

    let b = Browser::login(&app, "js").await;
    let (st, _, html) = b.get("/assessment/leaders?from=2026-01-01&to=2026-12-31").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("张伟") && html.contains("拜访500强/领军"), "{html}");
    let link = format!("/assessment/leaders?from=2026-01-01&#38;to=2026-12-31&#38;leader={lid}&#38;figure=signed");
    assert!(html.contains(&link), "{html}");
    let (st, _, html) =
        b.get(&format!("/assessment/leaders?from=2026-01-01&to=2026-12-31&leader={lid}&figure=signed")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("张伟（区委书记）· 签约") && html.contains("包联页面项目"), "{html}");
    let (st, _, html) = b.get("/assessment/leaders?from=2026-12-01&to=2026-01-01").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("截止日期不能早于起始日期"), "{html}");
});
