//! "Does this number exist?" gets no answer: a homeroom teacher's search, form save, import
//! dry run and commit answer the same for another class's child's number as for nobody's; a
//! 绝密 record is never found by number; every number search is an audit entry within an
//! hourly budget whose overrun tells the other records administrators; a clash is the records
//! administrator's to resolve.

use app::domain::Role;
use reqwest::Client;

use crate::{
    fixtures::{
        Student, call, dry_run, enter_student, last_import, roster_csv, roster_row, seed_class,
        upload_roster, with,
    },
    helpers::{TestApp, spawn_app},
};

/// An answer with its opaque ids (32 hex digits) replaced, so that two answers can be
/// compared byte for byte.
fn normalized(status: u16, body: &str) -> String {
    let mut out = format!("{status} ");
    let chars: Vec<char> = body.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            .count();
        if run == 32 {
            out.push_str("<id>");
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

async fn answer(response: reqwest::Response) -> String {
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .or_else(|| response.headers().get("serverfnredirect"))
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = response.text().await.unwrap();
    normalized(status, &format!("{location} {body}"))
}

/// Everything a teacher gets back when they use the numbers: a search and a saved record
/// with `form_number`, an import's upload, dry run and commit of a row with `row_number`.
async fn transcript(
    app: &TestApp,
    teacher: &Client,
    class: &str,
    form_number: &str,
    row_number: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    out.push(
        answer(
            app.call_as(teacher, "/api/records/search", &[("query", form_number)])
                .await,
        )
        .await,
    );
    out.push(
        answer(
            app.call_as(teacher, "/api/records/search/results", &[])
                .await,
        )
        .await,
    );
    // The form: a new student with that number (and the 学籍号 made from it).
    let mut student = Student::numbered(900);
    student.id_number = form_number.to_owned();
    out.push(
        answer(
            call(
                app,
                teacher,
                "/api/records/student/save",
                &with(student.form(), &[("class_id", class)]),
            )
            .await,
        )
        .await,
    );
    let mut row = Student::numbered(901);
    row.id_number = row_number.to_owned();
    out.push(
        answer(
            upload_roster(
                app,
                teacher,
                class,
                "roster.csv",
                roster_csv(&[roster_row(&row)]).into_bytes(),
            )
            .await,
        )
        .await,
    );
    let import = last_import(app).await;
    let view = dry_run(app, teacher, &import).await;
    out.push(normalized(200, &view.to_string()));
    out.push(
        answer(
            app.call_as(
                teacher,
                "/api/records/import/commit",
                &[("import_id", &import)],
            )
            .await,
        )
        .await,
    );
    out
}

/// A school of two classes: wang's (returned) and li's, with two children in li's.
async fn two_classes() -> (TestApp, Client, String, [Student; 2]) {
    let app = spawn_app().await;
    let wang = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let li = app.signed_in("li", &[Role::HomeroomTeacher]).await;
    let own = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let other = seed_class(&app, "2班", Some(app.user_id("li").await)).await;
    let children = [Student::numbered(1), Student::numbered(2)];
    for child in &children {
        enter_student(&app, &li, &other, child).await;
    }
    (app, wang, own, children)
}

#[tokio::test]
async fn another_class_s_number_gets_the_answer_nobody_s_number_gets() {
    // Two schools made alike (same clock, same people, same order): one teacher types
    // numbers of nobody, the other numbers of li's children.
    let (first, wang, own, _) = two_classes().await;
    let for_nobody = transcript(
        &first,
        &wang,
        &own,
        &Student::numbered(3).id_number,
        &Student::numbered(4).id_number,
    )
    .await;
    let (app, wang, own, children) = two_classes().await;
    let for_other_class = transcript(
        &app,
        &wang,
        &own,
        &children[0].id_number,
        &children[1].id_number,
    )
    .await;

    // Positive controls: the form saved and the import imported, both times.
    assert!(for_nobody[2].starts_with("200"), "{}", for_nobody[2]);
    assert!(for_nobody[4].contains("\"valid\":1"), "{}", for_nobody[4]);
    for (step, (a, b)) in for_nobody.iter().zip(&for_other_class).enumerate() {
        assert_eq!(a, b, "answer {step} tells the numbers apart");
    }
    // The clashes are kept, for a records administrator to see.
    let sharing: i64 = app::db::query_scalar(
        "SELECT COUNT(*) FROM students a JOIN students b ON a.id_number_index = b.id_number_index AND a.id < b.id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        sharing, 2,
        "the form's and the import's records share li's children's numbers"
    );

    // A number of the teacher's own class is still told: it tells them nothing new.
    let mut again = Student::numbered(5);
    again.id_number = children[0].id_number.clone();
    let again = call(
        &app,
        &wang,
        "/api/records/student/save",
        &with(again.form(), &[("class_id", &own)]),
    )
    .await;
    assert_eq!(again.status(), 400);
    assert!(again.text().await.unwrap().contains("id_number.duplicate"));
}

#[tokio::test]
async fn a_clash_is_the_records_administrator_s_to_resolve() {
    let app = spawn_app().await;
    let wang = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let li = app.signed_in("li", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let own = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let other = seed_class(&app, "2班", Some(app.user_id("li").await)).await;
    let child = Student::numbered(1);
    enter_student(&app, &li, &other, &child).await;
    let mut twin = Student::numbered(2);
    twin.id_number = child.id_number.clone();
    twin.name = "赵小雨".into();
    let saved = call(
        &app,
        &wang,
        "/api/records/student/save",
        &with(twin.form(), &[("class_id", &own)]),
    )
    .await;
    assert_eq!(saved.status(), 200);
    let twin_id: String =
        app::db::query_scalar("SELECT public_id FROM students WHERE name = '赵小雨'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let submitted = app
        .call_as(
            &wang,
            "/api/records/student/step",
            &[("student_id", &twin_id), ("step", "submit")],
        )
        .await;
    assert_eq!(submitted.status(), 200);
    // The teacher's page says nothing of it.
    let page = app
        .call_as(&wang, "/api/records/student", &[("student_id", &twin_id)])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("赵小雨") && !page.contains("王小明"),
        "{page}"
    );

    // The records administrator sees both records named, and cannot verify either yet.
    let review: serde_json::Value = app
        .json(&admin, "/api/records/student", &[("student_id", &twin_id)])
        .await;
    let clashes = &review["Review"]["clashes"];
    assert_eq!(clashes.as_array().unwrap().len(), 2, "{clashes}");
    assert!(clashes.to_string().contains("王小明"), "{clashes}");
    let html = app
        .page(&admin, &format!("/records/students/{twin_id}"))
        .await
        .1;
    assert!(html.contains("data-testid=\"number-clashes\""), "{html}");
    let verify = app
        .call_as(
            &admin,
            "/api/records/student/step",
            &[("student_id", &twin_id), ("step", "verify")],
        )
        .await;
    assert_eq!(verify.status(), 409);
    assert!(verify.text().await.unwrap().contains("record.number_clash"));

    // Returned, corrected by the teacher, resubmitted: verification goes through.
    app.call_as(
        &admin,
        "/api/records/student/step",
        &[
            ("student_id", &twin_id),
            ("step", "return"),
            ("reason", "请核对身份证号"),
        ],
    )
    .await;
    let fixed = call(
        &app,
        &wang,
        "/api/records/student/save",
        &with(
            Student {
                name: "赵小雨".into(),
                ..Student::numbered(2)
            }
            .form(),
            &[("student_id", &twin_id)],
        ),
    )
    .await;
    assert_eq!(fixed.status(), 200, "{}", fixed.text().await.unwrap());
    app.call_as(
        &wang,
        "/api/records/student/step",
        &[("student_id", &twin_id), ("step", "submit")],
    )
    .await;
    let verify = app
        .call_as(
            &admin,
            "/api/records/student/step",
            &[("student_id", &twin_id), ("step", "verify")],
        )
        .await;
    assert_eq!(verify.status(), 200, "{}", verify.text().await.unwrap());
}

async fn search(app: &TestApp, client: &Client, query: &str) -> (u16, serde_json::Value) {
    let stored = app
        .call_as(client, "/api/records/search", &[("query", query)])
        .await;
    let status = stored.status().as_u16();
    let results = app.json(client, "/api/records/search/results", &[]).await;
    (status, results)
}

fn hits(results: &serde_json::Value) -> usize {
    results["hits"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_top_secret_record_is_never_found_by_number() {
    let app = spawn_app().await;
    let wang = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let own = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let child = Student::numbered(1);
    call(
        &app,
        &wang,
        "/api/records/student/save",
        &with(child.form(), &[("class_id", &own)]),
    )
    .await;
    let student: String = app::db::query_scalar("SELECT public_id FROM students")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let number = format!("G{}", child.id_number);
    // Positive control: found by both numbers while it is 机密.
    assert_eq!(hits(&search(&app, &admin, &child.id_number).await.1), 1);
    assert_eq!(hits(&search(&app, &wang, &number).await.1), 1);
    let marked = app
        .call_as(
            &admin,
            "/api/records/student/classification",
            &[("student_id", &student), ("top_secret", "1")],
        )
        .await;
    assert_eq!(marked.status(), 200);
    for client in [&admin, &wang] {
        assert_eq!(hits(&search(&app, client, &child.id_number).await.1), 0);
        assert_eq!(hits(&search(&app, client, &number).await.1), 0);
        // By name it is still found, masked whole.
        assert_eq!(hits(&search(&app, client, "王小明").await.1), 1);
    }
}

#[tokio::test]
async fn number_searches_are_audited_within_a_budget_that_tells_the_other_records_administrators() {
    let app = spawn_app().await;
    let searcher = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let colleague = app.signed_in("records2", &[Role::RecordsAdmin]).await;
    let budget = app::features::search::service::NUMBER_SEARCHES_PER_HOUR;
    let numbers: Vec<String> = (0..budget + 2)
        .map(|n| Student::numbered(n as u32).id_number)
        .collect();
    for number in &numbers[..budget as usize] {
        let (status, _) = search(&app, &searcher, number).await;
        assert_eq!(status, 200);
    }
    // By name costs nothing.
    assert_eq!(search(&app, &searcher, "wang").await.0, 200);
    let (status, _) = search(&app, &searcher, &numbers[budget as usize]).await;
    assert_eq!(status, 429, "past the budget");
    let (status, _) = search(&app, &searcher, &numbers[budget as usize + 1]).await;
    assert_eq!(status, 429);

    let entries: Vec<(String, String, Option<String>)> = app::db::query_as(
        "SELECT action, outcome, details FROM audit_log WHERE action LIKE 'records.number_search%' ORDER BY seq",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(entries.len(), budget as usize + 2);
    assert!(
        entries[..budget as usize]
            .iter()
            .all(|(a, o, _)| a == "records.number_searched" && o == "success")
    );
    assert!(
        entries[budget as usize..]
            .iter()
            .all(|(a, o, _)| a == "records.number_search_refused" && o == "denied")
    );
    // By blind index, never the number.
    let trail: Vec<String> = app::db::query_scalar("SELECT COALESCE(details, '') FROM audit_log")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    for number in &numbers {
        assert!(
            trail.iter().all(|d| !d.contains(&number[..17])),
            "a number in the trail"
        );
    }
    assert!(entries[0].2.as_deref().unwrap().contains("\"index\":\""));

    // A loop of refused lookups is counted, not written each time: thirty more add nothing
    // to the trail until the window closes, then one entry says how many.
    for n in 0..30u32 {
        let number = Student::numbered(100 + n).id_number;
        assert_eq!(search(&app, &searcher, &number).await.0, 429);
    }
    let refused = || async {
        app::db::query_scalar::<i64>(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'records.number_search_refused'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap()
    };
    assert_eq!(refused().await, 2);
    app.clock.advance(chrono::Duration::minutes(11));
    assert_eq!(search(&app, &searcher, &numbers[0]).await.0, 429);
    assert_eq!(refused().await, 3);
    let counted: Vec<String> = app::db::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'authz.denied_repeatedly'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(
        counted
            .iter()
            .any(|d| d.contains("number_search_refused") && d.contains("\"repeated\":30")),
        "{counted:?}"
    );

    // The colleague is told once; the searcher is not told of themselves.
    let told: serde_json::Value = app.json(&colleague, "/api/records", &[]).await;
    let notices = told["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{told}");
    assert_eq!(notices[0]["kind"], "number_search_budget");
    let own: serde_json::Value = app.json(&searcher, "/api/records", &[]).await;
    assert!(own["notices"].as_array().unwrap().is_empty());
    // Someone else's notice cannot be dismissed; one's own can.
    let id = notices[0]["id"].to_string();
    let foreign = app
        .call_as(&searcher, "/api/notices/dismiss", &[("notice_id", &id)])
        .await;
    assert_eq!(foreign.status(), 404);
    let dismissed = app
        .call_as(&colleague, "/api/notices/dismiss", &[("notice_id", &id)])
        .await;
    assert_eq!(dismissed.status(), 200);
    let told: serde_json::Value = app.json(&colleague, "/api/records", &[]).await;
    assert!(told["notices"].as_array().unwrap().is_empty());

    // A new hour, a new budget (and a new sign-in: the old session has timed out).
    app.clock.advance(chrono::Duration::minutes(61));
    let searcher = app.browser();
    app.sign_in_with(&searcher, "records", crate::helpers::PASSWORD)
        .await;
    assert_eq!(search(&app, &searcher, &numbers[0]).await.0, 200);
}

#[tokio::test]
async fn uploads_and_dry_runs_are_audit_entries() {
    let app = spawn_app().await;
    let wang = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let own = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let uploaded = upload_roster(
        &app,
        &wang,
        &own,
        "roster.csv",
        roster_csv(&[roster_row(&Student::numbered(1))]).into_bytes(),
    )
    .await;
    assert_eq!(uploaded.status(), 200);
    dry_run(&app, &wang, &last_import(&app).await).await;
    let actions: Vec<String> = app
        .audit_actions()
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    let at = |name: &str| actions.iter().position(|a| a == name);
    assert!(
        at("records.roster_uploaded") < at("records.roster_checked")
            && at("records.roster_uploaded").is_some(),
        "{actions:?}"
    );
    let details: String = app::db::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'records.roster_checked'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(details.contains("\"valid\":1"), "{details}");
}
