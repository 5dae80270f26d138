//! Users, their roles, server-side sessions and the login log.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::fields::USER;
use domain::{Permission, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;

use crate::audit::Event;
use crate::entity::{session, user, user_role};
use crate::handle::one_shot;
use crate::{Actor, Result, Scoped, Store, StoreError, Tx};

mod sessions;
pub use sessions::SessionUser;

/// A user as the API shows it (never the password hash).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    #[schema(value_type = Vec<String>)]
    pub roles: Vec<Role>,
    pub unit: Option<String>,
    pub unit_name: Option<String>,
    #[serde(skip)]
    pub unit_id: Option<i64>,
    pub disabled: bool,
    pub must_change_password: bool,
    pub totp_enabled: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    /// For the administrators' user list; not part of the API's user object.
    #[serde(skip)]
    pub updated_at: DateTime<Utc>,
    #[serde(skip)]
    pub password_changed_at: DateTime<Utc>,
}

/// A user with the password hash, for login only.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    pub password_changed_at: DateTime<Utc>,
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub roles: Vec<Role>,
    pub unit: Option<String>,
    pub must_change_password: bool,
}

/// 三员分立 (api.md, users): a web administrator creates an account without roles.
pub const NO_ROLES_AT_CREATE: &str = "新建账号不带角色：角色由安全管理员在本人修改初始密码后授予（三员分立）";
/// 三员分立: secadmin grants no role while the account still has the password sysadmin chose.
pub const INITIAL_PASSWORD: &str =
    "该账号仍在使用系统管理员设置的初始密码：须由本人登录并修改密码后，才能授予角色（三员分立）";
/// 三员分立: the administrator roles are set on the server only (`zhaoshang admin`).
pub const ADMIN_ROLES_ON_SERVER: &str =
    "三员角色（系统管理员、安全管理员、审计管理员）只能在服务器上用 zhaoshang admin 命令设置";

/// No web user changes, disables, resets or re-roles an administrator account (三员分立):
/// that is done with `zhaoshang admin` on the server (a system actor, no user id).
fn guard_administrator(actor: &Actor, target_roles: &[Role]) -> Result<()> {
    if actor.user_id.is_some() && target_roles.iter().any(|r| r.is_administrator()) {
        return Err(StoreError::Forbidden);
    }
    Ok(())
}

/// The login log's reason for a wrong password (the one that counts toward lockout).
pub const WRONG_PASSWORD: &str = "密码错误";
/// Unknown usernames count too, so that locking cannot tell which usernames exist.
pub const UNKNOWN_USER: &str = "用户不存在";
/// A wrong or replayed TOTP code (counts toward lockout like a wrong password).
pub const WRONG_TOTP: &str = "动态口令错误";

/// A change to a user; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub display_name: Option<String>,
    pub unit: Option<Option<String>>,
    pub disabled: Option<bool>,
    pub version: Option<i32>,
}

