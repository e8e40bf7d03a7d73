//! The changes' server functions: each one check (`guard_in` on the student, `guard_one` on
//! the application, loaded in the transaction that acts), then the service.

#[cfg(feature = "ssr")]
use crate::authz::Guarded;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{
    errors::AppError,
    features::changes::views::{ChangeInput, ChangeView, ChangesHome},
};

/// An archived record's applications open nowhere, to be read or acted on (answered as an
/// unknown one is).
#[cfg(feature = "ssr")]
fn open(state: &crate::state::AppState, row: &super::store::ChangeRow) -> Result<(), AppError> {
    if row.archived(state.clock.now()) {
        return Err(AppError::forbidden());
    }
    Ok(())
}

/// One's applications, and for a leader those waiting for a decision and the latest decided.
#[server(name = ChangesHomeView, prefix = "/api", endpoint = "changes")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn changes_home() -> Result<ChangesHome, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::ViewStatusChanges, nothing).await?;
    super::service::home(&context(&state), &actor).await
}

/// A records administrator files a change of status for a student still at school.
#[server(name = FileStatusChange, prefix = "/api", endpoint = "changes/file")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn file_status_change(status_change: ChangeInput) -> Result<(), AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::access::{Action, Resource},
        state::context,
    };
    let Guarded {
        state,
        actor,
        tx,
        resource,
        ..
    } = guard_in(
        Opening::Write,
        |_, _| Action::FileStatusChange,
        async |c| {
            super::service::student_resource(c, &status_change.student_id, crate::state::now()?)
                .await
        },
    )
    .await?;
    let Resource::Student { id: student, .. } = resource else {
        return Err(AppError::not_found());
    };
    // A refused application comes back as it was typed.
    let id = crate::kit::forms::keeping(
        &status_change,
        super::service::file(tx, &context(&state), &actor, student, &status_change),
    )
    .await?;
    leptos_axum::redirect(&Done::ChangeFiled.at(&format!("/changes/{id}")));
    Ok(())
}

/// One application: its printable 异动审批表, and what the viewer may do with it.
#[server(name = StatusChangePage, prefix = "/api", endpoint = "changes/one")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn status_change_page(change_id: String) -> Result<ChangeView, AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        resource,
        tx,
        row,
    } = crate::authz::guard_one::<super::store::ChangeRow>(
        Opening::Write,
        Action::ViewStatusChange,
        &change_id,
    )
    .await?;
    open(&state, &row)?;
    super::service::view(
        tx,
        &context(&state),
        &actor,
        resource,
        &row,
        crate::state::request_locale(),
    )
    .await
}

/// A leader who did not file it approves, or returns it with a reason; approving a 复学,
/// 留级 or 跳级 picks the class the student goes to (`to_class`, its opaque id).
#[server(name = DecideStatusChange, prefix = "/api", endpoint = "changes/decide")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn decide_status_change(
    change_id: String,
    decision: String,
    #[server(default)] comment: String,
    #[server(default)] to_class: String,
) -> Result<(), AppError> {
    use crate::{authz::Opening, domain::access::Action, kit::workflow::Decision, state::context};
    if to_class.len() > 64 {
        return Err(AppError::invalid("to_class", "change.class_invalid"));
    }
    // A return says why: the records administrator reads it on the form.
    let decision = Decision::parse(&decision, &comment)?;
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::ChangeRow>(
        Opening::Write,
        Action::DecideStatusChange,
        &change_id,
    )
    .await?;
    open(&state, &row)?;
    super::service::decide(
        tx,
        &context(&state),
        &actor,
        &row,
        &decision,
        &to_class,
        &state.effects,
    )
    .await?;
    let done = decision.either(Done::ChangeApproved, Done::ChangeReturned);
    leptos_axum::redirect(&done.at(&format!("/changes/{change_id}")));
    Ok(())
}

/// The records administrator who filed it withdraws it while it waits.
#[server(name = WithdrawStatusChange, prefix = "/api", endpoint = "changes/withdraw")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn withdraw_status_change(change_id: String) -> Result<(), AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::ChangeRow>(
        Opening::Write,
        Action::WithdrawStatusChange,
        &change_id,
    )
    .await?;
    open(&state, &row)?;
    super::service::withdraw(tx, &context(&state), &actor, &row).await?;
    leptos_axum::redirect(&Done::ChangeWithdrawn.at(&format!("/changes/{change_id}")));
    Ok(())
}

/// Its filer adds a proof (佐证材料) to an application while it waits: a multipart form
/// whose `change_id` comes before its `file`, so that who may add is checked before the file
/// is read; the file (a JPEG, PNG or PDF of at most 2 MB, told by what it holds) is then
/// kept in a write transaction that checks again.
#[server(
    name = AddStatusChangeProof,
    prefix = "/api",
    endpoint = "changes/proof",
    input = server_fn::codec::MultipartFormData
)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn add_status_change_proof(
    data: server_fn::codec::MultipartData,
) -> Result<(), AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let unreadable = || AppError::invalid("proof", "change.proof_unreadable");
    let mut data = data.into_inner().ok_or_else(unreadable)?;
    let mut change_id = None;
    let mut bytes = None;
    while let Some(mut field) = data.next_field().await.map_err(|_| unreadable())? {
        match field.name() {
            // One application and one file a request: a repeated field is refused.
            Some("change_id") if change_id.is_some() => return Err(unreadable()),
            Some("file") if bytes.is_some() => return Err(unreadable()),
            Some("change_id") => {
                let id = field.text().await.map_err(|_| unreadable())?;
                // Checked before the file is read, in a read transaction that ends here.
                crate::authz::guard_one::<super::store::ChangeRow>(
                    Opening::Read,
                    Action::AddStatusChangeProof,
                    &id,
                )
                .await?;
                change_id = Some(id);
            }
            Some("file") => {
                if change_id.is_none() {
                    return Err(AppError::forbidden());
                }
                bytes = Some(
                    crate::kit::forms::file_bytes(
                        &mut field,
                        super::service::MAX_PROOF_BYTES,
                        unreadable(),
                        AppError::invalid("proof", "change.proof_too_large"),
                    )
                    .await?,
                );
            }
            _ => {}
        }
    }
    let change_id = change_id.ok_or_else(AppError::forbidden)?;
    let bytes = bytes.ok_or_else(|| AppError::invalid("proof", "change.proof_empty"))?;
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::ChangeRow>(
        Opening::Write,
        Action::AddStatusChangeProof,
        &change_id,
    )
    .await?;
    open(&state, &row)?;
    super::service::add_proof(tx, &context(&state), &actor, &row, &bytes).await?;
    leptos_axum::redirect(&Done::ProofAdded.at(&format!("/changes/{change_id}")));
    Ok(())
}
