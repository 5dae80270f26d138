//! Static tables the generator draws from: real companies, industries with
//! their products, units with their industrial profile, cities, names and
//! the Chinese wording of notes.
//!
//! Codes here (units, industries, regions, channels) must match
//! `crates/domain/reference/*.csv` exactly; the crate's tests check that
//! against the CSV files themselves.

// ---------------------------------------------------------------------------
// Real companies
// ---------------------------------------------------------------------------

/// A real company with its published rankings.
///
/// Ranks are the 2024 lists: 《财富》世界500强 2024 (published 2024-08, FY2023
/// revenue), 中国企业500强 2024 (中国企业联合会) and 中国民营企业500强 2024
/// (全国工商联). Ranks marked `checked` in the comment were checked against
/// published reporting; the others are close estimates (right to within a few
/// dozen places) and must be verified before being shown as fact outside a
/// demo. No credit codes are given for real companies: a made-up code on a
/// real name would be misinformation, so `credit_code` stays `None`.
pub(crate) struct RealCompany {
    pub name: &'static str,
    /// The short name used in project names ("比亚迪新能源汽车产业园").
    pub short: &'static str,
    pub country: &'static str,
    pub region: &'static str,
    pub hq_city: &'static str,
    pub industry: &'static str,
    pub fortune_global_500: Option<i32>,
    pub china_500: Option<i32>,
    pub china_private_500: Option<i32>,
    pub industry_leader: bool,
}

// A row constructor: positional arguments keep the table below readable.
#[allow(clippy::too_many_arguments)]
const fn real(
    name: &'static str,
    short: &'static str,
    country: &'static str,
    region: &'static str,
    hq_city: &'static str,
    industry: &'static str,
    ranks: (Option<i32>, Option<i32>, Option<i32>),
    industry_leader: bool,
) -> RealCompany {
    RealCompany {
        name,
        short,
        country,
        region,
        hq_city,
        industry,
        fortune_global_500: ranks.0,
        china_500: ranks.1,
        china_private_500: ranks.2,
        industry_leader,
    }
}

pub(crate) const RANK_YEAR: i32 = 2024;

/// Real companies the demo keeps for the company library, its rankings, the 靶向库 and
/// the activities, but never names as the investor of an invented project: a bureau
/// reader knows 苹果 builds no phone plant of its own in 郑州. The others invest in
/// projects of their trade that are plausible here (富士康 in 航空港, 上汽 and 比亚迪
/// bases, 卢森堡货航 at the airport, the Henan leaders at home).
pub(crate) const LIBRARY_ONLY: &[&str] = &[
    "苹果公司",
    "微软公司",
    "三星电子株式会社",
    "丰田汽车公司",
    "大众汽车集团",
    "空中客车公司",
    "阿斯利康公司",
    "中国商用飞机有限责任公司",
    "长江存储科技有限责任公司",
    "中国平安保险（集团）股份有限公司",
    "中信证券股份有限公司",
    "腾讯控股有限公司",
];

