//! Live sessions remembered between requests, so that a page does not read the session, the user
//! and their roles from the database on every request; and, for the same time, the active users
//! holding a role in a municipality (the caseworkers a case page offers to give a case or a task
//! to, a statement on every case view).
//!
//! An entry is used for at most the cache's lifetime (two seconds by default) after its read began.
//! This server forgets an entry at once when the session ends or changes (logout, another
//! municipality) and forgets every entry when any user's roles, password or active flag change;
//! a read that began before such a forgetting is not kept.
//! Another server on the same database learns of such a change when its own entry runs out: the
//! staleness is bounded by the lifetime (a contract test checks both).

use crate::accounts::User;
use crate::sessions::Session;
use husly_domain::authz::Role;
use husly_domain::{MunicipalityId, UserId};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The lifetime of an entry unless the options say otherwise.
pub const DEFAULT_SESSION_CACHE: Duration = Duration::from_secs(2);

/// Most entries kept (a few hundred bytes each); when full the cache starts over.
const MAX_ENTRIES: usize = 10_000;

pub(crate) struct SessionCache {
    lifetime: Duration,
    kept: Mutex<Kept>,
}

/// The sessions and role holders kept, and how many times this server forgot any of them: what was
/// read before the last forgetting is not kept, so a read that began before a logout or a role
/// change here and ended after it cannot bring back what the change ended.
#[derive(Default)]
struct Kept {
    sessions: HashMap<String, Entry>,
    holders: HashMap<(MunicipalityId, Role), Holders>,
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
            kept: Mutex::default(),
        }
    }

    /// The session under this secret's hash, if read less than the lifetime ago and not expired;
    /// else what to give [`SessionCache::put`] with the session read afresh.
    pub(crate) fn get(&self, token_hash: &str, now_micros: i64) -> Result<(Session, User), Read> {
        let (kept, read) = self.lock()?;
        match kept.sessions.get(token_hash) {
            Some(entry) if entry.read_at.elapsed() < self.lifetime && entry.session.expires_at > now_micros => {
                Ok((entry.session.clone(), entry.user.clone()))
            }
            _ => Err(read),
        }
    }

    /// Keeps the session read after [`SessionCache::get`] gave `read`, unless this server forgot
    /// anything meanwhile. It is kept for the lifetime from before the read, so a change committed
    /// elsewhere while the read ran is never kept longer than the lifetime after it.
    pub(crate) fn put(&self, token_hash: String, read: Read, session: &Session, user: &User) {
        if let Some(mut kept) = self.keeping(&read) {
            if kept.sessions.len() >= MAX_ENTRIES {
                kept.sessions.clear();
            }
            kept.sessions.insert(
                token_hash,
                Entry {
                    read_at: read.at,
                    session: session.clone(),
                    user: user.clone(),
                },
            );
        }
    }

    /// Forgets one session (its end, or a change of its municipality).
    pub(crate) fn forget(&self, token_hash: &str) {
        if let Ok(mut kept) = self.kept.lock() {
            kept.forgotten += 1;
            kept.sessions.remove(token_hash);
        }
    }

    /// Forgets everything (a change of a user's roles, password or active flag).
    pub(crate) fn forget_all(&self) {
        if let Ok(mut kept) = self.kept.lock() {
            kept.forgotten += 1;
            kept.sessions.clear();
            kept.holders.clear();
        }
    }

    /// The role's holders in the municipality if read less than the lifetime ago; else what to
    /// give [`SessionCache::put_holders`] with the list read afresh.
    pub(crate) fn holders(&self, municipality: MunicipalityId, role: Role) -> Result<HolderList, Read> {
        let (kept, read) = self.lock()?;
        match kept.holders.get(&(municipality, role)) {
            Some(holders) if holders.read_at.elapsed() < self.lifetime => Ok(holders.users.clone()),
            _ => Err(read),
        }
    }

    /// Keeps the holders read after [`SessionCache::holders`] gave `read`, as
    /// [`SessionCache::put`] keeps a session.
    pub(crate) fn put_holders(&self, municipality: MunicipalityId, role: Role, read: Read, users: &HolderList) {
        if let Some(mut kept) = self.keeping(&read) {
            kept.holders.insert(
                (municipality, role),
                Holders {
                    read_at: read.at,
                    users: users.clone(),
                },
            );
        }
    }

    /// The kept entries, and the read that a miss would start now. With a lifetime of zero (or a
    /// poisoned lock) nothing is found: the read is all there is.
    fn lock(&self) -> Result<(MutexGuard<'_, Kept>, Read), Read> {
        let at = Instant::now();
        // A poisoned lock keeps nothing: no count of forgettings matches `u64::MAX`.
        let Ok(kept) = self.kept.lock() else {
            return Err(Read {
                at,
                forgotten: u64::MAX,
            });
        };
        let read = Read {
            at,
            forgotten: kept.forgotten,
        };
        if self.lifetime.is_zero() {
            return Err(read);
        }
        Ok((kept, read))
    }

    /// The kept entries, if what `read` read may be kept: nothing was forgotten since it began.
    fn keeping(&self, read: &Read) -> Option<MutexGuard<'_, Kept>> {
        if self.lifetime.is_zero() {
            return None;
        }
        self.kept.lock().ok().filter(|kept| kept.forgotten == read.forgotten)
    }
}

