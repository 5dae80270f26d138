//! 协议与履约 (domain.md §5; seed 三(二)三): agreements, their clauses, and the 履约率.

use chrono::NaiveDate;
use rust_decimal::Decimal;

crate::vocabulary! {
    /// The kind of an agreement.
    pub enum AgreementKind;
}

impl AgreementKind {
    // seed 三(二)三: 确保一揽子协议中所包含的产业子项目的落地
    /// Only a package agreement lists sub-projects (each a project of its own).
    pub const fn takes_sub_projects(self) -> bool {
        matches!(self, AgreementKind::Package)
    }
}

crate::vocabulary! {
    /// Which side owes a clause.
    pub enum Obligor;
}

crate::vocabulary! {
    /// A clause's status: pending → in_progress → fulfilled | breached | waived.
    pub enum ClauseStatus;
}

impl ClauseStatus {
    /// Fulfilled, breached or waived: the clause is settled and its status final.
    pub const fn is_settled(self) -> bool {
        matches!(self, ClauseStatus::Fulfilled | ClauseStatus::Breached | ClauseStatus::Waived)
    }

    /// Fulfilled or waived: what the 履约率 counts as met.
    pub const fn is_met(self) -> bool {
        matches!(self, ClauseStatus::Fulfilled | ClauseStatus::Waived)
    }

    /// The statuses a clause may move to from this one (domain.md §5): forward only; a
    /// pending clause may settle at once (met on the day it is recorded); settled is final.
    pub fn next(self) -> &'static [ClauseStatus] {
        use ClauseStatus::*;
        match self {
            Pending => &[InProgress, Fulfilled, Breached, Waived],
            InProgress => &[Fulfilled, Breached, Waived],
            Fulfilled | Breached | Waived => &[],
        }
    }
}

/// Why a clause's status may not change so; the message is for users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClauseError {
    #[error("条款状态：已是“{}”", .0.label())]
    Unchanged(ClauseStatus),
    #[error("条款状态：条款已“{}”，不能再改为“{}”", .0.label(), .1.label())]
    Settled(ClauseStatus, ClauseStatus),
    #[error("条款状态：不能从“{}”改回“{}”", .0.label(), .1.label())]
    Backwards(ClauseStatus, ClauseStatus),
}

// seed 三(二)三: 督促项目按双方签署的协议内容，逐条逐项落实到位
/// The status a clause moves to (domain.md §5), or why it may not.
pub fn clause_transition(from: ClauseStatus, to: ClauseStatus) -> Result<ClauseStatus, ClauseError> {
    if from == to {
        Err(ClauseError::Unchanged(from))
    } else if from.is_settled() {
        Err(ClauseError::Settled(from, to))
    } else if !from.next().contains(&to) {
        Err(ClauseError::Backwards(from, to))
    } else {
        Ok(to)
    }
}

/// What the 履约率 and the warnings need of one clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClauseFact {
    /// The date the clause is due; a clause without one is never due.
    pub due_on: Option<NaiveDate>,
    pub status: ClauseStatus,
    /// The day it was settled (fulfilled, breached, waived), when known: as of an earlier
    /// day the clause was still open (assessment.md: "fulfilled by `to`").
    pub settled_on: Option<NaiveDate>,
}

impl ClauseFact {
    /// Due on or before `today`.
    pub fn is_due(&self, today: NaiveDate) -> bool {
        self.due_on.is_some_and(|d| d <= today)
    }

    /// Its status as of `today`: a clause settled after `today` was still in progress then.
    pub fn status_on(&self, today: NaiveDate) -> ClauseStatus {
        match self.settled_on {
            Some(d) if self.status.is_settled() && d > today => ClauseStatus::InProgress,
            _ => self.status,
        }
    }

    /// Past its due date and not settled as of `today`; `None` when it is not.
    pub fn days_overdue(&self, today: NaiveDate) -> Option<i64> {
        crate::tasks::days_overdue(self.due_on, self.status_on(today).is_settled(), today)
    }

    /// Not settled and due within `days` days from `today` (today included), for the 协议履约
    /// page's "due soon" list.
    pub fn due_within(&self, today: NaiveDate, days: u32) -> bool {
        !self.status_on(today).is_settled()
            && self.due_on.is_some_and(|d| d >= today && (d - today).num_days() <= i64::from(days))
    }
}

/// A share counted exactly: `met` of `due` (never f64). `due` is never 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ratio {
    met: u64,
    due: u64,
}

impl Ratio {
    /// `met / due`; `None` when nothing is due or more is met than due.
    pub fn new(met: u64, due: u64) -> Option<Ratio> {
        (due > 0 && met <= due).then_some(Ratio { met, due })
    }

    pub const fn met(self) -> u64 {
        self.met
    }

    pub const fn due(self) -> u64 {
        self.due
    }

    /// The value as an exact decimal (28 significant digits; 1/3 = 0.3333…).
    pub fn value(self) -> Decimal {
        Decimal::from(self.met) / Decimal::from(self.due)
    }

