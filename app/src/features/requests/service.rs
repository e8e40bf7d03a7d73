//! Information requests and releases (POLICY.md article 2): filed by anyone, approved (or
//! narrowed, or rejected) by a leader who did not file it, released by a records
//! administrator who neither filed nor approved it, read by its requester alone while the
//! window runs, and ended by its requester, its window, or a revocation. Every transition is
//! a step of the workflow helper (history and audit entry in the same transaction); every
//! opening is a disclosure entry in the transaction that reads the values, which are never
//! written anywhere.

use chrono::{DateTime, Duration, Utc};

use crate::{
    db::Conn,
    domain::{
        Actor, Role,
        access::Resource,
        records::{
            Classification,
            fields::{self, Meta},
        },
        requests::{self as rules, Filing, Purpose, State},
    },
    errors::AppError,
    features::{
        records::{service as records, store as students_store},
        requests::{
            store::{self as repo, Kept, Listing, RegisterFilter, RequestRow},
            views::*,
        },
        structure::{service as structure, views::ClassRef},
    },
    i18n::Locale,
    kit::context::Context,
    kit::{
        audit::chain::{self as audit, AuditKey, NewEntry},
        workflow::notices,
        workflow::{Deadline, Decision, Step, Transition, Workflow, WorkflowState},
    },
};

impl WorkflowState for State {
    fn code(self) -> &'static str {
        State::code(self)
    }
}

/// The workflow: `requested → approved | rejected → released → closed | expired | revoked`,
/// with withdrawal before release and lapse of what nobody decided.
pub static REQUESTS: Workflow<State> = Workflow {
    name: "info_request",
    table: "info_requests",
    column: "state",
    transitions: &[
        Transition {
            event: "withdrawn",
            from: &[State::Requested, State::Approved],
            to: State::Withdrawn,
        },
        Transition {
            event: "lapsed",
            from: &[State::Requested, State::Approved],
            to: State::Lapsed,
        },
        Transition {
            event: "approved",
            from: &[State::Requested],
            to: State::Approved,
        },
        Transition {
            event: "rejected",
            from: &[State::Requested],
            to: State::Rejected,
        },
        Transition {
            event: "fulfilled",
            from: &[State::Approved],
            to: State::Released,
        },
        Transition {
            event: "closed",
            from: &[State::Released],
            to: State::Closed,
        },
        Transition {
            event: "expired",
            from: &[State::Released],
            to: State::Expired,
        },
        Transition {
            event: "revoked",
            from: &[State::Approved, State::Released],
            to: State::Revoked,
        },
    ],
    // Nothing waits for ever: an undecided request, or an approval nobody released, lapses
    // 7 days on (`lapses_at`); a release expires when its window is over (`ends_at`).
    deadlines: &[
        Deadline {
            state: State::Requested,
            column: "lapses_at",
            event: "lapsed",
        },
        Deadline {
            state: State::Approved,
            column: "lapses_at",
            event: "lapsed",
        },
        Deadline {
            state: State::Released,
            column: "ends_at",
            event: "expired",
        },
    ],
};

/// How many requests a list shows.
const LISTED: i64 = 200;

fn state_of(row: &RequestRow) -> Result<State, AppError> {
    State::parse(&row.state).ok_or_else(|| AppError::internal("unknown request state"))
}

fn purpose_of(row: &RequestRow) -> Result<Purpose, AppError> {
    Purpose::parse(&row.purpose).ok_or_else(|| AppError::internal("unknown purpose"))
}

fn when(cx: &Context<'_>, t: DateTime<Utc>) -> String {
    cx.local(Some(t))
}

/// The request `public_id` as the guard loads it, and the resource an action on it is about
/// (Nothing when there is no such request).
impl crate::authz::Stored for RequestRow {
    async fn find(conn: &mut Conn, public_id: &str) -> Result<(Resource, Option<Self>), AppError> {
        let row = repo::find(conn, public_id).await?;
        Ok((row.as_ref().map_or(Resource::Nothing, resource_of), row))
    }
}

fn resource_of(r: &RequestRow) -> Resource {
    Resource::InfoRequest {
        id: r.id,
        requester: r.requester_id,
        approver: r.decided_by,
        fulfiller: r.fulfilled_by,
    }
}

/// The request the guard just checked in this transaction, with what ran out ended first: a
/// request nobody decided lapses, a release past its window expires. The end is checked
/// here, on every request, not only by the sweeper.
async fn current(tx: &mut Conn, cx: &Context<'_>, row: RequestRow) -> Result<RequestRow, AppError> {
    let Some(event) = due(&row, cx.now)? else {
        return Ok(row);
    };
    end_by_clock(tx, cx.key, cx.now, &row, event).await?;
    repo::find_by_id(tx, row.id)
        .await?
        .ok_or_else(AppError::not_found)
}

