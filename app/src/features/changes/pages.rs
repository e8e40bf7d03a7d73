//! The change-of-status pages: the application form (on a student's record), one's own and
//! those to decide, and the printable 异动审批表 of one. Every form is a plain post that works
//! without JavaScript.

use leptos::prelude::*;

use crate::{
    features::changes::{
        functions::{
            DecideStatusChange, FileStatusChange, WithdrawStatusChange, changes_home,
            status_change_page,
        },
        views::{
            ChangeInput, ChangeKind, ChangeState, ChangeSummary, ChangeView, SuspendedStudent,
        },
    },
    i18n::Locale,
    kit::{
        forms::{FieldProblem, kept, names},
        ui::{form_errors::FormErrors, use_locale},
        workflow::ui::{DecideForm, History, WithdrawForm, home_page, queue_sections, record_page},
    },
    tr,
};

fn state_badge(locale: Locale, state: ChangeState) -> impl IntoView + use<> {
    crate::kit::workflow::ui::state_badge(locale, "change", state.code())
}

fn kind_words(locale: Locale, kind: ChangeKind) -> String {
    tr!(locale, &format!("change.kind_{}", kind.code()))
}

/// The pupil as the viewer may read them: a 绝密 pupil's name is not shown to a leader.
fn student_words(locale: Locale, name: String, hidden: bool) -> String {
    if hidden {
        tr!(locale, "change.student_top_secret")
    } else {
        name
    }
}

