//! Changes of status as stored: the application, its decision, and the student it changes.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{
    db::Conn,
    features::changes::views::{ChangeKind, ChangeState},
    features::structure::store::CURRENT_YEAR_ID,
};

/// One application with the names of the student, their class and the people in it.
#[derive(sqlx::FromRow)]
pub struct ChangeRow {
    pub id: i64,
    pub public_id: String,
    pub student_id: i64,
    pub student_public_id: String,
    pub student_name: String,
    /// The pupil is marked 绝密: their name is for records administrators only.
    pub top_secret: bool,
    pub school_year: String,
    pub grade: i64,
    pub class_name: String,
    pub kind: ChangeKind,
    pub reason: String,
    pub effective_on: NaiveDate,
    pub other_school: String,
    pub other_school_code: String,
    pub state: ChangeState,
    pub filed_by: i64,
    pub filer: String,
    pub filed_at: DateTime<Utc>,
    pub decided_by: Option<i64>,
    pub decider: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_comment: Option<String>,
    /// The class the approver picked (复学, 留级, 跳级).
    pub to_school_year: Option<String>,
    pub to_grade: Option<i64>,
    pub to_class_name: Option<String>,
    /// The student's class now, and whether they are suspended.
    pub student_class_id: i64,
    pub student_grade: i64,
    pub student_school_year: String,
    pub student_class_name: String,
    pub suspended: bool,
    /// A 关键数据变更's values (before and after), sealed; none for any other kind.
    pub sealed: Option<Vec<u8>>,
    /// When the student left, and when that was recorded: the record, and with it its
    /// applications, is archived a month later.
    pub student_left_at: Option<DateTime<Utc>>,
    pub student_left_recorded_at: Option<DateTime<Utc>>,
}

impl ChangeRow {
    /// Whether the student's record is archived at `now` (`kit::retention::archived`): no
    /// page opens its applications then.
    pub fn archived(&self, now: DateTime<Utc>) -> bool {
        let since =
            crate::kit::retention::left_since(self.student_left_at, self.student_left_recorded_at);
        crate::kit::retention::archived(since, now)
    }
}

const COLUMNS: &str = "x.id, x.public_id, x.student_id, s.public_id AS student_public_id, \
     s.name AS student_name, s.top_secret, y.name AS school_year, c.grade, c.name AS class_name, x.kind, \
     x.reason, x.effective_on, x.other_school, x.other_school_code, x.state, x.filed_by, \
     f.display_name AS filer, x.filed_at, x.decided_by, d.display_name AS decider, \
     x.decided_at, x.decision_comment, ty.name AS to_school_year, t.grade AS to_grade, \
     t.name AS to_class_name, s.class_id AS student_class_id, sc.grade AS student_grade, \
     sy.name AS student_school_year, sc.name AS student_class_name, \
     s.suspended_at IS NOT NULL AS suspended, x.sealed, s.left_at AS student_left_at, \
     s.left_recorded_at AS student_left_recorded_at \
     FROM status_changes x JOIN students s ON s.id = x.student_id \
     JOIN classes sc ON sc.id = s.class_id JOIN school_years sy ON sy.id = sc.school_year_id \
     JOIN classes c ON c.id = COALESCE(x.from_class_id, s.class_id) \
     JOIN school_years y ON y.id = c.school_year_id \
     LEFT JOIN classes t ON t.id = x.to_class_id LEFT JOIN school_years ty ON ty.id = t.school_year_id \
     JOIN users f ON f.id = x.filed_by LEFT JOIN users d ON d.id = x.decided_by";

/// What an application holds.
pub struct Application<'a> {
    pub public_id: &'a str,
    pub student_id: i64,
    pub kind: ChangeKind,
    pub reason: &'a str,
    pub effective_on: NaiveDate,
    pub other_school: &'a str,
    pub other_school_code: &'a str,
    pub filed_by: i64,
    /// A 关键数据变更's fields (their names, never values) and its values, sealed.
    pub key_data: Option<(&'a str, &'a [u8])>,
}

