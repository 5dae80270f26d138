//! Checks of the generated data against the reference tables and the domain
//! rules. The reference CSVs are read from the domain crate so that a code
//! renamed there breaks these tests rather than the demo.

use super::*;
use std::collections::{BTreeMap, HashMap};

use domain::monthly::Month;
use domain::{AgreementKind, ClauseStatus};

const UNITS_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../domain/reference/units.csv"));
const INDUSTRIES_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../domain/reference/industries.csv"));
const REGIONS_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../domain/reference/regions.csv"));
const CHANNELS_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../domain/reference/channels.csv"));

fn rows(csv: &str) -> Vec<Vec<&str>> {
    csv.lines().skip(1).filter(|l| !l.trim().is_empty()).map(|l| l.split(',').map(str::trim).collect()).collect()
}

fn assessed_units() -> Vec<String> {
    rows(UNITS_CSV).into_iter().filter(|r| r[4] == "true").map(|r| r[0].to_string()).collect()
}

fn all_industries() -> Vec<String> {
    rows(INDUSTRIES_CSV).into_iter().map(|r| r[0].to_string()).collect()
}

/// Codes nobody names as parent: the leaves, including childless top-level
/// codes such as `biomedicine`.
fn leaf_industries() -> Vec<String> {
    let rows = rows(INDUSTRIES_CSV);
    let parents: HashSet<&str> = rows.iter().map(|r| r[2]).filter(|p| !p.is_empty()).collect();
    rows.iter().map(|r| r[0]).filter(|c| !parents.contains(c)).map(str::to_string).collect()
}

/// region code → group ("domestic" | "foreign").
fn regions() -> HashMap<String, String> {
    rows(REGIONS_CSV).into_iter().map(|r| (r[0].to_string(), r[2].to_string())).collect()
}

fn channels() -> Vec<String> {
    rows(CHANNELS_CSV).into_iter().map(|r| r[0].to_string()).filter(|c| c != "none").collect()
}

const ACTIVE: [&str; 7] = ["reserve", "negotiating", "signed", "approved", "started", "producing", "at_capacity"];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 11, 27).unwrap()
}

fn standard() -> Dataset {
    generate(20_180_213, STANDARD_PROJECTS, today())
}

type Project = BulkProject;

/// A project's investors: indexes into `Dataset::companies`.
fn keys(p: &Project) -> Vec<usize> {
    p.input.investor_ids.iter().map(|&k| k as usize).collect()
}

fn created(p: &Project) -> NaiveDate {
    p.input.created_on.expect("a demo project has its first day")
}

/// An optional text the demo always fills.
fn text(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or_default()
}

fn final_stage(p: &Project) -> &str {
    p.transitions.last().map_or("reserve", |t| t.to.code())
}

fn date_of(p: &Project, stage: &str) -> Option<NaiveDate> {
    p.transitions.iter().find(|t| t.to.code() == stage).map(|t| t.date)
}

/// GB 32100-2015 check, written independently of the generator: values by
/// position in the alphabet string, weights 3^i mod 31.
fn credit_code_is_valid(code: &str) -> bool {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return false;
    }
    let Some(values) = chars.iter().map(|&c| ALPHABET.find(c)).collect::<Option<Vec<usize>>>() else {
        return false;
    };
    let mut weight = 1usize;
    let mut sum = 0usize;
    for v in &values[..17] {
        sum += v * weight;
        weight = weight * 3 % 31;
    }
    let check = (31 - sum % 31) % 31;
    values[17] == check
}

