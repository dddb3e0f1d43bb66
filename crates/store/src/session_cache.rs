//! Live sessions remembered between requests, so that a page does not read the session, the user
//! and their roles from the database on every request; and, for the same time, the active users
//! holding a role in a municipality (the caseworkers a case page offers to give a case or a task
//! to, a statement on every case view).
//!
//! An entry is used for at most the cache's lifetime (two seconds by default) after it was read.
//! This server forgets an entry at once when the session ends or changes (logout, another
//! municipality) and forgets every entry when any user's roles, password or active flag change.
//! Another server on the same database learns of such a change when its own entry runs out: the
//! staleness is bounded by the lifetime (a contract test checks both).

use crate::accounts::User;
use crate::sessions::Session;
use husly_domain::authz::Role;
use husly_domain::{MunicipalityId, UserId};
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
    holders: Mutex<HashMap<(MunicipalityId, Role), Holders>>,
}

/// The active users holding a role, as (id, display name) by name.
pub(crate) type HolderList = Vec<(UserId, String)>;

struct Holders {
    read_at: Instant,
    users: HolderList,
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
            holders: Mutex::default(),
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
        if let Ok(mut holders) = self.holders.lock() {
            holders.clear();
        }
    }

    /// The role's holders in the municipality, if read less than the lifetime ago.
    pub(crate) fn holders(&self, municipality: MunicipalityId, role: Role) -> Option<HolderList> {
        if self.lifetime.is_zero() {
            return None;
        }
        let holders = self.holders.lock().ok()?;
        let kept = holders.get(&(municipality, role))?;
        (kept.read_at.elapsed() < self.lifetime).then(|| kept.users.clone())
    }

    /// Keeps the holders as read at `read_at`, taken before the read: a change to a user
    /// committed while it ran is then never kept for longer than the lifetime after it.
    pub(crate) fn put_holders(&self, municipality: MunicipalityId, role: Role, read_at: Instant, users: &HolderList) {
        if self.lifetime.is_zero() {
            return;
        }
        if let Ok(mut holders) = self.holders.lock() {
            holders.insert(
                (municipality, role),
                Holders {
                    read_at,
                    users: users.clone(),
                },
            );
        }
    }
}
