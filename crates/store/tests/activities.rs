//! 招商活动 (domain.md §6): an activity of a unit with its leaders of the register, the
//! companies met, the targets contacted and the projects created or signed, scoped by the
//! organising unit and audited; and the assessment's measures (assessment.md:
//! `leader_visits_500`, `leader_talks`) equal to a hand count on a fixture, with the records
//! counted. Each test runs on SQLite and on PostgreSQL.

use domain::Role;
use domain::activity::{ActivityKind, ActivityMeasure};
use domain::leader::LeaderLevel;
use store::activities::{ActivityFilter, ActivityInput, ActivityPatch};
use store::companies::NewCompany;
use store::leaders::LeaderInput;
use store::targets::TargetInput;
use store::testing::fixtures::{activity, actor, audits, created, d, m, project};
use store::{Actor, Store, StoreError, db_test};

async fn leader(store: &Store, who: &Actor, name: &str, unit: &str, level: LeaderLevel) -> i64 {
    let input = LeaderInput { name: name.into(), position: "领导".into(), unit: unit.into(), level };
    store.scoped(who).create_leader(input).await.unwrap().id
}

async fn company(store: &Store, who: &Actor, name: &str, fg500: Option<i32>, c500: Option<i32>, leader: bool) -> i64 {
    let new = NewCompany {
        name: name.into(),
        country: "中国".into(),
        fortune_global_500_rank: fg500,
        china_500_rank: c500,
        industry_leader: leader,
        leader_reason: leader.then(|| "细分领域龙头".into()),
        ..Default::default()
    };
    store.scoped(who).create_company(new).await.unwrap().id
}

fn fields(e: &StoreError) -> Vec<&str> {
    match e {
        StoreError::Validation(f) => f.iter().map(|e| e.field.as_str()).collect(),
        _ => vec![],
    }
}

