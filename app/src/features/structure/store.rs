//! School years, classes and their homeroom teachers.

use crate::db::Conn;
use chrono::{DateTime, NaiveDate, Utc};

/// The current school year's id, as a subquery: the latest by its first day, two that begin
/// the same day told apart by id. Every reading of "the current year" goes through it, so
/// no two queries can take different years.
pub const CURRENT_YEAR_ID: &str =
    "(SELECT id FROM school_years ORDER BY starts_on DESC, id DESC LIMIT 1)";

#[derive(Clone, sqlx::FromRow)]
pub struct ClassRow {
    pub id: i64,
    pub public_id: String,
    pub school_year: String,
    pub grade: i64,
    pub name: String,
    pub homeroom_teacher_id: Option<i64>,
    pub homeroom_teacher: Option<String>,
    /// Why the teacher's account cannot act as one now: `frozen`, `disabled` or `no_role`
    /// (the homeroom-teacher role revoked); nothing when it can.
    pub homeroom_teacher_state: Option<String>,
}

/// Why account `u` cannot act as a homeroom teacher, or NULL when it can.
macro_rules! teacher_state {
    () => {
        "CASE WHEN u.id IS NULL THEN NULL WHEN u.frozen THEN 'frozen' \
         WHEN u.disabled THEN 'disabled' \
         WHEN NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'homeroom_teacher') \
         THEN 'no_role' END"
    };
}

const CLASS_COLUMNS: &str = concat!(
    "c.id, c.public_id, y.name AS school_year, c.grade, c.name, c.homeroom_teacher_id, \
     u.display_name AS homeroom_teacher, ",
    teacher_state!(),
    " AS homeroom_teacher_state FROM classes c JOIN school_years y ON y.id = c.school_year_id \
     LEFT JOIN users u ON u.id = c.homeroom_teacher_id"
);

/// The accounts `ids` as a rollover names a teacher who cannot go on: (id, display name,
/// username, why not: `frozen`, `disabled`, `no_role`, or nothing).
pub async fn teacher_accounts(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<Vec<(i64, String, String, Option<String>)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = crate::db::placeholders(1, ids.len());
    let sql = format!(
        "SELECT u.id, u.display_name, u.username, {} FROM users u WHERE u.id IN ({marks})",
        teacher_state!()
    );
    let mut query = crate::db::query_as(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_all(conn).await
}

/// Every school year, the latest first: (id, name, the day its spring term begins where the
/// school set one).
pub async fn school_years(
    conn: &mut Conn,
) -> Result<Vec<(i64, String, Option<NaiveDate>)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT id, name, spring_term_starts_on FROM school_years ORDER BY starts_on DESC",
    )
    .fetch_all(conn)
    .await
}

pub async fn school_year_named(conn: &mut Conn, name: &str) -> Result<bool, sqlx::Error> {
    crate::db::query_scalar::<i64>("SELECT COUNT(*) FROM school_years WHERE name = $1")
        .bind(name)
        .fetch_one(conn)
        .await
        .map(|n| n > 0)
}

