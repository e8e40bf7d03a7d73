//! Account handovers as stored: the application, its decision, what was in flight.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{db::Conn, domain::Role, features::handovers::views::HandoverState};

/// One handover with the names of the people in it.
pub struct HandoverRow {
    pub id: i64,
    pub public_id: String,
    pub role: Role,
    pub outgoing_id: i64,
    pub outgoing: (String, String),
    pub successor_id: i64,
    pub successor: (String, String),
    pub reason: String,
    pub hand_over_on: NaiveDate,
    pub state: HandoverState,
    pub applied_at: DateTime<Utc>,
    pub decided_by: Option<i64>,
    pub decider: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_comment: Option<String>,
    pub in_flight: Option<String>,
}

const COLUMNS: &str = "h.id, h.public_id, h.role, h.outgoing_id, o.display_name AS outgoing_name, \
     o.username AS outgoing_username, h.successor_id, s.display_name AS successor_name, \
     s.username AS successor_username, h.reason, h.hand_over_on, h.state, h.applied_at, \
     h.decided_by, d.display_name AS decider, h.decided_at, h.decision_comment, h.in_flight \
     FROM role_handovers h JOIN users o ON o.id = h.outgoing_id JOIN users s ON s.id = h.successor_id \
     LEFT JOIN users d ON d.id = h.decided_by";

/// A row as SQL gives it (more columns than a tuple takes).
#[derive(sqlx::FromRow)]
struct Raw {
    id: i64,
    public_id: String,
    role: String,
    outgoing_id: i64,
    outgoing_name: String,
    outgoing_username: String,
    successor_id: i64,
    successor_name: String,
    successor_username: String,
    reason: String,
    hand_over_on: NaiveDate,
    state: HandoverState,
    applied_at: DateTime<Utc>,
    decided_by: Option<i64>,
    decider: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    decision_comment: Option<String>,
    in_flight: Option<String>,
}

fn row(t: Raw) -> Option<HandoverRow> {
    Some(HandoverRow {
        id: t.id,
        public_id: t.public_id,
        role: Role::parse(&t.role)?,
        outgoing_id: t.outgoing_id,
        outgoing: (t.outgoing_name, t.outgoing_username),
        successor_id: t.successor_id,
        successor: (t.successor_name, t.successor_username),
        reason: t.reason,
        hand_over_on: t.hand_over_on,
        state: t.state,
        applied_at: t.applied_at,
        decided_by: t.decided_by,
        decider: t.decider,
        decided_at: t.decided_at,
        decision_comment: t.decision_comment,
        in_flight: t.in_flight,
    })
}

/// What an application holds.
pub struct Application<'a> {
    pub public_id: &'a str,
    pub role: Role,
    pub outgoing_id: i64,
    pub successor_id: i64,
    pub reason: &'a str,
    pub hand_over_on: NaiveDate,
}

pub async fn insert(
    conn: &mut Conn,
    a: &Application<'_>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "INSERT INTO role_handovers (public_id, role, outgoing_id, successor_id, reason, \
         hand_over_on, state, applied_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7) RETURNING id",
    )
    .bind(a.public_id)
    .bind(a.role.code())
    .bind(a.outgoing_id)
    .bind(a.successor_id)
    .bind(a.reason)
    .bind(a.hand_over_on)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn find(conn: &mut Conn, public_id: &str) -> Result<Option<HandoverRow>, sqlx::Error> {
    let found: Option<Raw> =
        crate::db::query_as(&format!("SELECT {COLUMNS} WHERE h.public_id = $1"))
            .bind(public_id)
            .fetch_optional(conn)
            .await?;
    Ok(found.and_then(row))
}

/// Whether `outgoing` has a handover of `role` waiting for a decision.
pub async fn pending_of(conn: &mut Conn, outgoing: i64, role: Role) -> Result<bool, sqlx::Error> {
    crate::db::query_scalar::<i64>(
        "SELECT COUNT(*) FROM role_handovers WHERE outgoing_id = $1 AND role = $2 AND state = 'pending'",
    )
    .bind(outgoing)
    .bind(role.code())
    .fetch_one(conn)
    .await
    .map(|n| n > 0)
}

/// The handovers `user` is a party to, newest first.
pub async fn of_party(
    conn: &mut Conn,
    user: i64,
    limit: i64,
) -> Result<Vec<HandoverRow>, sqlx::Error> {
    let rows: Vec<Raw> = crate::db::query_as(&format!(
        "SELECT {COLUMNS} WHERE h.outgoing_id = $1 OR h.successor_id = $1 ORDER BY h.id DESC LIMIT $2"
    ))
    .bind(user)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().filter_map(row).collect())
}

/// Every pending handover, oldest first (a school has a handful at a time).
pub async fn pending(conn: &mut Conn) -> Result<Vec<HandoverRow>, sqlx::Error> {
    let rows: Vec<Raw> = crate::db::query_as(&format!(
        "SELECT {COLUMNS} WHERE h.state = 'pending' ORDER BY h.id"
    ))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().filter_map(row).collect())
}

/// The latest decided handovers, newest first: the leading group's record.
pub async fn decided(conn: &mut Conn, limit: i64) -> Result<Vec<HandoverRow>, sqlx::Error> {
    let rows: Vec<Raw> = crate::db::query_as(&format!(
        "SELECT {COLUMNS} WHERE h.state <> 'pending' ORDER BY h.id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().filter_map(row).collect())
}

/// Keeps the decision (the state is the workflow helper's to move).
pub async fn decide(
    conn: &mut Conn,
    id: i64,
    by: i64,
    comment: Option<&str>,
    in_flight: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE role_handovers SET decided_by = $1, decided_at = $2, decision_comment = $3, \
         in_flight = $4 WHERE id = $5",
    )
    .bind(by)
    .bind(now)
    .bind(comment)
    .bind(in_flight)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The information requests waiting in `state` (`requested`: for a leader's decision;
/// `approved`: for a records administrator's release), by opaque id.
pub async fn requests_in(conn: &mut Conn, state: &str) -> Result<Vec<String>, sqlx::Error> {
    crate::db::query_scalar("SELECT public_id FROM info_requests WHERE state = $1 ORDER BY id")
        .bind(state)
        .fetch_all(conn)
        .await
}

/// The accounts a handover may go to: enabled, not frozen, not `except`: (username,
/// display name), by name.
pub async fn successors(
    conn: &mut Conn,
    except: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT username, display_name FROM users \
         WHERE NOT disabled AND NOT frozen AND id <> $1 ORDER BY display_name, username",
    )
    .bind(except)
    .fetch_all(conn)
    .await
}