/// Inserts an application in `state`, filed at `filed_at`; a decided one (the carry-over's)
/// with its `decided_at`.
pub async fn insert(
    conn: &mut Conn,
    a: &Application<'_>,
    state: ChangeState,
    filed_at: DateTime<Utc>,
    decided_at: Option<DateTime<Utc>>,
) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "INSERT INTO status_changes (public_id, student_id, kind, reason, effective_on, \
         other_school, other_school_code, state, filed_by, filed_at, decided_at, from_class_id, \
         key_fields, sealed) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
         (SELECT class_id FROM students WHERE id = $2), $12, $13) RETURNING id",
    )
    .bind(a.public_id)
    .bind(a.student_id)
    .bind(a.kind)
    .bind(a.reason)
    .bind(a.effective_on)
    .bind(a.other_school)
    .bind(a.other_school_code)
    .bind(state)
    .bind(a.filed_by)
    .bind(filed_at)
    .bind(decided_at)
    .bind(a.key_data.map_or("", |(fields, _)| fields))
    .bind(a.key_data.map(|(_, sealed)| sealed))
    .fetch_one(conn)
    .await
}

pub async fn find(conn: &mut Conn, public_id: &str) -> Result<Option<ChangeRow>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT {COLUMNS} WHERE x.public_id = $1 AND s.destroyed_at IS NULL"
    ))
    .bind(public_id)
    .fetch_optional(conn)
    .await
}

/// The application waiting for a decision on `student`, by opaque id.
pub async fn filed_for(conn: &mut Conn, student: i64) -> Result<Option<String>, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT public_id FROM status_changes WHERE student_id = $1 AND state = 'filed'",
    )
    .bind(student)
    .fetch_optional(conn)
    .await
}

/// Where `student` stands with changes of status: the application waiting for a decision
/// (its opaque id), whether an approved one made them leave (which only another change
/// undoes, not a records administrator alone), and the approved 转入 that registered them
/// (the school they came from, the day).
pub async fn standing(
    conn: &mut Conn,
    student: i64,
) -> Result<(Option<String>, bool, Option<(String, NaiveDate)>), sqlx::Error> {
    let (waiting, approved, from, on): (Option<String>, bool, Option<String>, Option<NaiveDate>) =
        crate::db::query_as(&STANDING)
            .bind(student)
            .fetch_one(conn)
            .await?;
    Ok((waiting, approved, from.zip(on)))
}

/// The kinds whose approval makes a student leave, as SQL's list: `'transfer_out', …`.
fn leaving_kinds() -> String {
    ChangeKind::ALL
        .iter()
        .filter(|k| {
            matches!(
                k.effect(),
                crate::features::changes::views::Effect::Leave(_)
            )
        })
        .map(|k| format!("'{}'", k.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

static STANDING: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "SELECT (SELECT public_id FROM status_changes WHERE student_id = $1 AND state = 'filed'), \
         EXISTS (SELECT 1 FROM status_changes WHERE student_id = $1 AND state = 'approved' \
          AND kind IN ({})), \
         (SELECT other_school FROM status_changes WHERE student_id = $1 AND state = 'approved' \
          AND kind = 'transfer_in' ORDER BY id DESC LIMIT 1), \
         (SELECT effective_on FROM status_changes WHERE student_id = $1 AND state = 'approved' \
          AND kind = 'transfer_in' ORDER BY id DESC LIMIT 1)",
        leaving_kinds()
    )
});

/// Leaves out the applications of archived records (`at`, a placeholder: those who left
/// before it, by the later of the day and its recording, are archived).
fn not_archived(at: &str) -> String {
    format!(
        "(s.left_at IS NULL OR s.left_at >= {at} OR COALESCE(s.left_recorded_at, s.left_at) >= {at})"
    )
}

/// The applications `user` filed, newest first, but those of archived records.
pub async fn filed_by(
    conn: &mut Conn,
    user: i64,
    limit: i64,
    archived_before: DateTime<Utc>,
) -> Result<Vec<ChangeRow>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT {COLUMNS} WHERE x.filed_by = $1 AND s.destroyed_at IS NULL AND {} \
         ORDER BY x.id DESC LIMIT $2",
        not_archived("$3")
    ))
    .bind(user)
    .bind(limit)
    .bind(archived_before)
    .fetch_all(conn)
    .await
}

