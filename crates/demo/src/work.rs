//! 部门任务 and 困难和问题 of the demo projects: departments' tasks on projects that need
//! approvals, land, permits or talent (so that every demo department login, among them
//! `ziranziyuan_staff`, has an inbox), and problems open, resolved and overdue as of today.

use chrono::{Days, NaiveDate};

use crate::rng::Rng;
use store::bulk::BulkProject as Project;

use crate::{final_stage, reached_on};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeptTask {
    /// Index in `Dataset::projects`.
    pub project: usize,
    /// units.csv code of a unit of kind `department`.
    pub department: String,
    pub title: String,
    /// The day the project's unit assigned it (not after today).
    pub assigned_on: NaiveDate,
    pub due_on: NaiveDate,
    /// "open" | "in_progress" | "done".
    pub status: String,
    /// Set when done (and sometimes while in progress).
    pub reply: Option<String>,
    /// The day it moved to `status` (after `assigned_on`, not after today).
    pub changed_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub project: usize,
    pub title: String,
    pub detail: String,
    /// A department with a task on the project, or `None`: the project's own unit.
    pub assignee: Option<String>,
    pub raised_on: NaiveDate,
    pub due_on: NaiveDate,
    /// "open" | "in_progress" | "resolved".
    pub status: String,
    pub resolution: Option<String>,
    pub changed_on: NaiveDate,
}

