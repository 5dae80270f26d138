//! 企业排名 (domain.md §3): a company's ranks by list and year (`company_rankings`, one row per
//! company, list and year), and the import of a published list (api.md `POST
//! /api/v1/companies/rankings`, city_admin): each row matched to the library by
//! `domain::company::name_key` — one company: its rank for that year is set (matched, and
//! updated when it changed); none: the company is registered (created); more than one: the
//! row is reported as ambiguous and nothing is written for it. The whole list is one
//! transaction, audited once (company.rankings_import, with the counts).
//!
//! The company's own rank columns (`fortune_global_500_rank`, …, `rank_year`) stay the
//! *current* ranks: after every change of its history, each list's column is the rank of the
//! latest year that list has for the company, and `rank_year` the latest year of any of
//! them (a list with no history row keeps the column as it was).

use std::collections::HashMap;

use domain::fields::{COMPANY, RANKING};
use domain::ranking::{RankingList, RankingRow, check_year, parse_revenue};
use domain::{AuditAction, FieldError, Permission};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;

use super::{Company, NewCompany};
use crate::audit::Event;
use crate::entity::{company, company_ranking};
use crate::handle::one_shot;
use crate::{Result, Scoped, StoreError, Tx};

/// One rank of a company, as the API and the company page show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Ranking {
    /// `fortune_global_500` | `china_500` | `china_private_500`.
    pub list: String,
    pub list_label: String,
    pub year: i32,
    pub rank: i32,
    /// 营业收入 as the list published it (exact decimal text), in `revenue_unit`.
    pub revenue: Option<String>,
    pub revenue_unit: String,
    pub country: Option<String>,
}

impl From<company_ranking::Model> for Ranking {
    fn from(r: company_ranking::Model) -> Self {
        let list = RankingList::parse(&r.list);
        Ranking {
            list_label: list.map(|l| l.label().to_string()).unwrap_or_else(|| r.list.clone()),
            revenue_unit: list.map(|l| l.revenue_unit().to_string()).unwrap_or_default(),
            list: r.list,
            year: r.year,
            rank: r.rank,
            revenue: r.revenue,
            country: r.country,
        }
    }
}

/// A published list to import: which list, which year, its rows as read from `file`.
#[derive(Debug, Clone)]
pub struct RankingImport {
    pub list: RankingList,
    pub year: i32,
    /// The file's name, for the audit record.
    pub file: String,
    pub rows: Vec<RankingRow>,
}

/// A row that names more than one company of the library (nothing written for it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Ambiguous {
    pub row: u32,
    pub name: String,
    /// The companies it may be, by id.
    pub candidates: Vec<i64>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RankingReport {
    /// Rows that named exactly one company of the library.
    pub matched: usize,
    /// Rows whose company was not in the library and was registered.
    pub created: usize,
    /// Matched rows whose rank (or revenue, country) for the year was new or changed.
    pub updated: usize,
    pub ambiguous: Vec<Ambiguous>,
    /// The companies registered, by id, in row order.
    pub created_ids: Vec<i64>,
}

/// A place on a list in one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placing {
    pub rank: i32,
    /// None: not given (an existing revenue is kept).
    pub revenue: Option<String>,
    pub country: Option<String>,
}

/// Each list and the company's current rank on it (its own columns).
pub(crate) fn ranks_of(c: &company::Model) -> [(RankingList, Option<i32>); 3] {
    [
        (RankingList::FortuneGlobal500, c.fortune_global_500_rank),
        (RankingList::China500, c.china_500_rank),
        (RankingList::ChinaPrivate500, c.china_private_500_rank),
    ]
}

/// `rows[3].rank`: the key of a row's field in a 422.
pub fn row_field(row: u32, field: &str) -> String {
    format!("rows[{row}].{field}")
}

