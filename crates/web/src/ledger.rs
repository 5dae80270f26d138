//! The Excel ledger over HTTP: the export (API and page share it) and, with the parser of
//! the `ledger` crate, the import. Both are audited and rate-limited per user.

use std::collections::{BTreeMap, HashMap};

use ledger::export::{ExportRow, Heading, Value, list};
use store::Actor;
use store::projects::Project;

use crate::AppState;
use crate::error::ApiError;

/// A project as the ledger shows it: Chinese names, not codes; 投资方类型 per investor, from
/// `types` (store::Store::investor_types), joined by 、 like the investors; 存在问题 from
/// `problems` (the open problems' titles, `Scoped::ledger_problems`).
pub fn export_row(p: &Project, types: &HashMap<i64, &'static str>, problems: &HashMap<i64, String>) -> ExportRow {
    use domain::reference::{Entry, channel, industry, region};
    use ledger::Field as F;
    let name_of = |e: Option<&Entry>, code: &str| e.map_or_else(|| code.to_string(), |e| e.name.clone());
    let text = |t: &Option<String>| t.clone().unwrap_or_default().into();
    ExportRow::from_fn(|f| match f {
        F::Seq => Value::Text(String::new()),
        F::Problem => problems.get(&p.id).cloned().unwrap_or_default().into(),
        F::Code => p.code.as_str().into(),
        F::Name => p.name.as_str().into(),
        F::Unit => p.unit_name.as_str().into(),
        F::Investors => list(&p.investors.iter().map(|i| i.name.as_str()).collect::<Vec<_>>()),
        F::InvestorType => list(&p.investors.iter().filter_map(|i| types.get(&i.id).copied()).collect::<Vec<_>>()),
        F::Region => name_of(region(&p.region), &p.region).into(),
        F::Industry => name_of(industry(&p.industry), &p.industry).into(),
        F::Categories => list(&p.categories.iter().map(|c| c.label()).collect::<Vec<_>>()),
        F::Channel => p.channel.as_deref().map(|c| name_of(channel(c), c)).unwrap_or_default().into(),
        F::TotalInvestment => p.total_investment.into(),
        F::ForeignInvestment => p.foreign_investment.into(),
        F::LandMu => p.land_mu.into(),
        F::Stage => p.stage.label().into(),
        F::SignedOn => p.signed_on.into(),
        F::ApprovedOn => p.approved_on.into(),
        F::StartedOn => p.started_on.into(),
        F::ProducingOn => p.producing_on.into(),
        F::AtCapacityOn => p.at_capacity_on.into(),
        F::ExpectedProducingOn => p.expected_producing_on.into(),
        F::LeadLeader => text(&p.lead_leader),
        F::Progress => text(&p.progress),
        F::Notes => text(&p.notes),
    })
}

/// The filter in words, for the subtitle and the audit record: Chinese labels and names
/// (`项目阶段=已开工，责任单位=金水区`), never codes.
fn describe(q: &BTreeMap<String, String>, tree: &store::units::UnitTree) -> String {
    use domain::fields::PROJECT;
    use domain::reference;
    let name = |e: Option<&reference::Entry>, v: &str| e.map_or_else(|| v.to_string(), |e| e.name.clone());
    let yes_no = |v: &str| if matches!(v, "true" | "1") { "是" } else { "否" }.to_string();
    let mut parts = vec![];
    for (k, v) in q {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        // the filter's keys are the project table's codes (`category` names one of `categories`)
        let (label, value) = match k.as_str() {
            "unit" => (PROJECT.label(k), tree.find(v).map_or_else(|| v.to_string(), |u| u.name.clone())),
            "stage" => {
                (PROJECT.label(k), domain::Stage::parse(v).map_or_else(|| v.to_string(), |s| s.label().to_string()))
            }
            "industry" => (PROJECT.label(k), name(reference::industry(v), v)),
            "region" => (PROJECT.label(k), name(reference::region(v), v)),
            "category" => (
                PROJECT.label("categories"),
                domain::Category::parse(v).map_or_else(|| v.to_string(), |c| c.label().to_string()),
            ),
            "city_reportable" => ("市级统计", yes_no(v)),
            "key_project" => ("重点项目", yes_no(v)),
            "q" => ("关键词", v.to_string()),
            _ => continue,
        };
        parts.push(format!("{label}={value}"));
    }
    if parts.is_empty() { "全部".into() } else { parts.join("，") }
}

