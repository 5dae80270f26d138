//! 通报 (assessment.md, Bulletins; issue 13 item 7): a draft of a stored run, published with
//! its rendered content hashed and frozen; the hash still verifies after the data changes and
//! the recomputation names what changed; drafts hidden from units; 403/409/422; audited.
//! Each test runs on SQLite and on PostgreSQL.

use domain::Role;
use domain::assessment::BulletinState;
use domain::assessment::bulletin::BulletinContent;
use store::assessment::SchemeSource;
use store::bulletins::BulletinInput;
use store::testing::fixtures::{accepted_funds, actor, audits, d, funded, test_scheme};
use store::{StoreError, db_test};

fn scheme_text() -> String {
    test_scheme(["zhongyuan", "erqi"], false)
}

fn render(c: &BulletinContent) -> Result<String, String> {
    let rows: String =
        c.ranking.results.iter().map(|r| format!("<tr><td>{}</td><td>{}</td></tr>", r.rank, r.total)).collect();
    Ok(format!("<h1>{}</h1><p>{}</p><table>{rows}</table>", c.title, c.number))
}

fn input(run_id: i64, number: &str) -> BulletinInput {
    BulletinInput {
        run_id,
        number: number.into(),
        title: "关于2025年度招商引资工作考核结果的通报".into(),
        date: d("2026-01-10"),
    }
}

fn fields(e: StoreError) -> Vec<(String, String)> {
    match e {
        StoreError::Validation(f) => f.into_iter().map(|f| (f.field, f.message)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

db_test!(a_published_hash_still_verifies_after_the_data_changes_and_the_recomputation_shows_it, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let zy = actor(&store, Role::UnitStaff, "zhongyuan");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let p = funded(&store, &zy, &city, "中原项目", "2025-06-01", "800").await.0;
    funded(&store, &eq, &city, "二七项目", "2025-06-01", "400").await;
    let s = store.scoped(&city);
    let run = s.store_run(SchemeSource::Text(scheme_text()), None).await.unwrap();
    let draft = s.create_bulletin(input(run.id, "郑商通[2026]1号")).await.unwrap();
    assert_eq!((draft.number.as_str(), draft.state, draft.year), ("郑商通〔2026〕1号", BulletinState::Draft, 2025));
    assert!(draft.sha256.is_none());

    let today = d("2026-01-10");
    let published = s.publish_bulletin(draft.id, today, &render).await.unwrap();
    let sha = published.sha256.clone().unwrap();
    assert_eq!(published.state, BulletinState::Published);
    assert_eq!(published.inputs_sha256.as_deref(), Some(run.inputs_sha256.as_str()));
    assert_eq!(sha, store::assessment::stored::sha256_hex(published.content_html.clone().unwrap().as_bytes()));
    let content = published.content.clone().unwrap();
    assert_eq!(content.ranking, run.assessment);
    assert_eq!(content.red_list.iter().map(|r| r.unit.code.as_str()).collect::<Vec<_>>(), ["zhongyuan"]);
    assert_eq!(content.black_list.iter().map(|r| r.unit.code.as_str()).collect::<Vec<_>>(), ["erqi"]);
    assert_eq!(content.warnings.len(), 2);
    assert!(content.top10.is_empty(), "not an annual scheme: no top-10");
    assert_eq!(audits(&store, "bulletin.create", draft.id).await.len(), 1);
    assert_eq!(audits(&store, "bulletin.publish", draft.id).await.len(), 1);

    // nothing changed yet: ok, no differences
    let v = s.verify_bulletin(draft.id, today).await.unwrap();
    assert!(v.ok && v.sha256 == sha && v.differences.is_empty(), "{v:?}");

    // the data changes: another accepted entry for zhongyuan
    accepted_funds(&store, &zy, &city, p, "2025-06-01", "300").await;
    let v = s.verify_bulletin(draft.id, today).await.unwrap();
    assert!(v.ok, "{v:?}");
    assert_eq!(v.sha256, sha);
    assert!(v.differences.iter().any(|x| x.unit.code == "zhongyuan" && x.field == "funds.value"), "{v:?}");
    assert!(v.differences.iter().any(|x| x.unit.code == "zhongyuan" && x.field == "funds"), "{v:?}");
    let again = s.bulletin(draft.id).await.unwrap();
    assert_eq!(
        (again.content, again.content_html, again.sha256),
        (published.content, published.content_html, Some(sha))
    );

    // a unit sees the published bulletin, and only its own differences
    let v = store.scoped(&eq).verify_bulletin(draft.id, today).await.unwrap();
    assert!(v.ok && v.differences.is_empty(), "{v:?}");
    let v = store.scoped(&zy).verify_bulletin(draft.id, today).await.unwrap();
    assert!(!v.differences.is_empty());

    // published once: a second publish is 409, and nothing changed
    assert!(matches!(s.publish_bulletin(draft.id, today, &render).await, Err(StoreError::Conflict(_))));
    assert_eq!(audits(&store, "bulletin.publish", draft.id).await.len(), 1);
});

db_test!(drafts_are_hidden_from_units_and_only_the_city_writes, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let zy = actor(&store, Role::UnitStaff, "zhongyuan");
    let leader = actor(&store, Role::Leader, "zhengzhou");
    let supervisor = actor(&store, Role::Supervisor, "shangwu");
    funded(&store, &zy, &city, "中原项目", "2025-06-01", "800").await;
    let s = store.scoped(&city);
    let run = s.store_run(SchemeSource::Text(scheme_text()), None).await.unwrap();
    let a = s.create_bulletin(input(run.id, "郑商通〔2026〕1号")).await.unwrap();
    let b = s.create_bulletin(input(run.id, "郑商通〔2026〕2号")).await.unwrap();
    s.publish_bulletin(b.id, d("2026-01-10"), &render).await.unwrap();

    assert_eq!(s.bulletins(1, 50).await.unwrap().1, 2);
    for who in [&zy, &leader, &supervisor] {
        let (items, total) = store.scoped(who).bulletins(1, 50).await.unwrap();
        assert_eq!((total, items.iter().map(|x| x.id).collect::<Vec<_>>()), (1, vec![b.id]));
        assert!(matches!(store.scoped(who).bulletin(a.id).await, Err(StoreError::NotFound)));
        assert!(store.scoped(who).bulletin(b.id).await.unwrap().content.is_some());
        // no write for anyone but the city
        assert!(matches!(
            store.scoped(who).create_bulletin(input(run.id, "郑商通〔2026〕3号")).await,
            Err(StoreError::Forbidden)
        ));
        assert!(matches!(
            store.scoped(who).publish_bulletin(a.id, d("2026-01-10"), &render).await,
            Err(StoreError::Forbidden)
        ));
    }
    assert_eq!(store.scoped(&zy).latest_published_bulletin().await.unwrap().map(|x| x.id), Some(b.id));
    let dept = actor(&store, Role::DeptStaff, "ziranziyuan");
    assert!(matches!(store.scoped(&dept).bulletins(1, 50).await, Err(StoreError::Forbidden)));
    // a draft is not verifiable
    assert!(matches!(s.verify_bulletin(a.id, d("2026-01-10")).await, Err(StoreError::Conflict(_))));
    assert!(matches!(s.bulletin(b.id + 100).await, Err(StoreError::NotFound)));
});

db_test!(a_draft_names_its_bad_fields, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let s = store.scoped(&city);
    let run = s.store_run(SchemeSource::Text(scheme_text()), None).await.unwrap();
    s.create_bulletin(input(run.id, "郑商通〔2026〕1号")).await.unwrap();

    let bad =
        BulletinInput { run_id: run.id + 100, number: "十二号".into(), title: " ".into(), date: d("2026-01-10") };
    let f: Vec<String> = fields(s.create_bulletin(bad).await.unwrap_err()).into_iter().map(|f| f.0).collect();
    assert_eq!(f, ["run_id", "number", "title"]);
    let dup = fields(s.create_bulletin(input(run.id, "郑商通［2026］1号")).await.unwrap_err());
    assert_eq!(dup.len(), 1);
    assert_eq!(dup[0].0, "number");
    assert!(dup[0].1.contains("文号已被使用"), "{dup:?}");
    let long = BulletinInput { title: "长".repeat(201), ..input(run.id, "郑商通〔2026〕9号") };
    assert_eq!(fields(s.create_bulletin(long).await.unwrap_err())[0].0, "title");
    let long = input(run.id, &format!("{}〔2026〕9号", "郑".repeat(70)));
    assert_eq!(fields(s.create_bulletin(long).await.unwrap_err())[0].0, "number");
    assert_eq!(s.bulletins(1, 50).await.unwrap().1, 1);
});

