//! 预警 (domain.md §7; seed 三(二)三: 着力改变"重签约、轻落地"现象): the warning rules as pure
//! functions of the facts and "today", each with a level and a reason that carries its numbers.

use chrono::NaiveDate;

use crate::Stage;
use crate::four_ones::MissingFourOnes;
use crate::monthly::{Month, report_deadline};

crate::vocabulary! {
    /// Which rule raised a warning.
    pub enum WarningRule;
}

crate::vocabulary! {
    /// How serious a warning is; red is above yellow (`Yellow < Red`).
    pub enum WarningLevel;
}

crate::vocabulary! {
    /// The kinds of item that fall overdue (domain.md §7: a milestone, department task,
    /// problem or clause), each with its own rule.
    pub enum OverdueItem;
}

impl OverdueItem {
    pub const fn rule(self) -> WarningRule {
        match self {
            OverdueItem::Milestone => WarningRule::MilestoneOverdue,
            OverdueItem::Task => WarningRule::TaskOverdue,
            OverdueItem::Problem => WarningRule::ProblemOverdue,
            OverdueItem::Clause => WarningRule::ClauseOverdue,
        }
    }
}

crate::vocabulary! {
    /// A 督办 item's status: open → replied (the unit answered) → closed (the supervisor).
    pub enum SupervisionStatus;
}

/// Why a 督办 step is refused; the message is for users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SupervisionError {
    #[error("督办事项已办结")]
    Closed,
    #[error("督办事项尚未答复，不能办结")]
    NotReplied,
}

// seed 三(二)三: 督促项目…落实到位 — the unit answers, the supervisor closes what was answered
/// The status after a reply (`close` false) or a close (`close` true), or why not: a closed
/// item takes nothing more, and only an answered item closes.
pub fn supervision_step(from: SupervisionStatus, close: bool) -> Result<SupervisionStatus, SupervisionError> {
    match (from, close) {
        (SupervisionStatus::Closed, _) => Err(SupervisionError::Closed),
        (SupervisionStatus::Open, true) => Err(SupervisionError::NotReplied),
        (SupervisionStatus::Replied, true) => Ok(SupervisionStatus::Closed),
        (_, false) => Ok(SupervisionStatus::Replied),
    }
}

/// One warning: its rule, level, a Chinese reason with the numbers, and the day its
/// condition began (when the rule knows it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    pub rule: WarningRule,
    pub level: WarningLevel,
    pub reason: String,
    pub since: Option<NaiveDate>,
}

/// The thresholds of the rules (settings); `Default` is domain.md §7's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Thresholds {
    /// Signed and not started this many days after signing: yellow.
    pub signed_not_started_yellow_days: u32,
    /// … and this many: red.
    pub signed_not_started_red_days: u32,
    /// Started and not producing this many days past the expected production date: red
    /// (any day past it: yellow).
    pub producing_red_days: u32,
    /// An overdue milestone, task, problem or clause, this many days overdue: red (any day
    /// overdue: yellow).
    pub overdue_red_days: u32,
    /// No stage change nor follow-up for this many days: yellow.
    pub no_progress_days: u32,
    /// A submission waiting for review more than this many days: yellow.
    pub review_wait_days: u32,
    /// The day of the next month by which a month's report is confirmed.
    pub monthly_deadline_day: u32,
    /// The working days a unit has to answer an investor's inquiry (投资咨询).
    pub inquiry_response_days: u32,
}

impl Thresholds {
    /// domain.md §7's numbers.
    pub const DEFAULT: Thresholds = Thresholds {
        signed_not_started_yellow_days: 180,
        signed_not_started_red_days: 365,
        producing_red_days: 180,
        overdue_red_days: 30,
        no_progress_days: 90,
        review_wait_days: 10,
        monthly_deadline_day: crate::monthly::DEFAULT_DEADLINE_DAY,
        inquiry_response_days: crate::inquiry::DEFAULT_RESPONSE_DAYS,
    };
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds::DEFAULT
    }
}

/// One setting of [`Thresholds`]: its key (the field's name), its Chinese label, the unit
/// of its number, and the range a deployment may set it to.
#[derive(Debug, Clone, Copy)]
pub struct ThresholdSetting {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub min: u32,
    pub max: u32,
    get: fn(&Thresholds) -> u32,
    set: fn(&mut Thresholds, u32),
}

