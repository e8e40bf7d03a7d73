//! 学籍异动 (changes of status). A records administrator files an application for a student
//! still at school: its kind, a reason of that kind's, the day it takes effect and, for a
//! transfer, the other school; a leader who did not file it approves it or returns it with a
//! reason (NATIONAL.md: the 学籍管理员 files, the 学籍主管领导 approves). Nothing about the
//! student changes before the approval; the approval, in its transaction, makes the student
//! leave the school as of the effective day, and retention counts from the approval.

use chrono::{Datelike, NaiveDate, Utc};

use crate::{
    db::{Conn, Tx, new_public_id},
    domain::{
        Actor, Role,
        access::{Action, Resource, permits},
    },
    errors::{AppError, ErrorKind, FieldError},
    features::{
        changes::{
            store::{self as repo, Application, ChangeRow},
            views::{
                ChangeInput, ChangeKind, ChangeState, ChangeSummary, ChangeView, ChangesHome,
                Effect, KeyChange, ProofView, SuspendedStudent,
            },
        },
        structure::views::ClassRef,
    },
    kit::{
        context::Context,
        workflow::{Decision, Queues, Step, Transition, Workflow, effects::Effects, notices},
    },
};

/// The changes' workflow: filed, then approved, returned or withdrawn once.
pub static CHANGES: Workflow<ChangeState> = Workflow {
    name: "status_change",
    table: "status_changes",
    column: "state",
    transitions: &[
        Transition {
            event: "approved",
            from: &[ChangeState::Filed],
            to: ChangeState::Approved,
        },
        Transition {
            event: "rejected",
            from: &[ChangeState::Filed],
            to: ChangeState::Returned,
        },
        Transition {
            event: "withdrawn",
            from: &[ChangeState::Filed],
            to: ChangeState::Withdrawn,
        },
    ],
    deadlines: &[],
};

/// A suspension is reminded of when it has lasted this long (NATIONAL.md: 休学 is for a year
/// at a time; then 复学 or a further 休学).
pub const SUSPENSION_REMINDER_DAYS: i64 = 365;

/// The working days within which a leader decides an application (NATIONAL.md).
pub const DECIDED_WITHIN: u32 = 10;

/// The last working day on which an application filed at `filed_at` is decided in time.
fn due_on(
    cx: &Context<'_>,
    calendar: &crate::domain::calendar::Calendar,
    filed_at: chrono::DateTime<Utc>,
) -> NaiveDate {
    calendar.nth_working_day_after(cx.day_of(filed_at), DECIDED_WITHIN)
}

/// How many applications wait past their 10 working days, as of today.
pub async fn overdue_count(conn: &mut Conn, cx: &Context<'_>) -> Result<i64, AppError> {
    // Ten working days span at least ten calendar days: only those filed before may be late.
    let waiting = repo::filed_before(&mut *conn, cx.now - chrono::Duration::days(10)).await?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let calendar = crate::features::calendar::service::calendar(conn).await?;
    let today = cx.today();
    Ok(waiting
        .into_iter()
        .filter(|filed_at| due_on(cx, &calendar, *filed_at) < today)
        .count() as i64)
}

/// The largest proof taken: 2 MB (a phone's photo of a letter, a scanned page).
pub const MAX_PROOF_BYTES: usize = 2 * 1024 * 1024;
/// The most proofs one application holds.
pub const MAX_PROOFS: usize = 5;

/// The kinds of proof a change takes, by what the file holds (never by its name): a JPEG, a
/// PNG or a PDF, whole (its end is where its format says an end is).
pub fn proof_type(bytes: &[u8]) -> Option<&'static str> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    const PNG_END: &[u8] = b"IEND\xaeB`\x82";
    let trimmed = {
        // Scanners and phones pad a file's end with NULs or whitespace now and then.
        let end = bytes
            .iter()
            .rposition(|b| !matches!(b, 0 | b' ' | b'\r' | b'\n' | b'\t'))
            .map_or(0, |i| i + 1);
        &bytes[..end]
    };
    if bytes.starts_with(PNG) && bytes.get(12..16) == Some(b"IHDR") && trimmed.ends_with(PNG_END) {
        Some("image/png")
    } else if bytes.starts_with(b"\xff\xd8\xff") && trimmed.ends_with(b"\xff\xd9") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"%PDF-") && {
        let tail = &trimmed[trimmed.len().saturating_sub(1024)..];
        tail.windows(5).any(|w| w == b"%%EOF")
    } {
        Some("application/pdf")
    } else {
        None
    }
}

fn proof_binding(public_id: &str) -> String {
    format!("status_change_proof:{public_id}")
}

