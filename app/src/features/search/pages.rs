//! The search page: the search box and the last search's hits, masked.

use crate::{
    features::{
        search::functions::{SearchRecords, search_results},
        structure::pages::class_label,
    },
    kit::ui::{failure, form_errors::FormErrors, status_badge, use_locale},
    tr,
};
use leptos::prelude::*;

#[component]
pub fn SearchPage() -> impl IntoView {
    let locale = use_locale();
    let results = OnceResource::new(search_results());
    let search = ServerAction::<SearchRecords>::new();
    let error = Signal::derive(move || search.value().get().and_then(Result::err));
    view! {
        <section class="card" aria-labelledby="search-title">
            <h1 id="search-title">{tr!(locale, "search.title")}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    match results.await {
                        Err(e) => failure(locale, e),
                        Ok(view) => {
                            let typed = view.query.clone().unwrap_or_default();
                            view! {
                            <ActionForm action=search attr:class="form search" attr:role="search">
                                <label for="search-query">{tr!(locale, "search.label")}</label>
                                <input id="search-query" name="query" type="search" maxlength="40" autocomplete="off"
                                    value=typed />
                                <p class="hint">{tr!(locale, "search.hint")}</p>
                                <FormErrors locale error />
                                <button type="submit">{tr!(locale, "search.submit")}</button>
                            </ActionForm>
                            {view.query.is_some().then(|| if view.hits.is_empty() {
                                view! { <p data-testid="search-none">{tr!(locale, "search.none")}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll">
                                        <table class="accounts roster" data-testid="search-hits">
                                            <thead><tr>
                                                <th scope="col">{tr!(locale, "field.name")}</th>
                                                <th scope="col">{tr!(locale, "records.class")}</th>
                                                <th scope="col">{tr!(locale, "field.id_number")}</th>
                                                <th scope="col">{tr!(locale, "records.status")}</th>
                                            </tr></thead>
                                            <tbody>
                                                {view.hits.into_iter().map(|h| view! {
                                                    <tr>
                                                        <td><a href=format!("/records/students/{}", h.id)>{h.name}</a></td>
                                                        <td>{class_label(locale, &h.class)}</td>
                                                        <td class="masked">{h.id_number}</td>
                                                        <td>{status_badge(locale, h.status)}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            })}
                        }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
