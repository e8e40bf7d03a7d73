use app::domain::Role;
use chrono::Duration;
use server::commands;

use crate::helpers::{PASSWORD, header, spawn_app, spawn_app_at, spawn_app_hashing_as_deployed};

fn token_of(link: &str) -> &str {
    link.rsplit('/').next().unwrap()
}

#[tokio::test]
async fn the_bootstrap_link_sets_a_password_once() {
    let app = spawn_app().await;
    let link = commands::bootstrap_admin(&app.settings, app.clock.clone(), "admin", None)
        .await
        .unwrap()
        .unwrap();
    assert!(
        link.starts_with("http://127.0.0.1:0/setup/") || link.contains("/setup/"),
        "{link}"
    );
    let token = token_of(&link);

    let page = app.get(&format!("/setup/{token}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("admin"), "the page names the account");
    assert!(html.contains(r#"name="new_password""#));

    // The rule applies: a weak password is refused and changes nothing.
    let weak = app
        .call(
            "/api/setup",
            &[
                ("token", token),
                ("new_password", "short1"),
                ("confirm_password", "short1"),
            ],
        )
        .await;
    assert_eq!(weak.status(), 400);
    let error: serde_json::Value = weak.json().await.unwrap();
    assert_eq!(error["fields"][0]["code"], "password.too_short");

    let done = app
        .call(
            "/api/setup",
            &[
                ("token", token),
                ("new_password", PASSWORD),
                ("confirm_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status(), 200, "{:?}", done.text().await);
    let again = app
        .call(
            "/api/setup",
            &[
                ("token", token),
                ("new_password", "Another2026"),
                ("confirm_password", "Another2026"),
            ],
        )
        .await;
    assert_eq!(again.status(), 400, "a link works once");
    let error: serde_json::Value = again.json().await.unwrap();
    assert_eq!(error["fields"][0]["code"], "setup_link_invalid");
    assert!(
        app.get(&format!("/setup/{token}"))
            .await
            .text()
            .await
            .unwrap()
            .contains("此链接无效或已过期")
    );

    let browser = app.browser();
    assert_eq!(
        app.sign_in_with(&browser, "admin", PASSWORD).await.status(),
        200
    );

    // Only while no system administrator exists.
    let refused = commands::bootstrap_admin(&app.settings, app.clock.clone(), "second", None).await;
    assert!(
        matches!(refused, Err(commands::CommandError::Refused(ref c)) if c == "A system administrator exists already."),
        "{refused:?}"
    );
}

#[tokio::test]
async fn the_setup_link_expires_after_72_hours() {
    let app = spawn_app().await;
    let link = commands::bootstrap_admin(&app.settings, app.clock.clone(), "admin", None)
        .await
        .unwrap()
        .unwrap();
    app.clock.advance(Duration::hours(72));
    let response = app
        .call(
            "/api/setup",
            &[
                ("token", token_of(&link)),
                ("new_password", PASSWORD),
                ("confirm_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn bootstrap_with_a_password_from_stdin_applies_the_rule() {
    let app = spawn_app().await;
    let weak =
        commands::bootstrap_admin(&app.settings, app.clock.clone(), "admin", Some("password"))
            .await;
    assert!(weak.is_err());
    let made = commands::bootstrap_admin(&app.settings, app.clock.clone(), "admin", Some(PASSWORD))
        .await
        .unwrap();
    assert!(made.is_none(), "no link when the password was given");
    assert_eq!(
        app.sign_in_with(&app.browser(), "admin", PASSWORD)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn sign_in_and_sign_out_are_recorded() {
    let app = spawn_app().await;
    app.create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    let browser = app.browser();

    assert_eq!(
        browser
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "signed out: to sign-in"
    );
    let response = app.sign_in_with(&browser, "WangLaoshi", PASSWORD).await;
    assert_eq!(response.status(), 200);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect::<Vec<_>>();
    let session = cookie
        .iter()
        .find(|c| c.starts_with("xueji_session="))
        .expect("a session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    assert!(
        cookie.iter().any(|c| c.starts_with("xueji_device=")),
        "a device cookie"
    );

    let account = browser.get(app.url("/account")).send().await.unwrap();
    assert_eq!(account.status(), 200);
    let html = account.text().await.unwrap();
    assert!(html.contains("wanglaoshi 老师") && html.contains("班主任"));

    let out = app.call_as(&browser, "/api/sign-out", &[]).await;
    assert_eq!(out.status(), 200);
    assert_eq!(
        browser
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );

    let actions = app.audit_actions().await;
    assert!(actions.contains(&("auth.sign_in".into(), "success".into())));
    assert!(actions.contains(&("auth.sign_out".into(), "success".into())));
    commands::verify_audit(&app.settings)
        .await
        .expect("the trail is intact");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer_and_writes() {
    // How many rows each table of `app` holds: a sign-in's writes, counted.
    let rows = async |app: &crate::helpers::TestApp| {
        let tables = app.tables().await;
        let mut counts = Vec::new();
        for table in tables {
            let n: i64 = app::db::query_scalar(&format!("SELECT COUNT(*) FROM \"{table}\""))
                .fetch_one(&app.pool)
                .await
                .unwrap();
            counts.push((table, n));
        }
        counts
    };
    let delta = |before: &[(String, i64)], after: &[(String, i64)]| -> Vec<(String, i64)> {
        before
            .iter()
            .zip(after)
            .filter(|(b, a)| a.1 != b.1)
            .map(|(b, a)| (b.0.clone(), a.1 - b.1))
            .collect()
    };
    // Two schools alike; in one a wrong password for an account, in the other a username
    // that names nobody.
    let other = spawn_app().await;
    other
        .create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    let app = spawn_app().await;
    app.create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    let before = rows(&other).await;
    let wrong = other
        .sign_in_with(&other.browser(), "wanglaoshi", "Wrong2026x")
        .await;
    let known_writes = delta(&before, &rows(&other).await);
    let before = rows(&app).await;
    let unknown = app
        .sign_in_with(&app.browser(), "nobody", "Wrong2026x")
        .await;
    // The same writes: neither the answer nor the work behind it tells the two apart
    // (their times: `cargo bench -p tests --bench sign_in`).
    assert!(!known_writes.is_empty());
    assert_eq!(known_writes, delta(&before, &rows(&app).await));
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("request_id");
        v
    };
    let wrong = strip(wrong.json().await.unwrap());
    let unknown = strip(unknown.json().await.unwrap());
    assert_eq!(wrong, unknown);
    assert_eq!(wrong["code"], "bad_credentials");
    // Both failures are in the trail, the unknown one without the name typed.
    let failures: Vec<(Option<String>, Option<String>)> = app::db::query_as(
        "SELECT object_id, reason FROM audit_log WHERE action = 'auth.sign_in' AND outcome = 'failure' ORDER BY seq",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(failures, vec![(None, Some("unknown_username".into()))]);
    let trail: Vec<String> = app::db::query_scalar(
        "SELECT COALESCE(details, '') || COALESCE(reason, '') || COALESCE(object_id, '') FROM audit_log",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(trail.iter().all(|t| !t.contains("nobody")));
}

#[tokio::test]
async fn after_a_few_failures_even_the_right_password_waits() {
    let app = spawn_app().await;
    app.create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    let attacker = app.browser();
    for _ in 0..5 {
        assert_eq!(
            app.sign_in_with(&attacker, "wanglaoshi", "Wrong2026x")
                .await
                .status(),
            401
        );
    }
    let refused = app.sign_in_with(&attacker, "wanglaoshi", PASSWORD).await;
    assert_eq!(refused.status(), 429);
    let error: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(error["retry_after_secs"], 60);

    // Unknown names are throttled alike, so the answer reveals nothing.
    for _ in 0..5 {
        assert_eq!(
            app.sign_in_with(&attacker, "ghost", "Wrong2026x")
                .await
                .status(),
            401
        );
    }
    assert_eq!(
        app.sign_in_with(&attacker, "ghost", "Wrong2026x")
            .await
            .status(),
        429
    );

    // The lock lapses, and the next failure locks for longer.
    app.clock.advance(Duration::seconds(60));
    assert_eq!(
        app.sign_in_with(&attacker, "wanglaoshi", "Wrong2026x")
            .await
            .status(),
        401
    );
    let longer: serde_json::Value = app
        .sign_in_with(&attacker, "wanglaoshi", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(longer["retry_after_secs"], 120);
    app.clock.advance(Duration::seconds(120));
    assert_eq!(
        app.sign_in_with(&attacker, "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn the_owners_browser_and_colleagues_are_not_locked_out() {
    let app = spawn_app().await;
    app.create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    app.create_user("lilaoshi", &[Role::HomeroomTeacher]).await;
    let owner = app.browser();
    assert_eq!(
        app.sign_in_with(&owner, "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.call_as(&owner, "/api/sign-out", &[]).await.status(),
        200
    );

    // Someone at the same school address guesses the owner's password.
    let stranger = app.browser();
    for _ in 0..6 {
        app.sign_in_with(&stranger, "wanglaoshi", "Wrong2026x")
            .await;
    }
    assert_eq!(
        app.sign_in_with(&stranger, "wanglaoshi", PASSWORD)
            .await
            .status(),
        429
    );

    // The owner's browser, known by its device cookie, still gets in…
    assert_eq!(
        app.sign_in_with(&owner, "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );
    // …and so does a colleague behind the same address.
    assert_eq!(
        app.sign_in_with(&app.browser(), "lilaoshi", PASSWORD)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_at_once() {
    let app = spawn_app().await;
    app.create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    let phone = app.browser();
    let laptop = app.browser();
    assert_eq!(
        app.sign_in_with(&phone, "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.sign_in_with(&laptop, "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );

    let changed = app
        .call_as(
            &laptop,
            "/api/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "Dongzhi2026"),
                ("confirm_password", "Dongzhi2026"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 200, "{:?}", changed.text().await);
    assert_eq!(
        laptop
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "this session carries on"
    );
    assert_eq!(
        phone
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "the other one has ended"
    );
    assert_eq!(app.call_as(&phone, "/api/account", &[]).await.status(), 401);

    // The old password no longer works; the new one does.
    assert_eq!(
        app.sign_in_with(&app.browser(), "wanglaoshi", PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.sign_in_with(&app.browser(), "wanglaoshi", "Dongzhi2026")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions() {
    let app = spawn_app().await;
    let id = app
        .create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    let browser = app.browser();
    assert_eq!(
        app.sign_in_with(&browser, "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );
    app::db::query(
        "UPDATE users SET disabled = TRUE, session_epoch = session_epoch + 1 WHERE id = $1",
    )
    .bind(id)
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        browser
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    assert_eq!(
        app.sign_in_with(&app.browser(), "wanglaoshi", PASSWORD)
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn idle_and_absolute_limits_follow_the_clock_and_the_role() {
    let app = spawn_app().await;
    app.create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    app.create_user("admin", &[Role::SystemAdmin]).await;
    let teacher = app.browser();
    let admin = app.browser();
    assert_eq!(
        app.sign_in_with(&teacher, "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.sign_in_with(&admin, "admin", PASSWORD).await.status(),
        200
    );

    app.clock.advance(Duration::minutes(14));
    assert_eq!(
        admin
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    app.clock.advance(Duration::minutes(15));
    assert_eq!(
        admin
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303,
        "privileged: 15 minutes idle"
    );
    assert_eq!(
        teacher
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "teachers: 30 minutes"
    );
    app.clock.advance(Duration::minutes(30));
    assert_eq!(
        teacher
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );

    // Active all day, a teacher is still signed out after 10 hours.
    let teacher = app.browser();
    assert_eq!(
        app.sign_in_with(&teacher, "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );
    for _ in 0..(10 * 3 - 1) {
        app.clock.advance(Duration::minutes(20));
        assert_eq!(
            teacher
                .get(app.url("/account"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
    app.clock.advance(Duration::minutes(20));
    assert_eq!(
        teacher
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
}

#[tokio::test]
async fn a_forced_password_change_comes_before_any_page() {
    let app = spawn_app().await;
    let id = app
        .create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    app::db::query("UPDATE users SET must_change_password = TRUE WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    let browser = app.browser();
    let signed_in = app.sign_in_with(&browser, "wanglaoshi", PASSWORD).await;
    assert_eq!(signed_in.status(), 200);
    let page = browser.get(app.url("/account")).send().await.unwrap();
    assert_eq!(page.status(), 303);
    assert_eq!(header(&page, "location"), "/account/password");
    assert_eq!(
        browser
            .get(app.url("/account/password"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // A client of the server functions meets the same wall: nothing but the change.
    let api = app.call_as(&browser, "/api/requests", &[]).await;
    assert_eq!(api.status(), 403);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["code"], "password_must_change", "{body}");
    assert_eq!(
        app.call_as(&browser, "/api/password-policy", &[])
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn behind_tls_the_cookies_are_secure() {
    let app = spawn_app_at("https://xueji.example.edu.cn").await;
    app.create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    let response = app
        .sign_in_with(&app.browser(), "wanglaoshi", PASSWORD)
        .await;
    assert_eq!(response.status(), 200);
    let cookies: Vec<&str> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(cookies.len() >= 2, "{cookies:?}");
    for cookie in cookies {
        assert!(cookie.contains("; Secure"), "{cookie}");
    }
}

#[tokio::test]
async fn a_hash_of_older_parameters_is_renewed_at_sign_in() {
    use app::{domain::Password, kit::passwords::Hasher};
    let app = spawn_app_hashing_as_deployed().await;
    let id = app
        .create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    let weak = Hasher::with_params(
        1,
        std::time::Duration::from_secs(5),
        argon2::Params::new(8192, 1, 1, None).unwrap(),
    );
    let old = weak
        .hash(&Password::parse(PASSWORD, &Default::default(), &Default::default()).unwrap())
        .await
        .unwrap();
    app::db::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&old)
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();

    assert_eq!(
        app.sign_in_with(&app.browser(), "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );
    let stored: String = app::db::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(
        stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{stored}"
    );
    assert_ne!(stored, old);
    assert_eq!(
        app.sign_in_with(&app.browser(), "wanglaoshi", PASSWORD)
            .await
            .status(),
        200,
        "the same password still works"
    );
}

async fn throttle_rows(app: &crate::helpers::TestApp) -> Vec<(String, String, i64)> {
    app::db::query_as(
        "SELECT username, source, failures FROM sign_in_throttle ORDER BY username, source",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn parallel_failures_each_count() {
    let app = spawn_app().await;
    app.create_user("wang", &[Role::HomeroomTeacher]).await;
    let attempts = (0..20).map(|_| {
        let browser = app.browser();
        let app = &app;
        async move {
            app.sign_in_with(&browser, "wang", "Wrong2026x")
                .await
                .status()
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    assert!(
        statuses
            .iter()
            .all(|s| s.as_u16() == 401 || s.as_u16() == 429),
        "{statuses:?}"
    );
    let rows = throttle_rows(&app).await;
    let counted = rows
        .iter()
        .find(|(u, s, _)| u == "wang" && s == "*")
        .map(|r| r.2)
        .unwrap();
    let answered_401 = statuses.iter().filter(|s| s.as_u16() == 401).count() as i64;
    assert_eq!(
        counted, answered_401,
        "every failure that was tried is counted: {rows:?}"
    );
    assert!(answered_401 >= 5, "{statuses:?}");
}

#[tokio::test]
async fn oversized_sign_in_input_is_refused_before_any_write() {
    let app = spawn_app().await;
    let long = "a".repeat(900 * 1024);
    for (username, password) in [
        (long.as_str(), "x"),
        ("x".repeat(65).as_str(), "x"),
        ("wang", long.as_str()),
    ] {
        let response = app.sign_in_with(&app.browser(), username, password).await;
        assert_eq!(response.status(), 400);
    }
    assert!(throttle_rows(&app).await.is_empty(), "nothing was written");
}

/// Thirty wrong passwords over many accounts from new browsers at one address (a school's
/// NAT): the address's new browsers are slowed, seconds at first, never shut out for the
/// hour; the teacher's own browser is never held up; the page says what to do.
#[tokio::test]
async fn one_address_spraying_many_accounts_is_slowed_not_shut_out() {
    let app = spawn_app().await;
    // A teacher who signed in on this browser before (it carries the device cookie).
    let known = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    for n in 0..12 {
        app.create_user(&format!("t{n:03}"), &[Role::HomeroomTeacher])
            .await;
    }
    let mut tried = 0;
    'spray: for password in ["Wrong2026a", "Wrong2026b", "Wrong2026c"] {
        for n in 0..12 {
            let status = app
                .sign_in_with(&app.browser(), &format!("t{n:03}"), password)
                .await
                .status();
            assert_eq!(status, 401, "try {tried}");
            tried += 1;
            if tried == 30 {
                break 'spray;
            }
        }
    }
    // The next new browser waits seconds, not the rest of the hour, and reads why and what
    // to do.
    let slowed = app.sign_in_with(&app.browser(), "t000", PASSWORD).await;
    assert_eq!(slowed.status(), 429);
    let body: serde_json::Value = slowed.json().await.unwrap();
    assert_eq!(body["retry_after_secs"], 2, "{body}");
    assert_eq!(body["code"], "sign_in_throttled");
    let (_, page) = app.page(&app.browser(), "/sign-in").await;
    assert!(
        !page.contains("登录失败次数过多"),
        "nothing said before a refusal"
    );
    // The teacher's own browser still gets in, at once.
    assert_eq!(
        app.sign_in_with(&known, "wang", PASSWORD).await.status(),
        200
    );
    // Seconds later a colleague on a new browser gets in with the right password.
    app.clock.advance(Duration::seconds(2));
    assert_eq!(
        app.sign_in_with(&app.browser(), "t001", PASSWORD)
            .await
            .status(),
        200
    );
    // A spray that goes on (waiting each time as told) waits longer each time, up to minutes.
    for n in 0..20 {
        loop {
            let response = app
                .sign_in_with(&app.browser(), &format!("t{:03}", n % 12), "Wrong2026z")
                .await;
            if response.status() != 429 {
                assert_eq!(response.status(), 401);
                break;
            }
            let body: serde_json::Value = response.json().await.unwrap();
            app.clock.advance(Duration::seconds(
                body["retry_after_secs"].as_i64().unwrap(),
            ));
        }
    }
    let body: serde_json::Value = app
        .sign_in_with(&app.browser(), "t000", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let wait = body["retry_after_secs"].as_i64().unwrap();
    assert!((16..=300).contains(&wait), "{wait}");
}

/// One browser's guesses at an account lock that browser, not the owner's next one at the
/// same school address.
#[tokio::test]
async fn a_pupils_guesses_do_not_lock_out_the_teacher_behind_the_same_address() {
    let app = spawn_app().await;
    app.create_user("wanglaoshi", &[Role::HomeroomTeacher])
        .await;
    let pupil = app.browser();
    for _ in 0..8 {
        app.sign_in_with(&pupil, "wanglaoshi", "Wrong2026x").await;
    }
    assert_eq!(
        app.sign_in_with(&pupil, "wanglaoshi", PASSWORD)
            .await
            .status(),
        429,
        "the guessing browser waits"
    );
    // The teacher, on a computer they never used before, in the same building.
    assert_eq!(
        app.sign_in_with(&app.browser(), "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );
}

/// A browser id is the client's to drop or make up: guesses at one account from one address
/// under ever new ids are still counted, per address, and stopped after twenty; the owner's
/// browser that signed in before is not held up.
#[tokio::test]
async fn made_up_browser_ids_do_not_buy_more_guesses_at_one_account() {
    let app = spawn_app().await;
    let owner = app.signed_in("wanglaoshi", &[Role::HomeroomTeacher]).await;
    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let guess = |id: String| {
        let bare = &bare;
        let app = &app;
        async move {
            bare.post(app.url("/api/sign-in"))
                .header(reqwest::header::ORIGIN, &app.origin)
                .header(reqwest::header::ACCEPT, "application/json")
                .header(reqwest::header::COOKIE, format!("xueji_device={id}"))
                .form(&[("username", "wanglaoshi"), ("password", "Wrong2026x")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    for n in 0..20 {
        assert_eq!(guess(format!("{n:032x}")).await, 401, "guess {n}");
    }
    assert_eq!(
        guess(format!("{:032x}", 99)).await,
        429,
        "a new id is no new allowance"
    );
    // A client keeping no cookie at all counts as its address: five, then it waits.
    let app2 = spawn_app().await;
    app2.create_user("lilaoshi", &[Role::HomeroomTeacher]).await;
    for n in 0..5 {
        let status = bare
            .post(app2.url("/api/sign-in"))
            .header(reqwest::header::ORIGIN, &app2.origin)
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&[("username", "lilaoshi"), ("password", "Wrong2026x")])
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 401, "try {n}");
    }
    assert_eq!(
        app2.sign_in_with(&app2.browser(), "lilaoshi", PASSWORD)
            .await
            .status(),
        429
    );
    // The owner's own browser is not held up.
    assert_eq!(
        app.sign_in_with(&owner, "wanglaoshi", PASSWORD)
            .await
            .status(),
        200
    );
}

/// The school's trusted network is counted apart: a staff's typos there are free far
/// longer than at an unknown address.
#[tokio::test]
async fn a_trusted_networks_address_is_counted_apart() {
    let app = crate::helpers::spawn_app_configured(
        |_| {},
        |settings| {
            settings.networks.trusted = app::kit::network::parse_list("127.0.0.0/8").unwrap()
        },
    )
    .await;
    app.create_user("t000", &[Role::HomeroomTeacher]).await;
    for n in 0..40 {
        let status = app
            .sign_in_with(&app.browser(), &format!("someone{n}"), "Wrong2026a")
            .await
            .status();
        assert_eq!(status, 401, "try {n}");
    }
    assert_eq!(
        app.sign_in_with(&app.browser(), "t000", PASSWORD)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn old_throttle_counters_are_deleted() {
    let app = spawn_app().await;
    for name in ["gone1", "gone2"] {
        assert_eq!(
            app.sign_in_with(&app.browser(), name, "Wrong2026x")
                .await
                .status(),
            401
        );
    }
    assert!(!throttle_rows(&app).await.is_empty());
    app.clock.advance(chrono::Duration::hours(25));
    assert_eq!(
        app.sign_in_with(&app.browser(), "fresh", "Wrong2026x")
            .await
            .status(),
        401
    );
    let rows = throttle_rows(&app).await;
    assert!(
        rows.iter().all(|(u, _, _)| !u.starts_with("gone")),
        "{rows:?}"
    );
}

#[tokio::test]
async fn the_current_password_check_is_throttled_and_audited() {
    let app = spawn_app().await;
    let browser = app.signed_in("wang", &[Role::HomeroomTeacher]).await;
    let change = async |current: &str| {
        app.call_as(
            &browser,
            "/api/account/password",
            &[
                ("current_password", current),
                ("new_password", "Dongzhi2026"),
                ("confirm_password", "Dongzhi2026"),
            ],
        )
        .await
        .status()
        .as_u16()
    };
    let mut statuses = Vec::new();
    for n in 0..6 {
        statuses.push(change(&format!("Wrong2026{n}")).await);
    }
    assert_eq!(
        statuses,
        [400, 400, 400, 400, 400, 429],
        "five tries, then a wait"
    );
    assert_eq!(change(PASSWORD).await, 429, "even the right one waits");
    let failures: i64 = app::db::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'account.password_changed' AND outcome = 'failure'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(failures, 5, "each wrong current password is in the trail");
    // After the wait, the right password changes it.
    app.clock.advance(Duration::minutes(2));
    assert_eq!(change(PASSWORD).await, 200);
}
