//! 五职 leader assessment (assessment.md): for each leader of the register and a period, the
//! projects the leader leads (包联) by phase — 立项, 洽谈, 签约, 履约, 投达产 — and the
//! 500强/领军 visits the leader led. Pure: the store fetches each project's dated facts (only
//! dates the city accepted) and the clause facts; this module says where a project counts.

// 三(三): 对五职领导招商引资工作实行全生命周期考核

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::agreement::Ratio;

/// The phases of the leader table, in its column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// 立项: created in the period.
    Created,
    /// 洽谈: reached `negotiating` in the period.
    Negotiating,
    /// 签约: the city-accepted `signed` date in the period.
    Signed,
    /// 履约率: the clauses due by `to` of the leader's projects' agreements.
    Fulfilment,
    /// 投达产: a city-accepted `producing` or `at_capacity` date in the period.
    Producing,
    /// 拜访500强/领军: visits the leader led that met a ranked company (`leader_visits_500`).
    Visits,
}

impl Figure {
    pub const ALL: [Figure; 6] =
        [Figure::Created, Figure::Negotiating, Figure::Signed, Figure::Fulfilment, Figure::Producing, Figure::Visits];

    pub fn code(self) -> &'static str {
        match self {
            Figure::Created => "created",
            Figure::Negotiating => "negotiating",
            Figure::Signed => "signed",
            Figure::Fulfilment => "fulfilment",
            Figure::Producing => "producing",
            Figure::Visits => "visits",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Figure::Created => "立项",
            Figure::Negotiating => "洽谈",
            Figure::Signed => "签约",
            Figure::Fulfilment => "履约率",
            Figure::Producing => "投达产",
            Figure::Visits => "拜访500强/领军",
        }
    }

    pub fn parse(code: &str) -> Option<Figure> {
        Figure::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// The dates of one led project that the phases read; each already one the city accepted
/// (a stage date whose claim is still waiting or was returned is `None`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProjectDates {
    /// The day it was entered (Asia/Shanghai).
    pub created_on: Option<NaiveDate>,
    /// When it moved into `negotiating` (the transition's date).
    pub negotiating_on: Option<NaiveDate>,
    pub signed_on: Option<NaiveDate>,
    pub producing_on: Option<NaiveDate>,
    pub at_capacity_on: Option<NaiveDate>,
}

/// The project phases (not 履约率 nor visits) this project counts in over `[from, to]`, in
/// column order. A project counts once per phase; 投达产 once even when it both started
/// producing and reached capacity in the period (the earlier date is the one shown).
pub fn project_figures(d: &ProjectDates, from: NaiveDate, to: NaiveDate) -> Vec<(Figure, NaiveDate)> {
    let inside = |x: Option<NaiveDate>| x.filter(|d| *d >= from && *d <= to);
    let mut out = vec![];
    if let Some(x) = inside(d.created_on) {
        out.push((Figure::Created, x));
    }
    if let Some(x) = inside(d.negotiating_on) {
        out.push((Figure::Negotiating, x));
    }
    if let Some(x) = inside(d.signed_on) {
        out.push((Figure::Signed, x));
    }
    let producing = [inside(d.producing_on), inside(d.at_capacity_on)].into_iter().flatten().min();
    if let Some(x) = producing {
        out.push((Figure::Producing, x));
    }
    out
}

/// One leader's figures over a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderFigures {
    pub created: u64,
    pub negotiating: u64,
    pub signed: u64,
    /// 履约率: clauses fulfilled or waived by `to` (`met`) of those due by `to` (`due`); `due`
    /// 0 when none is due (shown as —).
    pub clauses_met: u64,
    pub clauses_due: u64,
    pub producing: u64,
    pub visits: u64,
}

impl LeaderFigures {
    /// 履约率 as an exact ratio; `None` when no clause is due.
    pub fn fulfilment(&self) -> Option<Ratio> {
        Ratio::new(self.clauses_met, self.clauses_due)
    }

    /// 履约率 as the table shows it: `75.0%`, or `—` when none is due.
    pub fn fulfilment_text(&self) -> String {
        crate::agreement::fulfilment_text(self.fulfilment())
    }

    /// The count of a figure (履约率: the clauses due).
    pub fn count(&self, f: Figure) -> u64 {
        match f {
            Figure::Created => self.created,
            Figure::Negotiating => self.negotiating,
            Figure::Signed => self.signed,
            Figure::Fulfilment => self.clauses_due,
            Figure::Producing => self.producing,
            Figure::Visits => self.visits,
        }
    }

    /// Add one to a counted figure (not 履约率).
    pub fn add(&mut self, f: Figure) {
        match f {
            Figure::Created => self.created += 1,
            Figure::Negotiating => self.negotiating += 1,
            Figure::Signed => self.signed += 1,
            Figure::Producing => self.producing += 1,
            Figure::Visits => self.visits += 1,
            Figure::Fulfilment => {}
        }
    }

    /// Whether there is anything to show.
    pub fn is_empty(&self) -> bool {
        *self == LeaderFigures::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn phases_in_the_period_only() {
        let p = ProjectDates {
            created_on: Some(d("2024-12-31")),
            negotiating_on: Some(d("2025-01-01")),
            signed_on: Some(d("2025-06-30")),
            producing_on: Some(d("2026-01-01")),
            at_capacity_on: None,
        };
        let f = project_figures(&p, d("2025-01-01"), d("2025-12-31"));
        assert_eq!(f, [(Figure::Negotiating, d("2025-01-01")), (Figure::Signed, d("2025-06-30"))]);
    }

    #[test]
    fn producing_counts_once_by_its_earlier_date() {
        let p = ProjectDates {
            producing_on: Some(d("2025-03-01")),
            at_capacity_on: Some(d("2025-09-01")),
            ..Default::default()
        };
        assert_eq!(project_figures(&p, d("2025-01-01"), d("2025-12-31")), [(Figure::Producing, d("2025-03-01"))]);
        let late = ProjectDates { producing_on: Some(d("2024-03-01")), ..p };
        assert_eq!(project_figures(&late, d("2025-01-01"), d("2025-12-31")), [(Figure::Producing, d("2025-09-01"))]);
    }

    #[test]
    fn figures_count_and_fulfilment() {
        let mut f = LeaderFigures::default();
        assert!(f.is_empty());
        assert_eq!(f.fulfilment_text(), "—");
        f.add(Figure::Signed);
        f.add(Figure::Signed);
        f.add(Figure::Fulfilment);
        f.clauses_met = 3;
        f.clauses_due = 4;
        assert_eq!(f.count(Figure::Signed), 2);
        assert_eq!(f.count(Figure::Fulfilment), 4);
        assert_eq!(f.fulfilment().map(Ratio::met), Some(3));
        assert!(!f.is_empty());
    }

    #[test]
    fn figure_codes_round_trip() {
        for f in Figure::ALL {
            assert_eq!(Figure::parse(f.code()), Some(f));
        }
        assert_eq!(Figure::parse("x"), None);
    }
}
