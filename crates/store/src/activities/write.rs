//! The writes of 招商活动: a new activity and a change to one, each with its leaders,
//! companies, targets and projects, audited in its transaction. An activity's outcomes are
//! its unit's records: the targets and projects it names belong to the organising unit's
//! subtree, its leaders are city leaders or that subtree's.

use chrono::NaiveDate;
use domain::activity::{ActivityKind, ActivityOutcome, check_dates, leader_level};
use domain::fields::ACTIVITY;
use domain::leader::{LeaderLevel, may_lead_project};
use domain::{AuditAction, FieldError, Money, Permission};
use sea_orm::{EntityTrait, Set};

use super::Activity;
use crate::audit::Event;
use crate::entity::{activity, activity_company, activity_leader, activity_project, activity_target};
use crate::entity::{company, leader};
use crate::handle::update_versioned;
use crate::handle::{UnitRule, one_shot};
use crate::rows::{found_and_bad, projects_outside, replace_children, targets_outside};
use crate::text::{dedup, list, trimmed};
use crate::{Result, StoreError, Tx};

/// A new activity (or one as a change leaves it).
#[derive(Debug, Clone)]
pub struct ActivityInput {
    pub title: String,
    pub kind: ActivityKind,
    pub start_on: NaiveDate,
    /// None: the start day (a one-day activity).
    pub end_on: Option<NaiveDate>,
    /// A region code (regions.csv).
    pub region: String,
    pub city: String,
    /// None: 中国.
    pub country: Option<String>,
    /// The organising unit's code (in the caller's scope).
    pub unit: String,
    pub leader_ids: Vec<i64>,
    /// The level when no leader of the register led it (none: `staff`); with leaders, their
    /// highest, which this may not exceed.
    pub leader_level: Option<LeaderLevel>,
    pub participants: Option<String>,
    pub company_ids: Vec<i64>,
    pub target_ids: Vec<i64>,
    pub intentions: Option<i32>,
    pub intention_notes: Option<String>,
    /// The projects it created.
    pub project_ids: Vec<i64>,
    /// The projects it signed.
    pub signed_project_ids: Vec<i64>,
    pub summary: Option<String>,
    pub cost: Option<Money>,
}

/// A change: `None` leaves a field alone, `Some(None)` clears an optional one; a list given
/// replaces the activity's list.
#[derive(Debug, Clone, Default)]
pub struct ActivityPatch {
    pub version: i32,
    pub title: Option<String>,
    pub kind: Option<ActivityKind>,
    pub start_on: Option<NaiveDate>,
    pub end_on: Option<Option<NaiveDate>>,
    pub region: Option<String>,
    pub city: Option<String>,
    pub country: Option<Option<String>>,
    pub unit: Option<String>,
    pub leader_ids: Option<Vec<i64>>,
    pub leader_level: Option<Option<LeaderLevel>>,
    pub participants: Option<Option<String>>,
    pub company_ids: Option<Vec<i64>>,
    pub target_ids: Option<Vec<i64>>,
    pub intentions: Option<Option<i32>>,
    pub intention_notes: Option<Option<String>>,
    pub project_ids: Option<Vec<i64>>,
    pub signed_project_ids: Option<Vec<i64>>,
    pub summary: Option<Option<String>>,
    pub cost: Option<Option<Money>>,
}

impl ActivityPatch {
    /// `current` with this change applied.
    fn apply(self, a: &Activity) -> ActivityInput {
        ActivityInput {
            title: self.title.unwrap_or_else(|| a.title.clone()),
            kind: self.kind.or_else(|| a.kind()).unwrap_or(ActivityKind::Talks),
            start_on: self.start_on.unwrap_or(a.start_on),
            end_on: self.end_on.unwrap_or(Some(a.end_on)),
            region: self.region.unwrap_or_else(|| a.region.clone()),
            city: self.city.unwrap_or_else(|| a.city.clone()),
            country: self.country.unwrap_or_else(|| Some(a.country.clone())),
            unit: self.unit.unwrap_or_else(|| a.unit.clone()),
            leader_ids: self.leader_ids.unwrap_or_else(|| a.leader_ids.clone()),
            // the level stands as it is unless given (a change of leaders recomputes it)
            leader_level: self.leader_level.unwrap_or_else(|| LeaderLevel::parse(&a.leader_level)),
            participants: self.participants.unwrap_or_else(|| a.participants.clone()),
            company_ids: self.company_ids.unwrap_or_else(|| a.company_ids.clone()),
            target_ids: self.target_ids.unwrap_or_else(|| a.target_ids.clone()),
            intentions: self.intentions.unwrap_or(Some(a.intentions)),
            intention_notes: self.intention_notes.unwrap_or_else(|| a.intention_notes.clone()),
            project_ids: self.project_ids.unwrap_or_else(|| a.project_ids.clone()),
            signed_project_ids: self.signed_project_ids.unwrap_or_else(|| a.signed_project_ids.clone()),
            summary: self.summary.unwrap_or_else(|| a.summary.clone()),
            cost: self.cost.unwrap_or(a.cost),
        }
    }
}

