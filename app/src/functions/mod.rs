//! Server functions, one file per area: thin doors from the browser to the services.
//!
//! Each one parses its input into domain types, calls a service, and hands the result to
//! [`respond`], which stamps errors with the request id and the HTTP status.

pub mod locale;
pub mod status;

#[cfg(feature = "ssr")]
pub use ssr::respond;

#[cfg(feature = "ssr")]
mod ssr {
    use http::{HeaderValue, StatusCode, header::ACCEPT, request::Parts};
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;

    use crate::{errors::AppError, state::REQUEST_ID_HEADER};

    /// Finishes a server function's answer. An error gets the request id under which its
    /// detail was logged, and a JSON client gets the error's HTTP status; a plain form post
    /// keeps the redirect back to its page, which carries the error.
    pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        result.map_err(|mut error| {
            let parts = use_context::<Parts>();
            error.request_id = parts
                .as_ref()
                .and_then(|p| p.headers.get(REQUEST_ID_HEADER))
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let plain_form_post = parts
                .as_ref()
                .and_then(|p| p.headers.get(ACCEPT))
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"));
            if !plain_form_post && let Some(response) = use_context::<ResponseOptions>() {
                response.set_status(
                    StatusCode::from_u16(error.status_code())
                        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                );
            }
            error
        })
    }
}
