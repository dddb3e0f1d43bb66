//! Quotas on the anonymous door: how many times something may be done per key (an address)
//! within a sliding window. In memory, per server, like the login throttle.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Quota {
    hits: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Quota {
    /// Takes one use for `key` if fewer than `max` were taken within `window`; otherwise says
    /// how long until the oldest one falls out of the window.
    pub fn take(&self, key: &str, max: u32, window: Duration) -> Result<(), Duration> {
        self.take_at(key, max, window, Instant::now())
    }

    fn take_at(&self, key: &str, max: u32, window: Duration, now: Instant) -> Result<(), Duration> {
        let Ok(mut hits) = self.hits.lock() else { return Ok(()) };
        hits.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < window));
        let times = hits.entry(key.to_string()).or_default();
        while times.front().is_some_and(|t| now.duration_since(*t) >= window) {
            times.pop_front();
        }
        if times.len() >= max as usize {
            let oldest = *times.front().expect("a full window has an oldest use");
            return Err(window.saturating_sub(now.duration_since(oldest)));
        }
        times.push_back(now);
        Ok(())
    }
}

/// `Retry-After` in whole seconds, rounded up, at least one.
pub fn retry_after_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_window_says_how_long_to_wait() {
        let q = Quota::default();
        let hour = Duration::from_secs(3600);
        let start = Instant::now();
        for minute in 0..3 {
            assert_eq!(
                q.take_at("a", 3, hour, start + Duration::from_secs(60 * minute)),
                Ok(())
            );
        }
        let later = start + Duration::from_secs(600);
        assert_eq!(q.take_at("a", 3, hour, later), Err(Duration::from_secs(3000)));
        assert_eq!(q.take_at("b", 3, hour, later), Ok(()), "another address is not counted");
        assert_eq!(q.take_at("a", 3, hour, start + hour), Ok(()), "the oldest use fell out");
        assert_eq!(retry_after_seconds(Duration::from_millis(1500)), 2);
    }
}
