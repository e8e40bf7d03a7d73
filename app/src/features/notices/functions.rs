//! One's own notices: read them, dismiss them.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::kit::ui::done::Done;

use crate::{errors::AppError, features::notices::views::NoticeView};

#[cfg(feature = "ssr")]
fn own(actor: Option<&crate::domain::Actor>) -> crate::domain::access::Resource {
    actor.map_or(crate::domain::access::Resource::Nothing, |a| {
        crate::domain::access::Resource::User(a.id)
    })
}

/// The signed-in person's unread notices (one's password was reset; records administrators:
/// someone went past the budget of number searches).
#[server(name = OwnNotices, prefix = "/api", endpoint = "notices")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn own_notices() -> Result<Vec<NoticeView>, AppError> {
    use crate::{authz::guard, domain::access::Action};
    let (state, actor) = guard(Action::ReadOwnNotices, own).await?;
    let mut conn = state.pool.acquire().await?;
    crate::features::notices::service::unread(&mut conn, actor.id, state.timezone).await
}

/// Marks one of one's own notices read; the page it was on (`back`: "account" or the
/// records page) follows.
#[server(name = DismissNotice, prefix = "/api", endpoint = "notices/dismiss")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn dismiss_notice(
    notice_id: i64,
    #[server(default)] back: String,
) -> Result<(), AppError> {
    use crate::{authz::guard, domain::access::Action};
    let (state, actor) = guard(Action::ReadOwnNotices, own).await?;
    crate::features::notices::service::dismiss(&state.pool, actor.id, notice_id, state.clock.now())
        .await?;
    leptos_axum::redirect(&Done::NoticeDismissed.at(if back == "account" {
        "/account"
    } else {
        "/records"
    }));
    Ok(())
}
