//! The one-time setup link: the person chooses their own password.

use leptos::prelude::*;

use crate::{
    domain::password::PasswordPolicy,
    features::accounts::{
        functions::auth::CompleteSetup, pages::password_fields::NewPasswordFields,
    },
    i18n::Locale,
    kit::ui::{form_errors::FormErrors, use_hydrated},
    tr,
};
// The page is the server's alone; only its form is an island.
#[cfg(feature = "ssr")]
use {
    crate::{
        features::accounts::functions::auth::setup_link_holder,
        kit::ui::{page_error::PageError, use_locale},
    },
    leptos_router::hooks::use_params_map,
};

#[cfg(feature = "ssr")]
#[component]
pub fn SetupPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
    let holder = OnceResource::new(setup_link_holder(token.clone()));
    view! {
        <section class="card narrow" aria-labelledby="setup-title">
            <h1 id="setup-title">{tr!(locale, "setup.title")}</h1>
            <Suspense>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        match holder.await {
                            Ok(Some(holder)) => {
                                view! {
                                    <p>
                                        {tr!(locale, "setup.greeting", name = holder.display_name)}
                                    </p>
                                    <SetupForm
                                        locale
                                        token
                                        username=holder.username
                                        policy=holder.policy
                                        needs_code=holder.needs_code
                                    />
                                }
                                    .into_any()
                            }
                            Ok(None) => {
                                view! {
                                    <p class="form-error" role="alert">
                                        {tr!(locale, "error.setup_link_invalid")}
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <PageError locale error=e /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

#[island]
fn SetupForm(
    locale: Locale,
    token: String,
    username: String,
    policy: PasswordPolicy,
    /// The link is completed with an activation code a second person hands over.
    needs_code: bool,
) -> impl IntoView {
    let hydrated = use_hydrated();
    let action = ServerAction::<CompleteSetup>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <ActionForm action attr:class="form" attr:data-hydrated=move || hydrated.get().to_string()>
            <input type="hidden" name="token" value=token />
            <p>{tr!(locale, "setup.username")} " " <strong>{username.clone()}</strong></p>
            {needs_code
                .then(|| {
                    view! {
                        <label for="setup-code">{tr!(locale, "setup.code")}</label>
                        <input
                            id="setup-code"
                            name="code"
                            required
                            inputmode="numeric"
                            autocomplete="one-time-code"
                            maxlength="16"
                            aria-describedby="setup-code-hint"
                        />
                        <p class="hint" id="setup-code-hint">
                            {tr!(locale, "setup.code_hint")}
                        </p>
                    }
                })}
            <NewPasswordFields locale username policy />
            <FormErrors locale error />
            <button type="submit" disabled=move || action.pending().get()>
                {tr!(locale, "setup.submit")}
            </button>
        </ActionForm>
    }
}
