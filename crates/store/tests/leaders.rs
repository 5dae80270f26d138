//! 领导名录 (domain.md §6): who registers and sees which leaders, and a project's 包联领导 as a
//! link to the register — given by id (checked), or matched from its text by name and unit,
//! in the project writes, the ledger import and `link_lead_leaders`; a name that matches no
//! one keeps its text and is reported. Each test runs on SQLite and on PostgreSQL.

use domain::Role;
use domain::leader::LeaderLevel;
use store::leaders::{LeaderFilter, LeaderInput, LeaderPatch};
use store::projects::ProjectPatch;
use store::testing::fixtures::{actor, audited, created, ledger_row, project};
use store::{Store, StoreError, db_test};

fn leader(name: &str, position: &str, unit: &str, level: LeaderLevel) -> LeaderInput {
    LeaderInput { name: name.into(), position: position.into(), unit: unit.into(), level }
}

async fn names(store: &Store, who: &store::Actor) -> Vec<String> {
    store.scoped(who).list_leaders(&LeaderFilter::default()).await.unwrap().items.into_iter().map(|l| l.name).collect()
}

async fn lead_of(store: &Store, who: &store::Actor, id: i64) -> Option<i64> {
    store.scoped(who).get_project(id).await.unwrap().lead_leader_id
}

fn fields(e: &StoreError) -> Vec<&str> {
    match e {
        StoreError::Validation(f) => f.iter().map(|e| e.field.as_str()).collect(),
        _ => vec![],
    }
}

db_test!(units_register_their_leaders_and_see_the_city_leaders, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let dept = actor(&store, Role::DeptStaff, "ziranziyuan");
    let lead = actor(&store, Role::Leader, "jinshui");
    let sys = actor(&store, Role::Sysadmin, "jinshui");

    let mayor = store
        .scoped(&city)
        .create_leader(leader("王市长", "副市长", "zhengzhou", LeaderLevel::CityLeader))
        .await
        .unwrap();
    assert_eq!((mayor.unit.as_str(), mayor.level.as_str(), mayor.active), ("zhengzhou", "city_leader", true));
    assert_eq!(mayor.display, "王市长（副市长）");
    // a unit registers its own leaders, not the city's, not another unit's
    let chief = store
        .scoped(&js)
        .create_leader(leader("张伟", "金水区委书记", "jinshui", LeaderLevel::UnitChief))
        .await
        .unwrap();
    let e = store
        .scoped(&js)
        .create_leader(leader("李明", "副市长", "jinshui", LeaderLevel::CityLeader))
        .await
        .unwrap_err();
    assert_eq!(fields(&e), ["level"], "{e:?}");
    let e =
        store.scoped(&js).create_leader(leader("赵六", "二七区长", "erqi", LeaderLevel::UnitChief)).await.unwrap_err();
    assert!(matches!(e, StoreError::Forbidden), "{e:?}");
    let e =
        store.scoped(&js).create_leader(leader("", &"长".repeat(41), "jinshui", LeaderLevel::Staff)).await.unwrap_err();
    assert_eq!(fields(&e), ["name", "position", "level"], "{e:?}");
    let e = store
        .scoped(&js)
        .create_leader(leader(" 张伟 ", "区长", "jinshui", LeaderLevel::UnitDeputy))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict(ref m) if m.contains("张伟")), "one name per unit: {e:?}");
    for who in [&dept, &lead, &sys] {
        let r = store.scoped(who).create_leader(leader("钱七", "副区长", "jinshui", LeaderLevel::UnitDeputy)).await;
        assert!(matches!(r, Err(StoreError::Forbidden)), "{}: {r:?}", who.username);
    }
    let other =
        store.scoped(&eq).create_leader(leader("赵六", "二七区长", "erqi", LeaderLevel::UnitChief)).await.unwrap();
    assert_eq!(audited(&store, "leader.create").await.len(), 3);

    // who sees whom: the city all; a unit the city leaders and its own; a department the city's
    assert_eq!(names(&store, &city).await, ["王市长", "赵六", "张伟"], "city leaders first, then in the units' order");
    assert_eq!(names(&store, &js).await, ["王市长", "张伟"]);
    assert_eq!(names(&store, &lead).await, ["王市长", "张伟"]);
    assert_eq!(names(&store, &dept).await, ["王市长"]);
    assert!(matches!(store.scoped(&js).get_leader(other.id).await, Err(StoreError::Forbidden)));
    assert!(matches!(store.scoped(&js).get_leader(987_654).await, Err(StoreError::NotFound)));
    assert!(matches!(store.scoped(&sys).list_leaders(&LeaderFilter::default()).await, Err(StoreError::Forbidden)));
    let f = LeaderFilter { level: Some(LeaderLevel::UnitChief), unit: Some("erqi".into()), ..Default::default() };
    assert_eq!(store.scoped(&city).list_leaders(&f).await.unwrap().total, 1);

    // changes: at the version read, the unit's own only, audited with the before-image
    let patch = |version, active| LeaderPatch { version, active: Some(active), ..Default::default() };
    assert!(matches!(
        store.scoped(&js).update_leader(mayor.id, patch(mayor.version, false)).await,
        Err(StoreError::Forbidden)
    ));
    assert!(matches!(
        store.scoped(&js).update_leader(other.id, patch(other.version, false)).await,
        Err(StoreError::Forbidden)
    ));
    let e = store.scoped(&js).update_leader(chief.id, patch(chief.version + 1, false)).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "stale: {e:?}");
    let promote = LeaderPatch { version: chief.version, level: Some(LeaderLevel::CityLeader), ..Default::default() };
    assert_eq!(fields(&store.scoped(&js).update_leader(chief.id, promote).await.unwrap_err()), ["level"]);
    let left = store.scoped(&js).update_leader(chief.id, patch(chief.version, false)).await.unwrap();
    assert_eq!((left.active, left.version), (false, chief.version + 1));
    let rec = audited(&store, "leader.update").await;
    assert_eq!(rec.len(), 1);
    assert!(rec[0].before.as_deref().is_some_and(|b| b.contains("\"active\":true")), "{:?}", rec[0].before);
    // those who left stay on the record but are not offered to lead a project
    let choices = store.scoped(&js).lead_leader_choices(Some("jinshui")).await.unwrap();
    assert_eq!(choices.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), ["王市长"]);
});

