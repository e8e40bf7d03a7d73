//! The page for an address that leads nowhere.

use leptos::prelude::*;

use crate::{kit::ui::use_locale, tr};

#[component]
pub fn NotFound() -> impl IntoView {
    let locale = use_locale();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="card" aria-labelledby="not-found-title">
            <h1 id="not-found-title">{tr!(locale, "not_found.title")}</h1>
            <p>
                <a href="/">{tr!(locale, "not_found.home")}</a>
            </p>
        </section>
    }
}
