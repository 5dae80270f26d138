//! 考核 through the API (assessment.md; api.md `schemes`, `assessments`): the worked example
//! reproduced exactly from records made over HTTP — units claim, the city accepts — and run
//! with `POST /api/v1/assessments/run`; a submitted or returned claim never counts; the
//! drill-down; stored schemes by version; every refusal. On SQLite and PostgreSQL.

mod common;

use reqwest::StatusCode;
use serde_json::{Value, json};

/// assessment.md's worked example on 金水 (U1), 二七 (U2) and 中原 (U3).
fn worked_example() -> String {
    domain::assessment::defaults::worked_example(["jinshui", "erqi", "zhongyuan"], true)
}

/// The city accepts every claim waiting.
async fn accept_all(app: &common::TestApp, city: &str) {
    let (st, list) = app.get("/api/v1/reviews?state=submitted&per_page=500", city).await;
    assert_eq!(st, StatusCode::OK, "{list}");
    for r in list["items"].as_array().unwrap() {
        let (st, b) = app.post(&format!("/api/v1/reviews/{}/accept", r["id"]), city, json!({})).await;
        assert_eq!(st, StatusCode::OK, "{b}");
    }
}

async fn transition(app: &common::TestApp, token: &str, id: i64, body: Value) {
    let (st, b) = app.post(&format!("/api/v1/projects/{id}/transitions"), token, body).await;
    assert_eq!(st, StatusCode::OK, "{b}");
}

/// A project of `unit` made by `token`, signed on `signed` and started on `started`, every
/// claim accepted by the city.
async fn landed(
    app: &common::TestApp,
    (token, city): (&str, &str),
    unit: &str,
    name: &str,
    total: &str,
    signed: &str,
    started: Option<&str>,
) -> i64 {
    let id = app.project(token, name, unit, total).await["id"].as_i64().unwrap();
    transition(app, token, id, json!({"to": "signed", "date": signed})).await;
    if let Some(s) = started {
        transition(app, token, id, json!({"to": "started", "date": s, "skipped_dates": {"approved": signed}})).await;
    }
    accept_all(app, city).await;
    id
}

async fn funds(app: &common::TestApp, token: &str, project: i64, date: &str, amount: &str) -> i64 {
    let body = json!({"date": date, "kind": "domestic_out_of_province", "amount": amount});
    let (st, b) = app.post(&format!("/api/v1/projects/{project}/funds"), token, body).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    b["id"].as_i64().unwrap()
}

/// `n` visits to the ranked company led by the unit's chief, plus one led by no leader.
async fn visits(app: &common::TestApp, token: &str, unit: &str, company: i64, n: usize) {
    let chief = app.leader(token, &format!("{unit}书记"), "区委书记", unit, "unit_chief").await;
    for k in 0..=n {
        let leaders = if k < n { json!([chief["id"]]) } else { json!([]) };
        let body = json!({"title": format!("{unit}拜访{k}"), "kind": "leader_visit", "start_on": format!("2025-0{}-10", k + 1),
            "region": "pearl", "city": "深圳", "unit": unit, "leader_ids": leaders, "company_ids": [company]});
        let (st, a) = app.post("/api/v1/activities", token, body).await;
        assert_eq!(st, StatusCode::CREATED, "{a}");
    }
}

async fn run(app: &common::TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    app.post("/api/v1/assessments/run", token, body).await
}

