//! Health, login/logout, the current user, units and users.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::request::Parts;
use domain::Role;
use serde::Deserialize;
use serde_json::{Value, json};
use store::Actor;
use store::users::NewUser;

use crate::auth::{Caller, perm};
use crate::error::{ApiError, ApiResult};
use crate::input::{JsonBody, JsonObject};
use crate::{AppState, password};

/// 200 when the database answers; 503 otherwise (load balancers take the node out).
#[utoipa::path(get, path = "/api/v1/health", tag = "system", responses((status = 200, description = "ok"), (status = 503, description = "database unavailable")))]
pub async fn health(State(s): State<Arc<AppState>>) -> (StatusCode, Json<Value>) {
    let ok = s.store.ping().await;
    let body = json!({
        "status": if ok { "ok" } else { "degraded" },
        "version": crate::VERSION,
        "database": s.store.backend_name(),
    });
    (if ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }, Json(body))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Login {
    username: String,
    password: String,
    /// The TOTP code, for accounts that have the second factor on.
    #[serde(default)]
    totp: Option<String>,
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

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", responses((status = 200, description = "token and user"), (status = 401, description = "wrong username or password, or locked")))]
pub async fn login(
    State(s): State<Arc<AppState>>,
    Origin(parts): Origin,
    JsonBody(b): JsonBody<Login>,
) -> ApiResult<Json<Value>> {
    let signed = crate::auth::sign_in(&s, &parts, &b.username, &b.password, b.totp.as_deref()).await?;
    Ok(Json(json!({
        "token": signed.token,
        "expires_at": signed.expires_at,
        "must_change_password": signed.must_change_password,
        "user": signed.user,
    })))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = ["self:read"])), responses((status = 204, description = "session ended")))]
pub async fn logout(State(s): State<Arc<AppState>>, c: Caller<perm::SelfRead>) -> ApiResult<StatusCode> {
    s.store.end_session(&c.actor, c.session_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = ["self:read"])), responses((status = 200, description = "the current user")))]
pub async fn me(State(s): State<Arc<AppState>>, c: Caller<perm::SelfRead>) -> ApiResult<Json<Value>> {
    let tree = s.store.unit_tree();
    let unit = c.actor.unit_id.and_then(|u| tree.get(u));
    let perms: Vec<&str> = domain::Permission::ALL
        .iter()
        .filter(|p| domain::access::has_permission(&c.actor.roles, **p))
        .map(|p| p.code())
        .collect();
    let user = own_credentials(&s, &c.actor).await?.user;
    Ok(Json(json!({
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "roles": c.actor.roles,
        "unit": unit.map(|u| json!({"code": u.code, "name": u.name, "kind": u.kind})),
        "permissions": perms,
        "must_change_password": c.must_change_password,
    })))
}

#[utoipa::path(get, path = "/api/v1/units", tag = "units", security(("bearer" = ["unit:read"])), responses((status = 200, description = "the unit tree in scope")))]
pub async fn units(State(s): State<Arc<AppState>>, c: Caller<perm::UnitRead>) -> Json<Value> {
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
    let items: Vec<Value> = units
        .into_iter()
        .map(|u| json!({"code": u.code, "name": u.name, "kind": u.kind, "parent": u.parent, "assessed": u.assessed}))
        .collect();
    Json(json!({"items": items, "total": items.len()}))
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = ["user:read"])), responses((status = 200, description = "all users")))]
pub async fn list_users(State(s): State<Arc<AppState>>, c: Caller<perm::UserRead>) -> ApiResult<Json<Value>> {
    let users = s.store.scoped(&c.actor).list_users().await?;
    let n = users.len() as u64;
    Ok(Json(json!({"items": users, "total": n, "page": 1, "per_page": n})))
}

/// Create an account (sysadmin). 三员分立: it has no roles (`roles` is refused unless
/// empty); secadmin grants them with `PUT /api/v1/users/{id}/roles` once the user has
/// replaced this initial password.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = ["user:write"])), responses((status = 201, description = "created, without roles"), (status = 422, description = "invalid, or roles given")))]
pub async fn create_user(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::UserWrite>,
    JsonObject(body): JsonObject,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let mut f = crate::input::Fields::new(&body);
    f.only(
        &["username", "display_name", "password", "roles", "unit"],
        &["id", "disabled", "must_change_password", "created_at"],
    );
    let username = f.text("username");
    let display_name = f.opt_text("display_name").flatten();
    let pw = f.text("password");
    // 三员分立: a new account has no roles; secadmin grants them (PUT …/roles).
    if f.strings("roles").is_some_and(|r| !r.is_empty()) {
        f.err("roles", store::users::NO_ROLES_AT_CREATE);
    }
    let unit = f.opt_text("unit").flatten();
    if let (Some(u), Some(p)) = (&username, &pw)
        && let Err(e) = domain::password::check(p, u)
    {
        f.err("password", e);
    }
    f.finish()?;
    let (Some(username), Some(pw)) = (username, pw) else { return Err(ApiError::field("username", "不能为空")) };
    let hash = password::hash_blocking(pw, s.config.password_kdf).await.map_err(ApiError::Internal)?;
    let u = s
        .store
        .scoped(&c.actor)
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
    Ok((StatusCode::CREATED, Json(serde_json::to_value(u).unwrap_or_default())))
}

