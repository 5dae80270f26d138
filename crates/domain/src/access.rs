//! Roles and permissions (domain.md §1, security.md §5 and §8), as data.

crate::vocabulary! {
    /// A role (domain.md §1); `parse` takes its code or its Chinese label.
    pub enum Role; labels
}

// Role::permissions(), from data/role_permissions.csv, and with_permissions! (build.rs).
include!(concat!(env!("OUT_DIR"), "/role_permissions.rs"));

impl Role {
    /// 三员分立: the three administrator roles.
    pub fn is_administrator(self) -> bool {
        matches!(self, Role::Sysadmin | Role::Secadmin | Role::Auditor)
    }

    /// Whether the role needs a unit (its data scope follows the unit tree).
    pub fn needs_unit(self) -> bool {
        matches!(self, Role::UnitStaff | Role::DeptStaff | Role::Leader)
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

crate::vocabulary! {
    /// What a route needs. Every route declares one (deny by default).
    pub enum Permission;
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
    fn a_role_parses_from_its_code_or_its_label() {
        assert_eq!(Role::parse("city_admin"), Some(Role::CityAdmin));
        assert_eq!(Role::parse(" 市级管理员 "), Some(Role::CityAdmin));
        assert_eq!(Role::parse("市级"), None);
        assert_eq!(Permission::parse("self:read"), Some(Permission::SelfRead));
        assert_eq!(Permission::parse("本人信息"), None, "permissions parse only codes");
    }

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
        for &r in Role::ALL {
            assert_eq!(has_permission(&[r], Permission::SupervisionWrite), r == Role::Supervisor, "{r:?}");
            assert_eq!(has_permission(&[r], Permission::SupervisionReply), r == Role::UnitStaff, "{r:?}");
            assert_eq!(has_permission(&[r], Permission::MonthlyConfirm), r == Role::UnitStaff, "{r:?}");
            assert_eq!(has_permission(&[r], Permission::WarningRead), !r.is_administrator() && r != Role::DeptStaff);
        }
    }

    #[test]
    fn only_city_admin_corrects() {
        for &r in Role::ALL {
            assert_eq!(has_permission(&[r], Permission::ProjectCorrect), r == Role::CityAdmin);
        }
    }
}
