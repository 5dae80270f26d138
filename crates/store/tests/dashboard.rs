//! The dashboard's figures (工作台): exact sums, and only what the caller's scope allows.
//! Each test runs on SQLite and on PostgreSQL.

use domain::{Money, Role, Stage};
use store::funds::NewFunds;
use store::projects::ProjectInput;
use store::testing::fixtures::{actor, created, d, m, project, to};
use store::{Actor, db_test};

fn input(name: &str, unit: &str, industry: &str, region: &str, total: &str) -> ProjectInput {
    let base = project(name, unit, total);
    ProjectInput { industry: industry.into(), region: region.into(), created_on: Some(d("2024-01-05")), ..base }
}

db_test!(dashboard_sums_exactly_within_scope, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let a = created(&store, &city, input("金水终端", "jinshui", "electronics.terminal", "yangtze", "1000.10")).await;
    let b = created(&store, &city, input("金水物流", "jinshui", "logistics.cold_chain", "bohai", "200.20")).await;
    let c = created(&store, &city, input("二七汽车", "erqi", "automotive.parts", "yangtze", "30000.33")).await;
    // a signed in 2026, b signed in 2025; c signed and started in 2026
    store.scoped(&city).transition_project(a.id, to(Stage::Signed, "2026-03-01")).await.unwrap();
    store.scoped(&city).transition_project(b.id, to(Stage::Signed, "2025-06-01")).await.unwrap();
    let mut jump = to(Stage::Started, "2026-05-01");
    jump.skipped_dates.insert(Stage::Signed, d("2026-02-01"));
    jump.skipped_dates.insert(Stage::Approved, d("2026-04-01"));
    store.scoped(&city).transition_project(c.id, jump).await.unwrap();
    let funds = |date: &str, kind: &str, amount: &str| NewFunds {
        date: d(date),
        kind: kind.into(),
        amount: m(amount),
        note: None,
    };
    // accepted (entered by the city)
    store.scoped(&city).add_funds(a.id, funds("2026-04-10", "domestic_out_of_province", "100.01")).await.unwrap();
    store.scoped(&city).add_funds(a.id, funds("2025-04-10", "domestic_out_of_province", "50.00")).await.unwrap();
    store.scoped(&city).add_funds(a.id, funds("2025-12-10", "domestic_out_of_province", "7.00")).await.unwrap(); // after the same day last year
    store.scoped(&city).add_funds(c.id, funds("2026-06-01", "domestic_out_of_province", "999.99")).await.unwrap();
    store.scoped(&city).add_funds(c.id, funds("2026-06-02", "foreign", "12.5")).await.unwrap();
    // submitted by the unit: not counted until accepted
    store.scoped(&js).add_funds(b.id, funds("2026-05-05", "domestic_out_of_province", "1.00")).await.unwrap();

    let today = d("2026-11-27");
    let all = store.scoped(&city).dashboard(today).await.unwrap();
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
    let mine = store.scoped(&js).dashboard(today).await.unwrap();
    assert_eq!(mine.total.count, 2);
    assert_eq!(mine.total.investment, m("1200.30"));
    assert_eq!(mine.funds_this_year.domestic, m("100.01"));
    assert_eq!(mine.funds_this_year.foreign, Money::ZERO);
    let tree = store.unit_tree();
    assert!(mine.by_unit.iter().all(|(u, _)| tree.get(*u).unwrap().code == "jinshui"));
    assert!(mine.recent.iter().all(|r| r.project_name.starts_with("金水")));
    assert!(mine.by_industry.iter().all(|(c, _)| c != "automotive"));

    let theirs = store.scoped(&eq).dashboard(today).await.unwrap();
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
    assert!(matches!(store.scoped(&auditor).dashboard(d("2026-11-27")).await, Err(store::StoreError::Forbidden)));
});

