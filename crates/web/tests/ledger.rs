//! The ledger over HTTP (api.md): multipart upload with dry runs, all-or-nothing imports,
//! hostile files refused, the template, and export → import with nothing changed.
//! SQLite and PostgreSQL.

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::{Browser, csrf_in};
use reqwest::StatusCode;
use serde_json::Value;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../ledger/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// GET an .xlsx with a bearer token: it must answer 200; its bytes and the workbook read back.
async fn xlsx(app: &common::TestApp, token: &str, path: &str) -> (Vec<u8>, ledger::Sheet) {
    let res = app.client.get(format!("{}{path}", app.base)).bearer_auth(token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    let bytes = res.bytes().await.unwrap().to_vec();
    let sheet = ledger::read(&bytes, "download.xlsx", &ledger::Limits::default()).unwrap();
    (bytes, sheet)
}

async fn total(app: &common::TestApp, token: &str) -> u64 {
    app.get("/api/v1/projects?per_page=1", token).await.1["total"].as_u64().unwrap()
}

api_test!(import_dry_run_then_real_then_idempotent, |app| {
    let js = app.login("js").await;
    let (st, r) = app.import_ledger(&js, "01_template.xlsx", &fixture("01_template.xlsx"), true).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!((r["created"].as_u64(), r["committed"].as_bool()), (Some(6), Some(false)), "{r}");
    assert_eq!(total(&app, &js).await, 0, "a dry run writes nothing");
    let (_, r) = app.import_ledger(&js, "01_template.xlsx", &fixture("01_template.xlsx"), false).await;
    assert_eq!((r["created"].as_u64(), r["committed"].as_bool()), (Some(6), Some(true)), "{r}");
    assert_eq!(total(&app, &js).await, 6);
    let (_, r) = app.import_ledger(&js, "01_template.xlsx", &fixture("01_template.xlsx"), false).await;
    assert_eq!(
        (r["created"].as_u64(), r["updated"].as_u64(), r["unchanged"].as_u64()),
        (Some(0), Some(0), Some(6)),
        "{r}"
    );
    assert_eq!(total(&app, &js).await, 6);
    // the banner, WPS and GBK CSV files: new names → created, nothing lost
    for f in ["02_banner.xlsx", "05_wps.xlsx", "06_gbk.csv"] {
        let (st, r) = app.import_ledger(&js, f, &fixture(f), false).await;
        assert_eq!(st, StatusCode::OK, "{f}: {r}");
        assert!(r["errors"].as_array().unwrap().is_empty(), "{f}: {r}");
    }
});

api_test!(a_file_with_errors_writes_nothing_and_names_every_cell, |app| {
    let js = app.login("js").await;
    let (st, r) = app.import_ledger(&js, "08_errors.xlsx", &fixture("08_errors.xlsx"), false).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["committed"], false);
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 8, "{r}");
    let first = &errors[0];
    assert_eq!((first["row"].as_u64(), first["column"].as_str()), (Some(3), Some("项目名称")), "{r}");
    assert!(errors.iter().any(|e| e["row"] == 12 && e["message"].as_str().unwrap().contains("无权")), "{r}");
    assert_eq!(total(&app, &js).await, 0);
    // hostile files: refused with the reason, never a crash
    for (f, why) in [
        ("09_not_a_spreadsheet.xlsx", "不是电子表格"),
        ("10_zipbomb.xlsx", "压缩炸弹"),
        ("11_encrypted.xlsx", "加密"),
        ("13_excel97.xls", "另存为 .xlsx"),
    ] {
        let (st, r) = app.import_ledger(&js, f, &fixture(f), true).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{f}: {r}");
        assert!(r["error"]["fields"]["file"].as_str().unwrap().contains(why), "{f}: {r}");
    }
    // over 20 MiB: 413 before the file is read
    let big = vec![b'a'; 21 * 1024 * 1024];
    let (st, _) = app.import_ledger(&js, "big.csv", &big, true).await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE);
    // a role without project:write
    let aud = app.login("aud").await;
    let (st, _) = app.import_ledger(&aud, "01_template.xlsx", &fixture("01_template.xlsx"), true).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
});

