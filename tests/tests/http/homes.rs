//! Where sign-in leads: the page the person came for when they opened it signed out, else
//! their role's home.

use app::domain::Role;
use reqwest::Client;

use app::clock::Clock;

use crate::helpers::{PASSWORD, TestApp, browser_post, header, spawn_app};

/// Signs `username` in as a browser without JavaScript; where the answer sends it.
async fn sign_in(app: &TestApp, browser: &Client, username: &str) -> String {
    let (status, location) = browser_post(
        app,
        browser,
        "/api/sign-in",
        "/sign-in",
        &[("username", username), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(status, 302);
    location
}

#[tokio::test]
async fn sign_in_leads_each_role_to_where_its_work_waits() {
    let app = spawn_app().await;
    for (username, roles, home) in [
        ("wang", &[Role::HomeroomTeacher][..], "/records"),
        ("records", &[Role::RecordsAdmin][..], "/records"),
        ("leader", &[Role::Leader][..], "/"),
        ("group", &[Role::LeadingGroup][..], "/"),
        ("admin", &[Role::SystemAdmin][..], "/admin/accounts"),
        ("nobody", &[][..], "/account"),
    ] {
        app.create_user(username, roles).await;
        let browser = app.browser();
        assert_eq!(sign_in(&app, &browser, username).await, home, "{username}");
        let page = browser.get(app.url(home)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{username} may open {home}");
    }
}

#[tokio::test]
async fn a_link_opened_signed_out_survives_sign_in_once() {
    let app = spawn_app().await;
    app.create_user("wang", &[Role::HomeroomTeacher]).await;
    let browser = app.browser();
    let wanted = "/records/classes/c0ffee?state=returned";
    // Opened signed out (with an earlier outcome's message, which is not said again).
    let response = browser
        .get(app.url(&format!("{wanted}&done=saved")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(header(&response, "location"), "/sign-in");
    let cookie = header(&response, "set-cookie").to_owned();
    assert!(cookie.starts_with("xueji_return="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("Max-Age=1800"));
    assert!(
        !cookie.contains("records"),
        "no address in the clear: {cookie}"
    );

    assert_eq!(sign_in(&app, &browser, "wang").await, wanted);
    // Followed once: signing in again leads home.
    browser
        .post(app.url("/api/sign-out"))
        .header("origin", &app.origin)
        .send()
        .await
        .unwrap();
    assert_eq!(sign_in(&app, &browser, "wang").await, "/records");
}

#[tokio::test]
async fn only_a_page_of_this_site_is_returned_to() {
    let app = spawn_app().await;
    app.create_user("wang", &[Role::HomeroomTeacher]).await;
    // Files, server functions and the sign-in page itself are not pages to come back to.
    for path in ["/pkg/nothing.js", "/api/records", "/sign-in"] {
        let browser = app.browser();
        let response = browser.get(app.url(path)).send().await.unwrap();
        assert!(
            header(&response, "set-cookie").is_empty()
                || !header(&response, "set-cookie").starts_with("xueji_return="),
            "{path}"
        );
    }
    // A cookie planted by hand that names another site is ignored.
    let browser = app.browser();
    let evil = base64_url("//evil.example/x");
    let response = browser
        .post(app.url("/api/sign-in"))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "text/html")
        .header("cookie", format!("xueji_return={evil}"))
        .form(&[("username", "wang"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "location"), "/records");
}

fn base64_url(text: &str) -> String {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    URL_SAFE_NO_PAD.encode(text)
}

/// What `client`'s to-do list holds: (what, count, where it leads).
async fn todo(app: &TestApp, client: &Client) -> Vec<(String, i64, String)> {
    app.json(client, "/api/todo", &[])
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["what"].as_str().unwrap().to_owned(),
                i["count"].as_i64().unwrap(),
                i["href"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_home_begins_with_what_waits_oldest_first_one_tap_to_the_first() {
    use crate::fixtures::{Student, enter_student, seed_class};
    let s = crate::requests::school().await;
    let app = &s.app;
    let step = |client: &Client, student: &str, step: &'static str, reason: &'static str| {
        let (client, student) = (client.clone(), student.to_owned());
        async move {
            app.call_as(
                &client,
                "/api/records/student/step",
                &[("student_id", &student), ("step", step), ("reason", reason)],
            )
            .await
            .status()
            .as_u16()
        }
    };
    // Nothing waits yet for the records administrator.
    assert_eq!(todo(app, &s.records).await, vec![]);
    let html = crate::helpers::browser_page(app, &s.records, "/records").await;
    assert!(html.contains("目前没有等您处理的事项。"));

    // Three records handed in minutes apart, the first returned and fixed later.
    let named = |name: &str, n: u32| Student {
        name: name.into(),
        ..Student::numbered(n)
    };
    let second = enter_student(app, &s.teacher, &s.class, &named("李小红", 8)).await;
    let third = enter_student(app, &s.teacher, &s.class, &named("赵小刚", 9)).await;
    for student in [&s.student, &second, &third] {
        assert_eq!(step(&s.teacher, student, "submit", "").await, 200);
        app.clock.advance(chrono::Duration::minutes(1));
    }
    assert_eq!(
        step(&s.records, &s.student, "return", "母亲的电话请再核对").await,
        200
    );
    // The teacher is told, first thing, and one tap opens the returned record.
    assert_eq!(
        todo(app, &s.teacher).await,
        vec![(
            "returned".to_owned(),
            1,
            format!("/records/students/{}", s.student)
        )]
    );
    app.clock.advance(chrono::Duration::minutes(3));
    assert_eq!(step(&s.teacher, &s.student, "submit", "").await, 200);
    // Fixed later, it waits where it first waited: first in the queue, not last.
    let queue = app.json(&s.records, "/api/records/queue", &[]).await;
    assert_eq!(
        queue["rows"][0]["student_id"],
        s.student.as_str(),
        "{queue}"
    );
    assert_eq!(
        todo(app, &s.records).await,
        vec![(
            "verify".to_owned(),
            3,
            format!("/records/students/{}", s.student)
        )]
    );
    // The header counts what waits beside 学籍.
    assert_eq!(app.json(&s.records, "/api/records/waiting", &[]).await, 3);
    // The header's one read of every count says the same.
    assert_eq!(app.json(&s.records, "/api/header", &[]).await["records"], 3);

    // The queue by class: another class's record is not among this one's.
    let other_teacher = app.signed_in("zhou", &[Role::HomeroomTeacher]).await;
    let other = seed_class(app, "2班", Some(app.user_id("zhou").await)).await;
    let theirs = enter_student(app, &other_teacher, &other, &Student::numbered(20)).await;
    assert_eq!(step(&other_teacher, &theirs, "submit", "").await, 200);
    let all = app.json(&s.records, "/api/records/queue", &[]).await;
    assert_eq!(all["total"], 4);
    assert_eq!(all["classes"].as_array().unwrap().len(), 2);
    let one = app
        .json(&s.records, "/api/records/queue", &[("class", &other)])
        .await;
    assert_eq!(one["total"], 1);
    assert_eq!(one["class"], other.as_str());
    assert_eq!(one["rows"][0]["student_id"], theirs.as_str());
    let html =
        crate::helpers::browser_page(app, &s.records, &format!("/records/queue?class={other}"))
            .await;
    assert!(html.contains("data-testid=\"queue-classes\""));

    // The leader: a request to decide and a destruction batch, the older first.
    s.file(&s.requester, &["phone"]).await;
    app.clock.advance(chrono::Duration::minutes(1));
    app::db::query(
        "INSERT INTO destructions (public_id, state, proposed_by, proposed_at, reason, student_count) \
         VALUES ('b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0', 'proposed', $1, $2, '离校满三年', 0)",
    )
    .bind(app.user_id("chen").await)
    .bind(app.clock.now())
    .execute(&app.pool)
    .await
    .unwrap();
    let request: String =
        app::db::query_scalar("SELECT public_id FROM info_requests ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        todo(app, &s.leader).await,
        vec![
            (
                "decide_requests".to_owned(),
                1,
                format!("/requests/{request}")
            ),
            (
                "decide_destructions".to_owned(),
                1,
                "/destructions/b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0".to_owned()
            ),
        ]
    );
    // Its home says so before anything else.
    let html = crate::helpers::browser_page(app, &s.leader, "/").await;
    let todo_at = html.find("data-testid=\"todo\"").unwrap();
    assert!(
        todo_at < html.find("id=\"home-title\"").unwrap(),
        "the to-do list first"
    );
    assert!(html.contains("1 批学籍销毁待审批"));
}
