//! Account lockout (security.md §2): `n` failed logins within `window` lock the account
//! for `duration`, counted from the failure that completed the run.

use chrono::{DateTime, Duration, Utc};

/// When the lock ends, if the account is locked at `now`. `failures` are the times of
/// wrong-password attempts (refusals while locked do not count, so an attacker cannot keep
/// an account locked for ever by trying while it is locked).
pub fn locked_until(
    failures: &[DateTime<Utc>],
    n: usize,
    window: Duration,
    duration: Duration,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if n == 0 {
        return None;
    }
    let mut t: Vec<DateTime<Utc>> = failures.to_vec();
    t.sort();
    let mut until: Option<DateTime<Utc>> = None;
    for i in (n - 1)..t.len() {
        if t[i] - t[i + 1 - n] <= window {
            let end = t[i] + duration;
            until = Some(until.map_or(end, |u| u.max(end)));
        }
    }
    until.filter(|u| *u > now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(min: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + min * 60, 0).unwrap()
    }

    #[test]
    fn five_in_fifteen_minutes_lock_for_fifteen() {
        let w = Duration::minutes(15);
        let f: Vec<_> = (0..5).map(at).collect(); // minutes 0..4
        assert_eq!(locked_until(&f[..4], 5, w, w, at(5)), None, "four failures do not lock");
        assert_eq!(locked_until(&f, 5, w, w, at(5)), Some(at(19)));
        assert_eq!(locked_until(&f, 5, w, w, at(19)), None, "the lock ends");
    }

    #[test]
    fn spread_out_failures_do_not_lock() {
        let w = Duration::minutes(15);
        let f: Vec<_> = [0, 10, 20, 30, 40].into_iter().map(at).collect();
        assert_eq!(locked_until(&f, 5, w, w, at(41)), None);
    }
}
