//! The effective configuration: command-line options and `HUSLY_*` variables first, then the
//! optional TOML file, then defaults. Loaded once and validated before anything runs.

use crate::cli::GlobalOptions;
use anyhow::{Context, bail};
use husly_store::db::SqliteSync;
use husly_web::config::SecureCookies;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "./husly-data";

/// The TOML file's shape. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub addr: Option<String>,
    pub log_format: Option<String>,
    pub lang: Option<String>,
    pub demo: Option<bool>,
    pub secure_cookies: Option<SecureCookies>,
    pub behind_proxy: Option<bool>,
    pub max_body_bytes: Option<usize>,
    pub max_document_bytes: Option<usize>,
    pub max_connections: Option<u32>,
    pub sqlite_synchronous: Option<SqliteSync>,
    pub session_cache_ms: Option<u64>,
    pub live_values_secs: Option<u64>,
    pub metrics_token: Option<String>,
    pub audit_checkpoint_key: Option<String>,
    pub apply_drafts_per_hour: Option<u32>,
    pub apply_documents_per_draft: Option<u32>,
    pub apply_bytes_per_draft: Option<u64>,
    pub apply_bytes_per_municipality_per_day: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub data_dir: PathBuf,
    pub addr: String,
    pub json_logs: bool,
    pub lang: husly_domain::Lang,
    pub demo: bool,
    pub secure_cookies: SecureCookies,
    pub behind_proxy: bool,
    pub max_body_bytes: usize,
    pub max_document_bytes: usize,
    pub max_connections: u32,
    pub sqlite_sync: SqliteSync,
    /// How long a server uses a session it read before reading it again: the longest another
    /// server may go on accepting a session ended or a user changed on this one.
    pub session_cache: std::time::Duration,
    /// How long this year's computed indicator values are shown before they are computed again.
    pub live_values: std::time::Duration,
    /// The bearer token `/metrics` asks for (`HUSLY_METRICS_TOKEN` or the file's `metrics_token`).
    pub metrics_token: Option<String>,
    /// The key audit checkpoints are signed with (`HUSLY_AUDIT_CHECKPOINT_KEY` or the file's
    /// `audit_checkpoint_key`); without one, a key file in the data directory.
    pub audit_checkpoint_key: Option<String>,
    /// Quotas on the self-service door.
    pub apply_drafts_per_hour: u32,
    pub apply_documents_per_draft: u32,
    pub apply_bytes_per_draft: u64,
    pub apply_bytes_per_municipality_per_day: u64,
}

