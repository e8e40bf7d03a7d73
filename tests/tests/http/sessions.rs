//! Sessions that a copy of the database cannot replay, that start empty at every sign-in, and
//! that are deleted once abandoned.

use app::domain::Role;
use reqwest::header;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn the_database_holds_no_session_cookie() {
    let app = spawn_app().await;
    app.create_user("wang", &[Role::HomeroomTeacher]).await;
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = app.sign_in_with(&plain, "wang", PASSWORD).await;
    assert_eq!(response.status(), 200);
    let cookie = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("xueji_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let page = |value: String| {
        let plain = plain.clone();
        let url = app.url("/account");
        async move {
            plain
                .get(url)
                .header(header::COOKIE, format!("xueji_session={value}"))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(page(cookie.clone()).await, 200, "the cookie signs in");

    let stored: Vec<String> = app::db::query_scalar("SELECT id FROM sessions")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert!(
        !stored.contains(&cookie),
        "the cookie's value is not a key of the table"
    );
    // What a copy of the table offers, sent back as a cookie, signs nobody in.
    assert_eq!(page(stored[0].clone()).await, 303);
}

/// The session cookie a response sets.
fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("xueji_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

/// A shared staff-room PC: a colleague signed in, copied their own cookie and signed out;
/// or simply walked away signed in. Whoever signs in next gets a new session id, and the
/// copied one signs nobody in.
#[tokio::test]
async fn every_sign_in_issues_a_new_session_id() {
    let app = spawn_app().await;
    app.create_user("wang", &[Role::HomeroomTeacher]).await;
    app.create_user("zhao", &[Role::RecordsAdmin]).await;
    let shared = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let copied = session_cookie(&app.sign_in_with(&shared, "wang", PASSWORD).await)
        .expect("the colleague's session");
    // The next person signs in on the same browser while the colleague's session is live.
    let next = shared
        .post(app.url("/api/sign-in"))
        .header(header::ORIGIN, &app.origin)
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, format!("xueji_session={copied}"))
        .form(&[("username", "zhao"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(next.status(), 200);
    let issued = session_cookie(&next).expect("a session cookie at sign-in");
    assert_ne!(issued, copied, "a new id at every sign-in");
    let page = |value: String| {
        let shared = shared.clone();
        let url = app.url("/account");
        async move {
            let response = shared
                .get(url)
                .header(header::COOKIE, format!("xueji_session={value}"))
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let (status, html) = page(issued).await;
    assert_eq!(status, 200);
    assert!(html.contains("zhao"), "the new session is the new person's");
    let (status, html) = page(copied).await;
    assert_eq!(status, 303, "the copied cookie signs nobody in: {html}");
}

#[tokio::test]
async fn every_sign_in_starts_an_empty_session() {
    let app = spawn_app().await;
    let browser = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    app.create_user("li", &[Role::HomeroomTeacher]).await;
    let stored = app
        .call_as(&browser, "/api/records/search", &[("query", "王小明")])
        .await;
    assert_eq!(stored.status(), 200);
    let results: serde_json::Value = app
        .call_as(&browser, "/api/records/search/results", &[])
        .await
        .json()
        .await
        .unwrap();
    // A search is kept (what it found, not what was typed).
    assert_eq!(results["query"], "", "{results}");

    // The next person on the same browser, without signing out first.
    assert_eq!(
        app.sign_in_with(&browser, "li", PASSWORD).await.status(),
        200
    );
    let results: serde_json::Value = app
        .call_as(&browser, "/api/records/search/results", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(results["query"].is_null(), "no search kept: {results}");
}

#[tokio::test]
async fn abandoned_sessions_are_deleted() {
    let app = spawn_app().await;
    app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    app::db::query(
        "INSERT INTO sessions (id, data, expiry_date) VALUES ('old', $1, '2000-01-01 00:00:00')",
    )
    .bind(vec![0u8])
    .execute(&app.pool)
    .await
    .unwrap();
    // The sweep runs as the server starts (and every few minutes after).
    let again = server::Application::build(app.settings.clone(), app.clock.clone())
        .await
        .unwrap();
    drop(again);
    let ids: Vec<String> = app::db::query_scalar("SELECT id FROM sessions")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        ids.len(),
        1,
        "the live session stays, the abandoned one is gone: {ids:?}"
    );
    assert!(!ids.contains(&"old".to_owned()));
}

#[tokio::test]
async fn a_page_opened_after_the_session_ended_says_so_on_sign_in() {
    use crate::helpers::browser_page;
    let app = crate::helpers::spawn_app().await;
    let teacher = app
        .signed_in("wang", &[app::domain::Role::HomeroomTeacher])
        .await;
    assert!(
        browser_page(&app, &teacher, "/records")
            .await
            .contains("records-title")
    );
    // Idle past the limit: the next page leads to sign-in, which says why.
    app.clock.advance(chrono::Duration::minutes(31));
    let response = teacher
        .get(app.url("/records"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = crate::helpers::header(&response, "location").to_owned();
    assert_eq!(location, "/sign-in?done=session_ended");
    let html = browser_page(&app, &teacher, &location).await;
    assert!(html.contains("登录已过期，请重新登录"), "{html}");
    // Never signed in: plain sign-in, nothing ended.
    let stranger = app.browser();
    let response = stranger.get(app.url("/records")).send().await.unwrap();
    assert_eq!(crate::helpers::header(&response, "location"), "/sign-in");
}
