//! 通报 (api.md, bulletins; issue 13 item 7): `POST /api/v1/bulletins` drafts a bulletin of
//! a stored run (city_admin, `bulletin:write`); `POST …/{id}/publish` freezes it — the
//! content as canonical JSON, the 公文 HTML (the same fragment the print page shows) and its
//! SHA-256, the run's inputs hash; `GET` lists and reads them (`bulletin:read`: the city also
//! its drafts, everyone else the published ones); `GET …/{id}/verify` re-hashes the stored
//! HTML and lists what a recomputation now would change; `GET …/{id}/export.xlsx` the
//! workbook.

use axum::Json;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use store::bulletins::{Bulletin, BulletinInput, Verification};
use utoipa::ToSchema;

use super::assessments::DifferenceOut;
use super::body::{Check, Input, body};
use super::{Page, XLSX, Xlsx};
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody, QueryMap};

body! {
    /// A draft: the stored run it freezes, the 文号 (`郑商通〔2025〕12号`; `[2025]` and
    /// `［2025］` are normalised to 〔〕), the title and the 成文日期.
    pub struct BulletinBody {
        #[schema(value_type = i64, required = true)]
        run_id: Input<i64>,
        #[schema(value_type = String, required = true, example = "郑商通〔2026〕1号")]
        number: Input<String>,
        #[schema(value_type = String, required = true)]
        title: Input<String>,
        #[schema(value_type = NaiveDate, required = true)]
        date: Input<NaiveDate>,
    }
}

impl BulletinBody {
    pub fn input(self) -> Result<BulletinInput, ApiError> {
        let system = ["id", "state", "sha256", "inputs_sha256", "content", "content_html", "published_at", "year"];
        let mut c = Check::body(&domain::fields::BULLETIN, &self.extra, &system);
        let run_id = c.required("run_id", self.run_id);
        if run_id.is_some_and(|r| r <= 0) {
            c.err("run_id", "应为编号（正整数）");
        }
        let number = c.required("number", self.number);
        let title = c.required("title", self.title);
        let date = c.required("date", self.date);
        let (run_id, number, title, date) = c.finish_required((run_id, number, title, date))?;
        Ok(BulletinInput { run_id, number, title, date })
    }
}

/// A bulletin (api.md): `content` (the frozen content) and `content_html` only when read one
/// by one and published.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulletinView {
    pub id: i64,
    pub run_id: i64,
    pub number: String,
    pub title: String,
    pub date: NaiveDate,
    pub year: i32,
    /// `draft` | `published`.
    pub state: String,
    pub sha256: Option<String>,
    pub inputs_sha256: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub version: i32,
    /// The frozen content (number, title, date, ranking with every indicator, top10, leaders,
    /// warnings per unit, red_list, black_list, copy_to, printed_by).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub content: Option<serde_json::Value>,
    /// The rendered 公文 HTML whose SHA-256 is `sha256`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_html: Option<String>,
}

impl From<Bulletin> for BulletinView {
    fn from(b: Bulletin) -> Self {
        BulletinView {
            id: b.id,
            run_id: b.run_id,
            number: b.number,
            title: b.title,
            date: b.date,
            year: b.year,
            state: b.state.code().into(),
            sha256: b.sha256,
            inputs_sha256: b.inputs_sha256,
            published_at: b.published_at,
            version: b.version,
            content: b.content.and_then(|c| serde_json::to_value(c).ok()),
            content_html: b.content_html,
        }
    }
}

/// What publishing answers (api.md).
#[derive(Debug, Serialize, ToSchema)]
pub struct Published {
    pub id: i64,
    pub number: String,
    pub sha256: String,
    pub published_at: DateTime<Utc>,
}

/// `ok`: the stored HTML still hashes to `sha256` (whatever changed since in the data).
#[derive(Debug, Serialize, ToSchema)]
pub struct VerificationView {
    pub ok: bool,
    pub sha256: String,
    pub computed: String,
    pub differences: Vec<DifferenceOut>,
}

impl From<Verification> for VerificationView {
    fn from(v: Verification) -> Self {
        let differences = v.differences.into_iter().map(DifferenceOut::from).collect();
        VerificationView { ok: v.ok, sha256: v.sha256, computed: v.computed, differences }
    }
}

#[utoipa::path(get, path = "/api/v1/bulletins", operation_id = "list_bulletins", tag = "bulletins", security(("bearer" = ["bulletin:read"])),
    params(("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query)),
    responses((status = 200, description = "newest first: the city every bulletin, others the published ones", body = Page<BulletinView>),
              (status = 422, description = "bad paging")))]
