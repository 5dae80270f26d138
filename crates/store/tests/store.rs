//! Storage tests: each runs on SQLite and on PostgreSQL (see `store::testing`).

use domain::{Money, Role, Stage};
use store::companies::NewCompany;
use store::projects::{Project, ProjectFilter, ProjectPatch};
use store::testing::fixtures::{actor, created, d, project as input, to};
use store::{Actor, Store, StoreError, db_test};

/// `p` renamed by `who` (the update must succeed).
async fn rename(store: &Store, who: &Actor, p: &Project, name: &str) {
    let patch = ProjectPatch { version: p.version, name: Some(name.into()), ..Default::default() };
    store.scoped(who).update_project(p.id, patch).await.unwrap();
}

fn unit_actor(store: &Store, code: &str) -> Actor {
    actor(store, Role::UnitStaff, code)
}

db_test!(reference_units_are_loaded, |store| {
    let tree = store.unit_tree();
    assert_eq!(tree.all().iter().filter(|u| u.assessed).count(), 16);
    let city = tree.find("zhengzhou").unwrap();
    assert!(city.parent_id.is_none());
    assert_eq!(tree.find("金水区").unwrap().parent.as_deref(), Some("zhengzhou"));
    assert_eq!(tree.subtree(city.id).len(), tree.all().len());
});

db_test!(create_get_and_reportable_rule, |store| {
    let admin = Actor::system("test");
    let big = created(&store, &admin, input("大项目", "jinshui", "60000")).await;
    assert!(big.city_reportable && big.key_project);
    assert_eq!(big.stage, Stage::Reserve);
    assert!(big.code.starts_with("XM"), "{}", big.code);
    let small = created(&store, &admin, input("小项目", "jinshui", "49999.99")).await;
    assert!(!small.city_reportable);
    let c = store
        .scoped(&admin)
        .create_company(NewCompany { name: "某中国500强".into(), china_500_rank: Some(120), ..Default::default() })
        .await
        .unwrap();
    let mut i = input("五百强项目", "jinshui", "49999.99");
    i.investor_ids = vec![c.id];
    let p = created(&store, &admin, i).await;
    assert!(p.city_reportable);
    assert_eq!(p.investors[0].name, "某中国500强");
    assert_eq!(store.scoped(&admin).get_project(p.id).await.unwrap().total_investment.to_string(), "49999.99");
});

db_test!(unit_scope_is_enforced, |store| {
    let admin = Actor::system("test");
    let js = created(&store, &admin, input("金水项目", "jinshui", "100")).await;
    let eq = created(&store, &admin, input("二七项目", "erqi", "100")).await;
    let jinshui = unit_actor(&store, "jinshui");
    let page = store.scoped(&jinshui).list_projects(&ProjectFilter::default()).await.unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].id, js.id);
    assert!(matches!(store.scoped(&jinshui).get_project(eq.id).await, Err(StoreError::Forbidden)));
    assert!(matches!(store.scoped(&jinshui).get_project(999_999).await, Err(StoreError::NotFound)));
    // filtering on another unit is refused, not silently emptied
    let f = ProjectFilter { unit: Some("erqi".into()), ..Default::default() };
    assert!(matches!(store.scoped(&jinshui).list_projects(&f).await, Err(StoreError::Forbidden)));
    // writes outside scope are refused and write nothing
    assert!(matches!(
        store.scoped(&jinshui).create_project(input("越权项目", "erqi", "1")).await,
        Err(StoreError::Forbidden)
    ));
    assert!(matches!(
        store.scoped(&jinshui).transition_project(eq.id, to(Stage::Negotiating, "2025-01-01")).await,
        Err(StoreError::Forbidden)
    ));
    assert_eq!(store.scoped(&admin).list_projects(&ProjectFilter::default()).await.unwrap().total, 2);
    // aggregates follow the scope too
    let (n, sum) = store.scoped(&jinshui).project_totals(&ProjectFilter::default()).await.unwrap();
    assert_eq!((n, sum), (1, Money::from_units(100)));
});

fn dept_actor(store: &Store, code: &str) -> Actor {
    actor(store, Role::DeptStaff, code)
}

