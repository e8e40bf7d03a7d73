//! The audit viewer page. Its filters are ids and dates only, so they may sit in the URL.
//! Actions are named in words, people by name, students by name for those who may see
//! students' names (by record id for the others); printed, the page is an extract that says
//! what it was filtered by, who printed it and when.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    features::audit::functions::audit_trail,
    features::audit::views::AuditEntryView,
    i18n::Locale,
    kit::{
        audit_names::label_key,
        ui::{field_label, page_error::PageError, use_locale},
    },
    tr,
};

/// An action's name in `locale`.
pub fn action_label(locale: Locale, code: &str) -> String {
    tr!(locale, &label_key(code))
}

/// What an entry is about: a student (by name, or by record id), a person, or a thing.
fn object_view(locale: Locale, e: &AuditEntryView) -> AnyView {
    match &e.student {
        Some((id, Some(name))) => {
            view! { <a href=format!("/records/students/{id}")>{name.clone()}</a> }.into_any()
        }
        Some((id, None)) => {
            let short: String = id.chars().take(8).collect();
            tr!(locale, "audit.student_record", id = short).into_any()
        }
        None => match &e.thing {
            Some((kind, number, public)) => {
                let words = tr!(locale, &format!("audit.kind.{kind}"), n = number.clone());
                match (page_of(kind), public) {
                    (Some(page), Some(id)) => {
                        view! { <a href=format!("{page}/{id}")>{words}</a> }.into_any()
                    }
                    _ => words.into_any(),
                }
            }
            None => e.object.clone().unwrap_or_else(|| "—".into()).into_any(),
        },
    }
}

/// Where a kind of thing has its page.
fn page_of(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "info_request" => "/requests",
        "destruction" => "/destructions",
        "leak_report" => "/leaks",
        "role_handover" => "/handovers",
        "publication_review" => "/publications",
        "inspection" => "/inspections",
        "class" => "/records/classes",
        _ => return None,
    })
}