db_test!(dashboard_counts_what_the_city_accepted, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let a = created(&store, &city, input("金水甲", "jinshui", "electronics.terminal", "yangtze", "100.00")).await;
    let b = created(&store, &city, input("金水乙", "jinshui", "electronics.terminal", "yangtze", "200.00")).await;
    let gone = created(&store, &city, input("金水丙", "jinshui", "logistics.cold_chain", "bohai", "5000.00")).await;
    store.scoped(&city).transition_project(a.id, to(Stage::Signed, "2026-03-01")).await.unwrap();
    let mut stop = to(Stage::Terminated, "2026-04-01");
    stop.reason = Some("投资方撤资".into());
    store.scoped(&city).transition_project(gone.id, stop).await.unwrap();
    let today = d("2026-11-27");
    let before = store.scoped(&city).dashboard(today).await.unwrap();
    assert_eq!(before.total.count, 2, "在库 leaves the terminated project out");
    assert_eq!(before.total.investment, m("300.00"));
    assert_eq!(before.signed_this_year.count, 1);

    // the unit claims 签约 for b; the city has not reviewed it
    store.scoped(&js).transition_project(b.id, to(Stage::Signed, "2026-05-01")).await.unwrap();
    let after = store.scoped(&city).dashboard(today).await.unwrap();
    assert_eq!(after.signed_this_year, before.signed_this_year, "an unreviewed claim does not count");
    assert_eq!(after.signed_claimed_this_year.count, 1, "it is shown apart, as claimed");
    assert_eq!(after.signed_claimed_this_year.investment, m("200.00"));
    assert_eq!(after.claims_pending, 1);
    let stage = |x: &store::dashboard::Dashboard, s: Stage| x.by_stage.iter().find(|(y, _)| *y == s).unwrap().1.count;
    assert_eq!(stage(&after, Stage::Signed), 1, "b stays at its accepted stage");
    assert_eq!(stage(&after, Stage::Reserve), 1);
    assert_eq!(after.total.count, 2);
    assert!(after.by_unit.iter().all(|(_, t)| t.investment != m("5300.00")), "no terminated money by unit");
    assert!(after.top_projects.iter().all(|p| p.id != gone.id));
    assert_eq!(after.top_projects.first().map(|p| p.id), Some(b.id));
    assert_eq!(after.top_projects.first().map(|p| p.stage), Some(Stage::Reserve));
    let claim = after.recent.iter().find(|r| r.project_id == b.id).unwrap();
    assert!(claim.pending);

    // once the city itself records the signing, it counts
    store.scoped(&city).transition_project(b.id, to(Stage::Approved, "2026-06-01")).await.unwrap();
    let accepted = store.scoped(&city).dashboard(today).await.unwrap();
    assert_eq!(accepted.signed_this_year.count, 2);
    assert_eq!(accepted.signed_claimed_this_year.count, 0);
    assert_eq!(accepted.claims_pending, 0);
});

db_test!(dashboard_recent_changes_follow_the_event_date, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let a = created(&store, &city, input("较早录入", "jinshui", "electronics.terminal", "yangtze", "1.00")).await;
    let b = created(&store, &city, input("后补录入", "jinshui", "electronics.terminal", "yangtze", "1.00")).await;
    // entered first, but the later event; then an older event entered afterwards
    store.scoped(&city).transition_project(a.id, to(Stage::Negotiating, "2026-09-01")).await.unwrap();
    store.scoped(&city).transition_project(b.id, to(Stage::Negotiating, "2026-02-01")).await.unwrap();
    let dash = store.scoped(&city).dashboard(d("2026-11-27")).await.unwrap();
    let order: Vec<i64> = dash.recent.iter().map(|r| r.project_id).collect();
    assert_eq!(order, vec![a.id, b.id], "by the event's date, newest first");
});

db_test!(dashboard_of_a_department_lists_its_tasks, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let dept = actor(&store, Role::DeptStaff, "ziranziyuan");
    let other = actor(&store, Role::DeptStaff, "fagai");
    let p = created(&store, &city, input("用地项目", "jinshui", "electronics.terminal", "yangtze", "10.00")).await;
    let q = created(&store, &city, input("无任务项目", "erqi", "electronics.terminal", "yangtze", "10.00")).await;
    for (title, due) in
        [("办理用地预审", Some(d("2026-12-20"))), ("供地方案", Some(d("2026-12-10"))), ("规划许可", None)]
    {
        store::testing::fixtures::dept_task(&store, p.id, &dept, title, due).await;
    }
    let tasks = store.scoped(&dept).dept_tasks().await.unwrap();
    assert_eq!(tasks.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(), ["供地方案", "办理用地预审", "规划许可"]);
    assert!(tasks.iter().all(|t| t.project_id == p.id && t.project_name == "用地项目"));
    assert!(store.scoped(&other).dept_tasks().await.unwrap().is_empty(), "another department's tasks are not shown");
    assert!(store.scoped(&city).dept_tasks().await.unwrap().is_empty());
    let dash = store.scoped(&dept).dashboard(d("2026-11-27")).await.unwrap();
    assert_eq!(dash.total.count, 1, "only the project carrying the department's task");
    assert!(dash.top_projects.iter().all(|t| t.id != q.id));
});

db_test!(ledger_pending_claims_are_counted_apart, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let a = created(&store, &city, input("待审甲", "jinshui", "electronics.terminal", "yangtze", "12.34")).await;
    created(&store, &city, input("已审乙", "jinshui", "electronics.terminal", "yangtze", "1.00")).await;
    store.scoped(&js).transition_project(a.id, to(Stage::Signed, "2026-05-01")).await.unwrap();
    let f = store::projects::ProjectFilter { stage: Some(Stage::Signed), ..Default::default() };
    let t = store.scoped(&city).pending_claims(&f).await.unwrap();
    assert_eq!((t.count, t.investment), (1, m("12.34")));
    let all = store.scoped(&js).pending_claims(&Default::default()).await.unwrap();
    assert_eq!(all.count, 1);
    let eq = actor(&store, Role::UnitStaff, "erqi");
    assert_eq!(store.scoped(&eq).pending_claims(&Default::default()).await.unwrap().count, 0, "scoped");
});
