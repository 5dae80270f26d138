//! Loads the demo's 落地 records (`demo::Landing`) through the store's own writes, as the
//! people who did them: each unit submits its stage claims with their evidence and the city
//! reviews them; the units record their agreements, clauses and 四个一 and confirm their
//! months; the supervisor turns red warnings into 督办 items, which units answer.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use demo::{ClaimOutcome, Landing};
use domain::evidence::{AttachedTo, UploadLimits};
use domain::review::ReviewState;
use domain::{Role, WarningLevel};
use store::agreements::ClausePatch;
use store::attachments::{Folder, Upload};
use store::four_ones::MilestoneInput;
use store::projects::TransitionInput;
use store::reviews::{Resubmission, ReviewFilter};
use store::supervisions::NewSupervision;
use store::warnings::WarningFilter;
use store::{Actor, Store};

/// What to say when a step fails: the step, then the store's error.
pub(crate) fn step<E: std::fmt::Debug>(what: impl std::fmt::Display) -> impl FnOnce(E) -> String {
    move |e| format!("演示数据 {what}: {e:?}")
}

/// The logged-in user `username` as the web layer would make it, when the demo created it.
async fn user(store: &Store, username: &str) -> Result<Option<Actor>, String> {
    let Some(c) = store.credentials(username).await.map_err(step(username))? else { return Ok(None) };
    let tree = store.unit_tree();
    Ok(Some(Actor {
        user_id: Some(c.user.id),
        username: c.user.username.clone(),
        scope: tree.scope_for(&c.user.roles, c.user.unit_id),
        roles: c.user.roles,
        unit_id: c.user.unit_id,
        address: None,
        request_id: None,
    }))
}

/// The demo's people: the city's reviewer, the supervisor, and a staff member per unit (the
/// demo login where there is one).
pub(crate) struct People {
    city: Actor,
    supervisor: Actor,
    units: BTreeMap<String, Actor>,
}

impl People {
    pub(crate) async fn of(store: &Store) -> Result<People, String> {
        let mut units = BTreeMap::new();
        for name in ["jinshui_staff", "hangkonggang_staff"] {
            if let Some(a) = user(store, name).await?
                && let Some(u) = a.unit_id.and_then(|id| store.unit_tree().get(id).map(|u| u.code.clone()))
            {
                units.insert(u, a);
            }
        }
        Ok(People {
            city: user(store, "city_admin").await?.unwrap_or_else(|| Actor::system("demo")),
            supervisor: user(store, "supervisor").await?.unwrap_or_else(|| Actor::system("demo")),
            units,
        })
    }

    /// The city's administrator (its demo login).
    pub(crate) fn city(&self) -> &Actor {
        &self.city
    }

    /// `rows` by the unit each belongs to (`unit`), in unit-code order, each unit's with its
    /// staff: the demo writes one unit's records in one transaction, as that unit.
    pub(crate) fn by_unit<'r, T>(
        &mut self,
        store: &Store,
        rows: impl IntoIterator<Item = T>,
        unit: impl Fn(&T) -> &'r str,
    ) -> Vec<(&'r str, Actor, Vec<T>)> {
        let mut grouped: BTreeMap<&'r str, Vec<T>> = BTreeMap::new();
        for r in rows {
            grouped.entry(unit(&r)).or_default().push(r);
        }
        grouped.into_iter().map(|(u, rows)| (u, self.unit(store, u).clone(), rows)).collect()
    }

    /// The unit's staff: its demo login, else a staff member without a login of its own.
    pub(crate) fn unit(&mut self, store: &Store, code: &str) -> &Actor {
        self.units.entry(code.to_string()).or_insert_with(|| {
            let tree = store.unit_tree();
            let id = tree.find(code).map(|u| u.id);
            Actor {
                user_id: None,
                username: format!("{code}_staff"),
                roles: vec![Role::UnitStaff],
                unit_id: id,
                scope: tree.scope_for(&[Role::UnitStaff], id),
                address: None,
                request_id: None,
            }
        })
    }
}

