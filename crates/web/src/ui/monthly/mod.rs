//! 月报 (`/monthly`): the city sees which assessed units confirmed a month and which are
//! late; a unit confirms its month; the month's 本月新增/推进/终止 per unit, also as Excel.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use domain::{Month, Permission};
use store::monthly::{MonthlyStatus, UnitChanges};

use super::{Chrome, Page, PageForm, UiError, UiResult, render_status, see_other};
use crate::auth::perm;
use crate::input::QueryMap;

#[derive(Template)]
#[template(path = "monthly/page.html")]
struct MonthlyPage {
    chrome: Chrome,
    month: String,
    prev: String,
    next: String,
    rows: Vec<MonthlyStatus>,
    confirmed: usize,
    late: usize,
    /// The caller's own unit, when it may confirm and has not yet.
    confirm_unit: Option<(String, String)>,
    changes: Vec<UnitChanges>,
    message: String,
    done: bool,
}

impl MonthlyPage {
    /// When a unit confirmed, in Shanghai time (blank when not yet).
    fn at(&self, r: &MonthlyStatus) -> String {
        r.confirmed_at
            .map(|t| t.with_timezone(&domain::SHANGHAI).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    }
}

/// `?month=YYYY-MM`, the last month by default.
fn month_of(q: &BTreeMap<String, String>) -> Result<Month, UiError> {
    match q.get("month").map(|m| m.trim()).filter(|m| !m.is_empty()) {
        None => Ok(Month::of(domain::today_shanghai()).prev()),
        Some(m) => Month::parse(m).ok_or_else(|| {
            UiError::from(crate::error::ApiError::field("month", domain::monthly::MonthError.to_string()))
        }),
    }
}

async fn show<P: crate::auth::Perm>(
    page: &Page<P>,
    month: Month,
    message: String,
    status: StatusCode,
    done: bool,
) -> UiResult<Response> {
    let scoped = page.store();
    let rows = scoped.monthly_reports(month, domain::today_shanghai()).await?;
    let confirm_unit = if page.can(Permission::MonthlyConfirm) {
        rows.iter()
            .find(|r| Some(r.unit_id) == page.actor.unit_id && r.confirmed_at.is_none())
            .map(|r| (r.unit.clone(), r.unit_name.clone()))
    } else {
        None
    };
    let p = MonthlyPage {
        chrome: page.chrome("/monthly"),
        month: month.to_string(),
        prev: month.prev().to_string(),
        next: month.next().to_string(),
        confirmed: rows.iter().filter(|r| r.confirmed_at.is_some()).count(),
        late: rows.iter().filter(|r| r.late).count(),
        rows,
        confirm_unit,
        changes: scoped.monthly_changes(month).await?,
        message,
        done,
    };
    render_status(status, &p)
}

pub async fn page(page: Page<perm::MonthlyRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let month = month_of(&q)?;
    show(&page, month, String::new(), StatusCode::OK, q.contains_key("done")).await
}

pub async fn confirm(f: PageForm<perm::MonthlyConfirm>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let Some(month) = Month::parse(form.get("month").trim()) else {
        return Err(crate::error::ApiError::field("month", domain::monthly::MonthError.to_string()).into());
    };
    let unit = form.get("unit").trim().to_string();
    match page.store().confirm_month(unit, month, domain::today_shanghai()).await {
        Ok(_) => Ok(see_other(&format!("/monthly?month={month}&done=1"))),
        Err(store::StoreError::Conflict(m)) => show(&page, month, m, StatusCode::CONFLICT, false).await,
        Err(store::StoreError::Validation(f)) => {
            let m = f.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join("；");
            show(&page, month, m, StatusCode::UNPROCESSABLE_ENTITY, false).await
        }
        Err(e) => Err(e.into()),
    }
}

/// 本月新增/推进/终止 per unit as a workbook (every cell text or a count).
pub async fn export(page: Page<perm::MonthlyRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let month = month_of(&q)?;
    let changes = page.store().monthly_changes(month).await?;
    let bytes = xlsx(month, &changes).map_err(|e| UiError::Internal(format!("monthly export: {e}")))?;
    Ok(crate::ledger::download(&format!("月度变化_{month}.xlsx"), bytes))
}

fn xlsx(month: Month, rows: &[UnitChanges]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("月度变化")?;
    sheet.write_string(0, 0, format!("{month} 各单位项目月度变化"))?;
    for (c, h) in ["单位", "本月新增", "本月推进", "本月终止"].iter().enumerate() {
        sheet.write_string(1, c as u16, *h)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 2;
        sheet.write_string(row, 0, ledger::export::fit(&r.unit_name))?;
        for (c, n) in [r.added, r.advanced, r.terminated].into_iter().enumerate() {
            sheet.write_number(row, c as u16 + 1, n as f64)?;
        }
    }
    sheet.set_column_width(0, 24)?;
    book.save_to_buffer()
}
