//! The destruction pages: who is due and the batches (`/destructions`), and one batch, the
//! destruction log's entry (`/destructions/<id>`). Plain posts that work without JavaScript.

use leptos::prelude::*;

use crate::{
    features::retention::{
        functions::{DecideDestruction, ProposeDestruction, destruction_page, retention_home},
        views::{BatchView, DataClass, DueStudent, Kept},
    },
    i18n::Locale,
    kit::{
        ui::{form_errors::FormErrors, loaded, use_locale},
        workflow::ui::{DecideForm, History, record_page},
    },
    tr,
};

fn kept(locale: Locale, kept: Kept) -> String {
    match kept {
        Kept::Permanently => tr!(locale, "retention.kept_permanently"),
        Kept::Years(n) => tr!(locale, "retention.kept_years", n = n),
        Kept::Days(n) => tr!(locale, "retention.kept_days", n = n),
        Kept::Minutes(n) => tr!(locale, "retention.kept_minutes", n = n),
        Kept::UntilShown => tr!(locale, "retention.kept_until_shown"),
        Kept::UntilWindowEnds => tr!(locale, "retention.kept_until_window_ends"),
    }
}

/// The classes of data, each with how long it is kept and the rule that says so.
fn classes_table(locale: Locale, classes: Vec<DataClass>, testid: &'static str) -> AnyView {
    view! {
        <div class="table-scroll">
            <table class="accounts stack" data-testid=testid>
                <thead>
                    <tr>
                        <th scope="col">{tr!(locale, "retention.class")}</th>
                        <th scope="col">{tr!(locale, "retention.kept")}</th>
                        <th scope="col">{tr!(locale, "retention.source")}</th>
                    </tr>
                </thead>
                <tbody>
                    {classes
                        .into_iter()
                        .map(|c| {
                            let erasable = (c.code == "core_record")
                                .then(|| match c.erasable.clone() {
                                    Some((years, rule)) => {
                                        view! {
                                            <br />
                                            <strong data-testid="archive-rule">
                                                {tr!(locale, "retention.erasable", n = years, rule = rule)}
                                            </strong>
                                        }
                                            .into_any()
                                    }
                                    None => {
                                        view! {
                                            <br />
                                            <span data-testid="archive-rule">
                                                {tr!(locale, "retention.not_erasable")}
                                            </span>
                                        }
                                            .into_any()
                                    }
                                });
                            view! {
                                <tr data-class=c.code.clone()>
                                    <th scope="row" data-label=tr!(locale, "retention.class")>
                                        {tr!(locale, &format!("retention.class_{}", c.code))}
                                    </th>
                                    <td data-label=tr!(
                                        locale, "retention.kept"
                                    )>{kept(locale, c.kept)}</td>
                                    <td data-label=tr!(
                                        locale, "retention.source"
                                    )>
                                        {tr!(locale, &format!("retention.source_{}", c.source))}
                                        {erasable}
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

fn students_table(locale: Locale, rows: Vec<DueStudent>, testid: &'static str) -> AnyView {
    if rows.is_empty() {
        return view! { <p data-testid=testid>{tr!(locale, "destruction.none_due")}</p> }
            .into_any();
    }
    let named = rows.iter().any(|s| s.named.is_some());
    view! {
        <div class="table-scroll">
            <table class="accounts stack" data-testid=testid>
                <thead>
                    <tr>
                        {named
                            .then(|| {
                                view! {
                                    <th scope="col">{tr!(locale, "field.name")}</th>
                                    <th scope="col">{tr!(locale, "field.birth_date")}</th>
                                }
                            })} <th scope="col">{tr!(locale, "destruction.record")}</th>
                        <th scope="col">{tr!(locale, "destruction.class")}</th>
                        <th scope="col">{tr!(locale, "destruction.left")}</th>
                        <th scope="col">{tr!(locale, "destruction.left_on")}</th>
                        <th scope="col">{tr!(locale, "destruction.kept_as")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|s| {
                            let (year, grade, name) = s.class;
                            let who = named
                                .then(|| {
                                    let (pupil, born) = s.named.clone().unwrap_or_default();
                                    view! {
                                        <td data-label=tr!(locale, "field.name")>{pupil}</td>
                                        <td data-label=tr!(locale, "field.birth_date")>{born}</td>
                                    }
                                });
                            view! {
                                <tr>
                                    {who} <td data-label=tr!(locale, "destruction.record")>
                                        <code>{s.id}</code>
                                        {s
                                            .destroyed
                                            .then(|| {
                                                view! {
                                                    " "
                                                    <span class="status">
                                                        {tr!(locale, "destruction.destroyed")}
                                                    </span>
                                                }
                                            })}
                                    </td>
                                    <td data-label=tr!(
                                        locale, "destruction.class"
                                    )>
                                        {format!(
                                            "{year} {} {name}",
                                            tr!(locale, &format!("grade.{grade}")),
                                        )}
                                    </td>
                                    <td data-label=tr!(
                                        locale, "destruction.left"
                                    )>
                                        {tr!(
                                            locale, &format!("destruction.left_{}", s.left_reason)
                                        )}
                                    </td>
                                    <td data-label=tr!(
                                        locale, "destruction.left_on"
                                    )>{s.left_on}</td>
                                    <td data-label=tr!(
                                        locale, "destruction.kept_as"
                                    )>{tr!(locale, &format!("retention.class_{}", s.kept_as))}</td>
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
pub fn DestructionsPage() -> impl IntoView {
    let locale = use_locale();
    let home = OnceResource::new(retention_home());
    let propose = ServerAction::<ProposeDestruction>::new();
    let error = Signal::derive(move || propose.value().get().and_then(Result::err));
    view! {
        <section class="card" aria-labelledby="destructions-title">
            <h1 id="destructions-title">{tr!(locale, "destruction.title")}</h1>
            {loaded(
                locale,
                home,
                move |home| {
                    view! {
                        <h2>{tr!(locale, "retention.classes")}</h2>
                        {classes_table(locale, home.classes, "data-classes")}
                        <p class="hint" data-testid="archive-hint">
                            {tr!(locale, "retention.archive_hint", days = home.archive_after_days)}
                        </p>
                        <p class="hint">
                            {tr!(locale, "destruction.rule", years = home.retention_years)}
                        </p>
                        <h2>{tr!(locale, "destruction.due", n = home.due_count)}</h2>
                        {(home.can_propose && home.due_count > 0)
                            .then(|| {
                                view! {
                                    <ActionForm
                                        action=propose
                                        attr:class="form"
                                        attr:data-testid="propose-form"
                                    >
                                        <label for="destruction-reason">
                                            {tr!(locale, "destruction.reason")}
                                        </label>
                                        <textarea
                                            id="destruction-reason"
                                            name="reason"
                                            required
                                            maxlength="500"
                                            rows="2"
                                        ></textarea>
                                        <FormErrors locale error />
                                        <button type="submit">
                                            {tr!(
                                                locale, "destruction.propose", n = home.due_count.min(home.batch_limit)
                                            )}
                                        </button>
                                    </ActionForm>
                                }
                            })}
                        {students_table(locale, home.due, "due-students")}
                        <h2>{tr!(locale, "destruction.batches")}</h2>
                        {if home.batches.is_empty() {
                            view! { <p>{tr!(locale, "destruction.no_batches")}</p> }.into_any()
                        } else {
                            view! {
                                <div class="table-scroll">
                                    <table class="accounts stack" data-testid="batches">
                                        <thead>
                                            <tr>
                                                <th scope="col">
                                                    {tr!(locale, "destruction.proposed_at")}
                                                </th>
                                                <th scope="col">{tr!(locale, "destruction.reference")}</th>
                                                <th scope="col">{tr!(locale, "destruction.count")}</th>
                                                <th scope="col">{tr!(locale, "destruction.state")}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {home
                                                .batches
                                                .into_iter()
                                                .map(|b| {
                                                    view! {
                                                        <tr>
                                                            <td data-label=tr!(locale, "destruction.proposed_at")>
                                                                <a href=format!(
                                                                    "/destructions/{}",
                                                                    b.id,
                                                                )>{b.proposed_at}</a>
                                                            </td>
                                                            <td data-label=tr!(
                                                                locale, "destruction.reference"
                                                            )>{b.reference.unwrap_or_else(|| "—".into())}</td>
                                                            <td data-label=tr!(
                                                                locale, "destruction.count"
                                                            )>{b.student_count}</td>
                                                            <td data-label=tr!(
                                                                locale, "destruction.state"
                                                            )>
                                                                {tr!(
                                                                    locale, &format!("destruction.state_{}", b.state.code())
                                                                )}
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
                        }}
                    }
                },
            )}
        </section>
    }
}

fn record(locale: Locale, b: BatchView) -> AnyView {
    let decide = ServerAction::<DecideDestruction>::new();
    let error = Signal::derive(move || decide.value().get().and_then(Result::err));
    view! {
        <p class="print-only">{tr!(locale, "destruction.record_heading")}</p>
        <dl class="record" data-testid="destruction-record">
            <dt>{tr!(locale, "destruction.reference")}</dt>
            <dd data-testid="destruction-reference">
                {b.reference.clone().unwrap_or_else(|| "—".into())}
            </dd>
            <dt>{tr!(locale, "destruction.state")}</dt>
            <dd>{tr!(locale, &format!("destruction.state_{}", b.state.code()))}</dd>
            <dt>{tr!(locale, "destruction.count")}</dt>
            <dd data-testid="destruction-count">{b.student_count}</dd>
            <dt>{tr!(locale, "destruction.proposer")}</dt>
            <dd>{b.proposer.clone()} " · " {b.proposed_at.clone()}</dd>
            <dt>{tr!(locale, "destruction.reason")}</dt>
            <dd>{b.reason.clone()}</dd>
            <dt>{tr!(locale, "destruction.decider")}</dt>
            <dd>
                {b.decider.clone().unwrap_or_else(|| "—".into())} " · "
                {b.decided_at.clone().unwrap_or_default()}
            </dd>
            {b
                .decision_comment
                .clone()
                .map(|c| {
                    view! {
                        <dt>{tr!(locale, "destruction.comment")}</dt>
                        <dd>{c}</dd>
                    }
                })}
        </dl>
        <FormErrors locale error />
        // Whom the batch erases, before anything else is decided: asked for and audited.
        {(b.can_decide && !b.names_shown)
            .then(|| {
                view! {
                    <p class="notice" data-testid="names-needed">
                        {tr!(locale, "destruction.names_needed")}
                        " "
                        <a href=format!("/destructions/{}?names=1", b.id) data-testid="show-names">
                            {tr!(locale, "destruction.show_names")}
                        </a>
                    </p>
                }
            })}
        {(b.can_decide && b.names_shown)
            .then(|| {
                view! {
                    <div class="review-actions no-print">
                        <p class="hint">{tr!(locale, "destruction.irreversible")}</p>
                        <p class="hint" data-testid="names-audited">
                            {tr!(locale, "destruction.names_audited")}
                        </p>
                        <DecideForm
                            locale
                            action=decide
                            id_field="batch_id"
                            id=b.id.clone()
                            words="destruction"
                            approval_erases=true
                            confirm=tr!(locale, "destruction.confirm_approve", n = b.student_count)
                        />
                    </div>
                }
            })}
        <h2>{tr!(locale, "destruction.allowed_by")}</h2>
        {classes_table(locale, b.allowed_by, "allowed-by")}
        <h2>{tr!(locale, "destruction.students")}</h2>
        {students_table(locale, b.students, "batch-students")}
        <History locale entries=b.history events="destruction.event_" />
        <p class="no-print">
            <a href="/destructions">{tr!(locale, "destruction.back")}</a>
        </p>
    }
    .into_any()
}

#[component]
pub fn DestructionPage() -> impl IntoView {
    let locale = use_locale();
    // `?names=1`: the deciding leader asked to see whom the batch erases (audited).
    let names = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("names").filter(|n| n == "1").unwrap_or_default());
    record_page(
        locale,
        "batch",
        ("destruction.record_title", "destruction-title"),
        move |id| destruction_page(id, names),
        move |b| record(locale, b),
    )
}
