//! 系统管理: users and roles, units, the security policy; the audit and login logs.
//!
//! The same store calls as the API (`api/system.rs`): 三员分立, the password policy and the
//! audit records are theirs. Each form is shown only to a role that may submit it.

use std::collections::HashMap;

use askama::Template;
use axum::response::Response;

use super::{Chrome, Page, UiResult, render};
use crate::auth::perm;
use crate::{AppState, password};

mod audit;
mod users;
pub use audit::{audit, export as audit_export, logins};
pub use users::{create_user, set_roles, update_user, users};

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

pub async fn units(page: Page<perm::UserRead>) -> UiResult<Response> {
    let mut rows = unit_rows(&page.state);
    let mut per_unit: HashMap<String, usize> = HashMap::new();
    for u in page.store().list_users().await? {
        if let Some(code) = u.unit {
            *per_unit.entry(code).or_default() += 1;
        }
    }
    for r in &mut rows {
        r.users = per_unit.get(&r.code).copied().unwrap_or(0);
    }
    let assessed = rows.iter().filter(|r| r.assessed).count();
    render(&UnitsPage { chrome: page.chrome("/admin/units"), rows, assessed })
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
    /// The warning thresholds in force: (label, value with its unit, settings key).
    thresholds: Vec<(&'static str, String, &'static str)>,
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

pub async fn policy(page: Page<perm::PolicyWrite>) -> UiResult<Response> {
    let c = &page.state.config;
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
    let now = page.state.store.scoped(&page.actor).warning_thresholds().await?;
    let thresholds = domain::warnings::THRESHOLD_SETTINGS
        .iter()
        .map(|t| (t.label, format!("{} {}", t.value(&now), t.unit), t.key))
        .collect();
    render(&PolicyPage { chrome: page.chrome("/admin/policy"), rows, thresholds })
}
