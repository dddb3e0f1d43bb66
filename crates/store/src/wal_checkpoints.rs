//! SQLite's log copied back into the database file on a thread of its own, off the commits that
//! requests wait for.
//!
//! In WAL mode a commit appends pages to the log, and SQLite copies the log back into the database
//! file (a checkpoint, which ends with an fsync of the file) inside whichever commit brings the log
//! past 1 000 pages. On Husly that is nearly always the read-audit appender's commit, which every
//! page view waits for (`group_commit`): each checkpoint's copying and fsync landed on every
//! request of that batch. The store turns the automatic checkpoint off on its own connections when
//! this thread runs, and the thread checkpoints every [`EVERY`]. A passive checkpoint waits for no
//! one: it copies what no reader still needs and leaves the rest for the next round, so the log
//! stays at what is written in about one interval (a few megabytes under load) plus what long
//! reads hold.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How often the log is copied back.
const EVERY: Duration = Duration::from_millis(200);

/// A log this long (pages) after a checkpoint means readers hold it back; worth a warning.
const LONG_LOG: i64 = 100_000;

/// The running checkpoint thread; it stops when this is dropped or [`WalCheckpoints::stop`] is
/// called.
pub(crate) struct WalCheckpoints {
    stop: std::sync::Mutex<Option<mpsc::Sender<()>>>,
    /// Pages copied back so far (for tests and the log).
    copied: Arc<AtomicU64>,
}

impl WalCheckpoints {
    /// Starts the thread for the database file at `path`.
    pub(crate) fn start(path: &Path) -> std::io::Result<WalCheckpoints> {
        let (stop, stopped) = mpsc::channel();
        let copied = Arc::new(AtomicU64::new(0));
        let path = path.to_path_buf();
        let counter = copied.clone();
        std::thread::Builder::new()
            .name("sqlite-checkpoints".into())
            .spawn(move || run(&path, &stopped, &counter))?;
        Ok(WalCheckpoints {
            stop: std::sync::Mutex::new(Some(stop)),
            copied,
        })
    }

    /// Stops the thread; the last connection to close copies back what is left (SQLite does that
    /// on its own).
    pub(crate) fn stop(&self) {
        if let Ok(mut stop) = self.stop.lock()
            && stop.take().is_some()
        {
            tracing::debug!(pages = self.copied.load(Ordering::Relaxed), "checkpoint thread stopped");
        }
    }

    /// Pages copied back since the start.
    #[cfg(test)]
    pub(crate) fn pages_copied(&self) -> u64 {
        self.copied.load(Ordering::Relaxed)
    }
}

fn run(path: &Path, stopped: &mpsc::Receiver<()>, copied: &AtomicU64) {
    let mut conn = None;
    loop {
        match stopped.recv_timeout(EVERY) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
        }
        if conn.is_none() {
            conn = match rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE) {
                Ok(opened) => Some(opened),
                // The file was removed (a test's database): nothing left to copy back to.
                Err(_) if !path.exists() => return,
                Err(e) => {
                    tracing::error!(error = %e, "the checkpoint thread cannot open the database; tries again");
                    continue;
                }
            };
        }
        let Some(open) = &conn else { continue };
        match checkpoint(open) {
            Ok((log, done)) => {
                copied.fetch_add(u64::try_from(done).unwrap_or(0), Ordering::Relaxed);
                if log - done > LONG_LOG {
                    tracing::warn!(pages = log - done, "the SQLite log is long: a long read holds it back");
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "checkpoint failed; tries again");
                conn = None;
            }
        }
    }
}

/// One passive checkpoint: the log's length and the pages copied back, in pages.
fn checkpoint(conn: &rusqlite::Connection) -> rusqlite::Result<(i64, i64)> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
        Ok((row.get(1)?, row.get(2)?))
    })
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn commits_leave_the_log_to_the_checkpoint_thread() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("husly.db").display());
        let store = crate::Store::connect(&url, &crate::StoreOptions::default())
            .await
            .expect("connect");
        let mut conn = store.pool().acquire().await.expect("acquire");
        let automatic: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint")
            .fetch_one(&mut *conn)
            .await
            .expect("pragma");
        assert_eq!(automatic, 0, "the store's connections leave checkpoints to the thread");
        drop(conn);
        sqlx::raw_sql("CREATE TABLE filler (n INTEGER PRIMARY KEY, text TEXT NOT NULL)")
            .execute(store.pool())
            .await
            .expect("create");
        for n in 0..200 {
            sqlx::query("INSERT INTO filler (n, text) VALUES ($1, $2)")
                .bind(n)
                .bind("x".repeat(8_000))
                .execute(store.pool())
                .await
                .expect("insert");
        }
        let thread = store.shared.wal.as_ref().expect("a file database has the thread");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while thread.pages_copied() < 400 {
            assert!(
                std::time::Instant::now() < deadline,
                "copied {} pages",
                thread.pages_copied()
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        store.close().await;
    }
}