    /// The value rounded half away from zero to `dp` decimals, e.g. 0.6667 for 2/3 at 4.
    pub fn rounded(self, dp: u32) -> Decimal {
        self.value().round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    }

    /// As pages show it: a percentage with one decimal, e.g. "66.7%".
    pub fn percent(self) -> String {
        let percent = (self.value() * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        format!("{percent:.1}%")
    }
}

// seed 三(二)三: 逐条逐项落实到位 — 履约率 = 到期已履行(或豁免)条款 / 到期条款
/// 履约率 (domain.md §5): of the clauses due by `today`, the share fulfilled or waived as of
/// `today`; `None` when none is due yet (shown as —). The clauses may be one agreement's or
/// all of a project's or a unit's agreements': the same formula over all of them.
pub fn fulfilment_rate<'a>(clauses: impl IntoIterator<Item = &'a ClauseFact>, today: NaiveDate) -> Option<Ratio> {
    let (met, due) = clauses
        .into_iter()
        .filter(|c| c.is_due(today))
        .fold((0u64, 0u64), |(met, due), c| (met + u64::from(c.status_on(today).is_met()), due + 1));
    Ratio::new(met, due)
}

/// The 履约率 over several agreements (a project's, a unit's): the clauses pooled, not the
/// rates averaged (domain.md §5: "the same formula over all of … agreements").
pub fn combined_fulfilment_rate<'a, A>(agreements: impl IntoIterator<Item = A>, today: NaiveDate) -> Option<Ratio>
where
    A: IntoIterator<Item = &'a ClauseFact>,
{
    fulfilment_rate(agreements.into_iter().flatten(), today)
}

/// The assessment measure `fulfilment_rate` (assessment.md): the 履约率, or 1 when no clause
/// is due yet.
pub fn fulfilment_measure(rate: Option<Ratio>) -> Decimal {
    rate.map_or(Decimal::ONE, Ratio::value)
}