/// Ends the request `public_id` if the clock has ended it (it lapsed, or its window ran
/// out), in a transaction of its own, so that the end stands whatever the call that comes
/// next does. Says nothing either way: it runs before the caller's check.
pub async fn settle(cx: &Context<'_>, public_id: &str) -> Result<(), AppError> {
    // Most calls find nothing to end: a read says so without taking the write lock.
    let mut conn = cx.pool.acquire().await?;
    match repo::find(&mut conn, public_id).await? {
        Some(row) if due(&row, cx.now)?.is_some() => {}
        _ => return Ok(()),
    }
    drop(conn);
    let mut tx = crate::db::begin_write(cx.pool).await?;
    if let Some(row) = repo::find(&mut tx, public_id).await?
        && let Some(event) = due(&row, cx.now)?
    {
        end_by_clock(&mut tx, cx.key, cx.now, &row, event).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// The state `row` is in at `now`, as a list shows it: what the clock ended already reads as
/// ended, before the sweeper (or the next step on it) writes it down.
fn shown_state(row: &RequestRow, now: DateTime<Utc>) -> Result<State, AppError> {
    Ok(match due(row, now)? {
        Some("lapsed") => State::Lapsed,
        Some("expired") => State::Expired,
        _ => state_of(row)?,
    })
}

/// What the clock ends of `row` at `now`, if anything.
fn due(row: &RequestRow, now: DateTime<Utc>) -> Result<Option<&'static str>, AppError> {
    Ok(match state_of(row)? {
        State::Requested | State::Approved if row.lapses_at <= now => Some("lapsed"),
        State::Released if row.ends_at.is_some_and(|e| e <= now) => Some("expired"),
        _ => None,
    })
}

/// Ends `row` by the clock (no actor), telling its requester.
async fn end_by_clock(
    tx: &mut Conn,
    key: &AuditKey,
    now: DateTime<Utc>,
    row: &RequestRow,
    event: &'static str,
) -> Result<(), AppError> {
    let from = state_of(row)?;
    REQUESTS
        .take(
            tx,
            key,
            now,
            from,
            Step {
                details: serde_json::json!({ "request_id": row.id }),
                ..Step::new(row.id, event).telling([row.requester_id])
            },
        )
        .await?;
    if event == "expired" {
        repo::set_ended(&mut *tx, row.id, None, now, None).await?;
    }
    Ok(())
}

/// The sweeper's part: lapses what nobody decided within 7 days and approvals nobody
/// released within 7 days of them, and expires releases whose window is over.
pub const SWEEP: crate::kit::sweeper::Sweep = crate::kit::sweeper::Sweep {
    due: sweep_due,
    run: sweep,
};

fn sweep_due(conn: &mut Conn, now: DateTime<Utc>) -> crate::kit::sweeper::Step<'_, bool> {
    Box::pin(async move { Ok(!REQUESTS.due(conn, now).await?.is_empty()) })
}

/// The sweep itself, in the sweeper's write transaction: returns how many it ended.
fn sweep<'a>(
    tx: &'a mut Conn,
    key: &'a AuditKey,
    now: DateTime<Utc>,
) -> crate::kit::sweeper::Step<'a, u64> {
    Box::pin(async move {
        let mut ended = 0;
        for (id, event) in REQUESTS.due(&mut *tx, now).await? {
            let row = repo::find_by_id(&mut *tx, id)
                .await?
                .ok_or_else(AppError::not_found)?;
            end_by_clock(tx, key, now, &row, event).await?;
            ended += 1;
        }
        Ok(ended)
    })
}

/// The fields one may ask for, as the form lists them.
pub fn field_choices() -> Vec<FieldChoice> {
    rules::requestable()
        .map(|(key, meta)| choice(&key, meta))
        .collect()
}

fn choice(key: &str, meta: Meta) -> FieldChoice {
    FieldChoice {
        key: key.to_owned(),
        label: meta.label.to_owned(),
        section: meta.section.label().to_owned(),
        classified: meta.is_classified(),
        family: key.starts_with("guardian."),
    }
}

/// Names students by id: (id, 绝密, the student by name and class), in `ids`' order,
/// skipping ids no longer there.
async fn named(
    conn: &mut Conn,
    public_ids: &[String],
) -> Result<Vec<(i64, bool, NamedStudent)>, AppError> {
    let mut found = Vec::new();
    for public_id in public_ids {
        let Some(scope) = students_store::student_scope(&mut *conn, public_id).await? else {
            continue;
        };
        let Some(row) = students_store::student(&mut *conn, scope.id).await? else {
            continue;
        };
        found.push((
            scope.id,
            scope.class_id,
            row.top_secret,
            row.details.name.clone(),
            public_id.clone(),
        ));
    }
    let classes = structure::summaries(&mut *conn, found.iter().map(|f| f.1)).await?;
    Ok(found
        .into_iter()
        .map(|(id, class_id, top_secret, name, public_id)| {
            (
                id,
                top_secret,
                NamedStudent {
                    id: public_id,
                    name,
                    class: classes.get(&class_id).map(ClassRef::from),
                },
            )
        })
        .collect())
}

/// A whole class picked for a request, as the filer's session keeps it beside the students
/// picked one by one.
const CLASS_PICK: &str = "class:";

/// The session's entry for the whole class `class_public_id`.
pub fn class_pick(class_public_id: &str) -> String {
    format!("{CLASS_PICK}{class_public_id}")
}

/// The filing form for the `picked` students and classes (opaque ids kept in the filer's
/// session) with the students as the filer named them when the picker confirmed them. A
/// class picked whole shows as its name and size: its roster is not the filer's to read.
pub async fn filing_form(
    conn: &mut Conn,
    picked: &[String],
    confirmed: &[(String, bool)],
    draft: rules::FilingInput,
) -> Result<FilingView, AppError> {
    let mut picked_classes = Vec::new();
    for entry in picked.iter().filter(|p| p.starts_with(CLASS_PICK)) {
        let class_id = &entry[CLASS_PICK.len()..];
        let Some(class) =
            crate::features::structure::store::class_by_public_id(&mut *conn, class_id).await?
        else {
            continue;
        };
        let size = students_store::public_ids_of_class(&mut *conn, class.id)
            .await?
            .len();
        let summary = crate::features::structure::views::ClassSummary::from(class);
        picked_classes.push((entry.clone(), ClassRef::from(&summary), size));
    }
    // The students confirmed one by one, as the filer named them: the class only when they
    // named it (a number does not tell them where a pupil is).
    let ids: Vec<String> = confirmed
        .iter()
        .filter(|(id, _)| picked.contains(id))
        .map(|(id, _)| id.clone())
        .collect();
    let picked_students = named(&mut *conn, &ids)
        .await?
        .into_iter()
        .map(|(.., mut student)| {
            if !confirmed
                .iter()
                .any(|(id, by_class)| *id == student.id && *by_class)
            {
                student.class = None;
            }
            student
        })
        .collect();
    let mut classes: Vec<(String, ClassRef)> = Vec::new();
    let rows = crate::features::structure::store::classes(&mut *conn).await?;
    let latest = rows.iter().map(|c| c.school_year.clone()).max();
    for c in rows {
        if Some(&c.school_year) == latest.as_ref() {
            let summary = crate::features::structure::views::ClassSummary::from(c);
            classes.push((summary.id.clone(), ClassRef::from(&summary)));
        }
    }
    Ok(FilingView {
        picked: picked_students,
        picked_classes,
        classes,
        fields: field_choices(),
        max_students: rules::MAX_STUDENTS,
        draft,
    })
}

