//! Benchmark: the publication review's scan of a 20,000-character text against a school's
//! enrolled names: reading the names (as every save does) and scanning, for the 3,000-student
//! and the 200,000-student demo schools. Run with `cargo bench -p tests --bench publications`
//! (`XUEJI_BENCH_SCHOOLS=3000,200000` to change the sizes).

#[path = "../tests/http/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use std::time::{Duration, Instant};

use app::features::publications::service as publications;

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

/// A 20,000-character text: the shipped notices over and over, with a few names of the
/// school's and a phone number in it.
fn text(names: &[String]) -> String {
    let corpus = include_str!("../corpus/school_notices.txt");
    let mut out = String::new();
    let mut n = 0;
    while out.chars().count() < 19_900 {
        for notice in corpus.split("\n---\n").skip(1) {
            out.push_str(notice);
            if let Some(name) = names.get(n * 37 % names.len().max(1)) {
                out.push_str(&format!("祝贺{name}同学。"));
            }
            n += 1;
        }
    }
    out.push_str("电话13800138000");
    out.chars().take(20_000).collect()
}

#[tokio::main]
async fn main() {
    let sizes: Vec<u32> = std::env::var("XUEJI_BENCH_SCHOOLS")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![3_000, 200_000]);
    for students in sizes {
        let app = helpers::spawn_app().await;
        server::commands::demo_data(
            &app.settings,
            app.clock.clone(),
            students,
            1,
            helpers::PASSWORD,
        )
        .await
        .unwrap();
        let mut conn = app.pool.acquire().await.unwrap();
        // Names of the school's, for the text to hold some.
        let names: Vec<String> = app::db::query_scalar(
            "SELECT DISTINCT key FROM student_search_keys WHERE key >= '\u{3400}' LIMIT 500",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        let body = text(&names);
        let rounds = if students > 10_000 { 40 } else { 300 };
        let (mut read_and_scan, mut scan_only) = (Vec::new(), Vec::new());
        let mut found = 0;
        for _ in 0..rounds {
            let started = Instant::now();
            let set = publications::names(&mut conn, &body).await.unwrap();
            let scanned = Instant::now();
            found = publications::scan(&body, &set).len();
            read_and_scan.push(started.elapsed());
            scan_only.push(scanned.elapsed());
        }
        println!(
            "{students} students, {} characters, {found} findings",
            body.chars().count()
        );
        report(&format!("  {students}: read names + scan"), read_and_scan);
        report(&format!("  {students}: scan alone"), scan_only);
    }
}
