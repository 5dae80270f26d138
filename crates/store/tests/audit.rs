//! The audit chain's incremental check (both databases): only records after a checkpoint
//! are re-hashed, and tampering after it, or with it, is still found.

use sea_orm::{ConnectionTrait, Statement};
use store::testing::fixtures::{created, project};
use store::{Actor, Store, db_test};

async fn projects(store: &Store, names: &[&str]) {
    let admin = Actor::system("test");
    for n in names {
        created(store, &admin, project(n, "jinshui", "100")).await;
    }
}

async fn tamper(store: &Store, id: i64) {
    store
        .db()
        .execute_raw(Statement::from_string(
            store.backend(),
            format!("UPDATE audit_log SET result = 'forged' WHERE id = {id}"),
        ))
        .await
        .unwrap();
}

db_test!(incremental_verify_hashes_only_newer_records_and_still_finds_tampering, |store| {
    projects(&store, &["审计甲", "审计乙", "审计丙"]).await;
    let full = store.verify_audit().await.unwrap();
    assert!(full.ok, "{full:?}");
    assert_eq!(full.hashed, full.records);
    let cp = full.checkpoint.clone().expect("a checkpoint");
    assert_eq!(cp.records, full.records);
    assert!(store.audit_guards_in_place().await.unwrap());

    projects(&store, &["审计丁", "审计戊"]).await;
    let inc = store.verify_audit_since(Some(&cp)).await.unwrap();
    assert!(inc.ok, "{inc:?}");
    let total = store.verify_audit().await.unwrap().records;
    assert_eq!(inc.records, total, "counts the whole chain");
    assert_eq!(inc.hashed, 1 + (total - cp.records), "the checkpoint's record and the newer ones only");
    let cp2 = inc.checkpoint.clone().expect("checkpoint");
    assert!(cp2.id > cp.id && cp2.records > cp.records);
    let again = store.verify_audit_since(Some(&cp2)).await.unwrap();
    assert_eq!((again.hashed, again.checkpoint), (1, Some(cp2.clone())), "nothing new: one record hashed");

    // A forged checkpoint (its record's hash differs) is refused.
    let forged = store::audit::Checkpoint { hash: store::audit::GENESIS.into(), ..cp2.clone() };
    let v = store.verify_audit_since(Some(&forged)).await.unwrap();
    assert_eq!((v.ok, v.broken_at), (false, Some(cp2.id)), "{v:?}");

    // Tampering needs the append-only triggers gone; then the whole chain is walked again,
    // and a record before the checkpoint is found as well as a newer one.
    store::testing::drop_audit_guards(&store).await;
    assert!(!store.audit_guards_in_place().await.unwrap());
    let v = store.verify_audit_since(Some(&cp2)).await.unwrap();
    assert!(v.ok && v.hashed == total, "{v:?}");
    let old = cp.id - 1;
    tamper(&store, old).await;
    let v = store.verify_audit_since(Some(&cp2)).await.unwrap();
    assert_eq!((v.ok, v.broken_at), (false, Some(old)), "{v:?}");
    let v = store.verify_audit().await.unwrap();
    assert_eq!((v.ok, v.broken_at), (false, Some(old)), "{v:?}");
});

db_test!(incremental_verify_sees_the_newest_records_removed, |store| {
    projects(&store, &["审计甲"]).await;
    let cp = store.verify_audit().await.unwrap().checkpoint.expect("checkpoint");
    projects(&store, &["审计乙"]).await;
    store::testing::drop_audit_guards(&store).await;
    store
        .db()
        .execute_raw(Statement::from_string(store.backend(), format!("DELETE FROM audit_log WHERE id > {}", cp.id)))
        .await
        .unwrap();
    let v = store.verify_audit_since(Some(&cp)).await.unwrap();
    assert!(!v.ok, "the head still counts the removed records: {v:?}");
});
