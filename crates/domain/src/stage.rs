//! Project stages and their transition rules (domain.md §4; seed 三(一)(二)).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Reserve,
    Negotiating,
    Signed,
    Approved,
    Started,
    Producing,
    AtCapacity,
    OnHold,
    Terminated,
}

/// The active stages in their forward order.
pub const ACTIVE: [Stage; 7] = [
    Stage::Reserve,
    Stage::Negotiating,
    Stage::Signed,
    Stage::Approved,
    Stage::Started,
    Stage::Producing,
    Stage::AtCapacity,
];

/// Every stage: the active ones in their order, then on_hold and terminated.
pub const ALL: [Stage; 9] = {
    let [reserve, negotiating, signed, approved, started, producing, at_capacity] = ACTIVE;
    [reserve, negotiating, signed, approved, started, producing, at_capacity, Stage::OnHold, Stage::Terminated]
};

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Stage::Reserve => "reserve",
            Stage::Negotiating => "negotiating",
            Stage::Signed => "signed",
            Stage::Approved => "approved",
            Stage::Started => "started",
            Stage::Producing => "producing",
            Stage::AtCapacity => "at_capacity",
            Stage::OnHold => "on_hold",
            Stage::Terminated => "terminated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Reserve => "谋划/储备",
            Stage::Negotiating => "在谈",
            Stage::Signed => "已签约",
            Stage::Approved => "手续办结",
            Stage::Started => "已开工",
            Stage::Producing => "已投产",
            Stage::AtCapacity => "已达产",
            Stage::OnHold => "暂缓",
            Stage::Terminated => "终止",
        }
    }

    /// Position in the forward order; `None` for on_hold and terminated.
    pub fn order(self) -> Option<usize> {
        ACTIVE.iter().position(|&s| s == self)
    }

    pub fn is_active(self) -> bool {
        self.order().is_some()
    }

    /// Stages whose reaching carries a required date of its own (signed_on …).
    pub fn is_dated(self) -> bool {
        matches!(self, Stage::Signed | Stage::Approved | Stage::Started | Stage::Producing | Stage::AtCapacity)
    }

    /// Parse a code (`signed`) or a Chinese label (`已签约`, also `储备`/`谋划`).
    pub fn parse(text: &str) -> Option<Stage> {
        let t = text.trim();
        ALL.iter().copied().find(|s| s.code() == t || s.label() == t).or(match t {
            "储备" | "谋划" => Some(Stage::Reserve),
            "签约" => Some(Stage::Signed),
            "开工" | "在建" => Some(Stage::Started),
            "投产" => Some(Stage::Producing),
            "达产" => Some(Stage::AtCapacity),
            _ => None,
        })
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Stage {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Stage::parse(s).ok_or(())
    }
}

/// The date each dated stage was reached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageDates {
    pub signed_on: Option<NaiveDate>,
    pub approved_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub producing_on: Option<NaiveDate>,
    pub at_capacity_on: Option<NaiveDate>,
}

impl StageDates {
    pub fn get(&self, s: Stage) -> Option<NaiveDate> {
        match s {
            Stage::Signed => self.signed_on,
            Stage::Approved => self.approved_on,
            Stage::Started => self.started_on,
            Stage::Producing => self.producing_on,
            Stage::AtCapacity => self.at_capacity_on,
            _ => None,
        }
    }

    fn slot(&mut self, s: Stage) -> Option<&mut Option<NaiveDate>> {
        match s {
            Stage::Signed => Some(&mut self.signed_on),
            Stage::Approved => Some(&mut self.approved_on),
            Stage::Started => Some(&mut self.started_on),
            Stage::Producing => Some(&mut self.producing_on),
            Stage::AtCapacity => Some(&mut self.at_capacity_on),
            _ => None,
        }
    }

    pub fn set(&mut self, s: Stage, d: Option<NaiveDate>) {
        if let Some(slot) = self.slot(s) {
            *slot = d;
        }
    }

