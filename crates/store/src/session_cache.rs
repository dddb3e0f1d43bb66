//! Live sessions remembered between requests, so that a page does not read the session, the user
//! and their roles from the database on every request.
//!
//! An entry is used for at most the cache's lifetime (two seconds by default) after it was read.
//! This server forgets an entry at once when the session ends or changes (logout, another
//! municipality) and forgets every entry when any user's roles, password or active flag change.
//! Another server on the same database learns of such a change when its own entry runs out: the
//! staleness is bounded by the lifetime (a contract test checks both).

use crate::accounts::User;
use crate::sessions::Session;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The lifetime of an entry unless the options say otherwise.
pub const DEFAULT_SESSION_CACHE: Duration = Duration::from_secs(2);

/// Most entries kept (a few hundred bytes each); when full the cache starts over.
const MAX_ENTRIES: usize = 10_000;

pub(crate) struct SessionCache {
    lifetime: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

struct Entry {
    read_at: Instant,
    session: Session,
    user: User,
}

impl SessionCache {
    pub(crate) fn new(lifetime: Duration) -> SessionCache {
        SessionCache {
            lifetime,
            entries: Mutex::default(),
        }
    }

    /// The session under this secret's hash, if read less than the lifetime ago and not expired.
    pub(crate) fn get(&self, token_hash: &str, now_micros: i64) -> Option<(Session, User)> {
        if self.lifetime.is_zero() {
            return None;
        }
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(token_hash)?;
        (entry.read_at.elapsed() < self.lifetime && entry.session.expires_at > now_micros)
            .then(|| (entry.session.clone(), entry.user.clone()))
    }

    pub(crate) fn put(&self, token_hash: String, session: &Session, user: &User) {
        if self.lifetime.is_zero() {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(
                token_hash,
                Entry {
                    read_at: Instant::now(),
                    session: session.clone(),
                    user: user.clone(),
                },
            );
        }
    }

    pub(crate) fn forget(&self, token_hash: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(token_hash);
        }
    }

    pub(crate) fn forget_all(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}
