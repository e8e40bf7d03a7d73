//! Password hashing: argon2id with OWASP's parameters, off the async runtime, at most one
//! hash per core at a time. A request that cannot get a turn within a bounded wait is
//! answered 503 rather than queueing without end.

use std::{
    sync::{Arc, OnceLock},
    time::Duration,
};

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, Version, password_hash::SaltString,
};
use tokio::sync::Semaphore;

use crate::{domain::Password, errors::AppError};

/// The cost of one password hash: argon2id's memory in KiB and its passes (one lane).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashCost {
    pub memory_kib: u32,
    pub passes: u32,
}

impl HashCost {
    /// m = 19 456 KiB, t = 2, p = 1: OWASP's argon2id minimum, the default, and the least a
    /// deployment may configure.
    pub const OWASP: HashCost = HashCost {
        memory_kib: 19_456,
        passes: 2,
    };
    /// The most a deployment may configure: 1 GiB and 10 passes per hash.
    pub const MOST: HashCost = HashCost {
        memory_kib: 1 << 20,
        passes: 10,
    };

    /// Whether a deployment may use this cost: at least OWASP's, at most [`HashCost::MOST`].
    pub fn is_deployable(self) -> bool {
        (Self::OWASP.memory_kib..=Self::MOST.memory_kib).contains(&self.memory_kib)
            && (Self::OWASP.passes..=Self::MOST.passes).contains(&self.passes)
    }

    /// The argon2 parameters; a cost below argon2's own minimum (8 KiB, 1 pass) is raised to it.
    pub fn params(self) -> Params {
        Params::new(self.memory_kib.max(8), self.passes.max(1), 1, None)
            .expect("valid argon2 parameters")
    }
}

impl Default for HashCost {
    fn default() -> Self {
        HashCost::OWASP
    }
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

thread_local! {
    /// A hashing thread's argon2 memory (19 MiB under the current parameters), allocated at
    /// its first hash and used again for every one after: a hash allocates nothing large, so
    /// the allocator has nothing to keep or to scatter (glibc kept a freed block for nearly
    /// every hash: 20 waiting sign-ins grew the peak by 190 MB).
    static BLOCKS: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// argon2 of `password` and `salt` into `out`, in this thread's reused memory.
fn compute(
    algorithm: Algorithm,
    version: Version,
    params: &Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    BLOCKS.with_borrow_mut(|blocks| {
        let needed = params.block_count();
        if blocks.len() != needed {
            *blocks = vec![argon2::Block::default(); needed];
        }
        Argon2::new(algorithm, version, params.clone()).hash_password_into_with_memory(
            password,
            salt,
            out,
            &mut blocks[..],
        )
    })
}

/// A PHC string (`$argon2id$v=19$m=…`) of `password` under `params`, with a fresh salt: what
/// `PasswordHasher::hash_password` makes, computed by `compute`.
fn hash_with(params: &Params, password: &[u8]) -> Result<String, argon2::password_hash::Error> {
    use argon2::password_hash::{Output, ParamsString};
    let salt = salt();
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes)?;
    let length = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let output = Output::init_with(length, |out| {
        compute(
            Algorithm::Argon2id,
            Version::V0x13,
            params,
            password,
            salt_bytes,
            out,
        )
        .map_err(Into::into)
    })?;
    Ok(PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    }
    .to_string())
}

/// Whether `password` is the one `hash` was made from: `PasswordVerifier::verify_password`,
/// computed by `compute` (the outputs compared in constant time, as `Output` does).
fn verify_with(
    hash: &PasswordHash<'_>,
    password: &[u8],
) -> Result<bool, argon2::password_hash::Error> {
    use argon2::password_hash::Output;
    let (Some(salt), Some(expected)) = (&hash.salt, &hash.hash) else {
        return Ok(false);
    };
    let algorithm = Algorithm::try_from(hash.algorithm)?;
    let version = hash
        .version
        .map(Version::try_from)
        .transpose()?
        .unwrap_or_default();
    let params = Params::try_from(hash)?;
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
    let computed = Output::init_with(expected.len(), |out| {
        compute(algorithm, version, &params, password, salt_bytes, out).map_err(Into::into)
    })?;
    Ok(&computed == expected)
}

