//! One project's whole life over HTTP (issue 11's acceptance), on SQLite and PostgreSQL:
//! created by its unit, negotiated, signed with a contract of five clauses and a package of
//! two sub-projects, the signing claim returned, resubmitted and accepted by the city,
//! department tasks answered by each department, started, a problem raised and resolved,
//! producing. It checks what each role relies on along the way: the accepted stage moves
//! only when the city accepts, a returned claim counts nowhere (工作台 今年签约), the 履约率
//! by domain.md §5's formula, the timeline, one audit record per step, and what a unit or a
//! department may not do.

#[path = "common/browser.rs"]
mod browser;
mod common;

use chrono::{Datelike, NaiveDate};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// `n` days before today, but not before 1 January (so a signing counts as this year's).
fn day(n: i64) -> String {
    let today = domain::today_shanghai();
    let jan1 = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap();
    (today - chrono::Duration::days(n)).max(jan1).to_string()
}

/// A dept_staff account of department `unit` (the harness has one, of ziranziyuan).
async fn dept_user(app: &common::TestApp, username: &str, unit: &str) {
    app.store
        .scoped(&store::Actor::system("test"))
        .create_user(store::users::NewUser {
            username: username.into(),
            display_name: username.into(),
            password_hash: web::password::hash(common::PASSWORD).unwrap(),
            roles: vec![domain::Role::DeptStaff],
            unit: Some(unit.into()),
            must_change_password: false,
        })
        .await
        .unwrap();
}

/// The 工作台 as `user` sees it in a browser (logged in through the login page).
async fn dashboard(app: &common::TestApp, user: &str) -> String {
    let (st, html) = browser::Browser::login(app, user).await.page("/").await;
    assert_eq!(st, StatusCode::OK);
    html
}

/// The value on the 工作台 card labelled `label`.
fn card(html: &str, label: &str) -> String {
    let at = html.find(&format!("<span class=\"kpi-label\">{label}</span>")).unwrap_or_else(|| panic!("card {label}"));
    let v = &html[at..];
    let start = v.find("kpi-value\">").unwrap() + 11;
    v[start..].split('<').next().unwrap().to_string()
}

/// (stage, accepted_stage, review_state) of a project as its unit reads it.
async fn stages(app: &common::TestApp, token: &str, id: i64) -> (String, String, String) {
    let (st, p) = app.get(&format!("/api/v1/projects/{id}"), token).await;
    assert_eq!(st, StatusCode::OK, "{p}");
    let s = |k: &str| p[k].as_str().unwrap().to_string();
    (s("stage"), s("accepted_stage"), s("review_state"))
}

fn st3(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

async fn transition(app: &common::TestApp, token: &str, id: i64, to: &str, date: &str) -> Value {
    let (st, p) = app.post(&format!("/api/v1/projects/{id}/transitions"), token, json!({"to": to, "date": date})).await;
    assert_eq!(st, StatusCode::OK, "{to}: {p}");
    p
}

/// The one submitted stage or funds claim of project `id`, as the city's queue shows it (its
/// 纳入全市库 claim apart).
async fn waiting_claim(app: &common::TestApp, city: &str, id: i64) -> Value {
    let (st, list) = app.get("/api/v1/reviews?state=submitted", city).await;
    assert_eq!(st, StatusCode::OK, "{list}");
    let mine: Vec<&Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["project_id"] == id && c["kind"] != "reportable")
        .collect();
    assert_eq!(mine.len(), 1, "{list}");
    mine[0].clone()
}

async fn accept(app: &common::TestApp, city: &str, claim: &Value) -> Value {
    let (st, r) = app.post(&format!("/api/v1/reviews/{}/accept", claim["id"]), city, json!({})).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["state"], "accepted");
    r
}

/// The audit log as the auditor reads it, oldest first: (action, entity, entity_id, username),
/// without the logins and user administration around the story.
async fn trail(app: &common::TestApp) -> Vec<(String, String, String, String)> {
    let aud = app.login("aud").await;
    let (st, log) = app.get("/api/v1/audit?per_page=500", &aud).await;
    assert_eq!(st, StatusCode::OK, "{log}");
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut out: Vec<_> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !["auth.", "user.", "authz."].iter().any(|p| r["action"].as_str().unwrap().starts_with(p)))
        .map(|r| (s(&r["action"]), s(&r["entity"]), s(&r["entity_id"]), s(&r["username"])))
        .collect();
    out.reverse();
    out
}