/// (department, task, the department's reply when done).
type TaskKind = (&'static str, &'static str, &'static str);

/// The tasks by the stage that needs them.
const TASKS: &[(&str, &[TaskKind])] = &[
    (
        "signed",
        &[
            ("ziranziyuan", "用地预审", "用地预审意见已出具，项目选址符合国土空间规划。"),
            ("fagai", "项目备案", "已完成企业投资项目备案，备案证明已发放。"),
            ("ziranziyuan", "土地供应方案", "土地供应方案已经市政府批准，待挂牌出让。"),
        ],
    ),
    (
        "approved",
        &[
            ("jianshe", "施工许可", "施工许可证已核发。"),
            ("ziranziyuan", "建设工程规划许可", "建设工程规划许可证已核发。"),
        ],
    ),
    (
        "started",
        &[
            ("renshe", "人才引进", "已纳入重点企业人才引进计划，首批技术人员落户手续已办结。"),
            ("gongxin", "技术改造项目备案", "技改项目已备案，纳入市级技改专项资金支持名单。"),
            ("ziranziyuan", "不动产权登记", "不动产权证书已颁发。"),
        ],
    ),
    (
        "producing",
        &[
            ("shichang", "特种设备使用登记", "特种设备使用登记证已办理。"),
            ("keji", "高新技术企业认定辅导", "已完成高企认定辅导，企业已提交认定申请。"),
        ],
    ),
];

/// (problem, detail, the department it concerns, the resolution).
const PROBLEMS: &[(&str, &str, Option<&str>, &str)] = &[
    ("供电线路接入滞后", "项目用电需新建10千伏专线，供电公司排期较晚。", None, "已协调供电公司提前施工，专线已接入。"),
    (
        "用地指标不足",
        "项目二期用地尚缺年度新增建设用地指标。",
        Some("ziranziyuan"),
        "已调剂年度用地指标，二期用地已组卷上报。",
    ),
    ("施工用水未接入", "施工临时用水管网尚未铺设到场。", None, "自来水公司已完成临时管网铺设。"),
    ("融资渠道不畅", "企业项目贷款审批进度慢，资金到位滞后。", None, "已组织银企对接会，项目贷款已获批。"),
    ("环评批复周期长", "环境影响报告书审批时间较长，影响开工。", None, "环评批复已取得。"),
    ("招工难", "企业投产在即，一线技术工人缺口较大。", Some("renshe"), "已举办专场招聘会，招聘技术工人。"),
    (
        "施工许可办理慢",
        "施工图审查意见反复修改，施工许可未能按期办理。",
        Some("jianshe"),
        "已开通绿色通道，施工许可证已核发。",
    ),
];

/// The tasks and problems of `projects` as of `today`.
pub(crate) fn build_work(rng: &mut Rng, projects: &[Project], today: NaiveDate) -> (Vec<DeptTask>, Vec<Problem>) {
    let mut tasks = vec![];
    let mut problems = vec![];
    for (i, p) in projects.iter().enumerate() {
        let stage = final_stage(p);
        let Some((_, choices)) = TASKS.iter().find(|(s, _)| *s == stage) else { continue };
        let since = reached_on(p).or(p.input.created_on).unwrap_or(today);
        let first = tasks.len();
        // about half of these projects carry one task, some a second
        for (n, permille) in [(0usize, 550u32), (1, 200)] {
            if !rng.permille(permille) {
                continue;
            }
            let (dept, title, reply) = choices[(rng.below(choices.len()) + n) % choices.len()];
            if tasks[first..].iter().any(|t: &DeptTask| t.title == title) {
                continue;
            }
            tasks.push(task(rng, i, (dept, title, reply), since, today));
        }
        if rng.permille(300) {
            let (title, detail, dept, resolution) = *rng.pick(PROBLEMS);
            // a department is the assignee only where it carries a task (so it sees the project)
            let assignee = dept.filter(|d| tasks[first..].iter().any(|t| t.department == *d)).map(str::to_string);
            problems.push(problem(rng, i, (title, detail, resolution), assignee, since, today));
        }
    }
    (tasks, problems)
}

/// A day `lo..=hi` days after `from`, not after `today`.
fn after(rng: &mut Rng, from: NaiveDate, lo: i64, hi: i64, today: NaiveDate) -> NaiveDate {
    let d = from.checked_add_days(Days::new(rng.range(lo, hi) as u64)).unwrap_or(from);
    d.min(today).max(from.min(today))
}

fn task(
    rng: &mut Rng,
    project: usize,
    (dept, title, reply): (&str, &str, &str),
    since: NaiveDate,
    today: NaiveDate,
) -> DeptTask {
    let assigned_on = after(rng, since, 0, 20, today);
    let due_on = assigned_on.checked_add_days(Days::new(rng.range(15, 60) as u64)).unwrap_or(assigned_on);
    // most of those long due are done; some overdue ones are still open
    let roll = rng.below(1000);
    // a task open months past its time limit would long have been chased up: done
    let long_overdue = due_on.checked_add_days(Days::new(60)).is_some_and(|d| d < today);
    let (status, reply) = if due_on < today && (roll < 750 || long_overdue) {
        ("done", Some(reply.to_string()))
    } else if roll.is_multiple_of(2) {
        ("in_progress", roll.is_multiple_of(4).then(|| "已受理，正在办理。".to_string()))
    } else {
        ("open", None)
    };
    let changed_on = if status == "open" { assigned_on } else { after(rng, assigned_on, 1, 30, today) };
    DeptTask {
        project,
        department: dept.into(),
        title: title.into(),
        assigned_on,
        due_on,
        status: status.into(),
        reply,
        changed_on,
    }
}

fn problem(
    rng: &mut Rng,
    project: usize,
    (title, detail, resolution): (&str, &str, &str),
    assignee: Option<String>,
    since: NaiveDate,
    today: NaiveDate,
) -> Problem {
    let raised_on = after(rng, since, 0, 40, today);
    let due_on = raised_on.checked_add_days(Days::new(rng.range(20, 90) as u64)).unwrap_or(raised_on);
    let roll = rng.below(1000);
    let long_overdue = due_on.checked_add_days(Days::new(120)).is_some_and(|d| d < today);
    let (status, resolution) = if due_on < today && (roll < 550 || long_overdue) {
        ("resolved", Some(resolution.to_string()))
    } else if roll.is_multiple_of(2) {
        ("in_progress", None)
    } else {
        ("open", None)
    };
    let changed_on = if status == "open" { raised_on } else { after(rng, raised_on, 1, 30, today) };
    Problem {
        project,
        title: title.into(),
        detail: detail.into(),
        assignee,
        raised_on,
        due_on,
        status: status.into(),
        resolution,
        changed_on,
    }
}
