//! Student records, family members, their encrypted revisions, and form drafts.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};

use crate::{
    db::Conn,
    features::records::views::RecordStatus,
    kit::workflow::{QueueHead, Tally},
};

use crate::domain::records::{
    GuardianDetails, StudentDetails,
    fields::{self, Field, Stored},
};

/// The ordinary fields' columns (the catalogue's order): `name, sex, birth_date, …`.
fn column_list<I, V, D>(catalogue: &'static [Field<I, V, D>]) -> Vec<&'static str> {
    fields::columns(catalogue).map(|(name, _)| name).collect()
}

/// The ordinary details of a row, read column by column as the catalogue types them.
fn details_of<I, V, D: Default>(
    catalogue: &'static [Field<I, V, D>],
    row: &crate::db::Row,
) -> Result<D, sqlx::Error> {
    let mut details = D::default();
    for (name, column) in fields::columns(catalogue) {
        // The column's type is the type the details hold (still the default here).
        let value = match (column.get)(&details) {
            Stored::Text(_) => Stored::Text(row.try_get(name)?),
            Stored::Date(_) => Stored::Date(row.try_get(name)?),
            Stored::Flag(_) => Stored::Flag(row.try_get(name)?),
        };
        (column.put)(&mut details, value).map_err(|value| sqlx::Error::ColumnDecode {
            index: name.to_owned(),
            source: format!("{value:?} is not of the field's type").into(),
        })?;
    }
    Ok(details)
}

type Query<'q> = crate::db::Query<'q>;

/// Binds the ordinary details, in the order of [`column_list`].
fn bind_details<'q, I, V, D>(
    mut query: Query<'q>,
    catalogue: &'static [Field<I, V, D>],
    details: &D,
) -> Query<'q> {
    for (_, column) in fields::columns(catalogue) {
        query = match (column.get)(details) {
            Stored::Text(text) => query.bind(text),
            Stored::Date(date) => query.bind(date),
            Stored::Flag(yes) => query.bind(yes),
        };
    }
    query
}

/// Where a student belongs even once their record was destroyed (the register of who saw
/// their data outlives it), and whether it was.
pub async fn student_scope_kept(
    conn: &mut Conn,
    public_id: &str,
) -> Result<Option<(StudentScope, bool)>, sqlx::Error> {
    type Row = (
        i64,
        i64,
        String,
        Option<i64>,
        Option<DateTime<Utc>>,
        Option<DateTime<Utc>>,
        bool,
    );
    let row: Option<Row> = crate::db::query_as(
        "SELECT s.id, c.id, c.public_id, c.homeroom_teacher_id, s.left_at, s.left_recorded_at, \
         s.destroyed_at IS NOT NULL \
         FROM students s JOIN classes c ON c.id = s.class_id WHERE s.public_id = $1",
    )
    .bind(public_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(
        |(id, class_id, class_public_id, homeroom_teacher_id, left_at, recorded, destroyed)| {
            (
                StudentScope {
                    id,
                    class_id,
                    class_public_id,
                    homeroom_teacher_id,
                    left_since: crate::kit::retention::left_since(left_at, recorded),
                },
                destroyed,
            )
        },
    ))
}

/// Where a student belongs, for the authorisation check.
pub struct StudentScope {
    pub id: i64,
    pub class_id: i64,
    pub class_public_id: String,
    pub homeroom_teacher_id: Option<i64>,
    /// For a student who left: the later of the leaving day and the day it was recorded,
    /// from which their record's retention counts (and its archiving, `retention::rules`).
    pub left_since: Option<DateTime<Utc>>,
}

pub async fn student_scope(
    conn: &mut Conn,
    public_id: &str,
) -> Result<Option<StudentScope>, sqlx::Error> {
    type Row = (
        i64,
        i64,
        String,
        Option<i64>,
        Option<DateTime<Utc>>,
        Option<DateTime<Utc>>,
    );
    let row: Option<Row> = crate::db::query_as(
        "SELECT s.id, c.id, c.public_id, c.homeroom_teacher_id, s.left_at, s.left_recorded_at \
         FROM students s \
         JOIN classes c ON c.id = s.class_id WHERE s.public_id = $1 AND s.destroyed_at IS NULL",
    )
    .bind(public_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(
        |(id, class_id, class_public_id, homeroom_teacher_id, left_at, recorded)| StudentScope {
            id,
            class_id,
            class_public_id,
            homeroom_teacher_id,
            left_since: crate::kit::retention::left_since(left_at, recorded),
        },
    ))
}

/// A marking as left that may be undone: made by a records administrator (not a graduation)
/// since `since`, not yet destroyed, in no destruction batch waiting for a decision. Returns
/// who marked it.
pub async fn left_marking(
    conn: &mut Conn,
    id: i64,
    since: DateTime<Utc>,
) -> Result<Option<i64>, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT s.left_marked_by FROM students s WHERE s.id = $1 AND s.left_at IS NOT NULL \
         AND s.left_marked_by IS NOT NULL AND s.destroyed_at IS NULL AND s.left_recorded_at >= $2 \
         AND NOT EXISTS (SELECT 1 FROM status_changes x WHERE x.student_id = s.id AND x.state = 'approved') \
         AND NOT EXISTS (SELECT 1 FROM destruction_students ds JOIN destructions d \
                         ON d.id = ds.destruction_id WHERE ds.student_id = s.id AND d.state = 'proposed')",
    )
    .bind(id)
    .bind(since)
    .fetch_optional(conn)
    .await
    .map(Option::flatten)
}

