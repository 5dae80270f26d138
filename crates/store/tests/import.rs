//! Applying a parsed ledger: all or nothing, dry runs that report exactly, idempotent
//! re-imports, updates through the API's rules, and the caller's scope on every row.
//! Each test runs on SQLite and on PostgreSQL.

use domain::stage::StageDates;
use domain::{Category, Money, Role, Stage};
use store::import::ImportRow;
use store::projects::ProjectFilter;
use store::testing::fixtures::{actor, d};
use store::{Actor, Store, db_test};

fn staff(store: &Store, code: &str) -> Actor {
    actor(store, Role::UnitStaff, code)
}

fn row(n: u32, name: &str, stage: Stage, dates: &[(Stage, &str)]) -> ImportRow {
    let mut sd = StageDates::default();
    for (s, v) in dates {
        sd.set(*s, Some(d(v)));
    }
    ImportRow {
        row: n,
        code: None,
        name: name.into(),
        unit: "金水区".into(),
        investors: vec!["比亚迪股份有限公司".into()],
        investor_type: Some("世界500强".into()),
        industry: Some("automotive.nev".into()),
        region: Some("pearl".into()),
        channel: None,
        categories: vec![Category::Pillar],
        total_investment: Money::parse("60000").unwrap(),
        foreign_investment: None,
        land_mu: Some(Money::parse("120.5").unwrap()),
        stage,
        dates: sd,
        expected_producing_on: None,
        lead_leader: Some("张建国（金水区副区长）".into()),
        progress: Some("已完成用地预审".into()),
        problem: None,
        notes: None,
    }
}

fn ledger() -> Vec<ImportRow> {
    vec![
        row(5, "年产50万台新能源汽车电机项目", Stage::Reserve, &[]),
        row(6, "智能终端产业园", Stage::Signed, &[(Stage::Signed, "2025-03-01")]),
        row(
            7,
            "动力电池研发中心",
            Stage::Started,
            &[(Stage::Signed, "2025-01-10"), (Stage::Approved, "2025-02-10"), (Stage::Started, "2025-04-01")],
        ),
    ]
}

async fn count(store: &Store, actor: &Actor) -> u64 {
    store.scoped(actor).list_projects(&ProjectFilter::default()).await.unwrap().total
}

db_test!(import_creates_then_changes_nothing_the_second_time, |store| {
    let js = staff(&store, "jinshui");
    let dry = store.scoped(&js).import_projects(ledger(), true).await.unwrap();
    assert_eq!(dry.created, vec![5, 6, 7]);
    assert!(dry.errors.is_empty() && !dry.committed);
    assert_eq!(count(&store, &js).await, 0, "a dry run writes nothing");

    let first = store.scoped(&js).import_projects(ledger(), false).await.unwrap();
    assert_eq!(first.created, dry.created, "the dry run reported exactly what the real run did");
    assert!(first.committed);
    let page = store.scoped(&js).list_projects(&ProjectFilter::default()).await.unwrap();
    assert_eq!(page.total, 3);
    let started = page.items.iter().find(|p| p.name == "动力电池研发中心").unwrap();
    assert_eq!(started.stage, Stage::Started);
    assert_eq!(started.approved_on, Some(d("2025-02-10")));
    assert_eq!(started.investors[0].name, "比亚迪股份有限公司");
    assert_eq!(started.land_mu, Some(Money::parse("120.50").unwrap()));
    assert_eq!(started.review_state, "submitted", "a unit's claim waits for the city's review");

    let again = store.scoped(&js).import_projects(ledger(), false).await.unwrap();
    assert!(again.created.is_empty() && again.updated.is_empty(), "{again:?}");
    assert_eq!(again.unchanged, vec![5, 6, 7]);
    assert_eq!(count(&store, &js).await, 3);

    // one changed amount and one stage advanced: two updates, through the API's rules
    let mut next = ledger();
    next[0].total_investment = Money::parse("65000").unwrap();
    next[1].stage = Stage::Approved;
    next[1].dates.set(Stage::Approved, Some(d("2025-06-30")));
    let upd = store.scoped(&js).import_projects(next.clone(), false).await.unwrap();
    assert_eq!(upd.updated, vec![5, 6]);
    assert_eq!(upd.unchanged, vec![7]);
    let p = store.scoped(&js).list_projects(&ProjectFilter::default()).await.unwrap();
    let signed = p.items.iter().find(|x| x.name == "智能终端产业园").unwrap();
    assert_eq!(signed.stage, Stage::Approved);
    let timeline = store.scoped(&js).timeline(signed.id).await.unwrap();
    assert!(timeline.iter().any(|e| e.to == Some(Stage::Approved) && e.date == d("2025-06-30")));

    // by code: the same project, even with a new name
    let mut by_code = next[2].clone();
    by_code.code = Some(p.items.iter().find(|x| x.name == "动力电池研发中心").unwrap().code.clone());
    by_code.name = "动力电池研发中心（一期）".into();
    let r = store.scoped(&js).import_projects(vec![by_code], false).await.unwrap();
    assert_eq!(r.updated, vec![7]);
    assert_eq!(count(&store, &js).await, 3);
});

