//! Department tasks and problems over HTTP (domain.md §4, api.md): a department user sees
//! only its own department's tasks and reaches nothing else; replies and closing; illegal
//! status changes (409) and closing without a reply (422); problems raised and resolved,
//! audited; the overdue list; the ledger's 存在问题 in and out. SQLite and PostgreSQL.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A live project of `unit` made by the city: its id.
async fn project(app: &common::TestApp, city: &str, name: &str, unit: &str) -> i64 {
    app.project(city, name, unit, "5000").await["id"].as_i64().unwrap()
}

async fn add_task(app: &common::TestApp, token: &str, project: i64, dept: &str, title: &str) -> (StatusCode, Value) {
    app.post(&format!("/api/v1/projects/{project}/tasks"), token, json!({"department": dept, "title": title})).await
}

/// The audit records of `action`, newest first, with `before` and `after` parsed.
async fn audits(app: &common::TestApp, action: &str) -> Vec<Value> {
    let aud = app.login("aud").await;
    let (st, log) = app.get("/api/v1/audit?per_page=500", &aud).await;
    assert_eq!(st, StatusCode::OK, "{log}");
    let parse = |v: &Value| v.as_str().and_then(|s| serde_json::from_str(s).ok()).unwrap_or(Value::Null);
    let items = log["items"].as_array().unwrap().iter().filter(|r| r["action"] == action);
    items
        .map(|r| {
            let mut r = r.clone();
            r["before"] = parse(&r["before"]);
            r["after"] = parse(&r["after"]);
            r
        })
        .collect()
}

/// The newest audit record of `action`.
async fn last_audit(app: &common::TestApp, action: &str) -> Value {
    audits(app, action).await.into_iter().next().unwrap_or_else(|| panic!("no {action} record"))
}

