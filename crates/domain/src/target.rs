//! 靶向项目库 (domain.md §3; seed 二(二)): the companies a unit courts before any project
//! exists, their status, how each may move, the follow-up log's channels, and when a
//! follow-up is overdue.

use chrono::NaiveDate;

crate::vocabulary! {
    /// A target's status: watching → contacted → interested → converted | dropped.
    pub enum TargetStatus;
}

crate::vocabulary! {
    /// How a unit followed a target up (跟进方式).
    pub enum FollowUpChannel;
}

impl TargetStatus {
    /// Still being courted: neither converted into a project nor dropped.
    pub fn is_open(self) -> bool {
        !matches!(self, TargetStatus::Converted | TargetStatus::Dropped)
    }
}

/// Why a status change or a conversion is refused; the message is for users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("跟踪状态：已是“{0}”")]
    Unchanged(&'static str),
    #[error("已转化为项目，跟踪状态不能再改")]
    Converted,
    #[error("跟踪状态：请用“转化为项目”完成转化")]
    ConvertThroughProject,
    #[error("跟踪状态：不能从“{0}”改回“{1}”")]
    Backwards(&'static str, &'static str),
    #[error("放弃原因：改为“已放弃”时必须填写")]
    ReasonRequired,
    #[error("已放弃的靶向企业请先恢复跟踪，再转化为项目")]
    DroppedNotConvertible,
}

// seed 二(二): 建立靶向项目库 — a target moves forward as the courting advances (steps may be
// skipped), may be dropped with a reason at any point, and a dropped one may be taken up
// again (back to 关注中); it becomes 已转化 only by creating its project, and stays so.
/// The status a target moves to, or why it may not. `reason` is the 放弃原因 as it will be.
pub fn target_move(from: TargetStatus, to: TargetStatus, reason: Option<&str>) -> Result<TargetStatus, TargetError> {
    use TargetStatus::*;
    if from == to {
        return Err(TargetError::Unchanged(from.label()));
    }
    match (from, to) {
        (Converted, _) => Err(TargetError::Converted),
        (_, Converted) => Err(TargetError::ConvertThroughProject),
        (_, Dropped) if reason.is_none_or(|r| r.trim().is_empty()) => Err(TargetError::ReasonRequired),
        (_, Dropped) | (Dropped, Watching) => Ok(to),
        (Dropped, _) => Err(TargetError::Backwards(from.label(), to.label())),
        _ if to < from => Err(TargetError::Backwards(from.label(), to.label())),
        _ => Ok(to),
    }
}

/// Whether a target in `status` may be converted into a project now: a converted one is
/// refused (it has its project), a dropped one must be taken up again first.
pub fn check_convertible(status: TargetStatus) -> Result<(), TargetError> {
    match status {
        TargetStatus::Converted => Err(TargetError::Converted),
        TargetStatus::Dropped => Err(TargetError::DroppedNotConvertible),
        _ => Ok(()),
    }
}

// seed 二(二): 持续跟踪 — an open target whose next follow-up date has passed is overdue.
/// Days past the next follow-up date as of `today`; `None` when none is set, the target is
/// converted or dropped, or the day has not passed.
pub fn follow_up_days_overdue(next: Option<NaiveDate>, status: TargetStatus, today: NaiveDate) -> Option<i64> {
    crate::tasks::days_overdue(next, !status.is_open(), today)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::test_dates::in_2026 as d;

    #[test]
    fn courting_moves_forward_and_drops_with_a_reason() {
        use TargetStatus::*;
        assert_eq!(target_move(Watching, Contacted, None), Ok(Contacted));
        assert_eq!(target_move(Watching, Interested, None), Ok(Interested), "a step may be skipped");
        assert_eq!(target_move(Interested, Contacted, None), Err(TargetError::Backwards("有意向", "已接触")));
        assert_eq!(target_move(Contacted, Dropped, Some("  ")), Err(TargetError::ReasonRequired));
        assert_eq!(target_move(Contacted, Dropped, Some("企业已在西安落地")), Ok(Dropped));
        assert_eq!(target_move(Dropped, Watching, None), Ok(Watching), "taken up again");
        assert_eq!(target_move(Dropped, Interested, None), Err(TargetError::Backwards("已放弃", "有意向")));
        assert_eq!(target_move(Interested, Converted, None), Err(TargetError::ConvertThroughProject));
        assert_eq!(target_move(Converted, Watching, None), Err(TargetError::Converted));
        assert_eq!(target_move(Watching, Watching, None).unwrap_err().to_string(), "跟踪状态：已是“关注中”");
    }

    #[test]
    fn only_an_open_target_converts() {
        assert!(check_convertible(TargetStatus::Interested).is_ok());
        assert!(check_convertible(TargetStatus::Watching).is_ok());
        assert_eq!(check_convertible(TargetStatus::Converted), Err(TargetError::Converted));
        assert_eq!(check_convertible(TargetStatus::Dropped), Err(TargetError::DroppedNotConvertible));
    }

    #[test]
    fn a_follow_up_is_overdue_after_its_day_while_open() {
        use TargetStatus::*;
        assert_eq!(follow_up_days_overdue(Some(d(3, 1)), Contacted, d(3, 11)), Some(10));
        assert_eq!(follow_up_days_overdue(Some(d(3, 1)), Contacted, d(3, 1)), None, "due today is not overdue");
        assert_eq!(follow_up_days_overdue(Some(d(3, 1)), Dropped, d(6, 1)), None);
        assert_eq!(follow_up_days_overdue(Some(d(3, 1)), Converted, d(6, 1)), None);
        assert_eq!(follow_up_days_overdue(None, Watching, d(6, 1)), None);
    }

    fn status() -> impl Strategy<Value = TargetStatus> {
        proptest::sample::select(TargetStatus::ALL.to_vec())
    }

    proptest! {
        // 二(二): converted is final and reached only by conversion; every allowed move goes
        // forward, drops with a reason, or takes a dropped target up again.
        #[test]
        fn moves_are_forward_drops_or_reopenings(from in status(), to in status(), reason in "[ 因a]{0,3}") {
            let reason = (!reason.is_empty()).then_some(reason.as_str());
            if let Ok(next) = target_move(from, to, reason) {
                prop_assert_eq!(next, to);
                prop_assert!(from != TargetStatus::Converted && to != TargetStatus::Converted);
                let dropped = to == TargetStatus::Dropped && reason.is_some_and(|r| !r.trim().is_empty());
                let reopened = from == TargetStatus::Dropped && to == TargetStatus::Watching;
                prop_assert!(dropped || reopened || (to > from && from != TargetStatus::Dropped));
            }
        }
    }
}
