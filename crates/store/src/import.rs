//! Applying an imported ledger (ledger.md): every row in one transaction — any error and
//! nothing is written; a dry run does the same work and rolls it back, so its report is
//! exactly what a real run would do. Rows are matched by 项目编号, else by (unit, name);
//! matches go through the same update and stage-transition rules as the API, new projects
//! through the same rules as the bulk loader. The caller's scope applies to every row.

use std::collections::{BTreeMap, HashMap};

use domain::stage::ACTIVE;
use domain::{Category, Money, Permission, Stage};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use serde::Serialize;

use crate::audit::{self, Event};
use crate::bulk::BulkProject;
use crate::companies::NewCompany;
use crate::entity::{company, project};
use crate::projects::{Project, ProjectInput, ProjectPatch, SortField, TransitionInput};
use crate::{Actor, Result, Store, StoreError};

/// One ledger row, already parsed (the `ledger` crate does the parsing). `investor_type`
/// is used for the investors the import creates (an existing company is not changed);
/// a `None` reference field means the file has no such column (an update leaves it alone).
pub use domain::ledger::LedgerRow as ImportRow;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ImportError {
    pub row: u32,
    pub column: String,
    pub value: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub dry_run: bool,
    /// Rows that create a project (row numbers).
    pub created: Vec<u32>,
    /// Rows that change an existing project.
    pub updated: Vec<u32>,
    /// Rows that match a project and change nothing.
    pub unchanged: Vec<u32>,
    /// The first [`MAX_ERRORS`] errors; `error_count` counts them all.
    pub errors: Vec<ImportError>,
    pub error_count: usize,
    /// The first [`MAX_ERRORS`] rows that create or update a project, in file order, with
    /// what they change (`created` and `updated` list them all).
    pub plans: Vec<RowPlan>,
    /// Whether the changes were written (false for a dry run or when there were errors).
    pub committed: bool,
}

/// One field a row changes, as the preview shows it: the column's label, before → after.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// What one row will do: create a project, or update one (with the fields it changes).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RowPlan {
    pub row: u32,
    /// `create` or `update`.
    pub action: &'static str,
    /// The project's code (an update only).
    pub code: Option<String>,
    pub name: String,
    pub changes: Vec<FieldChange>,
}

/// A value as the preview shows it.
trait Shown {
    fn shown(&self) -> String;
}

impl Shown for String {
    fn shown(&self) -> String {
        self.clone()
    }
}

impl Shown for Money {
    fn shown(&self) -> String {
        self.to_string()
    }
}

impl Shown for chrono::NaiveDate {
    fn shown(&self) -> String {
        self.to_string()
    }
}

impl<T: Shown> Shown for Option<T> {
    fn shown(&self) -> String {
        self.as_ref().map(Shown::shown).unwrap_or_default()
    }
}

impl Shown for Vec<Category> {
    fn shown(&self) -> String {
        self.iter().map(|c| c.label()).collect::<Vec<_>>().join("、")
    }
}

/// The change of a project field, labelled as the ledger's column, codes shown as names.
fn named(field: &str, before: String, after: String) -> FieldChange {
    use domain::reference;
    let name = |e: Option<&reference::Entry>, v: String| e.map_or(v, |e| e.name.clone());
    let (before, after) = match field {
        "industry" => (name(reference::industry(&before), before), name(reference::industry(&after), after)),
        "region" => (name(reference::region(&before), before), name(reference::region(&after), after)),
        "channel" => (name(reference::channel(&before), before), name(reference::channel(&after), after)),
        _ => (before, after),
    };
    let label = if field == "notes" { "备注" } else { domain::labels::field_label(field) };
    change(label, before, after)
}

fn change(field: &str, before: impl Into<String>, after: impl Into<String>) -> FieldChange {
    FieldChange { field: field.into(), before: cut(before.into()), after: cut(after.into()) }
}

