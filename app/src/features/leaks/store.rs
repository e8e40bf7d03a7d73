//! Leak reports as stored: the report, what it names (by id), the accounts frozen for it.

use chrono::{DateTime, Utc};

use crate::{db::Conn, features::leaks::views::LeakState};

/// One report with the names of the people in it.
#[derive(sqlx::FromRow)]
pub struct LeakRow {
    pub id: i64,
    pub public_id: String,
    pub reporter_id: i64,
    pub reporter: String,
    pub what: String,
    pub happened: String,
    pub noticed: String,
    pub remedies: String,
    pub state: LeakState,
    pub filed_at: DateTime<Utc>,
    pub acknowledger: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub closer: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub conclusion: Option<String>,
    /// What the report names that matched nothing (JSON, see the migration).
    pub unresolved: String,
}

const COLUMNS: &str = "l.id, l.public_id, l.reporter_id, r.display_name AS reporter, l.what, \
     l.happened, l.noticed, l.remedies, l.state, l.filed_at, a.display_name AS acknowledger, \
     l.acknowledged_at, c.display_name AS closer, l.closed_at, l.conclusion, l.unresolved \
     FROM leak_reports l JOIN users r ON r.id = l.reporter_id \
     LEFT JOIN users a ON a.id = l.acknowledged_by LEFT JOIN users c ON c.id = l.closed_by";

/// What a new report holds.
pub struct NewReport<'a> {
    pub public_id: &'a str,
    pub reporter_id: i64,
    pub what: &'a str,
    pub happened: &'a str,
    pub noticed: &'a str,
    pub remedies: &'a str,
    pub unresolved: &'a str,
}

pub async fn insert(
    conn: &mut Conn,
    r: &NewReport<'_>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "INSERT INTO leak_reports (public_id, reporter_id, what, happened, noticed, remedies, \
         state, filed_at, unresolved) VALUES ($1, $2, $3, $4, $5, $6, 'filed', $7, $8) RETURNING id",
    )
    .bind(r.public_id)
    .bind(r.reporter_id)
    .bind(r.what)
    .bind(r.happened)
    .bind(r.noticed)
    .bind(r.remedies)
    .bind(now)
    .bind(r.unresolved)
    .fetch_one(conn)
    .await
}

/// Names `subject_id` (a `student`, `class` or `account`) in the report.
pub async fn insert_subject(
    conn: &mut Conn,
    report_id: i64,
    kind: &str,
    subject_id: i64,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO leak_report_subjects (report_id, kind, subject_id) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(report_id)
    .bind(kind)
    .bind(subject_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut Conn, public_id: &str) -> Result<Option<LeakRow>, sqlx::Error> {
    crate::db::query_as(&format!("SELECT {COLUMNS} WHERE l.public_id = $1"))
        .bind(public_id)
        .fetch_optional(conn)
        .await
}

/// The reports `user` filed, newest first.
pub async fn of_reporter(
    conn: &mut Conn,
    user: i64,
    limit: i64,
) -> Result<Vec<LeakRow>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT {COLUMNS} WHERE l.reporter_id = $1 ORDER BY l.id DESC LIMIT $2"
    ))
    .bind(user)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Every report, open ones first, newest first within each.
pub async fn all(conn: &mut Conn, limit: i64) -> Result<Vec<LeakRow>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT {COLUMNS} ORDER BY CASE WHEN l.state = 'closed' THEN 1 ELSE 0 END, l.id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// How many reports nobody has acknowledged yet.
pub async fn unacknowledged(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar("SELECT COUNT(*) FROM leak_reports WHERE state = 'filed'")
        .fetch_one(conn)
        .await
}

/// How many reports are open (not closed).
pub async fn open(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar("SELECT COUNT(*) FROM leak_reports WHERE state <> 'closed'")
        .fetch_one(conn)
        .await
}

/// When each acknowledged report was filed and acknowledged.
pub async fn acknowledgements(
    conn: &mut Conn,
) -> Result<Vec<(DateTime<Utc>, DateTime<Utc>)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT filed_at, acknowledged_at FROM leak_reports WHERE acknowledged_at IS NOT NULL",
    )
    .fetch_all(conn)
    .await
}

pub async fn set_acknowledged(
    conn: &mut Conn,
    id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE leak_reports SET acknowledged_by = $1, acknowledged_at = $2 WHERE id = $3",
    )
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_closed(
    conn: &mut Conn,
    id: i64,
    by: i64,
    now: DateTime<Utc>,
    conclusion: &str,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE leak_reports SET closed_by = $1, closed_at = $2, conclusion = $3 WHERE id = $4",
    )
    .bind(by)
    .bind(now)
    .bind(conclusion)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The student record ids a report names.
pub async fn students(conn: &mut Conn, report_id: i64) -> Result<Vec<String>, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT s.public_id FROM leak_report_subjects l JOIN students s ON s.id = l.subject_id \
         WHERE l.report_id = $1 AND l.kind = 'student' ORDER BY s.id",
    )
    .bind(report_id)
    .fetch_all(conn)
    .await
}

