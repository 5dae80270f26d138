//! The assessment's measures read from activities (assessment.md: `leader_visits_500`,
//! `leader_talks`), each with the records it counted (the drill-down), and the counts by
//! unit and by leader. The store fetches each activity's facts — kind, date, leader level,
//! the standing of the companies met in the activity's year (`standing.rs`: the ranking list
//! of that year, else the latest before it) — and `domain::activity::counts` decides.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use domain::Permission;
use domain::activity::{ActivityFacts, ActivityKind, ActivityMeasure, counts, ranked};
use domain::leader::LeaderLevel;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::standing::Standings;
use super::{Links, MetCompany};
use crate::entity::{activity, company, leader};
use crate::scope::ProjectScope;
use crate::{Result, Scoped, StoreError};

/// One activity a measure counted: what the drill-down shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CountedActivity {
    pub id: i64,
    pub title: String,
    pub kind: String,
    /// The day it is dated by.
    pub start_on: NaiveDate,
    pub end_on: NaiveDate,
    pub unit: String,
    pub unit_name: String,
    pub leader_level: String,
    /// The leaders of the register who led it, `姓名（职务）`.
    pub leaders: Vec<String>,
    /// The ranked companies it met (why it counts for `leader_visits_500`).
    pub ranked_companies: Vec<MetCompany>,
}

/// A measure's value for a unit (and its subtree) over a period, and what it counted.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeasureResult {
    /// `leader_visits_500` | `leader_talks`.
    pub measure: String,
    pub unit: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub value: u64,
    /// The records counted, by date.
    pub records: Vec<CountedActivity>,
}

/// A unit's activities over the period (its own, not its sub-units').
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitCount {
    pub unit: String,
    pub unit_name: String,
    pub total: u64,
    /// kind code → how many.
    pub by_kind: BTreeMap<String, u64>,
    /// Of them, those `leader_visits_500` counts.
    pub leader_visits_500: u64,
    /// Of them, those `leader_talks` counts.
    pub leader_talks: u64,
}

/// A leader's activities over the period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LeaderCount {
    pub leader_id: i64,
    pub name: String,
    pub position: String,
    pub unit_name: String,
    pub level: String,
    /// The activities the leader led.
    pub total: u64,
    /// Of them, visits (trips, visits, exchanges) that met a ranked company.
    pub visits_ranked: u64,
    /// Of them, talks.
    pub talks: u64,
}

/// Activities counted by unit and by leader over a period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ActivityCounts {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: u64,
    pub by_unit: Vec<UnitCount>,
    pub by_leader: Vec<LeaderCount>,
}

/// The activities of `units` (None: all) dated in `[from, to]`, each with its facts, its
/// leaders and the companies it met.
struct Fetched {
    rows: Vec<activity::Model>,
    links: Links,
    leaders: HashMap<i64, leader::Model>,
    companies: HashMap<i64, company::Model>,
    standings: Standings,
}

impl Fetched {
    fn facts(&self, r: &activity::Model) -> Option<ActivityFacts> {
        let companies = self.links.companies.get(&r.id).map_or(&[][..], Vec::as_slice);
        Some(ActivityFacts {
            kind: ActivityKind::parse(&r.kind)?,
            start_on: r.start_on,
            leader_level: LeaderLevel::parse(&r.leader_level)?,
            companies: companies
                .iter()
                .filter_map(|c| self.companies.get(c))
                .map(|c| self.standings.standing(c, r.start_on))
                .collect(),
        })
    }

