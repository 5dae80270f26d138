//! Health, login/logout, the current user, units and users.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use domain::Role;
use serde::Serialize;
use store::Actor;
use store::users::{NewUser, User};
use utoipa::ToSchema;

use super::body::{Check, Exact, Input, body};
use super::{Items, Page};
use crate::auth::{Caller, Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody};
use crate::{AppState, password};

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `degraded` when the database does not answer.
    status: &'static str,
    version: &'static str,
    /// `sqlite` or `postgres`.
    database: &'static str,
}

/// 200 when the database answers; 503 otherwise (load balancers take the node out).
#[utoipa::path(get, path = "/api/v1/health", tag = "system",
    responses((status = 200, description = "ok", body = Health), (status = 503, description = "database unavailable", body = Health)))]
pub async fn health(State(s): State<Arc<AppState>>) -> (StatusCode, Json<Health>) {
    let ok = s.store.ping().await;
    let body = Health {
        status: if ok { "ok" } else { "degraded" },
        version: crate::VERSION,
        database: s.store.backend_name(),
    };
    (if ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }, Json(body))
}

body! {
    pub struct LoginBody {
        #[schema(value_type = String, required = true)]
        username: Input<Exact>,
        #[schema(value_type = String, format = Password, required = true)]
        password: Input<Exact>,
        /// The TOTP code, for accounts that have the second factor on.
        #[schema(value_type = Option<String>)]
        totp: Input<String>,
    }
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    token: String,
    expires_at: DateTime<Utc>,
    /// A new account, a reset or an expired password: only `self:read` routes until changed.
    must_change_password: bool,
    user: User,
}

/// Parts of the request that login needs for its log (address, request id).
pub struct Origin(Parts);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Origin {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let mut p = Parts::clone(parts);
        p.extensions = axum::http::Extensions::new();
        if let Some(ci) = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>() {
            p.extensions.insert(*ci);
        }
        Ok(Origin(p))
    }
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginBody,
    responses((status = 200, description = "token and user", body = LoginResponse), (status = 401, description = "wrong username or password, or locked")))]
pub async fn login(
    State(s): State<Arc<AppState>>,
    Origin(parts): Origin,
    JsonBody(b): JsonBody<LoginBody>,
) -> NamedResult<Json<LoginResponse>, table::User> {
    let mut c = Check::body(&domain::fields::USER, &b.extra, &[]);
    let (username, password) = (c.required("username", b.username), c.required("password", b.password));
    let totp = c.optional("totp", b.totp);
    let (Some(Exact(username)), Some(Exact(password))) = c.finish((username, password))? else {
        return Err(ApiError::field("username", "不能为空").into());
    };
    let signed = crate::auth::sign_in(&s, &parts, &username, &password, totp.as_deref()).await?;
    Ok(Json(LoginResponse {
        token: signed.token,
        expires_at: signed.expires_at,
        must_change_password: signed.must_change_password,
        user: signed.user,
    }))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = ["self:read"])), responses((status = 204, description = "session ended")))]
pub async fn logout(State(s): State<Arc<AppState>>, c: Caller<perm::SelfRead>) -> ApiResult<StatusCode> {
    s.store.end_session(&c.actor, c.session_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A unit as `/me` names the caller's.
#[derive(Serialize, ToSchema)]
pub struct UnitRef {
    code: String,
    name: String,
    kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    id: i64,
    username: String,
    display_name: String,
    #[schema(value_type = Vec<String>)]
    roles: Vec<Role>,
    unit: Option<UnitRef>,
    /// The permission codes the caller's roles hold.
    permissions: Vec<&'static str>,
    must_change_password: bool,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = ["self:read"])), responses((status = 200, description = "the current user", body = Me)))]
pub async fn me(State(s): State<Arc<AppState>>, c: Caller<perm::SelfRead>) -> ApiResult<Json<Me>> {
    let tree = s.store.unit_tree();
    let unit = c.actor.unit_id.and_then(|u| tree.get(u));
    let permissions = domain::Permission::ALL
        .iter()
        .filter(|p| domain::access::has_permission(&c.actor.roles, **p))
        .map(|p| p.code())
        .collect();
    let user = own_credentials(&s, &c.actor).await?.user;
    Ok(Json(Me {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        roles: c.actor.roles.clone(),
        unit: unit.map(|u| UnitRef { code: u.code.clone(), name: u.name.clone(), kind: u.kind.clone() }),
        permissions,
        must_change_password: c.must_change_password,
    }))
}

