//! 招商活动 (domain.md §6; seed 二(七), 三(一)二, 三(二)二): a unit's trips, leader visits,
//! receptions, promotions, expos and talks, with the leaders of the register who led them,
//! the companies met and what came of them. An activity belongs to its organising unit: a
//! unit user reads and writes its subtree's, the city-wide roles read all. The rules are
//! `domain::activity`; `write.rs` the writes, `measures.rs` the assessment's measures and the
//! counts by unit and by leader.

mod measures;
mod standing;
mod write;

pub use measures::{ActivityCounts, CountedActivity, LeaderCount, MeasureResult, UnitCount};
pub use write::{ActivityInput, ActivityPatch};

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use domain::Money;
use domain::Permission;
use domain::activity::{ActivityKind, ranked};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use standing::Standings;

use crate::attachments::Attachment;
use crate::entity::{activity, activity_company, activity_leader, activity_project, activity_target};
use crate::entity::{company, leader, project};
use crate::{Result, Scoped, StoreError};

/// A leader of the register who led an activity.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ActivityLeader {
    pub id: i64,
    pub name: String,
    pub position: String,
    /// `city_leader` | `unit_chief` | `unit_deputy`.
    pub level: String,
}

/// A company an activity met, with the standing that makes it count for `leader_visits_500`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MetCompany {
    pub id: i64,
    pub name: String,
    /// On the Fortune Global 500 or the China 500 of the activity's year, or an industry leader.
    pub ranked: bool,
    /// Its standing in the year of the activity (the ranking list of that year, else the
    /// latest before it): `2025年世界500强第12位`, `行业领军企业` … (empty: none).
    pub standing: String,
}

/// A project an activity created or signed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ActivityProject {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// `created` | `signed`.
    pub outcome: String,
}

/// An activity as the API and the pages show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Activity {
    pub id: i64,
    pub title: String,
    /// `team_trip` | `leader_visit` | `exchange` | `promotion` | `expo` | `talks`.
    pub kind: String,
    pub start_on: NaiveDate,
    pub end_on: NaiveDate,
    /// A region code (regions.csv).
    pub region: String,
    pub city: String,
    pub country: String,
    /// The organising unit's code.
    pub unit: String,
    pub unit_name: String,
    /// The highest level of those who led it: `city_leader` | `unit_chief` | `unit_deputy` | `staff`.
    pub leader_level: String,
    pub leader_ids: Vec<i64>,
    pub leaders: Vec<ActivityLeader>,
    pub participants: Option<String>,
    pub company_ids: Vec<i64>,
    pub companies: Vec<MetCompany>,
    /// The targets (靶向企业) contacted.
    pub target_ids: Vec<i64>,
    /// Investment intentions reached.
    pub intentions: i32,
    pub intention_notes: Option<String>,
    /// The projects it created.
    pub project_ids: Vec<i64>,
    /// The projects it signed.
    pub signed_project_ids: Vec<i64>,
    pub projects: Vec<ActivityProject>,
    pub summary: Option<String>,
    /// 万元, a decimal string.
    #[schema(value_type = Option<String>)]
    pub cost: Option<Money>,
    /// The evidence files (only in `GET /api/v1/activities/{id}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip)]
    pub unit_id: i64,
}

impl Activity {
    pub fn kind(&self) -> Option<ActivityKind> {
        ActivityKind::parse(&self.kind)
    }
}

crate::list_filter! {
    /// What an activity list shows: each filter optional.
    pub struct ActivityFilter {
        pub kind: Option<ActivityKind>,
        /// Activities on any day of `[from, to]`.
        pub from: Option<NaiveDate>,
        pub to: Option<NaiveDate>,
        pub leader_id: Option<i64>,
        pub company_id: Option<i64>,
        /// Oldest first (the calendar) instead of the latest first.
        pub ascending: bool,
    }
}

crate::page_type! {
    /// One page of activities.
    pub struct ActivityPage of Activity;
}

/// The child rows of activities, by activity.
#[derive(Default)]
pub(crate) struct Links {
    pub leaders: HashMap<i64, Vec<i64>>,
    pub companies: HashMap<i64, Vec<i64>>,
    pub targets: HashMap<i64, Vec<i64>>,
    pub projects: HashMap<i64, Vec<(i64, String)>>,
}