/// Refuse a caller who has exported or imported too often in the last minute.
pub fn check_rate(s: &AppState, actor: &Actor) -> Result<(), ApiError> {
    let key = format!("user:{}", actor.username);
    if s.bulk_limiter.blocked(&key) {
        return Err(ApiError::RateLimited);
    }
    s.bulk_limiter.record_failure(&key);
    Ok(())
}

/// The filtered ledger as an .xlsx: (file name, bytes), for a web caller (rate-limited).
pub async fn export(s: &AppState, actor: &Actor, q: &BTreeMap<String, String>) -> Result<(String, Vec<u8>), ApiError> {
    check_rate(s, actor)?;
    export_file(&s.store, actor, q).await
}

/// The filtered ledger as an .xlsx (the CLI calls this directly).
pub async fn export_file(
    store: &store::Store,
    actor: &Actor,
    q: &BTreeMap<String, String>,
) -> Result<(String, Vec<u8>), ApiError> {
    let s = store;
    let mut filter = crate::api::projects::filter_from_query(q)?;
    filter.page = 1;
    let projects = s.scoped(actor).export_projects(&filter).await?;
    let tree = s.unit_tree();
    let owner = match &actor.scope {
        store::Scope::All => tree.all().iter().find(|u| u.parent.is_none()).map(|u| u.name.clone()),
        _ => actor.unit_id.and_then(|u| tree.get(u)).map(|u| u.name.clone()),
    }
    .unwrap_or_default();
    let now = chrono::Utc::now().with_timezone(&domain::SHANGHAI);
    let filter_text = describe(q, &tree);
    let by = store.scoped(actor).display_name().await?;
    let heading = Heading {
        title: format!("{owner}招商引资项目台账"),
        subtitle: format!(
            "筛选条件：{filter_text}    导出时间：{}    导出人：{}    共 {} 个项目",
            now.format("%Y-%m-%d %H:%M"),
            by,
            projects.len()
        ),
    };
    let n = projects.len();
    let ids: Vec<i64> = projects.iter().flat_map(|p| p.investors.iter().map(|i| i.id)).collect();
    let types = store.scoped(actor).investor_types(&ids).await?;
    let problems = store.scoped(actor).ledger_problems(&projects.iter().map(|p| p.id).collect::<Vec<_>>()).await?;
    let rows: Vec<ExportRow> = projects.iter().map(|p| export_row(p, &types, &problems)).collect();
    let bytes = tokio::task::spawn_blocking(move || ledger::export::write_xlsx(&rows, &heading))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    s.scoped(actor).audit_export(&filter_text, n).await?;
    Ok((format!("{owner}招商引资项目台账{}.xlsx", now.format("%Y%m%d")), bytes))
}

