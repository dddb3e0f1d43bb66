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
    holders: Mutex<KeptHolders>,
}

/// The role holders kept, and how many times they were forgotten: a list read before the last
/// forgetting is not kept.
#[derive(Default)]
struct KeptHolders {
    lists: HashMap<(MunicipalityId, Role), Holders>,
    forgotten: u64,
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
            holders.lists.clear();
            holders.forgotten += 1;
        }
    }

    /// The role's holders in the municipality if read less than the lifetime ago; else what to
    /// give [`SessionCache::put_holders`] with the list read afresh.
    pub(crate) fn holders(&self, municipality: MunicipalityId, role: Role) -> Result<HolderList, HoldersRead> {
        // A poisoned lock keeps nothing: no count of forgettings matches `u64::MAX`.
        let Ok(holders) = self.holders.lock() else {
            return Err(HoldersRead {
                at: Instant::now(),
                forgotten: u64::MAX,
            });
        };
        let read = HoldersRead {
            at: Instant::now(),
            forgotten: holders.forgotten,
        };
        if self.lifetime.is_zero() {
            return Err(read);
        }
        match holders.lists.get(&(municipality, role)) {
            Some(kept) if kept.read_at.elapsed() < self.lifetime => Ok(kept.users.clone()),
            _ => Err(read),
        }
    }

    /// Keeps the holders read after [`SessionCache::holders`] gave `read`, unless a change on
    /// this server made them forgotten meanwhile. They are kept for the lifetime from before the
    /// read, so a change committed elsewhere while it ran is never kept longer than that after it.
    pub(crate) fn put_holders(&self, municipality: MunicipalityId, role: Role, read: HoldersRead, users: &HolderList) {
        if self.lifetime.is_zero() {
            return;
        }
        if let Ok(mut holders) = self.holders.lock()
            && holders.forgotten == read.forgotten
        {
            holders.lists.insert(
                (municipality, role),
                Holders {
                    read_at: read.at,
                    users: users.clone(),
                },
            );
        }
    }
}

/// When a list of role holders was found missing from the cache, and how many times the cache had
/// been forgotten then.
pub(crate) struct HoldersRead {
    at: Instant,
    forgotten: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn municipality() -> MunicipalityId {
        MunicipalityId("01a24634-7263-70a7-b260-e66266e3f277".parse().expect("uuid"))
    }

    #[test]
    fn holders_read_before_a_change_here_are_not_kept_after_it() {
        let cache = SessionCache::new(Duration::from_secs(60));
        let users: HolderList = vec![(UserId::new(), "Anna Arbeid".into())];
        let Err(read) = cache.holders(municipality(), Role::Caseworker) else {
            panic!("nothing kept yet")
        };
        cache.put_holders(municipality(), Role::Caseworker, read, &users);
        assert_eq!(
            cache.holders(municipality(), Role::Caseworker).ok(),
            Some(users.clone())
        );

        // A read that began before a change on this server is not kept after it.
        cache.forget_all();
        let Err(read) = cache.holders(municipality(), Role::Caseworker) else {
            panic!("forgotten")
        };
        cache.forget_all();
        cache.put_holders(municipality(), Role::Caseworker, read, &users);
        assert!(cache.holders(municipality(), Role::Caseworker).is_err());
    }

    #[test]
    fn a_lifetime_of_zero_keeps_nothing() {
        let cache = SessionCache::new(Duration::ZERO);
        let Err(read) = cache.holders(municipality(), Role::Caseworker) else {
            panic!("nothing kept")
        };
        cache.put_holders(municipality(), Role::Caseworker, read, &vec![]);
        assert!(cache.holders(municipality(), Role::Caseworker).is_err());
    }
}
