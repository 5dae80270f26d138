//! Stored schemes and runs (assessment.md; api.md `schemes`, `assessments`): a scheme saved
//! by revision, refused naming its indicator and unit; a run stored with its inputs and
//! output hashed (the same data gives the same hashes), the manual values and 加减分 of its
//! period read, the drill-down as counted when the run was made; who may do what. Each test
//! runs on SQLite and on PostgreSQL.

use domain::Role;
use domain::assessment::{AdjustmentKind, BulletinState};
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, Set};
use store::assessment::{AdjustmentInput, ManualValueInput, SchemeSource};
use store::testing::fixtures::{actor, audits, d, dec, funded, test_scheme};
use store::{StoreError, db_test};

/// Two units, one funds indicator against a target and one manual measure.
fn scheme_text() -> String {
    test_scheme(["zhongyuan", "erqi"], true)
}

fn satisfaction(unit: &str, value: &str) -> ManualValueInput {
    ManualValueInput {
        unit: unit.into(),
        measure: "satisfaction".into(),
        from: d("2025-01-01"),
        to: d("2025-12-31"),
        value: dec(value),
        source: "2025年度企业满意度问卷（第三方）".into(),
    }
}

fn fields(e: StoreError) -> Vec<(String, String)> {
    match e {
        StoreError::Validation(f) => f.into_iter().map(|f| (f.field, f.message)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

db_test!(a_scheme_is_saved_by_revision_and_an_invalid_one_names_indicator_and_unit, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let s = store.scoped(&city);
    let first = s.save_scheme(&scheme_text()).await.unwrap();
    let second = s.save_scheme(&scheme_text()).await.unwrap();
    assert_eq!((first.version, second.version), (1, 2));
    assert_eq!((first.name.as_str(), first.from, first.to), ("2025年度测试考核", d("2025-01-01"), d("2025-12-31")));
    let listed: Vec<i64> = s.list_schemes().await.unwrap().iter().map(|x| x.id).collect();
    assert_eq!(listed, [second.id, first.id]);
    assert_eq!(audits(&store, "assessment.scheme_save", first.id).await.len(), 1);

    // a target missing for erqi: refused, naming the indicator and the unit; nothing saved
    let bad = scheme_text().replace("erqi = 1000\n", "");
    let errors = fields(s.save_scheme(&bad).await.unwrap_err());
    assert!(errors.iter().all(|(f, _)| f == "scheme"), "{errors:?}");
    assert!(errors.iter().any(|(_, m)| m.contains("funds") && m.contains("erqi")), "{errors:?}");
    let weightless = scheme_text().replace("weight = 40", "weight = 0");
    let errors = fields(s.save_scheme(&weightless).await.unwrap_err());
    assert!(errors.iter().any(|(_, m)| m.contains("satisfaction")), "{errors:?}");
    assert_eq!(s.list_schemes().await.unwrap().len(), 2);

    // only city_admin saves; a unit user reads no scheme
    let leader = actor(&store, Role::Leader, "zhengzhou");
    assert!(matches!(store.scoped(&leader).save_scheme(&scheme_text()).await, Err(StoreError::Forbidden)));
    assert_eq!(store.scoped(&leader).list_schemes().await.unwrap().len(), 2);
    let zy = actor(&store, Role::UnitStaff, "zhongyuan");
    assert!(matches!(store.scoped(&zy).list_schemes().await, Err(StoreError::Forbidden)));
});

db_test!(a_stored_run_keeps_its_inputs_hashed_and_its_drill_down_as_counted, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let zy = actor(&store, Role::UnitStaff, "zhongyuan");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let (zy_project, zy_entry) = funded(&store, &zy, &city, "中原项目", "2025-05-01", "800").await;
    funded(&store, &eq, &city, "二七项目", "2025-05-01", "1200").await;
    let s = store.scoped(&city);
    let scheme = s.save_scheme(&scheme_text()).await.unwrap();

    // the manual measure is missing: refused naming it and the unit
    let errors = fields(s.store_run(SchemeSource::Stored(scheme.id), None).await.unwrap_err());
    assert!(errors.iter().any(|(_, m)| m.contains("satisfaction") && m.contains("zhongyuan")), "{errors:?}");

    s.set_manual_value(satisfaction("zhongyuan", "0.9")).await.unwrap();
    s.set_manual_value(satisfaction("erqi", "0.5")).await.unwrap();
    // entered again: replaced, not added
    let again = s.set_manual_value(satisfaction("erqi", "0.75")).await.unwrap();
    assert_eq!(again.value, dec("0.75"));
    assert_eq!(s.manual_values(d("2025-01-01"), d("2025-12-31")).await.unwrap().len(), 2);
    let bonus = AdjustmentInput {
        unit: "erqi".into(),
        from: d("2025-01-01"),
        to: d("2025-12-31"),
        kind: "penalty".into(),
        points: dec("5"),
        reason: "统计数据经核查不实".into(),
    };
    let penalty = s.add_adjustment(bonus).await.unwrap();
    assert_eq!((penalty.kind, penalty.points), (AdjustmentKind::Penalty, dec("-5")));

    let run = s.store_run(SchemeSource::Stored(scheme.id), None).await.unwrap();
    let a = &run.assessment;
    // 中原: 60 × 0.8 + 40 × 0.9 = 84; 二七: 60 × 1 (cap 1) + 40 × 0.75 − 5 = 85
    let ranking: Vec<(&str, Decimal, u32)> =
        a.results.iter().map(|r| (r.unit.code.as_str(), r.total, r.rank)).collect();
    assert_eq!(ranking, [("erqi", dec("85.00"), 1), ("zhongyuan", dec("84.00"), 2)]);
    assert_eq!(run.scheme_id, Some(scheme.id));
    assert_eq!(run.inputs_sha256.len(), 64);
    assert_eq!(audits(&store, "assessment.run", run.id).await.len(), 1);

    // the same data, run again: byte-identical inputs and output
    let twice = s.store_run(SchemeSource::Text(scheme_text()), None).await.unwrap();
    assert_eq!((&twice.inputs_sha256, &twice.output_sha256), (&run.inputs_sha256, &run.output_sha256));
    assert_eq!(twice.scheme_id, None);

    // the drill-down: the entry counted, and the manual value with its source
    let records = s.run_records(run.id, "zhongyuan", "funds").await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(
        (records[0].entity.as_str(), records[0].id, records[0].project_id, records[0].value),
        ("funds_entry", zy_entry, Some(zy_project), dec("800"))
    );
    let manual = s.run_records(run.id, "erqi", "satisfaction").await.unwrap();
    assert_eq!(manual.len(), 1);
    assert!(manual[0].label.contains("满意度问卷"), "{:?}", manual[0]);
    assert!(matches!(s.run_records(run.id, "zhongyuan", "nope").await, Err(StoreError::Validation(_))));
    assert!(matches!(s.run_records(run.id, "jinshui", "funds").await, Err(StoreError::Validation(_))));

    // a new entry changes a new run, never the stored one nor its drill-down
    funded(&store, &zy, &city, "中原项目二", "2025-05-01", "300").await;
    let later = s.store_run(SchemeSource::Stored(scheme.id), None).await.unwrap();
    assert_ne!(later.output_sha256, run.output_sha256);
    let stored = s.stored_run(run.id).await.unwrap();
    assert_eq!((stored.output_sha256, stored.assessment), (run.output_sha256.clone(), run.assessment.clone()));
    assert_eq!(s.run_records(run.id, "zhongyuan", "funds").await.unwrap().len(), 1);
    assert_eq!(s.run_records(later.id, "zhongyuan", "funds").await.unwrap().len(), 2);
    let diff = domain::assessment::compare(&run.assessment, &later.assessment);
    assert!(diff.iter().any(|x| x.unit.code == "zhongyuan" && x.field == "funds.value"), "{diff:?}");

    let (page, total) = s.list_runs(1, 2).await.unwrap();
    assert_eq!((total, page.iter().map(|r| r.id).collect::<Vec<_>>()), (3, vec![later.id, twice.id]));
});

db_test!(units_read_a_run_only_once_published_and_only_their_own_records, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let zy = actor(&store, Role::UnitStaff, "zhongyuan");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    funded(&store, &zy, &city, "中原项目", "2025-05-01", "800").await;
    let s = store.scoped(&city);
    s.set_manual_value(satisfaction("zhongyuan", "0.9")).await.unwrap();
    s.set_manual_value(satisfaction("erqi", "0.5")).await.unwrap();

    // a unit user runs nothing, stores nothing, enters nothing
    assert!(matches!(
        store.scoped(&zy).store_run(SchemeSource::Text(scheme_text()), None).await,
        Err(StoreError::Forbidden)
    ));
    assert!(matches!(
        store.scoped(&zy).set_manual_value(satisfaction("zhongyuan", "1")).await,
        Err(StoreError::Forbidden)
    ));
    let supervisor = actor(&store, Role::Supervisor, "shangwu");
    let run = store.scoped(&supervisor).store_run(SchemeSource::Text(scheme_text()), None).await.unwrap();
    assert!(matches!(
        store.scoped(&supervisor).set_manual_value(satisfaction("erqi", "1")).await,
        Err(StoreError::Forbidden)
    ));

    // unpublished: the unit reads neither the run nor its records
    assert!(matches!(store.scoped(&zy).stored_run(run.id).await, Err(StoreError::Forbidden)));
    assert!(matches!(store.scoped(&zy).run_records(run.id, "zhongyuan", "funds").await, Err(StoreError::Forbidden)));
    assert!(matches!(store.scoped(&zy).stored_run(run.id + 100).await, Err(StoreError::NotFound)));

    // a published bulletin holds it: the unit reads the run and its own records, not erqi's
    let now = chrono::Utc::now();
    store::entity::bulletin::ActiveModel {
        run_id: Set(run.id),
        number: Set("郑商通〔2026〕1号".into()),
        title: Set("测试通报".into()),
        issued_on: Set(d("2026-01-10")),
        year: Set(2025),
        state: Set(BulletinState::Published.code().into()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(store.db())
    .await
    .unwrap();
    assert_eq!(store.scoped(&zy).stored_run(run.id).await.unwrap().output_sha256, run.output_sha256);
    assert_eq!(store.scoped(&zy).run_records(run.id, "zhongyuan", "funds").await.unwrap().len(), 1);
    assert!(matches!(store.scoped(&zy).run_records(run.id, "erqi", "funds").await, Err(StoreError::Forbidden)));
    assert!(matches!(store.scoped(&eq).run_inputs(run.id).await, Err(StoreError::Forbidden)));
    let dept = actor(&store, Role::DeptStaff, "ziranziyuan");
    assert!(matches!(store.scoped(&dept).stored_run(run.id).await, Err(StoreError::Forbidden)));
});

db_test!(entries_are_checked_field_by_field_and_a_withdrawn_adjustment_stops_counting, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let s = store.scoped(&city);
    let bad = ManualValueInput {
        unit: "shangwu".into(),
        measure: "Satisfaction!".into(),
        from: d("2025-12-31"),
        to: d("2025-01-01"),
        value: dec("-1"),
        source: " ".into(),
    };
    let errors: Vec<String> = fields(s.set_manual_value(bad).await.unwrap_err()).into_iter().map(|f| f.0).collect();
    assert_eq!(errors, ["unit", "measure", "to", "value", "source"]);
    let bad = AdjustmentInput {
        unit: "nowhere".into(),
        from: d("2025-01-01"),
        to: d("2025-12-31"),
        kind: "gift".into(),
        points: dec("0.001"),
        reason: "x".repeat(501),
    };
    let errors: Vec<String> = fields(s.add_adjustment(bad).await.unwrap_err()).into_iter().map(|f| f.0).collect();
    assert_eq!(errors, ["unit", "kind", "points", "reason"]);

    s.set_manual_value(satisfaction("zhongyuan", "1")).await.unwrap();
    s.set_manual_value(satisfaction("erqi", "1")).await.unwrap();
    let entry = AdjustmentInput {
        unit: "zhongyuan".into(),
        from: d("2025-01-01"),
        to: d("2025-12-31"),
        kind: "bonus".into(),
        points: dec("2.5"),
        reason: "承办全市招商推介会".into(),
    };
    let bonus = s.add_adjustment(entry).await.unwrap();
    let run = s.store_run(SchemeSource::Text(scheme_text()), None).await.unwrap();
    let zy = run.assessment.results.iter().find(|r| r.unit.code == "zhongyuan").unwrap();
    assert_eq!((zy.bonus, zy.total), (dec("2.5"), dec("42.50")));
    s.remove_adjustment(bonus.id).await.unwrap();
    assert!(matches!(s.remove_adjustment(bonus.id).await, Err(StoreError::NotFound)));
    assert_eq!(audits(&store, "assessment.adjustment", bonus.id).await.len(), 2);
    let run = s.store_run(SchemeSource::Text(scheme_text()), None).await.unwrap();
    let zy = run.assessment.results.iter().find(|r| r.unit.code == "zhongyuan").unwrap();
    assert_eq!((zy.bonus, zy.total), (dec("0"), dec("40.00")));
});

db_test!(the_top10_bonus_counts_the_years_picks_of_each_units_subtree, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let zy = actor(&store, Role::UnitStaff, "zhongyuan");
    let (p1, _) = funded(&store, &zy, &city, "中原项目一", "2025-05-01", "100").await;
    let (p2, _) = funded(&store, &zy, &city, "中原项目二", "2025-05-01", "100").await;
    let s = store.scoped(&city);
    s.set_manual_value(satisfaction("zhongyuan", "0.9")).await.unwrap();
    s.set_manual_value(satisfaction("erqi", "0.5")).await.unwrap();
    let now = chrono::Utc::now();
    for (k, (project, year)) in [(p1, 2025), (p2, 2025), (p2, 2024)].into_iter().enumerate() {
        store::entity::top10_pick::ActiveModel {
            year: Set(year),
            project_id: Set(project),
            position: Set(k as i32 + 1),
            citation: Set("年度重大项目".into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(store.db())
        .await
        .unwrap();
    }
    let with_bonus = scheme_text().replace("units = [", "top10_bonus = 2\nunits = [");
    let run = s.store_run(SchemeSource::Text(with_bonus), None).await.unwrap();
    let zy_row = run.assessment.results.iter().find(|r| r.unit.code == "zhongyuan").unwrap();
    assert_eq!(zy_row.bonus, dec("4"), "two picks of 2025 at 2 points each; the 2024 one not");
    assert!(zy_row.adjustments[0].reason.contains("十大"), "{:?}", zy_row.adjustments);
    let eq_row = run.assessment.results.iter().find(|r| r.unit.code == "erqi").unwrap();
    assert_eq!(eq_row.bonus, dec("0"));
    // without the key, no bonus
    let plain = s.store_run(SchemeSource::Text(scheme_text()), None).await.unwrap();
    assert!(plain.assessment.results.iter().all(|r| r.bonus.is_zero()));
});
