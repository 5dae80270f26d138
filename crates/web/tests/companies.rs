//! 企业库 over HTTP (issue 12): a published ranking list imported by city_admin (xlsx and csv,
//! messy headers; twice = nothing duplicated; ambiguous rows reported; a bad row, a binary
//! file or an oversized one refused whole), a company's ranks by year, the list as Excel
//! (read back cell by cell, projects counted in scope); and the pages: the company page's
//! ranking history, targets and contacts within scope, the 新增联系人 form, the import page.
//! SQLite and PostgreSQL. (Every role in and out of scope: the access matrix.)

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::Browser;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const IMPORT: &str = "/api/v1/companies/rankings";

/// A Fortune-style list as Excel saves a CSV: a BOM, a title row, spaced labels, a unit in
/// brackets, an extra column, thousands separators and a note under the list.
fn fortune_csv(rows: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut s = String::from(
        "\u{FEFF}2024年《财富》世界500强排行榜\n\n 排 名 ,上年排名,公司名称（中文）,营业收入（百万美元）,国家/地区\n",
    );
    for (rank, name, revenue) in rows {
        s.push_str(&format!("{rank},,{name},\"{revenue}\",中国\n"));
    }
    s.push_str("注：营业收入为上一财年数据\n");
    s.into_bytes()
}

async fn import(
    app: &common::TestApp,
    token: Option<&str>,
    file: (&str, &[u8]),
    list: &str,
    year: &str,
) -> (StatusCode, Value) {
    let parts = [
        common::Part::text("list", list),
        common::Part::text("year", year),
        common::Part { name: "file", file_name: Some(file.0), bytes: file.1 },
    ];
    app.post_multipart(IMPORT, token, &parts).await
}

async fn companies(app: &common::TestApp) -> u64 {
    store::entity::company::Entity::find().count(app.store.db()).await.unwrap()
}

async fn rankings_rows(app: &common::TestApp) -> u64 {
    store::entity::company_ranking::Entity::find().count(app.store.db()).await.unwrap()
}

async fn audits(app: &common::TestApp, action: &str, result: &str) -> u64 {
    store::entity::audit_record::Entity::find()
        .filter(store::entity::audit_record::Column::Action.eq(action))
        .filter(store::entity::audit_record::Column::Result.eq(result))
        .count(app.store.db())
        .await
        .unwrap()
}

async fn company(app: &common::TestApp, token: &str, body: Value) -> i64 {
    let (st, b) = app.post("/api/v1/companies", token, body).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    b["id"].as_i64().unwrap()
}

/// An .xlsx list with English labels, number cells, a header below a title.
fn english_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "China 500, 2024").unwrap();
    for (c, h) in ["Rank", "Company Name", "Country", "Revenue"].iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    ws.write_number(3, 0, 7.0).unwrap();
    ws.write_string(3, 1, "郑州宇通集团有限公司").unwrap();
    ws.write_string(3, 2, "中国").unwrap();
    ws.write_number(3, 3, 3_500_000.5).unwrap();
    book.save_to_buffer().unwrap()
}

