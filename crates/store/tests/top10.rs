//! 十大重大招商引资项目 (assessment.md, Top-10): the candidates (accepted signing or later in
//! the year, sorted), city_admin's pick of exactly ten (422 per the domain's check, 403 for
//! a unit, 409 once a bulletin of the year is published, audited), the counts per assessed
//! unit. Each test runs on SQLite and on PostgreSQL.

use domain::{Role, Stage};
use sea_orm::{ActiveModelTrait, Set};
use store::testing::fixtures::{accept_all, actor, audits, created, d, empty_run, project, to, year_bulletin};
use store::{Actor, Store, StoreError, db_test};

/// A project of `unit` (a unit user's) signed on `signed`, the claim accepted when `accept`.
async fn signed(store: &Store, city: &Actor, unit: &str, name: &str, total: &str, signed: &str, accept: bool) -> i64 {
    let who = actor(store, Role::UnitStaff, unit);
    let p = created(store, &who, project(name, unit, total)).await;
    store.scoped(&who).transition_project(p.id, to(Stage::Signed, signed)).await.unwrap();
    if accept {
        accept_all(store, city, p.id).await;
    }
    p.id
}

fn fields(e: StoreError) -> Vec<String> {
    match e {
        StoreError::Validation(v) => v.into_iter().map(|f| f.field).collect(),
        other => panic!("not a validation error: {other:?}"),
    }
}

/// Twelve accepted signings of 2026 over two districts, a started one, one waiting, one of
/// 2025; returns the ids of the twelve.
async fn setup(store: &Store, city: &Actor) -> Vec<i64> {
    let mut ids = vec![];
    for i in 0..12 {
        let unit = if i % 2 == 0 { "jinshui" } else { "erqi" };
        let total = format!("{}", 1000 + i * 100);
        ids.push(signed(store, city, unit, &format!("项目{i:02}"), &total, "2026-03-01", true).await);
    }
    // the smallest one also started in the year (accepted): it is listed first
    let unit = actor(store, Role::UnitStaff, "jinshui");
    let mut t = to(Stage::Started, "2026-05-01");
    t.skipped_dates.insert(Stage::Approved, d("2026-04-01"));
    store.scoped(&unit).transition_project(ids[0], t).await.unwrap();
    accept_all(store, city, ids[0]).await;
    ids
}

db_test!(candidates_are_accepted_signings_of_the_year_sorted, |store| {
    let city = actor(&store, Role::CityAdmin, "zhengzhou");
    let ids = setup(&store, &city).await;
    let waiting = signed(&store, &city, "jinshui", "待审核", "99999", "2026-06-01", false).await;
    let last_year = signed(&store, &city, "jinshui", "去年签约", "99999", "2025-06-01", true).await;
    let c = store.scoped(&city).top10_candidates(2026).await.unwrap();
    let got: Vec<i64> = c.iter().map(|c| c.project_id).collect();
    assert!(!got.contains(&waiting), "a submitted signing is no candidate");
    assert!(!got.contains(&last_year));
    assert_eq!(got.len(), 12);
    assert_eq!(got[0], ids[0], "the started one first");
    assert_eq!(c[0].stage, Stage::Started);
    assert_eq!(c[0].stage_on, d("2026-05-01"));
    // then by total investment, largest first
    let rest: Vec<i64> = ids[1..].iter().rev().copied().collect();
    assert_eq!(&got[1..], &rest[..]);
    assert!(c.iter().all(|c| c.picked.is_none() && !c.four_ones.complete));
    assert_eq!(c[1].unit, "erqi");
    // 2025: only last year's signing
    let c25 = store.scoped(&city).top10_candidates(2025).await.unwrap();
    assert_eq!(c25.iter().map(|c| c.project_id).collect::<Vec<_>>(), [last_year]);
    assert!(matches!(store.scoped(&city).top10_candidates(1990).await, Err(StoreError::Validation(_))));
});

