//! Warnings, 督办 and 月报 with a fixed "today", on SQLite and PostgreSQL.

use chrono::NaiveDate;
use domain::warnings::WarningRule;
use domain::{Month, Role, Stage};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use store::supervisions::NewSupervision;
use store::testing::fixtures::{actor, created, d, project as input, to};
use store::warnings::{WarningFilter, WarningItem};
use store::{Actor, Store, StoreError, db_test};

const TODAY: &str = "2026-06-30";

/// Raw SQL with `?` placeholders (numbered for PostgreSQL): the other slices' tables are
/// written here directly.
async fn exec(store: &Store, sql: &str, values: Vec<Value>) {
    let mut n = 0;
    let sql = if store.backend() == DbBackend::Postgres {
        sql.chars()
            .map(|c| {
                if c == '?' {
                    n += 1;
                    format!("${n}")
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        sql.to_string()
    };
    store.db().execute_raw(Statement::from_sql_and_values(store.backend(), sql, values)).await.unwrap();
}

async fn warnings(store: &Store, who: &Actor, kind: Option<WarningRule>) -> Vec<WarningItem> {
    let f = WarningFilter { kind, ..Default::default() };
    store.scoped(who).warnings(&f, d(TODAY)).await.unwrap()
}

fn of(ws: &[WarningItem], project: i64) -> Vec<(&str, &str)> {
    ws.iter().filter(|w| w.project_id == Some(project)).map(|w| (w.kind.as_str(), w.level.as_str())).collect()
}

async fn signed(store: &Store, name: &str, unit: &str, on: &str) -> i64 {
    let city = actor(store, Role::CityAdmin, "zhengzhou");
    let p = created(store, &city, input(name, unit, "100")).await;
    store.scoped(&city).transition_project(p.id, to(Stage::Signed, on)).await.unwrap();
    p.id
}

db_test!(signed_and_not_started_yellow_then_red_and_scoped, |store| {
    let yellow = signed(&store, "签约200天", "jinshui", "2025-12-12").await;
    let red = signed(&store, "签约400天", "jinshui", "2025-05-26").await;
    let fresh = signed(&store, "新签约", "jinshui", "2026-06-01").await;
    let city = actor(&store, Role::CityAdmin, "zhengzhou");
    let ws = warnings(&store, &city, Some(WarningRule::SignedNotStarted)).await;
    assert_eq!(of(&ws, yellow), [("signed_not_started", "yellow")]);
    assert_eq!(of(&ws, red), [("signed_not_started", "red")]);
    assert!(of(&ws, fresh).is_empty());
    // red first, with a stable key and the day count in the reason
    assert_eq!(ws[0].project_id, Some(red));
    assert_eq!(ws[0].key, format!("signed_not_started:project:{red}"));
    assert_eq!(ws[0].reason, "签约后已400天未开工");
    assert_eq!(ws[0].unit, "jinshui");
    // the unit sees its own; another unit none; the administrators nothing at all
    let js = warnings(&store, &actor(&store, Role::UnitStaff, "jinshui"), Some(WarningRule::SignedNotStarted)).await;
    assert_eq!(js.iter().filter_map(|w| w.project_id).collect::<Vec<_>>(), [red, yellow]);
    assert!(
        warnings(&store, &actor(&store, Role::UnitStaff, "erqi"), None).await.iter().all(|w| w.project_id.is_none())
    );
    let sys = actor(&store, Role::Sysadmin, "zhengzhou");
    assert!(matches!(
        store.scoped(&sys).warnings(&WarningFilter::default(), d(TODAY)).await,
        Err(StoreError::Forbidden)
    ));
    let f = WarningFilter { unit: Some("jinshui".into()), ..Default::default() };
    let erqi = actor(&store, Role::UnitStaff, "erqi");
    assert!(matches!(store.scoped(&erqi).warnings(&f, d(TODAY)).await, Err(StoreError::Forbidden)));
    // a threshold from the settings table
    exec(&store, "INSERT INTO settings (key, value, updated_at) VALUES ('signed_not_started_red_days', '200', CURRENT_TIMESTAMP)", vec![]).await;
    let ws = warnings(&store, &city, Some(WarningRule::SignedNotStarted)).await;
    assert_eq!(of(&ws, yellow), [("signed_not_started", "red")]);
});

db_test!(an_overdue_clause_and_a_key_project_without_team, |store| {
    let city = actor(&store, Role::CityAdmin, "zhengzhou");
    let p = created(&store, &city, input("重点项目", "jinshui", "60000")).await;
    assert!(p.key_project);
    let ts = Value::from(store::now());
    exec(&store, "INSERT INTO agreements (project_id, kind, title, parties, version, created_at, updated_at) VALUES (?, 'contract', '投资协议', '[]', 1, ?, ?)", vec![p.id.into(), ts.clone(), ts.clone()]).await;
    exec(&store, "INSERT INTO clauses (agreement_id, project_id, number, text, obligor, due_on, status, version, created_at, updated_at) SELECT id, ?, '第3条', '注册资本金到位', 'investor', ?, 'in_progress', 1, ?, ? FROM agreements", vec![p.id.into(), d("2026-05-30").into(), ts.clone(), ts.clone()]).await;
    exec(&store, "INSERT INTO clauses (agreement_id, project_id, number, text, obligor, due_on, status, status_on, version, created_at, updated_at) SELECT id, ?, '第4条', '已履行', 'investor', ?, 'fulfilled', ?, 1, ?, ? FROM agreements", vec![p.id.into(), d("2026-05-01").into(), d("2026-05-01").into(), ts.clone(), ts.clone()]).await;
    exec(&store, "INSERT INTO milestones (project_id, title, due_on, version, created_at, updated_at) VALUES (?, '开工', ?, 1, ?, ?)", vec![p.id.into(), d("2026-12-31").into(), ts.clone(), ts.clone()]).await;
    exec(&store, "INSERT INTO attachments (entity, entity_id, project_id, name, stored_name, content_type, size, sha256, uploaded_at) VALUES ('project', ?, ?, '专案.pdf', 'x1', 'application/pdf', 10, 'ab', ?)", vec![p.id.into(), p.id.into(), ts.clone()]).await;
    let ws = warnings(&store, &city, None).await;
    let clause: Vec<_> = ws.iter().filter(|w| w.kind == "clause_overdue").collect();
    assert_eq!(clause.len(), 1, "{ws:?}");
    assert_eq!((clause[0].level.as_str(), clause[0].entity.as_str()), ("red", "clause"));
    assert!(clause[0].reason.contains("已逾期31天"), "{}", clause[0].reason);
    let four: Vec<_> = ws.iter().filter(|w| w.kind == "four_ones_missing").collect();
    assert_eq!(four.len(), 1);
    assert_eq!(four[0].reason, "重点项目缺少工作团队");
    // a work team with a leader clears it
    exec(
        &store,
        "INSERT INTO team_members (project_id, name, is_leader, sort) VALUES (?, '张三', ?, 1)",
        vec![p.id.into(), true.into()],
    )
    .await;
    assert!(warnings(&store, &city, Some(WarningRule::FourOnesMissing)).await.is_empty());
    // outside the unit: none of them
    let erqi = actor(&store, Role::UnitStaff, "erqi");
    assert!(warnings(&store, &erqi, None).await.iter().all(|w| w.project_id != Some(p.id)));
    // the level filter
    let f = WarningFilter { level: Some(domain::warnings::WarningLevel::Yellow), ..Default::default() };
    assert!(store.scoped(&city).warnings(&f, d(TODAY)).await.unwrap().iter().all(|w| w.level == "yellow"));
});

db_test!(supervision_create_reply_close, |store| {
    let p = signed(&store, "签约200天", "jinshui", "2025-12-12").await;
    let sup = actor(&store, Role::Supervisor, "zhengzhou");
    let unit = actor(&store, Role::UnitStaff, "jinshui");
    let key = format!("signed_not_started:project:{p}");
    let today = d(TODAY);
    let new = |key: Option<String>| NewSupervision {
        warning_key: key,
        project_id: None,
        deadline: d("2026-07-15"),
        instruction: "请于两周内说明未开工原因".into(),
    };
    // the unit may not open one; an unknown key is refused
    assert!(matches!(
        store.scoped(&unit).create_supervision(new(Some(key.clone())), today).await,
        Err(StoreError::Forbidden)
    ));
    let bad = store.scoped(&sup).create_supervision(new(Some("no_such:project:1".into())), today).await;
    assert!(matches!(bad, Err(StoreError::Validation(ref e)) if e[0].field == "warning_key"), "{bad:?}");
    let s = store.scoped(&sup).create_supervision(new(Some(key.clone())), today).await.unwrap();
    assert_eq!((s.project_id, s.unit.as_str(), s.status.as_str()), (p, "jinshui", "open"));
    // close before a reply: 409
    assert!(matches!(store.scoped(&sup).close_supervision(s.id, None).await, Err(StoreError::Conflict(_))));
    // another unit may not answer it
    let erqi = actor(&store, Role::UnitStaff, "erqi");
    assert!(matches!(store.scoped(&erqi).reply_supervision(s.id, "x".into(), None).await, Err(StoreError::Forbidden)));
    assert!(store.scoped(&erqi).list_supervisions(None).await.unwrap().is_empty());
    let r = store.scoped(&unit).reply_supervision(s.id, "土地指标已落实，下月开工".into(), Some(1)).await.unwrap();
    assert_eq!((r.status.as_str(), r.version), ("replied", 2));
    assert!(matches!(store.scoped(&sup).close_supervision(s.id, Some(1)).await, Err(StoreError::Conflict(_))));
    let c = store.scoped(&sup).close_supervision(s.id, Some(2)).await.unwrap();
    assert_eq!(c.status, "closed");
    assert!(matches!(
        store.scoped(&unit).reply_supervision(s.id, "再答".into(), None).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.scoped(&unit).list_supervisions(None).await.unwrap().len(), 1);
});

db_test!(monthly_confirm_late_and_twice, |store| {
    let unit = actor(&store, Role::UnitStaff, "jinshui");
    let city = actor(&store, Role::CityAdmin, "zhengzhou");
    let may = Month::parse("2026-05").unwrap();
    let today: NaiveDate = d(TODAY);
    let before = store.scoped(&city).monthly_reports(may, today).await.unwrap();
    assert_eq!(before.len(), 16);
    assert!(before.iter().all(|r| r.late && r.confirmed_at.is_none()));
    // the late warning of an assessed unit
    let ws = warnings(&store, &city, Some(WarningRule::MonthlyReportLate)).await;
    assert_eq!(ws.len(), 16);
    assert!(ws[0].key.ends_with(":2026-05"), "{}", ws[0].key);
    let r = store.scoped(&unit).confirm_month("jinshui".into(), may, today).await.unwrap();
    assert!(r.late && r.snapshot_sha256.as_deref().is_some_and(|s| s.len() == 64));
    assert!(matches!(
        store.scoped(&unit).confirm_month("jinshui".into(), may, today).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(store.scoped(&unit).confirm_month("erqi".into(), may, today).await, Err(StoreError::Forbidden)));
    let future = Month::parse("2026-08").unwrap();
    assert!(matches!(
        store.scoped(&unit).confirm_month("jinshui".into(), future, today).await,
        Err(StoreError::Validation(_))
    ));
    let after = store.scoped(&city).monthly_reports(may, today).await.unwrap();
    let js = after.iter().find(|r| r.unit == "jinshui").unwrap();
    assert!(js.confirmed_at.is_some());
    assert_eq!(after.iter().filter(|r| r.confirmed_at.is_some()).count(), 1);
    // June, confirmed on time (before 5 July)
    let june = Month::parse("2026-06").unwrap();
    let on_time = store.scoped(&unit).confirm_month("jinshui".into(), june, d("2026-07-03")).await;
    assert!(on_time.is_ok());
    assert_eq!(store.scoped(&unit).monthly_reports(may, today).await.unwrap().len(), 1);
});

db_test!(monthly_changes_count_added_advanced_terminated_per_assessed_unit, |store| {
    let city = actor(&store, Role::CityAdmin, "zhengzhou");
    let today = domain::today_shanghai();
    let month = Month::of(today);
    let date = today.to_string();
    let a = created(&store, &city, input("新增并签约", "jinshui", "100")).await;
    store.scoped(&city).transition_project(a.id, to(Stage::Signed, &date)).await.unwrap();
    let b = created(&store, &city, input("新增并终止", "jinshui", "100")).await;
    let mut stop = to(Stage::Terminated, &date);
    stop.reason = Some("撤资".into());
    store.scoped(&city).transition_project(b.id, stop).await.unwrap();
    created(&store, &city, input("二七新增", "erqi", "100")).await;
    let all = store.scoped(&city).monthly_changes(month).await.unwrap();
    let js = all.iter().find(|c| c.unit == "jinshui").unwrap();
    assert_eq!((js.added, js.advanced, js.terminated), (2, 1, 1));
    let eq = all.iter().find(|c| c.unit == "erqi").unwrap();
    assert_eq!((eq.added, eq.advanced, eq.terminated), (1, 0, 0));
    // last month: nothing
    let before = store.scoped(&city).monthly_changes(month.prev()).await.unwrap();
    assert!(before.iter().all(|c| c.added + c.advanced + c.terminated == 0));
    // a unit sees its own row only
    let mine = store.scoped(&actor(&store, Role::UnitStaff, "erqi")).monthly_changes(month).await.unwrap();
    assert_eq!(mine.iter().map(|c| c.unit.as_str()).collect::<Vec<_>>(), ["erqi"]);
});

db_test!(no_progress_from_the_last_change_note_or_creation_and_a_claim_waiting, |store| {
    let city = actor(&store, Role::CityAdmin, "zhengzhou");
    let unit = actor(&store, Role::UnitStaff, "jinshui");
    let stamp = |s: &str| Value::from(chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&chrono::Utc));
    let quiet = created(&store, &city, input("久无动静", "jinshui", "100")).await;
    let noted = created(&store, &city, input("近期有跟进", "jinshui", "100")).await;
    let old_note = created(&store, &city, input("跟进已久", "jinshui", "100")).await;
    // created on 2026-01-10 (Shanghai), never moved: 171 days before TODAY
    for id in [quiet.id, noted.id, old_note.id] {
        exec(
            &store,
            "UPDATE projects SET created_at = ?, last_transition_on = NULL WHERE id = ?",
            vec![stamp("2026-01-09T18:30:00+00:00"), id.into()],
        )
        .await;
    }
    exec(
        &store,
        "UPDATE projects SET last_transition_on = ? WHERE id = ?",
        vec![d("2026-02-01").into(), old_note.id.into()],
    )
    .await;
    let note = "INSERT INTO progress_notes (project_id, date, note, created_at) VALUES (?, ?, '已对接', ?)";
    exec(&store, note, vec![noted.id.into(), d("2026-05-01").into(), stamp("2026-05-01T02:00:00+00:00")]).await;
    exec(&store, note, vec![old_note.id.into(), d("2026-03-01").into(), stamp("2026-03-01T02:00:00+00:00")]).await;
    let ws = warnings(&store, &city, Some(WarningRule::NoProgress)).await;
    let found =
        |id: i64| ws.iter().find(|w| w.project_id == Some(id)).map(|w| (w.level.as_str(), w.reason.as_str(), w.since));
    assert_eq!(found(quiet.id), Some(("yellow", "已171天无阶段变化或跟进记录", Some(d("2026-04-10")))));
    assert_eq!(found(old_note.id), Some(("yellow", "已121天无阶段变化或跟进记录", Some(d("2026-05-30")))));
    assert_eq!(found(noted.id), None, "{ws:?}");
    assert_eq!(ws[0].key, format!("no_progress:project:{}", quiet.id));

    // a claim of the unit, submitted 2026-06-15 08:00 Shanghai: waiting 15 days, the city's warning only
    let claim = store.scoped(&unit).transition_project(quiet.id, to(Stage::Signed, "2026-06-14")).await.unwrap();
    assert_eq!(claim.id, quiet.id);
    exec(
        &store,
        "UPDATE reviews SET submitted_at = ? WHERE project_id = ?",
        vec![stamp("2026-06-15T00:00:00+00:00"), quiet.id.into()],
    )
    .await;
    let ws = warnings(&store, &city, Some(WarningRule::ReviewWaiting)).await;
    assert_eq!(ws.len(), 1, "{ws:?}");
    assert_eq!(
        (ws[0].entity.as_str(), ws[0].project_id, ws[0].reason.as_str()),
        ("review", Some(quiet.id), "申报已等待审核15天")
    );
    assert_eq!((ws[0].project_name.as_deref(), ws[0].unit.as_str()), (Some("久无动静"), "jinshui"));
    assert!(warnings(&store, &unit, Some(WarningRule::ReviewWaiting)).await.is_empty());
});
