//! A real server on a loopback port over a fresh database, and a client for it.

#![allow(dead_code)]

use std::sync::LazyLock;

use domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use store::testing::{Backend, Guard};
use store::users::NewUser;
use store::{Actor, Store};

pub const PASSWORD: &str = "Test#2026pw";

static HASH: LazyLock<String> = LazyLock::new(|| web::password::hash(PASSWORD).expect("hash"));

/// username, role, unit
pub const USERS: &[(&str, Role, Option<&str>)] = &[
    ("city", Role::CityAdmin, Some("shangwu")),
    ("js", Role::UnitStaff, Some("jinshui")),
    ("eq", Role::UnitStaff, Some("erqi")),
    ("dept", Role::DeptStaff, Some("ziranziyuan")),
    ("lead", Role::Leader, Some("jinshui")),
    ("sup", Role::Supervisor, Some("bangongting")),
    ("sys", Role::Sysadmin, None),
    ("sec", Role::Secadmin, None),
    ("aud", Role::Auditor, None),
];

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub client: reqwest::Client,
    /// This server's evidence-file folder (a fresh temporary one unless the test set its own).
    pub attachments: std::path::PathBuf,
    _files: RemoveOnDrop,
    _guard: Guard,
}

/// Removes a test server's attachments folder when the test ends.
struct RemoveOnDrop(Option<std::path::PathBuf>);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(dir) = &self.0 {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

impl TestApp {
    pub async fn start(backend: Backend) -> Option<TestApp> {
        Self::start_with(backend, web::WebConfig::default()).await
    }

    pub async fn start_with(backend: Backend, mut config: web::WebConfig) -> Option<TestApp> {
        let (store, guard) = store::testing::fresh(backend).await?;
        let files = if config.attachments_dir == web::WebConfig::default().attachments_dir {
            let dir = std::env::temp_dir().join(format!("zs-test-files-{}-{:032x}", std::process::id(), rand_u128()));
            config.attachments_dir = dir.clone();
            RemoveOnDrop(Some(dir))
        } else {
            RemoveOnDrop(None)
        };
        let attachments = config.attachments_dir.clone();
        let system = Actor::system("test");
        for (u, r, unit) in USERS {
            store
                .scoped(&system)
                .create_user(NewUser {
                    username: u.to_string(),
                    display_name: u.to_string(),
                    password_hash: HASH.clone(),
                    roles: vec![*r],
                    unit: unit.map(str::to_string),
                    must_change_password: false,
                })
                .await
                .expect("seed user");
        }
        let state = web::AppState::new(store.clone(), config).expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(web::serve(listener, web::router(state)));
        // One connection per request: a server may close a kept-alive connection after a
        // response it sent before reading the whole request body (an upload refused early),
        // and a POST on that pooled connection then fails with IncompleteMessage (seen once
        // in CI after the ledger upload tests). Browsers retry that case; reqwest does not.
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap_or_else(|e| panic!("test HTTP client: {e}"));
        Some(TestApp { base: format!("http://{addr}"), store, client, attachments, _files: files, _guard: guard })
    }

    pub async fn login(&self, username: &str) -> String {
        let (st, b) = self
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(serde_json::json!({"username": username, "password": PASSWORD})),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "login {username}: {b}");
        b["token"].as_str().expect("token").to_string()
    }

    /// API tokens of `users`, logged in one after another.
    pub async fn logins<const N: usize>(&self, users: [&str; N]) -> [String; N] {
        let mut tokens = [const { String::new() }; N];
        for (token, user) in tokens.iter_mut().zip(users) {
            *token = self.login(user).await;
        }
        tokens
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut rb = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let res = rb.send().await.expect("request");
        let st = res.status();
        let text = res.text().await.expect("body");
        (st, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PATCH, path, Some(token), Some(body)).await
    }

