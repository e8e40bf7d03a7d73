use crate::helpers::{schema, spawn_app};

#[tokio::test]
async fn the_home_page_renders_and_shows_the_system_administrator_the_status() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1 id=\"home-title\">学籍信息管理平台</h1>"));
    // Nothing on the anonymous home page is interactive: no island, no script.
    assert!(!html.contains("<leptos-island"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert!(
        html.contains(r#"action="/api/locale""#),
        "the switch works as a plain form"
    );
    // The status panel is the system administrator's.
    let admin = app
        .signed_in("admin", &[app::domain::Role::SystemAdmin])
        .await;
    let html = app.page(&admin, "/").await.1;
    let (latest, count) = schema();
    assert!(
        html.contains(&format!("版本 {latest}（已应用 {count} 次迁移）")),
        "the status panel is rendered on the server"
    );
    assert!(html.contains("2026-09-01 08:00:00"));
    assert!(html.contains(r#"action="/api/status""#));
    // The status panel is an island: its page loads the hydration script.
    assert!(html.contains("<leptos-island"), "the panel is an island");
    assert!(
        html.contains(r#"<script type="module""#),
        "the hydration script"
    );
}

/// A page ships a script only when it holds something that runs one: everywhere else the
/// browser downloads the HTML and the stylesheet, nothing more.
#[tokio::test]
async fn only_pages_with_an_island_load_the_webassembly() {
    use app::domain::Role;
    let app = spawn_app().await;
    let teacher_id = app
        .create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    let class = crate::fixtures::seed_class(&app, "1班", Some(teacher_id)).await;
    let teacher = app.browser();
    app.sign_in_with(&teacher, "wanglaoshi", crate::helpers::PASSWORD)
        .await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    let pages: [(&reqwest::Client, String, bool); 6] = [
        (&app.browser(), "/sign-in".into(), false),
        (&teacher, "/records".into(), false),
        (&teacher, format!("/records/classes/{class}"), false),
        (&teacher, "/records/search".into(), false),
        (&admin, "/admin/accounts".into(), false),
        (&teacher, format!("/records/classes/{class}/new"), true),
    ];
    for (client, path, interactive) in pages {
        let (status, html) = app.page(client, &path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(html.contains("<leptos-island"), interactive, "{path}");
        assert_eq!(html.contains("<script"), interactive, "{path}: {html}");
        assert_eq!(html.contains(".wasm"), interactive, "{path}");
        // The language switch works everywhere, as a plain form.
        assert!(html.contains(r#"action="/api/locale""#), "{path}");
    }
}

#[tokio::test]
async fn an_unknown_address_is_a_404_page_once_signed_in() {
    let app = spawn_app().await;
    let anonymous = app.get("/no/such/page").await;
    assert_eq!(
        anonymous.status(),
        303,
        "signed out, every page but the public ones leads to sign-in"
    );
    assert_eq!(anonymous.headers()["location"], "/sign-in");

    app.create_user("wanglaoshi", &[app::domain::Role::HomeroomTeacher])
        .await;
    let browser = app.browser();
    app.sign_in_with(&browser, "wanglaoshi", crate::helpers::PASSWORD)
        .await;
    let response = browser.get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("找不到这个页面"));
}
