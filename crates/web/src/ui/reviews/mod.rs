//! 审核 (domain.md §4): city_admin's queue of units' claims — stages, funds, and projects
//! that became city-reportable with the reason they qualified (filters by unit, kind and age,
//! batch accept, return with a comment); a unit's returned claims with the comment and a
//! form to resubmit them corrected.

use askama::Template;
use axum::http::Uri;
use axum::response::Response;
use domain::Stage;
use domain::review::{ReviewKind, ReviewState};
use store::reviews::{Resubmission, ReviewFilter, ReviewItem};

use crate::AppState;
use crate::api::reviews::filter_from_query;
use crate::auth::perm;
use crate::input::Id;
use crate::ui::widgets::Opt;
use crate::ui::{Chrome, FormData, Page, PageForm, UiError, UiResult, fmt, render, see_other};

/// A refusal, its fields named by the review's table.
fn refused(e: store::StoreError) -> UiError {
    match crate::error::ApiError::from(e) {
        crate::error::ApiError::Validation(f) => UiError::invalid(&domain::fields::REVIEW, &f),
        other => other.into(),
    }
}

struct Row {
    id: i64,
    state: String,
    waiting: bool,
    returned: bool,
    project_id: i64,
    project_name: String,
    unit_name: String,
    what: String,
    date: String,
    submitted_at: String,
    comment: String,
    resubmissions: i32,
    funds: bool,
    /// A city-reportable project (纳入全市库): no date to correct, no evidence files.
    reportable: bool,
    /// The kind's label (阶段申报, 到位资金, 纳入全市库).
    kind: String,
    /// Why it is city-reportable (reportable claims).
    reason: String,
    /// The claim's evidence files: (attachment id, name), shown inline for the reviewer.
    evidence: Vec<(i64, String)>,
}

fn row(i: &ReviewItem) -> Row {
    let kind = ReviewKind::parse(&i.kind);
    let what = match kind {
        Some(ReviewKind::Funds) => format!("到位资金 {} 万元", fmt::money_opt(i.amount)),
        Some(ReviewKind::Reportable) => "纳入全市招商引资信息数据库".to_string(),
        _ => format!("阶段：{}", i.stage.as_deref().and_then(Stage::parse).map(|s| s.label()).unwrap_or("")),
    };
    Row {
        id: i.id,
        state: ReviewState::parse(&i.state).map(|s| s.label()).unwrap_or("").to_string(),
        waiting: i.state == ReviewState::Submitted.code(),
        returned: i.state == ReviewState::Returned.code(),
        project_id: i.project_id,
        project_name: i.project_name.clone(),
        unit_name: i.unit_name.clone(),
        what,
        date: i.date.to_string(),
        submitted_at: fmt::at(i.submitted_at),
        comment: i.comment.clone().unwrap_or_default(),
        resubmissions: i.resubmissions,
        funds: kind == Some(ReviewKind::Funds),
        reportable: kind == Some(ReviewKind::Reportable),
        kind: kind.map(|k| k.label()).unwrap_or("").to_string(),
        reason: i.reason.clone().unwrap_or_default(),
        evidence: i.evidence.iter().map(|e| (e.id, e.name.clone())).collect(),
    }
}

#[derive(Template)]
#[template(path = "reviews/list.html")]
struct ListPage {
    chrome: Chrome,
    decide: bool,
    resubmit: bool,
    state: String,
    /// The kinds the filter offers.
    kinds: Vec<Opt>,
    unit: String,
    older_than_days: String,
    total: u64,
    rows: Vec<Row>,
    done: String,
}

pub async fn list(page: Page<perm::ReviewRead>, uri: Uri) -> UiResult<Response> {
    let query = FormData::parse(uri.query().unwrap_or("").as_bytes());
    let scoped = page.store();
    let decide = scoped.may(domain::Permission::ReviewDecide);
    let mut q: std::collections::BTreeMap<String, String> =
        query.0.iter().filter_map(|(k, v)| Some((k.clone(), v.first()?.clone()))).collect();
    // the city starts at what waits; a unit at what came back
    let default_state = if decide { ReviewState::Submitted } else { ReviewState::Returned };
    q.entry("state".into()).or_insert_with(|| default_state.code().into());
    let f = filter_from_query(&q)?;
    let list = scoped.list_reviews(&f).await?;
    let done = match query.get("done") {
        "accepted" => "已审核通过。",
        "returned" => "已退回单位。",
        "resubmitted" => "已重新提交，等待市级审核。",
        _ => "",
    };
    render(&ListPage {
        chrome: page.chrome("/reviews"),
        decide,
        resubmit: scoped.may(domain::Permission::ReviewSubmit),
        state: q.get("state").cloned().unwrap_or_default(),
        kinds: ReviewKind::ALL
            .iter()
            .map(|k| Opt {
                value: k.code().into(),
                label: k.label().into(),
                selected: q.get("kind").is_some_and(|v| v == k.code()),
            })
            .collect(),
        unit: q.get("unit").cloned().unwrap_or_default(),
        older_than_days: q.get("older_than_days").cloned().unwrap_or_default(),
        total: list.total,
        rows: list.items.iter().map(row).collect(),
        done: done.into(),
    })
}

