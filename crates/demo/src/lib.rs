//! A deterministic generator of a believable demo dataset for zhaoshang:
//! companies (real 500强 names with their ranks plus invented ones with valid
//! 统一社会信用代码) and investment projects spread over Zhengzhou's 16
//! assessed units, every industry of the policy, every stage, with dated
//! stage transitions and monthly funds in place.
//!
//! Pure: no IO, no clock, no global state. The same `(seed, n_projects,
//! today)` always yields the same dataset, on every platform (integer
//! arithmetic only, our own PRNG).
//!
//! The types are plain on purpose: the caller maps them to its domain types.
//! Codes are those of `crates/domain/reference/*.csv`.

mod catalog;

use catalog::{
    CITIES, CITY_LEADER_TITLES, COMPANY_SUFFIXES, City, DOMESTIC_REGION_WEIGHTS, FOREIGN_ORIGINS, INDUSTRIES, Industry,
    Land, RANK_YEAR, REAL_COMPANIES, UNITS, Unit,
};
use chrono::{Datelike, Days, NaiveDate};
use std::collections::{HashMap, HashSet};

/// The dataset size the demo ships with.
pub const STANDARD_PROJECTS: usize = 360;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    pub companies: Vec<Company>,
    pub projects: Vec<Project>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    /// Index in `Dataset::companies`.
    pub key: usize,
    pub name: String,
    pub credit_code: Option<String>,
    /// Chinese name of the country or area, e.g. "中国", "德国", "中国香港".
    pub country: String,
    /// regions.csv code.
    pub region: String,
    pub hq_city: String,
    /// industries.csv code.
    pub industry: String,
    pub fortune_global_500_rank: Option<i32>,
    pub china_500_rank: Option<i32>,
    pub china_private_500_rank: Option<i32>,
    pub industry_leader: bool,
    pub rank_year: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub name: String,
    /// units.csv code, only assessed units.
    pub unit: String,
    /// Keys of the investors; a foreign investor, if any, comes first.
    pub investor_keys: Vec<usize>,
    /// industries.csv leaf code.
    pub industry: String,
    /// regions.csv code: the region of the first investor.
    pub region: String,
    /// "air" | "land" | "online".
    pub channel: Option<String>,
    /// Subset of "pillar", "targeted", "foreign", "headquarters", in that order.
    pub categories: Vec<String>,
    /// Hundredths of 万元.
    pub total_investment_cents: i64,
    /// Hundredths of 万美元; only when an investor is foreign.
    pub foreign_investment_cents: Option<i64>,
    /// Hundredths of 亩.
    pub land_mu_cents: Option<i64>,
    pub lead_leader: Option<String>,
    pub created_on: NaiveDate,
    /// In order; the project starts in `reserve`, so a reserve project has
    /// none and the first one is never "reserve".
    pub transitions: Vec<Transition>,
    pub expected_producing_on: Option<NaiveDate>,
    pub funds: Vec<Funds>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// Stage code.
    pub to: String,
    pub date: NaiveDate,
    pub note: String,
    /// Set for "terminated" only.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Funds {
    pub date: NaiveDate,
    /// "domestic_out_of_province" (万元) | "foreign" (万美元).
    pub kind: String,
    /// Hundredths of the kind's unit.
    pub amount_cents: i64,
    pub note: String,
}

/// Builds the dataset. `n_projects` may be anything from 0 up; 100,000
/// projects take about a second in release (≈1 s measured on a busy 2-core
/// machine, ~5 s in a debug build) and about 200 MB, most of it the
/// ~575,000 monthly funds entries.
pub fn generate(seed: u64, n_projects: usize, today: NaiveDate) -> Dataset {
    let mut rng = Rng::new(seed);
    // Separate streams so that companies do not depend on project draws.
    let mut company_rng = rng.fork();
    let mut project_rng = rng.fork();
    let (companies, meta) = build_companies(&mut company_rng, company_count(n_projects));
    let projects = build_projects(&mut project_rng, &companies, &meta, n_projects, today);
    Dataset { companies, projects }
}

/// 150 for the standard size, growing slowly so that huge datasets do not
/// reuse a handful of investors for everything.
fn company_count(n_projects: usize) -> usize {
    (150 + n_projects / 50).min(5_000)
}

// ---------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------

/// SplitMix64: tiny, fast, good enough for test data, and stable forever
/// (a dependency's algorithm could change between versions).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn fork(&mut self) -> Rng {
        Rng::new(self.next_u64())
    }

    /// Uniform in `0..n` (n > 0); multiply-shift, bias negligible here.
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// True with probability `p`/1000.
    fn permille(&mut self, p: u32) -> bool {
        self.below(1000) < p as usize
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// Index drawn with the given weights (not all zero).
    fn weighted(&mut self, weights: impl Iterator<Item = u32> + Clone) -> usize {
        let total: u64 = weights.clone().map(u64::from).sum();
        let mut roll = ((self.next_u64() as u128 * total as u128) >> 64) as u64;
        for (i, w) in weights.enumerate() {
            if roll < u64::from(w) {
                return i;
            }
            roll -= u64::from(w);
        }
        unreachable!("weights must not all be zero")
    }

    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
}

/// `n` indices into `weights`, in random order, with each index appearing in
/// proportion to its weight (largest-remainder rounding) and — when `n` is
/// at least the number of weights — every index at least once. Exact quotas
/// rather than independent draws: coverage of units, stages and industries
/// must hold for every seed, not just most.
fn quota_deck(rng: &mut Rng, weights: &[u32], n: usize) -> Vec<usize> {
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    let n64 = n as u64;
    let mut counts: Vec<usize> = weights.iter().map(|&w| (n64 * u64::from(w) / total) as usize).collect();
    let mut by_remainder: Vec<usize> = (0..weights.len()).collect();
    by_remainder.sort_by_key(|&i| std::cmp::Reverse(n64 * u64::from(weights[i]) % total));
    let assigned: usize = counts.iter().sum();
    for &i in by_remainder.iter().take(n - assigned) {
        counts[i] += 1;
    }
    if n >= weights.len() {
        for i in 0..counts.len() {
            if counts[i] == 0 {
                let donor = (0..counts.len()).max_by_key(|&j| (counts[j], std::cmp::Reverse(j))).unwrap();
                counts[donor] -= 1;
                counts[i] = 1;
            }
        }
    }
    let mut deck: Vec<usize> = counts.iter().enumerate().flat_map(|(i, &c)| std::iter::repeat_n(i, c)).collect();
    rng.shuffle(&mut deck);
    deck
}

