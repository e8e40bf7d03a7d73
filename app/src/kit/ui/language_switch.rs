//! The language switch: a plain form that asks the server to remember the other language.
//! The server sets the cookie and sends the browser back to the page, now in that language;
//! no script is needed, so a page without an island ships none.

use leptos::prelude::*;

use crate::{i18n::Locale, tr};

#[component]
pub fn LanguageSwitch(current: Locale) -> impl IntoView {
    let target = current.other();
    view! {
        <form class="language-switch" method="post" action="/api/locale">
            <input type="hidden" name="locale" value=target.tag() />
            <button type="submit" lang=target.tag() aria-label=tr!(current, "nav.switch_language")>
                {target.native_name()}
            </button>
        </form>
    }
}
