//! Login throttling: after a few failed attempts for one account, or many from one address, new
//! attempts are refused for a while. The same answer is given whether or not the account exists,
//! so throttling reveals nothing about who has an account.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed attempts allowed per account within the window.
pub const MAX_FAILURES_PER_ACCOUNT: u32 = 5;
/// Failed attempts allowed per client address within the window.
pub const MAX_FAILURES_PER_ADDRESS: u32 = 30;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginThrottle {
    fn keys(email: &str, address: &str) -> [(String, u32); 2] {
        [
            (
                format!("account:{}", email.trim().to_lowercase()),
                MAX_FAILURES_PER_ACCOUNT,
            ),
            (format!("address:{address}"), MAX_FAILURES_PER_ADDRESS),
        ]
    }

    /// True when an attempt for this account from this address may be tried now.
    pub fn allowed(&self, email: &str, address: &str) -> bool {
        let Ok(mut map) = self.failures.lock() else { return true };
        let now = Instant::now();
        map.retain(|_, (_, since)| now.duration_since(*since) < WINDOW);
        Self::keys(email, address)
            .iter()
            .all(|(key, max)| map.get(key).is_none_or(|(n, _)| n < max))
    }

    pub fn record_failure(&self, email: &str, address: &str) {
        let Ok(mut map) = self.failures.lock() else { return };
        let now = Instant::now();
        for (key, _) in Self::keys(email, address) {
            map.entry(key).or_insert((0, now)).0 += 1;
        }
    }

    pub fn record_success(&self, email: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&format!("account:{}", email.trim().to_lowercase()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_repeated_failures_for_an_account() {
        let t = LoginThrottle::default();
        for _ in 0..MAX_FAILURES_PER_ACCOUNT {
            assert!(t.allowed("a@b.no", "1.2.3.4"));
            t.record_failure("A@b.no", "1.2.3.4");
        }
        assert!(!t.allowed("a@b.no", "5.6.7.8"));
        assert!(t.allowed("other@b.no", "5.6.7.8"));
        t.record_success("a@b.no");
        assert!(t.allowed("a@b.no", "5.6.7.8"));
    }
}
