//! The company library: the list, a company, a new company; a company's ranks by year and
//! the import of a published list (city_admin); the list as Excel.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::Multipart;
use axum::http::StatusCode;
use domain::CreditCode;
use domain::ranking::RankingList;
use serde::Serialize;
use store::Actor;
use store::companies::{Ambiguous, Company, CompanyFilter, NewCompany, Ranking};
use utoipa::ToSchema;

use super::body::{Check, Input, body};
use super::{Items, Page, XLSX, Xlsx, paging};
use crate::AppState;
use crate::auth::{Db, perm};
use crate::error::{ApiError, ApiResult, NamedResult, table};
use crate::input::{Id, JsonBody, QueryMap};

#[utoipa::path(get, path = "/api/v1/companies", operation_id = "list_companies", tag = "companies", security(("bearer" = ["company:read"])),
    params(("q" = Option<String>, Query, description = "substring of name or credit code"), ("ranked" = Option<bool>, Query, description = "only 500强/领军"),
        ("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query, description = "at most 500")),
    responses((status = 200, description = "a page of companies", body = Page<Company>)))]
pub async fn list(db: Db<perm::CompanyRead>, QueryMap(q): QueryMap) -> ApiResult<Json<Page<Company>>> {
    let (page, per_page) = paging(&q)?;
    let ranked = super::flag(&q, "ranked")?;
    let f = CompanyFilter { q: q.get("q").cloned(), ranked, page, per_page };
    let (items, total) = db.store().list_companies(&f).await?;
    Ok(Json(Page { items, total, page, per_page }))
}

#[utoipa::path(get, path = "/api/v1/companies/{id}", operation_id = "get_company", tag = "companies", security(("bearer" = ["company:read"])),
    params(("id" = i64, Path)), responses((status = 200, description = "one company", body = Company), (status = 404, description = "unknown")))]
pub async fn get(db: Db<perm::CompanyRead>, Id(id): Id) -> ApiResult<Json<Company>> {
    Ok(Json(db.store().get_company(id).await?))
}

body! {
    /// A new company (企业库, domain.md §3).
    pub struct CompanyBody {
        #[schema(value_type = String, required = true)]
        name: Input<String>,
        /// 统一社会信用代码 (GB 32100-2015, with its check character).
        #[schema(value_type = Option<String>)]
        credit_code: Input<String>,
        #[schema(value_type = Option<String>)]
        country: Input<String>,
        /// A region code.
        #[schema(value_type = Option<String>)]
        region: Input<String>,
        #[schema(value_type = Option<String>)]
        hq_city: Input<String>,
        /// An industry code.
        #[schema(value_type = Option<String>)]
        industry: Input<String>,
        #[schema(value_type = Option<i32>)]
        fortune_global_500_rank: Input<i32>,
        #[schema(value_type = Option<i32>)]
        china_500_rank: Input<i32>,
        #[schema(value_type = Option<i32>)]
        china_private_500_rank: Input<i32>,
        #[schema(value_type = Option<i32>)]
        rank_year: Input<i32>,
        #[schema(value_type = Option<bool>)]
        industry_leader: Input<bool>,
        #[schema(value_type = Option<String>)]
        leader_reason: Input<String>,
        #[schema(value_type = Option<String>)]
        website: Input<String>,
        #[schema(value_type = Option<String>)]
        notes: Input<String>,
        /// Create it though a company of a near-duplicate name exists (a 409 names it).
        #[schema(value_type = Option<bool>)]
        allow_similar: Input<bool>,
    }
}

