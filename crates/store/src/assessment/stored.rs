//! Stored schemes and runs (assessment.md; api.md `schemes`, `assessments`): a scheme is kept
//! as the TOML it was written in, one revision per save of a name; a run is kept for good
//! with the scheme text, its inputs (every measure of every unit with the records it counted,
//! the manual values and the 加减分 entries, as canonical JSON) and its output (the ranking),
//! each with its SHA-256, so a unit that disputes its rank reads the records as they were
//! counted, and a bulletin can prove what it was computed from.
//!
//! Who: saving a scheme needs `assessment:manage`; storing a run `assessment:run` city-wide;
//! reading schemes and runs `assessment:read` city-wide (city_admin, supervisor, leader). A
//! unit user reads a run only once a published bulletin holds it, and then only its own
//! unit's records.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::assessment::{Adjustment, Assessment, Measure, Scheme, top_ten_bonus};
use domain::fields::SCHEME;
use domain::{AuditAction, FieldError, Permission};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, Iterable, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::inputs::{AdjustmentEntry, ManualValue, manual_map};
use super::{AssessmentRun, Counted, MeasureTable};
use crate::audit::Event;
use crate::entity::{assessment_run, assessment_scheme, bulletin};
use crate::handle::one_shot;
use crate::{Result, Scope, Scoped, StoreError, Tx};

/// A stored scheme (api.md: `{id, name, from, to, version}`; the text with it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredScheme {
    pub id: i64,
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// 1, 2, … per name.
    pub version: i32,
    pub toml: String,
    pub created_at: DateTime<Utc>,
}

/// One record a measure counted, as the drill-down lists it (api.md: `entity, id,
/// project_id, date, value`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Record {
    /// `project`, `funds_entry`, `clause`, `problem`, `activity` or `manual_value`.
    pub entity: String,
    pub id: i64,
    pub project_id: Option<i64>,
    pub date: Option<NaiveDate>,
    /// What it contributes: an amount (万元/万美元), 1 for a counted record; for a rate's
    /// record 1 when it met, 0 when it did not.
    #[schema(value_type = String)]
    pub value: Decimal,
    /// What it is, in Chinese: `ZZ-2025-0001 某项目（已签约 2025-03-01）`.
    pub label: String,
    /// The record's own unit (the assessed unit or one of its sub-units).
    pub unit: String,
    pub unit_name: String,
}

/// One measure of one unit as the run read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureInput {
    pub value: Decimal,
    pub met: Option<u64>,
    pub due: Option<u64>,
    pub records: Vec<Record>,
}

/// What a run was computed from: hashed as canonical JSON (`inputs_sha256`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunInputs {
    pub scheme_toml: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Unit code → measure code → the measure and its records.
    pub measures: BTreeMap<String, BTreeMap<String, MeasureInput>>,
    pub adjustments: Vec<Adjustment>,
}

/// A stored run (api.md `GET /api/v1/assessments/{run_id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRun {
    pub id: i64,
    pub scheme_id: Option<i64>,
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day whose records the run read (none: as they stood when it ran).
    pub as_of: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<i64>,
    pub inputs_sha256: String,
    pub output_sha256: String,
    pub assessment: Assessment,
}

/// A stored run in a list: no results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RunSummary {
    pub id: i64,
    pub scheme_id: Option<i64>,
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub output_sha256: String,
}

