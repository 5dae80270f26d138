//! 榜单导入 (city_admin): a published list (世界500强, 中国500强, 中国民营企业500强) as .xlsx or
//! .csv, its list and year → the report: how many rows matched a company of the library, how
//! many companies were registered, how many ranks changed, and the rows whose name fits more
//! than one company (nothing written for them). A bad row refuses the whole list, each error
//! shown by row and column. The same form reader and import as the API's.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use domain::ranking::RankingList;

use crate::api::companies::{RankingForm, RankingImportResult, import_rankings};
use crate::auth::perm;
use crate::error::ApiError;
use crate::ui::widgets::Opt;
use crate::ui::{Chrome, Page, PageUpload, UiError, UiResult, render_status};

/// An ambiguous row with its candidates' names.
struct AmbiguousRow {
    row: u32,
    name: String,
    candidates: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "company/rankings_import.html")]
struct ImportPage {
    chrome: Chrome,
    lists: Vec<Opt>,
    year: String,
    max_year: i32,
    result: Option<RankingImportResult>,
    list_label: String,
    ambiguous: Vec<AmbiguousRow>,
    /// (where, message): a field of the form, or a row's cell; in row order.
    errors: Vec<(String, String)>,
}

fn page(chrome: Chrome, list: &str, year: &str) -> ImportPage {
    let this_year = chrono::Datelike::year(&domain::today_shanghai());
    ImportPage {
        chrome,
        lists: RankingList::ALL
            .iter()
            .map(|l| Opt { value: l.code().into(), label: l.label().into(), selected: l.code() == list })
            .collect(),
        year: if year.is_empty() { (this_year - 1).to_string() } else { year.to_string() },
        max_year: this_year,
        result: None,
        list_label: String::new(),
        ambiguous: vec![],
        errors: vec![],
    }
}

pub async fn form(p: Page<perm::RankingImport>) -> UiResult<Response> {
    render_status(StatusCode::OK, &page(p.chrome("/companies"), "", ""))
}

/// The row a 422 key names (`rows[12].rank` → 12); a form field sorts first.
fn row_of(key: &str) -> u32 {
    key.strip_prefix("rows[").and_then(|k| k.split(']').next()).and_then(|n| n.parse().ok()).unwrap_or(0)
}

fn where_of(key: &str) -> String {
    match key {
        "file" => "文件".into(),
        "list" => "榜单".into(),
        "year" => "榜单年份".into(),
        k if k.starts_with("rows[") => format!("第 {} 行", row_of(k)),
        k => k.into(),
    }
}

/// The upload: CSRF first (a multipart field), then the import.
pub async fn import(mut up: PageUpload<perm::RankingImport>) -> UiResult<Response> {
    let read = RankingForm::read(&up.page.state, &up.page.actor, &mut up.form).await;
    let form = match read {
        Ok(f) => f,
        Err(ApiError::TooLarge) => {
            return Err(UiError::Message(StatusCode::PAYLOAD_TOO_LARGE, "文件过大（上限 5 MiB）".into()));
        }
        Err(e) => return Err(e.into()),
    };
    up.check_csrf(&form.csrf)?;
    let p = up.page;
    let mut v = page(p.chrome("/companies"), form.list.trim(), form.year.trim());
    match import_rankings(&p.state, &p.actor, form).await {
        Ok(r) => {
            let ids: Vec<i64> = r.ambiguous.iter().flat_map(|a| a.candidates.iter().copied()).collect();
            let names: std::collections::HashMap<i64, String> =
                p.store().companies_by_ids(&ids).await?.into_iter().map(|c| (c.id, c.name)).collect();
            v.ambiguous = r
                .ambiguous
                .iter()
                .map(|a| AmbiguousRow {
                    row: a.row,
                    name: a.name.clone(),
                    candidates: a
                        .candidates
                        .iter()
                        .map(|id| (*id, names.get(id).cloned().unwrap_or_else(|| format!("企业 {id}"))))
                        .collect(),
                })
                .collect();
            v.list_label = RankingList::parse(&r.list).map_or("", RankingList::label).to_string();
            v.result = Some(r);
            render_status(StatusCode::OK, &v)
        }
        Err(ApiError::Validation(f)) => {
            let mut errors: Vec<(u32, String, String)> =
                f.into_iter().map(|(k, m)| (row_of(&k), where_of(&k), m)).collect();
            errors.sort_by_key(|e| e.0);
            v.errors = errors.into_iter().map(|(_, w, m)| (w, m)).collect();
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &v)
        }
        Err(e) => Err(e.into()),
    }
}