/// When a session or a list of role holders was found missing from the cache, and how many times
/// the cache had been forgotten then.
pub(crate) struct Read {
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

    fn signed_in() -> (Session, User) {
        let user = User {
            id: UserId::new(),
            email: "anna.arbeid@example.invalid".into(),
            display_name: "Anna Arbeid".into(),
            disabled: false,
            roles: Default::default(),
            municipalities: Vec::new(),
        };
        let session = Session {
            user_id: user.id,
            csrf_token: "csrf".into(),
            municipality: Some(municipality()),
            expires_at: i64::MAX,
        };
        (session, user)
    }

    #[test]
    fn a_session_read_before_a_logout_here_is_not_kept_after_it() {
        let cache = SessionCache::new(Duration::from_secs(60));
        let (session, user) = signed_in();
        let Err(read) = cache.get("token", 0) else {
            panic!("nothing kept yet")
        };
        cache.put("token".into(), read, &session, &user);
        assert_eq!(cache.get("token", 0).ok().map(|(s, _)| s.user_id), Some(user.id));

        // The logout commits while another request's read of the session is under way.
        cache.forget("token");
        let Err(read) = cache.get("token", 0) else {
            panic!("forgotten at the logout")
        };
        cache.forget("token");
        cache.put("token".into(), read, &session, &user);
        assert!(cache.get("token", 0).is_err(), "the ended session came back");

        // So does a change of a user's roles.
        let Err(read) = cache.get("token", 0) else {
            panic!("not kept")
        };
        cache.forget_all();
        cache.put("token".into(), read, &session, &user);
        assert!(
            cache.get("token", 0).is_err(),
            "a session read before a role change was kept"
        );
    }

    #[test]
    fn a_session_is_kept_no_longer_than_the_lifetime_from_when_its_read_began() {
        let cache = SessionCache::new(Duration::from_millis(50));
        let (session, user) = signed_in();
        let Err(read) = cache.get("token", 0) else {
            panic!("nothing kept yet")
        };
        // A slow read: by the time it is kept, its lifetime has run out.
        std::thread::sleep(Duration::from_millis(60));
        cache.put("token".into(), read, &session, &user);
        assert!(cache.get("token", 0).is_err());
        // An expired session is not used, however fresh the entry.
        let Err(read) = cache.get("token", 0) else { panic!() };
        let expired = Session {
            expires_at: 10,
            ..session
        };
        cache.put("token".into(), read, &expired, &user);
        assert!(cache.get("token", 10).is_err());
        assert!(cache.get("token", 9).is_ok());
    }

    #[test]
    fn a_lifetime_of_zero_keeps_nothing() {
        let cache = SessionCache::new(Duration::ZERO);
        let Err(read) = cache.holders(municipality(), Role::Caseworker) else {
            panic!("nothing kept")
        };
        cache.put_holders(municipality(), Role::Caseworker, read, &vec![]);
        assert!(cache.holders(municipality(), Role::Caseworker).is_err());
        let (session, user) = signed_in();
        let Err(read) = cache.get("token", 0) else { panic!() };
        cache.put("token".into(), read, &session, &user);
        assert!(cache.get("token", 0).is_err());
    }
}