db_test!(the_pick_is_exactly_ten_candidates_with_citations, |store| {
    let city = actor(&store, Role::CityAdmin, "zhengzhou");
    let ids = setup(&store, &city).await;
    let outsider = signed(&store, &city, "jinshui", "去年签约", "500", "2025-06-01", true).await;
    let pick = |ids: &[i64]| ids.iter().map(|id| (*id, format!("理由{id}"))).collect::<Vec<_>>();
    let s = store.scoped(&city);
    for n in [9, 11] {
        let e = s.pick_top10(2026, pick(&ids[..n])).await.unwrap_err();
        assert_eq!(fields(e), ["picks"], "{n}");
    }
    let mut dup = pick(&ids[..9]);
    dup.push((ids[0], "再来".into()));
    assert_eq!(fields(s.pick_top10(2026, dup).await.unwrap_err()), ["picks"]);
    let mut foreign = pick(&ids[..9]);
    foreign.push((outsider, "去年的".into()));
    assert_eq!(fields(s.pick_top10(2026, foreign).await.unwrap_err()), ["picks[9].project_id"]);
    let mut bare = pick(&ids[..10]);
    bare[4].1 = " ".into();
    assert_eq!(fields(s.pick_top10(2026, bare).await.unwrap_err()), ["picks[4].citation"]);
    assert!(s.top10_picks(2026).await.unwrap().is_empty(), "nothing saved by a refusal");

    let saved = s.pick_top10(2026, pick(&ids[2..12])).await.unwrap();
    assert_eq!(saved.len(), 10);
    assert_eq!(saved[0].position, 1);
    assert_eq!(saved[0].project_id, ids[2]);
    assert_eq!(saved[0].citation, format!("理由{}", ids[2]));
    // a second pick replaces the first
    let again = s.pick_top10(2026, pick(&ids[..10])).await.unwrap();
    assert_eq!(again.iter().map(|p| p.project_id).collect::<Vec<_>>(), ids[..10]);
    assert_eq!(s.top10_picks(2026).await.unwrap(), again);
    let c = s.top10_candidates(2026).await.unwrap();
    let first = c.iter().find(|c| c.project_id == ids[0]).unwrap();
    assert_eq!(first.picked.as_ref().map(|p| p.position), Some(1));
    assert!(c.iter().find(|c| c.project_id == ids[11]).unwrap().picked.is_none());

    let log = audits(&store, "top10.pick", 2026).await;
    assert_eq!(log.len(), 2);
    let before = log[1].before.as_deref().unwrap_or("");
    assert!(before.contains(&format!("理由{}", ids[2])), "{before}");

    // ten picks: five of 金水区, five of 二七区
    let counts = s.top10_counts(2026).await.unwrap();
    assert_eq!(counts.get("jinshui"), Some(&5));
    assert_eq!(counts.get("erqi"), Some(&5));
    assert_eq!(counts.get("zhongyuan"), Some(&0));
});

db_test!(a_unit_sees_its_own_candidates_and_cannot_pick, |store| {
    let city = actor(&store, Role::CityAdmin, "zhengzhou");
    let ids = setup(&store, &city).await;
    let unit = actor(&store, Role::UnitStaff, "jinshui");
    let mine = store.scoped(&unit).top10_candidates(2026).await.unwrap();
    assert_eq!(mine.len(), 6);
    assert!(mine.iter().all(|c| c.unit == "jinshui"));
    let pick: Vec<(i64, String)> = ids[..10].iter().map(|id| (*id, "x".to_string())).collect();
    assert!(matches!(store.scoped(&unit).pick_top10(2026, pick.clone()).await, Err(StoreError::Forbidden)));
    let dept = actor(&store, Role::DeptStaff, "ziranziyuan");
    assert!(matches!(store.scoped(&dept).top10_candidates(2026).await, Err(StoreError::Forbidden)));
    store.scoped(&city).pick_top10(2026, pick).await.unwrap();
    let seen = store.scoped(&unit).top10_picks(2026).await.unwrap();
    assert_eq!(seen.len(), 5);
    assert!(seen.iter().all(|p| p.unit == "jinshui"));
    assert_eq!(store.scoped(&unit).top10_counts(2026).await.unwrap().len(), 1);
});