db_test!(any_bad_row_writes_nothing, |store| {
    let js = staff(&store, "jinshui");
    let mut rows = ledger();
    // 二七区's row: out of a 金水区 user's scope
    let mut other = row(8, "二七区的项目", Stage::Reserve, &[]);
    other.unit = "二七区".into();
    rows.push(other);
    // a backwards date: 开工 before 签约
    rows.push(row(
        9,
        "日期倒退项目",
        Stage::Started,
        &[(Stage::Signed, "2025-05-01"), (Stage::Approved, "2025-05-02"), (Stage::Started, "2025-04-01")],
    ));
    // an unknown code
    let mut unknown = row(10, "不存在的编号", Stage::Reserve, &[]);
    unknown.code = Some("XM2099000001".into());
    rows.push(unknown);
    let r = store.scoped(&js).import_projects(rows, false).await.unwrap();
    assert!(!r.committed);
    let by_row: Vec<(u32, &str)> = r.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert!(by_row.contains(&(8, "责任单位")), "{:?}", r.errors);
    assert!(r.errors.iter().any(|e| e.row == 8 && e.reason.contains("无权")));
    assert!(by_row.contains(&(10, "项目编号")), "{:?}", r.errors);
    assert_eq!(count(&store, &js).await, 0, "nothing written");
    // the stage rules reject row 9 once the others are fixed
    let rows = vec![
        ledger().remove(0),
        row(
            9,
            "日期倒退项目",
            Stage::Started,
            &[(Stage::Signed, "2025-05-01"), (Stage::Approved, "2025-05-02"), (Stage::Started, "2025-04-01")],
        ),
    ];
    let r = store.scoped(&js).import_projects(rows, false).await.unwrap();
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    assert_eq!(r.errors[0].row, 9);
    assert!(r.errors[0].reason.contains("日期不能倒退") || r.errors[0].reason.contains("早于"), "{:?}", r.errors);
    assert_eq!(count(&store, &js).await, 0);
    // the same name twice in one file is one project, not two
    let twice = vec![ledger().remove(0), {
        let mut x = ledger().remove(0);
        x.row = 11;
        x
    }];
    let r = store.scoped(&js).import_projects(twice, true).await.unwrap();
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].row, 11);
    // roles without project:write may not import at all
    let mut aud = js.clone();
    aud.roles = vec![Role::Auditor];
    assert!(matches!(store.scoped(&aud).import_projects(ledger(), true).await, Err(store::StoreError::Forbidden)));
});

