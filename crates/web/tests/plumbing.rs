//! HTTP plumbing: panics, 5xx logging, request ids, the login redirect and second step.

#[path = "common/browser.rs"]
mod browser;
mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::get;
use browser::{Answer, location};
use reqwest::StatusCode;
use serde_json::Value;

/// Log lines written while a test runs (the server runs on the test's own thread).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("logs")).into_owned()
    }
}

async fn boom() -> &'static str {
    panic!("secret detail /etc/zhaoshang.toml")
}

async fn page_boom() -> &'static str {
    panic!("page secret detail")
}

/// A router with a panicking handler, an internal error and a good route, wrapped in the
/// production layers, on a loopback port.
async fn hardened() -> String {
    let app = Router::new()
        .route("/api/v1/boom", get(boom))
        .route("/boom", get(page_boom))
        .route(
            "/api/v1/internal",
            get(|| async { Err::<(), _>(web::ApiError::Internal("SELECT secret FROM t".into())) }),
        )
        .route("/api/v1/ok", get(|| async { "ok" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(web::serve(listener, web::harden(app)));
    format!("http://{addr}")
}

fn capture() -> (Logs, tracing::subscriber::DefaultGuard) {
    let logs = Logs::default();
    let w = logs.clone();
    let sub = tracing_subscriber::fmt().with_ansi(false).with_writer(move || w.clone()).finish();
    (logs, tracing::subscriber::set_default(sub))
}

#[tokio::test(flavor = "current_thread")]
async fn a_panic_becomes_the_json_500_and_is_logged_once() {
    let (logs, _g) = capture();
    let base = hardened().await;
    let client = reqwest::Client::new();
    let res = client.get(format!("{base}/api/v1/boom")).send().await.expect("a response, not a dropped connection");
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let id = res.headers().get("x-request-id").and_then(|v| v.to_str().ok()).expect("request id").to_string();
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "internal", "{body}");
    let msg = body["error"]["message"].as_str().expect("message");
    assert!(msg.starts_with("服务器内部错误"), "{msg}");
    assert!(!body.to_string().contains("secret"), "no internals in the body: {body}");
    // The server carries on, on the same client.
    let ok = client.get(format!("{base}/api/v1/ok")).send().await.expect("still serving");
    assert_eq!(ok.status(), StatusCode::OK);
    let text = logs.text();
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("ERROR")).collect();
    assert_eq!(lines.len(), 1, "one log line for the 5xx: {text}");
    assert!(lines[0].contains(&id) && lines[0].contains("secret detail"), "{}", lines[0]);
}

#[tokio::test(flavor = "current_thread")]
async fn a_panicking_page_gets_the_html_error_page() {
    let (_logs, _g) = capture();
    let base = hardened().await;
    let res = reqwest::get(format!("{base}/boom")).await.expect("response");
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(res.headers().get("x-request-id").is_some());
    let ct = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(ct.starts_with("text/html"), "{ct}");
    let html = res.text().await.expect("body");
    assert!(html.contains("服务器内部错误") && !html.contains("secret"), "{html}");
}

#[tokio::test(flavor = "current_thread")]
async fn an_internal_error_is_logged_once_with_its_request_id() {
    let (logs, _g) = capture();
    let base = hardened().await;
    let res = reqwest::Client::new()
        .get(format!("{base}/api/v1/internal"))
        .header("x-request-id", "client-id-42")
        .send()
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(res.headers().get("x-request-id").and_then(|v| v.to_str().ok()), Some("client-id-42"));
    let body: Value = res.json().await.expect("json");
    assert!(!body.to_string().contains("SELECT"), "{body}");
    let text = logs.text();
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("ERROR")).collect();
    assert_eq!(lines.len(), 1, "logged exactly once: {text}");
    assert!(lines[0].contains("client-id-42") && lines[0].contains("SELECT secret"), "{}", lines[0]);
}