impl CompanyBody {
    /// The new company and whether a near-duplicate name is allowed.
    fn validate(self) -> Result<(NewCompany, bool), ApiError> {
        let mut c = Check::body(&domain::fields::COMPANY, &self.extra, &["id", "version", "created_at", "updated_at"]);
        let name = c.required("name", self.name).unwrap_or_default();
        let credit_code = c.optional("credit_code", self.credit_code).and_then(|cc| match CreditCode::parse(&cc) {
            Ok(v) => Some(v),
            Err(e) => {
                c.err("credit_code", e.to_string());
                None
            }
        });
        let new = NewCompany {
            name,
            credit_code,
            country: c.optional("country", self.country).unwrap_or_default(),
            region: c.optional("region", self.region),
            hq_city: c.optional("hq_city", self.hq_city),
            industry: c.optional("industry", self.industry),
            fortune_global_500_rank: c.optional("fortune_global_500_rank", self.fortune_global_500_rank),
            china_500_rank: c.optional("china_500_rank", self.china_500_rank),
            china_private_500_rank: c.optional("china_private_500_rank", self.china_private_500_rank),
            rank_year: c.optional("rank_year", self.rank_year),
            industry_leader: c.optional("industry_leader", self.industry_leader).unwrap_or(false),
            leader_reason: c.optional("leader_reason", self.leader_reason),
            website: c.optional("website", self.website),
            notes: c.optional("notes", self.notes),
            declared_type: None,
        };
        let allow_similar = c.optional("allow_similar", self.allow_similar).unwrap_or(false);
        c.finish((new, allow_similar))
    }
}

#[utoipa::path(post, path = "/api/v1/companies", operation_id = "create_company", tag = "companies", security(("bearer" = ["company:write"])), request_body = CompanyBody,
    responses((status = 201, description = "created", body = Company), (status = 422, description = "invalid")))]
pub async fn create(
    db: Db<perm::CompanyWrite>,
    JsonBody(b): JsonBody<CompanyBody>,
) -> NamedResult<(StatusCode, Json<Company>), table::Company> {
    let (new, allow_similar) = b.validate()?;
    // a near-duplicate name is flagged with the company it resembles (an exact one is a 422)
    if !allow_similar
        && let Some(c) = db.store().similar_companies(&new.name).await?.into_iter().find(|c| c.name != new.name.trim())
    {
        return Err(ApiError::Conflict(format!(
            "企业名称与企业库中的「{}」（/companies/{}）疑似重复；确认不是同一家企业时请带 allow_similar: true 重新提交",
            c.name, c.id
        ))
        .into());
    }
    Ok((StatusCode::CREATED, Json(db.store().create_company(new).await?)))
}

// ---------------------------------------------------------------- ranking history and lists

#[utoipa::path(get, path = "/api/v1/companies/{id}/rankings", operation_id = "company_rankings", tag = "companies", security(("bearer" = ["company:read"])),
    params(("id" = i64, Path)),
    responses((status = 200, description = "the company's ranks by list and year, the latest year first", body = Items<Ranking>),
              (status = 404, description = "no such company")))]
pub async fn rankings(db: Db<perm::CompanyRead>, Id(id): Id) -> ApiResult<Json<Items<Ranking>>> {
    Ok(Json(Items::of(db.store().company_rankings(id).await?)))
}

/// Largest request on the list import: the largest list file (5 MiB) plus room for the
/// multipart framing and the other fields.
pub const MAX_RANKING_UPLOAD: usize = 5 * 1024 * 1024 + 64 * 1024;

/// The multipart form of a list import.
#[derive(ToSchema)]
pub struct RankingUpload {
    /// The published list, .xlsx or .csv (UTF-8 or GBK), at most 5 MiB; columns found by
    /// their labels: 排名, 公司名称, 国家/地区, 营业收入 (or rank, name, country, revenue).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// `fortune_global_500` | `china_500` | `china_private_500` (or its Chinese name).
    pub list: String,
    /// The list's year.
    pub year: i32,
}

/// What a list import form sent, before any check (the page's form also carries `_csrf`).
#[derive(Default)]
pub struct RankingForm {
    pub file: Option<(String, Vec<u8>)>,
    pub list: String,
    pub year: String,
    pub csrf: String,
}

impl RankingForm {
    /// Read every field; a body over the limit is 413 (audited as a refused import).
    pub async fn read(s: &AppState, actor: &Actor, mp: &mut Multipart) -> Result<RankingForm, ApiError> {
        let mut form = RankingForm::default();
        loop {
            let field = match mp.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large(s, actor, &form).await),
                Err(e) => return Err(ApiError::BadRequest(format!("上传内容格式不正确：{e}"))),
            };
            match field.name() {
                Some("file") => {
                    let name = field.file_name().unwrap_or("").to_string();
                    match field.bytes().await {
                        Ok(bytes) => form.file = Some((name, bytes.to_vec())),
                        Err(_) => {
                            form.file = Some((name, vec![]));
                            return Err(too_large(s, actor, &form).await);
                        }
                    }
                }
                Some("list") => form.list = crate::input::multipart_text(field).await?,
                Some("year") => form.year = crate::input::multipart_text(field).await?,
                Some("_csrf") => form.csrf = crate::input::multipart_text(field).await?,
                _ => {}
            }
        }
        Ok(form)
    }
}

