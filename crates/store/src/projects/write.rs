//! Creating, changing, deleting and restoring projects; the versioned row update.

use chrono::{DateTime, Utc};
use domain::fields::PROJECT;
use domain::{AuditAction, Category, FieldError, Money, Permission, Stage};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, Set};

use super::{Project, ProjectInput, ProjectPatch, project_code, stale};
use crate::audit::Event;
use crate::companies::NewCompany;
use crate::entity::{company, project, project_gram, project_investor};
use crate::handle::{UnitRule, one_shot, update_versioned};
use crate::leaders::LeaderBook;
use crate::reviews::reason_of;
use crate::text::trimmed;
use crate::{Result, Scoped, Store, StoreError, Tx};

fn categories_text(c: &[Category]) -> String {
    let mut v: Vec<Category> = c.to_vec();
    v.sort();
    v.dedup();
    if v.is_empty() { String::new() } else { format!(",{},", v.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")) }
}

/// The code of the reference entry found (industry, region), or an error on `field`.
fn code_or_error(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    found: Option<&domain::reference::Entry>,
    message: impl FnOnce() -> String,
) -> String {
    match found {
        Some(e) => e.code.clone(),
        None => {
            errors.push(FieldError::new(field, message()));
            String::new()
        }
    }
}

fn check_industry(errors: &mut Vec<FieldError>, v: &str) -> String {
    code_or_error(errors, "industry", domain::reference::industry(v), || format!("产业类别「{v}」不在产业表中"))
}

fn check_region(errors: &mut Vec<FieldError>, v: &str) -> String {
    code_or_error(errors, "region", domain::reference::region(v), || format!("投资方来源地「{v}」不在地区表中"))
}

fn check_channel(errors: &mut Vec<FieldError>, v: Option<&str>) -> Option<String> {
    let v = v.map(str::trim).filter(|s| !s.is_empty() && *s != "none")?;
    match domain::reference::channel(v) {
        Some(e) if e.code == "none" => None,
        Some(e) => Some(e.code.clone()),
        None => {
            errors.push(FieldError::new("channel", format!("丝路通道「{v}」无效，应为 air、land、online 或留空")));
            None
        }
    }
}

one_shot! {
    write fn create_project(input: ProjectInput) -> Project;
    write
    /// A project with investor companies named in the same form (pick-or-create), in ONE
    /// transaction: see [`Tx::create_project_with_companies`].
    fn create_project_with_companies(input: ProjectInput, new_investors: Vec<NewCompany>) -> Project;
    write fn update_project(id: i64, patch: ProjectPatch) -> Project;
    write fn update_project_with_companies(id: i64, patch: ProjectPatch, new_investors: Vec<NewCompany>) -> Project;
    write fn delete_project(id: i64) -> ();
    write
    /// Undo a soft delete (city_admin).
    fn restore_project(id: i64) -> Project;
}

impl Scoped<'_> {
    /// The unit id for a code, checked against the actor's scope (writes need it in scope).
    pub(crate) fn unit_in_scope(&self, code: &str, errors: &mut Vec<FieldError>) -> Result<Option<i64>> {
        self.unit_field(code, UnitRule { blank: None, department: Some("项目的责任单位不能是市直部门") }, errors)
    }

    /// Validate a new project and build its row (stage reserve; code assigned after insert).
    /// `errors` carries what the caller found already (e.g. unknown investors). The one
    /// check of a new project's fields: the API, the form, the importer and the bulk loader.
    pub(crate) fn prepare_row(
        &self,
        input: &ProjectInput,
        investors: &[company::Model],
        mut errors: Vec<FieldError>,
    ) -> Result<(project::ActiveModel, DateTime<Utc>)> {
        self.require(Permission::ProjectWrite)?;
        PROJECT.check_required("name", &input.name, &mut errors);
        PROJECT.check_opt("lead_leader", input.lead_leader.as_deref(), &mut errors);
        PROJECT.check_opt("notes", input.notes.as_deref(), &mut errors);
        let unit_id = self.unit_in_scope(&input.unit, &mut errors)?;
        let industry = check_industry(&mut errors, &input.industry);
        let region = check_region(&mut errors, &input.region);
        let channel = check_channel(&mut errors, input.channel.as_deref());
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let unit_id = unit_id.ok_or_else(|| StoreError::field("unit", "责任单位不能为空"))?;
        // Names are not unique: two projects of one unit may share one (the importer
        // matches by name only when exactly one does).
        let name = input.name.trim().to_string();
        let standing: Vec<_> = investors.iter().map(company::Model::standing).collect();
        let reportable = domain::city_reportable(input.total_investment, &standing);
        let key = domain::key_project(&input.categories, reportable);
        let now = crate::now();
        let created_at = input
            .created_on
            .and_then(|d| d.and_hms_opt(1, 0, 0))
            .map(|t| t.and_utc())
            .filter(|t| *t < now)
            .unwrap_or(now);
        // Unique until the real code (which needs the id) replaces it in the same transaction.
        let temp_code = format!("tmp-{}-{}", now.timestamp_micros(), rand_suffix());
        let am = project::ActiveModel {
            code: Set(temp_code),
            name: Set(name),
            unit_id: Set(unit_id),
            industry: Set(industry),
            region: Set(region),
            channel: Set(channel),
            categories: Set(categories_text(&input.categories)),
            total_investment: Set(input.total_investment.hundredths()),
            foreign_investment: Set(input.foreign_investment.map(Money::hundredths)),
            land_mu: Set(input.land_mu.map(Money::hundredths)),
            expected_output: Set(input.expected_output.map(Money::hundredths)),
            expected_tax: Set(input.expected_tax.map(Money::hundredths)),
            expected_jobs: Set(input.expected_jobs),
            lead_leader: Set(trimmed(input.lead_leader.clone())),
            stage: Set(Stage::Reserve.code().into()),
            paused_from: Set(None),
            accepted_stage: Set(Stage::Reserve.code().into()),
            review_state: Set(domain::ReviewState::None.code().into()),
            signed_on: Set(None),
            approved_on: Set(None),
            started_on: Set(None),
            producing_on: Set(None),
            at_capacity_on: Set(None),
            expected_producing_on: Set(input.expected_producing_on),
            last_transition_on: Set(None),
            city_reportable: Set(reportable),
            key_project: Set(key),
            notes: Set(input.notes.clone().filter(|s| !s.trim().is_empty())),
            search_text: Set(String::new()),
            version: Set(1),
            created_by: Set(self.actor.user_id),
            created_at: Set(created_at),
            updated_at: Set(now),
            deleted_at: Set(None),
            ..Default::default()
        };
        Ok((am, created_at))
    }
}

impl Store {
    /// Apply a versioned row update: `UPDATE … WHERE id = ? AND version = ?`, so a stale
    /// writer loses with 409 instead of overwriting (security.md §19).
    pub(crate) async fn save_versioned(
        &self,
        txn: &DatabaseTransaction,
        mut am: project::ActiveModel,
        id: i64,
        version: i32,
    ) -> Result<project::Model> {
        am.version = Set(version + 1);
        am.updated_at = Set(crate::now());
        update_versioned(txn, am, (project::Column::Id, id), (project::Column::Version, version)).await?;
        project::Entity::find_by_id(id).one(txn).await?.ok_or(StoreError::NotFound)
    }
}

impl Tx<'_> {
    pub async fn create_project(&self, input: ProjectInput) -> Result<Project> {
        let (store, txn) = (self.store(), &self.txn);
        let mut errors = vec![];
        let investors = store.investors(txn, &input.investor_ids, &mut errors).await?;
        let texts: Vec<&str> = input.lead_leader.as_deref().into_iter().collect();
        let book = LeaderBook::load(txn, &texts, &input.lead_leader_id.into_iter().collect::<Vec<_>>()).await?;
        let tree = store.unit_tree();
        let lead = tree
            .find(&input.unit)
            .map(|u| book.resolve(&tree, u.id, input.lead_leader.as_deref(), input.lead_leader_id, &mut errors));
        let (mut am, created_at) = self.s.prepare_row(&input, &investors, errors)?;
        if let Some(lead) = lead {
            am.lead_leader = Set(lead.text);
            am.lead_leader_id = Set(lead.id);
        }
        let row = am.insert(txn).await?;
        let code = project_code(created_at, row.id);
        let mut am = row.into_active_model();
        am.code = Set(code);
        let row = am.update(txn).await?;
        for (pos, c) in investors.iter().enumerate() {
            project_investor::ActiveModel { project_id: Set(row.id), company_id: Set(c.id), position: Set(pos as i32) }
                .insert(txn)
                .await?;
        }
        let row = store.reindex(txn, row, &investors).await?;
        let p = store.hydrate(txn, vec![row]).await?.pop().ok_or(StoreError::NotFound)?;
        self.audit(Event::ok(AuditAction::ProjectCreate, "project", p.id).after(&p)).await?;
        // 三(一)一: a unit's city-reportable project waits for the city
        self.sync_reportable_claim(p.id, false, reason_of(input.total_investment, &investors)).await?;
        Ok(p)
    }

    /// A project with investor companies named in the same form (pick-or-create): the new
    /// companies are created (and audited, company.create) first and appended to
    /// `input.investor_ids`; if anything fails — a company or the project itself — the
    /// transaction keeps nothing, so a failed save leaves no orphan company. Creating a
    /// company needs `company:write`. A company's field errors are reported on
    /// `new_investors`, naming the company.
    pub async fn create_project_with_companies(
        &self,
        mut input: ProjectInput,
        new_investors: Vec<NewCompany>,
    ) -> Result<Project> {
        input.investor_ids.extend(self.new_investors(new_investors).await?);
        self.create_project(input).await
    }

    /// The edit form's counterpart of [`Tx::create_project_with_companies`]: the new
    /// companies and the update in one transaction, the new ones appended to the investors.
    pub async fn update_project_with_companies(
        &self,
        id: i64,
        mut patch: ProjectPatch,
        new_investors: Vec<NewCompany>,
    ) -> Result<Project> {
        let new_ids = self.new_investors(new_investors).await?;
        if !new_ids.is_empty() {
            patch.investor_ids.get_or_insert_with(Vec::new).extend(new_ids);
        }
        self.update_project(id, patch).await
    }

    /// Create the companies a project form named anew, each audited as company.create; a
    /// company's field errors are reported on `new_investors`.
    async fn new_investors(&self, new_investors: Vec<NewCompany>) -> Result<Vec<i64>> {
        if !new_investors.is_empty() {
            self.s.require(Permission::CompanyWrite)?;
        }
        let mut ids = vec![];
        let mut keys = if new_investors.is_empty() {
            crate::companies::NameKeys::default()
        } else {
            crate::companies::NameKeys::load(&self.txn).await?
        };
        for new in new_investors {
            let name = new.name.trim().to_string();
            // a near-duplicate of a registered company is that company, spelled otherwise:
            // the form picks it instead of creating a second one
            if let Some(c) = keys.similar(&name).first() {
                return Err(StoreError::field(
                    "new_investors",
                    format!(
                        "投资方「{name}」与企业库中的「{}」疑似重复，请直接选用已有企业；确属不同企业的，请先在企业库登记（/companies/{}）",
                        c.name, c.id
                    ),
                ));
            }
            let c = self.create_company(new).await.map_err(|e| match e {
                StoreError::Validation(errors) => StoreError::Validation(
                    errors
                        .into_iter()
                        .map(|f| FieldError::new("new_investors", format!("投资方「{name}」：{}", f.message)))
                        .collect(),
                ),
                other => other,
            })?;
            keys.add(c.id, c.name);
            ids.push(c.id);
        }
        Ok(ids)
    }

    /// Change a project's fields (the API, the edit form and the ledger importer).
    pub async fn update_project(&self, id: i64, patch: ProjectPatch) -> Result<Project> {
        let (store, txn, actor) = (self.store(), &self.txn, self.actor());
        let row = self.live_project_row(id, Permission::ProjectWrite, "项目已删除，请先恢复").await?;
        if row.version != patch.version {
            return Err(stale());
        }
        let before = store.hydrate(txn, vec![row.clone()]).await?.pop().ok_or(StoreError::NotFound)?;
        let mut errors = vec![];
        let mut am = project::ActiveModel { ..Default::default() };
        if let Some(n) = &patch.name {
            PROJECT.check_required("name", n, &mut errors);
            am.name = Set(n.trim().to_string());
        }
        if let Some(u) = &patch.unit {
            // Moving a project to another unit changes whose record it is: city_admin only.
            if !actor.has_role(domain::Role::CityAdmin) {
                errors.push(FieldError::new("unit", "不能修改项目的责任单位"));
            } else if let Some(uid) = self.s.unit_in_scope(u, &mut errors)? {
                am.unit_id = Set(uid);
            }
        }
        if let Some(i) = &patch.industry {
            am.industry = Set(check_industry(&mut errors, i));
        }
        if let Some(r) = &patch.region {
            am.region = Set(check_region(&mut errors, r));
        }
        if let Some(c) = &patch.channel {
            am.channel = Set(check_channel(&mut errors, c.as_deref()));
        }
        if let Some(c) = &patch.categories {
            am.categories = Set(categories_text(c));
        }
        if let Some(t) = patch.total_investment {
            am.total_investment = Set(t.hundredths());
        }
        if let Some(v) = patch.foreign_investment {
            am.foreign_investment = Set(v.map(Money::hundredths));
        }
        if let Some(v) = patch.land_mu {
            am.land_mu = Set(v.map(Money::hundredths));
        }
        if let Some(v) = patch.expected_output {
            am.expected_output = Set(v.map(Money::hundredths));
        }
        if let Some(v) = patch.expected_tax {
            am.expected_tax = Set(v.map(Money::hundredths));
        }
        if let Some(v) = patch.expected_jobs {
            am.expected_jobs = Set(v);
        }
        if let Some(v) = patch.expected_producing_on {
            am.expected_producing_on = Set(v);
        }
        if let Some(v) = &patch.lead_leader {
            PROJECT.check_opt("lead_leader", v.as_deref(), &mut errors);
        }
        self.patch_lead_leader(&row, &patch, &mut am, &mut errors).await?;
        if let Some(v) = &patch.notes {
            PROJECT.check_opt("notes", v.as_deref(), &mut errors);
            am.notes = Set(v.clone().filter(|s| !s.trim().is_empty()));
        }
        let investor_ids =
            patch.investor_ids.clone().unwrap_or_else(|| before.investors.iter().map(|i| i.id).collect());
        let investors = store.investors(txn, &investor_ids, &mut errors).await?;
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let total = patch.total_investment.unwrap_or(before.total_investment);
        let cats = patch.categories.clone().unwrap_or_else(|| before.categories.clone());
        let standing: Vec<_> = investors.iter().map(company::Model::standing).collect();
        let reportable = domain::city_reportable(total, &standing);
        am.city_reportable = Set(reportable);
        am.key_project = Set(domain::key_project(&cats, reportable));
        let row = store.save_versioned(txn, am, id, row.version).await?;
        if let Some(ids) = &patch.investor_ids {
            project_investor::Entity::delete_many()
                .filter(project_investor::Column::ProjectId.eq(id))
                .exec(txn)
                .await?;
            let mut seen = vec![];
            for (pos, cid) in ids.iter().enumerate() {
                if seen.contains(cid) {
                    continue;
                }
                seen.push(*cid);
                project_investor::ActiveModel { project_id: Set(id), company_id: Set(*cid), position: Set(pos as i32) }
                    .insert(txn)
                    .await?;
            }
        }
        let row = if patch.name.is_some() || patch.investor_ids.is_some() || patch.unit.is_some() {
            store.reindex(txn, row, &investors).await?
        } else {
            row
        };
        let after = store.hydrate(txn, vec![row]).await?.pop().ok_or(StoreError::NotFound)?;
        self.audit(Event::ok(AuditAction::ProjectUpdate, "project", id).before(&before).after(&after)).await?;
        // 三(一)一: becoming city-reportable opens the city's review, ceasing withdraws it
        self.sync_reportable_claim(id, before.city_reportable, reason_of(total, &investors)).await?;
        Ok(after)
    }

    /// The 包联领导 a patch leaves: a leader id given is checked and linked (its text the one
    /// given, else the leader's); a text alone is kept and linked when its name matches (else
    /// unlinked); `lead_leader_id: null` unlinks and keeps the text. A project moved to
    /// another unit keeps its leader only while that leader may still lead it.
    async fn patch_lead_leader(
        &self,
        row: &project::Model,
        patch: &ProjectPatch,
        am: &mut project::ActiveModel,
        errors: &mut Vec<FieldError>,
    ) -> Result<()> {
        let tree = self.store().unit_tree();
        let unit_id = match &patch.unit {
            Some(u) => match tree.find(u) {
                Some(u) => u.id,
                None => return Ok(()), // the unit's own error is reported
            },
            None => row.unit_id,
        };
        let moved = unit_id != row.unit_id;
        let text = match &patch.lead_leader {
            Some(t) => trimmed(t.clone()),
            None => row.lead_leader.clone(),
        };
        let (id, rematch) = match patch.lead_leader_id {
            Some(Some(id)) => (Some(id), false),
            Some(None) => (None, false),
            // a new text, or a move, asks the register again; otherwise the link stays
            None if patch.lead_leader.is_some() => (None, true),
            None if moved => (row.lead_leader_id, false),
            None => return Ok(()),
        };
        let book = LeaderBook::load(
            &self.txn,
            &text.as_deref().into_iter().collect::<Vec<_>>(),
            &id.into_iter().collect::<Vec<_>>(),
        )
        .await?;
        let lead = match (patch.lead_leader_id, rematch) {
            (Some(None), _) => crate::leaders::link::Resolved { text, id: None },
            (Some(Some(_)), _) | (None, true) => book.resolve(&tree, unit_id, text.as_deref(), id, errors),
            (None, false) => {
                // moved: the leader stays while it may lead a project of the new unit
                let mut quiet = vec![];
                let kept = book.resolve(&tree, unit_id, text.as_deref(), id, &mut quiet);
                if quiet.is_empty() { kept } else { book.resolve(&tree, unit_id, text.as_deref(), None, errors) }
            }
        };
        am.lead_leader = Set(lead.text);
        am.lead_leader_id = Set(lead.id);
        Ok(())
    }

    /// Soft delete: the row stays (city_admin can restore it), out of the search index.
    pub async fn delete_project(&self, id: i64) -> Result<()> {
        let (store, txn) = (self.store(), &self.txn);
        let row = self.project_row(id, Permission::ProjectDelete).await?;
        if row.deleted_at.is_some() {
            return Err(StoreError::NotFound);
        }
        let am = project::ActiveModel { deleted_at: Set(Some(crate::now())), ..Default::default() };
        store.save_versioned(txn, am, id, row.version).await?;
        // Only live projects are in the search index.
        project_gram::Entity::delete_many().filter(project_gram::Column::ProjectId.eq(id)).exec(txn).await?;
        let gone = serde_json::json!({"code": row.code, "name": row.name});
        self.audit(Event::ok(AuditAction::ProjectDelete, "project", id).before(gone)).await?;
        Ok(())
    }

    /// Undo a soft delete (city_admin: `project:correct`).
    pub async fn restore_project(&self, id: i64) -> Result<Project> {
        let (store, txn) = (self.store(), &self.txn);
        let row = self.project_row(id, Permission::ProjectCorrect).await?;
        if row.deleted_at.is_none() {
            return Err(StoreError::Conflict("项目未被删除".into()));
        }
        let am = project::ActiveModel { deleted_at: Set(None), ..Default::default() };
        let row = store.save_versioned(txn, am, id, row.version).await?;
        let investors = store.project_investors(txn, id).await?;
        let row = store.reindex(txn, row, &investors).await?;
        let p = store.hydrate(txn, vec![row]).await?.pop().ok_or(StoreError::NotFound)?;
        self.audit(Event::ok(AuditAction::ProjectRestore, "project", id).after(&p)).await?;
        Ok(p)
    }
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed) ^ ((std::process::id() as u64) << 40)
}
