//! Connecting, the backend split, and transactions.

use crate::error::{StoreError, StoreResult};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::{AnyConnection, AnyPool, Connection, Executor, Row, Transaction};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, MutexGuard, OwnedMutexGuard};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How SQLite makes commits durable. `Normal` (the default) survives a crash or `kill -9` of
/// the server; `Full` also survives a power cut, at the price of one fsync per commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSync {
    #[default]
    Normal,
    Full,
}

#[derive(Debug, Clone)]
pub struct StoreOptions {
    pub max_connections: u32,
    pub sqlite_sync: SqliteSync,
    /// How long a session read from the database is used before it is read again (see
    /// `session_cache`); zero reads it on every request.
    pub session_cache: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_connections: 16,
            sqlite_sync: SqliteSync::Normal,
            session_cache: crate::session_cache::DEFAULT_SESSION_CACHE,
        }
    }
}

/// A pooled PostgreSQL connection idle longer than this is pinged before use (see `connect`).
const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

/// Each SQLite connection's page cache of the data's file, in KiB (SQLite's default is 2 000).
/// The server keeps a dozen or more connections (the pool's and the direct reads'), each caching
/// pages for itself alone. The hot pages read a few dozen pages scattered over a file of hundreds
/// of megabytes, so a larger cache mostly holds pages its connection is not asked for again,
/// while every connection's cache counts in the server's memory: at 2 000 KiB the server's peak
/// under 64 clients was 150–158 MB, with this 128–131 MB, at no cost in CPU a page view
/// (`docs/benchmarks.md`, "A small page cache a connection").
pub(crate) const DATA_CACHE_KIB: i64 = 512;

/// The size, in bytes, the data's write-ahead log file is cut back to when it starts over. A large
/// write (the start-up jobs on a fresh database of 100 000 households wrote 350 MB) leaves a log
/// file of its size, which SQLite otherwise keeps until the last connection closes; in steady use
/// the log stays near 1 000 pages (4 MiB), under this.
pub(crate) const DATA_LOG_LIMIT_BYTES: i64 = 16 * 1024 * 1024;

/// Most record owners remembered (about 5 MB) before the cache starts over.
pub(crate) const OWNER_CACHE_ENTRIES: usize = 100_000;

/// A handle to the database. Cheap to clone: everything but the request's pinned connection sits
/// behind one reference count.
#[derive(Clone)]
pub struct Store {
    pub(crate) shared: Arc<Shared>,
    /// The one connection a request's reads share (see [`Store::pinned`]); none on the shared
    /// handle.
    pin: Option<Arc<Mutex<Option<PoolConnection<sqlx::Any>>>>>,
}

/// What every handle to one database shares.
pub(crate) struct Shared {
    pool: AnyPool,
    backend: Backend,
    /// SQLite has a single writer. Serialising writers in-process (and starting them with
    /// `BEGIN IMMEDIATE`) avoids busy errors from lock upgrades under load.
    write_lock: Arc<Mutex<()>>,
    /// The installation's HMAC key, read once (see `audit::keyed_hash`).
    pub(crate) hmac_key: std::sync::RwLock<Option<Vec<u8>>>,
    /// Which municipality owns a household or person (an immutable fact), see `owner_of`.
    pub(crate) owners: std::sync::Mutex<std::collections::HashMap<uuid::Uuid, husly_domain::MunicipalityId>>,
    /// The group-commit appender for read-audit entries, started on first use.
    pub(crate) appender: std::sync::OnceLock<crate::group_commit::Appender>,
    /// Values derived from the data and kept between requests (see `derived`).
    pub(crate) derived: crate::derived::Derived,
    /// Live sessions with their users, read shortly before (see `session_cache`).
    pub(crate) sessions: crate::session_cache::SessionCache,
    /// Reads without sqlx's thread per connection (SQLite on a file; see `direct`).
    direct: Option<Arc<crate::direct::DirectReads>>,
    /// PostgreSQL: the connections the name search ranks on, which keep one plan per
    /// statement (see [`search_pool`]).
    search: Option<AnyPool>,
    /// SQLite on a file: the thread copying the write-ahead logs back (`wal_copier`).
    pub(crate) wal_copier: Option<crate::wal_copier::WalCopier>,
}

