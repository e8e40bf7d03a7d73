//! The text's body as the author types it: with JavaScript, the same scan the server runs
//! marks the numbers in it as they are typed (names are the server's to find, on saving);
//! without, it is a plain text area and saving shows what was found.

use leptos::prelude::*;

use crate::{
    domain::publication::{self, FindingKind, MAX_BODY_CHARS},
    i18n::Locale,
    kit::ui::use_hydrated,
    tr,
};

/// The words for a finding's kind.
pub fn kind_label(locale: Locale, kind: FindingKind) -> String {
    tr!(locale, &format!("publication.kind_{}", kind.code()))
}

#[island]
pub fn BodyEditor(locale: Locale, body: String) -> impl IntoView {
    let hydrated = use_hydrated();
    let (text, set_text) = signal(body.clone());
    let live = move || {
        if !hydrated.get() {
            return None;
        }
        let found = text.with(|t| publication::scan(t, &|_| false));
        if found.is_empty() {
            return Some(tr!(locale, "publication.live_none"));
        }
        let listed = found
            .iter()
            .map(|f| kind_label(locale, f.kind))
            .collect::<Vec<_>>()
            .join(&tr!(locale, "list.separator"));
        Some(tr!(
            locale,
            "publication.live_found",
            n = found.len(),
            kinds = listed
        ))
    };
    view! {
        <label for="publication-body">{tr!(locale, "publication.body")}</label>
        <textarea
            id="publication-body"
            name="publication[body]"
            rows="14"
            required
            maxlength=MAX_BODY_CHARS.to_string()
            aria-describedby="publication-body-live publication-body-error"
            data-hydrated=move || hydrated.get().to_string()
            on:input=move |ev| set_text.set(event_target_value(&ev))
        >
            {crate::kit::ui::textarea_text(body)}
        </textarea>
        <p
            class="hint"
            id="publication-body-live"
            role="status"
            aria-live="polite"
            data-testid="live-scan"
        >
            {live}
        </p>
    }
}
