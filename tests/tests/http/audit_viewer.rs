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
    // Each reading is itself recorded, once per filter and session; the teacher's refusal
    // too.
    let latest = trail(&app, &leader, &[]).await;
    let latest = actions(&latest);
    assert_eq!(
        latest[0], "authz.read_audit",
        "the same reading again is not a new entry"
    );
    assert_eq!(latest[1], "audit.read", "the first reading");
}

async fn readings(app: &TestApp) -> i64 {
    app::db::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'audit.read'")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn viewing_the_trail_does_not_flood_it() {
    let app = spawn_app().await;
    let leader = app.signed_in("liuxiaozhang", &[Role::Leader]).await;
    for _ in 0..55 {
        app.sign_in_with(&app.browser(), "liuxiaozhang", PASSWORD)
            .await;
    }
    let first = trail(&app, &leader, &[("action", "auth.sign_in")]).await;
    assert_eq!(readings(&app).await, 1);
    // Reloading it, and paging through it, is the same reading.
    trail(&app, &leader, &[("action", "auth.sign_in")]).await;
    let before = first["next_before"]
        .as_i64()
        .expect("a second page")
        .to_string();
    trail(
        &app,
        &leader,
        &[("action", "auth.sign_in"), ("before", before.as_str())],
    )
    .await;
    for _ in 0..3 {
        leader
            .get(app.url("/audit?action=auth.sign_in"))
            .send()
            .await
            .unwrap();
    }
    assert_eq!(
        readings(&app).await,
        1,
        "one reading per session and filter"
    );
    // Another filter is another reading; so is the same filter in another session.
    trail(&app, &leader, &[]).await;
    assert_eq!(readings(&app).await, 2);
    let again = app.browser();
    app.sign_in_with(&again, "liuxiaozhang", PASSWORD).await;
    trail(&app, &again, &[]).await;
    assert_eq!(readings(&app).await, 3);
}

#[tokio::test]
async fn the_trail_names_actions_in_words_and_students_for_those_who_may_see_them() {
    use crate::fixtures::{Student, enter_student, seed_class};
    let app = spawn_app().await;
    let teacher = app.signed_in("wanglaoshi", &[Role::HomeroomTeacher]).await;
    let records = app.signed_in("chenguanli", &[Role::RecordsAdmin]).await;
    let leader = app.signed_in("liuxiaozhang", &[Role::Leader]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wanglaoshi").await)).await;
    let student = enter_student(&app, &teacher, &class, &Student::numbered(7)).await;
    let other = enter_student(&app, &teacher, &class, &Student::numbered(8)).await;
    let unmasked = app
        .call_as(
            &records,
            "/api/records/student/unmask",
            &[
                ("student_id", &student),
                ("field", "guardians.0.phone"),
                ("reason", "核对家长联系电话"),
            ],
        )
        .await;
    assert_eq!(unmasked.status(), 200);

    // Filtered by the student: their entries only, in words, with the reason and the field.
    let html = app
        .page(&records, &format!("/audit?student={student}"))
        .await
        .1;
    assert!(
        html.contains("查看一项机密信息") && html.contains("录入学生"),
        "actions in words"
    );
    assert!(!html.contains("<code>student.unmasked</code>"));
    assert!(html.contains("核对家长联系电话"), "the reason");
    assert!(
        html.contains("查看的字段：家庭成员 1 · 联系电话（手机）"),
        "the field"
    );
    assert!(html.contains(&format!(
        r#"<a href="/records/students/{student}">王小明</a>"#
    )));
    let view = trail(&app, &records, &[("student", student.as_str())]).await;
    let ids: Vec<&str> = view["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["student"][0].as_str().unwrap())
        .collect();
    assert!(
        !ids.is_empty() && ids.iter().all(|id| *id == student),
        "{ids:?}"
    );
    assert!(!view.to_string().contains(&other));
    // The printed extract says what it holds, who printed it and when.
    assert!(
        html.contains("审计记录摘录 · 学生：") && html.contains("chenguanli 老师 (chenguanli) 于")
    );

    // A leader reads the same entries without the student's name.
    let html = app
        .page(&leader, &format!("/audit?student={student}"))
        .await
        .1;
    assert!(html.contains("查看一项机密信息"));
    assert!(
        !html.contains("王小明"),
        "no name for who may not see students"
    );
    assert!(html.contains(&format!("学生（记录 {}）", &student[..8])));
    // A refusal is named by what was refused.
    app.call_as(&teacher, "/api/audit", &[]).await;
    let html = app.page(&leader, "/audit?action=authz.read_audit").await.1;
    assert!(html.contains("访问被拒绝：查看审计记录"));
    // An id that names no student is refused beside its field.
    assert_eq!(
        app.call_as(&leader, "/api/audit", &[("student", "0123abcd")])
            .await
            .status(),
        400
    );
    assert_eq!(
        app.call_as(&leader, "/api/audit", &[("student", "x' OR 1=1")])
            .await
            .status(),
        400
    );
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
    app.drop_trigger("audit_log_no_update", "audit_log").await;
    app::db::query("UPDATE audit_log SET outcome = 'failure' WHERE seq = 1")
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