impl ThresholdSetting {
    pub fn value(&self, t: &Thresholds) -> u32 {
        (self.get)(t)
    }
}

macro_rules! threshold_settings {
    ($($field:ident, $label:literal, $unit:literal, $min:literal..=$max:literal;)*) => {
        /// Every threshold a deployment may set (domain.md §7 "Thresholds are settings"), in
        /// the order the settings page lists them.
        pub const THRESHOLD_SETTINGS: &[ThresholdSetting] = &[$(ThresholdSetting {
            key: stringify!($field),
            label: $label,
            unit: $unit,
            min: $min,
            max: $max,
            get: |t| t.$field,
            set: |t, v| t.$field = v,
        }),*];
    };
}

threshold_settings! {
    signed_not_started_yellow_days, "签约后未开工（黄色预警）", "天", 1..=3650;
    signed_not_started_red_days, "签约后未开工（红色预警）", "天", 1..=3650;
    producing_red_days, "超过预计投产日期未投产（红色预警）", "天", 1..=3650;
    overdue_red_days, "节点、任务、问题、条款逾期（红色预警）", "天", 1..=3650;
    no_progress_days, "无进展（黄色预警）", "天", 1..=3650;
    review_wait_days, "申报待审核（黄色预警）", "天", 1..=365;
    monthly_deadline_day, "月报确认截止日（次月）", "日", 1..=28;
    inquiry_response_days, "投资咨询答复时限", "个工作日", 1..=30;
}

/// Why a threshold may not be set so; the message is for users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThresholdError {
    #[error("没有名为 {0} 的预警阈值")]
    Unknown(String),
    #[error("{label}应为 {min} 到 {max} 之间的整数")]
    OutOfRange { label: &'static str, min: u32, max: u32 },
    #[error("签约后未开工的红色预警天数不能少于黄色预警天数")]
    RedBeforeYellow,
}

impl Thresholds {
    /// These thresholds with `key` set to `value` (a whole number in the setting's range;
    /// the red days of 签约后未开工 never below its yellow days).
    pub fn with(mut self, key: &str, value: &str) -> Result<Thresholds, ThresholdError> {
        let s = THRESHOLD_SETTINGS
            .iter()
            .find(|s| s.key == key.trim())
            .ok_or_else(|| ThresholdError::Unknown(key.trim().to_string()))?;
        let out_of_range = ThresholdError::OutOfRange { label: s.label, min: s.min, max: s.max };
        let v: u32 = value.trim().parse().map_err(|_| out_of_range.clone())?;
        if !(s.min..=s.max).contains(&v) {
            return Err(out_of_range);
        }
        (s.set)(&mut self, v);
        if self.signed_not_started_red_days < self.signed_not_started_yellow_days {
            return Err(ThresholdError::RedBeforeYellow);
        }
        Ok(self)
    }
}

/// The level of a condition `days` old: yellow from `yellow`, red from `red` (and never
/// red before yellow, whatever the settings say).
fn level(days: i64, yellow: i64, red: i64) -> Option<WarningLevel> {
    if days >= red.max(yellow) {
        Some(WarningLevel::Red)
    } else if days >= yellow {
        Some(WarningLevel::Yellow)
    } else {
        None
    }
}

fn warning(
    rule: WarningRule,
    level: Option<WarningLevel>,
    reason: String,
    since: Option<NaiveDate>,
) -> Option<Warning> {
    level.map(|level| Warning { rule, level, reason, since })
}

fn plus_days(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    date.checked_add_signed(chrono::Duration::try_days(days)?)
}

/// Something due on `due` and `days_overdue` late: yellow from the first day, red at the
/// items' red threshold, warned since the day after `due`; `reason` says it with the days.
fn overdue(
    rule: WarningRule,
    due: NaiveDate,
    days_overdue: Option<i64>,
    t: &Thresholds,
    reason: impl FnOnce(i64) -> String,
) -> Option<Warning> {
    let days = days_overdue?;
    warning(rule, level(days, 1, i64::from(t.overdue_red_days)), reason(days), plus_days(due, 1))
}