    /// A multipart POST (`multipart` builds the body), answered as JSON.
    pub async fn post_multipart(&self, path: &str, token: Option<&str>, parts: &[Part<'_>]) -> (StatusCode, Value) {
        let (content_type, body) = multipart(parts);
        let mut rb = self.client.post(format!("{}{path}", self.base)).header("content-type", content_type).body(body);
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        let res = rb.send().await.expect("request");
        let st = res.status();
        let text = res.text().await.expect("body");
        (st, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// Upload `bytes` as `file_name` onto a record (`POST /api/v1/attachments`).
    pub async fn upload(
        &self,
        token: &str,
        entity: &str,
        entity_id: i64,
        file_name: &str,
        bytes: &[u8],
    ) -> (StatusCode, Value) {
        let id = entity_id.to_string();
        let parts = [
            Part::text("entity", entity),
            Part::text("entity_id", &id),
            Part { name: "file", file_name: Some(file_name), bytes },
        ];
        self.post_multipart("/api/v1/attachments", Some(token), &parts).await
    }

    /// A ledger file for `POST /api/v1/imports/ledger`, a dry run or not.
    pub async fn import_ledger(&self, token: &str, name: &str, bytes: &[u8], dry_run: bool) -> (StatusCode, Value) {
        let path = format!("/api/v1/imports/ledger?dry_run={dry_run}");
        self.post_multipart(&path, Some(token), &[Part { name: "file", file_name: Some(name), bytes }]).await
    }

    /// Moves a problem's due date to `days` before today: a date in the past cannot be given
    /// now, so the test sets it as time would have made it.
    pub async fn backdate_problem(&self, id: i64, days: i64) {
        use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
        let row = store::entity::problem::Entity::find_by_id(id).one(self.store.db()).await.unwrap().unwrap();
        let mut am = row.into_active_model();
        am.due_on = Set(Some(domain::today_shanghai() - chrono::Duration::days(days)));
        am.update(self.store.db()).await.unwrap();
    }

    /// A project created by `token`'s user (industry electronics, investors from 长三角),
    /// returned as JSON.
    pub async fn project(&self, token: &str, name: &str, unit: &str, total: &str) -> Value {
        self.project_with(token, name, unit, total, serde_json::json!({})).await
    }

    /// A project as `project` makes it, with the fields of `more` besides (a lead leader,
    /// investors, …), returned as JSON.
    pub async fn project_with(&self, token: &str, name: &str, unit: &str, total: &str, more: Value) -> Value {
        let mut body = serde_json::json!({"name": name, "unit": unit, "industry": "electronics", "region": "yangtze", "total_investment": total});
        for (k, v) in more.as_object().expect("fields").iter() {
            body[k] = v.clone();
        }
        let (st, b) = self.post("/api/v1/projects", token, body).await;
        assert_eq!(st, StatusCode::CREATED, "{b}");
        b
    }

    /// A leader of the register created by `token`'s user, returned as JSON.
    pub async fn leader(&self, token: &str, name: &str, position: &str, unit: &str, level: &str) -> Value {
        let body = serde_json::json!({"name": name, "position": position, "unit": unit, "level": level});
        let (st, l) = self.post("/api/v1/leaders", token, body).await;
        assert_eq!(st, StatusCode::CREATED, "{l}");
        l
    }

    /// The city moves a project straight to 投产 on `date`, every skipped stage dated the same
    /// day (the city's own move needs no review).
    pub async fn to_producing(&self, token: &str, id: i64, date: &str) {
        let skipped = serde_json::json!({"signed": date, "approved": date, "started": date});
        let body = serde_json::json!({"to": "producing", "date": date, "skipped_dates": skipped});
        let (st, b) = self.post(&format!("/api/v1/projects/{id}/transitions"), token, body).await;
        assert_eq!(st, StatusCode::OK, "{b}");
    }
}

/// One field of a multipart form.
pub struct Part<'a> {
    pub name: &'a str,
    /// Set for a file field.
    pub file_name: Option<&'a str>,
    pub bytes: &'a [u8],
}

impl<'a> Part<'a> {
    pub fn text(name: &'a str, value: &'a str) -> Part<'a> {
        Part { name, file_name: None, bytes: value.as_bytes() }
    }
}

/// A `multipart/form-data` body and its content type (a browser's form, byte for byte).
pub fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = "----zhaoshang-test-boundary-7d1f";
    let mut body = Vec::new();
    for p in parts {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", p.name).as_bytes(),
        );
        if let Some(f) = p.file_name {
            body.extend_from_slice(format!("; filename=\"{f}\"\r\nContent-Type: application/octet-stream").as_bytes());
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(p.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A unique enough number for a temporary folder's name (the time and a counter).
fn rand_u128() -> u128 {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    (chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0) as u128) << 32 | u128::from(n)
}

/// One test body, run against a server on SQLite and one on PostgreSQL.
#[macro_export]
macro_rules! api_test {
    ($name:ident, |$app:ident| $body:block) => {
        $crate::api_test!($name, web::WebConfig::default(), |$app| $body);
    };
    ($name:ident, $config:expr, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let Some($app) = common::TestApp::start_with(store::testing::Backend::Sqlite, $config).await else {
                    return;
                };
                $body
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some($app) = common::TestApp::start_with(store::testing::Backend::Postgres, $config).await else {
                    return;
                };
                $body
            }
        }
    };
}

/// A workbook download, which must answer 200: the text of every cell, row by row.
pub async fn xlsx_cells(res: reqwest::Response) -> Vec<String> {
    assert_eq!(res.status(), StatusCode::OK, "{}", res.url());
    let bytes = res.bytes().await.unwrap();
    let sheet = ledger::read(&bytes, "download.xlsx", &ledger::Limits::default()).unwrap();
    sheet.rows.iter().flat_map(|(_, c)| c.iter().map(ledger::Cell::text)).collect()
}

/// A multipart/form-data body with one `file` field (a ledger upload).
pub fn file_upload(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    multipart(&[Part { name: "file", file_name: Some(name), bytes }])
}