    fn counted(&self, tree: &crate::UnitTree, r: &activity::Model) -> CountedActivity {
        let (unit, unit_name) = tree.code_name(r.unit_id);
        let leaders = self.links.leaders.get(&r.id).map_or(&[][..], Vec::as_slice);
        let companies = self.links.companies.get(&r.id).map_or(&[][..], Vec::as_slice);
        CountedActivity {
            id: r.id,
            title: r.title.clone(),
            kind: r.kind.clone(),
            start_on: r.start_on,
            end_on: r.end_on,
            unit,
            unit_name,
            leader_level: r.leader_level.clone(),
            leaders: leaders
                .iter()
                .filter_map(|l| self.leaders.get(l))
                .map(|l| domain::leader::display(&l.name, &l.position))
                .collect(),
            ranked_companies: companies
                .iter()
                .filter_map(|c| self.companies.get(c))
                .filter(|c| ranked(&self.standings.standing(c, r.start_on)))
                .map(|c| MetCompany {
                    id: c.id,
                    name: c.name.clone(),
                    ranked: true,
                    standing: self.standings.text(c, r.start_on),
                })
                .collect(),
        }
    }
}

impl Scoped<'_> {
    async fn fetch_period(&self, unit: Option<&str>, from: NaiveDate, to: NaiveDate) -> Result<Fetched> {
        self.require(Permission::ActivityRead)?;
        if matches!(self.actor.scope, crate::Scope::Department(_)) {
            return Err(StoreError::Forbidden);
        }
        if to < from {
            return Err(StoreError::field("to", "截止日期不能早于起始日期"));
        }
        let scope = ProjectScope::of(self.store, self.actor, unit)?;
        let mut q = activity::Entity::find()
            .filter(activity::Column::StartOn.gte(from))
            .filter(activity::Column::StartOn.lte(to))
            .order_by_asc(activity::Column::StartOn)
            .order_by_asc(activity::Column::Id);
        if let Some(units) = scope.units() {
            q = q.filter(activity::Column::UnitId.is_in(units.to_vec()));
        }
        let db = self.store.db();
        let rows = q.all(db).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let links = Links::load(db, &ids).await?;
        let leaders =
            super::by_ids::<_, leader::Entity>(db, leader::Column::Id, Links::all(&links.leaders), |r| r.id).await?;
        let company_ids = Links::all(&links.companies);
        let standings = Standings::load(db, &company_ids).await?;
        let companies = super::by_ids::<_, company::Entity>(db, company::Column::Id, company_ids, |r| r.id).await?;
        Ok(Fetched { rows, links, leaders, companies, standings })
    }

    /// `measure` for `unit` and its sub-units over `[from, to]` (assessment.md), with every
    /// activity it counted. The unit must lie in the actor's scope (403).
    pub async fn activity_measure(
        &self,
        measure: ActivityMeasure,
        unit: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<MeasureResult> {
        let tree = self.store.unit_tree();
        let u = tree.find(unit).ok_or_else(|| StoreError::field("unit", format!("单位「{unit}」不存在")))?;
        let code = u.code.clone();
        let f = self.fetch_period(Some(&code), from, to).await?;
        let records: Vec<CountedActivity> = f
            .rows
            .iter()
            .filter(|r| f.facts(r).is_some_and(|facts| counts(measure, &facts, from, to)))
            .map(|r| f.counted(&tree, r))
            .collect();
        Ok(MeasureResult { measure: measure.code().into(), unit: code, from, to, value: records.len() as u64, records })
    }

    /// The activities in scope dated in `[from, to]` that `leader_visits_500` counts, listed
    /// under each leader of the register who led them (the 五职 leader table's visits).
    pub(crate) async fn visits_500_by_leader(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<HashMap<i64, Vec<CountedActivity>>> {
        let f = self.fetch_period(None, from, to).await?;
        let tree = self.store.unit_tree();
        let mut out: HashMap<i64, Vec<CountedActivity>> = HashMap::new();
        for r in &f.rows {
            if !f.facts(r).is_some_and(|facts| counts(ActivityMeasure::LeaderVisits500, &facts, from, to)) {
                continue;
            }
            let c = f.counted(&tree, r);
            for l in f.links.leaders.get(&r.id).map_or(&[][..], Vec::as_slice) {
                out.entry(*l).or_default().push(c.clone());
            }
        }
        Ok(out)
    }

    /// Every activity in the actor's scope dated in `[from, to]` that one of `measures`
    /// counts, as (measure, organising unit id, record), by date: the assessment's run groups
    /// them by assessed unit (its subtree) from this ONE fetch instead of one
    /// [`Scoped::activity_measure`] per unit.
    pub(crate) async fn activities_counted(
        &self,
        measures: &[ActivityMeasure],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(ActivityMeasure, i64, CountedActivity)>> {
        let f = self.fetch_period(None, from, to).await?;
        let tree = self.store.unit_tree();
        let mut out = vec![];
        for r in &f.rows {
            let Some(facts) = f.facts(r) else { continue };
            for &m in measures {
                if counts(m, &facts, from, to) {
                    out.push((m, r.unit_id, f.counted(&tree, r)));
                }
            }
        }
        Ok(out)
    }

    /// The activities in scope dated in `[from, to]` (of `unit`'s subtree when given),
    /// counted by organising unit (with the two measures over each unit's own) and by leader.
    pub async fn activity_counts(&self, unit: Option<&str>, from: NaiveDate, to: NaiveDate) -> Result<ActivityCounts> {
        let f = self.fetch_period(unit, from, to).await?;
        let tree = self.store.unit_tree();
        let mut units: BTreeMap<i64, UnitCount> = BTreeMap::new();
        let mut leaders: BTreeMap<i64, LeaderCount> = BTreeMap::new();
        for r in &f.rows {
            let Some(facts) = f.facts(r) else { continue };
            let (unit, unit_name) = tree.code_name(r.unit_id);
            let uc = units.entry(r.unit_id).or_insert_with(|| UnitCount {
                unit,
                unit_name,
                total: 0,
                by_kind: BTreeMap::new(),
                leader_visits_500: 0,
                leader_talks: 0,
            });
            uc.total += 1;
            *uc.by_kind.entry(r.kind.clone()).or_default() += 1;
            uc.leader_visits_500 += u64::from(counts(ActivityMeasure::LeaderVisits500, &facts, from, to));
            uc.leader_talks += u64::from(counts(ActivityMeasure::LeaderTalks, &facts, from, to));
            let visit_ranked = facts.kind.is_visit() && facts.companies.iter().any(ranked);
            for l in f.links.leaders.get(&r.id).map_or(&[][..], Vec::as_slice) {
                let Some(m) = f.leaders.get(l) else { continue };
                let lc = leaders.entry(*l).or_insert_with(|| LeaderCount {
                    leader_id: m.id,
                    name: m.name.clone(),
                    position: m.position.clone(),
                    unit_name: tree.get(m.unit_id).map(|u| u.name.clone()).unwrap_or_default(),
                    level: m.level.clone(),
                    total: 0,
                    visits_ranked: 0,
                    talks: 0,
                });
                lc.total += 1;
                lc.visits_ranked += u64::from(visit_ranked);
                lc.talks += u64::from(facts.kind == ActivityKind::Talks);
            }
        }
        // units in the tree's order; leaders by level, then the most active first
        let order: HashMap<i64, usize> = tree.all().iter().enumerate().map(|(i, u)| (u.id, i)).collect();
        let mut by_unit: Vec<(i64, UnitCount)> = units.into_iter().collect();
        by_unit.sort_by_key(|(id, _)| order.get(id).copied().unwrap_or(usize::MAX));
        let mut by_leader: Vec<LeaderCount> = leaders.into_values().collect();
        by_leader.sort_by(|a, b| a.level.cmp(&b.level).then(b.total.cmp(&a.total)).then(a.leader_id.cmp(&b.leader_id)));
        Ok(ActivityCounts {
            from,
            to,
            total: f.rows.len() as u64,
            by_unit: by_unit.into_iter().map(|(_, c)| c).collect(),
            by_leader,
        })
    }
}