/// A text as a report quotes it: at most 100 characters, then `…`.
fn cut(mut value: String) -> String {
    if let Some((end, _)) = value.char_indices().nth(100) {
        value.truncate(end);
        value.push('…');
    }
    value
}

/// Errors kept in a report (the ledger parser keeps as many): a report stays small however
/// bad the file is.
pub const MAX_ERRORS: usize = 1_000;

impl ImportReport {
    /// Count an error; keep it while the list has room.
    fn fail(&mut self, e: ImportError) {
        self.error_count += 1;
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(e);
        }
    }

    fn plan(&mut self, p: RowPlan) {
        if self.plans.len() < MAX_ERRORS {
            self.plans.push(p);
        }
    }

    pub fn ok(&self) -> bool {
        self.error_count == 0
    }
}

/// What an import compares a row with: the fields a ledger row carries, read by position
/// (a 100,000-row import reads them all, so the full model and its hydration would cost
/// most of the import's time).
#[derive(Debug)]
struct Current {
    id: i64,
    code: String,
    unit_id: i64,
    name: String,
    industry: String,
    region: String,
    channel: Option<String>,
    categories: Vec<Category>,
    total_investment: Money,
    foreign_investment: Option<Money>,
    land_mu: Option<Money>,
    expected_producing_on: Option<chrono::NaiveDate>,
    lead_leader: Option<String>,
    notes: Option<String>,
    stage: Stage,
    version: i32,
    progress: Option<String>,
    /// Investor company ids in their order.
    investors: Vec<i64>,
}

impl Current {
    /// Live projects, the columns in the order `from_query_result` reads them.
    fn select() -> sea_orm::Select<project::Entity> {
        use project::Column as C;
        use sea_orm::QuerySelect;
        project::Entity::find()
            .select_only()
            .columns([
                C::Id,
                C::Code,
                C::UnitId,
                C::Name,
                C::Industry,
                C::Region,
                C::Channel,
                C::Categories,
                C::TotalInvestment,
                C::ForeignInvestment,
                C::LandMu,
                C::ExpectedProducingOn,
                C::LeadLeader,
                C::Notes,
                C::Stage,
                C::Version,
                C::Progress,
            ])
            .filter(C::DeletedAt.is_null())
    }
}

impl sea_orm::FromQueryResult for Current {
    fn from_query_result(r: &sea_orm::QueryResult, _pre: &str) -> std::result::Result<Self, sea_orm::DbErr> {
        let categories: String = r.try_get_by_index(7)?;
        let stage: String = r.try_get_by_index(14)?;
        Ok(Current {
            id: r.try_get_by_index(0)?,
            code: r.try_get_by_index(1)?,
            unit_id: r.try_get_by_index(2)?,
            name: r.try_get_by_index(3)?,
            industry: r.try_get_by_index(4)?,
            region: r.try_get_by_index(5)?,
            channel: r.try_get_by_index(6)?,
            categories: crate::projects::categories_of(&categories),
            total_investment: Money::from_hundredths(r.try_get_by_index(8)?),
            foreign_investment: r.try_get_by_index::<Option<i64>>(9)?.map(Money::from_hundredths),
            land_mu: r.try_get_by_index::<Option<i64>>(10)?.map(Money::from_hundredths),
            expected_producing_on: r.try_get_by_index(11)?,
            lead_leader: r.try_get_by_index(12)?,
            notes: r.try_get_by_index(13)?,
            stage: crate::projects::stage_of(&stage),
            version: r.try_get_by_index(15)?,
            progress: r.try_get_by_index(16)?,
            investors: vec![],
        })
    }
}

/// Each investor of a row with its 投资方类型: one type for all, or one per investor in order.
fn investor_types(r: &ImportRow) -> Vec<(&str, &str)> {
    let Some(t) = r.investor_type.as_deref() else { return vec![] };
    let list: Vec<&str> = t.split('、').map(str::trim).filter(|t| !t.is_empty()).collect();
    match list.len() {
        1 => r.investors.iter().map(|n| (n.as_str(), list[0])).collect(),
        n if n == r.investors.len() => r.investors.iter().map(String::as_str).zip(list).collect(),
        _ => vec![],
    }
}

