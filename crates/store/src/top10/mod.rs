//! 十大重大招商引资项目 (assessment.md, Top-10 projects; seed 三(三)): a year's candidates —
//! the live projects of the assessed units' subtrees that reached `signed` or later in that
//! year by a date the city accepted (`assessment::projects::stage_date_accepted`) — with
//! what the choice weighs (total investment, the stage reached and its date, the investors'
//! rankings, 四个一), city_admin's pick of ten (write.rs), and whether the year is frozen (a
//! bulletin of that year was published).
//!
//! Every read is a few set-based queries (the candidates, their investors, their 四个一
//! counts, the pick), never one per project. Scope: `assessment:read`; a unit user sees its
//! own subtree's candidates and the picks among them, the city everything; a department
//! user: 403.

mod write;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use domain::assessment::top10::{CandidateKey, candidate_order};
use domain::four_ones::{FourOnes, FourOnesFacts};
use domain::{Money, Permission, Stage};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter};
use serde::{Deserialize, Serialize};

use crate::assessment::assessable_units;
use crate::assessment::projects::stage_date_accepted;
use crate::entity::bulletin;
use crate::four_ones::FourOnesStatus;
use crate::sql::Sql;
use crate::{Result, Scope, Scoped, Store, StoreError};

/// The stages a candidate may have reached in the year, furthest last.
const REACHED: [Stage; 5] = [Stage::Signed, Stage::Approved, Stage::Started, Stage::Producing, Stage::AtCapacity];

/// The best ranks among a project's investor companies (their current ranks).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InvestorRanks {
    /// 世界500强: the best rank of its investors, if any is ranked.
    pub fortune_global_500: Option<i32>,
    /// 中国500强.
    pub china_500: Option<i32>,
    /// 中国民营企业500强.
    pub china_private_500: Option<i32>,
    /// Any investor is an industry leader (行业领军).
    pub industry_leader: bool,
}

impl InvestorRanks {
    /// As the table shows it: `世界500强第12位、行业领军`, or `—`.
    pub fn text(&self) -> String {
        let mut parts = vec![];
        for (label, rank) in [
            ("世界500强", self.fortune_global_500),
            ("中国500强", self.china_500),
            ("中国民营500强", self.china_private_500),
        ] {
            if let Some(r) = rank {
                parts.push(format!("{label}第{r}位"));
            }
        }
        if self.industry_leader {
            parts.push("行业领军".into());
        }
        if parts.is_empty() { "—".into() } else { parts.join("、") }
    }
}

/// Where a candidate stands in the year's pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Picked {
    /// 1..10.
    pub position: i32,
    pub citation: String,
}

/// A project the year's top-10 may be picked from.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Top10Candidate {
    pub project_id: i64,
    pub code: String,
    pub name: String,
    /// The project's own unit (an assessed unit or one of its sub-units).
    pub unit: String,
    pub unit_name: String,
    #[schema(value_type = String)]
    pub total_investment: Money,
    /// The furthest stage the city accepted with a date in the year.
    #[schema(value_type = String)]
    pub stage: Stage,
    pub stage_on: NaiveDate,
    pub investors: InvestorRanks,
    pub four_ones: FourOnesStatus,
    /// Its place in the year's pick, when picked.
    pub picked: Option<Picked>,
}

/// One project of a year's pick (the bulletin freezes these).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Top10Pick {
    /// 1..10, in the order picked.
    pub position: i32,
    pub project_id: i64,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub unit_name: String,
    pub citation: String,
}

/// A year's candidates and pick, and whether a published bulletin froze it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Top10Year {
    pub year: i32,
    pub frozen: bool,
    pub candidates: Vec<Top10Candidate>,
    pub picks: Vec<Top10Pick>,
}

/// The years a pick may be made for.
fn year_range(year: i32) -> Result<(NaiveDate, NaiveDate)> {
    let bounds = (2000..=2100)
        .contains(&year)
        .then(|| NaiveDate::from_ymd_opt(year, 1, 1).zip(NaiveDate::from_ymd_opt(year, 12, 31)))
        .flatten();
    bounds.ok_or_else(|| StoreError::field("year", "年度须在 2000 至 2100 之间"))
}

