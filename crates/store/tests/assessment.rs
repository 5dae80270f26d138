//! 考核 measures (assessment.md, Measures): computed from what the city accepted, over a
//! unit and its child units, each with the records it counted; the worked example of
//! assessment.md reproduced from records made through the store's write paths; who may
//! run an assessment. Each test runs on SQLite and on PostgreSQL.

use std::collections::BTreeMap;

use domain::activity::ActivityKind;
use domain::assessment::{MeasureKind, Scheme};
use domain::leader::LeaderLevel;
use domain::{Role, Stage};
use rust_decimal::Decimal;
use store::activities::ActivityInput;
use store::assessment::{AssessmentInput, Counted, MeasureTable};
use store::companies::NewCompany;
use store::funds::NewFunds;
use store::leaders::LeaderInput;
use store::projects::TransitionInput;
use store::testing::fixtures::{
    accept_all, activity, actor, created, d, dec, domestic_funds, m, project, submitted_claims, to, unit_code,
};
use store::{Actor, Store, StoreError, db_test};

fn worked_example() -> String {
    domain::assessment::defaults::worked_example(["zhongyuan", "erqi", "jinshui"], true)
}

/// The unit claims a transition and the city accepts it.
async fn accepted(store: &Store, unit: &Actor, city: &Actor, project_id: i64, t: TransitionInput) {
    store.scoped(unit).transition_project(project_id, t).await.unwrap();
    accept_all(store, city, project_id).await;
}

fn start(date: &str, approved: &str) -> TransitionInput {
    let mut t = to(Stage::Started, date);
    t.skipped_dates.insert(Stage::Approved, d(approved));
    t
}

/// A project of `unit` signed (accepted) on `signed`, started (accepted) on `started`.
async fn landed(
    store: &Store,
    unit: &Actor,
    city: &Actor,
    name: &str,
    total: &str,
    signed: &str,
    started: Option<&str>,
) -> i64 {
    let code = unit_code(store, unit);
    let p = created(store, unit, project(name, &code, total)).await;
    accepted(store, unit, city, p.id, to(Stage::Signed, signed)).await;
    if let Some(s) = started {
        accepted(store, unit, city, p.id, start(s, signed)).await;
    }
    p.id
}

/// `n` visits in 2025 led by the unit's chief that met a Fortune Global 500 company, and one
/// by its staff that does not count.
async fn visits(store: &Store, unit: &Actor, company: i64, n: usize) -> Vec<i64> {
    let code = unit_code(store, unit);
    let chief = LeaderInput {
        name: format!("{code}书记"),
        position: "区委书记".into(),
        unit: code.clone(),
        level: LeaderLevel::UnitChief,
    };
    let chief = store.scoped(unit).create_leader(chief).await.unwrap().id;
    let visit = |title: String, on: &str, leaders: Vec<i64>| ActivityInput {
        leader_ids: leaders,
        company_ids: vec![company],
        ..activity(&title, ActivityKind::LeaderVisit, on, &code)
    };
    let mut ids = vec![];
    for k in 0..n {
        let a = visit(format!("{code}拜访{k}"), &format!("2025-0{}-10", k + 1), vec![chief]);
        ids.push(store.scoped(unit).create_activity(a).await.unwrap().id);
    }
    store.scoped(unit).create_activity(visit(format!("{code}工作人员拜访"), "2025-09-01", vec![])).await.unwrap();
    ids
}

fn ids(c: &Counted) -> Vec<i64> {
    let mut v: Vec<i64> = match c {
        Counted::Projects(v) => v.iter().map(|r| r.id).collect(),
        Counted::Funds(v) => v.iter().map(|r| r.id).collect(),
        Counted::Clauses(v) => v.iter().map(|r| r.id).collect(),
        Counted::Problems(v) => v.iter().map(|r| r.id).collect(),
        Counted::Activities(v) => v.iter().map(|r| r.id).collect(),
    };
    v.sort_unstable();
    v
}

fn value(t: &MeasureTable, unit: &str, k: MeasureKind) -> Decimal {
    t.get(unit, k).unwrap().value
}

fn input(units: &[&str], measures: &[MeasureKind]) -> AssessmentInput {
    AssessmentInput {
        from: d("2025-01-01"),
        to: d("2025-12-31"),
        units: units.iter().map(|u| u.to_string()).collect(),
        measures: measures.to_vec(),
        as_of: None,
    }
}