/// Log in over the API sending `request_id`; the response's id and the id the login's
/// audit record carries.
async fn login_with_request_id(app: &common::TestApp, request_id: &str) -> (String, Option<String>) {
    let res = app
        .client
        .post(format!("{}/api/v1/auth/login", app.base))
        .header("x-request-id", request_id)
        .json(&serde_json::json!({"username": "city", "password": common::PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), StatusCode::OK);
    let echoed = res.headers().get("x-request-id").and_then(|v| v.to_str().ok()).expect("request id").to_string();
    let (records, _) = app.store.scoped(&store::Actor::system("test")).audit_page(1, 1).await.expect("audit page");
    assert_eq!(records[0].action, "auth.login", "{:?}", records[0]);
    (echoed, records[0].request_id.clone())
}

api_test!(a_long_or_odd_client_request_id_is_replaced, |app| {
    let long = "a".repeat(5017);
    for bad in [long.as_str(), "has space", "quote\"", "a/b", &"b".repeat(65)] {
        let (echoed, stored) = login_with_request_id(&app, bad).await;
        assert_ne!(echoed, bad, "a bad client id is not echoed");
        assert!(echoed.len() <= web::MAX_REQUEST_ID && web::good_request_id(echoed.as_bytes()), "{echoed}");
        assert_eq!(stored.as_deref(), Some(echoed.as_str()), "the audit record carries the generated id");
    }
    let good = "req-2026.12:01_abc";
    let (echoed, stored) = login_with_request_id(&app, good).await;
    assert_eq!(echoed, good);
    assert_eq!(stored.as_deref(), Some(good));
    let edge = "c".repeat(64);
    assert_eq!(login_with_request_id(&app, &edge).await.1.as_deref(), Some(edge.as_str()));
});

// ---------------------------------------------------------------- the login page

/// The shared browser, keeping after every answer the cookie the server last set (as a
/// browser's cookie jar would).
struct Browser(browser::Browser);

impl Browser {
    fn new(app: &common::TestApp) -> Browser {
        Browser(browser::Browser::new(app))
    }

    fn keep_cookies(&mut self, h: &reqwest::header::HeaderMap) {
        for c in h.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()) {
            let kv = c.split(';').next().unwrap_or("");
            if !kv.ends_with('=') {
                self.0.cookie = kv.to_string();
            }
        }
    }

    async fn get(&mut self, path: &str) -> Answer {
        let answer = self.0.get(path).await;
        self.keep_cookies(&answer.1);
        answer
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let answer = self.0.post(path, form).await;
        self.keep_cookies(&answer.1);
        answer
    }

    /// The login form's first step, with `next`.
    async fn login(&mut self, user: &str, next: &str) -> Answer {
        let (st, _, html) = self.get("/login").await;
        assert_eq!(st, StatusCode::OK);
        let csrf = hidden(&html, "_csrf");
        self.post("/login", &[("_csrf", &csrf), ("username", user), ("password", common::PASSWORD), ("next", next)])
            .await
    }
}

fn hidden(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = html.find(&key).unwrap_or_else(|| panic!("no {name} in {html}")) + key.len();
    html[at..].split('"').next().unwrap_or_default().to_string()
}

/// What the vectors of an open redirect look like in a query string or a form.
const OFFSITE: &[(&str, &str)] = &[
    ("//evil.example", "%2F%2Fevil.example"),
    ("/\\evil.example", "%2F%5Cevil.example"),
    ("/\t/evil.example", "%2F%09%2Fevil.example"),
    ("https://evil.example", "https%3A%2F%2Fevil.example"),
    ("///evil.example", "%2F%2F%2Fevil.example"),
    ("/\n/evil.example", "%2F%0A%2Fevil.example"),
];

api_test!(login_next_goes_to_a_path_on_this_site_only, |app| {
    for (decoded, _) in OFFSITE {
        let mut b = Browser::new(&app);
        let (st, h, _) = b.login("city", decoded).await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        let to = location(&h);
        assert!(to.starts_with('/') && !to.contains("evil"), "{decoded:?} → {to:?}");
    }
    // Logged in already: GET /login?next=… redirects straight on, by the same rule.
    let mut b = Browser::new(&app);
    b.login("city", "/projects").await;
    for (_, encoded) in OFFSITE {
        let (st, h, _) = b.get(&format!("/login?next={encoded}")).await;
        assert_eq!(st, StatusCode::SEE_OTHER);
        assert_eq!(location(&h), "/", "{encoded}");
    }
    let (_, h, _) = b.get("/login?next=/%2F%2Fevil").await;
    assert_eq!(location(&h), "/", "/%2F%2Fevil");
    let (_, h, _) = b.get("/login?next=%2Fprojects%3Fstage%3Dsigned").await;
    assert_eq!(location(&h), "/projects?stage=signed", "a path on this site is kept");
});

