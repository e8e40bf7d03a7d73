//! The check values of the key file's keys (an HMAC of a fixed text each, never a key), and
//! the counts that tell whether a database already holds what keys protect.

use std::collections::BTreeMap;

use crate::db::Pool;

/// Every stored check value, by purpose (`audit_mac`, `blind_index`, `data:<id>`).
pub async fn all(pool: &Pool) -> Result<BTreeMap<String, Vec<u8>>, sqlx::Error> {
    Ok(
        crate::db::query_as::<(String, Vec<u8>)>("SELECT purpose, check_value FROM key_checks")
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect(),
    )
}

pub async fn insert(pool: &Pool, purpose: &str, check: &[u8]) -> Result<(), sqlx::Error> {
    crate::db::query("INSERT INTO key_checks (purpose, check_value) VALUES ($1, $2)")
        .bind(purpose)
        .bind(check)
        .execute(pool)
        .await?;
    Ok(())
}

/// Forgets the data keys' check values but `keep`'s (after a rotation).
pub async fn delete_data_keys_but(pool: &Pool, keep: &str) -> Result<(), sqlx::Error> {
    crate::db::query("DELETE FROM key_checks WHERE purpose LIKE 'data:%' AND purpose <> $1")
        .bind(keep)
        .execute(pool)
        .await?;
    Ok(())
}

/// How many encrypted values the database holds.
pub async fn sealed_values(pool: &Pool) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT (SELECT COUNT(*) FROM students) + (SELECT COUNT(*) FROM guardians) \
              + (SELECT COUNT(*) FROM student_revisions) + (SELECT COUNT(*) FROM form_drafts) \
              + (SELECT COUNT(*) FROM roster_imports)",
    )
    .fetch_one(pool)
    .await
}

/// How many entries the audit trail holds.
pub async fn audit_entries(pool: &Pool) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(pool)
        .await
}
