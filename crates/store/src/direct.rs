//! Reads on SQLite without sqlx's thread per connection: short reads by key on the calling
//! thread, longer ones on the runtime's blocking threads.
//!
//! sqlx's SQLite driver gives every connection a thread of its own: each statement is sent to
//! that thread and its rows come back through a channel, and the connection is checked with one
//! more trip when it goes back to the pool. A point read costs SQLite a few microseconds; the trips
//! cost tens (measured: the household page's members query 70 µs through sqlx, 4.3 µs here on one
//! task; 29 µs against 7 µs a query with 64 tasks on two threads; `docs/benchmarks.md`, "Reads by
//! key on the calling thread"). The page reads named in `docs/architecture.md` ("The hot path")
//! therefore run here on SQLite: on one of a few connections of the store's own, on the thread
//! that asks, with no await while a connection is held.
//!
//! Only statements that read a handful of rows through an index run on the caller's thread
//! ([`Reader::Here`]): it is one of the runtime's few, and a long read on it would hold up every
//! request queued behind it. A read that may take milliseconds ([`Reader::Blocking`]: the
//! search's ranking) runs on the blocking threads, a bounded number at once, its rows handed back
//! together. Everything else (reports, exports, the work queue, all writes) goes through sqlx.
//!
//! The statements and the code that decodes their rows are the same on both backends: this
//! module speaks sqlx's `Any` types (arguments in, [`AnyRow`]s out) through sqlx-core's interface
//! for drivers, so a read can run here or through sqlx unchanged. That interface is exempt from
//! semantic versioning, hence sqlx-core's exact version in the store's manifest.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::stream::{self, BoxStream};
use futures_util::{FutureExt, StreamExt};
use rusqlite::types::{ToSqlOutput, ValueRef};
use sqlx::any::{AnyArguments, AnyQueryResult, AnyRow, AnyTypeInfo, AnyTypeInfoKind, AnyValue};
use sqlx::{Any, Execute, Executor};
use sqlx_core::Either;
use sqlx_core::any::{AnyColumn, AnyValueKind};
use sqlx_core::ext::ustr::UStr;

use crate::db::Conn;

/// How long a read waits for a lock before it fails (as on sqlx's connections). In WAL mode a
/// reader waits only while a checkpoint or a recovery holds the index of the log, rarely.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Statements kept prepared per connection: the hot pages use a few dozen.
const STATEMENTS_KEPT: usize = 128;

/// Read connections to the store's SQLite file, opened when first needed.
pub(crate) struct DirectReads {
    path: PathBuf,
    /// Idle connections: as many as have read at once, which the runtime's threads (reads by
    /// key) and `off_thread` (the others) bound.
    idle: Mutex<Vec<rusqlite::Connection>>,
    /// Reads running on the blocking threads at once. Without a bound, 64 requests would start
    /// 64 threads, each opening a connection of its own (measured: twice the CPU per search).
    off_thread: Arc<tokio::sync::Semaphore>,
}

impl DirectReads {
    /// Reads for the database a `sqlite:` URL names; none for an in-memory database, which
    /// another connection cannot open.
    pub(crate) fn for_url(url: &str, at_once: usize) -> Result<Option<DirectReads>, sqlx::Error> {
        let Some(path) = crate::db::sqlite_file(url)? else {
            return Ok(None);
        };
        Ok(Some(DirectReads {
            path,
            idle: Mutex::new(Vec::new()),
            off_thread: Arc::new(tokio::sync::Semaphore::new(at_once.max(1))),
        }))
    }

    /// Runs one read and returns its rows.
    fn read(
        &self,
        sql: &str,
        arguments: Option<AnyArguments>,
        keep_prepared: bool,
    ) -> Result<Vec<AnyRow>, sqlx::Error> {
        let conn = self.take().map_err(driver_error)?;
        let rows = if keep_prepared {
            conn.prepare_cached(sql)
                .and_then(|mut statement| rows_of(&mut statement, arguments))
        } else {
            conn.prepare(sql)
                .and_then(|mut statement| rows_of(&mut statement, arguments))
        };
        self.give_back(conn);
        rows.map_err(driver_error)
    }

    fn take(&self) -> rusqlite::Result<rusqlite::Connection> {
        if let Some(conn) = self.idle.lock().ok().and_then(|mut idle| idle.pop()) {
            return Ok(conn);
        }
        open(&self.path)
    }

    /// Closes the idle connections: the next reads open new ones, which read the planner's
    /// statistics afresh (a connection reads them when it opens).
    pub(crate) fn close_idle(&self) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
    }

    fn give_back(&self, conn: rusqlite::Connection) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(conn);
        }
    }
}

