//! The sweeper: driven by the clock, it ends what has run out (a request nobody decided, a
//! release whose window is over). Each sweep takes its rows with a conditional update in one
//! write transaction, so that several instances sweeping at once never do the work twice:
//! the second finds nothing left in the state it looks for. The pages check the end on every
//! request as well; the sweeper makes it true in the register without anyone looking.

use std::{future::Future, pin::Pin};

use chrono::{DateTime, Utc};

use crate::{db::Conn, errors::AppError, kit::audit::chain::AuditKey};

/// A future a sweep's step returns, borrowing its connection.
pub type Step<'a, T> = Pin<Box<dyn Future<Output = Result<T, AppError>> + Send + 'a>>;

/// One feature's sweep: whether anything is due at a time (a read), and the sweep itself,
/// inside the sweeper's write transaction, which returns how many objects it ended.
#[derive(Clone, Copy)]
pub struct Sweep {
    pub due: for<'a> fn(&'a mut Conn, DateTime<Utc>) -> Step<'a, bool>,
    pub run: for<'a> fn(&'a mut Conn, &'a AuditKey, DateTime<Utc>) -> Step<'a, u64>,
}

/// Runs every sweep once, each in a write transaction of its own; returns how many objects
/// they ended in all. Most rounds find nothing due: a sweep with nothing due takes no write
/// lock (pages that write never wait for it), only a read.
pub async fn sweep_once(
    pool: &crate::db::Pool,
    key: &AuditKey,
    now: DateTime<Utc>,
    sweeps: &[Sweep],
) -> Result<u64, AppError> {
    let mut ended = 0;
    for sweep in sweeps {
        let mut conn = pool.acquire().await?;
        if !(sweep.due)(&mut conn, now).await? {
            continue;
        }
        drop(conn);
        let mut tx = crate::db::begin_write(pool).await?;
        ended += (sweep.run)(&mut tx, key, now).await?;
        tx.commit().await?;
    }
    Ok(ended)
}
