//! The schemes shipped (assessment.md, Default schemes shipped), embedded from
//! `crates/domain/schemes/*.toml`: a deployment starts from them and edits its own copy.

use super::Scheme;

/// 招商引资工作考核 (annual, 100 base points): 招商引资指标完成情况 40, 重大项目进展 40,
/// 主要领导推动 20, the top-10 bonus, and targets for the 16 assessed units.
pub const ANNUAL: &str = include_str!("../../schemes/annual.toml");

/// 营商环境评价: 问题按期解决率 40, surveyed satisfaction 30, approval days 30 (fewer is better).
pub const BUSINESS_ENVIRONMENT: &str = include_str!("../../schemes/business_environment.toml");

/// assessment.md's worked example (period 2025; indicators `funds`, `signed`, `start`,
/// `visits`), over the units `u` (U1, U2, U3 in the spec, funds targets 100000, 50000,
/// 80000), with a `units` list naming them when `list_units`. The tests of every layer
/// reproduce the spec's table from it.
pub fn worked_example(u: [&str; 3], list_units: bool) -> String {
    let units =
        if list_units { format!("units = [\"{}\", \"{}\", \"{}\"]\n", u[0], u[1], u[2]) } else { String::new() };
    format!(
        "{WORKED_EXAMPLE_HEAD}{units}{WORKED_EXAMPLE_INDICATORS}\n[targets.funds]\n{} = 100000\n{} = 50000\n{} = 80000\n",
        u[0], u[1], u[2]
    )
}

const WORKED_EXAMPLE_HEAD: &str =
    "\nname = \"2025年度县(市、区)、开发区招商引资工作考核\"\nfrom = 2025-01-01\nto = 2025-12-31\n";

const WORKED_EXAMPLE_INDICATORS: &str = r#"
[[indicator]]
code = "funds"
name = "实际到位省外资金"
group = "招商引资指标完成情况"
measure = "funds_domestic"
method = "ratio_to_target"
weight = 40
cap = 1.2

[[indicator]]
code = "signed"
name = "新签约亿元以上项目"
group = "重大项目进展"
measure = "new_signed_major"
method = "relative_to_best"
weight = 20

[[indicator]]
code = "start"
name = "签约项目开工率"
group = "重大项目进展"
measure = "start_rate"
method = "rate"
weight = 20

[[indicator]]
code = "visits"
name = "党政正职带队拜访500强及行业领军企业"
group = "主要领导推动"
measure = "leader_visits_500"
method = "count_points"
points_each = 5
weight = 20
"#;

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