db_test!(rows_match_live_projects_in_scope_with_their_investors_in_order, |store| {
    let js = staff(&store, "jinshui");
    let eq = staff(&store, "erqi");
    store.scoped(&js).import_projects(ledger(), false).await.unwrap();
    let mut theirs = row(5, "二七区的项目", Stage::Reserve, &[]);
    theirs.unit = "二七区".into();
    assert_eq!(store.scoped(&eq).import_projects(vec![theirs], false).await.unwrap().created, vec![5]);
    let their_code = store.scoped(&eq).list_projects(&ProjectFilter::default()).await.unwrap().items[0].code.clone();

    // another unit's code in a 金水区 file: refused, as an unknown code would be
    let mut stolen = row(8, "二七区的项目", Stage::Reserve, &[]);
    stolen.code = Some(their_code);
    let r = store.scoped(&js).import_projects(vec![stolen], true).await.unwrap();
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    assert_eq!((r.errors[0].row, r.errors[0].column.as_str()), (8, "项目编号"));

    // a deleted project: its code no longer matches, and its name no longer blocks a new one
    let mine = store.scoped(&js).list_projects(&ProjectFilter::default()).await.unwrap().items;
    let gone = mine.iter().find(|p| p.name == "智能终端产业园").unwrap();
    store.scoped(&Actor::system("test")).delete_project(gone.id).await.unwrap();
    let mut by_code = row(9, "智能终端产业园", Stage::Signed, &[(Stage::Signed, "2025-03-01")]);
    by_code.code = Some(gone.code.clone());
    let r = store.scoped(&js).import_projects(vec![by_code], true).await.unwrap();
    assert_eq!(r.errors.iter().map(|e| e.row).collect::<Vec<_>>(), vec![9], "{:?}", r.errors);
    let by_name = row(9, "智能终端产业园", Stage::Signed, &[(Stage::Signed, "2025-03-01")]);
    let r = store.scoped(&js).import_projects(vec![by_name], true).await.unwrap();
    assert_eq!(r.created, vec![9], "{r:?}");

    // investors: a second one is a change, the same list again is not, another order is
    let two = |names: [&str; 2]| {
        let mut r = ledger().remove(0);
        r.investors = names.iter().map(|n| n.to_string()).collect();
        r
    };
    let pair = ["比亚迪股份有限公司", "宁德时代新能源科技股份有限公司"];
    assert_eq!(store.scoped(&js).import_projects(vec![two(pair)], false).await.unwrap().updated, vec![5]);
    assert_eq!(store.scoped(&js).import_projects(vec![two(pair)], false).await.unwrap().unchanged, vec![5]);
    let swapped = [pair[1], pair[0]];
    assert_eq!(store.scoped(&js).import_projects(vec![two(swapped)], false).await.unwrap().updated, vec![5]);
    let p = store.scoped(&js).list_projects(&ProjectFilter::default()).await.unwrap().items;
    let p = p.iter().find(|p| p.name == "年产50万台新能源汽车电机项目").unwrap();
    let names: Vec<&str> = p.investors.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, swapped);
});

