//! 审核 (domain.md §4): a unit's claim to a reviewed stage, and its funds entries, wait
//! for the city's review.

use crate::{Role, Stage};

crate::vocabulary! {
    /// The review state of a claim (a project's stage claim, a funds entry).
    pub enum ReviewState;
}

/// Stages whose claim by a unit is a submission the city reviews (domain.md §4, 审核).
pub const REVIEWED_STAGES: [Stage; 4] = [Stage::Signed, Stage::Started, Stage::Producing, Stage::AtCapacity];

/// The review state of a new claim (a transition row, a funds entry): the city's own are
/// accepted at once, a unit's wait (domain.md §4, 审核).
pub fn claim_state(by_city: bool) -> ReviewState {
    if by_city { ReviewState::Accepted } else { ReviewState::Submitted }
}

/// The review state a transition to `to` records (domain.md §4, 审核): a unit's claim to a
/// reviewed stage is submitted, everything else is accepted as it is made.
pub fn transition_claim_state(by_city: bool, to: Stage) -> ReviewState {
    claim_state(by_city || !REVIEWED_STAGES.contains(&to))
}

/// A project's review state and accepted stage after a transition (domain.md §4, 审核): a
/// unit's claim to a reviewed stage waits for the city (submitted); while one waits, the
/// accepted stage stays; the city's own transitions are final. `next` is the stage reached.
pub fn review_after(
    by_city: bool,
    to: Stage,
    review_state: ReviewState,
    accepted: Stage,
    next: Stage,
) -> (ReviewState, Stage) {
    review_after_claim(by_city, REVIEWED_STAGES.contains(&to), review_state, accepted, next)
}

/// [`review_after`] where the setting decides what is a claim (domain.md §4, 审核):
/// `is_claim` is whether the transition is one the city reviews ([`needs_review`]).
pub fn review_after_claim(
    by_city: bool,
    is_claim: bool,
    review_state: ReviewState,
    accepted: Stage,
    next: Stage,
) -> (ReviewState, Stage) {
    if by_city {
        (ReviewState::None, next)
    } else if is_claim {
        (ReviewState::Submitted, accepted)
    } else if review_state == ReviewState::None {
        (ReviewState::None, next)
    } else {
        (review_state, accepted)
    }
}

crate::vocabulary! {
    /// The setting "review only city-reportable projects" (domain.md §4, 审核): on by default
    /// for every project; a deployment may limit it to the city-reportable ones.
    pub enum ReviewPolicy;
}

// The variants come from data/vocabularies.csv, so `#[default]` cannot be written on one.
#[allow(clippy::derivable_impls)]
impl Default for ReviewPolicy {
    fn default() -> Self {
        ReviewPolicy::AllProjects
    }
}

// seed 三(三)一: 以项目落地实绩为考核标准 — a unit's claim to these stages is reviewed.
/// Whether a unit's claim to `stage` is a submission the city reviews, under `policy`.
pub fn needs_review(stage: Stage, city_reportable: bool, policy: ReviewPolicy) -> bool {
    REVIEWED_STAGES.contains(&stage) && (policy == ReviewPolicy::AllProjects || city_reportable)
}

// seed 三(三)一: what counts is what the city accepted.
/// A project's review state and accepted stage after one of its stage claims (to
/// `claimed`) moved to `decided` (domain.md §4, 审核). `others` are the review states of
/// its other open stage claims; `current` is the stage the project is at now. While any
/// claim waits the project is submitted, else while any is returned it is returned. An
/// accepted claim moves the accepted stage to it (never back); once nothing is open, the
/// project's later unreviewed steps (a pause) are accepted too, so it is `current`.
pub fn review_after_decision(
    decided: ReviewState,
    claimed: Stage,
    others: &[ReviewState],
    accepted: Stage,
    current: Stage,
) -> (ReviewState, Stage) {
    let all = || others.iter().copied().chain([decided]);
    let state = if all().any(|s| s == ReviewState::Submitted) {
        ReviewState::Submitted
    } else if all().any(|s| s == ReviewState::Returned) {
        ReviewState::Returned
    } else {
        ReviewState::None
    };
    let accepted = if decided != ReviewState::Accepted {
        accepted
    } else if state == ReviewState::None {
        current
    } else if claimed.order() > accepted.order() || !accepted.is_active() {
        claimed
    } else {
        accepted
    };
    (state, accepted)
}

