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
        "the PostgreSQL database's schema is not this build's ({0}): run `xueji migrate` \
         as the database's owner (XUEJI_MIGRATE_URL), then start again"
    )]
    Behind(String),
    #[error("cannot grant the application's role its rights: {0}")]
    Grant(sqlx::Error),
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
        // UTC for the session; a writer waits at most 5 s for the lock row (as SQLite's busy
        // timeout), and a transaction left idle is ended by the server after a minute, so
        // an instance that stalls holding the lock cannot stop the others for good.
        .options([
            ("timezone", "UTC"),
            ("lock_timeout", "5s"),
            ("idle_in_transaction_session_timeout", "60s"),
        ])
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
    // The libc provider with C (an ICU collation may call itself C in datcollate).
    let (collation, provider): (String, String) = sqlx::query_as(
        "SELECT datcollate::text, datlocprovider::text FROM pg_database \
         WHERE datname = current_database()",
    )
    .fetch_one(&pool)
    .await
    .map_err(DatabaseError::Open)?;
    if !(collation == "C" || collation == "POSIX") || provider != "c" {
        return Err(DatabaseError::Collation(format!(
            "{collation} ({provider})"
        )));
    }
    Ok(Pool::from(pool))
}

/// How much of a SQLite file is read through memory mapping (1 GiB).
const MMAP_SIZE: u64 = 1 << 30;

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
        // Reads go through the system's page cache, shared by every connection, instead of
        // each connection's own 2 MB cache and a read call per page: at 200,000 students
        // the search page's 50 records took 1.3 ms each time. Up to 1 GiB of the file is
        // mapped (the address space, not memory); writes still go through the journal.
        .pragma("mmap_size", MMAP_SIZE.to_string())
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
        // A file opened in this process does not go away as a server's connection does: no
        // ping when a connection is taken (each would be one more round trip to its thread,
        // as many as the page's statements on a roster).
        .test_before_acquire(false)
        // A transaction whose COMMIT or ROLLBACK failed (the disk full) leaves its connection
        // believing it is still inside one: reused, its next "transaction" would be a
        // savepoint of a transaction that never ends, holding the write lock for good
        // ("database is locked" until a restart). Such a connection is closed instead, and
        // the pool opens a fresh one. A connection outside any transaction goes back without
        // waiting for its thread here: only BEGIN raises the depth, and a BEGIN whose caller
        // stopped waiting is rolled back by the connection's own thread before it runs
        // anything else (sqlx-sqlite 0.8.6's worker; `app::db::whole` also runs a BEGIN to its
        // end); commands run in order, and sqlx pings the connection as it is given back,
        // after this. One still inside waits for its handle first, which lets a rollback
        // queued by a dropped transaction finish before the depth is read again.
        .after_release(|conn, _| {
            Box::pin(async move {
                use sqlx::TransactionManager;
                if sqlx::sqlite::SqliteTransactionManager::get_transaction_depth(conn) == 0 {
                    return Ok(true);
                }
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

/// Makes the database ready for the portal as it opens: SQLite's schema is brought up to
/// date (the file is the portal's own); PostgreSQL's is only checked, since its migrations
/// run as the database's owner in `xueji migrate`, and the role the portal serves with may
/// not change the schema.
pub async fn prepare(pool: &Pool) -> Result<(), DatabaseError> {
    match pool.as_postgres() {
        None => migrate(pool).await,
        Some(pg) => {
            let applied: Vec<(i64, Vec<u8>)> = sqlx::query_as(
                "SELECT version, checksum FROM _sqlx_migrations WHERE success ORDER BY version",
            )
            .fetch_all(pg)
            .await
            .map_err(|_| DatabaseError::Behind("no migrations applied".into()))?;
            for migration in POSTGRES_MIGRATOR.iter() {
                match applied.iter().find(|(v, _)| *v == migration.version) {
                    None => {
                        return Err(DatabaseError::Behind(format!(
                            "migration {} not applied",
                            migration.version
                        )));
                    }
                    Some((_, checksum)) if **checksum != *migration.checksum => {
                        return Err(DatabaseError::Behind(format!(
                            "migration {} applied in another form",
                            migration.version
                        )));
                    }
                    Some(_) => {}
                }
            }
            if let Some((newer, _)) = applied
                .iter()
                .find(|(v, _)| POSTGRES_MIGRATOR.iter().all(|m| m.version != *v))
            {
                return Err(DatabaseError::Behind(format!(
                    "migration {newer} is newer than this build"
                )));
            }
            Ok(())
        }
    }
}

/// Grants the role the portal serves with (on PostgreSQL) what it needs and no more: the
/// rows of every table, but of the audit trail only reading and appending (no UPDATE, DELETE
/// or TRUNCATE; not owning the table, it cannot drop its triggers either), of the lock row
/// only locking it, of the migrations only reading them, and no right to create anything
/// (PUBLIC's CREATE on the schema, which PostgreSQL before 15 grants, is taken away).
/// `role` must be an existing role that logs in, is no superuser, and is neither the one
/// migrating nor the database's owner.
pub async fn grant_app_role(pool: &Pool, role: &str) -> Result<(), DatabaseError> {
    let Some(pg) = pool.as_postgres() else {
        return Err(DatabaseError::Grant(sqlx::Error::Protocol(
            "--app-role is for PostgreSQL; SQLite has no roles".into(),
        )));
    };
    let refuse = |why: &str| Err(DatabaseError::Grant(sqlx::Error::Protocol(why.into())));
    let found: Option<(bool, bool, bool, bool)> = sqlx::query_as(
        "SELECT r.rolcanlogin, r.rolsuper, r.rolname = current_user, \
         r.oid = (SELECT datdba FROM pg_database WHERE datname = current_database()) \
         FROM pg_roles r WHERE r.rolname = $1",
    )
    .bind(role)
    .fetch_optional(pg)
    .await
    .map_err(DatabaseError::Grant)?;
    match found {
        None => return refuse("no such role (create it first: CREATE ROLE … LOGIN)"),
        Some((false, _, _, _)) => return refuse("the role cannot log in"),
        Some((_, true, _, _)) => return refuse("the role is a superuser: it may do anything"),
        Some((_, _, true, _)) => return refuse("the role is the one migrating (the owner)"),
        Some((_, _, _, true)) => return refuse("the role owns the database"),
        Some(_) => {}
    }
    // Quoted as an identifier: the role's own name, whatever its case.
    let role = format!("\"{}\"", role.replace('"', "\"\""));
    let mut tx = pg.begin().await.map_err(DatabaseError::Grant)?;
    for statement in [
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC".to_owned(),
        format!("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}"),
        format!("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}"),
        format!("GRANT USAGE ON SCHEMA public TO {role}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
        format!("REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {role}"),
        format!("REVOKE INSERT, DELETE, TRUNCATE ON write_lock FROM {role}"),
        format!("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON _sqlx_migrations FROM {role}"),
        format!("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}"),
    ] {
        sqlx::query(&statement)
            .execute(&mut *tx)
            .await
            .map_err(DatabaseError::Grant)?;
    }
    tx.commit().await.map_err(DatabaseError::Grant)
}

/// Brings the schema up to date (as the database's owner, on PostgreSQL).
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
