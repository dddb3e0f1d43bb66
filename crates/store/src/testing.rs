//! Test support: a fresh, migrated database per test, on SQLite always and on PostgreSQL when
//! `HUSLY_TEST_POSTGRES_URL` is set (CI sets it and fails if the PostgreSQL run did not happen).

use crate::db::{Backend, Store, StoreOptions};
use crate::error::StoreResult;
use sqlx::{Connection, Executor};

/// The environment variable naming the PostgreSQL server for tests, e.g.
/// `postgres://postgres@127.0.0.1:5432/test`.
pub const POSTGRES_URL_VAR: &str = "HUSLY_TEST_POSTGRES_URL";

/// A database that lives as long as the value: a temporary SQLite file, or a PostgreSQL database
/// created for this test alone.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn sqlite() -> StoreResult<TestDb> {
        let db = TestDb::empty_sqlite().await?;
        db.store.migrate().await?;
        Ok(db)
    }

    async fn empty_sqlite() -> StoreResult<TestDb> {
        let dir = tempfile::tempdir().map_err(|e| crate::StoreError::Other(e.into()))?;
        let url = crate::db::sqlite_url_for(&dir.path().join("husly.db"));
        let store = Store::connect(&url, &StoreOptions::default()).await?;
        Ok(TestDb {
            store,
            url,
            _dir: Some(dir),
        })
    }

    /// A fresh database on the PostgreSQL server from [`POSTGRES_URL_VAR`], or `None` when unset.
    ///
    /// Copied from a migrated template (see [`migrated_template`]) and then migrated as every
    /// database is, which finds nothing to apply and gives the copy its own installation key.
    pub async fn postgres() -> StoreResult<Option<TestDb>> {
        let Ok(base) = std::env::var(POSTGRES_URL_VAR) else {
            return Ok(None);
        };
        let template = migrated_template(&base).await?;
        let db = TestDb::new_postgres(&base, Some(&template)).await?;
        db.store.migrate().await?;
        Ok(Some(db))
    }

    async fn empty_postgres() -> StoreResult<Option<TestDb>> {
        let Ok(base) = std::env::var(POSTGRES_URL_VAR) else {
            return Ok(None);
        };
        TestDb::new_postgres(&base, None).await.map(Some)
    }

    async fn new_postgres(base: &str, template: Option<&str>) -> StoreResult<TestDb> {
        let name = format!("husly_test_{}", uuid::Uuid::now_v7().simple());
        let create = match template {
            Some(template) => format!("CREATE DATABASE {name} TEMPLATE {template}"),
            None => format!("CREATE DATABASE {name}"),
        };
        sqlx::any::install_default_drivers();
        let admin = sqlx::AnyPool::connect(base).await?;
        admin.execute(sqlx::AssertSqlSafe(create)).await?;
        admin.close().await;
        let url = replace_database(base, &name);
        let store = Store::connect(
            &url,
            &StoreOptions {
                max_connections: 8,
                ..Default::default()
            },
        )
        .await?;
        Ok(TestDb { store, url, _dir: None })
    }

    /// Both backends that are available: SQLite, and PostgreSQL when configured.
    pub async fn all() -> StoreResult<Vec<TestDb>> {
        let mut dbs = vec![TestDb::sqlite().await?];
        dbs.extend(TestDb::postgres().await?);
        Ok(dbs)
    }

    /// Both backends, with no migration applied (to upgrade a database with data in it).
    pub async fn all_empty() -> StoreResult<Vec<TestDb>> {
        let mut dbs = vec![TestDb::empty_sqlite().await?];
        dbs.extend(TestDb::empty_postgres().await?);
        Ok(dbs)
    }

    pub fn backend(&self) -> Backend {
        self.store.backend()
    }
}

