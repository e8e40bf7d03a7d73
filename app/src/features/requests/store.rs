//! The information requests' SQL: requests, their students and fields, the openings of a
//! release. No released value is written here: students by id, fields by key.

use chrono::{DateTime, Utc};

use crate::{db::Conn, kit::workflow::QueueHead};

pub struct NewRequest<'a> {
    pub public_id: &'a str,
    pub requester_id: i64,
    pub purpose: &'a str,
    pub reason: &'a str,
    pub outside_party: Option<&'a str>,
    pub letter_reference: Option<&'a str>,
    pub window_hours: i64,
    pub top_secret: bool,
    pub filed_at: DateTime<Utc>,
    pub lapses_at: DateTime<Utc>,
}

/// Files a request in the state `requested`, with its students and fields.
pub async fn insert(
    conn: &mut Conn,
    r: &NewRequest<'_>,
    students: &[i64],
    fields: &[String],
) -> Result<i64, sqlx::Error> {
    let id: i64 = crate::db::query_scalar(
        "INSERT INTO info_requests (public_id, requester_id, state, purpose, reason, outside_party, \
         letter_reference, window_hours, top_secret, filed_at, lapses_at) \
         VALUES ($1, $2, 'requested', $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(r.public_id)
    .bind(r.requester_id)
    .bind(r.purpose)
    .bind(r.reason)
    .bind(r.outside_party)
    .bind(r.letter_reference)
    .bind(r.window_hours)
    .bind(r.top_secret)
    .bind(r.filed_at)
    .bind(r.lapses_at)
    .fetch_one(&mut *conn)
    .await?;
    for chunk in students.chunks(200) {
        let mut q = crate::db::QueryBuilder::new(
            "INSERT INTO info_request_students (request_id, student_id) ",
        );
        q.push_values(chunk, |mut b, s| {
            b.push_bind(id).push_bind(*s);
        });
        q.build().execute(&mut *conn).await?;
    }
    let mut q =
        crate::db::QueryBuilder::new("INSERT INTO info_request_fields (request_id, field) ");
    q.push_values(fields, |mut b, f| {
        b.push_bind(id).push_bind(f.as_str());
    });
    q.build().execute(&mut *conn).await?;
    Ok(id)
}

/// A request as stored, with the names of the people who took part.
#[derive(Clone, Debug)]
pub struct RequestRow {
    pub id: i64,
    pub public_id: String,
    pub requester_id: i64,
    pub requester_name: String,
    pub requester_username: String,
    pub state: String,
    pub purpose: String,
    pub reason: String,
    pub outside_party: Option<String>,
    pub letter_reference: Option<String>,
    pub window_hours: i64,
    pub top_secret: bool,
    pub filed_at: DateTime<Utc>,
    pub lapses_at: DateTime<Utc>,
    pub decided_by: Option<i64>,
    pub decider_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_comment: Option<String>,
    pub fulfilled_by: Option<i64>,
    pub fulfiller_name: Option<String>,
    pub released_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub ender_name: Option<String>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
    /// How many students and fields it names now: as requested until it is decided, as
    /// approved (narrowed) once it is, as released once it is.
    pub student_count: i64,
    pub field_count: i64,
}

const SELECT: &str = "SELECT r.id, r.public_id, r.requester_id, q.display_name AS requester_name, \
     q.username AS requester_username, r.state, r.purpose, r.reason, r.outside_party, \
     r.letter_reference, r.window_hours, r.top_secret, r.filed_at, r.lapses_at, r.decided_by, \
     d.display_name AS decider_name, r.decided_at, r.decision_comment, r.fulfilled_by, \
     f.display_name AS fulfiller_name, r.released_at, r.ends_at, e.display_name AS ender_name, \
     r.ended_at, r.end_reason, \
     (SELECT COUNT(*) FROM info_request_students c WHERE c.request_id = r.id \
      AND (r.decided_at IS NULL OR r.state = 'rejected' OR c.approved) \
      AND (r.released_at IS NULL OR c.released)) AS student_count, \
     (SELECT COUNT(*) FROM info_request_fields c WHERE c.request_id = r.id \
      AND (r.decided_at IS NULL OR r.state = 'rejected' OR c.approved) \
      AND (r.released_at IS NULL OR c.released)) AS field_count \
     FROM info_requests r JOIN users q ON q.id = r.requester_id \
     LEFT JOIN users d ON d.id = r.decided_by LEFT JOIN users f ON f.id = r.fulfilled_by \
     LEFT JOIN users e ON e.id = r.ended_by";

fn request(row: crate::db::Row) -> Result<RequestRow, sqlx::Error> {
    Ok(RequestRow {
        id: row.try_get("id")?,
        public_id: row.try_get("public_id")?,
        requester_id: row.try_get("requester_id")?,
        requester_name: row.try_get("requester_name")?,
        requester_username: row.try_get("requester_username")?,
        state: row.try_get("state")?,
        purpose: row.try_get("purpose")?,
        reason: row.try_get("reason")?,
        outside_party: row.try_get("outside_party")?,
        letter_reference: row.try_get("letter_reference")?,
        window_hours: row.try_get("window_hours")?,
        top_secret: row.try_get::<bool, _>("top_secret")?,
        filed_at: row.try_get("filed_at")?,
        lapses_at: row.try_get("lapses_at")?,
        decided_by: row.try_get("decided_by")?,
        decider_name: row.try_get("decider_name")?,
        decided_at: row.try_get("decided_at")?,
        decision_comment: row.try_get("decision_comment")?,
        fulfilled_by: row.try_get("fulfilled_by")?,
        fulfiller_name: row.try_get("fulfiller_name")?,
        released_at: row.try_get("released_at")?,
        ends_at: row.try_get("ends_at")?,
        ender_name: row.try_get("ender_name")?,
        ended_at: row.try_get("ended_at")?,
        end_reason: row.try_get("end_reason")?,
        student_count: row.try_get("student_count")?,
        field_count: row.try_get("field_count")?,
    })
}

pub async fn find(conn: &mut Conn, public_id: &str) -> Result<Option<RequestRow>, sqlx::Error> {
    crate::db::query(&format!("{SELECT} WHERE r.public_id = $1"))
        .bind(public_id)
        .fetch_optional(conn)
        .await?
        .map(request)
        .transpose()
}

pub async fn find_by_id(conn: &mut Conn, id: i64) -> Result<Option<RequestRow>, sqlx::Error> {
    crate::db::query(&format!("{SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(request)
        .transpose()
}

/// Which requests a list shows.
pub enum Listing<'a> {
    /// One person's own.
    Filed(i64),
    /// Waiting for a leader's decision, but `except`'s own.
    AwaitingDecision { except: i64 },
    /// Approved and waiting for fulfilment, but those `except` filed or decided.
    AwaitingRelease { except: i64 },
    /// The register: all, filtered.
    Register(&'a RegisterFilter),
}

/// The register's filters.
#[derive(Clone, Debug, Default)]
pub struct RegisterFilter {
    pub state: Option<String>,
    pub purpose: Option<String>,
    pub requester: Option<i64>,
    pub filed_from: Option<DateTime<Utc>>,
    pub filed_before: Option<DateTime<Utc>>,
}

pub async fn list(
    conn: &mut Conn,
    listing: Listing<'_>,
    limit: i64,
) -> Result<Vec<RequestRow>, sqlx::Error> {
    let mut q = crate::db::QueryBuilder::new(SELECT);
    q.push(" WHERE 1 = 1");
    match listing {
        Listing::Filed(user) => {
            q.push(" AND r.requester_id = ").push_bind(user);
        }
        Listing::AwaitingDecision { except } => {
            q.push(" AND r.state = 'requested' AND r.requester_id <> ")
                .push_bind(except);
        }
        Listing::AwaitingRelease { except } => {
            q.push(" AND r.state = 'approved' AND r.requester_id <> ")
                .push_bind(except)
                .push(" AND r.decided_by <> ")
                .push_bind(except);
        }
        Listing::Register(f) => {
            if let Some(state) = &f.state {
                q.push(" AND r.state = ").push_bind(state.clone());
            }
            if let Some(purpose) = &f.purpose {
                q.push(" AND r.purpose = ").push_bind(purpose.clone());
            }
            if let Some(requester) = f.requester {
                q.push(" AND r.requester_id = ").push_bind(requester);
            }
            if let Some(from) = f.filed_from {
                q.push(" AND r.filed_at >= ").push_bind(from);
            }
            if let Some(before) = f.filed_before {
                q.push(" AND r.filed_at < ").push_bind(before);
            }
        }
    }
    q.push(" ORDER BY r.id DESC LIMIT ").push_bind(limit);
    q.build()
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(request)
        .collect()
}

/// The header's tallies (`$1` the viewer), as [`waiting`] counts them: the requests of
/// others waiting for a decision, and those approved by someone else waiting for release.
pub const DECIDE_TALLY: crate::kit::workflow::Tally = crate::kit::workflow::Tally::of(
    "SELECT COUNT(*) FROM info_requests WHERE state = 'requested' AND requester_id <> $1",
);
pub const FULFIL_TALLY: crate::kit::workflow::Tally = crate::kit::workflow::Tally::of(
    "SELECT COUNT(*) FROM info_requests WHERE state = 'approved' AND decided_by <> $1 \
     AND requester_id <> $1",
);

/// How many requests wait for a decision by someone other than `except`, and how many wait
/// for a fulfilment by someone who neither filed nor decided them.
pub async fn waiting(conn: &mut Conn, except: i64) -> Result<(i64, i64), sqlx::Error> {
    crate::db::query_as(
        "SELECT COUNT(*) FILTER (WHERE state = 'requested'), \
         COUNT(*) FILTER (WHERE state = 'approved' AND decided_by <> $1) \
         FROM info_requests WHERE state IN ('requested', 'approved') AND requester_id <> $1",
    )
    .bind(except)
    .fetch_one(conn)
    .await
}

/// The requests that wait for someone other than their requester: to decide (`requested`,
/// not lapsed by `now`) or, approved by someone other than `except`, to release. Of each:
/// how many, since when the oldest waits, and its opaque id.
pub async fn oldest_waiting(
    conn: &mut Conn,
    except: i64,
    state: &str,
    now: DateTime<Utc>,
) -> Result<QueueHead, sqlx::Error> {
    let head: Option<QueueHead> = crate::db::query_as(
        "SELECT COUNT(*) OVER () AS count, \
         MIN(CASE WHEN state = 'approved' THEN decided_at ELSE filed_at END) OVER () AS since, \
         public_id AS first FROM info_requests \
         WHERE state = $2 AND requester_id <> $1 AND lapses_at > $3 \
         AND (state = 'requested' OR decided_by <> $1) \
         ORDER BY CASE WHEN state = 'approved' THEN decided_at ELSE filed_at END, id LIMIT 1",
    )
    .bind(except)
    .bind(state)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(head.unwrap_or_default())
}

/// A student of a request, with what the request holds of them.
#[derive(sqlx::FromRow)]
pub struct RequestStudent {
    pub id: i64,
    pub public_id: String,
    pub name: String,
    pub class_id: i64,
    pub approved: bool,
    pub released: bool,
    /// 绝密 now.
    pub top_secret: bool,
}

pub async fn students(
    conn: &mut Conn,
    request_id: i64,
) -> Result<Vec<RequestStudent>, sqlx::Error> {
    crate::db::query_as(
        "SELECT s.id, s.public_id, s.name, s.class_id, i.approved, i.released, s.top_secret \
         FROM info_request_students i JOIN students s ON s.id = i.student_id \
         WHERE i.request_id = $1 ORDER BY s.class_id, s.name, s.id",
    )
    .bind(request_id)
    .fetch_all(conn)
    .await
}

/// A field of a request, with whether it was approved and released.
#[derive(sqlx::FromRow)]
pub struct RequestField {
    pub field: String,
    pub approved: bool,
    pub released: bool,
}

pub async fn fields(conn: &mut Conn, request_id: i64) -> Result<Vec<RequestField>, sqlx::Error> {
    crate::db::query_as(
        "SELECT field, approved, released FROM info_request_fields WHERE request_id = $1 ORDER BY field",
    )
    .bind(request_id)
    .fetch_all(conn)
    .await
}

/// Marks the students and fields a step keeps: `column` is `approved` or `released`.
pub async fn keep(
    conn: &mut Conn,
    request_id: i64,
    column: Kept,
    students: &[i64],
    fields: &[String],
) -> Result<(), sqlx::Error> {
    let column = match column {
        Kept::Approved => "approved",
        Kept::Released => "released",
    };
    for chunk in students.chunks(200) {
        let mut q = crate::db::QueryBuilder::new(format!(
            "UPDATE info_request_students SET {column} = TRUE WHERE request_id = "
        ));
        q.push_bind(request_id).push(" AND student_id IN (");
        let mut list = q.separated(", ");
        for s in chunk {
            list.push_bind(*s);
        }
        q.push(")");
        q.build().execute(&mut *conn).await?;
    }
    let mut q = crate::db::QueryBuilder::new(format!(
        "UPDATE info_request_fields SET {column} = TRUE WHERE request_id = "
    ));
    q.push_bind(request_id).push(" AND field IN (");
    let mut list = q.separated(", ");
    for f in fields {
        list.push_bind(f.as_str());
    }
    q.push(")");
    q.build().execute(&mut *conn).await?;
    Ok(())
}

#[derive(Clone, Copy)]
pub enum Kept {
    Approved,
    Released,
}

pub async fn set_decision(
    conn: &mut Conn,
    id: i64,
    by: i64,
    at: DateTime<Utc>,
    comment: Option<&str>,
    window_hours: i64,
    lapses_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE info_requests SET decided_by = $1, decided_at = $2, decision_comment = $3, \
         window_hours = $4, lapses_at = $5 WHERE id = $6",
    )
    .bind(by)
    .bind(at)
    .bind(comment)
    .bind(window_hours)
    .bind(lapses_at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_released(
    conn: &mut Conn,
    id: i64,
    by: i64,
    at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE info_requests SET fulfilled_by = $1, released_at = $2, ends_at = $3 WHERE id = $4",
    )
    .bind(by)
    .bind(at)
    .bind(ends_at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_ended(
    conn: &mut Conn,
    id: i64,
    by: Option<i64>,
    at: DateTime<Utc>,
    reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "UPDATE info_requests SET ended_by = $1, ended_at = $2, end_reason = $3 WHERE id = $4",
    )
    .bind(by)
    .bind(at)
    .bind(reason)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_disclosure(
    conn: &mut Conn,
    request_id: i64,
    viewer: i64,
    at: DateTime<Utc>,
    client: Option<&str>,
    top_secret_shown: bool,
    audit_seq: i64,
    opening: &str,
) -> Result<(), sqlx::Error> {
    crate::db::query(
        "INSERT INTO disclosures (request_id, viewer_id, opened_at, client, top_secret_shown, \
         audit_seq, opening) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(request_id)
    .bind(viewer)
    .bind(at)
    .bind(client)
    .bind(top_secret_shown)
    .bind(audit_seq)
    .bind(opening)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether `opening` is an opening of this release by `viewer`, from the same client address,
/// that showed 绝密 values or not as `top_secret_shown` says (a reload showing more than its
/// opening did, or the link carried to another computer, is a new opening).
pub async fn is_opening(
    conn: &mut Conn,
    request_id: i64,
    viewer: i64,
    opening: &str,
    top_secret_shown: bool,
    client: Option<&str>,
) -> Result<bool, sqlx::Error> {
    Ok(crate::db::query_scalar::<i64>(
        "SELECT id FROM disclosures WHERE opening = $1 AND request_id = $2 AND viewer_id = $3 \
         AND top_secret_shown = $4 AND (client = $5 OR (client IS NULL AND $5 IS NULL))",
    )
    .bind(opening)
    .bind(request_id)
    .bind(viewer)
    .bind(top_secret_shown)
    .bind(client)
    .fetch_optional(conn)
    .await?
    .is_some())
}

/// The openings of a release: (when, from where, whether 绝密 fields were shown).
pub async fn disclosures(
    conn: &mut Conn,
    request_id: i64,
) -> Result<Vec<(DateTime<Utc>, Option<String>, bool)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT opened_at, client, top_secret_shown FROM disclosures WHERE request_id = $1 ORDER BY id",
    )
    .bind(request_id)
    .fetch_all(conn)
    .await
}

/// The requests that released data of `student_id`, newest first.
pub async fn released_for_student(
    conn: &mut Conn,
    student_id: i64,
) -> Result<Vec<RequestRow>, sqlx::Error> {
    crate::db::query(&format!(
        "{SELECT} WHERE r.released_at IS NOT NULL AND r.id IN (SELECT request_id FROM \
         info_request_students WHERE student_id = $1 AND released) ORDER BY r.id DESC"
    ))
    .bind(student_id)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(request)
    .collect()
}

/// The staff who filed requests: (id, display name).
pub async fn requesters(conn: &mut Conn) -> Result<Vec<(i64, String)>, sqlx::Error> {
    crate::db::query_as(
        "SELECT DISTINCT u.id, u.display_name FROM info_requests r \
         JOIN users u ON u.id = r.requester_id ORDER BY u.display_name",
    )
    .fetch_all(conn)
    .await
}

/// How many requests were released in `[start, end)`.
pub async fn released_between(
    conn: &mut Conn,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT COUNT(*) FROM info_requests WHERE released_at >= $1 AND released_at < $2",
    )
    .bind(start)
    .bind(end)
    .fetch_one(conn)
    .await
}

/// How many approvals and releases are live (approved, not yet ended).
pub async fn live_count(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT COUNT(*) FROM info_requests WHERE state IN ('approved', 'released')",
    )
    .fetch_one(conn)
    .await
}

/// How many requests lapsed in `[start, end)`.
pub async fn lapsed_between(
    conn: &mut Conn,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    crate::db::query_scalar(
        "SELECT COUNT(*) FROM info_requests WHERE state = 'lapsed' AND lapses_at >= $1 AND lapses_at < $2",
    )
    .bind(start)
    .bind(end)
    .fetch_one(conn)
    .await
}
