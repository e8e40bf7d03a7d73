//! The island around the student form: checks each field as the teacher leaves it, with
//! the very rules the server applies (`Record::parse`), refuses to send a form it knows the
//! server will refuse, and keeps a draft on the server as the teacher types. Without
//! WebAssembly the form is a plain post and the server does all of this itself.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;

use crate::{
    domain::records::{Record, RecordInput, field_of_name},
    i18n::Locale,
    kit::ui::use_hydrated,
    tr,
};

/// How long typing must pause before the draft is saved.
const DRAFT_DELAY_MS: u64 = 1200;

#[island]
pub fn FormAssist(
    locale: Locale,
    class_id: String,
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
    let (draft_status, set_draft_status) = signal(None::<&'static str>);
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
    let today = chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap_or_default();

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
                    format!("f-{}", p.field.replace('.', "-")),
                    tr!(locale, &format!("error.{}", p.code)),
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
        let (class_id, student_id) = (class_id.clone(), student_id.clone());
        set_draft_status.set(Some("form.draft_saving"));
        in_flight.set_value(true);
        leptos::task::spawn_local(async move {
            let result = crate::features::records::functions::save_student_draft(
                class_id, student_id, record,
            )
            .await;
            in_flight.set_value(false);
            set_draft_status.set(Some(if result.is_ok() {
                "form.draft_saved"
            } else {
                "form.draft_failed"
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
                let name = leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::Element>(
                    event_target::<leptos::web_sys::EventTarget>(&ev),
                )
                .ok()
                .and_then(|e| e.get_attribute("name"))
                .and_then(|n| field_of_name(&n));
                if let Some(field) = name {
                    touched.update_value(|t| {
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
                if let Some(first) = show(true) {
                    ev.prevent_default();
                    if let Some(element) = leptos::prelude::document().get_element_by_id(&first) {
                        let _ = leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlElement>(element)
                            .map(|e| e.focus());
                    }
                } else {
                    if let Some(handle) = timer.get_value() {
                        handle.clear();
                    }
                    if in_flight.get_value() {
                        ev.prevent_default();
                        let form = leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlFormElement>(
                            event_target::<leptos::web_sys::EventTarget>(&ev),
                        )
                        .ok();
                        waiting.set_value(form.map(|f| (f, ev.submitter())));
                    }
                }
            }
        >
            <p class="hint draft-status" aria-live="polite" data-testid="draft-status">
                {move || draft_status.get().map(|key| tr!(locale, key))}
            </p>
            {children()}
        </div>
    }
}
