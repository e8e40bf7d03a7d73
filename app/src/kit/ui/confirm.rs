//! A dangerous action's second step. The first press opens the question and the button that
//! acts; nothing is sent until that second press. A `<details>` element: it works the same
//! without JavaScript, and a keyboard or screen-reader user meets a plain disclosure.

use leptos::prelude::*;

#[component]
pub fn Confirm(
    /// What the first press says (the action's name).
    #[prop(into)]
    label: String,
    /// What happens if one goes on, said before the second press.
    #[prop(into)]
    question: String,
    /// The first press's name for assistive technology, where the visible label leans on
    /// what stands beside it.
    #[prop(optional, into)]
    aria_label: Option<String>,
    /// The form whose button acts.
    children: Children,
) -> impl IntoView {
    view! {
        <details class="confirm">
            <summary aria-label=aria_label>{label}</summary>
            <div class="confirm-body">
                <p>{question}</p>
                {children()}
            </div>
        </details>
    }
}
