//! The audit log's actions (domain.md §9): one code per kind of audited event, stored in
//! `audit_records.action`, each with the Chinese label the audit pages show.

crate::vocabulary! {
    /// What an audit record records.
    pub enum AuditAction {
        AuthLogin = ("auth.login", "登录"),
        AuthLogout = ("auth.logout", "退出"),
        AuthzDeny = ("authz.deny", "越权访问被拒绝"),
        UserCreate = ("user.create", "新建用户"),
        UserUpdate = ("user.update", "修改用户"),
        UserRoles = ("user.roles", "修改角色"),
        UserPassword = ("user.password", "修改密码"),
        UserTotpSetup = ("user.totp_setup", "生成动态口令密钥"),
        UserTotpEnable = ("user.totp_enable", "启用动态口令"),
        UserResetPassword = ("user.reset_password", "重置密码"),
        CompanyCreate = ("company.create", "新建企业"),
        ProjectCreate = ("project.create", "新建项目"),
        ProjectBulkCreate = ("project.bulk_create", "批量导入项目"),
        ProjectUpdate = ("project.update", "修改项目"),
        ProjectDelete = ("project.delete", "删除项目"),
        ProjectRestore = ("project.restore", "恢复项目"),
        ProjectTransition = ("project.transition", "变更阶段"),
        ProjectCorrectStage = ("project.correct_stage", "更正阶段"),
        ProjectProgress = ("project.progress", "更新项目进展"),
        FundsCreate = ("funds.create", "登记到位资金"),
        LedgerImport = ("ledger.import", "导入台账"),
        LedgerExport = ("ledger.export", "导出台账"),
        AuditExport = ("audit.export", "导出审计日志"),
        SupervisionCreate = ("supervision.create", "发起督办"),
        SupervisionReply = ("supervision.reply", "答复督办"),
        SupervisionClose = ("supervision.close", "办结督办"),
        MonthlyConfirm = ("monthly.confirm", "确认月报"),
    }
}

impl AuditAction {
    /// The label of a stored code, or the code itself when it is not (or no longer) one
    /// of ours: an audit page shows every record.
    pub fn label_of(code: &str) -> &str {
        AuditAction::parse(code).map(AuditAction::label).unwrap_or(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::vocabulary_tests!(AuditAction, audit_action_table);

    #[test]
    fn unknown_codes_show_as_they_are() {
        assert_eq!(AuditAction::label_of("project.correct_stage"), "更正阶段");
        assert_eq!(AuditAction::label_of("project.correct"), "project.correct");
    }
}
