//! Agreements, clauses, 履约率, milestones, the work team and the 四个一 over HTTP, on both
//! databases: the rate exactly as domain.md §5, illegal clause moves 409, a second 组长
//! 422, out of scope 403 / unknown 404, and every write audited.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn day(offset: i64) -> String {
    (domain::today_shanghai() + chrono::Duration::days(offset)).to_string()
}

async fn audit_count(app: &common::TestApp, action: &str) -> usize {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    store::entity::audit_record::Entity::find()
        .filter(store::entity::audit_record::Column::Action.eq(action))
        .count(app.store.db())
        .await
        .unwrap() as usize
}

fn clause(n: u32, due: Option<String>, status: &str) -> Value {
    json!({"number": n.to_string(), "text": format!("第{n}条"), "obligor": "investor", "due_amount": "1000", "due_on": due, "status": status})
}

api_test!(a_contract_with_five_clauses_and_its_rate, |app| {
    let city = app.login("city").await;
    let js = app.login("js").await;
    let eq = app.login("eq").await;
    let p = app.project(&city, "协议项目", "jinshui", "60000").await;
    let pid = p["id"].as_i64().unwrap();
    let path = format!("/api/v1/projects/{pid}/agreements");
    let body = json!({
        "kind": "contract", "title": "投资合同", "signed_on": day(-200), "parties": ["金水区人民政府", "某公司"],
        "amount": "50000.50",
        "clauses": [
            clause(1, Some(day(-100)), "fulfilled"),
            clause(2, Some(day(-50)), "waived"),
            clause(3, Some(day(-10)), "breached"),
            clause(4, Some(day(0)), "in_progress"),
            clause(5, Some(day(20)), "pending"),
        ]
    });
    let (st, a) = app.post(&path, &js, body.clone()).await;
    assert_eq!(st, StatusCode::CREATED, "{a}");
    assert_eq!(a["clauses"].as_array().unwrap().len(), 5);
    assert_eq!((a["amount"].as_str(), a["fulfilment_rate"].as_str()), (Some("50000.50"), Some("0.5000")));
    assert_eq!(audit_count(&app, "agreement.create").await, 1);
    let id = a["id"].as_i64().unwrap();

    let (st, got) = app.get(&format!("/api/v1/agreements/{id}"), &js).await;
    assert_eq!((st, got["sub_project_ids"].clone()), (StatusCode::OK, json!([])));
    let (st, list) = app.get(&path, &city).await;
    assert_eq!(
        (st, list["total"].as_u64(), list["fulfilment_rate"].as_str()),
        (StatusCode::OK, Some(1), Some("0.5000"))
    );

    // clause 4 fulfilled: 3 of 4 due
    let c4 = a["clauses"].as_array().unwrap().iter().find(|c| c["number"] == "4").unwrap().clone();
    let cpath = format!("/api/v1/clauses/{}", c4["id"]);
    let (st, c) =
        app.patch(&cpath, &js, json!({"status": "fulfilled", "note": "已交付", "version": c4["version"]})).await;
    assert_eq!(
        (st, c["status"].as_str(), c["note"].as_str()),
        (StatusCode::OK, Some("fulfilled"), Some("已交付")),
        "{c}"
    );
    let (_, got) = app.get(&format!("/api/v1/agreements/{id}"), &js).await;
    assert_eq!(got["fulfilment_rate"], "0.7500");
    assert_eq!(audit_count(&app, "clause.status").await, 1);

    // illegal moves: 409 with the reason; stale: 409; bad status: 422; none is audited
    let (st, e) = app.patch(&cpath, &js, json!({"status": "breached", "version": c["version"]})).await;
    assert_eq!(st, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["error"]["message"], "条款状态：条款已“已履行”，不能再改为“已违约”");
    let c5 = a["clauses"].as_array().unwrap().iter().find(|c| c["number"] == "5").unwrap().clone();
    let c5path = format!("/api/v1/clauses/{}", c5["id"]);
    let (st, _) = app.patch(&c5path, &js, json!({"status": "in_progress", "version": 99})).await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (st, e) = app.patch(&c5path, &js, json!({"status": "done", "version": 1, "colour": 1})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"]["fields"]["status"].is_string() && e["error"]["fields"]["colour"].is_string(), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("条款状态"), "{e}");
    assert_eq!(audit_count(&app, "clause.status").await, 1);

    // scope: erqi's staff 403, the leader (no project:write) 403, unknown 404
    let (st, _) = app.get(&format!("/api/v1/agreements/{id}"), &eq).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.get(&path, &eq).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.post(&path, &eq, body.clone()).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.patch(&c5path, &eq, json!({"status": "in_progress", "version": 1})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let lead = app.login("lead").await;
    let (st, _) = app.patch(&c5path, &lead, json!({"status": "in_progress", "version": 1})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.get("/api/v1/agreements/987654", &js).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = app.patch("/api/v1/clauses/987654", &js, json!({"status": "fulfilled", "version": 1})).await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // validation names every field, the clauses' by position
    let bad = json!({"kind": "loan", "title": "", "amount": 1.5, "clauses": [{"number": "1", "obligor": "bank"}]});
    let (st, e) = app.post(&path, &js, bad).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let f = &e["error"]["fields"];
    for k in ["kind", "title", "amount", "clauses[0].text", "clauses[0].obligor"] {
        assert!(f[k].is_string(), "{k}: {e}");
    }
    assert_eq!(f["clauses[0].text"], "第1项：条款内容不能为空");
    assert_eq!(audit_count(&app, "agreement.create").await, 1);
});

api_test!(a_package_agreement_with_two_sub_projects, |app| {
    let city = app.login("city").await;
    let js = app.login("js").await;
    let ids: Vec<i64> = {
        let mut v = vec![];
        for (name, unit) in
            [("一揽子主项目", "jinshui"), ("子项目甲", "jinshui"), ("子项目乙", "jinshui"), ("二七项目", "erqi")]
        {
            v.push(app.project(&city, name, unit, "60000").await["id"].as_i64().unwrap());
        }
        v
    };
    let (st, pkg) = app
        .post(
            &format!("/api/v1/projects/{}/agreements", ids[0]),
            &js,
            json!({"kind": "package", "title": "一揽子协议"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{pkg}");
    assert_eq!(pkg["fulfilment_rate"], Value::Null, "no clause: no rate");
    let sub = format!("/api/v1/agreements/{}/sub_projects", pkg["id"]);
    for p in &ids[1..3] {
        let (st, a) = app.post(&sub, &js, json!({"project_id": p})).await;
        assert_eq!(st, StatusCode::OK, "{a}");
    }
    let (_, a) = app.get(&format!("/api/v1/agreements/{}", pkg["id"]), &js).await;
    assert_eq!(a["sub_project_ids"], json!([ids[1], ids[2]]));
    assert_eq!(audit_count(&app, "agreement.sub_project").await, 2);
    // a project already linked 409; out of the caller's scope 403; unknown 422; bad body 422
    let (st, _) = app.post(&sub, &js, json!({"project_id": ids[1]})).await;
    assert_eq!(st, StatusCode::CONFLICT);
    let (st, _) = app.post(&sub, &js, json!({"project_id": ids[3]})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, e) = app.post(&sub, &js, json!({"project_id": 987_654})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (st, _) = app.post(&sub, &js, json!({"project_id": "x"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    // a contract takes no sub-projects: 409
    let (_, contract) = app
        .post(&format!("/api/v1/projects/{}/agreements", ids[0]), &js, json!({"kind": "contract", "title": "合同"}))
        .await;
    let (st, e) = app
        .post(&format!("/api/v1/agreements/{}/sub_projects", contract["id"]), &city, json!({"project_id": ids[3]}))
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("一揽子协议"), "{e}");
    assert_eq!(audit_count(&app, "agreement.sub_project").await, 2);
});

api_test!(milestones_team_and_four_ones, |app| {
    let city = app.login("city").await;
    let js = app.login("js").await;
    let eq = app.login("eq").await;
    let pid = app.project(&city, "重点项目", "jinshui", "60000").await["id"].as_i64().unwrap();
    let four = format!("/api/v1/projects/{pid}/four_ones");
    let (st, f) = app.get(&four, &js).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(f, json!({"action_plan": false, "work_team": false, "case_file": false, "complete": false}));

    let mpath = format!("/api/v1/projects/{pid}/milestones");
    let (st, m) = app.post(&mpath, &js, json!({"title": "完成供地", "owner": "张三", "due_on": day(30)})).await;
    assert_eq!(st, StatusCode::CREATED, "{m}");
    let (st, e) = app.post(&mpath, &js, json!({"owner": "张三", "done_on": day(5)})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"]["fields"]["title"].is_string() && e["error"]["fields"]["done_on"].is_string(), "{e}");
    let one = format!("/api/v1/milestones/{}", m["id"]);
    let (st, m2) = app.patch(&one, &js, json!({"done_on": day(0), "version": m["version"]})).await;
    assert_eq!((st, m2["done_on"].as_str()), (StatusCode::OK, Some(day(0).as_str())), "{m2}");
    let (st, _) = app.patch(&one, &js, json!({"done_on": null, "version": m["version"]})).await;
    assert_eq!(st, StatusCode::CONFLICT, "stale");
    let (st, _) = app.patch(&one, &eq, json!({"done_on": null, "version": m2["version"]})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, list) = app.get(&mpath, &js).await;
    assert_eq!((st, list["total"].as_u64()), (StatusCode::OK, Some(1)));

    let tpath = format!("/api/v1/projects/{pid}/team");
    let two = json!({"members": [{"name": "甲", "is_leader": true}, {"name": "乙", "is_leader": true}]});
    let (st, e) = app.call(Method::PUT, &tpath, Some(&js), Some(two)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["fields"]["members"].as_str().unwrap().contains("只能有一名组长"), "{e}");
    let good =
        json!({"members": [{"name": "甲", "position": "区长", "role": "组长", "is_leader": true}, {"name": "乙"}]});
    let (st, t) = app.call(Method::PUT, &tpath, Some(&js), Some(good.clone())).await;
    assert_eq!(st, StatusCode::OK, "{t}");
    assert_eq!(t["members"][0]["name"], "甲");
    let (st, t) = app.get(&tpath, &js).await;
    assert_eq!((st, t["members"].as_array().map(Vec::len)), (StatusCode::OK, Some(2)));
    let (st, _) = app.call(Method::PUT, &tpath, Some(&eq), Some(good)).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.get(&four, &eq).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.get("/api/v1/projects/987654/four_ones", &js).await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    let (_, f) = app.get(&four, &js).await;
    assert_eq!(f, json!({"action_plan": true, "work_team": true, "case_file": false, "complete": false}));
    for (action, n) in [("milestone.create", 1), ("milestone.update", 1), ("team.update", 1)] {
        assert_eq!(audit_count(&app, action).await, n, "{action}");
    }
});