/// A connection to read through: the request's pinned one, or one of the pool's.
pub(crate) enum Conn<'a> {
    Pinned(MutexGuard<'a, Option<PoolConnection<sqlx::Any>>>),
    Pooled(PoolConnection<sqlx::Any>),
}

impl std::ops::Deref for Conn<'_> {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match self {
            Conn::Pinned(slot) => slot.as_ref().expect("a pinned slot is filled before it is lent"),
            Conn::Pooled(conn) => conn,
        }
    }
}

impl std::ops::DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            Conn::Pinned(slot) => slot.as_mut().expect("a pinned slot is filled before it is lent"),
            Conn::Pooled(conn) => conn,
        }
    }
}

/// A write transaction. Dropping it without [`Tx::commit`] rolls back.
pub struct Tx {
    inner: Transaction<'static, sqlx::Any>,
    backend: Backend,
    _guard: Option<OwnedMutexGuard<()>>,
}

impl Tx {
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn commit(self) -> StoreResult<()> {
        self.inner.commit().await?;
        Ok(())
    }

    /// Rolls back now, before SQLite's writer lock is given to the next writer (a dropped
    /// transaction's rollback waits for the connection's next use).
    pub async fn rollback(self) -> StoreResult<()> {
        self.inner.rollback().await?;
        Ok(())
    }
}

