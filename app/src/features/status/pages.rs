//! The home page: what the portal is for, and whether it is healthy.

use leptos::prelude::*;

use crate::{
    domain::Role,
    features::status::{functions::get_system_status, status_panel::StatusPanel},
    kit::ui::{page_error::PageError, use_actor, use_locale},
    tr,
};

/// The four articles of the confidentiality rule, as the portal carries them out.
const ARTICLES: [(&str, &str); 4] = [
    ("home.article1_title", "home.article1_text"),
    ("home.article2_title", "home.article2_text"),
    ("home.article3_title", "home.article3_text"),
    ("home.article4_title", "home.article4_text"),
];

/// The header's counts of what waits for the viewer, read once for the whole page (shell's
/// `App` provides it to a signed-in person's header).
#[derive(Clone, Copy)]
pub struct Header(
    pub OnceResource<Result<crate::features::status::views::HeaderCounts, crate::errors::AppError>>,
);

impl Header {
    /// The page's one read, for the header's links.
    pub fn provide() {
        provide_context(Header(OnceResource::new(
            crate::features::status::functions::header_counts(),
        )));
    }
}

/// The header's counts, once read (none: nothing waits, as when the read failed).
async fn header_counts(header: Option<Header>) -> crate::features::status::views::HeaderCounts {
    match header {
        Some(Header(counts)) => counts.await.unwrap_or_default(),
        None => Default::default(),
    }
}

/// A header link with how many things wait there for the viewer (a count, never what they
/// are): `name` is the link's text, `testid` its test id (the count's is `<testid>-waiting`
/// without `-link`); `count` reads the count and its words from the page's one read.
#[component]
fn CountLink<F>(href: &'static str, name: String, testid: &'static str, count: F) -> impl IntoView
where
    F: Fn(Option<Header>) -> Counted + Clone + Send + Sync + 'static,
{
    let header = use_context::<Header>();
    let count_testid = format!("{}-waiting", testid.trim_end_matches("-link"));
    view! {
        <a href=href data-testid=testid>
            {name}
            <Suspense>
                {move || {
                    let count_testid = count_testid.clone();
                    let counted = count(header);
                    Suspend::new(async move {
                        let (n, label) = counted.await;
                        (n > 0)
                            .then(|| {
                                view! {
                                    " "
                                    <span
                                        class="count"
                                        data-testid=count_testid
                                        title=label.clone()
                                        aria-label=label
                                    >
                                        {shown(n)}
                                    </span>
                                }
                            })
                    })
                }}
            </Suspense>
        </a>
    }
}

/// A count as the header shows it: "999+" from the cap on.
fn shown(n: i64) -> String {
    use crate::features::status::views::HEADER_CAP;
    if n >= HEADER_CAP {
        format!("{}+", HEADER_CAP - 1)
    } else {
        n.to_string()
    }
}

/// A count of the header and its words, once the page's read is done.
type Counted = std::pin::Pin<Box<dyn std::future::Future<Output = (i64, String)> + Send>>;

/// A header link whose count is one of the header's, in the words of the catalogue's key
/// `waiting` (with `n`).
fn count_link(
    href: &'static str,
    name: &'static str,
    waiting: &'static str,
    testid: &'static str,
    pick: fn(&crate::features::status::views::HeaderCounts) -> i64,
) -> impl IntoView {
    let locale = use_locale();
    let count = move |header| -> Counted {
        Box::pin(async move {
            let n = pick(&header_counts(header).await);
            (n, tr!(locale, waiting, n = shown(n)))
        })
    };
    view! { <CountLink href name=tr!(locale, name) testid count /> }
}

/// The header's link to the records, with how many wait there for the viewer.
#[component]
pub fn RecordsLink() -> impl IntoView {
    count_link(
        "/records",
        "records.title",
        "records.waiting",
        "records-link",
        |h| h.records,
    )
}

/// The header's link to the reviews, with how many wait for this person's decision.
#[component]
pub fn GrantsWaitingLink() -> impl IntoView {
    count_link(
        "/admin/role-grants",
        "grants.title",
        "grants.waiting",
        "grants-link",
        |h| h.role_grants,
    )
}

/// The header's link to the handovers, with what waits for this person: handovers to decide
/// and outcomes not yet seen.
#[component]
pub fn HandoversLink() -> impl IntoView {
    count_link(
        "/handovers",
        "handover.title",
        "handover.waiting",
        "handovers-link",
        |h| h.handovers,
    )
}

