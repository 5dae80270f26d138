//! Matching rows to live projects: by 项目编号, else by (unit, name), loaded in batches
//! with only the columns a ledger row carries.

use std::collections::{BTreeMap, HashMap};

use domain::{Category, Money, Stage};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use super::ImportRow;
use crate::entity::project;
use crate::{Result, Store};

/// What an import compares a row with: the fields a ledger row carries, read by position
/// (a 100,000-row import reads them all, so the full model and its hydration would cost
/// most of the import's time).
#[derive(Debug)]
pub(super) struct Current {
    pub(super) id: i64,
    pub(super) code: String,
    pub(super) unit_id: i64,
    pub(super) name: String,
    pub(super) industry: String,
    pub(super) region: String,
    pub(super) channel: Option<String>,
    pub(super) categories: Vec<Category>,
    pub(super) total_investment: Money,
    pub(super) foreign_investment: Option<Money>,
    pub(super) land_mu: Option<Money>,
    pub(super) expected_producing_on: Option<chrono::NaiveDate>,
    pub(super) lead_leader: Option<String>,
    pub(super) notes: Option<String>,
    pub(super) stage: Stage,
    pub(super) version: i32,
    pub(super) progress: Option<String>,
    pub(super) lead_leader_id: Option<i64>,
    /// Investor company ids in their order.
    pub(super) investors: Vec<i64>,
}

impl Current {
    /// Live projects, the columns in the order `from_query_result` reads them.
    pub(super) fn select() -> sea_orm::Select<project::Entity> {
        use project::Column as C;
        use sea_orm::QuerySelect;
        project::Entity::find()
            .select_only()
            .columns([
                C::Id,
                C::Code,
                C::UnitId,
                C::Name,
                C::Industry,
                C::Region,
                C::Channel,
                C::Categories,
                C::TotalInvestment,
                C::ForeignInvestment,
                C::LandMu,
                C::ExpectedProducingOn,
                C::LeadLeader,
                C::Notes,
                C::Stage,
                C::Version,
                C::Progress,
                C::LeadLeaderId,
            ])
            .filter(C::DeletedAt.is_null())
    }
}

impl sea_orm::FromQueryResult for Current {
    fn from_query_result(r: &sea_orm::QueryResult, _pre: &str) -> std::result::Result<Self, sea_orm::DbErr> {
        let categories: String = r.try_get_by_index(7)?;
        let stage: String = r.try_get_by_index(14)?;
        Ok(Current {
            id: r.try_get_by_index(0)?,
            code: r.try_get_by_index(1)?,
            unit_id: r.try_get_by_index(2)?,
            name: r.try_get_by_index(3)?,
            industry: r.try_get_by_index(4)?,
            region: r.try_get_by_index(5)?,
            channel: r.try_get_by_index(6)?,
            categories: crate::projects::categories_of(&categories),
            total_investment: Money::from_hundredths(r.try_get_by_index(8)?),
            foreign_investment: r.try_get_by_index::<Option<i64>>(9)?.map(Money::from_hundredths),
            land_mu: r.try_get_by_index::<Option<i64>>(10)?.map(Money::from_hundredths),
            expected_producing_on: r.try_get_by_index(11)?,
            lead_leader: r.try_get_by_index(12)?,
            notes: r.try_get_by_index(13)?,
            stage: crate::projects::stage_of(&stage),
            version: r.try_get_by_index(15)?,
            progress: r.try_get_by_index(16)?,
            lead_leader_id: r.try_get_by_index(17)?,
            investors: vec![],
        })
    }
}

impl Store {
    /// The existing live projects the rows name, loaded in batches with only the fields a
    /// ledger row carries: by 项目编号 (any unit; scope is checked per row), and for rows
    /// without a code by (unit, name), the oldest when a unit has several of that name.
    #[allow(clippy::type_complexity)]
    pub(super) async fn import_matches(
        &self,
        txn: &DatabaseTransaction,
        rows: &[ImportRow],
        units: &[Option<i64>],
    ) -> Result<(HashMap<String, Current>, HashMap<(i64, String), Current>)> {
        const CHUNK: usize = 1000;
        let mut codes: Vec<String> = vec![];
        let mut named: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for (r, unit) in rows.iter().zip(units) {
            let Some(unit) = unit else { continue };
            match r.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                Some(code) => codes.push(code.to_string()),
                None => named.entry(*unit).or_default().push(r.name.trim().to_string()),
            }
        }
        codes.sort();
        codes.dedup();
        let mut coded: Vec<Current> = vec![];
        for chunk in codes.chunks(CHUNK) {
            let q = Current::select().filter(project::Column::Code.is_in(chunk.to_vec()));
            coded.extend(q.into_model::<Current>().all(txn).await?);
        }
        let mut same_name: Vec<Current> = vec![];
        for (unit, mut names) in named {
            names.sort();
            names.dedup();
            for chunk in names.chunks(CHUNK) {
                same_name.extend(
                    Current::select()
                        .filter(project::Column::UnitId.eq(unit))
                        .filter(project::Column::Name.is_in(chunk.to_vec()))
                        .into_model::<Current>()
                        .all(txn)
                        .await?,
                );
            }
        }
        self.current_investors(txn, &mut coded).await?;
        self.current_investors(txn, &mut same_name).await?;
        let by_code: HashMap<String, Current> = coded.into_iter().map(|p| (p.code.clone(), p)).collect();
        // descending ids: of several same-named projects the oldest is inserted last and wins
        same_name.sort_by_key(|p| std::cmp::Reverse(p.id));
        let by_name: HashMap<(i64, String), Current> =
            same_name.into_iter().map(|p| ((p.unit_id, p.name.clone()), p)).collect();
        Ok((by_code, by_name))
    }

    /// Each project's investor ids in their order (ids are our own integers, inlined).
    pub(super) async fn current_investors(&self, txn: &DatabaseTransaction, found: &mut [Current]) -> Result<()> {
        use sea_orm::{ConnectionTrait, Statement};
        let mut of: HashMap<i64, Vec<i64>> = HashMap::with_capacity(found.len());
        for chunk in found.chunks(5000) {
            let list = chunk.iter().map(|p| p.id.to_string()).collect::<Vec<_>>().join(",");
            let sql = format!(
                "SELECT project_id, company_id FROM project_investors WHERE project_id IN ({list}) \
                 ORDER BY project_id, position"
            );
            for r in txn.query_all_raw(Statement::from_string(self.backend(), sql)).await? {
                of.entry(r.try_get_by_index(0)?).or_default().push(r.try_get_by_index(1)?);
            }
        }
        for p in found.iter_mut() {
            p.investors = of.remove(&p.id).unwrap_or_default();
        }
        Ok(())
    }
}
