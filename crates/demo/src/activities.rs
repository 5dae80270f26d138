//! The demo's 招商活动 (domain.md §6): a year of the assessed units' trips, leader visits,
//! receptions, promotions, expos and talks in real-looking places (深圳, 上海, 北京, 东莞, 苏州,
//! 慕尼黑, 首尔, and receptions in 郑州), led by the leaders of the register or by staff, meeting
//! ranked and ordinary companies — so that some leader visits count for `leader_visits_500`
//! and others (a deputy's, staff's, one that met no ranked company) do not — with the targets
//! they contacted, the projects they signed, intentions and cost.

use chrono::{Days, NaiveDate};
use domain::Money;
use domain::activity::ActivityKind;
use domain::leader::LeaderLevel;
use store::bulk::BulkProject;
use store::companies::NewCompany;

use crate::catalog::UNITS;
use crate::leaders::DemoLeader;
use crate::rng::Rng;
use crate::targets::DemoTarget;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoActivity {
    pub title: String,
    pub kind: ActivityKind,
    pub start_on: NaiveDate,
    pub end_on: NaiveDate,
    pub region: &'static str,
    pub city: &'static str,
    pub country: &'static str,
    /// units.csv code of the organising unit.
    pub unit: &'static str,
    /// Indexes into `Dataset::leaders`.
    pub leaders: Vec<usize>,
    /// Given when no leader of the register went (`staff`).
    pub leader_level: Option<LeaderLevel>,
    pub participants: String,
    /// Indexes into `Dataset::companies`.
    pub companies: Vec<usize>,
    /// Indexes into `Dataset::targets` (the unit's own).
    pub targets: Vec<usize>,
    pub intentions: i32,
    pub intention_notes: Option<String>,
    /// Indexes into `Dataset::projects` (the unit's, signed within a month after it).
    pub signed_projects: Vec<usize>,
    pub summary: String,
    pub cost: Money,
}

/// How many activities the demo holds.
pub const DEMO_ACTIVITIES: usize = 48;

/// (city, country, region code) of the places units go to.
const TRIPS: &[(&str, &str, &str)] = &[
    ("深圳", "中国", "pearl"),
    ("东莞", "中国", "pearl"),
    ("上海", "中国", "yangtze"),
    ("苏州", "中国", "yangtze"),
    ("北京", "中国", "bohai"),
    ("慕尼黑", "德国", "europe_america"),
    ("首尔", "韩国", "japan_korea"),
];
const HOME: (&str, &str, &str) = ("郑州", "中国", "henan");
const EXPOS: &[(&str, &str, &str, &str)] = &[
    ("上海", "中国", "yangtze", "长三角智能制造产业对接展"),
    ("深圳", "中国", "pearl", "粤港澳大湾区电子信息产业博览会"),
    ("北京", "中国", "bohai", "京津冀新能源汽车产业链对接会"),
    ("慕尼黑", "德国", "europe_america", "中德（慕尼黑）产业合作对接展"),
];

/// The kinds in the demo's proportions: visits and trips most, then talks and receptions.
const KINDS: &[(ActivityKind, u32)] = &[
    (ActivityKind::LeaderVisit, 30),
    (ActivityKind::TeamTrip, 20),
    (ActivityKind::Exchange, 15),
    (ActivityKind::Talks, 15),
    (ActivityKind::Promotion, 10),
    (ActivityKind::Expo, 10),
];

/// Who leads, per kind: permille of a city leader, a unit chief, a deputy (the rest: staff).
fn leading(kind: ActivityKind) -> (u32, u32, u32) {
    match kind {
        ActivityKind::LeaderVisit => (200, 550, 250),
        ActivityKind::TeamTrip => (0, 300, 450),
        ActivityKind::Exchange => (300, 400, 300),
        ActivityKind::Talks => (150, 500, 300),
        ActivityKind::Promotion => (100, 500, 400),
        ActivityKind::Expo => (0, 150, 450),
    }
}

