//! Sign-in throttling: the rules, apart from storage so they can be tested as rules.
//!
//! Failures count per (username, source). A source is the client address, or a browser the
//! person signed in from before (a trusted device), whose failures count apart so that
//! strangers cannot lock the owner out. After `FREE_FAILURES` failures a source is locked
//! for a period that doubles with each further failure, up to an hour; while locked, even
//! the right password is refused. Over all untrusted sources together, a username takes at
//! most `CEILING_PER_HOUR` failures an hour. Unknown usernames are counted exactly alike.

use chrono::{DateTime, Duration, Utc};

use crate::features::accounts::store::throttle::Counter;

pub const FREE_FAILURES: i64 = 5;
pub const CEILING_PER_HOUR: i64 = 100;
/// A source's failures are forgotten a day after its first one (or at a success).
pub const SOURCE_WINDOW: Duration = Duration::hours(24);
pub const CEILING_WINDOW: Duration = Duration::hours(1);
pub const MAX_LOCK: Duration = Duration::hours(1);

/// The counter key of the per-username ceiling.
pub const CEILING_SOURCE: &str = "*";

/// The username under which an address's failures across every username are counted.
pub const ANY_USERNAME: &str = "*";

/// Failures one address may have in an hour across all usernames before it must wait
/// (a school behind one NAT address: a class's worth of typos, not a password spray).
pub const ADDRESS_PER_HOUR: i64 = 30;

/// How long an address whose failures reached the limit waits: until its hour ends.
pub fn address_refusal(now: DateTime<Utc>, counter: Option<&Counter>) -> Option<u64> {
    let c = counter?;
    let window_end = c.window_started_at + CEILING_WINDOW;
    (c.failures >= ADDRESS_PER_HOUR && window_end > now)
        .then(|| (window_end - now).num_seconds().max(1) as u64)
}

/// How long a source stays locked after its `failures`-th failure.
pub fn lock_after(failures: i64) -> Option<Duration> {
    if failures < FREE_FAILURES {
        return None;
    }
    let doublings = (failures - FREE_FAILURES).min(6) as u32;
    Some((Duration::minutes(1) * 2_i32.pow(doublings)).min(MAX_LOCK))
}

/// Seconds to wait before another try is allowed, if any.
pub fn refusal(
    now: DateTime<Utc>,
    source: Option<&Counter>,
    ceiling: Option<&Counter>,
) -> Option<u64> {
    let mut until: Option<DateTime<Utc>> = source.and_then(|c| c.locked_until).filter(|t| *t > now);
    if let Some(c) = ceiling {
        let window_end = c.window_started_at + CEILING_WINDOW;
        if c.failures >= CEILING_PER_HOUR && window_end > now {
            until = Some(until.map_or(window_end, |t| t.max(window_end)));
        }
    }
    until.map(|t| (t - now).num_seconds().max(1) as u64)
}

/// The counter after one more failure at `now`.
pub fn after_failure(
    now: DateTime<Utc>,
    counter: Option<Counter>,
    window: Duration,
    locks: bool,
) -> Counter {
    let mut counter = match counter {
        Some(c) if c.window_started_at + window > now => c,
        _ => Counter {
            failures: 0,
            window_started_at: now,
            locked_until: None,
        },
    };
    counter.failures += 1;
    if locks {
        counter.locked_until = lock_after(counter.failures).map(|d| now + d);
    }
    counter
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap()
    }

    #[test]
    fn a_few_tries_are_free_then_locks_double_up_to_an_hour() {
        assert_eq!(lock_after(4), None);
        assert_eq!(lock_after(5), Some(Duration::minutes(1)));
        assert_eq!(lock_after(6), Some(Duration::minutes(2)));
        assert_eq!(lock_after(8), Some(Duration::minutes(8)));
        assert_eq!(lock_after(11), Some(Duration::minutes(60)));
        assert_eq!(lock_after(500), Some(Duration::minutes(60)));
    }

    #[test]
    fn a_locked_source_is_refused_until_the_lock_ends() {
        let mut counter = None;
        for _ in 0..5 {
            counter = Some(after_failure(now(), counter, SOURCE_WINDOW, true));
        }
        let c = counter.unwrap();
        assert_eq!(refusal(now(), Some(&c), None), Some(60));
        assert_eq!(
            refusal(now() + Duration::seconds(59), Some(&c), None),
            Some(1)
        );
        assert_eq!(refusal(now() + Duration::seconds(60), Some(&c), None), None);
    }

    #[test]
    fn the_ceiling_holds_a_username_to_a_hundred_failures_an_hour() {
        let mut ceiling = None;
        for i in 0..CEILING_PER_HOUR {
            assert_eq!(refusal(now(), None, ceiling.as_ref()), None, "try {i}");
            ceiling = Some(after_failure(now(), ceiling, CEILING_WINDOW, false));
        }
        assert_eq!(
            refusal(now() + Duration::minutes(10), None, ceiling.as_ref()),
            Some(50 * 60)
        );
        assert_eq!(
            refusal(now() + Duration::hours(1), None, ceiling.as_ref()),
            None
        );
        // A new window starts counting afresh.
        let next = after_failure(now() + Duration::hours(1), ceiling, CEILING_WINDOW, false);
        assert_eq!(next.failures, 1);
    }

    #[test]
    fn old_failures_are_forgotten_after_the_window() {
        let c = after_failure(now(), None, SOURCE_WINDOW, true);
        let later = after_failure(now() + Duration::hours(25), Some(c), SOURCE_WINDOW, true);
        assert_eq!(later.failures, 1);
    }
}
