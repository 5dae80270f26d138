//! 招商活动 (domain.md §6; seed 二(七), 三(一)二, 三(二)二): the kinds of activity, the
//! level of who led one, its dates, and which activities the assessment's leader-led
//! measures count (assessment.md: `leader_visits_500`, `leader_talks`). The store fetches
//! each activity's facts; whether it counts is decided here.

use chrono::NaiveDate;

use crate::InvestorStanding;
use crate::leader::{LeaderLevel, highest};

crate::vocabulary! {
    /// What kind of activity it was (domain.md §6).
    pub enum ActivityKind;
}

crate::vocabulary! {
    /// What came of an activity for a project: it was created, or signed, thanks to it.
    pub enum ActivityOutcome;
}

crate::vocabulary! {
    /// The assessment's measures read from activities (assessment.md, Measures).
    pub enum ActivityMeasure;
}

impl ActivityKind {
    /// A visit in the sense of `leader_visits_500`: a trip, a leader's visit, an exchange.
    pub fn is_visit(self) -> bool {
        matches!(self, ActivityKind::TeamTrip | ActivityKind::LeaderVisit | ActivityKind::Exchange)
    }
}

/// What is wrong with an activity's dates and figures, each on its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActivityError {
    #[error("结束日期不能早于开始日期")]
    EndsBeforeStart,
    #[error("一次活动不能超过 {0} 天，请分次登记")]
    TooLong(i64),
    #[error("达成投资意向（个）不能为负数")]
    NegativeIntentions,
}

impl ActivityError {
    /// The field the message belongs beside.
    pub fn field(&self) -> &'static str {
        match self {
            ActivityError::EndsBeforeStart | ActivityError::TooLong(_) => "end_on",
            ActivityError::NegativeIntentions => "intentions",
        }
    }
}

/// The longest activity one record may cover (an expo abroad, a trip through three regions).
pub const MAX_DAYS: i64 = 60;

/// An activity's dates: the end defaults to the start (a one-day visit); it may not come
/// before it, nor a record span more than [`MAX_DAYS`].
pub fn check_dates(start_on: NaiveDate, end_on: Option<NaiveDate>) -> Result<NaiveDate, ActivityError> {
    let end = end_on.unwrap_or(start_on);
    if end < start_on {
        return Err(ActivityError::EndsBeforeStart);
    }
    if (end - start_on).num_days() + 1 > MAX_DAYS {
        return Err(ActivityError::TooLong(MAX_DAYS));
    }
    Ok(end)
}

/// An activity's leader level: the highest of its leaders' when it names any (the register
/// is the record), else the level given, else `staff` (no leader went).
pub fn leader_level(leaders: &[LeaderLevel], given: Option<LeaderLevel>) -> LeaderLevel {
    highest(leaders.iter().copied()).or(given).unwrap_or(LeaderLevel::Staff)
}

/// A company met counts for `leader_visits_500` when it is on the Fortune Global 500 or the
/// China 500, or marked an industry leader (the China private 500 alone does not).
pub fn ranked(s: &InvestorStanding) -> bool {
    s.fortune_global_500 || s.china_500 || s.industry_leader
}

/// The facts of one activity a measure reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityFacts {
    pub kind: ActivityKind,
    /// The day it is dated by (its first day).
    pub start_on: NaiveDate,
    pub leader_level: LeaderLevel,
    /// The standing of each company met.
    pub companies: Vec<InvestorStanding>,
}

