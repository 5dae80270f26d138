//! The OpenAPI document a real server serves: every body and every 2xx answer has a schema,
//! every `$ref` in it resolves and every operation id is unique.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::Value;

async fn document() -> Option<Value> {
    let app = common::TestApp::start(store::testing::Backend::Sqlite).await?;
    let (st, doc) = app.call(Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(st, StatusCode::OK, "{doc}");
    Some(doc)
}

/// The schema of each media type of a `content` object; a media type without one is named.
fn schemas<'a>(content: &'a Value, what: &str, problems: &mut Vec<String>) -> Vec<&'a Value> {
    let media = content.as_object().filter(|m| !m.is_empty());
    let Some(media) = media else {
        problems.push(format!("{what}: no content"));
        return vec![];
    };
    let mut found = vec![];
    for (kind, m) in media {
        match m.get("schema").filter(|s| s.get("$ref").is_some() || s.get("type").is_some() || s.get("allOf").is_some())
        {
            Some(s) => found.push(s),
            None => problems.push(format!("{what} ({kind}): no schema")),
        }
    }
    found
}

fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r);
            }
            m.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_body_and_every_answer_has_a_schema() {
    let Some(doc) = document().await else { return };
    let components = doc["components"]["schemas"].as_object().cloned().unwrap_or_default();
    assert!(!components.is_empty(), "components.schemas is empty");
    let mut problems = vec![];
    let mut walked = 0;
    let mut operation_ids = std::collections::HashSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            walked += 1;
            let what = format!("{method} {path}");
            if !op["operationId"].as_str().is_some_and(|id| operation_ids.insert(id.to_string())) {
                problems.push(format!("{what}: operationId missing or not unique: {}", op["operationId"]));
            }
            let writes = matches!(method.as_str(), "post" | "put" | "patch");
            let no_body = web::api::NO_BODY.contains(&(method.as_str(), path.as_str()));
            match (&op["requestBody"], writes && !no_body) {
                (Value::Null, true) => problems.push(format!("{what}: takes a body but documents none")),
                (Value::Null, false) => {}
                (_, false) => problems.push(format!("{what}: documents a body it does not take")),
                (body, true) => {
                    schemas(&body["content"], &format!("{what} request"), &mut problems);
                }
            }
            let responses = op["responses"].as_object().expect("responses");
            assert!(responses.keys().any(|s| s.starts_with('2')), "{what}: no 2xx answer");
            for (status, r) in responses.iter().filter(|(s, _)| s.starts_with('2')) {
                let answer = format!("{what} {status}");
                match (status.as_str(), &r["content"]) {
                    ("204", Value::Null) => {}
                    ("204", _) => problems.push(format!("{answer}: a 204 has no content")),
                    (_, content) => {
                        schemas(content, &answer, &mut problems);
                    }
                }
            }
        }
    }
    assert!(walked >= 25, "walked {walked} operations");
    let mut all = vec![];
    refs(&doc, &mut all);
    assert!(!all.is_empty(), "no operation refers to a component");
    for r in all {
        match r.strip_prefix("#/components/schemas/") {
            Some(name) if components.contains_key(name) => {}
            _ => problems.push(format!("$ref {r} does not resolve")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemas_show_the_real_types() {
    let Some(doc) = document().await else { return };
    let schema = |name: &str| doc["components"]["schemas"][name].clone();
    // money is a decimal string, dates are dates, on the way out and the way in
    let project = schema("Project");
    assert_eq!(project["properties"]["total_investment"]["type"], "string", "{project}");
    assert_eq!(project["properties"]["signed_on"]["format"], "date", "{project}");
    let body = schema("ProjectBody");
    assert_eq!(body["properties"]["total_investment"]["type"], "string", "{body}");
    assert_eq!(body["properties"]["expected_producing_on"]["format"], "date", "{body}");
    assert!(body["properties"].get("extra").is_none(), "the unknown-key catch-all is hidden: {body}");
    let funds = schema("FundsBody");
    let required: Vec<&str> =
        funds["required"].as_array().expect("required").iter().filter_map(Value::as_str).collect();
    assert_eq!(required, ["date", "kind", "amount"], "{funds}");
    // the upload is a multipart form with a binary file; the downloads are binary xlsx
    let upload = &doc["paths"]["/api/v1/imports/ledger"]["post"]["requestBody"]["content"]["multipart/form-data"];
    let upload = match upload["schema"]["$ref"].as_str() {
        Some(r) => schema(r.trim_start_matches("#/components/schemas/")),
        None => upload["schema"].clone(),
    };
    assert_eq!(upload["properties"]["file"]["format"], "binary", "{upload}");
    for path in ["/api/v1/exports/ledger.xlsx", "/api/v1/imports/ledger/template.xlsx"] {
        let content = &doc["paths"][path]["get"]["responses"]["200"]["content"];
        let xlsx = &content["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]["schema"];
        let xlsx = match xlsx["$ref"].as_str() {
            Some(r) => schema(r.trim_start_matches("#/components/schemas/")),
            None => xlsx.clone(),
        };
        assert_eq!(
            (xlsx["type"].as_str(), xlsx["format"].as_str()),
            (Some("string"), Some("binary")),
            "{path}: {content}"
        );
    }
}
