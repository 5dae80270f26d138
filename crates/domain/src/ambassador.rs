//! 招商大使、招商顾问和中介机构 (domain.md §6; seed 三(一)四): who was appointed, for which
//! period, and — for a paid intermediary — when its fee may be paid. Pay follows results: a
//! fee is paid on a lead project that reached the agreed stage as the city accepted it.

use chrono::NaiveDate;

use crate::{Money, Stage};

crate::vocabulary! {
    /// 招商大使, 招商顾问 or 中介机构.
    pub enum AmbassadorKind;
}

/// What is wrong with an appointment, each on its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppointmentError {
    #[error("聘任结束日期不能早于开始日期")]
    EndsBeforeStart,
    #[error("只有中介机构可以按实绩付费")]
    PaidNotIntermediary,
    #[error("付费的中介机构须写明付费约定和付费节点")]
    PaidWithoutTerms,
    #[error("付费节点应为签约、手续办结、开工、投产或达产")]
    StageNotAResult,
}

impl AppointmentError {
    /// The field the message belongs beside.
    pub fn field(&self) -> &'static str {
        match self {
            AppointmentError::EndsBeforeStart => "appointed_to",
            AppointmentError::PaidNotIntermediary => "paid",
            AppointmentError::PaidWithoutTerms => "fee_terms",
            AppointmentError::StageNotAResult => "fee_stage",
        }
    }
}

/// The stages a fee may be agreed on: a result the city reviews (signed and after).
pub fn is_result_stage(s: Stage) -> bool {
    s.is_active() && s >= Stage::Signed
}

// 三(一)四: 聘请招商大使、招商顾问，委托中介机构 — 付费的只能是中介机构，按约定节点付费.
/// An appointment's period and terms: it ends on or after it starts; only an intermediary
/// is paid, and a paid one names its terms and the stage its fee is paid on.
pub fn check_appointment(
    kind: AmbassadorKind,
    from: NaiveDate,
    to: Option<NaiveDate>,
    paid: bool,
    fee_terms: Option<&str>,
    fee_stage: Option<Stage>,
) -> Vec<AppointmentError> {
    let mut errors = vec![];
    if to.is_some_and(|to| to < from) {
        errors.push(AppointmentError::EndsBeforeStart);
    }
    if paid && kind != AmbassadorKind::Intermediary {
        errors.push(AppointmentError::PaidNotIntermediary);
    }
    if paid && (fee_terms.is_none_or(|t| t.trim().is_empty()) || fee_stage.is_none()) {
        errors.push(AppointmentError::PaidWithoutTerms);
    }
    if fee_stage.is_some_and(|s| !is_result_stage(s)) {
        errors.push(AppointmentError::StageNotAResult);
    }
    errors
}

/// Whether an appointment of `[from, to]` (no end: open) is in force on `day`.
pub fn appointed_on(from: NaiveDate, to: Option<NaiveDate>, day: NaiveDate) -> bool {
    from <= day && to.is_none_or(|to| day <= to)
}

/// The agreed terms a payout is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeeTerms {
    pub kind: AmbassadorKind,
    pub paid: bool,
    /// The stage the fee is paid on.
    pub fee_stage: Option<Stage>,
}

/// The facts of one proposed payout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayoutFacts {
    /// The project is one of the leads this intermediary brought.
    pub is_lead: bool,
    /// The project's stage as the city accepted it.
    pub accepted_stage: Stage,
    pub amount: Money,
    pub paid_on: NaiveDate,
    pub today: NaiveDate,
    /// A payout on this project was recorded already.
    pub already_paid: bool,
}

/// Why a payout is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PayoutRefusal {
    #[error("只有按实绩付费的中介机构才能登记付费")]
    NotPaid,
    #[error("该项目不是这家机构引荐的项目")]
    NotLead,
    #[error("项目经市级审核的阶段为「{}」，未达到约定的付费节点「{}」", accepted.label(), agreed.label())]
    NotReached { agreed: Stage, accepted: Stage },
    #[error("付费金额应大于 0")]
    NotPositive,
    #[error("付费日期不能晚于今天")]
    InFuture,
    #[error("该项目已登记过付费，不能重复付费")]
    AlreadyPaid,
}

