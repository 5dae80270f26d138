//! 招商大使、招商顾问和中介机构 (issue 12 item 5; seed 三(一)四): an appointment of a unit with
//! its period and leads; a paid intermediary is paid on a lead project only once the city
//! accepted the agreed stage, once per project; each write audited; each unit sees its own.
//! Each test runs on SQLite and on PostgreSQL.

use domain::{Role, Stage};
use sea_orm::EntityTrait;
use store::ambassadors::{AmbassadorFilter, AmbassadorInput, LeadsInput, PayoutInput};
use store::companies::NewCompany;
use store::entity::ambassador;
use store::targets::TargetInput;
use store::testing::fixtures::{actor, audits, created, d, m, project, to};
use store::{StoreError, db_test};

fn intermediary(unit: &str) -> AmbassadorInput {
    AmbassadorInput {
        name: "深圳前海招商服务有限公司".into(),
        kind: "intermediary".into(),
        organisation: Some("深圳前海招商服务有限公司".into()),
        contact: Some("李总".into()),
        phone: Some("13912345678".into()),
        unit: unit.into(),
        appointed_from: d("2026-01-01"),
        appointed_to: Some(d("2027-12-31")),
        paid: true,
        fee_terms: Some("引荐项目经市级审核确认开工后，每个项目付费 20 万元".into()),
        fee_stage: Some("started".into()),
        fee_amount: Some(m("20")),
        ..Default::default()
    }
}

fn fields(e: StoreError) -> Vec<String> {
    match e {
        StoreError::Validation(f) => f.into_iter().map(|e| e.field).collect(),
        other => panic!("not a validation error: {other:?}"),
    }
}

