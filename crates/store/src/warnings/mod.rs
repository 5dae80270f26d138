//! 预警 (domain.md §7): the warnings of the caller's scope, computed on demand from the pure
//! rules of `domain::warnings` with the thresholds of `settings`. A user outside a project's
//! unit sees none of its warnings; claims waiting for review warn the city only.

pub(crate) mod facts;

use chrono::{NaiveDate, TimeZone, Utc};
use domain::agreement::ClauseFact;
use domain::four_ones::{FourOnesFacts, four_ones_missing};
use domain::monthly::Month;
use domain::target::TargetStatus;
use domain::warnings::{self as rules, OverdueItem, Thresholds, Warning, WarningLevel, WarningRule};
use domain::{ClauseStatus, Permission, Stage};
use serde::Serialize;

use self::facts::{
    Confirmed, FOUR_ROW, FourRow, ITEM_ROW, ItemRow, On, PROJECT, PROJECT_ROW, ProjectRow, REVIEW_ROW, ReviewRow, Sql,
    codes, overdue_sql, projects,
};
use crate::scope::ProjectScope;
use crate::{Result, Scope, Scoped, StoreError};

/// One warning as the API and the pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WarningItem {
    /// Stable while the condition lasts: rule, entity and id (`clause_overdue:clause:12`).
    pub key: String,
    /// `red` or `yellow`.
    pub level: String,
    /// The rule's code (`signed_not_started`, …).
    pub kind: String,
    pub kind_label: String,
    /// What the warning is about: `project`, `milestone`, `dept_task`, `problem`, `clause`,
    /// `review`, `unit` (a monthly report), `target` (a 靶向 follow-up) or `inquiry` (投资咨询).
    pub entity: String,
    pub entity_id: i64,
    pub project_id: Option<i64>,
    pub project_name: Option<String>,
    /// The project's 牵头领导 (the leader's 待办 matches it).
    pub lead_leader: Option<String>,
    /// The responsible unit's code.
    pub unit: String,
    pub unit_name: String,
    pub unit_id: i64,
    pub reason: String,
    pub since: Option<NaiveDate>,
}

/// What to show: each filter is optional.
#[derive(Debug, Clone, Default)]
pub struct WarningFilter {
    pub level: Option<WarningLevel>,
    pub kind: Option<WarningRule>,
    /// A unit code or name: its subtree (within the caller's scope).
    pub unit: Option<String>,
}

/// Collects the warnings of one rule, naming units from the tree; those of another level
/// than the filter's are not built at all.
struct Out<'a> {
    tree: &'a crate::units::UnitTree,
    level: Option<WarningLevel>,
    items: Vec<WarningItem>,
}

impl Out<'_> {
    fn push(&mut self, w: Option<Warning>, entity: &str, entity_id: i64, on: Option<&On>, unit_id: i64) {
        let Some(w) = w else { return };
        if self.level.is_some_and(|l| l != w.level) {
            return;
        }
        let (unit, unit_name) = self.tree.code_name(unit_id);
        self.items.push(WarningItem {
            key: format!("{}:{entity}:{entity_id}", w.rule.code()),
            level: w.level.code().into(),
            kind: w.rule.code().into(),
            kind_label: w.rule.label().into(),
            entity: entity.into(),
            entity_id,
            project_id: on.map(|o| o.project_id),
            project_name: on.map(|o| o.project_name.clone()),
            lead_leader: on.and_then(|o| o.lead_leader.clone()),
            unit,
            unit_name,
            unit_id,
            reason: w.reason,
            since: w.since,
        });
    }

    fn project(&mut self, w: Option<Warning>, entity: &str, entity_id: i64, on: &On) {
        let unit = on.unit_id;
        self.push(w, entity, entity_id, Some(on), unit);
    }
}

/// One evaluation of the rules: what every rule's query and its rule need.
struct Run<'a> {
    s: Scoped<'a>,
    scope: &'a ProjectScope,
    tree: &'a crate::units::UnitTree,
    /// The caller's live projects as the derived table `p` ([`projects`]).
    p: &'a str,
    t: &'a Thresholds,
    today: NaiveDate,
    level: Option<WarningLevel>,
}

fn days_before(today: NaiveDate, days: u32) -> NaiveDate {
    today - chrono::Duration::days(i64::from(days))
}

/// The stage codes of active projects (not paused nor terminated), at capacity optionally.
fn active(with_capacity: bool) -> String {
    let list: Vec<&str> = domain::stage::ALL
        .iter()
        .filter(|s| s.is_active() && (with_capacity || **s != Stage::AtCapacity))
        .map(|s| s.code())
        .collect();
    codes(&list)
}

/// The latest month whose report deadline has passed as of `today`.
pub fn month_due(today: NaiveDate, deadline_day: u32) -> Month {
    let last = Month::of(today).prev();
    if today > domain::monthly::report_deadline(last, deadline_day) { last } else { last.prev() }
}