/// Every rule that must hold for any size and seed.
fn check_dataset(ds: &Dataset, today: NaiveDate) {
    let units: HashSet<String> = assessed_units().into_iter().collect();
    let industries: HashSet<String> = all_industries().into_iter().collect();
    let leaves: HashSet<String> = leaf_industries().into_iter().collect();
    let regions = regions();
    let channels: HashSet<String> = channels().into_iter().collect();
    let is_foreign = |region: &str| regions[region] == "foreign";
    let window_start = {
        let index = today.year() * 12 + today.month0() as i32 - 23;
        NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1).unwrap()
    };

    // Companies.
    let mut names = HashSet::new();
    let mut codes = HashSet::new();
    for c in &ds.companies {
        assert!(names.insert(c.name.as_str()), "duplicate company name {}", c.name);
        assert!(industries.contains(text(&c.industry)), "{}: industry {:?}", c.name, c.industry);
        assert!(regions.contains_key(text(&c.region)), "{}: region {:?}", c.name, c.region);
        assert!(!text(&c.hq_city).is_empty() && !c.country.is_empty());
        assert_eq!(c.country == "中国", !is_foreign(text(&c.region)), "{}: country vs region", c.name);
        if let Some(code) = &c.credit_code {
            assert!(credit_code_is_valid(code.as_str()), "{}: invalid credit code {code}", c.name);
            assert!(codes.insert(code.as_str()), "duplicate credit code {code}");
            assert_eq!(c.country, "中国", "only mainland companies have credit codes");
        }
        let ranked =
            c.fortune_global_500_rank.is_some() || c.china_500_rank.is_some() || c.china_private_500_rank.is_some();
        assert_eq!(ranked, c.rank_year.is_some(), "{}: rank year iff ranked", c.name);
        for rank in [c.fortune_global_500_rank, c.china_500_rank, c.china_private_500_rank].into_iter().flatten() {
            assert!((1..=500).contains(&rank));
        }
    }

    // Projects.
    let mut names_by_unit: HashMap<&str, HashSet<&str>> = HashMap::new();
    for p in &ds.projects {
        let id = &p.input.name;
        assert!(units.contains(&p.input.unit), "{id}: unit {}", p.input.unit);
        assert!(leaves.contains(&p.input.industry), "{id}: industry {} is not a leaf", p.input.industry);
        assert!(
            names_by_unit.entry(&p.input.unit).or_default().insert(&p.input.name),
            "{id}: duplicate in {}",
            p.input.unit
        );
        assert!(!p.input.name.is_empty() && !p.input.name.contains('{'));

        // Investors and origin.
        assert!(!keys(p).is_empty() && keys(p).len() <= 2);
        assert!(keys(p).iter().all(|&k| k < ds.companies.len()));
        assert_eq!(keys(p).iter().collect::<HashSet<_>>().len(), keys(p).len());
        let lead = &ds.companies[keys(p)[0]];
        assert_eq!(p.input.region, text(&lead.region), "{id}: region is the lead investor's");
        let any_foreign = keys(p).iter().any(|&k| is_foreign(text(&ds.companies[k].region)));
        assert_eq!(any_foreign, is_foreign(&p.input.region), "{id}: a foreign investor leads");
        assert_eq!(any_foreign, p.input.categories.iter().any(|c| c.code() == "foreign"), "{id}: foreign category");
        assert_eq!(
            any_foreign,
            p.input.foreign_investment.map(Money::hundredths).is_some(),
            "{id}: foreign investment"
        );
        if let Some(ch) = &p.input.channel {
            assert!(channels.contains(ch), "{id}: channel {ch}");
        }

        // Categories and amounts.
        let order = ["pillar", "targeted", "foreign", "headquarters"];
        let positions: Vec<usize> = p
            .input
            .categories
            .iter()
            .map(|c| order.iter().position(|o| *o == c.code()).expect("known category"))
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{id}: categories ordered and unique");
        let wan = p.input.total_investment.hundredths() / 100;
        assert!((800..=1_000_000).contains(&wan), "{id}: {wan} 万元");
        assert_eq!(p.input.categories.iter().any(|c| c.code() == "pillar"), wan >= 100_000, "{id}: pillar iff ≥ 10亿");
        if let Some(fi) = p.input.foreign_investment.map(Money::hundredths) {
            // At most the whole investment at 7.1 元/美元 (cents of 万美元).
            assert!(fi > 0 && fi * 71 <= p.input.total_investment.hundredths() * 10 + 71, "{id}: foreign {fi}");
        }
        if let Some(mu) = p.input.land_mu.map(Money::hundredths) {
            assert!((500..=600_000).contains(&mu), "{id}: land {mu}");
        }
        if let Some(leader) = &p.input.lead_leader {
            assert!(leader.contains('（') && leader.ends_with('）'), "{id}: leader {leader}");
        }

        // Transitions: forward along the pipeline; on_hold and terminated
        // only as the last step; dates never go backwards nor past today.
        assert!(created(p) <= today);
        assert!(created(p) >= today - chrono::Duration::days(1_200), "{id}: created {}", created(p));
        let mut current = "reserve";
        let mut last = created(p);
        for (k, t) in p.transitions.iter().enumerate() {
            let is_last = k + 1 == p.transitions.len();
            assert!(t.date >= last, "{id}: {} on {} before {last}", t.to, t.date);
            assert!(t.date <= today, "{id}: {} in the future", t.to);
            assert!(!text(&t.note).is_empty() && !text(&t.note).contains('{'), "{id}: note {:?}", t.note);
            match t.to.code() {
                "on_hold" => {
                    assert!(is_last, "{id}: on_hold is final here");
                    assert!(ACTIVE.contains(&current) && current != "reserve", "{id}: paused from {current}");
                    assert!(t.reason.is_none());
                }
                "terminated" => {
                    assert!(is_last, "{id}: terminated is final");
                    assert!(ACTIVE.contains(&current));
                    assert!(t.reason.as_ref().is_some_and(|r| !r.is_empty()), "{id}: termination reason");
                }
                to => {
                    let from = ACTIVE.iter().position(|s| *s == current).expect("active");
                    let next = ACTIVE.iter().position(|s| *s == to).unwrap_or_else(|| panic!("{id}: stage {to}"));
                    assert_eq!(next, from + 1, "{id}: {current} → {to}");
                    assert!(t.reason.is_none());
                }
            }
            current = t.to.code();
            last = t.date;
        }
        if let (Some(signed), Some(started)) = (date_of(p, "signed"), date_of(p, "started")) {
            let gap = (started - signed).num_days();
            assert!((60..=365).contains(&gap), "{id}: signed→started {gap} days");
        }

        // Expected production: always for started projects, never for
        // dropped ones or those not yet signed.
        let stage = final_stage(p);
        if stage == "started" {
            assert!(p.input.expected_producing_on.is_some(), "{id}: started without plan");
        }
        if stage == "terminated" || date_of(p, "signed").is_none() {
            assert!(p.input.expected_producing_on.is_none(), "{id}: plan before signing");
        }
        if let (Some(e), Some(started)) = (p.input.expected_producing_on, date_of(p, "started")) {
            assert!(e > started);
        }

        // Funds: signed or later, inside the 24-month window, one per month,
        // in the project's currency, never more than its investment.
        if !p.funds.is_empty() {
            let signed = date_of(p, "signed").unwrap_or_else(|| panic!("{id}: funds before signing"));
            assert_ne!(stage, "terminated");
            let end = date_of(p, "on_hold").unwrap_or(today);
            let (kind, base) = match p.input.foreign_investment.map(Money::hundredths) {
                Some(fi) => ("foreign", fi),
                None => ("domestic_out_of_province", p.input.total_investment.hundredths()),
            };
            if kind == "domestic_out_of_province" {
                assert_ne!(text(&lead.region), "henan", "{id}: 省外资金 from a Henan investor");
            }
            let mut sum = 0;
            for (k, f) in p.funds.iter().enumerate() {
                assert_eq!(f.kind, kind, "{id}: funds kind");
                assert!(f.amount.hundredths() > 0);
                assert!(f.date >= signed && f.date >= window_start && f.date <= end, "{id}: funds on {}", f.date);
                assert!(!text(&f.note).is_empty() && !text(&f.note).contains('{'));
                if k > 0 {
                    let prev = p.funds[k - 1].date;
                    assert!((prev.year(), prev.month()) < (f.date.year(), f.date.month()), "{id}: one entry a month");
                }
                sum += f.amount.hundredths();
            }
            assert!(sum <= base, "{id}: funds {sum} > {base}");
        }
    }
}

#[test]
fn standard_dataset_is_consistent() {
    check_dataset(&standard(), today());
}

#[test]
fn deterministic() {
    // The store's input types have no PartialEq; their Debug shows every field.
    let same = |a: &Dataset, b: &Dataset| format!("{a:?}") == format!("{b:?}");
    assert!(same(&standard(), &standard()));
    let other = generate(7, STANDARD_PROJECTS, today());
    assert_ne!(format!("{:?}", standard().projects), format!("{:?}", other.projects));
    assert!(same(&generate(7, 1_000, today()), &generate(7, 1_000, today())));
}

#[test]
fn consistent_for_other_seeds_sizes_and_days() {
    for (seed, n) in [(0, 0), (1, 1), (2, 5), (3, 16), (4, 100), (5, 360), (u64::MAX, 2_500)] {
        let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        let ds = generate(seed, n, day);
        assert_eq!(ds.projects.len(), n);
        assert_eq!(ds.companies.len(), 150 + n / 50);
        check_dataset(&ds, day);
    }
}

