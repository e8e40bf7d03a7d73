//! What a destruction takes beyond the students' own rows: the copies of their data that
//! other places hold (a form draft, a roster upload), and their names and numbers where
//! people wrote them in free text (a request's reason, a comment, a leak report, a
//! publication, an inspection's findings). All of it in the transaction that erases the
//! students, before their values are gone: what they were is what is looked for.
//!
//! Free text is redacted in place, each character of a match replaced by a mask of the same
//! length in bytes (`*`, `×` or `＊`), so that positions stored beside a text (a
//! publication's findings) still point where they did. The audit trail holds one free text,
//! the reason for showing a masked value, which refuses a pupil's name when it is typed
//! (`kit::free_text`); a workflow's comment is kept beside the trail, not in it.

use aho_corasick::{AhoCorasick, MatchKind};

use crate::{
    db::Conn,
    domain::records::{GuardianSecrets, StudentSecrets},
    errors::AppError,
    kit::sealing::DataKeys,
};

/// The columns that hold free text people write, by table and key: each is read and, where
/// it names a destroyed student or their family, written back redacted.
const FREE_TEXT: &[(&str, &str, &[&str])] = &[
    (
        "info_requests",
        "id",
        &[
            "reason",
            "outside_party",
            "letter_reference",
            "decision_comment",
            "end_reason",
        ],
    ),
    ("role_handovers", "id", &["reason", "decision_comment"]),
    (
        "publication_reviews",
        "id",
        &["title", "body", "overrides", "decision_comment"],
    ),
    (
        "leak_reports",
        "id",
        &["what", "happened", "noticed", "remedies", "conclusion"],
    ),
    ("destructions", "id", &["reason", "decision_comment"]),
    ("inspections", "id", &["participants"]),
    (
        "inspection_items",
        "inspection_id * 10000 + position",
        &["item", "finding", "remedy"],
    ),
    (
        "status_changes",
        "id",
        &["other_school", "other_school_code", "decision_comment"],
    ),
    ("workflow_transitions", "id", &["comment"]),
    ("students", "id", &["return_reason"]),
];

/// What identifies the students of a batch in text.
pub struct Identifiers {
    /// The students' own: their names, identity numbers and 学籍号. A draft or an upload
    /// holding one of them holds the student.
    pub own: Vec<String>,
    /// Those and their phones, and their family members' names, identity numbers and phones:
    /// what free text is masked of.
    pub all: Vec<String>,
}

/// What identifies the students of a batch in text (each at least two characters, so a
/// single character never counts as a name). A name that a student or family member still
/// enrolled also bears (a sibling's parent, a namesake) identifies nobody gone and is left
/// alone; an identity number is looked for with either case of its check character.
pub async fn identifiers(
    conn: &mut Conn,
    keys: &DataKeys,
    batch: i64,
) -> Result<Identifiers, AppError> {
    let students: Vec<(String, String, Vec<u8>)> = crate::db::query_as(
        "SELECT s.public_id, s.name, s.sealed FROM students s \
         JOIN destruction_students ds ON ds.student_id = s.id WHERE ds.destruction_id = $1",
    )
    .bind(batch)
    .fetch_all(&mut *conn)
    .await?;
    let family: Vec<(String, String, Vec<u8>)> = crate::db::query_as(
        "SELECT s.public_id, g.name, g.sealed FROM guardians g JOIN students s ON s.id = g.student_id \
         JOIN destruction_students ds ON ds.student_id = s.id WHERE ds.destruction_id = $1",
    )
    .bind(batch)
    .fetch_all(&mut *conn)
    .await?;
    let living: std::collections::HashSet<String> = crate::db::query_scalar(
        "SELECT s.name FROM students s WHERE s.destroyed_at IS NULL AND s.id NOT IN \
           (SELECT student_id FROM destruction_students WHERE destruction_id = $1) \
         UNION SELECT g.name FROM guardians g JOIN students s ON s.id = g.student_id \
         WHERE s.destroyed_at IS NULL AND s.id NOT IN \
           (SELECT student_id FROM destruction_students WHERE destruction_id = $1)",
    )
    .bind(batch)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let mut own = Vec::new();
    let mut others = Vec::new();
    let number = |n: String| [n.to_lowercase(), n];
    for (public_id, name, sealed) in students {
        if !living.contains(&name) {
            own.push(name);
        }
        if !sealed.is_empty() {
            let secrets: StudentSecrets =
                keys.open_json(&format!("student:{public_id}"), &sealed)?;
            own.extend(number(secrets.id_number));
            own.extend(number(secrets.student_number));
            // A former name identifies the child as the name does.
            if !living.contains(&secrets.former_name) {
                own.push(secrets.former_name);
            }
            others.push(secrets.phone);
        }
    }
    for (public_id, name, sealed) in family {
        if !living.contains(&name) {
            others.push(name);
        }
        if !sealed.is_empty() {
            let secrets: GuardianSecrets =
                keys.open_json(&format!("guardian:{public_id}"), &sealed)?;
            others.extend(number(secrets.id_number));
            others.push(secrets.phone);
        }
    }
    let tidy = |mut v: Vec<String>| {
        v.retain(|v| v.trim().chars().count() >= 2);
        v.sort();
        v.dedup();
        v
    };
    let own = tidy(own);
    let all = tidy(own.iter().cloned().chain(others).collect());
    Ok(Identifiers { own, all })
}

