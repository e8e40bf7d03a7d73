//! The database's own bookkeeping: applied migrations, journal mode, the installation row.

use chrono::{DateTime, Utc};

use crate::db::Pool;

pub struct MigrationState {
    pub latest_version: i64,
    pub applied: i64,
}

pub async fn migration_state(pool: &Pool) -> Result<MigrationState, sqlx::Error> {
    let row = crate::db::query(
        "SELECT COALESCE(MAX(version), 0) AS latest, COUNT(*) AS applied \
         FROM _sqlx_migrations WHERE success",
    )
    .fetch_one(pool)
    .await?;
    Ok(MigrationState {
        latest_version: row.try_get("latest")?,
        applied: row.try_get("applied")?,
    })
}

pub async fn journal_mode(pool: &Pool) -> Result<String, sqlx::Error> {
    crate::db::journal_mode(pool).await
}

/// Records when this installation first started; a later start leaves the row as it is.
pub async fn record_installation(pool: &Pool, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO installation (id, installed_at) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
    )
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn installed_at(pool: &Pool) -> Result<DateTime<Utc>, sqlx::Error> {
    crate::db::query_scalar("SELECT installed_at FROM installation WHERE id = 1")
        .fetch_one(pool)
        .await
}

/// One round trip that proves the database answers.
pub async fn ping(pool: &Pool) -> Result<(), sqlx::Error> {
    crate::db::query("SELECT 1").execute(pool).await.map(|_| ())
}
