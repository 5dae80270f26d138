//! 审核 over HTTP (domain.md §4, api.md): the city decides a unit's claims, the unit
//! resubmits a returned one; refusals are 403/404/409/422 and change nothing. Runs on
//! SQLite and PostgreSQL.

mod common;

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

async fn waiting(app: &common::TestApp, token: &str) -> Vec<Value> {
    let (st, list) = app.get("/api/v1/reviews?state=submitted", token).await;
    assert_eq!(st, StatusCode::OK, "{list}");
    list["items"].as_array().unwrap().clone()
}

async fn signed_this_year(app: &common::TestApp) -> u64 {
    let city = store::testing::fixtures::actor(&app.store, domain::Role::CityAdmin, "shangwu");
    app.store.scoped(&city).dashboard(domain::today_shanghai()).await.unwrap().signed_this_year.count
}

api_test!(a_claim_is_returned_resubmitted_and_accepted, |app| {
    let city = app.login("city").await;
    let js = app.login("js").await;
    let eq = app.login("eq").await;
    let p = app.project(&city, "审核测试项目", "jinshui", "1000").await;
    let id = p["id"].as_i64().unwrap();
    let today = domain::today_shanghai().to_string();
    let before = signed_this_year(&app).await;
    let (st, after) =
        app.post(&format!("/api/v1/projects/{id}/transitions"), &js, json!({"to": "signed", "date": today})).await;
    assert_eq!(st, StatusCode::OK, "{after}");
    assert_eq!((after["stage"].as_str(), after["accepted_stage"].as_str()), (Some("signed"), Some("reserve")));
    let items = waiting(&app, &city).await;
    assert_eq!(items.len(), 1);
    let claim = items[0]["id"].as_i64().unwrap();
    assert_eq!(items[0]["kind"], "stage");
    assert_eq!(items[0]["stage"], "signed");
    assert_eq!(items[0]["evidence"], json!([]));
    assert_eq!(waiting(&app, &eq).await.len(), 0, "erqi sees none of jinshui's claims");
    let (st, _) = app.get("/api/v1/reviews", &app.login("dept").await).await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // unit_staff cannot accept or return
    let (st, e) = app.post(&format!("/api/v1/reviews/{claim}/accept"), &js, json!({})).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{e}");
    let (st, _) = app.post(&format!("/api/v1/reviews/{claim}/return"), &js, json!({"comment": "x"})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert_eq!(signed_this_year(&app).await, before);

    // a return needs a comment of at most 500 characters, and no unknown fields
    let url = format!("/api/v1/reviews/{claim}/return");
    let (st, e) = app.post(&url, &city, json!({"comment": "  "})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["fields"]["comment"].is_string(), "{e}");
    let (st, e) = app.post(&url, &city, json!({"comment": "长".repeat(501), "state": "accepted"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["fields"]["state"].is_string() && e["error"]["fields"]["comment"].is_string(), "{e}");
    let (st, r) = app.post(&url, &city, json!({"comment": "合同扫描件不清晰"})).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!((r["state"].as_str(), r["comment"].as_str()), (Some("returned"), Some("合同扫描件不清晰")));
    assert_eq!(signed_this_year(&app).await, before, "a returned claim does not count");
    let (st, e) = app.post(&url, &city, json!({"comment": "再退一次"})).await;
    assert_eq!(st, StatusCode::CONFLICT, "{e}");
    let (st, e) = app.post(&format!("/api/v1/reviews/{claim}/accept"), &city, json!({})).await;
    assert_eq!(st, StatusCode::CONFLICT, "deciding a returned claim: {e}");

    // the unit sees it returned with the comment, and resubmits it; erqi may not
    let (st, mine) = app.get("/api/v1/reviews?state=returned", &js).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(mine["items"][0]["comment"], "合同扫描件不清晰");
    let resubmit = format!("/api/v1/reviews/{claim}/resubmit");
    let (st, _) = app.post(&resubmit, &eq, json!({"note": "代交"})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.post(&resubmit, &city, json!({})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, e) = app.post(&resubmit, &js, json!({"date": "2026-13-01", "amount": "5"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["fields"]["date"].is_string(), "{e}");
    let (st, r) = app.post(&resubmit, &js, json!({"note": "已补充清晰扫描件"})).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!((r["state"].as_str(), r["resubmissions"].as_i64()), (Some("submitted"), Some(1)));
    let (st, _) = app.post(&resubmit, &js, json!({})).await;
    assert_eq!(st, StatusCode::CONFLICT, "only a returned claim is resubmitted");

    let (st, r) = app.post(&format!("/api/v1/reviews/{claim}/accept"), &city, json!({})).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["accepted_on"], today);
    assert_eq!(signed_this_year(&app).await, before + 1, "今年签约 moves when the city accepts");
    let (_, p) = app.get(&format!("/api/v1/projects/{id}"), &js).await;
    assert_eq!((p["accepted_stage"].as_str(), p["review_state"].as_str()), (Some("signed"), Some("none")));
    let (st, _) = app.post(&format!("/api/v1/reviews/{claim}/accept"), &city, json!({})).await;
    assert_eq!(st, StatusCode::CONFLICT, "409 deciding twice");
    let (st, _) = app.post("/api/v1/reviews/987654321/accept", &city, json!({})).await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    use store::entity::audit_record;
    let trail: Vec<(String, Option<String>)> = audit_record::Entity::find()
        .filter(audit_record::Column::Entity.eq("review"))
        .filter(audit_record::Column::EntityId.eq(claim.to_string()))
        .order_by_asc(audit_record::Column::Id)
        .all(app.store.db())
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.action, r.username))
        .collect();
    let trail: Vec<(&str, Option<&str>)> = trail.iter().map(|(a, u)| (a.as_str(), u.as_deref())).collect();
    assert_eq!(
        trail,
        [("review.return", Some("city")), ("review.resubmit", Some("js")), ("review.accept", Some("city"))]
    );
});

api_test!(batch_accept_is_all_or_nothing, |app| {
    let city = app.login("city").await;
    let js = app.login("js").await;
    let eq = app.login("eq").await;
    let a = app.project(&city, "批量审核甲", "jinshui", "1000").await["id"].as_i64().unwrap();
    let b = app.project(&city, "批量审核乙", "erqi", "1000").await["id"].as_i64().unwrap();
    let today = domain::today_shanghai().to_string();
    for (p, t, amount) in [(a, &js, "10"), (a, &js, "20"), (b, &eq, "30")] {
        let body = json!({"date": today, "kind": "domestic_out_of_province", "amount": amount});
        let (st, f) = app.post(&format!("/api/v1/projects/{p}/funds"), t, body).await;
        assert_eq!(st, StatusCode::CREATED, "{f}");
        assert_eq!(f["review_state"], "submitted");
    }
    let (st, list) = app.get("/api/v1/reviews?kind=funds&unit=erqi", &city).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["amount"], "30.00");
    let (st, _) = app.get("/api/v1/reviews?unit=erqi", &js).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "a unit outside the caller's subtree");
    let (st, e) = app.get("/api/v1/reviews?kind=land&older_than_days=-1&state=none", &city).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["kind", "older_than_days", "state"] {
        assert!(e["error"]["fields"][f].is_string(), "{f}: {e}");
    }
    let ids: Vec<i64> = waiting(&app, &city).await.iter().map(|i| i["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 3);
    let (st, _) = app.post("/api/v1/reviews/accept", &js, json!({"ids": ids})).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, e) = app.post("/api/v1/reviews/accept", &city, json!({"ids": []})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (st, e) = app.post("/api/v1/reviews/accept", &city, json!({"ids": [ids[0], "x"]})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    // one already decided: the batch fails whole
    let (st, _) = app.post(&format!("/api/v1/reviews/{}/return", ids[2]), &city, json!({"comment": "金额有误"})).await;
    assert_eq!(st, StatusCode::OK);
    let (st, e) = app.post("/api/v1/reviews/accept", &city, json!({"ids": ids})).await;
    assert_eq!(st, StatusCode::CONFLICT, "{e}");
    let why = e["error"]["message"].as_str().unwrap_or_default();
    assert!(why.starts_with(&format!("申报 {}：", ids[2])) && why.contains("审核未通过"), "names the claim: {e}");
    assert_eq!(waiting(&app, &city).await.len(), 2, "nothing of the failed batch was accepted");
    let (st, done) = app.post("/api/v1/reviews/accept", &city, json!({"ids": [ids[0], ids[1], ids[0]]})).await;
    assert_eq!(st, StatusCode::OK, "{done}");
    assert_eq!(done["total"], 2);
    assert!(done["items"].as_array().unwrap().iter().all(|i| i["state"] == "accepted"));
    let (_, funds) = app.get(&format!("/api/v1/projects/{a}/funds"), &js).await;
    assert!(funds["items"].as_array().unwrap().iter().all(|f| f["review_state"] == "accepted"), "{funds}");
    let (_, funds) = app.get(&format!("/api/v1/projects/{b}/funds"), &eq).await;
    assert_eq!(funds["items"][0]["review_state"], "returned");
});

api_test!(a_project_that_becomes_city_reportable_waits_with_its_reason, |app| {
    let city = app.login("city").await;
    let js = app.login("js").await;
    let eq = app.login("eq").await;
    let big = app.project(&js, "金水六亿项目", "jinshui", "60000").await;
    assert_eq!(big["city_reportable"], true);
    app.project(&js, "金水小项目", "jinshui", "600").await;
    let (st, list) = app.get("/api/v1/reviews?kind=reportable", &city).await;
    assert_eq!(st, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 1, "{list}");
    let item = &list["items"][0];
    assert_eq!((item["kind"].as_str(), item["state"].as_str()), (Some("reportable"), Some("submitted")));
    assert_eq!(item["reason"], "总投资 60,000 万元 ≥ 50,000 万元");
    assert_eq!((item["project_id"].clone(), item["stage"].clone()), (big["id"].clone(), Value::Null));
    let (_, stage) = app.get("/api/v1/reviews?kind=stage", &city).await;
    assert_eq!(stage["total"], 0, "{stage}");
    let (_, other) = app.get("/api/v1/reviews?kind=reportable", &eq).await;
    assert_eq!(other["total"], 0, "erqi sees none of jinshui's");
    let (st, e) = app.get("/api/v1/reviews?kind=city", &city).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"]["fields"]["kind"].as_str().unwrap_or_default().contains("reportable"), "{e}");

    // returned with a comment, resubmitted with a note (no date to correct), accepted
    let id = item["id"].as_i64().unwrap();
    let (st, r) = app.post(&format!("/api/v1/reviews/{id}/return"), &city, json!({"comment": "请附投资协议"})).await;
    assert_eq!((st, r["state"].as_str()), (StatusCode::OK, Some("returned")), "{r}");
    let resubmit = format!("/api/v1/reviews/{id}/resubmit");
    let (st, e) = app.post(&resubmit, &js, json!({"date": "2026-01-01", "reason": "x"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["fields"]["reason"].is_string(), "the reason is the system's: {e}");
    let (st, e) = app.post(&resubmit, &js, json!({"date": "2026-01-01"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["fields"]["date"].is_string(), "{e}");
    let (st, r) = app.post(&resubmit, &js, json!({"note": "已附协议"})).await;
    assert_eq!((st, r["state"].as_str()), (StatusCode::OK, Some("submitted")), "{r}");
    let (st, r) = app.post(&format!("/api/v1/reviews/{id}/accept"), &city, json!({})).await;
    assert_eq!((st, r["state"].as_str()), (StatusCode::OK, Some("accepted")), "{r}");
    assert_eq!(r["reason"], "总投资 60,000 万元 ≥ 50,000 万元");
    let (_, p) = app.get(&format!("/api/v1/projects/{}", big["id"]), &js).await;
    assert_eq!((p["stage"].as_str(), p["accepted_stage"].as_str()), (Some("reserve"), Some("reserve")));
});
