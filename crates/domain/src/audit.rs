//! The audit log's actions (domain.md §9): one code per kind of audited event, stored in
//! `audit_records.action`, each with the Chinese label the audit pages show.

crate::vocabulary! {
    /// What an audit record records.
    pub enum AuditAction;
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

    #[test]
    fn unknown_codes_show_as_they_are() {
        assert_eq!(AuditAction::label_of("project.correct_stage"), "更正阶段");
        assert_eq!(AuditAction::label_of("project.correct"), "project.correct");
    }
}
