//! Student records: the start page, class rosters, the student form, the review.

#[cfg(feature = "ssr")]
use crate::authz::Guarded;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;
use serde::{Deserialize, Serialize};

use crate::{
    domain::records::RecordInput,
    errors::AppError,
    features::records::views::{RecordsHome, Roster, StudentFormView, StudentReview},
};

/// The one classified value a records administrator just unmasked, kept in their session
/// (the student and the field, never the value) until the review page has shown it once.
#[cfg(feature = "ssr")]
const REVEALED: &str = "xueji.records.revealed";

#[cfg(feature = "ssr")]
use crate::state::session;

/// A student's page shows the form to the class's homeroom teacher and the review to a
/// records administrator.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StudentPage {
    Form(StudentFormView),
    Review(StudentReview),
}

#[server(name = RecordsHomeView, prefix = "/api", endpoint = "records")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn records_home() -> Result<RecordsHome, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::ViewRecords, nothing).await?;
    crate::features::records::service::home(&context(&state), &actor).await
}

#[server(name = ClassRosterView, prefix = "/api", endpoint = "records/class")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn class_roster(class_id: String) -> Result<Roster, AppError> {
    use crate::{
        authz::{Opening, guard_one},
        domain::access::Action,
        features::{records::service as records, structure::store::ClassRow},
        state::context,
    };
    let Guarded {
        state,
        actor,
        mut tx,
        row: class,
        ..
    } = guard_one::<ClassRow>(Opening::Read, Action::ViewClass, &class_id).await?;
    records::roster(
        &mut tx,
        &context(&state),
        &actor,
        &class,
        state.retention.lifetimes.draft_days,
    )
    .await
}

/// The form for a new student of `class_id`.
#[server(name = NewStudentForm, prefix = "/api", endpoint = "records/class/new")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn new_student_form(
    class_id: String,
    #[server(default)] draft_id: String,
) -> Result<StudentFormView, AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::access::Action,
        features::records::service as records,
        state::context,
    };
    let target = target(class_id.clone(), String::new(), draft_id)?;
    let carried = carried_for(&target).await?;
    let Guarded {
        state,
        actor,
        mut tx,
        ..
    } = guard_in(
        if carried.is_some() {
            Opening::Write
        } else {
            Opening::Read
        },
        |_, _| Action::EditStudents,
        async |c| records::class_resource(c, &class_id).await,
    )
    .await?;
    let cx = context(&state);
    if let Some(carried) = carried {
        records::adopt_carried(&mut tx, &cx, &actor, &target, carried).await?;
    }
    let form = records::form(&mut tx, &cx, &actor, &target, None).await?;
    tx.commit().await?;
    Ok(form)
}

/// What the teacher was typing into the form of `target` when their session ended, carried
/// across their sign-in; taken out of the session (once is enough).
#[cfg(feature = "ssr")]
async fn carried_for(
    target: &crate::features::records::service::FormTarget,
) -> Result<Option<crate::features::records::service::Carried>, AppError> {
    let session = session().await?;
    let carried: Option<crate::features::records::service::Carried> = session
        .get(crate::kit::forms::CARRIED)
        .await
        .unwrap_or(None);
    let carried = carried.filter(|c| c.is_for(target));
    if carried.is_some() {
        session
            .remove::<serde_json::Value>(crate::kit::forms::CARRIED)
            .await?;
    }
    Ok(carried)
}

/// A saved student: the form for their homeroom teacher, the review for a records
/// administrator.
#[server(name = StudentPageView, prefix = "/api", endpoint = "records/student")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn student_page(student_id: String) -> Result<StudentPage, AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::access::{Action, permits},
        features::records::service::{self as records, FormTarget},
        state::{context, request_locale},
    };
    // The class's homeroom teacher edits the record; anyone else may only review it.
    let teaching = |actor: Option<&crate::domain::Actor>, resource| {
        permits(actor, Action::EditStudents, resource)
    };
    let target = FormTarget::Student(student_id.clone());
    let carried = carried_for(&target).await?;
    let Guarded {
        state,
        actor,
        resource,
        mut tx,
        ..
    } = guard_in(
        if carried.is_some() {
            Opening::Write
        } else {
            Opening::Read
        },
        |actor, resource| {
            if teaching(actor, resource) {
                Action::EditStudents
            } else {
                Action::ReviewRecords
            }
        },
        async |c| records::student_resource(c, &student_id, crate::state::now()?).await,
    )
    .await?;
    let cx = context(&state);
    // A value just unmasked is shown once, on the page that follows. Asked for first: a
    // removal marks the session changed, and a changed session is written back (a write
    // transaction, and on SQLite an fsync) by every page that removes, found or not.
    let session = session().await?;
    let revealed: Option<(String, String)> = match session.get(REVEALED).await? {
        Some(revealed) => {
            session.remove_value(REVEALED).await?;
            Some(revealed)
        }
        None => None,
    };
    let field = revealed.filter(|(s, _)| *s == student_id).map(|(_, f)| f);
    if teaching(Some(&actor), resource) {
        // Typed before the session ended: this teacher's draft now.
        if let Some(carried) = carried {
            records::adopt_carried(&mut tx, &cx, &actor, &target, carried).await?;
        }
        let form = records::form(&mut tx, &cx, &actor, &target, field.as_deref()).await?;
        tx.commit().await?;
        return Ok(StudentPage::Form(form));
    }
    Ok(StudentPage::Review(
        records::review(
            &mut tx,
            &cx,
            &actor,
            request_locale(),
            &student_id,
            field.as_deref(),
        )
        .await?,
    ))
}

