//! The 工作台 (dashboard) figures: counts and sums over the projects the caller may see.
//! Every query starts from `filter_condition`, so the caller's scope applies to each
//! aggregate exactly as it does to the ledger the chart links to.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::stage::ALL as STAGES;
use domain::{Money, Stage};
use sea_orm::sea_query::{Expr, Func, Query};
use sea_orm::{ColumnTrait, DbBackend, EntityTrait, FromQueryResult, Order, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use crate::entity::{funds_entry, project, transition};
use crate::projects::ProjectFilter;
use crate::{Actor, Result, Store};

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
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub year: i32,
    /// Every stage in order, zero counts included.
    pub by_stage: Vec<(Stage, Tally)>,
    pub total: Tally,
    /// Projects signed this calendar year (by their signing date).
    pub signed_this_year: Tally,
    pub funds_this_year: FundsSum,
    /// The same period of last year (1 January to the same day), for a fair comparison.
    pub funds_last_year: FundsSum,
    /// By the project's own unit id, largest investment first.
    pub by_unit: Vec<(i64, Tally)>,
    /// By top-level industry code, largest investment first.
    pub by_industry: Vec<(String, Tally)>,
    /// By source region code, largest investment first.
    pub by_region: Vec<(String, Tally)>,
    /// 24 months, oldest first: ("YYYY-MM", domestic funds accepted that month).
    pub funds_by_month: Vec<(String, FundsSum)>,
    pub recent: Vec<RecentChange>,
}

#[derive(FromQueryResult)]
struct Group {
    k: Option<String>,
    n: i64,
    s: Option<i64>,
}

#[derive(FromQueryResult)]
struct UnitGroup {
    k: i64,
    n: i64,
    s: Option<i64>,
}

#[derive(FromQueryResult)]
struct FundsGroup {
    k: Option<String>,
    kind: String,
    s: Option<i64>,
}