/// What to run: a stored scheme or a text.
#[derive(Debug, Clone)]
pub enum SchemeSource {
    Stored(i64),
    Text(String),
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The scheme text, or 422 under `scheme` with every problem (line, indicator, unit named).
fn parse_scheme(text: &str) -> Result<Scheme> {
    let mut errors = vec![];
    SCHEME.check_len("toml", text, &mut errors);
    if !errors.is_empty() {
        return Err(StoreError::Validation(errors.into_iter().map(|e| FieldError::new("scheme", e.message)).collect()));
    }
    Scheme::parse(text).map_err(super::problems_error)
}

fn scheme_view(r: assessment_scheme::Model) -> StoredScheme {
    StoredScheme {
        id: r.id,
        name: r.name,
        from: r.period_from,
        to: r.period_to,
        version: r.revision,
        toml: r.toml,
        created_at: r.created_at,
    }
}

impl Counted {
    /// The records as the drill-down lists them.
    pub fn records(&self) -> Vec<Record> {
        let met = |m: Option<bool>| match m {
            Some(false) => Decimal::ZERO,
            _ => Decimal::ONE,
        };
        // (entity, id, project, date, value, label, unit, unit name)
        let rec = |entity: &str, id, project_id, date, value, label, unit: &String, unit_name: &String| Record {
            entity: entity.into(),
            id,
            project_id,
            date: Some(date),
            value,
            label,
            unit: unit.clone(),
            unit_name: unit_name.clone(),
        };
        match self {
            Counted::Projects(v) => v
                .iter()
                .map(|p| {
                    let label = format!("{} {}（{} {}）", p.code, p.name, stage_label(&p.stage), p.date);
                    rec("project", p.id, Some(p.id), p.date, met(p.met), label, &p.unit, &p.unit_name)
                })
                .collect(),
            Counted::Funds(v) => v
                .iter()
                .map(|f| {
                    let label = format!("{} {}", f.project_code, f.project_name);
                    let value = f.amount.to_decimal();
                    rec("funds_entry", f.id, Some(f.project_id), f.date, value, label, &f.unit, &f.unit_name)
                })
                .collect(),
            Counted::Clauses(v) => v
                .iter()
                .map(|c| {
                    let status = clause_label(&c.status);
                    let label = format!(
                        "{} {} · {} 第{}条（{status}）",
                        c.project_code, c.project_name, c.agreement_title, c.number
                    );
                    rec("clause", c.id, Some(c.project_id), c.due_on, met(Some(c.met)), label, &c.unit, &c.unit_name)
                })
                .collect(),
            Counted::Problems(v) => v
                .iter()
                .map(|p| {
                    let label = format!("{} {} · {}", p.project_code, p.project_name, p.title);
                    rec("problem", p.id, Some(p.project_id), p.due_on, met(Some(p.met)), label, &p.unit, &p.unit_name)
                })
                .collect(),
            Counted::Activities(v) => v
                .iter()
                .map(|a| {
                    let label = match a.leaders.is_empty() {
                        true => a.title.clone(),
                        false => format!("{}（{}）", a.title, a.leaders.join("、")),
                    };
                    rec("activity", a.id, None, a.start_on, Decimal::ONE, label, &a.unit, &a.unit_name)
                })
                .collect(),
        }
    }
}

fn stage_label(code: &str) -> &str {
    domain::Stage::parse(code).map_or(code, |s| s.label())
}

fn clause_label(code: &str) -> &str {
    domain::agreement::ClauseStatus::parse(code).map_or(code, |s| s.label())
}

/// The inputs of a run: the measure table flattened, the manual values as records.
fn run_inputs(
    text: &str,
    scheme: &Scheme,
    table: &MeasureTable,
    manual: &[ManualValue],
    adjustments: &[Adjustment],
) -> RunInputs {
    let mut measures: BTreeMap<String, BTreeMap<String, MeasureInput>> = BTreeMap::new();
    for u in &table.units {
        let row = measures.entry(u.unit.code.clone()).or_default();
        for m in &u.measures {
            let input = MeasureInput { value: m.value, met: m.met, due: m.due, records: m.counted.records() };
            row.insert(m.measure.code().to_string(), input);
        }
    }
    let read: Vec<String> = scheme.indicators.iter().map(|i| i.measure.code()).collect();
    for v in manual.iter().filter(|v| read.contains(&v.measure)) {
        let record = Record {
            entity: "manual_value".into(),
            id: v.id,
            project_id: None,
            date: Some(v.to),
            value: v.value,
            label: format!("人工录入：{}（来源：{}）", v.value.normalize(), v.source),
            unit: v.unit.clone(),
            unit_name: v.unit_name.clone(),
        };
        let input = MeasureInput { value: v.value, met: None, due: None, records: vec![record] };
        measures.entry(v.unit.clone()).or_default().insert(v.measure.clone(), input);
    }
    RunInputs {
        scheme_toml: text.to_string(),
        from: scheme.from,
        to: scheme.to,
        measures,
        adjustments: adjustments.to_vec(),
    }
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Conflict(format!("考核结果无法保存：{e}")))
}

fn run_view(r: assessment_run::Model) -> Result<StoredRun> {
    let assessment: Assessment = serde_json::from_str(&r.output)
        .map_err(|e| StoreError::Conflict(format!("考核结果 #{} 无法读取：{e}", r.id)))?;
    Ok(StoredRun {
        id: r.id,
        scheme_id: r.scheme_id,
        name: r.name,
        from: r.period_from,
        to: r.period_to,
        as_of: r.as_of,
        created_at: r.created_at,
        created_by: r.created_by,
        inputs_sha256: r.inputs_sha256,
        output_sha256: r.output_sha256,
        assessment,
    })
}

