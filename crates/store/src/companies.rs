//! The company library (企业库, domain.md §3). Companies are shared by all units: a company
//! is not unit data; the projects that name it are.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::{CreditCode, FieldError, Money, Stage};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Set,
};
use serde::Serialize;

use crate::audit::{self, Event};
use crate::entity::{company, project, project_investor};
use crate::projects::ProjectFilter;
use crate::search::like_escape;
use crate::{Actor, Result, Scope, Store, StoreError};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub credit_code: Option<String>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_type: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<company::Model> for Company {
    fn from(m: company::Model) -> Self {
        Company {
            id: m.id,
            name: m.name,
            credit_code: m.credit_code,
            country: m.country,
            region: m.region,
            hq_city: m.hq_city,
            industry: m.industry,
            fortune_global_500_rank: m.fortune_global_500_rank,
            china_500_rank: m.china_500_rank,
            china_private_500_rank: m.china_private_500_rank,
            rank_year: m.rank_year,
            industry_leader: m.industry_leader,
            leader_reason: m.leader_reason,
            website: m.website,
            notes: m.notes,
            declared_type: m.declared_type,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

impl Company {
    pub fn standing(&self) -> domain::InvestorStanding {
        domain::InvestorStanding {
            fortune_global_500: self.fortune_global_500_rank.is_some(),
            china_500: self.china_500_rank.is_some(),
            china_private_500: self.china_private_500_rank.is_some(),
            industry_leader: self.industry_leader,
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
    /// Only companies with a Fortune Global 500 / China 500 / leader mark.
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

fn require_business(actor: &Actor) -> Result<()> {
    if actor.scope == Scope::Nothing { Err(StoreError::Forbidden) } else { Ok(()) }
}

impl Store {
    pub async fn list_companies(&self, actor: &Actor, f: &CompanyFilter) -> Result<(Vec<Company>, u64)> {
        require_business(actor)?;
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
                    .add(company::Column::IndustryLeader.eq(true)),
            );
        }
        let q = company::Entity::find().filter(cond);
        let total = q.clone().count(self.db()).await?;
        let rows = q
            .order_by_asc(company::Column::Id)
            .offset(crate::page_offset(f.page, f.per_page))
            .limit(f.per_page)
            .all(self.db())
            .await?;
        Ok((rows.into_iter().map(Company::from).collect(), total))
    }

    pub async fn get_company(&self, actor: &Actor, id: i64) -> Result<Company> {
        require_business(actor)?;
        company::Entity::find_by_id(id).one(self.db()).await?.map(Company::from).ok_or(StoreError::NotFound)
    }

    /// The projects that name a company as investor, newest first — only those in the
    /// caller's scope: a company is shared by all units, its projects are not.
    /// Returns at most `COMPANY_PROJECTS_LIMIT` projects and the count of all of them.
    pub async fn company_projects(&self, actor: &Actor, company_id: i64) -> Result<(Vec<CompanyProject>, u64)> {
        require_business(actor)?;
        let cond = self.filter_condition(actor, &ProjectFilter::default()).await?.add(Expr::cust_with_values(
            format!("projects.id IN (SELECT project_id FROM project_investors WHERE company_id = {})", self.ph(1)),
            [company_id],
        ));
        let q = project::Entity::find().filter(cond);
        let total = q.clone().count(self.db()).await?;
        let rows = q.order_by_desc(project::Column::Id).limit(COMPANY_PROJECTS_LIMIT).all(self.db()).await?;
        let tree = self.unit_tree();
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
    pub async fn company_project_counts(&self, actor: &Actor, company_ids: &[i64]) -> Result<HashMap<i64, u64>> {
        require_business(actor)?;
        if company_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let cond = self.filter_condition(actor, &ProjectFilter::default()).await?;
        let in_scope = project::Entity::find().select_only().column(project::Column::Id).filter(cond).into_query();
        let rows: Vec<(i64, i64)> = project_investor::Entity::find()
            .select_only()
            .column(project_investor::Column::CompanyId)
            .column_as(Expr::expr(Func::count(Expr::col(project_investor::Column::ProjectId))), "n")
            .filter(project_investor::Column::CompanyId.is_in(company_ids.to_vec()))
            .filter(project_investor::Column::ProjectId.in_subquery(in_scope))
            .group_by(project_investor::Column::CompanyId)
            .into_tuple()
            .all(self.db())
            .await?;
        Ok(rows.into_iter().map(|(c, n)| (c, n.max(0) as u64)).collect())
    }

    /// Companies by id (a project's investors); the company library is shared, so any
    /// business user may read it.
    pub async fn companies_by_ids(&self, actor: &Actor, ids: &[i64]) -> Result<Vec<Company>> {
        require_business(actor)?;
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let rows = company::Entity::find().filter(company::Column::Id.is_in(ids.to_vec())).all(self.db()).await?;
        Ok(rows.into_iter().map(Company::from).collect())
    }

    /// 投资方类型 of each company, as the ledger names it (the export's column).
    pub async fn investor_types(&self, actor: &Actor, ids: &[i64]) -> Result<HashMap<i64, &'static str>> {
        require_business(actor)?;
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut out = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(1000) {
            for c in company::Entity::find().filter(company::Column::Id.is_in(chunk.to_vec())).all(self.db()).await? {
                out.insert(c.id, investor_type(&Company::from(c)));
            }
        }
        Ok(out)
    }

    pub async fn create_company(&self, actor: &Actor, new: NewCompany) -> Result<Company> {
        require_business(actor)?;
        let txn = self.write().await?;
        let c = insert_company(&txn, new).await?;
        audit::record(&txn, actor, Event::ok(domain::AuditAction::CompanyCreate, "company", c.id).after(&c)).await?;
        txn.commit().await?;
        Ok(c)
    }
}

/// 投资方类型 (ledger.md) of a company: the rule is `domain::investor_type`.
pub fn investor_type(c: &Company) -> &'static str {
    domain::investor_type(&c.standing(), c.declared_type.as_deref())
}

/// Insert inside a caller's transaction (the importer creates investors on the fly).
pub async fn insert_company(txn: &sea_orm::DatabaseTransaction, new: NewCompany) -> Result<Company> {
    // Audited by the caller, in the same transaction.
    let name = new.name.trim().to_string();
    let mut errors = vec![];
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new("name", "企业名称不能为空，且不超过200个字符"));
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
        if rank.is_some_and(|r| !(1..=500).contains(&r)) {
            errors.push(FieldError::new(field, "排名应在1到500之间"));
        }
    }
    if !errors.is_empty() {
        return Err(StoreError::Validation(errors));
    }
    if company::Entity::find().filter(company::Column::Name.eq(&name)).one(txn).await?.is_some() {
        return Err(StoreError::field("name", "同名企业已存在"));
    }
    if let Some(cc) = &new.credit_code
        && company::Entity::find().filter(company::Column::CreditCode.eq(cc.as_str())).one(txn).await?.is_some()
    {
        return Err(StoreError::field("credit_code", "该统一社会信用代码已登记"));
    }
    let now = crate::now();
    let canonical = |o: Option<String>, f: fn(&str) -> Option<&'static domain::reference::Entry>| {
        o.and_then(|v| f(&v).map(|e| e.code.clone()))
    };
    let m = company::ActiveModel {
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
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(m.into())
}
