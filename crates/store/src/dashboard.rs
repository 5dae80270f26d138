//! The 工作台 (dashboard) figures: counts and sums over the projects the caller may see.
//! Every query starts from `filter_condition`, so the caller's scope applies to each
//! aggregate exactly as it does to the ledger the chart links to.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::stage::ALL as STAGES;
use domain::{Money, Stage};
use sea_orm::sea_query::{Expr, Func, Query};
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, Order, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use crate::entity::{dept_task, funds_entry, project, transition};
use crate::projects::{CountAndSum, ProjectFilter};
use crate::{Result, Scope, Scoped};

/// Count and total investment of one group of projects.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub count: u64,
    pub investment: Money,
}

/// Funds in place over a period: 省外资金 in 万元 and 外资 in 万美元, accepted entries only
/// (domain.md §4: indicators come from accepted entries).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FundsSum {
    pub domestic: Money,
    pub foreign: Money,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecentChange {
    pub project_id: i64,
    pub project_name: String,
    pub from: Option<Stage>,
    pub to: Option<Stage>,
    pub date: NaiveDate,
    pub at: DateTime<Utc>,
    /// A unit's claim the city has not reviewed yet.
    pub pending: bool,
}

/// One of the largest projects in scope (by total investment), at its accepted stage.
#[derive(Debug, Clone, Serialize)]
pub struct TopProject {
    pub id: i64,
    pub name: String,
    pub unit_id: i64,
    pub stage: Stage,
    pub investment: Money,
}

/// A department's task on a project (the department's 工作台 lists them).
#[derive(Debug, Clone, Serialize)]
pub struct DeptTaskRow {
    pub project_id: i64,
    pub project_name: String,
    pub title: String,
    pub due_on: Option<NaiveDate>,
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub year: i32,
    /// Every stage in order, zero counts included, by the stage the city accepted
    /// (a unit's unreviewed claim leaves its project at the stage before).
    pub by_stage: Vec<(Stage, Tally)>,
    /// The projects in the ledger (在库): every live project not terminated.
    pub total: Tally,
    /// Projects with a unit's claim waiting for the city's review (any stage).
    pub claims_pending: u64,
    /// Projects signed this calendar year by an accepted signing date.
    pub signed_this_year: Tally,
    /// Signed this year by a unit's claim the city has not accepted yet (not in the figure above).
    pub signed_claimed_this_year: Tally,
    pub funds_this_year: FundsSum,
    /// The same period of last year (1 January to the same day), for a fair comparison.
    pub funds_last_year: FundsSum,
    /// By unit one level below the caller's own (the city's districts, a district's
    /// sub-units; a project of the caller's own unit counts under it), largest investment first.
    /// Terminated projects are left out of this and the two splits below.
    pub by_unit: Vec<(i64, Tally)>,
    /// By top-level industry code, largest investment first.
    pub by_industry: Vec<(String, Tally)>,
    /// By source region code, largest investment first.
    pub by_region: Vec<(String, Tally)>,
    /// 24 months, oldest first: ("YYYY-MM", domestic funds accepted that month).
    pub funds_by_month: Vec<(String, FundsSum)>,
    /// The latest stage changes by the event's date (then by entry time).
    pub recent: Vec<RecentChange>,
    /// The ten largest live, not terminated projects.
    pub top_projects: Vec<TopProject>,
}

#[derive(FromQueryResult)]
struct Cell {
    accepted_stage: String,
    review_state: String,
    unit_id: i64,
    industry: String,
    region: String,
    n: i64,
    s: Option<i64>,
}

#[derive(FromQueryResult)]
struct Sum {
    n: i64,
    s: Option<i64>,
}

#[derive(FromQueryResult)]
struct Signed {
    accepted_stage: String,
    review_state: String,
    n: i64,
    s: Option<i64>,
}

/// Whether a project's signing date is the city's: nothing waits for review, or the stage the
/// city accepted is at or past signing (so the pending claim is a later one). While a unit's
/// claim to 已签约 waits, the accepted stage stays before it and the date is only claimed.
/// (on_hold/terminated are accepted only when nothing was pending, so their dates are accepted.)
pub fn signing_accepted(review_state: &str, accepted_stage: &str) -> bool {
    !matches!(review_state, "submitted" | "returned")
        || !matches!(Stage::parse(accepted_stage), Some(Stage::Reserve | Stage::Negotiating))
}