/// A 履约率 as pages show it: "66.7%", or "—" when there is none yet.
pub fn fulfilment_text(rate: Option<Ratio>) -> String {
    rate.map_or_else(|| "—".to_string(), Ratio::percent)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    use crate::test_dates::ymd as d;

    const TODAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();

    fn clause(due: Option<NaiveDate>, status: ClauseStatus) -> ClauseFact {
        ClauseFact { due_on: due, status, settled_on: None }
    }

    #[test]
    fn only_a_package_takes_sub_projects() {
        assert!(AgreementKind::Package.takes_sub_projects());
        assert!(!AgreementKind::Contract.takes_sub_projects());
        assert!(!AgreementKind::Framework.takes_sub_projects());
    }

    #[test]
    fn clause_transitions_move_forward_and_settle_once() {
        use ClauseStatus::*;
        assert_eq!(clause_transition(Pending, InProgress), Ok(InProgress));
        assert_eq!(clause_transition(InProgress, Fulfilled), Ok(Fulfilled));
        assert_eq!(clause_transition(Pending, Waived), Ok(Waived));
        assert_eq!(clause_transition(InProgress, Pending), Err(ClauseError::Backwards(InProgress, Pending)));
        assert_eq!(clause_transition(Fulfilled, Breached), Err(ClauseError::Settled(Fulfilled, Breached)));
        assert_eq!(clause_transition(Pending, Pending), Err(ClauseError::Unchanged(Pending)));
        assert_eq!(
            clause_transition(Breached, Waived).unwrap_err().to_string(),
            "条款状态：条款已“已违约”，不能再改为“已豁免”"
        );
    }

    #[test]
    fn fulfilment_rate_counts_due_clauses_met_or_waived() {
        use ClauseStatus::*;
        let clauses = [
            clause(Some(d(2026, 1, 31)), Fulfilled),
            clause(Some(d(2026, 3, 31)), Waived),
            clause(Some(d(2026, 5, 31)), Breached),
            clause(Some(TODAY), InProgress),        // due today counts
            clause(Some(d(2026, 7, 1)), Fulfilled), // not due yet: not counted even though met
            clause(None, Pending),                  // never due
        ];
        let r = fulfilment_rate(&clauses, TODAY).unwrap();
        assert_eq!((r.met(), r.due()), (2, 4));
        assert_eq!(r.value(), Decimal::new(5, 1));
        assert_eq!(fulfilment_text(Some(r)), "50.0%");
        assert_eq!(fulfilment_measure(Some(r)), Decimal::new(5, 1));
    }

    #[test]
    fn no_clause_due_is_no_rate_shown_as_a_dash_and_counted_as_one() {
        let clauses = [clause(Some(d(2027, 1, 1)), ClauseStatus::Pending), clause(None, ClauseStatus::Fulfilled)];
        assert_eq!(fulfilment_rate(&clauses, TODAY), None);
        assert_eq!(fulfilment_rate(&[], TODAY), None);
        assert_eq!(fulfilment_text(None), "—");
        assert_eq!(fulfilment_measure(None), Decimal::ONE);
    }

    #[test]
    fn a_clause_settled_after_today_was_open_then() {
        let c = ClauseFact {
            due_on: Some(d(2026, 3, 1)),
            status: ClauseStatus::Fulfilled,
            settled_on: Some(d(2026, 4, 15)),
        };
        assert_eq!(fulfilment_rate([&c], d(2026, 4, 14)).map(|r| r.met()), Some(0));
        assert_eq!(fulfilment_rate([&c], d(2026, 4, 15)).map(|r| r.met()), Some(1));
        assert_eq!(c.days_overdue(d(2026, 4, 14)), Some(44));
        assert_eq!(c.days_overdue(d(2026, 4, 15)), None);
    }

    #[test]
    fn overdue_and_due_soon() {
        let c = clause(Some(d(2026, 5, 30)), ClauseStatus::Pending);
        assert_eq!(c.days_overdue(TODAY), Some(31));
        assert_eq!(c.days_overdue(d(2026, 5, 30)), None, "due today is not overdue");
        assert!(!c.due_within(TODAY, 30));
        assert!(c.due_within(d(2026, 4, 30), 30));
        assert!(!c.due_within(d(2026, 4, 29), 30));
        assert_eq!(clause(Some(d(2026, 1, 1)), ClauseStatus::Breached).days_overdue(TODAY), None);
    }

    #[test]
    fn rates_print_exactly() {
        let r = Ratio::new(2, 3).unwrap();
        assert_eq!(r.rounded(4), Decimal::new(6667, 4));
        assert_eq!(r.percent(), "66.7%");
        assert_eq!(Ratio::new(1, 0), None);
        assert_eq!(Ratio::new(3, 2), None);
        assert_eq!(Ratio::new(0, 5).unwrap().percent(), "0.0%");
        assert_eq!(Ratio::new(1, 1).unwrap().percent(), "100.0%");
        assert_eq!(Ratio::new(1, 8).unwrap().percent(), "12.5%");
        assert_eq!(Ratio::new(1, 16).unwrap().percent(), "6.3%", "half away from zero");
    }

    fn status() -> impl Strategy<Value = ClauseStatus> {
        proptest::sample::select(ClauseStatus::ALL.to_vec())
    }

    fn facts() -> impl Strategy<Value = Vec<ClauseFact>> {
        let fact = (proptest::option::of(-400i64..400), status(), proptest::option::of(-400i64..400)).prop_map(
            |(due, status, settled)| ClauseFact {
                due_on: due.map(|n| TODAY + chrono::Duration::days(n)),
                status,
                settled_on: settled.map(|n| TODAY + chrono::Duration::days(n)),
            },
        );
        proptest::collection::vec(fact, 0..20)
    }

    proptest! {
        // domain.md §5: the rate is met-and-due / due, between 0 and 1; None exactly when
        // nothing is due.
        #[test]
        fn the_rate_is_the_formula(cs in facts()) {
            let due: Vec<_> = cs.iter().filter(|c| c.due_on.is_some_and(|d| d <= TODAY)).collect();
            let met = due.iter().filter(|c| c.status_on(TODAY).is_met()).count() as u64;
            match fulfilment_rate(&cs, TODAY) {
                None => prop_assert!(due.is_empty()),
                Some(r) => {
                    prop_assert_eq!((r.met(), r.due()), (met, due.len() as u64));
                    prop_assert!(r.value() >= Decimal::ZERO && r.value() <= Decimal::ONE);
                    prop_assert_eq!(fulfilment_measure(Some(r)), r.value());
                }
            }
        }

        // domain.md §5: over several agreements the clauses are pooled: the combined rate is
        // the rate of all clauses, and lies between the lowest and highest agreement's rate.
        #[test]
        fn combined_rates_pool_the_clauses(a in facts(), b in facts()) {
            let all: Vec<ClauseFact> = a.iter().chain(b.iter()).copied().collect();
            let combined = combined_fulfilment_rate([&a, &b], TODAY);
            prop_assert_eq!(combined, fulfilment_rate(&all, TODAY));
            let parts: Vec<Ratio> = [&a, &b].iter().filter_map(|cs| fulfilment_rate(*cs, TODAY)).collect();
            // x <= y for ratios, exactly (cross-multiplied)
            let le = |x: Ratio, y: Ratio| u128::from(x.met()) * u128::from(y.due()) <= u128::from(y.met()) * u128::from(x.due());
            if let Some(c) = combined {
                prop_assert!(parts.iter().any(|p| le(*p, c)) && parts.iter().any(|p| le(c, *p)));
            } else {
                prop_assert!(parts.is_empty());
            }
        }

        // domain.md §5: a settled clause never changes again, and no transition goes back.
        #[test]
        fn settled_is_final(from in status(), to in status()) {
            let r = clause_transition(from, to);
            if from.is_settled() || from == to {
                prop_assert!(r.is_err());
            }
            if let Ok(next) = r {
                prop_assert!(next > from && next == to);
            }
        }
    }
}