fn ids(list: &Value) -> Vec<i64> {
    list["items"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect()
}

api_test!(a_department_sees_only_its_own_tasks_and_nothing_else, |app| {
    let [city, js, dept] = app.logins(["city", "js", "dept"]).await;
    let mine = project(&app, &city, "任务项目甲", "jinshui").await;
    let other = project(&app, &city, "任务项目乙", "erqi").await;
    // the unit assigns on its own project; on another unit's it is refused
    let (st, t1) = add_task(&app, &js, mine, "ziranziyuan", "用地预审").await;
    assert_eq!(st, StatusCode::CREATED, "{t1}");
    assert_eq!((t1["status"].as_str(), t1["department_name"].as_str()), (Some("open"), Some("市自然资源和规划局")));
    assert_eq!(t1["project"]["name"], "任务项目甲");
    let (st, _) = add_task(&app, &js, other, "ziranziyuan", "用地预审").await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, t2) = add_task(&app, &city, mine, "jianshe", "施工许可").await;
    assert_eq!(st, StatusCode::CREATED, "{t2}");
    let (st, t3) = add_task(&app, &city, other, "renshe", "人才引进").await;
    assert_eq!(st, StatusCode::CREATED, "{t3}");
    assert_eq!(last_audit(&app, "task.create").await["entity_id"], t3["id"].as_i64().unwrap().to_string());
    // a department must be a unit of kind department; the department itself may not assign
    let (st, b) = add_task(&app, &city, mine, "erqi", "用地预审").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("责任部门"), "{b}");
    let (st, _) = add_task(&app, &dept, mine, "ziranziyuan", "自派任务").await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // the department's inbox: its own task only, with the project's facts
    let (st, inbox) = app.get("/api/v1/tasks", &dept).await;
    assert_eq!(st, StatusCode::OK, "{inbox}");
    assert_eq!(ids(&inbox), vec![t1["id"].as_i64().unwrap()]);
    let facts = &inbox["items"][0]["project"];
    assert_eq!((facts["code"].as_str(), facts["unit"].as_str()), (t1["project"]["code"].as_str(), Some("jinshui")));
    assert!(facts.get("total_investment").is_none(), "a task shows only the project's facts: {facts}");
    let (_, on_project) = app.get(&format!("/api/v1/projects/{mine}/tasks"), &dept).await;
    assert_eq!(ids(&on_project), vec![t1["id"].as_i64().unwrap()], "another department's task on the same project");
    // the city and the unit see both tasks of the project; the unit not erqi's
    let (_, all) = app.get(&format!("/api/v1/projects/{mine}/tasks"), &js).await;
    assert_eq!(ids(&all).len(), 2);
    let (_, js_all) = app.get("/api/v1/tasks", &js).await;
    assert!(!ids(&js_all).contains(&t3["id"].as_i64().unwrap()), "{js_all}");

    // nothing else: another department's task, a project without its task, the ledger, other routes
    let t2_id = t2["id"].as_i64().unwrap();
    let (st, _) = app.patch(&format!("/api/v1/tasks/{t2_id}"), &dept, json!({"reply": "越权", "version": 1})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.patch("/api/v1/tasks/987654321", &dept, json!({"reply": "x", "version": 1})).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    for path in [
        format!("/api/v1/projects/{other}/tasks"),
        format!("/api/v1/projects/{other}"),
        format!("/api/v1/projects/{other}/problems"),
    ] {
        let (st, b) = app.get(&path, &dept).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{path}: {b}");
    }
    let (_, ledger) = app.get("/api/v1/projects?per_page=500", &dept).await;
    assert_eq!(ids(&ledger), vec![mine], "the ledger holds only the project carrying its task");
    for (m, path) in [
        (Method::POST, format!("/api/v1/projects/{mine}/problems")),
        (Method::GET, "/api/v1/users".into()),
        (Method::GET, "/api/v1/exports/ledger.xlsx?unit=erqi".into()),
    ] {
        let (st, b) = app.call(m.clone(), &path, Some(&dept), Some(json!({"title": "x"}))).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{m} {path}: {b}");
    }
    // the unit cannot answer the department's task
    let t1_id = t1["id"].as_i64().unwrap();
    let (st, _) = app.patch(&format!("/api/v1/tasks/{t1_id}"), &js, json!({"reply": "代答", "version": 1})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
});

api_test!(a_department_replies_and_closes_its_task, |app| {
    let [city, dept] = app.logins(["city", "dept"]).await;
    let p = project(&app, &city, "办理项目", "jinshui").await;
    let (_, t) = add_task(&app, &city, p, "ziranziyuan", "用地预审").await;
    let url = format!("/api/v1/tasks/{}", t["id"]);
    // closing needs a reply: 422 naming the field
    let (st, b) = app.patch(&url, &dept, json!({"status": "done", "version": 1})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["fields"]["reply"].as_str().unwrap().contains("办理答复"), "{b}");
    let (st, b) = app.patch(&url, &dept, json!({"status": "finished", "version": 1, "title": "改名"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["fields"]["status"].is_string() && b["error"]["fields"]["title"].is_string(), "{b}");
    // in progress, then a stale version, then done with a reply
    let (st, b) = app.patch(&url, &dept, json!({"status": "in_progress", "version": 1})).await;
    assert_eq!(
        (st, b["status"].as_str(), b["version"].as_i64()),
        (StatusCode::OK, Some("in_progress"), Some(2)),
        "{b}"
    );
    let (st, _) = app.patch(&url, &dept, json!({"reply": "已受理", "version": 1})).await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (st, b) = app.patch(&url, &dept, json!({"status": "open", "version": 2})).await;
    assert_eq!(st, StatusCode::CONFLICT, "backwards: {b}");
    let (st, b) = app.patch(&url, &dept, json!({"status": "done", "reply": "用地预审意见已出具", "version": 2})).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!((b["status"].as_str(), b["reply"].as_str()), (Some("done"), Some("用地预审意见已出具")));
    assert!(b["done_on"].is_string() && b["replied_at"].is_string(), "{b}");
    let rec = last_audit(&app, "task.update").await;
    assert_eq!(rec["entity_id"], t["id"].as_i64().unwrap().to_string());
    // done is final
    let (st, b) = app.patch(&url, &dept, json!({"status": "in_progress", "version": 3})).await;
    assert_eq!(st, StatusCode::CONFLICT, "{b}");
    let (st, _) = app.patch(&url, &dept, json!({"reply": "补充", "version": 3})).await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (_, open) = app.get("/api/v1/tasks?open=true", &dept).await;
    assert!(ids(&open).is_empty(), "{open}");
    let (st, _) = app.get("/api/v1/tasks?open=maybe", &dept).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
});

api_test!(problems_are_raised_resolved_and_audited, |app| {
    let [city, js, eq, sup, dept] = app.logins(["city", "js", "eq", "sup", "dept"]).await;
    let p = project(&app, &city, "问题项目", "jinshui").await;
    let url = format!("/api/v1/projects/{p}/problems");
    let (st, b) =
        app.post(&url, &js, json!({"title": "供电线路未接入", "detail": "110千伏线路", "due_on": "2020-01-01"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "a due date in the past: {b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("解决时限"), "{b}");
    let (st, raised) = app.post(&url, &js, json!({"title": "供电线路未接入", "detail": "110千伏线路"})).await;
    assert_eq!(st, StatusCode::CREATED, "{raised}");
    assert_eq!((raised["assignee"].as_str(), raised["source"].as_str()), (Some("jinshui"), Some("manual")));
    assert_eq!(last_audit(&app, "problem.create").await["entity_id"], raised["id"].as_i64().unwrap().to_string());
    // another unit may not raise one here, nor see or change it
    let (st, _) = app.post(&url, &eq, json!({"title": "越权"})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let purl = format!("/api/v1/problems/{}", raised["id"]);
    let (st, _) = app.patch(&purl, &eq, json!({"status": "in_progress", "version": 1})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (_, eq_list) = app.get("/api/v1/problems", &eq).await;
    assert!(ids(&eq_list).is_empty(), "{eq_list}");
    // a department is an assignee only where it has a task
    let (st, b) = app.post(&url, &js, json!({"title": "用地指标不足", "assignee": "ziranziyuan"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["fields"]["assignee"].is_string(), "{b}");
    let (st, _) = add_task(&app, &js, p, "ziranziyuan", "用地预审").await;
    assert_eq!(st, StatusCode::CREATED);
    let (st, to_dept) = app.post(&url, &js, json!({"title": "用地指标不足", "assignee": "ziranziyuan"})).await;
    assert_eq!(st, StatusCode::CREATED, "{to_dept}");
    let (_, dept_list) = app.get("/api/v1/problems", &dept).await;
    assert_eq!(ids(&dept_list), vec![to_dept["id"].as_i64().unwrap()], "a department sees what is assigned to it");
    let (st, _) = app.patch(&purl, &dept, json!({"status": "in_progress", "version": 1})).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "not its problem");
    let durl = format!("/api/v1/problems/{}", to_dept["id"]);
    let (st, b) =
        app.patch(&durl, &dept, json!({"status": "resolved", "resolution": "已调剂用地指标", "version": 1})).await;
    assert_eq!((st, b["status"].as_str()), (StatusCode::OK, Some("resolved")), "{b}");
    // resolving needs a resolution; illegal changes are 409
    let (st, b) = app.patch(&purl, &js, json!({"status": "resolved", "version": 1})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("解决情况"), "{b}");
    let (st, b) =
        app.patch(&purl, &js, json!({"status": "in_progress", "resolution": "已对接供电公司", "version": 1})).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, _) = app.patch(&purl, &js, json!({"status": "open", "version": 2})).await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (st, b) = app.patch(&purl, &city, json!({"status": "resolved", "version": 2})).await;
    assert_eq!(st, StatusCode::OK, "the resolution already written closes it: {b}");
    assert!(b["resolved_on"].is_string(), "{b}");
    let rec = last_audit(&app, "problem.update").await;
    assert_eq!(rec["entity_id"], raised["id"].as_i64().unwrap().to_string());
    assert_eq!(rec["before"]["status"], "in_progress", "{rec}");
    let (st, _) = app.patch(&purl, &city, json!({"resolution": "改写", "version": 3})).await;
    assert_eq!(st, StatusCode::CONFLICT, "resolved is final");
    // the supervisor reads every problem and may change none
    let (st, all) = app.get("/api/v1/problems?status=resolved", &sup).await;
    assert_eq!((st, ids(&all).len()), (StatusCode::OK, 2), "{all}");
    let (st, _) = app.patch(&purl, &sup, json!({"resolution": "x", "version": 3})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, b) = app.get("/api/v1/problems?status=closed", &sup).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
});

api_test!(overdue_problems_reach_the_supervisor, |app| {
    let [city, sup] = app.logins(["city", "sup"]).await;
    let p = project(&app, &city, "逾期项目", "erqi").await;
    let url = format!("/api/v1/projects/{p}/problems");
    let (_, late) = app.post(&url, &city, json!({"title": "环评批复滞后"})).await;
    let (_, fine) = app.post(&url, &city, json!({"title": "道路未通", "due_on": "2099-01-01"})).await;
    app.backdate_problem(late["id"].as_i64().unwrap(), 40).await;
    let (st, list) = app.get("/api/v1/problems?overdue=true", &sup).await;
    assert_eq!(st, StatusCode::OK, "{list}");
    assert_eq!(ids(&list), vec![late["id"].as_i64().unwrap()]);
    assert_eq!(list["items"][0]["days_overdue"], 40);
    let (_, rest) = app.get("/api/v1/problems?overdue=false", &sup).await;
    assert_eq!(ids(&rest), vec![fine["id"].as_i64().unwrap()]);
    let (_, by_assignee) = app.get("/api/v1/problems?assignee=jinshui", &sup).await;
    assert!(ids(&by_assignee).is_empty(), "{by_assignee}");
});

fn csv(rows: &[(&str, &str)]) -> Vec<u8> {
    let mut out = String::from(
        "序号,项目编号,项目名称,责任单位,投资方,投资方类型,投资方来源地,产业类别,项目类别,丝路通道,总投资(万元),利用外资(万美元),用地(亩),项目阶段,签约日期,手续办结日期,开工日期,投产日期,达产日期,预计投产日期,包联领导,项目进展情况,存在问题,备注\n",
    );
    for (i, (name, problem)) in rows.iter().enumerate() {
        out.push_str(&format!(
            "{},,{name},金水区,测试投资有限公司,,yangtze,electronics,,,1000,,,在谈,,,,,,,,,{problem},\n",
            i + 1
        ));
    }
    out.into_bytes()
}

async fn upload(app: &common::TestApp, token: &str, name: &str, bytes: Vec<u8>) -> Value {
    let (st, r) = app.import_ledger(token, name, &bytes, false).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    r
}

/// The ledger export of the test's projects: the file, and its 存在问题 cells.
async fn export(app: &common::TestApp, token: &str) -> (Vec<u8>, Vec<String>) {
    let url = format!("{}/api/v1/exports/ledger.xlsx?q=存在问题导入", app.base);
    let res = app.client.get(url).bearer_auth(token).send().await.unwrap();
    let bytes = res.bytes().await.unwrap().to_vec();
    let sheet = ledger::read(&bytes, "export.xlsx", &ledger::Limits::default()).unwrap();
    let cells = sheet.rows.iter().flat_map(|(_, c)| c.get(22)).map(|c| c.text()).collect();
    (bytes, cells)
}

async fn problems_of(app: &common::TestApp, token: &str, project: i64) -> Vec<(String, String, String)> {
    let (_, list) = app.get(&format!("/api/v1/projects/{project}/problems"), token).await;
    let items = list["items"].as_array().unwrap();
    items
        .iter()
        .map(|p| {
            (
                p["title"].as_str().unwrap().into(),
                p["source"].as_str().unwrap().into(),
                p["assignee"].as_str().unwrap().into(),
            )
        })
        .collect()
}

api_test!(the_ledger_problem_column_opens_problems_and_is_exported, |app| {
    let js = app.login("js").await;
    let r = upload(&app, &js, "p.csv", csv(&[("存在问题导入甲", "供水管网未铺设"), ("存在问题导入乙", "")])).await;
    assert_eq!(r["created"].as_u64(), Some(2), "{r}");
    let (_, ledger) = app.get("/api/v1/projects?per_page=10&q=存在问题导入", &js).await;
    let id_of = |name: &str| {
        ledger["items"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()["id"].as_i64().unwrap()
    };
    let (a, b) = (id_of("存在问题导入甲"), id_of("存在问题导入乙"));
    let one = vec![("供水管网未铺设".to_string(), "ledger".to_string(), "jinshui".to_string())];
    assert_eq!(problems_of(&app, &js, a).await, one);
    assert!(problems_of(&app, &js, b).await.is_empty(), "an empty cell opens nothing");
    // the same text again opens nothing; a new text opens a second problem
    let r = upload(&app, &js, "p.csv", csv(&[("存在问题导入甲", "供水管网未铺设")])).await;
    assert_eq!(r["unchanged"].as_u64(), Some(1), "{r}");
    assert_eq!(problems_of(&app, &js, a).await.len(), 1);
    let (st, manual) = app.post(&format!("/api/v1/projects/{a}/problems"), &js, json!({"title": "天然气未通"})).await;
    assert_eq!(st, StatusCode::CREATED, "{manual}");
    // the export writes the open problems' titles; imported back, it changes nothing
    let (bytes, cells) = export(&app, &js).await;
    assert!(cells.iter().any(|t| t == "供水管网未铺设；天然气未通"), "{cells:?}");
    let r = upload(&app, &js, "export.xlsx", bytes).await;
    assert!(r["errors"].as_array().unwrap().is_empty(), "{r}");
    assert_eq!(r["unchanged"].as_u64(), Some(2), "{r}");
    assert_eq!(problems_of(&app, &js, a).await.len(), 2);
    // a resolved problem leaves the column
    let (_, m) = app
        .patch(
            &format!("/api/v1/problems/{}", manual["id"]),
            &js,
            json!({"status": "resolved", "resolution": "已通气", "version": 1}),
        )
        .await;
    assert_eq!(m["status"], "resolved", "{m}");
    let (_, cells) = export(&app, &js).await;
    assert!(cells.iter().any(|t| t == "供水管网未铺设"), "{cells:?}");
    let from_ledger = audits(&app, "problem.create").await.into_iter().filter(|r| r["after"]["source"] == "ledger");
    assert_eq!(from_ledger.count(), 1, "the ledger's problem was audited once");
});
