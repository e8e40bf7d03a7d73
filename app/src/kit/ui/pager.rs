//! Pages of a long list: previous, where one is, next. Plain links (`?page=N`), so they
//! work without JavaScript and a page can be bookmarked.

use leptos::prelude::*;

use crate::{i18n::Locale, tr};

/// The pager of page `page` of `pages` of the list at `path`; nothing when one page holds it.
pub fn pager(
    locale: Locale,
    path: impl Into<String>,
    page: usize,
    pages: usize,
) -> Option<AnyView> {
    let path: String = path.into();
    let joiner = if path.contains('?') { '&' } else { '?' };
    let link = move |page: usize| format!("{path}{joiner}page={page}");
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=tr!(locale, "search.pages")>
                {(page > 1)
                    .then(|| {
                        view! {
                            <a rel="prev" href=link(page - 1)>
                                {tr!(locale, "search.previous")}
                            </a>
                        }
                    })}
                <span>{tr!(locale, "search.page_of", page = page, pages = pages)}</span>
                {(page < pages)
                    .then(|| {
                        view! {
                            <a rel="next" href=link(page + 1)>
                                {tr!(locale, "search.next")}
                            </a>
                        }
                    })}
            </nav>
        }
        .into_any()
    })
}

/// The page the address asks for (`?page=N`, from 1; anything else is the first).
pub fn page_param() -> usize {
    leptos_router::hooks::use_query_map().with_untracked(|q| {
        q.get("page")
            .and_then(|p| p.parse::<usize>().ok())
            .unwrap_or(1)
    })
}