/// An entry's reason in words: the purpose of a request and the approval it rests on
/// (`purpose:home_contact;approval:12`), the leak report that contained an account
/// (`leak_report:<id>`); anything else as written.
fn reason_view(locale: Locale, reason: &str) -> AnyView {
    let parts: Vec<(&str, &str)> = reason
        .split(';')
        .filter_map(|p| p.split_once(':'))
        .collect();
    let known = !parts.is_empty()
        && parts.iter().all(|(k, v)| match *k {
            "purpose" => crate::domain::requests::Purpose::parse(v).is_some(),
            "approval" => v.bytes().all(|b| b.is_ascii_digit()),
            "leak_report" => v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()),
            _ => false,
        });
    if !known {
        return reason.to_owned().into_any();
    }
    let separator = tr!(locale, "list.separator");
    parts
        .into_iter()
        .enumerate()
        .map(|(i, (k, v))| {
            let said = match k {
                "purpose" => tr!(
                    locale,
                    "audit.reason_purpose",
                    purpose = crate::domain::requests::Purpose::parse(v)
                        .map(|p| tr!(locale, p.label_key()))
                        .unwrap_or_default()
                )
                .into_any(),
                "approval" => tr!(locale, "audit.reason_approval", n = v).into_any(),
                _ => view! { <a href=format!("/leaks/{v}")>{tr!(locale, "audit.reason_leak")}</a> }
                    .into_any(),
            };
            view! {
                {(i > 0).then(|| separator.clone())}
                {said}
            }
            .into_any()
        })
        .collect_view()
        .into_any()
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let (actor, action, object, student, from, until, before) = query.with_untracked(|q| {
        let text = |k: &str| q.get(k).filter(|v| !v.is_empty());
        let id = |k: &str| text(k).and_then(|v| v.parse::<i64>().ok());
        (
            id("actor"),
            text("action"),
            id("object"),
            text("student"),
            text("from"),
            text("until"),
            id("before"),
        )
    });
    let selected_actor = actor;
    let selected_action = action.clone();
    let selected_student = student.clone().unwrap_or_default();
    let (from_value, until_value) = (
        from.clone().unwrap_or_default(),
        until.clone().unwrap_or_default(),
    );
    let trail = OnceResource::new(audit_trail(
        actor, action, object, student, from, until, before,
    ));
    view! {
        <section class="card" aria-labelledby="audit-title">
            <h1 id="audit-title">{tr!(locale, "audit.title")}</h1>
            <Suspense>
                {move || {
                    let selected_action = selected_action.clone();
                    let selected_student = selected_student.clone();
                    let (from_value, until_value) = (from_value.clone(), until_value.clone());
                    Suspend::new(async move {
                        match trail.await {
                            Err(e) => view! { <PageError locale error=e /> }.into_any(),
                            Ok(view) => {
                                let chain = view.chain.said(locale);
                                let mut said = Vec::new();
                                if let Some(a) = selected_actor
                                    && let Some(p) = view.people.iter().find(|p| p.id == a)
                                {
                                    said.push(
                                        format!("{}：{}", tr!(locale, "audit.person"), p.name),
                                    );
                                }
                                if let Some(a) = &selected_action {
                                    said.push(
                                        format!(
                                            "{}：{}",
                                            tr!(locale, "audit.action"),
                                            action_label(locale, a),
                                        ),
                                    );
                                }
                                if !selected_student.is_empty() {
                                    said.push(
                                        format!(
                                            "{}：{}",
                                            tr!(locale, "audit.student"),
                                            selected_student,
                                        ),
                                    );
                                }
                                if !from_value.is_empty() || !until_value.is_empty() {
                                    said.push(format!("{} – {}", from_value, until_value));
                                }
                                let filters = if said.is_empty() {
                                    tr!(locale, "audit.no_filter")
                                } else {
                                    said.join(" · ")
                                };
                                let next = view
                                    .next_before
                                    .map(|before| {
                                        let mut params = Vec::new();
                                        if let Some(a) = selected_actor {
                                            params.push(format!("actor={a}"));
                                        }
                                        if let Some(a) = &selected_action {
                                            params.push(format!("action={a}"));
                                        }
                                        if !selected_student.is_empty() {
                                            params.push(format!("student={selected_student}"));
                                        }
                                        if !from_value.is_empty() {
                                            params.push(format!("from={from_value}"));
                                        }
                                        if !until_value.is_empty() {
                                            params.push(format!("until={until_value}"));
                                        }
                                        params.push(format!("before={before}"));
                                        format!("/audit?{}", params.join("&"))
                                    });
                                // The filters in words, for the printed extract's heading.
                                view! {
                                    <p class="print-only" data-testid="extract">
                                        {tr!(
                                            locale, "audit.extract", filters = filters, who = view.viewer.clone(), at = view.read_at.clone()
                                        )}
                                    </p>
                                    <p
                                        class=if view.chain.intact {
                                            "notice"
                                        } else {
                                            "form-error"
                                        }
                                        role="status"
                                        data-testid="chain"
                                    >
                                        {chain}
                                    </p>
                                    <form method="get" action="/audit" class="form filters">
                                        <label for="filter-actor">
                                            {tr!(locale, "audit.person")}
                                        </label>
                                        <select id="filter-actor" name="actor">
                                            <option value="">{tr!(locale, "audit.anyone")}</option>
                                            {view
                                                .people
                                                .into_iter()
                                                .map(|p| {
                                                    view! {
                                                        <option
                                                            value=p.id.to_string()
                                                            selected=selected_actor == Some(p.id)
                                                        >
                                                            {p.name}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                        <label for="filter-action">
                                            {tr!(locale, "audit.action")}
                                        </label>
                                        <select id="filter-action" name="action">
                                            <option value="">{tr!(locale, "audit.any_action")}</option>
                                            {view
                                                .actions
                                                .into_iter()
                                                .map(|a| {
                                                    let selected = selected_action.as_deref()
                                                        == Some(a.as_str());
                                                    let label = action_label(locale, &a);
                                                    view! {
                                                        <option value=a selected=selected>
                                                            {label}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                        <label for="filter-student">
                                            {tr!(locale, "audit.student")}
                                        </label>
                                        <input
                                            id="filter-student"
                                            name="student"
                                            maxlength="64"
                                            autocomplete="off"
                                            spellcheck="false"
                                            value=selected_student.clone()
                                            aria-describedby="filter-student-hint"
                                        />
                                        <p class="hint" id="filter-student-hint">
                                            {tr!(locale, "audit.student_hint")}
                                        </p>
                                        <label for="filter-from">{tr!(locale, "audit.from")}</label>
                                        <input
                                            id="filter-from"
                                            name="from"
                                            type="date"
                                            value=from_value.clone()
                                        />
                                        <label for="filter-until">
                                            {tr!(locale, "audit.until")}
                                        </label>
                                        <input
                                            id="filter-until"
                                            name="until"
                                            type="date"
                                            value=until_value.clone()
                                        />
                                        <button type="submit">{tr!(locale, "audit.filter")}</button>
                                    </form>
                                    <p class="hint no-print">{tr!(locale, "audit.print")}</p>
                                    <div class="table-scroll">
                                        <table class="accounts stack" data-testid="audit-entries">
                                            <thead>
                                                <tr>
                                                    <th scope="col">"#"</th>
                                                    <th scope="col">{tr!(locale, "audit.when")}</th>
                                                    <th scope="col">{tr!(locale, "audit.person")}</th>
                                                    <th scope="col">{tr!(locale, "audit.action")}</th>
                                                    <th scope="col">{tr!(locale, "audit.object")}</th>
                                                    <th scope="col">{tr!(locale, "audit.reason")}</th>
                                                    <th scope="col">{tr!(locale, "audit.outcome")}</th>
                                                    <th scope="col">{tr!(locale, "audit.client")}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {view
                                                    .entries
                                                    .into_iter()
                                                    .map(|e| {
                                                        let object = object_view(locale, &e);
                                                        view! {
                                                            <tr data-action=e.action.clone()>
                                                                <td data-label="#">{e.seq}</td>
                                                                <td data-label=tr!(locale, "audit.when")>{e.at}</td>
                                                                <td data-label=tr!(
                                                                    locale, "audit.person"
                                                                )>{e.actor.unwrap_or_else(|| "—".into())}</td>
                                                                <td
                                                                    data-label=tr!(locale, "audit.action")
                                                                    title=e.action.clone()
                                                                >
                                                                    {action_label(locale, &e.action)}
                                                                </td>
                                                                <td data-label=tr!(locale, "audit.object")>{object}</td>
                                                                <td data-label=tr!(
                                                                    locale, "audit.reason"
                                                                )>
                                                                    {match e.reason.as_deref() {
                                                                        Some(reason) => reason_view(locale, reason),
                                                                        None => "—".into_any(),
                                                                    }}
                                                                    {e
                                                                        .field
                                                                        .map(|f| {
                                                                            view! {
                                                                                <span class="why">
                                                                                    {tr!(
                                                                                        locale, "audit.field_shown", field = field_label(locale, &f)
                                                                                    )}
                                                                                </span>
                                                                            }
                                                                        })}
                                                                </td>
                                                                <td data-label=tr!(
                                                                    locale, "audit.outcome"
                                                                )>
                                                                    {tr!(locale, &format!("audit.outcome_{}", e.outcome))}
                                                                </td>
                                                                <td data-label=tr!(
                                                                    locale, "audit.client"
                                                                )>{e.client.unwrap_or_else(|| "—".into())}</td>
                                                            </tr>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    {next
                                        .map(|href| {
                                            view! {
                                                <p class="no-print">
                                                    <a href=href>{tr!(locale, "audit.older")}</a>
                                                </p>
                                            }
                                        })}
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
