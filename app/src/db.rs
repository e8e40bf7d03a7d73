//! The one database door: the pool, connection and transaction types everything else names,
//! and the way a write begins. Code outside this module never spells out the engine's types
//! or its transaction statement, so that the PostgreSQL deployment to come is a change here
//! (and in the store files' SQL), not in every service.
//!
//! Constructs that differ between the engines, kept in one list (the SQL elsewhere uses
//! only what both accept):
//! - beginning a write: SQLite `BEGIN IMMEDIATE` (takes the write lock at once, so a
//!   transaction that reads then writes never fails to upgrade); PostgreSQL `BEGIN` with
//!   row locks (`SELECT … FOR UPDATE`) where a read decides a write;
//! - `INSERT … RETURNING`, `ON CONFLICT … DO UPDATE`: both accept them;
//! - partial unique indexes (`WHERE decision IS NULL`): both accept them;
//! - `STRICT` tables, `PRAGMA`s, `zeroblob`, rebuilding a table to drop a constraint
//!   (migrations): SQLite only; PostgreSQL has `ALTER TABLE … DROP CONSTRAINT`;
//! - booleans: stored as 0/1 integers here, compared as `= 0`/`= 1` (never `IS TRUE`), and
//!   a constant condition is written `1 = 0`, never a bare `0`;
//! - the latest of several values: computed in Rust (SQLite's many-argument `MAX` is
//!   PostgreSQL's `GREATEST`); joining strings: `string_agg` (SQLite 3.44 and later);
//! - `LIKE` with a prefix from data: escaped with `ESCAPE '\'` (`audit_query::like_escaped`);
//! - `INSERT OR IGNORE`: written `ON CONFLICT DO NOTHING`.

/// The database engine.
pub type Db = sqlx::Sqlite;
/// The application's connection pool.
pub type Pool = sqlx::SqlitePool;
/// One connection, or a transaction seen as one (`&mut *tx`).
pub type Conn = sqlx::SqliteConnection;
/// A transaction of the pool: committed explicitly, rolled back when dropped.
pub type Tx = sqlx::Transaction<'static, sqlx::Sqlite>;

/// Begins a transaction that will write: it holds the write lock from its first statement,
/// so what it reads stays true until it commits.
pub async fn begin_write(pool: &Pool) -> Result<Tx, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Begins a transaction that only reads: it sees one snapshot of the database throughout.
pub async fn begin_read(pool: &Pool) -> Result<Tx, sqlx::Error> {
    pool.begin().await
}

/// Writes every page the write-ahead log holds into the database file and truncates the log
/// to nothing, so that what a transaction just erased is in no older page version on disk
/// (with `secure_delete`, the database file's own free space is zeroed already). Waits for
/// readers still on an older snapshot (the connection's busy timeout; the portal's reads last
/// milliseconds), and tries again twice while one holds on; returns whether the log is empty
/// (the caller tries again later when not: writers wait while it waits).
pub async fn purge_journal(pool: &Pool) -> Result<bool, sqlx::Error> {
    for attempt in 0..3u64 {
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(pool)
            .await?;
        if busy == 0 {
            return Ok(true);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50 * (attempt + 1))).await;
    }
    Ok(false)
}

/// Whether `error` says the disk is full (SQLite's `SQLITE_FULL`, or an I/O error of no
/// space left on the device).
pub fn is_disk_full(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(e) => {
            e.code().is_some_and(|c| c == "13") || e.message().contains("disk is full")
        }
        sqlx::Error::Io(e) => e.raw_os_error() == Some(28),
        _ => false,
    }
}

/// The bytes free for the database on the file system that holds `file` (none when it
/// cannot be told: an in-memory database, a platform without `statvfs`).
pub fn free_bytes(file: &std::path::Path) -> Option<u64> {
    let folder = file.parent().filter(|p| !p.as_os_str().is_empty())?;
    free_bytes_in(folder)
}

#[cfg(unix)]
fn free_bytes_in(folder: &std::path::Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
    let mut stat = std::mem::MaybeUninit::<libc::statvfs>::zeroed();
    // SAFETY: `path` is a NUL-terminated string that outlives the call, and `stat` points to
    // memory for one `statvfs` that the call fills in when it returns 0.
    let stat = unsafe {
        if libc::statvfs(path.as_ptr(), stat.as_mut_ptr()) != 0 {
            return None;
        }
        stat.assume_init()
    };
    Some((stat.f_bavail as u64).saturating_mul(stat.f_frsize as u64))
}

#[cfg(not(unix))]
fn free_bytes_in(_: &std::path::Path) -> Option<u64> {
    None
}

/// Below this many bytes free the database's disk counts as full (a write may need a page
/// for the journal, the index and the table each, and a checkpoint more).
pub const DISK_RESERVE: u64 = 1024 * 1024;

/// The database file of `pool` (none for an in-memory one).
pub async fn file_of(pool: &Pool) -> Result<Option<std::path::PathBuf>, sqlx::Error> {
    let file: Option<String> =
        sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_optional(pool)
            .await?;
    Ok(file.filter(|f| !f.is_empty()).map(std::path::PathBuf::from))
}

/// Whether the disk that holds the database of `pool` is full (less than `DISK_RESERVE`
/// free); false when it cannot be told.
pub async fn disk_full(pool: &Pool) -> Result<bool, sqlx::Error> {
    Ok(file_of(pool)
        .await?
        .and_then(|f| free_bytes(&f))
        .is_some_and(|free| free < DISK_RESERVE))
}

/// Whether `error` is a violated unique constraint (two writers racing for one name, say).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

/// An opaque id for URLs: 128 random bits, hex.
pub fn new_public_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