impl Scoped<'_> {
    /// The warnings of the caller's scope as of `today`, red first, then by unit and project.
    /// The rules' queries run concurrently (each on a connection of the pool).
    pub async fn warnings(&self, filter: &WarningFilter, today: NaiveDate) -> Result<Vec<WarningItem>> {
        self.require(Permission::WarningRead)?;
        let scope = ProjectScope::of(self.store, self.actor, filter.unit.as_deref())?;
        let unit_sql = scope.unit_sql().ok_or(StoreError::Forbidden)?;
        let t = self.store.thresholds().await?;
        let tree = self.store.unit_tree();
        let p = projects(&unit_sql);
        let run = Run { s: *self, scope: &scope, tree: &tree, p: &p, t: &t, today, level: filter.level };
        let wants = |r: WarningRule| filter.kind.is_none_or(|k| k == r);
        let city = self.actor.scope == Scope::All;
        let parts = tokio::try_join!(
            when(wants(WarningRule::SignedNotStarted), run.signed_not_started()),
            when(wants(WarningRule::StartedNotProducing), run.started_not_producing()),
            when(wants(OverdueItem::Milestone.rule()), run.overdue(OverdueItem::Milestone)),
            when(wants(OverdueItem::Task.rule()), run.overdue(OverdueItem::Task)),
            when(wants(OverdueItem::Problem.rule()), run.overdue(OverdueItem::Problem)),
            when(wants(OverdueItem::Clause.rule()), run.overdue(OverdueItem::Clause)),
            when(wants(WarningRule::FourOnesMissing), run.four_ones()),
            when(wants(WarningRule::NoProgress), run.no_progress()),
            when(wants(WarningRule::ReviewWaiting) && city, run.review_waiting()),
            when(wants(WarningRule::MonthlyReportLate), run.late_reports()),
            when(wants(WarningRule::FollowUpOverdue), run.target_follow_ups(&unit_sql)),
            when(wants(WarningRule::InquiryUnanswered), run.inquiries(&unit_sql)),
        )?;
        let (a, b, c, d, e, f, g, h, i, j, k, l) = parts;
        let all = [a, b, c, d, e, f, g, h, i, j, k, l];
        let mut items = Vec::with_capacity(all.iter().map(Vec::len).sum());
        for part in all {
            items.extend(part);
        }
        // (level, unit, project, kind, entity) is unique, so an unstable sort is deterministic
        items.sort_unstable_by(|a, b| {
            (b.level == "red", a.unit_id, a.project_id, &a.kind, a.entity_id).cmp(&(
                a.level == "red",
                b.unit_id,
                b.project_id,
                &b.kind,
                b.entity_id,
            ))
        });
        Ok(items)
    }
}

type Part = Result<Vec<WarningItem>>;

/// A rule's warnings when the filter wants that rule (else its query is not even written).
async fn when(wanted: bool, part: impl std::future::Future<Output = Part>) -> Part {
    if wanted { part.await } else { Ok(vec![]) }
}

