//! Student records: school structure, the teacher's form, the review lifecycle, scoping to
//! one's own classes, the duplicate check, drafts, and what never leaves the server.

use app::domain::Role;
use reqwest::Client;

use crate::{
    fixtures::{
        Student, call, enter_incomplete, enter_student, field_errors, seed_class,
        while_class_handed_over, with,
    },
    helpers::{TestApp, spawn_app},
};

async fn status_of(app: &TestApp, student: &str) -> String {
    app::db::query_scalar("SELECT status FROM students WHERE public_id = $1")
        .bind(student)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// A step of the review, as `client`; the answer's status.
async fn step(app: &TestApp, client: &Client, student: &str, step: &str, reason: &str) -> u16 {
    app.call_as(
        client,
        "/api/records/student/step",
        &[("student_id", student), ("step", step), ("reason", reason)],
    )
    .await
    .status()
    .as_u16()
}

/// Unmasks `field` of `student` as `client`; the answer's status.
async fn unmask(app: &TestApp, client: &Client, student: &str, field: &str, reason: &str) -> u16 {
    app.call_as(
        client,
        "/api/records/student/unmask",
        &[
            ("student_id", student),
            ("field", field),
            ("reason", reason),
        ],
    )
    .await
    .status()
    .as_u16()
}

async fn students(app: &TestApp) -> i64 {
    app::db::query_scalar("SELECT COUNT(*) FROM students")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn page(app: &TestApp, client: &Client, path: &str) -> (u16, String) {
    let response = client.get(app.url(path)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn records_administrators_build_the_school_structure() {
    let app = spawn_app().await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let teacher_id = app.create_user("wang", &[Role::HomeroomTeacher]).await;
    let year = [
        ("name", "2026-2027"),
        ("starts_on", "2026-09-01"),
        ("ends_on", "2027-07-15"),
    ];
    assert_eq!(
        app.call_as(&admin, "/api/records/structure/year", &year)
            .await
            .status(),
        200
    );
    let again = app
        .call_as(&admin, "/api/records/structure/year", &year)
        .await;
    assert_eq!(again.status(), 400);
    let bad = app
        .call_as(
            &admin,
            "/api/records/structure/year",
            &[
                ("name", "2026-2028"),
                ("starts_on", "2026-09-01"),
                ("ends_on", "2027-07-15"),
            ],
        )
        .await;
    let body: serde_json::Value = bad.json().await.unwrap();
    assert_eq!(body["fields"][0]["code"], "school_year.name");

    let year_id: i64 = app::db::query_scalar("SELECT id FROM school_years")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let class = [
        ("school_year_id", year_id.to_string()),
        ("grade", "3".into()),
        ("name", "2班".into()),
    ];
    let class: Vec<(&str, &str)> = class.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        app.call_as(&admin, "/api/records/structure/class", &class)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.call_as(&admin, "/api/records/structure/class", &class)
            .await
            .status(),
        400,
        "the same class twice"
    );

    let structure: serde_json::Value = app.json(&admin, "/api/records/structure", &[]).await;
    let class_id = structure["classes"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(class_id.len(), 32, "an opaque id");
    assert_eq!(structure["teachers"][0]["id"], teacher_id);

    let assign = app
        .call_as(
            &admin,
            "/api/records/structure/homeroom",
            &[
                ("class_id", &class_id),
                ("teacher_id", &teacher_id.to_string()),
            ],
        )
        .await;
    assert_eq!(assign.status(), 200);
    // Only a homeroom teacher can be one.
    let admin_id = app.user_id("records").await;
    let refused = app
        .call_as(
            &admin,
            "/api/records/structure/homeroom",
            &[
                ("class_id", &class_id),
                ("teacher_id", &admin_id.to_string()),
            ],
        )
        .await;
    assert_eq!(refused.status(), 400);

    // The system administrator's console assigns homeroom teachers too, but builds nothing.
    let sysadmin = app.signed_in("sysadmin", &[Role::SystemAdmin]).await;
    let by_sysadmin = app
        .call_as(
            &sysadmin,
            "/api/records/structure/homeroom",
            &[
                ("class_id", &class_id),
                ("teacher_id", ""),
                ("back", "accounts"),
            ],
        )
        .await;
    assert_eq!(by_sysadmin.status(), 200);
    assert_eq!(
        app.call_as(&sysadmin, "/api/records/structure/class", &class)
            .await
            .status(),
        403
    );
    let teacher = app.browser();
    app.sign_in_with(&teacher, "wang", crate::helpers::PASSWORD)
        .await;
    assert_eq!(
        app.call_as(&teacher, "/api/records/structure/year", &year)
            .await
            .status(),
        403
    );

    let actions: Vec<String> = app
        .audit_actions()
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    for action in [
        "records.school_year_created",
        "records.class_created",
        "records.homeroom_assigned",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}");
    }
    let (status, html) = page(&app, &admin, "/records/structure").await;
    assert_eq!(status, 200);
    assert!(html.contains("三年级 2班"), "{html}");
}

#[tokio::test]
async fn a_record_goes_from_draft_to_verified_through_a_return() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let student = enter_student(&app, &teacher, &class, &Student::numbered(1)).await;
    assert_eq!(status_of(&app, &student).await, "draft");

    // Nobody verifies a draft; the administrator cannot submit for the teacher.
    assert_eq!(step(&app, &admin, &student, "verify", "").await, 409);
    assert_eq!(step(&app, &admin, &student, "submit", "").await, 403);
    assert_eq!(step(&app, &teacher, &student, "submit", "").await, 200);
    assert_eq!(status_of(&app, &student).await, "submitted");
    assert_eq!(
        step(&app, &teacher, &student, "verify", "").await,
        403,
        "teachers do not verify"
    );

    // The queue shows it; a return needs a reason.
    let home: serde_json::Value = app.json(&admin, "/api/records", &[]).await;
    assert_eq!(home["queue"][0]["student_id"], student.as_str());
    assert_eq!(step(&app, &admin, &student, "return", "").await, 400);
    assert_eq!(
        step(&app, &admin, &student, "return", "母亲的电话号码请再核对").await,
        200
    );
    assert_eq!(status_of(&app, &student).await, "returned");

    // The teacher sees what came back and why, fixes it and submits again.
    let (status, html) = page(&app, &teacher, &format!("/records/students/{student}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("母亲的电话号码请再核对"));
    // Classified fields left empty keep their values.
    let fix = with(
        Student::numbered(1).form(),
        &[
            ("student_id", &student),
            ("record[student][id_number]", ""),
            ("record[student][phone]", ""),
            ("record[student][health]", ""),
            ("record[guardians][0][id_number]", ""),
            ("record[guardians][1][phone]", "13700002222"),
        ],
    );
    assert_eq!(
        call(&app, &teacher, "/api/records/student/save", &fix)
            .await
            .status(),
        200
    );
    assert_eq!(
        status_of(&app, &student).await,
        "returned",
        "an edit alone hands nothing in"
    );
    assert_eq!(step(&app, &teacher, &student, "submit", "").await, 200);
    assert_eq!(step(&app, &admin, &student, "verify", "").await, 200);
    assert_eq!(status_of(&app, &student).await, "verified");

    // An edit to a verified record sends it back for verification (of a field that is no
    // key data: that changes only by an approved application, changes.rs).
    let edit = with(
        Student::numbered(1).form(),
        &[
            ("student_id", &student),
            ("record[student][phone]", "13811112222"),
        ],
    );
    assert_eq!(
        call(&app, &teacher, "/api/records/student/save", &edit)
            .await
            .status(),
        200
    );
    assert_eq!(status_of(&app, &student).await, "submitted");

    // Each change is in the trail with the fields it changed, never their values.
    let updates: Vec<(Option<String>,)> = app::db::query_as(
        "SELECT details FROM audit_log WHERE action = 'student.updated' ORDER BY seq",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(updates.len(), 2);
    let first = updates[0].0.clone().unwrap();
    assert!(
        first.contains("guardians.1.phone") && !first.contains("13700002222"),
        "{first}"
    );
    assert!(updates[1].0.clone().unwrap().contains("\"phone\""));
    assert!(!updates[1].0.clone().unwrap().contains("13811112222"));
    let actions: Vec<String> = app
        .audit_actions()
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    for action in [
        "student.created",
        "student.submitted",
        "student.returned",
        "student.verified",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}");
    }
    // Old and new values went to the revision table, sealed.
    let revisions: Vec<Vec<u8>> = app::db::query_scalar("SELECT sealed FROM student_revisions")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(revisions.len(), 3);
    for sealed in revisions {
        assert!(!String::from_utf8_lossy(&sealed).contains("王晓明"));
        assert!(!sealed.windows(11).any(|w| w == b"13700002222"));
    }
}

#[tokio::test]
async fn teachers_reach_only_their_own_classes_even_after_a_change_of_teacher() {
    let app = spawn_app().await;
    let a = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let b = app.signed_in("li", &[Role::HomeroomTeacher]).await;
    let a_id = app.user_id("wang").await;
    let b_id = app.user_id("li").await;
    let class = seed_class(&app, "1班", Some(a_id)).await;
    let other = seed_class(&app, "2班", Some(b_id)).await;
    let student = enter_student(&app, &a, &class, &Student::numbered(2)).await;

    let denials = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            app::db::query_scalar::<i64>("SELECT COUNT(*) FROM audit_log WHERE outcome = 'denied'")
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let before = denials(&app).await;
    assert_eq!(
        app.call_as(&b, "/api/records/class", &[("class_id", &class)])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.call_as(&b, "/api/records/student", &[("student_id", &student)])
            .await
            .status(),
        403
    );
    let write = with(Student::numbered(3).form(), &[("student_id", &student)]);
    assert_eq!(
        call(&app, &b, "/api/records/student/save", &write)
            .await
            .status(),
        403
    );
    let create = with(Student::numbered(3).form(), &[("class_id", &class)]);
    assert_eq!(
        call(&app, &b, "/api/records/student/save", &create)
            .await
            .status(),
        403
    );
    let (status, html) = page(&app, &b, &format!("/records/students/{student}")).await;
    assert_eq!(status, 403, "the page says it refuses, in its status too");
    assert!(html.contains("role=\"alert\"") && !html.contains("王小明"));
    // The page's refusal repeats the API's (same person, same action, same record, within
    // ten minutes): one entry, and a count that goes into the trail when the window closes.
    assert_eq!(
        denials(&app).await - before,
        4,
        "every refusal is in the trail"
    );
    assert_eq!(students(&app).await, 1);
    // B's own class is B's.
    assert_eq!(
        app.call_as(&b, "/api/records/class", &[("class_id", &other)])
            .await
            .status(),
        200
    );
    let home: serde_json::Value = app.json(&b, "/api/records", &[]).await;
    assert_eq!(home["classes"].as_array().unwrap().len(), 1);

    // The class changes teacher: A loses it on the very next request, B gains it.
    app::db::query("UPDATE classes SET homeroom_teacher_id = $1 WHERE public_id = $2")
        .bind(b_id)
        .bind(&class)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        app.call_as(&a, "/api/records/student", &[("student_id", &student)])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.call_as(&a, "/api/records/class", &[("class_id", &class)])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.call_as(&b, "/api/records/student", &[("student_id", &student)])
            .await
            .status(),
        200
    );
    // Unknown ids are refused the same way, naming nothing.
    assert_eq!(
        app.call_as(
            &b,
            "/api/records/student",
            &[("student_id", "0123456789abcdef0123456789abcdef")]
        )
        .await
        .status(),
        403
    );
}

#[tokio::test]
async fn a_refused_save_changes_nothing_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let first = Student::numbered(4);
    enter_student(&app, &teacher, &class, &first).await;

    // The same ID number twice in the school.
    let mut twin = Student::numbered(5);
    twin.id_number = first.id_number.clone();
    twin.name = "赵小雨".into();
    let response = call(
        &app,
        &teacher,
        "/api/records/student/save",
        &with(twin.form(), &[("class_id", &class)]),
    )
    .await;
    assert_eq!(response.status(), 400);
    let body = response.text().await.unwrap();
    assert!(body.contains("id_number.duplicate"), "{body}");
    assert!(
        !body.contains(&first.id_number),
        "errors never echo a value"
    );
    assert_eq!(students(&app).await, 1);

    // A wrong check digit, a bad phone, a birth date that disagrees with the ID number.
    let mut wrong = Student::numbered(6);
    wrong.id_number = format!(
        "{}{}",
        &wrong.id_number[..17],
        if wrong.id_number.ends_with('0') {
            '1'
        } else {
            '0'
        }
    );
    wrong.phone = "2381234".into();
    let form = with(
        wrong.form(),
        &[
            ("class_id", &class),
            ("record[student][birth_date]", "2017-03-08"),
        ],
    );
    let response = call(&app, &teacher, "/api/records/student/save", &form).await;
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    let fields = field_errors(&body);
    assert!(
        fields.contains(&("id_number".into(), "id_card.checksum".into())),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("phone".into(), "phone.format".into())),
        "{fields:?}"
    );
    assert_eq!(students(&app).await, 1);

    // The form comes back as it was left, with the problems beside their fields.
    let (status, html) = page(&app, &teacher, &format!("/records/classes/{class}/new")).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-testid=\"draft-notice\""));
    assert!(
        html.contains("杭州市西湖区文三路6号"),
        "the typed address comes back to its typist"
    );
    assert!(
        html.contains("身份证号校验码不正确"),
        "the problem shows beside the field"
    );
    let drafts: Vec<Vec<u8>> = app::db::query_scalar("SELECT sealed FROM form_drafts")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(
        drafts
            .iter()
            .all(|d| !String::from_utf8_lossy(d).contains("文三路")),
        "drafts are sealed"
    );

    // Without JavaScript: the post comes back to the form, which shows the problem.
    let response = teacher
        .post(app.url("/api/records/student/save"))
        .header("sec-fetch-site", "same-origin")
        .header(reqwest::header::ACCEPT, "text/html")
        .header(
            reqwest::header::REFERER,
            app.url(&format!("/records/classes/{class}/new")),
        )
        .form(&form)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    let back = crate::helpers::header(&response, "location").to_owned();
    assert!(
        back.starts_with(&app.url(&format!("/records/classes/{class}/new")))
            || back.starts_with(&format!("/records/classes/{class}/new")),
        "{back}"
    );
    assert!(
        !back.contains(&wrong.phone) && !back.contains("文三路"),
        "no value in the URL"
    );
    let back = if back.starts_with("http") {
        back
    } else {
        app.url(&back)
    };
    let html = teacher
        .get(back)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("请填写 11 位手机号码"),
        "the problem shows on the form"
    );

    // Discarding the draft brings back an empty form.
    assert_eq!(
        app.call_as(
            &teacher,
            "/api/records/student/discard",
            &[("class_id", &class)]
        )
        .await
        .status(),
        200
    );
    let (_, html) = page(&app, &teacher, &format!("/records/classes/{class}/new")).await;
    assert!(!html.contains("文三路6号"));
}