async fn end_all_sessions(txn: &sea_orm::DatabaseTransaction, user_id: i64) -> Result<()> {
    session::Entity::update_many()
        .col_expr(session::Column::EndedAt, sea_orm::sea_query::Expr::value(crate::now()))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::EndedAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

impl Store {
    fn to_user(&self, m: user::Model, roles: Vec<Role>) -> User {
        let tree = self.unit_tree();
        let unit = m.unit_id.and_then(|id| tree.get(id));
        User {
            id: m.id,
            username: m.username,
            display_name: m.display_name,
            roles,
            unit: unit.map(|u| u.code.clone()),
            unit_name: unit.map(|u| u.name.clone()),
            unit_id: m.unit_id,
            disabled: m.disabled,
            must_change_password: m.must_change_password,
            totp_enabled: m.totp_enabled,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
            password_changed_at: m.password_changed_at,
        }
    }

    async fn roles_of<C: sea_orm::ConnectionTrait>(&self, db: &C, user_id: i64) -> Result<Vec<Role>> {
        let rows = user_role::Entity::find().filter(user_role::Column::UserId.eq(user_id)).all(db).await?;
        let mut roles: Vec<Role> = rows.iter().filter_map(|r| Role::parse(&r.role)).collect();
        roles.sort();
        Ok(roles)
    }
}

one_shot! {
    write fn create_user(new: NewUser) -> User;
    write fn update_user(id: i64, patch: UserPatch) -> User;
    write fn set_roles(id: i64, roles: Vec<Role>) -> User;
    write fn reset_password(id: i64, new_hash: String) -> User;
    quiet fn change_password(keep_session: i64, new_hash: String) -> ();
    quiet fn totp_setup(secret: &str) -> ();
    quiet fn totp_enable(step: i64) -> ();
}

impl Tx<'_> {
    /// Create a user (sysadmin, or the CLI's `admin create`). 三员分立 is checked here: an
    /// account made by a web user has no roles (secadmin grants them later, `set_roles`);
    /// only the server's command line (a system actor) creates one with roles. Usernames are
    /// unique regardless of case (`City_Admin` beside `city_admin` is refused).
    pub async fn create_user(&self, new: NewUser) -> Result<User> {
        let (store, actor, txn) = (self.store(), self.actor(), &self.txn);
        self.s.require(Permission::UserWrite)?;
        let mut errors = vec![];
        let username = new.username.trim().to_string();
        USER.check_required("username", &username, &mut errors);
        if errors.is_empty() && !username.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.')) {
            errors.push(domain::FieldError::new("username", "用户名只能包含字母、数字、下划线、连字符和点"));
        }
        USER.check_len("display_name", &new.display_name, &mut errors);
        if actor.user_id.is_some() {
            if !new.roles.is_empty() {
                errors.push(domain::FieldError::new("roles", NO_ROLES_AT_CREATE));
            }
        } else if let Err(e) = domain::access::check_role_set(&new.roles) {
            errors.push(domain::FieldError::new("roles", e));
        }
        let tree = store.unit_tree();
        let unit_id = match new.unit.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(code) => match tree.find(code) {
                Some(u) => Some(u.id),
                None => {
                    errors.push(domain::FieldError::new("unit", format!("单位「{code}」不存在")));
                    None
                }
            },
            None => None,
        };
        // unit_staff, dept_staff and leader see data by their unit: they must have one.
        if unit_id.is_none() && new.roles.iter().any(|r| r.needs_unit()) && errors.iter().all(|e| e.field != "unit") {
            errors.push(domain::FieldError::new("unit", "该角色必须指定所属单位"));
        }
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        // Compared in Rust, not with SQL lower(): SQLite folds ASCII only. The table is small,
        // and the write transaction holds the lock; the unique index on lower(username)
        // (migration 000007) backs this up.
        let key = username.to_lowercase();
        let names: Vec<String> =
            user::Entity::find().select_only().column(user::Column::Username).into_tuple().all(txn).await?;
        if names.iter().any(|n| n.to_lowercase() == key) {
            return Err(StoreError::field("username", "用户名已存在（用户名不区分大小写）"));
        }
        let now = crate::now();
        let am = user::ActiveModel {
            username: Set(username),
            display_name: Set(new.display_name.trim().to_string()),
            password_hash: Set(new.password_hash),
            unit_id: Set(unit_id),
            disabled: Set(false),
            must_change_password: Set(new.must_change_password),
            password_changed_at: Set(now),
            totp_secret: Set(None),
            totp_enabled: Set(false),
            totp_last_step: Set(None),
            ..Default::default()
        };
        let m = self.insert_new(am).await?;
        let roles = store.put_roles(txn, m.id, new.roles).await?;
        let u = store.to_user(m, roles);
        self.audited(Event::ok(domain::AuditAction::UserCreate, "user", u.id), u).await
    }

    /// Change a user's display name, unit or disabled flag (sysadmin). Disabling ends the
    /// user's sessions in the same transaction (security.md §3). 三员分立: no web user
    /// changes an administrator account (403); `zhaoshang admin` does, as a system actor.
    pub async fn update_user(&self, id: i64, patch: UserPatch) -> Result<User> {
        let (store, actor, txn) = (self.store(), self.actor(), &self.txn);
        self.s.require(Permission::UserWrite)?;
        let m = self.user_row(id).await?;
        let roles = store.roles_of(txn, id).await?;
        if actor.user_id == Some(id) && patch.disabled == Some(true) {
            return Err(StoreError::field("disabled", "不能停用自己的账号"));
        }
        guard_administrator(actor, &roles)?;
        if patch.version.is_some_and(|v| v != m.version) {
            return Err(StoreError::Conflict("数据已被他人修改（版本号已过期），请刷新后重试".into()));
        }
        let before = store.to_user(m.clone(), roles.clone());
        let mut am = m.clone().into_active_model();
        if let Some(d) = &patch.display_name {
            let mut errors = vec![];
            USER.check_required("display_name", d, &mut errors);
            if !errors.is_empty() {
                return Err(StoreError::Validation(errors));
            }
            am.display_name = Set(d.trim().to_string());
        }
        if let Some(u) = &patch.unit {
            let tree = store.unit_tree();
            match u.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(code) => match tree.find(code) {
                    Some(unit) => am.unit_id = Set(Some(unit.id)),
                    None => return Err(StoreError::field("unit", format!("单位「{code}」不存在"))),
                },
                None if roles.iter().any(|r| r.needs_unit()) => {
                    return Err(StoreError::field("unit", "该角色必须指定所属单位"));
                }
                None => am.unit_id = Set(None),
            }
        }
        if let Some(d) = patch.disabled {
            am.disabled = Set(d);
        }
        am.version = Set(m.version + 1);
        am.updated_at = Set(crate::now());
        let m = am.update(txn).await?;
        if m.disabled || m.unit_id != before.unit_id {
            end_all_sessions(txn, id).await?;
        }
        let after = store.to_user(m, roles);
        self.audit(Event::ok(domain::AuditAction::UserUpdate, "user", id).before(&before).after(&after)).await?;
        Ok(after)
    }

    /// Replace a user's roles (secadmin only, by route). 三员分立 is checked: a web user
    /// neither grants an administrator role nor re-roles an administrator account (403), and
    /// no role is granted while the account still has the initial password that sysadmin
    /// chose (409: sysadmin knows it, so it could use the rights it asked for). The user's
    /// sessions end, so the new rights apply from the next login.
    pub async fn set_roles(&self, id: i64, roles: Vec<Role>) -> Result<User> {
        let (store, actor, txn) = (self.store(), self.actor(), &self.txn);
        self.s.require(Permission::RoleAssign)?;
        if let Err(e) = domain::access::check_role_set(&roles) {
            return Err(StoreError::field("roles", e));
        }
        if actor.user_id == Some(id) {
            return Err(StoreError::field("roles", "不能修改自己的角色"));
        }
        if actor.user_id.is_some() && roles.iter().any(|r| r.is_administrator()) {
            return Err(StoreError::field("roles", ADMIN_ROLES_ON_SERVER));
        }
        let m = self.user_row(id).await?;
        let current = store.roles_of(txn, id).await?;
        guard_administrator(actor, &current)?;
        if actor.user_id.is_some() && m.must_change_password {
            return Err(StoreError::Conflict(INITIAL_PASSWORD.into()));
        }
        if m.unit_id.is_none() && roles.iter().any(|r| r.needs_unit()) {
            return Err(StoreError::field("unit", "该角色必须指定所属单位"));
        }
        let before = store.to_user(m.clone(), current);
        let roles = store.put_roles(txn, id, roles).await?;
        end_all_sessions(txn, id).await?;
        let after = store.to_user(m, roles);
        self.audit(Event::ok(domain::AuditAction::UserRoles, "user", id).before(&before).after(&after)).await?;
        Ok(after)
    }

    /// Set a user's password on the server (`zhaoshang admin reset-password`, a system actor
    /// only: no web user resets a password). The user must choose a new one at the next
    /// login, and every session of theirs ends.
    pub async fn reset_password(&self, id: i64, new_hash: String) -> Result<User> {
        if self.actor().user_id.is_some() {
            return Err(StoreError::Forbidden);
        }
        let m = self.set_password(id, new_hash, true).await?;
        end_all_sessions(&self.txn, id).await?;
        let u = self.store().to_user(m, self.store().roles_of(&self.txn, id).await?);
        self.audit(Event::ok(domain::AuditAction::UserResetPassword, "user", id)).await?;
        Ok(u)
    }

    /// A user's row in this transaction (404 when unknown).
    async fn user_row(&self, id: i64) -> Result<user::Model> {
        user::Entity::find_by_id(id).one(&self.txn).await?.ok_or(StoreError::NotFound)
    }

    /// Store a new password hash; `must_change` forces a new one at the next login.
    async fn set_password(&self, id: i64, new_hash: String, must_change: bool) -> Result<user::Model> {
        let m = self.user_row(id).await?;
        let version = m.version;
        let mut am = m.into_active_model();
        am.password_hash = Set(new_hash);
        am.must_change_password = Set(must_change);
        am.password_changed_at = Set(crate::now());
        am.version = Set(version + 1);
        am.updated_at = Set(crate::now());
        Ok(am.update(&self.txn).await?)
    }

    /// Replace the caller's own password hash; every other session of the user ends, and
    /// the forced-change flag clears (security.md §1, §3).
    pub async fn change_password(&self, keep_session: i64, new_hash: String) -> Result<()> {
        let id = self.actor().user_id.ok_or(StoreError::Forbidden)?;
        self.set_password(id, new_hash, false).await?;
        session::Entity::update_many()
            .col_expr(session::Column::EndedAt, sea_orm::sea_query::Expr::value(crate::now()))
            .filter(session::Column::UserId.eq(id))
            .filter(session::Column::Id.ne(keep_session))
            .filter(session::Column::EndedAt.is_null())
            .exec(&self.txn)
            .await?;
        self.audit(Event::ok(domain::AuditAction::UserPassword, "user", id)).await?;
        Ok(())
    }

    /// Store a new (not yet enabled) TOTP secret for the caller.
    pub async fn totp_setup(&self, secret: &str) -> Result<()> {
        let id = self.actor().user_id.ok_or(StoreError::Forbidden)?;
        let m = self.user_row(id).await?;
        if m.totp_enabled {
            return Err(StoreError::Conflict("动态口令已启用；如需更换请联系安全管理员重置".into()));
        }
        let mut am = m.into_active_model();
        am.totp_secret = Set(Some(secret.to_string()));
        am.totp_last_step = Set(None);
        am.update(&self.txn).await?;
        self.audit(Event::ok(domain::AuditAction::UserTotpSetup, "user", id)).await?;
        Ok(())
    }

    /// Turn TOTP on after the caller proved the code (`step` is the accepted time step).
    pub async fn totp_enable(&self, step: i64) -> Result<()> {
        let id = self.actor().user_id.ok_or(StoreError::Forbidden)?;
        let mut am = self.user_row(id).await?.into_active_model();
        am.totp_enabled = Set(true);
        am.totp_last_step = Set(Some(step));
        am.update(&self.txn).await?;
        self.audit(Event::ok(domain::AuditAction::UserTotpEnable, "user", id)).await?;
        Ok(())
    }
}

