//! The handovers' server functions: each one check (`guard`, or `guard_in` on the handover
//! loaded in the transaction that acts), then the service.

#[cfg(feature = "ssr")]
use crate::authz::Guarded;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{
    errors::AppError,
    features::handovers::views::{HandoverInput, HandoverView, HandoversHome},
};

/// One's handovers, those waiting for one's decision, and the roles one may hand over.
#[server(name = HandoversHomeView, prefix = "/api", endpoint = "handovers")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn handovers_home() -> Result<HandoversHome, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::ViewHandovers, nothing).await?;
    super::service::home(&context(&state), &actor).await
}

/// The header's count: handovers waiting for one's decision, outcomes one has not seen.
#[server(name = HandoversWaiting, prefix = "/api", endpoint = "handovers/waiting")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn handovers_waiting() -> Result<i64, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::ViewHandovers, nothing).await?;
    super::service::waiting(&context(&state), &actor).await
}

/// The holder of a privileged role applies to hand it to a named successor.
#[server(name = ApplyHandover, prefix = "/api", endpoint = "handovers/apply")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn apply_handover(handover: HandoverInput) -> Result<(), AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::{
            Role,
            access::{Action, Resource},
        },
        state::context,
    };
    // The role named must be one the applicant holds (as the database says, in the
    // transaction that files the application).
    let role = Role::parse(handover.role.trim());
    let Guarded {
        state, actor, tx, ..
    } = guard_in(
        Opening::Write,
        |_, _| Action::ApplyHandover,
        async |_| Ok(role.map_or(Resource::Nothing, Resource::Role)),
    )
    .await?;
    // A refused application comes back as it was typed (it holds no credential).
    let id = crate::kit::forms::keeping(
        &handover,
        super::service::apply(tx, &context(&state), &actor, &handover),
    )
    .await?;
    leptos_axum::redirect(&Done::HandoverApplied.at(&format!("/handovers/{id}")));
    Ok(())
}

/// One handover: its printable record, and what the viewer may do with it.
#[server(name = HandoverPage, prefix = "/api", endpoint = "handovers/one")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn handover_page(handover_id: String) -> Result<HandoverView, AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        resource,
        tx,
        row,
    } = crate::authz::guard_one::<super::store::HandoverRow>(
        Opening::Write,
        Action::ViewHandover,
        &handover_id,
    )
    .await?;
    super::service::view(tx, &context(&state), &actor, resource, &row).await
}

/// A leading-group member who is neither party (a leader, when no such member is there to)
/// approves, or rejects with a reason.
#[server(name = DecideHandover, prefix = "/api", endpoint = "handovers/decide")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn decide_handover(
    handover_id: String,
    decision: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    use crate::{authz::Opening, domain::access::Action, kit::workflow::Decision, state::context};
    // A rejection says why: the applicant reads it on the record.
    let decision = Decision::parse(&decision, &comment)?;
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::HandoverRow>(
        Opening::Write,
        Action::DecideHandover,
        &handover_id,
    )
    .await?;
    super::service::decide(tx, &context(&state), &actor, &row, &decision).await?;
    let done = decision.either(Done::HandoverApproved, Done::HandoverRejected);
    leptos_axum::redirect(&done.at(&format!("/handovers/{handover_id}")));
    Ok(())
}

/// The applicant withdraws their pending handover.
#[server(name = WithdrawHandover, prefix = "/api", endpoint = "handovers/withdraw")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn withdraw_handover(handover_id: String) -> Result<(), AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::HandoverRow>(
        Opening::Write,
        Action::WithdrawHandover,
        &handover_id,
    )
    .await?;
    super::service::withdraw(tx, &context(&state), &actor, &row).await?;
    leptos_axum::redirect(&Done::HandoverWithdrawn.at(&format!("/handovers/{handover_id}")));
    Ok(())
}
