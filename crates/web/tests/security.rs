//! security.md controls over real HTTP, on SQLite and PostgreSQL: lockout, per-address
//! limiting, sessions ended by disabling, role assignment (三员分立), audit tamper evidence.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::json;

fn short_lockout() -> web::WebConfig {
    web::WebConfig {
        lockout_window: chrono::Duration::seconds(60),
        lockout_duration: chrono::Duration::seconds(2),
        ..Default::default()
    }
}

async fn try_login(
    app: &common::TestApp,
    user: &str,
    password: &str,
    xff: Option<&str>,
) -> (StatusCode, serde_json::Value) {
    let mut rb = app
        .client
        .post(format!("{}/api/v1/auth/login", app.base))
        .json(&json!({"username": user, "password": password}));
    if let Some(x) = xff {
        rb = rb.header("x-forwarded-for", x);
    }
    let res = rb.send().await.unwrap();
    let st = res.status();
    (st, res.json().await.unwrap_or_default())
}

api_test!(sixth_login_is_refused_even_with_the_right_password, short_lockout(), |app| {
    for _ in 0..5 {
        assert_eq!(try_login(&app, "js", "Wrong#2026pw", None).await.0, StatusCode::UNAUTHORIZED);
    }
    let (st, e) = try_login(&app, "js", common::PASSWORD, None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "locked: {e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("锁定"));
    // an unknown username locks the same way, so locking reveals nothing
    for _ in 0..5 {
        try_login(&app, "ghost", "Wrong#2026pw", None).await;
    }
    let (_, ghost) = try_login(&app, "ghost", "Wrong#2026pw", None).await;
    assert_eq!(ghost["error"]["message"], e["error"]["message"]);
    tokio::time::sleep(std::time::Duration::from_millis(2300)).await;
    let (st, ok) = try_login(&app, "js", common::PASSWORD, None).await;
    assert_eq!(st, StatusCode::OK, "after the lock period it works: {ok}");
    let log = app.store.scoped(&store::Actor::system("test")).login_log(100).await.unwrap();
    let js: Vec<_> = log.iter().filter(|r| r.username == "js").collect();
    assert_eq!(js.len(), 7, "every attempt is in the login log");
    assert_eq!(js.iter().filter(|r| r.success).count(), 1);
});

api_test!(
    rotating_forwarded_for_does_not_bypass_the_address_limit,
    web::WebConfig { address_failures: 3, ..Default::default() },
    |app| {
        for i in 0..3 {
            let (st, _) = try_login(&app, &format!("user{i}"), "Wrong#2026pw", Some(&format!("10.0.0.{i}"))).await;
            assert_eq!(st, StatusCode::UNAUTHORIZED);
        }
        let (st, e) = try_login(&app, "js", common::PASSWORD, Some("10.9.9.9")).await;
        assert_eq!(st, StatusCode::TOO_MANY_REQUESTS, "{e}");
        assert_eq!(e["error"]["code"], "rate_limited");
    }
);

api_test!(disabling_a_user_ends_their_session, |app| {
    let js = app.login("js").await;
    assert_eq!(app.get("/api/v1/me", &js).await.0, StatusCode::OK);
    let sys = app.login("sys").await;
    let (_, users) = app.get("/api/v1/users", &sys).await;
    let id = users["items"].as_array().unwrap().iter().find(|u| u["username"] == "js").unwrap()["id"].clone();
    let (st, u) = app.patch(&format!("/api/v1/users/{id}"), &sys, json!({"disabled": true})).await;
    assert_eq!(st, StatusCode::OK, "{u}");
    assert_eq!(app.get("/api/v1/me", &js).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(try_login(&app, "js", common::PASSWORD, None).await.0, StatusCode::UNAUTHORIZED);
    let (st, _) = app.patch(&format!("/api/v1/users/{id}"), &sys, json!({"disabled": false})).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(try_login(&app, "js", common::PASSWORD, None).await.0, StatusCode::OK);
    // roles are not writable through the user update
    let (st, e) = app.patch(&format!("/api/v1/users/{id}"), &sys, json!({"roles": ["city_admin"]})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
});

api_test!(only_secadmin_assigns_roles, |app| {
    let sys = app.login("sys").await;
    let sec = app.login("sec").await;
    let (_, users) = app.get("/api/v1/users", &sys).await;
    let id_of =
        |name: &str| users["items"].as_array().unwrap().iter().find(|u| u["username"] == name).unwrap()["id"].clone();
    let put_roles = async |name: &str, by: &str, roles: serde_json::Value| {
        let path = format!("/api/v1/users/{}/roles", id_of(name));
        app.call(Method::PUT, &path, Some(by), Some(json!({ "roles": roles }))).await
    };
    let (st, _) = put_roles("sys", &sys, json!(["sysadmin", "auditor"])).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "sysadmin cannot grant itself a role");
    let (st, e) = put_roles("js", &sec, json!(["unit_staff", "auditor"])).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "三员分立: {e}");
    let js = app.login("js").await;
    let (st, u) = put_roles("js", &sec, json!(["unit_staff", "leader"])).await;
    assert_eq!(st, StatusCode::OK, "{u}");
    assert_eq!(u["roles"], json!(["unit_staff", "leader"]));
    assert_eq!(app.get("/api/v1/me", &js).await.0, StatusCode::UNAUTHORIZED, "a role change ends the sessions");
    let (st, _) = put_roles("sec", &sec, json!(["secadmin"])).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "not its own roles either");
});

