use app::domain::Role;

use crate::helpers::{header, schema, spawn_app};

#[tokio::test]
async fn status_reports_the_schema_and_the_injected_clock() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    let response = app.call_as(&admin, "/api/status", &[]).await;
    assert_eq!(response.status(), 200);
    let status: serde_json::Value = response.json().await.unwrap();
    let (latest, count) = schema();
    assert_eq!(status["migration_version"], latest);
    assert_eq!(status["migrations_applied"], count);
    assert_eq!(status["journal_mode"], "wal");
    assert_eq!(status["timezone"], "Asia/Shanghai");
    // The clock stands at 00:00 UTC, 08:00 in Shanghai.
    assert_eq!(status["installed_at"], "2026-09-01 08:00:00");
    assert_eq!(status["checked_at"], "2026-09-01 08:00:00");

    app.clock.advance(chrono::Duration::minutes(90));
    // (A privileged session ends after 30 idle minutes: a new sign-in.)
    let admin = app.browser();
    app.sign_in_with(&admin, "admin", crate::helpers::PASSWORD)
        .await;
    let status: serde_json::Value = app.json(&admin, "/api/status", &[]).await;
    assert_eq!(status["checked_at"], "2026-09-01 09:30:00");
    assert_eq!(
        status["installed_at"], "2026-09-01 08:00:00",
        "installation time is kept"
    );
}

#[tokio::test]
async fn the_portal_s_inner_workings_are_the_system_administrator_s_alone() {
    let app = spawn_app().await;
    let (latest, _) = schema();
    // Anonymous: refused, and the home page shows no schema, journal or installation time.
    assert_eq!(app.call("/api/status", &[]).await.status(), 401);
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("home-title"), "the page rendered");
    for inner in ["data-testid=\"migration\"", "WAL", &latest.to_string()] {
        assert!(!home.contains(inner), "{inner} on the anonymous home page");
    }
    for role in [
        Role::HomeroomTeacher,
        Role::RecordsAdmin,
        Role::Leader,
        Role::LeadingGroup,
    ] {
        let client = app.signed_in(&role.code().replace('_', "-"), &[role]).await;
        assert_eq!(app.call_as(&client, "/api/status", &[]).await.status(), 403);
        let home = app.page(&client, "/").await.1;
        assert!(home.contains("home-title") && !home.contains("data-testid=\"migration\""));
    }
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    let home = app.page(&admin, "/").await.1;
    assert!(home.contains("data-testid=\"migration\""), "{home}");
}

#[tokio::test]
async fn a_database_failure_is_an_opaque_500_with_the_request_id() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    app::db::query("DROP TABLE installation")
        .execute(&app.pool)
        .await
        .unwrap();
    let response = app.call_as(&admin, "/api/status", &[]).await;
    assert_eq!(response.status(), 500);
    let request_id = header(&response, "x-request-id").to_owned();
    assert!(!request_id.is_empty());
    let body = response.text().await.unwrap();
    let error: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["kind"], "internal");
    assert_eq!(error["request_id"], request_id.as_str());
    // The database's own words stay in the log.
    assert!(!body.contains("installation"), "{body}");
    assert!(!body.to_lowercase().contains("sql"), "{body}");
}

/// The header's count of the verification queue stops at the cap ("999+"), so that a
/// records administrator's every page costs the same at 1,200 submitted records as at
/// 200,000; the queue's own page still says how many there are.
#[tokio::test]
async fn the_header_stops_counting_where_a_count_would_grow_with_the_school() {
    let app = spawn_app().await;
    let filled = server::commands::demo_data(
        &app.settings,
        app.clock.clone(),
        1_200,
        3,
        crate::helpers::PASSWORD,
    )
    .await
    .unwrap();
    app::db::query("UPDATE students SET status = 'submitted', left_at = NULL")
        .execute(&app.pool)
        .await
        .unwrap();
    let records = filled
        .accounts
        .iter()
        .find(|(role, _)| *role == Role::RecordsAdmin)
        .map(|(_, username)| username.clone())
        .unwrap();
    let browser = app.browser();
    app.sign_in_with(&browser, &records, crate::helpers::PASSWORD)
        .await;
    let counts = app.json(&browser, "/api/header", &[]).await;
    assert_eq!(
        counts["records"],
        app::features::status::views::HEADER_CAP,
        "{counts}"
    );
    let (_, page) = app.page(&browser, "/records/queue").await;
    assert!(page.contains(">999+</span>"), "the header says 999+");
    assert!(page.contains("1200"), "the queue's page says how many");
}
