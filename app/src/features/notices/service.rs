//! Notices to one person: shown on their pages until they dismiss them.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::{
    errors::AppError, features::notices::store as notices, features::notices::views::NoticeView,
    i18n::TIMESTAMP_FORMAT,
};

/// How many unread notices a page shows at most.
const SHOWN: i64 = 20;

/// `recipient`'s unread notices, newest first, times in `timezone`.
pub async fn unread(
    conn: &mut crate::db::Conn,
    recipient: i64,
    timezone: Tz,
) -> Result<Vec<NoticeView>, AppError> {
    Ok(notices::unread(conn, recipient, SHOWN)
        .await?
        .into_iter()
        .map(|(id, kind, subject, at, audit_seq)| NoticeView {
            id,
            kind,
            subject: subject.unwrap_or_default(),
            at: at
                .with_timezone(&timezone)
                .format(TIMESTAMP_FORMAT)
                .to_string(),
            audit_seq,
        })
        .collect())
}

/// Marks one of `recipient`'s own notices read (another's is not found).
pub async fn dismiss(
    pool: &crate::db::Pool,
    recipient: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    if notices::mark_read(&mut conn, recipient, id, now).await? {
        Ok(())
    } else {
        Err(AppError::not_found())
    }
}
