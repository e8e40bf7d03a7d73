//! The student form: the national first-collection indicators and up to four family
//! members. Rendered on the server and posted as a plain form; the `FormAssist` island
//! around it adds checks as the teacher types and keeps a draft as they go.
//!
//! Classified fields of a saved record are always empty here, with the masked value beside
//! them: left empty they keep what is stored, so a teacher never gets a value back in full.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::{
    domain::records::{
        GUARDIAN_SLOTS, GuardianInput, codes,
        fields::{self, Field, Kind, Section},
        form_name,
    },
    errors::FieldError,
    features::records::views::{RecordStatus, StudentFormView},
    features::records::{
        form_assist::{FormAssist, FormMessages},
        functions::SaveStudent,
    },
    i18n::Locale,
    tr,
};

/// What every field of one form needs to render itself.
#[derive(Clone)]
struct Fields {
    locale: Locale,
    errors: HashMap<String, String>,
    masked: HashMap<String, String>,
    saved: bool,
    /// Every choice offers "keep what is stored" (a 关键数据变更 names only what changes).
    keeping: bool,
}

/// The fields the record's rules refuse to leave empty: a student's that an empty form is
/// refused for (the phone's "format" as much as a name's "empty"), and a family member's
/// that a member typed in part is refused for (`guardians.<n>.<key>`: required of the first
/// member, since one guardian is; of another, once it is filled in). Marked on the form;
/// asked of the rules themselves, so the marks cannot drift from them.
fn required(field: &str) -> bool {
    use crate::domain::records::{Record, RecordInput};
    fn refused(input: &RecordInput) -> Vec<String> {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).expect("a date");
        match Record::parse(input, None, today) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.field).collect(),
        }
    }
    static STUDENT: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        refused(&RecordInput::default())
            .into_iter()
            .filter(|f| !f.starts_with("guardians"))
            .collect()
    });
    static MEMBER: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        let input = RecordInput {
            guardians: vec![GuardianInput {
                is_guardian: "1".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        refused(&input)
            .into_iter()
            .filter_map(|f| f.strip_prefix("guardians.0.").map(str::to_owned))
            .collect()
    });
    match field
        .strip_prefix("guardians.")
        .and_then(|rest| rest.split_once('.'))
    {
        Some((_, key)) => MEMBER.iter().any(|f| f == key),
        None => STUDENT.iter().any(|f| f == field),
    }
}

impl Fields {
    /// The element id of a field (`guardians.0.phone` → `f-guardians-0-phone`).
    fn id(field: &str) -> String {
        crate::kit::ui::field_id(field)
    }

    fn label_key(field: &str) -> String {
        format!("field.{}", field.rsplit('.').next().unwrap_or(field))
    }

    /// The label, the control, the masked value of a saved classified field, and the
    /// field's problem (never its value).
    fn wrap(&self, field: &str, control: AnyView) -> AnyView {
        let locale = self.locale;
        let id = Self::id(field);
        let error = self
            .errors
            .get(field)
            .map(|code| tr!(locale, &format!("error.{code}")));
        let kept = self.masked.get(field).filter(|m| !m.is_empty()).cloned();
        let invalid = error.is_some();
        let required = self.is_required(field);
        view! {
            <div class="field" class:invalid=invalid>
                // The star stands beside the label, not in it: the field's name stays its
                // name; a screen reader hears "required" from the control's aria-required.
                <div class="label-line">
                    <label for=id.clone()>{tr!(locale, &Self::label_key(field))}</label>
                    {required
                        .then(|| {
                            view! {
                                <span class="required" aria-hidden="true">
                                    "*"
                                </span>
                            }
                        })}
                </div>
                {control}
                {kept
                    .map(|m| {
                        view! {
                            <p class="hint kept" id=format!("{id}-kept")>
                                {tr!(locale, "form.kept", value = m)}
                            </p>
                        }
                    })}
                <p class="field-error" id=format!("{id}-error") aria-live="polite">
                    {error}
                </p>
            </div>
        }
        .into_any()
    }

