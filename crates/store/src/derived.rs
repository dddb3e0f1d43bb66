//! Values derived from a municipality's data, kept in memory between requests while the data
//! they were built from is unchanged: the ranked waiting list, checked against the counter of
//! [`Store::waiting_list_generation`], and the work queue's counts, checked against
//! [`Store::queue_generation`].
//!
//! The store holds them so that every handle to one database shares them (and two databases in
//! one process never do). What a value holds, and when it is stale, is its builder's business:
//! the value carries its own key and the caller compares it.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use husly_domain::MunicipalityId;

use crate::Store;
use crate::error::StoreResult;

type Slot = (MunicipalityId, TypeId);

/// Kept values, one per municipality and type, and the locks that let one request build a
/// value while the others wait for it instead of building it too.
#[derive(Default)]
pub struct Derived {
    values: Mutex<HashMap<Slot, Arc<dyn Any + Send + Sync>>>,
    builders: Mutex<HashMap<Slot, Arc<tokio::sync::Mutex<()>>>>,
}

impl Derived {
    /// The kept value of type `T` for the municipality, if any.
    pub fn get<T: Any + Send + Sync>(&self, municipality: MunicipalityId) -> Option<Arc<T>> {
        let values = self.values.lock().unwrap_or_else(PoisonError::into_inner);
        values
            .get(&(municipality, TypeId::of::<T>()))
            .and_then(|v| Arc::clone(v).downcast::<T>().ok())
    }

    /// Keeps `value` for the municipality, replacing the one before.
    pub fn put<T: Any + Send + Sync>(&self, municipality: MunicipalityId, value: Arc<T>) {
        let mut values = self.values.lock().unwrap_or_else(PoisonError::into_inner);
        values.insert((municipality, TypeId::of::<T>()), value);
    }

    /// The lock to hold while building a `T` for the municipality.
    pub fn builder<T: Any>(&self, municipality: MunicipalityId) -> Arc<tokio::sync::Mutex<()>> {
        let mut builders = self.builders.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(builders.entry((municipality, TypeId::of::<T>())).or_default())
    }
}

impl Store {
    /// The values derived from this database's data.
    pub fn derived(&self) -> &Derived {
        &self.shared.derived
    }

    /// A number that moves whenever anything the municipality's waiting list is read from
    /// changes (kept by triggers, see migration 21). Read it before the list: a change committed
    /// between the two reads then costs one more rebuild, never a stale list.
    pub async fn waiting_list_generation(&self, municipality: MunicipalityId) -> StoreResult<i64> {
        self.generation("waiting_list_generation", municipality).await
    }

    /// A number that moves whenever a case of the municipality comes, goes or changes what the
    /// work queue's tabs select by (kept by triggers, see migration 42). Read it before the
    /// counts, as [`Store::waiting_list_generation`] before the list.
    pub async fn queue_generation(&self, municipality: MunicipalityId) -> StoreResult<i64> {
        self.generation("queue_generation", municipality).await
    }

    /// The municipality's value of a change counter table (0 before its first change).
    async fn generation(&self, table: &'static str, municipality: MunicipalityId) -> StoreResult<i64> {
        let sql = format!("SELECT generation FROM {table} WHERE municipality_id = $1");
        let generation: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .fetch_optional(&mut self.key_read().await?)
            .await?;
        Ok(generation.unwrap_or(0))
    }
}