// ---------------------------------------------------------------------------
// Companies
// ---------------------------------------------------------------------------

/// What project generation needs to know about a company beyond `Company`.
struct CompanyMeta {
    /// Short name used in project names ("比亚迪", "豫新").
    short: String,
    leaf: usize,
    foreign: bool,
    /// On a 500 list or an industry leader: city-reportable investor.
    notable: bool,
    real: bool,
    /// Registered in Henan: its money is not 省外资金.
    henan: bool,
}

fn leaf_index(code: &str) -> usize {
    INDUSTRIES
        .iter()
        .position(|i| i.code == code)
        .unwrap_or_else(|| panic!("catalog industry {code} is not a leaf of industries.csv"))
}

fn is_foreign_region(region: &str) -> bool {
    matches!(region, "europe_america" | "japan_korea" | "hk_macao_taiwan" | "belt_road" | "other_foreign")
}

fn build_companies(rng: &mut Rng, count: usize) -> (Vec<Company>, Vec<CompanyMeta>) {
    let mut companies = Vec::with_capacity(count.max(REAL_COMPANIES.len()));
    let mut meta = Vec::with_capacity(companies.capacity());
    let mut names: HashSet<String> = HashSet::new();
    let mut codes: HashSet<String> = HashSet::new();

    for rc in REAL_COMPANIES {
        let ranked = rc.fortune_global_500.is_some() || rc.china_500.is_some() || rc.china_private_500.is_some();
        names.insert(rc.name.to_string());
        meta.push(CompanyMeta {
            short: rc.short.to_string(),
            leaf: leaf_index(rc.industry),
            foreign: is_foreign_region(rc.region),
            notable: ranked || rc.industry_leader,
            real: true,
            henan: rc.region == "henan",
        });
        companies.push(Company {
            key: companies.len(),
            name: rc.name.to_string(),
            credit_code: None,
            country: rc.country.to_string(),
            region: rc.region.to_string(),
            hq_city: rc.hq_city.to_string(),
            industry: rc.industry.to_string(),
            fortune_global_500_rank: rc.fortune_global_500,
            china_500_rank: rc.china_500,
            china_private_500_rank: rc.china_private_500,
            industry_leader: rc.industry_leader,
            rank_year: ranked.then_some(RANK_YEAR),
        });
    }

    let invented = count.saturating_sub(REAL_COMPANIES.len());
    // Every industry gets companies of its own, so that every project can find
    // an investor of its trade.
    let industries = quota_deck(rng, &INDUSTRIES.iter().map(|i| i.weight).collect::<Vec<_>>(), invented);
    // About one in seven invented companies is foreign, spread over the
    // foreign regions by quota so that even 150 companies include each.
    let foreign = quota_deck(rng, &[85, 15], invented);
    let foreign_regions: Vec<&str> = regions_of(FOREIGN_ORIGINS);
    let region_weights: Vec<u32> = foreign_regions
        .iter()
        .map(|r| FOREIGN_ORIGINS.iter().filter(|o| o.region == *r).map(|o| o.weight).sum())
        .collect();
    let mut regions = quota_deck(rng, &region_weights, foreign.iter().filter(|&&f| f == 1).count()).into_iter();
    for (leaf, is_foreign) in industries.into_iter().zip(foreign) {
        let industry = &INDUSTRIES[leaf];
        let (company, short) = if is_foreign == 1 {
            let region = foreign_regions[regions.next().expect("one region per foreign company")];
            invent_foreign(rng, industry, region, &mut names)
        } else {
            invent_domestic(rng, industry, &mut names, &mut codes)
        };
        meta.push(CompanyMeta {
            short,
            leaf,
            foreign: is_foreign_region(&company.region),
            notable: company.industry_leader,
            real: false,
            henan: company.region == "henan",
        });
        companies.push(Company { key: companies.len(), ..company });
    }
    (companies, meta)
}

/// A two-character brand ("豫新") or, one time in five, four ("中原智造";
/// Henan place words only for Henan companies).
fn brand(rng: &mut Rng, henan: bool) -> String {
    if rng.permille(200) {
        let places = if henan && rng.permille(700) { catalog::BRAND_PLACE_HENAN } else { catalog::BRAND_PLACE_ANY };
        format!("{}{}", rng.pick(places), rng.pick(catalog::BRAND_TAIL))
    } else {
        loop {
            let (a, b) = (*rng.pick(catalog::BRAND_FIRST), *rng.pick(catalog::BRAND_SECOND));
            if a != b {
                return format!("{a}{b}");
            }
        }
    }
}

fn suffix(rng: &mut Rng) -> &'static str {
    COMPANY_SUFFIXES[rng.weighted(COMPANY_SUFFIXES.iter().map(|s| s.1))].0
}

/// Inserts `candidate()` into `names` until one is new; after many clashes
/// (practically never) falls back to a numbered branch office name.
fn unique_name(names: &mut HashSet<String>, mut candidate: impl FnMut() -> String) -> String {
    for _ in 0..200 {
        let name = candidate();
        if names.insert(name.clone()) {
            return name;
        }
    }
    let base = candidate();
    (2..).map(|k| format!("{base}第{k}分公司")).find(|name| names.insert(name.clone())).expect("unbounded")
}

