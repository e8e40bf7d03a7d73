//! Benchmark: information requests at a 3,000-student school, through the real server as
//! the pages call it: filing a request for a whole class (45 students × 6 fields), a
//! leader's approval, and the requester's opening of the release (each opening a disclosure
//! entry and an audit entry written before the values are shown). Run with
//! `cargo bench -p tests --bench requests` (an optimised build); prints median and p99.
//! `XUEJI_BENCH_STUDENTS` changes the school's size.

#[path = "../tests/http/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use std::time::Instant;

#[path = "common/report.rs"]
mod report;
use report::report;

use app::domain::Role;

const FIELDS: [&str; 6] = [
    "name",
    "birth_date",
    "phone",
    "address",
    "guardian.name",
    "guardian.phone",
];

#[tokio::main]
async fn main() {
    let students: u32 = std::env::var("XUEJI_BENCH_STUDENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000);
    let app = helpers::spawn_app().await;
    let keys = server::keys::load(&app.settings.key_file, &app.pool, false)
        .await
        .expect("the test portal's keys");
    let started = Instant::now();
    let now = app::clock::Clock::now(app.clock.as_ref());
    app::features::demo::service::fill(
        &app.pool,
        &keys.audit,
        &keys.data,
        now,
        students,
        7,
        "unused",
    )
    .await
    .expect("the demo school");
    println!(
        "demo school of {students} students in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let class: String = app::db::query_scalar(
        "SELECT c.public_id FROM classes c JOIN students s ON s.class_id = c.id \
         GROUP BY c.id HAVING COUNT(*) = 45 ORDER BY c.id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .expect("a class of 45");

    let requester = app
        .signed_in("bench-requester", &[Role::HomeroomTeacher])
        .await;
    let leader = app.signed_in("bench-leader", &[Role::Leader]).await;
    let records = app.signed_in("bench-records", &[Role::RecordsAdmin]).await;
    let ok = |response: reqwest::Response| async move {
        let status = response.status();
        assert_eq!(status, 200, "{}", response.text().await.unwrap());
    };

    let mut filings = Vec::new();
    let mut approvals = Vec::new();
    let mut last = String::new();
    for _ in 0..100 {
        let started = Instant::now();
        ok(app
            .call_as(&requester, "/api/requests/pick", &[("class_id", &class)])
            .await)
        .await;
        let mut form = vec![
            ("filing[purpose]", "home_contact"),
            ("filing[reason]", "联系家长确认春游的集合地点和接送安排"),
        ];
        form.extend(FIELDS.iter().map(|f| ("filing[fields][]", *f)));
        ok(app.call_as(&requester, "/api/requests/file", &form).await).await;
        filings.push(started.elapsed());
        last =
            app::db::query_scalar("SELECT public_id FROM info_requests ORDER BY id DESC LIMIT 1")
                .fetch_one(&app.pool)
                .await
                .unwrap();
        let picked: Vec<String> = app::db::query_scalar(
            "SELECT s.public_id FROM info_request_students i JOIN students s ON s.id = i.student_id \
             JOIN info_requests r ON r.id = i.request_id WHERE r.public_id = $1",
        )
        .bind(&last)
        .fetch_all(&app.pool)
        .await
        .unwrap();
        let mut decision = vec![("request_id", last.as_str()), ("decision", "approve")];
        decision.extend(picked.iter().map(|s| ("students[]", s.as_str())));
        decision.extend(FIELDS.iter().map(|f| ("fields[]", *f)));
        let started = Instant::now();
        ok(app
            .call_as(&leader, "/api/requests/decide", &decision)
            .await)
        .await;
        approvals.push(started.elapsed());
        if picked.len() != 45 {
            panic!("the class holds {} students", picked.len());
        }
        let mut release = vec![("request_id", last.as_str())];
        release.extend(picked.iter().map(|s| ("students[]", s.as_str())));
        release.extend(FIELDS.iter().map(|f| ("fields[]", *f)));
        ok(app
            .call_as(&records, "/api/requests/fulfil", &release)
            .await)
        .await;
    }
    report(
        "file a request (whole class of 45, 6 fields; pick + file)",
        filings,
    );
    report("approve it (45 students, 6 fields kept)", approvals);

    let mut openings = Vec::new();
    for _ in 0..300 {
        let started = Instant::now();
        let response = app
            .call_as(
                &requester,
                "/api/requests/release",
                &[("request_id", &last)],
            )
            .await;
        let body = response.text().await.unwrap();
        openings.push(started.elapsed());
        assert!(body.contains("\"Live\""), "{body}");
    }
    report(
        &format!("open a release of 45 students × 6 fields ({students} students in the school)"),
        openings,
    );
}