impl Config {
    pub fn load(global: &GlobalOptions, addr: Option<&str>, demo_flag: bool) -> anyhow::Result<Config> {
        let web_defaults = husly_web::WebConfig::default();
        let file = match &global.config {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        let data_dir = global
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let database_url = match global.database.clone().or(file.database) {
            Some(url) => url,
            None => husly_store::db::sqlite_url_for(&data_dir.join("husly.db")),
        };
        let backend = husly_store::db::backend_of(&database_url).map_err(|e| anyhow::anyhow!("--database: {e}"))?;
        let is_sqlite = backend == husly_store::Backend::Sqlite;
        let log_format = global
            .log_format
            .clone()
            .or(file.log_format)
            .unwrap_or_else(|| "text".into());
        let json_logs = match log_format.as_str() {
            "text" => false,
            "json" => true,
            other => bail!("--log-format must be text or json, not {other:?}"),
        };
        let lang = match global.lang.clone().or(file.lang) {
            None => husly_domain::Lang::Nb,
            Some(code) => husly_domain::Lang::from_code(&code)
                .with_context(|| format!("--lang must be nb or en, not {code:?}"))?,
        };
        let max_body_bytes = file.max_body_bytes.unwrap_or(64 * 1024);
        if !(1024..=64 * 1024 * 1024).contains(&max_body_bytes) {
            bail!("max_body_bytes must be between 1 KiB and 64 MiB");
        }
        let max_document_bytes = file.max_document_bytes.unwrap_or(10 * 1024 * 1024);
        if !(1024..=100 * 1024 * 1024).contains(&max_document_bytes) {
            bail!("max_document_bytes must be between 1 KiB and 100 MiB");
        }
        let session_cache_ms = file.session_cache_ms.unwrap_or(2_000);
        if session_cache_ms > 60_000 {
            bail!("session_cache_ms must be between 0 (read every request) and 60000 (one minute)");
        }
        let live_values_secs = file
            .live_values_secs
            .unwrap_or(husly_usecases::live_values::DEFAULT_TTL.as_secs());
        if live_values_secs > 3_600 {
            bail!("live_values_secs must be between 0 (compute on every view) and 3600 (one hour)");
        }
        Ok(Config {
            database_url,
            data_dir,
            addr: addr
                .map(str::to_string)
                .or(file.addr)
                .unwrap_or_else(|| DEFAULT_ADDR.into()),
            json_logs,
            lang,
            demo: demo_flag || file.demo.unwrap_or(false),
            secure_cookies: file.secure_cookies.unwrap_or_default(),
            behind_proxy: file.behind_proxy.unwrap_or(false),
            max_body_bytes,
            max_document_bytes,
            // SQLite has one writer and this machine's cores to read with: a few connections
            // serve it fully, and each costs a page cache and a worker thread.
            max_connections: file
                .max_connections
                .unwrap_or(if is_sqlite { 6 } else { 16 })
                .clamp(1, 512),
            sqlite_sync: file.sqlite_synchronous.unwrap_or_default(),
            session_cache: std::time::Duration::from_millis(session_cache_ms),
            live_values: std::time::Duration::from_secs(live_values_secs),
            metrics_token: std::env::var("HUSLY_METRICS_TOKEN")
                .ok()
                .or(file.metrics_token)
                .filter(|t| !t.trim().is_empty()),
            audit_checkpoint_key: std::env::var("HUSLY_AUDIT_CHECKPOINT_KEY")
                .ok()
                .or(file.audit_checkpoint_key)
                .filter(|t| !t.trim().is_empty()),
            apply_drafts_per_hour: file
                .apply_drafts_per_hour
                .unwrap_or(web_defaults.apply_drafts_per_hour)
                .max(1),
            apply_documents_per_draft: file
                .apply_documents_per_draft
                .unwrap_or(web_defaults.apply_documents_per_draft)
                .max(1),
            apply_bytes_per_draft: file
                .apply_bytes_per_draft
                .unwrap_or(web_defaults.apply_bytes_per_draft)
                .max(1),
            apply_bytes_per_municipality_per_day: file
                .apply_bytes_per_municipality_per_day
                .unwrap_or(web_defaults.apply_bytes_per_municipality_per_day)
                .max(1),
        })
    }

    /// The configuration as text, with the database password replaced.
    pub fn redacted(&self) -> String {
        format!(
            "database = {:?}\ndata_dir = {:?}\naddr = {:?}\nlog_format = {:?}\nlang = {:?}\ndemo = {}\nsecure_cookies = {:?}\nbehind_proxy = {}\nmax_body_bytes = {}\nmax_document_bytes = {}\nmax_connections = {}\nsqlite_synchronous = {:?}\nsession_cache_ms = {}\nlive_values_secs = {}\nmetrics_token = {}\naudit_checkpoint_key = {}\napply_drafts_per_hour = {}\napply_documents_per_draft = {}\napply_bytes_per_draft = {}\napply_bytes_per_municipality_per_day = {}\n",
            redact_url(&self.database_url),
            self.data_dir.display().to_string(),
            self.addr,
            if self.json_logs { "json" } else { "text" },
            self.lang.code(),
            self.demo,
            self.secure_cookies,
            self.behind_proxy,
            self.max_body_bytes,
            self.max_document_bytes,
            self.max_connections,
            self.sqlite_sync,
            self.session_cache.as_millis(),
            self.live_values.as_secs(),
            if self.metrics_token.is_some() {
                "\"***\""
            } else {
                "(none: this machine only)"
            },
            if self.audit_checkpoint_key.is_some() {
                "\"***\""
            } else {
                "(none: a key file in the data directory)"
            },
            self.apply_drafts_per_hour,
            self.apply_documents_per_draft,
            self.apply_bytes_per_draft,
            self.apply_bytes_per_municipality_per_day,
        )
    }
}

fn read_file(path: &Path) -> anyhow::Result<FileConfig> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading configuration file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("configuration file {}", path.display()))
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://husly:s3cret@db:5432/husly"),
            "postgres://husly:***@db:5432/husly"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(
            redact_url("sqlite://./husly-data/husly.db?mode=rwc"),
            "sqlite://./husly-data/husly.db?mode=rwc"
        );
    }
}