// domain.md §1: any read outside scope is refused (403), never a silently empty list.
db_test!(a_unit_filter_outside_scope_is_refused, |store| {
    let admin = Actor::system("test");
    let js = created(&store, &admin, input("金水科技项目", "jinshui", "100")).await;
    let dept = dept_actor(&store, "shangwu");
    store::testing::fixtures::dept_task(&store, js.id, &dept, "协调用地", None).await;
    // the department sees its task's project …
    let page = store.scoped(&dept).list_projects(&ProjectFilter::default()).await.unwrap();
    assert_eq!(page.items.iter().map(|p| p.id).collect::<Vec<_>>(), vec![js.id]);
    // … but a unit filter from a department user is refused, with or without a search
    for q in [None, Some("科技"), Some("金水科技")] {
        let f = ProjectFilter { unit: Some("jinshui".into()), q: q.map(Into::into), ..Default::default() };
        assert!(matches!(store.scoped(&dept).list_projects(&f).await, Err(StoreError::Forbidden)), "q={q:?}");
        assert!(matches!(store.scoped(&dept).project_totals(&f).await, Err(StoreError::Forbidden)), "q={q:?}");
    }
    // a unit user filtering on a unit above their subtree (the city) is refused too,
    // on the plain path and on the gram-index path
    let jinshui = unit_actor(&store, "jinshui");
    for q in [None, Some("科技")] {
        let f = ProjectFilter { unit: Some("zhengzhou".into()), q: q.map(Into::into), ..Default::default() };
        assert!(matches!(store.scoped(&jinshui).list_projects(&f).await, Err(StoreError::Forbidden)), "q={q:?}");
        let own = ProjectFilter { unit: Some("jinshui".into()), q: q.map(Into::into), ..Default::default() };
        assert_eq!(store.scoped(&jinshui).list_projects(&own).await.unwrap().total, 1, "q={q:?}");
    }
});

db_test!(transitions_follow_the_rules_and_are_recorded, |store| {
    let admin = Actor::system("test");
    let p = created(&store, &admin, input("阶段项目", "jinshui", "100")).await;
    let e = store.scoped(&admin).transition_project(p.id, to(Stage::Started, "2025-03-01")).await.unwrap_err();
    let StoreError::Conflict(msg) = e else { panic!("expected a conflict") };
    assert!(msg.contains("已签约") && msg.contains("手续办结"), "{msg}");
    let p1 = store.scoped(&admin).transition_project(p.id, to(Stage::Signed, "2025-03-01")).await.unwrap();
    assert_eq!(p1.signed_on, Some(d("2025-03-01")));
    assert_eq!(p1.version, p.version + 1);
    let e = store.scoped(&admin).transition_project(p.id, to(Stage::Approved, "2025-02-01")).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(m) if m.contains("日期不能倒退")));
    let unchanged = store.scoped(&admin).get_project(p.id).await.unwrap();
    assert_eq!(
        (unchanged.stage, unchanged.version),
        (Stage::Signed, p1.version),
        "a refused transition writes nothing"
    );
    let tl = store.scoped(&admin).timeline(p.id).await.unwrap();
    assert_eq!(tl.iter().filter(|e| e.kind == "transition").count(), 1);
    assert_eq!(tl.last().unwrap().to, Some(Stage::Signed));
});

db_test!(unit_claims_wait_for_review, |store| {
    let admin = Actor::system("test");
    let p = created(&store, &admin, input("审核项目", "jinshui", "100")).await;
    let js = unit_actor(&store, "jinshui");
    let n = store.scoped(&js).transition_project(p.id, to(Stage::Negotiating, "2025-01-01")).await.unwrap();
    assert_eq!((n.stage, n.accepted_stage, n.review_state.as_str()), (Stage::Negotiating, Stage::Negotiating, "none"));
    let s = store.scoped(&js).transition_project(p.id, to(Stage::Signed, "2025-02-01")).await.unwrap();
    assert_eq!((s.stage, s.accepted_stage, s.review_state.as_str()), (Stage::Signed, Stage::Negotiating, "submitted"));
});

