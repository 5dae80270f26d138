//! The web pages: askama templates rendered on the server, htmx for partial updates,
//! ECharts on the dashboard. Every page handler takes `Page<perm::X>` (the cookie session,
//! the permission, the CSRF token its forms carry) or `PageForm<perm::X>` for a POST,
//! which also checks the CSRF token before the handler runs.
//!
//! Pages read and write through the same store calls as the API, with the same actor,
//! so the scope rules, the audit records and the validation are the API's.

pub mod activities;
pub mod admin;
pub mod agreements;
pub mod ambassadors;
pub mod assessment;
pub mod assets;
pub mod attachments;
pub mod bulletins;
pub mod company;
/// The old path of the company pages (the admin pages import the pager from it).
pub use company as companies;
pub mod dashboard;
pub mod fmt;
pub mod four_ones;
pub mod import;
pub mod inquiries;
pub mod leaders;
pub mod login;
pub mod monthly;
pub mod outcomes;
mod pages;
pub mod problems;
pub mod project;
pub mod reviews;
/// The old path of the project pages (the admin pages import `Opt` from it).
pub use project as projects;
pub mod targets;
pub mod tasks;
pub mod top10;
pub mod warnings;
pub mod widgets;

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use domain::{Permission, Role};
use sha2::{Digest, Sha256};
use store::Actor;

use crate::AppState;
use crate::auth::{DenySlot, Perm, Restriction};
use crate::error::ApiError;

pub const SESSION_COOKIE: &str = "zs_session";
/// The login form's double-submit token (there is no session yet to bind it to).
pub const LOGIN_COOKIE: &str = "zs_login";

/// A menu group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Business,
    /// 考核评价 and 通报 (issue 13).
    Assessment,
    Admin,
}

impl Group {
    fn title(self) -> &'static str {
        match self {
            Group::Business => "招商业务",
            Group::Assessment => "考核评价",
            Group::Admin => "系统管理",
        }
    }
}

/// One page route: its path, the methods it answers, and, when it is a menu entry, the
/// menu's group and Chinese title with the permission its GET handler demands. The router
/// and the menu are both built from [`PAGES`], so the menu shows only pages that exist.
pub struct PageRoute {
    pub path: &'static str,
    /// `(group, title, permission of the GET)` for a menu entry.
    pub menu: Option<(Group, &'static str, Permission)>,
    pub handler: fn() -> axum::routing::MethodRouter<Arc<AppState>>,
}

const fn page(path: &'static str, handler: fn() -> axum::routing::MethodRouter<Arc<AppState>>) -> PageRoute {
    PageRoute { path, menu: None, handler }
}

const fn menu(
    path: &'static str,
    group: Group,
    title: &'static str,
    perm: Permission,
    handler: fn() -> axum::routing::MethodRouter<Arc<AppState>>,
) -> PageRoute {
    PageRoute { path, menu: Some((group, title, perm)), handler }
}

pub use pages::PAGES;

pub fn routes() -> Router<Arc<AppState>> {
    PAGES.iter().fold(Router::new(), |r, p| r.route(p.path, (p.handler)()))
}

/// What every page's frame shows: the user, the unit, the navigation, the CSRF token.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub user_name: String,
    pub unit_name: String,
    pub role_names: String,
    pub csrf: String,
    pub nav: Vec<NavGroup>,
    pub css: String,
    pub js: String,
    pub htmx: String,
    /// The brand link: this user's start page.
    pub home: &'static str,
}

#[derive(Debug, Clone)]
pub struct NavGroup {
    pub title: &'static str,
    pub items: Vec<NavItem>,
}

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// The menu of a user with these roles: the entries of [`PAGES`] their role may open.
pub fn navigation(roles: &[Role], active: &str) -> Vec<NavGroup> {
    let mut groups: Vec<NavGroup> = vec![];
    for p in PAGES {
        let Some((group, label, perm)) = p.menu else { continue };
        if !domain::access::has_permission(roles, perm) {
            continue;
        }
        let item = NavItem { href: p.path, label, active: p.path == active };
        match groups.iter_mut().find(|g| g.title == group.title()) {
            Some(g) => g.items.push(item),
            None => groups.push(NavGroup { title: group.title(), items: vec![item] }),
        }
    }
    groups
}

/// Where a user starts: the dashboard, or the first page their role may open (the three
/// administrators have no business pages).
pub fn landing(roles: &[Role]) -> &'static str {
    navigation(roles, "").iter().flat_map(|g| g.items.iter()).next().map(|i| i.href).unwrap_or("/password")
}