/// What is wrong with an import as given (the reader checks the same; the store is the gate).
fn validate(input: &RankingImport, this_year: i32) -> Vec<FieldError> {
    let mut errors = vec![];
    if let Err(e) = check_year(input.year, this_year) {
        errors.push(FieldError::new("year", e));
    }
    for r in &input.rows {
        let at = |f: &str| row_field(r.row, f);
        let label = |f: &str| format!("第{}行「{}」：", r.row, RANKING.label(f));
        if !(1..=domain::ranking::MAX_RANK).contains(&r.rank) {
            errors.push(FieldError::new(at("rank"), format!("{}排名应为1到500之间的整数", label("rank"))));
        }
        let mut field_errors = vec![];
        COMPANY.check_required("name", &r.name, &mut field_errors);
        COMPANY.check_opt("country", r.country.as_deref(), &mut field_errors);
        RANKING.check_opt("revenue", r.revenue.as_deref(), &mut field_errors);
        for e in field_errors {
            errors.push(FieldError::new(at(&e.field), format!("{}{}", label(&e.field), e.message)));
        }
        if let Some(v) = r.revenue.as_deref()
            && parse_revenue(v).is_err()
        {
            errors.push(FieldError::new(at("revenue"), format!("{}营业收入应为数字", label("revenue"))));
        }
        if domain::company::name_key(&r.name).is_empty() && !r.name.trim().is_empty() {
            errors.push(FieldError::new(at("name"), format!("{}不是企业名称", label("name"))));
        }
    }
    errors
}

impl Scoped<'_> {
    /// A company's ranks, the latest year first (404 for an unknown company).
    pub async fn company_rankings(&self, company_id: i64) -> Result<Vec<Ranking>> {
        use company_ranking::Column::{CompanyId, List, Year};
        let order = [(Year, sea_orm::Order::Desc), (List, sea_orm::Order::Asc)];
        let rows = self.company_children::<company_ranking::Entity>(company_id, CompanyId, &order).await?;
        let order = |code: &str| RankingList::parse(code).map_or(usize::MAX, |l| l as usize);
        let mut out: Vec<Ranking> = rows.into_iter().map(Ranking::from).collect();
        out.sort_by(|a, b| b.year.cmp(&a.year).then(order(&a.list).cmp(&order(&b.list))));
        Ok(out)
    }

    /// The record of a list refused as a whole or for errors in its rows: nothing was
    /// written, so it is audited on its own.
    pub async fn audit_rankings_refused(&self, summary: serde_json::Value) -> Result<()> {
        self.audit_alone(Event {
            action: AuditAction::CompanyRankingsImport,
            entity: "company",
            entity_id: None,
            before: None,
            after: Some(summary),
            result: "rejected",
        })
        .await
    }
}

