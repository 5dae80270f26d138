//! 企业排名 (domain.md §3; api.md `POST /api/v1/companies/rankings`): a published list imported
//! twice duplicates no company and no ranking row; a rank that changes from one year to the
//! next keeps both years; a name that fits two companies is reported and nothing is written
//! for it; a bad row refuses the whole list. SQLite and PostgreSQL.

use domain::Role;
use domain::ranking::{RankingList, RankingRow};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use store::companies::{NewCompany, RankingImport};
use store::entity::{audit_record, company, company_ranking};
use store::testing::fixtures::actor;
use store::{StoreError, db_test};

fn row(row: u32, rank: i32, name: &str, revenue: Option<&str>) -> RankingRow {
    RankingRow { row, rank, name: name.into(), country: Some("中国".into()), revenue: revenue.map(str::to_string) }
}

fn list(list: RankingList, year: i32, rows: Vec<RankingRow>) -> RankingImport {
    RankingImport { list, year, file: "榜单.xlsx".into(), rows }
}

async fn count<E: EntityTrait>(store: &store::Store) -> u64
where
    E::Model: Sync,
{
    E::find().count(store.db()).await.unwrap()
}

async fn company_named(store: &store::Store, name: &str) -> company::Model {
    company::Entity::find().filter(company::Column::Name.eq(name)).one(store.db()).await.unwrap().unwrap()
}

db_test!(importing_the_same_list_twice_duplicates_nothing, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let s = store.scoped(&city);
    // already in the library under a longer name: matched by its name key
    let byd = s
        .create_company(NewCompany {
            name: "比亚迪股份有限公司".into(), country: "中国".into(), ..Default::default()
        })
        .await
        .unwrap();
    let rows = vec![row(2, 143, "比亚迪", Some("85,000.5")), row(3, 200, "宇通客车", None)];
    let first = s.import_rankings(list(RankingList::FortuneGlobal500, 2024, rows.clone())).await.unwrap();
    assert_eq!((first.matched, first.created, first.updated), (1, 1, 1));
    assert!(first.ambiguous.is_empty());
    let (companies, rankings) =
        (count::<company::Entity>(&store).await, count::<company_ranking::Entity>(&store).await);
    assert_eq!((companies, rankings), (2, 2));

    let second = s.import_rankings(list(RankingList::FortuneGlobal500, 2024, rows)).await.unwrap();
    assert_eq!((second.matched, second.created, second.updated), (2, 0, 0), "the second time all are matched");
    assert_eq!(count::<company::Entity>(&store).await, companies, "no company twice");
    assert_eq!(count::<company_ranking::Entity>(&store).await, rankings, "no ranking row twice");

    // the company's current rank follows its history
    let byd = s.get_company(byd.id).await.unwrap();
    assert_eq!((byd.fortune_global_500_rank, byd.rank_year), (Some(143), Some(2024)));
    let history = s.company_rankings(byd.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!((history[0].rank, history[0].revenue.as_deref()), (143, Some("85000.5")));
    let yutong = company_named(&store, "宇通客车").await;
    assert_eq!(yutong.fortune_global_500_rank, Some(200));

    // a third time with one rank changed: only that row is updated
    let changed = vec![row(2, 140, "比亚迪", Some("85000.5")), row(3, 200, "宇通客车", None)];
    let third = s.import_rankings(list(RankingList::FortuneGlobal500, 2024, changed)).await.unwrap();
    assert_eq!((third.matched, third.created, third.updated), (2, 0, 1));
    assert_eq!(s.get_company(byd.id).await.unwrap().fortune_global_500_rank, Some(140));
    assert_eq!(count::<company_ranking::Entity>(&store).await, rankings);

    let audits = audit_record::Entity::find()
        .filter(audit_record::Column::Action.eq("company.rankings_import"))
        .order_by_asc(audit_record::Column::Id)
        .all(store.db())
        .await
        .unwrap();
    assert_eq!(audits.len(), 3, "each import audited once");
    let after: serde_json::Value = serde_json::from_str(audits[0].after.as_deref().unwrap()).unwrap();
    assert_eq!((after["matched"].as_u64(), after["created"].as_u64()), (Some(1), Some(1)));
});