/// Undoes a marking as left: the student is enrolled again. Returns whether a row changed
/// (false when another undid it first).
pub async fn unset_left(conn: &mut Conn, id: i64, marked_by: i64) -> Result<bool, sqlx::Error> {
    Ok(crate::db::query(
        "UPDATE students SET left_at = NULL, left_reason = NULL, left_recorded_at = NULL, \
         left_marked_by = NULL WHERE id = $1 AND left_marked_by = $2 AND destroyed_at IS NULL",
    )
    .bind(id)
    .bind(marked_by)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// A student as stored: ordinary fields in the clear, the rest sealed.
pub struct StudentRow {
    pub id: i64,
    pub public_id: String,
    pub class_id: i64,
    pub status: String,
    pub top_secret: bool,
    pub return_reason: Option<String>,
    /// Why the student left ("graduated"), once they have.
    pub left_reason: Option<String>,
    /// The records administrator who marked them as left (none for a graduation), and when.
    pub left_marked_by: Option<i64>,
    pub left_recorded_at: Option<DateTime<Utc>>,
    /// Since when they are suspended (休学), while they are.
    pub suspended_at: Option<DateTime<Utc>>,
    pub details: StudentDetails,
    pub sealed: Vec<u8>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Verified once: from then on its key data changes only by an approved 关键数据变更.
    pub verified_once: bool,
}

static STUDENT_COLUMNS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "id, public_id, class_id, status, top_secret, return_reason, \
         CASE WHEN left_at IS NULL THEN NULL ELSE COALESCE(left_reason, 'other') END AS left_reason, \
         left_marked_by, left_recorded_at, suspended_at, {}, sealed, submitted_at, \
         verified_once_at IS NOT NULL AS verified_once",
        column_list(fields::STUDENT).join(", ")
    )
});

fn student_row(row: crate::db::Row) -> Result<StudentRow, sqlx::Error> {
    Ok(StudentRow {
        id: row.try_get("id")?,
        public_id: row.try_get("public_id")?,
        class_id: row.try_get("class_id")?,
        status: row.try_get("status")?,
        top_secret: row.try_get::<bool, _>("top_secret")?,
        return_reason: row.try_get("return_reason")?,
        left_reason: row.try_get("left_reason")?,
        left_marked_by: row.try_get("left_marked_by")?,
        left_recorded_at: row.try_get("left_recorded_at")?,
        suspended_at: row.try_get("suspended_at")?,
        details: details_of(fields::STUDENT, &row)?,
        sealed: row.try_get("sealed")?,
        submitted_at: row.try_get("submitted_at")?,
        verified_once: row.try_get::<bool, _>("verified_once")?,
    })
}

pub async fn student(conn: &mut Conn, id: i64) -> Result<Option<StudentRow>, sqlx::Error> {
    crate::db::query(&format!(
        "SELECT {} FROM students WHERE id = $1 AND destroyed_at IS NULL",
        *STUDENT_COLUMNS
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .map(student_row)
    .transpose()
}

/// A student as the roster lists them: what its row shows, with what the record lacks (a
/// 学籍号 though one is due, a second family member, a 学籍号 at all: awaited from the
/// national system). Only these columns are read: a class of 45 is a roster's whole cost.
#[derive(sqlx::FromRow)]
pub struct RosterStudent {
    pub public_id: String,
    pub status: String,
    pub top_secret: bool,
    pub return_reason: Option<String>,
    pub name: String,
    pub sex: String,
    pub birth_date: NaiveDate,
    pub lacks_number: bool,
    pub lacks_family: bool,
    pub awaits_number: bool,
    /// Suspended (休学): on the roster, in no count.
    pub suspended: bool,
}

/// A class's students still at school, by name, each with what their record lacks (a 学籍号
/// counting as due for those enrolled before `$2`), in one statement.
static ROSTER_OF_CLASS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT public_id, status, top_secret, return_reason, name, sex, birth_date, \
         {} AS lacks_number, {FEW_FAMILY} AS lacks_family, {NO_NUMBER} AS awaits_number, \
         s.suspended_at IS NOT NULL AS suspended \
         FROM students s WHERE s.class_id = $1 AND s.left_at IS NULL ORDER BY s.name, s.id",
        missing_number(2)
    )
});

pub async fn roster_of_class(
    conn: &mut Conn,
    class_id: i64,
    number_due: &str,
) -> Result<Vec<RosterStudent>, sqlx::Error> {
    crate::db::query_as(&ROSTER_OF_CLASS)
        .bind(class_id)
        .bind(number_due)
        .fetch_all(conn)
        .await
}

/// The opaque ids of a class's students, by name.
pub async fn public_ids_of_class(
    conn: &mut Conn,
    class_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT public_id FROM students WHERE class_id = $1 AND left_at IS NULL ORDER BY name, id",
    )
    .bind(class_id)
    .fetch_all(conn)
    .await
}

/// A record in the verification queue: (id, public id, name, class id, submitted at).
pub type Queued = (i64, String, String, i64, Option<DateTime<Utc>>);

/// Submitted records waiting for verification, oldest first, `limit` from `offset`.
pub async fn review_queue(
    conn: &mut Conn,
    limit: i64,
    offset: i64,
) -> Result<Vec<Queued>, sqlx::Error> {
    review_queue_of(conn, None, limit, offset).await
}

