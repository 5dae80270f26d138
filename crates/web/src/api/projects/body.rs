//! The bodies of the project routes: a project's writable fields (create and PATCH), a
//! stage transition and a funds entry, each turned into the store's input type with every
//! bad field named.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::{Category, Money, Stage};
use serde::Deserialize;
use serde_json::{Map, Value};
use store::funds::NewFunds;
use store::projects::{ProjectInput, ProjectPatch, TransitionInput};
use utoipa::ToSchema;

use crate::api::body::{Check, Input, RecordId, body};
use crate::error::ApiError;

/// Fields the system maintains; writing them is refused (security.md §7, mass assignment).
const PROTECTED: &[&str] = &[
    "id",
    "code",
    "stage",
    "accepted_stage",
    "review_state",
    "paused_from",
    "signed_on",
    "approved_on",
    "started_on",
    "producing_on",
    "at_capacity_on",
    "city_reportable",
    "key_project",
    "created_at",
    "updated_at",
    "deleted_at",
    "investors",
    "unit_name",
];

body! {
    /// A project's writable fields (api.md "Project object"). A new project needs `name`,
    /// `unit`, `industry`, `region` and `total_investment`; a PATCH may send any of them, and
    /// `null` clears an optional one.
    pub struct ProjectBody {
        #[schema(value_type = String)]
        name: Input<String>,
        /// The responsible unit's code (within the caller's scope).
        #[schema(value_type = String)]
        unit: Input<String>,
        /// The investors' company ids.
        #[schema(value_type = Option<Vec<i64>>)]
        investor_ids: Input<Vec<RecordId>>,
        /// An industry code.
        #[schema(value_type = String)]
        industry: Input<String>,
        /// The investor's region code.
        #[schema(value_type = String)]
        region: Input<String>,
        /// A 丝路通道 code.
        #[schema(value_type = Option<String>)]
        channel: Input<String>,
        /// `pillar`, `targeted`, `foreign`, `headquarters`.
        #[schema(value_type = Option<Vec<String>>)]
        categories: Input<Vec<String>>,
        /// 万元, a decimal string (an integer is accepted).
        #[schema(value_type = String, example = "12345.67")]
        total_investment: Input<Money>,
        /// 万美元.
        #[schema(value_type = Option<String>)]
        foreign_investment: Input<Money>,
        /// 亩.
        #[schema(value_type = Option<String>)]
        land_mu: Input<Money>,
        #[schema(value_type = Option<String>)]
        expected_output: Input<Money>,
        #[schema(value_type = Option<String>)]
        expected_tax: Input<Money>,
        #[schema(value_type = Option<i32>, minimum = 0, maximum = 10_000_000)]
        expected_jobs: Input<i32>,
        #[schema(value_type = Option<NaiveDate>)]
        expected_producing_on: Input<NaiveDate>,
        /// 包联领导 as written; linked to the register when its name matches a leader of the
        /// project's unit or a city leader.
        #[schema(value_type = Option<String>)]
        lead_leader: Input<String>,
        /// A leader of the register (`/api/v1/leaders`): a city leader or one of the
        /// project's unit subtree (422 otherwise); `null` unlinks and keeps the text.
        #[schema(value_type = Option<i64>)]
        lead_leader_id: Input<RecordId>,
        #[schema(value_type = Option<String>)]
        notes: Input<String>,
    }
}

/// A PATCH: the version read (optimistic lock; stale → 409) and any writable field.
#[derive(Deserialize, ToSchema)]
pub struct ProjectPatchBody {
    #[serde(default)]
    #[schema(value_type = i32, required = true)]
    version: Input<i32>,
    #[serde(flatten)]
    fields: ProjectBody,
}

fn categories(c: &mut Check, codes: Option<Vec<String>>) -> Option<Vec<Category>> {
    let parsed: Option<Vec<Category>> = codes?.iter().map(|code| Category::parse(code)).collect();
    if parsed.is_none() {
        c.err("categories", "项目类别应为 pillar、targeted、foreign、headquarters（梁柱型、靶向、外资、总部）");
    }
    parsed
}

