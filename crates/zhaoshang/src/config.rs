//! Configuration: flags win over environment variables, which win over the TOML file
//! (api.md, last section), which wins over the defaults.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/zhaoshang.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// The optional `zhaoshang.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub bind: Option<String>,
    pub data_dir: Option<PathBuf>,
    /// The evidence files' folder; relative to the data folder unless absolute
    /// (default `attachments`, i.e. `<data dir>/attachments`). Never a served folder.
    pub attachments_dir: Option<PathBuf>,
    /// Largest evidence file in MiB (1 to 50; default 50, security.md §14).
    pub max_attachment_mib: Option<u64>,
    pub max_connections: Option<u32>,
    pub trusted_proxy: Option<IpAddr>,
    /// Cached read responses kept (0 turns the cache off).
    pub cache_entries: Option<usize>,
    /// "argon2id" (default) or "pbkdf2-sm3" (商用密码 deployments) for new password hashes.
    pub password_kdf: Option<String>,
    /// The three administrator roles must use a TOTP second factor.
    pub totp_required_for_admins: Option<bool>,
    /// Days before a password must be changed (0 turns rotation off; 等保 default 90).
    pub password_max_age_days: Option<i64>,
    /// Days audit and login records are kept (等保 level 3: at least 184, i.e. six months).
    pub audit_retention_days: Option<i64>,
    /// Mark the session cookie `Secure` (the site is served over HTTPS).
    pub cookie_secure: Option<bool>,
    #[serde(default)]
    pub session: SessionConfig,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionConfig {
    pub idle_minutes: Option<i64>,
    pub absolute_hours: Option<i64>,
}

impl FileConfig {
    /// Read `path`; a missing default file is fine, a missing named file is an error.
    pub fn load(path: Option<&Path>) -> Result<FileConfig, String> {
        let (path, required) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from("zhaoshang.toml"), false),
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text)
                .map_err(|e| format!("配置文件 {} 有误 / invalid config file: {e}", path.display())),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
            Err(e) => Err(format!("无法读取配置文件 {} / cannot read config file: {e}", path.display())),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: String,
    pub data_dir: PathBuf,
    pub max_connections: u32,
    pub web: web::WebConfig,
}

