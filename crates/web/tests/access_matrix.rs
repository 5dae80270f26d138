//! The access matrix (security.md §5–6): every project route × every role × a record in and
//! out of the caller's scope → the expected status, and no body ever shows another unit's
//! record. Runs on SQLite and PostgreSQL.

mod common;

use domain::{Permission, Role};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Which of the two projects (jinshui's, erqi's) a seeded user may see.
fn sees(role: Role, user: &str, project_unit: &str) -> bool {
    match role {
        Role::CityAdmin | Role::Supervisor => true,
        Role::UnitStaff | Role::Leader => (user == "eq") == (project_unit == "erqi"),
        // the department user has a task on jinshui's project only
        Role::DeptStaff => project_unit == "jinshui",
        _ => false,
    }
}

api_test!(every_project_route_by_every_role_in_and_out_of_scope, |app| {
    let city = app.login("city").await;
    let a = app.project(&city, "金水矩阵项目", "jinshui", "100").await;
    let b = app.project(&city, "二七矩阵项目", "erqi", "100").await;
    // a department task on jinshui's project for 市自然资源和规划局
    {
        use sea_orm::{ActiveModelTrait, Set};
        let dept = app.store.unit_tree().find("ziranziyuan").unwrap().id;
        store::entity::dept_task::ActiveModel {
            project_id: Set(a["id"].as_i64().unwrap()),
            dept_unit_id: Set(dept),
            title: Set("用地预审".into()),
            due_on: Set(None),
            status: Set("open".into()),
            reply: Set(None),
            version: Set(1),
            created_at: Set(store::now()),
            updated_at: Set(store::now()),
            ..Default::default()
        }
        .insert(app.store.db())
        .await
        .unwrap();
    }
    let projects = [("jinshui", &a), ("erqi", &b)];
    // (method, path template, permission, body)
    let routes: Vec<(Method, &str, Permission, Option<Value>)> = vec![
        (Method::GET, "/api/v1/projects/{id}", Permission::ProjectRead, None),
        (Method::GET, "/api/v1/projects/{id}/timeline", Permission::ProjectRead, None),
        (Method::GET, "/api/v1/projects/{id}/funds", Permission::FundsRead, None),
        // an illegal transition: 409 in scope, so nothing changes; 403 out of scope
        (
            Method::POST,
            "/api/v1/projects/{id}/transitions",
            Permission::ProjectTransition,
            Some(json!({"to": "reserve", "date": "2025-01-01"})),
        ),
        (
            Method::POST,
            "/api/v1/projects/{id}/funds",
            Permission::FundsWrite,
            Some(json!({"date": "2025-01-01", "kind": "domestic_out_of_province", "amount": "1"})),
        ),
        (
            Method::PATCH,
            "/api/v1/projects/{id}",
            Permission::ProjectWrite,
            Some(json!({"notes": "矩阵测试", "version": 999})),
        ),
    ];
    let mut checked = 0;
    for (user, role, _) in common::USERS {
        let token = app.login(user).await;
        for (method, template, perm, body) in &routes {
            for (unit, p) in &projects {
                let path = template.replace("{id}", &p["id"].to_string());
                let (st, res) = app.call(method.clone(), &path, Some(&token), body.clone()).await;
                let expected_ok = domain::access::has_permission(&[*role], *perm) && sees(*role, user, unit);
                if expected_ok {
                    assert!(
                        [StatusCode::OK, StatusCode::CREATED, StatusCode::CONFLICT].contains(&st),
                        "{user} {method} {path}: {st} {res}"
                    );
                } else {
                    assert_eq!(st, StatusCode::FORBIDDEN, "{user} ({role:?}) {method} {path}: {res}");
                    assert!(!res.to_string().contains("矩阵项目"), "a refusal shows nothing of the record: {res}");
                }
                checked += 1;
            }
        }
        // the lists: only what the scope allows, never the other unit's project
        if domain::access::has_permission(&[*role], Permission::ProjectRead) {
            let (st, list) = app.get("/api/v1/projects?per_page=500", &token).await;
            assert_eq!(st, StatusCode::OK);
            for (unit, p) in &projects {
                let listed = list["items"].as_array().unwrap().iter().any(|i| i["id"] == p["id"]);
                assert_eq!(listed, sees(*role, user, unit), "{user} list / {unit}");
            }
            let (_, search) = app.get("/api/v1/projects?q=%E7%9F%A9%E9%98%B5", &token).await; // 矩阵
            let expected = projects.iter().filter(|(u, _)| sees(*role, user, u)).count();
            assert_eq!(search["total"], expected, "{user} search total");
        } else {
            assert_eq!(app.get("/api/v1/projects", &token).await.0, StatusCode::FORBIDDEN, "{user}");
        }
    }
    assert_eq!(checked, common::USERS.len() * routes.len() * 2);
    // every refusal above was audited
    let aud = app.login("aud").await;
    let (_, log) = app.get("/api/v1/audit?per_page=500", &aud).await;
    let denials = log["items"].as_array().unwrap().iter().filter(|r| r["action"] == "authz.deny").count();
    assert!(denials >= 40, "denials audited: {denials}");
});
