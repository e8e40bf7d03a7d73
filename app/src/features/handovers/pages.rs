//! The handover pages: applying, one's own and those to decide, and the printable handover
//! record (移交记录) of one. Every form is a plain post that works without JavaScript.

use leptos::prelude::*;

use crate::{
    domain::Role,
    features::handovers::{
        functions::{
            ApplyHandover, DecideHandover, WithdrawHandover, handover_page, handovers_home,
        },
        views::{HandoverInput, HandoverState, HandoverSummary, HandoverView},
    },
    i18n::Locale,
    kit::{
        forms::{FieldProblem, kept, names},
        ui::{form_errors::FormErrors, use_locale},
        workflow::ui::{DecideForm, History, WithdrawForm, home_page, queue_sections, record_page},
    },
    tr,
};

fn state_badge(locale: Locale, state: HandoverState) -> impl IntoView + use<> {
    crate::kit::workflow::ui::state_badge(locale, "handover", state.code())
}

fn handover_table(locale: Locale, rows: Vec<HandoverSummary>, testid: &'static str) -> AnyView {
    if rows.is_empty() {
        return view! { <p data-testid=testid>{tr!(locale, "handover.none")}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="accounts stack" data-testid=testid>
                <thead>
                    <tr>
                        <th scope="col">{tr!(locale, "handover.role")}</th>
                        <th scope="col">{tr!(locale, "handover.outgoing")}</th>
                        <th scope="col">{tr!(locale, "handover.successor")}</th>
                        <th scope="col">{tr!(locale, "handover.hand_over_on")}</th>
                        <th scope="col">{tr!(locale, "handover.state")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr data-handover=r.id.clone()>
                                    <td data-label=tr!(locale, "handover.role")>
                                        <a href=format!(
                                            "/handovers/{}",
                                            r.id,
                                        )>{tr!(locale, r.role.label_key())}</a>
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
                                        locale, "handover.outgoing"
                                    )>{r.outgoing}</td>
                                    <td data-label=tr!(
                                        locale, "handover.successor"
                                    )>{r.successor}</td>
                                    <td data-label=tr!(
                                        locale, "handover.hand_over_on"
                                    )>{r.hand_over_on}</td>
                                    <td data-label=tr!(
                                        locale, "handover.state"
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

/// The application: a role one holds, the successor's username, why, and when.
fn apply_form(
    locale: Locale,
    roles: Vec<Role>,
    successors: Vec<(String, String)>,
    action: ServerAction<ApplyHandover>,
) -> AnyView {
    let typed: HandoverInput = kept::<ApplyHandover, _>();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let invalid =
        move |field: &'static str| move || names(error.get().as_ref(), field).then_some("true");
    view! {
        <ActionForm action attr:class="form" attr:novalidate="novalidate">
            <label for="handover-role">{tr!(locale, "handover.role")}</label>
            <select
                id="handover-role"
                name="handover[role]"
                aria-describedby="handover-role-error"
                aria-invalid=invalid("role")
            >
                {roles
                    .into_iter()
                    .map(|r| {
                        view! {
                            <option value=r.code() selected=typed.role == r.code()>
                                {tr!(locale, r.label_key())}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldProblem locale error field="role" id="handover-role" />
            <label for="handover-successor">{tr!(locale, "handover.successor_username")}</label>
            <input
                id="handover-successor"
                name="handover[successor]"
                required
                maxlength="64"
                autocomplete="off"
                list="handover-successors"
                value=typed.successor.clone()
                aria-describedby="handover-successor-hint handover-successor-error"
                aria-invalid=invalid("successor")
            />
            // The accounts it may go to, as the field's suggestions (by name and username):
            // no script needed, and the username is what is posted.
            <datalist id="handover-successors" data-testid="handover-successors">
                {successors
                    .into_iter()
                    .map(|(username, name)| {
                        view! {
                            <option value=username.clone() label=format!("{name} ({username})")>
                                {format!("{name} ({username})")}
                            </option>
                        }
                    })
                    .collect_view()}
            </datalist>
            <p class="hint" id="handover-successor-hint">
                {tr!(locale, "handover.successor_hint")}
            </p>
            <FieldProblem locale error field="successor" id="handover-successor" />
            <label for="handover-reason">{tr!(locale, "handover.reason")}</label>
            <textarea
                id="handover-reason"
                name="handover[reason]"
                required
                maxlength="500"
                rows="3"
                aria-describedby="handover-reason-error"
                aria-invalid=invalid("reason")
            >
                {crate::kit::ui::textarea_text(typed.reason.clone())}
            </textarea>
            <FieldProblem locale error field="reason" id="handover-reason" />
            <label for="handover-date">{tr!(locale, "handover.hand_over_on")}</label>
            <input
                id="handover-date"
                name="handover[hand_over_on]"
                type="date"
                required
                value=typed.hand_over_on.clone()
                aria-describedby="handover-date-error"
                aria-invalid=invalid("hand_over_on")
            />
            <FieldProblem locale error field="hand_over_on" id="handover-date" />
            <p class="hint" id="handover-date-hint">
                {tr!(locale, "handover.hand_over_on_hint")}
            </p>
            <FormErrors locale error />
            <button type="submit">{tr!(locale, "handover.apply_submit")}</button>
        </ActionForm>
    }
    .into_any()
}

#[component]
pub fn HandoversPage() -> impl IntoView {
    let locale = use_locale();
    let home = OnceResource::new(handovers_home());
    let apply = ServerAction::<ApplyHandover>::new();
    home_page(
        locale,
        ("handover.title", "handovers-title"),
        "handover.rule",
        None,
        home,
        move |home| {
            let apply = if home.roles.is_empty() {
                view! {
                    <h2>{tr!(locale, "handover.apply")}</h2>
                    <p>{tr!(locale, "handover.no_roles")}</p>
                }
                .into_any()
            } else {
                view! {
                    <h2>{tr!(locale, "handover.apply")}</h2>
                    {apply_form(locale, home.roles, home.successors, apply)}
                }
                .into_any()
            };
            queue_sections(
                locale,
                "handover",
                home.queues,
                apply,
                ["handovers-to-decide", "my-handovers", "handovers-decided"],
                handover_table,
            )
        },
    )
}

fn record(locale: Locale, h: HandoverView) -> AnyView {
    let decide = ServerAction::<DecideHandover>::new();
    let withdraw = ServerAction::<WithdrawHandover>::new();
    let error = Signal::derive(move || {
        decide
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| withdraw.value().get().and_then(Result::err))
    });
    let role = tr!(locale, h.role.label_key());
    let withdraw_id = h.id.clone();
    let in_flight = match (&h.in_flight_state, h.in_flight.len()) {
        (None, _) => tr!(locale, "handover.in_flight_none"),
        (Some(state), n) => tr!(locale, &format!("handover.in_flight_{state}"), n = n),
    };
    view! {
        <p class="print-only">{tr!(locale, "handover.record_heading")}</p>
        <p>{state_badge(locale, h.state)}</p>
        <dl class="record" data-testid="handover-record">
            <dt>{tr!(locale, "handover.role")}</dt>
            <dd>{role}</dd>
            <dt>{tr!(locale, "handover.outgoing")}</dt>
            <dd>{h.outgoing.clone()}</dd>
            <dt>{tr!(locale, "handover.successor")}</dt>
            <dd>{h.successor.clone()}</dd>
            <dt>{tr!(locale, "handover.reason")}</dt>
            <dd>{h.reason.clone()}</dd>
            <dt>{tr!(locale, "handover.hand_over_on")}</dt>
            <dd>{h.hand_over_on.clone()}</dd>
            <dt>{tr!(locale, "handover.applied_at")}</dt>
            <dd>{h.applied_at.clone()}</dd>
            <dt>{tr!(locale, "handover.decider")}</dt>
            <dd>{h.decider.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{tr!(locale, "handover.decided_at")}</dt>
            <dd>{h.decided_at.clone().unwrap_or_else(|| "—".into())}</dd>
            {h
                .decision_comment
                .clone()
                .map(|c| {
                    view! {
                        <dt>{tr!(locale, "handover.comment")}</dt>
                        <dd>{c}</dd>
                    }
                })}
            <dt>{tr!(locale, "handover.in_flight")}</dt>
            <dd data-testid="in-flight">
                {in_flight}
                {(!h.in_flight.is_empty())
                    .then(|| {
                        view! {
                            <ul class="items">
                                {h
                                    .in_flight
                                    .iter()
                                    .map(|id| {
                                        view! {
                                            <li>
                                                <a href=format!("/requests/{id}")>{id.clone()}</a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })}
            </dd>
        </dl>
        <p class="hint">{tr!(locale, "handover.no_credential")}</p>
        <FormErrors locale error />
        {h
            .can_decide
            .then(|| {
                view! {
                    <div class="review-actions no-print">
                        {h
                            .leaders_decide
                            .then(|| {
                                view! {
                                    <p class="hint">{tr!(locale, "handover.leaders_decide")}</p>
                                }
                            })}
                        <DecideForm
                            locale
                            action=decide
                            id_field="handover_id"
                            id=h.id.clone()
                            words="handover"
                            confirm=tr!(locale, "handover.confirm_approve")
                        />
                    </div>
                }
            })}
        {h
            .can_withdraw
            .then(|| {
                view! {
                    <WithdrawForm
                        locale
                        action=withdraw
                        id_field="handover_id"
                        id=withdraw_id
                        label="handover.withdraw"
                    />
                }
            })}
        <History locale entries=h.history events="handover.event_" />
        <p class="hint no-print">{tr!(locale, "handover.print")}</p>
        <p class="no-print">
            <a href="/handovers">{tr!(locale, "handover.back")}</a>
        </p>
    }
    .into_any()
}

#[component]
pub fn HandoverPage() -> impl IntoView {
    let locale = use_locale();
    record_page(
        locale,
        "handover",
        ("handover.record_title", "handover-title"),
        handover_page,
        move |h| record(locale, h),
    )
}
