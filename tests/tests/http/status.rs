use crate::helpers::{header, schema, spawn_app};

#[tokio::test]
async fn status_reports_the_schema_and_the_injected_clock() {
    let app = spawn_app().await;
    let response = app.call("/api/status", &[]).await;
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
    let status: serde_json::Value = app.call("/api/status", &[]).await.json().await.unwrap();
    assert_eq!(status["checked_at"], "2026-09-01 09:30:00");
    assert_eq!(
        status["installed_at"], "2026-09-01 08:00:00",
        "installation time is kept"
    );
}

#[tokio::test]
async fn a_database_failure_is_an_opaque_500_with_the_request_id() {
    let app = spawn_app().await;
    sqlx::query("DROP TABLE installation")
        .execute(&app.pool)
        .await
        .unwrap();
    let response = app.call("/api/status", &[]).await;
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
