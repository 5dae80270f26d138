//! What the page tests do as a browser does: log in through the login page, read cookies
//! from Set-Cookie headers and the CSRF token from a form, open pages and submit forms
//! (`Browser`); and the one fixture they share, a department's task. Declared
//! from each test with `#[path = "common/browser.rs"] mod browser;` (beside `mod common;`).

#![allow(dead_code)]

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};

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

/// A response as a browser sees it: status, headers, body.
pub type Answer = (StatusCode, HeaderMap, String);

/// Where a response sends the browser (empty without a Location header).
pub fn location(h: &HeaderMap) -> String {
    h.get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

/// A browser: a client that follows no redirects (one connection per request, as the test
/// server's own client), the cookie header kept by hand, and the session's CSRF token once
/// logged in through `Browser::login`.
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    pub cookie: String,
    pub csrf: String,
}

impl Browser {
    /// A browser with no cookie yet.
    pub fn new(app: &crate::common::TestApp) -> Browser {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .build()
            .expect("a browser client");
        Browser { client, base: app.base.clone(), cookie: String::new(), csrf: String::new() }
    }

    /// Logs in through the /login form as `user` (password `common::PASSWORD`), which must
    /// answer 303; the session's CSRF token read from a page's form.
    pub async fn login(app: &crate::common::TestApp, user: &str) -> Browser {
        let mut b = Browser::new(app);
        let (st, h, body) = b.log_in(user, crate::common::PASSWORD, "/").await;
        assert_eq!(st, StatusCode::SEE_OTHER, "page login of {user}: {body}");
        assert!(cookie(&h, "zs_session").is_some_and(|s| !s.is_empty()), "{user}: a session cookie");
        b.csrf = b.session_csrf().await;
        b
    }

    /// The session's CSRF token as its forms carry it (from the password page, which every
    /// role has).
    pub async fn session_csrf(&self) -> String {
        let (st, _, html) = self.get("/password").await;
        assert_eq!(st, StatusCode::OK, "the password page: {html}");
        csrf_in(&html)
    }

    /// What a browser does on the login page: GET /login (which must answer 200) keeping
    /// its `zs_login` cookie, then the form posted with `user`, `password` and `next`; the
    /// session cookie kept when the answer sets one. The answer to the POST.
    pub async fn log_in(&mut self, user: &str, password: &str, next: &str) -> Answer {
        let (st, h, html) = self.get("/login").await;
        assert_eq!(st, StatusCode::OK, "the login page");
        let pre = cookie(&h, "zs_login").filter(|v| !v.is_empty()).expect("login form cookie");
        self.cookie = format!("zs_login={pre}");
        let token = csrf_in(&html);
        let answer =
            self.post("/login", &[("_csrf", &token), ("username", user), ("password", password), ("next", next)]).await;
        if let Some(s) = cookie(&answer.1, "zs_session") {
            self.cookie = format!("zs_session={s}");
        }
        answer
    }

    /// A GET with this browser's cookie, the response as it came (a download).
    pub async fn fetch(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).header("cookie", &self.cookie).send().await.unwrap()
    }

    pub async fn get(&self, path: &str) -> Answer {
        let res = self.fetch(path).await;
        let (st, h) = (res.status(), res.headers().clone());
        (st, h, res.text().await.unwrap())
    }

    /// A form posted as given (no CSRF token added).
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Answer {
        self.post_with(path, form, &[]).await
    }

    /// A form post that must answer 303: where it sends the browser.
    pub async fn post_redirect(&self, path: &str, form: &[(&str, &str)]) -> String {
        let (st, h, html) = self.post(path, form).await;
        assert_eq!(st, StatusCode::SEE_OTHER, "{path}: {html}");
        location(&h)
    }

    /// A form posted as given, with extra request headers.
    pub async fn post_with(&self, path: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> Answer {
        let body: String = form
            .iter()
            .map(|(k, v)| format!("{}={}", web::input::encode(k), web::input::encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(path, "application/x-www-form-urlencoded", body.into_bytes(), headers).await
    }

    /// A multipart form (`common::multipart`) posted as given.
    pub async fn post_multipart(&self, path: &str, parts: &[crate::common::Part<'_>]) -> Answer {
        let (content_type, body) = crate::common::multipart(parts);
        self.send(path, &content_type, body, &[]).await
    }

    async fn send(&self, path: &str, content_type: &str, body: Vec<u8>, headers: &[(&str, &str)]) -> Answer {
        let mut rb = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("content-type", content_type)
            .body(body);
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        let res = rb.send().await.unwrap();
        let (st, h) = (res.status(), res.headers().clone());
        (st, h, res.text().await.unwrap())
    }

    /// A page: its status and HTML.
    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let (st, _, html) = self.get(path).await;
        (st, html)
    }

    /// A form submitted with the session's CSRF token (unless `fields` carry a `_csrf` of
    /// their own): status, body, Location.
    pub async fn submit(&self, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String, String) {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        if !fields.iter().any(|(k, _)| *k == "_csrf") {
            all.insert(0, ("_csrf", &self.csrf));
        }
        self.submit_as_given(path, &all).await
    }

    /// A form posted as given (no CSRF token added): status, body, Location.
    pub async fn submit_as_given(&self, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String, String) {
        let (st, h, body) = self.post(path, fields).await;
        (st, body, location(&h))
    }
}