#[cfg(feature = "ssr")]
fn target(
    class_id: String,
    student_id: String,
    draft_id: String,
) -> Result<crate::features::records::service::FormTarget, AppError> {
    use crate::features::records::service::FormTarget;
    match (class_id.trim(), student_id.trim(), draft_id.trim()) {
        (_, s, _) if !s.is_empty() => Ok(FormTarget::Student(s.to_owned())),
        // A draft's id is one the server made: 32 hex digits, nothing else.
        (c, _, d) if !c.is_empty() && !d.is_empty() => {
            if d.len() == 32 && d.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(FormTarget::Imported(c.to_owned(), d.to_owned()))
            } else {
                Err(AppError::not_found())
            }
        }
        (c, _, _) if !c.is_empty() => Ok(FormTarget::NewIn(c.to_owned())),
        _ => Err(AppError::not_found()),
    }
}

/// The one check of the form's functions: may the person edit the students of this class
/// (or this student's class)? Hands on what the form is for as the object acted on, in the
/// write transaction the function acts in.
#[cfg(feature = "ssr")]
async fn form_guard(
    class_id: String,
    draft_id: String,
    student_id: String,
) -> Result<Guarded<crate::features::records::service::FormTarget>, AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::access::Action,
        features::records::service::{self as records, FormTarget},
    };
    let target = target(class_id, student_id, draft_id)?;
    let guarded = guard_in(
        Opening::Write,
        |_, _| Action::EditStudents,
        async |c| match &target {
            FormTarget::NewIn(class) | FormTarget::Imported(class, _) => {
                records::class_resource(c, class).await
            }
            FormTarget::Student(student) => {
                records::student_resource(c, student, crate::state::now()?).await
            }
        },
    )
    .await?;
    Ok(guarded.with(target))
}

/// A save or a draft whose session has ended keeps what was typed, sealed, for the session
/// the teacher signs in to next (the form takes it back when they open it again): a session
/// running out never loses work. Any other refusal passes as it is.
#[cfg(feature = "ssr")]
async fn carry_if_signed_out<T>(
    guarded: Result<T, AppError>,
    (class_id, draft_id, student_id): (&str, &str, &str),
    record: &RecordInput,
) -> Result<T, AppError> {
    let Err(error) = &guarded else {
        return guarded;
    };
    if error.kind == crate::errors::ErrorKind::Unauthenticated
        && let Ok(target) = target(
            class_id.to_owned(),
            student_id.to_owned(),
            draft_id.to_owned(),
        )
        && let Ok(state) = crate::state::app_state()
        && let Ok(carried) =
            crate::features::records::service::carry(&state.data_keys, &target, record)
        && let Ok(session) = session().await
    {
        let _ = session.insert(crate::kit::forms::CARRIED, carried).await;
        // Kept even though the answer is an error (tower-sessions saves nothing of one).
        let _ = session.save().await;
    }
    guarded
}

/// Saves the student form: a new student of `class_id`, or the student `student_id`; with
/// `then_submit` = "1" (the form's 保存并提交核实) the saved record is submitted for
/// verification in the same step. A refused save keeps what was typed as a draft, which the
/// form shows again, and submits nothing.
#[server(name = SaveStudent, prefix = "/api", endpoint = "records/student/save")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_student(
    #[server(default)] class_id: String,
    #[server(default)] draft_id: String,
    #[server(default)] student_id: String,
    #[server(default)] record: RecordInput,
    #[server(default)] then_submit: String,
) -> Result<(), AppError> {
    use crate::{features::records::service as records, state::context};
    let Guarded {
        state,
        actor,
        tx,
        row: target,
        ..
    } = carry_if_signed_out(
        form_guard(class_id.clone(), draft_id.clone(), student_id.clone()).await,
        (&class_id, &draft_id, &student_id),
        &record,
    )
    .await?;
    let id = records::save(
        tx,
        &context(&state),
        &actor,
        &target,
        &record,
        then_submit == "1",
    )
    .await?;
    let done = if then_submit == "1" {
        Done::SavedAndSubmitted
    } else {
        Done::Saved
    };
    leptos_axum::redirect(&done.at(&format!("/records/students/{id}")));
    Ok(())
}