/// The applications waiting for a decision that `user` did not file, oldest first, but
/// those of archived records (a pupil who graduated while one waited).
pub async fn to_decide(
    conn: &mut Conn,
    user: i64,
    limit: i64,
    archived_before: DateTime<Utc>,
) -> Result<Vec<ChangeRow>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT {COLUMNS} WHERE x.state = 'filed' AND x.filed_by <> $1 \
         AND s.destroyed_at IS NULL AND {} ORDER BY x.id LIMIT $2",
        not_archived("$3")
    ))
    .bind(user)
    .bind(limit)
    .bind(archived_before)
    .fetch_all(conn)
    .await
}

/// The latest applications `user` decided, newest first, but those of archived records.
pub async fn decided_by(
    conn: &mut Conn,
    user: i64,
    limit: i64,
    archived_before: DateTime<Utc>,
) -> Result<Vec<ChangeRow>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT {COLUMNS} WHERE x.decided_by = $1 AND x.state IN ('approved', 'returned') \
         AND s.destroyed_at IS NULL AND {} \
         ORDER BY x.decided_at DESC, x.id DESC LIMIT $2",
        not_archived("$3")
    ))
    .bind(user)
    .bind(limit)
    .bind(archived_before)
    .fetch_all(conn)
    .await
}

/// When each application still waiting was filed, of those filed before `before`.
pub async fn filed_before(
    conn: &mut Conn,
    before: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT x.filed_at FROM status_changes x JOIN students s ON s.id = x.student_id \
         WHERE x.state = 'filed' AND x.filed_at < $1 AND s.destroyed_at IS NULL",
    )
    .bind(before)
    .fetch_all(conn)
    .await
}

/// The applications waiting that `user` did not file: how many, since when the oldest
/// waits, and its opaque id.
pub async fn oldest_to_decide(
    conn: &mut Conn,
    user: i64,
) -> Result<crate::kit::workflow::QueueHead, sqlx::Error> {
    let (count, since, first): (i64, Option<DateTime<Utc>>, Option<String>) = crate::db::query_as(
        "SELECT COUNT(*), MIN(x.filed_at), \
             (SELECT y.public_id FROM status_changes y JOIN students t ON t.id = y.student_id \
              WHERE y.state = 'filed' AND y.filed_by <> $1 AND t.destroyed_at IS NULL \
              ORDER BY y.id LIMIT 1) \
             FROM status_changes x JOIN students s ON s.id = x.student_id \
             WHERE x.state = 'filed' AND x.filed_by <> $1 AND s.destroyed_at IS NULL",
    )
    .bind(user)
    .fetch_one(conn)
    .await?;
    Ok(crate::kit::workflow::QueueHead {
        count,
        since,
        first,
    })
}

/// The header's count for a leader: applications waiting that `$1` did not file.
pub const TO_DECIDE_TALLY: crate::kit::workflow::Tally = crate::kit::workflow::Tally::of(
    "SELECT COUNT(*) FROM status_changes x JOIN students s ON s.id = x.student_id \
     WHERE x.state = 'filed' AND x.filed_by <> $1 AND s.destroyed_at IS NULL",
);

/// Keeps the decision and the class its approver picked (the state is the workflow
/// kernel's to move).
pub async fn decide(
    conn: &mut Conn,
    id: i64,
    by: i64,
    comment: Option<&str>,
    to_class: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE status_changes SET decided_by = $1, decided_at = $2, decision_comment = $3, \
         to_class_id = $4 WHERE id = $5",
    )
    .bind(by)
    .bind(now)
    .bind(comment)
    .bind(to_class)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// A student a change is filed for, as the check needs them: (id, their class's homeroom
/// teacher); none for an id that names no student, a destroyed one or an archived one at
/// `now`.
pub async fn student(
    conn: &mut Conn,
    public_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<(i64, Option<i64>)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT s.id, c.homeroom_teacher_id FROM students s JOIN classes c ON c.id = s.class_id \
         WHERE s.public_id = $1 AND s.destroyed_at IS NULL AND (s.left_at IS NULL \
         OR s.left_at >= $2 OR COALESCE(s.left_recorded_at, s.left_at) >= $2)",
    )
    .bind(public_id)
    .bind(crate::kit::retention::archived_before(now))
    .fetch_optional(conn)
    .await
}