#[rustfmt::skip]
pub(crate) const REAL_COMPANIES: &[RealCompany] = &[
    // --- 中国大陆 ---
    real("中国建筑集团有限公司", "中国建筑", "中国", "bohai", "北京", "commerce.complex", (Some(14), Some(4), None), false), // FG checked
    real("上海汽车集团股份有限公司", "上汽集团", "中国", "yangtze", "上海", "automotive.vehicle", (Some(93), Some(26), None), false),
    real("比亚迪股份有限公司", "比亚迪", "中国", "pearl", "深圳", "automotive.nev", (Some(143), Some(36), Some(6)), false), // FG checked
    real("宁德时代新能源科技股份有限公司", "宁德时代", "中国", "other_domestic", "宁德", "automotive.nev_parts", (Some(221), Some(70), Some(11)), false),
    real("华为投资控股有限公司", "华为", "中国", "pearl", "深圳", "hitech_services.bigdata_cloud", (Some(103), Some(28), Some(4)), false), // FG checked
    real("京东集团股份有限公司", "京东", "中国", "bohai", "北京", "logistics.ecommerce", (Some(47), Some(13), Some(1)), false), // FG checked
    real("阿里巴巴集团控股有限公司", "阿里巴巴", "中国", "yangtze", "杭州", "hitech_services.bigdata_cloud", (Some(70), Some(21), Some(2)), false), // FG checked
    real("腾讯控股有限公司", "腾讯", "中国", "pearl", "深圳", "hitech_services.industrial_internet", (Some(141), Some(35), Some(5)), false),
    real("浙江吉利控股集团有限公司", "吉利", "中国", "yangtze", "杭州", "automotive.vehicle", (Some(185), Some(48), Some(9)), false),
    real("联想集团有限公司", "联想", "中国", "bohai", "北京", "electronics.terminal", (Some(248), Some(60), None), false), // FG checked
    real("美的集团股份有限公司", "美的", "中国", "pearl", "佛山", "electronics.applied", (Some(277), Some(80), Some(13)), false),
    real("海尔智家股份有限公司", "海尔", "中国", "bohai", "青岛", "electronics.applied", (Some(381), Some(85), None), false),
    real("珠海格力电器股份有限公司", "格力电器", "中国", "pearl", "珠海", "electronics.applied", (None, Some(135), None), false),
    real("顺丰控股股份有限公司", "顺丰", "中国", "pearl", "深圳", "logistics.express", (Some(415), Some(100), Some(22)), false),
    real("中国中车集团有限公司", "中国中车", "中国", "bohai", "北京", "equipment.rail", (Some(460), Some(110), None), false),
    real("中国平安保险（集团）股份有限公司", "中国平安", "中国", "pearl", "深圳", "finance.banking_insurance", (Some(53), Some(16), None), false), // FG checked
    real("郑州宇通集团有限公司", "宇通", "中国", "henan", "郑州", "automotive.vehicle", (None, None, None), true),
    real("中铁工程装备集团有限公司", "中铁装备", "中国", "henan", "郑州", "equipment.smart", (None, None, None), true),
    real("郑州煤矿机械集团股份有限公司", "郑煤机", "中国", "henan", "郑州", "equipment.smart", (None, None, None), true),
    real("京东方科技集团股份有限公司", "京东方", "中国", "bohai", "北京", "electronics.display", (None, None, None), true),
    real("长江存储科技有限责任公司", "长江存储", "中国", "other_domestic", "武汉", "electronics.memory", (None, None, None), true),
    real("科大讯飞股份有限公司", "科大讯飞", "中国", "yangtze", "合肥", "electronics.ai", (None, None, None), true),
    real("隆基绿能科技股份有限公司", "隆基绿能", "中国", "other_domestic", "西安", "materials.silicon", (None, None, None), true),
    real("菜鸟网络科技有限公司", "菜鸟", "中国", "yangtze", "杭州", "logistics.ecommerce", (None, None, None), true),
    real("沈阳新松机器人自动化股份有限公司", "新松", "中国", "bohai", "沈阳", "equipment.robot", (None, None, None), true),
    real("三一重工股份有限公司", "三一重工", "中国", "other_domestic", "长沙", "equipment.smart", (None, None, None), true),
    real("中国商用飞机有限责任公司", "中国商飞", "中国", "yangtze", "上海", "equipment.aviation", (None, None, None), true),
    real("江苏恒瑞医药股份有限公司", "恒瑞医药", "中国", "yangtze", "连云港", "biomedicine", (None, None, None), true),
    real("中信证券股份有限公司", "中信证券", "中国", "bohai", "北京", "finance.securities_futures", (None, None, None), true),
    real("华强方特文化科技集团股份有限公司", "华强方特", "中国", "pearl", "深圳", "culture_tourism.theme_park", (None, None, None), true),
    // --- 港澳台 ---
    real("鸿海精密工业股份有限公司", "富士康", "中国台湾", "hk_macao_taiwan", "新北", "electronics.terminal", (Some(32), None, None), false), // FG checked
    // --- 境外 ---
    real("苹果公司", "苹果", "美国", "europe_america", "库比蒂诺", "electronics.terminal", (Some(7), None, None), false), // checked
    real("微软公司", "微软", "美国", "europe_america", "雷德蒙德", "hitech_services.bigdata_cloud", (Some(26), None, None), false), // checked
    real("三星电子株式会社", "三星电子", "韩国", "japan_korea", "水原", "electronics.memory", (Some(31), None, None), false), // checked
    real("丰田汽车公司", "丰田", "日本", "japan_korea", "丰田市", "automotive.vehicle", (Some(15), None, None), false),
    real("大众汽车集团", "大众汽车", "德国", "europe_america", "沃尔夫斯堡", "automotive.vehicle", (Some(11), None, None), false), // checked
    real("西门子股份公司", "西门子", "德国", "europe_america", "慕尼黑", "equipment.smart", (Some(146), None, None), false),
    real("罗伯特·博世有限公司", "博世", "德国", "europe_america", "斯图加特", "automotive.parts", (Some(100), None, None), false),
    real("霍尼韦尔国际公司", "霍尼韦尔", "美国", "europe_america", "夏洛特", "emerging.sensor", (Some(430), None, None), false),
    real("施耐德电气有限公司", "施耐德电气", "法国", "europe_america", "吕埃-马迈松", "electronics.applied", (Some(370), None, None), false),
    real("空中客车公司", "空客", "法国", "europe_america", "图卢兹", "equipment.aviation", (Some(185), None, None), false),
    real("联邦快递公司", "联邦快递", "美国", "europe_america", "孟菲斯", "logistics.air", (Some(124), None, None), false),
    real("美国联合包裹运送服务公司", "UPS", "美国", "europe_america", "亚特兰大", "logistics.express", (Some(121), None, None), false),
    real("德国邮政敦豪集团", "敦豪", "德国", "europe_america", "波恩", "logistics.multimodal", (Some(131), None, None), false),
    real("阿斯利康公司", "阿斯利康", "英国", "europe_america", "剑桥", "biomedicine", (Some(300), None, None), false),
    // Not on any 500 list but leaders of the channels the policy names.
    real("普洛斯集团", "普洛斯", "新加坡", "belt_road", "新加坡", "logistics.ecommerce", (None, None, None), true),
    real("卢森堡国际货运航空公司", "卢森堡货航", "卢森堡", "europe_america", "卢森堡", "logistics.air", (None, None, None), true),
];

// ---------------------------------------------------------------------------
// Industries
// ---------------------------------------------------------------------------

/// How a project of an industry uses land; drives land area, notes and the
/// facility words in names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Land {
    /// Plants: land in proportion to investment, "年产…" names.
    Factory,
    /// Warehouses, hubs, parks: much land per 万元.
    Logistics,
    /// Data centres, R&D campuses.
    Campus,
    /// Offices and financial institutions: usually no land at all.
    Office,
    /// Shopping centres, streets.
    Commercial,
    /// Theme parks and resorts: the most land per 万元.
    Resort,
}

/// One leaf of industries.csv with the words used to name its companies and
/// projects. `products` pairs a product with the unit of its yearly output
/// ("" when "年产…" makes no sense).
pub(crate) struct Industry {
    pub code: &'static str,
    pub weight: u32,
    pub land: Land,
    /// Investment weight class: +1 capital heavy, 0 normal, −1 light.
    pub heavy: i8,
    pub company_words: &'static [&'static str],
    pub products: &'static [(&'static str, &'static str)],
    pub parks: &'static [&'static str],
}

impl Industry {
    /// The top-level group ("electronics", "logistics", "biomedicine"…):
    /// investors are matched to projects first by leaf, then by group.
    pub fn group(&self) -> &'static str {
        match self.code.find('.') {
            Some(i) => &self.code[..i],
            None => self.code,
        }
    }
}

const fn ind(
    code: &'static str,
    weight: u32,
    land: Land,
    heavy: i8,
    company_words: &'static [&'static str],
    products: &'static [(&'static str, &'static str)],
    parks: &'static [&'static str],
) -> Industry {
    Industry { code, weight, land, heavy, company_words, products, parks }
}

use Land::*;