fn change_table(locale: Locale, rows: Vec<ChangeSummary>, testid: &'static str) -> AnyView {
    if rows.is_empty() {
        return view! { <p data-testid=testid>{tr!(locale, "change.none")}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="accounts stack" data-testid=testid>
                <thead>
                    <tr>
                        <th scope="col">{tr!(locale, "change.student")}</th>
                        <th scope="col">{tr!(locale, "change.class")}</th>
                        <th scope="col">{tr!(locale, "change.kind")}</th>
                        <th scope="col">{tr!(locale, "change.effective_on")}</th>
                        <th scope="col">{tr!(locale, "change.state")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr data-change=r.id.clone()>
                                    <td data-label=tr!(locale, "change.student")>
                                        <a href=format!(
                                            "/changes/{}",
                                            r.id,
                                        )>{student_words(locale, r.student, r.student_hidden)}</a>
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
                                        locale, "change.class"
                                    )>{r.class.label(locale)}</td>
                                    <td data-label=tr!(
                                        locale, "change.kind"
                                    )>{kind_words(locale, r.kind)}</td>
                                    <td data-label=tr!(
                                        locale, "change.effective_on"
                                    )>{r.effective_on}</td>
                                    <td data-label=tr!(
                                        locale, "change.state"
                                    )>
                                        {state_badge(locale, r.state)}
                                        {due_words(locale, r.due_on, r.overdue)}
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

/// The proofs of an application, each a link that opens it (an image) or downloads it (a
/// PDF); and for its filer while it waits, the form that adds one (a plain multipart post).
/// A 关键数据变更's fields: each with what it holds and what the application asks for.
fn key_changes(locale: Locale, c: &ChangeView) -> Option<AnyView> {
    if c.key_changes.is_empty() {
        return None;
    }
    let label = |field: &str| {
        crate::domain::records::fields::STUDENT
            .iter()
            .find(|f| f.meta.key == field)
            .map(|f| tr!(locale, f.meta.label))
            .unwrap_or_else(|| field.to_owned())
    };
    Some(
        view! {
            <h2>{tr!(locale, "key_data.changes")}</h2>
            <div class="table-scroll">
                <table class="accounts stack" data-testid="key-changes">
                    <thead>
                        <tr>
                            <th scope="col">{tr!(locale, "key_data.field")}</th>
                            <th scope="col">{tr!(locale, "key_data.before")}</th>
                            <th scope="col">{tr!(locale, "key_data.after")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {c
                            .key_changes
                            .iter()
                            .map(|k| {
                                view! {
                                    <tr data-field=k.field.clone()>
                                        <th scope="row" data-label=tr!(locale, "key_data.field")>
                                            {label(&k.field)}
                                        </th>
                                        <td data-label=tr!(
                                            locale, "key_data.before"
                                        )>{k.before.clone()}</td>
                                        <td data-label=tr!(
                                            locale, "key_data.after"
                                        )>{k.after.clone()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
    )
}

fn proofs(locale: Locale, c: &ChangeView) -> AnyView {
    let error = crate::kit::forms::returned_error("/api/changes/proof");
    let list = if c.proofs.is_empty() {
        view! { <p data-testid="no-proofs">{tr!(locale, "change.no_proofs")}</p> }.into_any()
    } else {
        view! {
            <ul data-testid="change-proofs">
                {c
                    .proofs
                    .iter()
                    .enumerate()
                    .map(|(n, p)| {
                        let kind = match p.media_type.as_str() {
                            "application/pdf" => "PDF",
                            "image/png" => "PNG",
                            _ => "JPEG",
                        };
                        view! {
                            <li>
                                <a
                                    href=format!("/changes/{}/proofs/{}", c.id, p.id)
                                    target="_blank"
                                    rel="noopener"
                                >
                                    {tr!(locale, "change.proof_n", n = n + 1, kind = kind)}
                                </a>
                                " · "
                                {format!("{:.1} KB", p.size as f64 / 1024.0)}
                                " · "
                                {p.uploaded_at.clone()}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let form = c.can_add_proof.then(|| {
        view! {
            <form
                class="form no-print"
                method="post"
                action="/api/changes/proof"
                enctype="multipart/form-data"
                data-testid="add-proof"
            >
                <input type="hidden" name="change_id" value=c.id.clone() />
                <label for="change-proof">{tr!(locale, "change.proof_file")}</label>
                <input
                    id="change-proof"
                    name="file"
                    type="file"
                    required
                    accept=".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"
                    aria-describedby="change-proof-hint"
                    aria-invalid=error.is_some().then_some("true")
                />
                <p class="hint" id="change-proof-hint">
                    {tr!(locale, "change.proof_hint")}
                </p>
                {error.map(|e| view! { <FormErrors locale error=Signal::stored(Some(e)) /> })}
                <button type="submit" class="secondary">
                    {tr!(locale, "change.proof_submit")}
                </button>
            </form>
        }
    });
    view! {
        <h2>{tr!(locale, "change.proofs")}</h2>
        {list}
        {form}
    }
    .into_any()
}

/// When a waiting application is due: by which day, or that its 10 working days passed.
fn due_words(locale: Locale, due_on: Option<String>, overdue: bool) -> Option<AnyView> {
    due_on.map(|day| {
        if overdue {
            view! {
                " "
                <span class="status status-overdue" data-testid="change-overdue">
                    {tr!(locale, "change.overdue", day = day)}
                </span>
            }
            .into_any()
        } else {
            view! {
                " "
                <span class="hint">{tr!(locale, "change.due_on", day = day)}</span>
            }
            .into_any()
        }
    })
}

/// The students suspended a year or more: a 复学 or a further 休学 is due for each.
fn long_suspended(locale: Locale, rows: Vec<SuspendedStudent>) -> AnyView {
    if rows.is_empty() {
        return ().into_any();
    }
    view! {
        <h2>{tr!(locale, "change.long_suspended")}</h2>
        <p class="hint">{tr!(locale, "change.long_suspended_hint")}</p>
        <ul data-testid="long-suspended">
            {rows
                .into_iter()
                .map(|s| {
                    view! {
                        <li>
                            <a href=format!("/records/students/{}", s.id)>{s.name}</a>
                            " · "
                            {s.class.label(locale)}
                            " · "
                            {tr!(locale, "change.suspended_since", since = s.since)}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The application for `student_id`, on the student's record: kind (those that fit a
/// `suspended` student, or one at school), a reason of that kind's (grouped by kind, so that
/// it works without a script), the day, and for a transfer the other school.
pub fn file_form(locale: Locale, student_id: String, suspended: bool, new_entry: bool) -> AnyView {
    let kinds: Vec<ChangeKind> = ChangeKind::FILED
        .iter()
        .copied()
        .filter(|k| k.fits(suspended, new_entry))
        .collect();
    let groups = kinds.clone();
    let action = ServerAction::<FileStatusChange>::new();
    let typed: ChangeInput = kept::<FileStatusChange, _>();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let invalid =
        move |field: &'static str| move || names(error.get().as_ref(), field).then_some("true");
    // Open again after a refusal, with what was typed and what was wrong.
    let open = typed != ChangeInput::default();
    view! {
        <details class="no-print" data-testid="file-change" open=open>
            <summary>{tr!(locale, "change.file")}</summary>
            <ActionForm action attr:class="form" attr:novalidate="novalidate">
                <input type="hidden" name="status_change[student_id]" value=student_id />
                <label for="change-kind">{tr!(locale, "change.kind")}</label>
                <select
                    id="change-kind"
                    name="status_change[kind]"
                    aria-describedby="change-kind-error"
                    aria-invalid=invalid("kind")
                >
                    {kinds
                        .into_iter()
                        .map(|k| {
                            view! {
                                <option value=k.code() selected=typed.kind == k.code()>
                                    {kind_words(locale, k)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <FieldProblem locale error field="kind" id="change-kind" />
                <label for="change-reason">{tr!(locale, "change.reason")}</label>
                <select
                    id="change-reason"
                    name="status_change[reason]"
                    aria-describedby="change-reason-error"
                    aria-invalid=invalid("reason")
                >
                    <option value="">{tr!(locale, "change.choose_reason")}</option>
                    {groups
                        .into_iter()
                        .map(|kind| {
                            let typed = typed.clone();
                            view! {
                                <optgroup label=kind_words(
                                    locale,
                                    kind,
                                )>
                                    {kind
                                        .reasons()
                                        .iter()
                                        .map(|r| {
                                            view! {
                                                <option
                                                    value=*r
                                                    selected=typed.kind == kind.code() && typed.reason == *r
                                                >
                                                    {tr!(locale, &format!("change.reason_{r}"))}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </optgroup>
                            }
                        })
                        .collect_view()}
                </select>
                <FieldProblem locale error field="reason" id="change-reason" />
                <label for="change-date">{tr!(locale, "change.effective_on")}</label>
                <input
                    id="change-date"
                    name="status_change[effective_on]"
                    type="date"
                    required
                    value=typed.effective_on.clone()
                    aria-describedby="change-date-hint change-date-error"
                    aria-invalid=invalid("effective_on")
                />
                <p class="hint" id="change-date-hint">
                    {tr!(locale, "change.effective_on_hint")}
                </p>
                <FieldProblem locale error field="effective_on" id="change-date" />
                <label for="change-school">{tr!(locale, "change.other_school")}</label>
                <input
                    id="change-school"
                    name="status_change[other_school]"
                    maxlength="100"
                    autocomplete="off"
                    value=typed.other_school.clone()
                    aria-describedby="change-school-hint change-school-error"
                    aria-invalid=invalid("other_school")
                />
                <p class="hint" id="change-school-hint">
                    {tr!(locale, "change.other_school_hint")}
                </p>
                <FieldProblem locale error field="other_school" id="change-school" />
                <label for="change-school-code">{tr!(locale, "change.other_school_code")}</label>
                <input
                    id="change-school-code"
                    name="status_change[other_school_code]"
                    maxlength="100"
                    autocomplete="off"
                    value=typed.other_school_code.clone()
                    aria-describedby="change-school-code-error"
                    aria-invalid=invalid("other_school_code")
                />
                <FieldProblem locale error field="other_school_code" id="change-school-code" />
                <p class="hint">{tr!(locale, "change.file_hint")}</p>
                <FormErrors locale error />
                <button type="submit" class="secondary">
                    {tr!(locale, "change.file_submit")}
                </button>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// On a student's record: the application waiting for a decision, by its link.
pub fn pending_note(locale: Locale, change_id: String) -> AnyView {
    view! {
        <p class="notice no-print" data-testid="change-pending">
            {tr!(locale, "change.pending_here")}
            " "
            <a href=format!("/changes/{change_id}")>{tr!(locale, "change.open")}</a>
        </p>
    }
    .into_any()
}

#[component]
pub fn ChangesPage() -> impl IntoView {
    let locale = use_locale();
    let home = OnceResource::new(changes_home());
    home_page(
        locale,
        ("change.title", "changes-title"),
        "change.rule",
        None,
        home,
        move |home| {
            queue_sections(
                locale,
                "change",
                home.queues,
                long_suspended(locale, home.long_suspended),
                ["changes-to-decide", "my-changes", "changes-decided"],
                change_table,
            )
        },
    )
}

fn record(locale: Locale, c: ChangeView) -> AnyView {
    let decide = ServerAction::<DecideStatusChange>::new();
    let withdraw = ServerAction::<WithdrawStatusChange>::new();
    let error = Signal::derive(move || {
        decide
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| withdraw.value().get().and_then(Result::err))
    });
    let withdraw_id = c.id.clone();
    let names_a_school = c.kind.names_a_school();
    // A resumption, 留级 or 跳级 is approved with the class the student goes to.
    let approve_inputs = c.kind.moves_class().then(|| {
        let choices = c.class_choices.clone();
        let none = choices.is_empty();
        view! {
            <label for="change-to-class">{tr!(locale, "change.to_class")}</label>
            <select
                id="change-to-class"
                name="to_class"
                required
                aria-describedby="change-to-class-hint change-to-class-error"
                aria-invalid=move || names(error.get().as_ref(), "to_class").then_some("true")
            >
                <option value="">{tr!(locale, "change.choose_class")}</option>
                {choices
                    .into_iter()
                    .map(|(id, class)| view! { <option value=id>{class.label(locale)}</option> })
                    .collect_view()}
            </select>
            <p class="hint" id="change-to-class-hint">
                {tr!(locale, if none { "change.to_class_none" } else { "change.to_class_hint" })}
            </p>
            <FieldProblem locale error field="to_class" id="change-to-class" />
        }
        .into_any()
    });
    view! {
        <p class="print-only">{tr!(locale, "change.record_heading")}</p>
        <p>{state_badge(locale, c.state)} {due_words(locale, c.due_on.clone(), c.overdue)}</p>
        <dl class="record" data-testid="change-record">
            <dt>{tr!(locale, "change.student")}</dt>
            <dd>
                {student_words(locale, c.student.clone(), c.student_hidden)}
                {c
                    .student_id
                    .clone()
                    .map(|id| {
                        view! {
                            " "
                            <a class="no-print" href=format!("/records/students/{id}")>
                                {tr!(locale, "change.student_page")}
                            </a>
                        }
                    })}
            </dd>
            <dt>{tr!(locale, "change.class")}</dt>
            <dd>
                {c.class.label(locale)}
                {c
                    .student_now
                    .clone()
                    .map(|now| {
                        view! {
                            <br />
                            <span class="hint" data-testid="change-student-now">
                                {tr!(locale, "change.student_now", class = now.label(locale))}
                            </span>
                        }
                    })}
                {c
                    .suspended_now
                    .then(|| {
                        view! {
                            " "
                            <span class="status status-left">
                                {tr!(locale, "records.suspended_badge")}
                            </span>
                        }
                    })}
            </dd>
            <dt>{tr!(locale, "change.kind")}</dt>
            <dd data-testid="change-kind">{kind_words(locale, c.kind)}</dd>
            <dt>{tr!(locale, "change.reason")}</dt>
            <dd>{tr!(locale, &format!("change.reason_{}", c.reason))}</dd>
            <dt>{tr!(locale, "change.effective_on")}</dt>
            <dd>{c.effective_on.clone()}</dd>
            {names_a_school
                .then(|| {
                    view! {
                        <dt>{tr!(locale, "change.other_school")}</dt>
                        <dd>{c.other_school.clone()}</dd>
                        <dt>{tr!(locale, "change.other_school_code")}</dt>
                        <dd>
                            {if c.other_school_code.is_empty() {
                                "—".to_owned()
                            } else {
                                c.other_school_code.clone()
                            }}
                        </dd>
                    }
                })}
            {c
                .to_class
                .clone()
                .map(|class| {
                    view! {
                        <dt>{tr!(locale, "change.to_class")}</dt>
                        <dd data-testid="change-to-class">{class.label(locale)}</dd>
                    }
                })}
            <dt>{tr!(locale, "change.filer")}</dt>
            <dd>{c.filer.clone()}</dd>
            <dt>{tr!(locale, "change.filed_at")}</dt>
            <dd>{c.filed_at.clone()}</dd>
            <dt>{tr!(locale, "change.decider")}</dt>
            <dd>{c.decider.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{tr!(locale, "change.decided_at")}</dt>
            <dd>{c.decided_at.clone().unwrap_or_else(|| "—".into())}</dd>
            {c
                .decision_comment
                .clone()
                .map(|comment| {
                    view! {
                        <dt>{tr!(locale, "change.comment")}</dt>
                        <dd>{comment}</dd>
                    }
                })}
        </dl>
        {key_changes(locale, &c)}
        {proofs(locale, &c)}
        <FormErrors locale error />
        {c
            .can_decide
            .then(|| {
                view! {
                    <div class="review-actions no-print">
                        <DecideForm
                            locale
                            action=decide
                            id_field="change_id"
                            id=c.id.clone()
                            words="change"
                            confirm=tr!(locale, "change.confirm_approve")
                            approve_inputs=approve_inputs
                        />
                    </div>
                }
            })}
        {c
            .can_withdraw
            .then(|| {
                view! {
                    <WithdrawForm
                        locale
                        action=withdraw
                        id_field="change_id"
                        id=withdraw_id
                        label="change.withdraw"
                    />
                }
            })}
        <History locale entries=c.history events="change.event_" />
        <p class="hint no-print">{tr!(locale, "change.print")}</p>
        <p class="no-print">
            <a href="/changes">{tr!(locale, "change.back")}</a>
        </p>
    }
    .into_any()
}

#[component]
pub fn ChangePage() -> impl IntoView {
    let locale = use_locale();
    record_page(
        locale,
        "change",
        ("change.record_title", "change-title"),
        status_change_page,
        move |c| record(locale, c),
    )
}
