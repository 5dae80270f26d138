//! HTTP plumbing: panics, 5xx logging, request ids, the login redirect and second step.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::get;
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
    let (records, _) = app.store.audit_page(1, 1).await.expect("audit page");
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
