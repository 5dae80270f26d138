//! 领导名录 over HTTP: registering and reading leaders (401/403/404/409/422), a project's
//! `lead_leader_id` checked against its unit, and the /leaders page with its 新增 form and
//! the link button. SQLite and PostgreSQL. (Every role in and out of scope: the access matrix.)

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::Browser;
use reqwest::StatusCode;
use serde_json::json;

api_test!(leaders_are_registered_in_scope_and_named_in_errors, |app| {
    let [city, js, eq, lead, dept] = app.logins(["city", "js", "eq", "lead", "dept"]).await;
    let (st, _) = app.call(reqwest::Method::GET, "/api/v1/leaders", None, None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);

    let mayor = json!({"name": "王建华", "position": "副市长", "unit": "zhengzhou", "level": "city_leader"});
    let (st, m) = app.post("/api/v1/leaders", &city, mayor.clone()).await;
    assert_eq!(st, StatusCode::CREATED, "{m}");
    let (st, _) = app.post("/api/v1/leaders", &city, mayor).await;
    assert_eq!(st, StatusCode::CONFLICT, "one name per unit");
    // bad input: every field named in Chinese; a unit's staff may not register a city leader
    let bad =
        json!({"name": "名".repeat(17), "position": "", "unit": "jinshui", "level": "mayor", "active": true, "id": 3});
    let (st, b) = app.post("/api/v1/leaders", &js, bad).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let msg = b["error"]["message"].as_str().unwrap();
    for label in ["姓名", "职务", "领导层级", "在职"] {
        assert!(msg.contains(label), "{label}: {b}");
    }
    assert!(b["error"]["fields"]["id"].as_str().is_some_and(|m| m.contains("系统维护")), "{b}");
    let (st, b) = app
        .post(
            "/api/v1/leaders",
            &js,
            json!({"name": "李强", "position": "副市长", "unit": "jinshui", "level": "city_leader"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["fields"]["level"].as_str().is_some_and(|m| m.contains("市级")), "{b}");
    let chief = json!({"name": "张伟", "position": "金水区委书记", "unit": "jinshui", "level": "unit_chief"});
    let (st, _) = app.post("/api/v1/leaders", &eq, chief.clone()).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "another unit's leader");
    for who in [&lead, &dept] {
        let (st, _) = app.post("/api/v1/leaders", who, chief.clone()).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "no leader:write");
    }
    let (st, c) = app.post("/api/v1/leaders", &js, chief).await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    let e = app.leader(&eq, "赵六", "二七区长", "erqi", "unit_chief").await;

    // reads: city leaders and the units in scope
    let (_, list) = app.get("/api/v1/leaders", &js).await;
    let names: Vec<&str> = list["items"].as_array().unwrap().iter().filter_map(|l| l["name"].as_str()).collect();
    assert_eq!(names, ["王建华", "张伟"], "{list}");
    let (st, _) = app.get(&format!("/api/v1/leaders/{}", e["id"]), &js).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.get("/api/v1/leaders/987654321", &js).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, b) = app.get("/api/v1/leaders?level=boss", &js).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (_, cities) = app.get("/api/v1/leaders?level=city_leader", &dept).await;
    assert_eq!(cities["total"], 1, "{cities}");

    // PATCH: the version read; stale → 409, a city leader is the city's
    let url = format!("/api/v1/leaders/{}", c["id"]);
    let (st, b) = app.patch(&url, &js, json!({"active": false})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "version is required: {b}");
    let (st, _) = app.patch(&url, &js, json!({"active": false, "version": 7})).await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (st, _) = app.patch(&format!("/api/v1/leaders/{}", m["id"]), &js, json!({"active": false, "version": 1})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, b) = app.patch(&url, &js, json!({"position": "金水区委书记、区长", "version": c["version"]})).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["display"], "张伟（金水区委书记、区长）");

    // a project's lead_leader_id: its unit's leader or a city leader, else 422 naming it
    let p = app.project(&js, "金水智能装备产业园项目", "jinshui", "12000").await;
    let purl = format!("/api/v1/projects/{}", p["id"]);
    let (st, b) = app.patch(&purl, &js, json!({"lead_leader_id": e["id"], "version": p["version"]})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("包联领导"), "{b}");
    let (st, b) = app.patch(&purl, &js, json!({"lead_leader_id": "x", "version": p["version"]})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (st, b) = app.patch(&purl, &js, json!({"lead_leader_id": c["id"], "version": p["version"]})).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(
        (b["lead_leader_id"].clone(), b["lead_leader"].as_str()),
        (c["id"].clone(), Some("张伟（金水区委书记、区长）"))
    );
    let (st, b) = app.post("/api/v1/projects", &js, json!({"name": "金水数据中心项目", "unit": "jinshui", "industry": "electronics", "region": "yangtze", "total_investment": "5000", "lead_leader": "王建华（副市长）"})).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    assert_eq!(b["lead_leader_id"], m["id"], "a city leader matched by name: {b}");
});