api_test!(export_then_import_changes_nothing, |app| {
    let city = app.login("city").await;
    for (n, unit) in [("导出回导甲", "jinshui"), ("导出回导乙", "erqi")] {
        let p = app.project(&city, n, unit, "12345.67").await;
        let id = p["id"].as_i64().unwrap();
        let (st, b) = app
            .post(
                &format!("/api/v1/projects/{id}/transitions"),
                &city,
                serde_json::json!({"to": "signed", "date": "2025-03-01"}),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{b}");
    }
    // and six with 项目进展情况 (one over several lines) from the template fixture
    let (st, r) = app.import_ledger(&city, "01_template.xlsx", &fixture("01_template.xlsx"), false).await;
    assert_eq!((st, r["created"].as_u64()), (StatusCode::OK, Some(6)), "{r}");
    let (bytes, sheet) = xlsx(&app, &city, "/api/v1/exports/ledger.xlsx").await;
    let progress = sheet.rows.iter().flat_map(|(_, c)| c.get(21)).map(|c| c.text()).collect::<Vec<_>>();
    assert!(progress.iter().any(|t| t.starts_with("1#、2#主体厂房")), "progress exported: {progress:?}");
    // 投资方类型 as the fixture declared it for the companies it created (none has a rank yet)
    let types = sheet.rows.iter().flat_map(|(_, c)| c.get(5)).map(|c| c.text()).collect::<Vec<_>>();
    for t in ["世界500强", "行业领军"] {
        assert!(types.iter().any(|x| x == t), "{t} exported: {types:?}");
    }
    let (st, r) = app.import_ledger(&city, "export.xlsx", &bytes, false).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert!(r["errors"].as_array().unwrap().is_empty(), "{r}");
    assert_eq!(
        (r["created"].as_u64(), r["updated"].as_u64(), r["unchanged"].as_u64()),
        (Some(0), Some(0), Some(8)),
        "{r}"
    );
    // the template downloads with the header row
    let (_, t) = xlsx(&app, &city, "/api/v1/imports/ledger/template.xlsx").await;
    assert!(t.rows.iter().any(|(_, c)| c.iter().any(|x| x.text() == "项目名称")));
});

/// A CSV ledger of `n` 金水区 rows, each with one bad cell (总投资 `很多`).
fn bad_csv(n: usize) -> Vec<u8> {
    let mut s = String::from("项目名称,责任单位,总投资(万元),项目阶段\n");
    for i in 0..n {
        s.push_str(&format!("坏项目{i},金水区,很多,在谈\n"));
    }
    s.into_bytes()
}

api_test!(a_report_lists_the_first_thousand_errors_and_counts_them_all, |app| {
    let js = app.login("js").await;
    let (st, r) = app.import_ledger(&js, "bad.csv", &bad_csv(5_000), true).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(r["errors"].as_array().map(Vec::len), Some(1_000));
    assert_eq!((r["error_count"].as_u64(), r["errors_truncated"].as_bool()), (Some(5_000), Some(true)));
    assert_eq!(r["errors"][999]["row"].as_u64(), Some(1_001), "the first errors by row");
    let (_, r) = app.import_ledger(&js, "bad.csv", &bad_csv(3), true).await;
    assert_eq!((r["error_count"].as_u64(), r["errors_truncated"].as_bool()), (Some(3), Some(false)), "{r}");
});

/// The newest `ledger.import` audit record: (result, after).
async fn last_import_audit(app: &common::TestApp, aud: &str) -> (String, Value) {
    let (st, log) = app.get("/api/v1/audit?per_page=20", aud).await;
    assert_eq!(st, StatusCode::OK, "{log}");
    let rec = log["items"].as_array().unwrap().iter().find(|r| r["action"] == "ledger.import").cloned();
    let rec = rec.unwrap_or_else(|| panic!("no ledger.import record: {log}"));
    let after = match &rec["after"] {
        Value::String(s) => serde_json::from_str(s).unwrap(),
        v => v.clone(),
    };
    (rec["result"].as_str().unwrap().to_string(), after)
}

api_test!(dry_runs_and_refused_imports_are_audited, |app| {
    let js = app.login("js").await;
    let aud = app.login("aud").await;
    // a dry run: nothing written, but on record
    let (st, _) = app.import_ledger(&js, "01_template.xlsx", &fixture("01_template.xlsx"), true).await;
    assert_eq!(st, StatusCode::OK);
    let (result, after) = last_import_audit(&app, &aud).await;
    assert_eq!(
        (result.as_str(), &after["outcome"], &after["created"]),
        ("ok", &Value::from("dry_run"), &Value::from(6))
    );
    assert_eq!(after["file"], "01_template.xlsx");
    // errors in rows: refused, on record with the count
    let (_, r) = app.import_ledger(&js, "bad.csv", &bad_csv(3), false).await;
    assert_eq!(r["committed"], false, "{r}");
    let (result, after) = last_import_audit(&app, &aud).await;
    assert_eq!(
        (result.as_str(), &after["outcome"], &after["errors"]),
        ("rejected", &Value::from("rejected"), &Value::from(3))
    );
    // a zip bomb, refused as a whole: on record with the reason
    let (st, _) = app.import_ledger(&js, "10_zipbomb.xlsx", &fixture("10_zipbomb.xlsx"), false).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (result, after) = last_import_audit(&app, &aud).await;
    assert_eq!((result.as_str(), &after["file"]), ("rejected", &Value::from("10_zipbomb.xlsx")));
    assert!(after["reason"].as_str().unwrap().contains("压缩炸弹"), "{after}");
    // over 20 MiB, cut off at the body limit: on record too
    let (st, _) = app.import_ledger(&js, "big.csv", &vec![b'a'; 21 * 1024 * 1024], true).await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE);
    let (result, after) = last_import_audit(&app, &aud).await;
    assert_eq!((result.as_str(), &after["file"]), ("rejected", &Value::from("big.csv")));
    // the chain still verifies
    let (_, v) = app.get("/api/v1/audit/verify", &aud).await;
    assert_eq!(v["ok"], true, "{v}");
});

