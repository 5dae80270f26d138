//! Roles and permissions (domain.md §1, security.md §5 and §8), as data.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Sysadmin,
    Secadmin,
    Auditor,
    CityAdmin,
    UnitStaff,
    DeptStaff,
    Leader,
    Supervisor,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Sysadmin,
        Role::Secadmin,
        Role::Auditor,
        Role::CityAdmin,
        Role::UnitStaff,
        Role::DeptStaff,
        Role::Leader,
        Role::Supervisor,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Sysadmin => "sysadmin",
            Role::Secadmin => "secadmin",
            Role::Auditor => "auditor",
            Role::CityAdmin => "city_admin",
            Role::UnitStaff => "unit_staff",
            Role::DeptStaff => "dept_staff",
            Role::Leader => "leader",
            Role::Supervisor => "supervisor",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Sysadmin => "系统管理员",
            Role::Secadmin => "安全管理员",
            Role::Auditor => "审计管理员",
            Role::CityAdmin => "市级管理员",
            Role::UnitStaff => "单位用户",
            Role::DeptStaff => "部门用户",
            Role::Leader => "领导",
            Role::Supervisor => "督办",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        let t = text.trim();
        Self::ALL.into_iter().find(|r| r.code() == t || r.label() == t)
    }

    /// 三员分立: the three administrator roles.
    pub fn is_administrator(self) -> bool {
        matches!(self, Role::Sysadmin | Role::Secadmin | Role::Auditor)
    }

    /// Whether the role needs a unit (its data scope follows the unit tree).
    pub fn needs_unit(self) -> bool {
        matches!(self, Role::UnitStaff | Role::DeptStaff | Role::Leader)
    }

    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Sysadmin => &[SelfRead, UnitRead, UserRead, UserWrite],
            Role::Secadmin => &[SelfRead, UserRead, RoleAssign, PolicyWrite],
            Role::Auditor => &[SelfRead, AuditRead],
            Role::CityAdmin => &[
                SelfRead,
                UnitRead,
                CompanyRead,
                CompanyWrite,
                ProjectRead,
                ProjectWrite,
                ProjectTransition,
                ProjectDelete,
                ProjectCorrect,
                FundsRead,
                FundsWrite,
                WarningRead,
                MonthlyRead,
            ],
            Role::UnitStaff => &[
                SelfRead,
                UnitRead,
                CompanyRead,
                CompanyWrite,
                ProjectRead,
                ProjectWrite,
                ProjectTransition,
                ProjectDelete,
                FundsRead,
                FundsWrite,
                WarningRead,
                SupervisionReply,
                MonthlyRead,
                MonthlyConfirm,
            ],
            Role::DeptStaff => &[SelfRead, UnitRead, CompanyRead, ProjectRead, FundsRead],
            Role::Leader => &[SelfRead, UnitRead, CompanyRead, ProjectRead, FundsRead, WarningRead, MonthlyRead],
            Role::Supervisor => {
                &[SelfRead, UnitRead, CompanyRead, ProjectRead, FundsRead, WarningRead, SupervisionWrite, MonthlyRead]
            }
        }
    }
}

/// Why a set of roles may not be held together.
pub fn check_role_set(roles: &[Role]) -> Result<(), &'static str> {
    if roles.is_empty() {
        return Err("至少需要一个角色");
    }
    let admins = roles.iter().filter(|r| r.is_administrator()).count();
    if admins > 1 || (admins == 1 && roles.len() > 1) {
        return Err("三员分立：系统管理员、安全管理员、审计管理员互斥，且不能兼任业务角色");
    }
    Ok(())
}

/// What a route needs. Every route declares one (deny by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    SelfRead,
    UnitRead,
    UserRead,
    UserWrite,
    RoleAssign,
    PolicyWrite,
    AuditRead,
    CompanyRead,
    CompanyWrite,
    ProjectRead,
    ProjectWrite,
    ProjectTransition,
    ProjectDelete,
    /// Backwards stage corrections and restoring deleted projects.
    ProjectCorrect,
    FundsRead,
    FundsWrite,
    /// 预警 and the 督办 list of the caller's scope.
    WarningRead,
    /// Open and close 督办 items (the supervisor).
    SupervisionWrite,
    /// Answer a 督办 item of one's unit.
    SupervisionReply,
    /// Who confirmed which month (月报).
    MonthlyRead,
    /// Confirm one's unit's month.
    MonthlyConfirm,
}

