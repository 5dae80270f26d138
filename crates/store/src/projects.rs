//! Projects (domain.md §4): the ledger. Every call takes the caller's `Actor` and applies
//! its scope; there is no unscoped path to a project.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::stage::{self, StageDates, StageState, TransitionRequest};
use domain::{Category, FieldError, Money, Permission, Stage};
use sea_orm::sea_query::{Expr, Func, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult,
    IntoActiveModel, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
};
use serde::Serialize;

use crate::audit::{self, Event};
use crate::entity::{
    company, dept_task, funds_entry, progress_note, project, project_gram, project_investor, transition,
};
use crate::search;
use crate::{Actor, Result, Scope, Store, StoreError};

/// Stages whose claim by a unit is a submission the city reviews (domain.md §4, 审核).
pub const REVIEWED_STAGES: [Stage; 4] = [Stage::Signed, Stage::Started, Stage::Producing, Stage::AtCapacity];

#[derive(Debug, Clone, Serialize)]
pub struct InvestorRef {
    pub id: i64,
    pub name: String,
}

/// The longest 项目进展情况 a project keeps.
pub const PROGRESS_MAX: usize = 2000;

/// A project as the API returns it (api.md "Project object").
#[derive(Debug, Clone, Serialize)]
pub struct Project {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub unit_name: String,
    pub investors: Vec<InvestorRef>,
    pub industry: String,
    pub region: String,
    pub channel: Option<String>,
    pub categories: Vec<Category>,
    pub total_investment: Money,
    pub foreign_investment: Option<Money>,
    pub land_mu: Option<Money>,
    pub expected_output: Option<Money>,
    pub expected_tax: Option<Money>,
    pub expected_jobs: Option<i32>,
    pub stage: Stage,
    pub accepted_stage: Stage,
    pub review_state: String,
    pub paused_from: Option<Stage>,
    pub signed_on: Option<NaiveDate>,
    pub approved_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub producing_on: Option<NaiveDate>,
    pub at_capacity_on: Option<NaiveDate>,
    pub expected_producing_on: Option<NaiveDate>,
    pub lead_leader: Option<String>,
    pub city_reportable: bool,
    pub key_project: bool,
    pub notes: Option<String>,
    /// The latest 项目进展情况 (the timeline has every one).
    pub progress: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub unit_id: i64,
}

/// The writable fields of a new project (already parsed; references checked here).
#[derive(Debug, Clone, Default)]
pub struct ProjectInput {
    pub name: String,
    pub unit: String,
    pub investor_ids: Vec<i64>,
    pub industry: String,
    pub region: String,
    pub channel: Option<String>,
    pub categories: Vec<Category>,
    pub total_investment: Money,
    pub foreign_investment: Option<Money>,
    pub land_mu: Option<Money>,
    pub expected_output: Option<Money>,
    pub expected_tax: Option<Money>,
    pub expected_jobs: Option<i32>,
    pub expected_producing_on: Option<NaiveDate>,
    pub lead_leader: Option<String>,
    pub notes: Option<String>,
    /// When the project was first recorded, for history loaded from elsewhere (the demo,
    /// the ledger importer); `None` means now. Not settable through the API.
    pub created_on: Option<NaiveDate>,
}

/// A partial update: `None` leaves a field alone, `Some(None)` clears a nullable one.
#[derive(Debug, Clone, Default)]
pub struct ProjectPatch {
    pub version: i32,
    pub name: Option<String>,
    pub unit: Option<String>,
    pub investor_ids: Option<Vec<i64>>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub channel: Option<Option<String>>,
    pub categories: Option<Vec<Category>>,
    pub total_investment: Option<Money>,
    pub foreign_investment: Option<Option<Money>>,
    pub land_mu: Option<Option<Money>>,
    pub expected_output: Option<Option<Money>>,
    pub expected_tax: Option<Option<Money>>,
    pub expected_jobs: Option<Option<i32>>,
    pub expected_producing_on: Option<Option<NaiveDate>>,
    pub lead_leader: Option<Option<String>>,
    pub notes: Option<Option<String>>,
}

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