api_test!(deleting_an_audit_row_breaks_the_chain_there, |app| {
    let city = app.login("city").await;
    for i in 0..3 {
        app.project(&city, &format!("链项目{i}"), "jinshui", "1").await;
    }
    let aud = app.login("aud").await;
    let (_, v) = app.get("/api/v1/audit/verify", &aud).await;
    assert_eq!(v["ok"], true);
    use sea_orm::{ConnectionTrait, Statement};
    let db = app.store.db();
    let b = app.store.backend();
    let ids: Vec<i64> = db
        .query_all_raw(Statement::from_string(b, "SELECT id FROM audit_log ORDER BY id"))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<i64>("", "id").unwrap())
        .collect();
    let (victim, next) = (ids[2], ids[3]);
    store::testing::drop_audit_guards(&app.store).await;
    db.execute_raw(Statement::from_string(b, format!("DELETE FROM audit_log WHERE id = {victim}"))).await.unwrap();
    let (st, v) = app.get("/api/v1/audit/verify", &aud).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!((v["ok"].as_bool(), v["broken_at"].as_i64()), (Some(false), Some(next)), "{v}");
});

api_test!(a_new_account_must_change_its_password_first, |app| {
    let sys = app.login("sys").await;
    let (st, u) = app
        .post("/api/v1/users", &sys, json!({"username": "newbie", "password": "Given#2026pw", "unit": "jinshui"}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{u}");
    let (st, b) = try_login(&app, "newbie", "Given#2026pw", None).await;
    assert_eq!((st, b["must_change_password"].as_bool()), (StatusCode::OK, Some(true)));
    let t = b["token"].as_str().unwrap().to_string();
    let (st, e) = app.get("/api/v1/projects", &t).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert!(e["error"]["message"].as_str().unwrap().contains("修改密码"), "{e}");
    assert_eq!(app.get("/api/v1/me", &t).await.0, StatusCode::OK, "reading oneself is allowed, roles or not");
    let second = try_login(&app, "newbie", "Given#2026pw", None).await.1["token"].as_str().unwrap().to_string();
    let pw = "/api/v1/auth/password";
    let (st, e) = app.post(pw, &t, json!({"current_password": "Wrong#2026pw", "new_password": "Mine#2026pw"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"]["fields"]["current_password"].is_string());
    let (st, e) = app.post(pw, &t, json!({"current_password": "Given#2026pw", "new_password": "short"})).await;
    assert!(st == StatusCode::UNPROCESSABLE_ENTITY && e["error"]["fields"]["new_password"].is_string(), "{e}");
    let (st, _) = app.post(pw, &t, json!({"current_password": "Given#2026pw", "new_password": "Mine#2026pw"})).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, me) = app.get("/api/v1/me", &t).await;
    assert_eq!(
        (st, me["must_change_password"].as_bool()),
        (StatusCode::OK, Some(false)),
        "the changing session goes on"
    );
    assert_eq!(app.get("/api/v1/projects", &t).await.0, StatusCode::FORBIDDEN, "no role yet");
    assert_eq!(app.get("/api/v1/me", &second).await.0, StatusCode::UNAUTHORIZED, "other sessions end");
    assert_eq!(try_login(&app, "newbie", "Given#2026pw", None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(try_login(&app, "newbie", "Mine#2026pw", None).await.0, StatusCode::OK);
});

/// The id of a user by name, as sysadmin's list shows it.
async fn id_of(app: &common::TestApp, name: &str) -> i64 {
    let (_, users) = app.get("/api/v1/users", &app.login("sys").await).await;
    users["items"].as_array().unwrap().iter().find(|u| u["username"] == name).unwrap()["id"].as_i64().unwrap()
}

async fn put_roles(
    app: &common::TestApp,
    token: &str,
    id: i64,
    roles: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    app.call(Method::PUT, &format!("/api/v1/users/{id}/roles"), Some(token), Some(json!({"roles": roles}))).await
}

// 三员分立 (hole 1): sysadmin cannot make an account with rights and use it.
api_test!(sysadmin_creates_accounts_without_roles, |app| {
    let sys = app.login("sys").await;
    let before = app.store.scoped(&store::Actor::system("test")).count_users().await.unwrap();
    for roles in [json!(["city_admin"]), json!(["secadmin"]), json!(["auditor"]), json!(["unit_staff"])] {
        let body = json!({"username": "hat", "password": "Given#2026pw", "unit": "jinshui", "roles": roles});
        let (st, e) = app.post("/api/v1/users", &sys, body).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{roles}: {e}");
        assert_eq!(e["error"]["fields"]["roles"], store::users::NO_ROLES_AT_CREATE, "{e}");
    }
    assert_eq!(app.store.scoped(&store::Actor::system("test")).count_users().await.unwrap(), before, "nothing created");
    let (st, u) = app
        .post(
            "/api/v1/users",
            &sys,
            json!({"username": "hat", "password": "Given#2026pw", "roles": [], "unit": "jinshui"}),
        )
        .await;
    assert_eq!((st, &u["roles"]), (StatusCode::CREATED, &json!([])), "{u}");
    // what sysadmin can do with it: nothing but change its password
    let (_, b) = try_login(&app, "hat", "Given#2026pw", None).await;
    let t = b["token"].as_str().unwrap().to_string();
    let pw = json!({"current_password": "Given#2026pw", "new_password": "Mine#2026pw"});
    assert_eq!(app.post("/api/v1/auth/password", &t, pw).await.0, StatusCode::NO_CONTENT);
    for path in ["/api/v1/projects", "/api/v1/companies", "/api/v1/users", "/api/v1/audit"] {
        assert_eq!(app.get(path, &t).await.0, StatusCode::FORBIDDEN, "{path}");
    }
});

api_test!(secadmin_grants_roles_only_after_the_initial_password_is_changed, |app| {
    let sys = app.login("sys").await;
    let sec = app.login("sec").await;
    let (st, u) = app
        .post("/api/v1/users", &sys, json!({"username": "newbie", "password": "Given#2026pw", "unit": "jinshui"}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{u}");
    let id = u["id"].as_i64().unwrap();
    let (st, e) = put_roles(&app, &sec, id, json!(["unit_staff"])).await;
    assert_eq!((st, e["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("conflict")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("初始密码"), "{e}");
    assert!(app.store.credentials("newbie").await.unwrap().unwrap().user.roles.is_empty(), "nothing granted");
    // the user changes it; now the grant works
    let t = try_login(&app, "newbie", "Given#2026pw", None).await.1["token"].as_str().unwrap().to_string();
    let pw = json!({"current_password": "Given#2026pw", "new_password": "Mine#2026pw"});
    assert_eq!(app.post("/api/v1/auth/password", &t, pw).await.0, StatusCode::NO_CONTENT);
    // no administrator role over the web, even to a changed account
    for admin in ["sysadmin", "secadmin", "auditor"] {
        let (st, e) = put_roles(&app, &sec, id, json!([admin])).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{admin}: {e}");
        assert_eq!(e["error"]["fields"]["roles"], store::users::ADMIN_ROLES_ON_SERVER);
    }
    let (st, u) = put_roles(&app, &sec, id, json!(["unit_staff"])).await;
    assert_eq!((st, &u["roles"]), (StatusCode::OK, &json!(["unit_staff"])), "{u}");
    let t = try_login(&app, "newbie", "Mine#2026pw", None).await.1["token"].as_str().unwrap().to_string();
    assert_eq!(app.get("/api/v1/projects", &t).await.0, StatusCode::OK);
});

api_test!(no_web_user_changes_the_administrator_accounts, |app| {
    let sys = app.login("sys").await;
    let sec = app.login("sec").await;
    let ids = [id_of(&app, "sys").await, id_of(&app, "sec").await, id_of(&app, "aud").await];
    let fingerprint = || async {
        let users = app.store.scoped(&store::Actor::system("test")).list_users().await.unwrap();
        users.iter().filter(|u| ids.contains(&u.id)).map(|u| format!("{u:?}")).collect::<Vec<_>>()
    };
    let before = fingerprint().await;
    for id in ids {
        for body in [json!({"disabled": true}), json!({"display_name": "改名"}), json!({"unit": "jinshui"})] {
            let (st, e) = app.patch(&format!("/api/v1/users/{id}"), &sys, body.clone()).await;
            let expected = if id == ids[0] && body.get("disabled").is_some() {
                StatusCode::UNPROCESSABLE_ENTITY // 不能停用自己的账号
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(st, expected, "sysadmin PATCH {id} {body}: {e}");
        }
        if id != ids[1] {
            let (st, e) = put_roles(&app, &sec, id, json!(["leader"])).await;
            assert_eq!(st, StatusCode::FORBIDDEN, "secadmin re-roles {id}: {e}");
        }
    }
    assert_eq!(fingerprint().await, before, "nothing changed");
    for u in ["sys", "sec", "aud"] {
        assert_eq!(try_login(&app, u, common::PASSWORD, None).await.0, StatusCode::OK, "{u} still signs in");
    }
});

api_test!(
    an_expired_password_forces_a_change,
    web::WebConfig { password_max_age: Some(chrono::Duration::zero()), ..Default::default() },
    |app| {
        let city = app.login("city").await;
        assert_eq!(app.get("/api/v1/projects", &city).await.0, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/api/v1/me", &city).await.1["must_change_password"], true);
    }
);

api_test!(
    pbkdf2_sm3_can_be_chosen_for_new_passwords,
    web::WebConfig { password_kdf: web::password::Kdf::Pbkdf2Sm3, ..Default::default() },
    |app| {
        let sys = app.login("sys").await; // an argon2id hash from before still verifies
        let (st, _) = app
            .post("/api/v1/users", &sys, json!({"username": "sm3user", "password": "Guomi#2026pw", "unit": "jinshui"}))
            .await;
        assert_eq!(st, StatusCode::CREATED);
        let stored = app.store.credentials("sm3user").await.unwrap().unwrap().password_hash;
        assert!(stored.starts_with("$pbkdf2-sm3$"), "{stored}");
        assert_eq!(try_login(&app, "sm3user", "Guomi#2026pw", None).await.0, StatusCode::OK);
        assert_eq!(try_login(&app, "sm3user", "Guomi#2026pW", None).await.0, StatusCode::UNAUTHORIZED);
    }
);

api_test!(
    administrators_need_a_second_factor_when_the_policy_says_so,
    web::WebConfig { totp_required_for_admins: true, ..Default::default() },
    |app| {
        let sys = app.login("sys").await;
        let (st, e) = app.get("/api/v1/users", &sys).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{e}");
        assert!(e["error"]["message"].as_str().unwrap().contains("动态口令"));
        assert_eq!(
            app.get("/api/v1/projects", &app.login("city").await).await.0,
            StatusCode::OK,
            "business roles are not affected"
        );
        let (st, setup) = app.post("/api/v1/auth/totp/setup", &sys, json!({})).await;
        assert_eq!(st, StatusCode::OK, "{setup}");
        let secret = setup["secret"].as_str().unwrap().to_string();
        assert!(setup["otpauth_uri"].as_str().unwrap().starts_with("otpauth://totp/zhaoshang:sys?"));
        let raw = web::totp::base32_decode(&secret).unwrap();
        let step = store::now().timestamp() / web::totp::STEP_SECONDS;
        let (st, e) = app.post("/api/v1/auth/totp/enable", &sys, json!({"code": "000000"})).await;
        assert!(
            st == StatusCode::UNPROCESSABLE_ENTITY || web::totp::code(&raw, step, 6).as_deref() == Some("000000"),
            "{e}"
        );
        let (st, _) =
            app.post("/api/v1/auth/totp/enable", &sys, json!({"code": web::totp::code(&raw, step, 6).unwrap()})).await;
        assert_eq!(st, StatusCode::NO_CONTENT);
        assert_eq!(app.get("/api/v1/users", &sys).await.0, StatusCode::OK, "enrolled: the session is fully usable");
        // a new login needs the code; a used code is not accepted twice
        let (st, e) = try_login(&app, "sys", common::PASSWORD, None).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        assert!(e["error"]["fields"]["totp"].is_string(), "{e}");
        let next = web::totp::code(&raw, step + 1, 6).unwrap();
        let login = |code: String| {
            let app = &app;
            async move {
                let res = app
                    .client
                    .post(format!("{}/api/v1/auth/login", app.base))
                    .json(&json!({"username": "sys", "password": common::PASSWORD, "totp": code}))
                    .send()
                    .await
                    .unwrap();
                res.status()
            }
        };
        assert_eq!(login(next.clone()).await, StatusCode::OK);
        assert_eq!(login(next).await, StatusCode::UNAUTHORIZED, "replay refused");
        let (st, _) = app.post("/api/v1/auth/totp/setup", &sys, json!({})).await;
        assert_eq!(st, StatusCode::CONFLICT, "cannot silently replace an enabled factor");
    }
);

// Usernames are unique regardless of case; login is by the exact name (a case variant is
// another, unknown, name: it cannot reach the account, nor spread its lockout count).
api_test!(usernames_are_unique_regardless_of_case, |app| {
    let sys = app.login("sys").await;
    for name in ["JS", "Js", "CITY", "Sys"] {
        let (st, e) = app
            .post("/api/v1/users", &sys, json!({"username": name, "password": "Given#2026pw", "unit": "jinshui"}))
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {e}");
        assert!(e["error"]["fields"]["username"].as_str().unwrap().contains("用户名已存在"), "{e}");
    }
    assert_eq!(try_login(&app, "JS", common::PASSWORD, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(try_login(&app, "js", common::PASSWORD, None).await.0, StatusCode::OK);
    // the database's own guard: a unique index on lower(username)
    use sea_orm::ConnectionTrait;
    let r = app.store.db().execute_unprepared("UPDATE users SET username = 'CITY' WHERE username = 'js'").await;
    assert!(r.is_err(), "the index refuses a case variant");
});