fn jobs(c: &mut Check, jobs: Option<i32>) -> Option<i32> {
    let jobs = jobs?;
    if !(0..=10_000_000).contains(&jobs) {
        c.err("expected_jobs", "应为0到10000000之间的整数");
        return None;
    }
    Some(jobs)
}

impl ProjectBody {
    /// Every field as a partial update; `create` refuses the required ones absent, a patch
    /// only refuses them null.
    fn read(self, c: &mut Check, create: bool) -> ProjectPatch {
        let name = c.needed("name", self.name, !create);
        let unit = c.needed("unit", self.unit, !create);
        let industry = c.needed("industry", self.industry, !create);
        let region = c.needed("region", self.region, !create);
        let total_investment = c.needed("total_investment", self.total_investment, !create);
        let investor_ids = c.given("investor_ids", self.investor_ids).map(|ids| ids.unwrap_or_default());
        let codes = c.given("categories", self.categories).map(|v| v.unwrap_or_default());
        let expected_jobs = c.given("expected_jobs", self.expected_jobs);
        ProjectPatch {
            version: -1,
            name,
            unit,
            investor_ids: investor_ids.map(|ids| ids.into_iter().map(|RecordId(id)| id).collect()),
            industry,
            region,
            channel: c.given("channel", self.channel),
            categories: categories(c, codes),
            total_investment,
            foreign_investment: c.given("foreign_investment", self.foreign_investment),
            land_mu: c.given("land_mu", self.land_mu),
            expected_output: c.given("expected_output", self.expected_output),
            expected_tax: c.given("expected_tax", self.expected_tax),
            expected_jobs: expected_jobs.map(|j| jobs(c, j)),
            expected_producing_on: c.given("expected_producing_on", self.expected_producing_on),
            lead_leader: c.given("lead_leader", self.lead_leader),
            lead_leader_id: c.given("lead_leader_id", self.lead_leader_id).map(|v| v.map(|RecordId(id)| id)),
            notes: c.given("notes", self.notes),
        }
    }

    /// A new project; `version` is the system's.
    pub fn input(self) -> Result<ProjectInput, ApiError> {
        let mut c = Check::body(&domain::fields::PROJECT, &self.extra, &[PROTECTED, &["version"]].concat());
        let p = self.read(&mut c, true);
        c.finish(ProjectInput {
            name: p.name.unwrap_or_default(),
            unit: p.unit.unwrap_or_default(),
            investor_ids: p.investor_ids.unwrap_or_default(),
            industry: p.industry.unwrap_or_default(),
            region: p.region.unwrap_or_default(),
            channel: p.channel.flatten(),
            categories: p.categories.unwrap_or_default(),
            total_investment: p.total_investment.unwrap_or_default(),
            foreign_investment: p.foreign_investment.flatten(),
            land_mu: p.land_mu.flatten(),
            expected_output: p.expected_output.flatten(),
            expected_tax: p.expected_tax.flatten(),
            expected_jobs: p.expected_jobs.flatten(),
            expected_producing_on: p.expected_producing_on.flatten(),
            lead_leader: p.lead_leader.flatten(),
            lead_leader_id: p.lead_leader_id.flatten(),
            notes: p.notes.flatten(),
            created_on: None,
        })
    }
}

impl ProjectPatchBody {
    pub fn patch(self) -> Result<ProjectPatch, ApiError> {
        let mut c = Check::body(&domain::fields::PROJECT, &self.fields.extra, PROTECTED);
        let version = c.required("version", self.version);
        let patch = self.fields.read(&mut c, false);
        c.finish(ProjectPatch { version: version.unwrap_or(-1), ..patch })
    }
}

/// A body the pages post too, as a JSON object (`ui::project::form`).
fn from_map<T: for<'de> Deserialize<'de>>(body: &Map<String, Value>) -> Result<T, ApiError> {
    serde_json::from_value(Value::Object(body.clone())).map_err(|_| ApiError::BadRequest("请求体应为JSON对象".into()))
}

/// A new project from a JSON object (the API and the project form).
pub fn project_input(body: &Map<String, Value>) -> Result<ProjectInput, ApiError> {
    from_map::<ProjectBody>(body)?.input()
}