/// Adds a proof to `row`, in the transaction its check began (`AddStatusChangeProof`: its
/// filer, while it waits): checked by what it holds, sealed, an audit entry by ids.
pub async fn add_proof(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &ChangeRow,
    bytes: &[u8],
) -> Result<(), AppError> {
    if bytes.is_empty() {
        return Err(AppError::invalid("proof", "change.proof_empty"));
    }
    if bytes.len() > MAX_PROOF_BYTES {
        return Err(AppError::invalid("proof", "change.proof_too_large"));
    }
    let media_type =
        proof_type(bytes).ok_or_else(|| AppError::invalid("proof", "change.proof_type"))?;
    if repo::proofs_of(&mut tx, row.id).await?.len() >= MAX_PROOFS {
        return Err(AppError::invalid("proof", "change.proof_too_many"));
    }
    let public_id = new_public_id();
    let sealed = cx.data.seal(&proof_binding(&public_id), bytes);
    repo::insert_proof(
        &mut tx,
        &public_id,
        row.id,
        media_type,
        bytes.len() as i64,
        &sealed,
        actor.id,
        cx.now,
    )
    .await?;
    crate::kit::audit::chain::append(
        &mut tx,
        cx.key,
        cx.now,
        crate::kit::audit::chain::NewEntry::new("status_change.proof_added", "success")
            .actor(actor.id)
            .role(Role::RecordsAdmin.code())
            .object("student", row.student_id)
            .client(cx.client.clone())
            .details(serde_json::json!({ "change": row.public_id, "proof": public_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One proof of `row` as its reader receives it: (media type, bytes), in the transaction its
/// check began (`ViewStatusChange`), the reading an audit entry (every access is accounted
/// for).
pub async fn read_proof(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &ChangeRow,
    proof: &str,
) -> Result<(String, Vec<u8>), AppError> {
    if proof.len() > 64 {
        return Err(AppError::not_found());
    }
    let (media_type, sealed) = repo::proof(&mut tx, row.id, proof)
        .await?
        .ok_or_else(AppError::not_found)?;
    let bytes = cx.data.open(&proof_binding(proof), &sealed)?;
    let role = if actor.has(Role::RecordsAdmin) {
        Role::RecordsAdmin
    } else {
        Role::Leader
    };
    // A scan of a letter, a certificate or a 户口簿 page holds the pupil's confidential values.
    let mut entry = crate::kit::audit::chain::NewEntry::new("status_change.proof_read", "success")
        .actor(actor.id)
        .role(role.code())
        .object("student", row.student_id)
        .client(cx.client.clone())
        .details(serde_json::json!({ "change": row.public_id, "proof": proof }));
    entry.classification = if row.top_secret {
        "top_secret"
    } else {
        "confidential"
    }
    .into();
    crate::kit::audit::chain::append(&mut tx, cx.key, cx.now, entry).await?;
    tx.commit().await?;
    Ok((media_type, bytes))
}

/// `GET /changes/<change>/proofs/<proof>` (a route of the server's own, not a server
/// function): the one check (`ViewStatusChange` on the application, loaded in the write
/// transaction that records the reading), then the proof. Returns (media type, bytes).
pub async fn proof_file(
    state: crate::state::AppState,
    actor: Option<Actor>,
    parts: &http::request::Parts,
    change: &str,
    proof: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let ip = crate::state::client_ip_of(&state, parts);
    let trusted = state.networks.is_trusted_client(ip);
    let client = ip.map(|ip| ip.to_string());
    let now = state.clock.now();
    let mut found = None;
    let guarded = crate::authz::guard_in_as(
        state,
        actor,
        crate::authz::Opening::Write,
        |_, _| Action::ViewStatusChange,
        async |c| {
            let (resource, row) = <ChangeRow as crate::authz::Stored>::find(c, change).await?;
            // An archived record's applications open nowhere, their proofs neither.
            if row.as_ref().is_some_and(|r| r.archived(now)) {
                return Ok(Resource::Nothing);
            }
            found = row;
            Ok(resource)
        },
    )
    .await?;
    let row = found.ok_or_else(AppError::not_found)?;
    // A 绝密 pupil's scans are a records administrator's alone, inside the school's trusted
    // networks, as the pupil's other values are (a leader decides on the form without them).
    if row.top_secret && !(guarded.actor.has(Role::RecordsAdmin) && trusted) {
        return Err(AppError::forbidden());
    }
    let cx = crate::state::context_from(&guarded.state, client);
    read_proof(guarded.tx, &cx, &guarded.actor, &row, proof).await
}

/// The longest name or code of another school kept.
pub const MAX_SCHOOL_CHARS: usize = 100;
/// The most applications a list shows.
const LISTED: i64 = 100;

/// The resource an application is, for the one check: who filed it; `Nothing` (which
/// permits nothing) for an id that names none, or a destroyed student's.
impl crate::authz::Stored for ChangeRow {
    async fn find(conn: &mut Conn, public_id: &str) -> Result<(Resource, Option<Self>), AppError> {
        if public_id.len() > 64 {
            return Ok((Resource::Nothing, None));
        }
        Ok(match repo::find(conn, public_id).await? {
            Some(row) => (
                Resource::StatusChange {
                    filed_by: row.filed_by,
                    decided_by: row.decided_by,
                    waiting: row.state == ChangeState::Filed,
                },
                Some(row),
            ),
            None => (Resource::Nothing, None),
        })
    }
}

/// The student a change is filed for, for the one check: the student and their class's
/// homeroom teacher; `Nothing` for an id that names none, or an archived record at `now`.
pub async fn student_resource(
    conn: &mut Conn,
    public_id: &str,
    now: chrono::DateTime<Utc>,
) -> Result<Resource, AppError> {
    if public_id.len() > 64 {
        return Ok(Resource::Nothing);
    }
    Ok(match repo::student(conn, public_id, now).await? {
        Some((id, homeroom_teacher)) => Resource::Student {
            id,
            homeroom_teacher,
        },
        None => Resource::Nothing,
    })
}

/// An application as checked: kind, reason, effective day, other school and its code.
#[derive(Debug, PartialEq, Eq)]
struct Checked {
    kind: ChangeKind,
    reason: &'static str,
    effective_on: NaiveDate,
    other_school: String,
    other_school_code: String,
}

/// The application as typed, checked all at once against the student's `earliest` possible
/// day (their birth, their enrolment month, their last approved change), whether they are
/// `suspended`, and `today`: a change of status is filed once it has happened, so its day is
/// not in the future.
fn parse(
    input: &ChangeInput,
    today: NaiveDate,
    standing: &repo::Standing,
) -> Result<Checked, AppError> {
    let (earliest, suspended) = (standing.earliest, standing.suspended);
    let problem = |field: &str, code: &str| FieldError {
        field: field.into(),
        code: code.into(),
    };
    let mut fields = Vec::new();
    let kind = ChangeKind::parse(input.kind.trim()).filter(|k| ChangeKind::FILED.contains(k));
    match kind {
        None => fields.push(problem("kind", "change.kind_invalid")),
        Some(k) if !k.fits(suspended, standing.new_entry) => fields.push(problem(
            "kind",
            if k == ChangeKind::TransferIn {
                "change.kind_not_new"
            } else if suspended {
                "change.kind_while_suspended"
            } else {
                "change.kind_not_suspended"
            },
        )),
        Some(_) => {}
    }
    let reason = kind.and_then(|k| {
        k.reasons()
            .iter()
            .copied()
            .find(|r| *r == input.reason.trim())
    });
    if kind.is_some() && reason.is_none() {
        fields.push(problem("reason", "change.reason_invalid"));
    }
    let date = NaiveDate::parse_from_str(input.effective_on.trim(), "%Y-%m-%d").ok();
    match date {
        None => fields.push(problem("effective_on", "change.date_invalid")),
        Some(d) if d > today => fields.push(problem("effective_on", "change.date_future")),
        Some(d) if d < earliest || d.year() < 2000 => {
            fields.push(problem("effective_on", "change.date_before"))
        }
        Some(_) => {}
    }
    let mut bounded = |typed: &str, field: &str| -> String {
        let text = typed.trim();
        if text.chars().count() > MAX_SCHOOL_CHARS || text.chars().any(char::is_control) {
            fields.push(problem(field, "change.school_invalid"));
        }
        text.to_owned()
    };
    let other_school = bounded(&input.other_school, "other_school");
    let other_school_code = bounded(&input.other_school_code, "other_school_code");
    let names_a_school = kind.is_some_and(ChangeKind::names_a_school);
    if names_a_school && other_school.is_empty() {
        fields.push(problem("other_school", "change.school_required"));
    }
    // Another school named for a kind that names none is told, not silently dropped.
    if kind.is_some() && !names_a_school {
        for (typed, field) in [
            (&other_school, "other_school"),
            (&other_school_code, "other_school_code"),
        ] {
            if !typed.is_empty() {
                fields.push(problem(field, "change.school_not_for_kind"));
            }
        }
    }
    match (kind, reason, date) {
        (Some(kind), Some(reason), Some(effective_on)) if fields.is_empty() => Ok(Checked {
            kind,
            reason,
            effective_on,
            other_school,
            other_school_code,
        }),
        _ => Err(AppError {
            fields,
            ..ErrorKind::InvalidInput.into()
        }),
    }
}

/// Files an application for `student`, in the transaction the check (`FileStatusChange` on the
/// student) began: the student must still be at school, with no other application waiting.
/// Returns its id.
pub async fn file(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    student: i64,
    input: &ChangeInput,
) -> Result<String, AppError> {
    let standing = repo::earliest(&mut tx, student)
        .await?
        .ok_or_else(|| AppError::conflict("change.not_enrolled"))?;
    let checked = parse(input, cx.today(), &standing)?;
    if repo::filed_for(&mut tx, student).await?.is_some() {
        return Err(AppError::conflict("change.pending"));
    }
    let public_id = new_public_id();
    let application = Application {
        public_id: &public_id,
        student_id: student,
        kind: checked.kind,
        reason: checked.reason,
        effective_on: checked.effective_on,
        other_school: &checked.other_school,
        other_school_code: &checked.other_school_code,
        filed_by: actor.id,
        key_data: None,
    };
    // Ids only: the kind, reason and day are the pupil's, and the trail outlives their
    // destruction.
    let details = serde_json::json!({ "change": public_id });
    keep_filed(tx, cx, actor, &application, details).await?;
    Ok(public_id)
}

/// Keeps a filed application with its history's first step and audit entry (`details`:
/// ids and field names), and commits.
async fn keep_filed(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    application: &Application<'_>,
    details: serde_json::Value,
) -> Result<(), AppError> {
    let id = repo::insert(&mut tx, application, ChangeState::Filed, cx.now, None).await?;
    CHANGES
        .start(
            &mut tx,
            cx.key,
            cx.now,
            ChangeState::Filed,
            Step {
                audit_object: Some(("student", application.student_id)),
                client: cx.client.clone(),
                details,
                ..Step::new(id, "filed").by(actor.id, Role::RecordsAdmin.code())
            },
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

fn key_data_binding(public_id: &str) -> String {
    format!("key_data:{public_id}")
}

/// Files a 关键数据变更 for `student`, in the transaction the check (`FileStatusChange` on
/// the student) began: `changes` are the record's key fields as they are and as asked for,
/// checked by the records' rules already; `reason` one of the kind's. Its values are sealed;
/// the row, its history and the audit entry name the fields, never a value. Returns its id.
pub async fn file_key_data(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    student: i64,
    reason: &str,
    changes: &[KeyChange],
) -> Result<String, AppError> {
    let kind = ChangeKind::KeyData;
    let Some(reason) = kind.reasons().iter().copied().find(|r| *r == reason.trim()) else {
        return Err(AppError::invalid("reason", "change.reason_invalid"));
    };
    if changes.is_empty() {
        return Err(AppError::invalid("record", "key_data.nothing_changed"));
    }
    if repo::filed_for(&mut tx, student).await?.is_some() {
        return Err(AppError::conflict("change.pending"));
    }
    let public_id = new_public_id();
    let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
    let fields = fields.join(",");
    let sealed = cx.data.seal_json(&key_data_binding(&public_id), &changes);
    let application = Application {
        public_id: &public_id,
        student_id: student,
        kind,
        reason,
        effective_on: cx.today(),
        other_school: "",
        other_school_code: "",
        filed_by: actor.id,
        key_data: Some((&fields, &sealed)),
    };
    let details = serde_json::json!({
        "change": public_id,
        "fields": fields.split(',').collect::<Vec<_>>(),
    });
    keep_filed(tx, cx, actor, &application, details).await?;
    Ok(public_id)
}

/// A 关键数据变更's fields, opened.
fn key_changes(cx: &Context<'_>, row: &ChangeRow) -> Result<Vec<KeyChange>, AppError> {
    match &row.sealed {
        Some(sealed) => Ok(cx
            .data
            .open_json(&key_data_binding(&row.public_id), sealed)?),
        None => Ok(Vec::new()),
    }
}

/// Approves or returns `row`, in the transaction its check began, with the class the
/// approver picked (by opaque id) for a student who moves. The approval does what its kind
/// does, as of the effective day: a leaving makes the student leave (the moment it is
/// approved is when the record's retention starts), a suspension suspends them, a
/// resumption, 留级 or 跳级 puts them in the class picked. Refused, changing nothing, when the
/// student left meanwhile or the class is not one they may go to.
pub async fn decide(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &ChangeRow,
    decision: &Decision,
    class: &str,
    effects: &Effects,
) -> Result<(), AppError> {
    let comment = decision.comment();
    if let Some(comment) = comment {
        crate::kit::free_text::refuse_pupil_names(&mut tx, actor, &[("comment", comment)]).await?;
    }
    let mut to_class = None;
    let mut picked_id = None;
    let mut key_fields = Vec::new();
    if decision.approves() && row.state == ChangeState::Filed {
        // A change is approved on its proof (NATIONAL.md: 佐证材料).
        if repo::proofs_of(&mut tx, row.id).await?.is_empty() {
            return Err(AppError::conflict("change.proof_required"));
        }
        let at = cx.start_of(row.effective_on);
        let done = match row.kind.effect() {
            Effect::Leave(reason) => {
                repo::leave(&mut tx, row.student_id, reason, at, row.filed_by, cx.now).await?
            }
            Effect::Suspend => repo::suspend(&mut tx, row.student_id, at).await?,
            Effect::Move { grades } => {
                let choices = choices(&mut tx, row, grades).await?;
                let Some(picked) = choices.iter().find(|c| c.1 == class.trim()) else {
                    return Err(AppError::invalid("to_class", "change.class_invalid"));
                };
                to_class = Some(picked.0);
                picked_id = Some(picked.1.clone());
                let resumes = row.kind == ChangeKind::Resume;
                repo::move_to(&mut tx, row.student_id, picked.0, resumes).await?
            }
            Effect::KeyData => {
                let values: Vec<(String, String, String)> = key_changes(cx, row)?
                    .into_iter()
                    .map(|c| (c.field, c.before, c.after))
                    .collect();
                key_fields =
                    (effects.key_data)(&mut tx, cx, actor, row.student_id, &values).await?;
                !key_fields.is_empty()
            }
            // The record stays as it is; its verification waits for this approval.
            Effect::Arrive => repo::at_school(&mut tx, row.student_id).await?,
        };
        if !done {
            return Err(AppError::conflict(match row.kind.effect() {
                Effect::Leave(_) => "change.not_enrolled",
                _ => "change.student_changed",
            }));
        }
    }
    CHANGES
        .take(
            &mut tx,
            cx.key,
            cx.now,
            row.state,
            Step {
                audit_object: Some(("student", row.student_id)),
                client: cx.client.clone(),
                comment,
                reason: Some(format!("status_change:{}", row.public_id)),
                // What the approval changed on the student, by name and opaque id.
                details: match (decision.approves(), row.kind.effect()) {
                    (true, Effect::Leave(_)) => serde_json::json!({
                        "change": row.public_id, "fields": ["left_at", "left_reason"]
                    }),
                    (true, Effect::Suspend) => serde_json::json!({
                        "change": row.public_id, "fields": ["suspended_at"]
                    }),
                    (true, Effect::Move { .. }) => serde_json::json!({
                        "change": row.public_id, "fields": ["class", "suspended_at"],
                        "to_class": picked_id,
                    }),
                    (true, Effect::KeyData) => serde_json::json!({
                        "change": row.public_id, "fields": key_fields,
                    }),
                    (true, Effect::Arrive) => serde_json::json!({
                        "change": row.public_id, "registered": true,
                    }),
                    _ => serde_json::json!({ "change": row.public_id }),
                },
                ..Step::new(row.id, decision.event())
                    .by(actor.id, Role::Leader.code())
                    .telling([row.filed_by])
            },
        )
        .await?;
    repo::decide(&mut tx, row.id, actor.id, comment, to_class, cx.now).await?;
    tx.commit().await?;
    Ok(())
}

/// The classes the student of `row` may go to (see `Effect::Move`).
async fn choices(
    conn: &mut Conn,
    row: &ChangeRow,
    grades: Option<i64>,
) -> Result<Vec<(i64, String, String, i64, String)>, AppError> {
    let grade = row.student_grade;
    let (lowest, highest) = match grades {
        Some(by) => (grade + by, grade + by),
        None => (
            grade,
            grade + repo::years_since(&mut *conn, row.student_class_id).await?,
        ),
    };
    Ok(repo::class_choices(conn, lowest, highest).await?)
}

/// Withdraws the filer's own application while it waits.
pub async fn withdraw(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &ChangeRow,
) -> Result<(), AppError> {
    CHANGES
        .take(
            &mut tx,
            cx.key,
            cx.now,
            row.state,
            Step {
                audit_object: Some(("student", row.student_id)),
                client: cx.client.clone(),
                details: serde_json::json!({ "change": row.public_id }),
                ..Step::new(row.id, "withdrawn").by(actor.id, Role::RecordsAdmin.code())
            },
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Carries over the leavings marked before changes of status needed a leader's approval
/// (issue 31): each becomes an approved change (a transfer out, or another leaving, for the
/// reason `other`), filed by the records administrator who marked it and approved by no one,
/// its history and the audit trail saying the upgrade carried it over
/// (`status_change.migrated`). Run at every start; a start with nothing to carry over takes
/// no write lock, and of several instances starting at once the second finds nothing left.
/// Returns how many were carried over.
pub async fn carry_over_earlier_leavings(
    pool: &crate::db::Pool,
    key: &crate::kit::audit::chain::AuditKey,
    timezone: chrono_tz::Tz,
    now: chrono::DateTime<Utc>,
) -> Result<usize, AppError> {
    {
        let mut conn = crate::db::begin_read(pool).await?;
        let unattributed = repo::unattributed_leavings(&mut conn).await?;
        if unattributed > 0 {
            tracing::warn!(
                unattributed,
                "leavings marked before the portal kept who marked them stay as they are"
            );
        }
        if repo::earlier_leavings_count(&mut conn).await? == 0 {
            return Ok(0);
        }
    }
    // A batch per write transaction: pages and other instances wait for one batch at most.
    let mut carried = 0;
    loop {
        let mut tx = crate::db::begin_write(pool).await?;
        let leavings = repo::earlier_leavings(&mut tx, CARRIED_PER_TRANSACTION).await?;
        carry_over(&mut tx, key, timezone, now, &leavings).await?;
        tx.commit().await?;
        carried += leavings.len();
        if (leavings.len() as i64) < CARRIED_PER_TRANSACTION {
            return Ok(carried);
        }
    }
}

/// How many leavings one write transaction carries over.
const CARRIED_PER_TRANSACTION: i64 = 200;

async fn carry_over(
    tx: &mut Conn,
    key: &crate::kit::audit::chain::AuditKey,
    timezone: chrono_tz::Tz,
    now: chrono::DateTime<Utc>,
    leavings: &[repo::EarlierLeaving],
) -> Result<(), AppError> {
    for (student, left_at, reason, marked_by, recorded_at) in leavings {
        let kind = if reason == "transferred" {
            ChangeKind::TransferOut
        } else {
            ChangeKind::OtherLeave
        };
        let public_id = new_public_id();
        let id = repo::insert(
            &mut *tx,
            &Application {
                public_id: &public_id,
                student_id: *student,
                kind,
                reason: "other",
                effective_on: left_at.with_timezone(&timezone).date_naive(),
                other_school: "",
                other_school_code: "",
                filed_by: *marked_by,
                key_data: None,
            },
            ChangeState::Approved,
            recorded_at.unwrap_or(now),
            Some(now),
        )
        .await?;
        CHANGES
            .start(
                &mut *tx,
                key,
                now,
                ChangeState::Approved,
                Step {
                    audit_object: Some(("student", *student)),
                    details: serde_json::json!({ "change": public_id, "marked_by": marked_by }),
                    ..Step::new(id, "migrated")
                },
            )
            .await?;
    }
    Ok(())
}

fn class(row: &ChangeRow) -> ClassRef {
    ClassRef {
        school_year: row.school_year.clone(),
        grade: row.grade,
        name: row.class_name.clone(),
    }
}

/// The pupil's name as `actor` may read it: a 绝密 pupil's is for records administrators
/// only (a leader decides on the form, the class and the record id).
fn student_name(row: &ChangeRow, actor: &Actor) -> (String, bool) {
    if row.top_secret && !actor.has(Role::RecordsAdmin) {
        (String::new(), true)
    } else {
        (row.student_name.clone(), false)
    }
}

fn summary(
    cx: &Context<'_>,
    calendar: &crate::domain::calendar::Calendar,
    actor: &Actor,
    row: &ChangeRow,
    changed: &[i64],
) -> ChangeSummary {
    let (student, student_hidden) = student_name(row, actor);
    let due = (row.state == ChangeState::Filed).then(|| due_on(cx, calendar, row.filed_at));
    ChangeSummary {
        id: row.public_id.clone(),
        student,
        student_hidden,
        class: class(row),
        kind: row.kind,
        effective_on: row.effective_on.to_string(),
        filed_at: cx.local(Some(row.filed_at)),
        state: row.state,
        changed: changed.contains(&row.id),
        due_on: due.map(|d| d.to_string()),
        overdue: due.is_some_and(|d| d < cx.today()),
    }
}

/// The changes page of `actor`: a records administrator's own applications; a leader's to
/// decide (those they did not file) and the latest decided.
pub async fn home(cx: &Context<'_>, actor: &Actor) -> Result<ChangesHome, AppError> {
    let mut conn = crate::db::begin_read(cx.pool).await?;
    let changed = notices::unread_objects(&mut conn, actor.id, CHANGES.name).await?;
    let calendar = crate::features::calendar::service::calendar(&mut conn).await?;
    let archived_before = crate::kit::retention::archived_before(cx.now);
    let list = |rows: Vec<ChangeRow>| -> Vec<ChangeSummary> {
        rows.iter()
            .map(|r| summary(cx, &calendar, actor, r, &changed))
            .collect()
    };
    let (mine, long_suspended) = if actor.has(Role::RecordsAdmin) {
        let since = cx.now - chrono::Duration::days(SUSPENSION_REMINDER_DAYS);
        (
            list(repo::filed_by(&mut conn, actor.id, LISTED, archived_before).await?),
            repo::suspended_since(&mut conn, since, LISTED)
                .await?
                .into_iter()
                .map(
                    |(id, name, school_year, grade, class, since)| SuspendedStudent {
                        id,
                        name,
                        class: ClassRef {
                            school_year,
                            grade,
                            name: class,
                        },
                        since: cx.local_date(since),
                    },
                )
                .collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let (to_decide, decided) = if actor.has(Role::Leader) {
        (
            Some(list(
                repo::to_decide(&mut conn, actor.id, LISTED, archived_before).await?,
            )),
            Some(list(
                repo::decided_by(&mut conn, actor.id, LISTED, archived_before).await?,
            )),
        )
    } else {
        (None, None)
    };
    Ok(ChangesHome {
        queues: Queues {
            mine,
            to_decide,
            decided,
        },
        long_suspended,
    })
}

/// One application as its 审批表 shows it, in the transaction its check began; opening it
/// marks what its reader was told about it as read.
pub async fn view(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    resource: Resource,
    row: &ChangeRow,
    locale: crate::i18n::Locale,
) -> Result<ChangeView, AppError> {
    let history = CHANGES
        .opened(&mut tx, cx, Some(actor.id), row.id, None)
        .await?;
    let filed = row.state == ChangeState::Filed;
    let due = if filed {
        let calendar = crate::features::calendar::service::calendar(&mut tx).await?;
        Some(due_on(cx, &calendar, row.filed_at))
    } else {
        None
    };
    let can_decide = filed && permits(Some(actor), Action::DecideStatusChange, resource);
    let proofs: Vec<ProofView> = repo::proofs_of(&mut tx, row.id)
        .await?
        .into_iter()
        .map(|(id, media_type, size, at)| ProofView {
            id,
            media_type,
            size,
            uploaded_at: cx.local(Some(at)),
        })
        .collect();
    let proof_count = proofs.len();
    let class_choices = match row.kind.effect() {
        Effect::Move { grades } if can_decide => choices(&mut tx, row, grades)
            .await?
            .into_iter()
            .map(|(_, id, school_year, grade, name)| {
                (
                    id,
                    ClassRef {
                        school_year,
                        grade,
                        name,
                    },
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    tx.commit().await?;
    let (student, student_hidden) = student_name(row, actor);
    // A key-data change as a person reads it (a code by its name), classified values
    // masked; nothing of a 绝密 pupil's shown to a leader.
    let key_changes = if student_hidden {
        Vec::new()
    } else {
        key_changes(cx, row)?
            .into_iter()
            .map(|c| {
                let meta = crate::domain::records::fields::STUDENT
                    .iter()
                    .map(|f| f.meta)
                    .find(|m| m.key == c.field);
                let read = |raw: &str| match meta {
                    Some(m) if m.is_classified() => {
                        crate::domain::records::masked(m.key, raw, row.top_secret)
                    }
                    Some(m) => crate::domain::records::fields::shown(locale, m.kind, raw),
                    None => String::new(),
                };
                KeyChange {
                    before: read(&c.before),
                    after: read(&c.after),
                    field: c.field,
                }
            })
            .collect()
    };
    Ok(ChangeView {
        key_changes,
        id: row.public_id.clone(),
        student,
        student_hidden,
        student_id: actor
            .has(Role::RecordsAdmin)
            .then(|| row.student_public_id.clone()),
        class: class(row),
        kind: row.kind,
        reason: row.reason.clone(),
        effective_on: row.effective_on.to_string(),
        other_school: row.other_school.clone(),
        other_school_code: row.other_school_code.clone(),
        state: row.state,
        filer: row.filer.clone(),
        filed_at: cx.local(Some(row.filed_at)),
        decider: row.decider.clone(),
        decided_at: row.decided_at.map(|t| cx.local(Some(t))),
        decision_comment: row.decision_comment.clone(),
        due_on: due.map(|d| d.to_string()),
        overdue: due.is_some_and(|d| d < cx.today()),
        to_class: match (&row.to_school_year, row.to_grade, &row.to_class_name) {
            (Some(school_year), Some(grade), Some(name)) => Some(ClassRef {
                school_year: school_year.clone(),
                grade,
                name: name.clone(),
            }),
            _ => None,
        },
        student_now: {
            let now = ClassRef {
                school_year: row.student_school_year.clone(),
                grade: row.student_grade,
                name: row.student_class_name.clone(),
            };
            (filed && now != class(row)).then_some(now)
        },
        suspended_now: filed && row.suspended,
        class_choices,
        history,
        proofs,
        can_decide,
        can_add_proof: permits(Some(actor), Action::AddStatusChangeProof, resource)
            && proof_count < MAX_PROOFS,
        can_withdraw: filed && permits(Some(actor), Action::WithdrawStatusChange, resource),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: &str, reason: &str, date: &str, school: &str) -> ChangeInput {
        ChangeInput {
            student_id: String::new(),
            kind: kind.into(),
            reason: reason.into(),
            effective_on: date.into(),
            other_school: school.into(),
            other_school_code: String::new(),
        }
    }

    fn codes(e: AppError) -> Vec<(String, String)> {
        e.fields.into_iter().map(|f| (f.field, f.code)).collect()
    }

    #[test]
    fn an_application_is_checked_all_at_once() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let earliest = NaiveDate::from_ymd_opt(2023, 9, 1).unwrap();
        let at_school = repo::Standing {
            earliest,
            suspended: false,
            new_entry: false,
        };
        let away = repo::Standing {
            suspended: true,
            ..at_school
        };
        let new_entry = repo::Standing {
            new_entry: true,
            ..at_school
        };
        let refused = |(kind, reason, day, school), standing| {
            codes(parse(&input(kind, reason, day, school), today, standing).unwrap_err())
        };
        let ok = parse(
            &input(
                "transfer_out",
                "family_moved",
                "2026-12-01",
                " 城东第二小学 ",
            ),
            today,
            &at_school,
        )
        .unwrap();
        assert_eq!(ok.kind, ChangeKind::TransferOut);
        assert_eq!(ok.other_school, "城东第二小学");
        // A kind not filed on this form, a 转入 of a record that is no new entry, a reason
        // of another kind, a day to come, no school.
        assert_eq!(
            refused(("key_data", "other", "2026-12-01", ""), &at_school),
            [("kind".into(), "change.kind_invalid".into())]
        );
        assert_eq!(
            refused(
                ("transfer_in", "other", "2026-12-01", "城西小学"),
                &at_school
            ),
            [("kind".into(), "change.kind_not_new".into())]
        );
        assert!(
            parse(
                &input("transfer_in", "other", "2026-12-01", "城西小学"),
                today,
                &new_entry,
            )
            .is_ok()
        );
        assert_eq!(
            refused(("death", "family_moved", "2026-12-08", ""), &at_school),
            [
                ("reason".into(), "change.reason_invalid".into()),
                ("effective_on".into(), "change.date_future".into()),
            ]
        );
        assert_eq!(
            refused(("transfer_out", "other", "2023-08-31", ""), &at_school),
            [
                ("effective_on".into(), "change.date_before".into()),
                ("other_school".into(), "change.school_required".into()),
            ]
        );
        assert_eq!(
            refused(("abroad", "other", "明天", ""), &at_school),
            [("effective_on".into(), "change.date_invalid".into())]
        );
        // A school named where the kind names none is refused, not dropped unsaid.
        assert_eq!(
            refused(("drop_out", "hardship", "2026-12-07", "某校"), &at_school),
            [("other_school".into(), "change.school_not_for_kind".into())]
        );
        // A suspended student resumes or leaves; one at school does not resume.
        assert!(
            parse(
                &input("resume", "recovered", "2026-12-01", ""),
                today,
                &away,
            )
            .is_ok()
        );
        assert_eq!(
            refused(("resume", "recovered", "2026-12-01", ""), &at_school),
            [("kind".into(), "change.kind_not_suspended".into())]
        );
        assert_eq!(
            refused(("repeat_grade", "academic", "2026-12-01", ""), &away),
            [("kind".into(), "change.kind_while_suspended".into())]
        );
        let long = "校".repeat(MAX_SCHOOL_CHARS + 1);
        assert_eq!(
            refused(("transfer_out", "other", "2026-12-07", &long), &at_school),
            [("other_school".into(), "change.school_invalid".into())]
        );
    }
}