/// A matcher for `identifiers`, longest first where two overlap; none for none.
fn matcher(identifiers: &[String]) -> Result<Option<AhoCorasick>, AppError> {
    if identifiers.is_empty() {
        return Ok(None);
    }
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(identifiers)
        .map(Some)
        .map_err(AppError::internal)
}

/// `text` with every match masked, byte for byte; none when nothing matched.
fn redacted(matcher: &AhoCorasick, text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut any = false;
    for m in matcher.find_iter(text) {
        any = true;
        out.push_str(&text[last..m.start()]);
        for c in text[m.start()..m.end()].chars() {
            match c.len_utf8() {
                1 => out.push('*'),
                2 => out.push('×'),
                3 => out.push('＊'),
                _ => out.push_str("****"),
            }
        }
        last = m.end();
    }
    any.then(|| {
        out.push_str(&text[last..]);
        out
    })
}

/// `text` with the identifiers masked (the comment of the very decision that destroys them).
pub fn redact_text(identifiers: &[String], text: &str) -> Result<String, AppError> {
    Ok(match matcher(identifiers)? {
        Some(m) => redacted(&m, text).unwrap_or_else(|| text.to_owned()),
        None => text.to_owned(),
    })
}

/// Redacts the identifiers wherever free text holds them; returns how many values changed.
pub async fn redact(conn: &mut Conn, identifiers: &[String]) -> Result<u64, AppError> {
    let Some(matcher) = matcher(identifiers)? else {
        return Ok(0);
    };
    let mut changed = 0;
    for (table, key, columns) in FREE_TEXT {
        for column in *columns {
            let rows: Vec<(i64, String)> = crate::db::query_as(&format!(
                "SELECT {key}, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''"
            ))
            .fetch_all(&mut *conn)
            .await?;
            for (id, text) in rows {
                if let Some(text) = redacted(&matcher, &text) {
                    crate::db::query(&format!(
                        "UPDATE {table} SET {column} = $1 WHERE {key} = $2"
                    ))
                    .bind(text)
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
                    changed += 1;
                }
            }
        }
    }
    Ok(changed)
}

