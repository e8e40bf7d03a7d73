//! The audit viewer page. Its filters are ids and dates only, so they may sit in the URL.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    features::audit::functions::audit_trail,
    kit::ui::{page_error::PageError, use_locale},
    tr,
};

#[component]
pub fn AuditPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let (actor, action, object, from, until, before) = query.with_untracked(|q| {
        let text = |k: &str| q.get(k).filter(|v| !v.is_empty());
        let id = |k: &str| text(k).and_then(|v| v.parse::<i64>().ok());
        (
            id("actor"),
            text("action"),
            id("object"),
            text("from"),
            text("until"),
            id("before"),
        )
    });
    let selected_actor = actor;
    let selected_action = action.clone();
    let (from_value, until_value) = (
        from.clone().unwrap_or_default(),
        until.clone().unwrap_or_default(),
    );
    let trail = OnceResource::new(audit_trail(actor, action, object, from, until, before));
    view! {
        <section class="card" aria-labelledby="audit-title">
            <h1 id="audit-title">{tr!(locale, "audit.title")}</h1>
            <Suspense>
                {move || {
                    let selected_action = selected_action.clone();
                    let (from_value, until_value) = (from_value.clone(), until_value.clone());
                    Suspend::new(async move {
                        match trail.await {
                            Err(e) => view! { <PageError locale error=e /> }.into_any(),
                            Ok(view) => {
                                let chain = if view.chain.intact {
                                    tr!(locale, "audit.chain_intact", count = view.chain.entries)
                                } else if let Some((entries, witnessed)) = view.chain.cut {
                                    tr!(locale, "audit.chain_cut", entries = entries, witnessed = witnessed)
                                } else {
                                    tr!(locale, "audit.chain_broken", seq = view.chain.broken_at.unwrap_or_default())
                                };
                                let next = view.next_before.map(|before| {
                                    let mut params = Vec::new();
                                    if let Some(a) = selected_actor { params.push(format!("actor={a}")); }
                                    if let Some(a) = &selected_action { params.push(format!("action={a}")); }
                                    if !from_value.is_empty() { params.push(format!("from={from_value}")); }
                                    if !until_value.is_empty() { params.push(format!("until={until_value}")); }
                                    params.push(format!("before={before}"));
                                    format!("/audit?{}", params.join("&"))
                                });
                                view! {
                                    <p class=if view.chain.intact { "notice" } else { "form-error" } role="status" data-testid="chain">{chain}</p>
                                    <form method="get" action="/audit" class="form filters">
                                        <label for="filter-actor">{tr!(locale, "audit.person")}</label>
                                        <select id="filter-actor" name="actor">
                                            <option value="">{tr!(locale, "audit.anyone")}</option>
                                            {view.people.into_iter().map(|p| view! {
                                                <option value=p.id.to_string() selected=selected_actor == Some(p.id)>{p.name}</option>
                                            }).collect_view()}
                                        </select>
                                        <label for="filter-action">{tr!(locale, "audit.action")}</label>
                                        <select id="filter-action" name="action">
                                            <option value="">{tr!(locale, "audit.any_action")}</option>
                                            {view.actions.into_iter().map(|a| {
                                                let selected = selected_action.as_deref() == Some(a.as_str());
                                                let label = a.clone();
                                                        view! { <option value=a selected=selected>{label}</option> }
                                            }).collect_view()}
                                        </select>
                                        <label for="filter-from">{tr!(locale, "audit.from")}</label>
                                        <input id="filter-from" name="from" type="date" value=from_value.clone() />
                                        <label for="filter-until">{tr!(locale, "audit.until")}</label>
                                        <input id="filter-until" name="until" type="date" value=until_value.clone() />
                                        <button type="submit">{tr!(locale, "audit.filter")}</button>
                                    </form>
                                    <div class="table-scroll">
                                        <table class="accounts stack" data-testid="audit-entries">
                                            <thead>
                                                <tr>
                                                    <th scope="col">"#"</th>
                                                    <th scope="col">{tr!(locale, "audit.when")}</th>
                                                    <th scope="col">{tr!(locale, "audit.person")}</th>
                                                    <th scope="col">{tr!(locale, "audit.action")}</th>
                                                    <th scope="col">{tr!(locale, "audit.object")}</th>
                                                    <th scope="col">{tr!(locale, "audit.outcome")}</th>
                                                    <th scope="col">{tr!(locale, "audit.client")}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {view.entries.into_iter().map(|e| view! {
                                                    <tr>
                                                        <td data-label="#">{e.seq}</td>
                                                        <td data-label=tr!(locale, "audit.when")>{e.at}</td>
                                                        <td data-label=tr!(locale, "audit.person")>{e.actor.unwrap_or_else(|| "—".into())}</td>
                                                        <td data-label=tr!(locale, "audit.action")><code>{e.action}</code></td>
                                                        <td data-label=tr!(locale, "audit.object")>{e.object.unwrap_or_else(|| "—".into())}</td>
                                                        <td data-label=tr!(locale, "audit.outcome")>{e.outcome}</td>
                                                        <td data-label=tr!(locale, "audit.client")>{e.client.unwrap_or_else(|| "—".into())}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    {next.map(|href| view! { <p><a href=href>{tr!(locale, "audit.older")}</a></p> })}
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
