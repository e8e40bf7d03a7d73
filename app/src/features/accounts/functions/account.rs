//! The signed-in person's own account.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{domain::Actor, errors::AppError};

/// The signed-in person, for their account page.
#[server(name = MyAccount, prefix = "/api", endpoint = "account")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn my_account() -> Result<Actor, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, own_account},
    };
    let (_, actor) = guard(Action::ViewOwnAccount, own_account).await?;
    Ok(actor)
}

/// Changes the signed-in person's password, given the current one. Their other sessions end.
#[server(name = ChangePassword, prefix = "/api", endpoint = "account/password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, own_account},
        features::accounts::{
            functions::auth::SESSION_KEY,
            service::auth::{self, SessionRecord, context as auth_context},
        },
        kit::return_to,
    };
    let (state, actor) = guard(Action::ChangeOwnPassword, own_account).await?;
    if new_password != confirm_password {
        return Err(AppError::invalid("confirm_password", "password.mismatch"));
    }
    let epoch = auth::change_password(
        &auth_context(&state),
        &actor,
        &current_password,
        &new_password,
    )
    .await?;
    // This session carries on at the new epoch; every other one has ended.
    let session = crate::state::session().await?;
    let record: Option<SessionRecord> = session.get(SESSION_KEY).await?;
    if let Some(mut record) = record {
        record.epoch = epoch;
        session.cycle_id().await?;
        session.insert(SESSION_KEY, &record).await?;
    }
    // A password changed before going on (a forced change at sign-in) goes on to the page
    // the person came for.
    let came_for = crate::state::request_cookie(return_to::COOKIE)
        .as_deref()
        .and_then(return_to::decode);
    if came_for.is_some() {
        crate::state::set_cookie(&state, return_to::COOKIE, "", 0)?;
    }
    leptos_axum::redirect(&Done::PasswordChanged.at(came_for.as_deref().unwrap_or("/account")));
    Ok(())
}
