//! How Linux schedules the server's threads.
//!
//! A page is a chain of hand-offs between threads: the request's task sends each statement
//! to its SQLite connection's own thread, which sends the rows back. Under Linux's default
//! policy every hand-off wakes the other thread and lets it preempt the one that woke it,
//! so a page switched threads about 48 times on a roster (a row sent, a switch; the next
//! row, a switch back). Batch scheduling (`SCHED_BATCH`) lets a woken thread wait until the
//! running one blocks or its slice ends: the connection's thread sends its rows in one go
//! and the runtime's thread answers several requests' statements in one turn. Measured on
//! the roster at 64 connections (docs/PERFORMANCE.md): about 22 switches a page instead
//! of 48, 5–13 % more pages a second, and a lower p99. The password-hashing threads leave
//! batch for ordinary work at nice 10 (`app::kit::passwords`): a page's thread woken while a
//! hash runs then takes the core back at once.

/// Marks the calling thread as batch work; every thread it starts from then on inherits
/// it, so it is called before the runtime starts its threads. False where the system
/// refused it (the server then runs under the default policy, only slower).
#[cfg(target_os = "linux")]
pub fn schedule_as_batch() -> bool {
    let param = libc::sched_param { sched_priority: 0 };
    // SAFETY: sched_setscheduler reads the parameter block it is given; pid 0 is the calling
    // thread. Batch is a normal (non-real-time) policy: lowering to it needs no privilege.
    unsafe { libc::sched_setscheduler(0, libc::SCHED_BATCH, &param) == 0 }
}

#[cfg(not(target_os = "linux"))]
pub fn schedule_as_batch() -> bool {
    false
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn threads_started_after_it_are_batch_work() {
        // In a thread of its own: the test harness's threads keep their policy.
        let policies = std::thread::spawn(|| {
            // SAFETY: sched_getscheduler only reads the calling thread's policy.
            let before = unsafe { libc::sched_getscheduler(0) };
            assert!(schedule_as_batch(), "the system refused batch scheduling");
            let own = unsafe { libc::sched_getscheduler(0) };
            let child = std::thread::spawn(|| unsafe { libc::sched_getscheduler(0) })
                .join()
                .unwrap();
            (before, own, child)
        })
        .join()
        .unwrap();
        // Whatever the test itself runs under (a `chrt -b` run is batch already).
        let _ = policies.0;
        assert_eq!(policies.1, libc::SCHED_BATCH);
        assert_eq!(policies.2, libc::SCHED_BATCH);
    }
}