#[test]
fn company_counts_scale_slowly() {
    assert_eq!(company_count(STANDARD_PROJECTS), 157);
    assert_eq!(company_count(100_000), 2_150);
    assert_eq!(company_count(10_000_000), 5_000);
}

#[test]
fn covers_every_unit_with_the_big_ones_well_filled() {
    let ds = standard();
    let mut per_unit: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &ds.projects {
        *per_unit.entry(&p.input.unit).or_default() += 1;
    }
    for unit in assessed_units() {
        assert!(per_unit.get(unit.as_str()).copied().unwrap_or(0) > 0, "no project in {unit}");
    }
    assert_eq!(per_unit.len(), 16);
    assert!(per_unit["jinshui"] >= 15, "金水区 {}", per_unit["jinshui"]);
    assert!(per_unit["hangkonggang"] >= 15, "航空港区 {}", per_unit["hangkonggang"]);
}

#[test]
fn covers_every_industry_leaf() {
    let ds = standard();
    let used: HashSet<&str> = ds.projects.iter().map(|p| p.input.industry.as_str()).collect();
    for leaf in leaf_industries() {
        assert!(used.contains(leaf.as_str()), "no project in industry {leaf}");
    }
    assert!(used.contains("biomedicine") && used.contains("other"));
    // And the catalog knows exactly the leaves.
    let catalog: Vec<&str> = INDUSTRIES.iter().map(|i| i.code).collect();
    assert_eq!(catalog, leaf_industries());
}

#[test]
fn covers_every_stage_at_least_ten_times() {
    let ds = standard();
    let mut per_stage: HashMap<&str, usize> = HashMap::new();
    for p in &ds.projects {
        *per_stage.entry(final_stage(p)).or_default() += 1;
    }
    for stage in STAGES {
        let n = per_stage.get(stage.code()).copied().unwrap_or(0);
        assert!(n >= 10, "{stage}: {n}");
    }
    // Both pause and termination come from several stages.
    for last in ["on_hold", "terminated"] {
        let from: HashSet<&str> = ds
            .projects
            .iter()
            .filter(|p| final_stage(p) == last)
            .map(|p| p.transitions.iter().rev().nth(1).map_or("reserve", |t| t.to.code()))
            .collect();
        assert!(from.len() >= 3, "{last} from {from:?}");
    }
}

#[test]
fn covers_regions_and_channels() {
    let ds = standard();
    let used: HashSet<&str> = ds.projects.iter().map(|p| p.input.region.as_str()).collect();
    let regions = regions();
    for region in
        ["bohai", "yangtze", "pearl", "other_domestic", "henan", "europe_america", "japan_korea", "hk_macao_taiwan"]
    {
        assert!(used.contains(region), "no project from {region}");
    }
    let company_regions: HashSet<&str> = ds.companies.iter().map(|c| text(&c.region)).collect();
    for region in regions.keys() {
        assert!(company_regions.contains(region.as_str()), "no company from {region}");
    }
    let foreign = ds.projects.iter().filter(|p| p.input.foreign_investment.map(Money::hundredths).is_some()).count();
    assert!((20..=110).contains(&foreign), "{foreign} foreign projects");
    for channel in channels() {
        assert!(
            ds.projects.iter().filter(|p| p.input.channel.as_deref() == Some(channel.as_str())).count() >= 3,
            "{channel}"
        );
    }
    let with_channel = ds.projects.iter().filter(|p| p.input.channel.is_some()).count();
    assert!(with_channel * 100 / ds.projects.len() <= 40, "{with_channel} with a channel");
}

#[test]
fn amounts_are_realistic() {
    let ds = standard();
    let n = ds.projects.len();
    let wan = |p: &Project| p.input.total_investment.hundredths() / 100;
    let big = ds.projects.iter().filter(|p| wan(p) >= 50_000).count();
    let mid = ds.projects.iter().filter(|p| (5_000..50_000).contains(&wan(p))).count();
    let pillar = ds.projects.iter().filter(|p| p.input.categories.iter().any(|c| c.code() == "pillar")).count();
    assert!((n * 10 / 100..=n * 25 / 100).contains(&big), "{big} of {n} ≥ 5亿");
    assert!(mid * 2 >= n, "{mid} of {n} between 5,000 and 50,000 万元");
    assert!(pillar >= 10, "{pillar} pillar projects");
    for cat in ["targeted", "headquarters"] {
        let count = ds.projects.iter().filter(|p| p.input.categories.iter().any(|c| c.code() == cat)).count();
        assert!((5..n / 2).contains(&count), "{count} {cat}");
    }
    // Exact decimals exist, and land for most plants.
    assert!(ds.projects.iter().any(|p| p.input.total_investment.hundredths() % 100 != 0));
    assert!(ds.projects.iter().filter(|p| p.input.land_mu.map(Money::hundredths).is_some()).count() * 2 > n);
}

#[test]
fn signed_projects_stuck_and_started_projects_overdue() {
    let ds = standard();
    let day = today();
    let not_started: Vec<NaiveDate> = ds
        .projects
        .iter()
        .filter(|p| matches!(final_stage(p), "signed" | "approved"))
        .map(|p| date_of(p, "signed").unwrap())
        .collect();
    let older = |days: i64| not_started.iter().filter(|d| (day - **d).num_days() > days).count();
    assert!(older(180) >= 8, "{} signed > 180 days without start", older(180));
    assert!(older(365) >= 4, "{} signed > 365 days without start", older(365));
    assert!(not_started.iter().any(|d| (day - *d).num_days() < 180));

    let plans: Vec<NaiveDate> = ds
        .projects
        .iter()
        .filter(|p| final_stage(p) == "started")
        .filter_map(|p| p.input.expected_producing_on)
        .collect();
    let overdue = plans.iter().filter(|e| **e < day).count();
    let red = plans.iter().filter(|e| (day - **e).num_days() > 180).count();
    assert!(overdue >= 5 && red >= 2, "{overdue} overdue, {red} more than 180 days");
    assert!(plans.len() - overdue >= 5, "{} on schedule", plans.len() - overdue);
}

#[test]
fn dates_spread_over_three_years() {
    let ds = standard();
    let day = today();
    let mut years = [0usize; 4];
    for p in &ds.projects {
        for t in &p.transitions {
            years[((day - t.date).num_days() / 365).min(3) as usize] += 1;
        }
    }
    assert!(years[0] > 100 && years[1] > 50 && years[2] > 20, "{years:?}");
    let oldest = ds.projects.iter().map(created).min().unwrap();
    assert!((day - oldest).num_days() > 1_000, "oldest {oldest}");
}

