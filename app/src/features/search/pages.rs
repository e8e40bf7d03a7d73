//! The search page: the search box and the last search's hits, masked.

use crate::{
    features::{records::pages::status_badge, search::views::SearchView},
    features::{
        search::functions::{SearchRecords, search_results},
        structure::pages::class_label,
    },
    i18n::Locale,
    kit::ui::{
        form_errors::FormErrors,
        loaded,
        pager::{page_param, pager},
        use_locale,
    },
    tr,
};
use leptos::prelude::*;

#[component]
pub fn SearchPage() -> impl IntoView {
    let locale = use_locale();
    let page = page_param();
    let results = OnceResource::new(search_results(page));
    let search = ServerAction::<SearchRecords>::new();
    let error = Signal::derive(move || search.value().get().and_then(Result::err));
    view! {
        <section class="card" aria-labelledby="search-title">
            <h1 id="search-title">{tr!(locale, "search.title")}</h1>
            {loaded(
                locale,
                results,
                move |view| {
                    let typed = view.query.clone().unwrap_or_default();
                    view! {
                        <ActionForm action=search attr:class="form search" attr:role="search">
                            <label for="search-query">{tr!(locale, "search.label")}</label>
                            <input
                                id="search-query"
                                name="query"
                                type="search"
                                maxlength="40"
                                autocomplete="off"
                                value=typed
                            />
                            <p class="hint">{tr!(locale, "search.hint")}</p>
                            <label class="check">
                                <input
                                    type="checkbox"
                                    name="include_left"
                                    value="1"
                                    checked=view.include_left
                                />
                                {tr!(locale, "search.include_left")}
                            </label>
                            <FormErrors locale error />
                            <button type="submit">{tr!(locale, "search.submit")}</button>
                        </ActionForm>
                        {view.query.is_some().then(|| results_view(locale, view))}
                    }
                        .into_any()
                },
            )}
        </section>
    }
}

/// The hits of a search: how many in all and which of them this page shows, the page's
/// hits (namesakes told apart by class and birth date), and the way to the others.
fn results_view(locale: Locale, view: SearchView) -> AnyView {
    if view.total == 0 {
        return view! { <p data-testid="search-none">{tr!(locale, "search.none")}</p> }.into_any();
    }
    let first = (view.page - 1) * view.per_page + 1;
    let last = first + view.hits.len().max(1) - 1;
    let pages = view.total.div_ceil(view.per_page);
    let summary = if view.hits.is_empty() {
        tr!(locale, "search.page_beyond", total = view.total)
    } else if view.total <= view.per_page {
        tr!(locale, "search.found", total = view.total)
    } else {
        tr!(
            locale,
            "search.found_page",
            total = view.total,
            first = first,
            last = last
        )
    };
    view! {
        <p role="status" data-testid="search-count">
            {summary}
        </p>
        {(view.total >= view.capped_at)
            .then(|| {
                view! {
                    <p class="notice" data-testid="search-capped">
                        {tr!(locale, "search.capped", cap = view.capped_at)}
                    </p>
                }
            })}
        {(!view.hits.is_empty())
            .then(|| {
                view! {
                    <div class="table-scroll">
                        <table class="accounts roster stack" data-testid="search-hits">
                            <thead>
                                <tr>
                                    <th scope="col">{tr!(locale, "field.name")}</th>
                                    <th scope="col">{tr!(locale, "records.class")}</th>
                                    <th scope="col">{tr!(locale, "field.birth_date")}</th>
                                    <th scope="col">{tr!(locale, "field.id_number")}</th>
                                    <th scope="col">{tr!(locale, "records.status")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {view
                                    .hits
                                    .into_iter()
                                    .map(|h| {
                                        view! {
                                            <tr>
                                                <td data-label=tr!(locale, "field.name")>
                                                    <a href=format!("/records/students/{}", h.id)>{h.name}</a>
                                                </td>
                                                <td data-label=tr!(
                                                    locale, "records.class"
                                                )>{class_label(locale, &h.class)}</td>
                                                <td data-label=tr!(
                                                    locale, "field.birth_date"
                                                )>{h.birth_date}</td>
                                                <td
                                                    class="masked"
                                                    data-label=tr!(locale, "field.id_number")
                                                >
                                                    {h.id_number}
                                                </td>
                                                <td data-label=tr!(
                                                    locale, "records.status"
                                                )>
                                                    {status_badge(locale, h.status)}
                                                    {h
                                                        .suspended
                                                        .then(|| {
                                                            view! {
                                                                " "
                                                                <span class="status status-left">
                                                                    {tr!(locale, "records.suspended_badge")}
                                                                </span>
                                                            }
                                                        })}
                                                    {h
                                                        .left
                                                        .map(|why| {
                                                            view! {
                                                                " "
                                                                <span class="status status-left">
                                                                    {tr!(locale, &format!("search.left_{why}"))}
                                                                </span>
                                                            }
                                                        })}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
            })}
        {pager(locale, "/records/search", view.page, pages)}
    }
    .into_any()
}
