//! 考核评价 (`/assessment`; assessment.md): the city chooses or edits a scheme in a TOML editor
//! that validates (校验), saves it as the next version (保存方案), runs it (运行考核: stored,
//! with its hashes), and finds every stored run and two runs compared; each run's ranking
//! table links every number to the records behind it ([`run`]); the manual values and 加减分
//! of a period are entered on [`inputs`]. A unit user reads its results in the published
//! bulletins (a run becomes readable to units once a bulletin publishes it).

pub mod inputs;
pub mod run;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use domain::Permission;
use domain::assessment::{Scheme, UnitRef, defaults};
use store::Scope;
use store::assessment::{RunSummary, SchemeSource, StoredScheme};

use super::{Chrome, Page, PageForm, UiError, UiResult, render_status, see_other};
use crate::auth::{Perm, perm};
use crate::input::QueryMap;

/// A scheme that checked out: what the editor shows under it.
pub struct Checked {
    pub scheme: Scheme,
    pub units: Vec<UnitRef>,
}

#[derive(Template)]
#[template(path = "assessment/page.html")]
struct AssessmentPage {
    chrome: Chrome,
    city_wide: bool,
    may_save: bool,
    may_run: bool,
    text: String,
    /// Where the editor's text came from (方案名 v2, 默认方案…).
    source: String,
    schemes: Vec<StoredScheme>,
    runs: Vec<RunSummary>,
    checked: Option<Checked>,
    problems: Vec<String>,
    message: String,
}

impl AssessmentPage {
    fn when(&self, r: &RunSummary) -> String {
        super::fmt::at(r.created_at)
    }
    fn short(&self, sha: &str) -> String {
        sha.chars().take(12).collect()
    }
}

/// The editor's text: `?scheme=ID` a stored scheme, `?default=business_environment` the
/// 营商环境 scheme, else the annual one.
async fn editor_text<P: Perm>(
    page: &Page<P>,
    q: &std::collections::BTreeMap<String, String>,
) -> UiResult<(String, String)> {
    if let Some(id) = q.get("scheme").and_then(|s| s.parse::<i64>().ok()) {
        let s = page.store().scheme(id).await?;
        return Ok((s.toml, format!("{}（第 {} 版）", s.name, s.version)));
    }
    Ok(match q.get("default").map(String::as_str) {
        Some("business_environment") => (defaults::BUSINESS_ENVIRONMENT.to_string(), "默认方案：营商环境评价".into()),
        _ => (defaults::ANNUAL.to_string(), "默认方案：招商引资工作考核（年度）".into()),
    })
}

async fn show<P: Perm>(
    page: &Page<P>,
    status: StatusCode,
    (text, source): (String, String),
    checked: Option<Checked>,
    problems: Vec<String>,
    message: String,
) -> UiResult<Response> {
    let city_wide = page.actor.scope == Scope::All;
    let (schemes, runs) = if city_wide {
        (page.store().list_schemes().await?, page.store().list_runs(1, 50).await?.0)
    } else {
        (vec![], vec![])
    };
    let p = AssessmentPage {
        chrome: page.chrome("/assessment"),
        city_wide,
        may_save: page.can(Permission::AssessmentManage),
        may_run: city_wide && page.can(Permission::AssessmentRun),
        text,
        source,
        schemes,
        runs,
        checked,
        problems,
        message,
    };
    render_status(status, &p)
}

pub async fn page(page: Page<perm::AssessmentRead>, QueryMap(q): QueryMap) -> UiResult<Response> {
    let text = if page.actor.scope == Scope::All { editor_text(&page, &q).await? } else { Default::default() };
    let message = match q.get("saved") {
        Some(v) => format!("方案已保存为第 {v} 版。"),
        None => String::new(),
    };
    show(&page, StatusCode::OK, text, None, vec![], message).await
}

/// The problems of a refused scheme, one a line.
fn problems_of(e: store::StoreError) -> Result<Vec<String>, UiError> {
    match e {
        store::StoreError::Validation(f) => Ok(f.into_iter().map(|f| f.message).collect()),
        other => Err(other.into()),
    }
}

/// 校验: the scheme checked, its indicators and units shown, or every problem.
pub async fn check(f: PageForm<perm::AssessmentRead>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let text = form.get("toml").to_string();
    let source = "编辑中的方案".to_string();
    match page.store().check_scheme(&text) {
        Ok((scheme, units)) => {
            let checked = Some(Checked { scheme, units });
            show(&page, StatusCode::OK, (text, source), checked, vec![], "方案校验通过。".into()).await
        }
        Err(e) => {
            let problems = problems_of(e)?;
            show(&page, StatusCode::UNPROCESSABLE_ENTITY, (text, source), None, problems, String::new()).await
        }
    }
}

/// 保存方案: the next version of its name.
pub async fn save(f: PageForm<perm::AssessmentManage>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let text = form.get("toml").to_string();
    match page.store().save_scheme(&text).await {
        Ok(s) => Ok(see_other(&format!("/assessment?scheme={}&saved={}", s.id, s.version))),
        Err(e) => {
            let problems = problems_of(e)?;
            let source = "编辑中的方案".to_string();
            show(&page, StatusCode::UNPROCESSABLE_ENTITY, (text, source), None, problems, String::new()).await
        }
    }
}

/// 运行考核: the editor's text (or a stored scheme's `scheme_id`) run and stored; to its ranking.
pub async fn run_scheme(f: PageForm<perm::AssessmentRun>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let text = form.get("toml").to_string();
    let source = match form.get("scheme_id").parse::<i64>() {
        Ok(id) => SchemeSource::Stored(id),
        Err(_) => SchemeSource::Text(text.clone()),
    };
    match page.store().store_run(source, None).await {
        Ok(r) => Ok(see_other(&format!("/assessment/runs/{}", r.id))),
        Err(e) => {
            let problems = problems_of(e)?;
            let source = "编辑中的方案".to_string();
            show(&page, StatusCode::UNPROCESSABLE_ENTITY, (text, source), None, problems, String::new()).await
        }
    }
}
