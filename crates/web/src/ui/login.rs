//! 登录, 退出, 修改密码 and the TOTP enrollment: the API's login and password rules, with a
//! cookie session instead of a bearer token.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{
    Chrome, FormData, LOGIN_COOKIE, Page, PageForm, SESSION_COOKIE, UiResult, assets, cookie, render_status, see_other,
    session_cookie,
};
use crate::AppState;
use crate::auth::{Restriction, perm};
use crate::error::ApiError;
use crate::input::QueryMap;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    css: String,
    city: String,
    csrf: String,
    next: String,
    username: String,
    error: String,
    /// The second step (a pending login's token): the password was right, the account has
    /// TOTP, the page now asks for the code only. Empty on the first step.
    pending: String,
}

super::widgets::form_helpers!(LoginPage { f: domain::fields::USER });

/// Only a path on this site: an open redirect is a phishing aid. `next` arrives decoded;
/// it must start with one `/` (not `//` or `/\`, which browsers read as another host),
/// hold no backslash and no control character (browsers drop a tab or newline, so
/// `/\t/evil.example` becomes `//evil.example`), and not lead back to the login page.
/// Anything else goes to the start page.
fn safe_next(next: &str) -> String {
    let same_origin = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && !next.starts_with("/login");
    if same_origin { next.to_string() } else { "/".to_string() }
}

fn login_page(state: &AppState, token: &str, next: &str, username: &str, error: &str, pending: &str) -> LoginPage {
    let tree = state.store.unit_tree();
    let city = tree.all().iter().find(|u| u.parent.is_none()).map(|u| u.name.clone()).unwrap_or_default();
    LoginPage {
        css: assets::url("app.css"),
        city,
        csrf: token.to_string(),
        next: safe_next(next),
        username: username.to_string(),
        error: error.to_string(),
        pending: pending.to_string(),
    }
}