db_test!(stale_version_is_a_conflict, |store| {
    let admin = Actor::system("test");
    let p = created(&store, &admin, input("并发项目", "jinshui", "100")).await;
    let patch = |v, name: &str| ProjectPatch { version: v, name: Some(name.into()), ..Default::default() };
    let p2 = store.scoped(&admin).update_project(p.id, patch(p.version, "并发项目甲")).await.unwrap();
    assert_eq!(p2.name, "并发项目甲");
    assert!(matches!(
        store.scoped(&admin).update_project(p.id, patch(p.version, "并发项目乙")).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.scoped(&admin).get_project(p.id).await.unwrap().name, "并发项目甲");
    // unit staff may not move a project to another unit
    let js = unit_actor(&store, "jinshui");
    let mv = ProjectPatch { version: p2.version, unit: Some("erqi".into()), ..Default::default() };
    assert!(
        matches!(store.scoped(&js).update_project(p.id, mv).await, Err(StoreError::Validation(f)) if f[0].field == "unit")
    );
});

db_test!(chinese_substring_search, |store| {
    let admin = Actor::system("test");
    for (n, u) in [
        ("郑州智能终端产业园", "jinshui"),
        ("中原冷链物流园", "jinshui"),
        ("新能源汽车电池项目", "erqi"),
        ("科技创新中心", "erqi"),
    ] {
        created(&store, &admin, input(n, u, "100")).await;
    }
    let q = |s: &str| ProjectFilter { q: Some(s.into()), ..Default::default() };
    let names = |p: store::projects::ProjectPage| p.items.into_iter().map(|i| i.name).collect::<Vec<_>>();
    assert_eq!(names(store.scoped(&admin).list_projects(&q("物流")).await.unwrap()), vec!["中原冷链物流园"]);
    assert_eq!(names(store.scoped(&admin).list_projects(&q("智能终端")).await.unwrap()), vec!["郑州智能终端产业园"]);
    assert_eq!(store.scoped(&admin).list_projects(&q("园")).await.unwrap().total, 2);
    assert_eq!(store.scoped(&admin).list_projects(&q("终端产")).await.unwrap().total, 1);
    assert_eq!(store.scoped(&admin).list_projects(&q("端智")).await.unwrap().total, 0);
    assert_eq!(store.scoped(&admin).list_projects(&q("%")).await.unwrap().total, 0);
    // the two-character fast path (gram index only) agrees with the general path
    for word in ["物流", "园", "智能终端", "汽车", "不在"] {
        let fast = store.scoped(&admin).list_projects(&q(word)).await.unwrap();
        let general = ProjectFilter { q: Some(word.into()), city_reportable: Some(false), ..Default::default() };
        let general = store.scoped(&admin).list_projects(&general).await.unwrap();
        assert_eq!(fast.total, general.total, "{word}");
        assert_eq!(
            fast.items.iter().map(|p| p.id).collect::<Vec<_>>(),
            general.items.iter().map(|p| p.id).collect::<Vec<_>>()
        );
    }
    let js_unit = ProjectFilter { q: Some("物流".into()), unit: Some("jinshui".into()), ..Default::default() };
    assert_eq!(store.scoped(&admin).list_projects(&js_unit).await.unwrap().total, 1);
    let eq_unit = ProjectFilter { q: Some("物流".into()), unit: Some("erqi".into()), ..Default::default() };
    assert_eq!(store.scoped(&admin).list_projects(&eq_unit).await.unwrap().total, 0);
    // search respects scope
    let js = unit_actor(&store, "jinshui");
    assert_eq!(store.scoped(&js).list_projects(&q("汽车")).await.unwrap().total, 0);
    // renaming reindexes
    let p = store.scoped(&admin).list_projects(&q("科技")).await.unwrap().items.remove(0);
    rename(&store, &admin, &p, "航空物流枢纽").await;
    assert_eq!(store.scoped(&admin).list_projects(&q("科技")).await.unwrap().total, 0);
    assert_eq!(store.scoped(&admin).list_projects(&q("物流")).await.unwrap().total, 2);
});

db_test!(soft_delete_hides_and_restores, |store| {
    let admin = Actor::system("test");
    let p = created(&store, &admin, input("删除项目", "jinshui", "100")).await;
    let js = unit_actor(&store, "jinshui");
    store.scoped(&js).delete_project(p.id).await.unwrap();
    assert!(matches!(store.scoped(&js).get_project(p.id).await, Err(StoreError::NotFound)));
    let search = |w: &str| ProjectFilter { q: Some(w.into()), ..Default::default() };
    assert_eq!(
        store.scoped(&js).list_projects(&search("删除")).await.unwrap().total,
        0,
        "deleted projects leave the search"
    );
    assert_eq!(store.scoped(&js).list_projects(&ProjectFilter::default()).await.unwrap().total, 0);
    let city = Actor { roles: vec![Role::CityAdmin], ..Actor::system("city") };
    assert!(store.scoped(&city).get_project(p.id).await.unwrap().deleted_at.is_some());
    let with_deleted = ProjectFilter { q: Some("删除".into()), include_deleted: true, ..Default::default() };
    assert_eq!(
        store.scoped(&city).list_projects(&with_deleted).await.unwrap().total,
        1,
        "city_admin finds deleted ones"
    );
    let r = store.scoped(&city).restore_project(p.id).await.unwrap();
    assert!(r.deleted_at.is_none());
    assert_eq!(
        store.scoped(&js).list_projects(&search("删除")).await.unwrap().total,
        1,
        "restored projects are searchable again"
    );
    assert_eq!(store.scoped(&js).list_projects(&ProjectFilter::default()).await.unwrap().total, 1);
});

db_test!(audit_chain_detects_tampering, |store| {
    let admin = Actor::system("test");
    for i in 0..3 {
        created(&store, &admin, input(&format!("审计项目{i}"), "jinshui", "100")).await;
    }
    let v = store.verify_audit().await.unwrap();
    assert!(v.ok && v.records >= 3, "{v:?}");
    use sea_orm::{ConnectionTrait, Statement};
    let db = store.db();
    let ids: Vec<i64> = {
        use sea_orm::{EntityTrait, QueryOrder};
        store::entity::audit_record::Entity::find()
            .order_by_asc(store::entity::audit_record::Column::Id)
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect()
    };
    let victim = ids[1];
    // The application cannot change the log: the append-only guard refuses it.
    let refused = db
        .execute_raw(Statement::from_string(
            store.backend(),
            format!("UPDATE audit_log SET after = '{{}}' WHERE id = {victim}"),
        ))
        .await;
    assert!(refused.is_err_and(|e| e.to_string().contains(store::migration::AUDIT_GUARD_MESSAGE)));
    let refused = db
        .execute_raw(Statement::from_string(store.backend(), format!("DELETE FROM audit_log WHERE id = {victim}")))
        .await;
    assert!(refused.is_err(), "DELETE refused too");
    assert!(store.verify_audit().await.unwrap().ok);
    // Someone with the owner's rights drops the guard first; the chain still tells.
    store::testing::drop_audit_guards(&store).await;
    db.execute_raw(Statement::from_string(
        store.backend(),
        format!("UPDATE audit_log SET after = '{{}}' WHERE id = {victim}"),
    ))
    .await
    .unwrap();
    let v = store.verify_audit().await.unwrap();
    assert_eq!((v.ok, v.broken_at), (false, Some(victim)));
});

db_test!(funds_need_scope_and_valid_values, |store| {
    let admin = Actor::system("test");
    let p = created(&store, &admin, input("资金项目", "erqi", "100")).await;
    let nf = |amount: &str| store::funds::NewFunds {
        date: d("2025-02-01"),
        kind: "domestic_out_of_province".into(),
        amount: Money::parse(amount).unwrap(),
        note: None,
    };
    let e = store.scoped(&admin).add_funds(p.id, nf("1200.50")).await.unwrap();
    assert_eq!((e.amount.to_string(), e.review_state.as_str()), ("1200.50".into(), "accepted"));
    let js = unit_actor(&store, "jinshui");
    assert!(matches!(store.scoped(&js).add_funds(p.id, nf("1")).await, Err(StoreError::Forbidden)));
    assert!(matches!(store.scoped(&admin).add_funds(p.id, nf("0")).await, Err(StoreError::Validation(_))));
    assert_eq!(store.scoped(&admin).list_funds(p.id).await.unwrap().len(), 1);
});

db_test!(bulk_insert_applies_the_same_rules, |store| {
    use store::bulk::BulkProject;
    let admin = Actor::system("test");
    let good = |name: &str| BulkProject {
        input: input(name, "jinshui", "60000"),
        transitions: vec![to(Stage::Negotiating, "2025-01-01"), to(Stage::Signed, "2025-02-01")],
        funds: vec![store::funds::NewFunds {
            date: d("2025-03-01"),
            kind: "domestic_out_of_province".into(),
            amount: Money::parse("100").unwrap(),
            note: None,
        }],
    };
    // one bad item (a date going backwards) fails the whole batch, and nothing is written
    let mut bad = good("坏项目");
    bad.transitions.push(to(Stage::Approved, "2024-01-01"));
    let tx = store.scoped(&admin).begin().await.unwrap();
    let e = tx.bulk_insert_projects(vec![good("好项目一"), bad]).await.unwrap_err();
    assert!(matches!(&e, StoreError::Conflict(m) if m.contains("第2项") && m.contains("日期不能倒退")), "{e:?}");
    drop(tx);
    assert_eq!(store.scoped(&admin).list_projects(&ProjectFilter::default()).await.unwrap().total, 0);

    let tx = store.scoped(&admin).begin().await.unwrap();
    let ids = tx.bulk_insert_projects(vec![good("批量物流园"), good("批量汽车城")]).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(ids.len(), 2);
    let p = store.scoped(&admin).get_project(ids[0]).await.unwrap();
    assert_eq!((p.stage, p.accepted_stage, p.signed_on), (Stage::Signed, Stage::Signed, Some(d("2025-02-01"))));
    assert!(p.city_reportable && p.code.starts_with("XM"));
    let q = ProjectFilter { q: Some("物流".into()), ..Default::default() };
    assert_eq!(store.scoped(&admin).list_projects(&q).await.unwrap().total, 1);
    let q = ProjectFilter { q: Some(p.code.clone()), ..Default::default() };
    assert_eq!(store.scoped(&admin).list_projects(&q).await.unwrap().total, 1, "searchable by code");
    assert_eq!(store.scoped(&admin).timeline(ids[1]).await.unwrap().len(), 4, "created + 2 transitions + funds");
    assert!(store.verify_audit().await.unwrap().ok);

    // a unit's bulk claims wait for review, and scope still applies
    let js = unit_actor(&store, "jinshui");
    let tx = store.scoped(&js).begin().await.unwrap();
    let ids = tx.bulk_insert_projects(vec![good("单位批量")]).await.unwrap();
    tx.commit().await.unwrap();
    let p = store.scoped(&js).get_project(ids[0]).await.unwrap();
    assert_eq!((p.stage, p.accepted_stage, p.review_state.as_str()), (Stage::Signed, Stage::Negotiating, "submitted"));
    let mut other = good("越权批量");
    other.input.unit = "erqi".into();
    let tx = store.scoped(&js).begin().await.unwrap();
    assert!(matches!(tx.bulk_insert_projects(vec![other]).await, Err(StoreError::Forbidden)));
});

db_test!(removing_the_newest_audit_records_is_detected, |store| {
    let admin = Actor::system("test");
    for i in 0..3 {
        created(&store, &admin, input(&format!("链尾项目{i}"), "jinshui", "1")).await;
    }
    let before = store.verify_audit().await.unwrap();
    assert!(before.ok);
    use sea_orm::{ConnectionTrait, Statement};
    store::testing::drop_audit_guards(&store).await;
    store
        .db()
        .execute_raw(Statement::from_string(
            store.backend(),
            "DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)",
        ))
        .await
        .unwrap();
    let v = store.verify_audit().await.unwrap();
    assert!(!v.ok, "{v:?}");
    assert_eq!(v.records, before.records - 1);
    assert!(v.reason.unwrap().contains("末尾"));
});

// Cache thrash (issue #10): only a business write may invalidate cached business reads.
db_test!(only_business_writes_bump_the_data_generation, |store| {
    use sea_orm::Set;
    use store::audit::Event;
    let admin = Actor::system("test");
    let now = store::now();
    let user = store::entity::user::ActiveModel {
        username: Set("gen_user".into()),
        display_name: Set("代数用户".into()),
        password_hash: Set("x".into()),
        unit_id: Set(store.unit_tree().find("jinshui").map(|u| u.id)),
        disabled: Set(false),
        must_change_password: Set(false),
        password_changed_at: Set(now),
        totp_enabled: Set(false),
        ..Default::default()
    };
    let u = store::testing::fixtures::insert_new(&store, user).await;
    let mut actor = unit_actor(&store, "jinshui");
    actor.user_id = Some(u.id);
    let p = created(&store, &admin, input("代数项目", "jinshui", "100")).await;
    let g0 = store.generation().await.unwrap();
    // a login, a failed login (known and unknown user), a session touch, a logout
    let sid = store.create_session(&actor, "token-hash", now + chrono::Duration::hours(1)).await.unwrap();
    store.record_login_failure(&actor, Some(u.id), store::users::WRONG_PASSWORD).await.unwrap();
    store.record_login_failure(&Actor::system("anon"), None, store::users::UNKNOWN_USER).await.unwrap();
    store.touch_session(sid, store::now()).await.unwrap();
    // the audit record of a denial, written the way web::auth writes it
    let ev = Event {
        action: domain::AuditAction::AuthzDeny,
        entity: "request",
        entity_id: Some("GET /api/v1/users".into()),
        before: None,
        after: None,
        result: "denied",
    };
    store.scoped(&actor).audit_alone(ev).await.unwrap();
    store.scoped(&actor).audit_export("全部", 1).await.unwrap();
    store.end_session(&actor, sid).await.unwrap();
    assert_eq!(store.generation().await.unwrap(), g0, "a non-business write bumped the data generation");
    // a business write does bump it
    rename(&store, &admin, &p, "代数项目二").await;
    assert!(store.generation().await.unwrap() > g0, "a project update left the data generation unchanged");
});

// Issue #10 hole 5 (defence in depth): no page number can make a list panic.
db_test!(huge_page_numbers_give_empty_pages, |store| {
    let admin = Actor::system("test");
    created(&store, &admin, input("分页科技项目", "jinshui", "100")).await;
    for page in [u64::MAX, i64::MAX as u64, i64::MAX as u64 / 50 + 1] {
        for q in [None, Some("科技")] {
            let f = ProjectFilter { page, q: q.map(Into::into), ..Default::default() };
            let p = store.scoped(&admin).list_projects(&f).await.unwrap();
            assert!(p.items.is_empty() && p.total == 1, "page={page} q={q:?}");
        }
        let f = store::companies::CompanyFilter { page, per_page: 50, ..Default::default() };
        assert!(store.scoped(&admin).list_companies(&f).await.unwrap().0.is_empty(), "page={page}");
        let (items, total) = store.scoped(&Actor::system("test")).audit_page(page, 50).await.unwrap();
        assert!(items.is_empty() && total >= 1, "page={page}");
        assert!(store.scoped(&Actor::system("test")).login_page(page, 50).await.unwrap().0.is_empty(), "page={page}");
    }
});

// The vocabularies are CHECKed by the database itself (PostgreSQL CHECK, SQLite triggers).
db_test!(the_database_refuses_unknown_codes, |store| {
    use sea_orm::ConnectionTrait;
    let admin = Actor::system("test");
    let p = created(&store, &admin, input("约束项目", "jinshui", "100")).await;
    store.scoped(&admin).transition_project(p.id, to(Stage::Negotiating, "2025-01-01")).await.unwrap();
    let funds = store::funds::NewFunds {
        date: d("2025-02-01"),
        kind: "foreign".into(),
        amount: Money::from_units(5),
        note: None,
    };
    store.scoped(&admin).add_funds(p.id, funds).await.unwrap();
    let db = store.db();
    let id = p.id;
    // every known code passes (a constraint that refused everything would fail here)
    for rs in domain::ReviewState::CODES {
        db.execute_unprepared(&format!("UPDATE projects SET review_state = '{rs}' WHERE id = {id}")).await.unwrap();
    }
    db.execute_unprepared(&format!("UPDATE projects SET paused_from = NULL WHERE id = {id}")).await.unwrap();
    db.execute_unprepared("UPDATE funds_entries SET kind = 'domestic_out_of_province'").await.unwrap();
    let ins = |kind: &str, review: &str| {
        format!(
            "INSERT INTO funds_entries (project_id, date, kind, amount, review_state, created_at) \
             VALUES ({id}, '2025-02-02', '{kind}', 100, '{review}', '2025-02-02 00:00:00+00')"
        )
    };
    db.execute_unprepared(&ins("foreign", "accepted")).await.unwrap();
    for bad in [
        format!("UPDATE projects SET review_state = 'approved' WHERE id = {id}"),
        format!("UPDATE projects SET stage = 'bogus' WHERE id = {id}"),
        format!("UPDATE projects SET accepted_stage = 'Signed' WHERE id = {id}"),
        format!("UPDATE projects SET paused_from = 'paused' WHERE id = {id}"),
        format!("UPDATE transitions SET to_stage = 'bogus' WHERE project_id = {id}"),
        format!("UPDATE transitions SET review_state = 'bogus' WHERE project_id = {id}"),
        "UPDATE funds_entries SET kind = 'domestic'".to_string(),
        "UPDATE funds_entries SET review_state = ''".to_string(),
        ins("domestic", "accepted"),
        ins("foreign", "pending"),
        "UPDATE units SET kind = 'province' WHERE code = 'jinshui'".to_string(),
    ] {
        assert!(db.execute_unprepared(&bad).await.is_err(), "accepted: {bad}");
    }
    let p = store.scoped(&admin).get_project(id).await.unwrap();
    assert_eq!(p.review_state, "returned", "the last good value stays");
});

// Issue #10 hole 11: a project save that fails leaves no company it named.
db_test!(a_failed_project_save_leaves_no_new_company, |store| {
    use store::companies::CompanyFilter;
    let admin = Actor::system("test");
    let named = |q: &str| CompanyFilter { q: Some(q.into()), page: 1, per_page: 50, ..Default::default() };
    let new = |name: &str| NewCompany { name: name.into(), ..Default::default() };
    // the project is invalid (no name): the company named with it is not kept
    let bad = input("  ", "jinshui", "100");
    let e = store.scoped(&admin).create_project_with_companies(bad, vec![new("孤儿测试企业")]).await.unwrap_err();
    assert!(matches!(&e, StoreError::Validation(f) if f.iter().any(|f| f.field == "name")), "{e:?}");
    assert_eq!(store.scoped(&admin).list_companies(&named("孤儿测试企业")).await.unwrap().1, 0);
    // a unit user's project in another unit: refused, and again no company
    let jinshui = unit_actor(&store, "jinshui");
    let e =
        store.scoped(&jinshui).create_project_with_companies(input("越权", "erqi", "1"), vec![new("越权企业")]).await;
    assert!(matches!(e, Err(StoreError::Forbidden)));
    assert_eq!(store.scoped(&admin).list_companies(&named("越权企业")).await.unwrap().1, 0);
    // a bad company: named on new_investors, and no project
    let e = store.scoped(&admin).create_project_with_companies(input("好项目", "jinshui", "1"), vec![new(" ")]).await;
    assert!(matches!(&e, Err(StoreError::Validation(f)) if f[0].field == "new_investors"), "{e:?}");
    assert_eq!(store.scoped(&admin).list_projects(&ProjectFilter::default()).await.unwrap().total, 0);
    // the good case: one transaction creates both, linked, the company audited
    let p = store
        .scoped(&jinshui)
        .create_project_with_companies(input("新企业项目", "jinshui", "1"), vec![new("新投资企业")])
        .await
        .unwrap();
    assert_eq!(p.investors.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(), vec!["新投资企业"]);
    assert_eq!(store.scoped(&admin).list_companies(&named("新投资企业")).await.unwrap().1, 1);
    let (audit, _) = store.scoped(&Actor::system("test")).audit_page(1, 10).await.unwrap();
    assert!(audit.iter().any(|r| r.action == "company.create" && r.username.as_deref() == Some("jinshui_unit_staff")));
});
