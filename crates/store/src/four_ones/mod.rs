//! 四个一 (domain.md §4; seed 三(一)二): a project's action plan (milestones), its work
//! team, and the check of the three parts (the case file is the project's attachments).
//! The rules are `domain::four_ones`; the store fetches the facts.

mod team;

pub use team::{NewMember, TeamMember, validate as validate_team};

use chrono::{DateTime, NaiveDate, Utc};
use domain::fields::MILESTONE;
use domain::four_ones::{FourOnesFacts, MissingFourOnes, four_ones_missing};
use domain::{AuditAction, FieldError, FourOnes, Permission};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;

use crate::audit::Event;
use crate::entity::{milestone, project, team_member};
use crate::handle::one_shot;
use crate::handle::update_versioned;
use crate::model_view::model_view;
use crate::projects::ProjectFilter;
use crate::{Result, Scoped, StoreError, Tx};

model_view! {
    /// A milestone of the action plan.
    #[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
    pub struct Milestone from milestone {
        pub id: i64,
        pub project_id: i64,
        pub title: String,
        pub owner: Option<String>,
        pub due_on: Option<NaiveDate>,
        pub done_on: Option<NaiveDate>,
        pub version: i32,
        pub created_at: DateTime<Utc>,
    }
}

impl Milestone {
    /// Days past due and not done by `today`.
    pub fn days_overdue(&self, today: NaiveDate) -> Option<i64> {
        domain::four_ones::milestone_days_overdue(self.due_on, self.done_on, today)
    }
}

/// A new milestone, or (every field `Some`) the fields a PATCH sets: `None` leaves a field
/// alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct MilestoneInput {
    pub title: Option<String>,
    pub owner: Option<Option<String>>,
    pub due_on: Option<Option<NaiveDate>>,
    pub done_on: Option<Option<NaiveDate>>,
    /// The version read (PATCH only).
    pub version: i32,
}

/// What is wrong with a milestone's fields.
pub fn validate(m: &MilestoneInput, create: bool, today: NaiveDate) -> Vec<FieldError> {
    let mut errors = vec![];
    match m.title.as_deref() {
        Some(t) => MILESTONE.check_required("title", t, &mut errors),
        None if create => MILESTONE.check_required("title", "", &mut errors),
        None => {}
    }
    if let Some(Some(o)) = &m.owner {
        MILESTONE.check_len("owner", o, &mut errors);
    }
    if m.done_on.flatten().is_some_and(|d| d > today) {
        errors.push(FieldError::new("done_on", "实际完成日期不能晚于今天"));
    }
    errors
}

/// The 四个一 of one project (api.md `four_ones`).
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct FourOnesStatus {
    pub action_plan: bool,
    pub work_team: bool,
    pub case_file: bool,
    pub complete: bool,
}

impl From<FourOnes> for FourOnesStatus {
    fn from(f: FourOnes) -> Self {
        FourOnesStatus {
            action_plan: f.action_plan,
            work_team: f.work_team,
            case_file: f.case_file,
            complete: f.complete(),
        }
    }
}

/// A key project and what its 四个一 lacks (the 重点项目四个一 page).
#[derive(Debug, Clone)]
pub struct KeyProjectFourOnes {
    pub project_id: i64,
    pub name: String,
    pub unit_name: String,
    pub status: FourOnesStatus,
    pub missing: MissingFourOnes,
}

/// The counts the 四个一 check reads, of one project.
async fn facts<C: ConnectionTrait>(db: &C, project_id: i64) -> Result<FourOnesFacts> {
    let milestones = milestone::Entity::find().filter(milestone::Column::ProjectId.eq(project_id)).count(db).await?;
    let team = team_member::Entity::find().filter(team_member::Column::ProjectId.eq(project_id));
    let team_members = team.clone().count(db).await?;
    let team_leaders = team.filter(team_member::Column::IsLeader.eq(true)).count(db).await?;
    // the case file: the project's live attachments (the attachments table is filled elsewhere)
    let q = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from(Alias::new("attachments"))
        .and_where(Expr::col(Alias::new("project_id")).eq(project_id))
        .and_where(Expr::col(Alias::new("deleted_at")).is_null())
        .to_owned();
    let row = db.query_one(&q).await?;
    let attachments: i64 = match row {
        Some(r) => r.try_get_by_index(0)?,
        None => 0,
    };
    let n = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    Ok(FourOnesFacts {
        milestones: n(milestones),
        team_members: n(team_members),
        team_leaders: n(team_leaders),
        attachments: n(u64::try_from(attachments).unwrap_or(0)),
    })
}

