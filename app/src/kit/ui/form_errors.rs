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
                            e.messages(locale).into_iter().map(|m| (None, m)).collect()
                        };
                        view! {
                            <ul>
                                {messages
                                    .into_iter()
                                    .map(|(at, m)| match at {
                                        Some(id) => {
                                            // A link to the field: without JavaScript too, one tap
                                            // takes the reader to what is to correct.
                                            view! {
                                                <li>
                                                    <a href=format!("#{id}")>{m}</a>
                                                </li>
                                            }
                                                .into_any()
                                        }
                                        None => view! { <li>{m}</li> }.into_any(),
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })
            }}
        </div>
    }
}

/// `error`'s messages, each of a record's field after that field's name, with the element
/// id of the field it is about.
fn named(locale: Locale, error: &AppError) -> Vec<(Option<String>, String)> {
    let plain = error.messages(locale);
    if error.fields.len() != plain.len() {
        return plain.into_iter().map(|m| (None, m)).collect();
    }
    error
        .fields
        .iter()
        .zip(plain)
        .map(|(f, message)| {
            match crate::domain::records::fields::of_path(&f.field) {
                Some(_) => (
                    Some(super::field_id(&f.field)),
                    format!("{}：{message}", super::field_label(locale, &f.field)),
                ),
                // "At least one guardian": the first family member's name.
                None if f.field == "guardians" => {
                    (Some(super::field_id("guardians.0.name")), message)
                }
                None => (None, message),
            }
        })
        .collect()
}