#[derive(Debug, FromQueryResult)]
struct Row {
    id: i64,
    code: String,
    name: String,
    unit_id: i64,
    total_investment: i64,
    accepted_stage: String,
    review_state: String,
    signed_on: Option<NaiveDate>,
    approved_on: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
    producing_on: Option<NaiveDate>,
    at_capacity_on: Option<NaiveDate>,
}

impl Row {
    /// The furthest stage with an accepted date in `[from, to]`.
    fn reached(&self, from: NaiveDate, to: NaiveDate) -> Option<(Stage, NaiveDate)> {
        let dates = [self.signed_on, self.approved_on, self.started_on, self.producing_on, self.at_capacity_on];
        REACHED.iter().zip(dates).rev().find_map(|(&stage, d)| {
            let d = d.filter(|d| *d >= from && *d <= to)?;
            stage_date_accepted(stage, &self.accepted_stage, &self.review_state).then_some((stage, d))
        })
    }
}

#[derive(Debug, FromQueryResult)]
struct InvestorRow {
    project_id: i64,
    fortune: Option<i32>,
    china: Option<i32>,
    private: Option<i32>,
    leader: i64,
}

#[derive(Debug, FromQueryResult)]
struct CountRow {
    project_id: i64,
    n: i64,
    leaders: i64,
}

#[derive(Debug, FromQueryResult)]
struct PickRow {
    position: i32,
    project_id: i64,
    citation: String,
    code: String,
    name: String,
    unit_id: i64,
}

fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// The unit ids the candidates are drawn from: the assessed units' subtrees, those the
/// actor's scope allows.
fn candidate_units(store: &Store, scope: &Scope) -> Vec<i64> {
    let tree = store.unit_tree();
    let mut ids: Vec<i64> = assessable_units(&tree)
        .iter()
        .filter_map(|u| tree.find(&u.code).map(|u| u.id))
        .flat_map(|id| tree.subtree(id))
        .filter(|id| scope.allows_unit(*id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The candidates of `year` among the projects of `units`, sorted as the domain says, with
/// the picks of `picks` marked.
async fn candidates_on<C: ConnectionTrait>(
    db: &C,
    store: &Store,
    units: &[i64],
    year: i32,
    picks: &[Top10Pick],
) -> Result<Vec<Top10Candidate>> {
    let (from, to) = year_range(year)?;
    if units.is_empty() {
        return Ok(vec![]);
    }
    let backend = store.db().get_database_backend();
    let mut q = Sql::new(backend);
    let mut ranges = vec![];
    for col in ["signed_on", "approved_on", "started_on", "producing_on", "at_capacity_on"] {
        ranges.push(format!("({col} >= {} AND {col} <= {})", q.bind(from), q.bind(to)));
    }
    let sql = format!(
        "SELECT id, code, name, unit_id, total_investment, accepted_stage, review_state, signed_on, approved_on, \
         started_on, producing_on, at_capacity_on FROM projects \
         WHERE deleted_at IS NULL AND unit_id IN ({}) AND ({}) ORDER BY id",
        id_list(units),
        ranges.join(" OR ")
    );
    let rows: Vec<Row> = q.all_on(db, sql).await?;
    let reached: Vec<(Row, Stage, NaiveDate)> =
        rows.into_iter().filter_map(|r| r.reached(from, to).map(|(s, d)| (r, s, d))).collect();
    if reached.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<i64> = reached.iter().map(|(r, _, _)| r.id).collect();
    let investors = investor_ranks(db, backend, &ids).await?;
    let four_ones = four_ones_of(db, backend, &ids).await?;
    let picked: HashMap<i64, &Top10Pick> = picks.iter().map(|p| (p.project_id, p)).collect();
    let tree = store.unit_tree();
    let mut out: Vec<Top10Candidate> = reached
        .into_iter()
        .map(|(r, stage, stage_on)| {
            let (unit, unit_name) = tree.code_name(r.unit_id);
            let facts = four_ones.get(&r.id).copied().unwrap_or_default();
            Top10Candidate {
                project_id: r.id,
                unit,
                unit_name,
                total_investment: Money::from_hundredths(r.total_investment),
                stage,
                stage_on,
                investors: investors.get(&r.id).cloned().unwrap_or_default(),
                four_ones: FourOnes::of(&facts).into(),
                picked: picked.get(&r.id).map(|p| Picked { position: p.position, citation: p.citation.clone() }),
                code: r.code,
                name: r.name,
            }
        })
        .collect();
    let key = |c: &Top10Candidate| -> (Stage, Money, String) { (c.stage, c.total_investment, c.code.clone()) };
    out.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        candidate_order(
            &CandidateKey { stage: ka.0, total_investment: ka.1, code: &ka.2 },
            &CandidateKey { stage: kb.0, total_investment: kb.1, code: &kb.2 },
        )
    });
    Ok(out)
}

/// The best ranks of each project's investors (one grouped query).
async fn investor_ranks<C: ConnectionTrait>(
    db: &C,
    backend: sea_orm::DbBackend,
    ids: &[i64],
) -> Result<HashMap<i64, InvestorRanks>> {
    let sql = format!(
        "SELECT pi.project_id, MIN(c.fortune_global_500_rank) AS fortune, MIN(c.china_500_rank) AS china, \
         MIN(c.china_private_500_rank) AS private, \
         CAST(MAX(CASE WHEN c.industry_leader THEN 1 ELSE 0 END) AS BIGINT) AS leader \
         FROM project_investors pi JOIN companies c ON c.id = pi.company_id \
         WHERE pi.project_id IN ({}) GROUP BY pi.project_id",
        id_list(ids)
    );
    let rows: Vec<InvestorRow> = Sql::new(backend).all_on(db, sql).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let ranks = InvestorRanks {
                fortune_global_500: r.fortune,
                china_500: r.china,
                china_private_500: r.private,
                industry_leader: r.leader > 0,
            };
            (r.project_id, ranks)
        })
        .collect())
}