api_test!(a_list_imported_twice_duplicates_nothing, |app| {
    let city = app.login("city").await;
    let byd = company(&app, &city, json!({"name": "比亚迪股份有限公司", "country": "中国"})).await;
    let csv = fortune_csv(&[("143", "比亚迪", "85,000.5"), ("200", "宇通客车", "1,000")]);
    let (st, r) = import(&app, Some(&city), ("财富世界500强.csv", &csv), "fortune_global_500", "2024").await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(
        (r["matched"].as_u64(), r["created"].as_u64(), r["updated"].as_u64()),
        (Some(1), Some(1), Some(1)),
        "{r}"
    );
    assert_eq!(r["ambiguous"], json!([]));
    assert_eq!(r["errors"], json!([]));
    assert_eq!(r["unknown_columns"], json!(["上年排名"]), "{r}");
    let (n, k) = (companies(&app).await, rankings_rows(&app).await);
    assert_eq!((n, k), (2, 2));

    let (st, r) = import(&app, Some(&city), ("财富世界500强.csv", &csv), "世界500强", "2024").await;
    assert_eq!(st, StatusCode::OK, "the list by its Chinese name: {r}");
    assert_eq!(
        (r["matched"].as_u64(), r["created"].as_u64(), r["updated"].as_u64()),
        (Some(2), Some(0), Some(0)),
        "{r}"
    );
    assert_eq!((companies(&app).await, rankings_rows(&app).await), (n, k), "nothing duplicated");
    assert_eq!(audits(&app, "company.rankings_import", "ok").await, 2);

    // the history by year, and the company's current rank
    let (st, h) = app.get(&format!("/api/v1/companies/{byd}/rankings"), &city).await;
    assert_eq!(st, StatusCode::OK, "{h}");
    assert_eq!(h["items"][0]["rank"], 143);
    assert_eq!(h["items"][0]["year"], 2024);
    assert_eq!(h["items"][0]["revenue"], "85000.5", "exact decimal text, no separators");
    assert_eq!(h["items"][0]["revenue_unit"], "百万美元");
    let (_, c) = app.get(&format!("/api/v1/companies/{byd}"), &city).await;
    assert_eq!((c["fortune_global_500_rank"].as_i64(), c["rank_year"].as_i64()), (Some(143), Some(2024)), "{c}");

    // an .xlsx with English labels: the same matching
    let (st, r) = import(&app, Some(&city), ("china500.xlsx", &english_xlsx()), "china_500", "2024").await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!((r["matched"].as_u64(), r["created"].as_u64()), (Some(0), Some(1)), "宇通集团 is not 宇通客车: {r}");
    assert_eq!(r["header_row"], 3);

    // a name fitting two companies is reported, nothing written for it
    company(&app, &city, json!({"name": "比亚迪集团", "allow_similar": true})).await;
    let before = rankings_rows(&app).await;
    let (st, r) =
        import(&app, Some(&city), ("l.csv", &fortune_csv(&[("140", "比亚迪", "")])), "fortune_global_500", "2023")
            .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["ambiguous"][0]["row"], 4, "{r}");
    assert_eq!(r["ambiguous"][0]["candidates"].as_array().map(Vec::len), Some(2), "{r}");
    assert_eq!(rankings_rows(&app).await, before);

    let (st, _) = app.get("/api/v1/companies/987654/rankings", &city).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
});

api_test!(a_bad_list_is_refused_whole, |app| {
    let city = app.login("city").await;
    let before = (companies(&app).await, audits(&app, "company.rankings_import", "rejected").await);

    // a bad rank and a revenue that is no decimal: 422 naming row and column, nothing written
    let csv = fortune_csv(&[("1", "甲公司", "10"), ("abc", "乙公司", "10"), ("3", "丙公司", "很多")]);
    let (st, b) = import(&app, Some(&city), ("l.csv", &csv), "fortune_global_500", "2024").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let fields = &b["error"]["fields"];
    assert!(fields["rows[5].rank"].as_str().unwrap().contains("第5行「排 名」"), "{b}");
    assert!(fields["rows[6].revenue"].as_str().unwrap().contains("营业收入"), "{b}");
    assert_eq!(companies(&app).await, before.0, "甲公司 is not registered either");
    assert_eq!(audits(&app, "company.rankings_import", "rejected").await, before.1 + 1, "the refusal is audited");

    // the form's own fields
    let (st, b) = import(&app, Some(&city), ("l.csv", &fortune_csv(&[("1", "甲", "1")])), "top_100", "1900").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b["error"]["fields"]["list"].is_string() && b["error"]["fields"]["year"].is_string(), "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("榜单"), "labels from the ranking table: {b}");

    // not a spreadsheet: binary bytes under a .csv name, a zip that is no workbook, an old .xls
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    let zip = b"PK\x03\x04\x14\x00not really a workbook";
    for (name, bytes) in [("list.csv", &png[..]), ("list.xlsx", &zip[..]), ("list.xls", &ole[..])] {
        let (st, b) = import(&app, Some(&city), (name, bytes), "china_500", "2024").await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {b}");
        assert!(b["error"]["fields"]["file"].is_string(), "{name}: {b}");
    }
    // no header
    let (st, b) = import(&app, Some(&city), ("l.csv", "甲,乙\n1,2\n".as_bytes()), "china_500", "2024").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b["error"]["fields"]["file"].as_str().unwrap().contains("表头"), "{b}");

    // over 5 MiB: 413, audited
    let rejected = audits(&app, "company.rankings_import", "rejected").await;
    let big = vec![b'a'; 6 * 1024 * 1024];
    let (st, _) = import(&app, Some(&city), ("big.csv", &big), "china_500", "2024").await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(audits(&app, "company.rankings_import", "rejected").await, rejected + 1);
    assert_eq!(companies(&app).await, before.0);

    // only city_admin imports lists
    let ok = fortune_csv(&[("1", "甲公司", "1")]);
    let (st, _) = import(&app, None, ("l.csv", &ok), "china_500", "2024").await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    for user in ["js", "lead", "sup", "sys"] {
        let t = app.login(user).await;
        let (st, b) = import(&app, Some(&t), ("l.csv", &ok), "china_500", "2024").await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{user}: {b}");
    }
    assert_eq!(companies(&app).await, before.0);
});

