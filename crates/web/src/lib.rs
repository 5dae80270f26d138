//! The web layer: the JSON API (`/api/v1`, OpenAPI generated from the router), auth,
//! errors and the HTTP hardening around them.

pub mod api;
pub mod auth;
pub mod cache;
pub mod error;
pub mod input;
pub mod ledger;
pub mod limit;
pub mod password;
pub mod totp;
pub mod ui;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use store::Store;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use error::{ApiError, ApiResult};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Clone)]
pub struct WebConfig {
    pub session_idle: chrono::Duration,
    pub session_absolute: chrono::Duration,
    /// The address of a reverse proxy whose `X-Forwarded-For` is believed.
    pub trusted_proxy: Option<IpAddr>,
    /// Largest JSON body accepted.
    pub max_body: usize,
    /// Failed logins per account within the window that lock it (security.md §2).
    pub lockout_failures: u64,
    pub lockout_window: chrono::Duration,
    pub lockout_duration: chrono::Duration,
    /// Failed logins from one client address within the lockout window before 429.
    pub address_failures: usize,
    /// A password older than this must be changed at next use (等保; `None` turns it off).
    pub password_max_age: Option<chrono::Duration>,
    /// Cached read responses (0 turns the cache off).
    pub response_cache_entries: usize,
    /// The key-derivation function for new password hashes.
    pub password_kdf: password::Kdf,
    /// The three administrator roles must use a TOTP second factor (security.md §4).
    pub totp_required_for_admins: bool,
    /// Mark the session cookie `Secure` (set when the site is served over HTTPS; a trusted
    /// proxy's `X-Forwarded-Proto: https` also does).
    pub cookie_secure: bool,
    /// Days audit and login records are kept; config validation refuses less than
    /// [`MIN_AUDIT_RETENTION_DAYS`]. Records are never purged automatically yet.
    pub audit_retention_days: i64,
    /// Where evidence files are kept (`<data dir>/attachments`; never a served folder).
    pub attachments_dir: std::path::PathBuf,
    /// Size and zip limits of an evidence file (security.md §14: 50 MiB).
    pub attachment_limits: domain::evidence::UploadLimits,
}

/// 等保 level 3 (security.md §9): logs are kept at least six months.
pub const MIN_AUDIT_RETENTION_DAYS: i64 = 184;

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            session_idle: chrono::Duration::minutes(30),
            session_absolute: chrono::Duration::hours(12),
            trusted_proxy: None,
            max_body: 1024 * 1024,
            lockout_failures: 5,
            lockout_window: chrono::Duration::minutes(15),
            lockout_duration: chrono::Duration::minutes(15),
            address_failures: 20,
            password_max_age: Some(chrono::Duration::days(90)),
            response_cache_entries: 1024,
            password_kdf: password::Kdf::Argon2id,
            totp_required_for_admins: false,
            cookie_secure: false,
            audit_retention_days: 365,
            attachments_dir: std::path::PathBuf::from("./data/attachments"),
            attachment_limits: Default::default(),
        }
    }
}

pub struct AppState {
    pub store: Store,
    pub config: WebConfig,
    /// Verified for unknown usernames so login time does not reveal who exists.
    pub dummy_hash: String,
    pub cache: cache::ResponseCache,
    pub login_limiter: limit::AddressLimiter,
    /// Exports and imports per user per minute (security.md §16: 429 beyond it).
    pub bulk_limiter: limit::AddressLimiter,
    /// Uploaded ledgers between the preview and the confirmation (ui::import).
    pub uploads: ui::import::Uploads,
    /// Page logins waiting for their TOTP code (the login page's second step).
    pub pending_logins: auth::PendingLogins,
    /// Where the audit page's last chain check ended intact (the next one starts there).
    pub audit_checkpoint: std::sync::Mutex<Option<store::audit::Checkpoint>>,
    /// The folder of evidence files (`WebConfig::attachments_dir`).
    pub attachments: store::attachments::Folder,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Result<Arc<AppState>, String> {
        let dummy_hash = password::hash(&auth::new_token())?;
        let cache = cache::ResponseCache::new(config.response_cache_entries);
        let window = config.lockout_window.to_std().unwrap_or(std::time::Duration::from_secs(900));
        let login_limiter = limit::AddressLimiter::new(config.address_failures, window);
        let bulk_limiter = limit::AddressLimiter::new(10, std::time::Duration::from_secs(60));
        let attachments = store::attachments::Folder::new(config.attachments_dir.clone());
        Ok(Arc::new(AppState {
            store,
            config,
            dummy_hash,
            cache,
            login_limiter,
            bulk_limiter,
            uploads: Default::default(),
            pending_logins: Default::default(),
            audit_checkpoint: Default::default(),
            attachments,
        }))
    }
}