api_test!(an_export_with_a_note_over_excels_limit_still_downloads, |app| {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    use store::entity::project;
    let city = app.login("city").await;
    let p = app.project(&city, "超长备注项目", "jinshui", "100").await;
    let id = p["id"].as_i64().unwrap();
    // put in place by the store directly (the API may refuse a note this long)
    project::Entity::update_many()
        .col_expr(project::Column::Notes, Expr::value("注".repeat(100_000)))
        .filter(project::Column::Id.eq(id))
        .exec(app.store.db())
        .await
        .unwrap();
    for who in ["city", "js"] {
        let token = app.login(who).await;
        let (_, sheet) = xlsx(&app, &token, "/api/v1/exports/ledger.xlsx").await;
        let notes = sheet.rows.iter().filter_map(|(_, c)| c.get(23)).map(|c| c.text()).find(|t| t.starts_with("注注"));
        let notes = notes.unwrap_or_else(|| panic!("{who}: the note is exported"));
        assert!(notes.ends_with(ledger::export::CUT_MARK), "{who}: cut and marked");
        assert!(notes.chars().count() <= ledger::export::MAX_CELL_CHARS, "{who}: fits Excel");
    }
});

api_test!(the_export_header_names_the_filter_and_the_exporter_in_chinese, |app| {
    let system = store::Actor::system("test");
    let hash = web::password::hash(common::PASSWORD).unwrap();
    let new = store::users::NewUser {
        username: "wangfang".into(),
        display_name: "金水区商务局 王芳".into(),
        password_hash: hash,
        roles: vec![domain::Role::UnitStaff],
        unit: Some("jinshui".into()),
        must_change_password: false,
    };
    app.store.scoped(&system).create_user(new).await.unwrap();
    let token = app.login("wangfang").await;
    let path = "/api/v1/exports/ledger.xlsx?stage=started&unit=jinshui&industry=electronics&category=pillar";
    let (_, sheet) = xlsx(&app, &token, path).await;
    let subtitle = sheet.rows.iter().find(|(n, _)| *n == 2).map(|(_, c)| c[0].text()).unwrap();
    let industry = &domain::reference::industry("electronics").unwrap().name;
    for want in [
        "项目阶段=已开工",
        "责任单位=金水区",
        &format!("产业类别={industry}"),
        "项目类别=梁柱型",
        "导出人：金水区商务局 王芳",
    ] {
        assert!(subtitle.contains(want), "{want} in {subtitle}");
    }
    for code in ["started", "jinshui", "electronics", "pillar", "wangfang"] {
        assert!(!subtitle.contains(code), "no code {code} in {subtitle}");
    }
    let title = sheet.rows.iter().find(|(n, _)| *n == 1).map(|(_, c)| c[0].text()).unwrap();
    assert_eq!(title, "金水区招商引资项目台账");
});

