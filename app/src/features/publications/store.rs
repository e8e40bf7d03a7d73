//! Texts under publication review, as stored.

use chrono::{DateTime, Utc};

use crate::{db::Conn, features::publications::views::ReviewState};

#[derive(sqlx::FromRow)]
pub struct PublicationRow {
    pub id: i64,
    pub public_id: String,
    pub author_id: i64,
    pub author: String,
    pub title: String,
    pub body: String,
    pub channel: String,
    pub state: ReviewState,
    pub findings: String,
    pub previous: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decider: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_comment: Option<String>,
    pub overrides: Option<String>,
    pub review_number: Option<String>,
}

const COLUMNS: &str = "p.id, p.public_id, p.author_id, a.display_name AS author, p.title, p.body, \
     p.channel, p.state, p.findings, prev.public_id AS previous, p.updated_at, p.submitted_at, \
     d.display_name AS decider, p.decided_at, p.decision_comment, p.overrides, p.review_number \
     FROM publication_reviews p JOIN users a ON a.id = p.author_id \
     LEFT JOIN users d ON d.id = p.decided_by \
     LEFT JOIN publication_reviews prev ON prev.id = p.previous_id";

/// A text as its author saved it.
pub struct Text<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub channel: &'a str,
    pub findings: &'a str,
}

pub async fn insert(
    conn: &mut Conn,
    public_id: &str,
    author: i64,
    text: &Text<'_>,
    previous: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "INSERT INTO publication_reviews (public_id, author_id, title, body, channel, state, \
         findings, previous_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $8) RETURNING id",
    )
    .bind(public_id)
    .bind(author)
    .bind(text.title)
    .bind(text.body)
    .bind(text.channel)
    .bind(text.findings)
    .bind(previous)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Saves a draft's text again (the state is the workflow helper's).
pub async fn update(
    conn: &mut Conn,
    id: i64,
    text: &Text<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE publication_reviews SET title = $1, body = $2, channel = $3, findings = $4, \
         updated_at = $5 WHERE id = $6 AND state = 'draft'",
    )
    .bind(text.title)
    .bind(text.body)
    .bind(text.channel)
    .bind(text.findings)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut Conn, public_id: &str) -> Result<Option<PublicationRow>, sqlx::Error> {
    crate::db::query_as(&format!("SELECT {COLUMNS} WHERE p.public_id = $1"))
        .bind(public_id)
        .fetch_optional(conn)
        .await
}

pub async fn of_author(
    conn: &mut Conn,
    author: i64,
    limit: i64,
) -> Result<Vec<PublicationRow>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT {COLUMNS} WHERE p.author_id = $1 AND p.state <> 'withdrawn' ORDER BY p.id DESC LIMIT $2"
    ))
    .bind(author)
    .bind(limit)
    .fetch_all(conn)
    .await
}

pub async fn in_state(
    conn: &mut Conn,
    state: ReviewState,
    limit: i64,
) -> Result<Vec<PublicationRow>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT {COLUMNS} WHERE p.state = $1 ORDER BY p.id DESC LIMIT $2"
    ))
    .bind(state)
    .bind(limit)
    .fetch_all(conn)
    .await
}

pub async fn submitted_at(conn: &mut Conn, id: i64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    crate::db::query("UPDATE publication_reviews SET submitted_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Keeps the decision; an approval its review number.
pub async fn decide(
    conn: &mut Conn,
    id: i64,
    by: i64,
    comment: Option<&str>,
    overrides: Option<&str>,
    review_number: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE publication_reviews SET decided_by = $1, decided_at = $2, decision_comment = $3, \
         overrides = $4, review_number = $5 WHERE id = $6",
    )
    .bind(by)
    .bind(now)
    .bind(comment)
    .bind(overrides)
    .bind(review_number)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// How many review numbers were given in `year` (their prefix): the next is one more.
pub async fn numbers_in(conn: &mut Conn, year: &str) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar("SELECT COUNT(*) FROM publication_reviews WHERE review_number LIKE $1")
        .bind(format!("{year}-%"))
        .fetch_one(conn)
        .await
}

/// Every name key written in 汉字 (the search keys that are not pinyin), of any student: read
/// along the key's own index, so a 200,000-student school's take tens of milliseconds.
pub async fn name_keys(conn: &mut Conn) -> Result<Vec<String>, sqlx::Error> {
    crate::db::query_scalar("SELECT DISTINCT key FROM student_search_keys WHERE key >= '\u{3400}'")
        .fetch_all(conn)
        .await
}

/// The name keys of the enrolled students of `teacher`'s classes: the names a homeroom
/// teacher already knows for pupils.
pub async fn own_class_name_keys(
    conn: &mut Conn,
    teacher: i64,
) -> Result<Vec<String>, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT DISTINCT k.key FROM student_search_keys k JOIN students s ON s.id = k.student_id \
         JOIN classes c ON c.id = s.class_id WHERE c.homeroom_teacher_id = $1 AND s.left_at IS NULL",
    )
    .bind(teacher)
    .fetch_all(conn)
    .await
}

/// Those of `keys` some enrolled student (one who has not left) is called.
pub async fn enrolled_among(conn: &mut Conn, keys: &[String]) -> Result<Vec<String>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in keys.chunks(500) {
        let marks = crate::db::placeholders(1, chunk.len());
        let sql = format!(
            "SELECT DISTINCT k.key FROM student_search_keys k JOIN students s ON s.id = k.student_id \
             WHERE s.left_at IS NULL AND k.key IN ({marks})"
        );
        let mut query = crate::db::query_scalar(&sql);
        for key in chunk {
            query = query.bind(key);
        }
        out.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}
