//! Leases on background work: when several instances serve one database, each job (the
//! sweeper, the closing of refusal windows, the clean-up of sessions) is done by the one
//! instance that holds its lease. A round first takes or renews the lease in one statement
//! (an upsert that only succeeds for its holder or once the lease has run out; on
//! PostgreSQL a row lock, not the write lock), so that instances never queue behind one
//! another for work only one of them does. A round that fails gives its lease up, so that
//! another instance may try the next; an instance that stops gives its leases up, and one
//! that dies leaves them to run out (three rounds).
//!
//! A lease spares work, it does not make it correct: each job still decides in its write
//! transaction, so that two instances that both believed they held a lease (a clock far
//! off, a round slower than its lease) would still never end a release twice.

use chrono::{DateTime, Duration, Utc};

use crate::{db::Pool, errors::AppError};

/// The jobs that take a lease, by the name their row has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// Ends what has run out and deletes drafts and uploads past their lifetime.
    Sweeper,
    /// Appends the counts of repeated refusals whose window is over.
    DenialWindows,
    /// Deletes sessions past their expiry.
    Sessions,
}

impl Job {
    pub fn name(self) -> &'static str {
        match self {
            Job::Sweeper => "sweeper",
            Job::DenialWindows => "denial-windows",
            Job::Sessions => "sessions",
        }
    }
}

/// An instance's claim on background work: a random id taken at start, and how long a
/// lease it takes lasts.
#[derive(Clone, Debug)]
pub struct Holder {
    id: String,
}

impl Holder {
    /// A holder with an id of its own (128 random bits, hex).
    pub fn new() -> Holder {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).expect("the system's random source");
        Holder {
            id: bytes.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Takes `job`'s lease until `now + lasting`, or renews it when this holder has it;
    /// `false` when another holder's lease runs past `now` (that instance does the round).
    pub async fn take(
        &self,
        pool: &Pool,
        job: Job,
        now: DateTime<Utc>,
        lasting: Duration,
    ) -> Result<bool, AppError> {
        let taken = crate::db::query(
            "INSERT INTO background_leases (name, holder, held_until) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
                 held_until = excluded.held_until \
             WHERE background_leases.holder = excluded.holder \
                OR background_leases.held_until <= $4",
        )
        .bind(job.name())
        .bind(self.id.as_str())
        .bind(now + lasting)
        .bind(now)
        .execute(pool)
        .await?;
        Ok(taken.rows_affected() == 1)
    }

    /// Gives `job`'s lease up when this holder has it (its round failed: another instance
    /// may do the next).
    pub async fn give_up(&self, pool: &Pool, job: Job, now: DateTime<Utc>) -> Result<(), AppError> {
        crate::db::query(
            "UPDATE background_leases SET held_until = $1 WHERE name = $2 AND holder = $3",
        )
        .bind(now)
        .bind(job.name())
        .bind(self.id.as_str())
        .execute(pool)
        .await?;
        Ok(())
    }

    /// Gives up every lease this holder has (the instance is stopping).
    pub async fn give_up_all(&self, pool: &Pool, now: DateTime<Utc>) -> Result<(), AppError> {
        crate::db::query("UPDATE background_leases SET held_until = $1 WHERE holder = $2")
            .bind(now)
            .bind(self.id.as_str())
            .execute(pool)
            .await?;
        Ok(())
    }
}

impl Default for Holder {
    fn default() -> Holder {
        Holder::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pool() -> Pool {
        let pool = crate::db::in_memory().await.unwrap();
        crate::db::query(
            "CREATE TABLE background_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, \
             held_until TEXT NOT NULL) STRICT",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[tokio::test]
    async fn one_holder_at_a_time_until_its_lease_runs_out() {
        let pool = pool().await;
        let (a, b) = (Holder::new(), Holder::new());
        assert_ne!(a.id(), b.id());
        let lasting = Duration::seconds(90);
        assert!(a.take(&pool, Job::Sweeper, at(0), lasting).await.unwrap());
        assert!(!b.take(&pool, Job::Sweeper, at(1), lasting).await.unwrap());
        // Another job's lease is its own.
        assert!(b.take(&pool, Job::Sessions, at(1), lasting).await.unwrap());
        // The holder renews; the other still waits past the first lease's end.
        assert!(a.take(&pool, Job::Sweeper, at(60), lasting).await.unwrap());
        assert!(!b.take(&pool, Job::Sweeper, at(120), lasting).await.unwrap());
        // A holder that stopped renewing loses the job once its lease is over.
        assert!(b.take(&pool, Job::Sweeper, at(150), lasting).await.unwrap());
        assert!(!a.take(&pool, Job::Sweeper, at(151), lasting).await.unwrap());
        // A holder whose round failed gives the job up at once; another's lease stays.
        a.give_up(&pool, Job::Sweeper, at(152)).await.unwrap();
        assert!(!a.take(&pool, Job::Sweeper, at(153), lasting).await.unwrap());
        b.give_up(&pool, Job::Sweeper, at(153)).await.unwrap();
        assert!(a.take(&pool, Job::Sweeper, at(153), lasting).await.unwrap());
        // A stopping instance gives up all it holds.
        assert!(
            b.take(&pool, Job::Sessions, at(150), lasting)
                .await
                .unwrap()
        );
        assert!(
            !a.take(&pool, Job::Sessions, at(154), lasting)
                .await
                .unwrap()
        );
        b.give_up_all(&pool, at(154)).await.unwrap();
        assert!(
            a.take(&pool, Job::Sessions, at(154), lasting)
                .await
                .unwrap()
        );
    }
}