db_test!(the_worked_example_of_assessment_md_from_accepted_records, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let zy = actor(&store, Role::UnitStaff, "zhongyuan");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let fg500 = NewCompany {
        name: "环球电子".into(),
        country: "美国".into(),
        fortune_global_500_rank: Some(88),
        ..Default::default()
    };
    let company = store.scoped(&city).create_company(fg500).await.unwrap().id;

    // U1 中原区: 4 major signings in 2025 (2 started), one small signed in 2024 (started): 3 of 5
    let mut zy_projects = vec![];
    for (k, started) in [Some("2025-06-01"), Some("2025-07-01"), None, None].into_iter().enumerate() {
        zy_projects.push(landed(&store, &zy, &city, &format!("中原重大{k}"), "20000", "2025-02-01", started).await);
    }
    let small = landed(&store, &zy, &city, "中原小项目", "500", "2024-06-01", Some("2024-09-01")).await;
    // U2 二七区: 2 major signings, both started
    let eq1 = landed(&store, &eq, &city, "二七重大一", "15000", "2025-03-01", Some("2025-08-01")).await;
    let eq2 = landed(&store, &eq, &city, "二七重大二", "10000", "2025-04-01", Some("2025-09-01")).await;
    // U3 金水区: 1 major signing, then terminated: no signed project for the start rate
    let js1 = landed(&store, &js, &city, "金水重大", "30000", "2025-05-01", None).await;
    let stop = TransitionInput { reason: Some("投资方撤资".into()), ..to(Stage::Terminated, "2025-10-01") };
    store.scoped(&js).transition_project(js1, stop).await.unwrap();
    accept_all(&store, &city, js1).await;

    // funds, claimed by each unit and accepted by the city
    let mut entries = BTreeMap::new();
    for (who, p, amounts) in
        [(&zy, zy_projects[0], ["50000", "40000"]), (&eq, eq1, ["30000", "40000"]), (&js, js1, ["80000", "0"])]
    {
        for (k, a) in amounts.iter().enumerate().filter(|(_, a)| **a != "0") {
            let e = store.scoped(who).add_funds(p, domestic_funds(&format!("2025-1{k}-01"), a)).await.unwrap();
            entries.entry(p).or_insert_with(Vec::new).push(e.id);
        }
        accept_all(&store, &city, p).await;
    }

    let zy_visits = visits(&store, &zy, company, 3).await;
    let eq_visits = visits(&store, &eq, company, 5).await;

    let scheme = Scheme::parse(&worked_example()).unwrap();
    let run = store.scoped(&city).run_assessment(&scheme, &BTreeMap::new(), &[]).await.unwrap();
    let table: Vec<(String, Vec<String>, String, u32)> = run
        .assessment
        .results
        .iter()
        .map(|r| {
            (
                r.unit.code.clone(),
                r.indicators.iter().map(|c| c.points.to_string()).collect(),
                r.total.to_string(),
                r.rank,
            )
        })
        .collect();
    let row = |u: &str, cells: [&str; 4], total: &str, rank| {
        (u.to_string(), cells.map(str::to_string).to_vec(), total.to_string(), rank)
    };
    assert_eq!(
        table,
        vec![
            row("erqi", ["48.00", "10.00", "20.00", "20.00"], "98.00", 1),
            row("zhongyuan", ["36.00", "20.00", "12.00", "15.00"], "83.00", 2),
            row("jinshui", ["40.00", "5.00", "0.00", "0.00"], "45.00", 3),
        ]
    );

    // the drill-down: exactly the records counted
    let t = &run.measures;
    assert_eq!(value(t, "zhongyuan", MeasureKind::FundsDomestic), dec("90000"));
    assert_eq!(ids(&t.get("zhongyuan", MeasureKind::FundsDomestic).unwrap().counted), entries[&zy_projects[0]]);
    assert_eq!(ids(&t.get("erqi", MeasureKind::FundsDomestic).unwrap().counted), entries[&eq1]);
    let signed = t.get("zhongyuan", MeasureKind::NewSignedMajor).unwrap();
    assert_eq!(ids(&signed.counted), zy_projects, "the small project is not major");
    let rate = t.get("zhongyuan", MeasureKind::StartRate).unwrap();
    assert_eq!((rate.met, rate.due, rate.value), (Some(3), Some(5), dec("0.6")));
    let Counted::Projects(list) = &rate.counted else { panic!("projects") };
    let met: Vec<(i64, Option<bool>)> = list.iter().map(|p| (p.id, p.met)).collect();
    let mut expect = vec![(zy_projects[0], Some(true)), (zy_projects[1], Some(true)), (zy_projects[2], Some(false))];
    expect.extend([(zy_projects[3], Some(false)), (small, Some(true))]);
    assert_eq!(met, expect);
    let js_rate = t.get("jinshui", MeasureKind::StartRate).unwrap();
    assert_eq!(
        (js_rate.value, js_rate.met, js_rate.counted.len()),
        (Decimal::ZERO, None, 0),
        "a terminated project is not in the denominator"
    );
    assert_eq!(ids(&t.get("jinshui", MeasureKind::NewSignedMajor).unwrap().counted), [js1]);
    assert_eq!(ids(&t.get("erqi", MeasureKind::NewSignedMajor).unwrap().counted), [eq1, eq2]);
    assert_eq!(ids(&t.get("zhongyuan", MeasureKind::LeaderVisits500).unwrap().counted), zy_visits);
    assert_eq!(ids(&t.get("erqi", MeasureKind::LeaderVisits500).unwrap().counted), eq_visits);
    assert!(t.get("jinshui", MeasureKind::LeaderVisits500).unwrap().counted.is_empty());
    let json = serde_json::to_string(&run).unwrap();
    assert!(json.contains(r#""measure":"funds_domestic","value":"90000""#), "{json}");
});

db_test!(only_what_the_city_accepted_counts, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let measures = [MeasureKind::NewSignedMajor, MeasureKind::NewStartedMajor, MeasureKind::FundsDomestic];
    let now = |store: Store, city: Actor| async move {
        store.scoped(&city).assessment_measures(&input(&["jinshui"], &measures)).await.unwrap()
    };

    // a signing claimed, waiting: not counted; accepted: counted
    let p = created(&store, &js, project("金水待审", "jinshui", "12000")).await;
    store.scoped(&js).transition_project(p.id, to(Stage::Signed, "2025-03-01")).await.unwrap();
    let e = store.scoped(&js).add_funds(p.id, domestic_funds("2025-04-01", "300")).await.unwrap();
    let t = now(store.clone(), city.clone()).await;
    assert_eq!(value(&t, "jinshui", MeasureKind::NewSignedMajor), Decimal::ZERO, "a submitted signing does not count");
    assert_eq!(value(&t, "jinshui", MeasureKind::FundsDomestic), Decimal::ZERO, "a submitted entry does not count");
    accept_all(&store, &city, p.id).await;
    let t = now(store.clone(), city.clone()).await;
    assert_eq!(ids(&t.get("jinshui", MeasureKind::NewSignedMajor).unwrap().counted), [p.id]);
    assert_eq!(ids(&t.get("jinshui", MeasureKind::FundsDomestic).unwrap().counted), [e.id]);
    assert_eq!(value(&t, "jinshui", MeasureKind::FundsDomestic), dec("300"));

    // a start claimed after the accepted signing: the signing counts, the start waits
    store.scoped(&js).transition_project(p.id, start("2025-06-01", "2025-05-01")).await.unwrap();
    let t = now(store.clone(), city.clone()).await;
    assert_eq!(ids(&t.get("jinshui", MeasureKind::NewSignedMajor).unwrap().counted), [p.id]);
    assert!(t.get("jinshui", MeasureKind::NewStartedMajor).unwrap().counted.is_empty());
    accept_all(&store, &city, p.id).await;
    let t = now(store.clone(), city.clone()).await;
    assert_eq!(ids(&t.get("jinshui", MeasureKind::NewStartedMajor).unwrap().counted), [p.id]);

    // returned: never counted
    let q = created(&store, &js, project("金水退回", "jinshui", "50000")).await;
    store.scoped(&js).transition_project(q.id, to(Stage::Signed, "2025-03-01")).await.unwrap();
    let back = store.scoped(&js).add_funds(q.id, domestic_funds("2025-04-01", "700")).await.unwrap();
    for id in submitted_claims(&store, &city, q.id).await {
        store.scoped(&city).return_review(id, "材料不全".into()).await.unwrap();
    }
    let t = now(store.clone(), city.clone()).await;
    assert_eq!(ids(&t.get("jinshui", MeasureKind::NewSignedMajor).unwrap().counted), [p.id]);
    assert_eq!(ids(&t.get("jinshui", MeasureKind::FundsDomestic).unwrap().counted), [e.id]);
    assert!(!ids(&t.get("jinshui", MeasureKind::FundsDomestic).unwrap().counted).contains(&back.id));

    // outside the period, below 1亿元, or soft-deleted: not counted
    let small = created(&store, &city, project("金水小项目", "jinshui", "9999.99")).await;
    store.scoped(&city).transition_project(small.id, to(Stage::Signed, "2025-03-01")).await.unwrap();
    let early = created(&store, &city, project("金水去年", "jinshui", "20000")).await;
    store.scoped(&city).transition_project(early.id, to(Stage::Signed, "2024-12-31")).await.unwrap();
    let gone = created(&store, &city, project("金水已删", "jinshui", "20000")).await;
    store.scoped(&city).transition_project(gone.id, to(Stage::Signed, "2025-03-01")).await.unwrap();
    store.scoped(&city).add_funds(gone.id, domestic_funds("2025-04-01", "900")).await.unwrap();
    let t = now(store.clone(), city.clone()).await;
    assert_eq!(ids(&t.get("jinshui", MeasureKind::NewSignedMajor).unwrap().counted), [p.id, gone.id]);
    store.scoped(&city).delete_project(gone.id).await.unwrap();
    let t = now(store.clone(), city.clone()).await;
    assert_eq!(ids(&t.get("jinshui", MeasureKind::NewSignedMajor).unwrap().counted), [p.id]);
    assert_eq!(value(&t, "jinshui", MeasureKind::FundsDomestic), dec("300"));
});

