//! Password hashing: argon2id with OWASP's parameters, off the async runtime, at most one
//! hash per core at a time. A request that cannot get a turn within a bounded wait is
//! answered 503 rather than queueing without end.

use std::{
    sync::{Arc, OnceLock},
    time::Duration,
};

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::SaltString,
};
use tokio::sync::Semaphore;

use crate::{domain::Password, errors::AppError};

/// m = 19 456 KiB, t = 2, p = 1 (OWASP's argon2id minimum).
pub fn params() -> Params {
    Params::new(19_456, 2, 1, None).expect("valid argon2 parameters")
}

fn argon2(params: Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// 16 random bytes of salt.
fn salt() -> SaltString {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    SaltString::encode_b64(&bytes).expect("16 bytes fit a salt")
}

/// What checking a password found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verification {
    /// It matched; `needs_rehash` when the stored hash used other parameters.
    Match {
        needs_rehash: bool,
    },
    NoMatch,
}

pub struct Hasher {
    turns: Arc<Semaphore>,
    wait: Duration,
    params: Params,
}

impl Hasher {
    /// `concurrency` hashes at a time (one per core); a caller waits at most `wait` for a turn.
    pub fn new(concurrency: usize, wait: Duration) -> Self {
        Hasher::with_params(concurrency, wait, params())
    }

    pub fn with_params(concurrency: usize, wait: Duration, params: Params) -> Self {
        Hasher {
            turns: Arc::new(Semaphore::new(concurrency.max(1))),
            wait,
            params,
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let turn = tokio::time::timeout(self.wait, self.turns.clone().acquire_owned())
            .await
            .map_err(|_| {
                tracing::warn!("password hashing is saturated");
                AppError::unavailable()
            })?
            .map_err(AppError::internal)?;
        let result = tokio::task::spawn_blocking(move || {
            let result = work();
            drop(turn);
            result
        })
        .await
        .map_err(AppError::internal)?;
        Ok(result)
    }

    pub async fn hash(&self, password: &Password) -> Result<String, AppError> {
        let text = password.expose().to_owned();
        let params = self.params.clone();
        self.run(move || {
            argon2(params)
                .hash_password(text.as_bytes(), &salt())
                .map(|h| h.to_string())
        })
        .await?
        .map_err(AppError::internal)
    }

    /// Checks `candidate` against `stored`. Without a stored hash (an unknown user, or one who
    /// never set a password) it checks against a dummy hash, so the answer takes as long.
    pub async fn verify(
        &self,
        candidate: &str,
        stored: Option<&str>,
    ) -> Result<Verification, AppError> {
        let candidate = candidate.to_owned();
        let known = stored.is_some();
        let stored = stored.map_or_else(|| self.dummy_hash().to_owned(), str::to_owned);
        let params = self.params.clone();
        self.run(move || {
            let Ok(hash) = PasswordHash::new(&stored) else {
                return Verification::NoMatch;
            };
            let matched = argon2(params.clone())
                .verify_password(candidate.as_bytes(), &hash)
                .is_ok();
            if !(matched && known) {
                return Verification::NoMatch;
            }
            let needs_rehash = Params::try_from(&hash).map_or(true, |p| {
                (p.m_cost(), p.t_cost(), p.p_cost())
                    != (params.m_cost(), params.t_cost(), params.p_cost())
            }) || hash.algorithm.as_str() != "argon2id";
            Verification::Match { needs_rehash }
        })
        .await
    }

    /// A hash of a random password under the current parameters, made once.
    fn dummy_hash(&self) -> &'static str {
        static DUMMY: OnceLock<String> = OnceLock::new();
        DUMMY.get_or_init(|| {
            let mut random = [0u8; 24];
            getrandom::fill(&mut random).expect("randomness");
            argon2(params())
                .hash_password(&random, &salt())
                .expect("hashable")
                .to_string()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hasher() -> Hasher {
        Hasher::new(2, Duration::from_secs(5))
    }

    #[tokio::test]
    async fn hashes_verify_and_differ_per_salt() {
        let hasher = hasher();
        let password =
            Password::parse("Qiuyue2026", &Default::default(), &Default::default()).unwrap();
        let a = hasher.hash(&password).await.unwrap();
        let b = hasher.hash(&password).await.unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert!(!a.contains("Qiuyue2026"));
        assert_eq!(
            hasher.verify("Qiuyue2026", Some(&a)).await.unwrap(),
            Verification::Match {
                needs_rehash: false
            }
        );
        assert_eq!(
            hasher.verify("qiuyue2026", Some(&a)).await.unwrap(),
            Verification::NoMatch
        );
    }

    #[tokio::test]
    async fn unknown_users_never_match() {
        let hasher = hasher();
        assert_eq!(
            hasher.verify("anything1", None).await.unwrap(),
            Verification::NoMatch
        );
    }

    #[tokio::test]
    async fn old_parameters_ask_for_a_rehash() {
        let weak = Hasher::with_params(
            1,
            Duration::from_secs(5),
            Params::new(8192, 1, 1, None).unwrap(),
        );
        let password =
            Password::parse("Qiuyue2026", &Default::default(), &Default::default()).unwrap();
        let old = weak.hash(&password).await.unwrap();
        assert_eq!(
            hasher().verify("Qiuyue2026", Some(&old)).await.unwrap(),
            Verification::Match { needs_rehash: true }
        );
    }

    #[tokio::test]
    async fn a_saturated_hasher_answers_unavailable() {
        let hasher = Hasher::new(1, Duration::from_millis(1));
        let _held = hasher.turns.clone().acquire_owned().await.unwrap();
        let error = hasher.verify("x", None).await.unwrap_err();
        assert_eq!(error.status_code(), 503);
    }
}
