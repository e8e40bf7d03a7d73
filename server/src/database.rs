//! The embedded SQLite database: how it is opened, and its schema brought up to date.

use std::{str::FromStr, time::Duration};

use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

/// The size the write-ahead log is cut back to after a checkpoint (bytes).
pub const JOURNAL_SIZE_LIMIT: i64 = 16 * 1024 * 1024;

/// The schema migrations, compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

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
}

/// Opens the database with the settings student records need: WAL for concurrent readers,
/// foreign keys enforced, a full sync on commit, and `secure_delete` so that erased personal
/// data is overwritten instead of lingering in free pages.
pub async fn connect(url: &str) -> Result<SqlitePool, DatabaseError> {
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
pub async fn migrate(pool: &SqlitePool) -> Result<(), DatabaseError> {
    MIGRATOR.run(pool).await?;
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
