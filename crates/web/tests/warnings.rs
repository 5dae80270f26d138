//! 预警, 督办 and 月报 over HTTP, on SQLite and PostgreSQL: the rules' levels, the scope, the
//! 督办 life cycle and the monthly confirmation, with their refusals.

mod common;

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value as Sql};
use serde_json::{Value, json};

fn days_ago(n: i64) -> chrono::NaiveDate {
    domain::today_shanghai() - chrono::Duration::days(n)
}

/// A project of the city signed `n` days ago.
async fn signed(app: &common::TestApp, city: &str, name: &str, n: i64) -> i64 {
    let p = app.project(city, name, "jinshui", "100").await;
    let id = p["id"].as_i64().unwrap();
    let (st, b) = app
        .post(&format!("/api/v1/projects/{id}/transitions"), city, json!({"to": "signed", "date": days_ago(n)}))
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    id
}

fn kinds(list: &Value, project: i64) -> Vec<(String, String)> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["project_id"].as_i64() == Some(project))
        .map(|w| (w["kind"].as_str().unwrap().to_string(), w["level"].as_str().unwrap().to_string()))
        .collect()
}

async fn raw(app: &common::TestApp, sql: &str, values: Vec<Sql>) {
    let store = &app.store;
    let sql = if store.backend() == DbBackend::Postgres {
        let mut n = 0;
        sql.split('?').enumerate().fold(String::new(), |mut acc, (i, part)| {
            if i > 0 {
                n += 1;
                acc.push_str(&format!("${n}"));
            }
            acc.push_str(part);
            acc
        })
    } else {
        sql.to_string()
    };
    store.db().execute_raw(Statement::from_sql_and_values(store.backend(), sql, values)).await.unwrap();
}

api_test!(warning_levels_and_scope, |app| {
    let city = app.login("city").await;
    let yellow = signed(&app, &city, "签约两百天项目", 200).await;
    let red = signed(&app, &city, "签约四百天项目", 400).await;
    let key = app.project(&city, "重点项目甲", "jinshui", "60000").await;
    let key_id = key["id"].as_i64().unwrap();
    let now = Sql::from(store::now());
    raw(&app, "INSERT INTO agreements (project_id, kind, title, parties, version, created_at, updated_at) VALUES (?, 'contract', '投资协议', '[]', 1, ?, ?)", vec![key_id.into(), now.clone(), now.clone()]).await;
    raw(&app, "INSERT INTO clauses (agreement_id, project_id, number, text, obligor, due_on, status, version, created_at, updated_at) SELECT id, ?, '第3条', '注册资本金到位', 'investor', ?, 'pending', 1, ?, ? FROM agreements", vec![key_id.into(), days_ago(31).into(), now.clone(), now.clone()]).await;

    let (st, all) = app.get("/api/v1/warnings?per_page=500", &city).await;
    assert_eq!(st, StatusCode::OK, "{all}");
    assert!(kinds(&all, yellow).contains(&("signed_not_started".into(), "yellow".into())), "{all}");
    assert!(kinds(&all, red).contains(&("signed_not_started".into(), "red".into())));
    assert!(kinds(&all, key_id).contains(&("clause_overdue".into(), "red".into())));
    let four: Vec<_> = all["items"].as_array().unwrap().iter().filter(|w| w["kind"] == "four_ones_missing").collect();
    assert_eq!(four.len(), 1);
    assert!(four[0]["reason"].as_str().unwrap().contains("工作团队"));
    assert_eq!(all["red"].as_u64().unwrap() + all["yellow"].as_u64().unwrap(), all["total"].as_u64().unwrap());
    // paged: the counts stay those of every warning
    let (_, first) = app.get("/api/v1/warnings?per_page=1", &city).await;
    assert_eq!((first["items"].as_array().unwrap().len(), &first["total"]), (1, &all["total"]));
    assert_eq!(first["items"][0]["level"], "red");
    let (st, _) = app.get("/api/v1/warnings?per_page=0", &city).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);

    // filters, and bad ones named
    let (_, reds) = app.get("/api/v1/warnings?level=red&kind=signed_not_started", &city).await;
    assert_eq!(reds["items"].as_array().unwrap().len(), 1, "{reds}");
    assert_eq!(reds["items"][0]["key"], format!("signed_not_started:project:{red}"));
    let (st, bad) = app.get("/api/v1/warnings?level=orange&kind=x", &city).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad["error"]["fields"]["level"].is_string() && bad["error"]["fields"]["kind"].is_string(), "{bad}");

    // another unit sees none of them, and may not ask for jinshui's
    let eq = app.login("eq").await;
    let (st, theirs) = app.get("/api/v1/warnings", &eq).await;
    assert_eq!(st, StatusCode::OK);
    assert!(theirs["items"].as_array().unwrap().iter().all(|w| w["project_id"].is_null()), "{theirs}");
    assert!(!theirs.to_string().contains("签约两百天项目"));
    let (st, _) = app.get("/api/v1/warnings?unit=jinshui", &eq).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.get("/api/v1/warnings", &app.login("dept").await).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
});

