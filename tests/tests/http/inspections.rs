//! Semi-annual inspections: the checklist the portal computes, checked against a seeded
//! school; recording one (and what it refuses); re-confirmation of privileged roles; when
//! the next is due and the warning while it is overdue.

use app::clock::Clock;

use crate::requests::school;

#[tokio::test]
async fn the_computed_checklist_matches_the_school_and_the_record_keeps_it() {
    let s = school().await;
    let now = s.app.clock.now();
    // One release live, one request lapsed, one leak report open, one record unverified for
    // 40 days, one account without a sign-in for 100 days.
    let released = s.released(&["phone"]).await;
    let lapsing = s.file(&s.requester, &["phone"]).await;
    app::db::query("UPDATE info_requests SET lapses_at = $1 WHERE public_id = $2")
        .bind(now - chrono::Duration::hours(1))
        .bind(&lapsing)
        .execute(&s.app.pool)
        .await
        .unwrap();
    // Opening it ends it by the clock.
    s.app
        .call_as(
            &s.requester,
            "/api/requests/request",
            &[("request_id", lapsing.as_str())],
        )
        .await;
    assert_eq!(s.state(&lapsing).await, "lapsed");
    let filed = s
        .app
        .call_as(
            &s.teacher,
            "/api/leaks/file",
            &[
                ("leak[what]", "花名册照片外泄"),
                ("leak[happened]", "昨天"),
                ("leak[noticed]", "家长告知"),
            ],
        )
        .await;
    assert_eq!(filed.status(), 200);
    app::db::query("UPDATE students SET created_at = $1 WHERE public_id = $2")
        .bind(now - chrono::Duration::days(40))
        .bind(&s.student)
        .execute(&s.app.pool)
        .await
        .unwrap();
    let idle = s
        .app
        .create_user("idle", &[app::domain::Role::HomeroomTeacher])
        .await;
    app::db::query("UPDATE users SET created_at = $1, last_sign_in_at = NULL WHERE id = $2")
        .bind(now - chrono::Duration::days(100))
        .bind(idle)
        .execute(&s.app.pool)
        .await
        .unwrap();

    // Teachers see none of it.
    assert_eq!(
        s.app
            .call_as(&s.teacher, "/api/inspections", &[])
            .await
            .status(),
        403
    );
    let home = s.app.json(&s.records, "/api/inspections", &[]).await;
    let c = &home["now"];
    assert_eq!(c["releases_in_period"], 1, "{c}");
    assert_eq!(c["live_releases"], 1);
    assert_eq!(c["lapsed_in_period"], 1);
    assert_eq!(c["unverified_over_30_days"], 1);
    assert_eq!(c["open_leak_reports"], 1);
    assert_eq!(
        c["dormant_accounts"],
        serde_json::json!(["idle 老师 (idle)"])
    );
    assert_eq!(c["audit_intact"], true);
    let head = c["audit_head_mac"].as_str().unwrap().to_owned();
    assert_eq!(head.len(), 64);
    let holders: Vec<(i64, String)> = c["privileged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["user_id"].as_i64().unwrap(),
                h["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // zhang, zhao and sun as leaders; chen, liu and sun as records administrators.
    assert_eq!(holders.len(), 6, "{holders:?}");
    assert_eq!(home["due"]["overdue"], false);
    let _ = released;

    // A record without a finding is refused, and nothing is kept.
    let refused = s
        .app
        .call_as(
            &s.records,
            "/api/inspections/record",
            &[
                ("inspection[period_from]", "2026-03-01"),
                ("inspection[period_to]", &now.date_naive().to_string()),
                ("inspection[participants]", "陈老师、张校长"),
                ("inspection[items][0][item]", "账号清理"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 400);
    let kept: i64 = app::db::query_scalar("SELECT COUNT(*) FROM inspections")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    assert_eq!(kept, 0);

    // Recorded, every role re-confirmed but zhao's and the recorder's own (chen's, which is
    // for someone else to re-confirm).
    let zhao = s.app.user_id("zhao").await;
    let chen = s.app.user_id("chen").await;
    let mut form = vec![
        (
            "inspection[period_from]".to_owned(),
            "2026-03-01".to_owned(),
        ),
        (
            "inspection[period_to]".to_owned(),
            now.date_naive().to_string(),
        ),
        (
            "inspection[participants]".to_owned(),
            "陈老师、张校长".to_owned(),
        ),
        (
            "inspection[items][0][item]".to_owned(),
            "长期未登录账号".to_owned(),
        ),
        (
            "inspection[items][0][finding]".to_owned(),
            "1 个账号 100 天未登录".to_owned(),
        ),
        (
            "inspection[items][0][remedy]".to_owned(),
            "请系统管理员停用".to_owned(),
        ),
    ];
    for (user, role) in &holders {
        if *user != zhao && *user != chen {
            form.push((
                "inspection[confirmed][]".to_owned(),
                format!("{user}:{role}"),
            ));
        }
    }
    // Re-confirming one's own role, or a holding that does not exist, is refused.
    let own_role = holders
        .iter()
        .find(|(user, _)| *user == chen)
        .map(|(user, role)| format!("{user}:{role}"))
        .expect("chen holds a privileged role");
    for (extra, code) in [
        (own_role, "inspection.confirm_self"),
        ("99999:leader".to_owned(), "inspection.confirm_unknown"),
    ] {
        let mut with = form.clone();
        with.push(("inspection[confirmed][]".to_owned(), extra));
        let with: Vec<(&str, &str)> = with.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let refused = s
            .app
            .call_as(&s.records, "/api/inspections/record", &with)
            .await;
        assert_eq!(refused.status(), 400);
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(body["fields"][0]["code"], code, "{body}");
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let recorded = s
        .app
        .call_as(&s.records, "/api/inspections/record", &form)
        .await;
    assert_eq!(recorded.status(), 200, "{}", recorded.text().await.unwrap());
    let id: String = app::db::query_scalar("SELECT public_id FROM inspections")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    let view = s
        .app
        .json(&s.leader, "/api/inspections/one", &[("inspection_id", &id)])
        .await;
    assert_eq!(view["computed"]["live_releases"], 1);
    assert_eq!(view["items"][0]["finding"], "1 个账号 100 天未登录");
    let unconfirmed: Vec<&str> = view["unconfirmed"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["username"].as_str())
        .collect();
    assert!(
        unconfirmed.contains(&"zhao") && unconfirmed.contains(&"chen"),
        "{view}"
    );
    // The head MAC it copied is the chain's as verified when it was saved (the record's own
    // audit entry comes after it).
    let mac: String = app::db::query_scalar("SELECT audit_head_mac FROM inspections")
        .fetch_one(&s.app.pool)
        .await
        .unwrap();
    assert_eq!(mac.len(), 64);
    let admin = s
        .app
        .signed_in("root", &[app::domain::Role::SystemAdmin])
        .await;
    let home = s.app.json(&admin, "/api/inspections", &[]).await;
    assert!(
        home["unconfirmed"].to_string().contains("\"zhao\""),
        "listed for the system administrator: {home}"
    );
    assert_eq!(
        home["now"],
        serde_json::Value::Null,
        "the system administrator does not record"
    );
    assert!(
        s.app
            .audit_actions()
            .await
            .iter()
            .any(|(a, _)| a == "inspection.recorded")
    );
}

#[tokio::test]
async fn an_overdue_inspection_is_shown_to_leaders_and_records_administrators_until_one_is_recorded()
 {
    let s = school().await;
    let now = s.app.clock.now();
    let (_, page) = s.app.page(&s.leader, "/records").await;
    assert!(!page.contains("data-testid=\"inspection-overdue\""));
    app::db::query("UPDATE installation SET installed_at = $1")
        .bind(now - chrono::Duration::days(200))
        .execute(&s.app.pool)
        .await
        .unwrap();
    for (client, sees) in [(&s.leader, true), (&s.records, true), (&s.teacher, false)] {
        let (_, page) = s.app.page(client, "/records").await;
        assert_eq!(page.contains("data-testid=\"inspection-overdue\""), sees);
    }
    let due = s.app.json(&s.records, "/api/inspections/due", &[]).await;
    assert_eq!(due["overdue"], true);
    record_one(&s).await;
    let (_, page) = s.app.page(&s.leader, "/records").await;
    assert!(!page.contains("data-testid=\"inspection-overdue\""));
}

/// Records an inspection as `s.records`; returns what it computed and its page as a leader
/// reads it.
async fn record_one(s: &crate::requests::School) -> (serde_json::Value, String) {
    let now = s.app.clock.now().date_naive().to_string();
    let recorded = s
        .app
        .call_as(
            &s.records,
            "/api/inspections/record",
            &[
                ("inspection[period_from]", "2026-03-01"),
                ("inspection[period_to]", now.as_str()),
                ("inspection[participants]", "陈老师"),
                ("inspection[items][0][item]", "审计链"),
                ("inspection[items][0][finding]", "见系统核验"),
            ],
        )
        .await;
    assert_eq!(recorded.status(), 200, "{}", recorded.text().await.unwrap());
    let id: String =
        app::db::query_scalar("SELECT public_id FROM inspections ORDER BY id DESC LIMIT 1")
            .fetch_one(&s.app.pool)
            .await
            .unwrap();
    let view = s
        .app
        .json(&s.leader, "/api/inspections/one", &[("inspection_id", &id)])
        .await;
    let (_, page) = s.app.page(&s.leader, &format!("/inspections/{id}")).await;
    (view["computed"].clone(), page)
}

/// What an inspection records of the trail is the witness's verdict, reached before its write
/// transaction: a trail whose newest entries were cut is recorded as not intact, and the cut
/// is said, never as intact.
#[tokio::test]
async fn an_inspection_records_a_cut_trail_as_cut() {
    use crate::audit::{cut_after, head, witnessed};
    let s = school().await;
    let (computed, _) = record_one(&s).await;
    assert_eq!(computed["audit_intact"], true, "{computed}");
    let newest = head(&s.app).await;
    witnessed(&s.app, newest).await;
    cut_after(&s.app, newest - 3).await;
    let (computed, page) = record_one(&s).await;
    assert_eq!(computed["audit_intact"], false, "{computed}");
    assert!(computed["audit_cut"].is_array(), "{computed}");
    assert!(
        page.contains("见证文件记录过第"),
        "the record says the trail was cut"
    );
}

/// A witness file deleted or cut back while the server runs is reported, by the audit page
/// and an inspection alike, and not quietly begun anew.
#[tokio::test]
async fn a_lost_witness_is_reported_not_read_as_intact() {
    let s = school().await;
    let (computed, _) = record_one(&s).await;
    assert_eq!(computed["audit_intact"], true, "{computed}");
    let newest = crate::audit::head(&s.app).await;
    crate::audit::witnessed(&s.app, newest).await;
    let path = app::kit::audit::witness::path_beside(&s.app.settings.key_file);
    // Emptied (cut back to nothing).
    std::fs::write(&path, "").unwrap();
    let (computed, page) = record_one(&s).await;
    assert_eq!(computed["audit_intact"], false, "{computed}");
    assert_eq!(computed["audit_witness_lost"], true, "{computed}");
    assert!(page.contains("见证文件被删除或截短"));
    // Deleted.
    std::fs::remove_file(&path).unwrap();
    let admin = s
        .app
        .signed_in("root", &[app::domain::Role::SystemAdmin])
        .await;
    let audit = s.app.json(&admin, "/api/audit", &[]).await;
    assert_eq!(audit["chain"]["witness_lost"], true, "{audit}");
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    assert!(
        !path.exists(),
        "the server does not quietly start a new witness"
    );
}