/// A page of the queue, of one class's records when `class` names one.
pub async fn review_queue_of(
    conn: &mut Conn,
    class: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Queued>, sqlx::Error> {
    crate::db::query_as(
        "SELECT id, public_id, name, class_id, submitted_at FROM students \
         WHERE status = 'submitted' AND left_at IS NULL AND ($3 IS NULL OR class_id = $3) \
         ORDER BY submitted_at, id LIMIT $1 OFFSET $2",
    )
    .bind(limit)
    .bind(offset)
    .bind(class)
    .fetch_all(conn)
    .await
}

/// How many records wait for verification.
pub async fn queue_length(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(QUEUE_LENGTH).fetch_one(conn).await
}

const QUEUE_LENGTH: &str =
    "SELECT COUNT(*) FROM students WHERE status = 'submitted' AND left_at IS NULL";

/// The header's tallies (`$1` the viewer): the records waiting for verification (a records
/// administrator's), and the records returned to and the imported rows waiting for a
/// homeroom teacher (as [`returned_to`] and [`imported_waiting`] count them).
///
/// The queue's count stops at the header's cap, 1,000 (the header then says "999+"; the
/// HTTP test `the_header_stops_counting_where_a_count_would_grow_with_the_school` holds the
/// two together): at 200,000 students with 30,000 submitted, counting them all took
/// 0.9 ms of every records administrator's page, and the queue's own page says how many.
pub const QUEUE_TALLY: Tally = Tally::of(
    "SELECT COUNT(*) FROM (SELECT 1 FROM students WHERE status = 'submitted' \
     AND left_at IS NULL LIMIT 1000) q",
);
///
/// `classes c CROSS JOIN students s`, here and in [`returned_to`] and [`drafts_of`]: SQLite
/// keeps a CROSS JOIN's order, from the teacher's classes to their students by
/// `students_by_class_and_status`, where it chose to walk every student in the state (31 ms
/// at 200,000 students); PostgreSQL plans it as any join.
pub const RETURNED_TALLY: Tally = Tally::of(
    "SELECT COUNT(*) FROM classes c CROSS JOIN students s WHERE s.class_id = c.id \
     AND c.homeroom_teacher_id = $1 AND s.status = 'returned' AND s.left_at IS NULL",
);
pub const IMPORTED_TALLY: Tally = Tally::of(
    "SELECT COUNT(*) FROM form_drafts WHERE owner_id = $1 AND target LIKE 'class:%:%' \
     AND substr(target, 7, 32) IN (SELECT public_id FROM classes WHERE homeroom_teacher_id = $1)",
);

/// How many records wait in each class, and since when the oldest has: (class id, count,
/// oldest), the classes by grade and name.
pub async fn queue_by_class(
    conn: &mut Conn,
) -> Result<Vec<(i64, i64, Option<DateTime<Utc>>)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT s.class_id, COUNT(*), MIN(s.submitted_at) FROM students s \
         JOIN classes c ON c.id = s.class_id \
         WHERE s.status = 'submitted' AND s.left_at IS NULL \
         GROUP BY s.class_id, c.grade, c.name ORDER BY c.grade, c.name",
    )
    .fetch_all(conn)
    .await
}

/// The records before and after the student `id` in the queue's order (whatever the
/// student's own state now), and how many wait before it: (previous, next, before).
pub async fn queue_neighbours(
    conn: &mut Conn,
    id: i64,
) -> Result<(Option<String>, Option<String>, i64), sqlx::Error> {
    let at: Option<DateTime<Utc>> =
        crate::db::query_scalar("SELECT submitted_at FROM students WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .flatten();
    let Some(at) = at else {
        return Ok((None, None, 0));
    };
    const QUEUED: &str = "status = 'submitted' AND left_at IS NULL AND id <> $2";
    const EARLIER: &str = "(submitted_at < $1 OR (submitted_at = $1 AND id < $2))";
    const LATER: &str = "(submitted_at > $1 OR (submitted_at = $1 AND id > $2))";
    let previous = crate::db::query_scalar(&format!(
        "SELECT public_id FROM students WHERE {QUEUED} AND {EARLIER} \
         ORDER BY submitted_at DESC, id DESC LIMIT 1"
    ))
    .bind(at)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let next = crate::db::query_scalar(&format!(
        "SELECT public_id FROM students WHERE {QUEUED} AND {LATER} ORDER BY submitted_at, id LIMIT 1"
    ))
    .bind(at)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let before: i64 = crate::db::query_scalar(&format!(
        "SELECT COUNT(*) FROM students WHERE {QUEUED} AND {EARLIER}"
    ))
    .bind(at)
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    Ok((previous, next, before))
}

/// The fields changed since the student `id` was last reviewed (verified or returned), from
/// the trail's entries of the changes (field names only), and whether it ever was.
pub async fn changed_since_reviewed(
    conn: &mut Conn,
    id: i64,
) -> Result<(Vec<String>, bool), sqlx::Error> {
    let rows: Vec<(String, Option<String>)> = crate::db::query_as(
        "SELECT action, details FROM audit_log WHERE object_type = 'student' AND object_id = $1 \
         AND action IN ('student.created', 'student.updated', 'student.verified', 'student.returned') \
         ORDER BY seq",
    )
    .bind(id.to_string())
    .fetch_all(conn)
    .await?;
    let mut fields: Vec<String> = Vec::new();
    let mut reviewed = false;
    for (action, details) in rows {
        if action == "student.verified" || action == "student.returned" {
            fields.clear();
            reviewed = true;
            continue;
        }
        let details: serde_json::Value = details
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok())
            .unwrap_or_default();
        for f in details["fields"].as_array().into_iter().flatten() {
            if let Some(f) = f.as_str()
                && !fields.iter().any(|x| x == f)
            {
                fields.push(f.to_owned());
            }
        }
    }
    Ok((fields, reviewed))
}

/// Which of `ids` share an identity number or 学籍号 with another record of a student at
/// school (one who left holds their own past record: the same person coming back is no
/// clash, and an archived record is named nowhere).
pub async fn clashing(conn: &mut Conn, ids: &[i64]) -> Result<Vec<i64>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = crate::db::placeholders(1, ids.len());
    let sql = format!(
        "SELECT s.id FROM students s WHERE s.id IN ({marks}) AND EXISTS (SELECT 1 FROM students o \
         WHERE o.id <> s.id AND o.left_at IS NULL AND ((o.id_number_index = s.id_number_index) \
         OR (o.student_number_index = s.student_number_index)))"
    );
    let mut query = crate::db::query_scalar(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_all(conn).await
}

