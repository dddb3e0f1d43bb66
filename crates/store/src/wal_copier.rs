//! The write-ahead logs copied back into their files beside the commits, not inside them (SQLite
//! on a file only): the access log's, which every page view commits to, and the data's.
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
//! **The data's file** keeps SQLite's automatic checkpoint (it is written by changes, which are
//! few beside the reads), and the thread copies its log back too, with a passive checkpoint at the
//! same interval. A commit's own checkpoint copies no further than the oldest reader's snapshot,
//! and the rest waits for the next commit, which may not come for hours: after the start-up jobs
//! had written 350 MB, every page a request read and did not find in its cache was looked up in
//! the log's index first (`walFindFrame`, 7–9 % of the household and case pages' CPU), until a
//! change was saved, and that change then paid for the whole copy. Once everything is copied,
//! SQLite's readers skip the log altogether, and the next write starts the log over in a file
//! cut back to `db::DATA_LOG_LIMIT_BYTES`.
//!
//! The thread stops when the store closes (`Store::close`, before the connections, so that the
//! last of them can copy the logs back and remove them, as it did) or is dropped.

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

/// The running copier; dropping it stops the thread at its next wake-up, [`WalCopier::stop`] at
/// once.
pub(crate) struct WalCopier {
    stop: mpsc::Sender<()>,
    thread: std::sync::Mutex<Option<std::thread::JoinHandle<()>>>,
    /// Set by the thread when the log has passed its bound, taken by the appender.
    restart_due: Arc<AtomicBool>,
}

impl WalCopier {
    /// Starts copying the log of the access file at `path` every `interval`, asking through
    /// `restart_due` for the log to be started over once it holds more than `bound` pages, and
    /// the log of the data's file at `data`. A thread that cannot start is reported and left
    /// out: the access log's log then grows until the last connection closes, which copies it
    /// back.
    pub(crate) fn start(
        path: &Path,
        data: Option<&Path>,
        interval: Duration,
        bound: i64,
        restart_due: Arc<AtomicBool>,
    ) -> Option<WalCopier> {
        let (stop, stopped) = mpsc::channel();
        let path = path.to_path_buf();
        let data = data.map(Path::to_path_buf);
        let flag = Arc::clone(&restart_due);
        let started = std::thread::Builder::new()
            .name("husly-wal-copier".into())
            .spawn(move || run(&path, data.as_deref(), &stopped, interval, bound, &flag));
        match started {
            Ok(thread) => Some(WalCopier {
                stop,
                thread: std::sync::Mutex::new(Some(thread)),
                restart_due,
            }),
            Err(e) => {
                tracing::error!(error = %e, "could not start copying the write-ahead logs back");
                None
            }
        }
    }
}

impl WalCopier {
    /// Stops the thread and waits until its connections are closed, so that the store's last
    /// connection, closing after it, can copy the logs back and remove them (`Store::close`).
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
        let Some(due) = self.shared.wal_copier.as_ref().map(|wal| &wal.restart_due) else {
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

fn run(
    path: &Path,
    data: Option<&Path>,
    stopped: &mpsc::Receiver<()>,
    interval: Duration,
    bound: i64,
    restart_due: &AtomicBool,
) {
    let conn = match crate::direct::open_file(path) {
        Ok(conn) => conn,
        Err(e) => {
            tracing::error!(error = %e, "could not open the access log's file to copy its write-ahead log");
            return;
        }
    };
    let data = data.and_then(|data| match crate::direct::open_file(data) {
        Ok(conn) => Some(conn),
        Err(e) => {
            tracing::error!(error = %e, "could not open the data's file to copy its write-ahead log");
            None
        }
    });
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
        if let Some(data) = &data
            && let Err(e) = checkpoint(data)
        {
            tracing::warn!(error = %e, "copying the data's write-ahead log failed");
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

    /// How many frames the data's log holds and how many of them are copied back, from the
    /// header of its index (SQLite's `-shm` file, "walformat.html": `mxFrame` at byte 16,
    /// `nBackfill` at byte 96, in the machine's byte order).
    fn frames_in_log_and_copied(data: &Path) -> (u32, u32) {
        let index = std::fs::read(format!("{}-shm", data.display())).unwrap();
        let word = |at: usize| u32::from_ne_bytes(index[at..at + 4].try_into().unwrap());
        (word(16), word(96))
    }

    /// A large write whose own copy a reader held back is copied once that reader is gone,
    /// though nothing more is written: until then every reader looks each page it reads up in
    /// the log (9 % of the household page's CPU after the start-up jobs had written 350 MB).
    /// The next write then starts the log over in a file cut back to its limit.
    #[tokio::test]
    async fn the_datas_log_is_copied_back_without_a_further_write() {
        let db = TestDb::sqlite().await.unwrap();
        let data = crate::db::sqlite_file(&db.url).unwrap().unwrap();
        // A reader on the snapshot before the write: the write's own checkpoint stops there.
        let reader = crate::direct::open_file(&data).unwrap();
        reader
            .execute_batch("BEGIN; SELECT COUNT(*) FROM installation;")
            .unwrap();
        sqlx::raw_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000) \
             INSERT INTO installation (key, value) SELECT 'bulk-' || i, hex(randomblob(1500)) FROM n",
        )
        .execute(db.store.pool())
        .await
        .unwrap();
        let (frames, copied) = frames_in_log_and_copied(&data);
        assert!(
            frames > 1000 && copied < frames,
            "{copied} of {frames} frames copied while read"
        );
        reader.execute_batch("COMMIT").unwrap();
        drop(reader);
        let mut waited = 0;
        while frames_in_log_and_copied(&data).1 < frames {
            assert!(
                waited < 100,
                "the data's log was not copied back: {:?}",
                frames_in_log_and_copied(&data)
            );
            tokio::time::sleep(INTERVAL / 2).await;
            waited += 1;
        }
        // With everything copied, the next write starts the log over and cuts its file back.
        let log = PathBuf::from(format!("{}-wal", data.display()));
        let before = std::fs::metadata(&log).unwrap().len();
        sqlx::query("INSERT INTO installation (key, value) VALUES ('after-bulk', 'x')")
            .execute(db.store.pool())
            .await
            .unwrap();
        let after = std::fs::metadata(&log).unwrap().len();
        let limit = crate::db::DATA_LOG_LIMIT_BYTES as u64;
        assert!(
            before > limit && after <= limit,
            "the log's file: {before} bytes, then {after}"
        );
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
        let due = Arc::clone(&db.store.shared.wal_copier.as_ref().unwrap().restart_due);
        let copier = WalCopier::start(&access, None, Duration::from_millis(2), 40, due).unwrap();
        views(&db.store, municipality, 16, 250).await;
        drop(copier);
        let most = most_pages_in_log(&access);
        assert!(most <= 2000, "the access log's write-ahead log reached {most} pages");
        let report = db.store.verify_audit().await.unwrap();
        assert_eq!(report.first_break, None);
        assert_eq!(report.entries, before + 16 * 250);
    }
}