/// The download response: the xlsx type and an RFC 6266 file name (UTF-8, percent-encoded).
pub fn download(name: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let disposition = format!("attachment; filename=\"ledger.xlsx\"; filename*=UTF-8''{}", crate::input::encode(name));
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
            (axum::http::header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// One problem in an imported file, as api.md shows it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ImportProblem {
    pub row: u32,
    pub column: String,
    pub value: String,
    pub message: String,
}

impl From<&store::import::ImportError> for ImportProblem {
    fn from(e: &store::import::ImportError) -> Self {
        ImportProblem { row: e.row, column: e.column.clone(), value: e.value.clone(), message: e.reason.clone() }
    }
}

impl From<ledger::RowError> for ImportProblem {
    fn from(e: ledger::RowError) -> Self {
        ImportProblem { row: e.row, column: e.column, value: e.value, message: e.reason }
    }
}

/// Errors a report lists (the first ones by row); `error_count` counts them all.
pub const MAX_ERRORS: usize = ledger::row::MAX_ERRORS;

/// What an import did (or, with `dry_run` or any error, would do).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ImportResult {
    pub file: String,
    pub dry_run: bool,
    /// Whether anything was written.
    pub committed: bool,
    /// Rows read as projects.
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub created_rows: Vec<u32>,
    pub updated_rows: Vec<u32>,
    /// The first [`MAX_ERRORS`] errors, by row.
    pub errors: Vec<ImportProblem>,
    /// How many errors there are in all.
    pub error_count: usize,
    /// Whether `errors` lists fewer than `error_count`.
    pub errors_truncated: bool,
    /// The first rows that create or update a project, each with the fields it changes
    /// (label, before → after), capped like `errors`; `created_rows`/`updated_rows` list all.
    pub plans: Vec<store::import::RowPlan>,
    /// Whether `plans` lists fewer than `created + updated`.
    pub plans_truncated: bool,
    /// What is imported but worth a look (the first ones by row): a 包联领导 that matches no
    /// leader of the register is kept as text. Warnings do not stop an import.
    pub warnings: Vec<ImportProblem>,
    pub warning_count: usize,
    pub unknown_columns: Vec<String>,
    pub skipped_rows: Vec<u32>,
    pub header_row: u32,
}

/// Imports running at once, server-wide: each holds its file, its sheet and its rows in
/// memory, so their number bounds the memory imports can take.
pub const CONCURRENT_IMPORTS: usize = 2;
static IMPORTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(CONCURRENT_IMPORTS);
/// How long an import waits for a turn before it is answered 429.
const IMPORT_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// A ledger file to import: its name, its bytes, and whether only to try it (dry run).
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: Vec<u8>,
    pub dry_run: bool,
}

/// Import a ledger file for a web caller (rate-limited per user; at most
/// [`CONCURRENT_IMPORTS`] at once, the next waits up to 5 s, then 429).
pub async fn import(
    s: &AppState,
    actor: &Actor,
    file_name: &str,
    bytes: Vec<u8>,
    dry_run: bool,
) -> Result<ImportResult, ApiError> {
    check_rate(s, actor)?;
    let _turn = match tokio::time::timeout(IMPORT_WAIT, IMPORTS.acquire()).await {
        Ok(Ok(permit)) => permit,
        _ => return Err(ApiError::RateLimited),
    };
    import_file(&s.store, actor, Upload { file_name, bytes, dry_run }).await
}

/// Read, parse and apply a ledger file: the first errors of every row in one report; any
/// error and nothing is written (the rows without errors are still tried in a rolled-back
/// run, so the report also shows what they would do and what the database refuses).
/// Every outcome is audited: a committed import inside its own transaction, a dry run or a
/// refused file (errors in rows, not a spreadsheet, a zip bomb, …) in a record of its own.
pub async fn import_file(store: &store::Store, actor: &Actor, upload: Upload<'_>) -> Result<ImportResult, ApiError> {
    if !domain::access::has_permission(&actor.roles, domain::Permission::ProjectWrite) {
        return Err(ApiError::Forbidden);
    }
    let (file_name, dry_run) = (upload.file_name, upload.dry_run);
    let outcome = run_import(store, actor, upload).await;
    match &outcome {
        Ok(r) if r.committed => {}
        Ok(r) => {
            let summary = serde_json::json!({
                "file": file_name,
                "outcome": if r.error_count == 0 { "dry_run" } else { "rejected" },
                "dry_run": dry_run,
                "rows": r.rows,
                "created": r.created,
                "updated": r.updated,
                "unchanged": r.unchanged,
                "errors": r.error_count,
            });
            store.scoped(actor).audit_import(summary, r.error_count == 0).await?;
        }
        Err(ApiError::Validation(fields)) => audit_refusal(store, actor, file_name, dry_run, fields).await?,
        Err(_) => {}
    }
    outcome
}

