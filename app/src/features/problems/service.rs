//! The problem records: found from the records as they are each time they are asked for
//! (nothing to fall out of date), the national system's feedback as imported, and 佐证.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::{
    db::{Conn, Tx},
    domain::{Actor, Role},
    errors::AppError,
    features::{
        changes::store as changes,
        problems::{
            store::{self as repo, Evidence},
            views::{
                DOCUMENTS, EvidenceInput, KINDS, OpenProblem, ProblemStudent, ProblemsView,
                SettledProblem, evidence_settles,
            },
        },
        records::{service as records, store as students},
    },
    kit::{
        audit::chain::{self as audit, NewEntry},
        context::Context,
        sealing::DataKeys,
    },
};

/// The most resolutions the page lists.
const SETTLED_LISTED: usize = 100;

/// A problem as found: its kind, the student (the lower id of a pair), the other, a detail.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Found {
    kind: &'static str,
    student: i64,
    other: Option<i64>,
    detail: String,
    reported_at: Option<DateTime<Utc>>,
}

/// A resolution, for the page.
struct Settled {
    at: DateTime<Utc>,
    found: Found,
    /// `evidence`, `change`, `delete`.
    how: &'static str,
    by: By,
}

/// Who resolved it: an account (named later, with the others), or a deletion's filer and
/// approver as the change's own statement named them.
enum By {
    Person(i64),
    Named(String, String),
}

/// What the problem records read once, in one snapshot.
struct Read {
    evidence: Vec<Evidence>,
    feedback: Vec<(i64, String, DateTime<Utc>)>,
    /// Approved key-data changes: (student, fields, approver, decided at).
    key_data: Vec<(i64, String, i64, DateTime<Utc>)>,
}

impl Read {
    /// When `student`'s latest key-data change was approved: 佐证 given before it no longer
    /// stands (the number or name it vouched for may have changed).
    fn last_key_data(&self, student: i64) -> Option<DateTime<Utc>> {
        self.key_data
            .iter()
            .filter(|k| k.0 == student)
            .map(|k| k.3)
            .max()
    }

    /// Whether 佐证 of `kind` for `student` (and a look-alike's `other`) stands: given, and
    /// after any key-data change of either since.
    fn evidenced(&self, kind: &str, student: i64, other: Option<i64>) -> bool {
        let since = [Some(student), other]
            .into_iter()
            .flatten()
            .filter_map(|s| self.last_key_data(s))
            .max();
        self.evidence.iter().any(|e| {
            e.kind == kind
                && e.student_id == student
                && e.other_student_id == other
                && since.is_none_or(|since| e.given_at >= since)
        })
    }
}

async fn read(conn: &mut Conn) -> Result<Read, AppError> {
    Ok(Read {
        evidence: repo::evidence(&mut *conn).await?,
        feedback: repo::feedback(&mut *conn).await?,
        key_data: changes::key_data_decided(&mut *conn).await?,
    })
}

