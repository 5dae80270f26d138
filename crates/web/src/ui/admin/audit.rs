//! 审计日志 and 登录日志 (auditor only, security.md §8–10): the records with their Chinese
//! labels, filters by time, user and action, an .xlsx export (audited, rate-limited like
//! the ledger's), and the chain check, incremental from the last verified record.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use store::audit::AuditFilter;
use store::entity::audit_record;

use super::super::companies::{Pager, pager};
use super::super::projects::Opt;
use super::super::{Chrome, Page, UiError, UiResult, fmt, render};
use crate::AppState;
use crate::auth::perm;
use crate::input::QueryMap;

const LOG_PER_PAGE: u64 = 50;
/// The highest page number these pages take (a bigger one is refused with 422).
pub const MAX_PAGE: u64 = 100_000;

/// The audit actions by their Chinese names, in the order the filter offers them:
/// `domain::AuditAction`'s one code↔label table.
const ACTIONS: &[(&str, &str)] = &domain::AuditAction::TABLE;

/// The Chinese name of an audit action (the code itself when unknown).
pub fn action_label(code: &str) -> &str {
    domain::AuditAction::label_of(code)
}

fn entity_label(e: &str) -> &str {
    match e {
        "user" => "用户",
        "session" => "会话",
        "company" => "企业",
        "project" => "项目",
        "funds_entry" => "到位资金",
        "unit" => "单位",
        "request" => "请求",
        "audit_log" => "审计日志",
        other => other,
    }
}

fn result_label(r: &str) -> (&'static str, &'static str) {
    match r {
        "ok" => ("成功", "st-done"),
        "denied" => ("拒绝", "st-stop"),
        _ => ("其他", "st-hold"),
    }
}

/// A page number from the query: 1 when absent, 422 naming the field when out of range.
pub fn page_param(q: &BTreeMap<String, String>) -> UiResult<u64> {
    match q.get("page").map(|p| p.trim()).filter(|p| !p.is_empty()) {
        None => Ok(1),
        Some(p) => p.parse::<u64>().ok().filter(|n| (1..=MAX_PAGE).contains(n)).ok_or_else(|| {
            UiError::Message(StatusCode::UNPROCESSABLE_ENTITY, format!("页码：须为 1 至 {MAX_PAGE} 之间的整数"))
        }),
    }
}

/// A date of the filter (Beijing time), or 422 naming the field.
fn date_param(q: &BTreeMap<String, String>, key: &str, label: &str) -> UiResult<Option<NaiveDate>> {
    match q.get(key).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d").map(Some).map_err(|_| {
            UiError::Message(StatusCode::UNPROCESSABLE_ENTITY, format!("{label}：日期格式应为 2026-01-31"))
        }),
    }
}

fn start_of(d: NaiveDate) -> Option<DateTime<Utc>> {
    d.and_hms_opt(0, 0, 0)?.and_local_timezone(domain::SHANGHAI).single().map(|t| t.with_timezone(&Utc))
}

/// The filter of the page and the export, its words (for the export's audit record) and
/// its query string (for the pager and the export link).
struct Filters {
    filter: AuditFilter,
    v: BTreeMap<String, String>,
    words: String,
    query: String,
}

