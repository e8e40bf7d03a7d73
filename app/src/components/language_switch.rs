//! The language switch: a form that asks the server to remember the other language.

use leptos::prelude::*;

use crate::{components::use_hydrated, functions::locale::SetLocale, i18n::Locale, tr};

/// Without WebAssembly this is a plain form: the server sets the cookie and sends the
/// browser back to the page. With it, the switch posts in the background, shows that it is
/// working, and reloads the page in the new language once the server has agreed.
#[island]
pub fn LanguageSwitch(current: Locale) -> impl IntoView {
    let hydrated = use_hydrated();
    let set_locale = ServerAction::<SetLocale>::new();
    let target = current.other();

    Effect::new(move || {
        if let Some(Ok(_)) = set_locale.value().get() {
            #[cfg(feature = "hydrate")]
            let _ = window().location().reload();
        }
    });
    let failed = move || {
        set_locale
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.message(current))
    };

    view! {
        <ActionForm action=set_locale attr:class="language-switch" attr:data-hydrated=move || hydrated.get().to_string()>
            <input type="hidden" name="locale" value=target.tag() />
            <button
                type="submit"
                lang=target.tag()
                aria-label=tr!(current, "nav.switch_language")
                disabled=move || set_locale.pending().get()
            >
                {target.native_name()}
            </button>
            <span class="form-error" role="alert">{failed}</span>
        </ActionForm>
    }
}