/// A connection of the store's own to a SQLite file, outside sqlx, with the same lock wait as the
/// pool's; used by one thread at a time (no mutex of SQLite's).
pub(crate) fn open_file(path: &Path) -> rusqlite::Result<rusqlite::Connection> {
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

/// A connection that can only read (`query_only`).
fn open(path: &Path) -> rusqlite::Result<rusqlite::Connection> {
    let conn = open_file(path)?;
    conn.pragma_update(None, "query_only", true)?;
    conn.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
    conn.pragma_update(None, "cache_size", -crate::db::DATA_CACHE_KIB)?;
    Ok(conn)
}

/// Binds the arguments and reads every row, as sqlx's SQLite driver hands them to `Any`: each
/// value by its stored type (integer, real, text, blob or null).
fn rows_of(statement: &mut rusqlite::Statement<'_>, arguments: Option<AnyArguments>) -> rusqlite::Result<Vec<AnyRow>> {
    let values = arguments.map(|a| a.values.0).unwrap_or_default();
    for position in 1..=statement.parameter_count() {
        // `$2` is SQLite's parameter named "$2", numbered by its first appearance; like sqlx,
        // bind it the second argument whatever its place in the text.
        let number = statement
            .parameter_name(position)
            .and_then(|name| name.strip_prefix(['$', '?']))
            .and_then(|digits| digits.parse::<usize>().ok())
            .unwrap_or(position);
        let value = values.get(number.wrapping_sub(1)).ok_or_else(|| {
            rusqlite::Error::InvalidParameterName(format!("${number}: the statement has {} arguments", values.len()))
        })?;
        statement.raw_bind_parameter(position, Bound(value))?;
    }
    let columns: Vec<AnyColumn> = statement
        .column_names()
        .into_iter()
        .enumerate()
        .map(|(ordinal, name)| AnyColumn {
            ordinal,
            name: UStr::new(name),
            type_info: AnyTypeInfo {
                kind: AnyTypeInfoKind::Null,
            },
        })
        .collect();
    let names: sqlx_core::HashMap<UStr, usize> = columns
        .iter()
        .map(|column| (column.name.clone(), column.ordinal))
        .collect();
    let names = Arc::new(names);
    let mut out = Vec::new();
    let mut rows = statement.raw_query();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(columns.len());
        for index in 0..columns.len() {
            values.push(AnyValue {
                kind: value_of(row.get_ref(index)?, index)?,
            });
        }
        out.push(AnyRow {
            column_names: names.clone(),
            columns: columns.clone(),
            values,
        });
    }
    Ok(out)
}

fn value_of(value: ValueRef<'_>, index: usize) -> rusqlite::Result<AnyValueKind> {
    Ok(match value {
        ValueRef::Null => AnyValueKind::Null(AnyTypeInfoKind::Null),
        ValueRef::Integer(i) => AnyValueKind::BigInt(i),
        ValueRef::Real(r) => AnyValueKind::Double(r),
        ValueRef::Text(bytes) => AnyValueKind::Text(Arc::new(
            std::str::from_utf8(bytes)
                .map_err(|e| rusqlite::Error::Utf8Error(index, e))?
                .to_owned(),
        )),
        ValueRef::Blob(bytes) => AnyValueKind::Blob(Arc::new(bytes.to_vec())),
    })
}

/// An `Any` argument as SQLite takes it (as sqlx's SQLite driver binds it).
struct Bound<'a>(&'a AnyValueKind);

impl rusqlite::ToSql for Bound<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self.0 {
            AnyValueKind::Null(_) => ValueRef::Null,
            AnyValueKind::Bool(b) => ValueRef::Integer(i64::from(*b)),
            AnyValueKind::SmallInt(i) => ValueRef::Integer(i64::from(*i)),
            AnyValueKind::Integer(i) => ValueRef::Integer(i64::from(*i)),
            AnyValueKind::BigInt(i) => ValueRef::Integer(*i),
            AnyValueKind::Real(r) => ValueRef::Real(f64::from(*r)),
            AnyValueKind::Double(d) => ValueRef::Real(*d),
            AnyValueKind::Text(text) => ValueRef::Text(text.as_bytes()),
            AnyValueKind::TextSlice(text) => ValueRef::Text(text.as_bytes()),
            AnyValueKind::Blob(bytes) => ValueRef::Blob(bytes),
            other => {
                return Err(rusqlite::Error::ToSqlConversionFailure(
                    format!("no SQLite value for {other:?}").into(),
                ));
            }
        }))
    }
}

fn driver_error(error: rusqlite::Error) -> sqlx::Error {
    sqlx::Error::AnyDriverError(Box::new(error))
}

