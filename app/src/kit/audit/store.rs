//! The audit trail's table. The database itself refuses UPDATE and DELETE on it.

use chrono::{DateTime, Utc};

use crate::db::{Conn, Pool};

use crate::kit::audit::entry::{Entry, NewEntry};

/// The newest entry's sequence number and MAC.
pub async fn head(tx: &mut Conn) -> Result<Option<(i64, Vec<u8>)>, sqlx::Error> {
    let row = crate::db::query("SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(tx)
        .await?;
    row.map(|r| Ok((r.try_get("seq")?, r.try_get("mac")?)))
        .transpose()
}

pub async fn insert(
    tx: &mut Conn,
    seq: i64,
    occurred_at: chrono::DateTime<chrono::Utc>,
    e: &NewEntry,
    prev_mac: &[u8],
    mac: &[u8],
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO audit_log (seq, occurred_at, actor_id, actor_role, action, object_type, \
         object_id, classification, client, reason, outcome, details, prev_mac, mac) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(seq)
    .bind(occurred_at)
    .bind(e.actor_id)
    .bind(&e.actor_role)
    .bind(&e.action)
    .bind(&e.object_type)
    .bind(&e.object_id)
    .bind(&e.classification)
    .bind(&e.client)
    .bind(&e.reason)
    .bind(&e.outcome)
    .bind(&e.details)
    .bind(prev_mac)
    .bind(mac)
    .execute(tx)
    .await?;
    Ok(())
}

fn entry(row: crate::db::Row) -> Result<Entry, sqlx::Error> {
    let occurred_at: DateTime<Utc> = row.try_get("occurred_at")?;
    Ok(Entry {
        seq: row.try_get("seq")?,
        occurred_at,
        fields: NewEntry {
            actor_id: row.try_get("actor_id")?,
            actor_role: row.try_get("actor_role")?,
            action: row.try_get("action")?,
            object_type: row.try_get("object_type")?,
            object_id: row.try_get("object_id")?,
            classification: row.try_get("classification")?,
            client: row.try_get("client")?,
            reason: row.try_get("reason")?,
            outcome: row.try_get("outcome")?,
            details: row.try_get("details")?,
        },
        prev_mac: row.try_get("prev_mac")?,
        mac: row.try_get("mac")?,
    })
}

/// Every entry, oldest first.
/// Up to `limit` entries after entry `after`, in order.
pub async fn since(conn: &mut Conn, after: i64, limit: i64) -> Result<Vec<Entry>, sqlx::Error> {
    crate::db::query("SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2")
        .bind(after)
        .bind(limit)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(entry)
        .collect()
}

/// The MAC of entry `seq`, when there is one.
pub async fn mac_at(conn: &mut Conn, seq: i64) -> Result<Option<Vec<u8>>, sqlx::Error> {
    crate::db::query_scalar("SELECT mac FROM audit_log WHERE seq = $1")
        .bind(seq)
        .fetch_optional(conn)
        .await
}

pub async fn count(pool: &Pool) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(pool)
        .await
}

/// The open window of `actor`'s refusals of `action` on `object`: when it began, and how many
/// repeats it counted.
pub async fn denial_window(
    tx: &mut Conn,
    actor: i64,
    action: &str,
    object: &str,
) -> Result<Option<(DateTime<Utc>, i64)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT window_started_at, repeated FROM denial_windows \
         WHERE actor_id = $1 AND action = $2 AND object = $3",
    )
    .bind(actor)
    .bind(action)
    .bind(object)
    .fetch_optional(tx)
    .await
}

pub async fn put_denial_window(
    tx: &mut Conn,
    actor: i64,
    action: &str,
    object: &str,
    (started, repeated): (DateTime<Utc>, i64),
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO denial_windows (actor_id, action, object, window_started_at, repeated) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (actor_id, action, object) DO UPDATE SET \
         window_started_at = excluded.window_started_at, repeated = excluded.repeated",
    )
    .bind(actor)
    .bind(action)
    .bind(object)
    .bind(started)
    .bind(repeated)
    .execute(tx)
    .await?;
    Ok(())
}

/// Removes and returns the windows that began before `before`: (actor, action, object,
/// began, repeats).
pub async fn take_closed_denial_windows(
    tx: &mut Conn,
    before: DateTime<Utc>,
) -> Result<Vec<(i64, String, String, DateTime<Utc>, i64)>, sqlx::Error> {
    crate::db::query_as(
        "DELETE FROM denial_windows WHERE window_started_at < $1 \
         RETURNING actor_id, action, object, window_started_at, repeated",
    )
    .bind(before)
    .fetch_all(tx)
    .await
}
