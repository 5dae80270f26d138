//! Authentication (bearer tokens backed by server-side sessions) and the permission each
//! route declares: a handler takes `Caller<perm::X>`, so a route cannot reach business
//! code without naming what it needs (deny by default).

use std::marker::PhantomData;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use domain::Permission;
use sha2::{Digest, Sha256};
use store::Actor;
use store::audit::Event;

use crate::AppState;
use crate::error::ApiError;

/// A permission as a type, so it can be part of a handler's signature.
pub trait Perm: Send + Sync + 'static {
    const PERM: Permission;
}

macro_rules! perms {
    ($($name:ident),* $(,)?) => {
        /// Marker types, one per [`Permission`].
        pub mod perm {
            $(
                pub struct $name;
                impl super::Perm for $name { const PERM: domain::Permission = domain::Permission::$name; }
            )*
        }
    };
}

perms!(
    SelfRead,
    UnitRead,
    UserRead,
    UserWrite,
    RoleAssign,
    PolicyWrite,
    AuditRead,
    CompanyRead,
    CompanyWrite,
    ProjectRead,
    ProjectWrite,
    ProjectTransition,
    ProjectDelete,
    ProjectCorrect,
    FundsRead,
    FundsWrite,
);

/// Filled by the `Caller` extractor with the authenticated actor, so that a 403 answer —
/// for a missing permission or a record out of scope — is audited once, after the fact.
#[derive(Clone, Default)]
pub struct DenySlot(std::sync::Arc<std::sync::Mutex<Option<Actor>>>);

impl DenySlot {
    pub fn set(&self, actor: &Actor) {
        if let Ok(mut g) = self.0.lock() {
            *g = Some(actor.clone());
        }
    }

    pub fn take(&self) -> Option<Actor> {
        self.0.lock().ok().and_then(|mut g| g.take())
    }
}

/// Middleware: every 403 given to an authenticated caller becomes an `authz.deny` audit
/// record (security.md §9) naming the method and path.
pub async fn audit_denials(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let slot = DenySlot::default();
    req.extensions_mut().insert(slot.clone());
    let what = format!("{} {}", req.method(), req.uri().path());
    let res = next.run(req).await;
    if res.status() == axum::http::StatusCode::FORBIDDEN
        && let Some(actor) = slot.take()
    {
        let ev = Event {
            action: domain::AuditAction::AuthzDeny,
            entity: "request",
            entity_id: Some(what),
            before: None,
            after: None,
            result: "denied",
        };
        let written = async {
            let txn = state.store.write_quiet().await?;
            store::audit::record(&txn, &actor, ev).await?;
            txn.commit().await.map_err(store::StoreError::from)
        };
        if let Err(e) = written.await {
            tracing::error!(error = %e, "could not audit an authorization denial");
        }
    }
    res
}

/// An authenticated caller who holds permission `P`.
pub struct Caller<P: Perm> {
    pub actor: Actor,
    pub session_id: i64,
    /// The password must be changed before anything but reading oneself / changing it.
    pub must_change_password: bool,
    _p: PhantomData<P>,
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new 256-bit random token, URL-safe.
pub fn new_token() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// The client address: the socket peer, or `X-Forwarded-For`'s first entry only when the
/// peer is a configured trusted proxy (a spoofed header is otherwise ignored).
pub fn client_address(parts: &Parts, state: &AppState) -> Option<String> {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if let (Some(p), Some(trusted)) = (peer, state.config.trusted_proxy)
        && p == trusted
        && let Some(xff) = parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(first) = xff.split(',').next().and_then(|s| s.trim().parse::<IpAddr>().ok())
    {
        return Some(first.to_string());
    }
    peer.map(|p| p.to_string())
}

pub fn request_id(parts: &Parts) -> Option<String> {
    parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string)
}

fn bearer(parts: &Parts) -> Option<&str> {
    let h = parts.headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = h.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim()).filter(|t| !t.is_empty())
}

/// A successful login: the new session's token (shown once, stored hashed).
pub struct SignedIn {
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub must_change_password: bool,
    pub user: store::users::User,
}