fn invent_domestic(
    rng: &mut Rng,
    industry: &Industry,
    names: &mut HashSet<String>,
    codes: &mut HashSet<String>,
) -> (Company, String) {
    let region = DOMESTIC_REGION_WEIGHTS[rng.weighted(DOMESTIC_REGION_WEIGHTS.iter().map(|r| r.1))].0;
    let cities: Vec<&City> = CITIES.iter().filter(|c| c.region == region).collect();
    let city = *rng.pick(&cities);
    // Some companies carry their province in the name ("河南…", "江苏…") and
    // are then registered with the province.
    let by_province = city.province != city.name && rng.permille(300);
    let (prefix, division) = match (by_province, catalog::province_division(city.province)) {
        (true, Some(code)) => (city.province, code),
        _ => (city.name, city.division),
    };
    let (mut short, mut word) = (String::new(), "");
    let name = unique_name(names, || {
        short = brand(rng, region == "henan");
        word = *rng.pick(industry.company_words);
        format!("{prefix}{short}{word}{}", suffix(rng))
    });
    // People say "达坤科技", "鑫恒电器": the brand plus the trade word when
    // that word is a common one.
    if let Some(tail) = catalog::SHORT_NAME_TRADES.iter().find(|t| word.ends_with(**t)) {
        short.push_str(tail);
    }
    let code = loop {
        let code = credit_code(rng, division);
        if codes.insert(code.clone()) {
            break code;
        }
    };
    let company = Company {
        key: 0,
        name,
        credit_code: Some(code),
        country: "中国".to_string(),
        region: region.to_string(),
        hq_city: city.name.to_string(),
        industry: industry.code.to_string(),
        fortune_global_500_rank: None,
        china_500_rank: None,
        china_private_500_rank: None,
        industry_leader: rng.permille(25),
        rank_year: None,
    };
    (company, short)
}

/// Distinct regions of the origins, in table order.
fn regions_of(origins: &[catalog::Origin]) -> Vec<&'static str> {
    let mut regions: Vec<&'static str> = Vec::new();
    for o in origins {
        if !regions.contains(&o.region) {
            regions.push(o.region);
        }
    }
    regions
}

fn invent_foreign(rng: &mut Rng, industry: &Industry, region: &str, names: &mut HashSet<String>) -> (Company, String) {
    let origins: Vec<&catalog::Origin> = FOREIGN_ORIGINS.iter().filter(|o| o.region == region).collect();
    let origin = origins[rng.weighted(origins.iter().map(|o| o.weight))];
    // "中国香港" is the country; the company calls itself "香港…".
    let prefix = origin.country.strip_prefix("中国").unwrap_or(origin.country);
    let mut short = String::new();
    let mut tries = 0;
    let name = unique_name(names, || {
        tries += 1;
        // The country's own brands first; once those are used up, a generic
        // brand (common for overseas-Chinese and HK/Taiwan companies).
        short = if tries <= 6 { rng.pick(origin.brands).to_string() } else { brand(rng, false) };
        format!("{prefix}{short}{}{}", rng.pick(industry.company_words), origin.suffix)
    });
    let company = Company {
        key: 0,
        name,
        credit_code: None,
        country: origin.country.to_string(),
        region: origin.region.to_string(),
        hq_city: rng.pick(origin.cities).to_string(),
        industry: industry.code.to_string(),
        fortune_global_500_rank: None,
        china_500_rank: None,
        china_private_500_rank: None,
        industry_leader: rng.permille(40),
        rank_year: None,
    };
    (company, short)
}

/// Characters of the unified social credit code (GB 32100-2015): digits and
/// capitals without I, O, S, V, Z.
const CODE_CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const CODE_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

fn code_value(c: u8) -> u32 {
    CODE_CHARS.iter().position(|&x| x == c).expect("credit code character") as u32
}

/// Check character (18th) of a unified social credit code.
fn credit_check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17.iter().zip(CODE_WEIGHTS).map(|(&c, w)| code_value(c) * w).sum();
    CODE_CHARS[((31 - sum % 31) % 31) as usize]
}

/// Check character of the embedded organisation code (GB 11714-1997), so that
/// positions 9–17 are a valid 组织机构代码 as in real codes.
fn org_check_char(body: &[u8; 8]) -> u8 {
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let value = |c: u8| if c.is_ascii_digit() { u32::from(c - b'0') } else { u32::from(c - b'A') + 10 };
    let sum: u32 = body.iter().zip(W).map(|(&c, w)| value(c) * w).sum();
    match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        d => b'0' + d as u8,
    }
}

/// A valid 18-character code for an enterprise (登记管理部门 9 = 市场监管,
/// 类别 1 = 企业) registered at `division`.
fn credit_code(rng: &mut Rng, division: &str) -> String {
    let mut body = [0u8; 8];
    if rng.permille(550) {
        // Companies registered since 2015 get organisation codes "MA…".
        body[0] = b'M';
        body[1] = b'A';
        for c in &mut body[2..] {
            *c = if rng.permille(700) { b'0' + rng.below(10) as u8 } else { CODE_CHARS[10 + rng.below(21)] };
        }
    } else {
        // Older, numeric organisation codes.
        body[0] = b'1' + rng.below(7) as u8;
        for c in &mut body[1..] {
            *c = b'0' + rng.below(10) as u8;
        }
    }
    let mut code = Vec::with_capacity(18);
    code.extend_from_slice(b"91");
    code.extend_from_slice(division.as_bytes());
    code.extend_from_slice(&body);
    code.push(org_check_char(&body));
    code.push(credit_check_char(&code));
    String::from_utf8(code).expect("ascii")
}

// ---------------------------------------------------------------------------
// Projects
// ---------------------------------------------------------------------------

const STAGES: [&str; 9] =
    ["reserve", "negotiating", "signed", "approved", "started", "producing", "at_capacity", "on_hold", "terminated"];
