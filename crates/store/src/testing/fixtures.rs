//! The shared setup of the storage tests (and of other crates' tests): actors, literals,
//! the smallest valid inputs and rows written directly.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::activity::ActivityKind;
use domain::{Money, Role, Stage};

use sea_orm::sea_query::IntoCondition;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

use crate::activities::ActivityInput;
use crate::entity::audit_record;
use crate::funds::NewFunds;
use crate::import::ImportRow;
use crate::projects::{ProjectInput, TransitionInput};
use crate::reviews::ReviewFilter;
use crate::{Actor, Store};

/// The audit records of `action` on the entity `id`, oldest first.
pub async fn audits(store: &Store, action: &str, id: i64) -> Vec<audit_record::Model> {
    let of = Condition::all().add(audit_record::Column::Action.eq(action));
    audit_log(store, of.add(audit_record::Column::EntityId.eq(id.to_string()))).await
}

/// Every audit record of `action`, oldest first.
pub async fn audited(store: &Store, action: &str) -> Vec<audit_record::Model> {
    audit_log(store, audit_record::Column::Action.eq(action)).await
}

/// The actions audited on the record `id` of `entity` (`review`, …), oldest first.
pub async fn entity_actions(store: &Store, entity: &str, id: i64) -> Vec<String> {
    let on = Condition::all().add(audit_record::Column::Entity.eq(entity));
    let on = on.add(audit_record::Column::EntityId.eq(id.to_string()));
    audit_log(store, on).await.into_iter().map(|r| r.action).collect()
}

/// The audit records that match `condition`, oldest first.
pub async fn audit_log(store: &Store, condition: impl IntoCondition) -> Vec<audit_record::Model> {
    audit_record::Entity::find()
        .filter(condition)
        .order_by_asc(audit_record::Column::Id)
        .all(store.db())
        .await
        .expect("the audit log reads")
}

/// A date written `YYYY-MM-DD` (test literals only).
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date")
}

/// An amount written as 万元 (test literals only).
pub fn m(s: &str) -> Money {
    Money::parse(s).expect("a test amount")
}

/// A user of `role` at unit `code`, with that role's scope (named `{code}_{role}`).
pub fn actor(store: &Store, role: Role, code: &str) -> Actor {
    let tree = store.unit_tree();
    let u = tree.find(code).map(|u| u.id);
    Actor {
        user_id: None,
        username: format!("{code}_{}", role.code()),
        roles: vec![role],
        unit_id: u,
        scope: tree.scope_for(&[role], u),
        address: None,
        request_id: None,
    }
}

/// The code of a unit user's unit.
pub fn unit_code(store: &Store, who: &Actor) -> String {
    store.unit_tree().get(who.unit_id.expect("a unit user")).expect("the user's unit").code.clone()
}

/// A new project of `unit` with a total investment: the smallest valid input.
pub fn project(name: &str, unit: &str, total: &str) -> ProjectInput {
    ProjectInput {
        name: name.into(),
        unit: unit.into(),
        industry: "electronics.terminal".into(),
        region: "yangtze".into(),
        total_investment: m(total),
        ..Default::default()
    }
}

/// `input` created by `who` (the test's project; a refusal fails the test).
pub async fn created(store: &Store, who: &Actor, input: ProjectInput) -> crate::projects::Project {
    store.scoped(who).create_project(input).await.expect("a test project")
}

/// A transition to `stage` on `date`, nothing else.
pub fn to(stage: Stage, date: &str) -> TransitionInput {
    TransitionInput {
        to: stage,
        date: d(date),
        skipped_dates: BTreeMap::new(),
        note: None,
        reason: None,
        version: None,
    }
}

/// A new row at version 1, created now, written directly (setup without a write path
/// or its audit record; a refusal fails the test).
pub async fn insert_new<A>(store: &Store, am: A) -> crate::stamp::Model<A>
where
    A: crate::stamp::Versioned,
    crate::stamp::Model<A>: sea_orm::IntoActiveModel<A>,
{
    crate::stamp::insert_new_on(store.db(), am, None).await.expect("a new test row")
}

/// A department's open task on a project (tasks have no write path yet: written directly).
pub async fn dept_task(store: &Store, project_id: i64, dept: &Actor, title: &str, due_on: Option<NaiveDate>) {
    use sea_orm::Set;
    let task = crate::entity::dept_task::ActiveModel {
        project_id: Set(project_id),
        dept_unit_id: Set(dept.unit_id.expect("a department user's unit")),
        title: Set(title.into()),
        due_on: Set(due_on),
        status: Set("open".into()),
        ..Default::default()
    };
    insert_new(store, task).await;
}

/// A ledger row of a 储备 project of 金水区 with one investor and nothing optional.
pub fn ledger_row(n: u32, name: &str, investor: &str) -> ImportRow {
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
        total_investment: m("100"),
        foreign_investment: None,
        land_mu: None,
        stage: Stage::Reserve,
        dates: domain::StageDates::default(),
        expected_producing_on: None,
        lead_leader: None,
        progress: None,
        problem: None,
        notes: None,
    }
}