db_test!(a_rank_that_changes_keeps_each_year, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let s = store.scoped(&city);
    s.import_rankings(list(RankingList::China500, 2023, vec![row(2, 50, "郑州煤矿机械集团", Some("300"))]))
        .await
        .unwrap();
    let r =
        s.import_rankings(list(RankingList::China500, 2024, vec![row(2, 42, "郑州煤矿机械集团", None)])).await.unwrap();
    assert_eq!((r.matched, r.updated), (1, 1), "a new year is a new rank of a known company");
    let c = company_named(&store, "郑州煤矿机械集团").await;
    let history = s.company_rankings(c.id).await.unwrap();
    let years: Vec<(i32, i32)> = history.iter().map(|h| (h.year, h.rank)).collect();
    assert_eq!(years, vec![(2024, 42), (2023, 50)], "latest year first, each kept");
    assert_eq!((c.china_500_rank, c.rank_year), (Some(42), Some(2024)), "current = the latest year");

    // an older list imported afterwards does not move the current rank
    s.import_rankings(list(RankingList::China500, 2022, vec![row(2, 61, "郑州煤矿机械集团", None)])).await.unwrap();
    let c = company_named(&store, "郑州煤矿机械集团").await;
    assert_eq!((c.china_500_rank, c.rank_year), (Some(42), Some(2024)));
    assert_eq!(s.company_rankings(c.id).await.unwrap().len(), 3);
    assert!(matches!(s.company_rankings(987_654).await, Err(StoreError::NotFound)));
});

db_test!(a_name_fitting_two_companies_is_reported_not_written, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let s = store.scoped(&city);
    let a = s
        .create_company(NewCompany {
            name: "海尔集团有限公司".into(), country: "中国".into(), ..Default::default()
        })
        .await
        .unwrap();
    let b = s
        .create_company(NewCompany {
            name: "海尔（中国）有限公司".into(),
            country: "中国".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let before = count::<company::Entity>(&store).await;
    let r = s
        .import_rankings(list(
            RankingList::ChinaPrivate500,
            2024,
            vec![row(2, 10, "海尔", None), row(3, 11, "格力", None)],
        ))
        .await
        .unwrap();
    assert_eq!((r.matched, r.created, r.updated), (0, 1, 0));
    assert_eq!(r.ambiguous.len(), 1);
    assert_eq!((r.ambiguous[0].row, r.ambiguous[0].candidates.clone()), (2, vec![a.id, b.id]));
    assert_eq!(count::<company::Entity>(&store).await, before + 1, "only 格力 registered");
    for id in [a.id, b.id] {
        assert!(s.company_rankings(id).await.unwrap().is_empty(), "nothing written for the ambiguous row");
        assert_eq!(s.get_company(id).await.unwrap().china_private_500_rank, None);
    }
});

db_test!(a_bad_row_writes_nothing, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let s = store.scoped(&city);
    let audits = count::<audit_record::Entity>(&store).await;
    let rows = vec![row(2, 1, "甲公司", None), row(3, 0, "乙公司", None), row(4, 3, "丙公司", Some("1e5"))];
    let Err(StoreError::Validation(f)) = s.import_rankings(list(RankingList::FortuneGlobal500, 2024, rows)).await
    else {
        panic!("a rank of 0 and a revenue that is no decimal are refused")
    };
    let fields: Vec<&str> = f.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["rows[3].rank", "rows[4].revenue"]);
    assert!(f[0].message.contains("第3行「排名」"), "{}", f[0].message);
    assert_eq!(count::<company::Entity>(&store).await, 0, "甲公司 was not registered either");
    assert_eq!(count::<company_ranking::Entity>(&store).await, 0);
    assert_eq!(count::<audit_record::Entity>(&store).await, audits);

    let future = s.import_rankings(list(RankingList::FortuneGlobal500, 2999, vec![row(2, 1, "甲公司", None)])).await;
    let Err(StoreError::Validation(f)) = future else { panic!("a year to come") };
    assert_eq!(f[0].field, "year");
});

db_test!(only_the_city_imports_lists, |store| {
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let lead = actor(&store, Role::Leader, "shangwu");
    for who in [&js, &lead] {
        let r = store
            .scoped(who)
            .import_rankings(list(RankingList::FortuneGlobal500, 2024, vec![row(2, 1, "甲公司", None)]))
            .await;
        assert!(matches!(r, Err(StoreError::Forbidden)), "{}", who.username);
    }
    assert_eq!(count::<company::Entity>(&store).await, 0);
    // every business reader reads a company's ranks
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let c = store
        .scoped(&city)
        .create_company(NewCompany {
            name: "某世界500强".into(),
            country: "美国".into(),
            fortune_global_500_rank: Some(88),
            rank_year: Some(2024),
            ..Default::default()
        })
        .await
        .unwrap();
    let h = store.scoped(&lead).company_rankings(c.id).await.unwrap();
    assert_eq!((h.len(), h[0].rank, h[0].year, h[0].list.as_str()), (1, 88, 2024, "fortune_global_500"));
    let sysadmin = actor(&store, Role::Sysadmin, "shangwu");
    assert!(matches!(store.scoped(&sysadmin).company_rankings(c.id).await, Err(StoreError::Forbidden)));
});

