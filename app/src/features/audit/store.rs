//! Reading the audit trail for the viewer: filtered, newest first, a page at a time.

use chrono::{DateTime, Utc};

use crate::db::Conn;

/// What the viewer asks for. `prefixes` limits the actions to the parts the viewer may read.
pub struct Query<'a> {
    pub prefixes: &'a [&'a str],
    pub actor_id: Option<i64>,
    pub action: Option<&'a str>,
    pub object_user: Option<i64>,
    /// Entries about this student (their internal id).
    pub object_student: Option<i64>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Entries older than this sequence number (the next page).
    pub before: Option<i64>,
    pub limit: i64,
}

pub struct Row_ {
    pub seq: i64,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub actor_name: Option<String>,
    pub actor_role: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub object_name: Option<String>,
    /// The opaque id of the thing an entry is about, where it has a page (a request, a
    /// batch, a report, a handover, a text, an inspection, a class).
    pub object_public_id: Option<String>,
    /// The student an entry is about: their opaque id and name.
    pub student_public_id: Option<String>,
    pub student_name: Option<String>,
    pub outcome: String,
    pub client: Option<String>,
    pub reason: Option<String>,
    pub details: Option<String>,
}

/// `text` as a LIKE pattern that matches only itself (with `ESCAPE '\\'`).
pub fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub async fn page(conn: &mut Conn, q: &Query<'_>) -> Result<Vec<Row_>, sqlx::Error> {
    // An entry's object is named by its id (text, as every kind of object has its own); only
    // the kinds whose ids are the tables' numbers are cast, and only in a CASE, so no other
    // kind's id is ever read as a number.
    let mut sql: crate::db::QueryBuilder = crate::db::QueryBuilder::new(
        "SELECT a.seq, a.occurred_at, u.display_name AS actor_name, a.actor_role, a.action, a.object_type, \
         a.object_id, o.display_name AS object_name, s.public_id AS student_public_id, s.name AS student_name, \
         CASE a.object_type \
         WHEN 'info_request' THEN (SELECT x.public_id FROM info_requests x WHERE x.id = CAST(a.object_id AS BIGINT)) \
         WHEN 'destruction' THEN (SELECT x.public_id FROM destructions x WHERE x.id = CAST(a.object_id AS BIGINT)) \
         WHEN 'leak_report' THEN (SELECT x.public_id FROM leak_reports x WHERE x.id = CAST(a.object_id AS BIGINT)) \
         WHEN 'role_handover' THEN (SELECT x.public_id FROM role_handovers x WHERE x.id = CAST(a.object_id AS BIGINT)) \
         WHEN 'publication_review' THEN (SELECT x.public_id FROM publication_reviews x WHERE x.id = CAST(a.object_id AS BIGINT)) \
         WHEN 'inspection' THEN (SELECT x.public_id FROM inspections x WHERE x.id = CAST(a.object_id AS BIGINT)) \
         WHEN 'class' THEN (SELECT x.public_id FROM classes x WHERE x.id = CAST(a.object_id AS BIGINT)) \
         END AS object_public_id, \
         a.outcome, a.client, a.reason, a.details FROM audit_log a \
         LEFT JOIN users u ON u.id = a.actor_id \
         LEFT JOIN users o ON o.id = CASE WHEN a.object_type = 'user' THEN CAST(a.object_id AS BIGINT) END \
         LEFT JOIN students s ON s.id = CASE WHEN a.object_type = 'student' THEN CAST(a.object_id AS BIGINT) END WHERE (",
    );
    for (i, prefix) in q.prefixes.iter().enumerate() {
        if i > 0 {
            sql.push(" OR ");
        }
        // `_` is LIKE's any-character: "role_grant." must not match "roleXgrant.".
        sql.push("a.action LIKE ")
            .push_bind(format!("{}%", like_escaped(prefix)))
            .push(" ESCAPE '\\'");
    }
    if q.prefixes.is_empty() {
        sql.push("1 = 0");
    }
    sql.push(")");
    if let Some(id) = q.actor_id {
        sql.push(" AND a.actor_id = ").push_bind(id);
    }
    if let Some(action) = q.action {
        sql.push(" AND a.action = ").push_bind(action.to_owned());
    }
    if let Some(id) = q.object_user {
        sql.push(" AND a.object_type = 'user' AND a.object_id = ")
            .push_bind(id.to_string());
    }
    if let Some(id) = q.object_student {
        sql.push(" AND a.object_type = 'student' AND a.object_id = ")
            .push_bind(id.to_string());
    }
    if let Some(from) = q.from {
        sql.push(" AND a.occurred_at >= ").push_bind(from);
    }
    if let Some(until) = q.until {
        sql.push(" AND a.occurred_at < ").push_bind(until);
    }
    if let Some(before) = q.before {
        sql.push(" AND a.seq < ").push_bind(before);
    }
    sql.push(" ORDER BY a.seq DESC LIMIT ").push_bind(q.limit);
    sql.build()
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| {
            Ok(Row_ {
                seq: r.try_get("seq")?,
                occurred_at: r.try_get("occurred_at")?,
                actor_name: r.try_get("actor_name")?,
                actor_role: r.try_get("actor_role")?,
                action: r.try_get("action")?,
                object_type: r.try_get("object_type")?,
                object_id: r.try_get("object_id")?,
                object_name: r.try_get("object_name")?,
                object_public_id: r.try_get("object_public_id")?,
                student_public_id: r.try_get("student_public_id")?,
                student_name: r.try_get("student_name")?,
                outcome: r.try_get("outcome")?,
                client: r.try_get("client")?,
                reason: r.try_get("reason")?,
                details: r.try_get("details")?,
            })
        })
        .collect()
}

/// The distinct actions in the trail, for the filter.
pub async fn actions(conn: &mut Conn) -> Result<Vec<String>, sqlx::Error> {
    crate::db::query_scalar("SELECT DISTINCT action FROM audit_log ORDER BY action")
        .fetch_all(conn)
        .await
}

/// Whether the trail holds an entry of `action`.
pub async fn action_exists(conn: &mut Conn, action: &str) -> Result<bool, sqlx::Error> {
    Ok(
        crate::db::query_scalar::<i64>("SELECT seq FROM audit_log WHERE action = $1 LIMIT 1")
            .bind(action)
            .fetch_optional(conn)
            .await?
            .is_some(),
    )
}

/// The internal id of the student with this opaque id.
pub async fn student_id(conn: &mut Conn, public_id: &str) -> Result<Option<i64>, sqlx::Error> {
    crate::db::query_scalar("SELECT id FROM students WHERE public_id = $1")
        .bind(public_id)
        .fetch_optional(conn)
        .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_prefix_matches_only_itself() {
        assert_eq!(super::like_escaped("role_grant."), "role\\_grant.");
        assert_eq!(super::like_escaped("100%\\"), "100\\%\\\\");
    }
}
