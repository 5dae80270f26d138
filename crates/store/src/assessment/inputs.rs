//! What city_admin enters for a run (assessment.md): the `manual:<code>` measures per unit and
//! period, each with its source note (营商环境 items such as surveyed satisfaction), and the
//! bonus and penalty entries (加分/扣分) per unit and period, each with its reason. A run
//! reads those recorded for exactly its scheme's period.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::assessment::{Adjustment, AdjustmentKind, Measure};
use domain::fields::{ADJUSTMENT, MANUAL_VALUE};
use domain::{AuditAction, FieldError, Permission, UnitKind};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};

use super::ManualMeasures;
use crate::audit::Event;
use crate::entity::{assessment_adjustment, assessment_manual_value};
use crate::handle::one_shot;
use crate::{Result, Scoped, StoreError, Tx};

/// The largest value a manual measure or an adjustment may have.
const MAX_VALUE: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// A manual measure's value as entered.
#[derive(Debug, Clone)]
pub struct ManualValueInput {
    pub unit: String,
    /// The code after `manual:` (`satisfaction`), or with the prefix.
    pub measure: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub value: Decimal,
    pub source: String,
}

/// A stored manual value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ManualValue {
    pub id: i64,
    pub unit: String,
    pub unit_name: String,
    /// `manual:<code>`.
    pub measure: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[schema(value_type = String)]
    pub value: Decimal,
    pub source: String,
    pub updated_at: DateTime<Utc>,
}

/// A bonus or penalty entry as entered: `points` > 0 (the kind gives the sign).
#[derive(Debug, Clone)]
pub struct AdjustmentInput {
    pub unit: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// An `AdjustmentKind` code.
    pub kind: String,
    pub points: Decimal,
    pub reason: String,
}

/// A stored bonus or penalty entry; `points` signed (a penalty negative).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AdjustmentEntry {
    pub id: i64,
    pub unit: String,
    pub unit_name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `bonus` | `penalty`
    #[schema(value_type = String)]
    pub kind: AdjustmentKind,
    #[schema(value_type = String)]
    pub points: Decimal,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

impl AdjustmentEntry {
    pub fn adjustment(&self) -> Adjustment {
        Adjustment { unit: self.unit.clone(), kind: self.kind, points: self.points, reason: self.reason.clone() }
    }
}

one_shot! {
    write fn set_manual_value(input: ManualValueInput) -> ManualValue;
    write fn add_adjustment(input: AdjustmentInput) -> AdjustmentEntry;
    write fn remove_adjustment(id: i64) -> AdjustmentEntry;
}

/// A unit that may be assessed (not the city, not a department), by code or name.
fn assessed_unit(store: &crate::Store, code: &str, errors: &mut Vec<FieldError>) -> Option<(i64, String, String)> {
    let tree = store.unit_tree();
    match tree.find(code.trim()) {
        Some(u) if u.kind != UnitKind::City.code() && u.kind != UnitKind::Department.code() => {
            Some((u.id, u.code.clone(), u.name.clone()))
        }
        Some(u) => {
            errors.push(FieldError::new("unit", format!("「{}」不是考核对象（应为县（市、区）或开发区）", u.name)));
            None
        }
        None if code.trim().is_empty() => {
            errors.push(FieldError::new("unit", "单位不能为空"));
            None
        }
        None => {
            errors.push(FieldError::new("unit", format!("单位「{}」不存在", code.trim())));
            None
        }
    }
}

fn check_period(from: NaiveDate, to: NaiveDate, errors: &mut Vec<FieldError>) {
    if to < from {
        errors.push(FieldError::new("to", "截止日期不能早于起始日期"));
    }
}

fn manual_code(measure: &str) -> std::result::Result<String, String> {
    let m = measure.trim();
    let code = m.strip_prefix(domain::assessment::MANUAL).unwrap_or(m);
    match Measure::parse(&format!("{}{code}", domain::assessment::MANUAL)) {
        Some(Measure::Manual(c)) => Ok(c),
        _ => Err(format!("指标「{m}」应为手工指标代码（小写字母、数字和下划线，如 satisfaction）")),
    }
}

