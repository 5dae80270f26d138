//! Lists and codes: investors, categories, channels, investor types, stages.

use domain::{Category, Stage};

use super::*;

pub(super) fn is_list_separator(c: char) -> bool {
    matches!(c, '、' | ';' | '；' | ',' | '，')
}

/// Items separated by `、` `;` `；` `,` `，`, each cleaned; empty items dropped.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(is_list_separator).map(clean_text).filter(|s| !s.is_empty() && !is_placeholder(s)).collect()
}

/// Whether a line reads as a whole organisation's name (so a line break after it separates
/// two investors rather than wrapping one long name).
pub(super) fn ends_like_an_organisation(line: &str) -> bool {
    const ENDINGS: [&str; 20] = [
        "公司",
        "集团",
        "企业",
        "银行",
        "院",
        "所",
        "大学",
        "学校",
        "中心",
        "基金",
        "合伙)",
        "合伙）",
        "商会",
        "协会",
        "Ltd",
        "Ltd.",
        "Inc",
        "Inc.",
        "GmbH",
        "LLC",
    ];
    let t = line.trim_matches(is_space).trim_end_matches(is_list_separator);
    ENDINGS.iter().any(|e| t.ends_with(e)) || t.ends_with(" AG") || t.ends_with("Co.") || t.ends_with("Group")
}

/// Investor companies: a list (`、`, `;`, `；`, `,`, `，`). A line break inside the cell
/// separates two companies when every line ends like an organisation's name
/// (`…有限公司⏎…集团`); otherwise it only wraps one long name and is removed.
pub fn investors(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.split(is_line_break).filter(|l| !l.trim_matches(is_space).is_empty()).collect();
    let joined = if lines.len() > 1 && lines.iter().all(|l| ends_like_an_organisation(l)) {
        lines.join("、")
    } else {
        clean_text(text)
    };
    let mut out: Vec<String> = Vec::new();
    for name in split_list(&joined) {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// 项目类别: any of `梁柱型`、`靶向`、`外资`、`总部` (or their codes), separated by the list
/// separators, spaces or `/`; returned in the order pillar, targeted, foreign, headquarters.
pub fn categories(text: &str) -> Result<Vec<Category>, String> {
    let mut out = Vec::new();
    let t = to_halfwidth(text);
    for item in t.split(|c: char| is_list_separator(c) || is_space(c) || c == '/').filter(|s| !s.is_empty()) {
        if is_placeholder(item) {
            continue;
        }
        let bare = item.strip_suffix("项目").or_else(|| item.strip_suffix("类")).unwrap_or(item);
        let bare = if bare == "总部经济" { "总部" } else { bare };
        match Category::parse(item).or_else(|| Category::parse(bare)) {
            Some(c) => out.push(c),
            None => return Err(format!("项目类别「{item}」无效，应为 梁柱型、靶向、外资、总部（可多选，用“、”分隔）")),
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// 丝路通道: `空中` / `陆上` / `网上` (or the full names, or the codes `air` `land` `online`);
/// empty or `无` is none.
pub fn channel(text: &str) -> Result<Option<String>, String> {
    let t = clean_text(text);
    if t.is_empty() || is_placeholder(&t) || t == "none" {
        return Ok(None);
    }
    let short = t.strip_suffix("丝绸之路").or_else(|| t.strip_suffix("丝路")).unwrap_or(&t);
    match domain::reference::channel(&t).or_else(|| domain::reference::channel(short)) {
        Some(e) if e.code == "none" => Ok(None),
        Some(e) => Ok(Some(e.code.clone())),
        None => Err(format!("丝路通道「{t}」无效，应为 空中、陆上、网上 或留空")),
    }
}

/// The investor types of ledger.md.
pub const INVESTOR_TYPES: [&str; 5] = ["世界500强", "中国500强", "中国民营500强", "行业领军", "其他"];

pub(super) fn investor_type_one(item: &str) -> Option<&'static str> {
    let t: String = to_halfwidth(item).chars().filter(|c| !is_space(*c)).collect();
    let t = t.replace("五百强", "500强").replace(['《', '》'], "");
    let t = t.strip_suffix("企业").unwrap_or(&t);
    Some(match t {
        "世界500强" | "财富世界500强" | "财富500强" => "世界500强",
        "中国500强" | "中国企业500强" => "中国500强",
        "中国民营500强" | "民营500强" | "中国民营企业500强" | "民营企业500强" => "中国民营500强",
        "行业领军" | "行业龙头" | "领军" | "龙头" => "行业领军",
        "其他" | "其它" | "一般" => "其他",
        _ => return None,
    })
}

/// 投资方类型: one of [`INVESTOR_TYPES`] (a few common spellings accepted); several, when
/// the investors differ, are kept joined by `、`.
pub fn investor_type(text: &str) -> Result<Option<String>, String> {
    let mut out: Vec<&'static str> = Vec::new();
    for item in split_list(text) {
        match investor_type_one(&item) {
            Some(t) if !out.contains(&t) => out.push(t),
            Some(_) => {}
            None => return Err(format!("投资方类型「{item}」无效，应为 {}", INVESTOR_TYPES.join("、"))),
        }
    }
    Ok(if out.is_empty() { None } else { Some(out.join("、")) })
}

/// 项目阶段: a stage's Chinese label or code (`Stage::parse`), and the spellings ledgers use
/// (`洽谈中`, `在建`, `已暂缓` …).
pub fn stage(text: &str) -> Result<Stage, String> {
    let t = clean_text(&to_halfwidth(text));
    let compact: String = t.chars().filter(|c| !is_space(*c)).collect();
    let lower = compact.to_ascii_lowercase();
    Stage::parse(&compact)
        .or_else(|| Stage::parse(&lower))
        .or(match compact.as_str() {
            "谋划储备" | "储备/谋划" | "储备项目" | "谋划项目" | "谋划中" => Some(Stage::Reserve),
            "洽谈" | "洽谈中" | "在谈中" | "正在洽谈" | "在洽谈" | "洽谈项目" | "在谈项目" => {
                Some(Stage::Negotiating)
            }
            "签约项目" | "已签约项目" => Some(Stage::Signed),
            "手续已办结" | "已办结" | "办结" => Some(Stage::Approved),
            "已开工建设" | "建设中" | "开工建设" | "在建项目" => Some(Stage::Started),
            "已投产运营" | "投产运营" | "已运营" => Some(Stage::Producing),
            "已达产达效" | "达产达效" => Some(Stage::AtCapacity),
            "已暂缓" | "暂停" | "已暂停" => Some(Stage::OnHold),
            "已终止" | "终止合作" => Some(Stage::Terminated),
            _ => None,
        })
        .ok_or_else(|| {
            let labels: Vec<&str> = domain::stage::ALL.iter().map(|s| s.label()).collect();
            format!("阶段「{t}」无效，应为 {}", labels.join("、"))
        })
}
