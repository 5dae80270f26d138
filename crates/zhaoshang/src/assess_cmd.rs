//! `zhaoshang assess --scheme FILE|annual|business_environment [--format table|json]`: an
//! assessment scheme (assessment.md) run over the assessed units from the accepted records,
//! printed as the ranking table or as JSON (the domain's result with the measures' records,
//! the drill-down). Read-only: nothing is stored or audited (stored runs come with the API).

use domain::assessment::{Scheme, defaults};
use store::assessment::ManualMeasures;
use store::{Actor, Store, StoreError};

/// How the result is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// 排名表 / the ranking table
    Table,
    /// JSON，含各项指标计入的记录 / JSON with the records each measure counted
    Json,
}

/// A shipped scheme by name, else a TOML file.
fn scheme_text(scheme: &str) -> Result<String, String> {
    match scheme {
        "annual" => Ok(defaults::ANNUAL.to_string()),
        "business_environment" => Ok(defaults::BUSINESS_ENVIRONMENT.to_string()),
        path => {
            std::fs::read_to_string(path).map_err(|e| format!("无法读取考核方案 / cannot read the scheme {path}: {e}"))
        }
    }
}

/// `s` padded to `width` terminal columns (a CJK character takes two).
fn pad(s: &str, width: usize) -> String {
    let used: usize = s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(used)))
}

/// Every problem on its own line (stderr), then the one-line error the CLI ends with.
fn invalid(problems: Vec<String>) -> String {
    for p in &problems {
        eprintln!("  {p}");
    }
    format!(
        "考核方案有误，共 {} 处（见上）/ the scheme is invalid: {} problem(s), listed above",
        problems.len(),
        problems.len()
    )
}

pub async fn run(store: &Store, scheme: &str, format: Format) -> Result<(), String> {
    let text = scheme_text(scheme)?;
    let scheme = Scheme::parse(&text).map_err(|p| invalid(p.messages()))?;
    let actor = Actor::system("cli:assess");
    let run = store.scoped(&actor).run_assessment(&scheme, &ManualMeasures::new(), &[]).await.map_err(|e| match e {
        StoreError::Validation(f) => invalid(f.into_iter().map(|f| f.message).collect()),
        other => format!("考核计算失败 / the assessment failed: {other}"),
    })?;
    match format {
        Format::Json => {
            let json = serde_json::to_string_pretty(&run).map_err(|e| format!("JSON: {e}"))?;
            println!("{json}");
        }
        Format::Table => {
            let a = &run.assessment;
            println!("{}（{} 至 {}）", a.scheme, a.from, a.to);
            let widths: Vec<usize> = a.columns.iter().map(|c| c.code.len().max(6)).collect();
            let mut head = format!("名次  {}", pad("单位", 24));
            for (c, w) in a.columns.iter().zip(&widths) {
                head.push_str(&format!(" {:>w$}", c.code));
            }
            head.push_str("     加分     扣分       总分");
            println!("{head}");
            for r in &a.results {
                let mut line = format!("{:>4}  {}", r.rank, pad(&r.unit.name, 24));
                for (p, w) in r.indicators.iter().zip(&widths) {
                    line.push_str(&format!(" {:>w$}", p.points.to_string()));
                }
                line.push_str(&format!(
                    " {:>8} {:>8} {:>10}",
                    r.bonus.to_string(),
                    r.penalty.to_string(),
                    r.total.to_string()
                ));
                println!("{line}");
            }
        }
    }
    Ok(())
}
