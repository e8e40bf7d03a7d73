//! Roster files being imported.

use crate::db::Conn;
use chrono::{DateTime, Utc};

pub struct ImportRow {
    pub id: i64,
    pub public_id: String,
    pub owner_id: i64,
    pub class_id: i64,
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
    sqlx::query_scalar(
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
    type Row = (i64, String, i64, i64, String, Vec<u8>, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, public_id, owner_id, class_id, file_name, sealed, mapping FROM roster_imports WHERE public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| ImportRow {
        id: r.0,
        public_id: r.1,
        owner_id: r.2,
        class_id: r.3,
        file_name: r.4,
        sealed: r.5,
        mapping: r.6,
    }))
}

/// The class an import is for, with its homeroom teacher (for the authorisation check).
pub async fn class_of(
    conn: &mut Conn,
    public_id: &str,
) -> Result<Option<(i64, Option<i64>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.homeroom_teacher_id FROM roster_imports i JOIN classes c ON c.id = i.class_id \
         WHERE i.public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(conn)
    .await
}

pub async fn set_mapping(conn: &mut Conn, id: i64, mapping: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE roster_imports SET mapping = $1 WHERE id = $2")
        .bind(mapping)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete(conn: &mut Conn, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM roster_imports WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