/// The submitted claims of a project, oldest first, as the city's queue lists them.
pub async fn submitted_claims(store: &Store, city: &Actor, project_id: i64) -> Vec<i64> {
    let f = ReviewFilter {
        state: Some(domain::ReviewState::Submitted),
        project_id: Some(project_id),
        ..Default::default()
    };
    store.scoped(city).list_reviews(&f).await.expect("the review queue reads").items.into_iter().map(|r| r.id).collect()
}

/// The city accepts every submitted claim of a project.
pub async fn accept_all(store: &Store, city: &Actor, project_id: i64) {
    for id in submitted_claims(store, city, project_id).await {
        store.scoped(city).accept_review(id).await.expect("the city accepts a claim");
    }
}

/// 省外境内资金 (`domestic_out_of_province`) of `amount` 万元 on `date`, without a note.
pub fn domestic_funds(date: &str, amount: &str) -> NewFunds {
    NewFunds { date: d(date), kind: "domestic_out_of_province".into(), amount: m(amount), note: None }
}

/// `unit` enters domestic funds on a project and the city accepts them: the entry's id.
pub async fn accepted_funds(
    store: &Store,
    unit: &Actor,
    city: &Actor,
    project_id: i64,
    date: &str,
    amount: &str,
) -> i64 {
    let entry = store.scoped(unit).add_funds(project_id, domestic_funds(date, amount)).await.expect("a funds entry");
    accept_all(store, city, project_id).await;
    entry.id
}

/// A project `name` of `unit`'s own unit, signed (accepted) on 2025-02-01, with accepted
/// domestic funds of `amount` on `funds_on`: (project id, funds entry id).
pub async fn funded(store: &Store, unit: &Actor, city: &Actor, name: &str, funds_on: &str, amount: &str) -> (i64, i64) {
    let p = created(store, unit, project(name, &unit_code(store, unit), "500")).await;
    store.scoped(unit).transition_project(p.id, to(Stage::Signed, "2025-02-01")).await.expect("signed");
    (p.id, accepted_funds(store, unit, city, p.id, funds_on, amount).await)
}

/// The test scheme `2025年度测试考核` (2025) over two units: 实际到位省外资金 against a target
/// of 1000 each, weighted 100 — or 60, beside the manual 企业满意度 weighted 40, with
/// `satisfaction`.
pub fn test_scheme(units: [&str; 2], satisfaction: bool) -> String {
    let [a, b] = units;
    let (weight, manual) = if satisfaction { (60, SATISFACTION) } else { (100, "") };
    format!(
        r#"
name = "2025年度测试考核"
from = 2025-01-01
to = 2025-12-31
units = ["{a}", "{b}"]

[[indicator]]
code = "funds"
name = "实际到位省外资金"
group = "招商引资"
measure = "funds_domestic"
method = "ratio_to_target"
weight = {weight}
{manual}
[targets.funds]
{a} = 1000
{b} = 1000
"#
    )
}

/// The manual indicator of `test_scheme(_, true)`.
const SATISFACTION: &str = r#"
[[indicator]]
code = "satisfaction"
name = "企业满意度"
group = "营商环境"
measure = "manual:satisfaction"
method = "rate"
weight = 40
"#;

/// A one-day 招商活动 of `unit` on `on` in 深圳 (pearl) with nothing else: no leaders,
/// companies, targets, projects or outcomes.
pub fn activity(title: &str, kind: ActivityKind, on: &str, unit: &str) -> ActivityInput {
    ActivityInput {
        title: title.into(),
        kind,
        start_on: d(on),
        end_on: None,
        region: "pearl".into(),
        city: "深圳".into(),
        country: None,
        unit: unit.into(),
        leader_ids: vec![],
        leader_level: None,
        participants: None,
        company_ids: vec![],
        target_ids: vec![],
        intentions: None,
        intention_notes: None,
        project_ids: vec![],
        signed_project_ids: vec![],
        summary: None,
        cost: None,
    }
}

/// A stored run of the year `year` with no scheme, inputs or output, written directly: what
/// a bulletin of that year stands on.
pub async fn empty_run(store: &Store, name: &str, year: i32) -> crate::entity::assessment_run::Model {
    use sea_orm::{ActiveModelTrait, Set};
    crate::entity::assessment_run::ActiveModel {
        name: Set(name.into()),
        period_from: Set(d(&format!("{year}-01-01"))),
        period_to: Set(d(&format!("{year}-12-31"))),
        scheme_toml: Set(String::new()),
        inputs: Set("{}".into()),
        inputs_sha256: Set("0".into()),
        output: Set("{}".into()),
        output_sha256: Set("0".into()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(store.db())
    .await
    .expect("a test run")
}

/// A 通报 `number` of `year` on run `run_id`, titled 通报 and issued on the year's last day,
/// in `state` (`draft`, `published`), written directly at version 1.
pub async fn year_bulletin(
    store: &Store,
    run_id: i64,
    number: &str,
    year: i32,
    state: &str,
) -> crate::entity::bulletin::Model {
    use sea_orm::Set;
    let b = crate::entity::bulletin::ActiveModel {
        run_id: Set(run_id),
        number: Set(number.into()),
        title: Set("通报".into()),
        issued_on: Set(d(&format!("{year}-12-31"))),
        year: Set(year),
        state: Set(state.into()),
        ..Default::default()
    };
    insert_new(store, b).await
}

/// A decimal written as text (test literals only).
pub fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().expect("a test decimal")
}
