//! The footer every page ends with.

use leptos::prelude::*;

use crate::{
    kit::ui::{use_actor, use_locale},
    tr,
};

#[component]
pub fn SiteFooter() -> impl IntoView {
    let locale = use_locale();
    view! {
        <footer class="site-footer">
            <p>{tr!(locale, "footer.rule")}</p>
            // A possible leak is reported at once, from any page.
            {use_actor()
                .is_some()
                .then(|| {
                    view! {
                        <p>
                            <a href="/leaks/new" class="leak-link" data-testid="report-leak">
                                {tr!(locale, "leak.report")}
                            </a>
                        </p>
                    }
                })}
        </footer>
    }
}
