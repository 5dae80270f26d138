//! A company's standing changed (a ranking list imported): the projects that name it are
//! city-reportable or not anew. The flag is derived, never typed (domain.md §4), so it is
//! recomputed here, in the import's transaction, and the projects' `reportable` claims are
//! kept in step as every project write keeps them (`Tx::sync_reportable_claim`).

use domain::Money;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::entity::{company, project, project_investor};
use crate::projects::categories_of;
use crate::reviews::reason_of;
use crate::{Result, Tx};

impl Tx<'_> {
    /// Recompute `city_reportable` and `key_project` of the live projects naming any of
    /// `company_ids`; the ids of those whose flag changed, ascending.
    pub(crate) async fn restand_projects(&self, company_ids: &[i64]) -> Result<Vec<i64>> {
        let txn = &self.txn;
        let mut project_ids: Vec<i64> = vec![];
        for chunk in company_ids.chunks(400) {
            let links = project_investor::Entity::find()
                .filter(project_investor::Column::CompanyId.is_in(chunk.to_vec()))
                .all(txn)
                .await?;
            project_ids.extend(links.into_iter().map(|l| l.project_id));
        }
        let project_ids = crate::text::dedup(project_ids);
        let mut changed = vec![];
        for chunk in project_ids.chunks(400) {
            let projects = crate::rows::live_projects(txn, chunk).await?;
            let links = project_investor::Entity::find()
                .filter(project_investor::Column::ProjectId.is_in(chunk.to_vec()))
                .all(txn)
                .await?;
            let ids: Vec<i64> = links.iter().map(|l| l.company_id).collect();
            let companies = crate::rows::by_id::<company::Entity>(txn, company::Column::Id, ids, |c| c.id).await?;
            for p in projects {
                let investors: Vec<company::Model> = links
                    .iter()
                    .filter(|l| l.project_id == p.id)
                    .filter_map(|l| companies.get(&l.company_id).cloned())
                    .collect();
                let standing: Vec<_> = investors.iter().map(company::Model::standing).collect();
                let total = Money::from_hundredths(p.total_investment);
                let reportable = domain::city_reportable(total, &standing);
                let key = domain::key_project(&categories_of(&p.categories), reportable);
                if reportable != p.city_reportable || key != p.key_project {
                    // derived columns only: the project's version (a unit's open form) stays
                    project::Entity::update_many()
                        .col_expr(project::Column::CityReportable, Expr::value(reportable))
                        .col_expr(project::Column::KeyProject, Expr::value(key))
                        .filter(project::Column::Id.eq(p.id))
                        .exec(txn)
                        .await?;
                }
                if reportable != p.city_reportable {
                    changed.push(p.id);
                }
                self.sync_reportable_claim(p.id, p.city_reportable, reason_of(total, &investors)).await?;
            }
        }
        Ok(changed)
    }
}