impl Scoped<'_> {
    /// Every account with its roles (`user:read`: sysadmin, secadmin).
    pub async fn list_users(&self) -> Result<Vec<User>> {
        self.require(Permission::UserRead)?;
        let store = self.store;
        let rows = user::Entity::find().order_by_asc(user::Column::Id).all(store.db()).await?;
        let roles = user_role::Entity::find().all(store.db()).await?;
        Ok(rows
            .into_iter()
            .map(|m| {
                let mut rs: Vec<Role> =
                    roles.iter().filter(|r| r.user_id == m.id).filter_map(|r| Role::parse(&r.role)).collect();
                rs.sort();
                store.to_user(m, rs)
            })
            .collect())
    }

    /// How many accounts there are (`user:read`).
    pub async fn count_users(&self) -> Result<u64> {
        self.require(Permission::UserRead)?;
        Ok(user::Entity::find().count(self.store.db()).await?)
    }
}

impl Store {
    /// Replace a user's roles inside `txn`; the sorted roles.
    async fn put_roles(&self, txn: &sea_orm::DatabaseTransaction, id: i64, mut roles: Vec<Role>) -> Result<Vec<Role>> {
        let rows = roles.iter().map(|r| user_role::ActiveModel { user_id: Set(id), role: Set(r.code().to_string()) });
        crate::rows::replace_children(txn, user_role::Column::UserId, id, rows).await?;
        roles.sort();
        Ok(roles)
    }