/// The students the `picked` entries stand for, each once, by opaque id: those picked one by
/// one and every student of each class picked whole (an unknown class is refused).
pub async fn expand_picks(conn: &mut Conn, picked: &[String]) -> Result<Vec<String>, AppError> {
    let mut out: Vec<String> = Vec::new();
    for entry in picked {
        let ids = match entry.strip_prefix(CLASS_PICK) {
            Some(class_id) => {
                let class =
                    crate::features::structure::store::class_by_public_id(&mut *conn, class_id)
                        .await?
                        .ok_or_else(|| AppError::invalid("class_id", "request.class_unknown"))?;
                students_store::public_ids_of_class(&mut *conn, class.id).await?
            }
            None => vec![entry.clone()],
        };
        for id in ids {
            if !out.contains(&id) {
                out.push(id);
            }
        }
    }
    Ok(out)
}

/// Files a request for the `picked` students: every rule checked (the filing's, and that
/// the students exist and are not too many), one transaction for the request, its students
/// and fields, its history and audit entry.
pub async fn file(
    cx: &Context<'_>,
    actor: &Actor,
    picked: &[String],
    filing: &Filing,
) -> Result<String, AppError> {
    let mut tx = crate::db::begin_write(cx.pool).await?;
    crate::kit::free_text::refuse_pupil_names(
        &mut tx,
        actor,
        &[
            ("reason", &filing.reason),
            (
                "outside_party",
                filing.outside_party.as_deref().unwrap_or_default(),
            ),
            (
                "letter_reference",
                filing.letter_reference.as_deref().unwrap_or_default(),
            ),
        ],
    )
    .await?;
    let picked = expand_picks(&mut tx, picked).await?;
    if picked.is_empty() {
        return Err(AppError::invalid("students", "request.students_required"));
    }
    if picked.len() > rules::MAX_STUDENTS {
        return Err(AppError::invalid("students", "request.too_many_students"));
    }
    let students = named(&mut tx, &picked).await?;
    if students.is_empty() {
        return Err(AppError::invalid("students", "request.students_required"));
    }
    let ids: Vec<i64> = students.iter().map(|s| s.0).collect();
    let top_secret = students.iter().any(|s| s.1);
    let public_id = crate::db::new_public_id();
    let id = repo::insert(
        &mut tx,
        &repo::NewRequest {
            public_id: &public_id,
            requester_id: actor.id,
            purpose: filing.purpose.code(),
            reason: &filing.reason,
            outside_party: filing.outside_party.as_deref(),
            letter_reference: filing.letter_reference.as_deref(),
            window_hours: filing.window_hours,
            top_secret,
            filed_at: cx.now,
            lapses_at: cx.now + Duration::days(rules::LAPSE_DAYS),
        },
        &ids,
        &filing.fields,
    )
    .await?;
    REQUESTS
        .start(
            &mut tx,
            cx.key,
            cx.now,
            State::Requested,
            Step {
                actor: Some(actor.id),
                client: cx.client.clone(),
                reason: Some(format!("purpose:{}", filing.purpose.code())),
                classification: if top_secret { "top_secret" } else { "ordinary" },
                details: serde_json::json!({
                    "request_id": id,
                    "students": ids,
                    "fields": filing.fields,
                    "window_hours": filing.window_hours,
                    "outside_party": filing.outside_party.is_some(),
                }),
                ..Step::new(id, "filed")
            },
        )
        .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// The step of `event` on `row` by `actor` from this request's client, its audit entry
/// naming the request.
fn step_of(
    row: &RequestRow,
    event: &'static str,
    actor: &Actor,
    cx: &Context<'_>,
) -> Step<'static> {
    Step {
        actor: Some(actor.id),
        client: cx.client.clone(),
        details: serde_json::json!({ "request_id": row.id }),
        ..Step::new(row.id, event)
    }
}

/// Takes `step` on `row` from the state it was loaded in.
async fn take(
    tx: &mut Conn,
    cx: &Context<'_>,
    row: &RequestRow,
    step: Step<'_>,
) -> Result<i64, AppError> {
    REQUESTS
        .take(tx, cx.key, cx.now, state_of(row)?, step)
        .await
}

/// The role `actor` acts in for a step, for the audit entry.
fn acting_role(actor: &Actor, preferred: &[Role]) -> Option<&'static str> {
    preferred.iter().find(|r| actor.has(**r)).map(|r| r.code())
}

/// Withdraws one's own request before its release.
pub async fn withdraw(
    mut tx: crate::db::Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: RequestRow,
) -> Result<(), AppError> {
    let row = current(&mut tx, cx, row).await?;
    take(&mut tx, cx, &row, step_of(&row, "withdrawn", actor, cx)).await?;
    tx.commit().await?;
    Ok(())
}

/// What an approval keeps, as typed (never more than was asked for).
pub struct Scope {
    /// The students kept (opaque ids) and the fields kept.
    pub students: Vec<String>,
    pub fields: Vec<String>,
    pub window_hours: String,
}