/// The classes a report names: (school year, grade, name).
pub async fn classes(
    conn: &mut Conn,
    report_id: i64,
) -> Result<Vec<(String, i64, String)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT y.name, c.grade, c.name FROM leak_report_subjects l JOIN classes c ON c.id = l.subject_id \
         JOIN school_years y ON y.id = c.school_year_id \
         WHERE l.report_id = $1 AND l.kind = 'class' ORDER BY c.id",
    )
    .bind(report_id)
    .fetch_all(conn)
    .await
}

/// One account a report names.
#[derive(sqlx::FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub frozen_at: Option<DateTime<Utc>>,
    pub unfrozen_at: Option<DateTime<Utc>>,
    /// A freeze proposed and waiting for a second person (a privileged holder's).
    pub freeze_proposed_by: Option<i64>,
}

impl AccountRow {
    /// Frozen for this report now.
    pub fn frozen(&self) -> bool {
        self.frozen_at.is_some() && self.unfrozen_at.is_none()
    }

    /// A freeze proposed for this report and not yet confirmed.
    pub fn freeze_pending(&self) -> bool {
        self.freeze_proposed_by.is_some() && !self.frozen()
    }
}

/// The accounts a report names, and whether each is frozen for it.
pub async fn accounts(conn: &mut Conn, report_id: i64) -> Result<Vec<AccountRow>, sqlx::Error> {
    crate::db::query_as(
        "SELECT u.id, u.username, u.display_name, u.disabled, l.frozen_at, l.unfrozen_at, \
         l.freeze_proposed_by \
         FROM leak_report_subjects l JOIN users u ON u.id = l.subject_id \
         WHERE l.report_id = $1 AND l.kind = 'account' ORDER BY u.username",
    )
    .bind(report_id)
    .fetch_all(conn)
    .await
}

/// Marks `user` frozen (`frozen`) or unfrozen for the report.
pub async fn set_frozen(
    conn: &mut Conn,
    report_id: i64,
    user: i64,
    frozen: bool,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let sql = if frozen {
        "UPDATE leak_report_subjects SET frozen_at = $1, unfrozen_at = NULL \
         WHERE report_id = $2 AND kind = 'account' AND subject_id = $3"
    } else {
        "UPDATE leak_report_subjects SET unfrozen_at = $1, freeze_proposed_by = NULL, \
         freeze_proposed_at = NULL WHERE report_id = $2 AND kind = 'account' AND subject_id = $3"
    };
    crate::db::query(sql)
        .bind(now)
        .bind(report_id)
        .bind(user)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records that `by` proposed to freeze `user` for the report (a second person confirms).
pub async fn propose_freeze(
    conn: &mut Conn,
    report_id: i64,
    user: i64,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE leak_report_subjects SET freeze_proposed_by = $1, freeze_proposed_at = $2, \
         frozen_at = NULL, unfrozen_at = NULL \
         WHERE report_id = $3 AND kind = 'account' AND subject_id = $4",
    )
    .bind(by)
    .bind(now)
    .bind(report_id)
    .bind(user)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether any report keeps `user` frozen.
pub async fn frozen_by_any(conn: &mut Conn, user: i64) -> Result<bool, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM leak_report_subjects WHERE kind = 'account' \
         AND subject_id = $1 AND frozen_at IS NOT NULL AND unfrozen_at IS NULL)",
    )
    .bind(user)
    .fetch_one(conn)
    .await
}

/// The live releases (approved or released information requests) `user` asked for.
pub async fn live_requests_of(conn: &mut Conn, user: i64) -> Result<Vec<i64>, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT id FROM info_requests WHERE requester_id = $1 AND state IN ('approved', 'released') \
         ORDER BY id",
    )
    .bind(user)
    .fetch_all(conn)
    .await
}

/// The live releases (information requests approved or released), all of them or only
/// those touching a student the report names or a student of a class it names.
pub async fn live_releases(
    conn: &mut Conn,
    report_id: i64,
    named_only: bool,
) -> Result<Vec<i64>, sqlx::Error> {
    if !named_only {
        return crate::db::query_scalar(
            "SELECT id FROM info_requests WHERE state IN ('approved', 'released') ORDER BY id",
        )
        .fetch_all(conn)
        .await;
    }
    crate::db::query_scalar(
        "SELECT DISTINCT r.id FROM info_requests r \
         JOIN info_request_students rs ON rs.request_id = r.id \
         JOIN students s ON s.id = rs.student_id \
         WHERE r.state IN ('approved', 'released') AND ( \
           rs.student_id IN (SELECT subject_id FROM leak_report_subjects \
                             WHERE report_id = $1 AND kind = 'student') \
           OR s.class_id IN (SELECT subject_id FROM leak_report_subjects \
                             WHERE report_id = $1 AND kind = 'class')) \
         ORDER BY r.id",
    )
    .bind(report_id)
    .fetch_all(conn)
    .await
}

/// Student ids by record id (those that exist).
pub async fn student_id(conn: &mut Conn, public_id: &str) -> Result<Option<i64>, sqlx::Error> {
    crate::db::query_scalar("SELECT id FROM students WHERE public_id = $1")
        .bind(public_id)
        .fetch_optional(conn)
        .await
}

/// How many reports are not closed.
pub async fn open_count(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar("SELECT COUNT(*) FROM leak_reports WHERE state <> 'closed'")
        .fetch_one(conn)
        .await
}
