//! A workflow's notices: a row per recipient, written in the transaction of the step it tells
//! of. A notice names the workflow, the object (by id) and the event, never what the object
//! holds; the page it links to shows what its reader may see. (The notices about accounts,
//! shown until dismissed, are `features/notices`.)

use chrono::{DateTime, Utc};

use crate::db::Conn;

/// Tells `recipient` that `event` happened to `object_id` of `workflow`.
pub async fn notify(
    conn: &mut Conn,
    recipient: i64,
    (workflow, object_id, event): (&str, i64, &str),
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO workflow_notices (recipient_id, workflow, object_id, event, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(recipient)
    .bind(workflow)
    .bind(object_id)
    .bind(event)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// How many workflow_notices of `workflow` `recipient` has not read.
pub async fn unread_count(
    conn: &mut Conn,
    recipient: i64,
    workflow: &str,
) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT COUNT(*) FROM workflow_notices WHERE recipient_id = $1 AND workflow = $2 \
         AND read_at IS NULL",
    )
    .bind(recipient)
    .bind(workflow)
    .fetch_one(conn)
    .await
}

/// The header's tally of `workflow`'s unread notices of the viewer (`$1`).
pub fn unread_tally(workflow: &'static str) -> super::Tally {
    // A workflow's name is an identifier of its declaration, never input.
    assert!(
        workflow
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'_')
    );
    super::Tally(
        format!(
            "SELECT COUNT(*) FROM workflow_notices WHERE recipient_id = $1 \
             AND workflow = '{workflow}' AND read_at IS NULL"
        )
        .into(),
    )
}

/// The objects of `workflow` `recipient` has unread workflow_notices about.
pub async fn unread_objects(
    conn: &mut Conn,
    recipient: i64,
    workflow: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT DISTINCT object_id FROM workflow_notices WHERE recipient_id = $1 AND workflow = $2 \
         AND read_at IS NULL",
    )
    .bind(recipient)
    .bind(workflow)
    .fetch_all(conn)
    .await
}

/// Marks read what `recipient` was told about `object_id` (they opened its page).
pub async fn mark_read(
    conn: &mut Conn,
    recipient: i64,
    (workflow, object_id): (&str, i64),
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE workflow_notices SET read_at = $1 WHERE recipient_id = $2 AND workflow = $3 \
         AND object_id = $4 AND read_at IS NULL",
    )
    .bind(now)
    .bind(recipient)
    .bind(workflow)
    .bind(object_id)
    .execute(conn)
    .await?;
    Ok(())
}
