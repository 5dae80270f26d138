//! The assessment benchmark (issue 13): the annual scheme over 100,000 projects and
//! 1,000,000 funds entries on SQLite, against one hand-written SQL aggregate of the same
//! accepted funds per unit, timed in the same process and run.
//!
//! `cargo run --release -p store --features testing --example bench_assessment [-- --projects N --funds N --runs N --db PATH]`
//! (or `scripts/bench-assessment`). Makes its own data in a fresh SQLite file migrated by the
//! store (multi-row INSERTs in one transaction; not timed), then times
//! `run_assessment(annual)` — the full run with every drill-down record — and the aggregate,
//! each several times, and prints a Markdown report. Exits 1 when the run's median is ≥ 2 s
//! or more than 3× the aggregate's median.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use domain::assessment::defaults;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement, TransactionTrait};
use store::assessment::ManualMeasures;
use store::{Actor, Store, StoreConfig};

struct Args {
    projects: usize,
    funds: usize,
    runs: usize,
    db: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut a = Args { projects: 100_000, funds: 1_000_000, runs: 7, db: None };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().ok_or_else(|| format!("{k} needs a value"))?;
        let n = || v.parse::<usize>().map_err(|e| format!("{k} {v}: {e}"));
        match k.as_str() {
            "--projects" => a.projects = n()?,
            "--funds" => a.funds = n()?,
            "--runs" => a.runs = n()?.max(1),
            "--db" => a.db = Some(v),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(a)
}

/// A small deterministic generator (xorshift64*), so every run makes the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// True with probability `pct` %.
    fn pct(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
}

/// Day `n` counted from 2024-01-01, as `'YYYY-MM-DD'`.
fn day(n: u64) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    format!("'{}'", base + chrono::Days::new(n))
}

/// Days from 2024-01-01 to 2025-01-01 and to 2027-01-01.
const D2025: u64 = 366;
const D2027: u64 = 1096;
const TS: &str = "'2025-01-01T00:00:00+00:00'";

/// Multi-row INSERTs of `rows` (each `(…)`), 500 a statement.
async fn insert<C: ConnectionTrait>(db: &C, head: &str, rows: &[String]) -> Result<(), sea_orm::DbErr> {
    for chunk in rows.chunks(500) {
        db.execute_unprepared(&format!("INSERT INTO {head} VALUES {}", chunk.join(","))).await?;
    }
    Ok(())
}

#[derive(Debug, FromQueryResult)]
struct Id {
    id: i64,
}

struct Sizes {
    units: usize,
    projects: usize,
    funds: usize,
    agreements: usize,
    clauses: usize,
    problems: usize,
    activities: usize,
    companies: usize,
}