/// Turn TOTP on for `user` over the API; the raw secret and the step its enrolment used.
async fn enable_totp(app: &common::TestApp, user: &str) -> (Vec<u8>, i64) {
    let token = app.login(user).await;
    let (st, setup) = app.post("/api/v1/auth/totp/setup", &token, serde_json::json!({})).await;
    assert_eq!(st, StatusCode::OK, "{setup}");
    let raw = web::totp::base32_decode(setup["secret"].as_str().expect("secret")).expect("base32");
    let step = store::now().timestamp() / web::totp::STEP_SECONDS;
    let code = web::totp::code(&raw, step, 6).expect("code");
    let (st, b) = app.post("/api/v1/auth/totp/enable", &token, serde_json::json!({"code": code})).await;
    assert!(st.is_success(), "{b}");
    (raw, step)
}

/// A six-digit code that is wrong for the steps around `step`.
fn wrong_code(raw: &[u8], step: i64) -> String {
    let near: Vec<String> = (step - 2..=step + 2).filter_map(|s| web::totp::code(raw, s, 6)).collect();
    (0..10).map(|d| format!("{d}{d}{d}{d}{d}{d}")).find(|c| !near.contains(c)).expect("a wrong code")
}

api_test!(the_login_page_asks_for_the_code_only_from_accounts_with_totp, |app| {
    // No TOTP: the page has no code field, and the password alone logs in.
    let mut b = Browser::new(&app);
    let (_, _, html) = b.get("/login").await;
    assert!(!html.contains("name=\"totp\""), "the first step asks nobody for a code");
    let (st, h, _) = b.login("js", "/projects").await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), "/projects");
    assert!(b.0.cookie.starts_with("zs_session="), "{}", b.0.cookie);

    let (raw, step) = enable_totp(&app, "city").await;
    // A wrong password for the TOTP account reads like any other: no second step.
    let mut b = Browser::new(&app);
    let (_, _, html) = b.get("/login").await;
    let csrf = hidden(&html, "_csrf");
    let (st, _, html) = b.post("/login", &[("_csrf", &csrf), ("username", "city"), ("password", "Wrong#2026pw")]).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert!(!html.contains("name=\"totp\"") && !html.contains("name=\"pending\""), "{html}");

    // The right password: the second step, with no session yet.
    let (st, h, html) = b.login("city", "/projects").await;
    assert_eq!(st, StatusCode::OK);
    assert!(h.get("set-cookie").and_then(|v| v.to_str().ok()).is_none_or(|c| !c.starts_with("zs_session")));
    assert!(html.contains("name=\"totp\""), "{html}");
    assert!(!html.contains("name=\"password\""), "the second step asks only for the code");
    let pending = hidden(&html, "pending");

    // A wrong code does not log in, and is in the login log as a failure (lockout counts it).
    let bad = wrong_code(&raw, step);
    let csrf = hidden(&html, "_csrf");
    let (st, h, html) =
        b.post("/login", &[("_csrf", &csrf), ("pending", &pending), ("totp", &bad), ("next", "/projects")]).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "{html}");
    assert!(h.get("location").is_none() && !b.0.cookie.starts_with("zs_session"));
    assert!(html.contains("动态口令错误"), "{html}");
    let log = app.store.scoped(&store::Actor::system("test")).login_log(1).await.expect("login log");
    assert!(!log[0].success && log[0].reason.as_deref() == Some(store::users::WRONG_TOTP), "{:?}", log[0]);

    // A made-up pending token gets nowhere.
    let csrf = hidden(&html, "_csrf");
    let good = web::totp::code(&raw, step + 1, 6).expect("code");
    let (st, _, _) = b.post("/login", &[("_csrf", &csrf), ("pending", "made-up"), ("totp", &good)]).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert!(!b.0.cookie.starts_with("zs_session"));

    // The right code (a step not used yet) logs in and goes on to `next`.
    let (_, _, html) = b.login("city", "/projects").await;
    let (csrf, pending) = (hidden(&html, "_csrf"), hidden(&html, "pending"));
    let (st, h, _) =
        b.post("/login", &[("_csrf", &csrf), ("pending", &pending), ("totp", &good), ("next", "/projects")]).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), "/projects");
    assert!(b.0.cookie.starts_with("zs_session="), "{}", b.0.cookie);
    // The pending login is spent.
    let mut other = Browser::new(&app);
    let (_, _, html) = other.get("/login").await;
    let csrf = hidden(&html, "_csrf");
    let (st, _, _) = other.post("/login", &[("_csrf", &csrf), ("pending", &pending), ("totp", &good)]).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
});