/// Where a read runs: on SQLite on a direct connection, on the calling thread (a read by key)
/// or on the runtime's blocking threads (a read that may take milliseconds); on PostgreSQL (or
/// an in-memory SQLite database) on the request's connection, as every other read.
pub(crate) enum Reader<'a> {
    Here(&'a DirectReads),
    Blocking(Arc<DirectReads>),
    Conn(Conn<'a>),
}

impl std::fmt::Debug for Reader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Reader::Here(_) => "Reader::Here",
            Reader::Blocking(_) => "Reader::Blocking",
            Reader::Conn(_) => "Reader::Conn",
        })
    }
}

impl<'c> Executor<'c> for &'c mut Reader<'_> {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(self, query: E) -> BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, sqlx::Error>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Any>,
    {
        match self {
            Reader::Conn(conn) => (&mut **conn).fetch_many(query),
            Reader::Here(direct) => stream::iter(steps(read_query(direct, query))).boxed(),
            Reader::Blocking(direct) => read_blocking(direct.clone(), query)
                .into_stream()
                .flat_map(|rows| stream::iter(steps(rows)))
                .boxed(),
        }
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, Result<Option<AnyRow>, sqlx::Error>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Any>,
    {
        match self {
            Reader::Conn(conn) => (&mut **conn).fetch_optional(query),
            Reader::Here(direct) => futures_util::future::ready(first(read_query(direct, query))).boxed(),
            Reader::Blocking(direct) => read_blocking(direct.clone(), query).map(first).boxed(),
        }
    }

    fn prepare_with<'e>(
        self,
        sql: sqlx::SqlStr,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, Result<sqlx::any::AnyStatement, sqlx::Error>>
    where
        'c: 'e,
    {
        match self {
            Reader::Conn(conn) => (&mut **conn).prepare_with(sql, parameters),
            Reader::Here(_) | Reader::Blocking(_) => futures_util::future::ready(Err(sqlx::Error::AnyDriverError(
                "a direct read runs its statement at once; it cannot be prepared for later".into(),
            )))
            .boxed(),
        }
    }
}

/// A read's rows as the steps of sqlx's `fetch_many`.
fn steps(rows: Result<Vec<AnyRow>, sqlx::Error>) -> Vec<Result<Either<AnyQueryResult, AnyRow>, sqlx::Error>> {
    match rows {
        Ok(rows) => rows.into_iter().map(|row| Ok(Either::Right(row))).collect(),
        Err(e) => vec![Err(e)],
    }
}

fn first(rows: Result<Vec<AnyRow>, sqlx::Error>) -> Result<Option<AnyRow>, sqlx::Error> {
    rows.map(|rows| rows.into_iter().next())
}

/// Runs a statement of sqlx's on a direct connection on the runtime's blocking threads: one
/// hand-off there and back for all its rows.
fn read_blocking<'q, E: Execute<'q, Any>>(
    direct: Arc<DirectReads>,
    mut query: E,
) -> impl Future<Output = Result<Vec<AnyRow>, sqlx::Error>> + Send + 'static {
    let taken = query
        .take_arguments()
        .map_err(sqlx::Error::Encode)
        .map(|arguments| (arguments, query.persistent(), query.sql().as_str().to_owned()));
    async move {
        let (arguments, keep_prepared, sql) = taken?;
        // Held by the read itself, so that a request that gives up does not free its turn early.
        let turn = direct
            .off_thread
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| sqlx::Error::AnyDriverError(Box::new(e)))?;
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            direct.read(&sql, arguments, keep_prepared)
        })
        .await
        .map_err(|e| sqlx::Error::AnyDriverError(Box::new(e)))?
    }
}

