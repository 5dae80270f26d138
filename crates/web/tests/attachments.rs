//! Evidence files (附件) over real HTTP, on SQLite and PostgreSQL: upload, download of the
//! same bytes, the refusals of security.md §14 (type by bytes, size, scope), the audit
//! records, that no static route serves the folder, and that a failed database write
//! leaves no file behind.

mod common;

use reqwest::{Method, StatusCode};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use sha2::{Digest, Sha256};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xde\x00\x00\x00\x0cIDAT\x78\x9c\x63\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xae\x42\x60\x82";
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9";
const XLSX: &[u8] = include_bytes!("../../ledger/tests/fixtures/01_template.xlsx");
/// A Windows executable's header (MZ … PE).
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\x00\x00\x00\x00@\x00\x00\x00\x00\x00\x00\x00PE\x00\x00L\x01";

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A PDF of about `len` bytes (padding in a comment before the end marker).
fn big_pdf(len: usize) -> Vec<u8> {
    let mut b = b"%PDF-1.4\n%".to_vec();
    b.extend(std::iter::repeat_n(b'x', len.saturating_sub(20)));
    b.extend_from_slice(b"\n%%EOF\n");
    b
}

async fn download(app: &common::TestApp, token: &str, id: i64) -> reqwest::Response {
    app.client.get(format!("{}/api/v1/attachments/{id}", app.base)).bearer_auth(token).send().await.expect("request")
}

async fn audit_count(app: &common::TestApp, action: &str, id: i64) -> u64 {
    use store::entity::audit_record;
    audit_record::Entity::find()
        .filter(audit_record::Column::Action.eq(action))
        .filter(audit_record::Column::EntityId.eq(id.to_string()))
        .count(app.store.db())
        .await
        .unwrap()
}

async fn attachment_rows(app: &common::TestApp) -> u64 {
    store::entity::attachment::Entity::find().count(app.store.db()).await.unwrap()
}

/// The files in the server's attachments folder (none when it does not exist yet).
fn files_in(app: &common::TestApp) -> Vec<String> {
    match std::fs::read_dir(&app.attachments) {
        Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => vec![],
    }
}

