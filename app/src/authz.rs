//! The one authorisation check. Every server function calls `guard` (or `authorize`) before
//! it acts; the rules it applies are `crate::domain::access`, and an action without a rule
//! there is denied.

use crate::{
    domain::{
        Actor,
        access::{Action, Resource, permits},
    },
    errors::AppError,
};

/// The one check every server function starts with: finds the application state and the
/// signed-in person, and asks `authorize` about `action` on the resource `resource_of`
/// names for that person.
pub async fn guard(
    action: Action,
    resource_of: impl FnOnce(Option<&Actor>) -> Resource,
) -> Result<(crate::state::AppState, Option<Actor>), AppError> {
    let state = crate::state::app_state()?;
    let actor = crate::state::current_actor();
    let resource = resource_of(actor.as_ref());
    authorize(&state, actor.as_ref(), action, resource).await?;
    Ok((state, actor))
}

/// Allows or denies; a signed-in person's denial is recorded in the audit trail, an
/// anonymous one in the log.
pub async fn authorize(
    state: &crate::state::AppState,
    actor: Option<&Actor>,
    action: Action,
    resource: Resource,
) -> Result<(), AppError> {
    if permits(actor, action, resource) {
        return Ok(());
    }
    match actor {
        None => {
            tracing::info!(action = action.code(), "anonymous request denied");
            Err(crate::errors::ErrorKind::Unauthenticated.into())
        }
        Some(actor) => {
            let mut tx = crate::db::begin_write(&state.pool).await?;
            let mut entry = crate::kit::audit::chain::NewEntry::new(
                &format!("authz.{}", action.code()),
                "denied",
            )
            .actor(actor.id)
            .client(crate::state::client_address());
            match resource {
                Resource::User(id) | Resource::RoleGrant { grantee: id, .. } => {
                    entry = entry.object("user", id)
                }
                Resource::Class { id, .. } => entry = entry.object("class", id),
                Resource::Student { id, .. } => entry = entry.object("student", id),
                Resource::Nothing => {}
            }
            crate::kit::audit::chain::append_denial(
                &mut tx,
                &state.audit_key,
                state.clock.now(),
                entry,
            )
            .await?;
            tx.commit().await?;
            Err(AppError::forbidden())
        }
    }
}
