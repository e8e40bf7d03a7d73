//! Retention and destruction (销毁). A student whose record's period is over (`rules`: a
//! transferred-out student's backup after `XUEJI_RETENTION_YEARS`, a core record only where
//! a cited rule allows it) is due; a records administrator proposes a batch of those due, a leader other than the
//! proposer approves it, and the approval erases their personal data in the same
//! transaction: family members, sealed values, revisions, drafts, search keys and blind
//! indexes go; the row keeps its opaque id, its dates, its class and the batch. The batch is
//! the destruction log's entry: who proposed and approved, when, how many, its reference.

use chrono::Datelike;

use crate::{
    db::{Conn, Tx, new_public_id},
    domain::{
        Actor, Role,
        access::{Action, Resource, permits},
    },
    errors::AppError,
    features::retention::{
        leftovers, rules,
        store::{self as repo, BatchRow, DueRow},
        views::{BatchState, BatchSummary, BatchView, DataClass, DueStudent, RetentionHome},
    },
    kit::{
        audit::chain::{self as audit, NewEntry},
        context::Context,
        retention::{ArchiveRule, Retention},
        workflow::{Decision, Step, Transition, Workflow},
    },
};

/// The batches' workflow: proposed, then approved (destroyed) or rejected once.
pub static DESTRUCTIONS: Workflow<BatchState> = Workflow {
    name: "destruction",
    table: "destructions",
    column: "state",
    transitions: &[
        Transition {
            event: "approved",
            from: &[BatchState::Proposed],
            to: BatchState::Approved,
        },
        Transition {
            event: "rejected",
            from: &[BatchState::Proposed],
            to: BatchState::Rejected,
        },
    ],
    deadlines: &[],
};

/// The most students one batch takes.
pub const MAX_BATCH: i64 = 5000;
/// How many of those due, or of a batch, a page lists.
const LISTED: i64 = 300;

/// The resource a batch is, for the one check (`Nothing` for an id that names none).
impl crate::authz::Stored for BatchRow {
    async fn find(conn: &mut Conn, public_id: &str) -> Result<(Resource, Option<Self>), AppError> {
        if public_id.len() > 64 {
            return Ok((Resource::Nothing, None));
        }
        Ok(match repo::find(conn, public_id).await? {
            Some(row) => (
                Resource::Destruction {
                    proposed_by: row.proposed_by,
                },
                Some(row),
            ),
            None => (Resource::Nothing, None),
        })
    }
}

fn due_student(cx: &Context<'_>, row: DueRow) -> DueStudent {
    DueStudent {
        id: row.public_id,
        class: (row.school_year, row.grade, row.class_name),
        kept_as: rules::kept_as(row.left_reason.as_deref()).into(),
        left_reason: row.left_reason.unwrap_or_else(|| "other".into()),
        left_on: cx.local_date(row.left_at),
        destroyed: row.destroyed_at.is_some(),
        named: None,
    }
}

fn summary(cx: &Context<'_>, row: &BatchRow) -> BatchSummary {
    BatchSummary {
        id: row.public_id.clone(),
        reference: row.reference.clone(),
        state: row.state,
        proposer: row.proposer.clone(),
        proposed_at: cx.local(Some(row.proposed_at)),
        student_count: row.student_count,
    }
}

/// The destruction page of `actor`.
pub async fn home(
    cx: &Context<'_>,
    actor: &Actor,
    retention: &Retention,
    sessions: &crate::state::SessionPolicy,
) -> Result<RetentionHome, AppError> {
    let mut conn = crate::db::begin_read(cx.pool).await?;
    let cutoffs = rules::cutoffs(retention, cx.now);
    let due_count = repo::due_count(&mut conn, cutoffs).await?;
    let due = repo::due(&mut conn, cutoffs, LISTED)
        .await?
        .into_iter()
        .map(|r| due_student(cx, r))
        .collect();
    let batches = repo::batches(&mut conn, 100)
        .await?
        .iter()
        .map(|r| summary(cx, r))
        .collect();
    Ok(RetentionHome {
        retention_years: retention.backup_years,
        classes: rules::classes(retention, sessions),
        archive_after_days: crate::kit::retention::ARCHIVE_AFTER_DAYS,
        due_count,
        due,
        batch_limit: MAX_BATCH,
        can_propose: permits(Some(actor), Action::ProposeDestruction, Resource::Nothing),
        batches,
    })
}

