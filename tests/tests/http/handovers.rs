//! Account handovers (article 4): every transition and refusal, through the server as a
//! browser and a JSON client meet them.

use app::{clock::Clock, domain::Role};
use reqwest::Client;
use serde_json::Value;

use crate::{
    helpers::{PASSWORD, TestApp, spawn_app},
    requests::school,
};

const REASON: &str = "调任教务处，学籍管理工作交接给接任人";

/// Tomorrow, as a handover date: after today wherever the school is.
fn tomorrow(app: &TestApp) -> String {
    (app.clock.now() + chrono::Duration::days(1))
        .date_naive()
        .to_string()
}

async fn apply(app: &TestApp, client: &Client, role: &str, successor: &str) -> reqwest::Response {
    let date = tomorrow(app);
    app.call_as(
        client,
        "/api/handovers/apply",
        &[
            ("handover[role]", role),
            ("handover[successor]", successor),
            ("handover[reason]", REASON),
            ("handover[hand_over_on]", &date),
        ],
    )
    .await
}

async fn last_handover(app: &TestApp) -> String {
    app::db::query_scalar("SELECT public_id FROM role_handovers ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn decide(app: &TestApp, client: &Client, id: &str, decision: &str, comment: &str) -> u16 {
    app.call_as(
        client,
        "/api/handovers/decide",
        &[
            ("handover_id", id),
            ("decision", decision),
            ("comment", comment),
        ],
    )
    .await
    .status()
    .as_u16()
}

async fn roles_of(app: &TestApp, username: &str) -> Vec<String> {
    app::db::query_scalar(
        "SELECT r.role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = $1 ORDER BY r.role",
    )
    .bind(username)
    .fetch_all(&app.pool)
    .await
    .unwrap()
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

#[tokio::test]
async fn a_records_administrator_hands_over_and_the_successor_takes_up_what_was_in_flight() {
    let s = school().await;
    let app = &s.app;
    // A request approved and waiting for a records administrator's release.
    let request = s.file(&s.requester, &["phone"]).await;
    assert_eq!(s.approve(&s.leader, &request, &["phone"], "24").await, 200);
    let group = app.signed_in("group1", &[Role::LeadingGroup]).await;
    let xu = app.signed_in("xu", &[]).await;

    // chen (a records administrator) applies to hand the role to xu.
    let response = apply(app, &s.records, "records_admin", "xu").await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let id = last_handover(app).await;
    // One at a time; and nobody hands over a role they do not hold.
    let again = apply(app, &s.records, "records_admin", "xu").await;
    assert_eq!(again.status(), 409);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["code"], "handover.pending");
    assert_eq!(apply(app, &s.records, "leader", "xu").await.status(), 403);
    assert_eq!(
        apply(app, &s.teacher, "records_admin", "xu").await.status(),
        403
    );

    // Neither party decides, nor anyone outside the leading group; the record is the
    // parties' and the deciders' to read.
    assert_eq!(decide(app, &xu, &id, "approve", "").await, 403);
    assert_eq!(decide(app, &s.records, &id, "approve", "").await, 403);
    assert_eq!(decide(app, &s.other_records, &id, "approve", "").await, 403);
    assert_eq!(
        decide(app, &s.leader, &id, "approve", "").await,
        403,
        "a member is there to"
    );
    let page = |c: &Client| {
        let id = id.clone();
        let c = c.clone();
        async move {
            app.call_as(&c, "/api/handovers/one", &[("handover_id", &id)])
                .await
        }
    };
    assert_eq!(page(&s.teacher).await.status(), 403);
    assert_eq!(page(&xu).await.status(), 200);
    let waiting: Value = app.json(&group, "/api/handovers/waiting", &[]).await;
    assert_eq!(waiting, 1, "the member sees it waiting");
    let header: Value = app.json(&group, "/api/header", &[]).await;
    assert_eq!(header["handovers"], 1, "the header's one read: {header}");
    let header: Value = app.json(&s.teacher, "/api/header", &[]).await;
    assert_eq!(header["handovers"], 0, "nothing for the teacher to decide");

    // The member approves: one transaction moves the role and ends chen's sessions.
    assert_eq!(decide(app, &group, &id, "approve", "").await, 200);
    assert_eq!(roles_of(app, "xu").await, ["records_admin"]);
    assert!(roles_of(app, "chen").await.is_empty());
    assert_eq!(
        app.call_as(&s.records, "/api/requests", &[]).await.status(),
        401,
        "the outgoing holder's session ended"
    );
    assert_eq!(
        decide(app, &group, &id, "reject", "太晚了").await,
        409,
        "decided once"
    );

    // xu signs in with their own password and releases the request chen had waiting.
    assert_eq!(app.sign_in_with(&xu, "xu", PASSWORD).await.status(), 200);
    assert_eq!(s.fulfil(&xu, &request, &["phone"]).await, 200);
    assert_eq!(s.state(&request).await, "released");

    // chen signs in again, without the role: the record tells what was handed over.
    assert_eq!(
        app.sign_in_with(&s.records, "chen", PASSWORD)
            .await
            .status(),
        200
    );
    let record: Value = page(&s.records).await.json().await.unwrap();
    assert_eq!(record["state"], "approved");
    assert_eq!(record["in_flight"], serde_json::json!([request]));
    assert_eq!(record["in_flight_state"], "approved");
    assert_eq!(record["decider"], "group1 老师");
    let events: Vec<&str> = record["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["applied", "approved"]);
    let actions = app.audit_actions().await;
    for action in ["role_handover.applied", "role_handover.approved"] {
        assert!(
            actions.iter().any(|(a, o)| a == action && o == "success"),
            "{action}"
        );
    }
    // The outgoing holder was told of the outcome; opening the record read it.
    let unread: i64 = app::db::query_scalar(
        "SELECT COUNT(*) FROM workflow_notices n JOIN users u ON u.id = n.recipient_id \
         WHERE u.username = 'chen' AND n.workflow = 'role_handover' AND n.read_at IS NULL",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(unread, 0);
    // The printable record, as a page.
    let html = s
        .records
        .get(app.url(&format!("/handovers/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("移交记录") && html.contains("xu 老师 (xu)") && html.contains("group1 老师")
    );
}

#[tokio::test]
async fn the_last_leading_group_members_handover_is_decided_by_a_leader() {
    let app = spawn_app().await;
    let member = app.signed_in("group1", &[Role::LeadingGroup]).await;
    let leader = app.signed_in("zhang", &[Role::Leader]).await;
    let successor = app.signed_in("qian", &[]).await;
    assert_eq!(
        apply(&app, &member, "leading_group", "qian").await.status(),
        200
    );
    let id = last_handover(&app).await;
    // The successor, who holds no privileged role yet, follows their handover.
    let theirs = app.json(&successor, "/api/handovers", &[]).await;
    assert_eq!(theirs["mine"][0]["id"], id.as_str(), "{theirs}");
    let (status, _) = app.page(&successor, &format!("/handovers/{id}")).await;
    assert_eq!(status, 200);
    let (_, account) = app.page(&successor, "/account").await;
    assert!(account.contains("href=\"/handovers\""), "the way there");
    assert_eq!(decide(&app, &member, &id, "approve", "").await, 403);
    assert_eq!(decide(&app, &successor, &id, "approve", "").await, 403);
    assert_eq!(decide(&app, &leader, &id, "approve", "").await, 200);
    assert_eq!(roles_of(&app, "qian").await, ["leading_group"]);
    assert!(roles_of(&app, "group1").await.is_empty());
}

#[tokio::test]
async fn an_application_names_a_real_successor_and_a_rejection_says_why() {
    let app = spawn_app().await;
    let admin = app.signed_in("sys", &[Role::SystemAdmin]).await;
    let group = app.signed_in("group1", &[Role::LeadingGroup]).await;
    app.create_user("other-admin", &[Role::SystemAdmin]).await;
    app.create_user("gone", &[]).await;
    app::db::query("UPDATE users SET disabled = TRUE WHERE username = 'gone'")
        .execute(&app.pool)
        .await
        .unwrap();
    app.create_user("next", &[]).await;
    for (successor, code) in [
        ("nobody-here", "handover.successor_unknown"),
        ("sys", "handover.successor_self"),
        ("gone", "handover.successor_disabled"),
        ("other-admin", "handover.successor_holds"),
        ("", "handover.successor_empty"),
    ] {
        let response = apply(&app, &admin, "system_admin", successor).await;
        assert_eq!(response.status(), 400, "{successor}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            field_codes(&body),
            [("successor".to_owned(), code.to_owned())]
        );
    }
    let past = app
        .call_as(
            &admin,
            "/api/handovers/apply",
            &[
                ("handover[role]", "system_admin"),
                ("handover[successor]", "next"),
                ("handover[reason]", REASON),
                ("handover[hand_over_on]", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(past.status(), 400);
    let count: i64 = app::db::query_scalar("SELECT COUNT(*) FROM role_handovers")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 0, "a refused application files nothing");

    assert_eq!(
        apply(&app, &admin, "system_admin", "next").await.status(),
        200
    );
    let id = last_handover(&app).await;
    assert_eq!(
        decide(&app, &group, &id, "reject", "").await,
        400,
        "a rejection says why"
    );
    assert_eq!(
        decide(&app, &group, &id, "reject", "接任人尚未完成保密培训").await,
        200
    );
    assert_eq!(
        roles_of(&app, "sys").await,
        ["system_admin"],
        "nothing moved"
    );
    let record: Value = app
        .json(&admin, "/api/handovers/one", &[("handover_id", &id)])
        .await;
    assert_eq!(record["state"], "rejected");
    assert_eq!(record["decision_comment"], "接任人尚未完成保密培训");

    // Withdrawn by its applicant alone, and only while it waits.
    assert_eq!(
        apply(&app, &admin, "system_admin", "next").await.status(),
        200
    );
    let id = last_handover(&app).await;
    let next = app.browser();
    app.sign_in_with(&next, "next", PASSWORD).await;
    let withdraw = |c: &Client| {
        let c = c.clone();
        let id = id.clone();
        let app = &app;
        async move {
            app.call_as(&c, "/api/handovers/withdraw", &[("handover_id", &id)])
                .await
                .status()
                .as_u16()
        }
    };
    assert_eq!(withdraw(&next).await, 403);
    assert_eq!(withdraw(&admin).await, 200);
    assert_eq!(withdraw(&admin).await, 409);
    assert_eq!(decide(&app, &group, &id, "approve", "").await, 409);
}
