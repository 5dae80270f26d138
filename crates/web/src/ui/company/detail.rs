//! A company's page: its facts and current ranks, its ranking history by year, and — each
//! within the caller's scope — the projects that name it, the targets that court it, the
//! 招商活动 that met it (the same scoped list as /activities), and its contacts (phones masked for those who may not read them), with a 新增联系人 form for those
//! who may write the library.

use std::collections::BTreeMap;

use askama::Template;
use axum::response::Response;
use domain::Permission;
use domain::ranking::RankingList;
use domain::target::TargetStatus;
use serde_json::json;
use store::Scope;
use store::companies::{Company, Ranking};
use store::targets::TargetFilter;

use crate::api::contacts::ContactBody;
use crate::auth::perm;
use crate::input::{Id, QueryMap};
use crate::ui::activities::Row as ActivityRow;
use crate::ui::agreements::forms_support::{respond, submit, text};
use crate::ui::project::{Fact, industry_name, marks, region_name, stage_class};
use crate::ui::{Chrome, Page, PageForm, UiResult, fmt, render};

#[derive(Debug, Clone)]
struct ProjectRow {
    id: i64,
    code: String,
    name: String,
    unit: String,
    stage: String,
    stage_class: &'static str,
    total_investment: String,
    signed_on: String,
}

#[derive(Debug, Clone)]
struct RankingRow {
    year: i32,
    list: String,
    rank: i32,
    revenue: String,
    country: String,
}

#[derive(Debug, Clone)]
struct TargetRow {
    id: i64,
    unit: String,
    status: &'static str,
    next: String,
    overdue: String,
}

#[derive(Debug, Clone)]
struct ContactRow {
    name: String,
    position: String,
    phone: String,
    masked: bool,
    unit: String,
}

#[derive(Template)]
#[template(path = "company/detail.html")]
struct DetailPage {
    chrome: Chrome,
    id: i64,
    name: String,
    marks: Vec<String>,
    facts: Vec<Fact>,
    /// Shown as a link only when it is an http(s) address.
    website: String,
    website_link: bool,
    notes: String,
    projects: Vec<ProjectRow>,
    project_total: String,
    more: bool,
    scope_note: &'static str,
    rankings: Vec<RankingRow>,
    /// None: the caller may not read the 靶向库 (a department, the administrators).
    targets: Option<Vec<TargetRow>>,
    target_note: &'static str,
    /// None: the caller does not read activities (a department, the administrators).
    activities: Option<Vec<ActivityRow>>,
    activity_total: String,
    activity_more: bool,
    activity_note: &'static str,
    contacts: Vec<ContactRow>,
    can_add_contact: bool,
    errors: BTreeMap<String, String>,
    form: BTreeMap<String, String>,
    notice: &'static str,
}

crate::ui::widgets::form_helpers!(DetailPage { f: domain::fields::CONTACT, fv: self.form });

/// `第 12 位（2024 年榜单）`: the latest year of the list in the history, else the company's
/// own column with its `rank_year`.
fn rank(history: &[Ranking], list: RankingList, column: Option<i32>, year: Option<i32>) -> String {
    if let Some(r) = history.iter().find(|r| r.list == list.code()) {
        return format!("第 {} 位（{} 年榜单）", r.rank, r.year);
    }
    match (column, year) {
        (Some(r), Some(y)) => format!("第 {r} 位（{y} 年榜单）"),
        (Some(r), None) => format!("第 {r} 位"),
        _ => "—".into(),
    }
}

fn facts(c: &Company, history: &[Ranking]) -> Vec<Fact> {
    let or_dash = |v: Option<String>| v.filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "—".into());
    vec![
        Fact { label: "统一社会信用代码", value: or_dash(c.credit_code.clone()) },
        Fact { label: "国别", value: or_dash(Some(c.country.clone())) },
        Fact { label: "来源地", value: or_dash(c.region.as_deref().map(region_name)) },
        Fact { label: "总部所在地", value: or_dash(c.hq_city.clone()) },
        Fact { label: "产业类别", value: or_dash(c.industry.as_deref().map(industry_name)) },
        Fact {
            label: "世界500强",
            value: rank(history, RankingList::FortuneGlobal500, c.fortune_global_500_rank, c.rank_year),
        },
        Fact { label: "中国500强", value: rank(history, RankingList::China500, c.china_500_rank, c.rank_year) },
        Fact {
            label: "中国民营企业500强",
            value: rank(history, RankingList::ChinaPrivate500, c.china_private_500_rank, c.rank_year),
        },
        Fact {
            label: "台账填报类型",
            value: c.declared_type.as_deref().map(|t| format!("{t}（单位填报，待核实）")).unwrap_or_else(|| "—".into()),
        },
        Fact {
            label: "行业龙头",
            value: if c.industry_leader {
                match c.leader_reason.as_deref().filter(|r| !r.trim().is_empty()) {
                    Some(r) => format!("是（{r}）"),
                    None => "是".into(),
                }
            } else {
                "否".into()
            },
        },
        Fact { label: "登记时间", value: fmt::at(c.created_at) },
        Fact { label: "最后更新", value: fmt::at(c.updated_at) },
    ]
}

/// The most targets the page lists (a company is courted by a handful of units at most).
const TARGETS_SHOWN: u64 = 100;

/// The most activities the page lists, the latest first.
const ACTIVITIES_SHOWN: u64 = 50;