// 三(一)二: 主要领导带队拜访世界500强、中国500强和行业领军企业; 三(二)二: 主要领导参加重大项目洽谈.
/// Whether the activity counts for `measure` over the period `[from, to]` (assessment.md):
/// - `leader_visits_500`: dated in the period, a `leader_visit`, `team_trip` or `exchange`,
///   led by a `city_leader` or `unit_chief`, that met at least one ranked company ([`ranked`]);
/// - `leader_talks`: dated in the period, `talks`, led by a `city_leader` or `unit_chief`.
pub fn counts(measure: ActivityMeasure, a: &ActivityFacts, from: NaiveDate, to: NaiveDate) -> bool {
    let in_period = from <= a.start_on && a.start_on <= to;
    let led = a.leader_level.is_principal();
    in_period
        && led
        && match measure {
            ActivityMeasure::LeaderVisits500 => a.kind.is_visit() && a.companies.iter().any(ranked),
            ActivityMeasure::LeaderTalks => a.kind == ActivityKind::Talks,
        }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::test_dates::in_2026 as d;

    const FG500: InvestorStanding = InvestorStanding {
        fortune_global_500: true,
        china_500: false,
        china_private_500: false,
        industry_leader: false,
    };
    const PRIVATE_ONLY: InvestorStanding = InvestorStanding {
        fortune_global_500: false,
        china_500: false,
        china_private_500: true,
        industry_leader: false,
    };
    const LEADING: InvestorStanding = InvestorStanding {
        fortune_global_500: false,
        china_500: false,
        china_private_500: false,
        industry_leader: true,
    };

    fn facts(kind: ActivityKind, level: LeaderLevel, companies: &[InvestorStanding]) -> ActivityFacts {
        ActivityFacts { kind, start_on: d(5, 10), leader_level: level, companies: companies.to_vec() }
    }

    #[test]
    fn a_principal_leaders_visit_to_a_ranked_company_counts() {
        use ActivityKind::*;
        use LeaderLevel::*;
        let visits = ActivityMeasure::LeaderVisits500;
        let (from, to) = (d(1, 1), d(12, 31));
        for kind in [TeamTrip, LeaderVisit, Exchange] {
            assert!(counts(visits, &facts(kind, CityLeader, &[FG500]), from, to), "{kind:?}");
            assert!(counts(visits, &facts(kind, UnitChief, &[PRIVATE_ONLY, LEADING]), from, to), "{kind:?}");
        }
        assert!(!counts(visits, &facts(LeaderVisit, UnitDeputy, &[FG500]), from, to), "a deputy does not count");
        assert!(!counts(visits, &facts(LeaderVisit, Staff, &[FG500]), from, to), "staff only");
        assert!(!counts(visits, &facts(Talks, CityLeader, &[FG500]), from, to), "talks are not visits");
        assert!(!counts(visits, &facts(Expo, CityLeader, &[FG500]), from, to));
        assert!(!counts(visits, &facts(LeaderVisit, CityLeader, &[PRIVATE_ONLY]), from, to), "no ranked company");
        assert!(!counts(visits, &facts(LeaderVisit, CityLeader, &[]), from, to), "met no company");
        assert!(!counts(visits, &facts(LeaderVisit, CityLeader, &[FG500]), d(6, 1), to), "before the period");
        assert!(
            counts(visits, &facts(LeaderVisit, CityLeader, &[FG500]), d(5, 10), d(5, 10)),
            "the period's ends count"
        );
    }

    #[test]
    fn talks_led_by_a_principal_leader_count() {
        use ActivityKind::*;
        use LeaderLevel::*;
        let talks = ActivityMeasure::LeaderTalks;
        let (from, to) = (d(1, 1), d(12, 31));
        assert!(counts(talks, &facts(Talks, UnitChief, &[]), from, to), "no company needed");
        assert!(!counts(talks, &facts(Talks, UnitDeputy, &[FG500]), from, to));
        assert!(!counts(talks, &facts(LeaderVisit, CityLeader, &[FG500]), from, to), "a visit is not talks");
        assert!(!counts(talks, &facts(Talks, CityLeader, &[]), from, d(5, 9)), "after the period");
    }

    #[test]
    fn dates_and_levels_of_a_record() {
        assert_eq!(check_dates(d(3, 1), None), Ok(d(3, 1)));
        assert_eq!(check_dates(d(3, 1), Some(d(3, 4))), Ok(d(3, 4)));
        assert_eq!(check_dates(d(3, 4), Some(d(3, 1))), Err(ActivityError::EndsBeforeStart));
        assert_eq!(check_dates(d(3, 1), Some(d(4, 29))), Ok(d(4, 29)), "60 days");
        assert_eq!(check_dates(d(3, 1), Some(d(4, 30))), Err(ActivityError::TooLong(60)));
        assert_eq!(ActivityError::EndsBeforeStart.field(), "end_on");
        use LeaderLevel::*;
        assert_eq!(leader_level(&[UnitDeputy, UnitChief], Some(Staff)), UnitChief, "the register wins");
        assert_eq!(leader_level(&[], Some(UnitChief)), UnitChief, "given directly");
        assert_eq!(leader_level(&[], None), Staff);
    }

    fn standing() -> impl Strategy<Value = InvestorStanding> {
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(a, b, c, d)| InvestorStanding {
            fortune_global_500: a,
            china_500: b,
            china_private_500: c,
            industry_leader: d,
        })
    }

    fn any_facts() -> impl Strategy<Value = ActivityFacts> {
        (
            proptest::sample::select(ActivityKind::ALL.to_vec()),
            proptest::sample::select(LeaderLevel::ALL.to_vec()),
            proptest::collection::vec(standing(), 0..4),
            0u32..365,
        )
            .prop_map(|(kind, leader_level, companies, day)| ActivityFacts {
                kind,
                start_on: d(1, 1) + chrono::Days::new(u64::from(day)),
                leader_level,
                companies,
            })
    }

    proptest! {
        // what counts is led by a principal leader, in the period; a visit met a ranked
        // company; no activity counts for both measures
        #[test]
        fn what_counts_is_principal_in_period_and_of_its_kind(a in any_facts(), f in 0u32..365, len in 0u32..365) {
            let from = d(1, 1) + chrono::Days::new(u64::from(f));
            let to = from + chrono::Days::new(u64::from(len));
            let v = counts(ActivityMeasure::LeaderVisits500, &a, from, to);
            let t = counts(ActivityMeasure::LeaderTalks, &a, from, to);
            for c in [v, t].into_iter().filter(|c| *c) {
                prop_assert!(c && a.leader_level.is_principal());
                prop_assert!(from <= a.start_on && a.start_on <= to);
            }
            if v {
                prop_assert!(a.kind.is_visit() && a.companies.iter().any(ranked));
            }
            if t {
                prop_assert_eq!(a.kind, ActivityKind::Talks);
            }
            prop_assert!(!(v && t));
            // the whole year's period contains every date drawn
            let all_year = counts(ActivityMeasure::LeaderVisits500, &a, d(1, 1), d(12, 31) + chrono::Days::new(1));
            prop_assert_eq!(all_year, a.leader_level.is_principal() && a.kind.is_visit() && a.companies.iter().any(ranked));
        }
    }
}
