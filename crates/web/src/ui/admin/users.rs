//! 用户与角色: sysadmin creates accounts (without roles) and disables them; secadmin grants
//! roles once the user has replaced the initial password (三员分立, api.md). The three
//! administrator accounts are shown but not offered any form: they are managed with
//! `zhaoshang admin` on the server, and the store refuses a web user anyway.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use askama::Template;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use domain::fields::{Field, USER};
use domain::{Permission, Role};
use store::users::{NewUser, UserPatch};

use super::super::projects::Opt;
use super::super::{
    Chrome, FormData, Page, PageForm, UiError, UiResult, fmt, render, render_status, see_other, widgets,
};
use super::unit_rows;
use crate::auth::{Perm, perm};
use crate::error::ApiError;
use crate::input::Id;
use crate::{AppState, password};

#[derive(Debug, Clone)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    unit: String,
    roles: String,
    /// The role check boxes of this user's role form (business roles only).
    role_opts: Vec<Opt>,
    disabled: bool,
    totp: bool,
    must_change_password: bool,
    /// One of the three administrator accounts: no web form touches it.
    administrator: bool,
    updated_at: String,
    password_changed_at: String,
    version: i32,
    is_self: bool,
    /// Why the last form on this row was refused.
    error: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    chrome: Chrome,
    rows: Vec<UserRow>,
    can_write: bool,
    can_assign: bool,
    /// The new-user form: units and values shown again.
    units: Vec<Opt>,
    v: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    notice: String,
    /// A refusal, shown at the top (三员分立 and the like).
    message: String,
    /// Why an account with its initial password has no role form.
    initial_password: &'static str,
}

widgets::form_helpers!(UsersPage { val: self.v });

impl UsersPage {
    /// A field of the user table; 姓名 is optional on this form (blank: the user name).
    fn f(&self, code: &str) -> &'static Field {
        match code {
            "display_name" => &DISPLAY_NAME,
            _ => widgets::field(&USER, code),
        }
    }
}

/// The form's 姓名: the table's, not required (a blank one becomes the user name).
static DISPLAY_NAME: LazyLock<Field> =
    LazyLock::new(|| Field { required: false, ..*widgets::field(&USER, "display_name") });

/// The business roles, checked as the user holds them (administrator roles are set on the
/// server only).
fn role_opts(checked: &[Role]) -> Vec<Opt> {
    Role::ALL
        .iter()
        .filter(|r| !r.is_administrator())
        .map(|r| Opt { value: r.code().to_string(), label: r.label().to_string(), selected: checked.contains(r) })
        .collect()
}

/// Every unit, departments included (a 部门用户 belongs to one), indented by depth.
fn all_unit_opts(s: &AppState, current: &str) -> Vec<Opt> {
    unit_rows(s)
        .into_iter()
        .map(|u| Opt {
            label: format!("{}{}", "　".repeat(u.depth), u.name),
            selected: u.code == current,
            value: u.code,
        })
        .collect()
}

/// What a re-shown users page carries besides the list.
#[derive(Default)]
struct UsersState {
    v: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    message: String,
    notice: String,
    row_error: Option<(i64, String)>,
}

async fn users_page<P: Perm>(page: &Page<P>, st: UsersState) -> UiResult<UsersPage> {
    let s = &page.state;
    let users = page.store().list_users().await?;
    let can_assign = page.can(Permission::RoleAssign);
    let rows = users
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            is_self: page.actor.user_id == Some(u.id),
            administrator: u.roles.iter().any(|r| r.is_administrator()),
            role_opts: if can_assign { role_opts(&u.roles) } else { vec![] },
            roles: u.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、"),
            username: u.username,
            display_name: u.display_name,
            unit: u.unit_name.unwrap_or_default(),
            disabled: u.disabled,
            totp: u.totp_enabled,
            must_change_password: u.must_change_password,
            updated_at: fmt::at(u.updated_at),
            password_changed_at: fmt::at(u.password_changed_at),
            version: u.version,
            error: st.row_error.as_ref().filter(|(id, _)| *id == u.id).map(|(_, e)| e.clone()).unwrap_or_default(),
        })
        .collect();
    let unit = st.v.get("unit").cloned().unwrap_or_default();
    Ok(UsersPage {
        chrome: page.chrome("/admin/users"),
        rows,
        can_write: page.can(Permission::UserWrite),
        can_assign,
        units: all_unit_opts(s, &unit),
        v: st.v,
        errors: st.errors,
        notice: st.notice,
        message: st.message,
        initial_password: store::users::INITIAL_PASSWORD,
    })
}

pub async fn users(page: Page<perm::UserRead>, uri: Uri) -> UiResult<Response> {
    let q = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let notice = match q.get("done") {
        "created" => "用户已创建（尚无角色）。本人首次登录修改初始密码后，由安全管理员授予角色。",
        "disabled" => "账号已停用，其登录会话已全部结束。",
        "enabled" => "账号已启用。",
        "roles" => "角色已修改；该用户的会话已结束，新角色在其下次登录时生效。",
        _ => "",
    };
    let p = users_page(&page, UsersState { notice: notice.into(), ..Default::default() }).await?;
    render(&p)
}

