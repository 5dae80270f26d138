//! 招商活动 over HTTP: an activity with its leaders, companies and outcomes, its evidence
//! files, the counts; bad input named in Chinese (422), other units refused (403), unknown
//! ids 404, stale writes 409; the pages (list, calendar, 新增 form, detail, statistics).
//! SQLite and PostgreSQL. (Every role in and out of scope: the access matrix.)

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::Browser;
use reqwest::StatusCode;
use serde_json::{Value, json};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// What a test activity needs: two leaders of jinshui, a ranked and a plain company.
struct Setup {
    chief: Value,
    deputy: Value,
    ranked: Value,
    plain: Value,
}

async fn setup(app: &common::TestApp, city: &str, js: &str) -> Setup {
    let leader =
        |name: &str, level: &str| json!({"name": name, "position": "金水区领导", "unit": "jinshui", "level": level});
    let (st, chief) = app.post("/api/v1/leaders", js, leader("张伟", "unit_chief")).await;
    assert_eq!(st, StatusCode::CREATED, "{chief}");
    let (_, deputy) = app.post("/api/v1/leaders", js, leader("李强", "unit_deputy")).await;
    let (st, ranked) = app
        .post("/api/v1/companies", city, json!({"name": "比亚迪股份有限公司", "fortune_global_500_rank": 143}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{ranked}");
    let (_, plain) = app.post("/api/v1/companies", city, json!({"name": "深圳某某电子有限公司"})).await;
    Setup { chief, deputy, ranked, plain }
}

fn visit(s: &Setup) -> Value {
    json!({
        "title": "赴深圳拜访比亚迪总部", "kind": "leader_visit", "start_on": "2026-03-10", "end_on": "2026-03-11",
        "region": "pearl", "city": "深圳", "unit": "jinshui", "leader_ids": [s.chief["id"], s.deputy["id"]],
        "company_ids": [s.ranked["id"], s.plain["id"]], "intentions": 1, "intention_notes": "电池包项目达成初步意向",
        "cost": "3.60", "summary": "与企业华中区负责人座谈"
    })
}

api_test!(an_activity_is_recorded_counted_and_evidenced, |app| {
    let [city, js, eq, lead, dept] = app.logins(["city", "js", "eq", "lead", "dept"]).await;
    let (st, _) = app.call(reqwest::Method::GET, "/api/v1/activities", None, None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let s = setup(&app, &city, &js).await;

    // bad input: every field named in Chinese, nothing written
    let bad = json!({"title": "", "kind": "dinner", "start_on": "2026-03-10", "end_on": "2026-03-01", "region": "mars",
        "city": "深圳", "unit": "jinshui", "leader_ids": ["x"], "cost": 1.5, "leaders": []});
    let (st, b) = app.post("/api/v1/activities", &js, bad).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let msg = b["error"]["message"].as_str().unwrap();
    for label in ["活动名称", "活动类型", "带队领导", "活动经费"] {
        assert!(msg.contains(label), "{label}: {b}");
    }
    assert!(b["error"]["fields"]["leaders"].as_str().is_some_and(|m| m.contains("系统维护")), "{b}");
    let dates = json!({"end_on": "2026-03-01", "region": "mars"});
    let mut body = visit(&s);
    body.as_object_mut().unwrap().extend(dates.as_object().unwrap().clone());
    let (st, b) = app.post("/api/v1/activities", &js, body).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["fields"]["end_on"].as_str().is_some_and(|m| m.contains("早于")), "{b}");
    assert!(b["error"]["fields"]["region"].is_string(), "{b}");
    for who in [&eq, &lead, &dept] {
        let (st, _) = app.post("/api/v1/activities", who, visit(&s)).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "another unit's, or no activity:write");
    }
    let (_, none) = app.get("/api/v1/activities", &city).await;
    assert_eq!(none["total"], 0, "refusals wrote nothing");

    let (st, a) = app.post("/api/v1/activities", &js, visit(&s)).await;
    assert_eq!(st, StatusCode::CREATED, "{a}");
    assert_eq!((a["leader_level"].as_str(), a["cost"].as_str()), (Some("unit_chief"), Some("3.60")), "{a}");
    assert_eq!(a["companies"][0]["standing"], "世界500强第143位", "{a}");
    let id = a["id"].as_i64().unwrap();
    let url = format!("/api/v1/activities/{id}");
    let (st, _) = app.get(&url, &eq).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.get("/api/v1/activities/987654321", &js).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, b) = app.get("/api/v1/activities?month=2026-3", &js).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (_, march) = app.get("/api/v1/activities?month=2026-03&kind=leader_visit", &js).await;
    assert_eq!(march["total"], 1, "{march}");
    let (_, april) = app.get("/api/v1/activities?month=2026-04", &js).await;
    assert_eq!(april["total"], 0);

    // PATCH: the version read; new leaders set the level again
    let (st, _) = app.patch(&url, &js, json!({"leader_ids": [s.deputy["id"]], "version": 99})).await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (st, _) = app.patch(&url, &eq, json!({"leader_ids": [s.deputy["id"]], "version": a["version"]})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, b) = app.patch(&url, &js, json!({"leader_ids": [s.deputy["id"]], "version": a["version"]})).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["leader_level"], "unit_deputy");
    let (st, b) = app.patch(&url, &js, json!({"leader_ids": [s.chief["id"]], "version": b["version"]})).await;
    assert_eq!(st, StatusCode::OK, "{b}");

    // counts: by unit with the measures, by leader
    let (st, c) = app.get("/api/v1/activities/counts?from=2026-01-01&to=2026-12-31", &city).await;
    assert_eq!(st, StatusCode::OK, "{c}");
    assert_eq!(
        (c["by_unit"][0]["unit"].as_str(), c["by_unit"][0]["leader_visits_500"].as_u64()),
        (Some("jinshui"), Some(1)),
        "{c}"
    );
    assert_eq!(c["by_leader"][0]["name"], "张伟", "{c}");
    let (st, b) = app.get("/api/v1/activities/counts?from=2026-13-01", &city).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (st, _) = app.get("/api/v1/activities/counts?unit=erqi", &js).await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // evidence: uploaded onto the activity by its unit; read within its scope only
    let (st, f) = app.upload(&eq, "activity", id, "签到表.pdf", PDF).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{f}");
    let (st, f) = app.upload(&js, "activity", id, "签到表.pdf", PDF).await;
    assert_eq!(st, StatusCode::CREATED, "{f}");
    assert!(f["project_id"].is_null(), "{f}");
    let (_, a) = app.get(&url, &lead).await;
    assert_eq!(a["attachments"][0]["name"], "签到表.pdf", "{a}");
    let file = format!("/api/v1/attachments/{}", f["id"]);
    let (st, _) = app.call(reqwest::Method::GET, &file, Some(&lead), None).await;
    assert_eq!(st, StatusCode::OK, "the unit's leader reads its activity's files");
    let (st, _) = app.call(reqwest::Method::GET, &file, Some(&eq), None).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.call(reqwest::Method::DELETE, &file, Some(&eq), None).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.call(reqwest::Method::DELETE, &file, Some(&js), None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (_, a) = app.get(&url, &js).await;
    assert_eq!(a["attachments"].as_array().map(Vec::len), Some(0), "{a}");
});

