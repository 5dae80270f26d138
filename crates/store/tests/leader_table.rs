//! The 五职 leader table (assessment.md): each leader's led projects by phase over a period
//! (立项, 洽谈, 签约 accepted, 履约率, 投达产 accepted) and the 500强 visits they led, with the
//! records; who sees which rows. Each test runs on SQLite and on PostgreSQL.

use domain::activity::ActivityKind;
use domain::assessment::leaders::Figure;
use domain::leader::LeaderLevel;
use domain::{AgreementKind, ClauseStatus, Obligor, Role, Stage};
use store::activities::ActivityInput;
use store::agreements::{ClausePatch, NewAgreement, NewClause};
use store::companies::NewCompany;
use store::leaders::LeaderInput;
use store::testing::fixtures::{accept_all, activity, actor, created, d, project, to};
use store::{Actor, Store, StoreError, db_test};

async fn leader(store: &Store, who: &Actor, name: &str, unit: &str, level: LeaderLevel) -> i64 {
    let input = LeaderInput { name: name.into(), position: "书记".into(), unit: unit.into(), level };
    store.scoped(who).create_leader(input).await.unwrap().id
}

async fn led(store: &Store, who: &Actor, name: &str, unit: &str, lead: i64) -> i64 {
    let mut p = project(name, unit, "20000");
    p.lead_leader_id = Some(lead);
    created(store, who, p).await.id
}

fn clause(n: &str, due: &str) -> NewClause {
    NewClause {
        number: n.into(),
        text: format!("条款{n}"),
        obligor: Obligor::Investor,
        due_amount: None,
        due_area: None,
        due_on: Some(d(due)),
        status: ClauseStatus::Pending,
        note: None,
    }
}

struct World {
    city: Actor,
    mayor: i64,
    zhang: i64,
    li: i64,
    a: i64,
    b: i64,
    c: i64,
    visit: i64,
}

async fn world(store: &Store) -> World {
    let city = actor(store, Role::CityAdmin, "shangwu");
    let js = actor(store, Role::UnitStaff, "jinshui");
    let eq = actor(store, Role::UnitStaff, "erqi");
    let mayor = leader(store, &city, "王市长", "zhengzhou", LeaderLevel::CityLeader).await;
    let zhang = leader(store, &js, "张伟", "jinshui", LeaderLevel::UnitChief).await;
    let li = leader(store, &eq, "李四", "erqi", LeaderLevel::UnitChief).await;

    // A: 金水区, led by 张伟: negotiating, then signed (accepted)
    let a = led(store, &js, "金水甲项目", "jinshui", zhang).await;
    store.scoped(&js).transition_project(a, to(Stage::Negotiating, "2026-02-01")).await.unwrap();
    store.scoped(&js).transition_project(a, to(Stage::Signed, "2026-03-01")).await.unwrap();
    accept_all(store, &city, a).await;
    // B: 金水区, led by the city leader: signed but still waiting for review
    let b = led(store, &js, "金水乙项目", "jinshui", mayor).await;
    store.scoped(&js).transition_project(b, to(Stage::Signed, "2026-04-01")).await.unwrap();
    // C: 二七区, led by 李四: signed and producing (both accepted)
    let c = led(store, &eq, "二七丙项目", "erqi", li).await;
    store.scoped(&eq).transition_project(c, to(Stage::Signed, "2026-03-05")).await.unwrap();
    accept_all(store, &city, c).await;
    let mut t = to(Stage::Producing, "2026-06-01");
    t.skipped_dates.insert(Stage::Approved, d("2026-04-01"));
    t.skipped_dates.insert(Stage::Started, d("2026-05-01"));
    store.scoped(&eq).transition_project(c, t).await.unwrap();
    accept_all(store, &city, c).await;

    // A's agreement: two clauses due 2026-05-01, one fulfilled, one open
    let new = NewAgreement {
        kind: AgreementKind::Contract,
        title: "投资协议".into(),
        signed_on: Some(d("2026-03-01")),
        parties: vec!["甲方".into(), "乙方".into()],
        amount: None,
        clauses: vec![clause("1", "2026-05-01"), clause("2", "2026-05-01"), clause("3", "2027-05-01")],
    };
    let ag = store.scoped(&js).create_agreement(a, new, d("2026-03-01")).await.unwrap();
    let first = &ag.clauses[0];
    let patch = ClausePatch {
        status: ClauseStatus::Fulfilled,
        status_on: Some(d("2026-04-20")),
        note: None,
        version: first.version,
    };
    store.scoped(&js).update_clause(first.id, patch, d("2026-04-20")).await.unwrap();

    // 张伟 led a visit to a Fortune Global 500 company
    let fg = NewCompany {
        name: "环球电子".into(),
        country: "美国".into(),
        fortune_global_500_rank: Some(88),
        ..Default::default()
    };
    let company = store.scoped(&city).create_company(fg).await.unwrap().id;
    let visit = ActivityInput {
        leader_ids: vec![zhang],
        company_ids: vec![company],
        ..activity("拜访环球电子", ActivityKind::LeaderVisit, "2026-05-10", "jinshui")
    };
    let visit = store.scoped(&js).create_activity(visit).await.unwrap().id;
    World { city, mayor, zhang, li, a, b, c, visit }
}