impl Store {
    /// Connects to `sqlite://…` or `postgres://…`.
    pub async fn connect(url: &str, options: &StoreOptions) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(url)?;
        let connect_options =
            AnyConnectOptions::from_str(url).map_err(|e| StoreError::Invalid(format!("database URL: {e}")))?;
        let sync = options.sqlite_sync;
        let access_file = match backend {
            Backend::Sqlite => Some(access_log_file(url)?),
            Backend::Postgres => None,
        };
        let attached = access_file.clone();
        let pool = pool_options(backend, options.max_connections)
            .after_connect(move |conn, _meta| {
                let access_file = attached.clone();
                Box::pin(async move {
                    if let Some(access_file) = access_file {
                        // The access log's file (see `audit::Log::Access`): a page view commits
                        // there, so the data's file, and every connection's cache of it, stays
                        // as it was.
                        sqlx::query("ATTACH DATABASE $1 AS access")
                            .bind(access_file)
                            .execute(&mut *conn)
                            .await?;
                        let sync = match sync {
                            SqliteSync::Normal => "NORMAL",
                            SqliteSync::Full => "FULL",
                        };
                        for schema in ["main", "access"] {
                            let pragmas =
                                format!("PRAGMA {schema}.journal_mode = WAL; PRAGMA {schema}.synchronous = {sync}");
                            sqlx::raw_sql(sqlx::AssertSqlSafe(pragmas)).execute(&mut *conn).await?;
                        }
                        // The access log is appended to, and read only by the access log page:
                        // its pages need no more cache than the paths to the ends of its indexes
                        // (and each batch, committed from any connection, empties the others').
                        conn.execute("PRAGMA access.cache_size = -256").await?;
                        // The access log's log is copied back beside the commits (`wal_copier`).
                        conn.execute("PRAGMA access.wal_autocheckpoint = 0").await?;
                        let log_limit = format!("PRAGMA main.journal_size_limit = {DATA_LOG_LIMIT_BYTES}");
                        sqlx::raw_sql(sqlx::AssertSqlSafe(log_limit))
                            .execute(&mut *conn)
                            .await?;
                        let data_cache = format!("PRAGMA main.cache_size = -{DATA_CACHE_KIB}");
                        sqlx::raw_sql(sqlx::AssertSqlSafe(data_cache))
                            .execute(&mut *conn)
                            .await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute(BUSY_TIMEOUT).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(connect_options.clone())
            .await?;
        if let Some(access_file) = &access_file {
            check_access_file(&pool, access_file).await?;
        }
        let wal_copier = match (&access_file, sqlite_file(url)?) {
            (Some(access_file), Some(data_file)) => crate::wal_copier::WalCopier::start(
                std::path::Path::new(access_file),
                Some(&data_file),
                crate::wal_copier::INTERVAL,
                crate::wal_copier::BOUND,
                Default::default(),
            ),
            _ => None,
        };
        let direct = match backend {
            Backend::Sqlite => {
                crate::direct::DirectReads::for_url(url, options.max_connections as usize)?.map(Arc::new)
            }
            Backend::Postgres => None,
        };
        let search = match backend {
            Backend::Postgres => Some(search_pool(connect_options, options.max_connections)),
            Backend::Sqlite => None,
        };
        let store = Store {
            shared: Arc::new(Shared {
                direct,
                search,
                wal_copier,
                pool,
                backend,
                write_lock: Arc::new(Mutex::new(())),
                hmac_key: Default::default(),
                appender: Default::default(),
                owners: Default::default(),
                derived: Default::default(),
                sessions: crate::session_cache::SessionCache::new(options.session_cache),
            }),
            pin: None,
        };
        store.refresh_statistics().await?;
        Ok(store)
    }

    /// Refreshes SQLite's planner statistics of the tables that have grown or shrunk much since
    /// they were taken (`refresh_statistics_unless_busy`); on PostgreSQL autovacuum does this.
    /// Run when the store opens and by the server's scheduler, never while a connection opens.
    pub async fn refresh_statistics(&self) -> StoreResult<()> {
        if self.shared.backend == Backend::Sqlite {
            let mut conn = self.shared.pool.acquire().await?;
            refresh_statistics_unless_busy(&mut conn).await?;
        }
        Ok(())
    }

    /// A handle whose reads share one connection, taken at the first read and given back when
    /// the last clone of the handle is dropped, or before it waits for a write or an audit entry
    /// (so that waiting readers never hold the connections a writer needs). A request reads
    /// through one: every statement through the pool costs a connection taken and given back,
    /// and sqlx checks each connection given back with a round trip (to PostgreSQL, or to the
    /// SQLite connection's thread), which doubled the hand-offs of a page's short reads.
    pub fn pinned(&self) -> Store {
        Store {
            pin: Some(Arc::default()),
            ..self.unpinned()
        }
    }

    /// A handle that takes a connection from the pool for every statement (for work that
    /// outlives a request, such as the audit appender).
    pub(crate) fn unpinned(&self) -> Store {
        Store {
            pin: None,
            ..self.clone()
        }
    }

    /// The connection to run a read on: the pinned one (two reads of one request at once take
    /// turns), else one from the pool. A request never holds two connections: with every
    /// connection pinned by requests waiting for a second one, none would go on. So a read must
    /// not ask for the connection again while it holds it.
    pub(crate) async fn conn(&self) -> StoreResult<Conn<'_>> {
        match &self.pin {
            Some(pin) => {
                let mut slot = pin.lock().await;
                if slot.is_none() {
                    *slot = Some(self.shared.pool.acquire().await?);
                }
                Ok(Conn::Pinned(slot))
            }
            None => Ok(Conn::Pooled(self.shared.pool.acquire().await?)),
        }
    }

    /// Where to run a short read by key, one that reads a handful of rows through an index
    /// (`direct`): on SQLite directly on the calling thread, else as [`Store::conn`]. A read
    /// that may take milliseconds uses [`Store::list_read`] or [`Store::conn`].
    pub(crate) async fn key_read(&self) -> StoreResult<crate::direct::Reader<'_>> {
        match &self.shared.direct {
            Some(direct) => Ok(crate::direct::Reader::Here(direct)),
            None => Ok(crate::direct::Reader::Conn(self.conn().await?)),
        }
    }

    /// Where to run a read of a page of rows that may take milliseconds (the search's ranking):
    /// on SQLite on a direct connection on the runtime's blocking threads, one hand-off for all
    /// its rows (`direct`); on PostgreSQL on the search's own connections ([`search_pool`]).
    pub(crate) async fn list_read(&self) -> StoreResult<crate::direct::Reader<'_>> {
        match (&self.shared.direct, &self.shared.search) {
            (Some(direct), _) => Ok(crate::direct::Reader::Blocking(direct.clone())),
            (None, Some(search)) => Ok(crate::direct::Reader::Conn(Conn::Pooled(search.acquire().await?))),
            (None, None) => Ok(crate::direct::Reader::Conn(self.conn().await?)),
        }
    }

    /// Gives the pinned connection back to the pool, unless a read is using it.
    pub(crate) fn release_pin(&self) {
        if let Some(pin) = &self.pin
            && let Ok(mut slot) = pin.try_lock()
        {
            slot.take();
        }
    }

    pub fn backend(&self) -> Backend {
        self.shared.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.shared.pool
    }

    /// This server's writer lock on SQLite (see `Shared::write_lock`), for work that writes
    /// outside a transaction.
    pub(crate) async fn writer_lock(&self) -> tokio::sync::OwnedMutexGuard<()> {
        self.shared.write_lock.clone().lock_owned().await
    }

    /// Starts a write transaction.
    pub async fn write(&self) -> StoreResult<Tx> {
        self.release_pin();
        match self.shared.backend {
            Backend::Sqlite => {
                let guard = self.shared.write_lock.clone().lock_owned().await;
                let inner = self.shared.pool.begin_with("BEGIN IMMEDIATE").await?;
                Ok(Tx {
                    inner,
                    backend: self.shared.backend,
                    _guard: Some(guard),
                })
            }
            Backend::Postgres => Ok(Tx {
                inner: self.shared.pool.begin().await?,
                backend: self.shared.backend,
                _guard: None,
            }),
        }
    }

    /// Refreshes the query planner's statistics; run after bulk loads (seed, import), whose new
    /// rows the planner would otherwise not know about.
    pub async fn analyze(&self) -> StoreResult<()> {
        // On PostgreSQL, VACUUM also sets the visibility map, without which index-only scans
        // (the name search) still visit every heap row. It cannot run inside a transaction.
        let sql = match self.shared.backend {
            Backend::Sqlite => "ANALYZE",
            Backend::Postgres => "VACUUM (ANALYZE)",
        };
        sqlx::raw_sql(sql).execute(&self.shared.pool).await?;
        if self.shared.backend == Backend::Sqlite {
            let mut conn = self.shared.pool.acquire().await?;
            keep_samples_where_plans_need_them(&mut conn).await?;
        }
        if let Some(direct) = &self.shared.direct {
            direct.close_idle();
        }
        Ok(())
    }

    /// During a bulk load on PostgreSQL, refreshes the planner's statistics so that the plans
    /// its triggers keep per connection are made again for the tables' new size. A plan made while
    /// a table was empty may walk an index that reads every row of the municipality; without this
    /// the waiting list's trigger on household members made seeding 100 000 households take
    /// quadratic time (minutes, growing). The loaders call it each time the data has doubled.
    pub async fn refresh_plans_while_loading(&self) -> StoreResult<()> {
        if self.shared.backend == Backend::Postgres {
            sqlx::raw_sql("ANALYZE").execute(&self.shared.pool).await?;
        }
        Ok(())
    }

    /// True when the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.shared.pool).await.is_ok()
    }