/// How far a hashing thread yields to the threads that answer pages, as a nice value: when
/// both want a core, the scheduler gives a thread at 10 about a tenth of the time of one at 0.
/// A flood of sign-ins then slows sign-ins, not the pages of those already signed in; on an
/// idle machine a hash takes as long as ever.
const HASHING_NICE: libc::c_int = 10;

#[cfg(target_os = "linux")]
fn yield_to_pages() {
    // The server's threads are batch work (`server::threads`), and a woken batch thread does
    // not preempt the one running: a page's thread woken while a hash runs would wait for
    // the scheduler's tick at each of its hand-offs. A hashing thread is ordinary work again,
    // only nicer. Measured on the roster under a sign-in flood (one core, 6 s each, three
    // rounds): hashing as batch 870–917 a second (p99 97–118 ms), as ordinary work at nice
    // 10, 931–968 (p99 80–87 ms).
    let ordinary = libc::sched_param { sched_priority: 0 };
    // SAFETY: sched_setscheduler reads the parameter block it is given, getpriority and
    // setpriority only their integer arguments. On Linux a policy and a nice value belong to
    // a thread, and 0 names the calling one: this hashing thread alone. A process started
    // nicer than that stays as nice.
    let (ordinary, lowered) = unsafe {
        (
            libc::sched_setscheduler(0, libc::SCHED_OTHER, &ordinary) == 0,
            libc::getpriority(libc::PRIO_PROCESS, 0) >= HASHING_NICE
                || libc::setpriority(libc::PRIO_PROCESS, 0, HASHING_NICE) == 0,
        )
    };
    if !ordinary {
        tracing::warn!("a hashing thread could not leave batch scheduling");
    }
    if !lowered {
        tracing::warn!("a hashing thread could not lower its priority");
    }
}

#[cfg(not(target_os = "linux"))]
fn yield_to_pages() {}

/// What checking a password found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verification {
    /// It matched; `needs_rehash` when the stored hash used other parameters.
    Match {
        needs_rehash: bool,
    },
    NoMatch,
}

type Job = Box<dyn FnOnce() + Send>;

pub struct Hasher {
    turns: Arc<Semaphore>,
    wait: Duration,
    params: Params,
    /// The hashing threads' queue. Hashes run on these few threads of their own, never on
    /// the runtime's blocking pool: each 19 MiB block the allocator keeps after a hash stays
    /// with the thread that used it, so memory is bounded by the number of hashing threads
    /// (with the blocking pool, a flood spread hashes over dozens of threads and kept a
    /// block for each: 200 clients took the process from 48 MB to 813 MB).
    jobs: std::sync::Mutex<std::sync::mpsc::Sender<Job>>,
    /// A hash of a random password under `params`, made at the first unknown username.
    dummy: OnceLock<String>,
}

impl Hasher {
    /// `concurrency` hashes at a time (one per core), each of `cost`; a caller waits at most
    /// `wait` for a turn.
    pub fn new(concurrency: usize, wait: Duration, cost: HashCost) -> Self {
        Hasher::with_params(concurrency, wait, cost.params())
    }