/// Proposes a batch of the students due (the first `MAX_BATCH`, longest gone first), with a
/// reason, in the transaction the check began. Returns its id.
pub async fn propose(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    retention: &Retention,
    reason: &str,
) -> Result<String, AppError> {
    let reason = crate::domain::requests::comment(reason, "reason", true)?.unwrap_or_default();
    crate::kit::free_text::refuse_pupil_names(&mut tx, actor, &[("reason", &reason)]).await?;
    let public_id = new_public_id();
    let (id, count) = repo::propose(
        &mut tx,
        &public_id,
        actor.id,
        &reason,
        retention,
        rules::cutoffs(retention, cx.now),
        MAX_BATCH,
        cx.now,
    )
    .await?;
    if count == 0 {
        return Err(AppError::conflict("destruction.none_due_conflict"));
    }
    DESTRUCTIONS
        .start(
            &mut tx,
            cx.key,
            cx.now,
            BatchState::Proposed,
            Step {
                client: cx.client.clone(),
                comment: Some(&reason),
                details: serde_json::json!({
                    "batch": public_id,
                    "count": count,
                    "retention_years": retention.backup_years,
                    "archive_rule": retention.archive_rule.as_ref().map(|r| {
                        serde_json::json!({ "years": r.years, "citation": r.citation })
                    }),
                }),
                ..Step::new(id, "proposed").by(actor.id, Role::RecordsAdmin.code())
            },
        )
        .await?;
    tx.commit().await?;
    Ok(public_id)
}

/// Approves (and so carries out) or rejects `row`, in the transaction its check began. An
/// approval is refused while any student of the batch is no longer due (marked back, or in
/// a live release now); otherwise their personal data is erased, the batch gets its
/// reference and the log its entry, all in this transaction.
pub async fn decide(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    row: &BatchRow,
    retention: &Retention,
    decision: &Decision,
) -> Result<(), AppError> {
    let from = row.state;
    let mut details = serde_json::json!({
        "batch": row.public_id,
        "count": row.student_count,
        "retention_years": row.backup_years,
        "archive_rule": row.archive_rule_years.map(|years| {
            serde_json::json!({ "years": years, "citation": row.archive_rule_citation })
        }),
    });
    let mut reference = None;
    let mut comment = decision.comment().map(str::to_owned);
    if decision.approves() && from == BatchState::Proposed {
        // Nobody is erased unrecognised: the approver looked at whom first.
        if !repo::names_seen_by(&mut tx, row.id, actor.id).await? {
            return Err(AppError::conflict("destruction.names_unseen"));
        }
        if repo::no_longer_due(&mut tx, row.id, rules::cutoffs(retention, cx.now)).await? > 0 {
            return Err(AppError::conflict("destruction.no_longer_due"));
        }
        // What they were is what is looked for: before the erasure.
        let identifiers = leftovers::identifiers(&mut tx, cx.data, row.id).await?;
        let redacted = leftovers::redact(&mut tx, &identifiers.all).await?;
        let copies = leftovers::forget_copies(&mut tx, cx.data, &identifiers.own).await?;
        // The approval's own words are kept, without the names it destroys.
        comment = comment
            .map(|c| leftovers::redact_text(&identifiers.all, &c))
            .transpose()?;
        let erased = repo::erase(&mut tx, row.id, cx.now).await?;
        let year = cx.now.with_timezone(&cx.timezone).year();
        let prefix = format!("XH{year}-");
        let n = repo::approved_in(&mut tx, &prefix).await? + 1;
        let r = format!("{prefix}{n:04}");
        if let Some(map) = details.as_object_mut() {
            map.insert("erased".into(), erased.into());
            map.insert("texts_redacted".into(), redacted.into());
            map.insert("copies_deleted".into(), copies.into());
            map.insert("reference".into(), r.clone().into());
        }
        reference = Some(r);
    }
    let mut step = Step {
        client: cx.client.clone(),
        comment: comment.as_deref(),
        details,
        ..Step::new(row.id, decision.event())
            .by(actor.id, Role::Leader.code())
            .telling([row.proposed_by])
    };
    step.classification = "confidential";
    DESTRUCTIONS
        .take(&mut tx, cx.key, cx.now, from, step)
        .await?;
    repo::decide(
        &mut tx,
        row.id,
        actor.id,
        comment.as_deref(),
        reference.as_deref(),
        cx.now,
    )
    .await?;
    tx.commit().await?;
    if reference.is_some() {
        // The old page versions in the write-ahead log still hold what was erased: write
        // them into the database file (whose free space `secure_delete` zeroes) and cut
        // the log to nothing, before the leader is told it is done.
        match crate::db::purge_journal(cx.pool).await {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(
                    "after a destruction the journal could not be emptied yet (a long read); \
                     trying again in the background"
                );
                let pool = cx.pool.clone();
                tokio::spawn(async move {
                    for _ in 0..120 {
                        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                        if matches!(crate::db::purge_journal(&pool).await, Ok(true)) {
                            tracing::info!("the journal was emptied after the destruction");
                            return;
                        }
                    }
                    tracing::error!("the journal still holds pages from before a destruction");
                });
            }
            Err(error) => tracing::error!(
                ?error,
                "after a destruction the journal could not be emptied"
            ),
        }
    }
    Ok(())
}

