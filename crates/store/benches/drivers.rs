//! What sqlx's `Any` driver costs on the hot path, against sqlx's own SQLite driver and against
//! the same SQLite library called directly on the task's own thread (rusqlite, no worker thread
//! and no channels), as the store's reads by key now run (docs/benchmarks.md, "The hot path,
//! 5 Dec 2026" and "Reads by key on the calling thread").
//!
//! The same statement — a household's members, as the household page reads them — on the same
//! SQLite file (2 000 seeded households), alone and as 64 tasks at once on two worker threads.
//!
//! `cargo bench -p husly-store --bench drivers`

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use husly_store::Store;
use husly_store::audit::Actor;
use husly_store::testing::TestDb;
use sqlx::Row;

const MEMBERS: &str = "SELECT p.id, p.given_name, p.family_name, p.birth_date, hm.relation FROM household_member hm \
     JOIN person p ON p.id = hm.person_id WHERE hm.municipality_id = $1 AND hm.household_id = $2 ORDER BY hm.position";
const TASKS: usize = 64;
const READS_PER_TASK: usize = 20;

struct Fixture {
    _db: TestDb,
    any: sqlx::AnyPool,
    sqlite: sqlx::SqlitePool,
    direct: Direct,
    municipality: String,
    households: Vec<String>,
}

async fn fixture() -> Fixture {
    let db = TestDb::sqlite().await.expect("a SQLite test database");
    let actor = Actor::cli("bench");
    let municipality = db
        .store
        .ensure_municipality("3301", "Benchkommune", false, &actor)
        .await
        .expect("municipality");
    db.store
        .seed_households(&municipality, 2_000, 1, &actor)
        .await
        .expect("seed");
    db.store.analyze().await.expect("analyze");
    let households: Vec<String> = sqlx::query("SELECT id FROM household ORDER BY id")
        .fetch_all(db.store.pool())
        .await
        .expect("household ids")
        .iter()
        .map(|row| row.get("id"))
        .collect();
    let options = husly_store::StoreOptions::default();
    let store = Store::connect(&db.url, &options).await.expect("store");
    let sqlite = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(options.max_connections)
        .test_before_acquire(false)
        .connect(&db.url)
        .await
        .expect("sqlite pool");
    let path = db.url.trim_start_matches("sqlite://").split('?').next().expect("path");
    let direct = Direct::open(std::path::Path::new(path), options.max_connections as usize);
    Fixture {
        direct,
        any: store.pool().clone(),
        sqlite,
        municipality: municipality.id.to_string(),
        households,
        _db: db,
    }
}

/// Reads one household's members through the `Any` pool, a statement per pool connection.
async fn through_any(f: &Fixture, i: usize) -> usize {
    let rows = sqlx::query(MEMBERS)
        .bind(&f.municipality)
        .bind(&f.households[i % f.households.len()])
        .fetch_all(&f.any)
        .await
        .expect("members");
    rows.iter().map(|r| r.get::<String, _>("given_name").len()).sum()
}

/// The same through sqlx's SQLite driver, no `Any` in between.
async fn through_sqlite(f: &Fixture, i: usize) -> usize {
    let rows = sqlx::query(MEMBERS)
        .bind(&f.municipality)
        .bind(&f.households[i % f.households.len()])
        .fetch_all(&f.sqlite)
        .await
        .expect("members");
    rows.iter().map(|r| r.get::<String, _>("given_name").len()).sum()
}

/// Read-only connections to the same file, each used by one task at a time on that task's own
/// thread: the statement runs where the caller is, with no hand-off to a worker thread.
struct Direct {
    idle: std::sync::Mutex<Vec<rusqlite::Connection>>,
}

impl Direct {
    fn open(path: &std::path::Path, connections: usize) -> Direct {
        let idle = (0..connections)
            .map(|_| {
                let conn = rusqlite::Connection::open_with_flags(
                    path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .expect("a read-only connection");
                conn.busy_timeout(Duration::from_secs(10)).expect("busy timeout");
                conn
            })
            .collect();
        Direct {
            idle: std::sync::Mutex::new(idle),
        }
    }

    fn members(&self, municipality: &str, household: &str) -> usize {
        let conn = self.idle.lock().expect("pool").pop().expect("an idle connection");
        let total = {
            let mut statement = conn.prepare_cached(MEMBERS).expect("prepare");
            let rows = statement
                .query_map([municipality, household], |row| {
                    Ok((
                        row.get::<_, String>("id")?,
                        row.get::<_, String>("given_name")?,
                        row.get::<_, String>("family_name")?,
                        row.get::<_, String>("birth_date")?,
                        row.get::<_, String>("relation")?,
                    ))
                })
                .expect("members")
                .collect::<Result<Vec<_>, _>>()
                .expect("rows");
            rows.iter().map(|r| r.1.len()).sum()
        };
        self.idle.lock().expect("pool").push(conn);
        total
    }
}

/// The same read on a direct connection, on the calling thread.
async fn through_direct(f: &Fixture, i: usize) -> usize {
    f.direct.members(&f.municipality, &f.households[i % f.households.len()])
}

fn drivers(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let f = std::sync::Arc::new(runtime.block_on(fixture()));

    let mut alone = c.benchmark_group("members query, one task");
    let mut i = 0;
    alone.bench_function("Any driver", |b| {
        b.iter(|| {
            i += 1;
            runtime.block_on(through_any(&f, i))
        })
    });
    alone.bench_function("SQLite driver", |b| {
        b.iter(|| {
            i += 1;
            runtime.block_on(through_sqlite(&f, i))
        })
    });
    alone.bench_function("direct, on the task's thread", |b| {
        b.iter(|| {
            i += 1;
            runtime.block_on(through_direct(&f, i))
        })
    });
    alone.finish();

    let mut loaded = c.benchmark_group("members query, 64 tasks × 20 reads");
    loaded.sample_size(20);
    for (name, driver) in [
        ("Any driver", Driver::Any),
        ("SQLite driver", Driver::Sqlite),
        ("direct, on the task's thread", Driver::Direct),
    ] {
        loaded.bench_function(name, |b| {
            b.iter_custom(|iterations| {
                timed_rounds(&runtime, iterations, |t| {
                    let f = f.clone();
                    async move {
                        for r in 0..READS_PER_TASK {
                            let i = t * READS_PER_TASK + r;
                            black_box(match driver {
                                Driver::Any => through_any(&f, i).await,
                                Driver::Sqlite => through_sqlite(&f, i).await,
                                Driver::Direct => through_direct(&f, i).await,
                            });
                            // A page's reads are separated by awaits; so are these.
                            tokio::task::yield_now().await;
                        }
                    }
                })
            })
        });
    }
    loaded.finish();
}

#[derive(Clone, Copy)]
enum Driver {
    Any,
    Sqlite,
    Direct,
}

/// The time of `iterations` rounds, each of `TASKS` tasks made by `task` running at once.
fn timed_rounds<F, Fut>(runtime: &tokio::runtime::Runtime, iterations: u64, task: F) -> Duration
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let mut total = Duration::ZERO;
    for _ in 0..iterations {
        let start = Instant::now();
        runtime.block_on(async {
            let tasks: Vec<_> = (0..TASKS).map(|t| tokio::spawn(task(t))).collect();
            for task in tasks {
                task.await.expect("task");
            }
        });
        total += start.elapsed();
    }
    total
}

criterion_group!(benches, drivers);
criterion_main!(benches);