/// A one-page PDF standing in for a scanned document (the case file needs real files: each
/// is checked by its magic bytes and stored with its SHA-256 like any upload).
fn document(title: &str, project_id: i64) -> Vec<u8> {
    let text =
        format!("BT /F1 14 Tf 72 760 Td (zhaoshang demo evidence - project {project_id} - {}) Tj ET", title.len());
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = vec![];
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for off in offsets {
        pdf.extend(format!("{off:010} 00000 n \n").bytes());
    }
    pdf.extend(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).bytes());
    pdf
}

async fn attach(
    store: &Store,
    actor: &Actor,
    folder: &Folder,
    (name, project_id): (&str, i64),
    to: (AttachedTo, i64),
) -> Result<(), String> {
    let upload = Upload::check(document(name, project_id), name, &UploadLimits::default()).map_err(step(name))?;
    store.scoped(actor).upload_attachment(folder, upload, to.0, to.1).await.map_err(step(name))?;
    Ok(())
}

/// `project_ids[i]` and `units[i]` are the id and the unit of the dataset's `projects[i]`.
pub async fn load(
    store: &Store,
    folder: &Folder,
    l: &Landing,
    units: &[String],
    project_ids: &[i64],
) -> Result<(), String> {
    let today = domain::today_shanghai();
    let id_of = |i: usize| project_ids.get(i).copied().ok_or_else(|| format!("演示数据指向不存在的项目 {i}"));
    let unit_of = |i: usize| units.get(i).map_or("", String::as_str);
    let mut people = People::of(store).await?;

    // 四个一 and agreements, a transaction per unit, as that unit's staff
    let mut by_unit: BTreeMap<&str, (Vec<&demo::DemoAgreement>, Vec<&demo::FourOnes>)> = BTreeMap::new();
    for a in &l.agreements {
        by_unit.entry(unit_of(a.project)).or_default().0.push(a);
    }
    for f in &l.four_ones {
        by_unit.entry(unit_of(f.project)).or_default().1.push(f);
    }
    for (unit, (agreements, four_ones)) in by_unit {
        let actor = people.unit(store, unit).clone();
        let tx = store.scoped(&actor).begin().await.map_err(step(unit))?;
        for a in agreements {
            let title = &a.agreement.title;
            let made = tx.create_agreement(id_of(a.project)?, a.agreement.clone(), today).await.map_err(step(title))?;
            let mut clauses: BTreeMap<String, (i64, i32)> =
                made.clauses.iter().map(|c| (c.number.clone(), (c.id, c.version))).collect();
            for (number, status, on) in &a.moves {
                let Some((id, version)) = clauses.get(number).copied() else { continue };
                let patch = ClausePatch { status: *status, status_on: Some(*on), note: None, version };
                let c = tx.update_clause(id, patch, today).await.map_err(step(format!("{title} {number}")))?;
                clauses.insert(number.clone(), (id, c.version));
            }
            for &s in &a.sub_projects {
                tx.add_sub_project(made.id, id_of(s)?, today).await.map_err(step(title))?;
            }
        }
        for f in &four_ones {
            let pid = id_of(f.project)?;
            if !f.team.is_empty() {
                tx.set_team(pid, f.team.clone()).await.map_err(step(format!("项目 {pid} 工作团队")))?;
            }
            for m in &f.milestones {
                let input = MilestoneInput {
                    title: Some(m.title.into()),
                    owner: Some(Some(m.owner.clone())),
                    due_on: Some(Some(m.due_on)),
                    done_on: Some(m.done_on),
                    version: 0,
                };
                tx.create_milestone(pid, input, today).await.map_err(step(m.title))?;
            }
        }
        tx.commit().await.map_err(step(unit))?;
        // the case files: each upload is written to the folder, then recorded
        for f in four_ones {
            let pid = id_of(f.project)?;
            for name in &f.case_file {
                attach(store, &actor, folder, (name, pid), (AttachedTo::Project, pid)).await?;
            }
        }
    }

    // the claims: the unit submits with its evidence, the city decides
    for c in &l.claims {
        let pid = id_of(c.project)?;
        let unit = people.unit(store, unit_of(c.project)).clone();
        let claim = TransitionInput {
            to: c.to,
            date: c.date,
            skipped_dates: Default::default(),
            note: Some(c.note.clone()),
            reason: None,
            version: None,
        };
        store.scoped(&unit).transition_project(pid, claim).await.map_err(step(format!("项目 {pid} 申报")))?;
        let waiting = ReviewFilter { state: Some(ReviewState::Submitted), project_id: Some(pid), ..Default::default() };
        let list = store.scoped(&people.city).list_reviews(&waiting).await.map_err(step("审核队列"))?;
        let Some(r) = list.items.into_iter().next_back() else { continue };
        if let Some(t) = r.transition_id {
            attach(store, &unit, folder, (c.evidence, pid), (AttachedTo::Transition, t)).await?;
        }
        let city = store.scoped(&people.city);
        match &c.outcome {
            ClaimOutcome::Waiting => {}
            ClaimOutcome::Accepted => {
                city.accept_review(r.id).await.map_err(step("审核通过"))?;
            }
            ClaimOutcome::Returned(comment) => {
                city.return_review(r.id, comment.to_string()).await.map_err(step("退回"))?;
            }
            ClaimOutcome::Resubmitted { comment, date, note } => {
                city.return_review(r.id, comment.to_string()).await.map_err(step("退回"))?;
                let fix = Resubmission { date: Some(*date), amount: None, note: Some(note.to_string()) };
                store.scoped(&unit).resubmit_review(r.id, fix).await.map_err(step("重新提交"))?;
            }
        }
    }

    // 月报: each unit confirms on the day it did
    for c in &l.confirmations {
        let unit = people.unit(store, c.unit).clone();
        store.scoped(&unit).confirm_month(c.unit.into(), c.month, c.on).await.map_err(step(c.unit))?;
    }

    supervise(store, &mut people, today).await
}

