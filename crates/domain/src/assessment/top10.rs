//! 十大重大招商引资项目 (assessment.md, Top-10 projects): the rules of a year's pick — exactly
//! ten distinct candidates, each with a citation — and the order candidates are listed in.
//! Pure: the store finds the candidates (projects of the assessed units that reached
//! `signed` or later in the year, by a city-accepted date) and saves the pick.

// 三(三): 每年评选出十大重大招商引资项目

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use crate::fields::TOP10;
use crate::{FieldError, Money, Stage};

/// How many projects a year's pick holds.
pub const TOP_TEN: usize = 10;

/// One project picked, with the reason it was chosen (入选理由).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub project_id: i64,
    pub citation: String,
}

/// What the ordering of candidates reads of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CandidateKey<'a> {
    /// The furthest stage the city accepted within the year (`signed` … `at_capacity`).
    pub stage: Stage,
    pub total_investment: Money,
    pub code: &'a str,
}

/// The order candidates are listed in: the stage reached, later stages first; then total
/// investment, largest first; then project code.
pub fn candidate_order(a: &CandidateKey<'_>, b: &CandidateKey<'_>) -> Ordering {
    let stage = |k: &CandidateKey<'_>| k.stage.order().unwrap_or(0);
    stage(b).cmp(&stage(a)).then_with(|| b.total_investment.cmp(&a.total_investment)).then_with(|| a.code.cmp(b.code))
}

/// What is wrong with a pick, every problem at once: `picks` for the count and a project
/// picked twice (one message, joined); `picks[i].project_id` for a project that is not a candidate of the year;
/// `picks[i].citation` for a missing or too long citation. `candidates` maps each
/// candidate's project id to how messages name it (`代码 名称`).
pub fn check_pick(picks: &[Pick], candidates: &BTreeMap<i64, String>) -> Vec<FieldError> {
    let mut errors = vec![];
    // the messages on `picks` itself, joined into one (a field names one message)
    let mut whole = vec![];
    if picks.len() != TOP_TEN {
        whole.push(format!("须恰好选定 {TOP_TEN} 个项目，现选了 {} 个", picks.len()));
    }
    let mut seen = BTreeSet::new();
    let max = TOP10.max("citation");
    for (i, p) in picks.iter().enumerate() {
        let name = candidates.get(&p.project_id).cloned();
        let named = name.clone().unwrap_or_else(|| format!("项目 #{}", p.project_id));
        if !seen.insert(p.project_id) {
            whole.push(format!("{named} 重复选定"));
        }
        if name.is_none() {
            errors.push(FieldError::new(
                format!("picks[{i}].project_id"),
                format!("{named} 不是本年度的候选项目（须为考核单位本年度经市级审核达到签约及以后阶段的项目）"),
            ));
        }
        let citation = p.citation.trim();
        if citation.is_empty() {
            errors.push(FieldError::new(format!("picks[{i}].citation"), format!("请填写 {named} 的入选理由")));
        } else if citation.chars().count() > max {
            errors.push(FieldError::new(
                format!("picks[{i}].citation"),
                format!("{named} 的入选理由不能超过 {max} 个字符"),
            ));
        }
    }
    if !whole.is_empty() {
        errors.insert(0, FieldError::new("picks", whole.join("；")));
    }
    errors
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn candidates(n: i64) -> BTreeMap<i64, String> {
        (1..=n).map(|i| (i, format!("P{i:03} 项目{i}"))).collect()
    }

    fn pick(ids: impl IntoIterator<Item = i64>) -> Vec<Pick> {
        ids.into_iter().map(|id| Pick { project_id: id, citation: format!("理由{id}") }).collect()
    }

    #[test]
    fn ten_distinct_candidates_with_citations_pass() {
        assert!(check_pick(&pick(1..=10), &candidates(12)).is_empty());
    }

    #[test]
    fn the_count_is_exactly_ten() {
        for n in [0, 9, 11] {
            let e = check_pick(&pick(1..=n), &candidates(12));
            assert_eq!(e.len(), 1, "{e:?}");
            assert_eq!(e[0].field, "picks");
            assert!(e[0].message.contains("恰好选定 10 个"), "{}", e[0].message);
        }
    }

    #[test]
    fn a_duplicate_is_named() {
        let mut p = pick(1..=9);
        p.push(Pick { project_id: 3, citation: "再选".into() });
        let e = check_pick(&p, &candidates(12));
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].field, "picks");
        assert!(e[0].message.contains("P003 项目3 重复选定"));
    }

    #[test]
    fn a_non_candidate_is_refused_by_its_row() {
        let mut p = pick(1..=9);
        p.push(Pick { project_id: 99, citation: "x".into() });
        let e = check_pick(&p, &candidates(12));
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].field, "picks[9].project_id");
        assert!(e[0].message.contains("项目 #99 不是本年度的候选项目"));
    }

    #[test]
    fn citations_are_required_and_bounded() {
        let mut p = pick(1..=10);
        p[3].citation = "  ".into();
        p[5].citation = "字".repeat(501);
        let e = check_pick(&p, &candidates(10));
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["picks[3].citation", "picks[5].citation"]);
        assert!(e[0].message.contains("P004 项目4"));
        assert!(e[1].message.contains("500"));
        p[5].citation = "字".repeat(500);
        p[3].citation = "好".into();
        assert!(check_pick(&p, &candidates(10)).is_empty());
    }

    #[test]
    fn candidates_sort_by_stage_then_investment_then_code() {
        let m = |w: i64| Money::from_hundredths(w * 100);
        let mut v = [
            CandidateKey { stage: Stage::Signed, total_investment: m(900), code: "A" },
            CandidateKey { stage: Stage::Producing, total_investment: m(10), code: "B" },
            CandidateKey { stage: Stage::Signed, total_investment: m(900), code: "0" },
            CandidateKey { stage: Stage::Started, total_investment: m(5), code: "C" },
            CandidateKey { stage: Stage::Signed, total_investment: m(1000), code: "Z" },
            CandidateKey { stage: Stage::AtCapacity, total_investment: m(1), code: "D" },
        ];
        v.sort_by(candidate_order);
        let codes: Vec<&str> = v.iter().map(|k| k.code).collect();
        assert_eq!(codes, ["D", "B", "C", "Z", "0", "A"]);
    }

    proptest! {
        #[test]
        fn only_ten_distinct_candidates_pass(ids in proptest::collection::vec(1i64..30, 0..15)) {
            let c = candidates(20);
            let errors = check_pick(&pick(ids.iter().copied()), &c);
            let distinct: BTreeSet<i64> = ids.iter().copied().collect();
            let valid = ids.len() == TOP_TEN && distinct.len() == TOP_TEN && ids.iter().all(|i| c.contains_key(i));
            prop_assert_eq!(errors.is_empty(), valid, "{:?}", errors);
        }

        #[test]
        fn any_ten_distinct_candidates_pass(set in proptest::collection::btree_set(1i64..=20, 10)) {
            prop_assert!(check_pick(&pick(set), &candidates(20)).is_empty());
        }
    }
}