/// The results as (unit, points per indicator, total, rank).
fn table(run: &Value) -> Vec<(String, Vec<String>, String, u64)> {
    run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let points = r["indicators"].as_array().unwrap().iter().map(|i| i["points"].as_str().unwrap().to_string());
            (
                r["unit"].as_str().unwrap().to_string(),
                points.collect(),
                r["total"].as_str().unwrap().to_string(),
                r["rank"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn row(u: &str, cells: [&str; 4], total: &str, rank: u64) -> (String, Vec<String>, String, u64) {
    (u.to_string(), cells.map(str::to_string).to_vec(), total.to_string(), rank)
}

fn measure(run: &Value, unit: &str, code: &str) -> String {
    let r = run["results"].as_array().unwrap().iter().find(|r| r["unit"] == unit).unwrap();
    let i = r["indicators"].as_array().unwrap().iter().find(|i| i["code"] == code).unwrap();
    i["measure_value"].as_str().unwrap().to_string()
}

api_test!(the_worked_example_from_records_made_through_the_api, |app| {
    let [city, js, eq] = app.logins(["city", "js", "eq"]).await;
    let body = json!({"name": "环球电子", "country": "美国", "fortune_global_500_rank": 88});
    let (st, company) = app.post("/api/v1/companies", &city, body).await;
    assert_eq!(st, StatusCode::CREATED, "{company}");
    let company = company["id"].as_i64().unwrap();

    // U1 金水: 4 major signings in 2025 (2 started), one small project signed in 2024 and started: 3 of 5
    let mut u1 = vec![];
    for (k, started) in [Some("2025-06-01"), Some("2025-07-01"), None, None].into_iter().enumerate() {
        u1.push(landed(&app, (&js, &city), "jinshui", &format!("金水重大{k}"), "20000", "2025-02-01", started).await);
    }
    landed(&app, (&js, &city), "jinshui", "金水小项目", "500", "2024-06-01", Some("2024-09-01")).await;
    // U2 二七: 2 major signings, both started
    let u2 = landed(&app, (&eq, &city), "erqi", "二七重大一", "15000", "2025-03-01", Some("2025-08-01")).await;
    landed(&app, (&eq, &city), "erqi", "二七重大二", "10000", "2025-04-01", Some("2025-09-01")).await;
    // U3 中原 (the city's own records): 1 major signing, then terminated
    let u3 = landed(&app, (&city, &city), "zhongyuan", "中原重大", "30000", "2025-05-01", None).await;
    transition(&app, &city, u3, json!({"to": "terminated", "date": "2025-10-01", "reason": "投资方撤资"})).await;

    let e1 = funds(&app, &js, u1[0], "2025-10-01", "50000").await;
    let e2 = funds(&app, &js, u1[0], "2025-11-01", "40000").await;
    funds(&app, &eq, u2, "2025-10-01", "30000").await;
    funds(&app, &eq, u2, "2025-11-01", "40000").await;
    funds(&app, &city, u3, "2025-10-01", "80000").await;
    accept_all(&app, &city).await;
    visits(&app, &js, "jinshui", company, 3).await;
    visits(&app, &eq, "erqi", company, 5).await;

    let (st, first) = run(&app, &city, json!({"scheme": worked_example()})).await;
    assert_eq!(st, StatusCode::CREATED, "{first}");
    assert_eq!(
        table(&first),
        vec![
            row("erqi", ["48.00", "10.00", "20.00", "20.00"], "98.00", 1),
            row("jinshui", ["36.00", "20.00", "12.00", "15.00"], "83.00", 2),
            row("zhongyuan", ["40.00", "5.00", "0.00", "0.00"], "45.00", 3),
        ]
    );
    assert_eq!(measure(&first, "jinshui", "start"), "0.6");
    assert_eq!(first["inputs_sha256"].as_str().unwrap().len(), 64);

    // the drill-down: the two entries behind 金水's 90000
    let id = first["id"].as_i64().unwrap();
    let (st, records) = app.get(&format!("/api/v1/assessments/{id}/records?unit=jinshui&indicator=funds"), &city).await;
    assert_eq!(st, StatusCode::OK, "{records}");
    let got: Vec<(i64, &str)> = records["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_i64().unwrap(), r["value"].as_str().unwrap()))
        .collect();
    assert_eq!(got, [(e1, "50000.00"), (e2, "40000.00")]);
    assert!(
        records["items"].as_array().unwrap().iter().all(|r| r["entity"] == "funds_entry" && r["project_id"] == u1[0])
    );
    let (st, rate) = app.get(&format!("/api/v1/assessments/{id}/records?unit=jinshui&indicator=start"), &city).await;
    assert_eq!(st, StatusCode::OK);
    let met: Vec<&str> = rate["items"].as_array().unwrap().iter().map(|r| r["value"].as_str().unwrap()).collect();
    assert_eq!(met, ["1", "1", "0", "0", "1"], "every signed project, each saying whether it started");

    // a submitted entry does not count until accepted; a returned one never does
    let waiting = funds(&app, &js, u1[1], "2025-12-01", "10000").await;
    let (_, second) = run(&app, &city, json!({"scheme": worked_example()})).await;
    assert_eq!(measure(&second, "jinshui", "funds"), "90000");
    assert_eq!(second["output_sha256"], first["output_sha256"], "nothing the city accepted changed");
    let (_, list) = app.get("/api/v1/reviews?state=submitted&kind=funds", &city).await;
    let claim =
        list["items"].as_array().unwrap().iter().find(|r| r["funds_entry_id"] == waiting).unwrap()["id"].clone();
    let (st, b) = app.post(&format!("/api/v1/reviews/{claim}/return"), &city, json!({"comment": "缺少到账凭证"})).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (_, third) = run(&app, &city, json!({"scheme": worked_example()})).await;
    assert_eq!(measure(&third, "jinshui", "funds"), "90000", "a returned entry never counts");
    funds(&app, &js, u1[1], "2025-12-05", "10000").await;
    accept_all(&app, &city).await;
    let (_, fourth) = run(&app, &city, json!({"scheme": worked_example()})).await;
    assert_eq!(measure(&fourth, "jinshui", "funds"), "100000", "counts once accepted");

    // the stored run is unchanged, and comparing it with the latest shows the change
    let (st, stored) = app.get(&format!("/api/v1/assessments/{id}"), &city).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!((stored["output_sha256"].clone(), table(&stored)), (first["output_sha256"].clone(), table(&first)));
    let later = fourth["id"].as_i64().unwrap();
    let (st, diff) = app.get(&format!("/api/v1/assessments/{id}/compare?with={later}"), &city).await;
    assert_eq!(st, StatusCode::OK, "{diff}");
    let fields: Vec<(&str, &str)> = diff["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["unit"].as_str().unwrap(), d["field"].as_str().unwrap()))
        .collect();
    assert!(fields.contains(&("jinshui", "funds.value")) && fields.contains(&("jinshui", "total")), "{diff}");
    // as of two days ago nothing the city accepted today counts (two, so a run across
    // midnight cannot count today's acceptances); a day to come is refused
    let yesterday = (domain::today_shanghai() - chrono::Days::new(2)).to_string();
    let (st, then) = run(&app, &city, json!({"scheme": worked_example(), "as_of": yesterday})).await;
    assert_eq!(st, StatusCode::CREATED, "{then}");
    assert_eq!((measure(&then, "jinshui", "funds"), then["as_of"].as_str()), ("0".into(), Some(yesterday.as_str())));
    let tomorrow = domain::today_shanghai().succ_opt().unwrap().to_string();
    let (st, e) = run(&app, &city, json!({"scheme": worked_example(), "as_of": tomorrow})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["fields"]["as_of"].is_string(), "{e}");
    let (st, runs) = app.get("/api/v1/assessments?per_page=2", &city).await;
    assert_eq!((st, runs["total"].as_u64(), runs["items"][1]["id"].as_i64()), (StatusCode::OK, Some(5), Some(later)));
});

api_test!(schemes_are_stored_by_version_and_every_bad_request_is_refused_by_name, |app| {
    let [city, js, sup] = app.logins(["city", "js", "sup"]).await;
    let (st, v1) = app.post("/api/v1/schemes", &city, json!({"toml": worked_example()})).await;
    assert_eq!(st, StatusCode::CREATED, "{v1}");
    let (_, v2) = app.post("/api/v1/schemes", &city, json!({"toml": worked_example()})).await;
    assert_eq!((v1["version"].as_i64(), v2["version"].as_i64()), (Some(1), Some(2)));
    assert_eq!((v1["from"].as_str(), v1["to"].as_str()), (Some("2025-01-01"), Some("2025-12-31")));
    let (st, one) = app.get(&format!("/api/v1/schemes/{}", v1["id"]), &sup).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(one["toml"].as_str(), Some(worked_example().as_str()));
    let (st, list) = app.get("/api/v1/schemes", &sup).await;
    assert_eq!((st, list["total"].as_u64()), (StatusCode::OK, Some(2)));

    // an invalid scheme: 422 naming the indicator and the unit; not saved
    let no_target = worked_example().replace("erqi = 50000\n", "");
    let weightless = worked_example()
        .replace("weight = 20\n\n[[indicator]]\ncode = \"start\"", "weight = -1\n\n[[indicator]]\ncode = \"start\"");
    for (bad, names) in [(no_target, ["funds", "erqi"]), (weightless, ["signed", "weight"])] {
        let (st, e) = app.post("/api/v1/schemes", &city, json!({"toml": bad})).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let why = e["error"]["fields"]["scheme"].as_str().unwrap();
        assert!(names.iter().all(|n| why.contains(n)), "{why}");
    }
    let (_, list) = app.get("/api/v1/schemes", &city).await;
    assert_eq!(list["total"].as_u64(), Some(2));
    let (st, e) = app.post("/api/v1/schemes", &city, json!({"toml": "x".repeat(100_001)})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["fields"]["toml"].as_str().unwrap().contains("100000"), "{e}");
    let (st, e) = app.post("/api/v1/schemes", &city, json!({"toml": worked_example(), "version": 9})).await;
    assert_eq!((st, e["error"]["fields"]["version"].is_string()), (StatusCode::UNPROCESSABLE_ENTITY, true), "{e}");

    // a run names one scheme, known
    for (body, field) in [
        (json!({}), "scheme"),
        (json!({"scheme": worked_example(), "scheme_id": v1["id"]}), "scheme_id"),
        (json!({"scheme_id": 987654}), "scheme_id"),
        (json!({"scheme_id": "one"}), "scheme_id"),
        (json!({"scheme": "name = 3"}), "scheme"),
    ] {
        let (st, e) = run(&app, &city, body.clone()).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {e}");
        assert!(e["error"]["fields"][field].is_string(), "{body}: {e}");
    }
    // the 营商环境 scheme without its manual values: refused, naming them
    let (st, e) = run(&app, &city, json!({"scheme": domain::assessment::defaults::BUSINESS_ENVIRONMENT})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["fields"]["scheme"].as_str().unwrap().contains("satisfaction"), "{e}");

    // a unit user runs nothing and reads no run; the supervisor runs
    let (st, _) = run(&app, &js, json!({"scheme_id": v1["id"]})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, r) = run(&app, &sup, json!({"scheme_id": v1["id"]})).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    assert_eq!(r["scheme_id"], v1["id"]);
    let id = r["id"].as_i64().unwrap();
    let (st, _) = app.get(&format!("/api/v1/assessments/{id}"), &js).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "unpublished");
    let (st, _) = app.get("/api/v1/assessments/987654", &city).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    for (q, field) in [
        ("unit=jinshui", "indicator"),
        ("indicator=funds", "unit"),
        ("unit=nowhere&indicator=funds", "unit"),
        ("unit=jinshui&indicator=nope", "indicator"),
        ("unit=guancheng&indicator=funds", "unit"),
    ] {
        let (st, e) = app.get(&format!("/api/v1/assessments/{id}/records?{q}"), &city).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {e}");
        assert!(e["error"]["fields"][field].is_string(), "{q}: {e}");
    }
});

api_test!(manual_values_and_adjustments_feed_the_run_of_their_period, |app| {
    let [city, js] = app.logins(["city", "js"]).await;
    let manual = |unit: &str, value: &str| json!({"unit": unit, "measure": "satisfaction", "from": "2026-01-01", "to": "2026-12-31", "value": value, "source": "2026年度营商环境问卷"});
    for m in ["satisfaction", "approval_days"] {
        for (k, u) in domain::reference::units().iter().filter(|u| u.assessed).enumerate() {
            let value = if m == "satisfaction" { format!("0.{}", 50 + k) } else { format!("{}", 10 + k) };
            let mut body = manual(&u.code, &value);
            body["measure"] = json!(m);
            let (st, b) =
                app.call(reqwest::Method::PUT, "/api/v1/assessments/manual_values", Some(&city), Some(body)).await;
            assert_eq!(st, StatusCode::OK, "{b}");
        }
    }
    let (st, e) = app
        .call(reqwest::Method::PUT, "/api/v1/assessments/manual_values", Some(&js), Some(manual("jinshui", "1")))
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{e}");
    let (st, e) = app
        .call(reqwest::Method::PUT, "/api/v1/assessments/manual_values", Some(&city), Some(manual("jinshui", "0.9")))
        .await;
    assert_eq!(st, StatusCode::OK, "{e}");
    let (st, e) = app
        .call(
            reqwest::Method::PUT,
            "/api/v1/assessments/manual_values",
            Some(&city),
            Some(json!({"unit": "jinshui", "value": 0.5})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    for f in ["measure", "from", "to", "value", "source"] {
        assert!(e["error"]["fields"][f].is_string(), "{f}: {e}");
    }
    let (st, mine) = app.get("/api/v1/assessments/manual_values?from=2026-01-01&to=2026-12-31", &js).await;
    assert_eq!(st, StatusCode::OK, "{mine}");
    assert!(mine["items"].as_array().unwrap().iter().all(|v| v["unit"] == "jinshui"), "a unit sees its own: {mine}");
    assert_eq!(mine["total"].as_u64(), Some(2));
    let (st, e) = app.get("/api/v1/assessments/manual_values?from=2026-13-01", &city).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"]["fields"]["from"].is_string() && e["error"]["fields"]["to"].is_string(), "{e}");

    let bonus = json!({"unit": "jinshui", "from": "2026-01-01", "to": "2026-12-31", "kind": "penalty", "points": "3", "reason": "月报数据经核查不实"});
    let (st, entry) = app.post("/api/v1/assessments/adjustments", &city, bonus).await;
    assert_eq!(st, StatusCode::CREATED, "{entry}");
    assert_eq!(entry["points"].as_str(), Some("-3"));
    let scheme = domain::assessment::defaults::BUSINESS_ENVIRONMENT.to_string();
    let (st, r) = run(&app, &city, json!({"scheme": scheme})).await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    let js_row = r["results"].as_array().unwrap().iter().find(|x| x["unit"] == "jinshui").unwrap().clone();
    assert_eq!(js_row["penalty"].as_str(), Some("-3.00"), "{js_row}");
    assert_eq!(measure(&r, "jinshui", "satisfaction"), "0.9");
    let id = r["id"].as_i64().unwrap();
    let (_, src) =
        app.get(&format!("/api/v1/assessments/{id}/records?unit=jinshui&indicator=satisfaction"), &city).await;
    assert_eq!(src["items"][0]["entity"], "manual_value");
    assert!(src["items"][0]["label"].as_str().unwrap().contains("营商环境问卷"), "{src}");

    let url = format!("/api/v1/assessments/adjustments/{}", entry["id"]);
    let (st, _) = app.call(reqwest::Method::DELETE, &url, Some(&city), None).await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = app.call(reqwest::Method::DELETE, &url, Some(&city), None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (_, r) = run(&app, &city, json!({"scheme": scheme})).await;
    let js_row = r["results"].as_array().unwrap().iter().find(|x| x["unit"] == "jinshui").unwrap().clone();
    assert_eq!(js_row["penalty"].as_str(), Some("0.00"), "withdrawn: {js_row}");
});