fn with_login_cookie(mut res: Response, token: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(&format!("{LOGIN_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict")) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

pub async fn form(State(s): State<Arc<AppState>>, QueryMap(q): QueryMap, req: Request) -> UiResult<Response> {
    let (parts, _) = req.into_parts();
    // Already logged in: straight on.
    if let Some(t) = cookie(&parts, SESSION_COOKIE)
        && crate::auth::authenticate_token(&t, &parts, &s).await.is_ok()
    {
        return Ok(see_other(&safe_next(q.get("next").map(String::as_str).unwrap_or("/"))));
    }
    let token = crate::auth::new_token();
    let page = login_page(&s, &token, q.get("next").map(String::as_str).unwrap_or("/"), "", "", "");
    Ok(with_login_cookie(render_status(StatusCode::OK, &page)?, &token))
}

pub async fn submit(State(s): State<Arc<AppState>>, req: Request) -> UiResult<Response> {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::Bytes::from_request(Request::from_parts(parts.clone(), body), &s)
        .await
        .map_err(|_| super::UiError::Message(StatusCode::PAYLOAD_TOO_LARGE, "提交的内容过大".into()))?;
    let f = FormData::parse(&bytes);
    let expected = cookie(&parts, LOGIN_COOKIE).unwrap_or_default();
    if super::cross_site(&parts) || expected.is_empty() || !super::same_token(f.get("_csrf"), &expected) {
        return Err(super::UiError::Csrf);
    }
    let mut username = f.get("username").trim().to_string();
    let pending = f.get("pending");
    let again = |msg: &str, status: StatusCode, username: &str, pending: &str| -> UiResult<Response> {
        let token = crate::auth::new_token();
        let page = login_page(&s, &token, f.get("next"), username, msg, pending);
        Ok(with_login_cookie(render_status(status, &page)?, &token))
    };
    // The second step: only the code, for a login whose password was right.
    let signed = if pending.is_empty() {
        crate::auth::sign_in(&s, &parts, &username, f.get("password"), None).await
    } else {
        username = s.pending_logins.username(pending).unwrap_or_default();
        crate::auth::sign_in_second_step(&s, &parts, pending, f.get("totp")).await
    };
    match signed {
        Ok(signed) => {
            let next = safe_next(f.get("next"));
            let to = if signed.must_change_password {
                "/password".to_string()
            } else if next == "/" {
                super::landing(&signed.user.roles).to_string()
            } else {
                next
            };
            let mut res = see_other(&to);
            let max_age = s.config.session_absolute.num_seconds();
            res.headers_mut()
                .append(header::SET_COOKIE, session_cookie(&signed.token, super::is_https(&parts, &s), Some(max_age)));
            res.headers_mut().append(header::SET_COOKIE, HeaderValue::from_static("zs_login=; Path=/login; Max-Age=0"));
            Ok(res)
        }
        Err(ApiError::TotpRequired) => {
            let pending = s.pending_logins.start(&username);
            again("", StatusCode::OK, &username, &pending)
        }
        // A wrong code: ask again while the pending login lasts, else from the start.
        Err(ApiError::Unauthorized(m)) if !pending.is_empty() && s.pending_logins.username(pending).is_some() => {
            again(m, StatusCode::UNAUTHORIZED, &username, pending)
        }
        Err(ApiError::Unauthorized(m)) => again(m, StatusCode::UNAUTHORIZED, &username, ""),
        Err(ApiError::RateLimited) => {
            again("该地址登录失败次数过多，请稍后再试", StatusCode::TOO_MANY_REQUESTS, &username, "")
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(f: PageForm<perm::SelfRead>) -> UiResult<Response> {
    f.page.state.store.end_session(&f.page.actor, f.page.session_id).await?;
    let mut res = see_other("/login");
    res.headers_mut().append(header::SET_COOKIE, HeaderValue::from_static("zs_session=; Path=/; Max-Age=0"));
    Ok(res)
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    chrome: Chrome,
    forced: bool,
    done: bool,
    errors: BTreeMap<String, String>,
    totp_enabled: bool,
    totp_required: bool,
    totp_secret: Option<String>,
}

super::widgets::form_helpers!(PasswordPage { f: domain::fields::USER });

async fn password_page(
    page: &Page<perm::SelfRead>,
    errors: BTreeMap<String, String>,
    done: bool,
    totp_secret: Option<String>,
) -> UiResult<PasswordPage> {
    let s = &page.state;
    let creds = crate::api::system::own_credentials(s, &page.actor).await?;
    let restriction = restriction(s, &creds);
    Ok(PasswordPage {
        chrome: page.chrome("/password"),
        forced: restriction == Restriction::ChangePassword,
        done,
        errors,
        totp_enabled: creds.user.totp_enabled,
        totp_required: s.config.totp_required_for_admins && creds.user.roles.iter().any(|r| r.is_administrator()),
        totp_secret,
    })
}

fn restriction(s: &AppState, c: &store::users::Credentials) -> Restriction {
    let expired = s.config.password_max_age.is_some_and(|age| store::now() - c.password_changed_at > age);
    if c.user.must_change_password || expired { Restriction::ChangePassword } else { Restriction::None }
}

pub async fn password_form(page: Page<perm::SelfRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let p = password_page(&page, BTreeMap::new(), q.contains_key("done"), None).await?;
    render_status(StatusCode::OK, &p)
}

pub async fn password_submit(f: PageForm<perm::SelfRead>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let mut errors = BTreeMap::new();
    match form.get("_action") {
        "totp_setup" => {
            let secret = crate::totp::new_secret();
            page.store().totp_setup(&secret).await?;
            let p = password_page(&page, errors, false, Some(secret)).await?;
            return render_status(StatusCode::OK, &p);
        }
        "totp_enable" => {
            let creds = crate::api::system::own_credentials(&page.state, &page.actor).await?;
            let secret = creds.totp_secret.clone().unwrap_or_default();
            match crate::totp::check(&secret, form.get("code"), store::now().timestamp()) {
                Some(step) if !secret.is_empty() => {
                    page.store().totp_enable(step).await?;
                    return Ok(see_other("/password?done=totp"));
                }
                _ => {
                    errors.insert("code".into(), "动态口令不正确，请核对手机时间后重试".into());
                    let p = password_page(&page, errors, false, Some(secret)).await?;
                    return render_status(StatusCode::UNPROCESSABLE_ENTITY, &p);
                }
            }
        }
        _ => {}
    }
    if form.get("new_password") != form.get("confirm") {
        errors.insert("confirm".into(), "两次输入的新密码不一致".into());
    } else {
        let r = crate::api::system::change_own_password(
            &page.state,
            &page.actor,
            page.session_id,
            form.get("current_password").to_string(),
            form.get("new_password").to_string(),
        )
        .await;
        match r {
            Ok(()) => return Ok(see_other("/password?done=1")),
            Err(ApiError::Validation(f)) => errors = f,
            Err(e) => return Err(e.into()),
        }
    }
    let p = password_page(&page, errors, false, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

impl IntoResponse for PasswordPage {
    fn into_response(self) -> Response {
        match render_status(StatusCode::OK, &self) {
            Ok(r) => r,
            Err(e) => e.into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_a_path_on_this_site_only() {
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r//evil.example",
            "https://evil.example",
            "///evil.example",
            "evil.example",
            "/login?next=//evil",
            "",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
        for good in ["/projects", "/projects/7?tab=funds", "/", "/admin/audit?page=2"] {
            assert_eq!(safe_next(good), good);
        }
    }
}
