//! 审核 (domain.md §4): a unit's claims wait for the city; only what the city accepted
//! counts. Each test runs on SQLite and on PostgreSQL.

use domain::review::ReviewPolicy;
use domain::{ReviewState, Role, Stage};
use sea_orm::EntityTrait;
use store::entity::{funds_entry, transition};
use store::reviews::{Resubmission, ReviewFilter};
use store::testing::fixtures::{actor, audited, created, d, domestic_funds, entity_actions, m, project, to};
use store::{StoreError, db_test};

fn waiting() -> ReviewFilter {
    ReviewFilter { state: Some(ReviewState::Submitted), ..Default::default() }
}

db_test!(signing_counts_only_when_the_city_accepts, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let p = created(&store, &js, project("金水终端", "jinshui", "1000")).await;
    let today = d("2026-11-27");
    let after = store.scoped(&js).transition_project(p.id, to(Stage::Signed, "2026-03-01")).await.unwrap();
    assert_eq!((after.stage, after.accepted_stage), (Stage::Signed, Stage::Reserve));
    assert_eq!(after.review_state, "submitted");
    assert_eq!(store.scoped(&city).dashboard(today).await.unwrap().signed_this_year.count, 0);

    let list = store.scoped(&city).list_reviews(&waiting()).await.unwrap();
    assert_eq!(list.total, 1);
    let claim = &list.items[0];
    assert_eq!((claim.kind.as_str(), claim.stage.as_deref(), claim.date), ("stage", Some("signed"), d("2026-03-01")));
    assert_eq!(claim.project_name, "金水终端");
    assert_eq!(store.scoped(&city).count_waiting_reviews().await.unwrap(), 1);

    // a unit cannot decide
    assert!(matches!(store.scoped(&js).accept_review(claim.id).await, Err(StoreError::Forbidden)));
    // the city returns it: still not counted
    let e = store.scoped(&city).return_review(claim.id, "  ".into()).await.unwrap_err();
    assert!(matches!(&e, StoreError::Validation(f) if f[0].field == "comment"), "{e:?}");
    let r = store.scoped(&city).return_review(claim.id, "合同扫描件不清晰".into()).await.unwrap();
    assert_eq!((r.state.as_str(), r.comment.as_deref()), ("returned", Some("合同扫描件不清晰")));
    assert_eq!(store.scoped(&js).get_project(p.id).await.unwrap().review_state, "returned");
    let dash = store.scoped(&city).dashboard(today).await.unwrap();
    assert_eq!(dash.signed_this_year.count, 0, "a returned claim does not count");
    assert_eq!(dash.claims_pending, 0);
    let ledger = store::projects::ProjectFilter { stage: Some(Stage::Signed), ..Default::default() };
    assert_eq!(store.scoped(&city).pending_claims(&ledger).await.unwrap().count, 1, "the ledger flags it");
    // deciding it again: 409
    assert!(matches!(store.scoped(&city).accept_review(claim.id).await, Err(StoreError::Conflict(_))));
    // the city cannot resubmit; the unit resubmits with a corrected date
    assert!(matches!(
        store.scoped(&city).resubmit_review(claim.id, Resubmission::default()).await,
        Err(StoreError::Forbidden)
    ));
    let fix = Resubmission { date: Some(d("2026-03-05")), amount: None, note: Some("补充合同".into()) };
    let r = store.scoped(&js).resubmit_review(claim.id, fix).await.unwrap();
    assert_eq!((r.state.as_str(), r.resubmissions, r.date), ("submitted", 1, d("2026-03-05")));
    let t = transition::Entity::find_by_id(r.transition_id.unwrap()).one(store.db()).await.unwrap().unwrap();
    assert_eq!((t.date, t.note.as_deref(), t.review_state.as_str()), (d("2026-03-05"), Some("补充合同"), "submitted"));
    assert_eq!(store.scoped(&city).get_project(p.id).await.unwrap().signed_on, Some(d("2026-03-05")));

    let r = store.scoped(&city).accept_review(claim.id).await.unwrap();
    assert_eq!(r.state, "accepted");
    assert_eq!(r.accepted_on, Some(domain::today_shanghai()));
    let p = store.scoped(&city).get_project(p.id).await.unwrap();
    assert_eq!((p.accepted_stage, p.review_state.as_str()), (Stage::Signed, "none"));
    let t = transition::Entity::find_by_id(t.id).one(store.db()).await.unwrap().unwrap();
    assert_eq!(t.review_state, "accepted");
    assert_eq!(store.scoped(&city).dashboard(today).await.unwrap().signed_this_year.count, 1);
    assert_eq!(store.scoped(&city).pending_claims(&ledger).await.unwrap().count, 0);
    assert!(matches!(store.scoped(&city).accept_review(claim.id).await, Err(StoreError::Conflict(_))));
    assert_eq!(entity_actions(&store, "review", claim.id).await, ["review.return", "review.resubmit", "review.accept"]);
});