/// Where a student stands for a new application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    /// The first day a change may take effect: neither before their birth, the first of
    /// their enrolment month, nor their last approved change.
    pub earliest: NaiveDate,
    pub suspended: bool,
    /// A record never verified and with no 转入 approved: a 转入 may register it.
    pub new_entry: bool,
}

/// Where `student` stands for a new application; none for a student no longer at school
/// (left or destroyed).
pub async fn earliest(conn: &mut Conn, student: i64) -> Result<Option<Standing>, sqlx::Error> {
    type Row = (Option<NaiveDate>, String, Option<NaiveDate>, bool, bool);
    let found: Option<Row> = crate::db::query_as(
        "SELECT s.birth_date, s.enrolment_month, (SELECT MAX(x.effective_on) FROM status_changes x \
         WHERE x.student_id = s.id AND x.state = 'approved'), s.suspended_at IS NOT NULL, \
         s.verified_once_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM status_changes x WHERE x.student_id = s.id \
                         AND x.kind = 'transfer_in' AND x.state = 'approved') \
         FROM students s WHERE s.id = $1 AND s.left_at IS NULL AND s.destroyed_at IS NULL",
    )
    .bind(student)
    .fetch_optional(conn)
    .await?;
    Ok(found.map(|(born, enrolled, last, suspended, new_entry)| {
        let enrolled = NaiveDate::parse_from_str(&format!("{enrolled}-01"), "%Y-%m-%d")
            .unwrap_or(NaiveDate::MIN);
        let earliest = born
            .unwrap_or(NaiveDate::MIN)
            .max(enrolled)
            .max(last.unwrap_or(NaiveDate::MIN));
        Standing {
            earliest,
            suspended,
            new_entry,
        }
    }))
}

/// Whether `student` is still at school (a 转入's approval changes nothing else).
pub async fn at_school(conn: &mut Conn, student: i64) -> Result<bool, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM students WHERE id = $1 AND left_at IS NULL \
         AND destroyed_at IS NULL)",
    )
    .bind(student)
    .fetch_one(conn)
    .await
}

/// Whether a 转入 of `student` waits for its approval: their record is not verified before.
pub async fn transfer_in_waiting(conn: &mut Conn, student: i64) -> Result<bool, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM status_changes WHERE student_id = $1 \
         AND kind = 'transfer_in' AND state = 'filed')",
    )
    .bind(student)
    .fetch_one(conn)
    .await
}

/// The classes of the current school year (the one that starts last, as the records
/// overview reads it) of grades `lowest` to `highest`, not moved on: (id, opaque id, school
/// year, grade, name), by grade and name.
pub async fn class_choices(
    conn: &mut Conn,
    lowest: i64,
    highest: i64,
) -> Result<Vec<(i64, String, String, i64, String)>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT c.id, c.public_id, y.name, c.grade, c.name FROM classes c \
         JOIN school_years y ON y.id = c.school_year_id \
         WHERE c.school_year_id = {CURRENT_YEAR_ID} \
         AND c.promoted_to IS NULL AND c.grade BETWEEN $1 AND $2 ORDER BY c.grade, c.name",
    ))
    .bind(lowest)
    .bind(highest)
    .fetch_all(conn)
    .await
}

/// How many school years began after the year of class `class` (a suspended student's: how
/// many rollovers left them behind).
pub async fn years_since(conn: &mut Conn, class: i64) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT COUNT(*) FROM school_years WHERE starts_on > \
         (SELECT y.starts_on FROM classes c JOIN school_years y ON y.id = c.school_year_id \
          WHERE c.id = $1)",
    )
    .bind(class)
    .fetch_one(conn)
    .await
}

