//! The demo's 招商大使/顾问/中介机构 (issue 12 item 8): the city's ambassador in Hong Kong, an
//! advisor of 金水区 and a paid intermediary of 航空港区, each with leads among the demo's own
//! targets and projects. The intermediary is paid on one lead whose signing the city accepted
//! and not on another that has not got there. All through the store's write paths (their
//! rules and audit records). The people and the firm are invented.

use chrono::NaiveDate;
use domain::{Money, Stage};
use store::Store;
use store::ambassadors::{AmbassadorInput, LeadsInput, PayoutInput};
use store::projects::ProjectFilter;
use store::targets::TargetFilter;

use crate::demo_landing::{People, step};

fn day(y: i32, m: u32, d: u32) -> Result<NaiveDate, String> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("演示数据：无效日期 {y}-{m}-{d}"))
}

fn text(s: &str) -> Option<String> {
    Some(s.to_string())
}

pub async fn load(store: &Store) -> Result<(), String> {
    let today = domain::today_shanghai();
    let mut people = People::of(store).await?;
    let city = people.city().clone();

    // the city's ambassador: two targets and a project of any unit
    let s = store.scoped(&city);
    let targets =
        s.list_targets(&TargetFilter { per_page: 2, ..Default::default() }).await.map_err(step("靶向企业"))?;
    let projects = s.list_projects(&ProjectFilter { per_page: 1, ..Default::default() }).await.map_err(step("项目"))?;
    let amb = AmbassadorInput {
        name: "陈志远".into(),
        kind: "ambassador".into(),
        organisation: text("香港河南商会"),
        contact: text("陈志远"),
        phone: text("85291234567"),
        unit: "zhengzhou".into(),
        appointed_from: day(2025, 6, 1)?,
        appointed_to: Some(day(2027, 5, 31)?),
        notes: text("市政府聘任的驻香港招商大使，负责联络港澳及东南亚客商"),
        ..Default::default()
    };
    let leads = LeadsInput {
        target_ids: targets.items.iter().map(|t| t.id).collect(),
        project_ids: projects.items.iter().map(|p| p.id).collect(),
    };
    s.create_ambassador(amb, leads).await.map_err(step("招商大使 陈志远"))?;

    // 金水区's advisor, unpaid, one lead
    let js = people.unit(store, "jinshui").clone();
    let s = store.scoped(&js);
    let f = ProjectFilter { unit: Some("jinshui".into()), per_page: 1, ..Default::default() };
    let lead = s.list_projects(&f).await.map_err(step("金水区项目"))?;
    let adv = AmbassadorInput {
        name: "刘慧敏".into(),
        kind: "advisor".into(),
        organisation: text("郑州大学产业技术研究院"),
        contact: text("刘慧敏"),
        phone: text("13703851234"),
        unit: "jinshui".into(),
        appointed_from: day(2026, 1, 1)?,
        appointed_to: Some(day(2026, 12, 31)?),
        notes: text("电子信息产业链招商顾问，不领取报酬"),
        ..Default::default()
    };
    let leads = LeadsInput { target_ids: vec![], project_ids: lead.items.iter().map(|p| p.id).collect() };
    s.create_ambassador(adv, leads).await.map_err(step("招商顾问 刘慧敏"))?;

    // 航空港区's paid intermediary: a lead the city accepted as signed (paid) and one not yet
    let hk = people.unit(store, "hangkonggang").clone();
    let s = store.scoped(&hk);
    let f = ProjectFilter { unit: Some("hangkonggang".into()), per_page: 200, ..Default::default() };
    let all = s.list_projects(&f).await.map_err(step("航空港区项目"))?.items;
    let signed = all.iter().find(|p| p.accepted_stage.is_active() && p.accepted_stage >= Stage::Signed);
    let not_yet = all.iter().find(|p| p.accepted_stage < Stage::Signed);
    let fee = Money::from_units(15);
    let firm = AmbassadorInput {
        name: "深圳市前海汇智招商服务有限公司".into(),
        kind: "intermediary".into(),
        organisation: text("深圳市前海汇智招商服务有限公司"),
        contact: text("黄经理"),
        phone: text("13602561234"),
        unit: "hangkonggang".into(),
        appointed_from: day(2026, 3, 1)?,
        appointed_to: Some(day(2028, 2, 29)?),
        paid: true,
        fee_terms: text("引荐项目签约并经市级审核确认后，每个项目支付服务费 15 万元；未落地不付费"),
        fee_stage: text("signed"),
        fee_amount: Some(fee),
        notes: text("委托引荐粤港澳大湾区电子信息、航空物流企业"),
    };
    let leads =
        LeadsInput { target_ids: vec![], project_ids: signed.iter().chain(not_yet.iter()).map(|p| p.id).collect() };
    let tx = s.begin().await.map_err(step("中介机构"))?;
    let a = tx.create_ambassador(firm, leads).await.map_err(step("中介机构"))?;
    if let Some(p) = signed {
        let pay =
            PayoutInput { project_id: p.id, amount: fee, paid_on: today, note: text("签约经市级审核通过") };
        tx.record_payout(a.id, pay, today).await.map_err(step("中介付费"))?;
    }
    tx.commit().await.map_err(step("中介机构"))?;
    Ok(())
}
