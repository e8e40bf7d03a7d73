//! The portal's health, as the status panel and `/healthz` report it.

use crate::db::Pool;
use chrono_tz::Tz;

use crate::{
    clock::Clock, errors::AppError, features::status::store as system, i18n::TIMESTAMP_FORMAT,
    models::SystemStatus,
};

pub async fn status(
    pool: &Pool,
    clock: &dyn Clock,
    timezone: Tz,
) -> Result<SystemStatus, AppError> {
    let migrations = system::migration_state(pool).await?;
    let journal_mode = system::journal_mode(pool).await?;
    let installed_at = system::installed_at(pool).await?;
    let free = crate::db::file_of(pool)
        .await?
        .and_then(|f| crate::db::free_bytes(&f));
    let local = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&timezone)
            .format(TIMESTAMP_FORMAT)
            .to_string()
    };
    Ok(SystemStatus {
        migration_version: migrations.latest_version,
        migrations_applied: migrations.applied,
        journal_mode,
        installed_at: local(installed_at),
        checked_at: local(clock.now()),
        timezone: timezone.name().to_owned(),
        disk_free_mib: free.map(|b| b / (1024 * 1024)),
        disk_full: free.is_some_and(|b| b < crate::db::DISK_RESERVE),
    })
}