/// Every leaf of industries.csv (nodes without children, including the
/// childless top-level `biomedicine` and `other`), in the CSV's order.
#[rustfmt::skip]
pub(crate) const INDUSTRIES: &[Industry] = &[
    ind("electronics.terminal", 20, Factory, 1, &["智能科技", "电子科技", "通讯科技"],
        &[("智能手机", "万部"), ("智能终端", "万台"), ("5G通信模组", "万片"), ("智能穿戴设备", "万件"), ("平板电脑", "万台"), ("笔记本电脑", "万台"), ("消费电子整机", "万台")],
        &["智能终端产业园", "智能手机产业园", "电子信息产业园"]),
    ind("electronics.applied", 12, Factory, 0, &["电子科技", "电器", "电子"],
        &[("智能家电", "万台"), ("汽车电子控制器", "万套"), ("电力电子器件", "万只"), ("智能电表", "万只"), ("医疗电子设备", "台")],
        &["应用电子产业园", "智能家电产业园", "电子科技产业园"]),
    ind("electronics.display", 8, Factory, 1, &["光电科技", "显示科技"],
        &[("TFT-LCD液晶面板", "万片"), ("新型显示模组", "万片"), ("OLED柔性显示屏", "万片"), ("Mini LED背光模组", "万套")],
        &["新型显示产业园", "光电显示产业基地"]),
    ind("electronics.memory", 8, Factory, 1, &["半导体", "微电子", "芯片科技"],
        &[("存储芯片封装测试", "亿颗"), ("固态硬盘", "万块"), ("DRAM存储模组", "万条"), ("NAND闪存芯片", "万片"), ("晶圆级封装", "万片")],
        &["半导体产业园", "集成电路产业园", "芯片产业园", "电子元器件产业园"]),
    ind("electronics.vr", 6, Factory, -1, &["虚拟现实科技", "数字科技"],
        &[("VR/AR头显设备", "万台"), ("虚拟现实内容制作基地", ""), ("元宇宙体验中心", ""), ("智能眼镜", "万副")],
        &["虚拟现实产业园", "元宇宙产业园"]),
    ind("electronics.ai", 10, Campus, 0, &["人工智能科技", "智能科技", "智算科技"],
        &[("人工智能算力中心", ""), ("智能语音开放平台", ""), ("AI服务器", "万台"), ("智能机器视觉设备", "台"), ("人工智能创新中心", "")],
        &["人工智能产业园", "智能科技产业园", "人工智能科技园"]),
    ind("automotive.vehicle", 10, Factory, 1, &["汽车", "汽车工业", "汽车制造"],
        &[("乘用车整车", "万辆"), ("智能网联汽车", "万辆"), ("新能源客车", "辆"), ("专用车", "辆"), ("重型卡车", "万辆")],
        &["汽车产业园", "整车制造基地"]),
    ind("automotive.parts", 14, Factory, 0, &["汽车零部件", "汽车部件", "精工科技"],
        &[("汽车座椅", "万套"), ("汽车线束", "万套"), ("汽车轮毂", "万只"), ("汽车内饰件", "万套"), ("变速箱总成", "万台"), ("汽车车灯", "万套")],
        &["汽车零部件产业园", "汽车配套产业园"]),
    ind("automotive.nev", 16, Factory, 1, &["新能源汽车", "新能源科技", "电动汽车"],
        &[("新能源汽车整车", "万辆"), ("新能源商用车", "辆"), ("氢燃料电池汽车", "辆"), ("新能源汽车智能制造", "")],
        &["新能源汽车产业园", "新能源汽车产业基地"]),
    ind("automotive.nev_parts", 16, Factory, 1, &["动力科技", "电池科技", "新能源科技"],
        &[("动力电池", "GWh"), ("新能源汽车电池包", "万套"), ("驱动电机", "万台"), ("电驱动总成", "万套"), ("锂电池隔膜", "亿平方米"), ("正极材料", "万吨"), ("智能充电桩", "万台")],
        &["动力电池产业园", "新能源汽车零部件产业园"]),
    ind("equipment.smart", 14, Factory, 0, &["智能装备", "智能科技", "机械"],
        &[("智能制造装备", "台"), ("工业自动化生产线", "条"), ("智能物流装备", "台"), ("盾构机", ""), ("煤矿综采装备", "套")],
        &["智能装备产业园", "智能制造产业园"]),
    ind("equipment.cnc", 8, Factory, 0, &["数控", "精密机械", "机床"],
        &[("精密数控机床", "台"), ("五轴联动加工中心", "台"), ("数控系统", "万套"), ("精密刀具", "万件")],
        &["精密机床产业园", "高端装备产业园"]),
    ind("equipment.aviation", 8, Factory, 1, &["航空科技", "航空工业", "飞机制造"],
        &[("通用飞机", "架"), ("航空发动机零部件", "万件"), ("工业级无人机", "架"), ("飞机维修基地", ""), ("航空复合材料构件", "万件")],
        &["航空制造产业园", "通用航空产业园", "航空维修产业园"]),
    ind("equipment.rail", 6, Factory, 1, &["轨道交通装备", "轨道科技"],
        &[("城轨车辆", "辆"), ("轨道交通牵引系统", "套"), ("高铁制动部件", "万件"), ("轨道交通信号系统", "套")],
        &["轨道交通装备产业园"]),
    ind("equipment.robot", 8, Factory, 0, &["机器人", "智能机器人科技"],
        &[("工业机器人", "台"), ("服务机器人", "台"), ("协作机器人", "台"), ("机器人精密减速器", "万台")],
        &["机器人产业园", "智能机器人产业基地"]),
    ind("materials.silicon", 6, Factory, 1, &["硅材料", "光伏科技", "半导体材料"],
        &[("单晶硅棒", "GW"), ("单晶硅片", "GW"), ("高效光伏组件", "GW"), ("电子级多晶硅", "吨")],
        &["单晶硅产业园", "光伏新材料产业园"]),
    ind("materials.superhard", 8, Factory, 0, &["超硬材料", "磨具磨料", "金刚石科技"],
        &[("人造金刚石", "亿克拉"), ("培育钻石", "万克拉"), ("立方氮化硼", "吨"), ("超硬刀具", "万件"), ("金刚石线锯", "万公里")],
        &["超硬材料产业园", "金刚石产业园"]),
    ind("materials.carbon_fiber", 5, Factory, 0, &["碳纤维", "复合材料"],
        &[("高性能碳纤维", "吨"), ("碳纤维复合材料", "吨"), ("碳纤维原丝", "吨"), ("碳纤维汽车轻量化部件", "万件")],
        &["碳纤维产业园", "复合材料产业园"]),
    ind("materials.refractory", 8, Factory, 0, &["耐材", "耐火材料", "高温材料"],
        &[("新型耐火材料", "万吨"), ("不定形耐火材料", "万吨"), ("功能性耐火制品", "万吨"), ("陶瓷纤维", "吨")],
        &["新型耐材产业园", "耐火材料产业园"]),
    ind("materials.amorphous", 4, Factory, 0, &["非晶科技", "新材料"],
        &[("非晶合金带材", "吨"), ("非晶变压器铁芯", "吨"), ("纳米晶软磁材料", "吨")],
        &["非晶材料产业园"]),
    ind("emerging.sensor", 8, Factory, 0, &["传感科技", "传感器", "感知科技"],
        &[("MEMS智能传感器", "亿只"), ("气体传感器", "万只"), ("汽车电子传感器", "万只"), ("智能传感器封测", "亿只")],
        &["智能传感谷", "智能传感器产业园", "传感器科技产业园"]),
    ind("emerging.graphene", 4, Factory, 0, &["石墨烯科技", "烯材科技"],
        &[("石墨烯粉体", "吨"), ("石墨烯导热膜", "万平方米"), ("石墨烯复合电池材料", "吨")],
        &["石墨烯产业园"]),
    ind("emerging.quantum", 3, Campus, 0, &["量子科技", "量子通信"],
        &[("量子保密通信城域网", ""), ("量子通信设备", "台"), ("量子密钥分发终端", "台")],
        &["量子科技产业园", "量子通信产业园"]),
    ind("emerging.additive", 4, Factory, 0, &["增材制造", "三维打印科技"],
        &[("金属3D打印设备", "台"), ("增材制造零部件", "万件"), ("3D打印粉末材料", "吨")],
        &["增材制造产业园", "3D打印产业园", "增材制造科技园"]),
    ind("biomedicine", 16, Factory, 0, &["生物医药", "生物科技", "制药", "医疗器械"],
        &[("生物创新药", ""), ("原料药", "吨"), ("医学影像设备", "台"), ("体外诊断试剂", "万人份"), ("生物疫苗", "万剂"), ("中药饮片", "吨"), ("高端医用耗材", "万件")],
        &["生物医药产业园", "医疗器械产业园", "生命科学园"]),
    ind("logistics.multimodal", 10, Logistics, 1, &["国际物流", "供应链", "多式联运"],
        &[("多式联运枢纽", ""), ("中欧班列集拼中心", ""), ("公铁联运物流园", ""), ("国际陆港物流中心", "")],
        &["国际陆港物流园", "多式联运物流园", "供应链物流园"]),
    ind("logistics.cold_chain", 14, Logistics, 0, &["冷链物流", "冷链", "供应链"],
        &[("冷链物流中心", ""), ("冷链仓储基地", ""), ("进口肉类冷链分拨中心", ""), ("果蔬冷链物流中心", "")],
        &["冷链物流园", "国际冷链产业园"]),
    ind("logistics.ecommerce", 14, Logistics, 0, &["电商物流", "供应链", "网络科技"],
        &[("跨境电商物流中心", ""), ("电商智能仓储中心", ""), ("跨境电商监管中心", ""), ("电商分拨中心", "")],
        &["跨境电商产业园", "电商物流园"]),
    ind("logistics.express", 10, Logistics, 0, &["快递", "速运", "物流"],
        &[("快递分拨中心", ""), ("智能快件分拣中心", ""), ("快递物流总部基地", ""), ("电商快递物流中心", "")],
        &["快递物流园", "快递产业园"]),
    ind("logistics.air", 10, Logistics, 1, &["航空物流", "国际货运", "航空货运"],
        &[("航空货运枢纽", ""), ("国际航空货运站", ""), ("航空冷链物流中心", ""), ("全货机基地", ""), ("航空物流综合体", "")],
        &["航空物流园", "空港物流园"]),
    ind("finance.banking_insurance", 8, Office, -1, &["金融服务", "财产保险", "人寿保险"],
        &[("区域总部", ""), ("金融后台服务中心", ""), ("数据灾备中心", ""), ("保险理赔服务中心", "")],
        &["金融后台服务基地", "金融服务中心"]),
    ind("finance.securities_futures", 6, Office, -1, &["证券", "期货", "资本管理"],
        &[("期货交割库", ""), ("证券区域总部", ""), ("期货风险管理公司", ""), ("财富管理中心", "")],
        &["金融岛", "期货产业园"]),
    ind("finance.equity", 8, Office, -1, &["股权投资", "创业投资", "基金管理"],
        &[("产业投资基金", ""), ("股权投资基金", ""), ("新兴产业母基金", ""), ("私募基金管理总部", "")],
        &["基金小镇", "基金产业园"]),
    ind("finance.leasing", 6, Office, 0, &["融资租赁", "金融租赁"],
        &[("飞机融资租赁", ""), ("融资租赁区域总部", ""), ("设备融资租赁平台", ""), ("航空器租赁", "")],
        &["租赁产业园", "融资租赁集聚区"]),
    ind("hitech_services.bigdata_cloud", 14, Campus, 0, &["云计算", "数据科技", "信息技术"],
        &[("大数据中心", ""), ("云计算数据中心", ""), ("城市大脑", ""), ("智算中心", ""), ("数据要素交易平台", "")],
        &["大数据产业园", "云计算产业园", "数据港"]),
    ind("hitech_services.industrial_internet", 10, Office, -1, &["工业互联网", "智能科技", "数字科技"],
        &[("工业互联网平台", ""), ("工业互联网标识解析二级节点", ""), ("智能工厂解决方案中心", ""), ("数字化转型赋能中心", "")],
        &["工业互联网产业园", "数字经济产业园", "数字科技产业园"]),
    ind("hitech_services.infosec", 6, Office, -1, &["信息安全", "网络安全", "安全科技"],
        &[("网络安全产业基地", ""), ("信创适配中心", ""), ("数据安全实验室", ""), ("网络安全运营中心", "")],
        &["网络安全产业园", "信息安全产业园"]),
    ind("hitech_services.beidou", 6, Office, -1, &["北斗科技", "卫星导航", "空间信息"],
        &[("北斗高精度定位服务平台", ""), ("北斗导航终端", "万台"), ("北斗时空大数据中心", ""), ("北斗智能驾驶测试场", "")],
        &["北斗产业园", "北斗科技产业园", "卫星应用产业园"]),
    ind("hitech_services.iot", 8, Office, -1, &["物联网科技", "智能科技", "感知科技"],
        &[("物联网终端", "万台"), ("智慧城市物联网平台", ""), ("NB-IoT智能水表", "万只"), ("物联网模组", "万片")],
        &["物联网产业园", "物联网科技园", "智慧城市产业园"]),
    ind("hitech_services.rd", 8, Campus, -1, &["科技", "技术研究院", "技术"],
        &[("研发中心", ""), ("中试基地", ""), ("科技成果转化中心", ""), ("新型研发机构", ""), ("联合实验室", "")],
        &["科技创新园", "科技成果转化基地", "研发创新园"]),
    ind("hitech_services.innovation", 6, Office, -1, &["创新科技", "孵化器管理", "创业服务"],
        &[("科技企业孵化器", ""), ("众创空间", ""), ("创新创业服务中心", ""), ("青年创业港", "")],
        &["创新创业园", "双创产业园", "科技企业孵化园"]),
    ind("commerce.complex", 12, Commercial, 1, &["商业管理", "置业", "商业"],
        &[("城市商业综合体", ""), ("购物中心", ""), ("奥特莱斯", ""), ("高端商业综合体", "")],
        &["城市广场", "商业综合体"]),
    ind("commerce.street", 6, Commercial, -1, &["商业运营", "文化商业", "商业管理"],
        &[("特色商业街区", ""), ("夜经济街区", ""), ("历史文化街区改造", ""), ("美食文化街区", "")],
        &["特色商业街区", "步行街"]),
    ind("commerce.business", 8, Office, 0, &["商务服务", "实业", "投资"],
        &[("甲级写字楼", ""), ("国际商务中心", ""), ("总部经济大厦", ""), ("高端酒店及商务综合体", "")],
        &["国际商务中心", "总部经济区"]),
    ind("culture_tourism.creative", 8, Office, -1, &["文化创意", "文化传媒", "数字文化"],
        &[("文化创意产业园", ""), ("动漫游戏研发中心", ""), ("数字内容生产基地", ""), ("影视制作基地", "")],
        &["文化创意产业园", "数字文创园"]),
    ind("culture_tourism.performance", 5, Resort, 0, &["文化旅游", "演艺", "文化传播"],
        &[("大型实景演出", ""), ("沉浸式文旅演艺", ""), ("主题剧场", ""), ("文旅演艺中心", "")],
        &["文旅演艺小镇", "演艺产业园"]),
    ind("culture_tourism.theme_park", 6, Resort, 1, &["文化旅游", "旅游开发", "主题乐园"],
        &[("主题乐园", ""), ("文化旅游度假区", ""), ("海洋主题公园", ""), ("动漫主题乐园", ""), ("康养旅游度假区", "")],
        &["文化旅游度假区", "主题公园"]),
    ind("other", 6, Factory, 0, &["实业", "食品", "农业科技"],
        &[("中央厨房及预制菜", "万吨"), ("速冻食品", "万吨"), ("现代农业示范园", ""), ("健康食品", "万吨"), ("绿色建材", "万平方米")],
        &["食品产业园", "绿色食品产业园"]),
];