/// The audit record of a file refused as a whole (422: not a spreadsheet, encrypted, a zip
/// bomb, too large, no header…): which file and why.
pub async fn audit_refusal(
    store: &store::Store,
    actor: &Actor,
    file_name: &str,
    dry_run: bool,
    why: &BTreeMap<String, String>,
) -> Result<(), ApiError> {
    let reason = why.values().cloned().collect::<Vec<_>>().join("；");
    let summary = serde_json::json!({"file": file_name, "outcome": "rejected", "dry_run": dry_run, "reason": reason});
    Ok(store.scoped(actor).audit_import(summary, false).await?)
}

/// The audit record of an upload cut off at the body limit (over 20 MiB).
pub async fn audit_too_large(
    store: &store::Store,
    actor: &Actor,
    file_name: &str,
    dry_run: bool,
) -> Result<(), ApiError> {
    let why = BTreeMap::from([("file".to_string(), "文件过大（上限 20 MiB）".to_string())]);
    audit_refusal(store, actor, file_name, dry_run, &why).await
}

async fn run_import(store: &store::Store, actor: &Actor, upload: Upload<'_>) -> Result<ImportResult, ApiError> {
    let Upload { file_name, bytes, dry_run } = upload;
    let tree = store.unit_tree();
    let allowed: Option<Vec<String>> = match &actor.scope {
        store::Scope::All => None,
        store::Scope::Units(ids) => Some(ids.iter().filter_map(|i| tree.get(*i)).map(|u| u.code.clone()).collect()),
        _ => return Err(ApiError::Forbidden),
    };
    let name = file_name.to_string();
    let started = std::time::Instant::now();
    let parsed = tokio::task::spawn_blocking(move || {
        let sheet = ledger::read(&bytes, &name, &ledger::Limits::default()).map_err(|e| e.to_string())?;
        drop(bytes);
        let read_ms = started.elapsed().as_millis();
        let parsed = ledger::parse(&sheet, allowed.as_deref()).map_err(|e| e.to_string())?;
        tracing::info!(
            read_ms,
            parse_ms = started.elapsed().as_millis() - read_ms,
            rows = parsed.data_rows,
            "ledger file read"
        );
        Ok::<_, String>(parsed)
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
    .map_err(|m| ApiError::field("file", m))?;
    let rows = parsed.data_rows;
    let parse_errors = parsed.error_count;
    let mut errors: Vec<ImportProblem> = parsed.errors.into_iter().map(ImportProblem::from).collect();
    let import_rows: Vec<store::import::ImportRow> = parsed.rows;
    let applying = std::time::Instant::now();
    let report = store.scoped(actor).import_projects(import_rows, dry_run || parse_errors > 0).await?;
    tracing::info!(store_ms = applying.elapsed().as_millis(), committed = report.committed, "ledger rows applied");
    errors.extend(report.errors.iter().map(ImportProblem::from));
    // both lists hold their first errors by row: merged, their first MAX_ERRORS are the file's
    errors.sort_by_key(|e| e.row);
    errors.truncate(MAX_ERRORS);
    let error_count = parse_errors + report.error_count;
    Ok(ImportResult {
        file: file_name.to_string(),
        dry_run,
        committed: report.committed && error_count == 0,
        rows,
        created: report.created.len(),
        updated: report.updated.len(),
        unchanged: report.unchanged.len(),
        plans_truncated: report.plans.len() < report.created.len() + report.updated.len(),
        plans: report.plans,
        warnings: report.warnings.iter().map(ImportProblem::from).collect(),
        warning_count: report.warning_count,
        created_rows: report.created,
        updated_rows: report.updated,
        errors_truncated: error_count > errors.len(),
        errors,
        error_count,
        unknown_columns: parsed.unknown_columns,
        skipped_rows: parsed.skipped,
        header_row: parsed.header_row,
    })
}

/// The blank template (api.md): the header row and nothing else.
pub fn template() -> Result<Vec<u8>, ApiError> {
    let heading = Heading {
        title: "招商引资项目台账".into(),
        subtitle: "填报说明：项目编号留空表示新项目；金额单位为万元（利用外资为万美元）；日期写作 2025-03-01。".into(),
    };
    ledger::export::write_xlsx(&[], &heading).map_err(|e| ApiError::Internal(e.to_string()))
}
