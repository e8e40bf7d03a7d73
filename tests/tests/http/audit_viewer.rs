use app::domain::Role;

use crate::helpers::{PASSWORD, TestApp, spawn_app};

async fn trail(app: &TestApp, who: &reqwest::Client, form: &[(&str, &str)]) -> serde_json::Value {
    let response = app.call_as(who, "/api/audit", form).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn actions(view: &serde_json::Value) -> Vec<String> {
    view["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn each_role_reads_its_part_of_the_trail() {
    let app = spawn_app().await;
    let leader = app.signed_in("liuxiaozhang", &[Role::Leader]).await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    let records = app.signed_in("chenguanli", &[Role::RecordsAdmin]).await;
    let teacher = app.signed_in("wanglaoshi", &[Role::HomeroomTeacher]).await;

    let all = trail(&app, &leader, &[]).await;
    assert!(actions(&all).iter().any(|a| a == "auth.sign_in"));
    assert_eq!(all["chain"]["intact"], true);
    let accounts = trail(&app, &admin, &[]).await;
    assert!(actions(&accounts).iter().all(|a| {
        ["auth.", "account.", "role_grant.", "authz.", "audit."]
            .iter()
            .any(|p| a.starts_with(p))
    }));
    assert!(actions(&accounts).iter().any(|a| a == "auth.sign_in"));
    // Nothing about records exists yet, and the accounts part is not theirs.
    assert!(actions(&trail(&app, &records, &[]).await).is_empty());

    let refused = app.call_as(&teacher, "/api/audit", &[]).await;
    assert_eq!(refused.status(), 403);
    // Each reading is itself recorded; the teacher's refusal too.
    let latest = trail(&app, &leader, &[]).await;
    let latest = actions(&latest);
    assert_eq!(
        latest[0], "audit.read",
        "the reading that produced the page"
    );
    assert!(latest.iter().any(|a| a == "authz.read_audit"));
}

#[tokio::test]
async fn filters_and_pages_through_the_trail() {
    let app = spawn_app().await;
    let leader = app.signed_in("liuxiaozhang", &[Role::Leader]).await;
    let teacher_id = app
        .create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    for _ in 0..60 {
        assert_eq!(
            app.sign_in_with(&app.browser(), "wanglaoshi", PASSWORD)
                .await
                .status(),
            200
        );
    }

    let id = teacher_id.to_string();
    let first = trail(
        &app,
        &leader,
        &[("actor", id.as_str()), ("action", "auth.sign_in")],
    )
    .await;
    assert_eq!(first["entries"].as_array().unwrap().len(), 50);
    assert!(actions(&first).iter().all(|a| a == "auth.sign_in"));
    let before = first["next_before"].as_i64().expect("a next page");
    let before = before.to_string();
    let second = trail(
        &app,
        &leader,
        &[
            ("actor", id.as_str()),
            ("action", "auth.sign_in"),
            ("before", before.as_str()),
        ],
    )
    .await;
    assert_eq!(second["entries"].as_array().unwrap().len(), 10);
    assert!(second["next_before"].is_null());

    // Dates are the school's: the clock stands at 08:00 in Shanghai on 1 September.
    assert_eq!(
        trail(&app, &leader, &[("from", "2026-09-02")]).await["entries"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert!(
        !trail(
            &app,
            &leader,
            &[("from", "2026-09-01"), ("until", "2026-09-01")]
        )
        .await["entries"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let bad = app
        .call_as(&leader, "/api/audit", &[("from", "1 September")])
        .await;
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn the_page_shows_a_broken_chain() {
    let app = spawn_app().await;
    let leader = app.signed_in("liuxiaozhang", &[Role::Leader]).await;
    sqlx::query("DROP TRIGGER audit_log_no_update")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET outcome = 'failure' WHERE seq = 1")
        .execute(&app.pool)
        .await
        .unwrap();
    let view = trail(&app, &leader, &[]).await;
    assert_eq!(view["chain"]["intact"], false);
    assert_eq!(view["chain"]["broken_at"], 1);
    let html = leader
        .get(app.url("/audit"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("校验失败：第 1 条记录"), "the page says so");
}