/// A leader approves (keeping some of the students and fields, perhaps a shorter window:
/// never more) or rejects (with a comment). The second of two leaders deciding at once is
/// told that it was decided.
pub async fn decide(
    mut tx: crate::db::Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: RequestRow,
    approve: bool,
    comment: &str,
    scope: &Scope,
) -> Result<(), AppError> {
    let row = current(&mut tx, cx, row).await?;
    let from = state_of(&row)?;
    REQUESTS.target(from, if approve { "approved" } else { "rejected" })?;
    // The comment after the state: a request that moved on says so first.
    let decision = Decision::with(approve, comment)?;
    let event = decision.event();
    let comment = decision.comment().map(str::to_owned);
    crate::kit::free_text::refuse_pupil_names(
        &mut tx,
        actor,
        &[("comment", comment.as_deref().unwrap_or_default())],
    )
    .await?;
    let students = repo::students(&mut tx, row.id).await?;
    let fields = repo::fields(&mut tx, row.id).await?;
    let mut details = serde_json::json!({ "request_id": row.id });
    let mut window = row.window_hours;
    if decision.approves() {
        let before: Vec<String> = students.iter().map(|s| s.public_id.clone()).collect();
        let kept_students = rules::narrowed(&before, &scope.students, "students")?;
        let before_fields: Vec<String> = fields.iter().map(|f| f.field.clone()).collect();
        let kept_fields = rules::narrowed(&before_fields, &scope.fields, "fields")?;
        window = rules::window(&scope.window_hours, row.window_hours)
            .ok_or_else(|| AppError::invalid("window_hours", "request.window_longer"))?;
        let kept_ids: Vec<i64> = students
            .iter()
            .filter(|s| kept_students.contains(&s.public_id))
            .map(|s| s.id)
            .collect();
        repo::keep(&mut tx, row.id, Kept::Approved, &kept_ids, &kept_fields).await?;
        let struck: Vec<i64> = students
            .iter()
            .filter(|s| !kept_students.contains(&s.public_id))
            .map(|s| s.id)
            .collect();
        let struck_fields: Vec<&String> = before_fields
            .iter()
            .filter(|f| !kept_fields.contains(f))
            .collect();
        details = serde_json::json!({
            "request_id": row.id,
            "students": kept_ids,
            "fields": kept_fields,
            "struck_students": struck,
            "struck_fields": struck_fields,
            "window_hours": window,
            "requested_window_hours": row.window_hours,
        });
    }
    repo::set_decision(
        &mut tx,
        row.id,
        actor.id,
        cx.now,
        comment.as_deref(),
        window,
        // An approval is released within the lapse period from now, or lapses.
        if decision.approves() {
            cx.now + Duration::days(rules::LAPSE_DAYS)
        } else {
            row.lapses_at
        },
    )
    .await?;
    take(
        &mut tx,
        cx,
        &row,
        Step {
            role: Some(Role::Leader.code()),
            comment: comment.as_deref(),
            reason: Some(format!("purpose:{}", row.purpose)),
            classification: if row.top_secret {
                "top_secret"
            } else {
                "ordinary"
            },
            details,
            ..step_of(&row, event, actor, cx).telling([row.requester_id])
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A records administrator releases the approved students and fields, or fewer; the window
/// starts now.
pub async fn fulfil(
    mut tx: crate::db::Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: RequestRow,
    kept_students: &[String],
    kept_fields: &[String],
) -> Result<(), AppError> {
    let row = current(&mut tx, cx, row).await?;
    let from = state_of(&row)?;
    REQUESTS.target(from, "fulfilled")?;
    let students = repo::students(&mut tx, row.id).await?;
    let fields = repo::fields(&mut tx, row.id).await?;
    let approved: Vec<String> = students
        .iter()
        .filter(|s| s.approved)
        .map(|s| s.public_id.clone())
        .collect();
    let kept = rules::narrowed(&approved, kept_students, "students")?;
    let approved_fields: Vec<String> = fields
        .iter()
        .filter(|f| f.approved)
        .map(|f| f.field.clone())
        .collect();
    let kept_fields = rules::narrowed(&approved_fields, kept_fields, "fields")?;
    let kept_ids: Vec<i64> = students
        .iter()
        .filter(|s| kept.contains(&s.public_id))
        .map(|s| s.id)
        .collect();
    repo::keep(&mut tx, row.id, Kept::Released, &kept_ids, &kept_fields).await?;
    let ends_at = cx.now + Duration::hours(row.window_hours);
    repo::set_released(&mut tx, row.id, actor.id, cx.now, ends_at).await?;
    take(
        &mut tx,
        cx,
        &row,
        Step {
            role: Some(Role::RecordsAdmin.code()),
            reason: Some(format!("purpose:{};approval:{}", row.purpose, row.id)),
            classification: if row.top_secret {
                "top_secret"
            } else {
                "confidential"
            },
            details: serde_json::json!({
                "request_id": row.id,
                "students": kept_ids,
                "fields": kept_fields,
                "ends_at": audit::timestamp(ends_at),
            }),
            ..step_of(&row, "fulfilled", actor, cx).telling([row.requester_id])
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The requester ends their release when done (使用完毕).
pub async fn close(
    mut tx: crate::db::Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: RequestRow,
) -> Result<(), AppError> {
    let row = current(&mut tx, cx, row).await?;
    take(&mut tx, cx, &row, step_of(&row, "closed", actor, cx)).await?;
    repo::set_ended(&mut tx, row.id, Some(actor.id), cx.now, None).await?;
    tx.commit().await?;
    Ok(())
}

/// A leader or records administrator ends a release (or an approval not yet released)
/// early, with a reason.
pub async fn revoke(
    mut tx: crate::db::Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: RequestRow,
    reason: &str,
) -> Result<(), AppError> {
    let row = current(&mut tx, cx, row).await?;
    let reason = rules::comment(reason, "reason", true)?;
    crate::kit::free_text::refuse_pupil_names(
        &mut tx,
        actor,
        &[("reason", reason.as_deref().unwrap_or_default())],
    )
    .await?;
    revoke_in(
        &mut tx,
        cx,
        actor,
        &row,
        reason.as_deref().unwrap_or_default(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends the live request `row` (approved or released) in the caller's transaction, with a
/// reason: the step, its audit entry, the end, and the requester told. Also what a leader
/// containing a leak report does to each release it revokes.
pub async fn revoke_in(
    tx: &mut Conn,
    cx: &Context<'_>,
    actor: &Actor,
    row: &RequestRow,
    reason: &str,
) -> Result<(), AppError> {
    take(
        tx,
        cx,
        row,
        Step {
            role: acting_role(actor, &[Role::Leader, Role::RecordsAdmin]),
            comment: Some(reason),
            ..step_of(row, "revoked", actor, cx).telling([row.requester_id])
        },
    )
    .await?;
    repo::set_ended(&mut *tx, row.id, Some(actor.id), cx.now, Some(reason)).await?;
    Ok(())
}

/// The request `id` as it stands now in the caller's transaction (ended by the clock first
/// if its time is up): what a containment revokes.
pub async fn current_by_id(
    tx: &mut Conn,
    cx: &Context<'_>,
    id: i64,
) -> Result<RequestRow, AppError> {
    let row = repo::find_by_id(tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    current(tx, cx, row).await
}

/// One request as `actor` sees it, with what they may do now. Opening it marks read what
/// its requester was told about it.
pub async fn view(
    mut tx: crate::db::Tx,
    cx: &Context<'_>,
    locale: Locale,
    actor: &Actor,
    row: RequestRow,
) -> Result<RequestView, AppError> {
    let row = current(&mut tx, cx, row).await?;
    let state = state_of(&row)?;
    // Those who decide and release see the students by name; never on a request of their own
    // (a leader who asks for a whole class is shown its size, as any requester is, not its
    // roster before anyone approved it).
    let handler =
        (actor.has(Role::Leader) || actor.has(Role::RecordsAdmin)) && row.requester_id != actor.id;
    let students = repo::students(&mut tx, row.id).await?;
    let classes = structure::summaries(&mut tx, students.iter().map(|s| s.class_id)).await?;
    let fields = repo::fields(&mut tx, row.id).await?;
    // The requester's notices tell of their request; opening it reads them.
    let reader = (row.requester_id == actor.id).then_some(actor.id);
    let history = REQUESTS.opened(&mut tx, cx, reader, row.id, None).await?;
    tx.commit().await?;
    let resource = resource_of(&row);
    let may = |action| crate::domain::access::permits(Some(actor), action, resource);
    use crate::domain::access::Action;
    let can = Abilities {
        withdraw: may(Action::WithdrawRequest)
            && matches!(state, State::Requested | State::Approved),
        decide: may(Action::DecideRequest) && state == State::Requested,
        fulfil: may(Action::FulfilRequest) && state == State::Approved,
        open: may(Action::OpenRelease) && state == State::Released,
        close: may(Action::OpenRelease) && state == State::Released,
        revoke: may(Action::RevokeRelease) && matches!(state, State::Approved | State::Released),
    };
    Ok(RequestView {
        id: row.public_id.clone(),
        state,
        purpose: purpose_of(&row)?,
        reason: row.reason.clone(),
        outside_party: row.outside_party.clone(),
        letter_reference: row.letter_reference.clone(),
        window_hours: row.window_hours,
        requester: format!("{} ({})", row.requester_name, row.requester_username),
        filed_at: when(cx, row.filed_at),
        lapses_at: when(cx, row.lapses_at),
        decided_by: row.decider_name.clone(),
        decision_comment: row.decision_comment.clone(),
        fulfilled_by: row.fulfiller_name.clone(),
        released_at: row.released_at.map(|t| when(cx, t)),
        ends_at: row.ends_at.map(|t| when(cx, t)),
        end_reason: row.end_reason.clone(),
        top_secret: handler && row.top_secret,
        class_counts: if handler {
            Vec::new()
        } else {
            let mut counts: Vec<(Option<ClassRef>, usize)> = Vec::new();
            for student in &students {
                let class_id = &student.class_id;
                let class = classes.get(class_id).map(ClassRef::from);
                match counts.iter_mut().find(|(c, _)| *c == class) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((class, 1)),
                }
            }
            counts
        },
        // Its handlers see whom it is about; its requester, the names of those released
        // to them (a class asked for whole is not a roster handed out before approval).
        students: students
            .iter()
            .filter(|s| handler || s.released)
            .map(|s| RequestStudentView {
                student: NamedStudent {
                    id: s.public_id.clone(),
                    // A destroyed record has no name any more: it says so.
                    name: if s.name.is_empty() {
                        crate::tr!(locale, "requests.student_destroyed")
                    } else {
                        s.name.clone()
                    },
                    class: classes.get(&s.class_id).map(ClassRef::from),
                },
                approved: s.approved,
                released: s.released,
                top_secret: handler && s.top_secret,
            })
            .collect(),
        fields: rules::requestable()
            .filter_map(|(key, meta)| {
                let kept = fields.iter().find(|f| f.field == key)?;
                Some(RequestFieldView {
                    field: choice(&key, meta),
                    approved: kept.approved,
                    released: kept.released,
                })
            })
            .collect(),
        history,
        can,
        max_window_hours: row.window_hours,
    })
}

/// How a release is opened: from inside the trusted networks or not, as a reload of an
/// opening (its id) or anew, and the clock that says whether it is still live after its
/// values are read.
pub struct OpenAs<'a> {
    pub trusted_network: bool,
    pub opening: Option<&'a str>,
    pub clock: &'a dyn crate::clock::Clock,
}

/// Opens the release for its requester: while it is live, the released fields of the
/// released students, unmasked, read in `tx` (a reading transaction: the write lock is not
/// held while values are decrypted), then the disclosure entry (and its audit entry) written
/// in a short write transaction that finds the release still live, before anything is
/// returned; 绝密 values only to a client inside the trusted networks. A reload of an
/// opening (its id, of this viewer and release, showing what it showed) writes nothing.
/// Not live: its state, and no data.
pub async fn open(
    mut tx: crate::db::Tx,
    cx: &Context<'_>,
    locale: Locale,
    actor: &Actor,
    row: RequestRow,
    OpenAs {
        trusted_network,
        opening,
        clock,
    }: OpenAs<'_>,
) -> Result<ReleasePage, AppError> {
    // The clock's end was settled before the check; one that came since reads as ended.
    let state = shown_state(&row, cx.now)?;
    let ends_at = match (state, row.ends_at) {
        (State::Released, Some(ends_at)) if ends_at > cx.now => ends_at,
        _ => {
            tx.commit().await?;
            return Ok(ReleasePage::NotLive {
                id: row.public_id,
                state,
            });
        }
    };
    let students: Vec<_> = repo::students(&mut tx, row.id)
        .await?
        .into_iter()
        .filter(|s| s.released)
        .collect();
    let keys: Vec<String> = repo::fields(&mut tx, row.id)
        .await?
        .into_iter()
        .filter(|f| f.released)
        .map(|f| f.field)
        .collect();
    let columns: Vec<(String, Meta)> = rules::requestable()
        .filter(|(k, _)| keys.contains(k))
        .collect();
    let classes = structure::summaries(&mut tx, students.iter().map(|s| s.class_id)).await?;
    let mut rows = Vec::with_capacity(students.len());
    let mut withheld = false;
    let mut top_secret_shown = false;
    let mut seen_top_secret = 0;
    let ids: Vec<i64> = students.iter().map(|s| s.id).collect();
    let (member_columns, student_columns): (Vec<_>, Vec<_>) = columns
        .iter()
        .partition(|(k, _)| k.starts_with("guardian."));
    // A member's relation heads their card when it was released.
    let relation = fields::member("relation")
        .filter(|_| member_columns.iter().any(|(k, _)| k == "guardian.relation"));
    for (stored, record) in records::load_records(&mut tx, cx.data, &ids).await? {
        let class_id = &stored.class_id;
        seen_top_secret += i64::from(stored.top_secret);
        let secret = |meta: &Meta| stored.top_secret && meta.is_classified();
        let mut values = Vec::with_capacity(student_columns.len());
        for (key, meta) in &student_columns {
            let label = field_label(locale, key);
            if secret(meta) && !trusted_network {
                withheld = true;
                values.push((label, None));
                continue;
            }
            top_secret_shown |= secret(meta);
            let field =
                fields::student(key).ok_or_else(|| AppError::internal("unknown student field"))?;
            values.push((
                label,
                Some(crate::domain::records::fields::shown(
                    locale,
                    meta.kind,
                    &(field.value)(&record),
                )),
            ));
        }
        // Each family member as a card of their own, under their relation.
        let mut members = Vec::with_capacity(record.guardians.len());
        for (n, guardian) in record.guardians.iter().enumerate() {
            let heading = match relation {
                Some(relation) => crate::domain::records::fields::shown(
                    locale,
                    relation.meta.kind,
                    &(relation.value)(guardian),
                ),
                None => crate::tr!(locale, "form.family_member", n = n + 1),
            };
            let mut shown = Vec::with_capacity(member_columns.len());
            for (key, meta) in &member_columns {
                let member_key = key.trim_start_matches("guardian.");
                if member_key == "relation" {
                    continue;
                }
                let label = crate::tr!(locale, meta.label);
                if secret(meta) && !trusted_network {
                    withheld = true;
                    shown.push((label, None));
                    continue;
                }
                top_secret_shown |= secret(meta);
                let field = fields::member(member_key)
                    .ok_or_else(|| AppError::internal("unknown member field"))?;
                shown.push((
                    label,
                    Some(crate::domain::records::fields::shown(
                        locale,
                        meta.kind,
                        &(field.value)(guardian),
                    )),
                ));
            }
            if !shown.is_empty() || relation.is_some() {
                members.push(ReleaseMember {
                    heading,
                    values: shown,
                });
            }
        }
        rows.push(ReleaseRow {
            name: stored.details.name.clone(),
            class: classes.get(class_id).map(ClassRef::from),
            values,
            members,
        });
    }
    let classification = if top_secret_shown {
        "top_secret"
    } else if columns
        .iter()
        .any(|(_, m)| m.classification >= Classification::Confidential)
    {
        "confidential"
    } else {
        "ordinary"
    };
    // A reload of a page already open (its opening id, of this viewer and release, showing
    // what it showed) is that same opening: no second disclosure, no second entry, no write.
    let reopened = match opening {
        Some(o) => repo::is_opening(
            &mut tx,
            row.id,
            actor.id,
            o,
            top_secret_shown,
            cx.client.as_deref(),
        )
        .await?
        .then(|| o.to_owned()),
        None => None,
    };
    tx.commit().await?;
    // Revoked, closed or ended while the values were read (the read saw a snapshot): nothing
    // is shown. Asked again after the read, by the clock as it is then. A student marked 绝密
    // since, for a client outside the trusted networks: nothing either (the next opening
    // withholds their classified values).
    let classified_released = columns.iter().any(|(_, m)| m.is_classified());
    let guard_secrets = !trusted_network && classified_released;
    let marked_since = async |conn: &mut Conn| -> Result<(), AppError> {
        if guard_secrets && students_store::top_secret_among(conn, &ids).await? != seen_top_secret {
            return Err(AppError::conflict("release_changed"));
        }
        Ok(())
    };
    let not_live = |now_row: RequestRow| -> Result<Option<ReleasePage>, AppError> {
        let state = shown_state(&now_row, clock.now())?;
        let live = state == State::Released
            && now_row.released_at == row.released_at
            && now_row.requester_id == actor.id;
        Ok((!live).then_some(ReleasePage::NotLive {
            id: now_row.public_id,
            state,
        }))
    };
    let opening = match reopened {
        // A reload writes nothing: one read, outside the snapshot, says it is still live.
        Some(o) => {
            let mut conn = cx.pool.acquire().await?;
            let now_row = repo::find_by_id(&mut conn, row.id)
                .await?
                .ok_or_else(AppError::not_found)?;
            if let Some(ended) = not_live(now_row)? {
                return Ok(ended);
            }
            marked_since(&mut conn).await?;
            o
        }
        None => {
            // A short write, in which the release must still be this viewer's live one.
            let mut tx = crate::db::begin_write(cx.pool).await?;
            let now_row = repo::find_by_id(&mut tx, row.id)
                .await?
                .ok_or_else(AppError::not_found)?;
            if let Some(ended) = not_live(now_row)? {
                tx.commit().await?;
                return Ok(ended);
            }
            marked_since(&mut tx).await?;
            let opening = crate::db::new_public_id();
            let mut entry = NewEntry::new("info_request.opened", "success")
                .actor(actor.id)
                .object(REQUESTS.name, row.id)
                .client(cx.client.clone())
                .reason(&format!("purpose:{};approval:{}", row.purpose, row.id))
                .details(serde_json::json!({
                    "request_id": row.id,
                    "approved_by": row.decided_by,
                    "fulfilled_by": row.fulfilled_by,
                    "students": students.iter().map(|s| s.id).collect::<Vec<_>>(),
                    "fields": keys,
                    "top_secret_withheld": withheld,
                }));
            entry.classification = classification.into();
            let seq = audit::append(&mut tx, cx.key, cx.now, entry).await?;
            repo::insert_disclosure(
                &mut tx,
                row.id,
                actor.id,
                cx.now,
                cx.client.as_deref(),
                top_secret_shown,
                seq,
                &opening,
            )
            .await?;
            // Fail closed: nothing is shown unless the disclosure is stored.
            tx.commit().await?;
            opening
        }
    };
    let watermark = format!(
        "{} ({}) · {}",
        actor.display_name,
        actor.username,
        when(cx, cx.now)
    );
    let purpose = purpose_of(&row)?;
    Ok(ReleasePage::Live(ReleaseView {
        id: row.public_id,
        purpose,
        watermark,
        ends_at: when(cx, ends_at),
        ends_in_secs: (ends_at - cx.now).num_seconds().max(1),
        rows,
        withheld,
        opening,
    }))
}

/// The requests of a list, as it shows them (their counts come with the rows: no query per
/// row).
fn summaries(
    cx: &Context<'_>,
    rows: Vec<RequestRow>,
    handler: bool,
    changed: &[i64],
) -> Result<Vec<RequestSummary>, AppError> {
    rows.iter()
        // A list of what waits for someone leaves out what the clock ended meanwhile.
        .filter(|row| !handler || matches!(due(row, cx.now), Ok(None)))
        .map(|row| {
            Ok(RequestSummary {
                id: row.public_id.clone(),
                state: shown_state(row, cx.now)?,
                purpose: purpose_of(row)?,
                requester: row.requester_name.clone(),
                filed_at: when(cx, row.filed_at),
                students: row.student_count as usize,
                fields: row.field_count as usize,
                top_secret: handler && row.top_secret,
                changed: changed.contains(&row.id),
            })
        })
        .collect()
}

/// The requests start page for `actor`.
pub async fn home(cx: &Context<'_>, actor: &Actor) -> Result<RequestsHome, AppError> {
    // A read: what ran out shows as ended (the sweeper writes it down within half a minute,
    // the next step on it at once), without taking the write lock on every view.
    let mut conn = cx.pool.acquire().await?;
    let changed = notices::unread_objects(&mut conn, actor.id, REQUESTS.name).await?;
    let filed = repo::list(&mut conn, Listing::Filed(actor.id), LISTED).await?;
    let filed = summaries(cx, filed, false, &changed)?;
    let awaiting_decision = if actor.has(Role::Leader) {
        let rows = repo::list(
            &mut conn,
            Listing::AwaitingDecision { except: actor.id },
            LISTED,
        )
        .await?;
        Some(summaries(cx, rows, true, &[])?)
    } else {
        None
    };
    let awaiting_release = if actor.has(Role::RecordsAdmin) {
        let rows = repo::list(
            &mut conn,
            Listing::AwaitingRelease { except: actor.id },
            LISTED,
        )
        .await?;
        Some(summaries(cx, rows, true, &[])?)
    } else {
        None
    };
    Ok(RequestsHome {
        filed,
        awaiting_decision,
        awaiting_release,
        register: actor.has(Role::Leader) || actor.has(Role::LeadingGroup),
    })
}

/// The header's counts for `actor`.
pub async fn waiting(pool: &crate::db::Pool, actor: &Actor) -> Result<Waiting, AppError> {
    let mut conn = pool.acquire().await?;
    let (decide, fulfil) = repo::waiting(&mut conn, actor.id).await?;
    let changed = notices::unread_count(&mut conn, actor.id, REQUESTS.name).await?;
    Ok(Waiting {
        decide: if actor.has(Role::Leader) { decide } else { 0 },
        fulfil: if actor.has(Role::RecordsAdmin) {
            fulfil
        } else {
            0
        },
        changed,
    })
}

/// The register's entry for one request: identifiers and staff names, never a value.
async fn register_entry(
    conn: &mut Conn,
    cx: &Context<'_>,
    row: &RequestRow,
) -> Result<RegisterEntry, AppError> {
    let released = row.released_at.is_some();
    let students = repo::students(&mut *conn, row.id).await?;
    let fields = repo::fields(&mut *conn, row.id).await?;
    let openings = repo::disclosures(&mut *conn, row.id).await?;
    Ok(RegisterEntry {
        id: row.public_id.clone(),
        state: shown_state(row, cx.now)?,
        purpose: purpose_of(row)?,
        requester: format!("{} ({})", row.requester_name, row.requester_username),
        approver: row.decider_name.clone(),
        fulfiller: row.fulfiller_name.clone(),
        filed_at: when(cx, row.filed_at),
        released_at: row.released_at.map(|t| when(cx, t)),
        fields: rules::requestable()
            .filter(|(k, _)| {
                fields
                    .iter()
                    .any(|f| &f.field == k && (!released || f.released))
            })
            .map(|(k, _)| k)
            .collect(),
        students: students.iter().filter(|s| !released || s.released).count(),
        openings: openings
            .into_iter()
            .map(|(at, client, _)| (when(cx, at), client.unwrap_or_default()))
            .collect(),
    })
}

/// Writes the audit entry of a register read (in the read's own transaction).
async fn register_read(
    tx: &mut Conn,
    cx: &Context<'_>,
    actor: &Actor,
    object: Option<i64>,
    details: serde_json::Value,
) -> Result<(), AppError> {
    let mut entry = NewEntry::new("register.read", "success")
        .actor(actor.id)
        .client(cx.client.clone())
        .details(details);
    if let Some(student) = object {
        entry = entry.object("student", student);
    }
    if let Some(role) = acting_role(
        actor,
        &[Role::Leader, Role::LeadingGroup, Role::RecordsAdmin],
    ) {
        entry = entry.role(role);
    }
    audit::append(tx, cx.key, cx.now, entry).await?;
    Ok(())
}

/// The register of all requests, filtered, for leaders and the leading group.
pub async fn register(
    cx: &Context<'_>,
    actor: &Actor,
    filter: &RegisterFilter,
) -> Result<Vec<RegisterEntry>, AppError> {
    // Written to for its own audit entry only: what ran out shows as ended without a sweep.
    let mut tx = crate::db::begin_write(cx.pool).await?;
    let rows = repo::list(&mut tx, Listing::Register(filter), LISTED).await?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in &rows {
        entries.push(register_entry(&mut tx, cx, row).await?);
    }
    register_read(
        &mut tx,
        cx,
        actor,
        None,
        serde_json::json!({
            "state": filter.state,
            "purpose": filter.purpose,
            "requester": filter.requester,
            "shown": rows.len(),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(entries)
}

/// One student's register: every request that released their data, with its openings.
pub async fn student_register(
    mut tx: crate::db::Tx,
    cx: &Context<'_>,
    locale: Locale,
    actor: &Actor,
    student_public_id: &str,
) -> Result<(NamedStudent, Vec<RegisterEntry>), AppError> {
    let (scope, destroyed) = students_store::student_scope_kept(&mut tx, student_public_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let name = match students_store::student(&mut tx, scope.id).await? {
        Some(row) if !destroyed => row.details.name,
        _ => crate::tr!(locale, "requests.student_destroyed"),
    };
    let classes = structure::summaries(&mut tx, [scope.class_id]).await?;
    let student = (
        scope.id,
        NamedStudent {
            id: student_public_id.to_owned(),
            name,
            class: classes.get(&scope.class_id).map(ClassRef::from),
        },
    );
    let rows = repo::released_for_student(&mut tx, student.0).await?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in &rows {
        entries.push(register_entry(&mut tx, cx, row).await?);
    }
    register_read(
        &mut tx,
        cx,
        actor,
        Some(student.0),
        serde_json::json!({ "shown": rows.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok((student.1, entries))
}

/// The staff who filed requests, for the register's filter.
pub async fn requesters(conn: &mut Conn) -> Result<Vec<(i64, String)>, AppError> {
    Ok(repo::requesters(conn).await?)
}

/// How long a name the picker takes, in characters.
pub const MAX_PICK_NAME_CHARS: usize = 30;

/// How a filer names a student they already know: the whole name, and the class or the
/// identity number or 学籍号.
pub struct Naming<'a> {
    pub name: &'a str,
    pub class_id: &'a str,
    pub number: &'a str,
}

/// Confirms the student a filer names, and nothing else: the whole name (as written, spaces
/// aside) of an enrolled student of the named class, or of the student with that identity
/// number or 学籍号 among those the filer may find by number (a records administrator's
/// school, a teacher's own classes; never a 绝密 record: numbers never find one). Each check, found or
/// not, is one of the hour's budgeted lookups with its audit entry (the student's id when
/// one was found, never the name or number). Answers the student as the filer named them:
/// the name, and the class only when the filer named it.
pub async fn confirm_pick(
    cx: &Context<'_>,
    actor: &Actor,
    naming: Naming<'_>,
) -> Result<NamedStudent, AppError> {
    use crate::features::search::service::{self as search, Lookup, Query};
    let name: String = naming.name.split_whitespace().collect();
    if name.is_empty() {
        return Err(AppError::invalid("name", "request.pick_name_required"));
    }
    if naming.name.len() > 4 * MAX_PICK_NAME_CHARS || name.chars().count() > MAX_PICK_NAME_CHARS {
        return Err(AppError::invalid("name", "request.too_long"));
    }
    let (class_id, number) = (naming.class_id.trim(), naming.number.trim());
    let number = match (class_id.is_empty(), number.is_empty()) {
        (true, true) => return Err(AppError::invalid("class_id", "request.pick_how")),
        (false, false) => return Err(AppError::invalid("number", "request.pick_one_way")),
        (true, false) => match Query::parse(number, cx.data) {
            Ok(Query::Number { column, index }) => Some((column, index)),
            _ => return Err(AppError::invalid("number", "request.pick_number_invalid")),
        },
        (false, true) => None,
    };
    let mut tx = crate::db::begin_write(cx.pool).await?;
    let (hits, class, details) = match &number {
        None => {
            let class = if class_id.len() <= 64 {
                crate::features::structure::store::class_by_public_id(&mut tx, class_id).await?
            } else {
                None
            }
            .ok_or_else(|| AppError::invalid("class_id", "request.class_unknown"))?;
            let hits = students_store::enrolled_named_in_class(&mut tx, class.id, &name).await?;
            let details = serde_json::json!({ "by": "class", "class": class.public_id });
            (
                hits,
                Some(crate::features::structure::views::ClassSummary::from(class)),
                details,
            )
        }
        Some((column, index)) => {
            // A number finds only whom its user may find by number in a search: a records
            // administrator anyone, a homeroom teacher the pupils of their own classes.
            let scope = (!actor.has(Role::RecordsAdmin)).then_some(actor.id);
            let hits = students_store::search_by_index(&mut tx, column, index, scope)
                .await?
                .into_iter()
                // Those who left too: an archived record is released only through a request,
                // and a number names it beyond doubt.
                .filter(|h| h.name == name)
                .collect();
            (hits, None, serde_json::json!({ "by": column }))
        }
    };
    let mut details = details;
    details["found"] = hits.len().into();
    let student = match hits.as_slice() {
        [one] => students_store::student_scope(&mut tx, &one.public_id)
            .await?
            .map(|s| s.id),
        _ => None,
    };
    let spent = search::spend_in(
        &mut tx,
        cx,
        actor,
        Lookup {
            done: "info_request.student_confirmed",
            refused: "info_request.student_confirm_refused",
            details,
            student,
        },
    )
    .await?;
    tx.commit().await?;
    spent?;
    match hits.as_slice() {
        [] => Err(AppError::invalid("name", "request.pick_none")),
        [one] => Ok(NamedStudent {
            id: one.public_id.clone(),
            name: one.name.clone(),
            class: class.as_ref().map(ClassRef::from),
        }),
        _ => Err(AppError::invalid("name", "request.pick_namesakes")),
    }
}
