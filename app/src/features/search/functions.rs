//! The search's server functions: the query goes in a form's body and stays in the session.

use leptos::prelude::*;

use crate::{errors::AppError, features::search::views::SearchView};

/// The search a person last made, kept in their session as the ids it found (no query text):
/// the search never travels in a URL.
#[cfg(feature = "ssr")]
const SEARCH: &str = "xueji.records.search";

#[cfg(feature = "ssr")]
use crate::state::session;

/// Searches by name (汉字, pinyin or initials), identity number or 学籍号, those who left
/// too with `include_left`; the page that follows shows the hits. The query travels in the
/// form's body; the session keeps what it found, not what was typed.
#[server(name = SearchRecords, prefix = "/api", endpoint = "records/search")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn search_records(
    #[server(default)] query: String,
    #[server(default)] include_left: String,
) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        features::search::service::{Query, Search},
    };
    let (state, actor) = guard(Action::SearchRecords, nothing).await?;
    let session = session().await?;
    if query.trim().is_empty() {
        session.remove::<Search>(SEARCH).await?;
    } else {
        let query = Query::parse(&query, &state.data_keys)?;
        crate::features::search::service::spend(&crate::state::context(&state), &actor, &query)
            .await?;
        let search = crate::features::search::service::find(
            &state.pool,
            &actor,
            &query,
            !include_left.trim().is_empty(),
            state.clock.now(),
        )
        .await?;
        session.insert(SEARCH, search).await?;
    }
    leptos_axum::redirect("/records/search");
    Ok(())
}

/// The search page: the last search and a page of its hits (`page`, from 1), masked.
#[server(name = SearchResults, prefix = "/api", endpoint = "records/search/results")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn search_results(#[server(default)] page: usize) -> Result<SearchView, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        features::search::service::{self as search, CANDIDATES, LIMIT, Search},
    };
    let (state, actor) = guard(Action::SearchRecords, nothing).await?;
    // A search kept by an earlier version (a query) reads as none.
    let kept: Option<Search> = session().await?.get(SEARCH).await.unwrap_or(None);
    let page = page.clamp(1, CANDIDATES as usize);
    let (hits, total) = match &kept {
        Some(s) => search::search(&state.pool, &actor, s, page, state.clock.now()).await?,
        None => (Vec::new(), 0),
    };
    Ok(SearchView {
        // What was typed is not kept: a number's box shows it masked, a name's stays empty.
        query: kept.as_ref().map(|s| {
            if s.by_number {
                crate::domain::records::MASK_FULL.to_owned()
            } else {
                String::new()
            }
        }),
        include_left: kept.as_ref().is_some_and(|s| s.include_left),
        hits,
        page,
        per_page: LIMIT as usize,
        total,
        capped_at: CANDIDATES as usize,
    })
}
