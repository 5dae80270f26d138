//! 到位资金 (domain.md §4): funds in place, entered per project by kind.

use crate::Money;
use crate::review::ReviewState;

crate::vocabulary! {
    /// The kind of a funds entry: 省外资金 in 万元, 外资 in 万美元.
    pub enum FundsKind;
}

impl FundsKind {
    /// The unit an amount of this kind is in.
    pub const fn unit(self) -> &'static str {
        match self {
            FundsKind::DomesticOutOfProvince => "万元",
            FundsKind::Foreign => "万美元",
        }
    }
}

/// The funds in place a project (or a dashboard) reports: accepted entries only, per kind
/// (domain.md §4 到位资金; 审核: a unit's entry counts once the city accepts it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct FundsTotals {
    /// 省外资金, 万元.
    pub domestic: Money,
    /// 外资, 万美元.
    pub foreign: Money,
}

impl FundsTotals {
    /// Add one entry; an entry that is not accepted counts nothing. A sum that would
    /// overflow keeps the total it had (no panic; far beyond any real amount).
    pub fn add(&mut self, kind: FundsKind, review: ReviewState, amount: Money) {
        if review != ReviewState::Accepted {
            return;
        }
        let slot = match kind {
            FundsKind::DomesticOutOfProvince => &mut self.domestic,
            FundsKind::Foreign => &mut self.foreign,
        };
        *slot = slot.checked_add(amount).unwrap_or(*slot);
    }

    /// The totals of these entries.
    pub fn of(entries: impl IntoIterator<Item = (FundsKind, ReviewState, Money)>) -> FundsTotals {
        let mut t = FundsTotals::default();
        for (kind, review, amount) in entries {
            t.add(kind, review, amount);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn only_accepted_entries_count_per_kind() {
        let m = Money::from_units;
        let t = FundsTotals::of([
            (FundsKind::DomesticOutOfProvince, ReviewState::Accepted, m(100)),
            (FundsKind::DomesticOutOfProvince, ReviewState::Submitted, m(7)),
            (FundsKind::Foreign, ReviewState::Accepted, m(5)),
            (FundsKind::Foreign, ReviewState::Returned, m(9)),
        ]);
        assert_eq!(t, FundsTotals { domestic: m(100), foreign: m(5) });
        let huge = Money::from_hundredths(i64::MAX);
        let t = FundsTotals::of([
            (FundsKind::Foreign, ReviewState::Accepted, huge),
            (FundsKind::Foreign, ReviewState::Accepted, m(1)),
        ]);
        assert_eq!(t.foreign, huge, "an overflow keeps the total, no panic");
    }

    proptest! {
        // domain.md §4 到位资金: each kind's total is the sum of its accepted entries.
        #[test]
        fn totals_are_the_accepted_sums(entries in proptest::collection::vec((0..2usize, 0..4usize, 0..1_000_000_000i64), 0..40)) {
            let entries: Vec<_> = entries
                .into_iter()
                .map(|(k, r, a)| (FundsKind::ALL[k], ReviewState::ALL[r], Money::from_hundredths(a)))
                .collect();
            let t = FundsTotals::of(entries.clone());
            for kind in FundsKind::ALL {
                let want: i64 = entries
                    .iter()
                    .filter(|(k, r, _)| k == kind && *r == ReviewState::Accepted)
                    .map(|(_, _, a)| a.hundredths())
                    .sum();
                let got = match kind {
                    FundsKind::DomesticOutOfProvince => t.domestic,
                    FundsKind::Foreign => t.foreign,
                };
                prop_assert_eq!(got.hundredths(), want);
            }
        }
    }
}