/// The counts the 四个一 check reads, of each project (three grouped queries).
async fn four_ones_of<C: ConnectionTrait>(
    db: &C,
    backend: sea_orm::DbBackend,
    ids: &[i64],
) -> Result<HashMap<i64, FourOnesFacts>> {
    let list = id_list(ids);
    let mut out: HashMap<i64, FourOnesFacts> = HashMap::new();
    let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
    let team = format!(
        "SELECT project_id, COUNT(*) AS n, CAST(SUM(CASE WHEN is_leader THEN 1 ELSE 0 END) AS BIGINT) AS leaders \
         FROM team_members WHERE project_id IN ({list}) GROUP BY project_id"
    );
    for r in Sql::new(backend).all_on::<CountRow, _>(db, team).await? {
        let f = out.entry(r.project_id).or_default();
        f.team_members = n(r.n);
        f.team_leaders = n(r.leaders);
    }
    let milestones = format!(
        "SELECT project_id, COUNT(*) AS n, CAST(0 AS BIGINT) AS leaders FROM milestones \
         WHERE project_id IN ({list}) GROUP BY project_id"
    );
    for r in Sql::new(backend).all_on::<CountRow, _>(db, milestones).await? {
        out.entry(r.project_id).or_default().milestones = n(r.n);
    }
    let files = format!(
        "SELECT project_id, COUNT(*) AS n, CAST(0 AS BIGINT) AS leaders FROM attachments \
         WHERE deleted_at IS NULL AND project_id IN ({list}) GROUP BY project_id"
    );
    for r in Sql::new(backend).all_on::<CountRow, _>(db, files).await? {
        out.entry(r.project_id).or_default().attachments = n(r.n);
    }
    Ok(out)
}