impl Store {
    /// The dashboard of everything the caller may see, as of `today` (Asia/Shanghai).
    pub async fn dashboard(&self, actor: &Actor, today: NaiveDate) -> Result<Dashboard> {
        let cond = self.filter_condition(actor, &ProjectFilter::default()).await?;
        let year = today.year();

        let grouped = |col: sea_orm::sea_query::SimpleExpr| {
            project::Entity::find()
                .select_only()
                .column_as(col.clone(), "k")
                .column_as(Expr::expr(Func::count(Expr::col(project::Column::Id))), "n")
                .column_as(
                    Expr::expr(Func::cast_as(Func::sum(Expr::col(project::Column::TotalInvestment)), "bigint")),
                    "s",
                )
                .filter(cond.clone())
                .group_by(col)
        };
        let tally =
            |g: &Group| Tally { count: g.n.max(0) as u64, investment: Money::from_hundredths(g.s.unwrap_or(0)) };

        let stage_rows = grouped(Expr::col(project::Column::Stage)).into_model::<Group>().all(self.db()).await?;
        let mut by_stage: Vec<(Stage, Tally)> = STAGES.iter().map(|s| (*s, Tally::default())).collect();
        let mut total = Tally::default();
        for g in &stage_rows {
            let t = tally(g);
            total.count += t.count;
            total.investment = plus(total.investment, t.investment);
            if let Some(slot) = by_stage.iter_mut().find(|(s, _)| Some(s.code()) == g.k.as_deref()) {
                slot.1 = t;
            }
        }

        let year_start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
        let signed = project::Entity::find()
            .select_only()
            .column_as(Expr::value("signed"), "k")
            .column_as(Expr::expr(Func::count(Expr::col(project::Column::Id))), "n")
            .column_as(Expr::expr(Func::cast_as(Func::sum(Expr::col(project::Column::TotalInvestment)), "bigint")), "s")
            .filter(cond.clone())
            .filter(project::Column::SignedOn.gte(year_start))
            .filter(project::Column::SignedOn.lte(today))
            .into_model::<Group>()
            .one(self.db())
            .await?;
        let signed_this_year = signed.as_ref().map(tally).unwrap_or_default();

        let mut by_unit: Vec<(i64, Tally)> = grouped(Expr::col(project::Column::UnitId))
            .into_model::<UnitGroup>()
            .all(self.db())
            .await?
            .iter()
            .map(|g| (g.k, Tally { count: g.n.max(0) as u64, investment: Money::from_hundredths(g.s.unwrap_or(0)) }))
            .collect();
        by_unit.sort_by(|a, b| b.1.investment.cmp(&a.1.investment).then(a.0.cmp(&b.0)));

        let mut industries: BTreeMap<String, Tally> = BTreeMap::new();
        for g in grouped(Expr::col(project::Column::Industry)).into_model::<Group>().all(self.db()).await? {
            let code = g.k.clone().unwrap_or_default();
            // the industry chain: the code before its first dot (electronics.terminal → electronics)
            let top = code.split('.').next().unwrap_or_default().to_string();
            let e = industries.entry(top).or_default();
            e.count += g.n.max(0) as u64;
            e.investment = plus(e.investment, Money::from_hundredths(g.s.unwrap_or(0)));
        }
        let mut by_industry: Vec<(String, Tally)> = industries.into_iter().collect();
        by_industry.sort_by(|a, b| b.1.investment.cmp(&a.1.investment).then(a.0.cmp(&b.0)));

        let mut by_region: Vec<(String, Tally)> = grouped(Expr::col(project::Column::Region))
            .into_model::<Group>()
            .all(self.db())
            .await?
            .iter()
            .map(|g| (g.k.clone().unwrap_or_default(), tally(g)))
            .collect();
        by_region.sort_by(|a, b| b.1.investment.cmp(&a.1.investment).then(a.0.cmp(&b.0)));

        // Funds: accepted, live entries of the projects in scope.
        let in_scope =
            Query::select().column(project::Column::Id).from(project::Entity).cond_where(cond.clone()).to_owned();
        let funds_in = |from: NaiveDate, to: NaiveDate| {
            funds_entry::Entity::find()
                .filter(funds_entry::Column::ProjectId.in_subquery(in_scope.clone()))
                .filter(funds_entry::Column::ReviewState.eq("accepted"))
                .filter(funds_entry::Column::DeletedAt.is_null())
                .filter(funds_entry::Column::Date.gte(from))
                .filter(funds_entry::Column::Date.lte(to))
        };
        let month_expr = match self.backend() {
            DbBackend::Postgres => Expr::cust("to_char(funds_entries.date, 'YYYY-MM')"),
            _ => Expr::cust("substr(funds_entries.date, 1, 7)"),
        };
        let sum_kinds = |rows: &[FundsGroup]| {
            let mut f = FundsSum::default();
            for r in rows {
                let m = Money::from_hundredths(r.s.unwrap_or(0));
                match r.kind.as_str() {
                    "foreign" => f.foreign = plus(f.foreign, m),
                    _ => f.domestic = plus(f.domestic, m),
                }
            }
            f
        };
        let period = |from: NaiveDate, to: NaiveDate| {
            funds_in(from, to)
                .select_only()
                .column_as(Expr::value("all"), "k")
                .column(funds_entry::Column::Kind)
                .column_as(Expr::expr(Func::cast_as(Func::sum(Expr::col(funds_entry::Column::Amount)), "bigint")), "s")
                .group_by(funds_entry::Column::Kind)
                .into_model::<FundsGroup>()
        };
        let funds_this_year = sum_kinds(&period(year_start, today).all(self.db()).await?);
        let last_start = NaiveDate::from_ymd_opt(year - 1, 1, 1).unwrap_or(year_start);
        let last_same_day = same_day_last_year(today);
        let funds_last_year = sum_kinds(&period(last_start, last_same_day).all(self.db()).await?);

        let first_month = months_back(today, 23);
        let month_rows = funds_in(first_month, today)
            .select_only()
            .column_as(month_expr.clone(), "k")
            .column(funds_entry::Column::Kind)
            .column_as(Expr::expr(Func::cast_as(Func::sum(Expr::col(funds_entry::Column::Amount)), "bigint")), "s")
            .group_by(month_expr)
            .group_by(funds_entry::Column::Kind)
            .into_model::<FundsGroup>()
            .all(self.db())
            .await?;
        let mut funds_by_month: Vec<(String, FundsSum)> = (0..24)
            .rev()
            .map(|back| (months_back(today, back).format("%Y-%m").to_string(), FundsSum::default()))
            .collect();
        for r in month_rows {
            if let Some(slot) = funds_by_month.iter_mut().find(|(m, _)| Some(m.as_str()) == r.k.as_deref()) {
                let m = Money::from_hundredths(r.s.unwrap_or(0));
                match r.kind.as_str() {
                    "foreign" => slot.1.foreign = plus(slot.1.foreign, m),
                    _ => slot.1.domestic = plus(slot.1.domestic, m),
                }
            }
        }

        let ts = transition::Entity::find()
            .filter(transition::Column::ProjectId.in_subquery(in_scope))
            .order_by(transition::Column::CreatedAt, Order::Desc)
            .order_by(transition::Column::Id, Order::Desc)
            .limit(10)
            .all(self.db())
            .await?;
        let names: BTreeMap<i64, String> = project::Entity::find()
            .filter(project::Column::Id.is_in(ts.iter().map(|t| t.project_id).collect::<Vec<_>>()))
            .all(self.db())
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect();
        let recent = ts
            .into_iter()
            .map(|t| RecentChange {
                project_name: names.get(&t.project_id).cloned().unwrap_or_default(),
                project_id: t.project_id,
                from: Stage::parse(&t.from_stage),
                to: Stage::parse(&t.to_stage),
                date: t.date,
                at: t.created_at,
            })
            .collect();

        Ok(Dashboard {
            year,
            by_stage,
            total,
            signed_this_year,
            funds_this_year,
            funds_last_year,
            by_unit,
            by_industry,
            by_region,
            funds_by_month,
            recent,
        })
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