    /// The latest date set, in any stage.
    pub fn latest(&self) -> Option<NaiveDate> {
        ACTIVE.iter().filter_map(|&s| self.get(s)).max()
    }
}

/// Where a project stands: what the transition rules need to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageState {
    pub stage: Stage,
    pub paused_from: Option<Stage>,
    pub dates: StageDates,
    /// Date of the latest transition (any kind); the next one may not be earlier.
    pub last_date: Option<NaiveDate>,
}

impl StageState {
    pub fn new() -> Self {
        StageState { stage: Stage::Reserve, paused_from: None, dates: StageDates::default(), last_date: None }
    }
}

impl Default for StageState {
    fn default() -> Self {
        Self::new()
    }
}

/// A request to move a project to another stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionRequest {
    pub to: Stage,
    pub date: NaiveDate,
    /// Dates of the dated stages being skipped over.
    pub skipped_dates: BTreeMap<Stage, NaiveDate>,
    pub reason: Option<String>,
    /// Whether the actor may make a backwards correction (only `city_admin`).
    pub may_correct: bool,
    /// Today in Asia/Shanghai: no stage date may lie after it.
    pub today: NaiveDate,
}

/// Why a transition is refused; `Display` is the Chinese reason shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("项目已终止，不能再变更阶段")]
    Terminated,
    #[error("项目已处于「{}」阶段", .0.label())]
    Same(Stage),
    #[error("暂缓的项目只能恢复到暂缓前的阶段「{}」或终止", .0.label())]
    ResumeElsewhere(Stage),
    #[error("项目已暂缓")]
    AlreadyOnHold,
    #[error("终止项目必须填写原因")]
    ReasonRequired,
    #[error("阶段回退属于更正，只有市级管理员可以操作")]
    BackwardsNotAllowed,
    #[error("阶段回退（更正）必须填写原因")]
    CorrectionReasonRequired,
    #[error("从「{}」到「{}」跳过了阶段，需要同时填写{}的日期", .from.label(), .to.label(), labels(.missing))]
    SkippedDatesMissing { from: Stage, to: Stage, missing: Vec<Stage> },
    #[error("「{}」的日期 {date} 早于上一个日期 {previous}，日期不能倒退", .stage.label())]
    DateBackwards { stage: Stage, date: NaiveDate, previous: NaiveDate },
    #[error("日期 {0} 晚于今天，不能预先登记")]
    DateInFuture(NaiveDate),
    #[error("「{}」不是本次跳过的阶段，不能填写它的日期", .0.label())]
    UnexpectedDate(Stage),
}

fn labels(stages: &[Stage]) -> String {
    stages.iter().map(|s| format!("「{}」", s.label())).collect::<Vec<_>>().join("、")
}

/// The result of an accepted transition: the new state plus which dates it set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub state: StageState,
    pub correction: bool,
}