    pub async fn close(&self) {
        // First, so that no copy of a log is running when the last connection closes.
        if let Some(wal_copier) = &self.shared.wal_copier {
            wal_copier.stop().await;
        }
        self.shared.pool.close().await;
        if let Some(search) = &self.shared.search {
            search.close().await;
        }
        if let Some(direct) = &self.shared.direct {
            direct.close_idle();
        }
    }
}

/// PostgreSQL: a few connections for the name search's ranking, each set to keep one plan per
/// statement (`plan_cache_mode = force_generic_plan`). PostgreSQL otherwise planned the ranking
/// again at every call (its estimate for the generic plan, which cannot see the words, is far
/// above the custom plans'), 0.15–0.22 ms a statement and up to two statements a search, to come
/// to the same plan: the text index's bitmap scan and the person's key (`docs/benchmarks.md`,
/// "The name search's plans kept on PostgreSQL"). The other statements keep PostgreSQL's
/// choice, as a plan made without the values could be a poor one where a municipality's size
/// matters. Connections open when first needed; a request takes one only for a ranking, and
/// never waits for the main pool while it holds one.
fn search_pool(options: AnyConnectOptions, max_connections: u32) -> AnyPool {
    pool_options(Backend::Postgres, SEARCH_CONNECTIONS.min(max_connections))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                conn.execute("SET plan_cache_mode = force_generic_plan").await?;
                Ok(())
            })
        })
        .connect_lazy_with(options)
}

