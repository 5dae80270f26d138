//! Applying an imported ledger (ledger.md): every row in one transaction — any error and
//! nothing is written; a dry run does the same work and rolls it back, so its report is
//! exactly what a real run would do. Rows are matched by 项目编号, else by (unit, name);
//! matches go through the same update and stage-transition rules as the API, new projects
//! through the same rules as the bulk loader. The caller's scope applies to every row.
//!
//! `matching` finds the projects the rows name, `apply` changes them (and lays out a new
//! project's stages), `report` is what the caller gets back, `export` the way out.

mod apply;
mod export;
mod matching;
mod report;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use domain::fields::PROJECT;
use domain::leader::LeaderMatch;
use domain::{Permission, Stage};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use apply::path;
pub use export::EXPORT_MAX_ROWS;
pub use report::{FieldChange, ImportError, ImportReport, MAX_ERRORS, RowPlan};
use report::{Shown, change, err, row_error};

use crate::audit::Event;
use crate::bulk::BulkProject;
use crate::companies::NewCompany;
use crate::entity::company;
use crate::projects::ProjectInput;
use crate::{Actor, Result, Scoped, StoreError, Tx};

/// One ledger row, already parsed (the `ledger` crate does the parsing). `investor_type`
/// is used for the investors the import creates (an existing company is not changed);
/// a `None` reference field means the file has no such column (an update leaves it alone).
pub use domain::ledger::LedgerRow as ImportRow;

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

/// The first text of a row longer than the field table allows: (column label, message).
/// Checked before anything is written, so every such row is reported with its column.
fn too_long(r: &ImportRow) -> Option<(&'static str, &str, String)> {
    let texts = [
        ("name", Some(r.name.as_str())),
        ("lead_leader", r.lead_leader.as_deref()),
        ("progress", r.progress.as_deref()),
        ("problem", r.problem.as_deref()),
        ("notes", r.notes.as_deref()),
    ];
    let investors = r.investors.iter().map(|n| ("investors", Some(n.as_str())));
    texts.into_iter().chain(investors).find_map(|(code, v)| {
        let v = v?;
        let message = PROJECT.len_error(code, v)?;
        Some((PROJECT.label(code), v, message))
    })
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

impl Scoped<'_> {
    pub async fn import_projects(&self, rows: Vec<ImportRow>, dry_run: bool) -> Result<ImportReport> {
        self.import_with(rows, dry_run, Rights::of(self.actor)).await
    }

    async fn import_with(&self, rows: Vec<ImportRow>, dry_run: bool, rights: Rights) -> Result<ImportReport> {
        self.require(Permission::ProjectWrite)?;
        let tx = self.begin().await?;
        let result = tx.import(rows, dry_run, rights).await;
        match result {
            Ok(mut report) if report.ok() && !dry_run => {
                tx.commit().await?;
                report.committed = true;
                Ok(report)
            }
            Ok(report) => {
                tx.rollback().await?;
                Ok(report)
            }
            Err(e) => {
                tx.rollback().await?;
                Err(e)
            }
        }
    }
}

