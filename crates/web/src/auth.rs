//! Authentication (bearer tokens backed by server-side sessions) and the permission each
//! route declares: a handler takes `Caller<perm::X>` (or `Db<perm::X>`, the caller with the
//! store), so a route cannot reach business code without naming what it needs (deny by default).

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

domain::with_permissions!(perms);

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
        if let Err(e) = state.store.scoped(&actor).audit_alone(ev).await {
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
    let (actor, c) = check_password(s, parts, username, password).await?;
    if c.user.totp_enabled {
        let Some(code) = totp.filter(|t| !t.trim().is_empty()) else {
            return Err(ApiError::TotpRequired);
        };
        check_totp(s, &actor, &c, code).await?;
    }
    open_session(s, actor, c).await
}

/// The login page's second step: the password was right for `pending` (see
/// [`PendingLogins`]), now the TOTP code. The account is looked up again (it may have
/// been disabled or locked meanwhile); a wrong code counts for the lockout like a wrong
/// password, and after [`PENDING_ATTEMPTS`] the password must be given again.
pub async fn sign_in_second_step(s: &AppState, parts: &Parts, pending: &str, code: &str) -> Result<SignedIn, ApiError> {
    let expired = ApiError::Unauthorized("登录已超时，请重新输入用户名和密码");
    let username = s.pending_logins.username(pending).ok_or(expired)?;
    let actor = login_actor(s, parts, &username);
    let address = actor.address.clone().unwrap_or_default();
    if s.login_limiter.blocked(&address) {
        s.store.record_login_failure(&actor, None, "来源地址登录失败次数过多").await?;
        return Err(ApiError::RateLimited);
    }
    let creds = s.store.credentials(&username).await?.filter(|c| !c.user.disabled && c.user.totp_enabled);
    let Some(c) = creds else {
        s.pending_logins.remove(pending);
        return Err(ApiError::Unauthorized("用户名或密码错误"));
    };
    if locked(s, &username).await? {
        s.pending_logins.remove(pending);
        s.store.record_login_failure(&actor, Some(c.user.id), "账号已锁定").await?;
        return Err(ApiError::Unauthorized(LOCKED));
    }
    if let Err(e) = check_totp(s, &actor, &c, code).await {
        s.pending_logins.failed(pending);
        return Err(e);
    }
    s.pending_logins.remove(pending);
    open_session(s, actor, c).await
}

const LOCKED: &str = "登录失败次数过多，账号已临时锁定，请稍后再试";

fn login_actor(s: &AppState, parts: &Parts, username: &str) -> Actor {
    Actor {
        user_id: None,
        username: username.to_string(),
        roles: vec![],
        unit_id: None,
        scope: store::Scope::Nothing,
        address: client_address(parts, s),
        request_id: request_id(parts),
    }
}

async fn locked(s: &AppState, username: &str) -> Result<bool, ApiError> {
    let now = store::now();
    let failures =
        s.store.password_failures(username, now - s.config.lockout_window - s.config.lockout_duration).await?;
    Ok(domain::lockout::locked_until(
        &failures,
        s.config.lockout_failures as usize,
        s.config.lockout_window,
        s.config.lockout_duration,
        now,
    )
    .is_some())
}

/// The first factor: the address limit, the lockout and the password (a dummy hash is
/// verified for unknown names so the answer takes as long).
async fn check_password(
    s: &AppState,
    parts: &Parts,
    username: &str,
    password: &str,
) -> Result<(Actor, store::users::Credentials), ApiError> {
    let actor = login_actor(s, parts, username.trim());
    let address = actor.address.clone().unwrap_or_default();
    if s.login_limiter.blocked(&address) {
        s.store.record_login_failure(&actor, None, "来源地址登录失败次数过多").await?;
        return Err(ApiError::RateLimited);
    }
    let creds = s.store.credentials(&actor.username).await?;
    let phc = creds.as_ref().map(|c| c.password_hash.clone()).unwrap_or_else(|| s.dummy_hash.clone());
    let good = crate::password::verify_blocking(password.to_string(), phc).await;
    let denied = match &creds {
        _ if locked(s, &actor.username).await? => Some("账号已锁定"),
        None => Some(store::users::UNKNOWN_USER),
        Some(c) if c.user.disabled => Some("账号已停用"),
        Some(_) if !good => Some(store::users::WRONG_PASSWORD),
        Some(_) => None,
    };
    match (denied, creds) {
        (None, Some(c)) => Ok((actor, c)),
        (reason, creds) => {
            let reason = reason.unwrap_or(store::users::UNKNOWN_USER);
            s.login_limiter.record_failure(&address);
            s.store.record_login_failure(&actor, creds.as_ref().map(|c| c.user.id), reason).await?;
            // One message for every case: it must not tell which usernames exist.
            Err(ApiError::Unauthorized(if reason == "账号已锁定" { LOCKED } else { "用户名或密码错误" }))
        }
    }
}

