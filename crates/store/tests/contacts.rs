//! 企业联系人 (domain.md §3): a phone is read unmasked by the registering unit's staff and
//! by city_admin only, masked for a leader and other units, and each unmasked read is
//! audited. SQLite and PostgreSQL.

use domain::Role;
use store::companies::NewCompany;
use store::contacts::NewContact;
use store::testing::fixtures::{actor, audited};
use store::{StoreError, db_test};

db_test!(phones_are_masked_for_those_who_do_not_court_the_company, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let lead = actor(&store, Role::Leader, "jinshui");
    let sup = actor(&store, Role::Supervisor, "bangongting");
    let c = store
        .scoped(&city)
        .create_company(NewCompany { name: "格力电器".into(), country: "中国".into(), ..Default::default() })
        .await
        .unwrap()
        .id;

    let bad = NewContact { name: " ".into(), phone: Some("138-abc".into()), ..Default::default() };
    let StoreError::Validation(f) = store.scoped(&js).add_contact(c, bad).await.unwrap_err() else { panic!() };
    assert_eq!(f.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["name", "phone"]);
    assert!(matches!(
        store.scoped(&lead).add_contact(c, NewContact { name: "张".into(), ..Default::default() }).await,
        Err(StoreError::Forbidden)
    ));
    let new = NewContact {
        name: "王经理".into(),
        position: Some("投资发展部部长".into()),
        phone: Some("13812341234".into()),
    };
    let added = store.scoped(&js).add_contact(c, new).await.unwrap();
    assert_eq!((added.unit.as_deref(), added.phone.as_deref()), (Some("jinshui"), Some("13812341234")));
    assert_eq!(audited(&store, "contact.phone_read").await.len(), 0);

    for (who, open) in [(&js, true), (&city, true), (&eq, false), (&lead, false), (&sup, false)] {
        let list = store.scoped(who).list_contacts(c).await.unwrap();
        let phone = list[0].phone.as_deref();
        if open {
            assert_eq!((phone, list[0].phone_masked), (Some("13812341234"), false), "{}", who.username);
        } else {
            assert_eq!((phone, list[0].phone_masked), (Some("138****1234"), true), "{}", who.username);
        }
    }
    assert_eq!(
        audited(&store, "contact.phone_read").await.len(),
        2,
        "jinshui's and the city's unmasked reads are audited, the masked ones not"
    );
    assert!(matches!(store.scoped(&js).list_contacts(987_654).await, Err(StoreError::NotFound)));
});