db_test!(returned_funds_count_nowhere_and_batch_accept, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let a = created(&store, &city, project("金水物流", "jinshui", "1000")).await;
    let b = created(&store, &city, project("二七汽车", "erqi", "1000")).await;
    let fa = store.scoped(&js).add_funds(a.id, domestic_funds("2026-04-10", "100.01")).await.unwrap();
    store.scoped(&js).add_funds(a.id, domestic_funds("2026-04-11", "7")).await.unwrap();
    store.scoped(&eq).add_funds(b.id, domestic_funds("2026-05-01", "50")).await.unwrap();
    // the city's own entry counts at once and opens no claim
    store.scoped(&city).add_funds(b.id, domestic_funds("2026-05-02", "1")).await.unwrap();
    let today = d("2026-11-27");
    assert_eq!(store.scoped(&city).dashboard(today).await.unwrap().funds_this_year.domestic, m("1"));

    // a unit sees its own claims only; a unit filter outside its scope is refused
    let mine = store.scoped(&js).list_reviews(&ReviewFilter::default()).await.unwrap();
    assert_eq!(mine.total, 2);
    assert!(mine.items.iter().all(|i| i.project_id == a.id));
    let other = ReviewFilter { unit: Some("erqi".into()), ..Default::default() };
    assert!(matches!(store.scoped(&js).list_reviews(&other).await, Err(StoreError::Forbidden)));
    let by_unit = store.scoped(&city).list_reviews(&other).await.unwrap();
    assert_eq!(by_unit.total, 1);
    let aged = ReviewFilter { older_than_days: Some(3), ..Default::default() };
    assert_eq!(store.scoped(&city).list_reviews(&aged).await.unwrap().total, 0, "all submitted today");
    // a dept user reads no claims
    let dept = actor(&store, Role::DeptStaff, "fagai");
    assert!(matches!(store.scoped(&dept).list_reviews(&ReviewFilter::default()).await, Err(StoreError::Forbidden)));

    let all = store.scoped(&city).list_reviews(&waiting()).await.unwrap();
    assert_eq!(all.total, 3);
    let first = all.items.iter().find(|i| i.funds_entry_id == Some(fa.id)).unwrap().id;
    store.scoped(&city).return_review(first, "银行回单缺失".into()).await.unwrap();
    let rest: Vec<i64> = all.items.iter().map(|i| i.id).filter(|id| *id != first).collect();
    // a batch with a claim that is not waiting fails whole
    let e = store.scoped(&city).accept_reviews(vec![rest[0], first]).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)), "{e:?}");
    assert_eq!(store.scoped(&city).list_reviews(&waiting()).await.unwrap().total, 2, "nothing accepted");
    let done = store.scoped(&city).accept_reviews(rest.clone()).await.unwrap();
    assert!(done.iter().all(|i| i.state == "accepted"));
    let dash = store.scoped(&city).dashboard(today).await.unwrap();
    assert_eq!(dash.funds_this_year.domestic, m("58"), "7 + 50 + 1; the returned 100.01 not counted");
    let e = funds_entry::Entity::find_by_id(fa.id).one(store.db()).await.unwrap().unwrap();
    assert_eq!(e.review_state, "returned");
    let entries = store.scoped(&city).list_funds(a.id).await.unwrap();
    assert_eq!(store::funds::accepted_totals(&entries).domestic, m("7"));

    // a corrected amount, resubmitted and accepted, counts
    let fix = Resubmission { date: None, amount: Some(m("90")), note: None };
    assert!(matches!(store.scoped(&eq).resubmit_review(first, fix.clone()).await, Err(StoreError::Forbidden)));
    store.scoped(&js).resubmit_review(first, fix).await.unwrap();
    store.scoped(&city).accept_review(first).await.unwrap();
    let dash = store.scoped(&city).dashboard(today).await.unwrap();
    assert_eq!(dash.funds_this_year.domestic, m("148"));
    assert!(matches!(store.scoped(&city).accept_reviews(vec![]).await, Err(StoreError::Validation(_))));
});

