//! One module per group of commands.

pub mod calc;
pub mod checkpoints;
pub mod data;
pub mod demo_allocation;
pub mod idcheck;
pub mod ledger;
pub mod scheduler;
pub mod serve;
pub mod users;
pub mod verify_draw;

use crate::config::Config;
use husly_store::{Store, StoreOptions};
use tracing_subscriber::EnvFilter;

/// Logs go to standard error (standard output carries command results). `RUST_LOG` may refine
/// the level; the default is `info` for Husly and `warn` for libraries.
pub fn init_logging(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("warn,husly=info,husly_web=info,husly_store=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Creates a directory (and its parents) that only its owner may enter (0700), for the database
/// and backups. A directory that already exists keeps the permissions its owner gave it.
pub fn private_dir(path: &std::path::Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// The stores the command opened, closed when it ends ([`close_opened_stores`]).
static OPENED: std::sync::Mutex<Vec<Store>> = std::sync::Mutex::new(Vec::new());

/// Opens the database (creating the data directory for SQLite) and applies migrations. The store
/// is closed when the command ends, whether it succeeded or not.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    if config.database_url.starts_with("sqlite:") {
        private_dir(&config.data_dir)
            .map_err(|e| anyhow::anyhow!("could not create the data directory {}: {e}", config.data_dir.display()))?;
    }
    let options = StoreOptions {
        max_connections: config.max_connections,
        sqlite_sync: config.sqlite_sync,
        session_cache: config.session_cache,
    };
    let store = Store::connect(&config.database_url, &options).await.map_err(|e| {
        anyhow::anyhow!(
            "could not open the database {}: {e}",
            crate::config::redact_url(&config.database_url)
        )
    })?;
    if let Ok(mut opened) = OPENED.lock() {
        opened.push(store.clone());
    }
    store.migrate().await?;
    Ok(store)
}

/// Closes the stores the command opened. On SQLite, the last connection to close folds the
/// write-ahead log into the database file and removes it, so that the database is one file
/// again (`husly.db` alone holds everything) once a command such as `husly migrate` or
/// `husly seed` has ended; without it, a seeded database's rows would sit in `husly.db-wal`.
pub async fn close_opened_stores() {
    let opened = match OPENED.lock() {
        Ok(mut opened) => std::mem::take(&mut *opened),
        Err(_) => return,
    };
    for store in opened {
        store.close().await;
    }
}
