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
}
