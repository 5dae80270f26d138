//! 纳入全市库 (domain.md §4, seed 三(一)一): a project that becomes city-reportable by a
//! unit's write enters the city's review queue with the reason it qualified — on create,
//! update, the ledger import and the bulk loader — one open claim per project. Each test
//! runs on SQLite and on PostgreSQL.

use domain::review::ReviewKind;
use domain::{ReviewState, Role, Stage};
use store::bulk::BulkProject;
use store::companies::NewCompany;
use store::projects::ProjectPatch;
use store::reviews::{Resubmission, ReviewFilter, ReviewItem};
use store::testing::fixtures::{actor, created, d, entity_actions, ledger_row, m, project, to};
use store::{Actor, Store, StoreError, db_test};

fn reportable(state: Option<ReviewState>) -> ReviewFilter {
    ReviewFilter { kind: Some(ReviewKind::Reportable), state, ..Default::default() }
}

/// Every reportable claim of the project, any state.
async fn claims(store: &Store, project_id: i64) -> Vec<ReviewItem> {
    let city = actor(store, Role::CityAdmin, "shangwu");
    let f = ReviewFilter { project_id: Some(project_id), ..reportable(None) };
    store.scoped(&city).list_reviews(&f).await.unwrap().items
}

async fn company(store: &Store, name: &str, fortune: Option<i32>, leader: Option<&str>) -> i64 {
    let city = Actor::system("test");
    let new = NewCompany {
        name: name.into(),
        country: "CN".into(),
        fortune_global_500_rank: fortune,
        industry_leader: leader.is_some(),
        leader_reason: leader.map(str::to_string),
        ..Default::default()
    };
    store.scoped(&city).create_company(new).await.unwrap().id
}

fn patch(version: i32) -> ProjectPatch {
    ProjectPatch { version, ..Default::default() }
}

db_test!(a_unit_project_with_a_500_investor_waits_with_the_reason, |store| {
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let foxconn = company(&store, "富士康科技集团", Some(20), None).await;
    let mut input = project("富士康智能终端", "jinshui", "3000");
    input.investor_ids = vec![foxconn];
    let p = created(&store, &js, input).await;
    assert!(p.city_reportable);
    let c = claims(&store, p.id).await;
    assert_eq!(c.len(), 1, "{c:?}");
    let claim = &c[0];
    assert_eq!((claim.kind.as_str(), claim.state.as_str()), ("reportable", "submitted"));
    assert_eq!(claim.reason.as_deref(), Some("投资方 富士康科技集团：世界500强第20位"));
    assert_eq!((claim.date, claim.stage.as_deref(), claim.amount), (domain::today_shanghai(), None, None));
    assert!(claim.transition_id.is_none() && claim.funds_entry_id.is_none());
    // the queue filters by kind, and the 工作台 counts it as waiting
    let s = store.scoped(&city);
    assert_eq!(s.list_reviews(&reportable(Some(ReviewState::Submitted))).await.unwrap().total, 1);
    let stage_only = ReviewFilter { kind: Some(ReviewKind::Stage), ..Default::default() };
    assert_eq!(s.list_reviews(&stage_only).await.unwrap().total, 0);
    assert_eq!(s.count_waiting_reviews().await.unwrap(), 1);
    assert_eq!(entity_actions(&store, "review", claim.id).await, ["review.open"]);

    // an update that keeps it reportable adds no second claim; the reason follows the project
    let leader = company(&store, "宇通客车", None, Some("国内客车销量第一")).await;
    let up = ProjectPatch { investor_ids: Some(vec![foxconn, leader]), ..patch(p.version) };
    let p = s.update_project(p.id, up).await.unwrap();
    let up = ProjectPatch { notes: Some(Some("补充说明".into())), ..patch(p.version) };
    let p = store.scoped(&js).update_project(p.id, up).await.unwrap();
    let c = claims(&store, p.id).await;
    assert_eq!(c.len(), 1, "still one claim");
    assert_eq!(
        c[0].reason.as_deref(),
        Some("投资方 富士康科技集团：世界500强第20位；投资方 宇通客车：行业领军企业（国内客车销量第一）")
    );
    assert_eq!(entity_actions(&store, "review", claim.id).await, ["review.open", "review.reason"]);
});