/// Yearly output quantities that read naturally for a measure ("年产50万套").
pub(crate) fn quantities(measure: &str) -> &'static [u32] {
    match measure {
        "GWh" | "GW" => &[5, 10, 20, 30, 50],
        "万辆" => &[5, 10, 15, 20, 30],
        "辆" => &[1000, 2000, 3000, 5000, 10000],
        "架" => &[20, 50, 100, 200],
        "条" => &[20, 30, 50, 100],
        "台" | "套" => &[200, 500, 1000, 2000, 5000],
        "吨" => &[1000, 2000, 5000, 10000, 30000],
        "万人份" => &[100, 300, 500, 1000],
        "万剂" => &[500, 1000, 3000, 5000],
        "万公里" => &[100, 300, 500],
        "万平方米" => &[50, 100, 200, 300],
        "万克拉" => &[10, 30, 50, 100],
        m if m.starts_with('亿') => &[1, 2, 3, 5, 10],
        m if m.starts_with("万吨") => &[1, 2, 5, 10, 20, 30],
        _ => &[5, 10, 20, 30, 50, 100, 200],
    }
}

/// Facility words completing "{investor}{facility}项目" by land use. Words
/// containing "总部" make the project a `headquarters` one.
pub(crate) fn facilities(land: Land) -> &'static [&'static str] {
    match land {
        Factory => &["郑州生产基地", "智能制造基地", "研发及生产基地", "华中生产基地", "智能工厂"],
        Logistics => &["华中分拨中心", "郑州区域分拨中心", "智慧物流园", "中原物流枢纽", "华中区域总部"],
        Campus => &["郑州研发中心", "华中创新中心", "中原区域总部", "郑州数据中心", "科技研发中心"],
        Office => &["华中区域总部", "河南总部", "郑州运营中心", "中原区域总部", "郑州分公司"],
        Commercial => &["商业广场", "城市综合体", "中原总部基地"],
        Resort => &["文旅综合体", "文化旅游度假区", "郑州主题乐园"],
    }
}

