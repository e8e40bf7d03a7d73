//! The UI kit: the parts of a page every feature uses (footer, language switch, error
//! messages, the not-found page) and the hydration flag every island renders.

pub mod confirm;
pub mod done;
pub mod footer;
pub mod form_errors;
pub mod language_switch;
pub mod not_found;
pub mod page_error;
pub mod pager;

use leptos::prelude::*;

/// True once the island that calls it has hydrated in the browser; false on the server.
/// Islands expose it as `data-hydrated`, which the browser tests wait for.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move || set_hydrated.set(true));
    hydrated
}

/// A `<textarea>`'s prefilled text. Leptos writes a textarea's children as they are (it is
/// a raw-text element to the renderer), so a stored `</textarea><h1>` would end the element
/// and become markup: on the server the text is escaped; in the browser, hydration keeps the
/// text node the server wrote and a client-side render sets it as text.
pub fn textarea_text(text: impl Into<String>) -> String {
    let text = text.into();
    #[cfg(feature = "ssr")]
    {
        html_escape::encode_text(&text).into_owned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        text
    }
}

/// The language of the page being rendered.
pub fn use_locale() -> crate::i18n::Locale {
    use_context::<crate::i18n::Locale>().unwrap_or_default()
}

/// The person signed in, on the server while a page renders (islands get what they need as
/// props instead).
pub fn use_actor() -> Option<crate::domain::Actor> {
    use_context::<Option<crate::domain::Actor>>().flatten()
}

/// A page's part that could not be loaded, said in words.
pub fn failure(locale: crate::i18n::Locale, e: crate::errors::AppError) -> AnyView {
    view! { <page_error::PageError locale error=e /> }.into_any()
}

/// A part of a page that a server function loads: `render`ed once its answer is there, or
/// the problem said in words (the `Suspense`/`Suspend`/error shape of every page).
pub fn loaded<T, V>(
    locale: crate::i18n::Locale,
    resource: OnceResource<Result<T, crate::errors::AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match resource.await {
                        Err(e) => failure(locale, e),
                        Ok(value) => render(value).into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The element id of a record's field in the student form (`guardians.0.phone` →
/// `f-guardians-0-phone`).
pub fn field_id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

/// A record's field by its path (`phone`, `guardians.1.phone`), as a reader says it: its
/// label, and the family member's number for a family member's field.
pub fn field_label(locale: crate::i18n::Locale, path: &str) -> String {
    let Some(meta) = crate::domain::records::fields::of_path(path) else {
        return path.to_owned();
    };
    let label = crate::tr!(locale, meta.label);
    match path
        .strip_prefix("guardians.")
        .and_then(|rest| rest.split_once('.'))
        .and_then(|(slot, _)| slot.parse::<usize>().ok())
    {
        Some(slot) => format!(
            "{} · {label}",
            crate::tr!(locale, "form.family_member", n = slot + 1)
        ),
        None => label,
    }
}
