//! The company library (企业库, domain.md §3). Companies are shared by all units: a company
//! is not unit data; the projects that name it are. A company's ranks by list and year are
//! in [`rankings`] (history, the list import); the Excel export's rows in [`export`].

mod export;
pub mod rankings;
mod standing;

pub use export::COMPANY_EXPORT_MAX_ROWS;
pub use rankings::{Ambiguous, Ranking, RankingImport, RankingReport};

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::fields::COMPANY;
use domain::{CreditCode, FieldError, Money, Permission, Stage};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use serde::Serialize;

use crate::audit::Event;
use crate::entity::{company, project, project_investor};
use crate::handle::one_shot;
use crate::projects::ProjectFilter;
use crate::search::like_escape;
use crate::{Result, Scoped, Store, StoreError, Tx};

/// A company as the API serves it: the row itself (never more than the table holds).
pub type Company = company::Model;

impl company::Model {
    pub fn standing(&self) -> domain::InvestorStanding {
        domain::InvestorStanding {
            fortune_global_500: self.fortune_global_500_rank.is_some(),
            china_500: self.china_500_rank.is_some(),
            china_private_500: self.china_private_500_rank.is_some(),
            industry_leader: self.industry_leader,
        }
    }

    /// The company as the city-reportable reason names it (domain::reportable_reason).
    pub fn ranked(&self) -> domain::project::RankedInvestor<'_> {
        domain::project::RankedInvestor {
            name: &self.name,
            fortune_global_500_rank: self.fortune_global_500_rank,
            china_500_rank: self.china_500_rank,
            china_private_500_rank: self.china_private_500_rank,
            industry_leader: self.industry_leader,
            leader_reason: self.leader_reason.as_deref(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct NewCompany {
    pub name: String,
    pub credit_code: Option<CreditCode>,
    pub country: String,
    pub region: Option<String>,
    pub hq_city: Option<String>,
    pub industry: Option<String>,
    pub fortune_global_500_rank: Option<i32>,
    pub china_500_rank: Option<i32>,
    pub china_private_500_rank: Option<i32>,
    pub rank_year: Option<i32>,
    pub industry_leader: bool,
    pub leader_reason: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
    /// 投资方类型 as a ledger declared it (kept while the ranks are unknown; not a rank).
    pub declared_type: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct CompanyFilter {
    pub q: Option<String>,
    /// Only companies with a Fortune Global 500 / China 500 / China private 500 / leader mark.
    pub ranked: Option<bool>,
    pub page: u64,
    pub per_page: u64,
}

/// A project of a company, as the company page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyProject {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit_name: String,
    pub stage: Stage,
    pub total_investment: Money,
    pub signed_on: Option<NaiveDate>,
}

/// The most projects the company page lists; the ledger's search finds the rest.
pub const COMPANY_PROJECTS_LIMIT: u64 = 500;

/// The condition of a company list's filter (the list and its Excel export).
fn company_condition(f: &CompanyFilter) -> Condition {
    let mut cond = Condition::all();
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pat = format!("%{}%", like_escape(q));
        cond = cond.add(
            Condition::any()
                .add(company::Column::Name.like(sea_orm::sea_query::LikeExpr::new(pat.clone()).escape('\\')))
                .add(company::Column::CreditCode.like(sea_orm::sea_query::LikeExpr::new(pat).escape('\\'))),
        );
    }
    if f.ranked == Some(true) {
        cond = cond.add(
            Condition::any()
                .add(company::Column::FortuneGlobal500Rank.is_not_null())
                .add(company::Column::China500Rank.is_not_null())
                .add(company::Column::ChinaPrivate500Rank.is_not_null())
                .add(company::Column::IndustryLeader.eq(true)),
        );
    }
    cond
}

impl Scoped<'_> {
    /// A company's child rows (`E`, its `company` column: rankings, contacts) in `order`:
    /// `company:read` (403), and 404 for an unknown company.
    pub(crate) async fn company_children<E: sea_orm::EntityTrait>(
        &self,
        id: i64,
        company: E::Column,
        order: &[(E::Column, sea_orm::Order)],
    ) -> Result<Vec<E::Model>>
    where
        E::Model: Send + Sync,
    {
        self.require(Permission::CompanyRead)?;
        let db = self.store.db();
        company::Entity::find_by_id(id).one(db).await?.ok_or(StoreError::NotFound)?;
        crate::handle::child_rows::<E>(db, company, id, None, order).await
    }
}

/// Every company's id and name, by id: what the near-duplicate checks compare.
pub(crate) async fn company_names(db: &impl sea_orm::ConnectionTrait) -> Result<Vec<(i64, String)>> {
    let q = company::Entity::find().select_only().column(company::Column::Id).column(company::Column::Name);
    Ok(q.order_by_asc(company::Column::Id).into_tuple().all(db).await?)
}

/// The library's companies by [`domain::company::name_key`], for the near-duplicate check
/// of every path that creates a company (the company form, a project's new investors, the
/// ledger import), read in the caller's transaction.
#[derive(Debug, Default)]
pub(crate) struct NameKeys(HashMap<String, Vec<crate::projects::InvestorRef>>);

impl NameKeys {
    pub(crate) async fn load<C: sea_orm::ConnectionTrait>(db: &C) -> Result<NameKeys> {
        let mut keys = NameKeys::default();
        for (id, name) in company_names(db).await? {
            keys.add(id, name);
        }
        Ok(keys)
    }