/// The longest 项目进展情况 kept (the store refuses longer ones too).
const PROGRESS_MAX: usize = crate::projects::PROGRESS_MAX;

/// An error of one row; the cell's text is quoted up to 100 characters.
fn err(row: u32, column: &str, value: impl Into<String>, reason: impl Into<String>) -> ImportError {
    ImportError { row, column: column.into(), value: cut(value.into()), reason: reason.into() }
}

/// The transitions that take a new project from 储备 to the row's stage: one step to the
/// target with the dates of the dated stages it passes (the rules check them).
fn path(r: &ImportRow, today: chrono::NaiveDate) -> Vec<TransitionInput> {
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

/// What an import may do besides writing projects (`ProjectWrite`, checked first): create
/// the companies a file names and no one has registered (`CompanyWrite`), and move a project
/// to another stage (`ProjectTransition`). A row that needs a right the caller lacks is an
/// error naming the row.
#[derive(Debug, Clone, Copy)]
struct Rights {
    companies: bool,
    transitions: bool,
}

impl Rights {
    fn of(actor: &Actor) -> Rights {
        let has = |p| domain::access::has_permission(&actor.roles, p);
        Rights { companies: has(Permission::CompanyWrite), transitions: has(Permission::ProjectTransition) }
    }
}

const NO_COMPANY_RIGHT: &str = "企业尚未登记，您无权新建企业（需要企业维护权限），请先由有权限的用户登记该企业";
const NO_TRANSITION_RIGHT: &str = "您无权变更项目阶段（需要项目阶段变更权限）";

impl Store {
    pub async fn import_projects(&self, actor: &Actor, rows: Vec<ImportRow>, dry_run: bool) -> Result<ImportReport> {
        self.import_with(actor, rows, dry_run, Rights::of(actor)).await
    }

    async fn import_with(
        &self,
        actor: &Actor,
        rows: Vec<ImportRow>,
        dry_run: bool,
        rights: Rights,
    ) -> Result<ImportReport> {
        if !domain::access::has_permission(&actor.roles, Permission::ProjectWrite) {
            return Err(StoreError::Forbidden);
        }
        let txn = self.write().await?;
        let result = self.import_in(&txn, actor, rows, dry_run, rights).await;
        match result {
            Ok(mut report) if report.ok() && !dry_run => {
                txn.commit().await?;
                report.committed = true;
                Ok(report)
            }
            Ok(report) => {
                txn.rollback().await?;
                Ok(report)
            }
            Err(e) => {
                txn.rollback().await?;
                Err(e)
            }
        }
    }

    async fn import_in(
        &self,
        txn: &DatabaseTransaction,
        actor: &Actor,
        rows: Vec<ImportRow>,
        dry_run: bool,
        rights: Rights,
    ) -> Result<ImportReport> {
        let tree = self.unit_tree();
        let today = domain::today_shanghai();
        let mut report = ImportReport { dry_run, ..Default::default() };

        // Investors by exact name; new names become companies (audited, in this transaction).
        let mut names: Vec<String> = rows.iter().flat_map(|r| r.investors.iter().cloned()).collect();
        names.sort();
        names.dedup();
        let mut companies: HashMap<String, i64> = HashMap::new();
        for chunk in names.chunks(400) {
            for c in company::Entity::find().filter(company::Column::Name.is_in(chunk.to_vec())).all(txn).await? {
                companies.insert(c.name, c.id);
            }
        }
        let missing: Vec<String> = names.iter().filter(|n| !companies.contains_key(*n)).cloned().collect();
        let mut types: HashMap<&str, &str> = HashMap::new();
        for r in &rows {
            for (name, t) in investor_types(r) {
                types.entry(name).or_insert(t);
            }
        }
        // Without the right to create companies, each row naming an unregistered one is refused.
        let mut refused: std::collections::HashSet<u32> = Default::default();
        if !rights.companies && !missing.is_empty() {
            for r in &rows {
                if let Some(n) = r.investors.iter().find(|n| !companies.contains_key(*n)) {
                    report.fail(err(r.row, "投资方", n, NO_COMPANY_RIGHT));
                    refused.insert(r.row);
                }
            }
        }
        for n in missing.iter().filter(|_| rights.companies) {
            let kind = types.get(n.as_str()).copied().unwrap_or("其他");
            let mut new = NewCompany {
                name: n.clone(),
                country: "中国".into(),
                notes: Some("台账导入时新建，待补充企业信息".into()),
                ..Default::default()
            };
            if kind != "其他" {
                // declared, not verified: it is shown and exported, but it is not a rank and
                // does not make the company's projects city-reportable
                new.declared_type = Some(kind.to_string());
                new.notes = Some(format!("台账导入时新建，待补充企业信息；台账填报的投资方类型为{kind}，待核实"));
            }
            let c = crate::companies::insert_company(txn, new).await?;
            audit::record(txn, actor, Event::ok("company.create", "company", c.id).after(&c)).await?;
            companies.insert(c.name.clone(), c.id);
        }

        // Pass 1: unit and scope of every row (from the in-memory tree), then the projects the
        // rows name, loaded in batches instead of one query per row.
        let mut units: Vec<Option<i64>> = Vec::with_capacity(rows.len());
        for r in &rows {
            units.push(match tree.find(&r.unit) {
                None => {
                    report.fail(err(r.row, "责任单位", &r.unit, format!("单位「{}」不存在", r.unit)));
                    None
                }
                Some(unit) if !actor.scope.allows_unit(unit.id) => {
                    report.fail(err(r.row, "责任单位", &unit.name, "无权导入其他单位的项目"));
                    None
                }
                Some(unit) => Some(unit.id),
            });
        }
        let (by_code, by_name) = self.import_matches(txn, &rows, &units).await?;
        let names_of: HashMap<i64, &str> = companies.iter().map(|(n, id)| (*id, n.as_str())).collect();

        let mut creates: Vec<(u32, BulkProject, Option<String>)> = vec![];
        let mut seen_names: HashMap<(i64, String), u32> = HashMap::new();
        for (r, unit_id) in rows.into_iter().zip(units) {
            let Some(unit) = unit_id.and_then(|id| tree.get(id)) else { continue };
            if refused.contains(&r.row) {
                continue;
            }
            if let Some(p) = r.progress.as_deref().filter(|p| p.trim().chars().count() > PROGRESS_MAX) {
                let shown: String = p.chars().take(20).collect();
                report.fail(err(r.row, "项目进展情况", shown + "…", format!("不能超过{PROGRESS_MAX}个字符")));
                continue;
            }
            let investor_ids: Vec<i64> = r.investors.iter().filter_map(|n| companies.get(n).copied()).collect();
            // the project this row is about: by code, else the same unit's project of that name
            let existing = match r.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                Some(code) => match by_code.get(code) {
                    Some(p) if actor.scope.allows_unit(p.unit_id) => Some(p),
                    _ => {
                        report.fail(err(r.row, "项目编号", code, "项目编号不存在，或不在您的数据范围内"));
                        continue;
                    }
                },
                None => by_name.get(&(unit.id, r.name.trim().to_string())),
            };
            if let Some(first) = seen_names.insert((unit.id, r.name.trim().to_string()), r.row) {
                report.fail(err(r.row, "项目名称", &r.name, format!("与第{first}行是同一单位的同名项目")));
                continue;
            }
            let moves = match existing {
                None => r.stage != Stage::Reserve,
                Some(p) => r.stage != p.stage,
            };
            if moves && !rights.transitions {
                report.fail(err(r.row, "项目阶段", r.stage.label(), NO_TRANSITION_RIGHT));
                continue;
            }
            match existing {
                None => {
                    let input = ProjectInput {
                        name: r.name.clone(),
                        unit: unit.code.clone(),
                        investor_ids,
                        industry: r.industry.clone().unwrap_or_default(),
                        region: r.region.clone().unwrap_or_default(),
                        channel: r.channel.clone(),
                        categories: r.categories.clone(),
                        total_investment: r.total_investment,
                        foreign_investment: r.foreign_investment,
                        land_mu: r.land_mu,
                        expected_producing_on: r.expected_producing_on,
                        lead_leader: r.lead_leader.clone(),
                        notes: r.notes.clone(),
                        ..Default::default()
                    };
                    let item = BulkProject { input, transitions: path(&r, today), funds: vec![] };
                    let changes = vec![
                        change("责任单位", "", unit.name.clone()),
                        change("投资方", "", r.investors.join("、")),
                        change("总投资(万元)", "", r.total_investment.shown()),
                        change("项目阶段", "", r.stage.label()),
                    ];
                    let name = r.name.trim().to_string();
                    report.plan(RowPlan { row: r.row, action: "create", code: None, name, changes });
                    creates.push((r.row, item, r.progress.clone()));
                }
                Some(p) => match self.import_update(txn, actor, p, &r, investor_ids, &names_of, today).await {
                    Ok(changes) if changes.is_empty() => report.unchanged.push(r.row),
                    Ok(changes) => {
                        report.updated.push(r.row);
                        let (code, name) = (Some(p.code.clone()), p.name.clone());
                        report.plan(RowPlan { row: r.row, action: "update", code, name, changes });
                    }
                    Err(e) => report.fail(e),
                },
            }
        }
        // New projects go in one batch; an item the rules refuse names its row.
        if report.ok() && !creates.is_empty() {
            let rows_of: Vec<u32> = creates.iter().map(|(r, _, _)| *r).collect();
            let progress: Vec<Option<String>> = creates.iter().map(|(_, _, p)| p.clone()).collect();
            let items: Vec<BulkProject> = creates.into_iter().map(|(_, b, _)| b).collect();
            match self.bulk_insert_projects(txn, actor, items).await {
                Ok(ids) => {
                    self.created_progress(txn, actor, &ids, progress, today).await?;
                    report.created = rows_of;
                }
                Err(StoreError::Validation(fields)) => {
                    for f in fields {
                        report.fail(row_error(&rows_of, &f.message, &f.field));
                    }
                }
                Err(StoreError::Conflict(m)) => report.fail(row_error(&rows_of, &m, "to")),
                Err(e) => return Err(e),
            }
        }
        let summary = serde_json::json!({
            "created": report.created.len(),
            "updated": report.updated.len(),
            "unchanged": report.unchanged.len(),
            "errors": report.error_count,
            "dry_run": dry_run,
        });
        let ev = Event {
            action: "ledger.import",
            entity: "project",
            entity_id: None,
            before: None,
            after: Some(summary),
            result: if report.ok() { "ok" } else { "rejected" },
        };
        audit::record(txn, actor, ev).await?;
        Ok(report)
    }

    /// The existing live projects the rows name, loaded in batches with only the fields a
    /// ledger row carries: by 项目编号 (any unit; scope is checked per row), and for rows
    /// without a code by (unit, name), the oldest when a unit has several of that name.
    #[allow(clippy::type_complexity)]
    async fn import_matches(
        &self,
        txn: &DatabaseTransaction,
        rows: &[ImportRow],
        units: &[Option<i64>],
    ) -> Result<(HashMap<String, Current>, HashMap<(i64, String), Current>)> {
        const CHUNK: usize = 1000;
        let mut codes: Vec<String> = vec![];
        let mut named: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for (r, unit) in rows.iter().zip(units) {
            let Some(unit) = unit else { continue };
            match r.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                Some(code) => codes.push(code.to_string()),
                None => named.entry(*unit).or_default().push(r.name.trim().to_string()),
            }
        }
        codes.sort();
        codes.dedup();
        let mut coded: Vec<Current> = vec![];
        for chunk in codes.chunks(CHUNK) {
            let q = Current::select().filter(project::Column::Code.is_in(chunk.to_vec()));
            coded.extend(q.into_model::<Current>().all(txn).await?);
        }
        let mut same_name: Vec<Current> = vec![];
        for (unit, mut names) in named {
            names.sort();
            names.dedup();
            for chunk in names.chunks(CHUNK) {
                same_name.extend(
                    Current::select()
                        .filter(project::Column::UnitId.eq(unit))
                        .filter(project::Column::Name.is_in(chunk.to_vec()))
                        .into_model::<Current>()
                        .all(txn)
                        .await?,
                );
            }
        }
        self.current_investors(txn, &mut coded).await?;
        self.current_investors(txn, &mut same_name).await?;
        let by_code: HashMap<String, Current> = coded.into_iter().map(|p| (p.code.clone(), p)).collect();
        // descending ids: of several same-named projects the oldest is inserted last and wins
        same_name.sort_by_key(|p| std::cmp::Reverse(p.id));
        let by_name: HashMap<(i64, String), Current> =
            same_name.into_iter().map(|p| ((p.unit_id, p.name.clone()), p)).collect();
        Ok((by_code, by_name))
    }

    /// The 项目进展情况 of newly created projects: each one's first timeline note.
    async fn created_progress(
        &self,
        txn: &DatabaseTransaction,
        actor: &Actor,
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
                .all(txn)
                .await?
                .into_iter()
                .collect();
            for (id, note) in chunk {
                let version = versions.get(id).copied().ok_or(StoreError::NotFound)?;
                self.add_progress_in(txn, actor, *id, version, None, today, note).await?;
            }
        }
        Ok(())
    }

    /// Each project's investor ids in their order (ids are our own integers, inlined).
    async fn current_investors(&self, txn: &DatabaseTransaction, found: &mut [Current]) -> Result<()> {
        use sea_orm::{ConnectionTrait, Statement};
        let mut of: HashMap<i64, Vec<i64>> = HashMap::with_capacity(found.len());
        for chunk in found.chunks(5000) {
            let list = chunk.iter().map(|p| p.id.to_string()).collect::<Vec<_>>().join(",");
            let sql = format!(
                "SELECT project_id, company_id FROM project_investors WHERE project_id IN ({list}) \
                 ORDER BY project_id, position"
            );
            for r in txn.query_all_raw(Statement::from_string(self.backend(), sql)).await? {
                of.entry(r.try_get_by_index(0)?).or_default().push(r.try_get_by_index(1)?);
            }
        }
        for p in found.iter_mut() {
            p.investors = of.remove(&p.id).unwrap_or_default();
        }
        Ok(())
    }

    /// Apply one row to an existing project: changed fields through the API's update, a
    /// different stage through the API's transition rules. Returns what changed (labels,
    /// before → after); nothing when the row matches the project.
    #[allow(clippy::too_many_arguments)]
    async fn import_update(
        &self,
        txn: &DatabaseTransaction,
        actor: &Actor,
        current: &Current,
        r: &ImportRow,
        investor_ids: Vec<i64>,
        names_of: &HashMap<i64, &str>,
        today: chrono::NaiveDate,
    ) -> std::result::Result<Vec<FieldChange>, ImportError> {
        let p = current;
        let mut version = p.version;
        let mut changes = vec![];
        if let Some(note) = r.progress.as_deref() {
            let recorded = self
                .add_progress_in(txn, actor, p.id, version, p.progress.as_deref(), today, note)
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
            let after = self.update_project_in(txn, actor, p.id, patch).await.map_err(|e| field_error(r, e))?;
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
            self.apply_transition(txn, actor, p.id, input)
                .await
                .map_err(|e| err(r.row, "项目阶段", r.stage.label(), e.to_string()))?;
            changes.push(change("项目阶段", current.stage.label(), r.stage.label()));
        }
        Ok(changes)
    }
}

