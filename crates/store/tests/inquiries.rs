//! 投资咨询 (issue 12): an inquiry is taken down for a unit, due in 2 working days (weekends
//! skipped), answered once, and seen only by its unit and the city; unanswered past its
//! deadline it is a warning for its unit and nowhere else. Each test runs on SQLite and on
//! PostgreSQL.

use domain::Role;
use store::inquiries::{InquiryFilter, InquiryInput, InquiryShow};
use store::testing::fixtures::{actor, audits, d};
use store::warnings::{WarningFilter, WarningItem};
use store::{StoreError, db_test};

fn inquiry(unit: &str, received: &str) -> InquiryInput {
    InquiryInput {
        company_name: "宇通客车股份有限公司".into(),
        contact: "王经理".into(),
        phone: Some("13812341234".into()),
        interest: "拟在郑州建设新能源客车零部件配套产业园，咨询用地和产业扶持政策".into(),
        industry: Some("automotive.parts".into()),
        region: Some("航空港区".into()),
        unit: unit.into(),
        received_at: d(received),
        ..Default::default()
    }
}

/// The inquiry warnings `a` sees on `day`.
async fn warns(store: &store::Store, a: &store::Actor, day: &str) -> Vec<WarningItem> {
    let all = store.scoped(a).warnings(&WarningFilter::default(), d(day)).await.unwrap();
    all.into_iter().filter(|w| w.kind == "inquiry_unanswered").collect()
}

db_test!(an_inquiry_is_due_in_two_working_days_and_answered_once, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let leader = actor(&store, Role::Leader, "zhengzhou");
    let dept = actor(&store, Role::DeptStaff, "ziranziyuan");
    let today = d("2026-12-02");

    // bad input names its fields, and writes nothing
    let bad = InquiryInput {
        company_name: " ".into(),
        phone: Some("电话".into()),
        industry: Some("no.such".into()),
        received_at: d("2026-12-03"),
        ..inquiry("jinshui", "2026-12-01")
    };
    let StoreError::Validation(f) = store.scoped(&js).create_inquiry(bad, today).await.unwrap_err() else { panic!() };
    let fields: Vec<&str> = f.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["company_name", "phone", "industry", "received_at"]);
    let e = store.scoped(&js).create_inquiry(inquiry("ziranziyuan", "2026-12-01"), today).await.unwrap_err();
    assert!(matches!(&e, StoreError::Validation(f) if f[0].field == "unit"), "a department answers none: {e:?}");
    assert!(matches!(
        store.scoped(&js).create_inquiry(inquiry("erqi", "2026-12-01"), today).await,
        Err(StoreError::Forbidden)
    ));
    assert!(matches!(
        store.scoped(&leader).create_inquiry(inquiry("jinshui", "2026-12-01"), today).await,
        Err(StoreError::Forbidden)
    ));
    assert_eq!(store.scoped(&city).list_inquiries(&InquiryFilter::default()).await.unwrap().total, 0);

    // received on a Thursday: due the Monday after
    let i = store.scoped(&city).create_inquiry(inquiry("jinshui", "2026-11-26"), today).await.unwrap();
    assert_eq!((i.unit.as_str(), i.respond_by, i.state.as_str()), ("jinshui", d("2026-11-30"), "waiting"));
    assert_eq!(audits(&store, "inquiry.create", i.id).await.len(), 1);

    // its unit and the city see it; another unit, a department do not; the phone is masked
    // in lists, and on the page for all but the unit's staff and city_admin (an audited read)
    let mine = store.scoped(&js).list_inquiries(&InquiryFilter::default()).await.unwrap();
    assert_eq!(mine.items.iter().map(|x| x.id).collect::<Vec<_>>(), [i.id]);
    assert_eq!(mine.items[0].phone.as_deref(), Some("138****1234"));
    assert_eq!(store.scoped(&eq).list_inquiries(&InquiryFilter::default()).await.unwrap().total, 0);
    assert!(matches!(store.scoped(&eq).get_inquiry(i.id).await, Err(StoreError::Forbidden)));
    assert!(matches!(store.scoped(&dept).list_inquiries(&InquiryFilter::default()).await, Err(StoreError::Forbidden)));
    assert!(matches!(store.scoped(&js).get_inquiry(987_654).await, Err(StoreError::NotFound)));
    let seen = store.scoped(&js).get_inquiry(i.id).await.unwrap();
    assert_eq!((seen.phone.as_deref(), seen.phone_masked), (Some("13812341234"), false));
    assert_eq!(audits(&store, "inquiry.phone_read", i.id).await.len(), 1);
    let seen = store.scoped(&leader).get_inquiry(i.id).await.unwrap();
    assert_eq!((seen.phone.as_deref(), seen.phone_masked), (Some("138****1234"), true));
    assert_eq!(audits(&store, "inquiry.phone_read", i.id).await.len(), 1, "a masked read is not a phone read");

    // filters: waiting and overdue hold it (due 11-30, today is later), answered does not
    for (show, n) in [(InquiryShow::Waiting, 1), (InquiryShow::Overdue, 1), (InquiryShow::Answered, 0)] {
        let f = InquiryFilter { show: Some(show), ..Default::default() };
        assert_eq!(store.scoped(&js).list_inquiries(&f).await.unwrap().total, n, "{show:?}");
    }

    // answered: by whom and when; late, as it was past its deadline; once only
    let e = store.scoped(&js).answer_inquiry(i.id, "  ".into(), i.version).await.unwrap_err();
    assert!(matches!(&e, StoreError::Validation(f) if f[0].field == "answer"), "{e:?}");
    assert!(matches!(store.scoped(&eq).answer_inquiry(i.id, "x".into(), i.version).await, Err(StoreError::Forbidden)));
    assert!(matches!(
        store.scoped(&leader).answer_inquiry(i.id, "x".into(), i.version).await,
        Err(StoreError::Forbidden)
    ));
    let a = store.scoped(&js).answer_inquiry(i.id, "已电话回复，约定下周现场踏勘".into(), i.version).await.unwrap();
    assert_eq!(a.answer.as_deref(), Some("已电话回复，约定下周现场踏勘"));
    assert!(a.answered_at.is_some(), "{a:?}");
    assert_eq!(a.state, "answered_late", "answered after its deadline (11-30)");
    assert_eq!(a.overdue_working_days, None);
    assert_eq!(audits(&store, "inquiry.answer", i.id).await.len(), 1);
    assert!(matches!(
        store.scoped(&js).answer_inquiry(i.id, "再答".into(), a.version).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.scoped(&js).answer_inquiry(i.id, "旧版本".into(), i.version).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(audits(&store, "inquiry.answer", i.id).await.len(), 1);
});

