//! The demo's 投资咨询 (issue 12): investors' inquiries taken down in the last weeks for the
//! assessed units, relative to "today" — some answered in time, some answered late, some
//! still within their 2 working days, and a few past them (the 投资咨询逾期未答复 warning).

use chrono::{Days, NaiveDate};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoInquiry {
    pub unit: &'static str,
    pub company_name: &'static str,
    pub contact: &'static str,
    pub phone: &'static str,
    pub interest: &'static str,
    pub industry: &'static str,
    pub region: &'static str,
    pub received_at: NaiveDate,
    /// The unit's answer, given when the demo loads (so an old inquiry is answered late).
    pub answer: Option<&'static str>,
}

/// (unit, company, contact, phone, interest, industry, region, days ago, answer)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u64,
    Option<&'static str>,
);

const ROWS: &[Row] = &[
    (
        "jinshui",
        "比亚迪汽车工业有限公司",
        "周经理",
        "13838112233",
        "了解新能源汽车零部件配套园区的标准厂房租金和入驻条件",
        "automotive.parts",
        "金水科教园区",
        0,
        None,
    ),
    (
        "jinshui",
        "华为技术有限公司",
        "刘总监",
        "13903715566",
        "咨询鲲鹏生态创新中心的场地支持和人才公寓政策",
        "electronics.terminal",
        "龙子湖智慧岛",
        1,
        Some("已电话答复场地和人才公寓政策要点，约定下周赴智慧岛实地考察。"),
    ),
    (
        "jinshui",
        "中原银行股份有限公司",
        "孙处长",
        "0371-85517788",
        "咨询区域金融中心项目的用地规划条件",
        "",
        "金水区北部",
        26,
        None,
    ),
    (
        "hangkonggang",
        "富士康科技集团",
        "王副总",
        "13700371122",
        "拟扩建智能终端产线，咨询标准化厂房供应和用电保障",
        "electronics.terminal",
        "航空港区南区",
        2,
        Some("已书面答复厂房供应计划，并协调供电公司对接用电方案。"),
    ),
    (
        "hangkonggang",
        "顺丰控股股份有限公司",
        "赵经理",
        "18625501234",
        "咨询航空物流枢纽用地指标和冷链设施补贴",
        "",
        "航空港区北区",
        33,
        Some("已答复用地指标申报流程和冷链设施补贴标准。"),
    ),
    (
        "hangkonggang",
        "京东物流集团",
        "钱经理",
        "15617778899",
        "咨询智能物流园区的土地出让方式和税收政策",
        "",
        "航空港区",
        12,
        None,
    ),
    (
        "zhengdong",
        "招商局集团有限公司",
        "李主任",
        "13513811234",
        "咨询郑东新区总部经济楼宇的购置补贴",
        "",
        "郑东新区CBD",
        1,
        None,
    ),
    (
        "zhengdong",
        "中国平安保险（集团）股份有限公司",
        "陈经理",
        "13698765432",
        "咨询设立区域后援中心的办公用房和人才引进政策",
        "",
        "郑东新区龙湖",
        19,
        Some("已答复人才引进政策，并推荐三处可选办公楼宇。"),
    ),
    (
        "jingkai",
        "宁德时代新能源科技股份有限公司",
        "吴经理",
        "13592671234",
        "咨询储能电池项目的用地、环评和能耗指标",
        "",
        "经开区第九大街",
        3,
        Some("已答复用地和环评办理流程，能耗指标待与发改部门会商后补充答复。"),
    ),
    (
        "gaoxin",
        "科大讯飞股份有限公司",
        "郑经理",
        "18937112345",
        "咨询人工智能产业园的算力补贴和场地政策",
        "electronics",
        "高新区",
        6,
        None,
    ),
    ("erqi", "美团", "冯经理", "13783551234", "咨询区域总部落户的奖励政策", "", "二七区", 2, None),
    (
        "zhongmou",
        "牧原食品股份有限公司",
        "褚经理",
        "13903711234",
        "咨询食品加工园区的用地和冷链物流配套",
        "",
        "中牟县官渡镇",
        15,
        Some("已答复园区用地和冷链配套情况，邀请企业来县考察。"),
    ),
];

/// The demo inquiries as of `today`.
pub fn build_inquiries(today: NaiveDate) -> Vec<DemoInquiry> {
    ROWS.iter()
        .map(|&(unit, company_name, contact, phone, interest, industry, region, ago, answer)| DemoInquiry {
            unit,
            company_name,
            contact,
            phone,
            interest,
            industry,
            region,
            received_at: today.checked_sub_days(Days::new(ago)).unwrap_or(today),
            answer,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_has_inquiries_in_every_state() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
        let all = build_inquiries(today);
        let due = |i: &DemoInquiry| domain::inquiry::respond_by(i.received_at, domain::inquiry::DEFAULT_RESPONSE_DAYS);
        assert!(all.iter().any(|i| i.answer.is_none() && due(i) < today), "some past their deadline");
        assert!(all.iter().any(|i| i.answer.is_none() && due(i) >= today), "some still in time");
        assert!(all.iter().any(|i| i.answer.is_some() && due(i) >= today), "some answered in time");
        assert!(all.iter().any(|i| i.answer.is_some() && due(i) < today), "some answered late");
        for i in &all {
            assert!(domain::reference::units().iter().any(|u| u.code == i.unit), "{}", i.unit);
            assert!(i.industry.is_empty() || domain::reference::industry(i.industry).is_some(), "{}", i.industry);
        }
    }
}