/// 413, audited as a refused import (an audit failure is the answer instead).
async fn too_large(s: &AppState, actor: &Actor, form: &RankingForm) -> ApiError {
    let file = form.file.as_ref().map(|(n, _)| n.as_str()).unwrap_or("");
    let summary =
        serde_json::json!({"file": file, "list": form.list, "year": form.year, "reason": "文件过大（上限 5 MiB）"});
    match s.store.scoped(actor).audit_rankings_refused(summary).await {
        Ok(()) => ApiError::TooLarge,
        Err(e) => e.into(),
    }
}

/// What a list import did (api.md: matched, created, updated; the ambiguous rows apart).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankingImportResult {
    pub file: String,
    pub list: String,
    pub year: i32,
    /// Data rows read from the file.
    pub rows: usize,
    pub matched: usize,
    pub created: usize,
    pub updated: usize,
    /// Rows that name more than one company of the library: nothing written for them.
    pub ambiguous: Vec<Ambiguous>,
    /// Always empty in a 200: a list with any bad row is refused whole (422).
    pub errors: Vec<crate::ledger::ImportProblem>,
    /// The companies registered, by id.
    pub created_ids: Vec<i64>,
    /// Header labels that name no column (`上年排名`, `利润`), as written.
    pub unknown_columns: Vec<String>,
    pub header_row: u32,
}

/// The most row errors a 422 names (the first, by row); a `file` entry counts the rest.
pub const MAX_ROW_ERRORS: usize = 100;

/// Check the form, read the file, import the list — for the API and the page alike. Every
/// refusal that reaches the file (422) is audited on its own; a committed import inside
/// its transaction.
pub async fn import_rankings(s: &AppState, actor: &Actor, form: RankingForm) -> Result<RankingImportResult, ApiError> {
    crate::ledger::check_rate(s, actor)?;
    let mut errors = BTreeMap::new();
    let list = RankingList::parse(form.list.trim());
    if list.is_none() {
        errors.insert("list".to_string(), "请选择榜单：世界500强、中国500强或中国民营企业500强".to_string());
    }
    let this_year = chrono::Datelike::year(&domain::today_shanghai());
    let year = match form.year.trim().parse::<i32>() {
        Ok(y) => domain::ranking::check_year(y, this_year).map_err(|e| errors.insert("year".into(), e)).ok(),
        Err(_) => {
            errors.insert("year".into(), format!("榜单年份应为四位年份，如 {this_year}"));
            None
        }
    };
    let file = form.file.filter(|(_, b)| !b.is_empty());
    if file.is_none() {
        errors.insert("file".into(), "请选择榜单文件（.xlsx 或 .csv）".into());
    }
    let (Some(list), Some(year), Some((name, bytes)), true) = (list, year, file, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let shown: String =
        name.rsplit(['/', '\\']).next().unwrap_or("").chars().filter(|c| !c.is_control()).take(100).collect();
    let outcome = read_and_import(s, actor, list, year, &shown, bytes).await;
    if let Err(ApiError::Validation(why)) = &outcome {
        let summary = serde_json::json!({
            "file": shown,
            "list": list.code(),
            "year": year,
            "errors": why.len(),
            "reason": why.values().take(5).cloned().collect::<Vec<_>>().join("；"),
        });
        s.store.scoped(actor).audit_rankings_refused(summary).await?;
    }
    outcome
}

async fn read_and_import(
    s: &AppState,
    actor: &Actor,
    list: RankingList,
    year: i32,
    name: &str,
    bytes: Vec<u8>,
) -> Result<RankingImportResult, ApiError> {
    let file_name = name.to_string();
    let parsed = tokio::task::spawn_blocking(move || {
        let sheet = ledger::read(&bytes, &file_name, &ledger::rankings::limits()).map_err(|e| match e {
            ledger::ReadError::TooLarge { .. } => ApiError::TooLarge,
            e => ApiError::field("file", e.to_string()),
        })?;
        ledger::rankings::parse_rankings(&sheet).map_err(|m| ApiError::field("file", m))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("ranking list read: {e}")))??;
    if parsed.error_count > 0 {
        let mut fields: BTreeMap<String, String> = parsed
            .errors
            .iter()
            .take(MAX_ROW_ERRORS)
            .map(|e| (store::companies::rankings::row_field(e.error.row, e.column.code()), e.error.to_string()))
            .collect();
        if parsed.error_count > fields.len() {
            fields.insert(
                "file".into(),
                format!("共 {} 处错误，仅列出前 {} 处；整张榜单未导入", parsed.error_count, fields.len()),
            );
        }
        return Err(ApiError::Validation(fields));
    }
    if parsed.rows.is_empty() {
        return Err(ApiError::field("file", "榜单中没有数据行"));
    }
    let rows = parsed.rows.len();
    let input = store::companies::RankingImport { list, year, file: name.to_string(), rows: parsed.rows };
    let report = s.store.scoped(actor).import_rankings(input).await?;
    Ok(RankingImportResult {
        file: name.to_string(),
        list: list.code().to_string(),
        year,
        rows,
        matched: report.matched,
        created: report.created,
        updated: report.updated,
        ambiguous: report.ambiguous,
        errors: vec![],
        created_ids: report.created_ids,
        unknown_columns: parsed.unknown_columns,
        header_row: parsed.header_row,
    })
}

#[utoipa::path(post, path = "/api/v1/companies/rankings", operation_id = "import_rankings", tag = "companies", security(("bearer" = ["ranking:import"])),
    request_body(content = RankingUpload, content_type = "multipart/form-data"),
    responses((status = 200, description = "the list imported: matched, created, updated, the ambiguous rows", body = RankingImportResult),
        (status = 422, description = "a bad row (named `rows[N].rank` …), no header, not a spreadsheet, a bad list or year: nothing written"),
        (status = 413, description = "over 5 MiB"), (status = 429, description = "too many imports")))]
