//! The access log's write-ahead log copied back into its file beside the commits, not inside them
//! (SQLite only).
//!
//! **Why.** Every audited page view waits for the group commit of its access-log entry
//! (`group_commit`). SQLite copies its write-ahead log back into the database file (a
//! checkpoint) when a commit leaves more than 1 000 pages in the log, inside that commit: the
//! copy and its two `fsync`s took 10–25 ms here, every hundred or so batches, and every request
//! waiting for those batches waited with them. Under 64 clients on the household page that was
//! one request in seven taking 16–24 ms instead of 4–10 (`docs/benchmarks.md`, "The access log's
//! checkpoints off the commit path").
//!
//! **How.** Every connection turns the automatic checkpoint off for the access file
//! (`PRAGMA access.wal_autocheckpoint = 0`, `db::connect`). A thread of the store's own, on a
//! connection of its own to that file, copies what has been committed every [`INTERVAL`] with a
//! passive checkpoint, which runs beside the commits and never blocks them. A passive checkpoint
//! cannot start the log over while commits keep coming (the next commit starts from the log's
//! beginning only when everything in it has been copied), so under sustained load the log would
//! grow without end. Once it holds more than [`BOUND`] pages, the thread asks the appender to
//! start it over: between two batches, holding the store's writer lock (so that no commit of this
//! server's is under way), the appender runs a passive checkpoint itself, which copies the few pages
//! the thread has not copied yet; with everything copied, the next batch writes from the log's
//! start. It never waits: a reader on an older snapshot (an export of the access log, say) only
//! postpones the restart to a later round. The thread cannot do this itself: it cannot tell when no
//! commit is under way, and a restarting checkpoint from it had SQLite's busy handler poll for the
//! writer's lock while the appender took it again and again. So one short pause every [`BOUND`]
//! pages instead of a long one every 1 000.
//!
//! The thread stops when the store closes (`Store::close`, before the connections, so that the
//! last of them can copy the log back and remove it, as it did) or is dropped. The data's own file
//! keeps SQLite's automatic
//! checkpoint: it is written by changes, which are few beside the reads.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use crate::Store;
use crate::error::StoreResult;
use sqlx::Row;

/// How often the committed pages are copied back.
pub(crate) const INTERVAL: Duration = Duration::from_millis(100);

/// The most pages the log holds before the appender starts it over (32 MiB at SQLite's 4 KiB
/// pages).
pub(crate) const BOUND: i64 = 8192;

/// The running copier; dropping it stops the thread at its next wake-up, [`AccessWal::stop`] at
/// once.
pub(crate) struct AccessWal {
    stop: mpsc::Sender<()>,
    thread: std::sync::Mutex<Option<std::thread::JoinHandle<()>>>,
    /// Set by the thread when the log has passed its bound, taken by the appender.
    restart_due: Arc<AtomicBool>,
}

impl AccessWal {
    /// Starts copying the log of the access file at `path` every `interval`, asking through
    /// `restart_due` for the log to be started over once it holds more than `bound` pages. A
    /// thread that cannot start is reported and left out: the log then grows until the last
    /// connection closes, which copies it back.
    pub(crate) fn start(
        path: &Path,
        interval: Duration,
        bound: i64,
        restart_due: Arc<AtomicBool>,
    ) -> Option<AccessWal> {
        let (stop, stopped) = mpsc::channel();
        let path = path.to_path_buf();
        let flag = Arc::clone(&restart_due);
        let started = std::thread::Builder::new()
            .name("husly-access-wal".into())
            .spawn(move || run(&path, &stopped, interval, bound, &flag));
        match started {
            Ok(thread) => Some(AccessWal {
                stop,
                thread: std::sync::Mutex::new(Some(thread)),
                restart_due,
            }),
            Err(e) => {
                tracing::error!(error = %e, "could not start copying the access log's write-ahead log");
                None
            }
        }
    }
}

