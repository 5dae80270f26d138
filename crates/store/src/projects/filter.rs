//! The ledger's filter: the one place that turns a filter (and the actor's scope) into SQL.

use domain::{Category, Money, Stage};
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{ColumnTrait, Condition, EntityTrait, FromQueryResult, Order, QueryFilter, QueryOrder, QuerySelect};

use super::{CountAndSum, Project};
use crate::entity::project;
use crate::scope::ProjectScope;
use crate::search;
use crate::{Result, Scoped, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    Id,
    Name,
    TotalInvestment,
    SignedOn,
    UpdatedAt,
}

impl SortField {
    pub fn parse(s: &str) -> Option<SortField> {
        Some(match s {
            "id" | "created_at" => SortField::Id,
            "name" => SortField::Name,
            "total_investment" => SortField::TotalInvestment,
            "signed_on" => SortField::SignedOn,
            "updated_at" => SortField::UpdatedAt,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct ProjectFilter {
    pub stage: Option<Stage>,
    pub unit: Option<String>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub category: Option<Category>,
    pub city_reportable: Option<bool>,
    pub key_project: Option<bool>,
    pub q: Option<String>,
    pub include_deleted: bool,
    pub sort: SortField,
    pub descending: bool,
    pub page: u64,
    pub per_page: u64,
}

impl Default for ProjectFilter {
    fn default() -> Self {
        ProjectFilter {
            stage: None,
            unit: None,
            industry: None,
            region: None,
            category: None,
            city_reportable: None,
            key_project: None,
            q: None,
            include_deleted: false,
            sort: SortField::Id,
            descending: true,
            page: 1,
            per_page: 50,
        }
    }
}

crate::page_type! {
    /// One page of the ledger plus the totals of the whole filter.
    pub struct ProjectPage of Project;
}

impl Scoped<'_> {
    /// The ledger: filters, scope, substring search, pagination.
    pub async fn list_projects(&self, f: &ProjectFilter) -> Result<ProjectPage> {
        let store = self.store;
        let per_page = f.per_page.clamp(1, 500);
        let page = f.page.max(1);
        if let Some(page) = self.list_by_gram(f, page, per_page).await? {
            return Ok(page);
        }
        let cond = self.filter_condition(f).await?;
        let base = project::Entity::find().filter(cond);
        let total = base
            .clone()
            .select_only()
            .column_as(Expr::cust("COUNT(*)"), "n")
            .into_tuple::<i64>()
            .one(store.db())
            .await?
            .unwrap_or(0)
            .max(0) as u64;
        let order = if f.descending { Order::Desc } else { Order::Asc };
        let mut q = base;
        q = match f.sort {
            SortField::Id => q,
            SortField::Name => q.order_by(project::Column::Name, order.clone()),
            SortField::TotalInvestment => q.order_by(project::Column::TotalInvestment, order.clone()),
            SortField::SignedOn => q.order_by(project::Column::SignedOn, order.clone()),
            SortField::UpdatedAt => q.order_by(project::Column::UpdatedAt, order.clone()),
        };
        let rows = crate::page_rows(store.db(), q.order_by(project::Column::Id, order), page, per_page).await?;
        let items = store.hydrate(store.db(), rows).await?;
        Ok(ProjectPage::new(items, crate::Paging { total, page, per_page }))
    }

    /// Count and total investment of everything the filter matches (the ledger's totals row).
    pub async fn project_totals(&self, f: &ProjectFilter) -> Result<(u64, Money)> {
        let store = self.store;
        let cond = self.filter_condition(f).await?;
        #[derive(FromQueryResult)]
        struct T {
            n: i64,
            s: Option<i64>,
        }
        let t = project::Entity::find()
            .select_only()
            .count_and_sum()
            .filter(cond)
            .into_model::<T>()
            .one(store.db())
            .await?;
        Ok(t.map(|t| (t.n.max(0) as u64, Money::from_hundredths(t.s.unwrap_or(0)))).unwrap_or((0, Money::ZERO)))
    }

    /// The WHERE of a filter, scope included: the one place that turns a filter into SQL.
    pub(crate) async fn filter_condition(&self, f: &ProjectFilter) -> Result<Condition> {
        let (store, actor) = (self.store, self.actor);
        let mut cond = Condition::all();
        if !(f.include_deleted && actor.has_role(domain::Role::CityAdmin)) {
            cond = cond.add(project::Column::DeletedAt.is_null());
        }
        cond = cond.add(ProjectScope::of(store, actor, f.unit.as_deref())?.condition(store.backend()));
        if let Some(s) = f.stage {
            cond = cond.add(project::Column::Stage.eq(s.code()));
        }
        if let Some(i) = f.industry.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let Some(e) = domain::reference::industry(i) else {
                return Err(StoreError::field("industry", format!("产业类别「{i}」不在产业表中")));
            };
            cond = cond.add(
                Condition::any().add(project::Column::Industry.eq(e.code.clone())).add(
                    project::Column::Industry
                        .like(LikeExpr::new(format!("{}.%", search::like_escape(&e.code))).escape('\\')),
                ),
            );
        }
        if let Some(r) = f.region.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let Some(e) = domain::reference::region(r) else {
                return Err(StoreError::field("region", format!("来源地「{r}」不在地区表中")));
            };
            cond = cond.add(project::Column::Region.eq(e.code.clone()));
        }
        if let Some(c) = f.category {
            cond = cond.add(project::Column::Categories.like(format!("%,{},%", c.code())));
        }
        if let Some(b) = f.city_reportable {
            cond = cond.add(project::Column::CityReportable.eq(b));
        }
        if let Some(b) = f.key_project {
            cond = cond.add(project::Column::KeyProject.eq(b));
        }
        if let Some(q) = f.q.as_deref() {
            let nq = search::normalize(q);
            if !nq.is_empty() && f.include_deleted && actor.has_role(domain::Role::CityAdmin) {
                // Deleted projects are not in the gram index: scan the text (a rare query).
                cond = cond.add(
                    project::Column::SearchText
                        .like(LikeExpr::new(format!("%{}%", search::like_escape(&nq))).escape('\\')),
                );
            } else if !nq.is_empty() {
                let grams = search::query_grams(&nq);
                if grams.is_empty() {
                    // One character: a range over the gram index (every position has a gram
                    // starting with its character).
                    let hi = format!("{nq}\u{10FFFF}");
                    cond = cond.add(Expr::cust_with_values(
                        format!(
                            "projects.id IN (SELECT project_id FROM project_grams WHERE gram >= {} AND gram < {})",
                            store.ph(1),
                            store.ph(2)
                        ),
                        [nq.clone(), hi],
                    ));
                } else {
                    // One subquery that intersects the grams inside the gram index, starting
                    // from the rarest so the join probes few entries; then only the
                    // candidates' rows are read (and checked with LIKE below).
                    let grams = store.rarest_first(grams).await?;
                    let mut sql = "projects.id IN (SELECT g0.project_id FROM project_grams g0".to_string();
                    for i in 1..grams.len() {
                        sql += &format!(
                            " JOIN project_grams g{i} ON g{i}.project_id = g0.project_id AND g{i}.gram = {}",
                            store.ph(i + 1)
                        );
                    }
                    sql += &format!(" WHERE g0.gram = {})", store.ph(1));
                    // The joins' placeholders come before the WHERE's in the text.
                    let mut values: Vec<sea_orm::Value> = grams[1..].iter().map(|g| g.clone().into()).collect();
                    values.push(grams[0].clone().into());
                    if store.backend() == sea_orm::DbBackend::Postgres {
                        // $n placeholders are numbered: keep the order they were numbered in.
                        values = grams.iter().map(|g| g.clone().into()).collect();
                    }
                    cond = cond.add(Expr::cust_with_values(sql, values));
                    if nq.chars().count() > 2 {
                        cond = cond.add(
                            project::Column::SearchText
                                .like(LikeExpr::new(format!("%{}%", search::like_escape(&nq))).escape('\\')),
                        );
                    }
                }
            }
        }
        Ok(cond)
    }
}