/// What both pools share: how long a request waits for a connection, and when one is checked.
fn pool_options(backend: Backend, max_connections: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        // sqlx pings every connection it hands out by default: a round trip to PostgreSQL, or
        // a hand-off to the connection's thread on SQLite, before every statement. Only a
        // PostgreSQL connection left idle for a while can have been dropped under us (a
        // server restart, a firewall), so only that one is checked.
        .test_before_acquire(false)
        .before_acquire(move |conn, meta| {
            Box::pin(async move {
                if backend == Backend::Postgres && meta.idle_for > PING_AFTER_IDLE {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
}

/// Rankings at once on PostgreSQL: as many as the machine's cores keep busy, with the database
/// doing most of the work.
const SEARCH_CONNECTIONS: u32 = 4;

/// The indexes whose SQLite value samples (`sqlite_stat4`) are kept: the work queue's, whose
/// plans depend on how common a case state or an assignee is. Not the case table's key or its
/// index by household: a statement comparing a bound value with a column of an index that has
/// samples is compiled again at every execution, so the case page and the household page look
/// their cases up through indexes without samples, and name the municipality as a literal
/// ([`crate::literal`]) so that the other indexes' samples are read once, when compiling.
pub(crate) const SAMPLED_INDEXES: &str = "'application_case_queue', 'application_case_assigned', \
     'application_case_state', 'application_case_type', 'application_case_received', 'application_case_reference', \
     'application_case_open_due', 'application_case_open_received', 'application_case_open_reference', \
     'application_case_open_assigned'";

/// Keeps the planner's statistics current as the data grows (SQLite's advice for long-lived
/// connections: `PRAGMA optimize` now and then, with an analysis limit; cheap when nothing
/// changed), without waiting for a writer: when the tables have grown since they were last
/// analysed, the refresh writes, and a refresh that waited for a bulk load's transaction would
/// hold its connection for as long. When the database is busy it is skipped; the next refresh,
/// or `Store::analyze`, does it.
///
/// It ran when each connection opened until the pool gave up on such connections: first while
/// a seed's transaction held the write lock (`husly seed` of 1 000 000 households failed so
/// when the pool replaced an idle connection), then, at 918 000 households whose tables had not
/// been analysed since they were small, because the refresh alone took 7.8 s (1.9–3.1 s with
/// the limit below) against the pool's five seconds: the seed failed when sqlx replaced its
/// connection after 30 minutes, and `husly migrate` could not open the database at all. So it
/// runs on a connection already open (`Store::refresh_statistics`), and each index is sampled
/// from at most [`REFRESH_ROWS`] rows; `Store::analyze` after a bulk load still reads all.
async fn refresh_statistics_unless_busy(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    conn.execute("PRAGMA busy_timeout = 0").await?;
    let limit = format!("PRAGMA analysis_limit = {REFRESH_ROWS}");
    conn.execute(sqlx::AssertSqlSafe(limit)).await?;
    let refreshed = match conn.execute("PRAGMA optimize = 0x10002").await {
        Ok(_) => keep_samples_where_plans_need_them(conn).await,
        Err(e) => Err(e),
    };
    conn.execute("PRAGMA analysis_limit = 0").await?;
    conn.execute(BUSY_TIMEOUT).await?;
    match refreshed {
        Err(sqlx::Error::Database(e)) if is_busy(e.code().as_deref()) => Ok(()),
        other => other,
    }
}

/// How long a statement on sqlx's SQLite connections waits for a lock before it fails.
const BUSY_TIMEOUT: &str = "PRAGMA busy_timeout = 10000";

/// Rows a statistics refresh reads of each index at most (SQLite's advice: 100 to
/// 1 000).
const REFRESH_ROWS: u32 = 400;

/// SQLite's `SQLITE_BUSY` and its extended codes (the low byte is the primary code).
fn is_busy(code: Option<&str>) -> bool {
    code.and_then(|c| c.parse::<i32>().ok()).is_some_and(|c| c & 0xff == 5)
}

/// Keeps SQLite's value samples (`sqlite_stat4`, which `ANALYZE` writes in this build) only for
/// the indexes in [`SAMPLED_INDEXES`], and the per-index row counts (`sqlite_stat1`) for all. With
/// samples, a statement whose bound value is compared with an indexed column is compiled again
/// whenever its bindings change, i.e. on every execution: measured on 100 000 households, the
/// household page cost 1.37 ms of CPU with samples on every table and 0.86 ms without any, while
/// the work queue needs its table's samples (7.4 ms per page with them, 18.0 ms without);
/// `docs/benchmarks.md`, "Search, sessions and planner samples". The access log's file has none
/// kept: no plan over it depends on how common a value is (the access log page lists a chain's
/// entries by time, and would be compiled again at every view with them).
///
/// Every statistics table is named with its schema: both files have them, and an unqualified
/// name is resolved against the connection's copy of each schema, which for the data's file can
/// predate the statistics on a connection that has since touched the access log only (the
/// appender's), so `sqlite_stat4` alone could name the access log's table.
async fn keep_samples_where_plans_need_them(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    for schema in ["main", "access"] {
        let exists = format!("SELECT COUNT(*) FROM {schema}.sqlite_schema WHERE name = 'sqlite_stat4'");
        let exists: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(exists))
            .fetch_one(&mut *conn)
            .await?;
        if exists == 0 {
            continue;
        }
        let others =
            format!("SELECT EXISTS (SELECT 1 FROM {schema}.sqlite_stat4 WHERE idx NOT IN ({SAMPLED_INDEXES}))");
        let found: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(others))
            .fetch_one(&mut *conn)
            .await?;
        if found > 0 {
            let delete = format!("DELETE FROM {schema}.sqlite_stat4 WHERE idx NOT IN ({SAMPLED_INDEXES})");
            conn.execute(sqlx::AssertSqlSafe(delete)).await?;
            // Reloads the statistics into this connection; the others read them when they open.
            conn.execute(sqlx::AssertSqlSafe(format!("ANALYZE {schema}.sqlite_schema")))
                .await?;
        }
    }
    Ok(())
}

/// Reads the backend from a database URL, with a clear message for anything else.
pub fn backend_of(url: &str) -> StoreResult<Backend> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(StoreError::Invalid(
            "database URL must start with sqlite: or postgres://".into(),
        ))
    }
}

/// The file of the access log beside a SQLite database: `husly.db` → `husly.db-access` (so that
/// a copy of `husly.db*` takes everything, as with SQLite's own `-wal` file). An in-memory
/// database gets an in-memory log.
pub(crate) fn access_log_file(url: &str) -> StoreResult<String> {
    let Some(path) = sqlite_file(url).map_err(|e| StoreError::Invalid(format!("database URL: {e}")))? else {
        return Ok(":memory:".into());
    };
    let path = path.to_string_lossy().into_owned();
    let access = format!("{path}-access");
    // `ATTACH` opens the file with the data's flags, which need not allow creating it (a URL
    // without `mode=rwc`): beside an existing database, or where the URL lets SQLite create it,
    // the file is made here (empty, which SQLite takes as an empty database).
    let may_create = url.contains("mode=rwc") || std::path::Path::new(&path).exists();
    if may_create {
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&access) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(StoreError::Invalid(format!("the access log's file {access}: {e}"))),
        }
    }
    Ok(access)
}

