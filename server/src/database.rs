//! The database, on either engine: how it is opened, and its schema brought up to date.
//! The URL's scheme chooses: `sqlite://…` (embedded, the default) or `postgres://…`.

use std::{str::FromStr, time::Duration};

use app::db::Pool;
use sqlx::{
    SqlitePool,
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

/// The size the write-ahead log is cut back to after a checkpoint (bytes).
pub const JOURNAL_SIZE_LIMIT: i64 = 16 * 1024 * 1024;

/// The schema migrations for SQLite, compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// The schema migrations for PostgreSQL. Its history begins at the schema SQLite's migrations
/// had reached when PostgreSQL was added (one baseline under the version of SQLite's last);
/// from there on, every migration comes in a pair: one version, one file in each folder.
pub static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations-postgres");

/// Whether `url` names a PostgreSQL server (else a SQLite file).
pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    #[error("invalid database URL: {0}")]
    Url(sqlx::Error),
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the database: {0}")]
    Open(sqlx::Error),
    #[error("cannot apply the migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(
        "the PostgreSQL database orders text by {0:?}; Xueji needs the C collation \
         (CREATE DATABASE … LOCALE 'C' TEMPLATE template0), so that lists sort alike on both engines"
    )]
    Collation(String),
}

/// Opens the database `url` names (see [`is_postgres`]).
pub async fn connect(url: &str) -> Result<Pool, DatabaseError> {
    if is_postgres(url) {
        connect_postgres(url).await
    } else {
        connect_sqlite(url).await.map(Pool::from)
    }
}

/// Opens a PostgreSQL database: READ COMMITTED by default (a write's first statement takes
/// the school's lock row, see `app::db::begin_write`), UTC for the session, and a database
/// whose text sorts by code point as SQLite's does.
async fn connect_postgres(url: &str) -> Result<Pool, DatabaseError> {
    let options = PgConnectOptions::from_str(url)
        .map_err(DatabaseError::Url)?
        .options([("timezone", "UTC")])
        .application_name("xueji");
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(5))
        .after_release(|conn, _| {
            Box::pin(async move {
                use sqlx::TransactionManager;
                let depth = sqlx::postgres::PgTransactionManager::get_transaction_depth(conn);
                if depth != 0 {
                    tracing::warn!(depth, "a connection left inside a transaction is closed");
                }
                Ok(depth == 0)
            })
        })
        .connect_with(options)
        .await
        .map_err(DatabaseError::Open)?;
    let collation: String =
        sqlx::query_scalar("SELECT datcollate FROM pg_database WHERE datname = current_database()")
            .fetch_one(&pool)
            .await
            .map_err(DatabaseError::Open)?;
    if collation != "C" && collation != "POSIX" {
        return Err(DatabaseError::Collation(collation));
    }
    Ok(Pool::from(pool))
}

/// Opens the database with the settings student records need: WAL for concurrent readers,
/// foreign keys enforced, a full sync on commit, and `secure_delete` so that erased personal
/// data is overwritten instead of lingering in free pages.
async fn connect_sqlite(url: &str) -> Result<SqlitePool, DatabaseError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(DatabaseError::Url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        .synchronous(SqliteSynchronous::Full)
        .pragma("secure_delete", "ON")
        // After a checkpoint the log is cut back to this size (16 MiB), so it never keeps
        // old page versions beyond what the next writes need.
        .pragma("journal_size_limit", JOURNAL_SIZE_LIMIT.to_string());

    let folder = options
        .get_filename()
        .parent()
        .filter(|p| !p.as_os_str().is_empty());
    if let Some(folder) = folder {
        std::fs::create_dir_all(folder).map_err(|source| DatabaseError::Folder {
            path: folder.display().to_string(),
            source,
        })?;
    }

    SqlitePoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(5))
        // A transaction whose COMMIT or ROLLBACK failed (the disk full) leaves its connection
        // believing it is still inside one: reused, its next "transaction" would be a
        // savepoint of a transaction that never ends, holding the write lock for good
        // ("database is locked" until a restart). Such a connection is closed instead, and
        // the pool opens a fresh one. Waiting for the handle first lets a rollback queued by
        // a dropped transaction finish before the depth is read.
        .after_release(|conn, _| {
            Box::pin(async move {
                use sqlx::TransactionManager;
                drop(conn.lock_handle().await?);
                let depth = sqlx::sqlite::SqliteTransactionManager::get_transaction_depth(conn);
                if depth != 0 {
                    tracing::warn!(depth, "a connection left inside a transaction is closed");
                }
                Ok(depth == 0)
            })
        })
        .connect_with(options)
        .await
        .map_err(DatabaseError::Open)
}

/// Brings the schema up to date.
pub async fn migrate(pool: &Pool) -> Result<(), DatabaseError> {
    if let Some(pool) = pool.as_sqlite() {
        MIGRATOR.run(pool).await?;
    } else if let Some(pool) = pool.as_postgres() {
        POSTGRES_MIGRATOR.run(pool).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pragmas_are_in_force_on_every_connection() {
        let dir = tempfile_dir();
        let url = format!("sqlite://{}/nested/x.db", dir.display());
        let pool = connect(&url).await.unwrap();
        migrate(&pool).await.unwrap();
        let pool = pool.as_sqlite().unwrap().clone();
        // Take several connections at once, so the checks do not all land on one.
        let mut conns = Vec::new();
        for _ in 0..3 {
            conns.push(pool.acquire().await.unwrap());
        }
        for conn in &mut conns {
            let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(&mut **conn)
                .await
                .unwrap();
            let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
                .fetch_one(&mut **conn)
                .await
                .unwrap();
            let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
                .fetch_one(&mut **conn)
                .await
                .unwrap();
            let secure: i64 = sqlx::query_scalar("PRAGMA secure_delete")
                .fetch_one(&mut **conn)
                .await
                .unwrap();
            let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
                .fetch_one(&mut **conn)
                .await
                .unwrap();
            let limit: i64 = sqlx::query_scalar("PRAGMA journal_size_limit")
                .fetch_one(&mut **conn)
                .await
                .unwrap();
            assert_eq!(
                (mode.as_str(), fk, sync, secure, busy, limit),
                ("wal", 1, 2, 1, 5000, JOURNAL_SIZE_LIMIT)
            );
        }
        drop(conns);
        pool.close().await;
        std::fs::remove_dir_all(dir).unwrap();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("xueji-db-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