/// A unit of the tree (`parent` is the parent's code).
#[derive(Serialize, ToSchema)]
pub struct UnitItem {
    code: String,
    name: String,
    kind: String,
    parent: Option<String>,
    assessed: bool,
}

#[utoipa::path(get, path = "/api/v1/units", tag = "units", security(("bearer" = ["unit:read"])), responses((status = 200, description = "the unit tree in scope", body = Items<UnitItem>)))]
pub async fn units(State(s): State<Arc<AppState>>, c: Caller<perm::UnitRead>) -> Json<Items<UnitItem>> {
    let tree = s.store.unit_tree();
    // The system administrator manages users and units (domain.md §1): the whole tree is
    // their reference list — it holds no business data — although their data scope is
    // nothing, which would otherwise leave them an empty tree to assign users to.
    let units: Vec<&store::units::Unit> =
        if domain::access::has_permission(&c.actor.roles, domain::Permission::UserWrite) {
            tree.all().iter().collect()
        } else {
            tree.visible(&c.actor)
        };
    Json(Items::of(
        units
            .into_iter()
            .map(|u| UnitItem {
                code: u.code.clone(),
                name: u.name.clone(),
                kind: u.kind.clone(),
                parent: u.parent.clone(),
                assessed: u.assessed,
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = ["user:read"])), responses((status = 200, description = "all users", body = Page<User>)))]
pub async fn list_users(db: Db<perm::UserRead>) -> ApiResult<Json<Page<User>>> {
    let items = db.store().list_users().await?;
    let n = items.len() as u64;
    Ok(Json(Page { items, total: n, page: 1, per_page: n }))
}

body! {
    pub struct NewUserBody {
        #[schema(value_type = String, required = true)]
        username: Input<String>,
        /// The username when left out.
        #[schema(value_type = Option<String>)]
        display_name: Input<String>,
        /// The initial password (the policy of security.md §1); the user must replace it.
        #[schema(value_type = String, format = Password, required = true)]
        password: Input<Exact>,
        /// Refused unless empty: only secadmin grants roles (三员分立).
        #[schema(value_type = Option<Vec<String>>)]
        roles: Input<Vec<String>>,
        /// A unit code.
        #[schema(value_type = Option<String>)]
        unit: Input<String>,
    }
}

/// Create an account (sysadmin). 三员分立: it has no roles (`roles` is refused unless
/// empty); secadmin grants them with `PUT /api/v1/users/{id}/roles` once the user has
/// replaced this initial password.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = ["user:write"])), request_body = NewUserBody,
    responses((status = 201, description = "created, without roles", body = User), (status = 422, description = "invalid, or roles given")))]
pub async fn create_user(
    db: Db<perm::UserWrite>,
    JsonBody(b): JsonBody<NewUserBody>,
) -> NamedResult<(StatusCode, Json<User>), table::User> {
    let mut check =
        Check::body(&domain::fields::USER, &b.extra, &["id", "disabled", "must_change_password", "created_at"]);
    let username = check.required("username", b.username);
    let display_name = check.optional("display_name", b.display_name);
    let pw = check.required("password", b.password);
    // 三员分立: a new account has no roles; secadmin grants them (PUT …/roles).
    if check.optional("roles", b.roles).is_some_and(|r| !r.is_empty()) {
        check.err("roles", store::users::NO_ROLES_AT_CREATE);
    }
    let unit = check.optional("unit", b.unit);
    if let (Some(u), Some(Exact(p))) = (&username, &pw)
        && let Err(e) = domain::password::check(p, u)
    {
        check.err("password", e);
    }
    let (Some(username), Some(Exact(pw))) = check.finish((username, pw))? else {
        return Err(ApiError::field("username", "不能为空").into());
    };
    let hash = password::hash_blocking(pw, db.state.config.password_kdf).await.map_err(ApiError::Internal)?;
    let u = db
        .store()
        .create_user(NewUser {
            display_name: display_name.unwrap_or_else(|| username.clone()),
            username,
            password_hash: hash,
            roles: vec![],
            unit,
            // An administrator chose this password: the user must replace it (security.md §1).
            must_change_password: true,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(u)))
}