impl Tx<'_> {
    /// Save `text` as a scheme: checked in full (422 under `scheme`, every problem naming its
    /// line, indicator and unit); a scheme of the same name gets the next version.
    /// `assessment:manage`; audited.
    pub async fn save_scheme(&self, text: &str) -> Result<StoredScheme> {
        self.s.require(Permission::AssessmentManage)?;
        let scheme = parse_scheme(text)?;
        let units = super::assessable_units(&self.store().unit_tree());
        scheme.assessed_units(&units).map_err(super::problems_error)?;
        let last = assessment_scheme::Entity::find()
            .filter(assessment_scheme::Column::Name.eq(scheme.name.clone()))
            .order_by_desc(assessment_scheme::Column::Revision)
            .one(&self.txn)
            .await?;
        let am = assessment_scheme::ActiveModel {
            name: Set(scheme.name.clone()),
            period_from: Set(scheme.from),
            period_to: Set(scheme.to),
            toml: Set(text.to_string()),
            revision: Set(last.map_or(1, |l| l.revision + 1)),
            created_by: Set(self.actor().user_id),
            created_at: Set(crate::now()),
            ..Default::default()
        };
        let row = sea_orm::ActiveModelTrait::insert(am, &self.txn).await?;
        let out = scheme_view(row);
        let summary = serde_json::json!({"name": out.name, "version": out.version, "from": out.from, "to": out.to});
        self.audit(Event::ok(AuditAction::SchemeSave, "scheme", out.id).after(summary)).await?;
        Ok(out)
    }

    /// Store a computed run with its inputs and output, each hashed; audited.
    async fn insert_run(
        &self,
        scheme_id: Option<i64>,
        scheme: &Scheme,
        as_of: Option<NaiveDate>,
        inputs: &RunInputs,
        assessment: &Assessment,
    ) -> Result<StoredRun> {
        let inputs_json = to_json(inputs)?;
        let output_json = to_json(assessment)?;
        let am = assessment_run::ActiveModel {
            scheme_id: Set(scheme_id),
            name: Set(scheme.name.clone()),
            period_from: Set(scheme.from),
            period_to: Set(scheme.to),
            as_of: Set(as_of),
            scheme_toml: Set(inputs.scheme_toml.clone()),
            inputs_sha256: Set(sha256_hex(inputs_json.as_bytes())),
            inputs: Set(inputs_json),
            output_sha256: Set(sha256_hex(output_json.as_bytes())),
            output: Set(output_json),
            created_by: Set(self.actor().user_id),
            created_at: Set(crate::now()),
            ..Default::default()
        };
        let row = sea_orm::ActiveModelTrait::insert(am, &self.txn).await?;
        let out = run_view(row)?;
        let summary = serde_json::json!({
            "name": out.name, "scheme_id": out.scheme_id, "from": out.from, "to": out.to,
            "inputs_sha256": out.inputs_sha256, "output_sha256": out.output_sha256,
            "ranking": out.assessment.results.iter().map(|r| (r.rank, r.unit.code.clone(), r.total)).collect::<Vec<_>>(),
        });
        self.audit(Event::ok(AuditAction::AssessmentRun, "assessment_run", out.id).after(summary)).await?;
        Ok(out)
    }
}

one_shot! {
    write fn save_scheme(text: &str) -> StoredScheme;
}