fn filters(q: &BTreeMap<String, String>) -> UiResult<Filters> {
    let from = date_param(q, "from", "起始日期")?;
    let to = date_param(q, "to", "截止日期")?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(UiError::Message(StatusCode::UNPROCESSABLE_ENTITY, "截止日期：不能早于起始日期".into()));
    }
    let text = |k: &str| q.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let (user, action) = (text("user"), text("action"));
    if user.as_ref().is_some_and(|u| u.chars().count() > 64) {
        return Err(UiError::Message(StatusCode::UNPROCESSABLE_ENTITY, "用户：不超过64个字符".into()));
    }
    if let Some(a) = &action
        && !ACTIONS.iter().any(|(c, _)| c == a)
    {
        return Err(UiError::Message(StatusCode::UNPROCESSABLE_ENTITY, "操作：不是已知的操作".into()));
    }
    let filter = AuditFilter {
        from: from.and_then(start_of),
        to: to.and_then(|t| t.succ_opt()).and_then(start_of),
        username: user.clone(),
        action: action.clone(),
    };
    let mut v = BTreeMap::new();
    let mut words = vec![];
    for (key, label, value) in [
        ("from", "起始日期", from.map(|d| d.to_string())),
        ("to", "截止日期", to.map(|d| d.to_string())),
        ("user", "用户", user),
        ("action", "操作", action.as_deref().map(|a| action_label(a).to_string())),
    ] {
        if let Some(val) = value {
            words.push(format!("{label}={val}"));
            let raw = q.get(key).map(|s| s.trim().to_string()).unwrap_or_default();
            v.insert(key.to_string(), raw);
        }
    }
    let query = v.iter().map(|(k, x)| format!("{k}={}", crate::input::encode(x))).collect::<Vec<_>>().join("&");
    let words = if words.is_empty() { "全部".to_string() } else { words.join("，") };
    Ok(Filters { filter, v, words, query })
}

#[derive(Debug, Clone)]
struct AuditRow {
    at: String,
    user: String,
    address: String,
    request_id: String,
    action: String,
    entity: String,
    result: &'static str,
    result_class: &'static str,
}