db_test!(an_activity_records_who_led_whom_it_met_and_what_came_of_it, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let dept = actor(&store, Role::DeptStaff, "ziranziyuan");
    let lead = actor(&store, Role::Leader, "jinshui");
    let chief = leader(&store, &js, "张伟", "jinshui", LeaderLevel::UnitChief).await;
    let deputy = leader(&store, &js, "李强", "jinshui", LeaderLevel::UnitDeputy).await;
    let mayor = leader(&store, &city, "王市长", "zhengzhou", LeaderLevel::CityLeader).await;
    let erqi_chief = leader(&store, &eq, "赵六", "erqi", LeaderLevel::UnitChief).await;
    let byd = company(&store, &city, "比亚迪股份有限公司", Some(143), Some(20), false).await;
    let plain = company(&store, &city, "深圳某某科技有限公司", None, None, false).await;
    let ti =
        TargetInput { company_id: byd, unit: "jinshui".into(), industry: "electronics".into(), ..Default::default() };
    let target = store.scoped(&js).create_target(ti).await.unwrap().id;
    let p = created(&store, &js, project("比亚迪电池包项目", "jinshui", "300000")).await;
    let other = created(&store, &eq, project("二七物流园项目", "erqi", "5000")).await;

    let good = ActivityInput {
        end_on: Some(d("2026-03-12")),
        leader_ids: vec![deputy, chief],
        company_ids: vec![byd, plain],
        target_ids: vec![target],
        intentions: Some(2),
        intention_notes: Some("电池包、储能两个项目达成初步意向".into()),
        signed_project_ids: vec![p.id],
        cost: Some(m("12.50")),
        participants: Some("区商务局、投促中心".into()),
        ..activity("赴深圳拜访比亚迪总部", ActivityKind::LeaderVisit, "2026-03-10", "jinshui")
    };
    // every bad field at once
    let bad = ActivityInput {
        title: " ".into(),
        region: "mars".into(),
        end_on: Some(d("2026-03-01")),
        leader_ids: vec![erqi_chief, 987_654],
        target_ids: vec![987_654],
        project_ids: vec![other.id, p.id],
        signed_project_ids: vec![p.id],
        intentions: Some(-1),
        ..good.clone()
    };
    let e = store.scoped(&js).create_activity(bad).await.unwrap_err();
    let mut f = fields(&e);
    f.sort_unstable();
    f.dedup();
    assert_eq!(
        f,
        ["end_on", "intentions", "leader_ids", "project_ids", "region", "signed_project_ids", "target_ids", "title"],
        "{e:?}"
    );
    let higher = ActivityInput { leader_level: Some(LeaderLevel::CityLeader), ..good.clone() };
    assert_eq!(
        fields(&store.scoped(&js).create_activity(higher).await.unwrap_err()),
        ["leader_level"],
        "not above its leaders"
    );
    let elsewhere = ActivityInput { unit: "erqi".into(), ..good.clone() };
    assert!(matches!(store.scoped(&js).create_activity(elsewhere).await, Err(StoreError::Forbidden)));
    for who in [&dept, &lead] {
        assert!(
            matches!(store.scoped(who).create_activity(good.clone()).await, Err(StoreError::Forbidden)),
            "{}",
            who.username
        );
    }

    let a = store.scoped(&js).create_activity(good).await.unwrap();
    assert_eq!((a.leader_level.as_str(), a.end_on, a.country.as_str()), ("unit_chief", d("2026-03-12"), "中国"));
    assert_eq!(
        (a.leader_ids.clone(), a.company_ids.len(), a.target_ids.clone()),
        (vec![chief, deputy], 2, vec![target])
    );
    assert_eq!(
        (a.signed_project_ids.clone(), a.project_ids.len(), a.projects[0].outcome.as_str()),
        (vec![p.id], 0, "signed")
    );
    assert_eq!(a.cost.map(|c| c.to_string()).as_deref(), Some("12.50"));
    let met: Vec<(bool, &str)> = a.companies.iter().map(|c| (c.ranked, c.standing.as_str())).collect();
    assert_eq!(met, [(true, "世界500强第143位、中国500强第20位"), (false, "")]);
    assert_eq!(audits(&store, "activity.create", a.id).await.len(), 1);

    // scope: the organising unit's; the city sees every unit's; a department none
    assert!(matches!(store.scoped(&eq).get_activity(a.id).await, Err(StoreError::Forbidden)));
    assert!(matches!(store.scoped(&js).get_activity(987_654).await, Err(StoreError::NotFound)));
    assert!(matches!(
        store.scoped(&dept).list_activities(&ActivityFilter::default()).await,
        Err(StoreError::Forbidden)
    ));
    assert_eq!(store.scoped(&lead).get_activity(a.id).await.unwrap().attachments.map(|v| v.len()), Some(0));
    let mayor_visit = ActivityInput {
        leader_ids: vec![mayor],
        ..activity("市领导会见来访客商", ActivityKind::Exchange, "2026-04-02", "erqi")
    };
    let b = store.scoped(&eq).create_activity(mayor_visit).await.unwrap();
    assert_eq!(b.leader_level, "city_leader", "a city leader leads any unit's activity");
    let mine = store.scoped(&js).list_activities(&ActivityFilter::default()).await.unwrap();
    assert_eq!(mine.items.iter().map(|x| x.id).collect::<Vec<_>>(), [a.id]);
    let all = store.scoped(&city).list_activities(&ActivityFilter::default()).await.unwrap();
    assert_eq!(all.items.iter().map(|x| x.id).collect::<Vec<_>>(), [b.id, a.id], "the latest first");
    let q = |f: ActivityFilter| {
        let s = store.scoped(&city);
        async move { s.list_activities(&f).await.unwrap().items.into_iter().map(|x| x.id).collect::<Vec<_>>() }
    };
    assert_eq!(q(ActivityFilter { kind: Some(ActivityKind::Exchange), ..Default::default() }).await, [b.id]);
    assert_eq!(q(ActivityFilter { leader_id: Some(chief), ..Default::default() }).await, [a.id]);
    assert_eq!(q(ActivityFilter { company_id: Some(plain), ..Default::default() }).await, [a.id]);
    // on any day of the period: 10–12 March overlaps 12–31 March
    assert_eq!(
        q(ActivityFilter { from: Some(d("2026-03-12")), to: Some(d("2026-03-31")), ..Default::default() }).await,
        [a.id]
    );
    assert!(
        q(ActivityFilter { from: Some(d("2026-03-13")), to: Some(d("2026-03-31")), ..Default::default() })
            .await
            .is_empty()
    );
    assert_eq!(q(ActivityFilter { unit: Some("erqi".into()), ..Default::default() }).await, [b.id]);

    // a change: at the version read; new leaders set the level again; audited with before
    let patch = ActivityPatch { version: a.version + 1, leader_ids: Some(vec![deputy]), ..Default::default() };
    assert!(matches!(store.scoped(&js).update_activity(a.id, patch).await, Err(StoreError::Conflict(_))));
    let patch = ActivityPatch { version: a.version, ..Default::default() };
    assert!(matches!(store.scoped(&eq).update_activity(a.id, patch).await, Err(StoreError::Forbidden)));
    let patch =
        ActivityPatch { version: a.version, leader_ids: Some(vec![deputy]), cost: Some(None), ..Default::default() };
    let a2 = store.scoped(&js).update_activity(a.id, patch).await.unwrap();
    assert_eq!((a2.leader_level.as_str(), a2.cost, a2.version), ("unit_deputy", None, a.version + 1));
    assert_eq!(a2.company_ids.len(), 2, "a list not given stays");
    let rec = audits(&store, "activity.update", a.id).await;
    assert!(rec.len() == 1 && rec[0].before.as_deref().is_some_and(|b| b.contains("unit_chief")));
    // staff only, the level given directly
    let staff = ActivityInput {
        leader_level: Some(LeaderLevel::Staff),
        ..activity("赴苏州对接", ActivityKind::TeamTrip, "2026-05-01", "jinshui")
    };
    assert_eq!(store.scoped(&js).create_activity(staff).await.unwrap().leader_level, "staff");
    let none = activity("参加进博会", ActivityKind::Expo, "2026-11-05", "jinshui");
    assert_eq!(store.scoped(&js).create_activity(none).await.unwrap().leader_level, "staff", "none given: staff");
});