/// An authenticated page request whose user holds permission `P`.
pub struct Page<P: Perm> {
    pub actor: Actor,
    pub session_id: i64,
    pub csrf: String,
    user_name: String,
    /// The application, so a handler needs no `State` of its own.
    pub state: Arc<AppState>,
    _p: PhantomData<P>,
}

impl<P: Perm> Page<P> {
    /// The business data the user may see and change.
    pub fn store(&self) -> store::Scoped<'_> {
        self.state.store.scoped(&self.actor)
    }

    /// The frame of a page, with `active` marked in the navigation.
    pub fn chrome(&self, active: &str) -> Chrome {
        let tree = self.state.store.unit_tree();
        Chrome {
            user_name: self.user_name.clone(),
            unit_name: self.actor.unit_id.and_then(|u| tree.get(u)).map(|u| u.name.clone()).unwrap_or_default(),
            role_names: self.actor.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、"),
            csrf: self.csrf.clone(),
            nav: navigation(&self.actor.roles, active),
            css: assets::url("app.css"),
            js: assets::url("app.js"),
            htmx: assets::url("vendor/htmx.min.js"),
            home: landing(&self.actor.roles),
        }
    }

    pub fn can(&self, p: Permission) -> bool {
        domain::access::has_permission(&self.actor.roles, p)
    }

    /// The same session as a page of permission `Q` (a form's handler showing its page
    /// again with the errors), refused (403) when the user lacks `Q`.
    pub fn reading<Q: Perm>(self) -> Result<Page<Q>, UiError> {
        if !self.can(Q::PERM) {
            return Err(UiError::Forbidden);
        }
        let Page { actor, session_id, csrf, user_name, state, _p } = self;
        Ok(Page { actor, session_id, csrf, user_name, state, _p: PhantomData })
    }
}

/// The CSRF token of a session: derived from its secret token, so it needs no storage and
/// a page from another site cannot know it (security.md §16).
pub fn csrf_for(session_token: &str) -> String {
    let d = Sha256::digest(format!("zhaoshang-csrf:{session_token}").as_bytes());
    hex::encode(&d[..16])
}

pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// Where to come back to after logging in: the path and query of a GET, else the dashboard.
fn return_to(parts: &Parts) -> String {
    if parts.method != axum::http::Method::GET {
        return "/".into();
    }
    parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into())
}

impl<P: Perm> FromRequestParts<Arc<AppState>> for Page<P> {
    type Rejection = UiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, UiError> {
        let Some(token) = cookie(parts, SESSION_COOKIE) else {
            return Err(UiError::Login(return_to(parts)));
        };
        let crate::auth::Session { actor, session_id, restriction, display_name } =
            match crate::auth::authenticate_token(&token, parts, state).await {
                Ok(v) => v,
                Err(ApiError::Unauthorized(_)) => return Err(UiError::Login(return_to(parts))),
                Err(e) => return Err(e.into()),
            };
        if P::PERM != Permission::SelfRead {
            match restriction {
                Restriction::ChangePassword => return Err(UiError::PasswordChange),
                Restriction::EnrollTotp => return Err(UiError::TotpEnrollment),
                Restriction::None => {}
            }
        }
        if let Some(slot) = parts.extensions.get::<DenySlot>() {
            slot.set(&actor);
        }
        if !domain::access::has_permission(&actor.roles, P::PERM) {
            return Err(UiError::Forbidden);
        }
        let state = state.clone();
        Ok(Page { actor, session_id, csrf: csrf_for(&token), user_name: display_name, state, _p: PhantomData })
    }
}

/// A submitted form's fields; a field may repeat (check boxes, multi-selects).
#[derive(Debug, Default, Clone)]
pub struct FormData(pub BTreeMap<String, Vec<String>>);

impl FormData {
    pub fn parse(body: &[u8]) -> FormData {
        let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in crate::input::pairs(body) {
            m.entry(k).or_default().push(v);
        }
        FormData(m)
    }

    pub fn get(&self, k: &str) -> &str {
        self.0.get(k).and_then(|v| v.first()).map(|s| s.as_str()).unwrap_or("")
    }

    /// Each field's first value: what a refused form shows again.
    pub fn values(&self) -> BTreeMap<String, String> {
        self.0.iter().filter_map(|(k, v)| Some((k.clone(), v.first()?.clone()))).collect()
    }

    pub fn all(&self, k: &str) -> Vec<String> {
        self.0.get(k).cloned().unwrap_or_default()
    }

    /// The ids chosen in a multi-select, as the API's array of numbers (a value that is not
    /// a number stays a string, for the API to name in its 422).
    pub fn ids(&self, k: &str) -> serde_json::Value {
        use serde_json::Value;
        let ids = self.all(k).into_iter().filter(|s| !s.trim().is_empty());
        Value::Array(ids.map(|s| s.trim().parse::<i64>().map_or(Value::String(s), Value::from)).collect())
    }

