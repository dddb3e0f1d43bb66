//! What sqlx's `Any` driver costs on the hot path, against sqlx's own SQLite driver, and what
//! reading through one pinned connection saves (docs/benchmarks.md, "The hot path, 5 Dec 2026").
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
    store: Store,
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
    Fixture {
        any: store.pool().clone(),
        sqlite,
        store,
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

/// Six reads of one household as a page does them: each on a pool connection, or all on one
/// connection of a pinned handle.
async fn page_reads(store: &Store, municipality: husly_domain::MunicipalityId, id: husly_domain::HouseholdId) {
    for _ in 0..6 {
        black_box(store.household(municipality, id).await.expect("household"));
    }
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
    alone.finish();

    let mut loaded = c.benchmark_group("members query, 64 tasks × 20 reads");
    loaded.sample_size(20);
    for (name, any) in [("Any driver", true), ("SQLite driver", false)] {
        loaded.bench_function(name, |b| {
            b.iter_custom(|iterations| {
                timed_rounds(&runtime, iterations, |t| {
                    let f = f.clone();
                    async move {
                        for r in 0..READS_PER_TASK {
                            let i = t * READS_PER_TASK + r;
                            black_box(if any {
                                through_any(&f, i).await
                            } else {
                                through_sqlite(&f, i).await
                            });
                        }
                    }
                })
            })
        });
    }
    loaded.finish();

    let municipality = f.municipality.parse().expect("municipality id");
    let households: Vec<husly_domain::HouseholdId> = f
        .households
        .iter()
        .map(|id| id.parse().expect("household id"))
        .collect();
    let mut page = c.benchmark_group("six household reads, 64 tasks");
    page.sample_size(20);
    for (name, pinned) in [("a pool connection per read", false), ("one pinned connection", true)] {
        page.bench_function(name, |b| {
            b.iter_custom(|iterations| {
                timed_rounds(&runtime, iterations, |t| {
                    let store = if pinned { f.store.pinned() } else { f.store.clone() };
                    let id = households[t % households.len()];
                    async move { page_reads(&store, municipality, id).await }
                })
            })
        });
    }
    page.finish();
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
