//! The problem records as stored: the national system's feedback as imported, and 佐证.

use chrono::{DateTime, Utc};

use crate::db::Conn;

/// Every feedback row: (student, kind, who imported it, when).
pub async fn feedback(conn: &mut Conn) -> Result<Vec<(i64, String, DateTime<Utc>)>, sqlx::Error> {
    crate::db::query_as("SELECT student_id, kind, imported_at FROM problem_feedback ORDER BY id")
        .fetch_all(conn)
        .await
}

/// Keeps one line of the national system's feedback about `student`.
pub async fn insert_feedback(
    conn: &mut Conn,
    student: i64,
    kind: &str,
    by: i64,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO problem_feedback (student_id, kind, imported_by, imported_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(student)
    .bind(kind)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// One 佐证 as stored.
#[derive(sqlx::FromRow)]
pub struct Evidence {
    pub student_id: i64,
    pub kind: String,
    pub other_student_id: Option<i64>,
    pub document: String,
    pub given_by: i64,
    pub given_at: DateTime<Utc>,
}

/// Every 佐证, newest first.
pub async fn evidence(conn: &mut Conn) -> Result<Vec<Evidence>, sqlx::Error> {
    crate::db::query_as(
        "SELECT student_id, kind, other_student_id, document, given_by, given_at \
         FROM problem_evidence ORDER BY given_at DESC, id DESC",
    )
    .fetch_all(conn)
    .await
}

/// Keeps a 佐证.
pub async fn insert_evidence(conn: &mut Conn, e: &Evidence) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO problem_evidence (student_id, kind, other_student_id, document, given_by, \
         given_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(e.student_id)
    .bind(&e.kind)
    .bind(e.other_student_id)
    .bind(&e.document)
    .bind(e.given_by)
    .bind(e.given_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets what the problem records hold about `students` (a destruction batch erases
/// them): their feedback, and every 佐证 naming them.
pub async fn forget(conn: &mut Conn, students: &[i64]) -> Result<(), sqlx::Error> {
    for chunk in students.chunks(500) {
        let marks = crate::db::placeholders(1, chunk.len());
        for sql in [
            format!("DELETE FROM problem_feedback WHERE student_id IN ({marks})"),
            format!(
                "DELETE FROM problem_evidence WHERE student_id IN ({marks}) \
                 OR other_student_id IN ({marks})"
            ),
        ] {
            let mut query = crate::db::query(&sql);
            for id in chunk {
                query = query.bind(id);
            }
            query.execute(&mut *conn).await?;
        }
    }
    Ok(())
}