#[derive(Clone, Default)]
struct RequestIds {
    prefix: u32,
    next: Arc<AtomicU64>,
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:08x}-{n:x}", self.prefix)).ok().map(RequestId::new)
    }
}

/// The whole application: API routes, pages, fallback, wrapped in [`harden`].
pub fn router(state: Arc<AppState>) -> Router {
    let (api, openapi) = api::routes().split_for_parts();
    let openapi_json = Arc::new(openapi.to_json().unwrap_or_else(|_| "{}".into()));
    let max_body = state.config.max_body;
    let app = Router::new()
        .merge(api)
        .merge(ui::routes())
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let doc = openapi_json.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], doc.as_str().to_owned()) }
            }),
        )
        .fallback(|uri: axum::http::Uri| async move {
            if uri.path().starts_with("/api/") {
                ApiError::NotFound.into_response()
            } else {
                ui::UiError::NotFound.into_response()
            }
        })
        .layer(middleware::from_fn_with_state(state.clone(), auth::audit_denials))
        .method_not_allowed_fallback(|| async {
            (
                StatusCode::METHOD_NOT_ALLOWED,
                axum::Json(serde_json::json!({"error": {"code": "not_found", "message": "不支持该请求方法"}})),
            )
        })
        .with_state(state)
        .layer(axum::extract::DefaultBodyLimit::max(max_body));
    harden(app)
}

/// The layers every response passes, pages and API alike (public so a test can wrap a
/// router of its own, one with a panicking handler, in exactly what production runs):
/// - a client's `X-Request-Id` is kept only when short and well formed, else one is made;
///   the id is on the response and on the request's tracing span;
/// - a handler panic becomes api.md's JSON 500 (the HTML error page outside `/api`), and
///   the connection and the server carry on;
/// - every 5xx is logged exactly once, here, with its request id and the internal detail
///   the error left in [`ErrorDetail`] (never in the body);
/// - security headers (security.md §16) and api.md's shape for a too-large body.
pub fn harden(app: Router) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    app.layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn(panic_pages))
        .layer(middleware::from_fn(json_errors))
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(log_server_errors)
                // 5xx are logged by `log_server_errors`, once; the default would log them again.
                .on_failure(()),
        )
        .layer(SetRequestIdLayer::new(
            request_id,
            RequestIds { prefix: rand::random(), next: Arc::new(AtomicU64::new(1)) },
        ))
        .layer(middleware::map_request(drop_bad_request_id))
}

/// The internal detail of a 5xx (a database error, a panic message), put on the response
/// for the log; the body only says 服务器内部错误.
#[derive(Debug, Clone)]
pub struct ErrorDetail(pub String);

/// Marks the response a caught panic became.
#[derive(Debug, Clone, Copy)]
struct Panicked;

/// The longest client request id taken as it came; longer or odd ones are replaced.
pub const MAX_REQUEST_ID: usize = 64;

/// A client's request id is taken only when it is short and made of `[A-Za-z0-9._:-]`:
/// it goes into every audit record and log line of the request.
pub fn good_request_id(id: &[u8]) -> bool {
    !id.is_empty()
        && id.len() <= MAX_REQUEST_ID
        && id.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

async fn drop_bad_request_id(mut req: Request) -> Request {
    let bad = req.headers().get_all("x-request-id").iter().count() > 1
        || req.headers().get("x-request-id").is_some_and(|v| !good_request_id(v.as_bytes()));
    if bad {
        // SetRequestIdLayer then makes one of ours.
        req.headers_mut().remove("x-request-id");
    }
    req
}

fn request_span(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
}

fn log_server_errors<B>(res: &Response<B>, latency: std::time::Duration, _: &tracing::Span) {
    if res.status().is_server_error() {
        let id = res.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
        let detail = res.extensions().get::<ErrorDetail>().map(|d| d.0.as_str()).unwrap_or("");
        tracing::error!(
            status = res.status().as_u16(),
            request_id = %id,
            error = %detail,
            latency_ms = latency.as_millis() as u64,
            "server error"
        );
    }
}

fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panic".into());
    let mut res = ApiError::Internal(format!("panic: {detail}")).into_response();
    res.extensions_mut().insert(Panicked);
    res
}

/// A page that panicked gets the HTML error page, not the API's JSON.
async fn panic_pages(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if api || res.extensions().get::<Panicked>().is_none() {
        return res;
    }
    let detail = res.extensions().get::<ErrorDetail>().map(|d| d.0.clone()).unwrap_or_default();
    ui::UiError::Internal(detail).into_response()
}

/// security.md §16: headers on every response, API and pages alike.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// Errors produced below our handlers (body limit) still follow api.md's shape.
async fn json_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return ApiError::TooLarge.into_response();
    }
    res
}

/// Serve until ctrl-c / SIGTERM, with the peer address available to handlers.
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