/// Keeps what the teacher is typing (called as they go, by the form's island).
#[server(name = SaveStudentDraft, prefix = "/api", endpoint = "records/student/draft")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_student_draft(
    #[server(default)] class_id: String,
    #[server(default)] draft_id: String,
    #[server(default)] student_id: String,
    #[server(default)] record: RecordInput,
) -> Result<(), AppError> {
    use crate::{features::records::service as records, state::context};
    let Guarded {
        state,
        actor,
        mut tx,
        row: target,
        ..
    } = carry_if_signed_out(
        form_guard(class_id.clone(), draft_id.clone(), student_id.clone()).await,
        (&class_id, &draft_id, &student_id),
        &record,
    )
    .await?;
    records::keep_draft(&mut tx, &context(&state), &actor, &target, &record, &[]).await?;
    tx.commit().await?;
    Ok(())
}

/// Throws away the draft, so the form shows the saved record again.
#[server(name = DiscardStudentDraft, prefix = "/api", endpoint = "records/student/discard")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn discard_student_draft(
    #[server(default)] class_id: String,
    #[server(default)] draft_id: String,
    #[server(default)] student_id: String,
) -> Result<(), AppError> {
    use crate::features::records::service as records;
    let Guarded {
        actor,
        mut tx,
        row: target,
        ..
    } = form_guard(class_id, draft_id, student_id).await?;
    records::discard_draft(&mut tx, &actor, &target).await?;
    tx.commit().await?;
    leptos_axum::redirect(&Done::DraftDiscarded.at(&target.page()));
    Ok(())
}

/// A step of the review: `submit` (the teacher), `verify` or `return` (with a reason, a
/// records administrator).
#[server(name = ReviewStep, prefix = "/api", endpoint = "records/student/step")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn review_step(
    student_id: String,
    step: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::access::Action,
        features::records::service::{self as records, Step},
        state::context,
    };
    let (action, step, done) = match step.as_str() {
        "submit" => (Action::EditStudents, Step::Submit, Done::Submitted),
        "verify" => (Action::ReviewRecords, Step::Verify, Done::Verified),
        "return" => (Action::ReviewRecords, Step::Return(reason), Done::Returned),
        _ => return Err(AppError::invalid("step", "step.unknown")),
    };
    let Guarded {
        state, actor, tx, ..
    } = guard_in(
        Opening::Write,
        |_, _| action,
        async |c| records::student_resource(c, &student_id, crate::state::now()?).await,
    )
    .await?;
    let reviewing = matches!(step, Step::Verify | Step::Return(_));
    records::step(tx, &context(&state), &actor, &student_id, step).await?;
    // A records administrator goes on to the next record waiting, or back to the queue.
    let next = if reviewing {
        let mut conn = state.pool.acquire().await?;
        Some(
            match records::next_in_queue(&mut conn, &student_id).await? {
                Some(next) => format!("/records/students/{next}"),
                None => "/records/queue".to_owned(),
            },
        )
    } else {
        None
    };
    leptos_axum::redirect(
        &done.at(&next.unwrap_or_else(|| format!("/records/students/{student_id}"))),
    );
    Ok(())
}

/// A page (from 1) of the verification queue: every record waiting, oldest first.
#[server(name = ReviewQueueView, prefix = "/api", endpoint = "records/queue")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn review_queue(
    #[server(default)] page: usize,
    #[server(default)] class: String,
) -> Result<crate::features::records::views::QueuePage, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        features::records::service as records,
        state::context,
    };
    let (state, _) = guard(Action::WorkReviewQueue, nothing).await?;
    let class = Some(class.trim()).filter(|c| !c.is_empty() && c.len() <= 64);
    records::queue(&context(&state), page.clamp(1, 100_000), class).await
}

/// Verifies the picked records of the queue (`students[]`, a page at most) that are
/// submitted and without findings; the others stay for a look of their own.
#[server(name = VerifyBatch, prefix = "/api", endpoint = "records/queue/verify")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn verify_batch(#[server(default)] students: Vec<String>) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        features::records::service as records,
        state::context,
    };
    let (state, actor) = guard(Action::WorkReviewQueue, nothing).await?;
    let (verified, kept) = records::verify_batch(&context(&state), &actor, &students).await?;
    leptos_axum::redirect(
        &Done::BatchVerified.counted("/records/queue", &[("verified", verified), ("kept", kept)]),
    );
    Ok(())
}