/// A partial update from a JSON object (the API and the project form).
pub fn project_patch(body: &Map<String, Value>) -> Result<ProjectPatch, ApiError> {
    from_map::<ProjectPatchBody>(body)?.patch()
}

body! {
    /// A stage transition (domain.md §4).
    pub struct TransitionBody {
        /// The target stage's code.
        #[schema(value_type = String, required = true)]
        to: Input<String>,
        /// The date the project reached it.
        #[schema(value_type = NaiveDate, required = true)]
        date: Input<NaiveDate>,
        /// When a transition skips stages: each skipped stage's code → its date.
        #[schema(value_type = Option<BTreeMap<String, NaiveDate>>)]
        skipped_dates: Input<Map<String, Value>>,
        #[schema(value_type = Option<String>)]
        note: Input<String>,
        /// Why (a pause, a termination, a correction).
        #[schema(value_type = Option<String>)]
        reason: Input<String>,
        /// The version read; a stale one → 409.
        #[schema(value_type = Option<i32>)]
        version: Input<i32>,
    }
}

impl TransitionBody {
    pub fn input(self) -> Result<TransitionInput, ApiError> {
        let mut c = Check::body(&domain::fields::TRANSITION, &self.extra, &[]);
        let to = c.required("to", self.to);
        let to = c.code("to", to, Stage::parse, |t| format!("阶段「{t}」无效"));
        let date = c.required("date", self.date);
        let mut skipped_dates = BTreeMap::new();
        for (k, v) in c.optional("skipped_dates", self.skipped_dates).unwrap_or_default() {
            match (Stage::parse(&k), v.as_str().and_then(crate::input::parse_date)) {
                (Some(stage), Some(d)) => {
                    skipped_dates.insert(stage, d);
                }
                _ => c.err("skipped_dates", format!("「{k}」应为阶段代码，值为 YYYY-MM-DD 日期")),
            }
        }
        let input = TransitionInput {
            to: to.unwrap_or(Stage::Reserve),
            date: date.unwrap_or_default(),
            skipped_dates,
            note: c.optional("note", self.note),
            reason: c.optional("reason", self.reason),
            version: c.optional("version", self.version),
        };
        c.finish(input)
    }
}

body! {
    /// A funds-in-place entry (到位资金); it waits for the city's review.
    pub struct FundsBody {
        #[schema(value_type = NaiveDate, required = true)]
        date: Input<NaiveDate>,
        /// `domestic_out_of_province` or `foreign`.
        #[schema(value_type = String, required = true)]
        kind: Input<String>,
        /// 万元, a decimal string above zero.
        #[schema(value_type = String, required = true, example = "1200.50")]
        amount: Input<Money>,
        #[schema(value_type = Option<String>)]
        note: Input<String>,
    }
}

impl FundsBody {
    pub fn input(self) -> Result<NewFunds, ApiError> {
        let mut c =
            Check::body(&domain::fields::FUNDS, &self.extra, &["id", "review_state", "project_id", "created_at"]);
        let new = NewFunds {
            date: c.required("date", self.date).unwrap_or_default(),
            kind: c.required("kind", self.kind).unwrap_or_default(),
            amount: c.required("amount", self.amount).unwrap_or_default(),
            note: c.optional("note", self.note),
        };
        // The store's own rules too, so that one answer names every bad field (a field
        // already refused keeps its first reason).
        for e in store::funds::validate(&new) {
            c.err(&e.field, e.message);
        }
        c.finish(new)
    }
}

body! {
    /// A 跟进记录 (项目进展情况): what happened, on a day (default today).
    pub struct ProgressBody {
        #[schema(value_type = String, required = true)]
        progress: Input<String>,
        #[schema(value_type = Option<NaiveDate>)]
        date: Input<NaiveDate>,
    }
}

impl ProgressBody {
    pub fn input(self) -> Result<(Option<NaiveDate>, String), ApiError> {
        let mut c = Check::body(&domain::fields::PROGRESS, &self.extra, &["id", "project_id", "version"]);
        let progress = c.required("progress", self.progress).unwrap_or_default();
        let date = c.optional("date", self.date);
        c.finish((date, progress))
    }
}