api_test!(a_dry_run_lists_each_row_to_create_or_update_with_its_changes, |app| {
    let city = app.login("city").await;
    let p = app.project(&city, "预览项目", "jinshui", "100").await;
    let csv = "项目名称,责任单位,总投资(万元),项目阶段,产业类别,投资方来源地\n\
               预览项目,金水区,250,储备,electronics,yangtze\n\
               新预览项目,金水区,10,储备,electronics,yangtze\n";
    let (st, r) = app.import_ledger(&city, "preview.csv", csv.as_bytes(), true).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let plans = r["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 2, "{r}");
    let (update, create) = (&plans[0], &plans[1]);
    assert_eq!((update["row"].as_u64(), update["action"].as_str()), (Some(2), Some("update")), "{r}");
    assert_eq!(update["code"], p["code"], "{r}");
    let changes = update["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "only the total changes: {r}");
    assert_eq!(changes[0]["field"], "总投资(万元)");
    assert!(changes[0]["before"].as_str().unwrap().starts_with("100"), "{r}");
    assert!(changes[0]["after"].as_str().unwrap().starts_with("250"), "{r}");
    assert_eq!((create["row"].as_u64(), create["action"].as_str()), (Some(3), Some("create")), "{r}");
    assert_eq!(create["name"], "新预览项目");
    assert!(
        create["changes"].as_array().unwrap().iter().any(|c| c["field"] == "责任单位" && c["after"] == "金水区"),
        "{r}"
    );
    assert_eq!(r["plans_truncated"], false);
    // nothing was written
    let (_, now) = app.get(&format!("/api/v1/projects/{}", p["id"]), &city).await;
    assert!(now["total_investment"].as_str().unwrap().starts_with("100"), "{now}");
});

api_test!(the_preview_page_lists_the_rows_and_their_changes, |app| {
    let city = app.login("city").await;
    app.project(&city, "页面预览项目", "jinshui", "100").await;
    let b = Browser::login(&app, "city").await;
    let (_, html) = b.page("/projects/import").await;
    let token = csrf_in(&html);
    let csv = "项目名称,责任单位,总投资(万元),项目阶段,产业类别,投资方来源地\n页面预览项目,金水区,250,储备,electronics,yangtze\n";
    let parts = [
        common::Part::text("_csrf", &token),
        common::Part { name: "file", file_name: Some("p.csv"), bytes: csv.as_bytes() },
    ];
    let (st, _, html) = b.post_multipart("/projects/import", &parts).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("将新建或更新的项目"), "{html}");
    let row = html.split("<tr>").find(|r| r.contains("页面预览项目")).expect("the row is listed");
    assert!(row.contains("更新") && row.contains("总投资(万元)") && row.contains("→"), "{row}");
});