fn tally(n: i64, s: Option<i64>) -> Tally {
    Tally { count: n.max(0) as u64, investment: Money::from_hundredths(s.unwrap_or(0)) }
}

/// The unit just below `top` that `unit` lies in; `top` itself for its own projects, and
/// the unit itself when it is not below `top` at all.
fn under(tree: &crate::units::UnitTree, top: Option<i64>, unit: i64) -> i64 {
    let mut at = unit;
    for _ in 0..64 {
        if Some(at) == top {
            return at;
        }
        match tree.get(at).and_then(|u| u.parent_id) {
            Some(p) if Some(p) == top => return at,
            Some(p) => at = p,
            None => break,
        }
    }
    unit
}

#[derive(FromQueryResult)]
struct DayFunds {
    date: NaiveDate,
    kind: String,
    s: Option<i64>,
}

#[derive(FromQueryResult)]
struct TopRow {
    id: i64,
    name: String,
    unit_id: i64,
    accepted_stage: String,
    total_investment: i64,
}

/// `+table.project_id`: the same value, but not an index key for the planner.
fn not_indexed(table: &str) -> sea_orm::sea_query::Expr {
    Expr::cust(format!("+{table}.project_id"))
}

fn add(into: &mut Tally, t: &Tally) {
    into.count += t.count;
    into.investment = plus(into.investment, t.investment);
}