pub async fn school_year_exists(conn: &mut Conn, id: i64) -> Result<bool, sqlx::Error> {
    crate::db::query_scalar::<i64>("SELECT COUNT(*) FROM school_years WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
        .map(|n| n > 0)
}

pub async fn insert_school_year(
    conn: &mut Conn,
    name: &str,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "INSERT INTO school_years (name, starts_on, ends_on, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(name)
    .bind(starts_on)
    .bind(ends_on)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn class_taken(
    conn: &mut Conn,
    school_year_id: i64,
    grade: i64,
    name: &str,
) -> Result<bool, sqlx::Error> {
    crate::db::query_scalar::<i64>(
        "SELECT COUNT(*) FROM classes WHERE school_year_id = $1 AND grade = $2 AND name = $3",
    )
    .bind(school_year_id)
    .bind(grade)
    .bind(name)
    .fetch_one(conn)
    .await
    .map(|n| n > 0)
}

pub async fn insert_class(
    conn: &mut Conn,
    public_id: &str,
    school_year_id: i64,
    grade: i64,
    name: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "INSERT INTO classes (public_id, school_year_id, grade, name, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(public_id)
    .bind(school_year_id)
    .bind(grade)
    .bind(name)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Every class, newest school year first, then by grade and name.
pub async fn classes(conn: &mut Conn) -> Result<Vec<ClassRow>, sqlx::Error> {
    let rows: Vec<ClassRow> = crate::db::query_as(&format!(
        "SELECT {CLASS_COLUMNS} ORDER BY y.starts_on DESC, y.id DESC, c.grade, c.name"
    ))
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// The classes with students in them now.
pub async fn classes_with_students(conn: &mut Conn) -> Result<Vec<i64>, sqlx::Error> {
    crate::db::query_scalar("SELECT DISTINCT class_id FROM students WHERE left_at IS NULL")
        .fetch_all(conn)
        .await
}

/// The classes whose homeroom teacher is `teacher_id`.
pub async fn classes_of(conn: &mut Conn, teacher_id: i64) -> Result<Vec<ClassRow>, sqlx::Error> {
    let rows: Vec<ClassRow> = crate::db::query_as(&format!(
        "SELECT {CLASS_COLUMNS} WHERE c.homeroom_teacher_id = $1 ORDER BY y.starts_on DESC, c.grade, c.name"
    ))
    .bind(teacher_id)
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// The classes with these ids, in one statement.
pub async fn classes_by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<ClassRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = crate::db::placeholders(1, ids.len());
    let sql = format!("SELECT {CLASS_COLUMNS} WHERE c.id IN ({marks})");
    let mut query = crate::db::query_as::<ClassRow>(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_all(conn).await
}

pub async fn class_by_public_id(
    conn: &mut Conn,
    public_id: &str,
) -> Result<Option<ClassRow>, sqlx::Error> {
    let row: Option<ClassRow> =
        crate::db::query_as(&format!("SELECT {CLASS_COLUMNS} WHERE c.public_id = $1"))
            .bind(public_id)
            .fetch_optional(conn)
            .await?;
    Ok(row)
}

pub async fn set_homeroom_teacher(
    conn: &mut Conn,
    class_id: i64,
    teacher_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    crate::db::query("UPDATE classes SET homeroom_teacher_id = $1 WHERE id = $2")
        .bind(teacher_id)
        .bind(class_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Enabled accounts (neither disabled nor frozen) that hold the homeroom-teacher role: (id,
/// display name, username).
pub async fn homeroom_teachers(conn: &mut Conn) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT u.id, u.display_name, u.username FROM users u \
         JOIN user_roles r ON r.user_id = u.id AND r.role = 'homeroom_teacher' \
         WHERE NOT u.disabled AND NOT u.frozen ORDER BY u.display_name",
    )
    .fetch_all(conn)
    .await
}

/// The classes of the newest school year, by grade and name.
pub async fn current_classes(conn: &mut Conn) -> Result<Vec<ClassRow>, sqlx::Error> {
    let rows: Vec<ClassRow> = crate::db::query_as(&format!(
        "SELECT {CLASS_COLUMNS} WHERE c.school_year_id = {CURRENT_YEAR_ID} ORDER BY c.grade, c.name"
    ))
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// The current school year (the latest by its first day, as every page takes it): its name,
/// first and last day, and the day its spring term begins where the school set one.
pub async fn latest_school_year_terms(
    conn: &mut Conn,
) -> Result<Option<(String, NaiveDate, NaiveDate, Option<NaiveDate>)>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT name, starts_on, ends_on, spring_term_starts_on FROM school_years \
         WHERE id = {CURRENT_YEAR_ID}"
    ))
    .fetch_optional(conn)
    .await
}

/// Sets the day `year`'s spring term begins (none: 1 February).
pub async fn set_spring_term(
    conn: &mut Conn,
    year: i64,
    day: Option<NaiveDate>,
) -> Result<(), sqlx::Error> {
    crate::db::query("UPDATE school_years SET spring_term_starts_on = $2 WHERE id = $1")
        .bind(year)
        .bind(day)
        .execute(conn)
        .await?;
    Ok(())
}

/// A school year's first and last day.
pub async fn school_year_days(
    conn: &mut Conn,
    year: i64,
) -> Result<Option<(NaiveDate, NaiveDate)>, sqlx::Error> {
    crate::db::query_as("SELECT starts_on, ends_on FROM school_years WHERE id = $1")
        .bind(year)
        .fetch_optional(conn)
        .await
}

/// The newest school year: (id, name).
pub async fn latest_school_year(conn: &mut Conn) -> Result<Option<(i64, String)>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT id, name FROM school_years WHERE id = {CURRENT_YEAR_ID}"
    ))
    .fetch_optional(conn)
    .await
}

/// The classes of a school year not yet moved on: (id, public id, grade, name, teacher).
pub async fn classes_to_promote(
    conn: &mut Conn,
    school_year_id: i64,
) -> Result<Vec<(i64, String, i64, String, Option<i64>)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT id, public_id, grade, name, homeroom_teacher_id FROM classes \
         WHERE school_year_id = $1 AND promoted_to IS NULL ORDER BY grade, name",
    )
    .bind(school_year_id)
    .fetch_all(conn)
    .await
}

/// Moves the students still in class `from` to class `to`; returns how many. A suspended
/// student (休学) stays where they are: a resumption puts them in a class its approver picks.
pub async fn move_students(conn: &mut Conn, from: i64, to: i64) -> Result<u64, sqlx::Error> {
    Ok(crate::db::query(
        "UPDATE students SET class_id = $1 \
         WHERE class_id = $2 AND left_at IS NULL AND suspended_at IS NULL",
    )
    .bind(to)
    .bind(from)
    .execute(conn)
    .await?
    .rows_affected())
}

/// How many students of class `class` are suspended (休学): a rollover leaves them there.
pub async fn suspended_in(conn: &mut Conn, class: i64) -> Result<u64, sqlx::Error> {
    let n: i64 = crate::db::query_scalar(
        "SELECT COUNT(*) FROM students \
         WHERE class_id = $1 AND left_at IS NULL AND suspended_at IS NOT NULL",
    )
    .bind(class)
    .fetch_one(conn)
    .await?;
    Ok(n as u64)
}

/// Marks the students still in class `class` as graduated; returns how many. Their records
/// stay, for the retention rules. A suspended student does not graduate while suspended.
pub async fn graduate_students(
    conn: &mut Conn,
    class: i64,
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    Ok(crate::db::query(
        "UPDATE students SET left_at = $1, left_reason = 'graduated', left_recorded_at = $1 \
         WHERE class_id = $2 AND left_at IS NULL AND suspended_at IS NULL",
    )
    .bind(now)
    .bind(class)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Closes a class of a past year: it moved on to `promoted_to` (or graduated), and its
/// homeroom teacher no longer reaches it.
pub async fn close_class(
    conn: &mut Conn,
    class: i64,
    promoted_to: Option<i64>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE classes SET promoted_to = $1, homeroom_teacher_id = NULL WHERE id = $2",
    )
    .bind(promoted_to)
    .bind(class)
    .execute(conn)
    .await?;
    Ok(())
}