// ---------------------------------------------------------------------------
// Units
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum UnitKind {
    District,
    CountyCity,
    County,
    Zone,
}

/// An assessed unit with its industrial profile.
pub(crate) struct Unit {
    pub code: &'static str,
    pub kind: UnitKind,
    /// The name stem leader titles are built from ("金水" → "金水区区长").
    pub stem: &'static str,
    /// How the unit is called in a sentence ("金水区", "航空港区").
    pub short: &'static str,
    /// Share of projects: the zones and 金水区 carry the most.
    pub weight: u32,
    /// Place words used in park names ("郑州航空港智能终端产业园").
    pub places: &'static [&'static str],
    /// Industry-code prefixes the unit specialises in, with a multiplier
    /// (default 1): 航空港 → electronics and air logistics, 巩义 → materials…
    pub affinity: &'static [(&'static str, u32)],
}

use UnitKind::*;

#[rustfmt::skip]
pub(crate) const UNITS: &[Unit] = &[
    Unit { code: "zhongyuan", kind: District, stem: "中原", short: "中原区", weight: 5, places: &["中原", "郑州西部"],
        affinity: &[("equipment", 4), ("commerce", 4), ("hitech_services", 3), ("logistics", 2)] },
    Unit { code: "erqi", kind: District, stem: "二七", short: "二七区", weight: 5, places: &["二七", "郑州南部"],
        affinity: &[("commerce", 8), ("culture_tourism", 3), ("hitech_services.rd", 2), ("logistics.ecommerce", 2), ("biomedicine", 2)] },
    Unit { code: "guancheng", kind: District, stem: "管城", short: "管城区", weight: 5, places: &["管城", "商都"],
        affinity: &[("commerce", 6), ("logistics", 4), ("culture_tourism", 4)] },
    Unit { code: "jinshui", kind: District, stem: "金水", short: "金水区", weight: 7, places: &["金水", "郑州"],
        affinity: &[("commerce", 6), ("finance", 5), ("hitech_services", 6), ("culture_tourism.creative", 5), ("electronics.ai", 3)] },
    Unit { code: "shangjie", kind: District, stem: "上街", short: "上街区", weight: 4, places: &["上街", "郑州西部"],
        affinity: &[("equipment.aviation", 10), ("materials", 4), ("equipment", 4), ("automotive.parts", 3)] },
    Unit { code: "huiji", kind: District, stem: "惠济", short: "惠济区", weight: 4, places: &["惠济", "黄河"],
        affinity: &[("logistics", 5), ("culture_tourism", 6), ("commerce.street", 3)] },
    Unit { code: "gongyi", kind: CountyCity, stem: "巩义", short: "巩义市", weight: 4, places: &["巩义"],
        affinity: &[("materials", 10), ("equipment", 3)] },
    Unit { code: "xingyang", kind: CountyCity, stem: "荥阳", short: "荥阳市", weight: 5, places: &["荥阳"],
        affinity: &[("equipment", 6), ("materials", 4), ("automotive.parts", 3), ("logistics", 2)] },
    Unit { code: "xinmi", kind: CountyCity, stem: "新密", short: "新密市", weight: 4, places: &["新密"],
        affinity: &[("materials.refractory", 12), ("materials", 5), ("biomedicine", 3)] },
    Unit { code: "xinzheng", kind: CountyCity, stem: "新郑", short: "新郑市", weight: 6, places: &["新郑", "郑州南"],
        affinity: &[("logistics", 5), ("biomedicine", 5), ("culture_tourism", 3), ("emerging", 2), ("electronics.applied", 2), ("other", 3)] },
    Unit { code: "dengfeng", kind: CountyCity, stem: "登封", short: "登封市", weight: 4, places: &["登封", "嵩山"],
        affinity: &[("culture_tourism", 10), ("materials", 5)] },
    Unit { code: "zhongmou", kind: County, stem: "中牟", short: "中牟县", weight: 6, places: &["中牟", "郑开"],
        affinity: &[("automotive", 10), ("culture_tourism.theme_park", 8), ("culture_tourism.performance", 6), ("logistics", 2)] },
    Unit { code: "hangkonggang", kind: Zone, stem: "航空港区", short: "航空港区", weight: 12, places: &["郑州航空港", "航空港", "空港"],
        affinity: &[("electronics", 8), ("logistics.air", 12), ("equipment.aviation", 8), ("biomedicine", 4), ("logistics.ecommerce", 4), ("finance.leasing", 5), ("automotive.nev", 4)] },
    Unit { code: "zhengdong", kind: Zone, stem: "郑东新区", short: "郑东新区", weight: 8, places: &["郑东新区", "郑东", "龙湖"],
        affinity: &[("finance", 10), ("commerce.business", 6), ("commerce.complex", 4), ("hitech_services.bigdata_cloud", 4), ("culture_tourism.creative", 3)] },
    Unit { code: "jingkai", kind: Zone, stem: "郑州经开区", short: "经开区", weight: 9, places: &["郑州经开区", "经开", "国际陆港"],
        affinity: &[("automotive", 8), ("equipment", 5), ("logistics.multimodal", 8), ("logistics.ecommerce", 4), ("logistics.cold_chain", 3)] },
    Unit { code: "gaoxin", kind: Zone, stem: "郑州高新区", short: "高新区", weight: 8, places: &["郑州高新区", "高新", "中原科技城"],
        affinity: &[("electronics", 5), ("hitech_services", 8), ("emerging", 8), ("materials.superhard", 5), ("equipment.robot", 3)] },
];

