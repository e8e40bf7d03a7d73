//! Sign-in throttling: the rules, apart from storage so they can be tested as rules.
//!
//! Failures count per (username, source). A source is the browser (each gets an id cookie at
//! its first sign-in attempt; one the person signed in from before is a trusted device), or
//! the client address for a client that keeps no cookie: a school sits behind one address,
//! so one pupil's guesses at a teacher's account lock that pupil's browser, not the
//! teacher's. After `FREE_FAILURES` failures a source is locked for a period that doubles
//! with each further failure, up to an hour; while locked, even the right password is
//! refused. Over all untrusted sources together, a username takes at most
//! `CEILING_PER_HOUR` failures an hour. Unknown usernames are counted exactly alike.
//!
//! One address trying passwords on many accounts (a spray) is slowed, not shut out: past
//! `ADDRESS_FREE_PER_HOUR` failures in its hour (`TRUSTED_ADDRESS_FREE_PER_HOUR` for an address
//! inside the school's trusted networks, which a whole staff shares), each failure makes the
//! address's new browsers wait a little longer before the next try (`address_wait`), at
//! most `MAX_ADDRESS_WAIT`; browsers the people signed in from before are never held up.

use chrono::{DateTime, Duration, Utc};

use crate::features::accounts::store::throttle::Counter;

pub const FREE_FAILURES: i64 = 5;
/// Failures one account may have from one address (over all its browsers not signed in
/// from before) before that address's new browsers are locked out of it the same way: a
/// browser id is the client's to drop, so the address bounds the guesses (and a school's
/// colleagues behind it have room for their own typos first).
pub const FREE_FAILURES_PER_ADDRESS: i64 = 20;
pub const CEILING_PER_HOUR: i64 = 100;
/// A source's failures are forgotten a day after its first one (or at a success).
pub const SOURCE_WINDOW: Duration = Duration::hours(24);
pub const CEILING_WINDOW: Duration = Duration::hours(1);
pub const MAX_LOCK: Duration = Duration::hours(1);

/// The counter key of the per-username ceiling.
pub const CEILING_SOURCE: &str = "*";

/// The username under which an address's failures across every username are counted.
pub const ANY_USERNAME: &str = "*";

/// Failures one address may have in an hour across all usernames before its new browsers
/// are slowed (a school behind one NAT address: a class's worth of typos, not a spray).
pub const ADDRESS_FREE_PER_HOUR: i64 = 30;
/// The same inside the school's trusted networks (`XUEJI_TRUSTED_NETWORKS`): the staff's
/// own network, a morning's worth of typos of everyone in the building.
pub const TRUSTED_ADDRESS_FREE_PER_HOUR: i64 = 300;
/// The longest an address's new browsers wait between tries.
pub const MAX_ADDRESS_WAIT: Duration = Duration::minutes(5);

/// How long an address's new browsers wait after its `failures`-th failure of the hour:
/// nothing while free, then 2 seconds doubling every 5 failures, up to `MAX_ADDRESS_WAIT`
/// (a spray goes on at a dozen tries an hour; a teacher arriving after one waits minutes).
pub fn address_wait(failures: i64, trusted_network: bool) -> Option<Duration> {
    let free = if trusted_network {
        TRUSTED_ADDRESS_FREE_PER_HOUR
    } else {
        ADDRESS_FREE_PER_HOUR
    };
    if failures < free {
        return None;
    }
    let doublings = ((failures - free) / 5).min(10) as u32;
    Some((Duration::seconds(2) * 2_i32.pow(doublings)).min(MAX_ADDRESS_WAIT))
}

/// How long an address's new browsers must still wait, if at all.
pub fn address_refusal(now: DateTime<Utc>, counter: Option<&Counter>) -> Option<u64> {
    let until = counter?.locked_until.filter(|t| *t > now)?;
    Some((until - now).num_seconds().max(1) as u64)
}

/// The address's counter after one more failure at `now`.
pub fn address_after_failure(
    now: DateTime<Utc>,
    counter: Option<Counter>,
    trusted_network: bool,
) -> Counter {
    let mut counter = after_failure(now, counter, CEILING_WINDOW, false);
    counter.locked_until = address_wait(counter.failures, trusted_network).map(|d| now + d);
    counter
}

/// How long a source stays locked after its `failures`-th failure.
pub fn lock_after(failures: i64) -> Option<Duration> {
    lock_after_free(failures, FREE_FAILURES)
}

/// How long a source stays locked after its `failures`-th failure, `free` of them free.
pub fn lock_after_free(failures: i64, free: i64) -> Option<Duration> {
    if failures < free {
        return None;
    }
    let doublings = (failures - free).min(6) as u32;
    Some((Duration::minutes(1) * 2_i32.pow(doublings)).min(MAX_LOCK))
}

/// The (account, address) counter after one more failure at `now`.
pub fn account_address_after_failure(now: DateTime<Utc>, counter: Option<Counter>) -> Counter {
    let mut counter = after_failure(now, counter, SOURCE_WINDOW, false);
    counter.locked_until =
        lock_after_free(counter.failures, FREE_FAILURES_PER_ADDRESS).map(|d| now + d);
    counter
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
    fn an_account_takes_twenty_from_one_address_before_its_new_browsers_wait() {
        let mut c = None;
        for _ in 0..19 {
            c = Some(account_address_after_failure(now(), c));
        }
        assert_eq!(address_refusal(now(), c.as_ref()), None);
        let c = account_address_after_failure(now(), c);
        assert_eq!(address_refusal(now(), Some(&c)), Some(60));
    }

    #[test]
    fn a_spraying_address_is_slowed_not_shut_out() {
        assert_eq!(address_wait(29, false), None);
        assert_eq!(address_wait(30, false), Some(Duration::seconds(2)));
        assert_eq!(address_wait(35, false), Some(Duration::seconds(4)));
        assert_eq!(address_wait(60, false), Some(Duration::seconds(128)));
        assert_eq!(address_wait(1000, false), Some(MAX_ADDRESS_WAIT));
        // The school's own network: a staff's typos are free far longer.
        assert_eq!(address_wait(299, true), None);
        assert_eq!(address_wait(300, true), Some(Duration::seconds(2)));
        // The wait runs from the last failure, never to the end of the hour.
        let mut c = None;
        for _ in 0..30 {
            c = Some(address_after_failure(now(), c, false));
        }
        let c = c.unwrap();
        assert_eq!(address_refusal(now(), Some(&c)), Some(2));
        assert_eq!(
            address_refusal(now() + Duration::seconds(2), Some(&c)),
            None
        );
    }

    #[test]
    fn old_failures_are_forgotten_after_the_window() {
        let c = after_failure(now(), None, SOURCE_WINDOW, true);
        let later = after_failure(now() + Duration::hours(25), Some(c), SOURCE_WINDOW, true);
        assert_eq!(later.failures, 1);
    }
}
