//! Destruction as stored: the batches (the destruction log), their students, and the
//! erasure itself.

use chrono::{DateTime, Utc};

use crate::{
    db::Conn,
    features::retention::{rules::Cutoffs, views::BatchState},
    kit::{retention::Retention, workflow::QueueHead},
};

/// Who is due (`$1` the backup cutoff, `$2` the core cutoff, `$3` whether a rule lets a
/// batch take a core record at all; see `rules::Cutoffs`): a transferred-out student's
/// backup left before the backup cutoff, a core record (anyone else who left) before the
/// core cutoff where a rule allows it; each recorded as left before it too (a date typed in
/// the past does not make a pupil entered today due); not destroyed, in no batch waiting for
/// a decision, in no live release (approved or released information request).
const DUE: &str = "s.left_at IS NOT NULL AND s.destroyed_at IS NULL AND (CASE \
     WHEN s.left_reason = 'transferred' THEN s.left_at <= $1 AND s.left_recorded_at <= $1 \
     ELSE $3 AND s.left_at <= $2 AND s.left_recorded_at <= $2 END) \
     AND NOT EXISTS (SELECT 1 FROM destruction_students ds JOIN destructions d ON d.id = ds.destruction_id \
                     WHERE ds.student_id = s.id AND d.state = 'proposed') \
     AND NOT EXISTS (SELECT 1 FROM info_request_students rs JOIN info_requests r ON r.id = rs.request_id \
                     WHERE rs.student_id = s.id AND r.state IN ('approved', 'released'))";

/// `DUE`'s three values.
fn cutoff_values(c: Cutoffs) -> (DateTime<Utc>, DateTime<Utc>, bool) {
    (c.backup, c.core.unwrap_or(c.backup), c.core.is_some())
}

/// A student as the destruction pages list them.
#[derive(sqlx::FromRow)]
pub struct DueRow {
    pub public_id: String,
    pub school_year: String,
    pub grade: i64,
    pub class_name: String,
    pub left_reason: Option<String>,
    pub left_at: DateTime<Utc>,
    pub destroyed_at: Option<DateTime<Utc>>,
}

const DUE_COLUMNS: &str = "s.public_id, y.name AS school_year, c.grade, c.name AS class_name, \
     s.left_reason, s.left_at, s.destroyed_at FROM students s JOIN classes c ON c.id = s.class_id \
     JOIN school_years y ON y.id = c.school_year_id";

pub async fn due_count(conn: &mut Conn, cutoffs: Cutoffs) -> Result<i64, sqlx::Error> {
    let (backup, core, ruled) = cutoff_values(cutoffs);
    crate::db::query_scalar(&format!("SELECT COUNT(*) FROM students s WHERE {DUE}"))
        .bind(backup)
        .bind(core)
        .bind(ruled)
        .fetch_one(conn)
        .await
}

pub async fn due(
    conn: &mut Conn,
    cutoffs: Cutoffs,
    limit: i64,
) -> Result<Vec<DueRow>, sqlx::Error> {
    let (backup, core, ruled) = cutoff_values(cutoffs);
    crate::db::query_as(&format!(
        "SELECT {DUE_COLUMNS} WHERE {DUE} ORDER BY s.left_at, s.id LIMIT $4"
    ))
    .bind(backup)
    .bind(core)
    .bind(ruled)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Files a batch of the first `limit` students due, with the rules it is proposed under
/// (the backup period, the cited rule for core records). Returns its id and how many it
/// holds.
#[allow(clippy::too_many_arguments)]
pub async fn propose(
    conn: &mut Conn,
    public_id: &str,
    proposed_by: i64,
    reason: &str,
    retention: &Retention,
    cutoffs: Cutoffs,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<(i64, i64), sqlx::Error> {
    let rule = retention.archive_rule.as_ref();
    let id: i64 = crate::db::query_scalar(
        "INSERT INTO destructions (public_id, state, proposed_by, proposed_at, reason, student_count, \
         backup_years, archive_rule_years, archive_rule_citation) \
         VALUES ($1, 'proposed', $2, $3, $4, 0, $5, $6, $7) RETURNING id",
    )
    .bind(public_id)
    .bind(proposed_by)
    .bind(now)
    .bind(reason)
    .bind(i64::from(retention.backup_years))
    .bind(rule.map(|r| i64::from(r.years)))
    .bind(rule.map(|r| r.citation.as_str()))
    .fetch_one(&mut *conn)
    .await?;
    let (backup, core, ruled) = cutoff_values(cutoffs);
    let count = crate::db::query(&format!(
        "INSERT INTO destruction_students (destruction_id, student_id) \
         SELECT $5, s.id FROM students s WHERE {DUE} ORDER BY s.left_at, s.id LIMIT $4"
    ))
    .bind(backup)
    .bind(core)
    .bind(ruled)
    .bind(limit)
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected() as i64;
    crate::db::query("UPDATE destructions SET student_count = $1 WHERE id = $2")
        .bind(count)
        .bind(id)
        .execute(conn)
        .await?;
    Ok((id, count))
}

/// One batch with its people's names.
#[derive(sqlx::FromRow)]
pub struct BatchRow {
    pub id: i64,
    pub public_id: String,
    pub reference: Option<String>,
    pub state: BatchState,
    pub proposed_by: i64,
    pub proposer: String,
    pub proposed_at: DateTime<Utc>,
    pub reason: String,
    pub student_count: i64,
    pub decider: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_comment: Option<String>,
    /// The rules it was proposed under (none for a batch from before they were kept).
    pub backup_years: Option<i64>,
    pub archive_rule_years: Option<i64>,
    pub archive_rule_citation: Option<String>,
}

const BATCH_COLUMNS: &str = "d.id, d.public_id, d.reference, d.state, d.proposed_by, \
     p.display_name AS proposer, d.proposed_at, d.reason, d.student_count, \
     x.display_name AS decider, d.decided_at, d.decision_comment, d.backup_years, \
     d.archive_rule_years, d.archive_rule_citation \
     FROM destructions d JOIN users p ON p.id = d.proposed_by LEFT JOIN users x ON x.id = d.decided_by";

pub async fn find(conn: &mut Conn, public_id: &str) -> Result<Option<BatchRow>, sqlx::Error> {
    crate::db::query_as(&format!("SELECT {BATCH_COLUMNS} WHERE d.public_id = $1"))
        .bind(public_id)
        .fetch_optional(conn)
        .await
}

/// The batches, newest first.
pub async fn batches(conn: &mut Conn, limit: i64) -> Result<Vec<BatchRow>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT {BATCH_COLUMNS} ORDER BY d.id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The students of a batch (the first `limit`).
pub async fn batch_students(
    conn: &mut Conn,
    batch: i64,
    limit: i64,
) -> Result<Vec<DueRow>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT {DUE_COLUMNS} JOIN destruction_students ds ON ds.student_id = s.id \
         WHERE ds.destruction_id = $1 ORDER BY s.left_at, s.id LIMIT $2"
    ))
    .bind(batch)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// How many students of the batch are no longer due at `cutoffs` (came back, were
