//! The dashboard's figures (工作台): exact sums, and only what the caller's scope allows.
//! Each test runs on SQLite and on PostgreSQL.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::{Money, Role, Stage};
use store::funds::NewFunds;
use store::projects::{ProjectInput, TransitionInput};
use store::{Actor, Store, db_test};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn actor(store: &Store, role: Role, code: &str) -> Actor {
    let tree = store.unit_tree();
    let u = tree.find(code).unwrap().id;
    Actor {
        user_id: None,
        username: format!("{code}_{}", role.code()),
        roles: vec![role],
        unit_id: Some(u),
        scope: tree.scope_for(&[role], Some(u)),
        address: None,
        request_id: None,
    }
}

fn input(name: &str, unit: &str, industry: &str, region: &str, total: &str) -> ProjectInput {
    ProjectInput {
        name: name.into(),
        unit: unit.into(),
        industry: industry.into(),
        region: region.into(),
        total_investment: Money::parse(total).unwrap(),
        created_on: Some(d("2024-01-05")),
        ..Default::default()
    }
}

fn to(stage: Stage, date: &str) -> TransitionInput {
    TransitionInput {
        to: stage,
        date: d(date),
        skipped_dates: BTreeMap::new(),
        note: None,
        reason: None,
        version: None,
    }
}

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

db_test!(dashboard_sums_exactly_within_scope, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let a = store
        .create_project(&city, input("金水终端", "jinshui", "electronics.terminal", "yangtze", "1000.10"))
        .await
        .unwrap();
    let b = store
        .create_project(&city, input("金水物流", "jinshui", "logistics.cold_chain", "bohai", "200.20"))
        .await
        .unwrap();
    let c = store
        .create_project(&city, input("二七汽车", "erqi", "automotive.parts", "yangtze", "30000.33"))
        .await
        .unwrap();
    // a signed in 2026, b signed in 2025; c signed and started in 2026
    store.transition_project(&city, a.id, to(Stage::Signed, "2026-03-01")).await.unwrap();
    store.transition_project(&city, b.id, to(Stage::Signed, "2025-06-01")).await.unwrap();
    let mut jump = to(Stage::Started, "2026-05-01");
    jump.skipped_dates.insert(Stage::Signed, d("2026-02-01"));
    jump.skipped_dates.insert(Stage::Approved, d("2026-04-01"));
    store.transition_project(&city, c.id, jump).await.unwrap();
    let funds = |date: &str, kind: &str, amount: &str| NewFunds {
        date: d(date),
        kind: kind.into(),
        amount: m(amount),
        note: None,
    };
    // accepted (entered by the city)
    store.add_funds(&city, a.id, funds("2026-04-10", "domestic_out_of_province", "100.01")).await.unwrap();
    store.add_funds(&city, a.id, funds("2025-04-10", "domestic_out_of_province", "50.00")).await.unwrap();
    store.add_funds(&city, a.id, funds("2025-12-10", "domestic_out_of_province", "7.00")).await.unwrap(); // after the same day last year
    store.add_funds(&city, c.id, funds("2026-06-01", "domestic_out_of_province", "999.99")).await.unwrap();
    store.add_funds(&city, c.id, funds("2026-06-02", "foreign", "12.5")).await.unwrap();
    // submitted by the unit: not counted until accepted
    store.add_funds(&js, b.id, funds("2026-05-05", "domestic_out_of_province", "1.00")).await.unwrap();

    let today = d("2026-11-27");
    let all = store.dashboard(&city, today).await.unwrap();
    assert_eq!(all.total.count, 3);
    assert_eq!(all.total.investment, m("31200.63"));
    assert_eq!(all.signed_this_year.count, 2, "a (2026-03-01) and c (skipped, dated 2026-02-01); not b (2025)");
    assert_eq!(all.signed_this_year.investment, m("31000.43"));
    assert_eq!(all.funds_this_year.domestic, m("1100.00"));
    assert_eq!(all.funds_this_year.foreign, m("12.50"));
    assert_eq!(all.funds_last_year.domestic, m("50.00"), "1 Jan to 27 Nov 2025 only");
    let stage = |d: &store::dashboard::Dashboard, s: Stage| d.by_stage.iter().find(|(x, _)| *x == s).unwrap().1.count;
    assert_eq!(stage(&all, Stage::Signed), 2);
    assert_eq!(stage(&all, Stage::Started), 1);
    assert_eq!(all.by_stage.len(), 9, "every stage is listed, zeros included");
    assert_eq!(all.by_industry.first().map(|(c, _)| c.as_str()), Some("automotive"));
    assert_eq!(all.funds_by_month.len(), 24);
    assert_eq!(all.funds_by_month.last().unwrap().0, "2026-11");
    let june = all.funds_by_month.iter().find(|(mo, _)| mo == "2026-06").unwrap();
    assert_eq!(june.1.domestic, m("999.99"));
    assert_eq!(june.1.foreign, m("12.50"));
    assert!(all.recent.len() >= 3);

    // 金水区 sees only its two projects and their money — never 二七区's
    let mine = store.dashboard(&js, today).await.unwrap();
    assert_eq!(mine.total.count, 2);
    assert_eq!(mine.total.investment, m("1200.30"));
    assert_eq!(mine.funds_this_year.domestic, m("100.01"));
    assert_eq!(mine.funds_this_year.foreign, Money::ZERO);
    let tree = store.unit_tree();
    assert!(mine.by_unit.iter().all(|(u, _)| tree.get(*u).unwrap().code == "jinshui"));
    assert!(mine.recent.iter().all(|r| r.project_name.starts_with("金水")));
    assert!(mine.by_industry.iter().all(|(c, _)| c != "automotive"));

    let theirs = store.dashboard(&eq, today).await.unwrap();
    assert_eq!(theirs.total.count, 1);
    assert_eq!(theirs.total.investment, m("30000.33"));
    assert_eq!(theirs.signed_this_year.count, 1, "c's skipped signing date 2026-02-01 counts");
});

db_test!(dashboard_refuses_roles_without_a_business_scope, |store| {
    let tree = store.unit_tree();
    let auditor = Actor {
        user_id: None,
        username: "aud".into(),
        roles: vec![Role::Auditor],
        unit_id: None,
        scope: tree.scope_for(&[Role::Auditor], None),
        address: None,
        request_id: None,
    };
    assert!(matches!(store.dashboard(&auditor, d("2026-11-27")).await, Err(store::StoreError::Forbidden)));
});
