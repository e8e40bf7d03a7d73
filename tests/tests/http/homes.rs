//! Where sign-in leads: the page the person came for when they opened it signed out, else
//! their role's home.

use app::domain::Role;
use reqwest::Client;

use crate::helpers::{PASSWORD, TestApp, browser_post, header, spawn_app};

/// Signs `username` in as a browser without JavaScript; where the answer sends it.
async fn sign_in(app: &TestApp, browser: &Client, username: &str) -> String {
    let (status, location) = browser_post(
        app,
        browser,
        "/api/sign-in",
        "/sign-in",
        &[("username", username), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 302);
    location
}

#[tokio::test]
async fn sign_in_leads_each_role_to_where_its_work_waits() {
    let app = spawn_app().await;
    for (username, roles, home) in [
        ("wang", &[Role::HomeroomTeacher][..], "/records"),
        ("records", &[Role::RecordsAdmin][..], "/records"),
        ("leader", &[Role::Leader][..], "/requests"),
        ("group", &[Role::LeadingGroup][..], "/admin/role-grants"),
        ("admin", &[Role::SystemAdmin][..], "/admin/accounts"),
        ("nobody", &[][..], "/account"),
    ] {
        app.create_user(username, roles).await;
        let browser = app.browser();
        assert_eq!(sign_in(&app, &browser, username).await, home, "{username}");
        let page = browser.get(app.url(home)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{username} may open {home}");
    }
}

#[tokio::test]
async fn a_link_opened_signed_out_survives_sign_in_once() {
    let app = spawn_app().await;
    app.create_user("wang", &[Role::HomeroomTeacher]).await;
    let browser = app.browser();
    let wanted = "/records/classes/c0ffee?state=returned";
    // Opened signed out (with an earlier outcome's message, which is not said again).
    let response = browser
        .get(app.url(&format!("{wanted}&done=saved")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(header(&response, "location"), "/sign-in");
    let cookie = header(&response, "set-cookie").to_owned();
    assert!(cookie.starts_with("xueji_return="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("Max-Age=1800"));
    assert!(
        !cookie.contains("records"),
        "no address in the clear: {cookie}"
    );

    assert_eq!(sign_in(&app, &browser, "wang").await, wanted);
    // Followed once: signing in again leads home.
    browser
        .post(app.url("/api/sign-out"))
        .header("origin", &app.origin)
        .send()
        .await
        .unwrap();
    assert_eq!(sign_in(&app, &browser, "wang").await, "/records");
}

#[tokio::test]
async fn only_a_page_of_this_site_is_returned_to() {
    let app = spawn_app().await;
    app.create_user("wang", &[Role::HomeroomTeacher]).await;
    // Files, server functions and the sign-in page itself are not pages to come back to.
    for path in ["/pkg/nothing.js", "/api/records", "/sign-in"] {
        let browser = app.browser();
        let response = browser.get(app.url(path)).send().await.unwrap();
        assert!(
            header(&response, "set-cookie").is_empty()
                || !header(&response, "set-cookie").starts_with("xueji_return="),
            "{path}"
        );
    }
    // A cookie planted by hand that names another site is ignored.
    let browser = app.browser();
    let evil = base64_url("//evil.example/x");
    let response = browser
        .post(app.url("/api/sign-in"))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "text/html")
        .header("cookie", format!("xueji_return={evil}"))
        .form(&[("username", "wang"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "location"), "/records");
}

fn base64_url(text: &str) -> String {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    URL_SAFE_NO_PAD.encode(text)
}