/// What each of `ids` lacks: (id, no 学籍号 though enrolled before `number_due` (a month,
/// `2026-06`), fewer than two family members, no 学籍号 yet at all).
/// How many of the students `ids` are marked 绝密 now.
pub async fn top_secret_among(conn: &mut Conn, ids: &[i64]) -> Result<i64, sqlx::Error> {
    if ids.is_empty() {
        return Ok(0);
    }
    let marks = crate::db::placeholders(1, ids.len());
    let sql = format!("SELECT COUNT(*) FROM students WHERE top_secret AND id IN ({marks})");
    let mut query = crate::db::query_scalar(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_one(conn).await
}

pub async fn completeness_of(
    conn: &mut Conn,
    ids: &[i64],
    number_due: &str,
) -> Result<Vec<(i64, bool, bool, bool)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = crate::db::placeholders(1, ids.len());
    let due = ids.len() + 1;
    let sql = format!(
        "SELECT s.id, {}, {FEW_FAMILY}, {NO_NUMBER} FROM students s WHERE s.id IN ({marks})",
        missing_number(due)
    );
    let mut query = crate::db::query_as(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query.bind(number_due).fetch_all(conn).await
}

/// A record is incomplete with fewer than two family members (`FEW_FAMILY`), or without a
/// 学籍号 once the national system has had time to issue one: enrolled before the month
/// bound as `$due` (a new student waits for theirs, and is not incomplete for that). The
/// overview counts by these and the roster says which is missing.
fn missing_number(due: usize) -> String {
    format!("({NO_NUMBER} AND s.enrolment_month < ${due})")
}
const NO_NUMBER: &str = "s.student_number_index IS NULL";
const FEW_FAMILY: &str = "(SELECT COUNT(*) FROM guardians g WHERE g.student_id = s.id) < 2";

/// Per class and status: (class id, status, students at school and not suspended, of them
/// incomplete, students suspended), a 学籍号 missing counting for those enrolled before
/// `number_due`. A suspended student is in none of the first three: every figure of a
/// class but the suspended one adds up to its students.
pub async fn status_counts(
    conn: &mut Conn,
    number_due: &str,
) -> Result<Vec<(i64, String, i64, i64, i64)>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT class_id, status, COUNT(*) FILTER (WHERE suspended_at IS NULL), \
         COUNT(*) FILTER (WHERE suspended_at IS NULL AND ({} OR {FEW_FAMILY})), \
         COUNT(*) FILTER (WHERE suspended_at IS NOT NULL) \
         FROM students s WHERE left_at IS NULL GROUP BY class_id, status",
        missing_number(1)
    ))
    .bind(number_due)
    .fetch_all(conn)
    .await
}

/// Which blind-index column a number field is kept in.
fn index_column(field: &str) -> &'static str {
    match field {
        "student_number" => "student_number_index",
        _ => "id_number_index",
    }
}

/// A student who holds a number: their id, their class's homeroom teacher, and whether the
/// record is 绝密.
pub type Holder = (i64, Option<i64>, bool);

/// The students at school other than `own` whose identity number (`field` "id_number") or
/// 学籍号 ("student_number") has this blind index (one who left holds their past record:
/// their number enrols them anew).
pub async fn holders_of_index(
    conn: &mut Conn,
    field: &str,
    index: &[u8],
    own: Option<i64>,
) -> Result<Vec<Holder>, sqlx::Error> {
    let column = index_column(field);
    crate::db::query_as(&format!(
        "SELECT s.id, c.homeroom_teacher_id, s.top_secret FROM students s \
         JOIN classes c ON c.id = s.class_id WHERE s.{column} = $1 AND ($2 IS NULL OR s.id <> $2) \
         AND s.left_at IS NULL"
    ))
    .bind(index)
    .bind(own)
    .fetch_all(conn)
    .await
}

/// The other records of students at school that share a number with the student `id` (as
/// `clashing` counts them): (the field, their public id, name, class id, whether 绝密).
pub async fn clashes_of(
    conn: &mut Conn,
    id: i64,
) -> Result<Vec<(String, String, String, i64, bool)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT 'id_number', o.public_id, o.name, o.class_id, o.top_secret \
         FROM students s JOIN students o ON o.id_number_index = s.id_number_index AND o.id <> s.id \
         WHERE s.id = $1 AND o.left_at IS NULL \
         UNION ALL \
         SELECT 'student_number', o.public_id, o.name, o.class_id, o.top_secret \
         FROM students s JOIN students o ON o.student_number_index = s.student_number_index AND o.id <> s.id \
         WHERE s.id = $1 AND o.left_at IS NULL \
         ORDER BY 1, 3",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

/// Binds, in this order, the ordinary fields, the sealed value and the blind indexes of a
/// write: the columns an insert and an update share (`$2` to `$n + 4` of both statements).
fn bind_write<'q>(query: Query<'q>, w: &StudentWrite<'q>) -> Query<'q> {
    bind_details(query, fields::STUDENT, w.details)
        .bind(w.sealed)
        .bind(w.id_number_index)
        .bind(w.student_number_index)
}

/// The insert: `$1` the status, the shared columns, then public id, class, creator and time.
static INSERT_STUDENT: LazyLock<String> = LazyLock::new(|| {
    let columns = column_list(fields::STUDENT);
    // The shared columns, then public id, class, creator and creation time; the update time
    // is the creation time again.
    let bound = columns.len() + 3 + 4;
    format!(
        "INSERT INTO students (status, {}, sealed, id_number_index, student_number_index, \
         public_id, class_id, created_by, created_at, updated_at) \
         VALUES ($1, {}, ${}) RETURNING id",
        columns.join(", "),
        crate::db::placeholders(2, bound),
        bound + 1
    )
});

