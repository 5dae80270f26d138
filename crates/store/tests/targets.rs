//! 靶向项目库 (domain.md §3): a unit courts companies, logs its follow-ups and converts a
//! target into exactly one `reserve` project; each unit sees only its own targets, the city
//! sees which units court the same company. Each test runs on SQLite and on PostgreSQL.

use domain::target::{FollowUpChannel, TargetStatus};
use domain::{Category, Role, Stage};
use store::companies::NewCompany;
use store::targets::{ConvertInput, FollowUpInput, TargetFilter, TargetInput};
use store::testing::fixtures::{actor, audits, d, m};
use store::{StoreError, db_test};

fn target(company_id: i64, unit: &str) -> TargetInput {
    TargetInput {
        company_id,
        unit: unit.into(),
        industry: "electronics.terminal".into(),
        strategy: Some("加快布局中部地区生产基地".into()),
        next_follow_up_on: Some(d("2026-12-20")),
        ..Default::default()
    }
}

db_test!(a_unit_courts_a_company_and_converts_it_once, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let dept = actor(&store, Role::DeptStaff, "ziranziyuan");
    let company =
        NewCompany { name: "比亚迪股份有限公司".into(), country: "中国".into(), ..Default::default() };
    let c = store.scoped(&city).create_company(company).await.unwrap().id;

    // bad input names its fields; another unit's unit is refused; a missing company is named
    let bad = TargetInput { industry: "no.such".into(), strategy: Some("x".repeat(2001)), ..target(c, "jinshui") };
    let StoreError::Validation(f) = store.scoped(&js).create_target(bad).await.unwrap_err() else { panic!() };
    let fields: Vec<&str> = f.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["industry", "strategy"]);
    assert!(matches!(store.scoped(&js).create_target(target(c, "erqi")).await, Err(StoreError::Forbidden)));
    let e = store.scoped(&js).create_target(target(987_654, "jinshui")).await.unwrap_err();
    assert!(matches!(&e, StoreError::Validation(f) if f[0].field == "company_id"), "{e:?}");

    let t = store.scoped(&js).create_target(target(c, "jinshui")).await.unwrap();
    assert_eq!(
        (t.status.as_str(), t.unit.as_str(), t.company_name.as_str()),
        ("watching", "jinshui", "比亚迪股份有限公司")
    );
    assert_eq!(audits(&store, "target.create", t.id).await.len(), 1);
    assert!(matches!(store.scoped(&js).create_target(target(c, "jinshui")).await, Err(StoreError::Conflict(_))));
    // erqi courts the same company: each unit sees its own, the city sees both together
    let t2 = store.scoped(&eq).create_target(target(c, "erqi")).await.unwrap();
    let mine = store.scoped(&js).list_targets(&TargetFilter::default()).await.unwrap();
    assert_eq!(mine.items.iter().map(|t| t.id).collect::<Vec<_>>(), [t.id]);
    assert!(matches!(store.scoped(&eq).get_target(t.id).await, Err(StoreError::Forbidden)));
    assert!(matches!(store.scoped(&dept).list_targets(&TargetFilter::default()).await, Err(StoreError::Forbidden)));
    assert!(matches!(store.scoped(&js).shared_targets().await, Err(StoreError::Forbidden)));
    let shared = store.scoped(&city).shared_targets().await.unwrap();
    assert_eq!(shared.len(), 1);
    let mut units: Vec<&str> = shared[0].targets.iter().map(|t| t.unit.as_str()).collect();
    units.sort_unstable();
    assert_eq!(units, ["erqi", "jinshui"]);
    assert_eq!(shared[0].targets.len(), 2);
    assert_eq!(store.scoped(&city).list_targets(&TargetFilter::default()).await.unwrap().total, 2);

    // a follow-up: logged, dated, moves 关注中 to 已接触; a future day is refused
    let today = d("2026-12-02");
    let fu = |date: &str, next: Option<&str>| FollowUpInput {
        date: d(date),
        channel: FollowUpChannel::Visit,
        summary: "赴深圳总部拜访，企业有意在中部布局电池包产线".into(),
        next_follow_up_on: next.map(d),
    };
    let e = store.scoped(&js).add_follow_up(t.id, fu("2026-12-09", None), today).await.unwrap_err();
    assert!(matches!(&e, StoreError::Validation(f) if f[0].field == "date"), "{e:?}");
    assert!(matches!(
        store.scoped(&eq).add_follow_up(t.id, fu("2026-11-30", None), today).await,
        Err(StoreError::Forbidden)
    ));
    store.scoped(&js).add_follow_up(t.id, fu("2026-11-30", Some("2026-12-15")), today).await.unwrap();
    let now = store.scoped(&js).get_target(t.id).await.unwrap();
    assert_eq!((now.status.as_str(), now.next_follow_up_on), ("contacted", Some(d("2026-12-15"))));
    let log = store.scoped(&js).list_follow_ups(t.id).await.unwrap();
    assert_eq!((log.len(), log[0].channel.as_str()), (1, "visit"));

    // status: forward, not back; 已放弃 needs its reason; 已转化 only by converting
    let v = now.version;
    let e = store.scoped(&js).set_target_status(t.id, TargetStatus::Watching, None, v).await.unwrap_err();
    assert!(matches!(&e, StoreError::Validation(f) if f[0].field == "status"), "{e:?}");
    let e = store.scoped(&js).set_target_status(t.id, TargetStatus::Converted, None, v).await.unwrap_err();
    assert!(matches!(&e, StoreError::Validation(_)), "{e:?}");
    let e = store
        .scoped(&eq)
        .set_target_status(t2.id, TargetStatus::Dropped, Some(" ".into()), t2.version)
        .await
        .unwrap_err();
    assert!(matches!(&e, StoreError::Validation(f) if f[0].field == "drop_reason"), "{e:?}");
    let dropped = store
        .scoped(&eq)
        .set_target_status(t2.id, TargetStatus::Dropped, Some("企业已选址西安".into()), t2.version)
        .await
        .unwrap();
    assert_eq!((dropped.status.as_str(), dropped.drop_reason.as_deref()), ("dropped", Some("企业已选址西安")));
    assert!(store.scoped(&city).shared_targets().await.unwrap().is_empty(), "a dropped target is no longer courting");
    let t = store.scoped(&js).set_target_status(t.id, TargetStatus::Interested, None, v).await.unwrap();
    assert!(matches!(
        store.scoped(&js).set_target_status(t.id, TargetStatus::Interested, None, v).await,
        Err(StoreError::Validation(_))
    ));

    // convert: exactly one reserve project, linked to the company, the unit and the target
    let conv = |version| ConvertInput {
        name: "比亚迪电池包生产基地项目".into(),
        region: "pearl".into(),
        total_investment: m("300000"),
        version,
    };
    assert!(
        matches!(store.scoped(&js).convert_target(t.id, conv(t.version - 1)).await, Err(StoreError::Conflict(_))),
        "stale"
    );
    let e = store.scoped(&eq).convert_target(t2.id, conv(dropped.version)).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(ref m) if m.contains("恢复跟踪")), "{e:?}");
    let (after, p) = store.scoped(&js).convert_target(t.id, conv(t.version)).await.unwrap();
    assert_eq!((after.status.as_str(), after.project_id), ("converted", Some(p.id)));
    assert_eq!((p.stage, p.unit.as_str(), p.industry.as_str()), (Stage::Reserve, "jinshui", "electronics.terminal"));
    assert_eq!(p.investors.iter().map(|i| i.id).collect::<Vec<_>>(), [c]);
    assert!(p.categories.contains(&Category::Targeted));
    assert_eq!(audits(&store, "target.convert", t.id).await.len(), 1);
    let e = store.scoped(&js).convert_target(t.id, conv(after.version)).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "converting twice: {e:?}");
    let projects = store.scoped(&city).list_projects(&Default::default()).await.unwrap();
    assert_eq!(projects.total, 1, "exactly one project");
    // a converted target takes no more follow-ups
    assert!(matches!(
        store.scoped(&js).add_follow_up(t.id, fu("2026-12-01", None), today).await,
        Err(StoreError::Conflict(_))
    ));
});