/// The name of a PostgreSQL database migrated to [`LATEST`](crate::migrate::LATEST) that the
/// test databases are copied from, made once on the server by whichever test asks first.
///
/// A copy and its migration take about 0.1 s, a migration from empty 0.5–1.2 s since schema 47,
/// and the suite makes some 170 of them. The name carries a digest of the migrations, so a changed
/// migration gets a new template; `scripts/test` drops every `husly_test_%` database, templates
/// included, before each run, so code run by a migration is never older than the run either.
/// An advisory lock lets one process build it while the others wait; it is built under a
/// second name and renamed, so a run killed half way leaves no half-migrated template.
async fn migrated_template(base: &str) -> StoreResult<String> {
    static READY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(name) = READY.get() {
        return Ok(name.clone());
    }
    let name = format!("husly_test_template_{}", &crate::migrate::digest()[..16]);
    let building = format!("{name}_building");
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(base).await?;
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(TEMPLATE_LOCK)
        .execute(&mut admin)
        .await?;
    let exists = sqlx::query("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut admin)
        .await?
        .is_some();
    if !exists {
        for sql in [
            format!("DROP DATABASE IF EXISTS {building}"),
            format!("CREATE DATABASE {building}"),
        ] {
            admin.execute(sqlx::AssertSqlSafe(sql)).await?;
        }
        let store = Store::connect(&replace_database(base, &building), &StoreOptions::default()).await?;
        store.migrate_through(crate::migrate::LATEST).await?;
        crate::search::vacuum_after_rebuild(&store).await?;
        store.close().await;
        let rename = format!("ALTER DATABASE {building} RENAME TO {name}");
        admin.execute(sqlx::AssertSqlSafe(rename)).await?;
    }
    // Closing the connection releases the lock.
    admin.close().await?;
    Ok(READY.get_or_init(|| name).clone())
}

/// The advisory lock held while a test template is built: any fixed number, the same in every
/// test process.
const TEMPLATE_LOCK: i64 = 0x4875_736c_7954_706c;

/// Swaps the database name in a PostgreSQL URL (keeping any query string).
pub fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let prefix = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

/// What an attacker with write access to the database can do to the audit log without
/// `verify_audit` noticing (the chain's hash is unkeyed and its head lives in the same database):
/// remove entry `seq` of `chain` — the newest, or one in the middle — renumber and rehash the
/// entries after it, and move the head. Only the checkpoints kept outside the database find it.
pub async fn rewrite_audit_chain_without(store: &Store, chain: &str, seq: i64) -> StoreResult<()> {
    use crate::audit::{AuditEntry, ENTRY_COLUMNS, GENESIS, Log};
    let log = Log::of_chain(chain);
    let (entries_table, heads_table) = (log.entry_table(), log.head_table());
    let mut tx = store.write().await?;
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM {entries_table} WHERE chain = $1 ORDER BY seq");
    let entries: Vec<AuditEntry> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(chain)
        .fetch_all(tx.conn())
        .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM {entries_table} WHERE chain = $1"
    )))
    .bind(chain)
    .execute(tx.conn())
    .await?;
    let mut prev = GENESIS.to_string();
    let mut next = 1;
    for mut entry in entries.into_iter().filter(|e| e.seq != seq) {
        entry.seq = next;
        entry.prev_hash = prev;
        entry.hash = entry.compute_hash();
        crate::audit::insert_entries(tx.conn(), log, std::slice::from_ref(&entry)).await?;
        prev = entry.hash;
        next += 1;
    }
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {heads_table} SET seq = $1, hash = $2 WHERE chain = $3"
    )))
    .bind(next - 1)
    .bind(&prev)
    .bind(chain)
    .execute(tx.conn())
    .await?;
    tx.commit().await
}

/// Runs a statement as it is, outside the store's rules: for tests that break the database on
/// purpose (a table gone) to see how the program fails.
pub async fn execute_raw(store: &Store, sql: &str) -> StoreResult<()> {
    store.pool().execute(sqlx::AssertSqlSafe(sql.to_string())).await?;
    Ok(())
}

/// The steps of `sql`'s plan that read a whole table instead of looking rows up in an index, on
/// this store's backend: PostgreSQL's `Seq Scan` with sequential scans turned off (so that one is
/// planned only where no index can serve) and index scans with no condition on the index (which
/// read the whole index, as a merge join does from the index's start); SQLite's `SCAN` and
/// automatic indexes. A point lookup that has any costs in proportion to the municipality's size.
/// `binds` fill `$1`, `$2`, ….
pub async fn full_scans(store: &Store, sql: &str, binds: &[&str]) -> StoreResult<Vec<String>> {
    let steps = query_plan(store, sql, binds).await?;
    match store.backend() {
        Backend::Postgres => Ok(whole_reads(&steps)),
        Backend::Sqlite => {
            // A subquery's own rows (`MATERIALIZE x` or `CO-ROUTINE x`, then `SCAN x`) are no
            // table; what it reads is planned in its own steps. Nor is the one row of a
            // statement without a table (`SCAN CONSTANT ROW`).
            let subqueries: Vec<&str> = steps
                .iter()
                .filter_map(|s| s.strip_prefix("MATERIALIZE ").or(s.strip_prefix("CO-ROUTINE ")))
                .collect();
            Ok(steps
                .iter()
                .filter(|step| {
                    let scanned = step
                        .strip_prefix("SCAN ")
                        .map(|rest| rest.split(' ').next().unwrap_or(rest));
                    match scanned {
                        Some(_) if *step == "SCAN CONSTANT ROW" => false,
                        Some(name) => !subqueries.contains(&name),
                        None => step.contains("AUTOMATIC"),
                    }
                })
                .map(|step| step.trim().to_string())
                .collect())
        }
    }
}

