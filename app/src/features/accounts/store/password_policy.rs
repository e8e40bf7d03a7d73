//! The school's password policy: one row.

use chrono::{DateTime, Utc};

use crate::db::Conn;

/// The stored policy: (preset, rotation days, dormant days), when one was saved.
pub async fn get(conn: &mut Conn) -> Result<Option<(String, Option<i64>, i64)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT preset, rotation_days, dormant_days FROM password_policy WHERE id = 1",
    )
    .fetch_optional(conn)
    .await
}

pub async fn put(
    conn: &mut Conn,
    (preset, rotation_days, dormant_days): (&str, Option<i64>, i64),
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO password_policy (id, preset, rotation_days, dormant_days, updated_at, updated_by) \
         VALUES (1, $1, $2, $5, $3, $4) ON CONFLICT (id) DO UPDATE SET preset = excluded.preset, \
         rotation_days = excluded.rotation_days, dormant_days = excluded.dormant_days, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(preset)
    .bind(rotation_days)
    .bind(now)
    .bind(by)
    .bind(dormant_days)
    .execute(conn)
    .await?;
    Ok(())
}
