//! zhaoshang (招商): the investment-promotion platform of a city government, one binary.

mod assess_cmd;
mod config;
mod demo_activities;
mod demo_ambassadors;
mod demo_assessment;
mod demo_inquiries;
mod demo_landing;
mod demo_leaders;
mod demo_load;
mod demo_outcomes;
mod demo_reportable;
mod demo_targets;
mod demo_work;
mod warnings_cmd;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use domain::Role;
use store::{Actor, Store, StoreConfig};

use config::{Config, FileConfig};

#[derive(Parser)]
#[command(name = "zhaoshang", version, about = "招商引资项目管理平台 / investment-promotion platform")]
struct Cli {
    /// 配置文件 / TOML config file (default ./zhaoshang.toml if present)
    #[arg(long, global = true, env = "ZHAOSHANG_CONFIG")]
    config: Option<PathBuf>,
    /// 数据库地址 / database URL: sqlite://PATH or postgres://…  [default: sqlite://./data/zhaoshang.db]
    #[arg(long, global = true, env = "ZHAOSHANG_DATABASE_URL")]
    database_url: Option<String>,
    /// 数据目录（附件、备份）/ data folder for attachments and backups [default: ./data]
    #[arg(long, global = true, env = "ZHAOSHANG_DATA_DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 启动服务 / run the web server
    Serve {
        /// 监听地址 / listen address [default: 127.0.0.1:8080]
        #[arg(long, env = "ZHAOSHANG_BIND")]
        bind: Option<String>,
        /// 数据库为空时先载入演示数据 / load the demo data first when the database is empty
        #[arg(long)]
        demo: bool,
    },
    /// 执行数据库迁移 / create or upgrade the schema
    Migrate,
    /// 载入演示数据 / load the demo dataset
    Demo {
        /// 项目数量（用于压测可设 100000）/ number of projects (e.g. 100000 for benchmarks)
        #[arg(long, default_value_t = demo::STANDARD_PROJECTS)]
        projects: usize,
        /// 随机种子 / seed (the same seed gives the same data)
        #[arg(long, default_value_t = 2018)]
        seed: u64,
    },
    /// 用户管理 / user administration
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// 审计日志 / audit log
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// 导入 / import
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// 导出 / export
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// 计算并统计预警（每日任务）/ compute the warnings and print their counts (the daily job)
    Warnings {
        /// 计算日期 / as of this date (YYYY-MM-DD) [default: today, Asia/Shanghai]
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// 只统计该单位（含下级）/ only this unit and its sub-units
        #[arg(long)]
        unit: Option<String>,
    },
    /// 考核评价：按方案计算排名（只读）/ run an assessment scheme over the accepted records (read-only)
    Assess {
        /// 方案文件（TOML），或内置方案 annual（招商引资工作考核）、business_environment（营商环境评价）/ a scheme file, or a shipped one
        #[arg(long)]
        scheme: String,
        /// 输出格式 / output format
        #[arg(long, value_enum, default_value = "table")]
        format: assess_cmd::Format,
        /// 按该日（北京时间）日终的记录计算（YYYY-MM-DD）/ the records as they stood at the end of this day [default: as they stand now]
        #[arg(long)]
        as_of: Option<String>,
        /// 输出文件（xlsx 必填）/ write to this file instead of stdout (required for xlsx)
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
    },
    /// 领导名录 / the leaders register
    Leaders {
        #[command(subcommand)]
        command: LeadersCommand,
    },
    /// 系统设置 / deployment settings
    Settings {
        #[command(subcommand)]
        command: SettingsCommand,
    },
}

#[derive(Subcommand)]
enum SettingsCommand {
    /// 审核范围：all_projects（全部项目，默认）或 city_reportable_only（仅纳入全市数据库的项目）；不带参数时显示当前设置
    /// / which projects' unit claims the city reviews; without a value, show the current one
    ReviewPolicy { policy: Option<String> },
    /// 预警阈值与月报确认截止日：不带参数时列出全部；带“名称 值”时修改一项（如 overdue_red_days 15）
    /// / the warning thresholds and the monthly deadline: list them, or set one (KEY VALUE)
    Thresholds { key: Option<String>, value: Option<String> },
}