db_test!(targets_filter_by_status_company_and_industry_chain, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let a = store
        .scoped(&city)
        .create_company(NewCompany { name: "甲企业".into(), country: "中国".into(), ..Default::default() })
        .await
        .unwrap()
        .id;
    let b = store
        .scoped(&city)
        .create_company(NewCompany { name: "乙企业".into(), country: "中国".into(), ..Default::default() })
        .await
        .unwrap()
        .id;
    store.scoped(&js).create_target(target(a, "jinshui")).await.unwrap();
    let other = TargetInput { industry: "equipment".into(), ..target(b, "jinshui") };
    store.scoped(&js).create_target(other).await.unwrap();
    let q = |f: TargetFilter| {
        let s = store.scoped(&js);
        async move { s.list_targets(&f).await.unwrap().items.into_iter().map(|t| t.company_name).collect::<Vec<_>>() }
    };
    assert_eq!(q(TargetFilter { company_id: Some(b), ..Default::default() }).await, ["乙企业"]);
    assert_eq!(
        q(TargetFilter { industry: Some("electronics".into()), ..Default::default() }).await,
        ["甲企业"],
        "the chain and below"
    );
    assert_eq!(q(TargetFilter { status: Some(TargetStatus::Watching), ..Default::default() }).await.len(), 2);
    assert!(q(TargetFilter { status: Some(TargetStatus::Interested), ..Default::default() }).await.is_empty());
    let e = store
        .scoped(&js)
        .list_targets(&TargetFilter { unit: Some("erqi".into()), ..Default::default() })
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Forbidden), "another unit's filter: {e:?}");
});

