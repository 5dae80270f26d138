//! The pages of 企业库 and 系统管理 over real HTTP with a cookie session, on SQLite and
//! PostgreSQL: what each role sees, the scope of a company's projects, the admin forms
//! (三员分立, password policy, CSRF) and that a refused form writes nothing.

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::{Browser, add_task, location};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn company(app: &common::TestApp, token: &str, body: Value) -> i64 {
    let (st, b) = app.post("/api/v1/companies", token, body).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    b["id"].as_i64().expect("company id")
}

async fn project_of(app: &common::TestApp, token: &str, name: &str, unit: &str, investor: i64) -> i64 {
    let b = app.project_with(token, name, unit, "1000", json!({"investor_ids": [investor]})).await;
    b["id"].as_i64().expect("project id")
}

async fn user_id(app: &common::TestApp, username: &str) -> i64 {
    app.store.credentials(username).await.expect("read").expect("user").user.id
}

async fn roles_of(app: &common::TestApp, username: &str) -> Vec<domain::Role> {
    app.store.credentials(username).await.expect("read").expect("user").user.roles
}

api_test!(company_list_marks_search_and_filter, |app| {
    let city = app.login("city").await;
    company(&app, &city, json!({"name": "环球电子集团", "country": "美国", "hq_city": "圣何塞", "fortune_global_500_rank": 88, "rank_year": 2024})).await;
    company(&app, &city, json!({"name": "本地小微公司", "credit_code": "91410100MA44B2XU02"})).await;
    let js = Browser::login(&app, "js").await;
    let (st, html) = js.page("/companies").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("环球电子集团") && html.contains("本地小微公司"), "{html}");
    assert!(html.contains("世界500强 第88位"), "the 500强 mark is shown: {html}");
    assert!(html.contains("aria-current=\"page\">企业库"), "the navigation marks the page");
    let (_, ranked) = js.page("/companies?ranked=true").await;
    assert!(ranked.contains("环球电子集团") && !ranked.contains("本地小微公司"), "{ranked}");
    let (_, found) = js.page("/companies?q=%E6%9C%AC%E5%9C%B0").await; // 本地
    assert!(found.contains("本地小微公司") && !found.contains("环球电子集团"), "{found}");
    let (_, by_code) = js.page("/companies?q=91410100MA44").await;
    assert!(by_code.contains("本地小微公司") && !by_code.contains("环球电子集团"));
    let (_, none) = js.page("/companies?q=%E4%B8%8D%E5%AD%98%E5%9C%A8").await;
    assert!(none.contains("没有符合条件的企业"));
    // the administrators hold no business data, and a bad page number is the first page
    let sys = Browser::login(&app, "sys").await;
    assert_eq!(sys.page("/companies").await.0, StatusCode::FORBIDDEN);
    assert_eq!(js.page("/companies?page=abc").await.0, StatusCode::OK);
});

api_test!(company_page_lists_only_projects_in_scope, |app| {
    let city = app.login("city").await;
    let cid = company(&app, &city, json!({"name": "华夏新能源股份有限公司", "china_500_rank": 120, "industry_leader": true, "leader_reason": "细分领域第一"})).await;
    let mine = project_of(&app, &city, "金水储能电站项目", "jinshui", cid).await;
    let theirs = project_of(&app, &city, "二七电池工厂项目", "erqi", cid).await;
    let path = format!("/companies/{cid}");

    let js = Browser::login(&app, "js").await;
    let (st, html) = js.page(&path).await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("华夏新能源股份有限公司") && html.contains("中国500强 第120位") && html.contains("行业龙头"));
    assert!(html.contains("金水储能电站项目") && html.contains(&format!("/projects/{mine}")), "{html}");
    assert!(!html.contains("二七电池工厂项目"), "another unit's project leaked: {html}");
    assert!(!html.contains(&format!("/projects/{theirs}\"")));
    // the list counts only the projects in scope too
    let (_, list) = js.page("/companies").await;
    assert!(list.contains("<td class=\"num\">1</td>"), "{list}");

    let eq = Browser::login(&app, "eq").await;
    let (_, html) = eq.page(&path).await;
    assert!(html.contains("二七电池工厂项目") && !html.contains("金水储能电站项目"), "{html}");

    let c = Browser::login(&app, "city").await;
    let (_, html) = c.page(&path).await;
    assert!(html.contains("二七电池工厂项目") && html.contains("金水储能电站项目"), "{html}");
    let (_, list) = c.page("/companies").await;
    assert!(list.contains("<td class=\"num\">2</td>"), "{list}");

    // a department sees the projects carrying its tasks (two bound values in one query)
    let dept = Browser::login(&app, "dept").await;
    let (st, html) = dept.page(&path).await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(!html.contains("二七电池工厂项目") && !html.contains("金水储能电站项目"));
    add_task(&app, theirs, "ziranziyuan").await;
    let (_, html) = dept.page(&path).await;
    assert!(html.contains("二七电池工厂项目") && !html.contains("金水储能电站项目"), "{html}");
    let (st, list) = dept.page("/companies").await;
    assert_eq!(st, StatusCode::OK);
    assert!(list.contains("<td class=\"num\">1</td>"), "{list}");

    assert_eq!(js.page("/companies/987654").await.0, StatusCode::NOT_FOUND);
    assert_eq!(js.page("/companies/abc").await.0, StatusCode::NOT_FOUND);
});

api_test!(company_page_lists_the_activities_in_scope, |app| {
    let city = app.login("city").await;
    let [js_t, eq_t] = app.logins(["js", "eq"]).await;
    let cid = company(&app, &city, json!({"name": "华夏新能源股份有限公司", "china_500_rank": 120})).await;
    let chief = app.leader(&js_t, "张伟", "金水区委书记", "jinshui", "unit_chief").await;
    let activity = |token: String, title: &'static str, on: &'static str, unit: &'static str, leaders: Value| {
        let app = &app;
        async move {
            let body = json!({"title": title, "kind": "leader_visit", "start_on": on, "region": "pearl",
                              "city": "深圳", "unit": unit, "leader_ids": leaders, "company_ids": [cid]});
            let (st, b) = app.post("/api/v1/activities", &token, body).await;
            assert_eq!(st, StatusCode::CREATED, "{b}");
            b["id"].as_i64().expect("activity id")
        }
    };
    let older =
        activity(js_t.clone(), "金水区赴深圳拜访华夏新能源", "2026-03-10", "jinshui", json!([chief["id"]])).await;
    let newer = activity(js_t.clone(), "金水区再访华夏新能源", "2026-05-20", "jinshui", json!([])).await;
    let theirs = activity(eq_t.clone(), "二七区对接华夏新能源", "2026-04-02", "erqi", json!([])).await;
    let path = format!("/companies/{cid}");

    let js = Browser::login(&app, "js").await;
    let (st, html) = js.page(&path).await;
    assert_eq!(st, StatusCode::OK, "{html}");
    let section = &html[html.find("id=\"co-activities\"").expect("the 招商活动 section")..];
    assert!(!section.contains("尚未上线"), "{section}");
    let (a, b) = (
        section.find(&format!("/activities/{newer}\"")).expect("the newer"),
        section.find(&format!("/activities/{older}\"")).expect("the older"),
    );
    assert!(a < b, "the latest first: {section}");
    assert!(section.contains("2026-03-10") && section.contains("领导带队拜访") && section.contains("金水区"));
    assert!(section.contains("张伟（党政正职）"), "the leader with the level: {section}");
    assert!(!section.contains("二七区对接华夏新能源") && !section.contains(&format!("/activities/{theirs}\"")));
    assert!(
        section.contains("共 <strong>2</strong> 次活动") && section.contains("仅列出本单位及下级单位组织的招商活动")
    );

    let eq = Browser::login(&app, "eq").await;
    let (_, html) = eq.page(&path).await;
    assert!(html.contains("二七区对接华夏新能源") && !html.contains("金水区再访华夏新能源"), "{html}");

    for who in ["city", "sup"] {
        let b = Browser::login(&app, who).await;
        let (_, html) = b.page(&path).await;
        for t in ["金水区赴深圳拜访华夏新能源", "金水区再访华夏新能源", "二七区对接华夏新能源"]
        {
            assert!(html.contains(t), "{who} sees {t}: {html}");
        }
    }
    // a department organises no activity and reads none
    let dept = Browser::login(&app, "dept").await;
    let (st, html) = dept.page(&path).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("您的角色不查看招商活动"), "{html}");
    assert!(!html.contains("金水区再访华夏新能源"));
});