impl Tx<'_> {
    /// Record (or replace) the value of `manual:<measure>` for a unit and period, with its
    /// source. city_admin (`assessment:manage`); audited with the value before.
    pub async fn set_manual_value(&self, input: ManualValueInput) -> Result<ManualValue> {
        self.s.require(Permission::AssessmentManage)?;
        let mut errors = vec![];
        let unit = assessed_unit(self.store(), &input.unit, &mut errors);
        let code = manual_code(&input.measure).map_err(|e| errors.push(FieldError::new("measure", e))).ok();
        check_period(input.from, input.to, &mut errors);
        if input.value < Decimal::ZERO || input.value > MAX_VALUE {
            errors.push(FieldError::new("value", "数值应在 0 到 1,000,000,000 之间"));
        }
        MANUAL_VALUE.check_required("source", &input.source, &mut errors);
        let (Some((unit_id, unit_code, unit_name)), Some(code), true) = (unit, code, errors.is_empty()) else {
            return Err(StoreError::Validation(errors));
        };
        let existing = assessment_manual_value::Entity::find()
            .filter(assessment_manual_value::Column::UnitId.eq(unit_id))
            .filter(assessment_manual_value::Column::Measure.eq(code.clone()))
            .filter(assessment_manual_value::Column::PeriodFrom.eq(input.from))
            .filter(assessment_manual_value::Column::PeriodTo.eq(input.to))
            .one(&self.txn)
            .await?;
        let value = input.value.normalize();
        let source = input.source.trim().to_string();
        let (row, before) = match existing {
            Some(row) => {
                let before = manual_view(&row, &unit_code, &unit_name);
                let mut am: assessment_manual_value::ActiveModel = row.clone().into();
                am.value = Set(value.to_string());
                am.source = Set(source);
                crate::stamp::Versioned::bump(&mut am, row.version, crate::now())?;
                (sea_orm::ActiveModelTrait::update(am, &self.txn).await?, Some(before))
            }
            None => {
                let am = assessment_manual_value::ActiveModel {
                    unit_id: Set(unit_id),
                    measure: Set(code),
                    period_from: Set(input.from),
                    period_to: Set(input.to),
                    value: Set(value.to_string()),
                    source: Set(source),
                    ..Default::default()
                };
                (self.insert_new(am).await?, None)
            }
        };
        let out = manual_view(&row, &unit_code, &unit_name);
        let mut ev = Event::ok(AuditAction::ManualValue, "manual_value", row.id);
        if let Some(b) = before {
            ev = ev.before(b);
        }
        self.audited(ev, out).await
    }

    /// Record a 加分 or 扣分 entry for a unit and period, with its reason. city_admin.
    pub async fn add_adjustment(&self, input: AdjustmentInput) -> Result<AdjustmentEntry> {
        self.s.require(Permission::AssessmentManage)?;
        let mut errors = vec![];
        let unit = assessed_unit(self.store(), &input.unit, &mut errors);
        check_period(input.from, input.to, &mut errors);
        let kind = AdjustmentKind::parse(input.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", "类型应为加分（bonus）或扣分（penalty）"));
        }
        if input.points <= Decimal::ZERO || input.points > Decimal::ONE_HUNDRED || input.points.scale() > 2 {
            errors.push(FieldError::new("points", "分值应大于 0、不超过 100，至多两位小数"));
        }
        ADJUSTMENT.check_required("reason", &input.reason, &mut errors);
        let (Some((unit_id, unit_code, unit_name)), Some(kind), true) = (unit, kind, errors.is_empty()) else {
            return Err(StoreError::Validation(errors));
        };
        let am = assessment_adjustment::ActiveModel {
            unit_id: Set(unit_id),
            period_from: Set(input.from),
            period_to: Set(input.to),
            kind: Set(kind.code().into()),
            points: Set(input.points.normalize().to_string()),
            reason: Set(input.reason.trim().into()),
            deleted_at: Set(None),
            ..Default::default()
        };
        let row = self.insert_new(am).await?;
        let out = adjustment_view(&row, unit_code, unit_name)?;
        self.audited(Event::ok(AuditAction::Adjustment, "adjustment", row.id), out).await
    }

    /// Withdraw an entry (kept, marked deleted; later runs leave it out). city_admin.
    pub async fn remove_adjustment(&self, id: i64) -> Result<AdjustmentEntry> {
        self.s.require(Permission::AssessmentManage)?;
        let row = assessment_adjustment::Entity::find_by_id(id)
            .one(&self.txn)
            .await?
            .filter(|r| r.deleted_at.is_none())
            .ok_or(StoreError::NotFound)?;
        let (code, name) = self.store().unit_tree().code_name(row.unit_id);
        let out = adjustment_view(&row, code, name)?;
        let mut am: assessment_adjustment::ActiveModel = row.clone().into();
        am.deleted_at = Set(Some(crate::now()));
        crate::stamp::Versioned::bump(&mut am, row.version, crate::now())?;
        sea_orm::ActiveModelTrait::update(am, &self.txn).await?;
        let ev = Event::ok(AuditAction::Adjustment, "adjustment", id).before(&out).result("withdrawn");
        self.audit(ev).await?;
        Ok(out)
    }
}

