//! The ledger's 存在问题 column: on import a non-empty cell opens a problem (source
//! `ledger`, assigned to the project's unit) unless it repeats what is open already; on
//! export the cell is the titles of the project's open problems.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::fields::PROBLEM;
use domain::tasks::ProblemStatus;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{NewProblem, Problem};
use crate::entity::{problem, project};
use crate::{Result, Scoped, Tx};

/// Between the titles of several open problems in one 存在问题 cell.
pub const LEDGER_SEPARATOR: &str = "；";

/// The 存在问题 cell of these open problems' titles.
pub fn ledger_text<S: AsRef<str>>(titles: &[S]) -> String {
    titles.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(LEDGER_SEPARATOR)
}

/// The open (not resolved) problems of these projects, oldest first.
async fn open_problems<C: sea_orm::ConnectionTrait>(db: &C, ids: &[i64]) -> Result<Vec<problem::Model>> {
    let mut out = vec![];
    for chunk in ids.chunks(500) {
        out.extend(
            problem::Entity::find()
                .filter(problem::Column::ProjectId.is_in(chunk.to_vec()))
                .filter(problem::Column::Status.ne(ProblemStatus::Resolved.code()))
                .order_by_asc(problem::Column::Id)
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

impl Scoped<'_> {
    /// The 存在问题 cell of each of these projects that has open problems; projects out of
    /// the caller's scope are left out.
    pub async fn ledger_problems(&self, project_ids: &[i64]) -> Result<HashMap<i64, String>> {
        let cond = self.filter_condition(&Default::default()).await?;
        let mut in_scope = vec![];
        for chunk in project_ids.chunks(500) {
            in_scope.extend(
                project::Entity::find()
                    .select_only()
                    .column(project::Column::Id)
                    .filter(cond.clone())
                    .filter(project::Column::Id.is_in(chunk.to_vec()))
                    .into_tuple::<i64>()
                    .all(self.store.db())
                    .await?,
            );
        }
        let mut titles: HashMap<i64, Vec<String>> = HashMap::new();
        for p in open_problems(self.store.db(), &in_scope).await? {
            titles.entry(p.project_id).or_default().push(p.title);
        }
        Ok(titles.into_iter().map(|(id, t)| (id, ledger_text(&t))).collect())
    }
}

impl Tx<'_> {
    /// The 存在问题 of an imported row for a project the import already checked: a new
    /// problem unless the text is empty, or is an open problem's title or detail, or is the
    /// cell the exporter writes for the open ones (a file exported and imported back).
    pub(crate) async fn ledger_problem(
        &self,
        project_id: i64,
        text: Option<&str>,
        today: NaiveDate,
    ) -> Result<Option<Problem>> {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
        let open = open_problems(&self.txn, &[project_id]).await?;
        let titles: Vec<&str> = open.iter().map(|p| p.title.as_str()).collect();
        let repeated = ledger_text(&titles) == text
            || open.iter().any(|p| p.title == text || p.detail.as_deref().map(str::trim) == Some(text));
        if repeated {
            return Ok(None);
        }
        let Some(p) = project::Entity::find_by_id(project_id).one(&self.txn).await? else { return Ok(None) };
        // a long cell: its start is the title, the whole text the detail
        let max = PROBLEM.field("title").map_or(200, |f| f.max);
        let (title, detail) = if text.chars().count() > max {
            (text.chars().take(max - 1).collect::<String>() + "…", Some(text.to_string()))
        } else {
            (text.to_string(), None)
        };
        let new = NewProblem { title, detail, assignee: None, due_on: None };
        self.insert_problem(&p, new, p.unit_id, "ledger", today).await.map(Some)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cell_joins_the_open_titles() {
        assert_eq!(super::ledger_text(&["供电未接入", "用地指标不足"]), "供电未接入；用地指标不足");
        assert_eq!(super::ledger_text::<&str>(&[]), "");
    }
}