pub async fn list(db: Db<perm::BulletinRead>, QueryMap(q): QueryMap) -> ApiResult<Json<Page<BulletinView>>> {
    let (page, per_page) = super::paging(&q)?;
    let (items, total) = db.store().bulletins(page, per_page).await?;
    Ok(Json(Page::of(items, total, (page, per_page))))
}

#[utoipa::path(post, path = "/api/v1/bulletins", operation_id = "create_bulletin", tag = "bulletins", security(("bearer" = ["bulletin:write"])),
    request_body = BulletinBody,
    responses((status = 201, description = "the draft", body = BulletinView),
              (status = 422, description = "an unknown run, a bad or used 文号, a missing title")))]
pub async fn create(
    db: Db<perm::BulletinWrite>,
    JsonBody(b): JsonBody<BulletinBody>,
) -> NamedResult<(StatusCode, Json<BulletinView>), table::Bulletin> {
    let input = b.input()?;
    Ok((StatusCode::CREATED, Json(db.store().create_bulletin(input).await?.into())))
}

#[utoipa::path(get, path = "/api/v1/bulletins/{id}", operation_id = "get_bulletin", tag = "bulletins", security(("bearer" = ["bulletin:read"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the bulletin with its frozen content", body = BulletinView),
              (status = 404, description = "unknown, or a draft for a caller outside the city")))]
pub async fn get(db: Db<perm::BulletinRead>, Id(id): Id) -> ApiResult<Json<BulletinView>> {
    Ok(Json(db.store().bulletin(id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/bulletins/{id}/publish", operation_id = "publish_bulletin", tag = "bulletins", security(("bearer" = ["bulletin:write"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "frozen: content, rendered HTML and its SHA-256", body = Published),
              (status = 404, description = "unknown"), (status = 409, description = "already published")))]
pub async fn publish(db: Db<perm::BulletinWrite>, Id(id): Id) -> ApiResult<Json<Published>> {
    let b = db.store().publish_bulletin(id, domain::today_shanghai(), &crate::ui::bulletins::document::render).await?;
    let (Some(sha256), Some(published_at)) = (b.sha256, b.published_at) else {
        return Err(ApiError::Internal("published bulletin without its hash".into()));
    };
    Ok(Json(Published { id: b.id, number: b.number, sha256, published_at }))
}

#[utoipa::path(get, path = "/api/v1/bulletins/{id}/verify", operation_id = "verify_bulletin", tag = "bulletins", security(("bearer" = ["bulletin:read"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the stored hash checked; the differences of a recomputation now (nothing stored)", body = VerificationView),
              (status = 404, description = "unknown"), (status = 409, description = "a draft")))]
pub async fn verify(db: Db<perm::BulletinRead>, Id(id): Id) -> ApiResult<Json<VerificationView>> {
    Ok(Json(db.store().verify_bulletin(id, domain::today_shanghai()).await?.into()))
}

#[utoipa::path(get, path = "/api/v1/bulletins/{id}/export.xlsx", operation_id = "export_bulletin", tag = "bulletins", security(("bearer" = ["bulletin:read"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the workbook: 排名, 十大项目, 预警统计, 红黑榜", content_type = XLSX, body = Xlsx),
              (status = 404, description = "unknown"), (status = 409, description = "a draft"), (status = 429, description = "too many exports")))]
pub async fn export(db: Db<perm::BulletinRead>, Id(id): Id) -> ApiResult<Xlsx> {
    let (file_name, bytes) = export_file(&db.state, &db.caller.actor, id).await?;
    Ok(Xlsx { file_name, bytes })
}

/// The workbook of published bulletin `id` (rate-limited like every export, audited).
pub async fn export_file(s: &crate::AppState, actor: &store::Actor, id: i64) -> Result<(String, Vec<u8>), ApiError> {
    crate::ledger::check_rate(s, actor)?;
    let content = s.store.scoped(actor).export_bulletin(id).await?;
    let file_name = format!("通报_{}.xlsx", content.number);
    let bytes = tokio::task::spawn_blocking(move || ledger::bulletin::bulletin_xlsx(&content))
        .await
        .map_err(|e| ApiError::Internal(format!("bulletin export: {e}")))?
        .map_err(|e| ApiError::Internal(format!("bulletin export: {e}")))?;
    Ok((file_name, bytes))
}
