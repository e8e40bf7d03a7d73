//! A request cut off midway leaves nothing behind: clients that hang up during sign-in, save
//! and import never leave a pooled connection inside a transaction or holding the write lock.

use std::time::{Duration, Instant};

use app::domain::Role;

use crate::{
    fixtures::{Student, enter_student, roster_csv, roster_row, seed_class, with},
    helpers::{PASSWORD, spawn_app},
};

#[tokio::test]
async fn clients_that_hang_up_leave_every_connection_usable() {
    let app = spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let teacher_id: i64 = app::db::query_scalar("SELECT id FROM users WHERE username = 'wang'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let class = seed_class(&app, "1班", Some(teacher_id)).await;
    enter_student(&app, &teacher, &class, &Student::numbered(1)).await;

    // 300 requests at once, each abandoned by its client after 5 to 150 ms: sign-ins with the wrong
    // password, saves of new students, and roster uploads.
    let mut tasks = Vec::new();
    for n in 0..300u32 {
        let (address, origin, teacher, class) = (
            app.address.clone(),
            app.origin.clone(),
            teacher.clone(),
            class.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let cut = Duration::from_millis(u64::from(5 + (n * 7) % 150));
            let request = match n % 3 {
                0 => reqwest::Client::new()
                    .post(format!("{address}/api/sign-in"))
                    .form(&[("username", "wang"), ("password", "Wrong2026x")]),
                1 => {
                    let form = with(
                        Student::numbered(100 + n).form(),
                        &[("class_id", class.as_str())],
                    );
                    teacher
                        .post(format!("{address}/api/records/student/save"))
                        .form(&form)
                }
                _ => {
                    let roster = roster_csv(&[roster_row(&Student::numbered(500 + n))]);
                    let form = reqwest::multipart::Form::new()
                        .text("class_id", class)
                        .part(
                            "file",
                            reqwest::multipart::Part::bytes(roster.into_bytes()).file_name("r.csv"),
                        );
                    teacher
                        .post(format!("{address}/api/records/import/upload"))
                        .multipart(form)
                }
            };
            let _ = request
                .header("origin", origin)
                .header("accept", "application/json")
                .timeout(cut)
                .send()
                .await;
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    // What the server still had in hand finishes (each request well within this).
    tokio::time::sleep(Duration::from_secs(3)).await;

    // Every connection of the pool at once: none is inside a transaction, none holds the
    // write lock, so each begins a write transaction straight away.
    let mut held = Vec::new();
    for _ in 0..app.pool.max_connections() {
        held.push(app.pool.acquire().await.unwrap());
    }
    let (begin, lock) = match app.pool.engine() {
        app::db::Engine::Sqlite => ("BEGIN IMMEDIATE", None),
        app::db::Engine::Postgres => (
            "BEGIN",
            Some("SELECT id FROM write_lock WHERE id = 1 FOR UPDATE NOWAIT"),
        ),
    };
    for conn in &mut held {
        let started = Instant::now();
        app::db::query(begin)
            .execute(&mut *conn)
            .await
            .expect("a pooled connection begins a write transaction");
        if let Some(lock) = lock {
            app::db::query(lock)
                .execute(&mut *conn)
                .await
                .expect("and takes the write lock");
        }
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "{:?}",
            started.elapsed()
        );
        app::db::query("ROLLBACK")
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    drop(held);

    // And the portal answers: a sign-in and a save, at once. (From the teacher's own
    // browser: the flood of wrong passwords has used up this address's allowance.)
    let browser = teacher;
    let started = Instant::now();
    assert_eq!(
        app.sign_in_with(&browser, "wang", PASSWORD).await.status(),
        200
    );
    let form = with(Student::numbered(999).form(), &[("class_id", &class)]);
    let saved = crate::fixtures::call(&app, &browser, "/api/records/student/save", &form).await;
    assert_eq!(saved.status(), 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_request_runs_to_its_end_when_its_client_hangs_up() {
    // The deployed hashing cost: the client is gone long before the hash is done.
    let app = crate::helpers::spawn_app_hashing_as_deployed().await;
    app.create_user("wang", &[Role::HomeroomTeacher]).await;
    // Each client hangs up as soon as its request is under way on the server, while the
    // server hashes the password: the failed sign-in is recorded all the same (the handler
    // was not dropped halfway). "Under way" is certain, not a guess of milliseconds: the
    // client asks `Expect: 100-continue`, and the server says `100 Continue` only when the
    // handler first reads the body, inside the task a request runs to its end in.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.address.trim_start_matches("http://").to_owned();
    let body = "username=wang&password=Wrong2026x";
    let head = format!(
        "POST /api/sign-in HTTP/1.1\r\nHost: {host}\r\nOrigin: {}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Expect: 100-continue\r\n\r\n",
        app.origin,
        body.len()
    );
    for _ in 0..4 {
        let mut client = tokio::net::TcpStream::connect(&host).await.unwrap();
        client.write_all(head.as_bytes()).await.unwrap();
        let mut answer = [0u8; 64];
        let read = tokio::time::timeout(Duration::from_secs(20), client.read(&mut answer))
            .await
            .expect("the server reads the body within 20 s")
            .unwrap();
        assert!(
            answer[..read].starts_with(b"HTTP/1.1 100 Continue"),
            "{}",
            String::from_utf8_lossy(&answer[..read])
        );
        client.write_all(body.as_bytes()).await.unwrap();
        drop(client);
    }
    // The server finishes them in its own time: on a busy machine (the whole suite hashing
    // at once) that can take seconds, so wait for them, up to a bound.
    let deadline = Instant::now() + Duration::from_secs(20);
    let failures = loop {
        let failures: i64 = app::db::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.sign_in' AND outcome = 'failure'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        if failures >= 4 || Instant::now() > deadline {
            break failures;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(failures, 4, "every abandoned sign-in ran to its end");
}
