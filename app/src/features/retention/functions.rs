//! The destruction's server functions: each one check, then the service.

#[cfg(feature = "ssr")]
use crate::authz::Guarded;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{
    errors::AppError,
    features::retention::views::{BatchView, RetentionHome},
};

/// Who is due for destruction, and the batches.
#[server(name = RetentionHomeView, prefix = "/api", endpoint = "destructions")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn retention_home() -> Result<RetentionHome, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::ViewDestructions, nothing).await?;
    super::service::home(
        &context(&state),
        &actor,
        &state.retention,
        &state.session_policy,
    )
    .await
}

/// A records administrator proposes a batch of those due, with a reason.
#[server(name = ProposeDestruction, prefix = "/api", endpoint = "destructions/propose")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn propose_destruction(reason: String) -> Result<(), AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::access::{Action, Resource},
        state::context,
    };
    let Guarded {
        state, actor, tx, ..
    } = guard_in(
        Opening::Write,
        |_, _| Action::ProposeDestruction,
        async |_| Ok(Resource::Nothing),
    )
    .await?;
    let id =
        super::service::propose(tx, &context(&state), &actor, &state.retention, &reason).await?;
    leptos_axum::redirect(&Done::DestructionProposed.at(&format!("/destructions/{id}")));
    Ok(())
}

/// One batch: the destruction log's entry.
#[server(name = DestructionPage, prefix = "/api", endpoint = "destructions/one")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn destruction_page(
    batch_id: String,
    /// "1": show the deciding leader whom the batch erases (audited).
    #[server(default)]
    names: String,
) -> Result<BatchView, AppError> {
    use crate::{authz::Opening, domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        resource,
        tx,
        row,
    } = crate::authz::guard_one::<super::store::BatchRow>(
        Opening::Write,
        Action::ViewDestruction,
        &batch_id,
    )
    .await?;
    super::service::view(tx, &context(&state), &actor, resource, &row, names == "1").await
}

/// A leader other than the proposer approves (the data is erased) or rejects with a reason.
#[server(name = DecideDestruction, prefix = "/api", endpoint = "destructions/decide")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn decide_destruction(
    batch_id: String,
    decision: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    use crate::{authz::Opening, domain::access::Action, kit::workflow::Decision, state::context};
    let decision = Decision::parse(&decision, &comment)?;
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::BatchRow>(
        Opening::Write,
        Action::DecideDestruction,
        &batch_id,
    )
    .await?;
    super::service::decide(
        tx,
        &context(&state),
        &actor,
        &row,
        &state.retention,
        &decision,
    )
    .await?;
    let done = decision.either(Done::DestructionApproved, Done::DestructionRejected);
    leptos_axum::redirect(&done.at(&format!("/destructions/{batch_id}")));
    Ok(())
}
