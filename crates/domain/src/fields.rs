//! One field table per entity: each input field's code, Chinese label, kind and maximum
//! length. API errors, form labels, Excel headers and length checks all read these tables,
//! so a company error names the company's field (企业名称), not the project's (项目名称).
//!
//! Lengths are counted in characters (`chars()`), after trimming. Every text field has one:
//! a field without a maximum cannot be declared (`max` is not optional for text kinds).

use crate::FieldError;

/// What a field holds; decides how forms, the API and Excel read and write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line of text.
    Text,
    /// Several lines of text (a textarea).
    LongText,
    /// A code from a vocabulary or reference table (stage, unit, industry …).
    Code,
    /// 万元 (or the unit the label names), exact decimal.
    Money,
    /// A calendar date, YYYY-MM-DD.
    Date,
    /// A whole number.
    Int,
    Bool,
    /// A list of codes or names.
    List,
    /// A list of record ids.
    Ids,
}

impl Kind {
    pub fn is_text(self) -> bool {
        matches!(self, Kind::Text | Kind::LongText | Kind::Code | Kind::List)
    }
}

/// One field of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub code: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    /// Maximum characters of a text value (of each item, for a list); 0 for non-text kinds.
    pub max: usize,
    pub required: bool,
}

const fn f(code: &'static str, label: &'static str, kind: Kind, max: usize, required: bool) -> Field {
    Field { code, label, kind, max, required }
}

/// An entity's field table.
#[derive(Debug, PartialEq, Eq)]
pub struct Entity {
    pub code: &'static str,
    pub label: &'static str,
    pub fields: &'static [Field],
}

impl Entity {
    pub fn field(&self, code: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.code == code)
    }

    /// The Chinese label of a field; the code itself for a key not in the table (an unknown
    /// field a client sent is named as it was sent).
    pub fn label<'a>(&self, code: &'a str) -> &'a str {
        self.field(code).map(|f| f.label).unwrap_or(code)
    }

    /// The maximum length of a text field (0 when the field is not text or not in the table).
    pub fn max(&self, code: &str) -> usize {
        self.field(code).map(|f| f.max).unwrap_or(0)
    }

    /// Refuse a text value over the field's maximum: `备注不能超过2000个字符`.
    pub fn check_len(&self, code: &str, value: &str, errors: &mut Vec<FieldError>) {
        if let Some(msg) = self.len_error(code, value) {
            errors.push(FieldError::new(code, msg));
        }
    }

    /// The message for a value over the field's maximum, if it is.
    pub fn len_error(&self, code: &str, value: &str) -> Option<String> {
        let field = self.field(code)?;
        (field.kind.is_text() && value.trim().chars().count() > field.max)
            .then(|| format!("{}不能超过{}个字符", field.label, field.max))
    }

    /// A required text: blank → `项目名称不能为空`; too long → the length message.
    pub fn check_required(&self, code: &str, value: &str, errors: &mut Vec<FieldError>) {
        if value.trim().is_empty() {
            errors.push(FieldError::new(code, format!("{}不能为空", self.label(code))));
        } else {
            self.check_len(code, value, errors);
        }
    }

    /// Check an optional text (None passes).
    pub fn check_opt(&self, code: &str, value: Option<&str>, errors: &mut Vec<FieldError>) {
        if let Some(v) = value {
            self.check_len(code, v, errors);
        }
    }
}

use Kind::*;

/// 项目 (domain.md §4; the ledger's columns, ledger.md).
pub static PROJECT: Entity = Entity {
    code: "project",
    label: "项目",
    fields: &[
        f("seq", "序号", Int, 0, false),
        f("code", "项目编号", Code, 32, false),
        f("name", "项目名称", Text, 100, true),
        f("unit", "责任单位", Code, 64, true),
        f("investor_ids", "投资方", Ids, 0, false),
        f("investors", "投资方", List, 200, false),
        f("investor_type", "投资方类型", Code, 16, false),
        f("region", "投资方来源地", Code, 64, true),
        f("industry", "产业类别", Code, 64, true),
        f("categories", "项目类别", List, 16, false),
        f("channel", "丝路通道", Code, 16, false),
        f("total_investment", "总投资(万元)", Money, 0, true),
        f("foreign_investment", "利用外资(万美元)", Money, 0, false),
        f("land_mu", "用地(亩)", Money, 0, false),
        f("expected_output", "预计年产值(万元)", Money, 0, false),
        f("expected_tax", "预计年税收(万元)", Money, 0, false),
        f("expected_jobs", "预计带动就业(人)", Int, 0, false),
        f("stage", "项目阶段", Code, 16, false),
        f("signed_on", "签约日期", Date, 0, false),
        f("approved_on", "手续办结日期", Date, 0, false),
        f("started_on", "开工日期", Date, 0, false),
        f("producing_on", "投产日期", Date, 0, false),
        f("at_capacity_on", "达产日期", Date, 0, false),
        f("expected_producing_on", "预计投产日期", Date, 0, false),
        f("lead_leader", "包联领导", Text, 64, false),
        f("progress", "项目进展情况", LongText, 2000, false),
        f("problem", "存在问题", LongText, 2000, false),
        f("notes", "备注", LongText, 2000, false),
        f("version", "版本号", Int, 0, false),
    ],
};

