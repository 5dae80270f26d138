//! 部门任务 (seed 三(一)三) and 困难和问题 (seed 三(二)二) (domain.md §4): statuses, their
//! transitions, and when one is overdue.

use chrono::NaiveDate;

crate::vocabulary! {
    /// A department task's status: open → in_progress → done.
    pub enum TaskStatus;
}

crate::vocabulary! {
    /// A problem's status: open → in_progress → resolved.
    pub enum ProblemStatus;
}

/// A status of a three-step work item (a task, a problem): open, in progress, closed.
pub trait WorkStatus: Copy + Eq + Ord {
    /// The closing status (done, resolved): final.
    const CLOSED: Self;
    /// What a closing step needs written, e.g. 答复 (the department's reply).
    const CLOSING_TEXT: &'static str;
    fn label(self) -> &'static str;
    fn is_closed(self) -> bool {
        self == Self::CLOSED
    }
}

impl WorkStatus for TaskStatus {
    const CLOSED: Self = TaskStatus::Done;
    const CLOSING_TEXT: &'static str = "办理答复";
    fn label(self) -> &'static str {
        TaskStatus::label(self)
    }
}

impl WorkStatus for ProblemStatus {
    const CLOSED: Self = ProblemStatus::Resolved;
    const CLOSING_TEXT: &'static str = "解决情况";
    fn label(self) -> &'static str {
        ProblemStatus::label(self)
    }
}

/// Why a status change is refused; the message is for users and names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusError {
    #[error("状态：已是“{0}”")]
    Unchanged(&'static str),
    #[error("状态：已“{0}”，不能再改为“{1}”")]
    Closed(&'static str, &'static str),
    #[error("状态：不能从“{0}”改回“{1}”")]
    Backwards(&'static str, &'static str),
    #[error("{0}：改为“{1}”时必须填写")]
    TextRequired(&'static str, &'static str),
}

// seed 三(一)三 / 三(二)二: a task or a problem moves forward (open → in_progress → closed; an
// open one may close at once) and closes with a written reply or resolution; closed is final.
/// The status a task or problem moves to, or why it may not. `text` is the reply (task) or
/// resolution (problem) as it will be after the change.
pub fn work_transition<S: WorkStatus>(from: S, to: S, text: &str) -> Result<S, StatusError> {
    if from == to {
        Err(StatusError::Unchanged(from.label()))
    } else if from.is_closed() {
        Err(StatusError::Closed(from.label(), to.label()))
    } else if to < from {
        Err(StatusError::Backwards(from.label(), to.label()))
    } else if to.is_closed() && text.trim().is_empty() {
        Err(StatusError::TextRequired(S::CLOSING_TEXT, to.label()))
    } else {
        Ok(to)
    }
}

/// Days past `due` as of `today` of an item not closed; `None` when it is not overdue (no
/// due date, closed, or due today or later). The one overdue rule of tasks, problems,
/// milestones and clauses.
pub fn days_overdue(due: Option<NaiveDate>, closed: bool, today: NaiveDate) -> Option<i64> {
    let due = due?;
    (!closed && due < today).then(|| (today - due).num_days())
}

// seed 三(二)二: 梳理项目实施过程中存在的困难和问题 — overdue problems escalate to the supervisor.
/// A task or problem is overdue when its due date has passed and it is not closed.
pub fn is_overdue<S: WorkStatus>(due: Option<NaiveDate>, status: S, today: NaiveDate) -> bool {
    days_overdue(due, status.is_closed(), today).is_some()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    use crate::test_dates::in_2026 as d;

    #[test]
    fn tasks_move_forward_and_close_with_a_reply() {
        use TaskStatus::*;
        assert_eq!(work_transition(Open, InProgress, ""), Ok(InProgress));
        assert_eq!(work_transition(InProgress, Done, "用地预审已通过"), Ok(Done));
        assert_eq!(work_transition(Open, Done, "已办结"), Ok(Done));
        assert_eq!(work_transition(InProgress, Done, "  "), Err(StatusError::TextRequired("办理答复", "已办结")));
        assert_eq!(work_transition(InProgress, Open, ""), Err(StatusError::Backwards("办理中", "待办理")));
        assert_eq!(work_transition(Done, InProgress, "x"), Err(StatusError::Closed("已办结", "办理中")));
        assert_eq!(work_transition(Open, Open, ""), Err(StatusError::Unchanged("待办理")));
        assert_eq!(work_transition(InProgress, Done, "").unwrap_err().to_string(), "办理答复：改为“已办结”时必须填写");
    }

    #[test]
    fn problems_resolve_with_a_resolution() {
        use ProblemStatus::*;
        assert_eq!(work_transition(Open, Resolved, "已协调供电"), Ok(Resolved));
        assert_eq!(work_transition(Open, Resolved, "").unwrap_err().to_string(), "解决情况：改为“已解决”时必须填写");
        assert_eq!(
            work_transition(Resolved, Open, "x").unwrap_err().to_string(),
            "状态：已“已解决”，不能再改为“待解决”"
        );
    }

    #[test]
    fn overdue_after_the_due_date_until_closed() {
        assert!(is_overdue(Some(d(3, 1)), TaskStatus::InProgress, d(3, 2)));
        assert!(!is_overdue(Some(d(3, 1)), TaskStatus::InProgress, d(3, 1)), "due today is not overdue");
        assert!(!is_overdue(Some(d(3, 1)), TaskStatus::Done, d(6, 1)));
        assert!(!is_overdue(None, ProblemStatus::Open, d(6, 1)));
        assert!(is_overdue(Some(d(3, 1)), ProblemStatus::Open, d(6, 1)));
        assert_eq!(days_overdue(Some(d(3, 1)), false, d(3, 31)), Some(30));
    }

    fn task() -> impl Strategy<Value = TaskStatus> {
        proptest::sample::select(TaskStatus::ALL.to_vec())
    }

    proptest! {
        // 三(一)三: a legal change moves forward and a closed task never changes.
        #[test]
        fn transitions_go_forward_only(from in task(), to in task(), text in "[ 已办a]{0,3}") {
            match work_transition(from, to, &text) {
                Ok(next) => {
                    prop_assert!(next > from && !from.is_closed());
                    prop_assert!(!next.is_closed() || !text.trim().is_empty());
                }
                Err(e) => prop_assert!(to <= from || from.is_closed() || (to.is_closed() && text.trim().is_empty()), "{}", e),
            }
        }

        // Overdue grows with today and stops when closed.
        #[test]
        fn overdue_is_monotone_in_today(due in 0..400i64, a in 0..800i64, b in 0..800i64, closed in any::<bool>()) {
            let base = d(1, 1);
            let due = base + chrono::Duration::days(due);
            let (early, late) = (base + chrono::Duration::days(a.min(b)), base + chrono::Duration::days(a.max(b)));
            let (e, l) = (days_overdue(Some(due), closed, early), days_overdue(Some(due), closed, late));
            if closed {
                prop_assert_eq!((e, l), (None, None));
            } else {
                prop_assert!(e.unwrap_or(0) <= l.unwrap_or(0));
                prop_assert_eq!(l.is_some(), late > due);
            }
        }
    }
}
