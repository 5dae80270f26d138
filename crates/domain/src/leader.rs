//! 领导名录 (domain.md §6; api.md `/api/v1/leaders`): the leaders who lead projects (包联领导)
//! and visits, by level. A project's 包联领导 was free text; it now points at the register,
//! and texts are matched to it by name and unit here, so the assessment counts records, not
//! spellings.

crate::vocabulary! {
    /// A leader's level, highest first; `staff` is only an activity's (no leader led it).
    pub enum LeaderLevel;
}

impl LeaderLevel {
    /// The levels a leader of the register may have (not `staff`).
    pub const REGISTER: [LeaderLevel; 3] = [LeaderLevel::CityLeader, LeaderLevel::UnitChief, LeaderLevel::UnitDeputy];

    /// Whether a leader of the register may have this level.
    pub fn in_register(self) -> bool {
        self != LeaderLevel::Staff
    }

    /// 主要领导: a city leader or a unit's 党政正职 (the assessment's leader-led measures).
    pub fn is_principal(self) -> bool {
        matches!(self, LeaderLevel::CityLeader | LeaderLevel::UnitChief)
    }
}

/// The highest of `levels` (city_leader above unit_chief above unit_deputy above staff);
/// `None` when there are none.
pub fn highest(levels: impl IntoIterator<Item = LeaderLevel>) -> Option<LeaderLevel> {
    // the table lists them highest first, so the derived order puts the highest least
    levels.into_iter().min()
}

/// How the register names a leader where a text is shown: `张伟（金水区委书记）`.
pub fn display(name: &str, position: &str) -> String {
    let (name, position) = (name.trim(), position.trim());
    if position.is_empty() { name.to_string() } else { format!("{name}（{position}）") }
}

/// The name in a 包联领导 text: `张伟（金水区委书记）` → `张伟`; of several names
/// (`张伟、李强`) the first, who leads. `None` for a text without a name.
pub fn leader_name(text: &str) -> Option<&str> {
    let first = text.split(['、', '，', ',', '；', ';', '/', '／']).map(str::trim).find(|s| !s.is_empty())?;
    let name = first.split(['（', '(']).next().unwrap_or_default().trim();
    (!name.is_empty()).then_some(name)
}

/// A leader of the register whose name is the one sought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub unit_id: i64,
    pub level: LeaderLevel,
}

/// What a name matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaderMatch {
    Unique(i64),
    /// No leader of that name in the project's unit, nor a city leader.
    Unknown,
    /// Several leaders of that name where one was sought.
    Ambiguous(usize),
}

impl LeaderMatch {
    pub fn id(self) -> Option<i64> {
        match self {
            LeaderMatch::Unique(id) => Some(id),
            _ => None,
        }
    }

    /// Why a name did not match, for the import report and the CLI (`None` when it did).
    pub fn problem(self, name: &str) -> Option<String> {
        match self {
            LeaderMatch::Unique(_) => None,
            LeaderMatch::Unknown => Some(format!("领导名录中没有本单位或市级领导「{name}」，已保留原文，未关联")),
            LeaderMatch::Ambiguous(n) => {
                Some(format!("领导名录中有 {n} 位「{name}」，无法确定是哪一位，已保留原文，未关联"))
            }
        }
    }
}

/// The leader a project of `unit_id` means by a name, among the register's leaders of that
/// name: the one of the project's own unit, else the one city leader (of any unit); two of
/// either kind are ambiguous, and an own-unit leader wins over a city leader of that name.
pub fn pick(candidates: &[Candidate], unit_id: i64) -> LeaderMatch {
    let own: Vec<&Candidate> = candidates.iter().filter(|c| c.unit_id == unit_id).collect();
    let city: Vec<&Candidate> =
        candidates.iter().filter(|c| c.unit_id != unit_id && c.level == LeaderLevel::CityLeader).collect();
    match (own.as_slice(), city.as_slice()) {
        ([one], _) => LeaderMatch::Unique(one.id),
        (own, _) if own.len() > 1 => LeaderMatch::Ambiguous(own.len()),
        (_, [one]) => LeaderMatch::Unique(one.id),
        (_, []) => LeaderMatch::Unknown,
        (_, city) => LeaderMatch::Ambiguous(city.len()),
    }
}

