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

/// What the one check hands the function that passed it: the application state, the
/// signed-in person, the resource the check was about, the transaction the function acts in,
/// and the object it acts on as loaded in that transaction (`()` when there is none).
pub struct Guarded<R = ()> {
    pub state: crate::state::AppState,
    pub actor: Actor,
    pub resource: Resource,
    pub tx: crate::db::Tx,
    pub row: R,
}

/// An object a server function acts on, found by the public id its caller names: what it is
/// for the check (`Resource::Nothing`, which permits nothing, and no object when the id names
/// none), and the object as stored. Each workflow's service implements it for its row.
pub trait Stored: Sized + Send {
    fn find(
        conn: &mut crate::db::Conn,
        public_id: &str,
    ) -> impl Future<Output = Result<(Resource, Option<Self>), AppError>> + Send;
}

/// The one check every server function of a signed-in person starts with: finds the
/// application state and the person, and asks `authorize` about `action` on the resource
/// `resource_of` names. An anonymous caller is denied (and logged) here.
pub async fn guard(
    action: Action,
    resource_of: impl FnOnce(Option<&Actor>) -> Resource,
) -> Result<(crate::state::AppState, Actor), AppError> {
    let (state, actor) = guard_open(action, resource_of).await?;
    let actor = actor.ok_or_else(AppError::forbidden)?;
    Ok((state, actor))
}

/// `guard` for the few actions open to everyone (signing in, the language, the password
/// policy, a first sign-in's setup): the person, if any, is handed on as found.
pub async fn guard_open(
    action: Action,
    resource_of: impl FnOnce(Option<&Actor>) -> Resource,
) -> Result<(crate::state::AppState, Option<Actor>), AppError> {
    let state = crate::state::app_state()?;
    let actor = crate::state::current_actor();
    let resource = resource_of(actor.as_ref());
    authorize(&state, actor.as_ref(), action, resource).await?;
    Ok((state, actor))
}

/// How the transaction an action acts in begins: `Read` for a page, `Write` for a change.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Opening {
    Read,
    Write,
}

/// The check for an action on a stored resource (a class, a student, an upload): begins the
/// transaction the action then acts in, loads the resource with `load` inside it, and asks
/// `authorize` about the action `action_for` picks for the signed-in person and that
/// resource. The caller acts in the returned transaction, so what was checked cannot change
/// before the act (a write transaction holds the write lock from its first statement; a
/// read transaction sees one snapshot). A denial rolls the transaction back and is recorded
/// as `guard` records it.
pub async fn guard_in(
    opening: Opening,
    action_for: impl FnOnce(Option<&Actor>, Resource) -> Action,
    load: impl AsyncFnOnce(&mut crate::db::Conn) -> Result<Resource, AppError>,
) -> Result<Guarded, AppError> {
    guard_in_as(
        crate::state::app_state()?,
        crate::state::current_actor(),
        opening,
        action_for,
        load,
    )
    .await
}

/// `guard_in` for a request answered outside a server function (a route of the server's
/// own), with its state and its signed-in person as found.
pub async fn guard_in_as(
    state: crate::state::AppState,
    actor: Option<Actor>,
    opening: Opening,
    action_for: impl FnOnce(Option<&Actor>, Resource) -> Action,
    load: impl AsyncFnOnce(&mut crate::db::Conn) -> Result<Resource, AppError>,
) -> Result<Guarded, AppError> {
    let mut tx = match opening {
        Opening::Read => crate::db::begin_read(&state.pool).await?,
        Opening::Write => crate::db::begin_write(&state.pool).await?,
    };
    let resource = load(&mut tx).await?;
    let action = action_for(actor.as_ref(), resource);
    if !permits(actor.as_ref(), action, resource) {
        // The denial is written by a transaction of its own, which could not begin while
        // this one holds the write lock.
        drop(tx);
        authorize(&state, actor.as_ref(), action, resource).await?;
        return Err(AppError::forbidden());
    }
    let actor = actor.ok_or_else(AppError::forbidden)?;
    Ok(Guarded {
        state,
        actor,
        resource,
        tx,
        row: (),
    })
}

/// `guard_in` for an action on one stored object the function then acts on: `load` finds it
/// inside the transaction, with the resource it is (`Nothing`, which permits nothing, when
/// there is no such object). Hands the object on as loaded, so that the step acts on what
/// was checked without reading it again.
pub async fn guard_row<R>(
    opening: Opening,
    action: Action,
    load: impl AsyncFnOnce(&mut crate::db::Conn) -> Result<(Resource, Option<R>), AppError>,
) -> Result<Guarded<R>, AppError> {
    let mut found = None;
    let guarded = guard_in(
        opening,
        |_, _| action,
        async |c| {
            let (resource, row) = load(c).await?;
            found = row;
            Ok(resource)
        },
    )
    .await?;
    let row = found.ok_or_else(AppError::not_found)?;
    Ok(guarded.with(row))
}

/// `guard_row` for an object named by its public id, found as its workflow stores it
/// (`Stored::find`).
pub async fn guard_one<R: Stored>(
    opening: Opening,
    action: Action,
    public_id: &str,
) -> Result<Guarded<R>, AppError> {
    guard_row(opening, action, async |c| R::find(c, public_id).await).await
}

impl<R> Guarded<R> {
    /// The same check's outcome, carrying `row` as the object acted on.
    pub fn with<T>(self, row: T) -> Guarded<T> {
        Guarded {
            state: self.state,
            actor: self.actor,
            resource: self.resource,
            tx: self.tx,
            row,
        }
    }
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
                Resource::InfoRequest { id, .. } => entry = entry.object("info_request", id),
                Resource::LeakReport { .. }
                | Resource::Destruction { .. }
                | Resource::LeftMarking { .. }
                | Resource::StatusChange { .. }
                | Resource::Inspection => {}
                Resource::Role(_) | Resource::Publication { .. } | Resource::Nothing => {}
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