/// Apply the rules of domain.md §4 to `state`. Pure: returns the new state or why not.
pub fn apply(state: &StageState, req: &TransitionRequest) -> Result<Applied, TransitionError> {
    let from = state.stage;
    let to = req.to;
    if from == Stage::Terminated {
        return Err(TransitionError::Terminated);
    }
    if from == to {
        return Err(if to == Stage::OnHold { TransitionError::AlreadyOnHold } else { TransitionError::Same(to) });
    }
    if req.date > req.today {
        return Err(TransitionError::DateInFuture(req.date));
    }
    if let Some((&stage, &date)) = req.skipped_dates.iter().find(|(_, d)| **d > req.today) {
        let _ = stage;
        return Err(TransitionError::DateInFuture(date));
    }
    // Every transition's date is at least the last one: the timeline never runs backwards.
    let floor = state.last_date.into_iter().chain(state.dates.latest()).max();
    let check_not_before = |stage: Stage, date: NaiveDate, previous: Option<NaiveDate>| match previous {
        Some(p) if date < p => Err(TransitionError::DateBackwards { stage, date, previous: p }),
        _ => Ok(()),
    };

    let mut next = *state;
    next.last_date = Some(req.date);
    let mut correction = false;

    match to {
        Stage::Terminated => {
            if req.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                return Err(TransitionError::ReasonRequired);
            }
            reject_skipped(req, &[])?;
            check_not_before(to, req.date, floor)?;
            next.stage = Stage::Terminated;
            next.paused_from = None;
        }
        Stage::OnHold => {
            reject_skipped(req, &[])?;
            check_not_before(to, req.date, floor)?;
            next.paused_from = Some(from);
            next.stage = Stage::OnHold;
        }
        _ if from == Stage::OnHold => {
            let back_to = state.paused_from.unwrap_or(Stage::Reserve);
            if to != back_to {
                return Err(TransitionError::ResumeElsewhere(back_to));
            }
            reject_skipped(req, &[])?;
            check_not_before(to, req.date, floor)?;
            next.stage = back_to;
            next.paused_from = None;
        }
        _ => {
            let (Some(fo), Some(tord)) = (from.order(), to.order()) else {
                return Err(TransitionError::Same(to));
            };
            if tord < fo {
                // Backwards: a correction by city_admin with a reason; later dates are cleared.
                if !req.may_correct {
                    return Err(TransitionError::BackwardsNotAllowed);
                }
                if req.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                    return Err(TransitionError::CorrectionReasonRequired);
                }
                reject_skipped(req, &[])?;
                check_not_before(to, req.date, state.last_date)?;
                for s in &ACTIVE[tord + 1..] {
                    next.dates.set(*s, None);
                }
                next.stage = to;
                correction = true;
            } else {
                let skipped: Vec<Stage> = ACTIVE[fo + 1..tord].iter().copied().filter(|s| s.is_dated()).collect();
                reject_skipped(req, &skipped)?;
                let missing: Vec<Stage> =
                    skipped.iter().copied().filter(|s| !req.skipped_dates.contains_key(s)).collect();
                if !missing.is_empty() {
                    return Err(TransitionError::SkippedDatesMissing { from, to, missing });
                }
                // Dates in stage order must not decrease: floor ≤ skipped… ≤ date.
                let mut previous = floor;
                for s in &skipped {
                    let d = req.skipped_dates[s];
                    check_not_before(*s, d, previous)?;
                    next.dates.set(*s, Some(d));
                    previous = Some(d);
                }
                check_not_before(to, req.date, previous)?;
                next.dates.set(to, Some(req.date));
                next.stage = to;
            }
        }
    }
    Ok(Applied { state: next, correction })
}

fn reject_skipped(req: &TransitionRequest, allowed: &[Stage]) -> Result<(), TransitionError> {
    match req.skipped_dates.keys().find(|s| !allowed.contains(s)) {
        Some(s) => Err(TransitionError::UnexpectedDate(*s)),
        None => Ok(()),
    }
}

/// A stage a transition form offers (domain.md §4): forward, or a correction backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub stage: Stage,
    /// Backwards: a correction (city_admin, with a reason).
    pub correction: bool,
}

/// What a transition form offers from where a project stands (domain.md §4). `moves`: the
/// later active stages in order, then — for those who may correct — the earlier ones,
/// nearest first. `resume_to`: the one stage an on-hold project may resume to. A terminated
/// project is offered nothing. (暂缓 and 终止 have forms of their own.) `apply` decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Targets {
    pub moves: Vec<Target>,
    pub resume_to: Option<Stage>,
}