/// destroyed, are in a live release now, or no rule allows their erasure any more): the
/// approval is refused while any is.
pub async fn no_longer_due(
    conn: &mut Conn,
    batch: i64,
    cutoffs: Cutoffs,
) -> Result<i64, sqlx::Error> {
    let (backup, core, ruled) = cutoff_values(cutoffs);
    // The batch itself is `proposed`: its own students count as in no other waiting batch.
    // `IS NOT TRUE`: a condition that cannot be told (a NULL) counts as no longer due.
    crate::db::query_scalar(
        "SELECT COUNT(*) FROM destruction_students ds JOIN students s ON s.id = ds.student_id \
         WHERE ds.destruction_id = $4 AND (s.left_at IS NOT NULL AND s.destroyed_at IS NULL \
         AND (CASE WHEN s.left_reason = 'transferred' \
              THEN s.left_at <= $1 AND s.left_recorded_at <= $1 \
              ELSE $3 AND s.left_at <= $2 AND s.left_recorded_at <= $2 END) \
         AND NOT EXISTS (SELECT 1 FROM info_request_students rs \
         JOIN info_requests r ON r.id = rs.request_id \
         WHERE rs.student_id = s.id AND r.state IN ('approved', 'released'))) IS NOT TRUE",
    )
    .bind(backup)
    .bind(core)
    .bind(ruled)
    .bind(batch)
    .fetch_one(conn)
    .await
}

/// What a batch's students are kept as (`rules::kept_as`): one kind or both.
pub async fn kinds_in(conn: &mut Conn, batch: i64) -> Result<Vec<String>, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT DISTINCT CASE WHEN s.left_reason = 'transferred' THEN 'transfer_backup' \
         ELSE 'core_record' END FROM destruction_students ds JOIN students s ON s.id = ds.student_id \
         WHERE ds.destruction_id = $1",
    )
    .bind(batch)
    .fetch_all(conn)
    .await
}

