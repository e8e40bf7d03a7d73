//! The system administrator's account console.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{errors::AppError, features::console::views::AccountConsole};

/// The console's current search, kept in the session: it never appears in a URL.
#[cfg(feature = "ssr")]
const ACCOUNT_QUERY: &str = "xueji.accounts.query";

#[cfg(feature = "ssr")]
async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract().await.map_err(AppError::internal)
}

/// Every account, and a setup link just issued (shown once).
#[server(name = AccountConsoleView, prefix = "/api", endpoint = "admin/accounts")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn account_console() -> Result<AccountConsole, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        features::console::service as accounts,
    };
    let (state, actor) = guard(Action::ManageAccounts, nothing).await?;
    let session = session().await?;
    let query: Option<String> = session.get(ACCOUNT_QUERY).await?;
    let accounts = accounts::list(
        &state.pool,
        state.timezone,
        state.clock.now(),
        query.as_deref(),
    )
    .await?;
    let new_link = crate::features::accounts::functions::flash::take_flashed_link(&state)?;
    let (activations, new_code) =
        crate::features::accounts::functions::flash::second_persons_part(&state, &actor).await?;
    Ok(AccountConsole {
        accounts,
        query,
        new_link,
        activations,
        new_code,
    })
}

/// What a refused account creation keeps for its form: all of it (nothing in it is secret),
/// each text cut to its field's limit.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NewAccountKept {
    pub username: String,
    pub display_name: String,
    pub roles: Vec<String>,
}

/// Creates an account with its roles; the console then shows its one-time setup link.
#[server(name = CreateAccount, prefix = "/api", endpoint = "admin/accounts/create")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_account(
    username: String,
    display_name: String,
    #[server(default)] roles: Vec<String>,
) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::{
            Role,
            access::{Action, nothing},
        },
        features::{
            accounts::service::auth::context as auth_context, console::service as accounts,
        },
    };
    let (state, actor) = guard(Action::ManageAccounts, nothing).await?;
    let kept = NewAccountKept {
        username: crate::domain::cut(&username, 64),
        display_name: crate::domain::cut(&display_name, 64),
        roles: Role::ALL
            .into_iter()
            .map(Role::code)
            .filter(|code| roles.iter().any(|r| r == code))
            .map(str::to_owned)
            .collect(),
    };
    let token = crate::kit::forms::keeping(&kept, async {
        let roles = roles
            .iter()
            .map(|code| {
                Role::parse(code).ok_or_else(|| AppError::invalid("roles", "roles.unknown"))
            })
            .collect::<Result<Vec<Role>, AppError>>()?;
        accounts::create(
            &auth_context(&state),
            &actor,
            &username,
            &display_name,
            &roles,
        )
        .await
    })
    .await?;
    crate::features::accounts::functions::flash::show_link_once(
        &state,
        username.trim().to_lowercase(),
        &token,
    )?;
    leptos_axum::redirect(&Done::AccountCreated.at("/admin/accounts"));
    Ok(())
}

/// Disables, re-enables, ends the sessions of, or resets the password of an account.
#[server(name = ChangeAccount, prefix = "/api", endpoint = "admin/accounts/change")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn change_account(user_id: i64, change: String) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, Resource},
        features::{
            accounts::service::auth::context as auth_context,
            console::service::{self as accounts, Change, Changed},
        },
    };
    let (state, actor) = guard(Action::ManageAccounts, |_| Resource::User(user_id)).await?;
    let (change, mut done) = match change.as_str() {
        "disable" => (Change::Disable, Done::Disabled),
        "enable" => (Change::Enable, Done::Enabled),
        "end_sessions" => (Change::EndSessions, Done::SessionsEnded),
        "reset_password" => (Change::ResetPassword, Done::ResetProposed),
        "reopen" => (Change::Reopen, Done::Reopened),
        _ => return Err(AppError::invalid("change", "change.unknown")),
    };
    match accounts::change(&auth_context(&state), &actor, user_id, change).await? {
        Changed::Link(token, username) => {
            crate::features::accounts::functions::flash::show_link_once(&state, username, &token)?;
            done = Done::PasswordReset;
        }
        Changed::Proposed => done = Done::ChangeProposed,
        Changed::Done => {}
    }
    leptos_axum::redirect(&done.at("/admin/accounts"));
    Ok(())
}

/// Searches the accounts by username or name; an empty search shows them all. The search
/// travels in the form's body and stays in the session.
#[server(name = SearchAccounts, prefix = "/api", endpoint = "admin/accounts/search")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn search_accounts(#[server(default)] query: String) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
    };
    guard(Action::ManageAccounts, nothing).await?;
    let query = query.trim();
    if query.chars().count() > 40 {
        return Err(AppError::invalid("query", "search.too_long"));
    }
    let session = session().await?;
    if query.is_empty() {
        session.remove::<String>(ACCOUNT_QUERY).await?;
    } else {
        session.insert(ACCOUNT_QUERY, query).await?;
    }
    leptos_axum::redirect("/admin/accounts");
    Ok(())
}