/// Deletes every form draft and roster upload that holds any of the students' own
/// identifiers (whoever's it is, for whichever class); returns how many went.
pub async fn forget_copies(
    conn: &mut Conn,
    keys: &DataKeys,
    identifiers: &[String],
) -> Result<u64, AppError> {
    let Some(matcher) = matcher(identifiers)? else {
        return Ok(0);
    };
    let holds = |plain: &[u8]| matcher.find(plain).is_some();
    let mut gone = 0;
    let drafts: Vec<(i64, String, Vec<u8>)> =
        crate::db::query_as("SELECT owner_id, target, sealed FROM form_drafts")
            .fetch_all(&mut *conn)
            .await?;
    for (owner, target, sealed) in drafts {
        // A draft that cannot be opened (sealed under a key since retired) is no use to
        // anyone and may hold anything: it goes too.
        let doomed = keys
            .open(&format!("draft:{owner}:{target}"), &sealed)
            .map_or(true, |plain| holds(&plain));
        if doomed {
            crate::features::records::store::delete_draft(&mut *conn, owner, &target).await?;
            gone += 1;
        }
    }
    let uploads: Vec<(i64, String, String, Vec<u8>)> =
        crate::db::query_as("SELECT id, public_id, file_name, sealed FROM roster_imports")
            .fetch_all(&mut *conn)
            .await?;
    for (id, public_id, file_name, sealed) in uploads {
        let doomed = holds(file_name.as_bytes())
            || keys
                .open(&format!("import:{public_id}"), &sealed)
                .map_or(true, |plain| holds(&plain));
        if doomed {
            crate::db::query("DELETE FROM roster_imports WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            gone += 1;
        }
    }
    Ok(gone)
}

pub use crate::kit::retention::Lifetimes;

/// Deletes the drafts and uploads past their lifetime, and the working data of records
/// archived since (`rules::archived`: their drafts and their search keys, so that no page
/// finds them by name), with one audit entry saying how many; looks first without the write
/// lock and takes it only when something is due. Returns how many went.
pub async fn expire(
    pool: &crate::db::Pool,
    key: &crate::kit::audit::chain::AuditKey,
    lifetimes: Lifetimes,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, AppError> {
    let drafts_before = now - chrono::Duration::days(i64::from(lifetimes.draft_days));
    let uploads_before = now - chrono::Duration::days(i64::from(lifetimes.upload_days));
    let archived_before = crate::kit::retention::archived_before(now);
    // Records archived by now (`$1`): left, by the later of the day and its recording,
    // before it (`kit::retention::archived`).
    const ARCHIVED: &str = "SELECT s.id FROM students s WHERE s.left_at IS NOT NULL \
         AND s.left_at < $1 AND COALESCE(s.left_recorded_at, s.left_at) < $1";
    const ARCHIVED_DRAFTS: &str = "SELECT 'student:' || s.public_id FROM students s \
         WHERE s.left_at IS NOT NULL AND s.left_at < $1 AND COALESCE(s.left_recorded_at, s.left_at) < $1";
    let due: bool = crate::db::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM form_drafts WHERE updated_at < $1) \
              OR EXISTS (SELECT 1 FROM roster_imports WHERE created_at < $2)",
    )
    .bind(drafts_before)
    .bind(uploads_before)
    .fetch_one(pool)
    .await?;
    let archiving: bool = crate::db::query_scalar(&format!(
        "SELECT EXISTS (SELECT 1 FROM student_search_keys WHERE student_id IN ({ARCHIVED})) \
              OR EXISTS (SELECT 1 FROM form_drafts WHERE target IN ({ARCHIVED_DRAFTS}))"
    ))
    .bind(archived_before)
    .fetch_one(pool)
    .await?;
    if !due && !archiving {
        return Ok(0);
    }
    let mut tx = crate::db::begin_write(pool).await?;
    let mut drafts = crate::db::query("DELETE FROM form_drafts WHERE updated_at < $1")
        .bind(drafts_before)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let uploads = crate::db::query("DELETE FROM roster_imports WHERE created_at < $1")
        .bind(uploads_before)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let mut archived = 0;
    if archiving {
        drafts += crate::db::query(&format!(
            "DELETE FROM form_drafts WHERE target IN ({ARCHIVED_DRAFTS})"
        ))
        .bind(archived_before)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        archived = crate::db::query_scalar::<i64>(&format!(
            "SELECT COUNT(DISTINCT student_id) FROM student_search_keys \
             WHERE student_id IN ({ARCHIVED})"
        ))
        .bind(archived_before)
        .fetch_one(&mut *tx)
        .await? as u64;
        crate::db::query(&format!(
            "DELETE FROM student_search_keys WHERE student_id IN ({ARCHIVED})"
        ))
        .bind(archived_before)
        .execute(&mut *tx)
        .await?;
    }
    let went = drafts + uploads + archived;
    if went > 0 {
        crate::kit::audit::chain::append(
            &mut tx,
            key,
            now,
            crate::kit::audit::chain::NewEntry::new("copies.expired", "success").details(
                serde_json::json!({
                    "drafts": drafts,
                    "uploads": uploads,
                    "archived": archived,
                    "draft_days": lifetimes.draft_days,
                    "upload_days": lifetimes.upload_days,
                    "archive_after_days": crate::kit::retention::ARCHIVE_AFTER_DAYS,
                }),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(went)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_match_is_masked_byte_for_byte_and_nothing_else_changes() {
        let m = matcher(&["王小明".into(), "13900001111".into(), "王小".into()])
            .unwrap()
            .unwrap();
        let text = "请联系王小明家长，电话13900001111。王小";
        let out = redacted(&m, text).unwrap();
        assert_eq!(out, "请联系＊＊＊家长，电话***********。＊＊");
        assert_eq!(out.len(), text.len());
        assert_eq!(redacted(&m, "与本人无关的说明"), None);
    }
}