impl Run<'_> {
    fn out(&self) -> Out<'_> {
        Out { tree: self.tree, level: self.level, items: vec![] }
    }

    fn sql(&self) -> Sql {
        Sql::new(self.s.store.backend())
    }

    async fn signed_not_started(&self) -> Part {
        let (p, t, today, mut out) = (self.p, self.t, self.today, self.out());
        let mut q = self.sql();
        let cutoff = q.bind(days_before(today, t.signed_not_started_yellow_days));
        let sql = format!(
            "SELECT {PROJECT}, p.signed_on AS d1, CAST(NULL AS DATE) AS d2, p.created_at AS at FROM {p} \
             WHERE p.stage IN ('signed', 'approved') AND p.signed_on <= {cutoff}"
        );
        for (on, r) in q.facts::<ProjectRow>(self.s.store, PROJECT_ROW, sql).await? {
            let (Some(stage), Some(signed)) = (Stage::parse(&r.stage), r.d1) else { continue };
            out.project(rules::signed_not_started(stage, signed, today, t), "project", on.project_id, &on);
        }
        Ok(out.items)
    }

    async fn started_not_producing(&self) -> Part {
        let (p, t, today, mut out) = (self.p, self.t, self.today, self.out());
        let mut q = self.sql();
        let t0 = q.bind(today);
        let sql = format!(
            "SELECT {PROJECT}, p.expected_producing_on AS d1, CAST(NULL AS DATE) AS d2, p.created_at AS at \
             FROM {p} WHERE p.stage = 'started' AND p.expected_producing_on < {t0}"
        );
        for (on, r) in q.facts::<ProjectRow>(self.s.store, PROJECT_ROW, sql).await? {
            let Some(stage) = Stage::parse(&r.stage) else { continue };
            let w = rules::started_not_producing(stage, r.d1, today, t);
            out.project(w, "project", on.project_id, &on);
        }
        Ok(out.items)
    }

    async fn overdue(&self, item: OverdueItem) -> Part {
        let (t, today, mut out) = (self.t, self.today, self.out());
        let mut q = self.sql();
        let sql = overdue_sql(item, self.p, &mut q, today);
        for (on, r) in q.facts::<ItemRow>(self.s.store, ITEM_ROW, sql).await? {
            out.project(overdue(item, &r, today, t), entity_of(item), r.id, &on);
        }
        Ok(out.items)
    }

    async fn four_ones(&self) -> Part {
        let (p, mut out) = (self.p, self.out());
        let mut q = self.sql();
        let (yes, key) = (q.bind(true), q.bind(true));
        let sql = format!(
            "SELECT {PROJECT}, \
             (SELECT COUNT(*) FROM milestones x WHERE x.project_id = p.id) AS milestones, \
             (SELECT COUNT(*) FROM team_members x WHERE x.project_id = p.id) AS team_members, \
             (SELECT COUNT(*) FROM team_members x WHERE x.project_id = p.id AND x.is_leader = {yes}) AS team_leaders, \
             (SELECT COUNT(*) FROM attachments x WHERE x.project_id = p.id AND x.deleted_at IS NULL) AS attachments \
             FROM {p} WHERE p.key_project = {key} AND p.stage IN ({})",
            active(true)
        );
        for (on, r) in q.facts::<FourRow>(self.s.store, FOUR_ROW, sql).await? {
            let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
            let facts = FourOnesFacts {
                milestones: n(r.milestones),
                team_members: n(r.team_members),
                team_leaders: n(r.team_leaders),
                attachments: n(r.attachments),
            };
            out.project(rules::four_ones_warning(&four_ones_missing(true, &facts)), "project", on.project_id, &on);
        }
        Ok(out.items)
    }

    async fn no_progress(&self) -> Part {
        let (p, t, today, mut out) = (self.p, self.t, self.today, self.out());
        let mut q = self.sql();
        let cutoff_day = days_before(today, t.no_progress_days);
        let (c1, c2) = (q.bind(cutoff_day), q.bind(end_of(cutoff_day)));
        let c3 = q.bind(cutoff_day);
        let sql = format!(
            "SELECT {PROJECT}, p.last_transition_on AS d1, \
             (SELECT MAX(n.date) FROM progress_notes n WHERE n.project_id = p.id) AS d2, p.created_at AS at \
             FROM {p} WHERE p.stage IN ({}) \
             AND (p.last_transition_on <= {c1} OR (p.last_transition_on IS NULL AND p.created_at < {c2})) \
             AND NOT EXISTS (SELECT 1 FROM progress_notes n WHERE n.project_id = p.id AND n.date > {c3})",
            active(false)
        );
        for (on, r) in q.facts::<ProjectRow>(self.s.store, PROJECT_ROW, sql).await? {
            let Some(stage) = Stage::parse(&r.stage) else { continue };
            let created = r.at.map(domain::shanghai_date);
            let Some(last) = [r.d1, r.d2, created].into_iter().flatten().max() else { continue };
            out.project(rules::no_progress(stage, last, today, t), "project", on.project_id, &on);
        }
        Ok(out.items)
    }

    /// Claims waiting for review (the city's warnings only: the caller checks).
    async fn review_waiting(&self) -> Part {
        let (p, t, today, mut out) = (self.p, self.t, self.today, self.out());
        let mut q = self.sql();
        let cutoff = q.bind(end_of(days_before(today, t.review_wait_days)));
        let sql = format!(
            "SELECT {PROJECT}, r.id, r.submitted_at FROM reviews r JOIN {p} ON p.id = r.project_id \
             WHERE r.state = 'submitted' AND r.submitted_at < {cutoff}"
        );
        for (on, r) in q.facts::<ReviewRow>(self.s.store, REVIEW_ROW, sql).await? {
            let w = rules::review_waiting(domain::shanghai_date(r.submitted_at), today, t);
            out.project(w, "review", r.id, &on);
        }
        Ok(out.items)
    }

    /// Targets of the scope's units still courted and past their next follow-up date (the
    /// target's own unit: no project yet). `unit_sql` is the scope's ` AND unit_id IN (…)`.
    async fn target_follow_ups(&self, unit_sql: &str) -> Part {
        let (t, today, mut out) = (self.t, self.today, self.out());
        let mut q = self.sql();
        let before = q.bind(today);
        let open: Vec<&str> = TargetStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.code()).collect();
        let sql = format!(
            "SELECT id, unit_id, status, next_follow_up_on, \
             (SELECT c.name FROM companies c WHERE c.id = company_id) AS company \
             FROM targets WHERE status IN ({}) AND next_follow_up_on < {before}{unit_sql}",
            codes(&open)
        );
        for r in q.all::<TargetRow>(self.s.store, sql).await? {
            let Some(status) = TargetStatus::parse(&r.status) else { continue };
            let days = domain::target::follow_up_days_overdue(Some(r.next_follow_up_on), status, today);
            let w = rules::follow_up_overdue(r.company.as_deref().unwrap_or(""), r.next_follow_up_on, days, t);
            out.push(w, "target", r.id, None, r.unit_id);
        }
        Ok(out.items)
    }

    /// Inquiries of the scope's units not answered by their deadline (the inquiry's own unit).
    async fn inquiries(&self, unit_sql: &str) -> Part {
        let (t, today, mut out) = (self.t, self.today, self.out());
        let mut q = self.sql();
        let before = q.bind(today);
        let sql = format!(
            "SELECT id, unit_id, company_name, respond_by FROM inquiries \
             WHERE answered_at IS NULL AND respond_by < {before}{unit_sql}"
        );
        for r in q.all::<InquiryRow>(self.s.store, sql).await? {
            let days = domain::inquiry::working_days_overdue(r.respond_by, false, today);
            out.push(
                rules::inquiry_unanswered(&r.company_name, r.respond_by, days, t),
                "inquiry",
                r.id,
                None,
                r.unit_id,
            );
        }
        Ok(out.items)
    }

    /// The assessed units of the scope that have not confirmed the last month due.
    async fn late_reports(&self) -> Part {
        let (t, today, mut out) = (self.t, self.today, self.out());
        let month = month_due(today, t.monthly_deadline_day);
        let mut q = self.sql();
        let m = q.bind(month.to_string());
        let sql = format!("SELECT unit_id, confirmed_at FROM monthly_reports WHERE month = {m}");
        let confirmed: std::collections::HashMap<i64, NaiveDate> = q
            .all::<Confirmed>(self.s.store, sql)
            .await?
            .into_iter()
            .map(|c| (c.unit_id, domain::shanghai_date(c.confirmed_at)))
            .collect();
        let units: Vec<i64> = match self.scope.units() {
            Some(ids) => ids.to_vec(),
            None => out.tree.all().iter().map(|u| u.id).collect(),
        };
        for id in units {
            if out.tree.get(id).is_some_and(|u| u.assessed) {
                let w = rules::monthly_report_late(month, confirmed.get(&id).copied(), today, t);
                if let Some(mut w) = w {
                    w.reason = format!("{}（{}）", w.reason, out.tree.get(id).map(|u| u.name.as_str()).unwrap_or(""));
                    let before = out.items.len();
                    out.push(Some(w), "unit", id, None, id);
                    if out.items.len() > before
                        && let Some(last) = out.items.last_mut()
                    {
                        last.key = format!("{}:{month}", last.key);
                    }
                }
            }
        }
        Ok(out.items)
    }
}

