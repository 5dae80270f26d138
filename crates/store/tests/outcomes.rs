//! 运行监测 (domain.md §4): a project the city accepted as 投产 records its yearly output, tax
//! and jobs beside the expected values; nobody else's and nothing before. Each test runs on
//! SQLite and on PostgreSQL.

use domain::{Role, Stage};
use store::outcomes::OutcomeInput;
use store::testing::fixtures::{actor, audits, created, d, m, project, to};
use store::{StoreError, db_test};

fn figures(output: &str, jobs: i32) -> OutcomeInput {
    OutcomeInput { output: Some(m(output)), tax: None, jobs: Some(jobs), note: None, version: None }
}

/// A move to `stage` on `date` with every skipped stage dated the same day.
fn skipping_to(stage: Stage, date: &str) -> store::projects::TransitionInput {
    let mut t = to(stage, date);
    for s in [Stage::Signed, Stage::Approved, Stage::Started] {
        if s.order() < stage.order() {
            t.skipped_dates.insert(s, d(date));
        }
    }
    t
}

db_test!(a_producing_project_records_its_years_beside_the_expected, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let other = actor(&store, Role::UnitStaff, "erqi");
    let today = d("2026-12-02");
    let mut input = project("金水智能终端产业园", "jinshui", "50000");
    input.expected_output = Some(m("20000"));
    input.expected_jobs = Some(400);
    let p = created(&store, &js, input).await;

    // not yet producing: refused, nothing written
    let e = store.scoped(&js).record_outcome(p.id, 2026, figures("100", 10), today).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(ref m) if m.contains("投产")), "{e:?}");
    // the unit's claim to 投产 is not enough: the city has not accepted it
    store.scoped(&city).transition_project(p.id, skipping_to(Stage::Started, "2024-05-01")).await.unwrap();
    store.scoped(&js).transition_project(p.id, to(Stage::Producing, "2025-06-30")).await.unwrap();
    let e = store.scoped(&js).record_outcome(p.id, 2025, figures("100", 10), today).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "a claim is not 投产 yet: {e:?}");
    let waiting = store.scoped(&city).list_reviews(&Default::default()).await.unwrap();
    let claim = waiting.items.iter().find(|r| r.project_id == p.id && r.kind == "stage").unwrap().id;
    store.scoped(&city).accept_review(claim).await.unwrap();
    assert_eq!(audits(&store, "outcome.record", p.id).await.len(), 0);

    let y = store.scoped(&js).record_outcome(p.id, 2025, figures("17000", 500), today).await.unwrap();
    assert_eq!((y.outcome.year, y.outcome.output, y.outcome.jobs), (2025, Some(m("17000")), Some(500)));
    assert_eq!(y.output_rate.as_deref(), Some("0.8500"));
    assert_eq!(y.jobs_rate.as_deref(), Some("1.2500"), "more jobs than expected");
    assert_eq!(y.tax_rate, None, "nothing recorded, nothing expected");
    assert_eq!(audits(&store, "outcome.record", p.id).await.len(), 1);

    // a year before producing or after this one names 年度
    for year in [2024, 2027] {
        let e = store.scoped(&js).record_outcome(p.id, year, figures("1", 1), today).await.unwrap_err();
        assert!(matches!(&e, StoreError::Validation(f) if f[0].field == "year"), "{year}: {e:?}");
    }
    // nothing at all, negative jobs, a note over 500 characters: each field named
    let empty = OutcomeInput { note: Some("x".repeat(501)), ..Default::default() };
    let e = store.scoped(&js).record_outcome(p.id, 2026, empty, today).await.unwrap_err();
    let StoreError::Validation(f) = e else { panic!("{e:?}") };
    let fields: Vec<&str> = f.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["note", "output"]);
    let e = store.scoped(&js).record_outcome(p.id, 2026, figures("1", -3), today).await.unwrap_err();
    assert!(matches!(&e, StoreError::Validation(f) if f[0].field == "jobs" && f[0].message.contains("负数")));

    // correcting a year needs the version read; a stale one loses
    let e = store.scoped(&js).record_outcome(p.id, 2025, figures("18000", 500), today).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e:?}");
    let fix = OutcomeInput { version: Some(y.outcome.version), ..figures("18000", 520) };
    let y2 = store.scoped(&js).record_outcome(p.id, 2025, fix.clone(), today).await.unwrap();
    assert_eq!((y2.outcome.output, y2.outcome.version), (Some(m("18000")), y.outcome.version + 1));
    assert!(matches!(store.scoped(&js).record_outcome(p.id, 2025, fix, today).await, Err(StoreError::Conflict(_))));
    store.scoped(&js).record_outcome(p.id, 2026, figures("21000", 530), today).await.unwrap();
    assert_eq!(audits(&store, "outcome.record", p.id).await.len(), 3, "one audit record per write, none for refusals");

    // another unit: neither reads nor writes; the city reads it
    assert!(matches!(store.scoped(&other).outcomes(p.id).await, Err(StoreError::Forbidden)));
    let e = store.scoped(&other).record_outcome(p.id, 2026, figures("1", 1), today).await.unwrap_err();
    assert!(matches!(e, StoreError::Forbidden), "{e:?}");
    let all = store.scoped(&city).outcomes(p.id).await.unwrap();
    assert!(all.records_outcomes);
    assert_eq!(all.expected_output, Some(m("20000")));
    let years: Vec<i32> = all.years.iter().map(|y| y.outcome.year).collect();
    assert_eq!(years, [2026, 2025], "the latest first");
    assert_eq!(all.years[1].outcome.output, Some(m("18000")));

    // the timeline shows each record, with its author
    let events = store.scoped(&js).timeline(p.id).await.unwrap();
    let outcome_events = events.iter().filter(|e| e.kind == "outcome").count();
    assert_eq!(outcome_events, 3);
});

db_test!(a_leader_reads_but_does_not_record, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let leader = actor(&store, Role::Leader, "hangkonggang");
    let p = created(&store, &city, project("航空港区精密制造", "hangkonggang", "8000")).await;
    store.scoped(&city).transition_project(p.id, skipping_to(Stage::Producing, "2025-01-10")).await.unwrap();
    let today = d("2026-12-02");
    store.scoped(&city).record_outcome(p.id, 2025, figures("3000", 80), today).await.unwrap();
    let seen = store.scoped(&leader).outcomes(p.id).await.unwrap();
    assert_eq!(seen.years.len(), 1);
    assert_eq!(seen.years[0].output_rate, None, "no expected output: no 达成率");
    let e = store.scoped(&leader).record_outcome(p.id, 2026, figures("1", 1), today).await.unwrap_err();
    assert!(matches!(e, StoreError::Forbidden), "{e:?}");
    // a deleted project records nothing
    store.scoped(&city).delete_project(p.id).await.unwrap();
    let e = store.scoped(&city).record_outcome(p.id, 2026, figures("1", 1), today).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e:?}");
});