impl AccessWal {
    /// Stops the thread and waits until its connection is closed, so that the store's last
    /// connection, closing after it, can copy the log back and remove it (`Store::close`).
    pub(crate) async fn stop(&self) {
        let _ = self.stop.send(());
        let thread = self.thread.lock().ok().and_then(|mut thread| thread.take());
        if let Some(thread) = thread {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

impl Store {
    /// Starts the access log's write-ahead log over if its copier asked for it (run by the
    /// appender between batches, so that no entry waits for it).
    pub(crate) async fn restart_access_log_if_due(&self) -> StoreResult<()> {
        let Some(due) = self.shared.access_wal.as_ref().map(|wal| &wal.restart_due) else {
            return Ok(());
        };
        if !due.swap(false, Ordering::AcqRel) {
            return Ok(());
        }
        // Under the writer lock, so that no commit of this server's is under way: everything the
        // log holds can be copied (the thread has copied all but the last few pages), and then
        // the next batch starts the log over. Passive, so that it never waits: while the thread
        // is copying (busy) or a reader holds an older snapshot, it is tried again after the
        // next batch.
        let _writer = self.writer_lock().await;
        let row = sqlx::query("PRAGMA access.wal_checkpoint(PASSIVE)")
            .fetch_one(&mut *self.conn().await?)
            .await?;
        let (busy, in_log, copied): (i64, i64, i64) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        if busy != 0 || copied < in_log {
            due.store(true, Ordering::Release);
        }
        Ok(())
    }
}

fn run(path: &Path, stopped: &mpsc::Receiver<()>, interval: Duration, bound: i64, restart_due: &AtomicBool) {
    let conn = match crate::direct::open_file(path) {
        Ok(conn) => conn,
        Err(e) => {
            tracing::error!(error = %e, "could not open the access log's file to copy its write-ahead log");
            return;
        }
    };
    loop {
        match stopped.recv_timeout(interval) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
        }
        match checkpoint(&conn) {
            Ok(in_log) if in_log > bound => restart_due.store(true, Ordering::Release),
            Ok(_) => {}
            // Retried at the next wake-up; the log is the durable record until then.
            Err(e) => tracing::warn!(error = %e, "copying the access log's write-ahead log failed"),
        }
    }
}

/// Copies what is committed back without holding up commits; returns how many pages the log
/// holds (-1 while the file is not in WAL mode yet: a new database before its first write).
fn checkpoint(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    // The row is (busy, pages in the log, pages copied back).
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Actor, Event};
    use crate::testing::TestDb;
    use std::path::PathBuf;

    /// Pages the log reached at most: its file is written from the start again when it starts
    /// over and never shrinks while open, so its length tells the longest it has been.
    fn most_pages_in_log(access: &Path) -> u64 {
        let wal = PathBuf::from(format!("{}-wal", access.display()));
        let len = std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0);
        // A 32-byte header, then a 24-byte header and a 4 096-byte page per frame.
        len.saturating_sub(32) / (24 + 4096)
    }

    async fn views(store: &Store, municipality: husly_domain::MunicipalityId, tasks: usize, each: usize) {
        let running: Vec<_> = (0..tasks)
            .map(|t| {
                let store = store.clone();
                tokio::spawn(async move {
                    for i in 0..each {
                        let event = Event {
                            municipality: Some(municipality),
                            action: "household.view",
                            resource_kind: "household",
                            resource_id: format!("{t}-{i}"),
                            details: serde_json::json!({}),
                        };
                        store.audit(&Actor::cli("load"), event).await.unwrap();
                    }
                })
            })
            .collect();
        for task in running {
            task.await.unwrap();
        }
    }

    /// Commits that never pause keep the thread's copies from ever starting the log over; the
    /// appender's copy between batches bounds it. Measured: 109–400 pages at most with it,
    /// 7 700–7 900 (the whole run) without.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_access_log_stays_bounded_under_commits_that_never_pause() {
        let db = TestDb::sqlite().await.unwrap();
        let municipality = db
            .store
            .ensure_municipality("3301", "Kommune 3301", false, &Actor::cli("test"))
            .await
            .unwrap()
            .id;
        let access = PathBuf::from(crate::db::access_log_file(&db.url).unwrap());
        let before = db.store.verify_audit().await.unwrap().entries;
        // A second copier, quicker and with a smaller bound, asking the store's appender.
        let due = Arc::clone(&db.store.shared.access_wal.as_ref().unwrap().restart_due);
        let copier = AccessWal::start(&access, Duration::from_millis(2), 40, due).unwrap();
        views(&db.store, municipality, 16, 250).await;
        drop(copier);
        let most = most_pages_in_log(&access);
        assert!(most <= 2000, "the access log's write-ahead log reached {most} pages");
        let report = db.store.verify_audit().await.unwrap();
        assert_eq!(report.first_break, None);
        assert_eq!(report.entries, before + 16 * 250);
    }
}
