//! 系统管理: users and roles, units, the security policy; the audit and login logs.
//!
//! The same store calls as the API (`api/system.rs`): 三员分立, the password policy and the
//! audit records are theirs. Each form is shown only to a role that may submit it.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use domain::{Permission, Role};
use store::users::{NewUser, UserPatch};

use super::projects::Opt;
use super::{Chrome, FormData, Page, PageForm, UiError, UiResult, fmt, render, render_status, see_other};
use crate::auth::{Perm, perm};
use crate::error::ApiError;
use crate::input::Id;
use crate::{AppState, password};

mod audit;
pub use audit::{audit, export as audit_export, logins};

// ---------------------------------------------------------------- users

#[derive(Debug, Clone)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    unit: String,
    roles: String,
    /// The role check boxes of this user's role form.
    role_opts: Vec<Opt>,
    disabled: bool,
    totp: bool,
    must_change_password: bool,
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
    /// The new-user form: its role check boxes, units and values shown again.
    role_opts: Vec<Opt>,
    units: Vec<Opt>,
    v: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    notice: String,
    /// A refusal, shown at the top (三员分立 and the like).
    message: String,
}

impl UsersPage {
    fn val(&self, k: &str) -> &str {
        self.v.get(k).map(String::as_str).unwrap_or("")
    }
}

fn role_opts(checked: &[String]) -> Vec<Opt> {
    Role::ALL
        .iter()
        .map(|r| Opt {
            value: r.code().to_string(),
            label: r.label().to_string(),
            selected: checked.iter().any(|c| c == r.code()),
        })
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
    roles: Vec<String>,
    errors: BTreeMap<String, String>,
    message: String,
    notice: String,
    row_error: Option<(i64, String)>,
}