db_test!(an_appointment_is_checked_scoped_and_audited, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let leader = actor(&store, Role::Leader, "zhengzhou");
    let dept = actor(&store, Role::DeptStaff, "ziranziyuan");

    // bad input names each field and writes nothing
    let bad = AmbassadorInput {
        name: " ".into(),
        kind: "broker".into(),
        phone: Some("电话".into()),
        ..intermediary("jinshui")
    };
    assert_eq!(
        fields(store.scoped(&js).create_ambassador(bad, LeadsInput::default()).await.unwrap_err()),
        ["name", "phone", "kind"]
    );
    let bad = AmbassadorInput {
        kind: "ambassador".into(),
        appointed_to: Some(d("2025-12-31")),
        fee_stage: Some("negotiating".into()),
        ..intermediary("jinshui")
    };
    assert_eq!(
        fields(store.scoped(&js).create_ambassador(bad, LeadsInput::default()).await.unwrap_err()),
        ["appointed_to", "paid", "fee_stage"]
    );
    let paid_without_terms = AmbassadorInput { fee_terms: None, ..intermediary("jinshui") };
    assert_eq!(
        fields(store.scoped(&js).create_ambassador(paid_without_terms, LeadsInput::default()).await.unwrap_err()),
        ["fee_terms"]
    );
    let e = store.scoped(&js).create_ambassador(intermediary("ziranziyuan"), LeadsInput::default()).await;
    assert_eq!(fields(e.unwrap_err()), ["unit"], "a department appoints none");
    for who in [&eq, &leader] {
        let e = store.scoped(who).create_ambassador(intermediary("jinshui"), LeadsInput::default()).await;
        assert!(matches!(e, Err(StoreError::Forbidden)), "{e:?}");
    }
    assert!(ambassador::Entity::find().all(store.db()).await.unwrap().is_empty(), "nothing was written");

    let a = store.scoped(&js).create_ambassador(intermediary("jinshui"), LeadsInput::default()).await.unwrap();
    assert_eq!((a.unit.as_str(), a.kind_label.as_str(), a.in_office, a.paid), ("jinshui", "中介机构", true, true));
    assert_eq!(audits(&store, "ambassador.create", a.id).await.len(), 1);
    let adv = AmbassadorInput {
        name: "张明".into(),
        kind: "advisor".into(),
        paid: false,
        fee_terms: None,
        fee_stage: None,
        fee_amount: None,
        appointed_to: Some(d("2026-06-30")),
        ..intermediary("erqi")
    };
    let b = store.scoped(&eq).create_ambassador(adv, LeadsInput::default()).await.unwrap();
    assert!(!b.in_office, "the appointment ended on 2026-06-30");

    // scope: each unit its own; the city, the leader all; a department none
    let all = store.scoped(&city).list_ambassadors(&AmbassadorFilter::default()).await.unwrap();
    assert_eq!(all.total, 2);
    let mine = store.scoped(&js).list_ambassadors(&AmbassadorFilter::default()).await.unwrap();
    assert_eq!(mine.items.iter().map(|x| x.id).collect::<Vec<_>>(), [a.id]);
    assert_eq!(store.scoped(&leader).list_ambassadors(&AmbassadorFilter::default()).await.unwrap().total, 2);
    assert!(matches!(
        store.scoped(&dept).list_ambassadors(&AmbassadorFilter::default()).await,
        Err(StoreError::Forbidden)
    ));
    assert!(matches!(store.scoped(&eq).get_ambassador(a.id).await, Err(StoreError::Forbidden)));
    assert!(matches!(store.scoped(&js).get_ambassador(a.id + 100).await, Err(StoreError::NotFound)));
    let in_office = AmbassadorFilter { in_office: true, ..Default::default() };
    assert_eq!(store.scoped(&city).list_ambassadors(&in_office).await.unwrap().total, 1);
    let advisors = AmbassadorFilter { kind: Some(domain::ambassador::AmbassadorKind::Advisor), ..Default::default() };
    assert_eq!(store.scoped(&city).list_ambassadors(&advisors).await.unwrap().items[0].id, b.id);

    // phones: masked in lists and for the leader; the unit's staff reads it, audited
    assert_eq!(mine.items[0].phone.as_deref(), Some("139****5678"));
    let seen = store.scoped(&leader).get_ambassador(a.id).await.unwrap();
    assert!(seen.phone_masked);
    assert_eq!(audits(&store, "ambassador.phone_read", a.id).await.len(), 0);
    let seen = store.scoped(&js).get_ambassador(a.id).await.unwrap();
    assert_eq!((seen.phone.as_deref(), seen.phone_masked), (Some("13912345678"), false));
    assert_eq!(audits(&store, "ambassador.phone_read", a.id).await.len(), 1);

    // an update is versioned and audited; a stale version is a conflict
    let renamed = AmbassadorInput { notes: Some("2026年续聘".into()), ..intermediary("erqi") };
    let u = store.scoped(&js).update_ambassador(a.id, renamed.clone(), a.version).await.unwrap();
    assert_eq!((u.unit.as_str(), u.notes.as_deref(), u.version), ("jinshui", Some("2026年续聘"), 2), "the unit stays");
    assert!(matches!(
        store.scoped(&js).update_ambassador(a.id, renamed, a.version).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(audits(&store, "ambassador.update", a.id).await.len(), 1);
});

db_test!(a_fee_follows_the_result_the_city_accepted, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let today = domain::today_shanghai();
    let p = created(&store, &js, project("金水智能终端产业园", "jinshui", "30000")).await;
    let other = created(&store, &js, project("金水另一个项目", "jinshui", "1000")).await;
    let erqi = created(&store, &eq, project("二七项目", "erqi", "1000")).await;
    let c = store
        .scoped(&city)
        .create_company(NewCompany {
            name: "深圳某电子有限公司".into(), country: "中国".into(), ..Default::default()
        })
        .await
        .unwrap();
    let t = store
        .scoped(&js)
        .create_target(TargetInput {
            company_id: c.id,
            unit: "jinshui".into(),
            industry: "electronics.terminal".into(),
            ..Default::default()
        })
        .await
        .unwrap();

    // leads: the unit's own targets and projects only
    let e = store
        .scoped(&js)
        .create_ambassador(intermediary("jinshui"), LeadsInput { target_ids: vec![], project_ids: vec![erqi.id] })
        .await;
    assert_eq!(fields(e.unwrap_err()), ["project_ids"]);
    let a = store
        .scoped(&js)
        .create_ambassador(intermediary("jinshui"), LeadsInput { target_ids: vec![t.id], project_ids: vec![p.id] })
        .await
        .unwrap();
    assert_eq!(
        a.leads.iter().map(|l| (l.entity.as_str(), l.id)).collect::<Vec<_>>(),
        [("target", t.id), ("project", p.id)]
    );
    assert!(!a.leads[1].payable, "the project is only a reserve project");
    // adding a lead again keeps one line
    let a = store
        .scoped(&js)
        .add_ambassador_leads(a.id, LeadsInput { target_ids: vec![t.id], project_ids: vec![p.id, other.id] })
        .await
        .unwrap();
    assert_eq!(a.leads.len(), 3);
    assert_eq!(audits(&store, "ambassador.lead", a.id).await.len(), 1);

    let pay = |project_id: i64, amount: &str| PayoutInput {
        project_id,
        amount: m(amount),
        paid_on: today,
        note: Some("开工审核通过".into()),
    };
    // not reached: the unit claims started, the city has not accepted it yet
    store.scoped(&js).transition_project(p.id, to(Stage::Signed, "2026-03-01")).await.unwrap();
    store.scoped(&js).transition_project(p.id, to(Stage::Approved, "2026-05-01")).await.unwrap();
    store.scoped(&js).transition_project(p.id, to(Stage::Started, "2026-06-01")).await.unwrap();
    let e = store.scoped(&js).record_payout(a.id, pay(p.id, "20"), today).await.unwrap_err();
    assert!(matches!(&e, StoreError::Conflict(m) if m.contains("未达到约定的付费节点")), "{e:?}");
    // the city accepts both claims: payable now
    let claims = store
        .scoped(&city)
        .list_reviews(&store::reviews::ReviewFilter { project_id: Some(p.id), ..Default::default() })
        .await
        .unwrap();
    for claim in &claims.items {
        store.scoped(&city).accept_review(claim.id).await.unwrap();
    }
    let seen = store.scoped(&js).get_ambassador(a.id).await.unwrap();
    assert!(seen.leads.iter().any(|l| l.id == p.id && l.payable));

    // refusals: a project that is no lead, a bad amount, a future day, another unit
    assert_eq!(
        fields(store.scoped(&js).record_payout(a.id, pay(erqi.id, "20"), today).await.unwrap_err()),
        ["project_id"]
    );
    assert_eq!(fields(store.scoped(&js).record_payout(a.id, pay(p.id, "0"), today).await.unwrap_err()), ["amount"]);
    let future = PayoutInput { paid_on: today.succ_opt().unwrap(), ..pay(p.id, "20") };
    assert_eq!(fields(store.scoped(&js).record_payout(a.id, future, today).await.unwrap_err()), ["paid_on"]);
    assert!(matches!(store.scoped(&eq).record_payout(a.id, pay(p.id, "20"), today).await, Err(StoreError::Forbidden)));

    let paid = store.scoped(&js).record_payout(a.id, pay(p.id, "20"), today).await.unwrap();
    assert_eq!((paid.project_id, paid.stage.as_str(), paid.amount), (p.id, "started", m("20")));
    assert_eq!(audits(&store, "ambassador.payout", a.id).await.len(), 1);
    // once per project
    let e = store.scoped(&js).record_payout(a.id, pay(p.id, "20"), today).await.unwrap_err();
    assert!(matches!(&e, StoreError::Conflict(m) if m.contains("重复")), "{e:?}");
    let seen = store.scoped(&city).get_ambassador(a.id).await.unwrap();
    assert_eq!((seen.payouts.len(), seen.paid_total), (1, m("20")));
    assert!(!seen.leads.iter().any(|l| l.payable), "paid, and the other lead has reached nothing");

    // terms paid on cannot be withdrawn
    let unpaid = AmbassadorInput { paid: false, fee_terms: None, fee_stage: None, ..intermediary("jinshui") };
    let e = store.scoped(&js).update_ambassador(a.id, unpaid, seen.version).await;
    assert!(matches!(e, Err(StoreError::Conflict(_))), "{e:?}");

    // an unpaid ambassador is never paid
    let amb = AmbassadorInput {
        name: "王华".into(),
        kind: "ambassador".into(),
        paid: false,
        fee_terms: None,
        fee_stage: None,
        fee_amount: None,
        ..intermediary("jinshui")
    };
    let b = store
        .scoped(&js)
        .create_ambassador(amb, LeadsInput { target_ids: vec![], project_ids: vec![p.id] })
        .await
        .unwrap();
    let e = store.scoped(&js).record_payout(b.id, pay(p.id, "5"), today).await.unwrap_err();
    assert!(matches!(&e, StoreError::Conflict(m) if m.contains("按实绩付费")), "{e:?}");
});