/// A target past its next follow-up date.
#[derive(sea_orm::FromQueryResult)]
struct TargetRow {
    id: i64,
    unit_id: i64,
    status: String,
    next_follow_up_on: NaiveDate,
    company: Option<String>,
}

/// An inquiry past its deadline, unanswered.
#[derive(sea_orm::FromQueryResult)]
struct InquiryRow {
    id: i64,
    unit_id: i64,
    company_name: String,
    respond_by: NaiveDate,
}

/// The instant a Shanghai day ends (the next day's midnight there), for timestamp columns.
fn end_of(day: NaiveDate) -> chrono::DateTime<Utc> {
    let next = day.succ_opt().unwrap_or(day).and_hms_opt(0, 0, 0).unwrap_or_default();
    Utc.from_utc_datetime(&(next - chrono::Duration::hours(8)))
}

fn entity_of(item: OverdueItem) -> &'static str {
    match item {
        OverdueItem::Milestone => "milestone",
        OverdueItem::Task => "dept_task",
        OverdueItem::Problem => "problem",
        OverdueItem::Clause => "clause",
    }
}

fn overdue(item: OverdueItem, r: &ItemRow, today: NaiveDate, t: &Thresholds) -> Option<Warning> {
    let days = match item {
        OverdueItem::Milestone => domain::four_ones::milestone_days_overdue(Some(r.due_on), r.settled_on, today),
        OverdueItem::Clause => {
            let status = ClauseStatus::parse(r.status.as_deref().unwrap_or_default())?;
            ClauseFact { due_on: Some(r.due_on), status, settled_on: r.settled_on }.days_overdue(today)
        }
        // the query kept only those not done / resolved
        OverdueItem::Task | OverdueItem::Problem => domain::tasks::days_overdue(Some(r.due_on), false, today),
    };
    let title: String = r.title.chars().take(40).collect();
    rules::item_overdue(item, &title, r.due_on, days, t)
}