impl Permission {
    pub const ALL: [Permission; 21] = [
        Permission::SelfRead,
        Permission::UnitRead,
        Permission::UserRead,
        Permission::UserWrite,
        Permission::RoleAssign,
        Permission::PolicyWrite,
        Permission::AuditRead,
        Permission::CompanyRead,
        Permission::CompanyWrite,
        Permission::ProjectRead,
        Permission::ProjectWrite,
        Permission::ProjectTransition,
        Permission::ProjectDelete,
        Permission::ProjectCorrect,
        Permission::FundsRead,
        Permission::FundsWrite,
        Permission::WarningRead,
        Permission::SupervisionWrite,
        Permission::SupervisionReply,
        Permission::MonthlyRead,
        Permission::MonthlyConfirm,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Permission::SelfRead => "self:read",
            Permission::UnitRead => "unit:read",
            Permission::UserRead => "user:read",
            Permission::UserWrite => "user:write",
            Permission::RoleAssign => "role:assign",
            Permission::PolicyWrite => "policy:write",
            Permission::AuditRead => "audit:read",
            Permission::CompanyRead => "company:read",
            Permission::CompanyWrite => "company:write",
            Permission::ProjectRead => "project:read",
            Permission::ProjectWrite => "project:write",
            Permission::ProjectTransition => "project:transition",
            Permission::ProjectDelete => "project:delete",
            Permission::ProjectCorrect => "project:correct",
            Permission::FundsRead => "funds:read",
            Permission::FundsWrite => "funds:write",
            Permission::WarningRead => "warning:read",
            Permission::SupervisionWrite => "supervision:write",
            Permission::SupervisionReply => "supervision:reply",
            Permission::MonthlyRead => "monthly:read",
            Permission::MonthlyConfirm => "monthly:confirm",
        }
    }
}

/// `self:read` is every signed-in account's, roles or not: an account that sysadmin just
/// created has none until secadmin grants them, and it must be able to change its initial
/// password first (三员分立).
pub fn has_permission(roles: &[Role], p: Permission) -> bool {
    p == Permission::SelfRead || roles.iter().any(|r| r.permissions().contains(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_administrators_are_exclusive() {
        assert!(check_role_set(&[Role::Sysadmin]).is_ok());
        assert!(check_role_set(&[Role::UnitStaff, Role::Leader]).is_ok());
        assert!(check_role_set(&[Role::Sysadmin, Role::Auditor]).is_err());
        assert!(check_role_set(&[Role::Secadmin, Role::CityAdmin]).is_err());
        assert!(check_role_set(&[]).is_err());
    }

    #[test]
    fn administrators_hold_no_business_permission() {
        let business =
            [Permission::ProjectRead, Permission::ProjectWrite, Permission::CompanyRead, Permission::FundsRead];
        for r in [Role::Sysadmin, Role::Secadmin, Role::Auditor] {
            for p in business {
                assert!(!has_permission(&[r], p), "{r:?} {p:?}");
            }
        }
        assert!(has_permission(&[Role::Auditor], Permission::AuditRead));
        assert!(!has_permission(&[Role::Sysadmin], Permission::AuditRead));
        assert!(!has_permission(&[Role::Sysadmin], Permission::RoleAssign));
    }

    #[test]
    fn the_supervisor_opens_supervisions_and_units_answer_them() {
        for r in Role::ALL {
            assert_eq!(has_permission(&[r], Permission::SupervisionWrite), r == Role::Supervisor, "{r:?}");
            assert_eq!(has_permission(&[r], Permission::SupervisionReply), r == Role::UnitStaff, "{r:?}");
            assert_eq!(has_permission(&[r], Permission::MonthlyConfirm), r == Role::UnitStaff, "{r:?}");
            assert_eq!(has_permission(&[r], Permission::WarningRead), !r.is_administrator() && r != Role::DeptStaff);
        }
    }

    #[test]
    fn only_city_admin_corrects() {
        for r in Role::ALL {
            assert_eq!(has_permission(&[r], Permission::ProjectCorrect), r == Role::CityAdmin);
        }
    }
}