fn manual_view(row: &assessment_manual_value::Model, unit: &str, unit_name: &str) -> ManualValue {
    ManualValue {
        id: row.id,
        unit: unit.to_string(),
        unit_name: unit_name.to_string(),
        measure: format!("{}{}", domain::assessment::MANUAL, row.measure),
        from: row.period_from,
        to: row.period_to,
        value: row.value.parse().unwrap_or_default(),
        source: row.source.clone(),
        updated_at: row.updated_at,
    }
}

fn adjustment_view(row: &assessment_adjustment::Model, unit: String, unit_name: String) -> Result<AdjustmentEntry> {
    let kind = AdjustmentKind::parse(&row.kind)
        .ok_or_else(|| StoreError::Conflict(format!("加减分 #{} 的类型「{}」无法识别", row.id, row.kind)))?;
    let points: Decimal = row.points.parse().unwrap_or_default();
    let points = if kind == AdjustmentKind::Penalty { -points } else { points };
    Ok(AdjustmentEntry {
        id: row.id,
        unit,
        unit_name,
        from: row.period_from,
        to: row.period_to,
        kind,
        points,
        reason: row.reason.clone(),
        created_at: row.created_at,
    })
}

impl Scoped<'_> {
    /// The manual values recorded for exactly `[from, to]`, of the units in the caller's
    /// scope, by unit then measure. `assessment:read`.
    pub async fn manual_values(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<ManualValue>> {
        self.require_by_unit(Permission::AssessmentRead)?;
        let rows = assessment_manual_value::Entity::find()
            .filter(assessment_manual_value::Column::PeriodFrom.eq(from))
            .filter(assessment_manual_value::Column::PeriodTo.eq(to))
            .order_by_asc(assessment_manual_value::Column::UnitId)
            .order_by_asc(assessment_manual_value::Column::Measure)
            .all(self.store.db())
            .await?;
        let tree = self.store.unit_tree();
        Ok(rows
            .iter()
            .filter(|r| self.actor.scope.allows_unit(r.unit_id))
            .map(|r| {
                let (code, name) = tree.code_name(r.unit_id);
                manual_view(r, &code, &name)
            })
            .collect())
    }

    /// The live bonus and penalty entries for exactly `[from, to]`, in the caller's scope,
    /// oldest first. `assessment:read`.
    pub async fn adjustments(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<AdjustmentEntry>> {
        self.require_by_unit(Permission::AssessmentRead)?;
        let rows = assessment_adjustment::Entity::find()
            .filter(assessment_adjustment::Column::PeriodFrom.eq(from))
            .filter(assessment_adjustment::Column::PeriodTo.eq(to))
            .filter(assessment_adjustment::Column::DeletedAt.is_null())
            .order_by_asc(assessment_adjustment::Column::Id)
            .all(self.store.db())
            .await?;
        let tree = self.store.unit_tree();
        rows.iter()
            .filter(|r| self.actor.scope.allows_unit(r.unit_id))
            .map(|r| {
                let (code, name) = tree.code_name(r.unit_id);
                adjustment_view(r, code, name)
            })
            .collect()
    }
}

/// Manual values as a run reads them.
pub fn manual_map(values: &[ManualValue]) -> ManualMeasures {
    let mut out: ManualMeasures = BTreeMap::new();
    for v in values {
        if let Some(m) = Measure::parse(&v.measure) {
            out.entry(v.unit.clone()).or_default().insert(m, v.value);
        }
    }
    out
}
