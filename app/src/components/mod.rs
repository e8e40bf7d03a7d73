//! Pieces of pages that more than one page uses.

mod footer;
mod form_assist;
mod form_errors;
mod import_commit;
mod language_switch;
mod page_error;
mod password_fields;
mod status_panel;
mod student_form;

pub use footer::SiteFooter;
pub use form_assist::FormAssist;
pub use form_errors::FormErrors;
pub use import_commit::ImportCommit;
pub use language_switch::LanguageSwitch;
pub use page_error::PageError;
pub use password_fields::NewPasswordFields;
pub use status_panel::StatusPanel;
pub use student_form::StudentForm;

use leptos::prelude::*;

/// True once the island that calls it has hydrated in the browser; false on the server.
/// Islands expose it as `data-hydrated`, which the browser tests wait for.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move || set_hydrated.set(true));
    hydrated
}