pub async fn import(
    db: Db<perm::RankingImport>,
    mut mp: Multipart,
) -> NamedResult<Json<RankingImportResult>, table::Ranking> {
    let form = RankingForm::read(&db.state, &db.caller.actor, &mut mp).await?;
    Ok(Json(import_rankings(&db.state, &db.caller.actor, form).await?))
}

// ---------------------------------------------------------------- Excel export

/// The company filter of a query (`q`, `ranked`), every page.
fn export_filter(q: &BTreeMap<String, String>) -> Result<CompanyFilter, ApiError> {
    let ranked = super::flag(q, "ranked")?;
    let text: Option<String> =
        q.get("q").map(|t| t.trim().chars().take(100).collect()).filter(|t: &String| !t.is_empty());
    Ok(CompanyFilter { q: text, ranked, page: 1, per_page: 1 })
}

/// The company list as an .xlsx: (file name, bytes), rate-limited like the ledger export,
/// audited (company.export). The projects counted are those in the caller's scope.
pub async fn export_file(
    s: &AppState,
    actor: &Actor,
    q: &BTreeMap<String, String>,
) -> Result<(String, Vec<u8>), ApiError> {
    let f = export_filter(q)?;
    crate::ledger::check_rate(s, actor)?;
    let scoped = s.store.scoped(actor);
    let companies = scoped.export_companies(&f).await?;
    let ids: Vec<i64> = companies.iter().map(|c| c.id).collect();
    let counts = scoped.company_project_counts(&ids).await?;
    let mut words = vec![];
    if let Some(t) = &f.q {
        words.push(format!("关键词“{t}”"));
    }
    if f.ranked == Some(true) {
        words.push("只看500强/行业龙头".to_string());
    }
    let words = if words.is_empty() { "全部".to_string() } else { words.join("，") };
    let now = chrono::Utc::now().with_timezone(&domain::SHANGHAI);
    let by = scoped.display_name().await?;
    let subtitle = format!(
        "筛选条件：{words}    导出时间：{}    导出人：{by}    共 {} 家企业（项目数只计导出人数据权限范围内的项目）",
        now.format("%Y-%m-%d %H:%M"),
        companies.len()
    );
    let n = companies.len();
    let bytes = tokio::task::spawn_blocking(move || companies_xlsx(&companies, &counts, &subtitle))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(format!("company export: {e}")))?;
    scoped.audit_company_export(&words, n).await?;
    Ok((format!("企业库{}.xlsx", now.format("%Y%m%d")), bytes))
}

