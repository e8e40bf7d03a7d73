//! A workflow's history on its page, and the header's links that count what waits.

use leptos::prelude::*;

use crate::{errors::AppError, i18n::Locale, models::HistoryEntry, tr};

/// The transitions of one object, oldest first; `events` is the catalogue's prefix of its
/// events' names (`requests.event_`).
#[component]
pub fn History(locale: Locale, entries: Vec<HistoryEntry>, events: &'static str) -> impl IntoView {
    view! {
        <h2>{tr!(locale, "requests.history")}</h2>
        <ol class="history" data-testid="history">
            {entries.into_iter().map(|h| view! {
                <li>
                    {h.at} " · " {tr!(locale, &format!("{events}{}", h.event))}
                    {h.actor.map(|a| view! { " · " {a} })}
                    {h.elapsed_minutes.map(|m| view! { " · " <span class="elapsed">{elapsed(locale, m)}</span> })}
                    {h.comment.map(|c| view! { " · " <q>{c}</q> })}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// How long after the beginning a step came: "用时 5 分钟", "用时 2 小时 5 分钟", "用时 3 天 2 小时".
pub fn elapsed(locale: Locale, minutes: i64) -> String {
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let key = match (days, hours) {
        (0, 0) => "time.after_minutes",
        (0, _) => "time.after_hours",
        _ => "time.after_days",
    };
    tr!(locale, key, d = days, h = hours, m = mins)
}

/// A header link with how many things wait there for the viewer (a count, never what they
/// are): `name` is the link's text, `waiting` the catalogue's key of the count's words (with
/// `n`), `testid` the link's test id (the count's is `<testid>-waiting` without `-link`).
#[component]
pub fn CountLink(
    locale: Locale,
    href: &'static str,
    name: String,
    waiting: &'static str,
    testid: &'static str,
    count: OnceResource<Result<i64, AppError>>,
) -> impl IntoView {
    let count_testid = format!("{}-waiting", testid.trim_end_matches("-link"));
    view! {
        <a href=href data-testid=testid>
            {name}
            <Suspense>
                {move || {
                    let count_testid = count_testid.clone();
                    Suspend::new(async move {
                        let n = count.await.unwrap_or_default();
                        (n > 0).then(|| {
                            let label = tr!(locale, waiting, n = n);
                            view! {
                                " " <span class="count" data-testid=count_testid title=label.clone() aria-label=label>{n}</span>
                            }
                        })
                    })
                }}
            </Suspense>
        </a>
    }
}
