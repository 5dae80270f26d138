//! What the page tests do as a browser does: read cookies from Set-Cookie headers and the
//! CSRF token from a form; and the one fixture they share, a department's task. Declared
//! from each test with `#[path = "common/browser.rs"] mod browser;` (beside `mod common;`).

#![allow(dead_code)]

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, SET_COOKIE};

/// Every Set-Cookie header of a response, as sent.
pub fn set_cookies(h: &HeaderMap) -> Vec<String> {
    h.get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect()
}

/// The value of cookie `name` among Set-Cookie headers (empty when it is being cleared).
pub fn cookie_value(set: &[String], name: &str) -> Option<String> {
    set.iter()
        .filter_map(|c| c.split(';').next())
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The value of cookie `name` set by a response.
pub fn cookie(h: &HeaderMap, name: &str) -> Option<String> {
    cookie_value(&set_cookies(h), name)
}

/// The CSRF token of a page: the hidden `_csrf` input every POST form carries.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).expect("a form with a CSRF token") + marker.len();
    html[start..].split('"').next().expect("csrf value").to_string()
}

/// A task of department `dept` on a project: dept_staff see exactly these projects.
pub async fn add_task(app: &crate::common::TestApp, project_id: i64, dept: &str) {
    use sea_orm::Set;
    let dept = app.store.unit_tree().find(dept).expect("department").id;
    let task = store::entity::dept_task::ActiveModel {
        project_id: Set(project_id),
        dept_unit_id: Set(dept),
        title: Set("用地预审".into()),
        due_on: Set(None),
        status: Set("open".into()),
        reply: Set(None),
        ..Default::default()
    };
    store::testing::fixtures::insert_new(&app.store, task).await;
}

/// A browser's session: a client that follows no redirects and the session cookie.
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    pub cookie: String,
}

impl Browser {
    /// Logs in through the /login form as `user` (password `common::PASSWORD`).
    pub async fn login(app: &crate::common::TestApp, user: &str) -> Browser {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let mut b = Browser { client, base: app.base.clone(), cookie: String::new() };
        let (_, h, html) = b.get("/login").await;
        b.cookie = format!("zs_login={}", cookie(&h, "zs_login").expect("login cookie"));
        let token = csrf_in(&html);
        let form =
            [("_csrf", token.as_str()), ("username", user), ("password", crate::common::PASSWORD), ("next", "/")];
        let (st, h, body) = b.post("/login", &form).await;
        assert_eq!(st, StatusCode::SEE_OTHER, "{body}");
        b.cookie = format!("zs_session={}", cookie_value(&set_cookies(&h), "zs_session").expect("session"));
        b
    }

    pub async fn get(&self, path: &str) -> (StatusCode, reqwest::header::HeaderMap, String) {
        let res = self.client.get(format!("{}{path}", self.base)).header("cookie", &self.cookie).send().await.unwrap();
        let (st, h) = (res.status(), res.headers().clone());
        (st, h, res.text().await.unwrap())
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, reqwest::header::HeaderMap, String) {
        let body: String = form
            .iter()
            .map(|(k, v)| format!("{}={}", web::input::encode(k), web::input::encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        let (st, h) = (res.status(), res.headers().clone());
        (st, h, res.text().await.unwrap())
    }
}
