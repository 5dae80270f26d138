//! Static files, embedded in the binary (the intranet has no CDN). URLs carry a content
//! hash (`?v=`), so a response for the current hash may be cached for a year.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

struct Asset {
    path: &'static str,
    mime: &'static str,
    bytes: &'static [u8],
}

const FILES: &[Asset] = &[
    Asset { path: "app.css", mime: "text/css; charset=utf-8", bytes: include_bytes!("../../assets/app.css") },
    Asset { path: "print.css", mime: "text/css; charset=utf-8", bytes: include_bytes!("../../assets/print.css") },
    Asset { path: "app.js", mime: "text/javascript; charset=utf-8", bytes: include_bytes!("../../assets/app.js") },
    Asset {
        path: "vendor/htmx.min.js",
        mime: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/vendor/htmx.min.js"),
    },
    Asset {
        path: "vendor/echarts.min.js",
        mime: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/vendor/echarts.min.js"),
    },
];

static HASHES: LazyLock<Vec<String>> =
    LazyLock::new(|| FILES.iter().map(|f| hex::encode(&Sha256::digest(f.bytes)[..6])).collect());

/// The URL of an embedded file, with its content hash.
pub fn url(path: &str) -> String {
    match FILES.iter().position(|f| f.path == path) {
        Some(i) => format!("/assets/{path}?v={}", HASHES[i]),
        None => format!("/assets/{path}"),
    }
}

pub async fn serve(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let Some(i) = FILES.iter().position(|f| f.path == path) else {
        return super::UiError::NotFound.into_response();
    };
    let etag = format!("\"{}\"", HASHES[i]);
    let cache = [(header::CACHE_CONTROL, "public, max-age=31536000, immutable"), (header::ETAG, etag.as_str())];
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    let f = &FILES[i];
    (cache, [(header::CONTENT_TYPE, f.mime)], f.bytes).into_response()
}
