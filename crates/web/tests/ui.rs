//! The web pages over real HTTP, as a browser uses them: cookie sessions, CSRF, security
//! headers, the scope of what a page shows, and the stage-advance form. SQLite and PostgreSQL.

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::{Browser, cookie_value, csrf_in, set_cookies};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::json;

fn assert_security_headers(h: &HeaderMap, what: &str) {
    let csp = h.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: CSP {csp}");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{what}: CSP {csp}");
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff", "{what}");
    assert!(h.get("referrer-policy").is_some(), "{what}");
}

api_test!(login_sets_a_hardened_session_cookie_and_logout_ends_it, |app| {
    let mut b = Browser::new(&app);
    // Not logged in: every page sends to the login page, remembering where to come back.
    let (st, h, _) = b.get("/projects?stage=signed").await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert_eq!(h.get("location").unwrap(), "/login?next=%2Fprojects%3Fstage%3Dsigned");

    // every kind of response carries the headers: the login page, an asset, a missing page
    let (_, h, _) = b.get("/login").await;
    assert_security_headers(&h, "login page");
    let css = web::ui::assets::url("app.css");
    let (st, h, body) = b.get(&css).await;
    assert_eq!(st, StatusCode::OK);
    assert_security_headers(&h, "asset");
    assert_eq!(h.get("cache-control").unwrap(), "public, max-age=31536000, immutable");
    assert!(body.contains("--blue"));
    let (st, h, html) = b.get("/no/such/page").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert_security_headers(&h, "404 page");
    assert!(html.contains("页面不存在"));

    let (st, h, _) = b.log_in("js", common::PASSWORD, "/projects").await;
    let set = set_cookies(&h);
    assert_eq!(st, StatusCode::SEE_OTHER);
    let session = set.iter().find(|c| c.starts_with("zs_session=")).expect("session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/"),
        "{session}"
    );
    assert!(!session.contains("Secure"), "plain HTTP: no Secure flag ({session})");
    let (st, h, html) = b.get("/projects").await;
    assert_eq!(st, StatusCode::OK);
    assert_security_headers(&h, "ledger page");
    assert!(html.contains("项目台账") && html.contains("退出"));

    // logout: a POST with the CSRF token; afterwards the old cookie is worth nothing
    let old = b.cookie.clone();
    let token = b.session_csrf().await;
    let (st, h, _) = b.post("/logout", &[("_csrf", &token)]).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert!(set_cookies(&h).iter().any(|c| c.starts_with("zs_session=;") && c.contains("Max-Age=0")));
    b.cookie = old;
    let (st, h, _) = b.get("/projects").await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert!(h.get("location").unwrap().to_str().unwrap().starts_with("/login"));
    // and a session cookie is not a bearer token: the API does not take it
    let res = app.client.get(format!("{}/api/v1/projects", app.base)).header("cookie", &b.cookie).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
});

api_test!(wrong_password_and_unknown_user_read_the_same_and_are_logged, |app| {
    let mut b = Browser::new(&app);
    let (st1, h1, html1) = b.log_in("js", "Wrong#pass2026", "/projects").await;
    let set1 = set_cookies(&h1);
    let mut b2 = Browser::new(&app);
    let (st2, _, html2) = b2.log_in("nobody_here", "Wrong#pass2026", "/projects").await;
    assert_eq!(st1, StatusCode::UNAUTHORIZED);
    assert_eq!(st2, StatusCode::UNAUTHORIZED);
    assert!(cookie_value(&set1, "zs_session").is_none());
    for html in [&html1, &html2] {
        assert!(html.contains("用户名或密码错误"), "{html}");
    }
    let aud = app.login("aud").await;
    let (_, log) = app.get("/api/v1/audit/logins?per_page=50", &aud).await;
    let failures = log["items"].as_array().unwrap().iter().filter(|r| r["success"] == json!(false)).count();
    assert!(failures >= 2, "{log}");
});