db_test!(a_child_units_records_count_for_its_parent_and_scope_decides_who_reads, |store| {
    // the unit tree's districts are children of the city (郑州市): assessing the city counts them
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let eq = actor(&store, Role::UnitStaff, "erqi");
    let a = created(&store, &city, project("金水签约", "jinshui", "20000")).await;
    let b = created(&store, &city, project("二七签约", "erqi", "20000")).await;
    for p in [a.id, b.id] {
        store.scoped(&city).transition_project(p, to(Stage::Signed, "2025-05-01")).await.unwrap();
    }
    let ask = input(&["zhengzhou", "jinshui", "erqi"], &[MeasureKind::NewSignedMajor]);
    let t = store.scoped(&city).assessment_measures(&ask).await.unwrap();
    assert_eq!(ids(&t.get("zhengzhou", MeasureKind::NewSignedMajor).unwrap().counted), [a.id, b.id]);
    assert_eq!(ids(&t.get("jinshui", MeasureKind::NewSignedMajor).unwrap().counted), [a.id]);
    assert_eq!(ids(&t.get("erqi", MeasureKind::NewSignedMajor).unwrap().counted), [b.id]);
    let Counted::Projects(rows) = &t.get("zhengzhou", MeasureKind::NewSignedMajor).unwrap().counted else { panic!() };
    assert_eq!(
        rows.iter().map(|r| (r.unit.as_str(), r.code.as_str(), r.date)).collect::<Vec<_>>(),
        [("jinshui", a.code.as_str(), d("2025-05-01")), ("erqi", b.code.as_str(), d("2025-05-01"))]
    );

    // a unit user reads its own unit's drill-down, never another's nor the city's
    let mine =
        store.scoped(&js).assessment_measures(&input(&["jinshui"], &[MeasureKind::NewSignedMajor])).await.unwrap();
    assert_eq!(ids(&mine.get("jinshui", MeasureKind::NewSignedMajor).unwrap().counted), [a.id]);
    for other in [["erqi"], ["zhengzhou"]] {
        let e = store.scoped(&js).assessment_measures(&input(&other, &[MeasureKind::NewSignedMajor])).await;
        assert!(matches!(e, Err(StoreError::Forbidden)), "{other:?}: {e:?}");
    }
    let dept = actor(&store, Role::DeptStaff, "shangwu");
    let e = store.scoped(&dept).assessment_measures(&input(&["jinshui"], &[MeasureKind::NewSignedMajor])).await;
    assert!(matches!(e, Err(StoreError::Forbidden)), "{e:?}");

    // a run over every unit: the city and the supervisor, never a unit user or a leader
    let scheme = Scheme::parse(&worked_example()).unwrap();
    for who in [&js, &eq, &actor(&store, Role::Leader, "jinshui"), &actor(&store, Role::Leader, "zhengzhou")] {
        let e = store.scoped(who).run_assessment(&scheme, &BTreeMap::new(), &[]).await;
        assert!(matches!(e, Err(StoreError::Forbidden)), "{}: {e:?}", who.username);
    }
    let sup = actor(&store, Role::Supervisor, "zhengzhou");
    let run = store.scoped(&sup).run_assessment(&scheme, &BTreeMap::new(), &[]).await.unwrap();
    assert_eq!(run.assessment.results.len(), 3);
    // an unknown unit and a reversed period are refused by name
    let e = store.scoped(&city).assessment_measures(&input(&["nowhere"], &[MeasureKind::NewSignedMajor])).await;
    assert!(matches!(&e, Err(StoreError::Validation(f)) if f[0].field == "units"), "{e:?}");
    let back = AssessmentInput { from: d("2025-12-31"), to: d("2025-01-01"), ..input(&["jinshui"], &[]) };
    assert!(matches!(store.scoped(&city).assessment_measures(&back).await, Err(StoreError::Validation(_))));
});

