//! Audit checkpoints outside the database: the server appends the chains' signed heads to
//! `audit-checkpoints.jsonl` in the data directory (and to its log) at start, every ten minutes
//! and at shutdown; `husly audit verify` checks the database against them.

use crate::config::Config;
use anyhow::Context;
use husly_store::Store;
use husly_store::checkpoint::Checkpoint;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// How often the running server writes a checkpoint.
pub const INTERVAL: Duration = Duration::from_secs(10 * 60);

/// The checkpoint file in the data directory.
pub fn file(config: &Config) -> PathBuf {
    config.data_dir.join("audit-checkpoints.jsonl")
}

/// The signing key: the configured one (`audit_checkpoint_key`, `HUSLY_AUDIT_CHECKPOINT_KEY`),
/// else a random key in the data directory, created on first use (0600). Never in the database.
pub fn key(config: &Config) -> anyhow::Result<Vec<u8>> {
    if let Some(key) = &config.audit_checkpoint_key {
        return Ok(key.as_bytes().to_vec());
    }
    let path = config.data_dir.join("audit-checkpoint.key");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        return Ok(existing.trim().as_bytes().to_vec());
    }
    super::private_dir(&config.data_dir).with_context(|| format!("could not create {}", config.data_dir.display()))?;
    let key = husly_store::accounts::new_secret("");
    let mut out = private_append(&path).with_context(|| format!("could not write {}", path.display()))?;
    writeln!(out, "{key}")?;
    Ok(key.into_bytes())
}

/// Appends a checkpoint of every chain's head now to the file and the log.
pub async fn write(store: &Store, config: &Config, key: &[u8]) -> anyhow::Result<Checkpoint> {
    let now = time::OffsetDateTime::now_utc();
    let at = i64::try_from(now.unix_timestamp_nanos() / 1000).unwrap_or(i64::MAX);
    let checkpoint = store.audit_checkpoint(key, at).await?;
    let line = checkpoint.to_line();
    let path = file(config);
    let mut out = private_append(&path).with_context(|| format!("could not write {}", path.display()))?;
    writeln!(out, "{line}")?;
    out.sync_data()?;
    // The chain names are municipality ids and the hashes say nothing about anyone.
    tracing::info!(checkpoint = %line, "audit checkpoint");
    Ok(checkpoint)
}

/// A file opened for appending only, readable by its owner alone.
fn private_append(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}
