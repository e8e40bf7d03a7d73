//! The errors of a form's last submission, read out to screen readers as they appear.

use leptos::prelude::*;

use crate::{errors::AppError, i18n::Locale};

/// The summary of a refused submission. With `record_fields`, each problem of a student
/// record's field is named by that field (the family member's number too), so the summary
/// says where to look without JavaScript's help.
#[component]
pub fn FormErrors(
    locale: Locale,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] record_fields: bool,
) -> impl IntoView {
    view! {
        <div class="form-errors" role="alert" aria-live="assertive">
            {move || {
                error
                    .get()
                    .map(|e| {
                        let messages = if record_fields {
                            named(locale, &e)
                        } else {
                            e.messages(locale)
                        };
                        view! {
                            <ul>
                                {messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                            </ul>
                        }
                    })
            }}
        </div>
    }
}

/// `error`'s messages, each of a record's field after that field's name.
fn named(locale: Locale, error: &AppError) -> Vec<String> {
    let plain = error.messages(locale);
    if error.fields.len() != plain.len() {
        return plain;
    }
    error
        .fields
        .iter()
        .zip(plain)
        .map(
            |(f, message)| match crate::domain::records::fields::of_path(&f.field) {
                Some(_) => format!("{}：{message}", super::field_label(locale, &f.field)),
                None => message,
            },
        )
        .collect()
}