/// Roles from check boxes; `None` when one is not a role at all.
fn parse_roles(codes: &[String]) -> Option<Vec<Role>> {
    let mut roles = vec![];
    for c in codes {
        let r = Role::parse(c.trim())?;
        if !roles.contains(&r) {
            roles.push(r);
        }
    }
    Some(roles)
}

pub async fn create_user(f: PageForm<perm::UserWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let username = form.get("username").trim().to_string();
    let display_name = form.get("display_name").trim().to_string();
    let pw = form.get("password").to_string();
    let unit = form.get("unit").trim().to_string();
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    let mut err = |k: &str, m: &str| {
        errors.entry(k.to_string()).or_insert_with(|| m.to_string());
    };
    let mut checks = vec![];
    USER.check_required("username", &username, &mut checks);
    USER.check_len("display_name", &display_name, &mut checks);
    USER.check_required("password", &pw, &mut checks);
    for e in &checks {
        err(&e.field, &e.message);
    }
    if let (false, Err(e)) = (pw.is_empty(), domain::password::check(&pw, &username)) {
        err("password", e);
    }
    // The form has no role boxes; a crafted post with roles is refused, not ignored.
    if !form.all("roles").is_empty() {
        err("roles", store::users::NO_ROLES_AT_CREATE);
    }
    if !unit.is_empty() && page.state.store.unit_tree().find(&unit).is_none() {
        err("unit", "所选单位不存在");
    }
    if errors.is_empty() {
        let hash = password::hash_blocking(pw, page.state.config.password_kdf).await.map_err(UiError::Internal)?;
        let new = NewUser {
            display_name: if display_name.is_empty() { username.clone() } else { display_name.clone() },
            username: username.clone(),
            password_hash: hash,
            roles: vec![],
            unit: Some(unit.clone()).filter(|u| !u.is_empty()),
            // An administrator chose this password: the user must replace it (security.md §1).
            must_change_password: true,
        };
        match page.store().create_user(new).await {
            Ok(_) => return Ok(see_other("/admin/users?done=created")),
            Err(e) => match ApiError::from(e) {
                ApiError::Validation(f) => errors.extend(f),
                ApiError::Conflict(m) => {
                    errors.insert("username".into(), m);
                }
                other => return Err(other.into()),
            },
        }
    }
    let message = errors.get("roles").cloned().unwrap_or_default();
    let v = BTreeMap::from([
        ("username".to_string(), username),
        ("display_name".to_string(), display_name),
        ("unit".to_string(), unit),
    ]);
    let p = users_page(&page, UsersState { v, errors, message, ..Default::default() }).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

/// A row's form was refused: the list again, the reason on that row and at the top.
async fn refused<P: Perm>(page: &Page<P>, id: i64, status: StatusCode, reason: String) -> UiResult<Response> {
    let st = UsersState { message: reason.clone(), row_error: Some((id, reason)), ..Default::default() };
    let p = users_page(page, st).await?;
    render_status(status, &p)
}

/// A row's form went to the store: to the list on success, else the row's refusal
/// (422/409 with the reason shown; anything else is an error page: 403, 404).
async fn row_outcome<P: Perm>(
    page: &Page<P>,
    id: i64,
    done: &str,
    r: store::Result<store::users::User>,
) -> UiResult<Response> {
    let (status, reason) = match r.map_err(ApiError::from) {
        Ok(_) => return Ok(see_other(&format!("/admin/users?done={done}"))),
        Err(ApiError::Validation(f)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, f.into_values().collect::<Vec<_>>().join("；"))
        }
        Err(ApiError::Conflict(m)) => (StatusCode::CONFLICT, m),
        Err(other) => return Err(other.into()),
    };
    refused(page, id, status, reason).await
}

pub async fn update_user(Id(id): Id, f: PageForm<perm::UserWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let disabled = match form.get("disabled") {
        "true" => true,
        "false" => false,
        _ => return refused(&page, id, StatusCode::UNPROCESSABLE_ENTITY, "请选择启用或停用".into()).await,
    };
    let patch =
        UserPatch { disabled: Some(disabled), version: form.get("version").trim().parse().ok(), ..Default::default() };
    let r = page.store().update_user(id, patch).await;
    row_outcome(&page, id, if disabled { "disabled" } else { "enabled" }, r).await
}

pub async fn set_roles(Id(id): Id, f: PageForm<perm::RoleAssign>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let roles = match parse_roles(&form.all("roles")) {
        None => return refused(&page, id, StatusCode::UNPROCESSABLE_ENTITY, "角色无效".into()).await,
        Some(r) if r.is_empty() => {
            return refused(&page, id, StatusCode::UNPROCESSABLE_ENTITY, "请至少选择一个角色".into()).await;
        }
        Some(r) => r,
    };
    let r = page.store().set_roles(id, roles).await;
    row_outcome(&page, id, "roles", r).await
}