/// Whether a leader may be a project's 包联领导: a city leader, or a leader of a unit in the
/// project's unit subtree (`in_subtree`).
pub fn may_lead_project(level: LeaderLevel, in_subtree: bool) -> bool {
    level == LeaderLevel::CityLeader || in_subtree
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const JS: i64 = 5;
    const EQ: i64 = 3;
    const CITY: i64 = 1;

    fn c(id: i64, unit_id: i64, level: LeaderLevel) -> Candidate {
        Candidate { id, unit_id, level }
    }

    #[test]
    fn the_name_is_read_out_of_a_ledger_text() {
        assert_eq!(leader_name("张伟（金水区委书记）"), Some("张伟"));
        assert_eq!(leader_name(" 张伟 (区长) "), Some("张伟"));
        assert_eq!(leader_name("张伟、李强"), Some("张伟"), "the first of several leads");
        assert_eq!(leader_name("王芳"), Some("王芳"));
        assert_eq!(leader_name("（待定）"), None);
        assert_eq!(leader_name("  、 "), None);
        assert_eq!(display("张伟", "金水区委书记"), "张伟（金水区委书记）");
        assert_eq!(leader_name(&display("张伟", "金水区委书记")), Some("张伟"), "a display text reads back");
    }

    #[test]
    fn a_name_matches_the_own_unit_first_then_one_city_leader() {
        use LeaderLevel::*;
        assert_eq!(pick(&[c(1, JS, UnitChief)], JS), LeaderMatch::Unique(1));
        assert_eq!(pick(&[c(1, EQ, UnitChief)], JS), LeaderMatch::Unknown, "another unit's chief does not lead ours");
        assert_eq!(pick(&[c(2, CITY, CityLeader)], JS), LeaderMatch::Unique(2));
        assert_eq!(pick(&[c(2, EQ, CityLeader)], JS), LeaderMatch::Unique(2), "a city leader of any unit");
        assert_eq!(pick(&[c(1, JS, UnitDeputy), c(2, CITY, CityLeader)], JS), LeaderMatch::Unique(1));
        assert_eq!(pick(&[c(1, JS, UnitDeputy), c(3, JS, UnitChief)], JS), LeaderMatch::Ambiguous(2));
        assert_eq!(pick(&[c(2, CITY, CityLeader), c(4, EQ, CityLeader)], JS), LeaderMatch::Ambiguous(2));
        assert_eq!(pick(&[], JS), LeaderMatch::Unknown);
        assert!(LeaderMatch::Unknown.problem("张伟").is_some_and(|m| m.contains("张伟") && m.contains("保留原文")));
        assert_eq!(LeaderMatch::Unique(1).problem("张伟"), None);
    }

    #[test]
    fn the_highest_level_leads() {
        use LeaderLevel::*;
        assert_eq!(highest([UnitDeputy, CityLeader, UnitChief]), Some(CityLeader));
        assert_eq!(highest([UnitDeputy, Staff]), Some(UnitDeputy));
        assert_eq!(highest([]), None);
        assert!(CityLeader.is_principal() && UnitChief.is_principal());
        assert!(!UnitDeputy.is_principal() && !Staff.is_principal());
        assert!(LeaderLevel::REGISTER.iter().all(|l| l.in_register()) && !Staff.in_register());
        assert!(may_lead_project(CityLeader, false) && may_lead_project(UnitDeputy, true));
        assert!(!may_lead_project(UnitChief, false));
    }

    fn level() -> impl Strategy<Value = LeaderLevel> {
        proptest::sample::select(LeaderLevel::ALL.to_vec())
    }

    proptest! {
        // the highest is one of them, and none of them ranks above it
        #[test]
        fn highest_is_one_of_them_and_above_the_rest(levels in proptest::collection::vec(level(), 1..6)) {
            let h = highest(levels.iter().copied()).unwrap();
            prop_assert!(levels.contains(&h));
            prop_assert!(levels.iter().all(|l| *l >= h));
            prop_assert_eq!(h.is_principal(), levels.iter().any(|l| l.is_principal()));
        }

        // a match is a candidate of the project's unit or a city leader, and a unique own-unit
        // candidate always wins
        #[test]
        fn a_match_is_an_eligible_candidate(
            cands in proptest::collection::vec((0i64..3, level()), 0..6),
            unit in 0i64..3,
        ) {
            let cands: Vec<Candidate> =
                cands.into_iter().enumerate().map(|(i, (u, l))| c(i as i64 + 1, u, l)).collect();
            let m = pick(&cands, unit);
            if let LeaderMatch::Unique(id) = m {
                let hit = cands.iter().find(|c| c.id == id).unwrap();
                prop_assert!(hit.unit_id == unit || hit.level == LeaderLevel::CityLeader);
            }
            let own: Vec<_> = cands.iter().filter(|c| c.unit_id == unit).collect();
            if own.len() == 1 {
                prop_assert_eq!(m, LeaderMatch::Unique(own[0].id));
            }
            if own.is_empty() && !cands.iter().any(|c| c.level == LeaderLevel::CityLeader) {
                prop_assert_eq!(m, LeaderMatch::Unknown);
            }
        }

        #[test]
        fn a_name_never_keeps_brackets_or_separators(text in "[张伟李强（）()、, 书记]{0,12}") {
            if let Some(n) = leader_name(&text) {
                prop_assert!(!n.is_empty());
                prop_assert!(!n.contains(['（', '(', '、', ',']));
                prop_assert_eq!(n.trim(), n);
            }
        }
    }
}
