//! 落地 of the demo projects (issue #11): stage claims waiting for the city (some returned
//! with a comment, some resubmitted), agreements whose clauses are met, due and overdue (and
//! one package with two sub-projects), the 四个一 of most key projects, and which units
//! confirmed which month's ledger, and when.
//!
//! Like the rest of the crate: pure, deterministic, dated no later than `today`.

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate};
use domain::monthly::Month;
use domain::{AgreementKind, ClauseStatus, Money, Obligor, Stage};
use store::agreements::{NewAgreement, NewClause};
use store::bulk::BulkProject as Project;
use store::companies::NewCompany;
use store::four_ones::NewMember;

use crate::catalog::{GIVEN_NAMES, SURNAMES, UNITS};
use crate::rng::Rng;

/// A unit's claim that a project reached `to` (a transition the city has to review).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Index in `Dataset::projects`.
    pub project: usize,
    pub to: Stage,
    pub date: NaiveDate,
    pub note: String,
    /// The name of the evidence file the unit attaches to it (a PDF).
    pub evidence: &'static str,
    pub outcome: ClaimOutcome,
}

/// What the city did with a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimOutcome {
    /// Still 审核中.
    Waiting,
    Accepted,
    /// 审核未通过, with the city's comment; the unit has not fixed it yet.
    Returned(&'static str),
    /// Returned, then fixed by the unit (a corrected date and a note): waiting again.
    Resubmitted {
        comment: &'static str,
        date: NaiveDate,
        note: &'static str,
    },
}

/// An agreement of a project, its clauses created pending, then moved along as the project
/// went: each `(clause number, status, day)` applied in order.
#[derive(Debug, Clone)]
pub struct DemoAgreement {
    pub project: usize,
    pub agreement: NewAgreement,
    pub moves: Vec<(String, ClauseStatus, NaiveDate)>,
    /// Projects linked as the package's sub-projects (indexes in `Dataset::projects`).
    pub sub_projects: Vec<usize>,
}

/// A milestone of an action plan (行动计划).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoMilestone {
    pub title: &'static str,
    pub owner: String,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

/// The 四个一 a key project has (any part may be missing: then it is flagged).
#[derive(Debug, Clone)]
pub struct FourOnes {
    pub project: usize,
    pub team: Vec<NewMember>,
    pub milestones: Vec<DemoMilestone>,
    /// Names of the documents in its case file (招商专案).
    pub case_file: Vec<&'static str>,
}

/// A unit's confirmation of a month's ledger (月报), on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    /// units.csv code of an assessed unit.
    pub unit: &'static str,
    pub month: Month,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, Default)]
pub struct Landing {
    pub claims: Vec<Claim>,
    pub agreements: Vec<DemoAgreement>,
    pub four_ones: Vec<FourOnes>,
    pub confirmations: Vec<Confirmation>,
}

/// The comments the city returns claims with.
const RETURN_COMMENTS: &[&str] = &[
    "合同扫描件缺少签字页，请补充完整后重新提交。",
    "签约日期与合同落款日期不一致，请核实。",
    "施工许可证复印件不清晰，请上传原件扫描件。",
    "投产证明材料不足，请补充营业执照及首批产品销售票据。",
    "佐证材料与项目名称不符，请核对后重新提交。",
];

/// (stage claimed, the note of the claim, its evidence file).
const CLAIM_KINDS: &[(Stage, &str, &str)] = &[
    (Stage::Signed, "投资合同已正式签订，附合同扫描件。", "投资合同（扫描件）.pdf"),
    (Stage::Started, "项目已取得施工许可并举行开工仪式。", "施工许可证.pdf"),
    (Stage::Producing, "一期生产线已建成并试生产。", "投产证明及营业执照.pdf"),
    (Stage::AtCapacity, "设计产能已全部释放，达产验收完成。", "达产验收报告.pdf"),
];

/// The stage a claim of a project at `stage` moves it to.
fn claim_after(stage: Stage) -> Option<usize> {
    match stage {
        Stage::Negotiating => Some(0),
        Stage::Approved => Some(1),
        Stage::Started => Some(2),
        Stage::Producing => Some(3),
        _ => None,
    }
}

