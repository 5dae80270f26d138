//! A project's 包联领导 as a link to the register: the text a unit wrote (the ledger's
//! column, the form's field) is kept as written, and the leader it names is found by name and
//! unit (`domain::leader::pick`: the project's own unit, else one city leader). A name that
//! matches no one, or several, stays text only and is reported — never dropped. The same
//! matching serves the project writes, the ledger import, the bulk loader and
//! `zhaoshang leaders match`.

use std::collections::HashMap;

use domain::leader::{Candidate, LeaderLevel, LeaderMatch, leader_name, may_lead_project, pick};
use domain::{AuditAction, FieldError, Permission};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;

use crate::audit::Event;
use crate::entity::{leader, project};
use crate::scope::ProjectScope;
use crate::{Result, Scoped, StoreError, Tx, UnitTree};

/// The leaders a batch of project writes may name, loaded once: by id, and by name.
#[derive(Debug, Default)]
pub struct LeaderBook {
    by_id: HashMap<i64, leader::Model>,
    by_name: HashMap<String, Vec<Candidate>>,
}

/// What a project's 包联领导 becomes: the text as stored and the leader it links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub text: Option<String>,
    pub id: Option<i64>,
}

impl LeaderBook {
    /// The leaders with one of `ids`, or named by one of `texts` (their names, as
    /// `domain::leader::leader_name` reads them).
    pub(crate) async fn load<C: ConnectionTrait>(db: &C, texts: &[&str], ids: &[i64]) -> Result<LeaderBook> {
        let mut names: Vec<String> = texts.iter().filter_map(|t| leader_name(t)).map(str::to_string).collect();
        names.sort();
        names.dedup();
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut book = LeaderBook::default();
        let mut rows = vec![];
        for chunk in names.chunks(400) {
            rows.extend(leader::Entity::find().filter(leader::Column::Name.is_in(chunk.to_vec())).all(db).await?);
        }
        for chunk in ids.chunks(400) {
            rows.extend(leader::Entity::find().filter(leader::Column::Id.is_in(chunk.to_vec())).all(db).await?);
        }
        for r in rows {
            if book.by_id.contains_key(&r.id) {
                continue;
            }
            if let Some(level) = LeaderLevel::parse(&r.level) {
                let c = Candidate { id: r.id, unit_id: r.unit_id, level };
                book.by_name.entry(r.name.clone()).or_default().push(c);
            }
            book.by_id.insert(r.id, r);
        }
        Ok(book)
    }

    pub(crate) fn get(&self, id: i64) -> Option<&leader::Model> {
        self.by_id.get(&id)
    }

    /// The leader a text names for a project of `unit_id`, and its name (`None`: no name in it).
    pub fn match_text(&self, text: &str, unit_id: i64) -> Option<(String, LeaderMatch)> {
        let name = leader_name(text)?;
        let found = self.by_name.get(name).map_or(&[][..], Vec::as_slice);
        Some((name.to_string(), pick(found, unit_id)))
    }

    /// A project's 包联领导 from what a write gives: a leader id (checked: it exists and may
    /// lead a project of this unit; the text is then the one given, else the leader's
    /// `姓名（职务）`), or a text alone (linked when its name matches, kept either way).
    pub(crate) fn resolve(
        &self,
        tree: &UnitTree,
        unit_id: i64,
        text: Option<&str>,
        id: Option<i64>,
        errors: &mut Vec<FieldError>,
    ) -> Resolved {
        let text = text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
        let Some(id) = id else {
            let linked = text.as_deref().and_then(|t| self.match_text(t, unit_id)).and_then(|(_, m)| m.id());
            return Resolved { text, id: linked };
        };
        let Some(l) = self.by_id.get(&id) else {
            errors.push(FieldError::new("lead_leader_id", format!("领导名录中没有编号为 {id} 的领导")));
            return Resolved { text, id: None };
        };
        let level = LeaderLevel::parse(&l.level).unwrap_or(LeaderLevel::UnitDeputy);
        let in_subtree = tree.subtree(unit_id).binary_search(&l.unit_id).is_ok();
        if !may_lead_project(level, in_subtree) {
            let who = domain::leader::display(&l.name, &l.position);
            errors.push(FieldError::new("lead_leader_id", format!("「{who}」不是本项目单位的领导，也不是市级领导")));
            return Resolved { text, id: None };
        }
        Resolved { text: text.or_else(|| Some(domain::leader::display(&l.name, &l.position))), id: Some(id) }
    }
}

/// A project whose 包联领导 text matched a leader.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Linked {
    pub project_id: i64,
    pub code: String,
    pub project_name: String,
    pub text: String,
    pub leader_id: i64,
    /// The leader, `姓名（职务）`.
    pub leader: String,
}