db_test!(an_annual_bulletin_lists_the_years_top_ten_in_order, |store| {
    use sea_orm::{ActiveModelTrait, Set};
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let zy = actor(&store, Role::UnitStaff, "zhongyuan");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let a = funded(&store, &zy, &city, "中原十大项目", "2025-06-01", "800").await.0;
    let b = funded(&store, &eq, &city, "二七十大项目", "2025-06-01", "400").await.0;
    for (position, project_id, citation) in [(1, b, "带动性强"), (2, a, "投资规模大")] {
        store::entity::top10_pick::ActiveModel {
            year: Set(2025),
            project_id: Set(project_id),
            position: Set(position),
            citation: Set(citation.into()),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(store.db())
        .await
        .unwrap();
    }
    let s = store.scoped(&city);
    let annual = scheme_text().replace("units = [", "top10_bonus = 2\nunits = [");
    let run = s.store_run(SchemeSource::Text(annual), None).await.unwrap();
    let draft = s.create_bulletin(input(run.id, "郑商通〔2026〕5号")).await.unwrap();
    let preview = s.bulletin_preview(draft.id, d("2026-01-10")).await.unwrap();
    let listed: Vec<(i32, &str, &str)> =
        preview.top10.iter().map(|t| (t.position, t.project_name.as_str(), t.unit.as_str())).collect();
    assert_eq!(listed, [(1, "二七十大项目", "erqi"), (2, "中原十大项目", "zhongyuan")]);
    assert_eq!(preview.top10[0].total_investment, "500".parse().unwrap());
    // a scheme without the bonus: no top-10 section
    let plain = s.store_run(SchemeSource::Text(scheme_text()), None).await.unwrap();
    let other = s.create_bulletin(input(plain.id, "郑商通〔2026〕6号")).await.unwrap();
    let published = s.publish_bulletin(other.id, d("2026-01-10"), &render).await.unwrap();
    assert!(published.content.unwrap().top10.is_empty());
    // the unit sees no draft preview
    assert!(matches!(store.scoped(&zy).bulletin_preview(draft.id, d("2026-01-10")).await, Err(StoreError::Forbidden)));
});
