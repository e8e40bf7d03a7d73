//! The inspections' SQL: each inspection's record, its items, and the privileged holdings it
//! left unconfirmed. What an inspection counts in other features is read through their
//! stores.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{db::Conn, features::accounts::store::users::Holding};

/// One inspection's record, with its recorder's name.
#[derive(sqlx::FromRow)]
pub struct InspectionRow {
    pub public_id: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub participants: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    /// What the portal computed then (the checklist, as JSON).
    pub computed: String,
}

/// An inspection as the list shows it.
#[derive(sqlx::FromRow)]
pub struct SummaryRow {
    pub public_id: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// One finding of an inspection and its remedy.
#[derive(sqlx::FromRow)]
pub struct ItemRow {
    pub item: String,
    pub finding: String,
    pub remedy: String,
}

/// What an inspection records, as the service checked it.
pub struct NewInspection<'a> {
    pub public_id: &'a str,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub participants: &'a str,
    pub recorded_by: i64,
    pub recorded_at: DateTime<Utc>,
    pub computed: &'a str,
    pub audit_head_mac: Option<&'a str>,
}

pub async fn insert(conn: &mut Conn, new: &NewInspection<'_>) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "INSERT INTO inspections (public_id, period_from, period_to, participants, recorded_by, \
         recorded_at, computed, audit_head_mac) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(new.public_id)
    .bind(new.from)
    .bind(new.to)
    .bind(new.participants)
    .bind(new.recorded_by)
    .bind(new.recorded_at)
    .bind(new.computed)
    .bind(new.audit_head_mac)
    .fetch_one(conn)
    .await
}

pub async fn insert_item(
    conn: &mut Conn,
    inspection: i64,
    position: i64,
    item: &ItemRow,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO inspection_items (inspection_id, position, item, finding, remedy) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(inspection)
    .bind(position)
    .bind(&item.item)
    .bind(&item.finding)
    .bind(&item.remedy)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_unconfirmed(
    conn: &mut Conn,
    inspection: i64,
    user_id: i64,
    role: &str,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO inspection_unconfirmed (inspection_id, user_id, role) VALUES ($1, $2, $3)",
    )
    .bind(inspection)
    .bind(user_id)
    .bind(role)
    .execute(conn)
    .await?;
    Ok(())
}

/// When the latest inspection was recorded.
pub async fn last_recorded_at(conn: &mut Conn) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    crate::db::query_scalar("SELECT recorded_at FROM inspections ORDER BY recorded_at DESC LIMIT 1")
        .fetch_optional(conn)
        .await
}

/// When the portal was installed (the first inspection is due six months on).
pub async fn installed_at(conn: &mut Conn) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    crate::db::query_scalar("SELECT installed_at FROM installation LIMIT 1")
        .fetch_optional(conn)
        .await
}

/// The holdings `inspection` (the latest when none) left unconfirmed that are still held.
pub async fn unconfirmed_still_held(
    conn: &mut Conn,
    inspection: Option<i64>,
) -> Result<Vec<Holding>, sqlx::Error> {
    crate::db::query_as(
        "SELECT u.id AS user_id, u.display_name AS name, u.username, x.role \
         FROM inspection_unconfirmed x JOIN users u ON u.id = x.user_id \
         JOIN user_roles r ON r.user_id = x.user_id AND r.role = x.role \
         WHERE x.inspection_id = COALESCE($1, (SELECT id FROM inspections ORDER BY recorded_at DESC LIMIT 1)) \
         ORDER BY x.role, u.username",
    )
    .bind(inspection)
    .fetch_all(conn)
    .await
}

/// The latest inspections, newest first.
pub async fn latest(conn: &mut Conn, limit: i64) -> Result<Vec<SummaryRow>, sqlx::Error> {
    crate::db::query_as(
        "SELECT i.public_id, i.period_from, i.period_to, u.display_name AS recorded_by, \
         i.recorded_at FROM inspections i JOIN users u ON u.id = i.recorded_by \
         ORDER BY i.recorded_at DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
}

pub async fn find_id(conn: &mut Conn, public_id: &str) -> Result<Option<i64>, sqlx::Error> {
    crate::db::query_scalar("SELECT id FROM inspections WHERE public_id = $1")
        .bind(public_id)
        .fetch_optional(conn)
        .await
}

pub async fn find(conn: &mut Conn, id: i64) -> Result<InspectionRow, sqlx::Error> {
    crate::db::query_as(
        "SELECT i.public_id, i.period_from, i.period_to, i.participants, \
         u.display_name AS recorded_by, i.recorded_at, i.computed \
         FROM inspections i JOIN users u ON u.id = i.recorded_by WHERE i.id = $1",
    )
    .bind(id)
    .fetch_one(conn)
    .await
}

pub async fn items(conn: &mut Conn, id: i64) -> Result<Vec<ItemRow>, sqlx::Error> {
    crate::db::query_as(
        "SELECT item, finding, remedy FROM inspection_items WHERE inspection_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// The holdings an inspection left unconfirmed, as it recorded them.
pub async fn unconfirmed(conn: &mut Conn, id: i64) -> Result<Vec<Holding>, sqlx::Error> {
    crate::db::query_as(
        "SELECT u.id AS user_id, u.display_name AS name, u.username, x.role \
         FROM inspection_unconfirmed x JOIN users u ON u.id = x.user_id \
         WHERE x.inspection_id = $1 ORDER BY x.role, u.username",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}