db_test!(each_leader_s_projects_by_phase_with_the_records, |store| {
    let w = world(&store).await;
    let (from, to) = (d("2026-01-01"), d("2026-12-31"));
    let t = store.scoped(&w.city).leader_table(from, to).await.unwrap();
    let ids: Vec<i64> = t.items.iter().map(|r| r.leader_id).collect();
    assert_eq!(ids, [w.mayor, w.li, w.zhang], "the city first, then the units in the tree's order");

    let zhang = &t.items[2];
    assert_eq!(zhang.unit, "jinshui");
    let f = &zhang.figures;
    assert_eq!((f.created, f.negotiating, f.signed, f.producing, f.visits), (1, 1, 1, 0, 1));
    assert_eq!((f.clauses_met, f.clauses_due), (1, 2), "the clause due in 2027 is not due yet");
    assert_eq!(zhang.fulfilment_rate, "50.0%");
    assert_eq!(zhang.records.negotiating[0].date, d("2026-02-01"));
    assert_eq!(zhang.records.signed[0].id, w.a);
    assert_eq!(zhang.records.projects(Figure::Signed)[0].date, d("2026-03-01"));
    assert_eq!(zhang.records.fulfilment.iter().filter(|c| c.met).count(), 1);
    assert_eq!(zhang.records.visits[0].id, w.visit);
    assert!(zhang.records.visits[0].companies[0].contains("环球电子"));

    let mayor = &t.items[0];
    assert_eq!((mayor.figures.created, mayor.figures.signed), (1, 0), "a waiting signing does not count");
    assert_eq!(mayor.records.created[0].id, w.b);
    assert_eq!(mayor.fulfilment_rate, "—");

    let li = &t.items[1];
    assert_eq!((li.figures.signed, li.figures.producing), (1, 1));
    assert_eq!(li.records.producing[0].id, w.c);
    assert_eq!(li.records.producing[0].date, d("2026-06-01"));

    // another period: nothing happened, but the leaders are listed
    let empty = store.scoped(&w.city).leader_table(d("2025-01-01"), d("2025-12-31")).await.unwrap();
    assert_eq!(empty.items.len(), 3);
    assert!(empty.items.iter().all(|r| r.figures.signed == 0 && r.figures.created == 0));
    // the bulletin freezes it as JSON and reads it back
    let json = serde_json::to_string(&t).unwrap();
    let back: store::assessment::leaders::LeaderTable = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t);
});

db_test!(a_unit_sees_its_leaders_and_the_city_leaders_of_its_projects, |store| {
    let w = world(&store).await;
    let (from, to) = (d("2026-01-01"), d("2026-12-31"));
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let t = store.scoped(&js).leader_table(from, to).await.unwrap();
    assert_eq!(t.items.iter().map(|r| r.leader_id).collect::<Vec<_>>(), [w.mayor, w.zhang]);
    let eq = actor(&store, Role::Leader, "erqi");
    let t = store.scoped(&eq).leader_table(from, to).await.unwrap();
    assert_eq!(t.items.iter().map(|r| r.leader_id).collect::<Vec<_>>(), [w.li]);
    let dept = actor(&store, Role::DeptStaff, "ziranziyuan");
    assert!(matches!(store.scoped(&dept).leader_table(from, to).await, Err(StoreError::Forbidden)));
    let back = store.scoped(&w.city).leader_table(to, from).await.unwrap_err();
    assert!(matches!(back, StoreError::Validation(ref v) if v[0].field == "to"), "{back:?}");
});
