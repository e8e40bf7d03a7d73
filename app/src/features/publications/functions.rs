//! The publication review's server functions: each one check (`guard`, or `guard_in` on the
//! text loaded in the transaction that acts), then the service.

#[cfg(feature = "ssr")]
use crate::authz::Guarded;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{
    errors::AppError,
    features::publications::views::{PublicationInput, PublicationView, PublicationsHome},
};

/// One's texts, and those waiting for one's decision.
#[server(name = PublicationsHomeView, prefix = "/api", endpoint = "publications")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn publications_home() -> Result<PublicationsHome, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::WritePublication, nothing).await?;
    super::service::home(&context(&state), &actor).await
}

/// The header's count.
#[server(name = PublicationsWaiting, prefix = "/api", endpoint = "publications/waiting")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn publications_waiting() -> Result<i64, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        state::context,
    };
    let (state, actor) = guard(Action::WritePublication, nothing).await?;
    super::service::waiting(&context(&state), &actor).await
}

/// Saves a text and shows what the scan found; with `then_submit`, submits it for review.
/// A new text (no id) is anyone's to write; an existing one its author's alone.
#[server(name = SavePublication, prefix = "/api", endpoint = "publications/save")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn save_publication(
    publication: PublicationInput,
    #[server(default)] then_submit: String,
) -> Result<(), AppError> {
    use crate::{
        authz::{Opening, guard_in},
        domain::access::{Action, Resource},
        state::context,
    };
    // A new text is anyone's to write; an existing one is checked on the text as loaded.
    let (state, actor, tx, found) = if publication.id.is_empty() {
        let Guarded {
            state, actor, tx, ..
        } = guard_in(
            Opening::Write,
            |_, _| Action::WritePublication,
            async |_| Ok(Resource::Nothing),
        )
        .await?;
        (state, actor, tx, None)
    } else {
        let Guarded {
            state,
            actor,
            tx,
            row,
            ..
        } = crate::authz::guard_one::<super::store::PublicationRow>(
            Opening::Write,
            Action::EditPublication,
            &publication.id,
        )
        .await?;
        (state, actor, tx, Some(row))
    };
    let submit = then_submit == "1";
    // A refused text comes back as it was typed.
    let id = crate::kit::forms::keeping(
        &publication,
        super::service::save(
            tx,
            &context(&state),
            &actor,
            found.as_ref(),
            &publication,
            submit,
        ),
    )
    .await?;
    let done = if submit {
        Done::PublicationSubmitted
    } else {
        Done::PublicationScanned
    };
    leptos_axum::redirect(&done.at(&format!("/publications/{id}")));
    Ok(())
}

/// One text: its editor (a draft of one's own) or its review record.
#[server(name = PublicationPage, prefix = "/api", endpoint = "publications/one")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn publication_page(publication_id: String) -> Result<PublicationView, AppError> {
    use crate::{domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        resource,
        tx,
        row,
    } = crate::authz::guard_one::<super::store::PublicationRow>(
        crate::authz::Opening::Write,
        Action::ViewPublication,
        &publication_id,
    )
    .await?;
    super::service::view(tx, &context(&state), &actor, resource, &row).await
}

/// A leading-group member other than the author (a leader, when no such member is there to)
/// approves, with a reason for keeping each finding, or rejects with a comment.
#[server(name = DecidePublication, prefix = "/api", endpoint = "publications/decide")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn decide_publication(
    publication_id: String,
    decision: String,
    #[server(default)] comment: String,
    #[server(default)] overrides: Vec<String>,
) -> Result<(), AppError> {
    use crate::{domain::access::Action, kit::workflow::Decision, state::context};
    let decision = Decision::parse(&decision, &comment)?;
    // No more reasons than a text has findings (bounded before anything is built on them).
    if overrides.len() > crate::domain::publication::MAX_BODY_CHARS {
        return Err(AppError::invalid(
            "overrides",
            "publication.override_required",
        ));
    }
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::PublicationRow>(
        crate::authz::Opening::Write,
        Action::DecidePublication,
        &publication_id,
    )
    .await?;
    super::service::decide(tx, &context(&state), &actor, &row, &decision, &overrides).await?;
    let done = decision.either(Done::PublicationApproved, Done::PublicationRejected);
    leptos_axum::redirect(&done.at(&format!("/publications/{publication_id}")));
    Ok(())
}

/// The author withdraws their draft or submitted text.
#[server(name = WithdrawPublication, prefix = "/api", endpoint = "publications/withdraw")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn withdraw_publication(publication_id: String) -> Result<(), AppError> {
    use crate::{domain::access::Action, state::context};
    let Guarded {
        state,
        actor,
        tx,
        row,
        ..
    } = crate::authz::guard_one::<super::store::PublicationRow>(
        crate::authz::Opening::Write,
        Action::EditPublication,
        &publication_id,
    )
    .await?;
    super::service::withdraw(tx, &context(&state), &actor, &row).await?;
    leptos_axum::redirect(&Done::PublicationWithdrawn.at("/publications"));
    Ok(())
}
