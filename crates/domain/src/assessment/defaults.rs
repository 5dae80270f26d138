//! The schemes shipped (assessment.md, Default schemes shipped), embedded from
//! `crates/domain/schemes/*.toml`: a deployment starts from them and edits its own copy.

use super::Scheme;

/// 招商引资工作考核 (annual, 100 base points): 招商引资指标完成情况 40, 重大项目进展 40,
/// 主要领导推动 20, the top-10 bonus, and targets for the 16 assessed units.
pub const ANNUAL: &str = include_str!("../../schemes/annual.toml");

/// 营商环境评价: 问题按期解决率 40, surveyed satisfaction 30, approval days 30 (fewer is better).
pub const BUSINESS_ENVIRONMENT: &str = include_str!("../../schemes/business_environment.toml");

/// Every scheme shipped: a file name and its text.
pub const ALL: [(&str, &str); 2] = [("annual.toml", ANNUAL), ("business_environment.toml", BUSINESS_ENVIRONMENT)];

/// The annual scheme, parsed.
pub fn annual() -> Scheme {
    Scheme::parse(ANNUAL).expect("the shipped annual scheme parses")
}

/// The business-environment scheme, parsed.
pub fn business_environment() -> Scheme {
    Scheme::parse(BUSINESS_ENVIRONMENT).expect("the shipped business-environment scheme parses")
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;
    use crate::assessment::{Method, UnitRef};
    use crate::reference::units;

    fn assessed() -> Vec<UnitRef> {
        units().iter().filter(|u| u.assessed).map(|u| UnitRef::new(&u.code, &u.name)).collect()
    }

    #[test]
    fn both_parse_and_fit_the_sixteen_assessed_units() {
        let units = assessed();
        assert_eq!(units.len(), 16);
        for (file, text) in ALL {
            let scheme = Scheme::parse(text).unwrap_or_else(|e| panic!("{file}: {e}"));
            let ok = scheme.assessed_units(&units).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(ok, units, "{file}");
        }
    }

    #[test]
    fn the_annual_scheme_weighs_one_hundred_in_three_groups() {
        let s = annual();
        assert_eq!(s.total_weight(), Decimal::ONE_HUNDRED);
        let groups: Vec<(String, Decimal)> = s.group_weights();
        let expected = [("招商引资指标完成情况", 40), ("重大项目进展", 40), ("主要领导推动", 20)];
        assert_eq!(groups, expected.map(|(g, w)| (g.to_string(), Decimal::from(w))).to_vec());
        assert_eq!(s.top10_bonus, Some(Decimal::TWO));
        assert_eq!(s.indicators.iter().filter(|i| i.method == Method::RatioToTarget).count(), 2);
        for i in s.indicators.iter().filter(|i| i.method == Method::RatioToTarget) {
            assert_eq!(i.cap, Some(Decimal::new(12, 1)), "{}", i.code);
        }
        for i in s.indicators.iter().filter(|i| i.method == Method::CountPoints) {
            assert_eq!((i.points_each, i.weight), (Some(Decimal::TWO), Decimal::TEN), "{}", i.code);
        }
    }

    #[test]
    fn the_business_environment_scheme_counts_fewer_days_as_better() {
        let s = business_environment();
        assert_eq!(s.total_weight(), Decimal::ONE_HUNDRED);
        let days = s.indicator("approval_days").unwrap();
        assert!(days.lower_is_better);
        assert_eq!(days.method, Method::RelativeToBest);
        assert!(s.targets.is_empty());
    }
}
