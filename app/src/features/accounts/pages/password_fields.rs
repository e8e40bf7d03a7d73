//! New-password fields with live feedback: the same rule the server applies, checked as the
//! person types.

use leptos::prelude::*;

use crate::{
    domain::password::{Holder, PasswordPolicy, problems},
    i18n::Locale,
    tr,
};

/// The "new password" and "confirm" inputs, with the policy's problems listed as they change.
/// `username` lets the rule refuse a password containing it; the name and block-list checks
/// are the server's, which holds them.
#[component]
pub fn NewPasswordFields(
    locale: Locale,
    username: String,
    policy: PasswordPolicy,
) -> impl IntoView {
    let (typed, set_typed) = signal(String::new());
    let (confirm, set_confirm) = signal(String::new());
    let problems = Memo::new(move |_| {
        let typed = typed.get();
        if typed.is_empty() {
            Vec::new()
        } else {
            problems(
                &typed,
                &policy,
                &Holder {
                    username: &username,
                    ..Holder::default()
                },
            )
        }
    });
    let mismatch = move || !confirm.get().is_empty() && confirm.get() != typed.get();

    view! {
        <label for="new_password">{tr!(locale, "password.new")}</label>
        <input
            id="new_password"
            name="new_password"
            type="password"
            autocomplete="new-password"
            required
            maxlength="128"
            aria-describedby="password-rule password-problems"
            on:input=move |ev| set_typed.set(event_target_value(&ev))
        />
        <p id="password-rule" class="hint">
            {tr!(locale, &format!("password.rule_{}", policy.preset.code()))}
        </p>
        <ul
            id="password-problems"
            class="live-problems"
            aria-live="polite"
            data-testid="password-problems"
        >
            {move || {
                problems
                    .get()
                    .into_iter()
                    .map(|p| view! { <li>{tr!(locale, &format!("error.{p}"))}</li> })
                    .collect_view()
            }}
        </ul>
        <label for="confirm_password">{tr!(locale, "password.confirm")}</label>
        <input
            id="confirm_password"
            name="confirm_password"
            type="password"
            autocomplete="new-password"
            required
            maxlength="128"
            on:input=move |ev| set_confirm.set(event_target_value(&ev))
        />
        <p class="live-problems" aria-live="polite">
            {move || mismatch().then(|| tr!(locale, "error.password.mismatch"))}
        </p>
    }
}