impl Scoped<'_> {
    /// The dashboard of everything the caller may see, as of `today` (Asia/Shanghai).
    pub async fn dashboard(&self, today: NaiveDate) -> Result<Dashboard> {
        let (store, actor) = (self.store, self.actor);
        let cond = self.filter_condition(&ProjectFilter::default()).await?;
        let year = today.year();

        // One pass over the projects in scope, grouped by everything the charts split by;
        // the per-stage, per-unit, per-industry and per-region figures are folded from it.
        let cells = project::Entity::find()
            .select_only()
            .column(project::Column::AcceptedStage)
            .column(project::Column::ReviewState)
            .column(project::Column::UnitId)
            .column(project::Column::Industry)
            .column(project::Column::Region)
            .count_and_sum()
            .filter(cond.clone())
            .group_by(project::Column::AcceptedStage)
            .group_by(project::Column::ReviewState)
            .group_by(project::Column::UnitId)
            .group_by(project::Column::Industry)
            .group_by(project::Column::Region)
            .into_model::<Cell>()
            .all(store.db())
            .await?;
        let tree = store.unit_tree();
        // the level the unit chart splits by: the city's units, or the caller's sub-units
        let top = match &actor.scope {
            Scope::Units(_) => actor.unit_id,
            _ => tree.all().iter().find(|u| u.parent_id.is_none()).map(|u| u.id),
        };
        let mut by_stage: Vec<(Stage, Tally)> = STAGES.iter().map(|s| (*s, Tally::default())).collect();
        let mut total = Tally::default();
        let mut claims_pending = 0;
        let mut units: BTreeMap<i64, Tally> = BTreeMap::new();
        let mut industries: BTreeMap<String, Tally> = BTreeMap::new();
        let mut regions: BTreeMap<String, Tally> = BTreeMap::new();
        for c in &cells {
            let t = tally(c.n, c.s);
            if c.review_state == "submitted" {
                claims_pending += t.count;
            }
            // the stage the city accepted, never a unit's unreviewed claim
            if let Some(slot) = by_stage.iter_mut().find(|(s, _)| s.code() == c.accepted_stage) {
                add(&mut slot.1, &t);
            }
            if Stage::parse(&c.accepted_stage) == Some(Stage::Terminated) {
                continue; // 终止: no longer in the ledger's figures
            }
            add(&mut total, &t);
            add(units.entry(under(&tree, top, c.unit_id)).or_default(), &t);
            // the industry chain: the code before its first dot (electronics.terminal → electronics)
            let chain = c.industry.split('.').next().unwrap_or_default().to_string();
            add(industries.entry(chain).or_default(), &t);
            add(regions.entry(c.region.clone()).or_default(), &t);
        }
        let largest_first = |a: &Tally, b: &Tally| b.investment.cmp(&a.investment);
        let mut by_unit: Vec<(i64, Tally)> = units.into_iter().collect();
        by_unit.sort_by(|a, b| largest_first(&a.1, &b.1).then(a.0.cmp(&b.0)));
        let mut by_industry: Vec<(String, Tally)> = industries.into_iter().collect();
        by_industry.sort_by(|a, b| largest_first(&a.1, &b.1).then(a.0.cmp(&b.0)));
        let mut by_region: Vec<(String, Tally)> = regions.into_iter().collect();
        by_region.sort_by(|a, b| largest_first(&a.1, &b.1).then(a.0.cmp(&b.0)));

        // Signed this year: the accepted signings, and apart from them the claimed ones.
        let year_start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
        let signed = project::Entity::find()
            .select_only()
            .column(project::Column::AcceptedStage)
            .column(project::Column::ReviewState)
            .count_and_sum()
            .filter(cond.clone())
            .filter(project::Column::SignedOn.gte(year_start))
            .filter(project::Column::SignedOn.lte(today))
            .group_by(project::Column::AcceptedStage)
            .group_by(project::Column::ReviewState)
            .into_model::<Signed>()
            .all(store.db())
            .await?;
        let mut signed_this_year = Tally::default();
        let mut signed_claimed_this_year = Tally::default();
        for g in &signed {
            let into = if signing_accepted(&g.review_state, &g.accepted_stage) {
                &mut signed_this_year
            } else {
                &mut signed_claimed_this_year
            };
            add(into, &tally(g.n, g.s));
        }

        let top_projects = project::Entity::find()
            .select_only()
            .column(project::Column::Id)
            .column(project::Column::Name)
            .column(project::Column::UnitId)
            .column(project::Column::AcceptedStage)
            .column(project::Column::TotalInvestment)
            .filter(cond.clone())
            .filter(project::Column::AcceptedStage.ne(Stage::Terminated.code()))
            .order_by(project::Column::TotalInvestment, Order::Desc)
            .order_by(project::Column::Id, Order::Desc)
            .limit(10)
            .into_model::<TopRow>()
            .all(store.db())
            .await?
            .into_iter()
            .map(|r| TopProject {
                id: r.id,
                name: r.name,
                unit_id: r.unit_id,
                stage: Stage::parse(&r.accepted_stage).unwrap_or(Stage::Reserve),
                investment: Money::from_hundredths(r.total_investment),
            })
            .collect();

        // Funds: accepted, live entries of the projects in scope, summed per day and kind in
        // one pass over the covering index; the year, last year and month figures come from it.
        let in_scope = Query::select().column(project::Column::Id).from(project::Entity).cond_where(cond).to_owned();
        let last_start = NaiveDate::from_ymd_opt(year - 1, 1, 1).unwrap_or(year_start);
        let last_same_day = same_day_last_year(today);
        let first_month = months_back(today, 23);
        let days = funds_entry::Entity::find()
            .select_only()
            .column(funds_entry::Column::Date)
            .column(funds_entry::Column::Kind)
            .column_as(Expr::expr(Func::cast_as(Func::sum(Expr::col(funds_entry::Column::Amount)), "bigint")), "s")
            // `+project_id`: not an index key here (valid on both backends), so SQLite reads the
            // covering date index instead of probing every project in scope one by one
            .filter(sea_orm::sea_query::ExprTrait::in_subquery(not_indexed("funds_entries"), in_scope.clone()))
            .filter(funds_entry::Column::ReviewState.eq("accepted"))
            .filter(funds_entry::Column::DeletedAt.is_null())
            .filter(funds_entry::Column::Date.gte(last_start.min(first_month)))
            .filter(funds_entry::Column::Date.lte(today))
            .group_by(funds_entry::Column::Date)
            .group_by(funds_entry::Column::Kind)
            .into_model::<DayFunds>()
            .all(store.db())
            .await?;
        let mut funds_this_year = FundsSum::default();
        let mut funds_last_year = FundsSum::default();
        let mut funds_by_month: Vec<(String, FundsSum)> = (0..24)
            .rev()
            .map(|back| (months_back(today, back).format("%Y-%m").to_string(), FundsSum::default()))
            .collect();
        for d in days {
            let m = Money::from_hundredths(d.s.unwrap_or(0));
            let foreign = d.kind == "foreign";
            let put = |f: &mut FundsSum| {
                if foreign {
                    f.foreign = plus(f.foreign, m);
                } else {
                    f.domestic = plus(f.domestic, m);
                }
            };
            if d.date >= year_start {
                put(&mut funds_this_year);
            }
            if d.date >= last_start && d.date <= last_same_day {
                put(&mut funds_last_year);
            }
            let month = d.date.format("%Y-%m").to_string();
            if let Some(slot) = funds_by_month.iter_mut().find(|(mo, _)| *mo == month) {
                put(&mut slot.1);
            }
        }

        let ts = transition::Entity::find()
            // by the event's date, the order the timeline reads in; entry time breaks ties
            .filter(sea_orm::sea_query::ExprTrait::in_subquery(not_indexed("transitions"), in_scope))
            .order_by(transition::Column::Date, Order::Desc)
            .order_by(transition::Column::CreatedAt, Order::Desc)
            .order_by(transition::Column::Id, Order::Desc)
            .limit(10)
            .all(store.db())
            .await?;
        let names = store.project_names(ts.iter().map(|t| t.project_id).collect(), false).await?;
        let recent = ts
            .into_iter()
            .map(|t| RecentChange {
                project_name: names.get(&t.project_id).cloned().unwrap_or_default(),
                project_id: t.project_id,
                from: Stage::parse(&t.from_stage),
                to: Stage::parse(&t.to_stage),
                date: t.date,
                at: t.created_at,
                pending: t.review_state == "submitted",
            })
            .collect();

        Ok(Dashboard {
            year,
            by_stage,
            total,
            claims_pending,
            signed_this_year,
            signed_claimed_this_year,
            funds_this_year,
            funds_last_year,
            by_unit,
            by_industry,
            by_region,
            funds_by_month,
            recent,
            top_projects,
        })
    }
}