db_test!(progress_is_the_latest_note_and_each_change_joins_the_timeline, |store| {
    let js = staff(&store, "jinshui");
    store.scoped(&js).import_projects(ledger(), false).await.unwrap();
    let name = "智能终端产业园";
    let find = |items: Vec<store::projects::Project>| items.into_iter().find(|p| p.name == name).unwrap();
    let p = find(store.scoped(&js).list_projects(&ProjectFilter::default()).await.unwrap().items);
    assert_eq!(p.progress.as_deref(), Some("已完成用地预审"));
    let notes = |t: Vec<store::projects::TimelineEvent>| -> Vec<String> {
        t.into_iter().filter(|e| e.kind == "progress").filter_map(|e| e.note).collect()
    };
    assert_eq!(notes(store.scoped(&js).timeline(p.id).await.unwrap()), vec!["已完成用地预审"]);

    // the same text again is no change; blank is no change either (nothing is erased)
    let mut blank = ledger();
    blank[1].progress = None;
    let r = store.scoped(&js).import_projects(blank, false).await.unwrap();
    assert_eq!(r.unchanged, vec![5, 6, 7], "{r:?}");

    // a new text: an update, a second timeline note, the latest on the project
    let mut next = ledger();
    next[1].progress = Some("  土地已摘牌，正在办理规划许可 ".into());
    let r = store.scoped(&js).import_projects(next.clone(), false).await.unwrap();
    assert_eq!((r.updated.clone(), r.unchanged.clone()), (vec![6], vec![5, 7]), "{r:?}");
    let p = find(store.scoped(&js).list_projects(&ProjectFilter::default()).await.unwrap().items);
    assert_eq!(p.progress.as_deref(), Some("土地已摘牌，正在办理规划许可"));
    assert_eq!(
        notes(store.scoped(&js).timeline(p.id).await.unwrap()),
        vec!["已完成用地预审", "土地已摘牌，正在办理规划许可"]
    );
    assert_eq!(store.scoped(&js).import_projects(next, false).await.unwrap().unchanged, vec![5, 6, 7]);

    // too long: a row error naming the column, nothing written
    let mut long = ledger();
    long[2].progress = Some("进".repeat(2001));
    let r = store.scoped(&js).import_projects(long, false).await.unwrap();
    assert!(!r.committed);
    assert_eq!(r.errors.iter().map(|e| (e.row, e.column.as_str())).collect::<Vec<_>>(), vec![(7, "项目进展情况")]);
});

db_test!(new_investors_keep_the_declared_type_without_a_rank, |store| {
    let js = staff(&store, "jinshui");
    let mut rows = ledger();
    rows[0].investors = vec!["郑州某新材料科技有限公司".into(), "河南某装备制造股份有限公司".into()];
    rows[0].investor_type = Some("行业领军、其他".into());
    rows[1].total_investment = Money::parse("8000").unwrap(); // under the 5亿 threshold
    store.scoped(&js).import_projects(rows, false).await.unwrap();
    let (all, _) = store
        .scoped(&js)
        .list_companies(&store::companies::CompanyFilter { per_page: 50, ..Default::default() })
        .await
        .unwrap();
    let get = |n: &str| all.iter().find(|c| c.name == n).unwrap_or_else(|| panic!("{n} created"));
    // one type per investor, in order; 世界500强 from the other rows' single type
    assert_eq!(store::companies::investor_type(get("郑州某新材料科技有限公司")), "行业领军");
    assert_eq!(store::companies::investor_type(get("河南某装备制造股份有限公司")), "其他");
    let byd = get("比亚迪股份有限公司");
    assert_eq!(store::companies::investor_type(byd), "世界500强");
    // declared, not verified: no rank, and the projects are not made city-reportable by it
    assert_eq!((byd.fortune_global_500_rank, byd.industry_leader), (None, false));
    assert!(byd.notes.as_deref().is_some_and(|n| n.contains("世界500强") && n.contains("待核实")), "{:?}", byd.notes);
    let page = store.scoped(&js).list_projects(&ProjectFilter::default()).await.unwrap();
    let p = page.items.iter().find(|p| p.name == "智能终端产业园").unwrap();
    assert!(!p.city_reportable, "a declared type is not a rank");
});

fn company(name: &str) -> store::companies::NewCompany {
    store::companies::NewCompany { name: name.into(), country: "中国".into(), ..Default::default() }
}

async fn company_names(store: &Store, who: &Actor) -> Vec<String> {
    let f = store::companies::CompanyFilter { per_page: 100, ..Default::default() };
    let (all, _) = store.scoped(who).list_companies(&f).await.unwrap();
    all.into_iter().map(|c| c.name).collect()
}

