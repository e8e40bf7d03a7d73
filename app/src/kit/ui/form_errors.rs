//! The errors of a form's last submission, read out to screen readers as they appear.

use leptos::prelude::*;

use crate::{errors::AppError, i18n::Locale};

#[component]
pub fn FormErrors(locale: Locale, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <div class="form-errors" role="alert" aria-live="assertive">
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <ul>
                                {e.messages(locale).into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                            </ul>
                        }
                    })
            }}
        </div>
    }
}