db_test!(the_policy_limits_review_to_city_reportable_projects, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    assert_eq!(store.scoped(&js).review_policy().await.unwrap(), ReviewPolicy::AllProjects);
    assert!(matches!(
        store.scoped(&js).set_review_policy(ReviewPolicy::CityReportableOnly).await,
        Err(StoreError::Forbidden)
    ));
    store.scoped(&city).set_review_policy(ReviewPolicy::CityReportableOnly).await.unwrap();
    assert_eq!(store.scoped(&js).review_policy().await.unwrap(), ReviewPolicy::CityReportableOnly);
    let small = created(&store, &js, project("小项目", "jinshui", "100")).await;
    let big = created(&store, &js, project("大项目", "jinshui", "500000")).await;
    assert!(!small.city_reportable && big.city_reportable);
    let s = store.scoped(&js).transition_project(small.id, to(Stage::Signed, "2026-03-01")).await.unwrap();
    assert_eq!((s.accepted_stage, s.review_state.as_str()), (Stage::Signed, "none"), "not reviewed");
    let b = store.scoped(&js).transition_project(big.id, to(Stage::Signed, "2026-03-01")).await.unwrap();
    assert_eq!((b.accepted_stage, b.review_state.as_str()), (Stage::Reserve, "submitted"));
    let f = store.scoped(&js).add_funds(small.id, domestic_funds("2026-04-01", "5")).await.unwrap();
    assert_eq!(f.review_state, "accepted");
    let list = store.scoped(&city).list_reviews(&ReviewFilter::default()).await.unwrap();
    let kinds: Vec<(i64, &str)> = list.items.iter().map(|i| (i.project_id, i.kind.as_str())).collect();
    // the big project's 纳入全市库 claim (under either policy), then its stage claim
    assert_eq!(kinds, [(big.id, "reportable"), (big.id, "stage")]);
    assert!(!audited(&store, "setting.update").await.is_empty());
});

db_test!(the_database_refuses_an_unknown_review_state_or_kind, |store| {
    use sea_orm::{ActiveModelTrait, Set};
    use store::entity::review;
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let p = created(&store, &city, project("约束项目", "jinshui", "100")).await;
    let row = |kind: &str, state: &str| review::ActiveModel {
        kind: Set(kind.into()),
        project_id: Set(p.id),
        date: Set(d("2026-03-01")),
        state: Set(state.into()),
        submitted_at: Set(store::now()),
        resubmissions: Set(0),
        version: Set(1),
        ..Default::default()
    };
    let e = row("stage", "approved").insert(store.db()).await.unwrap_err();
    assert!(e.to_string().contains("ck_reviews_state"), "{e}");
    let e = row("land", "submitted").insert(store.db()).await.unwrap_err();
    assert!(e.to_string().contains("ck_reviews_kind"), "{e}");
    let ok = row("funds", "submitted").insert(store.db()).await.unwrap();
    let mut am: review::ActiveModel = ok.into();
    am.state = Set("maybe".into());
    assert!(am.update(store.db()).await.is_err(), "an update is checked too");
});

db_test!(the_importers_stage_claims_are_reviewed_too, |store| {
    use store::testing::fixtures::ledger_row;
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let mut signed = ledger_row(5, "导入签约项目", "导入测试科技有限公司");
    signed.stage = Stage::Signed;
    signed.dates.set(Stage::Signed, Some(d("2026-03-01")));
    let r = store.scoped(&js).import_projects(vec![signed.clone()], false).await.unwrap();
    assert!(r.committed && r.errors.is_empty(), "{r:?}");
    let list = store.scoped(&city).list_reviews(&waiting()).await.unwrap();
    assert_eq!(list.total, 1, "a new project's claim (loaded in bulk)");
    assert_eq!((list.items[0].stage.as_deref(), list.items[0].date), (Some("signed"), d("2026-03-01")));
    let p = store.scoped(&city).get_project(list.items[0].project_id).await.unwrap();
    assert_eq!((p.accepted_stage, p.review_state.as_str()), (Stage::Reserve, "submitted"));

    // re-imported one stage on: the update goes through the transition, so a second claim
    let mut started = signed;
    started.stage = Stage::Started;
    started.dates.set(Stage::Approved, Some(d("2026-04-01")));
    started.dates.set(Stage::Started, Some(d("2026-05-01")));
    let r = store.scoped(&js).import_projects(vec![started], false).await.unwrap();
    assert!(r.committed && r.errors.is_empty(), "{r:?}");
    let list = store.scoped(&city).list_reviews(&waiting()).await.unwrap();
    let stages: Vec<Option<&str>> = list.items.iter().map(|i| i.stage.as_deref()).collect();
    assert_eq!(stages, [Some("signed"), Some("started")]);
    // accepting the signing while 开工 waits: accepted stage 签约, still submitted
    store.scoped(&city).accept_review(list.items[0].id).await.unwrap();
    let p = store.scoped(&city).get_project(p.id).await.unwrap();
    assert_eq!((p.accepted_stage, p.review_state.as_str()), (Stage::Signed, "submitted"));
    store.scoped(&city).accept_review(list.items[1].id).await.unwrap();
    let p = store.scoped(&city).get_project(p.id).await.unwrap();
    assert_eq!((p.accepted_stage, p.review_state.as_str()), (Stage::Started, "none"));
});
