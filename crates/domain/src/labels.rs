//! The glossary: codes → Chinese labels, for the UI, Excel columns and API messages.

pub use crate::reference::UNIT_KINDS;

/// Funds-in-place kinds (domain.md §4).
pub const FUNDS_KINDS: [(&str, &str); 2] = crate::funds::FundsKind::TABLE;

/// Review states of a claim (domain.md §4, 审核).
pub const REVIEW_STATES: [(&str, &str); 4] = crate::review::ReviewState::TABLE;

pub fn lookup(table: &[(&'static str, &'static str)], code: &str) -> Option<&'static str> {
    table.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// Chinese names of input fields, so validation messages can name them. Being replaced by
/// `domain::fields` (one table per entity); the UI and the ledger no longer call it.
pub fn field_label(field: &str) -> &str {
    match field {
        "name" => "项目名称",
        "unit" => "责任单位",
        "industry" => "产业类别",
        "region" => "投资方来源地",
        "channel" => "丝路通道",
        "categories" => "项目类别",
        "total_investment" => "总投资(万元)",
        "foreign_investment" => "利用外资(万美元)",
        "land_mu" => "用地(亩)",
        "investor_ids" => "投资方",
        "expected_producing_on" => "预计投产日期",
        "lead_leader" => "包联领导",
        "progress" => "项目进展情况",
        "version" => "版本号",
        "credit_code" => "统一社会信用代码",
        "date" => "日期",
        "amount" => "金额",
        "kind" => "类型",
        "to" => "目标阶段",
        "reason" => "原因",
        "username" => "用户名",
        "password" => "密码",
        "roles" => "角色",
        other => other,
    }
}