/// 批量通过: the checked claims, all or none.
pub async fn accept_many(f: PageForm<perm::ReviewDecide>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let ids: Vec<i64> = form.all("ids").iter().filter_map(|v| v.trim().parse().ok()).collect();
    if ids.is_empty() {
        return Err(UiError::Message(axum::http::StatusCode::UNPROCESSABLE_ENTITY, "申报：请至少勾选一条".into()));
    }
    page.store().accept_reviews(ids).await?;
    Ok(see_other("/reviews?done=accepted"))
}

/// 退回 with a comment (the form asks to confirm).
pub async fn return_claim(Id(id): Id, f: PageForm<perm::ReviewDecide>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    if form.get("confirm") != "yes" {
        return Err(UiError::Message(axum::http::StatusCode::UNPROCESSABLE_ENTITY, "请勾选“确认退回”".into()));
    }
    page.store().return_review(id, form.get("comment").to_string()).await.map_err(refused)?;
    Ok(see_other("/reviews?done=returned"))
}

/// 重新提交: the unit's corrections of a returned claim.
pub async fn resubmit(Id(id): Id, f: PageForm<perm::ReviewSubmit>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let invalid = |m: &str| UiError::Message(axum::http::StatusCode::UNPROCESSABLE_ENTITY, m.into());
    let date = match form.get("date").trim() {
        "" => None,
        d => Some(crate::input::parse_date(d).ok_or_else(|| invalid("日期：格式应为 YYYY-MM-DD"))?),
    };
    let amount = match form.get("amount").trim() {
        "" => None,
        a => Some(domain::Money::parse(a).map_err(|e| invalid(&format!("金额(万元)：{e}")))?),
    };
    let note = Some(form.get("note").trim().to_string()).filter(|n| !n.is_empty());
    let fix = Resubmission { date, amount, note };
    page.store().resubmit_review(id, fix).await.map_err(refused)?;
    Ok(see_other("/reviews?state=returned&done=resubmitted"))
}

/// 工作台's 待办 for a reviewer: how many claims wait (`None` for who does not review).
/// The 工作台's 待办 line for claims: the city's claims waiting for review, or a unit's claims
/// the city returned (to fix and resubmit). `None` for whoever does neither.
pub struct ReviewTodo {
    pub count: u64,
    pub href: &'static str,
    /// "条单位申报等待审核" / "条申报被退回，待修改后重新提交"
    pub what: &'static str,
    /// Shown when the count is 0.
    pub none: &'static str,
}

pub async fn todo(s: &AppState, actor: &store::Actor) -> UiResult<Option<ReviewTodo>> {
    let scoped = s.store.scoped(actor);
    if scoped.may(domain::Permission::ReviewDecide) {
        return Ok(Some(ReviewTodo {
            count: scoped.count_waiting_reviews().await?,
            href: "/reviews?state=submitted",
            what: "条单位申报等待审核",
            none: "没有等待审核的申报",
        }));
    }
    if scoped.may(domain::Permission::ReviewSubmit) && matches!(actor.scope, store::Scope::Units(_)) {
        let returned = ReviewFilter { state: Some(ReviewState::Returned), ..Default::default() };
        return Ok(Some(ReviewTodo {
            count: scoped.list_reviews(&returned).await?.total,
            href: "/reviews?state=returned",
            what: "条申报被市级退回，待修改后重新提交",
            none: "没有被退回的申报",
        }));
    }
    Ok(None)
}

/// The project page's note of the unit's claimed stage beside the accepted one.
pub struct ClaimNote {
    /// "单位申报：已签约（审核中）"; empty when the stages agree.
    pub text: String,
    /// Where the claim is decided or resubmitted, for who may open the queue.
    pub link: Option<&'static str>,
}

/// The note for `p`, linked to the queue when `may_read` (the city decides there, the unit
/// finds its returned claims there).
pub fn claimed_beside(p: &store::projects::Project, may_read: bool) -> ClaimNote {
    if p.stage == p.accepted_stage {
        return ClaimNote { text: String::new(), link: None };
    }
    let state = ReviewState::parse(&p.review_state).filter(|s| *s != ReviewState::None);
    let text = match state {
        Some(s) => format!("单位申报：{}（{}）", p.stage.label(), s.label()),
        None => format!("单位申报：{}", p.stage.label()),
    };
    let link = match state {
        Some(ReviewState::Returned) => Some("/reviews?state=returned"),
        Some(_) => Some("/reviews?state=submitted"),
        None => None,
    };
    ClaimNote { text, link: link.filter(|_| may_read) }
}