/// The ids of the tasks `token` lists (a department: its own).
async fn inbox(app: &common::TestApp, token: &str) -> Vec<i64> {
    let (st, l) = app.get("/api/v1/tasks", token).await;
    assert_eq!(st, StatusCode::OK, "{l}");
    l["items"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect()
}

fn clause(n: u32, due: Option<String>) -> Value {
    let obligor = if n.is_multiple_of(2) { "government" } else { "investor" };
    json!({"number": n.to_string(), "text": format!("第{n}条"), "obligor": obligor,
           "due_amount": "1000", "due_on": due, "status": "pending"})
}

api_test!(one_project_lands_from_negotiation_to_production, |app| {
    let [js, city, eq, dept] = app.logins(["js", "city", "eq", "dept"]).await;
    dept_user(&app, "jianshe_staff", "jianshe").await;
    let jianshe = app.login("jianshe_staff").await;

    // the unit creates and negotiates its project
    let p = app.project(&js, "全生命周期测试项目", "jinshui", "60000").await;
    let id = p["id"].as_i64().unwrap();
    assert_eq!(
        st3(p["stage"].as_str().unwrap(), p["accepted_stage"].as_str().unwrap(), p["review_state"].as_str().unwrap()),
        st3("reserve", "reserve", "none")
    );
    // 60,000 万元: city-reportable, so it waits in the city's queue (纳入全市库) until accepted
    let (st, q) = app.get("/api/v1/reviews?kind=reportable&state=submitted", &city).await;
    assert_eq!((st, q["total"].as_i64()), (StatusCode::OK, Some(1)), "{q}");
    assert_eq!(q["items"][0]["reason"], "总投资 60,000 万元 ≥ 50,000 万元");
    let reportable_claim = q["items"][0].clone();
    accept(&app, &city, &reportable_claim).await;
    transition(&app, &js, id, "negotiating", &day(50)).await;
    assert_eq!(
        stages(&app, &js, id).await,
        st3("negotiating", "negotiating", "none"),
        "an unreviewed stage counts at once"
    );
    let signed_before = card(&dashboard(&app, "city").await, "今年签约");

    // signed: a claim; nothing counts until the city accepts
    let (st, e) = app.post(&format!("/api/v1/projects/{id}/transitions"), &js, json!({"to": "signed"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "signing needs its date: {e}");
    transition(&app, &js, id, "signed", &day(40)).await;
    assert_eq!(stages(&app, &js, id).await, st3("signed", "negotiating", "submitted"));
    assert_eq!(
        card(&dashboard(&app, "city").await, "今年签约"),
        signed_before,
        "a claim waiting for review counts nowhere"
    );
    let signed_claim = waiting_claim(&app, &city, id).await;
    let claim = &signed_claim;
    assert_eq!((claim["kind"].as_str(), claim["stage"].as_str()), (Some("stage"), Some("signed")));
    let (st, e) = app.post(&format!("/api/v1/reviews/{}/accept", claim["id"]), &js, json!({})).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "the unit may not accept its own claim: {e}");

    // the agreements: a contract of five clauses, a package of two sub-projects
    // due 60, 30 and 5 days ago, in 20 days, never
    let in_20 = (domain::today_shanghai() + chrono::Duration::days(20)).to_string();
    let clauses: Vec<Value> = [Some(day(60)), Some(day(30)), Some(day(5)), Some(in_20), None]
        .into_iter()
        .zip(1..)
        .map(|(due, n)| clause(n, due))
        .collect();
    let (st, contract) = app
        .post(
            &format!("/api/v1/projects/{id}/agreements"),
            &js,
            json!({"kind": "contract", "title": "投资合同", "signed_on": day(40),
                   "parties": ["金水区人民政府", "某电子公司"], "amount": "60000", "clauses": clauses}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{contract}");
    let contract_id = contract["id"].as_i64().unwrap();
    assert_eq!(contract["clauses"].as_array().unwrap().len(), 5);
    assert_eq!(contract["fulfilment_rate"], "0.0000", "three due, none met: {contract}");
    let (st, package) = app
        .post(
            &format!("/api/v1/projects/{id}/agreements"),
            &js,
            json!({"kind": "package", "title": "一揽子协议", "signed_on": day(40)}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{package}");
    let package_id = package["id"].as_i64().unwrap();
    let mut subs = vec![];
    for name in ["子项目甲", "子项目乙"] {
        let sub = app.project(&js, name, "jinshui", "5000").await["id"].as_i64().unwrap();
        let (st, a) =
            app.post(&format!("/api/v1/agreements/{package_id}/sub_projects"), &js, json!({"project_id": sub})).await;
        assert_eq!(st, StatusCode::OK, "{a}");
        subs.push(sub);
    }
    let (_, got) = app.get(&format!("/api/v1/agreements/{package_id}"), &js).await;
    assert_eq!(got["sub_project_ids"], json!(subs));
    assert_eq!(
        stages(&app, &js, subs[0]).await,
        st3("reserve", "reserve", "none"),
        "each sub-project lands on its own record"
    );

    // the city returns the claim with a comment; the unit sees it, it still counts nowhere
    let (st, r) = app
        .post(&format!("/api/v1/reviews/{}/return", claim["id"]), &city, json!({"comment": "合同扫描件缺少盖章页"}))
        .await;
    assert_eq!((st, r["state"].as_str()), (StatusCode::OK, Some("returned")), "{r}");
    assert_eq!(stages(&app, &js, id).await, st3("signed", "negotiating", "returned"));
    let page = dashboard(&app, "city").await;
    assert_eq!(card(&page, "今年签约"), signed_before, "a returned claim counts nowhere");
    assert!(page.contains("另有单位填报待审核或已被退回 1 个"), "and is not called waiting for review");
    let (_, mine) = app.get("/api/v1/reviews?state=returned", &js).await;
    assert_eq!(mine["items"][0]["comment"], "合同扫描件缺少盖章页", "{mine}");
    let (_, queue) = app.get("/api/v1/reviews?state=submitted", &city).await;
    assert_eq!(queue["total"], 0, "a returned claim leaves the city's queue: {queue}");

    // resubmitted with the signing date corrected, then accepted: now it counts
    let (st, r) = app
        .post(&format!("/api/v1/reviews/{}/resubmit", claim["id"]), &js, json!({"date": day(39), "note": "已补盖章页"}))
        .await;
    assert_eq!((st, r["state"].as_str()), (StatusCode::OK, Some("submitted")), "{r}");
    assert_eq!(stages(&app, &js, id).await, st3("signed", "negotiating", "submitted"), "resubmitted is not accepted");
    let accepted = accept(&app, &city, &waiting_claim(&app, &city, id).await).await;
    assert_eq!(accepted["accepted_on"], domain::today_shanghai().to_string());
    assert_eq!(stages(&app, &js, id).await, st3("signed", "signed", "none"));
    let (_, p) = app.get(&format!("/api/v1/projects/{id}"), &js).await;
    assert_eq!(p["signed_on"], day(39), "the corrected date is the signing date");
    let after = card(&dashboard(&app, "city").await, "今年签约");
    assert_eq!(
        after.parse::<u64>().unwrap(),
        signed_before.parse::<u64>().unwrap() + 1,
        "今年签约 moves when the city accepts"
    );

    // department tasks: each department answers and closes its own
    let mut tasks = vec![];
    for (dept_code, title) in [("ziranziyuan", "用地预审"), ("jianshe", "施工许可")] {
        let (st, t) = app
            .post(&format!("/api/v1/projects/{id}/tasks"), &js, json!({"department": dept_code, "title": title}))
            .await;
        assert_eq!(st, StatusCode::CREATED, "{t}");
        tasks.push(t["id"].as_i64().unwrap());
    }
    assert_eq!(inbox(&app, &dept).await, vec![tasks[0]]);
    assert_eq!(inbox(&app, &jianshe).await, vec![tasks[1]]);
    let (st, on_project) = app.get(&format!("/api/v1/projects/{id}/tasks"), &dept).await;
    let seen: Vec<i64> = on_project["items"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect();
    assert_eq!((st, seen), (StatusCode::OK, vec![tasks[0]]), "not the other department's task on the same project");
    // a department reaches nothing but its task: not the other's, not a project without its task
    let (st, _) =
        app.patch(&format!("/api/v1/tasks/{}", tasks[1]), &dept, json!({"reply": "越权答复", "version": 1})).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "another department's task");
    let (st, _) = app.get(&format!("/api/v1/projects/{}", subs[0]), &dept).await;
    assert!(matches!(st, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "a project without its task: {st}");
    // it reads the project carrying its task (domain.md §1) but writes nothing of it
    let c1 = &contract["clauses"][0];
    let (st, _) = app
        .patch(
            &format!("/api/v1/clauses/{}", c1["id"]),
            &dept,
            json!({"status": "fulfilled", "version": c1["version"]}),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "a clause of the project");
    let (st, _) = app
        .post(&format!("/api/v1/projects/{id}/transitions"), &dept, json!({"to": "approved", "date": day(30)}))
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "a stage of the project");
    let (st, _) = app.get("/api/v1/reviews?state=accepted", &dept).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "the review queue");
    let (st, ledger) = app.get("/api/v1/projects?per_page=500", &dept).await;
    if st == StatusCode::OK {
        let ids: Vec<i64> = ledger["items"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, vec![id], "the ledger holds at most the project carrying its task");
    } else {
        assert!(matches!(st, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "the ledger: {st}");
    }
    let res =
        app.client.get(format!("{}/api/v1/exports/ledger.xlsx", app.base)).bearer_auth(&dept).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "the export is the ledger it reads");
    let sheet = ledger::read(&res.bytes().await.unwrap(), "export.xlsx", &ledger::Limits::default()).unwrap();
    let names: Vec<String> = sheet.rows.iter().flat_map(|(_, c)| c.get(2)).map(|c| c.text()).collect();
    assert!(names.contains(&"全生命周期测试项目".to_string()), "{names:?}");
    assert!(
        !names.iter().any(|n| n.starts_with("子项目")),
        "the export holds only the project carrying its task: {names:?}"
    );
    for (token, task, reply) in [(&dept, tasks[0], "用地预审意见已出具"), (&jianshe, tasks[1], "施工许可证已核发")]
    {
        let (st, t) =
            app.patch(&format!("/api/v1/tasks/{task}"), token, json!({"status": "in_progress", "version": 1})).await;
        assert_eq!(st, StatusCode::OK, "{t}");
        let (st, t) = app
            .patch(&format!("/api/v1/tasks/{task}"), token, json!({"status": "done", "reply": reply, "version": 2}))
            .await;
        assert_eq!((st, t["status"].as_str(), t["reply"].as_str()), (StatusCode::OK, Some("done"), Some(reply)), "{t}");
    }
    let (_, on_project) = app.get(&format!("/api/v1/projects/{id}/tasks"), &js).await;
    assert!(on_project["items"].as_array().unwrap().iter().all(|t| t["status"] == "done"), "{on_project}");

    // approved (not reviewed), then started: a claim the unit may not decide
    transition(&app, &js, id, "approved", &day(30)).await;
    assert_eq!(stages(&app, &js, id).await, st3("approved", "approved", "none"));
    transition(&app, &js, id, "started", &day(20)).await;
    assert_eq!(stages(&app, &js, id).await, st3("started", "approved", "submitted"));
    let started_claim = waiting_claim(&app, &city, id).await;
    let claim = &started_claim;
    for who in [&js, &dept, &eq] {
        let (st, e) = app.post(&format!("/api/v1/reviews/{}/accept", claim["id"]), who, json!({})).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{e}");
    }
    assert_eq!(stages(&app, &js, id).await, st3("started", "approved", "submitted"), "a refused accept moves nothing");
    accept(&app, &city, claim).await;
    assert_eq!(stages(&app, &js, id).await, st3("started", "started", "none"));

    // funds in place: a claim too; returned it counts nowhere, accepted it counts
    let funds_card = || async { card(&dashboard(&app, "city").await, "今年省外资金到位") };
    let funds_before = funds_card().await;
    let today = domain::today_shanghai().to_string();
    let body = json!({"date": today, "kind": "domestic_out_of_province", "amount": "500", "note": "首期到位"});
    let (st, entry) = app.post(&format!("/api/v1/projects/{id}/funds"), &js, body).await;
    assert_eq!((st, entry["review_state"].as_str()), (StatusCode::CREATED, Some("submitted")), "{entry}");
    let funds_claim = waiting_claim(&app, &city, id).await;
    assert_eq!((funds_claim["kind"].as_str(), funds_claim["amount"].as_str()), (Some("funds"), Some("500.00")));
    assert_eq!(funds_card().await, funds_before, "waiting for review");
    let (st, r) = app
        .post(
            &format!("/api/v1/reviews/{}/return", funds_claim["id"]),
            &city,
            json!({"comment": "银行回单金额为600万元"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(funds_card().await, funds_before, "a returned entry counts nowhere");
    let (st, r) =
        app.post(&format!("/api/v1/reviews/{}/resubmit", funds_claim["id"]), &js, json!({"amount": "600"})).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    accept(&app, &city, &funds_claim).await;
    assert_eq!(stages(&app, &js, id).await, st3("started", "started", "none"), "a funds claim moves no stage");
    assert_eq!(funds_before, "0.00");
    assert_eq!(funds_card().await, "600.00", "the accepted, corrected amount counts");

    // a problem raised and resolved
    let (st, problem) = app
        .post(
            &format!("/api/v1/projects/{id}/problems"),
            &js,
            json!({"title": "供电线路未接入", "detail": "110千伏专线"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{problem}");
    let (st, pr) = app
        .patch(
            &format!("/api/v1/problems/{}", problem["id"]),
            &js,
            json!({"status": "resolved", "resolution": "供电公司已架设专线", "version": 1}),
        )
        .await;
    assert_eq!((st, pr["status"].as_str()), (StatusCode::OK, Some("resolved")), "{pr}");
    let (st, theirs) = app.get(&format!("/api/v1/projects/{id}/problems"), &dept).await;
    assert!(
        st == StatusCode::FORBIDDEN || theirs["items"] == json!([]),
        "the unit's problem is not the department's: {theirs}"
    );

    // clauses: the 履约率 is the due clauses fulfilled or waived over the due clauses
    let by_number =
        |n: &str| contract["clauses"].as_array().unwrap().iter().find(|c| c["number"] == n).unwrap().clone();
    for (n, status, want) in [
        ("1", "fulfilled", "0.3333"), // 1 of the 3 due
        ("2", "waived", "0.6667"),    // waived counts as met: 2 of 3
        ("4", "fulfilled", "0.6667"), // not due yet: neither side of the ratio
        ("3", "breached", "0.6667"),  // due and not met
    ] {
        let c = by_number(n);
        let (st, b) = app
            .patch(&format!("/api/v1/clauses/{}", c["id"]), &js, json!({"status": status, "version": c["version"]}))
            .await;
        assert_eq!((st, b["status"].as_str()), (StatusCode::OK, Some(status)), "{b}");
        let (_, a) = app.get(&format!("/api/v1/agreements/{contract_id}"), &js).await;
        let (_, all) = app.get(&format!("/api/v1/projects/{id}/agreements"), &js).await;
        let rates = (a["fulfilment_rate"].clone(), all["fulfilment_rate"].clone());
        assert_eq!(rates, (json!(want), json!(want)), "the contract's and the project's after clause {n} {status}");
    }

    // producing: accepted last
    transition(&app, &js, id, "producing", &day(1)).await;
    assert_eq!(stages(&app, &js, id).await, st3("producing", "started", "submitted"));
    let producing_claim = waiting_claim(&app, &city, id).await;
    accept(&app, &city, &producing_claim).await;
    assert_eq!(stages(&app, &js, id).await, st3("producing", "producing", "none"));

    // the timeline: its creation and each stage in date order, with its author and its review's outcome (a
    // stage the city does not review counts as accepted)
    let (st, tl) = app.get(&format!("/api/v1/projects/{id}/timeline"), &js).await;
    assert_eq!(st, StatusCode::OK, "{tl}");
    let moves: Vec<(String, String, String, String)> = tl["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "transition" || e["kind"] == "created")
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("to"), s("date"), s("review_state"), s("by"))
        })
        .collect();
    let m = |to: &str, date: &str, review: &str, by: &str| {
        (to.to_string(), date.to_string(), review.to_string(), by.to_string())
    };
    assert_eq!(
        moves,
        vec![
            m("reserve", &today, "", "js"),
            m("negotiating", &day(50), "accepted", "js"),
            m("signed", &day(39), "accepted", "js"),
            m("approved", &day(30), "accepted", "js"),
            m("started", &day(20), "accepted", "js"),
            m("producing", &day(1), "accepted", "js"),
        ],
        "{tl}"
    );
    let funds: Vec<&Value> = tl["items"].as_array().unwrap().iter().filter(|e| e["kind"] == "funds").collect();
    assert_eq!(funds.len(), 1, "{tl}");
    assert_eq!((funds[0]["amount"].as_str(), funds[0]["review_state"].as_str()), (Some("600.00"), Some("accepted")));
    let dates: Vec<&str> = tl["items"].as_array().unwrap()[1..].iter().map(|e| e["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "oldest first: {dates:?}");
    // … and the landing work, each with its author: the city's decisions (the return with
    // its comment), both departments' replies, the problem, the agreements and clauses
    let work = |tl: &Value| -> Vec<(String, String, String)> {
        let s = |e: &Value, k: &str| e[k].as_str().unwrap_or_default().to_string();
        let items = tl["items"].as_array().unwrap().iter().filter(|e| !e["action"].is_null());
        items.map(|e| (s(e, "action"), s(e, "by"), s(e, "note"))).collect()
    };
    let w = |a: &str, by: &str, note: &str| (a.to_string(), by.to_string(), note.to_string());
    assert_eq!(
        work(&tl),
        vec![
            w("review.open", "js", ""),
            w("review.accept", "city", ""),
            w("agreement.create", "js", "投资合同"),
            w("agreement.create", "js", "一揽子协议"),
            w("agreement.sub_project", "js", ""),
            w("agreement.sub_project", "js", ""),
            w("review.return", "city", "合同扫描件缺少盖章页"),
            w("review.resubmit", "js", ""),
            w("review.accept", "city", ""),
            w("task.create", "js", "用地预审"),
            w("task.create", "js", "施工许可"),
            w("task.update", "dept", ""),
            w("task.update", "dept", "用地预审意见已出具"),
            w("task.update", "jianshe_staff", ""),
            w("task.update", "jianshe_staff", "施工许可证已核发"),
            w("review.accept", "city", ""),
            w("review.return", "city", "银行回单金额为600万元"),
            w("review.resubmit", "js", ""),
            w("review.accept", "city", ""),
            w("problem.create", "js", "供电线路未接入"),
            w("problem.update", "js", "供电公司已架设专线"),
            w("clause.status", "js", "第1条"),
            w("clause.status", "js", "第2条"),
            w("clause.status", "js", "第4条"),
            w("clause.status", "js", "第3条"),
            w("review.accept", "city", ""),
        ],
        "{tl}"
    );
    // a department reads the timeline of the project carrying its task, but only its own
    // task's events and no review decisions
    let (st, theirs) = app.get(&format!("/api/v1/projects/{id}/timeline"), &jianshe).await;
    assert_eq!(st, StatusCode::OK, "{theirs}");
    let theirs: Vec<String> = work(&theirs)
        .into_iter()
        .filter(|(a, _, _)| !a.starts_with("agreement.") && !a.starts_with("clause."))
        .map(|(a, by, _)| format!("{a} {by}"))
        .collect();
    assert_eq!(theirs, ["task.create js", "task.update jianshe_staff", "task.update jianshe_staff"]);
    let (st, _) = app.get(&format!("/api/v1/projects/{id}/timeline"), &eq).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "another unit reads no timeline of ours");

    // every step wrote its audit record, on the record it changed, by whom it was done
    let rec = |action: &str, entity: &str, entity_id: &Value, user: &str| {
        let entity_id = entity_id.as_i64().map(|i| i.to_string()).unwrap_or_default();
        (action.to_string(), entity.to_string(), entity_id, user.to_string())
    };
    let (p, pkg, c) = (json!(id), json!(package_id), json!(contract_id));
    let (signed_c, started_c, producing_c) = (&signed_claim["id"], &started_claim["id"], &producing_claim["id"]);
    let clause_id = |n: &str| by_number(n)["id"].clone();
    let want = vec![
        rec("project.create", "project", &p, "js"),
        rec("review.open", "review", &reportable_claim["id"], "js"),
        rec("review.accept", "review", &reportable_claim["id"], "city"),
        rec("project.transition", "project", &p, "js"),
        rec("project.transition", "project", &p, "js"),
        rec("agreement.create", "agreement", &c, "js"),
        rec("agreement.create", "agreement", &pkg, "js"),
        rec("project.create", "project", &json!(subs[0]), "js"),
        rec("agreement.sub_project", "agreement", &pkg, "js"),
        rec("project.create", "project", &json!(subs[1]), "js"),
        rec("agreement.sub_project", "agreement", &pkg, "js"),
        rec("review.return", "review", signed_c, "city"),
        rec("review.resubmit", "review", signed_c, "js"),
        rec("review.accept", "review", signed_c, "city"),
        rec("task.create", "dept_task", &json!(tasks[0]), "js"),
        rec("task.create", "dept_task", &json!(tasks[1]), "js"),
        rec("ledger.export", "project", &Value::Null, "dept"),
        rec("task.update", "dept_task", &json!(tasks[0]), "dept"),
        rec("task.update", "dept_task", &json!(tasks[0]), "dept"),
        rec("task.update", "dept_task", &json!(tasks[1]), "jianshe_staff"),
        rec("task.update", "dept_task", &json!(tasks[1]), "jianshe_staff"),
        rec("project.transition", "project", &p, "js"),
        rec("project.transition", "project", &p, "js"),
        rec("review.accept", "review", started_c, "city"),
        rec("funds.create", "funds_entry", &entry["id"], "js"),
        rec("review.return", "review", &funds_claim["id"], "city"),
        rec("review.resubmit", "review", &funds_claim["id"], "js"),
        rec("review.accept", "review", &funds_claim["id"], "city"),
        rec("problem.create", "problem", &problem["id"], "js"),
        rec("problem.update", "problem", &problem["id"], "js"),
        rec("clause.status", "clause", &clause_id("1"), "js"),
        rec("clause.status", "clause", &clause_id("2"), "js"),
        rec("clause.status", "clause", &clause_id("4"), "js"),
        rec("clause.status", "clause", &clause_id("3"), "js"),
        rec("project.transition", "project", &p, "js"),
        rec("review.accept", "review", producing_c, "city"),
    ];
    assert_eq!(trail(&app).await, want, "one record per step, in order; the refused ones wrote none");
    let aud = app.login("aud").await;
    let (st, v) = app.get("/api/v1/audit/verify", &aud).await;
    assert_eq!((st, &v["ok"]), (StatusCode::OK, &json!(true)), "the audit chain is whole: {v}");
});

/// (kind, level, reason) of the warnings `token` sees on project `id`.
async fn warnings_of(app: &common::TestApp, token: &str, id: i64) -> Vec<(String, String, String)> {
    let (st, list) = app.get("/api/v1/warnings?per_page=500", token).await;
    assert_eq!(st, StatusCode::OK, "{list}");
    let s = |w: &Value, k: &str| w[k].as_str().unwrap_or_default().to_string();
    let mut out: Vec<_> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["project_id"].as_i64() == Some(id))
        .map(|w| (s(w, "kind"), s(w, "level"), s(w, "reason")))
        .collect();
    out.sort();
    out
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

// The warnings of domain.md §7 as they follow what units record through the API (the
// rules under a fixed "today" are in crates/store/tests/warnings.rs; raw-SQL fixtures and
// the other levels in warnings.rs): they appear, change level and clear as the work is done.
api_test!(a_key_projects_warnings_clear_as_its_unit_does_the_work, |app| {
    let [js, city, eq] = app.logins(["js", "city", "eq"]).await;
    let p = app.project(&js, "预警跟踪项目", "jinshui", "60000").await;
    assert_eq!(p["key_project"], true, "5亿元 or more: city-reportable, so a key project");
    let id = p["id"].as_i64().unwrap();
    let ago = |n: i64| (domain::today_shanghai() - chrono::Duration::days(n)).to_string();
    // signed 200 days ago (the city's own record needs no review) and not started: yellow
    let (st, b) =
        app.post(&format!("/api/v1/projects/{id}/transitions"), &city, json!({"to": "signed", "date": ago(200)})).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let clauses = json!([
        {"number": "1", "text": "注册资本金到位", "obligor": "investor", "due_on": ago(31), "status": "pending"},
        {"number": "2", "text": "完成供地", "obligor": "government", "due_on": ago(29), "status": "in_progress"},
        {"number": "3", "text": "设备进场", "obligor": "investor", "due_on": ago(60), "status": "pending"},
    ]);
    let (st, a) = app
        .post(
            &format!("/api/v1/projects/{id}/agreements"),
            &js,
            json!({"kind": "contract", "title": "投资合同", "signed_on": ago(200), "clauses": clauses}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{a}");
    let w = warnings_of(&app, &js, id).await;
    let levels: Vec<(&str, &str)> = w.iter().map(|(k, l, _)| (k.as_str(), l.as_str())).collect();
    assert_eq!(
        levels,
        [
            ("clause_overdue", "red"),    // 31 days: red
            ("clause_overdue", "red"),    // 60 days
            ("clause_overdue", "yellow"), // 29 days: still yellow
            ("four_ones_missing", "yellow"),
            ("signed_not_started", "yellow"),
        ],
        "{w:?}"
    );
    let four = &w.iter().find(|(k, _, _)| k == "four_ones_missing").unwrap().2;
    assert!(four.contains("行动计划") && four.contains("工作团队") && four.contains("招商专案"), "{four}");
    assert!(warnings_of(&app, &eq, id).await.is_empty(), "another unit sees none of them");

    // a clause settled is no longer overdue; 四个一 completed clears its flag
    let c3 = a["clauses"].as_array().unwrap().iter().find(|c| c["number"] == "3").unwrap().clone();
    let (st, b) = app
        .patch(&format!("/api/v1/clauses/{}", c3["id"]), &js, json!({"status": "fulfilled", "version": c3["version"]}))
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let team = json!({"members": [{"name": "王组长", "position": "副区长", "role": "组长", "is_leader": true}]});
    let (st, b) = app.call(reqwest::Method::PUT, &format!("/api/v1/projects/{id}/team"), Some(&js), Some(team)).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let w = warnings_of(&app, &js, id).await;
    let four = &w.iter().find(|(k, _, _)| k == "four_ones_missing").unwrap().2;
    assert!(!four.contains("工作团队") && four.contains("行动计划"), "the team is there now: {four}");
    let due = (domain::today_shanghai() + chrono::Duration::days(90)).to_string();
    let ms = json!({"title": "完成厂房建设", "owner": "王组长", "due_on": due});
    let (st, b) = app.post(&format!("/api/v1/projects/{id}/milestones"), &js, ms).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let (st, b) = app.upload(&js, "project", id, "招商专案.pdf", PDF).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    // started: the signed-not-started warning goes with it
    let (st, b) = app
        .post(
            &format!("/api/v1/projects/{id}/transitions"),
            &city,
            json!({"to": "started", "date": ago(10), "skipped_dates": {"approved": ago(20)}}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let w = warnings_of(&app, &js, id).await;
    let levels: Vec<(&str, &str)> = w.iter().map(|(k, l, _)| (k.as_str(), l.as_str())).collect();
    assert_eq!(levels, [("clause_overdue", "red"), ("clause_overdue", "yellow")], "{w:?}");
    assert!(warnings_of(&app, &eq, id).await.is_empty());
});

/// (kind, action, by, note, status, due_on, done_on) of the timeline's landing events of the
/// kinds in `kinds`, as `token` reads them.
async fn landing_work(app: &common::TestApp, token: &str, id: i64, kinds: &[&str]) -> Vec<[String; 7]> {
    let (st, tl) = app.get(&format!("/api/v1/projects/{id}/timeline"), token).await;
    assert_eq!(st, StatusCode::OK, "{tl}");
    let s = |e: &Value, k: &str| e[k].as_str().unwrap_or_default().to_string();
    tl["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| kinds.contains(&e["kind"].as_str().unwrap()))
        .map(|e| ["kind", "action", "by", "note", "status", "due_on", "done_on"].map(|k| s(e, k)))
        .collect()
}

fn ev(kind: &str, action: &str, by: &str, note: &str, status: &str, due: &str, done: &str) -> [String; 7] {
    [kind, action, by, note, status, due, done].map(str::to_string)
}

// 四个一 and 督办 on the timeline (issue 11, 11.): the action plan's milestones with their done
// dates, the work team, the files uploaded and deleted (by their names), and a 督办 item
// opened, answered and closed, each with its author; a department sees only what concerns
// its own tasks and problems.
api_test!(the_four_ones_files_and_supervision_join_the_timeline, |app| {
    let [js, sup, dept, lead] = app.logins(["js", "sup", "dept", "lead"]).await;
    let id = app.project(&js, "四个一时间线项目", "jinshui", "60000").await["id"].as_i64().unwrap();
    let team = json!({"members": [
        {"name": "王组长", "position": "副区长", "role": "组长", "is_leader": true},
        {"name": "李干事", "position": "科员", "role": "联络员", "is_leader": false},
    ]});
    let (st, b) = app.call(reqwest::Method::PUT, &format!("/api/v1/projects/{id}/team"), Some(&js), Some(team)).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let today = domain::today_shanghai();
    let due = (today + chrono::Duration::days(90)).to_string();
    let done = (today - chrono::Duration::days(2)).to_string();
    let (st, m) = app
        .post(&format!("/api/v1/projects/{id}/milestones"), &js, json!({"title": "完成厂房建设", "due_on": due}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{m}");
    let (st, b) = app
        .patch(&format!("/api/v1/milestones/{}", m["id"]), &js, json!({"done_on": done, "version": m["version"]}))
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, file) = app.upload(&js, "project", id, "招商专案.pdf", PDF).await;
    assert_eq!(st, StatusCode::CREATED, "{file}");
    let (st, b) =
        app.call(reqwest::Method::DELETE, &format!("/api/v1/attachments/{}", file["id"]), Some(&js), None).await;
    assert!(st.is_success(), "{st} {b}");
    // the department's task and the problem assigned to it, with a file of its own
    let (st, t) = app
        .post(&format!("/api/v1/projects/{id}/tasks"), &js, json!({"department": "ziranziyuan", "title": "用地预审"}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{t}");
    let (st, problem) = app
        .post(
            &format!("/api/v1/projects/{id}/problems"),
            &js,
            json!({"title": "用地指标不足", "assignee": "ziranziyuan"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{problem}");
    let (st, red_line) = app.upload(&js, "problem", problem["id"].as_i64().unwrap(), "用地红线图.pdf", PDF).await;
    assert_eq!(st, StatusCode::CREATED, "{red_line}");
    let res = app
        .client
        .get(format!("{}/api/v1/attachments/{}", app.base, red_line["id"]))
        .bearer_auth(&js)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "a download is audited, but is no event of the project");
    // 督办: opened by the supervisor, answered by the unit, closed
    let deadline = (today + chrono::Duration::days(14)).to_string();
    let body = json!({"project_id": id, "deadline": deadline, "instruction": "请报送行动计划"});
    let (st, s) = app.post("/api/v1/supervisions", &sup, body).await;
    assert_eq!(st, StatusCode::CREATED, "{s}");
    let sid = s["id"].as_i64().unwrap();
    let (st, b) = app.post(&format!("/api/v1/supervisions/{sid}/reply"), &js, json!({"reply": "已报送"})).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, b) = app.post(&format!("/api/v1/supervisions/{sid}/close"), &sup, json!({})).await;
    assert_eq!(st, StatusCode::OK, "{b}");

    let kinds = ["team", "milestone", "attachment", "supervision"];
    let ours = vec![
        ev("team", "team.update", "js", "王组长（组长）、李干事", "", "", ""),
        ev("milestone", "milestone.create", "js", "完成厂房建设", "", &due, ""),
        ev("milestone", "milestone.update", "js", "完成厂房建设", "", &due, &done),
        ev("attachment", "attachment.upload", "js", "招商专案.pdf", "", "", ""),
        ev("attachment", "attachment.delete", "js", "招商专案.pdf", "", "", ""),
        ev("attachment", "attachment.upload", "js", "用地红线图.pdf", "", "", ""),
        ev("supervision", "supervision.create", "sup", "请报送行动计划", "open", &deadline, ""),
        ev("supervision", "supervision.reply", "js", "已报送", "replied", &deadline, ""),
        ev("supervision", "supervision.close", "sup", "", "closed", &deadline, ""),
    ];
    assert_eq!(landing_work(&app, &js, id, &kinds).await, ours, "the unit sees it all, in the order it was done");
    assert_eq!(landing_work(&app, &sup, id, &kinds).await, ours, "the supervisor too");
    assert_eq!(landing_work(&app, &lead, id, &kinds).await, ours, "and the unit's leader");
    // the department: its task, its problem and the file on that problem; no plan, team,
    // other files or 督办
    let theirs = landing_work(&app, &dept, id, &["task", "problem", "team", "milestone", "attachment", "supervision"]);
    let theirs: Vec<String> = theirs.await.into_iter().map(|e| format!("{} {}", e[1], e[3])).collect();
    assert_eq!(theirs, ["task.create 用地预审", "problem.create 用地指标不足", "attachment.upload 用地红线图.pdf"]);
    let (st, _) = app.get(&format!("/api/v1/projects/{id}/timeline"), &app.login("eq").await).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "another unit reads none of it");
});