/// Marks a whole record 绝密 (`top_secret` = "1") or back to 机密.
#[server(name = SetTopSecret, prefix = "/api", endpoint = "records/student/classification")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn set_top_secret(
    student_id: String,
    #[server(default)] top_secret: String,
) -> Result<(), AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::access::Action,
        features::records::service as records,
        state::context,
    };
    let Guarded {
        state, actor, tx, ..
    } = guard_in(
        Opening::Write,
        |_, _| Action::ReviewRecords,
        async |c| records::student_resource(c, &student_id, crate::state::now()?).await,
    )
    .await?;
    records::set_top_secret(tx, &context(&state), &actor, &student_id, top_secret == "1").await?;
    let done = if top_secret == "1" {
        Done::MarkedTopSecret
    } else {
        Done::MarkedSecret
    };
    leptos_axum::redirect(&done.at(&format!("/records/students/{student_id}")));
    Ok(())
}

/// Unmasks one classified value for a stated reason; the review page that follows shows it
/// once.
#[server(name = UnmaskField, prefix = "/api", endpoint = "records/student/unmask")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn unmask_field(
    student_id: String,
    field: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::access::Action,
        features::records::service as records,
        state::context,
    };
    let Guarded {
        state,
        actor,
        resource,
        tx,
        ..
    } = guard_in(
        Opening::Write,
        |_, _| Action::UnmaskField,
        async |c| records::student_resource(c, &student_id, crate::state::now()?).await,
    )
    .await?;
    // The class's homeroom teacher checks what they collected; anyone else reviews.
    let role = if crate::domain::access::permits(Some(&actor), Action::EditStudents, resource) {
        crate::domain::Role::HomeroomTeacher
    } else {
        crate::domain::Role::RecordsAdmin
    };
    records::unmask(
        tx,
        &context(&state),
        &actor,
        role,
        &student_id,
        &field,
        &reason,
    )
    .await?;
    session()
        .await?
        .insert(REVEALED, (student_id.clone(), field))
        .await?;
    leptos_axum::redirect(&format!("/records/students/{student_id}"));
    Ok(())
}

/// Another records administrator than the one who marked it undoes a marking as left made by
/// mistake: the student is enrolled again.
#[server(name = UndoStudentLeft, prefix = "/api", endpoint = "records/student/left/undo")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn undo_student_left(#[server(default)] student_id: String) -> Result<(), AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::access::{Action, Resource},
        state::context,
    };
    let now = crate::state::app_state()?.clock.now();
    let Guarded {
        state,
        actor,
        resource,
        tx,
        ..
    } = guard_in(
        Opening::Write,
        |_, _| Action::UndoStudentLeft,
        async |c| super::service::left_marking_resource(c, &student_id, now).await,
    )
    .await?;
    let Resource::LeftMarking { marked_by } = resource else {
        return Err(AppError::not_found());
    };
    super::service::undo_left(tx, &context(&state), &actor, &student_id, marked_by).await?;
    leptos_axum::redirect(&Done::StudentLeftUndone.at(&format!("/records/students/{student_id}")));
    Ok(())
}

/// A records administrator files a 关键数据变更 for a verified record of a student at
/// school: the key fields to change (empty: unchanged) and a reason; proof is added and a
/// leader decides on the application's page.
#[server(name = FileKeyDataChange, prefix = "/api", endpoint = "records/key_data")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn file_key_data_change(
    student_id: String,
    #[server(default)] reason: String,
    #[server(default)] record: RecordInput,
) -> Result<(), AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::access::Action,
        features::records::{key_data, service as records, views::KeyDataKept},
        state::context,
    };
    let Guarded {
        state, actor, tx, ..
    } = guard_in(
        Opening::Write,
        |_, _| Action::FileStatusChange,
        async |c| records::student_resource(c, &student_id, crate::state::now()?).await,
    )
    .await?;
    // A refused application comes back as it was typed, but for its classified values (the
    // session holds no classified value: they are typed again).
    let mut shown = record.clone();
    for f in crate::domain::records::fields::STUDENT {
        if f.meta.is_classified() {
            (f.input)(&mut shown.student).clear();
        }
    }
    shown.guardians.clear();
    let kept = KeyDataKept {
        reason: crate::domain::cut(&reason, 64),
        record: shown,
    };
    let id = crate::kit::forms::keeping(
        &kept,
        key_data::file(tx, &context(&state), &actor, &student_id, &reason, &record),
    )
    .await?;
    leptos_axum::redirect(&Done::ChangeFiled.at(&format!("/changes/{id}")));
    Ok(())
}