body! {
    pub struct UserPatchBody {
        #[schema(value_type = Option<String>)]
        display_name: Input<String>,
        /// A unit code; `null` takes the account out of any unit.
        #[schema(value_type = Option<String>)]
        unit: Input<String>,
        /// Disabling ends the user's sessions.
        #[schema(value_type = Option<bool>)]
        disabled: Input<bool>,
        /// The version read (optimistic lock); a stale one → 409.
        #[schema(value_type = Option<i32>)]
        version: Input<i32>,
    }
}

/// Change an account's display name, unit or disabled flag (sysadmin). The three
/// administrator accounts are refused (403): they are managed with `zhaoshang admin` on
/// the server.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = ["user:write"])),
    params(("id" = i64, Path)), request_body = UserPatchBody,
    responses((status = 200, description = "updated; disabling ends the user's sessions", body = User), (status = 403, description = "an administrator account (三员分立)"), (status = 409, description = "stale version"), (status = 422, description = "invalid")))]
pub async fn update_user(
    db: Db<perm::UserWrite>,
    Id(id): Id,
    JsonBody(b): JsonBody<UserPatchBody>,
) -> NamedResult<Json<User>, table::User> {
    // Roles are not here: only secadmin assigns them (PUT …/roles), 三员分立.
    let protected = ["id", "username", "roles", "password", "password_hash", "created_at"];
    let mut check = Check::body(&domain::fields::USER, &b.extra, &protected);
    let patch = store::users::UserPatch {
        display_name: check.optional("display_name", b.display_name),
        unit: check.given("unit", b.unit),
        disabled: check.optional("disabled", b.disabled),
        version: check.optional("version", b.version),
    };
    let patch = check.finish(patch)?;
    Ok(Json(db.store().update_user(id, patch).await?))
}

body! {
    pub struct RolesBody {
        /// Role codes (domain.md §1); at least one.
        #[schema(value_type = Vec<String>, required = true)]
        roles: Input<Vec<String>>,
    }
}

/// Replace an account's roles (secadmin only). 三员分立: an administrator account is not
/// re-roled and no administrator role is granted here (that is `zhaoshang admin` on the
/// server); an account that still has the initial password sysadmin set is refused with
/// **409** `conflict` until its user has changed it.
#[utoipa::path(put, path = "/api/v1/users/{id}/roles", tag = "users", security(("bearer" = ["role:assign"])),
    params(("id" = i64, Path)), request_body = RolesBody,
    responses((status = 200, description = "roles replaced; the user's sessions end", body = User), (status = 403, description = "an administrator account"), (status = 409, description = "the account still has its initial password"), (status = 422, description = "三员分立, an administrator role, or unknown role")))]
pub async fn set_roles(
    db: Db<perm::RoleAssign>,
    Id(id): Id,
    JsonBody(b): JsonBody<RolesBody>,
) -> NamedResult<Json<User>, table::User> {
    let mut check = Check::body(&domain::fields::USER, &b.extra, &[]);
    let codes = check.required("roles", b.roles).unwrap_or_default();
    let roles: Option<Vec<Role>> = codes.iter().map(|r| Role::parse(r)).collect();
    match &roles {
        None => check.err("roles", "角色无效"),
        Some(r) if r.is_empty() => check.err("roles", "不能为空"),
        Some(_) => {}
    }
    let roles = check.finish(roles.unwrap_or_default())?;
    Ok(Json(db.store().set_roles(id, roles).await?))
}

body! {
    pub struct PasswordBody {
        #[schema(value_type = String, format = Password, required = true)]
        current_password: Input<Exact>,
        #[schema(value_type = String, format = Password, required = true)]
        new_password: Input<Exact>,
    }
}

