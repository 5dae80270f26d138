//! The work team (工作团队) of a project: read whole, replaced whole, exactly one 组长.

use domain::fields::TEAM_MEMBER;
use domain::four_ones::check_team;
use domain::{AuditAction, FieldError, Permission};
use sea_orm::{ConnectionTrait, Order, Set};
use serde::Serialize;

use crate::audit::Event;
use crate::entity::team_member;
use crate::handle::one_shot;
use crate::rows::replace_children;
use crate::text::trimmed;
use crate::{Result, Scoped, StoreError, Tx};

crate::model_view::model_view! {
    #[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
    pub struct TeamMember from team_member {
        pub name: String,
        pub position: Option<String>,
        pub role: Option<String>,
        pub is_leader: bool,
    }
}

/// A member as saved (the same fields).
pub type NewMember = TeamMember;

/// What is wrong with a team: each member's fields as `members[i].field`, the 组长 rule as
/// `members`.
pub fn validate(members: &[NewMember]) -> Vec<FieldError> {
    let mut errors = vec![];
    for (i, m) in members.iter().enumerate() {
        let mut own = vec![];
        TEAM_MEMBER.check_required("name", &m.name, &mut own);
        TEAM_MEMBER.check_opt("position", m.position.as_deref(), &mut own);
        TEAM_MEMBER.check_opt("role", m.role.as_deref(), &mut own);
        errors.extend(crate::agreements::nest("members", i, own));
    }
    let leaders: Vec<bool> = members.iter().map(|m| m.is_leader).collect();
    if let Err(e) = check_team(&leaders) {
        errors.push(FieldError::new("members", e.to_string()));
    }
    errors
}

async fn members<C: ConnectionTrait>(db: &C, project_id: i64) -> Result<Vec<TeamMember>> {
    use team_member::Column::{Id, ProjectId, Sort};
    let order = [(Sort, Order::Asc), (Id, Order::Asc)];
    let rows = crate::handle::child_rows::<team_member::Entity>(db, ProjectId, project_id, None, &order).await?;
    Ok(rows.into_iter().map(TeamMember::from).collect())
}

impl Scoped<'_> {
    pub async fn team(&self, project_id: i64) -> Result<Vec<TeamMember>> {
        self.project_row(project_id, Permission::ProjectRead).await?;
        members(self.store.db(), project_id).await
    }
}

one_shot! {
    write fn set_team(project_id: i64, team: Vec<NewMember>) -> Vec<TeamMember>;
}

impl Tx<'_> {
    /// Replace the project's team (an empty list clears it).
    pub async fn set_team(&self, project_id: i64, team: Vec<NewMember>) -> Result<Vec<TeamMember>> {
        let errors = validate(&team);
        if !errors.is_empty() {
            return Err(StoreError::Validation(errors));
        }
        self.live_project_row(project_id, Permission::ProjectWrite, "项目已删除").await?;
        let before = members(&self.txn, project_id).await?;
        let rows = team.into_iter().enumerate().map(|(i, m)| team_member::ActiveModel {
            project_id: Set(project_id),
            name: Set(m.name.trim().into()),
            position: Set(trimmed(m.position)),
            role: Set(trimmed(m.role)),
            is_leader: Set(m.is_leader),
            sort: Set(i32::try_from(i).unwrap_or(i32::MAX)),
            ..Default::default()
        });
        replace_children(&self.txn, team_member::Column::ProjectId, project_id, rows).await?;
        let after = members(&self.txn, project_id).await?;
        self.audit(Event::ok(AuditAction::TeamUpdate, "project", project_id).before(&before).after(&after)).await?;
        Ok(after)
    }
}
