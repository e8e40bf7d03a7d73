//! The island around the student form: checks each field as the teacher leaves it, with
//! the very rules the server applies (`Record::parse`), refuses to send a form it knows the
//! server will refuse, and keeps a draft on the server as the teacher types. Without
//! WebAssembly the form is a plain post and the server does all of this itself.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    domain::records::{Record, RecordInput, field_of_name},
    kit::ui::use_hydrated,
};

/// How long typing must pause before the draft is saved.
const DRAFT_DELAY_MS: u64 = 1200;

/// What the island says, in the page's language. It comes with the island's props, so that
/// the translation tables stay out of the browser's bundle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormMessages {
    /// `(code, message)` for every problem the record's rules can find.
    pub problems: Vec<(String, String)>,
    /// For a code without a message of its own (none is expected).
    pub invalid: String,
    pub draft_saving: String,
    pub draft_saved: String,
    pub draft_failed: String,
    /// The session ended: what was typed waits for the next sign-in.
    pub signed_out: String,
    pub sign_in_again: String,
}

impl FormMessages {
    /// The messages of every code of [`crate::domain::records::PROBLEM_CODES`] in `locale`.
    pub fn new(locale: crate::i18n::Locale) -> FormMessages {
        use crate::tr;
        FormMessages {
            problems: crate::domain::records::PROBLEM_CODES
                .iter()
                .map(|code| ((*code).to_owned(), tr!(locale, &format!("error.{code}"))))
                .collect(),
            invalid: tr!(locale, "error.invalid_input"),
            draft_saving: tr!(locale, "form.draft_saving"),
            draft_saved: tr!(locale, "form.draft_saved"),
            draft_failed: tr!(locale, "form.draft_failed"),
            signed_out: tr!(locale, "form.signed_out"),
            sign_in_again: tr!(locale, "form.sign_in_again"),
        }
    }

    fn problem(&self, code: &str) -> String {
        self.problems
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| self.invalid.clone(), |(_, m)| m.clone())
    }
}

/// Where the draft stands, as the status line says it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Draft {
    Saving,
    Saved,
    Failed,
    SignedOut,
}