fn field_error(r: &ImportRow, e: StoreError) -> ImportError {
    match e {
        StoreError::Validation(fields) => {
            let f = fields.into_iter().next();
            let column = f.as_ref().map(|f| domain::labels::field_label(&f.field).to_string()).unwrap_or_default();
            err(r.row, &column, "", f.map(|f| f.message).unwrap_or_default())
        }
        other => err(r.row, "项目编号", r.code.clone().unwrap_or_default(), other.to_string()),
    }
}

/// A bulk error names its item as 第n项; map it back to the spreadsheet row.
fn row_error(rows: &[u32], message: &str, field: &str) -> ImportError {
    let n = message
        .strip_prefix('第')
        .and_then(|m| m.split('项').next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let row = n.checked_sub(1).and_then(|i| rows.get(i)).copied().unwrap_or(0);
    let reason = message.split_once('：').map(|(_, m)| m).unwrap_or(message);
    err(row, domain::labels::field_label(field), "", reason)
}

impl Store {
    /// Every project a filter matches (no paging), in the filter's order, for the export;
    /// the caller's scope applies as to the ledger. The export itself is audited.
    pub async fn export_projects(&self, actor: &Actor, f: &crate::projects::ProjectFilter) -> Result<Vec<Project>> {
        use sea_orm::{QueryOrder, QuerySelect};
        let cond = self.filter_condition(actor, f).await?;
        let order = if f.descending { sea_orm::Order::Desc } else { sea_orm::Order::Asc };
        let col = match f.sort {
            SortField::Id => project::Column::Id,
            SortField::Name => project::Column::Name,
            SortField::TotalInvestment => project::Column::TotalInvestment,
            SortField::SignedOn => project::Column::SignedOn,
            SortField::UpdatedAt => project::Column::UpdatedAt,
        };
        let rows = project::Entity::find()
            .filter(cond)
            .order_by(col, order.clone())
            .order_by(project::Column::Id, order)
            .limit(EXPORT_MAX_ROWS + 1)
            .all(self.db())
            .await?;
        if rows.len() as u64 > EXPORT_MAX_ROWS {
            return Err(StoreError::field(
                "export",
                format!("导出结果超过 {EXPORT_MAX_ROWS} 行，请先筛选（例如按责任单位或阶段）后再导出"),
            ));
        }
        let mut out = Vec::with_capacity(rows.len());
        let mut rows = rows;
        while !rows.is_empty() {
            let rest = rows.split_off(rows.len().min(5000));
            out.extend(self.hydrate(self.db(), rows).await?);
            rows = rest;
        }
        Ok(out)
    }

    /// One audit record per export: who took which filter and how many rows.
    pub async fn audit_export(&self, actor: &Actor, filter: &str, rows: usize) -> Result<()> {
        self.audit_alone(actor, "ledger.export", serde_json::json!({"filter": filter, "rows": rows}), "ok").await
    }

    /// The name the caller is known by (显示名), for the export's subtitle; the login name
    /// when the account has none, or for the command line.
    pub async fn display_name(&self, actor: &Actor) -> Result<String> {
        let Some(id) = actor.user_id else { return Ok(actor.username.clone()) };
        let user = crate::entity::user::Entity::find_by_id(id).one(self.db()).await?;
        Ok(user.map(|u| u.display_name).filter(|n| !n.trim().is_empty()).unwrap_or_else(|| actor.username.clone()))
    }

    /// The record of an import that wrote nothing (a dry run, or a file refused for errors
    /// in its rows or as a whole): written on its own, as the import's transaction is rolled
    /// back. A committed import is audited inside its own transaction instead.
    pub async fn audit_import(&self, actor: &Actor, summary: serde_json::Value, ok: bool) -> Result<()> {
        self.audit_alone(actor, "ledger.import", summary, if ok { "ok" } else { "rejected" }).await
    }

    /// An audit record in a transaction of its own, for a ledger action that writes no data.
    async fn audit_alone(&self, actor: &Actor, action: &str, after: serde_json::Value, result: &str) -> Result<()> {
        let txn = self.write().await?;
        let ev = Event { action, entity: "project", entity_id: None, before: None, after: Some(after), result };
        audit::record(&txn, actor, ev).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// More rows than any city's ledger has; a bigger export is refused rather than risk memory.
pub const EXPORT_MAX_ROWS: u64 = 200_000;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use domain::Role;

    fn staff(store: &Store) -> Actor {
        let tree = store.unit_tree();
        let u = tree.find("jinshui").map(|u| u.id);
        Actor {
            user_id: None,
            username: "jinshui_staff".into(),
            roles: vec![Role::UnitStaff],
            unit_id: u,
            scope: tree.scope_for(&[Role::UnitStaff], u),
            address: None,
            request_id: None,
        }
    }

    fn row(n: u32, name: &str, investor: &str, stage: Stage) -> ImportRow {
        let mut dates = domain::StageDates::default();
        if stage == Stage::Signed {
            dates.set(Stage::Signed, chrono::NaiveDate::from_ymd_opt(2025, 3, 1));
        }
        ImportRow {
            row: n,
            code: None,
            name: name.into(),
            unit: "jinshui".into(),
            investors: vec![investor.into()],
            investor_type: None,
            industry: Some("electronics".into()),
            region: Some("yangtze".into()),
            channel: None,
            categories: vec![],
            total_investment: Money::parse("100").unwrap(),
            foreign_investment: None,
            land_mu: None,
            stage,
            dates,
            expected_producing_on: None,
            lead_leader: None,
            progress: None,
            problem: None,
            notes: None,
        }
    }

    const ALL: Rights = Rights { companies: true, transitions: true };
    const NONE: Rights = Rights { companies: false, transitions: false };

    db_test!(rows_needing_a_right_the_caller_lacks_are_refused_by_row, |store| {
        let actor = staff(&store);
        // with every right: a company and a signed project
        let first = vec![row(3, "已有项目", "已登记企业", Stage::Reserve)];
        let r = store.import_with(&actor, first, false, ALL).await.unwrap();
        assert!(r.committed && r.ok(), "{:?}", r.errors);
        let rows = vec![
            row(4, "新企业的项目", "未登记企业", Stage::Reserve),
            row(5, "新签约项目", "已登记企业", Stage::Signed),
            row(6, "已有项目", "已登记企业", Stage::Signed),
            row(7, "储备项目", "已登记企业", Stage::Reserve),
        ];
        let r = store.import_with(&actor, rows.clone(), false, NONE).await.unwrap();
        let got: Vec<(u32, &str, &str)> =
            r.errors.iter().map(|e| (e.row, e.column.as_str(), e.reason.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (4, "投资方", NO_COMPANY_RIGHT),
                (5, "项目阶段", NO_TRANSITION_RIGHT),
                (6, "项目阶段", NO_TRANSITION_RIGHT)
            ]
        );
        assert!(!r.committed);
        let names: Vec<String> =
            company::Entity::find().all(store.db()).await.unwrap().into_iter().map(|c| c.name).collect();
        assert_eq!(names, vec!["已登记企业".to_string()], "no company created");
        // the same rows with the rights: taken
        let r = store.import_with(&actor, rows, false, ALL).await.unwrap();
        assert!(r.committed && r.ok(), "{:?}", r.errors);
        assert_eq!((r.created.len(), r.updated.len()), (3, 1));
    });
}
