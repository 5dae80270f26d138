//! 台账导入 in the browser: upload → a preview of what would be created and updated, with
//! every error in a table → fix and upload again, or confirm. The file waits on the server
//! between preview and confirmation (15 minutes, this session only), so it is not sent twice.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::{Chrome, Page, PageForm, PageUpload, UiError, UiResult, render_status};
use crate::AppState;
use crate::auth::perm;
use crate::ledger::ImportResult;

struct Upload {
    session_id: i64,
    name: String,
    bytes: Vec<u8>,
    at: Instant,
}

/// Uploaded files awaiting confirmation, by a random token.
#[derive(Default)]
pub struct Uploads(Mutex<HashMap<String, Upload>>);

const KEEP: Duration = Duration::from_secs(15 * 60);
const MAX_WAITING: usize = 50;

impl Uploads {
    fn put(&self, session_id: i64, name: String, bytes: Vec<u8>) -> String {
        let token = crate::auth::new_token();
        if let Ok(mut m) = self.0.lock() {
            m.retain(|_, u| u.at.elapsed() < KEEP);
            if m.len() >= MAX_WAITING
                && let Some(oldest) = m.iter().min_by_key(|(_, u)| u.at).map(|(k, _)| k.clone())
            {
                m.remove(&oldest);
            }
            m.insert(token.clone(), Upload { session_id, name, bytes, at: Instant::now() });
        }
        token
    }

    fn take(&self, token: &str, session_id: i64) -> Option<(String, Vec<u8>)> {
        let mut m = self.0.lock().ok()?;
        match m.get(token) {
            Some(u) if u.session_id == session_id && u.at.elapsed() < KEEP => {
                m.remove(token).map(|u| (u.name, u.bytes))
            }
            _ => None,
        }
    }
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    chrome: Chrome,
    result: Option<ImportResult>,
    /// The waiting file's token, when the preview has no errors.
    token: String,
    error: String,
    done: bool,
}

fn page(chrome: Chrome) -> ImportPage {
    ImportPage { chrome, result: None, token: String::new(), error: String::new(), done: false }
}

pub async fn form(State(_s): State<Arc<AppState>>, p: Page<perm::ProjectWrite>) -> UiResult<Response> {
    render_status(StatusCode::OK, &page(p.chrome("/projects")))
}

/// The upload: CSRF first (a multipart field), then the file, then a dry run.
pub async fn preview(mut up: PageUpload<perm::ProjectWrite>) -> UiResult<Response> {
    let mp = &mut up.form;
    let mut csrf = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                return Err(UiError::Message(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "文件过大（上限 20 MiB）或上传中断".into(),
                ));
            }
        };
        match field.name() {
            Some("_csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("file") => {
                let name = field.file_name().unwrap_or("ledger.xlsx").to_string();
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes.to_vec())),
                    Err(_) => {
                        crate::ledger::audit_too_large(&up.page.state.store, &up.page.actor, &name, true).await?;
                        return Err(UiError::Message(StatusCode::PAYLOAD_TOO_LARGE, "文件过大（上限 20 MiB）".into()));
                    }
                }
            }
            _ => {}
        }
    }
    up.check_csrf(&csrf)?;
    let p = up.page;
    let mut v = page(p.chrome("/projects"));
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        v.error = "请选择要导入的台账文件".into();
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &v);
    };
    match crate::ledger::import(&p.state, &p.actor, &name, bytes.clone(), true).await {
        Ok(r) => {
            if r.errors.is_empty() {
                v.token = p.state.uploads.put(p.session_id, name, bytes);
            }
            let status = if r.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            v.result = Some(r);
            render_status(status, &v)
        }
        Err(crate::error::ApiError::Validation(f)) => {
            v.error = f.into_values().collect::<Vec<_>>().join("；");
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &v)
        }
        Err(e) => Err(e.into()),
    }
}

/// The confirmation: the same file, for real.
pub async fn confirm(f: PageForm<perm::ProjectWrite>) -> UiResult<Response> {
    let PageForm { page: p, form } = f;
    let Some((name, bytes)) = p.state.uploads.take(form.get("token"), p.session_id) else {
        let mut v = page(p.chrome("/projects"));
        v.error = "待确认的文件已过期（15分钟）或已导入，请重新上传".into();
        return render_status(StatusCode::CONFLICT, &v);
    };
    let r = crate::ledger::import(&p.state, &p.actor, &name, bytes, false).await?;
    let mut v = page(p.chrome("/projects"));
    v.done = r.committed;
    let status = if r.committed { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    v.result = Some(r);
    render_status(status, &v)
}

pub async fn template(_p: Page<perm::ProjectRead>) -> UiResult<Response> {
    Ok(crate::ledger::download("招商引资项目台账模板.xlsx", crate::ledger::template()?))
}
