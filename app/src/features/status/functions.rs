//! The portal's health, for the status panel.

use leptos::prelude::*;

use crate::{errors::AppError, features::status::views::SystemStatus};

/// Reports the database's state and the applied migrations. It holds no personal data, so
/// anyone may ask.
#[server(name = GetSystemStatus, prefix = "/api", endpoint = "status")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn get_system_status() -> Result<SystemStatus, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
    };
    let (state, _) = guard(Action::ReadSystemStatus, nothing).await?;
    crate::features::status::service::status(&state.pool, state.clock.as_ref(), state.timezone)
        .await
}

/// What is one's own: what waits for oneself is read as one's own notices are.
#[cfg(feature = "ssr")]
fn own(actor: Option<&crate::domain::Actor>) -> crate::domain::access::Resource {
    actor
        .map(|a| crate::domain::access::Resource::User(a.id))
        .unwrap_or(crate::domain::access::Resource::Nothing)
}

/// What waits for the signed-in person, the longest-waiting first: their home's to-do list.
#[server(name = MyTodo, prefix = "/api", endpoint = "todo")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn my_todo() -> Result<Vec<crate::features::status::views::TodoItem>, AppError> {
    use crate::{authz::guard, domain::access::Action, state::context};
    let (state, actor) = guard(Action::ReadOwnNotices, own).await?;
    crate::features::status::service::todo(&context(&state), &actor).await
}

/// How many records wait for the signed-in person, exactly (the header's own count, in
/// `header`, stops at `HEADER_CAP`).
#[server(name = RecordsWaiting, prefix = "/api", endpoint = "records/waiting")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn records_waiting() -> Result<i64, AppError> {
    use crate::{authz::guard, domain::access::Action};
    let (state, actor) = guard(Action::ReadOwnNotices, own).await?;
    crate::features::status::service::records_waiting(&state.pool, &actor).await
}

/// What waits for the signed-in person, as every page's header shows it: one read per page.
#[server(name = HeaderWaiting, prefix = "/api", endpoint = "header")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn header_counts() -> Result<crate::features::status::views::HeaderCounts, AppError> {
    use crate::{authz::guard, domain::access::Action};
    let (state, actor) = guard(Action::ReadOwnNotices, own).await?;
    crate::features::status::service::header(&state.pool, &actor).await
}