db_test!(a_projects_lead_leader_is_a_checked_link_or_a_matched_text, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let mayor = store
        .scoped(&city)
        .create_leader(leader("王市长", "副市长", "zhengzhou", LeaderLevel::CityLeader))
        .await
        .unwrap();
    let chief = store
        .scoped(&js)
        .create_leader(leader("张伟", "金水区委书记", "jinshui", LeaderLevel::UnitChief))
        .await
        .unwrap();
    let other =
        store.scoped(&city).create_leader(leader("赵六", "二七区长", "erqi", LeaderLevel::UnitChief)).await.unwrap();

    // by id: the unit's leader or a city leader; the text is the leader's unless given
    let p = created(
        &store,
        &js,
        store::projects::ProjectInput { lead_leader_id: Some(chief.id), ..project("甲项目", "jinshui", "100") },
    )
    .await;
    assert_eq!((p.lead_leader_id, p.lead_leader.as_deref()), (Some(chief.id), Some("张伟（金水区委书记）")));
    let p2 = created(
        &store,
        &js,
        store::projects::ProjectInput { lead_leader_id: Some(mayor.id), ..project("乙项目", "jinshui", "100") },
    )
    .await;
    assert_eq!(p2.lead_leader_id, Some(mayor.id));
    for bad in [other.id, 987_654] {
        let input =
            store::projects::ProjectInput { lead_leader_id: Some(bad), ..project("丙项目", "jinshui", "100") };
        let e = store.scoped(&js).create_project(input).await.unwrap_err();
        assert_eq!(fields(&e), ["lead_leader_id"], "{bad}: {e:?}");
    }
    // by text: matched by name and unit, kept as written either way
    let t = |text: &str, name: &str| store::projects::ProjectInput {
        lead_leader: Some(text.into()),
        ..project(name, "jinshui", "100")
    };
    let p3 = created(&store, &js, t("张伟（区委书记）", "丁项目")).await;
    assert_eq!((p3.lead_leader_id, p3.lead_leader.as_deref()), (Some(chief.id), Some("张伟（区委书记）")));
    let p4 = created(&store, &js, t("赵六（二七区长）", "戊项目")).await;
    assert_eq!(
        (p4.lead_leader_id, p4.lead_leader.as_deref()),
        (None, Some("赵六（二七区长）")),
        "another unit's chief"
    );
    let p5 = created(&store, &js, t("王市长", "己项目")).await;
    assert_eq!(p5.lead_leader_id, Some(mayor.id), "a city leader by name");

    // a patch: a new text asks the register again, null unlinks and keeps the text, an id is checked
    let patch = |p: &store::projects::Project| ProjectPatch { version: p.version, ..Default::default() };
    let p3 = store
        .scoped(&js)
        .update_project(p3.id, ProjectPatch { lead_leader: Some(Some("李四".into())), ..patch(&p3) })
        .await
        .unwrap();
    assert_eq!((p3.lead_leader_id, p3.lead_leader.as_deref()), (None, Some("李四")));
    let p5 = store
        .scoped(&js)
        .update_project(p5.id, ProjectPatch { lead_leader_id: Some(None), ..patch(&p5) })
        .await
        .unwrap();
    assert_eq!((p5.lead_leader_id, p5.lead_leader.as_deref()), (None, Some("王市长")));
    let e = store
        .scoped(&js)
        .update_project(p4.id, ProjectPatch { lead_leader_id: Some(Some(other.id)), ..patch(&p4) })
        .await
        .unwrap_err();
    assert_eq!(fields(&e), ["lead_leader_id"]);
    let p4 = store
        .scoped(&js)
        .update_project(p4.id, ProjectPatch { lead_leader_id: Some(Some(chief.id)), ..patch(&p4) })
        .await
        .unwrap();
    assert_eq!(
        (p4.lead_leader_id, p4.lead_leader.as_deref()),
        (Some(chief.id), Some("赵六（二七区长）")),
        "the text given stays"
    );
    // moved to erqi by the city: the jinshui chief no longer leads it, the text is asked again
    let moved = ProjectPatch { unit: Some("erqi".into()), ..patch(&p4) };
    let p4 = store.scoped(&city).update_project(p4.id, moved).await.unwrap();
    assert_eq!(p4.lead_leader_id, Some(other.id), "赵六 is erqi's chief");
    let led = store.scoped(&city).projects_led_by(chief.id).await.unwrap();
    assert_eq!(led.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["甲项目"]);
});