/// The second factor, for an account with TOTP on: a right code of an unused step.
async fn check_totp(s: &AppState, actor: &Actor, c: &store::users::Credentials, code: &str) -> Result<(), ApiError> {
    let step = c.totp_secret.as_deref().and_then(|sec| crate::totp::check(sec, code, store::now().timestamp()));
    let fresh = match step {
        Some(st) => s.store.totp_use_step(c.user.id, st).await?,
        None => false,
    };
    if !fresh {
        s.login_limiter.record_failure(actor.address.as_deref().unwrap_or_default());
        s.store.record_login_failure(actor, Some(c.user.id), store::users::WRONG_TOTP).await?;
        return Err(ApiError::Unauthorized("动态口令错误或已使用"));
    }
    Ok(())
}

async fn open_session(s: &AppState, actor: Actor, c: store::users::Credentials) -> Result<SignedIn, ApiError> {
    let token = new_token();
    let expires_at = store::now() + s.config.session_absolute;
    let actor = Actor { user_id: Some(c.user.id), roles: c.user.roles.clone(), unit_id: c.user.unit_id, ..actor };
    s.store.create_session(&actor, &token_hash(&token), expires_at).await?;
    let expired = s.config.password_max_age.is_some_and(|age| store::now() - c.password_changed_at > age);
    Ok(SignedIn { token, expires_at, must_change_password: c.user.must_change_password || expired, user: c.user })
}

/// Wrong codes allowed on one pending login before the password must be given again.
pub const PENDING_ATTEMPTS: u8 = 3;
/// How long the login page's second step waits for the code.
const PENDING_TTL: std::time::Duration = std::time::Duration::from_secs(300);
/// Pending logins held at once (each needs a right password; beyond this, the oldest go).
const PENDING_MAX: usize = 10_000;

struct Pending {
    username: String,
    since: std::time::Instant,
    failures: u8,
}

/// Logins on the page whose password was right and whose account needs a TOTP code: kept
/// server-side under a random token (held hashed) that the second step's form carries.
/// Nothing of it reaches the client before the password is right.
#[derive(Default)]
pub struct PendingLogins(std::sync::Mutex<std::collections::HashMap<String, Pending>>);

impl PendingLogins {
    /// A new pending login for `username`; the token for the second step's form.
    pub fn start(&self, username: &str) -> String {
        let token = new_token();
        if let Ok(mut m) = self.0.lock() {
            m.retain(|_, p| p.since.elapsed() < PENDING_TTL);
            if m.len() >= PENDING_MAX
                && let Some(oldest) = m.iter().min_by_key(|(_, p)| p.since).map(|(k, _)| k.clone())
            {
                m.remove(&oldest);
            }
            let pending = Pending { username: username.to_string(), since: std::time::Instant::now(), failures: 0 };
            m.insert(token_hash(&token), pending);
        }
        token
    }

    /// The username of a live pending login.
    pub fn username(&self, token: &str) -> Option<String> {
        let m = self.0.lock().ok()?;
        m.get(&token_hash(token)).filter(|p| p.since.elapsed() < PENDING_TTL).map(|p| p.username.clone())
    }

    fn failed(&self, token: &str) {
        if let Ok(mut m) = self.0.lock() {
            let key = token_hash(token);
            let spent = m.get_mut(&key).map(|p| {
                p.failures += 1;
                p.failures >= PENDING_ATTEMPTS
            });
            if spent == Some(true) {
                m.remove(&key);
            }
        }
    }

    fn remove(&self, token: &str) {
        if let Ok(mut m) = self.0.lock() {
            m.remove(&token_hash(token));
        }
    }
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

/// A [`Caller`] holding `P` together with the application: what nearly every API handler
/// takes, since its work is calls on the store seen through the caller's scope,
/// [`Db::store`] (the permission stays in the signature: `db: Db<perm::ProjectRead>`).
pub struct Db<P: Perm> {
    pub state: Arc<AppState>,
    pub caller: Caller<P>,
}

impl<P: Perm> Db<P> {
    /// The business data the caller may see and change.
    pub fn store(&self) -> store::Scoped<'_> {
        self.state.store.scoped(&self.caller.actor)
    }
}

impl<P: Perm> FromRequestParts<Arc<AppState>> for Db<P> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        Ok(Db { state: state.clone(), caller })
    }
}