db_test!(raising_the_amount_opens_a_claim_with_the_amount, |store| {
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let p = created(&store, &js, project("金水小项目", "jinshui", "12000")).await;
    assert!(!p.city_reportable);
    assert!(claims(&store, p.id).await.is_empty(), "a small project waits for nothing");
    let up = ProjectPatch { total_investment: Some(m("80000")), ..patch(p.version) };
    let p = store.scoped(&js).update_project(p.id, up).await.unwrap();
    assert!(p.city_reportable && p.key_project);
    let c = claims(&store, p.id).await;
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].reason.as_deref(), Some("总投资 80,000 万元 ≥ 50,000 万元"));
    // raising it again: the same claim, its reason refreshed
    let up = ProjectPatch { total_investment: Some(m("90000")), ..patch(p.version) };
    let p = store.scoped(&js).update_project(p.id, up).await.unwrap();
    let c = claims(&store, p.id).await;
    assert_eq!((c.len(), c[0].reason.as_deref()), (1, Some("总投资 90,000 万元 ≥ 50,000 万元")));
    // the project's stage and review state are untouched by this kind of claim
    assert_eq!((p.stage, p.accepted_stage, p.review_state.as_str()), (Stage::Reserve, Stage::Reserve, "none"));

    // below the threshold again while it waits: withdrawn, out of the queue, not decidable
    let up = ProjectPatch { total_investment: Some(m("20000")), ..patch(p.version) };
    let p = store.scoped(&js).update_project(p.id, up).await.unwrap();
    let c = claims(&store, p.id).await;
    assert_eq!((c.len(), c[0].state.as_str()), (1, "none"));
    assert_eq!(c[0].comment.as_deref(), Some(store::reviews::WITHDRAWN));
    let city = actor(&store, Role::CityAdmin, "shangwu");
    assert_eq!(store.scoped(&city).count_waiting_reviews().await.unwrap(), 0);
    assert!(matches!(store.scoped(&city).accept_review(c[0].id).await, Err(StoreError::Conflict(_))));
    assert_eq!(entity_actions(&store, "review", c[0].id).await, ["review.open", "review.reason", "review.withdraw"]);
    // over it once more: a new claim
    let up = ProjectPatch { total_investment: Some(m("50000")), ..patch(p.version) };
    store.scoped(&js).update_project(p.id, up).await.unwrap();
    let c = claims(&store, p.id).await;
    let states: Vec<&str> = c.iter().map(|c| c.state.as_str()).collect();
    assert_eq!(states, ["none", "submitted"]);
    assert_eq!(c[1].reason.as_deref(), Some("总投资 50,000 万元 ≥ 50,000 万元"));
});

