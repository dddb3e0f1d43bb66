//! Login throttling that slows a password guesser without letting anyone lock someone else out.
//!
//! Failures are counted three ways. Per account and address: after a few failures each further
//! attempt from that address waits longer (1 s, 2 s, 4 s … up to 15 minutes), so a guesser is slowed
//! to a crawl while the account's owner, from their own address, is not touched. Per account from
//! all addresses and per address for all accounts: a ceiling far above what a person mistypes,
//! against a guesser spread over many addresses or many accounts. Every refusal says how long to
//! wait (`Retry-After`). The same answer is given whether or not the account exists, so throttling
//! reveals nothing about who has an account.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures from one address for one account before each further attempt has to wait.
pub const FREE_FAILURES_PER_PAIR: u32 = 5;
/// The longest wait between attempts for one account from one address.
pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
/// Failures for one account from all addresses within [`WINDOW`] before it is closed for the rest
/// of the window: far above a person's mistakes, so a stranger cannot lock an account in passing.
pub const MAX_FAILURES_PER_ACCOUNT: u32 = 100;
/// Failures from one address for all accounts within [`WINDOW`].
pub const MAX_FAILURES_PER_ADDRESS: u32 = 100;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Which count closed the door, for the access log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lockout {
    /// One address slowed down for one account.
    AccountFromAddress,
    /// The account, from every address.
    Account,
    /// The address, for every account.
    Address,
}