async fn detail_page(
    page: &Page<perm::CompanyRead>,
    id: i64,
    errors: BTreeMap<String, String>,
    form: BTreeMap<String, String>,
    notice: &'static str,
) -> UiResult<DetailPage> {
    let c = page.store().get_company(id).await?;
    let (items, total) = page.store().company_projects(id).await?;
    let history = page.store().company_rankings(id).await?;
    let website = c.website.clone().unwrap_or_default().trim().to_string();
    let website_link = website.starts_with("https://") || website.starts_with("http://");
    let scope_note = match page.actor.scope {
        Scope::All => "",
        Scope::Department(_) => "仅列出分派了本部门任务的项目。",
        Scope::Units(_) | Scope::Nothing => "仅列出本单位及下级单位的项目；其他单位的项目不在您的数据权限范围内。",
    };
    let projects: Vec<ProjectRow> = items
        .into_iter()
        .map(|p| ProjectRow {
            id: p.id,
            code: p.code,
            name: p.name,
            unit: p.unit_name,
            stage: p.stage.label().to_string(),
            stage_class: stage_class(p.stage),
            total_investment: fmt::money(p.total_investment),
            signed_on: fmt::date_opt(p.signed_on),
        })
        .collect();
    // the targets are unit data: only those of units in the caller's scope
    let may_read_targets = page.can(Permission::TargetRead) && !matches!(page.actor.scope, Scope::Department(_));
    let targets = if may_read_targets {
        let f = TargetFilter { company_id: Some(id), per_page: TARGETS_SHOWN, ..Default::default() };
        let list = page.store().list_targets(&f).await?;
        Some(
            list.items
                .iter()
                .map(|t| TargetRow {
                    id: t.id,
                    unit: t.unit_name.clone(),
                    status: TargetStatus::parse(&t.status).map_or("", TargetStatus::label),
                    next: fmt::date_opt(t.next_follow_up_on),
                    overdue: t.follow_up_overdue_days.map(|d| format!("跟进逾期 {d} 天")).unwrap_or_default(),
                })
                .collect(),
        )
    } else {
        None
    };
    let target_note = match page.actor.scope {
        Scope::All => "",
        _ => "仅列出本单位及下级单位的靶向跟踪；其他单位的跟踪不在您的数据权限范围内。",
    };
    // activities are their organising unit's: only those of units in the caller's scope
    let may_read_activities = page.can(Permission::ActivityRead) && !matches!(page.actor.scope, Scope::Department(_));
    let (activities, activity_total) = if may_read_activities {
        let list = page.store().company_activities(id, ACTIVITIES_SHOWN).await?;
        (Some(list.items.iter().map(ActivityRow::from).collect::<Vec<_>>()), list.total)
    } else {
        (None, 0)
    };
    let activity_more = activities.as_ref().is_some_and(|a| (a.len() as u64) < activity_total);
    let activity_note = match page.actor.scope {
        Scope::All => "",
        _ => "仅列出本单位及下级单位组织的招商活动；其他单位的活动不在您的数据权限范围内。",
    };
    let contacts = page
        .store()
        .list_contacts(id)
        .await?
        .into_iter()
        .map(|k| ContactRow {
            name: k.name,
            position: k.position.unwrap_or_default(),
            phone: k.phone.unwrap_or_default(),
            masked: k.phone_masked,
            unit: k.unit_name.unwrap_or_else(|| "市级".into()),
        })
        .collect();
    let rankings = history
        .iter()
        .map(|r| RankingRow {
            year: r.year,
            list: r.list_label.clone(),
            rank: r.rank,
            revenue: r.revenue.as_ref().map(|v| format!("{v} {}", r.revenue_unit)).unwrap_or_else(|| "—".into()),
            country: r.country.clone().unwrap_or_else(|| "—".into()),
        })
        .collect();
    Ok(DetailPage {
        chrome: page.chrome("/companies"),
        id,
        name: c.name.clone(),
        marks: marks(&c),
        facts: facts(&c, &history),
        website,
        website_link,
        notes: c.notes.clone().unwrap_or_default(),
        more: (projects.len() as u64) < total,
        projects,
        project_total: fmt::count(total),
        scope_note,
        rankings,
        targets,
        target_note,
        activities,
        activity_total: fmt::count(activity_total),
        activity_more,
        activity_note,
        contacts,
        can_add_contact: page.can(Permission::CompanyWrite),
        errors,
        form,
        notice,
    })
}

pub async fn detail(page: Page<perm::CompanyRead>, Id(id): Id, QueryMap(q): QueryMap) -> UiResult<Response> {
    let notice = match q.get("done").map(String::as_str) {
        Some("contact") => "联系人已登记。",
        _ => "",
    };
    render(&detail_page(&page, id, BTreeMap::new(), BTreeMap::new(), notice).await?)
}

/// `POST /companies/{id}/contacts`: the 新增联系人 form, through the API's own body.
pub async fn add_contact(Id(id): Id, f: PageForm<perm::CompanyWrite>) -> UiResult<Response> {
    let PageForm { page, form } = f;
    let body = json!({
        "name": text(&form, "name"),
        "position": text(&form, "position"),
        "phone": text(&form, "phone"),
    });
    let r = submit(body, ContactBody::input, async |new| page.store().add_contact(id, new).await).await;
    respond(
        r,
        "",
        |_| format!("/companies/{id}?done=contact#co-contacts"),
        async |errors| {
            let values =
                ["name", "position", "phone"].iter().map(|k| (k.to_string(), form.get(k).to_string())).collect();
            detail_page(&page.reading::<perm::CompanyRead>()?, id, errors, values, "").await
        },
    )
    .await
}
