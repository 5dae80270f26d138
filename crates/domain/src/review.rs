//! 审核 (domain.md §4): a unit's claim to a reviewed stage, and its funds entries, wait
//! for the city's review.

use crate::Stage;

crate::vocabulary! {
    /// The review state of a claim (a project's stage claim, a funds entry).
    pub enum ReviewState {
        None = ("none", "无需审核"),
        Submitted = ("submitted", "审核中"),
        Accepted = ("accepted", "审核通过"),
        Returned = ("returned", "审核未通过"),
    }
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
    if by_city {
        (ReviewState::None, next)
    } else if REVIEWED_STAGES.contains(&to) {
        (ReviewState::Submitted, accepted)
    } else if review_state == ReviewState::None {
        (ReviewState::None, next)
    } else {
        (review_state, accepted)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    crate::vocabulary_tests!(ReviewState, review_state_table);

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

    proptest! {
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
