//! Every server function's arguments, as arbitrary Unicode: refused in words or served, never
//! a 500 (a panic there once lost a teacher's draft and wrote what was typed into the log).

use app::domain::Role;
use proptest::{
    strategy::{Strategy, ValueTree},
    test_runner::TestRunner,
};

use crate::{
    fixtures::{Student, enter_student, seed_class},
    helpers::spawn_app,
};

/// The argument names the functions read, the record form's among them.
const NAMES: &[&str] = &[
    "locale",
    "username",
    "password",
    "token",
    "current_password",
    "new_password",
    "display_name",
    "user_id",
    "change",
    "role",
    "request_id",
    "decision",
    "preset",
    "rotation_days",
    "query",
    "name",
    "starts_on",
    "grade",
    "step",
    "field",
    "reason",
    "class_id",
    "student_id",
    "import_id",
    "mapping[0]",
    "top_secret",
    "record[student][name]",
    "record[student][id_number]",
    "record[student][student_number]",
    "record[student][birth_date]",
    "record[student][phone]",
    "record[guardians][0][name]",
    "record[guardians][0][id_number]",
    "record[guardians][3][phone]",
];

fn text() -> impl Strategy<Value = String> {
    proptest::prop_oneof![
        proptest::arbitrary::any::<String>(),
        "[中GJLX0-9éँ\u{0}\u{200d}%&=\\[\\]]{0,24}",
        "[\u{4e00}-\u{9fff}][0-9A-Z]{16,18}",
    ]
}

#[tokio::test]
async fn arbitrary_arguments_never_make_a_server_error() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let admin = app
        .signed_in("records", &[Role::RecordsAdmin, Role::SystemAdmin])
        .await;
    let teacher_id: i64 = app::db::query_scalar("SELECT id FROM users WHERE username = 'wang'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let class = seed_class(&app, "1班", Some(teacher_id)).await;
    let student = enter_student(&app, &teacher, &class, &Student::numbered(5)).await;

    let paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .filter(|p| p != "/api/sign-out")
        .collect();
    assert!(paths.len() > 30, "the functions are registered");
    let mut runner = TestRunner::deterministic();
    let strategy = proptest::collection::vec(text(), NAMES.len());
    let mut calls = 0;
    for path in &paths {
        for case in 0..4 {
            let values = strategy.new_tree(&mut runner).unwrap().current();
            let mut args: Vec<(&str, &str)> = NAMES
                .iter()
                .copied()
                .zip(values.iter().map(String::as_str))
                .collect();
            // Half the cases about a real class and student, so the parsing past them runs.
            if case % 2 == 0 {
                args.retain(|(k, _)| *k != "class_id" && *k != "student_id");
                args.extend([
                    ("class_id", class.as_str()),
                    ("student_id", student.as_str()),
                ]);
            }
            for client in [&teacher, &admin] {
                let response = app.call_as(client, path, &args).await;
                assert!(
                    response.status().as_u16() < 500,
                    "{path} answered {} to {args:?}",
                    response.status()
                );
                calls += 1;
            }
        }
    }
    assert!(calls > 200);
    // Both are still signed in: nothing above ended a session by accident.
    for client in [&teacher, &admin] {
        assert_eq!(app.call_as(client, "/api/account", &[]).await.status(), 200);
    }
}