/// Titles of a unit's leaders, most senior first.
pub(crate) fn leader_titles(kind: UnitKind) -> [&'static str; 4] {
    match kind {
        District => ["区委书记", "区区长", "区常务副区长", "区副区长"],
        CountyCity => ["市委书记", "市市长", "市常务副市长", "市副市长"],
        County => ["县委书记", "县县长", "县常务副县长", "县副县长"],
        Zone => ["党工委书记", "管委会主任", "管委会常务副主任", "管委会副主任"],
    }
}

/// City leaders who take the lead on pillar projects.
pub(crate) const CITY_LEADER_TITLES: &[&str] = &["郑州市市长", "郑州市常务副市长", "郑州市副市长", "郑州市副市长"];

// ---------------------------------------------------------------------------
// Places companies come from
// ---------------------------------------------------------------------------

/// A Chinese city: name, province, region code, 6-digit division code
/// (GB/T 2260) used as positions 3–8 of the credit code.
pub(crate) struct City {
    pub name: &'static str,
    pub province: &'static str,
    pub region: &'static str,
    pub division: &'static str,
}

const fn city(name: &'static str, province: &'static str, region: &'static str, division: &'static str) -> City {
    City { name, province, region, division }
}

#[rustfmt::skip]
pub(crate) const CITIES: &[City] = &[
    city("郑州", "河南", "henan", "410100"), city("洛阳", "河南", "henan", "410300"),
    city("新乡", "河南", "henan", "410700"), city("许昌", "河南", "henan", "411000"),
    city("南阳", "河南", "henan", "411300"), city("开封", "河南", "henan", "410200"),
    city("焦作", "河南", "henan", "410800"), city("安阳", "河南", "henan", "410500"),
    city("北京", "北京", "bohai", "110108"), city("天津", "天津", "bohai", "120116"),
    city("大连", "辽宁", "bohai", "210200"), city("沈阳", "辽宁", "bohai", "210100"),
    city("青岛", "山东", "bohai", "370200"), city("济南", "山东", "bohai", "370100"),
    city("烟台", "山东", "bohai", "370600"), city("石家庄", "河北", "bohai", "130100"),
    city("上海", "上海", "yangtze", "310115"), city("苏州", "江苏", "yangtze", "320500"),
    city("南京", "江苏", "yangtze", "320100"), city("无锡", "江苏", "yangtze", "320200"),
    city("常州", "江苏", "yangtze", "320400"), city("杭州", "浙江", "yangtze", "330100"),
    city("宁波", "浙江", "yangtze", "330200"), city("合肥", "安徽", "yangtze", "340100"),
    city("深圳", "广东", "pearl", "440300"), city("广州", "广东", "pearl", "440100"),
    city("东莞", "广东", "pearl", "441900"), city("佛山", "广东", "pearl", "440600"),
    city("珠海", "广东", "pearl", "440400"), city("惠州", "广东", "pearl", "441300"),
    city("武汉", "湖北", "other_domestic", "420100"), city("成都", "四川", "other_domestic", "510100"),
    city("重庆", "重庆", "other_domestic", "500000"), city("西安", "陕西", "other_domestic", "610100"),
    city("长沙", "湖南", "other_domestic", "430100"), city("厦门", "福建", "other_domestic", "350200"),
];

