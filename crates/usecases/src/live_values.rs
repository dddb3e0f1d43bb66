//! The built-in indicators' values computed from the live data, kept for a short while: the
//! plan page, a goal's dashboard and the status report then read this year's facts once a
//! minute (by default) per municipality, not on every view. A leader following the plan needs
//! today's figure, not this second's; the pages say when it was computed. A value a little past
//! its time (up to twice it) is still shown while one refresh per municipality computes the new
//! one in the background, so a page viewed now and then never waits. Past years come from the
//! daily snapshots and are not kept here. See `docs/architecture.md`, "The action plan and its
//! indicators".

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use husly_domain::MunicipalityId;
use husly_domain::indicators::Value;
use time::{Date, OffsetDateTime};

/// How long a computed value is used by default.
pub const DEFAULT_TTL: Duration = Duration::from_secs(60);

/// Above this many entries, a put first drops those that have aged out.
const SWEEP_ABOVE: usize = 50_000;

/// A value as computed: the definition's figure for a year as seen on a day.
type Key = (MunicipalityId, String, i32, Date);

#[derive(Debug, Clone, Copy)]
struct Entry {
    value: Option<Value>,
    kept: Instant,
    computed_at: OffsetDateTime,
}

/// How a kept value stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// Within its time: shown as it is.
    Fresh(Option<Value>, OffsetDateTime),
    /// Past its time but within twice it: shown while a refresh computes the new one.
    Stale(Option<Value>, OffsetDateTime),
}

/// Computed values by municipality, definition, year and day, each used for `ttl`.
#[derive(Debug)]
pub struct LiveValueCache {
    ttl: Duration,
    entries: Mutex<HashMap<Key, Entry>>,
    /// The municipalities whose values are being computed in the background.
    refreshing: Mutex<HashSet<MunicipalityId>>,
}

impl LiveValueCache {
    /// A cache that keeps values for `ttl`; zero keeps none (every view computes).
    pub fn new(ttl: Duration) -> LiveValueCache {
        LiveValueCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
            refreshing: Mutex::new(HashSet::new()),
        }
    }

    /// The value kept, fresh or a little past its time; `None` when there is none or it is
    /// older than twice its time.
    pub fn lookup(&self, municipality: MunicipalityId, definition: &str, year: i32, today: Date) -> Option<Kept> {
        if self.ttl.is_zero() {
            return None;
        }
        let key = (municipality, definition.to_string(), year, today);
        let entry = *self.entries().get(&key)?;
        let age = entry.kept.elapsed();
        if age < self.ttl {
            Some(Kept::Fresh(entry.value, entry.computed_at))
        } else if age < self.ttl * 2 {
            Some(Kept::Stale(entry.value, entry.computed_at))
        } else {
            None
        }
    }

    /// Marks the municipality's values as being refreshed; `false` when a refresh already runs.
    pub fn begin_refresh(&self, municipality: MunicipalityId) -> bool {
        self.refreshing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(municipality)
    }

    /// The refresh of the municipality's values is over (done or failed).
    pub fn end_refresh(&self, municipality: MunicipalityId) {
        self.refreshing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(&municipality);
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Entry>> {
        // A panic while holding the lock leaves nothing half-done in a map of copies.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Keeps a value computed at `computed_at`.
    pub fn put(
        &self,
        (municipality, definition, year, today): (MunicipalityId, &str, i32, Date),
        value: Option<Value>,
        computed_at: OffsetDateTime,
    ) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries();
        if entries.len() > SWEEP_ABOVE {
            let shown_until = self.ttl * 2;
            entries.retain(|_, e| e.kept.elapsed() < shown_until);
        }
        entries.insert(
            (municipality, definition.to_string(), year, today),
            Entry {
                value,
                kept: Instant::now(),
                computed_at,
            },
        );
    }

    /// How many values are kept (aged out or not).
    pub fn len(&self) -> usize {
        self.entries().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for LiveValueCache {
    fn default() -> Self {
        LiveValueCache::new(DEFAULT_TTL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use husly_domain::action_plan::Figure;
    use time::macros::{date, datetime};

    fn value(n: i64) -> Option<Value> {
        Some(Value {
            figure: Figure(n),
            cases: n,
            numerator: None,
        })
    }

    #[test]
    fn a_value_is_used_within_its_time_and_by_its_key_only() {
        let cache = LiveValueCache::new(Duration::from_millis(200));
        let m = MunicipalityId::new();
        let today = date!(2026 - 12 - 05);
        let at = datetime!(2026-12-05 10:00 UTC);
        assert_eq!(cache.lookup(m, "applications_received", 2026, today), None);
        cache.put((m, "applications_received", 2026, today), value(7), at);
        assert_eq!(
            cache.lookup(m, "applications_received", 2026, today),
            Some(Kept::Fresh(value(7), at))
        );
        // Another definition, year, day or municipality is another value.
        assert_eq!(cache.lookup(m, "refused_share", 2026, today), None);
        assert_eq!(cache.lookup(m, "applications_received", 2025, today), None);
        assert_eq!(
            cache.lookup(m, "applications_received", 2026, date!(2026 - 12 - 06)),
            None
        );
        assert_eq!(
            cache.lookup(MunicipalityId::new(), "applications_received", 2026, today),
            None
        );
        // A value with no figure is kept as such.
        cache.put((m, "refused_share", 2026, today), None, at);
        assert_eq!(
            cache.lookup(m, "refused_share", 2026, today),
            Some(Kept::Fresh(None, at))
        );
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(
            cache.lookup(m, "applications_received", 2026, today),
            Some(Kept::Stale(value(7), at)),
            "aged out, still shown while it is refreshed"
        );
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(
            cache.lookup(m, "applications_received", 2026, today),
            None,
            "too old to show"
        );
    }

    #[test]
    fn one_refresh_runs_per_municipality() {
        let cache = LiveValueCache::default();
        let (m, other) = (MunicipalityId::new(), MunicipalityId::new());
        assert!(cache.begin_refresh(m));
        assert!(!cache.begin_refresh(m), "a second waits for the first");
        assert!(cache.begin_refresh(other));
        cache.end_refresh(m);
        assert!(cache.begin_refresh(m));
    }

    #[test]
    fn a_cache_without_time_keeps_nothing() {
        let cache = LiveValueCache::new(Duration::ZERO);
        let m = MunicipalityId::new();
        let today = date!(2026 - 12 - 05);
        cache.put(
            (m, "applications_received", 2026, today),
            value(1),
            datetime!(2026-12-05 10:00 UTC),
        );
        assert!(cache.is_empty());
        assert_eq!(cache.lookup(m, "applications_received", 2026, today), None);
    }
}
