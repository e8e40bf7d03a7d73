//! Signing in and out, and the one-time setup link.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{domain::Actor, errors::AppError};

/// The cookie that marks a browser the person signed in from before.
pub const DEVICE_COOKIE: &str = "xueji_device";
/// Where the session record lives in the session store.
pub const SESSION_KEY: &str = "xueji.session";

/// What a refused sign-in keeps for its form: the username, never the password.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SignInKept {
    pub username: String,
}

/// Signs a person in with their username and password, then sends them on: to the forced
/// password change when one is due, else to the page they came for, else to their role's
/// home.
#[server(name = SignIn, prefix = "/api", endpoint = "sign-in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn sign_in(username: String, password: String) -> Result<Actor, AppError> {
    use crate::{
        authz::guard_open,
        domain::access::{Action, nothing},
        features::accounts::service::auth::{self, context as auth_context},
        kit::return_to,
        state::{request_cookie, set_cookie},
    };
    let (state, _) = guard_open(Action::SignIn, nothing).await?;
    // Every browser gets its id at its first attempt, so that its failures count as its
    // own, apart from the other browsers behind the school's one address (the attempt that
    // came without one counts as the address's too).
    let device = match request_cookie(DEVICE_COOKIE).filter(|id| id.len() <= 64) {
        Some(id) => auth::Browser::Known(id),
        None => {
            let id = crate::db::new_public_id();
            set_cookie(&state, DEVICE_COOKIE, &id, 31_536_000)?;
            auth::Browser::New(id)
        }
    };
    let kept = SignInKept {
        username: crate::domain::cut(&username, 64),
    };
    let signed_in = crate::kit::forms::keeping(
        &kept,
        auth::sign_in(&auth_context(&state), &username, &password, &device),
    )
    .await?;

    let session = crate::state::session().await?;
    // A new, empty session at sign-in: an id planted before cannot ride along, and nothing
    // the previous person on this browser left (a search, a revealed value) carries over;
    // but what was being typed when the session ended (sealed; the form that takes it back
    // checks it is this person's to edit).
    let carried: Option<serde_json::Value> = session
        .get(crate::kit::forms::CARRIED)
        .await
        .unwrap_or(None);
    session.flush().await?;
    // `flush` deletes the record but the id would be stored again: a new one, always (a
    // copied cookie of whoever used this browser before never becomes the next person's).
    session.cycle_id().await?;
    session.insert(SESSION_KEY, &signed_in.record).await?;
    if let Some(carried) = carried {
        session.insert(crate::kit::forms::CARRIED, carried).await?;
    }
    set_cookie(&state, DEVICE_COOKIE, &signed_in.device_id, 31_536_000)?;
    // The page the person came for, else where their work waits; a password that must
    // change comes first, and the page waits for the change.
    let came_for = request_cookie(return_to::COOKIE);
    let next = match came_for.as_deref().and_then(return_to::decode) {
        Some(page) if !signed_in.actor.must_change_password => {
            set_cookie(&state, return_to::COOKIE, "", 0)?;
            page
        }
        _ => signed_in.actor.home().to_owned(),
    };
    leptos_axum::redirect(&next);
    Ok(signed_in.actor)
}

/// Ends the current session.
#[server(name = SignOut, prefix = "/api", endpoint = "sign-out")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        features::accounts::service::auth,
        state::client_address,
    };
    let (state, actor) = guard(Action::SignOut, nothing).await?;
    auth::sign_out(
        &state.pool,
        &state.audit_key,
        state.clock.now(),
        &actor,
        client_address(),
    )
    .await?;
    let session = crate::state::session().await?;
    session.flush().await?;
    leptos_axum::redirect(&Done::SignedOut.at("/sign-in"));
    Ok(())
}

/// Who a setup link is for, while it is valid (the page greets them by name).
#[server(name = SetupLinkHolder, prefix = "/api", endpoint = "setup-link")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn setup_link_holder(
    token: String,
) -> Result<Option<crate::features::accounts::views::SetupHolder>, AppError> {
    use crate::{
        authz::guard_open,
        domain::access::{Action, nothing},
        features::accounts::service::auth,
    };
    let (state, _) = guard_open(Action::CompleteSetup, nothing).await?;
    let holder = auth::setup_link_holder(&state.pool, &token, state.clock.now()).await?;
    let needs_code =
        holder.is_some() && auth::needs_code(&state.pool, &token, state.clock.now()).await?;
    let policy = crate::features::accounts::service::password_policy::load(
        &mut *state.pool.acquire().await?,
    )
    .await?;
    Ok(
        holder.map(|a| crate::features::accounts::views::SetupHolder {
            username: a.username,
            display_name: a.display_name,
            needs_code,
            policy,
        }),
    )
}

/// Sets the password of the person a setup link belongs to; the link then stops working.
#[server(name = CompleteSetup, prefix = "/api", endpoint = "setup")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn complete_setup(
    token: String,
    #[server(default)] code: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use crate::{
        authz::guard_open,
        domain::access::{Action, nothing},
        features::accounts::service::auth::{self, context as auth_context},
    };
    let (state, _) = guard_open(Action::CompleteSetup, nothing).await?;
    if new_password != confirm_password {
        return Err(AppError::invalid("confirm_password", "password.mismatch"));
    }
    auth::complete_setup(&auth_context(&state), &token, &code, &new_password).await?;
    leptos_axum::redirect(&Done::Welcome.at("/sign-in"));
    Ok(())
}