impl Scoped<'_> {
    pub async fn list_milestones(&self, project_id: i64) -> Result<Vec<Milestone>> {
        use milestone::Column::{DueOn, Id, ProjectId};
        let order = [(DueOn, Order::Asc), (Id, Order::Asc)];
        let rows =
            self.children::<milestone::Entity>(project_id, Permission::ProjectRead, (ProjectId, None), &order).await?;
        Ok(rows.into_iter().map(Milestone::from).collect())
    }

    /// Which of the three parts the project has.
    pub async fn four_ones(&self, project_id: i64) -> Result<FourOnesStatus> {
        self.project_row(project_id, Permission::ProjectRead).await?;
        Ok(FourOnes::of(&facts(self.store.db(), project_id).await?).into())
    }

    /// Every live key project in scope with its 四个一 and what it lacks, incomplete first; a
    /// terminated project needs none (the 四个一 warning skips it too).
    pub async fn key_projects_four_ones(&self) -> Result<Vec<KeyProjectFourOnes>> {
        let db = self.store.db();
        let f = ProjectFilter { key_project: Some(true), ..Default::default() };
        let cond = self.filter_condition(&f).await?.add(project::Column::Stage.ne(domain::Stage::Terminated.code()));
        let rows = project::Entity::find().filter(cond).order_by_asc(project::Column::Id).all(db).await?;
        let tree = self.store.unit_tree();
        let mut out = Vec::with_capacity(rows.len());
        for p in rows {
            let facts = facts(db, p.id).await?;
            out.push(KeyProjectFourOnes {
                project_id: p.id,
                unit_name: tree.get(p.unit_id).map(|u| u.name.clone()).unwrap_or_default(),
                name: p.name,
                status: FourOnes::of(&facts).into(),
                missing: four_ones_missing(p.key_project, &facts),
            });
        }
        out.sort_by_key(|k| k.status.complete);
        Ok(out)
    }
}

one_shot! {
    write fn create_milestone(project_id: i64, input: MilestoneInput, today: NaiveDate) -> Milestone;
    write fn update_milestone(id: i64, input: MilestoneInput, today: NaiveDate) -> Milestone;
}

impl Tx<'_> {
    pub async fn create_milestone(
        &self,
        project_id: i64,
        input: MilestoneInput,
        today: NaiveDate,
    ) -> Result<Milestone> {
        let errors = validate(&input, true, today);
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        self.live_project_row(project_id, Permission::ProjectWrite, "项目已删除").await?;
        let am = milestone::ActiveModel {
            project_id: Set(project_id),
            title: Set(input.title.unwrap_or_default().trim().into()),
            owner: Set(input.owner.flatten()),
            due_on: Set(input.due_on.flatten()),
            done_on: Set(input.done_on.flatten()),
            ..Default::default()
        };
        let m = Milestone::from(self.insert_new(am).await?);
        self.audited(Event::ok(AuditAction::MilestoneCreate, "milestone", m.id), m).await
    }

    pub async fn update_milestone(&self, id: i64, input: MilestoneInput, today: NaiveDate) -> Result<Milestone> {
        let errors = validate(&input, false, today);
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let Some(row) = milestone::Entity::find_by_id(id).one(&self.txn).await? else {
            return Err(StoreError::NotFound);
        };
        self.live_project_row(row.project_id, Permission::ProjectWrite, "项目已删除").await?;
        let before = Milestone::from(row);
        let mut am = milestone::ActiveModel {
            version: Set(input.version + 1),
            updated_at: Set(crate::now()),
            ..Default::default()
        };
        if let Some(t) = input.title {
            am.title = Set(t.trim().into());
        }
        if let Some(o) = input.owner {
            am.owner = Set(o);
        }
        if let Some(d) = input.due_on {
            am.due_on = Set(d);
        }
        if let Some(d) = input.done_on {
            am.done_on = Set(d);
        }
        update_versioned(&self.txn, am, (milestone::Column::Id, id), (milestone::Column::Version, input.version))
            .await?;
        let after = milestone::Entity::find_by_id(id).one(&self.txn).await?.ok_or(StoreError::NotFound)?;
        self.audited(Event::ok(AuditAction::MilestoneUpdate, "milestone", id).before(&before), Milestone::from(after))
            .await
    }
}