    pub async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        let Some(m) = user::Entity::find().filter(user::Column::Username.eq(username.trim())).one(self.db()).await?
        else {
            return Ok(None);
        };
        let (hash, changed) = (m.password_hash.clone(), m.password_changed_at);
        let (totp_secret, totp_last_step) = (m.totp_secret.clone(), m.totp_last_step);
        let roles = self.roles_of(self.db(), m.id).await?;
        Ok(Some(Credentials {
            user: self.to_user(m, roles),
            password_hash: hash,
            password_changed_at: changed,
            totp_secret,
            totp_last_step,
        }))
    }

    /// Record the time step of an accepted login code, only if it is newer than the last
    /// one (a replayed code loses). Returns whether it was accepted.
    pub async fn totp_use_step(&self, user_id: i64, step: i64) -> Result<bool> {
        let res = user::Entity::update_many()
            .col_expr(user::Column::TotpLastStep, sea_orm::sea_query::Expr::value(step))
            .filter(user::Column::Id.eq(user_id))
            .filter(
                sea_orm::Condition::any()
                    .add(user::Column::TotpLastStep.is_null())
                    .add(user::Column::TotpLastStep.lt(step)),
            )
            .exec(self.db())
            .await?;
        Ok(res.rows_affected == 1)
    }
}

/// The display names of these users (who recorded, answered or uploaded something), by id.
pub(crate) async fn user_names(db: &impl ConnectionTrait, ids: Vec<i64>) -> Result<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = user::Entity::find().filter(user::Column::Id.is_in(ids)).all(db).await?;
    Ok(rows.into_iter().map(|u| (u.id, u.display_name)).collect())
}

impl Store {
    /// [`user_names`] on the pool.
    pub(crate) async fn user_names(&self, ids: Vec<i64>) -> Result<HashMap<i64, String>> {
        user_names(self.db(), ids).await
    }
}
