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
    fn set(&self, actor: &Actor) {
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
            action: "authz.deny",
            entity: "request",
            entity_id: Some(what),
            before: None,
            after: None,
            result: "denied",
        };
        let written = async {
            let txn = state.store.write().await?;
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

/// Resolve the session behind the request into an actor (no permission check).
/// What a session may still do before it is fully usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restriction {
    None,
    ChangePassword,
    EnrollTotp,
}

pub async fn authenticate(parts: &Parts, state: &AppState) -> Result<(Actor, i64, Restriction), ApiError> {
    let token = bearer(parts).ok_or(ApiError::Unauthorized("未登录或登录已过期"))?;
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
    Ok((actor, su.session_id, restriction))
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