impl Links {
    pub(crate) async fn load<C: ConnectionTrait>(db: &C, ids: &[i64]) -> Result<Links> {
        let mut l = Links::default();
        for chunk in ids.chunks(500) {
            use crate::rows::grouped;
            let cols = (activity_leader::Column::ActivityId, activity_leader::Column::LeaderId);
            grouped::<activity_leader::Entity, _, _>(db, cols, chunk, |r| (r.activity_id, r.leader_id), &mut l.leaders)
                .await?;
            let cols = (activity_company::Column::ActivityId, activity_company::Column::CompanyId);
            let pair = |r: activity_company::Model| (r.activity_id, r.company_id);
            grouped::<activity_company::Entity, _, _>(db, cols, chunk, pair, &mut l.companies).await?;
            let cols = (activity_target::Column::ActivityId, activity_target::Column::TargetId);
            grouped::<activity_target::Entity, _, _>(db, cols, chunk, |r| (r.activity_id, r.target_id), &mut l.targets)
                .await?;
            let cols = (activity_project::Column::ActivityId, activity_project::Column::ProjectId);
            let pair = |r: activity_project::Model| (r.activity_id, (r.project_id, r.outcome));
            grouped::<activity_project::Entity, _, _>(db, cols, chunk, pair, &mut l.projects).await?;
        }
        Ok(l)
    }

