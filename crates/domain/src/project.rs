//! Project classification rules: categories, city-reportable, key project.

use serde::{Deserialize, Serialize};

use crate::money::Money;

/// Project categories (domain.md §4); several may apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 梁柱型 (seed 二(一))
    Pillar,
    /// 靶向 (seed 二(二))
    Targeted,
    /// 外资 (seed 二(三))
    Foreign,
    /// 总部
    Headquarters,
}

impl Category {
    pub const ALL: [Category; 4] = [Category::Pillar, Category::Targeted, Category::Foreign, Category::Headquarters];

    pub fn code(self) -> &'static str {
        match self {
            Category::Pillar => "pillar",
            Category::Targeted => "targeted",
            Category::Foreign => "foreign",
            Category::Headquarters => "headquarters",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::Pillar => "梁柱型",
            Category::Targeted => "靶向",
            Category::Foreign => "外资",
            Category::Headquarters => "总部",
        }
    }

    pub fn parse(text: &str) -> Option<Category> {
        let t = text.trim();
        Self::ALL.into_iter().find(|c| c.code() == t || c.label() == t || (t == "梁柱" && *c == Category::Pillar))
    }
}

/// What the city-reportable rule needs to know of one investor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InvestorStanding {
    pub fortune_global_500: bool,
    pub china_500: bool,
    /// 中国民营500强: named in the ledger's 投资方类型, not a city-reportable mark.
    pub china_private_500: bool,
    pub industry_leader: bool,
}

/// The 投资方类型 values a ledger may declare, highest first (ledger.md, 投资方类型).
pub const INVESTOR_TYPES: [&str; 5] = ["世界500强", "中国500强", "中国民营500强", "行业领军", "其他"];

/// 投资方类型 (ledger.md): the highest list the company is on, else 行业领军 when marked so,
/// else what a ledger declared when it created the company, else 其他.
pub fn investor_type(s: &InvestorStanding, declared: Option<&str>) -> &'static str {
    if s.fortune_global_500 {
        INVESTOR_TYPES[0]
    } else if s.china_500 {
        INVESTOR_TYPES[1]
    } else if s.china_private_500 {
        INVESTOR_TYPES[2]
    } else if s.industry_leader {
        INVESTOR_TYPES[3]
    } else {
        INVESTOR_TYPES.iter().find(|t| Some(**t) == declared).copied().unwrap_or(INVESTOR_TYPES[4])
    }
}

/// 5亿元 = 50,000 万元 (seed 三(一)一).
pub const CITY_REPORTABLE_THRESHOLD: Money = Money::from_units(50_000);

/// 三(一)一: 国内外500强、行业领军企业直接投资的项目，或投资5亿元以上项目 → 纳入全市招商引资信息数据库.
pub fn city_reportable(total_investment: Money, investors: &[InvestorStanding]) -> bool {
    total_investment >= CITY_REPORTABLE_THRESHOLD
        || investors.iter().any(|i| i.fortune_global_500 || i.china_500 || i.industry_leader)
}

/// One investor as the city-reportable reason names it: its name, its ranks and whether it
/// is marked an industry leader (with the reason given for it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RankedInvestor<'a> {
    pub name: &'a str,
    pub fortune_global_500_rank: Option<i32>,
    pub china_500_rank: Option<i32>,
    pub china_private_500_rank: Option<i32>,
    pub industry_leader: bool,
    pub leader_reason: Option<&'a str>,
}

impl RankedInvestor<'_> {
    /// What [`city_reportable`] knows of it.
    pub fn standing(&self) -> InvestorStanding {
        InvestorStanding {
            fortune_global_500: self.fortune_global_500_rank.is_some(),
            china_500: self.china_500_rank.is_some(),
            china_private_500: self.china_private_500_rank.is_some(),
            industry_leader: self.industry_leader,
        }
    }
}

/// The longest reason a city-reportable claim carries (characters): the field table's
/// `review.reason`.
pub fn reportable_reason_max() -> usize {
    crate::fields::REVIEW.max("reason")
}

/// `80000.00` → `80,000`, `80000.5` → `80,000.50` (万元 as the reason prints them).
fn grouped(m: Money) -> String {
    let s = m.to_string();
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |rest| ("-", rest));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut out = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if frac == "00" { format!("{sign}{out}") } else { format!("{sign}{out}.{frac}") }
}