api_test!(the_activity_pages_list_calendar_enter_and_count, |app| {
    let [city, js] = app.logins(["city", "js"]).await;
    let s = setup(&app, &city, &js).await;
    let b = Browser::login(&app, "js").await;
    let (chief, ranked, plain) = (s.chief["id"].to_string(), s.ranked["id"].to_string(), s.plain["id"].to_string());
    let today = domain::today_shanghai();
    let on = today.to_string();
    let month = &on[..7];
    // a refused form: 422, the field named beside it, nothing written
    let form = |title: &'static str| {
        vec![
            ("title", title),
            ("kind", "leader_visit"),
            ("unit", "jinshui"),
            ("region", "pearl"),
            ("city", "深圳"),
            ("country", "中国"),
        ]
    };
    let mut fields = form("");
    fields.extend([("start_on", on.as_str()), ("leader_ids", chief.as_str()), ("company_ids", ranked.as_str())]);
    let (st, html, _) = b.submit("/activities/new", &fields).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("活动名称：不能为空"), "{html}");
    assert!(html.contains(&format!("<option value=\"{chief}\" selected>")), "the choices are kept");
    let mut fields = form("赴深圳拜访比亚迪总部");
    fields.extend([
        ("start_on", on.as_str()),
        ("leader_ids", chief.as_str()),
        ("company_ids", ranked.as_str()),
        ("company_ids", plain.as_str()),
        ("intentions", "2"),
        ("cost", "1.20"),
    ]);
    let (st, _, to) = b.submit("/activities/new", &fields).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert!(to.starts_with("/activities/") && to.ends_with("?done=created"), "{to}");
    let (_, list) = app.get("/api/v1/activities", &js).await;
    assert_eq!(list["items"][0]["company_ids"].as_array().map(Vec::len), Some(2), "{list}");

    let (st, html) = b.page(&to).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        html.contains("世界500强第143位")
            && html.contains("党政正职")
            && html.contains("上传证明材料")
            && html.contains("<dt>计入考核</dt><dd>主要领导拜访500强及领军企业</dd>"),
        "{html}"
    );
    let (st, html) = b.page("/activities?kind=leader_visit").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("赴深圳拜访比亚迪总部") && html.contains("500强/领军"), "{html}");
    let (_, html) = b.page("/activities?kind=talks").await;
    assert!(!html.contains("赴深圳拜访比亚迪总部"), "filtered out");
    let (st, html) = b.page(&format!("/activities/calendar?month={month}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("赴深圳拜访比亚迪总部") && html.contains("周一") && html.contains("today"), "{html}");
    let next = domain::monthly::Month::of(today).next();
    let (_, html) = b.page(&format!("/activities/calendar?month={next}")).await;
    assert!(!html.contains("赴深圳拜访比亚迪总部"), "not in the next month");
    let (st, html) =
        b.page(&format!("/activities/stats?measure=leader_visits_500&drill=jinshui&from={on}&to={on}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        html.contains("主要领导拜访500强及领军企业：1 次") && html.contains("比亚迪股份有限公司（世界500强第143位）"),
        "{html}"
    );
    let (st, _) = b.page("/activities/987654321").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let eq = Browser::login(&app, "eq").await;
    let (st, _) = eq.page(&to).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "another unit's activity");
});
