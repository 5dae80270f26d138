//! What a department task or a problem shows of its project: name, code, unit and stage,
//! nothing more (a department user reaches no other project field through them), and the
//! one status-change rule both follow.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::tasks::{StatusError, WorkStatus, work_transition};
use domain::{FieldError, Stage};
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use crate::entity::project;
use crate::{Result, Scoped, Store, StoreError};

/// The order of a list of tasks or problems: open ones first, the soonest due first,
/// undated last (the backends order NULLs differently), then by id.
pub(crate) fn work_order(closed: bool, due: Option<NaiveDate>, id: i64) -> (bool, bool, Option<NaiveDate>, i64) {
    (closed, due.is_none(), due, id)
}

impl Scoped<'_> {
    /// Task or problem rows built with their project's facts, in `key`'s order; rows of
    /// deleted projects are left out.
    pub(crate) async fn with_facts<M, T, K: Ord>(
        &self,
        rows: Vec<M>,
        project_of: fn(&M) -> i64,
        build: impl Fn(M, ProjectFacts) -> T,
        key: impl FnMut(&T) -> K,
    ) -> Result<Vec<T>> {
        let ids: Vec<i64> = rows.iter().map(project_of).collect();
        let facts = facts_of(self.store, self.store.db(), &ids).await?;
        let mut out: Vec<T> = rows
            .into_iter()
            .filter_map(|m| {
                let f = facts.get(&project_of(&m))?.clone();
                Some(build(m, f))
            })
            .collect();
        out.sort_by_key(key);
        Ok(out)
    }

    /// `SELECT id FROM projects WHERE <the caller's scope, live ones>`, for `IN (…)`.
    pub(crate) async fn project_ids_in_scope(&self) -> Result<sea_orm::sea_query::SelectStatement> {
        use sea_orm::{QuerySelect, QueryTrait};
        let cond = self.filter_condition(&Default::default()).await?;
        Ok(project::Entity::find().select_only().column(project::Column::Id).filter(cond).into_query())
    }
}

/// The project facts a task or problem carries.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProjectFacts {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// The responsible unit's code.
    pub unit: String,
    pub unit_name: String,
    #[schema(value_type = String)]
    pub stage: Stage,
}

impl ProjectFacts {
    pub(crate) fn of(store: &Store, p: &project::Model) -> ProjectFacts {
        let tree = store.unit_tree();
        let (unit, unit_name) = tree.code_name(p.unit_id);
        ProjectFacts {
            id: p.id,
            code: p.code.clone(),
            name: p.name.clone(),
            unit,
            unit_name,
            stage: Stage::parse(&p.stage).unwrap_or(Stage::Reserve),
        }
    }
}

/// The facts of these projects, live ones only (a deleted project's items are not shown).
async fn facts_of<C: ConnectionTrait>(store: &Store, db: &C, ids: &[i64]) -> Result<HashMap<i64, ProjectFacts>> {
    let ids = crate::text::dedup(ids.to_vec());
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows = crate::rows::live_projects(db, chunk).await?;
        out.extend(rows.iter().map(|p| (p.id, ProjectFacts::of(store, p))));
    }
    Ok(out)
}

/// What an edit of a task or problem leaves: the status it moves to and its closing text
/// (`field`: the reply or the resolution; `text: None` leaves it as it is). Too long a text
/// or nothing to change is a 422, a stale version a 409, and [`next_status`] decides the
/// move. `current` is (status, text, version).
pub(crate) fn check_edit<S: WorkStatus>(
    entity: &domain::fields::Entity,
    field: &str,
    current: (S, Option<&str>, i32),
    to: Option<S>,
    text: Option<&str>,
    version: i32,
) -> Result<(S, Option<String>)> {
    let (from, now, current_version) = current;
    let mut errors = vec![];
    entity.check_opt(field, text, &mut errors);
    if !errors.is_empty() {
        return Err(StoreError::Validation(errors));
    }
    let after = match text {
        Some(t) => Some(t.trim().to_string()).filter(|t| !t.is_empty()),
        None => now.map(str::to_string),
    };
    let to = next_status(from, to, after.as_deref().unwrap_or(""), field)?;
    check_version(current_version, version)?;
    if to == from && after.as_deref() == now {
        return Err(StoreError::field(field, "没有要保存的修改"));
    }
    Ok((to, after))
}

