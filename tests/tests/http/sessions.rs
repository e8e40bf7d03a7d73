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

    let stored: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions")
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
    assert_eq!(results["query"], "王小明", "{results}");

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
    assert!(!results.to_string().contains("王小明"), "{results}");
}

#[tokio::test]
async fn abandoned_sessions_are_deleted() {
    let app = spawn_app().await;
    app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    sqlx::query(
        "INSERT INTO sessions (id, data, expiry_date) VALUES ('old', x'00', '2000-01-01 00:00:00')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    // The sweep runs as the server starts (and every few minutes after).
    let again = server::Application::build(app.settings.clone(), app.clock.clone())
        .await
        .unwrap();
    drop(again);
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions")
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
