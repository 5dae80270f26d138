//! The demo's 靶向项目库 (domain.md §3): the assessed units court real 500强 and leading
//! companies, each with its 研判 notes and a follow-up log, in every status — some still
//! watched, contacted or interested, one dropped with its reason, two converted into
//! projects — and one company courted by two units at once (the city-wide view).

use chrono::{Days, NaiveDate};
use domain::Money;
use domain::target::FollowUpChannel;
use store::companies::NewCompany;

use crate::companies::CompanyMeta;
use crate::rng::Rng;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoFollowUp {
    pub date: NaiveDate,
    pub channel: FollowUpChannel,
    pub summary: String,
    pub next_follow_up_on: Option<NaiveDate>,
}

/// Where a demo target ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetEnd {
    /// Still courted; `interested` moves it past 已接触.
    Open {
        interested: bool,
    },
    Dropped(String),
    /// Converted into a reserve project of this name, region and investment.
    Converted {
        name: String,
        region: String,
        total: Money,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoTarget {
    /// units.csv code of an assessed unit.
    pub unit: &'static str,
    /// Index in `Dataset::companies`.
    pub company: usize,
    pub industry: String,
    pub strategy: String,
    pub layout: String,
    pub signals: String,
    pub next_follow_up_on: Option<NaiveDate>,
    /// In date order.
    pub follow_ups: Vec<DemoFollowUp>,
    pub end: TargetEnd,
}

/// The units that court, with how many targets each.
const COURTING: &[(&str, usize)] = &[
    ("jinshui", 5),
    ("hangkonggang", 5),
    ("zhengdong", 4),
    ("jingkai", 3),
    ("gaoxin", 3),
    ("zhongmou", 2),
    ("xinzheng", 2),
];

const STRATEGY: &[&str] = &[
    "聚焦主业，加快向高端化、智能化、绿色化转型",
    "推进全国产能布局优化，重点拓展中西部市场",
    "实施全球化战略，扩大海外市场份额",
    "加大研发投入，布局下一代核心技术",
];
const LAYOUT: &[&str] = &[
    "已在长三角、珠三角建有多个生产基地，中部地区布局尚少",
    "在武汉、西安设有区域总部，正在评估郑州、长沙的新基地选址",
    "生产基地集中在华东，物流成本推动其向中部转移",
    "已在河南设有销售公司，尚无生产项目",
];
const SIGNALS: &[&str] = &[
    "年报披露拟新增产能，选址倾向交通枢纽城市",
    "近期发布可转债募资，用途含新建生产基地",
    "高层在公开场合表示看好中部市场",
    "主要客户在郑州扩产，配套需求增加",
];
const SUMMARIES: &[(FollowUpChannel, &str)] = &[
    (FollowUpChannel::Visit, "赴企业总部拜访，介绍本地产业基础和要素保障，企业表示将安排实地考察"),
    (FollowUpChannel::Phone, "与企业投资发展部电话沟通，了解其新基地选址的时间安排"),
    (FollowUpChannel::Meeting, "企业考察团来郑，参观产业园并座谈，初步探讨用地和配套需求"),
    (FollowUpChannel::Online, "视频会议对接项目方案，企业提出电力、用工等方面的具体要求"),
    (FollowUpChannel::Event, "在专题推介会上与企业负责人交流，递交项目建议书"),
    (FollowUpChannel::Letter, "向企业发送投资邀请函和政策汇编"),
];

pub(crate) fn build_targets(
    rng: &mut Rng,
    companies: &[NewCompany],
    meta: &[CompanyMeta],
    today: NaiveDate,
) -> Vec<DemoTarget> {
    let courted: Vec<usize> = (0..companies.len()).filter(|&i| meta[i].real && meta[i].notable).collect();
    if courted.is_empty() {
        return vec![];
    }
    let ago = |d: u64| today.checked_sub_days(Days::new(d)).unwrap_or(today);
    let ahead = |d: u64| today.checked_add_days(Days::new(d)).unwrap_or(today);
    let mut out = vec![];
    let mut next_company = 0usize;
    for (u, &(unit, n)) in COURTING.iter().enumerate() {
        for k in 0..n {
            // the first company is courted by the first two units (the city-wide view)
            let company = if u == 1 && k == 0 {
                courted[0]
            } else {
                let c = courted[next_company % courted.len()];
                next_company += 1;
                c
            };
            let industry = companies[company].industry.clone().unwrap_or_else(|| "manufacturing".into());
            let contacts = rng.below(4);
            let mut date = ago(200 + rng.range(0, 120) as u64);
            let mut follow_ups = vec![];
            for _ in 0..contacts {
                date = date.checked_add_days(Days::new(20 + rng.range(0, 40) as u64)).unwrap_or(date).min(ago(3));
                let (channel, summary) = *rng.pick(SUMMARIES);
                follow_ups.push(DemoFollowUp {
                    date,
                    channel,
                    summary: summary.to_string(),
                    next_follow_up_on: Some(date.checked_add_days(Days::new(30)).unwrap_or(date)),
                });
            }
            // every status: converted and dropped once or twice, the rest open
            let end = match (u, k) {
                (0, 1) | (2, 0) => TargetEnd::Converted {
                    name: format!("{}中部区域生产基地项目", short_name(&companies[company].name)),
                    region: companies[company].region.clone().unwrap_or_else(|| "yangtze".into()),
                    total: Money::from_units(100_000 + rng.range(0, 40) * 5_000),
                },
                (1, 2) => TargetEnd::Dropped("企业已决定在武汉布局，暂无在郑投资计划".into()),
                _ => TargetEnd::Open { interested: contacts >= 2 && rng.permille(500) },
            };
            if matches!(end, TargetEnd::Converted { .. }) && follow_ups.is_empty() {
                follow_ups.push(DemoFollowUp {
                    date: ago(40),
                    channel: FollowUpChannel::Meeting,
                    summary: "双方就项目投资规模、用地和建设周期达成一致".into(),
                    next_follow_up_on: None,
                });
            }
            // some follow-ups are overdue (a warning), most ahead
            let next = follow_ups.last().and_then(|f| f.next_follow_up_on).or(Some(ahead(rng.range(5, 40) as u64)));
            out.push(DemoTarget {
                unit,
                company,
                industry,
                strategy: rng.pick(STRATEGY).to_string(),
                layout: rng.pick(LAYOUT).to_string(),
                signals: rng.pick(SIGNALS).to_string(),
                next_follow_up_on: next,
                follow_ups,
                end,
            });
        }
    }
    out
}

/// A company's name without its legal suffix, for a project name.
fn short_name(name: &str) -> &str {
    ["股份有限公司", "有限责任公司", "有限公司", "集团"].iter().find_map(|s| name.strip_suffix(s)).unwrap_or(name)
}
