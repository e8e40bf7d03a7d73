//! The HTML document around every page, and the application's routes.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::kit::ui::{use_actor, use_locale};
use crate::{
    features::{
        accounts::pages::{
            account::{AccountPage, ChangePasswordPage},
            password_policy::PasswordPolicyPage,
            setup::SetupPage,
            sign_in::SignInPage,
        },
        audit::pages::AuditPage,
        calendar::pages::CalendarPage,
        console::pages::AccountsPage,
        grants::pages::RoleGrantsPage,
        import::pages::{ImportPage, ImportReviewPage},
        problems::pages::ProblemsPage,
        records::pages::{NewStudentPage, QueuePage, RecordsPage, RosterPage, StudentPage},
        requests::pages::{
            NewRequestPage, RegisterPage, ReleasePage, RequestPage, RequestsPage,
            StudentRegisterPage,
        },
        search::pages::SearchPage,
        status::pages::HomePage,
        structure::pages::StructurePage,
    },
    kit::ui::{
        done::DoneNotice, footer::SiteFooter, language_switch::LanguageSwitch, not_found::NotFound,
    },
    tr,
};

/// Where the browser finds the stylesheet; its name carries a content hash in a release
/// build so that it can be cached for good.
#[derive(Clone, Debug)]
pub struct AssetPaths {
    pub stylesheet: String,
}

/// The name of the two `<meta>` marks around the hydration script in the document's head.
pub const HYDRATION_MARK: &str = "xueji-hydration";

/// The islands of the student form's own WebAssembly bundle (built with `form-bundle`), by
/// the name their element carries (`data-component="FormAssist_…"`). A page whose islands
/// are all of these loads that bundle; any other page with an island loads the full one.
pub const FORM_BUNDLE_ISLANDS: &[&str] = &["FormAssist"];