impl Tx<'_> {
    async fn import(&self, rows: Vec<ImportRow>, dry_run: bool, rights: Rights) -> Result<ImportReport> {
        let (store, txn, actor) = (self.store(), &self.txn, self.actor());
        let tree = store.unit_tree();
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
        let mut missing: Vec<String> = names.iter().filter(|n| !companies.contains_key(*n)).cloned().collect();
        // Near-duplicates: a name that is a registered company spelled otherwise (without
        // 有限公司, 集团, spaces…) is that company, with a warning; one that resembles
        // several is refused, naming them. Only the rest are new companies.
        let mut refused: std::collections::HashSet<u32> = Default::default();
        let mut keys = if missing.is_empty() {
            crate::companies::NameKeys::default()
        } else {
            crate::companies::NameKeys::load(txn).await?
        };
        let mut ambiguous: HashMap<String, String> = HashMap::new();
        let mut near: HashMap<String, String> = HashMap::new();
        missing.retain(|n| match keys.similar(n).as_slice() {
            [] => true,
            [one] => {
                companies.insert(n.clone(), one.id);
                near.insert(n.clone(), format!("按近似名称匹配到企业库中的「{}」，未新建企业", one.name));
                false
            }
            many => {
                let names: Vec<String> = many.iter().map(|c| format!("「{}」", c.name)).collect();
                ambiguous.insert(
                    n.clone(),
                    format!("与企业库中的{}疑似重复，无法确定是哪一家，请填写企业库中的全称", names.join("")),
                );
                false
            }
        });
        for r in &rows {
            for n in &r.investors {
                if let Some(why) = ambiguous.get(n) {
                    report.fail(err(r.row, "投资方", n, why.clone()));
                    refused.insert(r.row);
                } else if let Some(why) = near.get(n) {
                    report.warn(err(r.row, "投资方", n, why.clone()));
                }
            }
        }
        let mut types: HashMap<&str, &str> = HashMap::new();
        for r in &rows {
            for (name, t) in investor_types(r) {
                types.entry(name).or_insert(t);
            }
        }
        // Without the right to create companies, each row naming an unregistered one is refused.
        if !rights.companies && !missing.is_empty() {
            for r in &rows {
                if refused.contains(&r.row) {
                    continue;
                }
                if let Some(n) = r.investors.iter().find(|n| !companies.contains_key(*n)) {
                    report.fail(err(r.row, "投资方", n, NO_COMPANY_RIGHT));
                    refused.insert(r.row);
                }
            }
        }
        for n in missing.iter().filter(|_| rights.companies) {
            // two spellings of one new company in the file: the first creates it
            if let [first] = keys.similar(n).as_slice() {
                companies.insert(n.clone(), first.id);
                for r in rows.iter().filter(|r| r.investors.contains(n)) {
                    report.warn(err(r.row, "投资方", n, format!("与本文件中的「{}」视为同一企业", first.name)));
                }
                continue;
            }
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
            let c = self.create_company(new).await?;
            keys.add(c.id, c.name.clone());
            companies.insert(c.name, c.id);
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
        let (by_code, by_name) = store.import_matches(txn, &rows, &units).await?;
        // 包联领导: each row's text matched to the register by name and unit, as every
        // project write matches it; an unmatched name is kept as text and warned about
        let texts: Vec<&str> = rows.iter().filter_map(|r| r.lead_leader.as_deref()).collect();
        let book = crate::leaders::LeaderBook::load(txn, &texts, &[]).await?;
        let names_of: HashMap<i64, &str> = companies.iter().map(|(n, id)| (*id, n.as_str())).collect();

        let mut creates: Vec<(u32, BulkProject, Option<String>)> = vec![];
        let mut created_problems: Vec<Option<String>> = vec![];
        let mut seen_names: HashMap<(i64, String), u32> = HashMap::new();
        for (r, unit_id) in rows.into_iter().zip(units) {
            let Some(unit) = unit_id.and_then(|id| tree.get(id)) else { continue };
            if refused.contains(&r.row) {
                continue;
            }
            if let Some((column, value, message)) = too_long(&r) {
                let shown: String = value.chars().take(20).collect();
                report.fail(err(r.row, column, shown + "…", message));
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
            let lead = match r.lead_leader.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                None => None,
                Some(text) => match book.match_text(text, unit.id) {
                    Some((_, LeaderMatch::Unique(id))) => Some(id),
                    found => {
                        let why = match found {
                            Some((name, m)) => m.problem(&name).unwrap_or_default(),
                            None => "文本中没有可识别的姓名，已保留原文，未关联领导名录".into(),
                        };
                        report.warn(err(r.row, PROJECT.label("lead_leader"), text, why));
                        None
                    }
                },
            };
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
                    let mut changes = vec![
                        change("责任单位", "", unit.name.clone()),
                        change("投资方", "", r.investors.join("、")),
                        change("总投资(万元)", "", r.total_investment.shown()),
                        change("项目阶段", "", r.stage.label()),
                    ];
                    if let Some(t) = r.problem.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                        changes.push(change("存在问题", "", t));
                    }
                    let name = r.name.trim().to_string();
                    report.plan(RowPlan { row: r.row, action: "create", code: None, name, changes });
                    creates.push((r.row, item, r.progress.clone()));
                    created_problems.push(r.problem.clone());
                }
                Some(p) => match self.import_update(p, &r, investor_ids, &names_of, (lead, &book), today).await {
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
            match self.bulk_insert_projects(items).await {
                Ok(ids) => {
                    self.created_progress(&ids, progress, today).await?;
                    for (id, text) in ids.iter().zip(created_problems) {
                        self.ledger_problem(*id, text.as_deref(), today).await?;
                    }
                    report.created = rows_of;
                }
                Err(StoreError::Validation(fields)) => {
                    for f in fields {
                        report.fail(row_error(&rows_of, &f.message, &f.field));
                    }
                }
                Err(StoreError::Conflict(m)) => report.fail(row_error(&rows_of, &m, "stage")),
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
            action: domain::AuditAction::LedgerImport,
            entity: "project",
            entity_id: None,
            before: None,
            after: Some(summary),
            result: if report.ok() { "ok" } else { "rejected" },
        };
        self.audit(ev).await?;
        Ok(report)
    }
}
