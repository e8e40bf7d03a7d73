//! Roster files being imported.

use crate::db::Conn;
use chrono::{DateTime, Utc};

/// An upload, with its class's homeroom teacher (who may import into it, and in which role
/// the importer acts): read in one statement, by the check and for the step.
#[derive(sqlx::FromRow)]
pub struct ImportRow {
    pub id: i64,
    pub public_id: String,
    pub owner_id: i64,
    pub class_id: i64,
    pub homeroom_teacher_id: Option<i64>,
    pub file_name: String,
    pub sealed: Vec<u8>,
    pub mapping: Option<String>,
}

pub async fn insert(
    conn: &mut Conn,
    public_id: &str,
    owner_id: i64,
    class_id: i64,
    file_name: &str,
    sealed: &[u8],
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "INSERT INTO roster_imports (public_id, owner_id, class_id, file_name, sealed, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(public_id)
    .bind(owner_id)
    .bind(class_id)
    .bind(file_name)
    .bind(sealed)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn find(conn: &mut Conn, public_id: &str) -> Result<Option<ImportRow>, sqlx::Error> {
    crate::db::query_as(
        "SELECT i.id, i.public_id, i.owner_id, i.class_id, c.homeroom_teacher_id, i.file_name, \
         i.sealed, i.mapping FROM roster_imports i JOIN classes c ON c.id = i.class_id \
         WHERE i.public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(conn)
    .await
}

pub async fn set_mapping(conn: &mut Conn, id: i64, mapping: &str) -> Result<(), sqlx::Error> {
    crate::db::query("UPDATE roster_imports SET mapping = $1 WHERE id = $2")
        .bind(mapping)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete(conn: &mut Conn, id: i64) -> Result<(), sqlx::Error> {
    crate::db::query("DELETE FROM roster_imports WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// How many uploads wait (not imported, not discarded).
pub async fn count(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar("SELECT COUNT(*) FROM roster_imports")
        .fetch_one(conn)
        .await
}
