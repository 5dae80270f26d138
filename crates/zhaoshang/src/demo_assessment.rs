//! The demo's 考核 (issue 13): city_admin saves the two shipped schemes, enters the 营商环境
//! survey values of every assessed unit for this year (企业满意度 and 项目审批平均用时, with
//! their sources) and two 加减分 entries, picks the year's 十大项目 (with citations), runs both
//! schemes and publishes the annual results as a numbered 通报, so 考核评价 opens on stored
//! results whose every number drills down to the demo's records. Through the store's write
//! paths (their rules and audit records). The survey figures are invented but plausible.

use chrono::Datelike;
use domain::assessment::defaults;
use rust_decimal::Decimal;
use store::Store;
use store::assessment::{AdjustmentInput, ManualValueInput, SchemeSource, StoredRun, assessable_units};
use store::bulletins::BulletinInput;

use crate::demo_landing::{People, step};

/// Loads the above; the annual run, which the demo's bulletin publishes.
pub async fn load(store: &Store) -> Result<StoredRun, String> {
    let people = People::of(store).await?;
    let s = store.scoped(people.city());
    let annual = s.save_scheme(defaults::ANNUAL).await.map_err(step("年度考核方案"))?;
    let environment = s.save_scheme(defaults::BUSINESS_ENVIRONMENT).await.map_err(step("营商环境评价方案"))?;
    let (from, to) = (environment.from, environment.to);
    let units = assessable_units(&store.unit_tree());
    for (k, u) in units.iter().enumerate() {
        // 0.78–0.95 and 8–23 days, spread over the units without a pattern in their order
        let spread = ((k * 7) % units.len()) as i64;
        let satisfaction = Decimal::new(78 + spread, 2);
        let days = Decimal::new(80 + spread * 10 + (k as i64 % 3) * 5, 1);
        for (measure, value, source) in [
            ("satisfaction", satisfaction, format!("{}年度营商环境企业满意度第三方测评（问卷）", from.year())),
            ("approval_days", days, format!("{}年度工程建设项目审批平台统计（平均用时）", from.year())),
        ] {
            let input = ManualValueInput { unit: u.code.clone(), measure: measure.into(), from, to, value, source };
            s.set_manual_value(input).await.map_err(step(format!("手工指标 {} {measure}", u.name)))?;
        }
    }
    let (a_from, a_to) = (annual.from, annual.to);
    for (unit, kind, points, reason) in [
        ("hangkonggang", "bonus", Decimal::ONE, "承办全市重大招商推介活动"),
        ("shangjie", "penalty", Decimal::TWO, "月报数据经核查与实际不符"),
    ] {
        let input = AdjustmentInput {
            unit: unit.into(),
            from: a_from,
            to: a_to,
            kind: kind.into(),
            points,
            reason: reason.into(),
        };
        s.add_adjustment(input).await.map_err(step(format!("加减分 {unit}")))?;
    }
    // the year's 十大项目: the ten candidates furthest along (the list's own order), each cited
    let year = annual.from.year();
    let candidates = s.top10_candidates(year).await.map_err(step("十大项目候选"))?;
    if candidates.len() >= 10 {
        let picks = candidates
            .iter()
            .take(10)
            .map(|c| {
                let why = format!(
                    "{}引进，总投资 {} 亿元，{}年内{}（{}）",
                    c.unit_name,
                    (c.total_investment.to_decimal() / Decimal::from(10_000)).round_dp(2).normalize(),
                    year,
                    c.stage.label(),
                    c.stage_on
                );
                (c.project_id, why)
            })
            .collect();
        s.pick_top10(year, picks).await.map_err(step("十大项目"))?;
    }
    let annual = s.store_run(SchemeSource::Stored(annual.id), None).await.map_err(step("运行年度考核"))?;
    s.store_run(SchemeSource::Stored(environment.id), None).await.map_err(step("运行营商环境评价"))?;

    // the annual results published as a 通报 dated today (工作台's 红黑榜 reads it; the year's
    // 十大项目 are frozen with it)
    let today = domain::today_shanghai();
    let draft = BulletinInput {
        run_id: annual.id,
        number: format!("郑商通〔{}〕12号", today.year()),
        title: format!("关于{}年度县(市、区)、开发区招商引资工作考核情况的通报", year),
        date: today,
    };
    let b = s.create_bulletin(draft).await.map_err(step("起草通报"))?;
    s.publish_bulletin(b.id, today, &web::ui::bulletins::document::render).await.map_err(step("发布通报"))?;
    Ok(annual)
}
