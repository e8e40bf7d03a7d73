//! The footer every page ends with.

use leptos::prelude::*;

use crate::{kit::ui::use_locale, tr};

#[component]
pub fn SiteFooter() -> impl IntoView {
    let locale = use_locale();
    view! {
        <footer class="site-footer">
            <p>{tr!(locale, "footer.rule")}</p>
        </footer>
    }
}
