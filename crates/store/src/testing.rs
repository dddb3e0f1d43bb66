//! Test support: a fresh, migrated database per test, on SQLite always and on PostgreSQL when
//! `HUSLY_TEST_POSTGRES_URL` is set (CI sets it and fails if the PostgreSQL run did not happen).

use crate::db::{Backend, Store, StoreOptions};
use crate::error::StoreResult;
use sqlx::Executor;

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
        let dir = tempfile::tempdir().map_err(|e| crate::StoreError::Other(e.into()))?;
        let url = crate::db::sqlite_url_for(&dir.path().join("husly.db"));
        let store = Store::connect(&url, &StoreOptions::default()).await?;
        store.migrate().await?;
        Ok(TestDb {
            store,
            url,
            _dir: Some(dir),
        })
    }

    /// A fresh database on the PostgreSQL server from [`POSTGRES_URL_VAR`], or `None` when unset.
    pub async fn postgres() -> StoreResult<Option<TestDb>> {
        let Ok(base) = std::env::var(POSTGRES_URL_VAR) else {
            return Ok(None);
        };
        let name = format!("husly_test_{}", uuid::Uuid::now_v7().simple());
        sqlx::any::install_default_drivers();
        let admin = sqlx::AnyPool::connect(&base).await?;
        admin
            .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await?;
        admin.close().await;
        let url = replace_database(&base, &name);
        let store = Store::connect(
            &url,
            &StoreOptions {
                max_connections: 8,
                ..Default::default()
            },
        )
        .await?;
        store.migrate().await?;
        Ok(Some(TestDb { store, url, _dir: None }))
    }

    /// Both backends that are available: SQLite, and PostgreSQL when configured.
    pub async fn all() -> StoreResult<Vec<TestDb>> {
        let mut dbs = vec![TestDb::sqlite().await?];
        dbs.extend(TestDb::postgres().await?);
        Ok(dbs)
    }

    pub fn backend(&self) -> Backend {
        self.store.backend()
    }
}

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