/// One batch as its page shows it: the destruction log's entry.
pub async fn view(
    mut tx: Tx,
    cx: &Context<'_>,
    actor: &Actor,
    resource: Resource,
    row: &BatchRow,
    names: bool,
) -> Result<BatchView, AppError> {
    let can_decide = row.state == BatchState::Proposed
        && permits(Some(actor), Action::DecideDestruction, resource);
    let history = DESTRUCTIONS
        .opened(&mut tx, cx, Some(actor.id), row.id, None)
        .await?;
    // Whom an approval erases, for the one who decides it: asked for, and audited in the
    // same transaction (ids only: the entry names nobody). Every one of them then: an
    // approval erases the whole batch, not the page's first few.
    let names_shown = names && can_decide;
    let listed = if names_shown { MAX_BATCH } else { LISTED };
    let mut students: Vec<DueStudent> = repo::batch_students(&mut tx, row.id, listed)
        .await?
        .into_iter()
        .map(|r| due_student(cx, r))
        .collect();
    if names_shown {
        let mut named: std::collections::HashMap<String, (String, String)> =
            repo::batch_names(&mut tx, row.id, listed)
                .await?
                .into_iter()
                .map(|(id, name, born)| {
                    (id, (name, born.map(|d| d.to_string()).unwrap_or_default()))
                })
                .collect();
        for s in &mut students {
            s.named = named.remove(&s.id);
        }
        let mut entry = NewEntry::new("destruction.names_shown", "success")
            .actor(actor.id)
            .role(Role::Leader.code())
            .object(DESTRUCTIONS.name, row.id)
            .client(cx.client.clone())
            .details(serde_json::json!({ "batch": row.public_id, "count": students.len() }));
        entry.classification = "confidential".into();
        audit::append(&mut tx, cx.key, cx.now, entry).await?;
    }
    // The rules that let this batch erase whom it holds, as it was proposed under them.
    let kinds = repo::kinds_in(&mut tx, row.id).await?;
    tx.commit().await?;
    let allowed_by: Vec<DataClass> = match row.backup_years {
        Some(backup_years) => {
            let kept = Retention {
                backup_years: u32::try_from(backup_years).unwrap_or(u32::MAX),
                archive_rule: row
                    .archive_rule_years
                    .zip(row.archive_rule_citation.clone())
                    .map(|(years, citation)| ArchiveRule {
                        years: u32::try_from(years).unwrap_or(u32::MAX),
                        citation,
                    }),
                ..Retention::default()
            };
            rules::classes(&kept, &Default::default())
                .into_iter()
                .filter(|c| kinds.contains(&c.code))
                .collect()
        }
        None => Vec::new(),
    };
    Ok(BatchView {
        allowed_by,
        id: row.public_id.clone(),
        reference: row.reference.clone(),
        state: row.state,
        proposer: row.proposer.clone(),
        proposed_at: cx.local(Some(row.proposed_at)),
        reason: row.reason.clone(),
        student_count: row.student_count,
        decider: row.decider.clone(),
        decided_at: row.decided_at.map(|t| cx.local(Some(t))),
        decision_comment: row.decision_comment.clone(),
        students,
        history,
        can_decide,
        names_shown,
    })
}