/// 企业 (domain.md §3).
pub static COMPANY: Entity = Entity {
    code: "company",
    label: "企业",
    fields: &[
        f("name", "企业名称", Text, 200, true),
        f("credit_code", "统一社会信用代码", Code, 18, false),
        f("country", "国家或地区", Code, 64, false),
        f("region", "来源地", Code, 64, false),
        f("hq_city", "总部所在城市", Text, 64, false),
        f("industry", "所属行业", Code, 64, false),
        f("fortune_global_500_rank", "世界500强排名", Int, 0, false),
        f("china_500_rank", "中国500强排名", Int, 0, false),
        f("china_private_500_rank", "中国民营500强排名", Int, 0, false),
        f("rank_year", "排名年份", Int, 0, false),
        f("industry_leader", "行业领军企业", Bool, 0, false),
        f("leader_reason", "领军理由", Text, 200, false),
        f("website", "网址", Text, 200, false),
        f("notes", "备注", LongText, 2000, false),
        f("declared_type", "投资方类型", Code, 16, false),
    ],
};

/// 阶段变更 (domain.md §4, stage transitions).
pub static TRANSITION: Entity = Entity {
    code: "transition",
    label: "阶段变更",
    fields: &[
        f("to", "目标阶段", Code, 16, true),
        f("date", "日期", Date, 0, true),
        f("skipped_dates", "跳过阶段的日期", List, 16, false),
        f("note", "说明", LongText, 2000, false),
        f("reason", "原因", LongText, 500, false),
        f("version", "版本号", Int, 0, false),
        f("evidence", "证明材料", Text, 200, false),
    ],
};

/// 资金到位 (domain.md §4, funds in place).
pub static FUNDS: Entity = Entity {
    code: "funds",
    label: "资金到位",
    fields: &[
        f("date", "到位日期", Date, 0, true),
        f("kind", "资金类型", Code, 32, true),
        f("amount", "金额(万元)", Money, 0, true),
        f("note", "说明", LongText, 500, false),
    ],
};

/// 项目进展 (a progress note on the timeline).
pub static PROGRESS: Entity = Entity {
    code: "progress",
    label: "项目进展",
    fields: &[f("progress", "项目进展情况", LongText, 2000, true), f("date", "日期", Date, 0, false)],
};

/// 用户 (security.md; api.md, users).
pub static USER: Entity = Entity {
    code: "user",
    label: "用户",
    fields: &[
        f("username", "用户名", Text, 64, true),
        f("display_name", "姓名", Text, 64, true),
        f("password", "密码", Text, 128, true),
        f("new_password", "新密码", Text, 128, true),
        f("old_password", "原密码", Text, 128, true),
        f("current_password", "当前密码", Text, 128, true),
        f("totp", "动态口令", Text, 16, false),
        f("code", "动态口令", Text, 16, true),
        f("roles", "角色", List, 32, false),
        f("unit", "所属单位", Code, 64, false),
        f("disabled", "停用", Bool, 0, false),
        f("version", "版本号", Int, 0, false),
        f("confirm", "确认新密码", Text, 128, true),
    ],
};

/// 督办 (domain.md §7): an item the supervisor opens on a warning or a project.
pub static SUPERVISION: Entity = Entity {
    code: "supervision",
    label: "督办",
    fields: &[
        f("warning_key", "预警", Code, 200, false),
        f("project_id", "项目", Int, 0, false),
        f("deadline", "办理期限", Date, 0, true),
        f("instruction", "督办要求", LongText, 1000, true),
        f("reply", "办理情况", LongText, 2000, true),
    ],
};

/// 月报 (domain.md §4): a unit's confirmation of its month.
pub static MONTHLY_REPORT: Entity = Entity {
    code: "monthly_report",
    label: "月报",
    fields: &[f("unit", "单位", Code, 64, true), f("month", "月份", Code, 7, true)],
};

/// Every table, for tests and for documentation.
pub static ALL: [&Entity; 8] =
    [&PROJECT, &COMPANY, &TRANSITION, &FUNDS, &PROGRESS, &USER, &SUPERVISION, &MONTHLY_REPORT];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_field_has_a_maximum_and_codes_are_unique() {
        for e in ALL {
            let mut codes: Vec<&str> = e.fields.iter().map(|f| f.code).collect();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), e.fields.len(), "{}: duplicate field code", e.code);
            for f in e.fields {
                assert!(!f.label.is_empty(), "{}.{}", e.code, f.code);
                if f.kind.is_text() {
                    assert!(f.max > 0, "{}.{} is text without a maximum", e.code, f.code);
                } else {
                    assert_eq!(f.max, 0, "{}.{}: only text has a length", e.code, f.code);
                }
            }
        }
    }

    #[test]
    fn a_company_error_names_the_company_field() {
        assert_eq!(COMPANY.label("name"), "企业名称");
        assert_eq!(PROJECT.label("name"), "项目名称");
        assert_eq!(PROJECT.label("no_such_field"), "no_such_field");
    }

    #[test]
    fn length_is_counted_in_characters_after_trimming() {
        let mut errors = vec![];
        PROJECT.check_len("notes", &"字".repeat(2000), &mut errors);
        PROJECT.check_len("notes", &format!("  {}  ", "字".repeat(2000)), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        PROJECT.check_len("notes", &"字".repeat(2001), &mut errors);
        assert_eq!(errors, vec![FieldError::new("notes", "备注不能超过2000个字符")]);
    }

    #[test]
    fn required_text_is_refused_blank_or_too_long() {
        let mut errors = vec![];
        COMPANY.check_required("name", "  ", &mut errors);
        COMPANY.check_required("name", &"a".repeat(201), &mut errors);
        COMPANY.check_required("name", "中原科技有限公司", &mut errors);
        let msgs: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(msgs, ["企业名称不能为空", "企业名称不能超过200个字符"]);
    }

    #[test]
    fn numbers_have_no_length() {
        assert_eq!(PROJECT.len_error("total_investment", &"9".repeat(5000)), None);
    }
}