async fn users_page<P: Perm>(s: &AppState, page: &Page<P>, st: UsersState) -> UiResult<UsersPage> {
    let users = s.store.list_users().await?;
    let can_assign = page.can(Permission::RoleAssign);
    let rows = users
        .into_iter()
        .map(|u| {
            let codes: Vec<String> = u.roles.iter().map(|r| r.code().to_string()).collect();
            UserRow {
                id: u.id,
                is_self: page.actor.user_id == Some(u.id),
                username: u.username,
                display_name: u.display_name,
                unit: u.unit_name.unwrap_or_default(),
                roles: u.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、"),
                role_opts: if can_assign { role_opts(&codes) } else { vec![] },
                disabled: u.disabled,
                totp: u.totp_enabled,
                must_change_password: u.must_change_password,
                updated_at: fmt::at(u.updated_at),
                password_changed_at: fmt::at(u.password_changed_at),
                version: u.version,
                error: st.row_error.as_ref().filter(|(id, _)| *id == u.id).map(|(_, e)| e.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let unit = st.v.get("unit").cloned().unwrap_or_default();
    Ok(UsersPage {
        chrome: page.chrome("/admin/users", s),
        rows,
        can_write: page.can(Permission::UserWrite),
        can_assign,
        role_opts: role_opts(&st.roles),
        units: all_unit_opts(s, &unit),
        v: st.v,
        errors: st.errors,
        notice: st.notice,
        message: st.message,
    })
}

pub async fn users(State(s): State<Arc<AppState>>, page: Page<perm::UserRead>, uri: Uri) -> UiResult<Response> {
    let q = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let notice = match q.get("done") {
        "created" => "用户已创建。首次登录时须修改初始密码。",
        "disabled" => "账号已停用，其登录会话已全部结束。",
        "enabled" => "账号已启用。",
        "roles" => "角色已修改；该用户的会话已结束，新角色在其下次登录时生效。",
        _ => "",
    };
    let p = users_page(&s, &page, UsersState { notice: notice.into(), ..Default::default() }).await?;
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

pub async fn create_user(State(s): State<Arc<AppState>>, f: PageForm<perm::UserWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let username = form.get("username").trim().to_string();
    let display_name = form.get("display_name").trim().to_string();
    let pw = form.get("password").to_string();
    let unit = form.get("unit").trim().to_string();
    let codes = form.all("roles");
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    let mut err = |k: &str, m: &str| {
        errors.entry(k.to_string()).or_insert_with(|| m.to_string());
    };
    if username.is_empty() {
        err("username", "请填写用户名");
    }
    if display_name.chars().count() > 64 {
        err("display_name", "姓名不超过64个字符");
    }
    if pw.is_empty() {
        err("password", "请填写初始密码");
    } else if let Err(e) = domain::password::check(&pw, &username) {
        err("password", e);
    }
    let roles = match parse_roles(&codes) {
        None => {
            err("roles", "角色无效");
            vec![]
        }
        Some(r) if r.is_empty() => {
            err("roles", "请至少选择一个角色");
            r
        }
        Some(r) => {
            if let Err(e) = domain::access::check_role_set(&r) {
                err("roles", e);
            }
            r
        }
    };
    let tree = s.store.unit_tree();
    if !unit.is_empty() && tree.find(&unit).is_none() {
        err("unit", "所选单位不存在");
    } else if unit.is_empty() && roles.iter().any(|r| r.needs_unit()) {
        err("unit", "该角色必须指定所属单位");
    }
    if errors.is_empty() {
        let hash = password::hash_blocking(pw, s.config.password_kdf).await.map_err(UiError::Internal)?;
        let new = NewUser {
            display_name: if display_name.is_empty() { username.clone() } else { display_name.clone() },
            username: username.clone(),
            password_hash: hash,
            roles,
            unit: Some(unit.clone()).filter(|u| !u.is_empty()),
            // An administrator chose this password: the user must replace it (security.md §1).
            must_change_password: true,
        };
        match s.store.create_user(&page.actor, new).await {
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
    let p = users_page(&s, &page, UsersState { v, roles: codes, errors, message, ..Default::default() }).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

/// A row's form was refused: the list again, the reason on that row and at the top.
async fn refused<P: Perm>(
    s: &AppState,
    page: &Page<P>,
    id: i64,
    status: StatusCode,
    reason: String,
) -> UiResult<Response> {
    let st = UsersState { message: reason.clone(), row_error: Some((id, reason)), ..Default::default() };
    let p = users_page(s, page, st).await?;
    render_status(status, &p)
}

/// A store refusal as (status, message) for a row; anything else is an error page.
fn row_refusal(e: store::StoreError) -> Result<(StatusCode, String), UiError> {
    match ApiError::from(e) {
        ApiError::Validation(f) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, f.into_values().collect::<Vec<_>>().join("；")))
        }
        ApiError::Conflict(m) => Ok((StatusCode::CONFLICT, m)),
        other => Err(other.into()),
    }
}

pub async fn update_user(
    State(s): State<Arc<AppState>>,
    Id(id): Id,
    f: PageForm<perm::UserWrite>,
) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let disabled = match form.get("disabled") {
        "true" => true,
        "false" => false,
        _ => return refused(&s, &page, id, StatusCode::UNPROCESSABLE_ENTITY, "请选择启用或停用".into()).await,
    };
    let patch =
        UserPatch { disabled: Some(disabled), version: form.get("version").trim().parse().ok(), ..Default::default() };
    match s.store.update_user(&page.actor, id, patch).await {
        Ok(_) => Ok(see_other(if disabled { "/admin/users?done=disabled" } else { "/admin/users?done=enabled" })),
        Err(e) => {
            let (status, reason) = row_refusal(e)?;
            refused(&s, &page, id, status, reason).await
        }
    }
}

pub async fn set_roles(
    State(s): State<Arc<AppState>>,
    Id(id): Id,
    f: PageForm<perm::RoleAssign>,
) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let roles = match parse_roles(&form.all("roles")) {
        None => return refused(&s, &page, id, StatusCode::UNPROCESSABLE_ENTITY, "角色无效".into()).await,
        Some(r) if r.is_empty() => {
            return refused(&s, &page, id, StatusCode::UNPROCESSABLE_ENTITY, "请至少选择一个角色".into()).await;
        }
        Some(r) => r,
    };
    match s.store.set_roles(&page.actor, id, roles).await {
        Ok(_) => Ok(see_other("/admin/users?done=roles")),
        Err(e) => {
            let (status, reason) = row_refusal(e)?;
            refused(&s, &page, id, status, reason).await
        }
    }
}

// ---------------------------------------------------------------- units

#[derive(Debug, Clone)]
struct UnitRow {
    code: String,
    name: String,
    depth: usize,
    indent: String,
    kind: &'static str,
    parent: String,
    assessed: bool,
    users: usize,
}

/// The tree in display order: each unit followed by its children, with its depth.
fn unit_rows(s: &AppState) -> Vec<UnitRow> {
    let tree = s.store.unit_tree();
    let all = tree.all();
    let mut children: HashMap<Option<i64>, Vec<&store::units::Unit>> = HashMap::new();
    for u in all {
        // a parent that is not in the tree: show the unit at the top rather than lose it
        let parent = u.parent_id.filter(|p| tree.get(*p).is_some());
        children.entry(parent).or_default().push(u);
    }
    let mut out = vec![];
    let mut seen = std::collections::HashSet::new();
    let mut stack: Vec<(&store::units::Unit, usize)> =
        children.get(&None).map(|v| v.iter().rev().map(|u| (*u, 0)).collect()).unwrap_or_default();
    while let Some((u, depth)) = stack.pop() {
        if !seen.insert(u.id) {
            continue;
        }
        out.push(UnitRow {
            code: u.code.clone(),
            name: u.name.clone(),
            depth,
            indent: if depth == 0 { String::new() } else { format!("{}└ ", "　".repeat(depth - 1)) },
            kind: domain::labels::lookup(&domain::labels::UNIT_KINDS, &u.kind).unwrap_or("其他"),
            parent: u.parent_id.and_then(|p| tree.get(p)).map(|p| p.name.clone()).unwrap_or_default(),
            assessed: u.assessed,
            users: 0,
        });
        if let Some(c) = children.get(&Some(u.id)) {
            stack.extend(c.iter().rev().map(|c| (*c, depth + 1)));
        }
    }
    out
}

#[derive(Template)]
#[template(path = "admin_units.html")]
struct UnitsPage {
    chrome: Chrome,
    rows: Vec<UnitRow>,
    assessed: usize,
}

pub async fn units(State(s): State<Arc<AppState>>, page: Page<perm::UserRead>) -> UiResult<Response> {
    let mut rows = unit_rows(&s);
    let mut per_unit: HashMap<String, usize> = HashMap::new();
    for u in s.store.list_users().await? {
        if let Some(code) = u.unit {
            *per_unit.entry(code).or_default() += 1;
        }
    }
    for r in &mut rows {
        r.users = per_unit.get(&r.code).copied().unwrap_or(0);
    }
    let assessed = rows.iter().filter(|r| r.assessed).count();
    render(&UnitsPage { chrome: page.chrome("/admin/units", &s), rows, assessed })
}

// ---------------------------------------------------------------- policy

#[derive(Debug, Clone)]
struct PolicyRow {
    group: &'static str,
    label: &'static str,
    value: String,
    /// The key in zhaoshang.toml; empty when the value is built in.
    key: &'static str,
}

#[derive(Template)]
#[template(path = "admin_policy.html")]
struct PolicyPage {
    chrome: Chrome,
    rows: Vec<PolicyRow>,
}

/// `90 天`, `12 小时`, `30 分钟`, `45 秒`.
fn duration(d: chrono::Duration) -> String {
    let s = d.num_seconds();
    if s > 0 && s % 86_400 == 0 {
        format!("{} 天", s / 86_400)
    } else if s > 0 && s % 3_600 == 0 {
        format!("{} 小时", s / 3_600)
    } else if s > 0 && s % 60 == 0 {
        format!("{} 分钟", s / 60)
    } else {
        format!("{s} 秒")
    }
}

pub async fn policy(State(s): State<Arc<AppState>>, page: Page<perm::PolicyWrite>) -> UiResult<Response> {
    let c = &s.config;
    let rows = vec![
        PolicyRow {
            group: "会话",
            label: "空闲超时（无操作自动退出）",
            value: duration(c.session_idle),
            key: "session.idle_minutes",
        },
        PolicyRow {
            group: "会话",
            label: "会话最长有效期（须重新登录）",
            value: duration(c.session_absolute),
            key: "session.absolute_hours",
        },
        PolicyRow {
            group: "会话",
            label: "会话 Cookie 仅经 HTTPS 发送（Secure）",
            value: if c.cookie_secure {
                "是".into()
            } else {
                "否（经受信代理以 HTTPS 访问时仍会标记）".into()
            },
            key: "cookie_secure",
        },
        PolicyRow {
            group: "登录失败处理",
            label: "账号锁定阈值（窗口期内连续失败次数）",
            value: format!("{} 次", c.lockout_failures),
            key: "",
        },
        PolicyRow {
            group: "登录失败处理", label: "失败计数窗口", value: duration(c.lockout_window), key: ""
        },
        PolicyRow { group: "登录失败处理", label: "锁定时长", value: duration(c.lockout_duration), key: "" },
        PolicyRow {
            group: "登录失败处理",
            label: "同一地址失败次数上限（超过后暂时拒绝该地址）",
            value: format!("{} 次", c.address_failures),
            key: "",
        },
        PolicyRow {
            group: "口令",
            label: "口令最长使用期限（到期须修改）",
            value: c.password_max_age.map(duration).unwrap_or_else(|| "不强制定期修改".into()),
            key: "password_max_age_days",
        },
        PolicyRow {
            group: "口令",
            label: "口令复杂度",
            value: "至少8个字符，含大写字母、小写字母、数字、符号中的至少三类，不含用户名".into(),
            key: "",
        },
        PolicyRow {
            group: "口令",
            label: "口令存储算法",
            value: match c.password_kdf {
                password::Kdf::Argon2id => "Argon2id".into(),
                password::Kdf::Pbkdf2Sm3 => "PBKDF2-SM3（商用密码）".into(),
            },
            key: "password_kdf",
        },
        PolicyRow {
            group: "双因素认证",
            label: "三员（系统、安全、审计管理员）须使用动态口令",
            value: if c.totp_required_for_admins { "是".into() } else { "否".into() },
            key: "totp_required_for_admins",
        },
        PolicyRow {
            group: "审计",
            label: "审计日志、登录日志保存期限",
            value: format!("{} 天", c.audit_retention_days),
            key: "audit_retention_days",
        },
    ];
    render(&PolicyPage { chrome: page.chrome("/admin/policy", &s), rows })
}
