//! Benchmark: the time to save a student through the real server (HTTP, one teacher, as
//! the form posts it) while the school fills up to 3,000 students, and the time to render a
//! 50-student class roster, a student's page and the verification queue once it holds them
//! (the pages `tests/http/cost.rs` budgets; the search and release pages have benches of
//! their own). Run with
//! `cargo bench -p tests --bench records` (an optimised build); prints median and p99.

#[path = "../tests/http/helpers.rs"]
#[allow(dead_code)]
mod helpers;

#[path = "../tests/http/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;

use std::time::Instant;

#[path = "common/report.rs"]
mod report;
use report::report;

use app::domain::Role;

#[tokio::main]
async fn main() {
    let students: u32 = std::env::var("XUEJI_BENCH_STUDENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000);
    let app = helpers::spawn_app().await;
    let teacher = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let teacher_id: i64 = app::db::query_scalar("SELECT id FROM users WHERE username = 'wang'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let classes = students.div_ceil(50);
    let mut class_ids = Vec::new();
    for c in 0..classes {
        class_ids.push(fixtures::seed_class(&app, &format!("{}班", c + 1), Some(teacher_id)).await);
    }
    let mut saves = Vec::with_capacity(students as usize);
    for n in 0..students {
        let mut student = fixtures::Student::numbered(n);
        // Unique identity numbers across 3,000: vary the birth day with the sequence.
        let day = 1 + (n / 1000) % 28;
        student.id_number = fixtures::id_number(
            "330106",
            &format!("201703{day:02}"),
            &format!("{:03}", n % 1000),
        );
        let form = fixtures::with(
            student.form(),
            &[
                ("class_id", &class_ids[(n / 50) as usize]),
                ("record[student][birth_date]", &format!("2017-03-{day:02}")),
            ],
        );
        let started = Instant::now();
        let response = fixtures::call(&app, &teacher, "/api/records/student/save", &form).await;
        saves.push(started.elapsed());
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    }
    report(
        &format!("save a student (up to {students} in the school)"),
        saves,
    );

    let roster = app.url(&format!("/records/classes/{}", class_ids[0]));
    let mut renders = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        let response = teacher.get(&roster).send().await.unwrap();
        let body = response.text().await.unwrap();
        renders.push(started.elapsed());
        assert!(body.contains("王小明"));
    }
    report(
        &format!("render a 50-student roster page ({students} students in the school)"),
        renders,
    );

    let mut calls = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        let response = app
            .call_as(
                &teacher,
                "/api/records/class",
                &[("class_id", &class_ids[0])],
            )
            .await;
        let body = response.text().await.unwrap();
        calls.push(started.elapsed());
        assert!(body.contains("王小明"));
    }
    report("the roster's server function (JSON)", calls);

    // The other pages the cost test budgets (tests/http/cost.rs): a student's page as their
    // teacher opens it, and the verification queue as a records administrator does.
    let student: String =
        app::db::query_scalar("SELECT public_id FROM students ORDER BY id LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let records = app.signed_in("chen", &[Role::RecordsAdmin]).await;
    for (what, client, path) in [
        (
            "render a student's page (their teacher)",
            &teacher,
            format!("/records/students/{student}"),
        ),
        (
            "render the verification queue (a records administrator)",
            &records,
            "/records/queue".to_owned(),
        ),
    ] {
        let url = app.url(&path);
        let mut renders = Vec::new();
        for _ in 0..200 {
            let started = Instant::now();
            let response = client.get(&url).send().await.unwrap();
            assert_eq!(response.status(), 200, "{what}");
            response.text().await.unwrap();
            renders.push(started.elapsed());
        }
        report(
            &format!("{what}, {students} students in the school"),
            renders,
        );
    }

    // Importing 2,000 rows into a class of their own: upload, dry run, import.
    let import_class = fixtures::seed_class(&app, "导入班", Some(teacher_id)).await;
    let rows: Vec<Vec<String>> = (0..2000u32)
        .map(|n| {
            let mut student = fixtures::Student::numbered(n);
            let day = 1 + (n / 1000) % 28;
            student.id_number = fixtures::id_number(
                "330105",
                &format!("201604{day:02}"),
                &format!("{:03}", n % 1000),
            );
            let mut row = fixtures::roster_row(&student);
            let birth = fixtures::roster_header()
                .iter()
                .position(|h| *h == "出生日期")
                .unwrap();
            row[birth] = format!("2016/04/{day:02}");
            row
        })
        .collect();
    let csv = fixtures::roster_csv(&rows).into_bytes();
    let started = Instant::now();
    let uploaded = fixtures::upload_roster(&app, &teacher, &import_class, "2000.csv", csv).await;
    assert_eq!(uploaded.status(), 200, "{}", uploaded.text().await.unwrap());
    let uploaded_in = started.elapsed();
    let import = fixtures::last_import(&app).await;
    let checked = Instant::now();
    let view = fixtures::dry_run(&app, &teacher, &import).await;
    assert_eq!(view["valid"], 2000, "{}", view["problems"]);
    let checked_in = checked.elapsed();
    let committed = Instant::now();
    let response = app
        .call_as(
            &teacher,
            "/api/records/import/commit",
            &[("import_id", &import)],
        )
        .await;
    assert_eq!(response.status(), 200);
    let committed_in = committed.elapsed();
    println!(
        "import 2,000 rows: upload {:.0} ms, dry run {:.0} ms, import {:.0} ms, in all {:.2} s",
        uploaded_in.as_secs_f64() * 1e3,
        checked_in.as_secs_f64() * 1e3,
        committed_in.as_secs_f64() * 1e3,
        started.elapsed().as_secs_f64()
    );
}