/// Check a login (API and login page alike): per-address limit, account lockout, a dummy
/// hash for unknown names, the second factor; every attempt goes to the login log.
pub async fn sign_in(
    s: &AppState,
    parts: &Parts,
    username: &str,
    password: &str,
    totp: Option<&str>,
) -> Result<SignedIn, ApiError> {
    let username = username.trim().to_string();
    let address = client_address(parts, s);
    let actor = Actor {
        user_id: None,
        username: username.clone(),
        roles: vec![],
        unit_id: None,
        scope: store::Scope::Nothing,
        address,
        request_id: request_id(parts),
    };
    let address = actor.address.clone().unwrap_or_default();
    if s.login_limiter.blocked(&address) {
        s.store.record_login_failure(&actor, None, "来源地址登录失败次数过多").await?;
        return Err(ApiError::RateLimited);
    }
    let creds = s.store.credentials(&username).await?;
    // Always verify a hash, real or dummy, so the answer takes as long for unknown names.
    let phc = creds.as_ref().map(|c| c.password_hash.clone()).unwrap_or_else(|| s.dummy_hash.clone());
    let good = crate::password::verify_blocking(password.to_string(), phc).await;
    let now = store::now();
    let failures =
        s.store.password_failures(&username, now - s.config.lockout_window - s.config.lockout_duration).await?;
    let locked = domain::lockout::locked_until(
        &failures,
        s.config.lockout_failures as usize,
        s.config.lockout_window,
        s.config.lockout_duration,
        now,
    );
    let denied = match &creds {
        _ if locked.is_some() => Some("账号已锁定"),
        None => Some(store::users::UNKNOWN_USER),
        Some(c) if c.user.disabled => Some("账号已停用"),
        Some(_) if !good => Some(store::users::WRONG_PASSWORD),
        Some(_) => None,
    };
    if let Some(reason) = denied {
        s.login_limiter.record_failure(&address);
        s.store.record_login_failure(&actor, creds.as_ref().map(|c| c.user.id), reason).await?;
        // One message for every case: it must not tell which usernames exist.
        let msg = if reason == "账号已锁定" {
            "登录失败次数过多，账号已临时锁定，请稍后再试"
        } else {
            "用户名或密码错误"
        };
        return Err(ApiError::Unauthorized(msg));
    }
    // Second factor: the password was right; an account with TOTP on also needs the code.
    if let Some(c) = creds.as_ref().filter(|c| c.user.totp_enabled) {
        let Some(code) = totp.filter(|t| !t.trim().is_empty()) else {
            return Err(ApiError::TotpRequired);
        };
        let step = c.totp_secret.as_deref().and_then(|sec| crate::totp::check(sec, code, store::now().timestamp()));
        let fresh = match step {
            Some(st) => s.store.totp_use_step(c.user.id, st).await?,
            None => false,
        };
        if !fresh {
            s.login_limiter.record_failure(&address);
            s.store.record_login_failure(&actor, Some(c.user.id), store::users::WRONG_TOTP).await?;
            return Err(ApiError::Unauthorized("动态口令错误或已使用"));
        }
    }
    let Some(c) = creds else { return Err(ApiError::Unauthorized("用户名或密码错误")) };
    let token = new_token();
    let expires_at = store::now() + s.config.session_absolute;
    let actor = Actor { user_id: Some(c.user.id), roles: c.user.roles.clone(), unit_id: c.user.unit_id, ..actor };
    s.store.create_session(&actor, &token_hash(&token), expires_at).await?;
    let expired = s.config.password_max_age.is_some_and(|age| store::now() - c.password_changed_at > age);
    Ok(SignedIn { token, expires_at, must_change_password: c.user.must_change_password || expired, user: c.user })
}

/// What a session may still do before it is fully usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restriction {
    None,
    ChangePassword,
    EnrollTotp,
}

pub async fn authenticate(parts: &Parts, state: &AppState) -> Result<(Actor, i64, Restriction), ApiError> {
    let token = bearer(parts).ok_or(ApiError::Unauthorized("未登录或登录已过期"))?;
    let s = authenticate_token(token, parts, state).await?;
    Ok((s.actor, s.session_id, s.restriction))
}

/// A live session, resolved.
pub struct Session {
    pub actor: Actor,
    pub session_id: i64,
    pub restriction: Restriction,
    pub display_name: String,
}

/// Resolve a session token (bearer or cookie) into an actor (no permission check).
pub async fn authenticate_token(token: &str, parts: &Parts, state: &AppState) -> Result<Session, ApiError> {
    let now = store::now();
    let su =
        state.store.session_user(&token_hash(token), now).await?.ok_or(ApiError::Unauthorized("未登录或登录已过期"))?;
    if now - su.last_seen_at > state.config.session_idle {
        return Err(ApiError::Unauthorized("长时间未操作，请重新登录"));
    }
    // Record activity at most once a minute: the idle timeout needs no finer grain, and
    // it keeps reads from becoming writes.
    if now - su.last_seen_at > chrono::Duration::seconds(60) {
        state.store.touch_session(su.session_id, now).await?;
    }
    let expired = state.config.password_max_age.is_some_and(|age| now - su.password_changed_at > age);
    let needs_totp = state.config.totp_required_for_admins
        && su.user.roles.iter().any(|r| r.is_administrator())
        && !su.user.totp_enabled;
    let restriction = if su.user.must_change_password || expired {
        Restriction::ChangePassword
    } else if needs_totp {
        Restriction::EnrollTotp
    } else {
        Restriction::None
    };
    let tree = state.store.unit_tree();
    let actor = Actor {
        user_id: Some(su.user.id),
        username: su.user.username.clone(),
        scope: tree.scope_for(&su.user.roles, su.user.unit_id),
        roles: su.user.roles,
        unit_id: su.user.unit_id,
        address: client_address(parts, state),
        request_id: request_id(parts),
    };
    Ok(Session { actor, session_id: su.session_id, restriction, display_name: su.user.display_name })
}

impl<P: Perm> FromRequestParts<Arc<AppState>> for Caller<P> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let (actor, session_id, restriction) = authenticate(parts, state).await?;
        if P::PERM != Permission::SelfRead {
            match restriction {
                Restriction::ChangePassword => return Err(ApiError::PasswordChangeRequired),
                Restriction::EnrollTotp => return Err(ApiError::TotpEnrollmentRequired),
                Restriction::None => {}
            }
        }
        let must_change_password = restriction == Restriction::ChangePassword;
        // The request's denial audit (see `audit_denials`) needs to know who was refused.
        if let Some(slot) = parts.extensions.get::<DenySlot>() {
            slot.set(&actor);
        }
        if !domain::access::has_permission(&actor.roles, P::PERM) {
            return Err(ApiError::Forbidden);
        }
        Ok(Caller { actor, session_id, must_change_password, _p: PhantomData })
    }
}
