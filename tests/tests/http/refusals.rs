//! What a refusal leaves behind: a page that refuses says so in its status, a stranger's
//! link writes nothing in a person's name, and a loop of refused requests is one entry and a
//! count, not an entry each.

use app::{clock::Clock, domain::Role};

use crate::helpers::{TestApp, spawn_app};

async fn entries(app: &TestApp, action: &str) -> Vec<(String, Option<String>)> {
    app::db::query_as("SELECT outcome, details FROM audit_log WHERE action = $1 ORDER BY seq")
        .bind(action)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

async fn trail_length(app: &TestApp) -> i64 {
    app::db::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn refused_pages_answer_403_or_404() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    let get = async |client: &reqwest::Client, path: &str| {
        let response = client.get(app.url(path)).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    };
    for path in [
        "/admin/accounts",
        "/admin/role-grants",
        "/audit",
        "/records/structure",
    ] {
        let (status, html) = get(&teacher, path).await;
        assert_eq!(status, 403, "{path}");
        assert!(html.contains("role=\"alert\""), "{path} says why: {html}");
    }
    let (status, _) = get(&teacher, &format!("/records/students/{}", "0".repeat(32))).await;
    assert!(status == 403 || status == 404, "{status}");
    let (status, _) = get(&teacher, "/records/import/no-such-upload").await;
    assert!(status == 403 || status == 404, "{status}");
    // Positive controls: what one may see still answers 200.
    assert_eq!(get(&admin, "/admin/accounts").await.0, 200);
    assert_eq!(get(&teacher, "/records").await.0, 200);
}

#[tokio::test]
async fn a_link_from_another_site_writes_nothing_in_the_person_s_name() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let before = trail_length(&app).await;
    // An attacker's page links to the audit viewer with words of their own, and to a page the
    // teacher may not open.
    let planted = "/audit?action=%E8%AF%B7%E8%87%B4%E7%94%B5%2013800000000&from=2026-09-01";
    for (client, path) in [(&admin, planted), (&teacher, "/admin/accounts")] {
        let response = client
            .get(app.url(path))
            .header("sec-fetch-site", "cross-site")
            .header("sec-fetch-mode", "navigate")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        assert!(html.contains("继续打开此页面"), "{html}");
        assert!(
            !html.contains("<script"),
            "the continue page runs nothing: {html}"
        );
    }
    assert_eq!(trail_length(&app).await, before, "nothing was written");
    // The continue page's link is the portal's own: never to another host.
    let html = admin
        .get(app.url("//evil.example/audit"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("href=\"//"), "{html}");

    // Opened from the portal itself, the planted words are refused, not written down.
    let response = admin
        .get(app.url(planted))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let trail: Vec<String> = app::db::query_scalar("SELECT COALESCE(details, '') FROM audit_log")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(
        trail.iter().all(|d| !d.contains("13800000000")),
        "{trail:?}"
    );
    // Positive control: a real filter works and is recorded.
    let response = admin
        .get(app.url("/audit?action=auth.sign_in&from=2026-9-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let read = entries(&app, "audit.read").await;
    let details = read.last().unwrap().1.clone().unwrap();
    assert!(
        details.contains("\"action\":\"auth.sign_in\"")
            && details.contains("\"from\":\"2026-09-01\""),
        "{details}"
    );
}

#[tokio::test]
async fn a_loop_of_refused_requests_is_one_entry_and_a_count() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let before = trail_length(&app).await;
    for _ in 0..50 {
        let response = app.call_as(&teacher, "/api/admin/accounts", &[]).await;
        assert_eq!(response.status(), 403);
    }
    // Another refusal is its own entry.
    assert_eq!(
        app.call_as(&teacher, "/api/admin/role-grants", &[])
            .await
            .status(),
        403
    );
    assert_eq!(entries(&app, "authz.manage_accounts").await.len(), 1);
    assert_eq!(entries(&app, "authz.review_role_grants").await.len(), 1);
    assert_eq!(trail_length(&app).await, before + 2);

    // After the window, the next refusal brings the count in, then its own entry.
    app.clock
        .advance(app::kit::audit::chain::DENIAL_WINDOW + chrono::Duration::seconds(1));
    let teacher = app.browser();
    app.sign_in_with(&teacher, "wang", crate::helpers::PASSWORD)
        .await;
    assert_eq!(
        app.call_as(&teacher, "/api/admin/accounts", &[])
            .await
            .status(),
        403
    );
    let repeated = entries(&app, "authz.denied_repeatedly").await;
    assert_eq!(repeated.len(), 1, "{repeated:?}");
    let details = repeated[0].1.clone().unwrap();
    assert!(
        details.contains("\"repeated\":49") && details.contains("authz.manage_accounts"),
        "{details}"
    );
    assert_eq!(entries(&app, "authz.manage_accounts").await.len(), 2);

    // A window nobody returns to is closed by the server's minute ticker; here, by hand.
    for _ in 0..3 {
        app.call_as(&teacher, "/api/admin/role-grants", &[]).await;
    }
    app.clock
        .advance(app::kit::audit::chain::DENIAL_WINDOW + chrono::Duration::seconds(1));
    let keys = server::keys::load(&app.settings.key_file, &app.pool, false)
        .await
        .unwrap();
    let closed =
        app::kit::audit::chain::close_denial_windows(&app.pool, &keys.audit, app.clock.now())
            .await
            .unwrap();
    assert!(closed >= 1);
    let repeated = entries(&app, "authz.denied_repeatedly").await;
    assert!(
        repeated
            .iter()
            .any(|(_, d)| d.as_deref().unwrap().contains("authz.review_role_grants")),
        "{repeated:?}"
    );
}

#[tokio::test]
async fn the_audit_viewer_does_not_say_whether_an_action_outside_one_s_part_exists() {
    let app = spawn_app().await;
    let records = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    let filter = async |client: &reqwest::Client, action: &str| {
        let response = app
            .call_as(client, "/api/audit", &[("action", action)])
            .await;
        let status = response.status().as_u16();
        let mut body: serde_json::Value = response.json().await.unwrap();
        body.as_object_mut().unwrap().remove("request_id");
        (status, body)
    };
    // auth.sign_in is in the trail (the sign-ins above), in the accounts part.
    assert_eq!(filter(&admin, "auth.sign_in").await.0, 200);
    let outside = filter(&records, "auth.sign_in").await;
    let nowhere = filter(&records, "auth.no_such_action").await;
    assert_eq!(outside.0, 400);
    assert_eq!(outside, nowhere, "the same answer for both");
}