    /// Required, unless a saved value stands in for an empty one (a family member's field
    /// is marked in every member, but required outright of the first only).
    fn is_required(&self, field: &str) -> bool {
        required(field) && self.masked.get(field).is_none_or(|m| m.is_empty())
    }

    /// Whether the control says it is required: a further family member's fields are only
    /// once that member is filled in.
    fn aria_required(&self, field: &str) -> bool {
        self.is_required(field)
            && field
                .strip_prefix("guardians.")
                .is_none_or(|rest| rest.starts_with("0."))
    }

    fn described_by(&self, field: &str) -> String {
        let id = Self::id(field);
        if self.masked.get(field).is_some_and(|m| !m.is_empty()) {
            format!("{id}-error {id}-kept")
        } else {
            format!("{id}-error")
        }
    }

    fn text(&self, field: &str, value: &str, kind: &'static str, extra: TextExtra) -> AnyView {
        let invalid = self.errors.contains_key(field);
        let classified = self.masked.contains_key(field) || extra.classified;
        let control = view! {
            <input
                id=Self::id(field)
                name=form_name(field)
                type=kind
                value=value.to_owned()
                maxlength=extra.maxlength
                inputmode=extra.inputmode
                list=extra.list
                autocomplete=if classified { "off" } else { "on" }
                spellcheck="false"
                aria-invalid=invalid.then_some("true")
                aria-required=self.aria_required(field).then_some("true")
                aria-describedby=self.described_by(field)
                data-classified=classified.then_some("1")
            />
        }
        .into_any();
        self.wrap(field, control)
    }