/// The update: `$1` the status, the shared columns, then the time and the student.
static UPDATE_STUDENT: LazyLock<String> = LazyLock::new(|| {
    let columns = column_list(fields::STUDENT);
    let set: Vec<String> = columns
        .iter()
        .chain(&["sealed", "id_number_index", "student_number_index"])
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 2))
        .collect();
    let now = set.len() + 2;
    format!(
        "UPDATE students SET status = $1, {}, updated_at = ${now}, \
         submitted_at = CASE WHEN $1 = 'submitted' AND status <> 'submitted' \
         AND (status <> 'returned' OR submitted_at IS NULL) THEN ${now} ELSE submitted_at END \
         WHERE id = ${}",
        set.join(", "),
        now + 1
    )
});

/// What a save writes to the student row.
pub struct StudentWrite<'a> {
    pub details: &'a StudentDetails,
    pub sealed: &'a [u8],
    pub id_number_index: &'a [u8],
    pub student_number_index: Option<&'a [u8]>,
    pub status: &'a str,
    pub now: DateTime<Utc>,
}

pub async fn insert_student(
    conn: &mut Conn,
    public_id: &str,
    class_id: i64,
    created_by: i64,
    w: &StudentWrite<'_>,
) -> Result<i64, sqlx::Error> {
    bind_write(crate::db::query(&INSERT_STUDENT).bind(w.status), w)
        .bind(public_id)
        .bind(class_id)
        .bind(created_by)
        .bind(w.now)
        .fetch_one(conn)
        .await?
        .try_get(0)
}

pub async fn update_student(
    conn: &mut Conn,
    id: i64,
    w: &StudentWrite<'_>,
) -> Result<(), sqlx::Error> {
    bind_write(crate::db::query(&UPDATE_STUDENT).bind(w.status), w)
        .bind(w.now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// How many student records the database holds.
pub async fn count(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT (SELECT COUNT(*) FROM students) + (SELECT COUNT(*) FROM classes)",
    )
    .fetch_one(conn)
    .await
}

/// What a review step to `to` keeps beside the state (which the workflow moves): the
/// return's reason, the time, and when it was first submitted (kept on a resubmission
/// from returned, so it keeps the place in the queue it first waited in). Written before the
/// state moves, so that `status` is still the one the
/// step starts from.
pub async fn set_review_note(
    conn: &mut Conn,
    id: i64,
    to: RecordStatus,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE students SET return_reason = $1, updated_at = $2, \
         submitted_at = CASE WHEN $3 AND (status <> 'returned' OR submitted_at IS NULL) \
         THEN $2 ELSE submitted_at END, \
         verified_once_at = CASE WHEN $5 THEN COALESCE(verified_once_at, $2) \
         ELSE verified_once_at END WHERE id = $4",
    )
    .bind(reason)
    .bind(now)
    .bind(to == RecordStatus::Submitted)
    .bind(id)
    .bind(to == RecordStatus::Verified)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_top_secret(conn: &mut Conn, id: i64, top_secret: bool) -> Result<(), sqlx::Error> {
    crate::db::query("UPDATE students SET top_secret = $1 WHERE id = $2")
        .bind(top_secret)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The students with these ids, in no particular order (those not there are left out).
pub async fn students_by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<StudentRow>, sqlx::Error> {
    let mut rows = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let mut q = crate::db::QueryBuilder::new(format!(
            "SELECT {} FROM students WHERE destroyed_at IS NULL AND id IN (",
            *STUDENT_COLUMNS
        ));
        let mut list = q.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        q.push(")");
        for row in q.build().fetch_all(&mut *conn).await? {
            rows.push(student_row(row)?);
        }
    }
    Ok(rows)
}

/// The family members of these students: (student id, member), in each student's order.
pub async fn guardians_of_students(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<Vec<(i64, GuardianRow)>, sqlx::Error> {
    let mut rows = Vec::new();
    for chunk in ids.chunks(500) {
        let mut q = crate::db::QueryBuilder::new(format!(
            "SELECT student_id, position, {}, sealed FROM guardians WHERE student_id IN (",
            column_list(fields::FAMILY).join(", ")
        ));
        let mut list = q.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        q.push(") ORDER BY student_id, position");
        for row in q.build().fetch_all(&mut *conn).await? {
            rows.push((
                row.try_get("student_id")?,
                GuardianRow {
                    position: row.try_get("position")?,
                    details: details_of(fields::FAMILY, &row)?,
                    sealed: row.try_get("sealed")?,
                },
            ));
        }
    }
    Ok(rows)
}

/// A family member as stored.
pub struct GuardianRow {
    pub position: i64,
    pub details: GuardianDetails,
    pub sealed: Vec<u8>,
}

pub async fn guardians(conn: &mut Conn, student_id: i64) -> Result<Vec<GuardianRow>, sqlx::Error> {
    static SELECT: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT position, {}, sealed FROM guardians WHERE student_id = $1 ORDER BY position",
            column_list(fields::FAMILY).join(", ")
        )
    });
    crate::db::query(&SELECT)
        .bind(student_id)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|row| {
            Ok(GuardianRow {
                position: row.try_get("position")?,
                details: details_of(fields::FAMILY, &row)?,
                sealed: row.try_get("sealed")?,
            })
        })
        .collect()
}