#[test]
fn funds_follow_signing_and_currency() {
    let ds = standard();
    let with_funds: Vec<&Project> = ds.projects.iter().filter(|p| !p.funds.is_empty()).collect();
    assert!(with_funds.len() >= 80, "{} projects with funds", with_funds.len());
    assert!(with_funds.iter().any(|p| p.funds.iter().any(|f| f.kind == "foreign")));
    assert!(with_funds.iter().any(|p| p.funds.len() >= 20), "some long monthly series");
    for p in &ds.projects {
        if matches!(final_stage(p), "reserve" | "negotiating" | "terminated") {
            assert!(p.funds.is_empty(), "{}", p.input.name);
        }
    }
    // Producing projects have most of their money in.
    let producing_share: Vec<i64> = ds
        .projects
        .iter()
        .filter(|p| {
            final_stage(p) == "at_capacity"
                && p.input.foreign_investment.map(Money::hundredths).is_none()
                && !p.funds.is_empty()
        })
        .filter(|p| (today() - date_of(p, "signed").unwrap()).num_days() < 700)
        .map(|p| {
            p.funds.iter().map(|f| f.amount.hundredths()).sum::<i64>() * 100 / p.input.total_investment.hundredths()
        })
        .collect();
    assert!(producing_share.iter().all(|s| *s >= 30), "{producing_share:?}");
}

#[test]
fn names_are_varied_and_searchable() {
    let ds = standard();
    let n = ds.projects.len();
    for word in ["科技", "物流", "汽车", "智能", "产业园", "电子"] {
        let hits = ds.projects.iter().filter(|p| p.input.name.contains(word)).count();
        assert!(hits >= 3, "{word}: {hits}");
    }
    let starts_with_year = ds.projects.iter().filter(|p| p.input.name.starts_with("年产")).count();
    let real_named = ds
        .projects
        .iter()
        .filter(|p| {
            let key = keys(p)[0];
            ds.companies[key].rank_year.is_some() && p.input.name.contains(REAL_COMPANIES[key].short)
        })
        .count();
    assert!(starts_with_year >= 10 && starts_with_year < n / 3, "{starts_with_year} 年产 names");
    assert!(real_named >= 5, "{real_named} names carry a 500强 name");
    for p in &ds.projects {
        for word in ["科技科技", "电子电子", "汽车汽车", "物流物流"] {
            assert!(!p.input.name.contains(word), "{}", p.input.name);
        }
    }
    let distinct: HashSet<&str> = ds.projects.iter().map(|p| p.input.name.as_str()).collect();
    assert!(distinct.len() * 100 >= n * 97, "names repeat across units too often");
}

/// Issue 12 item 8: real 500强 names stay in the company library, but no invented
/// project names 苹果 (or another library-only company) as its investor or in its name.
#[test]
fn library_only_companies_invest_in_no_demo_project() {
    let ds = standard();
    let only: Vec<usize> = ds
        .companies
        .iter()
        .enumerate()
        .filter(|(_, c)| catalog::LIBRARY_ONLY.contains(&c.name.as_str()))
        .map(|(k, _)| k)
        .collect();
    assert_eq!(only.len(), catalog::LIBRARY_ONLY.len(), "every library-only name is in the catalog");
    for p in &ds.projects {
        assert!(keys(p).iter().all(|k| !only.contains(k)), "{}: {:?}", p.input.name, keys(p));
        for k in &only {
            assert!(!p.input.name.contains(REAL_COMPANIES[*k].short), "{}", p.input.name);
        }
    }
    // still courted: the 靶向库 and the library keep them
    assert!(ds.companies.iter().any(|c| c.name == "苹果公司" && c.fortune_global_500_rank == Some(7)));
}

#[test]
fn real_companies_carry_their_ranks() {
    let ds = standard();
    let find = |name: &str| ds.companies.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("{name}"));
    let byd = find("比亚迪股份有限公司");
    assert_eq!((byd.fortune_global_500_rank, byd.rank_year, text(&byd.region)), (Some(143), Some(2024), "pearl"));
    let foxconn = find("鸿海精密工业股份有限公司");
    assert_eq!(foxconn.fortune_global_500_rank, Some(32));
    assert_eq!((foxconn.country.as_str(), text(&foxconn.region)), ("中国台湾", "hk_macao_taiwan"));
    assert_eq!(find("苹果公司").fortune_global_500_rank, Some(7));
    assert_eq!(find("京东集团股份有限公司").china_private_500_rank, Some(1));
    let glp = find("普洛斯集团");
    assert!(glp.industry_leader && glp.rank_year.is_none());
    let ranked = ds.companies.iter().filter(|c| c.rank_year.is_some()).count();
    let global = ds.companies.iter().filter(|c| c.fortune_global_500_rank.is_some()).count();
    assert!(ranked >= 30 && global >= 25, "{ranked} ranked, {global} global 500");
    assert!(ds.companies.iter().filter(|c| c.industry_leader).count() >= 15);
    // Real companies have no made-up credit code; invented mainland ones all
    // have a valid one; foreign ones none.
    for c in &ds.companies[..REAL_COMPANIES.len()] {
        assert!(c.credit_code.is_none(), "{}", c.name);
    }
    for c in &ds.companies[REAL_COMPANIES.len()..] {
        assert_eq!(c.credit_code.is_some(), c.country == "中国", "{}", c.name);
    }
    // Every 500强 that may invest (not library-only) leads at least one project somewhere
    // in a bigger dataset.
    let big = generate(1, 3_000, today());
    let leading: HashSet<usize> = big.projects.iter().map(|p| keys(p)[0]).collect();
    let idle: Vec<&str> = big
        .companies
        .iter()
        .enumerate()
        .filter(|(key, c)| c.rank_year.is_some() && !leading.contains(key))
        .filter(|(_, c)| !catalog::LIBRARY_ONLY.contains(&c.name.as_str()))
        .map(|(_, c)| c.name.as_str())
        .collect();
    assert!(idle.len() <= 3, "{idle:?}");
}

#[test]
fn invented_companies_look_real() {
    let ds = standard();
    let invented = &ds.companies[REAL_COMPANIES.len()..];
    assert!(ds.companies.len() >= 150);
    let suffixes = ["有限公司", "公司", "株式会社"];
    for c in invented {
        assert!(suffixes.iter().any(|s| c.name.ends_with(s)), "{}", c.name);
        assert!(c.name.chars().count() >= 8, "{}", c.name);
    }
    let henan = invented.iter().filter(|c| text(&c.region) == "henan").count();
    let foreign = invented.iter().filter(|c| c.credit_code.is_none()).count();
    assert!(henan >= 15 && foreign >= 5, "{henan} Henan, {foreign} foreign");
    // Company industries cover every leaf, so every project finds a peer.
    let industries: HashSet<&str> = invented.iter().map(|c| text(&c.industry)).collect();
    assert_eq!(industries.len(), leaf_industries().len());
}

