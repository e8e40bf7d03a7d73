//! Notices for one person (someone went past the hourly budget of number searches; one's own
//! password was reset), and the per-person count of exact-number searches in the hour.

use crate::db::Conn;
use chrono::{DateTime, Utc};

/// A notice as its recipient sees it: (id, kind, the display name of whom it is about,
/// when, the audit entry it points to).
pub type Notice = (i64, String, Option<String>, DateTime<Utc>, i64);

/// One notice for each of the enabled holders of `role` other than `except`.
pub async fn notify_role(
    conn: &mut Conn,
    role: &str,
    except: i64,
    kind: &str,
    subject: i64,
    audit_seq: i64,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    Ok(crate::db::query(
        "INSERT INTO notices (recipient_id, kind, subject_user_id, audit_seq, created_at) \
         SELECT r.user_id, $1, $2, $3, $4 FROM user_roles r JOIN users u ON u.id = r.user_id \
         WHERE r.role = $5 AND NOT u.disabled AND r.user_id <> $6",
    )
    .bind(kind)
    .bind(subject)
    .bind(audit_seq)
    .bind(now)
    .bind(role)
    .bind(except)
    .execute(conn)
    .await?
    .rows_affected())
}

/// One notice for `recipient`.
pub async fn notify(
    conn: &mut Conn,
    recipient: i64,
    kind: &str,
    subject: i64,
    audit_seq: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO notices (recipient_id, kind, subject_user_id, audit_seq, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(recipient)
    .bind(kind)
    .bind(subject)
    .bind(audit_seq)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The unread notices of `recipient`, newest first.
pub async fn unread(
    conn: &mut Conn,
    recipient: i64,
    limit: i64,
) -> Result<Vec<Notice>, sqlx::Error> {
    crate::db::query_as(
        "SELECT n.id, n.kind, u.display_name, n.created_at, n.audit_seq FROM notices n \
         LEFT JOIN users u ON u.id = n.subject_user_id \
         WHERE n.recipient_id = $1 AND n.read_at IS NULL ORDER BY n.id DESC LIMIT $2",
    )
    .bind(recipient)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Marks `recipient`'s notice `id` read; false when it is not theirs or was read already.
pub async fn mark_read(
    conn: &mut Conn,
    recipient: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    Ok(crate::db::query(
        "UPDATE notices SET read_at = $1 WHERE id = $2 AND recipient_id = $3 AND read_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(recipient)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// `user`'s count of number searches: (when its hour began, how many, whether going past
/// the budget was reported already).
pub async fn search_budget(
    conn: &mut Conn,
    user: i64,
) -> Result<Option<(DateTime<Utc>, i64, bool)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT window_started_at, used, reported FROM number_search_budget WHERE user_id = $1",
    )
    .bind(user)
    .fetch_optional(conn)
    .await
}

pub async fn put_search_budget(
    conn: &mut Conn,
    user: i64,
    (window_started_at, used, reported): (DateTime<Utc>, i64, bool),
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO number_search_budget (user_id, window_started_at, used, reported) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET \
         window_started_at = excluded.window_started_at, used = excluded.used, reported = excluded.reported",
    )
    .bind(user)
    .bind(window_started_at)
    .bind(used)
    .bind(reported)
    .execute(conn)
    .await?;
    Ok(())
}