/// The records as rows: labels in Chinese, a project by its code and name.
async fn rows(s: &AppState, actor: &store::Actor, items: Vec<audit_record::Model>) -> UiResult<Vec<AuditRow>> {
    let ids: Vec<i64> =
        items.iter().filter(|r| r.entity == "project").filter_map(|r| r.entity_id.as_deref()?.parse().ok()).collect();
    let projects = s.store.scoped(actor).audit_project_labels(&ids).await?;
    Ok(items
        .into_iter()
        .map(|r| {
            let (result, result_class) = result_label(&r.result);
            let project = r.entity_id.as_deref().and_then(|id| id.parse::<i64>().ok()).and_then(|id| projects.get(&id));
            let entity = match (r.entity.as_str(), r.entity_id, project) {
                ("project", _, Some((code, name))) => format!("项目 {code} {name}"),
                ("request", Some(what), _) => format!("请求 {what}"),
                (e, Some(id), _) => format!("{} #{id}", entity_label(e)),
                (e, None, _) => entity_label(e).to_string(),
            };
            AuditRow {
                at: fmt::at(r.at),
                user: r.username.unwrap_or_else(|| "—".into()),
                address: r.address.unwrap_or_default(),
                request_id: r.request_id.unwrap_or_default(),
                action: action_label(&r.action).to_string(),
                entity,
                result,
                result_class,
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    chrome: Chrome,
    chain_ok: bool,
    chain_text: String,
    /// The chain was checked only from the last verified record.
    incremental: bool,
    rows: Vec<AuditRow>,
    pager: Pager,
    actions: Vec<Opt>,
    v: BTreeMap<String, String>,
    export_href: String,
}

crate::ui::widgets::form_helpers!(AuditPage { val: self.v });

/// Check the chain: from the last verified record, or all of it (`full`).
async fn verify(s: &AppState, full: bool) -> UiResult<(store::audit::Verification, bool)> {
    let from = if full { None } else { s.audit_checkpoint.lock().ok().and_then(|g| g.clone()) };
    let v = s.store.verify_audit_since(from.as_ref()).await?;
    if let Ok(mut g) = s.audit_checkpoint.lock() {
        *g = v.checkpoint.clone();
    }
    Ok((v.clone(), v.hashed < v.records))
}

pub async fn audit(page: Page<perm::AuditRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let n = page_param(&q)?;
    let f = filters(&q)?;
    let (v, incremental) = verify(&page.state, q.get("verify").is_some_and(|x| x == "full")).await?;
    let chain_text = if v.ok {
        format!("审计链完整，共 {} 条记录，未发现删除或篡改。", fmt::count(v.records))
    } else {
        format!(
            "审计链校验未通过：自第 {} 号记录起链条断开（{}）。此前 {} 条记录校验一致。",
            v.broken_at.map(|b| b.to_string()).unwrap_or_else(|| "?".into()),
            v.reason.clone().unwrap_or_default(),
            fmt::count(v.records)
        )
    };
    let (items, total) = page.store().audit_search(&f.filter, n, LOG_PER_PAGE).await?;
    let rows = rows(&page.state, &page.actor, items).await?;
    let pager = pager("/admin/audit", &f.query, n, LOG_PER_PAGE, total, rows.len());
    let chosen = f.v.get("action").cloned().unwrap_or_default();
    let actions = ACTIONS
        .iter()
        .map(|(c, l)| Opt { value: c.to_string(), label: l.to_string(), selected: *c == chosen })
        .collect();
    let export_href = if f.query.is_empty() {
        "/admin/audit/export.xlsx".into()
    } else {
        format!("/admin/audit/export.xlsx?{}", f.query)
    };
    render(&AuditPage {
        chrome: page.chrome("/admin/audit"),
        chain_ok: v.ok,
        chain_text,
        incremental,
        rows,
        pager,
        actions,
        v: f.v,
        export_href,
    })
}

/// The filtered log as an .xlsx: auditor only, audited as `audit.export`, and limited per
/// user like the ledger export (429 beyond it).
pub async fn export(page: Page<perm::AuditRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let f = filters(&q)?;
    crate::ledger::check_rate(&page.state, &page.actor)?;
    let items = page.store().export_audit_log(&f.filter, &f.words).await?;
    let rows = rows(&page.state, &page.actor, items).await?;
    let bytes = xlsx(&rows, &f.words).map_err(|e| UiError::Internal(format!("audit export: {e}")))?;
    let name = format!("审计日志_{}.xlsx", store::now().with_timezone(&domain::SHANGHAI).format("%Y%m%d%H%M"));
    Ok(crate::ledger::download(&name, bytes))
}

/// Every cell written as text (no formula can run), within Excel's cell limit.
fn xlsx(rows: &[AuditRow], words: &str) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    const CELL_MAX: usize = 32_767;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("审计日志")?;
    sheet.write_string(0, 0, format!("审计日志 · 筛选条件：{words}"))?;
    let head = ["时间", "用户", "地址", "请求号", "操作", "对象", "结果"];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string(1, c as u16, *h)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 2;
        let cells = [&r.at, &r.user, &r.address, &r.request_id, &r.action, &r.entity];
        for (c, v) in cells.iter().enumerate() {
            let v: String = v.chars().take(CELL_MAX).collect();
            sheet.write_string(row, c as u16, v)?;
        }
        sheet.write_string(row, 6, r.result)?;
    }
    book.save_to_buffer()
}

// ---------------------------------------------------------------- login log

#[derive(Debug, Clone)]
struct LoginRow {
    at: String,
    username: String,
    address: String,
    success: bool,
    reason: String,
}

#[derive(Template)]
#[template(path = "admin_logins.html")]
struct LoginsPage {
    chrome: Chrome,
    rows: Vec<LoginRow>,
    pager: Pager,
}

pub async fn logins(page: Page<perm::AuditRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let n = page_param(&q)?;
    let (items, total) = page.store().login_page(n, LOG_PER_PAGE).await?;
    let rows: Vec<LoginRow> = items
        .into_iter()
        .map(|r| LoginRow {
            at: fmt::at(r.at),
            username: r.username,
            address: r.address.unwrap_or_default(),
            success: r.success,
            reason: r.reason.unwrap_or_default(),
        })
        .collect();
    let pager = pager("/admin/logins", "", n, LOG_PER_PAGE, total, rows.len());
    render(&LoginsPage { chrome: page.chrome("/admin/logins"), rows, pager })
}