#[tokio::test]
async fn classified_values_are_masked_unmasked_one_at_a_time_and_never_when_top_secret() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let s = Student::numbered(7);
    let student = enter_student(&app, &teacher, &class, &s).await;

    let roster: serde_json::Value = app
        .json(&admin, "/api/records/class", &[("class_id", &class)])
        .await;
    assert_eq!(roster["students"][0]["id_number"], "******");

    // The teacher's form holds no saved classified value, only their masks; but for the
    // yes/no flags, which the teacher sets and sees (a mask would hide a choice from the
    // person who makes it).
    let form: serde_json::Value = app
        .json(
            &teacher,
            "/api/records/student",
            &[("student_id", &student)],
        )
        .await;
    let form = &form["Form"];
    assert_eq!(form["input"]["student"]["id_number"], "");
    assert_eq!(form["input"]["student"]["health"], "");
    assert_eq!(form["input"]["student"]["left_behind"], "1");
    assert_eq!(form["input"]["student"]["migrant"], "0");
    let masks: std::collections::HashMap<String, String> =
        serde_json::from_value::<Vec<(String, String)>>(form["masked"].clone())
            .unwrap()
            .into_iter()
            .collect();
    assert_eq!(masks["phone"], format!("****{}", &s.phone[7..]));
    assert_eq!(masks["address"], "******");
    assert!(!masks.contains_key("left_behind"));

    // The records administrator unmasks one value with a reason: shown once, audited.
    assert_eq!(
        unmask(&app, &admin, &student, "phone", "").await,
        400,
        "a reason is required"
    );
    assert_eq!(
        unmask(&app, &admin, &student, "name", "核对").await,
        400,
        "only classified fields"
    );
    assert_eq!(
        unmask(&app, &admin, &student, "phone", "核对联系电话").await,
        200
    );
    let (_, html) = page(&app, &admin, &format!("/records/students/{student}")).await;
    assert!(html.contains(&s.phone), "shown once");
    assert!(!html.contains(&s.id_number), "and only that one");
    let (_, html) = page(&app, &admin, &format!("/records/students/{student}")).await;
    assert!(!html.contains(&s.phone), "then masked again");
    let reason: Option<String> =
        app::db::query_scalar("SELECT reason FROM audit_log WHERE action = 'student.unmasked'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(reason.as_deref(), Some("核对联系电话"));

    // 绝密: no tail, no unmasking, for anyone.
    assert_eq!(
        app.call_as(
            &admin,
            "/api/records/student/classification",
            &[("student_id", &student), ("top_secret", "1")]
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        unmask(&app, &admin, &student, "phone", "核对联系电话").await,
        409
    );
    let roster: serde_json::Value = app
        .json(&teacher, "/api/records/class", &[("class_id", &class)])
        .await;
    assert_eq!(roster["students"][0]["id_number"], "******");
    let review: serde_json::Value = app
        .json(&admin, "/api/records/student", &[("student_id", &student)])
        .await;
    for f in review["Review"]["fields"].as_array().unwrap() {
        if f["classified"] == true {
            assert_eq!(f["value"], "******", "{f}");
            assert_eq!(f["unmaskable"], false);
        }
    }
}

#[tokio::test]
async fn the_overview_counts_each_class_and_leaders_see_numbers_only() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let leader = app.signed_in("leader", &[Role::Leader]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let complete = enter_student(&app, &teacher, &class, &Student::numbered(31)).await;
    // Without a 学籍号 and with one family member only.
    let mut sparse = Student::numbered(32);
    sparse.name = "周小舟".into();
    enter_incomplete(&app, &teacher, &class, &sparse).await;
    assert_eq!(step(&app, &teacher, &complete, "submit", "").await, 200);

    let home: serde_json::Value = app.json(&admin, "/api/records", &[]).await;
    let row = &home["classes"][0];
    assert_eq!(
        (
            row["students"].as_i64(),
            row["submitted"].as_i64(),
            row["draft"].as_i64(),
            row["incomplete"].as_i64()
        ),
        (Some(2), Some(1), Some(1), Some(1))
    );
    assert_eq!(home["queue"].as_array().unwrap().len(), 1);
    assert_eq!(row["can_open"], true);

    // A homeroom teacher who is also a leader sees every class, and opens only their own.
    let both = app
        .signed_in("zhou", &[Role::HomeroomTeacher, Role::Leader])
        .await;
    let home: serde_json::Value = app.json(&both, "/api/records", &[]).await;
    assert_eq!(home["all_classes"], true);
    assert_eq!(home["classes"][0]["can_open"], false);

    let response = app.call_as(&leader, "/api/records", &[]).await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    let home: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(home["aggregate_only"], true);
    assert_eq!(home["classes"][0]["students"], 2);
    assert_eq!(home["classes"][0]["can_open"], false);
    assert!(home["queue"].as_array().unwrap().is_empty());
    assert!(
        !body.contains("王小明") && !body.contains("周小舟") && !body.contains(&complete),
        "no student"
    );
    let (status, html) = page(&app, &leader, "/records").await;
    assert_eq!(status, 200);
    assert!(!html.contains("/records/classes/") && !html.contains("王小明"));
    assert_eq!(
        app.call_as(&leader, "/api/records/class", &[("class_id", &class)])
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn a_rollover_moves_classes_up_and_graduates_the_final_grade() {
    let app = spawn_app().await;
    let a = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let b = app.signed_in("li", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let (a_id, b_id) = (app.user_id("wang").await, app.user_id("li").await);
    let third = seed_class(&app, "1班", Some(a_id)).await;
    // An id that starts with a digit, which a form key must survive.
    let digit_first = format!("0{}", &third[1..]);
    app::db::query("UPDATE classes SET public_id = $1 WHERE public_id = $2")
        .bind(&digit_first)
        .bind(&third)
        .execute(&app.pool)
        .await
        .unwrap();
    let third = digit_first;
    let ninth = seed_class(&app, "2班", Some(a_id)).await;
    app::db::query("UPDATE classes SET grade = 9 WHERE public_id = $1")
        .bind(&ninth)
        .execute(&app.pool)
        .await
        .unwrap();
    let moving = enter_student(&app, &a, &third, &Student::numbered(41)).await;
    let leaving = enter_student(&app, &a, &ninth, &Student::numbered(42)).await;
    assert_eq!(step(&app, &a, &leaving, "submit", "").await, 200);
    let year: i64 = app::db::query_scalar("SELECT id FROM school_years")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (year, b_text) = (year.to_string(), b_id.to_string());
    let teacher_field = format!("teachers[class-{third}]");
    let form = [
        ("from_year", year.as_str()),
        ("name", "2027-2028"),
        ("starts_on", "2027-09-01"),
        ("ends_on", "2028-07-15"),
        ("final_grade", "9"),
        (teacher_field.as_str(), b_text.as_str()),
    ];
    assert_eq!(
        app.call_as(&a, "/api/records/structure/rollover", &form)
            .await
            .status(),
        403
    );
    // Asked first, it shows what it would do and does nothing.
    let response = app
        .call_as(&admin, "/api/records/structure/rollover", &form)
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let years: i64 = app::db::query_scalar("SELECT COUNT(*) FROM school_years")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(years, 1, "nothing moved");
    assert!(
        !app.audit_actions()
            .await
            .iter()
            .any(|(a, _)| a == "records.rollover"),
        "nothing audited"
    );
    let (_, html) = page(&app, &admin, "/records/structure").await;
    assert!(
        html.contains("data-testid=\"rollover-preview\""),
        "the preview"
    );
    assert!(html.contains(
        "1 个班级升入下一年级，1 名学生随班升级；1 名学生毕业（学籍保留，标记为已离校）。"
    ));
    assert!(
        html.contains("三年级 1班</td><td>四年级 1班</td><td>li"),
        "{html}"
    );
    assert!(html.contains("初三 2班</td><td>毕业</td>"));
    assert!(html.contains(r#"name="confirmed" value="yes""#));
    assert!(html.contains(&format!(
        r#"name="teachers[class-{third}]" value="{b_text}""#
    )));
    let (_, again) = page(&app, &admin, "/records/structure").await;
    assert!(!again.contains("rollover-preview"), "shown once");

    // Confirmed, it is done.
    let confirmed: Vec<(&str, &str)> = form.iter().copied().chain([("confirmed", "yes")]).collect();
    let response = app
        .call_as(&admin, "/api/records/structure/rollover", &confirmed)
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());

    let (grade, teacher, year_name): (i64, Option<i64>, String) = app::db::query_as(
        "SELECT c.grade, c.homeroom_teacher_id, y.name FROM students s JOIN classes c ON c.id = s.class_id \
         JOIN school_years y ON y.id = c.school_year_id WHERE s.public_id = $1",
    )
    .bind(&moving)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (grade, teacher, year_name.as_str()),
        (4, Some(b_id), "2027-2028")
    );
    let (left_at, reason): (Option<chrono::DateTime<chrono::Utc>>, Option<String>) =
        app::db::query_as("SELECT left_at, left_reason FROM students WHERE public_id = $1")
            .bind(&leaving)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(left_at.is_some());
    assert_eq!(reason.as_deref(), Some("graduated"));
    // A graduate's record stands as it was: no step offered, none taken.
    let (_, html) = page(&app, &admin, &format!("/records/students/{leaving}")).await;
    assert!(html.contains("该生已毕业离校"));
    assert!(!html.contains(r#"name="step""#), "no 核实 or 退回");
    assert_eq!(step(&app, &admin, &leaving, "verify", "").await, 409);
    assert_eq!(status_of(&app, &leaving).await, "submitted");
    // The old teacher lost the student at once; the new one has them.
    assert_eq!(
        app.call_as(&a, "/api/records/student", &[("student_id", &moving)])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.call_as(&b, "/api/records/student", &[("student_id", &moving)])
            .await
            .status(),
        200
    );
    assert_eq!(
        app.call_as(&a, "/api/records/student", &[("student_id", &leaving)])
            .await
            .status(),
        403
    );
    let details: Option<String> =
        app::db::query_scalar("SELECT details FROM audit_log WHERE action = 'records.rollover'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let details: serde_json::Value = serde_json::from_str(&details.unwrap()).unwrap();
    assert_eq!(
        (details["promoted"].as_i64(), details["graduated"].as_i64()),
        (Some(1), Some(1))
    );
    // Once only.
    assert_eq!(
        app.call_as(&admin, "/api/records/structure/rollover", &confirmed)
            .await
            .status(),
        400
    );
    let (_, html) = page(&app, &admin, "/records/structure").await;
    assert!(html.contains("2027-2028 四年级 1班"));
    // The emptied classes of the old year leave the lists that choose a teacher for each
    // class (here and on the accounts page): they stay one year's size.
    assert!(!html.contains("2026-2027 三年级 1班") && !html.contains("2026-2027 初三 2班"));
    let structure = app.json(&admin, "/api/records/structure", &[]).await;
    assert_eq!(structure["classes"].as_array().unwrap().len(), 1);
    // The overview shows the new year: the old year's emptied classes have left it.
    let home = app.json(&admin, "/api/records", &[]).await;
    let classes: Vec<_> = home["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["class"]["school_year"].as_str().unwrap(),
                c["class"]["grade"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(classes, vec![("2027-2028", 4)]);
}

#[tokio::test]
async fn a_draft_is_bounded_by_what_the_form_holds() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let drafts = async || -> i64 {
        app::db::query_scalar("SELECT COUNT(*) FROM form_drafts")
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };

    // 15,000 family-member slots (the form has 4): refused before any slot is built.
    let mut form = vec![("class_id".to_owned(), class.clone())];
    for i in 0..15_000 {
        form.push((format!("record[guardians][{i}][name]"), "王".to_owned()));
    }
    let response = call(&app, &teacher, "/api/records/student/draft", &form).await;
    assert_eq!(response.status(), 400);
    let response = call(&app, &teacher, "/api/records/student/save", &form).await;
    assert_eq!(response.status(), 400);
    assert_eq!(drafts().await, 0, "nothing kept");

    // One field far longer than any rule allows: refused in words, nothing kept.
    let long = "文".repeat(5_000);
    let form = with(
        Student::numbered(3).form(),
        &[("class_id", &class), ("record[student][address]", &long)],
    );
    for path in ["/api/records/student/draft", "/api/records/student/save"] {
        let response = call(&app, &teacher, path, &form).await;
        assert_eq!(response.status(), 400, "{path}");
        let body = response.text().await.unwrap();
        assert!(
            body.contains("field.too_long") || body.contains("过长"),
            "{body}"
        );
        assert!(!body.contains(&long[..30]));
    }
    assert_eq!(drafts().await, 0, "nothing kept");

    // Four slots are what the form sends, and are kept.
    let form = with(
        Student::numbered(4).form(),
        &[("class_id", &class), ("record[student][phone]", "1")],
    );
    let response = call(&app, &teacher, "/api/records/student/draft", &form).await;
    assert_eq!(response.status(), 200);
    assert_eq!(drafts().await, 1);
    let (_, html) = page(&app, &teacher, &format!("/records/classes/{class}/new")).await;
    assert!(
        html.len() < 400_000,
        "the form page is {} bytes",
        html.len()
    );
}

#[tokio::test]
async fn a_submit_submits_what_is_on_the_screen() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let student = Student::numbered(7);
    let id = enter_student(&app, &teacher, &class, &student).await;

    // The teacher changes the mother's phone; the island keeps it as a draft as they type.
    let changed = with(
        student.form(),
        &[
            ("student_id", &id),
            ("record[guardians][1][phone]", "13700002222"),
        ],
    );
    let kept = call(&app, &teacher, "/api/records/student/draft", &changed).await;
    assert_eq!(kept.status(), 200);
    // A bare submit now would hand in the old number: refused, nothing changes.
    let refused = app
        .call_as(
            &teacher,
            "/api/records/student/step",
            &[("student_id", &id), ("step", "submit")],
        )
        .await;
    assert_eq!(refused.status(), 409);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("record.unsaved_changes")
    );
    assert_eq!(status_of(&app, &id).await, "draft");

    // 保存并提交核实: saved and submitted in one step, with the number on the screen.
    let submitted = call(
        &app,
        &teacher,
        "/api/records/student/save",
        &with(changed.clone(), &[("then_submit", "1")]),
    )
    .await;
    assert_eq!(
        submitted.status(),
        200,
        "{}",
        submitted.text().await.unwrap()
    );
    assert_eq!(status_of(&app, &id).await, "submitted");
    let review: serde_json::Value = app
        .json(&admin, "/api/records/student", &[("student_id", &id)])
        .await;
    let mother_phone = review["Review"]["guardians"][1]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "guardians.1.phone")
        .unwrap()["value"]
        .clone();
    assert_eq!(
        mother_phone, "****2222",
        "the records administrator sees the new number"
    );
    let drafts: i64 = app::db::query_scalar("SELECT COUNT(*) FROM form_drafts")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        drafts, 0,
        "no draft is left to come back over the saved record"
    );

    // A refused save submits nothing.
    let returned = step(&app, &admin, &id, "return", "请核对监护人联系电话").await;
    assert_eq!(returned, 200);
    let wrong = call(
        &app,
        &teacher,
        "/api/records/student/save",
        &with(
            changed,
            &[
                ("record[guardians][1][phone]", "1370000"),
                ("then_submit", "1"),
            ],
        ),
    )
    .await;
    assert_eq!(wrong.status(), 400);
    assert_eq!(status_of(&app, &id).await, "returned");
}

/// The class is loaded inside the transaction that acts on it: a homeroom teacher whose class
/// is handed to someone else while their save waits for the database is refused, and keeps
/// nothing in a class that is no longer theirs.
#[tokio::test]
async fn a_class_handed_over_while_a_save_waits_is_no_longer_saved_into() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let wang = app.user_id("wang").await;
    let li = app.create_user("li", &[Role::HomeroomTeacher]).await;
    let class = seed_class(&app, "1班", Some(wang)).await;

    let (url, origin, client) = (
        app.url("/api/records/student/draft"),
        app.origin.clone(),
        teacher.clone(),
    );
    let mut form = Student::numbered(1).form();
    form.push(("class_id".into(), class.clone()));
    let save = async move {
        let response = client.post(url).header("Origin", origin).form(&form).send();
        response.await.unwrap().status().as_u16()
    };
    assert_eq!(
        while_class_handed_over(&app, &class, li, save).await,
        403,
        "the class is li's now"
    );
    let drafts: i64 = app::db::query_scalar("SELECT COUNT(*) FROM form_drafts")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(drafts, 0, "nothing was kept for a class that is not wang's");
}

#[tokio::test]
async fn what_is_left_to_do_is_a_link_away_and_each_incomplete_record_says_why() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    // Entered in an order that is not the pinyin order: 张 (zhang), 安 (an), 白 (bai).
    let mut zhang = Student::numbered(51);
    zhang.name = "张小雨".into();
    let zhang = enter_student(&app, &teacher, &class, &zhang).await;
    let mut an = Student::numbered(52);
    an.name = "安小雨".into();
    let an_id = enter_student(&app, &teacher, &class, &an).await;
    // Without a 学籍号 and with one family member only.
    let mut bai = Student::numbered(53);
    bai.name = "白小雨".into();
    enter_incomplete(&app, &teacher, &class, &bai).await;
    assert_eq!(step(&app, &teacher, &zhang, "submit", "").await, 200);
    assert_eq!(step(&app, &teacher, &an_id, "submit", "").await, 200);
    assert_eq!(
        step(&app, &admin, &an_id, "return", "请核对监护人联系电话").await,
        200
    );

    // The overview's counts lead to the lists they count; one class's figures are shown
    // once (its totals), not again in a table of one row.
    let (_, home) = page(&app, &teacher, "/records").await;
    for state in ["draft", "submitted", "returned", "incomplete"] {
        let link = format!("href=\"/records/classes/{class}?state={state}\"");
        // The drafts are also on the to-do list, which leads to the same list.
        let expected = if state == "draft" { 2 } else { 1 };
        assert_eq!(home.matches(&link).count(), expected, "{state}: the total");
    }
    assert!(
        !home.contains(&format!("/records/classes/{class}?state=verified")),
        "no link to an empty list"
    );

    // The roster in pinyin order, every student's state beside them.
    let (_, roster) = page(&app, &teacher, &format!("/records/classes/{class}")).await;
    let at = |name: &str| roster.find(name).unwrap_or_else(|| panic!("{name} listed"));
    assert!(at("安小雨") < at("白小雨") && at("白小雨") < at("张小雨"));
    assert!(roster.contains("退回原因：请核对监护人联系电话"));
    assert!(roster.contains("信息不全：缺学籍号、家庭成员少于两人"));

    // Filtered: only what the filter names, and the filter's link marked as the current one.
    let (_, incomplete) = page(
        &app,
        &teacher,
        &format!("/records/classes/{class}?state=incomplete"),
    )
    .await;
    assert!(incomplete.contains("白小雨"));
    assert!(!incomplete.contains("安小雨") && !incomplete.contains("张小雨"));
    assert!(incomplete.contains(&format!(
        "href=\"/records/classes/{class}?state=incomplete\" aria-current=\"page\""
    )));
    let (_, returned) = page(
        &app,
        &teacher,
        &format!("/records/classes/{class}?state=returned"),
    )
    .await;
    assert!(returned.contains("安小雨") && !returned.contains("白小雨"));
    let (_, verified) = page(
        &app,
        &teacher,
        &format!("/records/classes/{class}?state=verified"),
    )
    .await;
    assert!(verified.contains("本班没有处于这一状态的学生。"));
    // An unknown state lists everyone.
    let (status, all) = page(&app, &teacher, &format!("/records/classes/{class}?state=x")).await;
    assert_eq!(status, 200);
    assert!(all.contains("安小雨") && all.contains("白小雨") && all.contains("张小雨"));
}

#[tokio::test]
async fn a_homeroom_teacher_checks_a_saved_value_of_their_class_once_and_audited() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let other = app.signed_in("li", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let s = Student::numbered(9);
    let student = enter_student(&app, &teacher, &class, &s).await;
    let (_, html) = page(&app, &teacher, &format!("/records/students/{student}")).await;
    assert!(html.contains("核对已保存的机密信息") && !html.contains(&s.guardian_phone));

    // After a return saying "请核对监护人联系电话", the teacher looks at the stored number.
    assert_eq!(
        unmask(&app, &teacher, &student, "guardians.0.phone", "").await,
        200
    );
    let (_, html) = page(&app, &teacher, &format!("/records/students/{student}")).await;
    assert!(html.contains(&s.guardian_phone), "shown");
    assert!(!html.contains(&s.id_number), "and only that one");
    let (_, html) = page(&app, &teacher, &format!("/records/students/{student}")).await;
    assert!(!html.contains(&s.guardian_phone), "once");
    let (role, reason, details): (Option<String>, Option<String>, Option<String>) =
        app::db::query_as(
            "SELECT actor_role, reason, details FROM audit_log WHERE action = 'student.unmasked'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(role.as_deref(), Some("homeroom_teacher"));
    assert_eq!(reason.as_deref(), Some("班主任核对本班采集的信息"));
    assert!(details.unwrap().contains("guardians.0.phone"));

    // Not another class's teacher; not a 绝密 record, for anyone.
    assert_eq!(
        unmask(&app, &other, &student, "guardians.0.phone", "").await,
        403
    );
    assert_eq!(
        app.call_as(
            &admin,
            "/api/records/student/classification",
            &[("student_id", &student), ("top_secret", "1")]
        )
        .await
        .status(),
        200
    );
    assert_eq!(unmask(&app, &teacher, &student, "phone", "").await, 409);
    let (_, html) = page(&app, &teacher, &format!("/records/students/{student}")).await;
    assert!(
        !html.contains("核对已保存的机密信息"),
        "no check of a 绝密 record"
    );
}

#[tokio::test]
async fn a_session_running_out_never_loses_what_was_typed() {
    use crate::helpers::{PASSWORD, browser_page, browser_post};
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let student = enter_student(&app, &teacher, &class, &Student::numbered(81)).await;
    let at = format!("/records/students/{student}");
    let _ = browser_page(&app, &teacher, &at).await;
    // Half an hour without a request: a teacher's session has ended.
    app.clock.advance(chrono::Duration::minutes(31));

    // Without JavaScript: the save is refused, what was typed kept for the next sign-in.
    let form = with(
        Student::numbered(81).form(),
        &[
            ("student_id", &student),
            ("record[student][address]", "杭州市西湖区文三路 188 号"),
        ],
    );
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, _) = browser_post(&app, &teacher, "/api/records/student/save", &at, &pairs).await;
    assert_eq!(status, 302);
    let sessions: Vec<Vec<u8>> = app::db::query_scalar("SELECT data FROM sessions")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    for data in &sessions {
        assert!(
            !String::from_utf8_lossy(data).contains("文三路 188"),
            "kept sealed, not in the clear"
        );
    }
    // The form leads to sign-in, sign-in back to the form, and the form shows what was typed.
    let response = teacher.get(app.url(&at)).send().await.unwrap();
    assert_eq!(crate::helpers::header(&response, "location"), "/sign-in");
    let (_, next) = browser_post(
        &app,
        &teacher,
        "/api/sign-in",
        "/sign-in",
        &[("username", "wang"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(next, at);
    let html = browser_page(&app, &teacher, &at).await;
    assert!(html.contains("文三路 188"), "the typed address is back");
    assert!(
        html.contains(r#"data-testid="draft-notice""#),
        "as a draft to save"
    );
    assert_eq!(
        app::db::query_scalar::<i64>("SELECT COUNT(*) FROM form_drafts")
            .fetch_one(&app.pool)
            .await
            .unwrap(),
        1
    );
    // Taken once: it is the teacher's draft now, not the session's.
    let again = browser_page(&app, &teacher, &at).await;
    assert!(again.contains("文三路 188"));

    // Someone else signing in on that browser gets nothing of it.
    app.clock.advance(chrono::Duration::minutes(31));
    let (status, _) = browser_post(&app, &teacher, "/api/records/student/draft", &at, &pairs).await;
    assert!(status == 302 || status == 401, "{status}");
    app.create_user("li", &[Role::HomeroomTeacher]).await;
    browser_post(
        &app,
        &teacher,
        "/api/sign-in",
        "/sign-in",
        &[("username", "li"), ("password", PASSWORD)],
    )
    .await;
    let response = teacher.get(app.url(&at)).send().await.unwrap();
    assert_eq!(response.status(), 403, "not li's class");
}

#[tokio::test]
async fn the_form_marks_what_is_required_and_a_refusal_names_each_field() {
    use crate::helpers::{browser_page, browser_post};
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    let new = format!("/records/classes/{class}/new");
    let html = browser_page(&app, &teacher, &new).await;
    assert!(html.contains("带 * 的为必填项。"));
    let at = html.find(r#"id="f-name""#).expect("the name field");
    let tag: String = html[at..].chars().take(400).collect();
    assert!(tag.contains(r#"aria-required="true""#), "{tag}");
    // The star stands beside the label: the field's name stays just its name.
    assert!(html.contains(r#"<label for="f-name">姓名</label>"#));
    let at = html
        .find(r#"id="f-guardians-0-employer""#)
        .expect("an optional field");
    let tag: String = html[at..].chars().take(400).collect();
    assert!(!tag.contains("aria-required"), "{tag}");

    // Refused without JavaScript: the summary at the top says which field, in words.
    let mut s = Student::numbered(91);
    s.phone = "1380000".into();
    let form = with(s.form(), &[("class_id", &class)]);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, location) =
        browser_post(&app, &teacher, "/api/records/student/save", &new, &pairs).await;
    assert_eq!((status, location.as_str()), (302, new.as_str()));
    let html = browser_page(&app, &teacher, &new).await;
    assert!(
        html.contains(
            r##"<li><a href="#f-phone">联系电话（手机）：请填写 11 位手机号码</a></li>"##
        ),
        "the summary names the field, and leads to it"
    );
}

#[tokio::test]
async fn family_member_slots_open_as_they_are_needed() {
    use crate::helpers::browser_page;
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    // A new record opens two slots; the third and fourth are added when needed (a closed
    // <details> that opens without script and still posts nothing when left empty).
    let html = browser_page(&app, &teacher, &format!("/records/classes/{class}/new")).await;
    assert_eq!(
        html.matches(r#"<details class="guardian-more">"#).count(),
        2,
        "two to add"
    );
    assert!(html.contains("添加家庭成员 3"));
    let closed = html.find(r#"<details class="guardian-more">"#).unwrap();
    assert!(html.find(r#"id="f-guardians-1-name""#).unwrap() < closed);
    assert!(html.find(r#"id="f-guardians-2-name""#).unwrap() > closed);

    // A record saved with three members shows three open and one to add.
    let student = Student::numbered(7);
    let form = with(
        student.form(),
        &[
            ("class_id", &class),
            ("record[guardians][2][name]", "王奶奶"),
            ("record[guardians][2][relation]", "grandmother"),
            ("record[guardians][2][phone]", "13600002222"),
        ],
    );
    let response = call(&app, &teacher, "/api/records/student/save", &form).await;
    assert_eq!(response.status(), 200);
    let id: String = app::db::query_scalar("SELECT public_id FROM students")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let html = browser_page(&app, &teacher, &format!("/records/students/{id}")).await;
    assert_eq!(
        html.matches(r#"<details class="guardian-more">"#).count(),
        1
    );
    assert!(html.contains("添加家庭成员 4"));
    assert!(!html.contains("添加家庭成员 3"));
}

#[tokio::test]
async fn the_structure_and_account_pages_list_each_teacher_once_not_once_per_class() {
    let app = spawn_app().await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let sysadmin = app.signed_in("sys", &[Role::SystemAdmin]).await;
    let (classes, teachers) = (25usize, 25usize);
    for n in 0..teachers {
        app.create_user(&format!("t{n:02}"), &[Role::HomeroomTeacher])
            .await;
    }
    for n in 0..classes {
        seed_class(&app, &format!("{n}班"), None).await;
    }
    let options = async |client, path| {
        let (status, html) = page(&app, client, path).await;
        assert_eq!(status, 200);
        assert!(html.contains("(t07)"), "{path} offers the teachers");
        html.matches("<option").count()
    };
    let pages = [
        (&admin, "/records/structure"),
        (&sysadmin, "/admin/accounts"),
    ];
    let mut before = Vec::new();
    for (client, path) in pages {
        before.push(options(client, path).await);
    }
    // One more class adds itself to the list of classes (and to the rollover's), not one more
    // list of every teacher.
    seed_class(&app, "新班", None).await;
    for ((client, path), before) in pages.into_iter().zip(before) {
        let after = options(client, path).await;
        assert!(
            after - before <= 2,
            "{path}: {before} options, {after} with one class more ({classes} classes, {teachers} teachers)"
        );
    }
}

#[tokio::test]
async fn a_disabled_teacher_never_blocks_the_school_year() {
    let app = spawn_app().await;
    let _a = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let _b = app.signed_in("li", &[Role::HomeroomTeacher]).await;
    let admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let (a_id, b_id) = (app.user_id("wang").await, app.user_id("li").await);
    let first = seed_class(&app, "1班", Some(a_id)).await;
    let second = seed_class(&app, "2班", Some(b_id)).await;
    // 王 leaves the school: the account is disabled, the class still names it.
    app::db::query("UPDATE users SET display_name = '王芳', disabled = TRUE WHERE id = $1")
        .bind(a_id)
        .execute(&app.pool)
        .await
        .unwrap();
    // Where classes are assigned, the account's state shows.
    let (_, html) = page(&app, &admin, "/records/structure").await;
    assert!(
        html.contains("王芳<!> <span class=\"status account-disabled\">账号已停用</span>"),
        "{html}"
    );
    assert!(
        html.contains("2026-2027 三年级 1班：王芳（账号已停用）"),
        "named before the rollover is asked for"
    );

    let year: i64 = app::db::query_scalar("SELECT id FROM school_years")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (year, a_text, b_text) = (year.to_string(), a_id.to_string(), b_id.to_string());
    let (first_field, second_field) = (
        format!("teachers[class-{first}]"),
        format!("teachers[class-{second}]"),
    );
    // The form posts each class's teacher as it stands.
    let form = [
        ("from_year", year.as_str()),
        ("name", "2027-2028"),
        ("starts_on", "2027-09-01"),
        ("ends_on", "2028-07-15"),
        ("final_grade", "9"),
        (first_field.as_str(), a_text.as_str()),
        (second_field.as_str(), b_text.as_str()),
    ];
    let response = app
        .call_as(&admin, "/api/records/structure/rollover", &form)
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let (_, html) = page(&app, &admin, "/records/structure").await;
    assert!(html.contains("data-testid=\"rollover-blocked\""), "{html}");
    assert!(html.contains("三年级 1班：王芳 (wang)（账号已停用）"));
    assert!(html.contains(r#"name="confirmed" value="without_teacher""#));
    assert!(html.contains("确认升级（上述班级暂不设班主任）"));

    // Another account that cannot teach, chosen anew, is refused as ever: the preview names
    // only a class's own teacher, and is no directory of accounts.
    let admin_id = app.user_id("records").await.to_string();
    let chosen: Vec<(&str, &str)> = form
        .iter()
        .copied()
        .map(|(k, v)| {
            if k == second_field {
                (k, admin_id.as_str())
            } else {
                (k, v)
            }
        })
        .collect();
    let refused = app
        .call_as(&admin, "/api/records/structure/rollover", &chosen)
        .await;
    assert_eq!(refused.status(), 400);
    assert!(!refused.text().await.unwrap().contains("records"));
    // Confirmed without saying so (an API caller that did not look), it is refused in words.
    let confirmed: Vec<(&str, &str)> = form.iter().copied().chain([("confirmed", "yes")]).collect();
    let refused = app
        .call_as(&admin, "/api/records/structure/rollover", &confirmed)
        .await;
    assert_eq!(refused.status(), 409);
    // As the preview's button posts it, the year moves on; the class waits for a teacher.
    let without: Vec<(&str, &str)> = form
        .iter()
        .copied()
        .chain([("confirmed", "without_teacher")])
        .collect();
    let response = app
        .call_as(&admin, "/api/records/structure/rollover", &without)
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let teachers: Vec<(String, Option<i64>)> = app::db::query_as(
        "SELECT c.name, c.homeroom_teacher_id FROM classes c JOIN school_years y ON y.id = c.school_year_id \
         WHERE y.name = '2027-2028' ORDER BY c.name",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        teachers,
        vec![("1班".to_owned(), None), ("2班".to_owned(), Some(b_id))]
    );
    let details: String =
        app::db::query_scalar("SELECT details FROM audit_log WHERE action = 'records.rollover'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(details.contains("\"without_teacher\":1"), "{details}");
}

#[tokio::test]
async fn the_form_says_what_it_requires_and_where_each_place_will_be() {
    use crate::helpers::{browser_page, browser_post};
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let wang = app.user_id("wang").await;
    let class = seed_class(&app, "1班", Some(wang)).await;
    let new = format!("/records/classes/{class}/new");
    let html = browser_page(&app, &teacher, &new).await;
    // Each required field has its star beside its label: the phone (refused empty as a
    // "format" problem) too, and the first family member's name, relation and phone.
    let starred = |field: &str| {
        html.contains(&format!(r#"<label for="f-{field}">"#))
            && html
                .split(&format!(r#"<label for="f-{field}">"#))
                .nth(1)
                .is_some_and(|after| after.split("</div>").next().unwrap().contains("required"))
    };
    for field in [
        "name",
        "phone",
        "birthplace",
        "guardians-0-name",
        "guardians-0-relation",
        "guardians-0-phone",
    ] {
        assert!(starred(field), "{field} starred");
    }
    assert!(!starred("student_number"), "the 学籍号 comes later");
    assert!(html.contains(r#"id="f-guardians-0-phone""#));
    assert!(html.contains("至少填写一位监护人"));

    // Saved half-typed without JavaScript: the summary's items lead to their fields.
    let (status, location) = browser_post(
        &app,
        &teacher,
        "/api/records/student/save",
        &new,
        &[
            ("class_id", class.as_str()),
            ("record[student][name]", "李小雨"),
            ("record[student][birthplace]", "西湖区"),
            ("record[student][native_place]", "杭州 西湖区"),
        ],
    )
    .await;
    assert_eq!(status, 302, "{location}");
    let html = browser_page(&app, &teacher, &location).await;
    assert!(html.contains(r##"<a href="#f-phone">"##), "{html}");
    assert!(html.contains(r##"<a href="#f-guardians-0-name">"##));
    // A name of two places offers both, as the field's suggestions; one place is named as
    // it will be saved.
    assert!(html.contains("有 2 个地方叫这个名字"), "{html}");
    assert!(html.contains(r#"list="f-birthplace-places""#));
    assert!(html.contains(r#"<option value="浙江省 杭州市 西湖区">"#));
    assert!(html.contains("将保存为：浙江省 杭州市 西湖区（330106）"));

    // Checking the places keeps the draft and comes back to the form, as it was typed.
    let (status, location) = browser_post(
        &app,
        &teacher,
        "/api/records/student/draft",
        &new,
        &[
            ("class_id", class.as_str()),
            ("record[student][name]", "李小雨"),
            ("record[student][birthplace]", "浙江省 杭州市 西湖区"),
        ],
    )
    .await;
    assert_eq!(status, 302);
    assert!(location.trim_end_matches('?').ends_with(&new), "{location}");
    let html = browser_page(&app, &teacher, &new).await;
    assert!(html.contains(r#"value="李小雨""#));
    assert!(
        html.contains("将保存为：浙江省 杭州市 西湖区（330106）"),
        "{html}"
    );
}

#[tokio::test]
async fn a_new_student_is_not_incomplete_for_the_number_the_national_system_issues_later() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let class = seed_class(&app, "1班", Some(app.user_id("wang").await)).await;
    // Enrolled this September, no 学籍号 yet, both parents entered.
    let mut form = with(
        Student::numbered(61).form(),
        &[
            ("class_id", class.as_str()),
            ("record[student][student_number]", ""),
            ("record[student][enrolment_month]", "2026-09"),
        ],
    );
    form.retain(|(k, v)| k != "record[student][student_number]" || v.is_empty());
    let response = crate::fixtures::call(&app, &teacher, "/api/records/student/save", &form).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let home = app.json(&teacher, "/api/records", &[]).await;
    assert_eq!(home["classes"][0]["incomplete"], 0, "{home}");
    let roster = app
        .json(&teacher, "/api/records/class", &[("class_id", &class)])
        .await;
    assert_eq!(roster["students"][0]["missing"], serde_json::json!([]));
    assert_eq!(roster["students"][0]["awaiting_number"], true);
    let (_, html) = page(&app, &teacher, &format!("/records/classes/{class}")).await;
    assert!(html.contains("待取得学籍号"));
    assert!(!html.contains("缺学籍号"));
    // Enrolled years ago, the same lack is what it was: incomplete.
    let old =
        crate::fixtures::enter_incomplete(&app, &teacher, &class, &Student::numbered(62)).await;
    let roster = app
        .json(&teacher, "/api/records/class", &[("class_id", &class)])
        .await;
    let row = roster["students"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == old.as_str())
        .unwrap();
    assert!(
        row["missing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "student_number")
    );
}
