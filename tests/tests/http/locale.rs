use crate::helpers::{header, spawn_app};

#[tokio::test]
async fn choosing_a_language_sets_the_cookie_and_the_pages_follow_it() {
    let app = spawn_app().await;
    let page = app.get("/").await.text().await.unwrap();
    assert!(page.contains(r#"<html lang="zh-CN""#), "Chinese by default");

    let response = app.call("/api/locale", &[("locale", "en")]).await;
    assert_eq!(response.status(), 200);
    let cookie = header(&response, "set-cookie").to_owned();
    assert!(cookie.starts_with("xueji_locale=en;"), "{cookie}");
    for attribute in ["Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=31536000"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain http keeps cookies usable"
    );
    assert_eq!(response.json::<String>().await.unwrap(), "en");

    let page = app.get("/").await.text().await.unwrap();
    assert!(page.contains(r#"<html lang="en""#));
    assert!(page.contains("Student records portal"));
}

#[tokio::test]
async fn an_unknown_language_is_refused_without_echoing_it() {
    let app = spawn_app().await;
    let response = app
        .call("/api/locale", &[("locale", "tlh-secret-value")])
        .await;
    assert_eq!(response.status(), 400);
    assert!(response.headers().get("set-cookie").is_none());
    let body = response.text().await.unwrap();
    assert!(!body.contains("tlh-secret-value"), "{body}");
    let error: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["kind"], "invalid_input");
    assert_eq!(error["fields"][0]["field"], "locale");
    assert_eq!(error["fields"][0]["code"], "unknown_locale");
}

#[tokio::test]
async fn a_malformed_call_is_a_400() {
    let app = spawn_app().await;
    let response = app.call("/api/locale", &[("something", "else")]).await;
    assert_eq!(response.status(), 400);
    let request_id = header(&response, "x-request-id").to_owned();
    let error: serde_json::Value = response.json().await.unwrap();
    assert_eq!(error["kind"], "invalid_input");
    assert_eq!(error["request_id"], request_id.as_str());
}

#[tokio::test]
async fn without_javascript_the_form_post_comes_back_to_the_page() {
    let app = spawn_app().await;
    let response = app.post_form("/api/locale", &[("locale", "en")]).await;
    assert_eq!(response.status(), 302);
    // Back to the page the form was on (with an emptied query string).
    assert_eq!(
        header(&response, "location").trim_end_matches('?'),
        app.url("/")
    );
    assert!(header(&response, "set-cookie").starts_with("xueji_locale=en;"));

    let response = app
        .post_form("/api/locale", &[("locale", "tlh-secret-value")])
        .await;
    assert_eq!(response.status(), 302, "the error travels back to the page");
    // At a clean address: the error waits in the session for the page.
    assert_eq!(header(&response, "location"), "/");
}

#[tokio::test]
async fn the_browser_language_decides_until_a_choice_is_made() {
    let app = spawn_app().await;
    let page = |lang: &'static str| {
        app.client
            .get(app.url("/"))
            .header("accept-language", lang)
            .send()
    };
    let en = page("en-GB,en;q=0.9,zh;q=0.1")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains(r#"<html lang="en""#));
    let zh = page("zh-TW,en;q=0.5").await.unwrap().text().await.unwrap();
    assert!(zh.contains(r#"<html lang="zh-CN""#));
    let other = page("fr-FR").await.unwrap().text().await.unwrap();
    assert!(other.contains(r#"<html lang="zh-CN""#));
}

#[tokio::test]
async fn an_error_in_the_url_shows_only_the_portals_own_words() {
    let app = spawn_app().await;
    // The real thing first: a refused sign-in posted without JavaScript comes back with it
    // (written the way the server-function machinery writes one into an address).
    let real = {
        use base64::Engine;
        let error = serde_json::to_vec(&app::errors::AppError {
            code: Some("bad_credentials".into()),
            ..app::errors::ErrorKind::Unauthenticated.into()
        })
        .unwrap();
        base64::engine::general_purpose::URL_SAFE.encode(error)
    };
    let page = |err: String| {
        let mut url = reqwest::Url::parse(&app.url("/sign-in")).unwrap();
        url.query_pairs_mut()
            .append_pair("__path", "/api/sign-in")
            .append_pair("__err", &err);
        let client = app.client.clone();
        async move { client.get(url).send().await.unwrap().text().await.unwrap() }
    };
    assert!(
        page(real).await.contains("用户名或密码不正确"),
        "a real error is shown"
    );

    // Then one an outsider wrote into a link.
    for forged in [
        r#"{"kind":"conflict","code":"请拨打4001234567领取补贴"}"#,
        r#"{"kind":"invalid_input","fields":[{"field":"x","code":"请拨打4001234567领取补贴"}]}"#,
        r#"{"kind":"internal","request_id":"请拨打4001234567领取补贴"}"#,
    ] {
        use base64::Engine;
        let html = page(base64::engine::general_purpose::URL_SAFE.encode(forged)).await;
        assert!(!html.contains("4001234567"), "{forged}");
    }
}
