//! Sessions: server-side records behind an `HttpOnly; SameSite=Lax` cookie, checked on every
//! request against the database and the clock.

use app::{
    functions::auth::SESSION_KEY,
    models::Actor,
    services::auth::{self, SessionRecord},
    state::AppState,
};
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use http::StatusCode;
use tower_sessions::{Expiry, Session, SessionManagerLayer, cookie::SameSite};
use tower_sessions_sqlx_store::SqliteStore;

pub const SESSION_COOKIE: &str = "xueji_session";

/// The session layer. The store's own expiry (by the system clock) only clears abandoned
/// records; the limits that count are checked by `authenticate` with the app's clock.
pub async fn layer(
    pool: sqlx::SqlitePool,
    secure: bool,
) -> Result<SessionManagerLayer<SqliteStore>, sqlx::Error> {
    let store = SqliteStore::new(pool)
        .with_table_name("sessions")
        .map_err(|e| sqlx::Error::Configuration(e.into()))?;
    store.migrate().await?;
    Ok(SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::hours(12),
        )))
}

/// Pages anyone may open; every other page needs a signed-in person.
fn is_public(path: &str) -> bool {
    matches!(path, "/" | "/sign-in" | "/healthz" | "/favicon.svg")
        || ["/setup/", "/pkg/", "/api/"]
            .iter()
            .any(|prefix| path.starts_with(prefix))
}

/// Finds the signed-in person, if any, and hands them to pages and server functions as a
/// request extension. A session past its limits, of a disabled account, or from before a
/// change of password or roles is ended here. Pages that need a person redirect to sign-in
/// before anything renders, and a person whose password must change goes there first.
pub async fn authenticate(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Response {
    let now = state.clock.now();
    let record = match session.get::<SessionRecord>(SESSION_KEY).await {
        Ok(record) => record,
        Err(error) => {
            tracing::error!(%error, "session store unreadable");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    if let Some(mut record) = record {
        match auth::check_session(&state.pool, &state.session_policy, now, &record).await {
            Ok(Ok(actor)) => {
                // Minute precision is enough for the idle limit; spare a write per request.
                if now - record.last_seen_at >= chrono::Duration::seconds(30) {
                    record.last_seen_at = now;
                    if let Err(error) = session.insert(SESSION_KEY, &record).await {
                        tracing::error!(%error, "session store unwritable");
                    }
                }
                request.extensions_mut().insert(actor);
            }
            Ok(Err(end)) => {
                tracing::info!(
                    user_id = record.user_id,
                    reason = end.code(),
                    "session ended"
                );
                let _ = session.flush().await;
            }
            Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        }
    }

    let path = request.uri().path();
    let actor = request.extensions().get::<Actor>();
    let is_page = !path.starts_with("/api/") && !path.starts_with("/pkg/");
    match actor {
        None if !is_public(path) => return Redirect::to("/sign-in").into_response(),
        Some(actor) if actor.must_change_password && is_page && path != "/account/password" => {
            return Redirect::to("/account/password").into_response();
        }
        _ => {}
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_listed_pages_are_public() {
        for path in [
            "/",
            "/sign-in",
            "/setup/abc",
            "/pkg/xueji.css",
            "/api/sign-in",
            "/healthz",
        ] {
            assert!(is_public(path), "{path}");
        }
        for path in [
            "/account",
            "/account/password",
            "/admin",
            "/sign-in/x",
            "/setup",
            "/anything",
        ] {
            assert!(!is_public(path), "{path}");
        }
    }
}