impl Scoped<'_> {
    /// Of the projects a ledger filter matches, those whose stage is a unit's claim the city
    /// has not accepted: waiting, or returned (the ledger's totals say so beside the count).
    pub async fn pending_claims(&self, f: &ProjectFilter) -> Result<Tally> {
        let store = self.store;
        let cond = self.filter_condition(f).await?;
        let t = project::Entity::find()
            .select_only()
            .count_and_sum()
            .filter(cond)
            .filter(project::Column::ReviewState.is_in(["submitted", "returned"]))
            .into_model::<Sum>()
            .one(store.db())
            .await?;
        Ok(t.map(|t| tally(t.n, t.s)).unwrap_or_default())
    }

    /// A department's tasks on live projects, the soonest due first (the department's
    /// 工作台). Only a department user has any: everyone else gets an empty list.
    pub async fn dept_tasks(&self) -> Result<Vec<DeptTaskRow>> {
        let store = self.store;
        let Scope::Department(dept) = self.actor.scope else {
            return Ok(vec![]);
        };
        let tasks = dept_task::Entity::find()
            .filter(dept_task::Column::DeptUnitId.eq(dept))
            .order_by(dept_task::Column::Id, Order::Asc)
            .limit(500)
            .all(store.db())
            .await?;
        let names = store.project_names(tasks.iter().map(|t| t.project_id).collect(), true).await?;
        let mut tasks = tasks;
        // the soonest due first, undated last (the backends order NULLs differently)
        tasks.sort_by_key(|t| (t.due_on.is_none(), t.due_on, t.id));
        Ok(tasks
            .into_iter()
            .filter_map(|t| {
                Some(DeptTaskRow {
                    project_name: names.get(&t.project_id)?.clone(),
                    project_id: t.project_id,
                    title: t.title,
                    due_on: t.due_on,
                    status: t.status,
                })
            })
            .collect())
    }
}

fn plus(a: Money, b: Money) -> Money {
    a.checked_add(b).unwrap_or(a)
}

/// The first day of the month `n` months before `d`'s month.
pub fn months_back(d: NaiveDate, n: u32) -> NaiveDate {
    let total = d.year() * 12 + d.month0() as i32 - n as i32;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1).unwrap_or(d)
}

/// The same calendar day a year earlier (29 February → 28 February).
pub fn same_day_last_year(d: NaiveDate) -> NaiveDate {
    d.with_year(d.year() - 1).or_else(|| NaiveDate::from_ymd_opt(d.year() - 1, d.month(), 28)).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_arithmetic_crosses_years() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 15).unwrap();
        assert_eq!(months_back(d, 0), NaiveDate::from_ymd_opt(2026, 2, 1).unwrap());
        assert_eq!(months_back(d, 2), NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
        assert_eq!(months_back(d, 23), NaiveDate::from_ymd_opt(2024, 3, 1).unwrap());
        let leap = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap();
        assert_eq!(same_day_last_year(leap), NaiveDate::from_ymd_opt(2027, 2, 28).unwrap());
    }
}