#[island]
pub fn FormAssist(
    messages: FormMessages,
    class_id: String,
    /// The draft an import left, when the form completes one.
    draft_id: String,
    student_id: String,
    /// The school's date when the form was rendered: the date rules need "today".
    today: String,
    /// Classified fields of a saved record: empty, they keep their stored value.
    kept: Vec<String>,
    children: Children,
) -> impl IntoView {
    let hydrated = use_hydrated();
    let root = NodeRef::<leptos::html::Div>::new();
    let touched = StoredValue::new(HashSet::<String>::new());
    let kept = StoredValue::new(kept.into_iter().collect::<HashSet<String>>());
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let messages = StoredValue::new(messages);
    let (draft_status, set_draft_status) = signal(None::<Draft>);
    // A draft still on its way must not land after the save it preceded (it would come back
    // as "an unsaved draft" over the saved record): a submit waits for it, then goes on with
    // the button that was pressed.
    let in_flight = StoredValue::new(false);
    // (Not `new_local`: the island renders on the server too, where its owner is dropped on
    // whichever thread finishes the response.)
    let waiting = StoredValue::new(
        None::<(
            leptos::web_sys::HtmlFormElement,
            Option<leptos::web_sys::HtmlElement>,
        )>,
    );
    let today = crate::domain::records::parse_date(&today).unwrap_or_default();

    // Reads every `record[...]` control of the form into the shared input type.
    let read = move || -> Option<RecordInput> {
        use leptos::wasm_bindgen::JsCast;
        use leptos::web_sys::{HtmlInputElement, HtmlSelectElement};
        let root = root.get_untracked()?;
        let mut input = RecordInput::default();
        for tag in ["input", "select"] {
            let list = root.get_elements_by_tag_name(tag);
            for i in 0..list.length() {
                let Some(element) = list.item(i) else {
                    continue;
                };
                let name = element.get_attribute("name").unwrap_or_default();
                let value = if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
                    match input.type_().as_str() {
                        "checkbox" if !input.checked() => String::new(),
                        _ => input.value(),
                    }
                } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
                    select.value()
                } else {
                    continue;
                };
                input.set(&name, value);
            }
        }
        Some(input)
    };

    // Shows the problems of the touched fields (of all fields when `all`) beside them;
    // returns the element id of the first field with a problem.
    let show = move |all: bool| -> Option<String> {
        let input = read()?;
        let problems = Record::parse(&input, None, today).err().unwrap_or_default();
        // Whether the teacher typed something into `field`.
        let typed = |field: &str| {
            let mut probe = input.clone();
            probe.set_field(field, String::new());
            probe != input
        };
        let visible: HashMap<String, String> = problems
            .into_iter()
            .filter(|p| !kept.with_value(|k| k.contains(&p.field)) || typed(&p.field))
            .filter(|p| all || touched.with_value(|t| t.contains(&p.field)))
            .map(|p| {
                (
                    crate::kit::ui::field_id(&p.field),
                    messages.with_value(|m| m.problem(&p.code)),
                )
            })
            .fold(HashMap::new(), |mut m, (id, text)| {
                m.entry(id).or_insert(text);
                m
            });
        let root = root.get_untracked()?;
        let slots = root.get_elements_by_class_name("field-error");
        let mut first = None;
        for i in 0..slots.length() {
            let Some(slot) = slots.item(i) else { continue };
            let id = slot.id();
            let control = id.strip_suffix("-error").unwrap_or(&id).to_owned();
            let message = visible.get(&control);
            slot.set_text_content(message.map(String::as_str));
            if let Some(element) = leptos::prelude::document().get_element_by_id(&control) {
                let _ = match message {
                    Some(_) => element.set_attribute("aria-invalid", "true"),
                    None => element.remove_attribute("aria-invalid"),
                };
            }
            if message.is_some() && first.is_none() {
                first = Some(control);
            }
        }
        first
    };

    let save_draft = move || {
        let Some(record) = read() else { return };
        let (class_id, draft_id, student_id) =
            (class_id.clone(), draft_id.clone(), student_id.clone());
        set_draft_status.set(Some(Draft::Saving));
        in_flight.set_value(true);
        leptos::task::spawn_local(async move {
            let result = crate::features::records::functions::save_student_draft(
                class_id, draft_id, student_id, record,
            )
            .await;
            in_flight.set_value(false);
            set_draft_status.set(Some(match result {
                Ok(()) => Draft::Saved,
                Err(e) if e.kind == crate::errors::ErrorKind::Unauthenticated => Draft::SignedOut,
                Err(_) => Draft::Failed,
            }));
            // The save (or save and submit) pressed meanwhile goes ahead now.
            if let Some((form, submitter)) = waiting.get_value() {
                waiting.set_value(None);
                let _ = form.request_submit_with_submitter(submitter.as_ref());
            }
        });
    };

    view! {
        <div
            node_ref=root
            class="form-assist"
            data-hydrated=move || hydrated.get().to_string()
            on:focusout=move |ev| {
                let name = leptos::wasm_bindgen::JsCast::dyn_into::<
                    leptos::web_sys::Element,
                >(event_target::<leptos::web_sys::EventTarget>(&ev))
                    .ok()
                    .and_then(|e| e.get_attribute("name"))
                    .and_then(|n| field_of_name(&n));
                if let Some(field) = name {
                    touched
                        .update_value(|t| {
                            t.insert(field);
                        });
                    show(false);
                }
            }
            on:input=move |_| {
                if let Some(handle) = timer.get_value() {
                    handle.clear();
                }
                let save_draft = save_draft.clone();
                let handle = set_timeout_with_handle(
                        save_draft,
                        std::time::Duration::from_millis(DRAFT_DELAY_MS),
                    )
                    .ok();
                timer.set_value(handle);
            }
            on:submit=move |ev| {
                let checking = ev.submitter().is_some_and(|b| b.has_attribute("data-check"));
                if checking {
                    if let Some(handle) = timer.get_value() {
                        handle.clear();
                    }
                } else if let Some(first) = show(true) {
                    ev.prevent_default();
                    if let Some(element) = leptos::prelude::document().get_element_by_id(&first) {
                        let _ = leptos::wasm_bindgen::JsCast::dyn_into::<
                            leptos::web_sys::HtmlElement,
                        >(element)
                            .map(|e| e.focus());
                    }
                } else {
                    if let Some(handle) = timer.get_value() {
                        handle.clear();
                    }
                    if in_flight.get_value() {
                        ev.prevent_default();
                        let form = leptos::wasm_bindgen::JsCast::dyn_into::<
                            leptos::web_sys::HtmlFormElement,
                        >(event_target::<leptos::web_sys::EventTarget>(&ev))
                            .ok();
                        waiting.set_value(form.map(|f| (f, ev.submitter())));
                    }
                }
            }
        >
            <p
                class="hint draft-status"
                class:draft-alert=move || {
                    matches!(draft_status.get(), Some(Draft::Failed | Draft::SignedOut))
                }
                aria-live="polite"
                data-testid="draft-status"
            >
                {move || {
                    draft_status
                        .get()
                        .map(|draft| {
                            messages
                                .with_value(|m| match draft {
                                    Draft::Saving => m.draft_saving.clone(),
                                    Draft::Saved => m.draft_saved.clone(),
                                    Draft::Failed => m.draft_failed.clone(),
                                    Draft::SignedOut => m.signed_out.clone(),
                                })
                        })
                }}
                // Signing in again in another tab keeps this page and what is on it; sign-in
                // leads that tab back to this form, with what was typed.
                {move || {
                    (draft_status.get() == Some(Draft::SignedOut))
                        .then(|| {
                            let here = leptos::prelude::window()
                                .location()
                                .pathname()
                                .unwrap_or_default();
                            view! {
                                " "
                                <a
                                    href=here
                                    target="_blank"
                                    rel="noopener"
                                    data-testid="sign-in-again"
                                >
                                    {messages.with_value(|m| m.sign_in_again.clone())}
                                </a>
                            }
                        })
                }}
            </p>
            {children()}
        </div>
    }
}