api_test!(the_leaders_page_registers_and_links, |app| {
    let js = app.login("js").await;
    // a project whose text names a leader not registered yet
    let body = json!({"name": "金水新材料项目", "unit": "jinshui", "industry": "electronics", "region": "yangtze", "total_investment": "8000", "lead_leader": "刘洋（金水区副区长）"});
    let (st, p) = app.post("/api/v1/projects", &js, body).await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    assert!(p["lead_leader_id"].is_null());
    let b = Browser::login(&app, "js").await;
    let (st, html) = b.page("/leaders").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("新增领导") && html.contains("刘洋（金水区副区长）"), "the unlinked text is listed");
    let form_levels = html.split("id=\"ld-level-new\"").nth(1).and_then(|r| r.split("</select>").next()).unwrap();
    assert!(form_levels.contains("unit_chief") && !form_levels.contains("city_leader"), "a unit's form: {form_levels}");
    // a refused form: 422 with the field's error beside it, nothing written
    let new = [("position", "金水区副区长"), ("unit", "jinshui"), ("level", "unit_deputy")];
    let (st, html, _) = b.submit("/leaders", &[&[("name", "")][..], &new].concat()).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("姓名：不能为空"), "{html}");
    let (st, _, _) = b.submit("/leaders", &[&[("name", "刘洋"), ("_csrf", "wrong")][..], &new].concat()).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "CSRF");
    let (_, list) = app.get("/api/v1/leaders", &js).await;
    assert_eq!(list["total"], 0, "refused forms wrote nothing");
    let (st, _, to) = b.submit("/leaders", &[&[("name", "刘洋")][..], &new].concat()).await;
    assert_eq!((st, to.as_str()), (StatusCode::SEE_OTHER, "/leaders?done=created"));
    let (_, html) = b.page("/leaders").await;
    assert!(html.contains("关联这 1 个项目"), "{html}");
    let (st, _, to) = b.submit("/leaders/link", &[]).await;
    assert_eq!((st, to.as_str()), (StatusCode::SEE_OTHER, "/leaders?done=linked&n=1"));
    let (_, now) = app.get(&format!("/api/v1/projects/{}", p["id"]), &js).await;
    assert!(now["lead_leader_id"].is_i64(), "{now}");
    assert_eq!(now["lead_leader"], "刘洋（金水区副区长）", "the text is kept");
    // the leader's page lists the project it leads; an unknown one is 404
    let (st, html) = b.page(&format!("/leaders/{}", now["lead_leader_id"])).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("金水新材料项目") && html.contains("修改领导信息"), "{html}");
    let (st, _) = b.page("/leaders/987654321").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    // the project form offers the register's leaders
    let (st, html) = b.page(&format!("/projects/{}/edit", p["id"])).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("刘洋（金水区副区长）　金水区"), "{html}");
});
