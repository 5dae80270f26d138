//! 四个一 (domain.md §4; seed 三(一)二): 一个重点项目、一个行动计划、一支工作团队、一套招商专案.

use chrono::NaiveDate;

crate::vocabulary! {
    /// The three parts every key project has besides itself.
    pub enum FourOnesPart;
}

/// What the check needs to know of a project (counts the store reads).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FourOnesFacts {
    /// Milestones of the action plan.
    pub milestones: u32,
    /// Members of the work team, the 组长 among them.
    pub team_members: u32,
    /// Members marked 组长.
    pub team_leaders: u32,
    /// Attachments of the case file (the project's own attachments).
    pub attachments: u32,
}

/// Which of the three parts a project has (the API's `four_ones`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct FourOnes {
    pub action_plan: bool,
    pub work_team: bool,
    pub case_file: bool,
}

impl FourOnes {
    // seed 三(一)二: 行动计划 ≥1 milestone; 工作团队 ≥1 member and a 组长; 招商专案 ≥1 attachment
    /// The parts these facts make up.
    pub fn of(f: &FourOnesFacts) -> FourOnes {
        FourOnes {
            action_plan: f.milestones > 0,
            work_team: f.team_members > 0 && f.team_leaders > 0,
            case_file: f.attachments > 0,
        }
    }

    pub fn has(&self, part: FourOnesPart) -> bool {
        match part {
            FourOnesPart::ActionPlan => self.action_plan,
            FourOnesPart::WorkTeam => self.work_team,
            FourOnesPart::CaseFile => self.case_file,
        }
    }

    pub fn complete(&self) -> bool {
        FourOnesPart::ALL.iter().all(|p| self.has(*p))
    }
}

/// The parts a key project lacks, in table order; empty when nothing is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MissingFourOnes {
    pub parts: Vec<FourOnesPart>,
}

impl MissingFourOnes {
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The missing parts' labels, e.g. "行动计划、工作团队".
    pub fn labels(&self) -> String {
        self.parts.iter().map(|p| p.label()).collect::<Vec<_>>().join("、")
    }
}

// seed 三(一)二: 实行一个重点项目、一个行动计划、一支工作团队、一套招商专案的"四个一"
/// The 四个一 check (domain.md §4): what a key project lacks; a project that is not a key
/// project (`domain::key_project`) is never flagged.
pub fn four_ones_missing(key_project: bool, facts: &FourOnesFacts) -> MissingFourOnes {
    if !key_project {
        return MissingFourOnes::default();
    }
    let have = FourOnes::of(facts);
    MissingFourOnes { parts: FourOnesPart::ALL.iter().copied().filter(|p| !have.has(*p)).collect() }
}

/// Why a work team may not be saved so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    #[error("工作团队：请指定一名组长")]
    NoLeader,
    #[error("工作团队：只能有一名组长（现有 {0} 名）")]
    SeveralLeaders(usize),
}

// seed 三(二)二: 一把手…牵头担任重大招商项目组长
/// A work team as saved has exactly one 组长 among its members (api.md: exactly one
/// `is_leader`); an empty team is allowed (it clears the team).
pub fn check_team(is_leader: &[bool]) -> Result<(), TeamError> {
    match is_leader.iter().filter(|l| **l).count() {
        0 if !is_leader.is_empty() => Err(TeamError::NoLeader),
        0 | 1 => Ok(()),
        n => Err(TeamError::SeveralLeaders(n)),
    }
}

/// A milestone of the action plan past its due date and not done by `today`: the days it
/// is overdue.
pub fn milestone_days_overdue(due_on: Option<NaiveDate>, done_on: Option<NaiveDate>, today: NaiveDate) -> Option<i64> {
    crate::tasks::days_overdue(due_on, done_on.is_some_and(|d| d <= today), today)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const FULL: FourOnesFacts = FourOnesFacts { milestones: 3, team_members: 4, team_leaders: 1, attachments: 2 };

    #[test]
    fn a_complete_key_project_is_not_flagged() {
        assert!(four_ones_missing(true, &FULL).is_empty());
        assert!(FourOnes::of(&FULL).complete());
    }

    #[test]
    fn a_key_project_without_a_work_team_is_flagged() {
        let no_team = FourOnesFacts { team_members: 0, team_leaders: 0, ..FULL };
        let m = four_ones_missing(true, &no_team);
        assert_eq!(m.parts, vec![FourOnesPart::WorkTeam]);
        assert_eq!(m.labels(), "工作团队");
        // members but no 组长 is no team either
        let leaderless = FourOnesFacts { team_leaders: 0, ..FULL };
        assert_eq!(four_ones_missing(true, &leaderless).parts, vec![FourOnesPart::WorkTeam]);
        let nothing = four_ones_missing(true, &FourOnesFacts::default());
        assert_eq!(nothing.labels(), "行动计划、工作团队、招商专案");
    }

    #[test]
    fn a_project_that_is_not_key_is_never_flagged() {
        assert!(four_ones_missing(false, &FourOnesFacts::default()).is_empty());
        assert_eq!(
            FourOnes::of(&FourOnesFacts::default()),
            FourOnes { action_plan: false, work_team: false, case_file: false }
        );
    }

    #[test]
    fn a_team_has_exactly_one_leader() {
        assert_eq!(check_team(&[true, false, false]), Ok(()));
        assert_eq!(check_team(&[]), Ok(()));
        assert_eq!(check_team(&[false, false]), Err(TeamError::NoLeader));
        assert_eq!(check_team(&[true, true]), Err(TeamError::SeveralLeaders(2)));
        assert_eq!(TeamError::SeveralLeaders(2).to_string(), "工作团队：只能有一名组长（现有 2 名）");
    }

    #[test]
    fn milestones_overdue_until_done() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(milestone_days_overdue(Some(d(3, 1)), None, d(3, 31)), Some(30));
        assert_eq!(milestone_days_overdue(Some(d(3, 1)), Some(d(3, 20)), d(3, 31)), None);
        assert_eq!(milestone_days_overdue(Some(d(3, 1)), Some(d(4, 20)), d(3, 31)), Some(30), "done later: open then");
        assert_eq!(milestone_days_overdue(Some(d(3, 31)), None, d(3, 31)), None);
        assert_eq!(milestone_days_overdue(None, None, d(3, 31)), None);
    }

    proptest! {
        // 三(一)二: a key project is flagged for exactly the parts it lacks; others never.
        #[test]
        fn flags_exactly_the_missing_parts(key in any::<bool>(), m in 0..3u32, t in 0..3u32, l in 0..3u32, a in 0..3u32) {
            let facts = FourOnesFacts { milestones: m, team_members: t.max(l), team_leaders: l, attachments: a };
            let missing = four_ones_missing(key, &facts);
            let have = FourOnes::of(&facts);
            if !key {
                prop_assert!(missing.is_empty());
            } else {
                for p in FourOnesPart::ALL {
                    prop_assert_eq!(missing.parts.contains(p), !have.has(*p));
                }
                prop_assert_eq!(missing.is_empty(), have.complete());
                prop_assert_eq!(have.work_team, l > 0);
            }
        }
    }
}