// seed 三(三)一: funds in place count once the city accepts them.
/// Whether a unit's funds entry on a project is a submission the city reviews, under `policy`.
pub fn funds_need_review(city_reportable: bool, policy: ReviewPolicy) -> bool {
    policy == ReviewPolicy::AllProjects || city_reportable
}

crate::vocabulary! {
    /// What a claim claims: a project's stage, or a funds entry.
    pub enum ReviewKind;
}

crate::vocabulary! {
    /// What is done to a claim: the city accepts or returns it, the unit resubmits it.
    pub enum ClaimAction;
}

/// The longest comment a return carries (characters, after trimming).
pub const REVIEW_COMMENT_MAX: usize = 500;

/// Why an action on a claim is refused; the message is for users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimError {
    #[error("只有市级管理员可以审核申报")]
    NotReviewer,
    #[error("只有项目所属单位的用户可以重新提交申报")]
    NotClaimant,
    #[error("该申报当前为“{}”，不在审核中，不能{}", .0.label(), .1.label())]
    NotWaiting(ReviewState, ClaimAction),
    #[error("该申报当前为“{}”，只有审核未通过的申报可以重新提交", .0.label())]
    NotReturned(ReviewState),
    #[error("审核意见：退回时必须填写意见")]
    CommentRequired,
    #[error("审核意见：不能超过 {REVIEW_COMMENT_MAX} 个字")]
    CommentTooLong,
}

