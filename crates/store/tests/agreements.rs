//! Agreements, clauses, 履约率, milestones, the work team and the 四个一 check, on both
//! databases.

use domain::{AgreementKind, ClauseStatus, Obligor, Role, Stage};
use store::agreements::{ClausePatch, NewAgreement, NewClause};
use store::four_ones::{MilestoneInput, NewMember};
use store::projects::TransitionInput;
use store::testing::fixtures::{actor, audited, d, m, project, to};
use store::{Actor, StoreError, db_test};

fn clause(number: &str, due: Option<&str>, status: ClauseStatus) -> NewClause {
    NewClause {
        number: number.into(),
        text: format!("第{number}条"),
        obligor: Obligor::Investor,
        due_amount: Some(m("100")),
        due_area: None,
        due_on: due.map(d),
        status,
        note: None,
    }
}

fn agreement(kind: AgreementKind, clauses: Vec<NewClause>) -> NewAgreement {
    NewAgreement {
        kind,
        title: "投资合同".into(),
        signed_on: Some(d("2026-01-10")),
        parties: vec!["郑州市金水区人民政府".into(), "某投资公司".into()],
        amount: Some(m("50000")),
        clauses,
    }
}

db_test!(a_contract_with_five_clauses_and_its_fulfilment_rate, |store| {
    use ClauseStatus::*;
    let today = d("2026-06-30");
    let admin = Actor::system("test");
    let s = store.scoped(&admin);
    let p = s.create_project(project("合同项目", "jinshui", "60000")).await.unwrap();
    let clauses = vec![
        clause("1", Some("2026-01-31"), Fulfilled),
        clause("2", Some("2026-03-31"), Waived),
        clause("3", Some("2026-05-31"), Breached),
        clause("4", Some("2026-06-30"), InProgress),
        clause("5", Some("2026-07-15"), Pending),
    ];
    let a = s.create_agreement(p.id, agreement(AgreementKind::Contract, clauses), today).await.unwrap();
    assert_eq!(a.clauses.len(), 5);
    // domain.md §5: due by today (4), fulfilled or waived (2) → 0.5
    assert_eq!(a.fulfilment_rate.as_deref(), Some("0.5000"));
    assert_eq!(a.parties.len(), 2);
    assert_eq!(audited(&store, "agreement.create").await.len(), 1);
    // before any clause is due: no rate
    let early = s.get_agreement(a.id, d("2026-01-01")).await.unwrap();
    assert_eq!(early.fulfilment_rate, None);

    // clause 4 fulfilled → 3 of 4
    let c4 = a.clauses.iter().find(|c| c.number == "4").unwrap();
    let patch = ClausePatch { status: Fulfilled, status_on: None, note: Some("已交付".into()), version: c4.version };
    let c = s.update_clause(c4.id, patch.clone(), today).await.unwrap();
    assert_eq!((c.status.as_str(), c.status_on), ("fulfilled", Some(today)));
    assert_eq!(s.get_agreement(a.id, today).await.unwrap().fulfilment_rate.as_deref(), Some("0.7500"));
    assert_eq!(audited(&store, "clause.status").await.len(), 1);
    // stale version → 409; a settled clause cannot move → 409 with the reason
    let stale = ClausePatch { status: Breached, ..patch.clone() };
    assert!(matches!(s.update_clause(c4.id, stale, today).await, Err(StoreError::Conflict(_))));
    let again = ClausePatch { status: Breached, version: c.version, ..patch };
    match s.update_clause(c4.id, again, today).await {
        Err(StoreError::Conflict(why)) => assert!(why.contains("已履行"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(audited(&store, "clause.status").await.len(), 1, "refusals write nothing");

    // the project's combined rate, and the unit's
    let list = s.list_agreements(p.id, today).await.unwrap();
    assert_eq!(list.rate.map(|r| (r.met(), r.due())), Some((3, 4)));
    let units = s.clauses_by_unit(today, 30).await.unwrap();
    let js = units.iter().find(|u| u.unit_name == "金水区").unwrap();
    assert_eq!(js.rate.map(|r| r.percent()).as_deref(), Some("75.0%"));
    assert!(js.overdue.is_empty(), "clause 3 is settled (breached), not overdue");
    assert_eq!(js.due_soon.iter().map(|c| c.clause.number.as_str()).collect::<Vec<_>>(), ["5"]);

    // validation: duplicate numbers, blank title
    let mut bad = agreement(AgreementKind::Contract, vec![clause("1", None, Pending), clause("1", None, Pending)]);
    bad.title = " ".into();
    match s.create_agreement(p.id, bad, today).await {
        Err(StoreError::Validation(e)) => {
            let fields: Vec<&str> = e.iter().map(|f| f.field.as_str()).collect();
            assert_eq!(fields, ["title", "clauses"]);
        }
        other => panic!("{other:?}"),
    }
});

db_test!(a_package_agreement_links_sub_projects_in_scope, |store| {
    let today = d("2026-06-30");
    let admin = Actor::system("test");
    let s = store.scoped(&admin);
    let main = s.create_project(project("一揽子项目", "jinshui", "60000")).await.unwrap();
    let sub1 = s.create_project(project("子项目一", "jinshui", "100")).await.unwrap();
    let sub2 = s.create_project(project("子项目二", "jinshui", "100")).await.unwrap();
    let other = s.create_project(project("二七项目", "erqi", "100")).await.unwrap();
    let pkg = s.create_agreement(main.id, agreement(AgreementKind::Package, vec![]), today).await.unwrap();
    s.add_sub_project(pkg.id, sub1.id, today).await.unwrap();
    let pkg = s.add_sub_project(pkg.id, sub2.id, today).await.unwrap();
    assert_eq!(pkg.sub_project_ids, vec![sub1.id, sub2.id]);
    assert_eq!(pkg.fulfilment_rate, None, "no clause due");
    assert_eq!(audited(&store, "agreement.sub_project").await.len(), 2);
    // a sub-project belongs to one package only; a contract takes none
    assert!(matches!(s.add_sub_project(pkg.id, sub1.id, today).await, Err(StoreError::Conflict(_))));
    let contract = s.create_agreement(main.id, agreement(AgreementKind::Contract, vec![]), today).await.unwrap();
    assert!(matches!(s.add_sub_project(contract.id, other.id, today).await, Err(StoreError::Conflict(_))));
    assert!(matches!(s.add_sub_project(pkg.id, main.id, today).await, Err(StoreError::Validation(_))));
    // jinshui's staff may not link erqi's project, nor read erqi's agreements
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let sj = store.scoped(&js);
    assert!(matches!(sj.add_sub_project(pkg.id, other.id, today).await, Err(StoreError::Forbidden)));
    let eq = actor(&store, Role::UnitStaff, "erqi");
    assert!(matches!(store.scoped(&eq).get_agreement(pkg.id, today).await, Err(StoreError::Forbidden)));
    assert!(matches!(store.scoped(&eq).list_agreements(main.id, today).await, Err(StoreError::Forbidden)));
    assert!(matches!(store.scoped(&eq).clauses_by_unit(today, 30).await, Ok(v) if v.is_empty()));
    assert!(matches!(s.get_agreement(987_654, today).await, Err(StoreError::NotFound)));
});

db_test!(milestones_team_and_the_four_ones, |store| {
    let today = d("2026-06-30");
    let admin = Actor::system("test");
    let s = store.scoped(&admin);
    let p = s.create_project(project("重点项目", "jinshui", "60000")).await.unwrap();
    assert!(p.key_project);
    let f = s.four_ones(p.id).await.unwrap();
    assert!(!f.action_plan && !f.work_team && !f.case_file && !f.complete);

    let input = MilestoneInput {
        title: Some("完成供地".into()),
        owner: Some(Some("张三".into())),
        due_on: Some(Some(d("2026-05-01"))),
        ..Default::default()
    };
    let ms = s.create_milestone(p.id, input, today).await.unwrap();
    assert_eq!(ms.days_overdue(today), Some(60));
    let done = MilestoneInput { done_on: Some(Some(d("2026-06-01"))), version: ms.version, ..Default::default() };
    let ms2 = s.update_milestone(ms.id, done.clone(), today).await.unwrap();
    assert_eq!((ms2.done_on, ms2.title.as_str(), ms2.days_overdue(today)), (Some(d("2026-06-01")), "完成供地", None));
    assert!(matches!(s.update_milestone(ms.id, done, today).await, Err(StoreError::Conflict(_))), "stale");
    let blank = MilestoneInput { title: Some(" ".into()), version: ms2.version, ..Default::default() };
    assert!(matches!(s.update_milestone(ms.id, blank, today).await, Err(StoreError::Validation(_))));
    assert_eq!(s.list_milestones(p.id).await.unwrap().len(), 1);

    let member = |name: &str, leader: bool| NewMember {
        name: name.into(),
        position: Some("局长".into()),
        role: None,
        is_leader: leader,
    };
    match s.set_team(p.id, vec![member("甲", true), member("乙", true)]).await {
        Err(StoreError::Validation(e)) => assert_eq!(e[0].field, "members"),
        other => panic!("{other:?}"),
    }
    let team = s.set_team(p.id, vec![member("甲", true), member("乙", false)]).await.unwrap();
    assert_eq!(team.len(), 2);
    assert_eq!(s.team(p.id).await.unwrap()[0].name, "甲");
    let f = s.four_ones(p.id).await.unwrap();
    assert!(f.action_plan && f.work_team && !f.case_file && !f.complete);
    let key = s.key_projects_four_ones().await.unwrap();
    let k = key.iter().find(|k| k.project_id == p.id).unwrap();
    assert_eq!(k.missing.labels(), "招商专案");

    // a case file: one live attachment (the upload path is elsewhere; written directly)
    use sea_orm::ConnectionTrait;
    let ts = if store.backend() == sea_orm::DbBackend::Postgres {
        "'2026-06-01 00:00:00+00'"
    } else {
        "'2026-06-01 00:00:00'"
    };
    store
        .db()
        .execute_unprepared(&format!(
            "INSERT INTO attachments (entity, entity_id, project_id, name, stored_name, content_type, size, sha256, uploaded_at) \
             VALUES ('project', {id}, {id}, 'a.pdf', 's1', 'application/pdf', 1, 'x', {ts})",
            id = p.id
        ))
        .await
        .unwrap();
    assert!(s.four_ones(p.id).await.unwrap().complete);
    for (action, n) in [("milestone.create", 1), ("milestone.update", 1), ("team.update", 1)] {
        assert_eq!(audited(&store, action).await.len(), n, "{action}");
    }
    // out of scope
    let eq = actor(&store, Role::UnitStaff, "erqi");
    assert!(matches!(store.scoped(&eq).four_ones(p.id).await, Err(StoreError::Forbidden)));
    assert!(matches!(store.scoped(&eq).set_team(p.id, vec![]).await, Err(StoreError::Forbidden)));
    let leader = actor(&store, Role::Leader, "jinshui");
    assert!(matches!(store.scoped(&leader).set_team(p.id, vec![]).await, Err(StoreError::Forbidden)));

    // a terminated key project needs no 四个一: it leaves the list
    let listed = |key: Vec<store::four_ones::KeyProjectFourOnes>| key.iter().any(|k| k.project_id == p.id);
    assert!(listed(s.key_projects_four_ones().await.unwrap()));
    let stop = TransitionInput { reason: Some("企业战略调整".into()), ..to(Stage::Terminated, "2026-07-01") };
    s.transition_project(p.id, stop).await.unwrap();
    assert!(!listed(s.key_projects_four_ones().await.unwrap()), "a terminated project is not listed");
});

db_test!(the_database_refuses_unknown_agreement_and_clause_codes, |store| {
    use sea_orm::ConnectionTrait;
    let admin = Actor::system("test");
    let s = store.scoped(&admin);
    let p = s.create_project(project("约束项目", "jinshui", "100")).await.unwrap();
    let a = s
        .create_agreement(
            p.id,
            agreement(AgreementKind::Contract, vec![clause("1", None, ClauseStatus::Pending)]),
            d("2026-06-30"),
        )
        .await
        .unwrap();
    let db = store.db();
    // every known code passes (a constraint that refused everything would fail here)
    for k in AgreementKind::CODES {
        db.execute_unprepared(&format!("UPDATE agreements SET kind = '{k}' WHERE id = {}", a.id)).await.unwrap();
    }
    for st in ClauseStatus::CODES {
        db.execute_unprepared(&format!("UPDATE clauses SET status = '{st}' WHERE agreement_id = {}", a.id))
            .await
            .unwrap();
    }
    for bad in [
        format!("UPDATE agreements SET kind = 'loan' WHERE id = {}", a.id),
        format!("UPDATE clauses SET status = 'done' WHERE agreement_id = {}", a.id),
        format!("UPDATE clauses SET obligor = 'bank' WHERE agreement_id = {}", a.id),
    ] {
        let e = db.execute_unprepared(&bad).await.expect_err(&bad);
        assert!(e.to_string().contains("ck_"), "{bad}: {e}");
    }
});
