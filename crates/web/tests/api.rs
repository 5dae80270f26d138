//! The HTTP API over real HTTP, on SQLite and PostgreSQL: api.md's contract, the
//! refusals (401/403/404/409/413/422) and that a refused request writes nothing.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

api_test!(health_and_openapi, |app| {
    let (st, b) = app.call(Method::GET, "/api/v1/health", None, None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(b["status"], "ok");
    assert_eq!(b["database"], app.store.backend_name());
    let (st, doc) = app.call(Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(st, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with('3'));
    assert!(doc["paths"]["/api/v1/projects/{id}/transitions"]["post"].is_object());
});

api_test!(login_logout_and_me, |app| {
    let (st, bad) = app
        .call(Method::POST, "/api/v1/auth/login", None, Some(json!({"username": "js", "password": "Wrong#2026pw"})))
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st2, unknown) = app
        .call(Method::POST, "/api/v1/auth/login", None, Some(json!({"username": "nobody", "password": "Wrong#2026pw"})))
        .await;
    assert_eq!(st2, StatusCode::UNAUTHORIZED);
    assert_eq!(bad, unknown, "the answer must not reveal which usernames exist");
    let t = app.login("js").await;
    let (st, me) = app.get("/api/v1/me", &t).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(me["roles"], json!(["unit_staff"]));
    assert_eq!(me["unit"]["code"], "jinshui");
    let (st, _) = app.call(Method::POST, "/api/v1/auth/logout", Some(&t), None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, e) = app.get("/api/v1/me", &t).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "a token from before logout is dead");
    assert_eq!(e["error"]["code"], "unauthorized");
    let (st, _) = app.call(Method::GET, "/api/v1/me", None, None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
});

api_test!(unit_staff_sees_only_their_unit, |app| {
    let city = app.login("city").await;
    let mine = app.project(&city, "金水智能终端项目", "jinshui", "100").await;
    let other = app.project(&city, "二七物流项目", "erqi", "100").await;
    let js = app.login("js").await;
    let (st, list) = app.get("/api/v1/projects?per_page=500", &js).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], mine["id"]);
    assert!(!list.to_string().contains("二七物流项目"));
    let (st, e) = app.get(&format!("/api/v1/projects/{}", other["id"]), &js).await;
    assert_eq!((st, e["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
    assert!(!e.to_string().contains("二七物流项目"));
    assert_eq!(app.get("/api/v1/projects/987654", &js).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/projects/abc", &js).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/projects?unit=erqi", &js).await.0, StatusCode::FORBIDDEN);
    // writes outside scope
    let (st, _) = app.post("/api/v1/projects", &js, json!({"name": "越权", "unit": "erqi", "industry": "electronics", "region": "yangtze", "total_investment": "1"})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app
        .post(
            &format!("/api/v1/projects/{}/transitions", other["id"]),
            &js,
            json!({"to": "negotiating", "date": "2025-01-01"}),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // the units list is scoped too
    let (_, units) = app.get("/api/v1/units", &js).await;
    let codes: Vec<&str> = units["items"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"jinshui") && !codes.contains(&"erqi"), "{codes:?}");
    // a city-level leader sees all, a department user sees only projects with its tasks
    let (_, l) = app.get("/api/v1/projects", &app.login("sup").await).await;
    assert_eq!(l["total"], 2);
    let (_, d) = app.get("/api/v1/projects", &app.login("dept").await).await;
    assert_eq!(d["total"], 0);
});

api_test!(illegal_transition_is_409_and_writes_nothing, |app| {
    let city = app.login("city").await;
    let p = app.project(&city, "阶段测试项目", "jinshui", "100").await;
    let path = format!("/api/v1/projects/{}/transitions", p["id"]);
    let (st, e) = app.post(&path, &city, json!({"to": "started", "date": "2025-03-01"})).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(e["error"]["code"], "conflict");
    assert!(e["error"]["message"].as_str().unwrap().contains("已签约"), "{e}");
    let (st, ok) = app.post(&path, &city, json!({"to": "signed", "date": "2025-03-01", "note": "签订投资协议"})).await;
    assert_eq!(st, StatusCode::OK, "{ok}");
    assert_eq!((ok["stage"].as_str(), ok["signed_on"].as_str()), (Some("signed"), Some("2025-03-01")));
    let (st, e) = app.post(&path, &city, json!({"to": "approved", "date": "2025-02-01"})).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert!(e["error"]["message"].as_str().unwrap().contains("日期不能倒退"));
    let (_, now) = app.get(&format!("/api/v1/projects/{}", p["id"]), &city).await;
    assert_eq!((now["stage"].as_str(), &now["version"]), (Some("signed"), &ok["version"]));
    let (_, tl) = app.get(&format!("/api/v1/projects/{}/timeline", p["id"]), &city).await;
    let kinds: Vec<&str> = tl["items"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["created", "transition"]);
    // skipping with the skipped dates is allowed
    let (st, s) = app.post(&path, &city, json!({"to": "producing", "date": "2025-09-01", "skipped_dates": {"approved": "2025-04-01", "started": "2025-05-01"}})).await;
    assert_eq!(st, StatusCode::OK, "{s}");
    assert_eq!(s["started_on"], "2025-05-01");
    // bad input is 422, not 409
    let (st, e) = app.post(&path, &city, json!({"to": "bogus", "date": "2025-13-01"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"]["fields"]["to"].is_string() && e["error"]["fields"]["date"].is_string());
});

api_test!(stale_patch_is_409, |app| {
    let city = app.login("city").await;
    let p = app.project(&city, "乐观锁项目", "jinshui", "100").await;
    let path = format!("/api/v1/projects/{}", p["id"]);
    let (st, a) = app.patch(&path, &city, json!({"name": "乐观锁项目甲", "version": p["version"]})).await;
    assert_eq!(st, StatusCode::OK, "{a}");
    let (st, e) = app.patch(&path, &city, json!({"name": "乐观锁项目乙", "version": p["version"]})).await;
    assert_eq!((st, e["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("conflict")));
    assert_eq!(app.get(&path, &city).await.1["name"], "乐观锁项目甲");
    let (st, e) = app.patch(&path, &city, json!({"name": "无版本"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"]["fields"]["version"].is_string());
    // mass assignment: system fields are refused, by name
    let (st, e) =
        app.patch(&path, &city, json!({"stage": "started", "city_reportable": true, "version": a["version"]})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"]["fields"]["stage"].is_string() && e["error"]["fields"]["city_reportable"].is_string());
    let js = app.login("js").await;
    let (st, e) = app.patch(&path, &js, json!({"unit": "erqi", "version": a["version"]})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(app.get(&path, &city).await.1["unit"], "jinshui");
});

api_test!(validation_names_the_field_and_writes_nothing, |app| {
    let city = app.login("city").await;
    let before = app.get("/api/v1/projects", &city).await.1["total"].clone();
    let (st, e) = app.post("/api/v1/projects", &city, json!({"name": "坏数据", "unit": "jinshui", "industry": "electronics", "region": "yangtze", "total_investment": "很多"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["code"], "validation");
    assert!(e["error"]["fields"]["total_investment"].is_string(), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("总投资"), "the message names the field in Chinese: {e}");
    let (st, e) = app
        .post(
            "/api/v1/projects",
            &city,
            json!({"unit": "nowhere", "industry": "x", "region": "y", "total_investment": 1.5}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["name", "total_investment"] {
        assert!(e["error"]["fields"][f].is_string(), "{f}: {e}");
    }
    let (st, e) = app
        .post(
            "/api/v1/projects",
            &city,
            json!({"name": "x", "unit": "nowhere", "industry": "x", "region": "y", "total_investment": "1"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["unit", "industry", "region"] {
        assert!(e["error"]["fields"][f].is_string(), "{f}: {e}");
    }
    let (st, e) = app.post("/api/v1/projects", &city, json!({"name": "x", "unit": "jinshui", "industry": "electronics", "region": "yangtze", "total_investment": "1", "stage": "started"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"]["fields"]["stage"].is_string());
    let res = app
        .client
        .post(format!("{}/api/v1/projects", app.base))
        .bearer_auth(&city)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.get("/api/v1/projects", &city).await.1["total"], before, "nothing of a refused request is written");
    assert_eq!(app.get("/api/v1/projects?per_page=501", &city).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get("/api/v1/projects?stage=nope", &city).await.0, StatusCode::UNPROCESSABLE_ENTITY);
});

api_test!(city_reportable_rule, |app| {
    let city = app.login("city").await;
    assert_eq!(app.project(&city, "六亿项目", "jinshui", "60000").await["city_reportable"], true);
    let small = app.project(&city, "普通项目", "jinshui", "49999.99").await;
    assert_eq!((small["city_reportable"].as_bool(), small["key_project"].as_bool()), (Some(false), Some(false)));
    let (st, c) = app.post("/api/v1/companies", &city, json!({"name": "某中国500强集团", "country": "中国", "region": "yangtze", "industry": "electronics", "china_500_rank": 120})).await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    let (st, p) = app.post("/api/v1/projects", &city, json!({"name": "五百强项目", "unit": "jinshui", "industry": "electronics", "region": "yangtze", "total_investment": "49999.99", "investor_ids": [c["id"]], "categories": ["foreign"]})).await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!((p["city_reportable"].as_bool(), p["key_project"].as_bool()), (Some(true), Some(true)));
    assert_eq!(p["investors"][0]["name"], "某中国500强集团");
    assert_eq!(p["total_investment"], "49999.99");
    // a bad credit code is refused with the field named
    let (st, e) =
        app.post("/api/v1/companies", &city, json!({"name": "某公司", "credit_code": "91350100M000100Y44"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"]["fields"]["credit_code"].as_str().unwrap().contains("校验位"));
});

api_test!(funds_and_soft_delete, |app| {
    let city = app.login("city").await;
    let js = app.login("js").await;
    let p = app.project(&city, "资金项目", "jinshui", "100").await;
    let path = format!("/api/v1/projects/{}/funds", p["id"]);
    let (st, f) = app
        .post(&path, &js, json!({"date": "2025-02-01", "kind": "domestic_out_of_province", "amount": "1200.50"}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{f}");
    assert_eq!((f["amount"].as_str(), f["review_state"].as_str()), (Some("1200.50"), Some("submitted")));
    let (st, e) = app.post(&path, &js, json!({"date": "2999-01-01", "kind": "other", "amount": "-1"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["fields"].as_object().unwrap().len(), 3, "{e}");
    assert_eq!(app.get(&path, &js).await.1["total"], 1);
    let (st, _) = app.call(Method::DELETE, &format!("/api/v1/projects/{}", p["id"]), Some(&js), None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&format!("/api/v1/projects/{}", p["id"]), &js).await.0, StatusCode::NOT_FOUND);
    let (st, r) = app.post(&format!("/api/v1/projects/{}/restore", p["id"]), &js, json!({})).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "only city_admin restores: {r}");
    let (st, _) = app.post(&format!("/api/v1/projects/{}/restore", p["id"]), &city, json!({})).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(app.get(&format!("/api/v1/projects/{}", p["id"]), &js).await.0, StatusCode::OK);
});

api_test!(separation_of_duties, |app| {
    let sys = app.login("sys").await;
    let aud = app.login("aud").await;
    assert_eq!(app.get("/api/v1/audit", &sys).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/projects", &aud).await.0, StatusCode::FORBIDDEN);
    let (st, _) = app.post("/api/v1/projects", &aud, json!({"name": "x"})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, v) = app.get("/api/v1/audit/verify", &aud).await;
    assert_eq!((st, v["ok"].as_bool()), (StatusCode::OK, Some(true)), "{v}");
    let (st, log) = app.get("/api/v1/audit?per_page=5", &aud).await;
    assert_eq!(st, StatusCode::OK);
    assert!(log["items"].as_array().unwrap().iter().any(|r| r["action"] == "authz.deny"), "denials are audited: {log}");
    let (st, logins) = app.get("/api/v1/audit/logins?per_page=50", &aud).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        logins["items"].as_array().unwrap().iter().any(|r| r["username"] == "sys" && r["success"] == true),
        "{logins}"
    );
    assert_eq!(
        app.get("/api/v1/audit/logins", &sys).await.0,
        StatusCode::FORBIDDEN,
        "only the auditor reads the login log"
    );
    // sysadmin creates users, without roles (三员分立: secadmin grants them)
    let (st, e) = app
        .post(
            "/api/v1/users",
            &sys,
            json!({"username": "two_hats", "password": "Good#2026pw", "roles": ["sysadmin", "auditor"]}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["fields"]["roles"].as_str().unwrap().contains("安全管理员"), "{e}");
    let (st, e) =
        app.post("/api/v1/users", &sys, json!({"username": "weak", "password": "password", "unit": "jinshui"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"]["fields"]["password"].is_string());
    let (st, u) = app.post("/api/v1/users", &sys, json!({"username": "new_js", "display_name": "新用户", "password": "Good#2026pw", "roles": [], "unit": "jinshui"})).await;
    assert_eq!(st, StatusCode::CREATED, "{u}");
    assert_eq!(u["roles"], json!([]));
    assert!(u.get("password_hash").is_none());
});

api_test!(every_route_declares_and_enforces_its_permission, |app| {
    let (_, doc) = app.call(Method::GET, "/api/v1/openapi.json", None, None).await;
    let public = web::api::PUBLIC;
    let mut tokens = std::collections::HashMap::new();
    for (u, _, _) in common::USERS {
        tokens.insert(*u, app.login(u).await);
    }
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let concrete = path.replace("{id}", "1");
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            if public.contains(&(method.as_str(), path.as_str())) {
                continue;
            }
            let scopes: Vec<&str> = op["security"]
                .as_array()
                .and_then(|s| s.first())
                .and_then(|s| s["bearer"].as_array())
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            assert_eq!(scopes.len(), 1, "{method} {path} declares no permission");
            let perm = domain::Permission::ALL
                .iter()
                .find(|p| p.code() == scopes[0])
                .unwrap_or_else(|| panic!("unknown permission {}", scopes[0]));
            // without a token: 401
            let (st, _) = app.call(m.clone(), &concrete, None, Some(json!({}))).await;
            assert_eq!(st, StatusCode::UNAUTHORIZED, "{method} {path} without a token");
            // every role without the permission: 403, whatever the body
            for (u, role, _) in common::USERS {
                if domain::access::has_permission(&[*role], *perm) {
                    continue;
                }
                let (st, b) = app.call(m.clone(), &concrete, Some(&tokens[u]), Some(json!({}))).await;
                assert_eq!(st, StatusCode::FORBIDDEN, "{method} {path} as {u} ({role:?}) lacks {perm:?}: {b}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 18, "walked {checked} operations");
});

api_test!(headers_and_limits, |app| {
    let city = app.login("city").await;
    let res = app.client.get(format!("{}/api/v1/health", app.base)).send().await.unwrap();
    for h in ["content-security-policy", "x-content-type-options", "referrer-policy", "x-request-id"] {
        assert!(res.headers().contains_key(h), "{h}");
    }
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    let big = "x".repeat(2 * 1024 * 1024);
    // The server answers 413 before reading the whole body and closes that connection:
    // a client of its own keeps the shared client's pool free of the dead socket.
    let once = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let res = once
        .post(format!("{}/api/v1/projects", app.base))
        .bearer_auth(&city)
        .header("content-type", "application/json")
        .body(format!("{{\"name\": \"{big}\"}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["error"]["code"], "too_large");
    let (st, e) = app.get("/api/v1/nothing-here", &city).await;
    assert_eq!((st, e["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
});

api_test!(chinese_search_through_the_api, |app| {
    let city = app.login("city").await;
    for n in ["郑州智能终端产业园", "中原冷链物流园", "新能源汽车电池项目"] {
        app.project(&city, n, "jinshui", "100").await;
    }
    let (st, r) = app.get("/api/v1/projects?q=%E7%89%A9%E6%B5%81", &city).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(r["total"], 1);
    assert_eq!(r["items"][0]["name"], "中原冷链物流园");
    let (_, r) = app.get("/api/v1/projects?q=XM", &city).await;
    assert_eq!(r["total"], 3, "codes are searchable");
});

api_test!(cached_lists_follow_writes_and_scope, |app| {
    let city = app.login("city").await;
    let js = app.login("js").await;
    app.project(&city, "缓存项目一", "jinshui", "100").await;
    let url = "/api/v1/projects?per_page=50";
    assert_eq!(app.get(url, &city).await.1["total"], 1);
    assert_eq!(app.get(url, &city).await.1["total"], 1, "a repeat (cache hit) is the same");
    let other = app.project(&city, "缓存项目二", "erqi", "100").await;
    assert_eq!(app.get(url, &city).await.1["total"], 2, "a write makes the cached page stale");
    // the same query by a unit user is not served the city's cached page
    let (_, mine) = app.get(url, &js).await;
    assert_eq!(mine["total"], 1);
    assert!(!mine.to_string().contains("缓存项目二"));
    let (st, _) = app.call(Method::DELETE, &format!("/api/v1/projects/{}", other["id"]), Some(&city), None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    assert_eq!(app.get(url, &city).await.1["total"], 1);
});

// Hole 5: `?page=9223372036854775807` overflowed the offset and dropped the connection.
api_test!(huge_pages_are_refused_naming_the_field, |app| {
    let city = app.login("city").await;
    let aud = app.login("aud").await;
    for (path, token) in [
        ("/api/v1/projects", &city),
        ("/api/v1/companies", &city),
        ("/api/v1/audit", &aud),
        ("/api/v1/audit/logins", &aud),
    ] {
        for q in ["page=9223372036854775807", "page=1000001", "page=0", "page=-1"] {
            let (st, e) = app.get(&format!("{path}?{q}"), token).await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{path}?{q}: {e}");
            assert!(e["error"]["fields"]["page"].as_str().unwrap().contains("1000000"), "{e}");
        }
        let (st, e) = app.get(&format!("{path}?per_page=18446744073709551615&page=99999999999"), token).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let fields = &e["error"]["fields"];
        assert!(fields["page"].is_string() && fields["per_page"].is_string(), "both named: {e}");
        let (st, e) = app.get(&format!("{path}?page=1000000&per_page=500"), token).await;
        assert_eq!((st, e["items"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)), "{path} far page: {e}");
    }
});

// Typed bodies: every bad field of one body is named at once, in the entity's own words;
// unknown and system-maintained keys are refused by name; every text has its maximum.
api_test!(bodies_name_every_bad_field_in_the_entitys_words, |app| {
    let city = app.login("city").await;
    let (st, e) = app
        .post(
            "/api/v1/companies",
            &city,
            json!({"name": " ", "credit_code": "91350100M000100Y44", "china_500_rank": "很高", "id": 7, "colour": "red"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let fields = e["error"]["fields"].as_object().unwrap();
    let named: Vec<&str> = fields.keys().map(String::as_str).collect();
    assert_eq!(named, ["china_500_rank", "colour", "credit_code", "id", "name"], "{e}");
    assert_eq!(
        (fields["colour"].as_str(), fields["id"].as_str()),
        (Some("未知字段"), Some("该字段由系统维护，不能直接写入"))
    );
    let message = e["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("企业名称：不能为空") && !message.contains("项目名称"),
        "a company names its own field: {e}"
    );
    // a text over the field table's maximum: 422 naming it, on create and on PATCH
    let long = "注".repeat(100_000);
    let (st, e) = app.post("/api/v1/projects", &city, json!({"name": "长备注项目", "unit": "jinshui", "industry": "electronics", "region": "yangtze", "total_investment": "1", "notes": long})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["fields"]["notes"].as_str().unwrap().contains("2000"), "{e}");
    assert_eq!(app.get("/api/v1/projects", &city).await.1["total"], 0, "nothing written");
    let p = app.project(&city, "长度项目", "jinshui", "100").await;
    let path = format!("/api/v1/projects/{}", p["id"]);
    let (st, e) =
        app.patch(&path, &city, json!({"version": p["version"], "notes": long, "name": "名".repeat(101)})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["fields"]["notes"].is_string() && e["error"]["fields"]["name"].is_string(), "{e}");
    let (st, e) = app.patch(&path, &city, json!({"version": p["version"], "name": null, "notes": null})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "a name cannot be cleared: {e}");
    assert_eq!(e["error"]["fields"].as_object().unwrap().len(), 1, "clearing notes is fine: {e}");
    let (st, e) = app
        .post(
            &format!("{path}/transitions"),
            &city,
            json!({"to": "signed", "date": "2025-03-01", "reason": "因".repeat(501), "extra": 1}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["fields"]["reason"].is_string() && e["error"]["fields"]["extra"].is_string(), "{e}");
    let (st, e) = app
        .post("/api/v1/users", &app.login("sys").await, json!({"username": "u".repeat(65), "password": "Good#2026pw"}))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("用户名"), "{e}");
    // a body that is not an object is a 400, not a 422
    for body in [json!([1, 2]), json!("name")] {
        let (st, e) = app.post("/api/v1/companies", &city, body).await;
        assert_eq!((st, e["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("validation")), "{e}");
    }
    assert_eq!(app.get(&path, &city).await.1["version"], p["version"], "no refused write changed the project");
});

api_test!(a_near_duplicate_company_is_flagged_with_the_one_it_resembles, |app| {
    let city = app.login("city").await;
    let (st, c) = app.post("/api/v1/companies", &city, json!({"name": "宇通客车股份有限公司"})).await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    // the same company without its legal form, with spaces: 409 naming and linking the first
    let (st, e) = app.post("/api/v1/companies", &city, json!({"name": " 宇通客车 有限公司"})).await;
    assert_eq!(st, StatusCode::CONFLICT, "{e}");
    let msg = e["error"]["message"].as_str().unwrap();
    assert!(msg.contains("宇通客车股份有限公司") && msg.contains(&format!("/companies/{}", c["id"])), "{e}");
    // a bad flag is named; the flag set creates it
    let (st, e) =
        app.post("/api/v1/companies", &city, json!({"name": "宇通客车有限公司", "allow_similar": "是"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("确认不是重复企业"), "{e}");
    let (st, d) =
        app.post("/api/v1/companies", &city, json!({"name": "宇通客车有限公司", "allow_similar": true})).await;
    assert_eq!(st, StatusCode::CREATED, "{d}");
    // a different company is not flagged; the exact name stays a 422
    let (st, _) = app.post("/api/v1/companies", &city, json!({"name": "宇通重工有限公司"})).await;
    assert_eq!(st, StatusCode::CREATED);
    let (st, _) =
        app.post("/api/v1/companies", &city, json!({"name": "宇通客车股份有限公司", "allow_similar": true})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
});