async fn generate(store: &Store, a: &Args) -> Result<Sizes, Box<dyn std::error::Error>> {
    let mut rng = Rng(0x5EED_2026);
    let db = store.db();
    // three sub-units (园区) under each assessed unit
    let tree = store.unit_tree();
    let assessed: Vec<(i64, String)> =
        tree.all().iter().filter(|u| u.assessed).map(|u| (u.id, u.code.clone())).collect();
    let mut rows = vec![];
    for (i, (id, code)) in assessed.iter().enumerate() {
        for k in 1..=3 {
            rows.push(format!("('{code}_y{k}', '{code}第{k}园区', 'zone', {id}, false, {})", 1000 + i * 3 + k));
        }
    }
    insert(db, "units (code, name, kind, parent_id, assessed, sort)", &rows).await?;
    store.reload_units().await?;
    let tree = store.unit_tree();
    let mut unit_ids: Vec<i64> = vec![];
    for (id, _) in &assessed {
        unit_ids.extend(tree.subtree(*id));
    }
    let txn = db.begin().await?;

    // companies: one in four ranked (Fortune Global 500)
    let companies = 400;
    let rows: Vec<String> = (0..companies)
        .map(|i| {
            let rank = if i % 4 == 0 { format!("{}", i / 4 + 1) } else { "NULL".into() };
            format!("('基准公司{i}', 'CN', {rank}, false, 1, {TS}, {TS})")
        })
        .collect();
    insert(
        &txn,
        "companies (name, country, fortune_global_500_rank, industry_leader, version, created_at, updated_at)",
        &rows,
    )
    .await?;
    let first_company = Id::find_by_statement(Statement::from_string(
        DbBackend::Sqlite,
        "SELECT MIN(id) AS id FROM companies WHERE name LIKE '基准公司%'",
    ))
    .one(&txn)
    .await?
    .map_or(1, |r| r.id);

    // projects: signed over mid-2024..2026, 55 % of them started, a third of those producing;
    // 15 % with a claim waiting or returned (the claimed stage's date does not count)
    let mut rows = Vec::with_capacity(a.projects);
    for i in 0..a.projects {
        let unit = unit_ids[rng.below(unit_ids.len() as u64) as usize];
        let total = if rng.pct(30) { 10_000 + rng.below(200_000) } else { 100 + rng.below(9_900) } * 100;
        let cats = if rng.pct(10) { ",foreign," } else { "" };
        let (mut signed, mut started, mut producing) = ("NULL".to_string(), "NULL".to_string(), "NULL".to_string());
        let mut reached: Vec<&str> = vec!["negotiating"];
        if rng.pct(75) {
            let s = 180 + rng.below(D2027 - 180);
            signed = day(s);
            reached.push("signed");
            if rng.pct(55) && s + 30 < D2027 {
                let t = s + 30 + rng.below(D2027 - s - 30);
                started = day(t);
                reached.push("started");
                if rng.pct(33) && t + 30 < D2027 {
                    producing = day(t + 30 + rng.below(D2027 - t - 30));
                    reached.push("producing");
                }
            }
        }
        let stage = if rng.pct(2) { "terminated" } else { reached[reached.len() - 1] };
        let (accepted, review) = if stage != "terminated" && reached.len() > 1 && rng.pct(15) {
            (reached[reached.len() - 2], if rng.pct(70) { "submitted" } else { "returned" })
        } else {
            (stage, "accepted")
        };
        rows.push(format!(
            "('BENCH{i:06}', '基准项目{i}', {unit}, 'electronics', 'domestic', '{cats}', {total}, '{stage}', \
             '{accepted}', '{review}', {signed}, {started}, {producing}, false, false, '基准项目{i}', 1, {TS}, {TS})"
        ));
    }
    insert(
        &txn,
        "projects (code, name, unit_id, industry, region, categories, total_investment, stage, accepted_stage, \
         review_state, signed_on, started_on, producing_on, city_reportable, key_project, search_text, version, \
         created_at, updated_at)",
        &rows,
    )
    .await?;
    drop(rows);
    let first_project = Id::find_by_statement(Statement::from_string(
        DbBackend::Sqlite,
        "SELECT MIN(id) AS id FROM projects WHERE code LIKE 'BENCH%'",
    ))
    .one(&txn)
    .await?
    .map_or(1, |r| r.id);
    let project = |rng: &mut Rng| first_project + rng.below(a.projects as u64) as i64;

    // funds entries over 2025–2026: 3/4 domestic, 90 % accepted, 7 % waiting, 3 % returned,
    // 1 % soft-deleted
    let mut rows = Vec::with_capacity(a.funds);
    for _ in 0..a.funds {
        let p = project(&mut rng);
        let kind = if rng.pct(75) { "domestic_out_of_province" } else { "foreign" };
        let r = rng.below(100);
        let state = if r < 90 {
            "accepted"
        } else if r < 97 {
            "submitted"
        } else {
            "returned"
        };
        let deleted = if rng.pct(1) { TS } else { "NULL" };
        let date = day(D2025 + rng.below(D2027 - D2025));
        let amount = 100 + rng.below(500_000);
        rows.push(format!("({p}, {date}, '{kind}', {amount}, '{state}', {TS}, {deleted})"));
    }
    insert(&txn, "funds_entries (project_id, date, kind, amount, review_state, created_at, deleted_at)", &rows).await?;
    drop(rows);

    // agreements for one project in five, three clauses each, due over 2025–2026
    let agreements = a.projects / 5;
    let rows: Vec<String> = (0..agreements)
        .map(|i| {
            let p = first_project + (i * 5) as i64;
            format!("({p}, 'contract', '基准协议{i}', '[]', 1, {TS}, {TS})")
        })
        .collect();
    insert(&txn, "agreements (project_id, kind, title, parties, version, created_at, updated_at)", &rows).await?;
    let first_agreement = Id::find_by_statement(Statement::from_string(
        DbBackend::Sqlite,
        "SELECT MIN(id) AS id FROM agreements WHERE title LIKE '基准协议%'",
    ))
    .one(&txn)
    .await?
    .map_or(1, |r| r.id);
    let mut rows = vec![];
    for i in 0..agreements {
        for n in 1..=3 {
            let due = D2025 + rng.below(D2027 - D2025);
            let (status, on) = match rng.below(10) {
                0..=4 => ("fulfilled", day(due.saturating_sub(30) + rng.below(90))),
                5 => ("waived", day(due)),
                6 => ("breached", day(due + 1)),
                7 => ("in_progress", "NULL".into()),
                _ => ("pending", "NULL".into()),
            };
            let (agreement, p) = (first_agreement + i as i64, first_project + (i * 5) as i64);
            rows.push(format!(
                "({agreement}, {p}, '第{n}条', '条款', 'investor', {}, '{status}', {on}, 1, {TS}, {TS})",
                day(due)
            ));
        }
    }
    let clauses = rows.len();
    insert(
        &txn,
        "clauses (agreement_id, project_id, number, text, obligor, due_on, status, status_on, version, created_at, updated_at)",
        &rows,
    )
    .await?;

    // problems of one project in four, due over 2025–2026
    let problems = a.projects / 4;
    let dept = tree.find("ziranziyuan").map_or(1, |u| u.id);
    let rows: Vec<String> = (0..problems)
        .map(|i| {
            let p = first_project + (i * 4) as i64;
            let due = D2025 + rng.below(D2027 - D2025);
            let (status, resolved) = match rng.below(10) {
                0..=5 => ("resolved", day(due.saturating_sub(20) + rng.below(40))),
                6..=7 => ("in_progress", "NULL".into()),
                _ => ("open", "NULL".into()),
            };
            format!("({p}, '基准问题{i}', {dept}, {}, '{status}', {resolved}, 'manual', 1, {TS}, {TS})", day(due))
        })
        .collect();
    insert(
        &txn,
        "problems (project_id, title, assignee_unit_id, due_on, status, resolved_on, source, version, created_at, updated_at)",
        &rows,
    )
    .await?;

    // activities of the assessed units over 2025–2026, half of them meeting two companies
    let activities = a.projects / 10;
    let kinds = ["leader_visit", "team_trip", "exchange", "talks", "promotion", "expo"];
    let levels = ["city_leader", "unit_chief", "unit_deputy", "staff"];
    let rows: Vec<String> = (0..activities)
        .map(|i| {
            let unit = unit_ids[rng.below(unit_ids.len() as u64) as usize];
            let kind = kinds[rng.below(kinds.len() as u64) as usize];
            let level = levels[rng.below(levels.len() as u64) as usize];
            let on = day(D2025 + rng.below(D2027 - D2025));
            format!("('基准活动{i}', '{kind}', {on}, {on}, 'pearl', '深圳', 'CN', {unit}, '{level}', 0, 1, {TS}, {TS})")
        })
        .collect();
    insert(
        &txn,
        "activities (title, kind, start_on, end_on, region, city, country, unit_id, leader_level, intentions, version, \
         created_at, updated_at)",
        &rows,
    )
    .await?;
    let first_activity = Id::find_by_statement(Statement::from_string(
        DbBackend::Sqlite,
        "SELECT MIN(id) AS id FROM activities WHERE title LIKE '基准活动%'",
    ))
    .one(&txn)
    .await?
    .map_or(1, |r| r.id);
    let mut rows = vec![];
    for i in (0..activities).step_by(2) {
        let c = rng.below(companies as u64 / 2) as i64 * 2;
        for k in [c, c + 1] {
            rows.push(format!("({}, {})", first_activity + i as i64, first_company + k));
        }
    }
    insert(&txn, "activity_companies (activity_id, company_id)", &rows).await?;
    txn.commit().await?;
    db.execute_unprepared("ANALYZE").await?;
    // the load was one transaction: move it from the WAL into the database file, as the
    // automatic checkpoint does for a server's everyday writes
    db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await?;
    Ok(Sizes {
        units: unit_ids.len(),
        projects: a.projects,
        funds: a.funds,
        agreements,
        clauses,
        problems,
        activities,
        companies,
    })
}

