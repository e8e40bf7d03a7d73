//! Signing in.

use leptos::prelude::*;

use crate::{
    features::accounts::functions::auth::{SignIn, SignInKept},
    i18n::Locale,
    kit::ui::{form_errors::FormErrors, use_locale},
    tr,
};

#[component]
pub fn SignInPage() -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="card narrow" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">{tr!(locale, "sign_in.title")}</h1>
            <SignInForm locale />
        </section>
    }
}

/// A plain form post, not an island: nothing here needs the browser's help, and the
/// server's answer (the next page, or this one with the error) is the same either way.
#[component]
fn SignInForm(locale: Locale) -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let kept: SignInKept = crate::kit::forms::kept::<SignIn, _>();
    // Back after a refusal, the cursor goes where the person types next: the password.
    let again = !kept.username.is_empty();
    view! {
        <ActionForm action attr:class="form">
            <label for="username">{tr!(locale, "sign_in.username")}</label>
            <input
                id="username"
                name="username"
                value=kept.username
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
                autofocus=again
                required
                maxlength="128"
            />
            <FormErrors locale error />
            <button type="submit">{tr!(locale, "sign_in.submit")}</button>
        </ActionForm>
    }
}
