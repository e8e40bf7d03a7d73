//! The UI kit: the parts of a page every feature uses (footer, language switch, error
//! messages, the not-found page) and the hydration flag every island renders.

pub mod footer;
pub mod form_errors;
pub mod language_switch;
pub mod not_found;
pub mod page_error;

use leptos::prelude::*;

/// True once the island that calls it has hydrated in the browser; false on the server.
/// Islands expose it as `data-hydrated`, which the browser tests wait for.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move || set_hydrated.set(true));
    hydrated
}
