//! Benchmark: recording an inspection on a long audit trail, through the real server, while
//! twenty other writers write. The trail's verdict is reached before the inspection's write
//! transaction begins (from the last head verified on), so the writers should not wait for
//! the chain to be recomputed. Run with `cargo bench -p tests --bench inspections` (an
//! optimised build); `XUEJI_BENCH_ENTRIES` sets the trail's length (150,000).

#[path = "../tests/http/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use std::time::{Duration, Instant};

#[path = "common/report.rs"]
mod report;
use report::report;

use app::domain::Role;

#[tokio::main]
async fn main() {
    let entries: i64 = std::env::var("XUEJI_BENCH_ENTRIES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(150_000);
    let app = helpers::spawn_app().await;
    let keys = server::keys::load(&app.settings.key_file, &app.pool, false)
        .await
        .expect("the test portal's keys");
    let records = app.signed_in("chen", &[Role::RecordsAdmin]).await;
    let started = Instant::now();
    let now = app::clock::Clock::now(app.clock.as_ref());
    for _ in 0..entries / 5000 {
        let mut tx = app::db::begin_write(&app.pool).await.unwrap();
        for _ in 0..5000 {
            app::kit::audit::chain::append(
                &mut tx,
                &keys.audit,
                now,
                app::kit::audit::chain::NewEntry::new("audit.read", "success"),
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    }
    println!(
        "a trail of {entries} entries in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let today = now.date_naive().to_string();
    let record = || {
        let app = &app;
        let records = &records;
        let today = today.clone();
        async move {
            let started = Instant::now();
            let response = app
                .call_as(
                    records,
                    "/api/inspections/record",
                    &[
                        ("inspection[period_from]", "2026-03-01"),
                        ("inspection[period_to]", today.as_str()),
                        ("inspection[participants]", "陈老师"),
                        ("inspection[items][0][item]", "审计链"),
                        ("inspection[items][0][finding]", "见系统核验"),
                    ],
                )
                .await;
            assert_eq!(response.status(), 200);
            started.elapsed()
        }
    };
    // Twenty writers, each a short write transaction in a loop, while inspections are
    // recorded: how long each write waits.
    app::db::query("CREATE TABLE IF NOT EXISTS installation_probe (n INTEGER)")
        .execute(&app.pool)
        .await
        .unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for n in 0..20 {
        let pool = app.pool.clone();
        let stop = stop.clone();
        writers.push(tokio::spawn(async move {
            let mut waits = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let started = Instant::now();
                let mut tx = app::db::begin_write(&pool).await.unwrap();
                app::db::query("INSERT INTO installation_probe (n) VALUES ($1)")
                    .bind(n)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                waits.push(started.elapsed());
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            waits
        }));
    }
    let first = record().await;
    let mut later = Vec::new();
    for _ in 0..20 {
        later.push(record().await);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut waits = Vec::new();
    for w in writers {
        waits.extend(w.await.unwrap());
    }
    println!(
        "first inspection after start (the whole trail verified, outside the write lock): {:.0} ms",
        first.as_secs_f64() * 1000.0
    );
    report(
        &format!("inspection recorded, trail of {entries} (from the last verified head)"),
        later,
    );
    report(
        "a concurrent writer's write, while inspections are recorded",
        waits,
    );
}