/// `sql`'s plan on this store's backend, a line per step: PostgreSQL's `EXPLAIN` with sequential
/// scans turned off (see [`full_scans`]), SQLite's `EXPLAIN QUERY PLAN` details. `binds` fill
/// `$1`, `$2`, ….
pub async fn query_plan(store: &Store, sql: &str, binds: &[&str]) -> StoreResult<Vec<String>> {
    use sqlx::Row;
    // In a transaction that is rolled back, so the setting leaves with it.
    let mut tx = store.pool().begin().await?;
    let explain = match store.backend() {
        Backend::Postgres => {
            (&mut *tx).execute("SET LOCAL enable_seqscan = off").await?;
            format!("EXPLAIN {sql}")
        }
        Backend::Sqlite => format!("EXPLAIN QUERY PLAN {sql}"),
    };
    let mut query = sqlx::query(sqlx::AssertSqlSafe(explain));
    for bind in binds {
        query = query.bind(*bind);
    }
    let rows = query.fetch_all(&mut *tx).await?;
    tx.rollback().await?;
    let step = |row: &sqlx::any::AnyRow| match store.backend() {
        Backend::Postgres => row.try_get(0),
        Backend::Sqlite => row.try_get("detail"),
    };
    Ok(rows.iter().map(step).collect::<Result<_, _>>()?)
}

/// The nodes of a PostgreSQL text plan that read a whole table or index: a `Seq Scan`, or an
/// index scan without an `Index Cond` among the lines indented under it (its details, before the
/// next node).
fn whole_reads(plan: &[String]) -> Vec<String> {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let node = |line: &str| line.trim_start().trim_start_matches("->").trim().to_string();
    let mut found = Vec::new();
    for (at, line) in plan.iter().enumerate() {
        let step = node(line);
        let index_scan = ["Index Scan", "Index Only Scan", "Bitmap Index Scan"]
            .iter()
            .any(|kind| step.starts_with(kind));
        let details = plan[at + 1..]
            .iter()
            .take_while(|l| indent(l) > indent(line) && !l.trim_start().starts_with("->"));
        if step.starts_with("Seq Scan") || (index_scan && !details.clone().any(|l| l.contains("Index Cond:"))) {
            found.push(step);
        }
    }
    found
}

/// Asserts on every test backend that `sql` reads no whole table (see [`full_scans`]).
pub async fn assert_reads_by_index(sql: &str, binds: &[&str]) {
    for db in TestDb::all().await.expect("test databases") {
        let scans = full_scans(&db.store, sql, binds).await.expect("the plan");
        assert!(scans.is_empty(), "{:?} reads whole tables: {scans:?}", db.backend());
    }
}

#[cfg(test)]
mod tests {
    use super::{TestDb, whole_reads};
    use sqlx::Row;

    /// Copies of the migrated template are at the newest schema, each with its own
    /// installation key (made when the copy is migrated), as a database migrated from empty is.
    #[tokio::test]
    async fn postgresql_test_databases_are_migrated_copies_with_keys_of_their_own() {
        let (Some(first), Some(second)) = (
            TestDb::postgres().await.expect("first"),
            TestDb::postgres().await.expect("second"),
        ) else {
            return;
        };
        let mut keys = Vec::new();
        for db in [&first, &second] {
            let newest: i64 = sqlx::query("SELECT MAX(version) AS v FROM schema_migration")
                .fetch_one(db.store.pool())
                .await
                .expect("schema version")
                .get("v");
            assert_eq!(newest, crate::migrate::LATEST);
            let key: String = sqlx::query("SELECT value FROM installation WHERE key = 'audit_hmac_key'")
                .fetch_one(db.store.pool())
                .await
                .expect("installation key")
                .get("value");
            keys.push(key);
        }
        assert_ne!(keys[0], keys[1], "two test databases share an installation key");
        let report = first.store.verify_audit().await.expect("audit of the first copy");
        assert!(report.first_break.is_none(), "{:?}", report.first_break);
    }

    fn plan(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn an_index_read_without_a_condition_counts_as_a_whole_read() {
        // The outreach list's batch as PostgreSQL planned it at 1 000 000 households: the
        // household key merged from its start.
        let merged = plan(
            "Limit  (cost=1006.08..21865.49 rows=2000 width=77)
  ->  Merge Join  (cost=1005.66..120890.26 rows=24130 width=179)
        Merge Cond: (t.household_id = h.id)
        ->  Index Scan using tenancy_household on tenancy t  (cost=0.55..72450.86 rows=339427 width=127)
              Index Cond: ((municipality_id = $1) AND (household_id > $2))
              Filter: ((to_date IS NULL) OR (to_date >= $3))
        ->  Index Scan using household_pkey on household h  (cost=0.42..65943.46 rows=1000000 width=89)
  ->  Seq Scan on address_protection pa  (cost=0.00..1.02 rows=2 width=74)",
        );
        let found = whole_reads(&merged);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("Index Scan using household_pkey on household h"));
        assert!(found[1].starts_with("Seq Scan on address_protection"));
        // Looked up by key: nothing read whole.
        let looked_up = plan(
            "Nested Loop  (cost=1.0..2.0 rows=1 width=8)
  ->  Index Scan using tenancy_household on tenancy t  (cost=0.55..8.57 rows=1 width=127)
        Index Cond: ((municipality_id = $1) AND (household_id > $2))
  ->  Index Only Scan using household_pkey on household h  (cost=0.42..8.44 rows=1 width=15)
        Index Cond: (id = t.household_id)",
        );
        assert!(whole_reads(&looked_up).is_empty());
    }
}