#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", security(("bearer" = ["self:read"])), request_body = PasswordBody,
    responses((status = 204, description = "changed; the user's other sessions end"), (status = 422, description = "wrong current password or policy")))]
pub async fn change_password(
    db: Db<perm::SelfRead>,
    JsonBody(b): JsonBody<PasswordBody>,
) -> NamedResult<StatusCode, table::User> {
    let mut check = Check::body(&domain::fields::USER, &b.extra, &[]);
    let current = check.required("current_password", b.current_password);
    let new = check.required("new_password", b.new_password);
    let (Some(Exact(current)), Some(Exact(new))) = check.finish((current, new))? else {
        return Err(ApiError::field("new_password", "不能为空").into());
    };
    change_own_password(&db.state, &db.caller.actor, db.caller.session_id, current, new).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct TotpSecret {
    /// Base32, for an authenticator app.
    secret: String,
    otpauth_uri: String,
}

#[utoipa::path(post, path = "/api/v1/auth/totp/setup", tag = "auth", security(("bearer" = ["self:read"])),
    responses((status = 200, description = "add the secret to an authenticator app, then enable", body = TotpSecret), (status = 409, description = "already on")))]
pub async fn totp_setup(db: Db<perm::SelfRead>) -> ApiResult<Json<TotpSecret>> {
    let secret = crate::totp::new_secret();
    db.store().totp_setup(&secret).await?;
    let otpauth_uri = crate::totp::otpauth_uri(&secret, &db.caller.actor.username);
    Ok(Json(TotpSecret { secret, otpauth_uri }))
}

body! {
    pub struct TotpEnableBody {
        /// The 6-digit code the app shows now.
        #[schema(value_type = String, required = true)]
        code: Input<String>,
    }
}

#[utoipa::path(post, path = "/api/v1/auth/totp/enable", tag = "auth", security(("bearer" = ["self:read"])), request_body = TotpEnableBody,
    responses((status = 204, description = "on; later logins need the code"), (status = 422, description = "wrong code")))]
pub async fn totp_enable(
    db: Db<perm::SelfRead>,
    JsonBody(b): JsonBody<TotpEnableBody>,
) -> NamedResult<StatusCode, table::User> {
    let mut check = Check::body(&domain::fields::USER, &b.extra, &[]);
    let code = check.required("code", b.code);
    let code = check.finish(code)?.unwrap_or_default();
    let creds = own_credentials(&db.state, &db.caller.actor).await?;
    if creds.user.totp_enabled {
        return Err(ApiError::Conflict("动态口令已启用".into()).into());
    }
    let Some(secret) = creds.totp_secret else {
        return Err(ApiError::Conflict("请先生成动态口令密钥（setup）".into()).into());
    };
    let step = crate::totp::check(&secret, &code, store::now().timestamp())
        .ok_or_else(|| ApiError::field("code", "动态口令不正确"))?;
    db.store().totp_enable(step).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Change the caller's own password (API and pages): the current one must be right, the
/// new one must meet the policy and differ; the user's other sessions end.
pub async fn change_own_password(
    s: &AppState,
    actor: &Actor,
    session_id: i64,
    current_password: String,
    new_password: String,
) -> ApiResult<()> {
    let creds = own_credentials(s, actor).await?;
    if !password::verify_blocking(current_password.clone(), creds.password_hash.clone()).await {
        return Err(ApiError::field("current_password", "当前密码不正确"));
    }
    if let Err(e) = domain::password::check(&new_password, &actor.username) {
        return Err(ApiError::field("new_password", e));
    }
    if new_password == current_password {
        return Err(ApiError::field("new_password", "新密码不能与当前密码相同"));
    }
    let hash = password::hash_blocking(new_password, s.config.password_kdf).await.map_err(ApiError::Internal)?;
    s.store.scoped(actor).change_password(session_id, hash).await?;
    Ok(())
}

/// The caller's own stored credentials (the session may outlive a deleted account).
pub async fn own_credentials(s: &AppState, actor: &store::Actor) -> ApiResult<store::users::Credentials> {
    s.store.credentials(&actor.username).await?.ok_or(ApiError::Unauthorized("未登录或登录已过期"))
}