#[test]
fn credit_code_check_digit() {
    // The example of GB 32100-2015 itself, and the same with one digit off.
    assert!(credit_code_is_valid("91350100M000100Y43"));
    assert!(!credit_code_is_valid("91350100M000100Y42"));
    assert!(!credit_code_is_valid("91350100M000100Y4"));
    assert!(!credit_code_is_valid("91350100M000100I43"));
    // The domain's check (which the generator uses) agrees with the independent one.
    assert_eq!(domain::credit_code::check_char(b"91350100M000100Y4"), Some('3'));
    let mut rng = Rng::new(99);
    for _ in 0..10_000 {
        let code = credit_code(&mut rng, "410100");
        assert!(credit_code_is_valid(&code), "{code}");
        assert!(code.starts_with("91410100"));
    }
}

#[test]
fn investor_and_trade_word_join_once() {
    assert_eq!(with_investor("豫诚科技", "科技研发中心"), "豫诚科技研发中心");
    assert_eq!(with_investor("新宇汽车", "华中生产基地"), "新宇汽车华中生产基地");
    assert_eq!(with_investor("比亚迪", "动力电池"), "比亚迪动力电池");
}

#[test]
fn organisation_code_check_digit() {
    // GB 11714 example: 组织机构代码 D2143569-3 … computed by hand:
    // D=13: 13·3 + 2·7 + 1·9 + 4·10 + 3·5 + 5·8 + 6·4 + 9·2 = 199; 199 mod 11 = 1; 11 − 1 = 10 → X.
    assert_eq!(org_check_char(b"D2143569"), b'X');
    // 12345678: 3+14+27+40+25+48+28+16 = 201; 201 mod 11 = 3; 11 − 3 = 8.
    assert_eq!(org_check_char(b"12345678"), b'8');
}

#[test]
fn leaders_are_named_people_with_titles() {
    let ds = standard();
    let led: Vec<&str> = ds.projects.iter().filter_map(|p| p.input.lead_leader.as_deref()).collect();
    assert!(led.len() * 100 >= ds.projects.len() * 60, "{} led", led.len());
    assert!(led.len() < ds.projects.len());
    assert!(led.iter().any(|l| l.contains("郑州市")), "city leaders lead some projects");
    // A person keeps one title everywhere.
    let mut title_of: HashMap<&str, &str> = HashMap::new();
    for l in &led {
        let (name, title) = l.split_once('（').unwrap();
        assert!((2..=3).contains(&name.chars().count()), "{l}");
        assert_eq!(*title_of.entry(name).or_insert(title), title, "{name} has two titles");
    }
    // Unit leaders lead only in their unit.
    for p in &ds.projects {
        if let Some(l) = &p.input.lead_leader
            && !l.contains("郑州市")
        {
            let unit = UNITS.iter().find(|u| u.code == p.input.unit).unwrap();
            assert!(l.contains(unit.stem), "{l} leads in {}", p.input.unit);
        }
    }
}

#[test]
fn quota_deck_is_exact_and_covering() {
    let mut rng = Rng::new(1);
    let deck = quota_deck(&mut rng, &[1, 1, 98], 10);
    let mut counts = [0; 3];
    deck.iter().for_each(|&i| counts[i] += 1);
    assert_eq!(counts.iter().sum::<usize>(), 10);
    assert!(counts.iter().all(|&c| c >= 1), "{counts:?}");
    assert_eq!(quota_deck(&mut rng, &[3, 1], 0), Vec::<usize>::new());
    assert_eq!(quota_deck(&mut rng, &[3, 1], 1), vec![0]);
}

#[test]
fn large_dataset_is_consistent() {
    // how long generation takes is measured by the benches (BENCHMARKS.md), not here
    let n = 100_000;
    let ds = generate(42, n, today());
    assert_eq!(ds.projects.len(), n);
    assert_eq!(ds.companies.len(), 2_150);
    check_dataset(&ds, today());
    check_landing(&ds, today());
}

#[test]
fn coverage_holds_for_many_seeds() {
    // Units, stages and industries come from exact quotas, so they hold for
    // every seed; channels and regions are drawn, so check a spread of seeds.
    let day = today();
    let leaves = leaf_industries();
    for seed in 100..120 {
        let ds = generate(seed, STANDARD_PROJECTS, day);
        let count = |f: &dyn Fn(&Project) -> bool| ds.projects.iter().filter(|p| f(p)).count();
        for stage in STAGES {
            assert!(count(&|p| final_stage(p) == stage.code()) >= 10, "seed {seed}: {stage}");
        }
        for unit in assessed_units() {
            let min = if unit == "jinshui" || unit == "hangkonggang" { 15 } else { 1 };
            assert!(count(&|p| p.input.unit == unit) >= min, "seed {seed}: {unit}");
        }
        for leaf in &leaves {
            assert!(count(&|p| &p.input.industry == leaf) >= 1, "seed {seed}: {leaf}");
        }
        for channel in ["air", "land", "online"] {
            assert!(count(&|p| p.input.channel.as_deref() == Some(channel)) >= 1, "seed {seed}: {channel}");
        }
        for region in ["bohai", "yangtze", "pearl", "henan", "europe_america", "japan_korea", "hk_macao_taiwan"] {
            assert!(count(&|p| p.input.region == region) >= 1, "seed {seed}: {region}");
        }
        let big = count(&|p| p.input.total_investment.hundredths() >= 50_000 * 100);
        assert!((36..=90).contains(&big), "seed {seed}: {big} ≥ 5亿");
    }
}

/// Department tasks and problems: on existing projects, by departments that exist, dated
/// in order and not after today, closed ones with their reply or resolution.
fn check_work(ds: &Dataset, today: NaiveDate) {
    let departments: HashSet<String> =
        rows(UNITS_CSV).into_iter().filter(|r| r[2] == "department").map(|r| r[0].to_string()).collect();
    for t in &ds.tasks {
        assert!(t.project < ds.projects.len(), "{t:?}");
        assert!(departments.contains(&t.department), "{t:?}");
        assert!(t.assigned_on <= today && t.assigned_on <= t.due_on && t.assigned_on <= t.changed_on, "{t:?}");
        assert!(t.changed_on <= today, "{t:?}");
        assert!(["open", "in_progress", "done"].contains(&t.status.as_str()), "{t:?}");
        assert!(t.status != "done" || t.reply.is_some(), "a done task has its reply: {t:?}");
    }
    for p in &ds.problems {
        assert!(p.project < ds.projects.len(), "{p:?}");
        assert!(
            p.raised_on <= today && p.raised_on <= p.due_on && p.raised_on <= p.changed_on && p.changed_on <= today
        );
        assert!(["open", "in_progress", "resolved"].contains(&p.status.as_str()), "{p:?}");
        assert_eq!(p.status == "resolved", p.resolution.is_some(), "{p:?}");
        if let Some(d) = &p.assignee {
            let carries = ds.tasks.iter().any(|t| t.project == p.project && &t.department == d);
            assert!(carries, "a department assignee carries a task on the project: {p:?}");
        }
    }
}