    /// A company just created, so that a later name in the same write finds it.
    pub(crate) fn add(&mut self, id: i64, name: String) {
        let key = domain::company::name_key(&name);
        if !key.is_empty() {
            self.0.entry(key).or_default().push(crate::projects::InvestorRef { id, name });
        }
    }

    /// The other companies (another spelling) `name` is a near-duplicate of.
    pub(crate) fn similar(&self, name: &str) -> Vec<&crate::projects::InvestorRef> {
        let name = name.trim();
        self.0
            .get(&domain::company::name_key(name))
            .map(|v| v.iter().filter(|c| c.name != name).collect())
            .unwrap_or_default()
    }
}

impl Scoped<'_> {
    /// The company library is shared by all units: reading it needs `company:read` only.
    fn require_companies(&self) -> Result<&Store> {
        self.require(Permission::CompanyRead)?;
        Ok(self.store)
    }

    pub async fn list_companies(&self, f: &CompanyFilter) -> Result<(Vec<Company>, u64)> {
        let store = self.require_companies()?;
        let q = company::Entity::find().filter(company_condition(f));
        crate::paged(store.db(), q, (company::Column::Id, sea_orm::Order::Asc), f.page, f.per_page).await
    }

    /// The companies whose names are near-duplicates of `name` (domain::company::name_key:
    /// the same without 有限公司, 股份, 集团, （中国） and spaces), by id.
    pub async fn similar_companies(&self, name: &str) -> Result<Vec<crate::projects::InvestorRef>> {
        self.require(Permission::CompanyRead)?;
        let key = domain::company::name_key(name);
        if key.is_empty() {
            return Ok(vec![]);
        }
        Ok(NameKeys::load(self.store.db()).await?.0.remove(&key).unwrap_or_default())
    }

    pub async fn get_company(&self, id: i64) -> Result<Company> {
        let store = self.require_companies()?;
        company::Entity::find_by_id(id).one(store.db()).await?.ok_or(StoreError::NotFound)
    }

    /// The projects that name a company as investor, newest first — only those in the
    /// caller's scope: a company is shared by all units, its projects are not.
    /// Returns at most `COMPANY_PROJECTS_LIMIT` projects and the count of all of them.
    pub async fn company_projects(&self, company_id: i64) -> Result<(Vec<CompanyProject>, u64)> {
        let store = self.require_companies()?;
        let cond = self.filter_condition(&ProjectFilter::default()).await?.add(Expr::cust_with_values(
            format!("projects.id IN (SELECT project_id FROM project_investors WHERE company_id = {})", store.ph(1)),
            [company_id],
        ));
        let q = project::Entity::find().filter(cond);
        let total = q.clone().count(store.db()).await?;
        let rows = q.order_by_desc(project::Column::Id).limit(COMPANY_PROJECTS_LIMIT).all(store.db()).await?;
        let tree = store.unit_tree();
        let items = rows
            .into_iter()
            .map(|r| CompanyProject {
                unit_name: tree.get(r.unit_id).map(|u| u.name.clone()).unwrap_or_default(),
                id: r.id,
                code: r.code,
                name: r.name,
                stage: Stage::parse(&r.stage).unwrap_or(Stage::Reserve),
                total_investment: Money::from_hundredths(r.total_investment),
                signed_on: r.signed_on,
            })
            .collect();
        Ok((items, total))
    }

    /// How many projects in the caller's scope name each of these companies (the company
    /// list's 项目数 column); companies with none are absent.
    pub async fn company_project_counts(&self, company_ids: &[i64]) -> Result<HashMap<i64, u64>> {
        let store = self.require_companies()?;
        if company_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let cond = self.filter_condition(&ProjectFilter::default()).await?;
        let mut out = HashMap::new();
        // the export asks for every company: in chunks, as an IN list has its limits
        for chunk in company_ids.chunks(1000) {
            let in_scope =
                project::Entity::find().select_only().column(project::Column::Id).filter(cond.clone()).into_query();
            let rows: Vec<(i64, i64)> = project_investor::Entity::find()
                .select_only()
                .column(project_investor::Column::CompanyId)
                .column_as(Expr::expr(Func::count(Expr::col(project_investor::Column::ProjectId))), "n")
                .filter(project_investor::Column::CompanyId.is_in(chunk.to_vec()))
                .filter(project_investor::Column::ProjectId.in_subquery(in_scope))
                .group_by(project_investor::Column::CompanyId)
                .into_tuple()
                .all(store.db())
                .await?;
            out.extend(rows.into_iter().map(|(c, n)| (c, n.max(0) as u64)));
        }
        Ok(out)
    }

