//! The importer with rights withheld (every role that writes projects holds them all today).

use super::*;
use crate::testing::fixtures::{actor, ledger_row};
use crate::{Store, db_test};
use domain::Role;

fn staff(store: &Store) -> Actor {
    actor(store, Role::UnitStaff, "jinshui")
}

fn row(n: u32, name: &str, investor: &str, stage: Stage) -> ImportRow {
    let mut r = ledger_row(n, name, investor);
    r.stage = stage;
    if stage == Stage::Signed {
        r.dates.set(Stage::Signed, chrono::NaiveDate::from_ymd_opt(2025, 3, 1));
    }
    r
}

const ALL: Rights = Rights { companies: true, transitions: true };
const NONE: Rights = Rights { companies: false, transitions: false };

db_test!(rows_needing_a_right_the_caller_lacks_are_refused_by_row, |store| {
    let actor = staff(&store);
    // with every right: a company and a signed project
    let first = vec![row(3, "已有项目", "已登记企业", Stage::Reserve)];
    let r = store.scoped(&actor).import_with(first, false, ALL).await.unwrap();
    assert!(r.committed && r.ok(), "{:?}", r.errors);
    let rows = vec![
        row(4, "新企业的项目", "未登记企业", Stage::Reserve),
        row(5, "新签约项目", "已登记企业", Stage::Signed),
        row(6, "已有项目", "已登记企业", Stage::Signed),
        row(7, "储备项目", "已登记企业", Stage::Reserve),
    ];
    let r = store.scoped(&actor).import_with(rows.clone(), false, NONE).await.unwrap();
    let got: Vec<(u32, &str, &str)> = r.errors.iter().map(|e| (e.row, e.column.as_str(), e.reason.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (4, "投资方", NO_COMPANY_RIGHT),
            (5, "项目阶段", NO_TRANSITION_RIGHT),
            (6, "项目阶段", NO_TRANSITION_RIGHT)
        ]
    );
    assert!(!r.committed);
    let names: Vec<String> =
        company::Entity::find().all(store.db()).await.unwrap().into_iter().map(|c| c.name).collect();
    assert_eq!(names, vec!["已登记企业".to_string()], "no company created");
    // the same rows with the rights: taken
    let r = store.scoped(&actor).import_with(rows, false, ALL).await.unwrap();
    assert!(r.committed && r.ok(), "{:?}", r.errors);
    assert_eq!((r.created.len(), r.updated.len()), (3, 1));
});
