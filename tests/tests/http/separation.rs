//! No single person walks around the leading group: nobody gives themselves a role or a
//! class; resetting a privileged account's password and taking a privileged role away need a
//! leading-group member's approval (a leader's when no other member is there), and the reset's
//! link goes to the approver; once the school has had a leading group, privileged changes
//! never go through directly again; a reset is shown to its holder at the next sign-in.

use app::domain::Role;
use reqwest::Client;

use crate::helpers::{PASSWORD, TestApp, spawn_app};

async fn roles(app: &TestApp, username: &str) -> Vec<String> {
    app::db::query_scalar(
        "SELECT r.role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = $1 ORDER BY r.role",
    )
    .bind(username)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

async fn pending(app: &TestApp, client: &Client) -> serde_json::Value {
    let response = app.call_as(client, "/api/admin/role-grants", &[]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn decide(app: &TestApp, client: &Client, kind: &str, decision: &str) -> u16 {
    let id: i64 = app::db::query_scalar(
        "SELECT id FROM role_grant_requests WHERE kind = $1 AND decision IS NULL",
    )
    .bind(kind)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    app.call_as(
        client,
        "/api/admin/role-grants/decide",
        &[("request_id", &id.to_string()), ("decision", decision)],
    )
    .await
    .status()
    .as_u16()
}

/// `witness` (a leading-group member or leader) asks for the activation code of
/// `username`'s open setup link and is shown it once.
async fn activation_code(app: &TestApp, witness: &Client, username: &str) -> String {
    let view = pending(app, witness).await;
    let id = view["activations"]
        .as_array()
        .and_then(|a| a.iter().find(|p| p["username"] == username))
        .and_then(|p| p["id"].as_str())
        .unwrap_or_else(|| panic!("{username}'s link waits for a code: {view}"))
        .to_owned();
    let shown = app
        .call_as(
            witness,
            "/api/admin/role-grants/activation-code",
            &[("link_id", id.as_str())],
        )
        .await;
    assert_eq!(shown.status(), 200, "{}", shown.text().await.unwrap());
    let view = pending(app, witness).await;
    view["new_code"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("the code is shown: {view}"))
        .to_owned()
}

async fn signed_in_again(app: &TestApp, username: &str) -> Client {
    let client = app.browser();
    assert_eq!(
        app.sign_in_with(&client, username, PASSWORD).await.status(),
        200,
        "{username} signs in"
    );
    client
}

#[tokio::test]
async fn nobody_gives_themselves_a_role_or_a_class() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    let own = app.user_id("admin").await.to_string();
    for role in ["homeroom_teacher", "records_admin", "leader"] {
        let response = app
            .call_as(
                &admin,
                "/api/admin/accounts/grant",
                &[("user_id", own.as_str()), ("role", role)],
            )
            .await;
        assert_eq!(response.status(), 409, "{role}");
        assert!(response.text().await.unwrap().contains("self_grant"));
    }
    assert_eq!(roles(&app, "admin").await, vec!["system_admin"]);
    // Positive control: the same grant to someone else goes through.
    app.create_user("wang", &[Role::RecordsAdmin]).await;
    let wang = app.user_id("wang").await.to_string();
    let granted = app
        .call_as(
            &admin,
            "/api/admin/accounts/grant",
            &[("user_id", wang.as_str()), ("role", "homeroom_teacher")],
        )
        .await;
    assert_eq!(granted.status(), 200);

    // A records administrator who teaches too gives a class to others, never to themselves.
    let class = crate::fixtures::seed_class(&app, "1班", None).await;
    let wang_client = signed_in_again(&app, "wang").await;
    let refused = app
        .call_as(
            &wang_client,
            "/api/records/structure/homeroom",
            &[("class_id", class.as_str()), ("teacher_id", wang.as_str())],
        )
        .await;
    assert_eq!(refused.status(), 409);
    let teacher: Option<i64> =
        app::db::query_scalar("SELECT homeroom_teacher_id FROM classes WHERE public_id = $1")
            .bind(&class)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(teacher, None);
}

#[tokio::test]
async fn a_privileged_reset_is_approved_by_the_leading_group_and_its_link_goes_to_the_approver() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    app.create_user("zhou", &[Role::LeadingGroup]).await;
    app.create_user("liu", &[Role::Leader]).await;
    app.create_user("chen", &[Role::RecordsAdmin]).await;
    app.create_user("wang", &[Role::HomeroomTeacher]).await;
    let chen = app.user_id("chen").await.to_string();
    let reset = app
        .call_as(
            &admin,
            "/api/admin/accounts/change",
            &[("user_id", chen.as_str()), ("change", "reset_password")],
        )
        .await;
    assert_eq!(reset.status(), 200);
    // Nothing changed yet, and the administrator holds no link to sign in as chen.
    let console: serde_json::Value = app.json(&admin, "/api/admin/accounts", &[]).await;
    assert!(console["new_link"].is_null(), "{console}");
    let chen_client = signed_in_again(&app, "chen").await;
    assert!(
        app.json(&chen_client, "/api/notices", &[])
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );

    // The leading-group member approves; the link is on the member's page, once.
    let zhou = signed_in_again(&app, "zhou").await;
    let view = pending(&app, &zhou).await;
    assert_eq!(view["requests"][0]["kind"], "reset", "{view}");
    assert_eq!(
        decide(&app, &admin, "reset", "approve").await,
        403,
        "the proposer"
    );
    assert_eq!(decide(&app, &zhou, "reset", "approve").await, 200);
    let view = pending(&app, &zhou).await;
    let link = view["new_link"]["link"]
        .as_str()
        .expect("the approver sees the link");
    assert!(
        pending(&app, &zhou).await["new_link"].is_null(),
        "shown once"
    );
    // The old password is gone, chen's sessions ended.
    assert_eq!(
        app.sign_in_with(&app.browser(), "chen", PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        chen_client
            .get(app.url("/account"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    // The approver holds the link, not the code: a second person (the leader) hands that
    // over; the approver cannot be that person.
    assert!(
        pending(&app, &zhou).await["activations"]
            .as_array()
            .is_none_or(|a| a.is_empty()),
        "not for the link's holder"
    );
    // The administrator who proposed the reset holds no link either, and could be the
    // second person: the link waits in their console too.
    let console: serde_json::Value = app.json(&admin, "/api/admin/accounts", &[]).await;
    assert_eq!(console["activations"][0]["username"], "chen", "{console}");
    let liu = signed_in_again(&app, "liu").await;
    let code = activation_code(&app, &liu, "chen").await;
    // chen chooses a new password through the link and is told of the reset.
    let token = link.rsplit('/').next().unwrap();
    let new_password = "Guyu2026xiaoman";
    let set = app
        .call(
            "/api/setup",
            &[
                ("token", token),
                ("code", code.as_str()),
                ("new_password", new_password),
                ("confirm_password", new_password),
            ],
        )
        .await;
    assert_eq!(set.status(), 200, "{}", set.text().await.unwrap());
    let chen_client = app.browser();
    assert_eq!(
        app.sign_in_with(&chen_client, "chen", new_password)
            .await
            .status(),
        200
    );
    let notices: serde_json::Value = app.json(&chen_client, "/api/notices", &[]).await;
    assert_eq!(notices[0]["kind"], "password_reset", "{notices}");
    let page = app.page(&chen_client, "/account").await.1;
    assert!(page.contains("您的密码已被重置"), "{page}");

    // A homeroom teacher's reset stays the administrator's to do, and is shown too.
    let wang = app.user_id("wang").await.to_string();
    app.call_as(
        &admin,
        "/api/admin/accounts/change",
        &[("user_id", wang.as_str()), ("change", "reset_password")],
    )
    .await;
    let console: serde_json::Value = app.json(&admin, "/api/admin/accounts", &[]).await;
    assert!(console["new_link"]["link"].is_string(), "{console}");
    let told: i64 = app::db::query_scalar(
        "SELECT COUNT(*) FROM notices n JOIN users u ON u.id = n.recipient_id WHERE u.username = 'wang' AND n.kind = 'password_reset'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(told, 1);
}

#[tokio::test]
async fn the_leading_group_cannot_be_cleared_away_and_direct_grants_never_come_back() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    app.create_user("zhou", &[Role::LeadingGroup]).await;
    app.create_user("liu", &[Role::Leader]).await;
    app.create_user("chen", &[Role::HomeroomTeacher]).await;
    let zhou_id = app.user_id("zhou").await.to_string();
    let revoke = app
        .call_as(
            &admin,
            "/api/admin/accounts/revoke",
            &[("user_id", zhou_id.as_str()), ("role", "leading_group")],
        )
        .await;
    assert_eq!(revoke.status(), 200);
    assert_eq!(
        roles(&app, "zhou").await,
        vec!["leading_group"],
        "only proposed"
    );
    // The last member cannot decide about themselves; a leader decides instead.
    let zhou = signed_in_again(&app, "zhou").await;
    assert_eq!(decide(&app, &zhou, "revoke", "approve").await, 403);
    let liu = signed_in_again(&app, "liu").await;
    assert_eq!(pending(&app, &liu).await["requests"][0]["kind"], "revoke");
    assert_eq!(decide(&app, &liu, "revoke", "approve").await, 200);
    assert!(roles(&app, "zhou").await.is_empty());

    // No member left: a privileged grant is still a request, which the leader decides.
    let chen = app.user_id("chen").await.to_string();
    let grant = app
        .call_as(
            &admin,
            "/api/admin/accounts/grant",
            &[("user_id", chen.as_str()), ("role", "records_admin")],
        )
        .await;
    assert_eq!(grant.status(), 200);
    assert_eq!(roles(&app, "chen").await, vec!["homeroom_teacher"]);
    let liu = signed_in_again(&app, "liu").await;
    assert_eq!(decide(&app, &liu, "grant", "approve").await, 200);
    assert_eq!(
        roles(&app, "chen").await,
        vec!["homeroom_teacher", "records_admin"]
    );
    let actions = app.audit_actions().await;
    assert!(
        actions
            .iter()
            .all(|(a, _)| a != "account.role_granted" && a != "account.role_revoked"),
        "nothing went through directly: {actions:?}"
    );
}

/// Switching the leading group's members off is no way around it: disabling (or enabling,
/// or reopening) a privileged holder is proposed for a member's approval like taking the
/// role away, and a disabled member still counts, so a leader never takes over the group's
/// approvals (password resets whose links it would receive) while the group has members.
#[tokio::test]
async fn switching_members_off_never_hands_their_approvals_to_a_leader() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    for (name, role) in [
        ("zhou", Role::LeadingGroup),
        ("wu", Role::LeadingGroup),
        ("liu", Role::Leader),
        ("chen", Role::RecordsAdmin),
    ] {
        app.create_user(name, &[role]).await;
    }
    let disabled = |username: &'static str| {
        let app = &app;
        async move {
            app::db::query_scalar::<bool>("SELECT disabled FROM users WHERE username = $1")
                .bind(username)
                .fetch_one(&app.pool)
                .await
                .unwrap()
        }
    };
    let change = |username: &'static str, change: &'static str| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let id = app.user_id(username).await.to_string();
            let response = app
                .call_as(
                    &admin,
                    "/api/admin/accounts/change",
                    &[("user_id", id.as_str()), ("change", change)],
                )
                .await;
            assert_eq!(response.status(), 200, "{change} {username}");
        }
    };
    // Disabling a member is only proposed; the other member approves it.
    change("zhou", "disable").await;
    assert!(!disabled("zhou").await, "only proposed");
    let liu = signed_in_again(&app, "liu").await;
    assert_eq!(decide(&app, &liu, "disable", "approve").await, 403);
    let wu = signed_in_again(&app, "wu").await;
    assert_eq!(decide(&app, &wu, "disable", "approve").await, 200);
    assert!(disabled("zhou").await);
    // The last enabled member proposed away: a disabled member still counts, so the leader
    // does not decide, and nobody alone can.
    change("wu", "disable").await;
    assert!(!disabled("wu").await);
    assert_eq!(decide(&app, &liu, "disable", "approve").await, 403);
    // A records administrator's reset: never the leader's to approve while members exist.
    change("chen", "reset_password").await;
    assert_eq!(decide(&app, &liu, "reset", "approve").await, 403);
    assert_eq!(decide(&app, &wu, "reset", "approve").await, 200);
    // Enabling a privileged account again is proposed too.
    change("zhou", "enable").await;
    assert!(disabled("zhou").await, "only proposed");
    let pending = pending(&app, &wu).await;
    let kinds: Vec<&str> = pending["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"enable"), "{pending}");
}

/// No single person becomes another: once the school has a leading group, the system
/// administrator who creates a teacher holds the setup link but not the activation code a
/// second person hands over, and cannot complete the link alone; the second person never
/// holds the link; a wrong code is counted and a few use the link up.
#[tokio::test]
async fn a_setup_link_takes_a_second_persons_code_once_there_is_a_leading_group() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin", &[Role::SystemAdmin]).await;
    app.create_user("zhou", &[Role::LeadingGroup]).await;
    let create = |username: &'static str| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let response = app
                .call_as(
                    &admin,
                    "/api/admin/accounts/create",
                    &[
                        ("username", username),
                        ("display_name", "新老师"),
                        ("roles[]", "homeroom_teacher"),
                    ],
                )
                .await;
            assert_eq!(response.status(), 200);
            let console: serde_json::Value = app.json(&admin, "/api/admin/accounts", &[]).await;
            console["new_link"]["link"]
                .as_str()
                .expect("the administrator receives the link")
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned()
        }
    };
    let setup = |token: String, code: &'static str| {
        let app = &app;
        async move {
            let response = app
                .call(
                    "/api/setup",
                    &[
                        ("token", token.as_str()),
                        ("code", code),
                        ("new_password", "Lixia2026mangzhong"),
                        ("confirm_password", "Lixia2026mangzhong"),
                    ],
                )
                .await;
            let status = response.status().as_u16();
            (status, response.text().await.unwrap())
        }
    };
    let token = create("xin").await;
    // The setup page asks for the code.
    let holder: serde_json::Value = app
        .call("/api/setup-link", &[("token", token.as_str())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(holder["needs_code"], true, "{holder}");
    // The administrator alone: the link without a code does nothing.
    let (status, body) = setup(token.clone(), "").await;
    assert_eq!(status, 400);
    assert!(body.contains("activation.not_handed_over"), "{body}");
    // The administrator who received the link is offered no code for it, nor given one.
    let console: serde_json::Value = app.json(&admin, "/api/admin/accounts", &[]).await;
    assert!(
        console["activations"]
            .as_array()
            .is_none_or(|a| a.is_empty()),
        "{console}"
    );
    let link_id: String = app::db::query_scalar(
        "SELECT t.public_id FROM setup_tokens t JOIN users u ON u.id = t.user_id \
         WHERE u.username = 'xin' AND t.used_at IS NULL",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let refused = app
        .call_as(
            &admin,
            "/api/admin/role-grants/activation-code",
            &[("link_id", link_id.as_str())],
        )
        .await;
    assert_eq!(
        refused.status(),
        409,
        "whoever received the link is no second person"
    );
    let zhou = signed_in_again(&app, "zhou").await;
    let code = activation_code(&app, &zhou, "xin").await;
    assert_eq!(code.len(), 8);
    // The code is made once: the list no longer offers it.
    assert!(
        pending(&app, &zhou).await["activations"]
            .as_array()
            .is_none_or(|a| a.iter().all(|p| p["username"] != "xin"))
    );
    let code: &'static str = Box::leak(code.into_boxed_str());
    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    let (status, body) = setup(token.clone(), wrong).await;
    assert_eq!(status, 400);
    assert!(body.contains("activation.wrong"), "{body}");
    let (status, body) = setup(token.clone(), code).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        app.sign_in_with(&app.browser(), "xin", "Lixia2026mangzhong")
            .await
            .status(),
        200
    );
    // Wrong codes use a link up.
    let token = create("xin2").await;
    let _ = activation_code(&app, &zhou, "xin2").await;
    for _ in 0..5 {
        setup(token.clone(), wrong).await;
    }
    let (status, body) = setup(token.clone(), code).await;
    assert_eq!(status, 400);
    assert!(body.contains("setup_link_invalid"), "{body}");
    let shown: i64 = app::db::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'account.activation_code_shown'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(shown, 2);
}