db_test!(an_overdue_follow_up_warns_its_unit_only, |store| {
    use store::warnings::WarningFilter;
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let c = store
        .scoped(&city)
        .create_company(NewCompany { name: "丙企业".into(), country: "中国".into(), ..Default::default() })
        .await
        .unwrap()
        .id;
    let t = store
        .scoped(&js)
        .create_target(TargetInput { next_follow_up_on: Some(d("2026-11-01")), ..target(c, "jinshui") })
        .await
        .unwrap();
    let today = d("2026-12-02");
    let of = |w: &[store::warnings::WarningItem]| {
        w.iter().filter(|w| w.kind == "follow_up_overdue").cloned().collect::<Vec<_>>()
    };
    let mine = of(&store.scoped(&js).warnings(&WarningFilter::default(), today).await.unwrap());
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].entity.as_str(), mine[0].entity_id, mine[0].unit.as_str()), ("target", t.id, "jinshui"));
    assert_eq!(mine[0].level, "red", "31 days overdue");
    assert!(mine[0].reason.contains("丙企业"), "{}", mine[0].reason);
    assert_eq!(of(&store.scoped(&city).warnings(&WarningFilter::default(), today).await.unwrap()).len(), 1);
    assert!(
        of(&store.scoped(&eq).warnings(&WarningFilter::default(), today).await.unwrap()).is_empty(),
        "another unit sees none"
    );
    // followed up, with the next date ahead: the warning is gone
    let fu = FollowUpInput {
        date: d("2026-12-01"),
        channel: FollowUpChannel::Phone,
        summary: "电话沟通".into(),
        next_follow_up_on: Some(d("2026-12-20")),
    };
    store.scoped(&js).add_follow_up(t.id, fu, today).await.unwrap();
    assert!(of(&store.scoped(&js).warnings(&WarningFilter::default(), today).await.unwrap()).is_empty());
});