/// Province division codes, for companies named after their province
/// ("河南中原智造科技有限公司" is registered with the province).
pub(crate) fn province_division(province: &str) -> Option<&'static str> {
    Some(match province {
        "河南" => "410000",
        "辽宁" => "210000",
        "山东" => "370000",
        "河北" => "130000",
        "江苏" => "320000",
        "浙江" => "330000",
        "安徽" => "340000",
        "广东" => "440000",
        "湖北" => "420000",
        "四川" => "510000",
        "陕西" => "610000",
        "湖南" => "430000",
        "福建" => "350000",
        _ => return None,
    })
}

/// Domestic source regions of invented companies with their weights: the
/// policy's three target regions and Henan itself dominate.
pub(crate) const DOMESTIC_REGION_WEIGHTS: &[(&str, u32)] =
    &[("henan", 28), ("yangtze", 22), ("pearl", 19), ("bohai", 19), ("other_domestic", 12)];

/// A foreign origin of invented companies.
pub(crate) struct Origin {
    pub country: &'static str,
    pub region: &'static str,
    pub weight: u32,
    pub cities: &'static [&'static str],
    pub brands: &'static [&'static str],
    pub suffix: &'static str,
}

#[rustfmt::skip]
pub(crate) const FOREIGN_ORIGINS: &[Origin] = &[
    Origin { country: "德国", region: "europe_america", weight: 12, cities: &["慕尼黑", "斯图加特", "法兰克福", "汉堡", "杜塞尔多夫"], brands: &["莱茵", "施泰因", "克劳斯", "黑森", "巴伐"], suffix: "有限公司" },
    Origin { country: "美国", region: "europe_america", weight: 10, cities: &["纽约", "芝加哥", "休斯敦", "旧金山", "波士顿"], brands: &["哈德逊", "太平洋", "密歇根", "橡树岭", "五大湖"], suffix: "公司" },
    Origin { country: "法国", region: "europe_america", weight: 4, cities: &["巴黎", "里昂", "马赛"], brands: &["卢瓦尔", "普罗旺斯", "塞纳"], suffix: "有限公司" },
    Origin { country: "意大利", region: "europe_america", weight: 3, cities: &["米兰", "都灵", "博洛尼亚"], brands: &["托斯卡纳", "伦巴第", "亚平宁"], suffix: "有限公司" },
    Origin { country: "荷兰", region: "europe_america", weight: 3, cities: &["阿姆斯特丹", "鹿特丹", "埃因霍温"], brands: &["郁金香", "北海", "马斯河"], suffix: "有限公司" },
    Origin { country: "英国", region: "europe_america", weight: 3, cities: &["伦敦", "曼彻斯特", "伯明翰"], brands: &["泰晤士", "约克", "温莎"], suffix: "有限公司" },
    Origin { country: "卢森堡", region: "europe_america", weight: 2, cities: &["卢森堡"], brands: &["大公国", "阿尔泽特"], suffix: "有限公司" },
    Origin { country: "日本", region: "japan_korea", weight: 9, cities: &["东京", "大阪", "名古屋", "横滨"], brands: &["东和", "丰和", "北辰", "樱川", "三和"], suffix: "株式会社" },
    Origin { country: "韩国", region: "japan_korea", weight: 8, cities: &["首尔", "釜山", "仁川", "水原"], brands: &["大元", "韩星", "东进", "汉江", "世元"], suffix: "株式会社" },
    Origin { country: "中国香港", region: "hk_macao_taiwan", weight: 18, cities: &["香港"], brands: &["港信", "华港", "维港", "嘉港", "汇港"], suffix: "有限公司" },
    Origin { country: "中国台湾", region: "hk_macao_taiwan", weight: 9, cities: &["台北", "新竹", "台中", "新北", "高雄"], brands: &["竹科", "宝岛", "嘉南", "鼎宏", "台芯"], suffix: "股份有限公司" },
    Origin { country: "中国澳门", region: "hk_macao_taiwan", weight: 2, cities: &["澳门"], brands: &["濠江", "澳华"], suffix: "有限公司" },
    Origin { country: "新加坡", region: "belt_road", weight: 5, cities: &["新加坡"], brands: &["狮城", "南洋", "星洲"], suffix: "私人有限公司" },
    Origin { country: "马来西亚", region: "belt_road", weight: 3, cities: &["吉隆坡", "槟城"], brands: &["吉隆", "马六甲"], suffix: "有限公司" },
    Origin { country: "阿联酋", region: "belt_road", weight: 2, cities: &["迪拜", "阿布扎比"], brands: &["海湾", "迪拜港湾"], suffix: "有限公司" },
    Origin { country: "哈萨克斯坦", region: "belt_road", weight: 2, cities: &["阿拉木图", "阿斯塔纳"], brands: &["丝路", "天山"], suffix: "有限公司" },
    Origin { country: "澳大利亚", region: "other_foreign", weight: 3, cities: &["悉尼", "墨尔本", "珀斯"], brands: &["南十字", "袋鼠湾"], suffix: "有限公司" },
    Origin { country: "巴西", region: "other_foreign", weight: 1, cities: &["圣保罗"], brands: &["里约"], suffix: "有限公司" },
];

// ---------------------------------------------------------------------------
// Name parts
// ---------------------------------------------------------------------------

