//! Requests to grant a privileged role, take one away, or reset a holder's password.

use chrono::{DateTime, Utc};

use crate::db::Conn;

use crate::domain::Role;

pub struct GrantRequest {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// "grant", "revoke" or "reset".
    pub kind: String,
    pub proposed_by: i64,
    pub proposed_by_name: String,
    pub proposed_at: DateTime<Utc>,
}

/// Opens a request; an open one for the same person, role and kind is kept instead.
pub async fn open(
    conn: &mut Conn,
    user_id: i64,
    role: Role,
    kind: &str,
    proposed_by: i64,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "INSERT INTO role_grant_requests (user_id, role, kind, proposed_by, proposed_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, role, kind) WHERE decision IS NULL DO UPDATE SET proposed_at = role_grant_requests.proposed_at RETURNING id",
    )
    .bind(user_id)
    .bind(role.code())
    .bind(kind)
    .bind(proposed_by)
    .bind(now)
    .fetch_one(conn)
    .await
}

const SELECT: &str = "SELECT g.id, g.user_id, u.username, u.display_name, g.role, g.kind, g.proposed_by, \
     p.display_name AS proposed_by_name, g.proposed_at FROM role_grant_requests g \
     JOIN users u ON u.id = g.user_id JOIN users p ON p.id = g.proposed_by";

fn request(row: crate::db::Row) -> Result<GrantRequest, sqlx::Error> {
    let role: String = row.try_get("role")?;
    Ok(GrantRequest {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: Role::parse(&role)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role}").into()))?,
        kind: row.try_get("kind")?,
        proposed_by: row.try_get("proposed_by")?,
        proposed_by_name: row.try_get("proposed_by_name")?,
        proposed_at: row.try_get("proposed_at")?,
    })
}

pub async fn pending(conn: &mut Conn) -> Result<Vec<GrantRequest>, sqlx::Error> {
    crate::db::query(&format!(
        "{SELECT} WHERE g.decision IS NULL ORDER BY g.proposed_at, g.id"
    ))
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(request)
    .collect()
}

pub async fn find_pending(conn: &mut Conn, id: i64) -> Result<Option<GrantRequest>, sqlx::Error> {
    crate::db::query(&format!("{SELECT} WHERE g.id = $1 AND g.decision IS NULL"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(request)
        .transpose()
}

pub async fn decide(
    conn: &mut Conn,
    id: i64,
    decided_by: i64,
    approved: bool,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query("UPDATE role_grant_requests SET decided_by = $1, decided_at = $2, decision = $3 WHERE id = $4 AND decision IS NULL")
        .bind(decided_by)
        .bind(now)
        .bind(if approved { "approved" } else { "rejected" })
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Requests rejected since `since`, with the rejection's reason: (account, role, kind,
/// reason), newest first.
pub async fn rejected_since(
    conn: &mut Conn,
    since: DateTime<Utc>,
) -> Result<Vec<(i64, String, String, Option<String>)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT g.user_id, g.role, g.kind, t.comment FROM role_grant_requests g \
         JOIN workflow_transitions t ON t.workflow = 'role_grant' AND t.object_id = g.id \
         AND t.to_state = 'rejected' WHERE g.decision = 'rejected' AND g.decided_at >= $1 \
         ORDER BY g.decided_at DESC, g.id DESC",
    )
    .bind(since)
    .fetch_all(conn)
    .await
}