/// The day `p` reached `stage` (its own transition, or a skipped stage's date).
pub(crate) fn stage_date(p: &Project, stage: Stage) -> Option<NaiveDate> {
    p.transitions.iter().find_map(|t| if t.to == stage { Some(t.date) } else { t.skipped_dates.get(&stage).copied() })
}

fn plus(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_days(Days::new(days.max(0) as u64)).unwrap_or(d)
}

/// The landing records of `projects` as of `today`.
pub(crate) fn build_landing(
    rng: &mut Rng,
    projects: &[Project],
    companies: &[NewCompany],
    today: NaiveDate,
) -> Landing {
    let mut landing = Landing {
        claims: claims(rng, projects, today),
        confirmations: confirmations(rng, today),
        ..Default::default()
    };
    // a project claimed signed has its contract, signed on the day the claim (as fixed) says
    let claimed: HashMap<usize, NaiveDate> = landing
        .claims
        .iter()
        .filter(|c| c.to == Stage::Signed)
        .map(|c| match c.outcome {
            ClaimOutcome::Resubmitted { date, .. } => (c.project, date),
            _ => (c.project, c.date),
        })
        .collect();
    landing.agreements = agreements(rng, projects, &claimed, today);
    landing.four_ones = four_ones(rng, projects, companies, today);
    landing
}

/// About one project in fifteen carries a claim: most wait, some were returned (a few of
/// those fixed and resubmitted), some the city accepted already.
fn claims(rng: &mut Rng, projects: &[Project], today: NaiveDate) -> Vec<Claim> {
    let mut out = vec![];
    for (i, p) in projects.iter().enumerate() {
        let stage = p.transitions.last().map_or(Stage::Reserve, |t| t.to);
        let Some(k) = claim_after(stage) else { continue };
        if !rng.permille(170) {
            continue;
        }
        let since = p.transitions.last().map_or(today, |t| t.date);
        if since >= today {
            continue;
        }
        let (to, note, evidence) = CLAIM_KINDS[k];
        let date = plus(since, rng.range(15, 120)).min(today);
        let n = out.len();
        let outcome = match n % 12 {
            3 | 8 => ClaimOutcome::Returned(RETURN_COMMENTS[(n / 12 + n) % RETURN_COMMENTS.len()]),
            5 if n % 24 == 5 => ClaimOutcome::Resubmitted {
                comment: RETURN_COMMENTS[1],
                date: date.pred_opt().filter(|d| *d >= since).unwrap_or(date),
                note: "已按审核意见核实签约日期，补充合同落款页。",
            },
            10 => ClaimOutcome::Accepted,
            _ => ClaimOutcome::Waiting,
        };
        out.push(Claim { project: i, to, date, note: note.into(), evidence, outcome });
    }
    out
}

