//! Substring search over the gram index (project_grams).

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set, Statement,
};

use super::{ProjectFilter, ProjectPage, SortField};
use crate::entity::{company, project, project_gram};
use crate::scope::ProjectScope;
use crate::search;
use crate::{Result, Scoped, Store};

impl Scoped<'_> {
    /// The common search — a two-character `q`, perhaps a unit, newest first — answered
    /// from the gram index alone: its count and page need no project row, so a broad word
    /// such as 科技 stays fast at 100,000 projects. `None` when the filter needs more.
    pub(super) async fn list_by_gram(
        &self,
        f: &ProjectFilter,
        page: u64,
        per_page: u64,
    ) -> Result<Option<ProjectPage>> {
        let Some(q) = f.q.as_deref().map(search::normalize).filter(|q| q.chars().count() == 2) else {
            return Ok(None);
        };
        let plain = f.stage.is_none()
            && f.industry.is_none()
            && f.region.is_none()
            && f.category.is_none()
            && f.city_reportable.is_none()
            && f.key_project.is_none()
            && !f.include_deleted
            && f.sort == SortField::Id
            && f.descending;
        if !plain {
            return Ok(None);
        }
        let Some(unit_sql) = ProjectScope::of(self.store, self.actor, f.unit.as_deref())?.unit_sql() else {
            return Ok(None);
        };
        let store = self.store;
        let count_sql = format!("SELECT COUNT(*) AS n FROM project_grams WHERE gram = {}{unit_sql}", store.ph(1));
        let total = store.scalar(count_sql, vec![q.clone().into()]).await?.max(0) as u64;
        let ids_sql = format!(
            "SELECT project_id FROM project_grams WHERE gram = {}{unit_sql} ORDER BY project_id DESC LIMIT {per_page} OFFSET {}",
            store.ph(1),
            crate::page_offset(page, per_page)
        );
        let ids: Vec<i64> = store
            .db()
            .query_all_raw(Statement::from_sql_and_values(store.backend(), ids_sql, [q.into()]))
            .await?
            .iter()
            .map(|r| r.try_get::<i64>("", "project_id"))
            .collect::<Result<_, _>>()?;
        let rows = if ids.is_empty() {
            vec![]
        } else {
            project::Entity::find()
                .filter(project::Column::Id.is_in(ids))
                .filter(project::Column::DeletedAt.is_null())
                .order_by_desc(project::Column::Id)
                .all(store.db())
                .await?
        };
        let items = store.hydrate(store.db(), rows).await?;
        Ok(Some(ProjectPage::new(items, crate::Paging { total, page, per_page })))
    }
}

impl Store {
    /// Grams ordered by how many live projects carry them, rarest first (index-only counts).
    pub(super) async fn rarest_first(&self, grams: Vec<String>) -> Result<Vec<String>> {
        let mut counted = Vec::with_capacity(grams.len());
        for g in grams {
            let sql = format!("SELECT COUNT(*) AS n FROM project_grams WHERE gram = {}", self.ph(1));
            let n = self.scalar(sql, vec![g.clone().into()]).await?;
            counted.push((n, g));
            if n == 0 {
                break; // nothing can match; the intersection starting here is empty at once
            }
        }
        counted.sort();
        Ok(counted.into_iter().map(|(_, g)| g).collect())
    }

    /// Rewrite a project's search text and grams.
    pub(super) async fn reindex(
        &self,
        txn: &DatabaseTransaction,
        row: project::Model,
        investors: &[company::Model],
    ) -> Result<project::Model> {
        let (text, grams) = search_index(&row.name, &row.code, investors);
        project_gram::Entity::delete_many().filter(project_gram::Column::ProjectId.eq(row.id)).exec(txn).await?;
        let live = row.deleted_at.is_none();
        let batch: Vec<project_gram::ActiveModel> = grams
            .into_iter()
            .filter(|_| live)
            .map(|g| project_gram::ActiveModel { gram: Set(g), project_id: Set(row.id), unit_id: Set(row.unit_id) })
            .collect();
        for chunk in batch.chunks(500) {
            project_gram::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
        }
        if row.search_text == text {
            return Ok(row);
        }
        let mut am = row.into_active_model();
        am.search_text = Set(text);
        Ok(am.update(txn).await?)
    }
}

/// The searchable text of a project and its grams.
pub(crate) fn search_index(
    name: &str,
    code: &str,
    investors: &[company::Model],
) -> (String, std::collections::BTreeSet<String>) {
    let mut parts = vec![search::normalize(name), search::normalize(code)];
    parts.extend(investors.iter().map(|c| search::normalize(&c.name)));
    let mut grams = std::collections::BTreeSet::new();
    for p in &parts {
        grams.extend(search::grams(p));
    }
    (parts.join("\n"), grams)
}