db_test!(a_published_bulletin_freezes_the_year, |store| {
    use store::entity::bulletin;
    let city = actor(&store, Role::CityAdmin, "zhengzhou");
    let ids = setup(&store, &city).await;
    let pick: Vec<(i64, String)> = ids[..10].iter().map(|id| (*id, "入选".to_string())).collect();
    store.scoped(&city).pick_top10(2026, pick.clone()).await.unwrap();
    assert!(!store.scoped(&city).top10_frozen(2026).await.unwrap());
    let run = empty_run(&store, "2026年度考核", 2026).await;
    let b = year_bulletin(&store, run.id, "郑商通〔2026〕1号", 2026, "draft").await;
    // a draft freezes nothing
    assert!(!store.scoped(&city).top10_frozen(2026).await.unwrap());
    let mut published: bulletin::ActiveModel = b.into();
    published.state = Set("published".into());
    published.update(store.db()).await.unwrap();
    assert!(store.scoped(&city).top10_frozen(2026).await.unwrap());
    assert!(!store.scoped(&city).top10_frozen(2025).await.unwrap());
    match store.scoped(&city).pick_top10(2026, pick).await {
        Err(StoreError::Conflict(m)) => assert!(m.contains("冻结"), "{m}"),
        other => panic!("{other:?}"),
    }
});

db_test!(a_candidate_shows_its_investors_best_ranks_and_its_four_ones, |store| {
    use store::companies::NewCompany;
    use store::four_ones::{MilestoneInput, NewMember};
    let city = actor(&store, Role::CityAdmin, "zhengzhou");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let company = |name: &str, fg: Option<i32>, cn: Option<i32>, leader: bool| NewCompany {
        name: name.into(),
        country: "中国".into(),
        fortune_global_500_rank: fg,
        china_500_rank: cn,
        industry_leader: leader,
        ..Default::default()
    };
    let a = store.scoped(&city).create_company(company("甲集团", Some(88), Some(30), false)).await.unwrap();
    let b = store.scoped(&city).create_company(company("乙科技", None, Some(5), true)).await.unwrap();
    let mut input = project("甲乙合资项目", "jinshui", "50000");
    input.investor_ids = vec![a.id, b.id];
    let p = created(&store, &js, input).await;
    store.scoped(&js).transition_project(p.id, to(Stage::Signed, "2026-02-01")).await.unwrap();
    accept_all(&store, &city, p.id).await;
    let plan =
        MilestoneInput {
            title: Some("完成供地".into()), due_on: Some(Some(d("2026-06-30"))), ..Default::default()
        };
    store.scoped(&js).create_milestone(p.id, plan, d("2026-02-01")).await.unwrap();
    let lead = NewMember { name: "王五".into(), position: None, role: None, is_leader: true };
    store.scoped(&js).set_team(p.id, vec![lead]).await.unwrap();
    let plain = signed(&store, &city, "jinshui", "无投资方项目", "100", "2026-02-01", true).await;

    let c = store.scoped(&city).top10_candidates(2026).await.unwrap();
    assert_eq!(c.iter().map(|c| c.project_id).collect::<Vec<_>>(), [p.id, plain]);
    let r = &c[0].investors;
    assert_eq!(
        (r.fortune_global_500, r.china_500, r.china_private_500, r.industry_leader),
        (Some(88), Some(5), None, true)
    );
    assert_eq!(r.text(), "世界500强第88位、中国500强第5位、行业领军");
    let f = &c[0].four_ones;
    assert!(f.action_plan && f.work_team && !f.case_file && !f.complete, "{f:?}");
    assert_eq!(c[1].investors.text(), "—");
    assert!(!c[1].four_ones.action_plan && !c[1].four_ones.work_team);
});
