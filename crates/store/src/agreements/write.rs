//! The writes on agreements: a new agreement with its clauses (one transaction), a
//! package's sub-projects, a clause's status.

use chrono::NaiveDate;
use domain::agreement::clause_transition;
use domain::fields::{AGREEMENT, CLAUSE};
use domain::{AgreementKind, AuditAction, ClauseStatus, FieldError, Money, Obligor, Permission};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use super::{Agreement, Clause, agreement_row, hydrate};
use crate::audit::Event;
use crate::entity::{agreement, agreement_sub_project, clause};
use crate::handle::one_shot;
use crate::handle::update_versioned;
use crate::text::trimmed;
use crate::{Result, StoreError, Tx};

/// A clause of a new agreement.
#[derive(Debug, Clone)]
pub struct NewClause {
    pub number: String,
    pub text: String,
    pub obligor: Obligor,
    pub due_amount: Option<Money>,
    pub due_area: Option<Money>,
    pub due_on: Option<NaiveDate>,
    pub status: ClauseStatus,
    pub note: Option<String>,
}

/// A new agreement and its clauses.
#[derive(Debug, Clone)]
pub struct NewAgreement {
    pub kind: AgreementKind,
    pub title: String,
    pub signed_on: Option<NaiveDate>,
    pub parties: Vec<String>,
    pub amount: Option<Money>,
    pub clauses: Vec<NewClause>,
}

/// A clause's new status (`status_on` defaults to today), with the version read.
#[derive(Debug, Clone)]
pub struct ClausePatch {
    pub status: ClauseStatus,
    pub status_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub version: i32,
}

/// What is wrong with a new agreement, field by field; a clause's field is named
/// `clauses[i].field`.
pub fn validate(new: &NewAgreement, today: NaiveDate) -> Vec<FieldError> {
    let mut errors = vec![];
    AGREEMENT.check_required("title", &new.title, &mut errors);
    for p in &new.parties {
        AGREEMENT.check_required("parties", p, &mut errors);
    }
    if new.signed_on.is_some_and(|d| d > today) {
        errors.push(FieldError::new("signed_on", "签订日期不能晚于今天"));
    }
    for (i, c) in new.clauses.iter().enumerate() {
        let mut own = vec![];
        CLAUSE.check_required("number", &c.number, &mut own);
        CLAUSE.check_required("text", &c.text, &mut own);
        CLAUSE.check_opt("note", c.note.as_deref(), &mut own);
        errors.extend(super::nest("clauses", i, own));
    }
    let mut numbers: Vec<&str> = new.clauses.iter().map(|c| c.number.trim()).collect();
    numbers.sort_unstable();
    if numbers.windows(2).any(|w| w[0] == w[1]) {
        errors.push(FieldError::new("clauses", "条款编号不能重复"));
    }
    errors
}

one_shot! {
    write fn create_agreement(project_id: i64, new: NewAgreement, today: NaiveDate) -> Agreement;
    write fn add_sub_project(agreement_id: i64, project_id: i64, today: NaiveDate) -> Agreement;
    write fn update_clause(clause_id: i64, patch: ClausePatch, today: NaiveDate) -> Clause;
}

