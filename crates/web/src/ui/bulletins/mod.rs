//! 通报 pages (issue 13 item 7): `/bulletins` (the list; city_admin's 起草通报 form choosing a
//! stored run), `/bulletins/{id}` (the bulletin as it prints, 发布 with a confirmation step,
//! 核验 with the differences of a recomputation, 打印版 and 导出Excel), `/bulletins/{id}/print`
//! (the standalone 公文 page, GB/T 9704 layout from `assets/print.css`). A published bulletin
//! shows its frozen HTML — the bytes its SHA-256 is of; a draft its content as it would be
//! frozen today.

pub mod document;

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use domain::Permission;
use domain::assessment::BulletinState;
use domain::fields::BULLETIN;
use serde_json::Value;
use store::bulletins::{Bulletin, Verification};

use super::agreements::forms_support::{respond, submit};
use super::project::opts;
use super::widgets::{self, Opt};
use super::{Chrome, Page, PageForm, UiError, UiResult, render_status, see_other};
use crate::api::bulletins::BulletinBody;
use crate::auth::perm;
use crate::input::{Id, QueryMap};

/// A bulletin as a row of the list.
pub struct Row {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub date: String,
    pub state: &'static str,
    pub published: bool,
    pub sha: String,
}

impl From<&Bulletin> for Row {
    fn from(b: &Bulletin) -> Self {
        Row {
            id: b.id,
            number: b.number.clone(),
            title: b.title.clone(),
            date: b.date.to_string(),
            state: b.state.label(),
            published: b.state == BulletinState::Published,
            sha: b.sha256.as_deref().map(|s| s.chars().take(12).collect()).unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "bulletins/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<Row>,
    total: u64,
    can_write: bool,
    runs: Vec<Opt>,
    errors: BTreeMap<String, String>,
    form: BTreeMap<String, String>,
}

widgets::form_helpers!(ListPage { f: BULLETIN, fv: self.form });

async fn list_page<P: crate::auth::Perm>(
    page: &Page<P>,
    errors: BTreeMap<String, String>,
    form: BTreeMap<String, String>,
) -> UiResult<ListPage> {
    let (items, total) = page.store().bulletins(1, 200).await?;
    let can_write = page.can(Permission::BulletinWrite) && page.actor.scope == store::Scope::All;
    let runs = if can_write {
        let (runs, _) = page.store().list_runs(1, 50).await?;
        let current = form.get("run_id").map_or("", String::as_str);
        opts(
            runs.iter().map(|r| (r.id.to_string(), format!("#{} {}（{} 至 {}）", r.id, r.name, r.from, r.to))),
            current,
        )
    } else {
        vec![]
    };
    Ok(ListPage {
        chrome: page.chrome("/bulletins"),
        rows: items.iter().map(Row::from).collect(),
        total,
        can_write,
        runs,
        errors,
        form,
    })
}

/// `/bulletins`: the list (and city_admin's 起草通报 form).
pub async fn list(page: Page<perm::BulletinRead>) -> UiResult<Response> {
    render_status(StatusCode::OK, &list_page(&page, BTreeMap::new(), BTreeMap::new()).await?)
}

/// `POST /bulletins`: a draft, then its page.
pub async fn create(f: PageForm<perm::BulletinWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let mut body = form.to_json(&[]);
    body.retain(|k, _| ["run_id", "number", "title", "date"].contains(&k.as_str()));
    let r =
        submit(Value::Object(body), BulletinBody::input, async |input| page.store().create_bulletin(input).await).await;
    respond(r, "", |b| format!("/bulletins/{}", b.id), async |errors| list_page(&page, errors, form.values()).await)
        .await
}

#[derive(Template)]
#[template(path = "bulletins/detail.html")]
struct DetailPage {
    chrome: Chrome,
    print_css: String,
    b: Bulletin,
    published: bool,
    html: String,
    can_write: bool,
    confirm: bool,
    verification: Option<Verification>,
    message: String,
    notice: &'static str,
}

impl DetailPage {
    fn published_at(&self) -> String {
        self.b
            .published_at
            .map(|t| t.with_timezone(&domain::SHANGHAI).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    }

    fn opt<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("—")
    }
}

/// The bulletin's 公文 HTML: frozen when published, rendered afresh for a draft.
async fn document_of<P: crate::auth::Perm>(page: &Page<P>, b: &Bulletin) -> UiResult<String> {
    if let Some(h) = &b.content_html {
        return Ok(h.clone());
    }
    let content = page.store().bulletin_preview(b.id, domain::today_shanghai()).await?;
    document::render(&content).map_err(UiError::Internal)
}

async fn detail_page<P: crate::auth::Perm>(
    page: &Page<P>,
    id: i64,
    q: &BTreeMap<String, String>,
    message: String,
) -> UiResult<DetailPage> {
    let b = page.store().bulletin(id).await?;
    let published = b.state == BulletinState::Published;
    let html = document_of(page, &b).await?;
    let verification = if published && q.contains_key("verify") {
        Some(page.store().verify_bulletin(id, domain::today_shanghai()).await?)
    } else {
        None
    };
    Ok(DetailPage {
        chrome: page.chrome("/bulletins"),
        print_css: super::assets::url("print.css"),
        can_write: !published && page.can(Permission::BulletinWrite) && page.actor.scope == store::Scope::All,
        confirm: q.contains_key("confirm"),
        notice: if q.get("done").map(String::as_str) == Some("published") {
            "通报已发布，内容及其 SHA-256 已冻结。"
        } else {
            ""
        },
        b,
        published,
        html,
        verification,
        message,
    })
}

/// `/bulletins/{id}`: the bulletin as it prints; `?confirm=1` the publishing step, `?verify=1`
/// the verification.
pub async fn detail(page: Page<perm::BulletinRead>, Id(id): Id, QueryMap(q): QueryMap) -> UiResult<Response> {
    render_status(StatusCode::OK, &detail_page(&page, id, &q, String::new()).await?)
}

/// `POST /bulletins/{id}/publish`: freeze it (409 shown on the page when already published).
pub async fn publish(Id(id): Id, f: PageForm<perm::BulletinWrite>) -> UiResult<Response> {
    let page = f.page;
    match page.store().publish_bulletin(id, domain::today_shanghai(), &document::render).await {
        Ok(_) => Ok(see_other(&format!("/bulletins/{id}?done=published"))),
        Err(store::StoreError::Conflict(m)) => {
            render_status(StatusCode::CONFLICT, &detail_page(&page, id, &BTreeMap::new(), m).await?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "bulletins/print.html")]
struct PrintPage {
    title: String,
    print_css: String,
    id: i64,
    html: String,
    draft: bool,
}

/// `/bulletins/{id}/print`: the standalone 公文 page (no menu) for the browser's print.
pub async fn print(page: Page<perm::BulletinRead>, Id(id): Id) -> UiResult<Response> {
    let b = page.store().bulletin(id).await?;
    let html = document_of(&page, &b).await?;
    let p = PrintPage {
        title: format!("{} {}", b.number, b.title),
        print_css: super::assets::url("print.css"),
        id,
        html,
        draft: b.state != BulletinState::Published,
    };
    Ok(Html(p.render()?).into_response())
}

/// `/bulletins/{id}/export.xlsx`: the published bulletin's workbook.
pub async fn export(page: Page<perm::BulletinRead>, Id(id): Id) -> UiResult<Response> {
    let (name, bytes) = crate::api::bulletins::export_file(&page.state, &page.actor, id).await?;
    Ok(crate::ledger::download(&name, bytes))
}

/// One unit on the 工作台's 红黑榜.
pub struct Listed {
    pub rank: u32,
    pub name: String,
    pub total: String,
}

/// The 红黑榜 card of the 工作台: the latest published bulletin's top three and bottom three.
pub struct RedBlack {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub red: Vec<Listed>,
    pub black: Vec<Listed>,
}

/// The card, for a user with `bulletin:read` once a bulletin is published (else none).
pub async fn red_black<P: crate::auth::Perm>(page: &Page<P>) -> UiResult<Option<RedBlack>> {
    if !page.can(Permission::BulletinRead) {
        return Ok(None);
    }
    let Some(b) = page.store().latest_published_bulletin().await? else { return Ok(None) };
    let Some(c) = b.content else { return Ok(None) };
    let listed = |v: &[domain::assessment::UnitResult]| {
        v.iter().map(|r| Listed { rank: r.rank, name: r.unit.name.clone(), total: r.total.to_string() }).collect()
    };
    Ok(Some(RedBlack {
        id: b.id,
        number: b.number,
        title: b.title,
        red: listed(&c.red_list),
        black: listed(&c.black_list),
    }))
}

/// `/bulletins/{id}/export.docx`: the published bulletin as a Word document (audited as an
/// export like the workbook).
pub async fn export_docx(page: Page<perm::BulletinRead>, Id(id): Id) -> UiResult<Response> {
    crate::ledger::check_rate(&page.state, &page.actor)?;
    let content = page.store().export_bulletin(id).await?;
    let name = format!("通报_{}.docx", content.number);
    let bytes = tokio::task::spawn_blocking(move || ledger::docx::bulletin_docx(&content))
        .await
        .map_err(|e| UiError::Internal(format!("bulletin docx: {e}")))?
        .map_err(UiError::Internal)?;
    let mut r = crate::ledger::download(&name, bytes);
    if let Ok(v) = axum::http::HeaderValue::from_str(ledger::docx::DOCX) {
        r.headers_mut().insert(axum::http::header::CONTENT_TYPE, v);
    }
    Ok(r)
}