const RESERVE: usize = 0;
const NEGOTIATING: usize = 1;
const SIGNED: usize = 2;
const APPROVED: usize = 3;
const STARTED: usize = 4;
const PRODUCING: usize = 5;
const AT_CAPACITY: usize = 6;
const ON_HOLD: usize = 7;
const TERMINATED: usize = 8;
/// Shares of projects per final stage: a pipeline with most projects between
/// talks and production, and enough paused or dropped ones to show.
const STAGE_WEIGHTS: [u32; 9] = [11, 14, 14, 9, 16, 13, 9, 7, 7];

/// How far back a project's story may start: a little over three years.
const WINDOW_DAYS: i64 = 1185;

/// Investor pools by industry, so that a project finds an investor of its
/// trade: leaf first, then the leaf's group ("electronics", "logistics"…).
struct Pools {
    invented_by_leaf: Vec<Vec<usize>>,
    invented_by_group: Vec<Vec<usize>>,
    real_by_leaf: Vec<Vec<usize>>,
    real_by_group: Vec<Vec<usize>>,
    group_of_leaf: Vec<usize>,
    equity: Vec<usize>,
    invented: Vec<usize>,
}

impl Pools {
    fn new(meta: &[CompanyMeta]) -> Pools {
        let mut groups: Vec<&str> = Vec::new();
        let group_of_leaf: Vec<usize> = INDUSTRIES
            .iter()
            .map(|i| {
                let g = i.group();
                groups.iter().position(|&x| x == g).unwrap_or_else(|| {
                    groups.push(g);
                    groups.len() - 1
                })
            })
            .collect();
        let mut pools = Pools {
            invented_by_leaf: vec![Vec::new(); INDUSTRIES.len()],
            invented_by_group: vec![Vec::new(); groups.len()],
            real_by_leaf: vec![Vec::new(); INDUSTRIES.len()],
            real_by_group: vec![Vec::new(); groups.len()],
            group_of_leaf,
            equity: Vec::new(),
            invented: Vec::new(),
        };
        for (key, m) in meta.iter().enumerate() {
            let g = pools.group_of_leaf[m.leaf];
            if m.real {
                pools.real_by_leaf[m.leaf].push(key);
                pools.real_by_group[g].push(key);
            } else {
                pools.invented_by_leaf[m.leaf].push(key);
                pools.invented_by_group[g].push(key);
                pools.invented.push(key);
                if INDUSTRIES[m.leaf].code == "finance.equity" {
                    pools.equity.push(key);
                }
            }
        }
        pools
    }

    /// The lead investor of a project in industry `leaf`. `real_permille` is
    /// the chance of a real (500强/leader) company when one fits.
    fn lead_investor(&self, rng: &mut Rng, leaf: usize, real_permille: u32) -> usize {
        let g = self.group_of_leaf[leaf];
        if rng.permille(real_permille) && !self.real_by_group[g].is_empty() {
            if !self.real_by_leaf[leaf].is_empty() && rng.permille(600) {
                return *rng.pick(&self.real_by_leaf[leaf]);
            }
            return *rng.pick(&self.real_by_group[g]);
        }
        if !self.invented_by_leaf[leaf].is_empty() && rng.permille(750) {
            return *rng.pick(&self.invented_by_leaf[leaf]);
        }
        if !self.invented_by_group[g].is_empty() {
            return *rng.pick(&self.invented_by_group[g]);
        }
        if !self.invented.is_empty() {
            return *rng.pick(&self.invented);
        }
        *rng.pick(&self.real_by_group.iter().flatten().copied().collect::<Vec<_>>())
    }

    /// A co-investor: an equity fund half of the time, else a company of the
    /// same trade.
    fn co_investor(&self, rng: &mut Rng, leaf: usize, lead: usize) -> Option<usize> {
        let pool = if rng.permille(500) && !self.equity.is_empty() {
            &self.equity
        } else {
            &self.invented_by_group[self.group_of_leaf[leaf]]
        };
        if pool.is_empty() {
            return None;
        }
        let candidate = *rng.pick(pool);
        (candidate != lead).then_some(candidate)
    }
}

/// Multiplier for how well an industry fits a unit (1 when not special).
fn affinity(unit: &Unit, code: &str) -> u32 {
    unit.affinity
        .iter()
        .filter(|(prefix, _)| code == *prefix || code.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('.')))
        .map(|&(_, w)| w)
        .max()
        .unwrap_or(1)
}

/// Leaders of every unit (and of the city), each a distinct person with a
/// fixed title, so that one person leads several projects like in reality.
struct Rosters {
    units: Vec<Vec<String>>,
    city: Vec<String>,
}

impl Rosters {
    fn new(rng: &mut Rng) -> Rosters {
        let mut used = HashSet::new();
        let mut person = |rng: &mut Rng| loop {
            let name = format!("{}{}", rng.pick(catalog::SURNAMES), rng.pick(catalog::GIVEN_NAMES));
            if used.insert(name.clone()) {
                break name;
            }
        };
        let units = UNITS
            .iter()
            .map(|u| {
                let t = catalog::leader_titles(u.kind);
                // Secretary, chief, executive deputy and two deputies.
                [t[0], t[1], t[2], t[3], t[3]]
                    .iter()
                    .map(|title| format!("{}（{}{}）", person(rng), u.stem, title))
                    .collect()
            })
            .collect();
        let city = CITY_LEADER_TITLES.iter().map(|title| format!("{}（{}）", person(rng), title)).collect();
        Rosters { units, city }
    }
}

