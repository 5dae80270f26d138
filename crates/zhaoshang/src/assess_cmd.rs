//! `zhaoshang assess --scheme FILE|annual|business_environment [--as-of DATE]
//! [--format table|json|xlsx] [--output FILE]`: an assessment scheme (assessment.md) run
//! over the assessed units from the accepted records — with `--as-of`, the records as they
//! stood at the end of that day (Asia/Shanghai; `store::assessment`, "As of a day") —
//! printed as the ranking table, as JSON (the domain's result with the measures' records,
//! the drill-down), or written as a workbook (`ledger::assessment`: 排名 and 计分依据; needs
//! `--output`). Read-only: nothing is stored or audited (stored runs come with the API).

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;
use domain::assessment::{Scheme, defaults};
use store::{Actor, Store, StoreError};

/// How the result is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// 排名表 / the ranking table
    Table,
    /// JSON，含各项指标计入的记录 / JSON with the records each measure counted
    Json,
    /// Excel 工作簿（排名、计分依据），需 --output / a workbook (ranking, scoring basis), needs --output
    Xlsx,
}

/// The options of one run, checked before the database is opened.
#[derive(Debug)]
pub struct Options {
    pub format: Format,
    pub as_of: Option<NaiveDate>,
    pub output: Option<PathBuf>,
}

impl Options {
    pub fn new(format: Format, as_of: Option<&str>, output: Option<PathBuf>) -> Result<Options, String> {
        let as_of = match as_of {
            Some(text) => Some(NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                format!("--as-of 应为有效日期 YYYY-MM-DD，而不是「{text}」/ --as-of must be a valid date YYYY-MM-DD, not {text:?}")
            })?),
            None => None,
        };
        if format == Format::Xlsx && output.is_none() {
            let why = if std::io::stdout().is_terminal() {
                "，不向终端输出工作簿 / a workbook is not written to a terminal"
            } else {
                ""
            };
            return Err(format!("--format xlsx 需要 --output 文件 / --format xlsx needs --output FILE{why}"));
        }
        Ok(Options { format, as_of, output })
    }
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

/// Where the text goes: the file of `--output`, else stdout.
fn emit(output: Option<&PathBuf>, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    match output {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|e| format!("无法写入 / cannot write {}: {e}", path.display()))
        }
        None => std::io::stdout().write_all(bytes).map_err(|e| format!("无法输出 / cannot write to stdout: {e}")),
    }
}

pub async fn run(store: &Store, scheme: &str, opts: &Options) -> Result<(), String> {
    let text = scheme_text(scheme)?;
    let scheme = Scheme::parse(&text).map_err(|p| invalid(p.messages()))?;
    let actor = Actor::system("cli:assess");
    // the manual values, 加减分 and top-10 picks city_admin recorded for the period count too
    let (run, _, _) = store.scoped(&actor).run_recorded(&scheme, opts.as_of).await.map_err(|e| match e {
        StoreError::Validation(f) => invalid(f.into_iter().map(|f| f.message).collect()),
        other => format!("考核计算失败 / the assessment failed: {other}"),
    })?;
    match opts.format {
        Format::Xlsx => {
            let bytes = ledger::assessment::assessment_xlsx(&run.assessment, &scheme).map_err(|e| e.to_string())?;
            emit(opts.output.as_ref(), &bytes)?;
            if let Some(path) = &opts.output {
                eprintln!("已写入 / written: {} ({} 字节 bytes)", path.display(), bytes.len());
            }
        }
        Format::Json => {
            let mut json = serde_json::to_string_pretty(&run).map_err(|e| format!("JSON: {e}"))?;
            json.push('\n');
            emit(opts.output.as_ref(), json.as_bytes())?;
        }
        Format::Table => {
            let a = &run.assessment;
            let mut out = String::new();
            let as_of = opts.as_of.map(|d| format!("，按 {d} 日终记录")).unwrap_or_default();
            out.push_str(&format!("{}（{} 至 {}{as_of}）\n", a.scheme, a.from, a.to));
            let widths: Vec<usize> = a.columns.iter().map(|c| c.code.len().max(6)).collect();
            let mut head = format!("名次  {}", pad("单位", 24));
            for (c, w) in a.columns.iter().zip(&widths) {
                head.push_str(&format!(" {:>w$}", c.code));
            }
            head.push_str("     加分     扣分       总分");
            out.push_str(&head);
            out.push('\n');
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
                out.push_str(&line);
                out.push('\n');
            }
            emit(opts.output.as_ref(), out.as_bytes())?;
        }
    }
    Ok(())
}
