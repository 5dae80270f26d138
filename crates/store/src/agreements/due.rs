//! 协议履约: clauses due within a window or overdue, and 履约率 per unit, over the projects
//! in the caller's scope.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::agreement::{ClauseFact, Ratio, fulfilment_rate};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use serde::Serialize;

use super::Clause;
use crate::entity::{agreement, clause, project};
use crate::projects::ProjectFilter;
use crate::{Result, Scoped};

/// A clause that is due soon or overdue, with where it belongs.
#[derive(Debug, Clone, Serialize)]
pub struct DueClause {
    pub clause: Clause,
    pub agreement_title: String,
    pub project_name: String,
    /// Days past its due date (None: not yet due).
    pub days_overdue: Option<i64>,
}

/// One unit's clauses: its 履约率 and the clauses to watch.
#[derive(Debug, Clone, Serialize)]
pub struct UnitClauses {
    pub unit_id: i64,
    pub unit_name: String,
    #[serde(skip)]
    pub rate: Option<Ratio>,
    pub overdue: Vec<DueClause>,
    pub due_soon: Vec<DueClause>,
}

impl Scoped<'_> {
    /// Every unit with clauses in scope (of live agreements of live projects): 履约率 as of
    /// `today`, the clauses overdue and those due within `days`, by unit then due date.
    pub async fn clauses_by_unit(&self, today: NaiveDate, days: u32) -> Result<Vec<UnitClauses>> {
        let db = self.store.db();
        let cond = self.filter_condition(&ProjectFilter::default()).await?;
        let projects: BTreeMap<i64, (String, i64)> = project::Entity::find()
            .select_only()
            .columns([project::Column::Id, project::Column::Name, project::Column::UnitId])
            .filter(cond.clone())
            .into_tuple::<(i64, String, i64)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, name, unit)| (id, (name, unit)))
            .collect();
        let in_scope = project::Entity::find().select_only().column(project::Column::Id).filter(cond).into_query();
        let titles: BTreeMap<i64, String> = agreement::Entity::find()
            .select_only()
            .columns([agreement::Column::Id, agreement::Column::Title])
            .filter(agreement::Column::DeletedAt.is_null())
            .filter(agreement::Column::ProjectId.in_subquery(in_scope.clone()))
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let clauses = clause::Entity::find()
            .filter(clause::Column::ProjectId.in_subquery(in_scope))
            .order_by_asc(clause::Column::DueOn)
            .order_by_asc(clause::Column::Id)
            .all(db)
            .await?;
        let tree = self.store.unit_tree();
        let mut units: BTreeMap<i64, (Vec<ClauseFact>, UnitClauses)> = BTreeMap::new();
        for c in clauses {
            let (Some(title), Some((name, unit))) = (titles.get(&c.agreement_id), projects.get(&c.project_id)) else {
                continue;
            };
            let c = Clause::from(c);
            let fact = c.fact();
            let entry = units.entry(*unit).or_insert_with(|| {
                let unit_name = tree.get(*unit).map(|u| u.name.clone()).unwrap_or_default();
                (vec![], UnitClauses { unit_id: *unit, unit_name, rate: None, overdue: vec![], due_soon: vec![] })
            });
            entry.0.push(fact);
            let days_overdue = fact.days_overdue(today);
            let due = DueClause { clause: c, agreement_title: title.clone(), project_name: name.clone(), days_overdue };
            if days_overdue.is_some() {
                entry.1.overdue.push(due);
            } else if fact.due_within(today, days) {
                entry.1.due_soon.push(due);
            }
        }
        Ok(units
            .into_values()
            .map(|(facts, mut u)| {
                u.rate = fulfilment_rate(&facts, today);
                u
            })
            .collect())
    }
}
