//! The information requests' pages: one's requests and what waits for one, the filing form
//! with its student picker, one request (decide, fulfil, withdraw, close, revoke), the
//! release itself, and the disclosure register. Every form is a plain post that works
//! without JavaScript.

use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    domain::requests::{DEFAULT_WINDOW_HOURS, MAX_WINDOW_HOURS, Purpose, State},
    features::{
        requests::{
            functions::{
                CloseRelease, ConfirmStudent, DecideRequest, FileRequest, FulfilRequest,
                PickStudents, RevokeRelease, WithdrawRequest, filing_form, open_release,
                register_page, request_page, requests_home, student_register,
            },
            views::{
                FieldChoice, RegisterView, ReleasePage as ReleaseData, RequestSummary, RequestView,
            },
        },
        structure::views::ClassRef,
    },
    i18n::Locale,
    kit::{
        forms::FieldProblem,
        ui::{failure, form_errors::FormErrors, loaded, use_locale},
        workflow::ui::home_page,
    },
    tr,
};

fn param(name: &'static str) -> String {
    use_params_map().with_untracked(|p| p.get(name).unwrap_or_default())
}

fn query(name: &'static str) -> String {
    use_query_map().with_untracked(|q| q.get(name).unwrap_or_default())
}

/// A student's class in words; nothing for a class no longer there.
fn label_of(locale: Locale, class: &Option<ClassRef>) -> String {
    class.as_ref().map(|c| c.label(locale)).unwrap_or_default()
}

fn state_badge(locale: Locale, state: State) -> impl IntoView {
    view! {
        <span class=format!(
            "status request-{}",
            state.code(),
        )>{tr!(locale, state.label_key())}</span>
    }
}