db_test!(accept_return_and_resubmit_a_reportable_claim, |store| {
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let p = created(&store, &js, project("金水大项目", "jinshui", "60000")).await;
    let id = claims(&store, p.id).await[0].id;
    // a unit cannot decide; a return needs a comment
    assert!(matches!(store.scoped(&js).accept_review(id).await, Err(StoreError::Forbidden)));
    let e = store.scoped(&city).return_review(id, " ".into()).await.unwrap_err();
    assert!(matches!(&e, StoreError::Validation(f) if f[0].field == "comment"), "{e:?}");
    let r = store.scoped(&city).return_review(id, "请补充投资协议".into()).await.unwrap();
    assert_eq!((r.state.as_str(), r.comment.as_deref()), ("returned", Some("请补充投资协议")));
    // a returned claim is still the open one: a later write refreshes it, adds none
    let up = ProjectPatch { total_investment: Some(m("70000")), ..patch(p.version) };
    let p = store.scoped(&js).update_project(p.id, up).await.unwrap();
    let c = claims(&store, p.id).await;
    assert_eq!((c.len(), c[0].state.as_str()), (1, "returned"));
    // resubmitting: no date or amount to correct, a note is fine
    let bad = Resubmission { date: Some(d("2026-01-02")), ..Default::default() };
    let e = store.scoped(&js).resubmit_review(id, bad).await.unwrap_err();
    assert!(matches!(&e, StoreError::Validation(f) if f[0].field == "date"), "{e:?}");
    let bad = Resubmission { amount: Some(m("1")), ..Default::default() };
    assert!(matches!(store.scoped(&js).resubmit_review(id, bad).await, Err(StoreError::Validation(_))));
    let fix = Resubmission { note: Some("已补充投资协议".into()), ..Default::default() };
    let r = store.scoped(&js).resubmit_review(id, fix).await.unwrap();
    assert_eq!((r.state.as_str(), r.resubmissions), ("submitted", 1));
    let r = store.scoped(&city).accept_review(id).await.unwrap();
    assert_eq!((r.state.as_str(), r.accepted_on), ("accepted", Some(domain::today_shanghai())));
    assert_eq!(r.reason.as_deref(), Some("总投资 70,000 万元 ≥ 50,000 万元"));
    // accepting moves no stage
    let after = store.scoped(&city).get_project(p.id).await.unwrap();
    assert_eq!(
        (after.stage, after.accepted_stage, after.review_state.as_str()),
        (Stage::Reserve, Stage::Reserve, "none")
    );
    assert_eq!(
        entity_actions(&store, "review", id).await,
        ["review.open", "review.return", "review.reason", "review.resubmit", "review.accept"]
    );
    // accepted is final: a later write opens nothing and keeps the accepted claim as it is
    let up = ProjectPatch { total_investment: Some(m("75000")), ..patch(after.version) };
    let p = store.scoped(&js).update_project(p.id, up).await.unwrap();
    let c = claims(&store, p.id).await;
    assert_eq!((c.len(), c[0].state.as_str(), c[0].reason.as_deref()), (1, "accepted", r.reason.as_deref()));
    // a stage claim of the same project still works beside it
    store.scoped(&js).transition_project(p.id, to(Stage::Signed, "2026-03-01")).await.unwrap();
    let stage = ReviewFilter { project_id: Some(p.id), kind: Some(ReviewKind::Stage), ..Default::default() };
    assert_eq!(store.scoped(&city).list_reviews(&stage).await.unwrap().total, 1);
});

db_test!(the_city_s_own_reportable_project_is_no_claim, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let p = created(&store, &city, project("市级录入大项目", "jinshui", "60000")).await;
    assert!(p.city_reportable);
    assert!(claims(&store, p.id).await.is_empty(), "the city's own record is accepted as made");
    let small = created(&store, &city, project("市级录入小项目", "jinshui", "100")).await;
    let up = ProjectPatch { total_investment: Some(m("60000")), ..patch(small.version) };
    store.scoped(&city).update_project(small.id, up).await.unwrap();
    assert!(claims(&store, small.id).await.is_empty());
    // a unit's write of a project already reportable opens nothing either (it did not become so)
    let up = ProjectPatch { total_investment: Some(m("65000")), ..patch(p.version) };
    store.scoped(&js).update_project(p.id, up).await.unwrap();
    assert!(claims(&store, p.id).await.is_empty());
    // the city making a unit's waiting project small again withdraws the claim
    let u = created(&store, &js, project("单位大项目", "jinshui", "60000")).await;
    let up = ProjectPatch { total_investment: Some(m("100")), ..patch(u.version) };
    store.scoped(&city).update_project(u.id, up).await.unwrap();
    let c = claims(&store, u.id).await;
    assert_eq!((c.len(), c[0].state.as_str()), (1, "none"));
});

