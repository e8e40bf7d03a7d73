//! What the server hands every server function and page: the database, the clock, the
//! school's settings, and helpers to read the request being answered.

use std::sync::Arc;

use axum::extract::FromRef;
use chrono_tz::Tz;
use http::{HeaderValue, header, request::Parts};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use sqlx::SqlitePool;

use crate::{
    clock::Clock,
    errors::AppError,
    i18n::{LOCALE_COOKIE, Locale, locale_cookie},
};

/// The header that carries each request's id, set by the server's first layer.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: SqlitePool,
    pub clock: Arc<dyn Clock>,
    /// The school's time zone: times are stored in UTC and shown in this zone.
    pub timezone: Tz,
    /// The key of the audit chain.
    pub audit_key: crate::services::audit::AuditKey,
    /// Cookies get `Secure` when the portal is served over TLS.
    pub secure_cookies: bool,
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

/// The language of the request being rendered.
pub fn request_locale() -> Locale {
    let Some(parts) = use_context::<Parts>() else {
        return Locale::default();
    };
    let header = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    Locale::negotiate(
        header(header::COOKIE).and_then(locale_cookie),
        header(header::ACCEPT_LANGUAGE),
    )
}

/// Sets the cookie that remembers the chosen language for a year.
pub fn remember_locale(locale: Locale) -> Result<(), AppError> {
    let state = app_state()?;
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let cookie = format!(
        "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}",
        locale.tag()
    );
    let value = HeaderValue::from_str(&cookie).map_err(AppError::internal)?;
    expect_context::<ResponseOptions>().append_header(header::SET_COOKIE, value);
    Ok(())
}

/// The Content-Security-Policy of an HTML page: scripts only from our origin or with this
/// response's nonce (the hydration script), WebAssembly allowed, nothing framed or embedded.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Puts the page's Content-Security-Policy, with the nonce Leptos generated for this
/// response, on the response.
pub fn set_content_security_policy() {
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<ResponseOptions>())
    else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}