/// The student is suspended as of `at` (a further suspension counts from its own day).
pub async fn suspend(
    conn: &mut Conn,
    student: i64,
    at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    Ok(crate::db::query(
        "UPDATE students SET suspended_at = $1 \
         WHERE id = $2 AND left_at IS NULL AND destroyed_at IS NULL",
    )
    .bind(at)
    .bind(student)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The student goes to class `class`, a resumption (`resumes`) ending their suspension;
/// nothing changes for a student who left meanwhile, or whose suspension is not as the
/// application found it.
pub async fn move_to(
    conn: &mut Conn,
    student: i64,
    class: i64,
    resumes: bool,
) -> Result<bool, sqlx::Error> {
    Ok(crate::db::query(
        "UPDATE students SET class_id = $1, suspended_at = NULL \
         WHERE id = $2 AND left_at IS NULL AND destroyed_at IS NULL \
         AND (suspended_at IS NOT NULL) = $3",
    )
    .bind(class)
    .bind(student)
    .bind(resumes)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// A suspended student, for the reminder: (opaque id, name, school year, grade, class, since).
pub type Suspended = (String, String, String, i64, String, DateTime<Utc>);

/// The students suspended since before `since` and still suspended (a year on, 复学 or a
/// further 休学 is due), longest first.
pub async fn suspended_since(
    conn: &mut Conn,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Suspended>, sqlx::Error> {
    crate::db::query_as(
        "SELECT s.public_id, s.name, y.name, c.grade, c.name, s.suspended_at \
         FROM students s JOIN classes c ON c.id = s.class_id \
         JOIN school_years y ON y.id = c.school_year_id \
         WHERE s.suspended_at IS NOT NULL AND s.suspended_at <= $1 AND s.left_at IS NULL \
         AND s.destroyed_at IS NULL ORDER BY s.suspended_at, s.id LIMIT $2",
    )
    .bind(since)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The student leaves: as of `at` for `reason` (`transferred` or `other`), recorded `now`,
/// prepared by `by` (the records administrator who filed the change). Nothing changes for a
/// student who left meanwhile.
pub async fn leave(
    conn: &mut Conn,
    student: i64,
    reason: &str,
    at: DateTime<Utc>,
    by: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    Ok(crate::db::query(
        "UPDATE students SET left_at = $1, left_reason = $2, left_recorded_at = $3, \
         left_marked_by = $4, suspended_at = NULL WHERE id = $5 AND left_at IS NULL AND destroyed_at IS NULL",
    )
    .bind(at)
    .bind(reason)
    .bind(now)
    .bind(by)
    .bind(student)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// A leaving marked before changes of status needed a leader's approval: (student, when
/// they left, `transferred` or `other`, who marked it, when it was recorded). Graduates are
/// no change of status; destroyed students keep nothing to carry over.
pub type EarlierLeaving = (i64, DateTime<Utc>, String, i64, Option<DateTime<Utc>>);

const EARLIER_LEAVINGS: &str = "FROM students s WHERE s.left_at IS NOT NULL \
     AND s.left_reason IN ('transferred', 'other') AND s.left_marked_by IS NOT NULL \
     AND s.destroyed_at IS NULL \
     AND NOT EXISTS (SELECT 1 FROM status_changes x WHERE x.student_id = s.id AND x.state = 'approved')";

/// How many leavings wait to be carried over.
pub async fn earlier_leavings_count(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(&format!("SELECT COUNT(*) {EARLIER_LEAVINGS}"))
        .fetch_one(conn)
        .await
}

/// The next `limit` leavings to carry over, by student.
pub async fn earlier_leavings(
    conn: &mut Conn,
    limit: i64,
) -> Result<Vec<EarlierLeaving>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT s.id, s.left_at, s.left_reason, s.left_marked_by, s.left_recorded_at \
         {EARLIER_LEAVINGS} ORDER BY s.id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Leavings no records administrator is named for (marked before the portal kept who
/// marked them): they stay as they are, and the start says how many.
pub async fn unattributed_leavings(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT COUNT(*) FROM students s WHERE s.left_at IS NOT NULL \
         AND COALESCE(s.left_reason, 'other') <> 'graduated' AND s.left_marked_by IS NULL \
         AND s.destroyed_at IS NULL",
    )
    .fetch_one(conn)
    .await
}

/// Per class of the current school year (the latest begun), its changes of status this
/// term: (class id, transferred out, transferred in, left otherwise, applications waiting).
/// A change counts from the later of the school year's first day and `term_from`
/// (`domain::calendar::term_start`: 1 February in the spring term); earlier years' classes
/// are not read. A deleted duplicate is no leaving.
pub async fn per_class(
    conn: &mut Conn,
    term_from: NaiveDate,
) -> Result<Vec<(i64, i64, i64, i64, i64)>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT s.class_id, \
         COUNT(*) FILTER (WHERE x.state = 'approved' AND x.kind = 'transfer_out' \
                          AND x.effective_on >= y.starts_on AND x.effective_on >= $1), \
         COUNT(*) FILTER (WHERE x.state = 'approved' AND x.kind = 'transfer_in' \
                          AND x.effective_on >= y.starts_on AND x.effective_on >= $1), \
         COUNT(*) FILTER (WHERE x.state = 'approved' \
                          AND x.kind IN ('drop_out', 'death', 'abroad', 'other_leave') \
                          AND x.effective_on >= y.starts_on AND x.effective_on >= $1), \
         COUNT(*) FILTER (WHERE x.state = 'filed') \
         FROM status_changes x JOIN students s ON s.id = x.student_id \
         JOIN classes c ON c.id = s.class_id JOIN school_years y ON y.id = c.school_year_id \
         WHERE s.destroyed_at IS NULL AND x.state IN ('approved', 'filed') \
         AND c.school_year_id = {CURRENT_YEAR_ID} \
         GROUP BY s.class_id",
    ))
    .bind(term_from)
    .fetch_all(conn)
    .await
}

/// A proof as listed: (opaque id, media type, size in bytes, uploaded at).
pub type ProofListed = (String, String, i64, DateTime<Utc>);

/// Keeps a proof of change `change`, sealed.
#[allow(clippy::too_many_arguments)]
pub async fn insert_proof(
    conn: &mut Conn,
    public_id: &str,
    change: i64,
    media_type: &str,
    size: i64,
    sealed: &[u8],
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO status_change_proofs \
         (public_id, change_id, media_type, size, sealed, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(public_id)
    .bind(change)
    .bind(media_type)
    .bind(size)
    .bind(sealed)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The proofs of change `change`, in the order they came.
pub async fn proofs_of(conn: &mut Conn, change: i64) -> Result<Vec<ProofListed>, sqlx::Error> {
    crate::db::query_as(
        "SELECT public_id, media_type, size, uploaded_at FROM status_change_proofs \
         WHERE change_id = $1 ORDER BY id",
    )
    .bind(change)
    .fetch_all(conn)
    .await
}

/// One proof of change `change`: (media type, sealed bytes).
pub async fn proof(
    conn: &mut Conn,
    change: i64,
    public_id: &str,
) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT media_type, sealed FROM status_change_proofs \
         WHERE change_id = $1 AND public_id = $2",
    )
    .bind(change)
    .bind(public_id)
    .fetch_optional(conn)
    .await
}

/// Each approved 关键数据变更: (student, the fields it changed (`name,id_number`), its
/// approver, when it was decided). A problem the national system reported of a pupil's
/// number before such a decision of its fields is settled by it, and 佐证 given before one
/// no longer stands (the problem records' rules).
pub async fn key_data_decided(
    conn: &mut Conn,
) -> Result<Vec<(i64, String, i64, DateTime<Utc>)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT student_id, key_fields, decided_by, decided_at FROM status_changes \
         WHERE kind = 'key_data' AND state = 'approved' AND decided_by IS NOT NULL \
         AND decided_at IS NOT NULL",
    )
    .fetch_all(conn)
    .await
}

/// The approved deletions of duplicate records, newest first, `limit` at most, but those of
/// archived records (`archived_before`, as the lists leave them out): (student, reason,
/// filer's name, approver's name, when it was decided).
pub async fn duplicates_deleted(
    conn: &mut Conn,
    limit: i64,
    archived_before: DateTime<Utc>,
) -> Result<Vec<(i64, String, String, String, DateTime<Utc>)>, sqlx::Error> {
    crate::db::query_as(&format!(
        "SELECT x.student_id, x.reason, f.display_name, d.display_name, x.decided_at \
         FROM status_changes x JOIN students s ON s.id = x.student_id \
         JOIN users f ON f.id = x.filed_by JOIN users d ON d.id = x.decided_by \
         WHERE x.kind = 'duplicate' AND x.state = 'approved' AND x.decided_at IS NOT NULL \
         AND s.destroyed_at IS NULL AND {} \
         ORDER BY x.decided_at DESC, x.id DESC LIMIT $1",
        not_archived("$2")
    ))
    .bind(limit)
    .bind(archived_before)
    .fetch_all(conn)
    .await
}
