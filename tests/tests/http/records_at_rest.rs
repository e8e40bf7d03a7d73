//! What never leaves the server: classified values are encrypted at rest, the key file
//! guards them, and no page, server-function answer or log line shows them in full to
//! anyone without the right.

use std::sync::{Arc, Mutex};

use app::domain::Role;
use server::Application;

use crate::{
    fixtures::{Student, enter_student, seed_class},
    helpers::{TestApp, spawn_app},
};

async fn teacher_with_student(app: &TestApp, n: u32) -> (reqwest::Client, String, String, Student) {
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let id: i64 = app::db::query_scalar("SELECT id FROM users WHERE username = 'wang'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let class = seed_class(app, "1班", Some(id)).await;
    let s = Student::numbered(n);
    let student = enter_student(app, &teacher, &class, &s).await;
    (teacher, class, student, s)
}

#[tokio::test]
async fn classified_values_appear_in_no_database_file() {
    let app = spawn_app().await;
    let (_, _, _, s) = teacher_with_student(&app, 11).await;
    let bytes = app.stored_bytes(true).await;
    let holds = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    for secret in s.secrets() {
        assert!(!holds(secret.as_bytes()), "a classified value is stored");
    }
    assert!(
        holds("王小明".as_bytes()),
        "the scan reads the data: ordinary values are in the clear"
    );
}

#[tokio::test]
async fn the_server_refuses_to_start_without_the_key_that_sealed_its_data() {
    let app = spawn_app().await;
    teacher_with_student(&app, 12).await;
    let key = app.settings.key_file.clone();
    let original = std::fs::read(&key).unwrap();

    // Missing.
    let mut settings = app.settings.clone();
    settings.key_file = key.with_file_name("elsewhere.key");
    settings.addr = "127.0.0.1:0".parse().unwrap();
    let error = Application::build(settings.clone(), app.clock.clone())
        .await
        .err()
        .expect("refused");
    assert!(error.to_string().contains("missing"), "{error}");
    assert!(!settings.key_file.exists(), "and no new key file was made");

    // Another installation's key file.
    let other = crate::helpers::spawn_app().await;
    std::fs::copy(&other.settings.key_file, &settings.key_file).unwrap();
    let error = Application::build(settings.clone(), app.clock.clone())
        .await
        .err()
        .expect("refused");
    assert!(error.to_string().contains("does not belong"), "{error}");

    // An older key file that holds the audit key only.
    let mut v1: serde_json::Value = serde_json::from_slice(&original).unwrap();
    let audit = v1["audit_mac"].clone();
    v1 = serde_json::json!({ "version": 1, "audit_mac": audit });
    std::fs::write(&settings.key_file, v1.to_string()).unwrap();
    let error = Application::build(settings.clone(), app.clock.clone())
        .await
        .err()
        .expect("refused");
    assert!(error.to_string().contains("no data key"), "{error}");

    // The right one.
    std::fs::write(&settings.key_file, &original).unwrap();
    assert!(
        Application::build(settings, app.clock.clone())
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn an_older_key_file_gets_data_keys_while_nothing_is_sealed() {
    let app = spawn_app().await;
    let mut v1: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&app.settings.key_file).unwrap()).unwrap();
    v1 = serde_json::json!({ "version": 1, "audit_mac": v1["audit_mac"].clone() });
    let mut settings = app.settings.clone();
    settings.key_file = settings.key_file.with_file_name("v1.key");
    settings.addr = "127.0.0.1:0".parse().unwrap();
    std::fs::write(&settings.key_file, v1.to_string()).unwrap();
    // This database already checked other data keys: a v1 file is refused...
    assert!(
        Application::build(settings.clone(), app.clock.clone())
            .await
            .is_err()
    );
    // ...but a database that never sealed anything upgrades the file.
    let fresh = tempfile::tempdir().unwrap();
    let mut settings = settings.clone();
    settings.database_url = crate::helpers::database_url(fresh.path()).await;
    let key_text = {
        let mut own = v1.clone();
        own["audit_mac"] = serde_json::json!("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        own.to_string()
    };
    std::fs::write(&settings.key_file, key_text).unwrap();
    assert!(
        Application::build(settings.clone(), app.clock.clone())
            .await
            .is_ok()
    );
    let upgraded: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&settings.key_file).unwrap()).unwrap();
    assert_eq!(upgraded["version"], 2);
    assert_eq!(upgraded["current_data_key"], 1);
}

