//! The 五职 leader table (assessment.md, 五职 leader assessment; seed 三(三)): for each leader
//! of the register who leads (包联) projects, over `[from, to]`, the projects by phase — 立项
//! (created), 洽谈 (moved into `negotiating`: the transition's date, or the date a transition
//! that skipped it recorded for it), 签约 (the accepted `signed` date), 履约率 (the clauses of
//! their projects' agreements due by `to`, the share fulfilled or waived by `to`, as
//! `clauses.rs` counts it), 投达产 (an accepted `producing` or `at_capacity` date) — and the
//! 500强/领军 visits they led (`leader_visits_500`'s predicate, `activities::measures`). Every
//! number comes with its records (the drill-down).
//!
//! Queries: the led projects, their negotiating transitions, their clauses, the leaders, and
//! the period's activities (a few in all, none per project or per leader). What counts is
//! what the city accepted; soft-deleted projects and agreements never count. A project
//! entered directly at `negotiating` or later has no 洽谈 date unless a transition records one.
//!
//! Scope: `assessment:read`; the city sees every leader; a unit user the leaders of its
//! subtree and the city leaders who lead its projects, counting only its own projects and
//! activities; a department user: 403.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use domain::agreement::ClauseFact;
use domain::assessment::leaders::{Figure, LeaderFigures, ProjectDates, project_figures};
use domain::leader::LeaderLevel;
use domain::{ClauseStatus, Permission, Stage};
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, QueryFilter};
use serde::{Deserialize, Serialize};

use super::projects::stage_date_accepted;
use crate::entity::leader;
use crate::sql::Sql;
use crate::{Result, Scope, Scoped, StoreError};

/// A led project counted under a phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LeaderProject {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub unit_name: String,
    /// The date it counted by (created, into negotiating, signed, producing/at capacity).
    pub date: NaiveDate,
}

/// A clause of the 履约率 (due by `to`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LeaderClause {
    pub id: i64,
    pub agreement_id: i64,
    pub agreement_title: String,
    pub number: String,
    pub due_on: NaiveDate,
    /// Its status as of `to`.
    pub status: String,
    pub project_id: i64,
    pub project_code: String,
    pub project_name: String,
    /// Fulfilled or waived by `to`.
    pub met: bool,
}

/// A visit the leader led that met a ranked company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LeaderVisit {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub start_on: NaiveDate,
    pub unit_name: String,
    /// The ranked companies met, `名称（排名）`.
    pub companies: Vec<String>,
}

/// The records behind each figure of a row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LeaderRecords {
    pub created: Vec<LeaderProject>,
    pub negotiating: Vec<LeaderProject>,
    pub signed: Vec<LeaderProject>,
    pub fulfilment: Vec<LeaderClause>,
    pub producing: Vec<LeaderProject>,
    pub visits: Vec<LeaderVisit>,
}

impl LeaderRecords {
    /// The projects of a project figure (empty for 履约率 and visits).
    pub fn projects(&self, f: Figure) -> &[LeaderProject] {
        match f {
            Figure::Created => &self.created,
            Figure::Negotiating => &self.negotiating,
            Figure::Signed => &self.signed,
            Figure::Producing => &self.producing,
            Figure::Fulfilment | Figure::Visits => &[],
        }
    }

    fn projects_mut(&mut self, f: Figure) -> Option<&mut Vec<LeaderProject>> {
        match f {
            Figure::Created => Some(&mut self.created),
            Figure::Negotiating => Some(&mut self.negotiating),
            Figure::Signed => Some(&mut self.signed),
            Figure::Producing => Some(&mut self.producing),
            Figure::Fulfilment | Figure::Visits => None,
        }
    }
}

/// The schema of `domain::assessment::leaders::LeaderFigures` (the API's `figures`).
#[derive(utoipa::ToSchema)]
#[schema(as = LeaderFigures)]
#[allow(dead_code)]
pub struct FiguresSchema {
    created: u64,
    negotiating: u64,
    signed: u64,
    /// 履约率 = clauses_met / clauses_due (none due: —).
    clauses_met: u64,
    clauses_due: u64,
    producing: u64,
    visits: u64,
}

/// One leader's row of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LeaderRow {
    pub leader_id: i64,
    pub name: String,
    pub position: String,
    /// The leader's unit code and name.
    pub unit: String,
    pub unit_name: String,
    /// `city_leader` | `unit_chief` | `unit_deputy`.
    pub level: String,
    #[schema(value_type = FiguresSchema)]
    pub figures: LeaderFigures,
    /// 履约率 as shown: `75.0%`, or `—` when no clause is due.
    pub fulfilment_rate: String,
    pub records: LeaderRecords,
}

