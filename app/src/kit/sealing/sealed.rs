//! Every sealed value in the database, for key rotation: each table's rows with the text
//! that binds a value to its row (the associated data the sealing service used).

use crate::db::Conn;

/// (table, the columns that identify a row, SQL of the row-binding text) of every sealed
/// column. A row is identified by a number and a text (a table with an id gives `''`).
const SEALED: [(&str, (&str, &str), &str); 6] = [
    ("students", ("id", "''"), "'student:' || public_id"),
    (
        "guardians",
        ("id", "''"),
        "'guardian:' || (SELECT public_id FROM students s WHERE s.id = guardians.student_id)",
    ),
    (
        "student_revisions",
        ("id", "''"),
        "'revision:' || (SELECT public_id FROM students s WHERE s.id = student_revisions.student_id)",
    ),
    (
        "form_drafts",
        ("owner_id", "target"),
        "'draft:' || owner_id || ':' || target",
    ),
    ("roster_imports", ("id", "''"), "'import:' || public_id"),
    (
        "status_change_proofs",
        ("id", "''"),
        "'status_change_proof:' || public_id",
    ),
];

/// The row a sealed value is in (its table's identifying columns).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowKey(i64, String);

/// (table, row, row-binding text, sealed value) of every sealed value.
pub async fn all(
    conn: &mut Conn,
) -> Result<Vec<(&'static str, RowKey, String, Vec<u8>)>, sqlx::Error> {
    let mut out = Vec::new();
    for (table, (number, text), binding) in SEALED {
        let rows: Vec<(i64, String, String, Vec<u8>)> = crate::db::query_as(&format!(
            "SELECT {number}, {text}, {binding}, sealed FROM {table}"
        ))
        .fetch_all(&mut *conn)
        .await?;
        out.extend(
            rows.into_iter()
                .map(|(n, t, b, s)| (table, RowKey(n, t), b, s)),
        );
    }
    Ok(out)
}

pub async fn replace(
    conn: &mut Conn,
    table: &str,
    row: &RowKey,
    sealed: &[u8],
) -> Result<(), sqlx::Error> {
    let Some((_, (number, text), _)) = SEALED.iter().find(|(t, _, _)| *t == table) else {
        return Err(sqlx::Error::Protocol(format!(
            "{table} holds no sealed values"
        )));
    };
    crate::db::query(&format!(
        "UPDATE {table} SET sealed = $1 WHERE {number} = $2 AND {text} = $3"
    ))
    .bind(sealed)
    .bind(row.0)
    .bind(&row.1)
    .execute(conn)
    .await?;
    Ok(())
}
