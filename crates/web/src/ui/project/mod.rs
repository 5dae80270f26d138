//! The project pages, one module per concern: [`list`] (项目台账 and its export), [`detail`]
//! (项目详情 with its tabs, 推进阶段, 到位资金), [`form`] (新建/编辑). This module holds what
//! they share: the choices of the filters and forms and the Chinese names of codes.

pub(crate) mod detail;
mod form;
mod list;
mod timeline;

pub use crate::ui::widgets::{Opt, PageLink};
pub(crate) use detail::again;
pub use detail::{add_funds, add_progress, detail, transition};
pub use form::{create, edit_form, new_form, update};
pub use list::{MAX_PAGE, export, list};

use domain::{Category, Stage};

use crate::AppState;

pub(crate) fn opts(items: impl IntoIterator<Item = (String, String)>, current: &str) -> Vec<Opt> {
    items.into_iter().map(|(value, label)| Opt { selected: value == current, value, label }).collect()
}

/// The units a filter or form may name: the caller's own subtree for a unit user (not the
/// parents the unit tree shows them for context), every unit otherwise.
pub fn unit_opts(s: &AppState, page_actor: &store::Actor, current: &str) -> Vec<Opt> {
    let tree = s.store.unit_tree();
    let mine = |id: i64| match &page_actor.scope {
        store::Scope::Units(ids) => ids.binary_search(&id).is_ok(),
        _ => true,
    };
    // a department sees projects by its tasks, not by unit: a unit filter is refused (403)
    let units: Vec<&store::units::Unit> = match page_actor.scope {
        store::Scope::Department(_) => vec![],
        _ => tree.visible(page_actor),
    };
    opts(
        units.into_iter().filter(|u| u.kind != "department" && mine(u.id)).map(|u| (u.code.clone(), unit_label(u))),
        current,
    )
}

/// Every unit in the actor's scope (every unit for the city), departments and the city itself
/// included: whom a leader or an activity may belong to.
pub fn scope_unit_opts(page: &crate::ui::Page<impl crate::auth::Perm>, current: &str) -> Vec<Opt> {
    let tree = page.state.store.unit_tree();
    let units = tree.all().iter().filter(|u| page.actor.scope.allows_unit(u.id));
    opts(units.map(|u| (u.code.clone(), unit_label(u))), current)
}

/// A unit as a choice names it: the root (the city) marked 全市.
fn unit_label(u: &store::units::Unit) -> String {
    if u.parent.is_some() { u.name.clone() } else { format!("{}（全市）", u.name) }
}

/// A unit user's new record is, as a rule, its own unit's: offered first as `unit` in a
/// form's values, unless something was typed there.
pub fn own_unit_first(s: &AppState, actor: &store::Actor, values: &mut std::collections::BTreeMap<String, String>) {
    let tree = s.store.unit_tree();
    if let (store::Scope::Units(_), Some(u)) = (&actor.scope, actor.unit_id.and_then(|u| tree.get(u))) {
        values.entry("unit".into()).or_insert_with(|| u.code.clone());
    }
}

pub fn industry_opts(current: &str) -> Vec<Opt> {
    opts(
        domain::reference::industries().iter().map(|e| {
            let depth = e.code.matches('.').count() + usize::from(e.parent.is_some());
            (e.code.clone(), format!("{}{}", "　".repeat(depth), e.name))
        }),
        current,
    )
}

pub fn region_opts(current: &str) -> Vec<Opt> {
    opts(domain::reference::regions().iter().map(|e| (e.code.clone(), e.name.clone())), current)
}

pub(crate) fn stage_opts(current: &str) -> Vec<Opt> {
    opts(domain::stage::ALL.iter().map(|s| (s.code().to_string(), s.label().to_string())), current)
}

pub(crate) fn category_opts(current: &str) -> Vec<Opt> {
    opts(Category::ALL.iter().map(|c| (c.code().to_string(), c.label().to_string())), current)
}

pub(crate) fn yes_no(current: &str) -> Vec<Opt> {
    opts([("true".to_string(), "是".to_string()), ("false".to_string(), "否".to_string())], current)
}

pub fn industry_name(code: &str) -> String {
    domain::reference::industry(code).map(|e| e.name.clone()).unwrap_or_else(|| code.to_string())
}

pub fn region_name(code: &str) -> String {
    domain::reference::region(code).map(|e| e.name.clone()).unwrap_or_else(|| code.to_string())
}

/// The CSS class of a stage badge; the badge always carries the stage's name as text too.
pub fn stage_class(s: Stage) -> &'static str {
    match s {
        Stage::Reserve | Stage::Negotiating => "st-early",
        Stage::Signed | Stage::Approved => "st-signed",
        Stage::Started => "st-started",
        Stage::Producing | Stage::AtCapacity => "st-done",
        Stage::OnHold => "st-hold",
        Stage::Terminated => "st-stop",
    }
}

#[derive(Debug, Clone)]
pub struct Fact {
    pub label: &'static str,
    pub value: String,
}

pub fn marks(c: &store::companies::Company) -> Vec<String> {
    let mut m = vec![];
    if let Some(r) = c.fortune_global_500_rank {
        m.push(format!("世界500强 第{r}位"));
    }
    if let Some(r) = c.china_500_rank {
        m.push(format!("中国500强 第{r}位"));
    }
    if let Some(r) = c.china_private_500_rank {
        m.push(format!("民营500强 第{r}位"));
    }
    if c.industry_leader {
        m.push("行业龙头".into());
    }
    m
}
