use reqwest::header;

use crate::helpers::{header, spawn_app};

#[tokio::test]
async fn state_changing_requests_from_elsewhere_are_refused() {
    let app = spawn_app().await;
    let post = || {
        app.client
            .post(app.url("/api/locale"))
            .form(&[("locale", "en")])
    };

    let cases = [
        ("no origin at all", post()),
        (
            "another origin",
            post().header(header::ORIGIN, "https://evil.example"),
        ),
        (
            "another port",
            post().header(header::ORIGIN, "http://127.0.0.1:1"),
        ),
        (
            "a cross-site fetch",
            post()
                .header("sec-fetch-site", "cross-site")
                .header(header::ORIGIN, &app.address),
        ),
        (
            "a same-site fetch",
            post().header("sec-fetch-site", "same-site"),
        ),
    ];
    for (case, request) in cases {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 403, "{case}");
        assert!(
            response.headers().get("set-cookie").is_none(),
            "{case} changed nothing"
        );
    }

    // A GET under /api/ is guarded too, and any POST elsewhere.
    assert_eq!(app.get("/api/status").await.status(), 403);
    assert_eq!(
        app.client.post(app.url("/")).send().await.unwrap().status(),
        403
    );

    let allowed = post()
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(allowed.status(), 200);
}

#[tokio::test]
async fn pages_carry_a_nonce_policy_and_are_never_cached() {
    let app = spawn_app().await;
    // The system administrator's home page holds an island, so it loads the hydration script.
    let admin = app
        .signed_in("admin", &[app::domain::Role::SystemAdmin])
        .await;
    let response = admin.get(app.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let csp = header(&response, "content-security-policy").to_owned();
    for directive in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "'wasm-unsafe-eval'",
    ] {
        assert!(csp.contains(directive), "{csp} lacks {directive}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(header(&response, "x-content-type-options"), "nosniff");
    assert_eq!(header(&response, "referrer-policy"), "same-origin");
    assert_eq!(header(&response, "cache-control"), "no-store");
    assert!(!header(&response, "x-request-id").is_empty());

    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .unwrap()
        .to_owned();
    assert!(nonce.len() >= 16, "{nonce}");
    let html = response.text().await.unwrap();
    assert!(
        html.contains(&format!(r#"<script type="module" nonce="{nonce}""#)),
        "the hydration script carries it"
    );
    // Every inline script carries this response's nonce.
    assert_eq!(
        html.matches("<script").count(),
        html.matches(&format!("nonce=\"{nonce}\"")).count()
    );

    let again = admin.get(app.url("/")).send().await.unwrap();
    assert!(
        !header(&again, "content-security-policy").contains(&nonce),
        "a nonce is used once"
    );

    // A page without an island ships no script, and its policy allows none.
    let sign_in = app.get("/sign-in").await;
    let csp = header(&sign_in, "content-security-policy").to_owned();
    assert!(csp.contains("script-src 'none'"), "{csp}");
    assert!(csp.contains("style-src 'self'"), "{csp}");
    assert!(!sign_in.text().await.unwrap().contains("<script"));
}

#[tokio::test]
async fn json_and_other_answers_get_the_safe_defaults() {
    let app = spawn_app().await;
    for response in [
        app.get("/healthz").await,
        app.call("/api/status", &[]).await,
    ] {
        assert_eq!(header(&response, "cache-control"), "no-store");
        assert_eq!(header(&response, "x-content-type-options"), "nosniff");
        assert!(header(&response, "content-security-policy").contains("default-src 'none'"));
    }
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let app = spawn_app().await;
    // Just over the 1 MiB limit, so the client finishes writing before the refusal.
    let huge = "x".repeat(1024 * 1024 + 1024);
    let response = app
        .client
        .post(app.url("/api/locale"))
        .header(header::ORIGIN, &app.address)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(format!("locale={huge}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
}

#[tokio::test]
async fn a_client_chooses_no_request_id_and_https_gets_hsts() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "forged-id-of-someone-else")
        .send()
        .await
        .unwrap();
    let id = header(&response, "x-request-id").to_owned();
    assert!(!id.is_empty() && id != "forged-id-of-someone-else", "{id}");
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none(),
        "plain http"
    );

    let app = crate::helpers::spawn_app_at("https://xueji.school.example").await;
    let response = app.get("/healthz").await;
    assert_eq!(
        header(&response, "strict-transport-security"),
        "max-age=31536000; includeSubDomains"
    );
}