fn build_projects(
    rng: &mut Rng,
    companies: &[Company],
    meta: &[CompanyMeta],
    n: usize,
    today: NaiveDate,
) -> Vec<Project> {
    let pools = Pools::new(meta);
    let rosters = Rosters::new(rng);
    let units = quota_deck(rng, &UNITS.iter().map(|u| u.weight).collect::<Vec<_>>(), n);
    let stages = quota_deck(rng, &STAGE_WEIGHTS, n);
    let mut industries = quota_deck(rng, &INDUSTRIES.iter().map(|i| i.weight).collect::<Vec<_>>(), n);
    // Pair industries with units that host them (航空港 → electronics and air
    // logistics, 巩义 → materials…) without changing either deck's counts:
    // for each project, choose among a few remaining industries by affinity
    // and swap the choice into place.
    for i in 0..n {
        let unit = &UNITS[units[i]];
        let candidates: Vec<usize> = std::iter::once(i).chain((0..7).map(|_| i + rng.below(n - i))).collect();
        let chosen =
            candidates[rng.weighted(candidates.iter().map(|&j| affinity(unit, INDUSTRIES[industries[j]].code)))];
        industries.swap(i, chosen);
    }
    // Real companies are few; on a huge dataset they would lead thousands of
    // projects each, so their share shrinks with size.
    let real_permille = if n <= 2_000 { 170 } else { (170 * 2_000 / n as u64).max(20) as u32 };

    let mut names = NameBook::new();
    let mut projects = Vec::with_capacity(n);
    for i in 0..n {
        let ctx = ProjectInput { unit: units[i], stage: stages[i], leaf: industries[i], real_permille, today };
        projects.push(build_project(rng, &ctx, companies, meta, &pools, &rosters, &mut names));
    }
    projects
}

struct ProjectInput {
    unit: usize,
    stage: usize,
    leaf: usize,
    real_permille: u32,
    today: NaiveDate,
}

fn build_project(
    rng: &mut Rng,
    input: &ProjectInput,
    companies: &[Company],
    meta: &[CompanyMeta],
    pools: &Pools,
    rosters: &Rosters,
    names: &mut NameBook,
) -> Project {
    let unit = &UNITS[input.unit];
    let industry = &INDUSTRIES[input.leaf];

    let mut investors = vec![pools.lead_investor(rng, input.leaf, input.real_permille)];
    if rng.permille(120)
        && let Some(co) = pools.co_investor(rng, input.leaf, investors[0])
    {
        investors.push(co);
    }
    // The foreign investor leads: the project's source region is its region.
    if investors.len() == 2 && meta[investors[1]].foreign && !meta[investors[0]].foreign {
        investors.swap(0, 1);
    }
    let lead = investors[0];
    let lead_meta = &meta[lead];
    let lead_company = &companies[lead];
    let foreign = investors.iter().any(|&k| meta[k].foreign);
    let notable = investors.iter().any(|&k| meta[k].notable);
    let ranked = investors.iter().any(|&k| meta[k].real && !companies[k].industry_leader);

    let total = total_investment_cents(rng, industry.heavy, ranked);
    let pillar = total >= 100_000 * 100;
    let foreign_investment = foreign.then(|| {
        // 万元 → 万美元 at about 7.1, for the foreign share of the project.
        let share = rng.range(50, 100);
        ((total * share / 100 * 10 / 71) / 100 * 100).max(100)
    });

    let (name, hq_name) = project_name(rng, industry, input.unit, &lead_meta.short, total / 100, names);
    let headquarters = hq_name || (industry.land == Land::Office && rng.permille(40));
    let targeted = rng.permille(if notable { 450 } else { 150 });
    let categories: Vec<String> =
        [(pillar, "pillar"), (targeted, "targeted"), (foreign, "foreign"), (headquarters, "headquarters")]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, c)| c.to_string())
            .collect();

    let timeline = timeline(rng, input.stage, industry.land, input.today);
    let notes = NoteContext { unit: unit.short, short: &lead_meta.short, hq: &lead_company.hq_city };
    let transitions = timeline
        .steps
        .iter()
        .map(|&(stage, date)| Transition {
            to: STAGES[stage].to_string(),
            date,
            note: note(rng, stage, industry.land, &notes),
            reason: (stage == TERMINATED).then(|| rng.pick(catalog::TERMINATION_REASONS).to_string()),
        })
        .collect();

    let funds = match timeline.funds_window {
        Some((from, to)) if foreign || !lead_meta.henan => {
            let (kind, base) = match foreign_investment {
                Some(fi) => ("foreign", fi),
                None => ("domestic_out_of_province", total),
            };
            funds(rng, kind, base, timeline.funds_permille, timeline.signed.unwrap_or(from), from, to)
        }
        _ => Vec::new(),
    };

    Project {
        name,
        unit: unit.code.to_string(),
        investor_keys: investors,
        industry: industry.code.to_string(),
        region: lead_company.region.clone(),
        channel: channel(rng, industry.code, unit.code, &lead_company.region).map(str::to_string),
        categories,
        total_investment_cents: total,
        foreign_investment_cents: foreign_investment,
        land_mu_cents: land_mu_cents(rng, industry.land, total),
        lead_leader: lead_leader(rng, rosters, input, pillar || notable),
        created_on: timeline.created,
        transitions,
        expected_producing_on: timeline.expected,
        funds,
    }
}

/// Total investment in hundredths of 万元. Most projects 5,000–50,000 万元,
/// about one in six 5亿 or more, pillar ones 10亿–100亿; capital-heavy
/// industries and 500强 investors skew larger. Amounts are round like real
/// announcements, a few carry exact figures to the cent.
fn total_investment_cents(rng: &mut Rng, heavy: i8, ranked: bool) -> i64 {
    // Tiers: 800–5,000; 5,000–50,000; 50,000–100,000; 100,000–1,000,000 万元.
    let tiers: [u32; 4] = match (ranked, heavy) {
        (true, _) => [4, 60, 16, 20],
        (false, 1) => [10, 68, 11, 11],
        (false, -1) => [30, 64, 4, 2],
        _ => [18, 70, 7, 5],
    };
    let wan: i64 = match rng.weighted(tiers.into_iter()) {
        0 => rng.range(8, 49) * 100,
        1 => match rng.weighted([40u32, 32, 28].into_iter()) {
            0 => rng.range(50, 99) * 100,
            1 => rng.range(20, 39) * 500,
            _ => rng.range(40, 99) * 500,
        },
        2 => rng.range(50, 99) * 1_000,
        _ => match rng.weighted([50u32, 35, 15].into_iter()) {
            0 => rng.range(10, 19) * 10_000,
            1 => rng.range(20, 49) * 10_000,
            _ => rng.range(50, 100) * 10_000,
        },
    };
    let odd_cents = if rng.permille(120) && wan < 100_000 { rng.range(1, 9_999) } else { 0 };
    wan * 100 + odd_cents
}