impl Lockout {
    pub fn code(self) -> &'static str {
        match self {
            Lockout::AccountFromAddress => "account_from_address",
            Lockout::Account => "account",
            Lockout::Address => "address",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Count {
    failures: u32,
    first: Instant,
    last: Instant,
}

#[derive(Default)]
pub struct LoginThrottle {
    counts: Mutex<HashMap<String, Count>>,
}

fn account_key(email: &str) -> String {
    format!("account:{}", email.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("address:{address}")
}

fn pair_key(email: &str, address: &str) -> String {
    format!("pair:{}|{address}", email.trim().to_lowercase())
}

/// The wait after `failures` failures of one account from one address.
fn pair_delay(failures: u32) -> Duration {
    match failures.checked_sub(FREE_FAILURES_PER_PAIR) {
        None => Duration::ZERO,
        Some(over) => Duration::from_secs(1u64 << over.min(20)).min(MAX_DELAY),
    }
}

impl LoginThrottle {
    /// `Ok` when an attempt for this account from this address may be tried now, otherwise how
    /// long to wait.
    pub fn check(&self, email: &str, address: &str) -> Result<(), Duration> {
        self.check_at(email, address, Instant::now())
    }

    fn check_at(&self, email: &str, address: &str, now: Instant) -> Result<(), Duration> {
        let Ok(mut counts) = self.counts.lock() else {
            return Ok(());
        };
        // A count is forgotten once it has been quiet for a window (and, for a pair, its wait is over).
        counts.retain(|key, c| {
            let quiet = now.duration_since(c.last);
            let wait = if key.starts_with("pair:") {
                pair_delay(c.failures)
            } else {
                Duration::ZERO
            };
            quiet < WINDOW.max(wait)
        });
        let mut wait = Duration::ZERO;
        if let Some(c) = counts.get(&pair_key(email, address)) {
            wait = wait.max(pair_delay(c.failures).saturating_sub(now.duration_since(c.last)));
        }
        for (key, max) in [
            (account_key(email), MAX_FAILURES_PER_ACCOUNT),
            (address_key(address), MAX_FAILURES_PER_ADDRESS),
        ] {
            if let Some(c) = counts.get(&key).filter(|c| c.failures >= max) {
                wait = wait.max(WINDOW.saturating_sub(now.duration_since(c.first)));
            }
        }
        if wait.is_zero() { Ok(()) } else { Err(wait) }
    }

    /// Counts a failed attempt; says which count it closed, if it closed one just now.
    pub fn record_failure(&self, email: &str, address: &str) -> Option<Lockout> {
        self.record_failure_at(email, address, Instant::now())
    }

    fn record_failure_at(&self, email: &str, address: &str, now: Instant) -> Option<Lockout> {
        let Ok(mut counts) = self.counts.lock() else {
            return None;
        };
        let mut bump = |key: String| {
            let c = counts.entry(key).or_insert(Count {
                failures: 0,
                first: now,
                last: now,
            });
            c.failures += 1;
            c.last = now;
            c.failures
        };
        let pair = bump(pair_key(email, address));
        let account = bump(account_key(email));
        let by_address = bump(address_key(address));
        if account == MAX_FAILURES_PER_ACCOUNT {
            Some(Lockout::Account)
        } else if by_address == MAX_FAILURES_PER_ADDRESS {
            Some(Lockout::Address)
        } else if pair == FREE_FAILURES_PER_PAIR {
            Some(Lockout::AccountFromAddress)
        } else {
            None
        }
    }

    /// A successful login clears the count for this account from this address.
    pub fn record_success(&self, email: &str, address: &str) {
        if let Ok(mut counts) = self.counts.lock() {
            counts.remove(&pair_key(email, address));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guesser_is_slowed_more_and_more_but_the_owner_elsewhere_is_not() {
        let t = LoginThrottle::default();
        let start = Instant::now();
        for i in 0..FREE_FAILURES_PER_PAIR {
            assert_eq!(t.check_at("a@b.no", "6.6.6.6", start), Ok(()));
            let lockout = t.record_failure_at("A@b.no", "6.6.6.6", start);
            assert_eq!(lockout.is_some(), i + 1 == FREE_FAILURES_PER_PAIR);
        }
        assert_eq!(t.check_at("a@b.no", "6.6.6.6", start), Err(Duration::from_secs(1)));
        // The owner, from their own address, logs in as usual.
        assert_eq!(t.check_at("a@b.no", "1.2.3.4", start), Ok(()));
        // Each further failure doubles the wait.
        let later = start + Duration::from_secs(1);
        assert_eq!(t.check_at("a@b.no", "6.6.6.6", later), Ok(()));
        t.record_failure_at("a@b.no", "6.6.6.6", later);
        assert_eq!(t.check_at("a@b.no", "6.6.6.6", later), Err(Duration::from_secs(2)));
        assert_eq!(pair_delay(FREE_FAILURES_PER_PAIR + 30), MAX_DELAY);
        t.record_success("a@b.no", "6.6.6.6");
        assert_eq!(t.check_at("a@b.no", "6.6.6.6", later), Ok(()));
    }

    #[test]
    fn a_guesser_spread_over_many_addresses_meets_the_account_ceiling() {
        let t = LoginThrottle::default();
        let start = Instant::now();
        let mut closed = None;
        for i in 0..MAX_FAILURES_PER_ACCOUNT {
            closed = closed.or(t
                .record_failure_at("a@b.no", &format!("10.0.{}.{}", i / 250, i % 250), start)
                .filter(|l| *l == Lockout::Account));
        }
        assert_eq!(closed, Some(Lockout::Account));
        let wait = t.check_at("a@b.no", "1.2.3.4", start).unwrap_err();
        assert_eq!(wait, WINDOW);
        assert_eq!(t.check_at("other@b.no", "1.2.3.4", start), Ok(()));
        assert_eq!(t.check_at("a@b.no", "1.2.3.4", start + WINDOW), Ok(()));
    }

    #[test]
    fn one_address_guessing_many_accounts_meets_the_address_ceiling() {
        let t = LoginThrottle::default();
        let start = Instant::now();
        for i in 0..MAX_FAILURES_PER_ADDRESS {
            t.record_failure_at(&format!("user{i}@b.no"), "6.6.6.6", start);
        }
        assert!(t.check_at("new@b.no", "6.6.6.6", start).is_err());
        assert_eq!(t.check_at("new@b.no", "1.2.3.4", start), Ok(()));
    }
}
