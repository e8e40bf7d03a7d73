//! Granting and taking away roles, and the leading group's review of privileged grants.

#[cfg(feature = "ssr")]
use crate::authz::Guarded;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{errors::AppError, features::grants::views::RoleGrantsView};

#[cfg(feature = "ssr")]
fn role(code: &str) -> Result<crate::domain::Role, AppError> {
    crate::domain::Role::parse(code).ok_or_else(|| AppError::invalid("role", "roles.unknown"))
}

/// The system administrator grants a role, or proposes a privileged one for approval.
#[server(name = GrantRole, prefix = "/api", endpoint = "admin/accounts/grant")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn grant_role(user_id: i64, role: String) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, Resource},
        features::{accounts::service::auth::context as auth_context, grants::service as grants},
    };
    let (state, actor) = guard(Action::ManageAccounts, |_| Resource::User(user_id)).await?;
    let done =
        match grants::grant_to(&auth_context(&state), &actor, user_id, self::role(&role)?).await? {
            grants::GrantOutcome::Granted { .. } => Done::RoleGranted,
            grants::GrantOutcome::Proposed { .. } => Done::RoleProposed,
        };
    leptos_axum::redirect(&done.at("/admin/accounts"));
    Ok(())
}

/// The system administrator takes a role away; it counts at once.
#[server(name = RevokeRole, prefix = "/api", endpoint = "admin/accounts/revoke")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn revoke_role(user_id: i64, role: String) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, Resource},
        features::{accounts::service::auth::context as auth_context, grants::service as grants},
    };
    let (state, actor) = guard(Action::ManageAccounts, |_| Resource::User(user_id)).await?;
    let done =
        match grants::revoke(&auth_context(&state), &actor, user_id, self::role(&role)?).await? {
            grants::GrantOutcome::Granted { .. } => Done::RoleRevoked,
            grants::GrantOutcome::Proposed { .. } => Done::RevokeProposed,
        };
    leptos_axum::redirect(&done.at("/admin/accounts"));
    Ok(())
}

/// The pending requests, for a leading-group member (and leaders, who decide when no member
/// is there to), and the setup link of a reset just approved (shown once, to its approver).
#[server(name = PendingRoleGrants, prefix = "/api", endpoint = "admin/role-grants")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn pending_role_grants() -> Result<RoleGrantsView, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        features::grants::service as grants,
    };
    let (state, actor) = guard(Action::ReviewRoleGrants, nothing).await?;
    let (activations, new_code) =
        crate::features::accounts::functions::flash::second_persons_part(&state, &actor).await?;
    Ok(RoleGrantsView {
        requests: grants::pending(&state.pool, state.timezone).await?,
        new_link: crate::features::accounts::functions::flash::take_flashed_link(&state)?,
        activations,
        new_code,
    })
}

/// The second person's step of a setup link (POLICY.md article 4: nobody holds another's
/// credential): a leading-group member, leader or system administrator who neither received
/// the link nor is its person is shown the activation code once, to hand to the person, who
/// completes the link with it. Whoever received the link never sees its code.
#[server(name = ShowActivationCode, prefix = "/api", endpoint = "admin/role-grants/activation-code")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn show_activation_code(#[server(default)] link_id: String) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        features::accounts::service::auth::{self, context as auth_context},
    };
    let (state, actor) = guard(Action::ShowActivationCode, nothing).await?;
    let (username, code) =
        auth::show_activation_code(&auth_context(&state), &actor, link_id.trim()).await?;
    // Never in the session store: the database keeps the code only as a keyed digest.
    crate::features::accounts::functions::flash::show_code_once(&state, &username, &code)?;
    // Back to where the list is: the reviews, or the system administrator's console.
    let back =
        if actor.has(crate::domain::Role::LeadingGroup) || actor.has(crate::domain::Role::Leader) {
            "/admin/role-grants"
        } else {
            "/admin/accounts"
        };
    leptos_axum::redirect(&Done::CodeShown.at(back));
    Ok(())
}

/// A leading-group member other than the proposer and the grantee (a leader, when there is
/// no such member) approves, or rejects with a reason.
#[server(name = DecideRoleGrant, prefix = "/api", endpoint = "admin/role-grants/decide")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn decide_role_grant(
    request_id: i64,
    decision: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    use crate::{
        authz::{Opening, guard_row},
        domain::access::Action,
        features::{accounts::service::auth::context as auth_context, grants::service as grants},
    };
    // The rule depends on the request's parties: loaded, checked and acted on in one
    // transaction, so what was checked is what is decided.
    let Guarded {
        state,
        actor,
        tx,
        row: request,
        ..
    } = guard_row(Opening::Write, Action::DecideRoleGrant, async |c| {
        grants::guarded(c, request_id).await
    })
    .await?;
    // A rejection says why: the proposer reads it in the request's history.
    let decision = crate::kit::workflow::Decision::parse(&decision, &comment)?;
    if let Some((token, username)) =
        grants::decide(tx, &auth_context(&state), &actor, &request, &decision).await?
    {
        crate::features::accounts::functions::flash::show_link_once(&state, username, &token)?;
    }
    let done = decision.either(Done::GrantApproved, Done::GrantRejected);
    leptos_axum::redirect(&done.at("/admin/role-grants"));
    Ok(())
}

/// How many pending requests the viewer may decide: the header's count.
#[server(name = RoleGrantsWaiting, prefix = "/api", endpoint = "admin/role-grants/waiting")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn role_grants_waiting() -> Result<i64, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        features::grants::service as grants,
    };
    let (state, actor) = guard(Action::ReviewRoleGrants, nothing).await?;
    grants::waiting_for(&state.pool, &actor).await
}