    pub fn with_params(concurrency: usize, wait: Duration, params: Params) -> Self {
        let concurrency = concurrency.max(1);
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for i in 0..concurrency {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    yield_to_pages();
                    loop {
                        // The lock is held only to take the next job; the threads end when
                        // the hasher (the queue's sender) is dropped.
                        let job = queue
                            .lock()
                            .map_err(|_| ())
                            .and_then(|q| q.recv().map_err(|_| ()));
                        match job {
                            Ok(job) => job(),
                            Err(()) => break,
                        }
                    }
                })
                .expect("a hashing thread starts");
        }
        Hasher {
            turns: Arc::new(Semaphore::new(concurrency)),
            wait,
            params,
            jobs: std::sync::Mutex::new(jobs),
            dummy: OnceLock::new(),
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
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
            drop(turn);
        });
        self.jobs
            .lock()
            .map_err(|_| AppError::internal("the hashing queue is poisoned"))?
            .send(job)
            .map_err(AppError::internal)?;
        result.await.map_err(AppError::internal)
    }

    pub async fn hash(&self, password: &Password) -> Result<String, AppError> {
        let text = password.expose().to_owned();
        let params = self.params.clone();
        self.run(move || hash_with(&params, text.as_bytes()))
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
            let matched = verify_with(&hash, candidate.as_bytes()).unwrap_or(false);
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

    /// A hash of a random password under this hasher's parameters, made once.
    fn dummy_hash(&self) -> &str {
        self.dummy.get_or_init(|| {
            let mut random = [0u8; 24];
            getrandom::fill(&mut random).expect("randomness");
            argon2(self.params.clone())
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
        Hasher::new(2, Duration::from_secs(5), HashCost::OWASP)
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashing_yields_to_the_threads_that_answer_pages() {
        // Made by a thread of batch work, as the server's are: its hashing threads inherit
        // that policy and must leave it.
        let hasher = std::thread::spawn(|| {
            let batch = libc::sched_param { sched_priority: 0 };
            // SAFETY: sched_setscheduler reads the parameter block; 0 is this new thread.
            assert_eq!(
                unsafe { libc::sched_setscheduler(0, libc::SCHED_BATCH, &batch) },
                0
            );
            hasher()
        })
        .join()
        .unwrap();
        // SAFETY: getpriority and sched_getscheduler read only their integer arguments.
        let (hashing, policy) = hasher
            .run(|| unsafe {
                (
                    libc::getpriority(libc::PRIO_PROCESS, 0),
                    libc::sched_getscheduler(0),
                )
            })
            .await
            .unwrap();
        assert_eq!(
            policy,
            libc::SCHED_OTHER,
            "a hashing thread is ordinary work"
        );
        // SAFETY: as above; this is the test's own thread, whose priority is left alone.
        let here = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
        assert!(
            hashing >= HASHING_NICE.max(here),
            "a hashing thread runs at nice {hashing}, the test at {here}"
        );
        if here < HASHING_NICE {
            assert!(here < hashing, "only the hashing threads yield");
        }
    }

    #[test]
    fn a_deployment_cannot_configure_less_than_owasp_or_absurdly_much() {
        assert!(HashCost::OWASP.is_deployable());
        assert!(HashCost::MOST.is_deployable());
        for cost in [
            HashCost {
                memory_kib: 19_455,
                passes: 2,
            },
            HashCost {
                memory_kib: 65_536,
                passes: 1,
            },
            HashCost {
                memory_kib: 8,
                passes: 1,
            },
            HashCost {
                memory_kib: (1 << 20) + 1,
                passes: 2,
            },
            HashCost {
                memory_kib: 19_456,
                passes: 11,
            },
        ] {
            assert!(!cost.is_deployable(), "{cost:?}");
        }
    }

    #[test]
    fn the_reused_memory_makes_the_hashes_argon2_itself_makes_and_reads() {
        use argon2::PasswordVerifier;
        let weak = Params::new(64, 1, 1, None).unwrap();
        let ours = hash_with(&weak, b"Qiuyue2026").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            argon2(weak.clone())
                .verify_password(b"Qiuyue2026", &parsed)
                .is_ok()
        );
        assert!(
            argon2(weak.clone())
                .verify_password(b"Qiuyue2027", &parsed)
                .is_err()
        );
        let theirs = argon2(weak.clone())
            .hash_password(b"Qiuyue2026", &salt())
            .unwrap()
            .to_string();
        let theirs = PasswordHash::new(&theirs).unwrap();
        assert!(verify_with(&theirs, b"Qiuyue2026").unwrap());
        assert!(!verify_with(&theirs, b"Qiuyue2027").unwrap());
        // Other parameters in the same thread: the memory is sized again, the answer right.
        let other = argon2(Params::new(128, 2, 1, None).unwrap())
            .hash_password(b"Qiuyue2026", &salt())
            .unwrap()
            .to_string();
        assert!(verify_with(&PasswordHash::new(&other).unwrap(), b"Qiuyue2026").unwrap());
        assert!(verify_with(&parsed, b"Qiuyue2026").unwrap());
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
        let hasher = Hasher::new(1, Duration::from_millis(1), HashCost::OWASP);
        let _held = hasher.turns.clone().acquire_owned().await.unwrap();
        let error = hasher.verify("x", None).await.unwrap_err();
        assert_eq!(error.status_code(), 503);
    }
}
