//! The search's server functions: the query goes in a form's body and stays in the session.

use leptos::prelude::*;

use crate::{errors::AppError, models::SearchView};

/// The search a person last made, kept in their session (a number only as its blind index):
/// the search never travels in a URL.
#[cfg(feature = "ssr")]
const SEARCH: &str = "xueji.records.search";

#[cfg(feature = "ssr")]
use crate::state::session;

/// Searches by name (汉字, pinyin or initials), identity number or 学籍号; the page that
/// follows shows the hits. The query travels in the form's body and stays in the session.
#[server(name = SearchRecords, prefix = "/api", endpoint = "records/search")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn search_records(#[server(default)] query: String) -> Result<(), AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        features::search::service::Query,
    };
    let (state, actor) = guard(Action::SearchRecords, nothing).await?;
    let actor = actor.ok_or_else(AppError::forbidden)?;
    let session = session().await?;
    if query.trim().is_empty() {
        session
            .remove::<Query>(SEARCH)
            .await
            .map_err(AppError::internal)?;
    } else {
        let query = Query::parse(&query, &state.data_keys)?;
        crate::features::search::service::spend(
            &crate::state::records_context(&state),
            &actor,
            &query,
        )
        .await?;
        session
            .insert(SEARCH, query)
            .await
            .map_err(AppError::internal)?;
    }
    leptos_axum::redirect("/records/search");
    Ok(())
}

/// The search page: the last search and its hits, masked.
#[server(name = SearchResults, prefix = "/api", endpoint = "records/search/results")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn search_results() -> Result<SearchView, AppError> {
    use crate::{
        authz::guard,
        domain::access::{Action, nothing},
        features::search::service::{self as search, Query},
    };
    let (state, actor) = guard(Action::SearchRecords, nothing).await?;
    let actor = actor.ok_or_else(AppError::forbidden)?;
    let query: Option<Query> = session()
        .await?
        .get(SEARCH)
        .await
        .map_err(AppError::internal)?;
    let hits = match &query {
        Some(query) => search::search(&state.pool, &state.data_keys, &actor, query).await?,
        None => Vec::new(),
    };
    Ok(SearchView {
        query: query.map(|q| q.shown()),
        hits,
    })
}
