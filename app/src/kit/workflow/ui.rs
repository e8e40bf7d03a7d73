//! The page parts every workflow shares: one object's page, the decide and withdraw forms,
//! a home's sections, the history of one object and the header's link that counts what
//! waits.

use leptos::{
    prelude::*,
    server_fn::{Http, ServerFn, client::Client, codec::PostUrl, request::ClientReq},
};

use crate::{
    errors::AppError,
    i18n::Locale,
    kit::{
        ui::{confirm::Confirm, loaded},
        workflow::{HistoryEntry, Queues},
    },
    tr,
};

/// The transitions of one object, oldest first; `events` is the catalogue's prefix of its
/// events' names (`requests.event_`).
#[component]
pub fn History(locale: Locale, entries: Vec<HistoryEntry>, events: &'static str) -> impl IntoView {
    view! {
        <h2>{tr!(locale, "requests.history")}</h2>
        <ol class="history" data-testid="history">
            {entries
                .into_iter()
                .map(|h| {
                    view! {
                        <li>
                            {h.at} " · " {tr!(locale, &format!("{events}{}", h.event))}
                            {h
                                .actor
                                .map(|a| {
                                    view! {
                                        " · "
                                        {a}
                                    }
                                })}
                            {h
                                .elapsed_minutes
                                .map(|m| {
                                    view! {
                                        " · "
                                        <span class="elapsed">{elapsed(locale, m)}</span>
                                    }
                                })}
                            {h
                                .comment
                                .map(|c| {
                                    view! {
                                        " · "
                                        <q>{c}</q>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
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

/// A workflow object's state as a badge: class `status <words>-<code>`, its words
/// `<words>.state_<code>` (`handover.state_pending`).
pub fn state_badge(locale: Locale, words: &'static str, code: &'static str) -> impl IntoView {
    view! {
        <span class=format!(
            "status {words}-{code}",
        )>{tr!(locale, &format!("{words}.state_{code}"))}</span>
    }
}

/// A workflow's home (`/handovers`): its heading (`title` a catalogue key, `title_id` its
/// element id), the rule it serves in a line, the button that begins a new one where there
/// is one (`new`: its address and label key), then the home `load`ed and `render`ed, or the
/// refusal in words.
pub fn home_page<T, V>(
    locale: Locale,
    (title, title_id): (&'static str, &'static str),
    rule: &'static str,
    new: Option<(&'static str, &'static str)>,
    home: OnceResource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <section class="card" aria-labelledby=title_id>
            <h1 id=title_id>{tr!(locale, title)}</h1>
            <p class="hint">{tr!(locale, rule)}</p>
            {new
                .map(|(href, label)| {
                    view! {
                        <p>
                            <a class="button" href=href>
                                {tr!(locale, label)}
                            </a>
                        </p>
                    }
                })}
            {loaded(locale, home, render)}
        </section>
    }
}

/// One object's own page (`/handovers/:handover`): the route's `param` loaded by the server
/// function `load`, under the heading `title` (a catalogue key; `title_id` its element id),
/// then `render`ed, or the refusal in words.
pub fn record_page<T, F>(
    locale: Locale,
    param: &'static str,
    (title, title_id): (&'static str, &'static str),
    load: impl FnOnce(String) -> F,
    render: impl Fn(T) -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Future<Output = Result<T, AppError>> + Send + 'static,
{
    let key =
        leptos_router::hooks::use_params_map().with_untracked(|p| p.get(param).unwrap_or_default());
    let record = OnceResource::new(load(key));
    view! {
        <section class="card" aria-labelledby=title_id>
            <h1 id=title_id>{tr!(locale, title)}</h1>
            {loaded(locale, record, render)}
        </section>
    }
}

/// The withdraw (or discard) button of one object, a plain post: `id_field`/`id` name the
/// object as the server function takes it, `label` says what the press does.
#[component]
pub fn WithdrawForm<S, P>(
    locale: Locale,
    action: ServerAction<S>,
    id_field: &'static str,
    #[prop(into)] id: String,
    label: &'static str,
    /// A button for a table's row or a line of other actions.
    #[prop(optional)]
    small: bool,
) -> impl IntoView
where
    S: serde::de::DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, P>>
        + Clone
        + Send
        + Sync
        + 'static,
    <<S::Client as Client<S::Error>>::Request as ClientReq<S::Error>>::FormData:
        From<leptos::web_sys::FormData>,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
    S::Client: Client<S::Error>,
    P: 'static,
{
    let class = if small {
        "secondary small"
    } else {
        "secondary"
    };
    view! {
        <ActionForm action attr:class="inline no-print">
            <input type="hidden" name=id_field value=id />
            <button type="submit" class=class>
                {tr!(locale, label)}
            </button>
        </ActionForm>
    }
}

/// The decide form of one object: approve (behind a second press when `confirm` asks a
/// question) and reject with a reason, as two plain posts that work without JavaScript.
/// `id_field`/`id` name the object as the server function takes it; `words` is the
/// catalogue's prefix of the form's words (`<words>.approve`, `.approve_submit`, `.reject`,
/// `.reject_reason`, `.reject_submit`); `approve_inputs` are the approval's own fields (a
/// publication's reasons for keeping its findings).
#[component]
pub fn DecideForm<S, P>(
    locale: Locale,
    action: ServerAction<S>,
    id_field: &'static str,
    #[prop(into)] id: String,
    words: &'static str,
    /// The question before an approval is sent; none: the approval is one press.
    #[prop(optional, into)]
    confirm: Option<String>,
    #[prop(optional_no_strip)] approve_inputs: Option<AnyView>,
    /// The approval is the dangerous side (it erases): its button is red, not the rejection's.
    #[prop(optional)]
    approval_erases: bool,
    /// Buttons for a table's row.
    #[prop(optional)]
    small: bool,
    /// The reason field's element id, when a page holds several forms.
    #[prop(optional, into)]
    reason_id: Option<String>,
) -> impl IntoView
where
    // `ActionForm`'s own bounds: a server function posted as a form.
    S: serde::de::DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, P>>
        + Clone
        + Send
        + Sync
        + 'static,
    <<S::Client as Client<S::Error>>::Request as ClientReq<S::Error>>::FormData:
        From<leptos::web_sys::FormData>,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
    S::Client: Client<S::Error>,
    P: 'static,
{
    let key = move |word: &str| format!("{words}.{word}");
    let reason_id = reason_id.unwrap_or_else(|| format!("{words}-reject-reason"));
    // The dangerous side's button is red; a table's row has small ones.
    let class = move |danger: bool| match (danger, small) {
        (true, true) => Some("danger small"),
        (true, false) => Some("danger"),
        (false, true) => Some("small"),
        (false, false) => None,
    };
    let (approve_class, reject_class) = (class(approval_erases), class(!approval_erases));
    let approve_id = id.clone();
    let form_class = if approve_inputs.is_some() {
        "form"
    } else {
        "inline"
    };
    let approve_button = match confirm {
        Some(question) => view! {
            <Confirm label=tr!(locale, &key("approve")) question>
                <button type="submit" class=approve_class>
                    {tr!(locale, &key("approve_submit"))}
                </button>
            </Confirm>
        }
        .into_any(),
        None => view! {
            <button type="submit" class=approve_class>
                {tr!(locale, &key("approve"))}
            </button>
        }
        .into_any(),
    };
    view! {
        <ActionForm action attr:class=form_class>
            <input type="hidden" name=id_field value=approve_id />
            <input type="hidden" name="decision" value="approve" />
            {approve_inputs}
            {approve_button}
        </ActionForm>
        <details class="reject">
            <summary>{tr!(locale, &key("reject"))}</summary>
            <ActionForm action attr:class="form">
                <input type="hidden" name=id_field value=id />
                <input type="hidden" name="decision" value="reject" />
                <label for=reason_id.clone()>{tr!(locale, &key("reject_reason"))}</label>
                <textarea id=reason_id name="comment" required maxlength="500" rows="2"></textarea>
                <button type="submit" class=reject_class>
                    {tr!(locale, &key("reject_submit"))}
                </button>
            </ActionForm>
        </details>
    }
}

/// The sections of a workflow's home: what waits for the viewer's decision (for those who
/// decide), then `between` (the form that files a new one), the viewer's own, and the latest
/// decided; each list drawn by `table` with its test id. `words` is the catalogue's prefix of
/// the headings (`<words>.to_decide`, `.mine`, `.decided`).
pub fn queue_sections<T>(
    locale: Locale,
    words: &'static str,
    queues: Queues<T>,
    between: AnyView,
    testids: [&'static str; 3],
    table: impl Fn(Locale, Vec<T>, &'static str) -> AnyView,
) -> AnyView {
    let key = move |word: &str| format!("{words}.{word}");
    let [to_decide_id, mine_id, decided_id] = testids;
    view! {
        {queues
            .to_decide
            .map(|rows| {
                view! {
                    <h2>{tr!(locale, &key("to_decide"))}</h2>
                    {table(locale, rows, to_decide_id)}
                }
            })}
        {between}
        <h2>{tr!(locale, &key("mine"))}</h2>
        {table(locale, queues.mine, mine_id)}
        {queues
            .decided
            .map(|rows| {
                view! {
                    <h2>{tr!(locale, &key("decided"))}</h2>
                    {table(locale, rows, decided_id)}
                }
            })}
    }
    .into_any()
}