/// The header's link to the changes of status, with what waits: for a leader those to
/// decide, and the outcomes of one's own not yet seen.
#[component]
pub fn ChangesLink() -> impl IntoView {
    count_link(
        "/changes",
        "change.title",
        "change.waiting",
        "changes-link",
        |h| h.changes,
    )
}

/// The header's link, with what waits: texts to decide, decisions on one's own not yet seen.
#[component]
pub fn PublicationsLink() -> impl IntoView {
    count_link(
        "/publications",
        "publication.nav",
        "publication.waiting",
        "publications-link",
        |h| h.publications,
    )
}

/// The header's link to the requests, with what waits: for a leader the requests to decide,
/// for a records administrator those to fulfil, for a requester their own that changed.
/// Counts only, never what a request holds.
#[component]
pub fn RequestsLink() -> impl IntoView {
    let locale = use_locale();
    let count = move |header| -> Counted {
        Box::pin(async move {
            let w = header_counts(header).await.requests;
            let words = tr!(
                locale,
                "requests.waiting",
                decide = w.decide,
                fulfil = w.fulfil,
                changed = w.changed
            );
            (w.decide + w.fulfil + w.changed, words)
        })
    };
    view! {
        <CountLink
            href="/requests"
            name=tr!(locale, "requests.title")
            testid="requests-link"
            count
        />
    }
}