// seed 三(二)三: 着力改变"重签约、轻落地"现象
/// Signed (or approved) but not started: yellow 180 days after signing, red at 365.
pub fn signed_not_started(stage: Stage, signed_on: NaiveDate, today: NaiveDate, t: &Thresholds) -> Option<Warning> {
    if !matches!(stage, Stage::Signed | Stage::Approved) {
        return None;
    }
    let days = (today - signed_on).num_days();
    let (yellow, red) = (i64::from(t.signed_not_started_yellow_days), i64::from(t.signed_not_started_red_days));
    warning(
        WarningRule::SignedNotStarted,
        level(days, yellow, red),
        format!("签约后已{days}天未开工"),
        plus_days(signed_on, yellow),
    )
}

// seed 三(二)二: 推动项目签约、开工、投产
/// Started but not producing: yellow past the expected production date, red 180 days past it.
pub fn started_not_producing(
    stage: Stage,
    expected_producing_on: Option<NaiveDate>,
    today: NaiveDate,
    t: &Thresholds,
) -> Option<Warning> {
    let expected = expected_producing_on?;
    if stage != Stage::Started {
        return None;
    }
    let days = (today - expected).num_days();
    warning(
        WarningRule::StartedNotProducing,
        level(days, 1, i64::from(t.producing_red_days)),
        format!("已超过计划投产日期（{expected}）{days}天仍未投产"),
        plus_days(expected, 1),
    )
}

// seed 三(二)三: 逐条逐项落实到位
/// A milestone, department task, problem or clause overdue: yellow, red when overdue by 30
/// days. `days_overdue` is what `tasks::days_overdue` (or `ClauseFact::days_overdue`,
/// `four_ones::milestone_days_overdue`) gives; `title` names the item.
pub fn item_overdue(
    item: OverdueItem,
    title: &str,
    due_on: NaiveDate,
    days_overdue: Option<i64>,
    t: &Thresholds,
) -> Option<Warning> {
    overdue(item.rule(), due_on, days_overdue, t, |days| {
        format!("{}“{title}”已逾期{days}天（应于{due_on}完成）", item.label())
    })
}

// seed 二(二): 建立靶向项目库 … 持续跟踪 — a target not followed up by its date.
/// A target (still courted) past its next follow-up date: yellow, red when overdue by the
/// items' red threshold. `days_overdue` is `target::follow_up_days_overdue`'s.
pub fn follow_up_overdue(company: &str, next: NaiveDate, days_overdue: Option<i64>, t: &Thresholds) -> Option<Warning> {
    overdue(WarningRule::FollowUpOverdue, next, days_overdue, t, |days| {
        format!("靶向企业“{company}”跟进已逾期{days}天（计划于{next}跟进）")
    })
}

// seed 三(三)三: 优化办事环节，提高服务效能 — an investor's inquiry unanswered past its deadline.
/// An unanswered inquiry past its deadline: yellow, red when late by the items' red
/// threshold (in working days). `days_overdue` is `inquiry::working_days_overdue`'s.
pub fn inquiry_unanswered(
    company: &str,
    respond_by: NaiveDate,
    days_overdue: Option<i64>,
    t: &Thresholds,
) -> Option<Warning> {
    overdue(WarningRule::InquiryUnanswered, respond_by, days_overdue, t, |days| {
        format!("“{company}”的投资咨询超过答复时限{days}个工作日未答复（应于{respond_by}前答复）")
    })
}

// seed 三(一)二: 实行"四个一"招商工作推进机制
/// A key project without its 四个一: yellow, naming what is missing.
pub fn four_ones_warning(missing: &MissingFourOnes) -> Option<Warning> {
    let level = (!missing.is_empty()).then_some(WarningLevel::Yellow);
    warning(WarningRule::FourOnesMissing, level, format!("重点项目缺少{}", missing.labels()), None)
}

// seed 三(二)三: 进行动态跟踪
/// An active project (not yet at capacity, not paused or terminated) with no stage change
/// nor follow-up for 90 days: yellow. `last_activity` is the later of the two.
pub fn no_progress(stage: Stage, last_activity: NaiveDate, today: NaiveDate, t: &Thresholds) -> Option<Warning> {
    if stage.order().is_none() || stage == Stage::AtCapacity {
        return None;
    }
    let days = (today - last_activity).num_days();
    let yellow = i64::from(t.no_progress_days);
    warning(
        WarningRule::NoProgress,
        level(days, yellow, i64::MAX),
        format!("已{days}天无阶段变化或跟进记录"),
        plus_days(last_activity, yellow),
    )
}