/// Erases the personal data of the batch's students: family members, revisions, search keys
/// and drafts go; the row keeps its opaque id, dates, class and this batch.
pub async fn erase(conn: &mut Conn, batch: i64, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    const OF_BATCH: &str =
        "(SELECT student_id FROM destruction_students WHERE destruction_id = $1)";
    for table in ["guardians", "student_revisions", "student_search_keys"] {
        crate::db::query(&format!(
            "DELETE FROM {table} WHERE student_id IN {OF_BATCH}"
        ))
        .bind(batch)
        .execute(&mut *conn)
        .await?;
    }
    // Their changes of status go, with their history and what they told people: the kind,
    // reason and day of a change are the pupil's, not the school's.
    const THEIR_CHANGES: &str = "(SELECT x.id FROM status_changes x WHERE x.student_id IN \
         (SELECT student_id FROM destruction_students WHERE destruction_id = $1))";
    for table in ["workflow_transitions", "workflow_notices"] {
        crate::db::query(&format!(
            "DELETE FROM {table} WHERE workflow = 'status_change' AND object_id IN {THEIR_CHANGES}"
        ))
        .bind(batch)
        .execute(&mut *conn)
        .await?;
    }
    // Their proofs too (sealed scans of letters and certificates about them).
    crate::db::query(&format!(
        "DELETE FROM status_change_proofs WHERE change_id IN {THEIR_CHANGES}"
    ))
    .bind(batch)
    .execute(&mut *conn)
    .await?;
    crate::db::query(&format!(
        "DELETE FROM status_changes WHERE student_id IN {OF_BATCH}"
    ))
    .bind(batch)
    .execute(&mut *conn)
    .await?;
    // What the problem records hold about them (the national system's word on their number,
    // the 佐证 that named them) goes with them.
    let theirs: Vec<i64> = crate::db::query_scalar(
        "SELECT student_id FROM destruction_students WHERE destruction_id = $1",
    )
    .bind(batch)
    .fetch_all(&mut *conn)
    .await?;
    crate::features::problems::store::forget(&mut *conn, &theirs).await?;
    // The record's review history (who submitted, verified or returned it, when) goes too.
    crate::db::query(&format!(
        "DELETE FROM workflow_transitions WHERE workflow = 'student' AND object_id IN {OF_BATCH}"
    ))
    .bind(batch)
    .execute(&mut *conn)
    .await?;
    crate::db::query(
        "DELETE FROM form_drafts WHERE target IN (SELECT 'student:' || s.public_id FROM students s \
         JOIN destruction_students ds ON ds.student_id = s.id WHERE ds.destruction_id = $1)",
    )
    .bind(batch)
    .execute(&mut *conn)
    .await?;
    let erased = crate::db::query(&format!(
        "UPDATE students SET name = '', sex = '', birth_date = NULL, birthplace = '', \
         native_place = '', ethnicity = '', nationality = '', document_type = '', \
         hukou_region = '', hukou_nature = '', enrolment_mode = '', attendance_mode = '', \
         only_child = FALSE, preschool = FALSE, school_bus = FALSE, commute_km = '', \
         return_reason = NULL, top_secret = FALSE, sealed = $2, id_number_index = $2, \
         student_number_index = NULL, destroyed_at = $3, destruction_id = $1 \
         WHERE id IN {OF_BATCH}"
    ))
    .bind(batch)
    .bind(Vec::<u8>::new())
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(erased)
}

/// Keeps the decision (the state is the workflow helper's to move).
pub async fn decide(
    conn: &mut Conn,
    id: i64,
    by: i64,
    comment: Option<&str>,
    reference: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE destructions SET decided_by = $1, decided_at = $2, decision_comment = $3, \
         reference = $4 WHERE id = $5",
    )
    .bind(by)
    .bind(now)
    .bind(comment)
    .bind(reference)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// How many batches were approved in `year` (for the next reference).
pub async fn approved_in(conn: &mut Conn, prefix: &str) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar("SELECT COUNT(*) FROM destructions WHERE reference LIKE $1")
        .bind(format!("{prefix}%"))
        .fetch_one(conn)
        .await
}

/// The header's tally (`$1` the viewer): the batches waiting for a decision the viewer may
/// take (as [`waiting_for_decision`] counts them).
pub const TO_DECIDE_TALLY: crate::kit::workflow::Tally = crate::kit::workflow::Tally::of(
    "SELECT COUNT(*) FROM destructions WHERE state = 'proposed' AND proposed_by <> $1",
);

/// The batches proposed by someone other than `except`, waiting for a decision: how many,
/// since when the oldest waits, and its opaque id.
pub async fn waiting_for_decision(conn: &mut Conn, except: i64) -> Result<QueueHead, sqlx::Error> {
    let head: Option<QueueHead> = crate::db::query_as(
        "SELECT COUNT(*) OVER () AS count, MIN(proposed_at) OVER () AS since, public_id AS first FROM destructions \
         WHERE state = 'proposed' AND proposed_by <> $1 ORDER BY id LIMIT 1",
    )
    .bind(except)
    .fetch_optional(conn)
    .await?;
    Ok(head.unwrap_or_default())
}

/// The names and dates of birth of a batch's students (the first `limit`), by their opaque
/// ids: what the deciding leader checks before an erasure.
pub async fn batch_names(
    conn: &mut Conn,
    batch: i64,
    limit: i64,
) -> Result<Vec<(String, String, Option<chrono::NaiveDate>)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT s.public_id, s.name, s.birth_date FROM students s \
         JOIN destruction_students ds ON ds.student_id = s.id \
         WHERE ds.destruction_id = $1 ORDER BY s.left_at, s.id LIMIT $2",
    )
    .bind(batch)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Whether `actor` was shown the names of batch `batch` (the audit trail says so).
pub async fn names_seen_by(conn: &mut Conn, batch: i64, actor: i64) -> Result<bool, sqlx::Error> {
    crate::db::query_scalar::<i64>(
        "SELECT COUNT(*) FROM audit_log WHERE object_type = 'destruction' AND object_id = $1 \
         AND action = 'destruction.names_shown' AND actor_id = $2",
    )
    .bind(batch.to_string())
    .bind(actor)
    .fetch_one(conn)
    .await
    .map(|n| n > 0)
}