/// What waits for the signed-in person, the longest-waiting first, each line a link to the
/// first of its kind: every role's home begins with it.
#[component]
pub fn TodoList() -> impl IntoView {
    let locale = use_locale();
    let todo = OnceResource::new(crate::features::status::functions::my_todo());
    view! {
        <section class="card todo" aria-labelledby="todo-title" data-testid="todo">
            <h2 id="todo-title">{tr!(locale, "todo.title")}</h2>
            <Suspense>
                {move || Suspend::new(async move {
                    match todo.await {
                        Ok(items) if items.is_empty() => {
                            view! { <p data-testid="todo-none">{tr!(locale, "todo.none")}</p> }
                                .into_any()
                        }
                        Ok(items) => {
                            view! {
                                <ol class="todo-list">
                                    {items
                                        .into_iter()
                                        .map(|item| {
                                            view! {
                                                <li data-what=item.what.clone()>
                                                    <a href=item
                                                        .href>
                                                        {tr!(
                                                            locale, &format!("todo.{}", item.what), n = item.count
                                                        )}
                                                    </a>
                                                    {item
                                                        .since
                                                        .map(|at| {
                                                            view! {
                                                                " "
                                                                <span class="hint">
                                                                    {tr!(locale, "todo.since", at = at)}
                                                                </span>
                                                            }
                                                        })}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <PageError locale error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A leader's and a records administrator's figures of the school on their home: per grade,
/// enrolled, suspended, transferred in and out and left this term, applications waiting (the
/// records overview's numbers, summed by grade; the overview has them by class).
#[component]
pub fn SchoolFigures() -> impl IntoView {
    use crate::features::records::views::grade_totals;
    let locale = use_locale();
    let home = OnceResource::new(crate::features::records::functions::records_home());
    view! {
        <section class="card" aria-labelledby="figures-title" data-testid="school-figures">
            <h2 id="figures-title">
                <a href="/records">{tr!(locale, "home.figures_title")}</a>
            </h2>
            <Suspense>
                {move || Suspend::new(async move {
                    let home = match home.await {
                        Ok(home) if home.shows_changes => home,
                        Ok(_) => return ().into_any(),
                        Err(error) => return view! { <PageError locale error /> }.into_any(),
                    };
                    let grades = grade_totals(&home.classes);
                    let sum = |f: fn(&crate::features::records::views::GradeTotal) -> i64| {
                        grades.iter().map(f).sum::<i64>()
                    };
                    let all = [
                        sum(|t| t.students),
                        sum(|t| t.suspended),
                        sum(|t| t.transferred_in),
                        sum(|t| t.transferred_out),
                        sum(|t| t.left_otherwise),
                        sum(|t| t.changes_waiting),
                    ];
                    let heads = [
                        "records.students",
                        "records.suspended",
                        "records.transferred_in",
                        "records.transferred_out",
                        "records.left_otherwise",
                        "records.changes_waiting",
                    ];
                    view! {
                        <div class="table-scroll">
                            <table class="accounts stack">
                                <thead>
                                    <tr>
                                        <th scope="col">{tr!(locale, "home.figures_grade")}</th>
                                        {heads
                                            .iter()
                                            .map(|h| view! { <th scope="col">{tr!(locale, h)}</th> })
                                            .collect_view()}
                                    </tr>
                                </thead>
                                <tbody>
                                    {grades
                                        .iter()
                                        .map(|t| {
                                            let figures = [
                                                t.students,
                                                t.suspended,
                                                t.transferred_in,
                                                t.transferred_out,
                                                t.left_otherwise,
                                                t.changes_waiting,
                                            ];
                                            view! {
                                                <tr data-grade=t.grade>
                                                    <th scope="row">
                                                        {format!(
                                                            "{} {}",
                                                            t.school_year,
                                                            tr!(locale, &format!("grade.{}", t.grade)),
                                                        )}
                                                    </th>
                                                    {heads
                                                        .iter()
                                                        .zip(figures)
                                                        .map(|(h, n)| {
                                                            view! { <td data-label=tr!(locale, h)>{n}</td> }
                                                        })
                                                        .collect_view()}
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                    <tr class="subtotal" data-testid="school-total">
                                        <th scope="row">{tr!(locale, "home.figures_all")}</th>
                                        {heads
                                            .iter()
                                            .zip(all)
                                            .map(|(h, n)| {
                                                view! { <td data-label=tr!(locale, h)>{n}</td> }
                                            })
                                            .collect_view()}
                                    </tr>
                                </tbody>
                            </table>
                        </div>
                    }
                        .into_any()
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let locale = use_locale();
    view! {
        {use_actor().is_some().then(|| view! { <TodoList /> })}
        {use_actor()
            .is_some_and(|a| a.has(Role::Leader) || a.has(Role::RecordsAdmin))
            .then(|| view! { <SchoolFigures /> })}
        <section class="intro" aria-labelledby="home-title">
            <h1 id="home-title">{tr!(locale, "home.title")}</h1>
            <p class="lead">{tr!(locale, "home.lead")}</p>
        </section>
        <section class="articles" aria-labelledby="articles-title">
            <h2 id="articles-title">{tr!(locale, "home.articles_title")}</h2>
            <ol class="article-list">
                {ARTICLES
                    .into_iter()
                    .map(|(title, text)| {
                        view! {
                            <li class="card">
                                <h3>{tr!(locale, title)}</h3>
                                <p>{tr!(locale, text)}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
        {use_actor()
            .is_some_and(|a| crate::domain::access::handles_leaks(&a) || a.has(Role::LeadingGroup))
            .then(|| {
                let leaks = OnceResource::new(crate::features::leaks::functions::leaks_home());
                // The dashboard counts leak reports and how long acknowledging them took.
                view! {
                    <section class="card" aria-labelledby="leak-dashboard-title">
                        <h2 id="leak-dashboard-title">
                            <a href="/leaks">{tr!(locale, "leak.title")}</a>
                        </h2>
                        <p class="links">
                            <a href="/inspections">{tr!(locale, "inspection.title")}</a>
                        </p>
                        <Suspense>
                            {move || Suspend::new(async move {
                                leaks
                                    .await
                                    .ok()
                                    .and_then(|home| home.figures)
                                    .map(|figures| {
                                        view! {
                                            <crate::features::leaks::pages::LeakFiguresCard
                                                locale
                                                figures
                                            />
                                        }
                                    })
                            })}
                        </Suspense>
                    </section>
                }
            })}
        {use_actor()
            .is_some_and(|a| a.has(Role::SystemAdmin))
            .then(|| {
                let status = OnceResource::new(get_system_status());
                // The portal's inner workings (schema, journal, installation time) are the system
                // administrator's to see, nobody else's.
                view! {
                    <Suspense fallback=move || {
                        view! {
                            <p class="card" aria-busy="true">
                                {tr!(locale, "status.loading")}
                            </p>
                        }
                    }>
                        {move || Suspend::new(async move {
                            match status.await {
                                Ok(initial) => view! { <StatusPanel locale initial /> }.into_any(),
                                Err(error) => view! { <PageError locale error /> }.into_any(),
                            }
                        })}
                    </Suspense>
                }
            })}
    }
}