/// The year's pick, by position (every one, whatever the scope).
async fn picks_on<C: ConnectionTrait>(db: &C, store: &Store, year: i32) -> Result<Vec<Top10Pick>> {
    let mut q = Sql::of(store);
    let sql = format!(
        "SELECT t.position, t.project_id, t.citation, p.code, p.name, p.unit_id \
         FROM top10_picks t JOIN projects p ON p.id = t.project_id WHERE t.year = {} ORDER BY t.position, t.id",
        q.bind(year)
    );
    let rows: Vec<PickRow> = q.all_on(db, sql).await?;
    let tree = store.unit_tree();
    Ok(rows
        .into_iter()
        .map(|r| {
            let (unit, unit_name) = tree.code_name(r.unit_id);
            Top10Pick {
                position: r.position,
                project_id: r.project_id,
                code: r.code,
                name: r.name,
                unit,
                unit_name,
                citation: r.citation,
            }
        })
        .collect())
}

/// Whether a bulletin of `year` was published.
async fn frozen_on<C: ConnectionTrait>(db: &C, year: i32) -> Result<bool> {
    let n = bulletin::Entity::find()
        .filter(bulletin::Column::Year.eq(year))
        .filter(bulletin::Column::State.eq(domain::assessment::BulletinState::Published.code()))
        .count(db)
        .await?;
    Ok(n > 0)
}

impl Scoped<'_> {
    /// The year's candidates in the caller's scope, sorted: the stage reached (later stages
    /// first), then total investment (largest first), then code. `year` outside 2000..=2100:
    /// 422.
    pub async fn top10_candidates(&self, year: i32) -> Result<Vec<Top10Candidate>> {
        self.require_by_unit(Permission::AssessmentRead)?;
        let db = self.store.db();
        let picks = picks_on(db, self.store, year).await?;
        let units = candidate_units(self.store, &self.actor.scope);
        candidates_on(db, self.store, &units, year, &picks).await
    }

    /// The year's pick, by position: the city sees all ten, a unit user those of its own
    /// subtree. What a bulletin freezes (read it as city_admin).
    pub async fn top10_picks(&self, year: i32) -> Result<Vec<Top10Pick>> {
        self.require_by_unit(Permission::AssessmentRead)?;
        year_range(year)?;
        let picks = picks_on(self.store.db(), self.store, year).await?;
        let tree = self.store.unit_tree();
        let scope = &self.actor.scope;
        Ok(picks.into_iter().filter(|p| tree.find(&p.unit).is_some_and(|u| scope.allows_unit(u.id))).collect())
    }

    /// Whether the year's pick is frozen: a bulletin of that year has been published.
    pub async fn top10_frozen(&self, year: i32) -> Result<bool> {
        self.require_by_unit(Permission::AssessmentRead)?;
        frozen_on(self.store.db(), year).await
    }

    /// The year's candidates, pick and frozen flag together (the API's and the page's read).
    pub async fn top10_year(&self, year: i32) -> Result<Top10Year> {
        let candidates = self.top10_candidates(year).await?;
        let picks = self.top10_picks(year).await?;
        let frozen = self.top10_frozen(year).await?;
        Ok(Top10Year { year, frozen, candidates, picks })
    }

    /// For each assessed unit code, how many of the year's picks lie in its subtree (the
    /// annual scheme's top-10 bonus, `domain::assessment::top_ten_bonus`). Every assessed
    /// unit is listed, 0 included; a unit user gets the assessed units in its scope.
    pub async fn top10_counts(&self, year: i32) -> Result<BTreeMap<String, u32>> {
        self.require_by_unit(Permission::AssessmentRead)?;
        year_range(year)?;
        let picks = picks_on(self.store.db(), self.store, year).await?;
        let tree = self.store.unit_tree();
        let mut out = BTreeMap::new();
        for u in assessable_units(&tree) {
            let Some(unit) = tree.find(&u.code) else { continue };
            if !self.actor.scope.allows_unit(unit.id) {
                continue;
            }
            let sub = tree.subtree(unit.id);
            let n = picks.iter().filter(|p| tree.find(&p.unit).is_some_and(|pu| sub.contains(&pu.id))).count();
            out.insert(u.code, u32::try_from(n).unwrap_or(u32::MAX));
        }
        Ok(out)
    }
}