    /// The fields as the JSON object the API's parsers take: one value → a string, blank →
    /// null; the keys in `lists` → arrays.
    pub fn to_json(&self, lists: &[&str]) -> serde_json::Map<String, serde_json::Value> {
        use serde_json::Value;
        let mut out = serde_json::Map::new();
        for (k, vs) in &self.0 {
            if k.starts_with('_') {
                continue;
            }
            let v = if lists.contains(&k.as_str()) {
                Value::Array(vs.iter().filter(|s| !s.trim().is_empty()).map(|s| Value::String(s.clone())).collect())
            } else {
                match vs.first().map(|s| s.trim()) {
                    Some("") | None => Value::Null,
                    Some(s) => Value::String(s.to_string()),
                }
            };
            out.insert(k.clone(), v);
        }
        for l in lists {
            out.entry(l.to_string()).or_insert_with(|| Value::Array(vec![]));
        }
        out
    }
}

/// A cross-site request: the browser says so (`Sec-Fetch-Site`), or its `Origin` is not us.
fn cross_site(parts: &Parts) -> bool {
    let h = |n: &str| parts.headers.get(n).and_then(|v| v.to_str().ok());
    if h("sec-fetch-site").is_some_and(|v| v == "cross-site" || v == "same-site") {
        return true;
    }
    match (h("origin"), h("host")) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, rest)| rest) != Some(host),
        _ => false,
    }
}

fn same_token(a: &str, b: &str) -> bool {
    crate::password::same_bytes(a.as_bytes(), b.as_bytes())
}

/// A state-changing form post: the page's permission, then the CSRF token (and a same-site
/// origin) before the handler sees a field.
pub struct PageForm<P: Perm> {
    pub page: Page<P>,
    pub form: FormData,
}

/// A multipart post (an upload): the page's permission and whether the request came from
/// another site, then the form, whose `_csrf` field the handler checks once it has read it.
pub struct PageUpload<P: Perm> {
    pub page: Page<P>,
    pub crossed: bool,
    pub form: axum::extract::Multipart,
}

impl<P: Perm> PageUpload<P> {
    /// Refuse (403) a form from another site or without this session's token.
    pub fn check_csrf(&self, token: &str) -> Result<(), UiError> {
        if self.crossed || !same_token(token, &self.page.csrf) { Err(UiError::Csrf) } else { Ok(()) }
    }
}

/// A post's page (its permission checked before anything is read), whether it came from
/// another site, and its body as a `B`; a body that cannot be read is `unreadable`.
async fn page_and_body<P: Perm, B: FromRequest<Arc<AppState>>>(
    req: Request,
    state: &Arc<AppState>,
    unreadable: (StatusCode, &str),
) -> Result<(Page<P>, bool, B), UiError> {
    let (mut parts, body) = req.into_parts();
    let page = Page::<P>::from_request_parts(&mut parts, state).await?;
    let crossed = cross_site(&parts);
    let body = B::from_request(Request::from_parts(parts, body), state)
        .await
        .map_err(|_| UiError::Message(unreadable.0, unreadable.1.into()))?;
    Ok((page, crossed, body))
}

impl<P: Perm> FromRequest<Arc<AppState>> for PageUpload<P> {
    type Rejection = UiError;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, UiError> {
        let (page, crossed, form) = page_and_body(req, state, (StatusCode::BAD_REQUEST, "上传内容格式不正确")).await?;
        Ok(PageUpload { page, crossed, form })
    }
}

impl<P: Perm> FromRequest<Arc<AppState>> for PageForm<P> {
    type Rejection = UiError;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, UiError> {
        let unreadable = (StatusCode::PAYLOAD_TOO_LARGE, "提交的内容过大");
        let (page, crossed, bytes) = page_and_body::<P, axum::body::Bytes>(req, state, unreadable).await?;
        let form = FormData::parse(&bytes);
        if crossed || !same_token(form.get("_csrf"), &page.csrf) {
            return Err(UiError::Csrf);
        }
        Ok(PageForm { page, form })
    }
}

/// Why a page could not be shown.
#[derive(Debug)]
pub enum UiError {
    /// Not logged in (or the session ended): to the login page, then back here.
    Login(String),
    PasswordChange,
    TotpEnrollment,
    Forbidden,
    NotFound,
    /// A form without a valid CSRF token, or posted from another site.
    Csrf,
    Message(StatusCode, String),
    Internal(String),
}