/// One fixture activity: title, kind, date, unit, leaders, the level given, companies met.
type Case<'a> = (&'a str, ActivityKind, &'a str, &'a str, Vec<i64>, Option<LeaderLevel>, Vec<i64>);

// The fixture of assessment.md's leader measures, counted by hand: jinshui, first half of 2026.
db_test!(leader_measures_equal_a_hand_count, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let chief = leader(&store, &js, "张伟", "jinshui", LeaderLevel::UnitChief).await;
    let deputy = leader(&store, &js, "李强", "jinshui", LeaderLevel::UnitDeputy).await;
    let mayor = leader(&store, &city, "王市长", "zhengzhou", LeaderLevel::CityLeader).await;
    let erqi_chief = leader(&store, &eq, "赵六", "erqi", LeaderLevel::UnitChief).await;
    let fg500 = company(&store, &city, "世界五百强甲", Some(88), None, false).await;
    let c500 = company(&store, &city, "中国五百强乙", None, Some(300), false).await;
    let leading = company(&store, &city, "行业领军丙", None, None, true).await;
    let private = {
        let new = NewCompany {
            name: "民营五百强丁".into(),
            country: "中国".into(),
            china_private_500_rank: Some(50),
            ..Default::default()
        };
        store.scoped(&city).create_company(new).await.unwrap().id
    };
    let plain = company(&store, &city, "普通企业戊", None, None, false).await;

    let mut ids = std::collections::BTreeMap::new();
    let cases: Vec<Case> = vec![
        // counted as visits
        (
            "A1 区委书记拜访世界500强",
            ActivityKind::LeaderVisit,
            "2026-01-15",
            "jinshui",
            vec![chief],
            None,
            vec![fg500, plain],
        ),
        (
            "A2 市领导带小分队拜访中国500强",
            ActivityKind::TeamTrip,
            "2026-03-03",
            "jinshui",
            vec![mayor, deputy],
            None,
            vec![c500],
        ),
        (
            "A3 主要领导接待行业领军企业",
            ActivityKind::Exchange,
            "2026-06-30",
            "jinshui",
            vec![],
            Some(LeaderLevel::UnitChief),
            vec![leading],
        ),
        // not counted
        (
            "A4 工作人员拜访世界500强",
            ActivityKind::LeaderVisit,
            "2026-02-01",
            "jinshui",
            vec![],
            Some(LeaderLevel::Staff),
            vec![fg500],
        ),
        ("A5 副区长拜访世界500强", ActivityKind::LeaderVisit, "2026-02-10", "jinshui", vec![deputy], None, vec![fg500]),
        ("A6 区委书记洽谈世界500强", ActivityKind::Talks, "2026-04-08", "jinshui", vec![chief], None, vec![fg500]),
        (
            "A7 区委书记拜访非排名企业",
            ActivityKind::LeaderVisit,
            "2026-05-20",
            "jinshui",
            vec![chief],
            None,
            vec![plain, private],
        ),
        (
            "A8 区委书记拜访世界500强（期外）",
            ActivityKind::LeaderVisit,
            "2026-07-01",
            "jinshui",
            vec![chief],
            None,
            vec![fg500],
        ),
        (
            "A9 二七区长拜访世界500强",
            ActivityKind::LeaderVisit,
            "2026-03-20",
            "erqi",
            vec![erqi_chief],
            None,
            vec![fg500],
        ),
        ("A10 副区长洽谈", ActivityKind::Talks, "2026-04-09", "jinshui", vec![deputy], None, vec![]),
        ("A11 区委书记参加展会", ActivityKind::Expo, "2026-04-20", "jinshui", vec![chief], None, vec![fg500]),
    ];
    for (title, kind, on, unit, leader_ids, leader_level, company_ids) in cases {
        let who = if unit == "erqi" { &eq } else { &js };
        let input = ActivityInput { leader_ids, leader_level, company_ids, ..activity(title, kind, on, unit) };
        let a = store.scoped(who).create_activity(input).await.unwrap();
        ids.insert(title.split(' ').next().unwrap().to_string(), a.id);
    }
    let id = |k: &str| ids[k];
    let (from, to) = (d("2026-01-01"), d("2026-06-30"));

    // by hand: A1, A2, A3 are visits led by a city leader or a unit chief that met a ranked company
    let visits =
        store.scoped(&js).activity_measure(ActivityMeasure::LeaderVisits500, "jinshui", from, to).await.unwrap();
    assert_eq!(visits.value, 3);
    assert_eq!(visits.records.iter().map(|r| r.id).collect::<Vec<_>>(), [id("A1"), id("A2"), id("A3")], "by date");
    let a2 = &visits.records[1];
    assert_eq!(a2.leader_level, "city_leader");
    let mut leaders = a2.leaders.clone();
    leaders.sort();
    assert_eq!(leaders, ["李强（领导）", "王市长（领导）"]);
    assert_eq!(a2.ranked_companies.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["中国五百强乙"]);
    assert_eq!(visits.records[0].ranked_companies.len(), 1, "the unranked company is not why A1 counts");
    // by hand: A6 is talks led by the chief; A10 (a deputy's) is not
    let talks = store.scoped(&js).activity_measure(ActivityMeasure::LeaderTalks, "jinshui", from, to).await.unwrap();
    assert_eq!((talks.value, talks.records.iter().map(|r| r.id).collect::<Vec<_>>()), (1, vec![id("A6")]));
    // the city: the whole tree, erqi's A9 too; a unit may not ask for another's
    let all =
        store.scoped(&city).activity_measure(ActivityMeasure::LeaderVisits500, "zhengzhou", from, to).await.unwrap();
    assert_eq!(all.value, 4);
    let erqi = store.scoped(&city).activity_measure(ActivityMeasure::LeaderVisits500, "erqi", from, to).await.unwrap();
    assert_eq!(erqi.records.iter().map(|r| r.id).collect::<Vec<_>>(), [id("A9")]);
    let e = store.scoped(&js).activity_measure(ActivityMeasure::LeaderVisits500, "erqi", from, to).await.unwrap_err();
    assert!(matches!(e, StoreError::Forbidden), "{e:?}");
    let later = store
        .scoped(&js)
        .activity_measure(ActivityMeasure::LeaderVisits500, "jinshui", from, d("2026-07-31"))
        .await
        .unwrap();
    assert_eq!(later.value, 4, "A8 once the period covers it");

    // the counts: by organising unit, with the measures, and by leader
    let c = store.scoped(&city).activity_counts(None, from, to).await.unwrap();
    assert_eq!(c.total, 10, "A8 lies outside the period");
    let js_row = c.by_unit.iter().find(|u| u.unit == "jinshui").unwrap();
    assert_eq!((js_row.total, js_row.leader_visits_500, js_row.leader_talks), (9, 3, 1));
    assert_eq!((js_row.by_kind["leader_visit"], js_row.by_kind["talks"]), (4, 2));
    let by = |l: i64| c.by_leader.iter().find(|x| x.leader_id == l).unwrap();
    assert_eq!((by(chief).total, by(chief).visits_ranked, by(chief).talks), (4, 1, 1), "A1, A6, A7, A11");
    assert_eq!((by(deputy).total, by(deputy).visits_ranked, by(deputy).talks), (3, 2, 1), "A2, A5, A10");
    assert_eq!(c.by_leader[0].leader_id, mayor, "city leaders first");
    let mine = store.scoped(&js).activity_counts(None, from, to).await.unwrap();
    assert_eq!(mine.by_unit.iter().map(|u| u.unit.as_str()).collect::<Vec<_>>(), ["jinshui"]);
});