/// The table over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LeaderTable {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub items: Vec<LeaderRow>,
}

#[derive(Debug, FromQueryResult)]
struct ProjectRow {
    id: i64,
    code: String,
    name: String,
    unit_id: i64,
    lead_leader_id: i64,
    created_at: chrono::DateTime<chrono::Utc>,
    accepted_stage: String,
    review_state: String,
    signed_on: Option<NaiveDate>,
    producing_on: Option<NaiveDate>,
    at_capacity_on: Option<NaiveDate>,
}

#[derive(Debug, FromQueryResult)]
struct TransitionRow {
    project_id: i64,
    to_stage: String,
    date: NaiveDate,
    skipped_dates: Option<String>,
}

#[derive(Debug, FromQueryResult)]
struct ClauseRow {
    id: i64,
    agreement_id: i64,
    title: String,
    number: String,
    due_on: NaiveDate,
    status: String,
    status_on: Option<NaiveDate>,
    project_id: i64,
}

/// When a transition put the project into `negotiating`, if it did.
fn negotiating_on(t: &TransitionRow) -> Option<NaiveDate> {
    if t.to_stage == Stage::Negotiating.code() {
        return Some(t.date);
    }
    let skipped: BTreeMap<String, String> = serde_json::from_str(t.skipped_dates.as_deref()?).ok()?;
    skipped.get(Stage::Negotiating.code())?.parse().ok()
}

