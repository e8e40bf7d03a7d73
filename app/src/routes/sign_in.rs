//! Signing in.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    components::{FormErrors, use_hydrated},
    functions::auth::SignIn,
    i18n::Locale,
    shell::use_locale,
    tr,
};

#[component]
pub fn SignInPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let welcome = move || query.with(|q| q.get("welcome").is_some());
    view! {
        <section class="card narrow" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">{tr!(locale, "sign_in.title")}</h1>
            <Show when=welcome>
                <p class="notice" role="status">{tr!(locale, "sign_in.welcome")}</p>
            </Show>
            <SignInForm locale />
        </section>
    }
}

/// Without WebAssembly a plain form post; with it, the answer comes back in place.
#[island]
fn SignInForm(locale: Locale) -> impl IntoView {
    let hydrated = use_hydrated();
    let action = ServerAction::<SignIn>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <ActionForm action attr:class="form" attr:data-hydrated=move || hydrated.get().to_string()>
            <label for="username">{tr!(locale, "sign_in.username")}</label>
            <input
                id="username"
                name="username"
                autocomplete="username"
                autocapitalize="none"
                spellcheck="false"
                required
                maxlength="64"
            />
            <label for="password">{tr!(locale, "sign_in.password")}</label>
            <input
                id="password"
                name="password"
                type="password"
                autocomplete="current-password"
                required
                maxlength="128"
            />
            <FormErrors locale error />
            <button type="submit" disabled=move || action.pending().get()>
                {tr!(locale, "sign_in.submit")}
            </button>
        </ActionForm>
    }
}
