//! The leak-report pages: reporting (from any page, by the footer's link), the list with the
//! dashboard's figures, one report with its timeline and the steps the viewer may take, and
//! the banner those who handle reports see until each report is acknowledged. Every form is
//! a plain post that works without JavaScript.

use leptos::prelude::*;

use crate::{
    features::leaks::{
        functions::{
            AcknowledgeLeak, CloseLeak, ConfirmFreeze, ContainLeak, FileLeak, RemedyLeak,
            UnfreezeLeak, leak_page, leaks_home, leaks_unacknowledged,
        },
        views::{LeakFigures, LeakInput, LeakState, LeakSummary, LeakView},
    },
    i18n::Locale,
    kit::{
        forms::{FieldProblem, kept, names},
        ui::{form_errors::FormErrors, use_locale},
        workflow::ui::{History, elapsed, home_page, record_page},
    },
    tr,
};

fn state_badge(locale: Locale, state: LeakState) -> impl IntoView + use<> {
    crate::kit::workflow::ui::state_badge(locale, "leak", state.code())
}

fn took(locale: Locale, minutes: Option<i64>) -> String {
    minutes.map_or_else(|| "—".into(), |m| elapsed(locale, m))
}

fn leak_table(locale: Locale, rows: Vec<LeakSummary>, testid: &'static str) -> AnyView {
    if rows.is_empty() {
        return view! { <p data-testid=testid>{tr!(locale, "leak.none")}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="accounts stack" data-testid=testid>
                <thead>
                    <tr>
                        <th scope="col">{tr!(locale, "leak.filed_at")}</th>
                        <th scope="col">{tr!(locale, "leak.reporter")}</th>
                        <th scope="col">{tr!(locale, "leak.state")}</th>
                        <th scope="col">{tr!(locale, "leak.time_to_acknowledge")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr data-leak=r.id.clone()>
                                    <td data-label=tr!(locale, "leak.filed_at")>
                                        <a href=format!("/leaks/{}", r.id)>{r.filed_at}</a>
                                    </td>
                                    <td data-label=tr!(locale, "leak.reporter")>{r.reporter}</td>
                                    <td data-label=tr!(
                                        locale, "leak.state"
                                    )>{state_badge(locale, r.state)}</td>
                                    <td data-label=tr!(
                                        locale, "leak.time_to_acknowledge"
                                    )>{took(locale, r.minutes_to_acknowledge)}</td>
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

/// The dashboard's figures on leak reports.
#[component]
pub fn LeakFiguresCard(locale: Locale, figures: LeakFigures) -> impl IntoView {
    view! {
        <dl class="figures" data-testid="leak-figures">
            <div>
                <dt>{tr!(locale, "leak.open")}</dt>
                <dd data-testid="leaks-open">{figures.open}</dd>
            </div>
            <div>
                <dt>{tr!(locale, "leak.unacknowledged")}</dt>
                <dd data-testid="leaks-unacknowledged">{figures.unacknowledged}</dd>
            </div>
            <div>
                <dt>{tr!(locale, "leak.median_acknowledge")}</dt>
                <dd data-testid="leaks-median">{took(locale, figures.median_minutes)}</dd>
            </div>
            <div>
                <dt>{tr!(locale, "leak.longest_acknowledge")}</dt>
                <dd>{took(locale, figures.longest_minutes)}</dd>
            </div>
        </dl>
    }
}

#[component]
pub fn LeaksPage() -> impl IntoView {
    let locale = use_locale();
    let home = OnceResource::new(leaks_home());
    home_page(
        locale,
        ("leak.title", "leaks-title"),
        "leak.rule",
        Some(("/leaks/new", "leak.report")),
        home,
        move |home| {
            view! {
                {home
                    .figures
                    .map(|figures| {
                        view! {
                            <h2>{tr!(locale, "leak.figures")}</h2>
                            <LeakFiguresCard locale figures />
                        }
                    })}
                {home
                    .all
                    .map(|rows| {
                        view! {
                            <h2>{tr!(locale, "leak.all")}</h2>
                            {leak_table(locale, rows, "leaks-all")}
                        }
                    })}
                <h2>{tr!(locale, "leak.mine")}</h2>
                {leak_table(locale, home.mine, "my-leaks")}
            }
        },
    )
}

/// The report form: what happened, when, how it was noticed, what it touches (by record),
/// what was already done. Short on purpose: a report is filed at once.
#[component]
pub fn NewLeakPage() -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<FileLeak>::new();
    let mut typed: LeakInput = kept::<FileLeak, _>();
    // Come from a student's page: the report is about them, named for the reporter who may
    // see them (the id alone is posted).
    let from = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("student").unwrap_or_default());
    if !from.is_empty() && typed.students.trim().is_empty() {
        typed.students = from.clone();
    }
    let subject = OnceResource::new(super::functions::leak_subject(from.clone()));
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let invalid =
        move |field: &'static str| move || names(error.get().as_ref(), field).then_some("true");
    let has_subjects =
        !(typed.students.is_empty() && typed.classes.is_empty() && typed.accounts.is_empty());
    view! {
        <section class="card" aria-labelledby="new-leak-title">
            <h1 id="new-leak-title">{tr!(locale, "leak.report")}</h1>
            <p class="hint">{tr!(locale, "leak.no_values")}</p>
            <p>
                <a href="/leaks">{tr!(locale, "leak.mine_link")}</a>
            </p>
            {(!from.is_empty())
                .then(|| {
                    view! {
                        <Suspense>
                            {move || Suspend::new(async move {
                                subject
                                    .await
                                    .ok()
                                    .map(|(name, class)| {
                                        view! {
                                            <p class="notice" data-testid="leak-subject">
                                                {tr!(
                                                    locale, "leak.about_student", name = name, class = crate::features::structure::pages::class_label(locale, &class)
                                                )}
                                            </p>
                                        }
                                    })
                            })}
                        </Suspense>
                    }
                })}
            <ActionForm action attr:class="form" attr:novalidate="novalidate">
                <label for="leak-what">{tr!(locale, "leak.what")}</label>
                <textarea
                    id="leak-what"
                    name="leak[what]"
                    required
                    maxlength="2000"
                    rows="4"
                    aria-describedby="leak-what-error"
                    aria-invalid=invalid("what")
                >
                    {crate::kit::ui::textarea_text(typed.what.clone())}
                </textarea>
                <FieldProblem locale error field="what" id="leak-what" />
                <label for="leak-happened">{tr!(locale, "leak.happened")}</label>
                <input
                    id="leak-happened"
                    name="leak[happened]"
                    required
                    maxlength="100"
                    value=typed.happened.clone()
                    aria-describedby="leak-happened-hint leak-happened-error"
                    aria-invalid=invalid("happened")
                />
                <p class="hint" id="leak-happened-hint">
                    {tr!(locale, "leak.happened_hint")}
                </p>
                <FieldProblem locale error field="happened" id="leak-happened" />
                <label for="leak-noticed">{tr!(locale, "leak.noticed")}</label>
                <textarea
                    id="leak-noticed"
                    name="leak[noticed]"
                    required
                    maxlength="2000"
                    rows="2"
                    aria-describedby="leak-noticed-error"
                    aria-invalid=invalid("noticed")
                >
                    {crate::kit::ui::textarea_text(typed.noticed.clone())}
                </textarea>
                <FieldProblem locale error field="noticed" id="leak-noticed" />
                <details class="leak-subjects" open=has_subjects>
                    <summary>{tr!(locale, "leak.subjects")}</summary>
                    <label for="leak-students">{tr!(locale, "leak.students")}</label>
                    <textarea
                        id="leak-students"
                        name="leak[students]"
                        rows="2"
                        maxlength="7000"
                        aria-describedby="leak-students-hint leak-students-error"
                        aria-invalid=invalid("students")
                    >
                        {crate::kit::ui::textarea_text(typed.students.clone())}
                    </textarea>
                    <p class="hint" id="leak-students-hint">
                        {tr!(locale, "leak.students_hint")}
                    </p>
                    <FieldProblem locale error field="students" id="leak-students" />
                    <label for="leak-classes">{tr!(locale, "leak.classes")}</label>
                    <input
                        id="leak-classes"
                        name="leak[classes]"
                        maxlength="7000"
                        value=typed.classes.clone()
                        aria-describedby="leak-classes-hint leak-classes-error"
                        aria-invalid=invalid("classes")
                    />
                    <p class="hint" id="leak-classes-hint">
                        {tr!(locale, "leak.classes_hint")}
                    </p>
                    <FieldProblem locale error field="classes" id="leak-classes" />
                    <label for="leak-accounts">{tr!(locale, "leak.accounts")}</label>
                    <input
                        id="leak-accounts"
                        name="leak[accounts]"
                        maxlength="7000"
                        autocomplete="off"
                        value=typed.accounts.clone()
                        aria-describedby="leak-accounts-hint leak-accounts-error"
                        aria-invalid=invalid("accounts")
                    />
                    <p class="hint" id="leak-accounts-hint">
                        {tr!(locale, "leak.accounts_hint")}
                    </p>
                    <FieldProblem locale error field="accounts" id="leak-accounts" />
                </details>
                <label for="leak-remedies">{tr!(locale, "leak.remedies")}</label>
                <textarea
                    id="leak-remedies"
                    name="leak[remedies]"
                    maxlength="2000"
                    rows="2"
                    aria-describedby="leak-remedies-error"
                    aria-invalid=invalid("remedies")
                >
                    {crate::kit::ui::textarea_text(typed.remedies.clone())}
                </textarea>
                <FieldProblem locale error field="remedies" id="leak-remedies" />
                <FormErrors locale error />
                <button type="submit">{tr!(locale, "leak.submit")}</button>
            </ActionForm>
        </section>
    }
}

fn record(locale: Locale, l: LeakView) -> AnyView {
    let acknowledge = ServerAction::<AcknowledgeLeak>::new();
    let contain = ServerAction::<ContainLeak>::new();
    let unfreeze = ServerAction::<UnfreezeLeak>::new();
    let confirm = ServerAction::<ConfirmFreeze>::new();
    let remedy = ServerAction::<RemedyLeak>::new();
    let close = ServerAction::<CloseLeak>::new();
    let error = Signal::derive(move || {
        [
            acknowledge.value().get().and_then(Result::err),
            contain.value().get().and_then(Result::err),
            unfreeze.value().get().and_then(Result::err),
            confirm.value().get().and_then(Result::err),
            remedy.value().get().and_then(Result::err),
            close.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    });
    let id = l.id.clone();
    let none = || "—".to_string();
    let grade = move |g: i64| tr!(locale, &format!("grade.{g}"));
    let accounts = l.accounts.clone();
    let confirm_id = id.clone();
    let confirm_section = l
        .accounts
        .clone()
        .into_iter()
        .filter(|a| a.may_confirm)
        .map(|a| {
            let id = confirm_id.clone();
            view! {
                <ActionForm action=confirm attr:class="inline" attr:data-testid="confirm-freeze">
                    <input type="hidden" name="leak_id" value=id />
                    <input type="hidden" name="account" value=a.username.clone() />
                    <button type="submit">
                        {format!(
                            "{}：{} ({})",
                            tr!(locale, "leak.confirm_freeze"),
                            a.name,
                            a.username,
                        )}
                    </button>
                </ActionForm>
            }
        })
        .collect_view();
    let (live_all, live_named) = (l.live_releases, l.live_releases_named);
    let contain_id = id.clone();
    let contain_section = l.can_contain.then(move || {
        let id = contain_id;
        let boxes = if accounts.iter().all(|a| a.frozen || a.freeze_pending) {
            view! { <p>{tr!(locale, "leak.freeze_none")}</p> }.into_any()
        } else {
            accounts
                .clone()
                .into_iter()
                .filter(|a| !a.frozen && !a.freeze_pending)
                .map(|a| {
                    let box_id = format!("freeze-{}", a.username);
                    let label_for = box_id.clone();
                    view! {
                        <label class="check" for=label_for>
                            <input
                                type="checkbox"
                                id=box_id
                                name="freeze[]"
                                value=a.username.clone()
                                checked=true
                            />
                            {format!("{} ({})", a.name, a.username)}
                        </label>
                    }
                })
                .collect_view()
                .into_any()
        };
        let unfreezes = accounts
            .into_iter()
            .filter(|a| a.frozen || a.freeze_pending)
            .map(|a| {
                let id = id.clone();
                view! {
                    <ActionForm action=unfreeze attr:class="inline">
                        <input type="hidden" name="leak_id" value=id />
                        <input type="hidden" name="account" value=a.username.clone() />
                        <button type="submit" class="secondary">
                            {tr!(locale, "leak.unfreeze", name = a.name)}
                        </button>
                    </ActionForm>
                }
            })
            .collect_view();
        view! {
            <section class="contain no-print" aria-labelledby="contain-title">
                <h2 id="contain-title">{tr!(locale, "leak.contain")}</h2>
                <p class="hint">{tr!(locale, "leak.contain_hint")}</p>
                <ActionForm action=contain attr:class="form">
                    <input type="hidden" name="leak_id" value=id />
                    <fieldset>
                        <legend>{tr!(locale, "leak.freeze")}</legend>
                        {boxes}
                    </fieldset>
                    <fieldset>
                        <legend>{tr!(locale, "leak.revoke")}</legend>
                        <label class="check">
                            <input type="radio" name="revoke" value="named" checked=true />
                            {tr!(locale, "leak.revoke_named", n = live_named)}
                        </label>
                        <label class="check">
                            <input type="radio" name="revoke" value="all" />
                            {tr!(locale, "leak.revoke_all", n = live_all)}
                        </label>
                        <label class="check">
                            <input type="radio" name="revoke" value="none" />
                            {tr!(locale, "leak.revoke_none")}
                        </label>
                    </fieldset>
                    <button type="submit" class="danger">
                        {tr!(locale, "leak.contain_submit")}
                    </button>
                </ActionForm>
                {unfreezes}
            </section>
        }
    });
    view! {
        <p class="print-only">{tr!(locale, "leak.record_heading")}</p>
        <p>{state_badge(locale, l.state)}</p>
        <dl class="record" data-testid="leak-record">
            <dt>{tr!(locale, "leak.reporter")}</dt>
            <dd>{l.reporter.clone()}</dd>
            <dt>{tr!(locale, "leak.filed_at")}</dt>
            <dd>{l.filed_at.clone()}</dd>
            <dt>{tr!(locale, "leak.what")}</dt>
            <dd class="prewrap">{l.what.clone()}</dd>
            <dt>{tr!(locale, "leak.happened")}</dt>
            <dd>{l.happened.clone()}</dd>
            <dt>{tr!(locale, "leak.noticed")}</dt>
            <dd class="prewrap">{l.noticed.clone()}</dd>
            <dt>{tr!(locale, "leak.remedies")}</dt>
            <dd class="prewrap">
                {if l.remedies.is_empty() { none() } else { l.remedies.clone() }}
            </dd>
            <dt>{tr!(locale, "leak.students")}</dt>
            <dd data-testid="leak-students">
                {if l.students.is_empty() {
                    view! { {none()} }.into_any()
                } else {
                    view! {
                        <ul class="items">
                            {l
                                .students
                                .iter()
                                .map(|s| {
                                    view! {
                                        <li>
                                            <a href=format!("/records/students/{s}")>{s.clone()}</a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </dd>
            <dt>{tr!(locale, "leak.classes")}</dt>
            <dd>
                {if l.classes.is_empty() {
                    none()
                } else {
                    l.classes
                        .iter()
                        .map(|(year, g, name)| format!("{year} {} {name}", grade(*g)))
                        .collect::<Vec<_>>()
                        .join("、")
                }}
            </dd>
            <dt>{tr!(locale, "leak.accounts")}</dt>
            <dd data-testid="leak-accounts">
                {if l.accounts.is_empty() {
                    view! { {none()} }.into_any()
                } else {
                    view! {
                        <ul class="items">
                            {l
                                .accounts
                                .iter()
                                .map(|a| {
                                    view! {
                                        <li>
                                            {if a.name.is_empty() {
                                                a.username.clone()
                                            } else {
                                                format!("{} ({})", a.name, a.username)
                                            }}
                                            {a
                                                .frozen
                                                .then(|| {
                                                    view! {
                                                        " "
                                                        <span class="status leak-frozen">
                                                            {tr!(locale, "leak.frozen")}
                                                        </span>
                                                    }
                                                })}
                                            {a
                                                .freeze_pending
                                                .then(|| {
                                                    view! {
                                                        " "
                                                        <span class="status">
                                                            {tr!(locale, "leak.freeze_pending")}
                                                        </span>
                                                    }
                                                })}
                                            {(a.disabled && !a.frozen)
                                                .then(|| {
                                                    view! {
                                                        " "
                                                        <span class="status">{tr!(locale, "leak.disabled")}</span>
                                                    }
                                                })}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </dd>
            {(!l.unresolved_students.is_empty() || !l.unresolved_accounts.is_empty())
                .then(|| {
                    view! {
                        <dt>{tr!(locale, "leak.unresolved")}</dt>
                        <dd data-testid="leak-unresolved">
                            <ul class="items">
                                {l
                                    .unresolved_students
                                    .iter()
                                    .map(|s| {
                                        view! {
                                            <li>
                                                {tr!(locale, "leak.unresolved_student", id = s.clone())}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                                {l
                                    .unresolved_accounts
                                    .iter()
                                    .map(|a| {
                                        view! {
                                            <li>
                                                {tr!(
                                                    locale, "leak.unresolved_account", username = a.clone()
                                                )}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </dd>
                    }
                })}
            <dt>{tr!(locale, "leak.acknowledged")}</dt>
            <dd data-testid="leak-acknowledged">
                {match (&l.acknowledged_by, &l.acknowledged_at) {
                    (Some(by), Some(at)) => {
                        tr!(
                            locale, "leak.acknowledged_by", by = by, at = at, took = took(locale, l.minutes_to_acknowledge)
                        )
                    }
                    _ => tr!(locale, "leak.not_acknowledged"),
                }}
            </dd>
            {l
                .conclusion
                .clone()
                .map(|c| {
                    view! {
                        <dt>{tr!(locale, "leak.conclusion")}</dt>
                        <dd class="prewrap" data-testid="leak-conclusion">
                            {c}
                            " · "
                            {l.closed_by.clone().unwrap_or_default()}
                            " · "
                            {l.closed_at.clone().unwrap_or_default()}
                        </dd>
                    }
                })}
        </dl>
        <FormErrors locale error />
        {l
            .can_acknowledge
            .then(|| {
                let id = id.clone();
                view! {
                    <ActionForm action=acknowledge attr:class="inline no-print">
                        <input type="hidden" name="leak_id" value=id />
                        <button type="submit">{tr!(locale, "leak.acknowledge")}</button>
                    </ActionForm>
                }
            })}
        {confirm_section}
        {contain_section}
        {l
            .can_remedy
            .then(|| {
                let id = id.clone();
                view! {
                    <details class="no-print">
                        <summary>{tr!(locale, "leak.add_remedy")}</summary>
                        <ActionForm action=remedy attr:class="form">
                            <input type="hidden" name="leak_id" value=id />
                            <label for="leak-remedy">{tr!(locale, "leak.remedy")}</label>
                            <textarea
                                id="leak-remedy"
                                name="remedy"
                                required
                                maxlength="2000"
                                rows="2"
                            ></textarea>
                            <button type="submit">{tr!(locale, "leak.remedy_submit")}</button>
                        </ActionForm>
                    </details>
                }
            })}
        {l
            .can_close
            .then(|| {
                let id = id.clone();
                view! {
                    <details class="no-print">
                        <summary>{tr!(locale, "leak.close")}</summary>
                        <ActionForm action=close attr:class="form">
                            <input type="hidden" name="leak_id" value=id />
                            <label for="leak-conclusion">{tr!(locale, "leak.conclusion")}</label>
                            <textarea
                                id="leak-conclusion"
                                name="conclusion"
                                required
                                maxlength="2000"
                                rows="3"
                                aria-describedby="leak-conclusion-error"
                            ></textarea>
                            <FieldProblem locale error field="conclusion" id="leak-conclusion" />
                            <button type="submit">{tr!(locale, "leak.close_submit")}</button>
                        </ActionForm>
                    </details>
                }
            })}
        <History locale entries=l.history events="leak.event_" />
        <p class="no-print">
            <a href="/leaks">{tr!(locale, "leak.back")}</a>
        </p>
    }
    .into_any()
}

#[component]
pub fn LeakPage() -> impl IntoView {
    let locale = use_locale();
    record_page(
        locale,
        "leak",
        ("leak.record_title", "leak-title"),
        leak_page,
        move |l| record(locale, l),
    )
}

/// The banner on every page of those who handle leak reports, while a report waits for
/// acknowledgement.
#[component]
pub fn LeakBanner() -> impl IntoView {
    let locale = use_locale();
    let count = OnceResource::new(leaks_unacknowledged());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let n = count.await.unwrap_or_default();
                (n > 0)
                    .then(|| {
                        view! {
                            <div class="leak-banner" role="alert" data-testid="leak-banner">
                                <strong>{tr!(locale, "leak.banner", n = n)}</strong>
                                " "
                                <a href="/leaks">{tr!(locale, "leak.banner_link")}</a>
                            </div>
                        }
                    })
            })}
        </Suspense>
    }
}