impl Scoped<'_> {
    /// city-wide `assessment:read` (city_admin, supervisor, leader).
    fn require_city_read(&self) -> Result<()> {
        self.require(Permission::AssessmentRead)?;
        if self.actor.scope != Scope::All {
            return Err(StoreError::Forbidden);
        }
        Ok(())
    }

    /// Every stored scheme, newest first (each version its own row).
    pub async fn list_schemes(&self) -> Result<Vec<StoredScheme>> {
        self.require_city_read()?;
        let rows =
            assessment_scheme::Entity::find().order_by_desc(assessment_scheme::Column::Id).all(self.store.db()).await?;
        Ok(rows.into_iter().map(scheme_view).collect())
    }

    /// Check a scheme text against the unit tree without saving or running it: the scheme
    /// and the units it assesses, or 422 under `scheme` with every problem. Any
    /// `assessment:read` (it reads no records).
    pub fn check_scheme(&self, text: &str) -> Result<(Scheme, Vec<domain::assessment::UnitRef>)> {
        self.require(Permission::AssessmentRead)?;
        let scheme = parse_scheme(text)?;
        let units = super::assessable_units(&self.store.unit_tree());
        let assessed = scheme.assessed_units(&units).map_err(super::problems_error)?;
        Ok((scheme, assessed))
    }

    /// One stored scheme (404 unknown).
    pub async fn scheme(&self, id: i64) -> Result<StoredScheme> {
        self.require_city_read()?;
        let row = assessment_scheme::Entity::find_by_id(id).one(self.store.db()).await?.ok_or(StoreError::NotFound)?;
        Ok(scheme_view(row))
    }

    /// Run a scheme and store the run: [`Scoped::run_recorded`] (the computed measures from
    /// accepted records — as of the end of `as_of` when given —, the manual values and 加减分
    /// recorded for exactly the scheme's period, the year's top-10 bonus). `assessment:run` city-wide; a scheme that
    /// does not fit, or a manual value missing, is refused (422 under `scheme`).
    pub async fn store_run(&self, source: SchemeSource, as_of: Option<NaiveDate>) -> Result<StoredRun> {
        self.require(Permission::AssessmentRun)?;
        if self.actor.scope != Scope::All {
            return Err(StoreError::Forbidden);
        }
        let (scheme_id, text) = match source {
            SchemeSource::Stored(id) => {
                let row = assessment_scheme::Entity::find_by_id(id)
                    .one(self.store.db())
                    .await?
                    .ok_or_else(|| StoreError::field("scheme_id", format!("考核方案 #{id} 不存在")))?;
                (Some(row.id), row.toml)
            }
            SchemeSource::Text(t) => (None, t),
        };
        let scheme = parse_scheme(&text)?;
        let (run, manual, adjustments) = self.run_recorded(&scheme, as_of).await?;
        let inputs = run_inputs(&text, &scheme, &run.measures, &manual, &adjustments);
        let tx = self.begin().await?;
        let out = tx.insert_run(scheme_id, &scheme, as_of, &inputs, &run.assessment).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Run `scheme` (not stored) with what city_admin recorded for its period: the manual
    /// values and live 加减分 entries of exactly `[from, to]`, and, when the scheme gives
    /// `top10_bonus` and its period lies in one year, that bonus per project of the unit in the
    /// year's top-10; with `as_of`, the records as they stood at the end of that day
    /// (`run_assessment_as_of`). `assessment:run` city-wide. Returns the run, the manual values
    /// and the adjustments it read.
    pub async fn run_recorded(
        &self,
        scheme: &Scheme,
        as_of: Option<NaiveDate>,
    ) -> Result<(AssessmentRun, Vec<ManualValue>, Vec<Adjustment>)> {
        self.require(Permission::AssessmentRun)?;
        if self.actor.scope != Scope::All {
            return Err(StoreError::Forbidden);
        }
        // the inputs city_admin recorded are read city-wide, whoever runs
        let (manual, entries) = self.period_inputs(scheme.from, scheme.to).await?;
        let mut adjustments: Vec<Adjustment> = entries.iter().map(AdjustmentEntry::adjustment).collect();
        if let Some(each) = scheme.top10_bonus
            && scheme.from.year() == scheme.to.year()
        {
            for (unit, n) in self.top10_counts(scheme.from.year()).await? {
                adjustments.extend(top_ten_bonus(&unit, n, each));
            }
        }
        let run = self.run_assessment_as_of(scheme, &manual_map(&manual), &adjustments, as_of).await?;
        Ok((run, manual, adjustments))
    }

    /// The manual values and live 加减分 entries of exactly `[from, to]`, every unit.
    async fn period_inputs(&self, from: NaiveDate, to: NaiveDate) -> Result<(Vec<ManualValue>, Vec<AdjustmentEntry>)> {
        let city = crate::Actor { scope: Scope::All, ..self.actor.clone() };
        let all = self.store.scoped(&city);
        Ok((all.manual_values(from, to).await?, all.adjustments(from, to).await?))
    }

    /// Whether a published bulletin holds run `id`.
    async fn run_published(&self, id: i64) -> Result<bool> {
        let n = bulletin::Entity::find()
            .filter(bulletin::Column::RunId.eq(id))
            .filter(bulletin::Column::State.eq(domain::assessment::BulletinState::Published.code()))
            .count(self.store.db())
            .await?;
        Ok(n > 0)
    }

    /// The run, for a caller who may read it: city-wide `assessment:read`, or any
    /// `assessment:read` once a published bulletin holds it (403 otherwise, 404 unknown).
    /// Its `inputs` (every record counted: megabytes on a large run) are left out, blank;
    /// [`Scoped::inputs_of`] reads them where they are needed.
    async fn readable_run(&self, id: i64) -> Result<assessment_run::Model> {
        self.require(Permission::AssessmentRead)?;
        let row = assessment_run::Entity::find_by_id(id)
            .select_only()
            .columns(assessment_run::Column::iter().filter(|c| !matches!(c, assessment_run::Column::Inputs)))
            .column_as(sea_orm::sea_query::Expr::val(""), "inputs")
            .one(self.store.db())
            .await?
            .ok_or(StoreError::NotFound)?;
        match self.actor.scope {
            Scope::All => Ok(row),
            Scope::Units(_) if self.run_published(id).await? => Ok(row),
            _ => Err(StoreError::Forbidden),
        }
    }

    /// A readable run's inputs, parsed.
    async fn inputs_of(&self, id: i64) -> Result<RunInputs> {
        let text: Option<String> = assessment_run::Entity::find_by_id(id)
            .select_only()
            .column(assessment_run::Column::Inputs)
            .into_tuple()
            .one(self.store.db())
            .await?;
        let text = text.ok_or(StoreError::NotFound)?;
        serde_json::from_str(&text).map_err(|e| StoreError::Conflict(format!("考核结果 #{id} 无法读取：{e}")))
    }

    /// The scheme text a stored run ran (as readable as the run).
    pub async fn run_scheme_text(&self, id: i64) -> Result<String> {
        Ok(self.readable_run(id).await?.scheme_toml)
    }

    /// A stored run.
    pub async fn stored_run(&self, id: i64) -> Result<StoredRun> {
        run_view(self.readable_run(id).await?)
    }

    /// A stored run's inputs (the measures with their records), as hashed.
    pub async fn run_inputs(&self, id: i64) -> Result<RunInputs> {
        self.readable_run(id).await?;
        if self.actor.scope != Scope::All {
            return Err(StoreError::Forbidden);
        }
        self.inputs_of(id).await
    }

    /// The stored runs, newest first, paged (`page` from 1).
    pub async fn list_runs(&self, page: u64, per_page: u64) -> Result<(Vec<RunSummary>, u64)> {
        self.require_city_read()?;
        let q = assessment_run::Entity::find()
            .select_only()
            .columns([
                assessment_run::Column::Id,
                assessment_run::Column::SchemeId,
                assessment_run::Column::Name,
                assessment_run::Column::PeriodFrom,
                assessment_run::Column::PeriodTo,
                assessment_run::Column::CreatedAt,
                assessment_run::Column::OutputSha256,
            ])
            .order_by_desc(assessment_run::Column::Id);
        let total = assessment_run::Entity::find().count(self.store.db()).await?;
        type Row = (i64, Option<i64>, String, NaiveDate, NaiveDate, DateTime<Utc>, String);
        let rows: Vec<Row> =
            q.offset(crate::page_offset(page, per_page)).limit(per_page).into_tuple().all(self.store.db()).await?;
        let items = rows
            .into_iter()
            .map(|(id, scheme_id, name, from, to, created_at, output_sha256)| RunSummary {
                id,
                scheme_id,
                name,
                from,
                to,
                created_at,
                output_sha256,
            })
            .collect();
        Ok((items, total))
    }

    /// The drill-down of one number of a stored run: the records `unit`'s `indicator` was
    /// computed from, as counted when the run was made. A unit user reads only its own
    /// unit's (and only of a published run); 422 naming `unit` or `indicator` when the run
    /// has no such unit or indicator.
    pub async fn run_records(&self, id: i64, unit: &str, indicator: &str) -> Result<Vec<Record>> {
        let row = self.readable_run(id).await?;
        let tree = self.store.unit_tree();
        let u = tree.find(unit).ok_or_else(|| StoreError::field("unit", format!("单位「{unit}」不存在")))?;
        if !self.actor.scope.allows_unit(u.id) {
            return Err(StoreError::Forbidden);
        }
        let inputs = self.inputs_of(id).await?;
        let assessment: Assessment = serde_json::from_str(&row.output)
            .map_err(|e| StoreError::Conflict(format!("考核结果 #{id} 无法读取：{e}")))?;
        let measure = assessment
            .columns
            .iter()
            .find(|c| c.code == indicator)
            .map(|c| c.measure.clone())
            .or_else(|| (indicator == Measure::FUNDS_DOMESTIC.code()).then_some(Measure::FUNDS_DOMESTIC))
            .ok_or_else(|| StoreError::field("indicator", format!("该次考核没有指标「{indicator}」")))?;
        let measures = inputs
            .measures
            .get(&u.code)
            .ok_or_else(|| StoreError::field("unit", format!("{}不在该次考核的单位之中", u.name)))?;
        Ok(measures.get(&measure.code()).map(|m| m.records.clone()).unwrap_or_default())
    }
}