/// Characters combined pairwise into two-character brands ("豫新", "华瑞").
/// Chosen so that no pair spells a famous brand.
pub(crate) const BRAND_FIRST: &[&str] = &[
    "豫", "华", "鼎", "宏", "天", "金", "恒", "博", "汇", "嘉", "瑞", "新", "正", "盛", "信", "永", "晟", "泓", "翔",
    "鑫", "源", "德", "安", "联", "兴", "昌", "隆", "达", "丰", "泰", "祥", "益", "凯", "创", "卓", "远", "锦", "睿",
    "立", "宸",
];
pub(crate) const BRAND_SECOND: &[&str] = &[
    "新", "泰", "通", "达", "瑞", "丰", "源", "盛", "鑫", "恒", "宇", "辰", "航", "川", "能", "科", "信", "诚", "远",
    "邦", "捷", "峰", "腾", "润", "晨", "弘", "驰", "禾", "智", "芯", "合", "拓", "迅", "佳", "坤", "旭", "图", "越",
    "元", "晖",
];
/// Regional words that make four-character brands ("中原" + "智造"): Henan
/// ones for Henan companies only, the others for anyone.
pub(crate) const BRAND_PLACE_HENAN: &[&str] = &["中原", "嵩岳", "黄河", "商都", "天中", "豫州"];
pub(crate) const BRAND_PLACE_ANY: &[&str] = &["东方", "九州", "华夏", "海岳", "神州", "环宇"];
pub(crate) const BRAND_TAIL: &[&str] = &[
    "智造", "芯联", "瑞通", "恒达", "博远", "天成", "宏图", "启航", "云海", "新程", "鼎新", "汇智", "融通", "华创",
    "锐进",
];

/// Trade words kept in short names ("达坤科技", "鑫恒电器").
pub(crate) const SHORT_NAME_TRADES: &[&str] = &["科技", "电子", "电器", "物流", "汽车", "制药"];

/// Company-form suffixes with their weights.
pub(crate) const COMPANY_SUFFIXES: &[(&str, u32)] = &[("有限公司", 70), ("股份有限公司", 20), ("集团有限公司", 10)];

pub(crate) const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭",
    "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任",
    "姜", "范", "方", "石", "姚", "谭", "邹", "熊", "陆", "郝", "孔", "白", "崔", "康", "毛", "邱", "秦", "史", "顾",
    "侯", "邵", "孟", "段", "雷", "汤", "尹", "易", "常", "武", "乔", "贺", "龚",
];
pub(crate) const GIVEN_NAMES: &[&str] = &[
    "建国", "卫东", "志强", "海涛", "红梅", "丽华", "晓东", "建华", "国强", "振华", "明", "伟", "静", "军", "磊", "勇",
    "艳", "涛", "斌", "鹏", "宏伟", "春生", "新民", "文博", "俊杰", "瑞峰", "丽娟", "雪梅", "玉兰", "保国", "建军",
    "向东", "利民", "永刚", "晓燕", "海燕", "志刚", "国庆", "红旗", "建平", "学文", "书林", "继红", "慧敏", "长青",
    "亚楠", "光辉", "立新", "德胜", "清华",
];

// ---------------------------------------------------------------------------
// Wording of notes
// ---------------------------------------------------------------------------
// Placeholders: {unit} the unit's short name, {short} the investor's short
// name, {hq} its headquarters city.

pub(crate) const NOTES_NEGOTIATING: &[&str] = &[
    "{unit}招商小分队赴{hq}拜访{short}高层，双方达成初步合作意向",
    "{short}考察团来郑实地考察，进入实质性洽谈",
    "在中国（郑州）产业转移系列对接活动上与{short}初步接洽",
    "签订投资意向书，进入项目洽谈阶段",
    "双方就项目选址、用地和建设规模进行第二轮洽谈",
    "通过招商顾问引荐与{short}对接，提交项目建议书",
];
pub(crate) const NOTES_SIGNED: &[&str] = &[
    "双方签订投资合作协议",
    "在郑州市重大项目集中签约仪式上签约",
    "在中国（河南）国际投资贸易洽谈会上集中签约",
    "签订正式投资合同，明确投资强度和建设周期",
    "与{short}签订项目投资协议及补充协议",
    "在全球豫商大会上签约",
];
pub(crate) const NOTES_APPROVED: &[&str] = &[
    "完成项目备案，取得建设用地规划许可证",
    "完成立项备案、土地摘牌及规划许可",
    "取得不动产权证书和建设工程规划许可证",
    "环评、能评批复完成，前期手续全部办结",
];
pub(crate) const NOTES_STARTED_BUILD: &[&str] =
    &["取得施工许可证，举行开工仪式", "项目主体工程开工建设", "参加全市重点项目集中开工活动，正式开工"];
pub(crate) const NOTES_STARTED_FIT_OUT: &[&str] =
    &["取得施工许可证，办公场所开始装修改造", "完成场地交付，正式进场施工"];
pub(crate) const NOTES_PRODUCING_FACTORY: &[&str] =
    &["首条生产线建成投产", "项目竣工验收，正式投产", "设备安装调试完成，由试生产转入正式生产"];
pub(crate) const NOTES_PRODUCING_SERVICE: &[&str] = &["项目建成并投入运营", "正式开业运营", "完成竣工验收，正式启用"];
pub(crate) const NOTES_AT_CAPACITY: &[&str] =
    &["产能全部释放，达到设计产能", "达产达效，年产值达到协议约定", "项目全面达产，实现满负荷运营"];
pub(crate) const NOTES_ON_HOLD: &[&str] = &[
    "因企业资金调整暂缓",
    "受市场需求变化影响，企业申请暂缓建设",
    "因用地规划调整暂缓推进",
    "企业投资计划调整，项目暂缓",
];
pub(crate) const NOTES_TERMINATED: &[&str] = &["经双方协商终止合作", "项目终止，相关协议解除", "经研究终止项目推进"];
pub(crate) const TERMINATION_REASONS: &[&str] = &[
    "企业战略调整，终止合作",
    "企业投资意向转移至其他城市",
    "项目未通过环境影响评价审查",
    "企业资金链紧张，无力继续投资",
    "双方在用地和政策条件上未能达成一致",
    "项目不符合产业准入要求",
];

/// Notes of funds-in-place entries; `{m}` is the month number.
pub(crate) const FUNDS_NOTES_DOMESTIC: &[&str] =
    &["{m}月省外资金到位（银行进账单）", "项目资本金到位", "股东增资款到账", "设备购置款到位", "工程建设资金到位"];
pub(crate) const FUNDS_NOTES_FOREIGN: &[&str] =
    &["外汇资本金入账（{m}月）", "外方股东注资到位", "外商投资资本金到位（外汇登记凭证）"];
