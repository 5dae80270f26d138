//! Per-client-address limiting of failed logins (security.md §2, §17): the address is the
//! socket peer (a spoofed X-Forwarded-For is ignored unless the peer is the trusted proxy),
//! so rotating that header gains nothing.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct AddressLimiter {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
    max: usize,
    window: Duration,
}

impl AddressLimiter {
    pub fn new(max: usize, window: Duration) -> Self {
        AddressLimiter { failures: Mutex::new(HashMap::new()), max, window }
    }

    fn prune(q: &mut VecDeque<Instant>, window: Duration, now: Instant) {
        while q.front().is_some_and(|t| now.duration_since(*t) > window) {
            q.pop_front();
        }
    }

    /// Whether this address has used up its failures for the window.
    pub fn blocked(&self, address: &str) -> bool {
        let Ok(mut map) = self.failures.lock() else { return false };
        let now = Instant::now();
        match map.get_mut(address) {
            Some(q) => {
                Self::prune(q, self.window, now);
                q.len() >= self.max
            }
            None => false,
        }
    }

    pub fn record_failure(&self, address: &str) {
        let Ok(mut map) = self.failures.lock() else { return };
        let now = Instant::now();
        // Bound memory: drop addresses whose failures have all aged out.
        if map.len() > 10_000 {
            map.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) <= self.window));
        }
        let q = map.entry(address.to_string()).or_default();
        Self::prune(q, self.window, now);
        q.push_back(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_max_failures_per_address() {
        let l = AddressLimiter::new(2, Duration::from_secs(60));
        assert!(!l.blocked("1.2.3.4"));
        l.record_failure("1.2.3.4");
        l.record_failure("1.2.3.4");
        assert!(l.blocked("1.2.3.4"));
        assert!(!l.blocked("5.6.7.8"), "other addresses are not affected");
        let short = AddressLimiter::new(1, Duration::from_millis(1));
        short.record_failure("a");
        std::thread::sleep(Duration::from_millis(5));
        assert!(!short.blocked("a"), "failures age out");
    }
}