/// The export's columns: the company field table's labels (the form's own confirmation
/// field aside), then the projects in scope.
pub fn export_columns() -> Vec<&'static str> {
    let mut cols: Vec<&'static str> =
        domain::fields::COMPANY.fields.iter().filter(|f| f.code != "allow_similar").map(|f| f.label).collect();
    cols.push("项目数");
    cols
}

/// One company as the export writes it: a text or a number per column of [`export_columns`].
fn export_cells(c: &Company, projects: u64) -> Vec<Result<String, f64>> {
    use crate::ui::project::{industry_name, region_name};
    let text = |v: Option<&str>| Ok(v.unwrap_or("").to_string());
    let num = |v: Option<i32>| v.map_or(Ok(String::new()), |n| Err(f64::from(n)));
    domain::fields::COMPANY
        .fields
        .iter()
        .filter(|f| f.code != "allow_similar")
        .map(|f| match f.code {
            "name" => text(Some(&c.name)),
            "credit_code" => text(c.credit_code.as_deref()),
            "country" => text(Some(&c.country)),
            "region" => Ok(c.region.as_deref().map(region_name).unwrap_or_default()),
            "hq_city" => text(c.hq_city.as_deref()),
            "industry" => Ok(c.industry.as_deref().map(industry_name).unwrap_or_default()),
            "fortune_global_500_rank" => num(c.fortune_global_500_rank),
            "china_500_rank" => num(c.china_500_rank),
            "china_private_500_rank" => num(c.china_private_500_rank),
            "rank_year" => num(c.rank_year),
            "industry_leader" => text(Some(if c.industry_leader { "是" } else { "否" })),
            "leader_reason" => text(c.leader_reason.as_deref()),
            "website" => text(c.website.as_deref()),
            "notes" => text(c.notes.as_deref()),
            "declared_type" => text(Some(store::companies::investor_type(c))),
            _ => text(None),
        })
        .chain([Err(projects as f64)])
        .collect()
}

/// The workbook: a title, the filter line, the frozen header, one row per company. Every
/// text is a string cell (never a formula), cut to Excel's cell limit.
fn companies_xlsx(
    companies: &[Company],
    counts: &std::collections::HashMap<i64, u64>,
    subtitle: &str,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("企业库")?;
    let cols = export_columns();
    let last = (cols.len() - 1) as u16;
    let title = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center);
    let head = Format::new().set_bold().set_background_color(0xD9E1F2).set_border(FormatBorder::Thin).set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin);
    let int = Format::new().set_border(FormatBorder::Thin).set_num_format("0");
    ws.merge_range(0, 0, 0, last, "企业库", &title)?;
    ws.merge_range(1, 0, 1, last, &ledger::export::fit(subtitle), &Format::new())?;
    for (i, label) in cols.iter().enumerate() {
        ws.write_string_with_format(2, i as u16, *label, &head)?;
        ws.set_column_width(i as u16, if i == 0 { 36.0 } else { 14.0 })?;
    }
    ws.set_freeze_panes(3, 1)?;
    for (r, c) in companies.iter().enumerate() {
        let row = 3 + r as u32;
        for (i, v) in export_cells(c, counts.get(&c.id).copied().unwrap_or(0)).into_iter().enumerate() {
            match v {
                Ok(t) => ws.write_string_with_format(row, i as u16, ledger::export::fit(&t), &cell)?,
                Err(n) => ws.write_number_with_format(row, i as u16, n, &int)?,
            };
        }
    }
    book.save_to_buffer()
}

#[utoipa::path(get, path = "/api/v1/companies/export", operation_id = "export_companies", tag = "companies", security(("bearer" = ["company:read"])),
    params(("q" = Option<String>, Query, description = "substring of name or credit code"), ("ranked" = Option<bool>, Query, description = "only 500强/领军")),
    responses((status = 200, description = "the company list (.xlsx), with the projects in the caller's scope counted", content_type = XLSX, body = Xlsx),
              (status = 429, description = "too many exports")))]
pub async fn export(db: Db<perm::CompanyRead>, QueryMap(q): QueryMap) -> ApiResult<Xlsx> {
    let (file_name, bytes) = export_file(&db.state, &db.caller.actor, &q).await?;
    Ok(Xlsx { file_name, bytes })
}
