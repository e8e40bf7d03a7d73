//! Every sealed value in the database, for key rotation: each table's rows with the text
//! that binds a value to its row (the associated data the sealing service used).

use crate::db::Conn;

/// (table, SQL of the row-binding text) of every sealed column.
const SEALED: [(&str, &str); 5] = [
    ("students", "'student:' || public_id"),
    (
        "guardians",
        "'guardian:' || (SELECT public_id FROM students s WHERE s.id = guardians.student_id)",
    ),
    (
        "student_revisions",
        "'revision:' || (SELECT public_id FROM students s WHERE s.id = student_revisions.student_id)",
    ),
    ("form_drafts", "'draft:' || owner_id || ':' || target"),
    ("roster_imports", "'import:' || public_id"),
];

/// (table, rowid, row-binding text, sealed value) of every sealed value.
pub async fn all(
    conn: &mut Conn,
) -> Result<Vec<(&'static str, i64, String, Vec<u8>)>, sqlx::Error> {
    let mut out = Vec::new();
    for (table, binding) in SEALED {
        let rows: Vec<(i64, String, Vec<u8>)> =
            crate::db::query_as(&format!("SELECT rowid, {binding}, sealed FROM {table}"))
                .fetch_all(&mut *conn)
                .await?;
        out.extend(rows.into_iter().map(|(id, b, s)| (table, id, b, s)));
    }
    Ok(out)
}

pub async fn replace(
    conn: &mut Conn,
    table: &str,
    rowid: i64,
    sealed: &[u8],
) -> Result<(), sqlx::Error> {
    debug_assert!(SEALED.iter().any(|(t, _)| *t == table));
    crate::db::query(&format!("UPDATE {table} SET sealed = $1 WHERE rowid = $2"))
        .bind(sealed)
        .bind(rowid)
        .execute(conn)
        .await?;
    Ok(())
}