db_test!(fulfilment_and_problem_resolution_rates_with_the_records_counted, |store| {
    use domain::{AgreementKind, ClauseStatus, Obligor};
    use store::agreements::{ClausePatch, NewAgreement, NewClause};
    use store::problems::{NewProblem, ProblemEdit};
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let p = created(&store, &js, project("金水合同项目", "jinshui", "60000")).await;
    let clause = |number: &str, due: &str| NewClause {
        number: number.into(),
        text: format!("第{number}条"),
        obligor: Obligor::Investor,
        due_amount: None,
        due_area: None,
        due_on: Some(d(due)),
        status: ClauseStatus::InProgress,
        note: None,
    };
    let new = NewAgreement {
        kind: AgreementKind::Contract,
        title: "投资合同".into(),
        signed_on: None,
        parties: vec!["郑州市金水区人民政府".into(), "某投资公司".into()],
        amount: None,
        clauses: vec![
            clause("1", "2025-03-31"),
            clause("2", "2025-06-30"),
            clause("3", "2025-09-30"),
            clause("4", "2025-12-31"),
            clause("5", "2026-03-01"),
        ],
    };
    let a = store.scoped(&js).create_agreement(p.id, new, d("2025-01-01")).await.unwrap();
    let c: Vec<(i64, i32)> = a.clauses.iter().map(|c| (c.id, c.version)).collect();
    let settle = |status, on: &str, (id, version): (i64, i32)| {
        let patch = ClausePatch { status, status_on: Some(d(on)), note: None, version };
        let (store, js) = (store.clone(), js.clone());
        async move { store.scoped(&js).update_clause(id, patch, d("2026-02-01")).await.unwrap() }
    };
    settle(ClauseStatus::Fulfilled, "2025-03-20", c[0]).await;
    settle(ClauseStatus::Waived, "2025-07-10", c[1]).await; // late, but waived by `to`
    settle(ClauseStatus::Fulfilled, "2026-01-15", c[3]).await; // after `to`: open as of `to`

    let raise =
        |title: &str, due: &str| NewProblem { title: title.into(), detail: None, assignee: None, due_on: Some(d(due)) };
    let s = store.scoped(&js);
    let p1 = s.add_problem(p.id, raise("用地指标", "2025-03-31"), d("2025-01-01")).await.unwrap();
    let p2 = s.add_problem(p.id, raise("环评审批", "2025-06-30"), d("2025-01-01")).await.unwrap();
    let p3 = s.add_problem(p.id, raise("用电增容", "2025-09-30"), d("2025-01-01")).await.unwrap();
    s.add_problem(p.id, raise("明年的问题", "2026-02-01"), d("2025-01-01")).await.unwrap();
    let resolve = |version| ProblemEdit {
        status: Some(domain::ProblemStatus::Resolved),
        resolution: Some("已解决".into()),
        version,
    };
    s.edit_problem(p1.id, resolve(p1.version), d("2025-03-30")).await.unwrap();
    s.edit_problem(p2.id, resolve(p2.version), d("2025-07-05")).await.unwrap(); // after its due date

    let ask = input(&["jinshui", "erqi"], &[MeasureKind::FulfilmentRate, MeasureKind::ProblemResolutionRate]);
    let t = store.scoped(&city).assessment_measures(&ask).await.unwrap();
    let f = t.get("jinshui", MeasureKind::FulfilmentRate).unwrap();
    assert_eq!((f.met, f.due, f.value), (Some(2), Some(4), dec("0.5")));
    let Counted::Clauses(rows) = &f.counted else { panic!("clauses") };
    let got: Vec<(i64, bool, &str)> = rows.iter().map(|r| (r.id, r.met, r.status.as_str())).collect();
    assert_eq!(
        got,
        [
            (c[0].0, true, "fulfilled"),
            (c[1].0, true, "waived"),
            (c[2].0, false, "in_progress"),
            (c[3].0, false, "in_progress")
        ]
    );
    let none = t.get("erqi", MeasureKind::FulfilmentRate).unwrap();
    assert_eq!((none.value, none.met, none.counted.len()), (Decimal::ONE, None, 0), "nothing due: 1");

    let r = t.get("jinshui", MeasureKind::ProblemResolutionRate).unwrap();
    assert_eq!((r.met, r.due), (Some(1), Some(3)));
    assert_eq!(r.value, Decimal::ONE / Decimal::from(3));
    let Counted::Problems(rows) = &r.counted else { panic!("problems") };
    let got: Vec<(i64, bool)> = rows.iter().map(|r| (r.id, r.met)).collect();
    assert_eq!(got, [(p1.id, true), (p2.id, false), (p3.id, false)]);
    assert_eq!(t.get("erqi", MeasureKind::ProblemResolutionRate).unwrap().value, Decimal::ONE);

    // as of the end of 2025: nothing made after it counts (every clause and problem was
    // made today); backdated, a clause settled but changed after the day is still open then
    let then = AssessmentInput { as_of: Some(d("2025-12-31")), ..ask.clone() };
    let t = store.scoped(&city).assessment_measures(&then).await.unwrap();
    let f = t.get("jinshui", MeasureKind::FulfilmentRate).unwrap();
    assert_eq!((f.value, f.met, f.counted.len()), (Decimal::ONE, None, 0), "no clause existed then");
    let r = t.get("jinshui", MeasureKind::ProblemResolutionRate).unwrap();
    assert_eq!((r.value, r.counted.len()), (Decimal::ONE, 0), "no problem existed then");
    let long_ago = format!("created_at = {LONG_AGO}");
    backdate(&store, &format!("UPDATE clauses SET {long_ago} WHERE agreement_id = {{id}}"), a.id).await;
    backdate(&store, &format!("UPDATE clauses SET updated_at = {LONG_AGO} WHERE id = {{id}}"), c[0].0).await;
    backdate(&store, &format!("UPDATE problems SET {long_ago} WHERE project_id = {{id}}"), p.id).await;
    backdate(&store, &format!("UPDATE problems SET updated_at = {LONG_AGO} WHERE id = {{id}}"), p1.id).await;
    let t = store.scoped(&city).assessment_measures(&then).await.unwrap();
    let f = t.get("jinshui", MeasureKind::FulfilmentRate).unwrap();
    assert_eq!((f.met, f.due), (Some(1), Some(4)), "the waiver was recorded after the day");
    let Counted::Clauses(rows) = &f.counted else { panic!("clauses") };
    assert_eq!(rows.iter().map(|r| (r.id, r.met)).collect::<Vec<_>>()[..2], [(c[0].0, true), (c[1].0, false)]);
    let r = t.get("jinshui", MeasureKind::ProblemResolutionRate).unwrap();
    assert_eq!((r.met, r.due), (Some(1), Some(3)));
    // without the day: as they stand
    let t = store.scoped(&city).assessment_measures(&ask).await.unwrap();
    assert_eq!(t.get("jinshui", MeasureKind::FulfilmentRate).unwrap().met, Some(2));
});