// The company page's 招商活动: the activities that met the company, in the caller's scope.
db_test!(a_companys_activities_are_those_in_scope, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let dept = actor(&store, Role::DeptStaff, "ziranziyuan");
    let sup = actor(&store, Role::Supervisor, "shangwu");
    let byd = company(&store, &city, "比亚迪股份有限公司", Some(143), None, false).await;
    let other = company(&store, &city, "深圳某某科技有限公司", None, None, false).await;
    let with = |title: &str, on: &str, unit: &str, companies: Vec<i64>| ActivityInput {
        company_ids: companies,
        ..activity(title, ActivityKind::LeaderVisit, on, unit)
    };
    let old =
        store.scoped(&js).create_activity(with("金水拜访比亚迪", "2026-03-10", "jinshui", vec![byd])).await.unwrap();
    let new = store
        .scoped(&js)
        .create_activity(with("金水再访比亚迪", "2026-05-10", "jinshui", vec![other, byd]))
        .await
        .unwrap();
    let theirs =
        store.scoped(&eq).create_activity(with("二七拜访比亚迪", "2026-04-01", "erqi", vec![byd])).await.unwrap();
    store.scoped(&js).create_activity(with("金水拜访他企", "2026-06-01", "jinshui", vec![other])).await.unwrap();
    let ids = |p: store::activities::ActivityPage| p.items.into_iter().map(|a| a.id).collect::<Vec<_>>();

    let mine = store.scoped(&js).company_activities(byd, 50).await.unwrap();
    assert_eq!(mine.total, 2);
    assert_eq!(ids(mine), [new.id, old.id], "jinshui's own, the latest first; not erqi's with the same company");
    assert_eq!(ids(store.scoped(&eq).company_activities(byd, 50).await.unwrap()), [theirs.id]);
    for who in [&city, &sup] {
        let all = store.scoped(who).company_activities(byd, 50).await.unwrap();
        assert_eq!(ids(all), [new.id, theirs.id, old.id], "{}: every unit's", who.username);
    }
    let first = store.scoped(&city).company_activities(byd, 1).await.unwrap();
    assert_eq!((first.total, first.items.len()), (3, 1), "at most per_page, the total counted");
    assert!(matches!(store.scoped(&js).company_activities(987_654, 50).await, Err(StoreError::NotFound)));
    assert!(matches!(store.scoped(&dept).company_activities(byd, 50).await, Err(StoreError::Forbidden)));
});