#[tokio::test]
async fn rotating_the_key_seals_everything_again_under_the_new_one() {
    let app = spawn_app().await;
    let (teacher, class, student, _) = teacher_with_student(&app, 13).await;
    // A draft is sealed too.
    let bad = crate::fixtures::with(
        Student::numbered(14).form(),
        &[("class_id", &class), ("record[student][phone]", "1")],
    );
    crate::fixtures::call(&app, &teacher, "/api/records/student/save", &bad).await;
    // More students than a page of the rotation holds: read a page at a time, none missed.
    for n in 15..15 + app::kit::sealing::sealed::PAGE as u32 + 2 {
        enter_student(&app, &teacher, &class, &Student::numbered(n)).await;
    }
    let mut sealed = 0;
    for table in app::kit::sealing::sealed::tables() {
        let n: i64 = app::db::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&app.pool)
            .await
            .unwrap();
        sealed += n as usize;
    }
    let before = std::fs::read(&app.settings.key_file).unwrap();
    let rotated = server::commands::rotate_key(&app.settings, app.clock.clone())
        .await
        .unwrap();
    assert_eq!(rotated.key_id, 2);
    assert_eq!(rotated.values, sealed, "{rotated:?}");
    assert!(sealed > 2 * app::kit::sealing::sealed::PAGE as usize);
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&app.settings.key_file).unwrap()).unwrap();
    assert_eq!(file["current_data_key"], 2);
    assert_eq!(
        file["data_keys"].as_array().unwrap().len(),
        1,
        "the old key is gone"
    );
    let under_old: i64 =
        app::db::query_scalar("SELECT COUNT(*) FROM students WHERE substr(sealed, 2, 2) <> $1")
            .bind(vec![0u8, 2])
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(under_old, 0);

    // A server started with the new file reads everything; the old file no longer opens it.
    let mut settings = app.settings.clone();
    settings.addr = "127.0.0.1:0".parse().unwrap();
    let restarted = Application::build(settings.clone(), app.clock.clone())
        .await
        .unwrap();
    let port = restarted.port();
    tokio::spawn(restarted.run_until_stopped());
    let browser = app.browser();
    let address = format!("http://127.0.0.1:{port}");
    let signed = browser
        .post(format!("{address}/api/sign-in"))
        .header(reqwest::header::ORIGIN, &address)
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&[("username", "wang"), ("password", crate::helpers::PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 200);
    let roster: serde_json::Value = browser
        .post(format!("{address}/api/records/class"))
        .header(reqwest::header::ORIGIN, &address)
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&[("class_id", class.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(roster["students"][0]["id"], student.as_str());
    assert_eq!(roster["students"][0]["id_number"], "******");
    std::fs::write(&settings.key_file, before).unwrap();
    assert!(
        Application::build(settings, app.clock.clone())
            .await
            .is_err()
    );
}

/// A writer the test's log subscriber fills.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every line this thread's code logs, at every level, from now until the guard goes.
fn capture_log() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Unique values in every classified field; then every page and server function, as every
/// kind of viewer: none of them carries one in full, and neither does the log.
#[tokio::test]
async fn canary_values_never_reach_a_viewer_or_the_log_in_full() {
    let (captured, _guard) = capture_log();

    let app = spawn_app().await;
    let (teacher, class, student, s) = teacher_with_student(&app, 777).await;
    let other_teacher = app.signed_in("li", &[Role::HomeroomTeacher]).await;
    let records_admin = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let sysadmin = app.signed_in("sysadmin", &[Role::SystemAdmin]).await;
    let leader = app.signed_in("leader", &[Role::Leader]).await;
    let leading = app.signed_in("group", &[Role::LeadingGroup]).await;
    // A refused save and an autosaved draft, with the values typed in.
    let typed = crate::fixtures::with(
        s.form(),
        &[("student_id", &student), ("record[student][phone]", "12")],
    );
    crate::fixtures::call(&app, &teacher, "/api/records/student/save", &typed).await;
    crate::fixtures::call(
        &app,
        &teacher,
        "/api/records/student/discard",
        &[("student_id".into(), student.clone())],
    )
    .await;
    let mut canaries: Vec<String> = s.secrets().into_iter().map(str::to_owned).collect();
    canaries.push(format!("G{}", s.id_number));

    let pages = [
        "/records".to_owned(),
        format!("/records/classes/{class}"),
        format!("/records/classes/{class}/new"),
        format!("/records/students/{student}"),
        "/records/structure".to_owned(),
        "/audit".to_owned(),
        "/admin/accounts".to_owned(),
    ];
    let functions: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("/api/records", vec![]),
        ("/api/records/class", vec![("class_id", class.as_str())]),
        ("/api/records/class/new", vec![("class_id", class.as_str())]),
        (
            "/api/records/student",
            vec![("student_id", student.as_str())],
        ),
        ("/api/records/structure", vec![]),
        ("/api/audit", vec![]),
    ];
    for (who, client) in [
        ("teacher", &teacher),
        ("other teacher", &other_teacher),
        ("records admin", &records_admin),
        ("system admin", &sysadmin),
        ("leader", &leader),
        ("leading group", &leading),
        ("anonymous", &app.browser()),
    ] {
        // Positive controls: the people who may see the student do see them (a page that
        // failed to render would hide every value and pass the checks below).
        let sees_student = matches!(who, "teacher" | "records admin");
        for path in &pages {
            let response = client.get(app.url(path)).send().await.unwrap();
            assert!(
                response.status().as_u16() < 500,
                "{who}: {path} answered {}",
                response.status()
            );
            let body = response.text().await.unwrap();
            let about_student =
                path.contains(&class) && !path.ends_with("/new") || path.contains(&student);
            if sees_student && about_student {
                assert!(body.contains(&s.name), "{who}: {path} shows the student");
            }
            for canary in &canaries {
                assert!(
                    !body.contains(canary.as_str()),
                    "{who} saw a classified value on {path}"
                );
            }
        }
        for (path, args) in &functions {
            let response = app.call_as(client, path, args).await;
            assert!(response.status().as_u16() < 500, "{who}: {path}");
            let body = response.text().await.unwrap();
            if sees_student && matches!(*path, "/api/records/class" | "/api/records/student") {
                assert!(
                    body.contains(&s.name),
                    "{who}: {path} answers about the student"
                );
            }
            for canary in &canaries {
                assert!(
                    !body.contains(canary.as_str()),
                    "{who} got a classified value from {path}"
                );
            }
        }
    }
    // And the check itself sees a value that is shown: one unmasked for a reason.
    let unmasked = app
        .call_as(
            &records_admin,
            "/api/records/student/unmask",
            &[
                ("student_id", &student),
                ("field", "phone"),
                ("reason", "核对联系电话"),
            ],
        )
        .await;
    assert_eq!(unmasked.status(), 200);
    let body = app
        .page(&records_admin, &format!("/records/students/{student}"))
        .await
        .1;
    assert!(
        body.contains(&s.phone),
        "an unmasked value is found by the same check"
    );

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // Positive control: the portal's own lines reached the captured log. Which ones do
    // depends on what the tests running beside this one did to tracing's process-wide
    // callsite cache, so the check asks for any line of the server's or the app's.
    assert!(
        log.lines()
            .any(|l| l.contains(" server::") || l.contains(" app::")),
        "the log was captured: {} bytes",
        log.len()
    );
    for canary in &canaries {
        assert!(
            !log.contains(canary.as_str()),
            "a classified value in the log"
        );
    }
}

/// A release of every releasable field: shown to its requester while live, and afterwards
/// in no database file (db, -wal, -shm after a checkpoint; the session store lives there
/// too) but sealed in its own fields, and in no log line.
#[tokio::test]
async fn a_release_leaves_no_copy_behind() {
    let (captured, _guard) = capture_log();

    let app = spawn_app().await;
    let (_, class, student, s) = teacher_with_student(&app, 913).await;
    let requester = app.signed_in("li", &[Role::HomeroomTeacher]).await;
    let leader = app.signed_in("leader", &[Role::Leader]).await;
    let records = app.signed_in("records", &[Role::RecordsAdmin]).await;
    let every: Vec<String> = app::domain::requests::requestable()
        .map(|(k, _)| k)
        .collect();
    let ok = |r: reqwest::Response| async move {
        let status = r.status();
        assert_eq!(status, 200, "{}", r.text().await.unwrap());
    };
    ok(app
        .call_as(
            &requester,
            "/api/requests/pick/confirm",
            &[("name", s.name.as_str()), ("class_id", class.as_str())],
        )
        .await)
    .await;
    let mut filing = vec![
        ("filing[purpose]".to_owned(), "aid".to_owned()),
        (
            "filing[reason]".to_owned(),
            "核对资助对象的家庭联系方式和住址".to_owned(),
        ),
    ];
    filing.extend(
        every
            .iter()
            .map(|k| ("filing[fields][]".to_owned(), k.clone())),
    );
    ok(crate::fixtures::call(&app, &requester, "/api/requests/file", &filing).await).await;
    let id: String = app::db::query_scalar("SELECT public_id FROM info_requests")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let mut kept = vec![
        ("request_id".to_owned(), id.clone()),
        ("students[]".to_owned(), student.clone()),
    ];
    kept.extend(every.iter().map(|k| ("fields[]".to_owned(), k.clone())));
    let mut decision = kept.clone();
    decision.push(("decision".into(), "approve".into()));
    ok(crate::fixtures::call(&app, &leader, "/api/requests/decide", &decision).await).await;
    ok(crate::fixtures::call(&app, &records, "/api/requests/fulfil", &kept).await).await;

    let mut canaries: Vec<String> = s.secrets().into_iter().map(str::to_owned).collect();
    canaries.push(format!("G{}", s.id_number));
    // Positive control: while live, its requester sees every one of them.
    let page = app
        .page(&requester, &format!("/requests/{id}/release"))
        .await
        .1;
    let answer = app
        .call_as(&requester, "/api/requests/release", &[("request_id", &id)])
        .await
        .text()
        .await
        .unwrap();
    for canary in &canaries {
        assert!(page.contains(canary.as_str()), "the page shows {canary}");
        assert!(
            answer.contains(canary.as_str()),
            "the answer holds {canary}"
        );
    }
    ok(app
        .call_as(&requester, "/api/requests/close", &[("request_id", &id)])
        .await)
    .await;

    let bytes = app.stored_bytes(true).await;
    for canary in &canaries {
        let needle = canary.as_bytes();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "a released value is stored"
        );
    }
    assert!(
        app.tables().await.iter().any(|t| t == "sessions"),
        "the session store is a table of the database scanned"
    );
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for canary in &canaries {
        assert!(
            !log.contains(canary.as_str()),
            "a released value in the log"
        );
    }
}