#[test]
fn departments_have_inboxes_and_problems_are_open_resolved_and_overdue() {
    let ds = standard();
    check_work(&ds, today());
    let of = |d: &str| ds.tasks.iter().filter(|t| t.department == d).collect::<Vec<_>>();
    let ziranziyuan = of("ziranziyuan");
    assert!(ziranziyuan.len() >= 10, "ziranziyuan_staff's inbox: {}", ziranziyuan.len());
    assert!(ziranziyuan.iter().any(|t| t.status != "done"), "with open tasks");
    assert!(ziranziyuan.iter().any(|t| t.status == "done"), "and done ones");
    for d in ["fagai", "jianshe", "renshe"] {
        assert!(!of(d).is_empty(), "{d} has tasks");
    }
    let overdue = |p: &&Problem| p.status != "resolved" && p.due_on < today();
    let count = |s: &str| ds.problems.iter().filter(|p| p.status == s).count();
    assert!(count("resolved") >= 5 && count("open") + count("in_progress") >= 5, "{:?}", ds.problems.len());
    assert!(ds.problems.iter().filter(overdue).count() >= 3, "overdue problems for the supervisor");
    assert!(ds.problems.iter().any(|p| p.status != "resolved" && p.due_on >= today()), "and some still in time");
    assert!(ds.problems.iter().any(|p| p.assignee.is_some()), "some assigned to a department");
    assert!(ds.tasks.iter().any(|t| t.status != "done" && t.due_on < today()), "some tasks overdue");
}

#[test]
fn work_is_deterministic_and_consistent_for_other_seeds() {
    assert_eq!(standard().tasks, standard().tasks);
    assert_eq!(standard().problems, standard().problems);
    for (seed, n) in [(1, 0), (7, 40), (99, 1000)] {
        let ds = generate(seed, n, today());
        check_work(&ds, today());
    }
    assert!(generate(1, 0, today()).tasks.is_empty());
}

#[test]
fn open_tasks_and_problems_are_overdue_by_weeks_not_years() {
    let ds = standard();
    for t in ds.tasks.iter().filter(|t| t.status != "done") {
        assert!((today() - t.due_on).num_days() <= 60, "{} due {}", t.title, t.due_on);
    }
    for p in ds.problems.iter().filter(|p| p.status != "resolved") {
        assert!((today() - p.due_on).num_days() <= 120, "{} due {}", p.title, p.due_on);
    }
}

/// Every landing record points at a real project and happened by `today`, in order.
fn check_landing(ds: &Dataset, today: NaiveDate) {
    let l = &ds.landing;
    for c in &l.claims {
        let p = &ds.projects[c.project];
        let last = p.transitions.last().expect("a claimed project has a stage");
        assert!(c.to > last.to && c.date >= last.date && c.date <= today, "{c:?}");
        if let ClaimOutcome::Resubmitted { date, .. } = c.outcome {
            assert!(date >= last.date && date <= today);
        }
    }
    for a in &l.agreements {
        assert!(a.project < ds.projects.len());
        assert!(a.agreement.signed_on.is_some_and(|d| d <= today));
        assert!((3..=6).contains(&a.agreement.clauses.len()), "{}", a.agreement.title);
        let errors = store::agreements::validate(&a.agreement, today);
        assert!(errors.is_empty(), "{}: {errors:?}", a.agreement.title);
        for (number, status, on) in &a.moves {
            assert!(a.agreement.clauses.iter().any(|c| &c.number == number), "{number}");
            assert!(*on <= today && *status != ClauseStatus::Pending);
        }
        for s in &a.sub_projects {
            assert!(*s != a.project && ds.projects[*s].input.unit == ds.projects[a.project].input.unit);
        }
    }
    for f in &l.four_ones {
        assert!(store::four_ones::validate_team(&f.team).is_empty(), "{:?}", f.team);
        assert!(f.team.is_empty() || f.team.iter().filter(|m| m.is_leader).count() == 1, "one 组长");
        assert!(f.milestones.iter().all(|m| m.done_on.is_none_or(|d| d <= today)));
    }
    for c in &l.confirmations {
        assert!(c.on > c.month.last_day() && c.on <= today, "{c:?}");
    }
}

#[test]
fn claims_wait_are_returned_resubmitted_and_accepted() {
    let ds = standard();
    check_landing(&ds, today());
    let claims = &ds.landing.claims;
    let count = |f: fn(&ClaimOutcome) -> bool| claims.iter().filter(|c| f(&c.outcome)).count();
    assert!((18..=40).contains(&claims.len()), "{} claims", claims.len());
    assert!(count(|o| *o == ClaimOutcome::Waiting) >= 10, "a review queue to work through");
    assert!(count(|o| matches!(o, ClaimOutcome::Returned(_))) >= 3, "some returned");
    assert!(count(|o| matches!(o, ClaimOutcome::Resubmitted { .. })) >= 1, "one resubmitted");
    assert!(count(|o| *o == ClaimOutcome::Accepted) >= 1, "and some accepted");
    let kinds: HashSet<Stage> = claims.iter().map(|c| c.to).collect();
    assert!(kinds.contains(&Stage::Signed) && kinds.contains(&Stage::Started), "{kinds:?}");
    let units: HashSet<&str> = claims.iter().map(|c| ds.projects[c.project].input.unit.as_str()).collect();
    assert!(units.len() >= 8, "claims from many units: {units:?}");
}