/// An activity's input, checked: the row's values and its lists.
struct Checked {
    am: activity::ActiveModel,
    leader_ids: Vec<i64>,
    company_ids: Vec<i64>,
    target_ids: Vec<i64>,
    projects: Vec<(i64, ActivityOutcome)>,
}

one_shot! {
    write fn create_activity(input: ActivityInput) -> Activity;
    write fn update_activity(id: i64, patch: ActivityPatch) -> Activity;
}

impl Tx<'_> {
    /// Every check of an activity's input, all errors at once (403 for a unit outside scope).
    async fn check_activity(&self, input: ActivityInput) -> Result<Checked> {
        let mut errors: Vec<FieldError> = vec![];
        ACTIVITY.check_required("title", &input.title, &mut errors);
        ACTIVITY.check_required("city", &input.city, &mut errors);
        let country = trimmed(input.country).unwrap_or_else(|| "中国".into());
        ACTIVITY.check_len("country", &country, &mut errors);
        for (code, v) in [
            ("participants", &input.participants),
            ("intention_notes", &input.intention_notes),
            ("summary", &input.summary),
        ] {
            ACTIVITY.check_opt(code, v.as_deref(), &mut errors);
        }
        let region = match domain::reference::region(&input.region) {
            Some(r) => r.code.clone(),
            None => {
                let why = if input.region.trim().is_empty() {
                    "目的地区域不能为空".to_string()
                } else {
                    format!("目的地区域「{}」不在地区表中", input.region.trim())
                };
                errors.push(FieldError::new("region", why));
                String::new()
            }
        };
        let end_on = match check_dates(input.start_on, input.end_on) {
            Ok(end) => end,
            Err(e) => {
                errors.push(FieldError::new(e.field(), e.to_string()));
                input.start_on
            }
        };
        if input.intentions.is_some_and(|n| n < 0) {
            errors.push(FieldError::new("intentions", domain::activity::ActivityError::NegativeIntentions.to_string()));
        }
        // the organising unit: in scope (403 otherwise)
        let tree = self.store().unit_tree();
        let unit_id = self.s.unit_field(
            &input.unit,
            UnitRule { blank: Some("组织单位不能为空"), department: None },
            &mut errors,
        )?;
        let subtree = unit_id.map(|u| tree.subtree(u)).unwrap_or_default();
        let inside = |u: i64| subtree.binary_search(&u).is_ok();

        // leaders: of the register, city leaders or the unit's; the level is theirs
        let leader_ids = dedup(input.leader_ids);
        let (leaders, missing) =
            found_and_bad::<leader::Entity>(&self.txn, leader::Column::Id, |l| l.id, &leader_ids, |_| true).await?;
        if !missing.is_empty() {
            errors.push(FieldError::new("leader_ids", format!("领导名录中没有编号为 {} 的领导", list(&missing))));
        }
        let levels: Vec<LeaderLevel> = leaders.iter().filter_map(|l| LeaderLevel::parse(&l.level)).collect();
        if unit_id.is_some() {
            let foreign: Vec<String> = leaders
                .iter()
                .filter(|l| {
                    !may_lead_project(LeaderLevel::parse(&l.level).unwrap_or(LeaderLevel::Staff), inside(l.unit_id))
                })
                .map(|l| domain::leader::display(&l.name, &l.position))
                .collect();
            if !foreign.is_empty() {
                errors.push(FieldError::new(
                    "leader_ids",
                    format!("「{}」不是组织单位的领导，也不是市级领导", foreign.join("、")),
                ));
            }
        }
        let level = leader_level(&levels, input.leader_level);
        if let Some(given) = input.leader_level
            && !levels.is_empty()
            && given < level
        {
            errors.push(FieldError::new(
                "leader_level",
                format!("带队领导中最高为{}；如有更高层级的领导参加，请在带队领导中选择", level.label()),
            ));
        }

        // companies met: in the library
        let company_ids = dedup(input.company_ids);
        let (_, missing) =
            found_and_bad::<company::Entity>(&self.txn, company::Column::Id, |c| c.id, &company_ids, |_| true).await?;
        if !missing.is_empty() {
            errors.push(FieldError::new("company_ids", format!("企业库中没有编号为 {} 的企业", list(&missing))));
        }
        // targets contacted: the unit's
        let target_ids = dedup(input.target_ids);
        let bad = targets_outside(&self.txn, &target_ids, inside).await?;
        if !bad.is_empty() && unit_id.is_some() {
            errors.push(FieldError::new("target_ids", format!("靶向企业 {} 不存在或不属于组织单位", list(&bad))));
        }
        // projects created or signed: the unit's, live, each once
        let mut projects = vec![];
        for (field, ids, outcome) in [
            ("project_ids", dedup(input.project_ids), ActivityOutcome::Created),
            ("signed_project_ids", dedup(input.signed_project_ids), ActivityOutcome::Signed),
        ] {
            let bad = projects_outside(&self.txn, &ids, inside).await?;
            if !bad.is_empty() && unit_id.is_some() {
                errors.push(FieldError::new(field, format!("项目 {} 不存在或不属于组织单位", list(&bad))));
            }
            for id in ids {
                if projects.iter().any(|(p, _)| *p == id) {
                    errors.push(FieldError::new(field, format!("项目 {id} 不能既是新建项目又是签约项目")));
                } else {
                    projects.push((id, outcome));
                }
            }
        }
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        let unit_id = unit_id.ok_or_else(|| StoreError::field("unit", "组织单位不能为空"))?;
        let am = activity::ActiveModel {
            title: Set(input.title.trim().to_string()),
            kind: Set(input.kind.code().into()),
            start_on: Set(input.start_on),
            end_on: Set(end_on),
            region: Set(region),
            city: Set(input.city.trim().to_string()),
            country: Set(country),
            unit_id: Set(unit_id),
            leader_level: Set(level.code().into()),
            participants: Set(trimmed(input.participants)),
            intentions: Set(input.intentions.unwrap_or(0)),
            intention_notes: Set(trimmed(input.intention_notes)),
            summary: Set(trimmed(input.summary)),
            cost: Set(input.cost.map(Money::hundredths)),
            ..Default::default()
        };
        Ok(Checked { am, leader_ids, company_ids, target_ids, projects })
    }

    /// The activity's lists as `c` has them (the old ones replaced).
    async fn write_links(&self, id: i64, c: &Checked) -> Result<()> {
        let txn = &self.txn;
        let rows =
            c.leader_ids.iter().map(|l| activity_leader::ActiveModel { activity_id: Set(id), leader_id: Set(*l) });
        replace_children(txn, activity_leader::Column::ActivityId, id, rows).await?;
        let rows =
            c.company_ids.iter().map(|x| activity_company::ActiveModel { activity_id: Set(id), company_id: Set(*x) });
        replace_children(txn, activity_company::Column::ActivityId, id, rows).await?;
        let rows =
            c.target_ids.iter().map(|x| activity_target::ActiveModel { activity_id: Set(id), target_id: Set(*x) });
        replace_children(txn, activity_target::Column::ActivityId, id, rows).await?;
        let rows = c.projects.iter().map(|(p, o)| activity_project::ActiveModel {
            activity_id: Set(id),
            project_id: Set(*p),
            outcome: Set(o.code().into()),
        });
        replace_children(txn, activity_project::Column::ActivityId, id, rows).await
    }

    async fn activity_view(&self, id: i64) -> Result<Activity> {
        let row = activity::Entity::find_by_id(id).one(&self.txn).await?.ok_or(StoreError::NotFound)?;
        self.s.activity_views(&self.txn, vec![row]).await?.pop().ok_or(StoreError::NotFound)
    }

    pub async fn create_activity(&self, input: ActivityInput) -> Result<Activity> {
        self.s.require(Permission::ActivityWrite)?;
        let c = self.check_activity(input).await?;
        let row = self.insert_new(c.am.clone()).await?;
        self.write_links(row.id, &c).await?;
        let a = self.activity_view(row.id).await?;
        self.audited(Event::ok(AuditAction::ActivityCreate, "activity", a.id), a).await
    }

    /// Change an activity in scope at the version read (stale → 409); its unit may move
    /// only within the actor's scope.
    pub async fn update_activity(&self, id: i64, patch: ActivityPatch) -> Result<Activity> {
        let row = self.s.unit_owned::<activity::Entity, _>(&self.txn, id, Permission::ActivityWrite).await?;
        let before = self.activity_view(id).await?;
        let version = patch.version;
        // new leaders decide the level again, unless one is given with them
        let releveled = patch.leader_ids.is_some() && patch.leader_level.is_none();
        let mut input = patch.apply(&before);
        if releveled {
            input.leader_level = None;
        }
        let mut c = self.check_activity(input).await?;
        if row.version != version {
            return Err(crate::projects::stale());
        }
        c.am.version = Set(version + 1);
        c.am.updated_at = Set(crate::now());
        update_versioned(&self.txn, c.am.clone(), (activity::Column::Id, id), (activity::Column::Version, version))
            .await?;
        self.write_links(id, &c).await?;
        let after = self.activity_view(id).await?;
        self.audited(Event::ok(AuditAction::ActivityUpdate, "activity", id).before(&before), after).await
    }
}
