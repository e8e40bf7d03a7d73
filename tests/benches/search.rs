//! Benchmark: finding students in a school of 200,000 (the demo school), by pinyin
//! initials, full pinyin, characters and exact identity number; through the search service
//! and through the portal's two server functions. Run with
//! `cargo bench -p tests --bench search` (`XUEJI_BENCH_STUDENTS` to change the size).

#[path = "../tests/http/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use std::time::{Duration, Instant};

use app::{
    domain::{Actor, Role, records::StudentSecrets},
    features::search::service::{self as search, Query},
    kit::names::search_keys,
};

fn report(what: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at =
        |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3;
    println!(
        "{what}: n={} median={:.3} ms p99={:.3} ms max={:.3} ms",
        samples.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

#[tokio::main]
async fn main() {
    let students: u32 = std::env::var("XUEJI_BENCH_STUDENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let app = helpers::spawn_app().await;
    let started = Instant::now();
    let filled = server::commands::demo_data(
        &app.settings,
        app.clock.clone(),
        students,
        1,
        helpers::PASSWORD,
    )
    .await
    .unwrap();
    println!(
        "demo-data: {} students in {:.1} s",
        filled.students,
        started.elapsed().as_secs_f64()
    );
    let keys = server::keys::load(&app.settings.key_file, &app.pool, false)
        .await
        .unwrap()
        .data;
    let admin = Actor {
        id: 2,
        username: "records1".into(),
        display_name: "records1".into(),
        roles: vec![Role::RecordsAdmin],
        must_change_password: false,
    };

    // 400 students spread over the school, and what people would type to find them.
    let sample: Vec<(String, Vec<u8>, String)> = app::db::query_as(
        "SELECT name, sealed, public_id FROM students WHERE id % $1 = 0 LIMIT 400",
    )
    .bind((students / 400).max(1) as i64)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let mut kinds: Vec<(&str, Vec<String>)> = vec![
        ("initials", vec![]),
        ("full pinyin", vec![]),
        ("characters", vec![]),
        ("exact ID number", vec![]),
    ];
    for (name, sealed, public_id) in &sample {
        let variants = search_keys(name);
        let ascii: Vec<&String> = variants.iter().filter(|k| k.is_ascii()).collect();
        let initials = ascii.iter().min_by_key(|k| k.len()).unwrap();
        let full = ascii.iter().max_by_key(|k| k.len()).unwrap();
        kinds[0].1.push((*initials).clone());
        kinds[1].1.push((*full).clone());
        kinds[2].1.push(name.clone());
        let secrets: StudentSecrets = keys
            .open_json(&format!("student:{public_id}"), sealed)
            .unwrap();
        kinds[3].1.push(secrets.id_number);
    }
    let mut all = Vec::new();
    for (kind, queries) in &kinds {
        let mut samples = Vec::new();
        for q in queries {
            let started = Instant::now();
            let query = Query::parse(q, &keys).unwrap();
            let now = chrono::Utc::now();
            let found = search::find(&app.pool, &admin, &query, false, now)
                .await
                .unwrap();
            let (hits, _) = search::search(&app.pool, &admin, &found, 1, now)
                .await
                .unwrap();
            samples.push(started.elapsed());
            assert!(!hits.is_empty(), "{kind}: nothing for a student who exists");
        }
        all.extend(samples.iter().copied());
        report(
            &format!("search service, {kind} ({students} students)"),
            samples,
        );
    }
    report(
        &format!("search service, all kinds ({students} students)"),
        all,
    );

    // Through the portal: the query posted, then the results page's server function. Names
    // only: a records administrator's number searches are budgeted per hour (and audited),
    // so a hundred of them in a row are refused, as they should be.
    let client = app.browser();
    assert_eq!(
        app.sign_in_with(&client, "records1", helpers::PASSWORD)
            .await
            .status(),
        200
    );
    let mut samples = Vec::new();
    for q in kinds[..3].iter().flat_map(|(_, qs)| qs.iter().take(100)) {
        let started = Instant::now();
        assert_eq!(
            app.call_as(&client, "/api/records/search", &[("query", q)])
                .await
                .status(),
            200
        );
        let body = app
            .call_as(&client, "/api/records/search/results", &[])
            .await
            .text()
            .await
            .unwrap();
        samples.push(started.elapsed());
        assert!(body.contains("\"hits\":[{"));
    }
    report(
        &format!("search over HTTP, post + results ({students} students)"),
        samples,
    );
}
