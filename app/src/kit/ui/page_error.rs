//! A page that could not be shown: the message, and the HTTP status that says so.

use leptos::prelude::*;

use crate::{errors::AppError, i18n::Locale};

/// What a page shows in place of what it could not show. Rendered on the server, it sets the
/// response's status from the error (403 for a refusal, 404 for nothing there, 401 for
/// nobody signed in), so a refused page never answers 200 to a crawler, a script or a proxy.
#[component]
pub fn PageError(locale: Locale, error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(error.status_code())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    view! {
        <p class="form-error" role="alert">
            {error.messages(locale).join(" ")}
        </p>
    }
}