api_test!(a_pending_login_allows_three_wrong_codes, |app| {
    let (raw, step) = enable_totp(&app, "city").await;
    let bad = wrong_code(&raw, step);
    let mut b = Browser::new(&app);
    let (_, _, mut html) = b.login("city", "/").await;
    let pending = hidden(&html, "pending");
    for _ in 0..web::auth::PENDING_ATTEMPTS {
        let csrf = hidden(&html, "_csrf");
        let (st, _, h) = b.post("/login", &[("_csrf", &csrf), ("pending", &pending), ("totp", &bad)]).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        html = h;
    }
    assert!(!html.contains("name=\"pending\""), "after three wrong codes the password is asked again: {html}");
    let good = web::totp::code(&raw, step + 1, 6).expect("code");
    let csrf = hidden(&html, "_csrf");
    let (st, _, html) = b.post("/login", &[("_csrf", &csrf), ("pending", &pending), ("totp", &good)]).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "the spent pending login takes no code, even a right one");
    assert!(html.contains("登录已超时"), "{html}");
});

// ---------------------------------------------------------------- the audit pages

api_test!(the_audit_page_speaks_chinese_filters_and_bounds_its_pages, |app| {
    let city = app.login("city").await;
    let p = app.project(&city, "审计页项目", "jinshui", "100").await;
    let (code, name) = (p["code"].as_str().expect("code"), p["name"].as_str().expect("name"));
    let mut aud = Browser::new(&app);
    aud.login("aud", "/admin/audit").await;
    let (st, _, html) = aud.get("/admin/audit").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("审计链完整"), "{html}");
    assert!(html.contains(&format!("项目 {code} {name}")), "a project by its code and name: {html}");
    assert!(!html.contains("项目 #"), "{html}");
    assert!(!html.contains(">auth.login<") && !html.contains(" auth.login") && html.contains("新建项目"));
    // The second view checks only what is new (the full check stays one click away).
    let (_, _, html) = aud.get("/admin/audit").await;
    assert!(html.contains("完整校验全部记录"), "{html}");
    let (_, _, html) = aud.get("/admin/audit?verify=full").await;
    assert!(html.contains("审计链完整") && !html.contains("完整校验全部记录"), "{html}");

    // Filters: user, action, time.
    let (st, _, html) = aud.get("/admin/audit?action=project.create").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("新建项目") && !html.contains("<td>登录</td>"), "{html}");
    let (_, _, html) = aud.get("/admin/audit?user=aud").await;
    assert!(html.contains("<td>登录</td>") && !html.contains("新建项目</td>"), "{html}");
    let today = store::now().with_timezone(&domain::SHANGHAI).date_naive();
    let (_, _, html) = aud.get(&format!("/admin/audit?from={today}&to={today}&action=project.create")).await;
    assert!(html.contains(&format!("项目 {code} {name}")), "{html}");
    let yesterday = today.pred_opt().expect("yesterday");
    let (_, _, html) = aud.get(&format!("/admin/audit?to={yesterday}")).await;
    assert!(html.contains("没有审计记录"), "{html}");

    // Bad filters and page numbers: 422 naming the field, never a panic.
    for (q, field) in [
        ("page=9223372036854775807", "页码"),
        ("page=0", "页码"),
        ("page=abc", "页码"),
        ("from=2026-13-01", "起始日期"),
        ("action=drop.table", "操作"),
        ("from=2026-02-01&to=2026-01-01", "截止日期"),
    ] {
        let (st, _, html) = aud.get(&format!("/admin/audit?{q}")).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert!(html.contains(field), "{q}: {html}");
    }
    let (st, _, html) = aud.get("/admin/logins?page=9223372036854775807").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("页码"), "{html}");
    assert_eq!(aud.get("/admin/logins?page=1").await.0, StatusCode::OK);
});

api_test!(the_audit_export_is_for_the_auditor_audited_and_rate_limited, |app| {
    let mut aud = Browser::new(&app);
    aud.login("aud", "/admin/audit").await;
    let (st, h, body) = aud.get("/admin/audit/export.xlsx?action=auth.login").await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let ct = h.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(ct.contains("spreadsheetml"), "{ct}");
    let (records, _) = app.store.scoped(&store::Actor::system("test")).audit_page(1, 1).await.expect("audit");
    assert_eq!(records[0].action, "audit.export");
    assert_eq!(records[0].username.as_deref(), Some("aud"));
    assert!(records[0].after.as_deref().unwrap_or_default().contains("操作=登录"), "{:?}", records[0].after);
    for who in ["city", "sys", "sec"] {
        let mut b = Browser::new(&app);
        b.login(who, "/").await;
        assert_eq!(b.get("/admin/audit/export.xlsx").await.0, StatusCode::FORBIDDEN, "{who}");
    }
    let mut last = StatusCode::OK;
    for _ in 0..12 {
        last = aud.get("/admin/audit/export.xlsx").await.0;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
});