db_test!(texts_written_before_the_register_are_matched_and_linked_or_reported, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let t = |text: &str, name: &str, unit: &str| store::projects::ProjectInput {
        lead_leader: Some(text.into()),
        ..project(name, unit, "100")
    };
    let a = created(&store, &js, t("张伟（金水区委书记）", "甲项目", "jinshui")).await;
    let b = created(&store, &js, t("王市长", "乙项目", "jinshui")).await;
    let c = created(&store, &js, t("无名氏（待定）", "丙项目", "jinshui")).await;
    let e = created(&store, &eq, t("张伟（二七区副区长）", "丁项目", "erqi")).await;
    assert!([&a, &b, &c, &e].iter().all(|p| p.lead_leader_id.is_none()), "the register is empty");
    let report = store.scoped(&city).lead_leader_matches().await.unwrap();
    assert_eq!((report.linked.len(), report.unlinked.len()), (0, 4));

    let chief = store
        .scoped(&js)
        .create_leader(leader("张伟", "金水区委书记", "jinshui", LeaderLevel::UnitChief))
        .await
        .unwrap();
    let mayor = store
        .scoped(&city)
        .create_leader(leader("王市长", "副市长", "zhengzhou", LeaderLevel::CityLeader))
        .await
        .unwrap();
    store.scoped(&city).create_leader(leader("王市长", "市长助理", "erqi", LeaderLevel::CityLeader)).await.unwrap();
    // a unit sees its own projects' matches only
    let mine = store.scoped(&js).lead_leader_matches().await.unwrap();
    assert_eq!(mine.linked.iter().map(|l| l.project_id).collect::<Vec<_>>(), [a.id]);
    let mut unlinked: Vec<(&str, bool)> =
        mine.unlinked.iter().map(|u| (u.project_name.as_str(), u.reason.contains("2 位"))).collect();
    unlinked.sort();
    assert_eq!(unlinked, [("丙项目", false), ("乙项目", true)], "two city leaders of that name are ambiguous");
    assert_eq!(lead_of(&store, &city, a.id).await, None, "a report writes nothing");
    // applied by the city: every unit's matching texts linked, texts unchanged, one audit record
    let done = store.scoped(&city).link_lead_leaders(true).await.unwrap();
    assert!(done.applied);
    assert_eq!(done.linked.iter().map(|l| (l.project_id, l.leader_id)).collect::<Vec<_>>(), [(a.id, chief.id)]);
    assert_eq!(done.unlinked.len(), 3, "erqi's 张伟 is not jinshui's: {:?}", done.unlinked);
    let after = store.scoped(&city).get_project(a.id).await.unwrap();
    assert_eq!(
        (after.lead_leader_id, after.lead_leader.as_deref(), after.version),
        (Some(chief.id), Some("张伟（金水区委书记）"), a.version + 1)
    );
    let rec = audited(&store, "leader.link").await;
    assert_eq!(rec.len(), 1);
    assert!(rec[0].after.as_deref().is_some_and(|t| t.contains(&a.id.to_string())));
    assert!(store.scoped(&js).link_lead_leaders(true).await.unwrap().linked.is_empty(), "nothing left to link");
    assert!(matches!(
        store.scoped(&actor(&store, Role::Leader, "jinshui")).link_lead_leaders(true).await,
        Err(StoreError::Forbidden)
    ));
    let _ = mayor;
});