/// Replaces a student's family members.
pub async fn replace_guardians(
    conn: &mut Conn,
    student_id: i64,
    guardians: &[(&GuardianDetails, Vec<u8>)],
) -> Result<(), sqlx::Error> {
    crate::db::query("DELETE FROM guardians WHERE student_id = $1")
        .bind(student_id)
        .execute(&mut *conn)
        .await?;
    insert_guardians(conn, student_id, guardians).await
}

/// Adds the family members of a student who has none yet (one statement for all).
pub async fn insert_guardians(
    conn: &mut Conn,
    student_id: i64,
    guardians: &[(&GuardianDetails, Vec<u8>)],
) -> Result<(), sqlx::Error> {
    if guardians.is_empty() {
        return Ok(());
    }
    let columns = column_list(fields::FAMILY);
    let per_row = columns.len() + 3;
    let values: Vec<String> = (0..guardians.len())
        .map(|i| format!("({})", crate::db::placeholders(i * per_row + 1, per_row)))
        .collect();
    let sql = format!(
        "INSERT INTO guardians (student_id, position, {}, sealed) VALUES {}",
        columns.join(", "),
        values.join(", ")
    );
    let mut query = crate::db::query(&sql);
    for (position, (details, sealed)) in guardians.iter().enumerate() {
        query = bind_details(
            query.bind(student_id).bind(position as i64),
            fields::FAMILY,
            *details,
        )
        .bind(sealed);
    }
    query.execute(conn).await?;
    Ok(())
}

pub async fn insert_revision(
    conn: &mut Conn,
    student_id: i64,
    audit_seq: i64,
    changed_by: i64,
    now: DateTime<Utc>,
    sealed: &[u8],
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO student_revisions (student_id, audit_seq, changed_at, changed_by, sealed) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(student_id)
    .bind(audit_seq)
    .bind(now)
    .bind(changed_by)
    .bind(sealed)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn draft(
    conn: &mut Conn,
    owner_id: i64,
    target: &str,
) -> Result<Option<(Vec<u8>, String)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT sealed, errors FROM form_drafts WHERE owner_id = $1 AND target = $2",
    )
    .bind(owner_id)
    .bind(target)
    .fetch_optional(conn)
    .await
}

/// `owner`'s drafts whose target begins with `prefix`, oldest first: (target, sealed,
/// errors, last change).
pub async fn drafts_with_prefix(
    conn: &mut Conn,
    owner_id: i64,
    prefix: &str,
) -> Result<Vec<(String, Vec<u8>, String, DateTime<Utc>)>, sqlx::Error> {
    // The prefix is an opaque id and a colon: nothing in it is a pattern character but the
    // range's own bounds.
    crate::db::query_as(
        "SELECT target, sealed, errors, updated_at FROM form_drafts \
         WHERE owner_id = $1 AND target > $2 AND target < $3 ORDER BY updated_at, target",
    )
    .bind(owner_id)
    .bind(prefix)
    .bind(format!("{prefix}\u{10FFFF}"))
    .fetch_all(conn)
    .await
}

pub async fn put_draft(
    conn: &mut Conn,
    owner_id: i64,
    target: &str,
    sealed: &[u8],
    errors: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO form_drafts (owner_id, target, sealed, errors, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (owner_id, target) DO UPDATE SET sealed = excluded.sealed, errors = excluded.errors, \
         updated_at = excluded.updated_at",
    )
    .bind(owner_id)
    .bind(target)
    .bind(sealed)
    .bind(errors)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_draft(conn: &mut Conn, owner_id: i64, target: &str) -> Result<(), sqlx::Error> {
    crate::db::query("DELETE FROM form_drafts WHERE owner_id = $1 AND target = $2")
        .bind(owner_id)
        .bind(target)
        .execute(conn)
        .await?;
    Ok(())
}

/// Replaces the search keys of a student (lower-case name variants).
pub async fn replace_search_keys(
    conn: &mut Conn,
    student_id: i64,
    keys: &[String],
) -> Result<(), sqlx::Error> {
    crate::db::query("DELETE FROM student_search_keys WHERE student_id = $1")
        .bind(student_id)
        .execute(&mut *conn)
        .await?;
    insert_search_keys(conn, student_id, keys).await
}

/// Adds the search keys of a student who has none yet (one statement for all).
pub async fn insert_search_keys(
    conn: &mut Conn,
    student_id: i64,
    keys: &[String],
) -> Result<(), sqlx::Error> {
    if keys.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = (0..keys.len())
        .map(|i| format!("($1, ${})", i + 2))
        .collect();
    let sql = format!(
        "INSERT INTO student_search_keys (student_id, key) VALUES {} ON CONFLICT DO NOTHING",
        values.join(", ")
    );
    let mut query = crate::db::query(&sql).bind(student_id);
    for key in keys {
        query = query.bind(key);
    }
    query.execute(conn).await?;
    Ok(())
}

/// A search hit: a student as a search lists them (their identity number masked unopened:
/// `records::service::id_number_masked`).
#[derive(sqlx::FromRow)]
pub struct Hit {
    pub id: i64,
    pub public_id: String,
    pub name: String,
    pub class_id: i64,
    pub status: String,
    pub top_secret: bool,
    /// None once the record is destroyed.
    pub birth_date: Option<chrono::NaiveDate>,
    /// Why they left ("graduated", "other"), once they have.
    pub left_reason: Option<String>,
    /// Suspended (休学).
    pub suspended: bool,
}

const HIT_COLUMNS: &str = "s.id, s.public_id, s.name, s.class_id, s.status, s.top_secret, \
     s.birth_date, CASE WHEN s.left_at IS NULL THEN NULL ELSE COALESCE(s.left_reason, 'other') END AS left_reason, \
     s.suspended_at IS NOT NULL AS suspended";

/// Students whose search keys start with `prefix` (`upper` is the first string past them),
/// of every class (`teacher` None) or of the classes `teacher` is homeroom teacher of; those
/// who left too when `include_left`, but not archived (left before `archived_before`, as
/// `hits_by_ids` finds them). At most `limit`, in no particular order: the caller ranks them.
pub async fn search_by_key(
    conn: &mut Conn,
    prefix: &str,
    upper: &str,
    teacher: Option<i64>,
    include_left: bool,
    limit: i64,
    archived_before: DateTime<Utc>,
) -> Result<Vec<Hit>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT {HIT_COLUMNS} FROM students s JOIN classes c ON c.id = s.class_id \
         WHERE ($4 IS NULL OR c.homeroom_teacher_id = $4) AND (s.left_at IS NULL OR ($5 AND \
         (s.left_at >= $6 OR COALESCE(s.left_recorded_at, s.left_at) >= $6))) \
         AND s.id IN (SELECT student_id FROM student_search_keys WHERE key >= $1 AND key < $2) \
         ORDER BY s.id LIMIT $3"
    ))
    // How many keys a prefix spans depends on the prefix: one plan for all walks every student.
    .planned_with_its_values()
    .bind(prefix)
    .bind(upper)
    .bind(limit)
    .bind(teacher)
    .bind(include_left)
    .bind(archived_before)
    .fetch_all(conn)
    .await
}