impl Scoped<'_> {
    /// The 五职 leader table over `[from, to]`, sorted by the leader's unit (the tree's order,
    /// the city first) then level and name. Not paged: one row per leader who leads a live
    /// project in scope or led a counted visit. `to < from`: 422.
    pub async fn leader_table(&self, from: NaiveDate, to: NaiveDate) -> Result<LeaderTable> {
        self.require_by_unit(Permission::AssessmentRead)?;
        if to < from {
            return Err(StoreError::field("to", "截止日期不能早于起始日期"));
        }
        let store = self.store;
        let backend = store.db().get_database_backend();
        let tree = store.unit_tree();
        let units = match &self.actor.scope {
            Scope::Units(ids) => {
                format!(" AND p.unit_id IN ({})", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
            }
            _ => String::new(),
        };
        let led = "p.deleted_at IS NULL AND p.lead_leader_id IS NOT NULL";
        let projects: Vec<ProjectRow> = Sql::new(backend)
            .all(
                store,
                format!(
                    "SELECT p.id, p.code, p.name, p.unit_id, p.lead_leader_id, p.created_at, p.accepted_stage, \
                     p.review_state, p.signed_on, p.producing_on, p.at_capacity_on FROM projects p \
                     WHERE {led}{units} ORDER BY p.id"
                ),
            )
            .await?;
        let transitions: Vec<TransitionRow> = Sql::new(backend)
            .all(
                store,
                format!(
                    "SELECT t.project_id, t.to_stage, t.date, t.skipped_dates FROM transitions t \
                     JOIN projects p ON p.id = t.project_id WHERE {led}{units} \
                     AND (t.to_stage = 'negotiating' OR t.skipped_dates LIKE '%negotiating%') ORDER BY t.id"
                ),
            )
            .await?;
        let mut q = Sql::new(backend);
        let due = q.bind(to);
        let clauses: Vec<ClauseRow> = q
            .all(
                store,
                format!(
                    "SELECT c.id, c.agreement_id, a.title, c.number, c.due_on, c.status, c.status_on, a.project_id \
                     FROM clauses c JOIN agreements a ON a.id = c.agreement_id JOIN projects p ON p.id = a.project_id \
                     WHERE c.due_on IS NOT NULL AND c.due_on <= {due} AND a.deleted_at IS NULL AND {led}{units} \
                     ORDER BY c.due_on, c.id"
                ),
            )
            .await?;
        let visits = self.visits_500_by_leader(from, to).await?;

        // the earliest date each project moved into negotiating
        let mut negotiating: HashMap<i64, NaiveDate> = HashMap::new();
        for t in &transitions {
            if let Some(d) = negotiating_on(t) {
                let e = negotiating.entry(t.project_id).or_insert(d);
                *e = (*e).min(d);
            }
        }
        let by_id: HashMap<i64, &ProjectRow> = projects.iter().map(|p| (p.id, p)).collect();
        let mut rows: HashMap<i64, (LeaderFigures, LeaderRecords, Vec<ClauseFact>)> = HashMap::new();
        // a unit's city leaders appear only when they lead one of its projects
        let mut leaders_wanted: Vec<i64> = projects.iter().map(|p| p.lead_leader_id).collect();
        for p in &projects {
            let accepted = |s: Stage, d: Option<NaiveDate>| {
                d.filter(|_| stage_date_accepted(s, &p.accepted_stage, &p.review_state))
            };
            let dates = ProjectDates {
                created_on: Some(domain::shanghai_date(p.created_at)),
                negotiating_on: negotiating.get(&p.id).copied(),
                signed_on: accepted(Stage::Signed, p.signed_on),
                producing_on: accepted(Stage::Producing, p.producing_on),
                at_capacity_on: accepted(Stage::AtCapacity, p.at_capacity_on),
            };
            let row = rows.entry(p.lead_leader_id).or_default();
            let (unit, unit_name) = tree.code_name(p.unit_id);
            for (figure, date) in project_figures(&dates, from, to) {
                row.0.add(figure);
                if let Some(list) = row.1.projects_mut(figure) {
                    list.push(LeaderProject {
                        id: p.id,
                        code: p.code.clone(),
                        name: p.name.clone(),
                        unit: unit.clone(),
                        unit_name: unit_name.clone(),
                        date,
                    });
                }
            }
        }
        for c in &clauses {
            let Some(p) = by_id.get(&c.project_id) else { continue };
            let Some(status) = ClauseStatus::parse(&c.status) else { continue };
            let fact =
                ClauseFact { due_on: Some(c.due_on), status, settled_on: c.status_on.filter(|_| status.is_settled()) };
            let now = fact.status_on(to);
            let row = rows.entry(p.lead_leader_id).or_default();
            row.2.push(fact);
            row.1.fulfilment.push(LeaderClause {
                id: c.id,
                agreement_id: c.agreement_id,
                agreement_title: c.title.clone(),
                number: c.number.clone(),
                due_on: c.due_on,
                status: now.code().into(),
                project_id: p.id,
                project_code: p.code.clone(),
                project_name: p.name.clone(),
                met: now.is_met(),
            });
        }
        leaders_wanted.extend(visits.keys().copied());
        leaders_wanted.sort_unstable();
        leaders_wanted.dedup();
        let leader_rows = if leaders_wanted.is_empty() {
            vec![]
        } else {
            leader::Entity::find().filter(leader::Column::Id.is_in(leaders_wanted)).all(store.db()).await?
        };
        let leads: std::collections::HashSet<i64> = projects.iter().map(|p| p.lead_leader_id).collect();
        let order: HashMap<i64, usize> = tree.all().iter().enumerate().map(|(i, u)| (u.id, i)).collect();
        let mut items: Vec<(usize, LeaderRow)> = vec![];
        for l in leader_rows {
            // a unit user: its subtree's leaders, and the city leaders leading its projects
            let seen = match &self.actor.scope {
                Scope::All => true,
                scope => {
                    scope.allows_unit(l.unit_id) || (l.level == LeaderLevel::CityLeader.code() && leads.contains(&l.id))
                }
            };
            if !seen {
                continue;
            }
            let (mut figures, mut records, facts) = rows.remove(&l.id).unwrap_or_default();
            if let Some(r) = domain::agreement::fulfilment_rate(&facts, to) {
                figures.clauses_met = r.met();
                figures.clauses_due = r.due();
            }
            for a in visits.get(&l.id).map_or(&[][..], Vec::as_slice) {
                figures.add(Figure::Visits);
                records.visits.push(LeaderVisit {
                    id: a.id,
                    title: a.title.clone(),
                    kind: a.kind.clone(),
                    start_on: a.start_on,
                    unit_name: a.unit_name.clone(),
                    companies: a
                        .ranked_companies
                        .iter()
                        .map(|c| {
                            if c.standing.is_empty() {
                                c.name.clone()
                            } else {
                                format!("{}（{}）", c.name, c.standing)
                            }
                        })
                        .collect(),
                });
            }
            let (unit, unit_name) = tree.code_name(l.unit_id);
            let fulfilment_rate = figures.fulfilment_text();
            items.push((
                order.get(&l.unit_id).copied().unwrap_or(usize::MAX),
                LeaderRow {
                    leader_id: l.id,
                    name: l.name,
                    position: l.position,
                    unit,
                    unit_name,
                    level: l.level,
                    figures,
                    fulfilment_rate,
                    records,
                },
            ));
        }
        items.sort_by(|(a, x), (b, y)| {
            a.cmp(b)
                .then_with(|| x.level.cmp(&y.level))
                .then_with(|| x.name.cmp(&y.name))
                .then(x.leader_id.cmp(&y.leader_id))
        });
        Ok(LeaderTable { from, to, items: items.into_iter().map(|(_, r)| r).collect() })
    }
}