impl PayoutRefusal {
    /// The field the message belongs beside (`None`: the record as a whole, a 409).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            PayoutRefusal::NotPaid | PayoutRefusal::AlreadyPaid | PayoutRefusal::NotReached { .. } => None,
            PayoutRefusal::NotLead => Some("project_id"),
            PayoutRefusal::NotPositive => Some("amount"),
            PayoutRefusal::InFuture => Some("paid_on"),
        }
    }
}

/// Whether the city-accepted stage `accepted` has reached the agreed `agreed` stage. A
/// paused or terminated project has no standing result to pay on.
pub fn result_reached(agreed: Stage, accepted: Stage) -> bool {
    accepted.is_active() && accepted >= agreed
}

/// Whether a lead project whose city-accepted stage is `accepted` may be paid on now under
/// `terms` (a paid intermediary, the agreed stage reached, not paid on before).
pub fn payable(terms: FeeTerms, accepted: Stage, already_paid: bool) -> bool {
    let paid = terms.paid && terms.kind == AmbassadorKind::Intermediary;
    paid && !already_paid && terms.fee_stage.is_some_and(|agreed| result_reached(agreed, accepted))
}

// 三(一)四: 中介机构按实绩付费 — a fee is paid once per lead project, on the agreed stage as accepted.
/// Whether a payout may be recorded: the intermediary is paid on results, the project is
/// its lead, the project reached the agreed stage as the city accepted it, the amount is
/// positive, the day is not in the future, and the project was not paid on before.
pub fn payout_allowed(terms: FeeTerms, p: PayoutFacts) -> Result<(), PayoutRefusal> {
    let agreed = match terms.fee_stage {
        Some(s) if terms.paid && terms.kind == AmbassadorKind::Intermediary => s,
        _ => return Err(PayoutRefusal::NotPaid),
    };
    if !p.is_lead {
        return Err(PayoutRefusal::NotLead);
    }
    if p.amount <= Money::ZERO {
        return Err(PayoutRefusal::NotPositive);
    }
    if p.paid_on > p.today {
        return Err(PayoutRefusal::InFuture);
    }
    if !result_reached(agreed, p.accepted_stage) {
        return Err(PayoutRefusal::NotReached { agreed, accepted: p.accepted_stage });
    }
    if p.already_paid {
        return Err(PayoutRefusal::AlreadyPaid);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::test_dates::in_2026 as d;

    const TERMS: FeeTerms =
        FeeTerms { kind: AmbassadorKind::Intermediary, paid: true, fee_stage: Some(Stage::Started) };

    fn facts(accepted: Stage) -> PayoutFacts {
        PayoutFacts {
            is_lead: true,
            accepted_stage: accepted,
            amount: Money::from_units(20),
            paid_on: d(6, 1),
            today: d(6, 2),
            already_paid: false,
        }
    }

    #[test]
    fn a_fee_is_paid_once_the_city_accepted_the_agreed_stage() {
        assert_eq!(payout_allowed(TERMS, facts(Stage::Started)), Ok(()));
        assert_eq!(payout_allowed(TERMS, facts(Stage::Producing)), Ok(()));
        assert_eq!(
            payout_allowed(TERMS, facts(Stage::Signed)),
            Err(PayoutRefusal::NotReached { agreed: Stage::Started, accepted: Stage::Signed })
        );
        let msg = PayoutRefusal::NotReached { agreed: Stage::Started, accepted: Stage::Signed }.to_string();
        assert!(msg.contains("已签约") && msg.contains("已开工"), "{msg}");
    }

    #[test]
    fn a_paused_or_terminated_project_is_no_result() {
        assert!(payout_allowed(TERMS, facts(Stage::OnHold)).is_err());
        assert!(payout_allowed(TERMS, facts(Stage::Terminated)).is_err());
    }

    #[test]
    fn only_a_paid_intermediary_is_paid() {
        for kind in [AmbassadorKind::Ambassador, AmbassadorKind::Advisor] {
            let t = FeeTerms { kind, ..TERMS };
            assert_eq!(payout_allowed(t, facts(Stage::AtCapacity)), Err(PayoutRefusal::NotPaid));
        }
        let unpaid = FeeTerms { paid: false, ..TERMS };
        assert_eq!(payout_allowed(unpaid, facts(Stage::AtCapacity)), Err(PayoutRefusal::NotPaid));
    }

    #[test]
    fn each_refusal_names_its_field() {
        let f = facts(Stage::Started);
        assert_eq!(payout_allowed(TERMS, PayoutFacts { is_lead: false, ..f }), Err(PayoutRefusal::NotLead));
        assert_eq!(payout_allowed(TERMS, PayoutFacts { amount: Money::ZERO, ..f }), Err(PayoutRefusal::NotPositive));
        assert_eq!(payout_allowed(TERMS, PayoutFacts { paid_on: d(6, 3), ..f }), Err(PayoutRefusal::InFuture));
        assert_eq!(payout_allowed(TERMS, PayoutFacts { already_paid: true, ..f }), Err(PayoutRefusal::AlreadyPaid));
        assert_eq!(PayoutRefusal::NotLead.field(), Some("project_id"));
        assert_eq!(PayoutRefusal::AlreadyPaid.field(), None);
    }

    #[test]
    fn an_appointment_is_checked_on_its_fields() {
        use AmbassadorKind::*;
        assert!(check_appointment(Ambassador, d(1, 1), Some(d(12, 31)), false, None, None).is_empty());
        assert!(
            check_appointment(
                Intermediary,
                d(1, 1),
                None,
                true,
                Some("每个项目开工后付 20 万元"),
                Some(Stage::Started)
            )
            .is_empty()
        );
        let e = check_appointment(Advisor, d(2, 1), Some(d(1, 1)), true, None, None);
        let fields: Vec<_> = e.iter().map(|e| e.field()).collect();
        assert_eq!(fields, ["appointed_to", "paid", "fee_terms"]);
        let e = check_appointment(Intermediary, d(1, 1), None, true, Some("约定"), Some(Stage::Negotiating));
        assert_eq!(e, [AppointmentError::StageNotAResult]);
        let e = check_appointment(Intermediary, d(1, 1), None, true, Some("  "), Some(Stage::Signed));
        assert_eq!(e, [AppointmentError::PaidWithoutTerms]);
    }

    #[test]
    fn an_appointment_is_in_force_inside_its_period() {
        assert!(appointed_on(d(1, 1), Some(d(12, 31)), d(1, 1)));
        assert!(appointed_on(d(1, 1), Some(d(12, 31)), d(12, 31)));
        assert!(!appointed_on(d(1, 2), Some(d(12, 31)), d(1, 1)));
        assert!(!appointed_on(d(1, 1), Some(d(6, 30)), d(7, 1)));
        assert!(!appointed_on(d(2, 1), None, d(1, 31)));
        assert!(appointed_on(d(2, 1), None, d(12, 31)));
    }

    fn stage() -> impl Strategy<Value = Stage> {
        proptest::sample::select(crate::stage::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn a_payout_is_allowed_exactly_when_the_accepted_result_reaches_the_agreed_stage(
            agreed in stage().prop_filter("a result stage", |s| is_result_stage(*s)),
            accepted in stage(),
        ) {
            let t = FeeTerms { fee_stage: Some(agreed), ..TERMS };
            let ok = payout_allowed(t, facts(accepted)).is_ok();
            prop_assert_eq!(ok, accepted.is_active() && accepted.order() >= agreed.order());
        }

        #[test]
        fn payable_is_a_payout_with_a_valid_amount_and_day(accepted in stage(), paid in any::<bool>(), done in any::<bool>()) {
            let t = FeeTerms { paid, ..TERMS };
            let f = PayoutFacts { already_paid: done, ..facts(accepted) };
            prop_assert_eq!(payable(t, accepted, done), payout_allowed(t, f).is_ok());
        }

        #[test]
        fn a_later_accepted_stage_never_loses_a_payout(a in stage(), b in stage()) {
            let (lo, hi) = if a.order() <= b.order() { (a, b) } else { (b, a) };
            if lo.is_active() && hi.is_active() && payout_allowed(TERMS, facts(lo)).is_ok() {
                prop_assert!(payout_allowed(TERMS, facts(hi)).is_ok());
            }
        }
    }
}
