//! The school's own calendar days as stored.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{db::Conn, domain::calendar::DayKind};

/// The school's own days: (day, kind, name, the account that set it).
pub async fn own_days(
    conn: &mut Conn,
) -> Result<Vec<(NaiveDate, DayKind, String, i64)>, sqlx::Error> {
    crate::db::query_as("SELECT day, kind, name, set_by FROM calendar_days ORDER BY day")
        .fetch_all(conn)
        .await
}

/// The school's own days as the clock reads them.
pub async fn own_kinds(conn: &mut Conn) -> Result<Vec<(NaiveDate, DayKind)>, sqlx::Error> {
    crate::db::query_as("SELECT day, kind FROM calendar_days")
        .fetch_all(conn)
        .await
}

/// Sets `day` (replacing the school's earlier word on it).
pub async fn set(
    conn: &mut Conn,
    day: NaiveDate,
    kind: DayKind,
    name: &str,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO calendar_days (day, kind, name, set_by, set_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, \
         set_by = excluded.set_by, set_at = excluded.set_at",
    )
    .bind(day)
    .bind(kind)
    .bind(name)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes the school's word on `day`; whether there was one.
pub async fn remove(conn: &mut Conn, day: NaiveDate) -> Result<bool, sqlx::Error> {
    Ok(crate::db::query("DELETE FROM calendar_days WHERE day = $1")
        .bind(day)
        .execute(conn)
        .await?
        .rows_affected()
        == 1)
}