impl Config {
    pub fn resolve(
        file: FileConfig,
        database_url: Option<String>,
        bind: Option<String>,
        data_dir: Option<PathBuf>,
    ) -> Result<Config, String> {
        let mut w = web::WebConfig { trusted_proxy: file.trusted_proxy, ..Default::default() };
        if let Some(c) = file.cookie_secure {
            w.cookie_secure = c;
        }
        if let Some(t) = file.totp_required_for_admins {
            w.totp_required_for_admins = t;
        }
        if let Some(k) = file.password_kdf.as_deref() {
            w.password_kdf = web::password::Kdf::parse(k).ok_or_else(|| {
                format!("password_kdf 应为 argon2id 或 pbkdf2-sm3 / must be argon2id or pbkdf2-sm3, not {k}")
            })?;
        }
        match file.password_max_age_days {
            Some(0) => w.password_max_age = None,
            Some(d) if (1..=3650).contains(&d) => w.password_max_age = Some(chrono::Duration::days(d)),
            Some(_) => return Err("password_max_age_days 应为0（不强制）或1到3650 / must be 0 or 1..=3650".into()),
            None => {}
        }
        match file.audit_retention_days {
            Some(d) if d < web::MIN_AUDIT_RETENTION_DAYS => {
                return Err(format!(
                    "audit_retention_days 不得少于{min}天（等保三级要求日志至少保存6个月）/ must be at least {min} days",
                    min = web::MIN_AUDIT_RETENTION_DAYS
                ));
            }
            Some(d) if d > 36_500 => return Err("audit_retention_days 不得超过36500 / must be at most 36500".into()),
            Some(d) => w.audit_retention_days = d,
            None => {}
        }
        if let Some(n) = file.cache_entries {
            w.response_cache_entries = n.min(100_000);
        }
        if let Some(m) = file.session.idle_minutes {
            if !(1..=24 * 60).contains(&m) {
                return Err("session.idle_minutes 应在1到1440之间 / must be 1..=1440".into());
            }
            w.session_idle = chrono::Duration::minutes(m);
        }
        if let Some(h) = file.session.absolute_hours {
            if !(1..=24 * 7).contains(&h) {
                return Err("session.absolute_hours 应在1到168之间 / must be 1..=168".into());
            }
            w.session_absolute = chrono::Duration::hours(h);
        }
        let max_connections = file.max_connections.unwrap_or(8);
        if !(1..=200).contains(&max_connections) {
            return Err("max_connections 应在1到200之间 / must be 1..=200".into());
        }
        let data_dir = data_dir.or(file.data_dir).unwrap_or_else(|| PathBuf::from("./data"));
        w.attachments_dir = data_dir.join(file.attachments_dir.unwrap_or_else(|| PathBuf::from("attachments")));
        match file.max_attachment_mib {
            Some(m) if (1..=50).contains(&m) => w.attachment_limits.max_bytes = m * 1024 * 1024,
            Some(_) => return Err("max_attachment_mib 应在1到50之间 / must be 1..=50".into()),
            None => {}
        }
        Ok(Config {
            database_url: database_url.or(file.database_url).unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            bind: bind.or(file.bind).unwrap_or_else(|| DEFAULT_BIND.into()),
            data_dir,
            max_connections,
            web: w,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_file_beat_defaults() {
        let file: FileConfig =
            toml::from_str("database_url = \"sqlite://f.db\"\nbind = \"0.0.0.0:9000\"\n[session]\nidle_minutes = 10\n")
                .unwrap();
        let c = Config::resolve(file, Some("postgres://x/y".into()), None, None).unwrap();
        assert_eq!(c.database_url, "postgres://x/y");
        assert_eq!(c.bind, "0.0.0.0:9000");
        assert_eq!(c.web.session_idle, chrono::Duration::minutes(10));
        let d = Config::resolve(FileConfig::default(), None, None, None).unwrap();
        assert_eq!((d.database_url.as_str(), d.bind.as_str()), (DEFAULT_DATABASE_URL, DEFAULT_BIND));
    }

    #[test]
    fn attachments_live_below_the_data_folder() {
        let d = Config::resolve(FileConfig::default(), None, None, Some(PathBuf::from("/srv/zs"))).unwrap();
        assert_eq!(d.web.attachments_dir, PathBuf::from("/srv/zs/attachments"));
        assert_eq!(d.web.attachment_limits.max_bytes, 50 * 1024 * 1024);
        let file: FileConfig = toml::from_str("attachments_dir = \"evidence\"\nmax_attachment_mib = 10\n").unwrap();
        let c = Config::resolve(file, None, None, Some(PathBuf::from("/srv/zs"))).unwrap();
        assert_eq!(c.web.attachments_dir, PathBuf::from("/srv/zs/evidence"));
        assert_eq!(c.web.attachment_limits.max_bytes, 10 * 1024 * 1024);
        let file: FileConfig = toml::from_str("attachments_dir = \"/var/lib/zs-files\"\n").unwrap();
        let c = Config::resolve(file, None, None, None).unwrap();
        assert_eq!(c.web.attachments_dir, PathBuf::from("/var/lib/zs-files"));
        let file: FileConfig = toml::from_str("max_attachment_mib = 51\n").unwrap();
        assert!(Config::resolve(file, None, None, None).is_err(), "over the upload route's body limit");
    }

    #[test]
    fn bad_files_are_refused() {
        assert!(toml::from_str::<FileConfig>("databse_url = \"x\"").is_err(), "typos are not ignored");
        let file: FileConfig = toml::from_str("[session]\nidle_minutes = 0\n").unwrap();
        assert!(Config::resolve(file, None, None, None).is_err());
        let file: FileConfig = toml::from_str("password_max_age_days = -1\n").unwrap();
        assert!(Config::resolve(file, None, None, None).is_err());
        let file: FileConfig = toml::from_str("audit_retention_days = 183\n").unwrap();
        let e = Config::resolve(file, None, None, None).unwrap_err();
        assert!(e.contains("184"), "{e}");
        let file: FileConfig = toml::from_str("audit_retention_days = 184\n").unwrap();
        assert_eq!(Config::resolve(file, None, None, None).unwrap().web.audit_retention_days, 184);
        let file: FileConfig = toml::from_str("password_max_age_days = 0\n").unwrap();
        assert_eq!(Config::resolve(file, None, None, None).unwrap().web.password_max_age, None);
    }
}