/// `比亚迪股份有限公司` → `比亚迪`.
fn short(name: &str) -> &str {
    ["（中国）有限公司", "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name)
}

fn is_ranked(c: &NewCompany) -> bool {
    c.fortune_global_500_rank.is_some() || c.china_500_rank.is_some() || c.industry_leader
}

pub(crate) fn build_activities(
    rng: &mut Rng,
    companies: &[NewCompany],
    leaders: &[DemoLeader],
    targets: &[DemoTarget],
    projects: &[BulkProject],
    today: NaiveDate,
) -> Vec<DemoActivity> {
    let ranked: Vec<usize> = (0..companies.len()).filter(|&i| is_ranked(&companies[i])).collect();
    let plain: Vec<usize> = (0..companies.len()).filter(|&i| !is_ranked(&companies[i])).collect();
    let city_leaders: Vec<usize> =
        (0..leaders.len()).filter(|&i| leaders[i].level == LeaderLevel::CityLeader).collect();
    if ranked.is_empty() || plain.is_empty() || city_leaders.is_empty() {
        return vec![];
    }
    let kinds: Vec<u32> = KINDS.iter().map(|(_, w)| *w).collect();
    let mut out = vec![];
    for n in 0..DEMO_ACTIVITIES {
        let unit = &UNITS[rng.below(UNITS.len())];
        let kind = KINDS[rng.weighted(kinds.iter().copied())].0;
        // over the last year, a few planned in the coming weeks
        let start_on = if n % 12 == 0 {
            today.checked_add_days(Days::new(3 + rng.below(25) as u64)).unwrap_or(today)
        } else {
            today.checked_sub_days(Days::new(1 + rng.below(360) as u64)).unwrap_or(today)
        };
        let days = match kind {
            ActivityKind::TeamTrip | ActivityKind::Expo => 1 + rng.below(3) as u64,
            ActivityKind::LeaderVisit => rng.below(2) as u64,
            _ => 0,
        };
        let end_on = start_on.checked_add_days(Days::new(days)).unwrap_or(start_on);
        let own: Vec<usize> = (0..leaders.len()).filter(|&i| leaders[i].unit == unit.code).collect();
        let chiefs: Vec<usize> = own.iter().copied().filter(|&i| leaders[i].level == LeaderLevel::UnitChief).collect();
        let deputies: Vec<usize> =
            own.iter().copied().filter(|&i| leaders[i].level == LeaderLevel::UnitDeputy).collect();
        let (city_p, chief_p, deputy_p) = leading(kind);
        let roll = rng.below(1000) as u32;
        let (mut team, lead_name) = if roll < city_p {
            let l = *rng.pick(&city_leaders);
            (vec![l], format!("{}带队", leaders[l].position))
        } else if roll < city_p + chief_p && !chiefs.is_empty() {
            let l = *rng.pick(&chiefs);
            (vec![l], format!("{}{}带队", leaders[l].position, leaders[l].name))
        } else if roll < city_p + chief_p + deputy_p && !deputies.is_empty() {
            let l = *rng.pick(&deputies);
            (vec![l], format!("{}带队", leaders[l].position))
        } else {
            (vec![], format!("{}招商小分队", unit.short))
        };
        // a deputy often goes along with the one who leads
        if !team.is_empty() && !deputies.is_empty() && rng.permille(300) {
            let d = *rng.pick(&deputies);
            if !team.contains(&d) {
                team.push(d);
            }
        }
        // companies met: the unit's target companies sometimes, ranked ones for most visits
        let own_targets: Vec<usize> = (0..targets.len()).filter(|&i| targets[i].unit == unit.code).collect();
        let mut met = vec![];
        let mut contacted = vec![];
        if kind != ActivityKind::Expo && kind != ActivityKind::Promotion {
            if !own_targets.is_empty() && rng.permille(350) {
                let t = *rng.pick(&own_targets);
                contacted.push(t);
                met.push(targets[t].company);
            }
            if met.is_empty() {
                met.push(if rng.permille(650) { *rng.pick(&ranked) } else { *rng.pick(&plain) });
            }
            if rng.permille(250) {
                let extra = *rng.pick(&plain);
                if !met.contains(&extra) {
                    met.push(extra);
                }
            }
        }
        let (city, country, region) = match kind {
            ActivityKind::Exchange => HOME,
            ActivityKind::Talks if rng.permille(500) => HOME,
            _ => *rng.pick(TRIPS),
        };
        let (city, country, region, expo) = match kind {
            ActivityKind::Expo => {
                let (c, k, r, e) = *rng.pick(EXPOS);
                (c, k, r, Some(e))
            }
            _ => (city, country, region, None),
        };
        let first = met.first().map(|&c| short(&companies[c].name)).unwrap_or_default();
        let title = match kind {
            ActivityKind::LeaderVisit => format!("{}赴{city}拜访{first}", unit.short),
            ActivityKind::TeamTrip => format!("{}小分队赴{city}开展产业链招商", unit.short),
            ActivityKind::Exchange => format!("{first}高层来{}考察交流", unit.short),
            ActivityKind::Talks => format!("{}与{first}项目洽谈", unit.short),
            ActivityKind::Promotion => format!("{}（{city}）投资环境专题推介会", unit.short),
            ActivityKind::Expo => format!("{}组团参加{}", unit.short, expo.unwrap_or("展会")),
        };
        let intentions = if start_on < today && rng.permille(450) { 1 + rng.below(3) as i32 } else { 0 };
        // a project of the unit signed within a month after it
        let signed: Vec<usize> = if start_on < today && rng.permille(400) {
            projects
                .iter()
                .enumerate()
                .filter(|(_, p)| p.input.unit == unit.code)
                .filter(|(_, p)| {
                    p.transitions.iter().any(|t| {
                        t.to == domain::Stage::Signed
                            && t.date >= start_on
                            && t.date <= start_on.checked_add_days(Days::new(30)).unwrap_or(start_on)
                    })
                })
                .map(|(i, _)| i)
                .take(1)
                .collect()
        } else {
            vec![]
        };
        out.push(DemoActivity {
            title,
            kind,
            start_on,
            end_on,
            region,
            city,
            country,
            unit: unit.code,
            leader_level: team.is_empty().then_some(LeaderLevel::Staff),
            participants: format!("{lead_name}，{}商务局、投资促进中心相关同志参加", unit.short),
            companies: met,
            targets: contacted,
            intentions,
            intention_notes: (intentions > 0)
                .then(|| format!("与企业达成{intentions}个初步投资意向，约定下一步实地考察")),
            signed_projects: signed,
            summary: match kind {
                ActivityKind::Exchange => "介绍本地产业基础、要素保障和营商环境，企业实地考察产业园区".into(),
                ActivityKind::Promotion | ActivityKind::Expo => "发布招商项目清单，现场对接意向企业".into(),
                _ => "座谈交流企业投资布局，介绍本地产业链配套和支持政策".into(),
            },
            cost: Money::from_hundredths(match kind {
                ActivityKind::Exchange | ActivityKind::Talks => rng.range(20, 150) * 10,
                ActivityKind::Promotion | ActivityKind::Expo => rng.range(300, 1500) * 10,
                _ => rng.range(100, 800) * 10,
            }),
            leaders: team,
        });
    }
    out.sort_by_key(|a| a.start_on);
    out
}