/// GET an .xlsx with a bearer token: the cells of its sheet, row by row.
async fn xlsx_rows(app: &common::TestApp, token: &str, path: &str) -> Vec<Vec<String>> {
    let res = app.client.get(format!("{}{path}", app.base)).bearer_auth(token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    assert!(res.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let bytes = res.bytes().await.unwrap();
    let sheet = ledger::read(&bytes, "x.xlsx", &ledger::Limits::default()).unwrap();
    sheet.rows.into_iter().map(|(_, c)| c.iter().map(ledger::Cell::text).collect()).collect()
}

api_test!(the_company_list_exports_to_excel, |app| {
    let city = app.login("city").await;
    let js = app.login("js").await;
    let cid = company(
        &app,
        &city,
        json!({"name": "环球电子集团", "country": "美国", "industry": "electronics", "fortune_global_500_rank": 88, "rank_year": 2024}),
    )
    .await;
    company(&app, &city, json!({"name": "本地小微公司"})).await;
    for (name, unit) in [("金水电子项目", "jinshui"), ("二七电子项目", "erqi")] {
        let body = json!({"name": name, "unit": unit, "industry": "electronics", "region": "yangtze", "total_investment": "100", "investor_ids": [cid]});
        let (st, b) = app.post("/api/v1/projects", &city, body).await;
        assert_eq!(st, StatusCode::CREATED, "{b}");
    }

    let rows = xlsx_rows(&app, &js, "/api/v1/companies/export?ranked=true").await;
    let header = rows.iter().find(|r| r.first().map(String::as_str) == Some("企业名称")).expect("a header row");
    let col = |label: &str| header.iter().position(|h| h == label).unwrap_or_else(|| panic!("{label}: {header:?}"));
    for label in ["统一社会信用代码", "国家或地区", "世界500强排名", "排名年份", "投资方类型", "项目数"]
    {
        col(label);
    }
    let data: Vec<&Vec<String>> = rows.iter().skip_while(|r| r[0] != "企业名称").skip(1).collect();
    assert_eq!(data.len(), 1, "ranked only: {rows:?}");
    let r = data[0];
    assert_eq!(r[0], "环球电子集团");
    assert_eq!(r[col("世界500强排名")], "88");
    assert_eq!(r[col("排名年份")], "2024");
    assert_eq!(r[col("所属行业")], "电子信息", "names, not codes: {r:?}");
    assert_eq!(r[col("项目数")], "1", "jinshui counts only its own project");
    let rows = xlsx_rows(&app, &city, "/api/v1/companies/export?q=%E7%8E%AF%E7%90%83").await;
    let last = rows.last().unwrap();
    assert_eq!(
        (last[0].as_str(), last.last().map(String::as_str)),
        ("环球电子集团", Some("2")),
        "the city counts both"
    );
    assert_eq!(audits(&app, "company.export", "ok").await, 2, "each export audited");

    let res = app.client.get(format!("{}/api/v1/companies/export", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let sys = app.login("sys").await;
    let res = app.client.get(format!("{}/api/v1/companies/export", app.base)).bearer_auth(&sys).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (st, b) = app.get("/api/v1/companies/export?ranked=maybe", &js).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
});

// ---------------------------------------------------------------- pages

api_test!(the_company_page_shows_rankings_targets_and_contacts_in_scope, |app| {
    let city = app.login("city").await;
    let cid = company(&app, &city, json!({"name": "宁德时代新能源科技股份有限公司", "country": "中国"})).await;
    for (year, rank) in [("2023", "292"), ("2024", "257")] {
        let csv = fortune_csv(&[(rank, "宁德时代新能源科技", "50,000")]);
        let (st, r) = import(&app, Some(&city), ("l.csv", &csv), "fortune_global_500", year).await;
        assert_eq!((st, r["matched"].as_u64()), (StatusCode::OK, Some(1)), "{r}");
    }
    for (user, unit) in [("js", "jinshui"), ("eq", "erqi")] {
        let t = app.login(user).await;
        let (st, b) =
            app.post("/api/v1/targets", &t, json!({"company_id": cid, "unit": unit, "industry": "electronics"})).await;
        assert_eq!(st, StatusCode::CREATED, "{b}");
    }
    let path = format!("/companies/{cid}");

    let js = Browser::login(&app, "js").await;
    let (st, html) = js.page(&path).await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(
        html.contains("历年排名") && html.contains("第 257 位") && html.contains("第 292 位"),
        "both years: {html}"
    );
    assert!(html.contains("50000 百万美元"), "the revenue with its unit: {html}");
    assert!(html.contains("第 257 位（2024 年榜单）"), "the current rank is the latest year's");
    assert!(html.contains("金水区") && !html.contains("二七区"), "only jinshui's target: {html}");
    assert!(html.contains("您的数据权限范围内没有与该企业有关的招商活动"), "activities: none met it, nothing made up");

    let c = Browser::login(&app, "city").await;
    let (_, html) = c.page(&path).await;
    assert!(html.contains("金水区") && html.contains("二七区"), "the city sees every unit's target: {html}");
    let dept = Browser::login(&app, "dept").await;
    let (st, html) = dept.page(&path).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("您的角色不查看靶向库") && !html.contains("金水区"), "{html}");

    // 新增联系人: a bad phone named beside its field, nothing written; then registered
    let (st, html, _) = js.submit(&format!("{path}/contacts"), &[("name", "王经理"), ("phone", "138-abc")]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("联系电话") && html.contains("value=\"王经理\""), "the error beside the kept value: {html}");
    let (st, _, to) = js
        .submit(&format!("{path}/contacts"), &[("name", "王经理"), ("position", "投资部长"), ("phone", "13812341234")])
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert!(to.starts_with(&format!("{path}?done=contact")), "{to}");
    let (_, html) = js.page(to.split('#').next().unwrap()).await;
    assert!(html.contains("联系人已登记") && html.contains("13812341234"), "jinshui reads its own contact's phone");
    let eq = Browser::login(&app, "eq").await;
    let (_, html) = eq.page(&path).await;
    assert!(html.contains("138****1234") && !html.contains("13812341234"), "masked for another unit: {html}");
    // a leader reads, but has no form; its post is refused
    let lead = Browser::login(&app, "lead").await;
    let (_, html) = lead.page(&path).await;
    assert!(html.contains("王经理") && !html.contains("新增联系人</h3>"), "{html}");
    let (st, _, _) = lead.submit(&format!("{path}/contacts"), &[("name", "李")]).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let contacts = store::entity::company_contact::Entity::find().count(app.store.db()).await.unwrap();
    assert_eq!(contacts, 1);
});

api_test!(the_ranking_import_page_is_city_admins, |app| {
    let c = Browser::login(&app, "city").await;
    let (_, list) = c.page("/companies").await;
    assert!(list.contains("/companies/rankings/import") && list.contains("导出Excel"), "{list}");
    let (st, html) = c.page("/companies/rankings/import").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("中国民营企业500强"), "the list choices");

    let csv = fortune_csv(&[("12", "国家电网", "545,947.5"), ("x", "中国石油", "1")]);
    let parts = |csrf: &'static str, bytes: &'static [u8]| {
        [
            common::Part::text("_csrf", csrf),
            common::Part::text("list", "fortune_global_500"),
            common::Part::text("year", "2024"),
            common::Part { name: "file", file_name: Some("榜单.csv"), bytes },
        ]
    };
    let csrf: &'static str = Box::leak(c.csrf.clone().into_boxed_str());
    let bad: &'static [u8] = Box::leak(csv.into_boxed_slice());
    let (st, _, html) = c.post_multipart("/companies/rankings/import", &parts(csrf, bad)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("第 5 行") && html.contains("没有写入任何数据"), "{html}");
    assert_eq!(companies(&app).await, 0);
    let (st, _, _) = c.post_multipart("/companies/rankings/import", &parts("forged", bad)).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "a forged CSRF token");

    let good: &'static [u8] = Box::leak(fortune_csv(&[("12", "国家电网", "545,947.5")]).into_boxed_slice());
    let (st, _, html) = c.post_multipart("/companies/rankings/import", &parts(csrf, good)).await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("导入完成") && html.contains("新登记企业 <strong>1</strong>"), "{html}");

    let js = Browser::login(&app, "js").await;
    let (_, list) = js.page("/companies").await;
    assert!(!list.contains("/companies/rankings/import") && list.contains("导出Excel"), "no import link for a unit");
    assert_eq!(js.page("/companies/rankings/import").await.0, StatusCode::FORBIDDEN);
    let res = js.fetch("/companies/export.xlsx?q=%E5%9B%BD%E5%AE%B6").await;
    let cells = common::xlsx_cells(res).await;
    assert!(cells.iter().any(|c| c == "国家电网"), "the page's export: {cells:?}");
});
