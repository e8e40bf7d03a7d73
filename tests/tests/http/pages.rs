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

/// Every page goes out with its own policy (its script's nonce, or no script at all), however
/// many are rendered at once: a page that fell back to the locked-down default loads no style
/// sheet and no script (the browser journeys met it one page in some hundreds while the
/// policy went through Leptos's response options).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_carries_its_own_policy_under_load() {
    use crate::fixtures::{Student, enter_student, seed_class};
    use app::domain::Role;
    let app = spawn_app().await;
    let teacher_id = app.create_user("wang", &[Role::HomeroomTeacher]).await;
    let class = seed_class(&app, "1班", Some(teacher_id)).await;
    let teacher = app.browser();
    app.sign_in_with(&teacher, "wang", crate::helpers::PASSWORD)
        .await;
    let student = enter_student(&app, &teacher, &class, &Student::numbered(1)).await;
    let paths = [
        format!("/records/students/{student}"),
        format!("/records/classes/{class}"),
        "/records".to_owned(),
    ];
    let mut missing = Vec::new();
    for round in 0..40 {
        // Now and then the session's last-seen time is due to be written back.
        if round % 4 == 0 {
            app.clock.advance(chrono::Duration::seconds(31));
        }
        let calls = paths.iter().cycle().take(12).map(|path| {
            let (teacher, url) = (teacher.clone(), format!("{}{path}", app.address));
            async move {
                let response = teacher.get(&url).send().await.unwrap();
                let status = response.status().as_u16();
                let policy =
                    crate::helpers::header(&response, "content-security-policy").to_owned();
                let html = response.text().await.unwrap();
                (status, policy, html.contains("<script"))
            }
        });
        for (status, policy, scripted) in futures::future::join_all(calls).await {
            // A page that runs a script allows its nonce; one without allows none.
            let own = policy.starts_with("default-src 'self'")
                && if scripted {
                    policy.contains("'nonce-")
                } else {
                    policy.contains("script-src 'none'")
                };
            if status != 200 || !own {
                missing.push(format!("round {round}: {status} {policy}"));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}