#[derive(Subcommand)]
enum LeadersCommand {
    /// 将项目的包联领导文本与领导名录匹配（按姓名和单位），列出未匹配的；加 --apply 写入关联
    /// / match the projects' 包联领导 texts to the register by name and unit, list those that do
    /// not match; with --apply, link those that do (the texts are kept as written)
    Match {
        /// 写入关联 / write the links (default: report only)
        #[arg(long)]
        apply: bool,
        /// 只处理该单位（含下级）的项目 / only the projects of this unit and its subtree
        #[arg(long)]
        unit: Option<String>,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// 导入项目台账（.xlsx/.csv）/ import a project ledger; any error and nothing is written
    Ledger {
        /// 台账文件 / the ledger file
        file: PathBuf,
        /// 只接受该单位（含下级）的行 / accept only rows of this unit and its subtree
        #[arg(long)]
        unit: Option<String>,
        /// 只检查、不写入 / check and report, write nothing
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// 导出项目台账（Excel）/ export the project ledger as .xlsx, with the API's filters
    Ledger {
        /// 输出文件 / output file (.xlsx)
        #[arg(short = 'o', long)]
        output: PathBuf,
        /// 责任单位代码（含下级）/ unit code, its subtree included
        #[arg(long)]
        unit: Option<String>,
        /// 阶段 / stage code or label
        #[arg(long)]
        stage: Option<String>,
        /// 产业类别 / industry code
        #[arg(long)]
        industry: Option<String>,
        /// 来源地 / region code
        #[arg(long)]
        region: Option<String>,
        /// 关键词 / keyword in name, code or investor
        #[arg(long)]
        q: Option<String>,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// 创建用户（密码从标准输入读取）/ create a user; the password is read from stdin
    Create {
        #[arg(long)]
        username: String,
        /// 角色 / role: sysadmin, secadmin, auditor, city_admin, unit_staff, dept_staff, leader, supervisor
        #[arg(long)]
        role: Vec<String>,
        /// 所属单位代码 / unit code (e.g. jinshui)
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
        /// 从标准输入读取密码 / read the password from standard input
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// 重置密码（从标准输入读取；下次登录须修改）/ set a new password, read from stdin; it must be changed at the next login
    ResetPassword {
        #[arg(long)]
        username: String,
        /// 从标准输入读取密码 / read the password from standard input
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// 停用账号（结束其全部会话）/ disable an account and end its sessions
    Disable {
        #[arg(long)]
        username: String,
    },
    /// 启用账号 / enable an account
    Enable {
        #[arg(long)]
        username: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// 校验审计日志哈希链 / verify the audit hash chain
    Verify,
}

/// A failure with a one-line Chinese / English message.
struct Fail(String);

impl<E: std::fmt::Display> From<E> for Fail {
    fn from(e: E) -> Self {
        Fail(e.to_string())
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("错误 / error: 无法启动运行时 / cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail(msg)) => {
            eprintln!("错误 / error: {}", msg.lines().next().unwrap_or_default());
            ExitCode::FAILURE
        }
    }
}

async fn open(cfg: &Config) -> Result<Store, Fail> {
    Store::open(&StoreConfig { url: cfg.database_url.clone(), max_connections: cfg.max_connections })
        .await
        .map_err(|e| Fail(format!("无法打开数据库 / cannot open the database {}: {e}", redact(&cfg.database_url))))
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}://{user}:***{}", &url[..s], &url[at..]),
            None => url.to_string(),
        },
        _ => url.to_string(),
    }
}

async fn run(cli: Cli) -> Result<(), Fail> {
    let file = FileConfig::load(cli.config.as_deref()).map_err(Fail)?;
    let bind_flag = match &cli.command {
        Command::Serve { bind, .. } => bind.clone(),
        _ => None,
    };
    let cfg = Config::resolve(file, cli.database_url, bind_flag, cli.data_dir).map_err(Fail)?;
    match cli.command {
        Command::Migrate => {
            open(&cfg).await?;
            println!("数据库已是最新结构 / the schema is up to date");
            Ok(())
        }
        Command::Demo { projects, seed } => {
            let store = open(&cfg).await?;
            let password = std::env::var("ZHAOSHANG_DEMO_PASSWORD").unwrap_or_else(|_| demo_load::generated_password());
            check_demo_password(&password)?;
            let folder = store::attachments::Folder::new(&cfg.web.attachments_dir);
            let loaded = demo_load::load(&store, &folder, seed, projects, &password).await.map_err(Fail)?;
            demo_load::print_logins(&loaded);
            Ok(())
        }
        Command::Serve { demo, .. } => {
            let store = open(&cfg).await?;
            std::fs::create_dir_all(&cfg.data_dir).map_err(|e| {
                Fail(format!("无法创建数据目录 / cannot create the data folder {}: {e}", cfg.data_dir.display()))
            })?;
            if demo && store.scoped(&Actor::system("serve")).count_users().await? == 0 {
                let password =
                    std::env::var("ZHAOSHANG_DEMO_PASSWORD").unwrap_or_else(|_| demo_load::generated_password());
                check_demo_password(&password)?;
                let folder = store::attachments::Folder::new(&cfg.web.attachments_dir);
                let loaded =
                    demo_load::load(&store, &folder, 2018, demo::STANDARD_PROJECTS, &password).await.map_err(Fail)?;
                demo_load::print_logins(&loaded);
            } else if demo {
                println!("数据库已有数据，未重复载入演示数据 / the database is not empty: demo data not loaded again");
            }
            warnings_cmd::spawn_daily(store.clone());
            let state = web::AppState::new(store, cfg.web.clone()).map_err(Fail)?;
            let app = web::router(state);
            let listener = tokio::net::TcpListener::bind(&cfg.bind)
                .await
                .map_err(|e| Fail(format!("无法监听 / cannot listen on {}: {e}", cfg.bind)))?;
            let addr = listener.local_addr()?;
            println!(
                "zhaoshang 已启动 / listening on http://{addr}  （数据库 / database: {}）",
                redact(&cfg.database_url)
            );
            web::serve(listener, app).await?;
            Ok(())
        }
        Command::Admin { command: AdminCommand::Create { username, role, unit, display_name, password_stdin: _ } } => {
            let roles: Vec<Role> = role
                .iter()
                .flat_map(|r| r.split(','))
                .map(|r| Role::parse(r).ok_or_else(|| Fail(format!("未知角色 / unknown role: {r}"))))
                .collect::<Result<_, _>>()?;
            let pw = read_password(&username)?;
            let store = open(&cfg).await?;
            let hash = web::password::hash_with(&pw, cfg.web.password_kdf).map_err(Fail)?;
            let u = store
                .scoped(&Actor::system("cli"))
                .create_user(store::users::NewUser {
                    display_name: display_name.unwrap_or_else(|| username.clone()),
                    username,
                    password_hash: hash,
                    roles,
                    unit,
                    must_change_password: false,
                })
                .await
                .map_err(store_fail)?;
            println!("已创建用户 / created user {} (id {})", u.username, u.id);
            Ok(())
        }
        // The three administrator accounts are managed here only: no web user may change,
        // disable or reset them (三员分立). Each change is audited as `system:cli`.
        Command::Admin { command: AdminCommand::ResetPassword { username, password_stdin: _ } } => {
            let pw = read_password(&username)?;
            let store = open(&cfg).await?;
            let id = user_id(&store, &username).await?;
            let hash = web::password::hash_with(&pw, cfg.web.password_kdf).map_err(Fail)?;
            store.scoped(&Actor::system("cli")).reset_password(id, hash).await.map_err(store_fail)?;
            println!(
                "已重置密码，下次登录须修改 / password reset for {username}; it must be changed at the next login"
            );
            Ok(())
        }
        Command::Admin { command: AdminCommand::Disable { username } } => set_disabled(&cfg, &username, true).await,
        Command::Admin { command: AdminCommand::Enable { username } } => set_disabled(&cfg, &username, false).await,
        Command::Settings { command: SettingsCommand::ReviewPolicy { policy } } => {
            let store = open(&cfg).await?;
            let cli = Actor::system("cli");
            let scoped = store.scoped(&cli);
            let now = match policy {
                None => scoped.review_policy().await.map_err(store_fail)?,
                Some(p) => {
                    let p = domain::review::ReviewPolicy::parse(&p).ok_or_else(|| {
                        Fail(format!("审核范围应为 all_projects 或 city_reportable_only / unknown policy: {p}"))
                    })?;
                    scoped.set_review_policy(p).await.map_err(store_fail)?
                }
            };
            println!("审核范围 / review policy: {}（{}）", now.code(), now.label());
            Ok(())
        }
        Command::Settings { command: SettingsCommand::Thresholds { key, value } } => {
            let store = open(&cfg).await?;
            let cli = Actor::system("cli");
            let scoped = store.scoped(&cli);
            let now = match (key, value) {
                (None, _) => scoped.warning_thresholds().await.map_err(store_fail)?,
                (Some(k), Some(v)) => scoped.set_threshold(k, v).await.map_err(store_fail)?,
                (Some(k), None) => return Err(Fail(format!("请给出 {k} 的新值 / give a value for {k}"))),
            };
            for s in domain::warnings::THRESHOLD_SETTINGS {
                println!("{:<32} {:>5} {}  {}", s.key, s.value(&now), s.unit, s.label);
            }
            Ok(())
        }
        Command::Import { command: ImportCommand::Ledger { file, unit, dry_run } } => {
            let store = open(&cfg).await?;
            let mut actor = Actor::system("cli:import");
            if let Some(u) = unit {
                let tree = store.unit_tree();
                let found = tree.find(&u).ok_or_else(|| Fail(format!("单位不存在 / unknown unit: {u}")))?;
                let mut ids = tree.subtree(found.id);
                ids.sort_unstable();
                actor.scope = store::Scope::Units(ids);
                actor.unit_id = Some(found.id);
            }
            let bytes =
                std::fs::read(&file).map_err(|e| Fail(format!("无法读取 / cannot read {}: {e}", file.display())))?;
            let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            let r = web::ledger::import_file(&store, &actor, web::ledger::Upload { file_name: &name, bytes, dry_run })
                .await
                .map_err(|e| Fail(format!("导入失败 / import refused: {}", api_message(e))))?;
            for e in &r.errors {
                println!("第{}行「{}」「{}」：{}", e.row, e.column, e.value, e.message);
            }
            for w in &r.warnings {
                println!("提醒 / warning: 第{}行「{}」「{}」：{}", w.row, w.column, w.value, w.message);
            }
            if !r.unknown_columns.is_empty() {
                println!("未识别的列（已忽略）/ unknown columns (ignored): {}", r.unknown_columns.join("、"));
            }
            let what = if r.committed { "已导入 / imported" } else { "未写入 / nothing written" };
            println!(
                "{what}: {} 行 rows, 新建 created {}, 更新 updated {}, 无变化 unchanged {}, 错误 errors {}",
                r.rows, r.created, r.updated, r.unchanged, r.error_count
            );
            if r.errors.is_empty() {
                Ok(())
            } else {
                Err(Fail(format!(
                    "台账有 {} 处错误，未导入 / {} errors, nothing imported",
                    r.error_count, r.error_count
                )))
            }
        }
        Command::Export { command: ExportCommand::Ledger { output, unit, stage, industry, region, q } } => {
            let store = open(&cfg).await?;
            let mut query = std::collections::BTreeMap::new();
            for (k, v) in [("unit", unit), ("stage", stage), ("industry", industry), ("region", region), ("q", q)] {
                if let Some(v) = v {
                    query.insert(k.to_string(), v);
                }
            }
            let (_, bytes) = web::ledger::export_file(&store, &Actor::system("cli:export"), &query)
                .await
                .map_err(|e| Fail(format!("导出失败 / export failed: {}", api_message(e))))?;
            std::fs::write(&output, &bytes)
                .map_err(|e| Fail(format!("无法写入 / cannot write {}: {e}", output.display())))?;
            println!("已导出 / exported {} ({} 字节 bytes)", output.display(), bytes.len());
            Ok(())
        }
        Command::Leaders { command: LeadersCommand::Match { apply, unit } } => {
            let store = open(&cfg).await?;
            let mut actor = Actor::system("cli:leaders");
            if let Some(u) = unit {
                let tree = store.unit_tree();
                let found = tree.find(&u).ok_or_else(|| Fail(format!("单位不存在 / unknown unit: {u}")))?;
                actor.scope = store::Scope::Units(tree.subtree(found.id));
                actor.unit_id = Some(found.id);
            }
            let r = store.scoped(&actor).link_lead_leaders(apply).await.map_err(store_fail)?;
            for l in &r.linked {
                println!(
                    "匹配 / match: {} {}「{}」→ {}（编号 {}）",
                    l.code, l.project_name, l.text, l.leader, l.leader_id
                );
            }
            for u in &r.unlinked {
                println!(
                    "未匹配 / no match: {} {}（{}）「{}」：{}",
                    u.code, u.project_name, u.unit_name, u.text, u.reason
                );
            }
            let what = if apply {
                "已关联 / linked"
            } else {
                "可关联（未写入，加 --apply 写入）/ would link (nothing written)"
            };
            println!("{what}: {}; 未匹配 / not matched: {}", r.linked.len(), r.unlinked.len());
            Ok(())
        }
        Command::Assess { scheme, format, as_of, output } => {
            let opts = assess_cmd::Options::new(format, as_of.as_deref(), output).map_err(Fail)?;
            let store = open(&cfg).await?;
            assess_cmd::run(&store, &scheme, &opts).await.map_err(Fail)
        }
        Command::Warnings { as_of, unit } => {
            let store = open(&cfg).await?;
            warnings_cmd::run(&store, as_of, unit).await.map_err(Fail)
        }
        Command::Audit { command: AuditCommand::Verify } => {
            let store = open(&cfg).await?;
            let v = store.verify_audit().await?;
            if v.ok {
                println!("审计日志完整 / audit chain intact: {} 条记录 records", v.records);
                Ok(())
            } else {
                Err(Fail(format!(
                    "审计日志在第 {} 号记录处断开 / audit chain broken at record {}: {}",
                    v.broken_at.unwrap_or_default(),
                    v.broken_at.unwrap_or_default(),
                    v.reason.unwrap_or_default()
                )))
            }
        }
    }
}

/// An API error as one line of text for the terminal.
fn api_message(e: web::ApiError) -> String {
    match e {
        web::ApiError::Validation(f) => f.into_iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("; "),
        web::ApiError::Conflict(m) | web::ApiError::BadRequest(m) | web::ApiError::Internal(m) => m,
        other => format!("{other:?}"),
    }
}

/// The password from standard input (one line), checked against the policy.
fn read_password(username: &str) -> Result<String, Fail> {
    let mut pw = String::new();
    std::io::stdin()
        .read_to_string(&mut pw)
        .map_err(|e| Fail(format!("无法读取密码 / cannot read the password: {e}")))?;
    let pw = pw.trim_end_matches(['\n', '\r']).to_string();
    domain::password::check(&pw, username).map_err(|e| Fail(format!("密码不符合策略 / password policy: {e}")))?;
    Ok(pw)
}

/// A store refusal as one line, each field named.
fn store_fail(e: store::StoreError) -> Fail {
    match e {
        store::StoreError::Validation(f) => {
            Fail(f.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("; "))
        }
        other => Fail(other.to_string()),
    }
}

async fn user_id(store: &Store, username: &str) -> Result<i64, Fail> {
    match store.credentials(username).await? {
        Some(c) => Ok(c.user.id),
        None => Err(Fail(format!("用户不存在 / no such user: {username}"))),
    }
}

async fn set_disabled(cfg: &Config, username: &str, disabled: bool) -> Result<(), Fail> {
    let store = open(cfg).await?;
    let id = user_id(&store, username).await?;
    let patch = store::users::UserPatch { disabled: Some(disabled), ..Default::default() };
    store.scoped(&Actor::system("cli")).update_user(id, patch).await.map_err(store_fail)?;
    if disabled {
        println!("已停用，会话已结束 / {username} disabled, its sessions ended");
    } else {
        println!("已启用 / {username} enabled");
    }
    Ok(())
}

fn check_demo_password(pw: &str) -> Result<(), Fail> {
    // Every demo login shares it, so it must not contain any of their usernames.
    demo_load::DEMO_USERS
        .iter()
        .try_for_each(|(u, ..)| domain::password::check(pw, u))
        .map_err(|e| Fail(format!("ZHAOSHANG_DEMO_PASSWORD 不符合密码策略 / violates the password policy: {e}")))
}