impl From<ApiError> for UiError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::Unauthorized(_) => UiError::Login("/".into()),
            ApiError::Forbidden => UiError::Forbidden,
            ApiError::PasswordChangeRequired => UiError::PasswordChange,
            ApiError::TotpEnrollmentRequired | ApiError::TotpRequired => UiError::TotpEnrollment,
            ApiError::NotFound => UiError::NotFound,
            ApiError::Conflict(m) => UiError::Message(StatusCode::CONFLICT, m),
            ApiError::BadRequest(m) => UiError::Message(StatusCode::BAD_REQUEST, m),
            // the pages' refusals that reach here are the ledger's; another entity's page
            // names its own fields with `UiError::invalid`
            ApiError::Validation(f) => UiError::invalid(&domain::fields::PROJECT, &f),
            ApiError::RateLimited => UiError::Message(StatusCode::TOO_MANY_REQUESTS, "请求过于频繁，请稍后再试".into()),
            ApiError::TooLarge => UiError::Message(StatusCode::PAYLOAD_TOO_LARGE, "提交的内容过大".into()),
            ApiError::Internal(m) => UiError::Internal(m),
        }
    }
}

impl UiError {
    /// A refused form as one message, each field named by its entity's table
    /// (`企业名称：…` for a company).
    pub fn invalid(entity: &domain::fields::Entity, fields: &BTreeMap<String, String>) -> UiError {
        let parts: Vec<String> = fields.iter().map(|(k, v)| format!("{}：{v}", entity.label(k))).collect();
        UiError::Message(StatusCode::UNPROCESSABLE_ENTITY, parts.join("；"))
    }
}

impl From<store::StoreError> for UiError {
    fn from(e: store::StoreError) -> Self {
        ApiError::from(e).into()
    }
}

impl From<askama::Error> for UiError {
    fn from(e: askama::Error) -> Self {
        UiError::Internal(format!("template: {e}"))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
    css: String,
}

pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let page = ErrorPage { title, message, css: assets::url("app.css") };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, message.to_string()).into_response(),
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        match self {
            UiError::Login(next) => {
                let target = if next == "/" || next.is_empty() {
                    "/login".to_string()
                } else {
                    format!("/login?next={}", crate::input::encode(&next))
                };
                Redirect::to(&target).into_response()
            }
            UiError::PasswordChange => Redirect::to("/password").into_response(),
            UiError::TotpEnrollment => Redirect::to("/password?totp=1").into_response(),
            UiError::Forbidden => {
                error_page(StatusCode::FORBIDDEN, "无权访问", "您的角色或数据范围不包含该页面或记录。")
            }
            UiError::NotFound => error_page(StatusCode::NOT_FOUND, "页面不存在", "该页面或记录不存在，或已被删除。"),
            UiError::Csrf => error_page(
                StatusCode::FORBIDDEN,
                "请求已拒绝",
                "表单已过期或来自其他网站（CSRF 校验未通过）。请返回页面刷新后重新提交。",
            ),
            UiError::Message(status, m) => error_page(status, "无法完成操作", &m),
            UiError::Internal(detail) => {
                // Logged once, with the request id, by the trace layer (`web::harden`).
                let mut res =
                    error_page(StatusCode::INTERNAL_SERVER_ERROR, "服务器内部错误", "请稍后重试，或联系系统管理员。");
                res.extensions_mut().insert(crate::ErrorDetail(detail));
                res
            }
        }
    }
}

pub type UiResult<T> = Result<T, UiError>;

/// Render a template as a page response.
pub fn render(t: &impl Template) -> UiResult<Response> {
    Ok(Html(t.render()?).into_response())
}

/// Render with a status (a form shown again with its errors: 422).
pub fn render_status(status: StatusCode, t: &impl Template) -> UiResult<Response> {
    Ok((status, Html(t.render()?)).into_response())
}

/// After a successful POST: see the result with a GET (no resubmission on reload).
pub fn see_other(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// The session cookie: HttpOnly, SameSite=Lax, Secure when served over HTTPS.
pub fn session_cookie(token: &str, secure: bool, max_age: Option<i64>) -> HeaderValue {
    let mut c = format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(a) = max_age {
        c += &format!("; Max-Age={a}");
    }
    if secure {
        c += "; Secure";
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("zs_session=; Path=/; Max-Age=0"))
}

/// Served over HTTPS: configured so, or a trusted proxy says so.
pub fn is_https(parts: &Parts, state: &AppState) -> bool {
    if state.config.cookie_secure {
        return true;
    }
    let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    peer.is_some()
        && peer == state.config.trusted_proxy
        && parts.headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https")
}