/// The file a `sqlite:` URL names; none for an in-memory database.
pub(crate) fn sqlite_file(url: &str) -> Result<Option<std::path::PathBuf>, sqlx::Error> {
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)?;
    let path = options.get_filename();
    if url.contains(":memory:") || url.contains("mode=memory") || path.as_os_str().is_empty() {
        return Ok(None);
    }
    Ok(Some(path.to_path_buf()))
}

/// Refuses a SQLite database whose schema has the access log (version 43 on) while the file
/// beside it does not: a log copied or restored without it would start over unnoticed.
async fn check_access_file(pool: &AnyPool, access_file: &str) -> StoreResult<()> {
    let has_migrations: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM main.sqlite_schema WHERE name = 'schema_migration'")
            .fetch_one(pool)
            .await?;
    if has_migrations == 0 {
        return Ok(());
    }
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM schema_migration WHERE version >= $1) AS migrated, \
         (SELECT COUNT(*) FROM access.sqlite_schema WHERE name = 'access_entry') AS present",
    )
    .bind(crate::migrate::ACCESS_LOG_SCHEMA)
    .fetch_one(pool)
    .await?;
    let (migrated, present): (i64, i64) = (row.try_get("migrated")?, row.try_get("present")?);
    if migrated > 0 && present == 0 {
        return Err(StoreError::Corrupt(format!(
            "the access log's file {access_file} is missing or empty; it belongs beside the database \
             file (restore both from the same copy, or import a backup with `husly import`)"
        )));
    }
    Ok(())
}

/// The SQLite URL for a database file in a data directory (created when missing).
pub fn sqlite_url_for(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// `FOR UPDATE` where the backend has row locks; SQLite's single writer already serialises.
pub fn for_update(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    }
}
