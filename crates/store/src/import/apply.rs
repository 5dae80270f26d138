//! Applying rows: a new project's stages laid out from 储备, an existing project changed
//! through the API's update and transition rules, the first progress notes of new projects.

use std::collections::{BTreeMap, HashMap};

use domain::Stage;
use domain::stage::ACTIVE;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::ImportRow;
use super::matching::Current;
use super::report::{FieldChange, ImportError, Shown, change, err, field_error, named};
use crate::entity::project;
use crate::projects::{ProjectPatch, TransitionInput};
use crate::{Result, StoreError, Tx};

/// The transitions that take a new project from 储备 to the row's stage: one step to the
/// target with the dates of the dated stages it passes (the rules check them).
pub(super) fn path(r: &ImportRow, today: chrono::NaiveDate) -> Vec<TransitionInput> {
    let target = match r.stage {
        Stage::OnHold | Stage::Terminated => {
            // the ledger has no "paused from": the furthest dated stage it gives, then the pause
            ACTIVE.iter().rev().copied().find(|s| s.is_dated() && r.dates.get(*s).is_some()).unwrap_or(Stage::Reserve)
        }
        s => s,
    };
    let mut out = vec![];
    if target != Stage::Reserve {
        let date = r.dates.get(target).or(r.dates.latest()).unwrap_or(today);
        let skipped: BTreeMap<Stage, chrono::NaiveDate> = ACTIVE
            .iter()
            .filter(|s| s.order() < target.order() && s.is_dated())
            .filter_map(|s| r.dates.get(*s).map(|d| (*s, d)))
            .collect();
        out.push(TransitionInput { to: target, date, skipped_dates: skipped, note: None, reason: None, version: None });
    }
    if matches!(r.stage, Stage::OnHold | Stage::Terminated) {
        let date = r.dates.latest().unwrap_or(today);
        out.push(TransitionInput {
            to: r.stage,
            date,
            skipped_dates: BTreeMap::new(),
            note: None,
            reason: Some("台账导入".into()),
            version: None,
        });
    }
    out
}

impl Tx<'_> {
    /// The 项目进展情况 of newly created projects: each one's first timeline note.
    pub(super) async fn created_progress(
        &self,
        ids: &[i64],
        progress: Vec<Option<String>>,
        today: chrono::NaiveDate,
    ) -> Result<()> {
        use sea_orm::QuerySelect;
        let with: Vec<(i64, String)> = ids
            .iter()
            .zip(progress)
            .filter_map(|(id, p)| p.filter(|p| !p.trim().is_empty()).map(|p| (*id, p)))
            .collect();
        for chunk in with.chunks(1000) {
            let versions: HashMap<i64, i32> = project::Entity::find()
                .select_only()
                .columns([project::Column::Id, project::Column::Version])
                .filter(project::Column::Id.is_in(chunk.iter().map(|(id, _)| *id)))
                .into_tuple::<(i64, i32)>()
                .all(&self.txn)
                .await?
                .into_iter()
                .collect();
            for (id, note) in chunk {
                let version = versions.get(id).copied().ok_or(StoreError::NotFound)?;
                self.add_progress(*id, version, None, today, note).await?;
            }
        }
        Ok(())
    }

    /// Apply one row to an existing project: changed fields through the API's update, a
    /// different stage through the API's transition rules. Returns what changed (labels,
    /// before → after); nothing when the row matches the project.
    pub(super) async fn import_update(
        &self,
        current: &Current,
        r: &ImportRow,
        investor_ids: Vec<i64>,
        names_of: &HashMap<i64, &str>,
        (lead, book): (Option<i64>, &crate::leaders::LeaderBook),
        today: chrono::NaiveDate,
    ) -> std::result::Result<Vec<FieldChange>, ImportError> {
        let p = current;
        let mut version = p.version;
        let mut changes = vec![];
        if let Some(note) = r.progress.as_deref() {
            let recorded = self
                .add_progress(p.id, version, p.progress.as_deref(), today, note)
                .await
                .map_err(|e| field_error(r, e))?;
            if let Some(v) = recorded {
                version = v;
                changes.push(change("项目进展情况", p.progress.clone().unwrap_or_default(), note));
            }
        }
        let mut patch = ProjectPatch { version, ..Default::default() };
        let mut fields_changed = false;
        macro_rules! set {
            ($field:ident, $value:expr, $current:expr) => {
                let value = $value;
                if value != $current {
                    changes.push(named(stringify!($field), $current.shown(), value.shown()));
                    patch.$field = Some(value);
                    fields_changed = true;
                }
            };
        }
        set!(name, r.name.trim().to_string(), current.name);
        if let Some(i) = &r.industry {
            set!(industry, i.clone(), current.industry);
        }
        if let Some(g) = &r.region {
            set!(region, g.clone(), current.region);
        }
        set!(channel, r.channel.clone(), current.channel);
        set!(categories, r.categories.clone(), current.categories);
        set!(total_investment, r.total_investment, current.total_investment);
        set!(foreign_investment, r.foreign_investment, current.foreign_investment);
        set!(land_mu, r.land_mu, current.land_mu);
        set!(expected_producing_on, r.expected_producing_on, current.expected_producing_on);
        set!(lead_leader, r.lead_leader.clone(), current.lead_leader);
        // the same text, now matching a leader of the register (a new text is matched by the update)
        if patch.lead_leader.is_none() && lead.is_some() && lead != current.lead_leader_id {
            let shown = |id: Option<i64>| {
                id.and_then(|i| book.get(i)).map(|l| domain::leader::display(&l.name, &l.position)).unwrap_or_default()
            };
            changes.push(change(
                domain::fields::PROJECT.label("lead_leader_id"),
                shown(current.lead_leader_id),
                shown(lead),
            ));
            patch.lead_leader_id = Some(lead);
            fields_changed = true;
        }
        set!(notes, r.notes.clone(), current.notes);
        if !r.investors.is_empty() && investor_ids != current.investors {
            let names = |ids: &[i64]| {
                ids.iter().map(|i| names_of.get(i).copied().unwrap_or("（其他企业）")).collect::<Vec<_>>().join("、")
            };
            changes.push(change("投资方", names(&current.investors), names(&investor_ids)));
            patch.investor_ids = Some(investor_ids);
            fields_changed = true;
        }
        if fields_changed {
            let after = self.update_project(p.id, patch).await.map_err(|e| field_error(r, e))?;
            version = after.version;
        }
        if r.stage != current.stage {
            let skipped = ACTIVE
                .iter()
                .filter(|s| s.is_dated() && s.order() > current.stage.order() && s.order() < r.stage.order())
                .filter_map(|s| r.dates.get(*s).map(|d| (*s, d)))
                .collect();
            let input = TransitionInput {
                to: r.stage,
                date: r.dates.get(r.stage).unwrap_or(today),
                skipped_dates: skipped,
                note: None,
                reason: matches!(r.stage, Stage::OnHold | Stage::Terminated).then(|| "台账导入".to_string()),
                version: Some(version),
            };
            self.transition_project(p.id, input)
                .await
                .map_err(|e| err(r.row, "项目阶段", r.stage.label(), e.to_string()))?;
            changes.push(change("项目阶段", current.stage.label(), r.stage.label()));
        }
        // 存在问题: a new text opens a problem (problems::ledger)
        if let Some(problem) =
            self.ledger_problem(p.id, r.problem.as_deref(), today).await.map_err(|e| field_error(r, e))?
        {
            changes.push(change("存在问题", "", problem.title));
        }
        Ok(changes)
    }
}
