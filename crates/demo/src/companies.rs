//! Companies: the catalog's real ones and invented ones, with valid 统一社会信用代码.

use super::*;

/// What project generation needs to know about a company beyond its `NewCompany`.
pub(crate) struct CompanyMeta {
    /// Short name used in project names ("比亚迪", "豫新").
    pub(crate) short: String,
    pub(crate) leaf: usize,
    pub(crate) foreign: bool,
    /// On a 500 list or an industry leader: city-reportable investor.
    pub(crate) notable: bool,
    pub(crate) real: bool,
    /// May be named as the investor of a demo project (not a [`catalog::LIBRARY_ONLY`] one).
    pub(crate) investor: bool,
    /// Registered in Henan: its money is not 省外资金.
    pub(crate) henan: bool,
}

/// A company without ranks or credit code; the 领军理由 of an industry leader is the
/// generic one.
fn company(name: String, country: &str, region: &str, hq_city: &str, industry: &str, leader: bool) -> NewCompany {
    NewCompany {
        name,
        country: country.to_string(),
        region: Some(region.to_string()),
        hq_city: Some(hq_city.to_string()),
        industry: Some(industry.to_string()),
        industry_leader: leader,
        leader_reason: leader.then(|| "细分行业龙头企业".to_string()),
        ..NewCompany::default()
    }
}

pub(crate) fn leaf_index(code: &str) -> usize {
    INDUSTRIES
        .iter()
        .position(|i| i.code == code)
        .unwrap_or_else(|| panic!("catalog industry {code} is not a leaf of industries.csv"))
}

pub(crate) fn is_foreign_region(region: &str) -> bool {
    matches!(region, "europe_america" | "japan_korea" | "hk_macao_taiwan" | "belt_road" | "other_foreign")
}

pub(crate) fn build_companies(rng: &mut Rng, count: usize) -> (Vec<NewCompany>, Vec<CompanyMeta>) {
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
            investor: !catalog::LIBRARY_ONLY.contains(&rc.name),
            henan: rc.region == "henan",
        });
        companies.push(NewCompany {
            fortune_global_500_rank: rc.fortune_global_500,
            china_500_rank: rc.china_500,
            china_private_500_rank: rc.china_private_500,
            rank_year: ranked.then_some(RANK_YEAR),
            ..company(rc.name.to_string(), rc.country, rc.region, rc.hq_city, rc.industry, rc.industry_leader)
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
        let region = company.region.as_deref().unwrap_or_default();
        meta.push(CompanyMeta {
            short,
            leaf,
            foreign: is_foreign_region(region),
            notable: company.industry_leader,
            real: false,
            investor: true,
            henan: region == "henan",
        });
        companies.push(company);
    }
    (companies, meta)
}

/// A two-character brand ("豫新") or, one time in five, four ("中原智造";
/// Henan place words only for Henan companies).
pub(crate) fn brand(rng: &mut Rng, henan: bool) -> String {
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

pub(crate) fn suffix(rng: &mut Rng) -> &'static str {
    COMPANY_SUFFIXES[rng.weighted(COMPANY_SUFFIXES.iter().map(|s| s.1))].0
}

/// Inserts `candidate()` into `names` until one is new; after many clashes
/// (practically never) falls back to a numbered branch office name.
pub(crate) fn unique_name(names: &mut HashSet<String>, mut candidate: impl FnMut() -> String) -> String {
    for _ in 0..200 {
        let name = candidate();
        if names.insert(name.clone()) {
            return name;
        }
    }
    let base = candidate();
    (2..).map(|k| format!("{base}第{k}分公司")).find(|name| names.insert(name.clone())).expect("unbounded")
}

pub(crate) fn invent_domestic(
    rng: &mut Rng,
    industry: &Industry,
    names: &mut HashSet<String>,
    codes: &mut HashSet<String>,
) -> (NewCompany, String) {
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
        if let Ok(valid) = CreditCode::parse(&code)
            && codes.insert(code)
        {
            break valid;
        }
    };
    let leader = rng.permille(25);
    let company =
        NewCompany { credit_code: Some(code), ..company(name, "中国", region, city.name, industry.code, leader) };
    (company, short)
}

/// Distinct regions of the origins, in table order.
pub(crate) fn regions_of(origins: &[catalog::Origin]) -> Vec<&'static str> {
    let mut regions: Vec<&'static str> = Vec::new();
    for o in origins {
        if !regions.contains(&o.region) {
            regions.push(o.region);
        }
    }
    regions
}

pub(crate) fn invent_foreign(
    rng: &mut Rng,
    industry: &Industry,
    region: &str,
    names: &mut HashSet<String>,
) -> (NewCompany, String) {
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
    let hq_city = rng.pick(origin.cities);
    let company = company(name, origin.country, origin.region, hq_city, industry.code, rng.permille(40));
    (company, short)
}

/// Characters of the unified social credit code (GB 32100-2015): digits and
/// capitals without I, O, S, V, Z (the organisation code's letters are drawn from it).
pub(crate) const CODE_CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Check character of the embedded organisation code (GB 11714-1997), so that
/// positions 9–17 are a valid 组织机构代码 as in real codes.
pub(crate) fn org_check_char(body: &[u8; 8]) -> u8 {
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
pub(crate) fn credit_code(rng: &mut Rng, division: &str) -> String {
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
    // All 17 are of the charset, so there is a check character; `?` cannot be reached.
    code.push(domain::credit_code::check_char(&code).map_or(b'?', |c| c as u8));
    String::from_utf8(code).expect("ascii")
}