db_test!(a_ledgers_lead_leader_is_matched_and_an_unknown_name_is_a_warning, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let chief = store
        .scoped(&js)
        .create_leader(leader("张伟", "金水区委书记", "jinshui", LeaderLevel::UnitChief))
        .await
        .unwrap();
    let mut known = ledger_row(5, "甲项目", "甲企业");
    known.lead_leader = Some("张伟（区委书记）".into());
    let mut unknown = ledger_row(6, "乙项目", "甲企业");
    unknown.lead_leader = Some("周八（副区长）".into());
    let r = store.scoped(&js).import_projects(vec![known.clone(), unknown.clone()], false).await.unwrap();
    assert!(r.committed && r.ok(), "a warning does not stop an import: {r:?}");
    assert_eq!(r.warning_count, 1);
    assert_eq!((r.warnings[0].row, r.warnings[0].column.as_str()), (6, "包联领导"));
    assert!(
        r.warnings[0].reason.contains("周八") && r.warnings[0].value.contains("周八（副区长）"),
        "{:?}",
        r.warnings[0]
    );
    let all = store.scoped(&js).list_projects(&Default::default()).await.unwrap().items;
    let by = |name: &str| all.iter().find(|p| p.name == name).unwrap().clone();
    assert_eq!(
        (by("甲项目").lead_leader_id, by("甲项目").lead_leader.as_deref()),
        (Some(chief.id), Some("张伟（区委书记）"))
    );
    assert_eq!((by("乙项目").lead_leader_id, by("乙项目").lead_leader.as_deref()), (None, Some("周八（副区长）")));

    // the same file again once 周八 is registered: the unchanged text is linked now, as a change
    let zhou =
        store.scoped(&city).create_leader(leader("周八", "副区长", "jinshui", LeaderLevel::UnitDeputy)).await.unwrap();
    let r = store.scoped(&js).import_projects(vec![known, unknown], true).await.unwrap();
    assert_eq!((r.warning_count, r.updated.clone()), (0, vec![6]), "{r:?}");
    assert!(
        r.plans[0].changes.iter().any(|c| c.field == "包联领导（名录）" && c.after.contains("周八")),
        "{:?}",
        r.plans
    );
    let again = store.scoped(&js).list_projects(&Default::default()).await.unwrap().items;
    assert_eq!(again.iter().find(|p| p.name == "乙项目").unwrap().lead_leader_id, None, "a dry run writes nothing");
    let _ = zhou;
});