#[test]
fn agreements_have_clauses_met_due_and_overdue_and_one_package() {
    let ds = standard();
    let a = &ds.landing.agreements;
    let of = |k: AgreementKind| a.iter().filter(|x| x.agreement.kind == k).count();
    assert!(of(AgreementKind::Contract) >= 100, "{} contracts", of(AgreementKind::Contract));
    assert!(of(AgreementKind::Framework) >= 30, "{} frameworks", of(AgreementKind::Framework));
    let packages: Vec<_> = a.iter().filter(|x| x.agreement.kind == AgreementKind::Package).collect();
    assert_eq!(packages.len(), 1);
    assert_eq!(packages[0].sub_projects.len(), 2);
    // the status each clause ends with
    let (mut met, mut overdue, mut soon, mut breached) = (0, 0, 0, 0);
    for x in a {
        for c in &x.agreement.clauses {
            let last = x.moves.iter().rfind(|(n, ..)| *n == c.number).map_or(ClauseStatus::Pending, |m| m.1);
            let due = c.due_on.expect("demo clauses are dated");
            match last {
                ClauseStatus::Fulfilled => met += 1,
                ClauseStatus::Breached => breached += 1,
                _ if due < today() - Days::new(30) => overdue += 1,
                _ if due >= today() && due <= today() + Days::new(30) => soon += 1,
                _ => {}
            }
        }
    }
    assert!(met >= 200 && overdue >= 10 && soon >= 5 && breached >= 1, "{met} {overdue} {soon} {breached}");
}

#[test]
fn most_key_projects_have_their_four_ones_and_some_lack_a_part() {
    let ds = standard();
    let f = &ds.landing.four_ones;
    let complete = f.iter().filter(|x| !x.team.is_empty() && !x.milestones.is_empty() && !x.case_file.is_empty());
    let complete = complete.count();
    assert!(complete >= 40 && complete * 10 >= f.len() * 7, "{complete} of {}", f.len());
    assert!(f.iter().any(|x| x.team.is_empty()), "a key project without a work team");
    assert!(f.iter().any(|x| x.case_file.is_empty()), "one without a case file");
    assert!(f.iter().flat_map(|x| &x.milestones).any(|m| m.done_on.is_none() && m.due_on < today()), "overdue");
}

#[test]
fn units_confirm_their_months_some_late_and_two_not_yet() {
    let ds = standard();
    let c = &ds.landing.confirmations;
    let last = Month::of(today()).prev();
    let units = assessed_units();
    assert_eq!(c.iter().filter(|x| x.month == last).count(), units.len() - 2, "two still to confirm");
    assert!(c.iter().all(|x| units.iter().any(|u| u == x.unit)), "assessed units only");
    let day = domain::monthly::DEFAULT_DEADLINE_DAY;
    let late = |x: &&Confirmation| x.on > domain::monthly::report_deadline(x.month, day);
    assert!(c.iter().filter(late).count() >= 1, "some late");
}

#[test]
fn landing_is_deterministic_and_consistent_for_other_seeds() {
    let (a, b) = (standard().landing, standard().landing);
    assert_eq!((a.claims, a.confirmations), (b.claims, b.confirmations));
    for (seed, n) in [(1, 0), (7, 40), (99, 1000)] {
        check_landing(&generate(seed, n, today()), today());
    }
    assert!(generate(1, 0, today()).landing.agreements.is_empty());
}

/// 运行监测: only producing projects, each year from the producing year to this one once,
/// every figure within reach of what was expected, some behind and some ahead.
#[test]
fn outcomes_follow_production() {
    use chrono::Datelike;
    let ds = standard();
    assert!(ds.outcomes.len() >= 20, "{} outcome rows", ds.outcomes.len());
    let mut seen = std::collections::BTreeSet::new();
    for o in &ds.outcomes {
        let p = &ds.projects[o.project];
        assert!(matches!(final_stage(p), "producing" | "at_capacity"), "{}", p.input.name);
        let from = producing_on(p).expect("a producing date");
        assert!(o.year >= from.year() && o.year <= today().year(), "{} {}", p.input.name, o.year);
        assert!(seen.insert((o.project, o.year)), "one row per project and year");
        let output = o.output.expect("an output");
        let expected = p.input.expected_output.expect("a producing project has expected figures");
        assert!(
            output > domain::Money::ZERO && output.hundredths() <= expected.hundredths() * 2,
            "{output} of {expected}"
        );
        assert!(o.tax.expect("a tax") < output);
        assert!(o.jobs.is_some_and(|j| j >= 0));
    }
    let noted = |what: &str| ds.outcomes.iter().filter(|o| o.note.as_deref().is_some_and(|n| n.contains(what))).count();
    assert!(noted("月投产") > 0 && noted("累计") > 0, "partial years say so");
    // a full year that says it is ahead is ahead, one that says it is behind is behind
    for o in &ds.outcomes {
        let expected = ds.projects[o.project].input.expected_output.unwrap_or_default().hundredths();
        let output = o.output.unwrap_or_default().hundredths();
        match o.note.as_deref() {
            Some(n) if n.contains("超过签约预期") => assert!(output > expected, "{o:?}"),
            Some(n) if n.contains("不及预期") => assert!(output < expected, "{o:?}"),
            _ => {}
        }
    }
}

/// 靶向项目库: assessed units court real ranked or leading companies, in every status, one
/// company courted by two units; follow-ups dated in the past and in order.
#[test]
fn targets_cover_every_status() {
    let ds = standard();
    let units = assessed_units();
    let mut pairs = std::collections::BTreeSet::new();
    let mut by_company: BTreeMap<usize, usize> = BTreeMap::new();
    for t in &ds.targets {
        assert!(units.iter().any(|u| u == t.unit), "{}", t.unit);
        assert!(pairs.insert((t.unit, t.company)), "a unit courts a company once");
        *by_company.entry(t.company).or_default() += 1;
        let c = &ds.companies[t.company];
        assert!(
            c.fortune_global_500_rank.is_some()
                || c.china_500_rank.is_some()
                || c.china_private_500_rank.is_some()
                || c.industry_leader,
            "{}",
            c.name
        );
        assert!(domain::reference::industry(&t.industry).is_some(), "{}", t.industry);
        assert!(t.follow_ups.windows(2).all(|w| w[0].date <= w[1].date));
        assert!(t.follow_ups.iter().all(|f| f.date < today()));
        if let TargetEnd::Converted { region, .. } = &t.end {
            assert!(domain::reference::region(region).is_some(), "{region}");
        }
    }
    assert!(by_company.values().any(|n| *n >= 2), "one company courted by two units");
    let count = |f: &dyn Fn(&TargetEnd) -> bool| ds.targets.iter().filter(|t| f(&t.end)).count();
    assert!(count(&|e| matches!(e, TargetEnd::Converted { .. })) >= 2);
    assert!(count(&|e| matches!(e, TargetEnd::Dropped(_))) >= 1);
    assert!(count(&|e| matches!(e, TargetEnd::Open { interested: true })) >= 1);
    let open_untouched =
        ds.targets.iter().filter(|t| matches!(t.end, TargetEnd::Open { .. }) && t.follow_ups.is_empty()).count();
    let open_contacted = ds
        .targets
        .iter()
        .filter(|t| matches!(t.end, TargetEnd::Open { interested: false }) && !t.follow_ups.is_empty())
        .count();
    assert!(open_untouched >= 1 && open_contacted >= 1, "关注中 and 已接触 both");
}

