//! Leak reports: every transition and refusal, through the server as a browser and a JSON
//! client meet them: filing (and what a report may not hold), the banner, acknowledgement
//! by someone other than the reporter, containment (accounts frozen and signed out, live
//! releases revoked) in one step, remedies, closing with a conclusion, the timeline.

use reqwest::Client;
use serde_json::Value;

use crate::{
    helpers::{PASSWORD, TestApp},
    requests::{School, school},
};

async fn file(
    app: &TestApp,
    client: &Client,
    what: &str,
    students: &str,
    accounts: &str,
) -> reqwest::Response {
    app.call_as(
        client,
        "/api/leaks/file",
        &[
            ("leak[what]", what),
            ("leak[happened]", "今天上午第二节课后"),
            ("leak[noticed]", "家长在班级群里看到后打电话告诉我"),
            ("leak[students]", students),
            ("leak[classes]", "三年级1班"),
            ("leak[accounts]", accounts),
            ("leak[remedies]", "已请家长删除群里的照片"),
        ],
    )
    .await
}

async fn reports(app: &TestApp) -> i64 {
    app::db::query_scalar("SELECT COUNT(*) FROM leak_reports")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn last_report(app: &TestApp) -> String {
    app::db::query_scalar("SELECT public_id FROM leak_reports ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn state(app: &TestApp, id: &str) -> String {
    app::db::query_scalar("SELECT state FROM leak_reports WHERE public_id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn step(app: &TestApp, client: &Client, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let response = app.call_as(client, path, form).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

fn field_codes(body: &Value) -> Vec<(String, String)> {
    body["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["field"].as_str().unwrap_or_default().to_owned(),
                        f["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn ack(s: &School, id: &str, c: &Client) -> (u16, Value) {
    step(&s.app, c, "/api/leaks/acknowledge", &[("leak_id", id)]).await
}

async fn contain(s: &School, id: &str, c: &Client, freeze: &str, revoke: &str) -> (u16, Value) {
    let mut form = vec![("leak_id", id), ("revoke", revoke)];
    if !freeze.is_empty() {
        form.push(("freeze[]", freeze));
    }
    step(&s.app, c, "/api/leaks/contain", &form).await
}

async fn close(s: &School, id: &str, c: &Client, conclusion: &str) -> (u16, Value) {
    step(
        &s.app,
        c,
        "/api/leaks/close",
        &[("leak_id", id), ("conclusion", conclusion)],
    )
    .await
}

/// `wang` (the student's teacher) reports the student and `li`'s account.
async fn reported(s: &School) -> String {
    let response = file(
        &s.app,
        &s.teacher,
        "班级花名册照片被转发到家长群",
        &s.student,
        "li",
    )
    .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    last_report(&s.app).await
}

#[tokio::test]
async fn a_report_holds_no_leaked_value_and_says_nothing_of_what_exists() {
    let s = school().await;
    // The leaked value itself is refused, beside its field, and nothing is filed.
    let (status, body) = step(
        &s.app,
        &s.teacher,
        "/api/leaks/file",
        &[
            ("leak[what]", "家长手机号 13800138000 被发到群里"),
            ("leak[happened]", "今天"),
            ("leak[noticed]", "家长来电"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        field_codes(&body),
        [("what".into(), "leak.carries_value".into())]
    );
    // Nothing typed: every problem at once.
    let (status, body) = step(&s.app, &s.teacher, "/api/leaks/file", &[("leak[what]", "")]).await;
    assert_eq!(status, 400);
    assert_eq!(
        field_codes(&body),
        [
            ("what".into(), "leak.required".into()),
            ("happened".into(), "leak.required".into()),
            ("noticed".into(), "leak.required".into()),
        ]
    );
    // A record id or an account that does not exist is filed like one that does: the answer
    // tells nobody who is a pupil or has an account. Those who handle the report see what
    // matched nothing; the reporter sees what they named, as they named it.
    let answer = |r: reqwest::Response| async move {
        let status = r.status().as_u16();
        let body = r.text().await.unwrap();
        (status, body.len())
    };
    // An id or a name of the wrong shape is refused for its shape alone.
    for (students, accounts) in [("no-such-record", ""), ("", "王老师")] {
        let response = file(&s.app, &s.teacher, "花名册外泄", students, accounts).await;
        assert_eq!(response.status(), 400, "{students} {accounts}");
    }
    let nobody = "0123456789abcdef0123456789abcdef";
    let unknown = answer(file(&s.app, &s.teacher, "花名册外泄", nobody, "nobody-here").await).await;
    let known = answer(file(&s.app, &s.teacher, "花名册外泄", &s.student, "li").await).await;
    assert_eq!(unknown.0, 200);
    assert_eq!(unknown, known, "the same answer, exists or not");
    assert_eq!(reports(&s.app).await, 2);
    let ids: Vec<String> = app::db::query_scalar("SELECT public_id FROM leak_reports ORDER BY id")
        .fetch_all(&s.app.pool)
        .await
        .unwrap();
    let seen_by_reporter = |id: &str| {
        let (s, id) = (&s, id.to_owned());
        async move {
            s.app
                .json(&s.teacher, "/api/leaks/one", &[("leak_id", &id)])
                .await
        }
    };
    let unknown_view = seen_by_reporter(&ids[0]).await;
    let known_view = seen_by_reporter(&ids[1]).await;
    assert_eq!(unknown_view["students"][0], nobody, "{unknown_view}");
    assert_eq!(unknown_view["accounts"][0]["username"], "nobody-here");
    assert_eq!(known_view["accounts"][0]["username"], "li");
    assert_eq!(
        known_view["accounts"][0]["name"], "",
        "no account's name for the reporter"
    );
    assert_eq!(unknown_view["unresolved_students"], serde_json::json!([]));
    let handled = s
        .app
        .json(&s.leader, "/api/leaks/one", &[("leak_id", &ids[0])])
        .await;
    assert_eq!(handled["students"], serde_json::json!([]), "{handled}");
    assert_eq!(handled["unresolved_students"][0], nobody);
    assert_eq!(handled["unresolved_accounts"][0], "nobody-here");
    // A class that is not one of this year's is refused (classes are no secret).
    let response = s
        .app
        .call_as(
            &s.teacher,
            "/api/leaks/file",
            &[
                ("leak[what]", "花名册外泄"),
                ("leak[happened]", "今天"),
                ("leak[noticed]", "家长来电"),
                ("leak[classes]", "九年级9班"),
            ],
        )
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(reports(&s.app).await, 2, "a refused report files nothing");
    // Anonymous: refused.
    let anonymous = s.app.browser();
    let response = file(&s.app, &anonymous, "花名册外泄", "", "").await;
    assert_eq!(response.status(), 401);
    assert_eq!(reports(&s.app).await, 2);
    // A username of a value's shape that names nobody is filed like any, and not kept.
    let response = file(&s.app, &s.teacher, "花名册外泄", "", "13800138000").await;
    assert_eq!(response.status(), 200);
    let unresolved: String =
        app::db::query_scalar("SELECT unresolved FROM leak_reports ORDER BY id DESC LIMIT 1")
            .fetch_one(&s.app.pool)
            .await
            .unwrap();
    assert!(!unresolved.contains("13800138000"), "{unresolved}");
}

#[tokio::test]
async fn a_leak_is_acknowledged_contained_remedied_and_closed_with_its_timeline() {
    let s = school().await;
    // A live release of the student: `li` filed, `zhang` approved, `chen` released.
    let release = s.released(&["phone"]).await;
    let id = reported(&s).await;
    assert_eq!(state(&s.app, &id).await, "filed");

    // Those who handle reports see the banner on every page; the teacher does not.
    for (client, sees) in [
        (&s.leader, true),
        (&s.records, true),
        (&s.teacher, false),
        (&s.requester, false),
    ] {
        let (_, html) = s.app.page(client, "/records").await;
        assert_eq!(html.contains("data-testid=\"leak-banner\""), sees);
    }
    let count = s
        .app
        .json(&s.records, "/api/leaks/unacknowledged", &[])
        .await;
    assert_eq!(count, 1);

    // Seven minutes later: the reporter may not acknowledge their own report; a records
    // administrator does, once.
    s.app.clock.advance(chrono::Duration::minutes(7));
    assert_eq!(ack(&s, &id, &s.teacher).await.0, 403);
    assert_eq!(ack(&s, &id, &s.records).await.0, 200);
    assert_eq!(ack(&s, &id, &s.other_records).await.0, 409);
    assert_eq!(state(&s.app, &id).await, "acknowledged");
    let (_, html) = s.app.page(&s.leader, "/records").await;
    assert!(
        !html.contains("data-testid=\"leak-banner\""),
        "the banner goes once acknowledged"
    );

    // Containment is a leader's: a records administrator is refused.
    assert_eq!(contain(&s, &id, &s.records, "li", "named").await.0, 403);
    // An account the report does not name, or nothing at all: refused, nothing changes.
    let (status, body) = contain(&s, &id, &s.leader, "chen", "none").await;
    assert_eq!(
        (status, field_codes(&body)),
        (400, vec![("freeze".into(), "leak.freeze_unnamed".into())])
    );
    let (status, body) = contain(&s, &id, &s.leader, "", "none").await;
    assert_eq!(
        (status, field_codes(&body)),
        (400, vec![("freeze".into(), "leak.contain_nothing".into())])
    );
    assert_eq!(s.state(&release).await, "released");
    // One step: `li` frozen and signed out, the release touching the named student revoked.
    let (status, _) = contain(&s, &id, &s.leader, "li", "named").await;
    assert_eq!(status, 200);
    assert_eq!(s.state(&release).await, "revoked");
    // What its requester reads of the end says nothing of a report.
    let reason: String =
        app::db::query_scalar("SELECT end_reason FROM info_requests WHERE public_id = $1")
            .bind(&release)
            .fetch_one(&s.app.pool)
            .await
            .unwrap();
    assert!(
        !reason.contains(&id) && !reason.contains("泄密"),
        "{reason}"
    );
    let (status, _) = step(&s.app, &s.requester, "/api/leaks", &[]).await;
    assert_eq!(status, 401, "a frozen account's session is over");
    let again = s.app.sign_in_with(&s.app.browser(), "li", PASSWORD).await;
    assert_ne!(again.status(), 200, "a frozen account cannot sign in");
    let actions: Vec<String> = s
        .app
        .audit_actions()
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    for action in [
        "leak_report.filed",
        "leak_report.acknowledged",
        "account.frozen",
        "info_request.revoked",
        "leak_report.contained",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} in the trail");
    }

    // A remedy, then the account unfrozen: it signs in again.
    let (status, _) = step(
        &s.app,
        &s.records,
        "/api/leaks/remedy",
        &[
            ("leak_id", &id),
            ("remedy", "已通知全体班主任不得转发花名册"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        step(
            &s.app,
            &s.leader,
            "/api/leaks/unfreeze",
            &[("leak_id", &id), ("account", "li")]
        )
        .await
        .0,
        200
    );
    let again = s.app.sign_in_with(&s.app.browser(), "li", PASSWORD).await;
    assert_eq!(again.status(), 200);
    assert_eq!(
        step(
            &s.app,
            &s.leader,
            "/api/leaks/unfreeze",
            &[("leak_id", &id), ("account", "li")]
        )
        .await
        .0,
        400
    );

    // Closing needs a conclusion, and someone other than the reporter.
    let (status, body) = close(&s, &id, &s.leader, " ").await;
    assert_eq!(
        (status, field_codes(&body)),
        (400, vec![("conclusion".into(), "leak.required".into())])
    );
    assert_eq!(state(&s.app, &id).await, "acknowledged");
    assert_eq!(
        close(&s, &id, &s.teacher, "照片已删除，未再扩散").await.0,
        403
    );
    assert_eq!(
        close(&s, &id, &s.records, "照片已删除，未再扩散").await.0,
        403
    );
    assert_eq!(
        close(
            &s,
            &id,
            &s.leader,
            "照片已删除，未再扩散；已对相关教师进行保密提醒"
        )
        .await
        .0,
        200
    );
    assert_eq!(state(&s.app, &id).await, "closed");
    assert_eq!(close(&s, &id, &s.other_leader, "再次结案").await.0, 409);

    // The record: the timeline with how long each step took, and nothing of the data.
    let view = s
        .app
        .json(&s.teacher, "/api/leaks/one", &[("leak_id", &id)])
        .await;
    assert_eq!(view["minutes_to_acknowledge"], 7);
    let events: Vec<(&str, i64)> = view["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["event"].as_str().unwrap(),
                h["elapsed_minutes"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            ("filed", 0),
            ("acknowledged", 7),
            ("contained", 7),
            ("remedied", 7),
            ("unfrozen", 7),
            ("closed", 7)
        ]
    );
    assert_eq!(view["students"], serde_json::json!([s.student]));
    assert_eq!(view["can_close"], false);
    // The dashboard counts it.
    let home = s.app.json(&s.leader, "/api/leaks", &[]).await;
    assert_eq!(home["figures"]["median_minutes"], 7);
    assert_eq!(home["figures"]["open"], 0);
    assert_eq!(home["figures"]["unacknowledged"], 0);
}

#[tokio::test]
async fn a_report_is_seen_by_its_reporter_and_those_who_handle_it_and_never_self_acknowledged() {
    let s = school().await;
    let id = reported(&s).await;
    // Another teacher does not see it (nor learn it exists: the same as an unknown id).
    let (status, _) = step(&s.app, &s.requester, "/api/leaks/one", &[("leak_id", &id)]).await;
    assert_eq!(status, 403);
    let (status, _) = step(
        &s.app,
        &s.requester,
        "/api/leaks/one",
        &[("leak_id", "no-such")],
    )
    .await;
    assert_eq!(status, 403);
    let home = s.app.json(&s.requester, "/api/leaks", &[]).await;
    assert_eq!(home["all"], Value::Null);
    assert_eq!(home["figures"], Value::Null);
    for client in [&s.teacher, &s.leader, &s.records] {
        assert_eq!(
            step(&s.app, client, "/api/leaks/one", &[("leak_id", &id)])
                .await
                .0,
            200
        );
    }

    // A leader's own report: they may not acknowledge it, nor contain it until someone else
    // has; their own account is never theirs to freeze.
    let response = file(
        &s.app,
        &s.leader,
        "我的账号可能在办公室电脑上未退出",
        "",
        "zhang",
    )
    .await;
    assert_eq!(response.status(), 200);
    let own = last_report(&s.app).await;
    assert_eq!(
        step(
            &s.app,
            &s.leader,
            "/api/leaks/acknowledge",
            &[("leak_id", &own)]
        )
        .await
        .0,
        403
    );
    let (status, body) = step(
        &s.app,
        &s.leader,
        "/api/leaks/contain",
        &[("leak_id", &own), ("revoke", "all")],
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("leak.acknowledge_first"))
    );
    // Another leader contains it at once (acknowledging it in the same step).
    let (status, body) = step(
        &s.app,
        &s.other_leader,
        "/api/leaks/contain",
        &[("leak_id", &own), ("freeze[]", "zhao"), ("revoke", "none")],
    )
    .await;
    assert_eq!(
        (status, field_codes(&body)),
        (400, vec![("freeze".into(), "leak.freeze_unnamed".into())])
    );
    assert_eq!(
        state(&s.app, &own).await,
        "filed",
        "a refused step changes nothing"
    );
    let (status, _) = step(
        &s.app,
        &s.other_leader,
        "/api/leaks/contain",
        &[("leak_id", &own), ("freeze[]", "zhang"), ("revoke", "none")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(state(&s.app, &own).await, "acknowledged");
    // A leader is a privileged holder: the freeze waits for a second person.
    let (status, _) = step(&s.app, &s.leader, "/api/leaks", &[]).await;
    assert_eq!(status, 200, "proposed, not yet frozen");
    // The holder neither lifts nor withdraws a freeze of their own.
    let (status, body) = step(
        &s.app,
        &s.leader,
        "/api/leaks/unfreeze",
        &[("leak_id", &own), ("account", "zhang")],
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("leak.unfreeze_self"))
    );
    let (status, _) = step(
        &s.app,
        &s.both,
        "/api/leaks/confirm-freeze",
        &[("leak_id", &own), ("account", "zhang")],
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = step(&s.app, &s.leader, "/api/leaks", &[]).await;
    assert_eq!(status, 401, "the frozen leader is signed out");
}

/// `username` tries to sign in on a fresh browser: whether it gets in.
async fn signs_in(app: &TestApp, username: &str) -> bool {
    app.sign_in_with(&app.browser(), username, PASSWORD)
        .await
        .status()
        == 200
}

/// A freeze is a state of its own: the frozen person's own live releases end with it; the
/// system administrator's Enable does not lift it; unfreezing for one report leaves another
/// report's freeze; a privileged holder's freeze takes a second person; a report does not
/// close while it keeps someone frozen.
#[tokio::test]
async fn a_freeze_is_a_state_of_its_own_and_a_privileged_one_takes_two() {
    let s = school().await;
    let admin = s
        .app
        .signed_in("admin", &[app::domain::Role::SystemAdmin])
        .await;
    // `li` asked for a release that is live.
    let release = s.released(&["phone"]).await;
    let first = reported_naming(&s, "li, chen").await;
    let second = reported_naming(&s, "li").await;

    // Freezing `li` (a teacher) and `chen` (a records administrator), revoking nothing else.
    let (status, body) = contain(&s, &first, &s.leader, "li", "none").await;
    assert_eq!(status, 200, "{body}");
    let form = [
        ("leak_id", first.as_str()),
        ("revoke", "none"),
        ("freeze[]", "chen"),
    ];
    let (status, body) = step(&s.app, &s.leader, "/api/leaks/contain", &form).await;
    assert_eq!(status, 200, "{body}");
    assert!(!signs_in(&s.app, "li").await, "li is frozen at once");
    assert_eq!(
        s.state(&release).await,
        "revoked",
        "and li's own release ended"
    );
    assert!(
        signs_in(&s.app, "chen").await,
        "a privileged holder waits for a second person"
    );
    let page = s
        .app
        .json(&s.leader, "/api/leaks/one", &[("leak_id", &first)])
        .await;
    let chen = page["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == "chen")
        .unwrap()
        .clone();
    assert_eq!(chen["freeze_pending"], true, "{page}");
    assert_eq!(chen["may_confirm"], false, "not for its proposer");
    let confirm = |c: &Client| {
        let (s, c, first) = (&s, c.clone(), first.clone());
        async move {
            step(
                &s.app,
                &c,
                "/api/leaks/confirm-freeze",
                &[("leak_id", &first), ("account", "chen")],
            )
            .await
            .0
        }
    };
    assert_eq!(
        confirm(&s.leader).await,
        409,
        "the proposer is no second person"
    );
    assert_eq!(confirm(&s.teacher).await, 403);
    assert_eq!(confirm(&s.other_leader).await, 200);
    assert!(!signs_in(&s.app, "chen").await, "confirmed: frozen");
    // The reporter's timeline keeps the steps but says nothing of who or how many were
    // frozen; those who handle the report read it.
    let notes = |view: Value, event: &str| -> Vec<Value> {
        view["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["event"] == event)
            .map(|e| e["comment"].clone())
            .collect()
    };
    let reporter = s
        .app
        .json(&s.teacher, "/api/leaks/one", &[("leak_id", &first)])
        .await;
    let handler = s
        .app
        .json(&s.leader, "/api/leaks/one", &[("leak_id", &first)])
        .await;
    for event in ["contained", "freeze_confirmed"] {
        let (hidden, told) = (
            notes(reporter.clone(), event),
            notes(handler.clone(), event),
        );
        assert!(
            !hidden.is_empty() && hidden.iter().all(Value::is_null),
            "{reporter}"
        );
        assert!(told.iter().all(|c| c.is_string()), "{handler}");
    }

    // The system administrator's Enable does not lift a freeze.
    let li = s.app.user_id("li").await.to_string();
    let enabled = s
        .app
        .call_as(
            &admin,
            "/api/admin/accounts/change",
            &[("user_id", li.as_str()), ("change", "enable")],
        )
        .await;
    assert_eq!(enabled.status(), 200);
    assert!(!signs_in(&s.app, "li").await, "Enable is not an unfreeze");

    // A report does not close while it keeps someone frozen.
    let (status, _) = close(&s, &first, &s.other_leader, "已查明原因并处理").await;
    assert_eq!(status, 409);
    // Unfrozen for the first report, li stays frozen by the second.
    let (status, _) = contain(&s, &second, &s.leader, "li", "none").await;
    assert_eq!(status, 200);
    for account in ["li", "chen"] {
        let (status, body) = step(
            &s.app,
            &s.leader,
            "/api/leaks/unfreeze",
            &[("leak_id", &first), ("account", account)],
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    assert!(signs_in(&s.app, "chen").await);
    assert!(
        !signs_in(&s.app, "li").await,
        "the second report keeps li frozen"
    );
    // Frozen again after an unfreeze: waiting for its second person again, not shown as
    // frozen while the account still signs in.
    let form = [
        ("leak_id", first.as_str()),
        ("revoke", "none"),
        ("freeze[]", "chen"),
    ];
    assert_eq!(
        step(&s.app, &s.leader, "/api/leaks/contain", &form).await.0,
        200
    );
    let page = s
        .app
        .json(&s.leader, "/api/leaks/one", &[("leak_id", &first)])
        .await;
    let chen = page["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == "chen")
        .unwrap()
        .clone();
    assert_eq!(
        (chen["frozen"].clone(), chen["freeze_pending"].clone()),
        (false.into(), true.into()),
        "{page}"
    );
    assert!(signs_in(&s.app, "chen").await);
    assert_eq!(confirm(&s.other_leader).await, 200);
    assert!(!signs_in(&s.app, "chen").await);
    let (status, _) = step(
        &s.app,
        &s.leader,
        "/api/leaks/unfreeze",
        &[("leak_id", &first), ("account", "chen")],
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = close(&s, &first, &s.other_leader, "已查明原因并处理").await;
    assert_eq!(status, 200);
    let (status, _) = step(
        &s.app,
        &s.leader,
        "/api/leaks/unfreeze",
        &[("leak_id", &second), ("account", "li")],
    )
    .await;
    assert_eq!(status, 200);
    assert!(signs_in(&s.app, "li").await);
}

/// `wang` reports the student and the accounts `accounts`.
async fn reported_naming(s: &School, accounts: &str) -> String {
    let response = file(
        &s.app,
        &s.teacher,
        "班级花名册照片被转发",
        &s.student,
        accounts,
    )
    .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    last_report(&s.app).await
}

#[tokio::test]
async fn a_reporter_names_a_student_they_may_see_from_the_students_page() {
    let s = crate::requests::school().await;
    // The teacher of the class and a records administrator see whom the report is about.
    for client in [&s.teacher, &s.records] {
        let subject = s
            .app
            .json(client, "/api/leaks/subject", &[("student_id", &s.student)])
            .await;
        assert_eq!(subject[0], "王小明", "{subject}");
    }
    let (_, page) = s
        .app
        .page(&s.teacher, &format!("/records/students/{}", s.student))
        .await;
    assert!(page.contains(&format!("/leaks/new?student={}", s.student)));
    let (_, form) = s
        .app
        .page(&s.teacher, &format!("/leaks/new?student={}", s.student))
        .await;
    assert!(form.contains("报告涉及：王小明"), "{form}");
    assert!(
        form.contains(&format!(">{}</textarea>", s.student)),
        "the record filled in"
    );
    // Anyone else learns nothing: not the name, not whether the id is a student.
    for client in [&s.requester, &s.leader] {
        let response = s
            .app
            .call_as(client, "/api/leaks/subject", &[("student_id", &s.student)])
            .await;
        let status = response.status();
        let body = response.text().await.unwrap();
        assert!(status == 403 || status == 404, "{status}");
        assert!(!body.contains("王小明"));
        let (_, form) = s
            .app
            .page(client, &format!("/leaks/new?student={}", s.student))
            .await;
        assert!(!form.contains("王小明"));
        assert!(!form.contains("data-testid=\"leak-subject\""));
    }
}