/// Land in hundredths of 亩 from investment intensity (万元 per 亩) typical
/// of the use; offices and funds usually take none.
fn land_mu_cents(rng: &mut Rng, land: Land, total_cents: i64) -> Option<i64> {
    let (permille, lo, hi) = match land {
        Land::Factory => (930, 250, 700),
        Land::Logistics => (950, 150, 400),
        Land::Campus => (700, 400, 1_000),
        Land::Office => (120, 1_000, 3_000),
        Land::Commercial => (800, 800, 2_000),
        Land::Resort => (950, 80, 250),
    };
    if !rng.permille(permille) {
        return None;
    }
    let mu_cents = (total_cents / rng.range(lo, hi)).clamp(5 * 100, 6_000 * 100);
    // Most plots are whole 亩, surveyed ones carry decimals.
    Some(if rng.permille(600) { mu_cents / 100 * 100 } else { mu_cents })
}

/// The 丝绸之路 channel: air for air cargo and aviation (郑州—卢森堡), land
/// for rail and multimodal (中欧班列), online for cross-border e-commerce;
/// otherwise now and then for foreign investors, rarely for others.
fn channel(rng: &mut Rng, industry: &str, unit: &str, region: &str) -> Option<&'static str> {
    let (permille, channel) = match industry {
        "logistics.air" | "equipment.aviation" => (700, "air"),
        "finance.leasing" if unit == "hangkonggang" => (600, "air"),
        "logistics.multimodal" | "equipment.rail" => (650, "land"),
        "logistics.ecommerce" => (550, "online"),
        "logistics.cold_chain" if is_foreign_region(region) => (400, "land"),
        c if c.starts_with("commerce")
            && (is_foreign_region(region) || unit == "hangkonggang" || unit == "jingkai") =>
        {
            (300, "online")
        }
        _ if matches!(region, "europe_america" | "belt_road") => (200, if rng.permille(600) { "land" } else { "air" }),
        _ => (30, *rng.pick(&["air", "land", "online"])),
    };
    rng.permille(permille).then_some(channel)
}

/// Lead leader: city leaders take some big projects, unit chiefs the notable
/// ones, deputies the rest; early-stage projects often have none yet.
fn lead_leader(rng: &mut Rng, rosters: &Rosters, input: &ProjectInput, important: bool) -> Option<String> {
    let none = match input.stage {
        RESERVE | NEGOTIATING => 350,
        TERMINATED => 200,
        _ => 80,
    };
    if rng.permille(none) {
        return None;
    }
    if important && rng.permille(300) {
        return Some(rng.pick(&rosters.city).clone());
    }
    let roster = &rosters.units[input.unit];
    let i = if important && rng.permille(600) { rng.below(2) } else { 2 + rng.below(roster.len() - 2) };
    Some(roster[i].clone())
}

/// Names already given, per unit (must be unique there) and overall
/// (preferred unique, so that the same name in two units stays the
/// exception). Names are kept as 64-bit fingerprints: a huge dataset then
/// checks them without chasing strings, and a (practically impossible)
/// collision only costs another draw, never a duplicate.
struct NameBook {
    by_unit: Vec<HashSet<u64>>,
    all: HashSet<u64>,
    /// Next phase to try per (unit, stem), so that a name repeated thousands
    /// of times in a huge dataset does not rescan its phases.
    next_phase: HashMap<(usize, u64), usize>,
}

impl NameBook {
    fn new() -> NameBook {
        NameBook { by_unit: vec![HashSet::new(); UNITS.len()], all: HashSet::new(), next_phase: HashMap::new() }
    }
}

/// FNV-1a, 64 bits: stable and cheap.
fn fingerprint(s: &str) -> u64 {
    s.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3))
}

/// "{investor}{rest}" without saying the trade twice: "豫诚科技" +
/// "科技研发中心" → "豫诚科技研发中心".
fn with_investor(short: &str, rest: &str) -> String {
    let short = catalog::SHORT_NAME_TRADES
        .iter()
        .find(|t| short.ends_with(**t) && rest.starts_with(**t))
        .map_or(short, |t| &short[..short.len() - t.len()]);
    format!("{short}{rest}")
}