impl Tx<'_> {
    /// Import a published list (city_admin: `ranking:import`, and `company:write` for the
    /// companies it registers); any invalid row refuses the whole list (422, nothing written).
    pub async fn import_rankings(&self, input: RankingImport) -> Result<RankingReport> {
        self.s.require(Permission::RankingImport)?;
        self.s.require(Permission::CompanyWrite)?;
        let this_year = chrono::Datelike::year(&domain::today_shanghai());
        let errors = validate(&input, this_year);
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let txn = &self.txn;
        let mut by_key: HashMap<String, Vec<i64>> = HashMap::new();
        for (id, name) in super::company_names(txn).await? {
            by_key.entry(domain::company::name_key(&name)).or_default().push(id);
        }
        let mut report = RankingReport::default();
        let mut changes: Vec<(i64, i32)> = vec![];
        for r in &input.rows {
            let key = domain::company::name_key(&r.name);
            // exact decimal text without separators (`validate` refused any other)
            let revenue = r.revenue.as_deref().and_then(|v| parse_revenue(v).ok().flatten());
            let placing = Placing { rank: r.rank, revenue, country: r.country.clone() };
            match by_key.get(&key).map(Vec::as_slice).unwrap_or(&[]) {
                [] => {
                    let new = NewCompany {
                        name: r.name.trim().to_string(),
                        country: r.country.clone().unwrap_or_default(),
                        ..Default::default()
                    };
                    let c = self.create_company(new).await?;
                    self.put_ranking(c.id, input.list, input.year, placing).await?;
                    self.refresh_current_ranks(c.id).await?;
                    by_key.insert(key, vec![c.id]);
                    report.created += 1;
                    report.created_ids.push(c.id);
                    changes.push((c.id, r.rank));
                }
                [id] => {
                    let id = *id;
                    report.matched += 1;
                    if self.put_ranking(id, input.list, input.year, placing).await? {
                        self.refresh_current_ranks(id).await?;
                        report.updated += 1;
                        changes.push((id, r.rank));
                    }
                }
                many => {
                    report.ambiguous.push(Ambiguous { row: r.row, name: r.name.clone(), candidates: many.to_vec() })
                }
            }
        }
        // the projects naming a company whose rank changed: city-reportable or not anew
        let touched = crate::text::dedup(changes.iter().map(|(id, _)| *id).collect());
        let restood = self.restand_projects(&touched).await?;
        let ev = Event {
            action: AuditAction::CompanyRankingsImport,
            entity: "company",
            entity_id: None,
            before: None,
            after: Some(serde_json::json!({
                "file": input.file.chars().take(200).collect::<String>(),
                "list": input.list.code(),
                "year": input.year,
                "rows": input.rows.len(),
                "matched": report.matched,
                "created": report.created,
                "updated": report.updated,
                "ambiguous": report.ambiguous.len(),
                "changes": changes,
                "reportable_changed": restood,
            })),
            result: "ok",
        };
        self.audit(ev).await?;
        Ok(report)
    }

    /// Set a company's place on `list` in `year`: a new row, or the row changed where the
    /// placing differs (an absent revenue or country keeps the one there). Whether anything
    /// was written.
    pub(crate) async fn put_ranking(&self, company_id: i64, list: RankingList, year: i32, p: Placing) -> Result<bool> {
        let txn = &self.txn;
        let existing = company_ranking::Entity::find()
            .filter(company_ranking::Column::CompanyId.eq(company_id))
            .filter(company_ranking::Column::List.eq(list.code()))
            .filter(company_ranking::Column::Year.eq(year))
            .one(txn)
            .await?;
        let Some(row) = existing else {
            let am = company_ranking::ActiveModel {
                company_id: Set(company_id),
                list: Set(list.code().to_string()),
                year: Set(year),
                rank: Set(p.rank),
                revenue: Set(p.revenue),
                country: Set(p.country),
                ..Default::default()
            };
            self.insert_new(am).await?;
            return Ok(true);
        };
        let revenue = p.revenue.or(row.revenue.clone());
        let country = p.country.or(row.country.clone());
        if row.rank == p.rank && row.revenue == revenue && row.country == country {
            return Ok(false);
        }
        let version = row.version;
        let mut am: company_ranking::ActiveModel = row.into();
        am.rank = Set(p.rank);
        am.revenue = Set(revenue);
        am.country = Set(country);
        crate::stamp::Versioned::bump(&mut am, version, crate::now())?;
        am.update(txn).await?;
        Ok(true)
    }

    /// The company's current rank columns from its history (see the module's note).
    pub(crate) async fn refresh_current_ranks(&self, company_id: i64) -> Result<Company> {
        let txn = &self.txn;
        let c = company::Entity::find_by_id(company_id).one(txn).await?.ok_or(StoreError::NotFound)?;
        let history = company_ranking::Entity::find()
            .filter(company_ranking::Column::CompanyId.eq(company_id))
            .order_by_desc(company_ranking::Column::Year)
            .all(txn)
            .await?;
        let latest = |list: RankingList| history.iter().find(|r| r.list == list.code());
        let current = |list: RankingList, now: Option<i32>| latest(list).map(|r| r.rank).or(now);
        let fortune = current(RankingList::FortuneGlobal500, c.fortune_global_500_rank);
        let china = current(RankingList::China500, c.china_500_rank);
        let private = current(RankingList::ChinaPrivate500, c.china_private_500_rank);
        let year = history.first().map(|r| r.year).max(c.rank_year);
        if (fortune, china, private, year)
            == (c.fortune_global_500_rank, c.china_500_rank, c.china_private_500_rank, c.rank_year)
        {
            return Ok(c);
        }
        let version = c.version;
        let mut am: company::ActiveModel = c.into();
        am.fortune_global_500_rank = Set(fortune);
        am.china_500_rank = Set(china);
        am.china_private_500_rank = Set(private);
        am.rank_year = Set(year);
        crate::stamp::Versioned::bump(&mut am, version, crate::now())?;
        Ok(am.update(txn).await?)
    }
}

one_shot! {
    write fn import_rankings(input: RankingImport) -> RankingReport;
}