#[test]
fn every_lead_leader_is_one_leader_of_the_register() {
    use domain::leader::{Candidate, LeaderLevel, LeaderMatch, leader_name, pick};
    let ds = standard();
    let unit_id = |code: &str| UNITS.iter().position(|u| u.code == code).map_or(-1, |i| i as i64);
    // the register: one name per unit, levels of the register only, positions within the field table
    let mut seen = HashSet::new();
    for l in &ds.leaders {
        assert!(seen.insert((l.unit, l.name.clone())), "{} twice in {}", l.name, l.unit);
        assert!(l.level.in_register() && l.name.chars().count() <= 16 && l.position.chars().count() <= 40, "{l:?}");
        assert_eq!(l.unit == "zhengzhou", l.level == LeaderLevel::CityLeader, "{l:?}");
    }
    let chiefs = ds.leaders.iter().filter(|l| l.level == LeaderLevel::UnitChief).count();
    assert_eq!(chiefs, 2 * UNITS.len(), "each unit's secretary and chief");
    // every project's text matches exactly one leader, as the store matches it
    for p in &ds.projects {
        let Some(text) = p.input.lead_leader.as_deref() else { continue };
        let name = leader_name(text).unwrap();
        let found: Vec<Candidate> = ds
            .leaders
            .iter()
            .enumerate()
            .filter(|(_, l)| l.name == name)
            .map(|(i, l)| Candidate { id: i as i64, unit_id: unit_id(l.unit), level: l.level })
            .collect();
        let m = pick(&found, unit_id(&p.input.unit));
        let LeaderMatch::Unique(i) = m else { panic!("{text} in {}: {m:?}", p.input.unit) };
        assert_eq!(domain::leader::display(&ds.leaders[i as usize].name, &ds.leaders[i as usize].position), text);
    }
}

#[test]
fn a_year_of_activities_with_visits_that_count_and_visits_that_do_not() {
    use domain::activity::{ActivityFacts, ActivityKind, ActivityMeasure, counts};
    use domain::leader::LeaderLevel;
    let ds = standard();
    let today = today();
    assert_eq!(ds.activities.len(), DEMO_ACTIVITIES);
    let kinds: HashSet<ActivityKind> = ds.activities.iter().map(|a| a.kind).collect();
    assert_eq!(kinds.len(), ActivityKind::ALL.len(), "every kind: {kinds:?}");
    let cities: HashSet<&str> = ds.activities.iter().map(|a| a.city).collect();
    for c in ["深圳", "上海", "北京", "慕尼黑"] {
        assert!(cities.contains(c), "{c}: {cities:?}");
    }
    let regions = regions();
    let standing = |i: usize| {
        let c = &ds.companies[i];
        domain::InvestorStanding {
            fortune_global_500: c.fortune_global_500_rank.is_some(),
            china_500: c.china_500_rank.is_some(),
            china_private_500: c.china_private_500_rank.is_some(),
            industry_leader: c.industry_leader,
        }
    };
    let (mut counted, mut deputy_or_staff, mut unranked) = (0, 0, 0);
    for a in &ds.activities {
        assert!(regions.contains_key(a.region), "{}", a.region);
        assert!(a.end_on >= a.start_on && a.title.chars().count() <= 100, "{a:?}");
        // leaders: city leaders or the unit's own; staff only when none went
        for &l in &a.leaders {
            let l = &ds.leaders[l];
            assert!(l.level == LeaderLevel::CityLeader || l.unit == a.unit, "{l:?} in {}", a.unit);
        }
        assert_eq!(a.leaders.is_empty(), a.leader_level == Some(LeaderLevel::Staff));
        for &t in &a.targets {
            assert_eq!(ds.targets[t].unit, a.unit);
            assert!(a.companies.contains(&ds.targets[t].company), "a target contacted was met");
        }
        for &p in &a.signed_projects {
            assert_eq!(ds.projects[p].input.unit, a.unit);
        }
        let level = domain::leader::highest(a.leaders.iter().map(|&l| ds.leaders[l].level))
            .or(a.leader_level)
            .unwrap_or(LeaderLevel::Staff);
        let facts = ActivityFacts {
            kind: a.kind,
            start_on: a.start_on,
            leader_level: level,
            companies: a.companies.iter().map(|&c| standing(c)).collect(),
        };
        let year = (today - chrono::Days::new(366), today + chrono::Days::new(60));
        if counts(ActivityMeasure::LeaderVisits500, &facts, year.0, year.1) {
            counted += 1;
        } else if a.kind.is_visit() && !level.is_principal() {
            deputy_or_staff += 1;
        } else if a.kind.is_visit() && !facts.companies.iter().any(domain::activity::ranked) {
            unranked += 1;
        }
    }
    assert!(counted >= 5, "leader visits that count: {counted}");
    assert!(deputy_or_staff >= 3, "visits led by a deputy or staff: {deputy_or_staff}");
    assert!(unranked >= 1, "principal leaders' visits to unranked companies: {unranked}");
    assert!(ds.activities.iter().any(|a| !a.targets.is_empty()), "some contact the unit's targets");
    assert!(ds.activities.iter().any(|a| !a.signed_projects.is_empty()), "some sign a project");
}

#[test]
fn a_few_projects_in_talks_are_raised_past_the_city_reportable_threshold() {
    let ds = standard();
    assert!(ds.raises.len() >= 5, "{} raises", ds.raises.len());
    let mut units = std::collections::HashSet::new();
    for r in &ds.raises {
        let p = &ds.projects[r.project];
        assert!(matches!(p.transitions.last().map_or(Stage::Reserve, |t| t.to), Stage::Reserve | Stage::Negotiating));
        assert!(!reportable::is_reportable(p, &ds.companies), "not city-reportable before");
        assert!(r.total_investment >= domain::project::CITY_REPORTABLE_THRESHOLD);
        assert!(r.total_investment > p.input.total_investment);
        assert!(units.insert(p.input.unit.clone()), "one per unit");
    }
    let waiting = ds.raises.iter().filter(|r| r.outcome == ClaimOutcome::Waiting).count();
    let accepted = ds.raises.iter().filter(|r| r.outcome == ClaimOutcome::Accepted).count();
    assert!(waiting >= 3 && accepted >= 1, "{waiting} waiting, {accepted} accepted");
}