/// Runs a statement of sqlx's on a direct connection.
fn read_query<'q, E: Execute<'q, Any>>(direct: &DirectReads, mut query: E) -> Result<Vec<AnyRow>, sqlx::Error> {
    let arguments = query.take_arguments().map_err(sqlx::Error::Encode)?;
    let keep_prepared = query.persistent();
    direct.read(query.sql().as_str(), arguments, keep_prepared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestDb;
    use sqlx::Row;

    /// Every kind of value, the arguments out of their textual order and one used twice.
    const KINDS: &str = "SELECT $2 AS second, $1 AS first, $1 || '-' || $2 AS both, NULL AS absent, \
         42 AS whole, 1.5 AS fraction, x'00ff' AS bytes, $3 AS number, 'blåbær' AS letters";

    fn kinds(row: &AnyRow) -> (String, String, String, Option<String>, i64, f64, Vec<u8>, i64, String) {
        (
            row.get("second"),
            row.get("first"),
            row.get("both"),
            row.get("absent"),
            row.get("whole"),
            row.get("fraction"),
            row.get("bytes"),
            row.get("number"),
            row.get("letters"),
        )
    }

    #[tokio::test]
    async fn a_read_by_key_gives_what_sqlx_gives() {
        let db = TestDb::sqlite().await.expect("database");
        let store = db.store.pinned();
        assert!(matches!(store.key_read().await.expect("reader"), Reader::Here(_)));
        let query = || sqlx::query(KINDS).bind("en").bind("to").bind(7_i64);
        let direct = query()
            .fetch_one(&mut store.key_read().await.expect("reader"))
            .await
            .expect("direct");
        let pooled = query().fetch_one(store.pool()).await.expect("sqlx");
        assert_eq!(kinds(&direct), kinds(&pooled));
        assert_eq!(kinds(&direct).2, "en-to");
        let mut off_thread = store.list_read().await.expect("reader");
        assert!(matches!(off_thread, Reader::Blocking(_)));
        let listed = query()
            .fetch_all(&mut off_thread)
            .await
            .expect("off the runtime's threads");
        assert_eq!(listed.iter().map(kinds).collect::<Vec<_>>(), vec![kinds(&pooled)]);
        let one = query()
            .fetch_optional(&mut off_thread)
            .await
            .expect("one row")
            .expect("a row");
        assert_eq!(kinds(&one), kinds(&pooled));
        // Kept prepared: the second run binds afresh.
        let again = sqlx::query(KINDS)
            .bind("tre")
            .bind("fire")
            .bind(8_i64)
            .fetch_optional(&mut store.key_read().await.expect("reader"))
            .await
            .expect("again")
            .expect("a row");
        assert_eq!(kinds(&again).2, "tre-fire");
    }

    #[tokio::test]
    async fn a_read_by_key_sees_the_last_commit_and_cannot_write() {
        let db = TestDb::sqlite().await.expect("database");
        let store = &db.store;
        let mut tx = store.write().await.expect("write");
        sqlx::query("CREATE TABLE probe (id TEXT PRIMARY KEY)")
            .execute(tx.conn())
            .await
            .expect("create");
        sqlx::query("INSERT INTO probe (id) VALUES ('a')")
            .execute(tx.conn())
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
        let count = |sql: &'static str| async move {
            let row = sqlx::query(sql)
                .fetch_one(&mut store.key_read().await.expect("reader"))
                .await
                .expect("count");
            row.get::<i64, _>(0)
        };
        assert_eq!(count("SELECT COUNT(*) FROM probe").await, 1);

        let write = sqlx::query("INSERT INTO probe (id) VALUES ('b')")
            .fetch_all(&mut store.key_read().await.expect("reader"))
            .await;
        assert!(write.is_err(), "a read connection wrote");
        assert_eq!(count("SELECT COUNT(*) FROM probe").await, 1);
    }

    #[tokio::test]
    async fn a_missing_argument_is_an_error_not_a_null() {
        let db = TestDb::sqlite().await.expect("database");
        let result = sqlx::query("SELECT $1 AS a, $2 AS b")
            .bind("only one")
            .fetch_all(&mut db.store.key_read().await.expect("reader"))
            .await;
        let Err(error) = result else {
            panic!("one argument for two gave rows")
        };
        let message = error.to_string();
        assert!(message.contains("$2"), "{message}");
    }

    /// `.cargo/config.toml` compiles the bundled SQLite without its process-wide locks (one
    /// for every page cache, one for memory statistics): with that setting the work queue and
    /// the search cost about 30 % less CPU under load.
    #[test]
    fn sqlite_is_compiled_without_its_global_locks() {
        let conn = rusqlite::Connection::open_in_memory().expect("open");
        let mut statement = conn.prepare("PRAGMA compile_options").expect("prepare");
        let options: Vec<String> = statement
            .query_map([], |row| row.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("options");
        assert!(
            !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
            "one lock for every page cache: {options:?}"
        );
        assert!(
            options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
            "memory statistics on every allocation: {options:?}"
        );
    }

    /// Both kinds of connection to the data's file keep the small cache (`db::DATA_CACHE_KIB`).
    #[tokio::test]
    async fn every_connection_keeps_a_small_cache_of_the_data() {
        let db = TestDb::sqlite().await.expect("database");
        let pooled: i64 = sqlx::query_scalar("PRAGMA main.cache_size")
            .fetch_one(db.store.pool())
            .await
            .expect("pooled");
        let rows = sqlx::query("PRAGMA main.cache_size")
            .fetch_all(&mut db.store.key_read().await.expect("reader"))
            .await
            .expect("direct");
        let direct: i64 = rows[0].try_get(0).expect("value");
        assert!(matches!(db.store.key_read().await.expect("reader"), Reader::Here(_)));
        assert_eq!(
            (pooled, direct),
            (-crate::db::DATA_CACHE_KIB, -crate::db::DATA_CACHE_KIB)
        );
    }

    #[test]
    fn an_in_memory_database_has_no_direct_reads() {
        assert!(DirectReads::for_url("sqlite::memory:", 4).expect("url").is_none());
        assert!(
            DirectReads::for_url("sqlite://husly.db?mode=rwc", 4)
                .expect("url")
                .is_some()
        );
    }
}
