//! The records administrator's verification queue: every record waiting, counted and paged,
//! what changed since the last verification, what the portal found, next and previous
//! through it, and the records with nothing found verified together.

use app::domain::Role;
use reqwest::Client;

use crate::{
    fixtures::{Student, call, enter_student, seed_class, with},
    helpers::{TestApp, browser_post, spawn_app},
};

async fn submit(app: &TestApp, teacher: &Client, student: &str) {
    let response = app
        .call_as(
            teacher,
            "/api/records/student/step",
            &[("student_id", student), ("step", "submit")],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}

#[tokio::test]
async fn the_queue_counts_marks_and_moves_through_what_waits() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let records = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let mut a = Student::numbered(71);
    a.name = "安小雨".into();
    let a_id = enter_student(&app, &teacher, &class, &a).await;
    // Without a 学籍号: a finding.
    let mut b = Student::numbered(72);
    b.name = "白小雨".into();
    let form = with(
        b.form(),
        &[
            ("class_id", &class),
            ("record[student][student_number]", ""),
        ],
    );
    assert_eq!(
        call(&app, &teacher, "/api/records/student/save", &form)
            .await
            .status(),
        200
    );
    let b_id: String =
        app::db::query_scalar("SELECT public_id FROM students WHERE name = '白小雨'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let mut c = Student::numbered(73);
    c.name = "曹小雨".into();
    let c_id = enter_student(&app, &teacher, &class, &c).await;
    for id in [&a_id, &b_id, &c_id] {
        submit(&app, &teacher, id).await;
        app.clock.advance(chrono::Duration::minutes(1));
    }

    let queue = app.json(&records, "/api/records/queue", &[]).await;
    assert_eq!(queue["total"], 3);
    let rows = queue["rows"].as_array().unwrap();
    let order: Vec<&str> = rows
        .iter()
        .map(|r| r["student_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        [a_id.as_str(), b_id.as_str(), c_id.as_str()],
        "oldest first"
    );
    assert!(rows.iter().all(|r| r["first"] == true));
    assert_eq!(rows[1]["findings"], serde_json::json!(["student_number"]));
    assert_eq!(rows[0]["findings"], serde_json::json!([]));
    let (_, html) = app.page(&records, "/records/queue").await;
    assert!(html.contains("共 3 条记录待核实"));
    assert!(html.contains(&format!(r#"name="students[]" value="{a_id}""#)));
    assert!(
        !html.contains(&format!(r#"name="students[]" value="{b_id}""#)),
        "a finding: one by one"
    );
    let (_, home) = app.page(&records, "/records").await;
    assert!(home.contains("全部 3 条待核实"));

    // The review page says where one is, and verifying goes on to the next record.
    let (_, page) = app
        .page(&records, &format!("/records/students/{b_id}"))
        .await;
    assert!(page.contains("待核实第 2 条，共 3 条"));
    assert!(page.contains(&format!(r#"rel="prev" href="/records/students/{a_id}""#)));
    assert!(page.contains(&format!(r#"rel="next" href="/records/students/{c_id}""#)));
    assert!(page.contains("首次提交核实"));
    assert!(page.contains(r#"list="return-templates""#) && page.contains("请核对监护人联系电话"));
    let (status, location) = browser_post(
        &app,
        &records,
        "/api/records/student/step",
        &format!("/records/students/{a_id}"),
        &[("student_id", &a_id), ("step", "verify")],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (
            302,
            format!("/records/students/{b_id}?done=verified").as_str()
        )
    );

    // Changed after verification: back in the queue, the changed field marked.
    let form = with(
        a.form(),
        &[
            ("student_id", &a_id),
            ("record[student][phone]", "13900001234"),
        ],
    );
    assert_eq!(
        call(&app, &teacher, "/api/records/student/save", &form)
            .await
            .status(),
        200
    );
    let queue = app.json(&records, "/api/records/queue", &[]).await;
    let row = queue["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["student_id"] == a_id.as_str())
        .expect("back in the queue");
    assert_eq!(row["first"], false);
    assert_eq!(row["changed"], serde_json::json!(["phone"]));
    let (_, page) = app
        .page(&records, &format!("/records/students/{a_id}"))
        .await;
    assert!(page.contains("自上次核实或退回以来修改了 1 项"));
    let at = page.find(r#"data-field="phone""#).expect("the phone field");
    let field: String = page[at..].chars().take(200).collect();
    let tag: String = field.chars().take(60).collect();
    assert!(
        tag.contains("changed") && field.contains("已修改"),
        "marked: {field}"
    );

    // Verified together: those with nothing found; the others stay.
    let (status, location) = browser_post(
        &app,
        &records,
        "/api/records/queue/verify",
        "/records/queue",
        &[
            ("students[]", &a_id),
            ("students[]", &b_id),
            ("students[]", &c_id),
        ],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (302, "/records/queue?done=batch_verified&verified=2&kept=1")
    );
    for (id, expected) in [
        (&a_id, "verified"),
        (&b_id, "submitted"),
        (&c_id, "verified"),
    ] {
        let status: String =
            app::db::query_scalar("SELECT status FROM students WHERE public_id = $1")
                .bind(id)
                .fetch_one(&app.pool)
                .await
                .unwrap();
        assert_eq!(status, expected);
    }
    let verified: i64 =
        app::db::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'student.verified'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(verified, 3, "one entry per record");
    let (_, html) = app
        .page(
            &records,
            "/records/queue?done=batch_verified&verified=2&kept=1",
        )
        .await;
    assert!(html.contains("已核实 2 条；1 条未核实"));

    // Nothing picked, or more than a page: refused, nothing done.
    assert_eq!(
        app.call_as(&records, "/api/records/queue/verify", &[])
            .await
            .status(),
        400
    );
    let many: Vec<(&str, &str)> = (0..51).map(|_| ("students[]", b_id.as_str())).collect();
    assert_eq!(
        app.call_as(&records, "/api/records/queue/verify", &many)
            .await
            .status(),
        400
    );
    // Only records administrators work the queue.
    assert_eq!(
        app.call_as(&teacher, "/api/records/queue", &[])
            .await
            .status(),
        403
    );
}