    /// Companies by id (a project's investors); the company library is shared, so any
    /// business user may read it.
    pub async fn companies_by_ids(&self, ids: &[i64]) -> Result<Vec<Company>> {
        let store = self.require_companies()?;
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(1000) {
            out.extend(
                company::Entity::find().filter(company::Column::Id.is_in(chunk.to_vec())).all(store.db()).await?,
            );
        }
        Ok(out)
    }

    /// 投资方类型 of each company, as the ledger names it (the export's column).
    pub async fn investor_types(&self, ids: &[i64]) -> Result<HashMap<i64, &'static str>> {
        let ids = crate::text::dedup(ids.to_vec());
        Ok(self.companies_by_ids(&ids).await?.iter().map(|c| (c.id, investor_type(c))).collect())
    }
}

one_shot! {
    write fn create_company(new: NewCompany) -> Company;
}

/// 投资方类型 (ledger.md) of a company: the rule is `domain::investor_type`.
pub fn investor_type(c: &Company) -> &'static str {
    domain::investor_type(&c.standing(), c.declared_type.as_deref())
}

/// What is wrong with a new company, field by field (empty when fine).
fn validate(new: &NewCompany) -> Vec<FieldError> {
    let mut errors = vec![];
    COMPANY.check_required("name", &new.name, &mut errors);
    for (field, value) in [
        ("country", Some(new.country.as_str())),
        ("hq_city", new.hq_city.as_deref()),
        ("leader_reason", new.leader_reason.as_deref()),
        ("website", new.website.as_deref()),
        ("notes", new.notes.as_deref()),
        ("declared_type", new.declared_type.as_deref()),
    ] {
        COMPANY.check_opt(field, value, &mut errors);
    }
    if let Some(r) = new.region.as_deref()
        && domain::reference::region(r).is_none()
    {
        errors.push(FieldError::new("region", format!("来源地「{r}」不在地区表中")));
    }
    if let Some(i) = new.industry.as_deref()
        && domain::reference::industry(i).is_none()
    {
        errors.push(FieldError::new("industry", format!("产业类别「{i}」不在产业表中")));
    }
    for (field, rank) in [
        ("fortune_global_500_rank", new.fortune_global_500_rank),
        ("china_500_rank", new.china_500_rank),
        ("china_private_500_rank", new.china_private_500_rank),
    ] {
        if rank.is_some_and(|r| !(1..=domain::ranking::MAX_RANK).contains(&r)) {
            errors.push(FieldError::new(field, "排名应在1到500之间"));
        }
    }
    if let Some(y) = new.rank_year
        && let Err(e) = domain::ranking::check_year(y, chrono::Datelike::year(&domain::today_shanghai()))
    {
        errors.push(FieldError::new("rank_year", e.replace("榜单年份", "排名年份")));
    }
    errors
}

impl Tx<'_> {
    /// Register a company, audited (company.create): the API, a project form's new
    /// investor, the importer and the demo loader.
    pub async fn create_company(&self, new: NewCompany) -> Result<Company> {
        self.s.require(Permission::CompanyWrite)?;
        let errors = validate(&new);
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let txn = &self.txn;
        let name = new.name.trim().to_string();
        if company::Entity::find().filter(company::Column::Name.eq(&name)).one(txn).await?.is_some() {
            return Err(StoreError::field("name", "同名企业已存在"));
        }
        if let Some(cc) = &new.credit_code
            && company::Entity::find().filter(company::Column::CreditCode.eq(cc.as_str())).one(txn).await?.is_some()
        {
            return Err(StoreError::field("credit_code", "该统一社会信用代码已登记"));
        }
        let canonical = |o: Option<String>, f: fn(&str) -> Option<&'static domain::reference::Entry>| {
            o.and_then(|v| f(&v).map(|e| e.code.clone()))
        };
        let am = company::ActiveModel {
            name: Set(name),
            credit_code: Set(new.credit_code.map(|c| c.as_str().to_string())),
            country: Set(if new.country.trim().is_empty() { "中国".into() } else { new.country.trim().to_string() }),
            region: Set(canonical(new.region, domain::reference::region)),
            hq_city: Set(new.hq_city),
            industry: Set(canonical(new.industry, domain::reference::industry)),
            fortune_global_500_rank: Set(new.fortune_global_500_rank),
            china_500_rank: Set(new.china_500_rank),
            china_private_500_rank: Set(new.china_private_500_rank),
            rank_year: Set(new.rank_year),
            industry_leader: Set(new.industry_leader),
            leader_reason: Set(new.leader_reason),
            website: Set(new.website),
            notes: Set(new.notes),
            declared_type: Set(new.declared_type),
            ..Default::default()
        };
        let m = self.insert_new(am).await?;
        // a rank given with its year is the first row of the company's ranking history
        if let Some(year) = m.rank_year {
            for (list, rank) in rankings::ranks_of(&m) {
                if let Some(rank) = rank {
                    self.put_ranking(m.id, list, year, rankings::Placing { rank, revenue: None, country: None })
                        .await?;
                }
            }
        }
        self.audited(Event::ok(domain::AuditAction::CompanyCreate, "company", m.id), m).await
    }
}