/// A believable project name, unique within the unit. Returns whether the
/// name announces a headquarters ("…华中区域总部项目"). `wan` (the investment
/// in 万元) sizes the yearly output in "年产…" names.
fn project_name(
    rng: &mut Rng,
    industry: &Industry,
    unit_index: usize,
    short: &str,
    wan: i64,
    book: &mut NameBook,
) -> (String, bool) {
    let unit = &UNITS[unit_index];
    let mut name = String::new();
    for attempt in 0..8 {
        let &(product, measure) = rng.pick(industry.products);
        let place = *rng.pick(unit.places);
        name = match rng.weighted([30u32, 20, 12, 8, 8, 14, 8].into_iter()) {
            1 if !measure.is_empty() => {
                // Bigger investment, bigger output: the quantity's position in
                // its list follows the amount, give or take one step.
                let quantities = catalog::quantities(measure);
                let size = match wan {
                    ..10_000 => 0,
                    10_000..30_000 => 1,
                    30_000..100_000 => 2,
                    100_000..300_000 => 3,
                    _ => 4,
                };
                let index = (size + rng.below(2)).min(quantities.len() - 1);
                format!("年产{}{measure}{product}项目", quantities[index])
            }
            2 => format!("{place}{}", rng.pick(industry.parks)),
            3 => format!("{place}{}项目", rng.pick(industry.parks)),
            4 => {
                let park = *rng.pick(industry.parks);
                format!("{}项目", with_investor(short, park))
            }
            5 => {
                let facility = *rng.pick(catalog::facilities(industry.land));
                format!("{}项目", with_investor(short, facility))
            }
            6 => format!("{place}{product}项目"),
            _ => format!("{}项目", with_investor(short, product)),
        };
        // First look for a name new everywhere, then one new in the unit.
        let print = fingerprint(&name);
        let fresh = attempt >= 5 || !book.all.contains(&print);
        if fresh && !book.by_unit[unit_index].contains(&print) {
            break;
        }
    }
    if book.by_unit[unit_index].contains(&fingerprint(&name)) {
        // Taken over and over: it is the next phase of an existing project.
        let stem = name.strip_suffix("项目").unwrap_or(&name).to_string();
        let tail = if name.ends_with("项目") { "项目" } else { "" };
        const PHASES: [&str; 8] = ["二", "三", "四", "五", "六", "七", "八", "九"];
        let next = book.next_phase.entry((unit_index, fingerprint(&stem))).or_insert(0);
        loop {
            let k = *next;
            *next += 1;
            let candidate = match PHASES.get(k) {
                Some(p) => format!("{stem}{p}期{tail}"),
                None => format!("{stem}（第{}期）{tail}", k + 2),
            };
            if !book.by_unit[unit_index].contains(&fingerprint(&candidate)) {
                name = candidate;
                break;
            }
        }
    }
    let print = fingerprint(&name);
    book.by_unit[unit_index].insert(print);
    book.all.insert(print);
    let hq = name.contains("总部");
    (name, hq)
}

// ---------------------------------------------------------------------------
// Timeline
// ---------------------------------------------------------------------------

struct Timeline {
    created: NaiveDate,
    steps: Vec<(usize, NaiveDate)>,
    expected: Option<NaiveDate>,
    signed: Option<NaiveDate>,
    /// Dates between which funds may arrive (signing or 24 months ago, to
    /// today or the pause), when the project got that far.
    funds_window: Option<(NaiveDate, NaiveDate)>,
    /// Share of the investment in place by now, in ‰ of the whole.
    funds_permille: i64,
}

fn days_before(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_sub_days(Days::new(days as u64)).expect("date in range")
}

fn days_after(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_days(Days::new(days as u64)).expect("date in range")
}

/// Days since the last stage change. Signed projects come in three bands so
/// that the 180/365-day "重签约、轻落地" warnings have cases of each.
fn idle_days(rng: &mut Rng, stage: usize) -> i64 {
    match stage {
        NEGOTIATING if rng.permille(600) => rng.range(0, 120),
        NEGOTIATING => rng.range(121, 420),
        SIGNED => match rng.weighted([40u32, 35, 25].into_iter()) {
            0 => rng.range(5, 179),
            1 => rng.range(181, 364),
            _ => rng.range(366, 700),
        },
        APPROVED if rng.permille(550) => rng.range(5, 150),
        APPROVED => rng.range(151, 420),
        STARTED => rng.range(10, 900),
        PRODUCING => rng.range(0, 420),
        AT_CAPACITY => rng.range(0, 240),
        ON_HOLD => rng.range(0, 420),
        _ => rng.range(0, 600),
    }
}

/// The dated path of a project ending in `stage`, built backwards from
/// today: sampled gaps between stages, then the whole story shifted so that
/// its last event is `idle` days ago. Stories longer than the window are
/// compressed, except signed→started which stays within 2–12 months.
fn timeline(rng: &mut Rng, stage: usize, land: Land, today: NaiveDate) -> Timeline {
    if stage == RESERVE {
        return Timeline {
            created: days_before(today, rng.range(0, 540)),
            steps: Vec::new(),
            expected: None,
            signed: None,
            funds_window: None,
            funds_permille: 0,
        };
    }
    let (path_end, tail) = match stage {
        ON_HOLD => {
            ([NEGOTIATING, SIGNED, APPROVED, STARTED][rng.weighted([25u32, 30, 15, 30].into_iter())], Some(ON_HOLD))
        }
        TERMINATED => (
            [RESERVE, NEGOTIATING, SIGNED, APPROVED, STARTED][rng.weighted([15u32, 45, 25, 10, 5].into_iter())],
            Some(TERMINATED),
        ),
        s => (s, None),
    };
    let service = matches!(land, Land::Office | Land::Commercial);

    let mut gaps: Vec<(usize, i64)> = Vec::new();
    let mut idle = 0;
    for _attempt in 0..12 {
        gaps.clear();
        if path_end >= NEGOTIATING {
            gaps.push((NEGOTIATING, rng.range(7, 120)));
        }
        if path_end >= SIGNED {
            gaps.push((SIGNED, rng.range(20, 240)));
        }
        if path_end >= STARTED {
            let signed_to_started = rng.range(60, 365);
            let to_approved = (signed_to_started * rng.range(35, 80) / 100).max(10);
            gaps.push((APPROVED, to_approved));
            gaps.push((STARTED, signed_to_started - to_approved));
        } else if path_end == APPROVED {
            gaps.push((APPROVED, rng.range(20, 240)));
        }
        if path_end >= PRODUCING {
            gaps.push((PRODUCING, if service { rng.range(60, 300) } else { rng.range(150, 600) }));
        }
        if path_end >= AT_CAPACITY {
            gaps.push((AT_CAPACITY, rng.range(90, 450)));
        }
        match tail {
            Some(ON_HOLD) => gaps.push((ON_HOLD, rng.range(20, 300))),
            Some(_) => gaps.push((TERMINATED, rng.range(15, 360))),
            None => {}
        }
        idle = idle_days(rng, stage);
        if gaps.iter().map(|g| g.1).sum::<i64>() + idle <= WINDOW_DAYS {
            break;
        }
    }
    let total: i64 = gaps.iter().map(|g| g.1).sum::<i64>() + idle;
    if total > WINDOW_DAYS {
        // Compress everything but signed→approved→started.
        let fixed: i64 =
            gaps.iter().filter(|g| matches!(g.0, APPROVED | STARTED) && path_end >= STARTED).map(|g| g.1).sum();
        let budget = WINDOW_DAYS - fixed;
        let scalable = total - fixed;
        for g in gaps.iter_mut() {
            if !(matches!(g.0, APPROVED | STARTED) && path_end >= STARTED) {
                g.1 = (g.1 * budget / scalable).max(1);
            }
        }
        idle = idle * budget / scalable;
    }
    let span: i64 = gaps.iter().map(|g| g.1).sum::<i64>() + idle;
    let created = days_before(today, span);
    let mut date = created;
    let steps: Vec<(usize, NaiveDate)> = gaps
        .iter()
        .map(|&(s, gap)| {
            date = days_after(date, gap);
            (s, date)
        })
        .collect();
    let date_of = |s: usize| steps.iter().find(|step| step.0 == s).map(|step| step.1);
    let signed = date_of(SIGNED);
    let started = date_of(STARTED);

    let expected = match (stage, started, signed) {
        (TERMINATED, _, _) => None,
        (_, Some(started), _) => {
            // Planned construction period; for projects already producing the
            // plan was close to what happened.
            let plan = match date_of(PRODUCING) {
                Some(producing) => ((producing - started).num_days() + rng.range(-60, 120)).max(30),
                None if service => rng.range(120, 360),
                None => rng.range(240, 720),
            };
            Some(days_after(started, plan))
        }
        (_, None, Some(signed)) => Some(days_after(signed, rng.range(300, 900))),
        _ => None,
    };

    let reached = if tail.is_some() { path_end } else { stage };
    let funds_window = match (signed, stage) {
        (Some(signed), s) if s != TERMINATED => {
            let window_start = months_back(today, 23);
            let end = if s == ON_HOLD { date_of(ON_HOLD).expect("on hold date") } else { today };
            Some((signed.max(window_start), end))
        }
        _ => None,
    };
    let mut funds_permille = match reached {
        SIGNED => rng.range(20, 120),
        APPROVED => rng.range(50, 200),
        STARTED => rng.range(200, 600),
        PRODUCING => rng.range(500, 850),
        AT_CAPACITY => rng.range(700, 1_000),
        _ => 0,
    };
    if stage == ON_HOLD {
        funds_permille /= 2;
    }
    Timeline { created, steps, expected, signed, funds_window, funds_permille }
}