db_test!(the_export_reads_every_page_of_the_filter, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let s = store.scoped(&city);
    for i in 0..3 {
        s.create_company(NewCompany {
            name: format!("导出企业{i}"), country: "中国".into(), ..Default::default()
        })
        .await
        .unwrap();
    }
    s.create_company(NewCompany {
        name: "另一家".into(),
        country: "中国".into(),
        china_private_500_rank: Some(9),
        rank_year: Some(2024),
        ..Default::default()
    })
    .await
    .unwrap();
    let f = store::companies::CompanyFilter { q: Some("导出".into()), per_page: 1, ..Default::default() };
    assert_eq!(s.export_companies(&f).await.unwrap().len(), 3);
    let ranked = store::companies::CompanyFilter { ranked: Some(true), ..Default::default() };
    let names: Vec<String> = s.export_companies(&ranked).await.unwrap().into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["另一家"], "a China private 500 rank counts as ranked");
});

/// Migration 000015 turns the ranks companies already carry with their year into the first
/// rows of their history (a rank without a year has no year to be filed under).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_migration_files_existing_ranks_under_their_year() {
    use sea_orm::ConnectionTrait;
    use sea_orm_migration::MigratorTrait;
    use store::testing::Backend;
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(g) = store::testing::fresh_url(backend).await else { continue };
        let url = if backend == Backend::Sqlite { format!("{}?mode=rwc", g.url) } else { g.url.clone() };
        let db = sea_orm::Database::connect(&url).await.unwrap();
        let before = store::migration::Migrator::migrations()
            .iter()
            .position(|m| m.name() == "m20261204_000015_company_rankings")
            .expect("the migration is in the list");
        store::migration::Migrator::up(&db, Some(before as u32)).await.unwrap();
        for (name, fortune, china, year) in [("甲", "88", "5", "2024"), ("乙", "NULL", "300", "NULL")] {
            db.execute_unprepared(&format!(
                "INSERT INTO companies (name, country, fortune_global_500_rank, china_500_rank, rank_year, industry_leader, version, created_at, updated_at) \
                 VALUES ('{name}', '中国', {fortune}, {china}, {year}, false, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ))
            .await
            .unwrap();
        }
        store::migration::Migrator::up(&db, None).await.unwrap();
        let mut rows: Vec<(String, i32, i32)> = company_ranking::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.list, r.year, r.rank))
            .collect();
        rows.sort();
        assert_eq!(
            rows,
            vec![("china_500".to_string(), 2024, 5), ("fortune_global_500".to_string(), 2024, 88)],
            "{backend:?}"
        );
    }
}

async fn claims(store: &store::Store, city: &store::Actor, id: i64) -> Vec<store::reviews::ReviewItem> {
    let f = store::reviews::ReviewFilter {
        kind: Some(domain::review::ReviewKind::Reportable),
        project_id: Some(id),
        ..Default::default()
    };
    store.scoped(city).list_reviews(&f).await.unwrap().items
}

// domain.md §4: city-reportable is derived, never typed — a list that ranks a project's
// investor makes the project city-reportable (and key) in the import's transaction, and an
// open 纳入全市库 claim's reason names the new rank
db_test!(a_list_that_ranks_an_investor_makes_its_projects_city_reportable, |store| {
    use store::testing::fixtures::{created, project};
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let yuxin = store
        .scoped(&js)
        .create_company(NewCompany {
            name: "郑州豫新科技有限公司".into(),
            country: "中国".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut small = project("豫新智能装备项目", "jinshui", "30000");
    small.investor_ids = vec![yuxin.id];
    let small = created(&store, &js, small).await;
    let mut big = project("豫新总部基地项目", "jinshui", "60000");
    big.investor_ids = vec![yuxin.id];
    let big = created(&store, &js, big).await;
    assert!(!small.city_reportable && !small.key_project);
    assert!(big.city_reportable, "by its amount");
    assert_eq!(claims(&store, &city, small.id).await.len(), 0);
    let before = claims(&store, &city, big.id).await;
    assert_eq!(before.len(), 1);
    assert!(!before[0].reason.as_deref().unwrap_or_default().contains("中国企业500强"), "{:?}", before[0].reason);

    let rows = vec![row(2, 420, "郑州豫新科技", None)];
    store.scoped(&city).import_rankings(list(RankingList::China500, 2025, rows)).await.unwrap();
    let small = store.scoped(&city).get_project(small.id).await.unwrap();
    assert!(small.city_reportable && small.key_project, "ranked now, so reportable and key");
    // the city's own import opens no claim (as its own writes do not); the open one is refreshed
    assert_eq!(claims(&store, &city, small.id).await.len(), 0);
    let after = claims(&store, &city, big.id).await;
    assert_eq!(after.len(), 1);
    assert!(after[0].reason.as_deref().unwrap_or_default().contains("郑州豫新科技有限公司"), "{:?}", after[0].reason);
    let ev = audit_record::Entity::find()
        .filter(audit_record::Column::Action.eq("company.rankings_import"))
        .order_by_desc(audit_record::Column::Id)
        .one(store.db())
        .await
        .unwrap()
        .unwrap();
    let after: serde_json::Value = serde_json::from_str(ev.after.as_deref().unwrap()).unwrap();
    assert_eq!(after["reportable_changed"], serde_json::json!([small.id]));
});