api_test!(audit_and_login_logs_are_for_the_auditor, |app| {
    // a failed login for the login log
    let (st, _) = app
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "js", "password": "Wrong#2026pw"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let aud = Browser::login(&app, "aud").await;
    let (st, html) = aud.page("/admin/audit").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("审计链完整，共"), "{html}");
    assert!(html.contains("alert ok") && html.contains("校验通过"));
    assert!(html.contains("登录") && html.contains("新建用户"), "actions by their Chinese names: {html}");
    for who in ["sys", "city", "sec", "js"] {
        let b = Browser::login(&app, who).await;
        assert_eq!(b.page("/admin/audit").await.0, StatusCode::FORBIDDEN, "{who}");
        assert_eq!(b.page("/admin/logins").await.0, StatusCode::FORBIDDEN, "{who}");
    }
    let (st, html) = aud.page("/admin/logins").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("成功") && html.contains("失败") && html.contains("密码错误"), "{html}");
    assert_eq!(aud.page("/admin/logins?page=2").await.0, StatusCode::OK);

    // a tampered record shows as a broken chain, in words
    // (someone with the database owner's rights drops the append-only guard first)
    use sea_orm::ConnectionTrait;
    let (items, _) = app.store.scoped(&store::Actor::system("test")).audit_page(1, 10_000).await.expect("audit");
    let mut ids: Vec<i64> = items.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    let victim = ids[1];
    store::testing::drop_audit_guards(&app.store).await;
    app.store
        .db()
        .execute_unprepared(&format!("UPDATE audit_log SET action = 'project.delete' WHERE id = {victim}"))
        .await
        .expect("tamper");
    let (st, html) = aud.page("/admin/audit").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("审计链校验未通过") && html.contains(&format!("第 {victim} 号记录")), "{html}");
    assert!(html.contains("alert error"));
    assert!(!html.contains("审计链完整"));
});

api_test!(admin_pages_follow_the_roles, |app| {
    let js = Browser::login(&app, "js").await;
    assert_eq!(js.page("/admin/users").await.0, StatusCode::FORBIDDEN);
    assert_eq!(js.page("/admin/units").await.0, StatusCode::FORBIDDEN);
    assert_eq!(js.page("/admin/policy").await.0, StatusCode::FORBIDDEN);
    let aud = Browser::login(&app, "aud").await;
    assert_eq!(aud.page("/admin/users").await.0, StatusCode::FORBIDDEN);

    let sys = Browser::login(&app, "sys").await;
    let (st, html) = sys.page("/admin/users").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("id=\"new-user\"") && html.contains("action=\"/admin/users\""), "sysadmin creates users");
    assert!(html.contains("停用") && !html.contains("修改角色"), "sysadmin does not assign roles: {html}");
    assert!(html.contains("单位用户") && html.contains("审计管理员"), "roles by their Chinese names");
    assert_eq!(sys.page("/admin/policy").await.0, StatusCode::FORBIDDEN);
    let (st, units) = sys.page("/admin/units").await;
    assert_eq!(st, StatusCode::OK);
    assert!(units.contains("金水区") && units.contains("考核单位") && units.contains("└"), "{units}");

    let sec = Browser::login(&app, "sec").await;
    let (st, html) = sec.page("/admin/users").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("修改角色") && !html.contains("id=\"new-user\""), "secadmin assigns roles only: {html}");
    let (st, policy) = sec.page("/admin/policy").await;
    assert_eq!(st, StatusCode::OK);
    assert!(policy.contains("zhaoshang.toml") && policy.contains("30 分钟") && policy.contains("Argon2id"), "{policy}");
});

