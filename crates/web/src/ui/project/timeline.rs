//! 进展时间线 (the project detail's timeline tab): each event of `store::projects::timeline`
//! as a line in Chinese. Codes (stages, audit actions, statuses, review states) are shown by
//! their labels from `domain`'s vocabularies, never as they are stored.

use domain::{AuditAction, ClauseStatus, ProblemStatus, TaskStatus};
use store::projects::TimelineEvent;

use super::detail::Event;
use crate::ui::fmt;

/// The events newest first, as the tab lists them.
pub(super) fn events(items: Vec<TimelineEvent>) -> Vec<Event> {
    items.into_iter().rev().map(event).collect()
}

/// The tag (what part of the work) of an event of the landing work.
fn tag_of(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "review" => "审核",
        "task" => "部门任务",
        "problem" => "困难和问题",
        "agreement" | "clause" => "协议履约",
        "milestone" => "行动计划",
        "team" => "工作团队",
        "outcome" => "运行监测",
        "attachment" => "附件",
        "supervision" => "督办",
        _ => return None,
    })
}

/// The label of a task's, problem's, clause's or 督办 item's status; `None` for a code that
/// is not (or no longer) one of the kind's.
fn status_label(kind: &str, code: &str) -> Option<&'static str> {
    match kind {
        "task" => TaskStatus::parse(code).map(TaskStatus::label),
        "problem" => ProblemStatus::parse(code).map(ProblemStatus::label),
        "clause" => ClauseStatus::parse(code).map(ClauseStatus::label),
        "supervision" => domain::warnings::SupervisionStatus::parse(code).map(|s| s.label()),
        _ => None,
    }
}

/// What an action's note is: the text shown before it ("" for a title or a clause number).
fn note_prefix(action: Option<&str>) -> &'static str {
    match action {
        Some("review.return") => "退回意见：",
        Some("task.update" | "supervision.reply") => "答复：",
        Some("problem.update") => "解决情况：",
        Some("attachment.upload" | "attachment.delete") => "文件：",
        Some("supervision.create") => "督办要求：",
        Some("team.update") => "成员：",
        _ => "",
    }
}

fn event(e: TimelineEvent) -> Event {
    let action = e.action.as_deref();
    let (title, tag) = match (e.kind, tag_of(e.kind)) {
        ("created", _) => ("录入项目".to_string(), "创建"),
        ("progress", _) => ("更新项目进展情况".to_string(), "进展"),
        ("funds", _) => (
            format!(
                "资金到位 {} {}",
                fmt::money_opt(e.amount),
                if e.funds_kind.as_deref() == Some("foreign") { "万美元" } else { "万元" }
            ),
            "到位资金",
        ),
        (_, Some(tag)) => {
            // an action no longer known is shown by its part of the work, not by its code
            let title = action.and_then(AuditAction::parse).map_or("记录变更", AuditAction::label);
            (title.to_string(), tag)
        }
        _ => (
            format!("{} → {}", e.from.map(|s| s.label()).unwrap_or(""), e.to.map(|s| s.label()).unwrap_or("")),
            if e.correction { "更正" } else { "阶段变更" },
        ),
    };
    let mut detail = vec![];
    match &e.note {
        Some(n) => detail.push(format!("{}{n}", note_prefix(action))),
        None if action == Some("team.update") => detail.push("成员：（已清空）".into()),
        None => {}
    }
    if let Some(r) = &e.reason {
        detail.push(format!("原因：{r}"));
    }
    if let Some(rs) = e.review_state.as_deref().and_then(|r| domain::labels::lookup(&domain::labels::REVIEW_STATES, r))
    {
        detail.push(format!("审核：{rs}"));
    }
    if let Some(s) = e.status.as_deref().and_then(|s| status_label(e.kind, s)) {
        detail.push(format!("状态：{s}"));
    }
    if let Some(d) = e.due_on {
        detail.push(format!("{}：{d}", if e.kind == "supervision" { "办理期限" } else { "计划完成" }));
    }
    if let Some(d) = e.done_on {
        detail.push(format!("实际完成：{d}"));
    }
    Event {
        date: e.date.to_string(),
        at: fmt::at(e.at),
        title,
        detail: detail.join("；"),
        by: e.by.unwrap_or_default(),
        tag: tag.to_string(),
    }
}
