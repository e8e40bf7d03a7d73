//! The portal's health, for the status panel.

use leptos::prelude::*;

use crate::{errors::AppError, models::SystemStatus};

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
