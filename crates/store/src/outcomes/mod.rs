//! 运行监测 (domain.md §4): a producing or at-capacity project's yearly output, tax and jobs
//! actually achieved, one row per project and year, beside the project's expected values.
//! The rules are `domain::outcome`; a row is scoped through its project.

use chrono::{DateTime, NaiveDate, Utc};
use domain::fields::OUTCOME;
use domain::outcome::{achievement, achievement_string, check_year, records_outcomes};
use domain::{AuditAction, FieldError, Money, Permission, Stage};
use sea_orm::{ColumnTrait, EntityTrait, Order, QueryFilter, Set};
use serde::Serialize;

use crate::audit::Event;
use crate::entity::{outcome, project};
use crate::handle::one_shot;
use crate::handle::update_versioned;
use crate::model_view::model_view;
use crate::{Result, Scoped, StoreError, Tx};

fn money(v: Option<i64>) -> Option<Money> {
    v.map(Money::from_hundredths)
}

model_view! {
    /// One year's 运行监测 as recorded.
    #[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
    pub struct Outcome from outcome {
        pub id: i64,
        pub project_id: i64,
        pub year: i32,
        /// 实际产值, 万元.
        #[schema(value_type = Option<String>)]
        pub output: Option<Money> => money,
        /// 实际税收, 万元.
        #[schema(value_type = Option<String>)]
        pub tax: Option<Money> => money,
        /// 实际就业, 人.
        pub jobs: Option<i32>,
        pub note: Option<String>,
        pub version: i32,
        pub updated_at: DateTime<Utc>,
    }
}

/// One year beside the expected values: each 达成率 is `actual / expected` as a decimal string
/// (`"0.8500"`, may exceed 1), or null when nothing was expected or recorded.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OutcomeYear {
    #[serde(flatten)]
    pub outcome: Outcome,
    pub output_rate: Option<String>,
    pub tax_rate: Option<String>,
    pub jobs_rate: Option<String>,
}

/// A project's 运行监测: whether it records outcomes (its accepted stage is 投产 or 达产), the
/// expected values, and the years recorded, the latest first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProjectOutcomes {
    pub project_id: i64,
    /// The accepted stage is 投产 or 达产, so a year may be recorded.
    pub records_outcomes: bool,
    #[schema(value_type = Option<String>)]
    pub expected_output: Option<Money>,
    #[schema(value_type = Option<String>)]
    pub expected_tax: Option<Money>,
    pub expected_jobs: Option<i32>,
    pub producing_on: Option<NaiveDate>,
    pub years: Vec<OutcomeYear>,
}

/// What one year records; `version` is the version read when the year exists already.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutcomeInput {
    pub output: Option<Money>,
    pub tax: Option<Money>,
    pub jobs: Option<i32>,
    pub note: Option<String>,
    pub version: Option<i32>,
}

/// What is wrong with a year's figures, each error naming its field.
pub fn validate(input: &OutcomeInput) -> Vec<FieldError> {
    let mut errors = vec![];
    if input.jobs.is_some_and(|j| j < 0) {
        errors.push(FieldError::new("jobs", "实际就业人数不能为负数"));
    }
    OUTCOME.check_opt("note", input.note.as_deref(), &mut errors);
    if input.output.is_none() && input.tax.is_none() && input.jobs.is_none() {
        errors.push(FieldError::new("output", "请至少填写实际产值、实际税收或实际就业中的一项"));
    }
    errors
}

fn year_of(o: Outcome, p: &project::Model) -> OutcomeYear {
    let rate = |a: Option<i64>, e: Option<i64>| achievement_string(achievement(a, e));
    OutcomeYear {
        output_rate: rate(o.output.map(Money::hundredths), p.expected_output),
        tax_rate: rate(o.tax.map(Money::hundredths), p.expected_tax),
        jobs_rate: rate(o.jobs.map(i64::from), p.expected_jobs.map(i64::from)),
        outcome: o,
    }
}

fn stage_records(p: &project::Model) -> bool {
    Stage::parse(&p.accepted_stage).is_some_and(records_outcomes)
}

impl Scoped<'_> {
    /// The project's 运行监测 (project:read on the project).
    pub async fn outcomes(&self, project_id: i64) -> Result<ProjectOutcomes> {
        use outcome::Column::{Id, ProjectId, Year};
        let p = self.project_row(project_id, Permission::ProjectRead).await?;
        let order = [(Year, Order::Desc), (Id, Order::Asc)];
        let rows =
            crate::handle::child_rows::<outcome::Entity>(self.store.db(), ProjectId, project_id, None, &order).await?;
        Ok(ProjectOutcomes {
            project_id,
            records_outcomes: stage_records(&p),
            expected_output: money(p.expected_output),
            expected_tax: money(p.expected_tax),
            expected_jobs: p.expected_jobs,
            producing_on: p.producing_on,
            years: rows.into_iter().map(|r| year_of(Outcome::from(r), &p)).collect(),
        })
    }
}

one_shot! {
    write fn record_outcome(project_id: i64, year: i32, input: OutcomeInput, today: NaiveDate) -> OutcomeYear;
}

impl Tx<'_> {
    /// Record (or correct) one year's outcomes of a project the city accepted as 投产 or 达产:
    /// a year from its producing year to `today`'s; correcting a year needs the version read.
    pub async fn record_outcome(
        &self,
        project_id: i64,
        year: i32,
        input: OutcomeInput,
        today: NaiveDate,
    ) -> Result<OutcomeYear> {
        let mut errors = validate(&input);
        let p = self.live_project_row(project_id, Permission::ProjectWrite, "项目已删除").await?;
        if let Err(e) = check_year(year, p.producing_on, today) {
            errors.insert(0, e);
        }
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        if !stage_records(&p) {
            return Err(StoreError::Conflict("项目经审核投产或达产后才能记录运行监测".into()));
        }
        let existing = outcome::Entity::find()
            .filter(outcome::Column::ProjectId.eq(project_id))
            .filter(outcome::Column::Year.eq(year))
            .one(&self.txn)
            .await?;
        let note = input.note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        let (before, saved) = match existing {
            None => {
                let am = outcome::ActiveModel {
                    project_id: Set(project_id),
                    year: Set(year),
                    output: Set(input.output.map(Money::hundredths)),
                    tax: Set(input.tax.map(Money::hundredths)),
                    jobs: Set(input.jobs),
                    note: Set(note),
                    ..Default::default()
                };
                (None, self.insert_new(am).await?)
            }
            Some(row) => {
                let Some(version) = input.version else {
                    return Err(StoreError::Conflict(format!("{year}年度已有运行监测记录，请刷新后修改")));
                };
                let am = outcome::ActiveModel {
                    output: Set(input.output.map(Money::hundredths)),
                    tax: Set(input.tax.map(Money::hundredths)),
                    jobs: Set(input.jobs),
                    note: Set(note),
                    version: Set(version + 1),
                    updated_at: Set(crate::now()),
                    ..Default::default()
                };
                let id = row.id;
                update_versioned(&self.txn, am, (outcome::Column::Id, id), (outcome::Column::Version, version)).await?;
                let after = outcome::Entity::find_by_id(id).one(&self.txn).await?.ok_or(StoreError::NotFound)?;
                (Some(Outcome::from(row)), after)
            }
        };
        let after = Outcome::from(saved);
        let mut ev = Event::ok(AuditAction::OutcomeRecord, "project", project_id).after(&after);
        if let Some(b) = &before {
            ev = ev.before(b);
        }
        self.audit(ev).await?;
        Ok(year_of(after, &p))
    }
}