/// A project whose 包联领导 text matched no one (or several): kept as text, named here.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Unlinked {
    pub project_id: i64,
    pub code: String,
    pub project_name: String,
    pub unit: String,
    pub unit_name: String,
    pub text: String,
    pub reason: String,
}

/// What matching the unlinked 包联领导 texts found (and, applied, linked).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct LinkReport {
    pub linked: Vec<Linked>,
    pub unlinked: Vec<Unlinked>,
    /// Whether the links were written.
    pub applied: bool,
}

impl Scoped<'_> {
    /// Every live project in the actor's scope with a 包联领导 text and no leader yet, matched
    /// to the register (the versions read, for a write that links them).
    async fn lead_leader_matches_on<C: ConnectionTrait>(&self, db: &C) -> Result<(LinkReport, HashMap<i64, i32>)> {
        self.require(Permission::ProjectRead)?;
        let store = self.store;
        let scope = ProjectScope::of(store, self.actor, None)?;
        let rows = project::Entity::find()
            .filter(
                Condition::all()
                    .add(scope.condition(store.backend()))
                    .add(project::Column::DeletedAt.is_null())
                    .add(project::Column::LeadLeader.is_not_null())
                    .add(project::Column::LeadLeaderId.is_null()),
            )
            .order_by_asc(project::Column::UnitId)
            .order_by_asc(project::Column::Id)
            .all(db)
            .await?;
        let texts: Vec<&str> = rows.iter().filter_map(|r| r.lead_leader.as_deref()).collect();
        let book = LeaderBook::load(db, &texts, &[]).await?;
        let tree = store.unit_tree();
        let mut report = LinkReport::default();
        for r in &rows {
            let Some(text) = r.lead_leader.as_deref().map(str::trim).filter(|t| !t.is_empty()) else { continue };
            match book.match_text(text, r.unit_id) {
                Some((_, LeaderMatch::Unique(id))) => {
                    let l = book.get(id).ok_or(StoreError::NotFound)?;
                    report.linked.push(Linked {
                        project_id: r.id,
                        code: r.code.clone(),
                        project_name: r.name.clone(),
                        text: text.to_string(),
                        leader_id: id,
                        leader: domain::leader::display(&l.name, &l.position),
                    });
                }
                other => {
                    let (unit, unit_name) = tree.code_name(r.unit_id);
                    let reason = match other {
                        Some((name, m)) => m.problem(&name).unwrap_or_default(),
                        None => "文本中没有可识别的姓名，已保留原文，未关联".into(),
                    };
                    report.unlinked.push(Unlinked {
                        project_id: r.id,
                        code: r.code.clone(),
                        project_name: r.name.clone(),
                        unit,
                        unit_name,
                        text: text.to_string(),
                        reason,
                    });
                }
            }
        }
        Ok((report, rows.iter().map(|r| (r.id, r.version)).collect()))
    }

    /// What linking would do (a read): the projects whose 包联领导 text matches a leader, and
    /// those whose text matches no one or several (kept as text).
    pub async fn lead_leader_matches(&self) -> Result<LinkReport> {
        Ok(self.lead_leader_matches_on(self.store.db()).await?.0)
    }

    /// [`Tx::link_lead_leaders`] in a transaction of its own; without `apply`, only
    /// [`Scoped::lead_leader_matches`].
    pub async fn link_lead_leaders(&self, apply: bool) -> Result<LinkReport> {
        if !apply {
            return self.lead_leader_matches().await;
        }
        let tx = self.begin().await?;
        let report = tx.link_lead_leaders().await?;
        tx.commit().await?;
        Ok(report)
    }
}

impl Tx<'_> {
    /// Link every live project in the actor's scope whose 包联领导 text matches a leader and
    /// has none yet (each project's version moves on; one `leader.link` audit record lists
    /// them). The texts stay as written; those that match no one are reported.
    pub async fn link_lead_leaders(&self) -> Result<LinkReport> {
        self.s.require(Permission::ProjectWrite)?;
        let (mut report, versions) = self.s.lead_leader_matches_on(&self.txn).await?;
        report.applied = true;
        if report.linked.is_empty() {
            return Ok(report);
        }
        for l in &report.linked {
            let am = project::ActiveModel { lead_leader_id: Set(Some(l.leader_id)), ..Default::default() };
            let version = versions.get(&l.project_id).copied().ok_or(StoreError::NotFound)?;
            self.store().save_versioned(&self.txn, am, l.project_id, version).await?;
        }
        let links: Vec<serde_json::Value> = report
            .linked
            .iter()
            .map(|l| serde_json::json!({"project_id": l.project_id, "text": l.text, "leader_id": l.leader_id}))
            .collect();
        let ev = Event {
            action: AuditAction::LeaderLink,
            entity: "project",
            entity_id: None,
            before: None,
            after: Some(serde_json::json!({"linked": links})),
            result: "ok",
        };
        self.audit(ev).await?;
        Ok(report)
    }
}
