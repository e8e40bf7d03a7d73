//! Failed sign-in counters and trusted devices.

use chrono::{DateTime, Utc};

use crate::db::Conn;

pub struct Counter {
    pub failures: i64,
    pub window_started_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
}

pub async fn get(
    conn: &mut Conn,
    username: &str,
    source: &str,
) -> Result<Option<Counter>, sqlx::Error> {
    let row = crate::db::query(
        "SELECT failures, window_started_at, locked_until FROM sign_in_throttle WHERE username = $1 AND source = $2",
    )
    .bind(username)
    .bind(source)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(Counter {
            failures: r.try_get("failures")?,
            window_started_at: r.try_get("window_started_at")?,
            locked_until: r.try_get("locked_until")?,
        })
    })
    .transpose()
}

pub async fn put(
    conn: &mut Conn,
    username: &str,
    source: &str,
    counter: &Counter,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO sign_in_throttle (username, source, failures, window_started_at, locked_until) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username, source) DO UPDATE SET \
         failures = excluded.failures, window_started_at = excluded.window_started_at, locked_until = excluded.locked_until",
    )
    .bind(username)
    .bind(source)
    .bind(counter.failures)
    .bind(counter.window_started_at)
    .bind(counter.locked_until)
    .execute(conn)
    .await?;
    Ok(())
}

/// Reads a counter and writes back what `next` makes of it, inside the caller's write
/// transaction (so that parallel failures each count).
pub async fn update(
    conn: &mut Conn,
    username: &str,
    source: &str,
    next: impl FnOnce(Option<Counter>) -> Counter,
) -> Result<(), sqlx::Error> {
    let counter = next(get(&mut *conn, username, source).await?);
    put(conn, username, source, &counter).await
}

pub async fn clear(conn: &mut Conn, username: &str, source: &str) -> Result<(), sqlx::Error> {
    crate::db::query("DELETE FROM sign_in_throttle WHERE username = $1 AND source = $2")
        .bind(username)
        .bind(source)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes the counters whose window began before `before` and that lock nothing now.
pub async fn expire(
    conn: &mut Conn,
    before: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "DELETE FROM sign_in_throttle WHERE window_started_at < $1 \
         AND (locked_until IS NULL OR locked_until < $2)",
    )
    .bind(before)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn device_trusted(
    conn: &mut Conn,
    username: &str,
    device_id: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = crate::db::query_scalar(
        "SELECT COUNT(*) FROM trusted_devices WHERE username = $1 AND device_id = $2",
    )
    .bind(username)
    .bind(device_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

pub async fn trust_device(
    conn: &mut Conn,
    username: &str,
    device_id: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query("INSERT INTO trusted_devices (username, device_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(username)
        .bind(device_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}