/// The document: picks the request's language and links the hydration scripts (the server
/// gives the page the Content-Security-Policy with their nonce as it sends it).
pub fn shell(options: LeptosOptions, assets: AssetPaths) -> impl IntoView {
    let locale = crate::state::request_locale();
    provide_context(locale);
    provide_context(crate::state::current_actor());

    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <AutoReload options=options.clone() />
                // Between these two marks, the hydration script: the server drops it from a
                // page that turns out to hold no island (server/src/pages.rs).
                <meta name=HYDRATION_MARK content="start" />
                <HydrationScripts options islands=true />
                <meta name=HYDRATION_MARK content="end" />
                <link rel="stylesheet" href=assets.stylesheet />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::kit::forms::provide_refusal();
    let locale = use_locale();

    view! {
        <Title text=tr!(locale, "app.name") />
        <a class="skip-link" href="#main">
            {tr!(locale, "nav.skip_to_content")}
        </a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">
                    "籍"
                </span>
                <span class="brand-name">{tr!(locale, "app.name")}</span>
            </a>
            <nav class="site-nav" aria-label=tr!(locale, "nav.main")>
                {match use_actor() {
                    Some(actor) => {
                        crate::features::status::pages::Header::provide();
                        let nav = crate::domain::access::Navigation::of(&actor);
                        view! {
                            <Show when=move || nav.records>
                                <crate::features::status::pages::RecordsLink />
                            </Show>
                            <Show when=move || nav.accounts>
                                <a href="/admin/accounts">{tr!(locale, "accounts.title")}</a>
                            </Show>
                            <Show when=move || nav.role_grants>
                                <crate::features::status::pages::GrantsWaitingLink />
                            </Show>
                            <Show when=move || nav.handovers>
                                <crate::features::status::pages::HandoversLink />
                            </Show>
                            <Show when=move || nav.changes>
                                <crate::features::status::pages::ChangesLink />
                            </Show>
                            <Show when=move || nav.audit>
                                <a href="/audit">{tr!(locale, "audit.title")}</a>
                            </Show>
                            <crate::features::status::pages::RequestsLink />
                            <crate::features::status::pages::PublicationsLink />
                            <a href="/account">{actor.display_name}</a>
                        }
                            .into_any()
                    }
                    None => view! { <a href="/sign-in">{tr!(locale, "nav.sign_in")}</a> }.into_any(),
                }}
                <LanguageSwitch current=locale />
            </nav>
        </header>
        <main id="main" tabindex="-1">
            <Router>
                <DoneNotice />
                {use_actor()
                    .is_some_and(|a| crate::domain::access::handles_leaks(&a))
                    .then(|| view! { <crate::features::leaks::pages::LeakBanner /> })}
                {use_actor()
                    .is_some_and(|a| crate::domain::access::reminded_of_inspections(&a))
                    .then(|| view! { <crate::features::inspections::pages::InspectionOverdue /> })}
                <Routes fallback=NotFound>
                    // Async: a page is sent once its data is ready, so it is complete without
                    // JavaScript (out-of-order streaming needs a script to place the data).
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async />
                    <Route path=path!("/setup/:token") view=SetupPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/account/password")
                        view=ChangePasswordPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/admin/accounts") view=AccountsPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/admin/role-grants")
                        view=RoleGrantsPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/admin/password-policy")
                        view=PasswordPolicyPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/records") view=RecordsHome ssr=SsrMode::Async />
                    <Route path=path!("/records/structure") view=StructurePage ssr=SsrMode::Async />
                    <Route path=path!("/records/calendar") view=CalendarPage ssr=SsrMode::Async />
                    <Route path=path!("/records/search") view=SearchPage ssr=SsrMode::Async />
                    <Route path=path!("/records/queue") view=QueuePage ssr=SsrMode::Async />
                    <Route path=path!("/records/problems") view=ProblemsPage ssr=SsrMode::Async />
                    <Route path=path!("/records/import") view=ImportPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/records/import/:import")
                        view=ImportReviewPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/records/classes/:class")
                        view=RosterPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/records/classes/:class/new")
                        view=NewStudentPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/records/students/:student")
                        view=StudentPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/records/students/:student/disclosures")
                        view=StudentRegisterPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/requests") view=RequestsPage ssr=SsrMode::Async />
                    <Route path=path!("/requests/new") view=NewRequestPage ssr=SsrMode::Async />
                    <Route path=path!("/requests/:request") view=RequestPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/requests/:request/release")
                        view=ReleasePage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/disclosures") view=RegisterPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/publications")
                        view=crate::features::publications::pages::PublicationsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/publications/new")
                        view=crate::features::publications::pages::NewPublicationPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/publications/:publication")
                        view=crate::features::publications::pages::PublicationPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/publications/:publication/edit")
                        view=crate::features::publications::pages::EditPublicationPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/leaks")
                        view=crate::features::leaks::pages::LeaksPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/leaks/new")
                        view=crate::features::leaks::pages::NewLeakPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/leaks/:leak")
                        view=crate::features::leaks::pages::LeakPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/destructions")
                        view=crate::features::retention::pages::DestructionsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/destructions/:batch")
                        view=crate::features::retention::pages::DestructionPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/inspections")
                        view=crate::features::inspections::pages::InspectionsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/inspections/:inspection")
                        view=crate::features::inspections::pages::InspectionPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/changes")
                        view=crate::features::changes::pages::ChangesPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/changes/:change")
                        view=crate::features::changes::pages::ChangePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/handovers")
                        view=crate::features::handovers::pages::HandoversPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/handovers/:handover")
                        view=crate::features::handovers::pages::HandoverPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </Router>
        </main>
        <SiteFooter />
    }
}

/// The records' overview as a home: the viewer's to-do list first.
#[component]
fn RecordsHome() -> impl IntoView {
    view! {
        <RecordsPage>
            <crate::features::status::pages::TodoList />
        </RecordsPage>
    }
}
