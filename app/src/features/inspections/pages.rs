//! The inspection pages: when the next is due, the form with the checklist the portal computes
//! now, the records (printable), and the warning on every page of those who inspect when an
//! inspection is overdue. Plain posts that work without JavaScript.

use leptos::prelude::*;

use crate::{
    features::inspections::{
        functions::{RecordInspection, inspection_due, inspection_page, inspections_home},
        views::{Checklist, Holder, InspectionInput, InspectionView},
    },
    i18n::Locale,
    kit::{
        forms::{FieldProblem, kept},
        ui::{form_errors::FormErrors, loaded, use_locale},
        workflow::ui::record_page,
    },
    tr,
};

/// How many item rows the form offers.
const ITEM_ROWS: usize = 5;

fn holder(locale: Locale, h: &Holder) -> String {
    format!(
        "{} ({}) · {}",
        h.name,
        h.username,
        tr!(locale, &format!("role.{}", h.role))
    )
}

/// The computed checklist, as the form shows it now and the record kept it.
#[component]
pub fn ChecklistView(locale: Locale, c: Checklist) -> impl IntoView {
    let none = || tr!(locale, "inspection.none");
    let list = |items: Vec<String>| -> AnyView {
        if items.is_empty() {
            view! { {none()} }.into_any()
        } else {
            view! { <ul class="items">{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul> }.into_any()
        }
    };
    let privileged: Vec<String> = c.privileged.iter().map(|h| holder(locale, h)).collect();
    view! {
        <dl class="record" data-testid="checklist">
            <dt>{tr!(locale, "inspection.as_of")}</dt>
            <dd>{c.as_of.clone()}</dd>
            <dt>{tr!(locale, "inspection.dormant")}</dt>
            <dd data-testid="dormant">{list(c.dormant_accounts.clone())}</dd>
            <dt>{tr!(locale, "inspection.privileged")}</dt>
            <dd>{list(privileged)}</dd>
            <dt>{tr!(locale, "inspection.releases")}</dt>
            <dd data-testid="releases">{c.releases_in_period}</dd>
            <dt>{tr!(locale, "inspection.live")}</dt>
            <dd data-testid="live">{c.live_releases}</dd>
            <dt>{tr!(locale, "inspection.lapsed")}</dt>
            <dd>{c.lapsed_in_period}</dd>
            <dt>{tr!(locale, "inspection.unverified")}</dt>
            <dd data-testid="unverified">{c.unverified_over_30_days}</dd>
            <dt>{tr!(locale, "inspection.changes_overdue")}</dt>
            <dd data-testid="changes-overdue">{c.changes_overdue}</dd>
            <dt>{tr!(locale, "inspection.open_leaks")}</dt>
            <dd data-testid="open-leaks">{c.open_leak_reports}</dd>
            <dt>{tr!(locale, "inspection.waiting")}</dt>
            <dd>
                {tr!(
                    locale, "inspection.waiting_counts", drafts = c.drafts_waiting, imports = c.imports_waiting
                )}
            </dd>
            <dt>{tr!(locale, "inspection.audit")}</dt>
            <dd data-testid="audit-chain">
                {if c.audit_intact {
                    tr!(locale, "inspection.audit_intact", n = c.audit_entries)
                } else {
                    c.chain().said(locale)
                }}
                {c
                    .audit_head_mac
                    .clone()
                    .map(|mac| {
                        view! {
                            <br />
                            <code class="mac" data-testid="head-mac">
                                {mac}
                            </code>
                        }
                    })}
            </dd>
        </dl>
    }
}

fn record_form(locale: Locale, c: Checklist) -> AnyView {
    let own = crate::kit::ui::use_actor().map(|a| a.id);
    let action = ServerAction::<RecordInspection>::new();
    let typed: InspectionInput = kept::<RecordInspection, _>();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let retyped = !typed.period_from.is_empty();
    let from = if retyped {
        typed.period_from.clone()
    } else {
        c.period_from.clone()
    };
    let to = if retyped {
        typed.period_to.clone()
    } else {
        c.period_to.clone()
    };
    let holders = c.privileged.clone();
    view! {
        <ActionForm
            action
            attr:class="form"
            attr:novalidate="novalidate"
            attr:data-testid="inspection-form"
        >
            <label for="inspection-from">{tr!(locale, "inspection.period_from")}</label>
            <input
                id="inspection-from"
                name="inspection[period_from]"
                type="date"
                required
                value=from
            />
            <FieldProblem locale error field="period_from" id="inspection-from" />
            <label for="inspection-to">{tr!(locale, "inspection.period_to")}</label>
            <input id="inspection-to" name="inspection[period_to]" type="date" required value=to />
            <FieldProblem locale error field="period_to" id="inspection-to" />
            <label for="inspection-participants">{tr!(locale, "inspection.participants")}</label>
            <input
                id="inspection-participants"
                name="inspection[participants]"
                required
                maxlength="500"
                value=typed.participants.clone()
            />
            <FieldProblem locale error field="participants" id="inspection-participants" />
            <h3>{tr!(locale, "inspection.computed")}</h3>
            <ChecklistView locale c />
            <fieldset>
                <legend>{tr!(locale, "inspection.reconfirm")}</legend>
                <p class="hint">{tr!(locale, "inspection.reconfirm_hint")}</p>
                <FieldProblem locale error field="confirmed" id="inspection-confirmed" />
                {holders
                    .into_iter()
                    .map(|h| {
                        let value = format!("{}:{}", h.user_id, h.role);
                        let checked = retyped && typed.confirmed.contains(&value);
                        let id = format!("confirm-{}-{}", h.user_id, h.role);
                        let label_for = id.clone();
                        if own == Some(h.user_id) {
                            return // Re-confirming a holding is a decision: nothing comes ticked.
                            // The recorder's own holding is for someone else to re-confirm.
                            view! {
                                <p class="check" data-testid="own-holding">
                                    {holder(locale, &h)}
                                    " · "
                                    {tr!(locale, "inspection.confirm_by_another")}
                                </p>
                            }
                                .into_any();
                        }
                        view! {
                            <label class="check" for=label_for>
                                <input
                                    type="checkbox"
                                    id=id
                                    name="inspection[confirmed][]"
                                    value=value
                                    checked=checked
                                />
                                {holder(locale, &h)}
                            </label>
                        }
                            .into_any()
                    })
                    .collect_view()}
            </fieldset>
            <h3>{tr!(locale, "inspection.items")}</h3>
            {(0..ITEM_ROWS)
                .map(|n| {
                    let row = typed.items.get(n).cloned().unwrap_or_default();
                    let (item, finding, remedy) = (
                        format!("item-{n}"),
                        format!("finding-{n}"),
                        format!("remedy-{n}"),
                    );
                    view! {
                        <fieldset class="inspection-item">
                            <legend>{tr!(locale, "inspection.item_n", n = n + 1)}</legend>
                            <label for=item.clone()>{tr!(locale, "inspection.item")}</label>
                            <input
                                id=item
                                name=format!("inspection[items][{n}][item]")
                                maxlength="200"
                                value=row.item
                            />
                            <label for=finding.clone()>{tr!(locale, "inspection.finding")}</label>
                            <textarea
                                id=finding
                                name=format!("inspection[items][{n}][finding]")
                                maxlength="1000"
                                rows="2"
                            >
                                {crate::kit::ui::textarea_text(row.finding)}
                            </textarea>
                            <label for=remedy.clone()>{tr!(locale, "inspection.remedy")}</label>
                            <textarea
                                id=remedy
                                name=format!("inspection[items][{n}][remedy]")
                                maxlength="1000"
                                rows="2"
                            >
                                {crate::kit::ui::textarea_text(row.remedy)}
                            </textarea>
                        </fieldset>
                    }
                })
                .collect_view()}
            <FormErrors locale error />
            <button type="submit">{tr!(locale, "inspection.submit")}</button>
        </ActionForm>
    }
    .into_any()
}

#[component]
pub fn InspectionsPage() -> impl IntoView {
    let locale = use_locale();
    let home = OnceResource::new(inspections_home());
    view! {
        <section class="card" aria-labelledby="inspections-title">
            <h1 id="inspections-title">{tr!(locale, "inspection.title")}</h1>
            <p class="hint">{tr!(locale, "inspection.rule")}</p>
            {loaded(
                locale,
                home,
                move |home| {
                    view! {
                        <p
                            data-testid="inspection-due"
                            class=if home.due.overdue { "notice returned" } else { "notice" }
                        >
                            {tr!(
                                locale, if home.due.overdue { "inspection.overdue" } else { "inspection.due" }, date = home.due.due_on
                            )}
                        </p>
                        {(!home.unconfirmed.is_empty())
                            .then(|| {
                                view! {
                                    <h2>{tr!(locale, "inspection.unconfirmed")}</h2>
                                    <p class="hint">{tr!(locale, "inspection.unconfirmed_hint")}</p>
                                    <ul class="items" data-testid="unconfirmed">
                                        {home
                                            .unconfirmed
                                            .iter()
                                            .map(|h| view! { <li>{holder(locale, h)}</li> })
                                            .collect_view()}
                                    </ul>
                                }
                            })}
                        {home
                            .now
                            .filter(|_| home.can_record)
                            .map(|c| {
                                view! {
                                    <h2>{tr!(locale, "inspection.record")}</h2>
                                    {record_form(locale, c)}
                                }
                            })}
                        <h2>{tr!(locale, "inspection.records")}</h2>
                        {if home.inspections.is_empty() {
                            view! { <p>{tr!(locale, "inspection.no_records")}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="items" data-testid="inspections">
                                    {home
                                        .inspections
                                        .into_iter()
                                        .map(|i| {
                                            view! {
                                                <li>
                                                    <a href=format!("/inspections/{}", i.id)>{i.period}</a>
                                                    " · "
                                                    {i.recorded_by}
                                                    " · "
                                                    {i.recorded_at}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }}
                    }
                },
            )}
        </section>
    }
}

fn record(locale: Locale, i: InspectionView) -> AnyView {
    view! {
        <p class="print-only">{tr!(locale, "inspection.record_heading")}</p>
        <dl class="record" data-testid="inspection-record">
            <dt>{tr!(locale, "inspection.period")}</dt>
            <dd>{format!("{} — {}", i.period_from, i.period_to)}</dd>
            <dt>{tr!(locale, "inspection.participants")}</dt>
            <dd>{i.participants.clone()}</dd>
            <dt>{tr!(locale, "inspection.recorded_by")}</dt>
            <dd>{i.recorded_by.clone()} " · " {i.recorded_at.clone()}</dd>
        </dl>
        <h2>{tr!(locale, "inspection.computed")}</h2>
        <ChecklistView locale c=i.computed.clone() />
        <h2>{tr!(locale, "inspection.items")}</h2>
        <div class="table-scroll">
            <table class="accounts stack" data-testid="inspection-items">
                <thead>
                    <tr>
                        <th scope="col">{tr!(locale, "inspection.item")}</th>
                        <th scope="col">{tr!(locale, "inspection.finding")}</th>
                        <th scope="col">{tr!(locale, "inspection.remedy")}</th>
                    </tr>
                </thead>
                <tbody>
                    {i
                        .items
                        .iter()
                        .map(|r| {
                            view! {
                                <tr>
                                    <td data-label=tr!(
                                        locale, "inspection.item"
                                    )>{r.item.clone()}</td>
                                    <td
                                        data-label=tr!(locale, "inspection.finding")
                                        class="prewrap"
                                    >
                                        {r.finding.clone()}
                                    </td>
                                    <td data-label=tr!(locale, "inspection.remedy") class="prewrap">
                                        {r.remedy.clone()}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <h2>{tr!(locale, "inspection.unconfirmed")}</h2>
        {if i.unconfirmed.is_empty() {
            view! { <p>{tr!(locale, "inspection.none")}</p> }.into_any()
        } else {
            view! {
                <ul class="items">
                    {i
                        .unconfirmed
                        .iter()
                        .map(|h| view! { <li>{holder(locale, h)}</li> })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
        <p class="hint no-print">{tr!(locale, "inspection.print")}</p>
        <p class="no-print">
            <a href="/inspections">{tr!(locale, "inspection.back")}</a>
        </p>
    }
    .into_any()
}

#[component]
pub fn InspectionPage() -> impl IntoView {
    let locale = use_locale();
    record_page(
        locale,
        "inspection",
        ("inspection.record_title", "inspection-title"),
        inspection_page,
        move |i| record(locale, i),
    )
}

/// The warning on every page of leaders and records administrators while the semi-annual
/// inspection is overdue.
#[component]
pub fn InspectionOverdue() -> impl IntoView {
    let locale = use_locale();
    let due = OnceResource::new(inspection_due());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                due.await
                    .ok()
                    .filter(|d| d.overdue)
                    .map(|d| {
                        view! {
                            <p
                                class="notice returned"
                                role="status"
                                data-testid="inspection-overdue"
                            >
                                {tr!(locale, "inspection.overdue", date = d.due_on)}
                                " "
                                <a href="/inspections">{tr!(locale, "inspection.go")}</a>
                            </p>
                        }
                    })
            })}
        </Suspense>
    }
}
