//! Projects: unit, industry and investor drawn to fit each other, names, amounts, leaders.

use super::*;

/// The stages by index, in `domain::stage::ALL`'s order (the indexes below).
pub(crate) const STAGES: [Stage; 9] = domain::stage::ALL;
pub(crate) const RESERVE: usize = 0;
pub(crate) const NEGOTIATING: usize = 1;
pub(crate) const SIGNED: usize = 2;
pub(crate) const APPROVED: usize = 3;
pub(crate) const STARTED: usize = 4;
pub(crate) const PRODUCING: usize = 5;
pub(crate) const AT_CAPACITY: usize = 6;
pub(crate) const ON_HOLD: usize = 7;
pub(crate) const TERMINATED: usize = 8;
/// Shares of projects per final stage: a pipeline with most projects between
/// talks and production, and enough paused or dropped ones to show.
pub(crate) const STAGE_WEIGHTS: [u32; 9] = [11, 14, 14, 9, 16, 13, 9, 7, 7];

/// How far back a project's story may start: a little over three years.
pub(crate) const WINDOW_DAYS: i64 = 1185;

/// Investor pools by industry, so that a project finds an investor of its
/// trade: leaf first, then the leaf's group ("electronics", "logistics"…).
pub(crate) struct Pools {
    pub(crate) invented_by_leaf: Vec<Vec<usize>>,
    pub(crate) invented_by_group: Vec<Vec<usize>>,
    pub(crate) real_by_leaf: Vec<Vec<usize>>,
    pub(crate) real_by_group: Vec<Vec<usize>>,
    pub(crate) group_of_leaf: Vec<usize>,
    pub(crate) equity: Vec<usize>,
    pub(crate) invented: Vec<usize>,
}

impl Pools {
    pub(crate) fn new(meta: &[CompanyMeta]) -> Pools {
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
        for (key, m) in meta.iter().enumerate().filter(|(_, m)| m.investor) {
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
    pub(crate) fn lead_investor(&self, rng: &mut Rng, leaf: usize, real_permille: u32) -> usize {
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
    pub(crate) fn co_investor(&self, rng: &mut Rng, leaf: usize, lead: usize) -> Option<usize> {
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
pub(crate) fn affinity(unit: &Unit, code: &str) -> u32 {
    unit.affinity
        .iter()
        .filter(|(prefix, _)| code == *prefix || code.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('.')))
        .map(|&(_, w)| w)
        .max()
        .unwrap_or(1)
}

/// Leaders of every unit (and of the city), each a distinct person with a
/// fixed title, so that one person leads several projects like in reality.
pub(crate) struct Rosters {
    pub(crate) units: Vec<Vec<String>>,
    pub(crate) city: Vec<String>,
}

impl Rosters {
    pub(crate) fn new(rng: &mut Rng) -> Rosters {
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

pub(crate) fn build_projects(
    rng: &mut Rng,
    companies: &[NewCompany],
    meta: &[CompanyMeta],
    n: usize,
    today: NaiveDate,
) -> (Vec<BulkProject>, Rosters) {
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
    (projects, rosters)
}

pub(crate) struct ProjectInput {
    pub(crate) unit: usize,
    pub(crate) stage: usize,
    pub(crate) leaf: usize,
    pub(crate) real_permille: u32,
    pub(crate) today: NaiveDate,
}

pub(crate) fn build_project(
    rng: &mut Rng,
    input: &ProjectInput,
    companies: &[NewCompany],
    meta: &[CompanyMeta],
    pools: &Pools,
    rosters: &Rosters,
    names: &mut NameBook,
) -> BulkProject {
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
    let categories: Vec<Category> = [
        (pillar, Category::Pillar),
        (targeted, Category::Targeted),
        (foreign, Category::Foreign),
        (headquarters, Category::Headquarters),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, c)| *c)
    .collect();

    let timeline = timeline(rng, input.stage, industry.land, input.today);
    let lead_region = lead_company.region.clone().unwrap_or_default();
    let hq = lead_company.hq_city.as_deref().unwrap_or_default();
    let notes = NoteContext { unit: unit.short, short: &lead_meta.short, hq };
    let transitions = timeline
        .steps
        .iter()
        .map(|&(stage, date)| TransitionInput {
            to: STAGES[stage],
            date,
            note: Some(note(rng, stage, industry.land, &notes)),
            reason: (stage == TERMINATED).then(|| rng.pick(catalog::TERMINATION_REASONS).to_string()),
            skipped_dates: Default::default(),
            version: None,
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

    let input = NewProject {
        name,
        unit: unit.code.to_string(),
        investor_ids: investors.iter().map(|&k| k as i64).collect(),
        industry: industry.code.to_string(),
        channel: channel(rng, industry.code, unit.code, &lead_region).map(str::to_string),
        region: lead_region,
        categories,
        total_investment: Money::from_hundredths(total),
        foreign_investment: foreign_investment.map(Money::from_hundredths),
        land_mu: land_mu_cents(rng, industry.land, total).map(Money::from_hundredths),
        lead_leader: lead_leader(rng, rosters, input, pillar || notable),
        created_on: Some(timeline.created),
        expected_producing_on: timeline.expected,
        ..NewProject::default()
    };
    BulkProject { input, transitions, funds }
}

/// Total investment in hundredths of 万元. Most projects 5,000–50,000 万元,
/// about one in six 5亿 or more, pillar ones 10亿–100亿; capital-heavy
/// industries and 500强 investors skew larger. Amounts are round like real
/// announcements, a few carry exact figures to the cent.
pub(crate) fn total_investment_cents(rng: &mut Rng, heavy: i8, ranked: bool) -> i64 {
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
pub(crate) fn land_mu_cents(rng: &mut Rng, land: Land, total_cents: i64) -> Option<i64> {
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
pub(crate) fn channel(rng: &mut Rng, industry: &str, unit: &str, region: &str) -> Option<&'static str> {
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
pub(crate) fn lead_leader(rng: &mut Rng, rosters: &Rosters, input: &ProjectInput, important: bool) -> Option<String> {
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
pub(crate) struct NameBook {
    pub(crate) by_unit: Vec<HashSet<u64>>,
    pub(crate) all: HashSet<u64>,
    /// Next phase to try per (unit, stem), so that a name repeated thousands
    /// of times in a huge dataset does not rescan its phases.
    pub(crate) next_phase: HashMap<(usize, u64), usize>,
}

impl NameBook {
    pub(crate) fn new() -> NameBook {
        NameBook { by_unit: vec![HashSet::new(); UNITS.len()], all: HashSet::new(), next_phase: HashMap::new() }
    }
}

/// FNV-1a, 64 bits: stable and cheap.
pub(crate) fn fingerprint(s: &str) -> u64 {
    s.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3))
}

/// "{investor}{rest}" without saying the trade twice: "豫诚科技" +
/// "科技研发中心" → "豫诚科技研发中心".
pub(crate) fn with_investor(short: &str, rest: &str) -> String {
    let short = catalog::SHORT_NAME_TRADES
        .iter()
        .find(|t| short.ends_with(**t) && rest.starts_with(**t))
        .map_or(short, |t| &short[..short.len() - t.len()]);
    format!("{short}{rest}")
}

/// A believable project name, unique within the unit. Returns whether the
/// name announces a headquarters ("…华中区域总部项目"). `wan` (the investment
/// in 万元) sizes the yearly output in "年产…" names.
pub(crate) fn project_name(
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