pub fn targets(stage: Stage, paused_from: Option<Stage>, may_correct: bool) -> Targets {
    match stage {
        Stage::Terminated => Targets { moves: vec![], resume_to: None },
        Stage::OnHold => Targets { moves: vec![], resume_to: paused_from },
        cur => {
            let order = cur.order().unwrap_or(0);
            let forward = ACTIVE.iter().filter(|s| s.order().is_some_and(|o| o > order));
            let back = ACTIVE.iter().rev().filter(|s| may_correct && s.order().is_some_and(|o| o < order));
            let moves = forward
                .map(|s| Target { stage: *s, correction: false })
                .chain(back.map(|s| Target { stage: *s, correction: true }))
                .collect();
            Targets { moves, resume_to: None }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn req(to: Stage, date: &str) -> TransitionRequest {
        TransitionRequest {
            to,
            date: d(date),
            skipped_dates: BTreeMap::new(),
            reason: None,
            may_correct: false,
            today: d("2026-11-27"),
        }
    }

    #[test]
    fn forward_one_step_sets_the_date() {
        let s = StageState::new();
        let a = apply(&s, &req(Stage::Negotiating, "2025-01-10")).unwrap();
        assert_eq!(a.state.stage, Stage::Negotiating);
        let b = apply(&a.state, &req(Stage::Signed, "2025-03-01")).unwrap();
        assert_eq!(b.state.dates.signed_on, Some(d("2025-03-01")));
    }

    #[test]
    fn skipping_requires_the_skipped_dates() {
        let s = StageState::new();
        let e = apply(&s, &req(Stage::Started, "2025-03-01")).unwrap_err();
        assert_eq!(
            e,
            TransitionError::SkippedDatesMissing {
                from: Stage::Reserve,
                to: Stage::Started,
                missing: vec![Stage::Signed, Stage::Approved]
            }
        );
        assert!(e.to_string().contains("已签约"), "{e}");
        let mut r = req(Stage::Started, "2025-03-01");
        r.skipped_dates.insert(Stage::Signed, d("2025-01-01"));
        r.skipped_dates.insert(Stage::Approved, d("2025-02-01"));
        let a = apply(&s, &r).unwrap();
        assert_eq!(a.state.dates.approved_on, Some(d("2025-02-01")));
        assert_eq!(a.state.dates.started_on, Some(d("2025-03-01")));
    }

    #[test]
    fn skipped_dates_must_be_in_order() {
        let mut r = req(Stage::Started, "2025-03-01");
        r.skipped_dates.insert(Stage::Signed, d("2025-02-15"));
        r.skipped_dates.insert(Stage::Approved, d("2025-02-01"));
        assert!(matches!(
            apply(&StageState::new(), &r),
            Err(TransitionError::DateBackwards { stage: Stage::Approved, .. })
        ));
    }

    #[test]
    fn dates_never_go_backwards() {
        let a = apply(&StageState::new(), &req(Stage::Signed, "2025-03-01")).unwrap();
        let e = apply(&a.state, &req(Stage::Approved, "2025-02-01")).unwrap_err();
        assert!(matches!(e, TransitionError::DateBackwards { .. }));
        assert!(e.to_string().contains("日期不能倒退"));
        // the same day is fine
        assert!(apply(&a.state, &req(Stage::Approved, "2025-03-01")).is_ok());
    }

    #[test]
    fn future_dates_are_refused() {
        let e = apply(&StageState::new(), &req(Stage::Signed, "2027-01-01")).unwrap_err();
        assert_eq!(e, TransitionError::DateInFuture(d("2027-01-01")));
    }

    #[test]
    fn on_hold_remembers_and_resumes_only_there() {
        let a = apply(&StageState::new(), &req(Stage::Signed, "2025-03-01")).unwrap();
        let h = apply(&a.state, &req(Stage::OnHold, "2025-04-01")).unwrap();
        assert_eq!(h.state.paused_from, Some(Stage::Signed));
        assert_eq!(
            apply(&h.state, &req(Stage::Approved, "2025-05-01")).unwrap_err(),
            TransitionError::ResumeElsewhere(Stage::Signed)
        );
        assert_eq!(apply(&h.state, &req(Stage::OnHold, "2025-05-01")).unwrap_err(), TransitionError::AlreadyOnHold);
        let r = apply(&h.state, &req(Stage::Signed, "2025-05-01")).unwrap();
        assert_eq!(r.state.stage, Stage::Signed);
        assert_eq!(r.state.paused_from, None);
        assert_eq!(r.state.dates.signed_on, Some(d("2025-03-01")), "resuming keeps the original date");
    }

    #[test]
    fn terminated_needs_a_reason_and_is_final() {
        let s = StageState::new();
        assert_eq!(apply(&s, &req(Stage::Terminated, "2025-01-01")).unwrap_err(), TransitionError::ReasonRequired);
        let mut r = req(Stage::Terminated, "2025-01-01");
        r.reason = Some("企业战略调整".into());
        let t = apply(&s, &r).unwrap();
        let mut back = req(Stage::Reserve, "2025-02-01");
        back.may_correct = true;
        back.reason = Some("误操作".into());
        assert_eq!(apply(&t.state, &back).unwrap_err(), TransitionError::Terminated);
        // from on_hold too
        let h = apply(&s, &req(Stage::OnHold, "2025-01-01")).unwrap();
        assert_eq!(apply(&h.state, &r).unwrap().state.stage, Stage::Terminated);
    }

    #[test]
    fn backwards_is_a_city_admin_correction_with_a_reason() {
        let mut r = req(Stage::Started, "2025-03-01");
        r.skipped_dates.insert(Stage::Signed, d("2025-01-01"));
        r.skipped_dates.insert(Stage::Approved, d("2025-02-01"));
        let s = apply(&StageState::new(), &r).unwrap().state;
        assert_eq!(apply(&s, &req(Stage::Signed, "2025-04-01")).unwrap_err(), TransitionError::BackwardsNotAllowed);
        let mut c = req(Stage::Signed, "2025-04-01");
        c.may_correct = true;
        assert_eq!(apply(&s, &c).unwrap_err(), TransitionError::CorrectionReasonRequired);
        c.reason = Some("开工日期录入有误".into());
        let a = apply(&s, &c).unwrap();
        assert!(a.correction);
        assert_eq!(a.state.stage, Stage::Signed);
        assert_eq!(a.state.dates.started_on, None);
        assert_eq!(a.state.dates.approved_on, None);
        assert_eq!(a.state.dates.signed_on, Some(d("2025-01-01")));
    }

    #[test]
    fn dates_for_stages_not_skipped_are_refused() {
        let mut r = req(Stage::Negotiating, "2025-01-01");
        r.skipped_dates.insert(Stage::Signed, d("2025-01-01"));
        assert_eq!(apply(&StageState::new(), &r).unwrap_err(), TransitionError::UnexpectedDate(Stage::Signed));
    }

    #[test]
    fn parse_accepts_codes_and_labels() {
        assert_eq!(Stage::parse("signed"), Some(Stage::Signed));
        assert_eq!(Stage::parse("已签约"), Some(Stage::Signed));
        assert_eq!(Stage::parse(" 储备 "), Some(Stage::Reserve));
        assert_eq!(Stage::parse("谋划/储备"), Some(Stage::Reserve));
        assert_eq!(Stage::parse("bogus"), None);
    }

    const TODAY: &str = "2026-11-27";

    /// The date the next transition may not precede.
    fn floor(s: &StageState) -> Option<NaiveDate> {
        s.last_date.into_iter().chain(s.dates.latest()).max()
    }

    fn later(day: NaiveDate, gap: u8) -> NaiveDate {
        (day + chrono::Days::new(u64::from(gap))).min(d(TODAY))
    }

    /// A request to `to` that the rules of domain.md §4 accept: dated on or after the last
    /// date (never after today), the skipped dated stages dated in order in between, a
    /// reason where one is required.
    fn legal(s: &StageState, to: Stage, may_correct: bool, gaps: &[u8]) -> TransitionRequest {
        let mut gaps = gaps.iter().copied().cycle();
        let mut day = floor(s).unwrap_or(d("2023-01-01"));
        let mut skipped_dates = BTreeMap::new();
        if let (Some(fo), Some(tord)) = (s.stage.order(), to.order())
            && tord > fo
        {
            for st in ACTIVE[fo + 1..tord].iter().filter(|x| x.is_dated()) {
                day = later(day, gaps.next().unwrap_or(0));
                skipped_dates.insert(*st, day);
            }
        }
        let correction = matches!((s.stage.order(), to.order()), (Some(fo), Some(t)) if t < fo);
        TransitionRequest {
            to,
            date: later(day, gaps.next().unwrap_or(0)),
            skipped_dates,
            reason: (to == Stage::Terminated || correction).then(|| "原因".to_string()),
            may_correct,
            today: d(TODAY),
        }
    }

    /// Every move a user can legally make from `s`: what the form offers (`targets`), plus
    /// 暂缓 from an active stage and 终止 from anything but terminated.
    fn legal_moves(s: &StageState, may_correct: bool) -> Vec<(Stage, bool)> {
        let t = targets(s.stage, s.paused_from, may_correct);
        let mut out: Vec<(Stage, bool)> = t.moves.iter().map(|m| (m.stage, m.correction)).collect();
        out.extend(t.resume_to.map(|r| (r, false)));
        if s.stage.is_active() {
            out.push((Stage::OnHold, false));
        }
        if s.stage != Stage::Terminated {
            out.push((Stage::Terminated, false));
        }
        out
    }

    /// The state after a walk of legal steps (asserting each is accepted as it goes).
    fn walk(steps: &[(u8, [u8; 4], bool)]) -> Result<StageState, TestCaseError> {
        let mut state = StageState::new();
        for (pick, gaps, may_correct) in steps {
            let moves = legal_moves(&state, *may_correct);
            if moves.is_empty() {
                break;
            }
            let (to, correction) = moves[usize::from(*pick) % moves.len()];
            let r = legal(&state, to, *may_correct, gaps);
            let a = apply(&state, &r);
            prop_assert!(a.is_ok(), "legal {:?} from {:?} refused: {:?}", r, state, a);
            let a = a.unwrap();
            prop_assert_eq!(a.state.stage, to);
            prop_assert_eq!(a.correction, correction);
            prop_assert_eq!(a.state.last_date, Some(r.date));
            let set: Vec<NaiveDate> = ACTIVE.iter().filter_map(|&s| a.state.dates.get(s)).collect();
            prop_assert!(set.windows(2).all(|w| w[0] <= w[1]), "{:?}", a.state.dates);
            prop_assert!(set.iter().all(|x| *x <= r.today));
            if let Some(o) = a.state.stage.order() {
                for s in &ACTIVE[..=o] {
                    if s.is_dated() {
                        prop_assert!(a.state.dates.get(*s).is_some(), "{:?} lacks its date", s);
                    }
                }
                for s in &ACTIVE[o + 1..] {
                    prop_assert!(a.state.dates.get(*s).is_none());
                }
            }
            if a.state.stage == Stage::OnHold {
                prop_assert_eq!(a.state.paused_from, Some(state.stage));
            }
            state = a.state;
        }
        Ok(state)
    }

    fn steps() -> impl Strategy<Value = Vec<(u8, [u8; 4], bool)>> {
        proptest::collection::vec((any::<u8>(), any::<[u8; 4]>(), any::<bool>()), 0..30)
    }

    proptest! {
        /// domain.md §4: every legal request — each stage the form offers, 暂缓, 终止,
        /// corrections by those who may — is accepted, and the dates stay in order.
        #[test]
        fn legal_requests_are_accepted(steps in steps()) {
            walk(&steps)?;
        }

        /// domain.md §4: from any reachable state, each kind of illegal request is refused
        /// for its own reason.
        #[test]
        fn illegal_requests_are_refused_for_their_reason(steps in steps(), gaps in any::<[u8; 4]>(), back in any::<u8>()) {
            let s = walk(&steps)?;
            // anything from terminated
            if s.stage == Stage::Terminated {
                for to in ALL {
                    let mut r = legal(&StageState { stage: Stage::Reserve, ..s }, to, true, &gaps);
                    r.reason = Some("原因".into());
                    prop_assert_eq!(apply(&s, &r), Err(TransitionError::Terminated));
                }
                return Ok(());
            }
            // a date after today
            let mut r = legal(&s, Stage::Terminated, false, &gaps);
            r.date = d(TODAY) + chrono::Days::new(1);
            prop_assert_eq!(apply(&s, &r), Err(TransitionError::DateInFuture(r.date)));
            // 终止 without a reason
            let mut r = legal(&s, Stage::Terminated, false, &gaps);
            r.reason = Some("  ".into());
            prop_assert_eq!(apply(&s, &r), Err(TransitionError::ReasonRequired));
            // a date before the last one
            if let Some(f) = floor(&s) {
                let mut r = legal(&s, Stage::Terminated, false, &gaps);
                r.date = f - chrono::Days::new(1);
                let refused = matches!(apply(&s, &r), Err(TransitionError::DateBackwards { stage: Stage::Terminated, date, previous }) if date == r.date && previous == f);
                prop_assert!(refused, "{:?}", apply(&s, &r));
            }
            if s.stage == Stage::OnHold {
                let paused_from = s.paused_from.unwrap_or(Stage::Reserve);
                // resume to another stage than paused_from
                for to in ACTIVE.iter().filter(|t| **t != paused_from) {
                    let r = legal(&s, *to, true, &gaps);
                    prop_assert_eq!(apply(&s, &r), Err(TransitionError::ResumeElsewhere(paused_from)));
                }
                prop_assert_eq!(apply(&s, &legal(&s, Stage::OnHold, true, &gaps)), Err(TransitionError::AlreadyOnHold));
                return Ok(());
            }
            let order = s.stage.order().unwrap_or(0);
            prop_assert_eq!(apply(&s, &legal(&s, s.stage, true, &gaps)), Err(TransitionError::Same(s.stage)));
            if order > 0 {
                let to = ACTIVE[usize::from(back) % order];
                // backwards without the correction right
                prop_assert_eq!(apply(&s, &legal(&s, to, false, &gaps)), Err(TransitionError::BackwardsNotAllowed));
                // backwards with it, but no reason
                let mut r = legal(&s, to, true, &gaps);
                r.reason = None;
                prop_assert_eq!(apply(&s, &r), Err(TransitionError::CorrectionReasonRequired));
            }
            // a forward jump over a dated stage without that stage's date
            for to in &ACTIVE[order + 1..] {
                let mut r = legal(&s, *to, false, &gaps);
                if let Some(first) = r.skipped_dates.keys().next().copied() {
                    r.skipped_dates.remove(&first);
                    let refused = matches!(apply(&s, &r), Err(TransitionError::SkippedDatesMissing { missing, .. }) if missing == vec![first]);
                    prop_assert!(refused, "{:?}", apply(&s, &r));
                }
            }
        }
    }

    #[test]
    fn targets_offer_forward_then_corrections() {
        let t = targets(Stage::Signed, None, true);
        let stages: Vec<(Stage, bool)> = t.moves.iter().map(|m| (m.stage, m.correction)).collect();
        assert_eq!(
            stages,
            vec![
                (Stage::Approved, false),
                (Stage::Started, false),
                (Stage::Producing, false),
                (Stage::AtCapacity, false),
                (Stage::Negotiating, true),
                (Stage::Reserve, true),
            ]
        );
        assert_eq!(targets(Stage::Signed, None, false).moves.len(), 4);
        assert_eq!(
            targets(Stage::OnHold, Some(Stage::Started), true),
            Targets { moves: vec![], resume_to: Some(Stage::Started) }
        );
        assert_eq!(targets(Stage::Terminated, None, true), Targets { moves: vec![], resume_to: None });
    }
}