db_test!(foreign_and_producing_measures_count_what_the_city_accepted, |store| {
    use domain::Category;
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let foreign = store::projects::ProjectInput {
        categories: vec![Category::Foreign],
        foreign_investment: Some(m("500")),
        ..project("金水外资", "jinshui", "3000")
    };
    let f = created(&store, &js, foreign).await;
    accepted(&store, &js, &city, f.id, to(Stage::Signed, "2025-02-01")).await;
    let usd = NewFunds { kind: "foreign".into(), ..domestic_funds("2025-03-01", "120.5") };
    let e = store.scoped(&js).add_funds(f.id, usd).await.unwrap();
    store.scoped(&js).add_funds(f.id, domestic_funds("2025-03-01", "77")).await.unwrap(); // domestic: not foreign funds
    accept_all(&store, &city, f.id).await;
    let big = created(&store, &js, project("金水投产", "jinshui", "10000")).await;
    accepted(&store, &js, &city, big.id, to(Stage::Signed, "2024-02-01")).await;
    accepted(&store, &js, &city, big.id, start("2024-06-01", "2024-03-01")).await;
    store.scoped(&js).transition_project(big.id, to(Stage::Producing, "2025-09-01")).await.unwrap();

    let ask = input(
        &["jinshui"],
        &[
            MeasureKind::ForeignSigned,
            MeasureKind::FundsForeign,
            MeasureKind::NewProducingMajor,
            MeasureKind::StartRate,
        ],
    );
    let t = store.scoped(&city).assessment_measures(&ask).await.unwrap();
    assert_eq!(ids(&t.get("jinshui", MeasureKind::ForeignSigned).unwrap().counted), [f.id]);
    assert_eq!(ids(&t.get("jinshui", MeasureKind::FundsForeign).unwrap().counted), [e.id]);
    assert_eq!(value(&t, "jinshui", MeasureKind::FundsForeign), dec("120.5"));
    assert!(t.get("jinshui", MeasureKind::NewProducingMajor).unwrap().counted.is_empty(), "the claim waits");
    // signed in [from − 1 year, to]: both, one started
    let rate = t.get("jinshui", MeasureKind::StartRate).unwrap();
    assert_eq!((rate.met, rate.due, ids(&rate.counted)), (Some(1), Some(2), vec![f.id, big.id]));
    accept_all(&store, &city, big.id).await;
    let t = store.scoped(&city).assessment_measures(&ask).await.unwrap();
    assert_eq!(ids(&t.get("jinshui", MeasureKind::NewProducingMajor).unwrap().counted), [big.id]);
    // the order asked is the order answered
    let order: Vec<MeasureKind> = t.units[0].measures.iter().map(|m| m.measure).collect();
    assert_eq!(order, ask.measures);
});