api_test!(upload_and_download_give_the_same_bytes, |app| {
    let city = app.login("city").await;
    let js = app.login("js").await;
    let p = app.project(&city, "附件测试项目", "jinshui", "1000").await;
    let pid = p["id"].as_i64().unwrap();
    let mut ids = vec![];
    for (name, bytes, ty) in [
        ("投资合同（扫描件）.pdf", PDF, "application/pdf"),
        ("现场照片.PNG", PNG, "image/png"),
        ("台账.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ] {
        let (st, a) = app.upload(&js, "project", pid, name, bytes).await;
        assert_eq!(st, StatusCode::CREATED, "{name}: {a}");
        assert_eq!(a["sha256"], sha(bytes), "{a}");
        assert_eq!(a["size"], bytes.len(), "{a}");
        assert_eq!(a["content_type"], ty);
        assert_eq!(a["uploaded_by"], "js");
        assert_eq!(a["project_id"], pid);
        assert!(a["uploaded_at"].is_string());
        let id = a["id"].as_i64().unwrap();
        assert_eq!(audit_count(&app, "attachment.upload", id).await, 1);

        let res = download(&app, &js, id).await;
        assert_eq!(res.status(), StatusCode::OK);
        let h = res.headers().clone();
        assert_eq!(h["content-type"], ty);
        assert_eq!(h["x-content-type-options"], "nosniff");
        let cd = h["content-disposition"].to_str().unwrap();
        assert!(cd.starts_with("attachment;"), "{cd}");
        assert!(cd.contains("filename*=UTF-8''"), "{cd}");
        let body = res.bytes().await.unwrap();
        assert_eq!(sha(&body), sha(bytes), "{name}: the same bytes come back");
        assert_eq!(audit_count(&app, "attachment.download", id).await, 1);
        ids.push(id);
    }
    // the display name keeps the Chinese name, the extension normalised by type
    let (st, list) = app.get(&format!("/api/v1/projects/{pid}/attachments"), &city).await;
    assert_eq!(st, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 3);
    let names: Vec<&str> = list["items"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["台账.xlsx", "现场照片.png", "投资合同（扫描件）.pdf"], "newest first");
    let cd = download(&app, &city, ids[0]).await.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(cd.contains(&web::input::encode("投资合同（扫描件）.pdf")), "{cd}");
    // stored under generated names only
    let files = files_in(&app);
    assert_eq!(files.len(), 3, "{files:?}");
    assert!(files.iter().all(|f| domain::evidence::StoredName::parse(f).is_some()), "{files:?}");

    // evidence on a funds entry and a transition of the same project lands in its case file
    let (st, f) = app
        .post(
            &format!("/api/v1/projects/{pid}/funds"),
            &js,
            json!({"date": "2026-01-05", "kind": "domestic_out_of_province", "amount": "10"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{f}");
    let (st, a) = app.upload(&js, "funds", f["id"].as_i64().unwrap(), "银行回单.pdf", PDF).await;
    assert_eq!(st, StatusCode::CREATED, "{a}");
    assert_eq!((a["entity"].as_str(), a["project_id"].as_i64()), (Some("funds"), Some(pid)));
    // a bigger file than the JSON body limit (1 MiB) is fine on the upload route
    let (st, a) = app.upload(&js, "project", pid, "大文件.pdf", &big_pdf(3 * 1024 * 1024)).await;
    assert_eq!(st, StatusCode::CREATED, "{a}");
    let (_, list) = app.get(&format!("/api/v1/projects/{pid}/attachments"), &js).await;
    assert_eq!(list["total"], 5);
});

api_test!(a_renamed_executable_and_bad_fields_are_refused, |app| {
    let city = app.login("city").await;
    let js = app.login("js").await;
    let pid = app.project(&city, "拒绝测试项目", "jinshui", "1000").await["id"].as_i64().unwrap();
    let (st, b) = app.upload(&js, "project", pid, "合同.pdf", EXE).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(b["error"]["code"], "validation");
    let msg = b["error"]["fields"]["file"].as_str().unwrap();
    assert!(msg.contains("合同.pdf") && msg.contains("不支持该文件类型"), "{msg}");
    assert!(b["error"]["message"].as_str().unwrap().starts_with("文件"), "the message names the field: {b}");
    // a real PDF under a picture's name: the extension disagrees with the bytes
    let (st, b) = app.upload(&js, "project", pid, "照片.png", PDF).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b["error"]["fields"]["file"].as_str().unwrap().contains(".png"), "{b}");
    // every bad field at once
    let parts = [common::Part::text("entity", "company"), common::Part::text("entity_id", "abc")];
    let (st, b) = app.post_multipart("/api/v1/attachments", Some(&js), &parts).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    for f in ["file", "entity", "entity_id"] {
        assert!(b["error"]["fields"][f].is_string(), "{f}: {b}");
    }
    // an activity's evidence: an unknown activity is 404 like any unknown record
    let (st, b) = app.upload(&js, "activity", 987_654, "活动.pdf", PDF).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{b}");
    // an unknown record, of a kind whose table exists
    let (st, b) = app.upload(&js, "clause", 987_654, "条款.pdf", PDF).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{b}");
    let (st, _) = app.upload(&js, "project", 987_654, "x.pdf", PDF).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert_eq!(attachment_rows(&app).await, 0);
    assert!(files_in(&app).is_empty(), "{:?}", files_in(&app));
});

api_test!(
    an_oversize_file_is_413,
    web::WebConfig {
        attachment_limits: domain::evidence::UploadLimits { max_bytes: 4096, ..Default::default() },
        ..Default::default()
    },
    |app| {
        let city = app.login("city").await;
        let pid = app.project(&city, "大小测试项目", "jinshui", "1000").await["id"].as_i64().unwrap();
        let (st, b) = app.upload(&city, "project", pid, "大.pdf", &big_pdf(8192)).await;
        assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE, "{b}");
        assert_eq!(b["error"]["code"], "too_large");
        let (st, b) = app.upload(&city, "project", pid, "小.pdf", &big_pdf(2048)).await;
        assert_eq!(st, StatusCode::CREATED, "{b}");
        assert_eq!(attachment_rows(&app).await, 1);
        assert_eq!(files_in(&app).len(), 1);
    }
);

api_test!(scope_is_the_projects, |app| {
    let city = app.login("city").await;
    let js = app.login("js").await;
    let eq = app.login("eq").await;
    let dept = app.login("dept").await;
    let aud = app.login("aud").await;
    let pid = app.project(&city, "范围测试项目", "jinshui", "1000").await["id"].as_i64().unwrap();
    let (st, a) = app.upload(&js, "project", pid, "合同.pdf", PDF).await;
    assert_eq!(st, StatusCode::CREATED, "{a}");
    let id = a["id"].as_i64().unwrap();

    let (st, b) = app.upload(&eq, "project", pid, "越权.pdf", PDF).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "another unit may not upload: {b}");
    let (st, _) = app.upload(&dept, "project", pid, "越权.pdf", PDF).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "no attachment:write");
    assert_eq!(download(&app, &eq, id).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(download(&app, &dept, id).await.status(), StatusCode::FORBIDDEN, "no task on the project");
    assert_eq!(download(&app, &aud, id).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(download(&app, &js, 987_654).await.status(), StatusCode::NOT_FOUND);
    let (st, _) = app.get(&format!("/api/v1/projects/{pid}/attachments"), &eq).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = app.call(Method::GET, &format!("/api/v1/attachments/{id}"), None, None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(audit_count(&app, "attachment.download", id).await, 0, "refusals download nothing");
    assert_eq!(attachment_rows(&app).await, 1);
    assert_eq!(files_in(&app).len(), 1, "a refused upload leaves no file");

    // delete: not another unit, not city's own upload by a unit; the uploader's unit; once
    let (st, c) = app.upload(&city, "project", pid, "市级.pdf", PDF).await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    let cid = c["id"].as_i64().unwrap();
    let del = |id: i64| format!("/api/v1/attachments/{id}");
    assert_eq!(app.call(Method::DELETE, &del(id), Some(&eq), None).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.call(Method::DELETE, &del(cid), Some(&js), None).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.call(Method::DELETE, &del(id), Some(&js), None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(app.call(Method::DELETE, &del(id), Some(&js), None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.call(Method::DELETE, &del(cid), Some(&city), None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(audit_count(&app, "attachment.delete", id).await, 1);
    assert_eq!(download(&app, &js, id).await.status(), StatusCode::NOT_FOUND);
    let (_, list) = app.get(&format!("/api/v1/projects/{pid}/attachments"), &js).await;
    assert_eq!(list["total"], 0, "{list}");
    assert_eq!(files_in(&app).len(), 2, "a soft delete keeps the file");

    // a deleted project takes no more files
    assert_eq!(
        app.call(Method::DELETE, &format!("/api/v1/projects/{pid}"), Some(&city), None).await.0,
        StatusCode::NO_CONTENT
    );
    let (st, b) = app.upload(&city, "project", pid, "晚.pdf", PDF).await;
    assert_eq!(st, StatusCode::CONFLICT, "{b}");
    let (st, _) = app.upload(&js, "project", pid, "晚.pdf", PDF).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
});

api_test!(no_static_route_serves_the_folder, |app| {
    let city = app.login("city").await;
    let pid = app.project(&city, "静态测试项目", "jinshui", "1000").await["id"].as_i64().unwrap();
    let (st, a) = app.upload(&city, "project", pid, "合同.pdf", PDF).await;
    assert_eq!(st, StatusCode::CREATED, "{a}");
    let files = files_in(&app);
    let stored = files.first().expect("one stored file");
    let dir = app.attachments.file_name().unwrap().to_string_lossy().into_owned();
    for path in [
        format!("/{stored}"),
        format!("/assets/{stored}"),
        format!("/attachments/{stored}"),
        format!("/data/attachments/{stored}"),
        format!("/{dir}/{stored}"),
        format!("/assets/../{dir}/{stored}"),
        format!("/api/v1/attachments/{stored}"),
    ] {
        let res = app.client.get(format!("{}{path}", app.base)).bearer_auth(&city).send().await.unwrap();
        let st = res.status();
        let body = res.bytes().await.unwrap();
        assert!(!st.is_success() || sha(&body) != sha(PDF), "{path} served the file ({st})");
        assert_ne!(sha(&body), sha(PDF), "{path}");
    }
});

api_test!(a_failed_database_write_leaves_no_file, |app| {
    let city = app.login("city").await;
    let pid = app.project(&city, "失败测试项目", "jinshui", "1000").await["id"].as_i64().unwrap();
    let db = app.store.db();
    db.execute_unprepared("ALTER TABLE attachments RENAME TO attachments_away").await.unwrap();
    let (st, b) = app.upload(&city, "project", pid, "合同.pdf", PDF).await;
    assert_eq!(st, StatusCode::INTERNAL_SERVER_ERROR, "{b}");
    assert!(files_in(&app).is_empty(), "no file without its row: {:?}", files_in(&app));
    db.execute_unprepared("ALTER TABLE attachments_away RENAME TO attachments").await.unwrap();
    let uploads = store::entity::audit_record::Entity::find()
        .filter(store::entity::audit_record::Column::Action.eq("attachment.upload"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(uploads, 0, "the audit record went with the row");
    let (st, b) = app.upload(&city, "project", pid, "合同.pdf", PDF).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    assert_eq!(files_in(&app).len(), 1);
});

/// A page request with the session cookie (a page session is the same kind of token as the
/// API's), no redirects followed.
async fn page(
    app: &common::TestApp,
    token: &str,
    path: &str,
    form: Option<&[common::Part<'_>]>,
) -> (StatusCode, String, Vec<u8>) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let url = format!("{}{path}", app.base);
    let mut rb = match form {
        Some(parts) => {
            let (ct, body) = common::multipart(parts);
            client.post(url).header("content-type", ct).body(body)
        }
        None => client.get(url),
    };
    rb = rb.header("cookie", format!("zs_session={token}"));
    let res = rb.send().await.unwrap();
    let st = res.status();
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (st, location, res.bytes().await.unwrap().to_vec())
}

fn csrf_in(html: &str) -> String {
    let at = html.find("name=\"_csrf\" value=\"").expect("a form with a CSRF token") + 20;
    html[at..].split('"').next().unwrap().to_string()
}

api_test!(the_case_file_on_the_project_page, |app| {
    let city = app.login("city").await;
    let js = app.login("js").await;
    let lead = app.login("lead").await;
    let eq = app.login("eq").await;
    let pid = app.project(&city, "专案页面项目", "jinshui", "1000").await["id"].as_i64().unwrap();
    let detail = format!("/projects/{pid}");
    let (st, _, html) = page(&app, &js, &detail, None).await;
    assert_eq!(st, StatusCode::OK);
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("招商专案") && html.contains("尚无专案文件"), "the section is there");
    assert!(html.contains(&format!("action=\"/projects/{pid}/attachments\"")), "the upload form is there");
    assert!(html.contains("enctype=\"multipart/form-data\""));
    let csrf = csrf_in(&html);
    let upload = format!("/projects/{pid}/attachments");
    let file = |name: &'static str, bytes: &'static [u8]| common::Part { name: "file", file_name: Some(name), bytes };

    // without the token: refused, nothing stored
    let (st, _, _) = page(&app, &js, &upload, Some(&[file("合同.pdf", PDF)])).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert_eq!(attachment_rows(&app).await, 0);
    // a renamed executable: the page again, the reason beside the file field
    let (st, _, body) =
        page(&app, &js, &upload, Some(&[common::Part::text("_csrf", &csrf), file("合同.pdf", EXE)])).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let body = String::from_utf8(body).unwrap();
    assert!(body.contains("cf-file-err") && body.contains("不支持该文件类型"), "{body}");
    // a real file: back to the page, listed with its download link
    let (st, location, _) =
        page(&app, &js, &upload, Some(&[common::Part::text("_csrf", &csrf), file("投资合同.pdf", PDF)])).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("/projects/{pid}#case-file"));
    let (_, list) = app.get(&format!("/api/v1/projects/{pid}/attachments"), &js).await;
    let id = list["items"][0]["id"].as_i64().unwrap();
    let (_, _, html) = page(&app, &js, &detail, None).await;
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("投资合同.pdf") && html.contains(&format!("href=\"/attachments/{id}\"")), "listed");
    assert!(html.contains("PDF 文档"), "its type");
    let (st, _, bytes) = page(&app, &js, &format!("/attachments/{id}"), None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(sha(&bytes), sha(PDF), "the page download gives the same bytes");
    assert_eq!(audit_count(&app, "attachment.download", id).await, 1);
    // a leader reads the case file but has no upload form; another unit sees nothing of it
    let (_, _, html) = page(&app, &lead, &detail, None).await;
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("投资合同.pdf") && !html.contains("上传文件"), "read only");
    let (st, _, _) = page(&app, &eq, &format!("/attachments/{id}"), None).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, _) = page(&app, &lead, &upload, Some(&[common::Part::text("_csrf", &csrf), file("x.pdf", PDF)])).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "no attachment:write");
    assert_eq!(attachment_rows(&app).await, 1);
});

api_test!(records_of_a_project_reach_it_through_their_table, |app| {
    let city = app.login("city").await;
    let js = app.login("js").await;
    let eq = app.login("eq").await;
    let pid = app.project(&city, "记录附件项目", "jinshui", "1000").await["id"].as_i64().unwrap();
    // a milestone (the action plan's table; its pages come from another slice)
    let db = app.store.db();
    db.execute_unprepared(&format!(
        "INSERT INTO milestones (project_id, title, version, created_at, updated_at) \
         VALUES ({pid}, '用地预审', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    ))
    .await
    .unwrap();
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT MAX(id) AS n FROM milestones",
        ))
        .await
        .unwrap()
        .unwrap();
    let milestone_id: i64 = row.try_get("", "n").unwrap();
    let (st, a) = app.upload(&js, "milestone", milestone_id, "批复.pdf", PDF).await;
    assert_eq!(st, StatusCode::CREATED, "{a}");
    assert_eq!(
        (a["entity"].as_str(), a["entity_id"].as_i64(), a["project_id"].as_i64()),
        (Some("milestone"), Some(milestone_id), Some(pid))
    );
    let (st, _) = app.upload(&eq, "milestone", milestone_id, "批复.pdf", PDF).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "the milestone's project decides the scope");
    // a transition's evidence (施工许可 for 开工)
    let (st, t) = app
        .post(&format!("/api/v1/projects/{pid}/transitions"), &js, json!({"to": "on_hold", "date": "2026-01-05"}))
        .await;
    assert_eq!(st, StatusCode::OK, "{t}");
    let transition = store::entity::transition::Entity::find()
        .filter(store::entity::transition::Column::ProjectId.eq(pid))
        .one(db)
        .await
        .unwrap()
        .expect("the transition row");
    let (st, a) = app.upload(&js, "transition", transition.id, "施工许可.jpg", JPEG).await;
    assert_eq!(st, StatusCode::CREATED, "{a}");
    assert_eq!(a["content_type"], "image/jpeg");
    let (_, list) = app.get(&format!("/api/v1/projects/{pid}/attachments"), &city).await;
    assert_eq!(list["total"], 2, "both in the project's case file: {list}");
});