/// The enrolled students of a class with exactly this name (the request picker's check of a
/// student the filer names).
pub async fn enrolled_named_in_class(
    conn: &mut Conn,
    class_id: i64,
    name: &str,
) -> Result<Vec<Hit>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT {HIT_COLUMNS} FROM students s \
         WHERE s.class_id = $1 AND s.name = $2 AND s.left_at IS NULL ORDER BY s.id LIMIT 3"
    ))
    .bind(class_id)
    .bind(name)
    .fetch_all(conn)
    .await
}

/// The student with this blind index of an identity number or 学籍号, within `teacher`'s
/// classes when given. A 绝密 record is never found by number, by anyone.
pub async fn search_by_index(
    conn: &mut Conn,
    field: &str,
    index: &[u8],
    teacher: Option<i64>,
) -> Result<Vec<Hit>, sqlx::Error> {
    let column = index_column(field);
    crate::db::query_as(&format!(
        "SELECT {HIT_COLUMNS} FROM students s JOIN classes c ON c.id = s.class_id \
         WHERE s.{column} = $1 AND NOT s.top_secret AND ($2 IS NULL OR c.homeroom_teacher_id = $2)"
    ))
    .bind(index)
    .bind(teacher)
    .fetch_all(conn)
    .await
}

/// The students with these ids (in no particular order) that `teacher` (None: anyone) may
/// find now: not destroyed, of their classes, still enrolled unless `include_left` (and
/// then not archived: left, by the later of the day and its recording, after
/// `archived_before`), and not 绝密 when they were found `by_number` (as a number search
/// finds none).
pub async fn hits_by_ids(
    conn: &mut Conn,
    ids: &[i64],
    teacher: Option<i64>,
    include_left: bool,
    by_number: bool,
    archived_before: DateTime<Utc>,
) -> Result<Vec<Hit>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 5)).collect();
    let sql = format!(
        "SELECT {HIT_COLUMNS} FROM students s JOIN classes c ON c.id = s.class_id \
         WHERE s.destroyed_at IS NULL AND ($1 IS NULL OR c.homeroom_teacher_id = $1) \
         AND (s.left_at IS NULL OR ($2 AND (s.left_at >= $4 OR COALESCE(s.left_recorded_at, s.left_at) >= $4))) \
         AND (NOT $3 OR NOT s.top_secret) AND s.id IN ({})",
        list.join(", ")
    );
    let mut query = crate::db::query_as(&sql)
        .bind(teacher)
        .bind(include_left)
        .bind(by_number)
        .bind(archived_before);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_all(conn).await
}

/// The returned records of the classes `teacher` teaches: how many, since when the oldest
/// was returned, and its opaque id.
pub async fn returned_to(conn: &mut Conn, teacher: i64) -> Result<QueueHead, sqlx::Error> {
    let head: Option<QueueHead> = crate::db::query_as(
        "SELECT COUNT(*) OVER () AS count, MIN(s.updated_at) OVER () AS since, s.public_id AS first \
         FROM classes c CROSS JOIN students s WHERE s.class_id = c.id \
         AND c.homeroom_teacher_id = $1 AND s.status = 'returned' AND s.left_at IS NULL \
         ORDER BY s.updated_at, s.id LIMIT 1",
    )
    .bind(teacher)
    .fetch_optional(conn)
    .await?;
    Ok(head.unwrap_or_default())
}

/// The draft records (never handed in) of the classes `teacher` teaches: how many, since
/// when the oldest waits, and the class of the oldest.
pub async fn drafts_of(conn: &mut Conn, teacher: i64) -> Result<QueueHead, sqlx::Error> {
    let head: Option<QueueHead> = crate::db::query_as(
        "SELECT COUNT(*) OVER () AS count, MIN(s.created_at) OVER () AS since, c.public_id AS first \
         FROM classes c CROSS JOIN students s WHERE s.class_id = c.id \
         AND c.homeroom_teacher_id = $1 AND s.status = 'draft' AND s.left_at IS NULL \
         ORDER BY s.created_at, s.id LIMIT 1",
    )
    .bind(teacher)
    .fetch_optional(conn)
    .await?;
    Ok(head.unwrap_or_default())
}