/// Change an account's display name, unit or disabled flag (sysadmin). The three
/// administrator accounts are refused (403): they are managed with `zhaoshang admin` on
/// the server.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = ["user:write"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "updated; disabling ends the user's sessions"), (status = 403, description = "an administrator account (三员分立)"), (status = 409, description = "stale version"), (status = 422, description = "invalid")))]
pub async fn update_user(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::UserWrite>,
    crate::input::Id(id): crate::input::Id,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<Value>> {
    let mut f = crate::input::Fields::new(&body);
    // Roles are not here: only secadmin assigns them (PUT …/roles), 三员分立.
    f.only(
        &["display_name", "unit", "disabled", "version"],
        &["id", "username", "roles", "password", "password_hash", "created_at"],
    );
    let patch = store::users::UserPatch {
        display_name: f.opt_text("display_name").flatten(),
        unit: f.opt_text("unit"),
        disabled: f.opt_bool("disabled"),
        version: f.opt_int("version").flatten().and_then(|v| i32::try_from(v).ok()),
    };
    f.finish()?;
    let u = s.store.scoped(&c.actor).update_user(id, patch).await?;
    Ok(Json(serde_json::to_value(u).unwrap_or_default()))
}

/// Replace an account's roles (secadmin only). 三员分立: an administrator account is not
/// re-roled and no administrator role is granted here (that is `zhaoshang admin` on the
/// server); an account that still has the initial password sysadmin set is refused with
/// **409** `conflict` until its user has changed it.
#[utoipa::path(put, path = "/api/v1/users/{id}/roles", tag = "users", security(("bearer" = ["role:assign"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "roles replaced; the user's sessions end"), (status = 403, description = "an administrator account"), (status = 409, description = "the account still has its initial password"), (status = 422, description = "三员分立, an administrator role, or unknown role")))]
pub async fn set_roles(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::RoleAssign>,
    crate::input::Id(id): crate::input::Id,
    JsonObject(body): JsonObject,
) -> ApiResult<Json<Value>> {
    let mut f = crate::input::Fields::new(&body);
    f.only(&["roles"], &[]);
    let roles: Vec<Role> = match f.strings("roles") {
        Some(v) if !v.is_empty() => {
            let parsed: Vec<Option<Role>> = v.iter().map(|r| Role::parse(r)).collect();
            if parsed.iter().any(Option::is_none) {
                f.err("roles", "角色无效");
            }
            parsed.into_iter().flatten().collect()
        }
        _ => {
            f.err("roles", "不能为空");
            vec![]
        }
    };
    f.finish()?;
    let u = s.store.scoped(&c.actor).set_roles(id, roles).await?;
    Ok(Json(serde_json::to_value(u).unwrap_or_default()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    current_password: String,
    new_password: String,
}

#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", security(("bearer" = ["self:read"])),
    responses((status = 204, description = "changed; the user's other sessions end"), (status = 422, description = "wrong current password or policy")))]
pub async fn change_password(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::SelfRead>,
    JsonBody(b): JsonBody<PasswordChange>,
) -> ApiResult<StatusCode> {
    change_own_password(&s, &c.actor, c.session_id, b.current_password, b.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/auth/totp/setup", tag = "auth", security(("bearer" = ["self:read"])),
    responses((status = 200, description = "{secret, otpauth_uri}: add it to an authenticator app, then enable"), (status = 409, description = "already on")))]
pub async fn totp_setup(State(s): State<Arc<AppState>>, c: Caller<perm::SelfRead>) -> ApiResult<Json<Value>> {
    let secret = crate::totp::new_secret();
    s.store.scoped(&c.actor).totp_setup(&secret).await?;
    Ok(Json(json!({"secret": secret, "otpauth_uri": crate::totp::otpauth_uri(&secret, &c.actor.username)})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TotpEnable {
    code: String,
}

#[utoipa::path(post, path = "/api/v1/auth/totp/enable", tag = "auth", security(("bearer" = ["self:read"])),
    responses((status = 204, description = "on; later logins need the code"), (status = 422, description = "wrong code")))]
pub async fn totp_enable(
    State(s): State<Arc<AppState>>,
    c: Caller<perm::SelfRead>,
    JsonBody(b): JsonBody<TotpEnable>,
) -> ApiResult<StatusCode> {
    let creds = own_credentials(&s, &c.actor).await?;
    if creds.user.totp_enabled {
        return Err(ApiError::Conflict("动态口令已启用".into()));
    }
    let Some(secret) = creds.totp_secret else {
        return Err(ApiError::Conflict("请先生成动态口令密钥（setup）".into()));
    };
    let step = crate::totp::check(&secret, &b.code, store::now().timestamp())
        .ok_or_else(|| ApiError::field("code", "动态口令不正确"))?;
    s.store.scoped(&c.actor).totp_enable(step).await?;
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
    let b = PasswordChange { current_password, new_password };
    let c = (actor, session_id);
    let creds = own_credentials(s, c.0).await?;
    if !password::verify_blocking(b.current_password.clone(), creds.password_hash.clone()).await {
        return Err(ApiError::field("current_password", "当前密码不正确"));
    }
    if let Err(e) = domain::password::check(&b.new_password, &c.0.username) {
        return Err(ApiError::field("new_password", e));
    }
    if b.new_password == b.current_password {
        return Err(ApiError::field("new_password", "新密码不能与当前密码相同"));
    }
    let hash = password::hash_blocking(b.new_password, s.config.password_kdf).await.map_err(ApiError::Internal)?;
    s.store.scoped(c.0).change_password(c.1, hash).await?;
    Ok(())
}

/// The caller's own stored credentials (the session may outlive a deleted account).
pub async fn own_credentials(s: &AppState, actor: &store::Actor) -> ApiResult<store::users::Credentials> {
    s.store.credentials(&actor.username).await?.ok_or(ApiError::Unauthorized("未登录或登录已过期"))
}