fn request_table(locale: Locale, rows: Vec<RequestSummary>, testid: &'static str) -> AnyView {
    if rows.is_empty() {
        return view! { <p data-testid=testid>{tr!(locale, "requests.none")}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="accounts stack" data-testid=testid>
                <thead>
                    <tr>
                        <th scope="col">{tr!(locale, "requests.purpose")}</th>
                        <th scope="col">{tr!(locale, "requests.requester")}</th>
                        <th scope="col">{tr!(locale, "requests.filed_at")}</th>
                        <th scope="col">{tr!(locale, "requests.scope")}</th>
                        <th scope="col">{tr!(locale, "requests.state")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr data-request=r.id.clone()>
                                    <td data-label=tr!(locale, "requests.purpose")>
                                        <a href=format!(
                                            "/requests/{}",
                                            r.id,
                                        )>{tr!(locale, r.purpose.label_key())}</a>
                                        {r
                                            .top_secret
                                            .then(|| {
                                                view! {
                                                    " "
                                                    <span class="status top-secret">
                                                        {tr!(locale, "requests.top_secret_flag")}
                                                    </span>
                                                }
                                            })}
                                        {r
                                            .changed
                                            .then(|| {
                                                view! {
                                                    " "
                                                    <span class="status changed">
                                                        {tr!(locale, "requests.changed")}
                                                    </span>
                                                }
                                            })}
                                    </td>
                                    <td data-label=tr!(
                                        locale, "requests.requester"
                                    )>{r.requester}</td>
                                    <td data-label=tr!(
                                        locale, "requests.filed_at"
                                    )>{r.filed_at}</td>
                                    <td data-label=tr!(
                                        locale, "requests.scope"
                                    )>
                                        {tr!(
                                            locale, "requests.scope_counts", students = r.students, fields = r.fields
                                        )}
                                    </td>
                                    <td data-label=tr!(
                                        locale, "requests.state"
                                    )>{state_badge(locale, r.state)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn RequestsPage() -> impl IntoView {
    let locale = use_locale();
    let home = OnceResource::new(requests_home());
    home_page(
        locale,
        ("requests.title", "requests-title"),
        "requests.rule",
        Some(("/requests/new", "requests.new")),
        home,
        move |home| {
            view! {
                {home
                    .awaiting_decision
                    .map(|rows| {
                        view! {
                            <h2>{tr!(locale, "requests.awaiting_decision")}</h2>
                            {request_table(locale, rows, "awaiting-decision")}
                        }
                    })}
                {home
                    .awaiting_release
                    .map(|rows| {
                        view! {
                            <h2>{tr!(locale, "requests.awaiting_release")}</h2>
                            {request_table(locale, rows, "awaiting-release")}
                        }
                    })}
                <h2>{tr!(locale, "requests.mine")}</h2>
                {request_table(locale, home.filed, "my-requests")}
                {home
                    .register
                    .then(|| {
                        view! {
                            <p>
                                <a href="/disclosures">{tr!(locale, "register.title")}</a>
                            </p>
                        }
                    })}
            }
        },
    )
}

fn field_boxes(
    locale: Locale,
    name: &'static str,
    fields: Vec<(FieldChoice, bool)>,
) -> impl IntoView {
    let mut sections: Vec<(String, Vec<(FieldChoice, bool)>)> = Vec::new();
    for (f, checked) in fields {
        let section = if f.family {
            "section.family".to_owned()
        } else {
            f.section.clone()
        };
        match sections.iter_mut().find(|(s, _)| *s == section) {
            Some((_, list)) => list.push((f, checked)),
            None => sections.push((section, vec![(f, checked)])),
        }
    }
    sections
        .into_iter()
        .map(|(section, list)| {
            view! {
                <fieldset class="field-group">
                    <legend>{tr!(locale, &section)}</legend>
                    {list
                        .into_iter()
                        .map(|(f, checked)| {
                            let id = format!("{name}-{}", f.key.replace('.', "-"));
                            let for_id = id.clone();
                            view! {
                                <label class="check" for=for_id>
                                    <input
                                        type="checkbox"
                                        id=id
                                        name=format!("{name}[]")
                                        value=f.key.clone()
                                        checked=checked
                                    />
                                    {tr!(locale, &f.label)}
                                    {f
                                        .classified
                                        .then(|| {
                                            view! {
                                                " "
                                                <span class="classified">
                                                    {tr!(locale, "requests.classified")}
                                                </span>
                                            }
                                        })}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
            }
        })
        .collect_view()
}

/// Where the picker's buttons post the one form of the new-request page.
const CONFIRM_PATH: &str = <ConfirmStudent as server_fn::ServerFn>::PATH;
const PICK_PATH: &str = <PickStudents as server_fn::ServerFn>::PATH;

#[component]
pub fn NewRequestPage() -> impl IntoView {
    let locale = use_locale();
    let form = OnceResource::new(filing_form());
    let confirm = ServerAction::<ConfirmStudent>::new();
    let pick = ServerAction::<PickStudents>::new();
    let file = ServerAction::<FileRequest>::new();
    let confirm_error = Signal::derive(move || confirm.value().get().and_then(Result::err));
    let pick_error = Signal::derive(move || pick.value().get().and_then(Result::err));
    let file_error = Signal::derive(move || file.value().get().and_then(Result::err));
    let typed: crate::features::requests::views::PickKept =
        crate::kit::forms::kept::<ConfirmStudent, _>();
    let invalid = move |field: &'static str| {
        move || {
            confirm_error
                .get()
                .is_some_and(|e| e.fields.iter().any(|f| f.field == field))
                .then_some("true")
        }
    };
    view! {
        <section class="card" aria-labelledby="new-request-title">
            <h1 id="new-request-title">{tr!(locale, "requests.new")}</h1>
            <p class="hint">{tr!(locale, "requests.new_hint")}</p>
            <Suspense>
                {move || {
                    let typed = typed.clone();
                    Suspend::new(async move {
                        match form.await {
                            Err(e) => failure(locale, e),
                            Ok(view) => {
                                let picked = view.picked.clone();
                                let picked_classes = view.picked_classes.clone();
                                let picked_count = picked.len()
                                    + picked_classes.iter().map(|c| c.2).sum::<usize>();
                                let pick_classes = view.classes.clone();
                                view! {
                                    <h2 id="pick">{tr!(locale, "requests.pick_title")}</h2>
                                    <p class="hint" id="pick-hint">
                                        {tr!(locale, "requests.pick_hint")}
                                    </p>
                                    // One form holds the picker and the filing: picking a student posts
                                    // what is typed below too, so it comes back as it was (with and without
                                    // JavaScript). The picker's buttons go to its own functions.
                                    <div class="form" data-testid="pick-form">
                                        <label for="pick-name">
                                            {tr!(locale, "requests.pick_name")}
                                        </label>
                                        <input
                                            id="pick-name"
                                            name="name"
                                            form="filing-form"
                                            maxlength="30"
                                            autocomplete="off"
                                            value=typed.name.clone()
                                            aria-describedby="pick-hint pick-name-error"
                                            aria-invalid=invalid("name")
                                        />
                                        <FieldProblem
                                            locale
                                            error=confirm_error
                                            field="name"
                                            id="pick-name"
                                        />
                                        <label for="pick-in-class">
                                            {tr!(locale, "requests.pick_class")}
                                        </label>
                                        <select
                                            id="pick-in-class"
                                            name="class_id"
                                            form="filing-form"
                                            aria-describedby="pick-in-class-error"
                                            aria-invalid=invalid("class_id")
                                        >
                                            <option value="">
                                                {tr!(locale, "requests.pick_by_number")}
                                            </option>
                                            {pick_classes
                                                .into_iter()
                                                .map(|(id, class)| {
                                                    let selected = id == typed.class_id;
                                                    view! {
                                                        <option value=id selected=selected>
                                                            {class.label(locale)}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                        <FieldProblem
                                            locale
                                            error=confirm_error
                                            field="class_id"
                                            id="pick-in-class"
                                        />
                                        <label for="pick-number">
                                            {tr!(locale, "requests.pick_number")}
                                        </label>
                                        <input
                                            id="pick-number"
                                            name="number"
                                            form="filing-form"
                                            maxlength="40"
                                            autocomplete="off"
                                            aria-describedby="pick-number-error"
                                            aria-invalid=invalid("number")
                                        />
                                        <FieldProblem
                                            locale
                                            error=confirm_error
                                            field="number"
                                            id="pick-number"
                                        />
                                        <button
                                            type="submit"
                                            form="filing-form"
                                            formaction=CONFIRM_PATH
                                            formnovalidate="formnovalidate"
                                        >
                                            {tr!(locale, "requests.pick_confirm")}
                                        </button>
                                    </div>
                                    <div class="form inline-form">
                                        <label for="pick-class">
                                            {tr!(locale, "requests.whole_class")}
                                        </label>
                                        <select
                                            id="pick-class"
                                            name="whole_class"
                                            form="filing-form"
                                        >
                                            {view
                                                .classes
                                                .clone()
                                                .into_iter()
                                                .map(|(id, class)| {
                                                    view! { <option value=id>{class.label(locale)}</option> }
                                                })
                                                .collect_view()}
                                        </select>
                                        <button
                                            type="submit"
                                            form="filing-form"
                                            formaction=PICK_PATH
                                            formnovalidate="formnovalidate"
                                            class="secondary"
                                        >
                                            {tr!(locale, "requests.add_class")}
                                        </button>
                                    </div>
                                    <FormErrors locale error=pick_error />
                                    <h2 id="picked">
                                        {tr!(
                                            locale, "requests.picked", n = picked_count, max = view.max_students
                                        )}
                                    </h2>
                                    {if picked.is_empty() && picked_classes.is_empty() {
                                        view! {
                                            <p data-testid="picked-none">
                                                {tr!(locale, "requests.picked_none")}
                                            </p>
                                        }
                                            .into_any()
                                    } else {
                                        view! {
                                            <ul class="picked" data-testid="picked">
                                                {picked_classes
                                                    .into_iter()
                                                    .map(|(entry, class, size)| {
                                                        let label = class.label(locale);
                                                        let named = tr!(
                                                            locale, "requests.remove_named", name = label.clone()
                                                        );
                                                        view! {
                                                            <li data-testid="picked-class">
                                                                {label} " · " {tr!(locale, "register.students", n = size)}
                                                                " "
                                                                <button
                                                                    type="submit"
                                                                    form="filing-form"
                                                                    formaction=PICK_PATH
                                                                    formnovalidate="formnovalidate"
                                                                    name="remove"
                                                                    value=entry
                                                                    class="secondary small"
                                                                    aria-label=named
                                                                >
                                                                    {tr!(locale, "requests.remove")}
                                                                </button>
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                                {picked
                                                    .into_iter()
                                                    .map(|p| {
                                                        let named = tr!(
                                                            locale, "requests.remove_named", name = p.name.clone()
                                                        );
                                                        view! {
                                                            <li data-testid="picked-student">
                                                                {p.name} " · "
                                                                {match &p.class {
                                                                    None => tr!(locale, "requests.picked_by_number"),
                                                                    Some(class) => class.label(locale),
                                                                }} " "
                                                                <button
                                                                    type="submit"
                                                                    form="filing-form"
                                                                    formaction=PICK_PATH
                                                                    formnovalidate="formnovalidate"
                                                                    name="remove"
                                                                    value=p.id.clone()
                                                                    class="secondary small"
                                                                    aria-label=named
                                                                >
                                                                    {tr!(locale, "requests.remove")}
                                                                </button>
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        }
                                            .into_any()
                                    }}
                                    <h2>{tr!(locale, "requests.details_title")}</h2>
                                    <ActionForm
                                        action=file
                                        attr:class="form"
                                        attr:data-testid="filing-form"
                                        attr:id="filing-form"
                                    >
                                        <fieldset>
                                            <legend>{tr!(locale, "requests.fields")}</legend>
                                            {field_boxes(
                                                locale,
                                                "filing[fields]",
                                                view
                                                    .fields
                                                    .clone()
                                                    .into_iter()
                                                    .map(|f| {
                                                        let ticked = view.draft.fields.contains(&f.key);
                                                        (f, ticked)
                                                    })
                                                    .collect(),
                                            )}
                                        </fieldset>
                                        <label for="filing-purpose">
                                            {tr!(locale, "requests.purpose")}
                                        </label>
                                        <select id="filing-purpose" name="filing[purpose]" required>
                                            <option value="">{tr!(locale, "requests.choose")}</option>
                                            {Purpose::ALL
                                                .into_iter()
                                                .map(|p| {
                                                    let chosen = view.draft.purpose == p.code();
                                                    view! {
                                                        <option value=p.code() selected=chosen>
                                                            {tr!(locale, p.label_key())}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                        <label for="filing-reason">
                                            {tr!(locale, "requests.reason")}
                                        </label>
                                        <textarea
                                            id="filing-reason"
                                            name="filing[reason]"
                                            rows="3"
                                            maxlength="500"
                                            minlength="10"
                                            required
                                        >
                                            {crate::kit::ui::textarea_text(view.draft.reason.clone())}
                                        </textarea>
                                        <p class="hint">{tr!(locale, "requests.reason_hint")}</p>
                                        <label for="filing-party">
                                            {tr!(locale, "requests.outside_party")}
                                        </label>
                                        <input
                                            id="filing-party"
                                            name="filing[outside_party]"
                                            maxlength="100"
                                            value=view.draft.outside_party.clone()
                                        />
                                        <label for="filing-letter">
                                            {tr!(locale, "requests.letter_reference")}
                                        </label>
                                        <input
                                            id="filing-letter"
                                            name="filing[letter_reference]"
                                            maxlength="60"
                                            value=view.draft.letter_reference.clone()
                                        />
                                        <p class="hint">{tr!(locale, "requests.outside_hint")}</p>
                                        <label for="filing-window">
                                            {tr!(locale, "requests.window")}
                                        </label>
                                        <input
                                            id="filing-window"
                                            name="filing[window_hours]"
                                            type="number"
                                            min="1"
                                            max=MAX_WINDOW_HOURS.to_string()
                                            value=if view.draft.window_hours.is_empty() {
                                                DEFAULT_WINDOW_HOURS.to_string()
                                            } else {
                                                view.draft.window_hours.clone()
                                            }
                                            inputmode="numeric"
                                        />
                                        <FormErrors locale error=file_error />
                                        <button type="submit">
                                            {tr!(locale, "requests.file")}
                                        </button>
                                    </ActionForm>
                                }
                                    .into_any()
                            }
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

fn request_body(locale: Locale, r: RequestView) -> impl IntoView {
    let id = r.id.clone();
    let decide = ServerAction::<DecideRequest>::new();
    let fulfil = ServerAction::<FulfilRequest>::new();
    let withdraw = ServerAction::<WithdrawRequest>::new();
    let close = ServerAction::<CloseRelease>::new();
    let revoke = ServerAction::<RevokeRelease>::new();
    let error = Signal::derive(move || {
        decide
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| fulfil.value().get().and_then(Result::err))
            .or_else(|| withdraw.value().get().and_then(Result::err))
            .or_else(|| close.value().get().and_then(Result::err))
            .or_else(|| revoke.value().get().and_then(Result::err))
    });
    let hidden = move || view! { <input type="hidden" name="request_id" value=id.clone() /> };
    let hidden = [hidden(), hidden(), hidden(), hidden()];
    let [h1, h2, h3, h5] = hidden;
    let withdraw_id = r.id.clone();
    // The students and fields a step may keep: all of them for a decision, the approved
    // ones for a fulfilment.
    let students_for = |approved_only: bool| {
        r.students
            .clone()
            .into_iter()
            .filter(|s| !approved_only || s.approved)
            .map(|s| {
                let box_id = format!("s-{}-{}", approved_only, s.student.id);
                let for_id = box_id.clone();
                view! {
                    <label class="check" for=for_id>
                        <input
                            type="checkbox"
                            id=box_id
                            name="students[]"
                            value=s.student.id.clone()
                            checked=true
                        />
                        {s.student.name.clone()}
                        " · "
                        {label_of(locale, &s.student.class)}
                        {s
                            .top_secret
                            .then(|| {
                                view! {
                                    " "
                                    <span class="status top-secret">
                                        {tr!(locale, "requests.top_secret_flag")}
                                    </span>
                                }
                            })}
                    </label>
                }
            })
            .collect_view()
            .into_any()
    };
    let fields_for = |approved_only: bool| {
        field_boxes(
            locale,
            "fields",
            r.fields
                .iter()
                .filter(|f| !approved_only || f.approved)
                .map(|f| (f.field.clone(), true))
                .collect(),
        )
        .into_any()
    };
    let (decide_students, decide_fields) = (students_for(false), fields_for(false));
    let (fulfil_students, fulfil_fields) = (students_for(true), fields_for(true));
    // How far an item went: its code (for the page's tests and styles) and its words.
    // Once decided, an item the leader struck out is "not approved"; once released, one
    // approved but not provided is "not provided".
    let (decided, fulfilled) = (r.decided_by.is_some(), r.fulfilled_by.is_some());
    let stage = move |approved: bool, rel: bool| {
        if rel {
            "released"
        } else if approved && fulfilled {
            "withheld"
        } else if approved {
            "approved"
        } else if decided {
            "struck"
        } else {
            "requested"
        }
    };
    let stage_label = |approved: bool, rel: bool| format!("requests.item_{}", stage(approved, rel));
    view! {
        <dl class="facts">
            <dt>{tr!(locale, "requests.state")}</dt>
            <dd data-testid="state">{state_badge(locale, r.state)}</dd>
            <dt>{tr!(locale, "requests.purpose")}</dt>
            <dd>{tr!(locale, r.purpose.label_key())}</dd>
            <dt>{tr!(locale, "requests.reason")}</dt>
            <dd>{r.reason.clone()}</dd>
            {r
                .outside_party
                .clone()
                .map(|p| {
                    view! {
                        <dt>{tr!(locale, "requests.outside_party")}</dt>
                        <dd>{p}</dd>
                    }
                })}
            {r
                .letter_reference
                .clone()
                .map(|l| {
                    view! {
                        <dt>{tr!(locale, "requests.letter_reference")}</dt>
                        <dd>{l}</dd>
                    }
                })}
            <dt>{tr!(locale, "requests.requester")}</dt>
            <dd>{r.requester.clone()}</dd>
            <dt>{tr!(locale, "requests.filed_at")}</dt>
            <dd>{r.filed_at.clone()}</dd>
            <dt>{tr!(locale, "requests.window")}</dt>
            <dd>{tr!(locale, "requests.hours", n = r.window_hours)}</dd>
            {(r.state == State::Requested)
                .then(|| {
                    view! {
                        <dt>{tr!(locale, "requests.lapses_at")}</dt>
                        <dd>{r.lapses_at.clone()}</dd>
                    }
                })}
            {r
                .decided_by
                .clone()
                .map(|d| {
                    view! {
                        <dt>{tr!(locale, "requests.decided_by")}</dt>
                        <dd>{d}</dd>
                    }
                })}
            {r
                .decision_comment
                .clone()
                .map(|c| {
                    view! {
                        <dt>{tr!(locale, "requests.comment")}</dt>
                        <dd>{c}</dd>
                    }
                })}
            {r
                .fulfilled_by
                .clone()
                .map(|f| {
                    view! {
                        <dt>{tr!(locale, "requests.fulfilled_by")}</dt>
                        <dd>{f}</dd>
                    }
                })}
            {r
                .ends_at
                .clone()
                .map(|e| {
                    view! {
                        <dt>{tr!(locale, "requests.ends_at")}</dt>
                        <dd data-testid="ends-at">{e}</dd>
                    }
                })}
            {r
                .end_reason
                .clone()
                .map(|e| {
                    view! {
                        <dt>{tr!(locale, "requests.end_reason")}</dt>
                        <dd>{e}</dd>
                    }
                })}
        </dl>
        {r
            .top_secret
            .then(|| {
                view! {
                    <p class="notice returned" role="note">
                        {tr!(locale, "requests.top_secret_note")}
                    </p>
                }
            })}
        <FormErrors locale error />
        {r
            .can
            .open
            .then(|| {
                view! {
                    <p>
                        <a
                            class="button"
                            href=format!("/requests/{}/release", r.id)
                            data-testid="open-release"
                        >
                            {tr!(locale, "requests.open")}
                        </a>
                    </p>
                }
            })}
        <h2>{tr!(locale, "requests.students")}</h2>
        {(!r.class_counts.is_empty())
            .then(|| {
                view! {
                    <ul class="items" data-testid="class-counts">
                        {r
                            .class_counts
                            .iter()
                            .map(|(class, n)| {
                                view! {
                                    <li>
                                        {label_of(locale, class)} " · "
                                        {tr!(locale, "register.students", n = *n)}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })}
        <ul class="items" data-testid="students">
            {r
                .students
                .iter()
                .map(|s| {
                    view! {
                        <li data-stage=stage(
                            s.approved,
                            s.released,
                        )>
                            {s.student.name.clone()} " · " {label_of(locale, &s.student.class)}
                            " · " {tr!(locale, &stage_label(s.approved, s.released))}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <h2>{tr!(locale, "requests.fields")}</h2>
        <ul class="items" data-testid="fields">
            {r
                .fields
                .iter()
                .map(|f| {
                    view! {
                        <li data-field=f.field.key.clone() data-stage=stage(f.approved, f.released)>
                            {tr!(locale, &f.field.label)}
                            {f
                                .field
                                .family
                                .then(|| {
                                    view! {
                                        " ("
                                        {tr!(locale, "section.family")}
                                        ")"
                                    }
                                })}
                            " · "
                            {tr!(locale, &stage_label(f.approved, f.released))}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        {r
            .can
            .decide
            .then(|| {
                view! {
                    <h2>{tr!(locale, "requests.decide_title")}</h2>
                    <p class="hint">{tr!(locale, "requests.decide_hint")}</p>
                    <ActionForm action=decide attr:class="form" attr:data-testid="decide-form">
                        {h1}
                        <fieldset>
                            <legend>{tr!(locale, "requests.students")}</legend>
                            {decide_students}
                        </fieldset>
                        <fieldset>
                            <legend>{tr!(locale, "requests.fields")}</legend>
                            {decide_fields}
                        </fieldset>
                        <label for="decide-window">{tr!(locale, "requests.window")}</label>
                        <input
                            id="decide-window"
                            name="window_hours"
                            type="number"
                            min="1"
                            max=r.max_window_hours.to_string()
                            value=r.window_hours.to_string()
                        />
                        <label for="decide-comment">{tr!(locale, "requests.comment")}</label>
                        <textarea
                            id="decide-comment"
                            name="comment"
                            rows="2"
                            maxlength="500"
                        ></textarea>
                        <p class="hint">{tr!(locale, "requests.comment_hint")}</p>
                        <div class="actions">
                            <button type="submit" name="decision" value="approve">
                                {tr!(locale, "requests.approve")}
                            </button>
                            <button type="submit" name="decision" value="reject" class="secondary">
                                {tr!(locale, "requests.reject")}
                            </button>
                        </div>
                    </ActionForm>
                }
            })}
        {r
            .can
            .fulfil
            .then(|| {
                view! {
                    <h2>{tr!(locale, "requests.fulfil_title")}</h2>
                    <p class="hint">{tr!(locale, "requests.fulfil_hint")}</p>
                    <ActionForm action=fulfil attr:class="form" attr:data-testid="fulfil-form">
                        {h2}
                        <fieldset>
                            <legend>{tr!(locale, "requests.students")}</legend>
                            {fulfil_students}
                        </fieldset>
                        <fieldset>
                            <legend>{tr!(locale, "requests.fields")}</legend>
                            {fulfil_fields}
                        </fieldset>
                        <button type="submit">{tr!(locale, "requests.fulfil")}</button>
                    </ActionForm>
                }
            })}
        <div class="actions">
            {r
                .can
                .close
                .then(|| {
                    view! {
                        <ActionForm action=close attr:class="inline">
                            {h3}
                            <button type="submit" data-testid="close-release">
                                {tr!(locale, "requests.close")}
                            </button>
                        </ActionForm>
                    }
                })}
            {r
                .can
                .withdraw
                .then(|| {
                    view! {
                        <crate::kit::workflow::ui::WithdrawForm
                            locale
                            action=withdraw
                            id_field="request_id"
                            id=withdraw_id
                            label="requests.withdraw"
                        />
                    }
                })}
        </div>
        {r
            .can
            .revoke
            .then(|| {
                view! {
                    <h2>{tr!(locale, "requests.revoke_title")}</h2>
                    <ActionForm action=revoke attr:class="form">
                        {h5}
                        <label for="revoke-reason">{tr!(locale, "requests.end_reason")}</label>
                        <input id="revoke-reason" name="reason" maxlength="500" required />
                        <button type="submit" class="danger">
                            {tr!(locale, "requests.revoke")}
                        </button>
                    </ActionForm>
                }
            })}
        <crate::kit::workflow::ui::History
            locale
            entries=r.history.clone()
            events="requests.event_"
        />
    }
}

#[component]
pub fn RequestPage() -> impl IntoView {
    let locale = use_locale();
    let id = param("request");
    let request = OnceResource::new(request_page(id));
    view! {
        <section class="card" aria-labelledby="request-title">
            <h1 id="request-title">{tr!(locale, "requests.one")}</h1>
            {loaded(locale, request, move |r| request_body(locale, r))}
            <p>
                <a href="/requests">{tr!(locale, "requests.back")}</a>
            </p>
        </section>
    }
}

/// The release: the data while live, behind a watermark of the viewer and the time. The page
/// reloads itself within a minute (and at the window's end), so that a revocation or the end
/// takes the data off a page left open, with or without JavaScript.
#[component]
pub fn ReleasePage() -> impl IntoView {
    let locale = use_locale();
    let id = param("request");
    let opening = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("opening").unwrap_or_default());
    let release = OnceResource::new(open_release(id.clone(), opening));
    view! {
        // translate="no": a browser's page translation would send the values to a service
        // outside the school.
        <section class="card release" aria-labelledby="release-title" translate="no">
            <h1 id="release-title">{tr!(locale, "release.title")}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    match release.await {
                        Err(e) => failure(locale, e),
                        Ok(ReleaseData::NotLive { id, state }) => {
                            view! {
                                <p class="notice" role="status" data-testid="release-ended">
                                    {tr!(locale, "release.not_live")}
                                    " "
                                    {state_badge(locale, state)}
                                </p>
                                <p>
                                    <a href=format!(
                                        "/requests/{id}",
                                    )>{tr!(locale, "requests.one")}</a>
                                </p>
                            }
                                .into_any()
                        }
                        Ok(ReleaseData::Live(v)) => {
                            let refresh = v.ends_in_secs.min(60);
                            let watermark = v.watermark.clone();
                            view! {
                                <Meta
                                    http_equiv="refresh"
                                    content=format!(
                                        "{refresh}; url=/requests/{}/release?opening={}",
                                        v.id,
                                        v.opening,
                                    )
                                />
                                <Meta name="google" content="notranslate" />
                                <Meta name="robots" content="noindex, nofollow" />
                                // The marks are drawn by the style sheet from their attribute:
                                // decoration, not text to read out or to check for contrast.
                                <div class="watermark" aria-hidden="true" data-testid="watermark">
                                    {(0..24)
                                        .map(|_| {
                                            view! { <span data-mark=watermark.clone()></span> }
                                        })
                                        .collect_view()}
                                </div>
                                <p class="notice" role="note">
                                    {tr!(locale, "release.rule", until = v.ends_at.clone())}
                                </p>
                                <p class="watermark-line" data-testid="watermark-line">
                                    {v.watermark.clone()}
                                </p>
                                {v
                                    .withheld
                                    .then(|| {
                                        view! {
                                            <p
                                                class="notice returned"
                                                role="note"
                                                data-testid="withheld"
                                            >
                                                {tr!(locale, "release.withheld")}
                                            </p>
                                        }
                                    })}
                                // One card per student, each family member under their relation: read
                                // on a phone as on a desk, nothing out of line.
                                <div class="release-data" data-testid="release-data">
                                    {v
                                        .rows
                                        .into_iter()
                                        .map(|row| {
                                            let cell = move |(label, value): (String, Option<String>)| {
                                                view! {
                                                    <div>
                                                        <dt>{label}</dt>
                                                        {match value {
                                                            Some(value) => {
                                                                view! { <dd class="released">{value}</dd> }.into_any()
                                                            }
                                                            None => {
                                                                view! {
                                                                    <dd class="withheld">
                                                                        {tr!(locale, "release.withheld_cell")}
                                                                    </dd>
                                                                }
                                                                    .into_any()
                                                            }
                                                        }}
                                                    </div>
                                                }
                                            };
                                            view! {
                                                <article class="release-card" data-testid="release-card">
                                                    <h2>
                                                        {row.name} " · "
                                                        <span class="hint">{label_of(locale, &row.class)}</span>
                                                    </h2>
                                                    {(!row.values.is_empty())
                                                        .then(|| {
                                                            view! {
                                                                <dl class="facts">
                                                                    {row.values.into_iter().map(cell).collect_view()}
                                                                </dl>
                                                            }
                                                        })}
                                                    {row
                                                        .members
                                                        .into_iter()
                                                        .map(|m| {
                                                            view! {
                                                                <section
                                                                    class="release-member"
                                                                    data-testid="release-member"
                                                                >
                                                                    <h3>{m.heading}</h3>
                                                                    <dl class="facts">
                                                                        {m.values.into_iter().map(cell).collect_view()}
                                                                    </dl>
                                                                </section>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </article>
                                            }
                                        })
                                        .collect_view()}
                                </div>
                                <p>
                                    <a href=format!(
                                        "/requests/{}",
                                        v.id,
                                    )>{tr!(locale, "release.back")}</a>
                                </p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

fn register_table(locale: Locale, view: RegisterView) -> impl IntoView {
    if view.entries.is_empty() {
        return view! { <p data-testid="register-none">{tr!(locale, "register.none")}</p> }
            .into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="accounts" data-testid="register">
                <thead>
                    <tr>
                        <th scope="col">{tr!(locale, "requests.purpose")}</th>
                        <th scope="col">{tr!(locale, "requests.state")}</th>
                        <th scope="col">{tr!(locale, "requests.requester")}</th>
                        <th scope="col">{tr!(locale, "requests.decided_by")}</th>
                        <th scope="col">{tr!(locale, "requests.fulfilled_by")}</th>
                        <th scope="col">{tr!(locale, "requests.fields")}</th>
                        <th scope="col">{tr!(locale, "register.openings")}</th>
                    </tr>
                </thead>
                <tbody>
                    {view
                        .entries
                        .into_iter()
                        .map(|e| {
                            view! {
                                <tr data-request=e.id.clone()>
                                    <td>
                                        <a href=format!(
                                            "/requests/{}",
                                            e.id,
                                        )>{tr!(locale, e.purpose.label_key())}</a>
                                        <br />
                                        {e.filed_at}
                                    </td>
                                    <td>{state_badge(locale, e.state)}</td>
                                    <td>{e.requester}</td>
                                    <td>{e.approver.unwrap_or_default()}</td>
                                    <td>{e.fulfiller.unwrap_or_default()}</td>
                                    <td>
                                        {tr!(locale, "register.students", n = e.students)} ": "
                                        {e
                                            .fields
                                            .iter()
                                            .map(|f| crate::features::requests::views::field_label(
                                                locale,
                                                f,
                                            ))
                                            .collect::<Vec<_>>()
                                            .join("、")}
                                    </td>
                                    <td>
                                        <ul class="openings">
                                            {e
                                                .openings
                                                .into_iter()
                                                .map(|(at, from)| view! { <li>{at} " · " {from}</li> })
                                                .collect_view()}
                                        </ul>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The register of all requests: a plain GET form of filters (states, purposes, staff ids
/// and dates: nothing personal goes in the URL).
#[component]
pub fn RegisterPage() -> impl IntoView {
    let locale = use_locale();
    let register = OnceResource::new(register_page(
        query("state"),
        query("purpose"),
        query("requester"),
        query("from"),
        query("to"),
    ));
    view! {
        <section class="card" aria-labelledby="register-title">
            <h1 id="register-title">{tr!(locale, "register.title")}</h1>
            <p class="hint">{tr!(locale, "register.rule")}</p>
            {loaded(
                locale,
                register,
                move |view| {
                    let (state, purpose, requester) = (
                        view.state.clone(),
                        view.purpose.clone(),
                        view.requester.clone(),
                    );
                    view! {
                        <form method="get" action="/disclosures" class="form filters">
                            <label for="f-state">{tr!(locale, "requests.state")}</label>
                            <select id="f-state" name="state">
                                <option value="">{tr!(locale, "register.all")}</option>
                                {State::ALL
                                    .into_iter()
                                    .map(|s| {
                                        view! {
                                            <option value=s.code() selected=state == s.code()>
                                                {tr!(locale, s.label_key())}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                            <label for="f-purpose">{tr!(locale, "requests.purpose")}</label>
                            <select id="f-purpose" name="purpose">
                                <option value="">{tr!(locale, "register.all")}</option>
                                {Purpose::ALL
                                    .into_iter()
                                    .map(|p| {
                                        view! {
                                            <option value=p.code() selected=purpose == p.code()>
                                                {tr!(locale, p.label_key())}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                            <label for="f-requester">{tr!(locale, "requests.requester")}</label>
                            <select id="f-requester" name="requester">
                                <option value="">{tr!(locale, "register.all")}</option>
                                {view
                                    .requesters
                                    .iter()
                                    .map(|(id, name)| {
                                        view! {
                                            <option
                                                value=id.to_string()
                                                selected=requester == id.to_string()
                                            >
                                                {name.clone()}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                            <label for="f-from">{tr!(locale, "register.from")}</label>
                            <input id="f-from" name="from" type="date" value=view.from.clone() />
                            <label for="f-to">{tr!(locale, "register.to")}</label>
                            <input id="f-to" name="to" type="date" value=view.to.clone() />
                            <button type="submit">{tr!(locale, "register.filter")}</button>
                        </form>
                        {register_table(locale, view)}
                    }
                        .into_any()
                },
            )}
        </section>
    }
}

/// One student's register.
#[component]
pub fn StudentRegisterPage() -> impl IntoView {
    let locale = use_locale();
    let register = OnceResource::new(student_register(param("student")));
    view! {
        <section class="card" aria-labelledby="register-title">
            <h1 id="register-title">{tr!(locale, "register.student_title")}</h1>
            {loaded(
                locale,
                register,
                move |view| {
                    view! {
                        {view
                            .student
                            .clone()
                            .map(|s| {
                                view! {
                                    <p data-testid="register-student">
                                        {s.name} " · " {label_of(locale, &s.class)}
                                    </p>
                                }
                            })}
                        {register_table(locale, view)}
                    }
                },
            )}
        </section>
    }
}