/// The hand-written aggregate: accepted, live domestic funds in 2026 per project unit.
const AGGREGATE: &str = "SELECT p.unit_id, SUM(f.amount) AS total FROM funds_entries f \
    JOIN projects p ON p.id = f.project_id \
    WHERE f.kind = 'domestic_out_of_province' AND f.review_state = 'accepted' AND f.deleted_at IS NULL \
    AND p.deleted_at IS NULL AND f.date BETWEEN '2026-01-01' AND '2026-12-31' GROUP BY p.unit_id";

#[derive(Debug, FromQueryResult)]
struct Sum {
    #[allow(dead_code)]
    unit_id: i64,
    total: i64,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn stats(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[0], v[v.len() / 2])
}

#[tokio::main]
async fn main() {
    if let Err(e) = real_main().await {
        eprintln!("bench_assessment: {e}");
        std::process::exit(2);
    }
}

async fn real_main() -> Result<(), Box<dyn std::error::Error>> {
    let a = args()?;
    let dir = tempfile::tempdir()?;
    let path = a.db.clone().unwrap_or_else(|| format!("{}/bench.db", dir.path().display()));
    let store = Store::open(&StoreConfig { url: format!("sqlite://{path}"), max_connections: 4 }).await?;
    eprintln!("[bench-assessment] generating {} projects, {} funds entries into {path}", a.projects, a.funds);
    let t = Instant::now();
    let sizes = generate(&store, &a).await?;
    let gen_secs = t.elapsed().as_secs_f64();
    let db_size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);

    let scheme = defaults::annual();
    let actor = Actor::system("bench:assessment");
    let manual = ManualMeasures::new();
    // one warm-up of each (the page cache), not counted
    let run = store.scoped(&actor).run_assessment(&scheme, &manual, &[]).await?;
    let sums: Vec<Sum> =
        Sum::find_by_statement(Statement::from_string(DbBackend::Sqlite, AGGREGATE)).all(store.db()).await?;
    // the aggregate and the run agree on the city's total
    let run_total: rust_decimal::Decimal = run
        .measures
        .units
        .iter()
        .flat_map(|u| u.measures.iter().filter(|m| m.measure == domain::assessment::MeasureKind::FundsDomestic))
        .map(|m| m.value)
        .sum();
    let agg_total = rust_decimal::Decimal::new(sums.iter().map(|s| s.total).sum::<i64>(), 2);
    if run_total != agg_total {
        return Err(format!("the run's funds_domestic ({run_total}) differs from the aggregate's ({agg_total})").into());
    }
    let records: usize = run.measures.units.iter().flat_map(|u| u.measures.iter()).map(|m| m.counted.len()).sum();
    drop(run);

    let (mut run_t, mut agg_t) = (vec![], vec![]);
    for _ in 0..a.runs {
        let t = Instant::now();
        let r = store.scoped(&actor).run_assessment(&scheme, &manual, &[]).await?;
        run_t.push(t.elapsed());
        drop(r);
        let t = Instant::now();
        let s: Vec<Sum> =
            Sum::find_by_statement(Statement::from_string(DbBackend::Sqlite, AGGREGATE)).all(store.db()).await?;
        agg_t.push(t.elapsed());
        drop(s);
    }
    let ((run_min, run_med), (agg_min, agg_med)) = (stats(run_t), stats(agg_t));
    let ratio = run_med.as_secs_f64() / agg_med.as_secs_f64();
    let pass_time = run_med < Duration::from_secs(2);
    let pass_ratio = ratio <= 3.0;

    let mut out = String::new();
    let _ = writeln!(out, "## Assessment run, annual scheme (SQLite, release) — issue 13\n");
    let _ = writeln!(
        out,
        "- data: {} projects over {} units (the 16 assessed units and their sub-units), {} funds entries, {} agreements with {} clauses, {} problems, {} activities, {} companies; generated in {gen_secs:.1} s (not timed); database {:.1} MiB",
        sizes.projects,
        sizes.units,
        sizes.funds,
        sizes.agreements,
        sizes.clauses,
        sizes.problems,
        sizes.activities,
        sizes.companies,
        db_size as f64 / 1048576.0
    );
    let _ = writeln!(out, "- the run counted {records} drill-down records (all measures, all units)");
    let _ = writeln!(out, "- {} timed runs of each after one warm-up; the store caches nothing of a run\n", a.runs);
    let _ = writeln!(out, "| what | min | median |\n|---|---:|---:|");
    let _ = writeln!(
        out,
        "| `run_assessment(annual)` (all measures, drill-down records) | {:.1} ms | {:.1} ms |",
        ms(run_min),
        ms(run_med)
    );
    let _ = writeln!(
        out,
        "| hand-written SQL aggregate (accepted domestic funds per unit) | {:.1} ms | {:.1} ms |",
        ms(agg_min),
        ms(agg_med)
    );
    let _ = writeln!(out, "\n- ratio (medians): {ratio:.2}×");
    let _ = writeln!(out, "- {} — run < 2 s: {:.1} ms", if pass_time { "PASS" } else { "FAIL" }, ms(run_med));
    let _ = writeln!(out, "- {} — run ≤ 3× the aggregate: {ratio:.2}×", if pass_ratio { "PASS" } else { "FAIL" });
    print!("{out}");
    if a.db.is_none() {
        drop(dir);
    }
    if !(pass_time && pass_ratio) {
        std::process::exit(1);
    }
    Ok(())
}