api_test!(secadmin_changes_roles_through_the_form, |app| {
    let eq = user_id(&app, "eq").await;
    let sec = Browser::login(&app, "sec").await;
    let (st, _, to) = sec.submit(&format!("/admin/users/{eq}/roles"), &[("roles", "leader")]).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert_eq!(to, "/admin/users?done=roles");
    assert_eq!(roles_of(&app, "eq").await, vec![domain::Role::Leader]);
    let (_, html) = sec.page(&to).await;
    assert!(html.contains("角色已修改"));

    // 三员分立: refused with the reason, nothing changed
    let (st, html, _) =
        sec.submit(&format!("/admin/users/{eq}/roles"), &[("roles", "sysadmin"), ("roles", "city_admin")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("三员分立") && html.contains("class=\"err\""), "{html}");
    assert_eq!(roles_of(&app, "eq").await, vec![domain::Role::Leader]);
    let (st, html, _) = sec.submit(&format!("/admin/users/{eq}/roles"), &[]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("请至少选择一个角色"));
    let me = user_id(&app, "sec").await;
    let (st, html, _) = sec.submit(&format!("/admin/users/{me}/roles"), &[("roles", "auditor")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("不能修改自己的角色"));

    // a sysadmin may not assign roles, and a post without the token is refused
    let sys = Browser::login(&app, "sys").await;
    let (st, _, _) = sys.submit(&format!("/admin/users/{eq}/roles"), &[("roles", "city_admin")]).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, html, _) = sec.submit_as_given(&format!("/admin/users/{eq}/roles"), &[("roles", "city_admin")]).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert!(html.contains("CSRF"));
    let (st, _, _) = sec
        .submit_as_given(&format!("/admin/users/{eq}/roles"), &[("_csrf", "0123456789abcdef"), ("roles", "city_admin")])
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert_eq!(roles_of(&app, "eq").await, vec![domain::Role::Leader]);
    assert_eq!(
        sec.submit(&format!("/admin/users/{}/roles", 987654), &[("roles", "leader")]).await.0,
        StatusCode::NOT_FOUND
    );
});

api_test!(sysadmin_creates_and_disables_users_through_the_form, |app| {
    let sys = Browser::login(&app, "sys").await;
    let before = app.store.scoped(&store::Actor::system("test")).count_users().await.expect("count");

    // 三员分立: the form has no roles, and a crafted post with roles is refused
    let (_, form) = sys.page("/admin/users").await;
    assert!(!form.contains("name=\"roles\""), "no role check boxes for sysadmin");
    let (st, html, _) = sys
        .submit(
            "/admin/users",
            &[("username", "bad1"), ("password", "Str0ng#Pass"), ("roles", "sysadmin"), ("roles", "city_admin")],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("三员分立") && html.contains("用户未创建") && html.contains("安全管理员"), "{html}");
    assert!(html.contains("value=\"bad1\""), "the form keeps what was typed");
    // the password policy
    let (st, html, _) =
        sys.submit("/admin/users", &[("username", "bad2"), ("password", "short"), ("unit", "jinshui")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("密码至少8个字符") && html.contains("class=\"err\""), "{html}");
    let (st, html, _) =
        sys.submit("/admin/users", &[("username", "bad3"), ("password", "Bad3#Secret"), ("unit", "jinshui")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("密码不能包含用户名"), "{html}");
    // an existing username (the store's check, regardless of case)
    let (st, html, _) =
        sys.submit("/admin/users", &[("username", "JS"), ("password", "Str0ng#Pass"), ("unit", "jinshui")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("用户名已存在"), "{html}");
    // no token: refused before anything is read
    let (st, _, _) = sys
        .submit_as_given("/admin/users", &[("username", "bad5"), ("password", "Str0ng#Pass"), ("roles", "auditor")])
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // the secadmin does not create users
    let sec = Browser::login(&app, "sec").await;
    let (st, _, _) =
        sec.submit("/admin/users", &[("username", "bad6"), ("password", "Str0ng#Pass"), ("roles", "auditor")]).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert_eq!(
        app.store.scoped(&store::Actor::system("test")).count_users().await.expect("count"),
        before,
        "a refused form creates nothing"
    );

    let (st, _, to) = sys
        .submit(
            "/admin/users",
            &[("username", "newbie"), ("display_name", "新同事"), ("password", "Str0ng#Pass"), ("unit", "jinshui")],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert_eq!(to, "/admin/users?done=created");
    let u = app.store.credentials("newbie").await.expect("read").expect("created").user;
    assert!(u.must_change_password && u.unit.as_deref() == Some("jinshui") && u.display_name == "新同事");
    assert!(u.roles.is_empty(), "secadmin grants the roles later");
    let (_, html) = sys.page(&to).await;
    assert!(html.contains("用户已创建") && html.contains("新同事") && html.contains("待修改初始密码"));
    // secadmin sees why there is no role form yet, and a crafted grant is refused (409)
    let (_, html) = sec.page("/admin/users").await;
    assert!(html.contains(store::users::INITIAL_PASSWORD), "{html}");
    let (st, html, _) = sec.submit(&format!("/admin/users/{}/roles", u.id), &[("roles", "unit_staff")]).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert!(html.contains("初始密码"), "{html}");
    // the administrator accounts have no form, and a crafted post is refused (403)
    let (_, html) = sys.page("/admin/users").await;
    let sec_id = user_id(&app, "sec").await;
    assert!(!html.contains(&format!("action=\"/admin/users/{sec_id}\"")), "no disable form on secadmin's row");
    assert_eq!(sys.submit(&format!("/admin/users/{sec_id}"), &[("disabled", "true")]).await.0, StatusCode::FORBIDDEN);
    let aud_id = user_id(&app, "aud").await;
    let (st, _, _) = sec.submit(&format!("/admin/users/{aud_id}/roles"), &[("roles", "leader")]).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert!(!app.store.credentials("sec").await.expect("read").expect("user").user.disabled);

    // disable with the version shown, then a stale version is refused
    let path = format!("/admin/users/{}", u.id);
    let version = u.version.to_string();
    let (st, _, to) = sys.submit(&path, &[("disabled", "true"), ("version", &version)]).await;
    assert_eq!((st, to.as_str()), (StatusCode::SEE_OTHER, "/admin/users?done=disabled"));
    assert!(app.store.credentials("newbie").await.expect("read").expect("user").user.disabled);
    let (st, html, _) = sys.submit(&path, &[("disabled", "false"), ("version", &version)]).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert!(html.contains("版本"), "{html}");
    assert!(app.store.credentials("newbie").await.expect("read").expect("user").user.disabled);
    let me = user_id(&app, "sys").await;
    let (st, html, _) = sys.submit(&format!("/admin/users/{me}"), &[("disabled", "true")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("不能停用自己的账号"));
    let (st, _, _) = sec.submit(&path, &[("disabled", "false")]).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "the secadmin does not enable accounts");
});

/// The `<nav class="sidenav">` links of a page.
fn menu_links(html: &str) -> Vec<String> {
    let Some(start) = html.find("class=\"sidenav\"") else { return vec![] };
    let end = html[start..].find("</nav>").map(|e| start + e).unwrap_or(html.len());
    html[start..end].split("href=\"").skip(1).filter_map(|s| s.split('"').next()).map(str::to_string).collect()
}

api_test!(every_menu_entry_opens_for_the_roles_that_see_it, |app| {
    let mut seen = std::collections::BTreeSet::new();
    for (user, role, _) in common::USERS {
        let b = Browser::login(&app, user).await;
        let (_, html) = b.page("/password").await;
        assert!(!html.contains("建设中"), "{user}: no unbuilt entries in the menu");
        let links = menu_links(&html);
        for path in &links {
            let (st, page) = b.page(path).await;
            assert_eq!(st, StatusCode::OK, "{user} opens {path} from the menu: {page}");
            seen.insert(path.clone());
        }
        // and the menu is the route table's: each entry the role may open, none other
        let want: Vec<&str> = web::ui::PAGES
            .iter()
            .filter_map(|p| p.menu.map(|(_, _, perm)| (p.path, perm)))
            .filter(|(_, perm)| domain::access::has_permission(&[*role], *perm))
            .map(|(path, _)| path)
            .collect();
        assert_eq!(links, want, "{user}'s menu");
    }
    let all: Vec<&str> = web::ui::PAGES.iter().filter(|p| p.menu.is_some()).map(|p| p.path).collect();
    assert_eq!(seen.iter().map(String::as_str).collect::<Vec<_>>().len(), all.len(), "every menu entry was opened");
    // a role without an entry's permission is refused it
    let aud = Browser::login(&app, "aud").await;
    assert_eq!(aud.page("/").await.0, StatusCode::FORBIDDEN);
    let js = Browser::login(&app, "js").await;
    assert_eq!(js.page("/admin/users").await.0, StatusCode::FORBIDDEN);
});

/// The value shown on the 工作台 card labelled `label`.
fn card<'a>(html: &'a str, label: &str) -> &'a str {
    let at = html.find(&format!("<span class=\"kpi-label\">{label}</span>")).unwrap_or_else(|| panic!("card {label}"));
    let v = &html[at..];
    let start = v.find("kpi-value\">").expect("value") + 11;
    v[start..].split('<').next().expect("value text")
}

api_test!(dashboard_counts_accepted_figures_and_labels_claims, |app| {
    let city = app.login("city").await;
    let js_api = app.login("js").await;
    let today = domain::today_shanghai();
    let mut ids = vec![];
    for (name, total) in [("已审签约项目", "100"), ("单位填报项目", "200"), ("终止的项目", "300")] {
        ids.push(app.project(&city, name, "jinshui", total).await["id"].as_i64().unwrap());
    }
    let date = today.to_string();
    let (st, b) = app
        .post(&format!("/api/v1/projects/{}/transitions", ids[0]), &city, json!({"to": "signed", "date": date}))
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, b) = app
        .post(
            &format!("/api/v1/projects/{}/transitions", ids[2]),
            &city,
            json!({"to": "terminated", "date": date, "reason": "撤资"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let cb = Browser::login(&app, "city").await;
    let (_, before) = cb.page("/").await;
    assert_eq!(card(&before, "在库项目"), "2", "terminated projects are not 在库");
    assert_eq!(card(&before, "今年签约"), "1");
    // the unit claims 签约; the city has not reviewed it
    let (st, b) = app
        .post(&format!("/api/v1/projects/{}/transitions", ids[1]), &js_api, json!({"to": "signed", "date": date}))
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, after) = cb.page("/").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(card(&after, "今年签约"), "1", "an unreviewed claim does not count");
    assert!(after.contains("另有单位填报待审核或已被退回 1 个"), "the claim is shown apart: {after}");
    assert!(after.contains("单位填报待审核"), "the recent change is marked");
    // no placeholders, each table its own headings, titles in the unit the axis draws
    for gone in ["建设中", "待审核事项", "总投资/金额"] {
        assert!(!after.contains(gone), "{gone} still on the 工作台");
    }
    assert!(after.contains(">月份</th>") && after.contains(">实际利用外资（万美元）</th>"));
    assert!(after.contains(">累计到达（个）</th>") && after.contains(">当前处于（个）</th>"));
    assert!(after.contains("各单位项目（总投资，亿元）") && !after.contains("（总投资，万元）"));
    assert!(after.contains("&#34;unit&#34;:&#34;亿元&#34;"), "the chart draws 亿元");
    // the ledger says which of its rows are claims
    let (_, ledger) = cb.page("/projects?stage=signed").await;
    assert!(ledger.contains("其中 1 个项目（总投资 200.00 万元）的阶段为单位填报、待市级审核"), "{ledger}");
});

api_test!(each_role_gets_a_dashboard_that_fits, |app| {
    let city = app.login("city").await;
    let p = app.project(&city, "用地审批项目", "jinshui", "5000").await["id"].as_i64().unwrap();
    app.project(&city, "二七大项目", "erqi", "8000").await;
    // a department without tasks: no charts, a clear empty list
    let dept = Browser::login(&app, "dept").await;
    let (st, html) = dept.page("/").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(!html.contains("data-chart="), "no empty charts for a department");
    assert!(html.contains("本部门暂无承办任务"), "{html}");
    add_task(&app, p, "ziranziyuan").await;
    app.project(&city, "二七小项目", "erqi", "1").await; // a write: the cached 工作台 is stale
    let (_, html) = dept.page("/").await;
    assert!(html.contains("本部门承办任务") && html.contains("用地预审") && html.contains("用地审批项目"), "{html}");
    assert!(!html.contains("二七大项目") && !html.contains("data-chart="));
    assert!(!html.contains("echarts"), "no chart library where no chart is drawn");
    // a unit without sub-units: its largest projects, not a one-bar unit chart
    let js = Browser::login(&app, "js").await;
    let (_, html) = js.page("/").await;
    assert!(html.contains("投资额前十的项目（总投资，亿元）") && !html.contains("各单位项目"), "{html}");
    // the leader: the figures and the largest projects listed
    let lead = Browser::login(&app, "lead").await;
    let (_, html) = lead.page("/").await;
    assert!(html.contains("投资额前十的项目") && html.contains("用地审批项目"), "{html}");
    // the city: units compared
    let cb = Browser::login(&app, "city").await;
    let (_, html) = cb.page("/").await;
    assert!(html.contains("各单位项目（总投资，亿元）") && html.contains("二七区") && html.contains("金水区"));
});

api_test!(a_huge_page_number_is_refused_with_a_message, |app| {
    let js = Browser::login(&app, "js").await;
    let (st, html) = js.page("/projects?page=9223372036854775807").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("页码应为 1 到 1,000,000 之间的整数"), "{html}");
    let (st, html) = js.page("/projects?per_page=100000").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("每页条数应为 1 到 500 之间的整数"), "{html}");
    assert_eq!(js.page("/projects?page=1000000").await.0, StatusCode::OK, "the largest page is an empty page");
});

api_test!(terminating_or_pausing_asks_for_a_confirmation, |app| {
    let city = app.login("city").await;
    let id = app.project(&city, "待终止项目", "jinshui", "10").await["id"].as_i64().unwrap();
    let b = Browser::login(&app, "city").await;
    let (_, html) = b.page(&format!("/projects/{id}")).await;
    // the forms are folded behind 更多操作, each with a required 确认 box
    let more = html.find("<summary>更多操作</summary>").expect("更多操作");
    let pause = html.find("<h2>暂缓项目</h2>").expect("pause form");
    let stop = html.find("<h2>终止项目</h2>").expect("terminate form");
    assert!(more < pause && more < stop, "the forms are inside 更多操作");
    assert_eq!(html.matches("name=\"confirm\" value=\"yes\" required").count(), 2);
    let today = domain::today_shanghai().to_string();
    let path = format!("/projects/{id}/transition");
    for to in ["terminated", "on_hold"] {
        let (st, html, _) = b.submit(&path, &[("to", to), ("date", &today), ("reason", "投资方撤回")]).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{to} without 确认: {html}");
        assert!(html.contains("须勾选「确认"), "{html}");
        assert!(html.contains("<details class=\"card more\" open>"), "the fold is open on the error");
    }
    let (_, now) = app.get(&format!("/api/v1/projects/{id}"), &city).await;
    assert_eq!(now["stage"], "reserve", "nothing changed");
    let (st, _, _) =
        b.submit(&path, &[("to", "terminated"), ("date", &today), ("reason", "投资方撤回"), ("confirm", "yes")]).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (_, now) = app.get(&format!("/api/v1/projects/{id}"), &city).await;
    assert_eq!(now["stage"], "terminated");
});

// 协议与条款 and 四个一 on the project page, 协议履约 and 重点项目四个一.
api_test!(agreements_and_four_ones_pages, |app| {
    let city = app.login("city").await;
    let pid = app.project(&city, "页面协议项目", "jinshui", "60000").await["id"].as_i64().unwrap();
    let js = Browser::login(&app, "js").await;
    let tab = format!("/projects/{pid}?tab=agreements");
    let (st, html) = js.page(&tab).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("登记协议") && html.contains("尚未登记协议"), "{html}");

    let past = (domain::today_shanghai() - chrono::Duration::days(10)).to_string();
    let post = format!("/projects/{pid}/agreements");
    // a blank title: 422, the message on the page, nothing written
    let (st, html, _) = js.submit(&post, &[("ag_kind", "contract"), ("ag_title", " ")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("协议未登记") && html.contains("不能为空"), "{html}");
    let fields = [
        ("ag_kind", "contract"),
        ("ag_title", "页面投资合同"),
        ("ag_parties", "金水区人民政府、某公司"),
        ("c0_number", "1"),
        ("c0_text", "完成注册"),
        ("c0_obligor", "investor"),
        ("c0_due_on", past.as_str()),
    ];
    let (st, _, to) = js.submit(&post, &fields).await;
    assert_eq!((st, to.as_str()), (StatusCode::SEE_OTHER, format!("{tab}&done=saved").as_str()));
    let (_, list) = app.get(&format!("/api/v1/projects/{pid}/agreements"), &city).await;
    let clause = list["items"][0]["clauses"][0].clone();
    assert_eq!((list["total"].as_u64(), list["fulfilment_rate"].as_str()), (Some(1), Some("0.0000")), "{list}");
    let (_, html) = js.page(&tab).await;
    assert!(html.contains("页面投资合同") && html.contains("0.0%") && html.contains("逾期 10 天"), "{html}");

    // the clause fulfilled through its form; then an illegal move: 409 with the reason
    let cpost = format!("/clauses/{}/status", clause["id"]);
    let pid_s = pid.to_string();
    let version = clause["version"].to_string();
    let form = [("project_id", pid_s.as_str()), ("cl_status", "fulfilled"), ("cl_version", version.as_str())];
    let (st, _, _) = js.submit(&cpost, &form).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (_, html) = js.page(&tab).await;
    assert!(html.contains("100.0%"), "{html}");
    let form = [("project_id", pid_s.as_str()), ("cl_status", "breached"), ("cl_version", "2")];
    let (st, html, _) = js.submit(&cpost, &form).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert!(html.contains("不能再改为"), "{html}");

    // 四个一: a milestone, a team without a 组长 refused, then with one
    let (st, _, _) =
        js.submit(&format!("/projects/{pid}/milestones"), &[("ms_title", "完成供地"), ("ms_owner", "张三")]).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let team = format!("/projects/{pid}/team");
    let (st, html, _) = js.submit(&team, &[("t0_name", "甲"), ("t1_name", "乙")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("请指定一名组长"), "{html}");
    let (st, _, _) = js.submit(&team, &[("t0_name", "甲"), ("t1_name", "乙"), ("tm_leader", "1")]).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (_, t) = app.get(&format!("/api/v1/projects/{pid}/team"), &city).await;
    assert_eq!(t["members"][1], json!({"name": "乙", "position": null, "role": null, "is_leader": true}));
    let (_, html) = js.page(&format!("/projects/{pid}?tab=four_ones")).await;
    assert!(html.contains("完成供地") && html.contains("缺少：招商专案"), "{html}");

    // the two pages, in scope
    let (st, html) = js.page("/agreements").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("金水区") && !html.contains("页面投资合同") && html.contains("100.0%"), "{html}");
    let (st, html) = js.page("/four_ones").await;
    assert!(st == StatusCode::OK && html.contains("页面协议项目") && html.contains("招商专案"), "{html}");
    let eq = Browser::login(&app, "eq").await;
    let (_, html) = eq.page("/four_ones").await;
    assert!(!html.contains("页面协议项目"), "erqi sees jinshui's project: {html}");
    let (st, _) = eq.page(&tab).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, _) = eq.submit(&team, &[("t0_name", "丙"), ("tm_leader", "0")]).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (_, t) = app.get(&format!("/api/v1/projects/{pid}/team"), &city).await;
    assert_eq!(t["members"].as_array().map(Vec::len), Some(2), "the refused form wrote nothing");
});

api_test!(the_review_queue_accepts_returns_and_takes_resubmissions, |app| {
    let city = app.login("city").await;
    let js_api = app.login("js").await;
    let date = domain::today_shanghai().to_string();
    let a = app.project(&city, "审核页签约项目", "jinshui", "100").await["id"].as_i64().unwrap();
    let b = app.project(&city, "审核页资金项目", "jinshui", "100").await["id"].as_i64().unwrap();
    let (st, r) =
        app.post(&format!("/api/v1/projects/{a}/transitions"), &js_api, json!({"to": "signed", "date": date})).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let body = json!({"date": date, "kind": "domestic_out_of_province", "amount": "12.5"});
    let (st, r) = app.post(&format!("/api/v1/projects/{b}/funds"), &js_api, body).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    let (_, list) = app.get("/api/v1/reviews?state=submitted", &city).await;
    let claim_of =
        |p: i64| list["items"].as_array().unwrap().iter().find(|i| i["project_id"] == p).unwrap()["id"].clone();
    let (ca, cb_) = (claim_of(a).to_string(), claim_of(b).to_string());

    let cb = Browser::login(&app, "city").await;
    let (_, home) = cb.page("/").await;
    assert!(home.contains("href=\"/reviews?state=submitted\"><strong>2</strong> 条单位申报等待审核"), "{home}");
    let (st, queue) = cb.page("/reviews").await;
    assert_eq!(st, StatusCode::OK);
    assert!(queue.contains("审核页签约项目") && queue.contains("阶段：已签约"), "{queue}");
    assert!(queue.contains("到位资金 12.50 万元") && queue.contains("批量通过"), "{queue}");
    let (_, funds_only) = cb.page("/reviews?kind=funds").await;
    assert!(!funds_only.contains("审核页签约项目") && funds_only.contains("审核页资金项目"));
    // the evidence on a claim's transition is linked inline, and opens for the reviewer
    assert_eq!(queue.matches("未附佐证材料").count(), 2, "no evidence yet: {queue}");
    let tid = list["items"].as_array().unwrap().iter().find(|i| i["project_id"] == a).unwrap()["transition_id"]
        .as_i64()
        .expect("a stage claim has its transition");
    let pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    let (st, file) = app.upload(&js_api, "transition", tid, "签约合同扫描件.pdf", pdf).await;
    assert_eq!(st, StatusCode::CREATED, "{file}");
    let (_, queue) = cb.page("/reviews").await;
    let link = format!("<a href=\"/attachments/{}\">签约合同扫描件.pdf</a>", file["id"]);
    assert!(queue.contains(&link), "{queue}");
    assert_eq!(queue.matches("未附佐证材料").count(), 1, "the funds claim still has none");
    let (st, body) = cb.page(&format!("/attachments/{}", file["id"])).await;
    assert_eq!((st, body.as_bytes()), (StatusCode::OK, &pdf[..]), "the reviewer downloads it");
    let (_, detail) = cb.page(&format!("/projects/{a}")).await;
    assert!(detail.contains("单位申报：已签约（审核中）"), "the claim beside the accepted stage: {detail}");

    // a return needs the confirmation and a comment
    let (st, page, _) = cb.submit(&format!("/reviews/{ca}/return"), &[("comment", "合同不清晰")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    let (st, page, _) = cb.submit(&format!("/reviews/{ca}/return"), &[("comment", " "), ("confirm", "yes")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("审核意见"), "the field is named: {page}");
    let (st, _, to) =
        cb.submit(&format!("/reviews/{ca}/return"), &[("comment", "合同不清晰"), ("confirm", "yes")]).await;
    assert_eq!((st, to.as_str()), (StatusCode::SEE_OTHER, "/reviews?done=returned"));
    let (st, _, to) = cb.submit("/reviews/accept", &[("ids", &cb_)]).await;
    assert_eq!((st, to.as_str()), (StatusCode::SEE_OTHER, "/reviews?done=accepted"));
    let (st, _, _) = cb.submit("/reviews/accept", &[("ids", &cb_)]).await;
    assert_eq!(st, StatusCode::CONFLICT, "accepted twice");

    // the unit: no queue in its menu, its returned claim with the comment, resubmitted
    let js = Browser::login(&app, "js").await;
    let (_, detail) = js.page(&format!("/projects/{a}")).await;
    assert!(
        detail.contains("href=\"/reviews?state=returned\">单位申报：已签约（审核未通过）</a>"),
        "the unit finds its returned claim from the project: {detail}"
    );
    let (st, _, _) = js.submit("/reviews/accept", &[("ids", &ca)]).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // its 工作台's 待办 links to the returned claim
    let (_, home) = js.page("/").await;
    assert!(
        home.contains("href=\"/reviews?state=returned\"><strong>1</strong> 条申报被市级退回，待修改后重新提交"),
        "{home}"
    );
    let (st, mine) = js.page("/reviews").await;
    assert_eq!(st, StatusCode::OK);
    assert!(mine.contains("审核意见：合同不清晰") && mine.contains("重新提交") && !mine.contains("批量通过"), "{mine}");
    let (st, _, to) =
        js.submit(&format!("/reviews/{ca}/resubmit"), &[("date", &date), ("note", "已换清晰扫描件")]).await;
    assert_eq!((st, to.as_str()), (StatusCode::SEE_OTHER, "/reviews?state=returned&done=resubmitted"));
    let (_, home) = js.page("/").await;
    assert!(home.contains("没有被退回的申报"), "resubmitted: nothing left to fix: {home}");
    let (_, home) = cb.page("/").await;
    assert!(home.contains("<strong>1</strong> 条单位申报等待审核"), "{home}");
});

api_test!(the_review_queue_shows_a_city_reportable_project_with_its_reason, |app| {
    let city = app.login("city").await;
    let js_api = app.login("js").await;
    let foxconn =
        company(&app, &city, json!({"name": "富士康科技集团", "fortune_global_500_rank": 20, "rank_year": 2024})).await;
    let p = project_of(&app, &js_api, "富士康郑州终端项目", "jinshui", foxconn).await;
    let cb = Browser::login(&app, "city").await;
    let (st, queue) = cb.page("/reviews").await;
    assert_eq!(st, StatusCode::OK);
    assert!(queue.contains(&format!("<a href=\"/projects/{p}\">富士康郑州终端项目</a>")), "{queue}");
    assert!(
        queue.contains("纳入全市库") && queue.contains("纳入理由：投资方 富士康科技集团：世界500强第20位"),
        "{queue}"
    );
    assert!(!queue.contains("未附佐证材料"), "no evidence asked of it: {queue}");
    // the kind filter offers it and keeps it selected
    let (_, only) = cb.page("/reviews?kind=reportable").await;
    assert!(only.contains("<option value=\"reportable\" selected>纳入全市库</option>"), "{only}");
    assert!(only.contains("富士康郑州终端项目"), "{only}");
    let (_, funds) = cb.page("/reviews?kind=funds").await;
    assert!(!funds.contains("富士康郑州终端项目"), "{funds}");
    // returned: the unit resubmits it without a date to correct
    let (_, list) = app.get("/api/v1/reviews?kind=reportable", &city).await;
    let id = list["items"][0]["id"].to_string();
    let (st, _, _) =
        cb.submit(&format!("/reviews/{id}/return"), &[("comment", "请附投资协议"), ("confirm", "yes")]).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let js = Browser::login(&app, "js").await;
    let (_, mine) = js.page("/reviews").await;
    assert!(mine.contains("审核意见：请附投资协议") && mine.contains("纳入理由："), "{mine}");
    assert!(!mine.contains(&format!("id=\"d-{id}\"")), "no date field for it: {mine}");
    let (st, _, to) = js.submit(&format!("/reviews/{id}/resubmit"), &[("note", "已附协议")]).await;
    assert_eq!((st, to.as_str()), (StatusCode::SEE_OTHER, "/reviews?state=returned&done=resubmitted"));
});

api_test!(a_department_lands_on_its_inbox_and_answers_a_task, |app| {
    let city = app.login("city").await;
    let p = app.project(&city, "用地任务项目", "jinshui", "5000").await["id"].as_i64().unwrap();
    let (st, t) = app
        .post(&format!("/api/v1/projects/{p}/tasks"), &city, json!({"department": "ziranziyuan", "title": "用地预审"}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{t}");
    // the login goes to the inbox
    let (st, h, _) = Browser::new(&app).log_in("dept", common::PASSWORD, "/").await;
    assert_eq!((st, location(&h).as_str()), (StatusCode::SEE_OTHER, "/tasks"));
    let dept = Browser::login(&app, "dept").await;
    let (st, html) = dept.page("/tasks").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("用地预审") && html.contains("用地任务项目") && html.contains("金水区"), "{html}");
    // closing without a reply is refused on the page, naming the field; then with one
    let path = format!("/tasks/{}", t["id"]);
    let (st, html, _) = dept.submit(&path, &[("status", "done"), ("reply", ""), ("version", "1")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("办理答复"), "{html}");
    let (st, _, to) = dept.submit(&path, &[("status", "done"), ("reply", "预审意见已出具"), ("version", "1")]).await;
    assert_eq!((st, to.as_str()), (StatusCode::SEE_OTHER, "/tasks?done=1"));
    let (_, html) = dept.page("/tasks").await;
    assert!(html.contains("已办结") && html.contains("预审意见已出具") && html.contains("暂无待办理的任务"), "{html}");
    // another route of the unit's is not the department's
    assert_eq!(dept.page("/problems").await.0, StatusCode::OK, "its own (empty) problem list");
    let js = Browser::login(&app, "js").await;
    assert_eq!(js.page("/tasks").await.0, StatusCode::FORBIDDEN);
});

// The inbox pages by 50, open tasks first and then by due date; page 2 holds the rest and
// the done ones.
api_test!(a_department_inbox_pages_open_tasks_first_by_due_date, |app| {
    use sea_orm::Set;
    let city = app.login("city").await;
    let p = app.project(&city, "分页任务项目", "jinshui", "5000").await["id"].as_i64().unwrap();
    let dept_id = app.store.unit_tree().find("ziranziyuan").unwrap().id;
    let today = domain::today_shanghai();
    // 52 open tasks, inserted latest due first; one done task, due before them all
    let mut rows: Vec<(String, &str, i64)> = (1..=52).rev().map(|i| (format!("任务-{i:02}"), "open", i)).collect();
    rows.push(("早已办结的任务".into(), "done", 0));
    for (title, status, days) in rows {
        let task = store::entity::dept_task::ActiveModel {
            project_id: Set(p),
            dept_unit_id: Set(dept_id),
            title: Set(title),
            due_on: Set(Some(today + chrono::Duration::days(days))),
            status: Set(status.into()),
            reply: Set((status == "done").then(|| "已出具意见".to_string())),
            ..Default::default()
        };
        store::testing::fixtures::insert_new(&app.store, task).await;
    }
    let dept = Browser::login(&app, "dept").await;
    let (st, html) = dept.page("/tasks").await;
    assert_eq!(st, StatusCode::OK);
    let at = |html: &str, t: &str| html.find(&format!(">{t} <")).unwrap_or_else(|| panic!("{t} on the page"));
    assert!(at(&html, "任务-01") < at(&html, "任务-02") && at(&html, "任务-49") < at(&html, "任务-50"), "by due date");
    assert!(!html.contains("任务-51"), "50 open tasks a page");
    // the closed ones on the first page (已办结), where a task just closed is looked for
    assert!(html.contains("早已办结的任务") && html.contains("已出具意见"), "the done task on page 1: {html}");
    assert!(html.contains("第 1 / 2 页") && html.contains("href=\"/tasks?page=2\""), "{html}");
    let (st, html) = dept.page("/tasks?page=2").await;
    assert_eq!(st, StatusCode::OK);
    assert!(at(&html, "任务-51") < at(&html, "任务-52"), "{html}");
    assert!(!html.contains("任务-50<") && !html.contains("任务-01"), "page 2 holds only the rest");
    assert!(!html.contains("早已办结的任务"), "closed tasks are listed once, on page 1: {html}");
    assert!(html.contains("第 2 / 2 页") && html.contains("aria-current=\"page\">2<"), "{html}");
    // a page past the end shows the last one; a bad page number the first
    assert!(dept.page("/tasks?page=9").await.1.contains("第 2 / 2 页"));
    assert!(dept.page("/tasks?page=x").await.1.contains("第 1 / 2 页"));
});

api_test!(the_project_page_assigns_tasks_and_raises_problems, |app| {
    let js = Browser::login(&app, "js").await;
    let city = app.login("city").await;
    let p = app.project(&city, "页面问题项目", "jinshui", "5000").await["id"].as_i64().unwrap();
    let (_, html) = js.page(&format!("/projects/{p}")).await;
    assert!(html.contains("部门任务") && html.contains("交办部门任务") && html.contains("提出困难和问题"), "{html}");
    let (st, _, to) = js
        .submit(&format!("/projects/{p}/tasks"), &[("department", "jianshe"), ("title", "施工许可"), ("due_on", "")])
        .await;
    assert_eq!((st, to), (StatusCode::SEE_OTHER, format!("/projects/{p}?done=task#work")));
    let (st, html, _) = js.submit(&format!("/projects/{p}/problems"), &[("title", ""), ("assignee", "")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("问题不能为空"), "{html}");
    let (st, _, _) =
        js.submit(&format!("/projects/{p}/problems"), &[("title", "施工用电未落实"), ("assignee", "")]).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (_, html) = js.page(&format!("/projects/{p}")).await;
    assert!(html.contains("施工许可") && html.contains("市城乡建设局") && html.contains("施工用电未落实"), "{html}");
    // the list, then the resolution from it
    let (st, list) = js.page("/problems").await;
    assert_eq!(st, StatusCode::OK);
    assert!(list.contains("施工用电未落实") && list.contains("页面问题项目"), "{list}");
    let (_, api_list) = app.get("/api/v1/problems", &city).await;
    let id = api_list["items"][0]["id"].as_i64().unwrap();
    let fields =
        [("status", "resolved"), ("resolution", "临时用电已接入"), ("version", "1"), ("back", "https://evil.example")];
    let (st, _, to) = js.submit(&format!("/problems/{id}"), &fields).await;
    assert_eq!((st, to.as_str()), (StatusCode::SEE_OTHER, "/problems?done=problem"), "no redirect off the site");
    let (_, list) = js.page("/problems?status=resolved").await;
    assert!(list.contains("临时用电已接入"), "{list}");
    let (st, html) = js.page("/problems?overdue=maybe").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("是否逾期：应为 true 或 false"), "{html}");
});

api_test!(the_supervisor_sees_overdue_problems_to_do, |app| {
    let city = app.login("city").await;
    let p = app.project(&city, "逾期问题项目", "erqi", "5000").await["id"].as_i64().unwrap();
    let (_, pr) = app.post(&format!("/api/v1/projects/{p}/problems"), &city, json!({"title": "拆迁未完成"})).await;
    app.backdate_problem(pr["id"].as_i64().unwrap(), 3).await;
    app.project(&city, "写入使缓存失效", "erqi", "1").await;
    let sup = Browser::login(&app, "sup").await;
    let (_, html) = sup.page("/").await;
    assert!(
        html.contains("逾期未解决的困难和问题") && html.contains("拆迁未完成") && html.contains("逾期 3 天"),
        "{html}"
    );
    let eq = Browser::login(&app, "eq").await;
    let (_, html) = eq.page("/").await;
    assert!(html.contains("待办：部门任务与困难和问题") && html.contains("拆迁未完成"), "{html}");
    let js = Browser::login(&app, "js").await;
    let (_, html) = js.page("/").await;
    assert!(!html.contains("拆迁未完成"), "another unit's problem: {html}");
});

api_test!(warnings_page_supervise_reply_close_and_the_dashboard_card, |app| {
    let city = app.login("city").await;
    let p = app.project(&city, "久签未开工项目", "jinshui", "100").await["id"].as_i64().unwrap();
    let long_ago = (domain::today_shanghai() - chrono::Duration::days(400)).to_string();
    let (st, b) =
        app.post(&format!("/api/v1/projects/{p}/transitions"), &city, json!({"to": "signed", "date": long_ago})).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let sup = Browser::login(&app, "sup").await;
    let (st, html) = sup.page("/warnings").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(
        html.contains("久签未开工项目") && html.contains("红色预警") && html.contains("签约后已400天未开工"),
        "{html}"
    );
    assert!(html.contains("action=\"/warnings/supervise\""), "the supervisor gets the 督办 form");
    // the 工作台 card counts the warnings (no placeholder)
    let (_, home) = sup.page("/").await;
    let n: u64 = card(&home, "预警").replace(',', "").trim().parse().unwrap();
    assert!(n >= 1, "{home}");
    // a bad deadline is refused on the page, naming the field
    let key = format!("signed_not_started:project:{p}");
    let (st, page, _) =
        sup.submit("/warnings/supervise", &[("warning_key", &key), ("deadline", ""), ("instruction", "说明")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("办理期限"), "{page}");
    let deadline = (domain::today_shanghai() + chrono::Duration::days(14)).to_string();
    let (st, _, to) = sup
        .submit("/warnings/supervise", &[("warning_key", &key), ("deadline", &deadline), ("instruction", "请说明原因")])
        .await;
    assert_eq!((st, to.as_str()), (StatusCode::SEE_OTHER, "/warnings?done=supervise"));
    let id = app.get("/api/v1/supervisions", &city).await.1["items"][0]["id"].as_i64().unwrap();
    // the supervisor's 工作台 lists it as waiting on the unit
    let (_, home) = sup.page("/").await;
    assert!(home.contains("待办：督办事项") && home.contains("待单位答复：请说明原因"), "{home}");
    // close before a reply: 409 on the page
    let (st, page, _) = sup.submit(&format!("/supervisions/{id}/close"), &[]).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert!(page.contains("尚未答复"), "{page}");
    // the unit sees it on its 工作台 and answers on the page
    let js = Browser::login(&app, "js").await;
    let (_, home) = js.page("/").await;
    assert!(home.contains("答复督办：请说明原因"), "{home}");
    let (_, html) = js.page("/warnings").await;
    assert!(html.contains(&format!("action=\"/supervisions/{id}/reply\"")) && !html.contains("/warnings/supervise"));
    let (st, _, _) = js.submit(&format!("/supervisions/{id}/reply"), &[("reply", "下月开工")]).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (_, home) = sup.page("/").await;
    assert!(home.contains("待办结：请说明原因"), "answered: the supervisor is to close it: {home}");
    let (st, _, _) = sup.submit(&format!("/supervisions/{id}/close"), &[]).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (_, home) = sup.page("/").await;
    assert!(!home.contains("请说明原因"), "closed: off the 待办: {home}");
    let (_, html) = sup.page("/warnings").await;
    assert!(html.contains("已办结") && html.contains("下月开工"));
    // another unit sees neither the warning nor the item
    let eq = Browser::login(&app, "eq").await;
    let (_, html) = eq.page("/warnings").await;
    assert!(!html.contains("久签未开工项目"));
    assert_eq!(eq.submit(&format!("/supervisions/{id}/reply"), &[("reply", "x")]).await.0, StatusCode::FORBIDDEN);
});

api_test!(monthly_page_confirm_late_and_export, |app| {
    let js = Browser::login(&app, "js").await;
    let month = domain::Month::of(domain::today_shanghai()).prev().to_string();
    let (st, html) = js.page("/monthly").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("action=\"/monthly/confirm\"") && html.contains(&format!("确认{month}月报")), "{html}");
    let (st, _, to) = js.submit("/monthly/confirm", &[("unit", "jinshui"), ("month", &month)]).await;
    assert_eq!((st, to), (StatusCode::SEE_OTHER, format!("/monthly?month={month}&done=1")));
    let (st, page, _) = js.submit("/monthly/confirm", &[("unit", "jinshui"), ("month", &month)]).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert!(page.contains("已确认"), "{page}");
    // the city: who confirmed, who is late (two months back nobody did)
    let city = Browser::login(&app, "city").await;
    let (_, html) = city.page(&format!("/monthly?month={month}")).await;
    assert!(html.contains("已确认 <strong>1</strong> 个") && !html.contains("action=\"/monthly/confirm\""), "{html}");
    let old = domain::Month::of(domain::today_shanghai()).prev().prev().to_string();
    let (_, html) = city.page(&format!("/monthly?month={old}")).await;
    assert!(html.contains("逾期 <strong>16</strong> 个"), "{html}");
    let res = city.fetch(&format!("/monthly/export.xlsx?month={month}")).await;
    let cells = common::xlsx_cells(res).await;
    assert!(cells.iter().any(|c| c == "本月新增") && cells.iter().any(|c| c == "金水区"), "{cells:?}");
    assert_eq!(city.page("/monthly?month=13-2025").await.0, StatusCode::UNPROCESSABLE_ENTITY);
});

/// The rows of the 预警清单 table on a /warnings page (each carries one level badge).
fn listed_warnings(html: &str) -> usize {
    let list = html.split("预警清单").nth(2).unwrap_or("");
    list.split("</table>").next().unwrap_or("").matches("<span class=\"badge warn-").count()
}

api_test!(warnings_page_tallies_by_unit_and_kind_and_pages_the_list, |app| {
    let city = app.login("city").await;
    let long_ago = (domain::today_shanghai() - chrono::Duration::days(400)).to_string();
    for (unit, n) in [("jinshui", 32), ("erqi", 24)] {
        for i in 0..n {
            let p = app.project(&city, &format!("{unit}久签未开工{i}"), unit, "100").await["id"].as_i64().unwrap();
            let (st, b) = app
                .post(&format!("/api/v1/projects/{p}/transitions"), &city, json!({"to": "signed", "date": long_ago}))
                .await;
            assert_eq!(st, StatusCode::OK, "{b}");
        }
    }
    let sup_token = app.login("sup").await;
    let (_, all) = app.get("/api/v1/warnings?per_page=1", &sup_token).await;
    let total = all["total"].as_u64().unwrap() as usize;
    assert!(total >= 56, "{all}");
    let sup = Browser::login(&app, "sup").await;
    let (st, html) = sup.page("/warnings").await;
    assert_eq!(st, StatusCode::OK);
    // the tallies count every warning, the unit with most red first, each row a filter link
    for unit in ["jinshui", "erqi"] {
        let (_, mine) = app.get(&format!("/api/v1/warnings?unit={unit}&level=red&per_page=1"), &sup_token).await;
        let red = mine["total"].as_u64().unwrap();
        assert!(red >= if unit == "jinshui" { 32 } else { 24 }, "{mine}");
        let cell = format!("<a href=\"/warnings?unit={unit}\">");
        let row = html.split(&cell).nth(1).unwrap_or_else(|| panic!("no tally row for {unit}: {html}"));
        assert!(row.contains(&format!("<span class=\"badge warn-red\">{red}</span>")), "{unit}: {row}");
    }
    assert!(html.find("/warnings?unit=jinshui").unwrap() < html.find("/warnings?unit=erqi").unwrap());
    assert!(html.contains("按类型统计") && html.contains("/warnings?kind=signed_not_started"), "{html}");
    // the list holds 50 a page, red first, and the pager reaches the rest
    assert_eq!(listed_warnings(&html), 50.min(total));
    let last_page = total.div_ceil(50);
    assert!(html.contains(&format!("第 1 / {last_page} 页")), "{html}");
    let (_, page2) = sup.page("/warnings?page=2").await;
    assert_eq!(listed_warnings(&page2), (total - 50).min(50));
    // a page past the end shows the last; a page that is not a number, the first
    let (_, past) = sup.page("/warnings?page=999").await;
    assert!(past.contains(&format!("第 {last_page} / {last_page} 页")));
    let (_, junk) = sup.page("/warnings?page=abc").await;
    assert!(junk.contains(&format!("第 1 / {last_page} 页")));
    // a tally link narrows the list to the unit, keeping the level filter in the pager
    let (_, erqi) = sup.page("/warnings?unit=erqi&level=red").await;
    let (_, api_erqi) = app.get("/api/v1/warnings?unit=erqi&level=red&per_page=1", &sup_token).await;
    assert_eq!(listed_warnings(&erqi), api_erqi["total"].as_u64().unwrap().min(50) as usize);
    assert!(!erqi.contains("jinshui久签未开工"), "another unit's warning in the erqi list");
    // a bad level is refused, as the API refuses it
    let (st, _) = sup.page("/warnings?level=purple").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
});

api_test!(the_target_pages_add_follow_up_and_convert, |app| {
    let city = app.login("city").await;
    let (st, c) = app.post("/api/v1/companies", &city, json!({"name": "隆基绿能科技股份有限公司"})).await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    let company = c["id"].to_string();
    let js = Browser::login(&app, "js").await;
    let (st, page) = js.page("/targets").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("新增靶向企业") && page.contains("隆基绿能科技股份有限公司"), "{page}");
    assert!(!page.contains("多个单位同时跟踪的企业"), "the city-wide view is the city's");
    // a missing industry is named beside its field, nothing written
    let form = [("nt_company_id", company.as_str()), ("nt_unit", "jinshui"), ("nt_industry", "")];
    let (st, page, _) = js.submit("/targets", &form).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("产业链"), "{page}");
    let form = [
        ("nt_company_id", company.as_str()),
        ("nt_unit", "jinshui"),
        ("nt_industry", "materials.silicon"),
        ("nt_signals", "拟在中部新建光伏组件基地"),
    ];
    let (st, page, to) = js.submit("/targets", &form).await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{page}");
    let id: i64 = to.trim_start_matches("/targets/").split('?').next().unwrap().parse().unwrap();
    let (_, page) = js.page(&to).await;
    assert!(
        page.contains("靶向企业已登记") && page.contains("拟在中部新建光伏组件基地") && page.contains("关注中"),
        "{page}"
    );

    // a follow-up, then the conversion into a project (a blank name is named first)
    let today = domain::today_shanghai().to_string();
    let fu = [("fu_date", today.as_str()), ("fu_channel", "visit"), ("fu_summary", "赴西安总部拜访，对接用地需求")];
    let (st, _, to) = js.submit(&format!("/targets/{id}/follow_ups"), &fu).await;
    assert_eq!((st, to.as_str()), (StatusCode::SEE_OTHER, format!("/targets/{id}?done=follow_up").as_str()));
    let (_, page) = js.page(&to).await;
    assert!(page.contains("赴西安总部拜访") && page.contains("已接触") && page.contains("上门拜访"), "{page}");
    let (_, t) = app.get(&format!("/api/v1/targets/{id}"), &city).await;
    let version = t["version"].to_string();
    let cv =
        [("version", version.as_str()), ("cv_name", " "), ("cv_region", "yangtze"), ("cv_total_investment", "50000")];
    let (st, page, _) = js.submit(&format!("/targets/{id}/convert"), &cv).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("项目名称"), "{page}");
    let cv = [
        ("version", version.as_str()),
        ("cv_name", "隆基光伏组件生产基地项目"),
        ("cv_region", "yangtze"),
        ("cv_total_investment", "50000"),
    ];
    let (st, _, to) = js.submit(&format!("/targets/{id}/convert"), &cv).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert!(to.starts_with("/projects/"), "to the new project: {to}");
    let (_, page) = js.page(&to).await;
    assert!(page.contains("隆基光伏组件生产基地项目") && page.contains("谋划/储备"), "{page}");
    let (_, page) = js.page(&format!("/targets/{id}")).await;
    assert!(page.contains("已转化") && page.contains("查看项目") && !page.contains("转化为项目</button>"), "{page}");

    // another unit: refused; the city sees it in its list
    let eq = Browser::login(&app, "eq").await;
    let (st, _) = eq.page(&format!("/targets/{id}")).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, _) = eq.submit(&format!("/targets/{id}/follow_ups"), &fu).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let cb = Browser::login(&app, "city").await;
    let (_, page) = cb.page("/targets").await;
    assert!(page.contains("隆基绿能科技股份有限公司") && page.contains("多个单位同时跟踪的企业"), "{page}");
});

api_test!(the_inquiry_pages_take_one_down_and_answer_it, |app| {
    let js = Browser::login(&app, "js").await;
    let (st, html) = js.page("/inquiries").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("登记投资咨询") && html.contains("没有符合条件的投资咨询"), "{html}");
    assert!(html.contains("<option value=\"jinshui\" selected>"), "its own unit offered first: {html}");
    // errors beside their fields, what was typed kept
    let (st, page, _) = js
        .submit(
            "/inquiries",
            &[("company_name", "正大集团"), ("contact", ""), ("interest", "用地"), ("unit", "jinshui")],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("联系人：不能为空") && page.contains("value=\"正大集团\""), "{page}");
    let fields = [
        ("company_name", "正大集团"),
        ("contact", "陈经理"),
        ("phone", "13900001111"),
        ("interest", "拟建设现代农业食品加工园，咨询产业扶持政策"),
        ("unit", "jinshui"),
        ("received_at", &domain::today_shanghai().to_string()),
    ];
    let (st, _, to) = js.submit("/inquiries", &fields).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert!(to.starts_with("/inquiries/") && to.ends_with("?done=created"), "{to}");
    let id: i64 = to.trim_start_matches("/inquiries/").split('?').next().unwrap().parse().unwrap();
    let (_, detail) = js.page(&to).await;
    assert!(detail.contains("13900001111") && detail.contains("提交答复"), "{detail}");
    let (st, _, to) =
        js.submit(&format!("/inquiries/{id}/answer"), &[("answer", "已答复政策要点"), ("version", "1")]).await;
    assert_eq!((st, to), (StatusCode::SEE_OTHER, format!("/inquiries/{id}?done=answered")));
    let (_, detail) = js.page(&format!("/inquiries/{id}")).await;
    assert!(detail.contains("已答复政策要点") && !detail.contains("提交答复"), "{detail}");
    let (st, page, _) = js.submit(&format!("/inquiries/{id}/answer"), &[("answer", "再答"), ("version", "2")]).await;
    assert_eq!(st, StatusCode::CONFLICT, "{page}");
    // another unit: 403 on the page
    let eq = Browser::login(&app, "eq").await;
    assert_eq!(eq.page(&format!("/inquiries/{id}")).await.0, StatusCode::FORBIDDEN);
});

api_test!(the_ambassador_pages_appoint_add_leads_and_pay_on_the_accepted_result, |app| {
    let [city_token, js_token] = app.logins(["city", "js"]).await;
    let p = app.project(&js_token, "金水智能终端产业园", "jinshui", "30000").await;
    let pid = p["id"].as_i64().unwrap().to_string();
    let js = Browser::login(&app, "js").await;
    let (st, html) = js.page("/ambassadors").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("登记招商大使/顾问/中介机构") && html.contains("没有符合条件的记录"), "{html}");
    assert!(html.contains("<option value=\"jinshui\" selected>"), "its own unit offered first: {html}");
    // errors beside their fields, what was typed kept
    let bad = [("name", "深圳前海招商服务有限公司"), ("kind", "advisor"), ("unit", "jinshui"), ("paid", "true")];
    let (st, page, _) = js.submit("/ambassadors", &[&bad[..], &[("appointed_from", "2026-01-01")]].concat()).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("只有中介机构可以按实绩付费") && page.contains("value=\"深圳前海招商服务有限公司\""),
        "{page}"
    );
    let fields = [
        ("name", "深圳前海招商服务有限公司"),
        ("kind", "intermediary"),
        ("unit", "jinshui"),
        ("phone", "13912345678"),
        ("appointed_from", "2026-01-01"),
        ("paid", "true"),
        ("fee_terms", "经市级审核确认开工后每个项目付费 20 万元"),
        ("fee_stage", "started"),
        ("fee_amount", "20"),
    ];
    let (st, _, to) = js.submit("/ambassadors", &fields).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert!(to.starts_with("/ambassadors/") && to.ends_with("?done=created"), "{to}");
    let id: i64 = to.trim_start_matches("/ambassadors/").split('?').next().unwrap().parse().unwrap();
    let (_, detail) = js.page(&to).await;
    assert!(detail.contains("13912345678") && detail.contains("尚未登记引荐线索"), "{detail}");
    assert!(
        detail.contains(&format!("<option value=\"{pid}\">金水智能终端产业园</option>")),
        "offered as a lead: {detail}"
    );
    // a lead, then no payout form until the city accepted the agreed stage
    let (st, _, to) = js.submit(&format!("/ambassadors/{id}/leads"), &[("project_ids", &pid)]).await;
    assert_eq!((st, to), (StatusCode::SEE_OTHER, format!("/ambassadors/{id}?done=leads")));
    let (_, detail) = js.page(&format!("/ambassadors/{id}")).await;
    assert!(detail.contains("暂无可付费的引荐项目") && !detail.contains("登记付费"), "{detail}");
    let skipped = serde_json::json!({"signed": "2026-03-01", "approved": "2026-04-01"});
    let body = serde_json::json!({"to": "started", "date": "2026-05-01", "skipped_dates": skipped});
    let (st, b) = app.post(&format!("/api/v1/projects/{pid}/transitions"), &city_token, body).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (_, detail) = js.page(&format!("/ambassadors/{id}")).await;
    assert!(detail.contains("可付费") && detail.contains("登记付费") && detail.contains("value=\"20.00\""), "{detail}");
    let today = domain::today_shanghai().to_string();
    let (st, page, _) = js
        .submit(&format!("/ambassadors/{id}/payouts"), &[("project_id", &pid), ("amount", "0"), ("paid_on", &today)])
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("付费金额应大于 0"), "{page}");
    let pay = [("project_id", pid.as_str()), ("amount", "20"), ("paid_on", &today), ("note", "开工审核通过")];
    let (st, _, to) = js.submit(&format!("/ambassadors/{id}/payouts"), &pay).await;
    assert_eq!((st, to), (StatusCode::SEE_OTHER, format!("/ambassadors/{id}?done=paid")));
    let (_, detail) = js.page(&format!("/ambassadors/{id}")).await;
    assert!(detail.contains("已付费") && detail.contains("开工审核通过") && !detail.contains("登记付费"), "{detail}");
    // the edit form keeps the unit and checks the version
    let edit = [&fields[..], &[("appointed_to", "2027-12-31"), ("version", "1")]].concat();
    let (st, _, to) = js.submit(&format!("/ambassadors/{id}"), &edit).await;
    assert_eq!((st, to), (StatusCode::SEE_OTHER, format!("/ambassadors/{id}?done=updated")));
    let (st, page, _) = js.submit(&format!("/ambassadors/{id}"), &edit).await;
    assert_eq!(st, StatusCode::CONFLICT, "a stale version: {page}");
    // another unit: 403 on the page; the menu entry is there for a unit
    let eq = Browser::login(&app, "eq").await;
    assert_eq!(eq.page(&format!("/ambassadors/{id}")).await.0, StatusCode::FORBIDDEN);
    assert!(eq.page("/ambassadors").await.1.contains("href=\"/ambassadors\""));
});