/// The status after an edit: `to` when it is a legal change (`work_transition`), the current
/// one when none (or the same) is asked; a refused change is a 409, closing without the text
/// a 422 on `text_field`. A closed item takes no edit at all (409).
fn next_status<S: WorkStatus>(from: S, to: Option<S>, text: &str, text_field: &str) -> Result<S> {
    if from.is_closed() {
        return Err(StoreError::Conflict(format!("状态：已“{}”，不能再修改", from.label())));
    }
    match to {
        None => Ok(from),
        Some(t) if t == from => Ok(from),
        Some(t) => work_transition(from, t, text).map_err(|e| match e {
            StatusError::TextRequired(..) => StoreError::Validation(vec![FieldError::new(text_field, e.to_string())]),
            other => StoreError::Conflict(other.to_string()),
        }),
    }
}

/// The optimistic lock of an edited task or problem.
fn check_version(current: i32, given: i32) -> Result<()> {
    if current == given { Ok(()) } else { Err(crate::projects::stale()) }
}

#[cfg(test)]
mod tests {
    use domain::fields::TASK;
    use domain::tasks::TaskStatus::*;

    use super::*;

    fn status_of(e: StoreError) -> &'static str {
        match e {
            StoreError::Validation(_) => "422",
            StoreError::Conflict(_) => "409",
            _ => "other",
        }
    }

    #[test]
    fn an_edit_moves_forward_and_closes_with_its_text() {
        let edit = |cur, to, text, v| check_edit(&TASK, "reply", cur, to, text, v);
        assert_eq!(edit((Open, None, 1), Some(InProgress), None, 1).unwrap(), (InProgress, None));
        assert_eq!(edit((InProgress, Some("已受理"), 2), Some(Done), None, 2).unwrap(), (Done, Some("已受理".into())));
        assert_eq!(edit((Open, None, 1), None, Some("  已受理 "), 1).unwrap(), (Open, Some("已受理".into())));
        // closing without a reply, or clearing it while closing: 422 on the reply
        for text in [None, Some(" ")] {
            let e = edit((InProgress, None, 1), Some(Done), text, 1).unwrap_err();
            assert!(matches!(&e, StoreError::Validation(f) if f[0].field == "reply"), "{e:?}");
        }
        assert_eq!(status_of(edit((InProgress, Some("x"), 1), Some(Done), Some(""), 1).unwrap_err()), "422");
        // backwards, closed, stale: 409; nothing to change, too long: 422
        assert_eq!(status_of(edit((InProgress, None, 1), Some(Open), None, 1).unwrap_err()), "409");
        assert_eq!(status_of(edit((Done, Some("x"), 3), None, Some("y"), 3).unwrap_err()), "409");
        assert_eq!(status_of(edit((Open, None, 2), Some(InProgress), None, 1).unwrap_err()), "409");
        assert_eq!(status_of(edit((Open, Some("x"), 1), Some(Open), Some("x"), 1).unwrap_err()), "422");
        let long = "长".repeat(2001);
        assert_eq!(status_of(edit((Open, None, 1), None, Some(&long), 1).unwrap_err()), "422");
    }

    #[test]
    fn lists_put_open_and_soonest_due_first() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 3, day);
        let mut keys = [
            work_order(true, d(1), 1),
            work_order(false, None, 2),
            work_order(false, d(9), 3),
            work_order(false, d(2), 4),
        ];
        keys.sort();
        assert_eq!(keys.map(|k| k.3), [4, 3, 2, 1]);
    }
}
