//! Benchmark: how long a wrong sign-in takes for a username that names an account and for
//! one that names nobody. The two must not be told apart by their time (nor by their
//! answer, which the HTTP tests check). Run with `cargo bench -p tests --bench sign_in`
//! (`XUEJI_BENCH_ROUNDS` to change the number of rounds).

#[path = "../tests/http/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use std::time::{Duration, Instant};

use app::{domain::Role, features::accounts::service::auth, kit::passwords::Hasher};

fn median_ms(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1e3
}

#[tokio::main]
async fn main() {
    let rounds: i64 = std::env::var("XUEJI_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let app = helpers::spawn_app_hashing_as_deployed().await;
    app.create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    let keys = server::keys::load(&app.settings.key_file, &app.pool, false)
        .await
        .unwrap();
    let hasher = Hasher::new(1, Duration::from_secs(60), app.settings.password_hash_cost);
    let start = helpers::start_of_term();
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        // A fresh address and a later hour each round, so that no throttle answers instead.
        let cx = auth::Context {
            pool: &app.pool,
            key: &keys.audit,
            hasher: &hasher,
            now: start + chrono::Duration::hours(2 * round),
            client: Some(format!("10.0.{}.{}", round / 250, round % 250 + 1)),
            trusted_network: false,
        };
        // Alternating which goes first, so that neither gets the warmer caches.
        let order = if round % 2 == 0 {
            [("wanglaoshi", true), ("wanglaoshi9", false)]
        } else {
            [("wanglaoshi9", false), ("wanglaoshi", true)]
        };
        for (username, exists) in order {
            let started = Instant::now();
            let answer = auth::sign_in(&cx, username, "Wrong2026x", &auth::Browser::None).await;
            let took = started.elapsed();
            assert!(answer.is_err());
            if exists {
                known.push(took)
            } else {
                unknown.push(took)
            }
        }
    }
    let (k, u) = (median_ms(known), median_ms(unknown));
    println!(
        "wrong sign-in, {rounds} rounds: known username median={k:.3} ms, unknown username median={u:.3} ms, difference={:.3} ms",
        k - u
    );
}