db_test!(an_unanswered_inquiry_warns_its_unit_and_nowhere_else, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let sup = actor(&store, Role::Supervisor, "zhengzhou");
    // received Friday 2026-11-27: due Tuesday 12-01
    let i = store.scoped(&js).create_inquiry(inquiry("jinshui", "2026-11-27"), d("2026-11-27")).await.unwrap();
    assert_eq!(i.respond_by, d("2026-12-01"));
    // on its deadline: none; the day after: yellow, for jinshui, the city and the supervisor
    assert!(warns(&store, &js, "2026-12-01").await.is_empty(), "in time on the deadline day");
    let w = warns(&store, &js, "2026-12-02").await;
    assert_eq!(w.len(), 1);
    assert_eq!((w[0].entity.as_str(), w[0].entity_id, w[0].unit.as_str()), ("inquiry", i.id, "jinshui"));
    assert_eq!(w[0].level, "yellow");
    assert!(w[0].reason.contains("宇通客车") && w[0].reason.contains("1个工作日"), "{}", w[0].reason);
    assert_eq!(warns(&store, &city, "2026-12-02").await.len(), 1);
    assert_eq!(warns(&store, &sup, "2026-12-02").await.len(), 1);
    assert!(warns(&store, &eq, "2026-12-02").await.is_empty(), "another unit sees none");
    // red once late by the red threshold (30 working days)
    assert_eq!(warns(&store, &js, "2027-01-13").await[0].level, "red");
    // answered: gone
    store.scoped(&js).answer_inquiry(i.id, "已答复".into(), i.version).await.unwrap();
    assert!(warns(&store, &js, "2026-12-02").await.is_empty());
});

db_test!(the_answering_days_are_a_setting_fixed_when_taken_down, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let sec = actor(&store, Role::Secadmin, "shangwu");
    let today = d("2026-12-02");
    let before = store.scoped(&city).create_inquiry(inquiry("jinshui", "2026-11-30"), today).await.unwrap();
    assert_eq!(before.respond_by, d("2026-12-02"), "Monday + 2 working days");
    store.scoped(&sec).set_threshold("inquiry_response_days".into(), "5".into()).await.unwrap();
    let after = store.scoped(&city).create_inquiry(inquiry("jinshui", "2026-11-30"), today).await.unwrap();
    assert_eq!(after.respond_by, d("2026-12-07"), "Monday + 5 working days");
    let again = store.scoped(&city).get_inquiry(before.id).await.unwrap();
    assert_eq!(again.respond_by, d("2026-12-02"), "an inquiry taken down keeps its deadline");
});