    fn all(m: &HashMap<i64, Vec<i64>>) -> Vec<i64> {
        let mut v: Vec<i64> = m.values().flatten().copied().collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// The rows of `E` with one of `ids`, by id.
async fn by_ids<C, E>(
    db: &C,
    col: E::Column,
    ids: Vec<i64>,
    id_of: fn(&E::Model) -> i64,
) -> Result<HashMap<i64, E::Model>>
where
    C: ConnectionTrait,
    E: EntityTrait,
    E::Model: Send + Sync,
{
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        for r in E::find().filter(col.is_in(chunk.to_vec())).all(db).await? {
            out.insert(id_of(&r), r);
        }
    }
    Ok(out)
}

/// `activities.id IN (SELECT activity_id FROM link WHERE col = v)`: the activities with that
/// leader, or that met that company (`E`: the link table).
fn linked<E: EntityTrait>(activity_id: E::Column, col: E::Column, v: i64) -> sea_orm::sea_query::SimpleExpr {
    let sub =
        sea_orm::sea_query::Query::select().column(activity_id).from(E::default()).and_where(col.eq(v)).to_owned();
    activity::Column::Id.in_subquery(sub)
}

impl Scoped<'_> {
    /// The activities' view rows, with their leaders, companies and projects.
    pub(crate) async fn activity_views<C: ConnectionTrait>(
        &self,
        db: &C,
        rows: Vec<activity::Model>,
    ) -> Result<Vec<Activity>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let links = Links::load(db, &ids).await?;
        let leaders = by_ids::<_, leader::Entity>(db, leader::Column::Id, Links::all(&links.leaders), |r| r.id).await?;
        let company_ids = Links::all(&links.companies);
        let standings = Standings::load(db, &company_ids).await?;
        let companies = by_ids::<_, company::Entity>(db, company::Column::Id, company_ids, |r| r.id).await?;
        let project_ids: Vec<i64> = links.projects.values().flatten().map(|(p, _)| *p).collect();
        let projects = by_ids::<_, project::Entity>(db, project::Column::Id, project_ids, |r| r.id).await?;
        let tree = self.store.unit_tree();
        Ok(rows
            .into_iter()
            .map(|r| {
                let (unit, unit_name) = tree.code_name(r.unit_id);
                let leader_ids = links.leaders.get(&r.id).cloned().unwrap_or_default();
                let company_ids = links.companies.get(&r.id).cloned().unwrap_or_default();
                let outcomes = links.projects.get(&r.id).cloned().unwrap_or_default();
                let of = |o: domain::activity::ActivityOutcome| {
                    outcomes.iter().filter(|(_, c)| c == o.code()).map(|(p, _)| *p).collect::<Vec<_>>()
                };
                Activity {
                    id: r.id,
                    leaders: leader_ids
                        .iter()
                        .filter_map(|i| leaders.get(i))
                        .map(|l| ActivityLeader {
                            id: l.id,
                            name: l.name.clone(),
                            position: l.position.clone(),
                            level: l.level.clone(),
                        })
                        .collect(),
                    companies: company_ids
                        .iter()
                        .filter_map(|i| companies.get(i))
                        .map(|c| MetCompany {
                            id: c.id,
                            name: c.name.clone(),
                            ranked: ranked(&standings.standing(c, r.start_on)),
                            standing: standings.text(c, r.start_on),
                        })
                        .collect(),
                    projects: outcomes
                        .iter()
                        .filter_map(|(p, o)| projects.get(p).map(|m| (m, o)))
                        .map(|(p, o)| ActivityProject {
                            id: p.id,
                            code: p.code.clone(),
                            name: p.name.clone(),
                            outcome: o.clone(),
                        })
                        .collect(),
                    project_ids: of(domain::activity::ActivityOutcome::Created),
                    signed_project_ids: of(domain::activity::ActivityOutcome::Signed),
                    target_ids: links.targets.get(&r.id).cloned().unwrap_or_default(),
                    leader_ids,
                    company_ids,
                    title: r.title,
                    kind: r.kind,
                    start_on: r.start_on,
                    end_on: r.end_on,
                    region: r.region,
                    city: r.city,
                    country: r.country,
                    unit,
                    unit_name,
                    leader_level: r.leader_level,
                    participants: r.participants,
                    intentions: r.intentions,
                    intention_notes: r.intention_notes,
                    summary: r.summary,
                    cost: r.cost.map(Money::from_hundredths),
                    attachments: None,
                    version: r.version,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                    unit_id: r.unit_id,
                }
            })
            .collect())
    }

    /// An activity with its evidence files (those need attachment:read too).
    pub async fn get_activity(&self, id: i64) -> Result<Activity> {
        let row = self.unit_owned::<activity::Entity, _>(self.store.db(), id, Permission::ActivityRead).await?;
        let mut a = self.activity_views(self.store.db(), vec![row]).await?.pop().ok_or(StoreError::NotFound)?;
        if self.may(Permission::AttachmentRead) {
            a.attachments = Some(self.activity_attachments(id).await?);
        }
        Ok(a)
    }

    /// The condition of a filter on `activities`, the actor's scope included (a department,
    /// which organises no activity of its own, is refused).
    pub(crate) fn activity_condition(&self, f: &ActivityFilter) -> Result<Condition> {
        let mut cond = self.unit_owned_list(Permission::ActivityRead, f.unit.as_deref(), activity::Column::UnitId)?;
        if let Some(k) = f.kind {
            cond = cond.add(activity::Column::Kind.eq(k.code()));
        }
        if let Some(to) = f.to {
            cond = cond.add(activity::Column::StartOn.lte(to));
        }
        if let Some(from) = f.from {
            cond = cond.add(activity::Column::EndOn.gte(from));
        }
        if let Some(l) = f.leader_id {
            cond = cond.add(linked::<activity_leader::Entity>(
                activity_leader::Column::ActivityId,
                activity_leader::Column::LeaderId,
                l,
            ));
        }
        if let Some(c) = f.company_id {
            cond = cond.add(linked::<activity_company::Entity>(
                activity_company::Column::ActivityId,
                activity_company::Column::CompanyId,
                c,
            ));
        }
        Ok(cond)
    }

    /// The activities in scope, the latest first (or the oldest first: `ascending`).
    pub async fn list_activities(&self, f: &ActivityFilter) -> Result<ActivityPage> {
        let cond = self.activity_condition(f)?;
        let q = activity::Entity::find().filter(cond);
        let q = if f.ascending {
            q.order_by_asc(activity::Column::StartOn).order_by_asc(activity::Column::Id)
        } else {
            q.order_by_desc(activity::Column::StartOn).order_by_desc(activity::Column::Id)
        };
        let (rows, p) = crate::list_page(self.store.db(), q, f.page, f.per_page).await?;
        Ok(ActivityPage::new(self.activity_views(self.store.db(), rows).await?, p))
    }

    /// The activities in scope that met `company_id`, the latest first, at most `per_page`
    /// (the company's page): the same scoped list as `/activities` (a unit sees its subtree's,
    /// the city-wide roles all; a department none: 403); an unknown company 404.
    pub async fn company_activities(&self, company_id: i64, per_page: u64) -> Result<ActivityPage> {
        self.require(Permission::CompanyRead)?;
        company::Entity::find_by_id(company_id).one(self.store.db()).await?.ok_or(StoreError::NotFound)?;
        let f = ActivityFilter { company_id: Some(company_id), page: 1, per_page, ..Default::default() };
        self.list_activities(&f).await
    }

    /// An activity's evidence files, newest first.
    pub async fn activity_attachments(&self, id: i64) -> Result<Vec<Attachment>> {
        use crate::entity::attachment;
        self.unit_owned::<activity::Entity, _>(self.store.db(), id, Permission::ActivityRead).await?;
        self.require(Permission::AttachmentRead)?;
        let rows = attachment::Entity::find()
            .filter(attachment::Column::Entity.eq(domain::evidence::AttachedTo::Activity.code()))
            .filter(attachment::Column::EntityId.eq(id))
            .filter(attachment::Column::DeletedAt.is_null())
            .order_by_desc(attachment::Column::UploadedAt)
            .order_by_desc(attachment::Column::Id)
            .all(self.store.db())
            .await?;
        self.attachment_views(rows).await
    }
}

/// Activities by the days of a month they cover (the calendar): day → activities.
pub fn by_day(items: &[Activity], from: NaiveDate, to: NaiveDate) -> BTreeMap<NaiveDate, Vec<&Activity>> {
    let mut out: BTreeMap<NaiveDate, Vec<&Activity>> = BTreeMap::new();
    for a in items {
        let mut d = a.start_on.max(from);
        while d <= a.end_on.min(to) {
            out.entry(d).or_default().push(a);
            match d.succ_opt() {
                Some(n) => d = n,
                None => break,
            }
        }
    }
    out
}