db_test!(manual_measures_are_an_input_and_a_missing_one_is_named, |store| {
    use domain::assessment::{Measure, defaults};
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let scheme = defaults::business_environment();
    let units: Vec<String> = store.unit_tree().all().iter().filter(|u| u.assessed).map(|u| u.code.clone()).collect();
    let satisfaction = Measure::parse("manual:satisfaction").unwrap();
    let days = Measure::parse("manual:approval_days").unwrap();
    let mut manual: store::assessment::ManualMeasures = units
        .iter()
        .map(|u| {
            let d = if u == "jinshui" { "20" } else { "10" };
            (u.clone(), BTreeMap::from([(satisfaction.clone(), dec("0.9")), (days.clone(), dec(d))]))
        })
        .collect();
    let run = store.scoped(&city).run_assessment(&scheme, &manual, &[]).await.unwrap();
    assert_eq!(run.assessment.results.len(), units.len());
    for r in &run.assessment.results {
        // no problem due: 40; satisfaction 0.9 × 30 = 27; days: 30 × best / own
        let expect = if r.unit.code == "jinshui" { "82.00" } else { "97.00" };
        assert_eq!(r.total.to_string(), expect, "{}", r.unit.code);
    }
    manual.get_mut("erqi").unwrap().remove(&days);
    let e = store.scoped(&city).run_assessment(&scheme, &manual, &[]).await.unwrap_err();
    let StoreError::Validation(f) = e else { panic!("{e:?}") };
    assert!(f.iter().any(|f| f.field == "scheme" && f.message.contains("erqi")), "{f:?}");
});