/// The drafts an import left for `owner` to complete in the classes they teach now: how
/// many, since when the oldest waits, and its target (`class:<class>:<draft>`).
pub async fn imported_waiting(conn: &mut Conn, owner: i64) -> Result<QueueHead, sqlx::Error> {
    let head: Option<QueueHead> = crate::db::query_as(
        "SELECT COUNT(*) OVER () AS count, MIN(updated_at) OVER () AS since, target AS first FROM form_drafts \
         WHERE owner_id = $1 AND target LIKE 'class:%:%' \
         AND substr(target, 7, 32) IN (SELECT public_id FROM classes WHERE homeroom_teacher_id = $1) \
         ORDER BY updated_at, target LIMIT 1",
    )
    .bind(owner)
    .fetch_optional(conn)
    .await?;
    Ok(head.unwrap_or_default())
}

/// How many records of students still at school, made before `before`, are not verified.
pub async fn unverified_before(conn: &mut Conn, before: DateTime<Utc>) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT COUNT(*) FROM students WHERE left_at IS NULL AND status <> 'verified' AND created_at < $1",
    )
    .bind(before)
    .fetch_one(conn)
    .await
}

/// How many form drafts are kept.
pub async fn drafts_count(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar("SELECT COUNT(*) FROM form_drafts")
        .fetch_one(conn)
        .await
}

/// Pairs of students at school who hold one identity number or one 学籍号 (a 问题学籍 to
/// resolve by a key-data change or by deleting a duplicate): (the lower id, the higher, the
/// field: `id_number` or `student_number`).
pub async fn shared_numbers(conn: &mut Conn) -> Result<Vec<(i64, i64, String)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT a.id, b.id, 'id_number' FROM students a \
         JOIN students b ON b.id_number_index = a.id_number_index AND b.id > a.id \
         WHERE a.left_at IS NULL AND b.left_at IS NULL \
         UNION ALL \
         SELECT a.id, b.id, 'student_number' FROM students a \
         JOIN students b ON b.student_number_index = a.student_number_index AND b.id > a.id \
         WHERE a.left_at IS NULL AND b.left_at IS NULL \
         ORDER BY 1, 2, 3",
    )
    .fetch_all(conn)
    .await
}

/// Pairs of students at school, neither with a resident identity card (no GB 11643 number
/// tells them apart), alike in name, sex and birth date: (the lower id, the higher).
pub async fn look_alikes(conn: &mut Conn) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT a.id, b.id FROM students a \
         JOIN students b ON b.name = a.name AND b.sex = a.sex AND b.birth_date = a.birth_date \
         AND b.id > a.id \
         WHERE a.left_at IS NULL AND b.left_at IS NULL \
         AND a.document_type <> $1 AND b.document_type <> $1",
    )
    .bind(crate::domain::records::codes::ID_CARD)
    .fetch_all(conn)
    .await
}

/// Every student at school with a resident identity card: (id, public id, sex, birth date,
/// the sealed classified values), for the 问题学籍 check of their numbers.
pub async fn id_cards_at_school(
    conn: &mut Conn,
) -> Result<Vec<(i64, String, String, Option<NaiveDate>, Vec<u8>)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT id, public_id, sex, birth_date, sealed FROM students \
         WHERE left_at IS NULL AND document_type = $1 ORDER BY id",
    )
    .bind(crate::domain::records::codes::ID_CARD)
    .fetch_all(conn)
    .await
}

/// One student's row for the 问题学籍 check of their number, as `id_cards_at_school` gives
/// it: none when they are not at school or hold no resident identity card.
pub async fn id_card_of(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<(i64, String, String, Option<NaiveDate>, Vec<u8>)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT id, public_id, sex, birth_date, sealed FROM students \
         WHERE id = $1 AND left_at IS NULL AND document_type = $2",
    )
    .bind(id)
    .bind(crate::domain::records::codes::ID_CARD)
    .fetch_optional(conn)
    .await
}

/// The students at school whose identity number has one of `indexes` (blind indexes):
/// (the index, the student's id).
pub async fn at_school_by_id_index(
    conn: &mut Conn,
    indexes: &[Vec<u8>],
) -> Result<Vec<(Vec<u8>, i64)>, sqlx::Error> {
    let mut found = Vec::new();
    for chunk in indexes.chunks(500) {
        let marks = crate::db::placeholders(1, chunk.len());
        let sql = format!(
            "SELECT id_number_index, id FROM students \
             WHERE left_at IS NULL AND id_number_index IN ({marks})"
        );
        let mut query = crate::db::query_as(&sql);
        for index in chunk {
            query = query.bind(index);
        }
        found.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(found)
}

/// Who `ids` are, of students not destroyed: (id, public id, name, class id, whether 绝密,
/// since when they count as gone: none while at school, `kit::retention::left_since`).
pub async fn named(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<Vec<(i64, String, String, i64, bool, Option<DateTime<Utc>>)>, sqlx::Error> {
    let mut found = Vec::new();
    for chunk in ids.chunks(500) {
        let marks = crate::db::placeholders(1, chunk.len());
        let sql = format!(
            "SELECT id, public_id, name, class_id, top_secret, left_at, left_recorded_at \
             FROM students WHERE destroyed_at IS NULL AND id IN ({marks})"
        );
        let mut query = crate::db::query_as(&sql);
        for id in chunk {
            query = query.bind(id);
        }
        type Row = (
            i64,
            String,
            String,
            i64,
            bool,
            Option<DateTime<Utc>>,
            Option<DateTime<Utc>>,
        );
        let rows: Vec<Row> = query.fetch_all(&mut *conn).await?;
        found.extend(rows.into_iter().map(
            |(id, public_id, name, class, top_secret, left_at, recorded)| {
                let since = crate::kit::retention::left_since(left_at, recorded);
                (id, public_id, name, class, top_secret, since)
            },
        ));
    }
    Ok(found)
}