/// (number, text, obligor, what is due: days after signing, a share of the investment in
/// percent, whether the land area is due, and the stage that fulfils it).
type ClauseKind = (&'static str, Obligor, i64, Option<i64>, bool, Option<Stage>);

const CONTRACT_CLAUSES: &[ClauseKind] = &[
    ("乙方在签约后60日内注册成立项目公司", Obligor::Investor, 60, None, false, Some(Stage::Approved)),
    ("甲方按约定交付项目建设用地（净地）", Obligor::Government, 120, None, true, Some(Stage::Approved)),
    ("乙方在取得土地后6个月内开工建设", Obligor::Investor, 300, None, false, Some(Stage::Started)),
    ("乙方完成固定资产投资", Obligor::Investor, 600, Some(60), false, Some(Stage::Producing)),
    ("乙方项目建成投产", Obligor::Investor, 720, None, false, Some(Stage::Producing)),
    ("甲方兑现招商引资优惠政策", Obligor::Government, 400, None, false, None),
];

const FRAMEWORK_CLAUSES: &[ClauseKind] = &[
    ("乙方完成项目可行性研究报告", Obligor::Investor, 90, None, false, Some(Stage::Signed)),
    ("甲方协调项目选址及规划条件", Obligor::Government, 60, None, false, Some(Stage::Signed)),
    ("双方在框架协议签订后6个月内签订正式投资合同", Obligor::Investor, 180, None, false, Some(Stage::Signed)),
];

/// A contract for most signed projects, a framework agreement for some in talks (and before
/// some contracts), and one package agreement with two sub-projects of the same unit.
fn agreements(
    rng: &mut Rng,
    projects: &[Project],
    claimed: &HashMap<usize, NaiveDate>,
    today: NaiveDate,
) -> Vec<DemoAgreement> {
    let mut out = vec![];
    for (i, p) in projects.iter().enumerate() {
        let stage = p.transitions.last().map_or(Stage::Reserve, |t| t.to);
        if stage == Stage::Terminated {
            continue;
        }
        let claim = claimed.get(&i).copied();
        let signed = stage_date(p, Stage::Signed).or(claim);
        let talks = stage_date(p, Stage::Negotiating);
        // a framework agreement: in talks now, or before the contract
        if let Some(t) = talks.filter(|_| rng.permille(if signed.is_none() { 450 } else { 150 })) {
            let on = plus(t, rng.range(10, 60)).min(signed.unwrap_or(today)).min(today);
            out.push(agreement(rng, i, p, AgreementKind::Framework, on, FRAMEWORK_CLAUSES, today));
        }
        if let Some(s) = signed.filter(|_| rng.permille(800) || claim.is_some()) {
            out.push(agreement(rng, i, p, AgreementKind::Contract, s, CONTRACT_CLAUSES, today));
        }
    }
    if let Some(package) = package(projects, today) {
        out.push(package);
    }
    out
}

fn agreement(
    rng: &mut Rng,
    i: usize,
    p: &Project,
    kind: AgreementKind,
    signed_on: NaiveDate,
    kinds: &[ClauseKind],
    today: NaiveDate,
) -> DemoAgreement {
    let total = p.input.total_investment;
    // 3 to 5 clauses: always the first three, then some of the rest
    let mut chosen: Vec<&ClauseKind> = kinds.iter().take(3).collect();
    chosen.extend(kinds.iter().skip(3).filter(|_| rng.permille(550)));
    let mut clauses = vec![];
    let mut moves = vec![];
    for (n, (text, obligor, days, share, land, fulfils)) in chosen.into_iter().enumerate() {
        let number = format!("第{}条", ["一", "二", "三", "四", "五", "六"][n]);
        let mut due_on = plus(signed_on, *days + rng.range(-10, 10));
        let reached = fulfils.and_then(|s| stage_date(p, s)).filter(|d| *d <= today);
        // long overdue and not met: most were put off by a 补充协议
        let mut note = None;
        if reached.is_none() && plus(due_on, 60) < today && rng.permille(700) {
            due_on = plus(today, rng.range(20, 200));
            note = Some("经补充协议顺延".to_string());
        }
        clauses.push(NewClause {
            number: number.clone(),
            text: (*text).into(),
            obligor: *obligor,
            due_amount: share.map(|pct| Money::from_hundredths(total.hundredths() / 100 * pct)),
            due_area: if *land { p.input.land_mu } else { None },
            due_on: Some(due_on),
            status: ClauseStatus::Pending,
            note,
        });
        // under way once the agreement is a month old; met when the project got there, or
        // (a policy clause) a while after it was due, mostly
        let started = plus(signed_on, 30);
        if started <= today {
            moves.push((number.clone(), ClauseStatus::InProgress, started));
        }
        let met = match (reached, fulfils) {
            (Some(d), _) => Some(d.max(started)),
            (None, None) if due_on < today && rng.permille(700) => Some(plus(due_on, rng.range(0, 20)).min(today)),
            _ => None,
        };
        match met.filter(|d| *d <= today && started <= today) {
            Some(d) => moves.push((number, ClauseStatus::Fulfilled, d)),
            // long overdue and hopeless: a few are breached
            None if plus(due_on, 240) < today && rng.permille(150) => {
                moves.push((number, ClauseStatus::Breached, plus(due_on, 240)))
            }
            None => {}
        }
    }
    let title = match kind {
        AgreementKind::Framework => format!("{}合作框架协议", p.input.name),
        _ => format!("{}投资合同", p.input.name),
    };
    let unit = UNITS.iter().find(|u| u.code == p.input.unit).map_or("郑州市", |u| u.short);
    let agreement = NewAgreement {
        kind,
        title,
        signed_on: Some(signed_on),
        parties: vec![format!("{unit}人民政府"), investor_party(p)],
        amount: (kind != AgreementKind::Framework).then_some(total),
        clauses,
    };
    DemoAgreement { project: i, agreement, moves, sub_projects: vec![] }
}

/// The investor side of an agreement: the project's name stands in for its company.
fn investor_party(p: &Project) -> String {
    let stem = p.input.name.split(['项', '（']).next().unwrap_or(&p.input.name);
    format!("{stem}项目投资方")
}

/// The package: the unit's largest signed project, with two more signed projects of that
/// unit as sub-projects.
fn package(projects: &[Project], today: NaiveDate) -> Option<DemoAgreement> {
    let live_signed =
        |p: &Project| stage_date(p, Stage::Signed).is_some() && p.transitions.last().is_some_and(|t| t.to.is_active());
    let mut per_unit: HashMap<&str, usize> = HashMap::new();
    for p in projects.iter().filter(|p| live_signed(p)) {
        *per_unit.entry(p.input.unit.as_str()).or_default() += 1;
    }
    let (main, p) = projects
        .iter()
        .enumerate()
        .filter(|(_, p)| live_signed(p) && per_unit.get(p.input.unit.as_str()).is_some_and(|n| *n >= 3))
        .max_by_key(|(_, p)| p.input.total_investment)?;
    let subs: Vec<usize> = projects
        .iter()
        .enumerate()
        .filter(|(j, q)| *j != main && q.input.unit == p.input.unit && live_signed(q))
        .map(|(j, _)| j)
        .take(2)
        .collect();
    let signed_on = stage_date(p, Stage::Signed)?;
    let unit = UNITS.iter().find(|u| u.code == p.input.unit).map_or("郑州市", |u| u.short);
    let clause = |n: &str, text: &str, obligor, due: i64| NewClause {
        number: n.into(),
        text: text.into(),
        obligor,
        due_amount: None,
        due_area: None,
        due_on: Some(plus(signed_on, due)),
        status: ClauseStatus::Pending,
        note: None,
    };
    let clauses = vec![
        clause("第一条", "乙方分期建设产业园及配套子项目", Obligor::Investor, 900),
        clause("第二条", "子项目一在签约后一年内开工", Obligor::Investor, 365),
        clause("第三条", "子项目二在签约后十八个月内开工", Obligor::Investor, 540),
        clause("第四条", "甲方统筹保障园区建设用地和基础设施配套", Obligor::Government, 180),
    ];
    let mut moves = vec![];
    if plus(signed_on, 180) <= today {
        moves.push(("第四条".to_string(), ClauseStatus::Fulfilled, plus(signed_on, 170).min(today)));
    }
    let agreement = NewAgreement {
        kind: AgreementKind::Package,
        title: format!("{}一揽子投资协议", p.input.name),
        signed_on: Some(signed_on),
        parties: vec![format!("{unit}人民政府"), investor_party(p)],
        amount: Some(p.input.total_investment),
        clauses,
    };
    Some(DemoAgreement { project: main, agreement, moves, sub_projects: subs })
}

/// The action plan's steps, with the stage that marks each done.
const MILESTONES: &[(&str, Stage)] = &[
    ("签订正式投资合同", Stage::Signed),
    ("完成项目备案及用地手续", Stage::Approved),
    ("取得施工许可，开工建设", Stage::Started),
    ("主体工程封顶、设备进场", Stage::Producing),
    ("竣工投产", Stage::Producing),
];

const CASE_FILES: &[&str] = &["招商专案材料.pdf", "项目推进情况汇报.pdf", "企业考察报告.pdf"];

/// Whether the demo treats `p` as a key project (pillar, or city-reportable): the store's
/// own rule, over the demo's companies.
fn is_key(p: &Project, companies: &[NewCompany]) -> bool {
    domain::key_project(&p.input.categories, crate::reportable::is_reportable(p, companies))
}

fn person(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN_NAMES))
}