impl Tx<'_> {
    /// An agreement of a live project in scope, with every clause, in this transaction.
    pub async fn create_agreement(&self, project_id: i64, new: NewAgreement, today: NaiveDate) -> Result<Agreement> {
        let errors = validate(&new, today);
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        self.live_project_row(project_id, Permission::ProjectWrite, "项目已删除").await?;
        let parties: Vec<String> = new.parties.iter().map(|p| p.trim().to_string()).collect();
        let am = agreement::ActiveModel {
            project_id: Set(project_id),
            kind: Set(new.kind.code().into()),
            title: Set(new.title.trim().into()),
            signed_on: Set(new.signed_on),
            parties: Set(serde_json::to_string(&parties).unwrap_or_else(|_| "[]".into())),
            amount: Set(new.amount.map(Money::hundredths)),
            deleted_at: Set(None),
            ..Default::default()
        };
        let row = self.insert_new(am).await?;
        for c in new.clauses {
            let am = clause::ActiveModel {
                agreement_id: Set(row.id),
                project_id: Set(project_id),
                number: Set(c.number.trim().into()),
                text: Set(c.text.trim().into()),
                obligor: Set(c.obligor.code().into()),
                due_amount: Set(c.due_amount.map(Money::hundredths)),
                due_area: Set(c.due_area.map(Money::hundredths)),
                due_on: Set(c.due_on),
                status: Set(c.status.code().into()),
                status_on: Set((c.status != ClauseStatus::Pending).then_some(today)),
                note: Set(trimmed(c.note)),
                ..Default::default()
            };
            self.insert_new(am).await?;
        }
        let a = hydrate(&self.txn, vec![row], today).await?.pop().ok_or(StoreError::NotFound)?;
        self.audited(Event::ok(AuditAction::AgreementCreate, "agreement", a.id), a).await
    }

    /// Link a project in scope as a sub-project of a package agreement (409 for other kinds,
    /// for the agreement's own project, for a project already some package's sub-project).
    pub async fn add_sub_project(&self, agreement_id: i64, project_id: i64, today: NaiveDate) -> Result<Agreement> {
        let row = agreement_row(&self.txn, agreement_id).await?;
        self.live_project_row(row.project_id, Permission::ProjectWrite, "项目已删除").await?;
        let kind = AgreementKind::parse(&row.kind).unwrap_or(AgreementKind::Contract);
        if !kind.takes_sub_projects() {
            return Err(StoreError::Conflict(format!("只有一揽子协议可以关联子项目，该协议是“{}”", kind.label())));
        }
        if project_id == row.project_id {
            return Err(StoreError::field("project_id", "子项目不能是协议所属的项目本身"));
        }
        match self.live_project_row(project_id, Permission::ProjectWrite, "子项目已删除").await {
            // an unknown sub-project is a bad field of the body, not an unknown agreement
            Err(StoreError::NotFound) => return Err(StoreError::field("project_id", "项目不存在")),
            other => other?,
        };
        let linked = agreement_sub_project::Entity::find()
            .filter(agreement_sub_project::Column::ProjectId.eq(project_id))
            .count(&self.txn)
            .await?;
        if linked > 0 {
            return Err(StoreError::Conflict("该项目已是一揽子协议的子项目".into()));
        }
        agreement_sub_project::ActiveModel { agreement_id: Set(agreement_id), project_id: Set(project_id) }
            .insert(&self.txn)
            .await?;
        let a = hydrate(&self.txn, vec![row], today).await?.pop().ok_or(StoreError::NotFound)?;
        let ev = Event::ok(AuditAction::AgreementSubProject, "agreement", a.id)
            .after(serde_json::json!({"sub_project_id": project_id}));
        self.audit(ev).await?;
        Ok(a)
    }

    /// Move a clause along its life cycle (`domain::agreement::clause_transition`; an
    /// illegal move → 409 with the reason), optimistic on `version`.
    pub async fn update_clause(&self, clause_id: i64, patch: ClausePatch, today: NaiveDate) -> Result<Clause> {
        let mut errors = vec![];
        CLAUSE.check_opt("note", patch.note.as_deref(), &mut errors);
        if patch.status_on.is_some_and(|d| d > today) {
            errors.push(FieldError::new("status_on", "状态日期不能晚于今天"));
        }
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let Some(row) = clause::Entity::find_by_id(clause_id).one(&self.txn).await? else {
            return Err(StoreError::NotFound);
        };
        agreement_row(&self.txn, row.agreement_id).await?;
        self.live_project_row(row.project_id, Permission::ProjectWrite, "项目已删除").await?;
        let before = Clause::from(row.clone());
        let status =
            clause_transition(before.fact().status, patch.status).map_err(|e| StoreError::Conflict(e.to_string()))?;
        let am = clause::ActiveModel {
            status: Set(status.code().into()),
            status_on: Set(Some(patch.status_on.unwrap_or(today))),
            note: Set(trimmed(patch.note).or(row.note)),
            version: Set(patch.version + 1),
            updated_at: Set(crate::now()),
            ..Default::default()
        };
        update_versioned(&self.txn, am, (clause::Column::Id, clause_id), (clause::Column::Version, patch.version))
            .await?;
        let after = clause::Entity::find_by_id(clause_id).one(&self.txn).await?.ok_or(StoreError::NotFound)?;
        let after = Clause::from(after);
        self.audit(Event::ok(AuditAction::ClauseStatus, "clause", clause_id).before(&before).after(&after)).await?;
        Ok(after)
    }
}