// seed 三(三)一: 以项目落地实绩为考核标准 — the city reviews claims promptly
/// A submission waiting for review more than 10 days: yellow (for the city).
pub fn review_waiting(submitted_on: NaiveDate, today: NaiveDate, t: &Thresholds) -> Option<Warning> {
    let days = (today - submitted_on).num_days();
    let yellow = i64::from(t.review_wait_days) + 1;
    warning(
        WarningRule::ReviewWaiting,
        level(days, yellow, i64::MAX),
        format!("申报已等待审核{days}天"),
        plus_days(submitted_on, yellow),
    )
}

// seed 三(二)三: 进行动态跟踪 — each assessed unit confirms its month by the deadline
/// A unit's monthly report not confirmed by the deadline: yellow.
pub fn monthly_report_late(
    month: Month,
    confirmed_on: Option<NaiveDate>,
    today: NaiveDate,
    t: &Thresholds,
) -> Option<Warning> {
    let deadline = report_deadline(month, t.monthly_deadline_day);
    let late = crate::monthly::is_late(month, confirmed_on, today, t.monthly_deadline_day);
    let reason = match confirmed_on {
        Some(on) => format!("{month}月报于{on}确认，晚于截止日{deadline}"),
        None => format!("{month}月报未确认，截止日{deadline}已过{}天", (today - deadline).num_days()),
    };
    warning(WarningRule::MonthlyReportLate, late.then_some(WarningLevel::Yellow), reason, deadline.succ_opt())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::four_ones::{FourOnesFacts, four_ones_missing as missing_of};

    #[test]
    fn a_supervision_closes_only_once_answered() {
        use SupervisionStatus::*;
        assert_eq!(supervision_step(Open, true), Err(SupervisionError::NotReplied));
        assert_eq!(supervision_step(Open, false), Ok(Replied));
        assert_eq!(supervision_step(Replied, false), Ok(Replied));
        assert_eq!(supervision_step(Replied, true), Ok(Closed));
        assert_eq!(supervision_step(Closed, false), Err(SupervisionError::Closed));
        assert_eq!(supervision_step(Closed, true), Err(SupervisionError::Closed));
    }

    /// The fixed "today" of these tests.
    const TODAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();

    fn ago(days: i64) -> NaiveDate {
        TODAY - chrono::Duration::days(days)
    }

    fn lvl(w: Option<Warning>) -> Option<WarningLevel> {
        w.map(|w| w.level)
    }

    // The tests below pin each default to the spec's number (180 days → yellow, …).
    const T: Thresholds = Thresholds::DEFAULT;

    #[test]
    fn a_partial_setting_keeps_the_other_defaults() {
        assert_eq!(Thresholds::default(), T);
        let partial: Thresholds = serde_json::from_str(r#"{"overdue_red_days": 15}"#).unwrap();
        assert_eq!(partial, Thresholds { overdue_red_days: 15, ..T });
    }

    #[test]
    fn signed_200_days_ago_is_yellow_400_is_red() {
        let w = signed_not_started(Stage::Signed, ago(200), TODAY, &T).unwrap();
        assert_eq!((w.rule, w.level), (WarningRule::SignedNotStarted, WarningLevel::Yellow));
        assert_eq!(w.reason, "签约后已200天未开工");
        assert_eq!(w.since, Some(ago(20)));
        assert_eq!(lvl(signed_not_started(Stage::Approved, ago(400), TODAY, &T)), Some(WarningLevel::Red));
        assert_eq!(lvl(signed_not_started(Stage::Signed, ago(179), TODAY, &T)), None);
        assert_eq!(lvl(signed_not_started(Stage::Signed, ago(180), TODAY, &T)), Some(WarningLevel::Yellow));
        assert_eq!(lvl(signed_not_started(Stage::Signed, ago(365), TODAY, &T)), Some(WarningLevel::Red));
        // started, paused or terminated projects are not "signed but not started"
        for s in [Stage::Started, Stage::OnHold, Stage::Terminated, Stage::Negotiating] {
            assert_eq!(signed_not_started(s, ago(400), TODAY, &T), None, "{s:?}");
        }
    }

    #[test]
    fn an_inquiry_unanswered_past_its_deadline_warns_until_answered() {
        use crate::inquiry::{respond_by, working_days_overdue};
        let received = TODAY - chrono::Duration::days(40);
        let by = respond_by(received, T.inquiry_response_days);
        let w = inquiry_unanswered("宇通客车", by, working_days_overdue(by, false, TODAY), &T).unwrap();
        assert_eq!(
            (w.rule, w.level),
            (WarningRule::InquiryUnanswered, WarningLevel::Yellow),
            "late by < 30 working days"
        );
        assert!(w.reason.contains("宇通客车") && w.reason.contains(&by.to_string()), "{}", w.reason);
        assert_eq!(w.since, Some(by + chrono::Duration::days(1)));
        assert_eq!(inquiry_unanswered("宇通客车", by, working_days_overdue(by, true, TODAY), &T), None, "answered");
        let fresh = respond_by(TODAY, T.inquiry_response_days);
        assert_eq!(inquiry_unanswered("x", fresh, working_days_overdue(fresh, false, TODAY), &T), None, "in time");
        let long_ago = TODAY - chrono::Duration::days(60);
        let w = inquiry_unanswered("x", long_ago, working_days_overdue(long_ago, false, TODAY), &T).unwrap();
        assert_eq!(w.level, WarningLevel::Red, "late by 30 working days or more");
    }

    #[test]
    fn a_target_follow_up_past_its_date_warns_until_followed_up() {
        use crate::target::{TargetStatus, follow_up_days_overdue};
        let due =
            |next, status| follow_up_overdue("宁德时代", next, follow_up_days_overdue(Some(next), status, TODAY), &T);
        let w = due(ago(3), TargetStatus::Contacted).unwrap();
        assert_eq!((w.rule, w.level), (WarningRule::FollowUpOverdue, WarningLevel::Yellow));
        assert_eq!(w.reason, format!("靶向企业“宁德时代”跟进已逾期3天（计划于{}跟进）", ago(3)));
        assert_eq!(lvl(due(ago(30), TargetStatus::Interested)), Some(WarningLevel::Red));
        assert_eq!(due(TODAY, TargetStatus::Watching), None, "due today");
        assert_eq!(due(ago(90), TargetStatus::Dropped), None, "no longer courted");
        assert_eq!(due(ago(90), TargetStatus::Converted), None);
    }

    #[test]
    fn started_past_the_expected_production_date() {
        assert_eq!(started_not_producing(Stage::Started, Some(TODAY), TODAY, &T), None);
        let w = started_not_producing(Stage::Started, Some(ago(1)), TODAY, &T).unwrap();
        assert_eq!(w.level, WarningLevel::Yellow);
        assert_eq!(w.reason, "已超过计划投产日期（2026-06-29）1天仍未投产");
        assert_eq!(lvl(started_not_producing(Stage::Started, Some(ago(180)), TODAY, &T)), Some(WarningLevel::Red));
        assert_eq!(started_not_producing(Stage::Producing, Some(ago(400)), TODAY, &T), None);
        assert_eq!(started_not_producing(Stage::Started, None, TODAY, &T), None);
    }

    #[test]
    fn a_clause_overdue_by_31_days_is_red() {
        let c = crate::agreement::ClauseFact {
            due_on: Some(ago(31)),
            status: crate::agreement::ClauseStatus::InProgress,
            settled_on: None,
        };
        let w = item_overdue(OverdueItem::Clause, "第3条 注册资本金到位", ago(31), c.days_overdue(TODAY), &T).unwrap();
        assert_eq!((w.rule, w.level), (WarningRule::ClauseOverdue, WarningLevel::Red));
        assert_eq!(w.reason, "协议条款“第3条 注册资本金到位”已逾期31天（应于2026-05-30完成）");
        let task = crate::tasks::days_overdue(Some(ago(29)), false, TODAY);
        assert_eq!(lvl(item_overdue(OverdueItem::Task, "用地预审", ago(29), task, &T)), Some(WarningLevel::Yellow));
        assert_eq!(item_overdue(OverdueItem::Problem, "供电", ago(29), None, &T), None);
    }

    #[test]
    fn a_key_project_without_a_work_team_is_flagged() {
        let facts = FourOnesFacts { milestones: 2, team_members: 0, team_leaders: 0, attachments: 1 };
        let w = four_ones_warning(&missing_of(true, &facts)).unwrap();
        assert_eq!((w.rule, w.level), (WarningRule::FourOnesMissing, WarningLevel::Yellow));
        assert_eq!(w.reason, "重点项目缺少工作团队");
        assert_eq!(four_ones_warning(&missing_of(false, &facts)), None);
    }

    #[test]
    fn ninety_days_without_progress() {
        let w = no_progress(Stage::Negotiating, ago(90), TODAY, &T).unwrap();
        assert_eq!((w.level, w.reason.as_str()), (WarningLevel::Yellow, "已90天无阶段变化或跟进记录"));
        assert_eq!(no_progress(Stage::Negotiating, ago(89), TODAY, &T), None);
        for s in [Stage::AtCapacity, Stage::OnHold, Stage::Terminated] {
            assert_eq!(no_progress(s, ago(900), TODAY, &T), None, "{s:?}");
        }
    }

    #[test]
    fn a_review_waiting_more_than_ten_days() {
        assert_eq!(review_waiting(ago(10), TODAY, &T), None);
        let w = review_waiting(ago(11), TODAY, &T).unwrap();
        assert_eq!((w.level, w.reason.as_str(), w.since), (WarningLevel::Yellow, "申报已等待审核11天", Some(TODAY)));
    }

    #[test]
    fn a_late_monthly_report() {
        let may = Month::parse("2026-05").unwrap();
        let w = monthly_report_late(may, None, TODAY, &T).unwrap();
        assert_eq!(w.reason, "2026-05月报未确认，截止日2026-06-05已过25天");
        assert_eq!(monthly_report_late(may, Some(NaiveDate::from_ymd_opt(2026, 6, 5).unwrap()), TODAY, &T), None);
        let late = monthly_report_late(may, Some(NaiveDate::from_ymd_opt(2026, 6, 8).unwrap()), TODAY, &T).unwrap();
        assert_eq!(late.reason, "2026-05月报于2026-06-08确认，晚于截止日2026-06-05");
        assert_eq!(monthly_report_late(Month::parse("2026-06").unwrap(), None, TODAY, &T), None);
    }

    fn stage() -> impl Strategy<Value = Stage> {
        proptest::sample::select(crate::stage::ALL.to_vec())
    }

    fn thresholds() -> impl Strategy<Value = Thresholds> {
        (0..500u32, 0..500u32, 0..300u32, 0..60u32, 0..200u32, 0..30u32).prop_map(|(y, r, p, o, n, w)| Thresholds {
            signed_not_started_yellow_days: y,
            signed_not_started_red_days: r,
            producing_red_days: p,
            overdue_red_days: o,
            no_progress_days: n,
            review_wait_days: w,
            monthly_deadline_day: 5,
            inquiry_response_days: 2,
        })
    }

    /// Every day-counted rule at a date `back` days before "today", as (level, yellow day).
    fn all_rules(s: Stage, date: NaiveDate, today: NaiveDate, t: &Thresholds) -> Vec<Option<WarningLevel>> {
        let overdue = crate::tasks::days_overdue(Some(date), false, today);
        vec![
            lvl(signed_not_started(s, date, today, t)),
            lvl(started_not_producing(s, Some(date), today, t)),
            lvl(item_overdue(OverdueItem::Milestone, "节点", date, overdue, t)),
            lvl(no_progress(s, date, today, t)),
            lvl(review_waiting(date, today, t)),
        ]
    }

    #[test]
    fn a_threshold_is_set_within_its_range_by_its_key() {
        let t = Thresholds::DEFAULT.with("overdue_red_days", " 15 ").unwrap();
        assert_eq!(t, Thresholds { overdue_red_days: 15, ..Thresholds::DEFAULT });
        let e = Thresholds::DEFAULT.with("monthly_deadline_day", "31").unwrap_err();
        assert_eq!(e.to_string(), "月报确认截止日（次月）应为 1 到 28 之间的整数");
        assert!(matches!(Thresholds::DEFAULT.with("overdue_red_days", "十五"), Err(ThresholdError::OutOfRange { .. })));
        assert!(matches!(Thresholds::DEFAULT.with("overdue_red_days", "0"), Err(ThresholdError::OutOfRange { .. })));
        assert_eq!(Thresholds::DEFAULT.with("site_name", "1"), Err(ThresholdError::Unknown("site_name".into())));
        // red never before yellow
        assert_eq!(
            Thresholds::DEFAULT.with("signed_not_started_red_days", "100"),
            Err(ThresholdError::RedBeforeYellow)
        );
        // every field of Thresholds is a setting, read back as it was set
        let keys: Vec<&str> = THRESHOLD_SETTINGS.iter().map(|s| s.key).collect();
        let json = serde_json::to_value(Thresholds::DEFAULT).unwrap();
        let fields: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), fields.len());
        assert!(fields.iter().all(|f| keys.contains(f)), "{fields:?}");
    }

    proptest! {
        #[test]
        fn a_threshold_set_reads_back_and_leaves_the_others_alone(i in 0..THRESHOLD_SETTINGS.len(), v in 1u32..=28) {
            let s = &THRESHOLD_SETTINGS[i];
            match Thresholds::DEFAULT.with(s.key, &v.to_string()) {
                Ok(t) => {
                    prop_assert_eq!(s.value(&t), v);
                    for other in THRESHOLD_SETTINGS.iter().filter(|o| o.key != s.key) {
                        prop_assert_eq!(other.value(&t), other.value(&Thresholds::DEFAULT));
                    }
                }
                // only the red-before-yellow rule refuses a value in range
                Err(e) => prop_assert_eq!(e, ThresholdError::RedBeforeYellow),
            }
        }
    }

    proptest! {
        // domain.md §7: with the facts fixed, a later "today" never lowers a level (a warning
        // once raised stays until the facts change).
        #[test]
        fn the_level_never_decreases_as_today_moves_later(s in stage(), back in 0..800i64, a in 0..800i64, b in 0..800i64, t in thresholds()) {
            let date = ago(back);
            let (early, late) = (TODAY + chrono::Duration::days(a.min(b)), TODAY + chrono::Duration::days(a.max(b)));
            for (e, l) in all_rules(s, date, early, &t).into_iter().zip(all_rules(s, date, late, &t)) {
                prop_assert!(e <= l, "{:?} then {:?}", e, l);
            }
        }

        // domain.md §7: no warning before its threshold; red only where yellow holds too;
        // the reason carries the day count; `since` is the first day it applied.
        #[test]
        fn thresholds_hold(s in stage(), back in -50..800i64, t in thresholds()) {
            let date = ago(back);
            let y = i64::from(t.signed_not_started_yellow_days);
            let r = i64::from(t.signed_not_started_red_days);
            match signed_not_started(s, date, TODAY, &t) {
                None => prop_assert!(!matches!(s, Stage::Signed | Stage::Approved) || back < y),
                Some(w) => {
                    prop_assert!(back >= y);
                    prop_assert_eq!(w.level == WarningLevel::Red, back >= r.max(y));
                    prop_assert!(w.reason.contains(&back.to_string()));
                    prop_assert!(w.since.is_some_and(|d| d <= TODAY));
                }
            }
            let red = i64::from(t.overdue_red_days);
            let overdue = crate::tasks::days_overdue(Some(date), false, TODAY);
            match item_overdue(OverdueItem::Task, "任务", date, overdue, &t) {
                None => prop_assert!(back <= 0),
                Some(w) => {
                    prop_assert!(back >= 1);
                    prop_assert_eq!(w.level == WarningLevel::Red, back >= red.max(1));
                    prop_assert_eq!(w.since, Some(date + chrono::Duration::days(1)));
                }
            }
            match review_waiting(date, TODAY, &t) {
                None => prop_assert!(back <= i64::from(t.review_wait_days)),
                Some(w) => prop_assert!(w.level == WarningLevel::Yellow && back > i64::from(t.review_wait_days)),
            }
            match no_progress(s, date, TODAY, &t) {
                None => prop_assert!(s.order().is_none() || s == Stage::AtCapacity || back < i64::from(t.no_progress_days)),
                Some(w) => prop_assert!(w.level == WarningLevel::Yellow && back >= i64::from(t.no_progress_days)),
            }
        }
    }
}
