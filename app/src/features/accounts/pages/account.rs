//! The signed-in person's own account: who they are, their roles, password, signing out.

use leptos::prelude::*;

use crate::{
    domain::password::PasswordPolicy,
    features::accounts::{
        functions::account::ChangePassword, pages::password_fields::NewPasswordFields,
    },
    i18n::Locale,
    kit::ui::{form_errors::FormErrors, use_hydrated},
    tr,
};
// The pages are the server's alone; only the password form is an island.
#[cfg(feature = "ssr")]
use crate::{
    features::{
        accounts::functions::{account::my_account, auth::SignOut, policy::password_policy},
        notices::functions::{DismissNotice, own_notices},
    },
    kit::ui::{page_error::PageError, use_locale},
};

#[cfg(feature = "ssr")]
#[component]
pub fn AccountPage() -> impl IntoView {
    let locale = use_locale();
    let account = OnceResource::new(my_account());
    let notices = OnceResource::new(own_notices());
    let dismiss = ServerAction::<DismissNotice>::new();
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <section class="card narrow" aria-labelledby="account-title">
            <h1 id="account-title">{tr!(locale, "account.title")}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let notices = notices.await.unwrap_or_default();
                    (!notices.is_empty())
                        .then(|| {
                            // What happened to one's account while away (a password reset), until
                            // dismissed.
                            view! {
                                <section
                                    class="notice returned"
                                    role="status"
                                    aria-labelledby="notices-title"
                                    data-testid="notices"
                                >
                                    <h2 id="notices-title">{tr!(locale, "notices.title")}</h2>
                                    <ul>
                                        {notices
                                            .into_iter()
                                            .map(|n| {
                                                view! {
                                                    <li>
                                                        {tr!(
                                                            locale, &format!("notices.{}", n.kind), who = n.subject, seq = n.audit_seq
                                                        )} " · " {n.at}
                                                        <ActionForm action=dismiss attr:class="inline">
                                                            <input
                                                                type="hidden"
                                                                name="notice_id"
                                                                value=n.id.to_string()
                                                            />
                                                            <input type="hidden" name="back" value="account" />
                                                            <button type="submit" class="secondary small">
                                                                {tr!(locale, "notices.dismiss")}
                                                            </button>
                                                        </ActionForm>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                </section>
                            }
                        })
                })}
            </Suspense>
            <Suspense>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(actor) => {
                            view! {
                                <dl class="facts">
                                    <div>
                                        <dt>{tr!(locale, "account.display_name")}</dt>
                                        <dd data-testid="display-name">
                                            {actor.display_name.clone()}
                                        </dd>
                                    </div>
                                    <div>
                                        <dt>{tr!(locale, "account.username")}</dt>
                                        <dd>{actor.username.clone()}</dd>
                                    </div>
                                    <div>
                                        <dt>{tr!(locale, "account.roles")}</dt>
                                        <dd data-testid="roles">
                                            {actor
                                                .roles
                                                .iter()
                                                .map(|r| tr!(locale, r.label_key()))
                                                .collect::<Vec<_>>()
                                                .join("、")}
                                        </dd>
                                    </div>
                                </dl>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <PageError locale error=e /> }.into_any(),
                    }
                })}
            </Suspense>
            <p>
                <a href="/account/password">{tr!(locale, "account.change_password")}</a>
            </p>
            // Someone named as the successor of a handover who holds no privileged role yet
            // has no header link to it: the way there is here.
            {(!crate::kit::ui::use_actor().is_some_and(|a| a.is_privileged()))
                .then(|| {
                    view! {
                        <p class="hint">
                            <a href="/handovers" data-testid="handovers-mine">
                                {tr!(locale, "account.handovers")}
                            </a>
                            " "
                            {tr!(locale, "account.handovers_hint")}
                        </p>
                    }
                })}
            <ActionForm action=sign_out>
                <button type="submit" class="secondary">
                    {tr!(locale, "nav.sign_out")}
                </button>
            </ActionForm>
        </section>
    }
}

#[cfg(feature = "ssr")]
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let locale = use_locale();
    let actor = crate::kit::ui::use_actor();
    let forced = actor.as_ref().is_some_and(|a| a.must_change_password);
    let username = actor.map(|a| a.username).unwrap_or_default();
    let policy = OnceResource::new(password_policy());
    view! {
        <section class="card narrow" aria-labelledby="password-title">
            <h1 id="password-title">{tr!(locale, "password.title")}</h1>
            <Show when=move || forced>
                <p class="notice" role="status">
                    {tr!(locale, "password.forced")}
                </p>
            </Show>
            <Suspense>
                {move || {
                    let username = username.clone();
                    Suspend::new(async move {
                        match policy.await {
                            Ok(policy) => {
                                view! { <ChangePasswordForm locale username policy /> }.into_any()
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
fn ChangePasswordForm(locale: Locale, username: String, policy: PasswordPolicy) -> impl IntoView {
    let hydrated = use_hydrated();
    let action = ServerAction::<ChangePassword>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <ActionForm action attr:class="form" attr:data-hydrated=move || hydrated.get().to_string()>
            <label for="current_password">{tr!(locale, "password.current")}</label>
            <input
                id="current_password"
                name="current_password"
                type="password"
                autocomplete="current-password"
                required
                maxlength="128"
            />
            <NewPasswordFields locale username policy />
            <FormErrors locale error />
            <button type="submit" disabled=move || action.pending().get()>
                {tr!(locale, "password.submit")}
            </button>
        </ActionForm>
    }
}
