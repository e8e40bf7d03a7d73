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
/// readers still on an older snapshot (the connection's busy timeout), and tries again a few
/// times while one holds on; returns whether the log is empty.
pub async fn purge_journal(pool: &Pool) -> Result<bool, sqlx::Error> {
    for attempt in 0..20u64 {
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