// seed 三(三)一: the claim life cycle submitted → accepted | returned; returned → submitted.
/// The review state a claim moves to when `roles` do `action` to it (domain.md §4, 审核):
/// city_admin accepts or returns a submitted claim (a return needs a comment); a unit user
/// resubmits a returned one, which waits again. Accepted claims are final.
pub fn review_claim(
    state: ReviewState,
    action: ClaimAction,
    roles: &[Role],
    comment: &str,
) -> Result<ReviewState, ClaimError> {
    match action {
        ClaimAction::Accept | ClaimAction::Return => {
            if !roles.contains(&Role::CityAdmin) {
                return Err(ClaimError::NotReviewer);
            }
            if state != ReviewState::Submitted {
                return Err(ClaimError::NotWaiting(state, action));
            }
            if action == ClaimAction::Accept {
                return Ok(ReviewState::Accepted);
            }
            let comment = comment.trim();
            if comment.is_empty() {
                return Err(ClaimError::CommentRequired);
            }
            if comment.chars().count() > REVIEW_COMMENT_MAX {
                return Err(ClaimError::CommentTooLong);
            }
            Ok(ReviewState::Returned)
        }
        ClaimAction::Resubmit => {
            if !roles.contains(&Role::UnitStaff) {
                return Err(ClaimError::NotClaimant);
            }
            if state != ReviewState::Returned {
                return Err(ClaimError::NotReturned(state));
            }
            Ok(ReviewState::Submitted)
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const CITY: &[Role] = &[Role::CityAdmin];
    const UNIT: &[Role] = &[Role::UnitStaff];

    fn action() -> impl Strategy<Value = ClaimAction> {
        proptest::sample::select(ClaimAction::ALL.to_vec())
    }

    fn roles() -> impl Strategy<Value = Vec<Role>> {
        proptest::sample::subsequence(Role::ALL.to_vec(), 0..=3)
    }

    #[test]
    fn a_claim_is_returned_resubmitted_and_accepted() {
        let s = ReviewState::Submitted;
        let s = review_claim(s, ClaimAction::Return, CITY, "合同扫描件不清晰").unwrap();
        assert_eq!(s, ReviewState::Returned);
        let s = review_claim(s, ClaimAction::Resubmit, UNIT, "").unwrap();
        assert_eq!(s, ReviewState::Submitted);
        let s = review_claim(s, ClaimAction::Accept, CITY, "").unwrap();
        assert_eq!(s, ReviewState::Accepted);
        // accepted is final
        let e = review_claim(s, ClaimAction::Return, CITY, "再看看").unwrap_err();
        assert_eq!(e, ClaimError::NotWaiting(ReviewState::Accepted, ClaimAction::Return));
        assert_eq!(e.to_string(), "该申报当前为“审核通过”，不在审核中，不能退回");
        assert_eq!(review_claim(s, ClaimAction::Resubmit, UNIT, ""), Err(ClaimError::NotReturned(s)));
    }

    #[test]
    fn who_may_do_what() {
        let s = ReviewState::Submitted;
        assert_eq!(review_claim(s, ClaimAction::Accept, UNIT, ""), Err(ClaimError::NotReviewer));
        assert_eq!(
            review_claim(s, ClaimAction::Accept, &[Role::Supervisor, Role::Leader], ""),
            Err(ClaimError::NotReviewer)
        );
        assert_eq!(ClaimError::NotReviewer.to_string(), "只有市级管理员可以审核申报");
        let r = ReviewState::Returned;
        assert_eq!(review_claim(r, ClaimAction::Resubmit, CITY, ""), Err(ClaimError::NotClaimant));
        assert_eq!(review_claim(r, ClaimAction::Resubmit, &[Role::DeptStaff], ""), Err(ClaimError::NotClaimant));
        // nothing to review
        let n = ReviewState::None;
        assert_eq!(review_claim(n, ClaimAction::Accept, CITY, ""), Err(ClaimError::NotWaiting(n, ClaimAction::Accept)));
    }

    #[test]
    fn a_return_needs_a_comment_of_bounded_length() {
        let s = ReviewState::Submitted;
        assert_eq!(review_claim(s, ClaimAction::Return, CITY, "  \n "), Err(ClaimError::CommentRequired));
        let long = "字".repeat(REVIEW_COMMENT_MAX + 1);
        assert_eq!(review_claim(s, ClaimAction::Return, CITY, &long), Err(ClaimError::CommentTooLong));
        let max = "字".repeat(REVIEW_COMMENT_MAX);
        assert_eq!(review_claim(s, ClaimAction::Return, CITY, &max), Ok(ReviewState::Returned));
        assert_eq!(ClaimError::CommentRequired.to_string(), "审核意见：退回时必须填写意见");
    }

    #[test]
    fn review_policy_limits_review_to_city_reportable_projects() {
        assert_eq!(ReviewPolicy::default(), ReviewPolicy::AllProjects);
        assert!(needs_review(Stage::Signed, false, ReviewPolicy::AllProjects));
        assert!(!needs_review(Stage::Signed, false, ReviewPolicy::CityReportableOnly));
        assert!(needs_review(Stage::AtCapacity, true, ReviewPolicy::CityReportableOnly));
        assert!(!needs_review(Stage::Approved, true, ReviewPolicy::AllProjects));
        assert!(!needs_review(Stage::Negotiating, true, ReviewPolicy::AllProjects));
        assert!(funds_need_review(false, ReviewPolicy::AllProjects));
        assert!(!funds_need_review(false, ReviewPolicy::CityReportableOnly));
        assert!(funds_need_review(true, ReviewPolicy::CityReportableOnly));
    }

    fn stage() -> impl Strategy<Value = Stage> {
        proptest::sample::select(crate::stage::ALL.to_vec())
    }

    fn state() -> impl Strategy<Value = ReviewState> {
        proptest::sample::select(ReviewState::ALL.to_vec())
    }

    #[test]
    fn a_unit_claim_to_signed_waits_and_keeps_the_accepted_stage() {
        let r = review_after(false, Stage::Signed, ReviewState::None, Stage::Negotiating, Stage::Signed);
        assert_eq!(r, (ReviewState::Submitted, Stage::Negotiating));
        // a later unreviewed step (pause) while it waits keeps waiting
        let r = review_after(false, Stage::OnHold, ReviewState::Submitted, Stage::Negotiating, Stage::OnHold);
        assert_eq!(r, (ReviewState::Submitted, Stage::Negotiating));
        // an unreviewed step with nothing waiting is accepted at once
        let r = review_after(false, Stage::Negotiating, ReviewState::None, Stage::Reserve, Stage::Negotiating);
        assert_eq!(r, (ReviewState::None, Stage::Negotiating));
    }

    #[test]
    fn a_decision_moves_the_project_with_its_claims() {
        use ReviewState::*;
        let (neg, signed, started) = (Stage::Negotiating, Stage::Signed, Stage::Started);
        // the only claim accepted: the project is at its current stage, nothing waits
        assert_eq!(review_after_decision(Accepted, signed, &[], neg, Stage::OnHold), (None, Stage::OnHold));
        // returned: the accepted stage stays
        assert_eq!(review_after_decision(Returned, signed, &[], neg, signed), (Returned, neg));
        // resubmitted: waits again
        assert_eq!(review_after_decision(Submitted, signed, &[], neg, signed), (Submitted, neg));
        // signed accepted while started still waits
        assert_eq!(review_after_decision(Accepted, signed, &[Submitted], neg, started), (Submitted, signed));
        // a return of one claim while another waits: still waiting
        assert_eq!(review_after_decision(Returned, started, &[Submitted], neg, started), (Submitted, neg));
        // accepting the earlier claim after a later one never moves the accepted stage back
        assert_eq!(review_after_decision(Accepted, signed, &[Returned], started, started), (Returned, started));
    }

    proptest! {
        // domain.md §4 审核: a decision never leaves the project `none` while a claim is open,
        // and only an accepted claim moves the accepted stage.
        #[test]
        fn a_decision_keeps_open_claims_open(d in state(), c in stage(), others in proptest::collection::vec(state(), 0..3), acc in stage(), cur in stage()) {
            let (after, accepted) = review_after_decision(d, c, &others, acc, cur);
            let open = others.iter().chain([&d]).any(|s| matches!(s, ReviewState::Submitted | ReviewState::Returned));
            prop_assert_eq!(after == ReviewState::None, !open);
            if d != ReviewState::Accepted {
                prop_assert_eq!(accepted, acc);
            }
        }

        // domain.md §4 审核: only the four claim stages are reviewed, under either policy;
        // the policy only ever removes reviews (of projects not city-reportable).
        #[test]
        fn needs_review_is_the_four_stages_under_the_policy(s in stage(), reportable in any::<bool>()) {
            let all = needs_review(s, reportable, ReviewPolicy::AllProjects);
            let only = needs_review(s, reportable, ReviewPolicy::CityReportableOnly);
            prop_assert_eq!(all, REVIEWED_STAGES.contains(&s));
            prop_assert_eq!(only, all && reportable);
        }

        // domain.md §4 审核: a claim only ever moves along submitted → accepted | returned,
        // returned → submitted; only city_admin accepts or returns, only a unit resubmits.
        #[test]
        fn claims_move_only_along_the_life_cycle(st in state(), a in action(), rs in roles(), comment in "[ 退回a]{0,3}") {
            match review_claim(st, a, &rs, &comment) {
                Ok(next) => {
                    let legal = matches!(
                        (st, next),
                        (ReviewState::Submitted, ReviewState::Accepted)
                            | (ReviewState::Submitted, ReviewState::Returned)
                            | (ReviewState::Returned, ReviewState::Submitted)
                    );
                    prop_assert!(legal, "{:?} -{:?}-> {:?}", st, a, next);
                    if a == ClaimAction::Resubmit {
                        prop_assert!(rs.contains(&Role::UnitStaff));
                    } else {
                        prop_assert!(rs.contains(&Role::CityAdmin));
                    }
                    if next == ReviewState::Returned {
                        prop_assert!(!comment.trim().is_empty());
                    }
                }
                Err(e) => {
                    // refused only when a condition of the life cycle fails
                    let allowed = match a {
                        ClaimAction::Accept => st == ReviewState::Submitted && rs.contains(&Role::CityAdmin),
                        ClaimAction::Return => {
                            st == ReviewState::Submitted && rs.contains(&Role::CityAdmin) && !comment.trim().is_empty()
                        }
                        ClaimAction::Resubmit => st == ReviewState::Returned && rs.contains(&Role::UnitStaff),
                    };
                    prop_assert!(!allowed, "{:?} refused: {}", (st, a, &rs, &comment), e);
                }
            }
        }
        // domain.md §4 审核: the city's transitions are final, whatever was waiting.
        #[test]
        fn the_city_is_final(to in stage(), st in state(), acc in stage(), next in stage()) {
            prop_assert_eq!(review_after(true, to, st, acc, next), (ReviewState::None, next));
            prop_assert_eq!(transition_claim_state(true, to), ReviewState::Accepted);
        }

        // domain.md §4 审核: a unit never moves the accepted stage while a claim waits or
        // when it claims a reviewed stage.
        #[test]
        fn a_unit_never_moves_a_waiting_accepted_stage(to in stage(), st in state(), acc in stage(), next in stage()) {
            let (after, accepted) = review_after(false, to, st, acc, next);
            if REVIEWED_STAGES.contains(&to) {
                prop_assert_eq!(after, ReviewState::Submitted);
                prop_assert_eq!(transition_claim_state(false, to), ReviewState::Submitted);
            }
            if after != ReviewState::None {
                prop_assert_eq!(accepted, acc);
            } else {
                prop_assert_eq!(accepted, next);
            }
        }
    }
}
