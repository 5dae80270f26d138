//! Every text the store accepts is checked against the field tables (`domain::fields`), so
//! the API, the forms and the Excel import all refuse an over-long value, naming the
//! field, and write nothing. Each test runs on SQLite and on PostgreSQL.

use domain::Stage;
use store::companies::NewCompany;
use store::funds::NewFunds;
use store::projects::{ProjectFilter, ProjectPatch};
use store::testing::fixtures::{d, ledger_row, m, project, to};
use store::users::{NewUser, UserPatch};
use store::{Actor, StoreError, db_test};

/// The (field, message) pairs of a validation error; panics on any other result.
fn refused<T: std::fmt::Debug>(r: Result<T, StoreError>) -> Vec<(String, String)> {
    match r {
        Err(StoreError::Validation(f)) => f.into_iter().map(|f| (f.field, f.message)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn one(field: &str, message: &str) -> Vec<(String, String)> {
    vec![(field.to_string(), message.to_string())]
}

db_test!(a_100000_character_notes_is_refused_on_create_update_and_import, |store| {
    let admin = Actor::system("test");
    let s = store.scoped(&admin);
    let long = "备".repeat(100_000);
    let too_long = one("notes", "备注不能超过2000个字符");

    let mut input = project("长备注项目", "jinshui", "100");
    input.notes = Some(long.clone());
    assert_eq!(refused(s.create_project(input).await), too_long);
    assert_eq!(s.list_projects(&ProjectFilter::default()).await.unwrap().total, 0, "nothing created");

    let p = s.create_project(project("短备注项目", "jinshui", "100")).await.unwrap();
    let audits = store.audit_count().await.unwrap();
    let patch = ProjectPatch { version: p.version, notes: Some(Some(long.clone())), ..Default::default() };
    assert_eq!(refused(s.update_project(p.id, patch).await), too_long);
    let after = s.get_project(p.id).await.unwrap();
    assert_eq!((after.notes, after.version), (None, p.version), "nothing changed");
    assert_eq!(store.audit_count().await.unwrap(), audits, "nothing audited");

    // the importer names the row and the column, for a new project and for an update
    let mut new_row = ledger_row(4, "导入长备注", "新登记企业");
    new_row.notes = Some(long.clone());
    let mut update = ledger_row(5, "短备注项目", "新登记企业");
    update.notes = Some(long.clone());
    let mut leader = ledger_row(6, "长包联领导", "新登记企业");
    leader.lead_leader = Some("领".repeat(65));
    let mut problem = ledger_row(7, "长存在问题", "新登记企业");
    problem.problem = Some("问".repeat(2001));
    let rows = vec![ledger_row(3, "正常行", "新登记企业"), new_row, update, leader, problem];
    let r = s.import_projects(rows, false).await.unwrap();
    let got: Vec<(u32, &str, &str)> = r.errors.iter().map(|e| (e.row, e.column.as_str(), e.reason.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (4, "备注", "备注不能超过2000个字符"),
            (5, "备注", "备注不能超过2000个字符"),
            (6, "包联领导", "包联领导不能超过64个字符"),
            (7, "存在问题", "存在问题不能超过2000个字符"),
        ]
    );
    assert!(!r.committed);
    assert_eq!(s.list_projects(&ProjectFilter::default()).await.unwrap().total, 1, "no project written");
    let (companies, _) = s.list_companies(&Default::default()).await.unwrap();
    assert!(companies.is_empty(), "no company written");
    assert_eq!(s.get_project(p.id).await.unwrap().notes, None);
});

db_test!(every_other_text_is_checked_against_its_field_table, |store| {
    let admin = Actor::system("test");
    let s = store.scoped(&admin);
    let p = s.create_project(project("文本长度", "jinshui", "100")).await.unwrap();
    let name = NewCompany { name: "企".repeat(201), ..Default::default() };
    assert_eq!(refused(s.create_company(name).await), one("name", "企业名称不能超过200个字符"));
    let notes = NewCompany { name: "某企业".into(), notes: Some("备".repeat(2001)), ..Default::default() };
    assert_eq!(refused(s.create_company(notes).await), one("notes", "备注不能超过2000个字符"));

    let funds =
        NewFunds { date: d("2025-01-01"), kind: "foreign".into(), amount: m("1"), note: Some("说".repeat(501)) };
    assert_eq!(refused(s.add_funds(p.id, funds).await), one("note", "说明不能超过500个字符"));
    assert!(s.list_funds(p.id).await.unwrap().is_empty());

    let mut t = to(Stage::Negotiating, "2025-01-01");
    t.reason = Some("因".repeat(501));
    assert_eq!(refused(s.transition_project(p.id, t).await), one("reason", "原因不能超过500个字符"));
    assert_eq!(s.get_project(p.id).await.unwrap().stage, Stage::Reserve);

    let user = |username: String, display_name: String| NewUser {
        username,
        display_name,
        password_hash: "x".into(),
        roles: vec![domain::Role::CityAdmin],
        unit: None,
        must_change_password: true,
    };
    let e = s.create_user(user("u".repeat(65), "张三".into())).await;
    assert_eq!(refused(e), one("username", "用户名不能超过64个字符"));
    let e = s.create_user(user("zhangsan".into(), "张".repeat(65))).await;
    assert_eq!(refused(e), one("display_name", "姓名不能超过64个字符"));
    let u = s.create_user(user("zhangsan".into(), "张三".into())).await.unwrap();
    let patch = UserPatch { display_name: Some("张".repeat(65)), ..Default::default() };
    assert_eq!(refused(s.update_user(u.id, patch).await), one("display_name", "姓名不能超过64个字符"));
    assert_eq!(s.count_users().await.unwrap(), 1);
});

db_test!(account_and_audit_lists_need_their_permission, |store| {
    let unit = store::testing::fixtures::actor(&store, domain::Role::UnitStaff, "jinshui");
    let s = store.scoped(&unit);
    assert!(matches!(s.list_users().await, Err(StoreError::Forbidden)));
    assert!(matches!(s.count_users().await, Err(StoreError::Forbidden)));
    assert!(matches!(s.audit_page(1, 10).await, Err(StoreError::Forbidden)));
    assert!(matches!(s.login_page(1, 10).await, Err(StoreError::Forbidden)));
    assert!(matches!(s.audit_project_labels(&[1]).await, Err(StoreError::Forbidden)));
    let auditor = store::testing::fixtures::actor(&store, domain::Role::Auditor, "zhengzhou");
    assert!(store.scoped(&auditor).audit_page(1, 10).await.is_ok());
    assert!(matches!(store.scoped(&auditor).list_users().await, Err(StoreError::Forbidden)));
});