/// First day of the month `months` months before `date`'s month.
fn months_back(date: NaiveDate, months: i32) -> NaiveDate {
    let index = date.year() * 12 + date.month0() as i32 - months;
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1).expect("valid month")
}

fn month_index(date: NaiveDate) -> i32 {
    date.year() * 12 + date.month0() as i32
}

/// Monthly funds-in-place entries between `from` and `to` (at most one per
/// month, most months having one) summing to the share of `base` that fits
/// the project's progress and the part of its life inside the window.
fn funds(
    rng: &mut Rng,
    kind: &str,
    base: i64,
    permille: i64,
    signed: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Funds> {
    if from > to || permille == 0 {
        return Vec::new();
    }
    let (first, last) = (month_index(from), month_index(to));
    let months_in_window = i64::from(last - first + 1);
    let months_since_signing = i64::from(last - month_index(signed) + 1);
    let target = base * permille / 1_000 * months_in_window / months_since_signing;

    let mut months: Vec<i32> = (first..=last).filter(|_| rng.permille(700)).collect();
    if months.is_empty() {
        months.push(last);
    }
    let weights: Vec<i64> = months.iter().map(|_| rng.range(50, 150)).collect();
    let weight_sum: i64 = weights.iter().sum();
    let notes = if kind == "foreign" { catalog::FUNDS_NOTES_FOREIGN } else { catalog::FUNDS_NOTES_DOMESTIC };
    months
        .iter()
        .zip(&weights)
        .map(|(&m, &w)| {
            let day = rng.range(5, 28) as u32;
            let date = NaiveDate::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, day)
                .expect("valid day")
                .clamp(from, to);
            // Whole 万 per entry, like bank receipts are reported.
            let amount = (target * w / weight_sum / 100 * 100).max(100);
            Funds {
                date,
                kind: kind.to_string(),
                amount_cents: amount,
                note: rng.pick(notes).replace("{m}", &date.month().to_string()),
            }
        })
        .collect()
}

struct NoteContext<'a> {
    unit: &'a str,
    short: &'a str,
    hq: &'a str,
}

fn note(rng: &mut Rng, stage: usize, land: Land, ctx: &NoteContext) -> String {
    let builds = !matches!(land, Land::Office);
    let producing_like_plant = matches!(land, Land::Factory);
    let options: &[&str] = match stage {
        NEGOTIATING => catalog::NOTES_NEGOTIATING,
        SIGNED => catalog::NOTES_SIGNED,
        APPROVED => catalog::NOTES_APPROVED,
        STARTED if builds => catalog::NOTES_STARTED_BUILD,
        STARTED => catalog::NOTES_STARTED_FIT_OUT,
        PRODUCING if producing_like_plant => catalog::NOTES_PRODUCING_FACTORY,
        PRODUCING => catalog::NOTES_PRODUCING_SERVICE,
        AT_CAPACITY => catalog::NOTES_AT_CAPACITY,
        ON_HOLD => catalog::NOTES_ON_HOLD,
        _ => catalog::NOTES_TERMINATED,
    };
    // A Zhengzhou company is not visited "in 郑州" nor does it "come to 郑州".
    let local = ctx.hq == "郑州";
    let fitting: Vec<&str> =
        options.iter().copied().filter(|o| !local || !(o.contains("{hq}") || o.contains("来郑"))).collect();
    rng.pick(&fitting).replace("{unit}", ctx.unit).replace("{short}", ctx.short).replace("{hq}", ctx.hq)
}

#[cfg(test)]
mod tests;