    fn select(
        &self,
        field: &str,
        value: &str,
        options: Vec<(String, String)>,
        keep: bool,
    ) -> AnyView {
        let locale = self.locale;
        let invalid = self.errors.contains_key(field);
        let value = value.to_owned();
        let control = view! {
            <select
                id=Self::id(field)
                name=form_name(field)
                aria-invalid=invalid.then_some("true")
                aria-required=self.aria_required(field).then_some("true")
                aria-describedby=self.described_by(field)
            >
                {(keep || value.is_empty())
                    .then(|| {
                        let key = match (keep, self.keeping) {
                            (true, true) => "form.keep_plain",
                            (true, false) => "form.keep",
                            (false, _) => "form.choose",
                        };
                        view! {
                            <option value="" selected=value.is_empty()>
                                {tr!(locale, key)}
                            </option>
                        }
                    })}
                {options
                    .into_iter()
                    .map(|(code, label)| {
                        let selected = code == value;
                        view! {
                            <option value=code selected=selected>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
        .into_any();
        self.wrap(field, control)
    }

    fn coded(&self, list: &[codes::Code]) -> Vec<(String, String)> {
        list.iter()
            .map(|c| (c.code.to_owned(), tr!(self.locale, c.label)))
            .collect()
    }

    fn yes_no(&self) -> Vec<(String, String)> {
        vec![
            ("0".into(), tr!(self.locale, "common.no")),
            ("1".into(), tr!(self.locale, "common.yes")),
        ]
    }

    /// A region: its code or its name typed (the server finds the code), with the region
    /// the field holds now beside it: the one a name will be saved as, or the places a name
    /// may mean to choose from (offered as the field's suggestions, no script needed).
    fn region(&self, field: &str, value: &str) -> AnyView {
        let locale = self.locale;
        let id = Self::id(field);
        let places = places_of(value);
        let list_id = format!("{id}-places");
        let (hint, choices) = match places {
            Places::Code(name) => (tr!(locale, "form.region_is", name = name), Vec::new()),
            Places::One(name, code) => (
                tr!(locale, "form.region_will_be", name = name, code = code),
                Vec::new(),
            ),
            Places::Several(names) => (tr!(locale, "form.region_choose", n = names.len()), names),
            Places::None => (tr!(locale, "form.region_none"), Vec::new()),
            Places::Nothing => (tr!(locale, "form.region_hint"), Vec::new()),
        };
        let several = !choices.is_empty();
        let control = view! {
            <input
                id=id.clone()
                name=form_name(field)
                type="text"
                value=value.to_owned()
                maxlength="40"
                autocomplete="off"
                list=several.then(|| list_id.clone())
                aria-invalid=self.errors.contains_key(field).then_some("true")
                aria-required=self.aria_required(field).then_some("true")
                aria-describedby=format!("{} {id}-name", self.described_by(field))
            />
            <p class="hint region-name" class:region-choose=several id=format!("{id}-name")>
                {hint}
            </p>
            {several
                .then(|| {
                    view! {
                        <ul class="region-choices" data-testid=format!("{id}-choices")>
                            {choices
                                .iter()
                                .map(|name| view! { <li>{name.clone()}</li> })
                                .collect_view()}
                        </ul>
                        <datalist id=list_id
                            .clone()>
                            {choices
                                .into_iter()
                                .map(|name| view! { <option value=name></option> })
                                .collect_view()}
                        </datalist>
                    }
                })}
        }
        .into_any();
        self.wrap(field, control)
    }
}

impl Fields {
    /// The control of catalogue field `f` at `path` (`phone`, `guardians.1.phone`), holding
    /// `value`: the kind decides which.
    fn control<I, V, D>(&self, path: &str, f: &Field<I, V, D>, value: &str) -> AnyView {
        let classified = f.meta.is_classified();
        let text = |inputmode: &'static str| TextExtra {
            maxlength: f.max_chars,
            inputmode,
            list: None,
            classified,
        };
        // A classified choice of a saved record offers "keep what is stored".
        let keep = (self.saved && classified) || self.keeping;
        match f.meta.kind {
            Kind::Name
            | Kind::Text
            | Kind::Address
            | Kind::DocumentNumber
            | Kind::StudentNumber => self.text(path, value, "text", text("text")),
            Kind::Phone => self.text(path, value, "tel", text("tel")),
            Kind::PostalCode => self.text(path, value, "text", text("numeric")),
            Kind::Distance => self.text(path, value, "text", text("decimal")),
            Kind::Date => self.text(path, value, "date", text("text")),
            Kind::Month => self.text(path, value, "month", text("text")),
            Kind::Region => self.region(path, value),
            Kind::Choice(list) => self.select(path, value, self.coded(list), keep),
            Kind::Ethnicity => {
                let names = codes::ethnicities()
                    .iter()
                    .map(|e| {
                        let name = if self.locale == Locale::En {
                            e.romanization
                        } else {
                            e.name
                        };
                        (e.code.to_owned(), name.to_owned())
                    })
                    .collect();
                self.select(path, value, names, keep)
            }
            Kind::Flag if f.meta.party == fields::Party::FamilyMember => view! {
                <label class="check">
                    <input type="checkbox" name=form_name(path) value="1" checked=value == "1" />
                    {tr!(self.locale, f.meta.label)}
                </label>
            }
            .into_any(),
            Kind::Flag => {
                let value = if value.is_empty() && !keep {
                    "0"
                } else {
                    value
                };
                self.select(path, value, self.yes_no(), keep)
            }
        }
    }
}

#[derive(Clone, Copy)]
struct TextExtra {
    maxlength: usize,
    inputmode: &'static str,
    list: Option<&'static str>,
    classified: bool,
}

fn guardian_slot(f: &Fields, i: usize, g: GuardianInput, saved_slot: bool) -> impl IntoView {
    let locale = f.locale;
    let key = |name: &str| format!("guardians.{i}.{name}");
    view! {
        <fieldset class="guardian">
            <legend>{tr!(locale, "form.family_member", n = i + 1)}</legend>
            <p class="hint">
                {tr!(locale, if i == 0 { "form.member_first" } else { "form.member_more" })}
            </p>
            {fields::FAMILY
                .iter()
                .map(|field| f.control(&key(field.meta.key), field, (field.typed)(&g)))
                .collect_view()}
            {saved_slot
                .then(|| {
                    view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                name=form_name(&key("remove"))
                                value="1"
                                checked=g.remove == "1"
                            />
                            {tr!(locale, "form.remove_member")}
                        </label>
                    }
                })}
        </fieldset>
    }
}

/// How many family-member slots stand open: two (a guardian and usually a second), and every
/// slot up to the last one holding something (typed, saved or refused).
fn open_slots(
    guardians: &[GuardianInput],
    saved_slots: usize,
    errors: &HashMap<String, String>,
) -> usize {
    let used = guardians.iter().enumerate().filter(|(i, g)| {
        let prefix = format!("guardians.{i}.");
        !g.is_blank() || *i < saved_slots || errors.keys().any(|k| k.starts_with(&prefix))
    });
    used.map(|(i, _)| i + 1).max().unwrap_or(0).max(OPEN_SLOTS)
}

/// Where the form posts to check its places: its draft.
const CHECK_PLACES: &str =
    <crate::features::records::functions::SaveStudentDraft as server_fn::ServerFn>::PATH;

/// The family-member slots a new record opens with.
const OPEN_SLOTS: usize = 2;

/// The whole form of `view`, posting to `SaveStudent`.
#[component]
pub fn StudentForm(locale: Locale, view: StudentFormView) -> impl IntoView {
    let save = ServerAction::<SaveStudent>::new();
    let saved = view.student_id.is_some();
    // A new record, a draft or a returned one can be saved and handed in with one button:
    // what is on the screen is what gets submitted.
    let submittable = matches!(
        view.status,
        None | Some(RecordStatus::Draft | RecordStatus::Returned)
    );
    let saved_slots = view
        .masked
        .iter()
        .filter(|(k, _)| k.ends_with(".phone"))
        .count();
    let kept_fields: Vec<String> = view
        .masked
        .iter()
        .filter(|(_, m)| !m.is_empty())
        .map(|(k, _)| k.clone())
        .collect();
    let f = Fields {
        locale,
        errors: view
            .errors
            .iter()
            .map(|FieldError { field, code }| (field.clone(), code.clone()))
            .collect(),
        masked: view.masked.iter().cloned().collect(),
        saved,
        keeping: false,
    };
    let s = view.input.student.clone();
    let keep = f.saved;
    let general_error = f
        .errors
        .get("guardians")
        .map(|code| tr!(locale, &format!("error.{code}")));
    let mut guardians = view.input.guardians.clone();
    guardians.resize(
        GUARDIAN_SLOTS.max(guardians.len()),
        GuardianInput::default(),
    );
    let open_slots = open_slots(&guardians, saved_slots, &f.errors);
    let class_id = view.class.id.clone();
    let student_id = view.student_id.clone().unwrap_or_default();
    let draft_id = view.draft_id.clone().unwrap_or_default();
    let inner = view! {
        <input type="hidden" name="class_id" value=class_id.clone() />
        <input type="hidden" name="draft_id" value=draft_id.clone() />
        <input type="hidden" name="student_id" value=student_id.clone() />
        <p class="hint">{tr!(locale, "form.required_hint")}</p>
        <fieldset>
            <legend>{tr!(locale, "form.student")}</legend>
            {fields::STUDENT
                .iter()
                .filter(|field| !in_classified_part(field.meta.section))
                .map(|field| f.control(field.meta.key, field, (field.typed)(&s)))
                .collect_view()}
        </fieldset>
        <fieldset>
            <legend>{tr!(locale, "form.classified")}</legend>
            <p class="hint">
                {tr!(
                    locale, if keep { "form.classified_hint_saved" } else { "form.classified_hint" }
                )}
            </p>
            {fields::STUDENT
                .iter()
                .filter(|field| in_classified_part(field.meta.section))
                .map(|field| f.control(field.meta.key, field, (field.typed)(&s)))
                .collect_view()}
        </fieldset>
        <h2>{tr!(locale, "form.family")}</h2>
        <p class="hint">{tr!(locale, "form.family_hint")}</p>
        <p class="field-error" id="f-guardians-error" aria-live="polite">
            {general_error}
        </p>
        {guardians
            .into_iter()
            .enumerate()
            .map(|(i, g)| {
                let slot = guardian_slot(&f, i, g, i < saved_slots);
                if i < open_slots {
                    slot.into_any()
                } else {
                    // A further member is added when needed: closed, the slot still posts
                    // (empty, so no member), and opening it needs no script.
                    view! {
                        <details class="guardian-more">
                            <summary>{tr!(locale, "form.add_member", n = i + 1)}</summary>
                            {slot}
                        </details>
                    }
                        .into_any()
                }
            })
            .collect_view()}
        <div class="form-actions">
            // The form's first button is what Enter presses: saving.
            <button type="submit">{tr!(locale, "form.save")}</button>
            {submittable
                .then(|| {
                    view! {
                        <button type="submit" name="then_submit" value="1" class="secondary">
                            {tr!(locale, "form.save_and_submit")}
                        </button>
                    }
                })}
            // Keeps what is typed as the draft and shows the form again with each
            // place as it will be saved (or the places a name may mean): no script needed.
            <button
                type="submit"
                class="secondary"
                formaction=CHECK_PLACES
                formnovalidate="formnovalidate"
                data-check="places"
            >
                {tr!(locale, "form.check_places")}
            </button>
        </div>
    }
    .into_any();
    view! {
        <FormAssist
            messages=FormMessages::new(locale)
            class_id
            draft_id
            student_id
            today=view.today.clone()
            kept=kept_fields
        >
            <ActionForm action=save attr:class="form student-form" attr:novalidate="novalidate">
                {inner}
            </ActionForm>
        </FormAssist>
    }
}

/// Whether a section's fields stand in the form's second part, the classified one (contact,
/// health and special situations); identity numbers, though classified, stand with the
/// identity they belong to.
fn in_classified_part(section: Section) -> bool {
    matches!(section, Section::Contact | Section::Special)
}

/// What a region field's value stands for.
enum Places {
    /// A region's code: its name.
    Code(String),
    /// A name of exactly one region: its name and code, as it will be saved.
    One(String, String),
    /// A name of several: their full names, each of which names one.
    Several(Vec<String>),
    /// A name of none.
    None,
    /// Nothing typed.
    Nothing,
}

fn places_of(value: &str) -> Places {
    let value = value.trim();
    if value.is_empty() {
        return Places::Nothing;
    }
    if let Some(region) = codes::region(value) {
        return Places::Code(region.name());
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return Places::None;
    }
    match codes::regions_named(value).as_slice() {
        [] => Places::None,
        [one] => Places::One(one.name(), one.code.to_owned()),
        several if several.len() > codes::MAX_NAMED => Places::None,
        several => Places::Several(several.iter().map(|r| r.name()).collect()),
    }
}

/// The key fields (受控字段, `KEY_FIELDS`) of a verified record, for a 关键数据变更: each
/// empty, which keeps its value, with what it holds now beside it (`now`: as the review
/// shows it, a classified value masked); `typed` and `errors` as a refused application left
/// them.
pub fn key_data_controls(
    locale: Locale,
    now: HashMap<String, String>,
    typed: &crate::domain::records::StudentInput,
    errors: &[FieldError],
) -> AnyView {
    let f = Fields {
        locale,
        errors: errors
            .iter()
            .map(|FieldError { field, code }| (field.clone(), code.clone()))
            .collect(),
        masked: now,
        saved: true,
        keeping: true,
    };
    fields::STUDENT
        .iter()
        .filter(|field| crate::domain::records::KEY_FIELDS.contains(&field.meta.key))
        .map(|field| f.control(field.meta.key, field, (field.typed)(typed)))
        .collect_view()
        .into_any()
}
