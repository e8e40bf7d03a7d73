//! What the server hands every server function and page: the database, the clock, the
//! school's settings, and helpers to read the request being answered.

use std::sync::Arc;

use crate::db::Pool;
use axum::extract::FromRef;
use chrono_tz::Tz;
use http::{HeaderValue, header, request::Parts};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use crate::{
    clock::Clock,
    errors::AppError,
    i18n::{LOCALE_COOKIE, Locale},
};

/// The header that carries each request's id, set by the server's first layer.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: Pool,
    pub clock: Arc<dyn Clock>,
    /// The school's time zone: times are stored in UTC and shown in this zone.
    pub timezone: Tz,
    /// Password hashing, limited to one hash per core.
    pub hasher: Arc<crate::kit::passwords::Hasher>,
    /// Idle and absolute session limits.
    pub session_policy: crate::state::SessionPolicy,
    /// The origin people reach the portal at, for the links the portal hands out.
    pub public_origin: String,
    /// The key of the audit chain.
    pub audit_key: crate::kit::audit::chain::AuditKey,
    /// The file beside the key file that witnesses each head of the chain, and the head the
    /// audit page verified last.
    pub audit_witness: Arc<crate::kit::audit::witness::Witness>,
    /// The keys of sealed (encrypted) values and of the blind indexes.
    pub data_keys: Arc<crate::kit::sealing::DataKeys>,
    /// Cookies get `Secure` when the portal is served over TLS.
    pub secure_cookies: bool,
    /// The trusted networks (where 绝密 values may be shown) and proxies.
    pub networks: Arc<crate::kit::network::Networks>,
    /// What a workflow's step does in another feature's data (`kit::workflow::effects`).
    pub effects: crate::kit::workflow::effects::Effects,
    /// What is kept for how long, and by which rule (`kit::retention`).
    pub retention: Arc<crate::kit::retention::Retention>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The application state, as `leptos_routes_with_context` provides it.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}

/// The clock's time, read in place (the state is not cloned for it).
pub fn now() -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    with_context::<AppState, _>(|state| state.clock.now())
        .ok_or_else(|| AppError::internal("AppState missing from context"))
}

/// The person signed in, as the server's session layer found them on this request.
pub fn current_actor() -> Option<crate::domain::Actor> {
    use_context::<Parts>().and_then(|p| p.extensions.get::<crate::domain::Actor>().cloned())
}

/// The client's address, for throttling and the audit trail.
pub fn client_address() -> Option<String> {
    client_ip().map(|ip| ip.to_string())
}

/// The client's address: the connection's, or the one a trusted proxy forwarded for (see
/// `kit::network`); `None` when it is unknown (a trusted proxy sent nothing usable).
pub fn client_ip() -> Option<std::net::IpAddr> {
    client_ip_of(&use_context::<AppState>()?, &use_context::<Parts>()?)
}

/// `client_ip` of a request answered outside a server function (a route of the server's
/// own).
pub fn client_ip_of(state: &AppState, parts: &Parts) -> Option<std::net::IpAddr> {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()?
        .0
        .ip();
    let lines = parts
        .headers
        .get_all("x-forwarded-for")
        .into_iter()
        .map(|v| v.as_bytes());
    state.networks.client(peer, lines)
}

/// Whether the request comes from inside the school's trusted networks (an unknown client
/// never does).
pub fn from_trusted_network() -> bool {
    use_context::<AppState>().is_some_and(|state| state.networks.is_trusted_client(client_ip()))
}

/// A cookie's value in the request being answered.
pub fn request_cookie(name: &str) -> Option<String> {
    let parts = use_context::<Parts>()?;
    let header = parts.headers.get(header::COOKIE)?.to_str().ok()?;
    cookie_value(header, name).map(str::to_owned)
}

/// A cookie's value in a `Cookie` header.
fn cookie_value<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    cookie_header.split(';').find_map(|pair| {
        let (n, v) = pair.trim().split_once('=')?;
        (n == name).then_some(v)
    })
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Lax`, `Secure` behind TLS.
pub fn cookie(secure: bool, name: &str, value: &str, max_age_secs: i64) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age_secs}; SameSite=Lax; HttpOnly{secure}")
}

/// Sets a cookie on the response (see [`cookie`]).
pub fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    max_age_secs: i64,
) -> Result<(), AppError> {
    let cookie = cookie(state.secure_cookies, name, value, max_age_secs);
    let value = HeaderValue::from_str(&cookie).map_err(AppError::internal)?;
    expect_context::<ResponseOptions>().append_header(header::SET_COOKIE, value);
    Ok(())
}

/// Session limits: idle and absolute, shorter for privileged roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: chrono::Duration,
    pub idle_privileged: chrono::Duration,
    pub absolute: chrono::Duration,
    pub absolute_privileged: chrono::Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: chrono::Duration::minutes(30),
            idle_privileged: chrono::Duration::minutes(15),
            absolute: chrono::Duration::hours(10),
            absolute_privileged: chrono::Duration::hours(8),
        }
    }
}

impl SessionPolicy {
    pub fn limits(&self, actor: &crate::domain::Actor) -> (chrono::Duration, chrono::Duration) {
        if actor.is_privileged() {
            (self.idle_privileged, self.absolute_privileged)
        } else {
            (self.idle, self.absolute)
        }
    }
}

/// The context this request's services act in (`kit::context`).
pub fn context(state: &AppState) -> crate::kit::context::Context<'_> {
    context_from(state, client_address())
}

/// `context` of a request answered outside a server function, whose client is `client`.
pub fn context_from(state: &AppState, client: Option<String>) -> crate::kit::context::Context<'_> {
    crate::kit::context::Context {
        pool: &state.pool,
        key: &state.audit_key,
        data: &state.data_keys,
        now: state.clock.now(),
        timezone: state.timezone,
        client,
    }
}

/// The language of the request being rendered.
pub fn request_locale() -> Locale {
    let Some(parts) = use_context::<Parts>() else {
        return Locale::default();
    };
    let accept_language = parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Locale::negotiate(request_cookie(LOCALE_COOKIE).as_deref(), accept_language)
}

/// Sets the cookie that remembers the chosen language for a year.
pub fn remember_locale(locale: Locale) -> Result<(), AppError> {
    set_cookie(&app_state()?, LOCALE_COOKIE, locale.tag(), 31_536_000)
}

/// The Content-Security-Policy of an HTML page: scripts only from our origin or with the
/// response's nonce (the hydration script), WebAssembly allowed, nothing framed or embedded;
/// a page without a script (`None`) runs none at all. The server sets it on each page from
/// the page as it is sent (server/src/pages.rs), so the two cannot disagree.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "script-src 'none'".to_owned(),
    };
    format!(
        "default-src 'self'; {scripts}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// The session of the request being handled.
pub async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract().await.map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::cookie_value;

    #[test]
    fn finds_a_cookie_among_others() {
        assert_eq!(
            cookie_value("a=1; xueji_locale=en; b=2", "xueji_locale"),
            Some("en")
        );
        assert_eq!(cookie_value("xueji_locale_x=en", "xueji_locale"), None);
        assert_eq!(cookie_value("", "xueji_locale"), None);
    }
}