/// The national system's latest word on each (student, kind): when it was imported.
fn latest_feedback(
    feedback: &[(i64, String, DateTime<Utc>)],
) -> Vec<(i64, &'static str, DateTime<Utc>)> {
    let mut latest: HashMap<(i64, &'static str), DateTime<Utc>> = HashMap::new();
    for (student, kind, at) in feedback {
        let Some(kind) = KINDS.iter().find(|k| *k == kind) else {
            continue;
        };
        let slot = latest.entry((*student, kind)).or_insert(*at);
        *slot = (*slot).max(*at);
    }
    let mut rows: Vec<_> = latest.into_iter().map(|((s, k), at)| (s, k, at)).collect();
    rows.sort_by_key(|(s, k, at)| (*at, *s, *k));
    rows
}

/// The key fields a key-data change must touch to answer the national system's `kind`: the
/// number for one not found, the number or the name for a mismatch.
fn answers(kind: &str, fields: &str) -> bool {
    let touched = |f: &str| fields.split(',').any(|x| x == f);
    match kind {
        "not_found" => touched("id_number"),
        "name_mismatch" => touched("id_number") || touched("name"),
        _ => false,
    }
}

/// How a feedback line of `student`'s, of `kind`, imported at `at`, was settled since: by
/// 佐证 given after it, or by an approved 关键数据变更 of the fields it is about (the
/// approver's id).
fn feedback_settled(
    r: &Read,
    student: i64,
    kind: &str,
    at: DateTime<Utc>,
) -> Option<(&'static str, i64, DateTime<Utc>)> {
    if let Some(e) = r
        .evidence
        .iter()
        .find(|e| e.student_id == student && e.kind == kind && e.given_at >= at)
    {
        return Some(("evidence", e.given_by, e.given_at));
    }
    r.key_data
        .iter()
        .filter(|(s, fields, _, decided)| *s == student && *decided >= at && answers(kind, fields))
        .min_by_key(|(.., decided)| *decided)
        .map(|(_, _, by, decided)| ("change", *by, *decided))
}

/// Whose resident identity card numbers a look at the problems opens and judges.
#[derive(Clone, Copy)]
enum IdCards {
    /// Every pupil's at school (the page).
    All,
    /// One pupil's (佐证 of theirs).
    Of(i64),
    /// None (佐证 of another kind).
    None,
}

/// The problems open now, in `conn`'s snapshot.
async fn open_in(
    conn: &mut Conn,
    keys: &DataKeys,
    r: &Read,
    id_cards: IdCards,
) -> Result<Vec<Found>, AppError> {
    let mut found = Vec::new();
    for (a, b, field) in students::shared_numbers(&mut *conn).await? {
        // A pair is one problem, whichever numbers it shares (the identity number named).
        if found
            .iter()
            .any(|f: &Found| f.student == a && f.other == Some(b))
        {
            continue;
        }
        found.push(Found {
            kind: "number_shared",
            student: a,
            other: Some(b),
            detail: field,
            reported_at: None,
        });
    }
    let judged = match id_cards {
        IdCards::All => records::id_card_problems(&mut *conn, keys, None).await?,
        IdCards::Of(id) => records::id_card_problems(&mut *conn, keys, Some(id)).await?,
        IdCards::None => Vec::new(),
    };
    for (id, code) in judged {
        if !r.evidenced("id_invalid", id, None) {
            found.push(Found {
                kind: "id_invalid",
                student: id,
                other: None,
                detail: code.to_owned(),
                reported_at: None,
            });
        }
    }
    for (a, b) in students::look_alikes(&mut *conn).await? {
        if !r.evidenced("look_alike", a, Some(b)) {
            found.push(Found {
                kind: "look_alike",
                student: a,
                other: Some(b),
                detail: String::new(),
                reported_at: None,
            });
        }
    }
    let reported: Vec<_> = latest_feedback(&r.feedback)
        .into_iter()
        .filter(|(s, k, at)| feedback_settled(r, *s, k, *at).is_none())
        .collect();
    // Only a student still at school has a problem to clear (one deleted as a duplicate, or
    // gone, has none).
    let ids: Vec<i64> = reported.iter().map(|(s, _, _)| *s).collect();
    let at_school: HashSet<i64> = students::named(&mut *conn, &ids)
        .await?
        .into_iter()
        .filter(|n| n.5.is_none())
        .map(|n| n.0)
        .collect();
    for (student, kind, at) in reported {
        if at_school.contains(&student) {
            found.push(Found {
                kind,
                student,
                other: None,
                detail: String::new(),
                reported_at: Some(at),
            });
        }
    }
    found.sort_by_key(|f| KINDS.iter().position(|k| *k == f.kind));
    Ok(found)
}

/// The problem records' page: a records administrator sees each open problem and what
/// was resolved; a leader the counts by kind and the deletions of duplicates (whose
/// approvals are leaders'), no pupil's problem by name.
pub async fn view(cx: &Context<'_>, actor: &Actor) -> Result<ProblemsView, AppError> {
    let resolves = actor.has(Role::RecordsAdmin);
    let mut conn = crate::db::begin_read(cx.pool).await?;
    let r = read(&mut conn).await?;
    let open = open_in(&mut conn, cx.data, &r, IdCards::All).await?;
    // What was resolved: 佐证, feedback a key-data change settled (a records administrator's
    // to see), deletions (everyone's who reads the page).
    let mut settled: Vec<Settled> = Vec::new();
    for e in r.evidence.iter().filter(|_| resolves) {
        let Some(kind) = KINDS.iter().find(|k| **k == e.kind) else {
            continue;
        };
        settled.push(Settled {
            at: e.given_at,
            found: Found {
                kind,
                student: e.student_id,
                other: e.other_student_id,
                detail: e.document.clone(),
                reported_at: None,
            },
            how: "evidence",
            by: By::Person(e.given_by),
        });
    }
    for (student, kind, at) in latest_feedback(&r.feedback)
        .into_iter()
        .filter(|_| resolves)
    {
        if let Some(("change", by, decided)) = feedback_settled(&r, student, kind, at) {
            settled.push(Settled {
                at: decided,
                found: Found {
                    kind,
                    student,
                    other: None,
                    detail: String::new(),
                    reported_at: Some(at),
                },
                how: "change",
                by: By::Person(by),
            });
        }
    }
    for (student, reason, filer, approver, at) in changes::duplicates_deleted(
        &mut conn,
        SETTLED_LISTED as i64,
        crate::kit::retention::archived_before(cx.now),
    )
    .await?
    {
        settled.push(Settled {
            at,
            found: Found {
                kind: "duplicate",
                student,
                other: None,
                detail: reason,
                reported_at: None,
            },
            how: "delete",
            by: By::Named(filer, approver),
        });
    }
    settled.sort_by_key(|s| std::cmp::Reverse(s.at));

    // Who each names: the students (one statement), their classes, the people.
    let mut ids: Vec<i64> = Vec::new();
    for f in open.iter().chain(settled.iter().map(|s| &s.found)) {
        ids.push(f.student);
        ids.extend(f.other);
    }
    ids.sort_unstable();
    ids.dedup();
    // An archived record is named nowhere: a resolution of one is not listed.
    let named: HashMap<i64, (String, String, i64, bool)> = students::named(&mut conn, &ids)
        .await?
        .into_iter()
        .filter(|n| !crate::kit::retention::archived(n.5, cx.now))
        .map(|(id, public_id, name, class, top_secret, _)| {
            (id, (public_id, name, class, top_secret))
        })
        .collect();
    settled.retain(|s| {
        named.contains_key(&s.found.student) && s.found.other.is_none_or(|o| named.contains_key(&o))
    });
    settled.truncate(SETTLED_LISTED);
    let classes =
        crate::features::structure::service::summaries(&mut conn, named.values().map(|n| n.2))
            .await?;
    let people: Vec<i64> = settled
        .iter()
        .filter_map(|s| match s.by {
            By::Person(id) => Some(id),
            By::Named(..) => None,
        })
        .collect();
    let people = crate::features::accounts::store::users::display_names(&mut conn, &people).await?;
    drop(conn);
    let student = |id: i64| match named.get(&id) {
        // A 绝密 pupil's name is a records administrator's alone; a leader opens no record.
        Some((public_id, name, class, top_secret)) => {
            let masked = *top_secret && !resolves;
            ProblemStudent {
                id: if resolves {
                    public_id.clone()
                } else {
                    String::new()
                },
                name: if masked { String::new() } else { name.clone() },
                masked,
                class: classes.get(class).cloned(),
            }
        }
        // Erased by a destruction batch since.
        None => ProblemStudent {
            id: String::new(),
            name: String::new(),
            masked: false,
            class: None,
        },
    };
    let person = |id: i64| {
        people
            .iter()
            .find(|(p, _)| *p == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let counts = KINDS
        .iter()
        .map(|k| {
            (
                (*k).to_owned(),
                open.iter().filter(|f| f.kind == *k).count() as i64,
            )
        })
        .collect();
    let open = if resolves {
        open.into_iter()
            .map(|f| OpenProblem {
                kind: f.kind.to_owned(),
                detail: f.detail,
                student: student(f.student),
                other: f.other.map(student),
                reported_at: f.reported_at.map(|at| cx.local(Some(at))),
            })
            .collect()
    } else {
        Vec::new()
    };
    let settled = settled
        .into_iter()
        .map(|s| {
            let (by, approved_by) = match s.by {
                By::Person(id) => (person(id), None),
                By::Named(filer, approver) => (filer, Some(approver)),
            };
            SettledProblem {
                kind: s.found.kind.to_owned(),
                how: s.how.to_owned(),
                student: student(s.found.student),
                other: s.found.other.map(student),
                detail: s.found.detail,
                by,
                approved_by,
                at: cx.local(Some(s.at)),
            }
        })
        .collect();
    Ok(ProblemsView {
        open,
        counts,
        settled,
        resolves,
    })
}

/// Settles an open problem of `student`'s (the check's: `SettleProblemRecord` on them, in
/// `tx`) with 佐证: the document the records administrator checked. A look-alike names its
/// other record; a number two records hold is never settled so. An audit entry by ids.
pub async fn give_evidence(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    student: i64,
    input: &EvidenceInput,
) -> Result<(), AppError> {
    let Some(kind) = KINDS
        .iter()
        .copied()
        .find(|k| *k == input.kind && evidence_settles(k))
    else {
        return Err(AppError::invalid("kind", "problems.kind_invalid"));
    };
    if !DOCUMENTS.contains(&input.document.as_str()) {
        return Err(AppError::invalid("document", "problems.document_invalid"));
    }
    let other = if kind == "look_alike" {
        if input.other_id.len() > 64 {
            return Err(AppError::conflict("problems.not_open"));
        }
        let scope = students::student_scope(&mut tx, &input.other_id)
            .await?
            .ok_or_else(|| AppError::conflict("problems.not_open"))?;
        Some(scope.id)
    } else {
        None
    };
    let (asked, asked_other) = (student, other);
    // A pair is kept as the problem names it: the lower id first.
    let (student, other) = match other {
        Some(o) if o < student => (o, Some(student)),
        _ => (student, other),
    };
    // Only what this 佐证 is about is looked at (one number opened at most), in the write
    // transaction that keeps it.
    let r = read(&mut tx).await?;
    let id_cards = if kind == "id_invalid" {
        IdCards::Of(student)
    } else {
        IdCards::None
    };
    let open = open_in(&mut tx, cx.data, &r, id_cards).await?;
    if !open
        .iter()
        .any(|f| f.kind == kind && f.student == student && f.other == other)
    {
        return Err(AppError::conflict("problems.not_open"));
    }
    repo::insert_evidence(
        &mut tx,
        &Evidence {
            student_id: student,
            kind: kind.to_owned(),
            other_student_id: other,
            document: input.document.clone(),
            given_by: actor.id,
            given_at: cx.now,
        },
    )
    .await?;
    let mut details = serde_json::json!({ "kind": kind, "document": input.document });
    if let Some(other) = asked_other {
        // The pair's other record, by the id the trail's objects carry.
        details["other_student"] = serde_json::json!(other);
    }
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("problem_record.evidenced", "success")
            .actor(actor.id)
            .role(Role::RecordsAdmin.code())
            .object("student", asked)
            .client(cx.client.clone())
            .details(details),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What an import of the national system's check found: lines about a pupil at school,
/// lines whose number no pupil at school holds, lines whose verdict is not one this reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FeedbackCounts {
    pub matched: u64,
    pub not_here: u64,
    pub not_understood: u64,
}

/// The verdict a line of the national system's check gives, by its words: the number does
/// not exist (身份证号不存在, 证件号码不存在), or does not match the name (与姓名不匹配,
/// 姓名不一致). Anything else (通过, 不存在问题, a sex or date that differs) is not read.
pub fn verdict(text: &str) -> Option<&'static str> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if ["号不存在", "号码不存在", "证件不存在"]
        .iter()
        .any(|w| text.contains(w))
    {
        Some("not_found")
    } else if text.contains("姓名") && (text.contains("不匹配") || text.contains("不一致"))
    {
        Some("name_mismatch")
    } else {
        None
    }
}

/// The columns of a feedback file: (the identity number's, the verdict's), by their
/// headers: the number's names 身份证件号, 身份证号(码) or 证件号码 (never 身份证件类型); the
/// verdict's 比对结果, 问题, 校验结果, 错误, 原因, 说明 or 反馈.
pub fn feedback_columns(header: &[String]) -> Option<(usize, usize)> {
    let number = header.iter().position(|h| {
        let h = h.trim();
        !h.contains("类型")
            && ["身份证件号", "身份证号", "证件号码", "证件号"]
                .iter()
                .any(|w| h.contains(w))
    })?;
    let verdict = header.iter().enumerate().position(|(i, h)| {
        i != number
            && ["结果", "问题", "原因", "错误", "说明", "反馈"]
                .iter()
                .any(|w| h.contains(w))
    })?;
    Some((number, verdict))
}

/// Imports the national system's check (`file_name`, `bytes`: an .xlsx or .csv with an
/// identity number column and a verdict column): each line about a pupil at school is kept
/// as a problem for them; one audit entry with the counts, no number in it.
pub async fn import_feedback(
    cx: &Context<'_>,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> Result<FeedbackCounts, AppError> {
    let table = crate::features::import::service::read(file_name, bytes)?;
    let (number_at, verdict_at) = feedback_columns(&table.header)
        .ok_or_else(|| AppError::invalid("file", "problems.feedback_columns"))?;
    let mut counts = FeedbackCounts::default();
    let mut lines: Vec<(Vec<u8>, &'static str)> = Vec::new();
    for row in &table.rows {
        let cell = |i: usize| row.get(i).map(|c| c.text.trim()).unwrap_or_default();
        let number: String = cell(number_at)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        // A number a spreadsheet kept as a number lost its last digits: not read.
        let as_number = row.get(number_at).is_some_and(|c| c.numeric);
        match verdict(cell(verdict_at)) {
            Some(kind) if !number.is_empty() && !as_number => {
                lines.push((cx.data.blind_index("id_number", &number), kind));
            }
            _ => counts.not_understood += 1,
        }
    }
    let mut tx = crate::db::begin_write(cx.pool).await?;
    let indexes: Vec<Vec<u8>> = lines.iter().map(|(i, _)| i.clone()).collect();
    let holders: HashMap<Vec<u8>, Vec<i64>> = students::at_school_by_id_index(&mut tx, &indexes)
        .await?
        .into_iter()
        .fold(HashMap::new(), |mut m, (index, id)| {
            m.entry(index).or_default().push(id);
            m
        });
    let mut kept = HashSet::new();
    for (index, kind) in &lines {
        match holders.get(index) {
            Some(ids) => {
                counts.matched += 1;
                for id in ids {
                    if kept.insert((*id, *kind)) {
                        repo::insert_feedback(&mut tx, *id, kind, actor.id, cx.now).await?;
                    }
                }
            }
            None => counts.not_here += 1,
        }
    }
    audit::append(
        &mut tx,
        cx.key,
        cx.now,
        NewEntry::new("problem_record.feedback_imported", "success")
            .actor(actor.id)
            .role(Role::RecordsAdmin.code())
            .client(cx.client.clone())
            .details(serde_json::json!({
                "matched": counts.matched,
                "not_here": counts.not_here,
                "not_understood": counts.not_understood,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: u32) -> DateTime<Utc> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2026, 10, 1, hour, 0, 0).unwrap()
    }

    fn evidence(student: i64, kind: &str, other: Option<i64>, hour: u32) -> Evidence {
        Evidence {
            student_id: student,
            kind: kind.into(),
            other_student_id: other,
            document: "hukou_book".into(),
            given_by: 9,
            given_at: at(hour),
        }
    }

    #[test]
    fn evidence_stands_until_a_key_data_change_of_either_record() {
        let mut r = Read {
            evidence: vec![
                evidence(1, "look_alike", Some(2), 10),
                evidence(3, "id_invalid", None, 10),
            ],
            feedback: Vec::new(),
            key_data: Vec::new(),
        };
        assert!(r.evidenced("look_alike", 1, Some(2)));
        assert!(!r.evidenced("look_alike", 1, Some(4)));
        assert!(r.evidenced("id_invalid", 3, None));
        // The other record's name changed after: the look-alike is to be looked at again.
        r.key_data.push((2, "name".into(), 8, at(11)));
        assert!(!r.evidenced("look_alike", 1, Some(2)));
        // A change before the 佐证 leaves it standing.
        r.key_data.push((3, "id_number".into(), 8, at(9)));
        assert!(r.evidenced("id_invalid", 3, None));
    }

    #[test]
    fn the_national_checks_word_is_answered_by_a_change_of_what_it_is_about() {
        let r = Read {
            evidence: Vec::new(),
            feedback: Vec::new(),
            key_data: vec![
                (5, "ethnicity".into(), 8, at(12)),
                (6, "name".into(), 8, at(12)),
            ],
        };
        assert_eq!(feedback_settled(&r, 5, "not_found", at(10)), None);
        assert_eq!(feedback_settled(&r, 6, "not_found", at(10)), None);
        assert_eq!(
            feedback_settled(&r, 6, "name_mismatch", at(10)),
            Some(("change", 8, at(12)))
        );
        // A change before the check answers nothing it said.
        assert_eq!(feedback_settled(&r, 6, "name_mismatch", at(13)), None);
    }

    #[test]
    fn the_national_checks_words_are_read_as_its_verdicts() {
        assert_eq!(verdict("身份证号不存在"), Some("not_found"));
        assert_eq!(verdict("身份证号与姓名不匹配"), Some("name_mismatch"));
        assert_eq!(verdict("姓名与身份证号不一致"), Some("name_mismatch"));
        assert_eq!(verdict("证件号码不存在"), Some("not_found"));
        assert_eq!(verdict("通过"), None);
        assert_eq!(verdict("不存在问题"), None);
        assert_eq!(verdict("性别与身份证号不一致"), None);
        assert_eq!(verdict(""), None);
    }

    #[test]
    fn a_feedback_files_columns_are_found_by_their_headers() {
        let header = |h: &[&str]| h.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            feedback_columns(&header(&["姓名", "身份证件号", "比对结果"])),
            Some((1, 2))
        );
        assert_eq!(
            feedback_columns(&header(&["学籍号", "证件号码", "问题描述"])),
            Some((1, 2))
        );
        // The document's type comes before its number in the national template.
        assert_eq!(
            feedback_columns(&header(&["姓名", "身份证件类型", "身份证件号", "问题"])),
            Some((2, 3))
        );
        assert_eq!(feedback_columns(&header(&["姓名", "比对结果"])), None);
        assert_eq!(feedback_columns(&header(&["身份证号", "姓名"])), None);
    }
}
