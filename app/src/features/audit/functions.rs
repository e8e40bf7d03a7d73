//! The audit viewer.

use leptos::prelude::*;

use crate::{errors::AppError, features::audit::views::AuditView};

/// A page of the trail, filtered, with the chain's verification.
#[server(name = AuditTrail, prefix = "/api", endpoint = "audit")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn audit_trail(
    #[server(default)] actor: Option<i64>,
    #[server(default)] action: Option<String>,
    #[server(default)] object: Option<i64>,
    #[server(default)] student: Option<String>,
    #[server(default)] from: Option<String>,
    #[server(default)] until: Option<String>,
    #[server(default)] before: Option<i64>,
) -> Result<AuditView, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        features::audit::service::{self as audit_viewer, Filter},
        state::client_address,
    };
    let (state, viewer) = guard(Action::ReadAudit, nothing).await?;
    let filter = Filter {
        actor,
        action,
        object,
        student,
        from,
        until,
        before,
    };
    // One reading per filter and session: paging through it or coming back to it is the
    // same reading, not a new entry each time.
    let session = crate::state::session().await?;
    let reading = filter.reading();
    let last: Option<String> = session.get(LAST_READING).await.unwrap_or(None);
    let view = audit_viewer::view(
        &state.pool,
        &state.audit_key,
        &state.audit_witness,
        state.clock.now(),
        state.timezone,
        &viewer,
        client_address(),
        &filter,
        last.as_deref() != Some(reading.as_str()),
    )
    .await?;
    session.insert(LAST_READING, reading).await?;
    Ok(view)
}

/// The filter of the viewer's last reading of the trail, in their session.
#[cfg(feature = "ssr")]
const LAST_READING: &str = "xueji.audit.last_reading";