api_test!(supervision_life_cycle, |app| {
    let city = app.login("city").await;
    let p = signed(&app, &city, "督办项目", 200).await;
    let sup = app.login("sup").await;
    let js = app.login("js").await;
    let key = format!("signed_not_started:project:{p}");
    let body = json!({"warning_key": key, "deadline": days_ago(-14), "instruction": "请说明未开工原因"});
    let (st, _) = app.post("/api/v1/supervisions", &js, body.clone()).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, bad) =
        app.post("/api/v1/supervisions", &sup, json!({"deadline": days_ago(1), "instruction": "", "x": 1})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert!(bad["error"]["fields"]["instruction"].is_string(), "{bad}");
    let (st, s) = app.post("/api/v1/supervisions", &sup, body).await;
    assert_eq!(st, StatusCode::CREATED, "{s}");
    let id = s["id"].as_i64().unwrap();
    assert_eq!((s["project_id"].as_i64(), s["status"].as_str()), (Some(p), Some("open")));

    let (st, e) = app.post(&format!("/api/v1/supervisions/{id}/close"), &sup, json!({})).await;
    assert_eq!(st, StatusCode::CONFLICT, "{e}");
    let eq = app.login("eq").await;
    let (st, _) = app.post(&format!("/api/v1/supervisions/{id}/reply"), &eq, json!({"reply": "越权"})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (_, none) = app.get("/api/v1/supervisions", &eq).await;
    assert_eq!(none["total"], 0);
    let (st, r) =
        app.post(&format!("/api/v1/supervisions/{id}/reply"), &js, json!({"reply": "下月开工", "version": 1})).await;
    assert_eq!((st, r["status"].as_str()), (StatusCode::OK, Some("replied")), "{r}");
    let (st, _) = app.post(&format!("/api/v1/supervisions/{id}/close"), &sup, json!({"version": 1})).await;
    assert_eq!(st, StatusCode::CONFLICT, "a stale version");
    let (st, c) = app.post(&format!("/api/v1/supervisions/{id}/close"), &sup, json!({"version": 2})).await;
    assert_eq!((st, c["status"].as_str()), (StatusCode::OK, Some("closed")), "{c}");
    let (_, mine) = app.get("/api/v1/supervisions?status=closed", &js).await;
    assert_eq!(mine["total"], 1);
    let (st, _) = app.post("/api/v1/supervisions/987654/reply", &js, json!({"reply": "无"})).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    // each step is audited
    let (n,): (i64,) = {
        let row = app
            .store
            .db()
            .query_one_raw(Statement::from_string(
                app.store.backend(),
                "SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'supervision.%'",
            ))
            .await
            .unwrap()
            .unwrap();
        (row.try_get("", "n").unwrap(),)
    };
    assert_eq!(n, 3);
});

api_test!(monthly_confirm_and_late, |app| {
    let js = app.login("js").await;
    let city = app.login("city").await;
    let month = domain::Month::of(domain::today_shanghai()).prev().to_string();
    let (st, r) = app.post("/api/v1/monthly_reports", &js, json!({"unit": "jinshui", "month": month})).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    assert_eq!(r["snapshot_sha256"].as_str().unwrap().len(), 64);
    let (st, _) = app.post("/api/v1/monthly_reports", &js, json!({"unit": "jinshui", "month": month})).await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (st, _) = app.post("/api/v1/monthly_reports", &js, json!({"unit": "erqi", "month": month})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, bad) = app.post("/api/v1/monthly_reports", &js, json!({"unit": "jinshui", "month": "2025-13"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad["error"]["fields"]["month"].is_string(), "{bad}");
    let (st, _) = app.post("/api/v1/monthly_reports", &city, json!({"unit": "jinshui", "month": month})).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "the city does not confirm a unit's month");

    // two months ago: nobody confirmed and the deadline has passed, so every unit is late
    let old = domain::Month::of(domain::today_shanghai()).prev().prev().to_string();
    let (st, list) = app.get(&format!("/api/v1/monthly_reports?month={old}"), &city).await;
    assert_eq!(st, StatusCode::OK);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 16);
    assert!(items.iter().all(|i| i["late"] == true && i["confirmed_at"].is_null()));
    let (_, now) = app.get(&format!("/api/v1/monthly_reports?month={month}"), &city).await;
    let js_row = now["items"].as_array().unwrap().iter().find(|i| i["unit"] == "jinshui").unwrap().clone();
    assert!(js_row["confirmed_at"].is_string());
    assert_eq!(js_row["confirmed_by"], "js");
    let (_, own) = app.get(&format!("/api/v1/monthly_reports?month={month}"), &js).await;
    assert_eq!(own["total"], 1, "a unit sees its own row only");
    let (st, _) = app.get("/api/v1/monthly_reports?month=10-2025", &city).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
});