// 三(一)一: 国内外500强、行业领军企业直接投资的项目，或投资5亿元以上项目 → 纳入全市招商引资信息数据库.
/// Every ground on which a project is city-reportable, in Chinese: the amount when it
/// reaches the threshold ("总投资 80,000 万元 ≥ 50,000 万元"), then each ranked investor with
/// its ranks ("投资方 富士康科技集团：世界500强第20位"). Empty exactly when
/// [`city_reportable`] is false.
pub fn reportable_grounds(total_investment: Money, investors: &[RankedInvestor<'_>]) -> Vec<String> {
    let mut out = vec![];
    if total_investment >= CITY_REPORTABLE_THRESHOLD {
        out.push(format!("总投资 {} 万元 ≥ {} 万元", grouped(total_investment), grouped(CITY_REPORTABLE_THRESHOLD)));
    }
    for i in investors {
        let mut parts = vec![];
        if let Some(r) = i.fortune_global_500_rank {
            parts.push(format!("世界500强第{r}位"));
        }
        if let Some(r) = i.china_500_rank {
            parts.push(format!("中国500强第{r}位"));
        }
        if i.industry_leader {
            match i.leader_reason.map(str::trim).filter(|r| !r.is_empty()) {
                Some(r) => parts.push(format!("行业领军企业（{r}）")),
                None => parts.push("行业领军企业".to_string()),
            }
        }
        if !parts.is_empty() {
            let name = Some(i.name.trim()).filter(|n| !n.is_empty()).unwrap_or("（未命名企业）");
            out.push(format!("投资方 {name}：{}", parts.join("、")));
        }
    }
    out
}

/// [`reportable_grounds`] as one text (joined by "；"), cut to [`reportable_reason_max`]
/// characters with "…" when a project names very many ranked investors. Empty exactly when
/// the project is not city-reportable.
pub fn reportable_reason(total_investment: Money, investors: &[RankedInvestor<'_>]) -> String {
    let text = reportable_grounds(total_investment, investors).join("；");
    let max = reportable_reason_max();
    if text.chars().count() <= max {
        return text;
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// 三(一)二: a key project (重点项目) is a pillar project or a city-reportable one; it needs 四个一.
pub fn key_project(categories: &[Category], city_reportable: bool) -> bool {
    city_reportable || categories.contains(&Category::Pillar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_is_inclusive_at_five_hundred_million_yuan() {
        let ordinary = [InvestorStanding::default()];
        assert!(city_reportable(Money::from_units(60_000), &ordinary));
        assert!(city_reportable(Money::from_units(50_000), &ordinary));
        assert!(!city_reportable(Money::parse("49999.99").unwrap(), &ordinary));
        assert!(!city_reportable(Money::parse("49999.99").unwrap(), &[]));
    }

    #[test]
    fn any_ranked_investor_makes_it_reportable() {
        let small = Money::from_units(100);
        let china500 = InvestorStanding { china_500: true, ..Default::default() };
        let fortune = InvestorStanding { fortune_global_500: true, ..Default::default() };
        let leader = InvestorStanding { industry_leader: true, ..Default::default() };
        assert!(city_reportable(small, &[InvestorStanding::default(), china500]));
        assert!(city_reportable(small, &[fortune]));
        assert!(city_reportable(small, &[leader]));
    }

    #[test]
    fn investor_type_is_the_highest_list_then_the_declared_type() {
        let none = InvestorStanding::default();
        let all = InvestorStanding {
            fortune_global_500: true,
            china_500: true,
            china_private_500: true,
            industry_leader: true,
        };
        assert_eq!(investor_type(&all, Some("其他")), "世界500强");
        assert_eq!(
            investor_type(&InvestorStanding { china_500: true, china_private_500: true, ..none }, None),
            "中国500强"
        );
        assert_eq!(
            investor_type(&InvestorStanding { china_private_500: true, industry_leader: true, ..none }, None),
            "中国民营500强"
        );
        assert_eq!(investor_type(&InvestorStanding { industry_leader: true, ..none }, Some("世界500强")), "行业领军");
        // unranked: what the ledger declared, when it is one of the types
        for t in INVESTOR_TYPES {
            assert_eq!(investor_type(&none, Some(t)), t);
        }
        assert_eq!(investor_type(&none, Some("外资企业")), "其他");
        assert_eq!(investor_type(&none, None), "其他");
    }

    #[test]
    fn key_project_is_pillar_or_reportable() {
        assert!(key_project(&[Category::Pillar], false));
        assert!(key_project(&[], true));
        assert!(!key_project(&[Category::Foreign, Category::Targeted], false));
    }

    #[test]
    fn categories_parse_by_code_and_label() {
        assert_eq!(Category::parse("梁柱型"), Some(Category::Pillar));
        assert_eq!(Category::parse("foreign"), Some(Category::Foreign));
        assert_eq!(Category::parse("其他"), None);
    }

    fn foxconn() -> RankedInvestor<'static> {
        RankedInvestor { name: "富士康科技集团", fortune_global_500_rank: Some(20), ..Default::default() }
    }

    #[test]
    fn the_reason_names_the_investor_and_its_rank() {
        let small = Money::from_units(3_000);
        assert_eq!(reportable_reason(small, &[foxconn()]), "投资方 富士康科技集团：世界500强第20位");
        let leader = RankedInvestor {
            name: "宇通客车",
            china_500_rank: Some(312),
            industry_leader: true,
            leader_reason: Some("国内客车销量第一"),
            ..Default::default()
        };
        let plain =
            RankedInvestor { name: "本地商贸公司", china_private_500_rank: Some(88), ..Default::default() };
        assert_eq!(
            reportable_grounds(small, &[plain, leader]),
            ["投资方 宇通客车：中国500强第312位、行业领军企业（国内客车销量第一）"]
        );
        let bare =
            RankedInvestor {
                name: "某龙头", industry_leader: true, leader_reason: Some("  "), ..Default::default()
            };
        assert_eq!(reportable_reason(small, &[bare]), "投资方 某龙头：行业领军企业");
        // 中国民营500强 alone is not a ground
        assert_eq!(reportable_reason(small, &[plain]), "");
    }

    #[test]
    fn the_reason_gives_the_amount_and_every_ground() {
        assert_eq!(reportable_reason(Money::from_units(80_000), &[]), "总投资 80,000 万元 ≥ 50,000 万元");
        assert_eq!(reportable_reason(Money::from_units(50_000), &[]), "总投资 50,000 万元 ≥ 50,000 万元");
        assert_eq!(
            reportable_reason(Money::parse("123456.5").unwrap(), &[foxconn()]),
            "总投资 123,456.50 万元 ≥ 50,000 万元；投资方 富士康科技集团：世界500强第20位"
        );
        assert_eq!(reportable_reason(Money::parse("49999.99").unwrap(), &[]), "");
    }

    #[test]
    fn a_long_reason_is_cut_to_the_field_length() {
        let name = "企".repeat(200);
        let many: Vec<RankedInvestor> = (0..20)
            .map(|r| RankedInvestor { name: &name, fortune_global_500_rank: Some(r), ..Default::default() })
            .collect();
        let text = reportable_reason(Money::from_units(1), &many);
        assert_eq!(text.chars().count(), reportable_reason_max());
        assert!(text.ends_with('…'));
    }

    proptest::proptest! {
        // 三(一)一: the reason is non-empty exactly when the project is city-reportable, and
        // it always fits the field.
        #[test]
        fn a_reason_exactly_when_reportable(
            total in 0i64..10_000_000,
            ranks in proptest::collection::vec(
                (proptest::option::of(1i32..500), proptest::option::of(1i32..500), proptest::option::of(1i32..500), proptest::bool::ANY),
                0..4,
            ),
        ) {
            let total = Money::from_hundredths(total);
            let investors: Vec<RankedInvestor> = ranks
                .iter()
                .map(|&(f, c, p, l)| RankedInvestor {
                    name: "某企业",
                    fortune_global_500_rank: f,
                    china_500_rank: c,
                    china_private_500_rank: p,
                    industry_leader: l,
                    leader_reason: None,
                })
                .collect();
            let standing: Vec<InvestorStanding> = investors.iter().map(RankedInvestor::standing).collect();
            let reason = reportable_reason(total, &investors);
            proptest::prop_assert_eq!(!reason.is_empty(), city_reportable(total, &standing));
            proptest::prop_assert!(reason.chars().count() <= reportable_reason_max());
            proptest::prop_assert_eq!(reportable_grounds(total, &investors).is_empty(), reason.is_empty());
        }
    }
}