/// Backdates a record (the tests cannot wait for a day to pass): `sql` with `{id}`.
async fn backdate(store: &Store, sql: &str, id: i64) {
    use sea_orm::ConnectionTrait;
    store.db().execute_unprepared(&sql.replace("{id}", &id.to_string())).await.unwrap();
}

const LONG_AGO: &str = "'2025-01-01T00:00:00+00:00'";

db_test!(as_of_a_day_counts_only_what_was_accepted_and_made_by_its_end, |store| {
    let city = actor(&store, Role::CityAdmin, "shangwu");
    let js = actor(&store, Role::UnitStaff, "jinshui");
    let measures = [MeasureKind::NewSignedMajor, MeasureKind::NewStartedMajor, MeasureKind::FundsDomestic];
    let at = |store: Store, city: Actor, as_of: Option<chrono::NaiveDate>| async move {
        let ask = AssessmentInput { as_of, ..input(&["jinshui"], &measures) };
        store.scoped(&city).assessment_measures(&ask).await.unwrap()
    };
    let end_of_2025 = Some(d("2025-12-31"));

    // two projects signed in 2025 and their entries, all accepted today; the first's
    // acceptances (and the project itself) backdated into 2025
    let early = created(&store, &js, project("金水早审", "jinshui", "20000")).await;
    let late = created(&store, &js, project("金水晚审", "jinshui", "20000")).await;
    let mut entries = vec![];
    for p in [early.id, late.id] {
        store.scoped(&js).transition_project(p, to(Stage::Signed, "2025-03-01")).await.unwrap();
        entries.push(store.scoped(&js).add_funds(p, domestic_funds("2025-04-01", "100")).await.unwrap().id);
        accept_all(&store, &city, p).await;
    }
    for p in [early.id, late.id] {
        backdate(&store, &format!("UPDATE projects SET created_at = {LONG_AGO} WHERE id = {{id}}"), p).await;
    }
    backdate(&store, "UPDATE reviews SET accepted_on = '2025-05-01' WHERE project_id = {id}", early.id).await;

    let now = at(store.clone(), city.clone(), None).await;
    assert_eq!(ids(&now.get("jinshui", MeasureKind::NewSignedMajor).unwrap().counted), [early.id, late.id]);
    assert_eq!(ids(&now.get("jinshui", MeasureKind::FundsDomestic).unwrap().counted), entries);
    let then = at(store.clone(), city.clone(), end_of_2025).await;
    assert_eq!(
        ids(&then.get("jinshui", MeasureKind::NewSignedMajor).unwrap().counted),
        [early.id],
        "a signing accepted after the day does not count as of it"
    );
    assert_eq!(
        ids(&then.get("jinshui", MeasureKind::FundsDomestic).unwrap().counted),
        [entries[0]],
        "an entry accepted after the day does not count as of it"
    );
    assert_eq!(value(&then, "jinshui", MeasureKind::FundsDomestic), dec("100"));
    assert_eq!(value(&now, "jinshui", MeasureKind::FundsDomestic), dec("200"));

    // a start accepted today: counts now, not as of the end of 2025
    store.scoped(&js).transition_project(early.id, start("2025-06-01", "2025-05-01")).await.unwrap();
    accept_all(&store, &city, early.id).await;
    assert_eq!(
        ids(&at(store.clone(), city.clone(), None).await.get("jinshui", MeasureKind::NewStartedMajor).unwrap().counted),
        [early.id]
    );
    let then = at(store.clone(), city.clone(), end_of_2025).await;
    assert!(then.get("jinshui", MeasureKind::NewStartedMajor).unwrap().counted.is_empty());
    assert_eq!(ids(&then.get("jinshui", MeasureKind::NewSignedMajor).unwrap().counted), [early.id]);

    // the city's own records, accepted as they are made (today): nothing made after the day counts
    let own = created(&store, &city, project("金水市级录入", "jinshui", "20000")).await;
    store.scoped(&city).transition_project(own.id, to(Stage::Signed, "2025-03-01")).await.unwrap();
    let entry = store.scoped(&city).add_funds(early.id, domestic_funds("2025-08-01", "50")).await.unwrap();
    let now = at(store.clone(), city.clone(), None).await;
    assert!(ids(&now.get("jinshui", MeasureKind::NewSignedMajor).unwrap().counted).contains(&own.id));
    assert!(ids(&now.get("jinshui", MeasureKind::FundsDomestic).unwrap().counted).contains(&entry.id));
    let then = at(store.clone(), city.clone(), end_of_2025).await;
    assert_eq!(ids(&then.get("jinshui", MeasureKind::NewSignedMajor).unwrap().counted), [early.id]);
    assert_eq!(ids(&then.get("jinshui", MeasureKind::FundsDomestic).unwrap().counted), [entries[0]]);
    // as of today everything made so far counts, as without a day
    let today_t = at(store.clone(), city.clone(), Some(domain::today_shanghai())).await;
    for m in measures {
        assert_eq!(
            ids(&today_t.get("jinshui", m).unwrap().counted),
            ids(&now.get("jinshui", m).unwrap().counted),
            "{m:?}"
        );
    }

    // the run: as of the day, through run_assessment_as_of
    let scheme = Scheme::parse(&worked_example()).unwrap();
    let run = store.scoped(&city).run_assessment_as_of(&scheme, &BTreeMap::new(), &[], Some(d("2025-12-31"))).await;
    let run = run.unwrap();
    let js_funds = run.measures.get("jinshui", MeasureKind::FundsDomestic).unwrap();
    assert_eq!(js_funds.value, dec("100"));
    let run = store.scoped(&city).run_assessment(&scheme, &BTreeMap::new(), &[]).await.unwrap();
    assert_eq!(run.measures.get("jinshui", MeasureKind::FundsDomestic).unwrap().value, dec("250"));
});