db_test!(the_importer_and_the_bulk_loader_open_claims_too, |store| {
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let city = actor(&store, Role::CityAdmin, "shangwu");
    company(&store, "中国建筑集团", Some(9), None).await;
    // the ledger: a new project with a 500强 investor, a new big one, a small one
    let ranked = ledger_row(3, "导入建筑项目", "中国建筑集团");
    let mut big = ledger_row(4, "导入大项目", "新登记企业");
    big.total_investment = m("55000");
    let small = ledger_row(5, "导入小项目", "新登记企业");
    let r = store.scoped(&js).import_projects(vec![ranked, big, small.clone()], false).await.unwrap();
    assert!(r.committed, "{:?}", r.errors);
    let list = store.scoped(&city).list_reviews(&reportable(Some(ReviewState::Submitted))).await.unwrap();
    let mut got: Vec<(String, String)> =
        list.items.iter().map(|i| (i.project_name.clone(), i.reason.clone().unwrap_or_default())).collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("导入大项目".to_string(), "总投资 55,000 万元 ≥ 50,000 万元".to_string()),
            ("导入建筑项目".to_string(), "投资方 中国建筑集团：世界500强第9位".to_string()),
        ]
    );
    // the ledger raising the small one over the threshold (an update through the importer)
    let mut raised = small;
    raised.total_investment = m("66000");
    let r = store.scoped(&js).import_projects(vec![raised], false).await.unwrap();
    assert!(r.committed && r.updated == [5], "{r:?}");
    let list = store.scoped(&city).list_reviews(&reportable(Some(ReviewState::Submitted))).await.unwrap();
    assert_eq!(list.total, 3);
    assert!(
        list.items
            .iter()
            .any(|i| i.project_name == "导入小项目" && i.reason.as_deref() == Some("总投资 66,000 万元 ≥ 50,000 万元"))
    );

    // the bulk loader, as a unit: one claim per reportable project; as the city: none
    let items = vec![
        BulkProject { input: project("批量大项目", "jinshui", "70000"), ..Default::default() },
        BulkProject { input: project("批量小项目", "jinshui", "700"), ..Default::default() },
    ];
    let tx = store.scoped(&js).begin().await.unwrap();
    let ids = tx.bulk_insert_projects(items).await.unwrap();
    tx.commit().await.unwrap();
    let c = claims(&store, ids[0]).await;
    assert_eq!((c.len(), c[0].reason.as_deref()), (1, Some("总投资 70,000 万元 ≥ 50,000 万元")));
    assert!(claims(&store, ids[1]).await.is_empty());
    let tx = store.scoped(&city).begin().await.unwrap();
    let ids = tx
        .bulk_insert_projects(vec![BulkProject {
            input: project("市级批量", "jinshui", "70000"),
            ..Default::default()
        }])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(claims(&store, ids[0]).await.is_empty());
});

db_test!(migration_20_rebuilds_the_kind_check_both_ways, |store| {
    use sea_orm::ConnectionTrait;
    use sea_orm_migration::MigratorTrait;
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let p = created(&store, &js, project("迁移测试项目", "jinshui", "60000")).await;
    assert_eq!(claims(&store, p.id).await.len(), 1);
    let insert = format!(
        "INSERT INTO reviews (kind, project_id, date, state, submitted_at, resubmissions, version) \
         VALUES ('reportable', {}, '2026-12-01', 'submitted', '2026-12-01T00:00:00+00:00', 0, 1)",
        p.id
    );
    // down: the reportable claims and the column go, the CHECK refuses the kind again
    // (migration 21, the assessment tables, comes after it: undone first)
    store::migration::Migrator::down(store.db(), Some(2)).await.unwrap();
    let e = store.db().execute_unprepared(&insert).await.unwrap_err().to_string();
    assert!(e.contains("ck_reviews_kind") || e.contains("CHECK"), "{e}");
    // up: allowed again
    store::migration::Migrator::up(store.db(), None).await.unwrap();
    store.db().execute_unprepared(&insert).await.unwrap();
    assert_eq!(claims(&store, p.id).await.len(), 1, "the down removed the first, the insert added one");
});
