//! Every sealed value in the database, for key rotation: each table's rows with the text
//! that binds a value to its row (the associated data the sealing service used).

use crate::db::Conn;

/// (table, the columns that identify a row, SQL of the row-binding text, which rows hold
/// one) of every sealed column. A row is identified by a number and a text (a table with an
/// id gives `''`).
const SEALED: [(&str, (&str, &str), &str, &str); 7] = [
    ("students", ("id", "''"), "'student:' || public_id", ALL),
    (
        "guardians",
        ("id", "''"),
        "'guardian:' || (SELECT public_id FROM students s WHERE s.id = guardians.student_id)",
        ALL,
    ),
    (
        "student_revisions",
        ("id", "''"),
        "'revision:' || (SELECT public_id FROM students s WHERE s.id = student_revisions.student_id)",
        ALL,
    ),
    (
        "form_drafts",
        ("owner_id", "target"),
        "'draft:' || owner_id || ':' || target",
        ALL,
    ),
    (
        "roster_imports",
        ("id", "''"),
        "'import:' || public_id",
        ALL,
    ),
    (
        "status_change_proofs",
        ("id", "''"),
        "'status_change_proof:' || public_id",
        ALL,
    ),
    // A key-data application's new values (no other kind has any).
    (
        "status_changes",
        ("id", "''"),
        "'key_data:' || public_id",
        "sealed IS NOT NULL",
    ),
];

/// Every row of the table holds a sealed value.
const ALL: &str = "TRUE";

/// The row a sealed value is in (its table's identifying columns).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowKey(i64, String);

/// The tables that hold sealed values.
pub fn tables() -> impl Iterator<Item = &'static str> {
    SEALED.iter().map(|(table, ..)| *table)
}

/// How many sealed values one page holds: a proof is up to 2 MB, so a page of them stays
/// within a few tens of megabytes, sealed and opened.
pub const PAGE: i64 = 16;

/// The next page of `table`'s sealed values after row `after` (from its first, for none):
/// (row, row-binding text, sealed value), in the rows' order.
pub async fn page(
    conn: &mut Conn,
    table: &str,
    after: Option<&RowKey>,
) -> Result<Vec<(RowKey, String, Vec<u8>)>, sqlx::Error> {
    let Some((table, (number, text), binding, holding)) = SEALED.iter().find(|(t, ..)| *t == table)
    else {
        return Err(sqlx::Error::Protocol(format!(
            "{table} holds no sealed values"
        )));
    };
    let (n, t) = after.map_or((i64::MIN, String::new()), |r| (r.0, r.1.clone()));
    // A table whose rows are told by a number alone orders by it (PostgreSQL refuses a
    // constant to order by).
    let order = if *text == "''" {
        number.to_string()
    } else {
        format!("{number}, {text}")
    };
    let rows: Vec<(i64, String, String, Vec<u8>)> = crate::db::query_as(&format!(
        "SELECT {number}, {text}, {binding}, sealed FROM {table} \
         WHERE ({holding}) AND ({number} > $1 OR ({number} = $1 AND {text} > $2)) \
         ORDER BY {order} LIMIT $3"
    ))
    .bind(n)
    .bind(t)
    .bind(PAGE)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(n, t, b, s)| (RowKey(n, t), b, s))
        .collect())
}

pub async fn replace(
    conn: &mut Conn,
    table: &str,
    row: &RowKey,
    sealed: &[u8],
) -> Result<(), sqlx::Error> {
    let Some((_, (number, text), ..)) = SEALED.iter().find(|(t, ..)| *t == table) else {
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