api_test!(a_cross_site_form_post_without_the_token_is_refused, |app| {
    let city = app.login("city").await;
    let p = app.project(&city, "跨站测试项目", "jinshui", "100").await;
    let id = p["id"].as_i64().unwrap();
    let b = Browser::login(&app, "js").await;
    let path = format!("/projects/{id}/transition");
    let form = [("to", "negotiating"), ("date", "2025-01-02")];
    // the forged form: the browser sends the cookie (SameSite aside) but no token
    let (st, h, html) =
        b.post_with(&path, &form, &[("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")]).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert!(html.contains("CSRF"), "{html}");
    assert_security_headers(&h, "refusal page");
    // a wrong token from our own origin: refused too
    let (st, _, _) = b
        .post(&path, &[("_csrf", "0123456789abcdef0123456789abcdef"), ("to", "negotiating"), ("date", "2025-01-02")])
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // a stolen token posted from another site: refused by origin
    let token = b.session_csrf().await;
    let (st, _, _) = b
        .post_with(
            &path,
            &[("_csrf", &token), ("to", "negotiating"), ("date", "2025-01-02")],
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // nothing changed
    let (_, now) = app.get(&format!("/api/v1/projects/{id}"), &city).await;
    assert_eq!(now["stage"], "reserve");
    // the login form has its own token: a forged login post is refused before any check
    let res = app
        .client
        .post(format!("{}/login", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("username=js&password=x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
});

api_test!(advancing_a_stage_through_the_form_shows_on_the_timeline, |app| {
    let city = app.login("city").await;
    let p = app.project(&city, "表单推进项目", "jinshui", "5000").await;
    let id = p["id"].as_i64().unwrap();
    let b = Browser::login(&app, "js").await;
    let (st, _, html) = b.get(&format!("/projects/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("推进阶段") && html.contains("表单推进项目"));
    let token = csrf_in(&html);
    // a date in the future is refused with the reason shown next to the form, nothing written
    let (st, _, html) = b
        .post(
            &format!("/projects/{id}/transition"),
            &[("_csrf", &token), ("to", "negotiating"), ("date", "2099-01-01")],
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "{html}");
    assert!(html.contains("晚于今天"), "{html}");
    // a missing date names the field
    let (st, _, html) =
        b.post(&format!("/projects/{id}/transition"), &[("_csrf", &token), ("to", "negotiating"), ("date", "")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("请填写日期"), "{html}");
    let to = b
        .post_redirect(
            &format!("/projects/{id}/transition"),
            &[
                ("_csrf", &token),
                ("to", "negotiating"),
                ("date", "2025-03-01"),
                ("note", "首次洽谈"),
                ("evidence", "会议纪要2025-3"),
            ],
        )
        .await;
    assert_eq!(to, format!("/projects/{id}?tab=timeline&done=transition"));
    let (_, _, html) = b.get(&to).await;
    assert!(html.contains("阶段已变更"));
    assert!(html.contains("2025-03-01") && html.contains("首次洽谈") && html.contains("会议纪要2025-3"), "{html}");
    let (_, now) = app.get(&format!("/api/v1/projects/{id}"), &city).await;
    assert_eq!(now["stage"], "negotiating");
    // the change history tab shows the audit record of that transition
    let (_, _, html) = b.get(&format!("/projects/{id}?tab=changes")).await;
    assert!(html.contains("变更阶段") && html.contains("js"), "{html}");
});

// 进展时间线: the landing work in Chinese — each action by its label, the status after it,
// a 督办 item's deadline and a milestone's dates; no stored code shows.
api_test!(the_timeline_tab_shows_actions_and_statuses_in_chinese, |app| {
    let [js, dept, sup] = app.logins(["js", "dept", "sup"]).await;
    let id = app.project(&js, "时间线标签项目", "jinshui", "5000").await["id"].as_i64().unwrap();
    let (st, t) = app
        .post(&format!("/api/v1/projects/{id}/tasks"), &js, json!({"department": "ziranziyuan", "title": "用地预审"}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{t}");
    let body = json!({"status": "done", "reply": "预审意见已出具", "version": t["version"]});
    let (st, b) = app.patch(&format!("/api/v1/tasks/{}", t["id"]), &dept, body).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let today = domain::today_shanghai();
    let (due, done) =
        ((today + chrono::Duration::days(30)).to_string(), (today - chrono::Duration::days(1)).to_string());
    let ms = json!({"title": "完成土地摘牌", "due_on": due, "done_on": done});
    let (st, b) = app.post(&format!("/api/v1/projects/{id}/milestones"), &js, ms).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let deadline = (today + chrono::Duration::days(7)).to_string();
    let (st, b) = app
        .post(
            "/api/v1/supervisions",
            &sup,
            json!({"project_id": id, "deadline": deadline, "instruction": "请说明进度"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let b = Browser::login(&app, "js").await;
    let (st, _, html) = b.get(&format!("/projects/{id}?tab=timeline")).await;
    assert_eq!(st, StatusCode::OK);
    for text in [
        "交办部门任务",
        "办理部门任务",
        "答复：预审意见已出具；状态：已办结",
        "状态：待办理",
        "新增行动计划节点",
        &format!("完成土地摘牌；计划完成：{due}；实际完成：{done}"),
        "发起督办",
        &format!("督办要求：请说明进度；状态：待答复；办理期限：{deadline}"),
    ] {
        assert!(html.contains(text), "{text}: {html}");
    }
    for code in ["task.update", "supervision.create", "milestone.create", ">done<", "状态：done", "状态：open"] {
        assert!(!html.contains(code), "no stored code shows: {code}");
    }
    // the department reads its task's events in the same words, and no 督办
    let d = Browser::login(&app, "dept").await;
    let (st, _, html) = d.get(&format!("/projects/{id}?tab=timeline")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("答复：预审意见已出具；状态：已办结"), "{html}");
    assert!(!html.contains("发起督办") && !html.contains("完成土地摘牌"), "{html}");
});

api_test!(pages_show_only_the_callers_scope, |app| {
    let city = app.login("city").await;
    let mine = app.project(&city, "金水范围项目", "jinshui", "1234.56").await;
    let theirs = app.project(&city, "二七范围项目", "erqi", "9999.99").await;
    let b = Browser::login(&app, "js").await;
    let (_, _, ledger) = b.get("/projects?per_page=200").await;
    assert!(ledger.contains("金水范围项目"));
    assert!(!ledger.contains("二七范围项目"));
    assert!(ledger.contains("共 <strong>1</strong> 个项目，总投资 <strong>1,234.56</strong> 万元"), "{ledger}");
    let (_, _, search) = b.get("/projects?q=%E4%BA%8C%E4%B8%83").await; // 二七
    assert!(!search.contains("二七范围项目"));
    let (st, _, html) = b.get(&format!("/projects/{}", theirs["id"])).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert!(!html.contains("二七范围项目") && !html.contains("9,999.99"));
    let (st, _, _) = b.get(&format!("/projects/{}?tab=changes", theirs["id"])).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // filtering the ledger by another unit is refused, not silently emptied
    let (st, _, html) = b.get("/projects?unit=erqi").await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{html}");
    // the dashboard: jinshui's money only
    let (st, _, dash) = b.get("/").await;
    assert_eq!(st, StatusCode::OK);
    assert!(dash.contains("金水区"));
    assert!(!dash.contains("二七区"), "another unit in a chart");
    assert!(!dash.contains("9,999.99") && !dash.contains("11,234.55"));
    assert!(dash.contains("1,234.56"));
    let (_, _, page) = b.get(&format!("/projects/{}", mine["id"])).await;
    assert!(page.contains("金水范围项目"));
    // the Excel export of the page: the same scope, an .xlsx, an audit record
    let res = b.fetch("/projects/export.xlsx?q=%E8%8C%83%E5%9B%B4").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''"));
    let cells = common::xlsx_cells(res).await;
    assert!(cells.contains(&"金水范围项目".to_string()));
    assert!(!cells.iter().any(|c| c.contains("二七范围项目")));
    assert!(cells.iter().any(|c| c.contains("关键词=范围")), "the subtitle names the filter");
    // city_admin sees both, and the combined total
    let c = Browser::login(&app, "city").await;
    let (_, _, dash) = c.get("/").await;
    assert!(dash.contains("二七区") && dash.contains("金水区"));
    let (_, _, ledger) = c.get("/projects").await;
    assert!(ledger.contains("总投资 <strong>11,234.55</strong> 万元"), "{ledger}");
});

api_test!(roles_see_only_their_navigation_and_pages, |app| {
    let aud = Browser::login(&app, "aud").await;
    // the auditor has no business pages: the dashboard is refused, with the refusal audited
    let (st, _, html) = aud.get("/").await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{html}");
    let (st, _, _) = aud.get("/projects").await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, html) = aud.get("/password").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("审计日志") && !html.contains("项目台账"), "auditor navigation");
    let js = Browser::login(&app, "js").await;
    let (_, _, html) = js.get("/projects").await;
    assert!(html.contains("项目台账") && !html.contains("审计日志") && !html.contains("用户与角色"));
    let (st, _, _) = js.get("/admin/audit").await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let a = app.login("aud").await;
    let (_, log) = app.get("/api/v1/audit?per_page=100", &a).await;
    let denied: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "authz.deny")
        .filter_map(|r| r["entity_id"].as_str())
        .collect();
    assert!(denied.contains(&"GET /") && denied.contains(&"GET /admin/audit"), "{denied:?}");
});

api_test!(new_project_form_validates_in_chinese_and_creates, |app| {
    let b = Browser::login(&app, "js").await;
    let (st, _, html) = b.get("/projects/new").await;
    assert_eq!(st, StatusCode::OK);
    let token = csrf_in(&html);
    let (st, _, html) = b
        .post(
            "/projects/new",
            &[
                ("_csrf", &token),
                ("name", ""),
                ("unit", "jinshui"),
                ("industry", "electronics.terminal"),
                ("region", "yangtze"),
                ("total_investment", "abc"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("项目名称：不能为空"), "{html}");
    assert!(html.contains("总投资："), "{html}");
    // another unit is out of scope: refused
    let (st, _, _) = b
        .post(
            "/projects/new",
            &[
                ("_csrf", &token),
                ("name", "越权项目"),
                ("unit", "erqi"),
                ("industry", "electronics.terminal"),
                ("region", "yangtze"),
                ("total_investment", "10"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let loc = b
        .post_redirect(
            "/projects/new",
            &[
                ("_csrf", &token),
                ("name", "页面新建项目"),
                ("unit", "jinshui"),
                ("industry", "electronics.terminal"),
                ("region", "yangtze"),
                ("total_investment", "60000"),
                ("categories", "pillar"),
                ("investor", "页面新建投资方有限公司"),
                ("investor", ""),
            ],
        )
        .await;
    let id: i64 = loc.trim_start_matches("/projects/").split('?').next().unwrap().parse().unwrap();
    let city = app.login("city").await;
    let (_, p) = app.get(&format!("/api/v1/projects/{id}"), &city).await;
    assert_eq!(p["name"], "页面新建项目");
    assert_eq!(p["total_investment"], "60000.00");
    assert_eq!(p["categories"], json!(["pillar"]));
    assert_eq!(p["investors"][0]["name"], "页面新建投资方有限公司");
    assert_eq!(p["city_reportable"], true);
    assert_eq!(p["key_project"], true);
});

api_test!(each_role_lands_on_a_page_it_may_open, |app| {
    for (user, start) in [("js", "/"), ("sys", "/admin/users"), ("aud", "/admin/audit"), ("sec", "/admin/users")] {
        let mut b = Browser::new(&app);
        let (st, h, _) = b.log_in(user, common::PASSWORD, "/").await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        assert_eq!(h.get("location").unwrap(), start, "{user}");
        let (st, _, html) = b.get(start).await;
        assert_eq!(st, StatusCode::OK, "{user} → {start}");
        assert!(
            html.contains(&format!("class=\"brand\" href=\"{start}\"")),
            "{user}: the brand link is the start page"
        );
    }
    // an open redirect is not possible through `next`
    let mut b = Browser::new(&app);
    let (_, h, _) = b.log_in("js", common::PASSWORD, "//evil.example/x").await;
    assert_eq!(h.get("location").unwrap(), "/");
});

api_test!(exports_are_rate_limited_per_user, |app| {
    let city = app.login("city").await;
    let get = |t: String| {
        let c = app.client.clone();
        let url = format!("{}/api/v1/exports/ledger.xlsx", app.base);
        async move { c.get(url).bearer_auth(t).send().await.unwrap().status() }
    };
    for n in 1..=10 {
        assert_eq!(get(city.clone()).await, StatusCode::OK, "export {n}");
    }
    assert_eq!(get(city.clone()).await, StatusCode::TOO_MANY_REQUESTS, "the 11th within a minute");
    // another user is not affected
    let js = app.login("js").await;
    assert_eq!(get(js).await, StatusCode::OK);
    // every export is in the audit log
    let aud = app.login("aud").await;
    let (_, log) = app.get("/api/v1/audit?per_page=100", &aud).await;
    let n = log["items"].as_array().unwrap().iter().filter(|r| r["action"] == "ledger.export").count();
    assert_eq!(n, 11);
});

api_test!(a_refused_project_form_leaves_no_new_company, |app| {
    // Issue #10, hole 11: the form's pick-or-create used to commit a new company before the
    // project was saved, so every refused save left an orphan behind.
    let b = Browser::login(&app, "js").await;
    let (_, _, html) = b.get("/projects/new").await;
    let token = csrf_in(&html);
    let base = [("_csrf", token.as_str()), ("name", "孤儿测试项目"), ("region", "yangtze"), ("total_investment", "10")];
    // refused by the store's checks (an industry not in the table) and by scope (another unit)
    for (unit, industry, status) in [
        ("jinshui", "no.such.industry", StatusCode::UNPROCESSABLE_ENTITY),
        ("erqi", "electronics.terminal", StatusCode::FORBIDDEN),
    ] {
        let mut fields = base.to_vec();
        fields.extend([("unit", unit), ("industry", industry), ("investor", "孤儿投资方有限公司")]);
        let (st, _, html) = b.post("/projects/new", &fields).await;
        assert_eq!(st, status, "{html}");
    }
    let city = app.login("city").await;
    let (st, list) = app.get("/api/v1/companies?q=孤儿投资方", &city).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(list["total"], 0, "no company is left behind: {list}");
    // the same form, accepted, creates the company and the project together
    let mut fields = base.to_vec();
    fields.extend([("unit", "jinshui"), ("industry", "electronics.terminal"), ("investor", "孤儿投资方有限公司")]);
    let (st, _, _) = b.post("/projects/new", &fields).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (_, list) = app.get("/api/v1/companies?q=孤儿投资方", &city).await;
    assert_eq!(list["total"], 1, "{list}");
    // the same company spelled otherwise is not created again: the form names the one to pick
    let mut fields = base.to_vec();
    fields.extend([("name", "孤儿测试二期项目"), ("unit", "jinshui"), ("industry", "electronics.terminal")]);
    fields.push(("investor", "孤儿投资方"));
    let (st, _, html) = b.post("/projects/new", &fields).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("疑似重复") && html.contains("孤儿投资方有限公司"), "{html}");
    let (_, list) = app.get("/api/v1/companies?q=孤儿投资方", &city).await;
    assert_eq!(list["total"], 1, "{list}");
});

api_test!(a_follow_up_recorded_on_the_timeline_tab_shows_there, |app| {
    let city = app.login("city").await;
    let p = app.project(&city, "跟进表单项目", "jinshui", "5000").await;
    let id = p["id"].as_i64().unwrap();
    let b = Browser::login(&app, "js").await;
    let (st, _, html) = b.get(&format!("/projects/{id}?tab=timeline")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("记录进展"), "the form is offered to the unit");
    let token = csrf_in(&html);
    let url = format!("/projects/{id}/progress");
    // blank text: named, nothing written
    let (st, _, html) = b.post(&url, &[("_csrf", &token), ("date", ""), ("progress", "  ")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("项目进展情况"), "{html}");
    let (st, _, html) = b.post(&url, &[("_csrf", &token), ("date", "2026-13-01"), ("progress", "考察")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("日期格式应为"), "{html}");
    let to =
        b.post_redirect(&url, &[("_csrf", &token), ("date", "2026-02-03"), ("progress", "企业高管来郑考察")]).await;
    assert_eq!(to, format!("/projects/{id}?tab=timeline&done=progress"));
    let (_, _, html) = b.get(&to).await;
    assert!(html.contains("进展已记录") && html.contains("企业高管来郑考察") && html.contains("2026-02-03"), "{html}");
    let (_, now) = app.get(&format!("/api/v1/projects/{id}"), &city).await;
    assert_eq!(now["progress"], "企业高管来郑考察");

    // a leader reads the timeline but is not offered the form, and cannot post it
    let l = Browser::login(&app, "lead").await;
    let (st, _, html) = l.get(&format!("/projects/{id}?tab=timeline")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(!html.contains("记录进展"), "no form for a reader");
    let t = csrf_in(&html);
    let (st, _, _) = l.post(&url, &[("_csrf", &t), ("progress", "越权")]).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
});

api_test!(the_outcomes_tab_records_a_year_beside_the_expected, |app| {
    use chrono::Datelike;
    let city = app.login("city").await;
    let p = app.project(&city, "运行监测表单项目", "jinshui", "9000").await;
    let id = p["id"].as_i64().unwrap();
    let body = json!({"expected_output": "8000", "version": p["version"]});
    let (st, b) = app.patch(&format!("/api/v1/projects/{id}"), &city, body).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let b = Browser::login(&app, "js").await;
    // not producing: no tab
    let (_, _, html) = b.get(&format!("/projects/{id}")).await;
    assert!(!html.contains("tab=outcomes"), "no 运行监测 tab before 投产");
    let year = domain::today_shanghai().year();
    let d = domain::today_shanghai().to_string();
    app.to_producing(&city, id, &d).await;
    let (st, _, html) = b.get(&format!("/projects/{id}?tab=outcomes")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("尚未填报运行监测") && html.contains("8,000.00 万元"), "{html}");
    let token = csrf_in(&html);
    let url = format!("/projects/{id}/outcomes");
    let y = year.to_string();
    let form = |output: &'static str, jobs: &'static str| -> Vec<(&'static str, String)> {
        let fields =
            [("oc_year", y.as_str()), ("oc_output", output), ("oc_tax", ""), ("oc_jobs", jobs), ("oc_note", "")];
        let mut v = vec![("_csrf", token.clone())];
        v.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
        v
    };
    fn send<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
        v.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }
    // bad figures: named beside the field, nothing written
    let bad = form("很多", "-2");
    let (st, _, html) = b.post(&url, &send(&bad)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("实际就业人数不能为负数") && html.contains("不是有效的数字"), "{html}");
    let good = form("6000", "120");
    let to = b.post_redirect(&url, &send(&good)).await;
    assert_eq!(to, format!("/projects/{id}?tab=outcomes&done=outcome"));
    let (_, _, html) = b.get(&to).await;
    assert!(html.contains("运行监测已保存") && html.contains("6,000.00 万元") && html.contains("75.0%"), "{html}");
    let (_, list) = app.get(&format!("/api/v1/projects/{id}/outcomes"), &city).await;
    assert_eq!(list["years"][0]["output"], "6000.00", "{list}");

    // a leader sees the tab but no form, and cannot post it
    let l = Browser::login(&app, "lead").await;
    let (st, _, html) = l.get(&format!("/projects/{id}?tab=outcomes")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("6,000.00 万元") && !html.contains("填报年度运行监测"), "{html}");
    let t = csrf_in(&html);
    let (st, _, _) = l.post(&url, &[("_csrf", &t), ("oc_year", &y), ("oc_output", "1")]).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
});