/// Most key projects have all three; some lack a part (the 四个一 page flags them).
fn four_ones(rng: &mut Rng, projects: &[Project], companies: &[NewCompany], today: NaiveDate) -> Vec<FourOnes> {
    let mut out = vec![];
    let mut seen = 0usize;
    for (i, p) in projects.iter().enumerate() {
        let stage = p.transitions.last().map_or(Stage::Reserve, |t| t.to);
        if stage == Stage::Terminated || !is_key(p, companies) {
            continue;
        }
        // one key project in twenty has nothing yet; one each lacks its team, its plan, its
        // case file; the rest are complete
        seen += 1;
        let lacks = seen % 20;
        if lacks == 1 {
            continue;
        }
        let unit = UNITS.iter().find(|u| u.code == p.input.unit).map_or("郑州市", |u| u.short);
        let mut team = vec![];
        if lacks != 2 {
            let (name, position) = match p.input.lead_leader.as_deref().and_then(|l| l.split_once('（')) {
                Some((n, pos)) => (n.to_string(), pos.trim_end_matches('）').to_string()),
                None => (person(rng), format!("{unit}副区长")),
            };
            let member = |name: String, position: String, role: &str, is_leader: bool| NewMember {
                name,
                position: Some(position),
                role: Some(role.into()),
                is_leader,
            };
            team.push(member(name, position, "组长", true));
            team.push(member(person(rng), format!("{unit}商务局局长"), "副组长", false));
            team.push(member(person(rng), format!("{unit}商务局项目科科长"), "项目专员", false));
            if rng.permille(500) {
                team.push(member(person(rng), format!("{unit}自然资源分局副局长"), "要素保障", false));
            }
        }
        let mut milestones = vec![];
        if lacks != 3 {
            let start = p.input.created_on.unwrap_or(today);
            let mut due = start;
            let mut late = false;
            for (n, (title, stage)) in MILESTONES.iter().enumerate() {
                due = plus(due, rng.range(60, 150));
                let done_on = stage_date(p, *stage).filter(|d| *d <= today);
                // a plan is kept up to date: the first open step may be weeks late, the
                // later ones were re-planned after it
                if done_on.is_none() && due < today {
                    due = if late {
                        plus(today, rng.range(20, 150))
                    } else {
                        late = true;
                        due.max(today.checked_sub_days(Days::new(rng.range(5, 60) as u64)).unwrap_or(today))
                    };
                }
                // the last steps of a project still far from production are not planned yet
                if done_on.is_none() && n >= 3 && due > plus(today, 200) {
                    break;
                }
                let owner = if n % 2 == 0 { format!("{unit}商务局") } else { format!("{unit}自然资源分局") };
                milestones.push(DemoMilestone { title, owner, due_on: due, done_on });
            }
        }
        let case_file = if lacks == 4 { vec![] } else { CASE_FILES[..1 + rng.below(3)].to_vec() };
        out.push(FourOnes { project: i, team, milestones, case_file });
    }
    out
}

/// The assessed units (those of the demo catalog) confirm each of the last three months; the
/// month just ended is still open for two of them, and a few confirmations came late.
fn confirmations(rng: &mut Rng, today: NaiveDate) -> Vec<Confirmation> {
    let this = Month::of(today);
    let mut out = vec![];
    for back in (1..=3).rev() {
        let mut month = this;
        for _ in 0..back {
            month = month.prev();
        }
        let next = month.next().first_day();
        for (n, u) in UNITS.iter().enumerate() {
            // the month just ended: two units have not confirmed yet; earlier ones: one unit
            // skipped a month altogether
            if (back == 1 && n % 8 == 3) || (back == 2 && n == 11) {
                continue;
            }
            let late = rng.permille(120);
            let day = if late { rng.range(6, 12) } else { rng.range(1, 5) } as u32;
            let on = next.with_day(day).unwrap_or(next).min(today);
            if on < next {
                continue;
            }
            out.push(Confirmation { unit: u.code, month, on });
        }
    }
    out
}