/// 督办: the supervisor takes up four red warnings of different units with a deadline and an
/// instruction; two units have answered, and one answered item is closed.
async fn supervise(store: &Store, people: &mut People, today: NaiveDate) -> Result<(), String> {
    const INSTRUCTIONS: &[&str] = &[
        "请于期限内说明滞后原因，明确责任人和整改时限，并上传佐证材料。",
        "请责任单位主要负责同志牵头协调，限期解决并书面报告办理结果。",
        "请会同相关部门现场办公，倒排工期，确保按期推进。",
        "请核实项目实际进展，逐项对照协议条款制定整改计划。",
    ];
    const REPLIES: &[&str] = &[
        "已召开专题协调会，明确由区商务局牵头，计划两周内完成整改，相关材料已上传。",
        "经核实，滞后原因为用地报批周期较长，现已组卷上报，预计本月内取得批复。",
    ];
    let red = WarningFilter { level: Some(WarningLevel::Red), ..Default::default() };
    let warnings = store.scoped(&people.supervisor).warnings(&red, today).await.map_err(step("预警"))?;
    let mut seen_units = vec![];
    let mut picked = vec![];
    // warnings on what the project's own unit must answer for (not a department's task)
    let own = |w: &store::warnings::WarningItem| {
        w.project_id.is_some() && matches!(w.entity.as_str(), "project" | "clause" | "milestone")
    };
    for w in warnings.into_iter().filter(own) {
        if !seen_units.contains(&w.unit) && picked.len() < INSTRUCTIONS.len() {
            seen_units.push(w.unit.clone());
            picked.push(w);
        }
    }
    for (n, w) in picked.into_iter().enumerate() {
        let new = NewSupervision {
            warning_key: Some(w.key.clone()),
            project_id: None,
            deadline: today.checked_add_days(Days::new(7 + 4 * n as u64)).unwrap_or(today),
            instruction: INSTRUCTIONS[n].into(),
        };
        let item = store
            .scoped(&people.supervisor)
            .create_supervision(new, today)
            .await
            .map_err(step(format!("督办 {}", w.key)))?;
        if let Some(reply) = REPLIES.get(n) {
            let unit = people.unit(store, &w.unit).clone();
            let item = store
                .scoped(&unit)
                .reply_supervision(item.id, reply.to_string(), Some(item.version))
                .await
                .map_err(step("督办答复"))?;
            if n == 0 {
                store
                    .scoped(&people.supervisor)
                    .close_supervision(item.id, Some(item.version))
                    .await
                    .map_err(step("督办办结"))?;
            }
        }
    }
    Ok(())
}