/// One page of the ledger plus the totals of the whole filter.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectPage {
    pub items: Vec<Project>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TransitionInput {
    pub to: Stage,
    pub date: NaiveDate,
    pub skipped_dates: BTreeMap<Stage, NaiveDate>,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineEvent {
    pub kind: &'static str,
    pub date: NaiveDate,
    pub at: DateTime<Utc>,
    pub from: Option<Stage>,
    pub to: Option<Stage>,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub correction: bool,
    pub review_state: Option<String>,
    pub amount: Option<Money>,
    pub funds_kind: Option<String>,
    pub by: Option<String>,
}

pub(crate) fn stage_of(s: &str) -> Stage {
    Stage::parse(s).unwrap_or(Stage::Reserve)
}

fn categories_text(c: &[Category]) -> String {
    let mut v: Vec<Category> = c.to_vec();
    v.sort();
    v.dedup();
    if v.is_empty() { String::new() } else { format!(",{},", v.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")) }
}

pub(crate) fn categories_of(s: &str) -> Vec<Category> {
    s.split(',').filter_map(Category::parse).collect()
}

fn money(h: Option<i64>) -> Option<Money> {
    h.map(Money::from_hundredths)
}

fn require_text(errors: &mut Vec<FieldError>, field: &str, v: &str, max: usize, label: &str) {
    if v.trim().is_empty() {
        errors.push(FieldError::new(field, format!("{label}不能为空")));
    } else if v.chars().count() > max {
        errors.push(FieldError::new(field, format!("{label}不能超过{max}个字符")));
    }
}

fn check_industry(errors: &mut Vec<FieldError>, v: &str) -> String {
    match domain::reference::industry(v) {
        Some(e) => e.code.clone(),
        None => {
            errors.push(FieldError::new("industry", format!("产业类别「{v}」不在产业表中")));
            String::new()
        }
    }
}

fn check_region(errors: &mut Vec<FieldError>, v: &str) -> String {
    match domain::reference::region(v) {
        Some(e) => e.code.clone(),
        None => {
            errors.push(FieldError::new("region", format!("投资方来源地「{v}」不在地区表中")));
            String::new()
        }
    }
}

fn check_channel(errors: &mut Vec<FieldError>, v: Option<&str>) -> Option<String> {
    let v = v.map(str::trim).filter(|s| !s.is_empty() && *s != "none")?;
    match domain::reference::channel(v) {
        Some(e) if e.code == "none" => None,
        Some(e) => Some(e.code.clone()),
        None => {
            errors.push(FieldError::new("channel", format!("丝路通道「{v}」无效，应为 air、land、online 或留空")));
            None
        }
    }
}

impl Store {
    /// The unit id for a code, checked against the actor's scope (writes need it in scope).
    fn unit_in_scope(&self, actor: &Actor, code: &str, errors: &mut Vec<FieldError>) -> Result<Option<i64>> {
        let tree = self.unit_tree();
        let Some(u) = tree.find(code) else {
            errors.push(FieldError::new("unit", format!("单位「{}」不存在", code.trim())));
            return Ok(None);
        };
        if u.kind == "department" {
            errors.push(FieldError::new("unit", "项目的责任单位不能是市直部门"));
            return Ok(None);
        }
        if !actor.scope.allows_unit(u.id) {
            return Err(StoreError::Forbidden);
        }
        Ok(Some(u.id))
    }

    async fn investors<C: ConnectionTrait>(
        &self,
        db: &C,
        ids: &[i64],
        errors: &mut Vec<FieldError>,
    ) -> Result<Vec<company::Model>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let rows = company::Entity::find().filter(company::Column::Id.is_in(ids.to_vec())).all(db).await?;
        let missing: Vec<String> =
            ids.iter().filter(|i| !rows.iter().any(|r| r.id == **i)).map(|i| i.to_string()).collect();
        if !missing.is_empty() {
            errors.push(FieldError::new("investor_ids", format!("投资方企业不存在：{}", missing.join("、"))));
        }
        // keep the caller's order
        let mut out = vec![];
        for id in ids {
            if let Some(r) = rows.iter().find(|r| r.id == *id)
                && !out.iter().any(|o: &company::Model| o.id == *id)
            {
                out.push(r.clone());
            }
        }
        Ok(out)
    }

    /// Fetch a project row and check scope: 404 when unknown (or deleted, for all but
    /// city_admin), 403 when it exists outside the actor's scope.
    async fn scoped_row<C: ConnectionTrait>(&self, db: &C, actor: &Actor, id: i64) -> Result<project::Model> {
        let Some(row) = project::Entity::find_by_id(id).one(db).await? else {
            return Err(StoreError::NotFound);
        };
        let in_scope = match &actor.scope {
            Scope::All => true,
            Scope::Units(_) => actor.scope.allows_unit(row.unit_id),
            Scope::Department(d) => {
                dept_task::Entity::find()
                    .filter(dept_task::Column::DeptUnitId.eq(*d))
                    .filter(dept_task::Column::ProjectId.eq(id))
                    .count(db)
                    .await?
                    > 0
            }
            Scope::Nothing => false,
        };
        if !in_scope {
            return Err(StoreError::Forbidden);
        }
        if row.deleted_at.is_some() && !actor.has_role(domain::Role::CityAdmin) {
            return Err(StoreError::NotFound);
        }
        Ok(row)
    }

    pub(crate) async fn hydrate<C: ConnectionTrait>(&self, db: &C, rows: Vec<project::Model>) -> Result<Vec<Project>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut inv: HashMap<i64, Vec<(i32, InvestorRef)>> = HashMap::new();
        if !ids.is_empty() {
            #[derive(FromQueryResult)]
            struct Row {
                project_id: i64,
                position: i32,
                id: i64,
                name: String,
            }
            let list = ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
            // ids are integers from our own rows, so inlining them is safe and lets one
            // statement serve any page size on both backends.
            let sql = format!(
                "SELECT pi.project_id, pi.position, c.id, c.name FROM project_investors pi \
                 JOIN companies c ON c.id = pi.company_id WHERE pi.project_id IN ({list})"
            );
            let found = Row::find_by_statement(Statement::from_string(self.backend(), sql)).all(db).await?;
            for r in found {
                inv.entry(r.project_id).or_default().push((r.position, InvestorRef { id: r.id, name: r.name }));
            }
        }
        let tree = self.unit_tree();
        Ok(rows
            .into_iter()
            .map(|r| {
                let mut investors = inv.remove(&r.id).unwrap_or_default();
                investors.sort_by_key(|(p, _)| *p);
                let unit = tree.get(r.unit_id);
                Project {
                    id: r.id,
                    code: r.code,
                    name: r.name,
                    unit: unit.map(|u| u.code.clone()).unwrap_or_default(),
                    unit_name: unit.map(|u| u.name.clone()).unwrap_or_default(),
                    investors: investors.into_iter().map(|(_, i)| i).collect(),
                    industry: r.industry,
                    region: r.region,
                    channel: r.channel,
                    categories: categories_of(&r.categories),
                    total_investment: Money::from_hundredths(r.total_investment),
                    foreign_investment: money(r.foreign_investment),
                    land_mu: money(r.land_mu),
                    expected_output: money(r.expected_output),
                    expected_tax: money(r.expected_tax),
                    expected_jobs: r.expected_jobs,
                    stage: stage_of(&r.stage),
                    accepted_stage: stage_of(&r.accepted_stage),
                    review_state: r.review_state,
                    paused_from: r.paused_from.as_deref().map(stage_of),
                    signed_on: r.signed_on,
                    approved_on: r.approved_on,
                    started_on: r.started_on,
                    producing_on: r.producing_on,
                    at_capacity_on: r.at_capacity_on,
                    expected_producing_on: r.expected_producing_on,
                    lead_leader: r.lead_leader,
                    city_reportable: r.city_reportable,
                    key_project: r.key_project,
                    notes: r.notes,
                    progress: r.progress,
                    version: r.version,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                    deleted_at: r.deleted_at,
                    unit_id: r.unit_id,
                }
            })
            .collect())
    }

    /// The ledger: filters, scope, substring search, pagination.
    pub async fn list_projects(&self, actor: &Actor, f: &ProjectFilter) -> Result<ProjectPage> {
        let per_page = f.per_page.clamp(1, 500);
        let page = f.page.max(1);
        if let Some(page) = self.list_by_gram(actor, f, page, per_page).await? {
            return Ok(page);
        }
        let cond = self.filter_condition(actor, f).await?;
        let base = project::Entity::find().filter(cond);
        let total = base
            .clone()
            .select_only()
            .column_as(Expr::cust("COUNT(*)"), "n")
            .into_tuple::<i64>()
            .one(self.db())
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
        let rows =
            q.order_by(project::Column::Id, order).offset((page - 1) * per_page).limit(per_page).all(self.db()).await?;
        let items = self.hydrate(self.db(), rows).await?;
        Ok(ProjectPage { items, total, page, per_page })
    }

    /// The common search — a two-character `q`, perhaps a unit, newest first — answered
    /// from the gram index alone: its count and page need no project row, so a broad word
    /// such as 科技 stays fast at 100,000 projects. `None` when the filter needs more.
    async fn list_by_gram(
        &self,
        actor: &Actor,
        f: &ProjectFilter,
        page: u64,
        per_page: u64,
    ) -> Result<Option<ProjectPage>> {
        let Some(q) = f.q.as_deref().map(search::normalize).filter(|q| q.chars().count() == 2) else {
            return Ok(None);
        };
        let plain = f.stage.is_none()
            && f.industry.is_none()
            && f.region.is_none()
            && f.category.is_none()
            && f.city_reportable.is_none()
            && f.key_project.is_none()
            && !f.include_deleted
            && f.sort == SortField::Id
            && f.descending;
        if !plain {
            return Ok(None);
        }
        let tree = self.unit_tree();
        let mut units: Option<Vec<i64>> = match &actor.scope {
            Scope::All => None,
            Scope::Units(ids) => Some(ids.clone()),
            Scope::Department(_) => return Ok(None),
            Scope::Nothing => return Err(StoreError::Forbidden),
        };
        if let Some(code) = f.unit.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let u = tree.find(code).ok_or_else(|| StoreError::field("unit", format!("单位「{code}」不存在")))?;
            let sub = tree.subtree(u.id);
            units = Some(match units {
                None => sub,
                Some(mine) => {
                    let both: Vec<i64> = sub.into_iter().filter(|s| mine.binary_search(s).is_ok()).collect();
                    if both.is_empty() {
                        return Err(StoreError::Forbidden);
                    }
                    both
                }
            });
        }
        // Unit ids come from our own tree (integers), so they are inlined; the gram is bound.
        let unit_sql = units
            .map(|u| format!(" AND unit_id IN ({})", u.iter().map(i64::to_string).collect::<Vec<_>>().join(",")))
            .unwrap_or_default();
        let count_sql = format!("SELECT COUNT(*) AS n FROM project_grams WHERE gram = {}{unit_sql}", self.ph(1));
        let total = self.scalar(count_sql, vec![q.clone().into()]).await?.max(0) as u64;
        let ids_sql = format!(
            "SELECT project_id FROM project_grams WHERE gram = {}{unit_sql} ORDER BY project_id DESC LIMIT {per_page} OFFSET {}",
            self.ph(1),
            (page - 1) * per_page
        );
        let ids: Vec<i64> = self
            .db()
            .query_all_raw(Statement::from_sql_and_values(self.backend(), ids_sql, [q.into()]))
            .await?
            .iter()
            .map(|r| r.try_get::<i64>("", "project_id"))
            .collect::<Result<_, _>>()?;
        let rows = if ids.is_empty() {
            vec![]
        } else {
            project::Entity::find()
                .filter(project::Column::Id.is_in(ids))
                .filter(project::Column::DeletedAt.is_null())
                .order_by_desc(project::Column::Id)
                .all(self.db())
                .await?
        };
        let items = self.hydrate(self.db(), rows).await?;
        Ok(Some(ProjectPage { items, total, page, per_page }))
    }

    /// Count and total investment of everything the filter matches (the ledger's totals row).
    pub async fn project_totals(&self, actor: &Actor, f: &ProjectFilter) -> Result<(u64, Money)> {
        let cond = self.filter_condition(actor, f).await?;
        #[derive(FromQueryResult)]
        struct T {
            n: i64,
            s: Option<i64>,
        }
        let t = project::Entity::find()
            .select_only()
            .column_as(Expr::expr(Func::count(Expr::col(project::Column::Id))), "n")
            .column_as(Expr::expr(Func::cast_as(Func::sum(Expr::col(project::Column::TotalInvestment)), "bigint")), "s")
            .filter(cond)
            .into_model::<T>()
            .one(self.db())
            .await?;
        Ok(t.map(|t| (t.n.max(0) as u64, Money::from_hundredths(t.s.unwrap_or(0)))).unwrap_or((0, Money::ZERO)))
    }

    /// Grams ordered by how many live projects carry them, rarest first (index-only counts).
    async fn rarest_first(&self, grams: Vec<String>) -> Result<Vec<String>> {
        let mut counted = Vec::with_capacity(grams.len());
        for g in grams {
            let sql = format!("SELECT COUNT(*) AS n FROM project_grams WHERE gram = {}", self.ph(1));
            let n = self.scalar(sql, vec![g.clone().into()]).await?;
            counted.push((n, g));
            if n == 0 {
                break; // nothing can match; the intersection starting here is empty at once
            }
        }
        counted.sort();
        Ok(counted.into_iter().map(|(_, g)| g).collect())
    }

    /// The WHERE of a filter, scope included: the one place that turns a filter into SQL.
    pub async fn filter_condition(&self, actor: &Actor, f: &ProjectFilter) -> Result<Condition> {
        let tree = self.unit_tree();
        let mut cond = Condition::all();
        if !(f.include_deleted && actor.has_role(domain::Role::CityAdmin)) {
            cond = cond.add(project::Column::DeletedAt.is_null());
        }
        match &actor.scope {
            Scope::All => {}
            Scope::Units(ids) => cond = cond.add(project::Column::UnitId.is_in(ids.clone())),
            Scope::Department(d) => {
                cond = cond.add(Expr::cust_with_values(
                    format!("projects.id IN (SELECT project_id FROM dept_tasks WHERE dept_unit_id = {})", self.ph(1)),
                    [*d],
                ))
            }
            Scope::Nothing => return Err(StoreError::Forbidden),
        }
        if let Some(code) = f.unit.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let Some(u) = tree.find(code) else {
                return Err(StoreError::field("unit", format!("单位「{code}」不存在")));
            };
            let sub = tree.subtree(u.id);
            if let Scope::Units(mine) = &actor.scope
                && !sub.iter().any(|s| mine.binary_search(s).is_ok())
            {
                return Err(StoreError::Forbidden);
            }
            cond = if sub.len() == 1 {
                cond.add(project::Column::UnitId.eq(u.id))
            } else {
                cond.add(project::Column::UnitId.is_in(sub))
            };
        }
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
                            self.ph(1),
                            self.ph(2)
                        ),
                        [nq.clone(), hi],
                    ));
                } else {
                    // One subquery that intersects the grams inside the gram index, starting
                    // from the rarest so the join probes few entries; then only the
                    // candidates' rows are read (and checked with LIKE below).
                    let grams = self.rarest_first(grams).await?;
                    let mut sql = "projects.id IN (SELECT g0.project_id FROM project_grams g0".to_string();
                    for i in 1..grams.len() {
                        sql += &format!(
                            " JOIN project_grams g{i} ON g{i}.project_id = g0.project_id AND g{i}.gram = {}",
                            self.ph(i + 1)
                        );
                    }
                    sql += &format!(" WHERE g0.gram = {})", self.ph(1));
                    // The joins' placeholders come before the WHERE's in the text.
                    let mut values: Vec<sea_orm::Value> = grams[1..].iter().map(|g| g.clone().into()).collect();
                    values.push(grams[0].clone().into());
                    if self.backend() == sea_orm::DbBackend::Postgres {
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

    pub async fn get_project(&self, actor: &Actor, id: i64) -> Result<Project> {
        let row = self.scoped_row(self.db(), actor, id).await?;
        self.hydrate(self.db(), vec![row]).await?.pop().ok_or(StoreError::NotFound)
    }

    pub async fn create_project(&self, actor: &Actor, input: ProjectInput) -> Result<Project> {
        let txn = self.write().await?;
        let p = self.insert_project(&txn, actor, input).await?;
        txn.commit().await?;
        Ok(p)
    }

    /// Insert a project inside the caller's transaction (the API and the importer share it).
    /// Validate a new project and build its row (stage reserve; code assigned after insert).
    /// `errors` carries what the caller found already (e.g. unknown investors).
    pub(crate) fn prepare_row(
        &self,
        actor: &Actor,
        input: &ProjectInput,
        investors: &[company::Model],
        mut errors: Vec<FieldError>,
    ) -> Result<(project::ActiveModel, DateTime<Utc>)> {
        require_text(&mut errors, "name", &input.name, 200, "项目名称");
        let unit_id = self.unit_in_scope(actor, &input.unit, &mut errors)?;
        let industry = check_industry(&mut errors, &input.industry);
        let region = check_region(&mut errors, &input.region);
        let channel = check_channel(&mut errors, input.channel.as_deref());
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let unit_id = unit_id.ok_or_else(|| StoreError::field("unit", "责任单位不能为空"))?;
        // Names are not unique: two projects of one unit may share one (the importer
        // matches by name only when exactly one does).
        let name = input.name.trim().to_string();
        let standing: Vec<_> =
            investors.iter().map(|c| crate::companies::Company::from(c.clone()).standing()).collect();
        let reportable = domain::city_reportable(input.total_investment, &standing);
        let key = domain::key_project(&input.categories, reportable);
        let now = crate::now();
        let created_at = input
            .created_on
            .and_then(|d| d.and_hms_opt(1, 0, 0))
            .map(|t| t.and_utc())
            .filter(|t| *t < now)
            .unwrap_or(now);
        // Unique until the real code (which needs the id) replaces it in the same transaction.
        let temp_code = format!("tmp-{}-{}", now.timestamp_micros(), rand_suffix());
        let am = project::ActiveModel {
            code: Set(temp_code),
            name: Set(name),
            unit_id: Set(unit_id),
            industry: Set(industry),
            region: Set(region),
            channel: Set(channel),
            categories: Set(categories_text(&input.categories)),
            total_investment: Set(input.total_investment.hundredths()),
            foreign_investment: Set(input.foreign_investment.map(Money::hundredths)),
            land_mu: Set(input.land_mu.map(Money::hundredths)),
            expected_output: Set(input.expected_output.map(Money::hundredths)),
            expected_tax: Set(input.expected_tax.map(Money::hundredths)),
            expected_jobs: Set(input.expected_jobs),
            lead_leader: Set(input.lead_leader.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())),
            stage: Set(Stage::Reserve.code().into()),
            paused_from: Set(None),
            accepted_stage: Set(Stage::Reserve.code().into()),
            review_state: Set("none".into()),
            signed_on: Set(None),
            approved_on: Set(None),
            started_on: Set(None),
            producing_on: Set(None),
            at_capacity_on: Set(None),
            expected_producing_on: Set(input.expected_producing_on),
            last_transition_on: Set(None),
            city_reportable: Set(reportable),
            key_project: Set(key),
            notes: Set(input.notes.clone().filter(|s| !s.trim().is_empty())),
            search_text: Set(String::new()),
            version: Set(1),
            created_by: Set(actor.user_id),
            created_at: Set(created_at),
            updated_at: Set(now),
            deleted_at: Set(None),
            ..Default::default()
        };
        Ok((am, created_at))
    }

    pub async fn insert_project(
        &self,
        txn: &DatabaseTransaction,
        actor: &Actor,
        input: ProjectInput,
    ) -> Result<Project> {
        let mut errors = vec![];
        let investors = self.investors(txn, &input.investor_ids, &mut errors).await?;
        let (am, created_at) = self.prepare_row(actor, &input, &investors, errors)?;
        let row = am.insert(txn).await?;
        let code = project_code(created_at, row.id);
        let mut am = row.into_active_model();
        am.code = Set(code);
        let row = am.update(txn).await?;
        for (pos, c) in investors.iter().enumerate() {
            project_investor::ActiveModel { project_id: Set(row.id), company_id: Set(c.id), position: Set(pos as i32) }
                .insert(txn)
                .await?;
        }
        let row = self.reindex(txn, row, &investors).await?;
        let p = self.hydrate(txn, vec![row]).await?.pop().ok_or(StoreError::NotFound)?;
        audit::record(txn, actor, Event::ok("project.create", "project", p.id).after(&p)).await?;
        Ok(p)
    }

    /// Rewrite a project's search text and grams.
    async fn reindex(
        &self,
        txn: &DatabaseTransaction,
        row: project::Model,
        investors: &[company::Model],
    ) -> Result<project::Model> {
        let (text, grams) = search_index(&row.name, &row.code, investors);
        project_gram::Entity::delete_many().filter(project_gram::Column::ProjectId.eq(row.id)).exec(txn).await?;
        let live = row.deleted_at.is_none();
        let batch: Vec<project_gram::ActiveModel> = grams
            .into_iter()
            .filter(|_| live)
            .map(|g| project_gram::ActiveModel { gram: Set(g), project_id: Set(row.id), unit_id: Set(row.unit_id) })
            .collect();
        for chunk in batch.chunks(500) {
            project_gram::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
        }
        if row.search_text == text {
            return Ok(row);
        }
        let mut am = row.into_active_model();
        am.search_text = Set(text);
        Ok(am.update(txn).await?)
    }

    /// Apply a versioned row update: `UPDATE … WHERE id = ? AND version = ?`, so a stale
    /// writer loses with 409 instead of overwriting (security.md §19).
    async fn save_versioned(
        &self,
        txn: &DatabaseTransaction,
        mut am: project::ActiveModel,
        id: i64,
        version: i32,
    ) -> Result<project::Model> {
        am.version = Set(version + 1);
        am.updated_at = Set(crate::now());
        let res = project::Entity::update_many()
            .set(am)
            .filter(project::Column::Id.eq(id))
            .filter(project::Column::Version.eq(version))
            .exec(txn)
            .await?;
        if res.rows_affected != 1 {
            return Err(stale());
        }
        project::Entity::find_by_id(id).one(txn).await?.ok_or(StoreError::NotFound)
    }

    pub async fn update_project(&self, actor: &Actor, id: i64, patch: ProjectPatch) -> Result<Project> {
        let txn = self.write().await?;
        let after = self.update_project_in(&txn, actor, id, patch).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Update inside the caller's transaction (the API and the ledger importer share it).
    pub async fn update_project_in(
        &self,
        txn: &DatabaseTransaction,
        actor: &Actor,
        id: i64,
        patch: ProjectPatch,
    ) -> Result<Project> {
        let row = self.scoped_row(txn, actor, id).await?;
        if row.deleted_at.is_some() {
            return Err(StoreError::Conflict("项目已删除，请先恢复".into()));
        }
        if row.version != patch.version {
            return Err(stale());
        }
        let before = self.hydrate(txn, vec![row.clone()]).await?.pop().ok_or(StoreError::NotFound)?;
        let mut errors = vec![];
        let mut am = project::ActiveModel { ..Default::default() };
        if let Some(n) = &patch.name {
            require_text(&mut errors, "name", n, 200, "项目名称");
            am.name = Set(n.trim().to_string());
        }
        if let Some(u) = &patch.unit {
            // Moving a project to another unit changes whose record it is: city_admin only.
            if !actor.has_role(domain::Role::CityAdmin) {
                errors.push(FieldError::new("unit", "不能修改项目的责任单位"));
            } else if let Some(uid) = self.unit_in_scope(actor, u, &mut errors)? {
                am.unit_id = Set(uid);
            }
        }
        if let Some(i) = &patch.industry {
            am.industry = Set(check_industry(&mut errors, i));
        }
        if let Some(r) = &patch.region {
            am.region = Set(check_region(&mut errors, r));
        }
        if let Some(c) = &patch.channel {
            am.channel = Set(check_channel(&mut errors, c.as_deref()));
        }
        if let Some(c) = &patch.categories {
            am.categories = Set(categories_text(c));
        }
        if let Some(t) = patch.total_investment {
            am.total_investment = Set(t.hundredths());
        }
        if let Some(v) = patch.foreign_investment {
            am.foreign_investment = Set(v.map(Money::hundredths));
        }
        if let Some(v) = patch.land_mu {
            am.land_mu = Set(v.map(Money::hundredths));
        }
        if let Some(v) = patch.expected_output {
            am.expected_output = Set(v.map(Money::hundredths));
        }
        if let Some(v) = patch.expected_tax {
            am.expected_tax = Set(v.map(Money::hundredths));
        }
        if let Some(v) = patch.expected_jobs {
            am.expected_jobs = Set(v);
        }
        if let Some(v) = patch.expected_producing_on {
            am.expected_producing_on = Set(v);
        }
        if let Some(v) = &patch.lead_leader {
            am.lead_leader = Set(v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()));
        }
        if let Some(v) = &patch.notes {
            am.notes = Set(v.clone().filter(|s| !s.trim().is_empty()));
        }
        let investor_ids =
            patch.investor_ids.clone().unwrap_or_else(|| before.investors.iter().map(|i| i.id).collect());
        let investors = self.investors(txn, &investor_ids, &mut errors).await?;
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let total = patch.total_investment.unwrap_or(before.total_investment);
        let cats = patch.categories.clone().unwrap_or_else(|| before.categories.clone());
        let standing: Vec<_> =
            investors.iter().map(|c| crate::companies::Company::from(c.clone()).standing()).collect();
        let reportable = domain::city_reportable(total, &standing);
        am.city_reportable = Set(reportable);
        am.key_project = Set(domain::key_project(&cats, reportable));
        let row = self.save_versioned(txn, am, id, row.version).await?;
        if let Some(ids) = &patch.investor_ids {
            project_investor::Entity::delete_many()
                .filter(project_investor::Column::ProjectId.eq(id))
                .exec(txn)
                .await?;
            let mut seen = vec![];
            for (pos, cid) in ids.iter().enumerate() {
                if seen.contains(cid) {
                    continue;
                }
                seen.push(*cid);
                project_investor::ActiveModel { project_id: Set(id), company_id: Set(*cid), position: Set(pos as i32) }
                    .insert(txn)
                    .await?;
            }
        }
        let row = if patch.name.is_some() || patch.investor_ids.is_some() || patch.unit.is_some() {
            self.reindex(txn, row, &investors).await?
        } else {
            row
        };
        let after = self.hydrate(txn, vec![row]).await?.pop().ok_or(StoreError::NotFound)?;
        audit::record(txn, actor, Event::ok("project.update", "project", id).before(&before).after(&after)).await?;
        Ok(after)
    }

    /// Record a new 项目进展情况 inside the caller's transaction: a dated timeline entry and
    /// the project's latest progress (a versioned change of the project row), audited.
    /// Blank text, or the same text as the latest, records nothing; else the project's new
    /// version is returned.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn add_progress_in(
        &self,
        txn: &DatabaseTransaction,
        actor: &Actor,
        id: i64,
        version: i32,
        latest: Option<&str>,
        date: NaiveDate,
        note: &str,
    ) -> Result<Option<i32>> {
        let note = note.trim();
        if note.is_empty() || latest == Some(note) {
            return Ok(None);
        }
        if note.chars().count() > PROGRESS_MAX {
            return Err(StoreError::field("progress", format!("项目进展情况不能超过{PROGRESS_MAX}个字符")));
        }
        let am = project::ActiveModel { progress: Set(Some(note.to_string())), ..Default::default() };
        let row = self.save_versioned(txn, am, id, version).await?;
        let n = progress_note::ActiveModel {
            project_id: Set(id),
            date: Set(date),
            note: Set(note.to_string()),
            created_by: Set(actor.user_id),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let after = serde_json::json!({ "date": n.date, "note": n.note, "before": latest });
        audit::record(txn, actor, Event::ok("project.progress", "project", id).after(&after)).await?;
        Ok(Some(row.version))
    }

    pub async fn delete_project(&self, actor: &Actor, id: i64) -> Result<()> {
        let txn = self.write().await?;
        let row = self.scoped_row(&txn, actor, id).await?;
        if row.deleted_at.is_some() {
            return Err(StoreError::NotFound);
        }
        let version = row.version;
        let am = project::ActiveModel { deleted_at: Set(Some(crate::now())), ..Default::default() };
        self.save_versioned(&txn, am, id, version).await?;
        // Only live projects are in the search index.
        project_gram::Entity::delete_many().filter(project_gram::Column::ProjectId.eq(id)).exec(&txn).await?;
        audit::record(
            &txn,
            actor,
            Event::ok("project.delete", "project", id).before(serde_json::json!({"code": row.code, "name": row.name})),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Undo a soft delete (city_admin).
    pub async fn restore_project(&self, actor: &Actor, id: i64) -> Result<Project> {
        let txn = self.write().await?;
        let row = self.scoped_row(&txn, actor, id).await?;
        if row.deleted_at.is_none() {
            return Err(StoreError::Conflict("项目未被删除".into()));
        }
        let am = project::ActiveModel { deleted_at: Set(None), ..Default::default() };
        let row = self.save_versioned(&txn, am, id, row.version).await?;
        let investors = self.project_investors(&txn, id).await?;
        let row = self.reindex(&txn, row, &investors).await?;
        let p = self.hydrate(&txn, vec![row]).await?.pop().ok_or(StoreError::NotFound)?;
        audit::record(&txn, actor, Event::ok("project.restore", "project", id).after(&p)).await?;
        txn.commit().await?;
        Ok(p)
    }

    /// Move a project to another stage under the rules of domain.md §4.
    pub async fn transition_project(&self, actor: &Actor, id: i64, input: TransitionInput) -> Result<Project> {
        let txn = self.write().await?;
        let p = self.apply_transition(&txn, actor, id, input).await?;
        txn.commit().await?;
        Ok(p)
    }

    /// The transition inside a caller's transaction (the API, the importer, the demo).
    pub async fn apply_transition(
        &self,
        txn: &DatabaseTransaction,
        actor: &Actor,
        id: i64,
        input: TransitionInput,
    ) -> Result<Project> {
        let row = self.scoped_row(txn, actor, id).await?;
        if row.deleted_at.is_some() {
            return Err(StoreError::Conflict("项目已删除，不能变更阶段".into()));
        }
        if input.version.is_some_and(|v| v != row.version) {
            return Err(stale());
        }
        let state = StageState {
            stage: stage_of(&row.stage),
            paused_from: row.paused_from.as_deref().map(stage_of),
            dates: StageDates {
                signed_on: row.signed_on,
                approved_on: row.approved_on,
                started_on: row.started_on,
                producing_on: row.producing_on,
                at_capacity_on: row.at_capacity_on,
            },
            last_date: row.last_transition_on,
        };
        let req = TransitionRequest {
            to: input.to,
            date: input.date,
            skipped_dates: input.skipped_dates.clone(),
            reason: input.reason.clone(),
            may_correct: domain::access::has_permission(&actor.roles, Permission::ProjectCorrect),
            today: domain::today_shanghai(),
        };
        let applied = stage::apply(&state, &req).map_err(|e| StoreError::Conflict(e.to_string()))?;
        let next = applied.state;
        let (review_state, accepted) =
            review_after(actor.is_city(), input.to, &row.review_state, stage_of(&row.accepted_stage), next.stage);
        let reviewed = REVIEWED_STAGES.contains(&input.to) && !actor.is_city();
        let accepted = accepted.code().to_string();
        let before = self.hydrate(txn, vec![row.clone()]).await?.pop().ok_or(StoreError::NotFound)?;
        let am = project::ActiveModel {
            stage: Set(next.stage.code().into()),
            paused_from: Set(next.paused_from.map(|s| s.code().to_string())),
            accepted_stage: Set(accepted),
            review_state: Set(review_state),
            signed_on: Set(next.dates.signed_on),
            approved_on: Set(next.dates.approved_on),
            started_on: Set(next.dates.started_on),
            producing_on: Set(next.dates.producing_on),
            at_capacity_on: Set(next.dates.at_capacity_on),
            last_transition_on: Set(next.last_date),
            ..Default::default()
        };
        let row = self.save_versioned(txn, am, id, row.version).await?;
        let skipped = if input.skipped_dates.is_empty() {
            None
        } else {
            serde_json::to_string(
                &input.skipped_dates.iter().map(|(s, d)| (s.code(), d.to_string())).collect::<BTreeMap<_, _>>(),
            )
            .ok()
        };
        transition::ActiveModel {
            project_id: Set(id),
            from_stage: Set(state.stage.code().into()),
            to_stage: Set(input.to.code().into()),
            date: Set(input.date),
            note: Set(input.note.clone().filter(|s| !s.trim().is_empty())),
            reason: Set(input.reason.clone().filter(|s| !s.trim().is_empty())),
            skipped_dates: Set(skipped),
            correction: Set(applied.correction),
            review_state: Set(if reviewed { "submitted".into() } else { "accepted".into() }),
            created_by: Set(actor.user_id),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let after = self.hydrate(txn, vec![row]).await?.pop().ok_or(StoreError::NotFound)?;
        let action = if applied.correction { "project.correct_stage" } else { "project.transition" };
        audit::record(
            txn,
            actor,
            Event::ok(action, "project", id)
                .before(serde_json::json!({"stage": before.stage, "dates": state.dates}))
                .after(serde_json::json!({"stage": after.stage, "dates": next.dates, "input": input})),
        )
        .await?;
        Ok(after)
    }

    /// Transitions, funds entries and creation, oldest first.
    pub async fn timeline(&self, actor: &Actor, id: i64) -> Result<Vec<TimelineEvent>> {
        let row = self.scoped_row(self.db(), actor, id).await?;
        let mut events = vec![TimelineEvent {
            kind: "created",
            date: domain::shanghai_date(row.created_at),
            at: row.created_at,
            from: None,
            to: Some(Stage::Reserve),
            note: None,
            reason: None,
            correction: false,
            review_state: None,
            amount: None,
            funds_kind: None,
            by: None,
        }];
        let ts = transition::Entity::find()
            .filter(transition::Column::ProjectId.eq(id))
            .order_by_asc(transition::Column::Id)
            .all(self.db())
            .await?;
        let names = self.user_names(ts.iter().filter_map(|t| t.created_by).collect()).await?;
        for t in ts {
            events.push(TimelineEvent {
                kind: "transition",
                date: t.date,
                at: t.created_at,
                from: Stage::parse(&t.from_stage),
                to: Stage::parse(&t.to_stage),
                note: t.note,
                reason: t.reason,
                correction: t.correction,
                review_state: Some(t.review_state),
                amount: None,
                funds_kind: None,
                by: t.created_by.and_then(|u| names.get(&u).cloned()),
            });
        }
        let funds = funds_entry::Entity::find()
            .filter(funds_entry::Column::ProjectId.eq(id))
            .filter(funds_entry::Column::DeletedAt.is_null())
            .all(self.db())
            .await?;
        for f in funds {
            events.push(TimelineEvent {
                kind: "funds",
                date: f.date,
                at: f.created_at,
                from: None,
                to: None,
                note: f.note,
                reason: None,
                correction: false,
                review_state: Some(f.review_state),
                amount: Some(Money::from_hundredths(f.amount)),
                funds_kind: Some(f.kind),
                by: None,
            });
        }
        let notes = progress_note::Entity::find()
            .filter(progress_note::Column::ProjectId.eq(id))
            .order_by_asc(progress_note::Column::Id)
            .all(self.db())
            .await?;
        let names = self.user_names(notes.iter().filter_map(|n| n.created_by).collect()).await?;
        for n in notes {
            events.push(TimelineEvent {
                kind: "progress",
                date: n.date,
                at: n.created_at,
                from: None,
                to: None,
                note: Some(n.note),
                reason: None,
                correction: false,
                review_state: None,
                amount: None,
                funds_kind: None,
                by: n.created_by.and_then(|u| names.get(&u).cloned()),
            });
        }
        // Creation first; then by calendar date (history is often entered afterwards, with
        // earlier dates), then by when it was recorded.
        events[1..].sort_by_key(|a| (a.date, a.at));
        Ok(events)
    }

    async fn user_names(&self, ids: Vec<i64>) -> Result<HashMap<i64, String>> {
        use crate::entity::user;
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = user::Entity::find().filter(user::Column::Id.is_in(ids)).all(self.db()).await?;
        Ok(rows.into_iter().map(|u| (u.id, u.display_name)).collect())
    }

    async fn project_investors(&self, txn: &DatabaseTransaction, id: i64) -> Result<Vec<company::Model>> {
        let links = project_investor::Entity::find()
            .filter(project_investor::Column::ProjectId.eq(id))
            .order_by_asc(project_investor::Column::Position)
            .all(txn)
            .await?;
        let ids: Vec<i64> = links.iter().map(|l| l.company_id).collect();
        let mut errors = vec![];
        self.investors(txn, &ids, &mut errors).await
    }

    /// Scope check only (for sub-resources such as funds).
    pub async fn check_project(&self, actor: &Actor, id: i64) -> Result<()> {
        self.scoped_row(self.db(), actor, id).await.map(|_| ())
    }

    pub(crate) async fn check_project_in(
        &self,
        txn: &DatabaseTransaction,
        actor: &Actor,
        id: i64,
    ) -> Result<project::Model> {
        let row = self.scoped_row(txn, actor, id).await?;
        if row.deleted_at.is_some() {
            return Err(StoreError::Conflict("项目已删除".into()));
        }
        Ok(row)
    }
}

/// 审核 (domain.md §4): a unit's claim to a reviewed stage waits for the city (submitted);
/// while one waits, the accepted stage stays; the city's own transitions are final.
/// Returns the new review state and accepted stage.
pub(crate) fn review_after(
    by_city: bool,
    to: Stage,
    review_state: &str,
    accepted: Stage,
    next: Stage,
) -> (String, Stage) {
    if by_city {
        ("none".into(), next)
    } else if REVIEWED_STAGES.contains(&to) {
        ("submitted".into(), accepted)
    } else if review_state == "none" {
        ("none".into(), next)
    } else {
        (review_state.to_string(), accepted)
    }
}

/// A project's code: `XM` + the year it was recorded + its id.
pub(crate) fn project_code(created_at: DateTime<Utc>, id: i64) -> String {
    format!("XM{}{:06}", domain::shanghai_date(created_at).year(), id)
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed) ^ ((std::process::id() as u64) << 40)
}

/// The searchable text of a project and its grams.
pub(crate) fn search_index(
    name: &str,
    code: &str,
    investors: &[company::Model],
) -> (String, std::collections::BTreeSet<String>) {
    let mut parts = vec![search::normalize(name), search::normalize(code)];
    parts.extend(investors.iter().map(|c| search::normalize(&c.name)));
    let mut grams = std::collections::BTreeSet::new();
    for p in &parts {
        grams.extend(search::grams(p));
    }
    (parts.join("\n"), grams)
}

fn stale() -> StoreError {
    StoreError::Conflict("数据已被他人修改（版本号已过期），请刷新后重试".into())
}