// leader_visits_500 reads the ranking list of the activity's year (三(三)二), counted by hand:
// 甲 is on the 2025 Fortune list but not on the 2026 one; 乙 on both; 丙 on the China 500 of
// 2025, and no China 500 of 2026 is recorded (2025's decides).
db_test!(leader_visits_read_the_ranking_list_of_the_activitys_year, |store| {
    use domain::ranking::{RankingList, RankingRow};
    use store::companies::RankingImport;
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let chief = leader(&store, &js, "张伟", "jinshui", LeaderLevel::UnitChief).await;
    let row =
        |row: u32, rank: i32, name: &str| RankingRow { row, rank, name: name.into(), country: None, revenue: None };
    let import = |list: RankingList, year: i32, rows: Vec<RankingRow>| {
        let s = store.scoped(&city);
        async move { s.import_rankings(RankingImport { list, year, file: "榜单.xlsx".into(), rows }).await.unwrap() }
    };
    let fortune = RankingList::FortuneGlobal500;
    let r = import(fortune, 2025, vec![row(2, 300, "跌出五百强甲"), row(3, 10, "五百强常客乙")]).await;
    let [jia, yi] = r.created_ids[..] else { panic!("two companies registered: {r:?}") };
    let r = import(fortune, 2026, vec![row(2, 9, "五百强常客乙"), row(3, 480, "新晋五百强戊")]).await;
    assert_eq!((r.matched, r.created), (1, 1));
    let bing = import(RankingList::China500, 2025, vec![row(2, 120, "中国五百强丙")]).await.created_ids[0];
    let cur = store.scoped(&city).get_company(jia).await.unwrap();
    assert_eq!(cur.fortune_global_500_rank, Some(300), "the current column still says 500强: the year decides");

    let visit = |title: &str, on: &str, company: i64| ActivityInput {
        leader_ids: vec![chief],
        company_ids: vec![company],
        ..activity(title, ActivityKind::LeaderVisit, on, "jinshui")
    };
    let mut ids = std::collections::BTreeMap::new();
    for (key, title, on, c) in [
        ("V1", "2025年拜访甲（在2025年榜）", "2025-05-10", jia),
        ("V2", "2026年拜访甲（不在2026年榜）", "2026-05-10", jia),
        ("V3", "2026年拜访乙（在2026年榜）", "2026-06-01", yi),
        ("V4", "2026年拜访丙（无2026年中国500强榜，按2025年）", "2026-07-01", bing),
        ("V5", "2024年拜访乙（2024年及以前无榜，按现排名）", "2024-09-01", yi),
    ] {
        let a = store.scoped(&js).create_activity(visit(title, on, c)).await.unwrap();
        ids.insert(key, a.id);
    }
    // by hand: V1, V3, V4 and V5 count; V2 does not
    let m = store
        .scoped(&js)
        .activity_measure(ActivityMeasure::LeaderVisits500, "jinshui", d("2024-01-01"), d("2026-12-31"))
        .await
        .unwrap();
    assert_eq!(m.records.iter().map(|r| r.id).collect::<Vec<_>>(), [ids["V5"], ids["V1"], ids["V3"], ids["V4"]]);
    let standing: Vec<&str> = m.records.iter().map(|r| r.ranked_companies[0].standing.as_str()).collect();
    assert_eq!(
        standing,
        ["世界500强第9位", "2025年世界500强第300位", "2026年世界500强第9位", "2025年中国500强第120位"]
    );
    let y2026 = store
        .scoped(&js)
        .activity_measure(ActivityMeasure::LeaderVisits500, "jinshui", d("2026-01-01"), d("2026-12-31"))
        .await
        .unwrap();
    assert_eq!(y2026.value, 2, "V3, V4");
    let counts = store.scoped(&city).activity_counts(None, d("2026-01-01"), d("2026-12-31")).await.unwrap();
    assert_eq!(counts.by_unit[0].leader_visits_500, 2);
    // the activity's own page says the same
    let v2 = store.scoped(&js).get_activity(ids["V2"]).await.unwrap();
    assert_eq!((v2.companies[0].ranked, v2.companies[0].standing.as_str()), (false, ""));
    let v1 = store.scoped(&js).get_activity(ids["V1"]).await.unwrap();
    assert!(v1.companies[0].ranked);
});