// issue 12 item 1: a name that is a registered company spelled otherwise (without 有限公司,
// 集团, spaces) is that company, with a warning; one that resembles two is refused.
db_test!(import_matches_a_near_duplicate_investor_and_refuses_an_ambiguous_one, |store| {
    let js = staff(&store, "jinshui");
    let yuxin = store.scoped(&js).create_company(company("郑州豫新科技有限公司")).await.unwrap();
    let mut rows = ledger();
    rows.truncate(2);
    rows[0].investors = vec!["郑州 豫新科技".into()];
    // two new spellings of one company in the same file: one company
    rows[1].investors = vec!["华夏智造集团有限公司".into()];
    let mut third = ledger().remove(2);
    third.investors = vec!["华夏智造集团".into()];
    rows.push(third);
    let report = store.scoped(&js).import_projects(rows.clone(), false).await.unwrap();
    assert!(report.committed && report.errors.is_empty(), "{:?}", report.errors);
    let warned: Vec<(u32, &str)> =
        report.warnings.iter().filter(|w| w.column == "投资方").map(|w| (w.row, w.reason.as_str())).collect();
    assert_eq!(warned.len(), 2, "{warned:?}");
    assert!(warned[0].0 == 5 && warned[0].1.contains("郑州豫新科技有限公司"), "{warned:?}");
    // names are taken in sorted order: the shorter spelling creates the company
    assert!(warned[1].0 == 6 && warned[1].1.contains("「华夏智造集团」"), "{warned:?}");
    let page = store.scoped(&js).list_projects(&ProjectFilter::default()).await.unwrap();
    let by_name = |n: &str| page.items.iter().find(|p| p.name == n).unwrap().investors[0].id;
    assert_eq!(by_name("年产50万台新能源汽车电机项目"), yuxin.id, "no second 豫新");
    assert_eq!(by_name("智能终端产业园"), by_name("动力电池研发中心"), "one 华夏智造");
    let names = company_names(&store, &js).await;
    assert_eq!(names.iter().filter(|n| n.contains("豫新")).count(), 1, "{names:?}");
    assert_eq!(names.iter().filter(|n| n.contains("华夏智造")).count(), 1, "{names:?}");

    // a name like two registered companies: the row is refused, naming both; nothing written
    store.scoped(&js).create_company(company("郑州豫新科技集团")).await.unwrap();
    let before = count(&store, &js).await;
    let mut row = ledger().remove(0);
    (row.row, row.name, row.investors) = (9, "豫新新材料项目".into(), vec!["郑州豫新科技股份有限公司".into()]);
    let report = store.scoped(&js).import_projects(vec![row], false).await.unwrap();
    assert!(!report.committed);
    let e = report.errors.first().unwrap();
    assert_eq!((e.row, e.column.as_str()), (9, "投资方"));
    assert!(e.reason.contains("郑州豫新科技有限公司") && e.reason.contains("郑州豫新科技集团"), "{}", e.reason);
    assert_eq!(count(&store, &js).await, before);
    assert!(!company_names(&store, &js).await.iter().any(|n| n == "郑州豫新科技股份有限公司"));
});

// the project form's pick-or-create: a near-duplicate of a registered company is refused on
// the investors field, naming it; nothing is created
db_test!(a_new_investor_like_a_registered_company_is_refused_naming_it, |store| {
    let js = staff(&store, "jinshui");
    let yuxin = store.scoped(&js).create_company(company("郑州豫新科技有限公司")).await.unwrap();
    let input = store::testing::fixtures::project("豫新智能装备项目", "jinshui", "30000");
    let err = store
        .scoped(&js)
        .create_project_with_companies(input.clone(), vec![company("郑州豫新科技")])
        .await
        .unwrap_err();
    let store::StoreError::Validation(f) = err else { panic!("{err:?}") };
    assert_eq!(f[0].field, "new_investors");
    assert!(
        f[0].message.contains("郑州豫新科技有限公司") && f[0].message.contains(&format!("/companies/{}", yuxin.id))
    );
    assert_eq!(count(&store, &js).await, 0);
    assert_eq!(company_names(&store, &js).await, vec!["郑州豫新科技有限公司".to_string()]);
    // a name unlike any: created with the project
    let p =
        store.scoped(&js).create_project_with_companies(input, vec![company("河南华夏智造有限公司")]).await.unwrap();
    assert_eq!(p.investors[0].name, "河南华夏智造有限公司");
});
